"""Benchmark: the daily step over columns (``step_frame``) against folding ``Engine.step`` account by account.

The work, for N seeded accounts (``_peers.make_frame``): day 1 with no state (every account's first evaluation),
then day 2 from day 1's state with the signals moved (so rules enter, stay, and are held back). Both paths use the
review's default settings (health model, 37-rule set, hygiene). The scalar peer is what a loop over accounts does
today: ``Engine.step(state, snapshot)`` per account and day, from snapshots built beforehand (not timed).

    python benchmarks/bench_step.py [--quick]

Prints ``STEP <n> day1 <s> day2 <s> alerts <k>``, the same without the evidence (``evidence=False``, the fully
columnar step), ``RATIO step engine-step <x>`` and ``RATIO step-no-evidence engine-step <x>`` (scalar time /
columnar time over the two days, same accounts: above 1 means the columnar step is faster) and a ``MACHINE``
line. ``--quick``: 20 000 accounts (the scalar side on 5 000 of them, scaled); full: 200 000 (scalar on 20 000, scaled).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from datetime import timedelta

import polars as pl

import _peers  # benchmarks/ is on sys.path when this file runs as a script

DAY1 = _peers.AS_OF
DAY2 = DAY1 + timedelta(days=1)


def moved(frame: pl.DataFrame) -> pl.DataFrame:
    """Day 2: logins and tickets move, so some rules enter, some stay, some leave."""
    return frame.with_columns(
        (pl.col("logins_week") * 0.6).alias("logins_week"),
        (pl.col("support_tickets_week") + 1).alias("support_tickets_week"),
    )


def snapshots(frame: pl.DataFrame, day: object) -> list[object]:
    """The same rows as AccountSnapshot values (what the scalar loop reads)."""
    from postsale import AccountSnapshot

    dates = ("contract_start", "contract_end")
    fixed = ("account_id", "segment", "acv", "seats_purchased", "seats_active", *dates)
    found = []
    for row in frame.iter_rows(named=True):
        signals = {k: v for k, v in row.items() if k not in fixed and v is not None and not k.endswith("_age_days")}
        seats = {k: int(row[k]) for k in ("seats_purchased", "seats_active") if row[k] is not None}
        found.append(AccountSnapshot(row["account_id"], row["segment"], day, acv=row["acv"], signals=signals,
                                     contract_start=row["contract_start"], contract_end=row["contract_end"],
                                     **seats))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n, scalar_n = (20_000, 5_000) if args.quick else (200_000, 20_000)

    from postsale.adapters.frame import step_frame
    from postsale.review import DEFAULT_REVIEW_SETTINGS
    from postsale.triggers import Engine

    day1 = _peers.make_frame(n).drop(*(c for c in _peers.make_frame(1).columns if c.endswith("_age_days")))
    day2 = moved(day1)
    step_frame(day1.head(100), None, as_of=DAY1)  # warm-up
    t0 = time.perf_counter()
    first = step_frame(day1, None, as_of=DAY1)
    t1 = time.perf_counter()
    second = step_frame(day2, first.state, as_of=DAY2)
    t2 = time.perf_counter()
    alerts = first.alerts.height + second.alerts.height
    print(f"STEP {n} day1 {t1 - t0:.3f} day2 {t2 - t1:.3f} alerts {alerts}")
    t5 = time.perf_counter()
    bare = step_frame(day1, None, as_of=DAY1, evidence=False)
    t6 = time.perf_counter()
    step_frame(day2, bare.state, as_of=DAY2, evidence=False)
    t7 = time.perf_counter()
    print(f"STEP-NO-EVIDENCE {n} day1 {t6 - t5:.3f} day2 {t7 - t6:.3f}")

    engine = Engine(DEFAULT_REVIEW_SETTINGS.rule_set, health_model=DEFAULT_REVIEW_SETTINGS.health_model)
    snaps1, snaps2 = snapshots(day1.head(scalar_n), DAY1), snapshots(day2.head(scalar_n), DAY2)
    t3 = time.perf_counter()
    states = {}
    for snap in snaps1:
        states[snap.account_id], _ = engine.step(None, snap)
    for snap in snaps2:
        states[snap.account_id], _ = engine.step(states[snap.account_id], snap)
    t4 = time.perf_counter()
    scalar = (t4 - t3) * n / scalar_n
    print(f"SCALAR {scalar_n} accounts {t4 - t3:.3f} s, scaled to {n}: {scalar:.3f} s")
    print(f"RATIO step engine-step {scalar / (t2 - t0):.2f}")
    print(f"RATIO step-no-evidence engine-step {scalar / (t7 - t5):.2f}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"MACHINE {platform.machine()} cpus={os.cpu_count()} python={sys.version.split()[0]} "
          f"polars={pl.__version__} load={load:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
