"""Any dataframe in, the same kind out: a whole portfolio on the columnar path, and values as pandas frames.

* :func:`review_frame` reviews every account of a pandas, Polars, PyArrow, DuckDB, Dask or PySpark frame with the
  same decisions (and answers) as :func:`postsale.review_account`; :func:`review_schema` gives its output
  columns without a trial run.
* :func:`renewal_frame` gives every account's renewal status as columns (the timeline's dates, the phase, the
  next, overdue and completed milestones), the fields of ``review_account(...).renewal``.
* :func:`step_frame` is the daily step over columns: one day of every account against yesterday's state (three
  frames), with the trigger engine's alert hygiene, giving the day's alerts (delivered or held back, with why)
  and the new state; :func:`step_state_schema` gives the state's columns.
* :func:`step_dask` and :func:`step_spark` run the daily step on a cluster, accounts split into buckets
  (:func:`bucket_of`) whose state lives in a :class:`StateStore` (Parquet folders, one per day and bucket);
  :func:`step_bucket` is their task.
* :func:`backtest_frame` replays a history frame (one row per account and day) through the daily step and scores
  each rule against an outcomes frame, as :func:`postsale.triggers.backtest` does, a day in memory at a time.
* :func:`journey_stages` and :func:`journey_analytics_frame` read an event table (:func:`journey_events` writes
  one from scalar journeys): each track's stage and timing as of a date, and the journey analytics by cohort.
* :func:`rollup_frame` / :func:`rollup_by_month_frame` roll up a frame of renewals (the period's and each month's
  :class:`~postsale.renewal.ForecastRollup`, exact money) and :func:`retention_frame` measures retention from a
  ledger frame of revenue movements (:class:`~postsale.kpi.RetentionReport`, by cohort too), the values of
  :func:`postsale.renewal.roll_up` and :func:`postsale.kpi.retention`; refused rows come back with the reason.
* :func:`to_pandas` / :func:`to_polars` turn any collection of postsale values into a pandas / Polars frame
  (enums as categoricals or ``pl.Enum``, dates as dates, money exact or float); :func:`band_styler` colours a
  pandas frame's health bands.
* :class:`Env` is what a decision's columnar form (its ``expr`` method) reads, to compose the forms into a query
  of your own (:func:`physical` gives the dot-free names the columns have inside it).

An adapter: ``pip install 'postsale[frame]'`` (narwhals, pandas, pyarrow); see docs/frame.md.
"""

from postsale._columnar import Env, NotEvaluable, physical, require
from postsale._errors import MissingDependencyError
from postsale.adapters.frame._backtest import FrameBacktest, backtest_frame
from postsale.adapters.frame._cluster import (
    BUCKET,
    StateStore,
    backtest_dask,
    backtest_spark,
    bucket_of,
    journey_analytics_dask,
    journey_analytics_spark,
    step_bucket,
    step_dask,
    step_spark,
)
from postsale.adapters.frame._journey import (
    EVENTS_SCHEMA,
    FrameAnalytics,
    FrameStages,
    journey_analytics_frame,
    journey_events,
    journey_stages,
)
from postsale.adapters.frame._ledger import FrameRetention, retention_frame
from postsale.adapters.frame._pandas import band_styler, to_pandas, to_polars
from postsale.adapters.frame._review import ERRORS_SCHEMA, FrameReview, NotEvaluated, review_frame, review_schema
from postsale.adapters.frame._rollup import (
    REJECTED_SCHEMA,
    FrameMonths,
    FrameRollup,
    rollup_by_month_frame,
    rollup_frame,
)
from postsale.adapters.frame._sample import sample_frame
from postsale.adapters.frame._step import FrameState, FrameStep, step_frame, step_state_schema
from postsale.adapters.frame._timeline import RENEWAL_SCHEMA, FrameRenewals, renewal_frame

__all__ = [
    "BUCKET",
    "ERRORS_SCHEMA",
    "EVENTS_SCHEMA",
    "REJECTED_SCHEMA",
    "RENEWAL_SCHEMA",
    "Env",
    "FrameAnalytics",
    "FrameBacktest",
    "FrameMonths",
    "FrameRenewals",
    "FrameRetention",
    "FrameReview",
    "FrameRollup",
    "FrameStages",
    "FrameState",
    "FrameStep",
    "MissingDependencyError",
    "NotEvaluable",
    "NotEvaluated",
    "StateStore",
    "backtest_dask",
    "backtest_frame",
    "backtest_spark",
    "band_styler",
    "bucket_of",
    "journey_analytics_dask",
    "journey_analytics_frame",
    "journey_analytics_spark",
    "journey_events",
    "journey_stages",
    "physical",
    "renewal_frame",
    "require",
    "retention_frame",
    "review_frame",
    "review_schema",
    "rollup_by_month_frame",
    "rollup_frame",
    "sample_frame",
    "step_bucket",
    "step_dask",
    "step_frame",
    "step_spark",
    "step_state_schema",
    "to_pandas",
    "to_polars",
]
