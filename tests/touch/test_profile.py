"""BusinessProfile: inputs of the six-factor scorer, validated (issue point 8)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given

import postsale
from postsale import AccountSnapshot, InvalidTypeError, InvalidValueError, Segment, UnknownNameError
from postsale.review import DEFAULT_REVIEW_SETTINGS
from postsale.touch import (
    DEFAULT_COMPANY_PROFILE,
    BusinessProfile,
    Complexity,
    GrowthStage,
    Positioning,
    Scorer,
    assess,
)
from tests.strategies.touch import profiles

BASE: dict[str, Any] = {
    "acv": 50_000,
    "complexity": "MODERATE",
    "gross_margin": 0.7,
    "positioning": "MARKET_STANDARD",
    "segment": "MID_MARKET",
    "customer_count": 300,
}


def make(**changes: Any) -> BusinessProfile:
    return BusinessProfile(**{**BASE, **changes})


def test_names_are_parsed() -> None:
    """Enum inputs may be given by name."""
    profile = make(complexity="moderate-to-high", positioning="premium", segment="mid-market")
    assert (Complexity.MODERATE_TO_HIGH, Positioning.PREMIUM, Segment.MID_MARKET) == (
        profile.complexity,
        profile.positioning,
        profile.segment,
    )


def test_acv_is_exact_decimal() -> None:
    """ACV is stored as an exact Decimal."""
    assert Decimal("99999.99") == make(acv="99999.99").acv


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"acv": -1}, InvalidValueError, "acv"),
        ({"acv": float("nan")}, InvalidValueError, "acv"),
        ({"acv": Decimal("NaN")}, InvalidValueError, "acv"),
        ({"acv": [1]}, InvalidTypeError, "acv"),
        ({"gross_margin": 1.5}, InvalidValueError, "gross_margin"),
        ({"gross_margin": 70}, InvalidValueError, "gross_margin"),
        ({"gross_margin": -0.1}, InvalidValueError, "gross_margin"),
        ({"gross_margin": float("nan")}, InvalidValueError, "gross_margin"),
        ({"gross_margin": "0.7"}, InvalidTypeError, "gross_margin"),
        ({"segment": "galactic"}, UnknownNameError, "segment"),
        ({"complexity": "EXTREME"}, UnknownNameError, "complexity"),
        ({"positioning": 7}, UnknownNameError, "positioning"),
        ({"growth_stage": "UNICORN"}, UnknownNameError, "growth_stage"),
        ({"employees": -3}, InvalidValueError, "employees"),
        ({"employees": 2.5}, InvalidTypeError, "employees"),
        ({"customer_count": -1}, InvalidValueError, "customer_count"),
        ({"accounts_per_csm": 0}, InvalidValueError, "accounts_per_csm"),
        ({"accounts_per_csm": True}, InvalidTypeError, "accounts_per_csm"),
        ({"competitor_dedicated_csm": 1}, InvalidTypeError, "competitor_dedicated_csm"),
        ({"account_id": "  "}, InvalidValueError, "account_id"),
        ({"extras": {"seats": float("inf")}}, InvalidValueError, "extras['seats']"),
        ({"extras": [1, 2]}, InvalidTypeError, "extras"),
    ],
)
def test_bad_input_names_the_field(changes: dict[str, Any], error: type[Exception], field: str) -> None:
    """Bad input raises a PostsaleError naming the field; nothing is coerced."""
    with pytest.raises(error) as info:
        make(**changes)
    assert field == info.value.field  # type: ignore[attr-defined]


def test_segment_or_employees_required() -> None:
    """Without segment and employees the segment factor cannot be scored."""
    with pytest.raises(InvalidValueError) as info:
        make(segment=None)
    assert "segment" == info.value.field


def test_growth_input_required() -> None:
    """Without ratio, customer count or stage the growth factor cannot be scored."""
    with pytest.raises(InvalidValueError) as info:
        make(customer_count=None)
    assert "growth_stage" == info.value.field


def test_employees_alone_suffice() -> None:
    """An employee count alone is enough for the segment factor."""
    assert 250 == make(segment=None, employees=250).employees


def test_stage_alone_suffices() -> None:
    """A growth stage alone is enough for the growth factor."""
    assert GrowthStage.GROWTH == make(customer_count=None, growth_stage="growth").growth_stage


def test_for_account_takes_acv_segment_and_id() -> None:
    """for_account keeps company-wide factors and takes the snapshot's ACV, segment and id."""
    snap = AccountSnapshot("acme", "ENTERPRISE", date(2026, 1, 31), acv=150_000)
    profile = make(employees=50).for_account(snap)
    assert ("acme", Decimal(150_000), Segment.ENTERPRISE, None, Complexity.MODERATE) == (
        profile.account_id,
        profile.acv,
        profile.segment,
        profile.employees,
        profile.complexity,
    )


def test_for_account_refuses_non_snapshot() -> None:
    """for_account needs an AccountSnapshot."""
    with pytest.raises(InvalidTypeError):
        make().for_account({"acv": 1})  # type: ignore[arg-type]


def test_between_members_are_ordered() -> None:
    """The 'between' members sit between the source levels."""
    assert Complexity.MODERATE < Complexity.MODERATE_TO_HIGH < Complexity.HIGH


@given(profiles(with_id=True))
def test_round_trip(profile: BusinessProfile) -> None:
    """Profiles round-trip through plain data and JSON."""
    assert profile == postsale.from_json(BusinessProfile, postsale.to_json(profile))


# ---- the default company profile -------------------------------------------------------------------------------


def test_default_company_profile_is_a_mid_size_saas_vendor_at_scale() -> None:
    """MODERATE complexity, 75 % margin, market-standard positioning, at scale: 12 points before the account's own."""
    company = DEFAULT_COMPANY_PROFILE
    assert (company.complexity.name, company.gross_margin, company.positioning.name, company.growth_stage) == (
        "MODERATE", 0.75, "MARKET_STANDARD", GrowthStage.AT_SCALE
    )
    points = assess(company).points
    assert 12 == points[1] + points[3] + points[4] + points[5]


def test_the_reviews_current_default_scores_every_account_alike() -> None:
    """Switching the review's own default (3,000 customers) to DEFAULT_COMPANY_PROFILE changes no recommendation:
    at scale either way, the same factors."""
    scorer = Scorer()
    mine, theirs = scorer.account_table(DEFAULT_COMPANY_PROFILE), scorer.account_table(DEFAULT_REVIEW_SETTINGS.company)
    assert {k: (a.total, a.model) for k, a in mine.items()} == {k: (a.total, a.model) for k, a in theirs.items()}
