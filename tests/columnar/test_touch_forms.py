"""The touch scorer gives the same answer in its scalar and columnar forms.

The scalar side is what the review computes per account: ``assess(company.for_account(snapshot))``, the
snapshot's ACV being the frame's float through ``Decimal(repr(x))``. The columnar side is ``Scorer.expr`` over one
frame per example, on Polars, pandas, PyArrow and DuckDB.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from postsale import AccountSnapshot, InvalidValueError, Segment, TouchModel
from postsale._columnar import NotEvaluable, is_decision
from postsale.touch import (
    AcvBand,
    BusinessProfile,
    ModelBand,
    NumericFactor,
    PointsBand,
    Scorer,
    TouchConfig,
    assess,
)
from postsale.touch._scorer import float_edge
from tests.columnar.backends import BACKENDS, evaluate, frame
from tests.strategies.touch import profiles

AS_OF = date(2026, 11, 1)
SCHEMA: dict[str, Any] = {"acv": "float", "segment": "str"}
COMPANY = BusinessProfile(
    acv=0, complexity="MODERATE", gross_margin=0.75, positioning="MARKET_STANDARD", segment="MID_MARKET",
    customer_count=3000,
)


def near(edge: float) -> st.SearchStrategy[float]:
    """Floats on and next to a band edge, and decimals a hair under it."""
    candidates = [
        edge, math.nextafter(edge, -math.inf), math.nextafter(edge, math.inf), edge - 0.000001, edge - 0.01,
        edge + 0.01,
    ]
    return st.sampled_from([x for x in candidates if x >= 0])


def acvs(edges: list[float]) -> st.SearchStrategy[float | None]:
    """ACVs around every band edge, ordinary amounts, zero and null."""
    around = st.one_of(*(near(e) for e in edges if e > 0)) if any(e > 0 for e in edges) else st.just(0.0)
    return st.none() | st.just(0.0) | around | st.floats(0, 2e6, allow_nan=False) | st.integers(0, 500_000).map(float)


def rows(edges: list[float]) -> st.SearchStrategy[list[dict[str, Any]]]:
    return st.lists(
        st.fixed_dictionaries({"acv": acvs(edges), "segment": st.sampled_from([s.name for s in Segment])}),
        min_size=1, max_size=40,
    )


def scalar(company: BusinessProfile, row: dict[str, Any], scorer: Scorer) -> dict[str, Any]:
    """The review's assessment of the account (an absent ACV is the snapshot's default, 0)."""
    given_acv = {} if row["acv"] is None else {"acv": Decimal(str(row["acv"]))}
    snap = AccountSnapshot("a", row["segment"], AS_OF, **given_acv)
    found = assess(company.for_account(snap), scorer=scorer)
    return {"model": found.model.name, "total": float(found.total)}


def columnar(
    company: BusinessProfile, data: list[dict[str, Any]], scorer: Scorer, backend: str
) -> list[dict[str, Any]]:
    native = frame(data, SCHEMA, backend)  # type: ignore[arg-type]
    return evaluate(
        native,
        lambda env: {
            "model": scorer.expr(env, company),
            "total": scorer.expr(env, company, output="total"),
        },
        as_of=AS_OF,
    )


DEFAULT_EDGES = [0.0, 10_000.0, 100_000.0]


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=20)
@given(profiles(), rows(DEFAULT_EDGES))
@example(COMPANY, [
    {"acv": 9999.999999, "segment": "SMB"}, {"acv": 10_000.0, "segment": "SMB"},
    {"acv": 99_999.99, "segment": "MID_MARKET"}, {"acv": 100_000.0, "segment": "MID_MARKET"},
    {"acv": 5_000.0, "segment": "ENTERPRISE"}, {"acv": None, "segment": "PRODUCT_LED"},
])
def test_default_scorer_forms_agree(backend: str, company: BusinessProfile, data: list[dict[str, Any]]) -> None:
    """Model and total are the review's for every row, band edges and segment overrides included."""
    scorer = Scorer()
    assert [scalar(company, row, scorer) for row in data] == columnar(company, data, scorer, backend)


def config_with(edges: list[Decimal], points: list[int]) -> TouchConfig:
    """The default configuration with ACV bands starting at 0 and at each edge."""
    lowers = [Decimal(0), *edges]
    bands = tuple(
        AcvBand(lower, lowers[i + 1] if i + 1 < len(lowers) else None, points[i]) for i, lower in enumerate(lowers)
    )
    return TouchConfig(acv_bands=bands)


@st.composite
def custom_cases(draw: st.DrawFn) -> tuple[TouchConfig, list[dict[str, Any]]]:
    """ACV band edges no float represents exactly (fractions of a cent, a hair off a whole amount), any points,
    and accounts around those edges."""
    cents = st.decimals(Decimal("0.000001"), Decimal(500_000), places=6)
    hair = st.builds(lambda n, k: Decimal(n) + Decimal(k).scaleb(-20), st.integers(1, 500_000), st.integers(-9, 9))
    edges = sorted(draw(st.sets(cents | hair, min_size=1, max_size=3).filter(lambda es: min(es) > 0)))
    points = sorted(draw(st.lists(st.integers(1, 5), min_size=len(edges) + 1, max_size=len(edges) + 1)))
    return config_with(edges, points), draw(rows([float(e) for e in edges]))


HAIR = Decimal(10_000) + Decimal("1e-20")


@settings(max_examples=30)
@given(custom_cases(), profiles(), st.sampled_from(BACKENDS))
@example((config_with([HAIR], [1, 5]), [{"acv": 10_000.0, "segment": "SMB"}, {"acv": 10_000.01, "segment": "SMB"}]),
         COMPANY, "polars")
def test_custom_acv_edges_agree(
    case: tuple[TouchConfig, list[dict[str, Any]]], company: BusinessProfile, backend: str
) -> None:
    """Band edges such as 9 999.995 or 10 000 + 1e-20 split the floats exactly where their Decimal forms split."""
    config, accounts = case
    scorer = Scorer(config)
    assert [scalar(company, row, scorer) for row in accounts] == columnar(company, accounts, scorer, backend)


def test_numeric_factor_reads_the_company() -> None:
    """A NumericFactor reads the company's extras, the same for every account, so it is tabulated too."""
    seats = NumericFactor("seats", (PointsBand(0, 50, 1), PointsBand(50, None, 5)))
    scorer = Scorer(TouchConfig(model_bands=_seven_factor_bands()), factors=[seats])
    company = attrs.evolve(COMPANY, extras={"seats": 80})
    data = [{"acv": 20_000.0, "segment": "SMB"}, {"acv": 150_000.0, "segment": "ENTERPRISE"}]
    assert [scalar(company, row, scorer) for row in data] == columnar(company, data, scorer, "polars")


def _seven_factor_bands() -> Any:
    return (ModelBand(7, 13, TouchModel.TECH), ModelBand(14, 22, TouchModel.LOW), ModelBand(23, 35, TouchModel.HIGH))


def test_float_edge_is_the_decimal_edge() -> None:
    """float_edge gives the least float at or above a Decimal edge, compared the way the scalar path compares."""
    for text in ("10000", "9999.995", "0.1", "123456.789012", "1e-6"):
        edge = Decimal(text)
        x = float_edge(edge)
        assert Decimal(repr(x)) >= edge > Decimal(repr(math.nextafter(x, -math.inf)))


def test_negative_acv_and_unknown_segment_give_null() -> None:
    """Rows the scalar path refuses (a negative ACV, an unknown segment) are null, not a wrong answer."""
    data = [{"acv": -1.0, "segment": "SMB"}, {"acv": 1.0, "segment": "GALACTIC"}]
    assert [{"model": None, "total": None}] * 2 == columnar(COMPANY, data, Scorer(), "polars")


def test_custom_scorers_are_refused() -> None:
    """Custom factors that may read the account, and custom overrides, cannot be tabulated."""

    @attrs.frozen
    class Nudge:
        name: str = "nudge"

        def apply(self, profile: BusinessProfile, model: Any) -> None:
            return None

    with pytest.raises(InvalidValueError, match="cannot tabulate"):
        Scorer(overrides=[Nudge()]).account_table(COMPANY)
    with pytest.raises(InvalidValueError, match="output"):
        evaluate(frame([{"acv": 1.0, "segment": "SMB"}], SCHEMA, "polars"),
                 lambda env: {"x": Scorer().expr(env, COMPANY, output="score")})  # type: ignore[arg-type]


def test_missing_columns_are_not_evaluable() -> None:
    """Without an acv or segment column the scorer cannot be evaluated (the entry point reports it)."""
    with pytest.raises(NotEvaluable, match="segment"):
        evaluate(frame([{"acv": 1.0}], {"acv": "float"}, "polars"), lambda env: {"m": Scorer().expr(env, COMPANY)})


def test_scorer_is_a_decision() -> None:
    """The scorer carries both forms."""
    assert is_decision(Scorer)
