"""Hybrid portfolio tiering, staffing and projections (issue point 5, domain-spec §2.7-§2.12)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

import postsale
from postsale import AccountSnapshot, InvalidTypeError, InvalidValueError, TouchModel
from postsale.touch import (
    BusinessProfile,
    GrowthStage,
    PortfolioPlan,
    Scorer,
    StaffingProjection,
    TouchConfig,
    growth_stage_for,
    plan_portfolio,
    project_staffing,
)

D = Decimal

COMPANY: dict[str, Any] = {
    "complexity": "LOW_TO_MODERATE",
    "gross_margin": 0.6,
    "positioning": "VALUE",
    "growth_stage": "GROWTH",
}


def account(account_id: str, acv: int, segment: str) -> BusinessProfile:
    return BusinessProfile(acv=acv, segment=segment, account_id=account_id, **COMPANY)


def portfolio() -> list[BusinessProfile]:
    """12 enterprise at $150K (high), 60 mid-market at $30K (low), 528 SMB at $4K (tech)."""
    accounts = [account(f"ent-{i}", 150_000, "ENTERPRISE") for i in range(12)]
    accounts += [account(f"mm-{i}", 30_000, "MID_MARKET") for i in range(60)]
    accounts += [account(f"smb-{i}", 4_000, "SMB") for i in range(528)]
    return accounts


@pytest.fixture
def plan() -> PortfolioPlan:
    return plan_portfolio(portfolio())


def test_three_tiers_make_a_hybrid(plan: PortfolioPlan) -> None:
    """Accounts in more than one tier make the portfolio HYBRID."""
    assert (TouchModel.HYBRID, True) == (plan.model, plan.hybrid)


def test_distribution(plan: PortfolioPlan) -> None:
    """The distribution counts accounts per model, most intense first."""
    assert {TouchModel.HIGH: 12, TouchModel.LOW: 60, TouchModel.TECH: 528} == plan.distribution


def test_csms_per_tier_round_up(plan: PortfolioPlan) -> None:
    """CSMs needed per tier = ceil(accounts / ratio): 12/10 -> 2, 60/50 -> 2, 528/500 -> 2."""
    assert [2, 2, 2] == [t.csms_needed for t in plan.tiers]


def test_staffing_cost_per_tier(plan: PortfolioPlan) -> None:
    """Staffing cost = CSMs x salary per tier, and in total."""
    assert ([D(300_000), D(240_000), D(240_000)], D(780_000)) == (
        [t.staffing_cost for t in plan.tiers],
        plan.staffing_cost,
    )


def test_allocated_cost_per_tier(plan: PortfolioPlan) -> None:
    """Allocated cost = accounts x salary / ratio: 12 x 15,000; 60 x 2,400; 528 x 240."""
    assert [D(180_000), D(144_000), D(126_720)] == [t.cs_cost for t in plan.tiers]


def test_revenue_and_shares(plan: PortfolioPlan) -> None:
    """Revenue per tier and account shares."""
    assert ([D(1_800_000), D(1_800_000), D(2_112_000)], [0.02, 0.1, 0.88]) == (
        [t.revenue for t in plan.tiers],
        [t.share for t in plan.tiers],
    )


def test_cost_share_of_portfolio(plan: PortfolioPlan) -> None:
    """The portfolio's staffing cost is judged against its revenue (5-15 % rule)."""
    assert plan.cost_share is not None
    assert (plan.cost_share.status.name, plan.cost_share.share) == ("HEALTHY", 780_000 / 5_712_000)


def test_growth_stage_from_account_count(plan: PortfolioPlan) -> None:
    """600 accounts are in the GROWTH stage."""
    assert (600, GrowthStage.GROWTH) == (plan.customer_count, plan.growth_stage)


def test_customer_count_given() -> None:
    """The customer count may be given explicitly."""
    assert GrowthStage.AT_SCALE == plan_portfolio(portfolio(), customer_count=2_000).growth_stage


def test_single_tier_is_not_hybrid() -> None:
    """A portfolio in one tier gets that tier's model."""
    plan = plan_portfolio([account("a", 4_000, "SMB"), account("b", 5_000, "SMB")])
    assert (TouchModel.TECH, False) == (plan.model, plan.hybrid)


def test_tier_lookup(plan: PortfolioPlan) -> None:
    """tier() finds a tier by model, None when empty."""
    single = plan_portfolio([account("a", 4_000, "SMB")])
    assert (12, None) == (
        plan.tier(TouchModel.HIGH).accounts if plan.tier(TouchModel.HIGH) else None,
        single.tier(TouchModel.HIGH),
    )


def test_accounts_keep_input_order(plan: PortfolioPlan) -> None:
    """Each account is listed with its tier, in input order."""
    assert [
        ("ent-0", TouchModel.HIGH),
        ("mm-0", TouchModel.LOW),
        ("smb-0", TouchModel.TECH),
    ] == [(plan.accounts[i].account_id, plan.accounts[i].model) for i in (0, 12, 72)]


def test_explain(plan: PortfolioPlan) -> None:
    """The explanation gives the distribution, staffing per tier and the hybrid verdict."""
    lines = plan.explain()
    assert [
        "600 accounts (GROWTH stage at 600 customers), revenue $5,712,000.",
        "High-touch tier: 12 accounts (2 %), revenue $1,800,000, 1:10 needs 2 CSM(s) costing $300,000, 16.67 % of its "
        "revenue.",
    ] == lines[:2]
    assert lines[-1].startswith("The accounts fall in more than one tier")


def test_explain_single() -> None:
    """A single-tier plan says one model fits."""
    assert (
        "Every account falls in one tier: a single tech-touch model fits."
        == (plan_portfolio([account("a", 4_000, "SMB")]).explain()[-1])
    )


def test_snapshots_with_base() -> None:
    """Account snapshots are tiered with a company-wide base profile."""
    base = BusinessProfile(acv=0, segment="SMB", **COMPANY)
    snaps = [
        AccountSnapshot("big", "ENTERPRISE", date(2026, 1, 31), acv=200_000),
        AccountSnapshot("small", "SMB", date(2026, 1, 31), acv=2_000),
    ]
    plan = plan_portfolio(snaps, base=base)
    assert [("big", TouchModel.HIGH), ("small", TouchModel.TECH)] == [(a.account_id, a.model) for a in plan.accounts]


def test_snapshot_without_base_refused() -> None:
    """A snapshot without a base profile is refused, naming its position."""
    snap = AccountSnapshot("big", "ENTERPRISE", date(2026, 1, 31), acv=200_000)
    with pytest.raises(InvalidValueError) as info:
        plan_portfolio([snap])
    assert "accounts[0]" == info.value.field


def test_other_items_refused() -> None:
    """Items that are neither profiles nor snapshots are refused."""
    with pytest.raises(InvalidTypeError):
        plan_portfolio([{"acv": 1}])  # type: ignore[list-item]


def test_empty_refused() -> None:
    """An empty portfolio is refused."""
    with pytest.raises(InvalidValueError) as info:
        plan_portfolio([])
    assert "accounts" == info.value.field


def test_duplicate_ids_refused() -> None:
    """An account id appearing twice is refused."""
    with pytest.raises(InvalidValueError) as info:
        plan_portfolio([account("a", 1_000, "SMB"), account("a", 2_000, "SMB")])
    assert "account_id" == info.value.field


def test_zero_revenue_tier_has_no_cost_share() -> None:
    """A tier with no revenue has no cost share (a share of zero revenue is undefined)."""
    plan = plan_portfolio([account("a", 0, "SMB")])
    assert (None, None) == (plan.tiers[0].cost_share, plan.cost_share)


def test_round_trip(plan: PortfolioPlan) -> None:
    """A plan round-trips through JSON."""
    assert plan == postsale.from_json(PortfolioPlan, postsale.to_json(plan))


@pytest.mark.parametrize(
    ("count", "stage"),
    [
        (0, "STARTUP"),
        (99, "STARTUP"),
        (100, "EARLY_SCALE"),
        (499, "EARLY_SCALE"),
        (500, "GROWTH"),
        (1_999, "GROWTH"),
        (2_000, "AT_SCALE"),
    ],
)
def test_growth_stage_edges(count: int, stage: str) -> None:
    """Growth stages: [0,100) startup, [100,500) early scale, [500,2000) growth, >= 2000 at scale (A-8)."""
    assert GrowthStage[stage] == growth_stage_for(count)


# ---- projection ------------------------------------------------------------------------------------------


@pytest.fixture
def projection(plan: PortfolioPlan) -> StaffingProjection:
    return project_staffing(plan, annual_growth=0.5)


def test_horizons_default(projection: StaffingProjection) -> None:
    """Projections 12 / 18 / 24 months out by default."""
    assert [12.0, 18.0, 24.0] == [p.months for p in projection.horizons]


def test_twelve_month_volume(projection: StaffingProjection) -> None:
    """At +50 % a year, 12 months out each tier has 1.5x the accounts."""
    point = projection.horizons[0]
    assert ([18, 90, 792], [2, 2, 2], 900) == (
        [t.accounts for t in point.tiers],
        [t.csms_needed for t in point.tiers],
        point.accounts,
    )


def test_twenty_four_month_volume(projection: StaffingProjection) -> None:
    """24 months out at +50 % is 2.25x: 1,350 accounts."""
    point = projection.horizons[2]
    assert (2.25, 1_350, [3, 3, 3]) == (point.multiple, point.accounts, [t.csms_needed for t in point.tiers])


def test_projected_staffing_cost(projection: StaffingProjection) -> None:
    """Projected staffing cost is CSMs x salary per tier."""
    assert D(3 * 150_000 + 3 * 120_000 + 3 * 120_000) == projection.horizons[2].staffing_cost


def test_volume_checks_reach_time(projection: StaffingProjection) -> None:
    """2x volume is reached after 12 ln 2 / ln 1.5 months."""
    import math

    assert pytest.approx(12 * math.log(2) / math.log(1.5)) == projection.volume_checks[0].months


def test_stage_change_breaks_model(projection: StaffingProjection) -> None:
    """At 3x (1,800 customers) the stage is still GROWTH; at 4x (2,400) AT_SCALE breaks the model."""
    plan = plan_portfolio(portfolio())
    four = project_staffing(plan, annual_growth=0.5, multiples=(3.0, 4.0)).volume_checks
    assert ((), True) == (four[0].breaks, "AT_SCALE" in four[1].breaks[0])


def test_holding_model(projection: StaffingProjection) -> None:
    """A model that holds everywhere says so."""
    assert (
        (),
        "The model scales to every projected volume.",
    ) == (projection.breaking_points, projection.explain()[-1])


def test_hiring_capacity_breaks_model(plan: PortfolioPlan) -> None:
    """Needing more CSMs than hiring capacity allows breaks the model."""
    result = project_staffing(plan, annual_growth=1.0, hires_per_month=0.1)
    assert any("hiring" in b for p in result.breaking_points for b in p.breaks)


def test_economics_break(plan: PortfolioPlan) -> None:
    """Staffing cost above the healthy share of revenue breaks the model."""
    config = TouchConfig(healthy_to=0.10)
    result = project_staffing(plan, annual_growth=0.2, scorer=Scorer(config))
    assert any("above the healthy" in b for b in result.horizons[0].breaks)


def test_explain_projection(projection: StaffingProjection) -> None:
    """The explanation lists each point."""
    lines = projection.explain()
    assert ("Growth of 50 % a year from 600 accounts.", "12 months:") == (lines[0], lines[2][:10])


def test_explain_breaking(plan: PortfolioPlan) -> None:
    """A breaking projection says to redesign (mistake 5)."""
    lines = project_staffing(plan, annual_growth=1.0, multiples=(4.0,)).explain()
    assert lines[-1].startswith("Design for the state 18-24 months out")


def test_no_growth_never_reaches_volume(plan: PortfolioPlan) -> None:
    """With zero growth a larger volume is never reached (months None)."""
    result = project_staffing(plan, annual_growth=0.0)
    assert [None, None] == [p.months for p in result.volume_checks]


def test_shrinking_reaches_lower_volume(plan: PortfolioPlan) -> None:
    """With negative growth a volume below today's is reached; 1x is today."""
    result = project_staffing(plan, annual_growth=-0.5, multiples=(0.5, 1.0))
    assert [12.0, 0.0] == [p.months for p in result.volume_checks]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"annual_growth": -1.0}, "annual_growth"),
        ({"annual_growth": float("nan")}, "annual_growth"),
        ({"annual_growth": 0.1, "horizons": (0,)}, "horizons[0]"),
        ({"annual_growth": 0.1, "multiples": (0,)}, "multiples[0]"),
        ({"annual_growth": 0.1, "hires_per_month": -1}, "hires_per_month"),
    ],
)
def test_projection_bad_input(plan: PortfolioPlan, kwargs: dict[str, Any], field: str) -> None:
    """Bad projection input is refused, naming the field."""
    with pytest.raises(InvalidValueError) as info:
        project_staffing(plan, **kwargs)
    assert field == info.value.field


def test_projection_needs_plan() -> None:
    """project_staffing needs a PortfolioPlan."""
    with pytest.raises(InvalidTypeError):
        project_staffing("plan", annual_growth=0.1)  # type: ignore[arg-type]


def test_projection_round_trip(projection: StaffingProjection) -> None:
    """A projection round-trips through JSON."""
    assert projection == postsale.from_json(StaffingProjection, postsale.to_json(projection))
