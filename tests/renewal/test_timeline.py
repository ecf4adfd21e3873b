"""Renewal timelines and their status on a date."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import postsale
from postsale import HealthBand, InvalidTypeError, InvalidValueError, OutOfOrderError, UnknownNameError
from postsale.renewal import (
    AFTER_RENEWAL,
    BEFORE_RUNWAY,
    EARLY_START,
    ENTERPRISE_PLAYBOOK,
    Contract,
    FiscalYear,
    Milestone,
    Playbook,
    RenewalState,
    RenewalStatus,
    RenewalTimeline,
    RunwayWidening,
    StatusFlag,
    renewal_timeline,
    term_milestone_dates,
)
from tests.strategies.renewal import contracts, fiscal_years, health_bands, playbooks


def contract(end_start: date = date(2026, 7, 1), segment: str = "ENTERPRISE", **kw: object) -> Contract:
    return Contract.from_term("acme", segment, end_start, term_months=12, acv=120000, **kw)  # type: ignore[arg-type]


def enterprise(end: date) -> RenewalTimeline:
    return renewal_timeline(Contract("acme", "ENTERPRISE", end - timedelta(days=364), end, 120000))


def dues(t: RenewalTimeline) -> list[tuple[str, date]]:
    return [(m.name, m.due) for m in t.milestones]


def test_enterprise_timeline_ending_2027_06_30() -> None:
    """The enterprise timeline of a contract ending 2027-06-30, exact to the day."""
    assert [
        ("internal_prep", date(2027, 1, 1)),
        ("customer_conversation", date(2027, 3, 2)),
        ("proposal", date(2027, 4, 1)),
        ("negotiation", date(2027, 5, 1)),
        ("contract_executed", date(2027, 5, 31)),
        ("renewal", date(2027, 6, 30)),
    ] == dues(renewal_timeline(contract()))


def test_enterprise_timeline_ending_2028_02_29() -> None:
    """The enterprise timeline of a contract ending on leap day 2028-02-29, exact to the day."""
    assert [
        ("internal_prep", date(2027, 9, 2)),
        ("customer_conversation", date(2027, 11, 1)),
        ("proposal", date(2027, 12, 1)),
        ("negotiation", date(2027, 12, 31)),
        ("contract_executed", date(2028, 1, 30)),
        ("renewal", date(2028, 2, 29)),
    ] == dues(enterprise(date(2028, 2, 29)))


def test_timeline_key_dates() -> None:
    """Runway start, latest start, danger zone and confirm-by dates of the enterprise timeline."""
    t = renewal_timeline(contract())
    assert (date(2027, 1, 1), date(2027, 3, 2), date(2027, 5, 31), date(2027, 5, 31), date(2027, 6, 30)) == (
        t.runway_start,
        t.latest_start,
        t.danger_zone_start,
        t.confirm_by,
        t.renewal_date,
    )


def test_mid_market_timeline() -> None:
    """Mid-market: T-90 conversation, T-60 proposal, T-45 negotiation, T-30 executed, T-0."""
    t = renewal_timeline(contract(segment="MID_MARKET"))
    assert [date(2027, 4, 1), date(2027, 5, 1), date(2027, 5, 16), date(2027, 5, 31), date(2027, 6, 30)] == [
        m.due for m in t.milestones
    ]


def test_product_led_timeline_and_notice() -> None:
    """Product-led: T-30 notice, T-14 final notice, T-0 auto-renewal, plus the contract's notice deadline; a
    7-day notice period moves the runway back 7 days (an early start at T-37)."""
    t = renewal_timeline(contract(segment="PRODUCT_LED", auto_renew=True, notice_days=7))
    assert ([date(2027, 5, 24), date(2027, 5, 31), date(2027, 6, 16), date(2027, 6, 30)], date(2027, 6, 23)) == (
        [m.due for m in t.milestones],
        t.notice_last_day,
    )
    assert (t.milestones[0].name, t.runway_start) == (EARLY_START, date(2027, 5, 24))


def test_custom_playbook_overrides_segment() -> None:
    """An explicit playbook is used instead of the segment's."""
    pb = Playbook.define(
        "lean",
        runway_days=10,
        latest_start_days=5,
        milestones=[(10, "a"), (0, "b")],
        conversation="a",
        confirmation="b",
    )
    assert ("lean", date(2027, 6, 20)) == (
        renewal_timeline(contract(), playbook=pb).playbook,
        renewal_timeline(contract(), playbook=pb).runway_start,
    )


def test_red_health_widens_smb_runway_to_t180() -> None:
    """A red SMB account starts at T-180 with an early_start milestone first."""
    t = renewal_timeline(contract(segment="SMB"), health=HealthBand.RED)
    assert (date(2027, 1, 1), EARLY_START, 180, 4) == (
        t.runway_start,
        t.milestones[0].name,
        t.milestones[0].days_before,
        len(t.milestones),
    )
    assert list(t.reasons) == ["Runway widened to T-180 because health is RED."]


@pytest.mark.parametrize("band", [HealthBand.YELLOW, HealthBand.GREEN, None])
def test_other_health_keeps_runway(band: HealthBand | None) -> None:
    """Yellow, green or unknown health keeps the playbook's runway."""
    t = renewal_timeline(contract(segment="SMB"), health=band)
    assert (date(2027, 5, 1), ()) == (t.runway_start, t.reasons)


def test_red_enterprise_already_at_t180() -> None:
    """Enterprise already starts at T-180, so red health adds nothing."""
    assert len(renewal_timeline(contract(), health="RED").milestones) == 6


def test_widening_configurable_and_disabled() -> None:
    """Widening can cover yellow with another runway, or be switched off."""
    widen = RunwayWidening(bands={HealthBand.YELLOW, HealthBand.RED}, runway_days=120)
    assert (date(2027, 3, 2), date(2027, 5, 1)) == (
        renewal_timeline(contract(segment="SMB"), health="YELLOW", widening=widen).runway_start,
        renewal_timeline(contract(segment="SMB"), health="RED", widening=None).runway_start,
    )


def test_fiscal_year_anchoring() -> None:
    """A buyer setting its budget in Q4 of an April fiscal year (from 1 January) moves a September renewal's start."""
    c = Contract.from_term("acme", "ENTERPRISE", date(2026, 10, 1), term_months=12, acv=1)
    t = renewal_timeline(c, fiscal_year=FiscalYear(first_month=4, budget_quarter=4))
    assert (date(2027, 1, 1), EARLY_START, 272) == (t.runway_start, t.milestones[0].name, t.milestones[0].days_before)


def test_fiscal_year_lead_days() -> None:
    """lead_days starts that many days before the budget quarter."""
    c = Contract.from_term("acme", "SMB", date(2026, 7, 1), term_months=12, acv=1)
    t = renewal_timeline(c, fiscal_year=FiscalYear(first_month=1, budget_quarter=2, lead_days=10))
    assert date(2027, 3, 22) == t.runway_start


def test_fiscal_year_never_shortens_runway() -> None:
    """A budget quarter inside the runway changes nothing."""
    t = renewal_timeline(contract(), fiscal_year=FiscalYear(first_month=4, budget_quarter=1))
    assert (date(2027, 1, 1), ()) == (t.runway_start, t.reasons)


def test_budget_quarter_start_previous_year() -> None:
    """The latest budget quarter start may be in the previous calendar year."""
    assert date(2026, 10, 1) == FiscalYear(first_month=1, budget_quarter=4).budget_quarter_start(date(2027, 6, 30))


@pytest.mark.parametrize(
    ("field", "kw"),
    [
        ("first_month", {"first_month": 13, "budget_quarter": 1}),
        ("budget_quarter", {"first_month": 1, "budget_quarter": 0}),
    ],
)
def test_fiscal_year_validation(field: str, kw: dict[str, int]) -> None:
    """Months are 1-12 and quarters 1-4."""
    with pytest.raises(InvalidValueError) as info:
        FiscalYear(**kw)
    assert field == info.value.field


# ---- status ------------------------------------------------------------------------------------------

T = renewal_timeline(contract())


def test_status_before_runway() -> None:
    """The day before T-180 is UPCOMING, phase before_runway, next milestone internal_prep in 1 day."""
    s = T.status(date(2026, 12, 31))
    assert (s.state, s.phase, s.next_milestone.name, s.days_to_next) == (
        RenewalState.UPCOMING,
        BEFORE_RUNWAY,
        "internal_prep",
        1,
    )  # type: ignore[union-attr]


def test_status_on_runway_start() -> None:
    """On T-180 the renewal is ON_TRACK and internal_prep is due today, not overdue."""
    s = T.status(date(2027, 1, 1))
    assert (s.state, s.phase, s.days_to_next, s.overdue) == (RenewalState.ON_TRACK, "internal_prep", 0, ())


def test_status_day_after_due_is_overdue() -> None:
    """The day after a due date with nothing done, the milestone is overdue."""
    s = T.status(date(2027, 1, 2))
    assert (RenewalState.OVERDUE, ["internal_prep"], frozenset({StatusFlag.OVERDUE})) == (
        s.state,
        [m.name for m in s.overdue],
        s.flags,
    )


def test_late_start_boundary() -> None:
    """No conversation: not late on T-120 itself, LATE_START on T-119."""
    on, after = T.status(date(2027, 3, 2)), T.status(date(2027, 3, 3))
    late = StatusFlag.LATE_START
    assert (late in on.flags, late in after.flags, after.state) == (False, True, RenewalState.LATE_START)


def test_conversation_on_latest_start_is_not_late() -> None:
    """A conversation that began on T-120 is on time."""
    s = T.status(date(2027, 4, 15), {"customer_conversation": date(2027, 3, 2)})
    assert (False, date(2027, 3, 2)) == (StatusFlag.LATE_START in s.flags, s.conversation_started)


def test_conversation_after_latest_start_stays_late() -> None:
    """A conversation begun on T-119 is a late start, even once it is done."""
    s = T.status(date(2027, 4, 15), {"customer_conversation": date(2027, 3, 3)})
    assert StatusFlag.LATE_START in s.flags


def test_danger_zone_boundary() -> None:
    """Unconfirmed: outside the danger zone on T-31, inside on T-30."""
    done = {"customer_conversation": date(2027, 2, 1), "proposal": date(2027, 3, 1), "negotiation": date(2027, 4, 1)}
    before, on = T.status(date(2027, 5, 30), done), T.status(date(2027, 5, 31), done)
    zone = StatusFlag.DANGER_ZONE
    assert (zone in before.flags, zone in on.flags, on.state) == (False, True, RenewalState.DANGER_ZONE)


def test_lapsed_after_renewal_date() -> None:
    """Unconfirmed the day after T-0 the renewal LAPSED and the phase is after_renewal."""
    on, after = T.status(date(2027, 6, 30)), T.status(date(2027, 7, 1))
    assert (
        on.state,
        on.phase,
        after.state,
        after.phase,
        after.next_milestone,
    ) == (RenewalState.DANGER_ZONE, "renewal", RenewalState.LAPSED, AFTER_RENEWAL, None)


def test_confirmed_overrides_and_supersedes() -> None:
    """An executed contract confirms the renewal; earlier milestones count as done."""
    s = T.status(date(2027, 6, 1), {"contract_executed": date(2027, 5, 20)})
    assert (RenewalState.CONFIRMED, date(2027, 5, 20), (), frozenset(), "renewal") == (
        s.state,
        s.confirmed_on,
        s.overdue,
        s.flags - {StatusFlag.LATE_START},
        s.next_milestone.name,  # type: ignore[union-attr]
    )


def test_later_milestone_starts_conversation() -> None:
    """A delivered proposal means the conversation started (on that date at the latest)."""
    s = T.status(date(2027, 3, 1), {"proposal": date(2027, 2, 20)})
    assert (date(2027, 2, 20), (), RenewalState.ON_TRACK) == (s.conversation_started, s.overdue, s.state)


def test_completed_listed_in_playbook_order() -> None:
    """Completed milestones are reported in playbook order with their dates."""
    s = T.status(date(2027, 3, 1), {"customer_conversation": date(2027, 2, 1), "internal_prep": date(2027, 1, 3)})
    assert [("internal_prep", date(2027, 1, 3)), ("customer_conversation", date(2027, 2, 1))] == [
        (c.name, c.on) for c in s.completed
    ]


def test_completed_after_as_of_refused() -> None:
    """A milestone completed after the as-of date is refused, naming it."""
    with pytest.raises(OutOfOrderError) as info:
        T.status(date(2027, 1, 10), {"internal_prep": date(2027, 1, 11)})
    assert info.value.field == "completed['internal_prep']"


def test_completed_on_as_of_accepted() -> None:
    """A milestone completed on the as-of date is fine."""
    assert len(T.status(date(2027, 1, 10), {"internal_prep": date(2027, 1, 10)}).completed) == 1


def test_unknown_completed_name_refused() -> None:
    """An unknown milestone name is refused."""
    with pytest.raises(UnknownNameError) as info:
        T.status(date(2027, 1, 10), {"kickoff": date(2027, 1, 1)})
    assert info.value.field == "completed"


def test_completed_must_be_mapping() -> None:
    """completed is a mapping of name to date."""
    with pytest.raises(InvalidTypeError) as info:
        T.status(date(2027, 1, 10), ["internal_prep"])  # type: ignore[arg-type]
    assert info.value.field == "completed"


def test_completed_value_must_be_date() -> None:
    """Completion dates are dates."""
    with pytest.raises(InvalidTypeError) as info:
        T.status(date(2027, 1, 10), {"internal_prep": "2027-01-01"})  # type: ignore[dict-item]
    assert info.value.field == "completed['internal_prep']"


def test_as_of_must_be_date() -> None:
    """as_of must be a date."""
    with pytest.raises(InvalidTypeError) as info:
        T.status("2027-01-01")  # type: ignore[arg-type]
    assert info.value.field == "as_of"


def test_timeline_refuses_non_contract() -> None:
    """renewal_timeline needs a Contract."""
    with pytest.raises(InvalidTypeError) as info:
        renewal_timeline("acme")  # type: ignore[arg-type]
    assert info.value.field == "contract"


def test_timeline_refuses_non_playbook() -> None:
    """playbook must be a Playbook."""
    with pytest.raises(InvalidTypeError) as info:
        renewal_timeline(contract(), playbook="enterprise")  # type: ignore[arg-type]
    assert info.value.field == "playbook"


def test_timeline_refuses_unknown_health() -> None:
    """An unknown health band name is refused."""
    with pytest.raises(UnknownNameError) as info:
        renewal_timeline(contract(), health="BLUE")  # type: ignore[arg-type]
    assert info.value.field == "health"


def test_milestone_lookup() -> None:
    """Milestones are found by name; unknown names are refused."""
    assert date(2027, 4, 1) == T.milestone("proposal").due
    with pytest.raises(UnknownNameError):
        T.milestone("party")


def test_status_explain_mentions_danger_and_lapse() -> None:
    """explain() tells the danger zone, the lapse and the confirmation in sentences."""
    lapsed = T.status(date(2027, 7, 2)).explain()
    confirmed = T.status(date(2027, 7, 2), {"renewal": date(2027, 6, 30)}).explain()
    assert lapsed[0].startswith("On 2027-07-02 the renewal on 2027-06-30 is 2 days past (T+2)")
    assert any(line.startswith("Danger zone since 2027-05-31") for line in lapsed)
    assert any(line.startswith("Lapsed:") for line in lapsed)
    assert "The renewal was confirmed on 2027-06-30." in confirmed


def test_timeline_explain_lists_reasons_and_notice() -> None:
    """The timeline explains its milestones, its widening and the notice deadline."""
    t = renewal_timeline(contract(segment="SMB", auto_renew=True, notice_days=30), health="RED")
    lines = t.explain()
    assert "Runway widened to T-180 because health is RED." in lines
    assert lines[-2] == "Last day to give notice against the auto-renewal: 2027-05-31."
    assert lines[-1].startswith("The contract renews by itself: its status follows the notice window")


@given(contracts(), health_bands, st.none() | fiscal_years)
def test_milestones_strictly_ordered_inside_runway(c: Contract, band: HealthBand | None, fy: FiscalYear | None) -> None:
    """Every timeline's milestones are strictly ordered in time and inside its runway."""
    t = renewal_timeline(c, health=band, fiscal_year=fy)
    due = [m.due for m in t.milestones]
    assert all(a < b for a, b in pairwise(due))
    assert all(t.runway_start <= d <= t.renewal_date for d in due)
    assert all(m.due == t.renewal_date - timedelta(days=m.days_before) for m in t.milestones)


@given(contracts(), playbooks(), st.integers(-30, 450), st.integers(1, 60))
def test_status_monotone_with_nothing_completed(c: Contract, pb: Playbook, before: int, step: int) -> None:
    """With nothing completed, the state never improves and flags only accumulate as the date advances; an
    auto-renewal aside, which is CONFIRMED from the day after its notice window closes."""
    t = renewal_timeline(c, playbook=pb)
    first = t.status(t.renewal_date - timedelta(days=before))
    later = t.status(t.renewal_date - timedelta(days=before - step))
    if c.auto_renew and later.state is RenewalState.CONFIRMED:
        assert t.notice_last_day is not None and later.as_of > t.notice_last_day
    else:
        assert first.state <= later.state
    assert first.flags <= later.flags
    assert set(first.overdue) <= set(later.overdue)
    assert later.days_to_renewal == first.days_to_renewal - step


@given(contracts(), st.integers(-10, 200))
def test_status_round_trip(c: Contract, before: int) -> None:
    """Timelines and statuses round-trip through JSON."""
    t = renewal_timeline(c, health="RED")
    s = t.status(t.renewal_date - timedelta(days=before))
    assert t == postsale.from_json(RenewalTimeline, postsale.to_json(t))
    assert s == postsale.from_json(RenewalStatus, postsale.to_json(s))


@given(contracts())
def test_term_milestone_dates_match_timeline(c: Contract) -> None:
    """The scalar fast path gives the timeline's enterprise dates."""
    t = renewal_timeline(c, playbook=ENTERPRISE_PLAYBOOK)
    dues = tuple(m.due for m in t.milestones if m.name != EARLY_START)
    assert dues == term_milestone_dates(c.start, c.term_months or 12)


def test_term_milestone_dates_custom_offsets() -> None:
    """The fast path takes any offsets."""
    assert (date(2028, 2, 15), date(2028, 2, 29)) == term_milestone_dates(date(2027, 3, 1), 12, (14, 0))


def test_term_milestone_dates_refuses_zero_term() -> None:
    """The fast path refuses a zero term."""
    with pytest.raises(InvalidValueError) as info:
        term_milestone_dates(date(2027, 3, 1), 0)
    assert info.value.field == "term_months"


def test_term_milestone_dates_leap_february_clip() -> None:
    """The fast path clips a 31 January start to 29 February in a leap year (T-0 is 28 February)."""
    assert date(2028, 2, 28) == term_milestone_dates(date(2028, 1, 31), 1)[-1]


def test_term_milestone_dates_bad_offset() -> None:
    """Custom offsets must be whole numbers >= 0."""
    with pytest.raises(InvalidValueError) as info:
        term_milestone_dates(date(2027, 3, 1), 12, (14, -1))
    assert info.value.field == "offsets[1]"


def test_touch_ramp_boundaries() -> None:
    """The touch ramp covers T-60 to T-30 inclusive (domain-spec I-23)."""
    days = [61, 60, 30, 29]
    assert [T.status(T.renewal_date - timedelta(days=n)).in_touch_ramp for n in days] == [False, True, True, False]


def test_touch_ramp_explained() -> None:
    """A status inside the ramp says so."""
    assert "Touch ramp: touches increase as the decision approaches." in T.status(date(2027, 5, 1)).explain()


def test_inconsistent_timeline_data_refused() -> None:
    """Plain data naming an unknown conversation milestone is refused."""
    data = postsale.to_data(T)
    data["conversation"] = "chat"
    with pytest.raises(postsale.PostsaleError):
        postsale.from_data(RenewalTimeline, data)


def test_a_playbook_milestone_description_that_is_not_text_is_refused() -> None:
    """The timeline builds its milestones unchecked from a playbook's, except a description that is not a str."""
    book = Playbook("x", 100, 50, (Milestone("a", 90, None), Milestone("b", 10, "done")),  # type: ignore[arg-type]
                    conversation="a", confirmation="b")
    with pytest.raises(InvalidTypeError) as info:
        renewal_timeline(contract(), playbook=book)
    assert info.value.field == "description"
    timeline = renewal_timeline(contract(), playbook=attrs.evolve(book, milestones=(Milestone("a", 90, "talk"),
                                                                                    Milestone("b", 10, "done"))))
    assert [(m.name, m.description) for m in timeline.milestones] == [("a", "talk"), ("b", "done")]
    assert all(attrs.evolve(m) == m for m in timeline.milestones) and attrs.evolve(timeline) == timeline
