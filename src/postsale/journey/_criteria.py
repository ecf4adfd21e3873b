"""Criteria and their results, calendar spans and stage benchmarks, regression signals."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from postsale import _checks
from postsale._errors import InvalidTypeError, InvalidValueError
from postsale._frozen import unchecked
from postsale._repr import readable
from postsale._vocabulary import Stage
from postsale.journey._kinds import OPERATORS, Cause, Comparison

__all__ = ["Criterion", "CriterionResult", "Readiness", "RegressionSignal", "Span", "StageBenchmark"]


def _finite_threshold(_instance: object, attribute: Any, value: Any) -> None:
    _checks.number(attribute.name, value)


def _comparison(value: Any) -> Comparison:
    if isinstance(value, str):
        for member in Comparison:
            if value.strip() == member.value:
                return member
    return _checks.member(Comparison, "op", value)


def of_type(cls: type | tuple[type, ...], *, optional: bool = False) -> Any:
    """An attrs validator: an instance of ``cls`` (or ``None`` when ``optional``)."""

    def check(field: str, value: Any) -> None:
        if not (optional and value is None):
            _checks.instance(field, value, cls)

    return _checks.validator(check)


def a_date() -> Any:
    """A validator: a ``date`` (not a ``datetime``)."""
    return _checks.validator(_checks.a_date)


def optional_date() -> Any:
    """A validator: a ``date`` or ``None``."""
    return _checks.optional_validator(_checks.a_date)


def a_text() -> Any:
    """A validator: a non-blank string."""
    return _checks.validator(_checks.text)


def evidence_value(field: str, value: Any) -> float | bool | None:
    """An evidence value as read by a criterion: a finite number, a bool (1.0 / 0.0) or ``None`` (absent)."""
    if value is None or isinstance(value, bool):
        return value
    _checks.number(field, value)
    return value  # type: ignore[no-any-return]


def check_evidence(evidence: Any) -> Mapping[str, Any]:
    """Return ``evidence`` if it is a mapping of signal name to a finite number or bool (``None`` = absent).

    Raises:
        InvalidTypeError: ``evidence`` is not a mapping, a name is not a string, or a value is not a number.
        InvalidValueError: a value is NaN or infinite.
    """
    _checks.instance("evidence", evidence, Mapping, hint='pass a mapping such as {"go_live_confirmed": True}')
    for name, value in evidence.items():
        _checks.instance("evidence", name, str, hint="name each piece of evidence with a string")
        evidence_value(f"evidence[{name!r}]", value)
    return evidence  # type: ignore[no-any-return]


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

    __repr__ = readable
    name: str = attrs.field(validator=_checks.validator(_checks.text))
    signal: str = attrs.field(validator=_checks.validator(_checks.text))
    op: Comparison = attrs.field(default=Comparison.GE, converter=_comparison)
    threshold: float = attrs.field(default=1.0, validator=_finite_threshold)
    description: str = attrs.field(default="", validator=of_type(str))
    source: str = attrs.field(default="", validator=of_type(str))

    def check(self, evidence: Mapping[str, float]) -> CriterionResult:
        """Return whether ``evidence`` meets this criterion, with the value read.

        Raises:
            InvalidTypeError: ``evidence`` is not a mapping, or the value read is not a number or bool.
            InvalidValueError: the value read is NaN or infinite.
        """
        _checks.instance("evidence", evidence, Mapping, hint='pass a mapping such as {"seat_utilisation": 0.7}')
        value = evidence_value(f"evidence[{self.signal!r}]", evidence.get(self.signal))
        met = value is not None and OPERATORS[self.op](value, self.threshold)
        return CriterionResult(self, value, met)

    def met_expr(self, value: Any) -> Any:
        """The columnar form of :meth:`check`'s verdict over ``value``, an expression of the signal's values
        (Float64; null = absent, so unmet): a Boolean expression, never null.

        Raises:
            InvalidTypeError: ``value`` is not an expression.

        Examples:
            >>> import polars as pl
            >>> seats = Criterion("seats", "seat_utilisation", threshold=0.7)
            >>> pl.DataFrame({"s": [0.69, 0.7, None]}).select(seats.met_expr(pl.col("s")))["s"].to_list()
            [False, True, False]
        """
        if not callable(getattr(value, "fill_null", None)) or isinstance(value, type):
            raise InvalidTypeError("expected an expression", field="value", value=type(value).__name__,
                                   hint="pass a Polars or narwhals expression of the signal's values")
        met: Any = OPERATORS[self.op](value, self.threshold)
        return met.fill_null(False)


@attrs.frozen
class CriterionResult:
    """A criterion checked against evidence: the value read (``None`` if absent) and whether it is met.

    Examples:
        >>> result = Criterion("seats", "seat_utilisation", threshold=0.7).check({"seat_utilisation": 0.69})
        >>> result.explain()
        ['seats: seat_utilisation 0.69 >= 0.7 not met']
    """

    __repr__ = readable
    criterion: Criterion = attrs.field(validator=of_type(Criterion))
    value: float | None = attrs.field(validator=_checks.validator(evidence_value))
    met: bool = attrs.field(validator=of_type(bool))

    def explain(self) -> list[str]:
        """One sentence, e.g. ``["seats: seat_utilisation 0.69 >= 0.7 not met"]``."""
        c = self.criterion
        shown = "missing" if self.value is None else f"{self.value:g}"
        verdict = "met" if self.met else "not met"
        return [f"{c.name}: {c.signal} {shown} {c.op.value} {c.threshold:g} {verdict}"]


def _to_results(value: Any) -> tuple[CriterionResult, ...]:
    return _checks.items("results", value, CriterionResult)


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

    __repr__ = readable
    from_stage: Stage | None = attrs.field(validator=of_type(Stage, optional=True))
    to_stage: Stage = attrs.field(validator=of_type(Stage))
    results: tuple[CriterionResult, ...] = attrs.field(
        default=(), converter=_to_results
    )

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


def checked_readiness(
    from_stage: Stage | None, to_stage: Stage, criteria: tuple[Criterion, ...], evidence: Mapping[str, Any]
) -> Readiness:
    """``Readiness(from_stage, to_stage, tuple(c.check(evidence) for c in criteria))`` for stages that are
    :class:`~postsale.Stage` members and ``evidence`` already checked (by :func:`check_evidence`, or a snapshot's
    ``evidence()``): the same results, built without checking them again."""
    return unchecked(Readiness, from_stage, to_stage, tuple(checked_result(c, evidence) for c in criteria))


def checked_result(criterion: Criterion, evidence: Mapping[str, Any]) -> CriterionResult:
    """``criterion.check(evidence)`` for ``evidence`` already checked (see :func:`checked_readiness`), unchecked."""
    value = evidence.get(criterion.signal)
    met = value is not None and OPERATORS[criterion.op](value, criterion.threshold)
    return unchecked(CriterionResult, criterion, value, met)


_SPAN_LIMITS = {"months": 1200, "days": 36_600}
"""The longest span (100 years either way): a stage benchmark longer than a century is a typo."""


def _span_part(field: str, value: Any) -> None:
    if _checks.count(field, value) > _SPAN_LIMITS[field]:
        raise InvalidValueError(
            "is too long", field=field, value=value, constraint=f"at most {_SPAN_LIMITS[field]} {field}",
            hint="give a stage's expected duration",
        )


@attrs.frozen
class Span:
    """A calendar length: months (added with ``relativedelta`` from the anchor) plus days.

    Examples:
        >>> Span(months=1).after(date(2026, 1, 31)), str(Span(months=2, days=3))
        (datetime.date(2026, 2, 28), '2 month(s) 3 day(s)')
    """

    __repr__ = readable
    months: int = attrs.field(default=0, validator=_checks.validator(_span_part))
    days: int = attrs.field(default=0, validator=_checks.validator(_span_part))

    def after(self, start: date) -> date:
        """Return ``start`` plus this span, month ends clipped (31 Jan + 1 month = 28/29 Feb).

        Raises:
            InvalidTypeError: ``start`` is not a date.
            InvalidValueError: the result would be after 9999-12-31.
        """
        _checks.a_date("start", start)
        try:
            return start + relativedelta(months=self.months, days=self.days)
        except (ValueError, OverflowError):
            raise InvalidValueError(
                "leaves the calendar",
                field="start",
                value=start,
                constraint=f"{self} after it must be a date by 9999-12-31",
                hint="pass a real date",
            ) from None

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

    __repr__ = readable
    typical_min: Span = attrs.field(validator=_checks.validator(_a_span))
    typical_max: Span = attrs.field(validator=_checks.validator(_a_span))
    stuck_after: Span = attrs.field(validator=[_checks.validator(_a_span), _span_order])
    source: str = attrs.field(default="", validator=of_type(str))


def _to_cause(value: Any) -> Cause:
    return _checks.member(Cause, "cause", value)


def _to_to_stage(value: Any) -> Stage:
    return _checks.member(Stage, "to_stage", value)


@attrs.frozen
class RegressionSignal:
    """A signal that suggests (never applies) a backward move, e.g. champion left -> Adoption.

    Examples:
        >>> from postsale import Stage
        >>> signal = RegressionSignal(Criterion("champion_left", "champion_left"), Cause.CHAMPION_LEFT, Stage.ADOPTION)
        >>> signal.criterion.check({"champion_left": 1}).met
        True
    """

    __repr__ = readable
    criterion: Criterion = attrs.field(validator=of_type(Criterion))
    cause: Cause = attrs.field(converter=_to_cause)
    to_stage: Stage = attrs.field(converter=_to_to_stage)
