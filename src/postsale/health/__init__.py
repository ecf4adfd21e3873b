"""Health: weighted, banded health models, scores that explain themselves, change attribution and roll-ups.

Build a :class:`HealthModel` from weighted :class:`Component` s (each scoring one signal with
:class:`Bands`, :class:`Linear` or :class:`BoundedLinear`, with a :class:`MissingData` policy), score a
snapshot with :meth:`HealthModel.score`, compare two scores with :func:`attribute_change`, and roll
children up into a parent with :func:`roll_up_health`. :data:`DEFAULT_HEALTH_MODEL` is the four-component
model of domain-spec §4.1. See ``docs/health.md``.
"""

from postsale.health import _data  # noqa: F401  (registers the plain-data hooks)
from postsale.health._change import ComponentMove, HealthChange, attribute_change
from postsale.health._model import (
    AGE_SUFFIX,
    DEFAULT_HEALTH_MODEL,
    GREEN_FROM,
    NPS_BANDS,
    PULSE,
    SEAT_UTILISATION_BANDS,
    YELLOW_FROM,
    Component,
    HealthModel,
    MissingAction,
    MissingData,
    PulseMode,
    PulsePolicy,
    ScoreBands,
)
from postsale.health._rollup import ChildHealth, HealthRollUp, RollUpMethod, roll_up_health
from postsale.health._score import (
    BAND_PULSE_POINTS,
    ComponentResult,
    Freshness,
    HealthBatch,
    HealthScore,
    NoHealthDataError,
    Pulse,
    PulseStatus,
    ScoreFailure,
    Treatment,
)
from postsale.health._scoring import Band, Bands, BoundedLinear, Linear, Scoring

__all__ = [
    "AGE_SUFFIX",
    "BAND_PULSE_POINTS",
    "DEFAULT_HEALTH_MODEL",
    "GREEN_FROM",
    "NPS_BANDS",
    "PULSE",
    "SEAT_UTILISATION_BANDS",
    "YELLOW_FROM",
    "Band",
    "Bands",
    "BoundedLinear",
    "ChildHealth",
    "Component",
    "ComponentMove",
    "ComponentResult",
    "Freshness",
    "HealthBatch",
    "HealthChange",
    "HealthModel",
    "HealthRollUp",
    "HealthScore",
    "Linear",
    "MissingAction",
    "MissingData",
    "NoHealthDataError",
    "Pulse",
    "PulseMode",
    "PulsePolicy",
    "PulseStatus",
    "RollUpMethod",
    "ScoreBands",
    "ScoreFailure",
    "Scoring",
    "Treatment",
    "attribute_change",
    "roll_up_health",
]
