"""The columnar health and touch paths give exactly the scalar paths' answers (DESIGN.md principle 6)."""

from __future__ import annotations

import math
import subprocess
import sys
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from postsale import AccountSnapshot, PostsaleError, Segment, signals
from postsale._columnar_health import (
    HEALTH_BAND_CODES,
    SEGMENT_CODES,
    TOUCH_MODEL_CODES,
    _exact_sum,
    health_columns,
    touch_columns,
)
from postsale.adapters.frame import MissingDependencyError
from postsale.health import (
    DEFAULT_HEALTH_MODEL,
    Band,
    Bands,
    BoundedLinear,
    Component,
    HealthModel,
    Linear,
    MissingAction,
    MissingData,
    NoHealthDataError,
)
from postsale.review import DEFAULT_COMPANY_PROFILE
from postsale.touch import BusinessProfile, Scorer, TouchConfig, assess
from tests.strategies.health import health_models, snapshots_for
from tests.strategies.touch import profiles
from tests.strategies.vocabulary import dates, money, segments

AS_OF = date(2026, 1, 31)
BOUNDARIES = [69.999, 70.0, 40.0, 39.999, 0.0, 100.0]


def to_columns(model: HealthModel, snaps: list[AccountSnapshot]) -> dict[str, Any]:
    """Columns of the snapshots' signals and seats (NaN where a snapshot has no such signal)."""
    names = set(signals.WELL_KNOWN) | {c.signal for c in model.components}
    names |= {c.signal + "_age_days" for c in model.components}
    names -= {signals.SEATS_PURCHASED, signals.SEATS_ACTIVE}
    columns: dict[str, Any] = {n: np.array([s.signals.get(n, np.nan) for s in snaps]) for n in sorted(names)}
    columns[signals.SEATS_PURCHASED] = np.array([s.seats_purchased for s in snaps])
    columns[signals.SEATS_ACTIVE] = np.array([s.seats_active for s in snaps])
    return columns


def assert_same(model: HealthModel, snaps: list[AccountSnapshot]) -> None:
    """Assert the columnar scores of ``snaps`` equal the scalar ones (or both refuse the input)."""
    try:
        expected = [_scalar(model, s) for s in snaps]
    except PostsaleError:
        with pytest.raises(PostsaleError):
            health_columns(to_columns(model, snaps), model)
        return
    actual = health_columns(to_columns(model, snaps), model)
    for row, score in enumerate(expected):
        if score is None:
            assert math.isnan(actual["value"][row])
            assert 0 == actual["band"][row]
            continue
        assert score.value == actual["value"][row]
        assert HEALTH_BAND_CODES.index(score.band) == actual["band"][row]
        for c in score.components:
            points = actual[f"points.{c.name}"][row]
            assert (c.points is None and math.isnan(points)) or c.points == points
            assert c.contribution == actual[f"contribution.{c.name}"][row]


def _scalar(model: HealthModel, snapshot: AccountSnapshot) -> Any:
    try:
        return model.score(snapshot)
    except NoHealthDataError:
        return None


@st.composite
def default_snapshots(draw: st.DrawFn) -> AccountSnapshot:
    """Snapshots for the default model: seats, missing signals, ages and boundary values."""
    values: dict[str, float] = {}
    for name, scale in ((signals.NPS, 10.0), (signals.BUSINESS_CONTEXT, 100.0), (signals.SENTIMENT, 100.0)):
        kind = draw(st.sampled_from(["absent", "any", "edge"]))
        if kind == "any":
            values[name] = draw(st.floats(0, scale))
        elif kind == "edge":
            values[name] = draw(st.sampled_from([*BOUNDARIES, 7.0, 9.0, 10.0]) if scale == 100 else
                                st.sampled_from([0.0, 6.999, 7.0, 8.999, 9.0, 10.0]))
        if name in values and draw(st.booleans()):
            values[name + "_age_days"] = float(draw(st.integers(0, 200)))
    if draw(st.booleans()):
        values[signals.SEAT_UTILISATION + "_age_days"] = float(draw(st.sampled_from([0, 30, 31])))
    purchased = draw(st.integers(0, 40))
    return AccountSnapshot("a", "SMB", AS_OF, seats_purchased=purchased,
                           seats_active=draw(st.integers(0, purchased + 3)), signals=values)


@given(st.lists(default_snapshots(), min_size=1, max_size=12))
def test_default_model_matches_scalar(snaps: list[AccountSnapshot]) -> None:
    """The default model scores every row exactly like HealthModel.score (missing, stale, seats, edges)."""
    assert_same(DEFAULT_HEALTH_MODEL, snaps)


@given(st.data())
def test_custom_models_match_scalar(data: st.DataObject) -> None:
    """Random custom models (bands, linear, bounded, exclude/penalise, red-makes-red) match the scalar path."""
    model = data.draw(health_models())
    snaps = data.draw(st.lists(snapshots_for(model), min_size=1, max_size=8))
    assert_same(model, snaps)


def _edge_model(red: bool) -> HealthModel:
    return HealthModel(
        (Component("a", "x", Linear(), 1.0), Component("b", "y", Bands((Band(0, None, 0), Band(50, 0, None))), 1.0,
                                                       missing=MissingData(action=MissingAction.PENALISE))),
        name="edge", version="1", red_component_makes_red=red,
    )


@pytest.mark.parametrize("red", [False, True])
@pytest.mark.parametrize("x", BOUNDARIES)
def test_band_boundaries_match_scalar(x: float, red: bool) -> None:
    """Values at and beside the 70 / 40 cut-offs band exactly like the scalar path."""
    snaps = [AccountSnapshot("a", "SMB", AS_OF, signals={"x": x, "y": y}) for y in (-1.0, 0.0, 1.0)]
    snaps.append(AccountSnapshot("a", "SMB", AS_OF, signals={"x": x}))
    assert_same(_edge_model(red), snaps)


def test_red_component_makes_red() -> None:
    """A RED scored component makes the whole RED when the model says so."""
    out = health_columns({"x": [100.0], "y": [-1.0]}, _edge_model(True))
    assert [1] == out["band"].tolist()


def test_penalised_component_counts() -> None:
    """A penalised missing component scores its penalty points."""
    out = health_columns({"x": [100.0, np.nan], "y": [np.nan, np.nan]}, _edge_model(False))
    assert ([50.0, 0.0], [0.0, 0.0]) == (out["value"].tolist(), out["points.b"].tolist())


def test_pandas_dataframe_works() -> None:
    """A pandas DataFrame is a mapping of columns."""
    df = pd.DataFrame({"nps": [9.0, 3.0], "seats_purchased": [10, 10], "seats_active": [7, 2]})
    out = health_columns(df)
    assert [100.0, 20.0] == out["value"].tolist()


def test_seat_utilisation_column_wins_over_seats() -> None:
    """A non-NaN seat_utilisation column wins over the seats, like a snapshot signal in evidence()."""
    out = health_columns({"seat_utilisation": [0.1, np.nan], "seats_purchased": [10, 10], "seats_active": [9, 9]})
    assert [15.0, 100.0] == out["value"].tolist()


def test_decimal_object_column_is_numeric() -> None:
    """An object column of numbers (Decimal, None) is read as numbers."""
    out = health_columns({"sentiment": np.array([Decimal("50"), None], dtype=object)})
    assert [50.0] == out["value"][:1].tolist()


def test_exact_sum_falls_back_on_ties() -> None:
    """A near tie is summed with math.fsum, giving its correctly rounded sum."""
    terms = [np.array([1.0, 0.0]), np.array([2.0**-53, 0.0]), np.array([2.0**-106, 0.0])]
    assert [math.fsum([1.0, 2.0**-53, 2.0**-106]), 0.0] == _exact_sum(terms).tolist()


@pytest.mark.parametrize(
    ("columns", "field"),
    [
        ({"nps": ["9"]}, "columns['nps']"),
        ({"nps": [True]}, "columns['nps']"),
        ({"nps": np.array(["x"], dtype=object)}, "columns['nps']"),
        ({"nps": [9.0, 1.0], "sentiment": [1.0]}, "columns['sentiment']"),
        ({"nps": [[9.0]]}, "columns['nps']"),
        ({"nps": [np.inf]}, "columns['nps']"),
        ({"nps": [11.0]}, "columns['nps']"),
        ({"sentiment": [101.0]}, "columns['sentiment']"),
        ({"nps": [1.0], "nps_age_days": [-1.0]}, "columns['nps_age_days']"),
        ({"seats_purchased": [1.5]}, "columns['seats_purchased']"),
        ({"seats_active": [-1]}, "columns['seats_active']"),
        ({"pulse": [50.0]}, "columns['pulse']"),
        ({"other": [1.0]}, "columns"),
    ],
)
def test_health_errors_name_the_column(columns: dict[str, Any], field: str) -> None:
    """Bad columns raise a PostsaleError naming the column."""
    with pytest.raises(PostsaleError) as caught:
        health_columns(columns)
    assert field == caught.value.field


def test_health_refuses_non_mapping() -> None:
    """Columns must be a mapping."""
    with pytest.raises(PostsaleError) as caught:
        health_columns(42)  # type: ignore[arg-type]
    assert "columns" == caught.value.field


def test_health_refuses_non_model() -> None:
    """The model must be a HealthModel."""
    with pytest.raises(PostsaleError) as caught:
        health_columns({"nps": [1.0]}, "model")  # type: ignore[arg-type]
    assert "model" == caught.value.field


def test_health_refuses_pulse_components() -> None:
    """A model whose component reads the pulse is refused: pulses are scalar-only."""
    model = HealthModel((Component("csm", "pulse", Linear(), 1.0),), name="p", version="1")
    with pytest.raises(PostsaleError) as caught:
        health_columns({"pulse": [1.0]}, model)
    assert "model.components[0].signal" == caught.value.field


def test_bounded_linear_clamps() -> None:
    """BoundedLinear clamps beyond its ends, like the scalar path."""
    model = HealthModel((Component("t", "tickets", BoundedLinear(worst=6, best=0), 1.0),), name="t", version="1")
    assert [100.0, 50.0, 0.0] == health_columns({"tickets": [-1.0, 3.0, 9.0]}, model)["value"].tolist()


# ---- touch --------------------------------------------------------------------------------------------


def assert_touch(company: BusinessProfile, expected: list[Any], out: dict[str, Any]) -> None:
    """Assert each assessment equals the row of the columnar output."""
    assert [a.total for a in expected] == out["total"].tolist()
    assert [a.model for a in expected] == [TOUCH_MODEL_CODES[c] for c in out["model"]]
    assert [a.mixed for a in expected] == out["mixed"].tolist()


acv_floats = st.sampled_from([0.0, 9_999.99, 10_000.0, 10_000.000000000002, 99_999.99, 100_000.0]) | st.floats(0, 2e6)


@given(profiles(), st.lists(st.tuples(money, segments, dates), min_size=1, max_size=10))
def test_touch_matches_scalar(company: BusinessProfile, rows: list[tuple[Decimal, Segment, date]]) -> None:
    """Decimal ACVs and segments give assess(company.for_account(snapshot)) per row."""
    snaps = [AccountSnapshot("a", seg, when, acv=acv) for acv, seg, when in rows]
    expected = [assess(company.for_account(s)) for s in snaps]
    columns = {"acv": np.array([s.acv for s in snaps], dtype=object), "segment": [s.segment for s in snaps]}
    assert_touch(company, expected, touch_columns(columns, company))


@given(profiles(), st.lists(st.tuples(acv_floats, segments), min_size=1, max_size=10))
@example(DEFAULT_COMPANY_PROFILE, [(10_000.0, Segment.SMB), (99_999.99, Segment.ENTERPRISE)])
def test_touch_float_acv_matches_scalar(company: BusinessProfile, rows: list[tuple[float, Segment]]) -> None:
    """Float ACVs (read through their repr, as the scalar path does) and segment names match per row."""
    expected = [assess(company.for_account(AccountSnapshot("a", seg, AS_OF, acv=acv))) for acv, seg in rows]
    columns = {"acv": np.array([acv for acv, _ in rows]), "segment": [seg.name for _, seg in rows]}
    assert_touch(company, expected, touch_columns(columns, company))


@given(profiles(), st.lists(st.tuples(st.integers(0, 10**6), st.none() | st.integers(0, 5000), segments),
                            min_size=1, max_size=10))
def test_touch_employees_match_scalar(company: BusinessProfile, rows: list[tuple[int, int | None, Segment]]) -> None:
    """Integer ACVs and head-counts (NaN = use the segment) match the profile with those employees."""
    expected = [
        assess(attrs.evolve(company.for_account(AccountSnapshot("a", seg, AS_OF, acv=acv)), employees=emp))
        for acv, emp, seg in rows
    ]
    columns = {
        "acv": np.array([acv for acv, _, _ in rows]),
        "employees": np.array([np.nan if emp is None else emp for _, emp, _ in rows]),
        "segment": np.array([SEGMENT_CODES.index(seg) for _, _, seg in rows]),
    }
    assert_touch(company, expected, touch_columns(columns, company))


def test_touch_employees_only() -> None:
    """Head-counts alone decide the segment."""
    company = DEFAULT_COMPANY_PROFILE
    expected = [assess(attrs.evolve(company, acv=Decimal(5000), employees=e, segment=None)) for e in (10, 5000)]
    assert_touch(company, expected, touch_columns({"acv": [5000, 5000], "employees": [10, 5000]}))


def test_touch_custom_config() -> None:
    """A scorer with its own configuration (no custom factors) is supported."""
    scorer = Scorer(TouchConfig())
    out = touch_columns({"acv": [150_000], "segment": ["ENTERPRISE"]}, scorer=scorer)
    expected = assess(attrs.evolve(DEFAULT_COMPANY_PROFILE, acv=Decimal(150_000), segment="ENTERPRISE"), scorer=scorer)
    assert_touch(DEFAULT_COMPANY_PROFILE, [expected], out)


class _Never:
    name = "never"

    def apply(self, profile: BusinessProfile, model: Any) -> None:  # pragma: no cover - never called
        return None


@pytest.mark.parametrize(
    ("columns", "kwargs", "field"),
    [
        ({"segment": ["SMB"]}, {}, "columns['acv']"),
        ({"acv": [1]}, {}, "columns['segment']"),
        ({"acv": [1, 2], "segment": ["SMB"]}, {}, "columns['segment']"),
        ({"acv": [-1.0], "segment": ["SMB"]}, {}, "columns['acv']"),
        ({"acv": np.array(["x"], dtype=object), "segment": ["SMB"]}, {}, "columns['acv'][0]"),
        ({"acv": [1], "segment": ["NOPE"]}, {}, "columns['segment']"),
        ({"acv": [1], "segment": [9]}, {}, "columns['segment']"),
        ({"acv": [1], "segment": [1.5]}, {}, "columns['segment']"),
        ({"acv": [1], "employees": [1.5]}, {}, "columns['employees']"),
        ({"acv": [1], "employees": [np.nan]}, {}, "columns['employees']"),
        ({"acv": [1], "segment": ["SMB"]}, {"company": "x"}, "company"),
        ({"acv": [1], "segment": ["SMB"]}, {"scorer": "x"}, "scorer"),
        ({"acv": [1], "segment": ["SMB"]}, {"scorer": Scorer(overrides=[_Never()])}, "scorer"),
    ],
)
def test_touch_errors_name_the_column(columns: dict[str, Any], kwargs: dict[str, Any], field: str) -> None:
    """Bad columns or arguments raise a PostsaleError naming the field."""
    with pytest.raises(PostsaleError) as caught:
        touch_columns(columns, **kwargs)
    assert field == caught.value.field


def test_seat_counts_are_signals_too() -> None:
    """A component may read seats_active itself (from the seat columns, like evidence())."""
    model = HealthModel((Component("s", "seats_active", BoundedLinear(worst=0, best=10), 1.0),), name="s", version="1")
    snaps = [AccountSnapshot("a", "SMB", AS_OF, seats_purchased=10, seats_active=k) for k in (0, 5, 12)]
    assert_same(model, snaps)


def test_module_imports_without_numpy() -> None:
    """The module imports without numpy (numpy is needed only when a function is called)."""
    code = "import sys; sys.modules['numpy'] = None; import postsale._columnar_health; print('ok')"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert "ok" == result.stdout.strip(), result.stderr


def test_missing_numpy_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without numpy a call raises MissingDependencyError naming the 'frame' extra."""
    monkeypatch.setitem(sys.modules, "numpy", None)
    with pytest.raises(MissingDependencyError) as caught:
        health_columns({"nps": [1.0]})
    assert "postsale[frame]" in str(caught.value)
