"""Cadence plans: recurring and one-off touches, dated with ``dateutil``'s calendar arithmetic."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Final
from zoneinfo import ZoneInfo

import attrs

from postsale import _checks
from postsale._errors import DefinitionError, InvalidTypeError, InvalidValueError, Problem, UnknownNameError
from postsale._frozen import unchecked
from postsale._repr import readable
from postsale.cadence._channels import CHANNELS_BY_MESSAGE, Channel, MessageType, ValuePurpose
from postsale.cadence._touches import Source, Touch, flag, optional_channel, purposes, wall_time
from postsale.renewal import add_months

__all__ = ["DEFAULT_LOCAL_TIME", "Anchor", "Anchors", "CadenceItem", "CadencePlan", "Recurrence", "Unit", "Window"]

DEFAULT_LOCAL_TIME: Final = time(10, 0)
"""Local time of day of a scheduled touch when a plan does not say (a proposal: mid-morning in the account's zone)."""


class Unit(enum.Enum):
    """The unit of a recurrence. Months and years are calendar months from the anchor.

    Examples:
        >>> Recurrence(Unit.MONTH, 3).describe(), Recurrence("week").unit
        ('every 3 months', <Unit.WEEK: 'week'>)
    """

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


MAX_WINDOW_DAYS: Final = 3660
"""Longest window touches are generated for (10 years): a plan's dates are bounded work, whatever the window."""

_STEP_DAYS: Final = {Unit.DAY: 1, Unit.WEEK: 7}


class Anchor(enum.Enum):
    """The date a plan item counts from.

    Examples:
        >>> item = CadenceItem("t-30", "Renewal call", "complex_topic", anchor="renewal_date", offset_days=-30)
        >>> item.anchor, item.first_date(date(2026, 12, 31))
        (<Anchor.RENEWAL_DATE: 'renewal_date'>, datetime.date(2026, 12, 1))
    """

    CONTRACT_START = "contract_start"
    """Day 0 = contract start ("Day N" counts from signature)."""
    RENEWAL_DATE = "renewal_date"
    """T-0 = the renewal date (the snapshot's ``contract_end``); offsets are negative before it."""
    STAGE_ENTRY = "stage_entry"
    """The day the account entered its current journey stage (for stage plans)."""


def _interval(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError("expected a whole number", field="interval", value=value, hint="pass an int >= 1")
    if value < 1:
        raise InvalidValueError(
            "is not a usable cadence interval",
            field="interval",
            value=value,
            constraint="must be >= 1 (every 1, 2, 3 ... units)",
            hint="use interval=1 for every unit, or drop the item to stop the touch",
        )
    return value


def _unit(value: Any) -> Unit:
    return _checks.member(Unit, "unit", value)


@attrs.frozen
class Recurrence:
    """Every ``interval`` ``unit`` (every 2 weeks = ``Recurrence(Unit.WEEK, 2)``).

    Raises:
        InvalidValueError: ``interval`` below 1 (a cadence with zero interval never advances).

    Examples:
        >>> Recurrence(Unit.WEEK, 2).describe()
        'every 2 weeks'
    """

    __repr__ = readable
    unit: Unit = attrs.field(converter=_unit)
    interval: int = attrs.field(default=1, converter=_interval)

    def describe(self) -> str:
        """Return the recurrence in words, e.g. ``"every month"``."""
        name = self.unit.name.lower()
        return f"every {name}" if self.interval == 1 else f"every {self.interval} {name}s"

    @property
    def approx_days(self) -> int:
        """Approximate period in days (a month counts 30, a year 365), for comparisons only."""
        return self.interval * {Unit.DAY: 1, Unit.WEEK: 7, Unit.MONTH: 30, Unit.YEAR: 365}[self.unit]


def _message_type(value: Any) -> MessageType:
    return MessageType.parse(value)


def _anchor(value: Any) -> Anchor:
    return _checks.member(Anchor, "anchor", value)


def _items(value: Any) -> tuple[CadenceItem, ...]:
    return _checks.items("items", value)  # item types are reported with every other problem (DefinitionError)


def _optional_recurrence(value: Any) -> Recurrence | None:
    if value is None or isinstance(value, Recurrence):
        return value
    raise InvalidTypeError("expected a Recurrence", field="recurrence", value=value, hint="pass Recurrence(Unit.WEEK)")


def _int(field: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError("expected a whole number", field=field, value=value, hint="pass an int")
    return value


@attrs.frozen
class CadenceItem:
    """One touch of a plan: what, how, why, and when (once, or recurring every so many days, weeks, months or years).

    The first occurrence is ``anchor + offset_months + offset_days``; a recurrence repeats it (month and year
    steps are computed from the anchor and clipped to month ends: anchored on 31 January, monthly touches fall on
    28/29 February, 31 March, 30 April ...). ``until_days`` (relative to the anchor, inclusive) ends it.

    Args:
        key: Unique name of the item in its plan (``"qbr"``).
        title: What the touch is, for the agenda (``"Quarterly business review"``).
        message_type: What it has to say; decides the channel.
        purposes: Its value purposes; a touch with none is flagged.
        recurrence: How it repeats; ``None`` for a one-off touch.
        anchor: The date it counts from.
        offset_days: Days from the anchor to the first occurrence (negative before a renewal date).
        offset_months: Calendar months from the anchor to the first occurrence (>= 0).
        until_days: Last day it may occur, in days from the anchor (inclusive), or ``None``.
        channel: A fixed channel; ``None`` chooses it by message type.
        automated: Sent without a CSM's one-to-one time (automated email, in-app, group session).
        rank: Importance among scheduled touches, 1 = most important (keeps its place under caps).
        optional: Only if relevant (e.g. the week-11 expansion conversation).

    Raises:
        InvalidValueError, InvalidTypeError, UnknownNameError: a bad field (named in the error).

    Examples:
        >>> qbr = CadenceItem("qbr", "Quarterly business review", "complex_topic", ["reinforce_value"],
        ...                   Recurrence(Unit.MONTH, 3), offset_months=3)
        >>> third_quarter = Window.quarter_of(date(2026, 7, 1))
        >>> qbr.default_channel, [d.isoformat() for d in qbr.dates(date(2026, 1, 31), third_quarter)]
        (<Channel.VIDEO_CALL: 'video_call'>, ['2026-07-31'])
    """

    __repr__ = readable
    key: str = attrs.field(validator=_checks.validator(_checks.text))
    title: str = attrs.field(validator=_checks.validator(_checks.text))
    message_type: MessageType = attrs.field(converter=_message_type)
    purposes: frozenset[ValuePurpose] = attrs.field(factory=frozenset, converter=purposes)
    recurrence: Recurrence | None = attrs.field(default=None, converter=_optional_recurrence)
    anchor: Anchor = attrs.field(default=Anchor.CONTRACT_START, converter=_anchor)
    offset_days: int = attrs.field(default=0, validator=_checks.validator(_int))
    offset_months: int = attrs.field(default=0, validator=_checks.validator(_checks.count))
    until_days: int | None = attrs.field(default=None, validator=_checks.optional_validator(_int))
    channel: Channel | None = attrs.field(default=None, converter=optional_channel)
    automated: bool = attrs.field(default=False, validator=_checks.validator(flag))
    rank: int = attrs.field(default=5, validator=_checks.validator(_checks.count))
    optional: bool = attrs.field(default=False, validator=_checks.validator(flag))

    @property
    def default_channel(self) -> Channel:
        """The channel this item uses before preferences: the fixed one, else the message type's best."""
        return self.channel if self.channel is not None else CHANNELS_BY_MESSAGE[self.message_type][0]

    def first_date(self, anchor: date) -> date:
        """Return the date of the first occurrence for an anchor date.

        Examples:
            >>> item = CadenceItem("value", "Monthly value touch", "quick_update", offset_months=3)
            >>> item.first_date(date(2026, 1, 31))
            datetime.date(2026, 4, 30)
        """
        _checks.a_date("anchor", anchor)
        try:
            return add_months(anchor + timedelta(days=self.offset_days), self.offset_months)
        except (OverflowError, InvalidValueError):
            raise _off_calendar(self, anchor) from None

    def dates(self, anchor: date, window: Window) -> tuple[date, ...]:
        """Return the dates of this item's occurrences inside ``window`` for an anchor date (deterministic).

        Examples:
            >>> item = CadenceItem("value", "Monthly value touch", "quick_update", recurrence=Recurrence(Unit.MONTH))
            >>> [d.isoformat() for d in item.dates(date(2024, 1, 31), Window(date(2024, 1, 1), date(2024, 4, 30)))]
            ['2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30']
        """
        _checks.a_date("anchor", anchor)
        _checks.instance("window", window, Window, hint="pass Window(start, end)")
        if (window.end - window.start).days >= MAX_WINDOW_DAYS:
            raise InvalidValueError(
                "is too long", field="window", value=window,
                constraint=f"touches are generated for at most {MAX_WINDOW_DAYS} days at a time",
                hint="ask for the touches of shorter windows, one after the other",
            )
        try:
            base = anchor + timedelta(days=self.offset_days)
            first = add_months(base, self.offset_months)
        except (OverflowError, InvalidValueError):
            raise _off_calendar(self, anchor) from None
        last = window.end
        if self.until_days is not None:
            until = anchor.toordinal() + self.until_days
            if until < window.start.toordinal():
                return ()
            last = min(last, date.fromordinal(until) if until <= date.max.toordinal() else last)
        if self.recurrence is None:
            return (first,) if window.start <= first <= last else ()
        rec = self.recurrence
        return _occurrences(rec.unit, rec.interval, base, self.offset_months, window.start, last)


def _off_calendar(item: CadenceItem, anchor: date) -> InvalidValueError:
    return InvalidValueError(
        "leaves the calendar", field="anchor", value=anchor,
        constraint=f"item {item.key!r} falls {item.offset_months} month(s) and {item.offset_days} day(s) from it, "
        "which must be a date between 0001-01-01 and 9999-12-31",
        hint="pass the account's real anchor date",
    )


@lru_cache(maxsize=65536)
def _occurrences(unit: Unit, interval: int, base: date, months: int, start: date, last: date) -> tuple[date, ...]:
    """Dates of the recurrence from ``base + months`` between ``start`` and ``last`` (inclusive); memoised (pure).

    Days and weeks are fixed steps from the first date. Months and years are counted from ``base`` (whose day is the
    nominal day: the 31st stays the 31st where the month has one) and clipped to the month's end, never stepped from
    a clipped date; RFC 5545's rrule would skip the short months instead (the test suite checks these dates against
    ``dateutil.rrule`` with the clipping spelled out).
    """
    first = add_months(base, months)
    if last < first or last < start:
        return ()
    if unit in _STEP_DAYS:
        step = _STEP_DAYS[unit] * interval
        if first < start:  # the first step on or after the window's start
            first += timedelta(days=-(-(start - first).days // step) * step)
        return tuple(first + timedelta(days=k * step) for k in range((last - first).days // step + 1))
    step_months = interval * (12 if unit is Unit.YEAR else 1)
    behind = (start.year - first.year) * 12 + start.month - first.month
    k = max(0, behind // step_months - 1)  # from one step before the window's month
    found = []
    while True:
        try:
            day = add_months(base, months + k * step_months)
        except InvalidValueError:  # past 9999: nothing later
            break
        if day > last:
            break
        if day >= start:
            found.append(day)
        k += 1
    return tuple(found)


_QUARTER_END_DAYS: Final = {3: 31, 6: 30, 9: 30, 12: 31}
"""The last day of each quarter's last month (no leap day involved)."""


@attrs.frozen
class Window:
    """A date window, both ends inclusive, in the account's time zone.

    Raises:
        InvalidValueError: ``end`` before ``start``.

    Examples:
        >>> Window.quarter_of(date(2026, 5, 17))
        Window(start=2026-04-01, end=2026-06-30)
    """

    __repr__ = readable
    start: date = attrs.field(validator=_checks.validator(_checks.a_date))
    end: date = attrs.field(validator=_checks.validator(_checks.a_date))

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidValueError(
                "is before the window start",
                field="end",
                value=self.end,
                constraint=f"must be on or after start={self.start.isoformat()}",
                hint="swap the two dates, or pass Window.days(start, n)",
            )

    @classmethod
    def days(cls, start: date, days: int) -> Window:
        """Return the window of ``days`` days starting on ``start`` (``days`` >= 1).

        Raises:
            InvalidValueError: ``days`` below 1, or a window ending after 9999-12-31.
        """
        _checks.a_date("start", start)
        n = _checks.count("days", days)
        if n < 1:
            raise InvalidValueError("is empty", field="days", value=days, constraint="must be >= 1", hint="pass 7")
        if n - 1 > date.max.toordinal() - start.toordinal():
            raise InvalidValueError(
                "ends after 9999-12-31", field="days", value=days,
                constraint=f"start={start.isoformat()} plus {days} days must stay in the calendar",
                hint="pass a shorter window",
            )
        return cls(start, start + timedelta(days=n - 1))

    @classmethod
    def quarter_of(cls, day: date) -> Window:
        """Return the calendar quarter containing ``day`` (the last quarter of 9999 included).

        Raises:
            InvalidTypeError: ``day`` is not a date.

        Examples:
            >>> Window.quarter_of(date(9999, 12, 1))
            Window(start=9999-10-01, end=9999-12-31)
        """
        _checks.a_date("day", day)
        first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        last = first.month + 2  # the quarter's last month: its end never leaves the calendar
        return cls(first, date(day.year, last, _QUARTER_END_DAYS[last]))

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


@attrs.frozen
class Anchors:
    """The dates plan items count from, for one account (``None`` when unknown).

    Examples:
        >>> Anchors(contract_start=date(2026, 1, 7)).get(Anchor.CONTRACT_START, needed_by="welcome")
        datetime.date(2026, 1, 7)
    """

    __repr__ = readable
    contract_start: date | None = attrs.field(default=None, validator=_checks.optional_validator(_checks.a_date))
    renewal_date: date | None = attrs.field(default=None, validator=_checks.optional_validator(_checks.a_date))
    stage_entry: date | None = attrs.field(default=None, validator=_checks.optional_validator(_checks.a_date))

    def get(self, anchor: Anchor, *, needed_by: str) -> date:
        """Return the date of ``anchor``.

        Raises:
            InvalidValueError: the date is unknown (the error names the field and the item needing it).
        """
        anchor = _anchor(anchor)
        value: date | None = getattr(self, anchor.value)
        if value is None:
            field = "contract_end" if anchor is Anchor.RENEWAL_DATE else anchor.value
            raise InvalidValueError(
                "is unknown but the plan counts from it",
                field=field,
                value=None,
                constraint=f"plan item {needed_by!r} is anchored on {anchor.name}",
                hint=f"give the account a {field}, or use a plan without {anchor.name} items",
            )
        return value


@attrs.frozen
class CadencePlan:
    """A named set of cadence items, validated when built (every problem reported at once).

    Args:
        name: The plan's name.
        items: Its items (keys unique).
        local_time: Local time of day of its touches in the account's zone.

    Raises:
        DefinitionError: duplicate keys, a one-off item with ``until_days``, an item ending before it starts,
            a local time carrying its own time zone.

    Examples:
        >>> from postsale.cadence import segment_plan
        >>> from postsale import Segment
        >>> [item.key for item in segment_plan(Segment.SMB).items]
        ['monthly_email', 'quarterly_call', 'annual_review']
    """

    __repr__ = readable
    name: str = attrs.field(validator=_checks.validator(_checks.text))
    items: tuple[CadenceItem, ...] = attrs.field(converter=_items)
    local_time: time = attrs.field(default=DEFAULT_LOCAL_TIME)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if not isinstance(self.local_time, time) or self.local_time.tzinfo is not None:
            problems.append(Problem("$.local_time", "must be a naive time of day (the account's zone applies)"))
        seen: set[str] = set()
        for i, item in enumerate(self.items):
            where = f"$.items[{i}]"
            if not isinstance(item, CadenceItem):
                problems.append(Problem(where, f"expected a CadenceItem, got {type(item).__name__}"))
                continue
            if item.key in seen:
                problems.append(Problem(f"{where}.key", f"duplicate key {item.key!r}; keys must be unique"))
            seen.add(item.key)
            if item.until_days is not None:
                if item.recurrence is None:
                    problems.append(Problem(f"{where}.until_days", "a one-off item cannot have until_days"))
                elif item.offset_months == 0 and item.until_days < item.offset_days:
                    problems.append(
                        Problem(f"{where}.until_days", f"ends before it starts (offset_days={item.offset_days})")
                    )
        if problems:
            raise DefinitionError(
                f"cadence plan {self.name!r} is invalid", problems, hint="fix every item listed and build it again"
            )

    def item(self, key: str) -> CadenceItem:
        """Return the item called ``key``.

        Raises:
            UnknownNameError: no such item (the message lists the keys).
        """
        for item in self.items:
            if item.key == key:
                return item
        keys = ", ".join(i.key for i in self.items)
        raise UnknownNameError("is not an item of the plan", field="key", value=key, hint=f"one of {keys}")

    def combine(self, *others: CadencePlan, name: str | None = None) -> CadencePlan:
        """Return one plan with the items of this plan and ``others`` (keys must stay unique).

        Raises:
            DefinitionError: two plans share an item key.
        """
        items: list[CadenceItem] = list(self.items)
        for i, other in enumerate(others):
            items.extend(_checks.instance(f"others[{i}]", other, CadencePlan).items)
        if name is not None:
            _checks.text("name", name)
        label = name if name is not None else " + ".join([self.name, *(o.name for o in others)])
        return CadencePlan(label, tuple(items), self.local_time)

    def touchpoints(
        self, account_id: str, window: Window, anchors: Anchors, *, time_zone: str = "UTC"
    ) -> tuple[Touch, ...]:
        """Return the plan's dated touches for one account inside ``window``, sorted (no preferences applied).

        Args:
            account_id: The account.
            window: The dates wanted (in the account's zone).
            anchors: The account's anchor dates.
            time_zone: The account's IANA time zone; touches fall at :attr:`local_time` there (across DST).

        Raises:
            InvalidValueError: an anchor an item needs is unknown.
            UnknownNameError: an unknown time zone.

        Examples:
            >>> from postsale.cadence import onboarding_plan
            >>> window = Window.days(date(2026, 1, 7), 14)
            >>> touches = onboarding_plan().touchpoints("acme", window, Anchors(contract_start=date(2026, 1, 7)),
            ...                                         time_zone="Asia/Tokyo")
            >>> [(t.key, t.due_at.isoformat()) for t in touches]
            [('week_01', '2026-01-07T10:00:00+09:00'), ('week_02', '2026-01-14T10:00:00+09:00')]
        """
        zone = _checks.time_zone("time_zone", time_zone)
        _checks.text("account_id", account_id)
        _checks.instance("window", window, Window, hint="pass Window(start, end)")
        _checks.instance("anchors", anchors, Anchors, hint="pass Anchors(contract_start=...)")
        return tuple(sorted(_generate(self, account_id, window, anchors, zone), key=_sort_key))


def _sort_key(touch: Touch) -> tuple[datetime, int, int, str, str]:
    return touch.sort_key


def _generate(plan: CadencePlan, account_id: str, window: Window, anchors: Anchors, zone: ZoneInfo) -> Iterable[Touch]:
    at, name, scheduled = plan.local_time, plan.name, Source.SCHEDULED
    for item in plan.items:
        anchor = anchors.get(item.anchor, needed_by=item.key)
        channel = item.default_channel
        for day in item.dates(anchor, window):  # the plan's items are checked: no need to check them again
            yield unchecked(Touch, account_id, wall_time(day, at, zone), item.key, item.title, scheduled, channel,
                            item.message_type, item.purposes, item.rank, item.automated, item.optional, None, name)
