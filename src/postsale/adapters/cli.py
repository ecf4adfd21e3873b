"""The ``postsale`` command (an adapter: it reads files and arguments and prints; the core stays pure).

* ``postsale demo`` reviews the embedded sample portfolio.
* ``postsale review FILE`` reviews your portfolio from a CSV or JSON file (format in ``docs/cli.md``).

Exit codes: 0 everything reviewed; 1 some rows were bad (reported, the rest reviewed); 2 the file or
the arguments could not be used at all.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from postsale._convert import to_data
from postsale._errors import PostsaleError
from postsale._version import __version__
from postsale._vocabulary import AccountSnapshot, Stage
from postsale.adapters.sample import sample_portfolio
from postsale.review import AccountInput, PortfolioReview, review_portfolio

__all__ = ["FIELDS", "RowError", "build_parser", "main", "read_portfolio"]

FIELDS = ("account_id", "segment", "as_of", "acv", "contract_start", "contract_end", "seats_purchased",
          "seats_active", "time_zone", "csm", "parent_id")
"""Known columns; every other column is a numeric signal (an empty cell means the signal is absent)."""

_INT_FIELDS = ("seats_purchased", "seats_active")
_DATE_FIELDS = ("as_of", "contract_start", "contract_end")


class RowError(Exception):
    """A row of the input file that could not be turned into a snapshot (reported, never fatal)."""

    def __init__(self, row: int, column: str | None, message: str) -> None:
        self.row, self.column, self.message = row, column, message
        where = f"row {row}" + (f", column {column!r}" if column else "")
        super().__init__(f"{where}: {message}")


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
        raise RowError(row, column, f"{text!r} is not a number") from None


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
            if number != int(number):
                raise RowError(row, column, f"{text[column]!r} is not a whole number")
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


def _records(path: Path) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """(row number, record) pairs; CSV rows are numbered as a spreadsheet shows them (header = 1)."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        items = data.get("accounts") if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise PostsaleError("a JSON portfolio is a list of account objects (or {\"accounts\": [...]})",
                                field=str(path), hint="see docs/cli.md for the format")
        for index, item in enumerate(items, start=1):
            yield index, item if isinstance(item, Mapping) else {"__bad__": item}
    elif suffix in (".csv", ".txt"):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or "account_id" not in [f.strip() for f in reader.fieldnames]:
                raise PostsaleError("the CSV has no account_id column", field=str(path),
                                    hint="the first line must be a header with account_id, segment, ...")
            for index, record in enumerate(reader, start=2):
                yield index, record
    else:
        raise PostsaleError(f"unknown file type {suffix!r}", field=str(path), hint="use a .csv or .json file")


def read_portfolio(path: Path, *, as_of: date | None = None) -> tuple[list[AccountSnapshot], list[RowError]]:
    """Read a CSV or JSON portfolio: the good snapshots and an error per bad row (the rest still read).

    Raises:
        PostsaleError: the file cannot be read at all (missing, not CSV/JSON, no header).
    """
    if not path.is_file():
        raise PostsaleError("file not found", field="FILE", value=str(path), hint="check the path")
    good: list[AccountSnapshot] = []
    bad: list[RowError] = []
    try:
        for row, record in _records(path):
            if "__bad__" in record:
                bad.append(RowError(row, None, "is not an object"))
                continue
            try:
                good.append(_snapshot_from(row, record, as_of))
            except RowError as exc:
                bad.append(exc)
    except (UnicodeDecodeError, json.JSONDecodeError, csv.Error) as exc:
        raise PostsaleError(f"cannot read the file ({exc})", field="FILE", value=str(path),
                            hint="save it as UTF-8 CSV or JSON") from None
    return good, bad


# ---- reports ------------------------------------------------------------------------------------------


def _bar(share: float, width: int = 24) -> str:
    return "#" * round(share * width)


def _money(value: Decimal) -> str:
    return f"${value:,.0f}"


def _table_report(review: PortfolioReview, *, title: str, row_errors: Sequence[RowError]) -> str:
    s = review.summary
    out = io.StringIO()
    w = out.write
    w(f"{title}\n{'=' * len(title)}\n\n")
    for line in review.explain():
        w(f"{line}\n")
    total = max(sum(s.stage_distribution.values()), 1)
    w("\nJourney: open tracks per stage\n")
    for stage in Stage:
        n = s.stage_distribution.get(stage, 0)
        w(f"  {stage.label:<11}{n:>6}  {_bar(n / total)}\n")
    w("  timing: " + ", ".join(f"{k.name} {v}" for k, v in s.timing.items()) + "\n")
    if s.journey is not None and s.journey.bottleneck is not None:
        w(f"  bottleneck: {s.journey.bottleneck.label}; accounts with a regression: "
          f"{(s.journey.regression.account_rate or 0):.0%}\n")
    w("\nHealth\n")
    scored = max(sum(s.health_distribution.values()), 1)
    for band, n in s.health_distribution.items():
        w(f"  {band:<9}{n:>6}  {_bar(n / scored)}\n")
    if s.renewals_by_month:
        w("\nRenewals due by month            ARR   COMMIT LIKELY AT_RISK\n")
        for m in s.renewals_by_month:
            cats = {c.name: n for c, n in m.by_category.items()}
            w(f"  {m.month}  {m.renewals:>5} {_money(m.arr):>14}   {cats.get('COMMIT', 0):>6} "
              f"{cats.get('LIKELY', 0):>6} {cats.get('AT_RISK', 0):>7}\n")
    if s.tiers is not None:
        w("\nTouch-model tiers\n")
        for line in s.tiers.explain()[1:]:
            w(f"  {line}\n")
    if s.top_alerts:
        w(f"\nMost urgent alerts ({len(s.top_alerts)} of {s.alerts_total})\n")
        for a in s.top_alerts[:15]:
            w(f"  {a.priority.name:<7} {a.rule_id:<4} {a.account_id:<12} due {a.due.strftime('%Y-%m-%d %H:%M'):<17}"
              f" {a.rule_name}: {a.action.description}\n")
    risky = [r for r in review.accounts if r.forecast is not None and r.forecast.category.name == "AT_RISK"
             and r.renewal is not None and r.renewal.days_to_renewal <= 90]
    if risky:
        w(f"\nAt-risk renewals in the next 90 days ({len(risky)})\n")
        for r in sorted(risky, key=lambda r: r.renewal.days_to_renewal if r.renewal else 0)[:10]:
            w("\n".join(f"  {line}" for line in r.explain()) + "\n")
    if review.errors or row_errors:
        w(f"\nNot reviewed: {len(row_errors) + len(review.errors)} row(s)\n")
        for e in list(row_errors)[:20]:
            w(f"  {e}\n")
        for err in review.errors[:20]:
            w(f"  {err.account_id}: {err.error}\n")
    return out.getvalue()


def _csv_report(review: PortfolioReview) -> str:
    rows = [r.row() for r in review.accounts]
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue()


def _json_report(review: PortfolioReview, row_errors: Sequence[RowError]) -> str:
    data = to_data(review)
    data["row_errors"] = [{"row": e.row, "column": e.column, "message": e.message} for e in row_errors]
    return json.dumps(data, ensure_ascii=False, indent=1, default=str)


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


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        sys.stderr.write(f"postsale: report written to {output}\n")


def _render(review: PortfolioReview, args: argparse.Namespace, title: str, row_errors: Sequence[RowError]) -> str:
    if args.format == "json":
        return _json_report(review, row_errors)
    if args.format == "csv":
        return _csv_report(review)
    return _table_report(review, title=title, row_errors=row_errors)


# ---- commands -----------------------------------------------------------------------------------------


def _demo(args: argparse.Namespace) -> int:
    portfolio = sample_portfolio(args.accounts, seed=args.seed, as_of=args.as_of)
    inputs: Iterable[AccountInput] = [
        AccountInput(a.snapshot_on(portfolio.as_of), journey=a.journey, contract=a.contract,
                     history=a.history(as_of=portfolio.as_of, weeks=13)[:-1],
                     completed_milestones=a.completed_milestones, intent=a.intent)
        for a in portfolio.active
    ]
    inputs = list(inputs)
    review = review_portfolio(inputs, ledger=portfolio.ledger, progress=_progress(len(inputs), sys.stderr))
    title = f"postsale demo: sample portfolio of {len(portfolio.accounts)} accounts (seed {args.seed}), " \
            f"as of {portfolio.as_of.isoformat()}"
    _emit(_render(review, args, title, ()), args.output)
    return 0


def _review(args: argparse.Namespace) -> int:
    snapshots, row_errors = read_portfolio(args.file, as_of=args.as_of)
    review = review_portfolio(snapshots, progress=_progress(len(snapshots), sys.stderr))
    title = f"postsale review: {args.file.name}, {len(snapshots)} accounts"
    _emit(_render(review, args, title, row_errors), args.output)
    if row_errors or review.errors:
        sys.stderr.write(f"postsale: {len(row_errors) + len(review.errors)} row(s) not reviewed "
                         f"(listed in the report); {len(review.accounts)} reviewed\n")
        return 1
    return 0


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO date such as 2026-11-01") from None


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser (exposed for the docs and tests)."""
    parser = argparse.ArgumentParser(prog="postsale", description="Post-sale customer success engine.")
    parser.add_argument("--version", action="version", version=f"postsale {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def output_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--format", choices=("table", "json", "csv"), default="table", help="report format")
        p.add_argument("--output", type=Path, default=None, help="write the report to this file")

    demo = sub.add_parser("demo", help="review the embedded sample portfolio")
    demo.add_argument("--accounts", type=int, default=3000, help="number of sample accounts (default 3000)")
    demo.add_argument("--seed", type=int, default=7, help="sample seed (default 7)")
    demo.add_argument("--as-of", type=_iso_date, default=date(2026, 11, 1), help="review date (ISO)")
    output_options(demo)
    demo.set_defaults(run=_demo)

    review = sub.add_parser("review", help="review a portfolio from a CSV or JSON file")
    review.add_argument("file", type=Path, help="the portfolio (.csv or .json; see docs/cli.md)")
    review.add_argument("--as-of", type=_iso_date, default=None,
                        help="review date for rows without an as_of column (ISO)")
    output_options(review)
    review.set_defaults(run=_review)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the exit code (0 ok, 1 some rows bad, 2 unusable input)."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except PostsaleError as exc:
        sys.stderr.write(f"postsale: error: {exc}\n")
        return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
