"""A backtest over columns (the daily step folded over a history frame) scores every rule as the scalar backtest."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postsale import InvalidTypeError, InvalidValueError, PostsaleError
from postsale.adapters.frame import backtest_frame
from postsale.review import DEFAULT_REVIEW_SETTINGS
from postsale.triggers import Outcome, OutcomeKind, backtest
from tests.columnar.test_step_frame import START, days_of_snapshots, frame_of, snapshot_of

pl = pytest.importorskip("polars")


def history_of(days: list[tuple[date, list[dict[str, object]]]]) -> Any:
    return pl.concat([frame_of(rows).with_columns(pl.lit(day).alias("as_of")) for day, rows in days])


@st.composite
def outcomes_for(draw: st.DrawFn, days: list[tuple[date, list[dict[str, object]]]]) -> list[Outcome]:
    accounts = sorted({row["account_id"] for _, rows in days for row in rows}) or ["acct-0"]
    return [Outcome(draw(st.sampled_from(accounts)), draw(st.sampled_from(list(OutcomeKind))),
                    START + timedelta(days=draw(st.integers(-5, 120))))
            for _ in range(draw(st.integers(0, 6)))]


def scalar(days: list[tuple[date, list[dict[str, object]]]], outcomes: list[Outcome], **options: Any) -> Any:
    snaps = [snapshot_of(row, day) for day, rows in days for row in rows]
    found = backtest(DEFAULT_REVIEW_SETTINGS.rule_set, snaps, outcomes,
                     health_model=DEFAULT_REVIEW_SETTINGS.health_model, **options)
    return attrs.evolve(found, errors=())


def outcome_frame(outcomes: list[Outcome]) -> Any:
    return pl.DataFrame({"account_id": [o.account_id for o in outcomes], "kind": [o.kind.name for o in outcomes],
                         "on": [o.on for o in outcomes]}, schema={"account_id": pl.String, "kind": pl.String,
                                                                   "on": pl.Date})


@settings(max_examples=20, deadline=None)
@given(st.data(), st.sampled_from(["polars", "lazy", "pandas"]),
       st.sampled_from([{}, {"horizon_days": 3, "early_days": 1}, {"target": OutcomeKind.CHURNED}]))
def test_the_frame_backtest_scores_every_rule_as_the_scalar_backtest(data: Any, kind: str, options: Any) -> None:
    """Random portfolios over random days (gaps, absent signals, segments, zones), random outcomes: every rule's
    alerts, held-back count, precision, recall, lead times and volume equal the scalar backtest's."""
    days = data.draw(days_of_snapshots())
    outcomes = data.draw(outcomes_for(days))
    history, happened = history_of(days), outcome_frame(outcomes)
    if kind == "lazy":
        history, happened = history.lazy(), happened.lazy()
    elif kind == "pandas":
        history, happened = history.to_pandas(), happened.to_pandas()
    got = backtest_frame(history, happened, **options)
    assert got.backtest == scalar(days, outcomes, **options)


def test_bad_frames_and_arguments_are_refused_naming_them() -> None:
    days = [(START, [{"account_id": "a", "segment": "SMB"}])]
    good = history_of(days)
    calls = [
        (lambda: backtest_frame([1], outcome_frame([])), InvalidTypeError, "history"),
        (lambda: backtest_frame(good.drop("as_of"), outcome_frame([])), InvalidValueError, "history"),
        (lambda: backtest_frame(good, outcome_frame([]).drop("on")), InvalidValueError, "outcomes"),
        (lambda: backtest_frame(good, pl.DataFrame({"account_id": ["a"], "kind": ["LOST"], "on": [START]})),
         InvalidValueError, "outcomes.kind"),
        (lambda: backtest_frame(good, outcome_frame([]), horizon_days=-1), InvalidValueError, "horizon_days"),
        (lambda: backtest_frame(good, outcome_frame([]), target="LOST"), PostsaleError, "target"),
    ]
    for call, error, field in calls:
        with pytest.raises(error) as caught:
            call()
        assert caught.value.field == field


def test_a_history_row_without_a_date_is_reported_and_the_rest_replayed() -> None:
    """An ``as_of`` that is not a date is an error row; every other row is replayed as without it."""
    good = pl.DataFrame({"account_id": ["a", "a"], "segment": ["SMB", "SMB"], "as_of": ["2026-03-02", "2026-03-03"],
                         "support_tickets_week": [0.0, 4.0]})
    junk = pl.DataFrame({"account_id": ["b"], "segment": ["SMB"], "as_of": ["someday"], "support_tickets_week": [9.0]})
    outcomes = outcome_frame([])
    with_junk = backtest_frame(pl.concat([good, junk]), outcomes)
    assert with_junk.backtest == backtest_frame(good, outcomes).backtest
    assert with_junk.errors.filter(pl.col("column") == "as_of").select("account_id", "value").rows() == [
        ("b", "someday")]
    with pytest.raises(InvalidValueError) as caught:
        backtest_frame(good, pl.DataFrame({"account_id": ["a"], "kind": ["CHURNED"], "on": ["later"]}))
    assert (caught.value.field, caught.value.value) == ("outcomes.on", "later")
