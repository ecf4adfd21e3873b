"""Guards compiled for the journey's hot path (private).

A definition's criteria are turned, once, into a 7 × 7 table of edges: for each forward move, the kind,
the signal names read, one C-level getter for their values and one closure checking them.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from postsale._repr import readable
from postsale._vocabulary import Stage
from postsale.journey._criteria import Criterion
from postsale.journey._kinds import OPERATORS, Cause, CauseCategory, Comparison, TransitionKind

GuardCheck = Callable[[tuple[float, ...]], bool]
Getter = Callable[[Mapping[str, float]], tuple[float, ...]]


def _getter(signal_names: tuple[str, ...]) -> Getter:
    """Read the guard's signals in one C call (raises KeyError when one is absent)."""
    if len(signal_names) == 1:
        (only,) = signal_names
        return lambda evidence: (evidence[only],)
    getter: Getter = operator.itemgetter(*signal_names)
    return getter


def _ordered(criteria: tuple[Criterion, ...]) -> tuple[Criterion, ...]:
    """Criteria grouped by (comparison, threshold), so one ``min``/``max`` call checks each group."""
    return tuple(sorted(criteria, key=lambda c: (c.op.value, c.threshold)))


def _check(criteria: tuple[Criterion, ...]) -> GuardCheck:
    """Compile criteria (in :func:`_ordered` order) into one closure over the values read.

    The values arrive in the same order; each run of equal (comparison, threshold) is checked with a
    single C-level ``min`` (for >=, >) or ``max`` (for <=, <), which keeps the journey's hot path short.
    """
    groups: list[tuple[Callable[..., float], Callable[[float, float], bool], float, int, int]] = []
    start = 0
    for i in range(1, len(criteria) + 1):
        key = (criteria[start].op, criteria[start].threshold)
        if i == len(criteria) or (criteria[i].op, criteria[i].threshold) != key:
            c = criteria[start]
            fold: Callable[..., float] = max if c.op in (Comparison.LE, Comparison.LT) else min
            groups.append((fold, OPERATORS[c.op], c.threshold, start, i))
            start = i
    if len(groups) == 1 and groups[0][1] is not operator.eq:
        fold, op, threshold, _, _ = groups[0]
        return lambda values: op(fold(values), threshold)

    def check(values: tuple[float, ...]) -> bool:
        for fold, op, threshold, lo, hi in groups:
            if op is operator.eq:
                if any(v != threshold for v in values[lo:hi]):
                    return False
            elif not op(fold(values[lo:hi]), threshold):
                return False
        return True

    return check


@attrs.frozen(eq=False)
class Compiled:
    """A definition's guards, ready for :meth:`Journey.move <postsale.journey.Journey.move>` (private)."""

    __repr__ = readable
    guards: Mapping[tuple[int, int], tuple[Criterion, ...]]
    signal_names: Mapping[tuple[int, int], tuple[str, ...]]
    getters: Mapping[tuple[int, int], Getter]
    checks: Mapping[tuple[int, int], GuardCheck]
    kinds: Mapping[tuple[int, int], TransitionKind]
    edges: list[list[Any]]
    """edges[from][to] = (kind, signal names, getter or None, check or None, criteria) for forward moves."""
    categories: Mapping[Cause, CauseCategory]
    backward_causes: tuple[str, ...]


def compile_guards(
    exit_criteria: Mapping[Stage, tuple[Criterion, ...]],
    entry_criteria: Mapping[Stage, tuple[Criterion, ...]],
    cause_categories: Mapping[Cause, CauseCategory],
) -> Compiled:
    """Compile the guards of every forward move (and of every track opening, keyed ``(0, stage)``)."""
    guards: dict[tuple[int, int], tuple[Criterion, ...]] = {}
    kinds: dict[tuple[int, int], TransitionKind] = {}
    for a in Stage:
        for b in Stage:
            if b > a:
                crossed: list[Criterion] = []
                for s in Stage:
                    if a <= s < b:
                        crossed.extend(exit_criteria.get(s, ()))
                crossed.extend(entry_criteria.get(b, ()))
                guards[(a, b)] = tuple(crossed)
                kinds[(a, b)] = TransitionKind.FORWARD if b == a + 1 else TransitionKind.SKIP
        guards[(0, a)] = tuple(entry_criteria.get(a, ()))
    guards = {key: value for key, value in guards.items() if value}
    ordered = {key: _ordered(value) for key, value in guards.items()}
    names = {key: tuple(c.signal for c in value) for key, value in ordered.items()}
    getters = {key: _getter(value) for key, value in names.items()}
    checks = {key: _check(value) for key, value in ordered.items()}
    backward = tuple(c.name for c, cat in cause_categories.items() if cat is not CauseCategory.PROGRESS)
    edges: list[list[Any]] = [[None] * 7 for _ in range(7)]
    for key, kind in kinds.items():
        edges[key[0]][key[1]] = (kind, names.get(key, ()), getters.get(key), checks.get(key), guards.get(key, ()))
    return Compiled(guards, names, getters, checks, kinds, edges, dict(cause_categories), backward)
