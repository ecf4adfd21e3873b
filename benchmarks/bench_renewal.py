"""Benchmark: renewal milestone dates for 1 M seeded contracts, side by side in one run.

For each contract (a start date and a term in months) the six enterprise milestone dates T-180 ... T-0 of the
renewal ending the term are computed three ways:

* ``postsale``: :func:`postsale.renewal.term_milestone_dates`, the library's scalar path (validated);
* ``dateutil``: a new ``dateutil.relativedelta`` per call for the month step (the reference for correctness);
* ``stdlib floor``: the same arithmetic inlined in the loop, no function call, no validation.

A quarter of the starts fall on the 28th-31st (and 29 February) so month-end clipping is exercised. Every row of
``postsale`` and of the floor is compared with dateutil; the run fails on any mismatch.

Usage: ``python benchmarks/bench_renewal.py [--quick]`` (``--quick`` uses 100 000 contracts). The last line is
``RATIO renewal dateutil <dateutil time / postsale time>``.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from postsale.renewal import ENTERPRISE_PLAYBOOK, term_milestone_dates

SEED = 20260630
CHUNK = 100_000
TERMS = (1, 3, 6, 12, 12, 12, 12, 24, 36)
OFFSETS = ENTERPRISE_PLAYBOOK.offsets
FIRST = date(2000, 1, 1).toordinal()
LAST = date(2035, 12, 31).toordinal()


def contracts(n: int, seed: int = SEED) -> list[tuple[date, int]]:
    """Return ``n`` seeded (start, term_months) pairs, about a quarter of them on the 28th-31st."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        start = date.fromordinal(rng.randint(FIRST, LAST))
        if rng.random() < 0.25:  # move to the 28th-31st of the month (29 February included in leap years)
            last = ((start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)).day
            start = start.replace(day=rng.randint(28, last))
        rows.append((start, rng.choice(TERMS)))
    return rows


def run_postsale(rows: list[tuple[date, int]]) -> list[tuple[date, ...]]:
    """The library's scalar path."""
    fn = term_milestone_dates
    return [fn(start, term) for start, term in rows]


def run_dateutil(rows: list[tuple[date, int]]) -> list[tuple[date, ...]]:
    """A new relativedelta per call for the month step, timedelta for the days."""
    one = timedelta(days=1)
    deltas = [timedelta(days=n) for n in OFFSETS]
    out = []
    for start, term in rows:
        end = start + relativedelta(months=term) - one
        out.append(tuple([end - d for d in deltas]))
    return out


def run_floor(rows: list[tuple[date, int]]) -> list[tuple[date, ...]]:
    """Hand-written month add with clipping and timedelta, inlined: the stdlib floor."""
    one = timedelta(days=1)
    deltas = [timedelta(days=n) for n in OFFSETS]
    dim = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    out = []
    for start, term in rows:
        m = start.month - 1 + term
        y = start.year + m // 12
        m = m % 12 + 1
        d = start.day
        if d > 28:
            last = 29 if m == 2 and y % 4 == 0 and (y % 100 != 0 or y % 400 == 0) else dim[m]
            d = min(d, last)
        end = date(y, m, d) - one
        out.append(tuple([end - x for x in deltas]))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 000 contracts instead of 1 000 000")
    parser.add_argument("-n", type=int, default=None, help="number of contracts")
    args = parser.parse_args(argv)
    n = args.n or (100_000 if args.quick else 1_000_000)

    t0 = time.perf_counter()
    rows = contracts(n)
    month_ends = sum(1 for start, _ in rows if start.day >= 28)
    print(
        f"{n:,} seeded contracts ({month_ends:,} starting on the 28th-31st), 6 milestone dates each "
        f"(generated in {time.perf_counter() - t0:.1f} s)"
    )

    timings = {"postsale": 0.0, "dateutil": 0.0, "stdlib floor": 0.0}
    mismatches = {"postsale": 0, "stdlib floor": 0}
    runners = {"postsale": run_postsale, "dateutil": run_dateutil, "stdlib floor": run_floor}
    for i in range(0, n, CHUNK):
        chunk = rows[i : i + CHUNK]
        results = {}
        for name, run in runners.items():
            gc.collect()
            gc.disable()  # as timeit does: time the arithmetic, not the cyclic collector
            t = time.perf_counter()
            results[name] = run(chunk)
            timings[name] += time.perf_counter() - t
            gc.enable()
        reference = results["dateutil"]
        for name in mismatches:
            mismatches[name] += sum(1 for a, b in zip(results[name], reference, strict=True) if a != b)

    print(f"{'approach':<14} {'µs/contract':>12} {'wrong rows':>11}")
    for name, seconds in timings.items():
        wrong = "reference" if name == "dateutil" else f"{mismatches[name]:,}"
        print(f"{name:<14} {seconds / n * 1e6:>12.3f} {wrong:>11}")
    ratio = timings["dateutil"] / timings["postsale"]
    floor = timings["dateutil"] / timings["stdlib floor"]
    print(f"postsale is {ratio:.2f}x dateutil; the stdlib floor is {floor:.2f}x")
    if any(mismatches.values()):
        print(f"MISMATCHES against dateutil: {mismatches}", file=sys.stderr)
        return 1
    print(f"RATIO renewal dateutil {ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
