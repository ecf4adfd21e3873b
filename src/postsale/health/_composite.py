"""Composite components: one component of a health model made of several weighted signals (its parts).

A composite's points are the weighted mean of its parts' points, computed exactly as a model's score is the
weighted mean of its components: a part without fresh data is excluded and its weight shared among the other parts
(or penalised, per its own policy). The scalar form (``treat``) and the columnar form (``expr``) sit side by side
and run the same floating-point operations in the same order, so they agree to the last bit.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable, Mapping, Sequence
from functools import reduce
from typing import TYPE_CHECKING, Any

import attrs

from postsale import _checks
from postsale._columnar import Env, decision
from postsale._errors import UnknownNameError
from postsale._repr import readable
from postsale.health._bands import DEFAULT_BAND_POLICY, BandPolicy
from postsale.health._component import (
    PULSE,
    Component,
    MissingData,
    _component_problems,
    _missing_problems,
    enter,
    read_and_treat,
)
from postsale.health._problems import Problems
from postsale.health._scoring import MAX_POINTS, MIN_POINTS
from postsale.health._treatment import Freshness, PartResult, Treatment

if TYPE_CHECKING:  # pragma: no cover - typing only
    from narwhals.stable.v2 import Expr

__all__ = ["Composite"]


def _sum(terms: Sequence[Any]) -> Any:
    """Add ``terms`` (floats, or expressions) left to right, in the order given (the components' order).

    Written once for both forms, so the scalar score and the columnar score run the very same floating-point
    additions in the same order and agree to the last bit (a term of 0.0 for a component without points changes
    nothing). Not ``sum()``: from Python 3.12 it compensates float rounding, which expressions do not.
    """
    return reduce(operator.add, terms)


def weighted_mean(weights: Sequence[float], points: Sequence[float | None]) -> float | None:
    """The weighted mean of ``points`` (``None``: excluded, its weight shared by the others), kept within 0-100;
    ``None`` when nothing has points. The one scalar formula of a composite's points and of a model's value."""
    total = _sum([0.0 if p is None else w for w, p in zip(weights, points, strict=True)])
    if total == 0:
        return None
    mean: float = _sum([0.0 if p is None else w * p for w, p in zip(weights, points, strict=True)]) * _reciprocal(total)
    return min(MAX_POINTS, max(MIN_POINTS, mean))


def _reciprocal(total: Any) -> Any:
    """``1 / total`` (a float, or an expression): the weighted mean multiplies by it rather than dividing.

    Polars divides a column by a number (a literal, or a column that is one value broadcast) as a multiplication
    by the number's reciprocal, which can differ from a true division in the last bit; ``1 / total`` followed by
    one multiplication is the same arithmetic on every engine and in Python.
    """
    return 1.0 / total


def _part_tuple(value: Iterable[Component]) -> tuple[Component, ...]:
    return _checks.items("parts", value)  # bad items are reported with every other problem (DefinitionError)


Treated = tuple[Freshness, Treatment, float | None, tuple[PartResult, ...]]
"""What :meth:`Composite.treat` returns: the composite's freshness, treatment, points and its parts' results."""


@decision("treat")
@attrs.frozen
class Composite:
    """A component of a health model made of several weighted signals (its parts), such as usage = seat
    utilisation, logins trend and feature breadth.

    Each part is a :class:`Component` (a signal, its scoring, its weight inside the composite and its own
    missing-data policy). The composite's points are the weighted mean of the parts that have points: a missing
    or stale part is excluded and its weight shared among the others (or penalised, per part), as components are
    in a model. When no part has points, the composite has no data: its own ``missing`` policy excludes it from
    the score (the default) or penalises it.

    Args:
        name: The component's name, unique in its model.
        parts: Its parts (one-signal components; their names unique in the composite), in display order.
        weight: Its weight in the model, > 0 (relative, as a component's).
        missing: What to do when no part has points: EXCLUDE (default) or PENALISE. Staleness belongs to the
            parts, so ``stale_after_days`` must be left unset.

    Raises:
        DefinitionError: every problem at once, with paths (``parts[1].weight``): no parts, a part that is not
            a Component, duplicate part names, a staleness window on the composite itself.

    Examples:
        >>> from postsale.health import Bands, Linear
        >>> usage = Composite("usage", (
        ...     Component("seats", "seat_utilisation", Bands.thresholds(below=15, at_least=[(0.7, 100)]), weight=2),
        ...     Component("breadth", "distinct_features_used", Linear(slope=10), weight=1),
        ... ), weight=0.4)
        >>> freshness, treatment, points, parts = usage.treat({"seat_utilisation": 0.8, "distinct_features_used": 4})
        >>> treatment.name, round(points, 2), [(p.name, p.points, round(p.share, 3)) for p in parts]
        ('SCORED', 80.0, [('seats', 100.0, 0.667), ('breadth', 40.0, 0.333)])
        >>> usage.treat({"seat_utilisation": 0.5})[2]            # breadth missing: its weight goes to seats
        15.0
        >>> usage.treat({})[:3]                                  # no part has data: the composite is left out
        (<Freshness.MISSING: 'missing'>, <Treatment.EXCLUDED: 'excluded'>, None)

        The same over a column:

        >>> import narwhals.stable.v2 as nw
        >>> from datetime import date
        >>> env = Env(["seat_utilisation", "distinct_features_used"], as_of=date(2026, 1, 1))
        >>> frame = nw.from_dict({"seat_utilisation": [0.8, 0.5, None], "distinct_features_used": [4.0, None, None]},
        ...                      backend="polars")
        >>> [None if p is None else round(p, 2) for p in frame.select(usage.expr(env).alias("usage"))["usage"]]
        [80.0, 15.0, None]
        >>> frame.select(bad=usage.invalid(env), scored=usage.scored(env), **usage.part_exprs(env)).row(1)
        (False, True, 15.0, None)
    """

    __repr__ = readable
    name: str
    parts: tuple[Component, ...] = attrs.field(converter=_part_tuple)
    weight: float
    missing: MissingData = attrs.field(factory=MissingData, kw_only=True)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _composite_problems(self, "", problems)
        problems.raise_if_any(f"composite component {self.name!r}", "fix the fields listed")

    @property
    def signals(self) -> tuple[str, ...]:
        """The signals its parts read (baselines of trends included), in part order, each once."""
        return tuple(dict.fromkeys(signal for part in self.parts for signal in part.signals))

    @property
    def signal(self) -> str:
        """What it reads, in words: its parts' quantities joined with ``+`` (a score's ``signal`` for it)."""
        return "+".join(part.quantity for part in self.parts)

    def part(self, name: str) -> Component:
        """Return the part called ``name``.

        Raises:
            UnknownNameError: no such part.
        """
        for part in self.parts:
            if part.name == name:
                return part
        known = ", ".join(p.name for p in self.parts)
        raise UnknownNameError(
            f"is not a part of {self.name!r}", field="name", value=name, constraint=f"one of {known}",
            hint=f"pass one of {known}",
        )

    # ---- scalar form ---------------------------------------------------------------------------------------
    def treat(
        self,
        evidence: Mapping[str, float],
        *,
        ages: Mapping[str, float] | None = None,
        bands: BandPolicy = DEFAULT_BAND_POLICY,
    ) -> Treated:
        """Return how the composite enters a score from ``evidence`` (a snapshot's signals, by name): its
        freshness (FRESH when any part is), its treatment, its points (``None`` when excluded) and each part's
        result (``bands`` gives the parts' bands).

        Args:
            evidence: The signals, by name (``snapshot.evidence()``).
            ages: The age in days of each signal, by name (unknown: fresh).
            bands: The model's band policy.

        Raises:
            InvalidValueError: a fresh value a part's scoring refuses.
        """
        _checks.instance("evidence", evidence, Mapping, hint="pass the snapshot's evidence(), a dict of signals")
        ages = {} if ages is None else _checks.instance("ages", ages, Mapping, hint="pass ages in days by signal")
        _checks.instance("bands", bands, BandPolicy, hint="pass the model's band policy")
        entries = [enter(part, evidence, ages.get(part.signal)) for part in self.parts]
        mean = weighted_mean([part.weight for part in self.parts], [e[3] for e in entries])
        total = _sum([0.0 if e[3] is None else part.weight for part, e in zip(self.parts, entries, strict=True)])
        parts: list[PartResult] = []
        for part, (raw, freshness, treatment, points, rule) in zip(self.parts, entries, strict=True):
            share = 0.0 if points is None else part.weight / total
            parts.append(PartResult(
                name=part.name, signal=part.quantity, input=raw, age_days=ages.get(part.signal),
                freshness=freshness, treatment=treatment, points=points, weight=part.weight, share=share,
                contribution=0.0 if points is None else share * points,
                band=None if points is None else bands.band(points), rule=rule,
            ))
        found = {p.freshness for p in parts}
        freshness = next((f for f in (Freshness.FRESH, Freshness.STALE) if f in found), Freshness.MISSING)
        if mean is None:
            absent = self.missing.absent_points
            return freshness, Treatment.EXCLUDED if absent is None else Treatment.PENALISED, absent, tuple(parts)
        scored = any(p.treatment is Treatment.SCORED for p in parts)
        return freshness, Treatment.SCORED if scored else Treatment.PENALISED, mean, tuple(parts)

    # ---- columnar form -------------------------------------------------------------------------------------
    def expr(self, env: Env) -> Expr:
        """Return the composite's points on each row (Float64; null = excluded): the columnar form of
        :meth:`treat`'s points. A value a part's scoring refuses has null points (see :meth:`invalid`)."""
        return self._forms(env)[2]

    def invalid(self, env: Env) -> Expr:
        """Return where :meth:`treat` raises (Boolean, never null): a fresh value a part's scoring refuses."""
        return reduce(operator.or_, (part.invalid(env) for part in self.parts))

    def scored(self, env: Env) -> Expr:
        """Return where :meth:`treat` gives SCORED (Boolean, never null): some part has fresh data."""
        return reduce(operator.or_, (part._forms(env)[0] for part in self.parts))

    def part_exprs(self, env: Env) -> dict[str, Expr]:
        """Return each part's points (Float64; null = excluded) by part name: :attr:`PartResult.points`."""
        return {part.name: part.expr(env) for part in self.parts}

    def _forms(self, env: Env) -> tuple[Expr, None, Expr]:
        """Return (whether it has points before its own missing-data policy, nothing, points) as expressions."""
        _checks.instance("env", env, Env, hint="columnar forms are built by the frame adapter's Env")
        nw = env.nw
        zero = nw.lit(0.0, nw.Float64)
        weights: list[Expr] = []
        products: list[Expr] = []
        for part in self.parts:
            fresh, _, points = part._forms(env)
            weight = nw.lit(part.weight, nw.Float64)
            weights.append(weight if part.missing.absent_points is not None else
                           nw.when(fresh).then(weight).otherwise(zero))
            products.append((points * part.weight).fill_null(0.0))
        total = _sum(weights)
        has_points: Expr = total > 0
        blend = (_sum(products) * _reciprocal(total)).clip(MIN_POINTS, MAX_POINTS)
        absent = nw.lit(self.missing.absent_points, nw.Float64)
        points_: Expr = nw.when(has_points).then(blend).otherwise(absent)
        return has_points, None, points_


def composite_points(composite: Composite, evidence: Mapping[str, float], ages: Mapping[str, float]) -> float | None:
    """``composite.treat(evidence, ages=ages)``'s points alone (``None`` when excluded), without the parts' results
    and words: what a score's value needs (``evidence`` and ``ages`` as a health model passes them).

    Raises:
        InvalidValueError: a fresh value a part's scoring refuses.
    """
    parts = composite.parts
    mean = weighted_mean([p.weight for p in parts], [read_and_treat(p, evidence, ages.get(p.signal))[3] for p in parts])
    return composite.missing.absent_points if mean is None else mean


def coverage(composite: Composite, parts: Sequence[PartResult]) -> float:
    """The share of ``composite``'s parts' weight that had fresh data, given its parts' results."""
    total = math.fsum(part.weight for part in composite.parts)
    return min(1.0, math.fsum(p.weight for p in parts if p.freshness is Freshness.FRESH) / total)


def describe(points: float | None, parts: Sequence[PartResult]) -> str:
    """The rule a composite applied, in words, given its points and its parts' results."""
    used = sum(1 for p in parts if p.points is not None)
    if not used:
        return f"none of its {len(parts)} parts has usable data"
    which = f"its {used} parts" if used == len(parts) else f"{used} of its {len(parts)} parts"
    return f"weighted mean of {which} → {points:.1f} points"


def _composite_problems(composite: Composite, prefix: str, problems: Problems) -> None:
    problems.text(f"{prefix}name", composite.name)
    problems.positive(f"{prefix}weight", composite.weight)
    if not composite.parts:
        problems.add(f"{prefix}parts", "no parts; give at least one")
    seen: dict[str, int] = {}
    for i, part in enumerate(composite.parts):
        here = f"{prefix}parts[{i}]"
        if not isinstance(part, Component):
            problems.add(here, f"expected a Component, got {type(part).__name__} (composites do not nest)")
            continue
        _component_problems(part, f"{here}.", problems)
        if part.name == PULSE:
            problems.add(f"{here}.name", f"'{PULSE}' is reserved for the CSM's pulse; choose another name")
        elif part.name in seen:
            problems.add(f"{here}.name", f"duplicates parts[{seen[part.name]}].name {part.name!r}")
        seen.setdefault(part.name, i)
    missing = composite.missing
    if isinstance(missing, MissingData):
        _missing_problems(missing, f"{prefix}missing.", problems)
        if missing.stale_after_days is not None:
            problems.add(f"{prefix}missing.stale_after_days", "a composite has no signal of its own to go stale; "
                                                                 "set stale_after_days on its parts instead")
    else:
        problems.add(f"{prefix}missing", f"expected MissingData, got {type(missing).__name__}")
