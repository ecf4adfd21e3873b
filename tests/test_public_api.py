"""The public API as a whole: one meaning per name, documented examples, values that pickle, explanations as lists.

The API is discovered from ``postsale.__all__`` and the ``__all__`` of every public subpackage, so a new name
is covered automatically. A context whose names do not meet a rule yet is marked ``xfail`` (not strict) in
:data:`PENDING`; remove its entry once the context is done, so the rule holds from then on.
"""

from __future__ import annotations

import importlib
import inspect
import pickle
import re
import typing
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from types import ModuleType
from typing import Any

import attrs
import pytest

import postsale

SUBPACKAGES = ("journey", "health", "touch", "renewal", "triggers", "cadence", "kpi", "review", "signals")
"""The public subpackages (and modules) of postsale, besides the top-level namespace."""

CONTEXTS = ("kernel", *SUBPACKAGES)
"""Where a public class or function is defined: a subpackage, or the shared kernel (``postsale._*``)."""

PENDING: dict[str, dict[str, str]] = {
    "examples": dict.fromkeys(
        (),
        "the context's public classes and functions are getting their Examples sections",
    ),
    "explain": {},
}
"""Rules a context does not meet yet, with the reason: the lead removes an entry when the context is done."""


def _namespaces() -> dict[str, ModuleType]:
    spaces = {"postsale": postsale}
    spaces.update({f"postsale.{name}": importlib.import_module(f"postsale.{name}") for name in SUBPACKAGES})
    return spaces


NAMESPACES = _namespaces()


def _public_names(module: ModuleType) -> list[str]:
    """``__all__``, or for a module of constants without one (``postsale.signals``) its upper-case names."""
    names = getattr(module, "__all__", None)
    if names is None:
        return sorted(n for n in vars(module) if n.isupper() and not n.startswith("_"))
    return list(names)


PUBLIC: list[tuple[str, str, Any]] = [
    (space, name, getattr(module, name)) for space, module in NAMESPACES.items() for name in _public_names(module)
]
"""(namespace, name, object) for every public name."""


def _context(obj: Any) -> str:
    """The context that defines a class or function (``kernel`` for ``postsale._errors`` and the like)."""
    parts = getattr(obj, "__module__", "").split(".")
    if len(parts) > 1 and parts[0] == "postsale" and parts[1] in SUBPACKAGES:
        return parts[1]
    return "kernel"


def _classes_and_functions() -> dict[str, dict[str, Any]]:
    """Public classes and functions by defining context, each once (``qualified name -> object``)."""
    found: dict[str, dict[str, Any]] = {context: {} for context in CONTEXTS}
    for _space, _name, obj in PUBLIC:
        if inspect.isclass(obj) or inspect.isfunction(obj):
            found[_context(obj)][f"{obj.__module__}.{obj.__qualname__}"] = obj
    return found


DEFINED = _classes_and_functions()
CLASSES = [obj for by_name in DEFINED.values() for obj in by_name.values() if inspect.isclass(obj)]


def _per_context(rule: str) -> list[Any]:
    """One parameter per context, marked xfail when the context is pending for ``rule``."""
    params = []
    for context in CONTEXTS:
        reason = PENDING.get(rule, {}).get(context)
        marks = [pytest.mark.xfail(strict=False, reason=reason)] if reason else []
        params.append(pytest.param(context, marks=marks, id=context))
    return params


def _class_id(cls: type) -> str:
    return f"{_context(cls)}.{cls.__qualname__}"


# ---- (a) one meaning per name --------------------------------------------------------------------------------


def test_every_public_name_exists() -> None:
    """Every name listed in an ``__all__`` is defined in its namespace, and listed once."""
    missing = [f"{space}.{name}" for space, module in NAMESPACES.items() for name in _public_names(module)
               if not hasattr(module, name)]
    repeated = [space for space, module in NAMESPACES.items()
                if len(_public_names(module)) != len(set(_public_names(module)))]
    assert ([], []) == (missing, repeated)


def test_no_public_name_means_two_things() -> None:
    """A name exported by several namespaces is the very same object in each (no two meanings per name)."""
    seen: dict[str, list[tuple[str, Any]]] = {}
    for space, name, obj in PUBLIC:
        seen.setdefault(name, []).append((space, obj))
    clashes = {
        name: sorted(space for space, _ in spaces)
        for name, spaces in seen.items()
        if len({id(obj) for _, obj in spaces}) > 1
    }
    assert {} == clashes


# ---- (b) examples --------------------------------------------------------------------------------------------

_EXAMPLES = re.compile(r"^\s*Examples:\s*$(?P<body>.*)", re.MULTILINE | re.DOTALL)


def _has_examples(obj: Any) -> bool:
    doc = obj.__doc__ or ""
    match = _EXAMPLES.search(doc)
    return match is not None and ">>>" in match.group("body")


@pytest.mark.parametrize("context", _per_context("examples"))
def test_every_public_class_and_function_has_examples(context: str) -> None:
    """Every public class and function has an ``Examples:`` section with at least one ``>>>`` line."""
    missing = sorted(name for name, obj in DEFINED[context].items() if not _has_examples(obj))
    assert [] == missing


# ---- (c) values and errors pickle ----------------------------------------------------------------------------


def _extras() -> list[Any]:
    """Instances of the public classes the documented examples leave none of."""
    from postsale import cadence, journey, kpi, touch, triggers

    threshold = triggers.Threshold("health_score", "<", 40.0)
    extras: list[Any] = [
        cadence.Anchors(),
        cadence.ContactPreferences(),
        cadence.EngagementTargets(),
        cadence.proactive_share(30.0, 10.0),
        journey.Journey.start("acme", "SMB", on=date(2026, 1, 5)).tracks["core"],
        journey.JourneyDefinition(),
        kpi.csat([5, 4, 2]),
        touch.FactorScore("acv", "acv", 150000, "ACV >= 100,000", 5),
        triggers.AnyOf((threshold,)),
        triggers.Not(threshold),
        triggers.DaysSince("contract_start", 30),
        triggers.Context(),
    ]
    review = importlib.import_module("postsale.review")
    if hasattr(review, "ReviewError"):
        extras.append(review.ReviewError("acme", 3, "InvalidValueError: acv=-5: is negative", field="acv"))
    return extras


@pytest.fixture(scope="module")
def instances() -> dict[type, Any]:
    """One instance per public attrs class: harvested from the documented examples, plus :func:`_extras`."""
    from tests.notebook.examples import harvest

    found = harvest()
    for value in _extras():
        found.setdefault(type(value), value)
    return found


ATTRS_CLASSES = [cls for cls in CLASSES if attrs.has(cls)]


@pytest.mark.parametrize("cls", ATTRS_CLASSES, ids=_class_id)
def test_every_public_value_pickles_equal(cls: type, instances: dict[type, Any]) -> None:
    """An instance of every public value type survives pickling unchanged (it can travel to worker processes)."""
    value = instances.get(cls)
    assert value is not None, f"no instance of {cls.__qualname__}: add one to _extras() or to a documented example"
    assert value == pickle.loads(pickle.dumps(value))


def _realistic_errors() -> dict[str, Callable[[], BaseException]]:
    """A realistic instance of every public error class, by class name."""
    from postsale import (
        DefinitionError,
        InvalidTypeError,
        InvalidValueError,
        MissingDependencyError,
        NaiveDatetimeError,
        OutOfOrderError,
        PostsaleError,
        Problem,
        Stage,
        StorageError,
        StructureError,
        TransitionRefused,
        UnknownNameError,
    )

    def no_health_data() -> BaseException:
        from postsale.health import NoHealthDataError

        return NoHealthDataError("acme", ("usage", "sentiment"), ("logins_week", "nps"))

    return {
        "PostsaleError": lambda: PostsaleError("cannot review the account", field="account_id", value="acme"),
        "InvalidValueError": lambda: InvalidValueError(
            "is negative", field="acv", value=Decimal("-5"), constraint="must be >= 0", hint="pass the ACV"
        ),
        "InvalidTypeError": lambda: InvalidTypeError("expected a date", field="as_of", value="2026-13-01"),
        "NaiveDatetimeError": lambda: NaiveDatetimeError(
            "has no time zone", field="due_at", value="2026-03-02T09:00", hint="attach a ZoneInfo"
        ),
        "OutOfOrderError": lambda: OutOfOrderError(
            "is before the last event", field="on", value=date(2026, 1, 4), constraint="events in time order"
        ),
        "MissingDependencyError": lambda: MissingDependencyError(
            "polars is not installed", field="engine", value="polars", hint="pip install 'postsale[polars]'"
        ),
        "StorageError": lambda: StorageError(
            "cannot be opened: database is locked", field="--state", value="postsale.duckdb", hint="wait for it"
        ),
        "UnknownNameError": lambda: UnknownNameError(
            "is not a segment", field="segment", value="GIANT", hint="one of ENTERPRISE, MID_MARKET, SMB, PRODUCT_LED"
        ),
        "DefinitionError": lambda: DefinitionError(
            "invalid journey definition",
            [Problem("$.exit_criteria.ADVOCACY", "Advocacy is the last stage: nothing to exit to")],
            hint="fix every listed entry",
        ),
        "StructureError": lambda: StructureError(
            "could not build JourneyDefinition from data", [Problem("$.version", "invalid value")], hint="fix it"
        ),
        "TransitionRefused": lambda: TransitionRefused(
            "Onboarding -> Adoption refused for track 'core': unmet criteria go_live_confirmed",
            track="core", from_stage=Stage.ONBOARDING, to_stage=Stage.ADOPTION, missing=("go_live_confirmed",),
            hint="meet the criteria first",
        ),
        "NoHealthDataError": no_health_data,
    }


ERROR_CLASSES = sorted(
    {obj for _space, _name, obj in PUBLIC if inspect.isclass(obj) and issubclass(obj, BaseException)},
    key=lambda cls: cls.__qualname__,
)


@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=_class_id)
def test_every_public_error_pickles_equal(cls: type[BaseException]) -> None:
    """A realistic instance of every public error class unpickles equal, with its message and attributes."""
    make = _realistic_errors().get(cls.__name__)
    assert make is not None, f"no realistic {cls.__name__}: add one to _realistic_errors()"
    error = make()
    again = pickle.loads(pickle.dumps(error))
    assert (type(error), str(error), error) == (type(again), str(again), again)


# ---- (d) explanations ----------------------------------------------------------------------------------------


def _explained(context: str) -> list[type]:
    classes = [obj for obj in DEFINED[context].values() if inspect.isclass(obj)]
    return [cls for cls in classes if callable(getattr(cls, "explain", None))]


def _returns_list_of_str(method: Any) -> bool:
    return typing.get_type_hints(method).get("return") == list[str]


@pytest.mark.parametrize("context", _per_context("explain"))
def test_explain_is_declared_to_return_sentences(context: str) -> None:
    """Every public class with ``explain()`` declares it returns ``list[str]``."""
    wrong = sorted(cls.__qualname__ for cls in _explained(context) if not _returns_list_of_str(cls.explain))
    assert [] == wrong


@pytest.mark.parametrize("context", _per_context("explain"))
def test_explain_returns_sentences(context: str, instances: dict[type, Any]) -> None:
    """``explain()`` of every public class that has one returns a list of strings."""
    wrong = []
    for cls in _explained(context):
        value = instances.get(cls)
        if value is None:
            continue  # covered by the pickling test, which asks for an instance of every value class
        result = value.explain()
        if not (isinstance(result, list) and all(isinstance(line, str) for line in result)):
            wrong.append(f"{cls.__qualname__} -> {type(result).__name__}")
    assert [] == wrong
