"""The published JSON Schemas are generated from the converter and validate the library's own output: for every
public value type, the plain data of generated instances validates against ``json_schema(type)``."""

from __future__ import annotations

from functools import cache
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from postsale import InvalidTypeError, Journey, to_data
from postsale._convert import CONFIGURATIONS, SCHEMA_VERSION_KEY, converter, register_schema, written_form
from postsale.triggers import json_schema
from tests.strategies.discovered import public_name, public_types, values_of

jsonschema = pytest.importorskip("jsonschema")

EXAMPLES = max(3, settings.default.max_examples // 12)
"""Examples per type: 5 on the CI profile, 166 on the long one (validation costs more than a round trip)."""

VALUE_CLASSES = [c for c in public_types() if attrs.has(c)]


@cache
def validator(cls: type[Any]) -> Any:
    schema = json_schema(cls)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("cls", VALUE_CLASSES, ids=public_name)
def test_output_validates_against_the_type_schema(cls: type[Any]) -> None:
    """What to_data writes for generated values of the type is valid under the type's published schema."""

    @settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(values_of(cls))
    def check(value: Any) -> None:
        errors = [f"{e.json_path}: {e.message}" for e in validator(cls).iter_errors(to_data(value))]
        assert [] == errors

    check()


def test_the_journey_schema_describes_what_to_data_writes() -> None:
    """A journey's schema names the fields its hook writes, not its private attributes."""
    schema = json_schema(Journey)
    assert ["account_id", "segment", "labels", "events"] == list(schema["properties"])
    assert schema["$defs"]["JourneyEvent"]["properties"]["at"]["format"] == "date"


def test_configurations_describe_their_schema_version() -> None:
    """A configuration's schema admits the versions this postsale reads, and refuses a newer one."""
    from postsale.triggers import DEFAULT_RULE_SET, RuleSet

    check = validator(RuleSet)
    data = to_data(DEFAULT_RULE_SET)
    assert check.is_valid(data)
    assert check.is_valid({k: v for k, v in data.items() if k != SCHEMA_VERSION_KEY})
    assert not check.is_valid({**data, SCHEMA_VERSION_KEY: CONFIGURATIONS["postsale.triggers._rules.RuleSet"] + 1})


def test_tagged_classes_require_their_kind() -> None:
    """A tagged class's schema pins its kind; the union picks exactly one member."""
    from postsale.health import Bands
    from postsale.triggers import Threshold

    assert json_schema(Threshold)["properties"]["kind"] == {"const": "threshold"}
    assert json_schema(Bands)["required"][0] == "kind"


def test_a_hand_written_form_without_a_schema_is_refused() -> None:
    """A class whose hooks write something else than its fields must declare a schema; else json_schema says so."""

    @attrs.frozen
    class Odd:
        x: int

    converter.register_unstructure_hook(Odd, lambda v: {"y": v.x})
    assert written_form(Odd).hand_written
    with pytest.raises(InvalidTypeError, match="no declared schema"):
        json_schema(Odd)
    register_schema(Odd, lambda describe: {"type": "object", "properties": {"y": describe(int)}, "required": ["y"]})
    assert json_schema(Odd)["properties"] == {"y": {"type": "integer"}}
