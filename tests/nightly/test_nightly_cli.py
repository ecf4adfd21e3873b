"""`postsale run` end to end, in subprocesses: consecutive nights, a night killed mid-run, exit codes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

pl = pytest.importorskip("polars")
duckdb = pytest.importorskip("duckdb")

from postsale.adapters.nightly import write_sample_night  # noqa: E402
from postsale.adapters.sample import sample_portfolio  # noqa: E402

FIRST = date(2026, 11, 20)


def postsale(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "postsale.adapters.cli", *args], capture_output=True, text=True,
                          check=False, timeout=300, **kwargs)


def run_args(files: dict[str, Path], day: date, state: Path, out: Path, *extra: str) -> list[str]:
    return ["run", str(files["accounts"]), "--as-of", day.isoformat(), "--contracts", str(files["contracts"]),
            "--events", str(files["events"]), "--state", str(state), "--out", str(out), "--quiet", *extra]


def table(state: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(state), read_only=True) as con:
        rows: list[tuple[Any, ...]] = con.execute(sql).fetchall()
        return rows


ALERTS = "SELECT as_of, account_id, rule_id, held_back, closed_on, due, reason FROM alerts ORDER BY ALL"
STATE = "SELECT * FROM state_rules ORDER BY ALL"


@pytest.fixture(scope="module")
def nights(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Path]]:
    """Three nights' files of a 150-account sample (signals change from night to night)."""
    folder = tmp_path_factory.mktemp("nights")
    portfolio = sample_portfolio(150, seed=11, as_of=FIRST + timedelta(days=2))
    return [write_sample_night(portfolio, FIRST + timedelta(days=k), folder / str(k)) for k in range(3)]


def test_three_nights_keep_alerts_open_hold_repeats_back_and_count_what_they_read(
    nights: list[dict[str, Path]], tmp_path: Path
) -> None:
    state = tmp_path / "state.duckdb"
    outputs = []
    for k, files in enumerate(nights):
        done = postsale(*run_args(files, FIRST + timedelta(days=k), state, tmp_path / f"out{k}"))
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""  # --quiet
        outputs.append(done.stdout)
        assert (tmp_path / f"out{k}" / "report.html").is_file()
    assert "accounts: 1" in outputs[0] and "processed + 0 rejected" in outputs[0]
    runs = table(state, "SELECT as_of, read, processed, rejected, alerts_new FROM runs ORDER BY as_of")
    assert [r[0] for r in runs] == [FIRST + timedelta(days=k) for k in range(3)]
    assert all(r[1] == r[2] + r[3] for r in runs)
    delivered = table(state, "SELECT account_id, rule_id, count(*) FROM alerts WHERE held_back IS NULL "
                             "GROUP BY ALL HAVING count(*) > 1")
    assert delivered == []  # an open alert is never delivered twice: the repeat is held back
    held = table(state, "SELECT DISTINCT held_back FROM alerts WHERE held_back IS NOT NULL AND as_of > ?".replace(
        "?", f"DATE '{FIRST.isoformat()}'"))
    assert ("OPEN_ALERT",) in held
    new_on_night_3 = runs[2][4]
    assert new_on_night_3 < runs[0][4]  # the first night raises the backlog, later nights only what is new


def test_a_night_killed_at_any_moment_then_run_again_ends_as_an_uninterrupted_one(
    nights: list[dict[str, Path]], tmp_path: Path
) -> None:
    reference = tmp_path / "reference.duckdb"
    for k in (0, 1):
        assert postsale(*run_args(nights[k], FIRST + timedelta(days=k), reference, tmp_path / "ref")).returncode == 0
    started = time.perf_counter()
    base = tmp_path / "base.duckdb"
    assert postsale(*run_args(nights[0], FIRST, base, tmp_path / "base")).returncode == 0
    whole = time.perf_counter() - started
    expected_alerts, expected_state = table(reference, ALERTS), table(reference, STATE)
    for fraction in (0.3, 0.6, 0.8, 0.9, 0.97):
        state = tmp_path / f"killed-{fraction}.duckdb"
        state.write_bytes(base.read_bytes())
        child = subprocess.Popen(
            [sys.executable, "-m", "postsale.adapters.cli",
             *run_args(nights[1], FIRST + timedelta(days=1), state, tmp_path / f"out-{fraction}")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(whole * fraction)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        last = table(state, "SELECT max(as_of) FROM runs")[0][0]
        assert last in (FIRST, FIRST + timedelta(days=1))  # the previous night, or the whole new one
        if last == FIRST:
            assert table(state, "SELECT count(*) FROM alerts WHERE as_of > ?".replace(
                "?", f"DATE '{FIRST.isoformat()}'")) == [(0,)]
        again = postsale(*run_args(nights[1], FIRST + timedelta(days=1), state, tmp_path / f"out-{fraction}"))
        assert again.returncode == 0, again.stderr
        assert table(state, ALERTS) == expected_alerts
        assert table(state, STATE) == expected_state


def test_exit_codes_say_whether_rows_were_rejected_or_nothing_was_done(tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("account_id,segment,acv\na,SMB,10\n\nb,SMB,-5\na,SMB,1\n", encoding="utf-8")
    state, out = tmp_path / "s.duckdb", tmp_path / "out"
    done = postsale("run", str(accounts), "--as-of", "2026-11-02", "--state", str(state), "--out", str(out))
    assert done.returncode == 1, done.stderr
    assert "2 read" not in done.stdout and "3 read = 1 processed + 2 rejected" in done.stdout
    errors = pl.read_csv(out / "errors.csv")
    assert errors.select("line", "account_id", "column").rows() == [(4, "b", "acv"), (5, "a", "account_id")]
    earlier = postsale("run", str(accounts), "--as-of", "2026-11-01", "--state", str(state), "--out", str(out))
    assert earlier.returncode == 2 and earlier.stderr.count("\n") == 1 and "2026-11-02" in earlier.stderr
    blocked = tmp_path / "blocked"
    blocked.write_text("")
    unwritable = postsale("run", str(accounts), "--as-of", "2026-11-03", "--state", str(state),
                          "--out", str(blocked / "out"))
    assert unwritable.returncode == 2 and "--out" in unwritable.stderr and "Traceback" not in unwritable.stderr
    assert table(state, "SELECT max(as_of) FROM runs") == [(date(2026, 11, 2),)]


def test_accounts_can_come_from_stdin(tmp_path: Path) -> None:
    done = postsale("run", "-", "--as-of", "2026-11-02", "--state", str(tmp_path / "s.duckdb"), "--out",
                    str(tmp_path / "out"), "--format-out", "parquet,json", input="account_id,segment\na,SMB\n")
    assert done.returncode == 0, done.stderr
    assert pl.read_parquet(tmp_path / "out" / "reviews.parquet")["account_id"].to_list() == ["a"]


def test_the_input_schemas_are_printed_as_json() -> None:
    import json

    done = postsale("schema", "contracts")
    assert done.returncode == 0 and json.loads(done.stdout)["required"] == ["account_id"]
    ledger = json.loads(postsale("schema", "ledger").stdout)
    assert ledger["required"] == ["account_id", "on", "kind", "amount"]


def test_run_and_demo_in_process_print_the_summary_and_write_the_report(
    nights: list[dict[str, Path]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from postsale.adapters import cli

    files = nights[0]
    code = cli.main(["run", str(files["accounts"]), "--as-of", FIRST.isoformat(), "--contracts",
                     str(files["contracts"]), "--events", str(files["events"]), "--ledger", str(files["ledger"]),
                     "--state", str(tmp_path / "s.duckdb"), "--out", str(tmp_path / "out"), "--format-out",
                     "csv,parquet"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "processed + 0 rejected" in out.out and "revenue:  GRR" in out.out
    assert "done in" in out.err  # logs go to standard error
    assert (tmp_path / "out" / "report.html").is_file() and (tmp_path / "out" / "alerts.parquet").is_file()
    code = cli.main(["demo", "--days", "2", "--accounts", "40", "--state", str(tmp_path / "d.duckdb"), "--out",
                     str(tmp_path / "demo"), "--quiet"])
    out = capsys.readouterr()
    assert code == 0 and "(2 nights)" in out.out and out.err == ""
    assert (tmp_path / "demo" / "report.html").is_file()
    assert cli.main(["demo", "--days", "0"]) == 2
    assert "--days" in capsys.readouterr().err
    # the nights' files are drawn in a second process: its refusal reaches the user as the same one line
    assert cli.main(["demo", "--days", "2", "--accounts", "0", "--state", str(tmp_path / "e.duckdb")]) == 2
    assert "ask for at least one account" in capsys.readouterr().err
    assert cli.main(["config", "init"]) == 0 and "[rule_set]" in capsys.readouterr().out
    assert cli.main(["schema", "events"]) == 0 and '"track"' in capsys.readouterr().out
