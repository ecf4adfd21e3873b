"""The default trigger catalog: every row of domain-spec §5.4 and the proactive triggers of §5.3.

Each default number is a named constant below, with its source; the rules are plain data built from them.
"""

from __future__ import annotations

from postsale import signals
from postsale._vocabulary import HealthBand
from postsale.triggers._conditions import (
    AllOf,
    BandTransition,
    DaysInBand,
    DaysSince,
    DaysUntil,
    PercentChange,
    Ratio,
    Threshold,
)
from postsale.triggers._model import Action, ActionChannel, ActionKind, OutcomeKind, Priority, Sla
from postsale.triggers._rules import Rule, RuleSet

__all__ = [
    "CATALOG",
    "CATALOG_VERSION",
    "DEFAULT_RULE_SET",
    "PROACTIVE",
]

CATALOG_VERSION = "2026.1"
"""Version of the default rule sets."""

# ---- thresholds, domain-spec §5.4 (以上 = inclusive, domain-spec §0, I-11) and §11 ------------------------
LOGIN_DROP = 0.30
"""U1: weekly logins down at least 30 % week over week (domain-spec §5.4, I-11, A-21)."""
MIN_BASE_VOLUME = 10.0
"""PROPOSAL: a drop counts only from a base of at least 10 (logins or uses) in the previous period, so 1 → 0
is not a 100 % drop (issue 5 point 3; domain-spec A-21 "previous = 0 → no trigger")."""
NON_ADOPTION_DAYS = 30
"""U2: core feature still unused 30 days after purchase (domain-spec §5.3-§5.4, I-27)."""
KEY_FEATURE_DROP = 0.50
"""U3: critical-feature usage down at least 50 % (domain-spec §5.4 normalisation)."""
POWER_USER_PERCENTILE = 90.0
"""U4 PROPOSAL: most active user at or above the 90th activity percentile (domain-spec A-15)."""
POWER_USER_FEATURES = 5.0
"""U4 PROPOSAL: at least 5 distinct features used in the last 30 days (feature breadth, domain-spec A-15)."""
GREEN_TO_YELLOW_DROP = 15.0
"""H1: a drop of at least 15 points while GREEN (domain-spec §4.5, A-5)."""
YELLOW_TO_RED_DROP = 10.0
"""H2: a drop of at least 10 points while YELLOW (domain-spec §4.5, A-5)."""
PERSISTENT_YELLOW_DAYS = 30
"""H3: at least 30 consecutive days in YELLOW (domain-spec §4.4, A-23)."""
TICKET_SPIKE = 3.0
"""H4: at least 3 support tickets in a rolling week (domain-spec §4.5, A-22)."""
RENEWAL_DAYS = 90
"""M1: 90 days (or fewer) before renewal (domain-spec §5.4, §11 ``renewal_days``)."""
CAPACITY_SHARE = 0.80
"""M2: 80 % of capacity, here active / purchased seats (domain-spec §5.4 normalisation)."""
SETUP_COMPLETE = 1.0
"""M3: core setup 100 % (domain-spec §5.4 normalisation)."""
FIRST_VALUE = 1.0
"""M4: the customer's own first-value criterion is met (signal ``first_value_documented`` = 1, A-16)."""
STORAGE_SHARE = 0.75
"""§5.3: storage at 75 % of capacity (§11 ``storage_warn``)."""
ANY_LIMIT_SHARE = 0.80
"""§5.3: 80 % of any limit (§11 ``any_limit``)."""
LICENSE_EXPIRY_DAYS = 60
"""§5.3: licence expiry within 60 days (§11 ``license_expiry_days``)."""

_RISK = OutcomeKind.CHURNED
_GROWTH = OutcomeKind.EXPANDED


def _flag(name: str) -> Threshold:
    return Threshold(name, ">=", 1.0)


CATALOG = RuleSet(
    version=CATALOG_VERSION,
    rules=(
        Rule(
            "U1",
            "Login decline",
            PercentChange(signals.LOGINS_WEEK, LOGIN_DROP, baseline=signals.LOGINS_PREV_WEEK, min_base=MIN_BASE_VOLUME),
            Action(ActionKind.CHECK_IN, ActionChannel.EMAIL, "check-in call / email"),
            Sla.H48,
            Priority.HIGH,
            source="[002] domain-spec §5.4 U1",
            group="usage",
            predicts=_RISK,
        ),
        Rule(
            "U2",
            "Feature non-adoption",
            AllOf(
                (
                    DaysSince("contract_start", NON_ADOPTION_DAYS),
                    Threshold(signals.CORE_FEATURE_USAGE, "==", 0.0),
                )
            ),
            Action(ActionKind.EDUCATION, ActionChannel.EMAIL, "targeted education"),
            Sla.WEEK_5,
            Priority.LOW,
            source="[002] domain-spec §5.4 U2",
            group="usage",
            predicts=_RISK,
        ),
        Rule(
            "U3",
            "Key-feature decline",
            PercentChange(
                signals.CRITICAL_FEATURE_USAGE,
                KEY_FEATURE_DROP,
                baseline=signals.CRITICAL_FEATURE_USAGE_PREV,
                min_base=MIN_BASE_VOLUME,
            ),
            Action(ActionKind.INVESTIGATION, ActionChannel.CALL, "investigation call"),
            Sla.SAME_DAY,
            Priority.URGENT,
            source="[002] domain-spec §5.4 U3",
            group="usage",
            predicts=_RISK,
        ),
        Rule(
            "U4",
            "Power-user emergence",
            AllOf(
                (
                    Threshold(signals.ACTIVITY_PERCENTILE, ">=", POWER_USER_PERCENTILE),
                    Threshold(signals.DISTINCT_FEATURES_USED, ">=", POWER_USER_FEATURES),
                )
            ),
            Action(ActionKind.AMPLIFY, ActionChannel.EMAIL, "amplify / case study"),
            Sla.WITHIN_WEEK,
            Priority.LOW,
            source="[002] domain-spec §5.4 U4, A-15",
            group="usage",
            predicts=_GROWTH,
        ),
        Rule(
            "H1",
            "Green to Yellow",
            BandTransition((HealthBand.GREEN,), (HealthBand.YELLOW,), min_drop=GREEN_TO_YELLOW_DROP),
            Action(ActionKind.OUTREACH, ActionChannel.EMAIL, "proactive outreach"),
            Sla.H24,
            Priority.HIGH,
            source="[002] domain-spec §4.5 H1, §5.4, A-5",
            group="health",
            predicts=_RISK,
        ),
        Rule(
            "H2",
            "Yellow to Red",
            BandTransition(
                (HealthBand.GREEN, HealthBand.YELLOW),
                (HealthBand.RED,),
                min_drop=YELLOW_TO_RED_DROP,
                drop_bands=(HealthBand.YELLOW,),
            ),
            Action(ActionKind.INTERVENTION, ActionChannel.CALL, "urgent intervention"),
            Sla.SAME_DAY,
            Priority.URGENT,
            source="[002] domain-spec §4.5 H2, §5.4, A-5, I-10",
            group="health",
            predicts=_RISK,
        ),
        Rule(
            "H3",
            "Persistent Yellow",
            DaysInBand(HealthBand.YELLOW, PERSISTENT_YELLOW_DAYS),
            Action(ActionKind.STRATEGIC_REVIEW, ActionChannel.MEETING, "strategic review"),
            Sla.D3,
            Priority.NORMAL,
            source="[002] domain-spec §4.5 H3, §5.4, A-23",
            group="health",
            predicts=_RISK,
        ),
        Rule(
            "H4",
            "Support-ticket spike",
            Threshold(signals.SUPPORT_TICKETS_WEEK, ">=", TICKET_SPIKE),
            Action(ActionKind.ROOT_CAUSE, ActionChannel.CALL, "root-cause investigation"),
            Sla.H48,
            Priority.HIGH,
            source="[002] domain-spec §4.5 H4, §5.4, A-22",
            group="health",
            predicts=_RISK,
        ),
        Rule(
            "M1",
            "Renewal approaching",
            DaysUntil("contract_end", RENEWAL_DAYS),
            Action(ActionKind.RENEWAL_CONVERSATION, ActionChannel.CALL, "start renewal conversation"),
            Sla.WITHIN_WEEK,
            Priority.NORMAL,
            source="[002] domain-spec §5.4 M1",
            group="milestone",
            predicts=OutcomeKind.RENEWED,
        ),
        Rule(
            "M2",
            "Contract limit",
            Ratio(signals.SEATS_ACTIVE, signals.SEATS_PURCHASED, ">=", CAPACITY_SHARE),
            Action(ActionKind.UPGRADE_DISCUSSION, ActionChannel.CALL, "proactive upgrade discussion"),
            Sla.WITHIN_WEEK,
            Priority.NORMAL,
            source="[002] domain-spec §5.4 M2",
            group="milestone",
            predicts=_GROWTH,
        ),
        Rule(
            "M3",
            "Onboarding complete",
            Threshold(signals.CORE_SETUP_COMPLETION, ">=", SETUP_COMPLETE),
            Action(ActionKind.CELEBRATION, ActionChannel.EMAIL, "celebration + next phase"),
            Sla.WITHIN_FEW_DAYS,
            Priority.NORMAL,
            source="[002] domain-spec §5.4 M3",
            group="milestone",
        ),
        Rule(
            "M4",
            "First value milestone",
            _flag(signals.FIRST_VALUE_DOCUMENTED),
            Action(ActionKind.RECOGNITION, ActionChannel.EMAIL, "recognition + amplification"),
            Sla.SAME_DAY,
            Priority.HIGH,
            source="[002] domain-spec §5.4 M4, A-16",
            group="milestone",
        ),
    ),
)
"""The 12 rows of domain-spec §5.4 (U1-U4, H1-H4, M1-M4)."""

PROACTIVE = RuleSet(
    version=CATALOG_VERSION,
    rules=(
        Rule(
            "P1",
            "Storage at 75 %",
            Threshold(signals.STORAGE_RATIO, ">=", STORAGE_SHARE),
            Action(ActionKind.UPGRADE_DISCUSSION, ActionChannel.EMAIL, "discuss options before they hit the wall"),
            Sla.WITHIN_WEEK,
            Priority.NORMAL,
            source="[002] domain-spec §5.3 approaching limits",
            group="proactive",
            predicts=_GROWTH,
        ),
        Rule(
            "P2",
            "Any limit at 80 %",
            Threshold(signals.USAGE_LIMIT_RATIO, ">=", ANY_LIMIT_SHARE),
            Action(ActionKind.UPGRADE_DISCUSSION, ActionChannel.CALL, "discuss options before they hit the wall"),
            Sla.WITHIN_WEEK,
            Priority.NORMAL,
            source="[002] domain-spec §5.3 approaching limits",
            group="proactive",
            predicts=_GROWTH,
        ),
        Rule(
            "P3",
            "Licence expiry within 60 days",
            AllOf(
                (
                    Threshold(signals.LICENSE_DAYS_LEFT, "<=", float(LICENSE_EXPIRY_DAYS)),
                    Threshold(signals.LICENSE_DAYS_LEFT, ">=", 0.0),
                )
            ),
            Action(ActionKind.RENEWAL_CONVERSATION, ActionChannel.EMAIL, "licence renewal conversation"),
            Sla.WITHIN_WEEK,
            Priority.NORMAL,
            source="[002] domain-spec §5.3 approaching milestones",
            group="proactive",
            predicts=OutcomeKind.RENEWED,
        ),
        Rule(
            "E1",
            "Funding announced",
            _flag(signals.FUNDING_ANNOUNCED),
            Action(ActionKind.CONGRATULATIONS, ActionChannel.EMAIL, "congratulations"),
            Sla.WITHIN_WEEK,
            Priority.NORMAL,
            source="[002] domain-spec §5.3 external events, §5.5",
            group="event",
            predicts=_GROWTH,
        ),
        Rule(
            "E2",
            "Acquisition announced",
            _flag(signals.ACQUISITION_ANNOUNCED),
            Action(ActionKind.SUPPORT_OFFER, ActionChannel.EMAIL, "congratulations or an offer of support"),
            Sla.WITHIN_WEEK,
            Priority.NORMAL,
            source="[002] domain-spec §5.3 external events, §5.5",
            group="event",
        ),
        Rule(
            "E3",
            "Leadership change",
            _flag(signals.LEADERSHIP_CHANGE),
            Action(ActionKind.SUPPORT_OFFER, ActionChannel.EMAIL, "offer of support, meet the new leaders"),
            Sla.WITHIN_WEEK,
            Priority.NORMAL,
            source="[002] domain-spec §5.3 external events, §5.5",
            group="event",
            predicts=_RISK,
        ),
        Rule(
            "E4",
            "Champion departure",
            _flag(signals.CHAMPION_LEFT),
            Action(ActionKind.STRATEGIC_CONVERSATION, ActionChannel.CALL, "strategic conversation; find a champion"),
            Sla.H48,
            Priority.HIGH,
            source="[002] domain-spec §5.3 lifecycle transitions, §5.2; SLA 48 h by analogy with I-10 (PROPOSAL)",
            group="event",
            predicts=_RISK,
        ),
    ),
)
"""The proactive triggers of domain-spec §5.3: storage 75 %, any limit 80 %, licence expiry within 60 days, and
external events (funding, acquisition, leadership change, champion departure)."""

DEFAULT_RULE_SET = RuleSet(version=CATALOG_VERSION, rules=CATALOG.rules + PROACTIVE.rules)
""":data:`CATALOG` and :data:`PROACTIVE` together (19 rules)."""
