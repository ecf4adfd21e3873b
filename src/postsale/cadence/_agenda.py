"""The account agenda: scheduled touches and alerts merged into one ordered list, within the customer's
preferences and the frequency caps."""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from postsale import _checks
from postsale._errors import InvalidTypeError, InvalidValueError
from postsale._frozen import unchecked
from postsale._repr import readable
from postsale._vocabulary import AccountSnapshot, Stage
from postsale.cadence._alerts import AlertLike, priority_rank, touch_from_alert
from postsale.cadence._channels import Channel, choose_channel
from postsale.cadence._defaults import segment_plan
from postsale.cadence._follow import (
    PlanChoice,
    carry_week_in_progress,
    check_arguments,
    follows,
    journey_touches,
    shown,
)
from postsale.cadence._plans import Anchors, CadencePlan, Window
from postsale.cadence._preferences import ContactPreferences, FrequencyCap, Period, caps_for
from postsale.cadence._touches import Source, Touch, replaced, wall_time
from postsale.journey import Journey
from postsale.renewal import Playbook, RenewalTimeline

__all__ = ["Adjustment", "AdjustmentAction", "AdjustmentCause", "Agenda", "build_agenda", "merge_agenda"]

_LOOKBACK_DAYS = 6
"""A touch up to 6 days before a window can move into it from quiet days (at least one day a week is allowed)."""
_NO_PREFERENCES = ContactPreferences()
"""The preferences of a customer who stated none (weekends quiet): immutable, built once."""


class AdjustmentAction(enum.Enum):
    """What a preference or a cap did to a touch on the agenda.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> acme = AccountSnapshot("acme", "SMB", date(2026, 3, 1), contract_start=date(2025, 12, 15))
        >>> agenda = build_agenda(acme, Window(date(2026, 3, 1), date(2026, 3, 31)))
        >>> agenda.adjustments[0].action
        <AdjustmentAction.MOVED: 'moved'>
    """

    SUPPRESSED = "suppressed"
    MOVED = "moved"
    RECHANNELLED = "rechannelled"


class AdjustmentCause(enum.Enum):
    """Which preference or cap adjusted a touch on the agenda.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> acme = AccountSnapshot("acme", "SMB", date(2026, 3, 1), contract_start=date(2025, 12, 15))
        >>> agenda = build_agenda(acme, Window(date(2026, 3, 1), date(2026, 3, 31)))
        >>> agenda.adjustments[0].cause
        <AdjustmentCause.QUIET_DAY: 'quiet_day'>
    """

    OPT_OUT = "opt_out"
    QUIET_DAY = "quiet_day"
    SAME_DAY = "same_day"
    PREFERRED_FREQUENCY = "preferred_frequency"
    FREQUENCY_CAP = "frequency_cap"
    WEEK_IN_PROGRESS = "week_in_progress"
    """A first-90-days touch whose week is still running when the agenda starts: it is still due, on its first day."""
    HOLIDAY = "holiday"
    """A scheduled touch falling on one of the vendor's holidays: it moves to the next allowed day."""


def _to_action(value: Any) -> AdjustmentAction:
    return _checks.member(AdjustmentAction, "action", value)


def _to_cause(value: Any) -> AdjustmentCause:
    return _checks.member(AdjustmentCause, "cause", value)


@attrs.frozen
class Adjustment:
    """A touch that was suppressed, moved or sent through another channel, with the reason.

    Attributes:
        touch: The touch as it was.
        action: What happened to it.
        cause: Which preference or cap did it.
        reason: One plain sentence.
        result: The touch as it is now (``None`` when suppressed).

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> acme = AccountSnapshot("acme", "SMB", date(2026, 3, 1), contract_start=date(2025, 12, 15))
        >>> moved = build_agenda(acme, Window(date(2026, 3, 1), date(2026, 3, 31))).adjustments[0]
        >>> moved.touch.due_at.date(), moved.result.due_at.date()
        (datetime.date(2026, 3, 15), datetime.date(2026, 3, 16))
    """

    __repr__ = readable
    touch: Touch = attrs.field(validator=_checks.validator(lambda f, v: _instance(f, v, Touch)))
    action: AdjustmentAction = attrs.field(converter=_to_action)
    cause: AdjustmentCause = attrs.field(converter=_to_cause)
    reason: str = attrs.field(validator=_checks.validator(_checks.text))
    result: Touch | None = attrs.field(
        default=None, validator=_checks.validator(lambda f, v: _instance(f, v, Touch, optional=True))
    )


def _zone_name(value: Any) -> str:
    _checks.time_zone("time_zone", value)
    return str(value)


def _to_touches(value: Any) -> tuple[Touch, ...]:
    return _checks.items("touches", value, Touch)


def _to_adjustments(value: Any) -> tuple[Adjustment, ...]:
    return _checks.items("adjustments", value, Adjustment)


def _to_plans(value: Any) -> tuple[PlanChoice, ...]:
    return _checks.items("plans", value, PlanChoice)


@attrs.frozen
class Agenda:
    """One account's touches for a window: sorted, de-duplicated, within its preferences and caps.

    Attributes:
        account_id: The account.
        window: The dates covered (in the account's zone).
        time_zone: The account's IANA time zone.
        touches: The touches, in order: due time, alerts first, rank, key.
        adjustments: Every touch suppressed, moved or rechannelled, with its reason.
        plans: Which plan scheduled the touches on which days, and why (:func:`build_agenda` fills it).

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> acme = AccountSnapshot("acme", "SMB", date(2026, 3, 1), contract_start=date(2025, 12, 15))
        >>> build_agenda(acme, Window(date(2026, 3, 1), date(2026, 3, 31))).explain()[0]
        'Account acme has 2 touch(es) from 2026-03-01 to 2026-03-31: 2 scheduled, 0 from alerts.'
    """

    __repr__ = readable
    account_id: str = attrs.field(validator=_checks.validator(_checks.text))
    window: Window = attrs.field(validator=_checks.validator(lambda f, v: _instance(f, v, Window)))
    time_zone: str = attrs.field(converter=_zone_name)
    touches: tuple[Touch, ...] = attrs.field(converter=_to_touches)
    adjustments: tuple[Adjustment, ...] = attrs.field(
        default=(), converter=_to_adjustments
    )
    plans: tuple[PlanChoice, ...] = attrs.field(default=(), converter=_to_plans)

    @property
    def flagged(self) -> tuple[Touch, ...]:
        """Touches without a value purpose ("just checking in is not enough")."""
        return tuple(t for t in self.touches if t.flagged)

    @property
    def suppressed(self) -> tuple[Adjustment, ...]:
        """The adjustments that suppressed a touch."""
        return tuple(a for a in self.adjustments if a.action is AdjustmentAction.SUPPRESSED)

    def explain(self) -> list[str]:
        """Say what is on the agenda and what was changed, in plain sentences."""
        alerts = sum(1 for t in self.touches if t.source is Source.ALERT)
        sentences = [
            f"Account {self.account_id} has {len(self.touches)} touch(es) from {self.window.start.isoformat()} to "
            f"{self.window.end.isoformat()}: {len(self.touches) - alerts} scheduled, {alerts} from alerts."
        ]
        sentences.extend(choice.describe() for choice in self.plans)
        sentences.extend(
            f"{t.describe()} declares no value purpose: just checking in is not enough." for t in self.flagged
        )
        sentences.extend(a.reason for a in self.adjustments)
        return sentences


def _instance(field: str, value: object, cls: type, *, optional: bool = False) -> None:
    """Refuse a value of the wrong type, naming the field."""
    if (value is None and optional) or isinstance(value, cls):
        return
    what = _checks.a(cls.__name__)
    raise InvalidTypeError(f"expected {what}", field=field, value=value, hint=f"pass {what}")


def merge_agenda(
    account_id: str,
    touches: Iterable[Touch],
    window: Window,
    *,
    time_zone: str = "UTC",
    preferences: ContactPreferences | None = None,
    caps: Sequence[FrequencyCap] = (),
    fold_same_day: bool = True,
    holidays: Collection[date] = frozenset(),
) -> Agenda:
    """Merge one account's touches into its agenda for ``window`` (idempotent: merging the result changes nothing).

    In order: keep the touches due in the window (scheduled touches up to 6 days before it may move into it);
    move scheduled touches off quiet days and ``holidays`` to the next allowed day; send touches whose channel is
    opted out through the next suitable channel, else suppress them; drop duplicates (same key, same day) and fold
    personal scheduled touches falling on the same day into the most important one (automated ones when they share
    plan and channel); keep one scheduled touch per preferred period; apply each frequency cap (scheduled touches
    are suppressed before alerts, then the higher ranks, then the later ones). Alerts keep their SLA deadline even
    on a quiet day or a holiday. Every suppressed, moved or rechannelled touch is reported.

    Args:
        account_id: The account; every touch must belong to it.
        touches: Scheduled touches and touches from alerts, in any order, duplicates allowed.
        window: The dates of the agenda (inclusive, in ``time_zone``).
        time_zone: The account's IANA time zone.
        preferences: The customer's contact preferences (default: weekends quiet, nothing else).
        caps: Frequency caps (default: none here; :func:`build_agenda` uses the segment's).
        fold_same_day: Fold personal scheduled touches of the same day into the most important one (automated
            ones when they come from the same plan through the same channel).
        holidays: The vendor's days off (dates): no scheduled touch is due on one.

    Returns:
        The agenda, sorted by due time, then alerts first, then rank and key.

    Raises:
        InvalidValueError: a touch of another account.
        UnknownNameError: an unknown time zone.

    Examples:
        >>> from datetime import UTC, date, datetime
        >>> window = Window(date(2026, 3, 2), date(2026, 3, 13))
        >>> call = Touch("acme", datetime(2026, 3, 7, 10, tzinfo=UTC), "call", "Account call")
        >>> agenda = merge_agenda("acme", [call], window)
        >>> [t.due_at.date().isoformat() for t in agenda.touches], agenda.adjustments[0].cause.name
        (['2026-03-09'], 'QUIET_DAY')
    """
    _checks.text("account_id", account_id)
    zone = _checks.time_zone("time_zone", time_zone)
    _instance("window", window, Window)
    _instance("preferences", preferences, ContactPreferences, optional=True)
    caps = _checks.items("caps", caps, FrequencyCap)
    _checks.instance("fold_same_day", fold_same_day, bool)
    off = _checks.days("holidays", holidays)
    given = list(_checks.items("touches", touches))
    for i, touch in enumerate(given):
        if not isinstance(touch, Touch):
            raise InvalidTypeError("expected a Touch", field=f"touches[{i}]", value=touch, hint="use touch_from_alert")
    kept, adjustments = _merged(account_id, given, window, zone, preferences, caps, fold_same_day, off)
    return Agenda(account_id, window, _zone_name(time_zone), tuple(kept), tuple(adjustments))


def _merged(
    account_id: str, given: list[Touch], window: Window, zone: ZoneInfo, preferences: ContactPreferences | None,
    caps: Sequence[FrequencyCap], fold_same_day: bool, off: frozenset[date],
) -> tuple[list[Touch], list[Adjustment]]:
    """:func:`merge_agenda`'s work on checked arguments: the touches kept, in order, and the adjustments."""
    prefs = _NO_PREFERENCES if preferences is None else preferences
    adjustments: list[Adjustment] = []
    earliest = _days_before(window.start, _LOOKBACK_DAYS)
    kept: list[Touch] = []
    seen: set[Touch] = set()
    for touch in sorted(given, key=_sort_key):
        if touch.account_id != account_id:
            raise InvalidValueError(
                "belongs to another account",
                field="touches",
                value=touch.account_id,
                constraint=f"every touch must be for account {account_id!r}",
                hint="merge one account at a time",
            )
        if touch in seen:  # the very same touch twice: merging is idempotent
            continue
        seen.add(touch)
        day = touch.local_date(zone)
        if touch.source is Source.SCHEDULED:
            if not earliest <= day <= window.end:
                continue
            if prefs.is_quiet(day) or day in off:
                moved = _move(touch, prefs, zone, window, adjustments, off)
                if moved is not None:
                    kept.append(moved)
                continue
            if day < window.start:
                continue
        elif day not in window:
            continue
        kept.append(touch)
    kept = _opt_outs(kept, prefs, adjustments)
    kept = _same_day(kept, zone, fold_same_day, adjustments)
    if prefs.frequency is not None:
        kept = _thin(kept, zone, prefs.frequency, 1, cause=AdjustmentCause.PREFERRED_FREQUENCY,
                     adjustments=adjustments, scheduled_only=True)
    for cap in caps:
        kept = _thin(kept, zone, cap.period, cap.max_touches, cause=AdjustmentCause.FREQUENCY_CAP,
                     adjustments=adjustments, cap=cap)
    kept.sort(key=_sort_key)
    return kept, adjustments


def _days_before(day: date, days: int) -> date:
    """``day`` minus ``days`` days, or the first day of the calendar when that is earlier."""
    return date.fromordinal(max(1, day.toordinal() - days))


def _sort_key(touch: Touch) -> tuple[datetime, int, int, str, str]:
    return touch.sort_key


def _move(
    touch: Touch, prefs: ContactPreferences, zone: ZoneInfo, window: Window, adjustments: list[Adjustment],
    holidays: frozenset[date],
) -> Touch | None:
    local = touch.due_at.astimezone(zone)
    target = prefs.next_allowed(local.date(), holidays=holidays)
    if target < window.start:
        return None
    moved = replaced(
        touch,
        due_at=wall_time(target, local.time(), zone),
        moved_from=touch.moved_from if touch.moved_from is not None else touch.due_at,
    )
    where = "" if target <= window.end else ", outside this window"
    quiet = prefs.is_quiet(local.date())  # the customer's own wish first, when the day is both
    cause = AdjustmentCause.QUIET_DAY if quiet else AdjustmentCause.HOLIDAY
    skipped = [d.isoformat() for d in sorted(holidays) if local.date() <= d < target]
    off = "" if not skipped else (f"{skipped[0]} is a holiday" if len(skipped) == 1
                                  else f"{', '.join(skipped[:-1])} and {skipped[-1]} are holidays")
    why = "; ".join(w for w in (f"the customer asked for no touches on {local:%A}" if quiet else "", off) if w)
    adjustments.append(
        Adjustment(touch, AdjustmentAction.MOVED, cause, f"{touch.describe()} moved to {target.isoformat()}{where}: "
                   f"{why}.", moved)
    )
    return moved if target <= window.end else None


def _opt_outs(touches: list[Touch], prefs: ContactPreferences, adjustments: list[Adjustment]) -> list[Touch]:
    if not prefs.opted_out:
        return touches
    result = []
    for touch in touches:
        if touch.channel is None or prefs.allows(touch.channel):
            result.append(touch)
            continue
        if touch.message_type is not None:
            channel = choose_channel(
                touch.message_type, opted_out=prefs.opted_out, preferred=prefs.preferred_channels
            ).channel
        else:
            channel = next((c for c in prefs.preferred_channels if c not in prefs.opted_out), None)
        name = touch.channel.name.lower().replace("_", " ")
        if channel is None:
            adjustments.append(Adjustment(
                touch, AdjustmentAction.SUPPRESSED, AdjustmentCause.OPT_OUT,
                f"{touch.describe()} suppressed: the customer opted out of {name} and no other suitable channel "
                "is allowed.",
            ))
            continue
        new = replaced(touch, channel=channel)
        result.append(new)
        other = channel.name.lower().replace("_", " ")
        adjustments.append(Adjustment(touch, AdjustmentAction.RECHANNELLED, AdjustmentCause.OPT_OUT,
                                      f"{touch.describe()} goes by {other}: the customer opted out of {name}.", new))
    return result


def _same_day(touches: list[Touch], zone: ZoneInfo, fold: bool, adjustments: list[Adjustment]) -> list[Touch]:
    best: dict[tuple[Any, ...], Touch] = {}
    losers: list[tuple[Touch, tuple[Any, ...]]] = []
    for touch in sorted(touches, key=_priority_key):
        day = touch.local_date(zone)
        keys: list[tuple[Any, ...]] = [("same", touch.source, touch.key, day)]
        if fold and touch.source is Source.SCHEDULED and not touch.automated:
            keys.append(("fold", day))
        elif fold and touch.source is Source.SCHEDULED and touch.plan is not None:
            keys.append(("fold automated", touch.plan, touch.channel, day))
        winner = next((k for k in keys if k in best), None)
        if winner is None:
            for k in keys:
                best[k] = touch
        else:
            losers.append((touch, winner))
    kept = {id(t) for t in best.values()}
    for touch, key in losers:
        into = best[key]
        if into.key == touch.key and into.source is touch.source:
            reason = f"{touch.describe()} dropped: it is already on the agenda that day."
        else:
            reason = f"{touch.describe()} folded into {into.title!r} on the same day."
        adjustments.append(Adjustment(touch, AdjustmentAction.SUPPRESSED, AdjustmentCause.SAME_DAY, reason))
    return [t for t in touches if id(t) in kept]


def _priority_key(touch: Touch) -> tuple[int, int, datetime, str]:
    return touch.priority_key


def _thin(
    touches: list[Touch],
    zone: ZoneInfo,
    period: Period,
    limit: int,
    *,
    cause: AdjustmentCause,
    adjustments: list[Adjustment],
    scheduled_only: bool = False,
    cap: FrequencyCap | None = None,
) -> list[Touch]:
    counts: dict[date, list[Touch]] = defaultdict(list)
    dropped: set[int] = set()
    for touch in sorted(touches, key=_priority_key):
        if scheduled_only and touch.source is not Source.SCHEDULED:
            continue
        if cap is not None and touch.automated and not cap.count_automated:
            continue
        start = period.start_of(touch.local_date(zone))
        group = counts[start]
        if len(group) < limit:
            group.append(touch)
            continue
        dropped.add(id(touch))
        if cap is None:
            why = f"the customer prefers {period.adverb} contact and {group[0].describe()} is more important"
        else:
            why = f"the cap allows {cap.describe()} and that {period.value} is full"
        sentence = f"{touch.describe()} suppressed: {why}."
        adjustments.append(Adjustment(touch, AdjustmentAction.SUPPRESSED, cause, sentence))
    return [t for t in touches if id(t) not in dropped]


def build_agenda(
    account: AccountSnapshot,
    window: Window,
    *,
    plan: CadencePlan | None = None,
    alerts: Iterable[AlertLike] = (),
    preferences: ContactPreferences | None = None,
    caps: Sequence[FrequencyCap] | None = None,
    stage_entered: date | None = None,
    rank: Callable[[object], int] = priority_rank,
    channel_of: Callable[[AlertLike], Channel | None] | None = None,
    fold_same_day: bool = True,
    follow_journey: bool | None = None,
    stage: Stage | str | int | None = None,
    journey: Journey | None = None,
    renewal: RenewalTimeline | None = None,
    playbook: Playbook | None = None,
    holidays: Collection[date] = frozenset(),
) -> Agenda:
    """Build one account's agenda: its plan's touches and its alerts, merged for ``window``.

    By default the touches come from one plan (``plan``, else the segment's). Following the journey
    (``follow_journey=True``, implied by ``stage``, ``journey``, ``renewal`` or ``playbook``), the plan changes
    with the account's days:

    * days 0-89 of a new customer (day 0: the journey's start, else the contract start unless the snapshot records a
      completed renewal): the first-90-days calendar, from the welcome call on; a calendar touch whose week is still
      running when the agenda starts is due on its first day (``WEEK_IN_PROGRESS``);
    * after that: the regular plan (``plan``, else the segment's), plus the touches of the stage's rhythm it lacks
      (the stage from ``stage`` or the journey's core track; sent automated for a low- or tech-touch plan); none
      once the journey has no open track;
    * inside the renewal runway (``renewal``'s, else the segment's playbook's): one touch per milestone with the
      customer and touches that increase as the decision approaches, on top.

    Every touch names its plan (:attr:`Touch.plan`) and :attr:`Agenda.plans` says which plan applied when, and why.

    Args:
        account: The account (its segment, time zone, contract start and end are read).
        window: The dates wanted, in the account's time zone.
        plan: The cadence plan (default: :func:`segment_plan` of the account's segment); the regular plan when
            following the journey.
        alerts: Any iterable of alert-like values (:data:`AlertLike`); alerts of other accounts, and alerts the
            trigger engine held back (``delivered`` is ``False``), are ignored.
        preferences: The customer's contact preferences (default: weekends quiet).
        caps: Frequency caps (default: :func:`caps_for` the account's segment; ``()`` for none).
        stage_entered: When the account entered its stage (needed by stage plans, and with ``stage``).
        rank: Turns an alert priority into a rank, lower = more urgent (the default is described in :data:`AlertLike`).
        channel_of: Reads an alert's channel (default: its optional ``channel`` attribute).
        fold_same_day: Fold personal scheduled touches of the same day into the most important one (automated
            ones when they come from the same plan through the same channel).
        follow_journey: Follow the journey (``None``: when ``stage``, ``journey``, ``renewal`` or ``playbook`` is
            given).
        stage: The account's journey stage (with ``stage_entered``), when no journey is given.
        journey: The account's journey: its start is day 0, its core track gives the stage on each day.
        renewal: The account's renewal timeline (:func:`postsale.renewal.renewal_timeline`: a widened runway
            included); default: the segment's playbook counted back from ``contract_end``.
        playbook: The renewal playbook when no timeline is given (default: the segment's).
        holidays: The vendor's days off (dates): scheduled touches move to the next allowed day.

    Returns:
        The agenda (see :func:`merge_agenda` for the rules).

    Raises:
        InvalidValueError: an anchor the plan needs is unknown (e.g. ``contract_start``); a journey or timeline of
            another account; ``stage`` with ``journey``, ``playbook`` with ``renewal``; journey arguments with
            ``follow_journey=False``.
        NaiveDatetimeError: an alert with a naive ``due_at`` (named ``alerts[i].due_at``).
        UnknownNameError: an alert channel naming no :class:`Channel`; an unknown stage.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> acme = AccountSnapshot("acme", "SMB", date(2026, 3, 1), contract_start=date(2025, 12, 15))
        >>> agenda = build_agenda(acme, Window(date(2026, 3, 1), date(2026, 3, 31)))
        >>> [(t.key, t.due_at.date().isoformat()) for t in agenda.touches]
        [('monthly_email', '2026-03-16'), ('quarterly_call', '2026-03-17')]
        >>> agenda.adjustments[0].reason
        "'Monthly email' (email) on 2026-03-15 moved to 2026-03-16: the customer asked for no touches on Sunday."

        A new SMB account reviewed on day 3, following its journey:

        >>> shop = AccountSnapshot("shop", "SMB", date(2026, 3, 5), contract_start=date(2026, 3, 2),
        ...                        contract_end=date(2027, 3, 1))
        >>> agenda = build_agenda(shop, Window.days(date(2026, 3, 5), 14), follow_journey=True)
        >>> for touch in agenda.touches:
        ...     print(touch.due_at.date(), touch.title, "-", touch.plan)
        2026-03-05 Welcome call + setup guidance - first 90 days
        2026-03-09 Setup progress check-in + quick tips - first 90 days
        2026-03-16 Feature spotlight email + training resources - first 90 days
        >>> agenda.adjustments[0].cause.name
        'WEEK_IN_PROGRESS'
    """
    _instance("account", account, AccountSnapshot)
    _instance("window", window, Window)
    _instance("plan", plan, CadencePlan, optional=True)
    _instance("preferences", preferences, ContactPreferences, optional=True)
    if caps is not None:
        caps = _checks.items("caps", caps, FrequencyCap)
    if not callable(rank):
        raise InvalidTypeError("expected a function", field="rank", value=rank, hint="pass a function of a priority")
    if channel_of is not None and not callable(channel_of):
        raise InvalidTypeError("expected a function", field="channel_of", value=channel_of,
                               hint="pass a function of an alert, or None")
    holidays = _checks.days("holidays", holidays)
    given_stage = check_arguments(account, stage, journey, renewal, playbook)
    follow = follows(follow_journey, stage=stage, journey=journey, renewal=renewal, playbook=playbook)
    scheduled_plan = segment_plan(account.segment) if plan is None else plan
    generate = Window(_days_before(window.start, _LOOKBACK_DAYS), window.end)
    zone = _checks.time_zone("time_zone", account.time_zone)
    carried: list[Adjustment] = []
    if follow:
        touches, plans = journey_touches(
            account, generate, regular=scheduled_plan, regular_given=plan is not None, stage=given_stage,
            stage_entered=stage_entered, journey=journey, renewal=renewal, playbook=playbook,
        )
        touches, moves = carry_week_in_progress(touches, window, zone)
        week = AdjustmentCause.WEEK_IN_PROGRESS
        carried = [Adjustment(t, AdjustmentAction.MOVED, week, why, m) for t, m, why in moves]
    else:
        anchors = Anchors(account.contract_start, account.contract_end, stage_entered)
        touches = list(scheduled_plan.touchpoints(account.account_id, generate, anchors, time_zone=account.time_zone))
        why = "the plan given" if plan is not None else "the segment's plan (the journey is not followed)"
        plans = (PlanChoice(scheduled_plan.name, window.start, window.end, why),)
    for i, alert in enumerate(_checks.items("alerts", alerts)):
        owner = getattr(alert, "account_id", None)
        if owner is None:
            touch_from_alert(alert, field=f"alerts[{i}]")  # raises: not alert-like
        if owner != account.account_id or getattr(alert, "delivered", True) is False:
            continue
        touch = touch_from_alert(alert, rank=rank, channel_of=channel_of, field=f"alerts[{i}]")
        touches.append(replaced(touch, due_at=touch.due_at.astimezone(zone)))  # same instant, account's zone
    # The touches are the plan's and the alerts' of this account, the other arguments are checked above: merge them
    # as merge_agenda does, and build the agenda once from the checked values.
    _checks.instance("fold_same_day", fold_same_day, bool)
    kept, adjustments = _merged(account.account_id, touches, window, zone, preferences,
                                caps_for(account.segment) if caps is None else caps, fold_same_day, holidays)
    merged = tuple(kept)
    plans = shown(plans, window, merged) if follow else plans
    return unchecked(Agenda, account.account_id, window, account.time_zone, merged, (*carried, *adjustments), plans)
