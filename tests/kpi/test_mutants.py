# ruff: noqa: E501 - the messages are pinned whole, as the user reads them
"""Mutation triage of the kpi context (seed-14 sample, docs/mutation.md): each refusal pinned whole (its class,
its field and every word of its message), and the counts the survivors showed untested."""

from __future__ import annotations

from datetime import date

import pytest

from postsale.kpi import (
    AccountEngagement,
    AccountNrr,
    AssessmentQuestion,
    Csat,
    CsatScale,
    ExpansionPipeline,
    JourneyNps,
    LtvToCacTarget,
    MaturityBenchmark,
    MaturityModel,
    RetentionDefinition,
    RetentionReport,
    RetentionScenario,
    RevenueLedger,
    RevenueMovement,
    RoiBenefit,
    RoiCost,
    ScenarioCohort,
    SelfAssessment,
    SelfAssessmentResult,
    UpsellCrossSell,
    YearDifference,
    assess_maturity,
    assess_roi,
    engagement_impact,
    expansion_pipeline,
    journey_nps,
    project,
    retention,
    retention_by_cohort,
    unit_economics,
    utilisation,
)
from tests._sweeps import refused

REFUSALS = {
    'unit_economics_without_churn': (
        lambda: unit_economics(acv=1000, cac=500, gross_margin=0.8, annual_churn=0),
        'InvalidValueError', 'annual_churn',
        'annual_churn=0: is zero; rule: must be in (0, 1] (LTV is unbounded without churn); instead: pass the measured revenue churn, 1 − GRR, or a small floor such as 0.02',
    ),
    'roi_benefit_expansion_negative': (
        lambda: RoiBenefit(expansion=-1),
        'InvalidValueError', 'expansion',
        'expansion=-1: is negative; rule: must be >= 0; instead: pass an amount >= 0',
    ),
    'unit_economics_cs_cost_with_zero_acv': (
        lambda: unit_economics(acv=0, cac=500, gross_margin=0.8, annual_churn=0.1, cs_cost=100),
        'InvalidValueError', 'acv',
        'acv=0: is not positive; rule: must be > 0; instead: pass a positive amount',
    ),
    'ltv_to_cac_target_low_above_high': (
        lambda: LtvToCacTarget(low=6, high=3),
        'DefinitionError', 'low',
        'invalid LTV : CAC target (1 problem(s)):\n  - 6 is above high=3 @ low\ninstead: swap them',
    ),
    'account_nrr_period_end_not_after_start': (
        lambda: AccountNrr("a", date(2026, 1, 1), date(2026, 1, 1), 100, 100),
        'InvalidValueError', 'period_end',
        'period_end=datetime.date(2026, 1, 1): is not after period_start; rule: must be after 2026-01-01; instead: a period lasts at least one day',
    ),
    'engagement_responses_negative': (
        lambda: AccountEngagement("a", 3, responses=-1),
        'InvalidValueError', 'responses',
        'responses=-1: is negative; rule: must be >= 0; instead: pass a count >= 0',
    ),
    'engagement_health_outside_scale': (
        lambda: AccountEngagement("a", 3, health_start=101),
        'InvalidValueError', 'health_start',
        'health_start=101: is outside 0-100; rule: a health score is between 0 and 100; instead: pass the score on the 0-100 scale',
    ),
    'engagement_impact_ledger_without_start': (
        lambda: engagement_impact([AccountEngagement("a", 3)], ledger=RevenueLedger([RevenueMovement("a", date(2026, 1, 1), "NEW", 100)])),
        'InvalidValueError', 'start',
        'start=None: needs both a ledger and a start; instead: pass ledger=... and start=date(...) together, or neither',
    ),
    'engagement_impact_start_without_ledger': (
        lambda: engagement_impact([AccountEngagement("a", 3)], start=date(2026, 1, 1)),
        'InvalidValueError', 'ledger',
        'ledger=None: needs both a ledger and a start; instead: pass ledger=... and start=date(...) together, or neither',
    ),
    'journey_nps_overall_not_a_score': (
        lambda: JourneyNps(overall="x"),
        'InvalidTypeError', 'overall',
        "overall='x': expected NetPromoterScore, got str; instead: pass a NetPromoterScore",
    ),
    'journey_nps_answer_key_not_text': (
        lambda: journey_nps({5: 9}),
        'InvalidValueError', 'answers key',
        'answers key=5: must be a non-empty string; instead: pass a name or id',
    ),
    'movement_amount_negative': (
        lambda: RevenueMovement("a", date(2026, 1, 1), "NEW", -5),
        'InvalidValueError', 'amount',
        'amount=-5: is negative; rule: must be >= 0; instead: pass an amount >= 0',
    ),
    'movement_motion_on_new': (
        lambda: RevenueMovement("a", date(2026, 1, 1), "NEW", 5, motion="UPSELL"),
        'InvalidValueError', 'motion',
        "motion='UPSELL': is only meaningful for an EXPANSION; rule: kind is NEW; instead: leave motion UNSPECIFIED, or record the movement as an EXPANSION",
    ),
    'ledger_first_movement_not_new': (
        lambda: RevenueLedger([RevenueMovement("a", date(2026, 1, 1), "EXPANSION", 5)]),
        'InvalidValueError', 'movements[0].kind',
        "movements[0].kind='EXPANSION': is the first movement of account 'a' but is a EXPANSION; rule: an account's first movement is NEW; instead: record the account's starting revenue as a NEW movement dated before the period",
    ),
    'ledger_movement_after_churn': (
        lambda: RevenueLedger([RevenueMovement("a", date(2026, 1, 1), "NEW", 5), RevenueMovement("a", date(2026, 2, 1), "CHURN", 5), RevenueMovement("a", date(2026, 3, 1), "EXPANSION", 5)]),
        'InvalidValueError', 'movements[2].kind',
        "movements[2].kind='EXPANSION': account 'a' has no revenue on 2026-03-01 (it churned); rule: EXPANSION needs an active account; instead: record a REACTIVATION first",
    ),
    'ledger_churn_more_than_revenue': (
        lambda: RevenueLedger([RevenueMovement("a", date(2026, 1, 1), "NEW", 5), RevenueMovement("a", date(2026, 2, 1), "CONTRACTION", 9)]),
        'InvalidValueError', 'movements[1].amount',
        "movements[1].amount=Decimal('9'): is not smaller than account 'a''s revenue 5 on 2026-02-01; rule: a contraction leaves some revenue; instead: record losing the whole revenue as a CHURN",
    ),
    'maturity_nrr_negative': (
        lambda: assess_maturity(0.9, -1),
        'InvalidValueError', 'nrr',
        'nrr=-1: is out of range; rule: a rate must be in >= 0; instead: pass a fraction',
    ),
    'maturity_benchmark_stage_zero': (
        lambda: MaturityBenchmark(0, 0.7, 0.8, 0.7, 0.8),
        'UnknownNameError', 'stage',
        'stage=0: is not a MaturityStage; rule: one of REACTIVE_SUPPORT, BASIC_ACCOUNT_MANAGEMENT, STRUCTURED_CUSTOMER_SUCCESS, OPTIMISED_OPERATIONS, STRATEGIC_GROWTH_ENGINE; instead: pass one of REACTIVE_SUPPORT, BASIC_ACCOUNT_MANAGEMENT, STRUCTURED_CUSTOMER_SUCCESS, OPTIMISED_OPERATIONS, STRATEGIC_GROWTH_ENGINE',
    ),
    'maturity_model_empty': (
        lambda: MaturityModel(()),
        'DefinitionError', 'benchmarks',
        'invalid maturity model (1 problem(s)):\n  - stages [] must be exactly 1, 2, 3, 4, 5 @ benchmarks\ninstead: give five stages with rising lower bounds',
    ),
    'self_assessment_result_empty': (
        lambda: SelfAssessmentResult(()),
        'InvalidValueError', 'answers',
        'answers=(): is empty; rule: a scored checklist has at least one answer; instead: score a checklist with SelfAssessment.score(answers)',
    ),
    'self_assessment_duplicate_keys': (
        lambda: SelfAssessment((AssessmentQuestion("k", "q?", "x"), AssessmentQuestion("k", "q2?", "y"))),
        'DefinitionError', 'questions[1].key',
        "invalid self-assessment (1 problem(s)):\n  - 'k' is used twice @ questions[1].key\ninstead: give each question a unique key",
    ),
    'self_assessment_answer_not_bool': (
        lambda: SelfAssessment().score({"knows_grr_nrr": "yes"}),
        'InvalidTypeError', "answers['knows_grr_nrr']",
        "answers['knows_grr_nrr']='yes': expected yes (True) or no (False); instead: pass a bool",
    ),
    'pipeline_as_of_not_a_date': (
        lambda: expansion_pipeline([], as_of="2026-01-01"),
        'InvalidTypeError', 'as_of',
        "as_of='2026-01-01': expected a calendar date; instead: pass datetime.date(...) (use .date() on a datetime)",
    ),
    'pipeline_lost_value_negative': (
        lambda: ExpansionPipeline(date(2026, 1, 1), lost_value=-1),
        'InvalidValueError', 'lost_value',
        'lost_value=-1: is negative; rule: must be >= 0; instead: pass an amount >= 0',
    ),
    'pipeline_cycles_not_a_list': (
        lambda: ExpansionPipeline(date(2026, 1, 1), won_cycle_days=5),
        'InvalidTypeError', 'won_cycle_days',
        'won_cycle_days=5: expected a collection, got int; instead: pass a list or tuple (an empty one is fine)',
    ),
    'pipeline_won_typical_above_won': (
        lambda: ExpansionPipeline(date(2026, 1, 1), won_typical_size=3),
        'InvalidValueError', 'won_typical_size',
        'won_typical_size=3: is larger than won_count; rule: at most won_count=0; instead: count each opportunity once',
    ),
    'retention_definition_zero_months': (
        lambda: RetentionDefinition(period_months=0),
        'DefinitionError', 'period_months',
        'invalid retention definition (1 problem(s)):\n  - 0 must be a whole number of months in 1-120 @ period_months\ninstead: fix every option listed',
    ),
    'cohort_missing_accounts': (
        lambda: retention_by_cohort(RevenueLedger([RevenueMovement(i, date(2025, 1, 1), "NEW", 5) for i in "abcdefg"]), start=date(2025, 6, 1), cohorts={"a": "x"}),
        'UnknownNameError', 'cohorts',
        "cohorts: has no key for 6 account(s) of the starting cohort: 'b', 'c', 'd', 'e', 'f' ...; rule: every account with revenue at the start needs a cohort key; instead: add the accounts to the mapping (cohorts_by_label fills a default for missing labels)",
    ),
    'cohort_missing_few_accounts': (
        lambda: retention_by_cohort(RevenueLedger([RevenueMovement(i, date(2025, 1, 1), "NEW", 5) for i in "abc"]), start=date(2025, 6, 1), cohorts={"a": "x"}),
        'UnknownNameError', 'cohorts',
        "cohorts: has no key for 2 account(s) of the starting cohort: 'b', 'c'; rule: every account with revenue at the start needs a cohort key; instead: add the accounts to the mapping (cohorts_by_label fills a default for missing labels)",
    ),
    'project_scenario_wrong': (
        lambda: project(ScenarioCohort(10, 1000, 500), "x"),
        'InvalidTypeError', 'scenario',
        "scenario='x': is not a RetentionScenario; instead: build RetentionScenario(...)",
    ),
    'projection_year_out_of_range': (
        lambda: project(ScenarioCohort(10, 1000, 500), RetentionScenario("b", 0.9)).year(5),
        'InvalidValueError', 'n',
        'n=5: is not a projected year; rule: 1 <= n <= 1',
    ),
    'scenario_cohort_zero_customers': (
        lambda: ScenarioCohort(0, 1000, 500),
        'InvalidValueError', 'customers',
        'customers=0: is zero; rule: a cohort has at least one customer; instead: pass the number of customers acquired',
    ),
    'scenario_renewal_rate_out_of_range': (
        lambda: RetentionScenario("b", 1.5),
        'InvalidValueError', 'renewal_rate',
        'renewal_rate=1.5: is out of range; rule: a rate must be in [0, 1]; instead: write 0.015 for 1.5 %',
    ),
    'pipeline_won_typical_negative': (
        lambda: ExpansionPipeline(date(2026, 1, 1), won_typical_size=-1),
        'InvalidValueError', 'won_typical_size',
        'won_typical_size=-1: is negative; rule: must be >= 0; instead: pass a count >= 0',
    ),
    'survey_answer_outside_scale': (
        lambda: journey_nps({"a": 11}),
        'InvalidValueError', "answers['a']",
        "answers['a']=11: is outside the answer scale; rule: answers are whole numbers from 0 to 10; instead: drop or correct the answer",
    ),
    'unit_economics_margin_above_one': (
        lambda: unit_economics(acv=1000, cac=500, gross_margin=1.5, annual_churn=0.1),
        'InvalidValueError', 'gross_margin',
        'gross_margin=1.5: is out of range; rule: a rate must be in [0, 1]; instead: write 0.015 for 1.5 %',
    ),
    'assess_roi_cost_wrong': (
        lambda: assess_roi(RoiBenefit(), "x"),
        'InvalidTypeError', 'cost',
        "cost='x': is not a RoiCost; instead: build RoiCost(...)",
    ),
    'assess_roi_cost_zero': (
        lambda: assess_roi(RoiBenefit(expansion=10), RoiCost()),
        'InvalidValueError', 'cost',
        "cost='0': totals zero; rule: the cost of a program must be > 0 (ROI divides by it); instead: include salaries, technology, content and program management",
    ),
    'engagement_impact_not_a_collection': (
        lambda: engagement_impact(5),
        'InvalidTypeError', 'engagement',
        'engagement=5: expected a collection, got int; instead: pass a list or tuple (an empty one is fine)',
    ),
    'engagement_impact_duplicate_account': (
        lambda: engagement_impact([AccountEngagement("a", 3), AccountEngagement("a", 2)]),
        'InvalidValueError', 'engagement[1].account_id',
        "engagement[1].account_id='a': is given twice; rule: one record per account; instead: merge the account's touches into one record",
    ),
    'ledger_new_twice': (
        lambda: RevenueLedger([RevenueMovement("a", date(2026, 1, 1), "NEW", 5), RevenueMovement("a", date(2026, 2, 1), "NEW", 5)]),
        'InvalidValueError', 'movements[1].kind',
        "movements[1].kind='NEW': account 'a' already has revenue history; rule: NEW only once per account; instead: record a REACTIVATION after a churn, or an EXPANSION",
    ),
    'self_assessment_without_questions': (
        lambda: SelfAssessment(()),
        'DefinitionError', 'questions',
        'invalid self-assessment (1 problem(s)):\n  - the checklist has no question @ questions\ninstead: give each question a unique key',
    ),
    'scenario_cohort_negative_acv': (
        lambda: ScenarioCohort(10, -1, 500),
        'InvalidValueError', 'acv',
        'acv=-1: is negative; rule: must be >= 0; instead: pass an amount >= 0',
    ),
    'pipeline_since_after_as_of': (
        lambda: expansion_pipeline([], as_of=date(2026, 1, 1), since=date(2026, 2, 1)),
        'InvalidValueError', 'since',
        'since=datetime.date(2026, 2, 1): is after as_of; rule: on or before 2026-01-01; instead: count closed opportunities from an earlier day',
    ),
    'report_new_business_negative': (
        lambda: RetentionReport(RetentionDefinition(), date(2025, 1, 1), date(2026, 1, 1), 1, 0, 100, 0, 0, 0, new_business_revenue=-1),
        'InvalidValueError', 'new_business_revenue',
        'new_business_revenue=-1: is negative; rule: must be >= 0; instead: pass an amount >= 0',
    ),
    'report_period_end_not_after_start': (
        lambda: RetentionReport(RetentionDefinition(), date(2025, 1, 1), date(2025, 1, 1), 1, 0, 100, 0, 0, 0),
        'InvalidValueError', 'period_end',
        'period_end=datetime.date(2025, 1, 1): is not after period_start; rule: must be after 2025-01-01; instead: a period lasts at least one day',
    ),
    'retention_ledger_wrong': (
        lambda: retention("x", start=date(2025, 1, 1)),
        'InvalidTypeError', 'ledger',
        "ledger='str': is not a RevenueLedger; instead: build RevenueLedger(movements)",
    ),
    'retention_accounts_one_string': (
        lambda: retention(RevenueLedger([RevenueMovement("a", date(2024, 1, 1), "NEW", 5)]), start=date(2025, 1, 1), accounts="acme"),
        'InvalidTypeError', 'accounts',
        "accounts='acme': is a single string; instead: pass a collection of ids, e.g. {'acme'}",
    ),
    'retention_accounts_not_text': (
        lambda: retention(RevenueLedger([RevenueMovement("a", date(2024, 1, 1), "NEW", 5)]), start=date(2025, 1, 1), accounts=[5]),
        'InvalidTypeError', 'accounts[0]',
        'accounts[0]=5: expected str, got int; instead: pass a str',
    ),
    'breakdown_unknown_cohort': (
        lambda: retention_by_cohort(RevenueLedger([RevenueMovement("a", date(2024, 1, 1), "NEW", 5)]), start=date(2025, 1, 1), cohorts={"a": "x"}).cohort("zz"),
        'UnknownNameError', 'key',
        "key='zz': is not a cohort of this breakdown; instead: pass one of x",
    ),
    'project_zero_years': (
        lambda: project(ScenarioCohort(10, 1000, 500), RetentionScenario("b", 0.9), years=0),
        'InvalidValueError', 'years',
        'years=0: is out of range; rule: 1 <= years <= 100; instead: pass e.g. 3',
    ),
    'survey_answer_not_a_number': (
        lambda: journey_nps({"a": "9"}),
        'InvalidTypeError', "answers['a']",
        "answers['a']='9': expected a whole-number answer; instead: pass an int",
    ),
    'csat_without_answers': (
        lambda: Csat(CsatScale(), 0, 0),
        'InvalidValueError', 'answers',
        'answers=0: is empty; rule: a CSAT over no answers is undefined (not 0); instead: collect at least one answer',
    ),
    'upsell_more_accounts_than_the_cohort': (
        lambda: UpsellCrossSell(100, 1, 0, 0, 0, 2, 0, 2),
        'InvalidValueError', 'accounts_upsold',
        'accounts_upsold=2: is larger than the accounts at start; rule: must be <= accounts_at_start=1; instead: count only accounts of the starting cohort',
    ),
    'utilisation_not_snapshots': (
        lambda: utilisation([5]),
        'InvalidTypeError', 'snapshots[0]',
        'snapshots[0]=5: is not an AccountSnapshot; instead: pass AccountSnapshot values; for counts build Utilisation(active, purchased)',
    ),
    'year_difference_not_a_number': (
        lambda: YearDifference(1, "x", 0, 0, 0),
        'InvalidTypeError', 'baseline_revenue',
        "baseline_revenue='x': expected a number; instead: pass a Decimal, int or float",
    ),
    'year_difference_cumulative_not_a_number': (
        lambda: YearDifference(1, 0, 0, 0, "x"),
        'InvalidTypeError', 'cumulative',
        "cumulative='x': expected a number; instead: pass a Decimal, int or float",
    ),
}


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_each_refusal_names_its_field_and_says_what_to_do_word_for_word(name: str) -> None:
    call, kind, field, message = REFUSALS[name]
    error = refused(call)
    assert (type(error).__name__, error.field, str(error)) == (kind, field, message)



def test_only_accounts_with_a_cross_sell_or_an_expansion_count_as_cross_sold_or_expanded() -> None:
    """An account with an upsell only is not cross-sold; an unlabelled expansion of 0.50 expands its account."""
    from postsale.kpi import upsell_cross_sell

    day = date(2025, 1, 1)
    ledger = RevenueLedger([
        RevenueMovement("up", day, "NEW", 100), RevenueMovement("up", date(2025, 3, 1), "EXPANSION", 10, motion="UPSELL"),
        RevenueMovement("cross", day, "NEW", 100),
        RevenueMovement("cross", date(2025, 3, 1), "EXPANSION", 10, motion="CROSS_SELL"),
        RevenueMovement("small", day, "NEW", 100), RevenueMovement("small", date(2025, 3, 1), "EXPANSION", "0.50"),
        RevenueMovement("flat", day, "NEW", 100),
    ])
    found = upsell_cross_sell(ledger, start=date(2025, 2, 1))
    assert (found.accounts_upsold, found.accounts_cross_sold, found.accounts_expanded) == (1, 1, 3)


def test_the_open_pipeline_adds_every_open_deal_and_explains_the_average_won_deal() -> None:
    from postsale.kpi import ExpansionOpportunity

    day = date(2026, 6, 1)
    deals = [ExpansionOpportunity("a", date(2026, 5, 1), 1000), ExpansionOpportunity("b", date(2026, 5, 2), 2500),
             ExpansionOpportunity("c", date(2026, 3, 1), "1000.005", status="WON", closed_on=date(2026, 4, 1))]
    pipeline = expansion_pipeline(deals, as_of=day)
    assert pipeline.open_count == 2 and pipeline.open_value == 3500
    assert "Average won deal 1,000; median sales cycle 31 days (mean 31.0)." in pipeline.explain()


def test_reactivated_revenue_adds_every_reactivation_in_the_period() -> None:
    from postsale.kpi import ReactivationPolicy, retention

    ledger = RevenueLedger([
        RevenueMovement("a", date(2024, 1, 1), "NEW", 100), RevenueMovement("a", date(2024, 6, 1), "CHURN", 100),
        RevenueMovement("b", date(2024, 1, 1), "NEW", 50), RevenueMovement("b", date(2024, 6, 1), "CHURN", 50),
        RevenueMovement("a", date(2025, 3, 1), "REACTIVATION", 70),
        RevenueMovement("b", date(2025, 4, 1), "REACTIVATION", 40),
        RevenueMovement("c", date(2024, 1, 1), "NEW", 10),
    ])
    report = retention(ledger, start=date(2025, 1, 1),
                       definition=RetentionDefinition(reactivations=ReactivationPolicy.WITHIN_PERIOD))
    assert report.reactivated_revenue == 110


def test_the_pipeline_explains_one_opportunity_its_benchmark_and_the_won_share_by_value() -> None:
    from postsale.kpi import ExpansionOpportunity

    deals = [ExpansionOpportunity("a", date(2026, 5, 1), 60000, segment="ENTERPRISE"),
             ExpansionOpportunity("w", date(2026, 1, 1), 2000, status="WON", closed_on=date(2026, 2, 1),
                                  segment="ENTERPRISE"),
             ExpansionOpportunity("l", date(2026, 1, 1), 1000, status="LOST", closed_on=date(2026, 2, 1),
                                  segment="ENTERPRISE")]
    assert expansion_pipeline(deals, as_of=date(2026, 6, 1), segment="ENTERPRISE").explain() == [
        "Open ENTERPRISE expansion pipeline on 2026-06-01: 1 opportunity worth 60,000.",
        "Closed: 1 won (2,000), 1 lost (1,000); close rate 50% by count.",
        "Average won deal 2,000; median sales cycle 31 days (mean 31.0).",
        "Benchmark: deals 50,000 and more, typical cycle 6 month(s) to 12 month(s).",
        "0 of 1 won deal(s) in the typical size range.",
        "1 of 1 won deal(s) closed within the typical cycle.",
        "By value, 67 % of the closed pipeline was won.",
    ]


def test_a_small_survey_says_it_is_indicative_and_a_report_names_its_basis() -> None:
    from postsale.kpi import NetPromoterScore

    assert NetPromoterScore(5, 3, 2).explain()[1] == (
        "95% confidence interval -18.4 to +78.4 (fewer than 30 answers: indicative only).")
    ledger = RevenueLedger([RevenueMovement("a", date(2024, 1, 1), "NEW", 100)])
    assert retention(ledger, start=date(2025, 1, 1)).explain()[0] == (
        "Cohort: 1 account(s) with 100 ARR on 2025-01-01; period to 2026-01-01 (exclusive), ARR over 12 month(s); "
        "reactivations EXCLUDE.")
