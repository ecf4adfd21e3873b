"""Well-known signal names shared by every context.

An :class:`~postsale.AccountSnapshot` carries an open mapping of named numeric signals. The names
below are the ones the default journey criteria, health models, trigger catalog and the columnar path
agree on; use the constants rather than string literals so a typo is a ``NameError``, not a silent
miss. Any other name is allowed too (custom signals are first-class). Booleans are written 1.0 / 0.0.
A value is a finite number of at most 1e15 in absolute value and a name at most 1 000 characters (the
documented ranges, docs/limits.md); the snapshot refuses anything else when it is built.

Derived names (:data:`ACV`, :data:`SEATS_PURCHASED`, :data:`SEATS_ACTIVE`, :data:`SEAT_UTILISATION`,
:data:`DAYS_TO_RENEWAL`, :data:`DAYS_SINCE_START`) are computed from the snapshot's fields by
:meth:`~postsale.AccountSnapshot.evidence` and need not be given as signals.
"""

from __future__ import annotations

from typing import Final

# ---- derived from snapshot fields -------------------------------------------------------------
ACV: Final = "acv"
"""Annual contract value (float view of the snapshot's ``acv``)."""
SEATS_PURCHASED: Final = "seats_purchased"
"""Seats (licences) purchased."""
SEATS_ACTIVE: Final = "seats_active"
"""Seats active in the last 30 days (domain-spec A-26)."""
SEAT_UTILISATION: Final = "seat_utilisation"
"""Active seats / purchased seats (domain-spec §1.3, A-26); absent when nothing was purchased."""
DAYS_TO_RENEWAL: Final = "days_to_renewal"
"""Days from the snapshot date to the contract end (negative once past); absent without an end date."""
DAYS_SINCE_START: Final = "days_since_start"
"""Days from the contract start to the snapshot date (day 0 = start); absent without a start date."""

# ---- onboarding exit criteria, domain-spec §1.2 -----------------------------------------------
IMPLEMENTATION_COMPLETE: Final = "implementation_complete"
"""1 when technical implementation is complete."""
CORE_USERS_TRAINED: Final = "core_users_trained"
"""1 when core users are trained and active."""
USE_CASE_LIVE: Final = "use_case_live"
"""1 when the initial use case is live in production."""
FIRST_VALUE_DOCUMENTED: Final = "first_value_documented"
"""1 when the customer has achieved and documented first business value (also trigger M4)."""
GO_LIVE_CONFIRMED: Final = "go_live_confirmed"
"""1 when the customer (not the vendor) has confirmed go-live."""
CORE_SETUP_COMPLETION: Final = "core_setup_completion"
"""Share of core setup completed, 0..1 (trigger M3 fires at 1.0)."""

# ---- adoption exit criteria, domain-spec §1.3 -------------------------------------------------
FEATURES_BEYOND_INITIAL: Final = "features_beyond_initial"
"""Number of features adopted beyond the initial use case."""
USAGE_PATTERN_ESTABLISHED: Final = "usage_pattern_established"
"""1 when daily or weekly usage patterns are established."""
ADDITIONAL_TEAMS_ONBOARDED: Final = "additional_teams_onboarded"
"""Number of additional departments or teams onboarded."""
POWER_USERS: Final = "power_users"
"""Number of power users identified and engaged."""

# ---- advocate qualification, domain-spec §1.7 -------------------------------------------------
HEALTH_SCORE: Final = "health_score"
"""Overall health score 0..100 (computed by a health model, or given)."""
SATISFACTION: Final = "satisfaction"
"""Latest satisfaction / NPS answer of the main contact, 0..10."""
ROI_DOCUMENTED: Final = "roi_documented"
"""1 when measurable success and ROI are documented."""
CHAMPION_WILLING: Final = "champion_willing"
"""1 when an engaged champion is willing to advocate."""
STRATEGIC_PROFILE: Final = "strategic_profile"
"""1 when the customer's profile is one others want to emulate."""
RENEWALS_COMPLETED: Final = "renewals_completed"
"""Number of renewals completed (advocates have renewed at least once)."""

# ---- usage, domain-spec §5.3-§5.4 -------------------------------------------------------------
LOGINS_WEEK: Final = "logins_week"
"""Logins in the last 7 days."""
LOGINS_PREV_WEEK: Final = "logins_prev_week"
"""Logins in the 7 days before that (trigger U1 compares the two, domain-spec A-21)."""
ACTIVE_USERS: Final = "active_users"
"""Distinct active users in the last 30 days."""
CORE_FEATURE_USAGE: Final = "core_feature_usage"
"""Uses of the core feature since purchase (trigger U2: zero at day 30)."""
CRITICAL_FEATURE_USAGE: Final = "critical_feature_usage"
"""Uses of the critical feature in the current period."""
CRITICAL_FEATURE_USAGE_PREV: Final = "critical_feature_usage_prev"
"""Uses of the critical feature in the previous period (trigger U3: 50 % decrease)."""
DISTINCT_FEATURES_USED: Final = "distinct_features_used"
"""Distinct features used in the last 30 days (feature breadth, trigger U4)."""
ACTIVITY_PERCENTILE: Final = "activity_percentile"
"""Activity of the most active user as a percentile 0..100 (trigger U4)."""
USAGE_LIMIT_RATIO: Final = "usage_limit_ratio"
"""Highest usage / plan limit over all limits, 0..1+ (trigger M2 at 0.80)."""
STORAGE_RATIO: Final = "storage_ratio"
"""Storage used / capacity (proactive trigger at 0.75)."""

# ---- relationship, business context, sentiment, domain-spec §4.1 ------------------------------
SUPPORT_TICKETS_WEEK: Final = "support_tickets_week"
"""Support tickets opened in the last 7 days (trigger H4 at 3)."""
NPS: Final = "nps"
"""Latest NPS answer 0..10."""
EXECUTIVE_ENGAGEMENT: Final = "executive_engagement"
"""Executive engagement 0..100 (meetings attended, responsiveness)."""
SENTIMENT: Final = "sentiment"
"""Sentiment 0..100 (surveys, meeting sentiment, email tone)."""
BUSINESS_CONTEXT: Final = "business_context"
"""Business-context score 0..100 (account changes, competitive activity, budget cycle)."""
CHAMPION_LEFT: Final = "champion_left"
"""1 when the champion has left (regression trigger, domain-spec §1.9)."""
BUDGET_CUT: Final = "budget_cut"
"""1 when the customer's budget was cut."""
COMPETITOR_EVALUATION: Final = "competitor_evaluation"
"""1 when the customer is evaluating a competitor."""
LEADERSHIP_CHANGE: Final = "leadership_change"
"""1 when the customer's leadership changed."""
CRITICAL_ISSUES_OPEN: Final = "critical_issues_open"
"""Number of unresolved critical issues."""
PRICING_OBJECTION: Final = "pricing_objection"
"""1 when the customer raised a pricing objection."""

# ---- triggers: proactive and external events, domain-spec §5.3 --------------------------------
LOGINS_MONTH: Final = "logins_month"
"""Logins in the last 30 days (month-over-month login change, domain-spec §5.3)."""
LOGINS_PREV_MONTH: Final = "logins_prev_month"
"""Logins in the 30 days before that."""
LICENSE_DAYS_LEFT: Final = "license_days_left"
"""Days until the licence expires (proactive trigger within 60 days, domain-spec §5.3)."""
FUNDING_ANNOUNCED: Final = "funding_announced"
"""1 when the customer announced a funding round (external event, domain-spec §5.3)."""
ACQUISITION_ANNOUNCED: Final = "acquisition_announced"
"""1 when the customer announced an acquisition (either side of it; external event, domain-spec §5.3)."""

WELL_KNOWN: Final[frozenset[str]] = frozenset(
    value for name, value in dict(globals()).items() if name.isupper() and isinstance(value, str)
)
"""Every name defined above."""
