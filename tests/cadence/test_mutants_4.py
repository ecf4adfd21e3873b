"""The cadence context's behaviour, pinned where mutation testing (scripts/mutation.py cadence, seeds 31, 33 and 35)
found it unpinned: the reasons an agenda gives for its plans and its adjustments, the ends of windows and periods,
and the serialization hooks. The refusals are in ``test_mutants_2.py`` and ``test_mutants_3.py``, the default plans
item by item in ``test_mutants_3.py``."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import attrs
import cattrs
import pytest

from postsale import AccountSnapshot, HealthBand, Stage, from_data, to_data
from postsale.cadence import (
    CadenceItem,
    CadencePlan,
    Channel,
    ContactPreferences,
    FrequencyCap,
    OverCommunication,
    OverCommunicationPolicy,
    Period,
    Touch,
    ValuePurpose,
    Weekday,
    Window,
    _serialization,
    build_agenda,
    choose_channel,
    merge_agenda,
    proactive_share,
    segment_plan,
    stage_plan,
)
from postsale.journey import Journey
from postsale.renewal import Contract, Playbook, renewal_timeline
from tests.cadence.test_follow import DONE
from tests.cadence.test_mutants_2 import EVERY_DAY, MONDAY, VETERAN, WEEK
from tests.cadence.test_mutants_3 import built_now  # noqa: F401 - the fixture, used by name

# ---- following the journey: which plan applies when, and why ---------------------------------------------------

NO_START = AccountSnapshot("acme", "SMB", MONDAY, contract_end=date(2027, 3, 1))
"""An account whose contract start is unknown: it has no first 90 days."""
NOTE = CadencePlan("renewal notes", [CadenceItem("note", "Renewal note", "quick_update", anchor="renewal_date",
                                                 offset_days=-362)])
TOKYO = AccountSnapshot("acme", "SMB", MONDAY, contract_start=date(2025, 6, 2), contract_end=date(2027, 6, 1),
                        time_zone="Asia/Tokyo")
BIG = AccountSnapshot("acme", "ENTERPRISE", MONDAY, contract_start=date(2025, 6, 2), contract_end=date(2027, 6, 1))
ADOPTION_IN_RUNWAY = Journey.start("acme", "SMB", on=date(2025, 6, 2)).move(
    "core", Stage.ADOPTION, on=date(2027, 4, 20), evidence=DONE)
"""The core track reaches Adoption inside the SMB renewal runway (T-60 = 2027-04-02 for a renewal on 2027-06-01)."""
FLAT = Playbook.define("flat", runway_days=45, latest_start_days=30, milestones=[(45, "kickoff"), (30, "offer"),
                                                                                (0, "renewal")],
                       conversation="offer", confirmation="renewal", confirm_days_before=0, touch_ramp=(30, 30))
"""A playbook whose touch ramp is weekly from its first day (T-30 to T-30)."""
RED_NOTICE = renewal_timeline(Contract.from_term("acme", "SMB", date(2025, 6, 2), term_months=24, acv=9000,
                                                 auto_renew=True, notice_days=30), health=HealthBand.RED)
"""A runway widened for a red account, then moved back by the notice period: two reasons, and an early start."""
TWO_TRACKS = Journey.start("acme", "SMB", on=date(2025, 6, 2), track="beta").open_track(
    "alpha", on=date(2025, 7, 1), stage=Stage.ADOPTION)
"""Two tracks and no core one: the furthest stage leads (alpha, though beta sorts after it)."""

JOURNEYS: list[tuple[str, AccountSnapshot, Window, dict[str, Any], list[str], list[str]]] = [
    ("contract-start-unknown", NO_START, WEEK, {"plan": NOTE, "follow_journey": True},
     [
         "Account acme has 1 touch(es) from 2026-03-02 to 2026-03-08: 1 scheduled, 0 from alerts.",
         "From 2026-03-02 to 2026-03-08, plan 'renewal notes': the plan given (the contract start is unknown); no "
         "journey stage is known.",
         "'Renewal note' (email) on 2026-03-04 declares no value purpose: just checking in is not enough.",
     ],
     [
         "note 2026-03-04T10:00:00+00:00 renewal notes",
     ]),
    ("day-0-from-onboarding-entry", AccountSnapshot("acme", "SMB", MONDAY), WEEK,
     {"plan": CadencePlan("none", []), "stage": "onboarding", "stage_entered": date(2026, 2, 27)},
     [
         "Account acme has 2 touch(es) from 2026-03-02 to 2026-03-08: 2 scheduled, 0 from alerts.",
         "From 2026-03-02 to 2026-03-08, plan 'first 90 days': the account is in its first 90 days (day 0 is "
         "2026-02-27, the day it entered Onboarding; day 89 is 2026-05-27).",
         "'Welcome call + setup guidance' (video call) on 2026-02-27 is still due on 2026-03-02: its week of the "
         "first 90 days runs until 2026-03-05.",
     ],
     [
         "week_01 2026-03-02T10:00:00+00:00 first 90 days",
         "week_02 2026-03-06T10:00:00+00:00 first 90 days",
     ]),
    ("no-core-track-tokyo", TOKYO, WEEK, {"journey": Journey.start("acme", "SMB", on=date(2025, 6, 2), track="pilot")},
     [
         "Account acme has 3 touch(es) from 2026-03-02 to 2026-03-08: 3 scheduled, 0 from alerts.",
         "From 2026-03-02 to 2026-03-08, plan 'smb cadence': the segment's plan, after the first 90 days (day 0 was "
         "2025-06-02); the pilot track is in Onboarding since 2025-06-02 (no core track is open).",
         "From 2026-03-02 to 2026-03-08, plan 'onboarding stage rhythm (automated)': Onboarding asks for a touch "
         "every week counted from 2025-06-02, more often than the smb cadence gives, sent automated: the smb cadence "
         "has no personal touch more often than every 90 days.",
     ],
     [
         "onboarding_guidance 2026-03-02T10:00:00+09:00 onboarding stage rhythm (automated)",
         "monthly_email 2026-03-02T10:00:00+09:00 smb cadence",
         "quarterly_call 2026-03-04T10:00:00+09:00 smb cadence",
     ]),
    ("no-stage-known", VETERAN, WEEK, {"follow_journey": True},
     [
         "Account acme has 2 touch(es) from 2026-03-02 to 2026-03-08: 2 scheduled, 0 from alerts.",
         "From 2026-03-02 to 2026-03-08, plan 'smb cadence': the segment's plan, after the first 90 days (day 0 was "
         "2025-06-02); no journey stage is known.",
     ],
     [
         "monthly_email 2026-03-02T10:00:00+00:00 smb cadence",
         "quarterly_call 2026-03-04T10:00:00+00:00 smb cadence",
     ]),
    ("stage-rhythm-covered", BIG, WEEK, {"stage": "retention", "stage_entered": date(2025, 9, 1)},
     [
         "Account acme has 1 touch(es) from 2026-03-02 to 2026-03-08: 1 scheduled, 0 from alerts.",
         "From 2026-03-02 to 2026-03-08, plan 'enterprise cadence': the segment's plan, after the first 90 days (day "
         "0 was 2025-06-02); the stage given is Retention (entered 2025-09-01); its touches already come at least as "
         "often as Retention asks (every month).",
         "'Weekly async update' (email) on 2026-03-02 folded into 'Quarterly business review' on the same day.",
     ],
     [
         "qbr 2026-03-02T10:00:00+00:00 enterprise cadence",
     ]),
    ("runway-starts-inside", VETERAN, Window(date(2027, 3, 30), date(2027, 4, 5)), {"follow_journey": True},
     [
         "Account acme has 2 touch(es) from 2027-03-30 to 2027-04-05: 2 scheduled, 0 from alerts.",
         "From 2027-03-30 to 2027-04-05, plan 'smb cadence': the segment's plan, after the first 90 days (day 0 was "
         "2025-06-02); no journey stage is known.",
         "From 2027-04-02 to 2027-04-05, plan 'smb renewal playbook': inside the renewal runway of the smb playbook, "
         "from T-60 (2027-04-02) to the renewal on 2027-06-01: one touch per milestone with the customer, and "
         "touches that increase from T-60 (weekly from T-30), sent automated (low- or tech-touch).",
     ],
     [
         "renewal_offer 2027-04-02T10:00:00+00:00 smb renewal playbook",
         "monthly_email 2027-04-02T10:00:00+00:00 smb cadence",
     ]),
    ("stage-changes-inside-runway", VETERAN, Window(date(2027, 4, 15), date(2027, 4, 25)),
     {"journey": ADOPTION_IN_RUNWAY},
     [
         "Account acme has 3 touch(es) from 2027-04-15 to 2027-04-25: 3 scheduled, 0 from alerts.",
         "From 2027-04-15 to 2027-04-19, plan 'smb cadence': the segment's plan, after the first 90 days (day 0 was "
         "2025-06-02); the core track is in Onboarding since 2025-06-02.",
         "From 2027-04-15 to 2027-04-19, plan 'onboarding stage rhythm (automated)': Onboarding asks for a touch "
         "every week counted from 2025-06-02, more often than the smb cadence gives, sent automated: the smb cadence "
         "has no personal touch more often than every 90 days.",
         "From 2027-04-15 to 2027-04-25, plan 'smb renewal playbook': inside the renewal runway of the smb playbook, "
         "from T-60 (2027-04-02) to the renewal on 2027-06-01: one touch per milestone with the customer, and "
         "touches that increase from T-60 (weekly from T-30), sent automated (low- or tech-touch).",
         "From 2027-04-20 to 2027-04-25, plan 'smb cadence': the segment's plan, after the first 90 days (day 0 was "
         "2025-06-02); the core track is in Adoption since 2027-04-20.",
         "From 2027-04-20 to 2027-04-25, plan 'adoption stage rhythm (automated)': Adoption asks for a touch every 2 "
         "weeks counted from 2027-04-20, more often than the smb cadence gives, sent automated: the smb cadence has "
         "no personal touch more often than every 90 days.",
     ],
     [
         "renewal_ramp 2027-04-17T10:00:00+00:00 smb renewal playbook",
         "onboarding_guidance 2027-04-19T10:00:00+00:00 onboarding stage rhythm (automated)",
         "adoption_tips 2027-04-20T10:00:00+00:00 adoption stage rhythm (automated)",
     ]),
    ("flat-ramp", VETERAN, Window(date(2027, 5, 1), date(2027, 5, 7)), {"playbook": FLAT},
     [
         "Account acme has 2 touch(es) from 2027-05-01 to 2027-05-07: 2 scheduled, 0 from alerts.",
         "From 2027-05-01 to 2027-05-07, plan 'smb cadence': the segment's plan, after the first 90 days (day 0 was "
         "2025-06-02); no journey stage is known.",
         "From 2027-05-01 to 2027-05-07, plan 'flat renewal playbook': inside the renewal runway of the flat "
         "playbook, from T-45 (2027-04-17) to the renewal on 2027-06-01: one touch per milestone with the customer, "
         "and weekly touches from T-30, sent automated (low- or tech-touch).",
     ],
     [
         "renewal_offer 2027-05-02T10:00:00+00:00 flat renewal playbook",
         "monthly_email 2027-05-02T10:00:00+00:00 smb cadence",
     ]),
    ("runway-reasons-low-touch", VETERAN, Window.days(date(2026, 11, 2), 7), {"renewal": RED_NOTICE},
     [
         "Account acme has 2 touch(es) from 2026-11-02 to 2026-11-08: 2 scheduled, 0 from alerts.",
         "From 2026-11-02 to 2026-11-08, plan 'smb cadence': the segment's plan, after the first 90 days (day 0 was "
         "2025-06-02); no journey stage is known.",
         "From 2026-11-03 to 2026-11-08, plan 'smb renewal playbook': inside the renewal runway of the smb playbook, "
         "from T-210 (2026-11-03) to the renewal on 2027-06-01: one touch per milestone with the customer, and "
         "touches that increase from T-60 (weekly from T-30), sent automated (low- or tech-touch) except the early "
         "start, which needs a person; runway widened to T-180 because health is RED; runway moved back 30 days to "
         "T-210: the contract renews by itself unless notice is given by 2027-05-02.",
     ],
     [
         "monthly_email 2026-11-02T10:00:00+00:00 smb cadence",
         "renewal_early_start 2026-11-03T10:00:00+00:00 smb renewal playbook",
     ]),
    ("runway-reasons-personal", VETERAN, Window.days(date(2026, 11, 2), 7),
     {"renewal": RED_NOTICE, "plan": segment_plan("ENTERPRISE")},
     [
         "Account acme has 3 touch(es) from 2026-11-02 to 2026-11-08: 3 scheduled, 0 from alerts.",
         "From 2026-11-02 to 2026-11-08, plan 'enterprise cadence': the plan given, after the first 90 days (day 0 "
         "was 2025-06-02); no journey stage is known.",
         "From 2026-11-03 to 2026-11-08, plan 'smb renewal playbook': inside the renewal runway of the smb playbook, "
         "from T-210 (2026-11-03) to the renewal on 2027-06-01: one touch per milestone with the customer, and "
         "touches that increase from T-60 (weekly from T-30); runway widened to T-180 because health is RED; runway "
         "moved back 30 days to T-210: the contract renews by itself unless notice is given by 2027-05-02.",
     ],
     [
         "async_update 2026-11-02T10:00:00+00:00 enterprise cadence",
         "renewal_early_start 2026-11-03T10:00:00+00:00 smb renewal playbook",
         "call 2026-11-04T10:00:00+00:00 enterprise cadence",
     ]),
    ("lead-of-two-tracks", VETERAN, WEEK, {"journey": TWO_TRACKS},
     [
         "Account acme has 2 touch(es) from 2026-03-02 to 2026-03-08: 2 scheduled, 0 from alerts.",
         "From 2026-03-02 to 2026-03-08, plan 'smb cadence': the segment's plan, after the first 90 days (day 0 was "
         "2025-06-02); the alpha track is in Adoption since 2025-07-01 (no core track is open).",
         "From 2026-03-02 to 2026-03-08, plan 'adoption stage rhythm (automated)': Adoption asks for a touch every 2 "
         "weeks counted from 2025-07-01, more often than the smb cadence gives, sent automated: the smb cadence has "
         "no personal touch more often than every 90 days.",
     ],
     [
         "monthly_email 2026-03-02T10:00:00+00:00 smb cadence",
         "quarterly_call 2026-03-04T10:00:00+00:00 smb cadence",
     ]),
    ("journey-start-for-contract-start", NO_START, WEEK,
     {"journey": Journey.start("acme", "SMB", on=date(2025, 6, 3))},
     [
         "Account acme has 3 touch(es) from 2026-03-02 to 2026-03-08: 3 scheduled, 0 from alerts.",
         "From 2026-03-02 to 2026-03-08, plan 'smb cadence': the segment's plan, after the first 90 days (day 0 was "
         "2025-06-03); the core track is in Onboarding since 2025-06-03.",
         "From 2026-03-02 to 2026-03-08, plan 'onboarding stage rhythm (automated)': Onboarding asks for a touch "
         "every week counted from 2025-06-03, more often than the smb cadence gives, sent automated: the smb cadence "
         "has no personal touch more often than every 90 days.",
     ],
     [
         "onboarding_guidance 2026-03-03T10:00:00+00:00 onboarding stage rhythm (automated)",
         "monthly_email 2026-03-03T10:00:00+00:00 smb cadence",
         "quarterly_call 2026-03-05T10:00:00+00:00 smb cadence",
     ]),
    ("not-following-renewal-plan", VETERAN, Window(date(2027, 4, 1), date(2027, 4, 30)),
     {"plan": stage_plan("renewal")},
     [
         "Account acme has 2 touch(es) from 2027-04-01 to 2027-04-30: 2 scheduled, 0 from alerts.",
         "From 2027-04-01 to 2027-04-30, plan 'renewal stage rhythm': the plan given.",
     ],
     [
         "renewal_ramp 2027-04-02T10:00:00+00:00 renewal stage rhythm",
         "renewal_ramp 2027-04-17T10:00:00+00:00 renewal stage rhythm",
     ]),
]


@pytest.mark.usefixtures("built_now")
@pytest.mark.parametrize(("account", "window", "given", "lines", "touches"),
                         [pytest.param(*case[1:], id=case[0]) for case in JOURNEYS])
def test_an_agenda_following_the_journey_says_which_plan_applies_when_and_why(
    account: AccountSnapshot, window: Window, given: dict[str, Any], lines: list[str], touches: list[str]
) -> None:
    """Day 0 from the entry into Onboarding, no first 90 days without a contract start, a track other than core, a
    stage rhythm the plan already covers, the runway starting or the stage changing inside the window (one span
    each, not cut at every change), a ramp weekly from its start, and stage touches in the account's time zone."""
    agenda = build_agenda(account, window, preferences=EVERY_DAY, **given)
    assert agenda.explain() == lines
    assert [f"{t.key} {t.due_at.isoformat()} {t.plan}" for t in agenda.touches] == touches


# ---- the agenda's adjustments, each with its reason -------------------------------------------------------------


def touch(key: str, day: int, hour: int = 10, **fields: Any) -> Touch:
    """A touch of account "a" on ``day`` March 2026 (the 2nd is a Monday), titled after its key."""
    return Touch("a", datetime(2026, 3, day, hour, tzinfo=UTC), key, key.title(), **fields)


def test_merging_moves_rechannels_folds_and_caps_touches_and_says_why_each_time() -> None:
    """A holiday and a quiet Saturday move their touches to the next allowed day; an opted-out SMS goes by the
    preferred phone; a second touch with the same key that day is dropped, a less important one folded, an automated
    one folded into its plan's touch of the same channel; the weekly cap of personal touches keeps the alert and the
    most important touch. Merging the result again changes nothing."""
    touches = [
        touch("sat", 7, channel="video_call", message_type="complex_topic", purposes=["dialogue"]),
        touch("hol", 3, channel="email", message_type="quick_update", purposes=["insight"]),
        touch("sms", 5, channel="sms", purposes=["insight"]),
        touch("mail", 5, 11, channel="email", message_type="quick_update", purposes=["insight"], rank=1),
        touch("dup", 6, channel="phone", purposes=["insight"], rank=3),
        touch("dup", 6, 12, channel="phone", purposes=["insight"], rank=3),
        touch("fold", 6, 15, channel="phone", purposes=["insight"], rank=4),
        touch("auto1", 10, channel="in_app", automated=True, plan="p"),
        touch("auto2", 10, 11, channel="in_app", automated=True, plan="p"),
        touch("H1", 8, 9, source="alert", purposes=["specific_need"], rank=0),
    ]
    options: dict[str, Any] = {
        "preferences": ContactPreferences(opted_out=["sms"], preferred_channels=["phone"]),
        "holidays": [date(2026, 3, 3)],
        "caps": [FrequencyCap(2, count_automated=False)],
    }
    agenda = merge_agenda("a", touches, Window(MONDAY, date(2026, 3, 13)), **options)
    assert agenda.explain() == [
        "Account a has 4 touch(es) from 2026-03-02 to 2026-03-13: 3 scheduled, 1 from alerts.",
        "'Auto1' (in app) on 2026-03-10 declares no value purpose: just checking in is not enough.",
        "'Hol' (email) on 2026-03-03 moved to 2026-03-04: 2026-03-03 is a holiday.",
        "'Sat' (video call) on 2026-03-07 moved to 2026-03-09: the customer asked for no touches on Saturday.",
        "'Sms' (sms) on 2026-03-05 goes by phone: the customer opted out of sms.",
        "'Dup' (phone) on 2026-03-06 dropped: it is already on the agenda that day.",
        "'Fold' (phone) on 2026-03-06 folded into 'Dup' on the same day.",
        "'Sms' (phone) on 2026-03-05 folded into 'Mail' on the same day.",
        "'Auto2' (in app) on 2026-03-10 folded into 'Auto1' on the same day.",
        "'Dup' (phone) on 2026-03-06 suppressed: the cap allows at most 2 personal touches per week and that week is "
        "full.",
        "'Hol' (email) on 2026-03-04 suppressed: the cap allows at most 2 personal touches per week and that week is "
        "full.",
    ]
    assert [(a.action.name, a.cause.name, a.touch.key, a.result and (a.result.due_at, a.result.channel))
            for a in agenda.adjustments] == [
        ("MOVED", "HOLIDAY", "hol", (datetime(2026, 3, 4, 10, tzinfo=UTC), Channel.EMAIL)),
        ("MOVED", "QUIET_DAY", "sat", (datetime(2026, 3, 9, 10, tzinfo=UTC), Channel.VIDEO_CALL)),
        ("RECHANNELLED", "OPT_OUT", "sms", (datetime(2026, 3, 5, 10, tzinfo=UTC), Channel.PHONE)),
        ("SUPPRESSED", "SAME_DAY", "dup", None),
        ("SUPPRESSED", "SAME_DAY", "fold", None),
        ("SUPPRESSED", "SAME_DAY", "sms", None),
        ("SUPPRESSED", "SAME_DAY", "auto2", None),
        ("SUPPRESSED", "FREQUENCY_CAP", "dup", None),
        ("SUPPRESSED", "FREQUENCY_CAP", "hol", None),
    ]
    assert [(t.key, t.due_at.day, t.moved_from) for t in agenda.touches] == [
        ("mail", 5, None), ("H1", 8, None), ("sat", 9, datetime(2026, 3, 7, 10, tzinfo=UTC)), ("auto1", 10, None),
    ]
    again = merge_agenda("a", agenda.touches, agenda.window, **options)
    assert (again.touches, again.adjustments) == (agenda.touches, ())


def test_a_holiday_on_a_quiet_day_is_the_customers_wish_and_a_move_out_of_the_window_drops_the_touch() -> None:
    """A Saturday that is also a holiday moves its touch for the quiet day (the holiday said too); a Friday holiday
    moves its touch past the weekend, out of the window, naming every holiday it skipped."""
    agenda = merge_agenda("a", [touch("sat", 7), touch("fri", 6)], Window(MONDAY, date(2026, 3, 7)),
                          holidays=[date(2026, 3, 6), date(2026, 3, 7)])
    assert agenda.touches == ()
    assert [(a.cause.name, a.reason, a.result and a.result.due_at.day) for a in agenda.adjustments] == [
        ("HOLIDAY", "'Fri' on 2026-03-06 moved to 2026-03-09, outside this window: 2026-03-06 and 2026-03-07 are "
                    "holidays.", 9),
        ("QUIET_DAY", "'Sat' on 2026-03-07 moved to 2026-03-09, outside this window: the customer asked for no "
                      "touches on Saturday; 2026-03-07 is a holiday.", 9),
    ]
    assert EVERY_DAY.next_allowed(date(2026, 3, 6), holidays={date(2026, 3, 6), date(2026, 3, 7)}) == date(2026, 3, 8)


def test_a_preferred_frequency_keeps_the_most_important_touch_and_an_opt_out_with_no_way_left_suppresses() -> None:
    """Monthly contact keeps one scheduled touch a month (the earlier at the same rank); a touch whose channel is
    opted out, with no other channel for its message, is suppressed."""
    monthly = merge_agenda("a", [touch("later", 9), touch("first", 3)], Window(MONDAY, date(2026, 3, 13)),
                           preferences=ContactPreferences(frequency="month"))
    assert [t.key for t in monthly.touches] == ["first"]
    assert [a.reason for a in monthly.adjustments] == [
        "'Later' on 2026-03-09 suppressed: the customer prefers monthly contact and 'First' on 2026-03-03 is more "
        "important."
    ]
    mail = touch("mail", 3, channel="email", message_type="quick_update")
    blocked = merge_agenda("a", [mail], WEEK, preferences=ContactPreferences(opted_out=["email"]))
    assert (blocked.touches, [a.reason for a in blocked.adjustments]) == ((), [
        "'Mail' (email) on 2026-03-03 suppressed: the customer opted out of email and no other suitable channel is "
        "allowed."
    ])


# ---- ends of windows and periods ---------------------------------------------------------------------------------


def test_a_window_may_end_on_the_last_day_of_the_calendar() -> None:
    """Window.days reaches 9999-12-31 exactly; one more day is refused (test_mutants_2)."""
    assert Window.days(date(9999, 12, 30), 2) == Window(date(9999, 12, 30), date.max)
    assert Window.days(date.max, 1) == Window(date.max, date.max)


@pytest.mark.parametrize("month", range(1, 13))
def test_each_period_starts_on_its_first_day(month: int) -> None:
    """The 17th of every month: its ISO week's Monday, its month's first day, its quarter's first day."""
    day = date(2026, month, 17)
    assert Period.WEEK.start_of(day) == date.fromordinal(day.toordinal() - day.weekday())
    assert Period.MONTH.start_of(day) == date(2026, month, 1)
    assert Period.QUARTER.start_of(day) == date(2026, (month - 1) // 3 * 3 + 1, 1)


def test_is_quiet_reads_the_weekday_of_a_date() -> None:
    """Weekends are quiet by default; a custom set of quiet days replaces them."""
    assert [ContactPreferences().is_quiet(date(2026, 3, d)) for d in range(2, 9)] == [False] * 5 + [True] * 2
    assert ContactPreferences(quiet_days=["wed"]).is_quiet(date(2026, 3, 4))
    assert not ContactPreferences(quiet_days=[Weekday.WEDNESDAY]).is_quiet(date(2026, 3, 7))


def test_a_table_without_the_message_type_falls_back_on_the_preferred_channels() -> None:
    """A channel table that does not list the message type leaves only the customer's preferred channels."""
    choice = choose_channel("urgent issue", table={}, preferred=["email", "phone"], opted_out=["email"])
    assert (choice.channel, choice.considered, choice.refused) == (Channel.PHONE, (Channel.EMAIL, Channel.PHONE),
                                                                   (Channel.EMAIL,))
    assert choice.explain() == ["The customer opted out of email.", "An urgent issue goes by phone."]
    assert choose_channel("quick update", table={}).explain() == [
        "No channel is left for a quick update: the touch cannot be sent."
    ]


# ---- words of the explanations ------------------------------------------------------------------------------------


def test_a_touch_explains_its_origin_its_purpose_its_move_and_whether_it_is_optional() -> None:
    """Every sentence of Touch.explain, for a moved optional touch without purpose and for an alert."""
    moved = Touch("a", datetime(2026, 3, 9, 10, tzinfo=UTC), "week_11", "Expansion conversation", optional=True,
                  moved_from=datetime(2026, 3, 7, 10, tzinfo=UTC), plan="first 90 days")
    assert moved.explain() == [
        "'Expansion conversation' on 2026-03-09, scheduled by plan 'first 90 days', due 2026-03-09T10:00:00+00:00.",
        "It declares no value purpose: just checking in is not enough.",
        "It was moved from 2026-03-07T10:00:00+00:00 (the agenda's adjustments say why).",
        "It is optional: hold it only if relevant.",
    ]
    alert = Touch("a", datetime(2026, 3, 9, 10, tzinfo=UTC), "H1", "churn risk", source="alert", channel="phone",
                  purposes=["specific_need", "dialogue"])
    assert alert.explain() == [
        "'churn risk' (phone) on 2026-03-09, demanded by alert H1, due 2026-03-09T10:00:00+00:00.",
        "It is worth the customer's time because it serves: dialogue, specific need.",
    ]


@pytest.mark.parametrize(("hours", "line"), [
    ((5, 5), "50% of CS time is proactive (target 60%-70%): too much firefighting: move time to scheduled and "
             "triggered outreach."),
    ((6, 4), "60% of CS time is proactive (target 60%-70%): on target."),
    ((7, 3), "70% of CS time is proactive (target 60%-70%): on target."),
    ((8, 2), "80% of CS time is proactive (target 60%-70%): more proactive than the band: check that reactive "
             "support is not starved."),
])
def test_the_proactive_share_says_what_to_do_on_each_side_of_the_band(hours: tuple[int, int], line: str) -> None:
    """Both ends of the 60-70 % band are on target; below and above each have their advice."""
    assert proactive_share(*hours).explain() == [line]


def test_over_communication_lowers_the_plan_by_the_policys_slowdown() -> None:
    """A sign found lowers the plan by the policy's factor (3 here, not the default 2); no sign keeps the plan."""
    policy = OverCommunicationPolicy(slowdown=3)
    plan = segment_plan("SMB")
    signs = OverCommunication("a", MONDAY, ["spam_complaints"], None, None, 0, 0, 1, policy=policy)
    lowered = signs.adjust(plan)
    assert (lowered.name, [i.recurrence.describe() for i in lowered.items if i.recurrence]) == (
        "smb cadence (lowered x3)", ["every 3 months", "every 3 months", "every year"])
    assert OverCommunication("a", MONDAY, [], None, None, 0, 0, 0, policy=policy).adjust(plan) is plan


# ---- serialization hooks --------------------------------------------------------------------------------------------


def test_the_hooks_give_a_converter_times_of_day_and_sets_of_cadence_enums() -> None:
    """On a fresh converter: a time of day is written and read as ISO text; a set of cadence enum members is written
    as their names in declaration order; a set of other values keeps cattrs' own handling."""
    converter = cattrs.Converter()
    _serialization._hooks(converter)
    assert converter.unstructure(time(9, 30), time) == "09:30:00"
    assert converter.structure("09:30", time) == time(9, 30)
    assert converter.structure(time(8), time) == time(8)
    with pytest.raises(ValueError, match=r"^expected a time of day like '10:00', got 930$"):
        converter.structure(930, time)
    purposes = frozenset({ValuePurpose.DIALOGUE, ValuePurpose.INSIGHT})
    assert converter.unstructure(purposes, frozenset[ValuePurpose]) == ["INSIGHT", "DIALOGUE"]
    assert sorted(converter.unstructure(frozenset({2, 1}), frozenset[int])) == [1, 2]


def test_a_plan_with_its_local_time_goes_to_data_and_back() -> None:
    """A plan's local time is written as ISO text and read back; purposes as names."""
    plan = CadencePlan("p", [CadenceItem("k", "T", "quick_update", ["dialogue", "insight"])], time(9, 30))
    data = to_data(plan)
    assert (data["local_time"], data["items"][0]["purposes"]) == ("09:30:00", ["INSIGHT", "DIALOGUE"])
    assert from_data(CadencePlan, data) == plan


def test_a_touch_on_the_first_day_of_the_calendar_can_still_move_into_a_window() -> None:
    """The look-back of 6 days before a window stops at 0001-01-01 without losing that day: a touch on Monday
    0001-01-01, with Mondays and Tuesdays quiet, moves into a window starting on Wednesday the 3rd."""
    first = Touch("a", datetime(1, 1, 1, 10, tzinfo=UTC), "k", "K")
    agenda = merge_agenda("a", [first], Window(date(1, 1, 3), date(1, 1, 9)),
                          preferences=ContactPreferences(quiet_days=["mon", "tue"]))
    assert [t.due_at for t in agenda.touches] == [datetime(1, 1, 3, 10, tzinfo=UTC)]
    assert [a.reason for a in agenda.adjustments] == [
        "'K' on 0001-01-01 moved to 0001-01-03: the customer asked for no touches on Monday."]


@pytest.mark.parametrize(("ramp", "words", "keys"), [
    ((None, None), "touches that increase from T-60 (weekly from T-30)",
     ["renewal_follow_up", "monthly_email", "renewal_weekly"]),
    ((date(2027, 5, 2), date(2027, 5, 16)), "touches that increase from T-30 (weekly from T-16)",
     ["renewal_follow_up", "monthly_email"]),
], ids=["timeline-without-ramp-dates", "timeline-with-its-own-ramp"])
def test_the_renewal_ramp_comes_from_the_timeline_else_from_the_default(
    ramp: tuple[date | None, date | None], words: str, keys: list[str]
) -> None:
    """A timeline without touch-ramp dates ramps from T-60, weekly from T-30; one with its own dates uses them."""
    timeline = attrs.evolve(RED_NOTICE, touch_ramp_start=ramp[0], touch_ramp_end=ramp[1])
    agenda = build_agenda(VETERAN, Window.days(date(2027, 4, 28), 14), renewal=timeline, preferences=EVERY_DAY)
    assert words in agenda.plans[1].reason
    assert [t.key for t in agenda.touches] == keys
