"""The journey's default values: criteria, checklists, cause categories, stage benchmarks, runways, regressions.

Each table is a default of :class:`~postsale.journey.JourneyDefinition`; the field guide (``docs/guide/journey.md``)
explains each value and where it comes from, and every ``source`` below cites its section.
"""

from __future__ import annotations

from collections.abc import Mapping

from postsale import signals
from postsale._frozen import freeze
from postsale._vocabulary import HealthBand, Segment, Stage
from postsale.journey._checklists import StageChecklist
from postsale.journey._criteria import Criterion, RegressionSignal, Span, StageBenchmark
from postsale.journey._kinds import Cause, CauseCategory, Comparison

_BANDS: Mapping[str, float] = HealthBand.of.__kwdefaults__ or {}
_GREEN_HEALTH: float = _BANDS["green_from"]
"""Where the GREEN health band starts, 70 (guide: Health › Band cut-offs): "high health" in the criteria below."""
_RED_BELOW: float = _BANDS["yellow_from"]
"""Below 40 the health band is RED (guide: Health › Band cut-offs)."""
_SEATS_ACTIVE = 0.70
"""The adoption target: 70 % of purchased seats active (guide: Journey › Adoption)."""

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


_SRC_DUR = "guide: Journey › Time in stage"
_SRC_RUNWAY = "guide: Journey › Time in stage"

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

_S12 = "guide: Journey › Onboarding"
_S13 = "guide: Journey › Adoption"
_S17 = "guide: Journey › Advocacy"

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
            Criterion("seats_active_70pct", signals.SEAT_UTILISATION, threshold=_SEATS_ACTIVE,
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
            Criterion("high_health", signals.HEALTH_SCORE, threshold=_GREEN_HEALTH,
                      description="high health score (green band)", source=_S17),
            Criterion("high_satisfaction", signals.SATISFACTION, threshold=9,
                      description="high satisfaction (a promoter, 9-10)", source=_S17),
            Criterion("roi_documented", signals.ROI_DOCUMENTED,
                      description="measurable success and ROI documented", source=_S17),
            Criterion("champion_willing", signals.CHAMPION_WILLING,
                      description="an engaged champion willing to advocate", source=_S17),
            Criterion("strategic_profile", signals.STRATEGIC_PROFILE,
                      description="a profile others want to emulate", source=_S17),
            Criterion("adoption_successful", signals.SEAT_UTILISATION, threshold=_SEATS_ACTIVE,
                      description="successful deployment and adoption (>= 70 % seats active)", source=_S17),
            Criterion("renewed_at_least_once", signals.RENEWALS_COMPLETED,
                      description="long-term commitment: renewed at least once", source=_S17),
        ),
    }
)
"""Entry criteria: the advocate qualification guards moves into Advocacy."""

_SRC_EXPANSION = "guide: Journey › Expansion"

DEFAULT_READINESS: Mapping[Stage, tuple[Criterion, ...]] = freeze(
    {
        Stage.EXPANSION: (
            Criterion("usage_near_limit", signals.USAGE_LIMIT_RATIO, threshold=0.80,
                      description="usage at 80 % of a plan limit", source=_SRC_EXPANSION),
            Criterion("healthy", signals.HEALTH_SCORE, threshold=_GREEN_HEALTH,
                      description="healthy enough to have earned the right to expand", source=_SRC_EXPANSION),
        ),
    }
)
"""Advisory criteria used only by suggestions (they never refuse a move)."""

DEFAULT_RENEWAL_RUNWAY_DAYS: Mapping[Segment, int] = freeze(
    {Segment.ENTERPRISE: 180, Segment.MID_MARKET: 90, Segment.SMB: 60, Segment.PRODUCT_LED: 30}
)
"""Days before the contract end when a renewal move is suggested."""

_SRC_REGRESSION = "guide: Journey › Regressions and cycles"

DEFAULT_REGRESSION_SIGNALS: tuple[RegressionSignal, ...] = (
    RegressionSignal(Criterion("champion_left", signals.CHAMPION_LEFT, source=_SRC_REGRESSION),
                     Cause.CHAMPION_LEFT, Stage.ADOPTION),
    RegressionSignal(Criterion("budget_cut", signals.BUDGET_CUT, source=_SRC_REGRESSION),
                     Cause.BUDGET_CUT, Stage.ADOPTION),
    RegressionSignal(Criterion("leadership_change", signals.LEADERSHIP_CHANGE, source=_SRC_REGRESSION),
                     Cause.LEADERSHIP_CHANGE, Stage.ADOPTION),
    RegressionSignal(Criterion("competitor_evaluation", signals.COMPETITOR_EVALUATION, source=_SRC_REGRESSION),
                     Cause.COMPETITOR_EVALUATION, Stage.RETENTION),
    RegressionSignal(Criterion("health_red", signals.HEALTH_SCORE, Comparison.LT, _RED_BELOW,
                               description="health in the red band", source=_SRC_REGRESSION),
                     Cause.HEALTH_DECLINE, Stage.ADOPTION),
)
"""Signals that suggest a regression: "back to basics proving value"."""

_RISK_MEDIUM = 2
"""Renewal risk "at most medium": LOW = 1, MEDIUM = 2, HIGH = 3."""
_SRC_RETENTION = "guide: Journey › Retention"
_SRC_EXPANSION_WORKING = "guide: Journey › Expansion"
_SRC_ADVOCACY = "guide: Journey › Advocacy"

DEFAULT_STAGE_CHECKLISTS: Mapping[Stage, StageChecklist] = freeze(
    {
        Stage.RETENTION: StageChecklist(
            Stage.RETENTION,
            (
                Criterion("health_green", signals.HEALTH_SCORE, threshold=_GREEN_HEALTH,
                          description="the health score stays in the green band", source=_SRC_RETENTION),
                Criterion("no_critical_issues", signals.CRITICAL_ISSUES_OPEN, Comparison.LE, 0,
                          description="no critical issue left unresolved", source=_SRC_RETENTION),
                Criterion("renewal_risk_at_most_medium", signals.RENEWAL_RISK, Comparison.LE, _RISK_MEDIUM,
                          description="renewal risk at most Medium (1 low, 2 medium, 3 high)", source=_SRC_RETENTION),
            ),
            title="Retention going well",
            source=_SRC_RETENTION,
        ),
        Stage.EXPANSION: StageChecklist(
            Stage.EXPANSION,
            (
                Criterion("account_nrr_above_100pct", signals.ACCOUNT_NRR, Comparison.GT, 1.0,
                          description="the account's NRR is above 100 % (it grows faster than it shrinks)",
                          source=_SRC_EXPANSION_WORKING),
            ),
            title="Expansion working",
            source=_SRC_EXPANSION_WORKING,
        ),
        Stage.ADVOCACY: StageChecklist(
            Stage.ADVOCACY,
            (
                Criterion("reference_or_case_study", signals.REFERENCES_GIVEN,
                          description="gave a reference or a case study", source=_SRC_ADVOCACY),
                Criterion("positive_review", signals.POSITIVE_REVIEWS,
                          description="posted a positive review (G2, Capterra)", source=_SRC_ADVOCACY),
                Criterion("referral_introductions", signals.REFERRALS_MADE,
                          description="introduced other companies (referrals)", source=_SRC_ADVOCACY),
                Criterion("customer_marketing", signals.MARKETING_PARTICIPATION,
                          description="took part in customer marketing", source=_SRC_ADVOCACY),
                Criterion("event_speaking", signals.SPEAKING_ENGAGEMENTS,
                          description="spoke at an event or webinar", source=_SRC_ADVOCACY),
                Criterion("referral_pipeline", signals.REFERRAL_PIPELINE, Comparison.GT, 0,
                          description="generated referral pipeline", source=_SRC_ADVOCACY),
            ),
            required=1,
            title="Advocacy succeeding",
            source=_SRC_ADVOCACY,
        ),
    }
)
"""What "going well" means while an account is in an ongoing stage (never a guard): Retention going well (all
three), Expansion working (account NRR above 100 %), Advocacy succeeding (at least one of six activities)."""
