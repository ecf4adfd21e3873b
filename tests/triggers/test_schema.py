"""JSON Schemas: the generator, the published schemas, and the default catalog validating against them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

import postsale
from postsale import AccountSnapshot, InvalidTypeError
from postsale.triggers import (
    CATALOG,
    DEFAULT_RULE_SET,
    Alert,
    Engine,
    json_schema,
    rule_set_schema,
    snapshot_schema,
)
from postsale.triggers._schema import _type
from tests.triggers._helpers import snap

jsonschema = pytest.importorskip("jsonschema")
SCHEMAS = Path(postsale.triggers.__file__).parent / "schemas"


def validate(data, schema):
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)


def test_default_rule_set_validates():
    """The default catalog (as plain data) validates against the published rule-set schema."""
    validate(postsale.to_data(DEFAULT_RULE_SET), rule_set_schema())


def test_snapshot_validates():
    """A full snapshot validates against the snapshot schema."""
    s = AccountSnapshot(
        "a",
        "SMB",
        date(2026, 1, 5),
        acv="1200.50",
        contract_start=date(2025, 1, 5),
        contract_end=date(2027, 1, 5),
        signals={"nps": 9},
        labels={"csm": "aiko"},
        parent_id="p",
    )
    validate(postsale.to_data(s), snapshot_schema())


def test_schema_rejects_an_unknown_condition_kind():
    """The rule-set schema refuses a condition kind it does not know."""
    data = postsale.to_data(CATALOG)
    data["rules"][0]["condition"]["kind"] = "lua"
    with pytest.raises(jsonschema.ValidationError):
        validate(data, rule_set_schema())


def test_schema_rejects_a_bad_sla():
    """The rule-set schema refuses an SLA word it does not know."""
    data = postsale.to_data(CATALOG)
    data["rules"][0]["sla"] = "SOON"
    with pytest.raises(jsonschema.ValidationError):
        validate(data, rule_set_schema())


def test_alerts_validate_against_their_schema():
    """Alerts (with datetimes, evidence and suppression) validate against the generated schema."""
    _, alerts = Engine(DEFAULT_RULE_SET).step(None, snap(segment="SMB", support_tickets_week=3, storage_ratio=0.9))
    schema = json_schema(Alert)
    for alert in alerts:
        validate(postsale.to_data(alert), schema)


@pytest.mark.parametrize(
    ("name", "build"),
    [("rule_set", rule_set_schema), ("account_snapshot", snapshot_schema)],
)
def test_published_schema_files_are_current(name, build):
    """The schema files shipped in the package equal the generated schemas."""
    assert build() == json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


def test_health_model_schema():
    """The health model schema (when the health context exists) validates the default model."""
    health = pytest.importorskip("postsale.health")
    from postsale.triggers import health_model_schema

    schema = health_model_schema()
    validate(postsale.to_data(health.DEFAULT_HEALTH_MODEL), schema)
    assert schema == json.loads((SCHEMAS / "health_model.schema.json").read_text(encoding="utf-8"))


def test_json_schema_refuses_non_attrs():
    """json_schema needs an attrs class."""
    with pytest.raises(InvalidTypeError, match="cls"):
        json_schema(dict)


@pytest.mark.parametrize(
    ("t", "expected"),
    [
        (list[int], {"type": "array", "items": {"type": "integer"}}),
        (frozenset[str], {"type": "array", "items": {"type": "string"}}),
        (tuple[int, str], {"type": "array", "prefixItems": [{"type": "integer"}, {"type": "string"}], "items": False}),
        (dict[str, bool], {"type": "object", "additionalProperties": {"type": "boolean"}}),
        (object, {}),
    ],
)
def test_generator_shapes(t, expected):
    """The generator maps Python types to JSON shapes, leaving unknown types open."""
    assert expected == _type(t, {})
