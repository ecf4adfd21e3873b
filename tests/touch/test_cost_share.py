"""The 5-15 % rule (domain-spec §2.5, A-29) and the shared CostShare contract."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import postsale
from postsale import InvalidTypeError, InvalidValueError, PostsaleError
from postsale.touch import (
    HEALTHY_COST_SHARE_FROM,
    HEALTHY_COST_SHARE_TO,
    CostShare,
    CostShareStatus,
    assess_cost_share,
)
from tests.strategies.touch import positive_money

D = Decimal


def test_defaults_are_five_and_fifteen_percent() -> None:
    """The healthy range defaults to 5 %-15 % of revenue."""
    assert (HEALTHY_COST_SHARE_FROM, HEALTHY_COST_SHARE_TO) == (0.05, 0.15)


@pytest.mark.parametrize(
    ("cost", "expected"),
    [
        (D("4.99"), CostShareStatus.UNDER_INVESTED),
        (D("5"), CostShareStatus.HEALTHY),
        (D("5.01"), CostShareStatus.HEALTHY),
        (D("14.99"), CostShareStatus.HEALTHY),
        (D("15"), CostShareStatus.HEALTHY),
        (D("15.01"), CostShareStatus.OVER_SPENT),
    ],
)
def test_both_ends_inclusive(cost: Decimal, expected: CostShareStatus) -> None:
    """5 % and 15 % are healthy to the cent; one cent outside is not (domain-spec A-29)."""
    assert expected == assess_cost_share(cost, D(100)).status


def test_share_is_cost_over_revenue() -> None:
    """The share is cs_cost / revenue as a float."""
    result = assess_cost_share(D(12_500), D(120_000))
    assert (D(12_500), D(120_000), 12_500 / 120_000) == (result.cs_cost, result.revenue, result.share)


def test_over_serving_example() -> None:
    """A $3,000 CSM cost on a $5,000 customer is 60 %: over-spent (domain-spec §2.12 mistake 1)."""
    result = assess_cost_share(D(3_000), D(5_000))
    assert (CostShareStatus.OVER_SPENT, 0.6) == (result.status, result.share)


def test_over_serving_is_explained() -> None:
    """The explanation of an over-spent share names over-serving."""
    assert "over-serving" in assess_cost_share(D(3_000), D(5_000)).explain()[1]


def test_healthy_explained() -> None:
    """A healthy share says so, with the figures."""
    expected = [
        "CS cost $12,500 is 10.42 % of revenue $120,000.",
        "That is inside the healthy 5-15 % range (both ends inclusive): healthy.",
    ]
    assert expected == assess_cost_share(D(12_500), D(120_000)).explain()


def test_under_invested_explained() -> None:
    """An under-invested share mentions retention."""
    assert "retention" in assess_cost_share(D(1), D(100)).explain()[1]


def test_custom_range() -> None:
    """The healthy range is configurable."""
    assert CostShareStatus.OVER_SPENT == assess_cost_share(D(11), D(100), healthy_to=0.10).status


def test_custom_range_lower_end() -> None:
    """The lower end is configurable too."""
    assert CostShareStatus.UNDER_INVESTED == assess_cost_share(D(6), D(100), healthy_from=0.08).status


def test_ints_and_strings_accepted_as_money() -> None:
    """Money may be given as int or decimal string (exact)."""
    assert D("15.00") == assess_cost_share("15.00", 100).cs_cost  # type: ignore[arg-type]


@pytest.mark.parametrize("revenue", [D(0), D(-1)])
def test_revenue_must_be_positive(revenue: Decimal) -> None:
    """Revenue <= 0 raises InvalidValueError naming revenue."""
    with pytest.raises(InvalidValueError) as info:
        assess_cost_share(D(1), revenue)
    assert "revenue" == info.value.field


def test_negative_cost_refused() -> None:
    """A negative cost raises naming cs_cost."""
    with pytest.raises(InvalidValueError) as info:
        assess_cost_share(D(-1), D(10))
    assert "cs_cost" == info.value.field


def test_nan_cost_refused() -> None:
    """NaN is refused, not coerced."""
    with pytest.raises(InvalidValueError):
        assess_cost_share(D("NaN"), D(10))


def test_wrong_type_refused() -> None:
    """A list is not money."""
    with pytest.raises(InvalidTypeError):
        assess_cost_share([1], D(10))  # type: ignore[arg-type]


def test_range_share_above_one_refused() -> None:
    """A range end of 15 (meaning 15 %) is refused, not coerced."""
    with pytest.raises(InvalidValueError) as info:
        assess_cost_share(D(1), D(10), healthy_to=15)
    assert "healthy_to" == info.value.field


def test_reversed_range_refused() -> None:
    """healthy_from above healthy_to is refused."""
    with pytest.raises(InvalidValueError) as info:
        assess_cost_share(D(1), D(10), healthy_from=0.2, healthy_to=0.1)
    assert "healthy_from" == info.value.field


def test_errors_are_postsale_errors() -> None:
    """Every refusal is a PostsaleError."""
    with pytest.raises(PostsaleError):
        assess_cost_share(D(1), D(0))


@given(positive_money, positive_money)
def test_round_trip(cost: Decimal, revenue: Decimal) -> None:
    """A CostShare round-trips through plain data."""
    value = assess_cost_share(cost, revenue)
    assert value == postsale.from_data(CostShare, postsale.to_data(value))


@given(positive_money, positive_money)
def test_status_matches_share(cost: Decimal, revenue: Decimal) -> None:
    """The status agrees with the exact share."""
    value = assess_cost_share(cost, revenue)
    exact = cost / revenue
    expected = (
        CostShareStatus.UNDER_INVESTED
        if exact < D("0.05")
        else CostShareStatus.OVER_SPENT
        if exact > D("0.15")
        else CostShareStatus.HEALTHY
    )
    assert expected == value.status


@given(st.sampled_from(list(CostShareStatus)))
def test_status_serialises_by_name(status: CostShareStatus) -> None:
    """Statuses serialise by name."""
    assert status.name == postsale.to_data(status)
