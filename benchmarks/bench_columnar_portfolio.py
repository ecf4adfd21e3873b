"""A million accounts as columns: health, touch model, renewal status and the 12 catalog rules.

Run: ``python benchmarks/bench_columnar_portfolio.py`` (``--quick``: 100 000 accounts). Builds seeded
numpy columns (not timed), then times the columnar path end to end and prints the band distribution.
The last line is ``COLUMNAR seconds <s> for <n> accounts``.
"""

from __future__ import annotations

import argparse
import time
from datetime import date

import numpy as np
import pandas as pd

from postsale import signals
from postsale.adapters.frame import (
    HEALTH_BAND_CODES,
    TOUCH_MODEL_CODES,
    health_columns,
    renewal_columns,
    touch_columns,
    trigger_hits,
)
from postsale.renewal import RenewalState
from postsale.triggers import CATALOG


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    n, today = (100_000 if args.quick else 1_000_000), date(2026, 11, 1)
    rng = np.random.default_rng(7)
    segment = rng.choice(["ENTERPRISE", "MID_MARKET", "SMB", "PRODUCT_LED"], n, p=[0.10, 0.25, 0.40, 0.25])
    purchased = rng.integers(1, 300, n)
    start = np.datetime64(today) - rng.integers(30, 1000, n).astype("timedelta64[D]")
    prev_logins = rng.integers(0, 400, n)
    prev_critical = rng.integers(0, 120, n)
    columns = {
        "segment": segment,
        "acv": np.round(np.exp(rng.uniform(np.log(500), np.log(400_000), n)), -2),
        "seats_purchased": purchased.astype(float),
        "seats_active": rng.integers(0, purchased + 1).astype(float),
        signals.NPS: rng.integers(0, 11, n).astype(float),
        signals.SENTIMENT: rng.uniform(0, 100, n),
        signals.BUSINESS_CONTEXT: rng.uniform(20, 95, n),
        signals.LOGINS_PREV_WEEK: prev_logins.astype(float),
        signals.LOGINS_WEEK: np.floor(prev_logins * rng.uniform(0.4, 1.3, n)),
        signals.CRITICAL_FEATURE_USAGE_PREV: prev_critical.astype(float),
        signals.CRITICAL_FEATURE_USAGE: np.floor(prev_critical * rng.uniform(0.3, 1.2, n)),
        signals.CORE_FEATURE_USAGE: rng.choice([0, 3, 10, 40], n).astype(float),
        signals.ACTIVITY_PERCENTILE: rng.integers(0, 101, n).astype(float),
        signals.DISTINCT_FEATURES_USED: rng.integers(0, 10, n).astype(float),
        signals.SUPPORT_TICKETS_WEEK: rng.choice([0, 0, 0, 1, 2, 3, 4], n).astype(float),
        signals.CORE_SETUP_COMPLETION: rng.choice([0.5, 0.9, 1.0], n),
        signals.FIRST_VALUE_DOCUMENTED: (rng.random(n) < 0.2).astype(float),
        "contract_start": start,
        "contract_end": start + np.timedelta64(364, "D") * rng.integers(1, 4, n),
        "days_in_band.YELLOW": rng.integers(0, 61, n).astype(float),
    }

    t0 = time.perf_counter()
    health = health_columns(columns)
    previous_score = np.clip(health["value"] + rng.normal(0, 8, n), 0, 100)
    touch = touch_columns(columns)
    renewals = renewal_columns(columns["contract_end"], segment, as_of=today, health_band=health["band"])
    scores = {"score": health["value"], "previous_score": previous_score}
    hits = trigger_hits(columns, CATALOG, as_of=today, health=scores)
    elapsed = time.perf_counter() - t0
    print(f"{n:,} accounts: health, touch model, renewal status and 12 trigger rules in {elapsed:.1f} s")

    summary = pd.DataFrame({
        "segment": segment,
        "band": [HEALTH_BAND_CODES[b].name for b in health["band"]],
        "touch": [TOUCH_MODEL_CODES[m].name for m in touch["model"]],
        "renewal": [RenewalState(s).name for s in renewals["state"]],
        "alerts": sum(hit.astype(int) for hit in hits.values()),
    })
    print(pd.crosstab(summary["segment"], summary["band"]))
    print(f"COLUMNAR seconds {elapsed:.2f} for {n} accounts")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
