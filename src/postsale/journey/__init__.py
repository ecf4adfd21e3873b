"""The six-stage, non-linear customer journey (see ``docs/journey.md``).

A :class:`Journey` belongs to one account and holds one or more tracks (the core use case, a
department, a product), each in exactly one :class:`~postsale.Stage`. Every change is an explicit
:class:`JourneyEvent` with a :class:`TransitionKind` and a :class:`Cause`; forward moves out of
Onboarding and Adoption, and into Advocacy, are guarded by the checklists of the
:class:`JourneyDefinition`. Stages never change by calendar: :meth:`Journey.timing` reports ON_TRACK /
BEHIND / STUCK and :meth:`Journey.suggest` proposes moves with their evidence. Stage checklists say whether an
account is doing well in an ongoing stage (:func:`check_stages`); onboarding metrics (:func:`time_to_first_value`,
:func:`days_to_first_login`) and :func:`outcome_correlation` measure many journeys.
"""

from postsale.journey import _serialization
from postsale.journey._analytics import (
    JourneyAnalytics,
    RegressionRate,
    StageCompletion,
    StageVelocity,
    analyze,
    analyze_cohorts,
    cohort_key,
)
from postsale.journey._checklists import ChecklistResult, ChecklistStatus, StageChecklist
from postsale.journey._criteria import (
    Criterion,
    CriterionResult,
    Readiness,
    RegressionSignal,
    Span,
    StageBenchmark,
)
from postsale.journey._defaults import DEFAULT_STAGE_CHECKLISTS
from postsale.journey._definition import DEFAULT_JOURNEY_DEFINITION, JourneyDefinition
from postsale.journey._events import JourneyEvent, StageTiming, Suggestion, TimingStatus, TrackState
from postsale.journey._journey import Journey
from postsale.journey._kinds import Cause, CauseCategory, Comparison, TransitionKind
from postsale.journey._milestones import (
    FIRST_LOGIN_TARGET_DAYS,
    FIRST_VALUE_TARGET_DAYS,
    AccountMilestones,
    MilestoneTiming,
    check_stages,
    days_to_first_login,
    time_to_first_value,
)
from postsale.journey._outcomes import (
    OUTCOME_MIN_ACCOUNTS,
    OutcomeCorrelation,
    PathOutcome,
    PathPattern,
    PatternOutcome,
    outcome_correlation,
)

_serialization.setup()

__all__ = [  # noqa: RUF022 - grouped, sorted within each group
    # the journey
    "Journey",
    "JourneyEvent",
    "TrackState",
    "TransitionKind",
    "Cause",
    "CauseCategory",
    # its definition
    "DEFAULT_JOURNEY_DEFINITION",
    "JourneyDefinition",
    "Comparison",
    "Criterion",
    "CriterionResult",
    "Readiness",
    "RegressionSignal",
    "Span",
    "StageBenchmark",
    # time in stage and suggestions
    "StageTiming",
    "Suggestion",
    "TimingStatus",
    # stage checklists: doing well in an ongoing stage
    "DEFAULT_STAGE_CHECKLISTS",
    "ChecklistResult",
    "ChecklistStatus",
    "StageChecklist",
    "check_stages",
    # analytics
    "JourneyAnalytics",
    "RegressionRate",
    "StageCompletion",
    "StageVelocity",
    "analyze",
    "analyze_cohorts",
    "cohort_key",
    # onboarding metrics
    "FIRST_LOGIN_TARGET_DAYS",
    "FIRST_VALUE_TARGET_DAYS",
    "AccountMilestones",
    "MilestoneTiming",
    "days_to_first_login",
    "time_to_first_value",
    # outcome correlation
    "OUTCOME_MIN_ACCOUNTS",
    "OutcomeCorrelation",
    "PathOutcome",
    "PathPattern",
    "PatternOutcome",
    "outcome_correlation",
]
