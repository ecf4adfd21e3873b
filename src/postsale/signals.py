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
"""Seats active in the last 30 days (guide: Health › Signal families)."""
SEAT_UTILISATION: Final = "seat_utilisation"
"""Active seats / purchased seats (guide: Journey › Adoption); absent when nothing was purchased."""
DAYS_TO_RENEWAL: Final = "days_to_renewal"
"""Days from the snapshot date to the contract end (negative once past); absent without an end date."""
DAYS_SINCE_START: Final = "days_since_start"
"""Days from the contract start to the snapshot date (day 0 = start); absent without a start date."""

# ---- onboarding exit criteria, guide: Journey › Onboarding --------------------------------------------
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

# ---- adoption exit criteria, guide: Journey › Adoption --------------------------------------------------
FEATURES_BEYOND_INITIAL: Final = "features_beyond_initial"
"""Number of features adopted beyond the initial use case."""
USAGE_PATTERN_ESTABLISHED: Final = "usage_pattern_established"
"""1 when daily or weekly usage patterns are established."""
ADDITIONAL_TEAMS_ONBOARDED: Final = "additional_teams_onboarded"
"""Number of additional departments or teams onboarded."""
POWER_USERS: Final = "power_users"
"""Number of power users identified and engaged."""

# ---- advocate qualification, guide: Journey › Advocacy ---------------------------------------------------
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

# ---- usage, guide: Triggers › Usage rules -------------------------------------------------------------------
LOGINS_WEEK: Final = "logins_week"
"""Logins in the last 7 days."""
LOGINS_PREV_WEEK: Final = "logins_prev_week"
"""Logins in the 7 days before that (trigger U1 compares the two, guide: Triggers › Usage rules)."""
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

# ---- relationship, business context, sentiment, guide: Health › Signal families ---------------------------
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
"""1 when the champion has left (regression trigger, guide: Journey › Regressions and cycles)."""
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

# ---- triggers: proactive and external events, guide: Triggers › Proactive rules -----------------------------
LOGINS_MONTH: Final = "logins_month"
"""Logins in the last 30 days (month-over-month login change, guide: Triggers › Proactive rules)."""
LOGINS_PREV_MONTH: Final = "logins_prev_month"
"""Logins in the 30 days before that."""
LICENSE_DAYS_LEFT: Final = "license_days_left"
"""Days until the licence expires (proactive trigger within 60 days, guide: Triggers › Proactive rules)."""
FUNDING_ANNOUNCED: Final = "funding_announced"
"""1 when the customer announced a funding round (external event, guide: Triggers › Event rules)."""
ACQUISITION_ANNOUNCED: Final = "acquisition_announced"
"""1 when the customer announced an acquisition (either side of it; external event, guide: Triggers › Event rules)."""

# ---- triggers: health movements, usage patterns, lifecycle moments, expansion (guide: Triggers) ------
EXECUTIVE_ENGAGEMENT_PREV: Final = "executive_engagement_prev"
"""Executive engagement 0..100 a month earlier (trigger H9 compares it with ``executive_engagement``)."""
SENTIMENT_PREV: Final = "sentiment_prev"
"""Sentiment 0..100 a month earlier (trigger H10 compares it with ``sentiment``)."""
DAYS_SINCE_LAST_LOGIN: Final = "days_since_last_login"
"""Days since anyone at the account last logged in (trigger U6: silent disengagement)."""
TEAM_USAGE_DROP: Final = "team_usage_drop"
"""The largest week-over-week drop in usage of any one team or department of the account, as a fraction
(0.4 = one team's usage fell 40 %; trigger U7); count only teams with a base of at least 10 uses."""
NEW_FEATURE_USAGE: Final = "new_feature_usage"
"""Uses of the newest feature relevant to the account since its release (trigger U5)."""
DAYS_SINCE_FEATURE_RELEASE: Final = "days_since_feature_release"
"""Days since that feature was released (trigger U5: still unused 30 days after release)."""
TRIAL_CONVERTED: Final = "trial_converted"
"""1 in the days after the account converted from a trial to a paid plan, else 0 (trigger L1)."""
EXPANSION_IMPLEMENTED: Final = "expansion_implemented"
"""1 in the days after an expansion (more seats, a new module, a new team) went live, else 0 (trigger L3)."""
CHAMPION_PROMOTED: Final = "champion_promoted"
"""1 in the days after the champion was promoted, else 0 (trigger L4)."""
PRODUCT_UPDATE_RELEVANT: Final = "product_update_relevant"
"""1 in the days after a product update relevant to the account's use case was released, else 0 (trigger E5)."""
NEW_DEPARTMENT_INTEREST: Final = "new_department_interest"
"""1 when a team or department not yet using the product has shown interest, else 0 (trigger X1)."""
CHAMPION_REQUEST: Final = "champion_request"
"""1 when the champion has asked for capabilities beyond the current plan, else 0 (trigger X2)."""

# ---- read by the stage checklists (guide: Journey › Stage checklists) ---------------------------------------------
RENEWAL_RISK: Final = "renewal_risk"
"""The renewal risk level as a number: 1 low, 2 medium, 3 high (the values of ``postsale.renewal.RiskLevel``)."""
ACCOUNT_NRR: Final = "account_nrr"
"""The account's own NRR over the last period, as a fraction (1.12 = 112 %; ``postsale.kpi.nrr_by_account``)."""
REFERENCES_GIVEN: Final = "references_given"
"""References taken or case studies published with the customer (last 12 months)."""
POSITIVE_REVIEWS: Final = "positive_reviews"
"""Positive public reviews posted by the customer's users, e.g. on G2 or Capterra (last 12 months)."""
REFERRALS_MADE: Final = "referrals_made"
"""Referral introductions to other companies (last 12 months)."""
MARKETING_PARTICIPATION: Final = "marketing_participation"
"""Customer-marketing activities joined: quotes, videos, co-branded content, advisory board (last 12 months)."""
SPEAKING_ENGAGEMENTS: Final = "speaking_engagements"
"""Talks at events or webinars (last 12 months)."""
REFERRAL_PIPELINE: Final = "referral_pipeline"
"""Value of the pipeline sourced from the customer's referrals, open or won (last 12 months)."""

WELL_KNOWN: Final[frozenset[str]] = frozenset(
    value for name, value in dict(globals()).items() if name.isupper() and isinstance(value, str)
)
"""Every name defined above."""
