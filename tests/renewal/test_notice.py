"""Notice windows of auto-renewing contracts, calendar and business days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import postsale
from postsale import InvalidTypeError, InvalidValueError, NaiveDatetimeError
from postsale.renewal import BusinessCalendar, Contract, HolidayCalendar, NoticeWindow, notice_window
from tests.strategies.renewal import calendars, contracts


def auto(notice: int = 30, **kw: object) -> Contract:
    return Contract.from_term(
        "acme",
        "SMB",
        date(2026, 7, 1),
        term_months=12,
        acv=1200,
        auto_renew=True,
        notice_days=notice,
        **kw,  # type: ignore[arg-type]
    )


def test_calendar_last_day_is_t_minus_notice() -> None:
    """With 30 calendar days of notice on a 2027-06-30 end, the last day is 2027-05-31."""
    assert date(2027, 5, 31) == notice_window(auto()).last_day


def test_window_opens_at_term_start() -> None:
    """Notice can be given from the start of the current term."""
    w = notice_window(auto())
    assert (date(2026, 7, 1), date(2027, 6, 30)) == (w.opens, w.renewal_date)


def test_zero_notice_last_day_is_end() -> None:
    """Without a notice period, notice can be given up to the end itself."""
    assert date(2027, 6, 30) == notice_window(auto(0)).last_day


def test_contains_both_sides_of_last_day() -> None:
    """The last day is inside the window, the day after is not."""
    w = notice_window(auto())
    assert (w.contains(date(2027, 5, 31)), w.contains(date(2027, 6, 1)), w.contains(date(2026, 6, 30))) == (
        True,
        False,
        False,
    )


def test_days_left() -> None:
    """days_left counts calendar days to the last day (0 on it, negative after)."""
    w = notice_window(auto())
    assert (w.days_left(date(2027, 5, 30)), w.days_left(date(2027, 5, 31)), w.days_left(date(2027, 6, 1))) == (1, 0, -1)


def test_business_days_skip_weekends() -> None:
    """30 business days back from Wednesday 2027-06-30 is Wednesday 2027-05-19 (six weeks)."""
    assert date(2027, 5, 19) == notice_window(auto(), business_days=True).last_day


def test_business_days_skip_holidays() -> None:
    """A holiday inside the notice period pushes the last day one business day earlier."""
    cal = BusinessCalendar(holidays={date(2027, 5, 31)})
    assert date(2027, 5, 18) == notice_window(auto(), business_days=True, calendar=cal).last_day


def test_business_days_one_day_before_monday_end() -> None:
    """One business day of notice before a Monday end is the previous Friday."""
    c = Contract("a", "SMB", date(2026, 6, 1), date(2027, 5, 31), 1, auto_renew=True, notice_days=1)
    assert date(2027, 5, 28) == notice_window(c, business_days=True).last_day


def test_roll_back_to_business_day() -> None:
    """With roll_back, a last day on a Sunday moves to the Friday before."""
    c = auto(notice=30)  # 2027-05-31 is a Monday: make it a holiday, and Sunday precedes it
    cal = BusinessCalendar(holidays={date(2027, 5, 31)})
    assert (date(2027, 5, 31), date(2027, 5, 28)) == (
        notice_window(c, calendar=cal).last_day,
        notice_window(c, calendar=cal, roll_back=True).last_day,
    )


def test_custom_calendar_protocol() -> None:
    """Any object with is_business_day works as a calendar."""

    class MondaysOnly:
        def is_business_day(self, day: date) -> bool:
            return day.weekday() == 0

    cal = MondaysOnly()
    assert isinstance(cal, HolidayCalendar)
    assert date(2027, 6, 21) == notice_window(auto(2), business_days=True, calendar=cal).last_day


def test_calendar_without_method_refused() -> None:
    """A calendar without is_business_day is refused."""
    with pytest.raises(InvalidTypeError) as info:
        notice_window(auto(), calendar=object())  # type: ignore[arg-type]
    assert info.value.field == "calendar"


def test_calendar_returning_non_bool_refused() -> None:
    """A calendar must answer True or False."""

    class Bad:
        def is_business_day(self, day: date) -> object:
            return "yes"

    with pytest.raises(InvalidTypeError) as info:
        notice_window(auto(), business_days=True, calendar=Bad())  # type: ignore[arg-type]
    assert info.value.field == "calendar"


def test_calendar_without_business_days_refused() -> None:
    """A calendar with no business day at all is reported, not looped on forever."""

    class Never:
        def is_business_day(self, day: date) -> bool:
            return False

    with pytest.raises(InvalidValueError):
        notice_window(auto(), business_days=True, calendar=Never())
    with pytest.raises(InvalidValueError):
        notice_window(auto(), roll_back=True, calendar=Never())


def test_not_auto_renewing_refused() -> None:
    """A contract that does not auto-renew has no notice window."""
    c = Contract.from_term("a", "SMB", date(2026, 7, 1), term_months=12, acv=1)
    with pytest.raises(InvalidValueError) as info:
        notice_window(c)
    assert info.value.field == "auto_renew"


def test_not_a_contract_refused() -> None:
    """notice_window needs a Contract."""
    with pytest.raises(InvalidTypeError) as info:
        notice_window("acme")  # type: ignore[arg-type]
    assert info.value.field == "contract"


def test_closes_at_is_midnight_in_contract_zone() -> None:
    """The window closes at midnight after the last day, in the contract's time zone."""
    w = notice_window(auto(time_zone="Asia/Tokyo"))
    assert datetime(2027, 6, 1, tzinfo=ZoneInfo("Asia/Tokyo")) == w.closes_at


def test_is_open_at_judged_in_contract_zone() -> None:
    """15:30 UTC on the last day is already the next day in Tokyo, so too late there."""
    w = notice_window(auto(time_zone="Asia/Tokyo"))
    moment = datetime(2027, 5, 31, 15, 30, tzinfo=UTC)
    assert (w.is_open_at(moment), w.is_open_at(moment - timedelta(hours=1))) == (False, True)


def test_is_open_at_refuses_naive_datetime() -> None:
    """A naive datetime is refused with NaiveDatetimeError naming the field."""
    with pytest.raises(NaiveDatetimeError) as info:
        notice_window(auto()).is_open_at(datetime(2027, 5, 1, 12))
    assert info.value.field == "now"


@pytest.mark.parametrize("weekend", [{7}, {-1}, set(range(7)), {True}])
def test_bad_weekend_refused(weekend: set[int]) -> None:
    """Weekend days are weekday numbers 0-6 and leave at least one working day."""
    with pytest.raises(InvalidValueError) as info:
        BusinessCalendar(weekend=weekend)
    assert info.value.field == "weekend"


def test_holiday_must_be_date() -> None:
    """Holidays are calendar dates."""
    with pytest.raises(InvalidTypeError) as info:
        BusinessCalendar(holidays={"2027-01-01"})  # type: ignore[arg-type]
    assert info.value.field == "holidays[0]"  # which item


@given(contracts().filter(lambda c: c.auto_renew), calendars)
def test_business_notice_never_later_than_calendar(contract: Contract, cal: BusinessCalendar) -> None:
    """Counting business days never gives a later last day than counting calendar days."""
    business = notice_window(contract, business_days=True, calendar=cal).last_day
    assert business <= notice_window(contract).last_day
    if contract.notice_days:
        assert cal.is_business_day(business)


@given(st.builds(BusinessCalendar, holidays=st.frozensets(st.dates(), max_size=5)))
def test_calendar_round_trip(cal: BusinessCalendar) -> None:
    """Business calendars round-trip through JSON."""
    assert cal == postsale.from_json(BusinessCalendar, postsale.to_json(cal))


def test_window_round_trip() -> None:
    """Notice windows round-trip through JSON."""
    w = notice_window(auto(), business_days=True)
    assert w == postsale.from_json(NoticeWindow, postsale.to_json(w))


def test_time_left_until_close() -> None:
    """time_left counts to midnight after the last day in the contract's zone; naive datetimes are refused."""
    w = notice_window(auto(time_zone="Asia/Tokyo"))
    assert timedelta(hours=1) == w.time_left(datetime(2027, 5, 31, 14, tzinfo=UTC))
    with pytest.raises(NaiveDatetimeError):
        w.time_left(datetime(2027, 5, 31, 14))
