"""Wrong-typed arguments to health's public methods raise a PostsaleError naming the argument (found by the fuzzer)."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import narwhals.stable.v2 as nw
import pytest

from postsale import AccountSnapshot, HealthBand, InvalidTypeError, InvalidValueError, UnknownNameError
from postsale._columnar import Env
from postsale.health import (
    BASIC_HEALTH_MODEL,
    Band,
    BandPolicy,
    Bands,
    BoundedLinear,
    HealthScore,
    Linear,
)

ENV = Env(["x"], as_of=date(2026, 1, 1))
SEATS = Bands.thresholds(below=15, at_least=[(0.3, 45), (0.5, 65), (0.7, 100)])
SCORINGS = (SEATS, Linear(slope=10), BoundedLinear(worst=6, best=0))


@pytest.mark.parametrize("scoring", SCORINGS, ids=lambda s: type(s).__name__)
@pytest.mark.parametrize("method", ["expr", "invalid"])
def test_columnar_forms_refuse_an_env_that_is_not_an_env(scoring: Any, method: str) -> None:
    """expr(env=()) and invalid(env=()) name 'env', not AttributeError: 'tuple' object has no attribute 'nw'."""
    with pytest.raises(InvalidTypeError) as info:
        getattr(scoring, method)((), nw.col("x"))
    assert "env" == info.value.field


@pytest.mark.parametrize("scoring", [*SCORINGS, Band(40, 0.3, 0.5)], ids=lambda s: type(s).__name__)
@pytest.mark.parametrize("value", ["", 2, Decimal("1e400"), None])
def test_columnar_forms_refuse_a_value_that_is_not_an_expression(scoring: Any, value: Any) -> None:
    """expr(env, value=2) names 'value' (a number is not a column): no AttributeError on is_null or clip."""
    with pytest.raises(InvalidTypeError) as info:
        scoring.expr(ENV, value)
    assert "value" == info.value.field


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("sNaN"), math.nan])
def test_band_contains_refuses_nan(value: Any) -> None:
    """A NaN is in no band: contains, band_of and describe refuse it (no decimal.InvalidOperation)."""
    for call in (lambda: Band(40, 0.3, 0.5).contains(value), lambda: SEATS.band_of(value),
                 lambda: SEATS.describe(value)):
        with pytest.raises(InvalidValueError):
            call()


@pytest.mark.parametrize("value", [{}, date(2026, 1, 1), "0.4"])
def test_band_contains_refuses_what_is_not_a_number(value: Any) -> None:
    """contains({}) names 'value' instead of comparing a dict with a float."""
    with pytest.raises(InvalidTypeError) as info:
        SEATS.band_of(value)
    assert "value" == info.value.field


def test_band_contains_takes_ints_and_decimals_as_numbers() -> None:
    """An int or a Decimal is compared as the float it stands for."""
    assert Band(100, 9, 10, upper_inclusive=True).contains(10)
    assert SEATS.band_of(Decimal("0.7")) == SEATS.bands[-1]  # type: ignore[arg-type]
    assert SEATS.describe(Decimal("0.7"), "seats") == "seats >= 0.7 → 100 points"  # type: ignore[arg-type]


@pytest.mark.parametrize("at_least", [-48, [(0.3, 45), (0.5, 65, 0.5)], [(0.3, 45), 7], "ab"])
def test_thresholds_refuse_what_is_not_a_list_of_pairs(at_least: Any) -> None:
    """Bands.thresholds(at_least=-48) asks for (threshold, points) pairs instead of failing to unpack."""
    with pytest.raises(InvalidTypeError) as info:
        Bands.thresholds(below=15, at_least=at_least)
    assert (info.value.field or "").startswith("at_least")


def test_band_policy_refuses_a_previous_band_that_is_not_a_band() -> None:
    """band(previous=()) is an unknown band; a band's name is accepted like the band."""
    with pytest.raises(UnknownNameError) as info:
        BandPolicy().band(50.0, previous=())  # type: ignore[arg-type]
    assert "previous" == info.value.field
    assert BandPolicy().band(50.0, previous="RED") is HealthBand.YELLOW  # type: ignore[arg-type]


def test_band_policy_takes_a_decimal_score_with_a_previous_band() -> None:
    """A Decimal score minus the hysteresis is float arithmetic, not a TypeError."""
    assert BandPolicy().band(Decimal("50"), previous=HealthBand.RED) is HealthBand.YELLOW  # type: ignore[arg-type]


POLICY: Any = BandPolicy()
MODEL: Any = BASIC_HEALTH_MODEL


@pytest.mark.parametrize("call", [
    lambda: POLICY.expr({}, nw.col("x")),
    lambda: POLICY.expr(ENV, None),
    lambda: POLICY.expr(ENV, nw.col("x"), previous_band="RED"),
    lambda: MODEL.expr({}),
    lambda: MODEL.band_expr((), nw.col("x")),
    lambda: MODEL.band_expr(ENV, 2),
])
def test_model_and_policy_columnar_forms_check_their_arguments(call: Any) -> None:
    """The model's and the band policy's columnar forms refuse a wrong env or score with InvalidTypeError."""
    with pytest.raises(InvalidTypeError):
        call()


@pytest.mark.parametrize(("argument", "value"), [("snapshots", Decimal("1e400")), ("pulses", "x"),
                                                  ("observed", 5)])
def test_score_many_checks_its_collections(argument: str, value: Any) -> None:
    """score_many names a snapshots argument that is not a collection and pulses / observed that are not
    mappings; bad items inside are failures of their account, as before."""
    arguments: dict[str, Any] = {"snapshots": [], argument: value}
    with pytest.raises(InvalidTypeError) as info:
        BASIC_HEALTH_MODEL.score_many(**arguments)
    assert argument == info.value.field


def test_score_many_still_reports_bad_items_as_failures() -> None:
    """A non-snapshot item is a failure at its index; the good account is scored."""
    good = AccountSnapshot("acme", "SMB", date(2026, 1, 31), signals={"nps": 9})
    batch = BASIC_HEALTH_MODEL.score_many([good, "x"])  # type: ignore[list-item]
    assert (1, 1) == (len(batch.scores), len(batch.failures))


def test_a_score_given_decimal_values_keeps_floats() -> None:
    """HealthScore(computed_value=Decimal('1')) holds a float, so drivers() and explain() do float arithmetic."""
    score = BASIC_HEALTH_MODEL.score(AccountSnapshot("acme", "SMB", date(2026, 1, 31), signals={"nps": 9}))
    kwargs = {a.name: getattr(score, a.name) for a in attrs.fields(HealthScore)}
    again = HealthScore(**{**kwargs, "computed_value": Decimal("1"), "coverage": Decimal("1")})
    assert (1.0, float, float) == (again.computed_value, type(again.computed_value), type(again.coverage))
    assert again.drivers() and again.explain()
