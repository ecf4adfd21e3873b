"""Revenue retention: ledger checks, GRR / NRR / logo retention, definitions, cohorts, upsell / cross-sell."""



from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postsale import AccountSnapshot, DefinitionError, InvalidTypeError, InvalidValueError, UnknownNameError
from postsale.kpi import (
    DEFAULT_PERIOD_MONTHS,
    MovementKind,
    ReactivationPolicy,
    RetentionDefinition,
    RetentionReport,
    RevenueBasis,
    RevenueLedger,
    RevenueMovement,
    UpsellCrossSell,
    cohorts_by_label,
    cohorts_by_segment,
    cohorts_by_start_month,
    retention,
    retention_by_cohort,
    upsell_cross_sell,
)
from tests.strategies.kpi import PERIOD_START, definitions, ledgers_with_cohort, segment_keys

START = date(2025, 1, 1)


def mv(account: str, on: date, kind: str, amount: int | str, motion: str = "UNSPECIFIED") -> RevenueMovement:
    return RevenueMovement(account, on, kind, amount, motion)


def sample_ledger() -> RevenueLedger:
    """Four accounts: one expands, one contracts, one churns, one stays flat; plus new business."""
    return RevenueLedger(
        [
            mv("grow", date(2024, 1, 10), "NEW", 400_000),
            mv("shrink", date(2024, 2, 1), "NEW", 300_000),
            mv("leave", date(2024, 3, 1), "NEW", 200_000),
            mv("flat", date(2024, 3, 15), "NEW", 100_000),
            mv("grow", date(2025, 4, 1), "EXPANSION", 80_000, "UPSELL"),
            mv("grow", date(2025, 8, 1), "EXPANSION", 20_000, "CROSS_SELL"),
            mv("shrink", date(2025, 5, 1), "CONTRACTION", 60_000),
            mv("leave", date(2025, 6, 30), "CHURN", 200_000),
            mv("later", date(2025, 2, 1), "NEW", 50_000),
        ]
    )


# ---- movements ----------------------------------------------------------------------------------


def test_movement_accepts_kind_by_name():
    """A movement kind may be given by name."""
    assert MovementKind.CHURN == mv("a", START, "churn", 1).kind


def test_movement_amount_is_exact_decimal():
    """Amounts become exact Decimals."""
    assert Decimal("1234.56") == mv("a", START, "NEW", "1234.56").amount


def test_movement_refuses_zero_amount():
    """A zero movement changes nothing and is refused."""
    with pytest.raises(InvalidValueError, match="amount"):
        mv("a", START, "NEW", 0)


def test_movement_refuses_negative_amount():
    """Negative ARR is refused: the kind gives the direction."""
    with pytest.raises(InvalidValueError, match="amount"):
        mv("a", START, "NEW", -5)


def test_movement_refuses_unknown_kind():
    """An unknown kind names the field."""
    with pytest.raises(UnknownNameError, match="kind"):
        mv("a", START, "REFUND", 5)


def test_movement_refuses_motion_on_non_expansion():
    """A motion only makes sense on an expansion."""
    with pytest.raises(InvalidValueError, match="motion"):
        mv("a", START, "NEW", 5, "UPSELL")


def test_movement_refuses_blank_account():
    """A blank account id is refused."""
    with pytest.raises(InvalidValueError, match="account_id"):
        mv(" ", START, "NEW", 5)


# ---- ledger checks ------------------------------------------------------------------------------


def test_ledger_first_movement_must_be_new():
    """An account's history starts with NEW."""
    with pytest.raises(InvalidValueError, match=r"movements\[0\]\.kind"):
        RevenueLedger([mv("a", START, "EXPANSION", 5)])


def test_ledger_refuses_second_new():
    """NEW happens once per account."""
    with pytest.raises(InvalidValueError, match=r"movements\[1\]\.kind"):
        RevenueLedger([mv("a", START, "NEW", 5), mv("a", date(2025, 2, 1), "NEW", 5)])


def test_ledger_refuses_churn_larger_than_revenue():
    """Churn larger than the account's ARR is refused, naming the movement's amount."""
    with pytest.raises(InvalidValueError, match=r"movements\[1\]\.amount.*larger than"):
        RevenueLedger([mv("a", START, "NEW", 100), mv("a", date(2025, 2, 1), "CHURN", 150)])


def test_ledger_refuses_partial_churn():
    """A churn of less than the whole revenue is a contraction, not a churn."""
    with pytest.raises(InvalidValueError, match="different from"):
        RevenueLedger([mv("a", START, "NEW", 100), mv("a", date(2025, 2, 1), "CHURN", 50)])


def test_ledger_refuses_contraction_of_everything():
    """Contracting the whole revenue must be recorded as a churn."""
    with pytest.raises(InvalidValueError, match="CHURN"):
        RevenueLedger([mv("a", START, "NEW", 100), mv("a", date(2025, 2, 1), "CONTRACTION", 100)])


def test_ledger_refuses_expansion_of_churned_account():
    """A churned account must reactivate before it can expand."""
    with pytest.raises(InvalidValueError, match="REACTIVATION first"):
        RevenueLedger(
            [
                mv("a", START, "NEW", 100),
                mv("a", date(2025, 2, 1), "CHURN", 100),
                mv("a", date(2025, 3, 1), "EXPANSION", 5),
            ]
        )


def test_ledger_refuses_reactivation_of_active_account():
    """Reactivating an active account is refused (it is an expansion)."""
    with pytest.raises(InvalidValueError, match="EXPANSION instead"):
        RevenueLedger([mv("a", START, "NEW", 100), mv("a", date(2025, 2, 1), "REACTIVATION", 5)])


def test_ledger_refuses_non_movements():
    """Anything but a RevenueMovement is refused by index."""
    with pytest.raises(InvalidTypeError, match=r"movements\[0\]"):
        RevenueLedger([{"account_id": "a"}])  # type: ignore[list-item]


def test_ledger_replays_by_date_not_input_order():
    """Movements given out of order are replayed by date."""
    ledger = RevenueLedger([mv("a", date(2025, 3, 1), "EXPANSION", 5), mv("a", START, "NEW", 100)])
    assert Decimal(105) == ledger.revenue_at("a", date(2025, 3, 2))


def test_ledger_revenue_at_excludes_the_day_itself():
    """Revenue at a date counts only movements dated strictly before it."""
    ledger = RevenueLedger([mv("a", START, "NEW", 100)])
    assert (Decimal(0), Decimal(100)) == (ledger.revenue_at("a", START), ledger.revenue_at("a", date(2025, 1, 2)))


def test_ledger_revenue_at_unknown_account():
    """Asking for an unknown account names it."""
    with pytest.raises(UnknownNameError, match="account_id"):
        RevenueLedger([mv("a", START, "NEW", 100)]).revenue_at("b", START)


def test_ledger_accounts_sorted():
    """The ledger lists its accounts sorted."""
    assert ("flat", "grow", "later", "leave", "shrink") == sample_ledger().accounts


# ---- definitions --------------------------------------------------------------------------------


def test_definition_defaults():
    """The default definition is ARR over 12 months with reactivations excluded."""
    d = RetentionDefinition()
    assert (RevenueBasis.ARR, ReactivationPolicy.EXCLUDE, DEFAULT_PERIOD_MONTHS) == (
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


# ---- upsell / cross-sell ------------------------------------------------------------------------


def test_upsell_cross_sell_rates():
    """Upsell 80 000 and cross-sell 20 000 over a 1 000 000 base; 1 of 4 accounts expanded."""
    mix = upsell_cross_sell(sample_ledger(), start=START)
    assert (Decimal("0.08"), Decimal("0.02"), Decimal("0.1"), Decimal("0.25")) == (
        mix.upsell_rate,
        mix.cross_sell_rate,
        mix.expansion_rate,
        mix.customer_rate,
    )


def test_upsell_cross_sell_counts_unspecified_expansion():
    """Expansion without a motion counts in the gross rate, not in upsell or cross-sell."""
    ledger = RevenueLedger([mv("a", date(2024, 1, 1), "NEW", 100), mv("a", date(2025, 2, 1), "EXPANSION", 10)])
    mix = upsell_cross_sell(ledger, start=START)
    assert (Decimal(0), Decimal("0.1"), 1) == (mix.upsell_rate, mix.expansion_rate, mix.accounts_expanded)


def test_upsell_cross_sell_empty_cohort():
    """No starting account: undefined."""
    with pytest.raises(InvalidValueError, match="cohort"):
        upsell_cross_sell(sample_ledger(), start=date(2020, 1, 1))


def test_upsell_cross_sell_refuses_counts_above_cohort():
    """Built directly, counts above the starting accounts are refused."""
    with pytest.raises(InvalidValueError, match="accounts_upsold"):
        UpsellCrossSell(Decimal(1), 1, Decimal(0), Decimal(0), Decimal(0), 2, 0, 0)


def test_upsell_cross_sell_refuses_empty():
    """Built directly, an empty cohort is refused."""
    with pytest.raises(InvalidValueError, match="cohort"):
        UpsellCrossSell(Decimal(0), 0, Decimal(0), Decimal(0), Decimal(0), 0, 0, 0)


def test_upsell_cross_sell_explain():
    """The explanation names both rates."""
    lines = upsell_cross_sell(sample_ledger(), start=START).explain()
    assert "Upsell rate 8.00 % = 80,000 / 1,000,000 (1 account(s))." == lines[0]


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
