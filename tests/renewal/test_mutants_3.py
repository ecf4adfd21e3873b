"""The renewal context's words, pinned where mutation testing (scripts/mutation.py renewal, seed 31) found them
unpinned: the status in every state, a timeline renewing by itself, the forecast, the outcome and the
roll-up. The refusals are in ``test_mutants_2.py``."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from typing import Any

import pytest

from postsale import HealthBand, InvalidValueError
from postsale.renewal import (
    BusinessCalendar,
    Contract,
    FiscalYear,
    RenewalLine,
    RenewalTimeline,
    forecast_renewal,
    notice_window,
    renewal_outcome,
    renewal_timeline,
    roll_up,
)

D = date(2026, 7, 1)

# ---- the status and the timeline in words -------------------------------------------------------------------------

ENTERPRISE_TIMELINE = renewal_timeline(Contract.from_term("acme", "ENTERPRISE", D, term_months=12, acv=120000))
AUTO_TIMELINE = renewal_timeline(Contract.from_term("acme", "SMB", D, term_months=12, acv=9000, auto_renew=True,
                                                    notice_days=30), health=HealthBand.RED)
"""A red SMB account renewing by itself with 30 days of notice: an early start, two reasons, a notice window."""

STATUSES: list[tuple[str, RenewalTimeline, tuple[Any, ...], list[str]]] = [
    ("before-runway", ENTERPRISE_TIMELINE, (date(2026, 12, 1),), [
        "On 2026-12-01 the renewal on 2027-06-30 is 211 days away (T-211): upcoming (the runway has not started) "
        "(UPCOMING).",
        "Phase: before_runway.",
        "Next milestone: internal_prep due on 2027-01-01, in 31 days.",
    ]),
    ("late-start", ENTERPRISE_TIMELINE, (date(2027, 3, 10),), [
        "On 2027-03-10 the renewal on 2027-06-30 is 112 days away (T-112): late start (LATE_START).",
        "Phase: customer_conversation.",
        "Overdue: internal_prep was due on 2027-01-01 (T-180), 68 days ago.",
        "Overdue: customer_conversation was due on 2027-03-02 (T-120), 8 days ago.",
        "Late start: no customer conversation by 2027-03-02, the latest start of the runway.",
        "Next milestone: proposal due on 2027-04-01, in 22 days.",
    ]),
    ("on-time-next-today", ENTERPRISE_TIMELINE,
     (date(2027, 4, 1), {"internal_prep": date(2027, 1, 1), "customer_conversation": date(2027, 3, 1)}), [
        "On 2027-04-01 the renewal on 2027-06-30 is 90 days away (T-90): on track (ON_TRACK).",
        "Phase: proposal.",
        "Next milestone: proposal due on 2027-04-01, today.",
    ]),
    ("danger-zone", ENTERPRISE_TIMELINE,
     (date(2027, 6, 10), {"internal_prep": date(2027, 1, 1), "customer_conversation": date(2027, 3, 1),
                          "proposal": date(2027, 4, 1), "negotiation": date(2027, 5, 1)}), [
        "On 2027-06-10 the renewal on 2027-06-30 is 20 days away (T-20): danger zone (DANGER_ZONE).",
        "Phase: contract_executed.",
        "Overdue: contract_executed was due on 2027-05-31 (T-30), 10 days ago.",
        "Danger zone since 2027-05-31: close to the renewal date and not confirmed.",
        "Next milestone: renewal due on 2027-06-30, in 20 days.",
    ]),
    ("renewal-day", ENTERPRISE_TIMELINE, (date(2027, 6, 30),), [
        "On 2027-06-30 the renewal on 2027-06-30 is today (T-0): danger zone (DANGER_ZONE).",
        "Phase: renewal.",
        "Overdue: internal_prep was due on 2027-01-01 (T-180), 180 days ago.",
        "Overdue: customer_conversation was due on 2027-03-02 (T-120), 120 days ago.",
        "Overdue: proposal was due on 2027-04-01 (T-90), 90 days ago.",
        "Overdue: negotiation was due on 2027-05-01 (T-60), 60 days ago.",
        "Overdue: contract_executed was due on 2027-05-31 (T-30), 30 days ago.",
        "Late start: no customer conversation by 2027-03-02, the latest start of the runway.",
        "Danger zone since 2027-05-31: close to the renewal date and not confirmed.",
        "Next milestone: renewal due on 2027-06-30, today.",
    ]),
    ("lapsed", ENTERPRISE_TIMELINE, (date(2027, 7, 2),), [
        "On 2027-07-02 the renewal on 2027-06-30 is 2 days past (T+2): lapsed (LAPSED).",
        "Phase: after_renewal.",
        "Overdue: internal_prep was due on 2027-01-01 (T-180), 182 days ago.",
        "Overdue: customer_conversation was due on 2027-03-02 (T-120), 122 days ago.",
        "Overdue: proposal was due on 2027-04-01 (T-90), 92 days ago.",
        "Overdue: negotiation was due on 2027-05-01 (T-60), 62 days ago.",
        "Overdue: contract_executed was due on 2027-05-31 (T-30), 32 days ago.",
        "Overdue: renewal was due on 2027-06-30 (T-0), 2 days ago.",
        "Late start: no customer conversation by 2027-03-02, the latest start of the runway.",
        "Danger zone since 2027-05-31: close to the renewal date and not confirmed.",
        "Lapsed: the renewal date passed without a confirmed renewal.",
    ]),
    ("confirmed", ENTERPRISE_TIMELINE, (date(2027, 7, 2), {"renewal": date(2027, 6, 30)}), [
        "On 2027-07-02 the renewal on 2027-06-30 is 2 days past (T+2): confirmed (CONFIRMED).",
        "Phase: after_renewal.",
        "The renewal was confirmed on 2027-06-30.",
        "Late start: no customer conversation by 2027-03-02, the latest start of the runway.",
    ]),
    ("not-recorded", ENTERPRISE_TIMELINE, (date(2027, 3, 10), "not recorded"), [
        "On 2027-03-10 the renewal on 2027-06-30 is 112 days away (T-112): no renewal activity recorded "
        "(NOT_RECORDED).",
        "Phase: customer_conversation.",
        "No renewal activity recorded: the runway has been open since 2027-01-01 and no milestone is tracked for "
        "this account, so nothing is judged overdue nor late; record the milestones done (an empty record means none "
        "is done) to follow the renewal's progress.",
        "Next milestone: proposal due on 2027-04-01, in 22 days.",
    ]),
    ("auto-open", AUTO_TIMELINE, (date(2027, 5, 1),), [
        "On 2027-05-01 the renewal on 2027-06-30 is 60 days away (T-60): a milestone is overdue (OVERDUE).",
        "Phase: renewal_offer.",
        "Auto-renewal: the contract renews by itself on 2027-06-30 unless the customer gives notice by 2027-05-31 "
        "(30 days left); no late start nor danger zone applies.",
        "Overdue: early_start was due on 2026-12-02 (T-210), 150 days ago.",
        "Touch ramp: touches increase as the decision approaches.",
        "Next milestone: renewal_offer due on 2027-05-01, today.",
    ]),
    ("auto-last-day", AUTO_TIMELINE, (date(2027, 5, 31),), [
        "On 2027-05-31 the renewal on 2027-06-30 is 30 days away (T-30): a milestone is overdue (OVERDUE).",
        "Phase: follow_up.",
        "Auto-renewal: the contract renews by itself on 2027-06-30 unless the customer gives notice by 2027-05-31 "
        "(the last day); no late start nor danger zone applies.",
        "Overdue: early_start was due on 2026-12-02 (T-210), 180 days ago.",
        "Overdue: renewal_offer was due on 2027-05-01 (T-60), 30 days ago.",
        "Touch ramp: touches increase as the decision approaches.",
        "Next milestone: follow_up due on 2027-05-31, today.",
    ]),
    ("auto-locked-in", AUTO_TIMELINE, (date(2027, 6, 1),), [
        "On 2027-06-01 the renewal on 2027-06-30 is 29 days away (T-29): confirmed (CONFIRMED).",
        "Phase: follow_up.",
        "Auto-renewal locked in: the notice window closed on 2027-05-31 with no notice recorded; the contract renews "
        "by itself on 2027-06-30.",
        "Overdue: early_start was due on 2026-12-02 (T-210), 181 days ago.",
        "Overdue: renewal_offer was due on 2027-05-01 (T-60), 31 days ago.",
        "Overdue: follow_up was due on 2027-05-31 (T-30), 1 day ago.",
        "Next milestone: renewal due on 2027-06-30, in 29 days.",
    ]),
    ("auto-renewed", AUTO_TIMELINE, (date(2027, 7, 2),), [
        "On 2027-07-02 the renewal on 2027-06-30 is 2 days past (T+2): confirmed (CONFIRMED).",
        "Phase: after_renewal.",
        "Auto-renewal locked in: the notice window closed on 2027-05-31 with no notice recorded; the contract "
        "renewed by itself on 2027-06-30.",
        "Overdue: early_start was due on 2026-12-02 (T-210), 212 days ago.",
        "Overdue: renewal_offer was due on 2027-05-01 (T-60), 62 days ago.",
        "Overdue: follow_up was due on 2027-05-31 (T-30), 32 days ago.",
    ]),
]


@pytest.mark.parametrize(("timeline", "asked", "lines"), [pytest.param(*case[1:], id=case[0]) for case in STATUSES])
def test_the_status_explains_each_state_in_words(timeline: RenewalTimeline, asked: tuple[Any, ...],
                                                  lines: list[str]) -> None:
    """Before the runway, a late start, a milestone due today, the danger zone, T-0, a lapse, a confirmation,
    nothing recorded; and for a contract renewing by itself: the notice window open, its last day, locked in before
    and after the renewal date."""
    args = asked if isinstance(asked, tuple) else (asked,)
    recorded = args[-1] != "not recorded"
    status = timeline.status(*(a for a in args if a != "not recorded"), recorded=recorded)
    assert status.explain() == lines


def test_a_timeline_renewing_by_itself_explains_its_reasons_and_its_notice() -> None:
    """The runway line, one line per milestone (the early start with its reasons), the reasons, the notice lines."""
    assert AUTO_TIMELINE.explain() == [
        "Renewal of acme on 2027-06-30 (smb playbook): runway from 2026-12-02, conversation by 2027-05-31.",
        "T-210 2026-12-02 early_start: Runway widened to T-180 because health is RED; Runway moved back 30 days to "
        "T-210: the contract renews by itself unless notice is given by 2027-05-31.",
        "T-60 2027-05-01 renewal_offer: automated renewal offer and reminder.",
        "T-30 2027-05-31 follow_up: follow-up reminder; confirm the renewal.",
        "T-0 2027-06-30 renewal: renewal date (self-service).",
        "Runway widened to T-180 because health is RED.",
        "Runway moved back 30 days to T-210: the contract renews by itself unless notice is given by 2027-05-31.",
        "Last day to give notice against the auto-renewal: 2027-05-31.",
        "The contract renews by itself: its status follows the notice window (no late start, danger zone nor lapse), "
        "confirmed once the window closes without notice.",
    ]


def test_a_contract_that_renewed_by_itself_has_no_overdue_renewal() -> None:
    """After the notice window closed without notice and the renewal date passed, the status is CONFIRMED and says
    the contract renewed by itself; it should not also report the renewal milestone as overdue."""
    status = AUTO_TIMELINE.status(date(2027, 7, 2))
    assert status.state.name == "CONFIRMED"
    assert "renewal" not in [m.name for m in status.overdue]


# ---- the forecast, the outcome and the roll-up in words ------------------------------------------------------------


def test_a_forecast_explains_its_category_its_evidence_and_the_csms_call() -> None:
    """The deciding rule, the evidence, and the CSM's call: disagreeing (kept and flagged) or agreeing."""
    late = ENTERPRISE_TIMELINE.status(date(2027, 3, 10))
    at_risk = forecast_renewal(health="red", status=late, signals={"support_escalations": 2, "champion_left": 1},
                               intent="undecided", csm_call="commit")
    assert at_risk.explain() == [
        "Forecast AT_RISK: a regression trigger is open.",
        "Evidence: the champion left.",
        "The CSM called COMMIT, which disagrees with the computed AT_RISK: kept and flagged for review.",
    ]
    committed = forecast_renewal(health="green", intent="committed", csm_call="commit", account_id="acme")
    assert committed.explain() == ["Forecast COMMIT: the customer committed to renew.", "The CSM's call COMMIT agrees."]
    assert forecast_renewal(health="yellow").explain() == [
        "Forecast LIKELY: health is green or yellow and risk is at most medium.", "Evidence: health is yellow."]


def test_an_outcome_explains_the_verdict_and_every_check() -> None:
    """Every check in words, passed or not, with the optional multi-year and prepayment checks."""
    contract = Contract.from_term("acme", "SMB", D, term_months=12, acv=9000)
    shrunk = renewal_outcome(contract, confirmed_on=date(2027, 5, 1), renewed_acv=8000, executed_on=date(2027, 5, 10),
                             renewed_term_months=24, prepaid_annually=False)
    assert shrunk.explain() == [
        "The renewal of acme due 2027-06-30 did not succeed (failed: revenue_retained).",
        "[ok] Confirmed on 2027-05-01 (60 days before expiry 2027-06-30); the smb playbook needs it by the renewal "
        "date.",
        "[--] Revenue retained 88.9% (8000 of 9000); at least 95% is needed.",
        "[ok] Executed on 2027-05-10 for an expiry on 2027-06-30 (on time or early).",
        "[ok] Renewed for 24 months (multi-year terms are preferred).",
        "[--] Not prepaid annually (annual prepayment is preferred).",
    ]
    assert renewal_outcome(contract, confirmed_on=None, renewed_acv=0).explain() == [
        "The renewal of acme due 2027-06-30 did not succeed (failed: confirmed_early, revenue_retained, on_time).",
        "[--] The renewal was never confirmed.",
        "[--] Revenue retained 0.0% (0 of 9000); at least 95% is needed.",
        "[--] No renewal was executed.",
    ]


def test_a_roll_up_explains_the_period_the_categories_and_each_scenario() -> None:
    """Only renewals inside the period count; each scenario gives renewed ARR, churn, contraction and expansion."""
    lines = [RenewalLine("a", date(2027, 4, 10), 1000, "commit", expected_arr=1200),
             RenewalLine("b", date(2027, 5, 10), 2000, "at_risk"),
             RenewalLine("c", date(2027, 6, 10), 500, "likely", expected_arr=400),
             RenewalLine("d", date(2027, 8, 1), 9, "likely")]
    assert roll_up(lines, period_start=date(2027, 4, 1), period_end=date(2027, 6, 30)).explain() == [
        "3 renewals due 2027-04-01..2027-06-30, ARR 3,500.",
        "COMMIT: 1 renewals, ARR 1,000.",
        "LIKELY: 1 renewals, ARR 500.",
        "AT_RISK: 1 renewals, ARR 2,000.",
        "Scenario high: renewed 3,600 (102.9%), churn 0, contraction 100, expansion 200.",
        "Scenario medium: renewed 1,600 (45.7%), churn 2,000, contraction 100, expansion 200.",
        "Scenario low: renewed 1,200 (34.3%), churn 2,500, contraction 0, expansion 200.",
    ]


# ---- a renewed contract keeps its settings --------------------------------------------------------------------------


def test_an_early_or_regular_renewal_keeps_every_setting_of_the_contract() -> None:
    """Renewing early or at the end keeps the account, the segment, auto-renewal, the notice period, the time zone
    and the renewal term; the early renewal takes the ACV in force the day before it and closes the current term
    with the amendments up to then."""
    contract = Contract.from_term("a", "MID_MARKET", date(2026, 1, 1), term_months=12, acv=50000, auto_renew=True,
                                  notice_days=30, time_zone="Asia/Tokyo", renewal_term_months=24)
    contract = contract.amend(date(2026, 3, 1), acv=55000, reason="seats").amend(date(2026, 11, 1), acv=70000)
    closed, early = contract.renew_early(date(2026, 10, 1))
    settings = ("account_id", "segment", "auto_renew", "notice_days", "time_zone", "renewal_term_months")
    for renewed in (closed, early, contract.renewed()):
        assert [getattr(renewed, name) for name in settings] == ["a", contract.segment, True, 30, "Asia/Tokyo", 24]
    assert (closed.end, closed.term_months, [a.effective for a in closed.amendments]) == (
        date(2026, 9, 30), None, [date(2026, 3, 1)])
    assert (early.start, early.end, early.acv, early.term_months) == (date(2026, 10, 1), date(2028, 9, 30), 55000, 24)
    renewed = contract.renewed()
    assert (renewed.start, renewed.end, renewed.acv, renewed.anchor) == (
        date(2027, 1, 1), date(2028, 12, 31), 70000, date(2026, 1, 1))


# ---- the outcome on both sides of each criterion --------------------------------------------------------------------


def test_an_outcome_passes_each_criterion_exactly_at_its_edge_and_fails_a_step_past_it() -> None:
    """Confirmed 30 days before expiry (enterprise) passes, 29 fails; 95 % retained passes, a cent less fails;
    executed on the expiry is on time, a day later is late; 13 months is multi-year, 12 is not."""
    contract = Contract.from_term("acme", "ENTERPRISE", D, term_months=12, acv=100000)
    edge = renewal_outcome(contract, confirmed_on=date(2027, 5, 31), renewed_acv=95000, executed_on=date(2027, 6, 30),
                           renewed_term_months=13, prepaid_annually=True)
    assert (edge.success, edge.retention, edge.days_before_expiry) == (True, 0.95, 30)
    assert edge.explain() == [
        "The renewal of acme due 2027-06-30 succeeded.",
        "[ok] Confirmed on 2027-05-31 (30 days before expiry 2027-06-30); the enterprise playbook needs it at least "
        "30 days before expiry.",
        "[ok] Revenue retained 95.0% (95000 of 100000); at least 95% is needed.",
        "[ok] Executed on 2027-06-30 for an expiry on 2027-06-30 (on time or early).",
        "[ok] Renewed for 13 months (multi-year terms are preferred).",
        "[ok] Prepaid annually (annual prepayment is preferred).",
    ]
    past = renewal_outcome(contract, confirmed_on=date(2027, 6, 1), renewed_acv="94999.99",
                           executed_on=date(2027, 7, 1), renewed_term_months=12)
    assert (past.success, past.retention, past.days_before_expiry) == (False, 0.9499999, 29)
    assert past.explain() == [
        "The renewal of acme due 2027-06-30 did not succeed (failed: confirmed_early, revenue_retained, on_time).",
        "[--] Confirmed on 2027-06-01 (29 days before expiry 2027-06-30); the enterprise playbook needs it at least "
        "30 days before expiry.",
        "[--] Revenue retained 95.0% (94999.99 of 100000); at least 95% is needed.",
        "[--] Executed on 2027-07-01 for an expiry on 2027-06-30 (1 days late).",
        "[--] Renewed for 12 months (multi-year terms are preferred).",
    ]


def test_a_free_contract_renewed_for_free_retains_all_its_revenue() -> None:
    """With no revenue to retain the retention is 100 %, enough even for a 100 % threshold."""
    free = Contract.from_term("z", "SMB", D, term_months=12, acv=0)
    outcome = renewal_outcome(free, confirmed_on=date(2027, 6, 30), renewed_acv=0, min_retention=1.0)
    assert (outcome.success, outcome.retention) == (True, 1.0)
    assert outcome.explain()[2] == "[ok] Revenue retained 100.0% (0 of 0); at least 100% is needed."


# ---- the notice window ----------------------------------------------------------------------------------------------


def test_the_last_notice_day_in_calendar_days_rolls_back_over_weekends_and_holidays_only_when_asked() -> None:
    """A contract ending Monday 2027-06-28 with 30 days of notice: the last day is Saturday 2027-05-29; rolled back
    it is Friday the 28th, Thursday the 27th when the 28th is a holiday, and stays on Saturday for a calendar whose
    weekend is Sunday alone. Counted in business days it is 2027-05-17, the 14th with a holiday in between."""
    contract = Contract.from_term("a", "SMB", date(2026, 6, 29), term_months=12, acv=100, auto_renew=True,
                                  notice_days=30, time_zone="Europe/Paris")
    window = notice_window(contract)
    assert (window.opens, window.last_day, window.renewal_date, window.time_zone, window.business_days) == (
        date(2026, 6, 29), date(2027, 5, 29), date(2027, 6, 28), "Europe/Paris", False)
    assert notice_window(contract, roll_back=True).last_day == date(2027, 5, 28)
    assert notice_window(contract, roll_back=True, calendar=BusinessCalendar(holidays=[date(2027, 5, 28)])).last_day \
        == date(2027, 5, 27)
    assert notice_window(contract, roll_back=True, calendar=BusinessCalendar(weekend={6})).last_day == date(2027, 5, 29)
    counted = notice_window(contract, business_days=True)
    assert (counted.last_day, counted.business_days) == (date(2027, 5, 17), True)
    assert notice_window(contract, business_days=True, calendar=BusinessCalendar(holidays=[date(2027, 6, 25)])) \
        .last_day == date(2027, 5, 14)


@pytest.mark.parametrize(("business_days", "room"), [(False, 30), (True, 30 * 7)])
def test_a_notice_period_needs_room_before_it_in_the_calendar(business_days: bool, room: int) -> None:
    """The end must leave the notice period (a week per business day) and 400 days more before 0001-01-01: exactly
    enough is accepted, a day less is refused."""
    def ending(ordinal: int) -> Contract:
        return Contract("a", "SMB", date(1, 1, 1), date.fromordinal(ordinal), acv=1, auto_renew=True, notice_days=30)

    notice_window(ending(room + 401), business_days=business_days)
    with pytest.raises(InvalidValueError) as caught:
        notice_window(ending(room + 400), business_days=business_days)
    assert (caught.value.field, caught.value.value) == ("end", date.fromordinal(room + 400))


def test_the_budget_quarter_starts_on_its_first_day_and_anchors_the_runway_before_the_quarter() -> None:
    """A fiscal year from April, budget set in its third quarter (October): on 2027-10-01 the quarter starts that
    day, on the day before it is the previous year's; a mid-market renewal on 2027-06-30 starts 10 days before
    2026-10-01, with an early start saying why."""
    fiscal = FiscalYear(first_month=4, budget_quarter=3, lead_days=10)
    assert [fiscal.budget_quarter_start(d) for d in (date(2027, 10, 1), date(2027, 9, 30), date(2027, 2, 1))] == [
        date(2027, 10, 1), date(2026, 10, 1), date(2026, 10, 1)]
    contract = Contract.from_term("acme", "MID_MARKET", D, term_months=12, acv=50000)
    timeline = renewal_timeline(contract, fiscal_year=fiscal)
    assert timeline.runway_start == date(2026, 9, 21)
    assert timeline.explain()[:2] == [
        "Renewal of acme on 2027-06-30 (mid_market playbook): runway from 2026-09-21, conversation by 2027-05-01.",
        "T-282 2026-09-21 early_start: Runway anchored to the buyer's budget quarter starting 2026-10-01: start at "
        "T-282.",
    ]
    assert timeline.reasons == ("Runway anchored to the buyer's budget quarter starting 2026-10-01: start at T-282.",)


# ---- terms tile time ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("contract", [
    Contract.from_term("a", "SMB", date(2024, 1, 31), term_months=1, acv=100),
    Contract.from_term("a", "SMB", date(2024, 2, 29), term_months=24, acv=100, renewal_term_months=12),
    Contract("a", "SMB", date(2024, 3, 10), date(2024, 11, 20), acv=100),
], ids=["monthly-from-the-31st", "two-years-then-yearly", "irregular"])
def test_the_term_on_each_day_is_the_term_of_terms_that_contains_it(contract: Contract) -> None:
    """Day by day over four years, term_on gives the term (number, start, end) that terms() lists for that day:
    the current term first, then renewal terms edge to edge."""
    terms = contract.terms(60)
    assert all(later.start == earlier.end + timedelta(days=1) for earlier, later in pairwise(terms))
    day = contract.start
    while day < date(2028, 3, 1):
        assert contract.term_on(day) == next(t for t in terms if t.start <= day <= t.end), day
        day += timedelta(days=1)


@pytest.mark.parametrize(("given", "found"), [
    ({"health": "red", "signals": {"support_escalations": 2, "champion_left": 1}, "intent": "undecided",
      "csm_call": "commit", "late": True},
     ("acme", "AT_RISK", 3, ["CHAMPION_LEFT", "HEALTH_RED", "INTENT_UNDECIDED", "LATE_START", "OVERDUE", "RISK_MEDIUM"],
      "MEDIUM", "COMMIT", ("a regression trigger is open", "the champion left"))),
    ({"late": True},
     ("acme", "AT_RISK", 5, ["HEALTH_UNKNOWN", "INTENT_UNKNOWN", "LATE_START", "OVERDUE", "RISK_LOW"], "LOW", None,
      ("the renewal started late or is in the danger zone: late starts kill deals",
       "the renewal conversation started late"))),
    ({"signals": {"health_score": 80}},
     (None, "LIKELY", 8, ["HEALTH_GREEN", "INTENT_UNKNOWN", "RISK_LOW"], "LOW", None,
      ("health is green or yellow and risk is at most medium", "health is green"))),
    ({"signals": {"health_score": 20}},
     (None, "AT_RISK", 4, ["HEALTH_RED", "INTENT_UNKNOWN", "RISK_LOW"], "LOW", None,
      ("health is red or risk is high", "health is red"))),
    ({"health": "green", "intent": "cancel", "account_id": "x"},
     ("x", "AT_RISK", 1, ["HEALTH_GREEN", "INTENT_CANCEL", "RISK_LOW"], "LOW", None,
      ("the customer said it will not renew",))),
], ids=["red-late-undecided-champion-left", "late-only", "green-by-score", "red-by-score", "cancel"])
def test_a_forecast_records_the_deciding_rule_the_facts_the_risk_and_the_account(
    given: dict[str, Any], found: tuple[Any, ...]
) -> None:
    """The account comes from the argument, else from the status; the band from the argument, else the health
    score; the rule index, every fact that held, the risk level, the CSM's call and the reasons are kept."""
    options = dict(given)
    if options.pop("late", False):
        options["status"] = ENTERPRISE_TIMELINE.status(date(2027, 3, 10))
    forecast = forecast_renewal(**options)
    call = None if forecast.csm_call is None else forecast.csm_call.name
    assert (forecast.account_id, forecast.computed.name, forecast.rule, sorted(f.name for f in forecast.facts),
            forecast.risk.name, call, forecast.reasons) == found
