"""Strategies for the KPI context: valid revenue ledgers, reports, survey answers, scenarios."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from postsale import Segment
from postsale.kpi import (
    MaturityStage,
    MovementKind,
    ReactivationPolicy,
    RetentionDefinition,
    RetentionReport,
    RetentionScenario,
    RevenueBasis,
    RevenueLedger,
    RevenueMovement,
    RoiBenefit,
    RoiCost,
    ScenarioCohort,
)

LEDGER_START = date(2023, 1, 1)
PERIOD_START = date(2024, 1, 1)

cents = st.integers(min_value=1, max_value=50_000_000)
"""Positive amounts in cents (up to 500 000.00)."""


def _money(cents_value: int) -> Decimal:
    return Decimal(cents_value).scaleb(-2)


@st.composite
def account_movements(draw: st.DrawFn, account_id: str) -> list[RevenueMovement]:
    """A valid history for one account: NEW, then expansions, contractions, churns and reactivations."""
    day = LEDGER_START + timedelta(days=draw(st.integers(0, 500)))
    balance = draw(cents)
    moves = [RevenueMovement(account_id, day, MovementKind.NEW, _money(balance))]
    for _ in range(draw(st.integers(0, 5))):
        day += timedelta(days=draw(st.integers(0, 200)))
        if balance == 0:
            balance = draw(cents)
            moves.append(RevenueMovement(account_id, day, MovementKind.REACTIVATION, _money(balance)))
            continue
        choices = ["EXPANSION", "CHURN"] + (["CONTRACTION"] if balance > 1 else [])
        kind = draw(st.sampled_from(choices))
        if kind == "EXPANSION":
            amount = draw(cents)
            motion = draw(st.sampled_from(["UNSPECIFIED", "UPSELL", "CROSS_SELL"]))
            moves.append(RevenueMovement(account_id, day, MovementKind.EXPANSION, _money(amount), motion))
            balance += amount
        elif kind == "CONTRACTION":
            amount = draw(st.integers(1, balance - 1))
            moves.append(RevenueMovement(account_id, day, MovementKind.CONTRACTION, _money(amount)))
            balance -= amount
        else:
            moves.append(RevenueMovement(account_id, day, MovementKind.CHURN, _money(balance)))
            balance = 0
    return moves


@st.composite
def ledgers(draw: st.DrawFn, min_accounts: int = 1, max_accounts: int = 8) -> RevenueLedger:
    """Valid ledgers over a few accounts, movements shuffled across accounts."""
    count = draw(st.integers(min_accounts, max_accounts))
    moves: list[RevenueMovement] = []
    for index in range(count):
        moves += draw(account_movements(f"acct-{index}"))
    # interleave accounts while keeping each account's own order (a stable date sort keeps same-day order)
    moves.sort(key=lambda m: m.on)
    return RevenueLedger(moves)


@st.composite
def ledgers_with_cohort(draw: st.DrawFn) -> RevenueLedger:
    """Ledgers where at least one account has revenue at :data:`PERIOD_START`."""
    ledger = draw(ledgers())
    active = [a for a in ledger.accounts if ledger.revenue_at(a, PERIOD_START) > 0]
    if not active:
        extra = RevenueMovement("anchor", LEDGER_START, MovementKind.NEW, _money(draw(cents)))
        ledger = RevenueLedger((*ledger.movements, extra))
    return ledger


definitions = st.builds(
    RetentionDefinition,
    basis=st.sampled_from(list(RevenueBasis)),
    reactivations=st.sampled_from(list(ReactivationPolicy)),
    period_months=st.integers(1, 24),
)

segment_keys = st.sampled_from([s.name for s in Segment])


@st.composite
def reports(draw: st.DrawFn) -> RetentionReport:
    """Consistent retention reports built from totals."""
    start = draw(st.integers(1, 10**9))
    churned = draw(st.integers(0, start))
    contraction = draw(st.integers(0, start - churned))
    at_start = draw(st.integers(1, 1000))
    return RetentionReport.from_amounts(
        period_start=draw(st.dates(date(2000, 1, 1), date(2090, 12, 31))),
        start_revenue=start,
        churned=churned,
        contraction=contraction,
        expansion=draw(st.integers(0, 10**9)),
        accounts_at_start=at_start,
        accounts_churned=draw(st.integers(0, at_start)),
        definition=draw(definitions),
    )


nps_answers = st.lists(st.integers(0, 10), min_size=1, max_size=200)

grr_values = st.decimals(min_value=0, max_value=1, places=4)
nrr_values = st.decimals(min_value=0, max_value=2, places=4)
stages = st.sampled_from(list(MaturityStage))

benefits = st.builds(
    RoiBenefit,
    prevented_churn=st.integers(0, 10**7),
    expansion=st.integers(0, 10**7),
    support_cost_reduction=st.integers(0, 10**7),
    time_saved=st.integers(0, 10**7),
)
costs = st.builds(
    RoiCost,
    csm_salaries=st.integers(1, 10**7),
    technology=st.integers(0, 10**6),
    content=st.integers(0, 10**6),
    program_management=st.integers(0, 10**6),
)

rates = st.decimals(min_value=0, max_value=1, places=2)
cohorts = st.builds(
    ScenarioCohort,
    customers=st.integers(1, 10_000),
    acv=st.integers(1, 10**6),
    cac=st.integers(0, 10**6),
)
scenarios = st.builds(
    RetentionScenario,
    name=st.sampled_from(["base", "alt"]),
    renewal_rate=rates,
    expansion_rate=st.decimals(min_value=0, max_value=1, places=3),
)
