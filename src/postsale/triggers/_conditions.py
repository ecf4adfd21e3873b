"""Composable trigger conditions: the combinators, and the one registry of condition kinds.

A condition is plain data (a frozen attrs value with a ``kind`` tag when serialized) and one decision class holding
both of its forms: :meth:`compile` turns it once into a plain Python closure ``predicate(snapshot, context) ->
bool`` (evaluating a rule is then a single call, with no tree walking, no string look-ups and no ``eval``), and
:meth:`expr` into a Boolean narwhals expression with no nulls that gives the same answer on every row of a frame.
``evidence`` re-reads the values when (and only when) a rule fired.

:data:`CONDITION_KINDS` is the one list of condition classes: the :data:`Condition` union, the ``kind`` tags of
plain data and the JSON Schema all derive from it. Adding a kind is writing its class (``@decision("compile")``,
a ``kind`` tag, ``compile``, ``expr``, ``evidence``, ``problems``, ``signal_names``, ``previous_names``) and
listing it there.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Collection
from typing import TYPE_CHECKING, Any, ClassVar, Final, Protocol, TypeAlias, Union

import attrs

from postsale import signals
from postsale._columnar import decision
from postsale._errors import DefinitionError, Problem
from postsale._repr import readable
from postsale._vocabulary import AccountSnapshot
from postsale.triggers._model import Context, Evidence
from postsale.triggers._moment_conditions import BandTransition, DaysInBand, DaysSince, DaysUntil
from postsale.triggers._read import ANY_SIGNAL, DERIVED, Predicate, columnar, inputs, read_signal, rule_name
from postsale.triggers._signal_conditions import PercentChange, Ratio, Threshold

if TYPE_CHECKING:  # pragma: no cover - typing only
    from narwhals.stable.v2 import Expr

    from postsale._columnar import Env

__all__ = [
    "BY_KIND",
    "CONDITION_KINDS",
    "AllOf",
    "AnyOf",
    "BandTransition",
    "Condition",
    "DaysInBand",
    "DaysSince",
    "DaysUntil",
    "Not",
    "PercentChange",
    "Predicate",
    "Ratio",
    "Threshold",
    "problems_of",
    "read_signal",
]


class ConditionForm(Protocol):
    """What every condition class provides (the static type of :data:`Condition`)."""

    kind: ClassVar[str]

    def compile(self, rule_id: str) -> Predicate:
        """The scalar form: a closure ``predicate(snapshot, context) -> bool``."""

    def expr(self, env: Env, rule_id: str) -> Expr:
        """The columnar form: a Boolean expression with no nulls, the scalar form's answer on every row."""

    def evidence(self, snapshot: AccountSnapshot, context: Context) -> list[Evidence]:
        """The values seen and the thresholds, for an alert."""

    def problems(self, path: str, known: Collection[str]) -> list[Problem]:
        """Every problem of the definition, with paths under ``path``."""

    def signal_names(self) -> set[str]:
        """The signal names read."""

    def previous_names(self) -> set[str]:
        """The signal names read from the previous snapshot."""


@decision("compile")
@attrs.frozen
class AllOf:
    """Holds when every one of its conditions holds (evaluated cheapest first, stopping at the first miss).

    Args:
        conditions: The conditions (at least one).

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> both = AllOf((Threshold("nps", "<=", 6), Threshold("support_tickets_week", ">=", 3))).compile("X")
        >>> both(AccountSnapshot("a", "SMB", date(2026, 1, 5), signals={"nps": 5, "support_tickets_week": 3}),
        ...      Context())
        True
    """

    __repr__ = readable
    kind: ClassVar[str] = "all"
    cost: ClassVar[int] = 3
    conditions: tuple[Condition, ...]

    def compile(self, rule_id: str) -> Predicate:
        """Return this condition as a closure."""
        rule_id = rule_name(rule_id)
        ordered = _cheap_first(_parts(self))
        parts = tuple(c.compile(rule_id) for c in ordered)
        if len(parts) == 1:
            return parts[0]
        if len(parts) == 2:
            a, b = parts
            fused = _fuse_and(ordered[0], b)
            if fused is not None:
                return fused
            return lambda s, c: a(s, c) and b(s, c)

        def all_of(s: AccountSnapshot, c: Context) -> bool:
            for p in parts:  # noqa: SIM110 - a loop is faster than a generator on this hot path
                if not p(s, c):
                    return False
            return True

        return all_of

    def expr(self, env: Env, rule_id: str) -> Expr:
        """Return this condition as a Boolean column: the AND of its parts' columns."""
        env = columnar(env, rule_id)
        result: Expr = functools.reduce(operator.and_, (c.expr(env, rule_id) for c in _parts(self)))
        return result

    def evidence(self, snapshot: AccountSnapshot, context: Context) -> list[Evidence]:
        """Return the evidence of every part."""
        inputs(snapshot, context)
        return [e for c in _parts(self) for e in c.evidence(snapshot, context)]

    def problems(self, path: str, known: Collection[str]) -> list[Problem]:
        """Return every problem of this condition, with paths under ``path``."""
        return _children(path, self.conditions, known)

    def signal_names(self) -> set[str]:
        """Return the signal names this condition reads."""
        return set().union(*(c.signal_names() for c in _parts(self)))

    def previous_names(self) -> set[str]:
        """Return the signal names this condition reads from the previous snapshot."""
        return set().union(*(c.previous_names() for c in _parts(self)))


@decision("compile")
@attrs.frozen
class AnyOf:
    """Holds when at least one of its conditions holds (stopping at the first hit).

    Args:
        conditions: The conditions (at least one).

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> either = AnyOf((Threshold("nps", "<=", 6), Threshold("support_tickets_week", ">=", 3))).compile("X")
        >>> either(AccountSnapshot("a", "SMB", date(2026, 1, 5), signals={"nps": 9}), Context())
        False
    """

    __repr__ = readable
    kind: ClassVar[str] = "any"
    cost: ClassVar[int] = 3
    conditions: tuple[Condition, ...]

    def compile(self, rule_id: str) -> Predicate:
        """Return this condition as a closure."""
        rule_id = rule_name(rule_id)
        parts = tuple(c.compile(rule_id) for c in _cheap_first(_parts(self)))
        if len(parts) == 1:
            return parts[0]
        if len(parts) == 2:
            a, b = parts
            return lambda s, c: a(s, c) or b(s, c)

        def any_of(s: AccountSnapshot, c: Context) -> bool:
            for p in parts:  # noqa: SIM110 - a loop is faster than a generator on this hot path
                if p(s, c):
                    return True
            return False

        return any_of

    def expr(self, env: Env, rule_id: str) -> Expr:
        """Return this condition as a Boolean column: the OR of its parts' columns."""
        env = columnar(env, rule_id)
        result: Expr = functools.reduce(operator.or_, (c.expr(env, rule_id) for c in _parts(self)))
        return result

    def evidence(self, snapshot: AccountSnapshot, context: Context) -> list[Evidence]:
        """Return the evidence of the parts that hold (of all parts when none holds alone, e.g. hysteresis)."""
        inputs(snapshot, context)
        rule = "explain"
        parts = _parts(self)
        held = [c for c in parts if c.compile(rule)(snapshot, context)] or list(parts)
        return [e for c in held for e in c.evidence(snapshot, context)]

    def problems(self, path: str, known: Collection[str]) -> list[Problem]:
        """Return every problem of this condition, with paths under ``path``."""
        return _children(path, self.conditions, known)

    def signal_names(self) -> set[str]:
        """Return the signal names this condition reads."""
        return set().union(*(c.signal_names() for c in _parts(self)))

    def previous_names(self) -> set[str]:
        """Return the signal names this condition reads from the previous snapshot."""
        return set().union(*(c.previous_names() for c in _parts(self)))


@decision("compile")
@attrs.frozen
class Not:
    """Holds when its condition does not hold (a missing signal makes the inner condition false, so ``Not`` true).

    Args:
        condition: The condition to negate.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> calm = Not(Threshold("support_tickets_week", ">=", 3)).compile("X")
        >>> calm(AccountSnapshot("a", "SMB", date(2026, 1, 5)), Context())
        True
    """

    __repr__ = readable
    kind: ClassVar[str] = "not"
    cost: ClassVar[int] = 3
    condition: Condition

    def compile(self, rule_id: str) -> Predicate:
        """Return this condition as a closure."""
        rule_id = rule_name(rule_id)
        inner = _inner(self).compile(rule_id)
        return lambda s, c: not inner(s, c)

    def expr(self, env: Env, rule_id: str) -> Expr:
        """Return this condition as a Boolean column: the negation of its part's column (which has no nulls)."""
        env = columnar(env, rule_id)
        result: Expr = ~_inner(self).expr(env, rule_id)
        return result

    def evidence(self, snapshot: AccountSnapshot, context: Context) -> list[Evidence]:
        """Return the evidence of the negated condition, marked as negated."""
        inputs(snapshot, context)
        return [attrs.evolve(e, op=f"not {e.op}") for e in _inner(self).evidence(snapshot, context)]

    def problems(self, path: str, known: Collection[str]) -> list[Problem]:
        """Return every problem of this condition, with paths under ``path``."""
        return problems_of(self.condition, f"{path}.condition", known)

    def signal_names(self) -> set[str]:
        """Return the signal names this condition reads."""
        return _inner(self).signal_names()

    def previous_names(self) -> set[str]:
        """Return the signal names this condition reads from the previous snapshot."""
        return _inner(self).previous_names()


# ---- the registry ---------------------------------------------------------------------------------------------


def registry(*classes: type[Any]) -> tuple[type[ConditionForm], ...]:
    """Return ``classes`` as a registry of condition kinds, after checking each is one.

    Raises:
        DefinitionError: a class is not an attrs class, is not marked ``@decision("compile")`` (so it lacks its
            scalar or columnar form), or has no ``kind`` tag or the tag of another class.
    """
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for cls in classes:
        name = getattr(cls, "__name__", repr(cls))
        if not (isinstance(cls, type) and attrs.has(cls)):
            problems.append(Problem(name, "is not an attrs class; declare it with @attrs.frozen"))
        if getattr(cls, "__postsale_decision__", None) != "compile":
            problems.append(Problem(name, "is not marked @decision('compile'): a condition has compile and expr"))
        kind = getattr(cls, "kind", None)
        if not isinstance(kind, str) or not kind.strip():
            problems.append(Problem(f"{name}.kind", f"must be a non-empty string class variable, got {kind!r}"))
        elif kind in seen:
            problems.append(Problem(f"{name}.kind", f"{kind!r} is already the kind of {seen[kind]}"))
        else:
            seen[kind] = name
    if problems:
        raise DefinitionError(
            "the condition kinds are invalid", problems, hint="give every condition class both forms and its own kind"
        )
    return classes


CONDITION_KINDS: Final = registry(
    Threshold, PercentChange, Ratio, BandTransition, DaysInBand, DaysUntil, DaysSince, AllOf, AnyOf, Not
)
"""Every condition class, once: the union, the ``kind`` tags of plain data and the JSON Schema derive from it."""

BY_KIND: Final[dict[str, type[ConditionForm]]] = {cls.kind: cls for cls in CONDITION_KINDS}
"""The condition class of each ``kind`` tag."""

if TYPE_CHECKING:
    Condition: TypeAlias = ConditionForm
else:
    Condition = Union[CONDITION_KINDS]  # noqa: UP007 - a union built from the registry
"""Any condition: a tagged union of :data:`CONDITION_KINDS` (``kind`` names the class in plain data)."""


def _cost(condition: Condition) -> int:
    cost: int = getattr(type(condition), "cost", 3)
    return cost


def _fuse_and(first: Condition, then: Predicate) -> Predicate | None:
    """Inline a plain ``>=`` / ``==`` threshold in front of the next test (one call less on the hot path)."""
    if not isinstance(first, Threshold) or first.release is not None or first.source != "current":
        return None
    name, t = first.signal, float(first.threshold)
    if name in DERIVED or name == signals.HEALTH_SCORE:
        return None
    if first.op == ">=":
        neg_inf = float("-inf")

        def ge_and(s: AccountSnapshot, c: Context) -> bool:
            return s.signals.get(name, neg_inf) >= t and then(s, c)

        return ge_and
    if first.op == "==":

        def eq_and(s: AccountSnapshot, c: Context) -> bool:
            return s.signals.get(name) == t and then(s, c)

        return eq_and
    return None


def _cheap_first(conditions: tuple[Condition, ...]) -> list[Condition]:
    """Order conditions cheapest first: they are pure, so all / any give the same answer in any order."""
    return sorted(conditions, key=_cost)


def problems_of(condition: object, path: str, known: Collection[str]) -> list[Problem]:
    """Return every problem of ``condition`` (any value) with paths under ``path``."""
    if not isinstance(condition, CONDITION_KINDS):
        return [Problem(path, f"not a condition: {type(condition).__name__}; use one of {', '.join(BY_KIND)}")]
    found: list[Problem] = condition.problems(path, known)
    return found


def _parts(combinator: AllOf | AnyOf) -> tuple[Condition, ...]:
    """The conditions of ``combinator``, once checked to be a non-empty tuple of conditions (fields of a condition
    built by hand are checked by its rule set, or here when it is used alone)."""
    parts = combinator.conditions
    if type(parts) is tuple and parts and all(isinstance(c, CONDITION_KINDS) for c in parts):
        return parts
    raise _invalid(combinator, _children("$", parts, ANY_SIGNAL))


def _inner(negation: Not) -> Condition:
    """The condition ``negation`` negates, once checked to be a condition."""
    if isinstance(negation.condition, CONDITION_KINDS):
        return negation.condition
    raise _invalid(negation, problems_of(negation.condition, "$.condition", ANY_SIGNAL))


def _invalid(condition: object, problems: list[Problem]) -> DefinitionError:
    return DefinitionError(
        f"the {type(condition).__name__} condition is invalid", problems,
        hint="combine conditions (Threshold, DaysUntil ...); a RuleSet lists every problem of its rules",
    )


def _children(path: str, conditions: object, known: Collection[str]) -> list[Problem]:
    if not isinstance(conditions, tuple) or not conditions:
        return [Problem(f"{path}.conditions", "must be a non-empty list of conditions")]
    return [p for i, c in enumerate(conditions) for p in problems_of(c, f"{path}.conditions[{i}]", known)]
