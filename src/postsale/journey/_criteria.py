"""Criteria and their results, calendar spans and stage benchmarks, regression signals."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from postsale import _checks
from postsale._errors import InvalidValueError
from postsale._vocabulary import Stage
from postsale.journey._kinds import OPERATORS, Cause, Comparison

__all__ = ["Criterion", "CriterionResult", "Readiness", "RegressionSignal", "Span", "StageBenchmark"]


def _finite_threshold(_instance: object, attribute: Any, value: Any) -> None:
    _checks.number(attribute.name, value)


@attrs.frozen
class Criterion:
    """One condition of a checklist: ``signal <op> threshold`` over the evidence.

    A criterion whose signal is absent from the evidence is unmet (missing data never passes a guard).

    Args:
        name: Short unique name, e.g. ``"seats_active_70pct"``.
        signal: Evidence name read (see :mod:`postsale.signals`).
        op: Comparison, ``>=`` by default ("or more" is inclusive).
        threshold: Value compared with; booleans are 1.0.
        description: What it means, for people.
        source: Where the rule comes from.

    Examples:
        >>> c = Criterion("seats", "seat_utilisation", threshold=0.7)
        >>> c.check({"seat_utilisation": 0.69}).met, c.check({"seat_utilisation": 0.7}).met
        (False, True)
    """

    name: str = attrs.field(validator=_checks.validator(_checks.text))
    signal: str = attrs.field(validator=_checks.validator(_checks.text))
    op: Comparison = Comparison.GE
    threshold: float = attrs.field(default=1.0, validator=_finite_threshold)
    description: str = ""
    source: str = ""

    def check(self, evidence: Mapping[str, float]) -> CriterionResult:
        """Return whether ``evidence`` meets this criterion, with the value read."""
        value = evidence.get(self.signal)
        met = value is not None and OPERATORS[self.op](value, self.threshold)
        return CriterionResult(self, value, met)


@attrs.frozen
class CriterionResult:
    """A criterion checked against evidence: the value read (``None`` if absent) and whether it is met.

    Examples:
        >>> result = Criterion("seats", "seat_utilisation", threshold=0.7).check({"seat_utilisation": 0.69})
        >>> result.explain()
        ['seats: seat_utilisation 0.69 >= 0.7 not met']
    """

    criterion: Criterion
    value: float | None
    met: bool

    def explain(self) -> list[str]:
        """One sentence, e.g. ``["seats: seat_utilisation 0.69 >= 0.7 not met"]``."""
        c = self.criterion
        shown = "missing" if self.value is None else f"{self.value:g}"
        verdict = "met" if self.met else "not met"
        return [f"{c.name}: {c.signal} {shown} {c.op.value} {c.threshold:g} {verdict}"]


@attrs.frozen
class Readiness:
    """The evidence for a move: every criterion crossed, met or not.

    Examples:
        >>> from postsale import Stage
        >>> from postsale.journey import DEFAULT_JOURNEY_DEFINITION
        >>> ready = DEFAULT_JOURNEY_DEFINITION.readiness(Stage.ADOPTION, Stage.RETENTION, {"seat_utilisation": 0.8})
        >>> ready.met, ready.missing[:2]
        (False, ('features_beyond_initial', 'usage_pattern_established'))
    """

    from_stage: Stage | None
    to_stage: Stage
    results: tuple[CriterionResult, ...] = ()

    @property
    def met(self) -> bool:
        """True when every criterion is met (or there are none)."""
        return all(r.met for r in self.results)

    @property
    def missing(self) -> tuple[str, ...]:
        """Names of the unmet criteria."""
        return tuple(r.criterion.name for r in self.results if not r.met)

    def explain(self) -> list[str]:
        """Sentences a CS lead can read: the verdict, then one per criterion."""
        target = self.to_stage.label
        if not self.results:
            return [f"No criteria guard the move to {target}."]
        head = (
            f"Ready for {target}: all {len(self.results)} criteria met."
            if self.met
            else f"Not ready for {target}: {len(self.missing)} of {len(self.results)} criteria unmet "
            f"({', '.join(self.missing)})."
        )
        return [head, *(line for r in self.results for line in r.explain())]


@attrs.frozen
class Span:
    """A calendar length: months (added with ``relativedelta`` from the anchor) plus days.

    Examples:
        >>> Span(months=1).after(date(2026, 1, 31)), str(Span(months=2, days=3))
        (datetime.date(2026, 2, 28), '2 month(s) 3 day(s)')
    """

    months: int = attrs.field(default=0, validator=_checks.validator(_checks.count))
    days: int = attrs.field(default=0, validator=_checks.validator(_checks.count))

    def after(self, start: date) -> date:
        """Return ``start`` plus this span, month ends clipped (31 Jan + 1 month = 28/29 Feb)."""
        return start + relativedelta(months=self.months, days=self.days)

    def approx_days(self) -> float:
        """Length in days on the average Gregorian month (30.436875 days), for ordering and statistics."""
        return self.months * 30.436875 + self.days

    def __str__(self) -> str:
        parts = [f"{self.months} month(s)"] if self.months else []
        if self.days or not parts:
            parts.append(f"{self.days} day(s)")
        return " ".join(parts)


def _span_order(instance: StageBenchmark, _attribute: Any, _value: Any) -> None:
    lo, hi, stuck = (instance.typical_min.approx_days(), instance.typical_max.approx_days(),
                     instance.stuck_after.approx_days())
    if not lo <= hi <= stuck:
        raise InvalidValueError(
            "benchmark spans are out of order",
            field="stuck_after",
            value=str(instance.stuck_after),
            constraint="typical_min <= typical_max <= stuck_after",
            hint="widen stuck_after or narrow the typical range",
        )


def _a_span(field: str, value: Any) -> None:
    _checks.instance(field, value, Span, hint="pass postsale.journey.Span(months=..., days=...)")


@attrs.frozen
class StageBenchmark:
    """Expected time in a stage for a segment.

    Up to ``typical_max`` in the stage is ON_TRACK, up to ``stuck_after`` BEHIND, beyond that STUCK.

    Examples:
        >>> bench = StageBenchmark(Span(days=7), Span(days=30), Span(days=45))
        >>> bench.typical_max.after(date(2026, 1, 5))
        datetime.date(2026, 2, 4)
    """

    typical_min: Span = attrs.field(validator=_checks.validator(_a_span))
    typical_max: Span = attrs.field(validator=_checks.validator(_a_span))
    stuck_after: Span = attrs.field(validator=[_checks.validator(_a_span), _span_order])
    source: str = ""


@attrs.frozen
class RegressionSignal:
    """A signal that suggests (never applies) a backward move, e.g. champion left -> Adoption.

    Examples:
        >>> from postsale import Stage
        >>> signal = RegressionSignal(Criterion("champion_left", "champion_left"), Cause.CHAMPION_LEFT, Stage.ADOPTION)
        >>> signal.criterion.check({"champion_left": 1}).met
        True
    """

    criterion: Criterion
    cause: Cause
    to_stage: Stage
