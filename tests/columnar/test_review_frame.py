"""review_frame gives review_account's answers, field by field and rule by rule, on every local backend."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postsale import AccountSnapshot, InvalidTypeError, InvalidValueError, PostsaleError, Segment, review_account
from postsale.adapters.frame import ERRORS_SCHEMA, review_frame, review_schema
from postsale.health import DEFAULT_HEALTH_MODEL
from postsale.review import DEFAULT_REVIEW_SETTINGS
from postsale.triggers import Engine
from tests.columnar.backends import BACKENDS, frame

pl = pytest.importorskip("polars")

AS_OF = date(2026, 11, 1)
NUMBERS = ("acv", "seats_purchased", "seats_active")
SIGNALS = {
    "nps": st.sampled_from([0.0, 6.0, 7.0, 8.0, 9.0, 10.0]) | st.integers(0, 10).map(float),
    "sentiment": st.sampled_from([0.0, 39.99, 40.0, 69.99, 70.0, 100.0]) | st.floats(0, 100),
    "business_context": st.sampled_from([0.0, 40.0, 70.0, 100.0]) | st.floats(0, 100),
    "logins_week": st.sampled_from([0.0, 7.0, 10.0, 70.0, 100.0]),
    "logins_prev_week": st.sampled_from([0.0, 9.0, 10.0, 100.0, 140.0]),
    "critical_feature_usage": st.sampled_from([0.0, 5.0, 10.0, 60.0]),
    "critical_feature_usage_prev": st.sampled_from([0.0, 10.0, 100.0]),
    "core_feature_usage": st.sampled_from([0.0, 3.0, 10.0, 40.0]),
    "activity_percentile": st.sampled_from([0.0, 9.0, 10.0, 50.0, 100.0]),
    "distinct_features_used": st.sampled_from([0.0, 2.0, 3.0, 8.0]),
    "support_tickets_week": st.sampled_from([0.0, 2.0, 3.0, 4.0]),
    "core_setup_completion": st.sampled_from([0.5, 0.8, 0.9, 1.0]),
    "first_value_documented": st.sampled_from([0.0, 1.0]),
    "storage_ratio": st.sampled_from([0.5, 0.75, 0.8, 1.0]),
    "usage_limit_ratio": st.sampled_from([0.5, 0.79, 0.8, 1.0]),
    "license_days_left": st.sampled_from([0.0, 59.0, 60.0, 61.0, 200.0]),
    "champion_left": st.sampled_from([0.0, 1.0]),
    "funding_announced": st.sampled_from([0.0, 1.0]),
    "acquisition_announced": st.sampled_from([0.0, 1.0]),
    "leadership_change": st.sampled_from([0.0, 1.0]),
    "seat_utilisation_age_days": st.sampled_from([0.0, 30.0, 90.0, 91.0]),
    "nps_age_days": st.sampled_from([0.0, 180.0, 400.0]),
    "logins_month": st.sampled_from([0.0, 8.0, 80.0, 81.0]),
    "logins_prev_month": st.sampled_from([0.0, 9.0, 10.0, 100.0]),
    "executive_engagement": st.sampled_from([0.0, 39.9, 40.0, 80.0, 81.0]),
    "executive_engagement_prev": st.sampled_from([9.0, 50.0, 100.0]),
    "sentiment_prev": st.sampled_from([9.0, 50.0, 100.0]),
    "days_since_last_login": st.sampled_from([0.0, 13.0, 14.0]),
    "team_usage_drop": st.sampled_from([0.0, 0.29, 0.3]),
    "new_feature_usage": st.sampled_from([0.0, 1.0]),
    "days_since_feature_release": st.sampled_from([29.0, 30.0]),
    "renewals_completed": st.sampled_from([0.0, 1.0]),
    **dict.fromkeys(("trial_converted", "expansion_implemented", "champion_promoted", "product_update_relevant",
                     "new_department_interest", "champion_request"), st.sampled_from([0.0, 1.0])),
}
SCHEMA: dict[str, Any] = {"account_id": "str", "segment": "str", **dict.fromkeys(NUMBERS, "float"),
                          "contract_start": "date", "contract_end": "date", **dict.fromkeys(SIGNALS, "float")}


@st.composite
def accounts(draw: st.DrawFn, index: int) -> dict[str, Any]:
    """One account's row: boundary values on purpose, any signal may be missing."""
    purchased = draw(st.sampled_from([0, 1, 10, 50, 800]))
    row: dict[str, Any] = {
        "account_id": f"A{index}",
        "segment": draw(st.sampled_from([s.name for s in Segment])),
        "acv": draw(st.sampled_from([0.0, 1200.0, 9999.99, 10000.0, 99999.999, 100000.0, 250000.0])
                    | st.floats(0, 1e6).map(lambda x: round(x, 2))),
        "seats_purchased": float(purchased),
        "seats_active": float(draw(st.integers(0, purchased))),
    }
    if draw(st.booleans()):
        end = AS_OF + timedelta(days=draw(st.sampled_from([-1, 0, 1, 13, 14, 29, 30, 31, 59, 60, 61, 89, 90, 91,
                                                           119, 120, 121, 179, 180, 181, 400])))
        row["contract_end"] = end
        row["contract_start"] = end - timedelta(days=draw(st.sampled_from([365, 366, 730, 29])))
    for name, values in SIGNALS.items():
        if draw(st.integers(0, 4)):  # 4 in 5 present
            row[name] = draw(values)
    return row


def _snapshot(row: dict[str, Any]) -> AccountSnapshot:
    signals = {k: v for k, v in row.items() if k in SIGNALS and v is not None}
    return AccountSnapshot(
        row["account_id"], row["segment"], AS_OF, acv=Decimal(repr(row["acv"])),
        contract_start=row.get("contract_start"), contract_end=row.get("contract_end"),
        seats_purchased=int(row["seats_purchased"]), seats_active=int(row["seats_active"]), signals=signals,
    )


def _expected(row: dict[str, Any]) -> dict[str, Any]:
    """The scalar path's answers for one row, in the columns of review_schema()."""
    snapshot = _snapshot(row)
    review = review_account(snapshot)
    state, _ = Engine(DEFAULT_REVIEW_SETTINGS.rule_set, health_model=DEFAULT_HEALTH_MODEL).step(None, snapshot)
    health = review.health
    out: dict[str, Any] = {
        "account_id": row["account_id"], "segment": row["segment"],
        "health": None if health is None else health.value, "band": None if health is None else health.band.name,
        "touch_total": None if review.touch is None else float(review.touch.total),
        "touch_model": None if review.touch is None else review.touch.model.name,
        "days_to_renewal": None if review.renewal is None else float(review.renewal.days_to_renewal),
        "renewal_state": None if review.renewal is None else review.renewal.state.name,
        "forecast": None if review.forecast is None else review.forecast.category.name,
        "forecast_reason": None if review.forecast is None else review.forecast.reasons[0],
    }
    if health is not None:
        out.update({f"health.{c.name}": c.points for c in health.components})
    for rule in DEFAULT_REVIEW_SETTINGS.rule_set.rules:
        out[f"hit.{rule.id}"] = rule.id in state.active
    out["alerts"] = len(state.active)
    return out


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=0, abs_tol=1e-9)
    return bool(a == b)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_review_frame_equals_review_account(data: st.DataObject) -> None:
    """For random portfolios with boundary values and missing signals, every backend gives the scalar answers."""
    rows = [data.draw(accounts(i)) for i in range(data.draw(st.integers(1, 25)))]
    expected = {row["account_id"]: _expected(row) for row in rows}
    for backend in BACKENDS:
        review = review_frame(frame(rows, SCHEMA, backend), as_of=AS_OF)
        got = _rows(review.results)
        assert [] == _rows(review.errors), backend
        assert sorted(expected) == sorted(got), backend
        for account_id, want in expected.items():
            have = got[account_id]
            wrong = {k: (want.get(k), have[k]) for k in have if not _close(want.get(k), have[k])}
            assert {} == wrong, (backend, account_id)


def _rows(native: Any) -> Any:
    import narwhals.stable.v2 as nw

    result = nw.from_native(native)
    if isinstance(result, nw.LazyFrame):
        result = result.collect()
    if "reason" in result.columns:
        return result.rows(named=True)
    return {row["account_id"]: {k: (None if isinstance(v, float) and v != v else v) for k, v in row.items()}
            for row in result.rows(named=True)}


def test_the_schema_is_fixed_by_the_definitions() -> None:
    """A frame with no signal at all gives the same columns as a full one; absent rules are reported, not dropped."""
    bare = pl.DataFrame({"account_id": ["a"], "segment": ["SMB"]})
    review = review_frame(bare, as_of=AS_OF)
    assert list(review_schema()) == review.results.columns
    assert {"rule U1", "rule H4"} <= {n.decision for n in review.not_evaluated}
    assert review.results["hit.U1"].to_list() == [None]
    assert review.results["health"].to_list() == [None]


def test_bad_rows_are_rejected_with_the_scalar_words() -> None:
    """A negative ACV, an NPS of 45 and a duplicate id reject their rows only; the others are reviewed."""
    rows = [{"account_id": "ok", "segment": "SMB", "acv": 1200.0, "nps": 8.0},
            {"account_id": "neg", "segment": "SMB", "acv": -5.0, "nps": 8.0},
            {"account_id": "nps", "segment": "SMB", "acv": 1200.0, "nps": 45.0},
            {"account_id": "dup", "segment": "SMB", "acv": 1.0, "nps": 1.0},
            {"account_id": "dup", "segment": "SMB", "acv": 2.0, "nps": 2.0},
            {"account_id": "seg", "segment": "GIANT", "acv": 2.0, "nps": 2.0}]
    schema = {"account_id": "str", "segment": "str", "acv": "float", "nps": "float"}
    for backend in BACKENDS:
        review = review_frame(frame(rows, schema, backend), as_of=AS_OF)
        assert ["ok"] == list(_rows(review.results)), backend
        errors = {(e["account_id"], e["column"]): e for e in _rows(review.errors)}
        assert {("neg", "acv"), ("nps", "nps"), ("dup", "account_id"), ("seg", "segment")} == set(errors), backend
        with pytest.raises(PostsaleError) as scalar:
            AccountSnapshot("neg", "SMB", AS_OF, acv=-5)
        assert str(scalar.value).replace("acv=-5: ", "acv: ") == errors[("neg", "acv")]["reason"]
        assert list(ERRORS_SCHEMA) == list(errors[("neg", "acv")])


def test_unusable_frames_are_refused_with_a_postsale_error() -> None:
    """Not a dataframe, or a frame without account_id / segment: a clear error, nothing evaluated."""
    with pytest.raises(InvalidTypeError, match="frame"):
        review_frame([1, 2], as_of=AS_OF)
    with pytest.raises(InvalidValueError, match="segment"):
        review_frame(pl.DataFrame({"account_id": ["a"]}), as_of=AS_OF)


def test_a_lazy_frame_stays_lazy() -> None:
    """A Polars LazyFrame in gives LazyFrames out (nothing computed until collected)."""
    lazy = pl.DataFrame({"account_id": ["a"], "segment": ["SMB"], "nps": [9.0]}).lazy()
    review = review_frame(lazy, as_of=AS_OF)
    assert isinstance(review.results, pl.LazyFrame)
    assert isinstance(review.errors, pl.LazyFrame)
    assert ["a"] == review.results.collect()["account_id"].to_list()


def test_columns_of_the_wrong_kind_are_refused_with_a_postsale_error() -> None:
    """A text active.<rule> column or a list-valued signal is named in a PostsaleError before anything runs."""
    with pytest.raises(InvalidTypeError, match=r"active\.U1"):
        review_frame(pl.DataFrame({"account_id": ["a"], "segment": ["SMB"], "active.U1": ["yes"]}), as_of=AS_OF)
    with pytest.raises(InvalidTypeError, match="nps"):
        review_frame(pl.DataFrame({"account_id": ["a"], "segment": ["SMB"], "nps": [[1, 2]]}), as_of=AS_OF)


def test_an_engine_failure_is_a_postsale_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the dataframe engine raises while computing is reported as a PostsaleError naming it."""

    def fail(*_: Any, **__: Any) -> Any:
        raise ArithmeticError("overflow in the engine")

    monkeypatch.setattr(pl.LazyFrame, "collect", fail)
    with pytest.raises(InvalidValueError, match="ArithmeticError: overflow in the engine"):
        review_frame(pl.DataFrame({"account_id": ["a"], "segment": ["SMB"]}), as_of=AS_OF)


def test_stated_intent_and_the_csm_call_decide_the_forecast_as_in_review_account() -> None:
    """Every intent (by name or value, any case, absent) and every CSM call (or none), on green and red accounts
    inside and outside their runway: the frame's forecast is ``review_account``'s, row by row."""
    import itertools

    from postsale import AccountSnapshot
    from postsale.renewal import ForecastCategory, Intent
    from postsale.review import AccountInput, review_account

    pl = pytest.importorskip("polars")
    as_of = date(2026, 10, 1)
    rows, expected = [], []
    intents = [None, *(i.value for i in Intent), "Committed"]
    calls = [None, *(c.name for c in ForecastCategory), "at-risk"]
    cases = itertools.product(intents, calls, [(9.0, 80.0), (1.0, 10.0)], [date(2026, 12, 1), date(2027, 9, 1)])
    for n, (intent, call, (nps, sentiment), end) in enumerate(cases):
        rows.append({"account_id": f"a{n}", "segment": "ENTERPRISE", "contract_start": date(2026, 1, 1),
                     "contract_end": end, "nps": nps, "sentiment": sentiment, "intent": intent, "csm_call": call})
        snap = AccountSnapshot(f"a{n}", "ENTERPRISE", as_of, contract_start=date(2026, 1, 1), contract_end=end,
                               signals={"nps": nps, "sentiment": sentiment})
        given = {k: v for k, v in (("intent", intent), ("csm_call", call)) if v is not None}
        forecast = review_account(AccountInput(snap, **given)).forecast
        expected.append((f"a{n}", forecast.category.name, forecast.reasons[0]))
    result = review_frame(pl.DataFrame(rows), as_of=as_of)
    assert result.errors.height == 0
    assert result.results.select("account_id", "forecast", "forecast_reason").rows() == expected


def test_an_unknown_intent_or_csm_call_is_a_rejected_row() -> None:
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame({"account_id": ["a", "b", "c"], "segment": ["SMB"] * 3, "intent": ["maybe", None, None],
                          "csm_call": [None, "SURE", "commit"]})
    result = review_frame(frame, as_of=date(2026, 10, 1))
    assert sorted(result.errors.select("account_id", "column", "value").rows()) == [
        ("a", "intent", "maybe"), ("b", "csm_call", "SURE")]
    assert result.results["account_id"].to_list() == ["c"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_missing_seats_are_absent_and_fractional_or_infinite_seats_are_refused_on_every_backend(backend) -> None:
    """A missing seat count (null; NaN in a pandas column) is absent, as everywhere else, not a broken whole number;
    a fractional or infinite one is refused with its row."""
    rows = [{"account_id": name, "segment": "SMB", "seats_purchased": seats, "seats_active": 1.0}
            for name, seats in (("missing", None), ("half", 2.5), ("infinite", math.inf), ("whole", 3.0))]
    review = review_frame(frame(rows, {"account_id": "str", "segment": "str", "seats_purchased": "float",
                                       "seats_active": "float"}, backend), as_of=date(2026, 3, 2))
    assert sorted((row["account_id"], row["column"]) for row in _rows(review.errors)) == [
        ("half", "seats_purchased"), ("infinite", "seats_purchased")]
    assert sorted(_rows(review.results)) == ["missing", "whole"]
