"""Month arithmetic from an anchor date and term periods that tile time.

Every date here is computed from the anchor with one month offset (``anchor + n months``), never by
stepping from the previous result: 31 January + 1 month is 28/29 February, and + 2 months is
31 March (not 28 March). The results equal :class:`dateutil.relativedelta.relativedelta`'s
(``anchor + relativedelta(months=n)``) on every date; :func:`add_months` is a faster equivalent
for the scalar hot path and is tested against dateutil row by row.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import attrs

from postsale import _checks
from postsale._errors import InvalidTypeError, InvalidValueError

__all__ = ["TermPeriod", "add_months", "anniversary", "month_offset", "term_periods"]

_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_ONE_DAY = timedelta(days=1)


def _whole(field: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError("expected a whole number", field=field, value=value, hint="pass an int")
    return value


def _positive(field: str, value: Any) -> int:
    n = _whole(field, value)
    if n <= 0:
        raise InvalidValueError(
            "is zero or negative",
            field=field,
            value=value,
            constraint="a term is at least one month",
            hint="pass a whole number of months >= 1 (12 for an annual term)",
        )
    return n


def add_months(anchor: date, months: int) -> date:
    """Return ``anchor`` moved by ``months`` calendar months, clipped to the end of a shorter month.

    Identical to ``anchor + relativedelta(months=months)``, about five times faster.

    Args:
        anchor: The date to count from (the contract's original start).
        months: Whole months, may be negative.

    Returns:
        The same day of the target month, or its last day when the month is shorter.

    Raises:
        InvalidTypeError: ``anchor`` is not a date, or ``months`` not a whole number.

    Examples:
        >>> add_months(date(2024, 1, 31), 1), add_months(date(2024, 1, 31), 2)
        (datetime.date(2024, 2, 29), datetime.date(2024, 3, 31))
    """
    if type(anchor) is not date or type(months) is not int:
        _checks.a_date("anchor", anchor)
        _whole("months", months)
    m = anchor.month - 1 + months
    year = anchor.year + m // 12
    month = m % 12 + 1
    day = anchor.day
    if day > 28:
        last = _DAYS_IN_MONTH[month]
        if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
            last = 29
        day = min(day, last)
    return date(year, month, day)


def anniversary(anchor: date, n: int, *, months: int = 12) -> date:
    """Return the ``n``-th anniversary of ``anchor`` for a term of ``months`` months.

    Always computed from the anchor (``anchor + n x months``), so a 29 February anchor comes back to
    29 February in leap years and a 31st comes back to the 31st whenever the month has one.

    Args:
        anchor: The original start date.
        n: Which anniversary (0 is the anchor itself; negative counts backwards).
        months: Term length in months (keyword-only, default 12).

    Raises:
        InvalidValueError: ``months`` is zero or negative.
        InvalidTypeError: ``anchor`` is not a date, or ``n`` / ``months`` not whole numbers.

    Examples:
        >>> anniversary(date(2024, 2, 29), 1), anniversary(date(2024, 2, 29), 4)
        (datetime.date(2025, 2, 28), datetime.date(2028, 2, 29))
    """
    _checks.a_date("anchor", anchor)
    return add_months(anchor, _whole("n", n) * _positive("months", months))


def month_offset(anchor: date, day: date) -> int | None:
    """Return ``n`` such that ``add_months(anchor, n) == day``, or ``None`` when ``day`` is not on the schedule.

    Raises:
        InvalidTypeError: ``anchor`` or ``day`` is not a date.

    Examples:
        >>> month_offset(date(2024, 1, 31), date(2024, 2, 29)), month_offset(date(2024, 1, 31), date(2024, 2, 28))
        (1, None)
    """
    if type(anchor) is not date or type(day) is not date:
        _checks.a_date("anchor", anchor)
        _checks.a_date("day", day)
    n = (day.year - anchor.year) * 12 + day.month - anchor.month
    want = anchor.day  # add_months(anchor, n) lands in day's month, on this day clipped to the month's end
    if want > 28:
        year, month = day.year, day.month
        last = _DAYS_IN_MONTH[month]
        if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
            last = 29
        want = min(want, last)
    return n if day.day == want else None


@attrs.frozen
class TermPeriod:
    """One term of a contract: ``start`` to ``end``, both days included.

    Consecutive periods tile time: the next period starts the day after this one ends.

    Attributes:
        number: 0 for the first period listed, then 1, 2, ...
        start: First day covered.
        end: Last day covered (the renewal date, T-0, of this term).

    Examples:
        >>> second = term_periods(date(2024, 1, 31), months=1, count=2)[1]
        >>> second, second.days, second.contains(date(2024, 3, 15))
        (TermPeriod(number=1, start=datetime.date(2024, 2, 29), end=datetime.date(2024, 3, 30)), 31, True)
    """

    number: int
    start: date
    end: date

    @property
    def days(self) -> int:
        """Number of days covered (both ends included)."""
        return (self.end - self.start).days + 1

    @property
    def next_start(self) -> date:
        """The day after :attr:`end`: the first day of the following term."""
        return self.end + _ONE_DAY

    def contains(self, day: date) -> bool:
        """Return whether ``day`` is inside this period (ends included)."""
        return self.start <= _checks.a_date("day", day) <= self.end


def term_periods(anchor: date, *, months: int, count: int, first: int = 0) -> tuple[TermPeriod, ...]:
    """Return ``count`` consecutive terms of ``months`` months on ``anchor``'s schedule, without gaps or overlaps.

    Period ``k`` runs from ``anchor + (first + k) x months`` to the day before ``anchor + (first + k + 1) x months``,
    every boundary computed from the anchor.

    Args:
        anchor: The date the schedule counts from.
        months: Term length in months (keyword-only).
        count: How many periods (>= 1).
        first: Index of the first period (0 starts at the anchor).

    Raises:
        InvalidValueError: ``months`` or ``count`` zero or negative.

    Examples:
        >>> [(p.start.isoformat(), p.end.isoformat()) for p in term_periods(date(2024, 1, 31), months=1, count=3)]
        [('2024-01-31', '2024-02-28'), ('2024-02-29', '2024-03-30'), ('2024-03-31', '2024-04-29')]
    """
    _checks.a_date("anchor", anchor)
    step = _positive("months", months)
    _positive("count", count)
    base = _whole("first", first)
    bounds = [add_months(anchor, (base + k) * step) for k in range(count + 1)]
    return tuple(TermPeriod(k, bounds[k], bounds[k + 1] - _ONE_DAY) for k in range(count))
