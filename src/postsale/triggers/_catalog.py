"""The default rule sets: the playbooks' trigger catalog (:data:`CATALOG`), the proactive triggers
(:data:`PROACTIVE`), the other moments the playbooks name (:data:`~postsale.triggers._moments.MOMENTS`) and all of
them together (:data:`DEFAULT_RULE_SET`).

Every default number is a named constant of ``postsale.triggers._defaults`` (re-exported here), defined once with
the field-guide section it comes from; the rules are plain data built from them.
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
from postsale.triggers._defaults import (
    ANY_LIMIT_SHARE,
    CAPACITY_SHARE,
    CATALOG_VERSION,
    COMPONENT_DECLINE,
    COMPONENT_RED_LINE,
    COMPONENT_RED_RELEASE,
    EVENT_FLAG,
    FIRST_VALUE,
    KEY_FEATURE_DROP,
    LICENSE_EXPIRY_DAYS,
    LOGIN_DROP,
    MIN_BASE_VOLUME,
    NON_ADOPTION_DAYS,
    PERSISTENT_YELLOW_DAYS,
    POWER_USER_FEATURES,
    POWER_USER_PERCENTILE,
    RENEWAL_DAYS,
    RENEWAL_RUNWAY_DAYS,
    SETUP_COMPLETE,
    SHARP_DROP_IN_GREEN,
    SHARP_DROP_IN_YELLOW,
    SILENT_DAYS,
    STORAGE_SHARE,
    TICKET_SPIKE,
)
from postsale.triggers._model import Action, ActionChannel, ActionKind, OutcomeKind, Priority, Sla
from postsale.triggers._moments import MOMENTS
from postsale.triggers._rules import Rule, RuleSet

__all__ = [
    "ANY_LIMIT_SHARE",
    "CAPACITY_SHARE",
    "CATALOG",
    "CATALOG_VERSION",
    "COMPONENT_DECLINE",
    "COMPONENT_RED_LINE",
    "COMPONENT_RED_RELEASE",
    "DEFAULT_RULE_SET",
    "EVENT_FLAG",
    "FIRST_VALUE",
    "KEY_FEATURE_DROP",
    "LICENSE_EXPIRY_DAYS",
    "LOGIN_DROP",
    "MIN_BASE_VOLUME",
    "MOMENTS",
    "NON_ADOPTION_DAYS",
    "PERSISTENT_YELLOW_DAYS",
    "POWER_USER_FEATURES",
    "POWER_USER_PERCENTILE",
    "PROACTIVE",
    "RENEWAL_DAYS",
    "RENEWAL_RUNWAY_DAYS",
    "SETUP_COMPLETE",
    "SHARP_DROP_IN_GREEN",
    "SHARP_DROP_IN_YELLOW",
    "SILENT_DAYS",
    "STORAGE_SHARE",
    "TICKET_SPIKE",
]

_RISK = OutcomeKind.CHURNED
_GROWTH = OutcomeKind.EXPANDED
_USAGE = "guide: Triggers › Usage rules"
_HEALTH = "guide: Triggers › Health rules"
_MILESTONE = "guide: Triggers › Milestone rules"
_PROACTIVE = "guide: Triggers › Proactive rules"
_EVENT = "guide: Triggers › Event rules"


def _flag(name: str) -> Threshold:
    return Threshold(name, ">=", EVENT_FLAG)


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
            source=_USAGE,
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
            source=_USAGE,
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
            source=_USAGE,
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
            source=_USAGE,
            group="usage",
            predicts=_GROWTH,
        ),
        Rule(
            "H1",
            "Green to Yellow",
            BandTransition((HealthBand.GREEN,), (HealthBand.YELLOW,)),
            Action(ActionKind.OUTREACH, ActionChannel.EMAIL, "proactive outreach"),
            Sla.H24,
            Priority.HIGH,
            source=_HEALTH,
            group="health",
            predicts=_RISK,
        ),
        Rule(
            "H2",
            "Yellow to Red",
            BandTransition((HealthBand.YELLOW,), (HealthBand.RED,)),
            Action(ActionKind.INTERVENTION, ActionChannel.CALL, "urgent intervention"),
            Sla.SAME_DAY,
            Priority.URGENT,
            source=_HEALTH,
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
            source=_HEALTH,
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
            source=_HEALTH,
            group="health",
            predicts=_RISK,
        ),
        Rule(
            "M1",
            "Renewal approaching",
            DaysUntil("contract_end", RENEWAL_DAYS, by_segment=RENEWAL_RUNWAY_DAYS),
            Action(ActionKind.RENEWAL_CONVERSATION, ActionChannel.CALL, "start the renewal runway of the playbook"),
            Sla.WITHIN_WEEK,
            Priority.NORMAL,
            source=_MILESTONE,
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
            source=_MILESTONE,
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
            source=_MILESTONE,
            group="milestone",
        ),
        Rule(
            "M4",
            "First value milestone",
            _flag(signals.FIRST_VALUE_DOCUMENTED),
            Action(ActionKind.RECOGNITION, ActionChannel.EMAIL, "recognition + amplification"),
            Sla.SAME_DAY,
            Priority.HIGH,
            source=_MILESTONE,
            group="milestone",
        ),
    ),
)
"""The 12 rows of the playbooks' trigger catalog: U1-U4 (guide: Triggers › Usage rules), H1-H4
(guide: Triggers › Health rules; H1 and H2 are band moves) and M1-M4 (guide: Triggers › Milestone rules; M1 opens
each segment's renewal runway)."""

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
            source=_PROACTIVE,
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
            source=_PROACTIVE,
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
            source=_PROACTIVE,
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
            source=_EVENT,
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
            source=_EVENT,
            group="event",
        ),
        Rule(
            "E3",
            "Leadership change",
            _flag(signals.LEADERSHIP_CHANGE),
            Action(ActionKind.SUPPORT_OFFER, ActionChannel.EMAIL, "offer of support, meet the new leaders"),
            Sla.WITHIN_WEEK,
            Priority.NORMAL,
            source=_EVENT,
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
            source=_EVENT,
            group="event",
            predicts=_RISK,
        ),
    ),
)
"""The proactive triggers: storage 75 %, any limit 80 %, licence expiry within 60 days
(guide: Triggers › Proactive rules), and external events: funding, acquisition, leadership change, champion
departure (guide: Triggers › Event rules)."""

DEFAULT_RULE_SET = RuleSet(version=CATALOG_VERSION, rules=CATALOG.rules + PROACTIVE.rules + MOMENTS.rules)
""":data:`CATALOG`, :data:`PROACTIVE` and :data:`MOMENTS` together (37 rules)."""
