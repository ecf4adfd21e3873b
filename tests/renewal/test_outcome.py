"""Renewal outcome: the success criteria of domain-spec §3.6, per segment (I-5)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

import postsale
from postsale import InvalidValueError
from postsale.renewal import MIN_REVENUE_RETENTION, Contract, RenewalOutcome, renewal_outcome


def contract(segment: str = "ENTERPRISE") -> Contract:
    return Contract.from_term("acme", segment, date(2026, 7, 1), term_months=12, acv=100000)


def test_enterprise_confirmed_30_days_before_succeeds() -> None:
    """Enterprise confirmed exactly 30 days before expiry with 95 % retained succeeds."""
    o = renewal_outcome(contract(), confirmed_on=date(2027, 5, 31), renewed_acv=95000)
    assert (o.success, o.days_before_expiry, o.retention) == (True, 30, 0.95)


def test_enterprise_confirmed_29_days_before_fails() -> None:
    """Enterprise confirmed 29 days before expiry fails the confirmation criterion only."""
    o = renewal_outcome(contract(), confirmed_on=date(2027, 6, 1), renewed_acv=100000)
    assert (
        o.success,
        o.check("confirmed_early").passed,
        o.check("revenue_retained").passed,
        o.check("on_time").passed,
    ) == (False, False, True, True)


@pytest.mark.parametrize("segment", ["SMB", "PRODUCT_LED"])
def test_smb_and_product_led_need_renewal_by_t0(segment: str) -> None:
    """SMB and product-led succeed when renewed on the renewal date itself (domain-spec I-5)."""
    assert renewal_outcome(contract(segment), confirmed_on=date(2027, 6, 30), renewed_acv=100000).success


def test_mid_market_needs_30_days() -> None:
    """Mid-market keeps the 30-day confirmation rule."""
    assert not renewal_outcome(contract("MID_MARKET"), confirmed_on=date(2027, 6, 30), renewed_acv=100000).success


def test_retention_boundary() -> None:
    """94 999 of 100 000 retained fails; 95 000 passes; expansion counts."""
    low = renewal_outcome(contract(), confirmed_on=date(2027, 4, 1), renewed_acv=94999)
    more = renewal_outcome(contract(), confirmed_on=date(2027, 4, 1), renewed_acv=120000)
    assert (low.check("revenue_retained").passed, more.success, more.retention) == (False, True, 1.2)


def test_retention_of_amended_acv() -> None:
    """Retention compares with the ACV in force at the end of the term (after amendments)."""
    c = contract().amend(date(2027, 1, 1), acv=200000)
    assert renewal_outcome(c, confirmed_on=date(2027, 4, 1), renewed_acv=100000).retention == 0.5


def test_late_execution_fails() -> None:
    """Executed after expiry fails the on-time criterion."""
    o = renewal_outcome(contract(), confirmed_on=date(2027, 5, 1), executed_on=date(2027, 7, 3), renewed_acv=100000)
    assert (o.check("on_time").passed, o.check("on_time").detail) == (
        False,
        "Executed on 2027-07-03 for an expiry on 2027-06-30 (3 days late).",
    )


def test_churned_renewal() -> None:
    """A renewal never confirmed fails every criterion."""
    o = renewal_outcome(contract(), confirmed_on=None, renewed_acv=0)
    assert (o.success, o.days_before_expiry, o.retention, [c.passed for c in o.checks]) == (
        False,
        None,
        0.0,
        [False, False, False],
    )


def test_preferred_terms_informational() -> None:
    """Multi-year and annual prepayment are reported but not required."""
    o = renewal_outcome(
        contract(), confirmed_on=date(2027, 4, 1), renewed_acv=100000, renewed_term_months=12, prepaid_annually=False
    )
    assert (o.success, [c.passed for c in o.checks if not c.required]) == (True, [False, False])


def test_multi_year_preferred_passes() -> None:
    """A 24-month renewal meets the multi-year preference."""
    o = renewal_outcome(
        contract(), confirmed_on=date(2027, 4, 1), renewed_acv=1, renewed_term_months=24, prepaid_annually=True
    )
    assert (o.check("multi_year").passed, o.check("annual_prepayment").passed) == (True, True)


def test_explain() -> None:
    """The verdict names the failed criteria, then one line per check."""
    lines = renewal_outcome(contract(), confirmed_on=date(2027, 6, 1), renewed_acv=90000).explain()
    assert lines[0] == "The renewal of acme due 2027-06-30 did not succeed (failed: confirmed_early, revenue_retained)."
    assert len(lines) == 4


def test_success_explain() -> None:
    """A success is stated plainly."""
    lines = renewal_outcome(contract(), confirmed_on=date(2027, 4, 1), renewed_acv=100000).explain()
    assert lines[0] == "The renewal of acme due 2027-06-30 succeeded."


def test_custom_threshold() -> None:
    """The retention threshold is configurable."""
    assert renewal_outcome(contract(), confirmed_on=date(2027, 4, 1), renewed_acv=90000, min_retention=0.9).success


def test_zero_prior_revenue() -> None:
    """A free contract retains 100 %."""
    c = Contract.from_term("a", "SMB", date(2026, 7, 1), term_months=12, acv=0)
    assert renewal_outcome(c, confirmed_on=date(2027, 6, 1), renewed_acv=0).retention == 1.0


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"confirmed_on": None, "renewed_acv": 10}, "renewed_acv"),
        ({"confirmed_on": None, "renewed_acv": 0, "executed_on": date(2027, 5, 1)}, "executed_on"),
        ({"confirmed_on": date(2027, 5, 1), "renewed_acv": 1, "executed_on": date(2027, 4, 1)}, "executed_on"),
        ({"confirmed_on": date(2027, 5, 1), "renewed_acv": -1}, "renewed_acv"),
        ({"confirmed_on": date(2027, 5, 1), "renewed_acv": 1, "min_retention": 95}, "min_retention"),
        ({"confirmed_on": date(2027, 5, 1), "renewed_acv": 1, "prepaid_annually": "yes"}, "prepaid_annually"),
        ({"confirmed_on": date(2027, 5, 1), "renewed_acv": 1, "renewed_term_months": -12}, "renewed_term_months"),
    ],
)
def test_bad_input_refused(kw: dict[str, object], field: str) -> None:
    """Inconsistent or invalid inputs are refused, naming the field."""
    with pytest.raises(InvalidValueError) as info:
        renewal_outcome(contract(), **kw)  # type: ignore[arg-type]
    assert field == info.value.field


def test_not_a_contract_refused() -> None:
    """renewal_outcome needs a Contract."""
    with pytest.raises(postsale.InvalidTypeError):
        renewal_outcome("acme", confirmed_on=None, renewed_acv=0)  # type: ignore[arg-type]


def test_unknown_check_refused() -> None:
    """Asking for an unknown check is refused."""
    with pytest.raises(InvalidValueError):
        renewal_outcome(contract(), confirmed_on=None, renewed_acv=0).check("vibes")


def test_default_threshold() -> None:
    """The default retention threshold is 95 %."""
    assert MIN_REVENUE_RETENTION == 0.95


@given(st.integers(0, 200), st.integers(0, 200000))
def test_round_trip(days_before: int, renewed: int) -> None:
    """Outcomes round-trip through JSON."""
    o = renewal_outcome(
        contract(), confirmed_on=date.fromordinal(date(2027, 6, 30).toordinal() - days_before), renewed_acv=renewed
    )
    assert o == postsale.from_json(RenewalOutcome, postsale.to_json(o))
