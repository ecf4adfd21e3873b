"""The ``postsale`` command (an adapter: it reads files and arguments and prints; the core stays pure).

* ``postsale demo`` runs 30 nights of the embedded sample through ``postsale run`` (``--once``: one review).
* ``postsale review FILE`` reviews your portfolio from a CSV or JSON file once (format in ``docs/cli.md``).
* ``postsale run ACCOUNTS --as-of DATE`` is the nightly job (see :mod:`postsale.adapters.nightly`).

Exit codes: 0 everything reviewed; 1 some rows were bad (reported, the rest reviewed); 2 the file or
the arguments could not be used at all.

Nothing in a file ends in a traceback: a row that cannot be read or reviewed (whatever the reason) is reported
with its row number and why, and every other row is reviewed; a file that cannot be used at all (not found, not
CSV/JSON, nested too deeply, an output that cannot be written) is one line on standard error and exit code 2.
The reports are safe to open: a CSV cell a spreadsheet would run as a formula is neutralised (OWASP: a leading
``'``, quoted), and control characters from the input are shown escaped (``\\x1b``) in the table.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import math
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final, TextIO

from postsale._errors import PostsaleError
from postsale._version import __version__
from postsale._vocabulary import AccountSnapshot
from postsale.adapters._report import (
    _NUMBER,
    RowError,
    _bar,
    _count,
    _csv_report,
    _json_report,
    _table_report,
    _visible,
)
from postsale.adapters.sample import sample_portfolio
from postsale.review import AccountInput, PortfolioReview, ReviewError, review_portfolio

__all__ = ["FIELDS", "RowError", "build_parser", "main", "read_portfolio"]

FIELDS = ("account_id", "segment", "as_of", "acv", "contract_start", "contract_end", "seats_purchased",
          "seats_active", "time_zone", "csm", "parent_id")
"""Known columns; every other column is a numeric signal (an empty cell means the signal is absent)."""

_INT_FIELDS = ("seats_purchased", "seats_active")
_DATE_FIELDS = ("as_of", "contract_start", "contract_end")


# ---- reading portfolio files ------------------------------------------------------------------------


def _cell_date(row: int, column: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise RowError(row, column, f"{text!r} is not an ISO date (expected YYYY-MM-DD)") from None


def _cell_number(row: int, column: str, text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise RowError(row, column, f"{_short(text)!r} is not a number") from None


def _short(text: str, limit: int = 60) -> str:
    """A cell's text as it is quoted in an error (a long cell is cut, so one bad row is one readable line)."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


def _snapshot_from(row: int, record: Mapping[str, Any], as_of: date | None) -> AccountSnapshot:
    """Build one snapshot from a flat record (CSV row or JSON object); raises RowError naming the column."""
    values = {k.strip(): v for k, v in record.items() if k is not None}
    nested = values.pop("signals", None)
    text = {k: ("" if v is None else str(v).strip()) for k, v in values.items()}
    for required in ("account_id", "segment"):
        if not text.get(required):
            raise RowError(row, required, "is missing (required)")
    day = _cell_date(row, "as_of", text["as_of"]) if text.get("as_of") else as_of
    if day is None:
        raise RowError(row, "as_of", "is missing; add the column or pass --as-of YYYY-MM-DD")
    kwargs: dict[str, Any] = {}
    for column in _DATE_FIELDS[1:]:
        if text.get(column):
            kwargs[column] = _cell_date(row, column, text[column])
    for column in _INT_FIELDS:
        if text.get(column):
            number = _cell_number(row, column, text[column])
            if math.isinf(number) and _NUMBER.fullmatch(text[column]):
                raise RowError(row, column, f"{_short(text[column])!r} is too large for a count")
            if not math.isfinite(number) or number != int(number):
                raise RowError(row, column, f"{_short(text[column])!r} is not a whole number")
            kwargs[column] = int(number)
    if text.get("acv"):
        kwargs["acv"] = text["acv"]
    if text.get("time_zone"):
        kwargs["time_zone"] = text["time_zone"]
    if text.get("parent_id"):
        kwargs["parent_id"] = text["parent_id"]
    labels = {"csm": text["csm"]} if text.get("csm") else {}
    signal_values = {k: _cell_number(row, k, v) for k, v in text.items() if k not in FIELDS and v != ""}
    if isinstance(nested, Mapping):
        signal_values.update({str(k): _cell_number(row, f"signals.{k}", str(v)) for k, v in nested.items()})
    try:
        return AccountSnapshot(text["account_id"], text["segment"], day, signals=signal_values, labels=labels,
                               **kwargs)
    except PostsaleError as exc:
        named: str | None = (exc.field or "").split("[")[0] or None
        if named == "signals" and exc.field and "'" in exc.field:
            named = exc.field.split("'")[1]
        raise RowError(row, named, str(exc)) from None


def _record(header: list[str], cells: list[str]) -> dict[str, Any]:
    """A CSV record as csv.DictReader makes it: missing cells are None, extra cells listed under None."""
    record: dict[str, Any] = dict(zip(header, cells, strict=False))
    record.update(dict.fromkeys(header[len(cells):]))
    if len(cells) > len(header):
        record[None] = cells[len(header):]  # type: ignore[index]
    return record


def _records(path: Path) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """(row number, record) pairs; a CSV record is numbered by the physical line it starts on (header = 1, blank
    lines and line breaks inside quoted cells counted), as a text editor shows it."""
    suffix = path.suffix.lower()
    if str(path) == "-" or path.is_dir() or suffix in _TABLE_SUFFIXES:
        yield from _table_records(path)
    elif suffix == ".json":
        try:
            # numbers are kept as written (exact decimals; a 5 000-digit number is a bad cell, not a bad file)
            data = json.loads(path.read_text(encoding="utf-8"), parse_int=str, parse_float=str)
        except RecursionError:
            raise PostsaleError("cannot read the file (its JSON is nested too deeply)", field="FILE", value=str(path),
                                hint="a portfolio is a list of flat account objects (see docs/cli.md)") from None
        items = data.get("accounts") if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise PostsaleError("a JSON portfolio is a list of account objects (or {\"accounts\": [...]})",
                                field=str(path), hint="see docs/cli.md for the format")
        for index, item in enumerate(items, start=1):
            yield index, item if isinstance(item, Mapping) else {"__bad__": item}
    elif suffix in (".csv", ".txt"):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if not header or "account_id" not in [f.strip() for f in header]:
                raise PostsaleError("the CSV has no account_id column", field=str(path),
                                    hint="the first line must be a header with account_id, segment, ...")
            while True:  # each record numbered by the physical line it starts on (as `postsale run` does)
                start = reader.line_num + 1
                cells = next(reader, None)
                if cells is None:
                    return
                if cells:  # a blank line is no record, but it counts
                    yield start, _record(header, cells)
    else:
        raise PostsaleError(f"unknown file type {suffix!r}", field=str(path),
                            hint="use a .csv, .json, .parquet or .ndjson file, a folder of Parquet files, or -")


_TABLE_SUFFIXES: Final = (".parquet", ".pq", ".ndjson", ".jsonl")
"""Read by the nightly job's reader (``postsale[nightly]``): Parquet (a file or a folder), NDJSON, stdin."""


def _table_records(path: Path) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """Records read by ``postsale run``'s reader, numbered as it numbers them (the physical line of an NDJSON
    file, the record's position in a Parquet file); a record it could not read is a bad row with its reason."""
    from postsale.adapters.nightly._read import LINE, read_table

    table = read_table(str(path), field="FILE")
    for line, column, reason in table.errors.select("line", "column", "reason").iter_rows():
        yield int(line or 0), {"__error__": (column, reason)}
    for record in table.rows.iter_rows(named=True):
        line = record.pop(LINE)
        yield int(line), {k: v.isoformat() if isinstance(v, (date, datetime)) else v for k, v in record.items()}


def read_portfolio(
    path: Path, *, as_of: date | None = None, rows: list[int] | None = None
) -> tuple[list[AccountSnapshot], list[RowError]]:
    """Read a CSV or JSON portfolio: the good snapshots and an error per bad row (the rest still read).

    A row that cannot be read, for whatever reason, is a :class:`RowError` with its row number; a row whose
    account id was seen on an earlier row is one too (the first row is kept). ``rows``, when given, receives the
    row number of each good snapshot.

    Raises:
        PostsaleError: the file cannot be read at all (missing, unreadable, not CSV/JSON, no header, nested too
            deeply).

    Examples:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     source = Path(folder) / "p.csv"
        ...     _ = source.write_text("account_id,segment,as_of,seats_purchased\\na,SMB,2026-11-01,nan\\n"
        ...                           "b,SMB,2026-11-01,3\\nb,SMB,2026-11-01,4\\n")
        ...     good, bad = read_portfolio(source)
        >>> [s.account_id for s in good]
        ['b']
        >>> for error in bad:
        ...     print(error)
        row 2, column 'seats_purchased': 'nan' is not a whole number
        row 4, column 'account_id': duplicate account id 'b', first seen at row 3 (only the first is reviewed)
    """
    if not (path.is_file() or path.is_dir() or str(path) == "-"):
        raise PostsaleError("file not found", field="FILE", value=str(path), hint="check the path")
    good: list[AccountSnapshot] = []
    bad: list[RowError] = []
    first_seen: dict[str, int] = {}
    try:
        for row, record in _records(path):
            try:
                snapshot = _row(row, record, as_of)
            except RowError as exc:
                bad.append(exc)
                continue
            first = first_seen.setdefault(snapshot.account_id, row)
            if first != row:
                bad.append(RowError(row, "account_id", f"duplicate account id {_short(snapshot.account_id)!r}, "
                                    f"first seen at row {first} (only the first is reviewed)",
                                    account_id=snapshot.account_id))
            else:
                good.append(snapshot)
                if rows is not None:
                    rows.append(row)
    except (UnicodeDecodeError, json.JSONDecodeError, csv.Error) as exc:
        raise PostsaleError(f"cannot read the file ({exc})", field="FILE", value=str(path),
                            hint="save it as UTF-8 CSV or JSON") from None
    except OSError as exc:
        raise PostsaleError(f"cannot read the file ({exc.strerror or exc})", field="FILE", value=str(path),
                            hint="check the path and its permissions") from None
    return good, bad


def _row(row: int, record: Mapping[str, Any], as_of: date | None) -> AccountSnapshot:
    """One record as a snapshot; whatever goes wrong is a RowError for this row (the others are still read)."""
    if "__bad__" in record:
        raise RowError(row, None, "is not an object")
    if "__error__" in record:
        column, reason = record["__error__"]
        raise RowError(row, column, reason)
    account_id = record.get("account_id")
    account = _short(str(account_id).strip()) or None if account_id is not None else None
    try:
        return _snapshot_from(row, record, as_of)
    except RowError as exc:
        exc.account_id = account
        raise
    except Exception as exc:  # the boundary: one row never stops the file
        raise RowError(row, None, f"could not be read: {type(exc).__name__}: {_short(str(exc), 200)}",
                       account_id=account) from None


# ---- reports ------------------------------------------------------------------------------------------


def _progress(total: int, stream: TextIO) -> Callable[[int], None] | None:
    """A one-line progress bar on stderr for long runs at a terminal (silent otherwise)."""
    if total < 500 or not stream.isatty():
        return None
    started = time.perf_counter()

    def report(done: int) -> None:
        if done % 100 and done != total:
            return
        share = done / total
        stream.write(f"\r  reviewing [{_bar(share, 30):<30}] {done}/{total} {time.perf_counter() - started:5.1f}s")
        if done == total:
            stream.write("\n")
        stream.flush()

    return report


def _check_output(output: Path | None) -> None:
    """Refuse an --output that cannot be written before any work is done."""
    if output is not None and (output.is_dir() or not output.parent.is_dir()):
        why = "is a directory" if output.is_dir() else "is in a directory that does not exist"
        raise PostsaleError(f"cannot write the report: the path {why}", field="--output", value=str(output),
                            hint="pass a file path in an existing directory you can write to")


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:  # the reader stopped early (postsale demo | head): not an error
            with contextlib.suppress(OSError, ValueError):  # and nothing more to flush at exit
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise PostsaleError(f"cannot write the report ({exc.strerror or type(exc).__name__})", field="--output",
                            value=str(output), hint="pass a file path in an existing directory you can write to",
                            ) from None
    sys.stderr.write(f"postsale: report written to {_visible(str(output))}\n")


def _render(review: PortfolioReview, args: argparse.Namespace, title: str, row_errors: Sequence[RowError]) -> str:
    if args.format == "json":
        return _json_report(review, row_errors)
    if args.format == "csv":
        return _csv_report(review)
    return _table_report(review, title=title, row_errors=row_errors)


def _not_reviewed(errors: Sequence[ReviewError], rows: Sequence[int]) -> list[RowError]:
    """The accounts the review rejected, as row errors with the row each came from."""
    return [RowError(rows[e.index], None, e.error, account_id=e.account_id) for e in errors if e.index >= 0]


def _finish(review: PortfolioReview, args: argparse.Namespace, title: str, row_errors: list[RowError],
            rows: Sequence[int]) -> int:
    """Write the report; every row not reviewed is in it (and on stderr for CSV, which has no room for it)."""
    failures = sorted([*row_errors, *_not_reviewed(review.errors, rows)], key=lambda e: e.row)
    _emit(_render(review, args, title, failures), args.output)
    if args.format == "csv":
        sys.stderr.writelines(f"postsale: {_visible(str(e))}\n" for e in failures)
    sys.stderr.writelines(f"postsale: portfolio: {_visible(e.error)}\n" for e in review.errors if e.index < 0)
    if failures:
        listed = "listed above" if args.format == "csv" else "listed in the report"
        sys.stderr.write(f"postsale: {len(failures)} row(s) not reviewed ({listed}); {len(review.accounts)} "
                         "reviewed\n")
        return 1
    return 0


# ---- commands -----------------------------------------------------------------------------------------


def _demo(args: argparse.Namespace) -> int:
    _check_output(args.output)
    portfolio = sample_portfolio(args.accounts, seed=args.seed, as_of=args.as_of or date(2026, 11, 1))
    inputs: Iterable[AccountInput] = [
        AccountInput(a.snapshot_on(portfolio.as_of), journey=a.journey, contract=a.contract,
                     history=a.history(as_of=portfolio.as_of, weeks=13)[:-1],
                     completed_milestones=a.completed_milestones, intent=a.intent)
        for a in portfolio.active
    ]
    inputs = list(inputs)
    review = review_portfolio(inputs, ledger=portfolio.ledger, progress=_progress(len(inputs), sys.stderr))
    churned = len(portfolio.accounts) - len(inputs)
    title = f"postsale demo: sample portfolio of {_count(len(portfolio.accounts), 'account')} (seed {args.seed}), " \
            f"as of {portfolio.as_of.isoformat()}: {len(inputs):,} active reviewed, {churned:,} churned (not reviewed)"
    return _finish(review, args, title, [], range(1, len(inputs) + 1))


def _review(args: argparse.Namespace) -> int:
    _check_output(args.output)
    rows: list[int] = []
    snapshots, row_errors = read_portfolio(args.file, as_of=args.as_of, rows=rows)
    review = review_portfolio(snapshots, progress=_progress(len(snapshots), sys.stderr))
    title = f"postsale review: {args.file.name}, {len(snapshots)} accounts"
    return _finish(review, args, title, row_errors, rows)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO date such as 2026-11-01") from None


_MAX_SAMPLE = 1_000_000


def _sample_size(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value > _MAX_SAMPLE:
        raise argparse.ArgumentTypeError(f"{value} is more than the sample's {_MAX_SAMPLE:,} accounts")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser (exposed for the docs and tests)."""
    parser = argparse.ArgumentParser(prog="postsale", description="Post-sale customer success engine.")
    parser.add_argument("--version", action="version", version=f"postsale {__version__}")
    parser.add_argument("--traceback", action="store_true",
                        help="on an unexpected error, show Python's traceback (for a bug report)")
    sub = parser.add_subparsers(dest="command", required=True)

    def output_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--format", choices=("table", "json", "csv"), default="table", help="report format")
        p.add_argument("--output", type=Path, default=None, help="write the report to this file")

    from postsale.adapters.nightly._cli import add_commands, add_demo

    add_demo(sub, _iso_date, _demo, output_options, _sample_size)
    add_commands(sub, _iso_date)

    review = sub.add_parser("review", help="review a portfolio from a CSV or JSON file")
    review.add_argument("file", type=Path, help="the portfolio (.csv or .json; see docs/cli.md)")
    review.add_argument("--as-of", type=_iso_date, default=None,
                        help="review date for rows without an as_of column (ISO)")
    output_options(review)
    review.set_defaults(run=_review)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the exit code (0 ok, 1 some rows bad, 2 unusable input).

    Nothing ends in a traceback: an error that stops the whole run is one line on stderr and exit code 2 (an
    unexpected one says so; ``postsale --traceback ...`` shows where it came from).
    """
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except PostsaleError as exc:
        _fail(str(exc))
    except Exception as exc:  # the boundary: a bug must not end the nightly run in a traceback
        if args.traceback:
            raise
        _fail(f"unexpected {type(exc).__name__}: {str(exc) or repr(exc)} (this is a bug: rerun with "
              "`postsale --traceback ...` and report it)")
    return 2


def _fail(message: str) -> None:
    """The one error line on stderr (newlines folded, control characters escaped)."""
    sys.stderr.write(f"postsale: error: {_visible(' '.join(message.splitlines()))}\n")


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
