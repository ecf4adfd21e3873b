"""One night of the nightly job: the inputs read, the daily step against the state kept, the outputs written,
the night committed.

The order is what keeps a night whole: everything is computed in memory, the outputs are written to temporary
files beside their final names, the state database is written in one transaction, and only then are the outputs
put in place. A failure before the commit leaves the state as it was; a failure after it leaves outputs a re-run
of the night (same inputs: nothing changes) writes again.
"""

from __future__ import annotations

import shutil
import tempfile
import time
import weakref
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Final

import attrs

from postsale._columnar import polars_day, require
from postsale._errors import InvalidValueError
from postsale._repr import readable
from postsale._version import __version__
from postsale.adapters.nightly._accounts import CONTRACT_LINE, Accounts, prepare_accounts
from postsale.adapters.nightly._agenda import scheduled_touches
from postsale.adapters.nightly._read import LINE, Table, error_rows
from postsale.adapters.nightly._state import (
    ALERT_COLUMNS,
    EVENT_COLUMNS,
    HEALTH_COLUMNS,
    StateDatabase,
    refuse_earlier,
)
from postsale.review import DEFAULT_REVIEW_SETTINGS, ReviewSettings

__all__ = ["COUNTS", "Night", "run_night"]

COUNTS: Final = ("read", "processed", "rejected", "alerts_new", "alerts_open", "alerts_closed", "held_back")
OUTPUTS: Final = ("alerts", "reviews", "agenda", "errors")
_WEEK: Final = 7
TREND_DAYS: Final = 90
"""How many nights back the report's health trend reaches."""
@attrs.frozen
class Night:
    """What one night did: its date, the counts (:data:`COUNTS`), the previous night's date, whether it replaced
    an earlier run of the same night, and the frames written (``alerts``, ``reviews``, ``agenda``, ``errors``;
    Polars) with the day's distributions for the report, and the decisions no account could be given.

    ``frames["alerts"]`` and ``frames["agenda"]`` are Polars lazy frames: besides tonight's alerts they hold
    the alerts still open, which can be millions; those are read from a file the state exported for the night, a
    slice at a time, when the frame is written or collected (the file goes with the night)."""

    __repr__ = readable
    as_of: date
    counts: Mapping[str, int]
    previous: date | None
    replaced: bool
    frames: Mapping[str, Any] = attrs.field(eq=False, repr=False)
    before: Mapping[str, Any] = attrs.field(eq=False, repr=False)
    not_evaluated: tuple[str, ...] = ()
    """What could not be evaluated for any account, and why (a column the decision reads is missing)."""
    retention: Any = None
    """The trailing twelve months' :class:`~postsale.kpi.RetentionReport` (GRR, NRR, logo retention) from the
    revenue ledger, when one was given."""


def _placed(pl: Any, step_errors: Any, lines: Any, accounts: str, contracts: str | None,
            contract_columns: list[str]) -> Any:
    """The step's rejected rows with the file (``accounts``, or ``contracts`` for its columns) and line they came
    from (``lines``: each account's line, and its contract row's)."""
    found = step_errors.join(lines, on="account_id", how="left")
    from_contract = pl.col("column").is_in(contract_columns) if contract_columns else pl.lit(False)
    source = pl.when(from_contract).then(pl.lit(contracts or "")).otherwise(pl.lit(accounts))
    line = pl.when(from_contract).then(pl.col(CONTRACT_LINE)).otherwise(pl.col(LINE)) if contracts \
        else pl.col(LINE)
    return found.select(source.alias("source"), line.cast(pl.Int64).alias("line"), "account_id", "column",
                        pl.col("value").cast(pl.String), "reason")


def _stages(pl: Any, db: StateDatabase, events: Table | None, day: date) -> tuple[Any, Any, Any]:
    """Each account's open tracks' stages as of ``day`` from every event seen so far, the events new tonight, and
    the event rows refused."""
    from postsale.adapters.frame import journey_stages

    names = ", ".join(f'"{c}"' for c in EVENT_COLUMNS[:-1])
    known = db.query(f"SELECT {names} FROM journey_events WHERE first_seen < ?", [day])  # noqa: S608 - the module's own table names
    refused = error_rows(pl)
    new = known.clear()
    if events is not None:
        given = events.rows.with_columns(pl.col(c).cast(pl.String) for c in EVENT_COLUMNS[:-1]
                                         if c in events.rows.columns and c != "at")
        checked = journey_stages(given.drop(LINE), as_of=day)
        bad = checked.errors.join(given.with_row_index("row").select("row", LINE), on="row", how="left")
        refused = bad.select(pl.lit(events.source).alias("source"), pl.col(LINE).alias("line"), "account_id",
                             "column", pl.col("value").cast(pl.String), "reason")
        good = given.join(bad.select("account_id").unique(), on="account_id", how="anti")
        good = good.select(*(pl.col(c) for c in EVENT_COLUMNS[:-1]))
        good = good.with_columns(polars_day(pl, good.schema["at"], "at"))
        new = good.join(known, on=list(EVENT_COLUMNS[:-1]), how="anti", nulls_equal=True).unique(maintain_order=True)
    every = pl.concat([known, new], how="vertical_relaxed")
    stages = journey_stages(every, as_of=day).stages if every.height else None
    return stages, new.with_columns(pl.lit(day).alias("first_seen")), refused


def run_night(
    *,
    as_of: date,
    accounts: Table,
    state: Path,
    contracts: Table | None = None,
    events: Table | None = None,
    ledger: Table | None = None,
    settings: ReviewSettings = DEFAULT_REVIEW_SETTINGS,
    time_zone: str = "UTC",
    rerun: bool = False,
    evidence: bool = True,
    write: Callable[[Night], Callable[[], None]] | None = None,
) -> Night:
    """Run one night: refuse what cannot be run, step every account, write the state in one transaction.

    ``write`` (given the night, before the commit) writes the outputs to temporary files and returns what puts
    them in place, called after the commit. ``time_zone`` is the zone of the accounts that do not name theirs.

    Raises:
        InvalidValueError: ``as_of`` is before the last night; or is the last night, with other inputs, without
            ``rerun``.
        StorageError: the state cannot be opened, read or written (nothing was changed).
    """
    pl = require("polars", "nightly")
    _arguments(as_of, accounts, state, (contracts, events, ledger), settings, time_zone, rerun, evidence)
    started = time.perf_counter()
    db = StateDatabase(state)
    export: Path | None = None
    night: Night | None = None
    try:
        inputs = {name: table.checksum for name, table in
                  (("accounts", accounts), ("contracts", contracts), ("events", events), ("ledger", ledger))
                  if table is not None}
        last = db.last_run()
        replacing = last is not None and as_of == last.as_of
        if last is not None:
            refuse_earlier(as_of, last)
            if replacing and dict(last.inputs) != inputs and not rerun:
                raise InvalidValueError(
                    "was already run with other inputs", field="--as-of", value=as_of.isoformat(),
                    constraint="a night is run once; running it again with the same inputs changes nothing",
                    hint="pass --rerun to replace that night with these inputs, or run the next date")
        before = db.state(before=replacing)
        previous = db.previous_run(as_of)
        prepared = prepare_accounts(pl, accounts, contracts)
        read, accounts_source = accounts.read, accounts.source
        contracts_source = None if contracts is None else contracts.source
        del accounts, contracts  # the input is read a batch at a time from here on
        step, beside, batch_errors = _step(pl, prepared, before, as_of, settings, evidence, time_zone)
        del before
        owners, anchors, lines = (beside[name] for name in ("owners", "anchors", "lines"))
        errors = pl.concat([prepared.errors, batch_errors, prepared.unknown_contracts(pl, contracts_source, lines),
                            _placed(pl, step.errors, lines, accounts_source, contracts_source,
                                    list(prepared.contract_columns))], how="vertical_relaxed")
        stages, new_events, refused_events = _stages(pl, db, events, as_of)
        export = _export_path()
        night_frames = _frames(pl, db, step, stages, owners, anchors, as_of, settings, export)
        processed = step.results.height  # every account reviewed; the rest of what was read is in errors
        delivered = step.alerts.filter(pl.col("held_back").is_null())
        counts = {
            "read": read, "processed": processed, "rejected": read - processed,
            "alerts_new": delivered.height, "alerts_open": night_frames["open"],
            "alerts_closed": night_frames["closed"], "held_back": step.alerts.height - delivered.height,
        }
        kpis, refused_movements = _retention(pl, ledger, as_of)
        unknown = tuple(f"{n.decision}: {n.reason}" for n in step.not_evaluated)
        if night_frames["unscheduled"]:
            unknown += (f"scheduled touches: {night_frames['unscheduled']} account(s) have none: their segment's plan "
                        "counts from a date they lack (contract_start or contract_end)",)
        unknown += (kpis,) if isinstance(kpis, str) else ()
        all_errors = pl.concat([errors, refused_events, refused_movements], how="vertical_relaxed")
        all_errors = all_errors.sort("source", "line", nulls_last=True)
        frames = {"alerts": night_frames["alerts"], "reviews": night_frames["reviews"],
                  "agenda": night_frames["agenda"], "errors": all_errors}
        night = Night(as_of, counts, previous, replacing, frames, _before(pl, db, previous, as_of),
                      unknown, None if isinstance(kpis, str) else kpis)
        weakref.finalize(night, shutil.rmtree, export.parent, ignore_errors=True)  # the lazy alerts' file
        place = write(night) if write is not None else None
        db.write_night({
            "as_of": as_of, "state": (step.state.accounts, step.state.rules, step.state.budget),
            "closing": night_frames["closing"], "alerts": night_frames["history"],
            "health": night_frames["health"], "events": new_events.select(EVENT_COLUMNS),
            "counts": counts, "inputs": inputs, "version": __version__,
            "seconds": time.perf_counter() - started,
        }, replacing=replacing)
        if place is not None:
            place()
        return night
    finally:
        db.close()
        if export is not None and night is None:
            shutil.rmtree(export.parent, ignore_errors=True)


def _arguments(as_of: Any, accounts: Any, state: Any, optional: tuple[Any, ...], settings: Any, time_zone: Any,
               rerun: Any, evidence: Any) -> None:
    """Refuse arguments of the wrong type before the state is opened (a clear error, nothing changed)."""
    from postsale import _checks

    _checks.a_date("as_of", as_of)
    _checks.instance("accounts", accounts, Table, hint="pass read_table(path, field='accounts')")
    for name, table in zip(("contracts", "events", "ledger"), optional, strict=True):
        if table is not None:
            _checks.instance(name, table, Table, hint=f"pass read_table(path, field='--{name}'), or None")
    _checks.instance("state", state, Path, hint="pass the state database's path as a pathlib.Path")
    _checks.instance("settings", settings, ReviewSettings, hint="pass a postsale.review.ReviewSettings")
    _checks.time_zone("time_zone", time_zone)
    _checks.flag("rerun", rerun)
    _checks.flag("evidence", evidence)


_MOVEMENT: Final = ("account_id", "on", "kind", "amount")


def _retention(pl: Any, ledger: Table | None, day: date) -> tuple[Any, Any]:
    """GRR, NRR and logo retention over the twelve months to ``day`` (the numbers of :func:`postsale.kpi.retention`,
    measured over columns by :func:`~postsale.adapters.frame.retention_frame`), or why there are none, and the ledger
    rows refused (a bad value; an account whose movements do not hold together is left out whole)."""
    from postsale.adapters.frame._ledger import retention_or_why
    from postsale.renewal import add_months

    if ledger is None:
        return None, error_rows(pl)
    rows = ledger.rows.lazy()
    missing = [c for c in _MOVEMENT if c not in rows.collect_schema().names()]
    if missing:
        raise InvalidValueError(f"lacks the column(s) {', '.join(missing)}", field="--ledger", value=ledger.source,
                                constraint="a revenue movement has account_id, on, kind, amount (and motion)",
                                hint="rename or add them (see postsale schema ledger)")
    report, refused = retention_or_why(rows.drop(LINE), start=add_months(day, -12))
    lines = rows.select(LINE).with_row_index("row").with_columns(pl.col("row").cast(pl.Int64)).collect()
    placed = refused.join(lines, on="row", how="left").select(
        pl.lit(ledger.source).alias("source"), pl.col(LINE).alias("line"), "account_id", "column", "value", "reason")
    errors = pl.concat([ledger.errors, placed], how="vertical_relaxed")
    if isinstance(report, InvalidValueError):  # e.g. no account had revenue a year ago: no rate, the night goes on
        return f"revenue retention: {report.without_value()}", errors
    return report, errors


def _step(pl: Any, accounts: Accounts, before: Any, day: date, settings: ReviewSettings, evidence: bool,
          time_zone: str) -> tuple[Any, dict[str, Any], Any]:
    """The daily step, a batch of at most :data:`~postsale.adapters.nightly._accounts.BATCH` accounts at a time
    (each account's state is its own: a batch needs only its accounts' state; the state of the accounts absent
    tonight is stepped last, without a snapshot), so memory stays bounded however large the portfolio. Also each
    account's owner, ACV, plan dates and time zone, and lines in the files, and the rows refused."""
    from postsale.adapters.frame import FrameState, FrameStep, step_frame

    def joined(frames: list[Any]) -> Any:
        return pl.concat(frames, how="vertical_relaxed")

    steps, sides, refused = [], [], []
    step_input = None
    parts: list[Any] = [None] * accounts.batches
    absent = None
    if before is not None and accounts.batches > 1:  # each batch with its accounts' state, split in one pass
        parts, absent = accounts.split(pl, _parts(before))
    for k in range(accounts.batches):
        rows, errors = accounts.batch(pl, k)
        refused.append(errors)
        side, step_input = _beside(pl, rows, time_zone, accounts.contracts is not None)
        sides.append(side)
        del rows
        part = before if parts[k] is None else FrameState(*parts[k])
        steps.append(step_frame(step_input, part, as_of=day, settings=settings, evidence=evidence))
    beside = {name: joined([side[name] for side in sides]) for name in sides[0]}
    if absent is not None and step_input is not None and any(f.height for f in absent):
        steps.append(step_frame(step_input.clear(), FrameState(*absent), as_of=day, settings=settings,
                                evidence=evidence))
    if len(steps) == 1:
        return steps[0], beside, joined(refused)
    state = FrameState(*(joined(list(tables)) for tables in zip(*(_parts(s.state) for s in steps), strict=True)))
    return (FrameStep(state, joined([s.alerts for s in steps]), joined([s.errors for s in steps]),
                      steps[0].not_evaluated, joined([s.results for s in steps])), beside, joined(refused))


def _parts(state: Any) -> tuple[Any, Any, Any]:
    return state.accounts, state.rules, state.budget


def _beside(pl: Any, rows: Any, time_zone: str, contracts: bool) -> tuple[dict[str, Any], Any]:
    """What the night keeps of a batch's accounts beside the step (owner and ACV, the plan dates and time zone, the
    lines in the files), and the batch as the step reads it (unknown contract dates: as without them)."""
    owner = pl.col("csm").cast(pl.String) if "csm" in rows.columns else pl.lit(None, pl.String)
    amount = pl.col("acv").cast(pl.String).str.strip_chars().cast(pl.Float64, strict=False) \
        if "acv" in rows.columns else pl.lit(None, pl.Float64)
    dates = [pl.lit(None, pl.Date).alias(c) for c in ("contract_start", "contract_end") if c not in rows.columns]
    zone = pl.col("time_zone").cast(pl.String).fill_null(time_zone) if "time_zone" in rows.columns \
        else pl.lit(time_zone)
    dates.append(zone.alias("time_zone"))
    step_input = rows.drop(LINE, CONTRACT_LINE, strict=False).with_columns(dates)
    return {
        "owners": rows.select("account_id", owner.alias("owner"), amount.alias("acv")),
        "anchors": step_input.select("account_id", "contract_start", "contract_end", "time_zone"),
        "lines": rows.select("account_id", LINE, *([CONTRACT_LINE] if contracts else [])),
    }, step_input


def _frames(pl: Any, db: StateDatabase, step: Any, stages: Any, owners: Any, anchors: Any, day: date,
            settings: ReviewSettings, export: Path) -> dict[str, Any]:
    """The night's alerts (new, held back, still open, closed tonight), reviews, agenda, and the rows the state
    keeps. The alerts still open are streamed from the state to ``export`` and read lazily from it: they are most
    of the history, and writing them out needs them only a slice at a time."""
    alerts = step.alerts.join(owners.select("account_id", "owner"), on="account_id", how="left")
    history = alerts.select(
        *(pl.col(c) if c in alerts.columns else pl.lit(None).alias(c) for c in ALERT_COLUMNS)
    ).with_columns(pl.lit(None, pl.Date).alias("closed_on"))
    closing = step.state.rules.filter(pl.col("open_since").is_null() | (pl.col("open_since") == day)).select(
        "account_id", "rule_id")
    db.export_open_alerts(day, export)
    still = pl.scan_parquet(export)
    keys = ["account_id", "rule_id"]
    closed = still.join(closing.lazy(), on=keys, how="semi").collect()
    open_before = still.join(closing.lazy(), on=keys, how="anti") if closed.height else still
    open_count = still.select(pl.len()).collect().item() - closed.height
    status = pl.when(pl.col("held_back").is_not_null()).then(pl.lit("HELD_BACK")).otherwise(pl.lit("NEW"))
    shown = pl.concat([
        history.with_columns(status.alias("status")).lazy(),
        open_before.with_columns(pl.lit("OPEN").alias("status")),
        closed.with_columns(pl.lit(day).alias("closed_on"), pl.lit("CLOSED").alias("status")).lazy(),
    ], how="vertical_relaxed")
    beside = owners  # one join of the small per-account columns onto the wide results (each join copies them)
    if stages is not None:
        by_account = stages.group_by("account_id").agg(pl.col("stage").sort().str.join(",").alias("stage"))
        beside = beside.join(by_account, on="account_id", how="left")
    else:
        beside = beside.with_columns(pl.lit(None, pl.String).alias("stage"))
    aligned = step.results.select("account_id").join(beside, on="account_id", how="left", maintain_order="left")
    reviews = step.results.with_columns(aligned.drop("account_id"))  # beside the results, not a copy of them
    health = reviews.select(pl.lit(day).alias("as_of"), *(pl.col(c) for c in HEALTH_COLUMNS[1:]))
    horizon = day + timedelta(days=_WEEK)
    due_alerts = shown.filter(pl.col("status").is_in(["NEW", "OPEN"]) & (pl.col("due").dt.date() < horizon)).select(
        "owner", "due", "account_id", pl.lit("alert").alias("kind"), pl.col("rule_id").alias("key"),
        pl.col("rule_name").alias("title"), "priority", pl.lit(None, pl.String).alias("channel"),
        pl.lit(None, pl.Boolean).alias("automated"), pl.lit(None, pl.String).alias("plan"), "as_of")
    reviewed = step.results.select("account_id", "segment").join(anchors, on="account_id", how="left")
    touches, unscheduled = scheduled_touches(pl, reviewed, day, _WEEK, settings)
    touches = touches.join(owners.select("account_id", "owner").lazy(), on="account_id", how="left").select(
        "owner", "due", "account_id", pl.lit("scheduled").alias("kind"), "key", "title",
        pl.lit(None, pl.String).alias("priority"), "channel", "automated", "plan", pl.lit(None, pl.Date).alias("as_of"))
    unsorted = export.parent / "agenda-unsorted.parquet"  # sorted by DuckDB within a memory cap, from disk
    pl.concat([due_alerts, touches], how="vertical_relaxed").with_columns(
        pl.col("owner").fill_null("unassigned")).sink_parquet(unsorted)
    db.sort_file(unsorted, export.parent / "agenda.parquet", ("owner", "due", "account_id", "kind", "key"))
    unsorted.unlink()
    agenda = pl.scan_parquet(export.parent / "agenda.parquet")
    return {"unscheduled": unscheduled,"alerts": shown, "history": history, "closing": closing,
            "reviews": reviews, "health": health, "agenda": agenda, "open": open_count + history.filter(
                pl.col("held_back").is_null()).height, "closed": closed.height, "stages": stages}


def _export_path() -> Path:
    """Where the alerts still open are exported for the night (a private temporary folder, removed with the
    night's :class:`Night`)."""
    return Path(tempfile.mkdtemp(prefix="postsale-night-")) / "open-alerts.parquet"


def _before(pl: Any, db: StateDatabase, previous: date | None, day: date) -> dict[str, Any]:
    """The previous night's distributions (bands, stages), for the changes since then, and the portfolio's mean
    health over the last :data:`TREND_DAYS` nights (what is read does not grow with the history kept)."""
    found: dict[str, Any] = {"trend": db.query(
        "SELECT as_of, avg(health) AS health FROM health_daily WHERE as_of >= ? AND as_of < ? "
        "AND health IS NOT NULL GROUP BY as_of ORDER BY as_of", [day - timedelta(days=TREND_DAYS), day])}
    if previous is not None:
        found["health"] = db.query("SELECT band, stage FROM health_daily WHERE as_of = ?", [previous])
    return found
