"""The health context's columnar forms give the scalar forms' answers, row by row, on every backend.

Scorings (``Bands``, ``Linear``, ``BoundedLinear``), the missing-data and staleness policy, components (trends of a
signal over a baseline included), composite components, whole models (``HealthModel.expr`` against
``HealthModel.score`` with no pulse) and the band policy with its hysteresis, each over one frame of many rows per
example: missing and NaN signals, stale and negative ages, baselines of 0, values exactly on band ends and on the
linear scale's ends, scores exactly on the cut-offs.
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from postsale import AccountSnapshot, HealthBand, InvalidValueError
from postsale._columnar import is_decision
from postsale.health import (
    AGE_SUFFIX,
    DEFAULT_HEALTH_MODEL,
    Band,
    BandPolicy,
    Bands,
    BoundedLinear,
    Component,
    Composite,
    HealthModel,
    Linear,
    MissingAction,
    MissingData,
    NoHealthDataError,
    Scoring,
)
from tests.columnar.backends import BACKENDS, Backend, evaluate, frame
from tests.strategies.health import (
    missing_policies,
    scorings,
)

AS_OF = date(2026, 3, 31)
NAN = float("nan")
POOL = ("usage", "nps", "tickets", "sentiment", "context")

# ---- strategies -----------------------------------------------------------------------------------------------

band_policies = st.builds(
    lambda green, yellow_share, hysteresis, drop: BandPolicy(green_from=green, yellow_from=green * yellow_share,
                                                             hysteresis=hysteresis, drop_margin=drop),
    st.sampled_from([70.0, 90.0]) | st.floats(2, 100),
    st.sampled_from([40 / 70, 2 / 3]) | st.floats(0.05, 0.95),
    st.sampled_from([0.0, 10.0]) | st.floats(0, 100),
    st.sampled_from([0.0, 3.0]) | st.floats(0, 100),
)


weights_drawn = st.sampled_from([0.25, 1.0]) | st.floats(0.01, 10)


@st.composite
def one_signal(draw: st.DrawFn, name: str) -> Component:
    """A component reading one signal of the pool, or (one time in four) its trend over another signal."""
    signal = draw(st.sampled_from(POOL))
    baseline = draw(st.none() | st.none() | st.none() | st.sampled_from([s for s in POOL if s != signal]))
    return Component(name, signal, draw(scorings), draw(weights_drawn), missing=draw(missing_policies),
                     relative_to=baseline)


@st.composite
def models(draw: st.DrawFn) -> HealthModel:
    """Models of 1-5 components (signals may repeat; some trends, some composites of 1-3 parts), random weights,
    policies, band policy and any-RED rule."""
    components: list[Component | Composite] = []
    for i in range(draw(st.integers(1, 5))):
        if draw(st.integers(0, 3)) == 0:
            parts = tuple(draw(one_signal(f"p{j}")) for j in range(draw(st.integers(1, 3))))
            composite_missing = MissingData(
                action=draw(st.sampled_from(list(MissingAction))), penalty_points=draw(st.floats(0, 100)))
            components.append(Composite(f"c{i}", parts, draw(weights_drawn), missing=composite_missing))
        else:
            components.append(draw(one_signal(f"c{i}")))
    return HealthModel(tuple(components), name="m", version="1", bands=draw(band_policies),
                       red_component_makes_red=draw(st.booleans()))


def leaves(model: HealthModel) -> list[Component]:
    """The one-signal components of a model: its components, and the parts of its composites."""
    return [leaf for c in model.components for leaf in (c.parts if isinstance(c, Composite) else (c,))]


def edges(scoring: Scoring) -> list[float]:
    """Values exactly on the scoring's edges: band ends, the inputs giving 0 and 100 points, worst and best (0 for
    one band open at both ends, which has none)."""
    if isinstance(scoring, Bands):
        return [end for band in scoring.bands for end in (band.lower, band.upper) if end is not None] or [0.0]
    if isinstance(scoring, Linear):
        return [(0 - scoring.intercept) / scoring.slope, (100 - scoring.intercept) / scoring.slope]
    return [scoring.worst, scoring.best]


@st.composite
def rows_for(draw: st.DrawFn, model: HealthModel) -> tuple[list[dict[str, Any]], list[str]]:
    """Rows of signals (absent, NaN, edges, anything) and ages (absent, stale or not, negative), and the age
    columns the frame has."""
    signal_edges: dict[str, list[float]] = {}
    for c in leaves(model):
        signal_edges.setdefault(c.signal, []).extend(edges(c.scoring))  # a trend over a baseline of 1 is on them
        if c.relative_to is not None:
            signal_edges.setdefault(c.relative_to, []).extend([0.0, 1.0, 1.0, 2.0, -1.0, 5e-324])
    stale = sorted({c.missing.stale_after_days for c in leaves(model) if c.missing.stale_after_days is not None})
    aged = [s for s in signal_edges if draw(st.booleans())]
    rows = []
    for _ in range(draw(st.integers(1, 25))):
        row: dict[str, Any] = {}
        for signal, near in signal_edges.items():
            row[signal] = draw(st.one_of(st.none(), st.just(NAN), st.sampled_from(near),
                                         st.floats(-200, 200), st.floats(-1e4, 1e4)))
        for signal in aged:
            row[signal + AGE_SUFFIX] = draw(st.one_of(
                st.none(), st.sampled_from([*(float(d) for d in stale), *(d + 1.0 for d in stale), 0.0]),
                st.integers(0, 400).map(float), st.just(-1.0)))
        rows.append(row)
    return rows, [s + AGE_SUFFIX for s in aged]


def snapshot(row: dict[str, Any]) -> AccountSnapshot:
    """The snapshot of a row: its present, non-NaN values as signals."""
    present = {k: v for k, v in row.items() if v is not None and v == v}
    return AccountSnapshot("a", "SMB", AS_OF, signals=present)


# ---- scorings ---------------------------------------------------------------------------------------------------


@settings(max_examples=30)
@given(scorings, st.lists(st.one_of(st.none(), st.floats(-1e4, 1e4), st.sampled_from([0.0, 100.0])), min_size=1,
                          max_size=30), st.sampled_from(BACKENDS))
def test_scorings_match_points(scoring: Scoring, values: list[float | None], backend: Backend) -> None:
    """Each scoring's points, and where it refuses a value, are the scalar ``points`` row by row (edges included)."""
    values = [*values, *edges(scoring)]
    native = frame([{"x": v} for v in values], {"x": "float"}, backend)
    out = evaluate(native, lambda env: {"points": scoring.expr(env, env.column("x")),
                                        "bad": scoring.invalid(env, env.column("x"))})
    for value, got in zip(values, out, strict=True):
        if value is None:
            assert {"points": None, "bad": False} == got
            continue
        try:
            expected = {"points": scoring.points(value), "bad": False}
        except InvalidValueError as error:
            expected = {"points": None, "bad": True}
            assert scoring.reason(str(error.field)).startswith(f"{error.field}: ")
            assert str(error.constraint) in scoring.reason(str(error.field))
        assert expected == got


# ---- whole models ------------------------------------------------------------------------------------------------


def assert_model_matches(model: HealthModel, rows: list[dict[str, Any]], ages: list[str], backend: Backend) -> None:
    signals = sorted(set(model.signals))
    schema: dict[str, Any] = dict.fromkeys([*signals, *ages], "float")
    native = frame(rows, schema, backend)

    def exprs(env: Any) -> dict[str, Any]:
        health = model.expr(env)
        named = {"score": health.score, "band": health.band}
        named.update({f"points.{name}": e for name, e in health.components.items()})
        named.update({f"refused.{i}": r.bad for i, r in enumerate(health.refused)})
        named.update({f"part.{name}": e for name, e in health.parts.items()})
        return named

    out = evaluate(native, exprs, as_of=AS_OF)
    from postsale._columnar import Env

    refusals = model.expr(Env(list(schema), as_of=AS_OF)).refused
    for row, got in zip(rows, out, strict=True):
        refused = [r.reason for i, r in enumerate(refusals) if got[f"refused.{i}"]]
        try:
            score = model.score(snapshot(row))
        except NoHealthDataError:
            assert (None, None, [], [None] * len(model.components)) == (
                got["score"], got["band"], refused, [got[f"points.{c.name}"] for c in model.components])
            assert all(v is None for k, v in got.items() if k.startswith("part."))
            continue
        except InvalidValueError as error:
            assert any(reason.startswith(f"{error.field}: ") for reason in refused), (error, refused)
            continue
        assert [] == refused
        assert (score.value, score.band.name) == (got["score"], got["band"])
        assert [r.points for r in score.components] == [got[f"points.{c.name}"] for c in model.components]
        assert {f"part.{r.name}.{p.name}": p.points for r in score.components for p in r.parts} == {
            k: v for k, v in got.items() if k.startswith("part.")}


@settings(max_examples=40)
@given(st.data(), st.sampled_from(BACKENDS))
def test_models_match_score(data: st.DataObject, backend: Backend) -> None:
    """``HealthModel.expr`` equals ``HealthModel.score`` (no pulse) on every row: score to the last bit, band,
    component points, unscored rows null, and exactly the rows the scalar path refuses reported."""
    model = data.draw(models())
    rows, ages = data.draw(rows_for(model))
    assert_model_matches(model, rows, ages, backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_default_model_matches_score(backend: Backend) -> None:
    """The default model on boundary rows: seat bands, NPS 0-10 ends, stale at 30 / 90 days, missing, off-scale."""
    rows: list[dict[str, Any]] = []
    for usage, nps, context, age in itertools.product(
        (None, 0.0, 0.3, 0.69, 0.7, 1.2), (None, NAN, 0.0, 7.0, 9.0, 10.0, 11.0), (None, 0.0, 100.0, 100.5),
        (None, 30.0, 31.0, 90.0, 91.0),
    ):
        rows.append({"seat_utilisation": usage, "nps": nps, "business_context": context, "sentiment": 55.0,
                     "nps_age_days": age, "seat_utilisation_age_days": age})
    rows.append({"seat_utilisation": None, "nps": None, "business_context": None, "sentiment": None})
    assert_model_matches(DEFAULT_HEALTH_MODEL, rows, ["nps_age_days", "seat_utilisation_age_days"], backend)


# ---- the band policy -------------------------------------------------------------------------------------------

CUT_OFFS = [0.0, 36.9, 37.0, 39.9, 40.0, 49.9, 50.0, 66.9, 67.0, 69.9, 70.0, 79.9, 80.0, 100.0]


@settings(max_examples=30)
@given(band_policies, st.lists(st.tuples(st.none() | st.sampled_from(CUT_OFFS) | st.floats(0, 100),
                                         st.sampled_from([None, *HealthBand])), min_size=1, max_size=30),
       st.sampled_from(BACKENDS))
@example(BandPolicy(), [(score, previous) for score in CUT_OFFS for previous in (None, *HealthBand)], "polars")
@example(BandPolicy(hysteresis=0, drop_margin=0), [(s, p) for s in CUT_OFFS for p in (None, *HealthBand)], "duckdb")
def test_band_policy_matches_band(
    policy: BandPolicy, rows: list[tuple[float | None, HealthBand | None]], backend: Backend
) -> None:
    """``BandPolicy.expr`` gives ``band(score, previous=...)`` by name: cut-offs exactly on 40 and 70, the
    hysteresis ends, with and without a previous band, null where the score is null."""
    edge_scores = [policy.yellow_from, policy.green_from, policy.yellow_from + policy.hysteresis,
                   policy.green_from + policy.hysteresis, policy.yellow_from - policy.drop_margin,
                   policy.green_from - policy.drop_margin]
    rows = [*rows, *((s, p) for s in edge_scores if 0 <= s <= 100 for p in (None, *HealthBand))]
    data = [{"health": s, "previous.band": None if p is None else p.name} for s, p in rows]
    native = frame(data, {"health": "float", "previous.band": "str"}, backend)
    out = evaluate(native, lambda env: {"with": policy.expr(env, env.health(), env.previous("band")),
                                        "plain": policy.expr(env, env.health())})
    for (score, previous), got in zip(rows, out, strict=True):
        expected = None if score is None else policy.band(score, previous=previous).name
        plain = None if score is None else policy.band(score).name
        assert {"with": expected, "plain": plain} == got


def test_band_policy_without_previous_column_is_a_first_evaluation() -> None:
    """A frame without ``previous.band`` bands every score plainly (an account's first evaluation)."""
    native = frame([{"health": 45.0}, {"health": 39.9}], {"health": "float"}, "polars")
    out = evaluate(native, lambda env: {"band": BandPolicy().expr(env, env.health(), env.previous("band"))})
    assert [{"band": "YELLOW"}, {"band": "RED"}] == out


# ---- decisions ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cls", [Band, Bands, Linear, BoundedLinear, MissingData, BandPolicy, Component, Composite, HealthModel]
)
def test_health_concepts_are_decisions(cls: type) -> None:
    """Every health decision carries its scalar and columnar forms side by side."""
    assert is_decision(cls)
