"""Benchmark: columnar health and touch (whole portfolio as columns) vs the scalar paths, per account.

The columnar side scores 1 000 000 seeded accounts built directly as numpy columns (seats, NPS, business
context, sentiment, signal ages; ACV and segment), with :func:`postsale._columnar_health.health_columns` and
:func:`postsale._columnar_health.touch_columns`. The scalar side scores a 20 000-account sample of the same
rows one by one (``DEFAULT_HEALTH_MODEL.score(snapshot)``; ``assess(company.for_account(snapshot))``);
snapshots are built before timing, and its time is extrapolated per account. Both sides are checked to
agree on the sample before anything is printed.

    python benchmarks/bench_columnar_health.py           # 1 000 000 accounts, 20 000 scalar sample
    python benchmarks/bench_columnar_health.py --quick   # 100 000 accounts, 5 000 scalar sample

The last lines are ``RATIO health columnar-vs-scalar <x>`` and ``RATIO touch columnar-vs-scalar <x>``:
scalar µs per account / columnar µs per account (above 1 means the columnar path is faster).
"""

from __future__ import annotations

import argparse
import math
import time
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np

from postsale import AccountSnapshot, Segment, signals
from postsale._columnar_health import HEALTH_BAND_CODES, TOUCH_MODEL_CODES, health_columns, touch_columns
from postsale.health import DEFAULT_HEALTH_MODEL, HealthModel, HealthScore, NoHealthDataError
from postsale.review import DEFAULT_COMPANY_PROFILE
from postsale.touch import assess

SEED = 20_261_125
AS_OF = date(2026, 1, 31)
SEGMENTS = list(Segment)


def make_columns(n: int) -> dict[str, Any]:
    """Seeded portfolio columns: about 20 % of each signal missing, some stale, some at the band edges."""
    rng = np.random.default_rng(SEED)

    def sometimes(values: Any, share: float = 0.2) -> Any:
        return np.where(rng.random(n) < share, np.nan, values)

    purchased = rng.integers(0, 200, n)
    return {
        signals.SEATS_PURCHASED: purchased,
        signals.SEATS_ACTIVE: (purchased * rng.random(n) * 1.1).astype(np.int64),
        signals.NPS: sometimes(rng.integers(0, 11, n).astype(np.float64)),
        signals.NPS + "_age_days": sometimes(rng.integers(0, 180, n).astype(np.float64), 0.5),
        signals.BUSINESS_CONTEXT: sometimes(np.round(rng.uniform(0, 100, n), 1)),
        signals.SENTIMENT: sometimes(rng.choice([40.0, 69.999, 70.0, 55.5, 90.0, 10.0], n)),
        signals.SEAT_UTILISATION + "_age_days": sometimes(rng.integers(0, 45, n).astype(np.float64), 0.5),
        "acv": np.round(rng.lognormal(10, 1.5, n), 2),
        "segment": rng.integers(0, len(SEGMENTS), n),
    }


def snapshots(columns: dict[str, Any], rows: Any) -> list[AccountSnapshot]:
    """The sample rows as snapshots (NaN = signal absent)."""
    names = [signals.NPS, signals.NPS + "_age_days", signals.BUSINESS_CONTEXT, signals.SENTIMENT,
             signals.SEAT_UTILISATION + "_age_days"]
    out = []
    for row in rows.tolist():
        values = {n: float(columns[n][row]) for n in names if not math.isnan(columns[n][row])}
        out.append(AccountSnapshot(
            f"a{row}", SEGMENTS[int(columns["segment"][row])], AS_OF, acv=Decimal(repr(float(columns["acv"][row]))),
            seats_purchased=int(columns[signals.SEATS_PURCHASED][row]),
            seats_active=int(columns[signals.SEATS_ACTIVE][row]), signals=values,
        ))
    return out


def _score(model: HealthModel, snapshot: AccountSnapshot) -> HealthScore | None:
    try:
        return model.score(snapshot)
    except NoHealthDataError:  # the columnar path gives NaN for these rows
        return None


def main() -> None:
    """Run the benchmark and print µs per account and the two RATIO lines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 000 accounts and a 5 000 sample")
    args = parser.parse_args()
    n, sample = (100_000, 5_000) if args.quick else (1_000_000, 20_000)
    columns = make_columns(n)
    rows = np.random.default_rng(SEED + 1).choice(n, sample, replace=False)
    snaps = snapshots(columns, rows)

    start = time.perf_counter()
    health = health_columns(columns)
    t_health_col = time.perf_counter() - start
    start = time.perf_counter()
    touch = touch_columns(columns)
    t_touch_col = time.perf_counter() - start

    model, company = DEFAULT_HEALTH_MODEL, DEFAULT_COMPANY_PROFILE
    start = time.perf_counter()
    scores = [_score(model, s) for s in snaps]
    t_health_scalar = time.perf_counter() - start
    start = time.perf_counter()
    assessments = [assess(company.for_account(s)) for s in snaps]
    t_touch_scalar = time.perf_counter() - start

    for i, row in enumerate(rows.tolist()):
        score = scores[i]
        if score is None:
            assert math.isnan(health["value"][row]) and health["band"][row] == 0, row
        else:
            assert (score.value, score.band) == (health["value"][row], HEALTH_BAND_CODES[health["band"][row]]), row
        assert (assessments[i].total, assessments[i].model, assessments[i].mixed) == (
            touch["total"][row], TOUCH_MODEL_CODES[touch["model"][row]], touch["mixed"][row]), row

    per = {
        "health columnar": t_health_col / n, "health scalar": t_health_scalar / sample,
        "touch columnar": t_touch_col / n, "touch scalar": t_touch_scalar / sample,
    }
    print(f"accounts {n:,} columnar, {sample:,} scalar sample (extrapolated per account); sample agrees exactly")
    for name, seconds in per.items():
        print(f"{name:<16} {seconds * 1e6:9.3f} µs/account   ({seconds * n:7.2f} s for {n:,})")
    print(f"RATIO health columnar-vs-scalar {per['health scalar'] / per['health columnar']:.1f}")
    print(f"RATIO touch columnar-vs-scalar {per['touch scalar'] / per['touch columnar']:.1f}")


if __name__ == "__main__":
    main()
