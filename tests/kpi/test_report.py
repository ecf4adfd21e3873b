"""Retention definitions and reports: the rates, their checks, and their explanations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from postsale import DefinitionError, InvalidValueError
from postsale.kpi import (
    ReactivationPolicy,
    RetentionDefinition,
    RetentionReport,
    RevenueBasis,
    retention,
)
from tests.kpi.ledgers import START, sample_ledger

# ---- definitions --------------------------------------------------------------------------------


def test_definition_defaults():
    """The default definition is ARR over 12 months with reactivations excluded."""
    d = RetentionDefinition()
    assert (RevenueBasis.ARR, ReactivationPolicy.EXCLUDE, 12) == (
        d.basis,
        d.reactivations,
        d.period_months,
    )


def test_definition_reports_every_problem_at_once():
    """Every bad option is listed in one DefinitionError."""
    with pytest.raises(DefinitionError) as info:
        RetentionDefinition(basis="QRR", reactivations="SOMETIMES", period_months=0)  # type: ignore[arg-type]
    assert ["basis", "reactivations", "period_months"] == [p.path for p in info.value.problems]


@pytest.mark.parametrize(("months", "ok"), [(0, False), (1, True), (120, True), (121, False)])
def test_definition_period_bounds(months, ok):
    """The period is 1 to 120 months, both ends inclusive."""
    if ok:
        assert months == RetentionDefinition(period_months=months).period_months
    else:
        with pytest.raises(DefinitionError):
            RetentionDefinition(period_months=months)


def test_definition_period_end_from_anchor_on_month_end():
    """The period end is computed from the anchor: 31 Jan + 1 month = 28/29 Feb."""
    assert date(2024, 2, 29) == RetentionDefinition(period_months=1).period_end(date(2024, 1, 31))


# ---- report from amounts and its checks ---------------------------------------------------------


def amounts(**overrides):
    values = {
        "period_start": START,
        "start_revenue": 1000,
        "churned": 100,
        "contraction": 50,
        "expansion": 200,
        "accounts_at_start": 10,
        "accounts_churned": 1,
    }
    values.update(overrides)
    return RetentionReport.from_amounts(**values)


def test_from_amounts_rates():
    """A report from totals computes the same formulas."""
    r = amounts()
    assert (Decimal("0.85"), Decimal("1.05"), Decimal("0.9")) == (r.grr, r.nrr, r.logo_retention)


def test_from_amounts_period_end_from_definition():
    """The period end follows the definition's length."""
    assert date(2025, 7, 1) == amounts(definition=RetentionDefinition(period_months=6)).period_end


def test_from_amounts_refuses_churn_larger_than_start():
    """Churn plus contraction larger than the starting ARR is refused, naming the field."""
    with pytest.raises(InvalidValueError, match="churned_revenue"):
        amounts(churned=990, contraction=20)


def test_from_amounts_refuses_negative_start():
    """Negative ARR is refused."""
    with pytest.raises(InvalidValueError, match="start_revenue"):
        amounts(start_revenue=-1)


def test_from_amounts_refuses_empty_cohort():
    """No starting account: the rate is undefined, not 0."""
    with pytest.raises(InvalidValueError, match="cohort"):
        amounts(accounts_at_start=0, accounts_churned=0)


def test_from_amounts_refuses_zero_start_revenue():
    """No starting revenue: the rate is undefined, not 0."""
    with pytest.raises(InvalidValueError, match="cohort"):
        amounts(start_revenue=0, churned=0, contraction=0)


def test_from_amounts_refuses_more_churned_than_starting_accounts():
    """More churned accounts than starting accounts is refused."""
    with pytest.raises(InvalidValueError, match="accounts_churned"):
        amounts(accounts_churned=11)


def test_report_refuses_empty_period():
    """A period must end after it starts."""
    r = amounts()
    with pytest.raises(InvalidValueError, match="period_end"):
        RetentionReport(
            r.definition, START, START, 1, 0, Decimal(1), Decimal(0), Decimal(0), Decimal(0), Decimal(0), Decimal(0)
        )


@pytest.mark.parametrize(
    ("expansion", "working", "shrinking"), [(149, False, True), (150, False, False), (151, True, False)]
)
def test_nrr_100_boundary(expansion, working, shrinking):
    """Expansion works only strictly above 100 % (A-27); below 100 % is shrinking (A-9)."""
    r = amounts(expansion=expansion)
    assert (working, shrinking) == (r.expansion_working, r.shrinking)


def test_replacement_growth_is_computed_not_hard_coded():
    """Standing still needs (1 − GRR) / GRR of the retained base (I-3): 150 / 850."""
    assert Decimal(150) / Decimal(850) == amounts().replacement_growth


def test_replacement_growth_undefined_when_everything_is_lost():
    """With nothing retained no growth rate can replace it."""
    assert amounts(churned=1000, contraction=0, accounts_churned=10).replacement_growth is None


def test_explain_shows_the_arithmetic():
    """The explanation writes GRR and NRR out."""
    lines = amounts().explain()
    assert "GRR 85.00 % = (1,000 − churn 100 − contraction 50) / 1,000; capped at 100 % account by account." == lines[1]


@pytest.mark.parametrize(
    ("grr_loss", "expected"),
    [(101, "below the 90-95 %"), (100, "within the 90-95 %"), (50, "within the 90-95 %"), (49, "above the 90-95 %")],
)
def test_explain_grr_benchmark_boundaries(grr_loss, expected):
    """GRR is placed against the 90-95 % benchmark, both ends inclusive."""
    lines = amounts(churned=grr_loss, contraction=0, expansion=0).explain()
    assert any(expected in line for line in lines)


@pytest.mark.parametrize(
    ("expansion", "reactive", "systematic"),
    [
        ("99.99", False, False),
        (100, True, False),
        (200, True, False),
        ("200.01", False, False),
        ("349.99", False, False),
        (350, False, True),
        (450, False, True),
        ("450.01", False, False),
    ],
)
def test_explain_nrr_expansion_benchmarks(expansion, reactive, systematic):
    """NRR is placed in the 95-105 % reactive and 120-130 % systematic ranges, ends inclusive (§6.4)."""
    lines = amounts(expansion=expansion).explain()
    assert (reactive, systematic) == (
        any("reactive expansion approach" in line for line in lines),
        any("systematic expansion motion" in line for line in lines),
    )


@pytest.mark.parametrize(("expansion", "premium"), [("349.99", False), (350, True), (400, True)])
def test_explain_premium_valuation_boundary(expansion, premium):
    """NRR at or above 120 % is called out as premium-valuation territory; just below is not."""
    assert premium == any("premium valuation" in line for line in amounts(expansion=expansion).explain())


def test_explain_nrr_exactly_100():
    """NRR exactly 100 % is said so."""
    assert any("exactly 100 %" in line for line in amounts(expansion=150).explain())


def test_explain_mentions_new_business():
    """Revenue outside the cohort is named as outside GRR / NRR."""
    assert any("Not in GRR/NRR" in line for line in retention(sample_ledger(), start=START).explain())


def test_explain_shrinking():
    """NRR below 100 % is called shrinking."""
    assert any("shrinking" in line for line in amounts(expansion=0).explain())
