"""The first-90-days calendar and the ongoing plan (domain-spec §5.8, DESIGN.md "week 5")."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from postsale import AccountSnapshot
from postsale.cadence import (
    FIRST_90_DAYS,
    Anchors,
    ContactPreferences,
    Weekday,
    Window,
    build_agenda,
    onboarding_plan,
)
from tests.strategies.cadence import days

WEDNESDAY = date(2026, 1, 7)
END_OF_JANUARY = date(2026, 1, 31)


def raw(start: date, until: date) -> list[tuple[str, str]]:
    """The plan's touches (no preferences) from ``start`` to ``until`` as (key, ISO date)."""
    touches = onboarding_plan().touchpoints("acme", Window(start, until), Anchors(contract_start=start))
    return [(t.key, t.due_at.date().isoformat()) for t in touches]


def agenda(start: date, until: date, **kwargs: object) -> list[tuple[str, str]]:
    """The agenda (weekends quiet by default, no caps) as (key, ISO date)."""
    account = AccountSnapshot("acme", "SMB", start, contract_start=start)
    built = build_agenda(account, Window(start, until), plan=onboarding_plan(), caps=(), **kwargs)  # type: ignore[arg-type]
    return [(t.key, t.due_at.date().isoformat()) for t in built.touches]


def test_calendar_has_twelve_weeks_in_order() -> None:
    """The calendar lists weeks 1-12 with the §5.8 touches."""
    assert list(range(1, 13)) == [row[0] for row in FIRST_90_DAYS]
    assert "Quarterly business review" == FIRST_90_DAYS[11][1]


def test_signed_on_wednesday_every_week_touch_is_a_wednesday() -> None:
    """Signed on Wednesday 7 January 2026: week n's touch falls on day 7(n-1), a Wednesday."""
    touches = raw(WEDNESDAY, WEDNESDAY + timedelta(days=83))
    expected = [(f"week_{n:02d}", (WEDNESDAY + timedelta(days=7 * (n - 1))).isoformat()) for n in range(1, 13)]
    assert expected == touches
    assert {Weekday.WEDNESDAY} == {Weekday(date.fromisoformat(d).weekday()) for _, d in touches}


def test_signed_on_wednesday_week_5_is_days_28_to_34() -> None:
    """Week 5 (usage review) falls on 4 February 2026, day 28: inside days 28-34 (DESIGN.md "week 5")."""
    assert ("week_05", "2026-02-04") in raw(WEDNESDAY, WEDNESDAY + timedelta(days=83))
    assert 28 == (date(2026, 2, 4) - WEDNESDAY).days


def test_signed_on_wednesday_agenda_needs_no_moves() -> None:
    """On a Wednesday start the agenda keeps every weekly touch where the calendar put it."""
    until = WEDNESDAY + timedelta(days=83)
    assert raw(WEDNESDAY, until) == agenda(WEDNESDAY, until)


def test_signed_on_wednesday_ongoing_plan() -> None:
    """After month 3: monthly value touches on the 7th, the QBR on 7 July replaces that month's touch, EBR in 2027."""
    touches = agenda(WEDNESDAY, date(2027, 1, 31), preferences=ContactPreferences(quiet_days=()))
    ongoing = [t for t in touches if not t[0].startswith("week_")]
    assert [
        ("monthly_value", "2026-04-07"),
        ("monthly_value", "2026-05-07"),
        ("monthly_value", "2026-06-07"),
        ("business_review", "2026-07-07"),
        ("monthly_value", "2026-08-07"),
        ("monthly_value", "2026-09-07"),
        ("business_review", "2026-10-07"),
        ("monthly_value", "2026-11-07"),
        ("monthly_value", "2026-12-07"),
        ("executive_review", "2027-01-07"),
    ] == ongoing


def test_signed_on_31_january_raw_calendar() -> None:
    """Signed Saturday 31 January 2026: weeks on day 7(n-1) (week 5 on 28 February, day 28), QBR on 18 April."""
    touches = dict(raw(END_OF_JANUARY, date(2026, 4, 29)))
    assert "2026-01-31" == touches["week_01"]
    assert "2026-02-28" == touches["week_05"]
    assert "2026-04-18" == touches["week_12"]


def test_signed_on_31_january_ongoing_dates_clip_to_month_ends() -> None:
    """Signed 31 January: monthly touches on 30 Apr, 31 May, 30 Jun; QBR 31 Jul; EBR 31 January 2027."""
    touches = raw(END_OF_JANUARY, date(2027, 1, 31))
    ongoing = [t for t in touches if not t[0].startswith("week_")]
    assert ("monthly_value", "2026-04-30") == ongoing[0]
    assert [("monthly_value", "2026-05-31"), ("monthly_value", "2026-06-30")] == ongoing[1:3]
    assert ("business_review", "2026-07-31") in ongoing
    assert ("executive_review", "2027-01-31") in ongoing


def test_signed_on_31_january_weekend_touches_move_inside_their_week() -> None:
    """With weekends quiet, the Saturday week touches move to Monday, still inside their week (days 7(n-1)..7n-1)."""
    touches = agenda(END_OF_JANUARY, date(2026, 4, 24))
    weeks = [(k, d) for k, d in touches if k.startswith("week_")]
    assert ("week_01", "2026-02-02") == weeks[0]
    assert ("week_05", "2026-03-02") == weeks[4]
    for key, day in weeks:
        n = int(key[-2:])
        assert 7 * (n - 1) <= (date.fromisoformat(day) - END_OF_JANUARY).days <= 7 * n - 1


def test_signed_on_31_january_monthly_touch_on_sunday_moves_to_monday() -> None:
    """31 May 2026 is a Sunday: that month's value touch moves to Monday 1 June."""
    touches = agenda(END_OF_JANUARY, date(2026, 6, 30))
    assert ("monthly_value", "2026-06-01") in touches
    assert ("monthly_value", "2026-06-30") in touches


def test_week_11_expansion_is_optional() -> None:
    """Only the week-11 expansion conversation is marked optional ("if relevant")."""
    optional = [i.key for i in onboarding_plan().items if i.optional]
    assert ["week_11"] == optional


def test_every_calendar_touch_has_a_purpose() -> None:
    """No touch of the default plan is flagged: each declares a value purpose (domain-spec §5.11)."""
    assert all(i.purposes for i in onboarding_plan().items)


@given(days, st.frozensets(st.sampled_from(list(Weekday)), max_size=6))
def test_week_touches_stay_in_their_week(start: date, quiet: frozenset[Weekday]) -> None:
    """For any start and quiet days, each week-n touch lands within days 7(n-1)..7n-1 of the start."""
    touches = agenda(start, start + timedelta(days=90), preferences=ContactPreferences(quiet_days=quiet))
    weeks = [(k, d) for k, d in touches if k.startswith("week_")]
    assert 12 == len(weeks)
    for key, day in weeks:
        n = int(key[-2:])
        assert 7 * (n - 1) <= (date.fromisoformat(day) - start).days <= 7 * n - 1
