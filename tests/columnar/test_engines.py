"""One definition, every engine: review_frame gives identical results on pandas, Polars, PyArrow, DuckDB, Dask
(a LocalCluster of worker processes) and PySpark (local mode)."""

from __future__ import annotations

import warnings
from datetime import date
from typing import Any

import pytest

from postsale.adapters.frame import review_frame, review_schema
from postsale.adapters.frame._pandas import to_pandas
from postsale.adapters.sample import sample_portfolio

pl = pytest.importorskip("polars")
pd = pytest.importorskip("pandas")

AS_OF = date(2026, 11, 1)


@pytest.fixture(scope="module")
def portfolio() -> Any:
    """The snapshots of the active accounts among 60 sample accounts, as a Polars frame."""
    accounts = sample_portfolio(60, as_of=AS_OF, seed=11).active
    rows = to_pandas([a.snapshot_on(AS_OF) for a in accounts], money_as="float")
    frame = pl.from_pandas(rows.drop(columns=[c for c in rows.columns if c.startswith("labels.")]))
    return frame.with_columns(pl.col("contract_start", "contract_end").cast(pl.Date))


def _rows(native: Any) -> list[tuple[Any, ...]]:
    import narwhals.stable.v2 as nw

    frame = nw.from_native(native)
    if isinstance(frame, nw.LazyFrame):
        frame = frame.collect()
    frame = frame.sort("account_id")
    return [tuple(_none(v) for v in row) for row in frame.rows()]


def _none(value: Any) -> Any:
    """NaN (pandas' missing float) and pandas' NA as None, so every engine's missing value reads the same."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    return None if type(value).__name__ == "NAType" else value


@pytest.fixture(scope="module")
def expected(portfolio: Any) -> list[tuple[Any, ...]]:
    return _rows(review_frame(portfolio, as_of=AS_OF).results)


@pytest.mark.parametrize("backend", ["pandas", "pyarrow", "duckdb", "polars-lazy"])
def test_every_local_backend_gives_the_same_frame(portfolio: Any, expected: list[Any], backend: str) -> None:
    """pandas, PyArrow, DuckDB and a Polars LazyFrame give Polars' answers, each in its own kind."""
    if backend == "pandas":
        native = portfolio.to_pandas()
    elif backend == "pyarrow":
        native = portfolio.to_arrow()
    elif backend == "duckdb":
        duckdb = pytest.importorskip("duckdb")
        native = duckdb.from_arrow(portfolio.to_arrow())
    else:
        native = portfolio.lazy()
    result = review_frame(native, as_of=AS_OF).results
    assert expected == _rows(result)
    assert list(review_schema()) == list(_columns(result))


def _columns(native: Any) -> list[str]:
    import narwhals.stable.v2 as nw

    return list(nw.from_native(native).collect_schema().names())


@pytest.mark.filterwarnings("ignore:Dask support is moving out of Narwhals:FutureWarning")
def test_dask_worker_processes_give_the_same_frame(portfolio: Any, expected: list[Any], dask_client: Any) -> None:
    """A Dask frame in 3 partitions, computed on 2 worker processes, equals the one-process answer."""
    dask = pytest.importorskip("dask")
    dd = pytest.importorskip("dask.dataframe")
    native = dd.from_pandas(portfolio.to_pandas(), npartitions=3)
    result = review_frame(native, as_of=AS_OF).results
    with dask.config.set({"dataframe.shuffle.method": "tasks"}):  # the P2P shuffle fails on pandas 3 here
        assert expected == _rows(result.compute())


def test_pyspark_local_gives_the_same_frame(portfolio: Any, expected: list[Any], spark: Any) -> None:
    """A PySpark frame (local mode) gives the same answers, as a lazy Spark frame."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        native = spark.createDataFrame(portfolio.to_pandas())
        result = review_frame(native, as_of=AS_OF).results
        rows = _rows(pl.from_arrow(result.toArrow()))
    assert expected == rows


def test_pyspark_reads_renewal_activity_as_polars_does(spark: Any) -> None:
    """Completed milestones and ``renewal_recorded`` on Spark (a Boolean compared as one; days between dates in
    Spark's civil form; the latest of one completion column): the state, forecast and timeline Polars gives."""
    from postsale.adapters.frame import renewal_frame

    accounts = pl.DataFrame({
        "account_id": ["a", "b"], "segment": ["SMB", "SMB"], "nps": [9.0, 1.0], "sentiment": [80.0, 10.0],
        "contract_start": [date(2025, 12, 1), date(2026, 4, 1)],
        "contract_end": [date(2026, 11, 30), date(2027, 3, 31)],
        "milestone.renewal_offer": [date(2026, 10, 5), None], "renewal_recorded": [True, False]})
    day = date(2026, 11, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PySpark on a newer pandas than it knows
        native = spark.createDataFrame(accounts.to_pandas())
    columns = ["account_id", "renewal_state", "forecast", "forecast_reason"]
    found = review_frame(native, as_of=day)
    assert sorted(tuple(r[c] for c in columns) for r in found.results.collect()) == sorted(
        review_frame(accounts, as_of=day).results.select(columns).rows())
    assert found.errors.count() == 0
    assert sorted(tuple(r) for r in renewal_frame(native, as_of=day).results.collect()) == sorted(
        renewal_frame(accounts, as_of=day).results.rows())
