"""The cadence context's refusals, word for word (scripts/mutation.py cadence, seeds 31, 33 and 35).

Each refusal is pinned as a whole: its error class and its text, which names the field, the value given, the rule
broken and what to pass instead. The earlier tests pinned the field of most refusals but rarely their words, so a
refusal that lost its value, its rule or its hint went unnoticed. This file holds the scheduling side (plans,
touches, channels, preferences, the agenda, alerts, following the journey); ``test_mutants_3.py`` the analytics side
and the behaviour found unpinned on the way."""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from postsale import (
    AccountSnapshot,
    DefinitionError,
    InvalidTypeError,
    InvalidValueError,
    NaiveDatetimeError,
    PostsaleError,
    Segment,
    Stage,
    UnknownNameError,
)
from postsale.cadence import (
    Adjustment,
    AdjustmentAction,
    AdjustmentCause,
    Agenda,
    Anchor,
    Anchors,
    CadenceItem,
    CadencePlan,
    Channel,
    ChannelChoice,
    ContactPreferences,
    FrequencyCap,
    MessageType,
    Period,
    PlanChoice,
    Recurrence,
    Source,
    Touch,
    Unit,
    ValuePurpose,
    Weekday,
    Window,
    build_agenda,
    caps_for,
    choose_channel,
    merge_agenda,
    renewal_ramp_items,
    segment_plan,
    stage_plan,
    touch_from_alert,
)
from postsale.cadence._alerts import priority_rank
from postsale.journey import Journey
from postsale.renewal import Contract, playbook_for, renewal_timeline
from tests._sweeps import refused
from tests.strategies.cadence import FakeAlert

Refusal = tuple[str, Callable[[], object], type[PostsaleError], str]


# ---- the words of the kernel's checks, as a cadence refusal shows them ------------------------------------------


def not_a(field: str, value: object, kind: type[enum.Enum]) -> tuple[type[PostsaleError], str]:
    """An unknown name: the field, the value, and every member of the enum as the rule and the hint."""
    names = ", ".join(member.name for member in kind)
    article = "an" if kind.__name__[0] in "AEIO" else "a"
    return UnknownNameError, (f"{field}={value!r}: is not {article} {kind.__name__}; "
                              f"rule: one of {names}; instead: pass one of {names}")


def not_a_date(field: str, value: object) -> tuple[type[PostsaleError], str]:
    return InvalidTypeError, (f"{field}={value!r}: expected a calendar date; "
                              "instead: pass datetime.date(...) (use .date() on a datetime)")


def not_a_collection(field: str, value: object) -> tuple[type[PostsaleError], str]:
    return InvalidTypeError, (f"{field}={value!r}: expected a collection, got {type(value).__name__}; "
                              "instead: pass a list or tuple (an empty one is fine)")


def negative(field: str, value: object) -> tuple[type[PostsaleError], str]:
    return InvalidValueError, f"{field}={value!r}: is negative; rule: must be >= 0; instead: pass a count >= 0"


def blank(field: str, value: object) -> tuple[type[PostsaleError], str]:
    return InvalidValueError, f"{field}={value!r}: must be a non-empty string; instead: pass a name or id"


def not_bool(field: str, value: object) -> tuple[type[PostsaleError], str]:
    return InvalidTypeError, f"{field}={value!r}: expected True or False; instead: pass a bool"


def naive(field: str, value: datetime) -> tuple[type[PostsaleError], str]:
    return NaiveDatetimeError, (f"{field}={value!r}: is a naive datetime; rule: deadlines are computed from "
                                "timezone-aware datetimes; instead: attach a time zone, e.g. "
                                "value.replace(tzinfo=ZoneInfo('Europe/Paris'))")


def check_refusals(cases: list[Refusal]) -> Any:
    """Parametrise a test over ``(id, call, error class, text)`` cases."""
    return pytest.mark.parametrize(("call", "error", "text"), [pytest.param(*case[1:], id=case[0]) for case in cases])


def assert_refused(call: Callable[[], object], error: type[PostsaleError], text: str) -> None:
    """``call()`` raises exactly ``error`` (not a subclass, not a parent) with exactly ``text``."""
    found = refused(call)
    assert (type(found), str(found)) == (error, text)


# ---- values the cases share -------------------------------------------------------------------------------------

MONDAY = date(2026, 3, 2)
WEEK = Window.days(MONDAY, 7)
DUE = datetime(2026, 3, 3, 9, tzinfo=UTC)
NAIVE = datetime(2026, 3, 3, 9)
EDGE = datetime(1, 1, 1, 1, tzinfo=timezone(timedelta(hours=5)))
"""01:00 on the first day of the calendar, five hours east of UTC: its UTC time is before the calendar."""
LAST_HOUR = Touch("a", datetime(9999, 12, 31, 23, tzinfo=UTC), "k", "T")
ITEM = CadenceItem("k", "T", "quick_update")
LATE = CadenceItem("late", "Late", "quick_update", offset_days=1)
ONE_OFF_WITH_END = CadenceItem("once", "Once", "quick_update", until_days=3)
ENDS_FIRST = CadenceItem("r", "R", "quick_update", recurrence=Recurrence("day"), offset_days=5, until_days=4)
ANCHORS = Anchors(contract_start=date(2026, 1, 1))
TOUCH = Touch("a", DUE, "call", "Account call")
ALERT = FakeAlert("acme", "H1", DUE, 1)
EVERY_DAY = ContactPreferences(quiet_days=[])
ACME = AccountSnapshot("acme", "SMB", MONDAY, contract_start=date(2026, 1, 5), contract_end=date(2027, 1, 4))
VETERAN = AccountSnapshot("acme", "SMB", MONDAY, contract_start=date(2025, 6, 2), contract_end=date(2027, 6, 1))
"""An account past its first 90 days: its agenda follows the regular plan."""
JOURNEY = Journey.start("acme", "SMB", on=MONDAY)
ACME_CONTRACT = Contract.from_term("acme", "SMB", date(2026, 1, 5), term_months=12, acv=9000)
GLOBEX_CONTRACT = Contract.from_term("globex", "SMB", date(2026, 1, 5), term_months=12, acv=9000)


class Sign(enum.Enum):
    """A priority enum whose member has a negative int value."""

    NEGATIVE = -1


SCHEDULING: list[Refusal] = [
    ("recurrence-interval-type", lambda: Recurrence("week", "2"),
     InvalidTypeError, "interval='2': expected a whole number; instead: pass an int >= 1"),
    ("recurrence-interval-zero", lambda: Recurrence("week", 0),
     InvalidValueError,
     "interval=0: is not a usable cadence interval; rule: must be >= 1 (every 1, 2, 3 ... units); instead: use "
     "interval=1 for every unit, or drop the item to stop the touch"),
    ("recurrence-unit", lambda: Recurrence("fortnight"), *not_a("unit", "fortnight", Unit)),
    ("item-recurrence-type", lambda: CadenceItem("k", "T", "quick_update", recurrence=5),
     InvalidTypeError, "recurrence=5: expected a Recurrence; instead: pass Recurrence(Unit.WEEK)"),
    ("item-offset-days-type", lambda: CadenceItem("k", "T", "quick_update", offset_days="1"),
     InvalidTypeError, "offset_days='1': expected a whole number; instead: pass an int"),
    ("item-until-days-type", lambda: CadenceItem("k", "T", "quick_update", until_days=1.5),
     InvalidTypeError, "until_days=1.5: expected a whole number; instead: pass an int"),
    ("item-anchor", lambda: CadenceItem("k", "T", "quick_update", anchor="signature"),
     *not_a("anchor", "signature", Anchor)),
    ("item-automated", lambda: CadenceItem("k", "T", "quick_update", automated="yes"), *not_bool("automated", "yes")),
    ("item-optional", lambda: CadenceItem("k", "T", "quick_update", optional=1), *not_bool("optional", 1)),
    ("item-message-type", lambda: CadenceItem("k", "T", "gossip"), *not_a("message_type", "gossip", MessageType)),
    ("item-purposes", lambda: CadenceItem("k", "T", "quick_update", ["vibes"]),
     *not_a("purposes", "vibes", ValuePurpose)),
    ("item-channel", lambda: CadenceItem("k", "T", "quick_update", channel="pigeon"),
     *not_a("channel", "pigeon", Channel)),
    ("first-date-anchor-type", lambda: ITEM.first_date("2026-01-01"), *not_a_date("anchor", "2026-01-01")),
    ("first-date-off-calendar", lambda: LATE.first_date(date(9999, 12, 31)),
     InvalidValueError,
     "anchor=datetime.date(9999, 12, 31): leaves the calendar; rule: item 'late' falls 0 month(s) and 1 day(s) "
     "from it, which must be a date between 0001-01-01 and 9999-12-31; instead: pass the account's real anchor "
     "date"),
    ("dates-off-calendar", lambda: LATE.dates(date(9999, 12, 31), Window(date(9999, 12, 1), date(9999, 12, 31))),
     InvalidValueError,
     "anchor=datetime.date(9999, 12, 31): leaves the calendar; rule: item 'late' falls 0 month(s) and 1 day(s) "
     "from it, which must be a date between 0001-01-01 and 9999-12-31; instead: pass the account's real anchor "
     "date"),
    ("dates-anchor-type", lambda: ITEM.dates(None, Window.days(MONDAY, 7)), *not_a_date("anchor", None)),
    ("dates-window-type", lambda: ITEM.dates(MONDAY, (MONDAY, MONDAY)),
     InvalidTypeError,
     "window=(datetime.date(2026, 3, 2), datetime.date(2026, 3, 2)): expected Window, got tuple; instead: pass "
     "Window(start, end)"),
    ("window-end-before-start", lambda: Window(MONDAY, date(2026, 3, 1)),
     InvalidValueError,
     "end=datetime.date(2026, 3, 1): is before the window start; rule: must be on or after start=2026-03-02; "
     "instead: swap the two dates, or pass Window.days(start, n)"),
    ("window-start-type", lambda: Window("2026-03-02", MONDAY), *not_a_date("start", "2026-03-02")),
    ("window-days-empty", lambda: Window.days(MONDAY, 0),
     InvalidValueError, "days=0: is empty; rule: must be >= 1; instead: pass 7"),
    ("window-days-type", lambda: Window.days(MONDAY, 1.0),
     InvalidTypeError, "days=1.0: expected a whole number; instead: pass an int"),
    ("window-days-start-type", lambda: Window.days(None, 7), *not_a_date("start", None)),
    ("window-days-past-calendar", lambda: Window.days(date(9999, 12, 30), 3),
     InvalidValueError,
     "days=3: ends after 9999-12-31; rule: start=9999-12-30 plus 3 days must stay in the calendar; instead: "
     "pass a shorter window"),
    ("quarter-of-type", lambda: Window.quarter_of("2026-05-17"), *not_a_date("day", "2026-05-17")),
    ("anchors-type", lambda: Anchors(contract_start="2026-01-01"), *not_a_date("contract_start", "2026-01-01")),
    ("anchors-renewal-unknown", lambda: Anchors().get(Anchor.RENEWAL_DATE, needed_by="t-30"),
     InvalidValueError,
     "contract_end=None: is unknown but the plan counts from it; rule: plan item 't-30' is anchored on "
     "RENEWAL_DATE; instead: give the account a contract_end, or use a plan without RENEWAL_DATE items"),
    ("anchors-stage-unknown", lambda: Anchors().get("stage_entry", needed_by="onboarding_session"),
     InvalidValueError,
     "stage_entry=None: is unknown but the plan counts from it; rule: plan item 'onboarding_session' is "
     "anchored on STAGE_ENTRY; instead: give the account a stage_entry, or use a plan without STAGE_ENTRY items"),
    ("anchors-anchor-name", lambda: Anchors().get("signature", needed_by="x"), *not_a("anchor", "signature", Anchor)),
    ("plan-problems", lambda: CadencePlan("custom", [5, ITEM, ITEM, ONE_OFF_WITH_END, ENDS_FIRST], time(9, tzinfo=UTC)),
     DefinitionError,
     "cadence plan 'custom' is invalid (5 problem(s)):\n  - must be a naive time of day (the account's zone "
     "applies) @ $.local_time\n  - expected a CadenceItem, got int @ $.items[0]\n  - duplicate key 'k'; keys "
     "must be unique @ $.items[2].key\n  - a one-off item cannot have until_days @ $.items[3].until_days\n  - "
     "ends before it starts (offset_days=5) @ $.items[4].until_days\ninstead: fix every item listed and build "
     "it again"),
    ("plan-items", lambda: CadencePlan("p", ITEM),
     *not_a_collection("items", CadenceItem(key='k', title='T', message_type=MessageType.QUICK_UPDATE))),
    ("plan-item-unknown", lambda: segment_plan("SMB").item("qbr"),
     UnknownNameError,
     "key='qbr': is not an item of the plan; instead: one of monthly_email, quarterly_call, annual_review"),
    ("plan-combine-other", lambda: segment_plan("SMB").combine(5),
     InvalidTypeError, "others[0]=5: expected CadencePlan, got int; instead: pass a CadencePlan"),
    ("plan-combine-name", lambda: segment_plan("SMB").combine(stage_plan("adoption"), name=""), *blank("name", "")),
    ("plan-combine-clash", lambda: segment_plan("SMB").combine(segment_plan("SMB")),
     DefinitionError,
     "cadence plan 'smb cadence + smb cadence' is invalid (3 problem(s)):\n  - duplicate key 'monthly_email'; "
     "keys must be unique @ $.items[3].key\n  - duplicate key 'quarterly_call'; keys must be unique @ "
     "$.items[4].key\n  - duplicate key 'annual_review'; keys must be unique @ $.items[5].key\ninstead: fix "
     "every item listed and build it again"),
    ("touchpoints-zone", lambda: segment_plan("SMB").touchpoints("a", WEEK, ANCHORS, time_zone="Mars/Olympus"),
     UnknownNameError,
     "time_zone='Mars/Olympus': is not a known IANA time zone; rule: an IANA name of at most 64 characters, "
     "such as Area/City; instead: pass a name such as \"Europe/Paris\" or \"UTC\""),
    ("touchpoints-zone-type", lambda: segment_plan("SMB").touchpoints("a", WEEK, ANCHORS, time_zone=9),
     InvalidTypeError, "time_zone=9: expected an IANA time-zone name; instead: e.g. \"Asia/Tokyo\""),
    ("touchpoints-account", lambda: segment_plan("SMB").touchpoints("", WEEK, ANCHORS), *blank("account_id", "")),
    ("touchpoints-window", lambda: segment_plan("SMB").touchpoints("a", (MONDAY, MONDAY), ANCHORS),
     InvalidTypeError,
     "window=(datetime.date(2026, 3, 2), datetime.date(2026, 3, 2)): expected Window, got tuple; instead: pass "
     "Window(start, end)"),
    ("touchpoints-anchors", lambda: segment_plan("SMB").touchpoints("a", WEEK, {"contract_start": MONDAY}),
     InvalidTypeError,
     "anchors={'contract_start': datetime.date(2026, 3, 2)}: expected Anchors, got dict; instead: pass "
     "Anchors(contract_start=...)"),
    ("touchpoints-anchor-unknown", lambda: segment_plan("SMB").touchpoints("a", WEEK, Anchors()),
     InvalidValueError,
     "contract_start=None: is unknown but the plan counts from it; rule: plan item 'monthly_email' is anchored "
     "on CONTRACT_START; instead: give the account a contract_start, or use a plan without CONTRACT_START items"),
    ("touch-naive", lambda: Touch("a", datetime(2026, 3, 2, 9), "k", "T"),
     NaiveDatetimeError,
     "due_at=datetime.datetime(2026, 3, 2, 9, 0): is a naive datetime; rule: deadlines are computed from "
     "timezone-aware datetimes; instead: attach a time zone, e.g. value.replace(tzinfo=ZoneInfo('Europe/Paris'))"),
    ("touch-due-type", lambda: Touch("a", MONDAY, "k", "T"),
     InvalidTypeError,
     "due_at=datetime.date(2026, 3, 2): expected a datetime; instead: pass a timezone-aware datetime"),
    ("touch-due-edge", lambda: Touch("a", EDGE, "k", "T"),
     InvalidValueError,
     "due_at=datetime.datetime(1, 1, 1, 1, 0, tzinfo=datetime.timezone(datetime.timedelta(seconds=18000))): is "
     "at the edge of the calendar; rule: its UTC time must be between 0001-01-01 and 9999-12-31; instead: pass "
     "a real due time"),
    ("touch-moved-from-edge", lambda: Touch("a", DUE, "k", "T", moved_from=EDGE),
     InvalidValueError,
     "moved_from=datetime.datetime(1, 1, 1, 1, 0, tzinfo=datetime.timezone(datetime.timedelta(seconds=18000))): "
     "is at the edge of the calendar; rule: its UTC time must be between 0001-01-01 and 9999-12-31; instead: "
     "pass a real due time"),
    ("touch-moved-from-naive", lambda: Touch("a", DUE, "k", "T", moved_from=datetime(2026, 3, 1)),
     NaiveDatetimeError,
     "moved_from=datetime.datetime(2026, 3, 1, 0, 0): is a naive datetime; rule: deadlines are computed from "
     "timezone-aware datetimes; instead: attach a time zone, e.g. value.replace(tzinfo=ZoneInfo('Europe/Paris'))"),
    ("touch-source", lambda: Touch("a", DUE, "k", "T", source="email"), *not_a("source", "email", Source)),
    ("touch-automated", lambda: Touch("a", DUE, "k", "T", automated=None), *not_bool("automated", None)),
    ("touch-optional", lambda: Touch("a", DUE, "k", "T", optional="no"), *not_bool("optional", "no")),
    ("touch-message-type", lambda: Touch("a", DUE, "k", "T", message_type="gossip"),
     *not_a("message_type", "gossip", MessageType)),
    ("touch-purposes", lambda: Touch("a", DUE, "k", "T", purposes=5), *not_a_collection("purposes", 5)),
    ("touch-purpose-name", lambda: Touch("a", DUE, "k", "T", purposes="vibes"),
     *not_a("purposes", "vibes", ValuePurpose)),
    ("touch-local-date-zone-type", lambda: TOUCH.local_date("Europe/Paris"),
     InvalidTypeError, "zone='Europe/Paris': expected tzinfo, got str; instead: pass ZoneInfo(\"Europe/Paris\")"),
    ("touch-local-date-off-calendar", lambda: LAST_HOUR.local_date(ZoneInfo("Asia/Tokyo")),
     InvalidValueError,
     "zone=zoneinfo.ZoneInfo(key='Asia/Tokyo'): moves the due time off the calendar; rule: "
     "9999-12-31T23:00:00+00:00 in that zone must be a date by 9999-12-31; instead: pass the account's time zone"),
    ("channel-parse", lambda: Channel.parse("pigeon"), *not_a("channel", "pigeon", Channel)),
    ("channel-parse-field", lambda: Channel.parse(3, field="via"), *not_a("via", 3, Channel)),
    ("message-type-parse", lambda: MessageType.parse("gossip"), *not_a("message_type", "gossip", MessageType)),
    ("purpose-parse", lambda: ValuePurpose.parse("vibes"), *not_a("purposes", "vibes", ValuePurpose)),
    ("weekday-parse", lambda: Weekday.parse("someday"), *not_a("quiet_days", "someday", Weekday)),
    ("weekday-parse-number", lambda: Weekday.parse(7), *not_a("quiet_days", 7, Weekday)),
    ("choose-table", lambda: choose_channel("quick update", table=5),
     InvalidTypeError,
     "table=5: expected Mapping, got int; instead: pass a mapping of MessageType to channels, best first"),
    ("choose-opted-out", lambda: choose_channel("quick update", opted_out=["pigeon"]),
     *not_a("opted_out", "pigeon", Channel)),
    ("choose-opted-out-type", lambda: choose_channel("quick update", opted_out="email"),
     *not_a_collection("opted_out", "email")),
    ("choose-preferred", lambda: choose_channel("quick update", preferred=["pigeon"]),
     *not_a("preferred", "pigeon", Channel)),
    ("choose-table-channel", lambda: choose_channel("quick update", table={MessageType.QUICK_UPDATE: ["pigeon"]}),
     *not_a("table[QUICK_UPDATE]", "pigeon", Channel)),
    ("choose-message-type", lambda: choose_channel("gossip"), *not_a("message_type", "gossip", MessageType)),
    ("choice-considered", lambda: ChannelChoice("quick update", None, ["pigeon"]),
     *not_a("considered", "pigeon", Channel)),
    ("choice-refused", lambda: ChannelChoice("quick update", None, [], refused=5), *not_a_collection("refused", 5)),
    ("choice-channel", lambda: ChannelChoice("quick update", "pigeon", []), *not_a("channel", "pigeon", Channel)),
    ("prefs-opted-out-text", lambda: ContactPreferences(opted_out="email"),
     InvalidValueError, "opted_out='email': must be a collection; instead: pass a list, e.g. ['email']"),
    ("prefs-preferred-type", lambda: ContactPreferences(preferred_channels=5),
     InvalidValueError, "preferred_channels=5: must be a collection; instead: pass a list, e.g. ['email']"),
    ("prefs-quiet-text", lambda: ContactPreferences(quiet_days="saturday"),
     InvalidValueError,
     "quiet_days='saturday': must be a collection; instead: pass a list, e.g. ['saturday', 'sunday']"),
    ("prefs-quiet-name", lambda: ContactPreferences(quiet_days=["someday"]), *not_a("quiet_days", "someday", Weekday)),
    ("prefs-opted-out-name", lambda: ContactPreferences(opted_out=["pigeon"]), *not_a("opted_out", "pigeon", Channel)),
    ("prefs-preferred-name", lambda: ContactPreferences(preferred_channels=["pigeon"]),
     *not_a("preferred_channels", "pigeon", Channel)),
    ("prefs-frequency", lambda: ContactPreferences(frequency="daily"), *not_a("frequency", "daily", Period)),
    ("prefs-contradictions",
     lambda: ContactPreferences(opted_out=["email", "sms"], preferred_channels=["phone", "sms", "email"],
                                quiet_days=range(7)),
     DefinitionError,
     "contact preferences contradict themselves (3 problem(s)):\n  - every day is quiet; leave at least one day "
     "for touches @ $.quiet_days\n  - SMS is also opted out @ $.preferred_channels[1]\n  - EMAIL is also opted "
     "out @ $.preferred_channels[2]\ninstead: keep each channel in one list only"),
    ("prefs-is-quiet-type", lambda: ContactPreferences().is_quiet("2026-03-02"), *not_a_date("day", "2026-03-02")),
    ("prefs-is-quiet-datetime", lambda: ContactPreferences().is_quiet(datetime(2026, 3, 2, 9)),
     InvalidTypeError,
     "day=datetime.datetime(2026, 3, 2, 9, 0): expected a calendar date; instead: pass datetime.date(...) (use "
     ".date() on a datetime)"),
    ("prefs-next-allowed-end", lambda: ContactPreferences(quiet_days=["fri"]).next_allowed(date.max),
     InvalidValueError,
     "day=datetime.date(9999, 12, 31): has no allowed day after it; rule: the next allowed day must be a date "
     "by 9999-12-31; instead: pass a real date"),
    ("prefs-next-allowed-holiday-end", lambda: EVERY_DAY.next_allowed(date.max, holidays={date.max}),
     InvalidValueError,
     "day=datetime.date(9999, 12, 31): has no allowed day after it; rule: the next allowed day must be a date "
     "by 9999-12-31; instead: pass a real date"),
    ("period-parse", lambda: Period.parse("daily"), *not_a("period", "daily", Period)),
    ("period-start-type", lambda: Period.MONTH.start_of("2026-03-02"), *not_a_date("day", "2026-03-02")),
    ("cap-zero", lambda: FrequencyCap(0),
     InvalidValueError,
     "max_touches=0: would forbid every touch; rule: must be >= 1; instead: use "
     "ContactPreferences(opted_out=...) to stop touches on a channel"),
    ("cap-type", lambda: FrequencyCap("3"),
     InvalidTypeError, "max_touches='3': expected a whole number; instead: pass an int"),
    ("cap-period", lambda: FrequencyCap(3, "fortnight"), *not_a("period", "fortnight", Period)),
    ("cap-count-automated", lambda: FrequencyCap(3, count_automated="no"), *not_bool("count_automated", "no")),
    ("caps-for", lambda: caps_for("giant"), *not_a("segment", "giant", Segment)),
    ("merge-account", lambda: merge_agenda("", [], WEEK), *blank("account_id", "")),
    ("merge-zone", lambda: merge_agenda("a", [], WEEK, time_zone="Mars/Olympus"),
     UnknownNameError,
     "time_zone='Mars/Olympus': is not a known IANA time zone; rule: an IANA name of at most 64 characters, "
     "such as Area/City; instead: pass a name such as \"Europe/Paris\" or \"UTC\""),
    ("merge-window", lambda: merge_agenda("a", [], (MONDAY, MONDAY)),
     InvalidTypeError,
     "window=(datetime.date(2026, 3, 2), datetime.date(2026, 3, 2)): expected a Window; instead: pass a Window"),
    ("merge-preferences", lambda: merge_agenda("a", [], WEEK, preferences={"quiet_days": []}),
     InvalidTypeError,
     "preferences={'quiet_days': []}: expected a ContactPreferences; instead: pass a ContactPreferences"),
    ("merge-caps", lambda: merge_agenda("a", [], WEEK, caps=[3]),
     InvalidTypeError, "caps[0]=3: expected FrequencyCap, got int; instead: pass a FrequencyCap"),
    ("merge-caps-type", lambda: merge_agenda("a", [], WEEK, caps=FrequencyCap(3)),
     *not_a_collection("caps", FrequencyCap(max_touches=3))),
    ("merge-fold", lambda: merge_agenda("a", [], WEEK, fold_same_day="yes"),
     InvalidTypeError, "fold_same_day='yes': expected bool, got str; instead: pass a bool"),
    ("merge-holidays", lambda: merge_agenda("a", [], WEEK, holidays=[MONDAY, "2026-03-03"]),
     *not_a_date("holidays[1]", "2026-03-03")),
    ("merge-holidays-type", lambda: merge_agenda("a", [], WEEK, holidays=MONDAY),
     InvalidTypeError,
     "holidays=datetime.date(2026, 3, 2): expected a collection, got date; instead: pass a list or tuple (an "
     "empty one is fine)"),
    ("merge-touches", lambda: merge_agenda("a", 5, WEEK), *not_a_collection("touches", 5)),
    ("merge-touch-type", lambda: merge_agenda("a", [TOUCH, "call"], WEEK),
     InvalidTypeError, "touches[1]='call': expected a Touch; instead: use touch_from_alert"),
    ("merge-other-account", lambda: merge_agenda("b", [TOUCH], WEEK),
     InvalidValueError,
     "touches='a': belongs to another account; rule: every touch must be for account 'b'; instead: merge one "
     "account at a time"),
    ("adjustment-touch", lambda: Adjustment("call", "moved", "quiet_day", "why"),
     InvalidTypeError, "touch='call': expected a Touch; instead: pass a Touch"),
    ("adjustment-action", lambda: Adjustment(TOUCH, "lost", "quiet_day", "why"),
     *not_a("action", "lost", AdjustmentAction)),
    ("adjustment-cause", lambda: Adjustment(TOUCH, "moved", "weather", "why"),
     *not_a("cause", "weather", AdjustmentCause)),
    ("adjustment-result", lambda: Adjustment(TOUCH, "moved", "quiet_day", "why", "call"),
     InvalidTypeError, "result='call': expected a Touch; instead: pass a Touch"),
    ("agenda-window", lambda: Agenda("a", None, "UTC", []),
     InvalidTypeError, "window=None: expected a Window; instead: pass a Window"),
    ("agenda-zone", lambda: Agenda("a", WEEK, "Mars/Olympus", []),
     UnknownNameError,
     "time_zone='Mars/Olympus': is not a known IANA time zone; rule: an IANA name of at most 64 characters, "
     "such as Area/City; instead: pass a name such as \"Europe/Paris\" or \"UTC\""),
    ("agenda-touches", lambda: Agenda("a", WEEK, "UTC", [5]),
     InvalidTypeError, "touches[0]=5: expected Touch, got int; instead: pass a Touch"),
    ("agenda-adjustments", lambda: Agenda("a", WEEK, "UTC", [], [5]),
     InvalidTypeError, "adjustments[0]=5: expected Adjustment, got int; instead: pass an Adjustment"),
    ("agenda-plans", lambda: Agenda("a", WEEK, "UTC", [], [], [5]),
     InvalidTypeError, "plans[0]=5: expected PlanChoice, got int; instead: pass a PlanChoice"),
    ("build-account", lambda: build_agenda("acme", WEEK),
     InvalidTypeError, "account='acme': expected an AccountSnapshot; instead: pass an AccountSnapshot"),
    ("build-window", lambda: build_agenda(ACME, (MONDAY, MONDAY)),
     InvalidTypeError,
     "window=(datetime.date(2026, 3, 2), datetime.date(2026, 3, 2)): expected a Window; instead: pass a Window"),
    ("build-plan", lambda: build_agenda(ACME, WEEK, plan="smb"),
     InvalidTypeError, "plan='smb': expected a CadencePlan; instead: pass a CadencePlan"),
    ("build-preferences", lambda: build_agenda(ACME, WEEK, preferences=[]),
     InvalidTypeError, "preferences=[]: expected a ContactPreferences; instead: pass a ContactPreferences"),
    ("build-caps", lambda: build_agenda(ACME, WEEK, caps=[4]),
     InvalidTypeError, "caps[0]=4: expected FrequencyCap, got int; instead: pass a FrequencyCap"),
    ("build-rank", lambda: build_agenda(ACME, WEEK, rank=1),
     InvalidTypeError, "rank=1: expected a function; instead: pass a function of a priority"),
    ("build-channel-of", lambda: build_agenda(ACME, WEEK, channel_of="email"),
     InvalidTypeError, "channel_of='email': expected a function; instead: pass a function of an alert, or None"),
    ("build-alerts", lambda: build_agenda(ACME, WEEK, alerts=5), *not_a_collection("alerts", 5)),
    ("build-alert-not-alert-like", lambda: build_agenda(ACME, WEEK, alerts=[ALERT, SimpleNamespace()]),
     InvalidTypeError,
     "alerts[1]=namespace(): is not alert-like; rule: needs account_id, rule_id, due_at (or due) and priority "
     "(postsale.cadence.AlertLike); instead: add the missing attribute(s): account_id, rule_id, priority, due_at"),
    ("build-alert-naive", lambda: build_agenda(ACME, WEEK, alerts=[FakeAlert("acme", "H1", NAIVE, 1)]),
     NaiveDatetimeError,
     "alerts[0].due_at=datetime.datetime(2026, 3, 3, 9, 0): is a naive datetime; rule: deadlines are computed "
     "from timezone-aware datetimes; instead: attach a time zone, e.g. "
     "value.replace(tzinfo=ZoneInfo('Europe/Paris'))"),
    ("build-alert-channel",
     lambda: build_agenda(ACME, WEEK, alerts=[FakeAlert("acme", "H1", DUE, 1, channel="pigeon")]),
     *not_a("alerts[0].channel", "pigeon", Channel)),
    ("build-stage-entered-type", lambda: build_agenda(ACME, WEEK, stage="adoption", stage_entered="2026-01-01"),
     *not_a_date("stage_entered", "2026-01-01")),
    ("build-stage-unknown", lambda: build_agenda(ACME, WEEK, stage="cruising", stage_entered=MONDAY),
     *not_a("stage", "cruising", Stage)),
    ("build-follow-flag", lambda: build_agenda(ACME, WEEK, follow_journey="yes"), *not_bool("follow_journey", "yes")),
    ("build-follow-false", lambda: build_agenda(ACME, WEEK, follow_journey=False, stage="adoption",
                                                      playbook=playbook_for("SMB")),
     InvalidValueError,
     "follow_journey=False: is False but journey arguments are given; rule: stage, playbook only apply when the "
     "agenda follows the journey; instead: drop follow_journey=False, or drop stage=, playbook="),
    ("build-journey-type", lambda: build_agenda(ACME, WEEK, journey="acme"),
     InvalidTypeError,
     "journey='acme': expected Journey, got str; instead: pass the account's postsale.journey.Journey, or None"),
    ("build-journey-other", lambda: build_agenda(ACME, WEEK, journey=Journey.start("globex", "SMB", on=MONDAY)),
     InvalidValueError,
     "journey='globex': belongs to account 'globex'; rule: must be the journey of account 'acme'; instead: pass "
     "this account's journey"),
    ("build-journey-and-stage", lambda: build_agenda(ACME, WEEK, journey=JOURNEY, stage="adoption"),
     InvalidValueError,
     "stage='adoption': is given with a journey; rule: the stage comes from the journey's core track when a "
     "journey is given; instead: pass stage= or journey=, not both"),
    ("build-renewal-type", lambda: build_agenda(ACME, WEEK, renewal="2027-01-01"),
     InvalidTypeError,
     "renewal='2027-01-01': expected RenewalTimeline, got str; instead: pass "
     "postsale.renewal.renewal_timeline(contract)"),
    ("build-renewal-other", lambda: build_agenda(ACME, WEEK, renewal=renewal_timeline(GLOBEX_CONTRACT)),
     InvalidValueError,
     "renewal='globex': belongs to account 'globex'; rule: must be the renewal timeline of account 'acme'; "
     "instead: pass this account's renewal timeline"),
    ("build-renewal-and-playbook", lambda: build_agenda(ACME, WEEK, renewal=renewal_timeline(ACME_CONTRACT),
                                                              playbook=playbook_for("SMB")),
     InvalidValueError,
     "playbook='smb': is given with a renewal timeline; rule: the timeline already follows its playbook; "
     "instead: pass renewal= or playbook=, not both"),
    ("build-playbook-type", lambda: build_agenda(ACME, WEEK, playbook="smb"),
     InvalidTypeError,
     "playbook='smb': expected Playbook, got str; instead: pass a postsale.renewal.Playbook, or None"),
    ("build-no-contract-start", lambda: build_agenda(AccountSnapshot("acme", "SMB", MONDAY), WEEK),
     InvalidValueError,
     "contract_start=None: is unknown but the plan counts from it; rule: plan item 'monthly_email' is anchored "
     "on CONTRACT_START; instead: give the account a contract_start, or use a plan without CONTRACT_START items"),
    ("priority-bool", lambda: priority_rank(True),
     InvalidTypeError, "priority=True: expected an int or an enum member"),
    ("priority-text", lambda: priority_rank("high"),
     InvalidTypeError,
     "priority='high': expected an int or an enum member; instead: pass rank=... to build_agenda to turn your "
     "priorities into ints (lower = more urgent)"),
    ("priority-negative", lambda: priority_rank(-1), *negative("priority", -1)),
    ("alert-field", lambda: touch_from_alert(ALERT, field=3),
     InvalidTypeError, "field=3: expected str, got int; instead: name the alert in messages, e.g. 'alerts[3]'"),
    ("alert-rank", lambda: touch_from_alert(ALERT, rank="high"),
     InvalidTypeError, "rank='high': expected a function; instead: pass a function of a priority"),
    ("alert-channel-of", lambda: touch_from_alert(ALERT, channel_of="email"),
     InvalidTypeError, "channel_of='email': expected a function; instead: pass a function of an alert, or None"),
    ("alert-missing", lambda: touch_from_alert(SimpleNamespace()),
     InvalidTypeError,
     "alert=namespace(): is not alert-like; rule: needs account_id, rule_id, due_at (or due) and priority "
     "(postsale.cadence.AlertLike); instead: add the missing attribute(s): account_id, rule_id, priority, due_at"),
    ("alert-missing-some", lambda: touch_from_alert(SimpleNamespace(account_id="acme", priority=1)),
     InvalidTypeError,
     "alert=namespace(account_id='acme', priority=1): is not alert-like; rule: needs account_id, rule_id, "
     "due_at (or due) and priority (postsale.cadence.AlertLike); instead: add the missing attribute(s): "
     "rule_id, due_at"),
    ("alert-due-blank", lambda: touch_from_alert(SimpleNamespace(account_id="acme", rule_id="H1", priority=1,
                                                                          due_at=None, due=None)),
     InvalidTypeError,
     "alert=namespace(account_id='acme', rule_id='H1', priority=1, due_at=None, due=None): is not alert-like; "
     "rule: needs account_id, rule_id, due_at (or due) and priority (postsale.cadence.AlertLike); instead: add "
     "the missing attribute(s): due_at"),
    ("alert-naive", lambda: touch_from_alert(FakeAlert("acme", "H1", NAIVE, 1)),
     NaiveDatetimeError,
     "alert.due_at=datetime.datetime(2026, 3, 3, 9, 0): is a naive datetime; rule: deadlines are computed from "
     "timezone-aware datetimes; instead: attach a time zone, e.g. value.replace(tzinfo=ZoneInfo('Europe/Paris'))"),
    ("alert-naive-named", lambda: touch_from_alert(FakeAlert("acme", "H1", NAIVE, 1), field="alerts[2]"),
     NaiveDatetimeError,
     "alerts[2].due_at=datetime.datetime(2026, 3, 3, 9, 0): is a naive datetime; rule: deadlines are computed "
     "from timezone-aware datetimes; instead: attach a time zone, e.g. "
     "value.replace(tzinfo=ZoneInfo('Europe/Paris'))"),
    ("alert-channel", lambda: touch_from_alert(FakeAlert("acme", "H1", DUE, 1, channel="pigeon")),
     *not_a("alert.channel", "pigeon", Channel)),
    ("alert-channel-of-bad", lambda: touch_from_alert(ALERT, channel_of=lambda a: "pigeon"),
     *not_a("alert.channel", "pigeon", Channel)),
    ("alert-account", lambda: touch_from_alert(FakeAlert("", "H1", DUE, 1)), *blank("alert.account_id", "")),
    ("alert-rule", lambda: touch_from_alert(FakeAlert("acme", " ", DUE, 1)), *blank("alert.rule_id", " ")),
    ("plan-choice-end", lambda: PlanChoice("p", MONDAY, date(2026, 3, 1), "why"),
     InvalidValueError,
     "end=datetime.date(2026, 3, 1): is before the span's start; rule: must be on or after start=2026-03-02; "
     "instead: swap the two dates"),
    ("segment-plan-name", lambda: segment_plan("giant"), *not_a("segment", "giant", Segment)),
    ("segment-plan-alternative", lambda: segment_plan("SMB", alternative="yes"), *not_bool("alternative", "yes")),
    ("stage-plan-name", lambda: stage_plan("cruising"), *not_a("stage", "cruising", Stage)),
    ("stage-plan-automated", lambda: stage_plan("adoption", automated=1), *not_bool("automated", 1)),
    ("ramp-from", lambda: renewal_ramp_items(-1, 0), *negative("from_days", -1)),
    ("ramp-to", lambda: renewal_ramp_items(60, -1), *negative("to_days", -1)),
    ("ramp-order", lambda: renewal_ramp_items(30, 60),
     InvalidValueError,
     "to_days=60: is after the ramp's start; rule: the weekly touches start at or after T-30 (to_days <= "
     "from_days); instead: pass the ramp as (from_days, to_days), e.g. (60, 30)"),
    ("ramp-automated", lambda: renewal_ramp_items(60, 30, automated="no"), *not_bool("automated", "no")),
    ("dates-window-too-long", lambda: ITEM.dates(MONDAY, Window.days(MONDAY, 3661)),
     InvalidValueError,
     "window=Window(start=2026-03-02, end=2036-03-09): is too long; rule: touches are generated for at most "
     "3660 days at a time; instead: ask for the touches of shorter windows, one after the other"),
    ("build-stage-entered-missing", lambda: build_agenda(VETERAN, WEEK, stage="adoption"),
     InvalidValueError,
     "stage_entered=None: is unknown but the stage rhythm counts from it; rule: the Adoption rhythm counts from "
     "the day the account entered the stage; instead: pass stage_entered= with stage=, or pass the account's "
     "journey"),
    ("build-caps-first", lambda: build_agenda(ACME, WEEK, caps=[4], alerts=5),
     InvalidTypeError, "caps[0]=4: expected FrequencyCap, got int; instead: pass a FrequencyCap"),
    ("priority-enum-negative", lambda: priority_rank(Sign.NEGATIVE), *negative("priority", -1)),
    ("window-days-last", lambda: Window.days(date(9999, 12, 31), 2),
     InvalidValueError,
     "days=2: ends after 9999-12-31; rule: start=9999-12-31 plus 2 days must stay in the calendar; instead: "
     "pass a shorter window"),
]


@check_refusals(SCHEDULING)
def test_a_scheduling_refusal_names_field_value_rule_and_hint(
    call: Callable[[], object], error: type[PostsaleError], text: str
) -> None:
    """Plans, touches, channels, preferences, agendas and alerts refuse bad input with their exact words."""
    assert_refused(call, error, text)
