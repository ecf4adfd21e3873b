"""Garbage at the renewal entry points gives a documented PostsaleError naming the field (tests/test_embedding.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import attrs
import pytest

from postsale import DefinitionError, InvalidTypeError
from postsale.renewal import (
    DEFAULT_FORECAST_RULES,
    ENTERPRISE_PLAYBOOK,
    Contract,
    ForecastRules,
    Playbook,
    RenewalLine,
    add_months,
    month_offset,
    renewal_timeline,
    roll_up,
)

CONTRACT = Contract.from_term("acme", "ENTERPRISE", date(2026, 7, 1), term_months=12, acv=120000)


@pytest.mark.parametrize("anchor", [None, "2024-01-31", datetime(2024, 1, 31)])
def test_add_months_refuses_an_anchor_that_is_not_a_date(anchor: Any) -> None:
    """add_months names the anchor and asks for a date."""
    with pytest.raises(InvalidTypeError) as info:
        add_months(anchor, 1)
    assert ("anchor", "pass datetime.date(...) (use .date() on a datetime)") == (info.value.field, info.value.hint)


@pytest.mark.parametrize("months", [None, 1.0, True])
def test_add_months_refuses_months_that_are_not_whole(months: Any) -> None:
    """add_months names ``months`` when it is not an int."""
    with pytest.raises(InvalidTypeError) as info:
        add_months(date(2024, 1, 31), months)
    assert "months" == info.value.field


@pytest.mark.parametrize(
    ("anchor", "day", "field"), [(None, date(2024, 1, 1), "anchor"), (date(2024, 1, 1), "x", "day")]
)
def test_month_offset_refuses_values_that_are_not_dates(anchor: Any, day: Any, field: str) -> None:
    """month_offset names whichever argument is not a date."""
    with pytest.raises(InvalidTypeError) as info:
        month_offset(anchor, day)
    assert field == info.value.field














@pytest.mark.parametrize("lines", [None, "lines", {"a": 1}, 3])
def test_roll_up_refuses_lines_that_are_not_a_collection(lines: Any) -> None:
    """roll_up names ``lines`` when it is not a list or tuple."""
    with pytest.raises(InvalidTypeError) as info:
        roll_up(lines, period_start=date(2027, 4, 1), period_end=date(2027, 6, 30))
    assert "lines" == info.value.field


def test_roll_up_refuses_a_scenario_of_the_wrong_type() -> None:
    """Each scenario must be a Scenario, named ``scenarios[i]``."""
    line = RenewalLine("a", date(2027, 6, 30), 100, "COMMIT")
    with pytest.raises(InvalidTypeError) as info:
        roll_up([line], period_start=date(2027, 4, 1), period_end=date(2027, 6, 30), scenarios=["best"])  # type: ignore[list-item]
    assert "scenarios[0]" == info.value.field


@pytest.mark.parametrize("rules", [None, 3, {"a": None}])
def test_forecast_rules_refuse_rules_that_are_not_a_collection(rules: Any) -> None:
    """ForecastRules names ``rules`` when it is not a list or tuple of rows."""
    with pytest.raises(InvalidTypeError) as info:
        ForecastRules(rules)
    assert "rules" == info.value.field


def test_forecast_rules_still_report_every_bad_row() -> None:
    """Rows of the wrong type are still reported all at once in a DefinitionError."""
    with pytest.raises(DefinitionError) as info:
        ForecastRules([*DEFAULT_FORECAST_RULES.rules, None, "x"])
    assert 2 == len(info.value.problems)


@pytest.mark.parametrize("milestones", [None, 1.5, {"a": None}])
def test_playbook_refuses_milestones_that_are_not_a_collection(milestones: Any) -> None:
    """Playbook names ``milestones`` when it is not a list or tuple."""
    with pytest.raises(InvalidTypeError) as info:
        attrs.evolve(ENTERPRISE_PLAYBOOK, milestones=milestones)
    assert "milestones" == info.value.field


def test_playbook_reports_an_unhashable_conversation_name() -> None:
    """A conversation that is not a name is a problem of the definition, not a crash."""
    with pytest.raises(DefinitionError) as info:
        attrs.evolve(ENTERPRISE_PLAYBOOK, conversation=[], confirmation={})  # type: ignore[arg-type]
    assert ["$.conversation", "$.confirmation"] == [p.path for p in info.value.problems]


def test_playbook_ignores_milestone_names_that_are_not_text() -> None:
    """A milestone whose name is not text is reported once and not used as a key."""
    milestones = (*ENTERPRISE_PLAYBOOK.milestones[:-1], attrs.evolve(ENTERPRISE_PLAYBOOK.milestones[-1], name=["x"]))  # type: ignore[arg-type]
    with pytest.raises(DefinitionError) as info:
        attrs.evolve(ENTERPRISE_PLAYBOOK, milestones=milestones)
    assert "$.milestones[5].name" in [p.path for p in info.value.problems]


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("milestones", None, "milestones"),
        ("milestones", ["x"], "milestones[0]"),
        ("reasons", [1], "reasons[0]"),
    ],
)
def test_timeline_refuses_items_of_the_wrong_type(field: str, value: Any, named: str) -> None:
    """RenewalTimeline names the collection or the item that is of the wrong type."""
    with pytest.raises(InvalidTypeError) as info:
        attrs.evolve(renewal_timeline(CONTRACT), **{field: value})
    assert named == info.value.field


def test_playbook_define_is_unchanged_for_valid_input() -> None:
    """A valid playbook still builds (the converter keeps tuples)."""
    assert isinstance(attrs.evolve(ENTERPRISE_PLAYBOOK, milestones=list(ENTERPRISE_PLAYBOOK.milestones)), Playbook)


def test_playbook_define_refuses_milestones_that_are_not_a_collection() -> None:
    """Playbook.define names ``milestones`` when it is not a list of pairs."""
    with pytest.raises(InvalidTypeError) as info:
        Playbook.define(
            "lean", runway_days=45, latest_start_days=30, milestones=None, conversation="a", confirmation="b"
        )
    assert "milestones" == info.value.field
