"""Benchmark: the 12-rule catalog (domain-spec §5.4) on columns vs the scalar engine's condition path.

* ``columnar``: ``postsale._columnar_triggers.trigger_hits(columns, CATALOG, ...)`` over 1 000 000 seeded rows
  (columns built with numpy before timing; ``--quick``: 100 000);
* ``scalar``: ``CATALOG.compile().matching(snapshot, context)`` (what ``Engine.step`` calls to test the
  conditions, hygiene aside) over ``AccountSnapshot`` + ``Context`` values built from the first 20 000 rows
  (``--quick``: 5 000), extrapolated per row.

Both must give exactly the same hits on the sampled rows; the run stops otherwise.

    python benchmarks/bench_columnar_triggers.py [--quick]

The last line is ``RATIO triggers columnar-vs-scalar <x>``: how many times faster the columnar path is per rule
per row.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np

from postsale import AccountSnapshot, HealthBand, signals
from postsale._columnar_triggers import trigger_hits
from postsale.triggers import CATALOG, Context

TODAY = date(2026, 3, 2)
RULES = len(CATALOG.rules)


def make_columns(n: int, seed: int = 5) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return ``n`` seeded rows as columns (about 5 % of each signal absent) and the health columns."""
    rng = np.random.default_rng(seed)

    def absent(values: Any, share: float = 0.05) -> Any:
        values = values.astype("float64")
        values[rng.random(n) < share] = np.nan
        return values

    start = np.datetime64(TODAY, "D") - rng.integers(0, 700, n).astype("timedelta64[D]")
    end = start + (365 * rng.integers(1, 4, n)).astype("timedelta64[D]")
    end[rng.random(n) < 0.05] = np.datetime64("NaT")
    purchased = rng.integers(1, 200, n)
    prev_logins = rng.integers(0, 400, n)
    prev_crit = rng.integers(0, 120, n)
    prev_score = rng.integers(0, 101, n).astype("float64")
    score = np.clip(prev_score + rng.integers(-25, 13, n), 0, 100).astype("float64")
    columns = {
        signals.LOGINS_WEEK: absent(np.floor(prev_logins * rng.uniform(0.4, 1.3, n))),
        signals.LOGINS_PREV_WEEK: absent(prev_logins),
        signals.CORE_FEATURE_USAGE: absent(rng.choice([0, 0, 3, 10, 40], n)),
        signals.CRITICAL_FEATURE_USAGE: absent(np.floor(prev_crit * rng.uniform(0.3, 1.2, n))),
        signals.CRITICAL_FEATURE_USAGE_PREV: absent(prev_crit),
        signals.ACTIVITY_PERCENTILE: absent(rng.integers(0, 101, n)),
        signals.DISTINCT_FEATURES_USED: absent(rng.integers(0, 10, n)),
        signals.SUPPORT_TICKETS_WEEK: absent(rng.choice([0, 0, 0, 1, 1, 2, 3, 4], n)),
        signals.CORE_SETUP_COMPLETION: absent(rng.choice([0.25, 0.5, 0.9, 1.0], n)),
        signals.FIRST_VALUE_DOCUMENTED: absent((rng.random(n) < 0.2).astype("float64")),
        signals.HEALTH_SCORE: score,
        "seats_purchased": purchased.astype("float64"),
        "seats_active": rng.integers(0, purchased + 1).astype("float64"),
        "contract_start": start,
        "contract_end": end,
        "days_in_band.YELLOW": rng.integers(0, 61, n).astype("float64"),
    }
    return columns, {"previous_score": prev_score}


def scalar_inputs(columns: dict[str, Any], health: dict[str, Any], rows: int) -> list[tuple[AccountSnapshot, Context]]:
    """Return the first ``rows`` rows as the (snapshot, context) pairs ``Engine.step`` would build."""
    bands = CATALOG.bands
    signal_names = [
        k
        for k in columns
        if k not in ("seats_purchased", "seats_active", "contract_start", "contract_end", "days_in_band.YELLOW")
    ]
    pairs = []
    for i in range(rows):
        sig = {k: float(columns[k][i]) for k in signal_names if not np.isnan(columns[k][i])}
        end = columns["contract_end"][i]
        snapshot = AccountSnapshot(
            f"a{i}",
            "SMB",
            TODAY,
            contract_start=columns["contract_start"][i].item(),
            contract_end=None if np.isnat(end) else end.item(),
            seats_purchased=int(columns["seats_purchased"][i]),
            seats_active=int(columns["seats_active"][i]),
            signals=sig,
        )
        score, prev = float(columns[signals.HEALTH_SCORE][i]), float(health["previous_score"][i])
        previous_band = HealthBand.of(prev, green_from=bands.green_from, yellow_from=bands.yellow_from)
        band = bands.band(score, previous=previous_band)
        days = int(columns["days_in_band.YELLOW"][i]) if band is HealthBand.YELLOW else 0
        context = Context(score, band, prev, previous_band, days)
        pairs.append((snapshot, context))
    return pairs


def median_cpu(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    """Return the median CPU time (``time.process_time``: the machine is shared) of ``repeat`` runs and a result."""
    times, result = [], None
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            t0 = time.process_time()
            result = fn()
            times.append(time.process_time() - t0)
        finally:
            gc.enable()
    return statistics.median(times), result


def main() -> None:
    """Run the benchmark and print the figures, ending with the RATIO line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rows (a smoke run)")
    args = parser.parse_args()
    n = 100_000 if args.quick else 1_000_000
    sample = 5_000 if args.quick else 20_000
    repeat = 3 if args.quick else 5

    t0 = time.perf_counter()
    columns, health = make_columns(n)
    pairs = scalar_inputs(columns, health, sample)
    print(f"built {n} seeded rows as columns and {sample} snapshots in {time.perf_counter() - t0:.1f} s (not timed)")

    matching = CATALOG.compile().matching
    t_col, hits = median_cpu(repeat, lambda: trigger_hits(columns, CATALOG, as_of=TODAY, health=health))
    t_sca, scalar_hits = median_cpu(repeat, lambda: [matching(s, c) for s, c in pairs])

    for rule in CATALOG.rules:
        expected = [rule.id in h for h in scalar_hits]
        if hits[rule.id][:sample].tolist() != expected:
            raise SystemExit(f"columnar and scalar disagree on {rule.id}: benchmark invalid")
    fired = {rid: int(h.sum()) for rid, h in hits.items()}
    ns_col = t_col / (n * RULES) * 1e9
    ns_sca = t_sca / (sample * RULES) * 1e9
    print(f"hits per rule over {n} rows (identical to the scalar engine on the {sample} sampled rows): {fired}")
    print(f"{'approach':<10}{'rows':>10}{'ns / rule / row':>17}{'ms for 1M rows (12 rules)':>27}")
    print(f"{'columnar':<10}{n:>10}{ns_col:>17.2f}{ns_col * RULES:>27.1f}")
    print(f"{'scalar':<10}{sample:>10}{ns_sca:>17.2f}{ns_sca * RULES:>27.1f}  (extrapolated)")
    print(f"columnar: {n / t_col / 1e6:.1f} million accounts per second (all 12 rules)")
    print(f"RATIO triggers columnar-vs-scalar {ns_sca / ns_col:.1f}")


if __name__ == "__main__":
    main()
