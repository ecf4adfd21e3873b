"""The journey definition: criteria, causes, benchmarks and suggestions, validated when built.

Everything configurable about the journey lives in one :class:`JourneyDefinition`; the seeds' values
are :data:`DEFAULT_DEFINITION` (domain-spec §1.2, §1.3, §1.7, §1.8, §1.9, §1.13, I-6).
"""

from __future__ import annotations

import enum
import operator
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from postsale import _checks, signals
from postsale._errors import DefinitionError, InvalidValueError, Problem
from postsale._frozen import freeze
from postsale._vocabulary import Segment, Stage

__all__ = [
    "DEFAULT_DEFINITION",
    "Cause",
    "CauseCategory",
    "Comparison",
    "Criterion",
    "CriterionResult",
    "JourneyDefinition",
    "Readiness",
    "RegressionSignal",
    "Span",
    "StageBenchmark",
    "TransitionKind",
]


class TransitionKind(enum.Enum):
    """What a journey event means (domain-spec §1.9, §1.13).

    ENTRY opens a track, EXIT closes one; FORWARD moves to the next stage, SKIP jumps past one or more
    stages; a backward move is a REGRESSION when caused by a risk event and a CYCLE when caused by a
    new scope (new product release, new department, merger, a completed renewal).
    """

    ENTRY = "entry"
    FORWARD = "forward"
    SKIP = "skip"
    REGRESSION = "regression"
    CYCLE = "cycle"
    EXIT = "exit"

    @property
    def is_backward(self) -> bool:
        """True for REGRESSION and CYCLE."""
        return self in (TransitionKind.REGRESSION, TransitionKind.CYCLE)


class CauseCategory(enum.Enum):
    """How a cause classifies a move: progress (forward), risk (REGRESSION) or new scope (CYCLE)."""

    PROGRESS = "progress"
    RISK = "risk"
    NEW_SCOPE = "new_scope"


class Cause(enum.Enum):
    """Why a journey event happened (domain-spec §1.9, §1.12, §1.13).

    ``OTHER`` is the free-form cause: it needs a ``reason`` text.
    """

    # progress
    CRITERIA_MET = "criteria_met"
    CUSTOMER_REQUEST = "customer_request"
    EXPANSION_OPPORTUNITY = "expansion_opportunity"
    RENEWAL_WINDOW_OPENED = "renewal_window_opened"
    ADVOCATE_QUALIFIED = "advocate_qualified"
    # risk -> regression
    CHAMPION_LEFT = "champion_left"
    BUDGET_CUT = "budget_cut"
    LEADERSHIP_CHANGE = "leadership_change"
    REORGANISATION = "reorganisation"
    COMPETITOR_EVALUATION = "competitor_evaluation"
    HEALTH_DECLINE = "health_decline"
    ADOPTION_STALLED = "adoption_stalled"
    CHURNED = "churned"
    # new scope -> cycle
    MERGER = "merger"
    NEW_PRODUCT_RELEASE = "new_product_release"
    NEW_USE_CASE = "new_use_case"
    NEW_DEPARTMENT = "new_department"
    RENEWAL_COMPLETED = "renewal_completed"
    # free form
    OTHER = "other"

    # Members are singletons: identity hashing is correct and keeps the journey's hot path in C.
    __hash__ = object.__hash__


DEFAULT_CAUSE_CATEGORIES: Mapping[Cause, CauseCategory] = freeze(
    {
        Cause.CRITERIA_MET: CauseCategory.PROGRESS,
        Cause.CUSTOMER_REQUEST: CauseCategory.PROGRESS,
        Cause.EXPANSION_OPPORTUNITY: CauseCategory.PROGRESS,
        Cause.RENEWAL_WINDOW_OPENED: CauseCategory.PROGRESS,
        Cause.ADVOCATE_QUALIFIED: CauseCategory.PROGRESS,
        Cause.CHAMPION_LEFT: CauseCategory.RISK,
        Cause.BUDGET_CUT: CauseCategory.RISK,
        Cause.LEADERSHIP_CHANGE: CauseCategory.RISK,
        Cause.REORGANISATION: CauseCategory.RISK,
        Cause.COMPETITOR_EVALUATION: CauseCategory.RISK,
        Cause.HEALTH_DECLINE: CauseCategory.RISK,
        Cause.ADOPTION_STALLED: CauseCategory.RISK,
        Cause.CHURNED: CauseCategory.RISK,
        Cause.MERGER: CauseCategory.NEW_SCOPE,
        Cause.NEW_PRODUCT_RELEASE: CauseCategory.NEW_SCOPE,
        Cause.NEW_USE_CASE: CauseCategory.NEW_SCOPE,
        Cause.NEW_DEPARTMENT: CauseCategory.NEW_SCOPE,
        Cause.RENEWAL_COMPLETED: CauseCategory.NEW_SCOPE,
        Cause.OTHER: CauseCategory.RISK,
    }
)
"""Default classification of causes (domain-spec §1.13; a free-form backward move counts as a regression)."""


class Comparison(enum.Enum):
    """How a criterion compares a signal with its threshold."""

    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"
    EQ = "=="


_OPERATORS: Mapping[Comparison, Callable[[float, float], bool]] = {
    Comparison.GE: operator.ge,
    Comparison.GT: operator.gt,
    Comparison.LE: operator.le,
    Comparison.LT: operator.lt,
    Comparison.EQ: operator.eq,
}


def _finite_threshold(_instance: object, attribute: Any, value: Any) -> None:
    _checks.number(attribute.name, value)


@attrs.frozen
class Criterion:
    """One condition of a checklist: ``signal <op> threshold`` over the evidence.

    A criterion whose signal is absent from the evidence is unmet (missing data never passes a guard).

    Args:
        name: Short unique name, e.g. ``"seats_active_70pct"``.
        signal: Evidence name read (see :mod:`postsale.signals`).
        op: Comparison, ``>=`` by default (以上 is inclusive, DESIGN.md).
        threshold: Value compared with; booleans are 1.0.
        description: What it means, for people.
        source: Where the rule comes from (``"domain-spec §1.3 [004]"``).

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
        met = value is not None and _OPERATORS[self.op](value, self.threshold)
        return CriterionResult(self, value, met)


@attrs.frozen
class CriterionResult:
    """A criterion checked against evidence: the value read (``None`` if absent) and whether it is met."""

    criterion: Criterion
    value: float | None
    met: bool

    def explain(self) -> str:
        """One sentence, e.g. ``"seats: seat_utilisation 0.69 >= 0.7 not met"``."""
        c = self.criterion
        shown = "missing" if self.value is None else f"{self.value:g}"
        verdict = "met" if self.met else "not met"
        return f"{c.name}: {c.signal} {shown} {c.op.value} {c.threshold:g} {verdict}"


@attrs.frozen
class Readiness:
    """The evidence for a move: every criterion crossed, met or not."""

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
        """Sentences a CS lead can read."""
        target = self.to_stage.label
        if not self.results:
            return [f"No criteria guard the move to {target}."]
        head = (
            f"Ready for {target}: all {len(self.results)} criteria met."
            if self.met
            else f"Not ready for {target}: {len(self.missing)} of {len(self.results)} criteria unmet "
            f"({', '.join(self.missing)})."
        )
        return [head, *(r.explain() for r in self.results)]


@attrs.frozen
class Span:
    """A calendar length: months (added with ``relativedelta`` from the anchor) plus days."""

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
    """Expected time in a stage for a segment (domain-spec §1.8, I-6).

    Up to ``typical_max`` in the stage is ON_TRACK, up to ``stuck_after`` BEHIND, beyond that STUCK.
    """

    typical_min: Span = attrs.field(validator=_checks.validator(_a_span))
    typical_max: Span = attrs.field(validator=_checks.validator(_a_span))
    stuck_after: Span = attrs.field(validator=[_checks.validator(_a_span), _span_order])
    source: str = ""


@attrs.frozen
class RegressionSignal:
    """A signal that suggests (never applies) a backward move, e.g. champion left -> Adoption (§1.9)."""

    criterion: Criterion
    cause: Cause
    to_stage: Stage


def _d(days: int) -> Span:
    return Span(days=days)


def _m(months: int) -> Span:
    return Span(months=months)


_SRC_DUR = "domain-spec §1.8 [004], I-6; stuck_after is a PROPOSAL"

DEFAULT_BENCHMARKS: Mapping[Segment, Mapping[Stage, StageBenchmark]] = freeze(
    {
        Segment.ENTERPRISE: {
            Stage.ONBOARDING: StageBenchmark(_d(60), _d(180), _d(270), _SRC_DUR),
            Stage.ADOPTION: StageBenchmark(_m(12), _m(24), _m(36), _SRC_DUR),
            Stage.EXPANSION: StageBenchmark(_m(6), _m(12), _m(18), _SRC_DUR),
            Stage.RENEWAL: StageBenchmark(_d(120), _d(180), _d(210), "domain-spec §3.2, I-4"),
        },
        Segment.MID_MARKET: {
            Stage.ONBOARDING: StageBenchmark(_d(28), _d(60), _d(90), _SRC_DUR),
            Stage.ADOPTION: StageBenchmark(_m(6), _m(12), _m(18), _SRC_DUR),
            Stage.EXPANSION: StageBenchmark(_m(2), _m(4), _m(6), _SRC_DUR),
            Stage.RENEWAL: StageBenchmark(_d(60), _d(90), _d(120), "domain-spec §3.2, I-4"),
        },
        Segment.SMB: {
            Stage.ONBOARDING: StageBenchmark(_d(7), _d(30), _d(45), _SRC_DUR),
            Stage.ADOPTION: StageBenchmark(_m(3), _m(6), _m(9), _SRC_DUR),
            Stage.EXPANSION: StageBenchmark(_d(7), _d(14), _d(30), _SRC_DUR),
            Stage.RENEWAL: StageBenchmark(_d(30), _d(60), _d(90), "domain-spec §3.2, I-4"),
        },
        Segment.PRODUCT_LED: {
            Stage.ONBOARDING: StageBenchmark(_d(1), _d(7), _d(14), _SRC_DUR),
            Stage.ADOPTION: StageBenchmark(_m(1), _m(3), _m(6), _SRC_DUR),
            Stage.RENEWAL: StageBenchmark(_d(14), _d(30), _d(45), "domain-spec §3.2, I-4"),
        },
    }
)
"""Per-segment stage durations. Retention and Advocacy are ongoing (no benchmark); product-led expansion
is continuous micro-expansion (no benchmark)."""

_S12 = "domain-spec §1.2 [004]"
_S13 = "domain-spec §1.3 [004], A-26"
_S17 = "domain-spec §1.7 [004]"

DEFAULT_EXIT_CRITERIA: Mapping[Stage, tuple[Criterion, ...]] = freeze(
    {
        Stage.ONBOARDING: (
            Criterion("implementation_complete", signals.IMPLEMENTATION_COMPLETE,
                      description="technical implementation is complete", source=_S12),
            Criterion("core_users_trained", signals.CORE_USERS_TRAINED,
                      description="core users are trained and active", source=_S12),
            Criterion("use_case_live", signals.USE_CASE_LIVE,
                      description="the initial use case is live in production", source=_S12),
            Criterion("first_value_documented", signals.FIRST_VALUE_DOCUMENTED,
                      description="the customer achieved and documented first business value", source=_S12),
            Criterion("go_live_confirmed", signals.GO_LIVE_CONFIRMED,
                      description="the customer confirmed go-live (don't declare victory yourself)", source=_S12),
        ),
        Stage.ADOPTION: (
            Criterion("seats_active_70pct", signals.SEAT_UTILISATION, threshold=0.70,
                      description=">= 70 % of purchased seats actively using the product", source=_S13),
            Criterion("features_beyond_initial", signals.FEATURES_BEYOND_INITIAL, threshold=3,
                      description="at least 3 features adopted beyond the initial use case", source=_S13),
            Criterion("usage_pattern_established", signals.USAGE_PATTERN_ESTABLISHED,
                      description="daily or weekly usage patterns established", source=_S13),
            Criterion("additional_teams_onboarded", signals.ADDITIONAL_TEAMS_ONBOARDED,
                      description="additional departments or teams onboarded", source=_S13),
            Criterion("power_users_identified", signals.POWER_USERS,
                      description="power users identified and engaged", source=_S13),
        ),
    }
)
"""Exit criteria that guard forward moves out of Onboarding and Adoption (all must hold)."""

DEFAULT_ENTRY_CRITERIA: Mapping[Stage, tuple[Criterion, ...]] = freeze(
    {
        Stage.ADVOCACY: (
            Criterion("high_health", signals.HEALTH_SCORE, threshold=70,
                      description="high health score (green band)", source=_S17 + ", §4.2"),
            Criterion("high_satisfaction", signals.SATISFACTION, threshold=9,
                      description="high satisfaction (a promoter, 9-10)", source=_S17 + ", §6"),
            Criterion("roi_documented", signals.ROI_DOCUMENTED,
                      description="measurable success and ROI documented", source=_S17),
            Criterion("champion_willing", signals.CHAMPION_WILLING,
                      description="an engaged champion willing to advocate", source=_S17),
            Criterion("strategic_profile", signals.STRATEGIC_PROFILE,
                      description="a profile others want to emulate", source=_S17),
            Criterion("adoption_successful", signals.SEAT_UTILISATION, threshold=0.70,
                      description="successful deployment and adoption (>= 70 % seats active)", source=_S17),
            Criterion("renewed_at_least_once", signals.RENEWALS_COMPLETED,
                      description="long-term commitment: renewed at least once", source=_S17),
        ),
    }
)
"""Entry criteria: the advocate qualification guards moves into Advocacy."""

DEFAULT_READINESS: Mapping[Stage, tuple[Criterion, ...]] = freeze(
    {
        Stage.EXPANSION: (
            Criterion("usage_near_limit", signals.USAGE_LIMIT_RATIO, threshold=0.80,
                      description="usage at 80 % of a plan limit", source="domain-spec §1.5, §5.3"),
            Criterion("healthy", signals.HEALTH_SCORE, threshold=70,
                      description="healthy enough to have earned the right to expand", source="domain-spec §1.5"),
        ),
    }
)
"""Advisory criteria used only by suggestions (they never refuse a move)."""

DEFAULT_RENEWAL_RUNWAY_DAYS: Mapping[Segment, int] = freeze(
    {Segment.ENTERPRISE: 180, Segment.MID_MARKET: 90, Segment.SMB: 60, Segment.PRODUCT_LED: 30}
)
"""Days before the contract end when a renewal move is suggested (domain-spec §3.2, I-4)."""

DEFAULT_REGRESSION_SIGNALS: tuple[RegressionSignal, ...] = (
    RegressionSignal(Criterion("champion_left", signals.CHAMPION_LEFT, source="domain-spec §1.9"),
                     Cause.CHAMPION_LEFT, Stage.ADOPTION),
    RegressionSignal(Criterion("budget_cut", signals.BUDGET_CUT, source="domain-spec §1.9"),
                     Cause.BUDGET_CUT, Stage.ADOPTION),
    RegressionSignal(Criterion("leadership_change", signals.LEADERSHIP_CHANGE, source="domain-spec §1.9"),
                     Cause.LEADERSHIP_CHANGE, Stage.ADOPTION),
    RegressionSignal(Criterion("competitor_evaluation", signals.COMPETITOR_EVALUATION, source="domain-spec §1.9"),
                     Cause.COMPETITOR_EVALUATION, Stage.RETENTION),
    RegressionSignal(Criterion("health_red", signals.HEALTH_SCORE, Comparison.LT, 40,
                               description="health in the red band", source="domain-spec §1.9, §4.2"),
                     Cause.HEALTH_DECLINE, Stage.ADOPTION),
)
"""Signals that suggest a regression (domain-spec §1.9): "back to basics proving value"."""


def _freeze(value: Mapping[Any, Any]) -> Mapping[Any, Any]:
    return freeze(dict(value))


def _freeze_nested(value: Mapping[Any, Mapping[Any, Any]]) -> Mapping[Any, Mapping[Any, Any]]:
    return freeze({k: freeze(dict(v)) for k, v in value.items()})


def _freeze_criteria(value: Mapping[Stage, Any]) -> Mapping[Stage, tuple[Criterion, ...]]:
    return freeze({k: tuple(v) for k, v in value.items()})


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


def _compile(criteria: tuple[Criterion, ...]) -> GuardCheck:
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
            groups.append((fold, _OPERATORS[c.op], c.threshold, start, i))
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
class _Compiled:
    guards: Mapping[tuple[int, int], tuple[Criterion, ...]]
    signal_names: Mapping[tuple[int, int], tuple[str, ...]]
    getters: Mapping[tuple[int, int], Getter]
    checks: Mapping[tuple[int, int], GuardCheck]
    kinds: Mapping[tuple[int, int], TransitionKind]
    edges: list[list[Any]]
    """edges[from][to] = (kind, signal names, getter or None, check or None, criteria) for forward moves."""
    categories: Mapping[Cause, CauseCategory]
    backward_causes: tuple[str, ...]


@attrs.frozen
class JourneyDefinition:
    """Everything configurable about the journey, validated when built (every problem at once).

    Args:
        exit_criteria: Checklists guarding forward moves out of a stage (default: Onboarding, Adoption).
        entry_criteria: Checklists guarding moves into a stage (default: the advocate qualification).
        readiness_criteria: Advisory checklists used by suggestions only.
        cause_categories: How each cause classifies a backward move (RISK -> REGRESSION,
            NEW_SCOPE -> CYCLE); PROGRESS causes are refused for backward moves.
        benchmarks: Expected time in stage per segment.
        renewal_runway_days: When a move to Renewal is suggested, per segment.
        regression_signals: Signals that suggest a backward move.
        version: Free text identifying this definition (recorded by analytics).

    Raises:
        DefinitionError: listing every problem (duplicate criterion names, exit criteria on Advocacy,
            uncategorised causes, non-positive runways, ...).
    """

    exit_criteria: Mapping[Stage, tuple[Criterion, ...]] = attrs.field(
        default=DEFAULT_EXIT_CRITERIA, converter=_freeze_criteria
    )
    entry_criteria: Mapping[Stage, tuple[Criterion, ...]] = attrs.field(
        default=DEFAULT_ENTRY_CRITERIA, converter=_freeze_criteria
    )
    readiness_criteria: Mapping[Stage, tuple[Criterion, ...]] = attrs.field(
        default=DEFAULT_READINESS, converter=_freeze_criteria
    )
    cause_categories: Mapping[Cause, CauseCategory] = attrs.field(
        default=DEFAULT_CAUSE_CATEGORIES, converter=_freeze
    )
    benchmarks: Mapping[Segment, Mapping[Stage, StageBenchmark]] = attrs.field(
        default=DEFAULT_BENCHMARKS, converter=_freeze_nested
    )
    renewal_runway_days: Mapping[Segment, int] = attrs.field(
        default=DEFAULT_RENEWAL_RUNWAY_DAYS, converter=_freeze
    )
    regression_signals: tuple[RegressionSignal, ...] = attrs.field(
        default=DEFAULT_REGRESSION_SIGNALS, converter=tuple
    )
    version: str = "seeds-2026.1"
    _compiled: _Compiled = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        problems = list(self._problems())
        if problems:
            raise DefinitionError(
                "invalid journey definition", problems, hint="fix every listed entry, then build the definition again"
            )
        object.__setattr__(self, "_compiled", self._compile())

    def _problems(self) -> list[Problem]:
        problems: list[Problem] = []
        for field_name, table in (
            ("exit_criteria", self.exit_criteria),
            ("entry_criteria", self.entry_criteria),
            ("readiness_criteria", self.readiness_criteria),
        ):
            for stage, criteria in table.items():
                path = f"$.{field_name}.{getattr(stage, 'name', stage)}"
                if not isinstance(stage, Stage):
                    problems.append(Problem(path, f"{stage!r} is not a Stage"))
                    continue
                names = [c.name for c in criteria]
                problems.extend(
                    Problem(path, f"criterion name {name!r} appears more than once")
                    for name in sorted({n for n in names if names.count(n) > 1})
                )
        if Stage.ADVOCACY in self.exit_criteria:
            problems.append(Problem("$.exit_criteria.ADVOCACY", "Advocacy is the last stage: nothing to exit to"))
        if Stage.ONBOARDING in self.entry_criteria:
            problems.append(
                Problem("$.entry_criteria.ONBOARDING", "Onboarding is the first stage: no forward move enters it")
            )
        problems.extend(
            Problem(f"$.cause_categories.{cause.name}", "cause has no category; give it RISK, NEW_SCOPE or PROGRESS")
            for cause in Cause
            if cause not in self.cause_categories
        )
        if not any(c is not CauseCategory.PROGRESS for c in self.cause_categories.values()):
            problems.append(
                Problem("$.cause_categories", "no cause allows a backward move; mark some RISK or NEW_SCOPE")
            )
        for segment, days in self.renewal_runway_days.items():
            if isinstance(days, bool) or not isinstance(days, int) or days <= 0:
                problems.append(
                    Problem(f"$.renewal_runway_days.{getattr(segment, 'name', segment)}",
                            f"runway must be a positive number of days, got {days!r}")
                )
        for i, signal in enumerate(self.regression_signals):
            if not isinstance(signal, RegressionSignal):
                problems.append(Problem(f"$.regression_signals[{i}]", f"{signal!r} is not a RegressionSignal"))
            elif self.cause_categories.get(signal.cause) is CauseCategory.PROGRESS:
                problems.append(
                    Problem(f"$.regression_signals[{i}].cause", f"{signal.cause.name} is a progress cause")
                )
        return problems

    def _compile(self) -> _Compiled:
        guards: dict[tuple[int, int], tuple[Criterion, ...]] = {}
        kinds: dict[tuple[int, int], TransitionKind] = {}
        for a in Stage:
            for b in Stage:
                if b > a:
                    crossed: list[Criterion] = []
                    for s in Stage:
                        if a <= s < b:
                            crossed.extend(self.exit_criteria.get(s, ()))
                    crossed.extend(self.entry_criteria.get(b, ()))
                    guards[(a, b)] = tuple(crossed)
                    kinds[(a, b)] = TransitionKind.FORWARD if b == a + 1 else TransitionKind.SKIP
            guards[(0, a)] = tuple(self.entry_criteria.get(a, ()))
        guards = {key: value for key, value in guards.items() if value}
        ordered = {key: _ordered(value) for key, value in guards.items()}
        names = {key: tuple(c.signal for c in value) for key, value in ordered.items()}
        getters = {key: _getter(value) for key, value in names.items()}
        checks = {key: _compile(value) for key, value in ordered.items()}
        backward = tuple(c.name for c, cat in self.cause_categories.items() if cat is not CauseCategory.PROGRESS)
        edges: list[list[Any]] = [[None] * 7 for _ in range(7)]
        for key, kind in kinds.items():
            edges[key[0]][key[1]] = (kind, names.get(key, ()), getters.get(key), checks.get(key), guards.get(key, ()))
        return _Compiled(guards, names, getters, checks, kinds, edges, dict(self.cause_categories), backward)

    def guards(self, from_stage: Stage | None, to_stage: Stage) -> tuple[Criterion, ...]:
        """Return the criteria a forward move (or a track opening, ``from_stage=None``) must meet."""
        return self._compiled.guards.get((from_stage or 0, to_stage), ())

    def readiness(
        self, from_stage: Stage | None, to_stage: Stage, evidence: Mapping[str, float], *, advisory: bool = False
    ) -> Readiness:
        """Check ``evidence`` against the guards of a move (plus advisory criteria when asked)."""
        criteria = self.guards(from_stage, to_stage)
        if advisory:
            criteria = criteria + self.readiness_criteria.get(to_stage, ())
        return Readiness(from_stage, to_stage, tuple(c.check(evidence) for c in criteria))

    def category(self, cause: Cause) -> CauseCategory:
        """Return how ``cause`` classifies a move."""
        return self._compiled.categories[cause]

    def classify(self, from_stage: Stage | None, to_stage: Stage | None, cause: Cause) -> TransitionKind:
        """Classify a move by stage order and cause (domain-spec §1.13).

        Examples:
            >>> DEFAULT_DEFINITION.classify(Stage.RENEWAL, Stage.ONBOARDING, Cause.MERGER)
            <TransitionKind.CYCLE: 'cycle'>
        """
        if from_stage is None:
            return TransitionKind.ENTRY
        if to_stage is None:
            return TransitionKind.EXIT
        if to_stage > from_stage:
            return self._compiled.kinds[(from_stage, to_stage)]
        category = self._compiled.categories[cause]
        return TransitionKind.CYCLE if category is CauseCategory.NEW_SCOPE else TransitionKind.REGRESSION

    @property
    def backward_causes(self) -> tuple[str, ...]:
        """Names of the causes accepted for a backward move."""
        return self._compiled.backward_causes

    def benchmark(self, segment: Segment, stage: Stage) -> StageBenchmark | None:
        """Return the expected duration of ``stage`` for ``segment`` (``None``: ongoing stage)."""
        return self.benchmarks.get(segment, {}).get(stage)

    @classmethod
    def default(cls) -> JourneyDefinition:
        """Return the seeds' definition (:data:`DEFAULT_DEFINITION`)."""
        return DEFAULT_DEFINITION


DEFAULT_DEFINITION = JourneyDefinition()
"""The seeds' journey definition (domain-spec §1)."""

