"""Strategies for the triggers context: conditions, rules, rule sets and snapshot histories."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from postsale import AccountSnapshot, HealthBand, Segment, signals
from postsale.triggers import (
    Action,
    ActionChannel,
    ActionKind,
    AlertBudget,
    AllOf,
    AnyOf,
    BandTransition,
    DaysInBand,
    DaysSince,
    DaysUntil,
    Hygiene,
    Not,
    PercentChange,
    Priority,
    Ratio,
    Rule,
    RuleSet,
    Sla,
    Threshold,
)

NUMERIC = (
    signals.LOGINS_WEEK,
    signals.LOGINS_PREV_WEEK,
    signals.SUPPORT_TICKETS_WEEK,
    signals.CORE_FEATURE_USAGE,
    signals.DISTINCT_FEATURES_USED,
    signals.USAGE_LIMIT_RATIO,
    signals.HEALTH_SCORE,
    signals.SEAT_UTILISATION,
)
bands = st.sampled_from(list(HealthBand))
band_tuples = st.lists(bands, min_size=1, max_size=3, unique=True).map(tuple)
small = st.integers(0, 120).map(float)
ops = st.sampled_from([">=", ">", "<=", "<", "==", "!="])


@st.composite
def thresholds(draw: st.DrawFn) -> Threshold:
    """Thresholds, some with hysteresis, some on the previous snapshot."""
    op = draw(ops)
    t = draw(small)
    release = None
    if op in ("<", "<=") and draw(st.booleans()):
        release = t + draw(st.integers(1, 20))
    elif op in (">", ">=") and draw(st.booleans()):
        release = t - draw(st.integers(1, 20))
    source = draw(st.sampled_from(["current", "previous"]))
    return Threshold(draw(st.sampled_from(NUMERIC)), op, t, release=release, source=source)  # type: ignore[arg-type]


leaves = st.one_of(
    thresholds(),
    st.builds(
        PercentChange,
        st.sampled_from([signals.LOGINS_WEEK, signals.CORE_FEATURE_USAGE]),
        st.sampled_from([0.1, 0.3, 0.5, 1.0]),
        baseline=st.none() | st.just(signals.LOGINS_PREV_WEEK),
        direction=st.sampled_from(["drop", "rise"]),
        min_base=st.sampled_from([0.0, 5.0, 10.0]),
    ),
    st.builds(Ratio, st.just(signals.SEATS_ACTIVE), st.just(signals.SEATS_PURCHASED), ops, st.sampled_from([0.5, 0.8])),
    st.builds(
        BandTransition,
        band_tuples,
        band_tuples,
        min_drop=st.none() | st.sampled_from([5.0, 10.0, 15.0]),
    ),
    st.builds(DaysInBand, bands, st.integers(0, 40)),
    st.builds(DaysUntil, st.just("contract_end"), st.integers(0, 120)),
    st.builds(DaysSince, st.just("contract_start"), st.integers(0, 60), at_most=st.none() | st.just(90)),
)

conditions = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda cs: AllOf(tuple(cs))),
        st.lists(inner, min_size=1, max_size=3).map(lambda cs: AnyOf(tuple(cs))),
        inner.map(Not),
    ),
    max_leaves=6,
)


@st.composite
def rules(draw: st.DrawFn, rule_id: str = "R1") -> Rule:
    """Valid rules."""
    return Rule(
        rule_id,
        f"rule {rule_id}",
        draw(conditions),
        Action(draw(st.sampled_from(list(ActionKind))), draw(st.sampled_from(list(ActionChannel))), "do it"),
        draw(st.sampled_from(list(Sla))),
        draw(st.sampled_from(list(Priority))),
        cooldown_days=draw(st.integers(0, 10)),
    )


@st.composite
def rule_sets(draw: st.DrawFn) -> RuleSet:
    """Valid rule sets of 1-4 rules."""
    n = draw(st.integers(1, 4))
    budget = AlertBudget(
        period_days=draw(st.integers(1, 30)),
        enterprise=draw(st.integers(0, 5)),
        smb=draw(st.integers(0, 5)),
        exempt=tuple(draw(st.lists(st.sampled_from(list(Priority)), unique=True, max_size=2))),
    )
    return RuleSet(
        version=draw(st.sampled_from(["1", "2026.1"])),
        rules=tuple(draw(rules(f"R{i}")) for i in range(n)),
        hygiene=Hygiene(auto_close_days=draw(st.none() | st.integers(1, 60)), budget=budget),
        few_days=draw(st.integers(1, 7)),
    )


@st.composite
def histories(draw: st.DrawFn, accounts: int = 2, max_days: int = 12) -> list[AccountSnapshot]:
    """Daily snapshot histories of a few accounts, interleaved in date order."""
    start = date(2026, 1, 1)
    out = []
    for a in range(accounts):
        days = sorted(draw(st.sets(st.integers(0, 60), min_size=1, max_size=max_days)))
        segment = draw(st.sampled_from(list(Segment)))
        for d in days:
            purchased = draw(st.integers(0, 50))
            out.append(
                AccountSnapshot(
                    f"acct-{a}",
                    segment,
                    start + timedelta(days=d),
                    contract_start=date(2025, 12, 1),
                    contract_end=date(2026, 4, 1),
                    seats_purchased=purchased,
                    seats_active=draw(st.integers(0, purchased)),
                    signals={
                        signals.HEALTH_SCORE: draw(st.integers(0, 100)),
                        signals.LOGINS_WEEK: draw(st.integers(0, 30)),
                        signals.LOGINS_PREV_WEEK: draw(st.integers(0, 30)),
                        signals.SUPPORT_TICKETS_WEEK: draw(st.integers(0, 5)),
                        signals.CORE_FEATURE_USAGE: draw(st.integers(0, 2)),
                    },
                )
            )
    return sorted(out, key=lambda s: s.as_of)
