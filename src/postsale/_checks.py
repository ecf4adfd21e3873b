"""Small validation helpers shared by every context (private).

Each helper raises a documented :class:`~postsale.PostsaleError` subclass naming the field, the
value, the rule and what to do instead. They are plain functions so hot paths can call them cheaply,
and attrs validators so value classes can use them declaratively.

The documented ranges (docs/limits.md) are defined here, once: every amount, count, number, name and
time-zone name that enters ``postsale`` is checked against them at the boundary, so no later formatting or
arithmetic can be handed a value whose size would make it explode (``Decimal("1e999999")``, ``10**400``).

Examples:
    >>> money("acv", "120000.50"), count("seats", MAX_COUNT), measure("nps", 10**15)
    (Decimal('120000.50'), 1000000000, 1000000000000000.0)
    >>> money("acv", "1e999999")
    Traceback (most recent call last):
    ...
    postsale._errors.InvalidValueError: acv='1e999999': is too large for an amount; rule: ...
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import lru_cache
from typing import Any, Final, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from postsale._errors import (
    InvalidTypeError,
    InvalidValueError,
    NaiveDatetimeError,
    UnknownNameError,
)
from postsale._frozen import EMPTY, FrozenDict

E = TypeVar("E", bound=Enum)
D = TypeVar("D", bound=date)

# ---- the documented ranges (docs/limits.md) -------------------------------------------------------------------

MAX_AMOUNT: Final = 10**15
"""The largest amount of money, in absolute value: a thousand trillion currency units, ten thousand times the yearly
revenue of the largest company. Below it, a float64 column holds every amount in whole cents' worth of precision
and every whole amount exactly (2**53 > 9 * 10**15)."""

MAX_COMPUTED: Final = 10**30
"""The largest amount ``postsale`` reads back from data it wrote (totals and projections it computed): a million
times a billion accounts of the largest amount (10**6 * 10**9 * 10**15)."""

MAX_COUNT: Final = 10**9
"""The largest count (seats, employees, customers, days, priorities ...): a billion."""

MAX_MAGNITUDE: Final = 1e15
"""The largest measurement given to postsale (a signal's value), in absolute value. Like :data:`MAX_AMOUNT`, it
keeps every whole number exact in float64, so the scalar and the columnar paths agree. Other numbers (thresholds,
weights, hours, computed projections) need only be finite floats."""

MAX_NAME_LENGTH: Final = 1_000
"""The longest identifier or name (account ids, parent ids, signal and label names, label values), in characters."""

MAX_ZONE_NAME_LENGTH: Final = 64
"""The longest IANA time-zone name accepted (the longest real one, ``America/Argentina/ComodRivadavia``, has 32)."""

_LARGEST_FLOAT = sys.float_info.max
_LARGEST_DECIMAL = Decimal(_LARGEST_FLOAT)
_MAX_AMOUNT = Decimal(MAX_AMOUNT)
_LONGEST_SHOWN_INT_BITS = 14_000
"""Ints longer than this (about 4 200 digits) cannot be printed by Python's default ``repr``: errors show their size."""
_ZONE_NAME = re.compile(r"[A-Za-z0-9_+\-]+(?:/[A-Za-z0-9_+\-]+)*")
"""An IANA name: letters, digits, ``_ + -`` separated by single slashes (no ``.`` or ``..``, no NUL, no spaces)."""

CALENDAR: Final = "year 1..9999"
"""What :func:`outside_calendar` says the calendar is (Python's ``date.min`` .. ``date.max``)."""


def shown(value: Any) -> Any:
    """``value`` as an error should hold it: itself, unless it is an int too long to print (then its size).

    Examples:
        >>> shown(12), shown(10**5000)
        (12, '<an int of about 5001 digits>')
    """
    if type(value) is int and value.bit_length() > _LONGEST_SHOWN_INT_BITS:
        digits = math.floor(value.bit_length() * math.log10(2)) + 1
        return f"<an int of about {digits} digits>"
    return value


def _too_large(field: str, value: Any, what: str, constraint: str, hint: str) -> InvalidValueError:
    return InvalidValueError(
        f"is too large for {what}", field=field, value=shown(value), constraint=constraint, hint=hint
    )


def _not_finite(field: str, value: Any) -> InvalidValueError:
    return InvalidValueError(
        "is not a finite number",
        field=field,
        value=value,
        constraint="must be finite (no NaN or infinity)",
        hint="drop the signal or pass a real measurement",
    )


def number(field: str, value: Any, *, limit: float = _LARGEST_FLOAT) -> float:
    """Return ``value`` as a finite float; refuse bools, strings, NaN, infinities and numbers beyond ``limit``.

    An int or Decimal too large for a float (``10**400``, ``Decimal("1e999999")``) is refused as too large, not
    an ``OverflowError``; ``Decimal("sNaN")`` is refused as not finite, not a ``ValueError``. Inputs that
    measure something (signals) are bounded by :data:`MAX_MAGNITUDE` (see :func:`measure`); numbers ``postsale``
    computes (projections, rates) only need to be finite.

    Raises:
        InvalidTypeError: ``value`` is not an int, float or Decimal (or is a bool).
        InvalidValueError: ``value`` is NaN, infinite or beyond ``limit`` in absolute value.

    Examples:
        >>> number("growth", 10**20), number("nps", Decimal("9.5"))
        (1e+20, 9.5)
        >>> number("nps", Decimal("sNaN"))
        Traceback (most recent call last):
        ...
        postsale._errors.InvalidValueError: nps=Decimal('sNaN'): is not a finite number; ...
    """
    if type(value) is float and -limit <= value <= limit:  # the hot path (NaN fails the test)
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise InvalidTypeError(
            "expected a number",
            field=field,
            value=value,
            hint="pass an int, float or Decimal (parse strings at the edge)",
        )
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise _not_finite(field, value)
        bound = _LARGEST_DECIMAL if limit == _LARGEST_FLOAT else Decimal(limit)
        big = value.copy_abs() > bound
    elif isinstance(value, int):
        big = abs(value) > limit  # an exact comparison: no float(10**400) overflow
    else:
        if not math.isfinite(value):
            raise _not_finite(field, value)
        big = abs(value) > limit
    if big:
        shown_bound = "1e15" if limit == MAX_MAGNITUDE else f"{limit:g}"
        raise _too_large(
            field, value, "a number", f"must be between -{shown_bound} and {shown_bound}",
            "check the unit and the parsing of the value (see the documented limits)",
        )
    return float(value)


def measure(field: str, value: Any) -> float:
    """Return ``value`` as a finite float within :data:`MAX_MAGNITUDE` (a signal, a measurement given to postsale).

    Examples:
        >>> measure("nps", 10**15)
        1000000000000000.0
        >>> measure("nps", 10**15 + 1)
        Traceback (most recent call last):
        ...
        postsale._errors.InvalidValueError: nps=1000000000000001: is too large for a number; rule: must be ...
    """
    return number(field, value, limit=MAX_MAGNITUDE)


def non_negative(field: str, value: Any) -> float:
    """Return ``value`` as a finite float >= 0."""
    result = number(field, value)
    if result < 0:
        raise InvalidValueError(
            "is negative", field=field, value=value, constraint="must be >= 0", hint="pass a value >= 0"
        )
    return result


def count(field: str, value: Any, *, limit: int = MAX_COUNT) -> int:
    """Return ``value`` as an int between 0 and ``limit`` (default :data:`MAX_COUNT`); refuse bools and floats.

    Examples:
        >>> count("seats", 10**9)
        1000000000
        >>> count("seats", 10**9 + 1)
        Traceback (most recent call last):
        ...
        postsale._errors.InvalidValueError: seats=1000000001: is too large for a count; ...
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError("expected a whole number", field=field, value=value, hint="pass an int")
    if value < 0:
        raise InvalidValueError(
            "is negative", field=field, value=shown(value), constraint="must be >= 0", hint="pass a count >= 0"
        )
    if value > limit:
        hint = "check the column: a count is at most a billion" if limit == MAX_COUNT else f"pass at most {limit:,}"
        raise _too_large(field, value, "a count", f"must be <= {limit:,}", hint)
    return value


def ratio(field: str, value: Any) -> float:
    """Return ``value`` as a float in [0, 1] (a share such as a margin of 0.8 = 80 %)."""
    result = number(field, value)
    if not 0.0 <= result <= 1.0:
        raise InvalidValueError(
            "is outside [0, 1]",
            field=field,
            value=value,
            constraint="a share is written as a fraction between 0 and 1",
            hint=f"write {result / 100!r} for {result!r} %" if 1 < result <= 100 else "pass a fraction in [0, 1]",
        )
    return result


def money(field: str, value: Any, *, allow_negative: bool = False, limit: int = MAX_AMOUNT) -> Decimal:
    """Return ``value`` as an exact :class:`~decimal.Decimal` amount within the documented range.

    Money in ``postsale`` is ``Decimal`` (see docs/decisions.md). Ints, Decimals and decimal strings
    are exact; floats are accepted through their shortest ``repr`` (``0.1`` → ``Decimal("0.1")``).
    An amount is at most :data:`MAX_AMOUNT` in absolute value; the check compares exponents first, so
    ``Decimal("1e999999")`` is refused in microseconds and never reaches ``int()``, formatting or arithmetic.

    Args:
        field: The name of the input, for the error.
        value: The amount.
        allow_negative: Accept amounts below zero (a change, a difference).
        limit: The largest absolute value: :data:`MAX_AMOUNT` for amounts given to ``postsale``,
            :data:`MAX_COMPUTED` for amounts it computed (totals, projections) read back from data.

    Raises:
        InvalidTypeError: not an int, float, Decimal or string (or a bool).
        InvalidValueError: not a number, not finite, negative (unless ``allow_negative``), or beyond ``limit``.

    Examples:
        >>> money("acv", 10**15), money("acv", "0.000000000000000000001"), money("acv", 2.5)
        (Decimal('1000000000000000'), Decimal('1E-21'), Decimal('2.5'))
        >>> money("acv", 10**15 + 1)
        Traceback (most recent call last):
        ...
        postsale._errors.InvalidValueError: acv=1000000000000001: is too large for an amount; rule: ...
    """
    if isinstance(value, bool):
        raise InvalidTypeError("expected an amount of money", field=field, value=value, hint="pass a Decimal or int")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        if abs(value) > limit:  # before Decimal(): no conversion of a 10**400
            raise _amount_too_large(field, value, limit)
        result = Decimal(value)
    elif isinstance(value, (float, str)):
        try:
            result = Decimal(repr(value) if isinstance(value, float) else value.strip())
        except InvalidOperation:
            raise InvalidValueError(
                "is not an amount of money", field=field, value=value, hint='pass digits, e.g. "120000.00"'
            ) from None
    else:
        raise InvalidTypeError("expected an amount of money", field=field, value=value, hint="pass a Decimal or int")
    if not result.is_finite():
        raise InvalidValueError(
            "is not a finite amount", field=field, value=value, constraint="must be finite", hint="pass a real amount"
        )
    if result.copy_abs() > (_MAX_AMOUNT if limit == MAX_AMOUNT else Decimal(limit)):  # exact, whatever the exponent
        raise _amount_too_large(field, value, limit)
    if result < 0 and not allow_negative:
        raise InvalidValueError(
            "is negative", field=field, value=value, constraint="must be >= 0", hint="pass an amount >= 0"
        )
    return result


def _amount_too_large(field: str, value: Any, limit: int) -> InvalidValueError:
    bound = f"10**{len(str(limit)) - 1}" if limit == 10 ** (len(str(limit)) - 1) else f"{limit:,}"
    return _too_large(
        field, value, "an amount", f"must be between -{bound} and {bound}",
        "check the unit and the column (an amount in currency units, at most a thousand trillion)"
        if limit == MAX_AMOUNT else "check the data: this amount is beyond any total postsale computes",
    )


def aware(field: str, value: Any) -> datetime:
    """Return ``value`` if it is a timezone-aware datetime; refuse naive datetimes and dates."""
    if not isinstance(value, datetime):
        raise InvalidTypeError("expected a datetime", field=field, value=value, hint="pass a timezone-aware datetime")
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(
            "is a naive datetime",
            field=field,
            value=value,
            constraint="deadlines are computed from timezone-aware datetimes",
            hint="attach a time zone, e.g. value.replace(tzinfo=ZoneInfo('Europe/Paris'))",
        )
    return value


def a_date(field: str, value: Any) -> date:
    """Return ``value`` if it is a ``date`` (and not a ``datetime``)."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidTypeError(
            "expected a calendar date",
            field=field,
            value=value,
            hint="pass datetime.date(...) (use .date() on a datetime)",
        )
    return value


def days(field: str, value: Any) -> frozenset[date]:
    """Return a collection of dates (holidays, days off) as a frozenset, each item checked as ``field[i]``."""
    return frozenset(a_date(f"{field}[{i}]", day) for i, day in enumerate(items(field, value)))


# ---- dates whose arithmetic would leave the calendar ----------------------------------------------------------


def outside_calendar(
    field: str, value: Any, *, start: date | None = None, hint: str | None = None
) -> InvalidValueError:
    """The error for a date computation whose result would fall before 0001-01-01 or after 9999-12-31.

    Examples:
        >>> print(outside_calendar("months", 1, start=date(9999, 12, 31)))
        months=1: the result would fall outside the calendar (year 1..9999), counting from 9999-12-31; ...
    """
    where = "" if start is None else f", counting from {start.isoformat()}"
    return InvalidValueError(
        f"the result would fall outside the calendar ({CALENDAR}){where}",
        field=field,
        value=shown(value),
        constraint="dates run from 0001-01-01 to 9999-12-31",
        hint=hint or "use dates further from the ends of the calendar (9999-12-31 may stand for an open end, "
        "but nothing can be scheduled after it)",
    )


def shifted(field: str, value: Any, day: D, delta: timedelta, *, hint: str | None = None) -> D:
    """Return ``day + delta`` (a date or datetime), or an :func:`outside_calendar` error naming ``field=value``.

    Examples:
        >>> shifted("days", 1, date(2026, 12, 31), timedelta(days=1))
        datetime.date(2027, 1, 1)
        >>> shifted("days", 1, date.max, timedelta(days=1))
        Traceback (most recent call last):
        ...
        postsale._errors.InvalidValueError: days=1: the result would fall outside the calendar (year 1..9999), ...
    """
    try:
        return day + delta
    except OverflowError:
        raise outside_calendar(field, value, start=day, hint=hint) from None


def local(field: str, moment: datetime, zone: tzinfo) -> datetime:
    """Return ``moment.astimezone(zone)``, or an :func:`outside_calendar` error when it lands past the calendar."""
    try:
        return moment.astimezone(zone)
    except OverflowError:
        raise outside_calendar(field, moment, hint="use a moment further from the ends of the calendar") from None


# ---- names --------------------------------------------------------------------------------------------------


def a(name: str) -> str:
    """``name`` with its indefinite article, for messages: ``"a Segment"``, ``"an AccountSnapshot"``."""
    return f"{'an' if name[:1] in 'AEIOaeio' else 'a'} {name}"  # U: "a Unit", "a UsageRecord"


def text(field: str, value: Any) -> str:
    """Return ``value`` if it is a non-blank string."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError("must be a non-empty string", field=field, value=value, hint="pass a name or id")
    return value


def identifier(field: str, value: Any) -> str:
    """Return ``value`` if it is a non-blank string of at most :data:`MAX_NAME_LENGTH` characters (an id or a name).

    Examples:
        >>> identifier("account_id", "acme")
        'acme'
        >>> identifier("account_id", "x" * 1001)
        Traceback (most recent call last):
        ...
        postsale._errors.InvalidValueError: account_id='xxx...xxx (1001 characters)': is too long; ...
    """
    name = text(field, value)
    if len(name) > MAX_NAME_LENGTH:
        raise _too_long(field, name)
    return name


def _too_long(field: str, value: str) -> InvalidValueError:
    return InvalidValueError(
        "is too long",
        field=field,
        value=f"{value[:3]}...{value[-3:]} ({len(value)} characters)",
        constraint=f"at most {MAX_NAME_LENGTH:,} characters",
        hint="pass a short, stable id or name (keep long free text elsewhere)",
    )


def label(field: str, value: Any) -> str:
    """Return ``value`` if it is a string (possibly empty) of at most :data:`MAX_NAME_LENGTH` characters."""
    if not isinstance(value, str):
        raise InvalidTypeError("expected a string", field=field, value=value, hint="pass text labels")
    if len(value) > MAX_NAME_LENGTH:
        raise _too_long(field, value)
    return value


def one_of(field: str, value: Any, choices: tuple[str, ...]) -> str:
    """Return ``value`` if it is one of the strings ``choices``."""
    if not isinstance(value, str) or value not in choices:
        raise UnknownNameError(
            f"must be one of {', '.join(choices)}", field=field, value=value, hint=f"pass one of: {', '.join(choices)}"
        )
    return value


@lru_cache(maxsize=512)
def _zone(name: str) -> ZoneInfo:
    """The zone of a well-formed IANA name (only successes are cached; malformed names never reach the disk)."""
    if len(name) > MAX_ZONE_NAME_LENGTH or not _ZONE_NAME.fullmatch(name):
        raise ZoneInfoNotFoundError(name)
    return ZoneInfo(name)


def time_zone(field: str, value: Any) -> ZoneInfo:
    """Return the :class:`~zoneinfo.ZoneInfo` for an IANA name such as ``"Asia/Tokyo"``.

    A folder of the database (``"America"``), a name longer than :data:`MAX_ZONE_NAME_LENGTH`, or one with
    ``..``, NUL or spaces is an unknown name like any other.

    Raises:
        InvalidTypeError: ``value`` is not a string.
        UnknownNameError: ``value`` is not the name of a time zone.

    Examples:
        >>> time_zone("time_zone", "Asia/Tokyo")
        zoneinfo.ZoneInfo(key='Asia/Tokyo')
        >>> time_zone("time_zone", "America")
        Traceback (most recent call last):
        ...
        postsale._errors.UnknownNameError: time_zone='America': is not a known IANA time zone; ...
    """
    if not isinstance(value, str):
        raise InvalidTypeError("expected an IANA time-zone name", field=field, value=value, hint='e.g. "Asia/Tokyo"')
    try:
        return _zone(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder, a name too long for the disk ...
        raise UnknownNameError(
            "is not a known IANA time zone",
            field=field,
            value=value if len(value) <= MAX_NAME_LENGTH else f"{value[:20]}... ({len(value)} characters)",
            constraint=f"an IANA name of at most {MAX_ZONE_NAME_LENGTH} characters, such as Area/City",
            hint='pass a name such as "Europe/Paris" or "UTC"',
        ) from None


def member(cls: type[E], field: str, value: Any, aliases: dict[str, str] | None = None) -> E:
    """Return the member of enum ``cls`` for ``value`` (a member or its name, case and dash insensitive)."""
    if isinstance(value, cls):
        return value
    if isinstance(value, str):
        key = value.strip().upper().replace("-", "_").replace(" ", "_")
        if aliases and key in aliases:
            key = aliases[key]
        try:
            return cls[key]
        except KeyError:
            pass
    names = ", ".join(m.name for m in cls)
    raise UnknownNameError(
        f"is not {a(cls.__name__)}",
        field=field,
        value=value,
        constraint=f"one of {names}",
        hint=f"pass one of {names}",
    )


def validator(check: Any) -> Any:
    """Adapt a ``check(field, value)`` helper into an attrs validator."""

    def _validate(_instance: object, attribute: Any, value: Any) -> None:
        check(attribute.name, value)

    return _validate


def optional_validator(check: Any) -> Any:
    """Like :func:`validator` but lets ``None`` through."""

    def _validate(_instance: object, attribute: Any, value: Any) -> None:
        if value is not None:
            check(attribute.name, value)

    return _validate


def flag(field: str, value: Any) -> bool:
    """Return ``value`` if it is ``True`` or ``False``; refuse anything else (``1``, ``"yes"``, ``NotImplemented``).

    Examples:
        >>> flag("include_cycles", False)
        False
        >>> flag("include_cycles", NotImplemented)
        Traceback (most recent call last):
        ...
        postsale._errors.InvalidTypeError: include_cycles=NotImplemented: expected True or False; instead: pass a bool
    """
    if value is True or value is False:
        return value
    raise InvalidTypeError("expected True or False", field=field, value=value, hint="pass a bool")


def instance(field: str, value: Any, cls: type | tuple[type, ...], *, hint: str | None = None) -> Any:
    """Return ``value`` if it is an instance of ``cls``; otherwise raise InvalidTypeError naming the field."""
    if isinstance(value, cls):
        return value
    names = " or ".join(c.__name__ for c in (cls if isinstance(cls, tuple) else (cls,)))
    raise InvalidTypeError(
        f"expected {names}, got {type(value).__name__}", field=field, value=value, hint=hint or f"pass {a(names)}"
    )


def items(field: str, value: Any, cls: type | tuple[type, ...] | None = None) -> tuple[Any, ...]:
    """Return ``value`` (any iterable but a string, bytes or mapping) as a tuple, each item checked against ``cls``.

    Raises:
        InvalidTypeError: ``value`` is not a collection, or an item (named ``field[i]``) has the wrong type.
    """
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise InvalidTypeError(
            f"expected a collection, got {type(value).__name__}", field=field, value=value,
            hint="pass a list or tuple (an empty one is fine)",
        )
    result = tuple(value)
    if cls is not None:
        for index, item in enumerate(result):
            instance(f"{field}[{index}]", item, cls)
    return result


Check = Callable[[str, Any], Any]
"""A check ``(field, value) -> value`` such as :func:`number` or :func:`identifier`, returning the value to keep."""


def mapping(field: str, value: Any, *, key: Check | None = None, item: Check | None = None) -> FrozenDict[Any, Any]:
    """Return a checked, private, immutable copy of any mapping (a dict, a ``MappingProxyType``, a ``FrozenDict``).

    Each key goes through ``key(f"{field} key", k)`` and each value through ``item(f"{field}[k]", v)``; the copy holds
    what the checks return, so later changes to the caller's object never show through.

    Raises:
        InvalidTypeError: ``value`` is not a mapping (and whatever the checks raise).

    Examples:
        >>> from types import MappingProxyType
        >>> source = {"nps": 9}
        >>> frozen = mapping("signals", MappingProxyType(source), key=identifier, item=measure)
        >>> source["nps"] = float("nan")
        >>> type(frozen).__name__, frozen
        ('FrozenDict', {'nps': 9.0})
    """
    if not isinstance(value, Mapping):
        raise InvalidTypeError(
            f"expected a mapping, got {type(value).__name__}", field=field, value=value,
            hint="pass a dict (an empty one is fine)",
        )
    pairs = list(value.items())
    if key is identifier and item is measure and all(  # the hot path: names and float signals, checked inline
        type(k) is str and 0 < len(k) <= MAX_NAME_LENGTH and not k.isspace()
        and type(v) is float and -MAX_MAGNITUDE <= v <= MAX_MAGNITUDE for k, v in pairs
    ):
        if type(value) is FrozenDict:
            return value  # already immutable: sharing it is safe
        return FrozenDict(pairs) if pairs else EMPTY
    result: dict[Any, Any] = {}
    for name, raw in pairs:
        checked = name if key is None else key(f"{field} key", name)
        result[checked] = raw if item is None else item(f"{field}[{name!r}]", raw)
    return FrozenDict(result) if result else EMPTY
