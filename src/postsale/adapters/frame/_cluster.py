"""The daily step on a cluster: accounts split into buckets, each bucket's state a folder of Parquet files.

An account's bucket is ``crc32(account_id) % buckets`` (:func:`bucket_of`; Spark's ``crc32`` gives the same
number), so a bucket's state is read and written by one task and a cluster shuffles only the day's rows, never the
state. A :class:`StateStore` keeps, under its root, one folder per evaluated day and in it one folder per bucket
(``<root>/<YYYY-MM-DD>/bucket=<n>/``) with the bucket's state (``accounts``, ``rules``, ``budget``), its
``alerts`` and its ``errors`` as Parquet files. A bucket is written to a temporary folder and renamed into place,
and a day counts only once its ``_SUCCESS`` marker is written, after every bucket: a run killed halfway leaves the
previous day intact, and running the day again rewrites the same files. :func:`step_bucket` is the task (one
bucket's rows through :func:`~postsale.adapters.frame.step_frame` on Polars); :func:`step_dask` and
:func:`step_spark` run it over a Dask or PySpark frame (``postsale[dask]`` or ``postsale[spark]``, which bring Polars).
"""

from __future__ import annotations

import os
import shutil
import uuid
import zlib
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

import attrs

from postsale import _checks
from postsale._columnar import require
from postsale._errors import InvalidTypeError, InvalidValueError
from postsale._repr import readable
from postsale.adapters.frame._backtest import FrameBacktest, arguments, dated, replay, scored
from postsale.adapters.frame._journey import FrameAnalytics, analyze_prepared, prepare, valid_events
from postsale.adapters.frame._step import FrameState, step_frame
from postsale.review import DEFAULT_REVIEW_SETTINGS, ReviewSettings
from postsale.triggers import BACKTEST_HORIZON_DAYS, EARLY_WARNING_DAYS, OutcomeKind

__all__ = [
    "BUCKET", "StateStore", "backtest_dask", "backtest_spark", "bucket_of", "journey_analytics_dask",
    "journey_analytics_spark", "step_bucket", "step_dask", "step_spark",
]

BUCKET: Final = "__bucket"
"""The column :func:`step_dask` and :func:`step_spark` add to the day's rows: each row's bucket."""

_PARTS: Final = ("accounts", "rules", "budget")
_SUCCESS: Final = "_SUCCESS"


def bucket_of(account_id: str, buckets: int) -> int:
    """Return the bucket of ``account_id`` among ``buckets``: ``crc32(utf-8 bytes) % buckets``, stable across
    processes, machines and engines (Spark: ``F.crc32(F.col("account_id")) % buckets``).

    Raises:
        InvalidTypeError: ``account_id`` is not a string.
        InvalidValueError: ``buckets`` is not a whole number from 1 to 10 000.

    Examples:
        >>> bucket_of("acme", 8), bucket_of("globex", 8), bucket_of("acme", 1)
        (6, 2, 0)
    """
    if not isinstance(account_id, str):
        raise InvalidTypeError("expected a string", field="account_id", value=account_id, hint="pass the id as text")
    return zlib.crc32(account_id.encode("utf-8")) % _buckets(buckets)


def _buckets(value: Any) -> int:
    count: int = _checks.count("buckets", value, limit=10_000)
    if count < 1:
        raise InvalidValueError("must be at least 1", field="buckets", value=value, hint="e.g. 64")
    return count


def _root(value: Any) -> str:
    """A folder path: text or a path, without NUL, at most 4 096 characters."""
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if not isinstance(value, str) or not value.strip() or "\x00" in value or len(value) > 4096:
        raise InvalidValueError(
            "is not a folder path", field="root", value=value if isinstance(value, str) else type(value).__name__,
            constraint="a non-empty path of at most 4,096 characters, without NUL",
            hint="pass the folder (local or mounted, reachable by every worker) that holds the state",
        )
    return value


@attrs.frozen
class StateStore:
    """The state of a portfolio between daily steps, as folders of Parquet files under ``root`` (a local or mounted
    path every worker can reach).

    Examples:
        >>> import tempfile
        >>> import polars as pl
        >>> from postsale.adapters.frame import step_frame
        >>> store = StateStore(tempfile.mkdtemp())
        >>> store.latest(before=date(2026, 3, 2)) is None
        True
        >>> day = pl.DataFrame({"account_id": ["acme"], "segment": ["SMB"], "support_tickets_week": [4.0]})
        >>> step = step_frame(day, None, as_of=date(2026, 3, 2))
        >>> store.write(date(2026, 3, 2), 0, step.state, step.alerts)
        >>> store.commit(date(2026, 3, 2), previous=None, buckets=1)
        >>> store.latest(before=date(2026, 3, 3)), store.read(date(2026, 3, 2), 0).rules["rule_id"].to_list()
        (datetime.date(2026, 3, 2), ['H4'])
        >>> pl.read_parquet(store.frames(date(2026, 3, 2), "alerts"))["rule_id"].to_list()
        ['H4']
    """

    __repr__ = readable
    root: str = attrs.field(converter=_root)

    def day(self, day: date) -> Path:
        """Return the folder of ``day``."""
        return Path(self.root) / _checks.a_date("day", day).isoformat()

    def bucket(self, day: date, bucket: int) -> Path:
        """Return the folder of one bucket of ``day``."""
        return self.day(day) / f"bucket={_checks.count('bucket', bucket)}"

    def latest(self, *, before: date) -> date | None:
        """Return the last completed day (its ``_SUCCESS`` written) before ``before``, None when there is none."""
        _checks.a_date("before", before)
        return max((day for day in self.completed() if day < before), default=None)

    def completed(self) -> list[date]:
        """Return the completed days (their ``_SUCCESS`` written), in no particular order."""
        root = Path(self.root)
        found = []
        for entry in root.iterdir() if root.is_dir() else ():
            try:
                day = date.fromisoformat(entry.name)
            except ValueError:
                continue
            if (entry / _SUCCESS).exists():
                found.append(day)
        return found

    def read(self, day: date, bucket: int) -> FrameState | None:
        """Return one bucket's state of ``day`` as Polars frames, None when the bucket has none."""
        pl = require("polars", "polars")
        folder = self.bucket(day, bucket)
        if not (folder / "accounts.parquet").exists():
            return None
        return FrameState(*(pl.read_parquet(folder / f"{part}.parquet") for part in _PARTS))

    def write(self, day: date, bucket: int, state: FrameState, alerts: Any = None, errors: Any = None) -> None:
        """Write one bucket of ``day`` whole (its state, and its alerts and errors when given): into a temporary
        folder, then renamed into place, replacing an earlier run's."""
        pl = require("polars", "polars")
        _checks.instance("state", state, FrameState, hint="pass the state step_frame returned")
        for name, frame in (*zip(_PARTS, attrs.astuple(state, recurse=False), strict=True),
                            ("alerts", alerts), ("errors", errors)):
            if frame is not None:
                _checks.instance(name, frame, pl.DataFrame, hint="pass Polars frames (the store writes Polars)")
        folder = self.bucket(day, bucket)
        folder.parent.mkdir(parents=True, exist_ok=True)
        scratch = folder.parent / f".{folder.name}.{uuid.uuid4().hex}"
        scratch.mkdir()
        frames = dict(zip(_PARTS, attrs.astuple(state, recurse=False), strict=True))
        frames.update({name: frame for name, frame in (("alerts", alerts), ("errors", errors)) if frame is not None})
        for name, frame in frames.items():
            frame.write_parquet(scratch / f"{name}.parquet")
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(scratch, folder)

    def commit(self, day: date, *, previous: date | None, buckets: int) -> None:
        """Complete ``day``: carry forward the state of the buckets no row reached today, then write the marker."""
        if previous is not None:
            _checks.a_date("previous", previous)
        for bucket in range(_buckets(buckets)):
            target = self.bucket(day, bucket)
            if (target / "accounts.parquet").exists() or previous is None:
                continue
            state = self.read(previous, bucket)
            if state is not None:
                self.write(day, bucket, state)
        self.day(day).mkdir(parents=True, exist_ok=True)  # a day without rows is a day too
        (self.day(day) / _SUCCESS).touch()

    def frames(self, day: date, part: str) -> str:
        """Return the glob of one part (``alerts``, ``errors``, ``accounts``, ``rules`` or ``budget``) of every
        bucket of ``day``, for any reader (``pl.scan_parquet``, ``dd.read_parquet``, ``spark.read.parquet``)."""
        _checks.one_of("part", part, (*_PARTS, "alerts", "errors"))
        return str(self.day(day) / "bucket=*" / f"{part}.parquet")


def step_bucket(
    rows: Any,
    store: StateStore,
    *,
    bucket: int,
    as_of: date,
    previous: date | None,
    settings: ReviewSettings = DEFAULT_REVIEW_SETTINGS,
    evidence: bool = True,
) -> int:
    """Run the daily step for one bucket's rows (a pandas or Polars frame, without the :data:`BUCKET` column) from
    the bucket's state of ``previous`` and write the bucket of ``as_of``; return the number of alerts.

    Raises:
        InvalidTypeError: ``store`` is not a :class:`StateStore`.
        PostsaleError: as :func:`~postsale.adapters.frame.step_frame`.
    """
    pl = require("polars", "polars")
    pd = require("pandas", "frame")
    _checks.instance("store", store, StateStore, hint="pass a postsale.adapters.frame.StateStore")
    _checks.instance("rows", rows, (pl.DataFrame, pd.DataFrame), hint="pass one bucket's rows as a pandas or Polars "
                     "frame")
    if previous is not None:
        _checks.a_date("previous", previous)
    frame = rows if isinstance(rows, pl.DataFrame) else pl.from_pandas(rows)
    frame = frame.drop(BUCKET, strict=False)
    state = None if previous is None else store.read(previous, bucket)
    step = step_frame(frame, state, as_of=as_of, settings=settings, evidence=evidence)
    store.write(as_of, bucket, step.state, step.alerts, step.errors)
    return int(step.alerts.height)


def step_dask(
    snapshots: Any,
    store: StateStore,
    *,
    as_of: date,
    buckets: int = 64,
    settings: ReviewSettings = DEFAULT_REVIEW_SETTINGS,
    evidence: bool = True,
) -> int:
    """Run the daily step over a Dask frame of the day's rows (one per account): rows shuffled by bucket, one task
    per bucket, the state read and written in ``store``; return the number of alerts (read them with
    ``dd.read_parquet(store.frames(as_of, "alerts"))``).

    Raises:
        InvalidValueError: ``buckets`` out of range; ``as_of`` not after the last completed day.
    """
    dd = require("dask.dataframe", "dask")
    pd = require("pandas", "frame")
    _checks.instance("snapshots", snapshots, dd.DataFrame, hint="pass a dask.dataframe.DataFrame of the day's rows")
    count = _buckets(buckets)
    previous = _previous(store, as_of)
    shuffled = _dask_buckets(snapshots, count)

    def run(part: Any) -> Any:
        done = [(int(b), step_bucket(rows, store, bucket=int(b), as_of=as_of, previous=previous, settings=settings,
                                     evidence=evidence)) for b, rows in part.groupby(BUCKET)]
        return pd.DataFrame(done, columns=["bucket", "alerts"]).astype("int64")

    done = shuffled.map_partitions(run, meta=dd.utils.make_meta({"bucket": "int64", "alerts": "int64"})).compute()
    store.commit(as_of, previous=previous, buckets=count)
    return int(done["alerts"].sum())


def step_spark(
    snapshots: Any,
    store: StateStore,
    *,
    as_of: date,
    buckets: int = 64,
    settings: ReviewSettings = DEFAULT_REVIEW_SETTINGS,
    evidence: bool = True,
) -> int:
    """Run the daily step over a PySpark frame of the day's rows: ``groupBy(bucket).applyInPandas``, one task per
    bucket, the state read and written in ``store``; return the number of alerts (read them with
    ``spark.read.parquet(store.frames(as_of, "alerts"))``).

    Raises:
        InvalidValueError: ``buckets`` out of range; ``as_of`` not after the last completed day.
    """
    pd = require("pandas", "frame")
    sql = require("pyspark.sql", "spark")
    _checks.instance("snapshots", snapshots, sql.DataFrame, hint="pass a pyspark.sql.DataFrame of the day's rows")
    count = _buckets(buckets)
    previous = _previous(store, as_of)
    keyed = _spark_buckets(snapshots, count)

    def run(rows: Any) -> Any:
        bucket = int(rows[BUCKET].iloc[0])
        alerts = step_bucket(_dotted(rows), store, bucket=bucket, as_of=as_of, previous=previous, settings=settings,
                             evidence=evidence)
        return pd.DataFrame({"bucket": [bucket], "alerts": [alerts]}).astype("int64")

    done = keyed.groupBy(BUCKET).applyInPandas(run, schema="bucket long, alerts long").collect()  # a row a bucket
    store.commit(as_of, previous=previous, buckets=count)
    return sum(int(row["alerts"]) for row in done)


_DOT: Final = "\u2024"
"""Stands for a dot in a column name while a frame is in Spark (``label.source``, ``signals.nps``), where a dot
reads as a struct field."""


def _undotted(frame: Any) -> Any:
    """A Spark frame whose dotted column names are spelt without dots (see :func:`_dotted`)."""
    return frame.toDF(*(name.replace(".", _DOT) for name in frame.columns))


def _dotted(rows: Any) -> Any:
    """A pandas frame back from Spark with its column names spelt as given."""
    return rows.rename(columns=lambda name: name.replace(_DOT, "."))


def _previous(store: StateStore, as_of: date) -> date | None:
    _checks.instance("store", store, StateStore, hint="pass a postsale.adapters.frame.StateStore")
    _checks.a_date("as_of", as_of)
    later = [d for d in store.completed() if d >= as_of]
    if later:
        raise InvalidValueError(
            "is not after the last completed day", field="as_of", value=as_of,
            constraint=f"the store already holds {max(later).isoformat()}",
            hint=f"step a day after {max(later).isoformat()}, or remove that day's folder to run it again",
        )
    return store.latest(before=as_of)


def backtest_dask(
    history: Any,
    outcomes: Any,
    *,
    buckets: int = 64,
    settings: ReviewSettings = DEFAULT_REVIEW_SETTINGS,
    horizon_days: int = BACKTEST_HORIZON_DAYS,
    early_days: int = EARLY_WARNING_DAYS,
    target: OutcomeKind | str | None = None,
) -> FrameBacktest:
    """:func:`~postsale.adapters.frame.backtest_frame` over a Dask frame of daily snapshots: each bucket of
    accounts replayed by one task, the alerts scored together (the alerts per account-week are the same up to the
    order the observed weeks are added in).

    Raises:
        InvalidTypeError: ``history`` is not a Dask frame.
        PostsaleError: as :func:`~postsale.adapters.frame.backtest_frame`.
    """
    dd = require("dask.dataframe", "dask")
    _checks.instance("history", history, dd.DataFrame, hint="pass a dask.dataframe.DataFrame of daily snapshots")
    count = _buckets(buckets)
    replayed = _dask_buckets(history, count).map_partitions(_replay_buckets(settings), meta=_REPLAYED).compute()
    spans = history.groupby("account_id")["as_of"].agg(["min", "max"]).compute()
    return _scored(replayed, spans, outcomes, settings, horizon_days, early_days, target)


def backtest_spark(
    history: Any,
    outcomes: Any,
    *,
    buckets: int = 64,
    settings: ReviewSettings = DEFAULT_REVIEW_SETTINGS,
    horizon_days: int = BACKTEST_HORIZON_DAYS,
    early_days: int = EARLY_WARNING_DAYS,
    target: OutcomeKind | str | None = None,
) -> FrameBacktest:
    """:func:`~postsale.adapters.frame.backtest_frame` over a PySpark frame of daily snapshots
    (``groupBy(bucket).applyInPandas``, one task per bucket), the alerts scored together.

    Raises:
        InvalidTypeError: ``history`` is not a PySpark frame.
        PostsaleError: as :func:`~postsale.adapters.frame.backtest_frame`.
    """
    sql = require("pyspark.sql", "spark")
    functions = require("pyspark.sql.functions", "spark")
    _checks.instance("history", history, sql.DataFrame, hint="pass a pyspark.sql.DataFrame of daily snapshots")
    count = _buckets(buckets)
    keyed = _spark_buckets(history, count)
    schema = ", ".join(f"`{name}` string" for name in _REPLAYED)
    rows = keyed.groupBy(BUCKET).applyInPandas(_replay_buckets(settings), schema=schema).collect()
    pd = require("pandas", "frame")
    replayed = pd.DataFrame([row.asDict() for row in rows], columns=list(_REPLAYED))
    found = history.groupBy("account_id").agg(functions.min("as_of").alias("min"), functions.max("as_of").alias("max"))
    spans = pd.DataFrame([row.asDict() for row in found.collect()], columns=["account_id", "min", "max"])
    return _scored(replayed, spans.set_index("account_id"), outcomes, settings, horizon_days, early_days, target)


_REPLAYED: Final = dict.fromkeys(
    ("what", "account_id", "rule_id", "as_of", "held_back", "column", "value", "reason"), "object"
)
"""The rows a bucket's replay sends back: its alerts (``what`` = ``alert``) and its refused rows (``error``), as
text (one schema for both, and for Spark)."""


def _replay_buckets(settings: ReviewSettings) -> Any:
    """The task: replay every bucket of a partition (pandas), alerts and refused rows as :data:`_REPLAYED`."""

    def run(part: Any) -> Any:
        pl = require("polars", "polars")
        found = []
        for _, rows in part.groupby(BUCKET):
            good, undated = dated(pl, pl.from_pandas(_dotted(rows.drop(columns=BUCKET))).lazy())
            alerts, errors = replay(pl, good, settings)
            errors = pl.concat([errors, undated.collect()], how="diagonal_relaxed")
            found.append(alerts.with_columns(pl.lit("alert").alias("what")))
            found.append(errors.with_columns(pl.lit("error").alias("what")))
        return _as_text(found, _REPLAYED)

    return run


def _scored(replayed: Any, spans: Any, outcomes: Any, settings: ReviewSettings, horizon: int, early: int,
            target: Any) -> FrameBacktest:
    """Score the replayed alerts of every bucket together (``spans``: pandas, first and last day by account)."""
    pl = require("polars", "polars")
    kind, happened = arguments(pl, outcomes, settings, horizon, early, target)
    frame = _from_text(replayed, _REPLAYED)
    day = pl.col("as_of").str.slice(0, 10).str.to_date()
    alerts = frame.filter(pl.col("what") == "alert").select("account_id", "rule_id", day, "held_back")
    errors = frame.filter(pl.col("what") == "error").select("account_id", "column", "value", "reason", day)
    ordered = pl.DataFrame({"account_id": [str(a) for a in spans.index],
                            "first": [_a_date(d) for d in spans["min"]], "last": [_a_date(d) for d in spans["max"]]},
                           schema={"account_id": pl.String, "first": pl.Date, "last": pl.Date})
    report = scored(pl, alerts, ordered.sort("first", "account_id"), happened, settings, horizon, early, kind)
    return FrameBacktest(report, alerts, errors)


def _a_date(value: Any) -> date:
    """A day read back from pandas (a Timestamp, a datetime or a date)."""
    found: date = value.date() if isinstance(value, datetime) else value
    return found


def journey_analytics_dask(
    events: Any, *, by: str = "segment", include_cycles: bool = True, as_of: date | None = None, buckets: int = 64
) -> FrameAnalytics:
    """:func:`~postsale.adapters.frame.journey_analytics_frame` over a Dask event table: each bucket of accounts
    prepared by one task (the events of an account stay in their order), the cohorts counted together.

    Raises:
        InvalidTypeError: ``events`` is not a Dask frame.
        PostsaleError: as :func:`~postsale.adapters.frame.journey_analytics_frame`.
    """
    dd = require("dask.dataframe", "dask")
    np = require("numpy", "frame")
    _checks.instance("events", events, dd.DataFrame, hint="pass a dask.dataframe.DataFrame of journey events")
    count, day = _analytics_arguments(by, include_cycles, as_of, buckets)
    sizes = events.map_partitions(len).compute().tolist()
    offsets = [sum(sizes[:i]) for i in range(len(sizes))]

    def numbered(part: Any, partition_info: Any = None) -> Any:
        start = offsets[partition_info["number"]] if partition_info else 0
        return part.assign(**{_SEQ: np.arange(start, start + len(part), dtype="int64")})

    keyed = events.map_partitions(numbered, meta={**events.dtypes.to_dict(), _SEQ: "int64"})
    prepared = _dask_buckets(keyed, count).map_partitions(_prepare_buckets(by, day), meta=_PREPARED).compute()
    return _counted(prepared, include_cycles)


def journey_analytics_spark(
    events: Any, *, by: str = "segment", include_cycles: bool = True, as_of: date | None = None, buckets: int = 64
) -> FrameAnalytics:
    """:func:`~postsale.adapters.frame.journey_analytics_frame` over a PySpark event table
    (``groupBy(bucket).applyInPandas``; the events of an account keep the table's order).

    Raises:
        InvalidTypeError: ``events`` is not a PySpark frame.
        PostsaleError: as :func:`~postsale.adapters.frame.journey_analytics_frame`.
    """
    sql = require("pyspark.sql", "spark")
    functions = require("pyspark.sql.functions", "spark")
    _checks.instance("events", events, sql.DataFrame, hint="pass a pyspark.sql.DataFrame of journey events")
    count, day = _analytics_arguments(by, include_cycles, as_of, buckets)
    keyed = _spark_buckets(events.withColumn(_SEQ, functions.monotonically_increasing_id()), count)
    schema = ", ".join(f"`{name}` string" for name in _PREPARED)
    rows = keyed.groupBy(BUCKET).applyInPandas(_prepare_buckets(by, day), schema=schema).collect()
    pd = require("pandas", "frame")
    return _counted(pd.DataFrame([row.asDict() for row in rows], columns=list(_PREPARED)), include_cycles)


_SEQ: Final = "__seq"
_PREPARED: Final = dict.fromkeys(
    ("what", "account_id", "from_stage", "to_stage", "kind", "cause", "__cohort", "__stage", "__days", "__last",
     "row", "column", "reason"), "object"
)
"""What a bucket of events sends back, as text: its prepared rows (``what`` = ``event``) and its errors."""


def _analytics_arguments(by: Any, include_cycles: Any, as_of: Any, buckets: Any) -> tuple[int, date | None]:
    _checks.flag("include_cycles", include_cycles)
    if not isinstance(by, str) or not by.strip():
        raise InvalidValueError("must be 'segment' or a label name", field="by", value=by, hint='pass by="segment"')
    return _buckets(buckets), None if as_of is None else _checks.a_date("as_of", as_of)


def _prepare_buckets(by: str, as_of: date | None) -> Any:
    """The task: validate and prepare each bucket's events (pandas) in their order, as :data:`_PREPARED`."""

    def run(part: Any) -> Any:
        pl = require("polars", "polars")
        found = []
        for _, rows in part.groupby(BUCKET):
            ordered = pl.from_pandas(_dotted(rows.sort_values(_SEQ).drop(columns=[BUCKET, _SEQ])))
            good, errors = valid_events(pl, ordered)
            found.append(prepare(pl, good, by=by, as_of=as_of).with_columns(pl.lit("event").alias("what")))
            found.append(errors.with_columns(pl.lit("error").alias("what")))
        return _as_text(found, _PREPARED)

    return run


def _counted(prepared: Any, include_cycles: bool) -> FrameAnalytics:
    """The cohorts' analytics from every bucket's prepared rows."""
    pl = require("polars", "polars")
    frame = _from_text(prepared, _PREPARED)
    rows = frame.filter(pl.col("what") == "event").with_columns(
        pl.col("__days").cast(pl.Int64), (pl.col("__last") == "true").alias("__last"))
    errors = frame.filter(pl.col("what") == "error").select(
        "account_id", pl.col("row").cast(pl.Int64), "column", pl.lit(None, pl.String).alias("value"), "reason")
    return FrameAnalytics(analyze_prepared(pl, rows, include_cycles), errors)


def _dask_buckets(frame: Any, count: int) -> Any:
    """``frame`` (Dask) with each row's bucket, shuffled so that a partition holds whole buckets (the task-based
    shuffle: it keeps the rows of a bucket in their order)."""
    ids = frame["account_id"]
    keyed = frame.assign(**{BUCKET: ids.map(lambda a: bucket_of(str(a), count), meta=(BUCKET, "int64"))})
    return keyed.shuffle(BUCKET, npartitions=max(1, min(count, keyed.npartitions)), shuffle_method="tasks")


def _spark_buckets(frame: Any, count: int) -> Any:
    """``frame`` (Spark) with each row's bucket, its dotted column names spelt without dots."""
    functions = require("pyspark.sql.functions", "spark")
    bucket = (functions.crc32(functions.col("account_id").cast("string")) % count).cast("long")
    return _undotted(frame).withColumn(BUCKET, bucket)


def _as_text(found: list[Any], columns: Mapping[str, str]) -> Any:
    """Polars frames sent back by a task as one pandas frame of text (one schema for every engine)."""
    pl = require("polars", "polars")
    pd = require("pandas", "frame")
    if not found:
        return pd.DataFrame({name: pd.Series([], dtype=object) for name in columns})
    merged = pl.concat(found, how="diagonal_relaxed")
    return merged.select(pl.col(name).cast(pl.String) if name in merged.columns else pl.lit(None, pl.String)
                         .alias(name) for name in columns).to_pandas().astype(object)


def _from_text(rows: Any, columns: Mapping[str, str]) -> Any:
    """The tasks' pandas text back as a Polars frame of text (null where missing)."""
    pl = require("polars", "polars")
    return pl.DataFrame({name: [None if v is None or v != v else str(v) for v in rows[name]]  # noqa: PLR0124
                         for name in columns}, schema=dict.fromkeys(columns, pl.String))
