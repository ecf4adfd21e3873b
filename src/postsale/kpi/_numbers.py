"""Exact arithmetic, rate checks and presentation helpers shared by the KPI modules (private).

Money is :class:`~decimal.Decimal` and stays exact: sums and products are computed in :data:`EXACT`, a
context with the maximum precision, so no digit is ever dropped whatever the caller's own decimal
context says. A ratio of two amounts (GRR, NRR, ROI ...) may not terminate (``1/3``); it is computed in
:data:`RATIO` (28 significant digits, half-even) and rounded for people only when it is presented
(:func:`pct`, :func:`amount`).
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any, Final

from postsale import _checks
from postsale._errors import InvalidTypeError, InvalidValueError

EXACT = decimal.Context(
    prec=decimal.MAX_PREC,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow, decimal.Inexact],
)
"""Context for sums and products of money: exact (any inexact result raises)."""

RATIO = decimal.Context(
    prec=28, rounding=decimal.ROUND_HALF_EVEN, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN,
    traps=[decimal.InvalidOperation],
)
"""Context for ratios: 28 significant digits, half-even (the rounding is documented in docs/kpi.md). Its exponent
range is the widest, so the ratio of two in-range amounts, however far apart (``600000 / Decimal("5E-999995")``,
a payback at a vanishing margin), is a finite number, never ``Infinity``."""

WRITTEN_OUT: Final = 30
"""Figures up to 10**30 (the largest amount postsale computes) are written out in full in sentences; larger ones
(a ratio over a vanishing denominator) in scientific notation, e.g. ``1.200000E+1000005``."""

_PRESENT = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
TWELVE = Decimal(12)


def total(*values: Decimal) -> Decimal:
    """Return the exact sum of ``values``."""
    result = ZERO
    for value in values:
        result = EXACT.add(result, value)
    return result


def times(*values: Decimal) -> Decimal:
    """Return the exact product of ``values``."""
    result = ONE
    for value in values:
        result = EXACT.multiply(result, value)
    return result


def minus(a: Decimal, b: Decimal) -> Decimal:
    """Return ``a - b`` exactly."""
    return EXACT.subtract(a, b)


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal:
    """Return ``numerator / denominator`` to 28 significant digits (the denominator is never 0 here).

    A whole result is written without an exponent (``Decimal("200000")``, not ``Decimal("2E+5")``).
    """
    result = RATIO.divide(numerator, denominator)
    if not result.is_finite():  # exponents near the limit of the decimal module (1E-999999999999999999) only
        raise InvalidValueError(
            "is too large to compute", field="ratio", value=f"{numerator} / {denominator}",
            constraint=f"a ratio must be finite (exponents within ±{decimal.MAX_EMAX})",
            hint="check the inputs' magnitudes: an amount or a rate is far too small or too large",
        )
    if result.as_tuple().exponent > 0 and result.adjusted() < RATIO.prec:  # type: ignore[operator]
        result = result.quantize(ONE, context=RATIO)
    return result


def rate(field: str, value: Any, *, upper: Decimal | None = ONE, lower: Decimal = ZERO) -> Decimal:
    """Return a rate given as a float, int or Decimal as an exact Decimal in ``[lower, upper]``.

    Floats are read through their shortest ``repr`` (``0.95`` → ``Decimal("0.95")``), so the rates people
    type give exact figures. Percentages written as 95 are refused with a hint, never divided silently.

    Raises:
        InvalidTypeError: ``value`` is not a number (bools and strings are refused).
        InvalidValueError: ``value`` is not finite or is outside the range.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise InvalidTypeError(
            "expected a rate", field=field, value=value, hint="pass a float or Decimal fraction such as 0.95"
        )
    _checks.number(field, value)
    result = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if result < lower or (upper is not None and result > upper):
        bounds = f"[{lower}, {upper}]" if upper is not None else f">= {lower}"
        hint = "pass a fraction"
        if upper is not None and upper <= 10 and 1 < result <= 1000:
            hint = f"write {result / HUNDRED} for {result} %"
        raise InvalidValueError(
            "is out of range", field=field, value=value, constraint=f"a rate must be in {bounds}", hint=hint
        )
    return result


def positive_money(field: str, value: Any) -> Decimal:
    """Return ``value`` as money that must be strictly greater than 0."""
    result = _checks.money(field, value)
    if result == 0:
        raise InvalidValueError(
            "is zero", field=field, value=value, constraint="must be > 0", hint="pass a positive amount"
        )
    return result


def tidy(value: Decimal) -> Decimal:
    """Return ``value`` without trailing fractional zeros (same number): ``5462500.0000`` → ``5462500``.

    Examples:
        >>> tidy(Decimal("5462500.0000")), tidy(Decimal("0.2500")), tidy(Decimal("-0"))
        (Decimal('5462500'), Decimal('0.25'), Decimal('0'))
    """
    whole = value.to_integral_value(context=_PRESENT)
    if value == whole:
        return whole.quantize(ONE, context=_PRESENT) if whole else ZERO
    return value.normalize(context=_PRESENT)


def rounded(value: Decimal, quantum: str) -> Decimal:
    """``value`` rounded half-even to ``quantum`` (``"0.01"``) for people, whatever its magnitude.

    Examples:
        >>> rounded(Decimal("2.345"), "0.01"), rounded(Decimal("12345678901234567890123456789012.25"), "0.1")
        (Decimal('2.34'), Decimal('12345678901234567890123456789012.2'))
    """
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= 0 and value.adjusted() > WRITTEN_OUT:
        return value  # a whole number past 10**30 (1.2E+1000005): rounding it would only write a million zeros
    return value.quantize(Decimal(quantum), rounding=decimal.ROUND_HALF_EVEN, context=_PRESENT)


def pct(value: Decimal, places: int = 2) -> str:
    """Present a ratio as a percentage rounded half-even to ``places`` decimals.

    Examples:
        >>> pct(Decimal("1.0925"))
        '109.25 %'
    """
    if value.is_finite() and value.adjusted() > WRITTEN_OUT:
        return f"{_PRESENT.multiply(value, HUNDRED):.6E} %"
    quantum = Decimal(1).scaleb(-places)
    shown = _PRESENT.multiply(value, HUNDRED).quantize(quantum, rounding=decimal.ROUND_HALF_EVEN, context=_PRESENT)
    return f"{shown} %"


def amount(value: Decimal) -> str:
    """Present money with thousands separators, dropping a zero fraction.

    Examples:
        >>> amount(Decimal("1962500.00")), amount(Decimal("-6500000")), amount(Decimal("0.5"))
        ('1,962,500', '-6,500,000', '0.50')
        >>> amount(Decimal("1.2E+1000005"))
        '1.200000E+1000005'
    """
    if value.is_finite() and value.adjusted() > WRITTEN_OUT:
        return f"{value:.6E}"
    whole = value.to_integral_value(context=_PRESENT)
    if value == whole:
        return f"{whole:,}"
    return f"{value.quantize(Decimal('0.01'), rounding=decimal.ROUND_HALF_EVEN, context=_PRESENT):,}"


def of_type(cls: type | tuple[type, ...], *, optional: bool = False) -> Any:
    """An attrs validator: the field holds an instance of ``cls`` (or ``None`` when ``optional``)."""

    def check(field: str, value: Any) -> None:
        if not (optional and value is None):
            _checks.instance(field, value, cls)

    return _checks.validator(check)


def to_decimal(field: str, value: Any, *, lower: Decimal | None = None) -> Decimal:
    """A finite number as an exact Decimal (a float through its shortest repr), >= ``lower``."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise InvalidTypeError("expected a number", field=field, value=value, hint="pass a Decimal, int or float")
    _checks.number(field, value)
    result = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if lower is not None and result < lower:
        raise InvalidValueError(
            "is out of range", field=field, value=value, constraint=f"must be >= {lower}", hint=f"pass >= {lower}"
        )
    return result
