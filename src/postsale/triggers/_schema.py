"""A small JSON Schema (draft 2020-12) generator for postsale values, and the published schemas.

The schemas describe the plain data ``postsale.to_data`` writes and ``postsale.from_data`` reads, and are derived
from the same converter: each class is described by how its hooks write it (``postsale._convert.written_form``):
its attrs fields, its ``"kind"`` tag, a configuration's ``"schema_version"``, or the schema declared next to a
hand-written hook (a journey is written as ``account_id, segment, labels, events``). Dates and datetimes are ISO
strings (a datetime may carry its IANA zone in brackets), enums are names, money is a decimal string.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import attrs

from postsale import _convert
from postsale._errors import InvalidTypeError, UnknownNameError
from postsale._vocabulary import AccountSnapshot

__all__ = ["health_model_schema", "json_schema", "rule_set_schema", "snapshot_schema"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_DECIMAL = r"^-?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?$"
_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_TIME = r"^[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?([+-][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?|Z)?$"
_DATETIME = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?"
    r"([+-][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?|Z)(\[[A-Za-z0-9_+/-]+\])?$"
)


def json_schema(cls: type[Any], *, title: str | None = None) -> dict[str, Any]:
    """Return a JSON Schema for the plain data of postsale value class ``cls`` (what ``to_data`` writes).

    Nested values go to ``$defs``; a member of a tagged union carries its ``"kind"``
    (``{"kind": "threshold", ...}``); a configuration may carry its ``"schema_version"``. Types it does not know
    are left open (``{}``).

    Args:
        cls: An attrs class.
        title: The schema's title (default: the class name).

    Raises:
        InvalidTypeError: ``cls`` is not an attrs class, or its plain-data form is hand-written without a
            declared schema; ``title`` is not a string.

    Examples:
        >>> from postsale.triggers import Evidence
        >>> json_schema(Evidence)["required"]
        ['subject', 'value', 'op', 'threshold']
        >>> from postsale import Journey
        >>> sorted(json_schema(Journey)["properties"])
        ['account_id', 'events', 'labels', 'segment']
    """
    if not (isinstance(cls, type) and attrs.has(cls)):
        raise InvalidTypeError("is not an attrs class", field="cls", value=cls, hint="pass a postsale value class")
    if title is not None and not isinstance(title, str):
        raise InvalidTypeError("is not a string", field="title", value=title, hint="pass a title, or None")
    defs: dict[str, Any] = {}
    root = _object(cls, defs)
    schema: dict[str, Any] = {"$schema": DRAFT, "title": title or cls.__name__}
    schema.update(root)
    if defs:
        schema["$defs"] = dict(sorted(defs.items()))
    return schema


def _summary(cls: type[Any]) -> str:
    doc = (cls.__doc__ or "").strip()
    return doc.splitlines()[0] if doc else cls.__name__


def _hints(cls: type[Any]) -> dict[str, Any]:
    try:
        return typing.get_type_hints(cls)
    except Exception:  # an annotation that cannot be resolved: fall back to what attrs holds
        return {f.name: f.type for f in attrs.fields(cls) if not isinstance(f.type, str)}


def _object(cls: type[Any], defs: dict[str, Any]) -> dict[str, Any]:
    form = _convert.written_form(cls)
    if form.schema is not None:
        body = form.schema(lambda t: _type(t, defs))
    elif form.hand_written:
        raise InvalidTypeError(
            "has a hand-written plain-data form but no declared schema",
            field="cls",
            value=cls,
            hint="declare its schema with postsale._convert.register_schema next to its hooks",
        )
    else:
        body = _fields(cls, defs)
    properties: dict[str, Any] = {}
    required: list[str] = list(body.get("required", []))
    if form.version is not None:
        properties[_convert.SCHEMA_VERSION_KEY] = {"type": "integer", "minimum": 1, "maximum": form.version}
    if form.tag is not None:
        properties["kind"] = {"const": form.tag}
        required.insert(0, "kind")
    properties.update(body.get("properties", {}))
    return {**body, "properties": properties, "required": required}


def _fields(cls: type[Any], defs: dict[str, Any]) -> dict[str, Any]:
    """The schema of an attrs class written field by field (the converter's generated hooks: each init field
    under its attribute name; a field with a default may be left out when reading)."""
    hints = _hints(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for field in attrs.fields(cls):
        if not field.init:
            continue
        properties[field.name] = _type(hints.get(field.name, Any), defs)
        if field.default is attrs.NOTHING:
            required.append(field.name)
    return {
        "description": _summary(cls),
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _ref(cls: type[Any], defs: dict[str, Any]) -> dict[str, Any]:
    name = cls.__name__
    if name not in defs:
        defs[name] = {}  # placeholder against recursion
        defs[name] = _object(cls, defs)
    return {"$ref": f"#/$defs/{name}"}


_SCALARS: dict[Any, dict[str, Any]] = {
    type(None): {"type": "null"},
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    float: {"type": "number"},
    str: {"type": "string"},
    Decimal: {"type": ["string", "number"], "pattern": _DECIMAL},
    datetime: {"type": "string", "pattern": _DATETIME},
    date: {"type": "string", "format": "date", "pattern": _DATE},
    time: {"type": "string", "pattern": _TIME},
}


def _type(t: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(t)
    args = typing.get_args(t)
    if t in _SCALARS:
        return dict(_SCALARS[t])
    if isinstance(t, type) and issubclass(t, enum.Enum):
        return {"enum": [m.name for m in t]}
    if isinstance(t, type) and attrs.has(t):
        return _ref(t, defs)
    if origin is typing.Literal:
        return {"enum": list(args)}
    if origin in (typing.Union, types.UnionType):
        members = [_type(a, defs) for a in args]
        tagged = all(isinstance(a, type) and _convert.written_form(a).tag is not None for a in args)
        return {"oneOf": members} if tagged else {"anyOf": members}
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return {"type": "array", "items": _type(args[0], defs)}
    if origin is tuple:
        return {"type": "array", "prefixItems": [_type(a, defs) for a in args], "items": False}
    if origin in (list, frozenset, set) or origin is Sequence:
        return {"type": "array", "items": _type(args[0], defs) if args else {}}
    if origin in (dict, Mapping) or (isinstance(origin, type) and issubclass(origin, Mapping)):
        schema: dict[str, Any] = {"type": "object", "additionalProperties": _type(args[1], defs) if args else {}}
        if args and isinstance(args[0], type) and issubclass(args[0], enum.Enum):
            schema["propertyNames"] = {"enum": [m.name for m in args[0]]}
        return schema
    return {}


def rule_set_schema() -> dict[str, Any]:
    """Return the JSON Schema of a rule set (:class:`~postsale.triggers.RuleSet`).

    Examples:
        >>> schema = rule_set_schema()
        >>> schema["required"], schema["$defs"]["Threshold"]["properties"]["kind"]
        (['version', 'rules'], {'const': 'threshold'})
    """
    from postsale.triggers._rules import RuleSet

    return json_schema(RuleSet, title="postsale rule set")


def snapshot_schema() -> dict[str, Any]:
    """Return the JSON Schema of an account snapshot (:class:`~postsale.AccountSnapshot`).

    Examples:
        >>> snapshot_schema()["required"]
        ['account_id', 'segment', 'as_of']
    """
    return json_schema(AccountSnapshot, title="postsale account snapshot")


def health_model_schema() -> dict[str, Any]:
    """Return the JSON Schema of a health model (``postsale.health.HealthModel``).

    Raises:
        UnknownNameError: the health context is not available.

    Examples:
        >>> health_model_schema()["title"]
        'postsale health model'
    """
    try:
        from postsale import health
    except ImportError:  # pragma: no cover - the health context ships with postsale
        health = None  # type: ignore[assignment]
    model = getattr(health, "HealthModel", None)
    if model is None:
        raise UnknownNameError(
            "is not available",
            field="postsale.health.HealthModel",
            hint="install a postsale version that ships the health context",
        )
    return json_schema(model, title="postsale health model")
