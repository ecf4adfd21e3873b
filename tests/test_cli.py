"""The `postsale` command, end to end (subprocesses) and in process."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from postsale.adapters import cli

EXAMPLE = Path(__file__).parent.parent / "docs" / "examples" / "portfolio.csv"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed command as a user would."""
    return subprocess.run([sys.executable, "-m", "postsale.adapters.cli", *args], capture_output=True, text=True,
                          check=False)


def test_demo_runs_the_main_job() -> None:
    """`postsale demo` reviews the sample portfolio and prints the report."""
    result = run("demo", "--once", "--accounts", "200")
    assert result.returncode == 0, result.stderr
    assert "postsale demo: sample portfolio of 200 accounts (seed 7), as of 2026-11-01" in result.stdout
    for heading in ("Journey: open tracks per stage", "Health", "Renewals due by month", "Touch-model tiers",
                    "Most urgent alerts", "GRR", "NRR"):
        assert heading in result.stdout


def test_review_reports_bad_rows_and_reviews_the_rest() -> None:
    """Bad rows are named (row, column, what was expected), counted, and the good ones reviewed; exit 1."""
    result = run("review", str(EXAMPLE))
    assert result.returncode == 1
    assert "8 accounts reviewed." in result.stdout
    assert "row 9, column 'acv': acv='-500': is negative; rule: must be >= 0" in result.stdout
    assert "row 10, column 'segment'" in result.stdout
    assert "2 row(s) not reviewed" in result.stderr


def test_review_json_and_csv_outputs(tmp_path: Path) -> None:
    """--format json and csv write machine-readable reports, to --output when given."""
    out = tmp_path / "review.json"
    assert run("review", str(EXAMPLE), "--format", "json", "--output", str(out)).returncode == 1
    data = json.loads(out.read_text())
    assert len(data["accounts"]) == 8
    assert [e["row"] for e in data["row_errors"]] == [9, 10]
    result = run("review", str(EXAMPLE), "--format", "csv")
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("account_id,segment,csm,acv,stage,timing,health,band")
    assert len(lines) == 9


def test_review_json_input_and_as_of(tmp_path: Path) -> None:
    """A JSON list of objects works; --as-of fills a missing date; nested signals are read."""
    source = tmp_path / "p.json"
    source.write_text(json.dumps([
        {"account_id": "a", "segment": "SMB", "acv": "1200", "contract_start": "2026-01-01",
         "contract_end": "2026-12-31", "signals": {"nps": 9, "sentiment": 80}},
        {"account_id": "b", "segment": "SMB", "seats_purchased": 2.5},
        "not an object",
    ]))
    result = run("review", str(source), "--as-of", "2026-11-01")
    assert result.returncode == 1
    assert "row 2, column 'seats_purchased': '2.5' is not a whole number" in result.stdout
    assert "row 3: is not an object" in result.stdout


@pytest.mark.parametrize(
    ("content", "suffix", "message"),
    [("a,b\n1,2\n", ".csv", "no account_id column"), ("{}", ".json", "a list of account objects"),
     ("x", ".xlsx", "unknown file type"), ("{nope", ".json", "cannot read the file")],
)
def test_unusable_files_exit_2(tmp_path: Path, content: str, suffix: str, message: str) -> None:
    """A file that cannot be used at all is a clear error with exit code 2."""
    source = tmp_path / f"p{suffix}"
    source.write_text(content)
    result = run("review", str(source))
    assert result.returncode == 2
    assert message in result.stderr


def test_missing_file_and_missing_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """In process: a missing file exits 2; rows without a date and no --as-of are reported."""
    assert cli.main(["review", str(tmp_path / "nope.csv")]) == 2
    assert "file not found" in capsys.readouterr().err
    source = tmp_path / "p.csv"
    source.write_text("account_id,segment,logins_week,contract_end\na,SMB,x,2026-13-01\nb,SMB,3,\n,SMB,1,\n")
    assert cli.main(["review", str(source)]) == 1
    out = capsys.readouterr().out
    assert "row 2, column 'as_of': is missing; add the column or pass --as-of" in out
    assert cli.main(["review", str(source), "--as-of", "2026-11-01"]) == 1
    out = capsys.readouterr().out
    assert "row 2, column 'contract_end': '2026-13-01' is not an ISO date" in out
    assert "row 4, column 'account_id': is missing (required)" in out
    assert "1 accounts reviewed." in out


def test_demo_in_process_writes_to_a_file(tmp_path: Path) -> None:
    """The demo's csv report goes to --output; a bad --as-of is a usage error; zero accounts exits 2."""
    out = tmp_path / "demo.csv"
    assert cli.main(["demo", "--once", "--accounts", "30", "--format", "csv", "--output", str(out)]) == 0
    assert out.read_text().startswith("account_id,")
    with pytest.raises(SystemExit):
        cli.main(["demo", "--as-of", "yesterday"])
    assert cli.main(["demo", "--once", "--accounts", "0"]) == 2


def test_progress_bar_only_for_long_runs_at_a_terminal() -> None:
    """The progress bar is silent for short runs or when stderr is not a terminal."""
    import io

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert cli._progress(10, Tty()) is None
    assert cli._progress(1000, io.StringIO()) is None
    stream = Tty()
    report = cli._progress(1000, stream)
    assert report is not None
    report(100)
    report(1000)
    assert "1000/1000" in stream.getvalue()


# ---- nothing ends in a traceback: every bad row reported with its row number, the rest reviewed ----------------

HEADER = "account_id,segment,as_of,acv,contract_start,contract_end,seats_purchased,time_zone\n"
GOOD = "{id},SMB,2026-11-01,1200,2026-01-01,2026-12-31,10,\n"


def with_good_rows(tmp_path: Path, bad_row: str) -> Path:
    """A CSV with a good row, the bad row (line 3) and another good row."""
    source = tmp_path / "p.csv"
    source.write_text(HEADER + GOOD.format(id="g1") + bad_row + "\n" + GOOD.format(id="g2"))
    return source


def not_reviewed(out: str) -> list[str]:
    """The lines of the report's "Not reviewed" section."""
    return [line.strip() for line in out.split("Not reviewed:", 1)[-1].splitlines()[1:] if line.strip()]


@pytest.mark.parametrize(
    ("bad_row", "always_bad"),
    [
        ("b,SMB,2026-11-01,1200,,,nan,", True),
        ("b,SMB,2026-11-01,1200,,,,America", True),
        ("b,SMB,2026-11-01,1200,,,," + "A" * 300, True),
        ("b,SMB,2026-11-01,1e5000,2026-01-01,2026-12-31,,", True),
        ("b,SMB,2026-11-01,1e999999999,2026-01-01,2026-12-31,,", True),
        ("b,SMB,2026-11-01,1e999999,2026-01-01,2026-12-31,,", True),
        ("b,SMB,2026-11-01,1200,2026-01-01,9999-12-31,,", False),
        ("b,SMB,9999-12-31,1200,9999-01-01,9999-12-31,,", False),
        ("b,SMB,0001-01-01,1200,0001-01-01,0001-01-02,,", False),
        ("b,SMB,2026-11-01,1200,0001-01-01,0001-01-02,,", False),
        ("g1,SMB,2026-11-01,1200,2026-01-01,2026-12-31,10,", True),
    ],
    ids=["seats-nan", "zone-folder", "zone-300", "acv-1e5000", "acv-1e999999999", "acv-1e999999", "end-9999",
         "as-of-9999", "as-of-0001", "term-in-year-1", "duplicate-id"],
)
def test_a_bad_cell_is_a_row_error_and_every_other_row_is_reviewed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bad_row: str, always_bad: bool
) -> None:
    """The issue's hostile cells: the row is reported with its line number and why (or, for a date at the edge of
    the calendar the engine can handle, reviewed); the good rows are always reviewed; never a traceback."""
    code = cli.main(["review", str(with_good_rows(tmp_path, bad_row))])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert code == 1 if always_bad else code in (0, 1)
    reviewed = 2 if code == 1 else 3
    assert f"{reviewed} accounts reviewed." in out
    if code == 1:
        (line,) = not_reviewed(out)
        assert line.startswith("row 3")
        assert "1 row(s) not reviewed" in err


def test_seats_of_1e400_in_json_is_a_row_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """1e400 in JSON is too large for a count (and not a finite signal): its item is reported, the others
    reviewed."""
    source = tmp_path / "p.json"
    source.write_text('[{"account_id": "a", "segment": "SMB", "as_of": "2026-11-01"},'
                      ' {"account_id": "b", "segment": "SMB", "as_of": "2026-11-01", "seats_purchased": 1e400},'
                      ' {"account_id": "c", "segment": "SMB", "as_of": "2026-11-01", "nps": 1e400}]')
    assert cli.main(["review", str(source)]) == 1
    out = capsys.readouterr().out
    lines = not_reviewed(out)
    assert lines[0] == "row 2, column 'seats_purchased': '1e400' is too large for a count"
    assert lines[1].startswith("row 3, column 'nps'")
    assert "1 accounts reviewed." in out


def test_a_json_file_nested_100000_deep_is_one_error_line(tmp_path: Path) -> None:
    """A file nested too deeply to read is a file-level problem: one line on stderr, exit code 2."""
    source = tmp_path / "deep.json"
    source.write_text("[" * 100_000 + "]" * 100_000)
    result = run("review", str(source))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("postsale: error: ") and "nested too deeply" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("where", ["missing-folder/report.txt", "."])
def test_an_unwritable_output_is_one_error_line_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    """--output in a folder that does not exist, or naming a folder, is refused up front: one line, exit code 2."""
    output = tmp_path / where
    assert cli.main(["review", str(EXAMPLE), "--output", str(output)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("postsale: error: --output=") and "cannot write the report" in err


def test_a_write_that_fails_late_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """When writing the report fails (disk full, permissions), the reason is one line and the exit code 2."""
    def refuse(self: Path, *args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "write_text", refuse)
    assert cli.main(["review", str(EXAMPLE), "--output", str(tmp_path / "r.txt")]) == 2
    assert "cannot write the report (Permission denied)" in capsys.readouterr().err


def test_an_unexpected_error_is_one_line_and_traceback_shows_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug outside any row is one line naming the error (exit code 2); --traceback lets it through."""
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("broken\nacross lines")

    monkeypatch.setattr(cli, "review_portfolio", broken)
    assert cli.main(["review", str(EXAMPLE)]) == 2
    err = capsys.readouterr().err
    assert err == ("postsale: error: unexpected RuntimeError: broken across lines (this is a bug: rerun with "
                   "`postsale --traceback ...` and report it)\n")
    with pytest.raises(RuntimeError, match="broken"):
        cli.main(["--traceback", "review", str(EXAMPLE)])


def test_an_account_the_review_rejects_is_reported_with_its_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row read fine but failing in the review (here a builtin error deep inside) is listed with its row number
    and account, in the table, the JSON row_errors and (for CSV) on stderr."""
    from postsale.review import _review

    real = _review.build_agenda

    def agenda(snapshot: object, *args: object, **kwargs: object) -> object:
        if getattr(snapshot, "account_id", "") == "b":
            raise KeyError("deep")
        return real(snapshot, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(_review, "build_agenda", agenda)
    source = with_good_rows(tmp_path, "b,SMB,2026-11-01,1200,2026-01-01,2026-12-31,10,")
    assert cli.main(["review", str(source)]) == 1
    (line,) = not_reviewed(capsys.readouterr().out)
    assert line.startswith("row 3, account 'b': unexpected KeyError while reviewing the account: 'deep'")
    assert cli.main(["review", str(source), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [(e["row"], e["account_id"]) for e in data["row_errors"]] == [(3, "b")]
    assert cli.main(["review", str(source), "--format", "csv"]) == 1
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 3
    assert err.startswith("postsale: row 3, account 'b': unexpected KeyError")


def test_every_bad_row_is_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The table lists every row not reviewed (not only the first ones), in row order."""
    source = tmp_path / "p.csv"
    source.write_text(HEADER + "".join(f"a{i},GIANT,2026-11-01,,,,,\n" for i in range(30)) + GOOD.format(id="g"))
    assert cli.main(["review", str(source)]) == 1
    lines = not_reviewed(capsys.readouterr().out)
    assert [int(line.split(",")[0].removeprefix("row ")) for line in lines] == list(range(2, 32))


def test_rows_are_numbered_by_the_line_they_start_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Blank lines and line breaks inside quoted cells count, as an editor numbers lines (the nightly job too)."""
    source = tmp_path / "p.csv"
    source.write_text(HEADER + GOOD.format(id="g") + "\n\n" + 'q,"SMB",2026-11-01,,,,,"x\ny"\n' + "\n"
                      + "a,GIANT,2026-11-01,,,,,\n")
    assert cli.main(["review", str(source)]) == 1
    lines = not_reviewed(capsys.readouterr().out)
    assert [int(line.split(",")[0].removeprefix("row ")) for line in lines] == [5, 8]


def test_a_file_that_cannot_be_opened_is_one_error_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A path that exists but cannot be read as a file is a clear error with exit code 2."""
    folder = tmp_path / "p.csv"
    folder.mkdir()
    assert cli.main(["review", str(folder)]) == 2
    assert capsys.readouterr().err.startswith("postsale: error: FILE=")


def test_reports_with_bad_rows_are_byte_identical_across_hash_seeds(tmp_path: Path) -> None:
    """The JSON report of a file with duplicates and bad rows is the same bytes whatever PYTHONHASHSEED is."""
    import os

    source = with_good_rows(tmp_path, "g1,SMB,2026-11-01,1200,2026-01-01,2026-12-31,10,")
    source.write_text(source.read_text() + "b,SMB,2026-11-01,1e5000,,,nan,\nc,SMB,2026-11-01,5,,,,America\n")
    outputs = set()
    for seed in ("1", "2"):
        result = subprocess.run([sys.executable, "-m", "postsale.adapters.cli", "review", str(source), "--format",
                                 "json"], capture_output=True, check=False, env={**os.environ, "PYTHONHASHSEED": seed})
        assert result.returncode == 1
        outputs.add(result.stdout)
    assert len(outputs) == 1


def test_a_demo_beyond_the_sample_size_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """--accounts above a million is refused before any work (it would run for hours), as argparse does: exit 2."""
    with pytest.raises(SystemExit) as caught:
        cli.main(["demo", "--accounts", "100000000000"])
    assert caught.value.code == 2
    assert "more than the sample's 1,000,000 accounts" in capsys.readouterr().err


def test_review_reads_parquet_ndjson_folders_and_stdin_with_the_nightly_reader(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`postsale review` reads what `postsale run` reads, with the same reader: the same rows and the same line
    numbers (an NDJSON file's physical lines, blank ones counted; a Parquet record's position)."""
    import polars as pl

    from postsale.adapters.nightly import read_table

    frame = pl.DataFrame({"account_id": ["a", "b", "b", None], "segment": ["SMB"] * 4,
                          "as_of": [date(2026, 11, 1)] * 4, "seats_purchased": [3.0, None, 2.0, 1.0]})
    (tmp_path / "set").mkdir()
    frame.write_parquet(tmp_path / "set" / "part-0.parquet")
    frame.write_parquet(tmp_path / "p.parquet")
    for source in (tmp_path / "p.parquet", tmp_path / "set"):
        assert cli.main(["review", str(source), "--format", "csv"]) == 1
        out = capsys.readouterr()
        assert [r.split(",")[0] for r in out.out.splitlines()[1:]] == ["a", "b"]
        assert "row 3, column 'account_id': duplicate account id 'b', first seen at row 2" in out.err
        assert "row 4, column 'account_id': is missing (required)" in out.err
    ndjson = tmp_path / "p.ndjson"
    ndjson.write_text('{"account_id": "a", "segment": "SMB", "as_of": "2026-11-01"}\n\n[1]\n'
                      '{"account_id": "c", "segment": "GIANT", "as_of": "2026-11-01"}\n', encoding="utf-8")
    assert cli.main(["review", str(ndjson)]) == 1
    out = capsys.readouterr().out  # the table report lists the rows not reviewed
    assert "row 3: is not a JSON object" in out and "row 4, column 'segment'" in out
    assert read_table(ndjson, field="FILE").rows["__line"].to_list() == [1, 4]  # the shared reader numbers so
    piped = subprocess.run([sys.executable, "-m", "postsale.adapters.cli", "review", "-", "--format", "csv"],
                           input=ndjson.read_bytes(), capture_output=True, check=False)
    assert piped.returncode == 1 and piped.stdout.decode().splitlines()[1].startswith("a,SMB")
    assert b"row 3: is not a JSON object" in piped.stderr
