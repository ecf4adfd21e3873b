"""One night of the nightly job, in process: the state kept between nights, what is refused, where bad rows are."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postsale import InvalidValueError, StorageError

pl = pytest.importorskip("polars")
pytest.importorskip("duckdb")

from postsale.adapters.nightly import read_table, run_night, summary_of, writer  # noqa: E402
from postsale.adapters.nightly._state import StateDatabase  # noqa: E402

DAY = date(2026, 11, 2)


def accounts_csv(path: Path, tickets: dict[str, float], extra: str = "") -> Path:
    """An accounts file: each account SMB, owned by ``ann``; ``support_tickets_week`` >= 4 fires H4 (HIGH)."""
    lines = ["account_id,segment,acv,csm,support_tickets_week"]
    lines += [f"{a},SMB,1000,ann,{t}" for a, t in tickets.items()]
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


def night(tmp_path: Path, day: date, tickets: dict[str, float], **kwargs: Any) -> Any:
    source = accounts_csv(tmp_path / f"accounts-{day.isoformat()}.csv", tickets, kwargs.pop("extra", ""))
    return run_night(as_of=day, accounts=read_table(source, field="accounts"), state=tmp_path / "state.duckdb",
                     **kwargs)


def alerts(tmp_path: Path) -> list[tuple[Any, ...]]:
    db = StateDatabase(tmp_path / "state.duckdb")
    try:
        rows: list[tuple[Any, ...]] = db.query(
            "SELECT as_of, account_id, rule_id, held_back, closed_on FROM alerts ORDER BY ALL").rows()
        return rows
    finally:
        db.close()


def test_an_alert_fires_once_then_stays_open_across_nights(tmp_path: Path) -> None:
    first = night(tmp_path, DAY, {"a": 6, "b": 0})
    assert first.counts["alerts_new"] == 1 and first.previous is None
    second = night(tmp_path, date(2026, 11, 3), {"a": 7, "b": 0})
    assert second.counts["alerts_new"] == 0 and second.counts["alerts_open"] == 1
    assert second.previous == DAY
    statuses = dict(second.frames["alerts"].select("rule_id", "status").collect().rows())
    assert statuses["H4"] == "OPEN"
    assert [(r[1], r[2], r[3]) for r in alerts(tmp_path)] == [("a", "H4", None)]


def test_the_same_night_with_the_same_inputs_changes_nothing(tmp_path: Path) -> None:
    night(tmp_path, DAY, {"a": 6, "b": 5})
    before = alerts(tmp_path)
    again = night(tmp_path, DAY, {"a": 6, "b": 5})
    assert again.replaced and alerts(tmp_path) == before


def test_other_inputs_for_a_night_already_run_are_refused_unless_rerun(tmp_path: Path) -> None:
    night(tmp_path, DAY, {"a": 6, "b": 5})
    with pytest.raises(InvalidValueError, match="--rerun") as refused:
        night(tmp_path, DAY, {"a": 0, "b": 5})
    assert refused.value.field == "--as-of"
    assert len(alerts(tmp_path)) == 2  # untouched
    night(tmp_path, DAY, {"a": 0, "b": 5}, rerun=True)
    assert [r[1] for r in alerts(tmp_path)] == ["b"]


def test_a_date_before_the_last_night_is_refused_with_the_date_to_use(tmp_path: Path) -> None:
    night(tmp_path, date(2026, 11, 5), {"a": 0})
    with pytest.raises(InvalidValueError) as refused:
        night(tmp_path, DAY, {"a": 0})
    assert "2026-11-05" in str(refused.value) and refused.value.field == "--as-of"


def test_bad_rows_are_reported_with_their_line_and_every_other_row_is_processed(tmp_path: Path) -> None:
    done = night(tmp_path, DAY, {"a": 1, "b": 2}, extra="\nc,GIANT,5,ann,1\nd,SMB,-5,ann,1\na,SMB,1,ann,9\n")
    errors = done.frames["errors"].select("line", "account_id", "column").rows()
    assert errors == [(5, "c", "segment"), (6, "d", "acv"), (7, "a", "account_id")]
    assert done.counts["read"] == 5 and done.counts["processed"] == 2 and done.counts["rejected"] == 3
    assert summary_of(done)["counts"]["read"] == done.counts["processed"] + done.counts["rejected"]


def test_contract_activity_joins_by_account_and_strangers_are_reported(tmp_path: Path) -> None:
    contracts = tmp_path / "contracts.csv"
    contracts.write_text("account_id,intent,csm_call\na,RENEW,COMMIT\nzed,RENEW,\nb,MAYBE,\n", encoding="utf-8")
    source = tmp_path / "accounts.csv"
    source.write_text("account_id,segment,contract_start,contract_end,nps,sentiment\n"
                      "a,SMB,2026-07-01,2027-06-30,9,80\nb,SMB,2026-07-01,2027-06-30,9,80\n", encoding="utf-8")
    done = run_night(as_of=DAY, accounts=read_table(source, field="accounts"), state=tmp_path / "state.duckdb",
                     contracts=read_table(contracts, field="--contracts"))
    forecast = dict(done.frames["reviews"].select("account_id", "forecast").rows())
    assert forecast == {"a": "COMMIT"}
    errors = done.frames["errors"].select("source", "line", "account_id", "column").rows()
    assert errors == [(str(contracts), 3, "zed", "account_id"), (str(contracts), 4, "b", "intent")]


def test_outputs_are_written_only_with_the_night_and_are_complete(tmp_path: Path) -> None:
    out = tmp_path / "out"
    night(tmp_path, DAY, {"a": 6}, write=writer(out, ("csv", "parquet", "ndjson", "json")))
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([*(f"{n}.{f}" for n in ("agenda", "alerts", "errors", "reviews")
                              for f in ("csv", "json", "ndjson", "parquet")), "summary.json"])
    assert pl.read_parquet(out / "alerts.parquet")["rule_id"].to_list() == ["H4"]
    assert pl.read_csv(out / "agenda.csv")["owner"].to_list() == ["ann"]


def test_a_formula_in_the_input_is_neutralised_in_csv_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    night(tmp_path, DAY, {"=cmd|calc": 6}, write=writer(out, ("csv",)))
    assert "'=cmd|calc" in (out / "alerts.csv").read_text(encoding="utf-8")


def test_an_unwritable_output_stops_the_night_before_the_state_changes(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(StorageError) as refused:
        writer(blocker / "out", ("csv",))
    assert refused.value.field == "--out"
    with pytest.raises(InvalidValueError):
        writer(tmp_path / "out", ("xlsx",))


def test_a_state_database_in_use_by_another_process_is_refused_in_one_line(tmp_path: Path) -> None:
    night(tmp_path, DAY, {"a": 0})
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('open', flush=True); time.sleep(30)", str(tmp_path / "state.duckdb")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(StorageError, match="cannot be opened") as refused:
            night(tmp_path, date(2026, 11, 3), {"a": 0})
        assert refused.value.field == "--state"
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()


def test_a_file_that_is_not_a_state_database_is_refused(tmp_path: Path) -> None:
    (tmp_path / "state.duckdb").write_text("hello")
    with pytest.raises(StorageError):
        night(tmp_path, DAY, {"a": 0})


def test_the_ledger_gives_the_trailing_years_retention_and_reports_its_bad_rows(tmp_path: Path) -> None:
    """Bad rows and an account whose movements do not hold together (an expansion before it was ever NEW) are
    reported; the retention of every other account is still given."""
    from postsale.kpi import RevenueLedger, RevenueMovement, retention

    moves = [("a", "2025-06-01", "NEW", "1000", ""), ("b", "2025-06-01", "NEW", "500", ""),
             ("a", "2026-03-01", "EXPANSION", "200", "UPSELL"), ("b", "2026-05-01", "CHURN", "500", "")]
    ledger = tmp_path / "ledger.csv"
    ledger.write_text("account_id,on,kind,amount,motion\n" + "".join(",".join(m) + "\n" for m in moves)
                      + "c,someday,NEW,5,\nd,2026-01-01,GIFT,5,\ne,2025-07-01,EXPANSION,5,\n", encoding="utf-8")
    done = night(tmp_path, DAY, {"a": 0, "b": 0}, ledger=read_table(ledger, field="--ledger"))
    expected = retention(RevenueLedger([RevenueMovement(a, date.fromisoformat(o), k, v, **({"motion": m} if m else {}))
                                        for a, o, k, v, m in moves]), start=date(2025, 11, 2))
    assert done.retention == expected
    assert summary_of(done)["retention"]["grr"] == f"{float(expected.grr) * 100:.1f} %"
    assert done.frames["errors"].select("line", "column").rows() == [(6, "on"), (7, "kind"), (8, "kind")]
    assert "NEW" in done.frames["errors"]["reason"][2]  # the rule the account's first movement breaks
    empty = tmp_path / "empty.csv"
    empty.write_text("account_id,on,kind,amount\n", encoding="utf-8")
    later = night(tmp_path, date(2026, 11, 3), {"a": 0}, ledger=read_table(empty, field="--ledger"))
    assert later.retention is None and any("revenue retention" in n for n in later.not_evaluated)
    (tmp_path / "bad.csv").write_text("account_id,when\n", encoding="utf-8")
    with pytest.raises(InvalidValueError, match="on, kind, amount"):
        night(tmp_path, date(2026, 11, 4), {"a": 0}, ledger=read_table(tmp_path / "bad.csv", field="--ledger"))


def test_a_state_written_by_a_newer_postsale_is_refused_and_an_old_one_is_migrated(tmp_path: Path) -> None:
    import duckdb

    from postsale.adapters.nightly import SCHEMA_VERSION

    night(tmp_path, DAY, {"a": 6})
    with duckdb.connect(str(tmp_path / "state.duckdb")) as con:
        con.execute("UPDATE postsale_meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    with pytest.raises(StorageError, match="newer postsale"):
        night(tmp_path, date(2026, 11, 3), {"a": 6})
    fresh = tmp_path / "old"
    fresh.mkdir()
    with duckdb.connect(str(fresh / "state.duckdb")) as con:  # a file from before the schema was versioned
        con.execute("CREATE TABLE postsale_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    assert night(fresh, DAY, {"a": 6}).counts["alerts_new"] == 1
    db = StateDatabase(fresh / "state.duckdb")
    try:
        assert db.query("SELECT value FROM postsale_meta").rows() == [(str(SCHEMA_VERSION),)]
    finally:
        db.close()


def test_an_account_whose_contract_row_is_refused_counts_as_rejected(tmp_path: Path) -> None:
    contracts = tmp_path / "contracts.csv"
    contracts.write_text("account_id,milestone.proposal\na,2030-01-01\n", encoding="utf-8")
    done = night(tmp_path, DAY, {"a": 0, "b": 0}, contracts=read_table(contracts, field="--contracts"))
    assert done.counts["read"] == 2 and done.counts["processed"] == 1 and done.counts["rejected"] == 1
    where = set(done.frames["errors"].select("source", "line", "account_id", "column").rows())
    assert where == {(str(contracts), 2, "a", "milestone.proposal")}  # after the day, and not an SMB milestone


def test_the_same_night_from_csv_or_parquet_gives_the_same_answers(tmp_path: Path) -> None:
    from postsale.adapters.nightly import write_sample_night
    from postsale.adapters.sample import sample_portfolio

    portfolio = sample_portfolio(80, seed=4, as_of=DAY)
    nights = {}
    for fmt in ("csv", "parquet"):
        files = write_sample_night(portfolio, DAY, tmp_path / fmt, fmt=fmt)
        nights[fmt] = run_night(as_of=DAY, state=tmp_path / fmt / "s.duckdb",
                                **{name: read_table(path, field=name) for name, path in files.items()})
    columns = ["account_id", "health", "band", "touch_model", "renewal_state", "forecast", "stage", "owner"]
    csv, parquet = (nights[f].frames["reviews"].select(columns).sort("account_id") for f in ("csv", "parquet"))
    assert csv.equals(parquet) and csv.height > 0
    assert nights["csv"].counts == nights["parquet"].counts and nights["csv"].retention == nights["parquet"].retention
    with pytest.raises(InvalidValueError):
        write_sample_night(portfolio, DAY, tmp_path, fmt="xlsx")


def test_arguments_of_the_wrong_type_are_refused_before_the_state_is_touched(tmp_path: Path) -> None:
    from postsale import InvalidTypeError, UnknownNameError

    table = read_table(accounts_csv(tmp_path / "a.csv", {"a": 0}), field="accounts")
    state = tmp_path / "state.duckdb"
    calls = [
        lambda: read_table(5, field="accounts"),  # type: ignore[arg-type]
        lambda: run_night(as_of="2026-11-02", accounts=table, state=state),  # type: ignore[arg-type]
        lambda: run_night(as_of=DAY, accounts=None, state=state),  # type: ignore[arg-type]
        lambda: run_night(as_of=DAY, accounts=table, state=str(state)),  # type: ignore[arg-type]
        lambda: run_night(as_of=DAY, accounts=table, state=state, events=[]),  # type: ignore[arg-type]
        lambda: run_night(as_of=DAY, accounts=table, state=state, rerun="yes"),  # type: ignore[arg-type]
    ]
    for call in calls:
        with pytest.raises(InvalidTypeError):
            call()
    with pytest.raises(UnknownNameError):
        run_night(as_of=DAY, accounts=table, state=state, time_zone="Mars/Olympus")
    assert not state.exists()


def test_the_open_alerts_are_read_lazily_from_a_file_that_goes_with_the_night(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The alerts still open (most of the history) are exported by the state and read a slice at a time: the
    night's alerts and agenda are lazy frames, equal to what the state holds, and their file is removed with the
    night."""
    import gc

    from postsale.adapters.nightly import _run

    night(tmp_path, DAY, {"a": 6})
    folder = tmp_path / "export"
    monkeypatch.setattr(_run, "_export_path", lambda: (folder.mkdir(), folder / "open-alerts.parquet")[1])
    second = night(tmp_path, DAY + timedelta(days=1), {"a": 6, "b": 7})
    assert isinstance(second.frames["alerts"], pl.LazyFrame) and isinstance(second.frames["agenda"], pl.LazyFrame)
    shown = second.frames["alerts"].collect()
    assert sorted(shown.select("account_id", "status").rows()) == [("a", "OPEN"), ("b", "NEW")]
    assert second.counts["alerts_open"] == 2
    assert pl.read_parquet(folder / "open-alerts.parquet")["account_id"].to_list() == ["a"]
    del second, shown
    gc.collect()
    assert not folder.exists()


def test_a_night_that_fails_removes_its_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from postsale.adapters.nightly import _run

    night(tmp_path, DAY, {"a": 6})
    folder = tmp_path / "export"
    monkeypatch.setattr(_run, "_export_path", lambda: (folder.mkdir(), folder / "open-alerts.parquet")[1])

    def fail(_night: Any) -> Any:
        raise StorageError("cannot be written: disk full", field="--out", value="out")

    with pytest.raises(StorageError):
        night(tmp_path, DAY + timedelta(days=1), {"a": 6}, write=fail)
    assert not folder.exists()


def test_the_run_command_returns_freed_memory_unless_told_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    """``postsale run`` sets Polars' allocator to hand freed memory back at once, only when Polars is not loaded
    yet (it reads the setting then) and never over the user's own setting."""
    from postsale.adapters.nightly import _cli

    monkeypatch.delenv("_RJEM_MALLOC_CONF", raising=False)
    _cli._return_freed_memory()  # Polars is loaded in this process: too late, nothing set
    assert "_RJEM_MALLOC_CONF" not in os.environ
    monkeypatch.delitem(sys.modules, "polars")
    _cli._return_freed_memory()
    assert os.environ["_RJEM_MALLOC_CONF"] == _cli.ALLOCATOR
    monkeypatch.setenv("_RJEM_MALLOC_CONF", "dirty_decay_ms:500,muzzy_decay_ms:1000")  # Polars' own, inherited
    _cli._return_freed_memory()
    assert os.environ["_RJEM_MALLOC_CONF"] == _cli.ALLOCATOR
    monkeypatch.setenv("_RJEM_MALLOC_CONF", "dirty_decay_ms:500,muzzy_decay_ms:1000,dirty_decay_ms:5000")
    _cli._return_freed_memory()
    assert os.environ["_RJEM_MALLOC_CONF"].endswith("dirty_decay_ms:5000")  # the user's own choice


def test_the_agenda_lists_each_plans_scheduled_touches_beside_the_alerts(tmp_path: Path) -> None:
    """The coming week's agenda holds the alerts due and the touches of each account's segment plan, as
    ``build_agenda`` places them (weekends quiet, the settings' holidays, the segment's caps); an account whose plan
    counts from a date it lacks gets none, and the night says how many."""
    from datetime import UTC, datetime

    from postsale import AccountSnapshot
    from postsale.cadence import CadenceItem, CadencePlan, CadencePlans, Recurrence, Window, build_agenda
    from postsale.review import ReviewSettings

    source = tmp_path / "accounts.csv"
    source.write_text("account_id,segment,csm,contract_start,contract_end,time_zone,support_tickets_week\n"
                      "a,SMB,ann,2026-01-05,2027-01-04,Europe/Paris,6\nb,smb,bob,,,,0\n", encoding="utf-8")

    def agenda_of(state: str, settings: ReviewSettings) -> tuple[Any, Any]:
        done = run_night(as_of=DAY, accounts=read_table(source, field="accounts"), state=tmp_path / state,
                         settings=settings)
        return done, done.frames["agenda"].collect()

    done, agenda = agenda_of("one.duckdb", ReviewSettings())
    assert agenda.filter(pl.col("kind") == "alert").select("owner", "account_id", "key").rows() == [
        ("ann", "a", "H4")]
    scheduled = agenda.filter(pl.col("kind") == "scheduled")
    snapshot = AccountSnapshot("a", "SMB", DAY, contract_start=date(2026, 1, 5), contract_end=date(2027, 1, 4),
                               time_zone="Europe/Paris")
    expected = build_agenda(snapshot, Window.days(DAY, 7), follow_journey=False).touches
    assert scheduled.select("owner", "account_id", "key", "due", "plan").rows() == [
        ("ann", "a", t.key, t.due_at.astimezone(UTC), t.plan) for t in expected]
    assert scheduled["due"].to_list() == [datetime(2026, 11, 5, 9, tzinfo=UTC)]  # the 5th, 10:00 in Paris
    assert done.not_evaluated == ("scheduled touches: 1 account(s) have none: their segment's plan counts from a "
                                  "date they lack (contract_start or contract_end)",)

    _, agenda = agenda_of("holiday.duckdb", ReviewSettings(holidays=[date(2026, 11, 5)]))
    assert agenda.filter(pl.col("kind") == "scheduled")["due"].to_list() == [datetime(2026, 11, 6, 9, tzinfo=UTC)]

    weekly = CadencePlan("smb weekly", [CadenceItem("check_in", "Weekly check-in", "quick_update",
                                                    recurrence=Recurrence("week", 1))])
    _, agenda = agenda_of("plans.duckdb", ReviewSettings(cadence=CadencePlans({"SMB": weekly})))
    assert agenda.filter(pl.col("kind") == "scheduled").select("key", "plan").rows() == [("check_in", "smb weekly")]


def test_the_agenda_is_in_order_of_owner_due_time_account_kind_and_key(tmp_path: Path) -> None:
    """The agenda (sorted by DuckDB from disk within a memory cap) is in the order Polars gives it: by owner (no
    owner: ``unassigned``), due time, account, kind and key, with the columns' types kept."""
    lines = ["account_id,segment,csm,contract_start,contract_end,time_zone,support_tickets_week,logins_week"]
    owners = ["ann", "", "bob", "Zoe", "émile"]
    zones = ["UTC", "Asia/Tokyo", "America/New_York"]
    lines += [f"a{i},{['SMB', 'ENTERPRISE', 'MID_MARKET'][i % 3]},{owners[i % 5]},2026-0{1 + i % 9}-0{1 + i % 7},"
              f"2027-0{1 + i % 9}-15,{zones[i % 3]},{i % 8},{i % 4}" for i in range(60)]
    source = tmp_path / "accounts.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = run_night(as_of=DAY, accounts=read_table(source, field="accounts"), state=tmp_path / "state.duckdb")
    agenda = done.frames["agenda"].collect()
    assert set(agenda["kind"]) == {"alert", "scheduled"} and len(set(agenda["owner"])) == 5
    assert "unassigned" in set(agenda["owner"])
    keys = ["owner", "due", "account_id", "kind", "key"]
    assert agenda.rows() == agenda.sort(keys, maintain_order=True).rows()
    assert agenda.schema["due"] == pl.Datetime("us", "UTC") and agenda.schema["automated"] == pl.Boolean


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["ENTERPRISE", "MID_MARKET", "SMB", "PRODUCT_LED"]),
                          st.none() | st.dates(date(2024, 1, 1), date(2027, 1, 1)),
                          st.sampled_from(["UTC", "Asia/Tokyo", "America/New_York"])), min_size=1, max_size=30),
       st.dates(date(2026, 1, 1), date(2026, 12, 31)), st.sets(st.dates(date(2025, 12, 20), date(2027, 1, 10)),
                                                                max_size=6))
def test_scheduled_touches_are_build_agendas_account_by_account(
        accounts: list[tuple[str, date | None, str]], day: date, holidays: set[date]) -> None:
    """Grouping accounts whose plans fall on the same dates changes nothing: every account gets the touches
    ``build_agenda`` gives it alone (its segment plan, weekends quiet, the holidays, the caps)."""
    from datetime import UTC

    from postsale import AccountSnapshot, PostsaleError
    from postsale.adapters.nightly._agenda import scheduled_touches
    from postsale.cadence import Window, build_agenda
    from postsale.review import ReviewSettings

    frame = pl.DataFrame([(f"a{i}", s, d, None if d is None else d + timedelta(days=364), z)
                          for i, (s, d, z) in enumerate(accounts)],
                         schema={"account_id": pl.String, "segment": pl.String, "contract_start": pl.Date,
                                 "contract_end": pl.Date, "time_zone": pl.String}, orient="row")
    found, lacking = scheduled_touches(pl, frame, day, 7, ReviewSettings(holidays=holidays))
    found = found.collect()
    expected, none = [], 0
    for i, (segment, start, zone) in enumerate(accounts):
        snapshot = AccountSnapshot(f"a{i}", segment, day, contract_start=start, time_zone=zone,
                                   contract_end=None if start is None else start + timedelta(days=364))
        try:
            agenda = build_agenda(snapshot, Window.days(day, 7), holidays=holidays, follow_journey=False)
        except PostsaleError:
            none += 1
            continue
        expected += [(f"a{i}", t.due_at.astimezone(UTC), t.key, t.plan) for t in agenda.touches]
    assert sorted(found.select("account_id", "due", "key", "plan").rows()) == sorted(expected)
    assert lacking == none
