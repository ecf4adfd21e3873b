"""The touch context's refusals, word for word (scripts/mutation.py touch, seed 31).

Each refusal is pinned as a whole: its error class and its text, which names the field, the value given, the rule
broken and what to pass instead; ``test_mutants.py`` pinned the field and a part of the words of some of them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import pytest

from postsale import (
    AccountSnapshot,
    DefinitionError,
    InvalidTypeError,
    InvalidValueError,
    OutOfOrderError,
    PostsaleError,
    Segment,
    TouchModel,
    UnknownNameError,
)
from postsale.touch import (
    DEFAULT_CONFIG,
    BusinessProfile,
    Complexity,
    GrowthStage,
    MigrationPolicy,
    NumericFactor,
    PointsBand,
    Positioning,
    Scorer,
    TierAssignment,
    assess,
    assess_cost_share,
    assess_economics,
    csm_cost_per_account,
    growth_stage_for,
    migrate_portfolio,
    migrate_tier,
    model_for_ratio,
    pilot_plan,
    plan_portfolio,
    project_staffing,
)
from postsale.touch._config import AcvBand, Coverage, ModelBand, OverrideSettings, SegmentBand, StageBand
from tests._sweeps import refused

COMPANY = {"complexity": "LOW_TO_MODERATE", "gross_margin": 0.6, "positioning": "VALUE", "growth_stage": "GROWTH"}
D = date(2026, 3, 2)


def profile(acv: int = 48000, **fields: Any) -> BusinessProfile:
    """A mid-market account of a value-priced, growing vendor (any field replaced)."""
    return BusinessProfile(acv, **{**COMPANY, "segment": "MID_MARKET", **fields})


def unsized(**fields: Any) -> BusinessProfile:
    """A profile without segment, employees or growth information unless given."""
    return BusinessProfile(1000, complexity="LOW_TO_MODERATE", gross_margin=0.6, positioning="VALUE", **fields)


P = profile(account_id="a")
A = assess(P)
PLAN = plan_portfolio([profile(account_id="a"), profile(account_id="b", acv=5000), profile(account_id="c", acv=150000)])

MIGRATION = migrate_tier(TierAssignment("a", "tech", date(2025, 1, 1)), A, D)
PILOT = pilot_plan(PLAN)
FALLING = dict(zip(Complexity, (5, 4, 3, 2, 1), strict=True))
"""Complexity points that fall as the complexity rises."""
BROKEN_MARGIN_BANDS = [PointsBand(0.1, 0.5, 1), PointsBand(0.6, 0.4, 3), PointsBand(0.7, 1.2, 6)]
BROKEN_MODEL_BANDS = [ModelBand(6, 10, "tech"), ModelBand(12, 11, "low"), ModelBand(20, 31, "high")]
BROKEN_COVERAGE = Coverage("high", 0, Decimal(-1), 8, Decimal(8000), Decimal(7000))
BACKWARD_STAGES = [StageBand(0, 100, GrowthStage.GROWTH), StageBand(100, None, GrowthStage.STARTUP)]

OVERLAPPING_EMPLOYEES = [SegmentBand(0, 100, Segment.SMB), SegmentBand(50, None, Segment.MID_MARKET),
                         SegmentBand(1.5, None, Segment.ENTERPRISE)]
LESS_INTENSE_MODELS = [ModelBand(6, 12, TouchModel.LOW), ModelBand(12, 19, TouchModel.TECH),
                       ModelBand(20, 30, TouchModel.HIGH)]
COVERAGE_OUT_OF_ORDER = [Coverage(TouchModel.HIGH, 10, Decimal(150000), 8, Decimal(9000), Decimal(8000)),
                         Coverage(TouchModel.LOW, 50, Decimal(120000), 40, Decimal(1000), Decimal(5000)),
                         Coverage(TouchModel.TECH, 500, Decimal(120000), 30, Decimal(0), Decimal(1000))]
"""Spend that ends before it starts, and a tech-touch ratio below the low-touch one."""
BAD_OVERRIDES = attrs.evolve(OverrideSettings(), economics_ceiling="no", enterprise_model="hybrid")
BAD_MIGRATION = attrs.evolve(MigrationPolicy(), margin_points=-1, commitment_months=1.5)
SEATS = NumericFactor("seats", (PointsBand(0, 50, 1), PointsBand(50, None, 3)))
SEVEN_FACTORS = attrs.evolve(DEFAULT_CONFIG, model_bands=[ModelBand(7, 14, TouchModel.TECH),
                                                          ModelBand(15, 24, TouchModel.LOW),
                                                          ModelBand(25, 35, TouchModel.HIGH)])
"""Model bands for the six factors and one custom factor (totals 7-35)."""


class Sixer:
    """A custom factor that answers 6 points, outside 1-5."""

    name = "sixer"

    def band(self, profile: BusinessProfile) -> object:
        return 6

    def __repr__(self) -> str:
        return "Sixer()"


REFUSALS: list[tuple[str, Callable[[], object], type[PostsaleError], str]] = [
    ("profile-acv", lambda: profile(acv=-1),
     InvalidValueError, "acv=-1: is negative; rule: must be >= 0; instead: pass an amount >= 0"),
    ("profile-margin", lambda: profile(gross_margin=1.5),
     InvalidValueError,
     "gross_margin=1.5: is outside [0, 1]; rule: a share is written as a fraction between 0 and 1; instead: write "
     "0.015 for 1.5 %"),
    ("profile-complexity", lambda: profile(complexity="extreme"),
     UnknownNameError,
     "complexity='extreme': is not a Complexity; rule: one of LOW, LOW_TO_MODERATE, MODERATE, MODERATE_TO_HIGH, "
     "HIGH; instead: pass one of LOW, LOW_TO_MODERATE, MODERATE, MODERATE_TO_HIGH, HIGH"),
    ("profile-positioning", lambda: profile(positioning="cheap"),
     UnknownNameError,
     "positioning='cheap': is not a Positioning; rule: one of VALUE, VALUE_TO_STANDARD, MARKET_STANDARD, "
     "STANDARD_TO_PREMIUM, PREMIUM; instead: pass one of VALUE, VALUE_TO_STANDARD, MARKET_STANDARD, "
     "STANDARD_TO_PREMIUM, PREMIUM"),
    ("profile-segment", lambda: profile(segment="giant"),
     UnknownNameError,
     "segment='giant': is not a Segment; rule: one of ENTERPRISE, MID_MARKET, SMB, PRODUCT_LED; instead: pass one of "
     "ENTERPRISE, MID_MARKET, SMB, PRODUCT_LED"),
    ("profile-employees", lambda: profile(employees=-1),
     InvalidValueError, "employees=-1: is negative; rule: must be >= 0; instead: pass a count >= 0"),
    ("profile-growth", lambda: profile(growth_stage="teen"),
     UnknownNameError,
     "growth_stage='teen': is not a GrowthStage; rule: one of STARTUP, EARLY_SCALE, GROWTH, AT_SCALE; instead: pass "
     "one of STARTUP, EARLY_SCALE, GROWTH, AT_SCALE"),
    ("profile-customers", lambda: profile(customer_count=-1),
     InvalidValueError, "customer_count=-1: is negative; rule: must be >= 0; instead: pass a count >= 0"),
    ("profile-ratio-zero", lambda: profile(accounts_per_csm=0),
     InvalidValueError,
     "accounts_per_csm=0: is zero; rule: must be >= 1 (accounts per CSM, the N of a 1:N ratio); instead: pass the "
     "number of accounts one CSM covers, e.g. 50"),
    ("profile-ratio-type", lambda: profile(accounts_per_csm=1.5),
     InvalidTypeError, "accounts_per_csm=1.5: expected a whole number; instead: pass an int"),
    ("profile-competitor", lambda: profile(competitor_dedicated_csm="yes"),
     InvalidTypeError, "competitor_dedicated_csm='yes': expected True or False; instead: pass a bool"),
    ("profile-account", lambda: profile(account_id=""),
     InvalidValueError, "account_id='': must be a non-empty string; instead: pass a name or id"),
    ("profile-extras-type", lambda: profile(extras=[("seats", 1)]),
     InvalidTypeError, "extras=[('seats', 1)]: must be a mapping of names to numbers; instead: pass {\"seats\": 120}"),
    ("profile-extras-value", lambda: profile(extras={"seats": "many"}),
     InvalidTypeError,
     "extras['seats']='many': expected a number; instead: pass an int, float or Decimal (parse strings at the edge)"),
    ("profile-no-segment",
     lambda: assess(unsized(growth_stage="GROWTH")),
     InvalidValueError,
     "segment=None: is missing; rule: the segment factor needs a segment or an employee count; instead: pass "
     "segment=\"MID_MARKET\" or employees=250"),
    ("profile-no-growth",
     lambda: assess(unsized(segment="SMB")),
     InvalidValueError,
     "growth_stage=None: is missing; rule: the growth factor needs accounts_per_csm, customer_count or growth_stage; "
     "instead: pass accounts_per_csm=50, customer_count=800 or growth_stage=\"GROWTH\""),
    ("assess-profile", lambda: assess("acme"),
     InvalidTypeError, "profile='acme': expected a BusinessProfile; instead: build one with BusinessProfile(...)"),
    ("assess-scorer", lambda: assess(P, scorer=5),
     InvalidTypeError,
     "scorer=5: expected Scorer, got int; instead: pass a Scorer(config) built once, or None for the default"),
    ("scorer-config", lambda: Scorer(config=5),
     InvalidTypeError, "config=5: expected a TouchConfig; instead: pass TouchConfig(...)"),
    ("scorer-factors", lambda: Scorer(factors=5),
     InvalidTypeError,
     "factors=5: expected a collection, got int; instead: pass a list or tuple (an empty one is fine)"),
    ("scorer-overrides", lambda: Scorer(overrides=5),
     InvalidTypeError,
     "overrides=5: expected a collection, got int; instead: pass a list or tuple (an empty one is fine)"),
    ("factor-bands", lambda: NumericFactor("seats", [PointsBand(5, 10, 1)]),
     DefinitionError,
     "invalid factor 'seats' (2 problem(s)):\n  - the first band must start at 0, got 5 @ $.bands[0].lower\n  - the "
     "last band must be open (upper=None), got 10 @ $.bands[0].upper\ninstead: bands start at 0, meet edge to edge"),
    ("factor-missing-input", lambda: SEATS.band(P),
     InvalidValueError,
     "extras['seats']: is missing; rule: the custom factor 'seats' reads it; instead: pass extras={'seats': <number>} "
     "in the profile"),
    ("factor-negative-input",
     lambda: assess(profile(extras={"seats": -1}), scorer=Scorer(SEVEN_FACTORS, factors=[SEATS])),
     InvalidValueError,
     "extras['seats']=-1.0: is negative; rule: the bands of 'seats' start at 0; instead: pass a value >= 0"),
    ("factor-invalid-band", lambda: assess(P, scorer=Scorer(SEVEN_FACTORS, factors=[Sixer()])),
     InvalidValueError,
     "factor 'sixer'=6: returned an invalid band; rule: a FactorBand worth 1-5 points; instead: return "
     "FactorBand(factor, source, label, points) with points in 1-5"),
    ("factor-unknown", lambda: A.factor("vibes"),
     UnknownNameError,
     "factor='vibes': is not a factor of this assessment; rule: one of acv, complexity, segment, margin, "
     "positioning, growth; instead: pass one of acv, complexity, segment, margin, positioning, growth"),
    ("cost-share-revenue", lambda: assess_cost_share(Decimal(1), Decimal(0)),
     InvalidValueError,
     "revenue=Decimal('0'): is not positive; rule: must be > 0 (a share of zero revenue is undefined); instead: pass "
     "the customer's revenue (ACV) for the period"),
    ("cost-share-range", lambda: assess_cost_share(Decimal(1), Decimal(10), healthy_from=0.3, healthy_to=0.2),
     InvalidValueError,
     "healthy_from=0.3: is above healthy_to; rule: must be <= healthy_to=0.2; instead: swap the two ends of the range"),
    ("cost-share-cost", lambda: assess_cost_share(Decimal(-1), Decimal(10)),
     InvalidValueError, "cs_cost=Decimal('-1'): is negative; rule: must be >= 0; instead: pass an amount >= 0"),
    ("csm-cost-ratio", lambda: csm_cost_per_account(Decimal(100000), 0),
     InvalidValueError, "accounts_per_csm=0: is zero; rule: must be >= 1; instead: pass e.g. 50"),
    ("csm-cost-salary", lambda: csm_cost_per_account(Decimal(-1), 10),
     InvalidValueError, "csm_salary=Decimal('-1'): is negative; rule: must be >= 0; instead: pass an amount >= 0"),
    ("economics-acv", lambda: assess_economics(Decimal(0), 0.6),
     InvalidValueError,
     "acv=Decimal('0'): is not positive; rule: must be > 0; instead: pass the account's yearly revenue"),
    ("economics-ratio", lambda: assess_economics(Decimal(1000), 0.6, csm_salary=Decimal(100000), accounts_per_csm=0),
     InvalidValueError, "accounts_per_csm=0: is zero; rule: must be >= 1; instead: pass e.g. 50"),
    ("economics-margin", lambda: assess_economics(Decimal(1000), 1.6),
     InvalidValueError,
     "gross_margin=1.6: is outside [0, 1]; rule: a share is written as a fraction between 0 and 1; instead: write "
     "0.016 for 1.6 %"),
    ("economics-option", lambda: assess_economics(Decimal(1000), 0.6).option("hybrid"),
     InvalidValueError, "model='hybrid': has no economics option; rule: HIGH, LOW or TECH; instead: pass one"),
    ("model-for-ratio", lambda: model_for_ratio(1, config=5),
     InvalidTypeError, "config=5: expected TouchConfig, got int; instead: pass a postsale.touch.TouchConfig"),
    ("coverage-model", lambda: DEFAULT_CONFIG.coverage_for("hybrid"),
     UnknownNameError,
     "model=<TouchModel.HYBRID: 'hybrid'>: has no coverage; rule: one of HIGH, LOW, TECH; instead: HYBRID is a "
     "portfolio outcome: ask for the coverage of each tier's model"),
    ("growth-stage-for", lambda: growth_stage_for(-1),
     InvalidValueError, "customer_count=-1: is negative; rule: must be >= 0; instead: pass a count >= 0"),
    ("assignment-model", lambda: TierAssignment("a", "hybrid", D),
     InvalidValueError,
     "model='hybrid': is not a tier model; rule: an account's tier is HIGH, LOW or TECH (HYBRID describes a "
     "portfolio); instead: pass the account's own model"),
    ("assignment-since", lambda: TierAssignment("a", "high", "2026-03-02"),
     InvalidTypeError,
     "since='2026-03-02': expected a calendar date; instead: pass datetime.date(...) (use .date() on a datetime)"),
    ("migrate-current", lambda: migrate_tier("a", A, D),
     InvalidTypeError, "current='a': expected a TierAssignment; instead: TierAssignment(...)"),
    ("migrate-assessment", lambda: migrate_tier(TierAssignment("a", "high", D), "a", D),
     InvalidTypeError, "assessment='a': expected an Assessment; instead: use assess(...)"),
    ("migrate-as-of", lambda: migrate_tier(TierAssignment("a", "high", D), A, date(2026, 3, 1)),
     OutOfOrderError,
     "as_of=datetime.date(2026, 3, 1): is before the tier was entered; rule: must be on or after since=2026-03-02; "
     "instead: review with a later date"),
    ("migrate-as-of-type", lambda: migrate_tier(TierAssignment("a", "high", D), A, "2026-03-02"),
     InvalidTypeError,
     "as_of='2026-03-02': expected a calendar date; instead: pass datetime.date(...) (use .date() on a datetime)"),
    ("migrate-policy", lambda: migrate_tier(TierAssignment("a", "high", D), A, D, policy=5),
     InvalidTypeError,
     "policy=5: expected MigrationPolicy, got int; instead: pass a MigrationPolicy, or None for the default"),
    ("migrate-scorer", lambda: migrate_tier(TierAssignment("a", "high", D), A, D, scorer=5),
     InvalidTypeError,
     "scorer=5: expected Scorer, got int; instead: pass a Scorer, or None for the default configuration"),
    ("migrate-portfolio-twice",
     lambda: migrate_portfolio([TierAssignment("a", "high", D), TierAssignment("a", "low", D)], [A], D),
     InvalidValueError, "account_id='a': is assigned twice; instead: keep one"),
    ("migrate-portfolio-no-id", lambda: migrate_portfolio([TierAssignment("a", "high", D)], [assess(profile())], D),
     InvalidValueError, "profile.account_id: is missing; instead: give each profile its account_id"),
    ("migrate-portfolio-unknown", lambda: migrate_portfolio([TierAssignment("b", "high", D)], [A], D),
     UnknownNameError, "account_id='a': has no tier assignment; instead: add a TierAssignment for it"),
    ("pilot-share", lambda: pilot_plan(PLAN, share=0.6),
     InvalidValueError,
     "share=0.6: is outside (0, 0.5]; rule: a pilot and a control group of the same size must fit in the accounts; "
     "instead: pass 0.2 to 0.3, the 20-30 % the roadmap recommends"),
    ("pilot-weeks", lambda: pilot_plan(PLAN, weeks=0),
     InvalidValueError, "weeks=0: is zero; rule: must be >= 1; instead: pass e.g. 8"),
    ("pilot-twice", lambda: pilot_plan(["a", "a"]),
     InvalidValueError, "accounts[1]='a': appears twice; instead: list it once"),
    ("pilot-few", lambda: pilot_plan(["a"]),
     InvalidValueError,
     "accounts=1: has fewer than two accounts; rule: a pilot needs a control group to compare with; instead: pass "
     "the accounts of the whole base"),
    ("pilot-item", lambda: pilot_plan(["a", 5]),
     InvalidTypeError,
     "accounts[1]=5: is not an account; instead: pass a PortfolioPlan, or its accounts, account snapshots or account "
     "ids"),
    ("portfolio-empty", lambda: plan_portfolio([]),
     InvalidValueError, "accounts: is empty; rule: a portfolio needs at least one account; instead: pass accounts"),
    ("portfolio-item", lambda: plan_portfolio([5]),
     InvalidTypeError,
     "accounts[0]=5: is not a BusinessProfile or AccountSnapshot; instead: pass profiles (or snapshots with base=...)"),
    ("portfolio-snapshot", lambda: plan_portfolio([AccountSnapshot("a", "SMB", D, acv=1000)]),
     InvalidValueError,
     "accounts[0]='a': is an AccountSnapshot but no base profile was given; rule: snapshots only carry ACV and "
     "segment; instead: pass base=BusinessProfile(...) with the company-wide factors"),
    ("portfolio-twice", lambda: plan_portfolio([profile(account_id="a"), profile(account_id="a")]),
     InvalidValueError, "account_id='a': appears twice; instead: give each account one profile"),
    ("portfolio-ratio", lambda: plan_portfolio([P], accounts_per_csm=0),
     InvalidValueError,
     "accounts_per_csm=0: is zero; rule: must be >= 1 (accounts per CSM, the N of 1:N); instead: pass the number of "
     "accounts one CSM covers, e.g. 50"),
    ("portfolio-ratio-model", lambda: plan_portfolio([P], accounts_per_csm={"hybrid": 10}),
     UnknownNameError,
     "accounts_per_csm='hybrid': has no ratio of its own; rule: one of HIGH, LOW, TECH; instead: give the ratio of "
     "each tier's model"),
    ("portfolio-base", lambda: plan_portfolio([P], base=5),
     InvalidTypeError,
     "base=5: expected BusinessProfile, got int; instead: pass the company-wide BusinessProfile(...)"),
    ("project-plan", lambda: project_staffing("plan", 0.1),
     InvalidTypeError, "plan='plan': expected a PortfolioPlan; instead: use plan_portfolio(...)"),
    ("project-growth-low", lambda: project_staffing(PLAN, -1),
     InvalidValueError,
     "annual_growth=-1: is -100 % or less; rule: must be > -1 and <= 10 (0.5 = +50 % a year); instead: pass the "
     "yearly growth as a fraction"),
    ("project-growth-high", lambda: project_staffing(PLAN, 11),
     InvalidValueError,
     "annual_growth=11: is beyond +1 000 % a year; rule: must be > -1 and <= 10 (0.5 = +50 % a year); instead: pass "
     "the yearly growth as a fraction"),
    ("project-horizon", lambda: project_staffing(PLAN, 0.1, horizons=[0]),
     InvalidValueError, "horizons[0]=0: is out of range; rule: 1 <= months <= 120; instead: e.g. 12"),
    ("project-multiple", lambda: project_staffing(PLAN, 0.1, multiples=[0]),
     InvalidValueError, "multiples[0]=0: is out of range; rule: 0 < multiple <= 1000; instead: e.g. 2.0"),
    ("project-hires", lambda: project_staffing(PLAN, 0.1, hires_per_month=-1),
     InvalidValueError, "hires_per_month=-1: is negative; rule: must be >= 0; instead: pass a value >= 0"),
    ("score-total", lambda: Scorer().model_for_total(100),
     InvalidValueError,
     "total=100: is outside the possible totals; rule: must be a whole number in 6-30; instead: sum the factor "
     "points (1-5 each)"),
    ("account-table", lambda: Scorer().account_table("acme"),
     InvalidTypeError,
     "company='acme': expected a BusinessProfile; instead: pass the vendor's own postsale.touch.BusinessProfile"),
    ("profile-for-account", lambda: P.for_account("acme"),
     InvalidTypeError, "snapshot='acme': expected an AccountSnapshot; instead: pass postsale.AccountSnapshot"),
    ("config-falling", lambda: attrs.evolve(DEFAULT_CONFIG, complexity_points=FALLING),
     DefinitionError,
     "invalid touch configuration (1 problem(s)):\n  - points must not fall from LOW to HIGH, got [5, 4, 3, 2, 1] @ "
     "$.complexity_points\ninstead: fix every listed field; bands start at 0 and meet edge to edge, points are 1-5"),
    ("config-names", lambda: attrs.evolve(DEFAULT_CONFIG, segment_points={"ENTERPRISE": 6}),
     DefinitionError,
     "invalid touch configuration (2 problem(s)):\n  - points missing for ENTERPRISE, MID_MARKET, SMB, PRODUCT_LED @ "
     "$.segment_points\n  - unknown key 'ENTERPRISE'; use one of ENTERPRISE, MID_MARKET, SMB, PRODUCT_LED @ "
     "$.segment_points['ENTERPRISE']\ninstead: fix every listed field; bands start at 0 and meet edge to edge, "
     "points are 1-5"),
    ("config-bands",
     lambda: attrs.evolve(DEFAULT_CONFIG, margin_bands=BROKEN_MARGIN_BANDS),
     DefinitionError,
     "invalid touch configuration (7 problem(s)):\n  - the first band must start at 0, got 0.1 @ "
     "$.margin_bands[0].lower\n  - leaves a gap after the band before it (0.5 to 0.6) @ $.margin_bands[1].lower\n  - "
     "must be above lower=0.6, got 0.4 @ $.margin_bands[1].upper\n  - leaves a gap after the band before it (0.4 to "
     "0.7) @ $.margin_bands[2].lower\n  - band edges must lie in [0, 1.0] (a share, 0.7 = 70 %) @ "
     "$.margin_bands[2].upper\n  - the last band must be open (upper=None), got 1.2 @ $.margin_bands[2].upper\n  - "
     "points must be a whole number from 1 to 5, got 6 @ $.margin_bands[2].points\ninstead: fix every listed field; "
     "bands start at 0 and meet edge to edge, points are 1-5"),
    ("config-acv-empty", lambda: attrs.evolve(DEFAULT_CONFIG, acv_bands=[]),
     DefinitionError,
     "invalid touch configuration (1 problem(s)):\n  - needs at least one band @ $.acv_bands\ninstead: fix every "
     "listed field; bands start at 0 and meet edge to edge, points are 1-5"),
    ("config-models",
     lambda: attrs.evolve(DEFAULT_CONFIG, model_bands=BROKEN_MODEL_BANDS),
     DefinitionError,
     "invalid touch configuration (6 problem(s)):\n  - must be HIGH, LOW or TECH (HYBRID is a portfolio outcome), "
     "got 'tech' @ $.model_bands[0].model\n  - must be HIGH, LOW or TECH (HYBRID is a portfolio outcome), got 'low' "
     "@ $.model_bands[1].model\n  - must be >= lower=12, got 11 @ $.model_bands[1].upper\n  - leaves a gap after the "
     "band before it (totals 11-11 have no model) @ $.model_bands[1].lower\n  - must be HIGH, LOW or TECH (HYBRID is "
     "a portfolio outcome), got 'high' @ $.model_bands[2].model\n  - leaves a gap after the band before it (totals "
     "12-19 have no model) @ $.model_bands[2].lower\ninstead: fix every listed field; bands start at 0 and meet edge "
     "to edge, points are 1-5"),
    ("config-coverage",
     lambda: attrs.evolve(DEFAULT_CONFIG, coverage=[BROKEN_COVERAGE]),
     DefinitionError,
     "invalid touch configuration (7 problem(s)):\n  - needs exactly one entry for TECH, found 0 @ $.coverage\n  - "
     "needs exactly one entry for LOW, found 0 @ $.coverage\n  - needs exactly one entry for HIGH, found 0 @ "
     "$.coverage\n  - must be HIGH, LOW or TECH, got 'high' @ $.coverage[0].model\n  - must be a whole number >= 1, "
     "got 0 @ $.coverage[0].accounts_per_csm\n  - money must be >= 0, got -1 @ $.coverage[0].csm_salary\n  - must be "
     ">= spend_from=8000, got 7000 @ $.coverage[0].spend_to\ninstead: fix every listed field; bands start at 0 and "
     "meet edge to edge, points are 1-5"),
    ("config-healthy", lambda: attrs.evolve(DEFAULT_CONFIG, healthy_from=0.3, healthy_to=0.2),
     DefinitionError,
     "invalid touch configuration (1 problem(s)):\n  - must be <= healthy_to=0.2, got 0.3 @ $.healthy_from\ninstead: "
     "fix every listed field; bands start at 0 and meet edge to edge, points are 1-5"),
    ("config-share", lambda: attrs.evolve(DEFAULT_CONFIG, cs_budget_share=1.5),
     DefinitionError,
     "invalid touch configuration (1 problem(s)):\n  - a share is a fraction in [0, 1] (0.1 = 10 %), got 1.5 @ "
     "$.cs_budget_share\ninstead: fix every listed field; bands start at 0 and meet edge to edge, points are 1-5"),
    ("config-stages-back",
     lambda: attrs.evolve(DEFAULT_CONFIG, stage_bands=BACKWARD_STAGES),
     DefinitionError,
     "invalid touch configuration (1 problem(s)):\n  - stages must not go back as the customer count rises @ "
     "$.stage_bands\ninstead: fix every listed field; bands start at 0 and meet edge to edge, points are 1-5"),
    ("config-coverage-type", lambda: attrs.evolve(DEFAULT_CONFIG, coverage=5),
     InvalidTypeError,
     "coverage=5: expected a collection, got int; instead: pass a list or tuple (an empty one is fine)"),
    ("config-stage-points-type", lambda: attrs.evolve(DEFAULT_CONFIG, stage_points=5),
     InvalidTypeError, "stage_points=5: expected Mapping, got int; instead: pass a mapping for stage_points"),
    ("assessment-score", lambda: attrs.evolve(A, score=5),
     InvalidTypeError, "score=5: expected TouchScore, got int; instead: pass a TouchScore"),
    ("assessment-bands", lambda: attrs.evolve(A, bands=[5]),
     InvalidTypeError, "bands[0]=5: expected FactorBand, got int; instead: pass a FactorBand"),
    ("factor-not-bands", lambda: NumericFactor("seats", [5]),
     DefinitionError,
     "invalid factor 'seats' (1 problem(s)):\n  - expected a PointsBand, got int @ $.bands[0]\ninstead: give "
     "PointsBand(lower, upper, points)"),
    ("tier-salary", lambda: attrs.evolve(PLAN.tiers[0], csm_salary=-1),
     InvalidValueError, "csm_salary=-1: is negative; rule: must be >= 0; instead: pass an amount >= 0"),
    ("tier-cs-cost", lambda: attrs.evolve(PLAN.tiers[0], cs_cost=-1),
     InvalidValueError, "cs_cost=-1: is negative; rule: must be >= 0; instead: pass an amount >= 0"),
    ("option-salary", lambda: attrs.evolve(assess_economics(Decimal(20000), 0.7).options[0], csm_salary=-1),
     InvalidValueError, "csm_salary=-1: is negative; rule: must be >= 0; instead: pass an amount >= 0"),
    ("cost-share-cs-cost", lambda: attrs.evolve(assess_cost_share(Decimal(1), Decimal(10)), cs_cost=-1),
     InvalidValueError, "cs_cost=-1: is negative; rule: must be >= 0; instead: pass an amount >= 0"),
    ("migration-from", lambda: attrs.evolve(MIGRATION, from_model="huge"),
     UnknownNameError,
     "from_model='huge': is not a TouchModel; rule: one of HIGH, LOW, TECH, HYBRID; instead: pass one of HIGH, LOW, "
     "TECH, HYBRID"),
    ("pilot-control-twice", lambda: attrs.evolve(PILOT, control=["x", "x"]),
     InvalidValueError, "control='x': names an account twice; instead: list each account once"),
    ("pilot-measures", lambda: attrs.evolve(PILOT, measures=[5]),
     InvalidTypeError, "measures[0]=5: expected str, got int; instead: pass a str"),
    ("pilot-strata", lambda: attrs.evolve(PILOT, strata={"low-touch": (1, 2)}),
     InvalidValueError,
     "strata['low-touch']=(1, 2): is not three counts; rule: (accounts, in the pilot, in the control group); "
     "instead: pass three whole numbers"),
    ("pilot-strata-type", lambda: attrs.evolve(PILOT, strata={"low-touch": "abc"}),
     InvalidTypeError,
     "strata['low-touch']='abc': expected a collection, got str; instead: pass a list or tuple (an empty one is fine)"),
    ("pilot-weeks-type", lambda: pilot_plan(PLAN, weeks="8"),
     InvalidTypeError, "weeks='8': expected a whole number; instead: pass an int"),
    ("config-ratio-rising",
     lambda: attrs.evolve(DEFAULT_CONFIG, ratio_bands=[PointsBand(0.0, 16.0, 1), PointsBand(16.0, None, 7)]),
     DefinitionError,
     "invalid touch configuration (2 problem(s)):\n  - points must not rise as the input rises (1 then 7) @ "
     "$.ratio_bands[1].points\n  - points must be a whole number from 1 to 5, got 7 @ "
     "$.ratio_bands[1].points\ninstead: fix every listed field; bands start at 0 and meet edge to edge, points are "
     "1-5"),
    ("config-employees", lambda: attrs.evolve(DEFAULT_CONFIG, employee_bands=OVERLAPPING_EMPLOYEES),
     DefinitionError,
     "invalid touch configuration (2 problem(s)):\n  - overlaps the band before it (starts at 50, it ends at 100) @ "
     "$.employee_bands[1].lower\n  - band edges must be int, got 1.5 and None @ $.employee_bands[2].lower\ninstead: "
     "fix every listed field; bands start at 0 and meet edge to edge, points are 1-5"),
    ("config-acv-type", lambda: attrs.evolve(DEFAULT_CONFIG, acv_bands=[AcvBand(0, 10, 1), AcvBand(10, None, 2)]),
     DefinitionError,
     "invalid touch configuration (1 problem(s)):\n  - band edges must be Decimal, got 0 and 10 @ "
     "$.acv_bands[0].lower\ninstead: fix every listed field; bands start at 0 and meet edge to edge, points are 1-5"),
    ("config-open-ended",
     lambda: attrs.evolve(DEFAULT_CONFIG, margin_bands=[PointsBand(0.0, None, 1), PointsBand(0.5, None, 3)]),
     DefinitionError,
     "invalid touch configuration (1 problem(s)):\n  - follows an open-ended band (only the last band may have "
     "upper=None) @ $.margin_bands[1].lower\ninstead: fix every listed field; bands start at 0 and meet edge to "
     "edge, points are 1-5"),
    ("config-edges", lambda: attrs.evolve(DEFAULT_CONFIG, margin_bands=[PointsBand(0.0, float("nan"), 1)]),
     DefinitionError,
     "invalid touch configuration (1 problem(s)):\n  - band edges must be finite numbers, got 0.0 and nan @ "
     "$.margin_bands[0].lower\ninstead: fix every listed field; bands start at 0 and meet edge to edge, points are "
     "1-5"),
    ("config-positioning",
     lambda: attrs.evolve(DEFAULT_CONFIG, positioning_points=dict(zip(Positioning, (1, 2, 3, 5, 4), strict=True))),
     DefinitionError,
     "invalid touch configuration (1 problem(s)):\n  - points must not fall from VALUE to PREMIUM, got [1, 2, 3, 5, "
     "4] @ $.positioning_points\ninstead: fix every listed field; bands start at 0 and meet edge to edge, points are "
     "1-5"),
    ("config-stage-points", lambda: attrs.evolve(DEFAULT_CONFIG, stage_points={GrowthStage.STARTUP: 9}),
     DefinitionError,
     "invalid touch configuration (2 problem(s)):\n  - points missing for EARLY_SCALE, GROWTH, AT_SCALE @ "
     "$.stage_points\n  - points must be a whole number from 1 to 5, got 9 @ $.stage_points[STARTUP]\ninstead: fix "
     "every listed field; bands start at 0 and meet edge to edge, points are 1-5"),
    ("config-models-order", lambda: attrs.evolve(DEFAULT_CONFIG, model_bands=LESS_INTENSE_MODELS),
     DefinitionError,
     "invalid touch configuration (2 problem(s)):\n  - overlaps the band before it (starts at 12, the previous one "
     "ends at 12) @ $.model_bands[1].lower\n  - a higher total must not give a less intense model (LOW then TECH) @ "
     "$.model_bands[1].model\ninstead: fix every listed field; bands start at 0 and meet edge to edge, points are 1-5"),
    ("config-models-type", lambda: attrs.evolve(DEFAULT_CONFIG, model_bands=[ModelBand(6.5, 12, TouchModel.LOW)]),
     DefinitionError,
     "invalid touch configuration (1 problem(s)):\n  - totals must be whole numbers, got 6.5 and 12 @ "
     "$.model_bands[0].lower\ninstead: fix every listed field; bands start at 0 and meet edge to edge, points are 1-5"),
    ("config-models-empty", lambda: attrs.evolve(DEFAULT_CONFIG, model_bands=[]),
     DefinitionError,
     "invalid touch configuration (1 problem(s)):\n  - needs at least one band @ $.model_bands\ninstead: fix every "
     "listed field; bands start at 0 and meet edge to edge, points are 1-5"),
    ("config-overrides",
     lambda: attrs.evolve(DEFAULT_CONFIG, overrides=BAD_OVERRIDES),
     DefinitionError,
     "invalid touch configuration (2 problem(s)):\n  - must be True or False, got 'no' @ "
     "$.overrides.economics_ceiling\n  - must be HIGH, LOW or TECH, got 'hybrid' @ "
     "$.overrides.enterprise_model\ninstead: fix every listed field; bands start at 0 and meet edge to edge, points "
     "are 1-5"),
    ("config-migration",
     lambda: attrs.evolve(DEFAULT_CONFIG, migration=BAD_MIGRATION),
     DefinitionError,
     "invalid touch configuration (2 problem(s)):\n  - must be a whole number >= 0, got -1 @ "
     "$.migration.margin_points\n  - must be a whole number >= 0, got 1.5 @ $.migration.commitment_months\ninstead: "
     "fix every listed field; bands start at 0 and meet edge to edge, points are 1-5"),
    ("config-coverage-order", lambda: attrs.evolve(DEFAULT_CONFIG, coverage=COVERAGE_OUT_OF_ORDER),
     DefinitionError,
     "invalid touch configuration (2 problem(s)):\n  - must be >= spend_from=9000, got 8000 @ "
     "$.coverage[0].spend_to\n  - ratio_from must fall as the model gets more intense (TECH 30 <= LOW 40) @ "
     "$.coverage\ninstead: fix every listed field; bands start at 0 and meet edge to edge, points are 1-5"),
    ("config-shares", lambda: attrs.evolve(DEFAULT_CONFIG, healthy_from=-0.1, healthy_to=float("nan")),
     DefinitionError,
     "invalid touch configuration (2 problem(s)):\n  - a share is a fraction in [0, 1] (0.1 = 10 %), got -0.1 @ "
     "$.healthy_from\n  - must be a finite number, got nan @ $.healthy_to\ninstead: fix every listed field; bands "
     "start at 0 and meet edge to edge, points are 1-5"),
    ("config-overrides-type", lambda: attrs.evolve(DEFAULT_CONFIG, overrides=5),
     DefinitionError,
     "invalid touch configuration (1 problem(s)):\n  - expected an OverrideSettings, got int @ $.overrides\ninstead: "
     "fix every listed field; bands start at 0 and meet edge to edge, points are 1-5"),
    ("config-segment-points-type", lambda: attrs.evolve(DEFAULT_CONFIG, segment_points=5),
     InvalidTypeError, "segment_points=5: expected Mapping, got int; instead: pass a mapping for segment_points"),
    ("config-stage-start", lambda: attrs.evolve(DEFAULT_CONFIG, stage_bands=[StageBand(5, None, GrowthStage.STARTUP)]),
     DefinitionError,
     "invalid touch configuration (1 problem(s)):\n  - the first band must start at 0, got 5 @ "
     "$.stage_bands[0].lower\ninstead: fix every listed field; bands start at 0 and meet edge to edge, points are 1-5"),
    ("config-two-unknown-keys", lambda: attrs.evolve(DEFAULT_CONFIG, segment_points={"A": 1, "B": 2, Segment.SMB: 9}),
     DefinitionError,
     "invalid touch configuration (4 problem(s)):\n  - points missing for ENTERPRISE, MID_MARKET, PRODUCT_LED @ "
     "$.segment_points\n  - unknown key 'A'; use one of ENTERPRISE, MID_MARKET, SMB, PRODUCT_LED @ "
     "$.segment_points['A']\n  - unknown key 'B'; use one of ENTERPRISE, MID_MARKET, SMB, PRODUCT_LED @ "
     "$.segment_points['B']\n  - points must be a whole number from 1 to 5, got 9 @ $.segment_points[SMB]\ninstead: "
     "fix every listed field; bands start at 0 and meet edge to edge, points are 1-5"),
    ("plan-tier-model", lambda: PLAN.tier("hybridx"),
     UnknownNameError,
     "model='hybridx': is not a TouchModel; rule: one of HIGH, LOW, TECH, HYBRID; instead: pass one of HIGH, LOW, "
     "TECH, HYBRID"),
    ("tier-staffing-cost", lambda: attrs.evolve(PLAN.tiers[0], staffing_cost=-1),
     InvalidValueError, "staffing_cost=-1: is negative; rule: must be >= 0; instead: pass an amount >= 0"),
    ("pilot-both-groups", lambda: attrs.evolve(PILOT, control=[PILOT.pilot[0]]),
     InvalidValueError,
     "control='c': puts an account in both groups; rule: the pilot and the control group are disjoint; instead: "
     "draw them with pilot_plan(...)"),
    ("economics-options", lambda: attrs.evolve(assess_economics(Decimal(20000), 0.7), options=[5]),
     InvalidTypeError, "options[0]=5: expected ModelOption, got int; instead: pass a ModelOption"),
    ("cost-share-vanishing-revenue", lambda: assess_cost_share(Decimal(1), Decimal("1E-999")),
     InvalidValueError,
     "revenue=Decimal('1E-999'): is too small for a share of the CS cost; rule: cs_cost / revenue must be a finite "
     "number; instead: pass the revenue in the unit of cs_cost"),
    ("projection-revenue", lambda: attrs.evolve(project_staffing(PLAN, 0.1).today.tiers[0], revenue=-1),
     InvalidValueError, "revenue=-1: is negative; rule: must be >= 0; instead: pass an amount >= 0"),
]


@pytest.mark.parametrize(("call", "error", "text"), [pytest.param(*case[1:], id=case[0]) for case in REFUSALS])
def test_a_touch_refusal_names_field_value_rule_and_hint(
    call: Callable[[], object], error: type[PostsaleError], text: str
) -> None:
    """Profiles, scorers, cost shares, economics, tier migrations, pilots, portfolios and projections refuse bad input
    with their exact words, as exactly this error class."""
    caught = refused(call)
    assert (type(caught), str(caught)) == (error, text)

