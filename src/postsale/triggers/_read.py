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
import sys
import types
import typing
from collections.abc import Callable, Collection, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final, Literal, Union

import attrs

from postsale import _checks, signals
from postsale._columnar import an_env
from postsale._errors import DefinitionError, InvalidTypeError, Problem
from postsale._vocabulary import AccountSnapshot, HealthBand, Segment
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


class _AnySignal(Collection[str]):
    """The signal names a condition checked alone may read: any name (its rule set declares the ones it knows)."""

    def __contains__(self, name: object) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


ANY_SIGNAL: Final = _AnySignal()


def names(condition: object, **fields: object) -> set[str]:
    """Return the signal names in ``fields`` (those a condition reads), once each is checked to be one.

    Raises:
        DefinitionError: a name is not a non-empty string (any such string passes: the rule set checks the names).
    """
    found = [p for field, name in fields.items() for p in check_signal(f"$.{field}", name, ANY_SIGNAL)]
    if found:
        raise DefinitionError(
            f"the {type(condition).__name__} condition is invalid", found,
            hint="name each signal it reads by a string (a RuleSet lists every problem of its rules with their paths)",
        )
    return {name for name in fields.values() if isinstance(name, str)}


def rule_name(rule_id: Any) -> str:
    """Return ``rule_id`` if it is a string (the rule a condition belongs to), else raise InvalidTypeError."""
    if type(rule_id) is str:
        return rule_id
    name: str = _checks.instance("rule_id", rule_id, str, hint="pass the id of the rule, e.g. 'H4'")
    return name


def columnar(env: Any, rule_id: Any) -> Env:
    """The checks of a condition's columnar form: ``env`` is an Env, ``rule_id`` a string.

    Raises:
        InvalidTypeError: ``env`` is not an :class:`~postsale._columnar.Env` or ``rule_id`` is not a string.
    """
    checked = an_env(env)
    rule_name(rule_id)
    return checked


def inputs(snapshot: Any, context: Any) -> None:
    """The checks of a condition's evidence: an :class:`~postsale.AccountSnapshot` and a
    :class:`~postsale.triggers.Context` (a type test each; the helpers only when one fails).

    Raises:
        InvalidTypeError: ``snapshot`` or ``context`` has another type.
    """
    if type(snapshot) is not AccountSnapshot:
        _checks.instance("snapshot", snapshot, AccountSnapshot, hint="pass the AccountSnapshot the rule fired on")
    if type(context) is not Context:
        _checks.instance("context", context, Context, hint="pass the Context the rule fired in (Context() for none)")


def check_signal(path: str, name: object, known: Collection[str]) -> list[Problem]:
    """Return the problem of a signal name: empty, not a string, or not a known signal (with the closest name)."""
    if isinstance(known, (str, bytes, bytearray, Mapping)) or not isinstance(known, Collection):
        raise InvalidTypeError(
            "expected a collection of signal names", field="known", value=known,
            hint="pass the rule set's known_signals",
        )
    if not isinstance(name, str) or not name.strip():
        return [Problem(path, f"signal name must be a non-empty string, got {_checks.shown(name)!r}")]
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
    if (
        isinstance(value, bool) or not isinstance(value, (int, float))
        or not (math.isfinite(value) if isinstance(value, float) else abs(value) <= _LARGEST_FLOAT)
    ):  # an int beyond the floats (10**400) is compared exactly: float() of it would overflow
        return [Problem(path, f"must be a finite number, got {_checks.shown(value)!r}")]
    if minimum is not None and value < minimum:
        return [Problem(path, f"must be >= {minimum:g}, got {value!r}")]
    if maximum is not None and value > maximum:
        return [Problem(path, f"must be <= {maximum:g}, got {value!r}")]
    return []


_LARGEST_FLOAT: Final = sys.float_info.max


def check_op(path: str, op: object) -> list[Problem]:
    """Return the problem of an unknown comparison (anything but one of the strings of :data:`OPS`)."""
    if not isinstance(op, str) or op not in OPS:
        return [Problem(path, f"unknown comparison {_checks.shown(op)!r}; use one of {', '.join(OPS)}")]
    return []


def check_days(path: str, value: object, *, minimum: int | None = None) -> list[Problem]:
    """Return the problem of a number of days: a whole number within :data:`~postsale._checks.MAX_COUNT` either
    way (and >= ``minimum``)."""
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > _checks.MAX_COUNT:
        bound, shown = f"{_checks.MAX_COUNT:,}", _checks.shown(value)
        return [Problem(path, f"must be a whole number of days (at most {bound} either way), got {shown!r}")]
    if minimum is not None and value < minimum:
        return [Problem(path, f"must be a whole number of days >= {minimum}, got {value!r}")]
    return []


def check_bands(path: str, bands: object) -> list[Problem]:
    """Return the problem of a list of bands that is empty or holds something else."""
    if not isinstance(bands, tuple) or not bands or not all(isinstance(b, HealthBand) for b in bands):
        return [Problem(path, "must be a non-empty list of health bands (RED, YELLOW, GREEN)")]
    return []


def check_segment_days(path: str, table: object, *, minimum: int | None = None) -> list[Problem]:
    """Return the problems of a table of days by segment: a mapping of :class:`~postsale.Segment` to a whole
    number of days (each >= ``minimum``)."""
    if not isinstance(table, Mapping):
        return [Problem(path, f"must be a mapping of segment to days, got {_checks.shown(table)!r}")]
    found: list[Problem] = []
    for key, value in table.items():
        if not isinstance(key, Segment):
            names = ", ".join(s.name for s in Segment)
            found.append(Problem(f"{path}[{_checks.shown(key)!r}]", f"must be a segment ({names})"))
        else:
            found += check_days(f"{path}[{key.name}]", value, minimum=minimum)
    return found


def fmt(value: float) -> str:
    """Return a number as evidence shows it (``3``, ``0.3``)."""
    return f"{value:g}"


def opt(value: float | None) -> str:
    """Return a number as evidence shows it, or ``missing``."""
    return "missing" if value is None else fmt(value)


# ---- checking a condition used alone -------------------------------------------------------------------------

FieldCheck = Callable[[str, Any], list[Problem]]
"""A check of one field of a condition: ``(path, value) -> problems``."""


def _literal(choices: tuple[Any, ...]) -> FieldCheck:
    def check(path: str, value: Any) -> list[Problem]:
        if isinstance(value, str) and value in choices:
            return []
        return [Problem(path, f"must be one of {', '.join(map(repr, choices))}, got {_checks.shown(value)!r}")]

    return check


def _optional(check: FieldCheck) -> FieldCheck:
    return lambda path, value: [] if value is None else check(path, value)


def check_band(path: str, value: Any) -> list[Problem]:
    return [] if isinstance(value, HealthBand) else [Problem(path, "must be RED, YELLOW or GREEN")]


_BY_TYPE: Final[dict[Any, FieldCheck]] = {
    str: lambda path, value: check_signal(path, value, ANY_SIGNAL),
    float: check_number,
    int: check_days,
    HealthBand: check_band,
    tuple[HealthBand, ...]: check_bands,
    Mapping[Segment, int]: check_segment_days,
}
"""The check of a field, by its declared type (the types the condition kinds use for their fields)."""


def _check_of(declared: Any) -> FieldCheck:
    origin, args = typing.get_origin(declared), typing.get_args(declared)
    if origin in (Union, types.UnionType) and len(args) == 2 and type(None) in args:
        return _optional(_check_of(next(a for a in args if a is not type(None))))
    if origin is Literal:
        return _literal(args)
    return _BY_TYPE.get(declared, lambda _path, _value: [])


@functools.cache
def _field_checks(cls: type) -> tuple[tuple[str, FieldCheck], ...]:
    """The checks of the fields of condition class ``cls``, from their declared types (computed once per class)."""
    declared = typing.get_type_hints(cls)
    return tuple((field.name, _check_of(declared[field.name])) for field in attrs.fields(cls))


def formed(condition: object) -> None:
    """Refuse a condition whose fields do not have their declared types (a condition built by hand: its rule set
    checks it, but a condition can be used alone, or in a rule outside a rule set).

    Only what the forms need is checked (a threshold is a finite number, a comparison one of :data:`OPS` ...), not
    what makes a sensible rule (a rule set checks that too): a drop of 200 % is computed, and never holds.

    Raises:
        DefinitionError: every field of the wrong type or beyond its range, with its path.
    """
    checks = _field_checks(type(condition))  # type: ignore[arg-type]  # a class is hashable
    found = [p for name, check in checks for p in check(f"$.{name}", getattr(condition, name))]
    if found:
        raise DefinitionError(
            f"the {type(condition).__name__} condition is invalid", found,
            hint="give each field the type it is documented with (a RuleSet lists every problem of its rules)",
        )
