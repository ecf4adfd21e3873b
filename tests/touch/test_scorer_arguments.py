"""Wrong-typed arguments to the touch scorer give a PostsaleError naming the argument, never a builtin one."""

from __future__ import annotations

from datetime import date
from types import MappingProxyType
from typing import Any

import pytest

from postsale import InvalidTypeError, InvalidValueError, TouchModel, UnknownNameError
from postsale._columnar import Env
from postsale.touch import BusinessProfile, Scorer, assess

PROFILE = BusinessProfile(acv=5_000, complexity="LOW", gross_margin=0.5, positioning="VALUE", segment="ENTERPRISE",
                          accounts_per_csm=200)
ENV = Env(["acv", "segment"], as_of=date(2026, 11, 1))


@pytest.mark.parametrize("overrides", [-48, "enterprise", {"a": 1}])
def test_scorer_refuses_overrides_or_factors_that_are_not_a_collection(overrides: Any) -> None:
    """Scorer(overrides=...) and Scorer(factors=...) name the argument."""
    for field in ("overrides", "factors"):
        with pytest.raises(InvalidTypeError) as info:
            Scorer(**{field: overrides})
        assert field == info.value.field


def test_apply_overrides_reads_a_model_name_and_refuses_what_is_not_a_model() -> None:
    """``model="tech"`` is TouchModel.TECH; a mapping is an unknown model, a string profile a wrong type."""
    assert Scorer().apply_overrides(PROFILE, "tech") == Scorer().apply_overrides(PROFILE, TouchModel.TECH)
    with pytest.raises(UnknownNameError) as unknown:
        Scorer().apply_overrides(PROFILE, MappingProxyType({}))  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError) as wrong:
        Scorer().apply_overrides("", TouchModel.TECH)  # type: ignore[arg-type]
    assert ("model", "profile") == (unknown.value.field, wrong.value.field)


@pytest.mark.parametrize("env", [(), {}, None])
def test_columnar_forms_refuse_what_is_not_an_env(env: Any) -> None:
    """Scorer.expr and Scorer.stage name ``env``."""
    for call in (lambda: Scorer().expr(env, PROFILE), lambda: Scorer().stage(env)):
        with pytest.raises(InvalidTypeError) as info:
            call()
        assert "env" == info.value.field


@pytest.mark.parametrize("output", [[2, 2], None, "points"])
def test_expr_refuses_an_output_it_does_not_have(output: Any) -> None:
    """Scorer.expr names ``output`` (an unhashable one too)."""
    with pytest.raises(InvalidValueError) as info:
        Scorer().expr(ENV, PROFILE, output=output)
    assert "output" == info.value.field


@pytest.mark.parametrize("scorer", [-48, "default", 0])
def test_assess_refuses_a_scorer_that_is_not_one(scorer: Any) -> None:
    """assess(scorer=...) names ``scorer`` (a falsy one is not read as the default)."""
    with pytest.raises(InvalidTypeError) as info:
        assess(PROFILE, scorer=scorer)
    assert "scorer" == info.value.field
