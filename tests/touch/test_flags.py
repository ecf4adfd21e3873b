"""A portfolio plan flags what a CS lead must act on: a tier (and the total) outside the 5-15 % cost rule, on both
sides of 5 % and 15 %, and a CSM ratio given to the plan that differs from the one the portfolio's economics derive
(a ratio copied from elsewhere)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import postsale
from postsale import InvalidTypeError, InvalidValueError, TouchModel, UnknownNameError
from postsale.touch import (
    BusinessProfile,
    CostShareStatus,
    OverrideSettings,
    PortfolioPlan,
    Scorer,
    Tier,
    TouchConfig,
    plan_portfolio,
)

D = Decimal
COMPANY: dict[str, Any] = {
    "complexity": "MODERATE", "gross_margin": 0.75, "positioning": "MARKET_STANDARD", "growth_stage": "AT_SCALE",
}
NO_CEILING = Scorer(TouchConfig(overrides=OverrideSettings(economics_ceiling=False)))


def accounts(n: int, acv: Any, segment: str = "MID_MARKET", prefix: str = "a") -> list[BusinessProfile]:
    return [BusinessProfile(acv=acv, segment=segment, account_id=f"{prefix}-{i}", **COMPANY) for i in range(n)]


def only_tier(plan: PortfolioPlan) -> Tier:
    (tier,) = plan.tiers
    return tier


# ---- the 5-15 % rule per tier and in total: both sides of each end -------------------------------------------


@pytest.mark.parametrize(
    ("acv", "status", "flagged"),
    [
        (D(16_000), CostShareStatus.HEALTHY, False),  # one $120,000 CSM on $800,000: exactly 15 %
        (D(15_999), CostShareStatus.OVER_SPENT, True),
        (D(48_000), CostShareStatus.HEALTHY, False),  # one CSM on $2,400,000: exactly 5 %
        (D("48000.01"), CostShareStatus.UNDER_INVESTED, True),
    ],
)
def test_low_touch_tier_flag_at_5_and_15_percent(acv: Decimal, status: CostShareStatus, flagged: bool) -> None:
    """Fifty mid-market accounts on one CSM: 5 % and 15 % are healthy, a cent beyond is flagged, tier and total."""
    plan = plan_portfolio(accounts(50, acv), scorer=NO_CEILING)
    tier = only_tier(plan)
    assert tier.cost_share is not None and plan.cost_share is not None
    assert (TouchModel.LOW, status, flagged) == (tier.model, tier.cost_share.status, tier.flagged)
    assert (plan.cost_share.status, plan.flagged) == (status, flagged)
    assert bool(plan.warnings) is flagged


@pytest.mark.parametrize(("acv", "flagged"), [(D(100_000), False), (D("99999.99"), True)])
def test_high_touch_tier_flag_at_15_percent(acv: Decimal, flagged: bool) -> None:
    """Ten enterprise accounts on one $150,000 CSM: $1,000,000 of revenue is 15 %, a cent less is over."""
    tier = only_tier(plan_portfolio(accounts(10, acv, "ENTERPRISE")))
    assert (TouchModel.HIGH, flagged) == (tier.model, tier.flagged)


def test_over_spent_tier_says_what_to_do() -> None:
    """The sentence gives the share, the rule and the two ways out, after the tier's own line."""
    plan = plan_portfolio(accounts(50, D(14_760)), scorer=NO_CEILING)
    expected = (
        "The low-touch tier costs 16.26 % of its revenue, above the 5-15 % a CS team can sustain: move accounts to "
        "tech-touch or raise prices."
    )
    lines = plan.explain()
    assert lines[lines.index(expected) - 1].startswith("Low-touch tier: 50 accounts")
    assert plan.warnings[0] == expected


@pytest.mark.parametrize(
    ("n", "acv", "segment", "words"),
    [
        (10, D(90_000), "ENTERPRISE", "move accounts to low-touch or raise prices."),
        (500, D(1_000), "SMB", "automate further or raise prices."),
        (12, D(150_000), "ENTERPRISE", "because its last CSM covers 2 of 10 accounts: share that CSM with another "
         "tier or grow the tier (fully loaded, it would cost 10 %)."),
        (50, D(60_000), "MID_MARKET", "below the 5-15 % rule: probably under-investing"),
    ],
)
def test_each_tier_gets_its_advice(n: int, acv: Decimal, segment: str, words: str) -> None:
    """High-touch over the rule moves to low-touch, tech-touch automates further, a tier over the rule only because
    its last CSM is partly used shares or grows into that CSM, under the rule is under-investing."""
    assert words in only_tier(plan_portfolio(accounts(n, acv, segment))).warnings()[0]


def test_total_is_flagged_with_its_own_sentence() -> None:
    """The total outside the rule gets a sentence starting 'In total' (the review's summary keeps those lines):
    partly used CSMs are shared or grown into, a tier that costs too much even fully loaded moves or raises prices."""
    partly = plan_portfolio(accounts(51, D(16_000)))
    assert partly.flagged and partly.warnings[-1] == (
        "In total the CSMs cost 29.41 % of revenue, above the 5-15 % a CS team can sustain, because some CSMs are "
        "only partly used (fully loaded, they would cost 15 %): share them across tiers or grow into them."
    )
    assert partly.explain()[-2] == partly.warnings[-1]
    costly = plan_portfolio(accounts(50, D(14_760)), scorer=NO_CEILING)
    assert costly.warnings[-1] == (
        "In total the CSMs cost 16.26 % of revenue, above the 5-15 % a CS team can sustain: move accounts to a "
        "lighter tier, or raise prices."
    )


def test_healthy_plan_has_no_warnings() -> None:
    """Tiers and total inside the rule: nothing flagged, no extra sentence."""
    plan = plan_portfolio(accounts(50, D(25_000)))
    assert (False, False, []) == (only_tier(plan).flagged, plan.flagged, plan.warnings)
    assert len(plan.explain()) == 4


def test_a_mixed_portfolio_flags_only_the_tier_outside() -> None:
    """One tier over the rule is flagged; the healthy tier is not, and the total follows its own share."""
    plan = plan_portfolio(accounts(10, D(300_000), "ENTERPRISE", "e") + accounts(51, D(16_000), prefix="m"))
    flags = {t.model.name: t.flagged for t in plan.tiers}
    assert {"HIGH": False, "LOW": True} == flags
    assert plan.cost_share is not None and not plan.flagged


# ---- a CSM ratio given to the plan: derived or copied? ------------------------------------------------------


def test_derived_ratio_fits_the_budget() -> None:
    """The derived ratio is the fewest accounts per CSM within the 10 % budget: $150,000 ACV -> 1:10,
    $25,000 -> 1:48, $4,000 -> 1:300."""
    plan = plan_portfolio(
        accounts(10, D(150_000), "ENTERPRISE", "e") + accounts(50, D(25_000), prefix="m") + accounts(30, 4_000, "SMB")
    )
    assert {"HIGH": 10, "LOW": 48, "TECH": 300} == {t.model.name: t.derived_ratio for t in plan.tiers}
    assert not any(t.ratio_given for t in plan.tiers)


def test_copied_ratio_is_called_out_with_both_numbers() -> None:
    """A competitor's 1:30 for the enterprise tier: staffed at 1:30, the economics derive 1:10 (1:7-1:20 allowed)."""
    plan = plan_portfolio(accounts(60, D(150_000), "ENTERPRISE"), accounts_per_csm={"HIGH": 30})
    tier = only_tier(plan)
    assert (30, 2, True, True) == (tier.accounts_per_csm, tier.csms_needed, tier.ratio_given, tier.ratio_differs)
    assert (
        "The high-touch tier is staffed at 1:30, a ratio given to the plan rather than derived from this portfolio: "
        "at a CS budget of 10 % of revenue, its $150,000 average ACV pays for 1:10 (1:7 to 1:20 stay within 5-15 %). "
        "Design the ratio on your own economics, not on a benchmark."
    ) in plan.explain()


def test_a_given_ratio_equal_to_the_derived_one_is_not_called_out() -> None:
    """1:48 for $25,000 accounts is what their economics derive: no warning."""
    plan = plan_portfolio(accounts(48, D(25_000)), accounts_per_csm=48)
    assert (True, False, []) == (only_tier(plan).ratio_given, only_tier(plan).ratio_differs, plan.warnings)


def test_one_ratio_applies_to_every_tier_a_mapping_to_its_tiers() -> None:
    """An int staffs every tier; a mapping only the tiers it names (the others keep 1:10, 1:50, 1:500)."""
    mixed = accounts(10, D(150_000), "ENTERPRISE", "e") + accounts(50, D(25_000), prefix="m")
    every = plan_portfolio(mixed, accounts_per_csm=25)
    some = plan_portfolio(mixed, accounts_per_csm={"low-touch": 25})
    assert [(25, True), (25, True)] == [(t.accounts_per_csm, t.ratio_given) for t in every.tiers]
    assert [(10, False), (25, True)] == [(t.accounts_per_csm, t.ratio_given) for t in some.tiers]
    assert some.accounts[-1].cs_cost == D(4_800)  # $120,000 / 25


@pytest.mark.parametrize(
    ("ratio", "error", "field"),
    [
        (0, InvalidValueError, "accounts_per_csm"),
        ({"LOW": 0}, InvalidValueError, "accounts_per_csm[LOW]"),
        ({"HYBRID": 20}, UnknownNameError, "accounts_per_csm"),
        ({"GOLD": 20}, UnknownNameError, "accounts_per_csm"),
        ("30", InvalidTypeError, "accounts_per_csm"),
        (30.0, InvalidTypeError, "accounts_per_csm"),
    ],
)
def test_bad_ratios_are_refused(ratio: Any, error: type[Exception], field: str) -> None:
    """A ratio is a whole number >= 1, for HIGH, LOW or TECH."""
    with pytest.raises(error) as info:
        plan_portfolio(accounts(2, D(25_000)), accounts_per_csm=ratio)
    assert field == info.value.field  # type: ignore[attr-defined]


def test_tier_without_revenue_has_no_derived_ratio() -> None:
    """Accounts without revenue derive no ratio and are not judged by the rule."""
    tier = only_tier(plan_portfolio(accounts(3, 0, "SMB"), accounts_per_csm=100))
    assert (None, False, False, []) == (tier.derived_ratio, tier.ratio_differs, tier.flagged, tier.warnings())


def test_warnings_check_the_budget_share() -> None:
    """Tier.warnings takes the budget share as a fraction."""
    tier = only_tier(plan_portfolio(accounts(2, D(25_000))))
    with pytest.raises(InvalidValueError):
        tier.warnings(10)


def test_plan_with_flags_round_trips() -> None:
    """The derived ratio, the given flag and the budget share survive JSON."""
    plan = plan_portfolio(accounts(60, D(150_000), "ENTERPRISE"), accounts_per_csm={"HIGH": 30})
    assert plan == postsale.from_json(PortfolioPlan, postsale.to_json(plan))
    assert postsale.to_data(plan)["tiers"][0]["derived_ratio"] == 10
