"""Health: weighted, banded health models, scores that explain themselves, change attribution and roll-ups.

Build a :class:`HealthModel` from weighted :class:`Component` s (each scoring one signal, or a trend of one
signal over a baseline, with :class:`Bands`, :class:`Linear` or :class:`BoundedLinear`, with a
:class:`MissingData` policy) and :class:`Composite` components (several weighted signals in one), score a
snapshot with :meth:`HealthModel.score` (or a whole frame with :meth:`HealthModel.expr`), compare two scores
with :func:`attribute_change`, and roll children up into a parent with :func:`roll_up_health`. A model's
:class:`BandPolicy` is the one definition of the GREEN / YELLOW / RED cut-offs, read by the trigger engine too.
:data:`DEFAULT_HEALTH_MODEL` is :data:`CS_HEALTH_MODEL`, the model a CS team recognises (usage, relationship,
business context and sentiment, usage and relationship made of several signals each);
:data:`BASIC_HEALTH_MODEL` is the four-signal model it replaced. See ``docs/health.md``.
"""

from postsale.health import _serialization as _serialization  # registers the plain-data hooks
from postsale.health._bands import BAND_HYSTERESIS, DROP_MARGIN, GREEN_FROM, YELLOW_FROM, BandPolicy
from postsale.health._change import ComponentMove, HealthChange, attribute_change
from postsale.health._component import (
    AGE_SUFFIX,
    PULSE,
    Component,
    MissingAction,
    MissingData,
    PulseMode,
    PulsePolicy,
)
from postsale.health._composite import Composite
from postsale.health._cs_model import (
    CRITICAL_ISSUE_BANDS,
    CS_HEALTH_MODEL,
    DEFAULT_HEALTH_MODEL,
    FEATURE_BREADTH_BANDS,
    LOGINS_TREND_BANDS,
    SUPPORT_TICKET_BANDS,
)
from postsale.health._defaults import BASIC_HEALTH_MODEL, NPS_BANDS, SEAT_UTILISATION_BANDS
from postsale.health._model import HealthModel
from postsale.health._rollup import ChildHealth, HealthRollUp, RollUpMethod, roll_up_health
from postsale.health._score import (
    BAND_PULSE_POINTS,
    ComponentResult,
    HealthBatch,
    HealthScore,
    NoHealthDataError,
    Pulse,
    PulseStatus,
    ScoreFailure,
)
from postsale.health._scoring import Band, Bands, BoundedLinear, Linear, Scoring
from postsale.health._treatment import Freshness, PartResult, Treatment

__all__ = [  # noqa: RUF022 - grouped by concept, sorted within each group
    # models and their parts
    "AGE_SUFFIX",
    "PULSE",
    "Band",
    "Bands",
    "BoundedLinear",
    "Component",
    "Composite",
    "HealthModel",
    "Linear",
    "MissingAction",
    "MissingData",
    "PulseMode",
    "PulsePolicy",
    "Scoring",
    # bands
    "BAND_HYSTERESIS",
    "DROP_MARGIN",
    "GREEN_FROM",
    "YELLOW_FROM",
    "BandPolicy",
    # defaults
    "BAND_PULSE_POINTS",
    "BASIC_HEALTH_MODEL",
    "CRITICAL_ISSUE_BANDS",
    "CS_HEALTH_MODEL",
    "DEFAULT_HEALTH_MODEL",
    "FEATURE_BREADTH_BANDS",
    "LOGINS_TREND_BANDS",
    "NPS_BANDS",
    "SEAT_UTILISATION_BANDS",
    "SUPPORT_TICKET_BANDS",
    # scores
    "ComponentResult",
    "Freshness",
    "HealthBatch",
    "HealthScore",
    "NoHealthDataError",
    "PartResult",
    "Pulse",
    "PulseStatus",
    "ScoreFailure",
    "Treatment",
    # change and roll-up
    "ChildHealth",
    "ComponentMove",
    "HealthChange",
    "HealthRollUp",
    "RollUpMethod",
    "attribute_change",
    "roll_up_health",
]
