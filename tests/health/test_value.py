"""``HealthModel.value``: the score's value alone, for code (the trigger engine) that needs only the number."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postsale import AccountSnapshot, InvalidTypeError, InvalidValueError, PostsaleError
from postsale.health import (
    BASIC_HEALTH_MODEL,
    DEFAULT_HEALTH_MODEL,
    Band,
    Bands,
    BoundedLinear,
    Component,
    Composite,
    HealthModel,
    Linear,
    MissingAction,
    MissingData,
    NoHealthDataError,
)
from postsale.health._fast import _points_function, value_function
from tests.columnar.test_health_forms import models, rows_for, snapshot


@settings(max_examples=60)
@given(st.data())
def test_value_is_the_scores_value_to_the_last_bit_or_none_without_data(data: st.DataObject) -> None:
    """Random models (trends, composites, policies) on random rows: ``value`` is ``score().value`` exactly,
    ``None`` where ``score`` finds no usable data, and refuses exactly what ``score`` refuses."""
    model = data.draw(models())
    rows, _ = data.draw(rows_for(model))
    for row in rows:
        snap = snapshot(row)
        try:
            expected: float | None = model.score(snap).value
        except NoHealthDataError:
            expected = None
        except InvalidValueError as error:
            with pytest.raises(InvalidValueError) as caught:
                model.value(snap)
            assert (error.field, str(error)) == (caught.value.field, str(caught.value))
            continue
        assert expected == model.value(snap)


@pytest.mark.parametrize("model", [DEFAULT_HEALTH_MODEL, BASIC_HEALTH_MODEL])
def test_value_of_the_shipped_models_on_the_sample(model: object) -> None:
    """Both shipped models give, on every account of the sample, the value their full score gives."""
    from postsale.adapters.sample import sample_portfolio

    portfolio = sample_portfolio(60)
    for account in portfolio.active:
        snap = account.snapshot_on(portfolio.as_of)
        assert model.score(snap).value == model.value(snap)  # type: ignore[attr-defined]


def test_value_refuses_what_is_not_a_snapshot() -> None:
    with pytest.raises(InvalidTypeError, match="expected an AccountSnapshot"):
        DEFAULT_HEALTH_MODEL.value({"nps": 9})  # type: ignore[arg-type]


def test_value_is_none_when_no_component_has_data() -> None:
    assert DEFAULT_HEALTH_MODEL.value(AccountSnapshot("quiet", "SMB", date(2026, 3, 2))) is None


# ---- the value compiled once per model (what the trigger engine calls on every step) ---------------------------


def _outcome(value: Any, snap: Any) -> tuple[Any, ...]:
    """What computing a value gives: the number (with its sign, for 0.0), or the error's class, field and words."""
    try:
        result = value(snap)
    except PostsaleError as error:
        return (type(error).__name__, error.field, str(error))
    return ("value", result, None if result is None else math.copysign(1.0, result))


@settings(max_examples=60)
@given(st.data())
def test_the_compiled_value_is_the_models_value_to_the_last_bit(data: st.DataObject) -> None:
    """Random models (trends, composites, policies, scorings) on random rows (ages, refused values, zero
    baselines): the compiled function gives what ``value`` gives, number or error."""
    model = data.draw(models())
    rows, _ = data.draw(rows_for(model))
    compiled = value_function(model)
    for row in rows:
        snap = snapshot(row)
        assert _outcome(compiled, snap) == _outcome(model.value, snap)


_DERIVED_MODEL = HealthModel(
    (
        Composite("seats", (
            Component("active_share", "seats_active", Linear(slope=100), weight=1, relative_to="seats_purchased",
                      missing=MissingData(stale_after_days=5)),
            Component("utilisation", "seat_utilisation", BoundedLinear(worst=0, best=1), weight=1),
        ), weight=1),
        Component("renewal", "days_to_renewal", BoundedLinear(worst=0, best=365), weight=1),
        Component("tenure", "days_since_start", Bands.thresholds(below=20, at_least=[(90, 60), (365, 100)]),
                  weight=1, missing=MissingData(action=MissingAction.PENALISE, penalty_points=10)),
        Component("size", "acv", Linear(slope=0.001), weight=1, relative_to="seats_purchased"),
        Component("bought", "seats_purchased", Linear(slope=1), weight=0.5),
    ),
    name="derived", version="1",
)


@pytest.mark.parametrize("signals", [
    {}, {"seats_active": 3.0}, {"seats_purchased": 0.0}, {"seats_active_age_days": 9.0},
    {"seats_active_age_days": 2.0, "seat_utilisation": 0.5}, {"days_to_renewal": 30.0}, {"acv": 5e5},
    {"seats_active_age_days": -1.0}, {"seat_utilisation": 3.0}, {"days_since_start": 1e15},
])
@pytest.mark.parametrize("seats", [(0, 0), (10, 7), (4, 4)])
@pytest.mark.parametrize("dates", [(None, None), (date(2025, 1, 1), date(2026, 6, 1)), (date(2026, 2, 1), None)])
def test_the_compiled_value_reads_derived_signals_as_the_evidence_does(
    signals: dict[str, float], seats: tuple[int, int], dates: tuple[date | None, date | None]
) -> None:
    """Signals the snapshot derives (seats, utilisation, ACV, contract days), as values and trend baselines, given
    or overridden by the snapshot's own signals, aged or not: the same number, or the same error."""
    start, end = dates
    snap = AccountSnapshot("acme", "SMB", date(2026, 3, 2), acv=120000 if seats[0] else 0, seats_purchased=seats[0],
                           seats_active=seats[1], contract_start=start, contract_end=end, signals=signals)
    assert _outcome(value_function(_DERIVED_MODEL), snap) == _outcome(_DERIVED_MODEL.value, snap)


def test_the_compiled_value_refuses_what_is_not_a_snapshot() -> None:
    with pytest.raises(InvalidTypeError, match="expected an AccountSnapshot"):
        value_function(DEFAULT_HEALTH_MODEL)({"nps": 9})  # type: ignore[arg-type]


@pytest.mark.parametrize("scoring", [
    Bands.thresholds(below=15, at_least=[(0.3, 45), (0.7, 100)]),
    Bands((Band(0, 0, 5), Band(50, 5, 10, upper_inclusive=True))),
    Linear(slope=10),
    BoundedLinear(worst=6, best=0),
])
@pytest.mark.parametrize("value", [0.0, 0.3, 0.7, 5.0, 10.0, 7, -1.0, 11.0, 1e300, math.inf, math.nan])
def test_compiled_points_are_the_components_points_or_its_error(scoring: Any, value: Any) -> None:
    """Off the hot path (an int, a value outside every band or off the scale, infinity, NaN) the points come from
    the component itself, with its error."""
    component = Component("c", "nps", scoring, weight=1)
    assert _outcome(_points_function(component), value) == _outcome(component.points, value)
