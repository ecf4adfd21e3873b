"""Month arithmetic from the anchor and term periods (postsale.renewal._dates)."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from postsale import InvalidTypeError, InvalidValueError
from postsale.renewal import add_months, anniversary, month_offset, term_periods
from tests.strategies.renewal import anchors, month_end_dates, term_lengths


@given(anchors, st.integers(-240, 240))
def test_add_months_equals_dateutil(anchor: date, months: int) -> None:
    """add_months agrees with dateutil's relativedelta on every date, month ends included."""
    assert anchor + relativedelta(months=months) == add_months(anchor, months)


@given(month_end_dates(), st.integers(0, 40), term_lengths)
def test_anniversary_from_anchor_equals_dateutil(anchor: date, n: int, term: int) -> None:
    """The n-th anniversary is start + relativedelta(months=n*term) for starts on the 28th-31st."""
    assert anchor + relativedelta(months=n * term) == anniversary(anchor, n, months=term)


@given(anchors, st.integers(0, 40), term_lengths)
def test_anniversary_any_anchor_equals_dateutil(anchor: date, n: int, term: int) -> None:
    """The n-th anniversary equals dateutil for any start date."""
    assert anchor + relativedelta(months=n * term) == anniversary(anchor, n, months=term)


def test_31_january_bills_end_of_february_then_31_march() -> None:
    """A 31 January anchor bills 29 February (leap year), then 31 March, then 30 April."""
    expected = [date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30)]
    assert expected == [anniversary(date(2024, 1, 31), n, months=1) for n in (1, 2, 3)]


def test_31_january_non_leap_bills_28_february() -> None:
    """In a common year the 31 January anchor bills 28 February."""
    assert date(2025, 2, 28) == anniversary(date(2025, 1, 31), 1, months=1)


def test_stepping_would_differ_from_anchor() -> None:
    """Stepping month by month loses the 31st; computing from the anchor keeps it."""
    stepped = add_months(add_months(date(2024, 1, 31), 1), 1)
    assert (date(2024, 3, 29), date(2024, 3, 31)) == (stepped, add_months(date(2024, 1, 31), 2))


def test_29_february_anniversaries() -> None:
    """A 29 February anchor clips to 28 February in common years and returns in leap years."""
    expected = [date(2025, 2, 28), date(2026, 2, 28), date(2027, 2, 28), date(2028, 2, 29)]
    assert expected == [anniversary(date(2024, 2, 29), n) for n in (1, 2, 3, 4)]


def test_century_rule() -> None:
    """2100 is not a leap year, 2000 is."""
    assert (date(2100, 2, 28), date(2000, 2, 29)) == (
        add_months(date(2099, 12, 31), 2),
        add_months(date(1999, 12, 31), 2),
    )


def test_anniversary_zero_is_anchor() -> None:
    """The 0th anniversary is the anchor itself."""
    assert date(2026, 5, 31) == anniversary(date(2026, 5, 31), 0)


def test_anniversary_negative_counts_back() -> None:
    """A negative n counts backwards from the anchor."""
    assert date(2025, 5, 31) == anniversary(date(2026, 5, 31), -1)


@pytest.mark.parametrize("months", [0, -12])
def test_anniversary_refuses_non_positive_term(months: int) -> None:
    """A zero or negative term length is refused, naming the field."""
    with pytest.raises(InvalidValueError) as info:
        anniversary(date(2026, 1, 1), 1, months=months)
    assert info.value.field == "months"


def test_anniversary_refuses_bool_n() -> None:
    """A bool is not a whole number of anniversaries."""
    with pytest.raises(InvalidTypeError) as info:
        anniversary(date(2026, 1, 1), True)
    assert info.value.field == "n"


def test_anniversary_refuses_datetime_anchor() -> None:
    """The anchor must be a calendar date."""
    from datetime import datetime

    with pytest.raises(InvalidTypeError) as info:
        anniversary(datetime(2026, 1, 1), 1)
    assert info.value.field == "anchor"


def test_month_offset_on_and_off_schedule() -> None:
    """month_offset finds the offset of an anniversary and None for a date off the schedule."""
    assert (
        month_offset(date(2024, 1, 31), date(2024, 2, 29)),
        month_offset(date(2024, 1, 31), date(2024, 2, 28)),
        month_offset(date(2024, 1, 31), date(2024, 1, 31)),
    ) == (1, None, 0)


@given(anchors, term_lengths, st.integers(1, 30), st.integers(0, 10))
def test_term_periods_tile_time(anchor: date, months: int, count: int, first: int) -> None:
    """Consecutive term periods have no gap and no overlap, and each starts on an anniversary."""
    periods = term_periods(anchor, months=months, count=count, first=first)
    assert count == len(periods)
    for before, after in pairwise(periods):
        assert before.end + timedelta(days=1) == after.start
    for k, period in enumerate(periods):
        assert anchor + relativedelta(months=(first + k) * months) == period.start
        assert period.start <= period.end


def test_term_period_properties() -> None:
    """A term period knows its length, next start and which days it contains (ends included)."""
    (period,) = term_periods(date(2024, 2, 29), months=12, count=1)
    assert (365, date(2025, 2, 28), True, True, False) == (
        period.days,
        period.next_start,
        period.contains(date(2024, 2, 29)),
        period.contains(date(2025, 2, 27)),
        period.contains(date(2025, 2, 28)),
    )


def test_term_periods_refuse_zero_count() -> None:
    """Asking for zero periods is refused."""
    with pytest.raises(InvalidValueError) as info:
        term_periods(date(2026, 1, 1), months=12, count=0)
    assert info.value.field == "count"


@given(anchors, anchors)
def test_month_offset_agrees_with_add_months(anchor: date, day: date) -> None:
    """month_offset returns n exactly when add_months(anchor, n) is the day, else None."""
    n = (day.year - anchor.year) * 12 + day.month - anchor.month
    expected = n if add_months(anchor, n) == day else None
    assert expected == month_offset(anchor, day)


@given(anchors, st.integers(-240, 240))
def test_month_offset_inverts_add_months(anchor: date, months: int) -> None:
    """Every date add_months produces is on the schedule at its offset."""
    assert months == month_offset(anchor, add_months(anchor, months))
