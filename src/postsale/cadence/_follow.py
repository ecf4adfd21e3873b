"""Following the journey: which plan schedules an account's touches on each day, and why.

The first-90-days calendar while the account is new, the regular plan (the segment's, topped up to the rhythm its
journey stage asks for) after that, and the renewal ramp of the segment's renewal playbook inside the runway.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any, Final
from zoneinfo import ZoneInfo

import attrs

from postsale import _checks, signals
from postsale._errors import InvalidValueError
from postsale._repr import readable
from postsale._vocabulary import AccountSnapshot, Stage
from postsale.cadence._channels import MessageType, ValuePurpose
from postsale.cadence._defaults import (
    RENEWAL_RAMP_FROM_DAYS,
    RENEWAL_RAMP_TO_DAYS,
    first_90_days_plan,
    renewal_ramp_items,
    stage_plan,
)
from postsale.cadence._plans import Anchor, Anchors, CadenceItem, CadencePlan, Window
from postsale.cadence._touches import Touch, flag, replaced, wall_time
from postsale.journey import Journey
from postsale.renewal import EARLY_START, INTERNAL_PREP, Playbook, RenewalTimeline, playbook_for

__all__ = ["CALENDAR_DAYS", "REVIEW_EVERY_DAYS", "PlanChoice"]

CALENDAR_DAYS: Final = 90
"""The first-90-days calendar runs on days 0-89 from the customer's start (day 90 follows the regular plan)."""
REVIEW_EVERY_DAYS: Final = 90
"""A touch recurring every 3 months or less often is a review; a plan with no personal touch more often than this
is low- or tech-touch (its stage rhythm and its renewal touches go out automated)."""

CALENDAR: Final = first_90_days_plan()
NOTHING: Final = "nothing scheduled"
"""The plan name of the days without scheduled touches (the journey has no open track)."""
_RAMP_KEYS: Final = frozenset(item.key for item in renewal_ramp_items(RENEWAL_RAMP_FROM_DAYS, RENEWAL_RAMP_TO_DAYS))
_NOT_A_TOUCH: Final = frozenset({INTERNAL_PREP})
"""Milestones that are the team's work, not a touch with the customer (internal renewal preparation)."""


@attrs.frozen
class PlanChoice:
    """Which plan scheduled an account's touches over a span of its agenda, and why.

    Attributes:
        plan: The plan's name (what each of its touches says in :attr:`Touch.plan`).
        start: First day of the span (in the account's zone).
        end: Last day of the span (inclusive).
        reason: Why this plan applies on these days, in plain words.

    Raises:
        InvalidValueError: ``end`` before ``start``.

    Examples:
        >>> choice = PlanChoice("first 90 days", date(2026, 3, 4), date(2026, 3, 17), "the account is new")
        >>> choice.describe()
        "From 2026-03-04 to 2026-03-17, plan 'first 90 days': the account is new."
    """

    __repr__ = readable
    plan: str = attrs.field(validator=_checks.validator(_checks.text))
    start: date = attrs.field(validator=_checks.validator(_checks.a_date))
    end: date = attrs.field(validator=_checks.validator(_checks.a_date))
    reason: str = attrs.field(validator=_checks.validator(_checks.text))

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidValueError(
                "is before the span's start", field="end", value=self.end,
                constraint=f"must be on or after start={self.start.isoformat()}", hint="swap the two dates",
            )

    def describe(self) -> str:
        """Say the span, the plan and the reason in one sentence."""
        reason = self.reason.rstrip(".")
        return f"From {self.start.isoformat()} to {self.end.isoformat()}, plan {self.plan!r}: {reason}."


@attrs.frozen
class _Known:
    """What is known of the account's journey on a span of days."""

    __repr__ = readable
    stage: Stage | None
    since: date | None
    closed: bool
    origin: str


@attrs.frozen
class _Runway:
    """The renewal runway: its dates and its milestones (from a renewal timeline or a playbook)."""

    __repr__ = readable
    playbook: str
    renewal: date
    start: date
    milestones: tuple[tuple[str, int, str], ...]
    ramp: tuple[int, int]
    reasons: tuple[str, ...]


def check_arguments(
    account: AccountSnapshot, stage: Any, journey: Any, renewal: Any, playbook: Any
) -> Stage | None:
    """Check the journey arguments of :func:`build_agenda`; return the stage given, if any."""
    if journey is not None:
        _checks.instance("journey", journey, Journey, hint="pass the account's postsale.journey.Journey, or None")
        if journey.account_id != account.account_id:
            raise InvalidValueError(
                f"belongs to account {journey.account_id!r}", field="journey", value=journey.account_id,
                constraint=f"must be the journey of account {account.account_id!r}", hint="pass this account's journey",
            )
        if stage is not None:
            raise InvalidValueError(
                "is given with a journey", field="stage", value=stage,
                constraint="the stage comes from the journey's core track when a journey is given",
                hint="pass stage= or journey=, not both",
            )
    if renewal is not None:
        _checks.instance("renewal", renewal, RenewalTimeline, hint="pass postsale.renewal.renewal_timeline(contract)")
        if renewal.account_id != account.account_id:
            raise InvalidValueError(
                f"belongs to account {renewal.account_id!r}", field="renewal", value=renewal.account_id,
                constraint=f"must be the renewal timeline of account {account.account_id!r}",
                hint="pass this account's renewal timeline",
            )
        if playbook is not None:
            raise InvalidValueError(
                "is given with a renewal timeline", field="playbook", value=getattr(playbook, "name", playbook),
                constraint="the timeline already follows its playbook", hint="pass renewal= or playbook=, not both",
            )
    if playbook is not None:
        _checks.instance("playbook", playbook, Playbook, hint="pass a postsale.renewal.Playbook, or None")
    return None if stage is None else Stage.parse(stage)


def follows(follow: bool | None, **given: object) -> bool:
    """Whether to follow the journey: as asked, else when a journey argument is given."""
    if follow is None:
        return any(value is not None for value in given.values())
    flag("follow_journey", follow)
    named = [name for name, value in given.items() if value is not None]
    if not follow and named:
        raise InvalidValueError(
            "is False but journey arguments are given", field="follow_journey", value=follow,
            constraint=f"{', '.join(named)} only apply when the agenda follows the journey",
            hint="drop follow_journey=False, or drop " + ", ".join(f"{n}=" for n in named),
        )
    return follow


def journey_touches(
    account: AccountSnapshot,
    generate: Window,
    *,
    regular: CadencePlan,
    regular_given: bool,
    stage: Stage | None,
    stage_entered: date | None,
    journey: Journey | None,
    renewal: RenewalTimeline | None,
    playbook: Playbook | None,
) -> tuple[list[Touch], tuple[PlanChoice, ...]]:
    """The scheduled touches of ``generate`` chosen by following the journey, and the choices made for its days."""
    if stage_entered is not None:
        _checks.a_date("stage_entered", stage_entered)
    day0, day0_origin, not_new = _day_zero(account, stage, stage_entered, journey)
    runway = _runway(account, renewal, playbook)
    phases, ramp = _phases(_known(journey, stage, stage_entered, generate), day0, runway, generate)
    low = _low_touch(regular)
    touches: list[Touch] = []
    choices: list[tuple[int, int, str, str]] = []
    who, zone = account.account_id, account.time_zone
    for start, end, kind, state in phases:
        span = Window(date.fromordinal(start), date.fromordinal(end))
        if kind == _NONE:
            choices.append((start, end, NOTHING, state.origin))
        elif kind == _CALENDAR and day0 is not None:
            touches += CALENDAR.touchpoints(who, span, Anchors(contract_start=day0), time_zone=zone)
            last_day = date.fromordinal(day0.toordinal() + CALENDAR_DAYS - 1).isoformat()
            choices.append((start, end, CALENDAR.name, f"the account is in its first {CALENDAR_DAYS} days (day 0 is "
                            f"{day0.isoformat()}, {day0_origin}; day {CALENDAR_DAYS - 1} is {last_day})"))
        else:
            anchors = Anchors(account.contract_start or (journey.started_on if journey else day0),
                              account.contract_end, state.since)
            touches += regular.touchpoints(who, span, anchors, time_zone=zone)
            extra, why = _stage_rhythm(state, regular, low)
            reasons = [_why_regular(start, day0, not_new, regular_given), state.origin, why]
            choices.append((start, end, regular.name, "; ".join(r for r in reasons if r)))
            if extra is not None:
                touches += extra.touchpoints(who, span, anchors, time_zone=zone)
                choices.append((start, end, extra.name, _why_extra(state, extra, regular, low)))
    if runway is not None and ramp:
        plan = _renewal_plan(runway, low)
        found: list[Touch] = []
        for start, end in ramp:
            span = Window(date.fromordinal(start), date.fromordinal(end))
            found += plan.touchpoints(who, span, Anchors(renewal_date=runway.renewal), time_zone=zone)
            choices.append((start, end, plan.name, _why_runway(runway, low)))
        milestone_days = {t.due_at.date() for t in found if t.key not in _RAMP_KEYS}
        touches += [t for t in found if t.key not in _RAMP_KEYS or t.due_at.date() not in milestone_days]
    spans = sorted(choices, key=lambda c: c[0])
    return touches, tuple(PlanChoice(p, date.fromordinal(s), date.fromordinal(e), r) for s, e, p, r in spans)


def shown(choices: tuple[PlanChoice, ...], window: Window, touches: tuple[Touch, ...]) -> tuple[PlanChoice, ...]:
    """The choices to show with an agenda: those of the window's days (clipped to it), and those of the days before
    it whose touches a preference moved into it (a renewal-day touch on a Saturday, moved to Monday)."""
    needed = {t.plan for t in touches if t.plan is not None}
    inside = [c for c in choices if c.start <= window.end and c.end >= window.start]
    needed -= {c.plan for c in inside}
    result = [
        PlanChoice(c.plan, max(c.start, window.start), min(c.end, window.end), c.reason)
        if c.end >= window.start else c
        for c in choices
        if c in inside or (c.end < window.start and c.plan in needed)
    ]
    return tuple(result)


_NONE, _CALENDAR, _REGULAR = "none", "calendar", "regular"


def _phases(
    known: list[tuple[int, _Known]], day0: date | None, runway: _Runway | None, generate: Window
) -> tuple[list[tuple[int, int, str, _Known]], list[tuple[int, int]]]:
    """Cut the days of ``generate`` where the plan changes: the regular phases (nothing scheduled, the calendar, or
    the regular plan with what is known of the stage) and the spans inside the renewal runway (ordinal days)."""
    first, last = generate.start.toordinal(), generate.end.toordinal()
    edges = [o for o, _ in known]
    if day0 is not None:
        edges += [day0.toordinal(), day0.toordinal() + CALENDAR_DAYS]
    if runway is not None:
        edges += [runway.start.toordinal(), runway.renewal.toordinal() + 1]
    bounds = sorted({first} | {o for o in edges if first < o <= last})
    phases: list[tuple[int, int, str, _Known]] = []
    ramp: list[tuple[int, int]] = []
    for i, start in enumerate(bounds):
        end = bounds[i + 1] - 1 if i + 1 < len(bounds) else last
        state = next(k for o, k in reversed(known) if o <= start)
        new = day0 is not None and 0 <= start - day0.toordinal() < CALENDAR_DAYS
        kind = _NONE if state.closed else _CALENDAR if new else _REGULAR
        if kind == _REGULAR and state.stage is not None and state.since is None and _has_rhythm(state.stage):
            raise InvalidValueError(
                "is unknown but the stage rhythm counts from it", field="stage_entered", value=None,
                constraint=f"the {state.stage.label} rhythm counts from the day the account entered the stage",
                hint="pass stage_entered= with stage=, or pass the account's journey",
            )
        if phases and phases[-1][2:] == (kind, state) and phases[-1][1] == start - 1:
            phases[-1] = (phases[-1][0], end, kind, state)
        else:
            phases.append((start, end, kind, state))
        if runway is not None and not state.closed and runway.start.toordinal() <= start <= runway.renewal.toordinal():
            if ramp and ramp[-1][1] == start - 1:
                ramp[-1] = (ramp[-1][0], end)
            else:
                ramp.append((start, end))
    return phases, ramp


def _has_rhythm(stage: Stage) -> bool:
    """True for the stages with a rhythm of their own (Expansion has none, Renewal's is the renewal ramp)."""
    return stage not in (Stage.EXPANSION, Stage.RENEWAL)


def carry_week_in_progress(
    touches: list[Touch], window: Window, zone: ZoneInfo
) -> tuple[list[Touch], list[tuple[Touch, Touch, str]]]:
    """Move each first-90-days touch due before the window, in a week still running on the window's first day, to
    that day; return the touches and the moves (the touch, where it went, why)."""
    result, moves = [], []
    for touch in touches:
        local = touch.due_at.astimezone(zone)
        day = local.date()
        if touch.plan != CALENDAR.name or day >= window.start:
            result.append(touch)
            continue
        week_end = date.fromordinal(day.toordinal() + 6)
        moved = replaced(touch, due_at=wall_time(window.start, local.time(), zone), moved_from=touch.due_at)
        why = (f"{touch.describe()} is still due on {window.start.isoformat()}: its week of the first 90 days runs "
               f"until {week_end.isoformat()}.")
        moves.append((touch, moved, why))
        result.append(moved)
    return result, moves


def _day_zero(
    account: AccountSnapshot, stage: Stage | None, stage_entered: date | None, journey: Journey | None
) -> tuple[date | None, str, str]:
    """Day 0 of the first 90 days, where it comes from, and why there is none (a customer that renewed)."""
    if journey is not None:
        return journey.started_on, "the journey's start", ""
    renewals = account.signals.get(signals.RENEWALS_COMPLETED)
    if renewals is not None and renewals > 0:
        return None, "", f"not a new customer: {renewals:g} renewal(s) completed"
    if account.contract_start is not None:
        return account.contract_start, "the contract start", ""
    if stage is Stage.ONBOARDING and stage_entered is not None:
        return stage_entered, "the day it entered Onboarding", ""
    return None, "", "the contract start is unknown"


def _known(
    journey: Journey | None, stage: Stage | None, stage_entered: date | None, generate: Window
) -> list[tuple[int, _Known]]:
    """What is known of the stage from each day on (sorted by first day; the first covers the window's start)."""
    first = generate.start.toordinal()
    if journey is None:
        if stage is None:
            return [(first, _Known(None, None, False, "no journey stage is known"))]
        entered = "" if stage_entered is None else f" (entered {stage_entered.isoformat()})"
        return [(first, _Known(stage, stage_entered, False, f"the stage given is {stage.label}{entered}"))]
    if journey.last_event.at <= generate.start:  # nothing changes inside the window (the usual review)
        return [(first, _state(journey, generate.start))]
    days = {e.at for e in journey.history if generate.start < e.at <= generate.end}
    return [(p.toordinal(), _state(journey, p)) for p in sorted({generate.start} | days)]


def _state(journey: Journey, day: date) -> _Known:
    if day < journey.started_on:
        return _Known(None, None, False, f"no journey stage is known before its start on {journey.started_on}")
    then = journey.as_of(day)
    tracks = then.tracks
    core = tracks.get("core")
    if core is not None:
        return _Known(core.stage, core.since, False, f"the core track is in {core.stage.label} since {core.since}")
    if tracks:
        lead = max(tracks.values(), key=lambda t: (t.stage, t.since, t.track))
        return _Known(lead.stage, lead.since, False,
                      f"the {lead.track} track is in {lead.stage.label} since {lead.since} (no core track is open)")
    return _Known(None, None, True, f"the journey has no open track since {then.last_event.at}")


def _runway(account: AccountSnapshot, renewal: RenewalTimeline | None, playbook: Playbook | None) -> _Runway | None:
    if renewal is not None:
        end = renewal.renewal_date
        ramp = (
            RENEWAL_RAMP_FROM_DAYS if renewal.touch_ramp_start is None else (end - renewal.touch_ramp_start).days,
            RENEWAL_RAMP_TO_DAYS if renewal.touch_ramp_end is None else (end - renewal.touch_ramp_end).days,
        )
        milestones = tuple((m.name, m.days_before, m.description) for m in renewal.milestones)
        return _Runway(renewal.playbook, end, renewal.runway_start, milestones, ramp, renewal.reasons)
    if account.contract_end is None:
        return None
    book = playbook if playbook is not None else playbook_for(account.segment)
    end = account.contract_end
    book.milestone_dates(end)  # refuses a renewal date too early for the runway (the error names it)
    start = date.fromordinal(max(1, end.toordinal() - book.runway_days))
    milestones = tuple((m.name, m.days_before, m.description) for m in book.milestones)
    return _Runway(book.name, end, start, milestones, book.touch_ramp, ())


def _low_touch(plan: CadencePlan) -> bool:
    """True when the plan has no personal touch recurring more often than every 3 months."""
    return not any(
        not i.automated and i.recurrence is not None and i.recurrence.approx_days < REVIEW_EVERY_DAYS
        for i in plan.items
    )


def _covered(item: CadenceItem, plan: CadencePlan) -> bool:
    """True when ``plan`` already touches at least as often as ``item``, in the same way (personal or automated)."""
    if item.recurrence is None:
        return False
    every = item.recurrence.approx_days
    return any(
        i.recurrence is not None and i.automated == item.automated and i.recurrence.approx_days <= every
        for i in plan.items
    )


def _stage_rhythm(state: _Known, regular: CadencePlan, low: bool) -> tuple[CadencePlan | None, str]:
    """The stage rhythm's touches the regular plan lacks (``None`` when none), and the sentence saying so."""
    if state.stage is None:
        return None, ""
    if state.stage is Stage.EXPANSION:
        return None, "Expansion adds no scheduled touch (alerts and events bring them)"
    if state.stage is Stage.RENEWAL:
        return None, "Renewal adds its touches inside the renewal runway"
    rhythm = stage_plan(state.stage, automated=low)
    missing = tuple(i for i in rhythm.items if not _covered(i, regular))
    if not missing:
        every = " and ".join(i.recurrence.describe() for i in rhythm.items if i.recurrence is not None)
        return None, f"its touches already come at least as often as {state.stage.label} asks ({every})"
    return CadencePlan(rhythm.name, missing, regular.local_time), ""


def _why_regular(start: int, day0: date | None, not_new: str, given: bool) -> str:
    what = "the plan given" if given else "the segment's plan"
    if day0 is not None and start < day0.toordinal():
        return f"{what}, before day 0 ({day0.isoformat()})"
    if day0 is not None:
        return f"{what}, after the first {CALENDAR_DAYS} days (day 0 was {day0.isoformat()})"
    return f"{what} ({not_new})" if not_new else what


def _why_extra(state: _Known, extra: CadencePlan, regular: CadencePlan, low: bool) -> str:
    label = state.stage.label if state.stage is not None else "the stage"
    every = " and ".join(i.recurrence.describe() for i in extra.items if i.recurrence is not None)
    since = "" if state.since is None else f" counted from {state.since.isoformat()}"
    how = (
        f", sent automated: the {regular.name} has no personal touch more often than every {REVIEW_EVERY_DAYS} days"
        if low else ""
    )
    return f"{label} asks for a touch {every}{since}, more often than the {regular.name} gives{how}"


def _why_runway(runway: _Runway, low: bool) -> str:
    days = (runway.renewal - runway.start).days
    how = ", sent automated (low- or tech-touch)" if low else ""
    if low and any(name == EARLY_START for name, _, _ in runway.milestones):
        how += " except the early start, which needs a person"
    why = "".join(f"; {_lower(r.rstrip('.'))}" for r in runway.reasons)
    internal = [f"T-{n}" for name, n, _ in runway.milestones if name in _NOT_A_TOUCH]
    team = f" (the internal preparation at {', '.join(internal)} is the team's work)" if internal else ""
    return (
        f"inside the renewal runway of the {runway.playbook} playbook, from T-{days} ({runway.start.isoformat()}) to "
        f"the renewal on {runway.renewal.isoformat()}: one touch per milestone with the customer{team}, and "
        f"{_ramp_words(runway.ramp, days)}{how}{why}"
    )


def _lower(text: str) -> str:
    """``text`` with a lower-case first letter (to continue a sentence)."""
    return text[:1].lower() + text[1:]


def _ramp_words(ramp: tuple[int, int], days: int) -> str:
    """The touch ramp in words, inside a runway of ``days`` days."""
    start, weekly = ramp
    if min(start, days) <= weekly:
        return f"weekly touches from T-{min(weekly, days)}"
    return f"touches that increase from T-{min(start, days)} (weekly from T-{weekly})"


def _renewal_plan(runway: _Runway, low: bool) -> CadencePlan:
    return _renewal_items(runway.playbook, runway.milestones, runway.ramp, low)


@lru_cache(maxsize=256)
def _renewal_items(
    playbook: str, milestones: tuple[tuple[str, int, str], ...], ramp: tuple[int, int], low: bool
) -> CadencePlan:
    """The renewal plan of a playbook's milestones and ramp (anchored on the renewal date: built once)."""
    items: list[CadenceItem] = []
    for name, days, description in milestones:
        if name in _NOT_A_TOUCH or days < 0:
            continue
        personal = not low or name == EARLY_START
        text = description or name.replace("_", " ")
        if name == EARLY_START:
            text = f"start the renewal early ({_lower(text.rstrip('.'))})"
        items.append(CadenceItem(
            name if name.startswith("renewal") else f"renewal_{name}", f"Renewal T-{days}: {text}",
            MessageType.COMPLEX_TOPIC if personal else MessageType.QUICK_UPDATE,
            {ValuePurpose.REINFORCE_VALUE, ValuePurpose.DIALOGUE}, anchor=Anchor.RENEWAL_DATE, offset_days=-days,
            automated=not personal, rank=1,
        ))  # fmt: skip
    items += renewal_ramp_items(*ramp, automated=low)
    return CadencePlan(f"{playbook} renewal playbook", tuple(items))
