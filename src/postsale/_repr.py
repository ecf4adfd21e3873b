"""The plain-text ``repr`` every value has: one readable line, bounded however large the value is.

attrs' own ``repr`` writes every field in full, so one account's review printed in a terminal, a log or a
debugger ran to several kilobytes of ``<Segment.ENTERPRISE: 'enterprise'>`` and ``datetime.date(2026, 12, 4)``.
:func:`readable` (each value class sets ``__repr__ = readable``) writes instead:

* the class and the fields whose value differs from the field's default, in declaration order;
* enum members as ``Segment.ENTERPRISE``, dates and times in ISO 8601, money and other decimals as written;
* values nested more than one level down as ``HealthScore(...)``, long collections as their first items and
  ``...``, long text cut with its length (``reprlib`` does the bounding).

The full content stays one call away: :func:`postsale.to_data` / :func:`postsale.to_json`, or ``explain()``.

Examples:
    >>> from datetime import date
    >>> from postsale import AccountSnapshot
    >>> AccountSnapshot("acme", "ENTERPRISE", date(2026, 12, 4), acv=120_000, signals={"nps": 9})
    AccountSnapshot(account_id='acme', segment=Segment.ENTERPRISE, as_of=2026-12-04, acv=120000, signals={'nps': 9.0})
"""

from __future__ import annotations

import enum
import reprlib
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import attrs

__all__ = ["readable"]

_NESTING = 1
"""Levels of nested values written out in full; deeper ones read ``ClassName(...)``."""


class _Readable(reprlib.Repr):
    def __init__(self) -> None:
        super().__init__()  # the limits are attributes (keywords only from Python 3.12)
        self.maxlevel = _NESTING + 1
        self.maxtuple = self.maxlist = self.maxset = self.maxfrozenset = 4
        self.maxdict = 6
        self.maxstring = self.maxother = 80

    def repr1(self, x: Any, level: int) -> str:
        if isinstance(x, enum.Enum):
            return f"{type(x).__name__}.{x.name}"
        if isinstance(x, bool) or x is None:
            return repr(x)
        if isinstance(x, (date, time)):  # datetime is a date
            return x.isoformat(timespec="minutes") if isinstance(x, datetime) else x.isoformat()
        if isinstance(x, Decimal):
            return str(x) if x.is_finite() else repr(x)
        if attrs.has(type(x)) and getattr(type(x), "__repr__", None) is readable:
            return self._value(x, level)
        if level <= 0 and isinstance(x, (tuple, list, dict, frozenset, set)) and x:
            return _counted(x)
        if isinstance(x, dict) and type(x) is not dict:
            return super().repr1(dict(x), level)  # FrozenDict prints as the dict it compares equal to
        return super().repr1(x, level)

    def repr_str(self, x: str, level: int) -> str:
        if len(x) <= self.maxstring:
            return repr(x)
        return repr(x[: self.maxstring - 1]) + f"...({len(x)} characters)"

    def _value(self, value: Any, level: int) -> str:
        name = type(value).__name__
        if level <= 0:
            return f"{name}(...)"
        shown = []
        for field in attrs.fields(type(value)):
            if not field.repr or field.name.startswith("_"):
                continue
            item = getattr(value, field.name)
            if _is_default(field, item):
                continue
            shown.append(f"{field.alias or field.name}={self.repr1(item, level - 1)}")
        return f"{name}({', '.join(shown)})"


def _counted(items: tuple[Any, ...] | list[Any] | dict[Any, Any] | frozenset[Any] | set[Any]) -> str:
    count = f"... {len(items)} item{'s' if len(items) != 1 else ''}"
    if isinstance(items, dict):
        return f"{{{count}}}"
    if isinstance(items, (frozenset, set)):
        return f"{type(items).__name__}({{{count}}})"
    return f"[{count}]" if isinstance(items, list) else f"({count})"


def _is_default(field: Any, item: Any) -> bool:
    default = field.default
    if default is attrs.NOTHING:
        return False
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        if default.takes_self:
            return False
        default = default.factory()
    if item is default:
        return True
    if isinstance(item, bool) is not isinstance(default, bool):
        return False  # 0 is not False
    try:
        return bool(item == default)
    except Exception:
        return False


_READABLE = _Readable()


def readable(self: Any) -> str:
    """``repr`` of a postsale value: the fields that differ from their defaults, bounded (see the module)."""
    return _READABLE.repr1(self, _NESTING + 1)
