"""The agenda: scheduled touches and alerts merged, within preferences and caps (domain-spec §5.12, §5.13)."""

from __future__ import annotations

import enum
from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from postsale import (
    AccountSnapshot,
    InvalidTypeError,
    InvalidValueError,
    NaiveDatetimeError,
    UnknownNameError,
)
from postsale.cadence import (
    AdjustmentAction,
    AdjustmentCause,
    CadenceItem,
    CadencePlan,
    Channel,
    ContactPreferences,
    FrequencyCap,
    Recurrence,
    Source,
    Touch,
    Unit,
    Window,
    build_agenda,
    merge_agenda,
    touch_from_alert,
)
from postsale.cadence._alerts import priority_rank
from tests.strategies.cadence import FakeAlert, FakePriority, accounts, caps, fake_alerts, plans, preferences, windows

UTC = ZoneInfo("UTC")
PARIS = ZoneInfo("Europe/Paris")
MONDAY = date(2026, 3, 2)
WEEK = Window.days(MONDAY, 7)


def account(**kwargs: object) -> AccountSnapshot:
    """An SMB account in Paris, contract started on Monday 2 February 2026."""
    options: dict[str, object] = {
        "account_id": "acme",
        "segment": "SMB",
        "as_of": MONDAY,
        "contract_start": date(2026, 2, 2),
        "time_zone": "Europe/Paris",
    }
    options.update(kwargs)
    return AccountSnapshot(**options)  # type: ignore[arg-type]


def item(key: str, **kwargs: object) -> CadenceItem:
    """A weekly quick update with overrides."""
    options: dict[str, object] = {
        "key": key,
        "title": key.title(),
        "message_type": "quick_update",
        "purposes": ["insight"],
        "recurrence": Recurrence(Unit.WEEK),
    }
    options.update(kwargs)
    return CadenceItem(**options)  # type: ignore[arg-type]


def plan(*items: CadenceItem) -> CadencePlan:
    """A plan of the given items."""
    return CadencePlan("test", items)


def alert(rule: str = "H1", day: date = MONDAY, hour: int = 9, **kwargs: object) -> FakeAlert:
    """A fake alert for acme due at ``hour`` o'clock in Paris."""
    options: dict[str, object] = {
        "account_id": "acme",
        "rule_id": rule,
        "due_at": datetime.combine(day, time(hour), tzinfo=PARIS),
    }
    options.update(kwargs)
    return FakeAlert(**options)  # type: ignore[arg-type]


def keys(agenda: object) -> list[tuple[str, str]]:
    """(key, local ISO date) of each touch."""
    return [(t.key, t.due_at.astimezone(PARIS).date().isoformat()) for t in agenda.touches]  # type: ignore[attr-defined]


def test_alerts_and_scheduled_touches_in_time_order() -> None:
    """Touches are ordered by due time; an alert due first comes first."""
    agenda = build_agenda(account(), WEEK, plan=plan(item("update")), alerts=[alert(hour=9)], caps=())
    assert [("H1", "2026-03-02"), ("update", "2026-03-02")] == keys(agenda)
    assert [Source.ALERT, Source.SCHEDULED] == [t.source for t in agenda.touches]


def test_alert_before_scheduled_touch_due_at_the_same_moment() -> None:
    """At the same due time the alert sorts first."""
    agenda = build_agenda(account(), WEEK, plan=plan(item("update")), alerts=[alert(hour=10)], caps=())
    assert "H1" == agenda.touches[0].key


def test_alerts_ordered_by_priority_at_the_same_time() -> None:
    """Two alerts due together: the more urgent priority first."""
    alerts = [alert("H3", priority=FakePriority.WITHIN_WEEK), alert("H2", priority=FakePriority.SAME_DAY)]
    agenda = build_agenda(account(), WEEK, plan=plan(), alerts=alerts, caps=())
    assert ["H2", "H3"] == [t.key for t in agenda.touches]


def test_alerts_of_other_accounts_and_outside_window_are_ignored() -> None:
    """Alerts for another account, or due outside the window, are not on the agenda."""
    alerts = [alert(account_id="other"), alert(day=MONDAY + timedelta(days=9))]
    assert () == build_agenda(account(), WEEK, plan=plan(), alerts=alerts).touches


def test_alert_title_and_channel_are_read_when_present() -> None:
    """An alert's optional title and channel (named by a string) are used."""
    (touch,) = build_agenda(account(), WEEK, plan=plan(), alerts=[alert(title="Urgent call", channel="call")]).touches
    assert ("Urgent call", Channel.PHONE) == (touch.title, touch.channel)


def test_alert_channel_from_another_enum_by_name() -> None:
    """A channel from the trigger engine's own enum maps onto Channel by member name."""

    class TriggerChannel(enum.Enum):
        IN_APP = 1

    (touch,) = build_agenda(account(), WEEK, plan=plan(), alerts=[alert(channel=TriggerChannel.IN_APP)]).touches
    assert Channel.IN_APP == touch.channel


def test_alert_touch_serves_a_specific_need() -> None:
    """A touch demanded by an alert addresses a specific need, so it is never flagged."""
    touch = touch_from_alert(alert())
    assert not touch.flagged


def test_unknown_alert_channel_names_the_alert() -> None:
    """An alert channel naming no Channel raises UnknownNameError naming alerts[i].channel."""
    with pytest.raises(UnknownNameError) as info:
        build_agenda(account(), WEEK, plan=plan(), alerts=[alert(), alert(channel="fax")])
    assert "alerts[1].channel" == info.value.field


def test_channel_of_hook_overrides_reading() -> None:
    """channel_of decides an alert's channel."""
    agenda = build_agenda(account(), WEEK, plan=plan(), alerts=[alert(channel="fax")], channel_of=lambda a: Channel.SMS)
    assert Channel.SMS == agenda.touches[0].channel


def test_naive_alert_due_at_is_refused() -> None:
    """A naive due_at raises NaiveDatetimeError naming alerts[0].due_at."""
    with pytest.raises(NaiveDatetimeError) as info:
        build_agenda(account(), WEEK, plan=plan(), alerts=[alert(due_at=datetime(2026, 3, 2, 9))])
    assert "alerts[0].due_at" == info.value.field


def test_non_alert_is_refused() -> None:
    """A value without the AlertLike attributes raises InvalidTypeError."""
    with pytest.raises(InvalidTypeError) as info:
        build_agenda(account(), WEEK, plan=plan(), alerts=[object()])  # type: ignore[list-item]
    assert "alerts[0]" == info.value.field


def test_priority_rank_conventions() -> None:
    """Ints and IntEnums by value, int-valued enums by value, other enums by declaration order."""

    class Level(enum.IntEnum):
        LOW = 3

    class Numbered(enum.Enum):
        FIRST = 7

    assert [2, 3, 7, 2] == [
        priority_rank(2),
        priority_rank(Level.LOW),
        priority_rank(Numbered.FIRST),
        priority_rank(FakePriority.H48),
    ]


@pytest.mark.parametrize("bad", [True, "high", 1.5])
def test_priority_rank_refuses_other_values(bad: object) -> None:
    """Bools, strings and floats cannot be ranked."""
    with pytest.raises(InvalidTypeError):
        priority_rank(bad)


def test_negative_priority_is_refused() -> None:
    """A negative priority raises InvalidValueError."""
    with pytest.raises(InvalidValueError):
        priority_rank(-1)


def test_rank_hook_reverses_priorities() -> None:
    """rank= lets a higher-is-more-urgent engine sort correctly."""
    alerts = [alert("A", priority=1), alert("B", priority=9)]
    agenda = build_agenda(account(), WEEK, plan=plan(), alerts=alerts, rank=lambda p: 10 - int(p))  # type: ignore[call-overload]
    assert ["B", "A"] == [t.key for t in agenda.touches]


def test_duplicate_alerts_are_merged_silently() -> None:
    """The same alert twice appears once, with no adjustment."""
    agenda = build_agenda(account(), WEEK, plan=plan(), alerts=[alert(), alert()])
    assert (1, ()) == (len(agenda.touches), agenda.adjustments)


def test_same_rule_twice_the_same_day_is_dropped_with_reason() -> None:
    """Two alerts of the same rule on the same day: one stays, the other is reported as already there."""
    agenda = build_agenda(account(), WEEK, plan=plan(), alerts=[alert(hour=9), alert(hour=15)])
    assert 1 == len(agenda.touches)
    (adjustment,) = agenda.adjustments
    assert (AdjustmentAction.SUPPRESSED, AdjustmentCause.SAME_DAY) == (adjustment.action, adjustment.cause)
    assert "already on the agenda" in adjustment.reason


def test_opted_out_channel_is_rechannelled() -> None:
    """An executive update to a customer without email goes by phone, reported."""
    prefs = ContactPreferences(opted_out=["email"])
    agenda = build_agenda(account(), WEEK, plan=plan(item("exec", message_type="executive_update")), preferences=prefs)
    assert [Channel.PHONE] == [t.channel for t in agenda.touches]
    (adjustment,) = agenda.adjustments
    assert (AdjustmentAction.RECHANNELLED, AdjustmentCause.OPT_OUT) == (adjustment.action, adjustment.cause)
    assert adjustment.result is not None and Channel.PHONE == adjustment.result.channel


def test_opted_out_without_alternative_is_suppressed() -> None:
    """A quick update to a customer without email is suppressed, with the reason."""
    agenda = build_agenda(
        account(), WEEK, plan=plan(item("update")), preferences=ContactPreferences(opted_out=["email"])
    )
    assert () == agenda.touches
    assert "opted out of email" in agenda.suppressed[0].reason


def test_opted_out_alert_goes_through_a_preferred_channel() -> None:
    """An alert by SMS to a customer who opted out of SMS goes through their preferred channel."""
    prefs = ContactPreferences(opted_out=["sms"], preferred_channels=["phone"])
    agenda = build_agenda(account(), WEEK, plan=plan(), alerts=[alert(channel="sms")], preferences=prefs)
    assert [Channel.PHONE] == [t.channel for t in agenda.touches]


def test_opted_out_alert_without_preference_is_suppressed() -> None:
    """An alert through an opted-out channel with no preferred channel is suppressed."""
    prefs = ContactPreferences(opted_out=["sms"])
    agenda = build_agenda(account(), WEEK, plan=plan(), alerts=[alert(channel="sms")], preferences=prefs)
    assert ((), AdjustmentCause.OPT_OUT) == (agenda.touches, agenda.adjustments[0].cause)


def test_quiet_day_moves_scheduled_touch_to_next_allowed_day() -> None:
    """A touch due on a quiet Wednesday moves to Thursday, same local time, with its original time kept."""
    prefs = ContactPreferences(quiet_days=["wednesday", "saturday", "sunday"])
    agenda = build_agenda(account(), WEEK, plan=plan(item("update", offset_days=2)), preferences=prefs)
    (touch,) = agenda.touches
    assert "2026-03-05T10:00:00+01:00" == touch.due_at.isoformat()
    assert touch.moved_from is not None and "2026-03-04T10:00:00+01:00" == touch.moved_from.isoformat()
    assert "no touches on Wednesday" in agenda.adjustments[0].reason


def test_alert_keeps_its_sla_on_a_quiet_day() -> None:
    """An alert due on a Saturday is not moved: its SLA wins."""
    agenda = build_agenda(account(), WEEK, plan=plan(), alerts=[alert(day=date(2026, 3, 7))])
    assert [("H1", "2026-03-07")] == keys(agenda)


def test_touch_moved_past_the_window_is_reported() -> None:
    """A Saturday touch at the window's end moves to Monday, outside the window: reported, not listed."""
    once = item("update", offset_days=33, recurrence=None)  # Saturday 7 March
    agenda = build_agenda(account(), Window(MONDAY, date(2026, 3, 7)), plan=plan(once))
    assert () == agenda.touches
    assert "outside this window" in agenda.adjustments[0].reason


def test_weekend_touch_before_the_window_moves_into_it() -> None:
    """A Sunday touch just before a Monday window moves onto the Monday."""
    agenda = build_agenda(account(), WEEK, plan=plan(item("update", offset_days=-1)))
    assert [("update", "2026-03-02")] == keys(agenda)


def test_touch_moved_but_still_before_the_window_is_left_out() -> None:
    """A Saturday touch moved to a Monday before the window is not reported."""
    window = Window(date(2026, 3, 3), date(2026, 3, 9))
    once = item("update", offset_days=26, recurrence=None)  # Saturday 28 February
    agenda = build_agenda(account(), window, plan=plan(once))
    assert ((), ()) == (agenda.touches, agenda.adjustments)


def test_same_day_personal_touches_fold_into_the_most_important() -> None:
    """Two personal touches on one day: the lower-ranked folds into the higher, reported."""
    items = (item("update", rank=4), item("review", message_type="complex_topic", rank=1))
    agenda = build_agenda(account(), WEEK, plan=plan(*items), caps=())
    assert [("review", "2026-03-02")] == keys(agenda)
    assert "folded into 'Review'" in agenda.adjustments[0].reason


def test_folding_can_be_switched_off() -> None:
    """fold_same_day=False keeps both touches."""
    items = (item("update", rank=4), item("review", message_type="complex_topic", rank=1))
    assert 2 == len(build_agenda(account(), WEEK, plan=plan(*items), caps=(), fold_same_day=False).touches)


def test_automated_touches_are_not_folded() -> None:
    """An automated email on the same day as a call stays."""
    items = (item("newsletter", automated=True), item("call", message_type="complex_topic"))
    assert 2 == len(build_agenda(account(), WEEK, plan=plan(*items), caps=()).touches)


def test_preferred_frequency_keeps_the_most_important_scheduled_touch() -> None:
    """A customer preferring monthly contact gets one scheduled touch a month; alerts still come."""
    items = (item("update", rank=4), item("call", message_type="complex_topic", offset_days=1, rank=2))
    prefs = ContactPreferences(frequency="monthly")
    agenda = build_agenda(
        account(), Window(MONDAY, date(2026, 3, 31)), plan=plan(*items), alerts=[alert()], preferences=prefs
    )
    scheduled = [t for t in agenda.touches if t.source is Source.SCHEDULED]
    assert [("call", "2026-03-03")] == [(t.key, t.due_at.date().isoformat()) for t in scheduled]
    assert 1 == sum(t.source is Source.ALERT for t in agenda.touches)
    assert {AdjustmentCause.PREFERRED_FREQUENCY} == {a.cause for a in agenda.adjustments}
    assert "prefers monthly contact" in agenda.adjustments[0].reason


def test_cap_suppresses_scheduled_touches_before_alerts() -> None:
    """With a cap of 2 a week, an alert and the most important scheduled touch stay."""
    items = (item("update", rank=4), item("call", message_type="complex_topic", offset_days=1, rank=2))
    agenda = build_agenda(
        account(), WEEK, plan=plan(*items), alerts=[alert(day=MONDAY + timedelta(days=3))], caps=[FrequencyCap(2)]
    )
    assert [("call", "2026-03-03"), ("H1", "2026-03-05")] == keys(agenda)
    (adjustment,) = agenda.adjustments
    assert (AdjustmentCause.FREQUENCY_CAP, "update") == (adjustment.cause, adjustment.touch.key)
    assert "at most 2 touches per week" in adjustment.reason


def test_cap_can_ignore_automated_touches() -> None:
    """A cap that does not count automated touches leaves them alone."""
    items = (item("newsletter", automated=True), item("call", message_type="complex_topic", offset_days=1))
    agenda = build_agenda(account(), WEEK, plan=plan(*items), caps=[FrequencyCap(1, count_automated=False)])
    assert 2 == len(agenda.touches)


def test_default_caps_come_from_the_segment() -> None:
    """Without caps=, the segment's default weekly cap applies (SMB: 3)."""
    alerts = [alert(f"R{i}", hour=9 + i) for i in range(5)]
    agenda = build_agenda(account(), WEEK, plan=plan(), alerts=alerts)
    assert 3 == len(agenda.touches)


def test_default_plan_is_the_segment_plan() -> None:
    """Without plan=, the SMB cadence is used."""
    agenda = build_agenda(account(), Window(date(2026, 3, 1), date(2026, 5, 31)))
    assert {"monthly_email", "quarterly_call"} == {t.key for t in agenda.touches}


def test_missing_contract_start_names_the_field() -> None:
    """An account without a contract start cannot follow a start-anchored plan."""
    with pytest.raises(InvalidValueError) as info:
        build_agenda(account(contract_start=None), WEEK)
    assert "contract_start" == info.value.field


def test_flagged_touch_is_listed_and_explained() -> None:
    """A scheduled touch without a purpose is flagged and the explanation says so."""
    agenda = build_agenda(account(), WEEK, plan=plan(item("checkin", purposes=[])))
    assert ["checkin"] == [t.key for t in agenda.flagged]
    assert any("just checking in is not enough" in s for s in agenda.explain())


def test_explain_counts_and_lists_adjustments() -> None:
    """The agenda explains its counts and every adjustment."""
    once = item("update", offset_days=33, recurrence=None)  # Saturday 7 March
    agenda = build_agenda(account(), WEEK, plan=plan(once), alerts=[alert()])
    text = agenda.explain()
    assert text[0].startswith("Account acme has 1 touch(es)")
    assert any("Saturday" in s for s in text[1:])


def test_merge_refuses_touches_of_another_account() -> None:
    """merge_agenda refuses a touch of another account."""
    touch = Touch("other", datetime(2026, 3, 2, 9, tzinfo=UTC), "k", "T")
    with pytest.raises(InvalidValueError) as info:
        merge_agenda("acme", [touch], WEEK)
    assert "touches" == info.value.field


def test_merge_refuses_non_touches() -> None:
    """merge_agenda refuses a value that is not a Touch, naming its index."""
    with pytest.raises(InvalidTypeError) as info:
        merge_agenda("acme", ["touch"], WEEK)  # type: ignore[list-item]
    assert "touches[0]" == info.value.field


def test_merge_refuses_unknown_time_zone() -> None:
    """An unknown time zone raises UnknownNameError."""
    with pytest.raises(UnknownNameError):
        merge_agenda("acme", [], WEEK, time_zone="Nowhere/Land")


@given(st.data())
def test_agenda_never_violates_opt_outs_or_caps_and_is_sorted(data: st.DataObject) -> None:
    """For any plan, preferences, caps and alerts: no opted-out channel, no period over a cap, sorted order."""
    window = data.draw(windows(max_days=60))
    acct = data.draw(accounts(window=window))
    prefs = data.draw(preferences())
    limits = data.draw(st.lists(caps, max_size=2))
    alerts = data.draw(st.lists(fake_alerts(acct.account_id, window), max_size=6))
    agenda = build_agenda(acct, window, plan=data.draw(plans()), alerts=alerts, preferences=prefs, caps=limits)
    zone = ZoneInfo(acct.time_zone)
    assert all(t.channel is None or t.channel not in prefs.opted_out for t in agenda.touches)
    for cap in limits:
        counted = [t for t in agenda.touches if cap.count_automated or not t.automated]
        per_period = Counter(cap.period.start_of(t.local_date(zone)) for t in counted)
        assert all(n <= cap.max_touches for n in per_period.values())
    assert sorted(agenda.touches, key=lambda t: t.sort_key) == list(agenda.touches)
    assert all(t.local_date(zone) in window for t in agenda.touches)
    assert all(not prefs.is_quiet(t.local_date(zone)) for t in agenda.touches if t.source is Source.SCHEDULED)


@given(st.data())
def test_merging_the_agenda_again_changes_nothing(data: st.DataObject) -> None:
    """Merging an agenda's touches again gives the same touches and no new adjustment; duplicated input too."""
    window = data.draw(windows(max_days=60))
    acct = data.draw(accounts(window=window))
    prefs = data.draw(preferences())
    limits = data.draw(st.lists(caps, max_size=2))
    alerts = data.draw(st.lists(fake_alerts(acct.account_id, window), max_size=6))
    chosen = data.draw(plans())
    agenda = build_agenda(acct, window, plan=chosen, alerts=alerts, preferences=prefs, caps=limits)
    again = merge_agenda(
        acct.account_id, agenda.touches, window, time_zone=acct.time_zone, preferences=prefs, caps=limits
    )
    assert (agenda.touches, ()) == (again.touches, again.adjustments)
    doubled = merge_agenda(
        acct.account_id,
        agenda.touches + agenda.touches,
        window,
        time_zone=acct.time_zone,
        preferences=prefs,
        caps=limits,
    )
    assert agenda.touches == doubled.touches
    twice = build_agenda(acct, window, plan=chosen, alerts=alerts + alerts, preferences=prefs, caps=limits)
    assert agenda.touches == twice.touches


def test_merge_drops_scheduled_touches_far_outside_the_window() -> None:
    """Scheduled touches long before or after the window are left out of a merge."""
    early = Touch("acme", datetime(2026, 2, 1, 9, tzinfo=UTC), "k", "T")
    late = Touch("acme", datetime(2026, 4, 1, 9, tzinfo=UTC), "k", "T")
    assert () == merge_agenda("acme", [early, late], WEEK).touches


@attrs.frozen
class EngineAction:
    """An action like the trigger engine's: a channel and a description."""

    channel: object
    description: str


@attrs.frozen
class EngineAlert:
    """An alert shaped like ``postsale.triggers.Alert``: ``due`` instead of ``due_at``, channel inside the action."""

    rule_id: str
    rule_name: str
    account_id: str
    due: datetime
    priority: object
    action: EngineAction
    delivered: bool = True


class EngineChannel(enum.Enum):
    """The engine's own channel names."""

    MESSAGE = "message"
    MEETING = "meeting"


def test_alert_with_due_and_action_channel() -> None:
    """An alert with ``due``, ``rule_name`` and ``action.channel`` is read like one with ``due_at``."""
    engine = EngineAlert(
        "H4", "Ticket spike", "acme", datetime(2026, 3, 3, 9, tzinfo=PARIS), 2, EngineAction(EngineChannel.MESSAGE, "")
    )
    (touch,) = build_agenda(account(), WEEK, plan=plan(), alerts=[engine]).touches
    assert ("H4", "Ticket spike", Channel.SMS, 2) == (touch.key, touch.title, touch.channel, touch.rank)


def test_alert_held_back_by_the_engine_is_not_on_the_agenda() -> None:
    """An alert the engine did not deliver (delivered=False) is ignored."""
    held = EngineAlert(
        "H1",
        "",
        "acme",
        datetime(2026, 3, 3, 9, tzinfo=PARIS),
        1,
        EngineAction(EngineChannel.MEETING, "Outreach"),
        False,
    )
    assert () == build_agenda(account(), WEEK, plan=plan(), alerts=[held]).touches


def test_alert_title_falls_back_to_the_action_description() -> None:
    """Without a title or rule name, the action's description is the title."""
    engine = EngineAlert(
        "H1", "", "acme", datetime(2026, 3, 3, 9, tzinfo=PARIS), 1, EngineAction(EngineChannel.MEETING, "Outreach")
    )
    (touch,) = build_agenda(account(), WEEK, plan=plan(), alerts=[engine]).touches
    assert ("Outreach", Channel.VIDEO_CALL) == (touch.title, touch.channel)


def test_alert_without_due_time_names_the_missing_attribute() -> None:
    """An alert-like value without due_at or due is refused, naming what is missing."""

    @attrs.frozen
    class NoDue:
        account_id: str
        rule_id: str
        priority: int

    with pytest.raises(InvalidTypeError) as info:
        touch_from_alert(NoDue("acme", "H1", 1))  # type: ignore[arg-type]
    assert "due_at" in str(info.value)


def test_real_trigger_engine_alert_fits() -> None:
    """An alert of postsale.triggers (when that context is installed) goes on the agenda as is."""
    triggers = pytest.importorskip("postsale.triggers")
    fired = datetime(2026, 3, 3, 8, tzinfo=PARIS)
    real = triggers.Alert(
        rule_id="H2",
        rule_name="Yellow to Red",
        account_id="acme",
        as_of=date(2026, 3, 3),
        fired=fired,
        due=fired.replace(hour=23, minute=59),
        sla=triggers.Sla.SAME_DAY,
        priority=triggers.Priority.URGENT,
        action=triggers.Action(triggers.ActionKind.INVESTIGATION, triggers.ActionChannel.CALL, "urgent intervention"),
        evidence=(),
    )
    (touch,) = build_agenda(account(), WEEK, plan=plan(), alerts=[real]).touches
    assert ("H2", Channel.PHONE, 1, Source.ALERT) == (touch.key, touch.channel, touch.rank, touch.source)


def test_cap_exactly_reached_suppresses_nothing() -> None:
    """Three touches under a cap of 3 a week all stay; a fourth would not."""
    alerts = [alert(f"R{i}", hour=9 + i) for i in range(3)]
    assert (3, ()) == (
        len(build_agenda(account(), WEEK, plan=plan(), alerts=alerts, caps=[FrequencyCap(3)]).touches),
        build_agenda(account(), WEEK, plan=plan(), alerts=alerts, caps=[FrequencyCap(3)]).adjustments,
    )
    over = build_agenda(account(), WEEK, plan=plan(), alerts=[*alerts, alert("R9", hour=20)], caps=[FrequencyCap(3)])
    assert (3, 1) == (len(over.touches), len(over.suppressed))


def test_alert_due_time_is_shown_in_the_account_zone() -> None:
    """An alert due in UTC appears at the same instant in the account's zone."""
    utc_alert = alert(due_at=datetime(2026, 3, 3, 17, tzinfo=UTC))
    (touch,) = build_agenda(account(), WEEK, plan=plan(), alerts=[utc_alert]).touches
    assert "2026-03-03T18:00:00+01:00" == touch.due_at.isoformat()


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("window", {"window": "2026-Q1"}),
        ("plan", {"plan": "enterprise"}),
        ("preferences", {"preferences": {"opted_out": ["email"]}}),
    ],
)
def test_build_agenda_refuses_wrong_types(field: str, kwargs: dict[str, object]) -> None:
    """A window, plan or preferences of the wrong type raises InvalidTypeError naming it."""
    options: dict[str, object] = {"window": WEEK, **kwargs}
    window = options.pop("window")
    with pytest.raises(InvalidTypeError) as info:
        build_agenda(account(), window, **options)  # type: ignore[arg-type]
    assert field == info.value.field


def test_build_agenda_refuses_a_non_account() -> None:
    """The account must be an AccountSnapshot."""
    with pytest.raises(InvalidTypeError) as info:
        build_agenda({"account_id": "acme"}, WEEK)  # type: ignore[arg-type]
    assert "account" == info.value.field


def test_merge_refuses_a_bad_cap() -> None:
    """Caps must be FrequencyCap values, named by index."""
    with pytest.raises(InvalidTypeError) as info:
        merge_agenda("acme", [], WEEK, caps=[3])  # type: ignore[list-item]
    assert "caps[0]" == info.value.field
