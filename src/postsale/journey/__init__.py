"""The six-stage, non-linear customer journey (domain-spec §1).

A :class:`Journey` belongs to one account and holds one or more tracks (the core use case, a
department, a product), each in exactly one :class:`~postsale.Stage`. Every change is an explicit
:class:`JourneyEvent` with a :class:`TransitionKind` and a :class:`Cause`; forward moves out of
Onboarding and Adoption, and into Advocacy, are guarded by the checklists of the
:class:`JourneyDefinition`. Stages never change by calendar: :meth:`Journey.timing` reports ON_TRACK /
BEHIND / STUCK and :meth:`Journey.suggest` proposes moves with their evidence.
"""

from typing import Any

from postsale import _convert
from postsale.journey._analytics import (
    JourneyAnalytics,
    RegressionRate,
    StageCompletion,
    StageVelocity,
    analyze,
    analyze_cohorts,
)
from postsale.journey._definition import (
    DEFAULT_DEFINITION,
    Cause,
    CauseCategory,
    Comparison,
    Criterion,
    CriterionResult,
    JourneyDefinition,
    Readiness,
    RegressionSignal,
    Span,
    StageBenchmark,
    TransitionKind,
)
from postsale.journey._journey import (
    Journey,
    JourneyEvent,
    StageTiming,
    Suggestion,
    TimingStatus,
    TrackState,
)

__all__ = [
    "DEFAULT_DEFINITION",
    "Cause",
    "CauseCategory",
    "Comparison",
    "Criterion",
    "CriterionResult",
    "Journey",
    "JourneyAnalytics",
    "JourneyDefinition",
    "JourneyEvent",
    "Readiness",
    "RegressionRate",
    "RegressionSignal",
    "Span",
    "StageBenchmark",
    "StageCompletion",
    "StageTiming",
    "StageVelocity",
    "Suggestion",
    "TimingStatus",
    "TrackState",
    "TransitionKind",
    "analyze",
    "analyze_cohorts",
]


def _setup(converter: Any) -> None:
    """A journey serializes as its identity and events; structuring replays them (default definition)."""

    def unstructure(journey: Journey) -> dict[str, Any]:
        return {
            "account_id": journey.account_id,
            "segment": journey.segment.name,
            "labels": dict(journey.labels),
            "events": [converter.unstructure(e, JourneyEvent) for e in journey.history],
        }

    def structure(data: Any, _type: Any) -> Journey:
        if not isinstance(data, dict):
            raise ValueError(f"expected an object with account_id, segment, labels, events; got {data!r}")
        unknown = set(data) - {"account_id", "segment", "labels", "events"}
        if unknown:
            raise ValueError(f"unknown field(s) {', '.join(sorted(unknown))}")
        events = converter.structure(data.get("events", []), list[JourneyEvent])
        return Journey.replay(
            data.get("account_id", ""), data.get("segment", ""), events, labels=data.get("labels") or {}
        )

    converter.register_unstructure_hook(Journey, unstructure)
    converter.register_structure_hook(Journey, structure)


_convert.register(_setup)
