"""The nightly job's memory: one DuckDB file, written by one transaction per night.

Tables (schema version :data:`SCHEMA_VERSION`, kept in ``postsale_meta``):

* ``runs``: one row per night (its date, the inputs' checksums, the counts, the version, how long it took);
* ``state_accounts`` / ``state_rules`` / ``state_budget``: the daily step's state after the last night
  (:class:`~postsale.adapters.frame.FrameState`), and the same tables suffixed ``_before`` holding the state the
  last night started from (so that night can be run again, ``--rerun``);
* ``alerts``: every alert ever raised, delivered or held back, with the day it was closed (the alert history);
* ``health_daily``: each account's health, band, touch model, renewal state, forecast and stage, by night;
* ``journey_events``: the journey events seen so far, with the night they were first seen.

A night is written in one transaction: a process killed at any moment leaves the previous night intact.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, Final

import attrs

from postsale._columnar import require
from postsale._errors import InvalidValueError, StorageError
from postsale._repr import readable

__all__ = ["SCHEMA_VERSION", "LastRun", "StateDatabase", "refuse_earlier"]

SCHEMA_VERSION: Final = 1
MEMORY_LIMIT: Final = "512MB"
"""The most memory DuckDB's buffers take while a night is written (it spills to disk beyond)."""
SORT_MEMORY_LIMIT: Final = "256MB"
"""The most memory DuckDB's buffers take while it sorts the night's agenda (it spills to disk beyond)."""
_STATE: Final = ("accounts", "rules", "budget")
_TABLES: Final = {
    "runs": "as_of DATE PRIMARY KEY, finished TIMESTAMPTZ, seconds DOUBLE, version VARCHAR, inputs VARCHAR, "
            "read BIGINT, processed BIGINT, rejected BIGINT, alerts_new BIGINT, alerts_open BIGINT, "
            "alerts_closed BIGINT, held_back BIGINT",
    "alerts": "as_of DATE, account_id VARCHAR, rule_id VARCHAR, rule_name VARCHAR, priority VARCHAR, sla VARCHAR, "
              "held_back VARCHAR, fired TIMESTAMPTZ, due TIMESTAMPTZ, reason VARCHAR, evidence VARCHAR, "
              "owner VARCHAR, closed_on DATE",
    "health_daily": "as_of DATE, account_id VARCHAR, health DOUBLE, band VARCHAR, touch_model VARCHAR, "
                    "renewal_state VARCHAR, forecast VARCHAR, stage VARCHAR",
    "journey_events": "account_id VARCHAR, segment VARCHAR, track VARCHAR, from_stage VARCHAR, to_stage VARCHAR, "
                      "at DATE, kind VARCHAR, cause VARCHAR, first_seen DATE",
}
ALERT_COLUMNS: Final = tuple(part.split()[0] for part in _TABLES["alerts"].split(", "))
HEALTH_COLUMNS: Final = tuple(part.split()[0] for part in _TABLES["health_daily"].split(", "))
EVENT_COLUMNS: Final = tuple(part.split()[0] for part in _TABLES["journey_events"].split(", "))


@attrs.frozen
class LastRun:
    """The last night written: its date and its inputs' checksums."""

    __repr__ = readable
    as_of: date
    inputs: Mapping[str, str]


def _migrate(con: Any, found: int) -> None:
    """Bring a database of schema version ``found`` to :data:`SCHEMA_VERSION` (each step in its own place)."""
    if found == 0:
        for name, columns in _TABLES.items():
            quoted = ", ".join(f'"{part.split()[0]}" {part.split(maxsplit=1)[1]}' for part in columns.split(", "))
            _do(con, f"CREATE TABLE IF NOT EXISTS {name} ({quoted})")
    _do(con, "INSERT OR REPLACE INTO postsale_meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])


class StateDatabase:
    """The state file, opened for one run (the caller closes it). Opening locks it: a second job on the same file
    is refused with :class:`~postsale.StorageError`."""

    def __init__(self, path: Path) -> None:
        duckdb = require("duckdb", "nightly")
        self.path = path
        try:
            self.con = duckdb.connect(str(path))
        except (duckdb.Error, OSError) as error:
            raise StorageError(f"cannot be opened: {_cause(error)}", field="--state", value=str(path),
                               hint="check no other postsale run uses it, and that its folder is writable") from None
        try:
            _do(self.con, "SET TimeZone = 'UTC'")
            _do(self.con, f"SET memory_limit = '{MEMORY_LIMIT}'")  # DuckDB spills beyond it; the night's frames
            # are Polars', and the two together must fit a nightly job's budget
            _do(self.con, "CREATE TABLE IF NOT EXISTS postsale_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
            row = _do(self.con, "SELECT value FROM postsale_meta WHERE key = 'schema_version'")
            found = int(row[0][0]) if row else 0
            if found > SCHEMA_VERSION:
                raise StorageError(
                    f"was written by a newer postsale (state schema {found}; this one reads up to {SCHEMA_VERSION})",
                    field="--state", value=str(path), hint="upgrade postsale, or start a new state file")
            if found < SCHEMA_VERSION:
                self.con.begin()
                _migrate(self.con, found)
                self.con.commit()
        except duckdb.Error as error:
            self.con.close()
            raise StorageError(f"is not a postsale state database: {_cause(error)}", field="--state",
                               value=str(path), hint="point at the file an earlier run wrote, or a new path") from None

    def close(self) -> None:
        self.con.close()

    def last_run(self) -> LastRun | None:
        rows = _do(self.con, "SELECT as_of, inputs FROM runs ORDER BY as_of DESC LIMIT 1")
        return LastRun(rows[0][0], json.loads(rows[0][1])) if rows else None

    def previous_run(self, before: date) -> date | None:
        found: date | None = _do(self.con, "SELECT max(as_of) FROM runs WHERE as_of < ?", [before])[0][0]
        return found

    def state(self, *, before: bool) -> Any:
        """The step's state after the last night (``before``: the state that night started from), or None."""
        from postsale.adapters.frame import FrameState

        suffix = "_before" if before else ""
        names = {row[0] for row in _do(self.con, "SELECT table_name FROM duckdb_tables()")}
        if f"state_accounts{suffix}" not in names:
            return None
        return FrameState(*(self.query(f"SELECT * FROM state_{part}{suffix}") for part in _STATE))  # noqa: S608 - the module's own table names

    def export_open_alerts(self, before: date, path: Path) -> None:
        """Write the alerts still open before the night ``before`` (delivered, not closed) to the Parquet file
        ``path``, streamed by DuckDB: the bulk of the alert history never has to be held in memory at once."""
        query = ("SELECT * FROM alerts WHERE closed_on IS NULL AND held_back IS NULL "  # noqa: S608 - a date's ISO form
                 f"AND as_of < DATE '{before.isoformat()}'")
        target = str(path).replace("'", "''")  # a path of the night's own temporary folder, quoted as SQL text
        _do(self.con, f"COPY ({query}) TO '{target}' (FORMAT parquet)")

    def sort_file(self, source: Path, target: Path, keys: tuple[str, ...]) -> None:
        """Write the rows of the Parquet file ``source`` to ``target`` sorted by ``keys`` (nulls first, text by its
        bytes, as Polars sorts), within :data:`SORT_MEMORY_LIMIT`: DuckDB spills to disk beyond it, so sorting the
        night's agenda (millions of rows) costs the night a bounded amount of memory."""
        order = ", ".join(f'"{key}" NULLS FIRST' for key in keys)
        quoted = [str(p).replace("'", "''") for p in (source, target)]  # paths of the night's temporary folder
        _do(self.con, f"SET memory_limit = '{SORT_MEMORY_LIMIT}'")
        try:
            _do(self.con, f"COPY (SELECT * FROM read_parquet('{quoted[0]}') ORDER BY {order}) "  # noqa: S608
                          f"TO '{quoted[1]}' (FORMAT parquet)")
        finally:
            _do(self.con, f"SET memory_limit = '{MEMORY_LIMIT}'")

    def query(self, sql: str, parameters: list[Any] | None = None) -> Any:
        """A Polars frame of ``sql``."""
        pl = require("polars", "nightly")
        return pl.from_arrow(self.con.sql(sql, params=parameters or None).to_arrow_table())

    def write_night(self, night: Mapping[str, Any], *, replacing: bool) -> None:
        """Write one night in one transaction: the new state, the alerts, the closures, the daily health, the new
        journey events and the run's row (``replacing``: that night's earlier writing is removed first)."""
        con = self.con
        day = night["as_of"]
        con.begin()
        try:
            if replacing:
                for table in ("alerts", "health_daily"):
                    _do(con, f"DELETE FROM {table} WHERE as_of = ?", [day])  # noqa: S608 - the module's own table names
                _do(con, "DELETE FROM journey_events WHERE first_seen = ?", [day])
                _do(con, "UPDATE alerts SET closed_on = NULL WHERE closed_on = ?", [day])
                _do(con, "DELETE FROM runs WHERE as_of = ?", [day])
            else:
                for part in _STATE:
                    _do(con, f"DROP TABLE IF EXISTS state_{part}_before")
                    if _do(con, "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [f"state_{part}"])[0][0]:
                        _do(con, f"ALTER TABLE state_{part} RENAME TO state_{part}_before")
            for part, frame in zip(_STATE, night["state"], strict=True):
                _register(con, "__frame", frame.head(0), empty=True)
                _do(con, f"CREATE OR REPLACE TABLE state_{part} AS SELECT * FROM __frame")  # noqa: S608 - the module's own table names
                _insert(con, f"state_{part}", frame)
            if _register(con, "__closing", night["closing"]):
                _do(con, "UPDATE alerts SET closed_on = ? WHERE closed_on IS NULL AND held_back IS NULL AND "
                            "(account_id, rule_id) IN (SELECT account_id, rule_id FROM __closing)", [day])
            for table, key in (("alerts", "alerts"), ("health_daily", "health"), ("journey_events", "events")):
                _insert(con, table, night[key])
            counts = night["counts"]
            _do(con,
                "INSERT INTO runs VALUES (?, now(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [day, night["seconds"], night["version"], json.dumps(dict(night["inputs"]), sort_keys=True),
                 *(counts[k] for k in ("read", "processed", "rejected", "alerts_new", "alerts_open",
                                       "alerts_closed", "held_back"))],
            )
            con.commit()
        except BaseException as error:
            con.rollback()
            duckdb = require("duckdb", "nightly")
            if isinstance(error, duckdb.Error):
                raise StorageError(f"could not be written: {_cause(error)}", field="--state", value=str(self.path),
                                   hint="check the disk has room and the file is writable; nothing was changed") \
                    from None
            raise


def _do(con: Any, sql: str, parameters: list[Any] | None = None) -> list[tuple[Any, ...]]:
    """Run one statement and fetch what it returns (a connection runs one statement at a time)."""
    rows: list[tuple[Any, ...]] = con.execute(sql, parameters or []).fetchall()
    return rows


def _register(con: Any, name: str, frame: Any, *, empty: bool = False) -> bool:
    """Make ``frame`` queryable as ``name``; False when it has no row (nothing to do) unless ``empty``."""
    con.unregister(name)
    if frame is None or (frame.height == 0 and not empty):
        return False
    con.register(name, frame.to_arrow())
    return True


SLICE: Final = 200_000
"""Rows handed to DuckDB at once: each slice is converted to Arrow (a copy of its text) and then freed."""


def _insert(con: Any, table: str, frame: Any) -> None:
    """Append ``frame``'s rows to ``table``, a slice at a time (memory stays bounded by a slice)."""
    if frame is None:
        return
    for start in range(0, frame.height, SLICE):
        _register(con, "__frame", frame.slice(start, SLICE))
        _do(con, f"INSERT INTO {table} SELECT * FROM __frame")  # noqa: S608 - the module's own table names
    con.unregister("__frame")


def _cause(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def refuse_earlier(as_of: date, last: LastRun) -> None:
    """An as-of date before the last night cannot be run: the state has moved past it."""
    if as_of < last.as_of:
        raise InvalidValueError(
            "is before the last night run", field="--as-of", value=as_of.isoformat(),
            constraint=f"each night follows the last one (the state is as of {last.as_of.isoformat()})",
            hint=f"run --as-of {last.as_of.isoformat()} with --rerun to replace the last night, or a later date",
        )
