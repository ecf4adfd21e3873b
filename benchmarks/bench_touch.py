"""Benchmark: six-factor touch assessments per second vs a plain-Python if/else baseline (issue 3, point 10).

Both sides score the same seeded profiles in the same process: the baseline is hand-written if/else
banding (six factors, total, model, the economics ceiling and the three built-in overrides) returning a tuple;
postsale returns full :class:`~postsale.touch.Assessment` values (evidence per factor, ``explain()``, round-trippable).
Profiles are built before timing (validation is reported separately) in chunks of 100 000 to bound memory.

    python benchmarks/bench_touch.py           # 1 000 000 profiles
    python benchmarks/bench_touch.py --quick   # 100 000 profiles

The last line is ``RATIO touch baseline <x>``: baseline time / postsale time with results kept and the
garbage collector running, as in real use (below 1 means postsale is slower; the goal is >= 0.33, i.e.
within 3x). A context line repeats the comparison with the collector paused: most of the remaining gap is
the collector tracking a million result objects (the baseline's tuples of ints are untracked).
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from postsale import Segment
from postsale.touch import BusinessProfile, Complexity, GrowthStage, Positioning, Scorer

SEED = 20_261_125
CHUNK = 100_000

COMPLEXITIES = list(Complexity)
POSITIONINGS = list(Positioning)
STAGES = list(GrowthStage)
SEGMENTS = [Segment.ENTERPRISE, Segment.MID_MARKET, Segment.SMB, Segment.PRODUCT_LED]


def make_profiles(rng: random.Random, n: int) -> list[BusinessProfile]:
    """Seeded, varied profiles using every way of giving the segment and growth inputs."""
    out = []
    for _ in range(n):
        zone = rng.random()
        acv = (
            rng.randrange(500, 10_000)
            if zone < 0.5
            else rng.randrange(10_000, 100_000)
            if zone < 0.85
            else (rng.randrange(100_000, 600_000))
        )
        kwargs: dict[str, Any] = {}
        if rng.random() < 0.5:
            kwargs["segment"] = rng.choice(SEGMENTS)
        else:
            kwargs["employees"] = rng.randrange(1, 20_000)
        pick = rng.random()
        if pick < 0.4:
            kwargs["accounts_per_csm"] = rng.randrange(5, 900)
        elif pick < 0.75:
            kwargs["customer_count"] = rng.randrange(0, 6_000)
        else:
            kwargs["growth_stage"] = rng.choice(STAGES)
        out.append(
            BusinessProfile(
                acv=Decimal(acv),
                complexity=rng.choice(COMPLEXITIES),
                gross_margin=round(rng.uniform(0.3, 0.9), 3),
                positioning=rng.choice(POSITIONINGS),
                competitor_dedicated_csm=rng.random() < 0.1,
                **kwargs,
            )
        )
    return out


# ---- the plain-Python baseline: the same banding as the default configuration, by hand ----------------

SEGMENT_POINTS = {Segment.ENTERPRISE: 5, Segment.MID_MARKET: 3, Segment.SMB: 1, Segment.PRODUCT_LED: 1}
STAGE_POINTS = {GrowthStage.STARTUP: 5, GrowthStage.EARLY_SCALE: 4, GrowthStage.GROWTH: 3, GrowthStage.AT_SCALE: 1}
ENTERPRISE = Segment.ENTERPRISE
HIGH_COMPLEXITY = Complexity.HIGH


def baseline(p: BusinessProfile) -> tuple[Any, ...]:
    """Hand-written if/else: six factor points, total, scored model, final model."""
    acv = p.acv
    a = 5 if acv >= 100_000 else 3 if acv >= 10_000 else 1
    m = p.gross_margin
    d = 5 if m >= 0.7 else 3 if m >= 0.5 else 1
    e = p.employees
    if e is None:
        segment = p.segment
        c = SEGMENT_POINTS[segment]  # type: ignore[index]
    else:
        segment = ENTERPRISE if e >= 1000 else Segment.MID_MARKET if e >= 100 else Segment.SMB
        c = 5 if e >= 1000 else 3 if e >= 100 else 1
    r = p.accounts_per_csm
    if r is not None:
        f = 5 if r < 16 else 4 if r < 40 else 3 if r < 81 else 2 if r < 500 else 1
    elif p.customer_count is not None:
        n = p.customer_count
        f = 5 if n < 100 else 4 if n < 500 else 3 if n < 2000 else 1
    else:
        f = STAGE_POINTS[p.growth_stage]  # type: ignore[index]
    b = int(p.complexity)
    q = int(p.positioning)
    total = a + b + c + d + q + f
    scored = "HIGH" if total >= 20 else "LOW" if total >= 12 else "TECH"
    model = scored
    if model == "HIGH" and acv < 100_000:  # the economics ceiling: what the ACV pays for (15 % of it)
        model = "LOW"
    if model == "LOW" and acv < 16_000:
        model = "TECH"
    if model == "TECH" and (p.complexity is HIGH_COMPLEXITY or p.competitor_dedicated_csm):
        model = "LOW"
    if segment is ENTERPRISE:
        model = "HIGH"
    return (a, b, c, d, q, f, total, scored, model)


def timed(
    fn: Callable[[BusinessProfile], Any], profiles: list[BusinessProfile], *, collector: bool = True
) -> tuple[float, list[Any]]:
    """Time ``[fn(p) for p in profiles]`` (results kept, as a caller would), collector on or paused."""
    gc.collect()
    if not collector:
        gc.disable()
    try:
        start = time.perf_counter()
        results = [fn(p) for p in profiles]
        return time.perf_counter() - start, results
    finally:
        gc.enable()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 000 profiles instead of 1 000 000")
    args = parser.parse_args(argv)
    total = 100_000 if args.quick else 1_000_000
    rng = random.Random(SEED)
    scorer = Scorer()
    assess = scorer.assess
    t_build = t_base = t_post = t_base_paused = t_post_paused = 0.0
    mismatches = 0
    done = 0
    while done < total:
        n = min(CHUNK, total - done)
        start = time.perf_counter()
        profiles = make_profiles(rng, n)
        t_build += time.perf_counter() - start
        # alternate which side runs first so neither always gets the warmer cache
        if (done // CHUNK) % 2 == 0:
            tb, base = timed(baseline, profiles)
            tp, post = timed(assess, profiles)
        else:
            tp, post = timed(assess, profiles)
            tb, base = timed(baseline, profiles)
        t_base += tb
        t_post += tp
        # the same again with the cyclic garbage collector paused (timeit's convention), for context only
        t_base_paused += timed(baseline, profiles, collector=False)[0]
        t_post_paused += timed(assess, profiles, collector=False)[0]
        mismatches += sum(
            1
            for x, y in zip(base, post, strict=True)
            if x[:7] != (*y.points, y.total) or x[7] != y.scored_model.name or x[8] != y.model.name
        )
        done += n
        del profiles, base, post
    print(f"profiles: {total:,} (seed {SEED}); python {sys.version.split()[0]}")
    print(f"building validated profiles (not timed below): {t_build / total * 1e6:8.2f} us each")
    print(f"baseline if/else  : {total / t_base:12,.0f} assessments/s  {t_base / total * 1e6:6.3f} us each")
    print(f"postsale.touch    : {total / t_post:12,.0f} assessments/s  {t_post / total * 1e6:6.3f} us each")
    print(
        f"with the garbage collector paused (timeit's convention, context only): baseline "
        f"{t_base_paused / total * 1e6:.3f} us, postsale {t_post_paused / total * 1e6:.3f} us, "
        f"ratio {t_base_paused / t_post_paused:.2f}"
    )
    print(f"answers that differ: {mismatches}")
    print(f"RATIO touch baseline {t_base / t_post:.2f}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    raise SystemExit(main())
