"""Public entry points refuse garbage with a PostsaleError naming the field (no bare TypeError escapes)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from postsale import InvalidTypeError
from postsale.touch import (
    BusinessProfile,
    NumericFactor,
    PointsBand,
    TierAssignment,
    assess,
    migrate_portfolio,
    migrate_tier,
    plan_portfolio,
    project_staffing,
)
from tests.strategies.touch import profile_with

ON = date(2026, 1, 1)
LOW = TierAssignment("acme", "LOW", date(2025, 1, 1))
PROFILE = BusinessProfile(acv=30_000, complexity="MODERATE", gross_margin=0.7, positioning="VALUE", segment="SMB",
                          customer_count=80, account_id="acme")


def error_of(call: Any) -> InvalidTypeError:
    """The InvalidTypeError ``call()`` raises."""
    with pytest.raises(InvalidTypeError) as info:
        call()
    return info.value


def test_numeric_factor_bands_must_be_a_collection() -> None:
    """NumericFactor('x', None) names 'bands' (a string is refused too)."""
    assert "bands" == error_of(lambda: NumericFactor("seats", None)).field
    assert "bands" == error_of(lambda: NumericFactor("seats", "0-50")).field


def test_numeric_factor_still_accepts_a_list() -> None:
    """A list of bands becomes a tuple."""
    bands = [PointsBand(0, 50, 1), PointsBand(50, None, 3)]
    assert tuple(bands) == NumericFactor("seats", bands).bands


def test_migrate_tier_accepts_as_of_positionally() -> None:
    """as_of may be positional or keyword."""
    assessment = assess(profile_with(account_id="acme"))
    assert migrate_tier(LOW, assessment, ON) == migrate_tier(LOW, assessment, as_of=ON)


def test_migrate_tier_refuses_bad_scorer_and_policy() -> None:
    """scorer and policy are type-checked and named."""
    assessment = assess(profile_with(account_id="acme"))
    assert "scorer" == error_of(lambda: migrate_tier(LOW, assessment, ON, scorer="default")).field  # type: ignore[arg-type]
    assert "policy" == error_of(lambda: migrate_tier(LOW, assessment, ON, policy=12)).field  # type: ignore[arg-type]


def test_migrate_portfolio_names_the_bad_input() -> None:
    """Collections, items and as_of are checked up front, each error naming its field."""
    assert "current" == error_of(lambda: migrate_portfolio(None, [], ON)).field  # type: ignore[arg-type]
    assert "current[1]" == error_of(lambda: migrate_portfolio([LOW, "acme"], [], ON)).field  # type: ignore[list-item]
    assert "assessments[0]" == error_of(lambda: migrate_portfolio([LOW], [{}], ON)).field  # type: ignore[list-item]
    assert "as_of" == error_of(lambda: migrate_portfolio([LOW], [], "2026-01-01")).field  # type: ignore[arg-type]


def test_plan_portfolio_names_the_bad_input() -> None:
    """accounts must be a collection; base a profile; scorer a Scorer."""
    error = error_of(lambda: plan_portfolio(None))  # type: ignore[arg-type]
    assert ("accounts", "pass a list or tuple (an empty one is fine)") == (error.field, error.hint)
    assert "base" == error_of(lambda: plan_portfolio([PROFILE], base={})).field  # type: ignore[arg-type]
    assert "scorer" == error_of(lambda: plan_portfolio([PROFILE], scorer=object())).field  # type: ignore[arg-type]


def test_project_staffing_names_the_bad_input() -> None:
    """annual_growth is positional-or-keyword; horizons, multiples and scorer are type-checked."""
    plan = plan_portfolio([PROFILE])
    assert project_staffing(plan, 0.5) == project_staffing(plan, annual_growth=0.5)
    assert "horizons" == error_of(lambda: project_staffing(plan, 0.5, horizons=12)).field  # type: ignore[arg-type]
    assert "multiples" == error_of(lambda: project_staffing(plan, 0.5, multiples="2x")).field  # type: ignore[arg-type]
    assert "scorer" == error_of(lambda: project_staffing(plan, 0.5, scorer=1)).field  # type: ignore[arg-type]
