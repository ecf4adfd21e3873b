"""The seeds' journey values: criteria, cause categories, stage benchmarks, runways, regression signals.

Each table is a default of :class:`~postsale.journey.JourneyDefinition`; ``docs/journey.md`` lists them.
"""

from __future__ import annotations

from collections.abc import Mapping

from postsale import signals
from postsale._frozen import freeze
from postsale._vocabulary import Segment, Stage
from postsale.journey._criteria import Criterion, RegressionSignal, Span, StageBenchmark
from postsale.journey._kinds import Cause, CauseCategory, Comparison

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
"""Default classification of causes (a free-form backward move counts as a regression)."""


def _d(days: int) -> Span:
    return Span(days=days)


def _m(months: int) -> Span:
    return Span(months=months)


# Sources: the seeds' stage durations (domain-spec §1.8, I-6); renewal = the renewal runway (§3.2, I-4).
_SRC_DUR = "docs/journey.md (stage durations; stuck_after is a proposal)"
_SRC_RUNWAY = "docs/journey.md (renewal runway)"

DEFAULT_BENCHMARKS: Mapping[Segment, Mapping[Stage, StageBenchmark]] = freeze(
    {
        Segment.ENTERPRISE: {
            Stage.ONBOARDING: StageBenchmark(_d(60), _d(180), _d(270), _SRC_DUR),
            Stage.ADOPTION: StageBenchmark(_m(12), _m(24), _m(36), _SRC_DUR),
            Stage.EXPANSION: StageBenchmark(_m(6), _m(12), _m(18), _SRC_DUR),
            Stage.RENEWAL: StageBenchmark(_d(120), _d(180), _d(210), _SRC_RUNWAY),
        },
        Segment.MID_MARKET: {
            Stage.ONBOARDING: StageBenchmark(_d(28), _d(60), _d(90), _SRC_DUR),
            Stage.ADOPTION: StageBenchmark(_m(6), _m(12), _m(18), _SRC_DUR),
            Stage.EXPANSION: StageBenchmark(_m(2), _m(4), _m(6), _SRC_DUR),
            Stage.RENEWAL: StageBenchmark(_d(60), _d(90), _d(120), _SRC_RUNWAY),
        },
        Segment.SMB: {
            Stage.ONBOARDING: StageBenchmark(_d(7), _d(30), _d(45), _SRC_DUR),
            Stage.ADOPTION: StageBenchmark(_m(3), _m(6), _m(9), _SRC_DUR),
            Stage.EXPANSION: StageBenchmark(_d(7), _d(14), _d(30), _SRC_DUR),
            Stage.RENEWAL: StageBenchmark(_d(30), _d(60), _d(90), _SRC_RUNWAY),
        },
        Segment.PRODUCT_LED: {
            Stage.ONBOARDING: StageBenchmark(_d(1), _d(7), _d(14), _SRC_DUR),
            Stage.ADOPTION: StageBenchmark(_m(1), _m(3), _m(6), _SRC_DUR),
            Stage.RENEWAL: StageBenchmark(_d(14), _d(30), _d(45), _SRC_RUNWAY),
        },
    }
)
"""Per-segment stage durations. Retention and Advocacy are ongoing (no benchmark); product-led expansion
is continuous micro-expansion (no benchmark)."""

# Sources: onboarding exit (domain-spec §1.2), adoption exit (§1.3, A-26), advocate qualification (§1.7).
_S12 = "docs/journey.md (onboarding exit criteria)"
_S13 = "docs/journey.md (adoption exit criteria)"
_S17 = "docs/journey.md (advocate qualification)"

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
                      description="high health score (green band)", source=_S17),
            Criterion("high_satisfaction", signals.SATISFACTION, threshold=9,
                      description="high satisfaction (a promoter, 9-10)", source=_S17),
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

_SRC_EXPANSION = "docs/journey.md (expansion readiness)"

DEFAULT_READINESS: Mapping[Stage, tuple[Criterion, ...]] = freeze(
    {
        Stage.EXPANSION: (
            Criterion("usage_near_limit", signals.USAGE_LIMIT_RATIO, threshold=0.80,
                      description="usage at 80 % of a plan limit", source=_SRC_EXPANSION),
            Criterion("healthy", signals.HEALTH_SCORE, threshold=70,
                      description="healthy enough to have earned the right to expand", source=_SRC_EXPANSION),
        ),
    }
)
"""Advisory criteria used only by suggestions (they never refuse a move)."""

DEFAULT_RENEWAL_RUNWAY_DAYS: Mapping[Segment, int] = freeze(
    {Segment.ENTERPRISE: 180, Segment.MID_MARKET: 90, Segment.SMB: 60, Segment.PRODUCT_LED: 30}
)
"""Days before the contract end when a renewal move is suggested."""

_SRC_REGRESSION = "docs/journey.md (regression signals)"

DEFAULT_REGRESSION_SIGNALS: tuple[RegressionSignal, ...] = (
    RegressionSignal(Criterion("champion_left", signals.CHAMPION_LEFT, source=_SRC_REGRESSION),
                     Cause.CHAMPION_LEFT, Stage.ADOPTION),
    RegressionSignal(Criterion("budget_cut", signals.BUDGET_CUT, source=_SRC_REGRESSION),
                     Cause.BUDGET_CUT, Stage.ADOPTION),
    RegressionSignal(Criterion("leadership_change", signals.LEADERSHIP_CHANGE, source=_SRC_REGRESSION),
                     Cause.LEADERSHIP_CHANGE, Stage.ADOPTION),
    RegressionSignal(Criterion("competitor_evaluation", signals.COMPETITOR_EVALUATION, source=_SRC_REGRESSION),
                     Cause.COMPETITOR_EVALUATION, Stage.RETENTION),
    RegressionSignal(Criterion("health_red", signals.HEALTH_SCORE, Comparison.LT, 40,
                               description="health in the red band", source=_SRC_REGRESSION),
                     Cause.HEALTH_DECLINE, Stage.ADOPTION),
)
"""Signals that suggest a regression: "back to basics proving value"."""
