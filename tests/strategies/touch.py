"""Strategies for the touch context."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import strategies as st

from postsale import Segment
from postsale.touch import (
    BusinessProfile,
    Complexity,
    GrowthStage,
    Positioning,
    TierAssignment,
)
from tests.strategies.vocabulary import dates

acvs = st.decimals(min_value=0, max_value=Decimal(2_000_000), places=2, allow_nan=False, allow_infinity=False)
positive_money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(2_000_000), places=2)
margins = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
complexities = st.sampled_from(list(Complexity))
positionings = st.sampled_from(list(Positioning))
stages = st.sampled_from(list(GrowthStage))
segments = st.sampled_from(list(Segment))
employee_counts = st.integers(min_value=0, max_value=200_000)
customer_counts = st.integers(min_value=0, max_value=50_000)
ratios = st.integers(min_value=1, max_value=5_000)
scored_models = st.sampled_from(["HIGH", "LOW", "TECH"])


@st.composite
def profiles(draw: st.DrawFn, *, with_id: bool = False) -> BusinessProfile:
    """Valid business profiles, using every way of giving the segment and growth inputs."""
    segment = draw(st.none() | segments)
    employees = draw(employee_counts) if segment is None else draw(st.none() | employee_counts)
    growth = draw(st.sampled_from(["ratio", "count", "stage", "all"]))
    return BusinessProfile(
        acv=draw(acvs),
        complexity=draw(complexities),
        gross_margin=draw(margins),
        positioning=draw(positionings),
        segment=segment,
        employees=employees,
        growth_stage=draw(stages) if growth in ("stage", "all") else None,
        customer_count=draw(customer_counts) if growth in ("count", "all") else None,
        accounts_per_csm=draw(ratios) if growth in ("ratio", "all") else None,
        competitor_dedicated_csm=draw(st.booleans()),
        account_id=draw(st.text(min_size=1, max_size=6).filter(str.strip)) if with_id else None,
        extras=draw(st.dictionaries(st.sampled_from(["seats", "modules"]), st.floats(0, 1e6), max_size=2)),
    )


@st.composite
def portfolios(draw: st.DrawFn, *, max_size: int = 40) -> list[BusinessProfile]:
    """Lists of profiles with distinct account ids."""
    items = draw(st.lists(profiles(), min_size=1, max_size=max_size))
    return [attrs.evolve(p, account_id=f"acct-{i}") for i, p in enumerate(items)]


@st.composite
def assignments(draw: st.DrawFn) -> TierAssignment:
    """Valid tier assignments."""
    return TierAssignment(
        account_id=draw(st.text(min_size=1, max_size=6).filter(str.strip)),
        model=draw(scored_models),
        since=draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))),
    )


review_dates = dates


ACV_FOR = {1: 5_000, 3: 50_000, 5: 150_000}
SEGMENT_FOR = {1: "SMB", 3: "MID_MARKET", 5: "ENTERPRISE"}
MARGIN_FOR = {1: 0.4, 3: 0.6, 5: 0.8}
RATIO_FOR = {5: 10, 4: 20, 3: 50, 2: 100, 1: 600}


def profile_with(
    acv: int = 1,
    complexity: int = 1,
    segment: int = 1,
    margin: int = 1,
    positioning: int = 1,
    growth: int = 1,
    **extra: Any,
) -> BusinessProfile:
    """A profile whose factors are worth the given points under the default configuration."""
    return BusinessProfile(
        acv=ACV_FOR[acv],
        complexity=Complexity(complexity),
        segment=SEGMENT_FOR[segment],
        gross_margin=MARGIN_FOR[margin],
        positioning=Positioning(positioning),
        accounts_per_csm=RATIO_FOR[growth],
        **extra,
    )
