"""Collect every problem of a definition before raising (private helper)."""

from __future__ import annotations

import math
from typing import Any

from postsale import _checks
from postsale._errors import DefinitionError, Problem

_LARGEST = 10**15
"""Largest whole number a definition takes (beyond it a float would lose it, or overflow)."""


class Problems:
    """A list of :class:`~postsale.Problem` found while validating one definition."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        """Record that ``path`` is wrong because of ``message``."""
        self.items.append(Problem(path=path, message=message))

    def number(self, path: str, value: Any, *, low: float | None = None, high: float | None = None) -> bool:
        """Check that ``value`` is a finite number within ``[low, high]``; return whether it is."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.add(path, f"expected a number, got {value!r}")
            return False
        if isinstance(value, int) and abs(value) > _LARGEST:
            self.add(path, f"{value!r} is too large; pass a number within ±1e15")
            return False
        if not math.isfinite(value):
            self.add(path, f"{value!r} is not a finite number; pass a real number")
            return False
        if low is not None and value < low:
            self.add(path, f"{value!r} is below {low:g}; pass a value in [{_end(low, '-inf')}, {_end(high, 'inf')}]")
            return False
        if high is not None and value > high:
            self.add(path, f"{value!r} is above {high:g}; pass a value in [{_end(low, '-inf')}, {_end(high, 'inf')}]")
            return False
        return True

    def positive(self, path: str, value: Any) -> bool:
        """Check that ``value`` is a finite number > 0."""
        if not self.number(path, value):
            return False
        if value <= 0:
            self.add(path, f"{value!r} is not positive; weights must be > 0 (remove the component instead of 0)")
            return False
        return True

    def text(self, path: str, value: Any) -> None:
        """Check that ``value`` is a non-blank string."""
        if not isinstance(value, str) or not value.strip():
            self.add(path, f"expected a non-empty name, got {value!r}")

    def raise_if_any(self, what: str, hint: str) -> None:
        """Raise :class:`~postsale.DefinitionError` listing every problem, if any were found."""
        if self.items:
            raise DefinitionError(f"{what} is invalid", self.items, hint=hint)


def _end(value: float | None, unbounded: str) -> str:
    return unbounded if value is None else f"{value:g}"



def of_type(cls: type | tuple[type, ...], *, optional: bool = False) -> Any:
    """An attrs validator: the field holds an instance of ``cls`` (or ``None`` when ``optional``)."""

    def check(field: str, value: Any) -> None:
        if not (optional and value is None):
            _checks.instance(field, value, cls)

    return _checks.validator(check)


def a_number(*, optional: bool = False) -> Any:
    """An attrs validator: a finite number (or ``None`` when ``optional``); bools are refused."""
    return (_checks.optional_validator if optional else _checks.validator)(_checks.number)
