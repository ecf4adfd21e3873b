"""Renewal playbooks per segment: runway, milestones T-N, danger zone and confirmation rule."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, Final

import attrs

from postsale import _checks
from postsale._errors import DefinitionError, InvalidTypeError, InvalidValueError, Problem, UnknownNameError
from postsale._frozen import freeze
from postsale._repr import readable
from postsale._vocabulary import Segment

__all__ = [
    "AUTO_RENEW_SEGMENTS",
    "CONFIRM_DAYS_BEFORE_EXPIRY",
    "CONTRACT_EXECUTED",
    "CUSTOMER_CONVERSATION",
    "DANGER_ZONE_DAYS",
    "DEFAULT_PLAYBOOKS",
    "ENTERPRISE_PLAYBOOK",
    "FINAL_NOTICE",
    "FOLLOW_UP",
    "INTERNAL_PREP",
    "MID_MARKET_PLAYBOOK",
    "NEGOTIATION",
    "PRODUCT_LED_PLAYBOOK",
    "PROPOSAL",
    "RENEWAL",
    "RENEWAL_NOTICE",
    "RENEWAL_OFFER",
    "SMB_PLAYBOOK",
    "TOUCH_RAMP_DAYS",
    "Milestone",
    "Playbook",
    "playbook_for",
]

# ---- milestone names (use these constants, not string literals) ---------------------------------
INTERNAL_PREP: Final = "internal_prep"
"""T-180 (enterprise): assess health, document value, identify risks."""
CUSTOMER_CONVERSATION: Final = "customer_conversation"
"""Start the renewal conversation with the customer; "don't wait any longer than this"."""
PROPOSAL: Final = "proposal"
"""Deliver the renewal proposal."""
NEGOTIATION: Final = "negotiation"
"""Negotiate and align stakeholders."""
CONTRACT_EXECUTED: Final = "contract_executed"
"""The renewal contract must be executed."""
RENEWAL: Final = "renewal"
"""T-0: the renewal date. "If you're still negotiating at this point, something went very wrong earlier." """
RENEWAL_OFFER: Final = "renewal_offer"
"""SMB: automated renewal offer / reminder."""
FOLLOW_UP: Final = "follow_up"
"""SMB: follow-up reminder and confirmation."""
RENEWAL_NOTICE: Final = "renewal_notice"
"""Product-led: renewal notice email before the auto-renewal."""
FINAL_NOTICE: Final = "final_notice"
"""Product-led: last reminder at the segment's minimum notice (T-14)."""

# ---- numbers ------------------------------------------------------------------------------------
DANGER_ZONE_DAYS: Final = 30
"""Within 30 days of expiry a renewal not yet confirmed is at risk: "late start (within 30 days of
expiry) kills deals"."""
TOUCH_RAMP_DAYS: Final = (60, 30)
"""Touches increase from T-60 to T-30 as the decision approaches, in every segment (a touch-frequency ramp on
top of the milestones)."""
CONFIRM_DAYS_BEFORE_EXPIRY: Final = 30
"""Success criterion 1: renewal confirmed at least 30 days before expiry; applied
to ENTERPRISE and MID_MARKET only."""


@attrs.frozen
class Milestone:
    """One milestone of a playbook, due ``days_before`` days before the renewal date (T-N).

    Args:
        name: Identifier (see the constants of this module), unique in its playbook.
        days_before: N of T-N (0 = the renewal date).
        description: What happens, in one sentence.

    Examples:
        >>> Milestone("kickoff", 45, "first renewal call").days_before
        45
    """

    __repr__ = readable
    name: str
    days_before: int
    description: str = ""


def _to_milestones(value: Any) -> tuple[Milestone, ...]:
    return _checks.items("milestones", value)  # each milestone is checked in problems() (all problems at once)


@attrs.frozen
class Playbook:
    """A renewal playbook: the runway, its milestones and the rules that flag trouble (plain data).

    Every playbook is validated when built (directly, with :meth:`define`, or from plain data) and every
    problem is reported at once in a :class:`~postsale.DefinitionError`.

    Attributes:
        name: Playbook name (``"enterprise"`` ...).
        runway_days: Start of the runway, days before renewal.
        latest_start_days: Latest start: no conversation by T-this is a LATE_START.
        milestones: Milestones in time order (largest T-N first), all inside the runway.
        conversation: Name of the milestone that starts the customer conversation (LATE_START looks at it).
        confirmation: Name of the milestone whose completion confirms the renewal.
        danger_zone_days: Unconfirmed renewals within this many days of T-0 are in the danger zone.
        confirm_days_before: Success needs confirmation at least this many days before expiry.
        auto_renew: Whether the segment's contracts renew by themselves unless notice is given (product-led); the
            default playbooks' values are :data:`AUTO_RENEW_SEGMENTS`, which contracts built without an explicit
            ``auto_renew`` follow.
        touch_ramp: ``(from, to)`` T-N of the touch-frequency ramp (default T-60 to T-30).

    Examples:
        >>> ENTERPRISE_PLAYBOOK.offsets, ENTERPRISE_PLAYBOOK.latest_start_days
        ((180, 120, 90, 60, 30, 0), 120)
    """

    __repr__ = readable
    name: str
    runway_days: int
    latest_start_days: int
    milestones: tuple[Milestone, ...] = attrs.field(converter=_to_milestones)
    conversation: str
    confirmation: str
    danger_zone_days: int = DANGER_ZONE_DAYS
    confirm_days_before: int = CONFIRM_DAYS_BEFORE_EXPIRY
    auto_renew: bool = False
    touch_ramp: tuple[int, int] = TOUCH_RAMP_DAYS

    @classmethod
    def define(
        cls,
        name: str,
        *,
        runway_days: int,
        latest_start_days: int,
        milestones: Any,
        conversation: str,
        confirmation: str,
        danger_zone_days: int = DANGER_ZONE_DAYS,
        confirm_days_before: int = CONFIRM_DAYS_BEFORE_EXPIRY,
        auto_renew: bool = False,
        touch_ramp: tuple[int, int] = TOUCH_RAMP_DAYS,
    ) -> Playbook:
        """Build and validate a playbook; ``milestones`` may be :class:`Milestone` values or ``(days, name)`` pairs.

        Raises:
            DefinitionError: listing every problem (milestones out of order or outside the runway,
                duplicate names, latest start after the runway start, unknown conversation/confirmation ...).
            InvalidTypeError: ``milestones`` is not a collection (a list or tuple).

        Examples:
            >>> pb = Playbook.define("lean", runway_days=45, latest_start_days=30,
            ...                      milestones=[(45, "kickoff"), (30, "offer"), (0, "renewal")],
            ...                      conversation="offer", confirmation="renewal", confirm_days_before=0)
            >>> [m.days_before for m in pb.milestones]
            [45, 30, 0]
        """
        items: list[Milestone] = []
        bad: list[Problem] = []
        for i, entry in enumerate(_checks.items("milestones", milestones)):
            if isinstance(entry, Milestone):
                items.append(entry)
            elif isinstance(entry, (tuple, list)) and len(entry) in (2, 3):
                items.append(Milestone(entry[1], entry[0], *entry[2:]))
            else:
                bad.append(Problem(f"$.milestones[{i}]", f"must be a Milestone or a (days, name) pair, got {entry!r}"))
        if bad:
            raise DefinitionError(f"renewal playbook {name!r} is invalid", bad, hint="pass (days_before, name) pairs")
        return cls(
            name=name,
            runway_days=runway_days,
            latest_start_days=latest_start_days,
            milestones=tuple(items),
            conversation=conversation,
            confirmation=confirmation,
            danger_zone_days=danger_zone_days,
            confirm_days_before=confirm_days_before,
            auto_renew=auto_renew,
            touch_ramp=touch_ramp,
        )

    def __attrs_post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise DefinitionError(
                f"renewal playbook {self.name!r} is invalid",
                problems,
                hint="order milestones from the runway start (largest T-N) to T-0, all within the runway",
            )

    def problems(self) -> list[Problem]:
        """Return every problem with this playbook (empty when valid)."""
        found: list[Problem] = []

        def days(path: str, value: Any) -> bool:
            if isinstance(value, bool) or not isinstance(value, int):
                found.append(Problem(path, f"must be a whole number of days, got {value!r}"))
                return False
            if value < 0:
                found.append(Problem(path, f"must be >= 0, got {value}"))
                return False
            return True

        if not isinstance(self.name, str) or not self.name.strip():
            found.append(Problem("$.name", "must be a non-empty string"))
        runway_ok = days("$.runway_days", self.runway_days)
        latest_ok = days("$.latest_start_days", self.latest_start_days)
        if runway_ok and latest_ok and self.latest_start_days > self.runway_days:
            found.append(
                Problem(
                    "$.latest_start_days",
                    f"latest start T-{self.latest_start_days} is before the runway start T-{self.runway_days}",
                )
            )
        days("$.danger_zone_days", self.danger_zone_days)
        days("$.confirm_days_before", self.confirm_days_before)
        ramp = self.touch_ramp
        if not isinstance(ramp, tuple) or len(ramp) != 2:
            found.append(Problem("$.touch_ramp", f"must be a (from, to) pair of days, got {ramp!r}"))
        elif days("$.touch_ramp[0]", ramp[0]) and days("$.touch_ramp[1]", ramp[1]) and ramp[0] < ramp[1]:
            found.append(Problem("$.touch_ramp", f"starts at T-{ramp[0]}, after its end T-{ramp[1]}"))
        if not isinstance(self.auto_renew, bool):
            found.append(Problem("$.auto_renew", f"must be True or False, got {self.auto_renew!r}"))
        if not self.milestones:
            found.append(Problem("$.milestones", "needs at least one milestone"))
        seen: set[str] = set()
        previous: int | None = None
        for i, milestone in enumerate(self.milestones):
            path = f"$.milestones[{i}]"
            if not isinstance(milestone, Milestone):
                found.append(Problem(path, f"must be a Milestone, got {milestone!r}"))
                continue
            if not isinstance(milestone.name, str) or not milestone.name.strip():
                found.append(Problem(f"{path}.name", "must be a non-empty string"))
            elif milestone.name in seen:
                found.append(Problem(f"{path}.name", f"duplicate milestone name {milestone.name!r}"))
            else:
                seen.add(milestone.name)
            if not days(f"{path}.days_before", milestone.days_before):
                continue
            if runway_ok and milestone.days_before > self.runway_days:
                found.append(
                    Problem(
                        f"{path}.days_before",
                        f"T-{milestone.days_before} is outside the runway (starts T-{self.runway_days})",
                    )
                )
            if previous is not None and milestone.days_before >= previous:
                found.append(
                    Problem(
                        f"{path}.days_before",
                        f"T-{milestone.days_before} is not after the previous milestone T-{previous}; "
                        "milestones go strictly from the largest T-N to the smallest",
                    )
                )
            previous = milestone.days_before
        by_name = {m.name: m for m in self.milestones if isinstance(m, Milestone) and isinstance(m.name, str)}
        for field in ("conversation", "confirmation"):
            value = getattr(self, field)
            if not isinstance(value, str) or value not in by_name:
                found.append(Problem(f"$.{field}", f"names no milestone: {value!r} (known: {sorted(by_name)})"))
        talk = by_name.get(self.conversation) if isinstance(self.conversation, str) else None
        if (
            talk is not None
            and latest_ok
            and isinstance(talk.days_before, int)
            and talk.days_before < self.latest_start_days
        ):
            found.append(
                Problem(
                    "$.conversation",
                    f"the conversation milestone T-{talk.days_before} is due after the latest start "
                    f"T-{self.latest_start_days}",
                )
            )
        return found

    def milestone(self, name: str) -> Milestone:
        """Return the milestone called ``name``.

        Raises:
            UnknownNameError: no such milestone (the message lists the known ones).
        """
        for m in self.milestones:
            if m.name == name:
                return m
        known = ", ".join(m.name for m in self.milestones)
        raise UnknownNameError(
            f"is not a milestone of playbook {self.name!r}",
            field="milestone",
            value=name,
            constraint=f"one of {known}",
            hint=f"use one of {known}",
        )

    @property
    def offsets(self) -> tuple[int, ...]:
        """The T-N of every milestone, in order."""
        return tuple(m.days_before for m in self.milestones)

    def milestone_dates(self, renewal_date: date) -> tuple[date, ...]:
        """Return the due date of every milestone for a renewal on ``renewal_date`` (T-N = date - N days).

        Examples:
            >>> ENTERPRISE_PLAYBOOK.milestone_dates(date(2027, 6, 30))[:2]
            (datetime.date(2027, 1, 1), datetime.date(2027, 3, 2))
        """
        _checks.a_date("renewal_date", renewal_date)
        if self.offsets and renewal_date.toordinal() - max(self.offsets) < 1:
            raise InvalidValueError(
                "leaves no room for the runway", field="renewal_date", value=renewal_date,
                constraint=f"the {self.name} playbook starts {max(self.offsets)} days before it, which must be a date "
                "on or after 0001-01-01",
                hint="pass the contract's real renewal date",
            )
        return tuple(renewal_date - timedelta(days=n) for n in self.offsets)


def _builtin(name: str, runway: tuple[int, int], milestones: list[tuple[int, str, str]], **kw: Any) -> Playbook:
    return Playbook.define(
        name,
        runway_days=runway[1],
        latest_start_days=runway[0],
        milestones=[Milestone(n, d, text) for d, n, text in milestones],
        **kw,
    )


ENTERPRISE_PLAYBOOK: Final = _builtin(
    "enterprise",
    (120, 180),
    [
        (180, INTERNAL_PREP, "internal renewal preparation: assess health, document value, identify risks"),
        (120, CUSTOMER_CONVERSATION, "start the renewal conversation with the customer"),
        (90, PROPOSAL, "deliver the renewal proposal"),
        (60, NEGOTIATION, "negotiate and align stakeholders"),
        (30, CONTRACT_EXECUTED, "the renewal contract must be executed"),
        (0, RENEWAL, "renewal date"),
    ],
    conversation=CUSTOMER_CONVERSATION,
    confirmation=CONTRACT_EXECUTED,
)
"""Enterprise: runway T-180 to latest start T-120, milestones T-180/120/90/60/30/0."""

MID_MARKET_PLAYBOOK: Final = _builtin(
    "mid_market",
    (60, 90),
    [
        (90, CUSTOMER_CONVERSATION, "internal prep and start of the renewal conversation (90-day process)"),
        (60, PROPOSAL, "deliver a streamlined renewal proposal"),
        (45, NEGOTIATION, "negotiate directly with the buyer"),
        (30, CONTRACT_EXECUTED, "the renewal contract must be executed"),
        (0, RENEWAL, "renewal date"),
    ],
    conversation=CUSTOMER_CONVERSATION,
    confirmation=CONTRACT_EXECUTED,
)
"""Mid-market: runway T-90 to T-60; T-90 prep + conversation, T-60 proposal, T-45 negotiation, T-30 executed,
T-0."""

SMB_PLAYBOOK: Final = _builtin(
    "smb",
    (30, 60),
    [
        (60, RENEWAL_OFFER, "automated renewal offer and reminder"),
        (30, FOLLOW_UP, "follow-up reminder; confirm the renewal"),
        (0, RENEWAL, "renewal date (self-service)"),
    ],
    conversation=RENEWAL_OFFER,
    confirmation=FOLLOW_UP,
    confirm_days_before=0,
)
"""SMB: runway T-60 to T-30; T-60 offer, T-30 follow-up / confirm, T-0 self-service renewal; success needs
renewal by T-0 only."""

PRODUCT_LED_PLAYBOOK: Final = _builtin(
    "product_led",
    (14, 30),
    [
        (30, RENEWAL_NOTICE, "renewal notice email"),
        (14, FINAL_NOTICE, "final renewal reminder"),
        (0, RENEWAL, "automatic renewal (card on file)"),
    ],
    conversation=RENEWAL_NOTICE,
    confirmation=RENEWAL,
    danger_zone_days=14,
    confirm_days_before=0,
    auto_renew=True,
)
"""Product-led: auto-renew with T-30 and T-14 notices, T-0 renewal; the danger zone and
the "late" notion use the segment's minimum runway of 14 days, success needs renewal by T-0."""

DEFAULT_PLAYBOOKS: Final[Mapping[Segment, Playbook]] = freeze(
    {
        Segment.ENTERPRISE: ENTERPRISE_PLAYBOOK,
        Segment.MID_MARKET: MID_MARKET_PLAYBOOK,
        Segment.SMB: SMB_PLAYBOOK,
        Segment.PRODUCT_LED: PRODUCT_LED_PLAYBOOK,
    }
)
"""The default playbook of every segment (read-only; pass your own mapping to override)."""

AUTO_RENEW_SEGMENTS: Final[frozenset[Segment]] = frozenset(s for s, pb in DEFAULT_PLAYBOOKS.items() if pb.auto_renew)
"""Segments whose contracts renew by themselves unless notice is given, when a contract does not say: product-led
(automatic renewal with the card on file, "make not renewing harder than renewing"). Read from the default
playbooks' ``auto_renew``, defined once there; :class:`~postsale.renewal.Contract` (``auto_renew`` left out) and
:class:`~postsale.renewal.StateOrder` follow it. Pass ``auto_renew=`` to a contract to override it."""


def playbook_for(segment: Segment | str, playbooks: Mapping[Segment, Playbook] | None = None) -> Playbook:
    """Return the playbook of ``segment`` from ``playbooks`` (default :data:`DEFAULT_PLAYBOOKS`).

    Raises:
        UnknownNameError: an unknown segment, or a segment missing from ``playbooks``.

    Examples:
        >>> playbook_for("mid-market").runway_days
        90
    """
    seg = Segment.parse(segment)
    table = DEFAULT_PLAYBOOKS if playbooks is None else playbooks
    if not isinstance(table, Mapping):
        raise InvalidTypeError("expected a mapping of Segment to Playbook", field="playbooks", value=table)
    try:
        found = table[seg]
    except KeyError:
        known = ", ".join(str(getattr(s, "name", s)) for s in table)
        raise UnknownNameError(
            "has no playbook",
            field="segment",
            value=seg.name,
            constraint=f"playbooks are defined for {known}",
            hint="add a playbook for this segment or pass playbook= explicitly",
        ) from None
    return _checks.instance(  # type: ignore[no-any-return]
        f"playbooks[{seg.name}]", found, Playbook, hint="map each segment to a postsale.renewal.Playbook"
    )
