"""Every public cadence value round-trips through plain data and JSON; custom plans are plain data."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postsale import StructureError, from_data, from_json, to_data, to_json
from postsale.cadence import (
    Agenda,
    CadencePlan,
    ChannelChoice,
    ContactPreferences,
    EngagementRecord,
    EngagementResult,
    EngagementTargets,
    FrequencyCap,
    OverCommunication,
    OverCommunicationPolicy,
    PortfolioView,
    TimeShare,
    Touch,
    Window,
    assess_over_communication,
    build_agenda,
    choose_channel,
    evaluate_engagement,
    onboarding_plan,
    portfolio_view,
    proactive_share,
    segment_plan,
    stage_plan,
)
from tests.strategies.cadence import (
    accounts,
    caps,
    engagement_records,
    engagement_targets,
    fake_alerts,
    plans,
    policies,
    preferences,
    touches,
    windows,
)


def round_trip(cls: type[Any], value: Any) -> None:
    """to_data -> JSON -> from_data gives the value back."""
    data = json.loads(json.dumps(to_data(value)))
    assert value == from_data(cls, data)
    assert value == from_json(cls, to_json(value))


@given(plans())
def test_plans_round_trip(plan: CadencePlan) -> None:
    """Cadence plans round-trip."""
    round_trip(CadencePlan, plan)


def test_default_plans_round_trip() -> None:
    """The default plans round-trip."""
    for plan in (onboarding_plan(), segment_plan("ENTERPRISE"), stage_plan("RENEWAL")):
        round_trip(CadencePlan, plan)


@given(preferences(), caps, windows(), engagement_targets, policies)
def test_settings_round_trip(
    prefs: ContactPreferences,
    cap: FrequencyCap,
    window: Window,
    targets: EngagementTargets,
    policy: OverCommunicationPolicy,
) -> None:
    """Preferences, caps, windows, targets and policies round-trip."""
    round_trip(ContactPreferences, prefs)
    round_trip(FrequencyCap, cap)
    round_trip(Window, window)
    round_trip(EngagementTargets, targets)
    round_trip(OverCommunicationPolicy, policy)


@given(touches())
def test_touches_round_trip(touch: Touch) -> None:
    """Touches round-trip (due times keep their instant)."""
    round_trip(Touch, touch)


@given(st.data())
def test_agendas_and_portfolio_round_trip(data: st.DataObject) -> None:
    """Agendas (with adjustments) and portfolio views round-trip."""
    window = data.draw(windows(max_days=40))
    acct = data.draw(accounts(window=window))
    alerts = data.draw(st.lists(fake_alerts(acct.account_id, window), max_size=4))
    agenda = build_agenda(acct, window, alerts=alerts, preferences=data.draw(preferences()))
    round_trip(Agenda, agenda)
    round_trip(PortfolioView, portfolio_view([agenda], accounts=[acct], capacity=5))


@given(st.lists(engagement_records, max_size=12))
def test_engagement_values_round_trip(records: list[EngagementRecord]) -> None:
    """Records, results and over-communication assessments round-trip."""
    for record in records:
        round_trip(EngagementRecord, record)
    for result in evaluate_engagement(records):
        round_trip(EngagementResult, result)
    round_trip(OverCommunication, assess_over_communication("a", records, as_of=date(2030, 1, 1)))


def test_small_values_round_trip() -> None:
    """Channel choices and time shares round-trip."""
    round_trip(ChannelChoice, choose_channel("urgent_issue", opted_out=["phone"]))
    round_trip(TimeShare, proactive_share(6, 4))


def test_custom_plan_from_plain_data() -> None:
    """A custom plan is plain data: names for enums, lists for sets, a time of day as text."""
    data = {
        "name": "champion nurture",
        "items": [
            {
                "key": "coffee",
                "title": "Champion coffee chat",
                "message_type": "COMPLEX_TOPIC",
                "purposes": ["ADVANCE_RELATIONSHIP", "DIALOGUE"],
                "recurrence": {"unit": "MONTH", "interval": 2},
            }
        ],
        "local_time": "09:30:00",
    }
    plan = from_data(CadencePlan, data)
    recurrence = plan.items[0].recurrence
    assert recurrence is not None
    assert ("every 2 months", "09:30:00") == (recurrence.describe(), plan.local_time.isoformat())
    assert ["ADVANCE_RELATIONSHIP", "DIALOGUE"] == to_data(plan)["items"][0]["purposes"]


def test_custom_plan_errors_have_paths() -> None:
    """Bad plain data reports every bad field at once, with its path (zero interval, unknown channel, bad time)."""
    data = {
        "name": "bad",
        "items": [
            {"key": "a", "title": "A", "message_type": "QUICK_UPDATE", "recurrence": {"unit": "WEEK", "interval": 0}},
            {"key": "b", "title": "B", "message_type": "QUICK_UPDATE", "channel": "FAX"},
        ],
        "local_time": "late",
    }
    with pytest.raises(StructureError) as info:
        from_data(CadencePlan, data)
    assert ["$.items[0].recurrence", "$.items[1].channel", "$.local_time"] == [p.path for p in info.value.problems]
    assert "interval=0" in str(info.value)


def test_custom_plan_definition_problems_from_data() -> None:
    """A duplicate key in plain data is reported by the plan's own validation."""
    item = {"key": "a", "title": "A", "message_type": "QUICK_UPDATE"}
    with pytest.raises(StructureError) as info:
        from_data(CadencePlan, {"name": "dup", "items": [item, item]})
    assert "duplicate key 'a'" in str(info.value)


def test_plan_built_from_data_with_time_object() -> None:
    """A time-of-day object is accepted as is when structuring."""
    from datetime import time

    plan = from_data(CadencePlan, {"name": "p", "items": [], "local_time": time(8, 0)})
    assert time(8, 0) == plan.local_time


def test_anchors_round_trip() -> None:
    """Anchor dates round-trip."""
    from postsale.cadence import Anchors

    round_trip(Anchors, Anchors(date(2024, 2, 29), date(2027, 2, 28), None))


def test_a_cadence_plan_carries_its_schema_version() -> None:
    """A cadence plan is a configuration: written with schema_version, read without one, refused when newer."""
    from postsale.cadence import CadencePlan

    plan = from_data(CadencePlan, {"name": "lean", "items": []})
    data = to_data(plan)
    assert data["schema_version"] == 1
    assert from_data(CadencePlan, {k: v for k, v in data.items() if k != "schema_version"}) == plan
    with pytest.raises(StructureError, match=r"schema_version 2 is newer .* @ \$\.schema_version"):
        from_data(CadencePlan, {**data, "schema_version": 2})
