"""Where a renewal stands on a date: its status, with the milestones done, overdue and next."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Final

import attrs

from postsale import _checks
from postsale._errors import InvalidTypeError
from postsale._repr import readable
from postsale.renewal._runway import RenewalState, StatusFlag

__all__ = ["AFTER_RENEWAL", "BEFORE_RUNWAY", "CompletedMilestone", "MilestoneDue", "RenewalStatus"]

_ONE_DAY: Final = timedelta(days=1)

BEFORE_RUNWAY: Final = "before_runway"
"""Phase before the first milestone is due."""
AFTER_RENEWAL: Final = "after_renewal"
"""Phase after the renewal date."""


_text = _checks.validator(_checks.text)
_date = _checks.validator(_checks.a_date)
_str = _checks.validator(lambda field, value: _checks.instance(field, value, str))


def _whole(field: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError("expected a whole number", field=field, value=value, hint="pass an int")


_int = _checks.validator(_whole)
_bool = _checks.validator(lambda f, v: _checks.instance(f, v, bool))


def _days(n: int) -> str:
    """``n`` days in words ("1 day", "3 days")."""
    return f"{n} day" if n == 1 else f"{n} days"


def _optional(cls: type) -> Any:
    return _checks.optional_validator(lambda field, value: _checks.instance(field, value, cls))


@attrs.frozen
class MilestoneDue:
    """A milestone of a timeline with its due date.

    Attributes:
        name: Milestone name.
        days_before: N of T-N.
        due: The due date (renewal date - N days); done on time when completed on or before it.
        description: What happens.

    Examples:
        >>> MilestoneDue("proposal", 90, date(2027, 4, 1)).due
        datetime.date(2027, 4, 1)
    """

    __repr__ = readable
    name: str = attrs.field(validator=_text)
    days_before: int = attrs.field(validator=_int)
    due: date = attrs.field(validator=_date)
    description: str = attrs.field(default="", validator=_str)


@attrs.frozen
class CompletedMilestone:
    """A milestone marked done, and when.

    Examples:
        >>> CompletedMilestone("proposal", date(2027, 3, 28)).on
        datetime.date(2027, 3, 28)
    """

    __repr__ = readable
    name: str = attrs.field(validator=_text)
    on: date = attrs.field(validator=_date)


def _to_state(value: Any) -> RenewalState:
    return _checks.member(RenewalState, "state", value)


def _to_flags(value: Any) -> frozenset[StatusFlag]:
    return frozenset(_checks.member(StatusFlag, "flags", f) for f in _checks.items("flags", value))


def _to_overdue(value: Any) -> tuple[MilestoneDue, ...]:
    return _checks.items("overdue", value, MilestoneDue)


def _to_completed(value: Any) -> tuple[CompletedMilestone, ...]:
    return _checks.items("completed", value, CompletedMilestone)


@attrs.frozen
class RenewalStatus:
    """Where a renewal stands on ``as_of``, with the evidence (see :meth:`explain`).

    Build it with :meth:`postsale.renewal.RenewalTimeline.status`.

    Attributes:
        account_id: The account.
        as_of: The date of the status.
        renewal_date: T-0.
        days_to_renewal: Days from ``as_of`` to T-0 (negative once past).
        state: The worst applicable :class:`RenewalState`.
        flags: Every problem found (``StatusFlag.LATE_START in status.flags`` ...).
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
        in_touch_ramp: Whether ``as_of`` is in the touch-frequency ramp (T-60..T-30 by default).
        recorded: Whether the account's renewal activity is recorded (milestones tracked); ``False``: no
            milestone information at all, so nothing is judged overdue nor late (flag NOT_RECORDED).
        runway_start: First day of the runway, when known.
        notice_last_day: For a contract that renews by itself, the last day notice can be given (the status
            follows this window: CONFIRMED once it closes); ``None`` for a renewal that needs a decision.

    Examples:
        >>> from postsale.renewal import Contract, renewal_timeline
        >>> c = Contract.from_term("acme", "SMB", date(2026, 7, 1), term_months=12, acv=9000)
        >>> status = renewal_timeline(c).status(date(2027, 6, 10))
        >>> status.state, status.days_to_renewal, StatusFlag.DANGER_ZONE in status.flags
        (<RenewalState.DANGER_ZONE: 6>, 20, True)
    """

    __repr__ = readable
    account_id: str = attrs.field(validator=_text)
    as_of: date = attrs.field(validator=_date)
    renewal_date: date = attrs.field(validator=_date)
    days_to_renewal: int = attrs.field(validator=_int)
    state: RenewalState = attrs.field(converter=_to_state)
    flags: frozenset[StatusFlag] = attrs.field(
        converter=_to_flags
    )
    phase: str = attrs.field(validator=_str)
    next_milestone: MilestoneDue | None = attrs.field(validator=_optional(MilestoneDue))
    days_to_next: int | None = attrs.field(validator=_checks.optional_validator(_whole))
    overdue: tuple[MilestoneDue, ...] = attrs.field(converter=_to_overdue)
    completed: tuple[CompletedMilestone, ...] = attrs.field(
        converter=_to_completed
    )
    conversation_started: date | None = attrs.field(validator=_checks.optional_validator(_checks.a_date))
    confirmed_on: date | None = attrs.field(validator=_checks.optional_validator(_checks.a_date))
    latest_start: date = attrs.field(validator=_date)
    danger_zone_start: date = attrs.field(validator=_date)
    in_touch_ramp: bool = attrs.field(default=False, validator=_bool)
    recorded: bool = attrs.field(default=True, validator=_bool)
    runway_start: date | None = attrs.field(default=None, validator=_checks.optional_validator(_checks.a_date))
    notice_last_day: date | None = attrs.field(default=None, validator=_checks.optional_validator(_checks.a_date))

    @property
    def auto_renews(self) -> bool:
        """Whether the contract renews by itself unless notice is given (the status follows its notice window)."""
        return self.notice_last_day is not None

    def explain(self) -> list[str]:
        """Return the status as plain sentences.

        Examples:
            >>> from postsale.renewal import Contract, renewal_timeline
            >>> c = Contract.from_term("acme", "ENTERPRISE", date(2026, 7, 1), term_months=12, acv=120000)
            >>> for line in renewal_timeline(c).status(date(2027, 3, 10)).explain():
            ...     print(line)
            On 2027-03-10 the renewal on 2027-06-30 is 112 days away (T-112): late start (LATE_START).
            Phase: customer_conversation.
            Overdue: internal_prep was due on 2027-01-01 (T-180), 68 days ago.
            Overdue: customer_conversation was due on 2027-03-02 (T-120), 8 days ago.
            Late start: no customer conversation by 2027-03-02, the latest start of the runway.
            Next milestone: proposal due on 2027-04-01, in 22 days.
        """
        n = self.days_to_renewal
        when = "today (T-0)" if n == 0 else f"{_days(n)} away (T-{n})" if n > 0 else f"{_days(-n)} past (T+{-n})"
        lines = [
            f"On {self.as_of.isoformat()} the renewal on {self.renewal_date.isoformat()} is {when}: "
            f"{self.state.label} ({self.state.name}).",
            f"Phase: {self.phase}.",
        ]
        notice = self.notice_last_day
        if notice is not None and self.as_of > notice and self.confirmed_on == notice + _ONE_DAY:
            verb = "renews" if self.days_to_renewal >= 0 else "renewed"
            lines.append(
                f"Auto-renewal locked in: the notice window closed on {notice.isoformat()} with no notice recorded; "
                f"the contract {verb} by itself on {self.renewal_date.isoformat()}."
            )
        elif self.confirmed_on is not None:
            lines.append(f"The renewal was confirmed on {self.confirmed_on.isoformat()}.")
        elif notice is not None and self.as_of > notice:
            lines.append(f"Auto-renewal: the notice window closed on {notice.isoformat()}.")
        elif notice is not None:
            left = (notice - self.as_of).days
            lines.append(
                f"Auto-renewal: the contract renews by itself on {self.renewal_date.isoformat()} unless the customer "
                f"gives notice by {notice.isoformat()} ({'the last day' if left == 0 else _days(left) + ' left'}); "
                "no late start nor danger zone applies."
            )
        if StatusFlag.NOT_RECORDED in self.flags:
            since = f" since {self.runway_start.isoformat()}" if self.runway_start is not None else ""
            lines.append(
                f"No renewal activity recorded: the runway has been open{since} and no milestone is tracked for "
                "this account, so nothing is judged overdue nor late; record the milestones done (an empty record "
                "means none is done) to follow the renewal's progress."
            )
        for m in self.overdue:
            lines.append(
                f"Overdue: {m.name} was due on {m.due.isoformat()} (T-{m.days_before}), "
                f"{_days((self.as_of - m.due).days)} ago."
            )
        if StatusFlag.LATE_START in self.flags:
            lines.append(
                f"Late start: no customer conversation by {self.latest_start.isoformat()}, the latest start "
                "of the runway."
            )
        if StatusFlag.DANGER_ZONE in self.flags:
            lines.append(
                f"Danger zone since {self.danger_zone_start.isoformat()}: close to the renewal date and not confirmed."
            )
        if StatusFlag.LAPSED in self.flags:
            lines.append("Lapsed: the renewal date passed without a confirmed renewal.")
        if self.in_touch_ramp:
            lines.append("Touch ramp: touches increase as the decision approaches.")
        if self.next_milestone is not None:
            m = self.next_milestone
            when = "today" if self.days_to_next == 0 else f"in {_days(self.days_to_next or 0)}"
            lines.append(f"Next milestone: {m.name} due on {m.due.isoformat()}, {when}.")
        return lines
