"""The cadence context's refusals, word for word, continued (scripts/mutation.py cadence, seeds 31, 33 and 35): the
analytics side (engagement, efficiency, proactive time, the portfolio view, the plan settings), then the analytics'
explanations and the default plans item by item. The scheduling side's refusals are in ``test_mutants_2.py``, whose
helpers this file reuses."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, time

import pytest

from postsale import (
    AccountSnapshot,
    InvalidTypeError,
    InvalidValueError,
    PostsaleError,
    Segment,
    StructureError,
    from_data,
)
from postsale.cadence import (
    DEFAULT_CADENCE_PLANS,
    CadenceItem,
    CadencePlan,
    CadencePlans,
    Channel,
    ContactPreferences,
    DeliveredTouch,
    EngagementMetric,
    EngagementOutcome,
    EngagementRecord,
    EngagementResult,
    EngagementTargets,
    OverCommunication,
    OverCommunicationPolicy,
    OverCommunicationSignal,
    PortfolioView,
    SegmentEfficiency,
    TimeShare,
    TouchEfficiency,
    ValuePurpose,
    Window,
    _defaults,
    _follow,
    _plans,
    assess_over_communication,
    build_agenda,
    evaluate_engagement,
    lower_cadence,
    onboarding_plan,
    portfolio_view,
    proactive_share,
    renewal_ramp_items,
    segment_plan,
    stage_plan,
    touch_efficiency,
)
from postsale.kpi import TargetStatus
from tests.cadence.test_mutants_2 import (
    MONDAY,
    Refusal,
    assert_refused,
    blank,
    check_refusals,
    negative,
    not_a,
    not_a_collection,
    not_a_date,
)

ANALYTICS: list[Refusal] = [
    ("record-segment", lambda: EngagementRecord("a", "giant", "email", MONDAY), *not_a("segment", "giant", Segment)),
    ("record-channel", lambda: EngagementRecord("a", "SMB", "pigeon", MONDAY), *not_a("channel", "pigeon", Channel)),
    ("record-outcomes", lambda: EngagementRecord("a", "SMB", "email", MONDAY, ["liked"]),
     *not_a("outcomes", "liked", EngagementOutcome)),
    ("record-outcomes-type", lambda: EngagementRecord("a", "SMB", "email", MONDAY, 5),
     *not_a_collection("outcomes", 5)),
    ("record-important", lambda: EngagementRecord("a", "SMB", "email", MONDAY, important="yes"),
     InvalidValueError, "important='yes': expected True or False; instead: pass a bool"),
    ("record-resource", lambda: EngagementRecord("a", "SMB", "email", MONDAY, resource_offered=1),
     InvalidValueError, "resource_offered=1: expected True or False; instead: pass a bool"),
    ("targets-metric", lambda: EngagementTargets().target("nps"), *not_a("metric", "nps", EngagementMetric)),
    ("result-hits", lambda: EngagementResult("SMB", "email", "email_open", 6, 5, 0.4),
     InvalidValueError,
     "hits=6: is more than total; rule: hits <= total=5; instead: count the touches that achieved the metric "
     "among those that count for it"),
    ("result-total", lambda: EngagementResult("SMB", "email", "email_open", 0, 0, 0.4),
     InvalidValueError, "total=0: must be at least 1; rule: must be >= 1"),
    ("result-metric", lambda: EngagementResult("SMB", "email", "nps", 0, 1, 0.4),
     *not_a("metric", "nps", EngagementMetric)),
    ("result-segment", lambda: EngagementResult("giant", "email", "email_open", 0, 1, 0.4),
     *not_a("segment", "giant", Segment)),
    ("policy-lookback", lambda: OverCommunicationPolicy(lookback_days=0),
     InvalidValueError, "lookback_days=0: must be at least 1; rule: must be >= 1"),
    ("policy-min-touches", lambda: OverCommunicationPolicy(min_touches=0),
     InvalidValueError, "min_touches=0: must be at least 1; rule: must be >= 1"),
    ("policy-decline", lambda: OverCommunicationPolicy(response_decline=-0.1),
     InvalidValueError,
     "response_decline=-0.1: is outside [0, 1]; rule: a share is written as a fraction between 0 and 1; "
     "instead: pass a fraction in [0, 1]"),
    ("policy-ignored", lambda: OverCommunicationPolicy(ignored_important=0),
     InvalidValueError, "ignored_important=0: must be at least 1; rule: must be >= 1"),
    ("policy-spam", lambda: OverCommunicationPolicy(spam_complaints=0),
     InvalidValueError, "spam_complaints=0: must be at least 1; rule: must be >= 1"),
    ("policy-reduce", lambda: OverCommunicationPolicy(reduce_requests=0),
     InvalidValueError, "reduce_requests=0: must be at least 1; rule: must be >= 1"),
    ("policy-slowdown", lambda: OverCommunicationPolicy(slowdown=0),
     InvalidValueError, "slowdown=0: must be at least 1; rule: must be >= 1"),
    ("policy-type", lambda: OverCommunicationPolicy(slowdown=2.0),
     InvalidTypeError, "slowdown=2.0: expected a whole number; instead: pass an int"),
    ("over-signals", lambda: OverCommunication("a", MONDAY, ["too_chatty"], None, None, 0, 0, 0),
     *not_a("signals", "too_chatty", OverCommunicationSignal)),
    ("over-signals-type", lambda: OverCommunication("a", MONDAY, 5, None, None, 0, 0, 0),
     *not_a_collection("signals", 5)),
    ("over-declining", lambda: OverCommunication("a", MONDAY, ["declining_response"], 0.1, None, 0, 0, 0),
     InvalidValueError,
     "signals=(<OverCommunicationSignal.DECLINING_RESPONSE: 'declining_response'>,): needs both response rates; "
     "rule: a declining response compares the recent and the previous rates; instead: give recent_response_rate "
     "and previous_response_rate"),
    ("over-policy", lambda: OverCommunication("a", MONDAY, [], None, None, 0, 0, 0, policy=5),
     InvalidTypeError, "policy=5: expected OverCommunicationPolicy, got int; instead: pass an OverCommunicationPolicy"),
    ("assess-account", lambda: assess_over_communication("", [], MONDAY), *blank("account_id", "")),
    ("assess-records", lambda: assess_over_communication("a", 5, MONDAY), *not_a_collection("records", 5)),
    ("assess-as-of", lambda: assess_over_communication("a", [], "2026-03-02"), *not_a_date("as_of", "2026-03-02")),
    ("assess-policy", lambda: assess_over_communication("a", [], MONDAY, policy={"slowdown": 3}),
     InvalidTypeError,
     "policy={'slowdown': 3}: expected OverCommunicationPolicy, got dict; instead: pass an "
     "OverCommunicationPolicy"),
    ("lower-plan", lambda: lower_cadence("smb"),
     InvalidTypeError,
     "plan='smb': expected CadencePlan, got str; instead: pass a CadencePlan, e.g. segment_plan(Segment.SMB)"),
    ("lower-factor", lambda: lower_cadence(segment_plan("SMB"), factor=0),
     InvalidValueError, "factor=0: must be at least 1; rule: must be >= 1"),
    ("lower-below", lambda: lower_cadence(segment_plan("SMB"), below_days=0),
     InvalidValueError, "below_days=0: must be at least 1; rule: must be >= 1"),
    ("delivered-no-csm", lambda: DeliveredTouch("a", "SMB", "email", MONDAY),
     InvalidValueError,
     "csm=None: a touch a person delivered needs the person; rule: csm is required unless automated=True; "
     "instead: pass csm='...' (who delivered it) or automated=True"),
    ("delivered-segment", lambda: DeliveredTouch("a", "giant", "email", MONDAY, automated=True),
     *not_a("segment", "giant", Segment)),
    ("delivered-channel", lambda: DeliveredTouch("a", "SMB", "pigeon", MONDAY, automated=True),
     *not_a("channel", "pigeon", Channel)),
    ("delivered-minutes", lambda: DeliveredTouch("a", "SMB", "email", MONDAY, csm="kim", minutes=-5),
     *negative("minutes", -5)),
    ("segment-automated", lambda: SegmentEfficiency("SMB", 3, 4, 0, 1, 1.0),
     InvalidValueError, "automated=4: counts more touches than there are; rule: must be <= touches=3"),
    ("segment-proactive", lambda: SegmentEfficiency("SMB", 3, 0, 5, 1, 1.0),
     InvalidValueError, "proactive=5: counts more touches than there are; rule: must be <= touches=3"),
    ("segment-months", lambda: SegmentEfficiency("SMB", 3, 0, 0, 1, 0),
     InvalidValueError, "months=0: is not positive; rule: must be > 0"),
    ("segment-months-type", lambda: SegmentEfficiency("SMB", 3, 0, 0, 1, "one"),
     InvalidTypeError,
     "months='one': expected a number; instead: pass an int, float or Decimal (parse strings at the edge)"),
    ("segment-cost", lambda: SegmentEfficiency("SMB", 3, 0, 0, 1, 1.0, cost=-1),
     InvalidValueError, "cost=-1: is negative; rule: must be >= 0; instead: pass an amount >= 0"),
    ("segment-channel-pair", lambda: SegmentEfficiency("SMB", 3, 0, 0, 1, 1.0, cost_by_channel=[("email", 1, 2)]),
     InvalidValueError, "cost_by_channel[]=('email', 1, 2): is not a (channel, cost) pair"),
    ("segment-channel-cost", lambda: SegmentEfficiency("SMB", 3, 0, 0, 1, 1.0, cost_by_channel=[("email", -1)]),
     InvalidValueError, "cost_by_channel[].cost=-1: is negative; rule: must be >= 0; instead: pass an amount >= 0"),
    ("segment-channel-name", lambda: SegmentEfficiency("SMB", 3, 0, 0, 1, 1.0, cost_by_channel=[("pigeon", 1)]),
     *not_a("channel", "pigeon", Channel)),
    ("segment-channel-type", lambda: SegmentEfficiency("SMB", 3, 0, 0, 1, 1.0, cost_by_channel=5),
     *not_a_collection("cost_by_channel", 5)),
    ("segment-name", lambda: SegmentEfficiency("giant", 3, 0, 0, 1, 1.0), *not_a("segment", "giant", Segment)),
    ("efficiency-overall", lambda: TouchEfficiency(MONDAY, MONDAY, 5, []),
     InvalidTypeError, "overall=5: expected SegmentEfficiency, got int; instead: pass a SegmentEfficiency"),
    ("efficiency-segments", lambda: TouchEfficiency(MONDAY, MONDAY, SegmentEfficiency(None, 0, 0, 0, 0, 1.0), [5]),
     InvalidTypeError, "segments[0]=5: expected SegmentEfficiency, got int; instead: pass a SegmentEfficiency"),
    ("efficiency-segment-name", lambda: touch_efficiency([], start=MONDAY, end=MONDAY).segment("giant"),
     *not_a("segment", "giant", Segment)),
    ("efficiency-end", lambda: touch_efficiency([], start=MONDAY, end=date(2026, 3, 1)),
     InvalidValueError,
     "end=datetime.date(2026, 3, 1): the period ends before it starts; rule: must be on or after 2026-03-02"),
    ("efficiency-start-type", lambda: touch_efficiency([], start="2026-03-01", end=MONDAY),
     *not_a_date("start", "2026-03-01")),
    ("efficiency-end-type", lambda: touch_efficiency([], start=MONDAY, end=None), *not_a_date("end", None)),
    ("efficiency-touches", lambda: touch_efficiency([5], start=MONDAY, end=MONDAY),
     InvalidTypeError, "touches[0]=5: expected DeliveredTouch, got int; instead: pass a DeliveredTouch"),
    ("efficiency-costs-type", lambda: touch_efficiency([], start=MONDAY, end=MONDAY, cost_by_segment=[("SMB", 1)]),
     InvalidTypeError,
     "cost_by_segment=[('SMB', 1)]: expected a mapping, got list; instead: pass a dict (an empty one is fine)"),
    ("efficiency-costs-key", lambda: touch_efficiency([], start=MONDAY, end=MONDAY, cost_by_segment={"giant": 1}),
     *not_a("cost_by_segment key", "giant", Segment)),
    ("efficiency-costs-value", lambda: touch_efficiency([], start=MONDAY, end=MONDAY, cost_by_segment={"SMB": -1}),
     InvalidValueError, "cost_by_segment['SMB']=-1: is negative; rule: must be >= 0; instead: pass an amount >= 0"),
    ("share-negative", lambda: proactive_share(-1, 10),
     InvalidValueError, "proactive_hours=-1: is negative; rule: must be >= 0; instead: pass a value >= 0"),
    ("share-reactive-negative", lambda: proactive_share(10, -1),
     InvalidValueError, "reactive_hours=-1: is negative; rule: must be >= 0; instead: pass a value >= 0"),
    ("share-nothing", lambda: proactive_share(0, 0),
     InvalidValueError,
     "reactive_hours=0: no time was recorded; rule: proactive_hours + reactive_hours must be > 0; instead: pass "
     "the hours of a period in which the team worked"),
    ("share-band", lambda: proactive_share(6, 4, target_from=0.8, target_to=0.7),
     InvalidValueError, "target_from=0.8: is above target_to; rule: must be <= 0.7"),
    ("share-from", lambda: proactive_share(6, 4, target_from=60),
     InvalidValueError,
     "target_from=60: is outside [0, 1]; rule: a share is written as a fraction between 0 and 1; instead: write "
     "0.6 for 60.0 %"),
    ("share-to", lambda: proactive_share(6, 4, target_to=-0.1),
     InvalidValueError,
     "target_to=-0.1: is outside [0, 1]; rule: a share is written as a fraction between 0 and 1; instead: pass "
     "a fraction in [0, 1]"),
    ("time-share-share", lambda: TimeShare(6, 4, 1.5, "on_target"),
     InvalidValueError,
     "share=1.5: is outside [0, 1]; rule: a share is written as a fraction between 0 and 1; instead: write "
     "0.015 for 1.5 %"),
    ("time-share-status", lambda: TimeShare(6, 4, 0.6, "fine"), *not_a("status", "fine", TargetStatus)),
    ("time-share-hours", lambda: TimeShare(-6, 4, 0.6, "on_target"),
     InvalidValueError, "proactive_hours=-6: is negative; rule: must be >= 0; instead: pass a value >= 0"),
    ("time-share-reactive", lambda: TimeShare(6, -4, 0.6, "on_target"),
     InvalidValueError, "reactive_hours=-4: is negative; rule: must be >= 0; instead: pass a value >= 0"),
    ("time-share-from", lambda: TimeShare(6, 4, 0.6, "on_target", target_from=2),
     InvalidValueError,
     "target_from=2: is outside [0, 1]; rule: a share is written as a fraction between 0 and 1; instead: write "
     "0.02 for 2.0 %"),
    ("time-share-to", lambda: TimeShare(6, 4, 0.6, "on_target", target_to=2),
     InvalidValueError,
     "target_to=2: is outside [0, 1]; rule: a share is written as a fraction between 0 and 1; instead: write "
     "0.02 for 2.0 %"),
    ("portfolio-agendas", lambda: portfolio_view(5), *not_a_collection("agendas", 5)),
    ("portfolio-accounts", lambda: portfolio_view([], accounts=[5]),
     InvalidTypeError, "accounts[0]=5: expected AccountSnapshot, got int; instead: pass an AccountSnapshot"),
    ("portfolio-capacity", lambda: portfolio_view([], capacity=-1), *negative("capacity", -1)),
    ("portfolio-csm-of", lambda: portfolio_view([], csm_of=[("acme", "Ana")]),
     InvalidTypeError,
     "csm_of=[('acme', 'Ana')]: expected Mapping, got list; instead: pass a mapping such as {\"acme\": \"Ana\"}"),
    ("portfolio-csm-name", lambda: portfolio_view([], csm_of={"acme": ""}), *blank("csm_of['acme']", '')),
    ("portfolio-weeks", lambda: PortfolioView([5]),
     InvalidTypeError, "weeks[0]=5: expected CsmWeek, got int; instead: pass a CsmWeek"),
    ("plans-type", lambda: CadencePlans(5),
     InvalidTypeError, "plans=5: expected a mapping, got int; instead: pass a dict (an empty one is fine)"),
    ("plans-segment", lambda: CadencePlans({"giant": segment_plan("SMB")}), *not_a("plans", "giant", Segment)),
    ("plans-plan", lambda: CadencePlans({"SMB": "weekly"}),
     InvalidTypeError,
     "plans[SMB]='weekly': expected CadencePlan, got str; instead: pass a postsale.cadence.CadencePlan "
     "(segment_plan(...) is a default one)"),
    ("plans-for", lambda: DEFAULT_CADENCE_PLANS.plan_for("giant"), *not_a("segment", "giant", Segment)),
    ("structure-time", lambda: from_data(CadencePlan, {"name": "p", "items": [], "local_time": "25:00"}),
     StructureError,
     "could not build CadencePlan from data (1 problem(s)):\n  - invalid value (expected a time of day like "
     "'10:00', got '25:00') @ $.local_time\ninstead: fix the fields listed (paths start at $, the top of the "
     "data)"),
]


@check_refusals(ANALYTICS)
def test_an_analytics_refusal_names_field_value_rule_and_hint(
    call: Callable[[], object], error: type[PostsaleError], text: str
) -> None:
    """Engagement, efficiency, proactive time, the portfolio view and the plan settings refuse bad input with their
    exact words."""
    assert_refused(call, error, text)


def test_quiet_days_given_as_one_string_are_refused_with_a_hint_about_weekdays() -> None:
    """The hint for quiet_days="saturday" should show a list of weekdays, not of channels."""
    with pytest.raises(InvalidValueError) as caught:
        ContactPreferences(quiet_days="saturday")
    assert caught.value.hint == "pass a list, e.g. ['saturday', 'sunday']"


# ---- the analytics' explanations, word for word -------------------------------------------------------------------

DAY = date(2026, 3, 2)


def test_touch_efficiency_explains_the_period_every_segment_and_the_cost_per_channel() -> None:
    """Plural and singular counts, touches outside the period, a segment without a CSM touch, and the cost shared by
    the personal touches' minutes (automated touches take none of it); the portfolio's cost is the segments' sum."""
    sent = [DeliveredTouch("a", "SMB", "email", DAY, automated=True) for _ in range(3)]
    sent += [DeliveredTouch("a", "SMB", "video call", DAY, csm="kim", minutes=60),
             DeliveredTouch("a", "SMB", "phone", DAY, csm="lee", minutes=20, proactive=False),
             DeliveredTouch("b", "ENTERPRISE", "email", DAY, automated=True),
             DeliveredTouch("b", "ENTERPRISE", "email", date(2026, 4, 1), csm="kim")]
    report = touch_efficiency(sent, start=date(2026, 3, 1), end=date(2026, 3, 31),
                              cost_by_segment={"SMB": 1000, "ENTERPRISE": 500})
    assert report.explain() == [
        "Touches delivered 2026-03-01 to 2026-03-31 (1.0 months).",
        "1 touch outside the period left out.",
        "All segments: 6 touches, 1.0 touches per CSM a month (2 CSMs); 67% automated, 83% started by the team.",
        "All segments: $250.00 a touch on average (email $0.00, phone $375.00, video call $1,125.00).",
        "Enterprise: 1 touch, no CSM touch; 100% automated, 100% started by the team.",
        "Enterprise: $500.00 a touch on average (email $0.00).",
        "SMB: 5 touches, 1.0 touches per CSM a month (2 CSMs); 60% automated, 80% started by the team.",
        "SMB: $200.00 a touch on average (email $0.00, phone $250.00, video call $750.00).",
    ]
    assert report.overall.cost == 1500
    untimed = [*sent[:4], DeliveredTouch("a", "SMB", "phone", DAY, csm="lee")]
    shared = touch_efficiency(untimed, start=date(2026, 3, 1), end=date(2026, 3, 31), cost_by_segment={"SMB": 900})
    assert dict(shared.segment("SMB").cost_by_channel) == {Channel.EMAIL: 0, Channel.PHONE: 450,
                                                            Channel.VIDEO_CALL: 450}


def test_months_of_a_period_are_bounded() -> None:
    """A period of more than a million months is refused as too large."""
    with pytest.raises(InvalidValueError) as caught:
        SegmentEfficiency("SMB", 0, 0, 0, 0, 2e6)
    assert (caught.value.field, caught.value.value) == ("months", 2e6)
    assert SegmentEfficiency("SMB", 0, 0, 0, 0, 1e6).months == 1e6


def test_each_engagement_metric_explains_its_rate_against_its_target() -> None:
    """Email open and click, call acceptance, resource download and event attendance: the rate, the counts, and
    whether it meets the target of more than N %."""
    records = [EngagementRecord("a", "SMB", "email", DAY, ["opened"]),
               EngagementRecord("a", "SMB", "email", DAY, ["clicked"]),
               EngagementRecord("a", "SMB", "phone", DAY, ["accepted"]),
               EngagementRecord("a", "SMB", "webinar", DAY, ["attended"], resource_offered=True),
               EngagementRecord("a", "ENTERPRISE", "video call", DAY, [])]
    assert [line for result in evaluate_engagement(records) for line in result.explain()] == [
        "ENTERPRISE video_call call acceptance rate is 0.0% (0/1); it misses the target of more than 75%.",
        "SMB email email open rate is 100.0% (2/2); it meets the target of more than 40%.",
        "SMB email email click rate is 50.0% (1/2); it meets the target of more than 15%.",
        "SMB phone call acceptance rate is 100.0% (1/1); it meets the target of more than 75%.",
        "SMB webinar resource download rate is 0.0% (0/1); it misses the target of more than 25%.",
        "SMB webinar event attendance rate is 100.0% (1/1); it meets the target of more than 20%.",
    ]


def test_over_communication_explains_every_sign_with_its_numbers() -> None:
    """Each sign has its sentence with the numbers behind it, then what to do; no sign says so."""
    every = ["declining_response", "asked_to_reduce", "ignored_important", "spam_complaints"]
    signs = OverCommunication("a", DAY, every, 0.1, 0.5, 2, 3, 1)
    assert signs.explain() == [
        "Response rate fell from 50% to 10% (last 90 days vs the 90 before).",
        "The customer asked 2 time(s) to reduce the frequency.",
        "3 important email(s) were not opened.",
        "1 spam complaint(s) were received.",
        "Lower the cadence of account a: quality over quantity.",
    ]
    quiet = OverCommunication("a", DAY, [], None, None, 0, 0, 0, policy=OverCommunicationPolicy(lookback_days=30))
    assert quiet.explain() == ["No sign of over-communication for account a in the last 30 days."]


def test_the_portfolio_view_names_the_csm_or_unassigned_and_flags_a_week_over_capacity() -> None:
    """One sentence per CSM and week; accounts without a CSM are unassigned; a load above capacity is flagged."""
    acme = AccountSnapshot("acme", "SMB", DAY, contract_start=date(2025, 12, 15), labels={"csm": "Ana"})
    globex = AccountSnapshot("globex", "SMB", DAY, contract_start=date(2025, 12, 15))
    window = Window(DAY, date(2026, 3, 31))
    view = portfolio_view([build_agenda(acme, window), build_agenda(globex, window)], accounts=[acme, globex],
                          capacity=0)
    assert view.explain() == [
        "Ana, week of 2026-03-16: 1 touch(es) needing a CSM (0 from alerts) over 1 account(s), plus 1 automated. "
        "Over capacity (0).",
        "Unassigned accounts, week of 2026-03-16: 1 touch(es) needing a CSM (0 from alerts) over 1 account(s), plus 1 "
        "automated. Over capacity (0).",
    ]


# ---- the default plans, item by item ------------------------------------------------------------------------------


@pytest.fixture
def built_now() -> Iterator[None]:
    """Forget the plans and dates built earlier (they are cached), so the test reads what the builders make now."""
    caches = (_defaults._segment_plan, _defaults._stage_plan, _follow._renewal_items, _plans._occurrences)
    for cached in caches:
        cached.cache_clear()
    yield
    for cached in caches:
        cached.cache_clear()


_PURPOSES = {ValuePurpose.INSIGHT: "I", ValuePurpose.ADVANCE_RELATIONSHIP: "R", ValuePurpose.SPECIFIC_NEED: "N",
             ValuePurpose.REINFORCE_VALUE: "V", ValuePurpose.DIALOGUE: "D"}
_ANCHORS = {"contract_start": "start", "renewal_date": "T", "stage_entry": "entry"}


def row(item: CadenceItem) -> str:
    """An item in one line: key, title, message type, purposes (initials), rhythm, anchor and offsets (months, days,
    last day), fixed channel, rank, flags."""
    every = "once" if item.recurrence is None else item.recurrence.describe()
    purposes = "".join(sorted(_PURPOSES[p] for p in item.purposes))
    until = "" if item.until_days is None else f" until {item.until_days}"
    channel = "-" if item.channel is None else item.channel.value
    flags = (" automated" if item.automated else "") + (" optional" if item.optional else "")
    return (f"{item.key} {item.title!r} {item.message_type.value} {purposes} {every} {_ANCHORS[item.anchor.value]}"
            f"{item.offset_months:+d}m{item.offset_days:+d}d{until} {channel} {item.rank}{flags}")


PLANS: list[tuple[str, Callable[[], CadencePlan], str, list[str]]] = [
    ("onboarding", onboarding_plan, "first 90 days + ongoing", [
        "week_01 'Welcome call + setup guidance' complex_topic NR once start+0m+0d - 2",
        "week_02 'Setup progress check-in + quick tips' quick_update IN once start+0m+7d - 3",
        "week_03 'Feature spotlight email + training resources' product_tip I once start+0m+14d email 3",
        "week_04 '30-day review call + next steps' complex_topic DV once start+0m+21d - 2",
        "week_05 'Usage review + optimisation tips' complex_topic IN once start+0m+28d - 2",
        "week_06 'Best-practice sharing email' quick_update I once start+0m+35d - 3",
        "week_07 'Feature adoption check + education offer' product_tip IN once start+0m+42d - 3",
        "week_08 'Check-in call + Q&A' complex_topic DN once start+0m+49d phone 2",
        "week_09 'Value report + ROI discussion' executive_update DV once start+0m+56d video_call 2",
        "week_10 'Product update email' quick_update I once start+0m+63d - 3",
        "week_11 'Expansion conversation (if relevant)' complex_topic NR once start+0m+70d - 2 optional",
        "week_12 'Quarterly business review' complex_topic RV once start+0m+77d - 2",
        "monthly_value 'Monthly value-add email or call' quick_update IV every month start+3m+0d - 3",
        "business_review 'Quarterly business review' complex_topic RV every 3 months start+6m+0d - 2",
        "executive_review 'Executive business review' executive_update IRV every year start+12m+0d video_call 1",
    ]),
    ("segment-enterprise", lambda: segment_plan("ENTERPRISE"), "enterprise cadence", [
        "async_update 'Weekly async update' quick_update IV every week start+0m+0d - 4",
        "call 'Account call' complex_topic DR every 2 weeks start+0m+2d - 3",
        "qbr 'Quarterly business review' complex_topic RV every 3 months start+3m+0d - 2",
        "executive_review 'Annual executive review' executive_update IRV every year start+12m+0d video_call 1",
    ]),
    ("segment-enterprise-alternative", lambda: segment_plan("ENTERPRISE", alternative=True),
     "enterprise cadence (alternative)", [
        "async_update 'Weekly async update' quick_update IV every week start+0m+0d - 4",
        "call 'Account call' complex_topic DR every month start+0m+2d - 3",
        "qbr 'Quarterly business review' complex_topic RV every 3 months start+3m+0d - 2",
        "executive_review 'Annual executive review' executive_update IRV every year start+12m+0d video_call 1",
    ]),
    ("segment-mid_market", lambda: segment_plan("MID_MARKET"), "mid_market cadence", [
        "async_update 'Biweekly async update' quick_update IV every 2 weeks start+0m+0d - 4",
        "call 'Account call' complex_topic DR every month start+0m+2d - 3",
        "quarterly_check_in 'Quarterly check-in' complex_topic DV every 3 months start+3m+0d - 2",
        "semi_annual_review 'Semi-annual review' complex_topic RV every 6 months start+6m+0d - 1",
    ]),
    ("segment-mid_market-alternative", lambda: segment_plan("MID_MARKET", alternative=True),
     "mid_market cadence (alternative)", [
        "async_update 'Biweekly async update' quick_update IV every 2 weeks start+0m+0d - 4",
        "call 'Account call' complex_topic DR every 2 months start+0m+2d - 3",
        "quarterly_check_in 'Quarterly check-in' complex_topic DV every 3 months start+3m+0d - 2",
        "semi_annual_review 'Semi-annual review' complex_topic RV every 6 months start+6m+0d - 1",
    ]),
    ("segment-smb", lambda: segment_plan("SMB"), "smb cadence", [
        "monthly_email 'Monthly email' quick_update I every month start+1m+0d - 3 automated",
        "quarterly_call 'Quarterly call' complex_topic DV every 3 months start+3m+2d phone 2",
        "annual_review 'Annual review' complex_topic RV every year start+12m+2d - 1",
    ]),
    ("segment-smb-alternative", lambda: segment_plan("SMB", alternative=True), "smb cadence (alternative)", [
        "monthly_email 'Monthly email' quick_update I every month start+1m+0d - 3 automated",
        "quarterly_call 'Quarterly call' complex_topic DV every 3 months start+3m+2d phone 2",
        "annual_review 'Annual review' complex_topic RV every year start+12m+2d - 1",
    ]),
    ("segment-product_led", lambda: segment_plan("PRODUCT_LED"), "product_led cadence", [
        "automated_email 'Automated email' product_tip I every week start+0m+0d email 3 automated",
        "office_hours 'Office hours / group session' community DI every month start+0m+3d webinar 2 automated",
    ]),
    ("segment-product_led-alternative", lambda: segment_plan("PRODUCT_LED", alternative=True),
     "product_led cadence (alternative)", [
        "automated_email 'Automated email' product_tip I every month start+0m+0d email 3 automated",
        "office_hours 'Office hours / group session' community DI every month start+0m+3d webinar 2 automated",
    ]),
    ("stage-onboarding", lambda: stage_plan("ONBOARDING"), "onboarding stage rhythm", [
        "onboarding_session 'Onboarding session' complex_topic DN every week entry+0m+0d - 2",
    ]),
    ("stage-onboarding-automated", lambda: stage_plan("ONBOARDING", automated=True),
     "onboarding stage rhythm (automated)", [
        "onboarding_guidance 'In-app onboarding guidance' product_tip IN every week entry+0m+0d - 2 automated",
    ]),
    ("stage-adoption", lambda: stage_plan("ADOPTION"), "adoption stage rhythm", [
        "adoption_check_in 'Adoption check-in' complex_topic IN every 2 weeks entry+0m+0d - 3",
    ]),
    ("stage-adoption-automated", lambda: stage_plan("ADOPTION", automated=True), "adoption stage rhythm (automated)", [
        "adoption_tips 'In-app adoption tips' product_tip IN every 2 weeks entry+0m+0d - 3 automated",
    ]),
    ("stage-retention", lambda: stage_plan("RETENTION"), "retention stage rhythm", [
        "value_touch 'Monthly value touch' quick_update IV every month entry+0m+0d - 3",
    ]),
    ("stage-retention-automated", lambda: stage_plan("RETENTION", automated=True),
     "retention stage rhythm (automated)", [
        "value_email 'Monthly value email' quick_update IV every month entry+0m+0d - 3 automated",
    ]),
    ("stage-expansion", lambda: stage_plan("EXPANSION"), "expansion stage rhythm", [
    ]),
    ("stage-expansion-automated", lambda: stage_plan("EXPANSION", automated=True),
     "expansion stage rhythm (automated)", [
    ]),
    ("stage-renewal", lambda: stage_plan("RENEWAL"), "renewal stage rhythm", [
        "renewal_ramp 'Renewal conversation' complex_topic DV every 15 days T+0m-60d until -31 - 2",
        "renewal_weekly 'Renewal decision touch' complex_topic NV every week T+0m-30d until 0 - 1",
    ]),
    ("stage-renewal-automated", lambda: stage_plan("RENEWAL", automated=True), "renewal stage rhythm (automated)", [
        "renewal_ramp 'Renewal reminder' quick_update DV every 15 days T+0m-60d until -31 - 2 automated",
        "renewal_weekly 'Renewal decision reminder' quick_update NV every week T+0m-30d until 0 - 1 automated",
    ]),
    ("stage-advocacy", lambda: stage_plan("ADVOCACY"), "advocacy stage rhythm", [
        "advocacy_touch 'Community / advocacy touch' community DR every month entry+0m+0d - 3",
    ]),
    ("stage-advocacy-automated", lambda: stage_plan("ADVOCACY", automated=True), "advocacy stage rhythm (automated)", [
        "community_invitation 'Community invitation' community DR every month entry+0m+0d - 3 automated",
    ]),
    ("ramp-31-30", lambda: CadencePlan("ramp", renewal_ramp_items(31, 30)), "ramp", [
        "renewal_ramp 'Renewal conversation' complex_topic DV every 15 days T+0m-31d until -31 - 2",
        "renewal_weekly 'Renewal decision touch' complex_topic NV every week T+0m-30d until 0 - 1",
    ]),
    ("ramp-30-30-automated", lambda: CadencePlan("ramp", renewal_ramp_items(30, 30, automated=True)), "ramp", [
        "renewal_weekly 'Renewal decision reminder' quick_update NV every week T+0m-30d until 0 - 1 automated",
    ]),
    ("ramp-90-0-automated", lambda: CadencePlan("ramp", renewal_ramp_items(90, 0, automated=True)), "ramp", [
        "renewal_ramp 'Renewal reminder' quick_update DV every 15 days T+0m-90d until -1 - 2 automated",
        "renewal_weekly 'Renewal decision reminder' quick_update NV every week T+0m+0d until 0 - 1 automated",
    ]),
]


@pytest.mark.usefixtures("built_now")
@pytest.mark.parametrize(("build", "name", "rows"), [pytest.param(*plan[1:], id=plan[0]) for plan in PLANS])
def test_each_default_plan_reads_item_by_item(build: Callable[[], CadencePlan], name: str, rows: list[str]) -> None:
    """The onboarding plan, every segment's plan (and its alternative), every stage's rhythm (personal and automated)
    and the renewal ramp: names, titles, message types, purposes, rhythms, offsets, channels, ranks and flags."""
    plan = build()
    assert (plan.name, [row(item) for item in plan.items], plan.local_time) == (name, rows, time(10))
