"""The command's reports are safe to open: no spreadsheet formula runs from a CSV cell, no terminal escape sequence
from the input reaches the terminal, and the JSON report escapes every control character."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from postsale.adapters import _report, cli

INJECTIONS = ['=cmd|"/c calc"!A1', "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+9)*cmd|' /C calc'!A0",
              "=HYPERLINK(\"http://x\",\"y\")"]
"""The input's cells are stripped, so a leading tab or carriage return is tested on the cell helper itself."""


def portfolio_file(tmp_path: Path, ids: list[str], *, csm: str = "aiko") -> Path:
    """A JSON portfolio (any text can be an id) whose accounts renewed a week ago (days_to_renewal is -7)."""
    source = tmp_path / "p.json"
    source.write_text(json.dumps([
        {"account_id": account_id, "segment": "SMB", "as_of": "2026-11-01", "acv": "1200", "csm": csm,
         "contract_start": "2025-10-25", "contract_end": "2026-10-25", "nps": 3}
        for account_id in ids
    ]))
    return source


def csv_report(tmp_path: Path, capsys: pytest.CaptureFixture[str], ids: list[str], **kwargs: str) -> str:
    assert cli.main(["review", str(portfolio_file(tmp_path, ids, **kwargs)), "--format", "csv"]) == 0
    return capsys.readouterr().out


def test_csv_cells_a_spreadsheet_would_run_are_neutralised(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A cell starting with =, +, -, @, tab or carriage return gets a leading ' and is quoted (OWASP); read back, the
    text is the original after the quote."""
    text = csv_report(tmp_path, capsys, INJECTIONS)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert [row[0] for row in rows[1:]] == [f"'{value}" for value in INJECTIONS]
    assert text.splitlines()[1].startswith('"\'=cmd|""/c calc""!A1",')
    for line in text.split("\r\n")[1:-1]:
        assert line.startswith("\"'")


def test_csv_keeps_numbers_as_numbers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Purely numeric cells (the report's -7 days to renewal, an id like -5 or -0.25) stay plain numbers."""
    text = csv_report(tmp_path, capsys, ["-5", "-0.25", "acme"])
    header, *rows = list(csv.reader(io.StringIO(text, newline="")))
    days = header.index("days_to_renewal")
    assert [row[days] for row in rows] == ["-7", "-7", "-7"]
    assert [row[0] for row in rows] == ["-5", "-0.25", "acme"]
    assert text.splitlines()[1].startswith("-5,SMB,aiko,1200,")


def test_csv_label_cells_are_neutralised_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Any text cell, not only the id: a CSM name that is a formula is neutralised."""
    text = csv_report(tmp_path, capsys, ["acme"], csm="=1+2")
    assert list(csv.reader(io.StringIO(text, newline="")))[1][2] == "'=1+2"


ESCAPES = "\x1b[2J\x1b]0;pwned\x07\x9b31m\x7f\x00\u202e"


def test_the_table_shows_control_characters_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Account ids and CSM names with terminal escape sequences, C1 controls, DEL, NUL and bidi overrides are shown
    escaped (\\x1b, \\x9b, \\u202e), never sent to the terminal; the report's own layout is kept."""
    ids = [f"evil{ESCAPES}", f"line\nbreak{ESCAPES}"]
    assert cli.main(["review", str(portfolio_file(tmp_path, ids, csm=f"csm{ESCAPES}"))]) == 0
    out = capsys.readouterr().out
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", out)
    assert "evil\\x1b[2J\\x1b]0;pwned\\x07\\x9b31m\\x7f\\x00\\u202e" in out
    assert "line\\x0abreak" in out
    assert out.startswith("postsale review: p.json, 2 accounts\n=")


def test_row_errors_and_file_names_are_escaped_in_the_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A reason quoting the input and the file name in the title are shown escaped too."""
    source = tmp_path / "p\x1b[31m.csv"
    source.write_text(f"account_id,segment,as_of\nacme,SMB,2026-11-01\nbad{ESCAPES},SMB,2026-13-01\n")
    assert cli.main(["review", str(source)]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x9b" not in out
    assert out.startswith("postsale review: p\\x1b[31m.csv, 1 accounts")


def test_error_lines_on_stderr_are_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The one error line (here: a missing file whose name holds an escape sequence) carries no control character."""
    assert cli.main(["review", str(tmp_path / "no\x1b[2Jpe.csv")]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and err.count("\n") == 1


def test_json_output_escapes_every_control_character(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The JSON report reads back to the original text, and its raw text has no control character (C0 escaped by
    json.dumps; DEL, C1 and bidi overrides escaped by the command)."""
    ids = [f"evil{ESCAPES}", *INJECTIONS]
    assert cli.main(["review", str(portfolio_file(tmp_path, ids)), "--format", "json"]) == 0
    text = capsys.readouterr().out
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text)
    assert "\\u001b" in text and "\\u009b" in text and "\\u202e" in text
    assert [a["account_id"] for a in json.loads(text)["accounts"]] == ids


def test_the_csv_and_terminal_helpers() -> None:
    """Neutralising is only for cells that are not plain numbers; escaping leaves printable text alone."""
    assert _report._csv_cell("=1+2") == "\"'=1+2\""
    assert [_report._csv_cell(v) for v in ("-5", "+3", "-1e5", "-.5", 0, "5-3", "a\nb")] == [
        "-5", "+3", "-1e5", "-.5", "0", "5-3", '"a\nb"'
    ]
    assert _report._csv_cell("-") == "\"'-\""
    assert _report._csv_cell("\t=1+1") == "\"'\t=1+1\""
    assert _report._csv_cell("\r=1+1") == "\"'\r=1+1\""
    assert _report._visible("Café 東京 tab\there") == "Café 東京 tab\\x09here"
