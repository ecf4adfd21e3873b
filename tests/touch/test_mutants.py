"""The touch context's contract, pinned where mutation testing (scripts/mutation.py touch) found it unpinned:
boundaries on both sides, non-default arguments kept, and the field and words each refusal names."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest

from postsale import DefinitionError, InvalidTypeError, InvalidValueError, OutOfOrderError, PostsaleError
from postsale.touch import (
    BusinessProfile,
    NumericFactor,
    PointsBand,
    TierAssignment,
    assess,
    assess_cost_share,
    migrate_tier,
    pilot_plan,
    plan_portfolio,
    project_staffing,
)
from postsale.touch._cost_share import check_healthy_range

COMPANY = {"complexity": "LOW_TO_MODERATE", "gross_margin": 0.6, "positioning": "VALUE", "growth_stage": "GROWTH"}


def test_a_cost_share_keeps_both_ends_of_a_custom_healthy_range() -> None:
    found = assess_cost_share(Decimal(1), Decimal(10), healthy_from=0.02, healthy_to=0.25)
    assert (found.healthy_from, found.healthy_to) == (0.02, 0.25)


def test_a_vanishing_revenue_is_refused_saying_the_share_must_be_finite() -> None:
    with pytest.raises(InvalidValueError) as caught:
        assess_cost_share(Decimal(1), Decimal("1E-999"))
    assert (caught.value.field, caught.value.constraint) == ("revenue", "cs_cost / revenue must be a finite number")


def test_a_healthy_range_names_the_end_it_refuses() -> None:
    for args, field in (((2, 0.5), "healthy_from"), ((0.1, 2), "healthy_to"), ((0.5, 0.1), "healthy_from")):
        with pytest.raises(InvalidValueError) as caught:
            check_healthy_range(*args)
        assert caught.value.field == field


def test_growth_of_exactly_the_largest_multiple_is_projected_and_more_is_refused() -> None:
    plan = plan_portfolio([BusinessProfile(acv=150_000, segment="ENTERPRISE", **COMPANY)] * 2)
    assert project_staffing(plan, annual_growth=10.0).horizons
    with pytest.raises(InvalidValueError) as caught:
        project_staffing(plan, annual_growth=10.000001)
    assert caught.value.field == "annual_growth"


def test_a_pilot_names_what_it_refuses_and_explains_an_empty_plan() -> None:
    plan = pilot_plan([f"acct-{i}" for i in range(20)], seed=7)
    with pytest.raises(InvalidTypeError) as caught:
        attrs.evolve(plan, pilot=[1])
    assert caught.value.field.startswith("pilot")
    with pytest.raises(PostsaleError) as caught:
        attrs.evolve(plan, strata={"SMB": (1, 2)})
    assert "strata" in caught.value.field
    empty = attrs.evolve(plan, pilot=(), control=(), accounts=0, strata={})
    assert empty.explain()


def test_an_empty_portfolio_and_a_base_that_is_not_a_profile_say_what_to_pass() -> None:
    with pytest.raises(InvalidValueError) as caught:
        plan_portfolio([])
    assert (caught.value.field, caught.value.hint) == ("accounts", "pass accounts")
    with pytest.raises(InvalidTypeError) as caught:
        plan_portfolio([BusinessProfile(acv=150_000, segment="ENTERPRISE", **COMPANY)], base="company")
    assert (caught.value.field, caught.value.hint) == ("base", "pass the company-wide BusinessProfile(...)")


def test_a_custom_factor_refuses_a_negative_input_and_gaps_between_its_bands() -> None:
    seats = NumericFactor("seats", (PointsBand(0, 50, 1), PointsBand(50, None, 3)))
    profile = BusinessProfile(acv=10_000, segment="SMB", extras={"seats": -1}, **COMPANY)
    with pytest.raises(InvalidValueError) as caught:
        seats.band(profile)
    assert (caught.value.field, caught.value.hint) == ("extras['seats']", "pass a value >= 0")
    with pytest.raises(DefinitionError) as caught:
        NumericFactor("seats", (PointsBand(1, 50, 1), PointsBand(50, None, 3)))
    assert [(p.path, p.message) for p in caught.value.problems] == [
        ("$.bands[0].lower", "the first band must start at 0, got 1")]


def test_migrating_before_the_tier_began_names_the_review_date() -> None:
    current = TierAssignment("globex", "LOW", since=date(2025, 3, 1))
    grown = assess(BusinessProfile(acv=120_000, segment="MID_MARKET", **COMPANY))
    with pytest.raises(OutOfOrderError) as caught:
        migrate_tier(current, grown, as_of=date(2025, 1, 1))
    assert caught.value.field == "as_of"
