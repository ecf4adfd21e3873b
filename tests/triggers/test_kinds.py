"""The one registry of condition kinds: the union, the plain-data tags and the JSON Schema derive from it, every
condition class reads back its own data, and a class lacking a form is refused."""

from __future__ import annotations

import typing
from typing import Any, ClassVar

import attrs
import pytest

import postsale
from postsale import DefinitionError, HealthBand, StructureError, signals
from postsale._columnar import decision
from postsale.triggers import (
    AllOf,
    AnyOf,
    BandTransition,
    Condition,
    DaysInBand,
    DaysSince,
    DaysUntil,
    Not,
    PercentChange,
    Ratio,
    Rule,
    Threshold,
    rule_set_schema,
)
from postsale.triggers._conditions import BY_KIND, CONDITION_KINDS, registry

T = signals.SUPPORT_TICKETS_WEEK
ONE_OF_EACH: list[Any] = [
    Threshold(T, "<", 3.0, release=5.0, source="previous"),
    PercentChange(signals.LOGINS_WEEK, 0.3, baseline=signals.LOGINS_PREV_WEEK, direction="rise", min_base=10.0),
    Ratio(signals.SEATS_ACTIVE, signals.SEATS_PURCHASED, ">=", 0.8),
    BandTransition((HealthBand.GREEN, HealthBand.YELLOW), (HealthBand.RED,), min_drop=10.0,
                   drop_bands=(HealthBand.YELLOW,)),
    DaysInBand(HealthBand.YELLOW, 30),
    DaysUntil("contract_end", 90, at_least=1),
    DaysSince("contract_start", 28, at_most=34),
    AllOf((Threshold(T, ">=", 3.0), Not(DaysInBand(HealthBand.RED, 0)))),
    AnyOf((Threshold(T, ">=", 3.0), DaysUntil("contract_end", 90))),
    Not(Threshold(T, "==", 0.0)),
]


def test_one_of_each_covers_the_registry() -> None:
    """The examples below cover every registered kind, once."""
    assert [type(c) for c in ONE_OF_EACH] == list(CONDITION_KINDS)


def test_the_union_tags_and_schema_derive_from_the_registry() -> None:
    """The Condition union, the kind tags and the rule-set schema's condition kinds are the registry's."""
    assert list(CONDITION_KINDS) == list(typing.get_args(Condition))
    assert [cls.kind for cls in CONDITION_KINDS] == list(BY_KIND)
    schema = rule_set_schema()
    members = schema["$defs"]["Rule"]["properties"]["condition"]["oneOf"]
    tags = [schema["$defs"][m["$ref"].rsplit("/", 1)[1]]["properties"]["kind"]["const"] for m in members]
    assert list(BY_KIND) == tags
    assert list(BY_KIND) == [postsale.to_data(c)["kind"] for c in ONE_OF_EACH]


@pytest.mark.parametrize("condition", ONE_OF_EACH, ids=lambda c: type(c).__name__)
def test_every_condition_class_reads_back_its_own_data(condition: Any) -> None:
    """from_data(cls, to_data(c)) == c for every kind (the tag may be left out), and so does the union."""
    data = postsale.to_data(condition)
    assert condition == postsale.from_data(type(condition), data)
    assert condition == postsale.from_data(type(condition), {k: v for k, v in data.items() if k != "kind"})
    assert condition == postsale.from_data(Condition, data)  # type: ignore[arg-type]
    assert condition == postsale.from_json(type(condition), postsale.to_json(condition))


def test_a_class_refuses_the_data_of_another_kind() -> None:
    """Threshold data tagged 'ratio' is refused, naming both kinds."""
    data = {**postsale.to_data(Threshold(T, ">=", 3.0)), "kind": "ratio"}
    with pytest.raises(StructureError, match="kind 'ratio' is not the kind of Threshold"):
        postsale.from_data(Threshold, data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"signal": T, "op": ">=", "threshold": 3}, "a condition needs a 'kind'"),
        ({"kind": "lua", "code": "x"}, "unknown condition kind 'lua'; use one of threshold, percent_change"),
        ("threshold", "a condition must be an object with a 'kind'"),
    ],
)
def test_the_union_refuses_data_without_a_known_kind(data: Any, message: str) -> None:
    """The union needs a known kind and lists the kinds that exist."""
    with pytest.raises(StructureError, match=message):
        postsale.from_data(Condition, data)  # type: ignore[arg-type]


def test_rules_read_back_nested_conditions() -> None:
    """A rule's nested conditions (all / any / not) round-trip through plain data."""
    rule = Rule("X", "x", ONE_OF_EACH[7], postsale.triggers.CATALOG.rules[0].action, postsale.triggers.Sla.H48)
    assert rule == postsale.from_data(Rule, postsale.to_data(rule))


def test_the_decorator_refuses_a_condition_without_its_columnar_form() -> None:
    """A condition class with compile but no expr is refused by @decision("compile")."""
    with pytest.raises(DefinitionError, match="the columnar form is missing"):

        @decision("compile")
        @attrs.frozen
        class Scalar:
            kind: ClassVar[str] = "scalar"

            def compile(self, rule_id: str) -> Any:
                return lambda s, c: True


def test_the_registry_refuses_unmarked_classes_and_repeated_kinds() -> None:
    """A class not marked @decision('compile') or reusing a kind cannot be registered."""

    @attrs.frozen
    class Unmarked:
        kind: ClassVar[str] = "unmarked"

    @decision("compile")
    @attrs.frozen
    class Twin:
        kind: ClassVar[str] = "threshold"

        def compile(self, rule_id: str) -> Any:
            return lambda s, c: True

        def expr(self, env: Any, rule_id: str) -> Any:
            return env.nw.lit(True)

    with pytest.raises(DefinitionError) as info:
        registry(Threshold, Unmarked, Twin)
    assert [p.path for p in info.value.problems] == ["Unmarked", "Twin.kind"]
