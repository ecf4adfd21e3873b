"""Conditions used alone check what they are given: wrong-typed arguments and fields give a PostsaleError naming them.

A rule set checks its conditions (every problem at once, with paths); a condition used alone (compiled, turned into
a column, asked for evidence or for the signals it reads) checks the fields its forms need, and its arguments.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import pytest

from postsale import DefinitionError, HealthBand, InvalidTypeError, signals
from postsale._columnar import Env
from postsale.triggers import (
    Action,
    ActionChannel,
    ActionKind,
    AllOf,
    AnyOf,
    BandTransition,
    Context,
    DaysInBand,
    DaysSince,
    DaysUntil,
    Not,
    PercentChange,
    Ratio,
    Rule,
    RuleSet,
    Sla,
    Threshold,
)
from postsale.triggers._conditions import CONDITION_KINDS
from tests.triggers._helpers import DAY, snap

ACTION = Action(ActionKind.CHECK_IN, ActionChannel.EMAIL, "check in")


def rule(condition: Any) -> Rule:
    """A rule around ``condition``."""
    return Rule("R", "a rule", condition, ACTION, Sla.H24)


LEAVES: dict[type, Any] = {
    Threshold: Threshold(signals.NPS, "<", 5.0, release=8.0),
    PercentChange: PercentChange(signals.LOGINS_WEEK, 0.3, baseline=signals.LOGINS_PREV_WEEK, min_base=10.0),
    Ratio: Ratio(signals.SEATS_ACTIVE, signals.SEATS_PURCHASED, ">=", 0.8),
    BandTransition: BandTransition((HealthBand.GREEN,), (HealthBand.RED,), min_drop=10.0,
                                   drop_bands=(HealthBand.GREEN,)),
    DaysInBand: DaysInBand(HealthBand.YELLOW, 30),
    DaysUntil: DaysUntil("contract_end", 90),
    DaysSince: DaysSince("contract_start", 28, at_most=34),
}
"""A valid instance of each condition kind that is not a combinator, every optional field set."""

ENV = Env(["nps", "health", "band"], as_of=DAY)


def test_every_leaf_kind_has_a_sample() -> None:
    """The samples cover every condition kind but the combinators (a new kind gets a sample here)."""
    assert set(LEAVES) == set(CONDITION_KINDS) - {AllOf, AnyOf, Not}


@pytest.mark.parametrize(("kind", "field"), [(k, f.name) for k in LEAVES for f in attrs.fields(k)])
def test_a_field_of_the_wrong_type_is_refused_with_its_path(kind: type, field: str) -> None:
    """Every field of every kind is checked when the condition is used alone: compile names the field."""
    broken = attrs.evolve(LEAVES[kind], **{field: object()})
    with pytest.raises(DefinitionError) as info:
        broken.compile("R")
    assert f"$.{field}" in [p.path for p in info.value.problems]


@pytest.mark.parametrize(
    ("condition", "path"),
    [
        (Threshold(signals.NPS, ">=", date(2026, 1, 1)), "$.threshold"),  # type: ignore[arg-type]
        (Threshold(signals.NPS, "~", 3.0), "$.op"),  # type: ignore[arg-type]
        (Threshold(signals.NPS, ">=", 10**400), "$.threshold"),
        (Threshold(signals.NPS, ">=", Decimal("sNaN")), "$.threshold"),  # type: ignore[arg-type]
        (DaysUntil("contract_end", 10**400), "$.at_most"),
        (DaysUntil("contract_end", None), "$.at_most"),  # type: ignore[arg-type]
    ],
)
def test_a_malformed_condition_is_refused_by_every_form(condition: Any, path: str) -> None:
    """compile, expr and evidence refuse a condition whose fields their forms cannot use (DefinitionError)."""
    for use in (lambda: condition.compile("R"), lambda: condition.expr(ENV, "R"),
                lambda: condition.evidence(snap(), Context())):
        with pytest.raises(DefinitionError) as info:
            use()
        assert [path] == [p.path for p in info.value.problems]


@pytest.mark.parametrize(
    ("condition", "path"),
    [
        (AllOf(float("nan")), "$.conditions"),  # type: ignore[arg-type]
        (AllOf((3692, 28)), "$.conditions[0]"),  # type: ignore[arg-type]
        (AnyOf([Threshold(signals.NPS, ">=", 1.0)]), "$.conditions"),  # type: ignore[arg-type]
        (Not({}), "$.condition"),  # type: ignore[arg-type]
        (PercentChange(Decimal("sNaN"), 0.3), "$.signal"),  # type: ignore[arg-type]
        (Ratio(signals.SEATS_ACTIVE, {}, ">=", 0.8), "$.denominator"),  # type: ignore[arg-type]
    ],
)
def test_the_signals_of_a_malformed_condition_are_refused(condition: Any, path: str) -> None:
    """signal_names and previous_names name the bad field instead of failing on it."""
    for names in (condition.signal_names, condition.previous_names):
        with pytest.raises(DefinitionError) as info:
            names()
        assert path == info.value.problems[0].path


def test_a_well_typed_but_unusual_condition_still_computes() -> None:
    """Only what the forms need is checked alone: a 200 % drop compiles (a rule set refuses it)."""
    odd = PercentChange(signals.LOGINS_WEEK, 2.0, baseline=signals.LOGINS_PREV_WEEK)
    assert odd.compile("R")(snap(logins_week=0, logins_prev_week=10), Context()) is False
    with pytest.raises(DefinitionError):
        RuleSet("1", (rule(condition=odd),))


@pytest.mark.parametrize("kind", [*LEAVES, AllOf, AnyOf, Not])
def test_wrong_typed_arguments_name_the_argument(kind: type) -> None:
    """env, rule_id, snapshot and context of the wrong type: InvalidTypeError naming the argument."""
    condition = LEAVES.get(kind) or (Not(LEAVES[Threshold]) if kind is Not else kind((LEAVES[Threshold],)))
    calls = {
        "env": lambda: condition.expr(2, "R"),
        "rule_id": lambda: condition.expr(ENV, ()),
        "snapshot": lambda: condition.evidence("true", Context()),
        "context": lambda: condition.evidence(snap(), []),
    }
    for field, call in calls.items():
        with pytest.raises(InvalidTypeError) as info:
            call()
        assert field == info.value.field
    with pytest.raises(InvalidTypeError, match="rule_id"):
        condition.compile({})


def test_problems_never_fail_on_odd_values() -> None:
    """problems() lists odd fields (an unhashable comparison, a 400-digit release) instead of failing on them."""
    odd = Threshold("", {}, True, release=-(10**400), source="")  # type: ignore[arg-type]
    assert ["$.signal", "$.op", "$.threshold", "$.source", "$.release"] == [
        p.path for p in odd.problems("$", frozenset())
    ]


def test_days_are_bounded_like_counts() -> None:
    """A number of days beyond a billion either way is refused by the rule set, with its path."""
    with pytest.raises(DefinitionError) as info:
        RuleSet("1", (rule(condition=DaysSince("contract_start", 10**12)),))
    assert ["$.rules[0].condition.at_least"] == [p.path for p in info.value.problems]
