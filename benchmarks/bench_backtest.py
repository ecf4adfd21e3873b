"""Benchmark: a backtest over columns (``backtest_frame``) from a Parquet dataset of daily snapshots, against the
scalar ``backtest`` per account-day.

The history: N seeded accounts (``_peers.make_frame``), one snapshot a day for D days (signals drift day to
day), written as a Parquet dataset partitioned by day; outcomes: 5 % of the accounts churn on a random day. The
frame backtest reads it with ``pl.scan_parquet`` (one day in memory at a time). The scalar peer replays a subset of
the accounts with ``postsale.triggers.backtest`` (scaled).

    python benchmarks/bench_backtest.py [--quick] [--accounts N] [--days D]

The backtest runs in a process of its own, twice: with Polars' allocator as it comes, and set to hand freed memory
back within a second (``_RJEM_MALLOC_CONF``, :data:`RETURN_FREED`, as the docs advise for a long backtest).
Prints ``BACKTEST <rows> rows <s> s peak-rss <MiB>`` for each, ``RATIO backtest scalar <x>`` (scalar time per
account-day / frame time per account-day, with the allocator as it comes) and a ``MACHINE`` line. ``--quick``:
2 000 accounts × 30 days; default: 100 000 ×
365 (36.5 M rows; the goal is 3 minutes and 2 GiB of peak RSS on a 2-core machine).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import numpy as np
import polars as pl

import _peers  # benchmarks/ is on sys.path when this file runs as a script
from bench_step import snapshots

_MEASURE = """
import resource, sys, time
from pathlib import Path
import polars as pl
from postsale.adapters.frame import backtest_frame
root = Path(sys.argv[1])
history = pl.scan_parquet(root / "day=*" / "*.parquet", hive_partitioning=False)
t = time.perf_counter()
result = backtest_frame(history, pl.read_parquet(root / "outcomes.parquet"))
seconds = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(seconds, peak, result.alerts.height, len(result.backtest.rules))
"""
"""The backtest in a process of its own (its peak RSS is the backtest's, not the writing of the dataset's)."""


RETURN_FREED = "background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0"
"""Polars' allocator (jemalloc) handing freed memory back within a second: what the docs advise for a backtest."""


def write_history(root: Path, accounts: int, days: int) -> pl.DataFrame:
    """Write the dataset (one folder per day) and return the outcomes."""
    base = _peers.make_frame(accounts).drop(*(c for c in _peers.make_frame(1).columns if c.endswith("_age_days")))
    rng = np.random.default_rng(3)
    for d in range(days):
        day = _peers.AS_OF + timedelta(days=d)
        drift = rng.normal(1.0, 0.05, accounts)
        frame = base.with_columns(
            (pl.col("logins_week") * pl.Series(drift)).round(0).alias("logins_week"),
            (pl.col("support_tickets_week") + pl.Series(rng.integers(0, 3, accounts)).cast(pl.Float64))
            .alias("support_tickets_week"),
            pl.lit(day).alias("as_of"),
        )
        folder = root / f"day={day.isoformat()}"
        folder.mkdir(parents=True)
        frame.write_parquet(folder / "part.parquet")
    churned = base.sample(fraction=0.05, seed=5).select("account_id")
    return churned.with_columns(
        pl.lit("CHURNED").alias("kind"),
        pl.Series([_peers.AS_OF + timedelta(days=int(x)) for x in rng.integers(0, days + 60, churned.height)])
        .alias("on"),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--accounts", type=int, default=None)
    parser.add_argument("--days", type=int, default=None)
    args = parser.parse_args()
    accounts, days = (2_000, 30) if args.quick else (100_000, 365)
    accounts, days = args.accounts or accounts, args.days or days

    from postsale.review import DEFAULT_REVIEW_SETTINGS
    from postsale.triggers import Outcome, backtest

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        t0 = time.perf_counter()
        outcomes = write_history(root, accounts, days)
        outcomes.write_parquet(root / "outcomes.parquet")
        written = time.perf_counter() - t0
        history = pl.scan_parquet(root / "day=*" / "*.parquet", hive_partitioning=False)
        rows = accounts * days
        print(f"written {rows} rows in {written:.1f} s")
        measured = {}
        for allocator in ("polars", "return-freed"):  # the backtest alone, in a process of its own
            env = dict(os.environ)
            env.pop("_RJEM_MALLOC_CONF", None)
            if allocator == "return-freed":
                env["_RJEM_MALLOC_CONF"] = RETURN_FREED
            done = subprocess.run([sys.executable, "-c", _MEASURE, str(root)], capture_output=True, text=True,
                                  check=True, env=env)
            seconds, peak, alerts, rules = done.stdout.split()
            measured[allocator] = float(seconds)
            print(f"BACKTEST {rows} rows {float(seconds):.1f} s peak-rss {float(peak):.0f} MiB "
                  f"({alerts} alerts, {rules} rules; allocator: {allocator})")
        t1, t2 = 0.0, measured["polars"]

        subset = min(accounts, 200)
        ids = pl.Series(sorted(history.select("account_id").unique().collect()["account_id"])[:subset])
        rows_subset = history.filter(pl.col("account_id").is_in(ids.to_list())).collect()
        snaps = [s for day, part in rows_subset.group_by("as_of") for s in snapshots(part.drop("as_of"), day[0])]
        kept = [Outcome(r["account_id"], r["kind"], r["on"]) for r in outcomes.iter_rows(named=True)
                if r["account_id"] in set(ids)]
        t3 = time.perf_counter()
        backtest(DEFAULT_REVIEW_SETTINGS.rule_set, snaps, kept, health_model=DEFAULT_REVIEW_SETTINGS.health_model)
        t4 = time.perf_counter()
        scalar_per = (t4 - t3) / len(snaps)
        frame_per = (t2 - t1) / rows
        print(f"SCALAR {len(snaps)} snapshots {t4 - t3:.2f} s ({scalar_per * 1e6:.0f} µs per account-day)")
        print(f"RATIO backtest scalar {scalar_per / frame_per:.1f}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"MACHINE {platform.machine()} cpus={os.cpu_count()} python={sys.version.split()[0]} "
          f"polars={pl.__version__} load={load:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
