# ruff: noqa: E501 - the messages are pinned whole, as the user reads them
"""Mutation triage of the kpi context, second round (triage samples seed 21, 23 and 25, then the survivors of the
fresh seed-24 and seed-27 samples; docs/mutation.md): refusals pinned whole (class, field, every word), and every
converter and validator naming its own attribute and showing the value (the sweeps of
tests/_sweeps.py). The figures and sentences are in test_mutants_3.py."""

from __future__ import annotations

from datetime import date

import pytest

import postsale.kpi
from postsale.kpi import (
    DEFAULT_MATURITY_MODEL,
    AccountEngagement,
    Csat,
    CsatScale,
    ExpansionBenchmark,
    ExpansionOpportunity,
    JourneyNps,
    NetPromoterScore,
    RetentionDefinition,
    RetentionReport,
    RetentionScenario,
    RevenueLedger,
    RevenueMovement,
    RoiCost,
    RoiTarget,
    ScenarioCohort,
    SelfAssessment,
    TargetStatus,
    Utilisation,
    assess_roi,
    cohorts_by_segment,
    engagement_impact,
    expansion_pipeline,
    journey_nps,
    project,
    retention,
    retention_by_cohort,
    unit_economics,
)
from tests._sweeps import checked_fields, field_refused, refused

D = date(2026, 1, 1)


REFUSALS = {
    'unit_economics_without_margin': (
        lambda: unit_economics(acv=1000, cac=500, gross_margin=0, annual_churn=0.1),
        'InvalidValueError', 'gross_margin',
        'gross_margin=0: is zero; rule: must be in (0, 1]; instead: a customer with no gross margin never pays back its CAC',
    ),
    'target_status_of_a_word': (
        lambda: TargetStatus.of("x", 1, 2),
        'InvalidTypeError', 'value',
        "value='x': expected a number; instead: pass an int, float or Decimal (parse strings at the edge)",
    ),
    'target_status_low_a_word': (
        lambda: TargetStatus.of(1, "x", 2),
        'InvalidTypeError', 'low',
        "low='x': expected a number; instead: pass an int, float or Decimal (parse strings at the edge)",
    ),
    'engagement_more_answers_than_touches': (
        lambda: AccountEngagement("a", 3, responses=5),
        'InvalidValueError', 'responses',
        'responses=5: is larger than proactive_touches; rule: at most proactive_touches=3; instead: count only answers to the proactive touches of the period',
    ),
    'engagement_impact_csat_scale_wrong': (
        lambda: engagement_impact([AccountEngagement("a", 3)], csat_scale="x"),
        'InvalidTypeError', 'csat_scale',
        "csat_scale='x': expected CsatScale, got str; instead: pass a postsale.kpi.CsatScale",
    ),
    'ledger_of_something_else': (
        lambda: RevenueLedger([5]),
        'InvalidTypeError', 'movements[0]',
        'movements[0]=5: is not a RevenueMovement; instead: build RevenueMovement values',
    ),
    'ledger_revenue_of_an_unknown_account': (
        lambda: RevenueLedger([RevenueMovement("a", D, "NEW", 5)]).revenue_at("zz", D),
        'UnknownNameError', 'account_id',
        "account_id='zz': is not in the ledger; instead: pass one of ledger.accounts",
    ),
    'opportunity_open_with_a_close_date': (
        lambda: ExpansionOpportunity("a", D, 100, closed_on=D),
        'InvalidValueError', 'closed_on',
        'closed_on=datetime.date(2026, 1, 1): is set on an OPEN opportunity; rule: only WON or LOST opportunities have a close date; instead: set status WON or LOST',
    ),
    'opportunity_won_without_a_close_date': (
        lambda: ExpansionOpportunity("a", D, 100, status="WON"),
        'InvalidValueError', 'closed_on',
        'closed_on=None: is missing on a WON opportunity; rule: a closed opportunity has a close date; instead: pass closed_on=date(...)',
    ),
    'pipeline_benchmark_for_an_unknown_segment': (
        lambda: expansion_pipeline([], as_of=D, benchmarks={"XX": 5}),
        'UnknownNameError', 'benchmarks key',
        "benchmarks key='XX': is not a Segment; rule: one of ENTERPRISE, MID_MARKET, SMB, PRODUCT_LED; instead: pass one of ENTERPRISE, MID_MARKET, SMB, PRODUCT_LED",
    ),
    'retention_period_past_the_calendar': (
        lambda: RetentionDefinition().period_end(date(9999, 6, 1)),
        'InvalidValueError', 'start',
        'start=datetime.date(9999, 6, 1): leaves no room for the period; rule: the 12-month period must end by 9999-12-31; instead: pass the real start of the period',
    ),
    'retention_of_an_empty_cohort': (
        lambda: retention(RevenueLedger([RevenueMovement("a", D, "NEW", 5)]), start=date(2025, 1, 1)),
        'InvalidValueError', 'cohort',
        "cohort=0: is empty: no account had revenue at the start of the period; rule: a rate over an empty cohort is undefined (not 0); instead: pick a period start after the cohort's first revenue, or a non-empty cohort",
    ),
    'report_losing_more_than_the_start': (
        lambda: RetentionReport(RetentionDefinition(), date(2025, 1, 1), date(2026, 1, 1), 1, 0, 100, 60, 50, 0),
        'InvalidValueError', 'churned_revenue',
        "churned_revenue=Decimal('60'): plus contraction is larger than the starting revenue; rule: churned + contraction <= start_revenue=100; instead: an account cannot lose more than it had; net each account against its own start",
    ),
    'report_from_negative_expansion': (
        lambda: RetentionReport.from_amounts(period_start=D, start_revenue=100, churned=0, contraction=0, expansion=-1, accounts_at_start=1, accounts_churned=0),
        'InvalidValueError', 'expansion',
        'expansion=-1: is negative; rule: must be >= 0; instead: pass an amount >= 0',
    ),
    'project_years_as_text': (
        lambda: project(ScenarioCohort(10, 1000, 500), RetentionScenario("b", 0.9), years="3"),
        'InvalidValueError', 'years',
        "years='3': expected a whole number of years; instead: pass e.g. 3",
    ),
    'nps_confidence_of_one': (
        lambda: NetPromoterScore(1, 0, 0, confidence=1),
        'InvalidValueError', 'confidence',
        'confidence=1: is not a confidence level; rule: must be strictly between 0 and 1; instead: pass e.g. 0.95 for a 95 % interval',
    ),
    'nps_without_answers': (
        lambda: NetPromoterScore(0, 0, 0),
        'InvalidValueError', 'answers',
        'answers=0: is empty; rule: an NPS over no answers is undefined (not 0); instead: collect at least one answer',
    ),
    'utilisation_without_seats': (
        lambda: Utilisation(0, 0),
        'InvalidValueError', 'purchased',
        'purchased=0: is zero; rule: utilisation of no purchased seats is undefined (not 0); instead: leave accounts without seats out',
    ),
    'roi_benefit_wrong': (
        lambda: assess_roi("x", RoiCost(csm_salaries=1)),
        'InvalidTypeError', 'benefit',
        "benefit='x': is not a RoiBenefit; instead: build RoiBenefit(...)",
    ),
    'engagement_nps_answer_above_ten': (
        lambda: AccountEngagement("a", 3, nps=11),
        'InvalidValueError', 'nps',
        'nps=11: is outside 0-10; rule: an NPS answer is 0-10; instead: pass 0 to 10',
    ),
    'engagement_impact_engaged_from_negative': (
        lambda: engagement_impact([], engaged_from=-1),
        'InvalidValueError', 'engaged_from',
        'engaged_from=-1: is negative; rule: must be >= 0; instead: pass a count >= 0',
    ),
    'journey_nps_cohort_key_not_text': (
        lambda: JourneyNps(None, by_cohort={5: NetPromoterScore(1, 0, 0)}),
        'InvalidValueError', 'by_cohort key',
        'by_cohort key=5: must be a non-empty string; instead: pass a name or id',
    ),
    'journey_nps_cohort_not_a_score': (
        lambda: JourneyNps(None, by_cohort={"a": "x"}),
        'InvalidTypeError', "by_cohort['a']",
        "by_cohort['a']='x': expected NetPromoterScore, got str; instead: pass a NetPromoterScore",
    ),
    'maturity_classify_grr_not_a_number': (
        lambda: DEFAULT_MATURITY_MODEL.classify("x", 1),
        'InvalidTypeError', 'grr',
        "grr='x': expected a number; instead: pass an int, float or Decimal (parse strings at the edge)",
    ),
    'maturity_classify_nrr_not_a_number': (
        lambda: DEFAULT_MATURITY_MODEL.classify(1, "x"),
        'InvalidTypeError', 'nrr',
        "nrr='x': expected a number; instead: pass an int, float or Decimal (parse strings at the edge)",
    ),
    'benchmark_max_below_min': (
        lambda: ExpansionBenchmark(deal_min=10, deal_max=5),
        'InvalidValueError', 'deal_max',
        "deal_max=Decimal('5'): is below deal_min; rule: deal_min=10 <= deal_max; instead: swap the bounds, or pass None for an open-ended range",
    ),
    'pipeline_benchmark_not_a_benchmark': (
        lambda: expansion_pipeline([], as_of=D, benchmarks={"SMB": 5}),
        'InvalidTypeError', "benchmarks['SMB']",
        "benchmarks['SMB']=5: expected ExpansionBenchmark, got int; instead: pass an ExpansionBenchmark",
    ),
    'report_more_churned_accounts_than_the_cohort': (
        lambda: RetentionReport(RetentionDefinition(), date(2025, 1, 1), date(2026, 1, 1), 1, 2, 100, 0, 0, 0),
        'InvalidValueError', 'accounts_churned',
        'accounts_churned=2: is larger than the accounts at start; rule: must be <= accounts_at_start=1; instead: count only accounts of the starting cohort',
    ),
    'cohorts_by_segment_of_something_else': (
        lambda: cohorts_by_segment([5]),
        'InvalidTypeError', 'snapshots[0]',
        'snapshots[0]=5: is not an AccountSnapshot; instead: pass AccountSnapshot values',
    ),
    'roi_target_low_above_high': (
        lambda: RoiTarget(low_pct=600, high_pct=500),
        'DefinitionError', 'low_pct',
        'invalid ROI target (1 problem(s)):\n  - 600 is above high_pct=500 @ low_pct\ninstead: e.g. RoiTarget(low_pct=300, high_pct=500)',
    ),
    'engagement_bands_from_zero': (
        lambda: engagement_impact([], bands=(0, 4)),
        'InvalidValueError', 'bands',
        'bands=(0, 4): are not increasing positive numbers; rule: lower bounds of the bands above 0, strictly increasing; instead: pass e.g. (1, 4, 12)',
    ),
    'engagement_band_not_a_number': (
        lambda: engagement_impact([], bands=("x",)),
        'InvalidTypeError', 'bands[0]',
        "bands[0]='x': expected a whole number; instead: pass an int",
    ),
    'journey_nps_of_something_not_a_journey': (
        lambda: journey_nps({"a": 9}, journeys=[5]),
        'InvalidTypeError', 'journeys[0]',
        'journeys[0]=5: expected Journey, got int; instead: pass a Journey',
    ),
    'ledger_reactivation_of_an_active_account': (
        lambda: RevenueLedger([RevenueMovement("a", D, "NEW", 5), RevenueMovement("a", date(2026, 2, 1), "REACTIVATION", 5)]),
        'InvalidValueError', 'movements[1].kind',
        "movements[1].kind='REACTIVATION': account 'a' is active on 2026-02-01; rule: REACTIVATION only after a CHURN; instead: record an EXPANSION instead",
    ),
    'ledger_churn_of_part_of_the_revenue': (
        lambda: RevenueLedger([RevenueMovement("a", D, "NEW", 5), RevenueMovement("a", date(2026, 2, 1), "CHURN", 4)]),
        'InvalidValueError', 'movements[1].amount',
        "movements[1].amount=Decimal('4'): is different from account 'a''s revenue 5 on 2026-02-01; rule: a churn removes exactly the account's revenue; instead: fix the amount (a partial loss is a CONTRACTION)",
    ),
    'scenario_rate_not_a_number': (
        lambda: RetentionScenario("b", "x"),
        'InvalidTypeError', 'renewal_rate',
        "renewal_rate='x': expected a rate; instead: pass a float or Decimal fraction such as 0.95",
    ),
    'opportunity_closed_before_it_opened': (
        lambda: ExpansionOpportunity("a", date(2026, 2, 1), 100, status="WON", closed_on=D),
        'InvalidValueError', 'closed_on',
        'closed_on=datetime.date(2026, 1, 1): is before the opening; rule: on or after opened_on=2026-02-01; instead: check the dates',
    ),
    'retention_definition_unknown_basis': (
        lambda: RetentionDefinition(basis="XX"),
        'DefinitionError', 'basis',
        "invalid retention definition (1 problem(s)):\n  - basis='XX': is not a RevenueBasis; rule: one of ARR, MRR; instead: pass one of ARR, MRR @ basis\ninstead: fix every option listed",
    ),
    'retention_definition_unknown_policy': (
        lambda: RetentionDefinition(reactivations="XX"),
        'DefinitionError', 'reactivations',
        "invalid retention definition (1 problem(s)):\n  - reactivations='XX': is not a ReactivationPolicy; rule: one of EXCLUDE, WITHIN_PERIOD; instead: pass one of EXCLUDE, WITHIN_PERIOD @ reactivations\ninstead: fix every option listed",
    ),
    'ledger_revenue_on_something_not_a_date': (
        lambda: RevenueLedger([RevenueMovement("a", D, "NEW", 5)]).revenue_at("a", "x"),
        'InvalidTypeError', 'on',
        "on='x': expected a calendar date; instead: pass datetime.date(...) (use .date() on a datetime)",
    ),
    'self_assessment_of_an_unknown_question': (
        lambda: SelfAssessment().score({"zz": True}),
        'UnknownNameError', 'answers',
        "answers='zz': is not a question of the checklist; instead: use knows_grr_nrr, flags_risk_early, onboarding_criteria, knows_weekly_active, systematic_expansion, shows_roi, health_scores_flag",
    ),
    'retention_definition_of_something_else': (
        lambda: retention(RevenueLedger([RevenueMovement("a", D, "NEW", 5)]), start=date(2026, 6, 1), definition="x"),
        'InvalidTypeError', 'definition',
        "definition='str': is not a RetentionDefinition; instead: build RetentionDefinition(...)",
    ),
    'self_assessment_answers_not_a_mapping': (
        lambda: SelfAssessment().score(5),
        'InvalidTypeError', 'answers',
        'answers=5: expected Mapping, got int; instead: pass a mapping of question key to True / False',
    ),
    'self_assessment_with_questions_unanswered': (
        lambda: SelfAssessment().score({"knows_grr_nrr": True}),
        'InvalidValueError', 'answers',
        "answers=['flags_risk_early', 'onboarding_criteria', 'knows_weekly_active', 'systematic_expansion', 'shows_roi', 'health_scores_flag']: leaves question(s) unanswered; rule: every question needs a yes or a no; instead: answer False when you do not know: not knowing is the gap",
    ),
    'breakdown_unknown_cohort_of_two': (
        lambda: retention_by_cohort(RevenueLedger([RevenueMovement(i, date(2024, 1, 1), "NEW", 5) for i in "ab"]), start=date(2025, 1, 1), cohorts={"a": "x", "b": "y"}).cohort("zz"),
        'UnknownNameError', 'key',
        "key='zz': is not a cohort of this breakdown; instead: pass one of x, y",
    ),
    'project_a_cohort_of_something_else': (
        lambda: project("x", RetentionScenario("b", 0.9)),
        'InvalidTypeError', 'cohort',
        "cohort='x': is not a ScenarioCohort; instead: build ScenarioCohort(...)",
    ),
    'csat_more_satisfied_than_answers': (
        lambda: Csat(CsatScale(), 2, 3),
        'InvalidValueError', 'satisfied',
        'satisfied=3: is larger than the responses; rule: must be <= responses=2; instead: count each answer once',
    ),
}


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_each_refusal_names_its_field_and_says_what_to_do_word_for_word(name: str) -> None:
    call, kind, field, message = REFUSALS[name]
    error = refused(call)
    assert (type(error).__name__, error.field, str(error)) == (kind, field, message)


CONVERTED = checked_fields(postsale.kpi, "converter")
#: Validators that read the instance (a bound compared with another field) are checked with their class.
VALIDATED = [pair for pair in checked_fields(postsale.kpi, "validator") if pair != ("ExpansionBenchmark", "deal_max")]


@pytest.mark.parametrize(("cls", "field"), CONVERTED)
def test_every_converter_refuses_a_value_of_no_use_naming_its_own_attribute(cls: str, field: str) -> None:
    assert field_refused(postsale.kpi, cls, field, "converter") == (field, "shows the value")


@pytest.mark.parametrize(("cls", "field"), VALIDATED)
def test_every_validator_refuses_a_value_of_no_use_naming_its_own_attribute(cls: str, field: str) -> None:
    assert field_refused(postsale.kpi, cls, field, "validator") == (field, "shows the value")


def test_the_converters_swept_cover_the_money_rates_and_collections_of_the_context() -> None:
    assert len(CONVERTED) >= 80 and ("YearFigures", "nrr") in CONVERTED and ("LtvToCacTarget", "high") in CONVERTED
    assert len(VALIDATED) >= 70 and ("ExpansionPipeline", "won_typical_size") in VALIDATED
