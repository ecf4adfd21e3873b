"""Contact preferences and frequency caps (domain-spec §5.12)."""

from __future__ import annotations

from datetime import date

import pytest

from postsale import DefinitionError, InvalidTypeError, InvalidValueError, UnknownNameError
from postsale.cadence import (
    DEFAULT_QUIET_DAYS,
    Channel,
    ContactPreferences,
    FrequencyCap,
    Period,
    Weekday,
)


def test_defaults_keep_weekends_quiet() -> None:
    """By default nothing is opted out and weekends are quiet."""
    prefs = ContactPreferences()
    assert (frozenset(), DEFAULT_QUIET_DAYS, None) == (prefs.opted_out, prefs.quiet_days, prefs.frequency)
    assert {Weekday.SATURDAY, Weekday.SUNDAY} == DEFAULT_QUIET_DAYS


def test_frequency_options_weekly_monthly_quarterly() -> None:
    """Preferred frequency accepts weekly, monthly and quarterly."""
    assert [Period.WEEK, Period.MONTH, Period.QUARTER] == [
        ContactPreferences(frequency=f).frequency for f in ("weekly", "monthly", "quarterly")
    ]


def test_allows_and_is_quiet() -> None:
    """allows() refuses opted-out channels (not unknown ones); is_quiet() reads the weekday."""
    prefs = ContactPreferences(opted_out=["sms"], quiet_days=["friday"])
    assert (False, True, True) == (prefs.allows(Channel.SMS), prefs.allows(Channel.EMAIL), prefs.allows(None))
    assert prefs.is_quiet(date(2026, 1, 2))  # a Friday
    assert date(2026, 1, 3) == prefs.next_allowed(date(2026, 1, 2))


def test_every_day_quiet_and_contradictions_reported_together() -> None:
    """All seven days quiet and a channel both preferred and opted out: both problems at once."""
    with pytest.raises(DefinitionError) as info:
        ContactPreferences(opted_out=["email"], preferred_channels=["email"], quiet_days=list(Weekday))
    assert ["$.quiet_days", "$.preferred_channels[0]"] == [p.path for p in info.value.problems]


def test_unknown_channel_in_opt_outs_is_refused() -> None:
    """An unknown channel name raises UnknownNameError naming opted_out."""
    with pytest.raises(UnknownNameError) as info:
        ContactPreferences(opted_out=["fax"])
    assert "opted_out" == info.value.field


def test_opt_outs_must_be_a_collection() -> None:
    """A bare string where a list is expected raises InvalidValueError."""
    with pytest.raises(InvalidValueError) as info:
        ContactPreferences(opted_out="email")  # type: ignore[arg-type]
    assert "opted_out" == info.value.field


def test_unknown_frequency_is_refused() -> None:
    """An unknown preferred frequency raises UnknownNameError naming frequency."""
    with pytest.raises(UnknownNameError) as info:
        ContactPreferences(frequency="hourly")  # type: ignore[arg-type]
    assert "frequency" == info.value.field


def test_cap_describe_and_boundary() -> None:
    """A cap of 1 is allowed; 0 is refused (use opt-outs instead)."""
    assert "at most 1 personal touches per month" == FrequencyCap(1, "month", count_automated=False).describe()
    with pytest.raises(InvalidValueError) as info:
        FrequencyCap(0)
    assert "max_touches" == info.value.field


def test_cap_refuses_non_bool_flag() -> None:
    """count_automated must be a bool."""
    with pytest.raises(TypeError):
        FrequencyCap(2, count_automated="yes")  # type: ignore[arg-type]


def test_cap_refuses_float_count() -> None:
    """max_touches must be a whole number."""
    with pytest.raises(InvalidTypeError):
        FrequencyCap(2.5)  # type: ignore[arg-type]


def test_period_start_of_each_kind() -> None:
    """Week starts on Monday, month on the 1st, quarter on its first month."""
    day = date(2026, 2, 28)
    assert [date(2026, 2, 23), date(2026, 2, 1), date(2026, 1, 1)] == [p.start_of(day) for p in Period]
    assert "quarterly" == Period.QUARTER.adverb
