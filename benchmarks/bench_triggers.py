"""Benchmark: the 12-rule default catalog (domain-spec §5.4) over seeded snapshots, side by side in one run.

Approaches, each over the same seeded accounts (inputs built before timing, structured once at the edge):

* ``postsale``: ``CATALOG.compile().matching(snapshot, context)`` over ``AccountSnapshot`` + ``Context`` values;
* ``plain Python``: one hand-written function over flat dict records (the rule libraries' input);
* ``plain Python, same objects``: one hand-written function over the same ``AccountSnapshot`` + ``Context`` values
  postsale reads (the floor for any rule engine over those objects);
* ``rule-engine``: 12 ``rule_engine.Rule`` expressions, ``rule.matches(record)``;
* ``business-rules``: 12 JSON rules with a ``BaseVariables`` class per record, ``engine.run(...)``.

Every approach must find exactly the same (snapshot, rule) hits; the run stops otherwise.

    python benchmarks/bench_triggers.py [--quick]

The last lines are ``RATIO triggers rule-engine <x>`` and ``RATIO triggers business-rules <x>``: how many times
faster postsale is per snapshot (all 12 rules) than each rule library.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import rule_engine
from business_rules import engine as br_engine
from business_rules.actions import BaseActions, rule_action
from business_rules.fields import FIELD_NO_INPUT
from business_rules.variables import BaseVariables, numeric_rule_variable, string_rule_variable

from postsale import AccountSnapshot, HealthBand, Segment, signals
from postsale.renewal import playbook_for
from postsale.triggers import CATALOG, Context

RULE_IDS = [r.id for r in CATALOG.rules]
GREEN, YELLOW, RED = HealthBand.GREEN, HealthBand.YELLOW, HealthBand.RED
NAN = float("nan")
GOAL_US = 1.5
RUNWAY = {s.name: playbook_for(s).runway_days for s in Segment}
"""M1: days before renewal when each segment's renewal runway starts (its renewal playbook's)."""
RUNWAY_OF = {s: RUNWAY[s.name] for s in Segment}
TODAY = date(2026, 3, 2)


# ---- seeded data ------------------------------------------------------------------------------------------------
def make_inputs(n: int, seed: int = 5) -> tuple[list[tuple[AccountSnapshot, Context]], list[dict[str, Any]]]:
    """Return ``n`` (snapshot, context) pairs and the same facts as flat dict records.

    The raw facts are drawn first; each approach's inputs are then built in a loop of their own, so each lies
    compactly in memory (no approach pays for the others' objects interleaved with its own).
    """
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        start = TODAY - timedelta(days=rng.randint(0, 700))
        end = start + timedelta(days=365 * rng.randint(1, 3))
        purchased = rng.randint(1, 200)
        active = rng.randint(0, purchased)
        prev_logins = rng.randint(0, 400)
        logins = max(0, int(prev_logins * rng.uniform(0.4, 1.3)))
        prev_crit = rng.randint(0, 120)
        crit = max(0, int(prev_crit * rng.uniform(0.3, 1.2)))
        prev_score = rng.randint(0, 100)
        score = min(100, max(0, prev_score + rng.randint(-25, 12)))
        same_band = HealthBand.of(score) == HealthBand.of(prev_score)
        days_in_band = rng.randint(0, 60) if same_band else 0
        sig = (
            logins,
            prev_logins,
            rng.choice([0, 0, 3, 10, 40]),
            crit,
            prev_crit,
            rng.randint(0, 100),
            rng.randint(0, 9),
            rng.choice([0, 0, 0, 1, 1, 2, 3, 4]),
            rng.choice([0.25, 0.5, 0.9, 1.0]),
            int(rng.random() < 0.2),
            score,
        )
        rows.append((start, end, purchased, active, prev_score, score, days_in_band, sig))
    names = (
        signals.LOGINS_WEEK,
        signals.LOGINS_PREV_WEEK,
        signals.CORE_FEATURE_USAGE,
        signals.CRITICAL_FEATURE_USAGE,
        signals.CRITICAL_FEATURE_USAGE_PREV,
        signals.ACTIVITY_PERCENTILE,
        signals.DISTINCT_FEATURES_USED,
        signals.SUPPORT_TICKETS_WEEK,
        signals.CORE_SETUP_COMPLETION,
        signals.FIRST_VALUE_DOCUMENTED,
        signals.HEALTH_SCORE,
    )
    segments = ["ENTERPRISE", "MID_MARKET", "SMB", "PRODUCT_LED"]
    pairs = []
    for i, (start, end, purchased, active, prev_score, score, days_in_band, sig) in enumerate(rows):
        snapshot = AccountSnapshot(
            f"acct-{i}",
            segments[i % 4],
            TODAY,
            contract_start=start,
            contract_end=end,
            seats_purchased=purchased,
            seats_active=active,
            signals={name: float(value) for name, value in zip(names, sig, strict=True)},
        )
        context = Context(
            score=float(score),
            band=HealthBand.of(score),
            previous_score=float(prev_score),
            previous_band=HealthBand.of(prev_score),
            days_in_band=days_in_band,
        )
        pairs.append((snapshot, context))
    records = []
    for i, (start, end, purchased, active, prev_score, score, days_in_band, sig) in enumerate(rows):
        record: dict[str, Any] = {name: float(value) for name, value in zip(names, sig, strict=True)}
        record.update(
            segment=segments[i % 4],
            days_since_start=(TODAY - start).days,
            days_to_renewal=(end - TODAY).days,
            seats_purchased=purchased,
            seats_active=active,
            score=float(score),
            previous_score=float(prev_score),
            band=HealthBand.of(score).name,
            previous_band=HealthBand.of(prev_score).name,
            days_in_band=days_in_band,
        )
        records.append(record)
    return pairs, records


# ---- plain Python -------------------------------------------------------------------------------------------------
def plain(r: dict[str, Any]) -> list[str]:
    """The 12 rules written by hand over a flat record."""
    out = []
    pl = r["logins_prev_week"]
    if pl >= 10 and (pl - r["logins_week"]) / pl >= 0.3:
        out.append("U1")
    if r["core_feature_usage"] == 0 and r["days_since_start"] >= 30:
        out.append("U2")
    pc = r["critical_feature_usage_prev"]
    if pc >= 10 and (pc - r["critical_feature_usage"]) / pc >= 0.5:
        out.append("U3")
    if r["activity_percentile"] >= 90 and r["distinct_features_used"] >= 5:
        out.append("U4")
    pb, b = r["previous_band"], r["band"]
    if pb == "GREEN" and b == "YELLOW":
        out.append("H1")
    if pb == "YELLOW" and b == "RED":
        out.append("H2")
    if b == "YELLOW" and r["days_in_band"] >= 30:
        out.append("H3")
    if r["support_tickets_week"] >= 3:
        out.append("H4")
    if 0 <= r["days_to_renewal"] <= RUNWAY[r["segment"]]:
        out.append("M1")
    sp = r["seats_purchased"]
    if sp > 0 and r["seats_active"] / sp >= 0.8:
        out.append("M2")
    if r["core_setup_completion"] >= 1.0:
        out.append("M3")
    if r["first_value_documented"] >= 1:
        out.append("M4")
    return out


def plain_objects(s: AccountSnapshot, c: Context) -> list[str]:
    """The 12 rules written by hand over the same snapshot and context values postsale reads."""
    out = []
    g = s.signals.get
    pl = g(signals.LOGINS_PREV_WEEK, 0.0)
    if pl >= 10 and (pl - g(signals.LOGINS_WEEK, NAN)) / pl >= 0.3:
        out.append("U1")
    start = s.contract_start
    if g(signals.CORE_FEATURE_USAGE) == 0 and start is not None and (s.as_of - start).days >= 30:
        out.append("U2")
    pc = g(signals.CRITICAL_FEATURE_USAGE_PREV, 0.0)
    if pc >= 10 and (pc - g(signals.CRITICAL_FEATURE_USAGE, NAN)) / pc >= 0.5:
        out.append("U3")
    if g(signals.ACTIVITY_PERCENTILE, -1.0) >= 90 and g(signals.DISTINCT_FEATURES_USED, -1.0) >= 5:
        out.append("U4")
    pb, b = c.previous_band, c.band
    if pb is GREEN and b is YELLOW:
        out.append("H1")
    if pb is YELLOW and b is RED:
        out.append("H2")
    if b is YELLOW and c.days_in_band >= 30:
        out.append("H3")
    if g(signals.SUPPORT_TICKETS_WEEK, -1.0) >= 3:
        out.append("H4")
    end = s.contract_end
    if end is not None and 0 <= (end - s.as_of).days <= RUNWAY_OF[s.segment]:
        out.append("M1")
    p = s.seats_purchased
    if p > 0 and s.seats_active / p >= 0.8:
        out.append("M2")
    if g(signals.CORE_SETUP_COMPLETION, -1.0) >= 1.0:
        out.append("M3")
    if g(signals.FIRST_VALUE_DOCUMENTED, -1.0) >= 1:
        out.append("M4")
    return out


# ---- rule-engine ----------------------------------------------------------------------------------------------------
RULE_ENGINE_TEXT = {
    "U1": "logins_prev_week >= 10 and (logins_prev_week - logins_week) / logins_prev_week >= 0.3",
    "U2": "core_feature_usage == 0 and days_since_start >= 30",
    "U3": "critical_feature_usage_prev >= 10 and "
    "(critical_feature_usage_prev - critical_feature_usage) / critical_feature_usage_prev >= 0.5",
    "U4": "activity_percentile >= 90 and distinct_features_used >= 5",
    "H1": "previous_band == 'GREEN' and band == 'YELLOW'",
    "H2": "previous_band == 'YELLOW' and band == 'RED'",
    "H3": "band == 'YELLOW' and days_in_band >= 30",
    "H4": "support_tickets_week >= 3",
    "M1": "days_to_renewal >= 0 and ("
    + " or ".join(f"(segment == '{s}' and days_to_renewal <= {d})" for s, d in RUNWAY.items())
    + ")",
    "M2": "seats_purchased > 0 and seats_active / seats_purchased >= 0.8",
    "M3": "core_setup_completion >= 1.0",
    "M4": "first_value_documented >= 1",
}


def rule_engine_evaluator() -> Callable[[dict[str, Any]], list[str]]:
    """Return a function evaluating the 12 rule-engine rules on a record."""
    rules = [(rid, rule_engine.Rule(RULE_ENGINE_TEXT[rid])) for rid in RULE_IDS]

    def evaluate(record: dict[str, Any]) -> list[str]:
        return [rid for rid, rule in rules if rule.matches(record)]

    return evaluate


# ---- business-rules -------------------------------------------------------------------------------------------
class Facts(BaseVariables):  # type: ignore[misc]
    """business-rules variables over one record (derived values computed by the variable functions)."""

    def __init__(self, record: dict[str, Any]) -> None:
        self.r = record

    @numeric_rule_variable
    def logins_prev_week(self) -> float:
        return float(self.r["logins_prev_week"])

    @numeric_rule_variable
    def login_drop(self) -> float:
        p = self.r["logins_prev_week"]
        return (p - self.r["logins_week"]) / p if p else 0.0

    @numeric_rule_variable
    def core_feature_usage(self) -> float:
        return float(self.r["core_feature_usage"])

    @numeric_rule_variable
    def days_since_start(self) -> float:
        return float(self.r["days_since_start"])

    @numeric_rule_variable
    def critical_prev(self) -> float:
        return float(self.r["critical_feature_usage_prev"])

    @numeric_rule_variable
    def critical_drop(self) -> float:
        p = self.r["critical_feature_usage_prev"]
        return (p - self.r["critical_feature_usage"]) / p if p else 0.0

    @numeric_rule_variable
    def activity_percentile(self) -> float:
        return float(self.r["activity_percentile"])

    @numeric_rule_variable
    def distinct_features_used(self) -> float:
        return float(self.r["distinct_features_used"])

    @string_rule_variable
    def band(self) -> str:
        return str(self.r["band"])

    @string_rule_variable
    def previous_band(self) -> str:
        return str(self.r["previous_band"])

    @numeric_rule_variable
    def score_drop(self) -> float:
        return float(self.r["previous_score"] - self.r["score"])

    @numeric_rule_variable
    def days_in_band(self) -> float:
        return float(self.r["days_in_band"])

    @numeric_rule_variable
    def support_tickets_week(self) -> float:
        return float(self.r["support_tickets_week"])

    @numeric_rule_variable
    def days_to_renewal(self) -> float:
        return float(self.r["days_to_renewal"])

    @numeric_rule_variable
    def days_into_runway(self) -> float:
        return float(RUNWAY[self.r["segment"]] - self.r["days_to_renewal"])

    @numeric_rule_variable
    def seat_share(self) -> float:
        p = self.r["seats_purchased"]
        return self.r["seats_active"] / p if p else 0.0

    @numeric_rule_variable
    def core_setup_completion(self) -> float:
        return float(self.r["core_setup_completion"])

    @numeric_rule_variable
    def first_value_documented(self) -> float:
        return float(self.r["first_value_documented"])


class Collect(BaseActions):  # type: ignore[misc]
    """business-rules actions: record the rule that fired."""

    def __init__(self, out: list[str]) -> None:
        self.out = out

    @rule_action(params={"rule": FIELD_NO_INPUT})
    def fire(self, rule: str) -> None:
        self.out.append(rule)


def _c(name: str, op: str, value: Any) -> dict[str, Any]:
    return {"name": name, "operator": op, "value": value}


def _band_is(name: str, value: str) -> dict[str, Any]:
    return _c(name, "equal_to", value)


BR_CONDITIONS: dict[str, dict[str, Any]] = {
    "U1": {
        "all": [
            _c("logins_prev_week", "greater_than_or_equal_to", 10),
            _c("login_drop", "greater_than_or_equal_to", 0.3),
        ]
    },
    "U2": {"all": [_c("core_feature_usage", "equal_to", 0), _c("days_since_start", "greater_than_or_equal_to", 30)]},
    "U3": {
        "all": [
            _c("critical_prev", "greater_than_or_equal_to", 10),
            _c("critical_drop", "greater_than_or_equal_to", 0.5),
        ]
    },
    "U4": {
        "all": [
            _c("activity_percentile", "greater_than_or_equal_to", 90),
            _c("distinct_features_used", "greater_than_or_equal_to", 5),
        ]
    },
    "H1": {"all": [_band_is("previous_band", "GREEN"), _band_is("band", "YELLOW")]},
    "H2": {"all": [_band_is("previous_band", "YELLOW"), _band_is("band", "RED")]},
    "H3": {"all": [_band_is("band", "YELLOW"), _c("days_in_band", "greater_than_or_equal_to", 30)]},
    "H4": {"all": [_c("support_tickets_week", "greater_than_or_equal_to", 3)]},
    "M1": {
        "all": [
            _c("days_to_renewal", "greater_than_or_equal_to", 0),
            _c("days_into_runway", "greater_than_or_equal_to", 0),
        ]
    },
    "M2": {"all": [_c("seat_share", "greater_than_or_equal_to", 0.8)]},
    "M3": {"all": [_c("core_setup_completion", "greater_than_or_equal_to", 1)]},
    "M4": {"all": [_c("first_value_documented", "greater_than_or_equal_to", 1)]},
}


def business_rules_evaluator() -> Callable[[dict[str, Any]], list[str]]:
    """Return a function evaluating the 12 business-rules rules on a record."""
    rules = [
        {"conditions": BR_CONDITIONS[rid], "actions": [{"name": "fire", "params": {"rule": rid}}]} for rid in RULE_IDS
    ]

    def evaluate(record: dict[str, Any]) -> list[str]:
        out: list[str] = []
        br_engine.run_all(rules, Facts(record), Collect(out))
        return out

    return evaluate


# ---- timing ---------------------------------------------------------------------------------------------------
def best_of(repeat: int, fn: Callable[[], list[list[str]]]) -> tuple[float, list[list[str]]]:
    """Return the median CPU time of ``repeat`` runs and the last result.

    CPU time of this process (``time.process_time``), not wall time: the machine is shared, and other people's
    processes would otherwise inflate every figure (the ratios are what matter).
    """
    times = []
    result: list[list[str]] = []
    for _ in range(repeat):
        gc.collect()
        gc.disable()  # as timeit does: collections triggered by the results would be timed otherwise
        try:
            t0 = time.process_time()
            result = fn()
            times.append(time.process_time() - t0)
        finally:
            gc.enable()
    return statistics.median(times), result


def main() -> None:
    """Run the benchmark and print the figures, ending with the RATIO lines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer snapshots (a smoke run)")
    args = parser.parse_args()
    n = 20_000 if args.quick else 200_000
    n_peers = 5_000 if args.quick else n
    repeat = 3 if args.quick else 5

    t0 = time.perf_counter()
    pairs, records = make_inputs(n)
    print(f"built {n} seeded snapshots in {time.perf_counter() - t0:.1f} s (not timed below)")

    compiled = CATALOG.compile()
    matching = compiled.matching

    def run_postsale() -> list[list[str]]:
        return [matching(s, c) for s, c in pairs]

    def run_plain() -> list[list[str]]:
        return [plain(r) for r in records]

    def run_plain_objects() -> list[list[str]]:
        return [plain_objects(s, c) for s, c in pairs]

    re_eval = rule_engine_evaluator()
    br_eval = business_rules_evaluator()
    peer_records = records[:n_peers]

    t_ps, hits_ps = best_of(repeat, run_postsale)
    t_plain, hits_plain = best_of(repeat, run_plain)
    t_objects, hits_objects = best_of(repeat, run_plain_objects)
    t_re, hits_re = best_of(1, lambda: [re_eval(r) for r in peer_records])
    t_br, hits_br = best_of(1, lambda: [br_eval(r) for r in peer_records])

    if not (hits_ps == hits_plain == hits_objects and hits_ps[:n_peers] == hits_re == hits_br):
        raise SystemExit("the approaches disagree on which rules fire: benchmark invalid")
    fired = {rid: sum(rid in h for h in hits_ps) for rid in RULE_IDS}

    per = {
        "postsale": t_ps / n * 1e6,
        "plain Python": t_plain / n * 1e6,
        "plain, same objects": t_objects / n * 1e6,
        "rule-engine": t_re / n_peers * 1e6,
        "business-rules": t_br / n_peers * 1e6,
    }
    print(f"hits per rule over {n} snapshots (identical in all four approaches): {fired}")
    print(f"{'approach':<20}{'snapshots':>10}{'µs / snapshot (12 rules)':>26}{'ns / rule':>11}")
    for name, us in per.items():
        count = n_peers if name in ("rule-engine", "business-rules") else n
        print(f"{name:<20}{count:>10}{us:>26.3f}{us * 1000 / 12:>11.0f}")
    goal = "meets" if per["postsale"] <= GOAL_US else "misses"
    print(
        f"postsale {goal} the goal of <= {GOAL_US} µs per snapshot; "
        f"{per['postsale'] / per['plain, same objects']:.2f}x hand-written code over the same objects, "
        f"{per['postsale'] / per['plain Python']:.2f}x hand-written code over flat dicts"
    )
    print(f"RATIO triggers rule-engine {per['rule-engine'] / per['postsale']:.1f}")
    print(f"RATIO triggers business-rules {per['business-rules'] / per['postsale']:.1f}")


if __name__ == "__main__":
    main()
