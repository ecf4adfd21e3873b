"""The vendor's holidays and each segment's plan: scheduled touches move off holidays, alerts keep their deadline,
and the plans a review follows are a setting."""

from __future__ import annotations

import pickle
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postsale import AccountSnapshot, InvalidTypeError, UnknownNameError, from_data, to_data
from postsale.cadence import (
    DEFAULT_CADENCE_PLANS,
    AdjustmentCause,
    CadenceItem,
    CadencePlan,
    CadencePlans,
    Recurrence,
    Touch,
    Window,
    build_agenda,
    merge_agenda,
    segment_plan,
)
from postsale.review import ReviewSettings, review_account

# 2026-03-09 is a Monday.
_WINDOW = Window(date(2026, 3, 2), date(2026, 3, 20))


def _call(day: date) -> Touch:
    return Touch("acme", datetime(day.year, day.month, day.day, 10, tzinfo=UTC), "call", "Account call")


def _days(touches: tuple[Touch, ...]) -> list[str]:
    return [t.due_at.date().isoformat() for t in touches]


def test_a_touch_on_a_holiday_moves_to_the_next_allowed_day_and_says_why() -> None:
    agenda = merge_agenda("acme", [_call(date(2026, 3, 10))], _WINDOW, holidays=[date(2026, 3, 10)])
    assert _days(agenda.touches) == ["2026-03-11"]
    (moved,) = agenda.adjustments
    assert moved.cause is AdjustmentCause.HOLIDAY
    assert moved.reason == "'Account call' on 2026-03-10 moved to 2026-03-11: 2026-03-10 is a holiday."
    assert moved.result is not None and moved.result.moved_from == _call(date(2026, 3, 10)).due_at


def test_the_days_beside_a_holiday_keep_their_touches() -> None:
    touches = [_call(date(2026, 3, 9)), _call(date(2026, 3, 11))]
    agenda = merge_agenda("acme", touches, _WINDOW, holidays=[date(2026, 3, 10)])
    assert _days(agenda.touches) == ["2026-03-09", "2026-03-11"]
    assert agenda.adjustments == ()


def test_a_holiday_before_the_weekend_moves_the_touch_past_both() -> None:
    agenda = merge_agenda("acme", [_call(date(2026, 3, 13))], _WINDOW, holidays=[date(2026, 3, 13), date(2026, 3, 16)])
    assert _days(agenda.touches) == ["2026-03-17"]
    assert agenda.adjustments[0].cause is AdjustmentCause.HOLIDAY
    assert agenda.adjustments[0].reason.endswith("to 2026-03-17: 2026-03-13 and 2026-03-16 are holidays.")


def test_a_quiet_day_comes_first_and_the_holidays_skipped_are_named() -> None:
    agenda = merge_agenda("acme", [_call(date(2026, 3, 15))], _WINDOW, holidays=[date(2026, 3, 15), date(2026, 3, 16)])
    assert _days(agenda.touches) == ["2026-03-17"]
    assert agenda.adjustments[0].cause is AdjustmentCause.QUIET_DAY
    assert agenda.adjustments[0].reason.endswith(
        "to 2026-03-17: the customer asked for no touches on Sunday; 2026-03-15 and 2026-03-16 are holidays.")
    agenda = merge_agenda("acme", [_call(date(2026, 3, 14))], _WINDOW, holidays=[date(2026, 3, 20)])
    assert agenda.adjustments[0].reason.endswith("to 2026-03-16: the customer asked for no touches on Saturday.")


def test_a_touch_moved_past_the_window_is_reported_and_left_out() -> None:
    agenda = merge_agenda("acme", [_call(date(2026, 3, 20))], _WINDOW, holidays=[date(2026, 3, 20)])
    assert agenda.touches == ()
    assert agenda.adjustments[0].reason.endswith("moved to 2026-03-23, outside this window: 2026-03-20 is a holiday.")


def test_alerts_keep_their_deadline_on_a_holiday() -> None:
    alert = Touch("acme", datetime(2026, 3, 10, 17, tzinfo=UTC), "H1", "Health dropped", source="alert")
    agenda = merge_agenda("acme", [alert], _WINDOW, holidays=[date(2026, 3, 10)])
    assert _days(agenda.touches) == ["2026-03-10"] and agenda.adjustments == ()


@given(st.sets(st.dates(date(2026, 3, 1), date(2026, 3, 31)), max_size=10))
def test_no_scheduled_touch_is_due_on_a_holiday_and_merging_again_changes_nothing(holidays: set[date]) -> None:
    acme = AccountSnapshot("acme", "ENTERPRISE", date(2026, 3, 1), contract_start=date(2025, 12, 15))
    agenda = build_agenda(acme, Window(date(2026, 3, 1), date(2026, 3, 31)), holidays=holidays)
    assert not {t.due_at.date() for t in agenda.touches} & holidays
    again = merge_agenda("acme", agenda.touches, agenda.window, holidays=holidays, caps=())
    assert again.touches == agenda.touches


def test_holidays_must_be_dates_named_by_position() -> None:
    with pytest.raises(InvalidTypeError) as refused:
        merge_agenda("acme", [], _WINDOW, holidays=[date(2026, 3, 10), "2026-03-11"])  # type: ignore[list-item]
    assert refused.value.field == "holidays[1]"
    with pytest.raises(InvalidTypeError) as refused:
        build_agenda(AccountSnapshot("acme", "SMB", date(2026, 3, 1)), _WINDOW, holidays=date(2026, 3, 10))  # type: ignore[arg-type]
    assert refused.value.field == "holidays"


# ---- each segment's plan, as a setting ---------------------------------------------------------------------------

_WEEKLY = CadencePlan("smb weekly", [CadenceItem("check_in", "Weekly check-in", "quick_update",
                                                  recurrence=Recurrence("week", 1))])


def test_the_default_plans_are_the_field_guides_for_every_segment() -> None:
    assert {s.name: p.name for s, p in DEFAULT_CADENCE_PLANS.plans.items()} == {
        "ENTERPRISE": "enterprise cadence", "MID_MARKET": "mid_market cadence", "SMB": "smb cadence",
        "PRODUCT_LED": "product_led cadence"}
    assert all(DEFAULT_CADENCE_PLANS.plan_for(s) == segment_plan(s) for s in DEFAULT_CADENCE_PLANS.plans)


def test_a_segment_left_out_keeps_its_plan_and_the_value_round_trips() -> None:
    plans = CadencePlans({"smb": _WEEKLY})
    assert plans.plan_for("SMB") is _WEEKLY
    assert plans.plan_for("MID_MARKET") == segment_plan("MID_MARKET")
    assert from_data(CadencePlans, to_data(plans)) == plans
    assert pickle.loads(pickle.dumps(plans)) == plans and hash(plans) == hash(CadencePlans({"SMB": _WEEKLY}))


def test_plans_refuse_what_is_not_a_segment_or_a_plan() -> None:
    with pytest.raises(UnknownNameError):
        CadencePlans({"GIANT": _WEEKLY})
    with pytest.raises(InvalidTypeError) as refused:
        CadencePlans({"SMB": "weekly"})  # type: ignore[dict-item]
    assert refused.value.field == "plans[SMB]"
    with pytest.raises(InvalidTypeError):
        CadencePlans([_WEEKLY])  # type: ignore[arg-type]
    with pytest.raises(UnknownNameError):
        DEFAULT_CADENCE_PLANS.plan_for("GIANT")


def test_a_review_follows_the_settings_plan_and_holidays() -> None:
    snap = AccountSnapshot("acme", "SMB", date(2026, 6, 1), contract_start=date(2025, 6, 2),
                           contract_end=date(2027, 5, 31))
    default = review_account(snap).agenda
    ours = review_account(snap, settings=ReviewSettings(cadence=CadencePlans({"SMB": _WEEKLY}))).agenda
    assert default is not None and ours is not None
    assert {t.key for t in ours.touches if t.plan == "smb weekly"} == {"check_in"}
    assert "smb weekly" not in {t.plan for t in default.touches}
    first = min(t.due_at.date() for t in ours.touches if t.key == "check_in")
    off = review_account(snap, settings=ReviewSettings(cadence=CadencePlans({"SMB": _WEEKLY}), holidays=[first]))
    assert off.agenda is not None
    assert first not in {t.due_at.date() for t in off.agenda.touches if t.key == "check_in"}
    assert any(a.cause is AdjustmentCause.HOLIDAY for a in off.agenda.adjustments)
