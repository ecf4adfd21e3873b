"""The touch context's words and conversions, pinned where mutation testing (scripts/mutation.py touch, seed 31)
found them unpinned: every result's explanation, a hand-built tier row, the growth stages a projection reads.
The refusals are in ``test_mutants_2.py``, whose shared values this file reuses."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import attrs
import pytest

from postsale import TouchModel
from postsale.touch import (
    DEFAULT_CONFIG,
    BusinessProfile,
    GrowthStage,
    MigrationPolicy,
    Scorer,
    TierAccount,
    TierAssignment,
    TouchConfig,
    assess,
    assess_cost_share,
    assess_economics,
    migrate_tier,
    pilot_plan,
    plan_portfolio,
    project_staffing,
)
from postsale.touch._config import StageBand
from tests.touch.test_mutants_2 import PILOT, PLAN, A, D, profile, refused

# ---- the explanations, word for word -------------------------------------------------------------------------------

EXPLANATIONS: list[tuple[str, Callable[[], list[str]], list[str]]] = [
    ("assessment", A.explain, [
        "ACV: $48,000 is in band '$10,000 to under $100,000', worth 3 points.",
        "Product complexity: LOW_TO_MODERATE is in band 'LOW_TO_MODERATE', worth 2 points.",
        "Customer segment: MID_MARKET is in band 'MID_MARKET', worth 3 points.",
        "Gross margin: 60 % is in band '50 % to under 70 %', worth 3 points.",
        "Competitive positioning: VALUE is in band 'VALUE', worth 1 point.",
        "Growth stage: GROWTH is in band 'GROWTH', worth 3 points.",
        "Total 15 (of 6-30) gives low-touch (a boundary score goes to the higher-touch model).",
        "Recommended model: low-touch.",
    ]),
    ("cost-share-low", lambda: assess_cost_share(Decimal(1), Decimal(100)).explain(), [
        "CS cost $1 is 1 % of revenue $100.",
        "That is below the healthy 5-15 % range: probably under-investing, which tends to show up in retention.",
    ]),
    ("cost-share-high", lambda: assess_cost_share(Decimal(30), Decimal(100)).explain(), [
        "CS cost $30 is 30 % of revenue $100.",
        "That is above the healthy 5-15 % range: over-spending (burning cash unless margins are exceptionally high); "
        "serving this customer at this cost is over-serving.",
    ]),
    ("cost-share-ok", lambda: assess_cost_share(Decimal(10), Decimal(100)).explain(), [
        "CS cost $10 is 10 % of revenue $100.",
        "That is inside the healthy 5-15 % range (both ends inclusive): healthy.",
    ]),
    ("economics",
     lambda: assess_economics(Decimal(20000), 0.7, csm_salary=Decimal(100000), accounts_per_csm=40).explain(), [
        "ACV $20,000 at 70 % gross margin gives $14,000 gross profit per year.",
        "The CS budget at 10 % of revenue (revenue, not gross profit) is $2,000 per year.",
        "Your plan: Low-touch (your plan: one CSM at $100,000 for 40 accounts) costs $2,500 per account, 12.5 % of "
        "revenue: viable.",
        "The plan's $2,500 exceeds the $2,000 budget but stays inside the 5-15 % rule, which decides.",
        "High-touch (default: one CSM at $150,000 for 10 accounts) costs $15,000 per account, 75 % of revenue: not "
        "viable.",
        "Tech-touch (default: one CSM at $120,000 for 500 accounts) costs $240 per account, 1.2 % of revenue: "
        "viable, though under the healthy range.",
        "Recommended: low-touch, the most intense model the economics support.",
    ]),
    ("economics-none", lambda: assess_economics(Decimal(100), 0.1).explain(), [
        "ACV $100 at 10 % gross margin gives $10 gross profit per year.",
        "The CS budget at 10 % of revenue (revenue, not gross profit) is $10 per year.",
        "High-touch (default: one CSM at $150,000 for 10 accounts) costs $15,000 per account, 15000 % of revenue: "
        "not viable.",
        "Low-touch (default: one CSM at $120,000 for 50 accounts) costs $2,400 per account, 2400 % of revenue: not "
        "viable.",
        "Tech-touch (default: one CSM at $120,000 for 500 accounts) costs $240 per account, 240 % of revenue: not "
        "viable.",
        "No CSM ratio makes human touch work at this ACV.",
        "No touch model is viable: raise the price, or automate further than tech-touch.",
    ]),
    ("migration", lambda: migrate_tier(TierAssignment("a", "tech", date(2025, 1, 1)), A, D).explain(), [
        "a is tech-touch since 2025-01-01 (its band is 6-11); on 2026-03-02 its total is 15.",
        "It moves to low-touch: the score passed the band edge by the margin and the commitment period ended on "
        "2026-01-01.",
    ]),
    ("migration-hold", lambda: migrate_tier(TierAssignment("a", "tech", date(2026, 2, 1)), A, D).explain(), [
        "a is tech-touch since 2026-02-01 (its band is 6-11); on 2026-03-02 its total is 15.",
        "The score points at low-touch, but the tier is committed until 2027-02-01: it stays tech-touch (commit "
        "before changing).",
    ]),
    ("pilot", lambda: pilot_plan(PLAN, share=0.5).explain(), [
        "Pilot: 2 of 3 accounts (66.67 %), drawn at random (seed 0) within each group, so every group is "
        "represented: low-touch 1 of 2, tech-touch 1 of 1.",
        "Control group: 1 account drawn alike; they stay on today's model, so the pilot is compared with them, not "
        "with a guess.",
        "Run it for 8 weeks: 2 to set up (train the team, set up tracking, prepare the customer communication), 4 to "
        "run the new model with the pilot accounts, 2 to review the results.",
        "Measure health score, customer satisfaction and engagement in both groups, then compare the pilot with the "
        "control group and decide to scale, iterate or pivot.",
        "A pilot of 50 % is outside the 20-30 % of accounts the roadmap recommends: more accounts exposed if the new "
        "model fails.",
    ]),
    ("portfolio", PLAN.explain, [
        "3 accounts (STARTUP stage at 3 customers), revenue $203,000.",
        "Low-touch tier: 2 accounts (66.67 %), revenue $198,000, 1:50 needs 1 CSM(s) costing $120,000, 60.61 % of "
        "its revenue.",
        "The low-touch tier costs 60.61 % of its revenue, above the 5-15 % a CS team can sustain, because its last "
        "CSM covers 2 of 50 accounts: share that CSM with another tier or grow the tier (fully loaded, it would cost "
        "2.42 %).",
        "Tech-touch tier: 1 accounts (33.33 %), revenue $5,000, 1:500 needs 1 CSM(s) costing $120,000, 2400 % of its "
        "revenue.",
        "The tech-touch tier costs 2400 % of its revenue, above the 5-15 % a CS team can sustain, because its last "
        "CSM covers 1 of 500 accounts: share that CSM with another tier or grow the tier (fully loaded, it would "
        "cost 4.8 %).",
        "In total 2 CSM(s) costing $240,000 (118.23 % of revenue: over-spent).",
        "In total the CSMs cost 118.23 % of revenue, above the 5-15 % a CS team can sustain, because some CSMs are "
        "only partly used (fully loaded, they would cost 2.48 %): share them across tiers or grow into them.",
        "The accounts fall in more than one tier, so the portfolio needs a hybrid model: a different touch model per "
        "tier.",
    ]),
    ("projection", lambda: project_staffing(PLAN, 0.5, horizons=[12], multiples=[2.0], hires_per_month=0.5).explain(), [
        "Growth of 50 % a year from 3 accounts.",
        "Today: 3 accounts, 2 CSM(s) costing $240,000 (118.23 % of revenue): the model breaks: Staffing costs 118.23 "
        "% of revenue, above the healthy 15 %.",
        "12 months: 5 accounts, 2 CSM(s) costing $240,000 (78.18 % of revenue): the model breaks: Staffing costs "
        "78.18 % of revenue, above the healthy 15 %.",
        "2x volume (in 20.5 months): 6 accounts, 2 CSM(s) costing $240,000 (59.11 % of revenue): the model breaks: "
        "Staffing costs 59.11 % of revenue, above the healthy 15 %.",
        "Design for the state 18-24 months out: redesign before the first breaking point.",
    ]),
]


@pytest.mark.parametrize(("explain", "lines"), [pytest.param(*case[1:], id=case[0]) for case in EXPLANATIONS])
def test_each_result_explains_itself_word_for_word(explain: Callable[[], list[str]], lines: list[str]) -> None:
    """An assessment, a cost share on both sides of and inside the healthy range, account economics with and without
    a viable model, a tier migration that moves and one held by its commitment, a pilot outside the recommended
    share, a hybrid portfolio whose tiers are partly staffed, and a staffing projection that breaks."""
    assert explain() == lines


def test_a_projection_breaking_on_cost_ends_its_sentence_without_a_stray_space() -> None:
    """"Staffing costs 118.23 % of revenue, above the healthy 15 %." should end "... the healthy 15 %."."""
    today = project_staffing(PLAN, 0.5, horizons=[12], multiples=[2.0]).explain()[1]
    assert " ." not in today


def test_a_tier_account_given_names_and_ints_holds_the_model_and_decimal_amounts() -> None:
    """A row built by hand from a model name and int amounts is converted like any other: the member, Decimals."""
    row = TierAccount(None, "low", 19, 5, 2)
    assert (row.model, type(row.acv), type(row.cs_cost)) == (TouchModel.LOW, Decimal, Decimal)
    assert TierAccount("a", "high", 19, Decimal(1), Decimal(2)).model is TouchModel.HIGH


def test_a_pilot_group_naming_an_account_twice_names_that_account() -> None:
    """The refusal's value should be the repeated account ("x"), not the number of ids given (2)."""
    caught = refused(lambda: attrs.evolve(PILOT, control=["x", "x"]))
    assert (caught.field, caught.value) == ("control", "x")



def test_a_projection_reads_the_growth_stages_of_the_scorers_configuration() -> None:
    """With stage bands of the vendor's own (early scale from 4 customers), a plan of 3 customers growing 50 % a year
    moves to EARLY_SCALE at 5 customers, which the default bands (early scale from 100) would not say."""
    stages = [StageBand(0, 4, GrowthStage.STARTUP), StageBand(4, 10, GrowthStage.EARLY_SCALE),
              StageBand(10, 20, GrowthStage.GROWTH), StageBand(20, None, GrowthStage.AT_SCALE)]
    scorer = Scorer(attrs.evolve(DEFAULT_CONFIG, stage_bands=stages))
    plan = plan_portfolio([profile(account_id="a"), profile(account_id="b", acv=5000),
                           profile(account_id="c", acv=150000)], scorer=scorer)
    lines = project_staffing(plan, 0.5, horizons=[12], multiples=[2.0], scorer=scorer).explain()
    assert lines[2] == (
        "12 months: 5 accounts, 2 CSM(s) costing $240,000 (78.18 % of revenue): the model breaks: At 5 customers the "
        "company moves from the STARTUP to the EARLY_SCALE stage, which needs a different model design. Staffing costs "
        "78.18 % of revenue, above the healthy 15 %.")


# ---- the scorer over a grid of accounts: points, totals, models and overrides ---------------------------------------


def grid_rows() -> list[str]:
    """Assess every combination of ACV (500, 48 000, 150 000), complexity, segment, competitor CSM and margin."""
    rows = []
    for acv, complexity, segment, rival, margin in itertools.product(
        (500, 48000, 150000), ("LOW", "HIGH"), ("SMB", "ENTERPRISE"), (False, True), (0.3, 0.8)
    ):
        found = assess(BusinessProfile(acv, complexity=complexity, gross_margin=margin,
                                       positioning="PREMIUM" if rival else "VALUE", segment=segment,
                                       growth_stage="GROWTH", competitor_dedicated_csm=rival))
        overrides = ",".join(o.name for o in found.overrides) or "-"
        rows.append(f"{acv} {complexity} {segment} {rival} {margin}: {found.points} {found.total} "
                    f"{found.scored_model.name} {found.model.name} {overrides}")
    return rows


def test_the_scorer_gives_each_account_of_a_grid_its_points_model_and_overrides() -> None:
    """The economics ceiling first, then the complex-product, competitor and enterprise floors, in that order; the
    boundary totals (12, 20) go to the higher-touch model."""
    assert grid_rows() == [
        "500 LOW SMB False 0.3: (1, 1, 1, 1, 1, 3) 8 TECH TECH -",
        "500 LOW SMB False 0.8: (1, 1, 1, 5, 1, 3) 12 LOW TECH economics",
        "500 LOW SMB True 0.3: (1, 1, 1, 1, 5, 3) 12 LOW LOW economics,competitor_dedicated_csm",
        "500 LOW SMB True 0.8: (1, 1, 1, 5, 5, 3) 16 LOW LOW economics,competitor_dedicated_csm",
        "500 LOW ENTERPRISE False 0.3: (1, 1, 5, 1, 1, 3) 12 LOW HIGH economics,enterprise",
        "500 LOW ENTERPRISE False 0.8: (1, 1, 5, 5, 1, 3) 16 LOW HIGH economics,enterprise",
        "500 LOW ENTERPRISE True 0.3: (1, 1, 5, 1, 5, 3) 16 LOW HIGH economics,competitor_dedicated_csm,enterprise",
        "500 LOW ENTERPRISE True 0.8: (1, 1, 5, 5, 5, 3) 20 HIGH HIGH economics,competitor_dedicated_csm,enterprise",
        "500 HIGH SMB False 0.3: (1, 5, 1, 1, 1, 3) 12 LOW LOW economics,complex_product",
        "500 HIGH SMB False 0.8: (1, 5, 1, 5, 1, 3) 16 LOW LOW economics,complex_product",
        "500 HIGH SMB True 0.3: (1, 5, 1, 1, 5, 3) 16 LOW LOW economics,complex_product",
        "500 HIGH SMB True 0.8: (1, 5, 1, 5, 5, 3) 20 HIGH LOW economics,complex_product",
        "500 HIGH ENTERPRISE False 0.3: (1, 5, 5, 1, 1, 3) 16 LOW HIGH economics,complex_product,enterprise",
        "500 HIGH ENTERPRISE False 0.8: (1, 5, 5, 5, 1, 3) 20 HIGH HIGH economics,complex_product,enterprise",
        "500 HIGH ENTERPRISE True 0.3: (1, 5, 5, 1, 5, 3) 20 HIGH HIGH economics,complex_product,enterprise",
        "500 HIGH ENTERPRISE True 0.8: (1, 5, 5, 5, 5, 3) 24 HIGH HIGH economics,complex_product,enterprise",
        "48000 LOW SMB False 0.3: (3, 1, 1, 1, 1, 3) 10 TECH TECH -",
        "48000 LOW SMB False 0.8: (3, 1, 1, 5, 1, 3) 14 LOW LOW -",
        "48000 LOW SMB True 0.3: (3, 1, 1, 1, 5, 3) 14 LOW LOW -",
        "48000 LOW SMB True 0.8: (3, 1, 1, 5, 5, 3) 18 LOW LOW -",
        "48000 LOW ENTERPRISE False 0.3: (3, 1, 5, 1, 1, 3) 14 LOW HIGH enterprise",
        "48000 LOW ENTERPRISE False 0.8: (3, 1, 5, 5, 1, 3) 18 LOW HIGH enterprise",
        "48000 LOW ENTERPRISE True 0.3: (3, 1, 5, 1, 5, 3) 18 LOW HIGH enterprise",
        "48000 LOW ENTERPRISE True 0.8: (3, 1, 5, 5, 5, 3) 22 HIGH HIGH economics,enterprise",
        "48000 HIGH SMB False 0.3: (3, 5, 1, 1, 1, 3) 14 LOW LOW -",
        "48000 HIGH SMB False 0.8: (3, 5, 1, 5, 1, 3) 18 LOW LOW -",
        "48000 HIGH SMB True 0.3: (3, 5, 1, 1, 5, 3) 18 LOW LOW -",
        "48000 HIGH SMB True 0.8: (3, 5, 1, 5, 5, 3) 22 HIGH LOW economics",
        "48000 HIGH ENTERPRISE False 0.3: (3, 5, 5, 1, 1, 3) 18 LOW HIGH enterprise",
        "48000 HIGH ENTERPRISE False 0.8: (3, 5, 5, 5, 1, 3) 22 HIGH HIGH economics,enterprise",
        "48000 HIGH ENTERPRISE True 0.3: (3, 5, 5, 1, 5, 3) 22 HIGH HIGH economics,enterprise",
        "48000 HIGH ENTERPRISE True 0.8: (3, 5, 5, 5, 5, 3) 26 HIGH HIGH economics,enterprise",
        "150000 LOW SMB False 0.3: (5, 1, 1, 1, 1, 3) 12 LOW LOW -",
        "150000 LOW SMB False 0.8: (5, 1, 1, 5, 1, 3) 16 LOW LOW -",
        "150000 LOW SMB True 0.3: (5, 1, 1, 1, 5, 3) 16 LOW LOW -",
        "150000 LOW SMB True 0.8: (5, 1, 1, 5, 5, 3) 20 HIGH HIGH -",
        "150000 LOW ENTERPRISE False 0.3: (5, 1, 5, 1, 1, 3) 16 LOW HIGH enterprise",
        "150000 LOW ENTERPRISE False 0.8: (5, 1, 5, 5, 1, 3) 20 HIGH HIGH -",
        "150000 LOW ENTERPRISE True 0.3: (5, 1, 5, 1, 5, 3) 20 HIGH HIGH -",
        "150000 LOW ENTERPRISE True 0.8: (5, 1, 5, 5, 5, 3) 24 HIGH HIGH -",
        "150000 HIGH SMB False 0.3: (5, 5, 1, 1, 1, 3) 16 LOW LOW -",
        "150000 HIGH SMB False 0.8: (5, 5, 1, 5, 1, 3) 20 HIGH HIGH -",
        "150000 HIGH SMB True 0.3: (5, 5, 1, 1, 5, 3) 20 HIGH HIGH -",
        "150000 HIGH SMB True 0.8: (5, 5, 1, 5, 5, 3) 24 HIGH HIGH -",
        "150000 HIGH ENTERPRISE False 0.3: (5, 5, 5, 1, 1, 3) 20 HIGH HIGH -",
        "150000 HIGH ENTERPRISE False 0.8: (5, 5, 5, 5, 1, 3) 24 HIGH HIGH -",
        "150000 HIGH ENTERPRISE True 0.3: (5, 5, 5, 1, 5, 3) 24 HIGH HIGH -",
        "150000 HIGH ENTERPRISE True 0.8: (5, 5, 5, 5, 5, 3) 28 HIGH HIGH -",
    ]


def test_an_account_hit_by_every_override_explains_each_one() -> None:
    """The points of each factor, the total and its model, then every override with its reason and its move."""
    account = BusinessProfile(500, complexity="HIGH", gross_margin=0.3, positioning="PREMIUM", segment="ENTERPRISE",
                              growth_stage="GROWTH", competitor_dedicated_csm=True)
    assert assess(account).explain() == [
        "ACV: $500 is in band 'under $10,000', worth 1 point.",
        "Product complexity: HIGH is in band 'HIGH', worth 5 points.",
        "Customer segment: ENTERPRISE is in band 'ENTERPRISE', worth 5 points.",
        "Gross margin: 30 % is in band 'under 50 %', worth 1 point.",
        "Competitive positioning: PREMIUM is in band 'PREMIUM', worth 5 points.",
        "Growth stage: GROWTH is in band 'GROWTH', worth 3 points.",
        "Total 20 (of 6-30) gives high-touch (a boundary score goes to the higher-touch model).",
        "Override 'economics': no touch model stays within 15 % of revenue below an ACV of $1,600 (even tech-touch "
        "costs $240 per account), so the account gets the least intense one; high-touch -> tech-touch.",
        "Override 'complex_product': a genuinely complex product (complexity HIGH or above) never gets less than "
        "low-touch, even under economic pressure; tech-touch -> low-touch.",
        "Override 'enterprise': ENTERPRISE customers get high-touch: for them it is a prerequisite, not an option; "
        "low-touch -> high-touch.",
        "Mixed profile: the factor points include both a 1 and a 5, so one model fits this customer poorly; consider "
        "a hybrid with tiers.",
        "Recommended model: high-touch.",
    ]


# ---- a tier migration on both sides of its margin and its commitment -----------------------------------------------


def positioned(positioning: str) -> BusinessProfile:
    """A small account whose total is 9 plus the positioning's points (10 for VALUE ... 14 for PREMIUM)."""
    return BusinessProfile(48000, complexity="LOW", gross_margin=0.3, positioning=positioning, segment="SMB",
                           growth_stage="GROWTH", account_id="a")


@pytest.mark.parametrize(("positioning", "policy", "on", "found"), [
    ("MARKET_STANDARD", None, date(2026, 1, 15), ("HELD_BY_MARGIN", "TECH", "TECH", 1, date(2026, 1, 15))),
    ("STANDARD_TO_PREMIUM", None, date(2026, 1, 14), ("HELD_BY_COMMITMENT", "TECH", "LOW", 1, date(2026, 1, 15))),
    ("STANDARD_TO_PREMIUM", None, date(2026, 1, 15), ("MOVED", "LOW", "LOW", 1, date(2026, 1, 15))),
    ("VALUE", (2, 6), date(2025, 7, 15), ("UNCHANGED", "TECH", "TECH", 2, date(2025, 7, 15))),
    ("STANDARD_TO_PREMIUM", (2, 6), date(2025, 7, 15), ("HELD_BY_MARGIN", "TECH", "TECH", 2, date(2025, 7, 15))),
    ("PREMIUM", (2, 6), date(2025, 7, 14), ("HELD_BY_COMMITMENT", "TECH", "LOW", 2, date(2025, 7, 15))),
    ("PREMIUM", (2, 6), date(2025, 7, 15), ("MOVED", "LOW", "LOW", 2, date(2025, 7, 15))),
], ids=["12-within-margin", "13-committed", "13-moves", "10-in-band", "13-within-wider-margin", "14-committed-6-months",
        "14-moves-after-6-months"])
def test_a_tech_touch_account_moves_only_past_the_margin_and_after_the_commitment(
    positioning: str, policy: tuple[int, int] | None, on: date, found: tuple[object, ...]
) -> None:
    """Tech-touch is 6-11: with the default margin of 1 a total of 12 stays, 13 moves, but only once the 12-month
    commitment from 2025-01-15 ended; a policy of margin 2 and 6 months holds 13 and moves 14 from 2025-07-15."""
    rules = None if policy is None else MigrationPolicy(margin_points=policy[0], commitment_months=policy[1])
    moved = migrate_tier(TierAssignment("a", "tech", date(2025, 1, 15)), assess(positioned(positioning)), on,
                         policy=rules)
    assert (moved.outcome.name, moved.to_model.name, moved.target_model.name, moved.margin_points, moved.earliest) \
        == found


# ---- twenty accounts on given ratios: the plan, a seeded pilot and a projection that outgrows hiring ---------------

TWENTY = [profile(account_id=f"a{i}", acv=acv) for i, acv in enumerate([5000] * 10 + [48000] * 6 + [150000] * 4)]


def test_a_plan_on_given_ratios_its_pilot_and_its_projection_explain_themselves() -> None:
    """Ratios given per model are compared with the ones the tiers' economics derive; the pilot draws 25 % within
    each tier with its seed; the projection flags the months where the CSMs to add outrun the hiring pace."""
    plan = plan_portfolio(TWENTY, accounts_per_csm={"low": 5, "tech": 100, "high": 2})
    assert plan.explain() == [
        "20 accounts (STARTUP stage at 20 customers), revenue $938,000.",
        "Low-touch tier: 10 accounts (50 %), revenue $888,000, 1:5 needs 2 CSM(s) costing $240,000, 27.03 % of its "
        "revenue.",
        "The low-touch tier costs 27.03 % of its revenue, above the 5-15 % a CS team can sustain: move accounts to "
        "tech-touch or raise prices.",
        "The low-touch tier is staffed at 1:5, a ratio given to the plan rather than derived from this portfolio: at "
        "a CS budget of 10 % of revenue, its $88,800 average ACV pays for 1:14 (1:10 to 1:27 stay within 5-15 %). "
        "Design the ratio on your own economics, not on a benchmark.",
        "Tech-touch tier: 10 accounts (50 %), revenue $50,000, 1:100 needs 1 CSM(s) costing $120,000, 240 % of its "
        "revenue.",
        "The tech-touch tier costs 240 % of its revenue, above the 5-15 % a CS team can sustain: automate further or "
        "raise prices.",
        "The tech-touch tier is staffed at 1:100, a ratio given to the plan rather than derived from this portfolio: "
        "at a CS budget of 10 % of revenue, its $5,000 average ACV pays for 1:240 (1:160 to 1:480 stay within 5-15 "
        "%). Design the ratio on your own economics, not on a benchmark.",
        "In total 3 CSM(s) costing $360,000 (38.38 % of revenue: over-spent).",
        "In total the CSMs cost 38.38 % of revenue, above the 5-15 % a CS team can sustain: move accounts to a "
        "lighter tier, or raise prices.",
        "The accounts fall in more than one tier, so the portfolio needs a hybrid model: a different touch model per "
        "tier.",
    ]
    pilot = pilot_plan(plan, seed=3)
    assert (pilot.pilot, pilot.control, dict(pilot.strata)) == (
        ('a1', 'a12', 'a13', 'a18', 'a9'), ('a0', 'a14', 'a17', 'a19', 'a6'),
        {'low-touch': (10, 3, 3), 'tech-touch': (10, 2, 2)})
    assert pilot.explain()[0] == (
        "Pilot: 5 of 20 accounts (25 %), drawn at random (seed 3) within each group, so every group is represented: "
        "low-touch 3 of 10, tech-touch 2 of 10.")
    assert project_staffing(plan, 1.0, horizons=[6, 24], multiples=[3.0], hires_per_month=0.1).explain() == [
        "Growth of 100 % a year from 20 accounts.",
        "Today: 20 accounts, 3 CSM(s) costing $360,000 (38.38 % of revenue): the model breaks: Staffing costs 38.38 "
        "% of revenue, above the healthy 15 %.",
        "6 months: 28 accounts, 4 CSM(s) costing $480,000 (36.55 % of revenue): the model breaks: Staffing costs "
        "36.55 % of revenue, above the healthy 15 %. It needs 1 more CSM(s) in 6.0 months, more than hiring 0.1 a "
        "month allows.",
        "24 months: 80 accounts, 9 CSM(s) costing $1,080,000 (28.78 % of revenue): the model breaks: Staffing costs "
        "28.78 % of revenue, above the healthy 15 %. It needs 6 more CSM(s) in 24.0 months, more than hiring 0.1 a "
        "month allows.",
        "3x volume (in 19.0 months): 60 accounts, 7 CSM(s) costing $840,000 (29.85 % of revenue): the model breaks: "
        "Staffing costs 29.85 % of revenue, above the healthy 15 %. It needs 4 more CSM(s) in 19.0 months, more "
        "than hiring 0.1 a month allows.",
        "Design for the state 18-24 months out: redesign before the first breaking point.",
    ]



# ---- the default configuration and a configuration of the vendor's own ------------------------------------------


def test_a_new_default_configuration_plans_the_coverage_of_each_model() -> None:
    """TouchConfig() builds the defaults again: 1:10 at $150,000 from 8, 1:50 at $120,000 from 40, 1:500 at $120,000
    from 500, with their spend per account."""
    fresh = TouchConfig()
    assert fresh == DEFAULT_CONFIG
    assert [(c.model.name, c.accounts_per_csm, c.csm_salary, c.ratio_from, c.spend_from, c.spend_to)
            for c in fresh.coverage] == [
        ("HIGH", 10, Decimal(150000), 8, Decimal(8000), Decimal(15000)),
        ("LOW", 50, Decimal(120000), 40, Decimal(1000), Decimal(5000)),
        ("TECH", 500, Decimal(120000), 500, Decimal(100), Decimal(500)),
    ]


def test_economics_and_ratios_read_the_healthy_range_of_the_configuration() -> None:
    """With a healthy range up to 30 %, each option's cost share is judged against 30 %; with a range of exactly
    10 %, the ratios that stay inside it are one, written 1:25 to 1:25."""
    wide = attrs.evolve(DEFAULT_CONFIG, healthy_to=0.3)
    options = assess_economics(Decimal(12000), 0.7, config=wide).options
    assert [(o.model.name, o.viable, o.cost_share.healthy_to) for o in options] == [
        ("HIGH", False, 0.3), ("LOW", True, 0.3), ("TECH", True, 0.3)]
    exact = Scorer(attrs.evolve(DEFAULT_CONFIG, healthy_from=0.1, healthy_to=0.1))
    plan = plan_portfolio([profile(account_id=f"a{i}") for i in range(4)], accounts_per_csm={"low": 5}, scorer=exact)
    assert "pays for 1:25 (1:25 to 1:25 stay within 10-10 %)." in plan.explain()[3]



def test_an_empty_pilot_reads_as_none_of_no_accounts() -> None:
    """A pilot of no accounts (a plan built by hand) says 0 of 0 accounts, 0 %, without a division by zero."""
    empty = attrs.evolve(PILOT, pilot=(), control=(), accounts=0, strata={})
    assert empty.explain()[:2] == [
        "Pilot: 0 of 0 accounts (0 %), drawn at random (seed 0).",
        "Control group: 0 accounts drawn alike; they stay on today's model, so the pilot is compared with them, not "
        "with a guess.",
    ]
