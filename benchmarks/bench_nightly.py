"""Benchmark: ``postsale run`` over a Parquet portfolio, with a DuckDB state that already holds the nights before.

N seeded accounts (``_peers.make_frame``, signals drifting from night to night) are written as one Parquet file
per night. Night 1 fills the state; nights 2 and 3 are measured, each in its own ``postsale run`` process (wall
time and the process's peak RSS, as a scheduler sees them), the second showing whether the cost grows with the
history kept. The peer is the hand-written Polars floor of the same inputs: read the file, write the reviews.

    python benchmarks/bench_nightly.py [--quick] [--accounts N] [--evidence]

Prints ``NIGHT <k> <accounts> accounts <s> s peak-rss <MiB>``, ``RATIO nightly polars-floor <x>`` and a
``MACHINE`` line. ``--quick``: 20 000 accounts; default 1 000 000 (the goal: 20 s and 1.5 GiB per night on a
2-core machine). Alerts' evidence is left out (``--no-evidence``) unless ``--evidence``.
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

_MEASURE = """
import resource, runpy, sys, time
sys.argv = ["postsale", *sys.argv[1:]]
t = time.perf_counter()
try:
    runpy.run_module("postsale.adapters.cli", run_name="__main__")
except SystemExit as done:
    code = done.code
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
sys.stderr.write(f"WALL {time.perf_counter() - t:.2f} RSS {peak:.0f} EXIT {code}\\n")
"""


def write_nights(root: Path, accounts: int, nights: int) -> list[Path]:
    base = _peers.make_frame(accounts).drop(*(c for c in _peers.make_frame(1).columns if c.endswith("_age_days")))
    rng = np.random.default_rng(3)
    paths = []
    for k in range(nights):
        drift = rng.normal(1.0, 0.05, accounts)
        frame = base.with_columns(
            (pl.col("logins_week") * pl.Series(drift)).round(0).alias("logins_week"),
            (pl.col("support_tickets_week") + pl.Series(rng.integers(0, 3, accounts)).cast(pl.Float64))
            .alias("support_tickets_week"),
        )
        path = root / f"night-{k}.parquet"
        frame.write_parquet(path)
        paths.append(path)
    return paths


def night(path: Path, k: int, root: Path, evidence: bool) -> tuple[float, float]:
    day = _peers.AS_OF + timedelta(days=k)
    args = [str(path), "--as-of", day.isoformat(), "--state", str(root / "state.duckdb"), "--out",
            str(root / f"out-{k}"), "--format-out", "parquet", "--quiet", *([] if evidence else ["--no-evidence"])]
    done = subprocess.run([sys.executable, "-c", _MEASURE, "run", *args], capture_output=True, text=True,
                          check=False)
    line = [x for x in done.stderr.splitlines() if x.startswith("WALL")]
    if not line or "EXIT 2" in line[0]:
        raise SystemExit(f"night {k} failed: {done.stderr[-2000:]}")
    parts = line[0].split()
    return float(parts[1]), float(parts[3])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--accounts", type=int, default=None)
    parser.add_argument("--evidence", action="store_true")
    args = parser.parse_args()
    accounts = args.accounts or (20_000 if args.quick else 1_000_000)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        paths = write_nights(root, accounts, 3)
        timings = []
        for k, path in enumerate(paths):
            wall, rss = night(path, k, root, args.evidence)
            timings.append(wall)
            print(f"NIGHT {k + 1} {accounts} accounts {wall:.1f} s peak-rss {rss:.0f} MiB")
        t = time.perf_counter()
        pl.read_parquet(paths[-1]).write_parquet(root / "floor.parquet")
        floor = time.perf_counter() - t
        print(f"FLOOR read + write {floor:.2f} s")
        print(f"RATIO nightly polars-floor {timings[-1] / floor:.1f}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"MACHINE {platform.machine()} cpus={os.cpu_count()} python={sys.version.split()[0]} "
          f"polars={pl.__version__} load={load:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
