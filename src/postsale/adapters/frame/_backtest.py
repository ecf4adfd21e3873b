"""Backtests over columns: a history frame replayed day by day through the daily step, scored against outcomes.

The history (one row per account and day, the columns of :func:`~postsale.adapters.frame.review_frame` plus
``as_of``) is read one day at a time — from a Polars LazyFrame over a Parquet dataset only that day's rows are in
memory, with the state of every account — and each day goes through :func:`~postsale.adapters.frame.step_frame`
without evidence. The alerts are then scored per rule against the outcomes frame as the scalar
:func:`postsale.triggers.backtest` scores them (guide: Triggers › Backtests), and the answer is the same
:class:`~postsale.triggers.Backtest` value.
"""

from __future__ import annotations

import statistics
from typing import Any, Final

import attrs

from postsale import _checks
from postsale._columnar import polars_day, require
from postsale._errors import InvalidTypeError, InvalidValueError
from postsale._repr import readable
from postsale.adapters.frame._step import step_frame
from postsale.review import DEFAULT_REVIEW_SETTINGS, ReviewSettings
from postsale.triggers import BACKTEST_HORIZON_DAYS, EARLY_WARNING_DAYS, Backtest, OutcomeKind, RuleScore

__all__ = ["FrameBacktest", "backtest_frame"]

_HISTORY: Final = ("account_id", "segment", "as_of")
_OUTCOMES: Final = ("account_id", "kind", "on")


@attrs.frozen
class FrameBacktest:
    """What :func:`backtest_frame` returns.

    Attributes:
        backtest: The scores, the value the scalar :func:`postsale.triggers.backtest` gives (without its errors).
        alerts: Every alert of the replay (Polars: ``account_id``, ``rule_id``, ``as_of``, ``held_back``).
        errors: The rows the replay refused (Polars, :data:`~postsale.adapters.frame.ERRORS_SCHEMA` and ``as_of``).
    """

    __repr__ = readable
    backtest: Backtest
    alerts: Any
    errors: Any


def backtest_frame(
    history: Any,
    outcomes: Any,
    *,
    settings: ReviewSettings = DEFAULT_REVIEW_SETTINGS,
    horizon_days: int = BACKTEST_HORIZON_DAYS,
    early_days: int = EARLY_WARNING_DAYS,
    target: OutcomeKind | str | None = None,
) -> FrameBacktest:
    """Replay ``history`` through ``settings``' rules with alert hygiene and score each rule against ``outcomes``:
    the answer of ``backtest(settings.rule_set, snapshots, outcomes, health_model=settings.health_model)``.

    Args:
        history: One row per account and day (pandas or Polars, eager or lazy): ``account_id``, ``segment``,
            ``as_of`` (a date) and the signal columns.
        outcomes: One row per outcome: ``account_id``, ``kind`` (CHURNED, RENEWED or EXPANDED) and ``on`` (a date).
        settings: The rules (with their hygiene) and the health model.
        horizon_days: How far ahead an alert may anticipate an outcome.
        early_days: Lead time that counts as early enough.
        target: Score every rule against this outcome kind instead of its own.

    Raises:
        InvalidTypeError: a frame that is not a pandas or Polars frame; settings that are not review settings.
        InvalidValueError: a frame without its columns; horizon or early days not whole days >= 0; an unknown
            outcome kind.

    Examples:
        >>> import polars as pl
        >>> from datetime import date, timedelta
        >>> days = [date(2026, 1, 5) + timedelta(weeks=i) for i in range(3)]
        >>> history = pl.DataFrame({"account_id": ["a"] * 3, "segment": ["SMB"] * 3, "as_of": days,
        ...                         "support_tickets_week": [0.0, 4.0, 0.0]})
        >>> outcomes = pl.DataFrame({"account_id": ["a"], "kind": ["CHURNED"], "on": [date(2026, 3, 1)]})
        >>> report = backtest_frame(history, outcomes).backtest
        >>> report.rule("H4").alerts, report.rule("H4").recall, report.rule("H4").median_lead_days
        (1, 1.0, 48.0)
    """
    pl = require("polars", "polars")
    kind, happened = arguments(pl, outcomes, settings, horizon_days, early_days, target)
    days_frame, undated = dated(pl, _lazy(pl, "history", history, _HISTORY))
    alerts, errors = replay(pl, days_frame, settings)
    errors = pl.concat([errors, undated.collect()], how="diagonal_relaxed")
    # each account's first and last day, in the order the scalar backtest first meets them (by day, then by row):
    # a group-by the streaming engine runs in bounded memory, not a sort of the whole history
    met = pl.col("as_of").cast(pl.Int64) * (1 << 40) + pl.col("__row").cast(pl.Int64)
    spans = (days_frame.with_row_index("__row").group_by("account_id")
             .agg(first=pl.col("as_of").min(), last=pl.col("as_of").max(), __met=met.min())
             .collect(engine="streaming").sort("__met").with_row_index("__seen")
             .select("account_id", "first", "last", "__seen"))
    report = scored(pl, alerts, spans, happened, settings, horizon_days, early_days, kind)
    return FrameBacktest(report, alerts, errors)


def arguments(
    pl: Any, outcomes: Any, settings: ReviewSettings, horizon_days: int, early_days: int, target: Any
) -> tuple[OutcomeKind | None, Any]:
    """Check a backtest's arguments: the target kind and the outcomes as a Polars frame."""
    _checks.instance("settings", settings, ReviewSettings, hint="pass a postsale.review.ReviewSettings")
    for name, value in (("horizon_days", horizon_days), ("early_days", early_days)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidValueError("must be a whole number of days >= 0", field=name, value=value, hint="e.g. 90")
    kind = None if target is None else _checks.member(OutcomeKind, "target", target)
    given = _lazy(pl, "outcomes", outcomes, _OUTCOMES)
    happened = given.select(
        pl.col("account_id").cast(pl.String), pl.col("kind").cast(pl.String),
        polars_day(pl, given.collect_schema()["on"], "on"), pl.col("on").cast(pl.String).alias("__given"),
    ).collect()
    undated = happened.filter(pl.col("on").is_null())
    if undated.height:
        raise InvalidValueError(
            "is not a date", field="outcomes.on", value=undated["__given"][0],
            constraint="every outcome has the day it happened", hint="pass dates (or ISO text such as 2026-03-01)",
        )
    happened = happened.drop("__given")
    unknown = sorted(set(happened["kind"].drop_nulls()) - {k.name for k in OutcomeKind})
    if unknown or happened["kind"].null_count():
        raise InvalidValueError(
            "has an unknown outcome kind", field="outcomes.kind", value=unknown[0] if unknown else None,
            constraint="one of " + ", ".join(k.name for k in OutcomeKind), hint="name each outcome's kind",
        )
    return kind, happened


def scored(
    pl: Any, alerts: Any, spans: Any, outcomes: Any, settings: ReviewSettings, horizon: int, early: int,
    kind: OutcomeKind | None,
) -> Backtest:
    """The backtest of the replay's ``alerts``; ``spans``: each account's first and last day, in the order the
    observed weeks are added up."""
    account_weeks = sum(((last - first).days + 1) / 7 for first, last in zip(spans["first"], spans["last"],
                                                                             strict=True))
    scores = tuple(
        _score(pl, rule.id, kind or rule.predicts, alerts, outcomes, horizon=horizon, early=early,
               account_weeks=account_weeks)
        for rule in settings.rule_set.rules
    )
    return Backtest(rule_set_version=settings.rule_set.version, horizon_days=horizon, early_days=early,
                    accounts=spans.height, account_weeks=account_weeks, rules=scores)


def _lazy(pl: Any, field: str, frame: Any, columns: tuple[str, ...]) -> Any:
    """``frame`` as a Polars LazyFrame, refused when it is no pandas or Polars frame or lacks ``columns``."""
    pd = require("pandas", "frame")
    if isinstance(frame, pd.DataFrame):
        frame = pl.from_pandas(frame)
    if not isinstance(frame, (pl.DataFrame, pl.LazyFrame)):
        raise InvalidTypeError("is not a dataframe", field=field, value=type(frame).__name__,
                               hint="pass a pandas or Polars frame (a LazyFrame over Parquet for a large history)")
    lazy = frame.lazy()
    missing = [name for name in columns if name not in lazy.collect_schema().names()]
    if missing:
        raise InvalidValueError(f"lacks column(s) {', '.join(missing)}", field=field, value=missing,
                                constraint=f"the columns {', '.join(columns)}", hint="rename or add them")
    return lazy


def dated(pl: Any, history: Any) -> tuple[Any, Any]:
    """The history rows with a day (``as_of`` as a Date) and, as error rows, those whose ``as_of`` is missing or
    not a date: a row the replay cannot place is reported, never a reason to stop."""
    parsed = history.with_columns(polars_day(pl, history.collect_schema()["as_of"], "as_of").alias("__day"))
    bad = parsed.filter(pl.col("__day").is_null()).select(
        pl.col("account_id").cast(pl.String), pl.lit("as_of").alias("column"),
        pl.col("as_of").cast(pl.String).alias("value"),
        pl.lit("as_of: is missing or not a date; rule: each history row is one account on one day; instead: "
               "pass a date (or ISO text such as 2026-03-01)").alias("reason"),
    )
    return parsed.filter(pl.col("__day").is_not_null()).with_columns(pl.col("__day").alias("as_of")).drop("__day"), bad


def replay(pl: Any, history: Any, settings: ReviewSettings) -> tuple[Any, Any]:
    """Fold the daily step over the history's days (``as_of`` Dates, see :func:`dated`): every alert and every
    refused row."""
    days = sorted(history.select(pl.col("as_of")).unique().collect()["as_of"].drop_nulls())
    state = None
    alerts: list[Any] = []
    errors: list[Any] = []
    for day in days:
        rows = history.filter(pl.col("as_of") == day).drop("as_of").collect()
        step = step_frame(rows, state, as_of=day, settings=settings, evidence=False)
        state = step.state
        alerts.append(step.alerts.select("account_id", "rule_id", "as_of", "held_back"))
        errors.append(step.errors.with_columns(pl.lit(day).alias("as_of")))
    schema = {"account_id": pl.String, "rule_id": pl.String, "as_of": pl.Date, "held_back": pl.String}
    found = pl.concat(alerts) if alerts else pl.DataFrame(schema=schema)
    refused = pl.concat(errors) if errors else pl.DataFrame(schema={"account_id": pl.String, "as_of": pl.Date})
    return found, refused


def _score(
    pl: Any, rule_id: str, kind: OutcomeKind | None, alerts: Any, outcomes: Any, *, horizon: int, early: int,
    account_weeks: float,
) -> RuleScore:
    """The scalar backtest's score of one rule, from the replay's alerts and the outcomes."""
    mine = alerts.filter(pl.col("rule_id") == rule_id)
    delivered = mine.filter(pl.col("held_back").is_null()).select("account_id", "as_of")
    volume = delivered.height / account_weeks if account_weeks else 0.0
    if kind is None:
        return RuleScore(rule_id, None, delivered.height, mine.height - delivered.height, 0, None, 0, 0, None, None,
                         0, volume)
    targets = outcomes.filter(pl.col("kind") == kind.name).with_row_index("outcome")
    pairs = delivered.with_row_index("alert").join(targets, on="account_id", how="inner").with_columns(
        (pl.col("on") - pl.col("as_of")).dt.total_days().alias("lead")
    ).filter(pl.col("lead").is_between(0, horizon))
    hits = pairs["alert"].n_unique()
    leads = pairs.group_by("outcome").agg(pl.col("lead").max())["lead"].to_list()
    return RuleScore(
        rule_id=rule_id, target=kind, alerts=delivered.height, suppressed=mine.height - delivered.height,
        true_positives=hits, precision=None if delivered.height == 0 else hits / delivered.height,
        outcomes=targets.height, caught=len(leads),
        recall=None if targets.height == 0 else len(leads) / targets.height,
        median_lead_days=float(statistics.median(leads)) if leads else None,
        caught_early=sum(1 for d in leads if d >= early), alerts_per_account_week=volume,
    )
