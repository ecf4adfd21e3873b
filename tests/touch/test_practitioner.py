"""A CS lead's scenarios for the touch model: what the engine must say, in the words a CS lead would use.

Each account is scored as the review scores it: the default company profile with the account's own ACV and
segment, ``assess(DEFAULT_COMPANY_PROFILE.for_account(snapshot))``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from postsale import AccountSnapshot, TouchModel
from postsale.touch import (
    DEFAULT_COMPANY_PROFILE,
    Assessment,
    BusinessProfile,
    assess,
    assess_economics,
    pilot_plan,
    plan_portfolio,
)

AS_OF = date(2026, 11, 1)


def review(segment: str, acv: int, account_id: str = "acct") -> Assessment:
    """The touch model the review gives this account."""
    return assess(DEFAULT_COMPANY_PROFILE.for_account(AccountSnapshot(account_id, segment, AS_OF, acv=acv)))


def test_a_3000_dollar_self_serve_account_is_tech_touch() -> None:
    """The sources' third worked example: $3,000 a year buys $300 of CS budget; no CSM ratio makes human touch work."""
    result = review("SMB", 3_000)
    assert TouchModel.TECH == result.model == assess_economics(Decimal(3_000), 0.65).recommended
    assert result.explain()[-1] == "Recommended model: tech-touch."


def test_a_1200_dollar_product_led_account_is_tech_touch() -> None:
    """A $1,200 product-led account cannot pay even for tech-touch staff within 15 %: tech-touch is what is left."""
    result = review("PRODUCT_LED", 1_200)
    assert TouchModel.TECH == result.model
    assert "no touch model stays within 15 % of revenue below an ACV of $1,600" in result.overrides[0].reason


def test_a_120000_dollar_enterprise_account_is_high_touch() -> None:
    """The sources' first worked example: $120,000 enterprise, a $150,000 CSM for 12 accounts, 10.4 % of revenue."""
    result = review("ENTERPRISE", 120_000)
    economics = assess_economics(Decimal(120_000), 0.8, csm_salary=Decimal(150_000), accounts_per_csm=12)
    assert (TouchModel.HIGH, TouchModel.HIGH, ()) == (result.model, economics.recommended, result.overrides)


def test_a_25000_dollar_mid_market_account_is_low_touch() -> None:
    """The sources' second worked example: $25,000 mid-market, $2,400 per account at 1:50 is 9.6 %."""
    assert TouchModel.LOW == review("MID_MARKET", 25_000).model == assess_economics(Decimal(25_000), 0.7).recommended


@pytest.mark.parametrize("acv", [4_800, 7_200, 9_999, 15_999])
def test_small_smb_accounts_are_tech_touch_not_low_touch(acv: int) -> None:
    """SMB accounts below $16,000 would cost more than 15 % of their revenue in low-touch: tech-touch."""
    assert TouchModel.TECH == review("SMB", acv).model


def test_an_smb_account_that_pays_for_a_pooled_csm_is_low_touch() -> None:
    """From $16,000 a pooled CSM ($2,400 at 1:50) is within 15 %: an SMB account that large gets low-touch."""
    assert TouchModel.LOW == review("SMB", 16_000).model


def test_a_150000_dollar_mid_market_account_is_high_touch() -> None:
    """A large mid-market account scores 20 and pays for a dedicated CSM ($15,000 is 10 %)."""
    result = review("MID_MARKET", 150_000)
    assert (20, TouchModel.HIGH) == (result.total, result.model)


def test_a_60000_dollar_mid_market_account_with_a_high_score_stays_low_touch() -> None:
    """A premium vendor's $60,000 account scores 20, but a dedicated CSM would be 25 % of its revenue."""
    premium = BusinessProfile(acv=0, complexity="MODERATE", gross_margin=0.75, positioning="PREMIUM",
                              segment="MID_MARKET", growth_stage="AT_SCALE")
    result = assess(premium.for_account(AccountSnapshot("acct", "MID_MARKET", AS_OF, acv=60_000)))
    assert (20, TouchModel.HIGH, TouchModel.LOW) == (result.total, result.scored_model, result.model)
    assert "high-touch (one CSM at $150,000 for 10 accounts) costs $15,000 per account" in result.overrides[0].reason


def test_a_small_enterprise_logo_still_gets_high_touch_and_the_review_says_why() -> None:
    """An $8,000 enterprise account: the economics cap it at tech-touch, the enterprise rule lifts it to high-touch;
    both reasons are shown, so the CS lead sees the cost of the rule."""
    result = review("ENTERPRISE", 8_000)
    assert TouchModel.HIGH == result.model
    assert ["economics", "enterprise"] == [o.name for o in result.overrides]


def test_a_complex_product_is_never_pure_tech_touch() -> None:
    """A genuinely complex product keeps low-touch for a $3,000 account, even under economic pressure."""
    company = BusinessProfile(acv=0, complexity="HIGH", gross_margin=0.75, positioning="MARKET_STANDARD",
                              segment="MID_MARKET", growth_stage="AT_SCALE")
    result = assess(company.for_account(AccountSnapshot("acct", "SMB", AS_OF, acv=3_000)))
    assert (TouchModel.LOW, ["economics", "complex_product"]) == (result.model, [o.name for o in result.overrides])


def test_a_mixed_book_reaches_all_three_models() -> None:
    """With the default company profile a book of customers splits into high-, low- and tech-touch tiers."""
    snapshots = [
        AccountSnapshot("ent", "ENTERPRISE", AS_OF, acv=120_000),
        AccountSnapshot("mm", "MID_MARKET", AS_OF, acv=25_000),
        AccountSnapshot("smb", "SMB", AS_OF, acv=4_800),
        AccountSnapshot("pl", "PRODUCT_LED", AS_OF, acv=1_200),
    ]
    plan = plan_portfolio(snapshots, base=DEFAULT_COMPANY_PROFILE)
    assert (TouchModel.HYBRID, {"HIGH": 1, "LOW": 1, "TECH": 2}) == (
        plan.model, {m.name: n for m, n in plan.distribution.items()}
    )


def test_a_low_touch_tier_above_15_percent_is_flagged_with_what_to_do() -> None:
    """$9,000 SMB accounts kept on low-touch because a competitor gives dedicated CSMs: $2,400 each is 26.67 % of
    the tier's revenue, and the plan says what to do about it."""
    company = {"complexity": "MODERATE", "gross_margin": 0.75, "positioning": "MARKET_STANDARD",
               "growth_stage": "AT_SCALE", "competitor_dedicated_csm": True}
    plan = plan_portfolio([BusinessProfile(acv=9_000, segment="SMB", account_id=f"s{i}", **company)
                           for i in range(50)])
    assert plan.tiers[0].flagged and (
        "The low-touch tier costs 26.67 % of its revenue, above the 5-15 % a CS team can sustain: move accounts to "
        "tech-touch or raise prices."
    ) in plan.explain()


def test_a_half_empty_csm_is_flagged_as_such() -> None:
    """51 mid-market accounts at $16,000 need a second pooled CSM for one account: the plan says to share it."""
    company = {"complexity": "MODERATE", "gross_margin": 0.75, "positioning": "MARKET_STANDARD",
               "growth_stage": "AT_SCALE"}
    plan = plan_portfolio([BusinessProfile(acv=16_000, segment="MID_MARKET", account_id=f"m{i}", **company)
                           for i in range(51)])
    assert "because its last CSM covers 1 of 50 accounts: share that CSM with another tier" in plan.warnings[0]


def test_a_competitors_ratio_copied_into_the_plan_is_called_out() -> None:
    """'Competitor X runs 1:30, so should we': the plan shows 1:30 against the 1:10 the accounts' economics derive."""
    company = {"complexity": "MODERATE", "gross_margin": 0.75, "positioning": "MARKET_STANDARD",
               "growth_stage": "AT_SCALE"}
    plan = plan_portfolio([BusinessProfile(acv=150_000, segment="ENTERPRISE", account_id=f"e{i}", **company)
                           for i in range(60)], accounts_per_csm=30)
    warning = next(line for line in plan.warnings if "1:30" in line)
    assert "pays for 1:10" in warning and "not on a benchmark" in warning


def test_a_new_model_is_piloted_on_a_quarter_of_the_base_against_a_control_group() -> None:
    """Before the rollout: 25 % of the accounts in the pilot, as many in a control group, for eight weeks."""
    snapshots = [AccountSnapshot(f"a{i}", "SMB", AS_OF, acv=4_000) for i in range(40)]
    pilot = pilot_plan(plan_portfolio(snapshots, base=DEFAULT_COMPANY_PROFILE), seed=2026)
    assert (10, 10, 8) == (len(pilot.pilot), len(pilot.control), pilot.weeks)
    assert "compare the pilot with the control group" in pilot.explain()[3]
