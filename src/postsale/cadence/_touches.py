"""Touches: one dated touch on an account's agenda, scheduled by a plan or demanded by an alert."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any, Final
from zoneinfo import ZoneInfo

import attrs

from postsale import _checks
from postsale._errors import InvalidTypeError, InvalidValueError
from postsale._frozen import unchecked
from postsale._repr import readable
from postsale.cadence._channels import Channel, MessageType, ValuePurpose

__all__ = ["Source", "Touch"]

_UTC: Final = UTC


class Source(enum.Enum):
    """Where an agenda touch comes from.

    Examples:
        >>> from datetime import UTC
        >>> Touch("acme", datetime(2026, 3, 2, 9, tzinfo=UTC), "qbr", "Quarterly business review").source
        <Source.SCHEDULED: 'scheduled'>
    """

    ALERT = "alert"
    """A trigger fired (sorted before scheduled touches due at the same moment)."""
    SCHEDULED = "scheduled"
    """A cadence plan scheduled it."""


def purposes(value: Any) -> frozenset[ValuePurpose]:
    """The value purposes named by ``value`` (one or many)."""
    if type(value) is frozenset and all(type(v) is ValuePurpose for v in value):
        return value
    if isinstance(value, (str, ValuePurpose)):
        value = (value,)
    return frozenset(ValuePurpose.parse(v) for v in _checks.items("purposes", value))


def optional_channel(value: Any) -> Channel | None:
    """The channel named by ``value``, or ``None``."""
    return None if value is None else Channel.parse(value)


def flag(field: str, value: Any) -> bool:
    """``value`` when it is a bool, else an InvalidTypeError naming ``field``."""
    if not isinstance(value, bool):
        raise InvalidTypeError("expected True or False", field=field, value=value, hint="pass a bool")
    return value


def _optional_message_type(value: Any) -> MessageType | None:
    return None if value is None else MessageType.parse(value)


def _source(value: Any) -> Source:
    return _checks.member(Source, "source", value)


def wall_time(day: date, at: time, zone: ZoneInfo) -> datetime:
    """Return ``day`` at local time ``at`` in ``zone``, moving a time inside a DST gap forward (deterministic)."""
    local = datetime.combine(day, at, tzinfo=zone)
    return local.astimezone(_UTC).astimezone(zone)


def _aware(value: Any, field: str = "due_at") -> datetime:
    result = _checks.aware(field, value)
    try:
        result.astimezone(_UTC)
    except OverflowError:
        raise InvalidValueError(
            "is at the edge of the calendar", field=field, value=value,
            constraint="its UTC time must be between 0001-01-01 and 9999-12-31", hint="pass a real due time",
        ) from None
    return result


def _optional_aware(value: Any) -> datetime | None:
    return None if value is None else _aware(value, "moved_from")


@attrs.frozen
class Touch:
    """One dated touch on an account's agenda: scheduled by a plan, or demanded by an alert.

    Attributes:
        account_id: The account.
        due_at: When (timezone-aware, in the account's zone for scheduled touches; the SLA deadline for alerts).
        key: The plan item key, or the alert's rule id.
        title: What the touch is.
        source: SCHEDULED or ALERT.
        channel: How it reaches the customer (``None`` when an alert did not say).
        message_type: What it has to say (``None`` for alerts).
        purposes: Its value purposes; a touch with none is flagged.
        rank: Importance within its source, lower first (alerts: the trigger priority).
        automated: Sent without a CSM's one-to-one time.
        optional: Only if relevant.
        moved_from: The original due time when a preference (or its week in progress) moved it.
        plan: The name of the plan that scheduled it (``None`` for alerts), so every touch says where it came from.

    Examples:
        >>> from datetime import UTC
        >>> touch = Touch("acme", datetime(2026, 4, 30, 9, tzinfo=UTC), "qbr", "Quarterly business review",
        ...               channel="video call", purposes=["reinforce_value"])
        >>> touch.describe(), touch.flagged
        ("'Quarterly business review' (video call) on 2026-04-30", False)
    """

    __repr__ = readable
    account_id: str = attrs.field(validator=_checks.validator(_checks.text))
    due_at: datetime = attrs.field(converter=_aware)
    key: str = attrs.field(validator=_checks.validator(_checks.text))
    title: str = attrs.field(validator=_checks.validator(_checks.text))
    source: Source = attrs.field(default=Source.SCHEDULED, converter=_source)
    channel: Channel | None = attrs.field(default=None, converter=optional_channel)
    message_type: MessageType | None = attrs.field(default=None, converter=_optional_message_type)
    purposes: frozenset[ValuePurpose] = attrs.field(factory=frozenset, converter=purposes)
    rank: int = attrs.field(default=5, validator=_checks.validator(_checks.count))
    automated: bool = attrs.field(default=False, validator=_checks.validator(flag))
    optional: bool = attrs.field(default=False, validator=_checks.validator(flag))
    moved_from: datetime | None = attrs.field(default=None, converter=_optional_aware)
    plan: str | None = attrs.field(default=None, validator=_checks.optional_validator(_checks.text))

    @property
    def flagged(self) -> bool:
        """True when the touch declares no value purpose ("just checking in is not enough")."""
        return not self.purposes

    @property
    def sort_key(self) -> tuple[datetime, int, int, str, str]:
        """The agenda order: due time, alerts before scheduled touches, rank, key, account."""
        source = 0 if self.source is Source.ALERT else 1
        return (self.due_at.astimezone(_UTC), source, self.rank, self.key, self.account_id)

    @property
    def priority_key(self) -> tuple[int, int, datetime, str]:
        """Which touch keeps its place when a cap bites: alerts first, then rank, then the earliest."""
        return (0 if self.source is Source.ALERT else 1, self.rank, self.due_at.astimezone(_UTC), self.key)

    def local_date(self, zone: ZoneInfo) -> date:
        """Return the calendar date of :attr:`due_at` in ``zone``.

        Raises:
            InvalidTypeError: ``zone`` is not a time zone (a ``tzinfo``).
        """
        if not isinstance(zone, tzinfo):
            _checks.instance("zone", zone, tzinfo, hint='pass ZoneInfo("Europe/Paris")')
        try:
            return self.due_at.astimezone(zone).date()
        except OverflowError:
            raise InvalidValueError(
                "moves the due time off the calendar", field="zone", value=zone,
                constraint=f"{self.due_at.isoformat()} in that zone must be a date by 9999-12-31",
                hint="pass the account's time zone",
            ) from None

    def describe(self) -> str:
        """Return the touch in a few words, e.g. ``"'Quarterly business review' (video call) on 2026-04-30"``."""
        channel = "" if self.channel is None else f" ({self.channel.name.lower().replace('_', ' ')})"
        return f"{self.title!r}{channel} on {self.due_at.date().isoformat()}"

    def explain(self) -> list[str]:
        """Say what the touch is, when, why, and whether it is flagged."""
        if self.source is Source.ALERT:
            origin = f"demanded by alert {self.key}"
        else:
            origin = "scheduled by the cadence plan" if self.plan is None else f"scheduled by plan {self.plan!r}"
        sentences = [f"{self.describe()[0].upper()}{self.describe()[1:]}, {origin}, due {self.due_at.isoformat()}."]
        if self.purposes:
            names = ", ".join(sorted(p.name.lower().replace("_", " ") for p in self.purposes))
            sentences.append(f"It is worth the customer's time because it serves: {names}.")
        else:
            sentences.append("It declares no value purpose: just checking in is not enough.")
        if self.moved_from is not None:
            sentences.append(f"It was moved from {self.moved_from.isoformat()} (the agenda's adjustments say why).")
        if self.optional:
            sentences.append("It is optional: hold it only if relevant.")
        return sentences


_TOUCH_FIELDS: Final = tuple(a.name for a in attrs.fields(Touch))


def replaced(touch: Touch, **changes: Any) -> Touch:
    """``attrs.evolve(touch, **changes)`` without the checks, for changes already checked (the same instant in another
    zone, a due time built by :func:`wall_time`, a channel chosen among :class:`Channel`)."""
    return unchecked(Touch, *(changes[n] if n in changes else getattr(touch, n) for n in _TOUCH_FIELDS))
