"""Alerts on the agenda: what the agenda needs from any trigger engine's alerts, and the touch an alert demands."""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import datetime
from typing import Protocol, TypeAlias

from postsale import _checks
from postsale._errors import InvalidTypeError
from postsale.cadence._channels import Channel, ValuePurpose
from postsale.cadence._touches import Source, Touch

__all__ = ["AlertLike", "AlertWithDue", "AlertWithDueAt", "priority_rank", "touch_from_alert"]


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
* ``priority: object`` - an int, an ``IntEnum`` or an ``Enum``; lower ranks first (ints and int-valued enums by
  value, other enums by declaration order: the first member is the most urgent).

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
        rank: Turns the alert's ``priority`` into a rank (lower = more urgent; the default is described in
            :data:`AlertLike`).
        channel_of: Reads the alert's channel; by default its ``channel`` (or ``action.channel``) attribute.
        field: Name of the alert in error messages (``alerts[3]``).

    Raises:
        NaiveDatetimeError: a naive due time.
        UnknownNameError: a channel that names no :class:`Channel`.
        InvalidTypeError: a missing attribute or a priority that cannot be ranked.

    Examples:
        >>> from datetime import UTC
        >>> from typing import NamedTuple
        >>> class Alert(NamedTuple):
        ...     account_id: str
        ...     rule_id: str
        ...     due_at: datetime
        ...     priority: int
        >>> touch = touch_from_alert(Alert("acme", "H1", datetime(2026, 3, 2, 9, tzinfo=UTC), 1))
        >>> touch.key, touch.source, touch.rank, touch.flagged
        ('H1', <Source.ALERT: 'alert'>, 1, False)
    """
    _checks.instance("field", field, str, hint="name the alert in messages, e.g. 'alerts[3]'")
    if not callable(rank):
        raise InvalidTypeError("expected a function", field="rank", value=rank, hint="pass a function of a priority")
    if channel_of is not None and not callable(channel_of):
        raise InvalidTypeError("expected a function", field="channel_of", value=channel_of,
                               hint="pass a function of an alert, or None")
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
        channel = _alert_channel(channel_of(alert), f"{field}.channel")
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
