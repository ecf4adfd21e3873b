"""Cadences, contact preferences and the account agenda (see ``docs/cadence.md``).

Scheduled touches per segment and per journey stage (calendar months clipped to month ends, in the account's time
zone), the first-90-days calendar, channel choice by message type, contact preferences and frequency caps, the agenda
that merges scheduled touches with alerts from any trigger engine (:data:`AlertLike`) and can follow the journey (the
first 90 days, the stage's rhythm, the renewal ramp), the CSM portfolio view, and engagement: targets,
over-communication signals, the efficiency of the team's touches and the proactive share of CS time.
"""

from postsale.cadence import _serialization
from postsale.cadence._agenda import (
    Adjustment,
    AdjustmentAction,
    AdjustmentCause,
    Agenda,
    build_agenda,
    merge_agenda,
)
from postsale.cadence._alerts import AlertLike, touch_from_alert
from postsale.cadence._channels import (
    CHANNELS_BY_MESSAGE,
    Channel,
    ChannelChoice,
    MessageType,
    ValuePurpose,
    Weekday,
    choose_channel,
)
from postsale.cadence._defaults import (
    FIRST_90_DAYS,
    RENEWAL_RAMP_FROM_DAYS,
    RENEWAL_RAMP_TO_DAYS,
    first_90_days_plan,
    onboarding_plan,
    renewal_ramp_items,
    segment_plan,
    stage_plan,
)
from postsale.cadence._efficiency import DeliveredTouch, SegmentEfficiency, TouchEfficiency, touch_efficiency
from postsale.cadence._engagement import (
    EngagementMetric,
    EngagementOutcome,
    EngagementRecord,
    EngagementResult,
    EngagementTargets,
    OverCommunication,
    OverCommunicationPolicy,
    OverCommunicationSignal,
    assess_over_communication,
    evaluate_engagement,
    lower_cadence,
)
from postsale.cadence._follow import CALENDAR_DAYS, REVIEW_EVERY_DAYS, PlanChoice
from postsale.cadence._plans import (
    DEFAULT_LOCAL_TIME,
    Anchor,
    Anchors,
    CadenceItem,
    CadencePlan,
    Recurrence,
    Unit,
    Window,
)
from postsale.cadence._portfolio import CsmWeek, PortfolioView, portfolio_view
from postsale.cadence._preferences import (
    DEFAULT_QUIET_DAYS,
    ContactPreferences,
    FrequencyCap,
    Period,
    caps_for,
)
from postsale.cadence._settings import DEFAULT_CADENCE_PLANS, CadencePlans
from postsale.cadence._time import PROACTIVE_SHARE_FROM, PROACTIVE_SHARE_TO, TimeShare, proactive_share
from postsale.cadence._touches import Source, Touch

_serialization.setup()

__all__ = [  # noqa: RUF022 - grouped, sorted within each group
    # plans
    "DEFAULT_LOCAL_TIME",
    "Anchor",
    "Anchors",
    "CadenceItem",
    "CadencePlan",
    "Recurrence",
    "Source",
    "Touch",
    "Unit",
    "Window",
    # the default plans
    "DEFAULT_CADENCE_PLANS",
    "CadencePlans",
    "FIRST_90_DAYS",
    "RENEWAL_RAMP_FROM_DAYS",
    "RENEWAL_RAMP_TO_DAYS",
    "first_90_days_plan",
    "onboarding_plan",
    "renewal_ramp_items",
    "segment_plan",
    "stage_plan",
    # following the journey
    "CALENDAR_DAYS",
    "REVIEW_EVERY_DAYS",
    "PlanChoice",
    # channels
    "CHANNELS_BY_MESSAGE",
    "Channel",
    "ChannelChoice",
    "MessageType",
    "ValuePurpose",
    "choose_channel",
    # contact preferences and caps
    "DEFAULT_QUIET_DAYS",
    "ContactPreferences",
    "FrequencyCap",
    "Period",
    "Weekday",
    "caps_for",
    # the agenda
    "Adjustment",
    "AdjustmentAction",
    "AdjustmentCause",
    "Agenda",
    "AlertLike",
    "build_agenda",
    "merge_agenda",
    "touch_from_alert",
    # the CSM portfolio view
    "CsmWeek",
    "PortfolioView",
    "portfolio_view",
    # engagement
    "EngagementMetric",
    "EngagementOutcome",
    "EngagementRecord",
    "EngagementResult",
    "EngagementTargets",
    "OverCommunication",
    "OverCommunicationPolicy",
    "OverCommunicationSignal",
    "assess_over_communication",
    "evaluate_engagement",
    "lower_cadence",
    # efficiency
    "DeliveredTouch",
    "SegmentEfficiency",
    "TouchEfficiency",
    "touch_efficiency",
    # proactive time
    "PROACTIVE_SHARE_FROM",
    "PROACTIVE_SHARE_TO",
    "TimeShare",
    "proactive_share",
]
