"""The JSON Schemas of the nightly job's input rows, generated from the types the job reads them into.

``postsale schema accounts|contracts|events`` prints them. A row is one JSON object (an NDJSON line, an element of
a JSON array, a CSV or Parquet row); in CSV every cell is text, so a number or a date may also be written as text
(``"48000"``, ``"2026-12-31"``): the schemas say so with ``anyOf``.
"""

from __future__ import annotations

import enum
import typing
from datetime import date
from decimal import Decimal
from typing import Any, Final

import attrs

from postsale import _checks, signals
from postsale._errors import InvalidValueError
from postsale._vocabulary import AccountSnapshot, Segment, Stage
from postsale.journey import Cause, TransitionKind
from postsale.renewal import DEFAULT_STATE_ORDER, INTENT, MILESTONE, ForecastCategory, Intent, StateOrder
from postsale.renewal._state import RENEWAL_RECORDED

__all__ = ["INPUTS", "input_schema"]

INPUTS: Final = ("accounts", "contracts", "events", "ledger")
_DRAFT: Final = "https://json-schema.org/draft/2020-12/schema"
_DATE: Final = {"type": "string", "format": "date"}
_NUMBER: Final = {"anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^\s*[+-]?(\d+\.?\d*|\.\d+)"
                                                                             r"([eE][+-]?\d+)?\s*$"}]}
_BOOLEAN: Final = {"anyOf": [{"type": "boolean"}, {"type": "string", "enum": ["true", "false", "1", "0", "yes",
                                                                               "no", ""]}]}


def _names(members: type[enum.Enum]) -> dict[str, Any]:
    return {"type": "string", "enum": [m.name for m in members]}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _field_schema(kind: Any) -> dict[str, Any]:
    """The schema of one snapshot field, from its annotated type."""
    args = [a for a in typing.get_args(kind) if a is not type(None)]
    base = args[0] if args and typing.get_origin(kind) is not None else kind
    if base is date:
        return _DATE
    if base in (int, float, Decimal):
        return _NUMBER
    if isinstance(base, type) and issubclass(base, enum.Enum):
        return _names(base)
    return {"type": "string"}


def _accounts() -> dict[str, Any]:
    hints = typing.get_type_hints(AccountSnapshot)
    properties: dict[str, Any] = {}
    for field in attrs.fields(AccountSnapshot):
        if field.name in ("signals", "labels", "as_of"):
            continue
        properties[field.name] = _field_schema(hints[field.name])
        if field.name == "account_id":
            properties[field.name] = {"type": "string", "minLength": 1}
    properties["segment"] = _names(Segment)
    properties["csm"] = {"type": "string", "description": "the owner: the agenda and the alert queue group by it"}
    known = sorted(v for k, v in vars(signals).items() if k.isupper() and isinstance(v, str))
    for name in known:
        properties.setdefault(name, {**_NUMBER, "description": "a signal (see postsale.signals)"})
    return {
        "$schema": _DRAFT, "title": "postsale run: one account on the night's date", "type": "object",
        "required": ["account_id", "segment"], "properties": properties,
        "patternProperties": {r"^labels\.": {"type": "string"}},
        "additionalProperties": {**_NUMBER, "description": "any other column is a numeric signal of that name"},
    }


def _contracts(order: StateOrder) -> dict[str, Any]:
    milestones = sorted({m.name for playbook in order.playbooks.values() for m in playbook.milestones})
    properties: dict[str, Any] = {
        "account_id": {"type": "string", "minLength": 1},
        INTENT: _names(Intent), "csm_call": _names(ForecastCategory), RENEWAL_RECORDED: _BOOLEAN,
    }
    for name in milestones:
        properties[f"{MILESTONE}{name}"] = {**_nullable(_DATE), "description": "the day the milestone was done"}
    return {
        "$schema": _DRAFT, "title": "postsale run: the renewal activity of one account", "type": "object",
        "required": ["account_id"], "properties": properties, "additionalProperties": False,
    }


def _events() -> dict[str, Any]:
    stage = _nullable(_names(Stage))
    properties = {
        "account_id": {"type": "string", "minLength": 1}, "segment": _names(Segment),
        "track": {"type": "string", "minLength": 1}, "at": _DATE, "from_stage": stage, "to_stage": stage,
        "kind": _names(TransitionKind), "cause": _nullable(_names(Cause)),
    }
    return {
        "$schema": _DRAFT, "title": "postsale run: one journey event", "type": "object",
        "required": ["account_id", "segment", "track", "at", "kind"], "properties": properties,
    }


def _ledger() -> dict[str, Any]:
    from postsale.kpi import ExpansionMotion, MovementKind

    properties = {"account_id": {"type": "string", "minLength": 1}, "on": _DATE, "kind": _names(MovementKind),
                  "amount": {**_NUMBER, "description": "the size of the change, > 0, in the ledger's basis"},
                  "motion": _nullable(_names(ExpansionMotion))}
    return {
        "$schema": _DRAFT, "title": "postsale run: one revenue movement", "type": "object",
        "required": ["account_id", "on", "kind", "amount"], "properties": properties,
    }


def input_schema(name: str, renewal: StateOrder = DEFAULT_STATE_ORDER) -> dict[str, Any]:
    """The JSON Schema of one row of the input ``name`` (``accounts``, ``contracts``, ``events`` or ``ledger``);
    the contracts' ``milestone.<name>`` columns are those of the ``renewal`` playbooks (the configuration's).

    Examples:
        >>> input_schema("accounts")["required"]
        ['account_id', 'segment']
        >>> input_schema("contracts")["properties"]["intent"]["enum"][:2]
        ['COMMITTED', 'RENEW']
    """
    builders = {"accounts": _accounts, "contracts": lambda: _contracts(renewal), "events": _events,
                "ledger": _ledger}
    if name not in builders:
        raise InvalidValueError("is not an input of the nightly job", field="input", value=name,
                                constraint=f"one of {', '.join(INPUTS)}", hint="e.g. accounts")
    _checks.instance("renewal", renewal, StateOrder, hint="pass the configuration's settings.renewal")
    return builders[name]()
