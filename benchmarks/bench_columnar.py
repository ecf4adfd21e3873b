"""Benchmark: postsale's columnar path against hand-written Polars, numpy and DuckDB on the same prebuilt data.

The work: the basic health model and the 12-rule catalog's conditions on an account's first evaluation, per
row (``_peers.py`` has the three hand-written peers). Steps:

1. correctness: on 2 000 seeded rows every peer (and postsale's path, when available) must give exactly the
   scalar path's answers (``Engine.step(None, snapshot)`` and ``BASIC_HEALTH_MODEL.score``); the run reports
   every mismatch and exits 1;
2. timing: one seeded Polars frame of 1 000 000 rows (``--quick``: 100 000) is built once (not timed); each peer and
   postsale's path run once to warm up, then the median of 5 runs is taken;
3. the whole entry point, ``review_frame(frame, as_of=...)`` with default settings (health, touch, renewal state,
   every rule of the default rule set), its ``results`` collected, on 1 M and 5 M rows (``--quick``: 100 000
   and 500 000).

    python benchmarks/bench_columnar.py [--quick]

Prints ``RATIO columnar <peer> <x>`` (peer time / postsale time: above 1 means postsale is faster),
``ENTRYPOINT 1M <s>``, ``ENTRYPOINT 5M <s> (<ratio> x 1M)`` and a ``MACHINE`` line. Goals on a 2-core machine:
polars-hand >= 0.67, numpy-hand >= 1, duckdb-hand >= 1; 1 M rows <= 0.5 s; 5 M rows <= 5.5 x 1 M.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import polars as pl

import _peers  # benchmarks/ is on sys.path when this file runs as a script

AS_OF = _peers.AS_OF
REPEATS = 5


def postsale_health_and_rules(frame: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """postsale's columnar path over a Polars frame: the same columns as ``_peers.polars_hand`` (``health``
    Float64, ``band`` String, ``hit.<rule>`` Boolean for the 12 catalog rules, first evaluation).

    The definitions' columnar forms (``HealthModel.expr``, ``Rule.expr``) composed into one lazy query, as
    ``review_frame`` composes them, without its input checks, touch model and renewal (timed separately below).
    """
    import narwhals.stable.v2 as nw

    from postsale._columnar import DAYS_IN_BAND, Env
    from postsale.health import BASIC_HEALTH_MODEL
    from postsale.triggers import CATALOG

    lazy = nw.from_native(frame).lazy()
    derived = Env(lazy.columns, as_of=as_of, days="epoch").derived()
    lazy = lazy.with_columns(**derived)

    def env() -> Env:  # as review_frame builds it for a Polars frame
        return Env(lazy.columns, as_of=as_of, days="epoch", computed=list(derived))

    lazy = lazy.with_columns(**BASIC_HEALTH_MODEL.stage(env()))
    lazy = lazy.with_columns(BASIC_HEALTH_MODEL.expr(env()).score.alias("health"))
    lazy = lazy.with_columns(BASIC_HEALTH_MODEL.band_expr(env(), nw.col("health")).alias("band"),
                             nw.lit(0.0).alias(DAYS_IN_BAND))
    rules_env = env()
    hits = {f"hit.{rule.id}": rule.expr(rules_env) for rule in CATALOG.rules}
    result: pl.DataFrame = lazy.select("health", "band", **hits).collect().to_native()
    return result


def timed(run: Callable[[], Any], repeats: int = REPEATS) -> float:
    """Return the median seconds of ``repeats`` runs of ``run`` after one warm-up run."""
    run()
    seconds = []
    for _ in range(repeats):
        gc.collect()
        t0 = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - t0)
    return statistics.median(seconds)


def label(n: int) -> str:
    """``1M``, ``5M``, ``100K``."""
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1_000}K"


def check(postsale_available: bool) -> int:
    """Compare the peers (and postsale's path) with the scalar path on 2 000 rows; return how many differ."""
    extra = {"postsale": postsale_health_and_rules} if postsale_available else {}
    found = _peers.mismatches(2_000, extra=extra)
    names = ["polars-hand", "numpy-hand", "duckdb-hand", *extra]
    for name in names:
        rows = found.get(name, [])
        print(f"check {name}: {'identical to the scalar path on 2000 rows' if not rows else 'MISMATCH'}")
        for line in rows:
            print(f"    {line}")
    return len(found)


def entry_point(sizes: tuple[int, ...]) -> None:
    """Time ``review_frame`` over Polars frames of each size (median of 3 after a warm-up at the first size)."""
    try:
        from postsale.adapters.frame import review_frame
    except (ImportError, AttributeError) as error:
        print(f"ENTRYPOINT review_frame: not available ({type(error).__name__}: {error})")
        return

    def run(frame: pl.DataFrame) -> Any:
        results = review_frame(frame, as_of=AS_OF).results
        return results.collect() if hasattr(results, "collect") else results

    first: float | None = None
    for n in sizes:
        frame = _peers.make_frame(n)
        try:
            seconds = timed(lambda frame=frame: run(frame), repeats=3)
        except (ImportError, AttributeError, NotImplementedError) as error:
            print(f"ENTRYPOINT review_frame: not available ({type(error).__name__}: {error})")
            return
        del frame
        if first is None:
            first = seconds
            print(f"ENTRYPOINT {label(n)} {seconds:.3f}")
        else:
            print(f"ENTRYPOINT {label(n)} {seconds:.3f} ({seconds / first:.2f} x {label(sizes[0])})")


def compare(n: int, available: bool) -> None:
    """Time each peer and postsale's path over one prebuilt frame of ``n`` rows; print the RATIO lines."""
    frame = _peers.make_frame(n)
    print(f"{n:,} rows, {frame.width} columns, {frame.estimated_size('mb'):.0f} MB (built once, not timed); "
          f"median of {REPEATS} runs after a warm-up")
    runs = dict(_peers.peers(frame, AS_OF))
    if available:
        runs["postsale"] = lambda: postsale_health_and_rules(frame, AS_OF)
    times = {}
    for name, run in runs.items():
        times[name] = timed(run)
        print(f"{name:<12} {times[name] * 1e3:8.1f} ms  ({times[name] / n * 1e9:6.1f} ns/row)")
    if available:
        ours = times.pop("postsale")
        for name, seconds in times.items():
            print(f"RATIO columnar {name} {seconds / ours:.2f}")


def machine() -> str:
    """One line naming the machine and the versions the numbers depend on."""
    import duckdb
    import numpy

    return (
        f"MACHINE {platform.platform()} {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, polars {pl.__version__}, duckdb {duckdb.__version__}, numpy {numpy.__version__}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 000 rows; entry point at 100 000 and 500 000")
    args = parser.parse_args(argv)
    n = 100_000 if args.quick else 1_000_000
    print(machine())

    probe = _peers.make_frame(100)
    try:
        postsale_health_and_rules(probe, AS_OF)
        available = True
    except NotImplementedError:
        available = False
        print("postsale columnar path: not available")
    failures = check(available)

    compare(n, available)
    gc.collect()

    entry_point((100_000, 500_000) if args.quick else (1_000_000, 5_000_000))
    if failures:
        print(f"{failures} implementation(s) differ from the scalar path", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
