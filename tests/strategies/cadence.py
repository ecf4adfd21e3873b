"""Strategies for the cadence context, and a fake alert standing in for ``postsale.triggers.Alert``."""

from __future__ import annotations

import enum
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import attrs
from hypothesis import strategies as st

from postsale import AccountSnapshot, Segment
from postsale.cadence import (
    Anchor,
    CadenceItem,
    CadencePlan,
    Channel,
    ContactPreferences,
    EngagementOutcome,
    EngagementRecord,
    EngagementTargets,
    FrequencyCap,
    MessageType,
    OverCommunicationPolicy,
    Period,
    Recurrence,
    Source,
    Touch,
    Unit,
    ValuePurpose,
    Weekday,
    Window,
)

ZONES = ["UTC", "Asia/Tokyo", "America/New_York", "Europe/Paris", "Australia/Lord_Howe"]


class FakePriority(enum.Enum):
    """A priority enum like the trigger engine's (most urgent first)."""

    SAME_DAY = "same_day"
    H24 = "h24"
    H48 = "h48"
    WITHIN_WEEK = "within_week"


@attrs.frozen
class FakeAlert:
    """An alert-like value: the attributes ``postsale.cadence.AlertLike`` asks for, and the optional ones."""

    account_id: str
    rule_id: str
    due_at: datetime
    priority: object = FakePriority.H48
    channel: object = None
    title: str | None = None
    fired_at: datetime | None = None


zones = st.sampled_from(ZONES)
channels = st.sampled_from(list(Channel))
message_types = st.sampled_from(list(MessageType))
purposes = st.frozensets(st.sampled_from(list(ValuePurpose)), max_size=3)
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 12, 31))


@st.composite
def windows(draw: st.DrawFn, *, max_days: int = 120) -> Window:
    """Valid date windows."""
    start = draw(days)
    return Window(start, start + timedelta(days=draw(st.integers(0, max_days))))


recurrences = st.builds(Recurrence, st.sampled_from(list(Unit)), st.integers(1, 4))


@st.composite
def cadence_items(draw: st.DrawFn, key: str = "item") -> CadenceItem:
    """Valid cadence items anchored on the contract start."""
    recurrence = draw(st.none() | recurrences)
    return CadenceItem(
        key,
        draw(st.sampled_from(["Update", "Call", "Review"])),
        draw(message_types),
        draw(purposes),
        recurrence,
        Anchor.CONTRACT_START,
        offset_days=draw(st.integers(0, 40)),
        offset_months=draw(st.integers(0, 13)),
        channel=draw(st.none() | channels),
        automated=draw(st.booleans()),
        rank=draw(st.integers(1, 6)),
        optional=draw(st.booleans()),
    )


@st.composite
def plans(draw: st.DrawFn) -> CadencePlan:
    """Valid plans of 1-5 items."""
    n = draw(st.integers(1, 5))
    items = tuple(draw(cadence_items(key=f"item_{i}")) for i in range(n))
    local = draw(st.sampled_from([time(9, 0), time(10, 0), time(2, 30), time(23, 45)]))
    return CadencePlan("custom", items, local)


@st.composite
def preferences(draw: st.DrawFn) -> ContactPreferences:
    """Valid contact preferences."""
    opted = draw(st.frozensets(channels, max_size=5))
    preferred = draw(st.lists(channels.filter(lambda c: c not in opted), unique=True, max_size=3))
    quiet = draw(st.frozensets(st.sampled_from(list(Weekday)), max_size=6))
    frequency = draw(st.none() | st.sampled_from(list(Period)))
    return ContactPreferences(opted, tuple(preferred), frequency, quiet)


caps = st.builds(FrequencyCap, st.integers(1, 4), st.sampled_from(list(Period)), st.booleans())


@st.composite
def fake_alerts(draw: st.DrawFn, account_id: str, window: Window) -> FakeAlert:
    """Alerts for ``account_id`` due in or near ``window``."""
    day = window.start + timedelta(days=draw(st.integers(-3, (window.end - window.start).days + 3)))
    zone = ZoneInfo(draw(zones))
    due = datetime.combine(day, time(draw(st.integers(0, 23)), draw(st.sampled_from([0, 30]))), tzinfo=zone)
    return FakeAlert(
        account_id,
        draw(st.sampled_from(["U1", "H1", "H2", "M1", "M3"])),
        due,
        draw(st.sampled_from(list(FakePriority)) | st.integers(0, 5)),
        draw(st.none() | channels | st.sampled_from(["email", "call", "in_app"])),
    )


@st.composite
def accounts(draw: st.DrawFn, *, window: Window | None = None) -> AccountSnapshot:
    """Accounts with a contract start (and sometimes an end) before or around ``window``."""
    base = window.start if window is not None else draw(days)
    start = base - timedelta(days=draw(st.integers(-30, 900)))
    end = start + timedelta(days=draw(st.integers(200, 1100)))
    return AccountSnapshot(
        "acct",
        draw(st.sampled_from(list(Segment))),
        base,
        contract_start=start,
        contract_end=end,
        time_zone=draw(zones),
        labels={"csm": draw(st.sampled_from(["aiko", "ben"]))},
    )


@st.composite
def touches(draw: st.DrawFn) -> Touch:
    """Valid touches (scheduled or from alerts)."""
    zone = ZoneInfo(draw(zones))
    due = datetime.combine(draw(days), time(draw(st.integers(0, 23))), tzinfo=zone)
    return Touch(
        "acct",
        due,
        draw(st.sampled_from(["qbr", "H1", "call"])),
        "A touch",
        draw(st.sampled_from(list(Source))),
        draw(st.none() | channels),
        draw(st.none() | message_types),
        draw(purposes),
        draw(st.integers(0, 9)),
        draw(st.booleans()),
        draw(st.booleans()),
        draw(st.none() | st.just(due - timedelta(days=1))),
    )


engagement_records = st.builds(
    EngagementRecord,
    st.sampled_from(["a", "b"]),
    st.sampled_from(list(Segment)),
    channels,
    days,
    st.frozensets(st.sampled_from(list(EngagementOutcome)), max_size=4),
    st.booleans(),
    st.booleans(),
)

ratios = st.floats(min_value=0, max_value=1, allow_nan=False)
engagement_targets = st.builds(EngagementTargets, ratios, ratios, ratios, ratios, ratios)
policies = st.builds(
    OverCommunicationPolicy,
    st.integers(1, 200),
    st.integers(1, 10),
    ratios,
    st.integers(1, 5),
    st.integers(1, 5),
    st.integers(1, 5),
    st.integers(1, 4),
)
