"""The renewal timeline of a contract: every milestone with its due date, and its status on any date."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Final

import attrs

from postsale import _checks
from postsale._errors import (
    DefinitionError,
    InvalidTypeError,
    InvalidValueError,
    OutOfOrderError,
    Problem,
    UnknownNameError,
)
from postsale._frozen import unchecked
from postsale._repr import readable
from postsale._vocabulary import HealthBand, Segment
from postsale.renewal._contract import Contract
from postsale.renewal._dates import _positive, add_months
from postsale.renewal._playbook import Playbook, playbook_for
from postsale.renewal._runway import DEFAULT_WIDENING, Runway, RunwayWidening
from postsale.renewal._status import AFTER_RENEWAL, BEFORE_RUNWAY, CompletedMilestone, MilestoneDue, RenewalStatus

__all__ = [
    "EARLY_START",
    "FiscalYear",
    "RenewalTimeline",
    "renewal_timeline",
    "term_milestone_dates",
]

EARLY_START: Final = "early_start"
"""Milestone added when the runway is widened (at-risk health) or anchored to the buyer's budget quarter."""

_ONE_DAY = timedelta(days=1)


def _month(field: str, value: Any, top: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= top:
        raise InvalidValueError(
            "is out of range", field=field, value=value, constraint=f"a whole number 1..{top}", hint=f"pass 1..{top}"
        )
    return value


@attrs.frozen
class FiscalYear:
    """The buyer's fiscal year and the quarter in which it sets next year's budget.

    The renewal should start before that quarter, so the renewal price is in the budget being set.

    Args:
        first_month: Month the fiscal year starts (1 = January, 4 = April ...).
        budget_quarter: Quarter of the fiscal year (1-4) in which the budget is set.
        lead_days: Start this many days before the quarter begins (default 0: by its first day).

    Examples:
        >>> FiscalYear(first_month=4, budget_quarter=4).budget_quarter_start(date(2027, 9, 30))
        datetime.date(2027, 1, 1)
    """

    __repr__ = readable
    first_month: int = attrs.field(validator=lambda _i, a, v: _month(a.name, v, 12))
    budget_quarter: int = attrs.field(validator=lambda _i, a, v: _month(a.name, v, 4))
    lead_days: int = attrs.field(default=0, validator=_checks.validator(_checks.count))

    def budget_quarter_start(self, on_or_before: date) -> date:
        """Return the first day of the latest budget quarter starting on or before ``on_or_before``."""
        _checks.a_date("on_or_before", on_or_before)
        month = (self.first_month - 1 + 3 * (self.budget_quarter - 1)) % 12 + 1
        start = date(on_or_before.year, month, 1)
        return start if start <= on_or_before else add_months(start, -12)


def _to_milestones(value: Any) -> tuple[MilestoneDue, ...]:
    return _checks.items("milestones", value, MilestoneDue)


def _to_text_tuple(value: Any) -> tuple[str, ...]:
    return _checks.items("reasons", value, str)


def _to_segment(value: Any) -> Segment:
    return Segment.parse(value)


@attrs.frozen
class RenewalTimeline:
    """Every milestone of one renewal with its due date, and the dates that decide its status.

    Build it with :func:`renewal_timeline`; ask :meth:`status` on any date.

    Attributes:
        account_id: The account.
        segment: The contract's segment.
        playbook: Name of the playbook used.
        renewal_date: T-0 (the contract's end).
        runway_start: First day of the runway (possibly widened / anchored, see ``reasons``; for a contract that
            renews by itself, moved back by its notice period so that it ends with the notice window).
        latest_start: Latest start: the customer conversation must have begun by this day.
        danger_zone_start: First day of the danger zone.
        confirm_by: The renewal should be confirmed by this day (success criterion).
        milestones: Milestones with due dates, in time order.
        conversation: Name of the conversation milestone.
        confirmation: Name of the confirmation milestone.
        notice_last_day: For a contract that renews by itself unless notice is given, the last day notice can be
            given (T-0 without a notice period); ``None`` for a renewal that needs a decision. The status of an
            auto-renewal follows this window rather than the manual runway.
        touch_ramp_start: First day of the touch-frequency ramp.
        touch_ramp_end: Last day of the touch-frequency ramp.
        reasons: Why the runway starts earlier than the playbook's (empty when it does not).

    Examples:
        >>> c = Contract.from_term("acme", "MID_MARKET", date(2026, 7, 1), term_months=12, acv=40000)
        >>> timeline = renewal_timeline(c)
        >>> timeline.runway_start, timeline.latest_start, timeline.milestone("proposal").due
        (datetime.date(2027, 4, 1), datetime.date(2027, 5, 1), datetime.date(2027, 5, 1))
    """

    __repr__ = readable
    account_id: str = attrs.field(validator=_checks.validator(_checks.text))
    segment: Segment = attrs.field(converter=_to_segment)
    playbook: str = attrs.field(validator=_checks.validator(_checks.text))
    renewal_date: date = attrs.field(validator=_checks.validator(_checks.a_date))
    runway_start: date = attrs.field(validator=_checks.validator(_checks.a_date))
    latest_start: date = attrs.field(validator=_checks.validator(_checks.a_date))
    danger_zone_start: date = attrs.field(validator=_checks.validator(_checks.a_date))
    confirm_by: date = attrs.field(validator=_checks.validator(_checks.a_date))
    milestones: tuple[MilestoneDue, ...] = attrs.field(converter=_to_milestones)
    conversation: str = attrs.field(validator=_checks.validator(_checks.text))
    confirmation: str = attrs.field(validator=_checks.validator(_checks.text))
    notice_last_day: date | None = attrs.field(default=None, validator=_checks.optional_validator(_checks.a_date))
    reasons: tuple[str, ...] = attrs.field(default=(), converter=_to_text_tuple)
    touch_ramp_start: date | None = attrs.field(default=None, validator=_checks.optional_validator(_checks.a_date))
    touch_ramp_end: date | None = attrs.field(default=None, validator=_checks.optional_validator(_checks.a_date))

    def __attrs_post_init__(self) -> None:
        names = [m.name for m in self.milestones]
        problems = [
            Problem(f"$.{field}", f"names no milestone: {getattr(self, field)!r} (known: {names})")
            for field in ("conversation", "confirmation")
            if getattr(self, field) not in names
        ]
        if problems:
            raise DefinitionError("renewal timeline is inconsistent", problems, hint="build it with renewal_timeline()")

    def milestone(self, name: str) -> MilestoneDue:
        """Return the milestone called ``name``.

        Raises:
            UnknownNameError: no such milestone.
        """
        for m in self.milestones:
            if m.name == name:
                return m
        raise self._unknown("milestone", name)

    def _unknown(self, field: str, name: object) -> UnknownNameError:
        known = ", ".join(m.name for m in self.milestones)
        return UnknownNameError(
            "is not a milestone of this timeline",
            field=field,
            value=name,
            constraint=f"one of {known}",
            hint=f"use one of {known}",
        )

    @property
    def runway(self) -> Runway:
        """The day thresholds (T-N) the status follows from: runway start, first milestone, latest start and
        danger zone.

        Examples:
            >>> c = Contract.from_term("shop", "SMB", date(2026, 10, 1), term_months=12, acv=8000)
            >>> renewal_timeline(c, health="RED").runway
            Runway(start_days=180, overdue_days=180, latest_start_days=30, danger_zone_days=30)
        """
        renewal = self.renewal_date
        notice = self.notice_last_day
        return Runway(
            start_days=(renewal - self.runway_start).days,
            overdue_days=max((m.days_before for m in self.milestones), default=0),
            latest_start_days=(renewal - self.latest_start).days,
            danger_zone_days=(renewal - self.danger_zone_start).days,
            notice_days=None if notice is None else max((renewal - notice).days, 0),
        )

    def _completed(self, as_of: date, completed: Mapping[str, date] | None) -> dict[str, date]:
        if completed is None:
            return {}
        if not isinstance(completed, Mapping):
            raise InvalidTypeError(
                "expected a mapping of milestone name to completion date",
                field="completed",
                value=completed,
                hint='pass {"internal_prep": date(2027, 1, 5)}',
            )
        names = {m.name for m in self.milestones}
        result: dict[str, date] = {}
        for name, on in completed.items():
            if name not in names:
                raise self._unknown("completed", name)
            field = f"completed[{name!r}]"
            _checks.a_date(field, on)
            if on > as_of:
                raise OutOfOrderError(
                    "is after the as-of date",
                    field=field,
                    value=on,
                    constraint=f"a milestone completed by {as_of.isoformat()} is dated on or before it",
                    hint="ask the status on a later date, or correct the completion date",
                )
            result[name] = on
        return result

    def status(
        self, as_of: date, completed: Mapping[str, date] | None = None, *, recorded: bool = True
    ) -> RenewalStatus:
        """Return the status on ``as_of`` given the milestones ``completed`` (name -> date done).

        A milestone counts as done when it, or any later milestone, is completed (a signed contract
        means the proposal happened). A milestone due on ``as_of`` is not overdue yet.

        Two situations look alike and are not: milestones tracked and none done yet (``completed`` empty or left
        out: a milestone past its date is overdue, no conversation by the latest start is a late start), and no
        renewal activity recorded at all (``recorded=False``: nothing says what was done, so nothing is judged
        overdue nor late; the status is NOT_RECORDED once the runway started, and says so). The danger zone and
        the lapse follow the calendar in both.

        A contract that renews by itself (:attr:`notice_last_day` set) follows its notice window rather than the
        manual runway: no late start, danger zone nor lapse, and CONFIRMED from the day after the window closes.

        Args:
            as_of: The date to judge on.
            completed: Milestones done by ``as_of``, with the date each was done.
            recorded: Whether the account's renewal activity is recorded (keyword-only; default True).

        Raises:
            UnknownNameError: a completed name is not a milestone of this timeline.
            OutOfOrderError: a completion date is after ``as_of``.
            InvalidTypeError: ``as_of`` or a completion date is not a date, or ``recorded`` not a bool.
            InvalidValueError: milestones ``completed`` while ``recorded=False``.

        Examples:
            >>> c = Contract.from_term("acme", "ENTERPRISE", date(2026, 7, 1), term_months=12, acv=120000)
            >>> timeline = renewal_timeline(c, health="GREEN")
            >>> timeline.status(date(2027, 3, 31)).state, timeline.status(date(2027, 3, 31), recorded=False).state
            (<RenewalState.LATE_START: 5>, <RenewalState.NOT_RECORDED: 3>)
        """
        _checks.a_date("as_of", as_of)
        if not isinstance(recorded, bool):
            raise InvalidTypeError("expected True or False", field="recorded", value=recorded, hint="pass a bool")
        if not recorded and completed:
            raise InvalidValueError(
                "lists milestones done although no renewal activity is recorded", field="completed",
                value=dict(completed) if isinstance(completed, Mapping) else completed,
                constraint="recorded=False means no milestone information at all",
                hint="pass the milestones done with recorded=True, or leave them out with recorded=False",
            )
        done = self._completed(as_of, completed)
        # earliest completion of this milestone or any later one ("done or superseded")
        done_by: list[date | None] = []
        running: date | None = None
        for m in reversed(self.milestones):
            on = done.get(m.name)
            if on is not None and (running is None or on < running):
                running = on
            done_by.append(running)
        done_by.reverse()
        index = {m.name: i for i, m in enumerate(self.milestones)}
        started = done_by[index[self.conversation]]
        confirmed = done_by[index[self.confirmation]]
        notice = self.notice_last_day
        settled = date.max
        if notice is not None and as_of > notice:  # the auto-renewal's notice window closed: it renews by itself
            settled = notice + _ONE_DAY
            confirmed = settled if confirmed is None else min(confirmed, settled)

        overdue = tuple(  # a milestone due once the contract has renewed by itself is not work left undone
            m for m, d in zip(self.milestones, done_by, strict=True)
            if recorded and d is None and m.due < as_of and m.due < settled
        )
        upcoming = [m for m, d in zip(self.milestones, done_by, strict=True) if d is None and m.due >= as_of]
        days = (self.renewal_date - as_of).days
        runway = self.runway
        flags = runway.flags(
            days,
            overdue=bool(overdue),
            started=started is not None and started <= self.latest_start,
            confirmed=confirmed is not None,
            recorded=recorded,
        )
        state = runway.state(days, flags=flags, confirmed=confirmed is not None)

        if as_of > self.renewal_date:
            phase = AFTER_RENEWAL
        else:
            due = [m.name for m in self.milestones if m.due <= as_of]
            phase = due[-1] if due else BEFORE_RUNWAY
        nxt = upcoming[0] if upcoming else None
        # Every value is checked (as_of, the completion dates) or derived from this timeline's: built unchecked.
        return unchecked(
            RenewalStatus,
            self.account_id, as_of, self.renewal_date, days, state, flags, phase, nxt,
            None if nxt is None else (nxt.due - as_of).days, overdue,
            tuple(unchecked(CompletedMilestone, m.name, done[m.name])
                  for m in self.milestones if m.name in done),
            started, confirmed, self.latest_start, self.danger_zone_start,
            self.touch_ramp_start is not None and self.touch_ramp_end is not None
            and self.touch_ramp_start <= as_of <= self.touch_ramp_end,
            recorded, self.runway_start, notice,
        )  # fmt: skip

    def explain(self) -> list[str]:
        """Return the timeline as plain sentences, one per milestone.

        Examples:
            >>> from postsale.renewal import Contract, renewal_timeline
            >>> c = Contract.from_term("acme", "SMB", date(2026, 7, 1), term_months=12, acv=9000)
            >>> renewal_timeline(c).explain()[1]
            'T-60 2027-05-01 renewal_offer: automated renewal offer and reminder.'
        """
        lines = [
            f"Renewal of {self.account_id} on {self.renewal_date.isoformat()} ({self.playbook} playbook): "
            f"runway from {self.runway_start.isoformat()}, conversation by {self.latest_start.isoformat()}."
        ]
        lines += [f"T-{m.days_before} {m.due.isoformat()} {m.name}: {m.description}." for m in self.milestones]
        lines += list(self.reasons)
        if self.notice_last_day is not None:
            lines.append(f"Last day to give notice against the auto-renewal: {self.notice_last_day.isoformat()}.")
            lines.append(
                "The contract renews by itself: its status follows the notice window (no late start, danger zone "
                "nor lapse), confirmed once the window closes without notice."
            )
        return lines


def _room_before(renewal: date, days: int) -> None:
    """Refuse a renewal date too close to the start of the calendar for its runway (``days`` before it)."""
    if renewal.toordinal() - days < 1:
        raise InvalidValueError(
            "leaves no room for the renewal runway", field="contract_end", value=renewal,
            constraint=f"the runway starts up to {days} days before it, which must be on or after 0001-01-01",
            hint="pass the contract's real dates",
        )


def renewal_timeline(
    contract: Contract,
    *,
    playbook: Playbook | None = None,
    playbooks: Mapping[Segment, Playbook] | None = None,
    health: HealthBand | None = None,
    widening: RunwayWidening | None = DEFAULT_WIDENING,
    fiscal_year: FiscalYear | None = None,
) -> RenewalTimeline:
    """Return the renewal timeline of ``contract``: every milestone of its playbook with its due date.

    The runway starts earlier (an ``early_start`` milestone is added) when the account's ``health`` is in
    ``widening.bands`` (red starts at T-180 whatever the segment), or when the buyer's ``fiscal_year`` sets
    its budget in a quarter that begins before the playbook's runway start, or when the contract renews by
    itself (``contract.auto_renew``) with a notice period: its notice window ends on
    :attr:`RenewalTimeline.notice_last_day` (T-``notice_days``; T-0 without a notice period) and the runway is
    moved back by the notice period, so that it ends when the customer's last day to give notice does.

    Args:
        contract: The contract whose end is the renewal date (T-0).
        playbook: The playbook to use (default: the segment's from ``playbooks``).
        playbooks: Playbooks per segment (default :data:`DEFAULT_PLAYBOOKS`).
        health: The account's health band, if known.
        widening: When and how far to widen the runway (``None`` never widens).
        fiscal_year: Anchor the start to the buyer's budget quarter.

    Raises:
        InvalidTypeError: ``contract`` is not a :class:`Contract`.
        UnknownNameError: the segment has no playbook.

    Examples:
        >>> c = Contract.from_term("acme", "ENTERPRISE", date(2026, 7, 1), term_months=12, acv=120000)
        >>> [m.due.isoformat() for m in renewal_timeline(c).milestones]
        ['2027-01-01', '2027-03-02', '2027-04-01', '2027-05-01', '2027-05-31', '2027-06-30']
    """
    if not isinstance(contract, Contract):
        raise InvalidTypeError("expected a Contract", field="contract", value=contract, hint="pass a Contract")
    pb = playbook if playbook is not None else playbook_for(contract.segment, playbooks)
    if not isinstance(pb, Playbook):
        raise InvalidTypeError("expected a Playbook", field="playbook", value=pb, hint="pass a Playbook")
    band = None if health is None else HealthBand.parse(health, field="health")
    if widening is not None:
        _checks.instance("widening", widening, RunwayWidening, hint="pass a RunwayWidening, or None")
    if fiscal_year is not None:
        _checks.instance("fiscal_year", fiscal_year, FiscalYear, hint="pass FiscalYear(first_month=..., ...)")
    renewal = contract.end
    _room_before(renewal, max((pb.runway_days, *pb.offsets, 366 + (fiscal_year.lead_days if fiscal_year else 0))))
    milestones = [  # a playbook's milestones are checked (but a description), the due dates in the calendar
        unchecked(MilestoneDue, m.name, m.days_before, renewal - timedelta(days=m.days_before),
                 m.description) if m.description.__class__ is str
        else MilestoneDue(m.name, m.days_before, renewal - timedelta(days=m.days_before), m.description)
        for m in pb.milestones
    ]
    start_days = Runway.of(pb, health=band, widening=widening).start_days
    reasons: list[str] = []
    if band is not None and start_days != pb.runway_days:
        reasons.append(f"Runway widened to T-{start_days} because health is {band.name}.")
    notice = None
    if contract.auto_renew:
        _room_before(renewal, start_days + contract.notice_days)
        notice = renewal - timedelta(days=contract.notice_days)
        if contract.notice_days:
            start_days += contract.notice_days
            reasons.append(
                f"Runway moved back {contract.notice_days} days to T-{start_days}: the contract renews by itself "
                f"unless notice is given by {notice.isoformat()}."
            )
    if fiscal_year is not None:
        quarter = fiscal_year.budget_quarter_start(renewal)
        anchored = (renewal - quarter).days + fiscal_year.lead_days
        if anchored > start_days:
            start_days = anchored
            reasons.append(
                f"Runway anchored to the buyer's budget quarter starting {quarter.isoformat()}: start at T-{anchored}."
            )
    first = pb.milestones[0].days_before
    if reasons and start_days > first:
        what = "; ".join(r.rstrip(".") for r in reasons)
        milestones.insert(0, MilestoneDue(EARLY_START, start_days, renewal - timedelta(days=start_days), what))
    # The contract and the playbook are checked (the playbook's conversation and confirmation name milestones of
    # it), the dates are in the calendar (_room_before): the timeline is built unchecked.
    return unchecked(
        RenewalTimeline,
        contract.account_id, contract.segment, pb.name, renewal, renewal - timedelta(days=start_days),
        renewal - timedelta(days=pb.latest_start_days), renewal - timedelta(days=pb.danger_zone_days),
        renewal - timedelta(days=pb.confirm_days_before), tuple(milestones), pb.conversation, pb.confirmation,
        notice, tuple(reasons), renewal - timedelta(days=pb.touch_ramp[0]), renewal - timedelta(days=pb.touch_ramp[1]),
    )  # fmt: skip


_ENTERPRISE_OFFSETS: Final = (180, 120, 90, 60, 30, 0)
_ENTERPRISE_DELTAS: Final = tuple(timedelta(days=n) for n in _ENTERPRISE_OFFSETS)
_DAYS_IN_MONTH: Final = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@lru_cache(maxsize=64)
def _deltas(offsets: tuple[int, ...]) -> tuple[timedelta, ...]:
    for i, n in enumerate(offsets):
        if _checks.count(f"offsets[{i}]", n) > _MAX_OFFSET_DAYS:
            raise InvalidValueError(
                "is too far before the renewal", field=f"offsets[{i}]", value=n,
                constraint=f"a milestone is at most {_MAX_OFFSET_DAYS} days before the renewal date",
                hint="pass T-N offsets in days, e.g. (180, 120, 90)",
            )
    return tuple(timedelta(days=n) for n in offsets)


_MAX_OFFSET_DAYS: Final = 3660
"""Earliest milestone offset accepted (10 years before the renewal date)."""


def _offsets(value: Any) -> tuple[int, ...]:
    """``value`` as a tuple of ints, the key of the :func:`_deltas` cache (an unhashable ``Decimal('sNaN')`` or
    list never reaches it: anything but an int is refused first, naming its position)."""
    given = _checks.items("offsets", value)
    if not all(type(n) is int for n in given):
        for i, n in enumerate(given):
            _checks.count(f"offsets[{i}]", n)
    return given


def term_milestone_dates(
    start: date, term_months: int, offsets: tuple[int, ...] = _ENTERPRISE_OFFSETS
) -> tuple[date, ...]:
    """Return the milestone dates of the renewal ending a ``term_months`` term that starts on ``start``.

    The scalar fast path (about 1 µs for six dates): T-0 is ``start + term_months`` months minus one day,
    each milestone T-N is N days before it. Equal to dateutil on every date (the benchmark checks 1 M rows).

    Args:
        start: First day of the term (its anchor).
        term_months: Term length in months (>= 1).
        offsets: The T-N of each milestone, a tuple (default the enterprise T-180 ... T-0).

    Raises:
        InvalidTypeError: ``start`` not a date, ``term_months`` or an offset not a whole number.
        InvalidValueError: ``term_months`` zero or negative, a negative offset.

    Examples:
        >>> term_milestone_dates(date(2026, 7, 1), 12)[-1]
        datetime.date(2027, 6, 30)
    """
    if type(start) is not date or type(term_months) is not int or term_months <= 0:
        _checks.a_date("start", start)
        _positive("term_months", term_months)
    m = start.month - 1 + term_months
    year = start.year + m // 12
    if year > date.max.year:
        raise InvalidValueError(
            "ends after 9999", field="term_months", value=term_months,
            constraint=f"a term starting {start.isoformat()} must end by 9999-12-31", hint="pass the real term",
        )
    month = m % 12 + 1
    day = start.day
    if day > 28:
        last = _DAYS_IN_MONTH[month]
        if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
            last = 29
        day = min(day, last)
    end = date(year, month, day) - _ONE_DAY
    deltas = _ENTERPRISE_DELTAS if offsets is _ENTERPRISE_OFFSETS else _deltas(_offsets(offsets))
    if deltas and end.toordinal() - max(deltas).days < 1:
        raise InvalidValueError(
            "leaves no room for the milestones", field="start", value=start,
            constraint="every milestone must fall on or after 0001-01-01", hint="pass the contract's real dates",
        )
    return tuple([end - delta for delta in deltas])
