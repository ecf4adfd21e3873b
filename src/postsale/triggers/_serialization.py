"""Plain-data hooks for the triggers context (private), all in one place.

* Conditions are written with a ``"kind"`` tag (``{"kind": "threshold", "signal": ..., ...}``), for the
  :data:`~postsale.triggers.Condition` union and for each condition class alike; every tag comes from
  :data:`~postsale.triggers._conditions.CONDITION_KINDS`. A concrete class reads its own data back (its tag is
  optional there, and must be its own: ``from_data(Threshold, to_data(threshold))`` works); the union reads any
  kind and reports an unknown one with the kinds that exist.
* A rule set is a configuration: its data carries a ``"schema_version"`` (see ``postsale._convert``).
* Evidence values are a number, a string or null.
* A rule set validates itself when built: its :class:`~postsale.DefinitionError` (every problem with its path) is
  let through as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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

    def unstructure_condition(value: Any) -> Any:
        return converter.unstructure(value, type(value))

    def structure_condition(data: Any, _t: Any) -> Any:
        if not isinstance(data, Mapping):
            raise ValueError(f"a condition must be an object with a 'kind' ({_kinds()}), got {type(data).__name__}")
        kind = data.get("kind")
        cls = BY_KIND.get(kind) if isinstance(kind, str) else None
        if cls is None:
            missing = "a condition needs a 'kind'" if kind is None else f"unknown condition kind {kind!r}"
            raise ValueError(f"{missing}; use one of {_kinds()}")
        return converter.structure(data, cls)

    # The union first: the class hooks generated below look up the hook of their nested conditions then.
    converter.register_unstructure_hook_func(_is_condition_union, unstructure_condition)
    converter.register_structure_hook_func(_is_condition_union, structure_condition)
    for cls in CONDITION_KINDS:
        _convert.register_tagged(cls, cls.kind)

    inner = _convert.structure_fields(RuleSet)

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

    _convert.configuration_hook(RuleSet, structure_rule_set)


_convert.register(_setup)
