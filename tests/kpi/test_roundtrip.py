"""Every public KPI value round-trips through plain data and JSON."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import postsale
from postsale import StructureError
from postsale.kpi import (
    DEFAULT_MATURITY_MODEL,
    DEFAULT_SELF_ASSESSMENT,
    Csat,
    CsatScale,
    MaturityAssessment,
    MaturityModel,
    NetPromoterScore,
    Projection,
    RetentionBreakdown,
    RetentionDefinition,
    RetentionReport,
    RetentionScenario,
    RevenueLedger,
    RoiAssessment,
    ScenarioCohort,
    ScenarioComparison,
    SelfAssessment,
    SelfAssessmentResult,
    UnitEconomics,
    UpsellCrossSell,
    Utilisation,
    assess_maturity,
    assess_roi,
    compare_scenarios,
    csat,
    nps,
    project,
    retention_by_cohort,
    unit_economics,
    upsell_cross_sell,
)
from tests.strategies.kpi import (
    PERIOD_START,
    benefits,
    cohorts,
    costs,
    definitions,
    grr_values,
    ledgers,
    ledgers_with_cohort,
    nps_answers,
    nrr_values,
    reports,
    scenarios,
    segment_keys,
)


def round_trip(cls: type[Any], value: Any) -> None:
    assert value == postsale.from_data(cls, postsale.to_data(value))
    assert value == postsale.from_json(cls, postsale.to_json(value))


@given(ledgers())
def test_ledger_round_trips(ledger):
    """Ledgers round-trip (amounts as exact decimal strings)."""
    round_trip(RevenueLedger, ledger)


@given(definitions)
def test_definition_round_trips(definition):
    """Retention definitions round-trip, enums by name."""
    round_trip(RetentionDefinition, definition)


@given(reports())
def test_report_round_trips(report):
    """Retention reports round-trip."""
    round_trip(RetentionReport, report)


@given(ledgers_with_cohort(), st.data())
def test_breakdown_and_upsell_round_trip(ledger, data):
    """Cohort breakdowns and upsell / cross-sell values round-trip."""
    keys = {a: data.draw(segment_keys) for a in ledger.accounts}
    round_trip(RetentionBreakdown, retention_by_cohort(ledger, start=PERIOD_START, cohorts=keys))
    round_trip(UpsellCrossSell, upsell_cross_sell(ledger, start=PERIOD_START))


@given(nps_answers, st.floats(0.5, 0.99))
def test_nps_round_trips(answers, confidence):
    """NPS values round-trip."""
    round_trip(NetPromoterScore, nps(answers, confidence=confidence))


@given(st.lists(st.integers(1, 5), min_size=1, max_size=50))
def test_csat_round_trips(answers):
    """CSAT values round-trip."""
    round_trip(Csat, csat(answers))


def test_csat_scale_round_trips():
    """A custom CSAT scale round-trips."""
    round_trip(CsatScale, CsatScale(low=0, high=10, satisfied_from=9))


@given(st.integers(0, 1000), st.integers(1, 1000))
def test_utilisation_round_trips(active, purchased):
    """Utilisation values round-trip."""
    round_trip(Utilisation, Utilisation(active, purchased))


@given(grr_values, nrr_values)
def test_maturity_assessment_round_trips(grr, nrr):
    """Maturity assessments round-trip, with or without a next stage."""
    round_trip(MaturityAssessment, assess_maturity(grr, nrr))


def test_maturity_model_round_trips():
    """The default maturity model round-trips."""
    round_trip(MaturityModel, DEFAULT_MATURITY_MODEL)


def test_self_assessment_round_trips():
    """The checklist and a scored result round-trip."""
    round_trip(SelfAssessment, DEFAULT_SELF_ASSESSMENT)
    result = DEFAULT_SELF_ASSESSMENT.score({q.key: i % 2 == 0 for i, q in enumerate(DEFAULT_SELF_ASSESSMENT.questions)})
    round_trip(SelfAssessmentResult, result)


@given(benefits, costs)
def test_roi_round_trips(benefit, cost):
    """ROI assessments round-trip."""
    round_trip(RoiAssessment, assess_roi(benefit, cost))


@given(st.integers(1, 10**6), st.integers(1, 10**6), st.none() | st.integers(0, 10**5))
def test_unit_economics_round_trip_with_the_touch_cost_share(acv, cac, cs_cost):
    """Unit economics round-trip, including the touch context's CostShare."""
    round_trip(UnitEconomics, unit_economics(acv=acv, cac=cac, gross_margin=0.75, annual_churn=0.1, cs_cost=cs_cost))


@given(cohorts, scenarios, scenarios, st.integers(1, 5))
def test_projections_and_comparisons_round_trip(cohort, base, alt, years):
    """Cohorts, scenarios, projections and comparisons round-trip."""
    round_trip(ScenarioCohort, cohort)
    round_trip(RetentionScenario, base)
    round_trip(Projection, project(cohort, base, years=years))
    round_trip(ScenarioComparison, compare_scenarios(cohort, base, alt, years=years))


def test_bad_definition_data_names_the_path():
    """Bad plain data is refused with the path of the bad field."""
    with pytest.raises(StructureError, match="period_months"):
        postsale.from_data(RetentionDefinition, {"basis": "ARR", "reactivations": "EXCLUDE", "period_months": 0})


def test_bad_ledger_data_is_refused():
    """A ledger whose churn is larger than the revenue is refused when read from data."""
    data = {
        "movements": [
            {"account_id": "a", "on": "2024-01-01", "kind": "NEW", "amount": "10", "motion": "UNSPECIFIED"},
            {"account_id": "a", "on": "2024-02-01", "kind": "CHURN", "amount": "11", "motion": "UNSPECIFIED"},
        ]
    }
    with pytest.raises(postsale.PostsaleError, match="larger than"):
        postsale.from_data(RevenueLedger, data)
