"""Plain-data hooks for the health context (private), all in one place: the tagged scoring union and flat
problem lists.

* A :data:`~postsale.health.Scoring` is written with a ``"kind"`` tag (``bands``, ``linear``,
  ``bounded_linear``), as the union and as each scoring class alike; an unknown or missing kind is reported with
  the kinds that exist. A scoring class reads its own data back (the tag is optional there, and must be its own).
* A model's component is a :class:`~postsale.health.Component` or a :class:`~postsale.health.Composite`, told
  apart by the composite's ``"parts"`` (no tag, so models written before composites existed read as they were).
* Optional fields added later are left out of the data while they hold their default (a component's
  ``relative_to``, a component result's ``parts``), so data written before they existed is written the same.
* A health model is a configuration: its data carries a ``"schema_version"`` (see ``postsale._convert``).
* Loading a definition (model, component, scoring, policy) reports every problem with its full path
  (``$.components[1].scoring.bands[2].lower``), nested problems flattened into one list, as one
  :class:`~postsale.StructureError` (definition problems found by the constructors included).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import cattrs
from cattrs.errors import (
    BaseValidationError,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from postsale import _convert
from postsale._errors import DefinitionError, Problem, StructureError
from postsale.health._bands import BandPolicy
from postsale.health._component import Component, MissingData, PulsePolicy
from postsale.health._composite import Composite
from postsale.health._model import HealthModel
from postsale.health._score import ComponentResult
from postsale.health._scoring import Band, Bands, BoundedLinear, Linear, Scoring

__all__ = ["KINDS"]

KINDS: dict[type, str] = {cls: cls.kind for cls in (Bands, Linear, BoundedLinear)}
"""The ``"kind"`` tag of each scoring class."""
_BY_KIND = {tag: cls for cls, tag in KINDS.items()}
_DEFINITIONS = (
    HealthModel, Component, Composite, Band, Bands, Linear, BoundedLinear, MissingData, PulsePolicy, BandPolicy
)


def _join(path: str, sub: str) -> str:
    sub = sub.removeprefix("$")
    if not sub:
        return path
    return f"{path}{sub}" if sub.startswith(("[", ".")) else f"{path}.{sub}"


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ForbiddenExtraKeysError):
        return f"unknown field(s) {', '.join(sorted(exc.extra_fields))}; remove them"
    if isinstance(exc, KeyError):
        return "required field missing"
    return str(exc) or f"invalid value ({type(exc).__name__})"


def _flatten(exc: BaseException, path: str, out: list[Problem]) -> None:
    """Add a problem per leaf of ``exc`` (a cattrs error tree or a postsale error) under ``path``."""
    if isinstance(exc, ClassValidationError):
        named, others = exc.group_exceptions()
        subs = [(sub, f"{path}.{note.name}") for sub, note in named] + [(sub, path) for sub in others]
    elif isinstance(exc, IterableValidationError):
        indexed, rest = exc.group_exceptions()
        subs = [(sub, f"{path}[{note.index!r}]") for sub, note in indexed] + [(sub, path) for sub in rest]
    elif isinstance(exc, (DefinitionError, StructureError)):
        out.extend(Problem(_join(path, p.path), p.message) for p in exc.problems)
        return
    else:
        out.append(Problem(path, _describe(exc)))
        return
    for sub, where in subs:
        _flatten(sub, where, out)


def _flat_hook(cls: type, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    inner: Callable[[Any, Any], Any] = make_dict_structure_fn(
        cls, converter, _cattrs_forbid_extra_keys=True, _cattrs_detailed_validation=True
    )

    def structure(data: Any, _type: Any) -> Any:
        if not isinstance(data, dict):
            raise StructureError(
                f"could not build {cls.__name__} from data",
                [Problem("$", f"expected an object with the fields of {cls.__name__}, got {type(data).__name__}")],
            )
        try:
            return inner(data, cls)
        except BaseValidationError as exc:
            problems: list[Problem] = []
            _flatten(exc, "$", problems)
            raise StructureError(
                f"could not build {cls.__name__} from data", problems, hint="fix every field listed"
            ) from None

    return structure


def _structure_scoring(data: Any, _type: Any) -> Scoring:
    kinds = ", ".join(_BY_KIND)
    if not isinstance(data, dict):
        raise StructureError("could not build a scoring", [Problem("$", f"expected an object with a kind ({kinds})")])
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in _BY_KIND:
        message = "missing 'kind'" if kind is None else f"unknown kind {kind!r}"
        raise StructureError("could not build a scoring", [Problem("$.kind", f"{message}; use one of {kinds}")])
    fields = {k: v for k, v in data.items() if k != "kind"}
    result: Scoring = _convert.converter.structure(fields, _BY_KIND[kind])
    return result


def _structure_component(data: Any, _type: Any) -> Component | Composite:
    """A model's component: a composite when its data has ``parts``, else a one-signal component."""
    cls: type[Component | Composite] = Composite if isinstance(data, dict) and "parts" in data else Component
    result: Component | Composite = _convert.converter.structure(data, cls)
    return result


def _setup(converter: cattrs.Converter) -> None:
    # The union hooks first: the class hooks below are generated once and look up field hooks then.
    converter.register_unstructure_hook(Scoring, lambda value: converter.unstructure(value, type(value)))
    converter.register_structure_hook(Scoring, _structure_scoring)
    converter.register_unstructure_hook(Component | Composite, lambda value: converter.unstructure(value, type(value)))
    converter.register_structure_hook(Component | Composite, _structure_component)
    converter.register_unstructure_hook(
        Component, make_dict_unstructure_fn(Component, converter, relative_to=override(omit_if_default=True))
    )
    converter.register_unstructure_hook(
        ComponentResult, make_dict_unstructure_fn(ComponentResult, converter, parts=override(omit_if_default=True))
    )
    for cls in _DEFINITIONS:
        hook = _flat_hook(cls, converter)
        if cls in KINDS:
            _convert.register_tagged(cls, KINDS[cls], hook)
        elif cls is HealthModel:
            _convert.configuration_hook(cls, hook)
        else:
            converter.register_structure_hook(cls, hook)


_convert.register(_setup)
