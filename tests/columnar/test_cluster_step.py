"""The daily step on a cluster (buckets of accounts, state as Parquet folders) gives the one-process answers, on
Dask worker processes and PySpark local mode; a killed run leaves the previous day intact."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest

from postsale import InvalidValueError
from postsale.adapters.frame import (
    StateStore,
    backtest_dask,
    backtest_frame,
    backtest_spark,
    bucket_of,
    journey_analytics_dask,
    journey_analytics_frame,
    journey_analytics_spark,
    journey_events,
    step_bucket,
    step_dask,
    step_frame,
    step_spark,
)
from tests.columnar.test_step_frame import SEGMENTS, SIGNALS, START, ZONES, frame_of

pl = pytest.importorskip("polars")

KEY = ["account_id", "rule_id", "held_back", "reason", "due", "evidence"]


def portfolio(day: int, accounts: int = 60) -> list[dict[str, object]]:
    """A seeded day of ``accounts`` rows (signals move from day to day; some accounts skip a day)."""
    rng = random.Random(day)
    rows = []
    for i in range(accounts):
        if day and rng.random() < 0.1:
            continue
        row: dict[str, object] = {"account_id": f"acct-{i:03d}", "segment": SEGMENTS[i % 4],
                                  "seats_purchased": 10.0, "seats_active": float(rng.choice([2, 5, 9])),
                                  "time_zone": ZONES[i % 3], "contract_start": date(2025, 6, 1),
                                  "contract_end": date(2026, 4, 15) if i % 2 else None}
        row.update({name: rng.choice([None, 0.0, 1.0, 3.0, 5.0, 20.0, 95.0]) for name in SIGNALS})
        rows.append(row)
    return rows


DAYS = [START + timedelta(days=d) for d in (0, 1, 3)]


def one_process() -> tuple[list[Any], Any]:
    """The alerts of each day and the final state of folding step_frame in one process."""
    state, alerts = None, []
    for index, day in enumerate(DAYS):
        step = step_frame(frame_of(portfolio(index)), state, as_of=day)
        state = step.state
        alerts.append(step.alerts.select(KEY).sort(KEY))
    return alerts, state


def stored(store: StateStore, day: date, part: str) -> Any:
    return pl.read_parquet(store.frames(day, part))


def assert_same(store: StateStore) -> None:
    expected, final = one_process()
    for day, want in zip(DAYS, expected, strict=True):
        assert stored(store, day, "alerts").select(KEY).sort(KEY).equals(want), day
    for part in ("accounts", "rules", "budget"):
        columns = getattr(final, part).columns
        got = stored(store, DAYS[-1], part).select(columns).sort(columns)
        assert got.equals(getattr(final, part).sort(columns)), part


def test_buckets_folded_in_one_process_give_the_one_process_answers(tmp_path: Path) -> None:
    """Each day's rows split into 4 buckets, each stepped alone from its own state: the same alerts and state."""
    store = StateStore(tmp_path)
    for index, day in enumerate(DAYS):
        previous = store.latest(before=day)
        frame = frame_of(portfolio(index))
        buckets = frame.with_columns(pl.col("account_id").map_elements(lambda a: bucket_of(a, 4),
                                                                       return_dtype=pl.Int64).alias("b"))
        for (bucket,), rows in buckets.partition_by("b", as_dict=True).items():
            step_bucket(rows.drop("b"), store, bucket=bucket, as_of=day, previous=previous)
        store.commit(day, previous=previous, buckets=4)
    assert_same(store)


def test_a_day_killed_before_its_marker_is_not_read_and_can_run_again(tmp_path: Path) -> None:
    """A day whose run stopped before the end (buckets written, no marker) is ignored by the next run."""
    store = StateStore(tmp_path)
    step_bucket(frame_of(portfolio(0)), store, bucket=0, as_of=DAYS[0], previous=None)
    assert store.latest(before=DAYS[1]) is None
    store.commit(DAYS[0], previous=None, buckets=1)
    assert store.latest(before=DAYS[1]) == DAYS[0]


@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_dask_worker_processes_give_the_one_process_answers(tmp_path: Path, dask_client: Any) -> None:
    """Three days on a Dask frame of 3 partitions, 5 buckets, 2 worker processes: the one-process answers; a
    day already completed is refused."""
    dd = pytest.importorskip("dask.dataframe")
    store = StateStore(tmp_path)
    for index, day in enumerate(DAYS):
        native = dd.from_pandas(frame_of(portfolio(index)).to_pandas(), npartitions=3)
        step_dask(native, store, as_of=day, buckets=5)
    assert_same(store)
    with pytest.raises(InvalidValueError, match="not after the last completed day"):
        step_dask(dd.from_pandas(frame_of(portfolio(0)).to_pandas(), npartitions=1), store, as_of=DAYS[-1])


@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_pyspark_local_gives_the_one_process_answers(tmp_path: Path, spark: Any) -> None:
    """Three days on a Spark frame (local mode), 5 buckets: the one-process answers."""
    store = StateStore(tmp_path)
    for index, day in enumerate(DAYS):
        native = spark.createDataFrame(frame_of(portfolio(index)).to_pandas())
        step_spark(native, store, as_of=day, buckets=5)
    assert_same(store)


def test_the_bucket_is_spark_crc32_and_bad_arguments_are_refused(tmp_path: Path) -> None:
    """The bucket is the CRC-32 Spark computes; bad stores, rows, frames and days are refused, naming the argument."""
    import zlib

    from postsale import PostsaleError

    assert bucket_of("acct-001", 7) == zlib.crc32(b"acct-001") % 7
    store = StateStore(tmp_path)
    calls = [
        (lambda: bucket_of("a", 0), "buckets"),
        (lambda: bucket_of(5, 3), "account_id"),
        (lambda: StateStore("bad\x00path"), "root"),
        (lambda: StateStore(""), "root"),
        (lambda: step_bucket([1], store, bucket=0, as_of=START, previous=None), "rows"),
        (lambda: step_bucket(frame_of([]), "store", bucket=0, as_of=START, previous=None), "store"),
        (lambda: step_bucket(frame_of([]), store, bucket=-1, as_of=START, previous=None), "bucket"),
        (lambda: step_dask(frame_of([]), store, as_of=START), "snapshots"),
        (lambda: step_spark(frame_of([]), store, as_of=START), "snapshots"),
        (lambda: store.write(START, 0, "state"), "state"),
        (lambda: store.commit(START, previous="yesterday", buckets=1), "previous"),
        (lambda: store.frames(START, "secrets"), "part"),
        (lambda: backtest_dask(frame_of([]), frame_of([])), "history"),
        (lambda: backtest_spark(frame_of([]), frame_of([])), "history"),
        (lambda: journey_analytics_dask(frame_of([])), "events"),
        (lambda: journey_analytics_spark(frame_of([])), "events"),
    ]
    for call, field in calls:
        with pytest.raises(PostsaleError) as caught:
            call()
        assert caught.value.field == field, field


def history(days: int = 3) -> Any:
    return pl.concat([frame_of(portfolio(i)).with_columns(pl.lit(day).alias("as_of"))
                      for i, day in enumerate(DAYS[:days])])


OUTCOMES = {"account_id": ["acct-001", "acct-002", "acct-010"], "kind": ["CHURNED", "EXPANDED", "CHURNED"],
            "on": [START + timedelta(days=20), START + timedelta(days=2), START]}


def same_backtest(got: Any, want: Any) -> None:
    """Equal scores; the volume per account-week equal up to the order the weeks are added in."""
    assert got.accounts == want.accounts
    assert got.account_weeks == pytest.approx(want.account_weeks, rel=1e-12)
    for mine, theirs in zip(got.rules, want.rules, strict=True):
        assert mine.alerts_per_account_week == pytest.approx(theirs.alerts_per_account_week, rel=1e-12)
        assert attrs.evolve(mine, alerts_per_account_week=0.0) == attrs.evolve(theirs, alerts_per_account_week=0.0)


@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_a_backtest_on_dask_and_spark_scores_as_one_process(dask_client: Any, spark: Any) -> None:
    """Three days of 60 accounts in 5 buckets, on Dask worker processes and on Spark: the one-process scores."""
    dd = pytest.importorskip("dask.dataframe")
    frame, outcomes = history(), pl.DataFrame(OUTCOMES)
    want = backtest_frame(frame, outcomes).backtest
    assert sum(score.alerts for score in want.rules) > 0
    same_backtest(backtest_dask(dd.from_pandas(frame.to_pandas(), npartitions=3), outcomes, buckets=5).backtest, want)
    same_backtest(backtest_spark(spark.createDataFrame(frame.to_pandas()), outcomes, buckets=5).backtest, want)


@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_journey_analytics_on_dask_and_spark_are_the_one_process_analytics(dask_client: Any, spark: Any) -> None:
    """200 sample journeys (moves, regressions, cycles, tracks) in 5 buckets, on Dask worker processes and on
    Spark, as of a day and by segment: the one-process cohorts' analytics."""
    dd = pytest.importorskip("dask.dataframe")
    from postsale.adapters.sample import sample_journeys

    found = sample_journeys(200)
    events = journey_events(found).to_pandas()
    as_of = max(j.last_event.at for j in found) - timedelta(days=30)
    want = journey_analytics_frame(journey_events(found), as_of=as_of).cohorts
    assert sum(a.regression.transitions for a in want.values()) > 0
    on_dask = journey_analytics_dask(dd.from_pandas(events, npartitions=3), as_of=as_of, buckets=5)
    on_spark = journey_analytics_spark(spark.createDataFrame(events), as_of=as_of, buckets=5)
    assert dict(on_dask.cohorts) == dict(want) == dict(on_spark.cohorts)
    assert on_dask.errors.height == on_spark.errors.height == 0
