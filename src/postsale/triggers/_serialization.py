"""Plain-data hooks for the triggers context (private), all in one place.

* Conditions are written with a ``"kind"`` tag (``{"kind": "threshold", "signal": ..., ...}``), for the
  :data:`~postsale.triggers.Condition` union and for each condition class alike; every tag comes from
  :data:`~postsale.triggers._conditions.CONDITION_KINDS`. A concrete class reads its own data back (its tag is
  optional there, and must be its own); the union reads any kind and reports an unknown one with the kinds that
  exist.
* Evidence values are a number, a string or null.
* A rule set validates itself when built: its :class:`~postsale.DefinitionError` (every problem with its path) is
  let through as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs
import cattrs
from cattrs.errors import ClassValidationError

from postsale import _convert
from postsale._errors import DefinitionError, Problem
from postsale.triggers._conditions import BY_KIND, CONDITION_KINDS, Condition
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


def _kinds() -> str:
    return ", ".join(BY_KIND)


def _setup(converter: cattrs.Converter) -> None:
    converter.register_structure_hook_func(_is_evidence_value, _structure_evidence_value)

    def unstructure_condition(value: Any) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": value.kind}
        for field in attrs.fields(type(value)):
            data[field.name] = converter.unstructure(getattr(value, field.name))
        return data

    by_class: dict[type[Any], Callable[[Any, Any], Any]] = {}

    def structure_condition(data: Any, _t: Any) -> Any:
        if not isinstance(data, Mapping):
            raise ValueError(f"a condition must be an object with a 'kind' ({_kinds()}), got {type(data).__name__}")
        kind = data.get("kind")
        cls = BY_KIND.get(kind) if isinstance(kind, str) else None
        if cls is None:
            missing = "a condition needs a 'kind'" if kind is None else f"unknown condition kind {kind!r}"
            raise ValueError(f"{missing}; use one of {_kinds()}")
        return by_class[cls](data, cls)

    # The union first: the class hooks generated below look up the hook of their nested conditions then.
    converter.register_unstructure_hook_func(_is_condition_union, unstructure_condition)
    converter.register_structure_hook_func(_is_condition_union, structure_condition)
    for cls in CONDITION_KINDS:
        converter.register_unstructure_hook(cls, unstructure_condition)
        by_class[cls] = _tagged(cls, converter.gen_structure_attrs_fromdict(cls))
        converter.register_structure_hook(cls, by_class[cls])

    inner = converter.gen_structure_attrs_fromdict(RuleSet)

    def structure_rule_set(data: Any, t: Any) -> RuleSet:
        # A rule set validates itself when built and lists every problem with its path: let that error through
        # as it is rather than wrapped as one problem at "$".
        if isinstance(data, Mapping) and "bands" in data:
            raise DefinitionError(
                "the rule set is invalid",
                [Problem("$.bands", "band cut-offs are no longer part of a rule set; they are the health model's")],
                hint="move them to the health model's bands (postsale.health.BandPolicy) and remove them here",
            )
        try:
            result: RuleSet = inner(data, t)
        except ClassValidationError as exc:
            if len(exc.exceptions) == 1 and isinstance(exc.exceptions[0], DefinitionError):
                raise exc.exceptions[0] from None
            raise
        return result

    converter.register_structure_hook(RuleSet, structure_rule_set)


def _tagged(cls: type[Any], fields: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """Return the structure hook of condition class ``cls``: its ``kind`` tag, when given, must be its own."""
    kind = cls.kind

    def structure(data: Any, t: Any) -> Any:
        if isinstance(data, Mapping) and "kind" in data:
            if data["kind"] != kind:
                raise ValueError(
                    f"kind {data['kind']!r} is not the kind of {cls.__name__} ({kind!r}); "
                    f"read it as a Condition, or write kind {kind!r}"
                )
            data = {k: v for k, v in data.items() if k != "kind"}
        return fields(data, t)

    return structure


_convert.register(_setup)
