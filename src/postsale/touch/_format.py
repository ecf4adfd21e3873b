"""Presentation helpers for ``explain()`` sentences (private). Rounding happens only here."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

_CENT = Decimal("0.01")
_SCIENTIFIC_FROM = 24
"""Amounts of 10**24 and more (only reachable by totals far past the documented range) are written 1.000000E+24."""


def usd(amount: Decimal | int) -> str:
    """Return ``amount`` as dollars: whole amounts without cents, others with two decimals.

    Examples:
        >>> usd(Decimal("12500")), usd(Decimal("2400.5")), usd(-3), usd(Decimal("1.2E+4"))
        ('$12,500', '$2,400.50', '-$3', '$12,000')
        >>> usd(Decimal("1e999999"))
        '$1.000000E+999999'
    """
    value = Decimal(amount)
    sign = "-" if value < 0 else ""
    value = value.copy_abs()
    if value and value.adjusted() >= _SCIENTIFIC_FROM:  # never int() or spell out a huge exponent (bounded work)
        return f"{sign}${value:.6E}"
    if value == value.to_integral_value():
        return f"{sign}${value.to_integral_value():,f}"
    return f"{sign}${value.quantize(_CENT, rounding=ROUND_HALF_EVEN):,}"


def pct(share: float) -> str:
    """Return a share as a percentage with at most two decimals: ``0.104166`` -> ``'10.42 %'``.

    Examples:
        >>> pct(0.05), pct(0.1041666), pct(0.6), pct(0.0499)
        ('5 %', '10.42 %', '60 %', '4.99 %')
    """
    return pct_number(share) + " %"


def pct_number(share: float) -> str:
    """Return a share as a percentage number without the sign: ``0.15`` -> ``'15'``."""
    text = f"{share * 100:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
