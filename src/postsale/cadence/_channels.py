"""Channels, message types, value purposes and channel choice."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from postsale import _checks
from postsale._frozen import freeze
from postsale._repr import readable

__all__ = [
    "CHANNELS_BY_MESSAGE",
    "Channel",
    "ChannelChoice",
    "MessageType",
    "ValuePurpose",
    "Weekday",
    "choose_channel",
]


class Channel(enum.Enum):
    """A medium for a touch (email, call / video, in-app, SMS / Slack, webinar / events).

    Examples:
        >>> Channel.parse("video call"), Channel.parse("CALL")
        (<Channel.VIDEO_CALL: 'video_call'>, <Channel.PHONE: 'phone'>)
    """

    EMAIL = "email"
    PHONE = "phone"
    VIDEO_CALL = "video_call"
    SMS = "sms"
    SLACK = "slack"
    IN_APP = "in_app"
    WEBINAR = "webinar"
    EVENT = "event"

    @classmethod
    def parse(cls, value: object, *, field: str = "channel") -> Channel:
        """Return the channel named by ``value`` (a member, its name, or an alias such as ``"call"``).

        Raises:
            UnknownNameError: ``value`` names no channel (the message lists them).
        """
        return _checks.member(cls, field, value, _CHANNEL_ALIASES)


_CHANNEL_ALIASES: Final = {
    "CALL": "PHONE",
    "PHONE_CALL": "PHONE",
    "VIDEO": "VIDEO_CALL",
    "MEETING": "VIDEO_CALL",
    "INAPP": "IN_APP",
    "E_MAIL": "EMAIL",
    "MAIL": "EMAIL",
    "MESSAGE": "SMS",
    "TEXT": "SMS",
}


class MessageType(enum.Enum):
    """What a touch has to say; it decides the channel.

    Examples:
        >>> MessageType.parse("quick update"), CHANNELS_BY_MESSAGE[MessageType.URGENT_ISSUE]
        (<MessageType.QUICK_UPDATE: 'quick_update'>, (<Channel.PHONE: 'phone'>, <Channel.SMS: 'sms'>))
    """

    COMPLEX_TOPIC = "complex_topic"
    QUICK_UPDATE = "quick_update"
    URGENT_ISSUE = "urgent_issue"
    PRODUCT_TIP = "product_tip"
    COMMUNITY = "community"
    EXECUTIVE_UPDATE = "executive_update"

    @classmethod
    def parse(cls, value: object, *, field: str = "message_type") -> MessageType:
        """Return the message type named by ``value`` (``"quick update"``, ``"COMMUNITY_BUILDING"`` ...)."""
        return _checks.member(cls, field, value, {"COMMUNITY_BUILDING": "COMMUNITY"})


class ValuePurpose(enum.Enum):
    """What a touch does for the customer; every touch needs at least one.

    "Just checking in" is not enough: a touch with no purpose is flagged.

    Examples:
        >>> ValuePurpose.parse("insight")
        <ValuePurpose.INSIGHT: 'insight'>
    """

    INSIGHT = "insight"
    """Provides actionable information or insight."""
    ADVANCE_RELATIONSHIP = "advance_relationship"
    """Advances the relationship."""
    SPECIFIC_NEED = "specific_need"
    """Addresses a specific customer need."""
    REINFORCE_VALUE = "reinforce_value"
    """Reinforces the value delivered."""
    DIALOGUE = "dialogue"
    """Creates an opportunity for dialogue."""

    @classmethod
    def parse(cls, value: object, *, field: str = "purposes") -> ValuePurpose:
        """Return the purpose named by ``value``."""
        return _checks.member(cls, field, value)


class Weekday(enum.IntEnum):
    """A day of the week, numbered like :meth:`datetime.date.weekday` (Monday = 0).

    Examples:
        >>> Weekday.parse("fri"), Weekday.parse(6)
        (<Weekday.FRIDAY: 4>, <Weekday.SUNDAY: 6>)
    """

    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6

    @classmethod
    def parse(cls, value: object, *, field: str = "quiet_days") -> Weekday:
        """Return the weekday named by ``value`` (a member, ``"friday"``, ``"FRI"`` or its 0-6 number)."""
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 6:
            return cls(value)
        return _checks.member(cls, field, value, {m.name[:3]: m.name for m in cls})


CHANNELS_BY_MESSAGE: Final[Mapping[MessageType, tuple[Channel, ...]]] = freeze(
    {
        MessageType.COMPLEX_TOPIC: (Channel.VIDEO_CALL,),
        MessageType.QUICK_UPDATE: (Channel.EMAIL,),
        MessageType.URGENT_ISSUE: (Channel.PHONE, Channel.SMS),
        MessageType.PRODUCT_TIP: (Channel.IN_APP,),
        MessageType.COMMUNITY: (Channel.EVENT, Channel.WEBINAR),
        MessageType.EXECUTIVE_UPDATE: (Channel.EMAIL, Channel.PHONE),
    }
)
"""Channels for each message type, best first: complex topic → video call, quick update →
email, urgent issue → phone / SMS, product tip → in-app, community building → event / webinar, executive update →
formal email or call."""


def _to_message_type(value: Any) -> MessageType:
    return MessageType.parse(value)


def _channels(field: str, value: object) -> tuple[Channel, ...]:
    """Any collection of channels (members or names) as a tuple of members."""
    return tuple(Channel.parse(c, field=field) for c in _checks.items(field, value))


def _to_channel(value: Any) -> Channel | None:
    return None if value is None else Channel.parse(value)


def _to_considered(value: Any) -> tuple[Channel, ...]:
    return _channels("considered", value)


def _to_refused(value: Any) -> tuple[Channel, ...]:
    return _channels("refused", value)


@attrs.frozen
class ChannelChoice:
    """The channel chosen for a message, or ``None`` when every suitable channel is opted out.

    Attributes:
        message_type: The message to send.
        channel: The channel chosen, or ``None``.
        considered: The candidates, best first (the message type's channels, then the customer's preferred ones).
        refused: The candidates skipped because the customer opted out of them.

    Examples:
        >>> choice = choose_channel("urgent issue", opted_out=["phone"])
        >>> choice.channel, choice.explain()
        (<Channel.SMS: 'sms'>, ['The customer opted out of phone.', 'An urgent issue goes by sms.'])
    """

    __repr__ = readable
    message_type: MessageType = attrs.field(converter=_to_message_type)
    channel: Channel | None = attrs.field(converter=_to_channel)
    considered: tuple[Channel, ...] = attrs.field(converter=_to_considered)
    refused: tuple[Channel, ...] = attrs.field(default=(), converter=_to_refused)

    def explain(self) -> list[str]:
        """Say which channel was chosen and why, in plain sentences."""
        kind = self.message_type.name.lower().replace("_", " ")
        sentences = []
        if self.refused:
            names = ", ".join(c.name.lower().replace("_", " ") for c in self.refused)
            sentences.append(f"The customer opted out of {names}.")
        if self.channel is None:
            sentences.append(f"No channel is left for a {kind}: the touch cannot be sent.")
        else:
            name = self.channel.name.lower().replace("_", " ")
            article = "An" if kind[0] in "aeiou" else "A"
            sentences.append(f"{article} {kind} goes by {name}.")
        return sentences


def choose_channel(
    message_type: MessageType | str,
    *,
    opted_out: Iterable[Channel] = (),
    preferred: Iterable[Channel] = (),
    table: Mapping[MessageType, tuple[Channel, ...]] = CHANNELS_BY_MESSAGE,
) -> ChannelChoice:
    """Choose the channel for a message type, skipping the channels the customer opted out of.

    The message type's channels come first, then the customer's preferred channels
    ("match the channel to the message and to the customer's preference").

    Args:
        message_type: What the touch has to say (a member or its name).
        opted_out: Channels the customer opted out of.
        preferred: The customer's preferred channels, best first (the fallback).
        table: Channels per message type, best first.

    Returns:
        The choice, with the candidates considered and refused.

    Raises:
        UnknownNameError: an unknown message type or channel.

    Examples:
        >>> choose_channel("urgent issue").channel
        <Channel.PHONE: 'phone'>
        >>> choose_channel("urgent issue", opted_out=[Channel.PHONE]).channel
        <Channel.SMS: 'sms'>
    """
    kind = MessageType.parse(message_type)
    refused_set = set(_channels("opted_out", opted_out))
    _checks.instance("table", table, Mapping, hint="pass a mapping of MessageType to channels, best first")
    candidates: list[Channel] = []
    for channel in (*_channels(f"table[{kind.name}]", table.get(kind, ())), *_channels("preferred", preferred)):
        if channel not in candidates:
            candidates.append(channel)
    refused = tuple(c for c in candidates if c in refused_set)
    chosen = next((c for c in candidates if c not in refused_set), None)
    return ChannelChoice(kind, chosen, tuple(candidates), refused)
