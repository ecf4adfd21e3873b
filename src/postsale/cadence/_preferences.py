"""Contact preferences and frequency caps."""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable, Mapping
from datetime import date, timedelta
from typing import Any, Final

import attrs

from postsale import _checks
from postsale._errors import DefinitionError, InvalidTypeError, InvalidValueError, Problem
from postsale._frozen import freeze
from postsale._repr import readable
from postsale._vocabulary import Segment
from postsale.cadence._channels import Channel, Weekday

__all__ = [
    "DEFAULT_CAPS",
    "DEFAULT_QUIET_DAYS",
    "ContactPreferences",
    "FrequencyCap",
    "Period",
    "caps_for",
]


class Period(enum.Enum):
    """A calendar period: an ISO week (Monday first), a calendar month or a calendar quarter.

    Examples:
        >>> Period.parse("monthly"), Period.MONTH.adverb
        (<Period.MONTH: 'month'>, 'monthly')
    """

    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"

    @classmethod
    def parse(cls, value: object, *, field: str = "period") -> Period:
        """Return the period named by ``value`` (``"weekly"``, ``"month"``, ``"QUARTERLY"`` ...)."""
        aliases = {"WEEKLY": "WEEK", "MONTHLY": "MONTH", "QUARTERLY": "QUARTER"}
        return _checks.member(cls, field, value, aliases)

    def start_of(self, day: date) -> date:
        """Return the first day of the period containing ``day``.

        Examples:
            >>> Period.WEEK.start_of(date(2026, 1, 31)), Period.QUARTER.start_of(date(2026, 5, 17))
            (datetime.date(2026, 1, 26), datetime.date(2026, 4, 1))
        """
        if day.__class__ is not date:
            _checks.a_date("day", day)
        if self is Period.WEEK:
            return day - timedelta(days=day.weekday())
        if self is Period.MONTH:
            return day.replace(day=1)
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)

    @property
    def adverb(self) -> str:
        """``"weekly"``, ``"monthly"`` or ``"quarterly"``."""
        return {Period.WEEK: "weekly", Period.MONTH: "monthly", Period.QUARTER: "quarterly"}[self]


DEFAULT_QUIET_DAYS: Final = frozenset({Weekday.SATURDAY, Weekday.SUNDAY})
"""No scheduled touches on weekends unless the customer says otherwise (a proposal: business contact on business
days; a CSM planning their week expects it)."""


def _channels(value: Any) -> frozenset[Channel]:
    return frozenset(Channel.parse(v, field="opted_out") for v in _iterable("opted_out", value, "['email']"))


def _preferred(value: Any) -> tuple[Channel, ...]:
    return tuple(Channel.parse(v, field="preferred_channels")
                 for v in _iterable("preferred_channels", value, "['email']"))


def _weekdays(value: Any) -> frozenset[Weekday]:
    return frozenset(Weekday.parse(v) for v in _iterable("quiet_days", value, "['saturday', 'sunday']"))


def _iterable(field: str, value: Any, example: str) -> Iterable[Any]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidValueError("must be a collection", field=field, value=value, hint=f"pass a list, e.g. {example}")
    return value


def _period(value: Any) -> Period:
    return Period.parse(value)


def _optional_period(value: Any) -> Period | None:
    return None if value is None else Period.parse(value, field="frequency")


@attrs.frozen
class ContactPreferences:
    """What one customer asked for (preference centre, frequency options, channel preferences,
    opt-outs that work). Respected by construction in every agenda.

    Args:
        opted_out: Channels the customer opted out of: no touch ever goes through them.
        preferred_channels: Channels the customer prefers, best first (the fallback when a channel is refused).
        frequency: Preferred frequency of scheduled touches: at most one per WEEK, MONTH or QUARTER (``None``:
            no preference). Alerts are not scheduled touches and are not thinned by it.
        quiet_days: Weekdays without scheduled touches (they move to the next allowed day).

    Raises:
        DefinitionError: every day quiet, or a channel both preferred and opted out (all problems at once).
        UnknownNameError: an unknown channel, period or weekday.

    Examples:
        >>> ContactPreferences(opted_out=["sms"], frequency="monthly").frequency
        <Period.MONTH: 'month'>
    """

    __repr__ = readable
    opted_out: frozenset[Channel] = attrs.field(factory=frozenset, converter=_channels)
    preferred_channels: tuple[Channel, ...] = attrs.field(default=(), converter=_preferred)
    frequency: Period | None = attrs.field(default=None, converter=_optional_period)
    quiet_days: frozenset[Weekday] = attrs.field(default=DEFAULT_QUIET_DAYS, converter=_weekdays)

    def __attrs_post_init__(self) -> None:
        problems = []
        if len(self.quiet_days) == len(Weekday):
            problems.append(Problem("$.quiet_days", "every day is quiet; leave at least one day for touches"))
        for i, channel in enumerate(self.preferred_channels):
            if channel in self.opted_out:
                problems.append(Problem(f"$.preferred_channels[{i}]", f"{channel.name} is also opted out"))
        if problems:
            raise DefinitionError(
                "contact preferences contradict themselves", problems, hint="keep each channel in one list only"
            )

    def allows(self, channel: Channel | None) -> bool:
        """True unless the customer opted out of ``channel`` (``None``, a touch without a channel, is allowed).

        Raises:
            UnknownNameError: ``channel`` names no :class:`Channel`.
        """
        return channel is None or Channel.parse(channel) not in self.opted_out

    def is_quiet(self, day: date) -> bool:
        """True when ``day`` is a quiet day."""
        if day.__class__ is not date:
            _checks.a_date("day", day)
        return Weekday(day.weekday()) in self.quiet_days

    def next_allowed(self, day: date, *, holidays: Collection[date] = frozenset()) -> date:
        """Return ``day`` or the first later day that is neither quiet nor one of ``holidays`` (the vendor's days
        off).

        Raises:
            InvalidValueError: no day is allowed before the end of the calendar (9999-12-31).
            InvalidTypeError: ``holidays`` is not a collection of dates.
        """
        off = _checks.days("holidays", holidays)
        while self.is_quiet(day) or day in off:
            if day == date.max:
                raise InvalidValueError(
                    "has no allowed day after it", field="day", value=day,
                    constraint="the next allowed day must be a date by 9999-12-31", hint="pass a real date",
                )
            day += timedelta(days=1)
        return day


def _flag(field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidTypeError("expected True or False", field=field, value=value, hint="pass a bool")
    return value


def _max_touches(value: Any) -> int:
    n = _checks.count("max_touches", value)
    if n < 1:
        raise InvalidValueError(
            "would forbid every touch",
            field="max_touches",
            value=value,
            constraint="must be >= 1",
            hint="use ContactPreferences(opted_out=...) to stop touches on a channel",
        )
    return n


@attrs.frozen
class FrequencyCap:
    """At most ``max_touches`` touches per account per ``period`` (alerts and scheduled touches alike).

    When a period is over its cap, the least important touches are suppressed first: scheduled touches before
    alerts, then by rank, then the latest.

    Raises:
        InvalidValueError: ``max_touches`` below 1.

    Examples:
        >>> FrequencyCap(3).describe()
        'at most 3 touches per week'
    """

    __repr__ = readable
    max_touches: int = attrs.field(converter=_max_touches)
    period: Period = attrs.field(default=Period.WEEK, converter=_period)
    count_automated: bool = attrs.field(default=True, validator=_checks.validator(_flag))

    def describe(self) -> str:
        """Return the cap in words."""
        what = "touches" if self.count_automated else "personal touches"
        return f"at most {self.max_touches} {what} per {self.period.value}"


DEFAULT_CAPS: Final[Mapping[Segment, tuple[FrequencyCap, ...]]] = freeze(
    {
        Segment.ENTERPRISE: (FrequencyCap(4),),
        Segment.MID_MARKET: (FrequencyCap(4),),
        Segment.SMB: (FrequencyCap(3),),
        Segment.PRODUCT_LED: (FrequencyCap(3),),
    }
)
"""Frequency caps per segment, per ISO week (a proposal to "avoid over-communication": the seeds give no number):
the busiest week of the segment's default cadence (ENTERPRISE 3, MID_MARKET 3, SMB 2, PRODUCT_LED 2 touches) plus
room for one trigger touch."""


def caps_for(segment: Segment | str) -> tuple[FrequencyCap, ...]:
    """Return the default caps of a segment.

    Examples:
        >>> caps_for("smb")
        (FrequencyCap(max_touches=3),)
    """
    return DEFAULT_CAPS[Segment.parse(segment)]
