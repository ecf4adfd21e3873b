"""Onboarding metrics (days to first login, time to first value) and the stage checklists of one account's journey.

Each account's milestones are a plain record (:class:`AccountMilestones`), given or read from a journey; the
metrics are pure functions over many records, as of a date, against a target in days.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Final

import attrs

from postsale import _checks
from postsale import signals as _signals
from postsale._errors import InvalidValueError
from postsale._repr import readable
from postsale._vocabulary import AccountSnapshot, Segment, Stage
from postsale.journey._checklists import ChecklistResult
from postsale.journey._criteria import a_date, check_evidence, optional_date
from postsale.journey._journey import Journey
from postsale.journey._kinds import TransitionKind

__all__ = [
    "FIRST_LOGIN_TARGET_DAYS",
    "FIRST_VALUE_TARGET_DAYS",
    "AccountMilestones",
    "MilestoneTiming",
    "check_stages",
    "days_to_first_login",
    "time_to_first_value",
]

FIRST_VALUE_TARGET_DAYS: Final = 90
"""First value within 90 days of the start (guide: Journey › Onboarding metrics): inclusive, day 90 is on time."""

FIRST_LOGIN_TARGET_DAYS: Final = 7
"""First login within the first week (guide: Journey › Onboarding metrics): inclusive, day 7 is on time."""


def _to_segment(value: Any) -> Segment:
    return _checks.member(Segment, "segment", value)


def _to_labels(value: Any) -> Mapping[str, str]:
    return _checks.mapping("labels", value, key=_checks.identifier, item=_checks.label)


@attrs.frozen
class AccountMilestones:
    """When one account started and reached its first onboarding milestones (``None``: not reached).

    Args:
        account_id: The account.
        segment: Its segment.
        started_on: Day 0: the contract start (the day the post-sale relationship begins).
        first_login_on: The first day any of its users logged in.
        first_value_on: The day it reached (and documented) its first business value.
        labels: Free labels for cohorts (``{"source": "referral"}``).

    Raises:
        InvalidValueError: a milestone dated before the start.

    Examples:
        >>> m = AccountMilestones("acme", "SMB", date(2026, 1, 5), first_login_on=date(2026, 1, 7))
        >>> m.days_to_first_login, m.days_to_first_value
        (2, None)
    """

    __repr__ = readable
    account_id: str = attrs.field(validator=_checks.validator(_checks.identifier))
    segment: Segment = attrs.field(converter=_to_segment)
    started_on: date = attrs.field(validator=a_date())
    first_login_on: date | None = attrs.field(default=None, validator=optional_date())
    first_value_on: date | None = attrs.field(default=None, validator=optional_date())
    labels: Mapping[str, str] = attrs.field(factory=dict, converter=_to_labels, hash=False)

    def __attrs_post_init__(self) -> None:
        for name in ("first_login_on", "first_value_on"):
            day = getattr(self, name)
            if day is not None and day < self.started_on:
                raise InvalidValueError(
                    "is before the start", field=name, value=day,
                    constraint=f"on or after started_on={self.started_on.isoformat()}",
                    hint="check the dates (day 0 is the contract start)",
                )

    @property
    def days_to_first_login(self) -> int | None:
        """Days from the start to the first login (``None``: no login yet)."""
        return None if self.first_login_on is None else (self.first_login_on - self.started_on).days

    @property
    def days_to_first_value(self) -> int | None:
        """Days from the start to first value (``None``: not reached yet)."""
        return None if self.first_value_on is None else (self.first_value_on - self.started_on).days

    @classmethod
    def from_journey(
        cls, journey: Journey, *, first_login_on: date | None = None, first_value_on: date | None = None
    ) -> AccountMilestones:
        """The milestones a journey records: started on its first event, first value when it was documented.

        Without ``first_value_on``, first value is the first event whose evidence has ``first_value_documented``
        (true), else the first FORWARD move out of Onboarding (its exit criteria include documented first value).
        A skip out of Onboarding proves nothing and is not read as first value.

        Raises:
            InvalidTypeError: ``journey`` is not a Journey, or a date is not a date.
            InvalidValueError: a milestone before the journey's start.

        Examples:
            >>> from postsale.journey import Journey
            >>> done = {"implementation_complete": 1, "core_users_trained": 1, "use_case_live": 1,
            ...         "first_value_documented": 1, "go_live_confirmed": 1}
            >>> j = Journey.start("acme", "SMB", on=date(2026, 1, 5)).move(
            ...     "core", Stage.ADOPTION, on=date(2026, 2, 16), evidence=done)
            >>> AccountMilestones.from_journey(j, first_login_on=date(2026, 1, 6)).days_to_first_value
            42
        """
        _checks.instance("journey", journey, Journey, hint="pass a postsale.journey.Journey")
        if first_value_on is None:
            first_value_on = _first_value(journey)
        return cls(journey.account_id, journey.segment, journey.started_on, first_login_on, first_value_on,
                   journey.labels)


def _first_value(journey: Journey) -> date | None:
    for event in journey.history:
        documented = event.evidence.get(_signals.FIRST_VALUE_DOCUMENTED)
        if documented is not None and documented >= 1:
            return event.at
        if event.from_stage is Stage.ONBOARDING and event.kind is TransitionKind.FORWARD:
            return event.at
    return None


def _to_days(value: Any) -> tuple[int, ...]:
    return tuple(sorted(_checks.count(f"days[{i}]", d) for i, d in enumerate(_checks.items("days", value))))


_count = _checks.validator(_checks.count)


@attrs.frozen
class MilestoneTiming:
    """How long accounts took to reach one milestone, as of a date, against a target in days.

    Attributes:
        milestone: What was reached (``"first value"``, ``"first login"``).
        as_of: The date the accounts were looked at.
        target_days: The target: reached within this many days of the start (inclusive).
        days: Days to the milestone of every account that reached it by ``as_of``, sorted.
        pending: Accounts that have not reached it and are still within the target.
        overdue: Accounts that have not reached it and are past the target.

    Examples:
        >>> timing = MilestoneTiming("first value", date(2026, 6, 1), 90, (30, 60, 120), pending=1, overdue=1)
        >>> timing.within_target, timing.on_target_rate, timing.median_days
        (2, 0.5, 60.0)
    """

    __repr__ = readable
    milestone: str = attrs.field(validator=_checks.validator(_checks.text))
    as_of: date = attrs.field(validator=a_date())
    target_days: int = attrs.field(validator=_count)
    days: tuple[int, ...] = attrs.field(converter=_to_days)
    pending: int = attrs.field(default=0, validator=_count)
    overdue: int = attrs.field(default=0, validator=_count)

    @property
    def reached(self) -> int:
        """Accounts that reached the milestone by ``as_of``."""
        return len(self.days)

    @property
    def accounts(self) -> int:
        """Accounts looked at: reached, pending and overdue."""
        return self.reached + self.pending + self.overdue

    @property
    def within_target(self) -> int:
        """Accounts that reached it within the target."""
        return sum(1 for d in self.days if d <= self.target_days)

    @property
    def late(self) -> int:
        """Accounts that reached it, but after the target."""
        return self.reached - self.within_target

    @property
    def on_target_rate(self) -> float | None:
        """Within target ÷ accounts whose result is known (reached, or past the target); ``None`` if none."""
        known = self.reached + self.overdue
        return None if known == 0 else self.within_target / known

    @property
    def mean_days(self) -> float | None:
        """Mean days to the milestone over accounts that reached it."""
        return statistics.fmean(self.days) if self.days else None

    @property
    def median_days(self) -> float | None:
        """Median days to the milestone over accounts that reached it."""
        return float(statistics.median(self.days)) if self.days else None

    def explain(self) -> list[str]:
        """Sentences a CS lead can read: how many reached it, how fast, and against the target."""
        name = self.milestone[:1].upper() + self.milestone[1:]
        if not self.accounts:
            return [f"{name}: no account started by {self.as_of.isoformat()}."]
        lines = [f"{name}: {self.reached} of {self.accounts} account(s) reached it by {self.as_of.isoformat()}."]
        if self.days:
            lines.append(
                f"Days to {self.milestone}: median {self.median_days:g}, mean {self.mean_days:.1f}, "
                f"fastest {self.days[0]}, slowest {self.days[-1]}."
            )
        rate = self.on_target_rate
        shown = "n/a" if rate is None else f"{rate:.0%}"
        lines.append(
            f"Within the {self.target_days}-day target: {self.within_target} ({shown} of the accounts whose "
            f"result is known); {self.late} reached it late; {self.overdue} overdue (past the target without it); "
            f"{self.pending} still within the target."
        )
        return lines


def _timing(
    milestone: str, accounts: Any, as_of: Any, target_days: Any, day_of: str
) -> MilestoneTiming:
    _checks.a_date("as_of", as_of)
    target = _checks.count("target_days", target_days)
    days: list[int] = []
    pending = overdue = 0
    for record in _checks.items("accounts", accounts, AccountMilestones):
        if record.started_on > as_of:
            continue
        reached_on = getattr(record, day_of)
        if reached_on is not None and reached_on <= as_of:
            days.append((reached_on - record.started_on).days)
        elif (as_of - record.started_on).days > target:
            overdue += 1
        else:
            pending += 1
    return MilestoneTiming(milestone, as_of, target, tuple(days), pending, overdue)


def time_to_first_value(
    accounts: Iterable[AccountMilestones], *, as_of: date, target_days: int = FIRST_VALUE_TARGET_DAYS
) -> MilestoneTiming:
    """Time to first value over ``accounts`` started by ``as_of``, against the 90-day target.

    An account that reached first value after ``as_of`` is treated as not reached yet; one that started after
    ``as_of`` is left out.

    Raises:
        InvalidTypeError: ``accounts`` is not a collection of AccountMilestones, ``as_of`` not a date.
        InvalidValueError: a negative target.

    Examples:
        >>> ms = [AccountMilestones("a", "SMB", date(2026, 1, 5), first_value_on=date(2026, 2, 4)),
        ...       AccountMilestones("b", "SMB", date(2026, 1, 5), first_value_on=date(2026, 5, 1)),
        ...       AccountMilestones("c", "SMB", date(2026, 3, 5))]
        >>> ttfv = time_to_first_value(ms, as_of=date(2026, 6, 1))
        >>> ttfv.days, ttfv.within_target, ttfv.overdue, ttfv.on_target_rate
        ((30, 116), 1, 0, 0.5)
    """
    return _timing("first value", accounts, as_of, target_days, "first_value_on")


def days_to_first_login(
    accounts: Iterable[AccountMilestones], *, as_of: date, target_days: int = FIRST_LOGIN_TARGET_DAYS
) -> MilestoneTiming:
    """Days to first login over ``accounts`` started by ``as_of``, against the first-week target.

    Raises:
        InvalidTypeError: ``accounts`` is not a collection of AccountMilestones, ``as_of`` not a date.
        InvalidValueError: a negative target.

    Examples:
        >>> ms = [AccountMilestones("a", "SMB", date(2026, 1, 5), first_login_on=date(2026, 1, 12)),
        ...       AccountMilestones("b", "SMB", date(2026, 1, 5), first_login_on=date(2026, 1, 13)),
        ...       AccountMilestones("c", "SMB", date(2026, 1, 5))]
        >>> logins = days_to_first_login(ms, as_of=date(2026, 2, 1))
        >>> logins.within_target, logins.late, logins.overdue
        (1, 1, 1)
    """
    return _timing("first login", accounts, as_of, target_days, "first_login_on")


def check_stages(
    journey: Journey, evidence: Mapping[str, float] | AccountSnapshot
) -> tuple[ChecklistResult, ...]:
    """Check the journey's active stages that have a checklist (Retention once it is ongoing), in stage order.

    The checklists are the journey definition's ``stage_checklists``; evidence is a mapping of signal values or
    an account snapshot (pass the renewal risk as ``renewal_risk``: 1 low, 2 medium, 3 high).

    Raises:
        InvalidTypeError: ``journey`` is not a Journey, or the evidence is not a mapping of numbers nor a snapshot.
        InvalidValueError: an evidence value is NaN or infinite.

    Examples:
        >>> from postsale.journey import Journey
        >>> j = Journey.start("acme", "SMB", on=date(2025, 1, 6), stage=Stage.EXPANSION)
        >>> for result in check_stages(j, {"health_score": 74, "critical_issues_open": 0, "account_nrr": 0.97}):
        ...     print(result.explain()[0])
        Retention going well: cannot tell yet (missing evidence: renewal_risk_at_most_medium; 2 of 3 criteria met).
        Expansion working: no (unmet: account_nrr_above_100pct; 0 of 1 criteria met).
    """
    _checks.instance("journey", journey, Journey, hint="pass a postsale.journey.Journey")
    checklists = journey.definition.stage_checklists
    active = journey.active_stages
    wanted = [checklists[s] for s in Stage if s in active and s in checklists]
    values = evidence.evidence() if isinstance(evidence, AccountSnapshot) else check_evidence(evidence)
    return tuple(c.check(values) for c in wanted)
