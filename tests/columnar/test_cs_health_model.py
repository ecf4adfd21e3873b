"""The CS health model's columnar form gives its scalar form's answers, row by row, on every backend: the score to
the last bit, its band, each component's and each part's points, and exactly the rows the scalar path refuses.

Rows sit on every boundary of the model (the logins trend at 0.5 / 0.7 / 0.9 and a baseline of 0, feature breadth,
support tickets and critical issues on their band ends, NPS off its scale, stale readings), come from the sample
portfolio, or are drawn by Hypothesis with any signal missing.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postsale import signals
from postsale._columnar import Env
from postsale.health import CS_HEALTH_MODEL
from tests.columnar.backends import BACKENDS, Backend, frame, prepare
from tests.columnar.test_health_forms import AS_OF, assert_model_matches
from tests.health.test_cs_model import cs_signals

SIGNALS = sorted(set(CS_HEALTH_MODEL.signals))
AGES = [f"{s}_age_days" for s in SIGNALS]
TRENDS = [(5.0, 10.0), (5.1, 10.0), (7.0, 10.0), (7.1, 10.0), (8.9, 10.0), (9.0, 10.0), (30.0, 10.0), (0.0, 10.0),
          (5.0, 0.0), (0.0, 0.0), (None, 10.0), (5.0, None), (1e15, 5e-324)]
BASE = {signals.SEAT_UTILISATION: 0.7, signals.DISTINCT_FEATURES_USED: 4.0, signals.NPS: 9.0,
        signals.EXECUTIVE_ENGAGEMENT: 60.0, signals.BUSINESS_CONTEXT: 70.0, signals.SENTIMENT: 55.0}
AXES: dict[str, list[float | None]] = {
    signals.SEAT_UTILISATION: [None, 0.29, 0.3, 0.69, 0.7, 1.2],
    signals.DISTINCT_FEATURES_USED: [None, 0.0, 1.0, 2.0, 3.0, 3.5, 4.0, -1.0],
    signals.NPS: [None, 0.0, 6.0, 7.0, 9.0, 10.0, 11.0],
    signals.EXECUTIVE_ENGAGEMENT: [None, 0.0, 100.0, 100.5],
    signals.BUSINESS_CONTEXT: [None, 0.0, 39.9, 40.0, 100.0],
    signals.SENTIMENT: [None, 69.9, 70.0, -0.5],
}


def boundary_rows() -> list[dict[str, Any]]:
    """Every trend case × every ticket and critical-issue band end; then each other signal along its band ends,
    fresh or one day past its window."""
    rows: list[dict[str, Any]] = []
    for (week, previous), tickets, critical in itertools.product(
        TRENDS, (None, 0.0, 0.9, 1.0, 3.0, 6.0, -1.0), (None, 0.0, 1.0, 2.0)
    ):
        rows.append({**BASE, signals.LOGINS_WEEK: week, signals.LOGINS_PREV_WEEK: previous,
                     signals.SUPPORT_TICKETS_WEEK: tickets, signals.CRITICAL_ISSUES_OPEN: critical})
    for signal, values in AXES.items():
        window = 30.0 if signal in (signals.SEAT_UTILISATION, signals.DISTINCT_FEATURES_USED) else 90.0
        for value, age in itertools.product(values, (None, window, window + 1)):
            rows.append({**BASE, signal: value, f"{signal}_age_days": age})
    rows.append({})
    return rows


@pytest.mark.parametrize("backend", BACKENDS)
def test_cs_model_matches_score_on_its_boundaries(backend: Backend) -> None:
    """On every boundary of the CS model, ``expr`` equals ``score``: score, band, components, parts, refusals."""
    assert_model_matches(CS_HEALTH_MODEL, boundary_rows(), AGES, backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_cs_model_matches_score_on_the_sample(backend: Backend) -> None:
    """On the sample portfolio's accounts, the two forms of the CS model give the same scores to the last bit."""
    from postsale.adapters.sample import sample_portfolio

    rows = [{s: snap.evidence().get(s) for s in SIGNALS} for snap in sample_portfolio(60, seed=7).snapshots()]
    assert_model_matches(CS_HEALTH_MODEL, rows, [], backend)


@settings(max_examples=10)
@given(st.lists(cs_signals(), min_size=1, max_size=15), st.sampled_from(BACKENDS))
def test_cs_model_matches_score_with_any_signal_missing(rows: list[dict[str, float]], backend: Backend) -> None:
    """Any valid CS signals, any of them missing or stale: the two forms agree row by row."""
    assert_model_matches(CS_HEALTH_MODEL, rows, AGES, backend)


def test_staged_columns_give_the_same_score() -> None:
    """Scoring from the staged component columns (the entry point's way) equals scoring in one expression."""
    native = frame(boundary_rows(), dict.fromkeys([*SIGNALS, *AGES], "float"), "polars")
    lazy, env = prepare(native, as_of=AS_OF)
    staged_columns = CS_HEALTH_MODEL.stage(env)
    staged = lazy.with_columns(**staged_columns)
    staged_env = Env([*env.names, *staged_columns], as_of=AS_OF)
    direct = lazy.select(score=CS_HEALTH_MODEL.expr(env).score).collect()["score"].to_list()
    assert direct == staged.select(score=CS_HEALTH_MODEL.expr(staged_env).score).collect()["score"].to_list()


def test_the_frame_review_scores_with_the_cs_model_as_review_account_does() -> None:
    """With ``ReviewSettings(health_model=CS_HEALTH_MODEL)`` the frame review's health equals review_account's."""
    pl = pytest.importorskip("polars")
    from postsale import review_account
    from postsale.adapters.frame import review_frame
    from postsale.adapters.sample import sample_portfolio
    from postsale.review import ReviewSettings

    settings = ReviewSettings(health_model=CS_HEALTH_MODEL)
    portfolio = sample_portfolio(30, seed=7)
    snapshots = portfolio.snapshots()
    keys = sorted({k for s in snapshots for k in s.signals})
    rows = [{"account_id": s.account_id, "segment": s.segment.name, "acv": float(s.acv or 0),
             "seats_purchased": float(s.seats_purchased or 0), "seats_active": float(s.seats_active or 0),
             "contract_start": s.contract_start, "contract_end": s.contract_end,
             **{k: s.signals.get(k) for k in keys}} for s in snapshots]
    results = review_frame(pl.DataFrame(rows), as_of=portfolio.as_of, settings=settings).results
    expected = [review_account(s, settings=settings).health for s in snapshots]
    assert [(h.value, h.band.name) for h in expected] == list(zip(results["health"], results["band"], strict=True))
    assert [h.component("product_usage").points for h in expected] == results["health.product_usage"].to_list()
