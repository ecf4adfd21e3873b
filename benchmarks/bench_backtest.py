"""Benchmark: a backtest over columns (``backtest_frame``) from a Parquet dataset of daily snapshots, against the
scalar ``backtest`` per account-day.

The history: N seeded accounts (``_peers.make_frame``), one snapshot a day for D days (signals drift day to
day), written as a Parquet dataset partitioned by day; outcomes: 5 % of the accounts churn on a random day. The
frame backtest reads it with ``pl.scan_parquet`` (one day in memory at a time). The scalar peer replays a subset of
the accounts with ``postsale.triggers.backtest`` (scaled).

    python benchmarks/bench_backtest.py [--quick] [--accounts N] [--days D]

Prints ``BACKTEST <rows> rows <s> s peak-rss <MiB>``, ``RATIO backtest scalar <x>`` (scalar time per account-day /
frame time per account-day) and a ``MACHINE`` line. ``--quick``: 2 000 accounts × 30 days; default: 100 000 ×
365 (36.5 M rows; the goal is 3 minutes and 2 GiB of peak RSS on a 2-core machine).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import numpy as np
import polars as pl

import _peers  # benchmarks/ is on sys.path when this file runs as a script
from bench_step import snapshots


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

    from postsale.adapters.frame import backtest_frame
    from postsale.review import DEFAULT_REVIEW_SETTINGS
    from postsale.triggers import Outcome, backtest

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        t0 = time.perf_counter()
        outcomes = write_history(root, accounts, days)
        written = time.perf_counter() - t0
        history = pl.scan_parquet(root / "**" / "*.parquet", hive_partitioning=False)
        t1 = time.perf_counter()
        result = backtest_frame(history, outcomes)
        t2 = time.perf_counter()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rows = accounts * days
        print(f"written {rows} rows in {written:.1f} s")
        print(f"BACKTEST {rows} rows {t2 - t1:.1f} s peak-rss {peak:.0f} MiB "
              f"({result.alerts.height} alerts, {len(result.backtest.rules)} rules)")

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
