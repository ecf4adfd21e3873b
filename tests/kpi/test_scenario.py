"""The economic scenario: the seeds' figures exactly (domain-spec §6.5, I-1, I-2) and the generalisation."""

from __future__ import annotations

import decimal
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postsale import InvalidTypeError, InvalidValueError
from postsale.kpi import (
    SEED_COHORT,
    WITH_POST_SALE,
    WITHOUT_POST_SALE,
    RetentionScenario,
    ScenarioCohort,
    ScenarioComparison,
    compare_scenarios,
    project,
)
from postsale.kpi._scenario import _SOURCE_STATED
from tests.strategies.kpi import cohorts, scenarios


def seed_comparison(*, years: int = 1) -> ScenarioComparison:
    """The seeds' comparison: the seed cohort without and with post-sale."""
    return compare_scenarios(SEED_COHORT, WITHOUT_POST_SALE, WITH_POST_SALE, years=years)


# ---- every figure of domain-spec §6.5, exact -----------------------------------------------------


def test_seed_total_acv():
    """100 × 50 000 = 5 000 000 ARR."""
    assert Decimal(5_000_000) == SEED_COHORT.total_acv


def test_seed_total_cac():
    """100 × 50 000 CAC = 5 000 000."""
    assert Decimal(5_000_000) == SEED_COHORT.total_cac


def test_seed_payback_months():
    """Payback at 100 % retention: 12 months."""
    assert Decimal(12) == SEED_COHORT.payback_months


def test_seed_year1_revenue_without_post_sale():
    """Without post-sale: 5 000 000 × 0.70 = 3 500 000."""
    assert Decimal(3_500_000) == project(SEED_COHORT, WITHOUT_POST_SALE).year(1).end_revenue


def test_seed_arr_lost_without_post_sale():
    """Without post-sale: 1 500 000 ARR lost."""
    assert Decimal(1_500_000) == project(SEED_COHORT, WITHOUT_POST_SALE).year(1).churned


def test_seed_net_position_without_post_sale():
    """Net position vs expectations: −(1 500 000 + 5 000 000) = −6 500 000 (I-2, reproduced as stated)."""
    assert Decimal(-6_500_000) == project(SEED_COHORT, WITHOUT_POST_SALE).year(1).net_position


def test_seed_year1_revenue_with_post_sale():
    """With post-sale: 5 000 000 × 0.95 × 1.15 = 5 462 500 exactly (the source truncates to 5.4M)."""
    assert Decimal(5_462_500) == project(SEED_COHORT, WITH_POST_SALE).year(1).end_revenue


def test_seed_nrr_with_post_sale():
    """NRR = 0.95 × 1.15 = 1.0925 (109.25 %)."""
    assert Decimal("1.0925") == project(SEED_COHORT, WITH_POST_SALE).year(1).nrr


def test_seed_revenue_added_with_post_sale():
    """Revenue added without new acquisition: 462 500 (the source truncates to 0.4M)."""
    assert Decimal(462_500) == project(SEED_COHORT, WITH_POST_SALE).year(1).revenue_added


def test_seed_delta_is_1962500_not_2_9m():
    """The delta between scenarios is exactly 1 962 500; the source's 2 900 000 is an error (I-1)."""
    delta = seed_comparison().differences[0].difference
    assert (Decimal(1_962_500), True) == (delta, delta != _SOURCE_STATED["delta"])


def test_seed_figures_are_exact_not_rounded():
    """The seeds' figures are exact: no digit after the point."""
    year1 = project(SEED_COHORT, WITH_POST_SALE).year(1)
    assert ("5462500", "462500") == (str(year1.end_revenue), str(year1.revenue_added))


def test_seed_explain_documents_the_source_error():
    """The walk-through ends with the I-1 note."""
    assert (
        "The source states a 2,900,000 delta; its own inputs give 1,962,500 "
        "(an arithmetic error in the source)." == seed_comparison().explain()[-1]
    )


def test_seed_explain_walks_through_year_one():
    """The walk-through writes year 1 of each scenario out."""
    lines = seed_comparison().explain()
    assert (
        "Year 1: 5,000,000 − churn 250,000 + expansion 712,500 = 5,462,500; revenue added 462,500; "
        "net position after CAC -4,537,500." in lines
    )


def test_source_stated_figures_are_only_references():
    """The quoted figures are kept as constants for reference (I-1)."""
    assert (Decimal(5_400_000), Decimal("1.09")) == (_SOURCE_STATED["year1_revenue_with"], _SOURCE_STATED["nrr_with"])


def test_non_seed_comparison_has_no_source_note():
    """Only the seeds' comparison carries the I-1 note."""
    other = compare_scenarios(SEED_COHORT, WITHOUT_POST_SALE, RetentionScenario("x", renewal_rate=0.9))
    assert not any("source" in line for line in other.explain())


# ---- generalisation -----------------------------------------------------------------------------


def test_three_years_compound_exactly():
    """Year 3 with post-sale: 5 000 000 × 1.0925³ = 6 519 801.0156250 exactly."""
    assert Decimal("6519801.015625") == project(SEED_COHORT, WITH_POST_SALE, years=3).year(3).end_revenue


def test_per_year_and_cumulative_differences():
    """Differences per year and cumulated."""
    diffs = seed_comparison(years=3).differences
    assert [
        (Decimal("1962500"), Decimal("1962500")),
        (Decimal("3517781.25"), Decimal("5480281.25")),
        (Decimal("4804801.015625"), Decimal("10285082.265625")),
    ] == [(d.difference, d.cumulative) for d in diffs]


def test_exact_whatever_the_callers_decimal_context():
    """A caller's low-precision decimal context does not round the money."""
    with decimal.localcontext() as ctx:
        ctx.prec = 3
        year3 = project(SEED_COHORT, WITH_POST_SALE, years=3).year(3).end_revenue
    assert Decimal("6519801.015625") == year3


def test_float_rates_are_read_exactly():
    """0.95 and 0.15 given as floats give the exact seeds' figures."""
    scenario = RetentionScenario("floats", renewal_rate=0.95, expansion_rate=0.15)
    assert Decimal(5_462_500) == project(SEED_COHORT, scenario).final.end_revenue


def test_zero_renewal_empties_the_cohort():
    """With no renewal, revenue is gone after year 1 and stays at 0."""
    p = project(SEED_COHORT, RetentionScenario("none", renewal_rate=0), years=2)
    assert (Decimal(0), Decimal(0)) == (p.year(1).end_revenue, p.year(2).end_revenue)


def test_free_customers_have_no_cac():
    """A cohort without CAC has a net position equal to its revenue change."""
    free = ScenarioCohort(customers=10, acv=1_000, cac=0)
    year1 = project(free, WITHOUT_POST_SALE).final
    assert year1.revenue_added == year1.net_position


def test_projection_explain_has_a_line_per_year():
    """The projection explains the scenario then each year."""
    assert 4 == len(project(SEED_COHORT, WITH_POST_SALE, years=3).explain())


@pytest.mark.parametrize("years", [0, 101])
def test_years_out_of_range(years):
    """Projections run 1 to 100 years."""
    with pytest.raises(InvalidValueError, match="years"):
        project(SEED_COHORT, WITH_POST_SALE, years=years)


@pytest.mark.parametrize("years", [1, 100])
def test_years_bounds_accepted(years):
    """1 and 100 years are accepted."""
    assert years == len(project(SEED_COHORT, WITHOUT_POST_SALE, years=years).years)


def test_years_must_be_whole():
    """Years are a whole number."""
    with pytest.raises(InvalidValueError, match="years"):
        project(SEED_COHORT, WITH_POST_SALE, years=1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize("n", [0, 2, True])
def test_year_lookup_out_of_range(n):
    """Asking for a year that was not projected names it."""
    with pytest.raises(InvalidValueError, match="n"):
        project(SEED_COHORT, WITH_POST_SALE).year(n)


def test_renewal_rate_above_one_is_refused_with_hint():
    """A renewal rate written as 95 is refused with a hint, never divided silently."""
    with pytest.raises(InvalidValueError, match=r"renewal_rate.*write 0\.95"):
        RetentionScenario("x", renewal_rate=95)


def test_expansion_rate_above_ten_is_refused():
    """An expansion rate above 1 000 % is refused (probably a percentage)."""
    with pytest.raises(InvalidValueError, match="expansion_rate"):
        RetentionScenario("x", renewal_rate=0.9, expansion_rate=15)


@pytest.mark.parametrize(("rate", "ok"), [(10, True), (Decimal("10.01"), False)])
def test_expansion_rate_upper_bound(rate, ok):
    """Expansion up to 1 000 % a year is accepted; above is refused."""
    if ok:
        assert Decimal(10) == RetentionScenario("x", renewal_rate=1, expansion_rate=rate).expansion_rate
    else:
        with pytest.raises(InvalidValueError, match="expansion_rate"):
            RetentionScenario("x", renewal_rate=1, expansion_rate=rate)


def test_expansion_rate_above_one_is_allowed():
    """Expansion can exceed 100 % (a rate, not a share)."""
    assert Decimal("2.5") == RetentionScenario("x", renewal_rate=1, expansion_rate=1.5).nrr


def test_negative_expansion_is_refused():
    """Expansion is never negative (contraction belongs in the renewal rate)."""
    with pytest.raises(InvalidValueError, match="expansion_rate"):
        RetentionScenario("x", renewal_rate=0.9, expansion_rate=-0.1)


def test_rate_must_be_a_number():
    """Strings are refused for rates."""
    with pytest.raises(InvalidTypeError, match="renewal_rate"):
        RetentionScenario("x", renewal_rate="0.9")  # type: ignore[arg-type]


def test_cohort_refuses_zero_customers():
    """An empty cohort is refused."""
    with pytest.raises(InvalidValueError, match="customers"):
        ScenarioCohort(customers=0, acv=1, cac=1)


def test_cohort_refuses_zero_acv():
    """A cohort needs a positive ACV."""
    with pytest.raises(InvalidValueError, match="acv"):
        ScenarioCohort(customers=1, acv=0, cac=1)


def test_cohort_refuses_negative_cac():
    """Negative CAC is refused."""
    with pytest.raises(InvalidValueError, match="cac"):
        ScenarioCohort(customers=1, acv=1, cac=-1)


def test_project_refuses_wrong_types():
    """The cohort and the scenario must be their value types."""
    with pytest.raises(InvalidTypeError, match="cohort"):
        project("seed", WITH_POST_SALE)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="scenario"):
        project(SEED_COHORT, 0.95)  # type: ignore[arg-type]


@given(cohorts, scenarios, st.integers(1, 12))
def test_projection_compounds_nrr_exactly(cohort, scenario, years):
    """Year n's revenue is the initial ARR × NRR^n, exactly."""
    p = project(cohort, scenario, years=years)
    with decimal.localcontext() as ctx:
        ctx.prec = 10_000
        assert cohort.total_acv * scenario.nrr**years == p.final.end_revenue


@given(cohorts, scenarios, st.integers(1, 12))
def test_each_year_balances(cohort, scenario, years):
    """Every year: end = start − churned + expansion, and the next year starts where this one ended."""
    p = project(cohort, scenario, years=years)
    with decimal.localcontext() as ctx:
        ctx.prec = 10_000
        for previous, year in zip((None, *p.years), p.years, strict=False):
            assert year.end_revenue == year.start_revenue - year.churned + year.expansion
            if previous is not None:
                assert previous.end_revenue == year.start_revenue


@given(cohorts, scenarios, scenarios, st.integers(1, 8))
def test_cumulative_difference_is_the_running_sum(cohort, base, alt, years):
    """The cumulative difference is the sum of the yearly differences."""
    diffs = compare_scenarios(cohort, base, alt, years=years).differences
    running = Decimal(0)
    with decimal.localcontext() as ctx:
        ctx.prec = 10_000
        for d in diffs:
            running += d.difference
            assert (d.alternative_revenue - d.baseline_revenue, running) == (d.difference, d.cumulative)
