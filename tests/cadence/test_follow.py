"""The agenda follows the journey: the first-90-days calendar while the account is new, the stage's rhythm after,
the renewal ramp inside the runway; every touch says which plan it came from (domain-spec §5.6-§5.9)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postsale import (
    AccountSnapshot,
    InvalidTypeError,
    InvalidValueError,
    Segment,
    Stage,
    UnknownNameError,
    from_json,
    signals,
    to_json,
)
from postsale.cadence import (
    CALENDAR_DAYS,
    AdjustmentCause,
    Agenda,
    ContactPreferences,
    PlanChoice,
    Source,
    Window,
    build_agenda,
    first_90_days_plan,
    segment_plan,
)
from postsale.journey import Cause, Journey
from postsale.renewal import INTERNAL_PREP, Contract, playbook_for, renewal_timeline
from tests.strategies.cadence import FakeAlert

MONDAY = date(2026, 3, 2)
EVERY_DAY = ContactPreferences(quiet_days=[])
"""No quiet days: touches stay on their dates, so the boundaries are read directly."""
DONE = {"implementation_complete": 1, "core_users_trained": 1, "use_case_live": 1, "first_value_documented": 1,
        "go_live_confirmed": 1}
"""The evidence that lets a track leave Onboarding."""


def account(segment: str = "SMB", start: date = MONDAY, **kwargs: object) -> AccountSnapshot:
    """An account whose one-year contract starts on ``start``."""
    options: dict[str, object] = {"contract_start": start, "contract_end": start + timedelta(days=364)}
    options.update(kwargs)
    return AccountSnapshot("acme", segment, start, **options)  # type: ignore[arg-type]


def day(start: date, n: int) -> date:
    """Day ``n`` counted from ``start`` (day 0)."""
    return start + timedelta(days=n)


def keys_on(agenda: Agenda) -> list[tuple[str, date]]:
    """The agenda's touches as (key, local date)."""
    zone = ZoneInfo(agenda.time_zone)
    return [(t.key, t.local_date(zone)) for t in agenda.touches]


def plans_of(agenda: Agenda) -> list[tuple[str, date, date]]:
    """The agenda's plan choices as (plan, start, end)."""
    return [(c.plan, c.start, c.end) for c in agenda.plans]


# ---- the first 90 days ---------------------------------------------------------------------------


def test_a_new_smb_account_reviewed_on_day_3_has_its_welcome_call() -> None:
    """A new SMB account reviewed on day 3 (a 14-day agenda) has its welcome call, due today, from the calendar."""
    shop = account("SMB")
    agenda = build_agenda(shop, Window.days(day(MONDAY, 3), 14), follow_journey=True)
    welcome = agenda.touches[0]
    assert ("week_01", "Welcome call + setup guidance", "first 90 days") == (welcome.key, welcome.title, welcome.plan)
    assert day(MONDAY, 3) == welcome.due_at.date()
    assert ["week_01", "week_02", "week_03"] == [t.key for t in agenda.touches]


def test_a_new_account_with_its_journey_has_its_welcome_call() -> None:
    """Passing the journey is enough to follow it: day 0 is the journey's start."""
    journey = Journey.start("acme", "SMB", on=MONDAY)
    agenda = build_agenda(account("SMB"), Window.days(day(MONDAY, 3), 14), journey=journey)
    assert "week_01" == agenda.touches[0].key
    assert "the journey's start" in agenda.plans[0].reason


def test_without_following_the_journey_the_segment_plan_is_unchanged() -> None:
    """The default stays the segment plan (no welcome call), and the agenda says the journey was not followed."""
    agenda = build_agenda(account("SMB"), Window.days(day(MONDAY, 3), 14))
    assert [] == [t for t in agenda.touches if t.plan == "first 90 days"]
    assert [("smb cadence", day(MONDAY, 3), day(MONDAY, 16))] == plans_of(agenda)
    assert "the journey is not followed" in agenda.plans[0].reason


@pytest.mark.parametrize("segment", list(Segment))
@pytest.mark.parametrize("review_day", [0, 3, 6])
def test_every_segment_has_its_welcome_call_in_week_1(segment: Segment, review_day: int) -> None:
    """Whatever the segment, a review in week 1 (days 0-6) lists the welcome call."""
    agenda = build_agenda(account(segment.name), Window.days(day(MONDAY, review_day), 14), follow_journey=True)
    assert "week_01" in [t.key for t in agenda.touches]


def test_the_welcome_call_of_week_1_is_gone_in_week_2() -> None:
    """On day 7 week 1 is over: the calendar moves on to week 2 (the week-1 touch is not carried)."""
    agenda = build_agenda(account("SMB"), Window.days(day(MONDAY, 7), 14), follow_journey=True)
    assert ["week_02", "week_03"] == [t.key for t in agenda.touches]


def test_a_touch_whose_week_is_running_is_carried_and_says_why() -> None:
    """The welcome call of a contract signed on Monday, reviewed on Thursday, is due Thursday, with the reason."""
    agenda = build_agenda(account("SMB"), Window.days(day(MONDAY, 3), 7), follow_journey=True)
    carried = agenda.adjustments[0]
    assert AdjustmentCause.WEEK_IN_PROGRESS is carried.cause
    assert carried.result is not None and MONDAY == carried.touch.due_at.date()
    assert "its week of the first 90 days runs until 2026-03-08" in carried.reason
    assert carried.result.moved_from == carried.touch.due_at


def test_day_89_is_in_the_calendar_and_day_90_follows_the_segment_plan() -> None:
    """The SMB monthly email 3 months after the start is held back on day 89 and sent on day 90."""
    on_89 = date(2026, 2, 1)  # + 3 months = 2026-05-01, day 89
    on_90 = date(2026, 1, 1)  # + 3 months = 2026-04-01, day 90
    held = build_agenda(account("SMB", on_89), Window.days(day(on_89, 89), 1), follow_journey=True,
                        preferences=EVERY_DAY)
    sent = build_agenda(account("SMB", on_90), Window.days(day(on_90, 90), 1), follow_journey=True,
                        preferences=EVERY_DAY)
    assert [] == keys_on(held)
    assert [("first 90 days", day(on_89, 89), day(on_89, 89))] == plans_of(held)
    assert [("monthly_email", day(on_90, 90))] == keys_on(sent)
    assert [("smb cadence", day(on_90, 90), day(on_90, 90))] == plans_of(sent)


def test_a_window_across_day_90_says_both_plans() -> None:
    """A window across day 90 lists the calendar up to day 89 and the segment plan from day 90."""
    agenda = build_agenda(account("SMB"), Window(day(MONDAY, 85), day(MONDAY, 95)), follow_journey=True)
    assert [("first 90 days", day(MONDAY, 85), day(MONDAY, 89)),
            ("smb cadence", day(MONDAY, 90), day(MONDAY, 95))] == plans_of(agenda)
    assert "day 89 is 2026-05-30" in agenda.plans[0].reason
    assert "after the first 90 days" in agenda.plans[1].reason


def test_within_the_calendar_the_segment_plan_is_held_back() -> None:
    """During the first 90 days the calendar replaces the segment plan: no monthly email on month 1 or 2."""
    agenda = build_agenda(account("SMB"), Window(MONDAY, day(MONDAY, CALENDAR_DAYS - 1)), follow_journey=True,
                          preferences=EVERY_DAY, caps=())
    assert {"first 90 days"} == {t.plan for t in agenda.touches}
    assert [f"week_{n:02d}" for n in range(1, 13)] == [t.key for t in agenda.touches]


def test_a_customer_that_renewed_gets_no_calendar() -> None:
    """Without a journey, a contract starting 3 days ago is not a new customer when a renewal is recorded."""
    renewed = account("SMB", signals={signals.RENEWALS_COMPLETED: 1})
    agenda = build_agenda(renewed, Window.days(day(MONDAY, 3), 14), follow_journey=True)
    assert [] == [t for t in agenda.touches if t.plan == "first 90 days"]
    assert "not a new customer: 1 renewal(s) completed" in agenda.plans[0].reason


def test_with_a_journey_day_0_is_the_journey_start_not_the_new_term() -> None:
    """A journey started two years ago: the renewed term's first days are not a first 90 days."""
    journey = Journey.start("acme", "SMB", on=date(2024, 3, 2)).move("core", Stage.ADOPTION, on=date(2024, 4, 1),
                                                                    evidence=DONE)
    agenda = build_agenda(account("SMB"), Window.days(day(MONDAY, 3), 14), journey=journey)
    assert "first 90 days" not in [c.plan for c in agenda.plans]


def test_onboarding_without_a_contract_start_counts_from_the_stage_entry() -> None:
    """An account in Onboarding with no contract start gets the calendar from the day it entered Onboarding."""
    snap = AccountSnapshot("acme", "SMB", MONDAY)
    agenda = build_agenda(snap, Window.days(MONDAY, 7), stage=Stage.ONBOARDING, stage_entered=MONDAY)
    assert ["week_01"] == [t.key for t in agenda.touches]
    assert "the day it entered Onboarding" in agenda.plans[0].reason


# ---- the stage's rhythm --------------------------------------------------------------------------


def test_a_low_touch_plan_gets_the_missing_stage_rhythm_automated() -> None:
    """SMB in Adoption: the biweekly rhythm the monthly email lacks is added, sent in-app without a CSM."""
    agenda = build_agenda(account("SMB"), Window(day(MONDAY, 120), day(MONDAY, 150)), stage=Stage.ADOPTION,
                          stage_entered=day(MONDAY, 120), preferences=EVERY_DAY, caps=())
    tips = [t for t in agenda.touches if t.key == "adoption_tips"]
    assert [day(MONDAY, 120), day(MONDAY, 134), day(MONDAY, 148)] == [t.due_at.date() for t in tips]
    assert all(t.automated and t.plan == "adoption stage rhythm (automated)" for t in tips)
    assert "sent automated" in agenda.plans[1].reason


def test_a_stage_the_segment_plan_already_covers_adds_nothing() -> None:
    """SMB in Retention: the monthly email already meets the monthly rhythm; the agenda says so."""
    agenda = build_agenda(account("SMB"), Window(day(MONDAY, 120), day(MONDAY, 150)), stage="retention",
                          stage_entered=day(MONDAY, 120))
    assert {"smb cadence"} == {t.plan for t in agenda.touches}
    assert "already come at least as often as Retention asks (every month)" in agenda.plans[0].reason


def test_a_high_touch_plan_gets_the_missing_stage_rhythm_personal() -> None:
    """Mid-market still onboarding after day 90: weekly onboarding sessions (personal) join the segment plan."""
    agenda = build_agenda(account("MID_MARKET"), Window(day(MONDAY, 91), day(MONDAY, 104)), stage=Stage.ONBOARDING,
                          stage_entered=MONDAY, preferences=EVERY_DAY, caps=(), fold_same_day=False)
    sessions = [t for t in agenda.touches if t.key == "onboarding_session"]
    assert [day(MONDAY, 91), day(MONDAY, 98)] == [t.due_at.date() for t in sessions]
    assert not any(t.automated for t in sessions)


def test_a_stage_change_changes_the_rhythm_on_the_day_of_the_move() -> None:
    """Moved from Onboarding to Adoption on day 99: the weekly session of day 98 stays, the one of day 105 goes."""
    journey = Journey.start("acme", "MID_MARKET", on=MONDAY).move("core", Stage.ADOPTION, on=day(MONDAY, 99),
                                                                 evidence=DONE)
    agenda = build_agenda(account("MID_MARKET"), Window(day(MONDAY, 92), day(MONDAY, 112)), journey=journey,
                          preferences=EVERY_DAY, caps=(), fold_same_day=False)
    sessions = [t.due_at.date() for t in agenda.touches if t.key == "onboarding_session"]
    assert [day(MONDAY, 98)] == sessions
    choices = plans_of(agenda)
    assert ("onboarding stage rhythm", day(MONDAY, 92), day(MONDAY, 98)) in choices
    assert ("mid_market cadence", day(MONDAY, 99), day(MONDAY, 112)) in choices
    assert "the core track is in Adoption since 2026-06-09" in agenda.plans[-1].reason


def test_expansion_keeps_the_segment_plan_and_adds_nothing() -> None:
    """Expansion schedules nothing of its own: the segment plan continues and the agenda says why."""
    agenda = build_agenda(account("SMB"), Window.days(day(MONDAY, 200), 30), stage=Stage.EXPANSION,
                          stage_entered=day(MONDAY, 190))
    assert {"smb cadence"} == {t.plan for t in agenda.touches}
    assert "Expansion adds no scheduled touch" in agenda.plans[0].reason


def test_a_closed_journey_schedules_nothing_but_alerts_still_come() -> None:
    """After the last track closes (churn), no scheduled touch; an alert still reaches the agenda."""
    journey = Journey.start("acme", "SMB", on=date(2025, 3, 2)).close_track("core", on=date(2026, 2, 27),
                                                                          cause=Cause.CHURNED)
    alert = FakeAlert("acme", "H2", datetime(2026, 3, 4, 9, tzinfo=ZoneInfo("UTC")))
    agenda = build_agenda(account("SMB"), Window.days(MONDAY, 28), journey=journey, alerts=[alert])
    assert [Source.ALERT] == [t.source for t in agenda.touches]
    assert [("nothing scheduled", MONDAY, day(MONDAY, 27))] == plans_of(agenda)
    assert "no open track since 2026-02-27" in agenda.plans[0].reason


def test_a_stage_without_its_entry_date_is_refused_naming_it() -> None:
    """A stage rhythm counts from the stage entry: without stage_entered the error names it."""
    with pytest.raises(InvalidValueError, match="stage_entered"):
        build_agenda(account("SMB"), Window.days(day(MONDAY, 200), 30), stage=Stage.ADOPTION)


# ---- the renewal ramp ----------------------------------------------------------------------------


@pytest.mark.parametrize("segment", [Segment.MID_MARKET, Segment.SMB, Segment.PRODUCT_LED])
def test_the_renewal_ramp_starts_at_the_playbook_runway_start(segment: Segment) -> None:
    """Inside the runway (from T-runway of the segment's playbook) the first milestone is on the agenda; a day
    before, no renewal touch and no renewal plan."""
    snap = account(segment.name, date(2025, 6, 2))
    runway = playbook_for(segment).runway_days
    start = snap.contract_end - timedelta(days=runway)  # type: ignore[operator]
    before = build_agenda(snap, Window.days(start - timedelta(days=1), 1), follow_journey=True,
                          preferences=EVERY_DAY, caps=())
    inside = build_agenda(snap, Window.days(start, 1), follow_journey=True, preferences=EVERY_DAY, caps=())
    renewal_plan = f"{playbook_for(segment).name} renewal playbook"
    assert renewal_plan not in [c.plan for c in before.plans]
    assert [] == [t for t in before.touches if t.plan == renewal_plan]
    assert [renewal_plan] == [t.plan for t in inside.touches if t.plan == renewal_plan]
    assert renewal_plan in [c.plan for c in inside.plans]


def test_the_enterprise_internal_preparation_is_not_a_touch_the_conversation_is() -> None:
    """Enterprise T-180 (internal preparation) opens the runway without a touch; T-120 is the conversation."""
    snap = account("ENTERPRISE", date(2025, 6, 2))
    book = playbook_for("ENTERPRISE")
    prep = book.milestone(INTERNAL_PREP).days_before
    talk = book.milestone(book.conversation).days_before
    end = snap.contract_end
    assert end is not None
    at_prep = build_agenda(snap, Window.days(end - timedelta(days=prep), 1), follow_journey=True,
                           preferences=EVERY_DAY, caps=())
    at_talk = build_agenda(snap, Window.days(end - timedelta(days=talk), 1), follow_journey=True,
                           preferences=EVERY_DAY, caps=())
    assert "enterprise renewal playbook" in [c.plan for c in at_prep.plans]
    assert "the internal preparation at T-180 is the team's work" in at_prep.plans[-1].reason
    assert [] == [t for t in at_prep.touches if t.plan == "enterprise renewal playbook"]
    assert ["renewal_customer_conversation"] == [t.key for t in at_talk.touches if t.plan.startswith("enterprise r")]


def test_a_ramp_touch_on_a_milestone_day_is_not_duplicated() -> None:
    """SMB T-60 and T-30 are both a milestone and a ramp day: one renewal touch each day, the milestone."""
    snap = account("SMB", date(2025, 6, 2))
    end = snap.contract_end
    assert end is not None
    agenda = build_agenda(snap, Window(end - timedelta(days=60), end), follow_journey=True, preferences=EVERY_DAY,
                          caps=())
    renewal = [(t.key, (end - t.due_at.date()).days) for t in agenda.touches if t.plan == "smb renewal playbook"]
    assert [("renewal_offer", 60), ("renewal_ramp", 45), ("renewal_follow_up", 30), ("renewal_weekly", 23),
            ("renewal_weekly", 16), ("renewal_weekly", 9), ("renewal_weekly", 2), ("renewal", 0)] == renewal


def test_two_automated_renewal_emails_on_one_day_fold_into_the_milestone() -> None:
    """The Saturday T-2 reminder moves to Monday, the renewal day: it folds into the T-0 email (unless asked not to)."""
    snap = account("SMB")  # renews on Monday 2027-03-01
    end = snap.contract_end
    assert end is not None
    window = Window.days(end - timedelta(days=3), 4)
    folded = build_agenda(snap, window, follow_journey=True, caps=())
    kept = build_agenda(snap, window, follow_journey=True, caps=(), fold_same_day=False)
    assert [("renewal", end)] == keys_on(folded)
    assert "folded into 'Renewal T-0: renewal date (self-service)'" in folded.adjustments[-1].reason
    assert [("renewal", end), ("renewal_weekly", end)] == keys_on(kept)


def test_a_touch_moved_in_from_before_the_window_keeps_its_plan_listed() -> None:
    """The Saturday renewal-day touch moved to Monday, after the runway: the agenda still lists the plan it came
    from, over the days before the window."""
    snap = account("SMB", date(2025, 3, 2), contract_end=date(2026, 2, 28))  # T-0 on a Saturday
    agenda = build_agenda(snap, Window.days(date(2026, 3, 2), 1), follow_journey=True, caps=())
    assert ("renewal", date(2026, 3, 2)) in keys_on(agenda)
    assert ("smb renewal playbook", date(2026, 2, 24), date(2026, 2, 28)) in plans_of(agenda)


def test_renewal_touches_are_automated_for_low_touch_and_personal_for_high_touch() -> None:
    """SMB renewal touches go out automated; mid-market ones need a CSM."""
    smb, mid = account("SMB", date(2025, 6, 2)), account("MID_MARKET", date(2025, 6, 2))
    end = smb.contract_end
    assert end is not None
    window = Window(end - timedelta(days=30), end)
    low = build_agenda(smb, window, follow_journey=True, caps=())
    high = build_agenda(mid, window, follow_journey=True, caps=())
    assert all(t.automated for t in low.touches if t.plan == "smb renewal playbook")
    assert not any(t.automated for t in high.touches if t.plan == "mid_market renewal playbook")


def test_a_widened_renewal_timeline_starts_the_touches_earlier_with_a_person() -> None:
    """A RED SMB account's timeline starts at T-180: the early start is a personal touch, with the reason."""
    snap = account("SMB", date(2025, 6, 2))
    timeline = renewal_timeline(Contract.from_snapshot(snap), health="RED")
    start = timeline.runway_start
    agenda = build_agenda(snap, Window.days(start, 1), renewal=timeline, preferences=EVERY_DAY, caps=())
    [early] = [t for t in agenda.touches if t.plan == "smb renewal playbook"]
    assert ("renewal_early_start", False) == (early.key, early.automated)
    assert ("sent automated (low- or tech-touch) except the early start, which needs a person; runway widened to "
            "T-180 because health is RED") in agenda.plans[-1].reason
    assert "Renewal T-180: start the renewal early (runway widened to T-180 because health is RED)" == early.title


def test_past_the_renewal_date_there_is_no_renewal_touch() -> None:
    """The day after T-0 the runway is over."""
    snap = account("SMB", date(2025, 6, 2))
    end = snap.contract_end
    assert end is not None
    agenda = build_agenda(snap, Window.days(end + timedelta(days=1), 1), follow_journey=True, preferences=EVERY_DAY)
    assert "smb renewal playbook" not in [c.plan for c in agenda.plans]


# ---- every touch explains itself -----------------------------------------------------------------


def test_every_scheduled_touch_names_its_plan_and_says_it() -> None:
    """Every scheduled touch carries its plan's name, and its explanation says it."""
    agenda = build_agenda(account("SMB"), Window.days(day(MONDAY, 3), 14), follow_journey=True)
    assert all(t.plan is not None for t in agenda.touches)
    assert "scheduled by plan 'first 90 days'" in agenda.touches[0].explain()[0]
    assert any(s.startswith("From 2026-03-05 to 2026-03-18, plan 'first 90 days'") for s in agenda.explain())


def test_a_followed_agenda_round_trips_through_json() -> None:
    """The plan choices and the touches' plans survive JSON."""
    agenda = build_agenda(account("SMB"), Window(day(MONDAY, 85), day(MONDAY, 95)), follow_journey=True)
    assert agenda == from_json(Agenda, to_json(agenda))


def test_a_plan_choice_refuses_an_end_before_its_start() -> None:
    """A span ending before it starts is refused, naming ``end``."""
    with pytest.raises(InvalidValueError, match="end="):
        PlanChoice("first 90 days", MONDAY, day(MONDAY, -1), "why")


# ---- bad arguments -------------------------------------------------------------------------------


def test_journey_arguments_are_checked_and_named() -> None:
    """Wrong types, another account's journey, contradictory arguments: each error names the argument."""
    snap = account("SMB")
    window = Window.days(MONDAY, 7)
    other = Journey.start("globex", "SMB", on=MONDAY)
    mine = Journey.start("acme", "SMB", on=MONDAY)
    cases: list[tuple[dict[str, object], type[Exception], str]] = [
        ({"journey": "core"}, InvalidTypeError, "journey"),
        ({"journey": other}, InvalidValueError, "journey"),
        ({"journey": mine, "stage": Stage.ADOPTION}, InvalidValueError, "stage"),
        ({"stage": "nope"}, UnknownNameError, "stage"),
        ({"renewal": "soon"}, InvalidTypeError, "renewal"),
        ({"playbook": 3}, InvalidTypeError, "playbook"),
        ({"follow_journey": "yes"}, InvalidTypeError, "follow_journey"),
        ({"follow_journey": False, "stage": Stage.ADOPTION}, InvalidValueError, "follow_journey"),
        ({"renewal": renewal_timeline(Contract.from_snapshot(snap)), "playbook": playbook_for("SMB")},
         InvalidValueError, "playbook"),
    ]
    for kwargs, error, field in cases:
        with pytest.raises(error) as caught:
            build_agenda(snap, window, **kwargs)  # type: ignore[arg-type]
        assert field == caught.value.field, kwargs  # type: ignore[attr-defined]


def test_another_accounts_renewal_timeline_is_refused() -> None:
    """A renewal timeline of another account is refused, naming ``renewal``."""
    theirs = renewal_timeline(Contract.from_snapshot(account("SMB").__class__(
        "globex", "SMB", MONDAY, contract_start=MONDAY, contract_end=day(MONDAY, 364))))
    with pytest.raises(InvalidValueError, match="renewal="):
        build_agenda(account("SMB"), Window.days(MONDAY, 7), renewal=theirs)


# ---- properties ----------------------------------------------------------------------------------

SEGMENTS = st.sampled_from(list(Segment))
STAGES = st.none() | st.sampled_from(list(Stage))


@given(
    segment=SEGMENTS,
    start=st.dates(date(2024, 1, 1), date(2027, 12, 31)),
    term=st.sampled_from([30, 90, 182, 364, 729]),
    offset=st.integers(-10, 800),
    length=st.integers(1, 120),
    stage=STAGES,
    entered=st.integers(0, 400),
    fold=st.booleans(),
    zone=st.sampled_from(["UTC", "Asia/Tokyo", "America/New_York"]),
)
def test_a_followed_agenda_stays_in_its_window_without_duplicates(
    segment: Segment, start: date, term: int, offset: int, length: int, stage: Stage | None, entered: int,
    fold: bool, zone: str,
) -> None:
    """Whatever the segment, stage, term and window: every touch falls inside the window, no touch appears twice
    on a day (plans may overlap: calendar, stage rhythm, renewal ramp), every scheduled touch names a plan the
    agenda lists, and the calendar never schedules past day 89."""
    snap = AccountSnapshot("acme", segment, start, contract_start=start, contract_end=day(start, term),
                           time_zone=zone)
    window = Window.days(day(start, offset), length)
    stage_args: dict[str, object] = (
        {"follow_journey": True} if stage is None else {"stage": stage, "stage_entered": day(start, entered)}
    )
    agenda = build_agenda(snap, window, fold_same_day=fold, **stage_args)  # type: ignore[arg-type]
    tz = ZoneInfo(zone)
    local = [(t.key, t.local_date(tz)) for t in agenda.touches]
    assert all(d in window for _, d in local)
    assert [] == [k for k, n in Counter(local).items() if n > 1]
    listed = {c.plan for c in agenda.plans}
    assert all(t.plan in listed for t in agenda.touches if t.source is Source.SCHEDULED)
    calendar = first_90_days_plan().name
    for touch in agenda.touches:
        if touch.plan == calendar:
            due = (touch.moved_from or touch.due_at).astimezone(tz).date()
            assert 0 <= (due - start).days < CALENDAR_DAYS
    lookback = window.start - timedelta(days=6)
    assert all(lookback <= c.start <= c.end <= window.end for c in agenda.plans)
    assert all(c.start >= window.start or c.plan in {t.plan for t in agenda.touches} for c in agenda.plans)


@given(segment=SEGMENTS, start=st.dates(date(2024, 1, 1), date(2027, 12, 31)), review_day=st.integers(0, 6),
       zone=st.sampled_from(["UTC", "Asia/Tokyo", "America/New_York", "Pacific/Kiritimati"]))
def test_a_new_account_always_has_its_welcome_call(segment: Segment, start: date, review_day: int, zone: str) -> None:
    """A new account of any segment, reviewed any day of its first week with the default preferences and caps,
    has its welcome call on a 14-day agenda."""
    snap = AccountSnapshot("acme", segment, day(start, review_day), contract_start=start,
                           contract_end=day(start, 364), time_zone=zone)
    agenda = build_agenda(snap, Window.days(day(start, review_day), 14), follow_journey=True)
    assert "week_01" in [t.key for t in agenda.touches]


@given(segment=SEGMENTS, offset=st.integers(0, 700), length=st.integers(1, 60))
def test_without_following_the_journey_the_agenda_is_the_segment_plan(segment: Segment, offset: int,
                                                                       length: int) -> None:
    """Backward compatibility: without journey arguments every scheduled touch comes from the segment plan."""
    snap = account(segment.name, date(2025, 1, 6))
    agenda = build_agenda(snap, Window.days(day(date(2025, 1, 6), offset), length))
    assert {segment_plan(segment).name} >= {t.plan for t in agenda.touches}


@given(
    segment=SEGMENTS,
    moved=st.integers(1, 400),
    closed=st.none() | st.integers(1, 500),
    offset=st.integers(-10, 500),
    length=st.integers(1, 90),
)
def test_an_agenda_following_a_changing_journey_keeps_its_promises(
    segment: Segment, moved: int, closed: int | None, offset: int, length: int
) -> None:
    """A journey that moves to Adoption and may close: touches stay in the window, none twice a day, each names a
    listed plan, and nothing is scheduled once the journey has no open track."""
    start = date(2025, 1, 6)
    journey = Journey.start("acme", segment, on=start).move("core", Stage.ADOPTION, on=day(start, moved),
                                                            evidence=DONE)
    if closed is not None:
        journey = journey.close_track("core", on=day(start, max(moved, closed)), cause=Cause.CHURNED)
    snap = account(segment.name, start)
    window = Window.days(day(start, offset), length)
    agenda = build_agenda(snap, window, journey=journey)
    local = keys_on(agenda)
    assert all(d in window for _, d in local)
    assert [] == [k for k, n in Counter(local).items() if n > 1]
    assert all(t.plan in {c.plan for c in agenda.plans} for t in agenda.touches)
    if closed is not None:
        gone = day(start, max(moved, closed))
        assert all((t.moved_from or t.due_at).date() < gone for t in agenda.touches)
