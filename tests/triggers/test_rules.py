"""Rule sets as plain data: validation with paths, round trips, selection, compilation."""

from __future__ import annotations

import json
import tomllib

import pytest
from hypothesis import given

import postsale
from postsale import DefinitionError, StructureError, UnknownNameError, signals
from postsale.triggers import (
    CATALOG,
    DEFAULT_RULE_SET,
    Action,
    ActionChannel,
    ActionKind,
    AlertBudget,
    Context,
    Hygiene,
    Priority,
    Rule,
    RuleSet,
    Sla,
    Threshold,
)
from tests.strategies.triggers import histories, rule_sets
from tests.triggers._helpers import snap

ACTION = Action(ActionKind.CHECK_IN, ActionChannel.EMAIL, "check in")


def rule(rule_id="R", condition=None, **kwargs):
    return Rule(rule_id, "a rule", condition or Threshold(signals.LOGINS_WEEK, ">=", 1), ACTION, Sla.H24, **kwargs)


def paths(exc_info):
    return [p.path for p in exc_info.value.problems]


def test_default_rule_set_round_trips_through_json():
    """The default rule set survives to_json / from_json unchanged."""
    assert DEFAULT_RULE_SET == postsale.from_json(RuleSet, postsale.to_json(DEFAULT_RULE_SET))


@given(rule_sets())
def test_rule_sets_round_trip(rule_set):
    """Any valid rule set round-trips through plain data."""
    assert rule_set == postsale.from_data(RuleSet, json.loads(json.dumps(postsale.to_data(rule_set))))


@given(rule_sets(), histories())
def test_round_tripped_rule_set_evaluates_identically(rule_set, history):
    """A rule set evaluates the same snapshots identically after a round trip."""
    from postsale.triggers import Engine

    again = postsale.from_json(RuleSet, postsale.to_json(rule_set))
    assert Engine(rule_set).run(None, history) == Engine(again).run(None, history)


def test_rule_set_loads_from_toml():
    """A rule set written in TOML loads (TOML is plain data too)."""
    text = """
    version = "ops-1"
    [[rules]]
    id = "T1"
    name = "Many tickets"
    sla = "H48"
    priority = "HIGH"
    action = { kind = "ROOT_CAUSE", channel = "CALL" }
    condition = { kind = "threshold", signal = "support_tickets_week", op = ">=", threshold = 5 }
    """
    loaded = postsale.from_data(RuleSet, tomllib.loads(text))
    assert ("ops-1", "T1", Priority.HIGH, 5) == (
        loaded.version,
        loaded.rules[0].id,
        loaded.rules[0].priority,
        loaded.rules[0].condition.threshold,
    )


def test_every_problem_is_listed_with_its_path():
    """Loading reports every semantic problem at once, each with its path."""
    data = postsale.to_data(CATALOG)
    data["rules"][3]["condition"]["conditions"][0]["threshold"] = float("nan")
    data["rules"][7]["condition"]["signal"] = "support_ticket_week"
    data["rules"][1]["id"] = "U1"
    with pytest.raises(DefinitionError) as exc_info:
        postsale.from_data(RuleSet, data)
    assert ["$.rules[1].id", "$.rules[3].condition.conditions[0].threshold", "$.rules[7].condition.signal"] == paths(
        exc_info
    )


def test_structural_problems_are_listed_with_paths():
    """Wrong types and unknown kinds are reported with their paths."""
    data = postsale.to_data(CATALOG)
    data["rules"][0]["sla"] = "SOON"
    data["rules"][2]["condition"]["kind"] = "lua"
    data["rules"][7]["condition"]["threshold"] = "three"
    data["rules"][8]["condition"] = "days_until"
    with pytest.raises(StructureError) as exc_info:
        postsale.from_data(RuleSet, data)
    assert ["$.rules[0].sla", "$.rules[2].condition", "$.rules[7].condition.threshold", "$.rules[8].condition"] == (
        paths(exc_info)
    )


def test_loading_never_executes_code():
    """Code in a rule set is only ever text: it is refused, never run."""
    data = postsale.to_data(CATALOG.select("H4"))
    data["rules"][0]["condition"]["threshold"] = "__import__('os').system('echo hacked')"
    data["rules"][0]["condition"]["op"] = "lambda: 1"
    with pytest.raises(StructureError) as exc_info:
        postsale.from_data(RuleSet, data)
    assert ["$.rules[0].condition.op", "$.rules[0].condition.threshold"] == sorted(paths(exc_info))


def test_unknown_fields_are_refused():
    """An unknown field in a condition is refused with its path."""
    data = postsale.to_data(CATALOG.select("H4"))
    data["rules"][0]["condition"]["script"] = "x"
    with pytest.raises(StructureError) as exc_info:
        postsale.from_data(RuleSet, data)
    assert ["$.rules[0].condition"] == paths(exc_info)


def test_custom_signals_are_declared():
    """A rule may use a custom signal once the rule set declares it."""
    custom = rule(condition=Threshold("nps_detractors", ">=", 2))
    with pytest.raises(DefinitionError):
        RuleSet("1", (custom,))
    assert ("nps_detractors",) == RuleSet("1", (custom,), custom_signals=("nps_detractors",)).custom_signals


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"version": ""}, ["$.version"]),
        ({"rules": ()}, ["$.rules"]),
        ({"rules": ("R1",)}, ["$.rules[0]"]),
        ({"custom_signals": ("",)}, ["$.custom_signals[0]"]),
        ({"few_days": 8}, ["$.few_days"]),
        ({"few_days": True}, ["$.few_days"]),
        ({"hygiene": Hygiene(auto_close_days=0)}, ["$.hygiene.auto_close_days"]),
        (
            {"hygiene": Hygiene(budget=AlertBudget(period_days=0, smb=-1, exempt=("URGENT",)))},
            ["$.hygiene.budget.period_days", "$.hygiene.budget.smb", "$.hygiene.budget.exempt[0]"],
        ),
    ],
)
def test_rule_set_problems(kwargs, expected):
    """Each bad rule-set setting is reported with its path."""
    values = {"version": "1", "rules": (rule(),)} | kwargs
    with pytest.raises(DefinitionError) as exc_info:
        RuleSet(**values)
    assert expected == paths(exc_info)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"id": " "}, ["$.rules[0].id"]),
        ({"name": ""}, ["$.rules[0].name"]),
        ({"action": "call"}, ["$.rules[0].action"]),
        ({"sla": "48h"}, ["$.rules[0].sla"]),
        ({"priority": 1}, ["$.rules[0].priority"]),
        ({"cooldown_days": -1}, ["$.rules[0].cooldown_days"]),
        ({"condition": "x > 1"}, ["$.rules[0].condition"]),
    ],
)
def test_rule_problems(kwargs, expected):
    """Each bad rule field is reported with its path."""
    values = {
        "id": "R",
        "name": "n",
        "condition": Threshold(signals.LOGINS_WEEK, ">=", 1),
        "action": ACTION,
        "sla": Sla.H24,
    } | kwargs
    with pytest.raises(DefinitionError) as exc_info:
        RuleSet("1", (Rule(**values),))
    assert expected == paths(exc_info)


def test_definition_error_message_lists_problems():
    """The error message lists every problem and says what to do."""
    with pytest.raises(DefinitionError, match=r"(?s)2 problem\(s\).*\$\.version.*\$\.few_days.*instead: fix every"):
        RuleSet("", (rule(),), few_days=0)


def test_rule_lookup():
    """rule() returns a rule by id."""
    assert "Support-ticket spike" == CATALOG.rule("H4").name


def test_unknown_rule_lists_ids():
    """An unknown rule id raises UnknownNameError listing the known ids."""
    with pytest.raises(UnknownNameError, match="one of U1, U2"):
        CATALOG.rule("Z9")


def test_select_keeps_settings():
    """select() keeps only the named rules, with the same version and settings."""
    picked = DEFAULT_RULE_SET.select("M1", "H4")
    assert (["M1", "H4"], DEFAULT_RULE_SET.version, DEFAULT_RULE_SET.hygiene) == (
        [r.id for r in picked.rules],
        picked.version,
        picked.hygiene,
    )


def test_compiled_rules_report_signal_names():
    """The compiled form knows which signals rules read and which previous values they need."""
    compiled = CATALOG.compile()
    assert (signals.SUPPORT_TICKETS_WEEK in compiled.signal_names, ()) == (True, compiled.previous_names)


def test_compiled_rules_keep_rule_order():
    """matching() lists the rules that hold in rule-set order."""
    s = snap(support_tickets_week=5, first_value_documented=1, seats_purchased=10, seats_active=9)
    assert ["H4", "M2", "M4"] == CATALOG.compile().matching(s, Context())


def test_rule_set_has_no_bands():
    """Band cut-offs are the health model's, not the rule set's: a rule set takes no bands."""
    with pytest.raises(TypeError):
        RuleSet("1", (rule(),), bands=postsale.health.BandPolicy())  # type: ignore[call-arg]


def test_rule_set_data_with_bands_says_where_they_went():
    """Loading a rule set that still carries bands names the path and says they moved to the health model."""
    data = postsale.to_data(CATALOG) | {"bands": {"green_from": 90, "yellow_from": 60}}
    with pytest.raises((DefinitionError, StructureError)) as exc_info:
        postsale.from_data(RuleSet, data)
    assert ["$.bands"] == paths(exc_info)
    assert "health model" in str(exc_info.value)
