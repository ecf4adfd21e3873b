"""Revenue retention from a ledger: GRR / NRR / logo retention, reactivations, cohorts, properties."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postsale import AccountSnapshot, InvalidTypeError, InvalidValueError, UnknownNameError
from postsale.kpi import (
    ReactivationPolicy,
    RetentionDefinition,
    RevenueBasis,
    RevenueLedger,
    cohorts_by_label,
    cohorts_by_segment,
    cohorts_by_start_month,
    retention,
    retention_by_cohort,
)
from tests.kpi.ledgers import START, mv, sample_ledger
from tests.strategies.kpi import PERIOD_START, definitions, ledgers_with_cohort, segment_keys

# ---- retention ----------------------------------------------------------------------------------


def test_retention_amounts_are_netted_per_account():
    """Churn, contraction and expansion come from each account's start vs end."""
    r = retention(sample_ledger(), start=START)
    assert (Decimal(1_000_000), Decimal(200_000), Decimal(60_000), Decimal(100_000)) == (
        r.start_revenue,
        r.churned_revenue,
        r.contraction_revenue,
        r.expansion_revenue,
    )


def test_retention_grr():
    """GRR = (1 000 000 − 200 000 − 60 000) / 1 000 000 = 74 %."""
    assert Decimal("0.74") == retention(sample_ledger(), start=START).grr


def test_retention_nrr():
    """NRR = (1 000 000 − 200 000 − 60 000 + 100 000) / 1 000 000 = 84 %."""
    assert Decimal("0.84") == retention(sample_ledger(), start=START).nrr


def test_retention_logo_retention_and_churn():
    """Three of four starting accounts are kept."""
    r = retention(sample_ledger(), start=START)
    assert (Decimal("0.75"), Decimal("0.25"), 3) == (r.logo_retention, r.logo_churn, r.accounts_retained)


def test_retention_expansion_and_revenue_churn_rates():
    """Expansion rate = 10 %; revenue churn rate = 1 − GRR = 26 %."""
    r = retention(sample_ledger(), start=START)
    assert (Decimal("0.1"), Decimal("0.26")) == (r.expansion_rate, r.revenue_churn_rate)


def test_retention_new_business_is_outside_the_cohort():
    """An account acquired during the period is reported as new business, not in NRR."""
    r = retention(sample_ledger(), start=START)
    assert (4, Decimal(50_000)) == (r.accounts_at_start, r.new_business_revenue)


def test_retention_new_on_start_day_is_new_business():
    """A NEW dated on the period start belongs to the period, not to the starting cohort."""
    ledger = RevenueLedger([mv("a", START, "NEW", 10), mv("b", date(2024, 12, 31), "NEW", 10)])
    assert 1 == retention(ledger, start=START).accounts_at_start


def test_retention_movement_on_period_end_is_outside():
    """A movement dated on the first day after the period does not count."""
    ledger = RevenueLedger([mv("a", date(2024, 1, 1), "NEW", 10), mv("a", date(2026, 1, 1), "CHURN", 10)])
    assert Decimal(1) == retention(ledger, start=START).grr


def test_retention_grr_is_capped_account_by_account():
    """One account's expansion never offsets another's contraction in GRR."""
    ledger = RevenueLedger(
        [
            mv("a", date(2024, 1, 1), "NEW", 100),
            mv("b", date(2024, 1, 1), "NEW", 100),
            mv("a", date(2025, 2, 1), "EXPANSION", 50),
            mv("b", date(2025, 2, 1), "CONTRACTION", 50),
        ]
    )
    r = retention(ledger, start=START)
    assert (Decimal("0.75"), Decimal(1)) == (r.grr, r.nrr)


def test_retention_one_account_nets_its_own_moves():
    """An account that contracts then expands beyond its start counts only its net expansion."""
    ledger = RevenueLedger(
        [
            mv("a", date(2024, 1, 1), "NEW", 100),
            mv("a", date(2025, 2, 1), "CONTRACTION", 30),
            mv("a", date(2025, 3, 1), "EXPANSION", 50),
        ]
    )
    r = retention(ledger, start=START)
    assert (Decimal(0), Decimal(20), Decimal(1)) == (r.contraction_revenue, r.expansion_revenue, r.grr)


def reactivating_ledger() -> RevenueLedger:
    """'a' churns and comes back in the period; 'b' churned before the period and comes back in it."""
    return RevenueLedger(
        [
            mv("a", date(2024, 1, 1), "NEW", 100),
            mv("b", date(2023, 1, 1), "NEW", 70),
            mv("b", date(2024, 6, 1), "CHURN", 70),
            mv("c", date(2024, 1, 1), "NEW", 100),
            mv("a", date(2025, 3, 1), "CHURN", 100),
            mv("a", date(2025, 5, 1), "REACTIVATION", 120),
            mv("b", date(2025, 5, 1), "REACTIVATION", 90),
        ]
    )


def test_reactivation_excluded_by_default():
    """By default a cohort account that churns and comes back in the period counts as churned."""
    r = retention(reactivating_ledger(), start=START)
    assert (Decimal("0.5"), 1) == (r.nrr, r.accounts_churned)


def test_reactivation_within_period_counts_end_revenue():
    """With WITHIN_PERIOD the returning account is measured at its end revenue."""
    definition = RetentionDefinition(reactivations=ReactivationPolicy.WITHIN_PERIOD)
    r = retention(reactivating_ledger(), start=START, definition=definition)
    assert (Decimal("1.1"), Decimal(1), 0) == (r.nrr, r.grr, r.accounts_churned)


def test_reactivation_of_account_churned_before_period_is_outside_nrr():
    """An account churned before the period is never in the cohort; its return is reported apart."""
    definition = RetentionDefinition(reactivations=ReactivationPolicy.WITHIN_PERIOD)
    r = retention(reactivating_ledger(), start=START, definition=definition)
    assert (2, Decimal(90), Decimal("1.1")) == (r.accounts_at_start, r.reactivated_revenue, r.nrr)


def test_excluded_in_period_return_is_reported_apart():
    """Under EXCLUDE, a cohort account's in-period return is reported as reactivated revenue, outside NRR."""
    r = retention(reactivating_ledger(), start=START)
    assert (Decimal(210), Decimal("0.5")) == (r.reactivated_revenue, r.nrr)


def test_retention_accounts_filter():
    """The cohort can be restricted to some accounts."""
    r = retention(sample_ledger(), start=START, accounts={"grow", "leave"})
    assert (2, Decimal(600_000)) == (r.accounts_at_start, r.start_revenue)


def test_retention_accounts_filter_refuses_a_bare_string():
    """A single id string is not a collection of ids."""
    with pytest.raises(InvalidTypeError, match="accounts"):
        retention(sample_ledger(), start=START, accounts="grow")


def test_retention_empty_cohort_is_an_error_not_zero():
    """A period before any revenue has an empty cohort: the rate is undefined."""
    with pytest.raises(InvalidValueError, match=r"cohort.*undefined"):
        retention(sample_ledger(), start=date(2020, 1, 1))


def test_retention_refuses_a_non_ledger():
    """The ledger argument must be a RevenueLedger."""
    with pytest.raises(InvalidTypeError, match="ledger"):
        retention([], start=START)  # type: ignore[arg-type]


def test_retention_refuses_a_datetime_start():
    """The start is a calendar date."""
    from datetime import datetime

    with pytest.raises(InvalidTypeError, match="start"):
        retention(sample_ledger(), start=datetime(2025, 1, 1))


def test_retention_refuses_a_non_definition():
    """The definition must be a RetentionDefinition."""
    with pytest.raises(InvalidTypeError, match="definition"):
        retention(sample_ledger(), start=START, definition="ARR")  # type: ignore[arg-type]


def test_retention_period_length_changes_the_window():
    """A 3-month period ignores later movements."""
    r = retention(sample_ledger(), start=START, definition=RetentionDefinition(period_months=3))
    assert (Decimal(1), Decimal(0)) == (r.grr, r.expansion_revenue)


def test_mrr_report_annualises_exactly():
    """An MRR report turns into ARR by multiplying amounts by 12; rates do not change."""
    ledger = RevenueLedger([mv("a", date(2024, 1, 1), "NEW", "833.33"), mv("a", date(2025, 2, 1), "EXPANSION", 100)])
    r = retention(ledger, start=START, definition=RetentionDefinition(basis="MRR"))
    annual = r.annualised()
    assert (RevenueBasis.ARR, Decimal("9999.96"), r.nrr) == (annual.definition.basis, annual.start_revenue, annual.nrr)


def test_arr_report_annualised_is_itself():
    """An ARR report is already annual."""
    r = retention(sample_ledger(), start=START)
    assert r is r.annualised()


# ---- cohorts ------------------------------------------------------------------------------------


def test_cohorts_by_start_month():
    """Each account's cohort is the month of its NEW movement."""
    expected = {"grow": "2024-01", "shrink": "2024-02", "leave": "2024-03", "flat": "2024-03", "later": "2025-02"}
    assert expected == cohorts_by_start_month(sample_ledger())


def test_retention_by_start_month_cohort():
    """Each start-month cohort gets its own report."""
    ledger = sample_ledger()
    split = retention_by_cohort(ledger, start=START, cohorts=cohorts_by_start_month(ledger))
    assert (("2024-01", "2024-02", "2024-03"), Decimal("0.3333333333333333333333333333")) == (
        split.keys,
        split.cohort("2024-03").grr,
    )


def test_retention_by_segment():
    """Cohorts can come from the snapshots' segments."""
    snaps = [
        AccountSnapshot("grow", "ENTERPRISE", START),
        AccountSnapshot("shrink", "SMB", START),
        AccountSnapshot("leave", "SMB", START),
        AccountSnapshot("flat", "SMB", START),
    ]
    split = retention_by_cohort(sample_ledger(), start=START, cohorts=cohorts_by_segment(snaps))
    assert (Decimal("1.25"), Decimal("0.5666666666666666666666666667"), 4) == (
        split.cohort("ENTERPRISE").nrr,
        split.cohort("SMB").grr,
        split.total.accounts_at_start,
    )


def test_retention_by_label_fills_missing_labels():
    """Cohorts can come from any label; accounts without it fall in the default key."""
    snaps = [AccountSnapshot(a, "SMB", START, labels={"csm": "aiko"}) for a in ("grow", "shrink")]
    snaps += [AccountSnapshot(a, "SMB", START) for a in ("leave", "flat")]
    split = retention_by_cohort(sample_ledger(), start=START, cohorts=cohorts_by_label(snaps, "csm"))
    assert ("(none)", "aiko") == split.keys


def test_retention_by_cohort_requires_a_key_for_every_starting_account():
    """A starting account without a cohort key is named."""
    with pytest.raises(UnknownNameError, match="'flat'"):
        retention_by_cohort(sample_ledger(), start=START, cohorts={"grow": "x", "shrink": "x", "leave": "x"})


def test_retention_by_cohort_lists_at_most_five_missing():
    """Long lists of missing accounts are shortened."""
    ledger = RevenueLedger([mv(f"a{i}", date(2024, 1, 1), "NEW", 1) for i in range(7)])
    with pytest.raises(UnknownNameError, match=r"7 account\(s\).*\.\.\."):
        retention_by_cohort(ledger, start=START, cohorts={})


def test_retention_by_cohort_refuses_blank_keys():
    """A blank cohort key is refused."""
    ledger = RevenueLedger([mv("a", date(2024, 1, 1), "NEW", 1)])
    with pytest.raises(InvalidValueError, match="cohorts"):
        retention_by_cohort(ledger, start=START, cohorts={"a": ""})


def test_breakdown_unknown_cohort_key():
    """Asking for a cohort that is not there names the known keys."""
    ledger = sample_ledger()
    split = retention_by_cohort(ledger, start=START, cohorts=cohorts_by_start_month(ledger))
    with pytest.raises(UnknownNameError, match="2024-01"):
        split.cohort("1999-01")


def test_breakdown_explain_has_a_line_per_cohort_and_total():
    """The breakdown explains each cohort and the total."""
    ledger = sample_ledger()
    split = retention_by_cohort(ledger, start=START, cohorts=cohorts_by_start_month(ledger))
    assert 4 == len(split.explain())


def test_cohort_helpers_refuse_non_snapshots():
    """Segment and label helpers need snapshots."""
    with pytest.raises(InvalidTypeError, match=r"snapshots\[0\]"):
        cohorts_by_segment(["acme"])  # type: ignore[list-item]


def test_cohorts_by_label_refuses_blank_label():
    """The label name cannot be blank."""
    with pytest.raises(InvalidValueError, match="label"):
        cohorts_by_label([], "")


# ---- properties ---------------------------------------------------------------------------------


@given(ledgers_with_cohort(), definitions)
def test_grr_at_most_one_and_at_most_nrr(ledger, definition):
    """GRR is in [0, 1] and never above NRR (expansion is never negative)."""
    r = retention(ledger, start=PERIOD_START, definition=definition)
    assert 0 <= r.grr <= 1
    assert r.grr <= r.nrr


@given(ledgers_with_cohort(), definitions)
def test_logo_retention_plus_churn_is_one(ledger, definition):
    """Logo retention and logo churn add up to 1."""
    r = retention(ledger, start=PERIOD_START, definition=definition)
    assert Fraction(1) == Fraction(r.accounts_retained, r.accounts_at_start) + Fraction(
        r.accounts_churned, r.accounts_at_start
    )


@given(ledgers_with_cohort(), st.data())
def test_nrr_is_the_weighted_combination_of_sub_cohorts(ledger, data):
    """A cohort's NRR equals the start-revenue-weighted combination of its sub-cohorts' NRRs."""
    keys = {a: data.draw(segment_keys) for a in ledger.accounts}
    split = retention_by_cohort(ledger, start=PERIOD_START, cohorts=keys)
    total = split.total
    assert total.start_revenue == sum(c.report.start_revenue for c in split.cohorts)
    assert total.end_revenue == sum(c.report.end_revenue for c in split.cohorts)
    weighted = sum(Fraction(c.report.start_revenue) * Fraction(c.report.nrr) for c in split.cohorts)
    assert abs(weighted / Fraction(total.start_revenue) - Fraction(total.nrr)) < Fraction(1, 10**20)


@given(ledgers_with_cohort())
def test_within_period_nrr_is_never_below_exclude(ledger):
    """Counting in-period reactivations can only raise NRR."""
    excluded = retention(ledger, start=PERIOD_START)
    counted = retention(
        ledger, start=PERIOD_START, definition=RetentionDefinition(reactivations=ReactivationPolicy.WITHIN_PERIOD)
    )
    assert excluded.nrr <= counted.nrr


@given(ledgers_with_cohort())
def test_within_period_end_revenue_matches_the_ledger(ledger):
    """With WITHIN_PERIOD, the cohort's end revenue is the ledger's revenue of its accounts at the period end."""
    definition = RetentionDefinition(reactivations=ReactivationPolicy.WITHIN_PERIOD)
    r = retention(ledger, start=PERIOD_START, definition=definition)
    cohort = [a for a in ledger.accounts if ledger.revenue_at(a, PERIOD_START) > 0]
    assert r.end_revenue == sum(ledger.revenue_at(a, r.period_end) for a in cohort)
