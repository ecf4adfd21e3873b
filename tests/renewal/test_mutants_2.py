"""The renewal context's refusals, word for word (scripts/mutation.py renewal, seed 31).

Each refusal is pinned as a whole: its error class and its text, which names the field, the value given, the rule
broken and what to pass instead; ``test_mutants.py`` pinned the first of them. Behaviour found unpinned on the way
follows the sweep."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import attrs
import pytest

from postsale import (
    AccountSnapshot,
    DefinitionError,
    InvalidTypeError,
    InvalidValueError,
    NaiveDatetimeError,
    OutOfOrderError,
    PostsaleError,
    UnknownNameError,
)
from postsale.renewal import (
    ENTERPRISE_PLAYBOOK,
    SMB_PLAYBOOK,
    Amendment,
    BusinessCalendar,
    Contract,
    FiscalYear,
    ForecastCategory,
    ForecastRule,
    ForecastRules,
    Milestone,
    NoticeWindow,
    Playbook,
    RenewalLine,
    RenewalTimeline,
    Runway,
    RunwayWidening,
    Scenario,
    StateOrder,
    add_months,
    anniversary,
    forecast_renewal,
    month_offset,
    notice_window,
    playbook_for,
    renewal_outcome,
    renewal_timeline,
    roll_up,
    term_milestone_dates,
    term_periods,
)
from tests._sweeps import refused

D = date(2026, 7, 1)
SMB = Contract.from_term("a", "SMB", D, term_months=12, acv=100)
AUTO = Contract.from_term("a", "SMB", D, term_months=12, acv=100, auto_renew=True, notice_days=30)
IRREGULAR = Contract("a", "SMB", D, date(2027, 3, 15), acv=100)
"""A contract whose term is not whole months."""
TIMELINE = renewal_timeline(SMB)
FIRST_MONTH = Contract.from_term("a", "SMB", date(1, 1, 1), term_months=1, acv=1)
"""A one-month contract at the start of the calendar: no room before it for a runway or a notice period."""
AMENDED_TWICE_ON_NEW_YEAR = [Amendment(date(2027, 1, 1), 200), Amendment(date(2027, 1, 1), 300)]
ROLLUP = roll_up([], period_start=date(2027, 1, 1), period_end=date(2027, 3, 31))
STRAY_RULE = ForecastRule(ForecastCategory.COMMIT, all_of=(), any_of=(), reason="")


class NeverOpen:
    """A holiday calendar without a single business day."""

    def is_business_day(self, day: date) -> bool:
        return False

    def __repr__(self) -> str:
        return "NeverOpen()"


REFUSALS: list[tuple[str, Callable[[], object], type[PostsaleError], str]] = [
    ("contract-end-before-start", lambda: Contract("a", "SMB", D, date(2026, 6, 30), acv=100),
     InvalidValueError,
     "end=datetime.date(2026, 6, 30): is before the start; rule: must be on or after start=2026-07-01; instead: swap "
     "the dates, or build the contract with Contract.from_term(start, term_months=...)"),
    ("contract-off-anchor",
     lambda: Contract("a", "SMB", date(2026, 7, 15), date(2027, 7, 14), acv=100, term_months=12, anchor=D),
     InvalidValueError,
     "start=datetime.date(2026, 7, 15): does not fall on the anchor's monthly schedule; rule: start must be "
     "anchor=2026-07-01 plus whole months; instead: pass the original start as anchor, or term_months=None for an "
     "irregular term"),
    ("contract-term-mismatch", lambda: Contract("a", "SMB", D, date(2027, 7, 1), acv=100, term_months=12),
     InvalidValueError,
     "end=datetime.date(2027, 7, 1): does not match a 12-month term; rule: a 12-month term from 2026-07-01 ends on "
     "2027-06-30 (the day before the anniversary); instead: use Contract.from_term(...), or term_months=None for an "
     "irregular term"),
    ("contract-amendment-type", lambda: Contract("a", "SMB", D, date(2027, 6, 30), acv=100, amendments=[5]),
     InvalidValueError, "amendments[0]=5: is not an Amendment"),
    ("contract-amendment-outside",
     lambda: Contract("a", "SMB", D, date(2027, 6, 30), acv=100, amendments=[Amendment(date(2027, 7, 1), 200)]),
     InvalidValueError,
     "amendments[0].effective=datetime.date(2027, 7, 1): is outside the term; rule: must be within "
     "2026-07-01..2027-06-30; instead: amend the term the change belongs to (see Contract.renewed)"),
    ("contract-amendment-order",
     lambda: Contract("a", "SMB", D, date(2027, 6, 30), acv=100, amendments=AMENDED_TWICE_ON_NEW_YEAR),
     OutOfOrderError,
     "amendments[1].effective=datetime.date(2027, 1, 1): is not after the previous amendment; rule: amendments are "
     "in strictly increasing date order; instead: sort the amendments, or merge two changes on the same day"),
    ("contract-amendments-type", lambda: Contract("a", "SMB", D, date(2027, 6, 30), acv=100, amendments=5),
     InvalidTypeError,
     "amendments=5: expected a collection, got int; instead: pass a list or tuple (an empty one is fine)"),
    ("contract-auto-renew", lambda: Contract("a", "SMB", D, date(2027, 6, 30), acv=100, auto_renew="yes"),
     InvalidValueError, "auto_renew='yes': must be True or False; instead: pass a bool"),
    ("contract-term-months", lambda: Contract("a", "SMB", D, date(2027, 6, 30), acv=100, term_months=0),
     InvalidValueError,
     "term_months=0: is zero or negative; rule: a term is at least one month; instead: pass a whole number of months "
     ">= 1 (12 for an annual term)"),
    ("contract-term-months-type", lambda: Contract("a", "SMB", D, date(2027, 6, 30), acv=100, term_months=12.0),
     InvalidTypeError, "term_months=12.0: expected a whole number; instead: pass an int"),
    ("contract-renewal-term", lambda: Contract("a", "SMB", D, date(2027, 6, 30), acv=100, renewal_term_months=-1),
     InvalidValueError,
     "renewal_term_months=-1: is zero or negative; rule: a term is at least one month; instead: pass a whole number "
     "of months >= 1 (12 for an annual term)"),
    ("contract-acv", lambda: Contract("a", "SMB", D, date(2027, 6, 30), acv=-1),
     InvalidValueError, "acv=-1: is negative; rule: must be >= 0; instead: pass an amount >= 0"),
    ("contract-segment", lambda: Contract("a", "giant", D, date(2027, 6, 30), acv=1),
     UnknownNameError,
     "segment='giant': is not a Segment; rule: one of ENTERPRISE, MID_MARKET, SMB, PRODUCT_LED; instead: pass one of "
     "ENTERPRISE, MID_MARKET, SMB, PRODUCT_LED"),
    ("amendment-reason", lambda: Amendment(D, 100, reason=5),
     InvalidTypeError, "reason=5: expected str, got int; instead: pass the reason as text (or leave it out)"),
    ("amendment-acv", lambda: Amendment(D, "lots"),
     InvalidValueError, "acv='lots': is not an amount of money; instead: pass digits, e.g. \"120000.00\""),
    ("from-snapshot-type", lambda: Contract.from_snapshot("acme"),
     InvalidValueError, "snapshot='acme': expected an AccountSnapshot"),
    ("from-snapshot-start",
     lambda: Contract.from_snapshot(AccountSnapshot("a", "SMB", D, contract_end=date(2027, 6, 30))),
     InvalidValueError,
     "contract_start=None: is missing; rule: a contract needs its start and end dates; instead: set contract_start "
     "and contract_end on the snapshot"),
    ("from-snapshot-end", lambda: Contract.from_snapshot(AccountSnapshot("a", "SMB", D, contract_start=D)),
     InvalidValueError,
     "contract_end=None: is missing; rule: a contract needs its start and end dates; instead: set contract_start and "
     "contract_end on the snapshot"),
    ("anniversary-irregular", lambda: IRREGULAR.anniversary(1),
     InvalidValueError,
     "term_months=None: is irregular, so the contract has no term anniversaries; instead: use terms() for the "
     "renewal terms, or give the contract a term in months"),
    ("anniversary-type", lambda: SMB.anniversary("1"),
     InvalidValueError, "n='1': expected a whole number; instead: pass an int"),
    ("anniversary-far", lambda: SMB.anniversary(10000),
     InvalidValueError,
     "n=10000: the result would fall outside the calendar (year 1..9999), counting from 2026-07-01; rule: dates run "
     "from 0001-01-01 to 9999-12-31; instead: use dates further from the ends of the calendar (9999-12-31 may stand "
     "for an open end, but nothing can be scheduled after it)"),
    ("term-on-before", lambda: SMB.term_on(date(2026, 6, 30)),
     InvalidValueError,
     "day=datetime.date(2026, 6, 30): is before the contract start; rule: must be on or after start=2026-07-01; "
     "instead: ask the previous contract"),
    ("term-on-type", lambda: SMB.term_on("2026-07-01"),
     InvalidTypeError,
     "day='2026-07-01': expected a calendar date; instead: pass datetime.date(...) (use .date() on a datetime)"),
    ("terms-count", lambda: SMB.terms(-1),
     InvalidValueError,
     "count=-1: is zero or negative; rule: at least one term; instead: pass a whole number of terms >= 1"),
    ("amend-outside", lambda: SMB.amend(date(2027, 7, 1), acv=200),
     InvalidValueError,
     "amendments[0].effective=datetime.date(2027, 7, 1): is outside the term; rule: must be within "
     "2026-07-01..2027-06-30; instead: amend the term the change belongs to (see Contract.renewed)"),
    ("amend-type", lambda: SMB.amend("2027-01-01", acv=200),
     InvalidTypeError,
     "effective='2027-01-01': expected a calendar date; instead: pass datetime.date(...) (use .date() on a datetime)"),
    ("renewed-term", lambda: SMB.renewed(term_months=0),
     InvalidValueError,
     "term_months=0: is zero or negative; rule: a term is at least one month; instead: pass a whole number of months "
     ">= 1 (12 for an annual term)"),
    ("renew-early-outside", lambda: SMB.renew_early(D),
     InvalidValueError,
     "effective=datetime.date(2026, 7, 1): is not inside the current term; rule: an early renewal starts after "
     "2026-07-01 and by 2027-06-30; instead: use renewed() for a renewal at the end of the term"),
    ("renew-early-type", lambda: SMB.renew_early("2027-01-01"),
     InvalidTypeError,
     "effective='2027-01-01': expected a calendar date; instead: pass datetime.date(...) (use .date() on a datetime)"),
    ("acv-on-type", lambda: SMB.acv_on(None),
     InvalidTypeError,
     "day=None: expected a calendar date; instead: pass datetime.date(...) (use .date() on a datetime)"),
    ("next-term-end-type", lambda: SMB.next_term_end("2027-01-01"),
     InvalidTypeError,
     "day='2027-01-01': expected a calendar date; instead: pass datetime.date(...) (use .date() on a datetime)"),
    ("term-periods-months", lambda: term_periods(D, months=0, count=1),
     InvalidValueError,
     "months=0: is zero or negative; rule: a term is at least one month; instead: pass a whole number of months >= 1 "
     "(12 for an annual term)"),
    ("term-periods-type", lambda: term_periods(D, months=12.0, count=1),
     InvalidTypeError, "months=12.0: expected a whole number; instead: pass an int"),
    ("term-periods-count", lambda: term_periods(D, months=12, count=-1),
     InvalidValueError,
     "count=-1: is zero or negative; rule: at least one term; instead: pass a whole number of terms >= 1"),
    ("term-periods-far", lambda: term_periods(date(9999, 1, 1), months=12, count=2),
     InvalidValueError,
     "count=2: the result would fall outside the calendar (year 1..9999), counting from 9999-01-01; rule: dates run "
     "from 0001-01-01 to 9999-12-31; instead: use dates further from the ends of the calendar (9999-12-31 may stand "
     "for an open end, but nothing can be scheduled after it)"),
    ("add-months-far", lambda: add_months(date(9999, 12, 1), 1),
     InvalidValueError,
     "months=1: the result would fall outside the calendar (year 1..9999), counting from 9999-12-01; rule: dates run "
     "from 0001-01-01 to 9999-12-31; instead: use dates further from the ends of the calendar (9999-12-31 may stand "
     "for an open end, but nothing can be scheduled after it)"),
    ("add-months-type", lambda: add_months(D, 1.5),
     InvalidTypeError, "months=1.5: expected a whole number; instead: pass an int"),
    ("anniversary-fn-far", lambda: anniversary(date(9999, 1, 1), 1),
     InvalidValueError,
     "n=1: the result would fall outside the calendar (year 1..9999), counting from 9999-01-01; rule: dates run from "
     "0001-01-01 to 9999-12-31; instead: use dates further from the ends of the calendar (9999-12-31 may stand for "
     "an open end, but nothing can be scheduled after it)"),
    ("month-offset-type", lambda: month_offset(D, "2027-01-01"),
     InvalidTypeError,
     "day='2027-01-01': expected a calendar date; instead: pass datetime.date(...) (use .date() on a datetime)"),
    ("calendar-weekend-number", lambda: BusinessCalendar(weekend={7}),
     InvalidValueError,
     "weekend=7: is not a weekday number; rule: 0 = Monday ... 6 = Sunday; instead: pass e.g. {5, 6} for Saturday "
     "and Sunday"),
    ("calendar-weekend-all", lambda: BusinessCalendar(weekend=range(7)),
     InvalidValueError,
     "weekend=[0, 1, 2, 3, 4, 5, 6]: covers the whole week; instead: leave at least one working day"),
    ("calendar-holidays", lambda: BusinessCalendar(holidays=["2026-12-25"]),
     InvalidTypeError,
     "holidays[0]='2026-12-25': expected a calendar date; instead: pass datetime.date(...) (use .date() on a "
     "datetime)"),
    ("calendar-day-type", lambda: BusinessCalendar().is_business_day("2026-12-25"),
     InvalidTypeError,
     "day='2026-12-25': expected a calendar date; instead: pass datetime.date(...) (use .date() on a datetime)"),
    ("notice-window-business-days",
     lambda: NoticeWindow("a", date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1), "UTC", business_days=1),
     InvalidTypeError, "business_days=1: expected True or False; instead: pass a bool"),
    ("notice-contains",
     lambda: NoticeWindow("a", date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1), "UTC").contains("x"),
     InvalidTypeError,
     "day='x': expected a calendar date; instead: pass datetime.date(...) (use .date() on a datetime)"),
    ("notice-open-naive", lambda: notice_window(AUTO).is_open_at(datetime(2027, 5, 1, 9)),
     NaiveDatetimeError,
     "now=datetime.datetime(2027, 5, 1, 9, 0): is a naive datetime; rule: deadlines are computed from timezone-aware "
     "datetimes; instead: attach a time zone, e.g. value.replace(tzinfo=ZoneInfo('Europe/Paris'))"),
    ("notice-time-left-naive", lambda: notice_window(AUTO).time_left(datetime(2027, 5, 1, 9)),
     NaiveDatetimeError,
     "now=datetime.datetime(2027, 5, 1, 9, 0): is a naive datetime; rule: deadlines are computed from timezone-aware "
     "datetimes; instead: attach a time zone, e.g. value.replace(tzinfo=ZoneInfo('Europe/Paris'))"),
    ("notice-days-left-type", lambda: notice_window(AUTO).days_left("2027-05-01"),
     InvalidTypeError,
     "as_of='2027-05-01': expected a calendar date; instead: pass datetime.date(...) (use .date() on a datetime)"),
    ("notice-contract", lambda: notice_window("acme"),
     InvalidTypeError, "contract='acme': expected a Contract; instead: pass a Contract"),
    ("notice-not-auto", lambda: notice_window(SMB),
     InvalidValueError,
     "auto_renew=False: does not auto-renew, so it has no notice window; instead: build the contract with "
     "auto_renew=True, or track its renewal with renewal_timeline()"),
    ("notice-calendar", lambda: notice_window(AUTO, business_days=True, calendar=5),
     InvalidTypeError,
     "calendar=5: has no is_business_day(date) method; instead: pass a BusinessCalendar or an object implementing "
     "HolidayCalendar"),
    ("notice-business-flag", lambda: notice_window(AUTO, business_days="yes"),
     InvalidTypeError, "business_days='yes': expected True or False; instead: pass a bool"),
    ("notice-roll-back-flag", lambda: notice_window(AUTO, roll_back=1),
     InvalidTypeError, "roll_back=1: expected True or False; instead: pass a bool"),
    ("notice-no-room",
     lambda: notice_window(attrs.evolve(FIRST_MONTH, auto_renew=True, notice_days=60)),
     InvalidValueError,
     "end=datetime.date(1, 1, 31): leaves no room for the notice period; rule: 60 days of notice before it must stay "
     "in the calendar; instead: pass the contract's real dates"),
    ("notice-never-open", lambda: notice_window(AUTO, business_days=True, calendar=NeverOpen()),
     InvalidValueError, "calendar=NeverOpen(): has no business days; instead: check the holiday calendar"),
    ("outcome-contract", lambda: renewal_outcome(5, confirmed_on=None, renewed_acv=0),
     InvalidTypeError, "contract=5: expected a Contract; instead: pass a Contract"),
    ("outcome-playbook", lambda: renewal_outcome(SMB, confirmed_on=None, renewed_acv=0, playbook="smb"),
     InvalidTypeError, "playbook='smb': expected Playbook, got str; instead: pass a postsale.renewal.Playbook"),
    ("outcome-acv", lambda: renewal_outcome(SMB, confirmed_on=None, renewed_acv=-1),
     InvalidValueError, "renewed_acv=-1: is negative; rule: must be >= 0; instead: pass an amount >= 0"),
    ("outcome-retention", lambda: renewal_outcome(SMB, confirmed_on=None, renewed_acv=0, min_retention=90),
     InvalidValueError,
     "min_retention=90: is outside [0, 1]; rule: a share is written as a fraction between 0 and 1; instead: write "
     "0.9 for 90.0 %"),
    ("outcome-executed-unconfirmed",
     lambda: renewal_outcome(SMB, confirmed_on=None, renewed_acv=0, executed_on=date(2027, 6, 1)),
     InvalidValueError,
     "executed_on=datetime.date(2027, 6, 1): is given but the renewal was never confirmed; instead: pass "
     "confirmed_on as well (the date the customer agreed)"),
    ("outcome-executed-early",
     lambda: renewal_outcome(SMB, confirmed_on=date(2027, 6, 2), renewed_acv=0, executed_on=date(2027, 6, 1)),
     InvalidValueError,
     "executed_on=datetime.date(2027, 6, 1): is before the confirmation; rule: must be on or after "
     "confirmed_on=2027-06-02; instead: check the two dates"),
    ("outcome-positive-unconfirmed", lambda: renewal_outcome(SMB, confirmed_on=None, renewed_acv=100),
     InvalidValueError,
     "renewed_acv=Decimal('100'): is positive but the renewal was never confirmed; instead: pass confirmed_on, or "
     "renewed_acv=0 for a churned renewal"),
    ("outcome-prepaid",
     lambda: renewal_outcome(SMB, confirmed_on=date(2027, 5, 1), renewed_acv=100, prepaid_annually="yes"),
     InvalidValueError, "prepaid_annually='yes': must be True or False"),
    ("outcome-confirmed-type", lambda: renewal_outcome(SMB, confirmed_on="2027-05-01", renewed_acv=100),
     InvalidTypeError,
     "confirmed_on='2027-05-01': expected a calendar date; instead: pass datetime.date(...) (use .date() on a "
     "datetime)"),
    ("outcome-executed-type",
     lambda: renewal_outcome(SMB, confirmed_on=date(2027, 5, 1), renewed_acv=100, executed_on="2027-05-02"),
     InvalidTypeError,
     "executed_on='2027-05-02': expected a calendar date; instead: pass datetime.date(...) (use .date() on a "
     "datetime)"),
    ("outcome-check", lambda: renewal_outcome(SMB, confirmed_on=date(2027, 5, 1), renewed_acv=100).check("vibes"),
     InvalidValueError,
     "name='vibes': is not a check of this outcome; instead: use confirmed_early, revenue_retained, on_time"),
    ("playbook-for", lambda: playbook_for("giant"),
     UnknownNameError,
     "segment='giant': is not a Segment; rule: one of ENTERPRISE, MID_MARKET, SMB, PRODUCT_LED; instead: pass one of "
     "ENTERPRISE, MID_MARKET, SMB, PRODUCT_LED"),
    ("playbook-problems",
     lambda: Playbook("", runway_days=-1, latest_start_days="x", milestones=(), conversation="a", confirmation="b",
                      danger_zone_days=-2, touch_ramp=(1,), auto_renew="no"),
     DefinitionError,
     "renewal playbook '' is invalid (9 problem(s)):\n  - must be a non-empty string @ $.name\n  - must be >= 0, got "
     "-1 @ $.runway_days\n  - must be a whole number of days, got 'x' @ $.latest_start_days\n  - must be >= 0, got "
     "-2 @ $.danger_zone_days\n  - must be a (from, to) pair of days, got (1,) @ $.touch_ramp\n  - must be True or "
     "False, got 'no' @ $.auto_renew\n  - needs at least one milestone @ $.milestones\n  - names no milestone: 'a' "
     "(known: []) @ $.conversation\n  - names no milestone: 'b' (known: []) @ $.confirmation\ninstead: order "
     "milestones from the runway start (largest T-N) to T-0, all within the runway"),
    ("playbook-milestones",
     lambda: Playbook("p", runway_days=30, latest_start_days=40,
                      milestones=(Milestone("a", 50), Milestone("a", 60), Milestone(" ", 10), 5), conversation="a",
                      confirmation="zz", touch_ramp=(10, 20)),
     DefinitionError,
     "renewal playbook 'p' is invalid (9 problem(s)):\n  - latest start T-40 is before the runway start T-30 @ "
     "$.latest_start_days\n  - starts at T-10, after its end T-20 @ $.touch_ramp\n  - T-50 is outside the runway "
     "(starts T-30) @ $.milestones[0].days_before\n  - duplicate milestone name 'a' @ $.milestones[1].name\n  - T-60 "
     "is outside the runway (starts T-30) @ $.milestones[1].days_before\n  - T-60 is not after the previous "
     "milestone T-50; milestones go strictly from the largest T-N to the smallest @ $.milestones[1].days_before\n  - "
     "must be a non-empty string @ $.milestones[2].name\n  - must be a Milestone, got 5 @ $.milestones[3]\n  - names "
     "no milestone: 'zz' (known: [' ', 'a']) @ $.confirmation\ninstead: order milestones from the runway start "
     "(largest T-N) to T-0, all within the runway"),
    ("playbook-conversation-late",
     lambda: Playbook("p", runway_days=60, latest_start_days=45,
                      milestones=(Milestone("start", 60), Milestone("talk", 30), Milestone("end", 0)),
                      conversation="talk", confirmation="end"),
     DefinitionError,
     "renewal playbook 'p' is invalid (1 problem(s)):\n  - the conversation milestone T-30 is due after the latest "
     "start T-45 @ $.conversation\ninstead: order milestones from the runway start (largest T-N) to T-0, all within "
     "the runway"),
    ("playbook-milestone-dates", lambda: ENTERPRISE_PLAYBOOK.milestone_dates(date.fromordinal(180)),
     InvalidValueError,
     "renewal_date=datetime.date(1, 6, 29): leaves no room for the runway; rule: the enterprise playbook starts 180 "
     "days before it, which must be a date on or after 0001-01-01; instead: pass the contract's real renewal date"),
    ("playbook-milestone-dates-type", lambda: SMB_PLAYBOOK.milestone_dates("2027-01-01"),
     InvalidTypeError,
     "renewal_date='2027-01-01': expected a calendar date; instead: pass datetime.date(...) (use .date() on a "
     "datetime)"),
    ("fiscal-month", lambda: FiscalYear(first_month=13, budget_quarter=1),
     InvalidValueError, "first_month=13: is out of range; rule: a whole number 1..12; instead: pass 1..12"),
    ("fiscal-quarter", lambda: FiscalYear(first_month=1, budget_quarter=0),
     InvalidValueError, "budget_quarter=0: is out of range; rule: a whole number 1..4; instead: pass 1..4"),
    ("fiscal-quarter-type", lambda: FiscalYear(first_month=1, budget_quarter="1"),
     InvalidValueError, "budget_quarter='1': is out of range; rule: a whole number 1..4; instead: pass 1..4"),
    ("timeline-contract", lambda: renewal_timeline("acme"),
     InvalidTypeError, "contract='acme': expected a Contract; instead: pass a Contract"),
    ("timeline-playbook", lambda: renewal_timeline(SMB, playbook="smb"),
     InvalidTypeError, "playbook='smb': expected a Playbook; instead: pass a Playbook"),
    ("timeline-widening", lambda: renewal_timeline(SMB, widening=5),
     InvalidTypeError, "widening=5: expected RunwayWidening, got int; instead: pass a RunwayWidening, or None"),
    ("timeline-fiscal", lambda: renewal_timeline(SMB, fiscal_year=5),
     InvalidTypeError, "fiscal_year=5: expected FiscalYear, got int; instead: pass FiscalYear(first_month=..., ...)"),
    ("timeline-health", lambda: renewal_timeline(SMB, health="purple"),
     UnknownNameError,
     "health='purple': is not a HealthBand; rule: one of RED, YELLOW, GREEN; instead: pass one of RED, YELLOW, GREEN"),
    ("timeline-no-room", lambda: renewal_timeline(FIRST_MONTH),
     InvalidValueError,
     "contract_end=datetime.date(1, 1, 31): leaves no room for the renewal runway; rule: the runway starts up to 366 "
     "days before it, which must be on or after 0001-01-01; instead: pass the contract's real dates"),
    ("timeline-playbooks", lambda: renewal_timeline(SMB, playbooks=5),
     InvalidTypeError, "playbooks=5: expected a mapping of Segment to Playbook"),
    ("timeline-milestone", lambda: TIMELINE.milestone("kickoff"),
     UnknownNameError,
     "milestone='kickoff': is not a milestone of this timeline; rule: one of renewal_offer, follow_up, renewal; "
     "instead: use one of renewal_offer, follow_up, renewal"),
    ("timeline-inconsistent", lambda: RenewalTimeline("a", "SMB", "p", D, D, D, D, D, [], "talk", "sign"),
     DefinitionError,
     "renewal timeline is inconsistent (2 problem(s)):\n  - names no milestone: 'talk' (known: []) @ "
     "$.conversation\n  - names no milestone: 'sign' (known: []) @ $.confirmation\ninstead: build it with "
     "renewal_timeline()"),
    ("timeline-status-completed-type", lambda: TIMELINE.status(date(2027, 5, 1), completed=5),
     InvalidTypeError,
     "completed=5: expected a mapping of milestone name to completion date; instead: pass {\"internal_prep\": "
     "date(2027, 1, 5)}"),
    ("timeline-status-completed-name",
     lambda: TIMELINE.status(date(2027, 5, 1), completed={"kickoff": date(2027, 5, 1)}),
     UnknownNameError,
     "completed='kickoff': is not a milestone of this timeline; rule: one of renewal_offer, follow_up, renewal; "
     "instead: use one of renewal_offer, follow_up, renewal"),
    ("timeline-status-completed-late",
     lambda: TIMELINE.status(date(2027, 5, 1), completed={"renewal_offer": date(2027, 5, 2)}),
     OutOfOrderError,
     "completed['renewal_offer']=datetime.date(2027, 5, 2): is after the as-of date; rule: a milestone completed by "
     "2027-05-01 is dated on or before it; instead: ask the status on a later date, or correct the completion date"),
    ("timeline-status-completed-date",
     lambda: TIMELINE.status(date(2027, 5, 1), completed={"renewal_offer": "2027-05-01"}),
     InvalidTypeError,
     "completed['renewal_offer']='2027-05-01': expected a calendar date; instead: pass datetime.date(...) (use "
     ".date() on a datetime)"),
    ("timeline-status-recorded", lambda: TIMELINE.status(date(2027, 5, 1), recorded="yes"),
     InvalidTypeError, "recorded='yes': expected True or False; instead: pass a bool"),
    ("timeline-status-not-recorded",
     lambda: TIMELINE.status(date(2027, 5, 1), recorded=False, completed={"renewal_offer": date(2027, 5, 1)}),
     InvalidValueError,
     "completed={'renewal_offer': datetime.date(2027, 5, 1)}: lists milestones done although no renewal activity is "
     "recorded; rule: recorded=False means no milestone information at all; instead: pass the milestones done with "
     "recorded=True, or leave them out with recorded=False"),
    ("timeline-status-as-of", lambda: TIMELINE.status("2027-05-01"),
     InvalidTypeError,
     "as_of='2027-05-01': expected a calendar date; instead: pass datetime.date(...) (use .date() on a datetime)"),
    ("term-milestones-far", lambda: term_milestone_dates(date(9999, 1, 1), 12),
     InvalidValueError,
     "term_months=12: ends after 9999; rule: a term starting 9999-01-01 must end by 9999-12-31; instead: pass the "
     "real term"),
    ("term-milestones-start", lambda: term_milestone_dates(date(1, 1, 1), 1),
     InvalidValueError,
     "start=datetime.date(1, 1, 1): leaves no room for the milestones; rule: every milestone must fall on or after "
     "0001-01-01; instead: pass the contract's real dates"),
    ("term-milestones-offset-far", lambda: term_milestone_dates(D, 12, offsets=(4000,)),
     InvalidValueError,
     "offsets[0]=4000: is too far before the renewal; rule: a milestone is at most 3660 days before the renewal "
     "date; instead: pass T-N offsets in days, e.g. (180, 120, 90)"),
    ("term-milestones-offset-negative", lambda: term_milestone_dates(D, 12, offsets=(-1,)),
     InvalidValueError, "offsets[0]=-1: is negative; rule: must be >= 0; instead: pass a count >= 0"),
    ("forecast-rules", lambda: forecast_renewal(rules=5),
     InvalidTypeError, "rules=5: expected ForecastRules; instead: pass a ForecastRules table"),
    ("forecast-status", lambda: forecast_renewal(status=5),
     InvalidTypeError, "status=5: expected a RenewalStatus; instead: pass RenewalTimeline.status(...)"),
    ("forecast-signals", lambda: forecast_renewal(signals=[("nps", 1)]),
     InvalidTypeError, "signals=[('nps', 1)]: expected a mapping of signal names to numbers"),
    ("forecast-call", lambda: forecast_renewal(csm_call="maybe"),
     UnknownNameError,
     "csm_call='maybe': is not a ForecastCategory; rule: one of AT_RISK, LIKELY, COMMIT; instead: pass one of "
     "AT_RISK, LIKELY, COMMIT"),
    ("forecast-intent", lambda: forecast_renewal(intent="perhaps"),
     UnknownNameError,
     "intent='perhaps': is not an Intent; rule: one of COMMITTED, RENEW, UNDECIDED, REDUCE, CANCEL, UNKNOWN; instead: "
     "pass one of COMMITTED, RENEW, UNDECIDED, REDUCE, CANCEL, UNKNOWN"),
    ("forecast-health", lambda: forecast_renewal(health="purple"),
     UnknownNameError,
     "health='purple': is not a HealthBand; rule: one of RED, YELLOW, GREEN; instead: pass one of RED, YELLOW, GREEN"),
    ("forecast-rules-problems",
     lambda: ForecastRules((STRAY_RULE, 5), high_risk_from=1, default_reason=""),
     DefinitionError,
     "forecast rule table is invalid (5 problem(s)):\n  - has no condition (all_of or any_of), so it always matches "
     "@ $.rules[0]\n  - must be a sentence explaining the decision @ $.rules[0].reason\n  - must be a ForecastRule, "
     "got 5 @ $.rules[1]\n  - must be a whole number >= 2, got 1 @ $.high_risk_from\n  - must be a sentence "
     "explaining the default @ $.default_reason\ninstead: fix the rows listed"),
    ("rollup-end", lambda: roll_up([], period_start=date(2027, 3, 1), period_end=date(2027, 1, 1)),
     InvalidValueError,
     "period_end=datetime.date(2027, 1, 1): is before period_start; rule: must be on or after 2027-03-01; instead: "
     "swap the dates"),
    ("rollup-duplicates",
     lambda: roll_up([], period_start=D, period_end=D, scenarios=[Scenario("a", 1, 0.5, 0), Scenario("a", 1, 0.5, 0)]),
     InvalidValueError, "scenarios=['a', 'a']: has duplicate names; instead: name each scenario once"),
    ("rollup-lines", lambda: roll_up([5], period_start=D, period_end=D),
     InvalidTypeError, "lines[0]=5: expected RenewalLine, got int; instead: pass a RenewalLine"),
    ("rollup-scenario", lambda: roll_up([], period_start=D, period_end=D).scenario("dream"),
     InvalidValueError, "name='dream': is not a scenario of this roll-up; instead: use high, medium, low"),
    ("rollup-prefer", lambda: RenewalLine.of(SMB, forecast_renewal(), prefer="both"),
     InvalidValueError, "prefer='both': must be 'csm' or 'computed'"),
    ("rollup-results", lambda: attrs.evolve(ROLLUP, scenarios=[5]),
     InvalidTypeError, "scenarios[0]=5: expected ScenarioResult, got int; instead: pass a ScenarioResult"),
    ("rollup-totals", lambda: attrs.evolve(ROLLUP, by_category=[5]),
     InvalidTypeError, "by_category[0]=5: expected CategoryTotal, got int; instead: pass a CategoryTotal"),
    ("rollup-flagged", lambda: attrs.evolve(ROLLUP, flagged=[5]),
     InvalidTypeError, "flagged[0]=5: expected str, got int; instead: pass a str"),
    ("rollup-arr-due", lambda: attrs.evolve(ROLLUP, arr_due=-1),
     InvalidValueError, "arr_due=-1: is negative; rule: must be >= 0; instead: pass an amount >= 0"),
    ("result-retention", lambda: attrs.evolve(ROLLUP.scenarios[0], retention=-1),
     InvalidValueError, "retention=-1: is negative; rule: must be >= 0; instead: pass a value >= 0"),
    ("result-churn", lambda: attrs.evolve(ROLLUP.scenarios[0], churn_arr=-1),
     InvalidValueError, "churn_arr=-1: is negative; rule: must be >= 0; instead: pass an amount >= 0"),
    ("result-renewed", lambda: attrs.evolve(ROLLUP.scenarios[0], renewed_arr="x"),
     InvalidValueError, "renewed_arr='x': is not an amount of money; instead: pass digits, e.g. \"120000.00\""),
    ("scenario-commit", lambda: Scenario("a", 1.5, 0.5, 0),
     InvalidValueError,
     "commit=1.5: is outside [0, 1]; rule: a share is written as a fraction between 0 and 1; instead: write 0.015 "
     "for 1.5 %"),
    ("scenario-likely", lambda: Scenario("a", 1, -0.5, 0),
     InvalidValueError,
     "likely=-0.5: is outside [0, 1]; rule: a share is written as a fraction between 0 and 1; instead: pass a "
     "fraction in [0, 1]"),
    ("scenario-at-risk", lambda: Scenario("a", 1, 0.5, 2),
     InvalidValueError,
     "at_risk=2: is outside [0, 1]; rule: a share is written as a fraction between 0 and 1; instead: write 0.02 for "
     "2.0 %"),
    ("line-arr", lambda: RenewalLine("a", D, -1, "commit"),
     InvalidValueError, "arr=-1: is negative; rule: must be >= 0; instead: pass an amount >= 0"),
    ("line-category", lambda: RenewalLine("a", D, 1, "sure"),
     UnknownNameError,
     "category='sure': is not a ForecastCategory; rule: one of AT_RISK, LIKELY, COMMIT; instead: pass one of "
     "AT_RISK, LIKELY, COMMIT"),
    ("line-expected", lambda: RenewalLine("a", D, 1, "commit", expected_arr=-5),
     InvalidValueError, "expected_arr=-5: is negative; rule: must be >= 0; instead: pass an amount >= 0"),
    ("runway-limits-recorded", lambda: Runway.of(SMB_PLAYBOOK).limits(recorded="yes"),
     InvalidTypeError, "recorded='yes': expected True or False; instead: pass a bool"),
    ("widening-type", lambda: RunwayWidening(bands=5),
     InvalidTypeError, "bands=5: expected a collection, got int; instead: pass a list or tuple (an empty one is fine)"),
    ("state-order", lambda: StateOrder(5),
     InvalidTypeError,
     "playbooks=5: expected a mapping of Segment to Playbook; instead: pass {Segment.SMB: SMB_PLAYBOOK, ...} "
     "(DEFAULT_PLAYBOOKS is the default)"),
]


@pytest.mark.parametrize(("call", "error", "text"), [pytest.param(*case[1:], id=case[0]) for case in REFUSALS])
def test_a_renewal_refusal_names_field_value_rule_and_hint(
    call: Callable[[], object], error: type[PostsaleError], text: str
) -> None:
    """Contracts, dates, notice windows, outcomes, playbooks, timelines, forecasts and roll-ups refuse bad input with
    their exact words, as exactly this error class."""
    caught = refused(call)
    assert (type(caught), str(caught)) == (error, text)


def test_a_count_of_terms_below_one_is_refused_in_terms_of_terms() -> None:
    """Contract.terms(0) and term_periods(count=0) refuse the count; the rule and hint should speak of terms, not
    of months (today: "a term is at least one month ... pass a whole number of months >= 1")."""
    for call in (lambda: SMB.terms(0), lambda: term_periods(D, months=12, count=0)):
        caught = refused(call)
        assert caught.field == "count"
        assert "month" not in str(caught)

