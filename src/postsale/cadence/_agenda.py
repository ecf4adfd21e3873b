"""The account agenda: scheduled touches and alerts merged into one ordered list, and the CSM portfolio view
(domain-spec §5.2, §5.12, §5.13)."""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any, Protocol, TypeAlias
from zoneinfo import ZoneInfo

import attrs

from postsale import _checks
from postsale._errors import InvalidTypeError, InvalidValueError
from postsale._vocabulary import AccountSnapshot
from postsale.cadence._channels import Channel, ValuePurpose, choose_channel
from postsale.cadence._defaults import segment_plan
from postsale.cadence._plans import Anchors, CadencePlan, Source, Touch, Window, wall_time
from postsale.cadence._preferences import ContactPreferences, FrequencyCap, Period, caps_for

__all__ = [
    "Action",
    "Adjustment",
    "Agenda",
    "AlertLike",
    "AlertWithDue",
    "AlertWithDueAt",
    "Cause",
    "CsmWeek",
    "PortfolioView",
    "build_agenda",
    "merge_agenda",
    "portfolio_view",
    "priority_rank",
    "touch_from_alert",
]

_LOOKBACK_DAYS = 6
"""A touch up to 6 days before a window can move into it from quiet days (at least one day a week is allowed)."""


class AlertWithDueAt(Protocol):
    """An alert whose SLA deadline is ``due_at`` (see :data:`AlertLike`)."""

    @property
    def account_id(self) -> str: ...

    @property
    def rule_id(self) -> str: ...

    @property
    def due_at(self) -> datetime: ...

    @property
    def priority(self) -> object: ...


class AlertWithDue(Protocol):
    """An alert whose SLA deadline is ``due``, like ``postsale.triggers.Alert`` (see :data:`AlertLike`)."""

    @property
    def account_id(self) -> str: ...

    @property
    def rule_id(self) -> str: ...

    @property
    def due(self) -> datetime: ...

    @property
    def priority(self) -> object: ...


AlertLike: TypeAlias = AlertWithDueAt | AlertWithDue
"""What the agenda needs from an alert: the extension point for any trigger engine.

``postsale.triggers.Alert`` fits, and so does any object (attrs class, dataclass, named tuple) with these
read-only attributes:

* ``account_id: str`` - the account (alerts for other accounts are ignored by :func:`build_agenda`);
* ``rule_id: str`` - the kind of alert (its key on the agenda);
* ``due_at: datetime`` (or ``due``) - the SLA deadline, timezone-aware (naive datetimes are refused);
* ``priority: object`` - an int, an ``IntEnum`` or an ``Enum``; lower ranks first (see :func:`priority_rank`).

Optional attributes read when present: a title (``title``, else ``rule_name``, else ``action.description``), a
channel (``channel``, else ``action.channel``: a :class:`Channel`, or an enum member or string naming one, e.g.
``"email"``, ``"call"``), and ``delivered`` (an alert held back by the trigger engine's hygiene, ``False``, is not
put on the agenda).
"""


def priority_rank(priority: object) -> int:
    """Return the rank of an alert priority: lower is more urgent.

    Ints and ``IntEnum`` members are their value; other enums use their int value, else their declaration order
    (the first member is the most urgent). Pass ``rank=`` to :func:`build_agenda` for another convention.

    Raises:
        InvalidTypeError: a priority that is neither an int nor an enum member.

    Examples:
        >>> import enum
        >>> class Priority(enum.Enum):
        ...     URGENT = "urgent"
        ...     HIGH = "high"
        ...     NORMAL = "normal"
        >>> priority_rank(Priority.HIGH), priority_rank(0)
        (1, 0)
    """
    if isinstance(priority, bool):
        raise InvalidTypeError("expected an int or an enum member", field="priority", value=priority)
    if isinstance(priority, int):
        return _checks.count("priority", int(priority))
    if isinstance(priority, enum.Enum):
        value = priority.value
        if isinstance(value, int) and not isinstance(value, bool):
            return _checks.count("priority", value)
        return list(type(priority)).index(priority)
    raise InvalidTypeError(
        "expected an int or an enum member",
        field="priority",
        value=priority,
        hint="pass rank=... to build_agenda to turn your priorities into ints (lower = more urgent)",
    )


def _alert_channel(value: object, field: str) -> Channel | None:
    if value is None or isinstance(value, Channel):
        return value
    name = value.name if isinstance(value, enum.Enum) else value
    return Channel.parse(name, field=field)


def _optional(alert: object, *paths: str) -> object:
    """The first attribute path (``"action.channel"``) present on ``alert``, not ``None`` and not blank."""
    for path in paths:
        value: object = alert
        for name in path.split("."):
            value = getattr(value, name, None)
        if value is not None and not (isinstance(value, str) and not value.strip()):
            return value
    return None


def touch_from_alert(
    alert: AlertLike,
    *,
    rank: Callable[[object], int] = priority_rank,
    channel_of: Callable[[AlertLike], Channel | None] | None = None,
    field: str = "alert",
) -> Touch:
    """Return the agenda touch an alert demands: due at its SLA deadline, serving a specific need.

    Args:
        alert: Any alert-like value (see :data:`AlertLike`).
        rank: Turns the alert's ``priority`` into a rank (lower = more urgent).
        channel_of: Reads the alert's channel; by default its ``channel`` (or ``action.channel``) attribute.
        field: Name of the alert in error messages (``alerts[3]``).

    Raises:
        NaiveDatetimeError: a naive due time.
        UnknownNameError: a channel that names no :class:`Channel`.
        InvalidTypeError: a missing attribute or a priority that cannot be ranked.
    """
    due_at = _optional(alert, "due_at", "due")
    missing = [name for name in ("account_id", "rule_id", "priority") if not hasattr(alert, name)]
    if due_at is None:
        missing.append("due_at")
    if missing:
        raise InvalidTypeError(
            "is not alert-like",
            field=field,
            value=alert,
            constraint="needs account_id, rule_id, due_at (or due) and priority (postsale.cadence.AlertLike)",
            hint=f"add the missing attribute(s): {', '.join(missing)}",
        )
    account_id, rule_id, priority = alert.account_id, alert.rule_id, alert.priority
    due = _checks.aware(f"{field}.due_at", due_at)
    if channel_of is not None:
        channel = channel_of(alert)
    else:
        channel = _alert_channel(_optional(alert, "channel", "action.channel"), f"{field}.channel")
    title = _optional(alert, "title", "rule_name", "action.description")
    return Touch(
        _checks.text(f"{field}.account_id", account_id),
        due,
        _checks.text(f"{field}.rule_id", rule_id),
        title if isinstance(title, str) and title.strip() else rule_id,
        Source.ALERT,
        channel,
        None,
        frozenset({ValuePurpose.SPECIFIC_NEED}),
        rank(priority),
    )


class Action(enum.Enum):
    """What a preference or a cap did to a touch."""

    SUPPRESSED = "suppressed"
    MOVED = "moved"
    RECHANNELLED = "rechannelled"


class Cause(enum.Enum):
    """Why a touch was adjusted."""

    OPT_OUT = "opt_out"
    QUIET_DAY = "quiet_day"
    SAME_DAY = "same_day"
    PREFERRED_FREQUENCY = "preferred_frequency"
    FREQUENCY_CAP = "frequency_cap"


@attrs.frozen
class Adjustment:
    """A touch that was suppressed, moved or sent through another channel, with the reason.

    Attributes:
        touch: The touch as it was.
        action: What happened to it.
        cause: Which preference or cap did it.
        reason: One plain sentence.
        result: The touch as it is now (``None`` when suppressed).
    """

    touch: Touch
    action: Action
    cause: Cause
    reason: str
    result: Touch | None = None


@attrs.frozen
class Agenda:
    """One account's touches for a window: sorted, de-duplicated, within its preferences and caps.

    Attributes:
        account_id: The account.
        window: The dates covered (in the account's zone).
        time_zone: The account's IANA time zone.
        touches: The touches, in order: due time, alerts first, rank, key.
        adjustments: Every touch suppressed, moved or rechannelled, with its reason.
    """

    account_id: str
    window: Window
    time_zone: str
    touches: tuple[Touch, ...]
    adjustments: tuple[Adjustment, ...] = ()

    @property
    def flagged(self) -> tuple[Touch, ...]:
        """Touches without a value purpose ("just checking in is not enough", domain-spec §5.11)."""
        return tuple(t for t in self.touches if t.flagged)

    @property
    def suppressed(self) -> tuple[Adjustment, ...]:
        """The adjustments that suppressed a touch."""
        return tuple(a for a in self.adjustments if a.action is Action.SUPPRESSED)

    def explain(self) -> list[str]:
        """Say what is on the agenda and what was changed, in plain sentences."""
        alerts = sum(1 for t in self.touches if t.source is Source.ALERT)
        sentences = [
            f"Account {self.account_id} has {len(self.touches)} touch(es) from {self.window.start.isoformat()} to "
            f"{self.window.end.isoformat()}: {len(self.touches) - alerts} scheduled, {alerts} from alerts."
        ]
        sentences.extend(
            f"{t.describe()} declares no value purpose: just checking in is not enough." for t in self.flagged
        )
        sentences.extend(a.reason for a in self.adjustments)
        return sentences


def _instance(field: str, value: object, cls: type, *, optional: bool = False) -> None:
    """Refuse a value of the wrong type, naming the field."""
    if (value is None and optional) or isinstance(value, cls):
        return
    raise InvalidTypeError(f"expected a {cls.__name__}", field=field, value=value, hint=f"pass a {cls.__name__}")


def _zone_name(value: Any) -> str:
    _checks.time_zone("time_zone", value)
    return str(value)


def merge_agenda(
    account_id: str,
    touches: Iterable[Touch],
    window: Window,
    *,
    time_zone: str = "UTC",
    preferences: ContactPreferences | None = None,
    caps: Sequence[FrequencyCap] = (),
    fold_same_day: bool = True,
) -> Agenda:
    """Merge one account's touches into its agenda for ``window`` (idempotent: merging the result changes nothing).

    In order: keep the touches due in the window (scheduled touches up to 6 days before it may move into it);
    move scheduled touches off quiet days to the next allowed day; send touches whose channel is opted out through
    the next suitable channel, else suppress them; drop duplicates (same key, same day) and fold personal scheduled
    touches falling on the same day into the most important one; keep one scheduled touch per preferred period;
    apply each frequency cap (scheduled touches are suppressed before alerts, then the higher ranks, then the later
    ones). Alerts keep
    their SLA deadline even on a quiet day. Every suppressed, moved or rechannelled touch is reported.

    Args:
        account_id: The account; every touch must belong to it.
        touches: Scheduled touches and touches from alerts, in any order, duplicates allowed.
        window: The dates of the agenda (inclusive, in ``time_zone``).
        time_zone: The account's IANA time zone.
        preferences: The customer's contact preferences (default: weekends quiet, nothing else).
        caps: Frequency caps (default: none here; :func:`build_agenda` uses the segment's).
        fold_same_day: Fold personal scheduled touches of the same day into the most important one.

    Returns:
        The agenda, sorted by due time, then alerts first, then rank and key.

    Raises:
        InvalidValueError: a touch of another account.
        UnknownNameError: an unknown time zone.
    """
    zone = _checks.time_zone("time_zone", time_zone)
    _instance("window", window, Window)
    _instance("preferences", preferences, ContactPreferences, optional=True)
    for i, cap in enumerate(caps):
        _instance(f"caps[{i}]", cap, FrequencyCap)
    prefs = ContactPreferences() if preferences is None else preferences
    adjustments: list[Adjustment] = []
    earliest = window.start - timedelta(days=_LOOKBACK_DAYS)
    kept: list[Touch] = []
    seen: set[Touch] = set()
    given = list(touches)
    for i, touch in enumerate(given):
        if not isinstance(touch, Touch):
            raise InvalidTypeError("expected a Touch", field=f"touches[{i}]", value=touch, hint="use touch_from_alert")
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
            if prefs.is_quiet(day):
                moved = _move(touch, prefs, zone, window, adjustments)
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
        kept = _thin(
            kept,
            zone,
            prefs.frequency,
            1,
            cause=Cause.PREFERRED_FREQUENCY,
            adjustments=adjustments,
            scheduled_only=True,
        )
    for cap in caps:
        kept = _thin(
            kept, zone, cap.period, cap.max_touches, cause=Cause.FREQUENCY_CAP, adjustments=adjustments, cap=cap
        )
    kept.sort(key=_sort_key)
    return Agenda(account_id, window, _zone_name(time_zone), tuple(kept), tuple(adjustments))


def _sort_key(touch: Touch) -> tuple[datetime, int, int, str, str]:
    return touch.sort_key


def _move(
    touch: Touch, prefs: ContactPreferences, zone: ZoneInfo, window: Window, adjustments: list[Adjustment]
) -> Touch | None:
    local = touch.due_at.astimezone(zone)
    target = prefs.next_allowed(local.date())
    if target < window.start:
        return None
    moved = attrs.evolve(
        touch,
        due_at=wall_time(target, local.time(), zone),
        moved_from=touch.moved_from if touch.moved_from is not None else touch.due_at,
    )
    weekday = local.strftime("%A")
    where = "" if target <= window.end else ", outside this window"
    adjustments.append(
        Adjustment(
            touch,
            Action.MOVED,
            Cause.QUIET_DAY,
            f"{touch.describe()} moved to {target.isoformat()}{where}: the customer asked for no touches on {weekday}.",
            moved,
        )
    )
    return moved if target <= window.end else None


def _opt_outs(touches: list[Touch], prefs: ContactPreferences, adjustments: list[Adjustment]) -> list[Touch]:
    if not prefs.opted_out:
        return touches
    result = []
    for touch in touches:
        if prefs.allows(touch.channel):
            result.append(touch)
            continue
        assert touch.channel is not None  # allows(None) is True
        if touch.message_type is not None:
            channel = choose_channel(
                touch.message_type, opted_out=prefs.opted_out, preferred=prefs.preferred_channels
            ).channel
        else:
            channel = next((c for c in prefs.preferred_channels if c not in prefs.opted_out), None)
        name = touch.channel.name.lower().replace("_", " ")
        if channel is None:
            adjustments.append(
                Adjustment(
                    touch,
                    Action.SUPPRESSED,
                    Cause.OPT_OUT,
                    f"{touch.describe()} suppressed: the customer opted out of {name} and no other suitable channel "
                    "is allowed.",
                )
            )
            continue
        new = attrs.evolve(touch, channel=channel)
        result.append(new)
        other = channel.name.lower().replace("_", " ")
        adjustments.append(
            Adjustment(
                touch,
                Action.RECHANNELLED,
                Cause.OPT_OUT,
                f"{touch.describe()} goes by {other}: the customer opted out of {name}.",
                new,
            )
        )
    return result


def _same_day(touches: list[Touch], zone: ZoneInfo, fold: bool, adjustments: list[Adjustment]) -> list[Touch]:
    best: dict[tuple[Any, ...], Touch] = {}
    losers: list[tuple[Touch, tuple[Any, ...]]] = []
    for touch in sorted(touches, key=_priority_key):
        day = touch.local_date(zone)
        keys: list[tuple[Any, ...]] = [("same", touch.source, touch.key, day)]
        if fold and touch.source is Source.SCHEDULED and not touch.automated:
            keys.append(("fold", day))
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
        adjustments.append(Adjustment(touch, Action.SUPPRESSED, Cause.SAME_DAY, reason))
    return [t for t in touches if id(t) in kept]


def _priority_key(touch: Touch) -> tuple[int, int, datetime, str]:
    return touch.priority_key


def _thin(
    touches: list[Touch],
    zone: ZoneInfo,
    period: Period,
    limit: int,
    *,
    cause: Cause,
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
        adjustments.append(Adjustment(touch, Action.SUPPRESSED, cause, f"{touch.describe()} suppressed: {why}."))
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
) -> Agenda:
    """Build one account's agenda: its plan's touches and its alerts, merged for ``window``.

    Args:
        account: The account (its segment, time zone, contract start and end are read).
        window: The dates wanted, in the account's time zone.
        plan: The cadence plan (default: :func:`segment_plan` of the account's segment).
        alerts: Any iterable of alert-like values (:data:`AlertLike`); alerts of other accounts, and alerts the
            trigger engine held back (``delivered`` is ``False``), are ignored.
        preferences: The customer's contact preferences (default: weekends quiet).
        caps: Frequency caps (default: :func:`caps_for` the account's segment; ``()`` for none).
        stage_entered: When the account entered its stage (needed by stage plans).
        rank: Turns an alert priority into a rank, lower = more urgent (default :func:`priority_rank`).
        channel_of: Reads an alert's channel (default: its optional ``channel`` attribute).
        fold_same_day: Fold personal scheduled touches of the same day into the most important one.

    Returns:
        The agenda (see :func:`merge_agenda` for the rules).

    Raises:
        InvalidValueError: an anchor the plan needs is unknown (e.g. ``contract_start``).
        NaiveDatetimeError: an alert with a naive ``due_at`` (named ``alerts[i].due_at``).
        UnknownNameError: an alert channel naming no :class:`Channel`.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> acme = AccountSnapshot("acme", "SMB", date(2026, 3, 1), contract_start=date(2025, 12, 15))
        >>> agenda = build_agenda(acme, Window(date(2026, 3, 1), date(2026, 3, 31)))
        >>> [(t.key, t.due_at.date().isoformat()) for t in agenda.touches]
        [('monthly_email', '2026-03-16'), ('quarterly_call', '2026-03-17')]
        >>> agenda.adjustments[0].reason
        "'Monthly email' (email) on 2026-03-15 moved to 2026-03-16: the customer asked for no touches on Sunday."
    """
    _instance("account", account, AccountSnapshot)
    _instance("window", window, Window)
    _instance("plan", plan, CadencePlan, optional=True)
    _instance("preferences", preferences, ContactPreferences, optional=True)
    scheduled_plan = segment_plan(account.segment) if plan is None else plan
    anchors = Anchors(account.contract_start, account.contract_end, stage_entered)
    generate = Window(window.start - timedelta(days=_LOOKBACK_DAYS), window.end)
    zone = _checks.time_zone("time_zone", account.time_zone)
    touches = list(scheduled_plan.touchpoints(account.account_id, generate, anchors, time_zone=account.time_zone))
    for i, alert in enumerate(alerts):
        owner = getattr(alert, "account_id", None)
        if owner is None:
            touch_from_alert(alert, field=f"alerts[{i}]")  # raises: not alert-like
        if owner != account.account_id or getattr(alert, "delivered", True) is False:
            continue
        touch = touch_from_alert(alert, rank=rank, channel_of=channel_of, field=f"alerts[{i}]")
        touches.append(attrs.evolve(touch, due_at=touch.due_at.astimezone(zone)))  # same instant, account's zone
    return merge_agenda(
        account.account_id,
        touches,
        window,
        time_zone=account.time_zone,
        preferences=preferences,
        caps=caps_for(account.segment) if caps is None else caps,
        fold_same_day=fold_same_day,
    )


@attrs.frozen
class CsmWeek:
    """One CSM's load in one week (ISO week, Monday first).

    Attributes:
        csm: The CSM (``None`` for accounts without one).
        week_start: The Monday of the week.
        accounts: Accounts with at least one touch that week.
        personal: Touches needing the CSM's time (scheduled, not automated) - the load.
        alerts: Touches demanded by alerts (also the CSM's time).
        automated: Automated touches (no CSM time).
        capacity: Touches the CSM can handle per week, when known.
    """

    csm: str | None
    week_start: date
    accounts: int
    personal: int
    alerts: int
    automated: int
    capacity: int | None = None

    @property
    def load(self) -> int:
        """Touches needing the CSM's time: personal scheduled touches plus alerts."""
        return self.personal + self.alerts

    @property
    def over_capacity(self) -> bool:
        """True when the load exceeds the capacity (never when the capacity is unknown)."""
        return self.capacity is not None and self.load > self.capacity


@attrs.frozen
class PortfolioView:
    """Touches per CSM per week across many agendas, so capacity problems are visible.

    Attributes:
        weeks: One row per CSM and week, sorted by CSM (unassigned last) then week.
    """

    weeks: tuple[CsmWeek, ...]

    def over_capacity(self) -> tuple[CsmWeek, ...]:
        """Rows whose load exceeds the capacity."""
        return tuple(w for w in self.weeks if w.over_capacity)

    def explain(self) -> list[str]:
        """One sentence per CSM and week, flagging the weeks over capacity."""
        sentences = []
        for w in self.weeks:
            who = w.csm if w.csm is not None else "Unassigned accounts"
            text = (
                f"{who}, week of {w.week_start.isoformat()}: {w.load} touch(es) needing a CSM "
                f"({w.alerts} from alerts) over {w.accounts} account(s), plus {w.automated} automated."
            )
            if w.over_capacity:
                text += f" Over capacity ({w.capacity})."
            sentences.append(text)
        return sentences


def portfolio_view(
    agendas: Iterable[Agenda],
    *,
    accounts: Iterable[AccountSnapshot] = (),
    csm_of: Mapping[str, str] | None = None,
    capacity: int | None = None,
) -> PortfolioView:
    """Return the load per CSM per week over many account agendas.

    The CSM of an account comes from ``csm_of`` (account id → CSM) when given there, else from the account's
    ``labels["csm"]``; accounts with neither are grouped as unassigned (``csm=None``).

    Args:
        agendas: One agenda per account.
        accounts: The accounts' snapshots (for their ``csm`` label).
        csm_of: An explicit mapping of account id to CSM (wins over labels).
        capacity: Touches a CSM can handle per week (flags the weeks above it).

    Raises:
        InvalidTypeError: ``agendas`` or ``accounts`` is not a collection of agendas / snapshots, or ``csm_of``
            is not a mapping.
        InvalidValueError: a negative capacity.
    """
    given = _checks.items("agendas", agendas, Agenda)
    snapshots = _checks.items("accounts", accounts, AccountSnapshot)
    cap = None if capacity is None else _checks.count("capacity", capacity)
    owners: dict[str, str] = {a.account_id: a.labels["csm"] for a in snapshots if "csm" in a.labels}
    if csm_of is not None:
        owners.update(_checks.instance("csm_of", csm_of, Mapping, hint='pass a mapping such as {"acme": "Ana"}'))
    rows: dict[tuple[str | None, date], list[Any]] = {}
    for agenda in given:
        zone = _checks.time_zone("time_zone", agenda.time_zone)
        csm = owners.get(agenda.account_id)
        for touch in agenda.touches:
            week = Period.WEEK.start_of(touch.local_date(zone))
            row = rows.setdefault((csm, week), [set(), 0, 0, 0])
            row[0].add(agenda.account_id)
            if touch.source is Source.ALERT:
                row[2] += 1
            elif touch.automated:
                row[3] += 1
            else:
                row[1] += 1
    weeks = [
        CsmWeek(csm, week, len(row[0]), row[1], row[2], row[3], cap)
        for (csm, week), row in sorted(rows.items(), key=lambda kv: (kv[0][0] is None, kv[0][0] or "", kv[0][1]))
    ]
    return PortfolioView(tuple(weeks))
