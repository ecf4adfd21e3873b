"""The cadence context's contract, pinned where mutation testing (scripts/mutation.py cadence) found it unpinned:
the default plans' names and rhythm, and the fields and words of the refusals."""

from __future__ import annotations

from datetime import date

import pytest

from postsale import InvalidValueError, UnknownNameError
from postsale.cadence import (
    Anchors,
    CadenceItem,
    CadencePlan,
    Recurrence,
    Unit,
    Window,
    onboarding_plan,
    renewal_ramp_items,
    segment_plan,
)


def test_the_onboarding_plan_and_its_monthly_touch_read_as_written() -> None:
    plan = onboarding_plan()
    assert plan.name == "first 90 days + ongoing"
    assert [i.title for i in plan.items if i.key == "monthly_value"] == ["Monthly value-add email or call"]


def test_the_renewal_ramp_recurs_every_fifteen_days_then_weekly() -> None:
    early, weekly = renewal_ramp_items(90, 30)
    assert (early.recurrence, early.offset_days, early.until_days) == (Recurrence(Unit.DAY, 15), -90, -31)
    assert (weekly.recurrence, weekly.offset_days, weekly.until_days) == (Recurrence(Unit.WEEK, 1), -30, 0)


def test_a_ramp_and_touchpoints_name_the_argument_they_refuse() -> None:
    with pytest.raises(InvalidValueError) as caught:
        renewal_ramp_items(90, -1)
    assert caught.value.field == "to_days"
    with pytest.raises(UnknownNameError) as caught:
        segment_plan("SMB").touchpoints("a", Window.days(date(2026, 1, 1), 30),
                                        Anchors(contract_start=date(2026, 1, 1)), time_zone="Mars/Olympus")
    assert caught.value.field == "time_zone"


def test_a_one_off_item_with_an_end_is_a_problem_in_words() -> None:
    item = CadenceItem("welcome", "Welcome call", "QUICK_UPDATE", until_days=10)
    with pytest.raises(InvalidValueError) as caught:
        CadencePlan("custom", (item,))
    assert any(p.message == "a one-off item cannot have until_days" for p in caught.value.problems)
