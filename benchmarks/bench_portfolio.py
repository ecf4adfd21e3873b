"""Benchmark: the nightly review of a portfolio over columns against the single-account review and a hand-written
Polars hygiene step.

The work, for N seeded accounts (``_peers.make_frame``): day 1 with no state (not timed), then day 2 from day 1's
state, timed. Three ways to do day 2:

* postsale's columnar daily step, ``step_frame`` (health, touch model, renewal status and forecast, every rule of
  the review's default rule set, alert hygiene with carried state; with and without the evidence), then
  ``journey_stages`` (each account's journey as of the day, its timing and the readiness of its next move);
* the scalar way, ``review_account`` per account with its persisted ``AccountState`` and its journey (on a
  subset, scaled);
* a hand-written Polars peer: ``review_frame`` for the decisions, then the hygiene (fire on entry, open alert,
  cooldown, per-account budget by segment in the engine's order) written directly in Polars, without the reasons'
  words, due times or evidence.

The step without evidence, the journeys and the peer are timed as the best of three runs (one with ``--quick``);
the step's first run is printed too.

    python benchmarks/bench_portfolio.py [--quick] [--accounts N]
    python benchmarks/bench_portfolio.py --scale      # the step at 1 M and 5 M accounts: SCALE 5M/1M <x>

Prints ``RATIO portfolio scalar <x>`` (review_account time / the step and journeys' time, per account; goal 500),
``RATIO portfolio polars-hand <x>`` (hand-written time / step time without evidence; goal 0.67) and a ``MACHINE``
line. ``--quick``: 20 000 accounts (the scalar side on 1 000); default: 1 000 000 (scalar on 5 000).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import TypeVar

import polars as pl

import _peers  # benchmarks/ is on sys.path when this file runs as a script
from bench_step import moved, snapshots

DAY1 = _peers.AS_OF
DAY2 = DAY1 + timedelta(days=1)
T = TypeVar("T")


def hand_hygiene(results: pl.DataFrame, state: object, day: date, settings: object) -> tuple[pl.DataFrame, ...]:
    """The hygiene of one day written by hand in Polars: the alerts (account, rule, held back) and the new rules
    and budget state. ``results``: review_frame's output for the day (with ``hit.<rule>``)."""
    rule_set = settings.rule_set  # type: ignore[attr-defined]
    hygiene = rule_set.hygiene
    rules = rule_set.rules
    order = sorted(range(len(rules)), key=lambda i: (rules[i].priority, rules[i].sla.urgency, i))
    meta = pl.DataFrame({
        "rule_id": [rules[i].id for i in order], "rank": list(range(len(rules))),
        "cooldown": [rules[i].cooldown_days for i in order],
        "exempt": [rules[i].priority in hygiene.budget.exempt for i in order],
    })
    hits = [c for c in results.columns if c.startswith("hit.")]
    now = (results.lazy().select("account_id", "segment", *hits)
           .unpivot(index=["account_id", "segment"], on=hits, variable_name="rule_id", value_name="hit")
           .filter(pl.col("hit")).with_columns(pl.col("rule_id").str.strip_prefix("hit.")))
    active = [c for c in state.accounts.columns if c.startswith("active.")]  # type: ignore[attr-defined]
    was = (state.accounts.lazy().select("account_id", *active)  # type: ignore[attr-defined]
           .unpivot(index="account_id", on=active, variable_name="rule_id", value_name="was")
           .filter(pl.col("was")).with_columns(pl.col("rule_id").str.strip_prefix("active.")))
    logged = (state.budget.lazy()  # type: ignore[attr-defined]
              .filter((pl.lit(day) - pl.col("day")).dt.total_days() < hygiene.budget.period_days)
              .group_by("account_id").len("logged"))
    limit = pl.lit(0)
    for segment, n in ((s.name, hygiene.budget.limit(s)) for s in _segments()):
        limit = pl.when(pl.col("segment") == segment).then(n).otherwise(limit)
    entered = (now.join(was, on=["account_id", "rule_id"], how="anti").join(meta.lazy(), on="rule_id")
               .join(state.rules.lazy(), on=["account_id", "rule_id"], how="left")  # type: ignore[attr-defined]
               .join(logged, on="account_id", how="left"))
    since_open = (pl.lit(day) - pl.col("open_since")).dt.total_days()
    since_fired = (pl.lit(day) - pl.col("last_fired")).dt.total_days()
    is_open = pl.col("open_since").is_not_null() & (since_open < hygiene.auto_close_days)
    cooling = pl.col("last_fired").is_not_null() & (since_fired < pl.col("cooldown"))
    eligible = (~is_open & ~cooling & ~pl.col("exempt")).cast(pl.Int64)
    before = eligible.cum_sum().over("account_id", order_by="rank") - eligible
    held = (eligible == 1) & (pl.col("logged").fill_null(0) + before >= limit)
    alerts = entered.with_columns(
        pl.when(is_open).then(pl.lit("OPEN_ALERT")).when(cooling).then(pl.lit("COOLDOWN"))
        .when(held).then(pl.lit("BUDGET")).alias("held_back")
    ).select("account_id", "rule_id", "held_back", "exempt").collect()
    delivered = alerts.filter(pl.col("held_back").is_null())
    fired = delivered.select("account_id", "rule_id", pl.lit(day).alias("last_fired"), pl.lit(day).alias("open_since"))
    new_rules = pl.concat([state.rules.join(fired, on=["account_id", "rule_id"], how="anti"),  # type: ignore[attr-defined]
                           fired])
    budget = pl.concat([state.budget, delivered.filter(~pl.col("exempt")).select(  # type: ignore[attr-defined]
        "account_id", pl.lit(day).alias("day"))])
    return alerts, new_rules, budget


def journeys(accounts: pl.DataFrame, distinct: int) -> tuple[list[object], pl.DataFrame]:
    """Sample journeys for the first ``distinct`` accounts (the scalar side's), and the event table of every
    account: account ``i`` has the events of journey ``i % distinct``, under its own id."""
    from postsale.adapters.frame import journey_events
    from postsale.adapters.sample import sample_journey

    rng = random.Random(3)
    ids = accounts["account_id"].to_list()
    drawn = [sample_journey(account, rng, as_of=DAY1, segment=segment)
             for account, segment in zip(ids[:distinct], accounts["segment"].to_list(), strict=False)]
    template = journey_events(drawn).with_columns(
        pl.col("account_id").replace_strict(ids[:distinct], list(range(distinct)), return_dtype=pl.Int64)
        .alias("__template"))
    owners = pl.DataFrame({"owner": ids, "__template": [i % distinct for i in range(len(ids))]})
    events = (owners.join(template, on="__template").drop("account_id", "__template")
              .rename({"owner": "account_id"}).select(template.drop("__template").columns))
    return drawn, events


def timed(run: Callable[[], T], runs: int) -> tuple[float, float, T]:
    """The first run's time, the best of ``runs`` runs' time, and the last result. The first run at full size
    also pays for the memory the process takes from the system; the best is the steady cost of a job that runs
    again in the same process (a notebook, a scheduler's worker)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return times[0], min(times), result


def scale() -> int:
    """Day 2's step (without evidence) and the journeys at 1 M and 5 M accounts: each the best of two runs in a
    row."""
    found = {n: _scaled(n) for n in (1_000_000, 5_000_000)}
    big, small = found[5_000_000], found[1_000_000]
    print(f"SCALE 5M/1M step {big[0] / small[0]:.2f}, step and journeys {sum(big) / sum(small):.2f} (goal 5.5)")
    return 0


def _scaled(n: int) -> tuple[float, float]:
    from postsale.adapters.frame import journey_stages, step_frame

    day1 = _peers.make_frame(n).drop(*(c for c in _peers.make_frame(1).columns if c.endswith("_age_days")))
    day2 = moved(day1)
    _, events = journeys(day1, 5_000)
    first = step_frame(day1, None, as_of=DAY1, evidence=False)
    _, step, _ = timed(lambda: step_frame(day2, first.state, as_of=DAY2, evidence=False), 2)
    _, journey, _ = timed(lambda: journey_stages(events, as_of=DAY2, evidence=day2), 2)
    print(f"SCALE {n} accounts: step {step:.2f} s, journeys {journey:.2f} s")
    return step, journey


def _segments() -> list[object]:
    from postsale import Segment

    return list(Segment)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--accounts", type=int, default=None)
    parser.add_argument("--scale", action="store_true", help="time the step at 1 M and 5 M accounts (goal 5.5 x)")
    args = parser.parse_args()
    if args.scale:
        return scale()
    n, scalar_n = (20_000, 1_000) if args.quick else (1_000_000, 5_000)
    n = args.accounts or n

    from postsale.adapters.frame import journey_stages, review_frame, step_frame
    from postsale.review import DEFAULT_REVIEW_SETTINGS, AccountInput, review_account
    from postsale.triggers import Engine

    settings = DEFAULT_REVIEW_SETTINGS
    day1 = _peers.make_frame(n).drop(*(c for c in _peers.make_frame(1).columns if c.endswith("_age_days")))
    day2 = moved(day1)
    first = step_frame(day1, None, as_of=DAY1, evidence=False)  # yesterday's state (not timed)
    step_frame(day2.head(100), first.state, as_of=DAY2)  # warm-up

    drawn, events = journeys(day1, min(scalar_n, n))
    journey_stages(events.head(100), as_of=DAY2, evidence=day2.head(100))  # warm-up

    runs = 1 if args.quick else 3
    first_run, without, ours = timed(lambda: step_frame(day2, first.state, as_of=DAY2, evidence=False), runs)
    _, with_evidence, _ = timed(lambda: step_frame(day2, first.state, as_of=DAY2), 1)
    _, journeys_time, stages = timed(lambda: journey_stages(events, as_of=DAY2, evidence=day2), runs)
    print(f"STEP {n} accounts day2 {without:.3f} s without evidence (best of {runs}; the first run "
          f"{first_run:.3f} s), {with_evidence:.3f} s with; alerts {ours.alerts.height}")
    print(f"JOURNEYS {n} accounts {journeys_time:.3f} s: {stages.stages.height} tracks as of the day, with "
          f"readiness, from {events.height} events")

    carried = day2.join(first.state.accounts.drop("as_of"), on="account_id", how="left")
    _, hand_time, (hand, _, _) = timed(
        lambda: hand_hygiene(review_frame(carried, as_of=DAY2, settings=settings).results, first.state, DAY2,
                             settings), runs)
    key = ["account_id", "rule_id", "held_back"]
    same = hand.select(key).sort(key).equals(ours.alerts.select(key).sort(key))
    assert same, "the hand-written hygiene and step_frame disagree"
    print(f"HAND {n} accounts day2 {hand_time:.3f} s (review_frame + hygiene written in Polars, best of {runs})")

    engine = Engine(settings.rule_set, health_model=settings.health_model)
    states = {}
    for snap in snapshots(day1.head(scalar_n), DAY1):
        states[snap.account_id], _ = engine.step(None, snap)  # type: ignore[attr-defined]
    journey_of = {journey.account_id: journey for journey in drawn}  # type: ignore[attr-defined]
    inputs = [AccountInput(snap, state=states[snap.account_id],  # type: ignore[attr-defined]
                           journey=journey_of[snap.account_id])  # type: ignore[attr-defined]
              for snap in snapshots(day2.head(scalar_n), DAY2)]
    t5 = time.perf_counter()
    for account in inputs:
        review_account(account, settings=settings, engine=engine)
    t6 = time.perf_counter()
    per_account = (t6 - t5) / scalar_n
    print(f"SCALAR review_account {per_account * 1e3:.3f} ms per account ({scalar_n} accounts)")
    print(f"RATIO portfolio scalar {per_account / ((with_evidence + journeys_time) / n):.1f}")
    print(f"RATIO portfolio scalar-no-evidence {per_account / ((without + journeys_time) / n):.1f}")
    print(f"RATIO portfolio polars-hand {hand_time / without:.2f}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"MACHINE {platform.machine()} cpus={os.cpu_count()} python={sys.version.split()[0]} "
          f"polars={pl.__version__} load={load:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
