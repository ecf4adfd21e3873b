"""SLA words become aware due times (guide: Triggers › SLAs)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from postsale import InvalidValueError, NaiveDatetimeError, UnknownNameError
from postsale.triggers import Priority, Sla, due_time

UTC = ZoneInfo("UTC")
FIRED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("sla", "delta"),
    [
        (Sla.H24, timedelta(hours=24)),
        (Sla.H48, timedelta(hours=48)),
        (Sla.D3, timedelta(days=3)),
        (Sla.WITHIN_WEEK, timedelta(days=7)),
        (Sla.WITHIN_FEW_DAYS, timedelta(days=3)),
    ],
)
def test_fixed_durations(sla, delta):
    """24h, 48h, 3 days, a week and 'a few days' (3) add a fixed duration."""
    assert FIRED + delta == due_time(sla, FIRED)


def test_few_days_is_configurable():
    """'Within a few days' can be set from 1 to 7 days."""
    assert FIRED + timedelta(days=5) == due_time(Sla.WITHIN_FEW_DAYS, FIRED, few_days=5)


@pytest.mark.parametrize("few", [0, 8, True])
def test_few_days_outside_a_week_is_refused(few):
    """'A few days' must be 1-7 days."""
    with pytest.raises(InvalidValueError, match="few_days"):
        due_time(Sla.WITHIN_FEW_DAYS, FIRED, few_days=few)


def test_same_day_is_end_of_local_day():
    """SAME_DAY is due at 23:59:59 of the detection day in the account's time zone."""
    assert datetime(2026, 3, 2, 23, 59, 59, tzinfo=ZoneInfo("America/New_York")) == due_time(
        Sla.SAME_DAY, FIRED, time_zone="America/New_York"
    )


def test_same_day_uses_the_local_date():
    """Fired at 20:00 UTC is already the next day in Tokyo."""
    fired = datetime(2026, 3, 2, 20, tzinfo=UTC)
    assert date(2026, 3, 3) == due_time(Sla.SAME_DAY, fired, time_zone="Asia/Tokyo").date()


def test_same_day_on_dst_change():
    """SAME_DAY on a DST-change day is the local end of that day."""
    fired = datetime(2026, 3, 8, 12, tzinfo=UTC)
    due = due_time(Sla.SAME_DAY, fired, time_zone="America/New_York")
    assert "2026-03-08T23:59:59-04:00" == due.isoformat()


@pytest.mark.parametrize(
    ("age", "expected"),
    [(28, date(2026, 3, 8)), (30, date(2026, 3, 6)), (34, date(2026, 3, 2)), (40, date(2026, 3, 2))],
)
def test_week_5_is_day_34_after_start(age, expected):
    """WEEK_5 is due at the end of day 34 after contract start, or today once week 5 is over."""
    start = FIRED.date() - timedelta(days=age)
    assert expected == due_time(Sla.WEEK_5, FIRED, contract_start=start).date()


def test_week_5_without_start_is_a_week():
    """WEEK_5 without a contract start falls back to 7 days."""
    assert FIRED + timedelta(days=7) == due_time(Sla.WEEK_5, FIRED)


def test_naive_fired_is_refused():
    """A naive fired time raises NaiveDatetimeError."""
    with pytest.raises(NaiveDatetimeError, match="fired"):
        due_time(Sla.H24, datetime(2026, 3, 2, 9))


def test_unknown_time_zone_is_refused():
    """An unknown time zone raises UnknownNameError."""
    with pytest.raises(UnknownNameError, match="time_zone"):
        due_time(Sla.SAME_DAY, FIRED, time_zone="Mars/Olympus")


def test_urgency_order():
    """SLA urgency follows the playbooks' catalog: SAME_DAY > 24h > 48h > 3 days > week > week 5."""
    order = sorted(Sla, key=lambda s: (s.urgency, s.name))
    assert [Sla.SAME_DAY, Sla.H24, Sla.H48, Sla.D3, Sla.WITHIN_FEW_DAYS, Sla.WITHIN_WEEK, Sla.WEEK_5] == order


def test_priority_order():
    """Priorities sort most urgent first."""
    assert [Priority.URGENT, Priority.HIGH, Priority.NORMAL, Priority.LOW] == sorted(Priority)
