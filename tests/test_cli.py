"""The `postsale` command, end to end (subprocesses) and in process."""

from __future__ import annotations

import json
import subprocess
import sys
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
    result = run("demo", "--accounts", "200")
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
    assert cli.main(["demo", "--accounts", "30", "--format", "csv", "--output", str(out)]) == 0
    assert out.read_text().startswith("account_id,")
    with pytest.raises(SystemExit):
        cli.main(["demo", "--as-of", "yesterday"])
    assert cli.main(["demo", "--accounts", "0"]) == 2


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
