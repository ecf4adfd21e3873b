"""Cadence items and plans: recurrence dates across month ends, leap days and DST; windows; validation."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from postsale import DefinitionError, InvalidTypeError, InvalidValueError, UnknownNameError
from postsale.cadence import (
    Anchor,
    Anchors,
    CadenceItem,
    CadencePlan,
    Channel,
    MessageType,
    Recurrence,
    Source,
    Touch,
    Unit,
    Window,
)
from tests.strategies.cadence import cadence_items, days, windows

MONTHLY = Recurrence(Unit.MONTH)


def item(**kwargs: object) -> CadenceItem:
    """A quick-update item with overrides."""
    options: dict[str, object] = {"key": "x", "title": "X", "message_type": "quick_update", "purposes": ["insight"]}
    options.update(kwargs)
    return CadenceItem(**options)  # type: ignore[arg-type]


def iso(dates: tuple[date, ...]) -> list[str]:
    """Dates as ISO strings."""
    return [d.isoformat() for d in dates]


def test_monthly_from_31_january_clips_to_month_ends() -> None:
    """Monthly from 31 January falls on 28 Feb, 31 Mar, 30 Apr, 31 May (clipped from the anchor, never stepped)."""
    dates = item(recurrence=MONTHLY).dates(date(2026, 1, 31), Window(date(2026, 1, 1), date(2026, 5, 31)))
    assert ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31"] == iso(dates)


def test_monthly_dates_equal_relativedelta_from_anchor() -> None:
    """Every monthly date equals anchor + relativedelta(months=n), for every anchor day 28-31."""
    for day in (28, 29, 30, 31):
        anchor = date(2023, 12, day)
        dates = item(recurrence=MONTHLY).dates(anchor, Window(anchor, date(2026, 12, 31)))
        assert [anchor + relativedelta(months=n) for n in range(len(dates))] == list(dates)


def test_monthly_in_leap_year_lands_on_29_february() -> None:
    """Monthly from 31 January 2024 falls on 29 February (leap year)."""
    dates = item(recurrence=MONTHLY).dates(date(2024, 1, 31), Window(date(2024, 2, 1), date(2024, 2, 29)))
    assert ["2024-02-29"] == iso(dates)


def test_yearly_from_leap_day_clips_to_28_february() -> None:
    """Yearly from 29 February 2024: 28 Feb in common years, 29 Feb again in 2028."""
    dates = item(recurrence=Recurrence(Unit.YEAR)).dates(
        date(2024, 2, 29), Window(date(2024, 1, 1), date(2028, 12, 31))
    )
    assert ["2024-02-29", "2025-02-28", "2026-02-28", "2027-02-28", "2028-02-29"] == iso(dates)


def test_quarterly_with_month_offset_keeps_anchor_day() -> None:
    """Quarterly from 31 January + 3 months: 30 Apr, 31 Jul, 31 Oct, 31 Jan."""
    rec = item(recurrence=Recurrence(Unit.MONTH, 3), offset_months=3)
    dates = rec.dates(date(2026, 1, 31), Window(date(2026, 1, 1), date(2027, 1, 31)))
    assert ["2026-04-30", "2026-07-31", "2026-10-31", "2027-01-31"] == iso(dates)


def test_weekly_across_year_end() -> None:
    """Weekly from 24 December crosses into the new year every 7 days."""
    dates = item(recurrence=Recurrence(Unit.WEEK)).dates(
        date(2025, 12, 24), Window(date(2025, 12, 20), date(2026, 1, 10))
    )
    assert ["2025-12-24", "2025-12-31", "2026-01-07"] == iso(dates)


def test_biweekly_long_after_anchor_keeps_phase() -> None:
    """Every 2 weeks, years after the anchor, stays on the anchor's 14-day phase."""
    anchor = date(2020, 1, 1)
    dates = item(recurrence=Recurrence(Unit.WEEK, 2)).dates(anchor, Window(date(2026, 3, 1), date(2026, 3, 31)))
    assert all((d - anchor).days % 14 == 0 for d in dates)
    assert 2 == len(dates)


def test_daily_with_until_stops_on_the_last_day() -> None:
    """A renewal-anchored item every 15 days from T-60 until T-31 gives T-60 and T-45."""
    ramp = item(recurrence=Recurrence(Unit.DAY, 15), anchor=Anchor.RENEWAL_DATE, offset_days=-60, until_days=-31)
    renewal = date(2026, 3, 31)
    dates = ramp.dates(renewal, Window(date(2026, 1, 1), date(2026, 3, 31)))
    assert [renewal - timedelta(days=60), renewal - timedelta(days=45)] == list(dates)


def test_one_off_item_inside_and_outside_window() -> None:
    """A one-off item appears only when its date is in the window."""
    once = item(offset_days=10)
    assert (date(2026, 1, 11),) == once.dates(date(2026, 1, 1), Window(date(2026, 1, 11), date(2026, 1, 11)))
    assert () == once.dates(date(2026, 1, 1), Window(date(2026, 1, 12), date(2026, 1, 31)))


def test_item_ending_before_window_gives_nothing() -> None:
    """A recurring item whose until day is before the window yields no dates."""
    short = item(recurrence=Recurrence(Unit.WEEK), until_days=10)
    assert () == short.dates(date(2026, 1, 1), Window(date(2026, 2, 1), date(2026, 2, 28)))


def test_weekly_touch_keeps_local_time_across_dst_in_paris() -> None:
    """A weekly 10:00 touch in Europe/Paris stays at 10:00 local across the 29 March 2026 DST change."""
    plan = CadencePlan("w", (item(recurrence=Recurrence(Unit.WEEK)),))
    touches = plan.touchpoints(
        "a",
        Window(date(2026, 3, 23), date(2026, 3, 30)),
        Anchors(contract_start=date(2026, 3, 23)),
        time_zone="Europe/Paris",
    )
    assert ["2026-03-23T10:00:00+01:00", "2026-03-30T10:00:00+02:00"] == [t.due_at.isoformat() for t in touches]
    utc = ZoneInfo("UTC")
    elapsed = touches[1].due_at.astimezone(utc) - touches[0].due_at.astimezone(utc)
    assert timedelta(days=7) - timedelta(hours=1) == elapsed


def test_touch_in_dst_gap_moves_forward() -> None:
    """A 02:30 touch on the New York spring-forward day (a time that does not exist) becomes 03:30 EDT."""
    plan = CadencePlan("w", (item(),), time(2, 30))
    (touch,) = plan.touchpoints(
        "a", Window.days(date(2026, 3, 8), 1), Anchors(contract_start=date(2026, 3, 8)), time_zone="America/New_York"
    )
    assert "2026-03-08T03:30:00-04:00" == touch.due_at.isoformat()


def test_touchpoints_are_deterministic_and_sorted() -> None:
    """Generating twice gives the same sorted touches."""
    plan = CadencePlan(
        "p", (item(key="a", recurrence=Recurrence(Unit.WEEK)), item(key="b", recurrence=MONTHLY, offset_days=3))
    )
    args = ("acme", Window(date(2026, 1, 1), date(2026, 6, 30)), Anchors(contract_start=date(2025, 11, 30)))
    first = plan.touchpoints(*args, time_zone="Asia/Tokyo")
    assert first == plan.touchpoints(*args, time_zone="Asia/Tokyo")
    assert sorted(first, key=lambda t: t.sort_key) == list(first)


def test_touch_carries_item_fields() -> None:
    """A generated touch carries the item's key, title, channel, purposes and flags."""
    plan = CadencePlan("p", (item(key="tip", message_type="product_tip", automated=True, rank=2, optional=True),))
    (touch,) = plan.touchpoints("acme", Window.days(date(2026, 1, 1), 1), Anchors(contract_start=date(2026, 1, 1)))
    assert ("tip", Channel.IN_APP, Source.SCHEDULED, True, 2, True) == (
        touch.key,
        touch.channel,
        touch.source,
        touch.automated,
        touch.rank,
        touch.optional,
    )


@given(cadence_items(), days, windows())
def test_dates_are_inside_window_sorted_and_unique(cadence_item: CadenceItem, anchor: date, window: Window) -> None:
    """Occurrences always fall inside the window, sorted, without repeats."""
    dates = cadence_item.dates(anchor, window)
    assert all(d in window for d in dates)
    assert sorted(set(dates)) == list(dates)


@given(days, st.integers(1, 40))
def test_monthly_dates_match_relativedelta(anchor: date, months: int) -> None:
    """Monthly rrule dates are exactly anchor + relativedelta(months=n) for every anchor."""
    dates = item(recurrence=MONTHLY).dates(anchor, Window(anchor, anchor + relativedelta(months=months)))
    assert [anchor + relativedelta(months=n) for n in range(months + 1)] == list(dates)


def test_zero_interval_is_refused() -> None:
    """A cadence with zero interval raises an error naming the field."""
    with pytest.raises(InvalidValueError) as info:
        Recurrence(Unit.WEEK, 0)
    assert "interval" == info.value.field


def test_non_int_interval_is_refused() -> None:
    """A float interval raises InvalidTypeError naming the field."""
    with pytest.raises(InvalidTypeError) as info:
        Recurrence(Unit.WEEK, 1.5)  # type: ignore[arg-type]
    assert "interval" == info.value.field


def test_unknown_unit_is_refused() -> None:
    """An unknown unit raises UnknownNameError."""
    with pytest.raises(UnknownNameError):
        Recurrence("fortnight")  # type: ignore[arg-type]


def test_recurrence_describe_singular_and_plural() -> None:
    """Describe reads 'every month' and 'every 3 months'."""
    assert ("every month", "every 3 months") == (MONTHLY.describe(), Recurrence(Unit.MONTH, 3).describe())


def test_window_end_before_start_is_refused() -> None:
    """A window ending before it starts raises InvalidValueError naming 'end'."""
    with pytest.raises(InvalidValueError) as info:
        Window(date(2026, 2, 1), date(2026, 1, 31))
    assert "end" == info.value.field


def test_window_of_one_day_is_allowed() -> None:
    """A window may start and end on the same day."""
    assert date(2026, 1, 1) in Window(date(2026, 1, 1), date(2026, 1, 1))


def test_window_with_datetime_is_refused() -> None:
    """A datetime where a date is expected raises InvalidTypeError."""
    with pytest.raises(InvalidTypeError):
        Window(datetime(2026, 1, 1), date(2026, 1, 2))  # type: ignore[arg-type]


def test_window_days_and_zero_days() -> None:
    """Window.days(start, 7) covers 7 days; 0 days is refused."""
    assert date(2026, 1, 7) == Window.days(date(2026, 1, 1), 7).end
    with pytest.raises(InvalidValueError):
        Window.days(date(2026, 1, 1), 0)


def test_window_quarter_of_leap_february() -> None:
    """The quarter of 29 February 2024 is January to March."""
    assert Window(date(2024, 1, 1), date(2024, 3, 31)) == Window.quarter_of(date(2024, 2, 29))


def test_window_contains_ignores_non_dates() -> None:
    """A non-date is never in a window."""
    assert "2026-01-01" not in Window.days(date(2026, 1, 1), 1)


def test_unknown_channel_on_item_is_refused() -> None:
    """An unknown channel name raises UnknownNameError naming the field."""
    with pytest.raises(UnknownNameError) as info:
        item(channel="fax")
    assert "channel" == info.value.field


def test_unknown_message_type_is_refused() -> None:
    """An unknown message type raises UnknownNameError."""
    with pytest.raises(UnknownNameError):
        item(message_type="gossip")


def test_bad_item_fields_are_refused() -> None:
    """Blank key, negative month offset, non-bool flags and a non-Recurrence recurrence raise errors."""
    with pytest.raises(InvalidValueError):
        item(key=" ")
    with pytest.raises(InvalidValueError):
        item(offset_months=-1)
    with pytest.raises(InvalidTypeError):
        item(automated="yes")
    with pytest.raises(InvalidTypeError):
        item(offset_days=1.0)
    with pytest.raises(InvalidTypeError):
        item(recurrence="weekly")


def test_single_purpose_string_is_accepted() -> None:
    """A single purpose name becomes a one-element set."""
    assert 1 == len(item(purposes="dialogue").purposes)


def test_first_date_adds_days_then_months() -> None:
    """first_date is anchor + offset_days + offset_months (clipped to the month end)."""
    assert date(2026, 2, 28) == item(offset_days=1, offset_months=1).first_date(date(2026, 1, 30))


def test_plan_reports_every_problem_at_once() -> None:
    """Duplicate keys, a one-off with until_days, an item ending before it starts: all reported together."""
    with pytest.raises(DefinitionError) as info:
        CadencePlan(
            "bad",
            (
                item(key="a"),
                item(key="a", offset_days=3),
                item(key="b", until_days=4),
                item(key="c", recurrence=MONTHLY, offset_days=10, until_days=5),
                "not an item",  # type: ignore[arg-type]
            ),
            time(10, 0, tzinfo=ZoneInfo("UTC")),
        )
    paths = [p.path for p in info.value.problems]
    assert ["$.local_time", "$.items[1].key", "$.items[2].until_days", "$.items[3].until_days", "$.items[4]"] == paths


def test_plan_item_lookup_and_unknown_key() -> None:
    """plan.item finds an item by key; an unknown key raises UnknownNameError."""
    plan = CadencePlan("p", (item(key="a"),))
    assert "a" == plan.item("a").key
    with pytest.raises(UnknownNameError):
        plan.item("zzz")


def test_combine_plans_and_refuse_duplicate_keys() -> None:
    """Combining keeps all items; a shared key raises DefinitionError."""
    a = CadencePlan("a", (item(key="a"),))
    b = CadencePlan("b", (item(key="b"),))
    assert ("a + b", ("a", "b")) == (a.combine(b).name, tuple(i.key for i in a.combine(b).items))
    assert "ab" == a.combine(b, name="ab").name
    with pytest.raises(DefinitionError):
        a.combine(a)


def test_missing_anchor_names_the_field() -> None:
    """A renewal-anchored item without a renewal date raises InvalidValueError naming contract_end."""
    plan = CadencePlan("r", (item(anchor="renewal_date", offset_days=-30),))
    with pytest.raises(InvalidValueError) as info:
        plan.touchpoints("a", Window.days(date(2026, 1, 1), 30), Anchors(contract_start=date(2025, 1, 1)))
    assert "contract_end" == info.value.field


def test_missing_stage_entry_names_the_field() -> None:
    """A stage-anchored item without a stage entry date names stage_entry."""
    plan = CadencePlan("s", (item(anchor=Anchor.STAGE_ENTRY),))
    with pytest.raises(InvalidValueError) as info:
        plan.touchpoints("a", Window.days(date(2026, 1, 1), 30), Anchors())
    assert "stage_entry" == info.value.field


def test_unknown_time_zone_is_refused() -> None:
    """An unknown IANA zone raises UnknownNameError."""
    plan = CadencePlan("p", (item(),))
    with pytest.raises(UnknownNameError):
        plan.touchpoints(
            "a", Window.days(date(2026, 1, 1), 1), Anchors(contract_start=date(2026, 1, 1)), time_zone="Mars/Base"
        )


def test_naive_due_at_is_refused() -> None:
    """A touch with a naive due time raises NaiveDatetimeError naming due_at."""
    from postsale import NaiveDatetimeError

    with pytest.raises(NaiveDatetimeError) as info:
        Touch("a", datetime(2026, 1, 1, 10), "k", "T")
    assert "due_at" == info.value.field


def test_touch_explain_mentions_purpose_move_and_optional() -> None:
    """A touch explains its purposes, its move and that it is optional; a purpose-less one is flagged."""
    due = datetime(2026, 1, 5, 10, tzinfo=ZoneInfo("UTC"))
    touch = Touch(
        "a", due, "k", "Expansion talk", purposes=["dialogue"], optional=True, moved_from=due - timedelta(days=2)
    )
    text = " ".join(touch.explain())
    assert "dialogue" in text and "moved" in text and "optional" in text
    bare = Touch("a", due, "k", "Checking in", message_type=MessageType.QUICK_UPDATE)
    assert bare.flagged and "just checking in" in " ".join(bare.explain())


def test_touch_explain_for_alert() -> None:
    """An alert touch says which alert demanded it."""
    due = datetime(2026, 1, 5, 10, tzinfo=ZoneInfo("UTC"))
    assert "alert H2" in Touch("a", due, "H2", "Urgent", source="alert").explain()[0]


@given(
    st.sampled_from([Unit.MONTH, Unit.YEAR]),
    st.integers(1, 4),
    days,
    st.integers(0, 13),
    st.integers(-20, 20),
    windows(max_days=400),
)
def test_month_and_year_dates_match_the_anchor_reference(
    unit: Unit, interval: int, anchor: date, months: int, shift: int, window: Window
) -> None:
    """Month and year recurrences equal base + relativedelta(months=offset + n * step) for every n, however far."""
    rec = item(recurrence=Recurrence(unit, interval), offset_days=shift, offset_months=months)
    base = anchor + timedelta(days=shift)
    step = interval * (12 if unit is Unit.YEAR else 1)
    reference = []
    n = 0
    while (d := base + relativedelta(months=months + n * step)) <= window.end:
        if d >= window.start:
            reference.append(d)
        n += 1
    assert reference == list(rec.dates(anchor, window))


def test_touch_in_repeated_hour_takes_the_first() -> None:
    """A 01:30 touch on the New York fall-back day (a time that happens twice) is the first one, EDT."""
    plan = CadencePlan("w", (item(),), time(1, 30))
    (touch,) = plan.touchpoints(
        "a", Window.days(date(2026, 11, 1), 1), Anchors(contract_start=date(2026, 11, 1)), time_zone="America/New_York"
    )
    assert "2026-11-01T01:30:00-04:00" == touch.due_at.isoformat()


def _rrule_dates(unit: Unit, interval: int, base: date, months: int, start: date, last: date) -> tuple[date, ...]:
    """The oracle: ``dateutil.rrule`` from ``base + months``, months clipped to their end (RFC 5545 would skip
    the short ones: ``bymonthday`` 28..day with ``bysetpos=-1`` keeps the last that exists)."""
    from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule

    first = base + relativedelta(months=months)
    if last < first or last < start:
        return ()
    kwargs: dict[str, Any] = {}
    if unit in (Unit.MONTH, Unit.YEAR) and base.day > 28:
        kwargs = {"bymonthday": tuple(range(28, base.day + 1)), "bysetpos": -1}
        if unit is Unit.YEAR:
            kwargs["bymonth"] = first.month
    freq = {Unit.DAY: DAILY, Unit.WEEK: WEEKLY, Unit.MONTH: MONTHLY, Unit.YEAR: YEARLY}[unit]
    rule = rrule(freq, interval=interval, dtstart=datetime.combine(first, time()),
                 until=datetime.combine(last, time()), cache=False, **kwargs)
    return tuple(d.date() for d in rule.xafter(datetime.combine(start, time()), inc=True))


@given(st.sampled_from(list(Unit)), st.integers(1, 6), st.dates(date(2000, 1, 1), date(2040, 12, 31)),
       st.integers(0, 25), st.dates(date(2000, 1, 1), date(2045, 12, 31)), st.integers(0, 800))
def test_occurrences_are_rrules_with_month_ends_clipped(unit: Unit, interval: int, base: date, months: int,
                                                        start: date, days_long: int) -> None:
    """The dates of a recurrence are computed arithmetically (fast), and are exactly what ``dateutil.rrule``
    gives with the short months clipped to their end."""
    from postsale.cadence._plans import _occurrences

    last = start + timedelta(days=days_long)
    assert _occurrences.__wrapped__(unit, interval, base, months, start, last) == _rrule_dates(
        unit, interval, base, months, start, last)


def test_occurrences_stop_at_the_end_of_the_calendar() -> None:
    from postsale.cadence._plans import _occurrences

    end = date(9999, 12, 31)
    assert _occurrences.__wrapped__(Unit.MONTH, 1, date(9999, 10, 31), 0, date(9999, 11, 1), end) == (
        date(9999, 11, 30), end)
    assert _occurrences.__wrapped__(Unit.YEAR, 1, date(9998, 2, 28), 0, date(9999, 1, 1), end) == (
        date(9999, 2, 28),)
    assert _occurrences.__wrapped__(Unit.WEEK, 1, date(9999, 12, 20), 0, date(9999, 12, 25), end) == (
        date(9999, 12, 27),)
