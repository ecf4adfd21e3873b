"""A small JSON Schema (draft 2020-12) generator for attrs classes, and the published schemas.

The schemas describe the plain data ``postsale.to_data`` writes and ``postsale.from_data`` reads (dates as ISO
strings, enums by name, money as decimal strings), so tools in other languages can validate what they send.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs

from postsale._errors import InvalidTypeError, UnknownNameError
from postsale._vocabulary import AccountSnapshot

__all__ = ["health_model_schema", "json_schema", "rule_set_schema", "snapshot_schema"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_DECIMAL = r"^-?[0-9]+(\.[0-9]+)?$"


def json_schema(cls: type[Any], *, title: str | None = None) -> dict[str, Any]:
    """Return a JSON Schema for the plain data of attrs class ``cls``.

    Nested attrs classes go to ``$defs``; a class with a ``kind`` class variable is a member of a tagged union
    (``{"kind": "threshold", ...}``). Types it does not know are left open (``{}``).

    Args:
        cls: An attrs class.
        title: The schema's title (default: the class name).

    Raises:
        InvalidTypeError: ``cls`` is not an attrs class.

    Examples:
        >>> from postsale.triggers import Evidence
        >>> json_schema(Evidence)["required"]
        ['subject', 'value', 'op', 'threshold']
    """
    if not (isinstance(cls, type) and attrs.has(cls)):
        raise InvalidTypeError("is not an attrs class", field="cls", value=cls, hint="pass a postsale value class")
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


def _object(cls: type[Any], defs: dict[str, Any]) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    kind = getattr(cls, "kind", None)
    if isinstance(kind, str):
        properties["kind"] = {"const": kind}
        required.append("kind")
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


def _type(t: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(t)
    args = typing.get_args(t)
    if t is type(None):
        return {"type": "null"}
    if t is bool:
        return {"type": "boolean"}
    if t is int:
        return {"type": "integer"}
    if t is float:
        return {"type": "number"}
    if t is str:
        return {"type": "string"}
    if t is Decimal:
        return {"type": ["string", "number"], "pattern": _DECIMAL}
    if t is datetime:
        return {"type": "string", "format": "date-time"}
    if t is date:
        return {"type": "string", "format": "date"}
    if isinstance(t, type) and issubclass(t, enum.Enum):
        return {"enum": [m.name for m in t]}
    if isinstance(t, type) and attrs.has(t):
        return _ref(t, defs)
    if origin is typing.Literal:
        return {"enum": list(args)}
    if origin in (typing.Union, types.UnionType):
        members = [_type(a, defs) for a in args]
        tagged = all(isinstance(a, type) and isinstance(getattr(a, "kind", None), str) for a in args)
        return {"oneOf": members} if tagged else {"anyOf": members}
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return {"type": "array", "items": _type(args[0], defs)}
    if origin is tuple:
        return {"type": "array", "prefixItems": [_type(a, defs) for a in args], "items": False}
    if origin in (list, frozenset, set) or origin is Sequence:
        return {"type": "array", "items": _type(args[0], defs) if args else {}}
    if origin in (dict, Mapping) or (isinstance(origin, type) and issubclass(origin, Mapping)):
        return {"type": "object", "additionalProperties": _type(args[1], defs) if len(args) == 2 else {}}
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
