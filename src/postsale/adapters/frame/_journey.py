"""Journeys over columns: an event table in, each track's stage and timing as of a date, and the journey analytics.

The event table has one row per journey event, in the order the events happened for each account (the columns of
:data:`EVENTS_SCHEMA`; :func:`journey_events` writes it from scalar journeys). :func:`journey_stages` gives one row
per open track as of a date with its stage, days in stage and timing against the segment's benchmark, as
:meth:`postsale.journey.Journey.timing` does; :func:`journey_analytics_frame` gives the analytics of
:func:`postsale.journey.analyze_cohorts` (the same values). An account whose events do not hold together (an
unknown stage, kind or cause, a missing date, an event before the one before it, a move from a stage its track is
not in) is left out whole and its first bad row reported, as the scalar journey refuses to replay it; the criteria
the guards read are not checked again (they were, when the moves were made).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Final

import attrs

from postsale import Segment, Stage, _checks
from postsale._columnar import polars_day, require
from postsale._errors import InvalidTypeError, InvalidValueError
from postsale._frozen import freeze
from postsale._repr import readable
from postsale.journey import (
    DEFAULT_JOURNEY_DEFINITION,
    Cause,
    Journey,
    JourneyAnalytics,
    JourneyDefinition,
    RegressionRate,
    StageCompletion,
    TransitionKind,
)
from postsale.journey._analytics import _bottleneck, _completes, _velocity

__all__ = ["EVENTS_SCHEMA", "FrameAnalytics", "FrameStages", "journey_analytics_frame", "journey_events",
           "journey_stages"]

EVENTS_SCHEMA: Final = {"account_id": "String", "segment": "String", "track": "String", "at": "Date",
                        "from_stage": "String", "to_stage": "String", "kind": "String", "cause": "String"}
"""The columns of the event table (stages, kinds and causes by name; ``from_stage`` null when a track opens,
``to_stage`` null when it closes). Label columns (``label.<name>``) may follow, for cohorts by label."""

_NONE: Final = "(none)"


@attrs.frozen
class FrameStages:
    """What :func:`journey_stages` returns: ``stages`` (Polars, one row per open track) and ``errors`` (Polars,
    one row per account left out: ``account_id``, ``row``, ``column``, ``value``, ``reason``)."""

    __repr__ = readable
    stages: Any
    errors: Any


@attrs.frozen
class FrameAnalytics:
    """What :func:`journey_analytics_frame` returns: ``cohorts`` (cohort name → the
    :class:`~postsale.journey.JourneyAnalytics` of :func:`~postsale.journey.analyze_cohorts`) and ``errors``."""

    __repr__ = readable
    cohorts: Mapping[str, JourneyAnalytics]
    errors: Any


def journey_events(journeys: Iterable[Journey]) -> Any:
    """Return the event table of scalar journeys (Polars, :data:`EVENTS_SCHEMA` and a ``label.<name>`` column per
    label any of them has).

    Raises:
        InvalidTypeError: ``journeys`` is not a collection of journeys.

    Examples:
        >>> from datetime import date
        >>> from postsale.journey import Journey
        >>> journey = Journey.start("acme", "SMB", on=date(2026, 1, 5))
        >>> journey_events([journey]).select("account_id", "track", "to_stage", "kind").rows()
        [('acme', 'core', 'ONBOARDING', 'ENTRY')]
    """
    pl = require("polars", "polars")
    given = _checks.items("journeys", journeys)
    for index, journey in enumerate(given):
        _checks.instance(f"journeys[{index}]", journey, Journey, hint="pass postsale.journey.Journey values")
    labels = sorted({name for journey in given for name in journey.labels})
    rows = [
        (j.account_id, j.segment.name, e.track, e.at, getattr(e.from_stage, "name", None),
         getattr(e.to_stage, "name", None), e.kind.name, e.cause.name, *(j.labels.get(n) for n in labels))
        for j in given for e in j.history
    ]
    schema = {name: getattr(pl, dtype) for name, dtype in EVENTS_SCHEMA.items()}
    schema.update({f"label.{name}": pl.String for name in labels})
    return pl.DataFrame(rows, schema=schema, orient="row")


def journey_stages(
    events: Any, *, as_of: date, definition: JourneyDefinition = DEFAULT_JOURNEY_DEFINITION, evidence: Any = None
) -> FrameStages:
    """Return each open track's stage as of ``as_of`` (events on that day included), the day it entered it, the
    days in stage and its timing (``ON_TRACK``, ``BEHIND``, ``STUCK``; ``ONGOING`` for a stage without a
    benchmark, with ``expected_by`` and ``stuck_after`` null), as :meth:`Journey.timing` gives them.

    With ``evidence`` (a frame with ``account_id`` and signal columns, one row per account), the readiness of each
    track's next forward move too, as :meth:`Journey.suggest` judges it (the move's guards and advisory criteria;
    a missing signal is unmet): ``next_stage`` (null where there is no forward move by progress: from Expansion,
    whose next is the contract's renewal, and from Advocacy), ``ready`` and ``missing`` (the unmet criteria's
    names, comma-separated).

    Raises:
        InvalidTypeError: ``events`` is not a pandas or Polars frame, ``definition`` not a journey definition.
        InvalidValueError: ``as_of`` is not a date; the table lacks a column of :data:`EVENTS_SCHEMA`.

    Examples:
        >>> from datetime import date
        >>> from postsale.journey import Journey
        >>> events = journey_events([Journey.start("acme", "SMB", on=date(2026, 1, 5))])
        >>> journey_stages(events, as_of=date(2026, 3, 1)).stages.select("stage", "days_in_stage", "status").rows()
        [('ONBOARDING', 55, 'STUCK')]
    """
    pl = require("polars", "polars")
    day = _checks.a_date("as_of", as_of)
    _checks.instance("definition", definition, JourneyDefinition, hint="pass a postsale.journey.JourneyDefinition")
    good, errors = valid_events(pl, events)
    # A track's events come in date order: its latest as of the day is the one on or before it whose next is not.
    latest = (pl.col("at") <= day) & ~(pl.col("__next_at") <= day).fill_null(False) & pl.col("to_stage").is_not_null()
    last = good.filter(latest).select("account_id", "segment", "track", pl.col("to_stage").alias("stage"),
                                      pl.col("at").alias("since"))
    table = _benchmarks(pl, definition)
    # The timing depends on the segment, the stage and the day it began alone: computed once per distinct three.
    keys = ["segment", "stage", "since"]
    timing = last.select(keys).unique().join(table, on=["segment", "stage"], how="left")
    timing = timing.with_columns(_after(pl, "since", "expected", table), _after(pl, "since", "stuck", table)).select(
        *keys, pl.col("__expected").alias("expected_by"), pl.col("__stuck").alias("stuck_after"))
    status = (pl.when(pl.col("expected_by").is_null()).then(pl.lit("ONGOING"))
              .when(pl.lit(day) <= pl.col("expected_by")).then(pl.lit("ON_TRACK"))
              .when(pl.lit(day) <= pl.col("stuck_after")).then(pl.lit("BEHIND")).otherwise(pl.lit("STUCK")))
    stages = last.join(timing.with_columns(status.alias("status")), on=keys, how="left").select(
        "account_id", "segment", "track", "stage", "since", pl.lit(day).alias("as_of"),
        (pl.lit(day) - pl.col("since")).dt.total_days().alias("days_in_stage"), "status", "expected_by",
        "stuck_after").sort("account_id", "track")
    if evidence is not None:
        stages = _readiness(pl, stages, _frame(pl, "evidence", evidence, ("account_id",)), definition)
    return FrameStages(stages, errors)


def _readiness(pl: Any, stages: Any, evidence: Any, definition: JourneyDefinition) -> Any:
    """The next forward move of each track and whether the evidence meets its criteria (per stage, the criteria
    of ``definition.readiness(stage, next, ..., advisory=True)``)."""
    moves = [(stage, Stage(stage + 1)) for stage in Stage if stage < Stage.ADVOCACY and stage + 1 != Stage.RENEWAL]
    judged = {stage: definition.readiness(stage, target, {}, advisory=True).results for stage, target in moves}
    read = {r.criterion.signal for results in judged.values() for r in results}
    evidence = evidence.select("account_id", *(n for n in evidence.columns if n in read and n != "account_id"))
    joined = stages.join(evidence.with_columns(pl.col("account_id").cast(pl.String)), on="account_id", how="left",
                         suffix="__evidence")
    nexts = pl.lit(None, pl.String)
    missing = pl.lit(None, pl.String)
    for stage, target in moves:
        criteria = judged[stage]
        unmet = [pl.when(~r.criterion.met_expr(_signal(pl, joined, r.criterion.signal)))
                 .then(pl.lit(r.criterion.name)) for r in criteria]
        names = pl.concat_str(unmet, separator=", ", ignore_nulls=True) if unmet else pl.lit("")
        here = pl.col("stage") == stage.name
        nexts = pl.when(here).then(pl.lit(target.name)).otherwise(nexts)
        missing = pl.when(here).then(names).otherwise(missing)
    return joined.with_columns(nexts.alias("next_stage"), missing.alias("missing")).with_columns(
        pl.when(pl.col("next_stage").is_not_null()).then(pl.col("missing") == "").alias("ready"),
        pl.when(pl.col("missing") != "").then(pl.col("missing")).alias("missing"),
    ).select(*stages.columns, "next_stage", "ready", "missing")


def _signal(pl: Any, frame: Any, name: str) -> Any:
    """A signal's values as Float64 (booleans as 1.0 and 0.0, as the scalar evidence reads them); null when the
    evidence has no such column."""
    for column in (f"{name}__evidence", name):
        if column in frame.columns and column not in ("account_id", "segment", "stage", "track"):
            return pl.col(column).cast(pl.Float64)
    return pl.lit(None, pl.Float64)


def journey_analytics_frame(
    events: Any, *, by: str = "segment", include_cycles: bool = True, as_of: date | None = None
) -> FrameAnalytics:
    """Return the journey analytics per cohort (``by``: ``"segment"`` or a label name, read from the
    ``label.<name>`` column; accounts without it fall in ``"(none)"``), the values
    :func:`postsale.journey.analyze_cohorts` gives for the same journeys.

    Raises:
        InvalidTypeError: ``events`` is not a pandas or Polars frame, ``include_cycles`` not a bool.
        InvalidValueError: ``by`` is not a string, ``as_of`` not a date; a column of :data:`EVENTS_SCHEMA` missing.

    Examples:
        >>> from datetime import date
        >>> from postsale.journey import Journey
        >>> events = journey_events([Journey.start("a", "SMB", on=date(2026, 1, 5)),
        ...                          Journey.start("b", "ENTERPRISE", on=date(2026, 1, 5))])
        >>> found = journey_analytics_frame(events).cohorts
        >>> sorted(found), found["SMB"].journeys
        (['ENTERPRISE', 'SMB'], 1)
    """
    pl = require("polars", "polars")
    _checks.flag("include_cycles", include_cycles)
    if not isinstance(by, str) or not by.strip():
        raise InvalidValueError("must be 'segment' or a label name", field="by", value=by, hint='pass by="segment"')
    good, errors = valid_events(pl, events)
    prepared = prepare(pl, good, by=by, as_of=None if as_of is None else _checks.a_date("as_of", as_of))
    return FrameAnalytics(analyze_prepared(pl, prepared, include_cycles), errors)


def prepare(pl: Any, good: Any, *, by: str, as_of: date | None) -> Any:
    """The valid events as of ``as_of`` with what the analytics read across rows of one account (its cohort, the
    stage and day each move leaves, whether it is its track's last event), so that the rest counts rows in any
    order (and may gather the rows of many workers)."""
    if as_of is not None:
        good = good.filter(pl.col("at") <= as_of)
    column = "segment" if by == "segment" else f"label.{by}"
    cohort = pl.col(column).fill_null(_NONE) if column in good.columns else pl.lit(_NONE)
    last = pl.col("__next_at").is_null() if as_of is None else ~(pl.col("__next_at") <= as_of).fill_null(False)
    return good.select(
        "account_id", "from_stage", "to_stage", "kind", "cause", cohort.cast(pl.String).alias("__cohort"),
        pl.col("__previous_stage").alias("__stage"), (pl.col("at") - pl.col("__previous_at")).dt.total_days()
        .alias("__days"), last.alias("__last"),
    )


def analyze_prepared(pl: Any, rows: Any, include_cycles: bool) -> Mapping[str, JourneyAnalytics]:
    """The analytics per cohort of prepared rows (see :func:`prepare`)."""
    return freeze({name: _analyze(pl, part, include_cycles) for (name,), part in
                   sorted(rows.partition_by("__cohort", as_dict=True).items())})


def _analyze(pl: Any, rows: Any, include_cycles: bool) -> JourneyAnalytics:
    """The analytics of one cohort's prepared rows, as :func:`postsale.journey.analyze` computes them."""
    counted = [TransitionKind.REGRESSION.name, *([TransitionKind.CYCLE.name] if include_cycles else [])]
    moves = rows.filter(pl.col("from_stage").is_not_null()).select("__stage", "kind", "cause",
                                                                  pl.col("__days").alias("days"))
    entered = Counter(rows["to_stage"].drop_nulls().to_list())
    completed: Counter[str] = Counter()
    regressed: Counter[str] = Counter()
    exited: Counter[str] = Counter()
    for stage, kind, cause, n in moves.group_by("__stage", "kind", "cause").len().iter_rows():
        # the scalar rule, once per distinct move
        if _completes(TransitionKind[kind], Cause[cause], Stage[stage]):
            completed[stage] += n
        elif TransitionKind[kind].is_backward:
            regressed[stage] += n
        else:
            exited[stage] += n
    durations = dict(moves.group_by("__stage").agg(pl.col("days")).iter_rows())
    still_in = Counter(rows.filter(pl.col("__last"))["to_stage"].drop_nulls().to_list())
    transitions = rows.filter(~pl.col("kind").is_in([TransitionKind.ENTRY.name, TransitionKind.EXIT.name]))
    backward = transitions.filter(pl.col("kind").is_in(counted))
    pairs = Counter(f"{f or ''}->{t or ''}" for f, t in backward.select("from_stage", "to_stage").iter_rows())
    completion = freeze({s: StageCompletion(s, entered[s.name], completed[s.name], regressed[s.name], exited[s.name],
                                            still_in[s.name]) for s in Stage})
    velocity = freeze({s: _velocity(s, durations.get(s.name, [])) for s in Stage})
    regression = RegressionRate(
        include_cycles, rows["account_id"].n_unique(), backward["account_id"].n_unique(), transitions.height,
        backward.height, Counter(Cause[c] for c in backward["cause"].to_list()), pairs,
    )
    return JourneyAnalytics(rows["account_id"].n_unique(), completion, velocity, regression,
                            _bottleneck(completion, velocity))


def valid_events(pl: Any, events: Any) -> tuple[Any, Any]:
    """The events of the accounts whose events hold together (with ``__row``, their position, and ``__track``, an
    integer naming their account and track) and one error row per account left out (its first bad row)."""
    frame = _frame(pl, "events", events, tuple(EVENTS_SCHEMA))
    rows = frame.with_row_index("__row").with_columns(
        *(pl.col(name).cast(pl.String) for name in ("account_id", "segment", "track", "from_stage", "to_stage",
                                                     "kind", "cause")),
        polars_day(pl, frame.schema["at"], "at"), pl.col("at").is_null().alias("__no_date"),
    )
    stages = [s.name for s in Stage]
    checks = [
        ("segment", ~pl.col("segment").is_in([s.name for s in Segment]).fill_null(False), "is not a segment"),
        ("at", pl.col("__no_date"), "is missing: every event has a date"),
        ("at", pl.col("at").is_null(), "is not a date: pass dates (or ISO text such as 2026-03-01)"),
        ("track", pl.col("track").fill_null("").str.strip_chars() == "", "is blank: every event names its track"),
        ("from_stage", ~pl.col("from_stage").is_in(stages).fill_null(True), "is not a stage"),
        ("to_stage", ~pl.col("to_stage").is_in(stages).fill_null(True), "is not a stage"),
        ("to_stage", pl.col("from_stage").is_null() & pl.col("to_stage").is_null(), "and from_stage are both empty"),
        ("kind", ~pl.col("kind").is_in([k.name for k in TransitionKind]).fill_null(False), "is not a transition kind"),
        ("cause", ~pl.col("cause").is_in([c.name for c in Cause]).fill_null(False), "is not a cause"),
        ("at", pl.col("at") < pl.col("__account_at"),
         "is before the account's previous event: events come in the order they happened"),
        ("from_stage", pl.col("from_stage").fill_null("") != pl.col("__previous_stage").fill_null(""),
         "is not the stage the track is in (the previous event's to_stage)"),
    ]
    rows = rows.with_columns(_rank(pl, "account_id").alias("__account"))
    rows = rows.with_columns((pl.col("__account") * 2**31 + _code(pl, "track")).alias("__track"))
    in_account = neighbours(pl, rows, "__account")
    in_track = neighbours(pl, rows, "__track")
    rows = rows.with_columns(
        pl.col("at").gather(in_account.get_column("before")).alias("__account_at"),
        pl.col("to_stage").gather(in_track.get_column("before")).alias("__previous_stage"),
        pl.col("at").gather(in_track.get_column("before")).alias("__previous_at"),
        pl.col("at").gather(in_track.get_column("after")).alias("__next_at"),
    )
    # The rows failing a check are found first (one Boolean pass), and only they are given their reason.
    failing = rows.filter(pl.any_horizontal(*(bad.fill_null(False) for _, bad, _ in checks)))
    flagged = failing.with_columns(pl.coalesce(*(pl.when(bad.fill_null(False)).then(pl.lit(f"{column}|{reason}"))
                                                 for column, bad, reason in checks)).alias("__bad"))
    first_bad = flagged.group_by("account_id").agg(pl.all().sort_by("__row").first())
    errors = first_bad.select(
        "account_id", pl.col("__row").cast(pl.Int64).alias("row"),
        pl.col("__bad").str.split("|").list.first().alias("column"), pl.lit(None, pl.String).alias("value"),
        pl.col("__bad").str.split("|").list.last().alias("reason"),
    ).sort("row")
    good = rows if failing.is_empty() else rows.join(first_bad.select("account_id"), on="account_id", how="anti")
    return good.drop("__account", "__account_at"), errors


def _code(pl: Any, name: str) -> Any:
    """Text column ``name`` of few distinct values (the tracks) as an integer naming its value (below 2**31; -1 for
    null), equal for equal values."""
    return pl.col(name).cast(pl.Categorical).to_physical().cast(pl.Int64).fill_null(-1)


def _rank(pl: Any, name: str) -> Any:
    """Text column ``name`` of many distinct values (the account ids) as an integer naming its value (1 and up, 0
    for null), equal for equal values: its dense rank (sorting a million ids is faster than a dictionary of them)."""
    return pl.col(name).rank("dense").cast(pl.Int64).fill_null(0)


def neighbours(pl: Any, rows: Any, key: str) -> Any:
    """The positions of the row ``before`` and ``after`` each row among the rows of the same Int64 ``key`` (null at
    a group's ends), as a frame in the rows' order: what ``shift(1)`` and ``shift(-1)`` over ``key`` index, computed
    by a stable sort of the key with the rows' positions, several times faster than a window over text keys on
    many small groups."""
    ordered = rows.select(key).with_row_index("__at").sort(key, maintain_order=True)
    return ordered.select(
        "__at",
        pl.when(pl.col(key) == pl.col(key).shift(1)).then(pl.col("__at").shift(1)).alias("before"),
        pl.when(pl.col(key) == pl.col(key).shift(-1)).then(pl.col("__at").shift(-1)).alias("after"),
    ).sort("__at")


def _frame(pl: Any, field: str, given: Any, columns: tuple[str, ...]) -> Any:
    """``given`` as an eager Polars frame, refused when it is no pandas or Polars frame or lacks ``columns``."""
    pd = require("pandas", "frame")
    frame = pl.from_pandas(given) if isinstance(given, pd.DataFrame) else given
    if isinstance(frame, pl.LazyFrame):
        frame = frame.collect()
    if not isinstance(frame, pl.DataFrame):
        raise InvalidTypeError("is not a dataframe", field=field, value=type(given).__name__,
                               hint="pass a pandas or Polars frame (the event table: see journey_events)")
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise InvalidValueError(f"lacks column(s) {', '.join(missing)}", field=field, value=missing,
                                constraint=f"the columns {', '.join(columns)}", hint="rename or add them")
    return frame


def _benchmarks(pl: Any, definition: JourneyDefinition) -> Any:
    """One row per segment and stage with a benchmark: the months and days of its typical maximum and stuck-after."""
    rows = []
    for segment in Segment:
        for stage in Stage:
            bench = definition.benchmark(segment, stage)
            if bench is not None:
                rows.append((segment.name, stage.name, bench.typical_max.months, bench.typical_max.days,
                             bench.stuck_after.months, bench.stuck_after.days))
    return pl.DataFrame(rows, schema={"segment": pl.String, "stage": pl.String, "expected_months": pl.Int64,
                                      "expected_days": pl.Int64, "stuck_months": pl.Int64, "stuck_days": pl.Int64},
                        orient="row")


def _after(pl: Any, column: str, what: str, table: Any) -> Any:
    """``column`` plus each row's span (months, then days, month ends clipped as dateutil does), one expression
    per distinct span of the table."""
    months, days = f"{what}_months", f"{what}_days"
    result = pl.lit(None, pl.Date)
    for m, d in sorted(set(table.select(months, days).iter_rows())):
        moved = pl.col(column).dt.offset_by(f"{m}mo").dt.offset_by(f"{d}d")
        result = pl.when((pl.col(months) == m) & (pl.col(days) == d)).then(moved).otherwise(result)
    return result.alias(f"__{what}")
