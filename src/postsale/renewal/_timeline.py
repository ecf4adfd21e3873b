"""The renewal timeline of a contract and its status on a date (domain-spec §3.2-§3.3, §3.7, DESIGN.md)."""

from __future__ import annotations

import enum
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
from postsale._vocabulary import HealthBand, Segment
from postsale.renewal._contract import Contract
from postsale.renewal._dates import _positive, add_months
from postsale.renewal._playbook import Playbook, playbook_for

__all__ = [
    "AFTER_RENEWAL",
    "AT_RISK_RUNWAY_DAYS",
    "BEFORE_RUNWAY",
    "DEFAULT_WIDENING",
    "EARLY_START",
    "CompletedMilestone",
    "FiscalYear",
    "MilestoneDue",
    "RenewalState",
    "RenewalStatus",
    "RenewalTimeline",
    "RunwayWidening",
    "StatusFlag",
    "renewal_timeline",
    "term_milestone_dates",
]

BEFORE_RUNWAY: Final = "before_runway"
"""Phase before the runway starts."""
AFTER_RENEWAL: Final = "after_renewal"
"""Phase after the renewal date."""
EARLY_START: Final = "early_start"
"""Milestone added when the runway is widened (at-risk health) or anchored to the buyer's budget quarter."""
AT_RISK_RUNWAY_DAYS: Final = 180
"""Runway for at-risk (red) accounts whatever the segment: the enterprise runway start T-180 (domain-spec
§3.2-§3.3); "a late renewal start is a choice, not an inevitability" (§3.7)."""

_ONE_DAY = timedelta(days=1)


@attrs.frozen
class RunwayWidening:
    """Start the runway at T-``runway_days`` for accounts whose health is in ``bands``.

    Args:
        bands: Health bands that widen the runway (default RED).
        runway_days: The widened runway start, days before renewal (default 180).
    """

    bands: frozenset[HealthBand] = attrs.field(default=frozenset({HealthBand.RED}), converter=frozenset)
    runway_days: int = attrs.field(default=AT_RISK_RUNWAY_DAYS, validator=_checks.validator(_checks.count))


DEFAULT_WIDENING: Final = RunwayWidening()
"""Red health starts the renewal at T-180 whatever the segment."""


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

    first_month: int = attrs.field(validator=lambda _i, a, v: _month(a.name, v, 12))
    budget_quarter: int = attrs.field(validator=lambda _i, a, v: _month(a.name, v, 4))
    lead_days: int = attrs.field(default=0, validator=_checks.validator(_checks.count))

    def budget_quarter_start(self, on_or_before: date) -> date:
        """Return the first day of the latest budget quarter starting on or before ``on_or_before``."""
        _checks.a_date("on_or_before", on_or_before)
        month = (self.first_month - 1 + 3 * (self.budget_quarter - 1)) % 12 + 1
        start = date(on_or_before.year, month, 1)
        return start if start <= on_or_before else add_months(start, -12)


@attrs.frozen
class MilestoneDue:
    """A milestone of a timeline with its due date.

    Attributes:
        name: Milestone name.
        days_before: N of T-N.
        due: The due date (renewal date - N days); done on time when completed on or before it.
        description: What happens.
    """

    name: str
    days_before: int
    due: date
    description: str = ""


@attrs.frozen
class CompletedMilestone:
    """A milestone marked done, and when."""

    name: str
    on: date


class RenewalState(enum.IntEnum):
    """Overall state of a renewal on a date, ordered by severity (CONFIRMED is the good end).

    With nothing completed the state only moves up as the date advances:
    UPCOMING -> ON_TRACK -> OVERDUE -> LATE_START -> DANGER_ZONE -> LAPSED.
    """

    CONFIRMED = 0
    UPCOMING = 1
    ON_TRACK = 2
    OVERDUE = 3
    LATE_START = 4
    DANGER_ZONE = 5
    LAPSED = 6


class StatusFlag(enum.Enum):
    """Problems a status can carry (several at once)."""

    OVERDUE = "overdue"
    """A milestone's due date passed without it (or a later one) being completed."""
    LATE_START = "late_start"
    """No customer conversation by the playbook's latest start (domain-spec §3.2, §3.7)."""
    DANGER_ZONE = "danger_zone"
    """Within the danger zone (30 days by default) of the renewal date and not confirmed (§3.7)."""
    LAPSED = "lapsed"
    """The renewal date passed without the renewal being confirmed."""


_FLAG_STATE = {
    StatusFlag.OVERDUE: RenewalState.OVERDUE,
    StatusFlag.LATE_START: RenewalState.LATE_START,
    StatusFlag.DANGER_ZONE: RenewalState.DANGER_ZONE,
    StatusFlag.LAPSED: RenewalState.LAPSED,
}


@attrs.frozen
class RenewalStatus:
    """Where a renewal stands on ``as_of``, with the evidence (see :meth:`explain`).

    Attributes:
        account_id: The account.
        as_of: The date of the status.
        renewal_date: T-0.
        days_to_renewal: Days from ``as_of`` to T-0 (negative once past).
        state: The worst applicable :class:`RenewalState`.
        flags: Every problem found.
        phase: The milestone whose period the calendar is in (latest due on or before ``as_of``), or
            ``"before_runway"`` / ``"after_renewal"``.
        next_milestone: The first milestone not completed and not yet due (due on or after ``as_of``).
        days_to_next: Days to :attr:`next_milestone` (0 = due today).
        overdue: Milestones past their due date and not done (nor superseded by a later completed one).
        completed: Milestones completed, in playbook order.
        conversation_started: The date the customer conversation started, if it did.
        confirmed_on: The date the renewal was confirmed, if it was.
        latest_start: The playbook's latest start date.
        danger_zone_start: First day of the danger zone.
        in_touch_ramp: Whether ``as_of`` is in the touch-frequency ramp (T-60..T-30 by default, I-23).
    """

    account_id: str
    as_of: date
    renewal_date: date
    days_to_renewal: int
    state: RenewalState
    flags: frozenset[StatusFlag]
    phase: str
    next_milestone: MilestoneDue | None
    days_to_next: int | None
    overdue: tuple[MilestoneDue, ...]
    completed: tuple[CompletedMilestone, ...]
    conversation_started: date | None
    confirmed_on: date | None
    latest_start: date
    danger_zone_start: date
    in_touch_ramp: bool = False

    @property
    def late_start(self) -> bool:
        """Whether the renewal started late (:attr:`StatusFlag.LATE_START`)."""
        return StatusFlag.LATE_START in self.flags

    @property
    def in_danger_zone(self) -> bool:
        """Whether the renewal is in the danger zone (:attr:`StatusFlag.DANGER_ZONE`)."""
        return StatusFlag.DANGER_ZONE in self.flags

    def explain(self) -> list[str]:
        """Return the status as plain sentences.

        Examples:
            >>> from postsale.renewal import Contract, renewal_timeline
            >>> c = Contract.from_term("acme", "ENTERPRISE", date(2026, 7, 1), term_months=12, acv=120000)
            >>> for line in renewal_timeline(c).status(date(2027, 3, 10)).explain():
            ...     print(line)
            On 2027-03-10 the renewal on 2027-06-30 is 112 days away (T-112); state LATE_START.
            Phase: customer_conversation.
            Overdue: internal_prep was due on 2027-01-01 (T-180), 68 days ago.
            Overdue: customer_conversation was due on 2027-03-02 (T-120), 8 days ago.
            Late start: no customer conversation by 2027-03-02, the latest start of the runway.
            Next milestone: proposal due on 2027-04-01, in 22 days.
        """
        n = self.days_to_renewal
        when = f"{n} days away (T-{n})" if n >= 0 else f"{-n} days past (T+{-n})"
        lines = [
            f"On {self.as_of.isoformat()} the renewal on {self.renewal_date.isoformat()} is {when}; "
            f"state {self.state.name}.",
            f"Phase: {self.phase}.",
        ]
        if self.confirmed_on is not None:
            lines.append(f"The renewal was confirmed on {self.confirmed_on.isoformat()}.")
        for m in self.overdue:
            lines.append(
                f"Overdue: {m.name} was due on {m.due.isoformat()} (T-{m.days_before}), "
                f"{(self.as_of - m.due).days} days ago."
            )
        if self.late_start:
            lines.append(
                f"Late start: no customer conversation by {self.latest_start.isoformat()}, the latest start "
                "of the runway."
            )
        if self.in_danger_zone:
            lines.append(
                f"Danger zone since {self.danger_zone_start.isoformat()}: close to the renewal date and not confirmed."
            )
        if StatusFlag.LAPSED in self.flags:
            lines.append("Lapsed: the renewal date passed without a confirmed renewal.")
        if self.in_touch_ramp:
            lines.append("Touch ramp: touches increase as the decision approaches.")
        if self.next_milestone is not None:
            m = self.next_milestone
            lines.append(f"Next milestone: {m.name} due on {m.due.isoformat()}, in {self.days_to_next} days.")
        return lines


def _to_milestones(value: Any) -> tuple[MilestoneDue, ...]:
    return _checks.items("milestones", value, MilestoneDue)


def _to_text_tuple(value: Any) -> tuple[str, ...]:
    return _checks.items("reasons", value, str)


@attrs.frozen
class RenewalTimeline:
    """Every milestone of one renewal with its due date, and the dates that decide its status.

    Build it with :func:`renewal_timeline`; ask :meth:`status` on any date.

    Attributes:
        account_id: The account.
        segment: The contract's segment.
        playbook: Name of the playbook used.
        renewal_date: T-0 (the contract's end).
        runway_start: First day of the runway (possibly widened / anchored, see ``reasons``).
        latest_start: Latest start: the customer conversation must have begun by this day.
        danger_zone_start: First day of the danger zone.
        confirm_by: The renewal should be confirmed by this day (success criterion, domain-spec §3.6, I-5).
        milestones: Milestones with due dates, in time order.
        conversation: Name of the conversation milestone.
        confirmation: Name of the confirmation milestone.
        notice_last_day: Last day to give notice, for auto-renewing contracts with a notice period.
        touch_ramp_start: First day of the touch-frequency ramp (domain-spec §3.9, I-23).
        touch_ramp_end: Last day of the touch-frequency ramp.
        reasons: Why the runway starts earlier than the playbook's (empty when it does not).
    """

    account_id: str
    segment: Segment
    playbook: str
    renewal_date: date
    runway_start: date
    latest_start: date
    danger_zone_start: date
    confirm_by: date
    milestones: tuple[MilestoneDue, ...] = attrs.field(converter=_to_milestones)
    conversation: str
    confirmation: str
    notice_last_day: date | None = None
    reasons: tuple[str, ...] = attrs.field(default=(), converter=_to_text_tuple)
    touch_ramp_start: date | None = None
    touch_ramp_end: date | None = None

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

    def status(self, as_of: date, completed: Mapping[str, date] | None = None) -> RenewalStatus:
        """Return the status on ``as_of`` given the milestones ``completed`` (name -> date done).

        A milestone counts as done when it, or any later milestone, is completed (a signed contract
        means the proposal happened). A milestone due on ``as_of`` is not overdue yet.

        Args:
            as_of: The date to judge on.
            completed: Milestones done by ``as_of``, with the date each was done.

        Raises:
            UnknownNameError: a completed name is not a milestone of this timeline.
            OutOfOrderError: a completion date is after ``as_of``.
            InvalidTypeError: ``as_of`` or a completion date is not a date.
        """
        _checks.a_date("as_of", as_of)
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

        overdue = tuple(m for m, d in zip(self.milestones, done_by, strict=True) if d is None and m.due < as_of)
        upcoming = [m for m, d in zip(self.milestones, done_by, strict=True) if d is None and m.due >= as_of]
        flags: set[StatusFlag] = set()
        if overdue:
            flags.add(StatusFlag.OVERDUE)
        if as_of > self.latest_start and (started is None or started > self.latest_start):
            flags.add(StatusFlag.LATE_START)
        if confirmed is None and as_of >= self.danger_zone_start:
            flags.add(StatusFlag.DANGER_ZONE)
        if confirmed is None and as_of > self.renewal_date:
            flags.add(StatusFlag.LAPSED)

        if confirmed is not None:
            state = RenewalState.CONFIRMED
        elif flags:
            state = max(_FLAG_STATE[f] for f in flags)
        else:
            state = RenewalState.ON_TRACK if as_of >= self.runway_start else RenewalState.UPCOMING

        if as_of > self.renewal_date:
            phase = AFTER_RENEWAL
        else:
            due = [m.name for m in self.milestones if m.due <= as_of]
            phase = due[-1] if due else BEFORE_RUNWAY
        nxt = upcoming[0] if upcoming else None
        return RenewalStatus(
            account_id=self.account_id,
            as_of=as_of,
            renewal_date=self.renewal_date,
            days_to_renewal=(self.renewal_date - as_of).days,
            state=state,
            flags=frozenset(flags),
            phase=phase,
            next_milestone=nxt,
            days_to_next=None if nxt is None else (nxt.due - as_of).days,
            overdue=overdue,
            completed=tuple(CompletedMilestone(m.name, done[m.name]) for m in self.milestones if m.name in done),
            conversation_started=started,
            confirmed_on=confirmed,
            latest_start=self.latest_start,
            danger_zone_start=self.danger_zone_start,
            in_touch_ramp=(
                self.touch_ramp_start is not None
                and self.touch_ramp_end is not None
                and self.touch_ramp_start <= as_of <= self.touch_ramp_end
            ),
        )

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
        return lines


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
    its budget in a quarter that begins before the playbook's runway start.

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
    renewal = contract.end
    milestones = [
        MilestoneDue(m.name, m.days_before, renewal - timedelta(days=m.days_before), m.description)
        for m in pb.milestones
    ]
    start_days = pb.runway_days
    reasons: list[str] = []
    if widening is not None and band is not None and band in widening.bands and widening.runway_days > start_days:
        start_days = widening.runway_days
        reasons.append(f"Runway widened to T-{start_days} because health is {band.name}.")
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
    notice = None
    if contract.auto_renew and contract.notice_days > 0:
        notice = renewal - timedelta(days=contract.notice_days)
    return RenewalTimeline(
        account_id=contract.account_id,
        segment=contract.segment,
        playbook=pb.name,
        renewal_date=renewal,
        runway_start=renewal - timedelta(days=start_days),
        latest_start=renewal - timedelta(days=pb.latest_start_days),
        danger_zone_start=renewal - timedelta(days=pb.danger_zone_days),
        confirm_by=renewal - timedelta(days=pb.confirm_days_before),
        milestones=tuple(milestones),
        conversation=pb.conversation,
        confirmation=pb.confirmation,
        notice_last_day=notice,
        reasons=tuple(reasons),
        touch_ramp_start=renewal - timedelta(days=pb.touch_ramp[0]),
        touch_ramp_end=renewal - timedelta(days=pb.touch_ramp[1]),
    )


_ENTERPRISE_OFFSETS: Final = (180, 120, 90, 60, 30, 0)
_ENTERPRISE_DELTAS: Final = tuple(timedelta(days=n) for n in _ENTERPRISE_OFFSETS)
_DAYS_IN_MONTH: Final = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@lru_cache(maxsize=64)
def _deltas(offsets: tuple[int, ...]) -> tuple[timedelta, ...]:
    for i, n in enumerate(offsets):
        _checks.count(f"offsets[{i}]", n)
    return tuple(timedelta(days=n) for n in offsets)


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
    month = m % 12 + 1
    day = start.day
    if day > 28:
        last = _DAYS_IN_MONTH[month]
        if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
            last = 29
        day = min(day, last)
    end = date(year, month, day) - _ONE_DAY
    deltas = _ENTERPRISE_DELTAS if offsets is _ENTERPRISE_OFFSETS else _deltas(tuple(offsets))
    return tuple([end - delta for delta in deltas])
