"""The default health model and its parts: the numbers of the field, each defined once and named."""

from __future__ import annotations

from typing import Final

from postsale import signals
from postsale.health._component import Component, MissingData, PulseMode, PulsePolicy
from postsale.health._model import HealthModel
from postsale.health._scoring import Band, Bands, Linear

__all__ = ["BASIC_HEALTH_MODEL", "NPS_BANDS", "SEAT_UTILISATION_BANDS"]

DEFAULT_COMPONENT_WEIGHT: Final = 0.25
"""Equal weight of each default component."""
QUARTER_DAYS: Final = 90
"""A relationship, business-context or sentiment reading older than one quarterly review cycle (a QBR every 90
days) is stale in the default model."""
ACTIVE_WINDOW_DAYS: Final = 30
"""Usage older than the 30-day "active" window is stale in the default model."""

SEAT_UTILISATION_BANDS: Final = Bands.thresholds(below=15, at_least=[(0.30, 45), (0.50, 65), (0.70, 100)])
"""Seat utilisation: >= 70 % of purchased seats active meets the adoption target → 100; 50-70 % → 65;
30-50 % → 45; < 30 % → 15."""
NPS_BANDS: Final = Bands(
    (
        Band(25, 0, 7),
        Band(65, 7, 9),
        Band(100, 9, 10, upper_inclusive=True),
    )
)
"""NPS answer 0-10: promoters 9-10 → 100, passives 7-8 → 65, detractors 0-6 → 25; anything outside 0-10 is
refused (a 0-100 survey scale by mistake)."""

BASIC_HEALTH_MODEL: Final = HealthModel(
    (
        Component(
            "product_usage",
            signals.SEAT_UTILISATION,
            SEAT_UTILISATION_BANDS,
            weight=DEFAULT_COMPONENT_WEIGHT,
            missing=MissingData(stale_after_days=ACTIVE_WINDOW_DAYS),
        ),
        Component(
            "relationship",
            signals.NPS,
            NPS_BANDS,
            weight=DEFAULT_COMPONENT_WEIGHT,
            missing=MissingData(stale_after_days=QUARTER_DAYS),
        ),
        Component(
            "business_context",
            signals.BUSINESS_CONTEXT,
            Linear(slope=1.0),
            weight=DEFAULT_COMPONENT_WEIGHT,
            missing=MissingData(stale_after_days=QUARTER_DAYS),
        ),
        Component(
            "sentiment",
            signals.SENTIMENT,
            Linear(slope=1.0),
            weight=DEFAULT_COMPONENT_WEIGHT,
            missing=MissingData(stale_after_days=QUARTER_DAYS),
        ),
    ),
    name="postsale-basic",
    version="1",
    pulse=PulsePolicy(mode=PulseMode.COMPONENT, weight=DEFAULT_COMPONENT_WEIGHT),
)
"""The basic health model (``postsale-basic`` v1): four single-signal components with equal weights 0.25, the
default before the CS model (see ``docs/health.md``); for portfolios that have only these four signals.

* ``product_usage`` reads ``seat_utilisation`` through :data:`SEAT_UTILISATION_BANDS`; stale after 30 days.
* ``relationship`` reads ``nps`` (0-10) through :data:`NPS_BANDS`; stale after 90 days.
* ``business_context`` reads ``business_context`` (0-100) linearly; stale after 90 days.
* ``sentiment`` reads ``sentiment`` (0-100) linearly; stale after 90 days.

Missing or stale components are excluded and their weight shared. Bands GREEN >= 70, YELLOW 40-69, RED < 40
(hysteresis 10 in the trigger engine). A valid CSM pulse counts as a fifth component of weight 0.25 and is
dropped once expired.
"""
