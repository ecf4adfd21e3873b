"""The CS health model: usage, relationship, business context and sentiment as a customer-success team reads them.

Usage and relationship are each made of several signals (composite components); every number is a named constant,
documented with its reasoning in the field guide (``docs/guide/health.md``, "The CS model").

Examples:
    >>> from datetime import date
    >>> from postsale import AccountSnapshot
    >>> snap = AccountSnapshot("acme", "MID_MARKET", date(2026, 3, 31), seats_purchased=50, seats_active=31,
    ...                        signals={"logins_week": 120, "logins_prev_week": 150, "distinct_features_used": 5,
    ...                                 "nps": 8, "executive_engagement": 60, "support_tickets_week": 1,
    ...                                 "critical_issues_open": 0, "business_context": 70, "sentiment": 55})
    >>> score = CS_HEALTH_MODEL.score(snap)
    >>> round(score.value, 2), score.band.name, score.component("product_usage").points
    (71.45, 'GREEN', 78.5)
    >>> score.component("relationship").part("support_tickets").rule
    '1 <= support_tickets_week < 3 → 80 points'
"""

from __future__ import annotations

from typing import Final

from postsale import signals
from postsale.health._component import Component, MissingData, PulseMode, PulsePolicy
from postsale.health._composite import Composite
from postsale.health._defaults import ACTIVE_WINDOW_DAYS, NPS_BANDS, QUARTER_DAYS, SEAT_UTILISATION_BANDS
from postsale.health._model import HealthModel
from postsale.health._scoring import Band, Bands, Linear

__all__ = [
    "CRITICAL_ISSUE_BANDS",
    "CS_HEALTH_MODEL",
    "DEFAULT_HEALTH_MODEL",
    "FEATURE_BREADTH_BANDS",
    "LOGINS_TREND_BANDS",
    "SUPPORT_TICKET_BANDS",
]

# ---- component weights (they sum to 1) -------------------------------------------------------------------------
USAGE_WEIGHT: Final = 0.40
"""Usage: the most frequent, hardest-to-fake evidence that the customer gets value (and the whole of health for a
product-led account)."""
RELATIONSHIP_WEIGHT: Final = 0.30
"""Relationship: NPS, support and the executive sponsor; a strong relationship can carry an account through a dip
in usage, and a broken one ends it at renewal."""
BUSINESS_CONTEXT_WEIGHT: Final = 0.15
"""Business context: a judgement score, refreshed once a quarter at best; it matters but moves rarely."""
SENTIMENT_WEIGHT: Final = 0.15
"""Sentiment: a judgement score read from surveys, meetings and email tone; often the first to move, and the
noisiest."""

# ---- usage parts -----------------------------------------------------------------------------------------------
SEAT_PART_WEIGHT: Final = 0.4
"""Seat utilisation in usage: the adoption measure with a target (70 % of seats active)."""
TREND_PART_WEIGHT: Final = 0.3
"""The logins trend in usage: this week's logins over last week's, the earliest sign of a drop."""
BREADTH_PART_WEIGHT: Final = 0.3
"""Feature breadth in usage: how much of the product the account relies on."""

LOGINS_TREND_BANDS: Final = Bands(
    (
        Band(15, None, 0.5, upper_inclusive=True),
        Band(45, 0.5, 0.7, lower_inclusive=False, upper_inclusive=True),
        Band(75, 0.7, 0.9, lower_inclusive=False),
        Band(100, 0.9, None),
    )
)
"""This week's logins over last week's: 0.9 or more (steady or growing; a tenth either way is weekly noise) → 100;
above 0.7 → 75; a drop of 30 % or more (the login-decline trigger's threshold, ratio <= 0.7) → 45; a drop of half
or more (ratio <= 0.5) → 15."""
FEATURE_BREADTH_BANDS: Final = Bands((Band(15, 0, 2), Band(45, 2, 3), Band(65, 3, 4), Band(100, 4, None)))
"""Distinct features used in the last 30 days: 4 or more (the initial use case and 3 features beyond it, the
adoption target) → 100; 3 → 65; 2 → 45; 0-1 → 15. A negative count is refused."""

# ---- relationship parts ----------------------------------------------------------------------------------------
NPS_PART_WEIGHT: Final = 0.4
"""NPS in relationship: the customer's own voice, and the signal most teams collect."""
EXECUTIVE_PART_WEIGHT: Final = 0.3
"""Executive engagement in relationship: a sponsor who shows up is what carries a renewal."""
TICKETS_PART_WEIGHT: Final = 0.15
"""Weekly support tickets in relationship (half of the support signal)."""
CRITICAL_PART_WEIGHT: Final = 0.15
"""Open critical issues in relationship (the other half of the support signal)."""

SUPPORT_TICKET_BANDS: Final = Bands((Band(100, 0, 1), Band(80, 1, 3), Band(40, 3, 6), Band(10, 6, None)))
"""Support tickets opened in the last 7 days: none → 100; 1-2 (normal use) → 80; 3-5 (the ticket-spike trigger's
threshold of 3 a week) → 40; 6 or more (twice the spike) → 10. A negative count is refused."""
CRITICAL_ISSUE_BANDS: Final = Bands((Band(100, 0, 1), Band(40, 1, 2), Band(10, 2, None)))
"""Unresolved critical issues: none → 100; one → 40; two or more → 10. A negative count is refused."""

_USAGE_WINDOW: Final = MissingData(stale_after_days=ACTIVE_WINDOW_DAYS)
_QUARTER: Final = MissingData(stale_after_days=QUARTER_DAYS)

CS_HEALTH_MODEL: Final = HealthModel(
    (
        Composite(
            "product_usage",
            (
                Component("seat_utilisation", signals.SEAT_UTILISATION, SEAT_UTILISATION_BANDS,
                          weight=SEAT_PART_WEIGHT, missing=_USAGE_WINDOW),
                Component("logins_trend", signals.LOGINS_WEEK, LOGINS_TREND_BANDS, weight=TREND_PART_WEIGHT,
                          missing=_USAGE_WINDOW, relative_to=signals.LOGINS_PREV_WEEK),
                Component("feature_breadth", signals.DISTINCT_FEATURES_USED, FEATURE_BREADTH_BANDS,
                          weight=BREADTH_PART_WEIGHT, missing=_USAGE_WINDOW),
            ),
            weight=USAGE_WEIGHT,
        ),
        Composite(
            "relationship",
            (
                Component("nps", signals.NPS, NPS_BANDS, weight=NPS_PART_WEIGHT, missing=_QUARTER),
                Component("executive_engagement", signals.EXECUTIVE_ENGAGEMENT, Linear(slope=1.0),
                          weight=EXECUTIVE_PART_WEIGHT, missing=_QUARTER),
                Component("support_tickets", signals.SUPPORT_TICKETS_WEEK, SUPPORT_TICKET_BANDS,
                          weight=TICKETS_PART_WEIGHT, missing=_USAGE_WINDOW),
                Component("critical_issues", signals.CRITICAL_ISSUES_OPEN, CRITICAL_ISSUE_BANDS,
                          weight=CRITICAL_PART_WEIGHT, missing=_USAGE_WINDOW),
            ),
            weight=RELATIONSHIP_WEIGHT,
        ),
        Component("business_context", signals.BUSINESS_CONTEXT, Linear(slope=1.0), weight=BUSINESS_CONTEXT_WEIGHT,
                  missing=_QUARTER),
        Component("sentiment", signals.SENTIMENT, Linear(slope=1.0), weight=SENTIMENT_WEIGHT, missing=_QUARTER),
    ),
    name="postsale-cs",
    version="1",
    pulse=PulsePolicy(mode=PulseMode.COMPONENT, weight=0.25),
)
"""The CS health model (``postsale-cs`` v1): four components with documented weights (see ``docs/health.md``).

* ``product_usage`` (0.40): seat utilisation (0.4, :data:`SEAT_UTILISATION_BANDS`), the logins trend
  ``logins_week / logins_prev_week`` (0.3, :data:`LOGINS_TREND_BANDS`) and feature breadth
  ``distinct_features_used`` (0.3, :data:`FEATURE_BREADTH_BANDS`); each stale after 30 days.
* ``relationship`` (0.30): NPS (0.4, :data:`NPS_BANDS`) and executive engagement 0-100 (0.3, linear), stale after
  90 days; support tickets a week (0.15, :data:`SUPPORT_TICKET_BANDS`) and open critical issues (0.15,
  :data:`CRITICAL_ISSUE_BANDS`), stale after 30 days.
* ``business_context`` (0.15) and ``sentiment`` (0.15): 0-100, linear; stale after 90 days.

Missing or stale parts are excluded and their weight shared within their component; a component none of whose parts
has data is excluded and its weight shared among the others. Bands GREEN >= 70, YELLOW 40-69, RED < 40; a valid CSM
pulse counts as one more component of weight 0.25, as in :data:`~postsale.health.DEFAULT_HEALTH_MODEL`.
"""

DEFAULT_HEALTH_MODEL: Final = CS_HEALTH_MODEL
"""The default health model: :data:`CS_HEALTH_MODEL`, the model a CS team recognises (usage, relationship, business
context, sentiment). :data:`~postsale.health.BASIC_HEALTH_MODEL` is the four-signal model it replaced."""
