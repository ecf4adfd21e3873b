"""Channel choice by message type and value purposes (domain-spec §5.10, §5.11)."""

from __future__ import annotations

import pytest

from postsale import UnknownNameError
from postsale.cadence import CHANNELS_BY_MESSAGE, Channel, MessageType, ValuePurpose, Weekday, choose_channel


@pytest.mark.parametrize(
    ("message", "channel"),
    [
        ("complex_topic", Channel.VIDEO_CALL),
        ("quick_update", Channel.EMAIL),
        ("urgent_issue", Channel.PHONE),
        ("product_tip", Channel.IN_APP),
        ("community building", Channel.EVENT),
        ("executive_update", Channel.EMAIL),
    ],
)
def test_channel_by_message_type(message: str, channel: Channel) -> None:
    """Each message type goes by its §5.10 channel."""
    assert channel == choose_channel(message).channel


def test_table_lists_alternatives() -> None:
    """Urgent issues: phone or SMS; community: event or webinar; executive update: formal email or call."""
    assert (Channel.PHONE, Channel.SMS) == CHANNELS_BY_MESSAGE[MessageType.URGENT_ISSUE]
    assert (Channel.EVENT, Channel.WEBINAR) == CHANNELS_BY_MESSAGE[MessageType.COMMUNITY]
    assert (Channel.EMAIL, Channel.PHONE) == CHANNELS_BY_MESSAGE[MessageType.EXECUTIVE_UPDATE]


def test_opted_out_channel_falls_back_to_the_next() -> None:
    """An executive update to a customer without email goes by phone, and says why."""
    choice = choose_channel(MessageType.EXECUTIVE_UPDATE, opted_out=[Channel.EMAIL])
    assert (Channel.PHONE, (Channel.EMAIL,)) == (choice.channel, choice.refused)
    assert "opted out of email" in choice.explain()[0]


def test_preferred_channels_are_the_last_fallback() -> None:
    """When the message type's channels are all refused, the customer's preferred channel is used."""
    choice = choose_channel("product_tip", opted_out=["in_app"], preferred=["slack"])
    assert Channel.SLACK == choice.channel
    assert (Channel.IN_APP, Channel.SLACK) == choice.considered


def test_no_channel_left() -> None:
    """With every candidate refused, the choice is None and explains it."""
    choice = choose_channel("quick_update", opted_out=["email"])
    assert choice.channel is None
    assert "cannot be sent" in choice.explain()[-1]


def test_explain_names_the_channel() -> None:
    """The explanation names the chosen channel."""
    assert ["A complex topic goes by video call."] == choose_channel("complex_topic").explain()
    assert "An urgent issue goes by phone" in choose_channel("urgent_issue").explain()[0]


def test_unknown_channel_is_refused() -> None:
    """An unknown channel raises UnknownNameError naming the field."""
    with pytest.raises(UnknownNameError) as info:
        choose_channel("quick_update", opted_out=["pigeon"])
    assert "opted_out" == info.value.field


def test_unknown_message_type_is_refused() -> None:
    """An unknown message type raises UnknownNameError."""
    with pytest.raises(UnknownNameError):
        choose_channel("gossip")


@pytest.mark.parametrize(
    ("alias", "channel"), [("call", Channel.PHONE), ("meeting", Channel.VIDEO_CALL), ("e-mail", Channel.EMAIL)]
)
def test_channel_aliases(alias: str, channel: Channel) -> None:
    """Common names map onto channels."""
    assert channel == Channel.parse(alias)


def test_five_value_purposes() -> None:
    """The five purposes of §5.11."""
    assert 5 == len(ValuePurpose)
    assert ValuePurpose.DIALOGUE == ValuePurpose.parse("dialogue")


def test_weekday_parse_by_name_abbreviation_and_number() -> None:
    """Weekdays parse from names, three-letter abbreviations and date.weekday() numbers."""
    assert [Weekday.FRIDAY] * 3 == [Weekday.parse("friday"), Weekday.parse("FRI"), Weekday.parse(4)]
    with pytest.raises(UnknownNameError):
        Weekday.parse(7)


def test_preferred_channel_already_listed_is_not_repeated() -> None:
    """A preferred channel that the message type already lists appears once among the candidates."""
    assert (Channel.PHONE, Channel.SMS) == choose_channel("urgent_issue", preferred=["sms"]).considered
