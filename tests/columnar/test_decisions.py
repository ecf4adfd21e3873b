"""Every decision concept carries both forms, and a concept without its columnar form cannot be defined."""

from __future__ import annotations

import importlib
import inspect

import pytest

from postsale import DefinitionError, PostsaleError
from postsale._columnar import COLUMNAR_FORM, decision, is_decision

CONTEXTS = ("health", "touch", "renewal", "triggers", "journey", "cadence", "kpi", "review")
EXPECTED = {
    "health": {"Bands", "Linear", "BoundedLinear", "MissingData", "Component", "HealthModel", "BandPolicy"},
    "renewal": {"StateOrder", "Runway", "ForecastRule", "ForecastRules"},
    "touch": {"Scorer"},
}


def _public_classes() -> dict[str, type]:
    found: dict[str, type] = {}
    for context in CONTEXTS:
        module = importlib.import_module(f"postsale.{context}")
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj):
                found[f"{context}.{name}"] = obj
    return found


PUBLIC = _public_classes()


def test_the_decision_concepts_are_decisions() -> None:
    """The scoring kinds, policies, band policy, renewal state order, forecast rules and touch scorer are marked."""
    missing = sorted(f"{c}.{n}" for c, names in EXPECTED.items() for n in names if not is_decision(PUBLIC[f"{c}.{n}"]))
    assert [] == missing


def test_every_trigger_condition_kind_is_a_decision() -> None:
    """Every condition kind of the registry carries its columnar form."""
    from postsale.triggers._conditions import CONDITION_KINDS

    assert CONDITION_KINDS
    assert all(is_decision(kind) for kind in CONDITION_KINDS)


@pytest.mark.parametrize("name", sorted(n for n, c in PUBLIC.items() if is_decision(c)))
def test_every_marked_class_has_both_forms(name: str) -> None:
    """A marked class has its scalar method and its columnar ``expr`` method."""
    cls = PUBLIC[name]
    assert callable(getattr(cls, cls.__postsale_decision__))  # type: ignore[attr-defined]
    assert callable(getattr(cls, COLUMNAR_FORM))


def test_a_concept_without_its_columnar_form_is_refused() -> None:
    """Defining a decision with only its scalar form raises a DefinitionError (a PostsaleError) naming the form."""
    with pytest.raises(DefinitionError, match="columnar form is missing") as refused:

        @decision("points")
        class OnlyScalar:
            def points(self, value: float) -> float:
                return value

    assert isinstance(refused.value, PostsaleError)
    assert "OnlyScalar.expr" in str(refused.value)
