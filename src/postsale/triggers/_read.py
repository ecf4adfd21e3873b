"""What every condition shares: reading a signal in both forms, comparing, and checking a definition.

The scalar form reads a signal from the snapshot and the :class:`~postsale.triggers.Context` (:func:`getter`); the
columnar form reads the same signal from the normalised frame through an :class:`~postsale._columnar.Env`
(:func:`column`). The two readers are written side by side so they map every name to the same value:

* a signal now (``nps``): ``snapshot.signals["nps"]`` / ``env.column("nps")``;
* a derived signal (``seat_utilisation``, ``acv``, ``seats_active``, ``seats_purchased``, ``days_to_renewal``,
  ``days_since_start``): computed from the snapshot's fields / ``env.column(name)`` (the entry point adds them);
* ``health_score``: ``context.score`` (the health model's score) / ``env.health()``;
* a signal at the previous evaluation: ``context.previous[name]`` / ``env.previous(name)`` (null when absent).
"""

from __future__ import annotations

import difflib
import functools
import math
import operator
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING, Any, Final, Literal

from postsale import signals
from postsale._errors import InvalidTypeError, Problem
from postsale._vocabulary import AccountSnapshot, HealthBand
from postsale.triggers._model import Context

if TYPE_CHECKING:  # pragma: no cover - typing only
    from narwhals.stable.v2 import Expr

    from postsale._columnar import Env

__all__ = [
    "DERIVED",
    "OPS",
    "DateField",
    "Op",
    "Predicate",
    "Source",
    "column",
    "compare",
    "getter",
    "read_signal",
]

Predicate = Callable[[AccountSnapshot, Context], bool]
"""A compiled condition: ``predicate(snapshot, context) -> bool``."""

Op = Literal[">=", ">", "<=", "<", "==", "!="]
DateField = Literal["contract_start", "contract_end"]
Source = Literal["current", "previous"]

OPS: Final[dict[str, Callable[[Any, Any], Any]]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}
"""The comparisons, as functions that work on floats (scalar form) and on expressions (columnar form) alike."""

DERIVED: Final = frozenset(
    {
        signals.ACV,
        signals.SEATS_PURCHASED,
        signals.SEATS_ACTIVE,
        signals.SEAT_UTILISATION,
        signals.DAYS_TO_RENEWAL,
        signals.DAYS_SINCE_START,
    }
)
"""Signal names read from the snapshot's fields rather than its ``signals`` (columns of the frame alike)."""


# ---- reading a signal: scalar and columnar side by side -------------------------------------------------------


def getter(name: str, source: Source = "current") -> Callable[[AccountSnapshot, Context], float | None]:
    """Return a function reading signal ``name`` from the snapshot (or the previous values): the scalar reader."""
    if source == "previous":

        def previous(_s: AccountSnapshot, c: Context) -> float | None:
            return c.previous.get(name)

        return previous
    if name == signals.HEALTH_SCORE:
        return lambda _s, c: c.score
    if name == signals.SEAT_UTILISATION:
        return lambda s, _c: s.seats_active / s.seats_purchased if s.seats_purchased else None
    if name == signals.SEATS_ACTIVE:
        return lambda s, _c: float(s.seats_active)
    if name == signals.SEATS_PURCHASED:
        return lambda s, _c: float(s.seats_purchased)
    if name == signals.ACV:
        return lambda s, _c: float(s.acv)
    if name == signals.DAYS_TO_RENEWAL:
        return lambda s, _c: None if s.contract_end is None else float((s.contract_end - s.as_of).days)
    if name == signals.DAYS_SINCE_START:
        return lambda s, _c: None if s.contract_start is None else float((s.as_of - s.contract_start).days)

    def plain(s: AccountSnapshot, _c: Context) -> float | None:
        return s.signals.get(name)

    return plain


def column(env: Env, name: str, source: Source = "current") -> Expr:
    """Return signal ``name`` as a column (null where absent): the columnar reader, the twin of :func:`getter`."""
    if source == "previous":
        return env.previous(name)
    if name == signals.HEALTH_SCORE:
        return env.health()
    return env.column(name)


def read_signal(name: str, snapshot: AccountSnapshot, context: Context) -> float | None:
    """Return the value of signal ``name`` as conditions see it (derived names and the model score included)."""
    return getter(name)(snapshot, context)


def compare(value: Expr, op: str, threshold: float | str) -> Expr:
    """Return ``value <op> threshold`` as a Boolean column, false where the value is null (a missing signal).

    Null compares as null on Polars, PyArrow and DuckDB (filled with false), but as NaN on pandas, where ``NaN !=
    x`` is true: ``!=`` also asks for a value.
    """
    hit = OPS[op](value, threshold)
    if op == "!=":
        hit = hit & ~value.is_null()
    result: Expr = hit.fill_null(False)
    return result


def among(bands: Expr, members: Collection[HealthBand]) -> Expr:
    """Return whether a column of band names holds one of ``members`` (false where null: no band)."""
    # Equalities rather than is_in: on Polars string columns they are several times faster.
    result: Expr = functools.reduce(operator.or_, (bands == b.name for b in members)).fill_null(False)
    return result


# ---- checking a definition --------------------------------------------------------------------------------------


def check_signal(path: str, name: object, known: Collection[str]) -> list[Problem]:
    """Return the problem of a signal name: empty, not a string, or not a known signal (with the closest name)."""
    if isinstance(known, (str, bytes, bytearray, Mapping)) or not isinstance(known, Collection):
        raise InvalidTypeError(
            "expected a collection of signal names", field="known", value=known,
            hint="pass the rule set's known_signals",
        )
    if not isinstance(name, str) or not name.strip():
        return [Problem(path, f"signal name must be a non-empty string, got {name!r}")]
    if name in known:
        return []
    close = difflib.get_close_matches(name, sorted(k for k in known if isinstance(k, str)), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    message = f"unknown signal {name!r}; {hint}use a postsale.signals name or declare it in custom_signals"
    return [Problem(path, message)]


def check_number(
    path: str, value: object, *, minimum: float | None = None, maximum: float | None = None
) -> list[Problem]:
    """Return the problem of a number that must be finite (and within ``minimum`` .. ``maximum``)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return [Problem(path, f"must be a finite number, got {value!r}")]
    if minimum is not None and value < minimum:
        return [Problem(path, f"must be >= {minimum:g}, got {value!r}")]
    if maximum is not None and value > maximum:
        return [Problem(path, f"must be <= {maximum:g}, got {value!r}")]
    return []


def check_op(path: str, op: object) -> list[Problem]:
    """Return the problem of an unknown comparison."""
    if op not in OPS:
        return [Problem(path, f"unknown comparison {op!r}; use one of {', '.join(OPS)}")]
    return []


def check_bands(path: str, bands: object) -> list[Problem]:
    """Return the problem of a list of bands that is empty or holds something else."""
    if not isinstance(bands, tuple) or not bands or not all(isinstance(b, HealthBand) for b in bands):
        return [Problem(path, "must be a non-empty list of health bands (RED, YELLOW, GREEN)")]
    return []


def fmt(value: float) -> str:
    """Return a number as evidence shows it (``3``, ``0.3``)."""
    return f"{value:g}"


def opt(value: float | None) -> str:
    """Return a number as evidence shows it, or ``missing``."""
    return "missing" if value is None else fmt(value)
