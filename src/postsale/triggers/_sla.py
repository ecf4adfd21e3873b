"""Due times of alerts from SLA words (see :class:`~postsale.triggers.Sla`)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from postsale import _checks
from postsale._errors import InvalidValueError
from postsale.triggers._model import Sla

__all__ = ["END_OF_DAY", "FEW_DAYS", "WEEK_5_DAYS", "due_time"]

END_OF_DAY = time(23, 59, 59)
"""The local time a SAME_DAY (and WEEK_5) alert is due: the end of the calendar day."""

FEW_DAYS = 3
""""Within a few days" (数日以内, M3) = 3 days by default; configurable up to 7."""

WEEK_5_DAYS = (28, 34)
"""Week 5 after contract start = days 28-34, day 0 = contract start."""

_WEEK_5_END = timedelta(days=WEEK_5_DAYS[1])

_FIXED = {
    Sla.H24: timedelta(hours=24),
    Sla.H48: timedelta(hours=48),
    Sla.D3: timedelta(days=3),
    Sla.WITHIN_WEEK: timedelta(days=7),
}


def _end_of(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, END_OF_DAY, tzinfo=zone)


def due_time(
    sla: Sla,
    fired: datetime,
    *,
    time_zone: str = "UTC",
    contract_start: date | None = None,
    few_days: int = FEW_DAYS,
) -> datetime:
    """Return when an alert fired at ``fired`` is due under ``sla``.

    ``SAME_DAY`` is the end of the detection day in the account's time zone; ``WEEK_5`` is the end of day 34
    after ``contract_start`` (or the end of the detection day when week 5 is already over, or 7 days when the
    start is unknown); the others add a fixed duration.

    Args:
        sla: The SLA word.
        fired: When the alert fired (timezone-aware).
        time_zone: The account's IANA time zone.
        contract_start: The contract start (for ``WEEK_5``).
        few_days: The days of ``WITHIN_FEW_DAYS`` (1-7).

    Returns:
        A timezone-aware datetime.

    Raises:
        NaiveDatetimeError: ``fired`` is naive.
        InvalidValueError: ``few_days`` is outside 1-7, or the due time would fall after 9999-12-31.
        InvalidTypeError: ``fired`` is not a datetime, ``contract_start`` not a date.
        UnknownNameError: ``sla`` is not an SLA word, ``time_zone`` not a time zone.

    Examples:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> due_time(Sla.SAME_DAY, datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("UTC")), time_zone="Asia/Tokyo")
        datetime.datetime(2026, 3, 2, 23, 59, 59, tzinfo=zoneinfo.ZoneInfo(key='Asia/Tokyo'))
    """
    sla = _checks.member(Sla, "sla", sla)
    _checks.aware("fired", fired)
    if contract_start is not None:
        _checks.a_date("contract_start", contract_start)
    if isinstance(few_days, bool) or not isinstance(few_days, int) or not 1 <= few_days <= 7:
        raise InvalidValueError(
            "is outside 1-7 days",
            field="few_days",
            value=few_days,
            constraint='"within a few days" must be at most a week',
            hint="pass a whole number of days from 1 to 7",
        )
    zone = _checks.time_zone("time_zone", time_zone)
    if sla in _FIXED:
        return _checks.shifted("fired", fired, fired, _FIXED[sla])
    if sla is Sla.WITHIN_FEW_DAYS:
        return _checks.shifted("fired", fired, fired, timedelta(days=few_days))
    local_day = _checks.local("fired", fired, zone).date()
    if sla is Sla.SAME_DAY:
        return _end_of(local_day, zone)
    if contract_start is None:
        return _checks.shifted("fired", fired, fired, _FIXED[Sla.WITHIN_WEEK])
    if local_day - contract_start >= _WEEK_5_END:  # week 5 is over: due at the end of the detection day
        return _end_of(local_day, zone)
    return _end_of(_checks.shifted("contract_start", contract_start, contract_start, _WEEK_5_END), zone)
