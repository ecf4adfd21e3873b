"""The nightly commands: ``postsale run``, ``postsale config init|check``, ``postsale demo`` (30 nights of the
sample) and ``postsale schema``.

Exit codes: 0 the night ran and every row was processed; 1 it ran and some rows were rejected (listed in
``errors.<format>`` and counted in the summary); 2 nothing was done (the state is as it was): arguments, a
configuration, an input, the state database or an output that cannot be used, each named in one line on
standard error. Logs go to standard error, results to files (``--out``) and the summary to standard output.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Final

from postsale._errors import InvalidValueError
from postsale.adapters.nightly._read import FORMATS, read_table
from postsale.adapters.nightly._run import Night, run_night
from postsale.adapters.nightly._write import OUT_FORMATS, summary_of, writer

__all__ = ["add_commands"]


def _formats(text: str) -> tuple[str, ...]:
    chosen = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [f for f in chosen if f not in OUT_FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"{text!r}: choose among {', '.join(OUT_FORMATS)} (comma-separated)")
    return chosen


def add_commands(sub: Any, iso_date: Callable[[str], date]) -> None:
    """Add ``run``, ``config``, ``schema`` and the nightly ``demo`` to the ``postsale`` parser."""
    run = sub.add_parser("run", help="run one night: read the inputs, step every account against the state kept, "
                         "write the alerts, reviews, agenda and report")
    run.add_argument("accounts", help="the accounts: CSV, Parquet (a file or a folder), NDJSON or JSON; - for stdin")
    run.add_argument("--as-of", type=iso_date, required=True, help="the night's date (ISO)")
    run.add_argument("--contracts", default=None, help="renewal activity by account (milestone.<name> dates, "
                     "intent, csm_call, renewal_recorded)")
    run.add_argument("--events", default=None, help="journey events (see postsale schema events)")
    run.add_argument("--ledger", default=None, help="revenue movements for GRR / NRR (see postsale schema ledger)")
    run.add_argument("--format", choices=FORMATS, default=None, help="the format of stdin (default: sniffed)")
    _night_options(run)
    run.add_argument("--rerun", action="store_true", help="replace the last night (its date) with these inputs")
    run.set_defaults(run=_run)

    config = sub.add_parser("config", help="write or check a configuration file")
    config_sub = config.add_subparsers(dest="config_command", required=True)
    init = config_sub.add_parser("init", help="write the defaults as an editable TOML file")
    init.add_argument("file", type=Path, nargs="?", default=None, help="where to write it (default: stdout)")
    init.set_defaults(run=_config_init)
    check = config_sub.add_parser("check", help="list every problem of a configuration file")
    check.add_argument("file", type=Path)
    check.set_defaults(run=_config_check)

    schema = sub.add_parser("schema", help="print the JSON Schema of an input file's rows")
    schema.add_argument("input", choices=("accounts", "contracts", "events", "ledger"))
    schema.add_argument("--config", type=Path, default=None,
                        help="a configuration whose renewal playbooks name the contracts' milestone columns")
    schema.set_defaults(run=_schema)


def _night_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--state", type=Path, default=Path("postsale.duckdb"),
                   help="the state database (DuckDB file; default postsale.duckdb)")
    p.add_argument("--config", type=Path, default=None, help="the configuration (TOML; see postsale config init)")
    p.add_argument("--out", type=Path, default=Path("postsale-out"), help="where outputs go (default postsale-out)")
    p.add_argument("--format-out", type=_formats, default=("csv",), help="output formats, comma-separated: "
                   f"{', '.join(OUT_FORMATS)} (default csv)")
    p.add_argument("--no-evidence", dest="evidence", action="store_false",
                   help="leave out each alert's evidence (faster on large portfolios)")
    p.add_argument("--quiet", action="store_true", help="no progress or logs (for schedulers)")


def add_demo(sub: Any, iso_date: Callable[[str], date], once: Callable[[argparse.Namespace], int],
             options: Callable[[argparse.ArgumentParser], None], size: Callable[[str], int]) -> None:
    """The ``demo`` command: 30 nights of the sample through ``run`` (``--once``: one review, printed)."""
    demo = sub.add_parser("demo", help="run 30 nights of the embedded sample portfolio through `postsale run`")
    demo.add_argument("--accounts", type=size, default=3000, help="number of sample accounts (default 3000)")
    demo.add_argument("--seed", type=int, default=7, help="sample seed (default 7)")
    demo.add_argument("--as-of", type=iso_date, default=None,
                      help="the last night (ISO; default 2026-11-30, or 2026-11-01 with --once)")
    demo.add_argument("--days", type=int, default=30, help="consecutive nights to run (default 30)")
    demo.add_argument("--once", action="store_true",
                      help="review the sample once and print the report (no state, no files)")
    options(demo)
    _night_options(demo)
    demo.set_defaults(run=lambda args: once(args) if args.once else _demo(args))


def _log(args: argparse.Namespace, text: str) -> None:
    if not args.quiet:
        sys.stderr.write(f"postsale: {text}\n")


@contextmanager
def _progress(args: argparse.Namespace, total: int, label: str) -> Iterator[Callable[[str], None]]:
    """A progress bar on a terminal (rich): counts, elapsed and time left; nothing when quiet or piped."""
    if args.quiet or not sys.stderr.isatty():
        yield lambda _text: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("left"), TimeRemainingColumn())
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda text: bar.update(task, advance=1, description=f"{label}: {text}")


def _settings(args: argparse.Namespace) -> Any:
    """The configuration named by ``--config`` (every problem listed before anything runs), or the defaults."""
    from postsale.adapters.nightly._config import NightlyConfig, load_config

    return NightlyConfig() if args.config is None else load_config(args.config)


def _report() -> Callable[[Night], str] | None:
    from postsale.adapters.nightly._report import report_html

    return report_html


def _night(args: argparse.Namespace, as_of: date, paths: dict[str, str | None], settings: Any,
           step: Callable[[str], None], *, outputs: bool = True) -> Night:
    tables = {}
    for name, path in paths.items():
        if path is not None:
            tables[name] = read_table(path, field=f"--{name}" if name != "accounts" else "accounts",
                                      fmt=getattr(args, "format", None) if path == "-" else None,
                                      lazy=name in ("accounts", "contracts", "ledger"))  # not held whole
    step("read")
    night = run_night(as_of=as_of, accounts=tables.pop("accounts"), contracts=tables.pop("contracts", None),
                      events=tables.pop("events", None), ledger=tables.pop("ledger", None), state=args.state,
                      settings=settings.settings, time_zone=settings.time_zone, rerun=args.rerun,
                      evidence=args.evidence, write=writer(args.out, args.format_out, _report()) if outputs else None)
    step("written")
    return night


def _summary_text(night: Night, out: Path) -> str:
    c = night.counts
    lines = [
        f"postsale run {night.as_of.isoformat()}" + (" (replaced the earlier run of this night)"
                                                    if night.replaced else ""),
        f"  accounts: {c['read']:,} read = {c['processed']:,} processed + {c['rejected']:,} rejected",
        f"  alerts:   {c['alerts_new']:,} new, {c['alerts_open']:,} open, {c['alerts_closed']:,} closed, "
        f"{c['held_back']:,} held back",
    ]
    summary = summary_of(night)
    for key in ("bands", "touch", "forecast"):
        lines.append(f"  {key + ':':<9} " + ", ".join(f"{k} {v:,}" for k, v in summary[key].items()))
    if night.retention is not None:
        r = summary["retention"]
        lines.append(f"  revenue:  GRR {r['grr']}, NRR {r['nrr']}, logo retention {r['logo_retention']} "
                     f"({r['period_start']} to {r['period_end']})")
    lines.append(f"  outputs:  {out} (report: {out / 'report.html'})")
    return "\n".join(lines) + "\n"


ALLOCATOR: Final = "background_thread:true,dirty_decay_ms:0,muzzy_decay_ms:0"
"""How Polars' allocator (jemalloc) is set for ``postsale run``: memory freed is handed back to the system at once,
so the job's peak resident memory is what it holds, not what the allocator keeps for later (at 1 M accounts:
1.34 GiB instead of 1.75 GiB, for about 2 s more)."""


_POLARS_OWN: Final = frozenset({"", "dirty_decay_ms:500", "muzzy_decay_ms:1000", "thp:always", "metadata_thp:always"})
"""What Polars itself writes into ``_RJEM_MALLOC_CONF`` when it is imported (a parent process that imported Polars
passes it on): not a choice of the user's."""


def _return_freed_memory() -> None:
    """Set :data:`ALLOCATOR`, only before Polars is loaded (it is read then) and never over a setting of the user's
    own in ``_RJEM_MALLOC_CONF``."""
    given = os.environ.get("_RJEM_MALLOC_CONF", "")
    if "polars" not in sys.modules and set(given.split(",")) <= _POLARS_OWN:
        os.environ["_RJEM_MALLOC_CONF"] = ALLOCATOR


def _run(args: argparse.Namespace) -> int:
    _return_freed_memory()
    started = time.perf_counter()
    settings = _settings(args)
    with _progress(args, 2, f"night {args.as_of.isoformat()}") as step:
        night = _night(args, args.as_of, {"accounts": args.accounts, "contracts": args.contracts,
                                          "events": args.events, "ledger": args.ledger}, settings, step)
    sys.stdout.write(_summary_text(night, args.out))
    _log(args, f"done in {time.perf_counter() - started:.1f} s; state in {args.state}")
    return 1 if night.counts["rejected"] or night.frames["errors"].height else 0


def _demo(args: argparse.Namespace) -> int:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from postsale.adapters.nightly._demo import sample_night_files

    started = time.perf_counter()
    last = args.as_of or date(2026, 11, 30)
    if not 1 <= args.days <= 366:
        raise InvalidValueError("is not a number of nights from 1 to 366", field="--days", value=args.days)
    settings = _settings(args)
    folder = Path(tempfile.mkdtemp(prefix="postsale-demo-"))
    if args.state == Path("postsale.duckdb"):
        args.state = folder / "postsale.duckdb"
    if args.out == Path("postsale-out"):
        args.out = folder / "out"
    args.rerun = False
    days = [last - timedelta(days=args.days - 1 - k) for k in range(args.days)]
    night = None
    # A second process draws the nights' files while the nights before them run, as a CRM's export lands before
    # the job that reads it (spawned: a fork would copy the engines' threads).
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    try:
        coming = [pool.submit(sample_night_files, args.accounts, args.seed, last, day, folder / f"inputs-{k}")
                  for k, day in enumerate(days)]
        with _progress(args, args.days, "demo") as step:
            for k, day in enumerate(days):
                files = coming[k].result()
                last_night = k == args.days - 1  # the nights before keep their state (a ledger is read once)
                inputs: dict[str, str | None] = {name: str(path) for name, path in files.items()
                                                 if last_night or name != "ledger"}
                night = _night(args, day, inputs, settings, lambda _text: None, outputs=last_night)
                step(day.isoformat())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    if night is None:  # pragma: no cover - --days is at least 1
        return 2
    sys.stdout.write(_summary_text(night, args.out))
    sys.stdout.write(f"  state:    {args.state} ({args.days} nights)\n")
    _log(args, f"{args.days} nights of {args.accounts:,} sample accounts in {time.perf_counter() - started:.1f} s; "
               f"open the report: {args.out / 'report.html'}")
    return 0


def _config_init(args: argparse.Namespace) -> int:
    from postsale.adapters.nightly._config import default_config_text

    text = default_config_text()
    if args.file is None:
        sys.stdout.write(text)
        return 0
    from postsale.adapters.nightly._write import check_out

    check_out(args.file.parent if str(args.file.parent) else Path("."))
    args.file.write_text(text, encoding="utf-8")
    sys.stderr.write(f"postsale: wrote the default configuration to {args.file}\n")
    return 0


def _config_check(args: argparse.Namespace) -> int:
    from postsale.adapters.nightly._config import config_problems

    problems = config_problems(args.file)
    for problem in problems:
        sys.stdout.write(f"{problem.path}: {problem.message}\n")
    if problems:
        sys.stderr.write(f"postsale: {len(problems)} problem(s) in {args.file}\n")
        return 2
    sys.stdout.write(f"{args.file}: ok\n")
    return 0


def _schema(args: argparse.Namespace) -> int:
    from postsale.adapters.nightly._schema import input_schema

    renewal = _settings(args).settings.renewal
    sys.stdout.write(json.dumps(input_schema(args.input, renewal), indent=2) + "\n")
    return 0
