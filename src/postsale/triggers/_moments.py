"""The moments the playbooks name beyond the trigger catalog: health movements, usage patterns, lifecycle moments,
a relevant product update and the expansion triggers (:data:`MOMENTS`).

Each rule reads signals of :mod:`postsale.signals`; an event (a trial converted, a champion promoted, a product
update) is a flag set to 1 while the event is recent, and its rule fires when the flag turns 1. Every number is a
constant of ``postsale.triggers._defaults``, and every rule cites the section of the field guide that explains it.
"""

from __future__ import annotations

from postsale import signals
from postsale._vocabulary import HealthBand
from postsale.triggers._conditions import (
    AllOf,
    AnyOf,
    BandTransition,
    Condition,
    DaysInBand,
    DaysUntil,
    Not,
    PercentChange,
    Ratio,
    Threshold,
)
from postsale.triggers._defaults import (
    CAPACITY_SHARE,
    CATALOG_VERSION,
    COMPONENT_DECLINE,
    COMPONENT_RED_LINE,
    COMPONENT_RED_RELEASE,
    EVENT_FLAG,
    LOGIN_DROP,
    MIN_BASE_VOLUME,
    NON_ADOPTION_DAYS,
    RENEWAL_DAYS,
    RENEWAL_RUNWAY_DAYS,
    SHARP_DROP_IN_GREEN,
    SHARP_DROP_IN_YELLOW,
    SILENT_DAYS,
)
from postsale.triggers._model import Action, ActionChannel, ActionKind, OutcomeKind, Priority, Sla
from postsale.triggers._rules import Rule, RuleSet

__all__ = ["MOMENTS"]

G, Y, R = HealthBand.GREEN, HealthBand.YELLOW, HealthBand.RED
_RISK = OutcomeKind.CHURNED
_GROWTH = OutcomeKind.EXPANDED
_MOVES = "guide: Triggers › Health movements"
_PATTERNS = "guide: Triggers › Usage patterns"
_LIFECYCLE = "guide: Triggers › Lifecycle moments"
_EVENT = "guide: Triggers › Event rules"
_EXPANSION = "guide: Triggers › Expansion rules"


def _flag(name: str) -> Threshold:
    return Threshold(name, ">=", EVENT_FLAG)


def _runway() -> DaysUntil:
    """The renewal runway of the account's segment has started (as M1)."""
    return DaysUntil("contract_end", RENEWAL_DAYS, by_segment=RENEWAL_RUNWAY_DAYS)


def _decline(signal: str, baseline: str) -> PercentChange:
    return PercentChange(signal, COMPONENT_DECLINE, baseline=baseline, min_base=MIN_BASE_VOLUME)


def _outreach(rule_id: str, name: str, condition: Condition) -> Rule:
    """A component decline: outreach within 48 hours (the playbooks' rule for a decline crossing a threshold)."""
    return Rule(
        rule_id, name, condition,
        Action(ActionKind.OUTREACH, ActionChannel.CALL, "outreach: ask what changed, offer help"),
        Sla.H48, Priority.HIGH, source=_MOVES, group="health", predicts=_RISK,
    )


HEALTH_MOVEMENTS = (
    Rule(
        "H5", "Green to Red", BandTransition((G,), (R,)),
        Action(ActionKind.INTERVENTION, ActionChannel.CALL, "urgent intervention"),
        Sla.SAME_DAY, Priority.URGENT, source=_MOVES, group="health", predicts=_RISK,
    ),
    Rule(
        "H6", "Sharp drop within Green", BandTransition((G,), (G,), min_drop=SHARP_DROP_IN_GREEN, require="both"),
        Action(ActionKind.OUTREACH, ActionChannel.EMAIL, "proactive outreach: ask what changed"),
        Sla.H24, Priority.HIGH, source=_MOVES, group="health", predicts=_RISK,
    ),
    Rule(
        "H7", "Sharp drop within Yellow", BandTransition((Y,), (Y,), min_drop=SHARP_DROP_IN_YELLOW, require="both"),
        Action(ActionKind.OUTREACH, ActionChannel.CALL, "proactive outreach: ask what changed, agree a plan"),
        Sla.H24, Priority.HIGH, source=_MOVES, group="health", predicts=_RISK,
    ),
    _outreach("H8", "Usage decline", _decline(signals.LOGINS_MONTH, signals.LOGINS_PREV_MONTH)),
    _outreach(
        "H9", "Engagement decline",
        AllOf((
            _decline(signals.EXECUTIVE_ENGAGEMENT, signals.EXECUTIVE_ENGAGEMENT_PREV),
            Threshold(signals.EXECUTIVE_ENGAGEMENT, ">=", COMPONENT_RED_LINE),
        )),
    ),
    _outreach(
        "H10", "Sentiment decline",
        AllOf((
            _decline(signals.SENTIMENT, signals.SENTIMENT_PREV),
            Threshold(signals.SENTIMENT, ">=", COMPONENT_RED_LINE),
        )),
    ),
    _outreach(
        "H11", "Component into Red",
        AnyOf((
            Threshold(signals.EXECUTIVE_ENGAGEMENT, "<", COMPONENT_RED_LINE, release=COMPONENT_RED_RELEASE),
            Threshold(signals.SENTIMENT, "<", COMPONENT_RED_LINE, release=COMPONENT_RED_RELEASE),
        )),
    ),
)
"""H5-H11: a fall straight from GREEN to RED, sharp drops within a band, and the decline of one component."""

USAGE_PATTERNS = (
    Rule(
        "U5", "New feature not adopted",
        AllOf((
            Threshold(signals.DAYS_SINCE_FEATURE_RELEASE, ">=", float(NON_ADOPTION_DAYS)),
            Threshold(signals.NEW_FEATURE_USAGE, "==", 0.0),
        )),
        Action(ActionKind.EDUCATION, ActionChannel.IN_APP, "targeted education on the new feature"),
        Sla.WITHIN_WEEK, Priority.LOW, source=_PATTERNS, group="usage",
    ),
    Rule(
        "U6", "Silent disengagement", Threshold(signals.DAYS_SINCE_LAST_LOGIN, ">=", float(SILENT_DAYS)),
        Action(ActionKind.CHECK_IN, ActionChannel.CALL, "check-in call: find out why nobody logs in"),
        Sla.H48, Priority.HIGH, source=_PATTERNS, group="usage", predicts=_RISK,
    ),
    Rule(
        "U7", "Team usage drop", Threshold(signals.TEAM_USAGE_DROP, ">=", LOGIN_DROP),
        Action(ActionKind.CHECK_IN, ActionChannel.EMAIL, "check in with the team's lead"),
        Sla.H48, Priority.NORMAL, source=_PATTERNS, group="usage", predicts=_RISK,
    ),
)
"""U5-U7: a new feature nobody uses, an account gone silent, one team's usage falling."""

LIFECYCLE_MOMENTS = (
    Rule(
        "L1", "Trial converted to paid", _flag(signals.TRIAL_CONVERTED),
        Action(ActionKind.CELEBRATION, ActionChannel.EMAIL, "celebrate + strategic conversation on the first goals"),
        Sla.WITHIN_FEW_DAYS, Priority.NORMAL, source=_LIFECYCLE, group="lifecycle",
    ),
    Rule(
        "L2", "First renewal approaching",
        AllOf((Threshold(signals.RENEWALS_COMPLETED, "==", 0.0), _runway())),
        Action(ActionKind.STRATEGIC_CONVERSATION, ActionChannel.MEETING,
               "celebrate the first year + strategic conversation on the next"),
        Sla.WITHIN_WEEK, Priority.NORMAL, source=_LIFECYCLE, group="lifecycle", predicts=OutcomeKind.RENEWED,
    ),
    Rule(
        "L3", "Expansion implemented", _flag(signals.EXPANSION_IMPLEMENTED),
        Action(ActionKind.CELEBRATION, ActionChannel.EMAIL, "celebrate + next-level guidance"),
        Sla.WITHIN_FEW_DAYS, Priority.NORMAL, source=_LIFECYCLE, group="lifecycle",
    ),
    Rule(
        "L4", "Champion promoted", _flag(signals.CHAMPION_PROMOTED),
        Action(ActionKind.CONGRATULATIONS, ActionChannel.CALL,
               "congratulate + strategic conversation: the new role, the successor"),
        Sla.WITHIN_WEEK, Priority.NORMAL, source=_LIFECYCLE, group="lifecycle",
    ),
)
"""L1-L4: trial to paid, the first renewal, an expansion live, a champion promoted."""

EXPANSION = (
    Rule(
        "E5", "Relevant product update", _flag(signals.PRODUCT_UPDATE_RELEVANT),
        Action(ActionKind.PERSONALISED_NOTE, ActionChannel.EMAIL, "personalised note: what the update does for them"),
        Sla.WITHIN_WEEK, Priority.LOW, source=_EVENT, group="event",
    ),
    Rule(
        "X1", "New department interest", _flag(signals.NEW_DEPARTMENT_INTEREST),
        Action(ActionKind.EXPANSION_CONVERSATION, ActionChannel.CALL, "expansion conversation with the new department"),
        Sla.WITHIN_WEEK, Priority.NORMAL, source=_EXPANSION, group="expansion", predicts=_GROWTH,
    ),
    Rule(
        "X2", "Champion requests capabilities", _flag(signals.CHAMPION_REQUEST),
        Action(ActionKind.EXPANSION_CONVERSATION, ActionChannel.CALL, "expansion conversation on what they asked for"),
        Sla.WITHIN_WEEK, Priority.NORMAL, source=_EXPANSION, group="expansion", predicts=_GROWTH,
    ),
    Rule(
        "X3", "Renewal bundling",
        AllOf((
            _runway(),
            Ratio(signals.SEATS_ACTIVE, signals.SEATS_PURCHASED, ">=", CAPACITY_SHARE),
            Not(DaysInBand(R, 0)),
        )),
        Action(ActionKind.EXPANSION_CONVERSATION, ActionChannel.CALL, "bundle the upgrade into the renewal proposal"),
        Sla.WITHIN_WEEK, Priority.NORMAL, source=_EXPANSION, group="expansion", predicts=_GROWTH,
    ),
)
"""E5 and X1-X3: a product update worth a personal note, and the expansion moments."""

MOMENTS = RuleSet(version=CATALOG_VERSION, rules=HEALTH_MOVEMENTS + USAGE_PATTERNS + LIFECYCLE_MOMENTS + EXPANSION)
"""The moments beyond the catalog (18 rules): health movements H5-H11, usage patterns U5-U7, lifecycle moments
L1-L4, a relevant product update E5 and the expansion triggers X1-X3."""
