"""Converter hooks for the tagged union of conditions: ``{"kind": "threshold", "signal": ..., ...}``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import cattrs
from cattrs.errors import ClassValidationError

from postsale import _convert
from postsale._errors import DefinitionError
from postsale.triggers._conditions import BY_KIND, CONDITION_CLASSES, Condition
from postsale.triggers._rules import RuleSet

__all__: list[str] = []


def _is_condition_union(t: Any) -> bool:
    return bool(t == Condition)


def _is_evidence_value(t: Any) -> bool:
    return bool(t == (float | str | None))


def _structure_evidence_value(value: Any, _t: Any) -> float | str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise ValueError(f"expected a number, a string or null, got {value!r}")


def _setup(converter: cattrs.Converter) -> None:
    converter.register_structure_hook_func(_is_evidence_value, _structure_evidence_value)

    def unstructure_condition(value: Any) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": value.kind}
        for field in attrs.fields(type(value)):
            data[field.name] = converter.unstructure(getattr(value, field.name))
        return data

    def structure_condition(data: Any, _t: Any) -> Any:
        if not isinstance(data, Mapping):
            raise ValueError(f"a condition must be an object with a 'kind', got {type(data).__name__}")
        kind = data.get("kind")
        cls = BY_KIND.get(kind) if isinstance(kind, str) else None
        if cls is None:
            raise ValueError(f"unknown condition kind {kind!r}; use one of {', '.join(BY_KIND)}")
        return converter.structure({k: v for k, v in data.items() if k != "kind"}, cls)

    for cls in CONDITION_CLASSES:
        converter.register_unstructure_hook(cls, unstructure_condition)
    converter.register_unstructure_hook_func(_is_condition_union, unstructure_condition)
    converter.register_structure_hook_func(_is_condition_union, structure_condition)

    inner = converter.gen_structure_attrs_fromdict(RuleSet)

    def structure_rule_set(data: Any, t: Any) -> RuleSet:
        # A rule set validates itself when built and lists every problem with its path: let that error through
        # as it is rather than wrapped as one problem at "$".
        try:
            result: RuleSet = inner(data, t)
        except ClassValidationError as exc:
            if len(exc.exceptions) == 1 and isinstance(exc.exceptions[0], DefinitionError):
                raise exc.exceptions[0] from None
            raise
        return result

    converter.register_structure_hook(RuleSet, structure_rule_set)


_convert.register(_setup)
