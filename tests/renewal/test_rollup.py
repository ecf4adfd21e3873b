"""Forecast roll-up over a period with scenarios, churn and contraction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import postsale
from postsale import InvalidTypeError, InvalidValueError
from postsale.renewal import (
    Contract,
    ForecastCategory,
    ForecastRollup,
    RenewalLine,
    Scenario,
    forecast_renewal,
    roll_up,
)
from tests.strategies.renewal import renewal_lines, scenarios

Q2 = {"period_start": date(2027, 4, 1), "period_end": date(2027, 6, 30)}
LINES = [
    RenewalLine("commit", date(2027, 6, 30), 100000, "COMMIT", expected_arr=110000),
    RenewalLine("likely", date(2027, 5, 15), 50000, "LIKELY", expected_arr=40000),
    RenewalLine("risk", date(2027, 4, 1), 30000, "AT_RISK"),
    RenewalLine("later", date(2027, 7, 1), 999999, "COMMIT"),
    RenewalLine("earlier", date(2027, 3, 31), 999999, "COMMIT"),
]


def test_due_in_period_ends_included() -> None:
    """Renewals on the first and last day of the period count; the days outside do not."""
    r = roll_up(LINES, **Q2)
    assert (3, Decimal(180000)) == (r.renewals_due, r.arr_due)


def test_totals_by_category() -> None:
    """Counts and ARR per category."""
    r = roll_up(LINES, **Q2)
    assert [(1, Decimal(100000)), (1, Decimal(50000)), (1, Decimal(30000))] == [
        (r.category(c).count, r.category(c).arr)
        for c in (ForecastCategory.COMMIT, ForecastCategory.LIKELY, ForecastCategory.AT_RISK)
    ]


def test_low_scenario_only_commit_renews() -> None:
    """Worst case: only COMMIT renews; LIKELY and AT_RISK churn in full (non-renewal)."""
    s = roll_up(LINES, **Q2).scenario("low")
    assert (Decimal(110000), Decimal(80000), Decimal(0), Decimal(10000)) == (
        s.renewed_arr,
        s.churn_arr,
        s.contraction_arr,
        s.expansion_arr,
    )


def test_medium_scenario_splits_churn_and_downgrade() -> None:
    """Most likely: LIKELY renews smaller (downgrade), AT_RISK does not renew (churn)."""
    s = roll_up(LINES, **Q2).scenario("medium")
    assert (Decimal(150000), Decimal(30000), Decimal(10000), Decimal(10000)) == (
        s.renewed_arr,
        s.churn_arr,
        s.contraction_arr,
        s.expansion_arr,
    )


def test_high_scenario_everything_renews() -> None:
    """Best case: everything renews at its expected ARR."""
    s = roll_up(LINES, **Q2).scenario("high")
    assert (Decimal(180000), Decimal(0), 1.0) == (s.renewed_arr, s.churn_arr, s.retention)


def test_weighted_scenario() -> None:
    """Fractional probabilities weight each renewal."""
    s = roll_up(LINES, **Q2, scenarios=[Scenario("base", commit=0.9, likely=0.6, at_risk=0.2)]).scenario("base")
    assert (Decimal("129000.0"), Decimal("54000.0")) == (s.renewed_arr, s.churn_arr)


def test_empty_period() -> None:
    """Nothing due: zero totals and no retention."""
    r = roll_up(LINES, period_start=date(2030, 1, 1), period_end=date(2030, 1, 31))
    assert (0, Decimal(0), None) == (r.renewals_due, r.arr_due, r.scenario("high").retention)


def test_flagged_accounts_listed() -> None:
    """Accounts whose CSM call disagrees are listed."""
    c = Contract.from_term("acme", "SMB", date(2026, 7, 1), term_months=12, acv=1000)
    line = RenewalLine.of(c, forecast_renewal(health="RED", csm_call="COMMIT"))
    r = roll_up([line], **Q2)
    assert (r.flagged, line.category) == (("acme",), ForecastCategory.COMMIT)
    assert r.explain()[-1] == "CSM call disagrees with the computed category for: acme."


def test_line_prefers_computed_when_asked() -> None:
    """prefer='computed' counts the computed category instead of the CSM call."""
    c = Contract.from_term("acme", "SMB", date(2026, 7, 1), term_months=12, acv=1000).amend(date(2027, 1, 1), acv=1200)
    line = RenewalLine.of(c, forecast_renewal(health="RED", csm_call="COMMIT"), prefer="computed", expected_arr=1100)
    assert (ForecastCategory.AT_RISK, Decimal(1200), Decimal(1100), date(2027, 6, 30)) == (
        line.category,
        line.arr,
        line.renewal_arr,
        line.renewal_date,
    )


def test_line_prefer_validated() -> None:
    """prefer must be 'csm' or 'computed'."""
    c = Contract.from_term("acme", "SMB", date(2026, 7, 1), term_months=12, acv=1000)
    with pytest.raises(InvalidValueError) as info:
        RenewalLine.of(c, forecast_renewal(), prefer="boss")  # type: ignore[arg-type]
    assert info.value.field == "prefer"


def test_explain() -> None:
    """The roll-up explains itself in sentences, amounts rounded for display."""
    lines = roll_up(LINES, **Q2).explain()
    assert lines[0] == "3 renewals due 2027-04-01..2027-06-30, ARR 180,000."
    assert "Scenario low: renewed 110,000 (61.1%), churn 80,000, contraction 0, expansion 10,000." in lines


def test_period_end_before_start_refused() -> None:
    """A period ending before it starts is refused."""
    with pytest.raises(InvalidValueError) as info:
        roll_up(LINES, period_start=date(2027, 6, 30), period_end=date(2027, 4, 1))
    assert info.value.field == "period_end"


def test_duplicate_scenarios_refused() -> None:
    """Scenario names must be unique."""
    with pytest.raises(InvalidValueError) as info:
        roll_up(LINES, **Q2, scenarios=[Scenario("x", 1, 1, 1), Scenario("x", 0, 0, 0)])
    assert info.value.field == "scenarios"


def test_bad_line_refused() -> None:
    """Every line must be a RenewalLine."""
    with pytest.raises(InvalidTypeError) as info:
        roll_up([*LINES, "x"], **Q2)  # type: ignore[list-item]
    assert info.value.field == "lines[5]"


def test_probability_outside_unit_interval_refused() -> None:
    """A probability of 1.5 is refused, never clipped."""
    with pytest.raises(InvalidValueError) as info:
        Scenario("x", commit=1.5, likely=0.5, at_risk=0)
    assert info.value.field == "commit"


def test_unknown_scenario_refused() -> None:
    """Asking for an unknown scenario is refused."""
    with pytest.raises(InvalidValueError):
        roll_up(LINES, **Q2).scenario("moon")


def test_negative_arr_refused() -> None:
    """ARR cannot be negative."""
    with pytest.raises(InvalidValueError) as info:
        RenewalLine("a", date(2027, 1, 1), -1, "COMMIT")
    assert info.value.field == "arr"


@given(st.lists(renewal_lines, max_size=8), st.lists(scenarios, max_size=3, unique_by=lambda s: s.name))
def test_retention_identity(lines: list[RenewalLine], plans: list[Scenario]) -> None:
    """For every scenario: due - churn - contraction + expansion = renewed, and categories add up."""
    r = roll_up(lines, period_start=date(2027, 1, 1), period_end=date(2027, 12, 31), scenarios=plans)
    for s in r.scenarios:
        assert r.arr_due - s.churn_arr - s.contraction_arr + s.expansion_arr == s.renewed_arr
    assert r.renewals_due == sum(t.count for t in r.by_category)
    assert r.arr_due == sum(t.arr for t in r.by_category)


@given(st.lists(renewal_lines, max_size=5))
def test_round_trip(lines: list[RenewalLine]) -> None:
    """Roll-ups round-trip through JSON."""
    r = roll_up(lines, period_start=date(2027, 1, 1), period_end=date(2027, 12, 31))
    assert r == postsale.from_json(ForecastRollup, postsale.to_json(r))
