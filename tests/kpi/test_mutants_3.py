# ruff: noqa: E501 - the sentences are pinned whole, as the user reads them
"""Mutation triage of the kpi context, second round, continued (test_mutants_2.py holds the refusals and the
sweeps): the figures, boundaries and sentences the survivors showed untested, and the private helpers the public
API reaches only at extremes or only at import."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import attrs
import pytest

from postsale import PostsaleError
from postsale.kpi import (
    AccountEngagement,
    ExpansionBenchmark,
    ExpansionOpportunity,
    ExpansionPipeline,
    RetentionDefinition,
    RetentionReport,
    RetentionScenario,
    RevenueLedger,
    RevenueMovement,
    RoiTarget,
    ScenarioCohort,
    compare_scenarios,
    engagement_impact,
    expansion_pipeline,
    journey_nps,
    retention,
    upsell_cross_sell,
)

D = date(2026, 1, 1)


def test_engagement_groups_explain_retention_by_participation_and_by_frequency() -> None:
    ledger = RevenueLedger([
        RevenueMovement("a", date(2024, 1, 1), "NEW", 100), RevenueMovement("b", date(2024, 1, 1), "NEW", 100),
        RevenueMovement("a", date(2025, 3, 1), "EXPANSION", 10), RevenueMovement("b", date(2025, 3, 1), "CHURN", 100),
    ])
    impact = engagement_impact([AccountEngagement("a", 3, responses=2), AccountEngagement("b", 0)],
                               ledger=ledger, start=date(2025, 1, 1))
    assert impact.explain() == [
        'engaged: 1 account(s); GRR 100.00 %, NRR 110.00 %, logo retention 100.00 %, expansion 10.00 %.',
        'not engaged: 1 account(s); GRR 0.00 %, NRR 0.00 %, logo retention 0.00 %, expansion 0.00 %.',
        '0 touches: 1 account(s); GRR 0.00 %, NRR 0.00 %, logo retention 0.00 %, expansion 0.00 %.',
        '1-3 touches: 1 account(s); GRR 100.00 %, NRR 110.00 %, logo retention 100.00 %, expansion 10.00 %.',
        '4-11 touches: 0 account(s).',
        '12+ touches: 0 account(s).',
        'Correlation between proactive touches and account expansion: r = +1.00 over 2 account(s).',
        'Engaged customers may have been healthier to begin with: read these as correlations, not proof that the touches caused the difference.',
    ]


def test_an_mrr_report_annualised_multiplies_every_amount_by_twelve() -> None:
    mrr = RetentionReport(RetentionDefinition(basis="MRR"), date(2025, 1, 1), date(2026, 1, 1), 1, 0, 100, 4, 1, 3,
                          new_business_revenue=5, reactivated_revenue=2)
    arr = mrr.annualised()
    assert (arr.definition, arr.start_revenue, arr.churned_revenue, arr.contraction_revenue, arr.expansion_revenue,
            arr.new_business_revenue, arr.reactivated_revenue) == (RetentionDefinition(), 1200, 48, 12, 36, 60, 24)


def test_unlabelled_expansions_add_up_apart_from_upsells() -> None:
    ledger = RevenueLedger([
        RevenueMovement("a", date(2024, 1, 1), "NEW", 100), RevenueMovement("a", date(2025, 2, 1), "EXPANSION", 10),
        RevenueMovement("a", date(2025, 3, 1), "EXPANSION", 5),
        RevenueMovement("a", date(2025, 4, 1), "EXPANSION", 7, motion="UPSELL"),
    ])
    found = upsell_cross_sell(ledger, start=date(2025, 1, 1))
    assert (found.upsell_revenue, found.cross_sell_revenue, found.other_expansion_revenue) == (7, 0, 15)
    assert retention(ledger, start=date(2025, 1, 1)).explain()[-3:] == [
        'GRR is above the 90-95 % benchmark.',
        'NRR above 100 %: revenue from existing customers grows faster than it is lost and at or above the 120 % that earns a premium valuation.',
        'NRR is within the 120 %-130 % of a systematic expansion motion.',
    ]


def test_a_report_with_contraction_says_what_new_business_standing_still_needs() -> None:
    ledger = RevenueLedger([
        RevenueMovement("a", date(2024, 1, 1), "NEW", 100), RevenueMovement("a", date(2025, 2, 1), "EXPANSION", 30),
        RevenueMovement("b", date(2024, 1, 1), "NEW", 100), RevenueMovement("b", date(2025, 2, 1), "CONTRACTION", 5),
        RevenueMovement("c", date(2025, 2, 1), "NEW", 50),
    ])
    assert retention(ledger, start=date(2025, 1, 1)).explain() == [
        'Cohort: 2 account(s) with 200 ARR on 2025-01-01; period to 2026-01-01 (exclusive), ARR over 12 month(s); reactivations EXCLUDE.',
        'GRR 97.50 % = (200 − churn 0 − contraction 5) / 200; capped at 100 % account by account.',
        'NRR 112.50 % = (200 − churn 0 − contraction 5 + expansion 30) / 200.',
        'Logo retention 100.00 % (2 of 2 kept); logo churn 0.00 %.',
        'GRR is above the 90-95 % benchmark.',
        'NRR above 100 %: revenue from existing customers grows faster than it is lost.',
        'Standing still needs new business of 2.56 % of the retained base (5 ARR).',
        'Not in GRR/NRR: new business 50, returning accounts 0.',
    ]


def test_engagement_groups_explain_the_median_time_to_first_value() -> None:
    impact = engagement_impact([AccountEngagement("a", 3, responses=2, days_to_value=10),
                                AccountEngagement("b", 0, days_to_value=20)])
    assert impact.explain()[:2] == ['engaged: 1 account(s); median time to first value 10 days (1 measured).',
                                    'not engaged: 1 account(s); median time to first value 20 days (1 measured).']


def test_every_cohort_of_a_journey_survey_carries_the_confidence_asked_for() -> None:
    from postsale.journey import Journey

    journeys = [Journey.start("a", "SMB", on=date(2026, 1, 5)), Journey.start("b", "ENTERPRISE", on=date(2026, 1, 5))]
    result = journey_nps({"a": 9, "b": 3}, journeys, confidence=0.8)
    assert {name: s.confidence for name, s in result.by_cohort.items()} == {"ENTERPRISE": 0.8, "SMB": 0.8}
    assert result.overall.confidence == 0.8


def test_a_pipeline_read_since_a_day_says_so() -> None:
    pipeline = expansion_pipeline([ExpansionOpportunity("a", date(2026, 5, 1), 1000)], as_of=date(2026, 6, 1),
                                  since=date(2026, 1, 1))
    assert pipeline.explain() == ['Open expansion pipeline on 2026-06-01: 1 opportunity worth 1,000.',
                                  'No opportunity closed since 2026-01-01: no close rate yet.']


def test_an_roi_target_may_be_a_single_figure() -> None:
    target = RoiTarget(low_pct=400, high_pct=400)
    assert (target.low_pct, target.high_pct) == (400, 400)


def test_a_journey_survey_explains_each_stage_with_its_number_of_answers() -> None:
    from postsale import Stage
    from postsale.journey import Journey

    done = dict.fromkeys(("implementation_complete", "core_users_trained", "use_case_live", "first_value_documented",
                          "go_live_confirmed"), 1)
    journeys = [Journey.start("a", "SMB", on=date(2026, 1, 5)),
                Journey.start("b", "SMB", on=date(2026, 1, 5)).move("core", Stage.ADOPTION, on=date(2026, 3, 1), evidence=done)]
    assert journey_nps({"a": 3, "b": 9}, journeys).explain() == [
        'Journey NPS +0 from 2 answers.', 'Onboarding: -100 (1 answer).', 'Adoption: +100 (1 answer).',
        'Cohort SMB: +0 (2 answers).', 'The journey feels worst in Onboarding.']


@pytest.mark.parametrize(("stalled", "line"), [
    (1, '1 open opportunity is past the stuck point (-): revive or close it.'),
    (2, '2 open opportunities are past the stuck point (-): revive or close them.'),
])
def test_stalled_opportunities_without_a_benchmark_cycle_show_no_stuck_point(stalled: int, line: str) -> None:
    pipeline = ExpansionPipeline(D, segment="SMB", benchmark=ExpansionBenchmark(), open_count=2, open_value=10,
                                 stalled=stalled)
    assert pipeline.explain()[-1] == line


def test_a_band_of_one_touch_is_named_in_the_singular() -> None:
    impact = engagement_impact([AccountEngagement("a", 1)], bands=(1, 2, 5))
    assert [g.name for g in impact.by_frequency] == ['0 touches', '1 touch', '2-4 touches', '5+ touches']


def test_a_journey_survey_as_of_a_day_counts_the_journeys_started_that_day() -> None:
    from postsale.journey import Journey

    result = journey_nps({"a": 9}, [Journey.start("a", "SMB", on=date(2026, 3, 1))], as_of=date(2026, 3, 1))
    assert {name: s.responses for name, s in result.by_cohort.items()} == {"SMB": 1}


def test_a_maturity_stage_may_have_a_single_nrr_figure() -> None:
    from postsale.kpi import DEFAULT_MATURITY_MODEL, MaturityModel

    first, *rest = DEFAULT_MATURITY_MODEL.benchmarks
    model = MaturityModel((attrs.evolve(first, nrr_high=first.nrr_low), *rest))
    assert model.benchmarks[0].nrr_high == model.benchmarks[0].nrr_low == Decimal("0.70")


def test_standing_still_needs_new_business_for_churn_and_contraction_together() -> None:
    report = RetentionReport(RetentionDefinition(), date(2025, 1, 1), date(2026, 1, 1), 2, 1, 200, 100, 5, 30)
    assert report.explain()[-1] == "Standing still needs new business of 110.53 % of the retained base (105 ARR)."


def test_comparing_scenarios_covers_one_year_by_default() -> None:
    found = compare_scenarios(ScenarioCohort(10, 1000, 500), RetentionScenario("b", 0.9), RetentionScenario("a", 0.95))
    assert [(d.year, d.baseline_revenue, d.alternative_revenue, d.difference) for d in found.differences] == [
        (1, 9000, 9500, 500)]


# ---- private helpers the public API reaches only at extremes, or only at import ------------------------------


def test_a_ratio_too_large_to_compute_is_refused_with_its_operands() -> None:
    from postsale.kpi._numbers import ratio

    with pytest.raises(PostsaleError) as caught:
        ratio(Decimal("1E+999999999999999999"), Decimal("1E-999999999999999999"))
    assert (caught.value.field, str(caught.value)) == (
        "ratio", "ratio='1E+999999999999999999 / 1E-999999999999999999': is too large to compute; rule: a ratio must be finite (exponents within ±999999999999999999); instead: check the inputs' magnitudes: an amount or a rate is far too small or too large")


def test_rounding_writes_whole_numbers_out_up_to_10_to_the_30_only() -> None:
    from postsale.kpi._numbers import rounded

    assert (str(rounded(Decimal("1E+30"), "0.01")), str(rounded(Decimal("1E+31"), "0.01"))) == (
        "1000000000000000000000000000000.00", "1E+31")
    assert str(rounded(Decimal("1" + "0" * 31), "0.01")) == "1" + "0" * 31


def test_a_number_below_its_lower_bound_is_refused_with_the_bound() -> None:
    from postsale.kpi._numbers import to_decimal

    with pytest.raises(PostsaleError) as caught:
        to_decimal("x", -1, lower=Decimal(0))
    assert str(caught.value) == "x=-1: is out of range; rule: must be >= 0; instead: pass >= 0"


def test_the_pipeline_count_validator_names_its_attribute_and_the_whole_it_is_part_of() -> None:
    from postsale.kpi._pipeline import _at_most

    check = _at_most("won_count")
    holder, attribute = SimpleNamespace(won_count=2), SimpleNamespace(name="won_typical_size")
    check(holder, attribute, None)
    check(holder, attribute, 2)
    with pytest.raises(PostsaleError) as caught:
        check(holder, attribute, 3)
    assert (caught.value.field, str(caught.value)) == (
        "won_typical_size", "won_typical_size=3: is larger than won_count; rule: at most won_count=2; instead: count each opportunity once")
    with pytest.raises(PostsaleError) as caught:
        check(holder, attribute, -1)
    assert caught.value.field == "won_typical_size"


def test_ratios_do_not_depend_on_the_callers_decimal_context() -> None:
    import decimal

    from postsale.kpi._numbers import ratio

    with decimal.localcontext(prec=3):
        assert str(ratio(Decimal("2E+5"), Decimal(1))) == "200000"


def test_the_type_validator_factory_names_the_attribute_and_shows_the_value() -> None:
    """of_type builds its validators at import, before a mutant is active: called here, it is checked too."""
    from postsale.kpi._numbers import of_type

    check, attribute = of_type(str), SimpleNamespace(name="title")
    check(None, attribute, "ok")
    of_type(str, optional=True)(None, attribute, None)
    with pytest.raises(PostsaleError) as caught:
        check(None, attribute, 5)
    assert (caught.value.field, str(caught.value)) == ("title", "title=5: expected str, got int; instead: pass a str")


def test_percentages_do_not_depend_on_the_callers_decimal_context() -> None:
    import decimal

    from postsale.kpi._numbers import pct

    with decimal.localcontext(prec=2):
        assert pct(Decimal("0.123456")) == "12.35 %"
