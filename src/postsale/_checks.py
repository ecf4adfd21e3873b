"""Small validation helpers shared by every context (private).

Each helper raises a documented :class:`~postsale.PostsaleError` subclass naming the field, the
value, the rule and what to do instead. They are plain functions so hot paths can call them cheaply,
and attrs validators so value classes can use them declaratively.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import lru_cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from postsale._errors import (
    InvalidTypeError,
    InvalidValueError,
    NaiveDatetimeError,
    UnknownNameError,
)

E = TypeVar("E", bound=Enum)


def number(field: str, value: Any) -> float:
    """Return ``value`` as a finite float; refuse bools, strings, NaN and infinities."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise InvalidTypeError(
            "expected a number",
            field=field,
            value=value,
            hint="pass an int, float or Decimal (parse strings at the edge)",
        )
    result = float(value)
    if not math.isfinite(result):
        raise InvalidValueError(
            "is not a finite number",
            field=field,
            value=value,
            constraint="must be finite (no NaN or infinity)",
            hint="drop the signal or pass a real measurement",
        )
    return result


def non_negative(field: str, value: Any) -> float:
    """Return ``value`` as a finite float >= 0."""
    result = number(field, value)
    if result < 0:
        raise InvalidValueError(
            "is negative", field=field, value=value, constraint="must be >= 0", hint="pass a value >= 0"
        )
    return result


def count(field: str, value: Any) -> int:
    """Return ``value`` as an int >= 0; refuse bools and floats."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError("expected a whole number", field=field, value=value, hint="pass an int")
    if value < 0:
        raise InvalidValueError(
            "is negative", field=field, value=value, constraint="must be >= 0", hint="pass a count >= 0"
        )
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


def money(field: str, value: Any, *, allow_negative: bool = False) -> Decimal:
    """Return ``value`` as an exact :class:`~decimal.Decimal` amount.

    Money in ``postsale`` is ``Decimal`` (see docs/decisions.md). Ints, Decimals and decimal strings
    are exact; floats are accepted through their shortest ``repr`` (``0.1`` → ``Decimal("0.1")``).
    """
    if isinstance(value, bool):
        raise InvalidTypeError("expected an amount of money", field=field, value=value, hint="pass a Decimal or int")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
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
    if result < 0 and not allow_negative:
        raise InvalidValueError(
            "is negative", field=field, value=value, constraint="must be >= 0", hint="pass an amount >= 0"
        )
    return result


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


def text(field: str, value: Any) -> str:
    """Return ``value`` if it is a non-blank string."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError("must be a non-empty string", field=field, value=value, hint="pass a name or id")
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
    return ZoneInfo(name)


def time_zone(field: str, value: Any) -> ZoneInfo:
    """Return the :class:`~zoneinfo.ZoneInfo` for an IANA name such as ``"Asia/Tokyo"``."""
    if not isinstance(value, str):
        raise InvalidTypeError("expected an IANA time-zone name", field=field, value=value, hint='e.g. "Asia/Tokyo"')
    try:
        return _zone(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise UnknownNameError(
            "is not a known IANA time zone",
            field=field,
            value=value,
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
        f"is not a {cls.__name__}",
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


def instance(field: str, value: Any, cls: type | tuple[type, ...], *, hint: str | None = None) -> Any:
    """Return ``value`` if it is an instance of ``cls``; otherwise raise InvalidTypeError naming the field."""
    if isinstance(value, cls):
        return value
    names = " or ".join(c.__name__ for c in (cls if isinstance(cls, tuple) else (cls,)))
    raise InvalidTypeError(
        f"expected {names}, got {type(value).__name__}", field=field, value=value, hint=hint or f"pass a {names}"
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
