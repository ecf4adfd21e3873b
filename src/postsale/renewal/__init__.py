"""Renewals: contracts and terms, notice windows, playbooks, timelines and status, forecasts, outcomes.

"If your first renewal conversation is 30 days before the contract ends, you have already lost."
Everything here is a frozen value or a pure function; the date is always a
parameter. Month arithmetic is computed from the anchor date (``anchor + n months``), never stepped.

Examples:
    >>> from datetime import date
    >>> from postsale.renewal import Contract, renewal_timeline
    >>> contract = Contract.from_term("acme", "ENTERPRISE", date(2026, 7, 1), term_months=12, acv=120000)
    >>> renewal_timeline(contract).status(date(2027, 1, 15)).state
    <RenewalState.OVERDUE: 4>
"""

from postsale.renewal import _serialization  # noqa: F401  (registers serialization hooks)
from postsale.renewal._contract import DEFAULT_RENEWAL_TERM_MONTHS, Amendment, Contract
from postsale.renewal._dates import TermPeriod, add_months, anniversary, month_offset, term_periods
from postsale.renewal._facts import HIGH_RISK_FROM, INTENT, RISK_SIGNALS, Fact, Intent, RiskLevel
from postsale.renewal._forecast import (
    DEFAULT_FORECAST_RULES,
    Forecast,
    ForecastCategory,
    ForecastRule,
    ForecastRules,
    forecast_renewal,
)
from postsale.renewal._notice import BusinessCalendar, HolidayCalendar, NoticeWindow, notice_window
from postsale.renewal._outcome import MIN_REVENUE_RETENTION, OutcomeCheck, RenewalOutcome, renewal_outcome
from postsale.renewal._playbook import (
    AUTO_RENEW_SEGMENTS,
    CONFIRM_DAYS_BEFORE_EXPIRY,
    CONTRACT_EXECUTED,
    CUSTOMER_CONVERSATION,
    DANGER_ZONE_DAYS,
    DEFAULT_PLAYBOOKS,
    ENTERPRISE_PLAYBOOK,
    FINAL_NOTICE,
    FOLLOW_UP,
    INTERNAL_PREP,
    MID_MARKET_PLAYBOOK,
    NEGOTIATION,
    PRODUCT_LED_PLAYBOOK,
    PROPOSAL,
    RENEWAL,
    RENEWAL_NOTICE,
    RENEWAL_OFFER,
    SMB_PLAYBOOK,
    TOUCH_RAMP_DAYS,
    Milestone,
    Playbook,
    playbook_for,
)
from postsale.renewal._rollup import (
    DEFAULT_SCENARIOS,
    CategoryTotal,
    ForecastRollup,
    RenewalLine,
    Scenario,
    ScenarioResult,
    roll_up,
)
from postsale.renewal._state import (
    AT_RISK_RUNWAY_DAYS,
    DEFAULT_STATE_ORDER,
    DEFAULT_WIDENING,
    MILESTONE,
    RENEWAL_RECORDED,
    RenewalState,
    Runway,
    RunwayWidening,
    StateOrder,
    StatusFlag,
)
from postsale.renewal._status import AFTER_RENEWAL, BEFORE_RUNWAY, CompletedMilestone, MilestoneDue, RenewalStatus
from postsale.renewal._timeline import (
    EARLY_START,
    FiscalYear,
    RenewalTimeline,
    renewal_timeline,
    term_milestone_dates,
)

__all__ = [
    "AFTER_RENEWAL",
    "AT_RISK_RUNWAY_DAYS",
    "AUTO_RENEW_SEGMENTS",
    "BEFORE_RUNWAY",
    "CONFIRM_DAYS_BEFORE_EXPIRY",
    "CONTRACT_EXECUTED",
    "CUSTOMER_CONVERSATION",
    "DANGER_ZONE_DAYS",
    "DEFAULT_FORECAST_RULES",
    "DEFAULT_PLAYBOOKS",
    "DEFAULT_RENEWAL_TERM_MONTHS",
    "DEFAULT_SCENARIOS",
    "DEFAULT_STATE_ORDER",
    "DEFAULT_WIDENING",
    "EARLY_START",
    "ENTERPRISE_PLAYBOOK",
    "FINAL_NOTICE",
    "FOLLOW_UP",
    "HIGH_RISK_FROM",
    "INTENT",
    "INTERNAL_PREP",
    "MID_MARKET_PLAYBOOK",
    "MILESTONE",
    "MIN_REVENUE_RETENTION",
    "NEGOTIATION",
    "PRODUCT_LED_PLAYBOOK",
    "PROPOSAL",
    "RENEWAL",
    "RENEWAL_NOTICE",
    "RENEWAL_OFFER",
    "RENEWAL_RECORDED",
    "RISK_SIGNALS",
    "SMB_PLAYBOOK",
    "TOUCH_RAMP_DAYS",
    "Amendment",
    "BusinessCalendar",
    "CategoryTotal",
    "CompletedMilestone",
    "Contract",
    "Fact",
    "FiscalYear",
    "Forecast",
    "ForecastCategory",
    "ForecastRollup",
    "ForecastRule",
    "ForecastRules",
    "HolidayCalendar",
    "Intent",
    "Milestone",
    "MilestoneDue",
    "NoticeWindow",
    "OutcomeCheck",
    "Playbook",
    "RenewalLine",
    "RenewalOutcome",
    "RenewalState",
    "RenewalStatus",
    "RenewalTimeline",
    "RiskLevel",
    "Runway",
    "RunwayWidening",
    "Scenario",
    "ScenarioResult",
    "StateOrder",
    "StatusFlag",
    "TermPeriod",
    "add_months",
    "anniversary",
    "forecast_renewal",
    "month_offset",
    "notice_window",
    "playbook_for",
    "renewal_outcome",
    "renewal_timeline",
    "roll_up",
    "term_milestone_dates",
    "term_periods",
]
