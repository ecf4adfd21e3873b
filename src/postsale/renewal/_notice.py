"""Notice windows of auto-renewing contracts: the last day a cancellation or change notice can be given."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol, runtime_checkable

import attrs

from postsale import _checks
from postsale._errors import InvalidTypeError, InvalidValueError
from postsale._repr import readable
from postsale.renewal._contract import Contract

__all__ = ["BusinessCalendar", "HolidayCalendar", "NoticeWindow", "notice_window"]

_ONE_DAY = timedelta(days=1)


@runtime_checkable
class HolidayCalendar(Protocol):
    """What :func:`notice_window` needs from a calendar: whether a date is a business day.

    :class:`BusinessCalendar` is the built-in (plain data) implementation; wrap any other source
    (the ``holidays`` package, a company calendar service) in an object with this one method.

    Examples:
        >>> class FourDayWeek:
        ...     def is_business_day(self, day: date) -> bool:
        ...         return day.weekday() < 4
        >>> isinstance(FourDayWeek(), HolidayCalendar), isinstance(BusinessCalendar(), HolidayCalendar)
        (True, True)
    """

    def is_business_day(self, day: date) -> bool:
        """Return whether ``day`` is a working day."""
        ...


def _to_dates(value: Iterable[date]) -> frozenset[date]:
    return _checks.days("holidays", value)


def _to_weekend(value: Iterable[int]) -> frozenset[int]:
    items = _checks.items("weekend", value)
    for day in items:
        if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6:
            raise InvalidValueError(
                "is not a weekday number",
                field="weekend",
                value=day,
                constraint="0 = Monday ... 6 = Sunday",
                hint="pass e.g. {5, 6} for Saturday and Sunday",
            )
    result = frozenset(items)
    if len(result) == 7:
        raise InvalidValueError(
            "covers the whole week", field="weekend", value=sorted(result), hint="leave at least one working day"
        )
    return result


def _bool(field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidTypeError("expected True or False", field=field, value=value, hint="pass a bool")
    return value


@attrs.frozen
class BusinessCalendar:
    """A holiday calendar as plain data: weekend days plus a set of holidays.

    Args:
        holidays: Dates that are not business days.
        weekend: Weekday numbers that are not business days (0 = Monday; default Saturday and Sunday).

    Examples:
        >>> cal = BusinessCalendar(holidays={date(2027, 5, 31)})
        >>> cal.is_business_day(date(2027, 5, 31)), cal.is_business_day(date(2027, 6, 1))
        (False, True)
    """

    __repr__ = readable
    holidays: frozenset[date] = attrs.field(factory=frozenset, converter=_to_dates)
    weekend: frozenset[int] = attrs.field(default=frozenset({5, 6}), converter=_to_weekend)

    def is_business_day(self, day: date) -> bool:
        """Return whether ``day`` is neither a weekend day nor a holiday."""
        if day.__class__ is not date:
            _checks.a_date("day", day)
        return day.weekday() not in self.weekend and day not in self.holidays


@attrs.frozen
class NoticeWindow:
    """When notice to cancel or change an auto-renewal can still be given.

    Attributes:
        account_id: The contract's account.
        opens: First day notice can be given (the start of the current term).
        last_day: Last day notice can be given (both ends included).
        renewal_date: The contract's end, T-0.
        time_zone: IANA zone the window's days are counted in.
        business_days: Whether the notice period was counted in business days.

    Examples:
        >>> from postsale.renewal import Contract
        >>> c = Contract.from_term("saas", "SMB", date(2026, 7, 1), term_months=12, acv=9000, auto_renew=True,
        ...                        notice_days=30)
        >>> window = notice_window(c)
        >>> window.last_day, window.days_left(date(2027, 5, 1))
        (datetime.date(2027, 5, 31), 30)
    """

    __repr__ = readable
    account_id: str = attrs.field(validator=_checks.validator(_checks.text))
    opens: date = attrs.field(validator=_checks.validator(_checks.a_date))
    last_day: date = attrs.field(validator=_checks.validator(_checks.a_date))
    renewal_date: date = attrs.field(validator=_checks.validator(_checks.a_date))
    time_zone: str = attrs.field(validator=_checks.validator(_checks.time_zone))
    business_days: bool = attrs.field(default=False, validator=_checks.validator(_bool))

    @property
    def closes_at(self) -> datetime:
        """The first instant after the window: midnight ending :attr:`last_day` in the contract's time zone."""
        zone = _checks.time_zone("time_zone", self.time_zone)
        if self.last_day == date.max:
            return datetime.max.replace(tzinfo=zone)
        return datetime.combine(self.last_day + _ONE_DAY, time(0), tzinfo=zone)

    def contains(self, day: date) -> bool:
        """Return whether notice given on ``day`` is in time (``opens <= day <= last_day``)."""
        return self.opens <= _checks.a_date("day", day) <= self.last_day

    def is_open_at(self, now: datetime) -> bool:
        """Return whether notice given at ``now`` (an aware datetime) is in time, judged in the contract's zone.

        Raises:
            NaiveDatetimeError: ``now`` has no time zone.
        """
        _checks.aware("now", now)
        zone = _checks.time_zone("time_zone", self.time_zone)
        return self.contains(now.astimezone(zone).date())

    def time_left(self, now: datetime) -> timedelta:
        """Return the time from ``now`` (an aware datetime) until the window closes (negative once closed).

        Raises:
            NaiveDatetimeError: ``now`` has no time zone.
        """
        return self.closes_at - _checks.aware("now", now)

    def days_left(self, as_of: date) -> int:
        """Calendar days from ``as_of`` to :attr:`last_day` (0 on the last day, negative once closed)."""
        return (self.last_day - _checks.a_date("as_of", as_of)).days


def notice_window(
    contract: Contract,
    *,
    business_days: bool = False,
    calendar: HolidayCalendar | None = None,
    roll_back: bool = False,
) -> NoticeWindow:
    """Return the notice window of ``contract``: notice must be given at least ``notice_days`` before its end.

    Calendar days by default: the last day is ``end - notice_days`` (T-notice, as every T-N). With
    ``business_days=True`` the notice period counts working days of ``calendar``
    backwards from ``end`` (the end itself never counts). With calendar days and ``roll_back=True`` a last
    day falling on a non-business day moves back to the previous business day.

    Args:
        contract: An auto-renewing contract.
        business_days: Count the notice period in business days (keyword-only).
        calendar: Weekends and holidays (default :class:`BusinessCalendar` with Saturday/Sunday).
        roll_back: With calendar days, move a non-business last day back to a business day.

    Raises:
        InvalidValueError: the contract does not auto-renew (it needs no notice).
        InvalidTypeError: ``calendar`` has no ``is_business_day`` method.

    Examples:
        >>> c = Contract.from_term("a", "SMB", date(2026, 7, 1), term_months=12, acv=100,
        ...                        auto_renew=True, notice_days=30)
        >>> notice_window(c).last_day, notice_window(c, business_days=True).last_day
        (datetime.date(2027, 5, 31), datetime.date(2027, 5, 19))
    """
    if not isinstance(contract, Contract):
        raise InvalidTypeError("expected a Contract", field="contract", value=contract, hint="pass a Contract")
    if not contract.auto_renew:
        raise InvalidValueError(
            "does not auto-renew, so it has no notice window",
            field="auto_renew",
            value=False,
            hint="build the contract with auto_renew=True, or track its renewal with renewal_timeline()",
        )
    _bool("business_days", business_days)
    _bool("roll_back", roll_back)
    cal = calendar if calendar is not None else BusinessCalendar()
    if not isinstance(cal, HolidayCalendar):
        raise InvalidTypeError(
            "has no is_business_day(date) method",
            field="calendar",
            value=cal,
            hint="pass a BusinessCalendar or an object implementing HolidayCalendar",
        )
    if contract.end.toordinal() - contract.notice_days * (7 if business_days else 1) - 400 < 1:
        raise InvalidValueError(
            "leaves no room for the notice period", field="end", value=contract.end,
            constraint=f"{contract.notice_days} days of notice before it must stay in the calendar",
            hint="pass the contract's real dates",
        )
    if business_days:
        last = _back_business_days(contract.end, contract.notice_days, cal)
    else:
        last = contract.end - timedelta(days=contract.notice_days)
        if roll_back:
            last = _previous_business_day(last, cal)
    return NoticeWindow(
        account_id=contract.account_id,
        opens=contract.start,
        last_day=last,
        renewal_date=contract.end,
        time_zone=contract.time_zone,
        business_days=business_days,
    )


def _check_calendar_day(cal: Any, day: date) -> bool:
    result = cal.is_business_day(day)
    if not isinstance(result, bool):
        raise InvalidTypeError(
            "returned a non-bool from is_business_day",
            field="calendar",
            value=result,
            hint="return True or False",
        )
    return result


def _previous_business_day(day: date, cal: HolidayCalendar) -> date:
    for _ in range(366):
        if _check_calendar_day(cal, day):
            return day
        day -= _ONE_DAY
    raise InvalidValueError(
        "has no business day in a year", field="calendar", value=cal, hint="check the holiday calendar"
    )


def _back_business_days(end: date, count: int, cal: HolidayCalendar) -> date:
    day = end
    remaining = count
    guard = 0
    while remaining > 0:
        day -= _ONE_DAY
        guard += 1
        if _check_calendar_day(cal, day):
            remaining -= 1
        elif guard > 366 + count * 7:
            raise InvalidValueError(
                "has no business days", field="calendar", value=cal, hint="check the holiday calendar"
            )
    return day
