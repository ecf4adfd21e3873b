"""Hypothesis properties of the touch context (issue point 9)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

import postsale
from postsale import Segment, TouchModel
from postsale.touch import (
    AppliedOverride,
    Assessment,
    BusinessProfile,
    Complexity,
    GrowthStage,
    MigrationOutcome,
    ModelBand,
    OverrideSettings,
    Positioning,
    Scorer,
    StaffingProjection,
    TierAssignment,
    TouchConfig,
    assess,
    assess_economics,
    migrate_tier,
    plan_portfolio,
    project_staffing,
)
from tests.strategies.touch import assignments, portfolios, profiles

NO_OVERRIDES = Scorer(
    TouchConfig(overrides=OverrideSettings(complex_product_from=None, enterprise_model=None, competitor_floor=None))
)
INTENSITY = {TouchModel.TECH: 1, TouchModel.LOW: 2, TouchModel.HIGH: 3}
SEGMENT_ORDER = [Segment.SMB, Segment.MID_MARKET, Segment.ENTERPRISE]


@attrs.frozen
class Nothing:
    """A custom override that never applies: forces the scorer's general (unshared) path."""

    name: str = "nothing"

    def apply(self, profile: BusinessProfile, model: TouchModel) -> AppliedOverride | None:
        return None


GENERAL = Scorer(overrides=[Nothing()])
NO_CEILING = Scorer(TouchConfig(overrides=OverrideSettings(economics_ceiling=False)))


def raised(profile: BusinessProfile, data: st.DataObject) -> BusinessProfile:
    """Return the profile with one factor's input moved towards more touch."""
    choice = data.draw(st.sampled_from(["acv", "margin", "complexity", "positioning", "segment", "growth"]))
    changes: dict[str, Any] = {}
    if choice == "acv":
        changes["acv"] = profile.acv + data.draw(st.decimals(0, 500_000, places=2))
    elif choice == "margin":
        changes["gross_margin"] = data.draw(st.floats(profile.gross_margin, 1.0))
    elif choice == "complexity":
        changes["complexity"] = Complexity(data.draw(st.integers(int(profile.complexity), 5)))
    elif choice == "positioning":
        changes["positioning"] = Positioning(data.draw(st.integers(int(profile.positioning), 5)))
    elif choice == "segment":
        if profile.employees is not None:
            changes["employees"] = profile.employees + data.draw(st.integers(0, 10_000))
        elif profile.segment in SEGMENT_ORDER:
            changes["segment"] = data.draw(st.sampled_from(SEGMENT_ORDER[SEGMENT_ORDER.index(profile.segment) :]))
    elif profile.accounts_per_csm is not None:
        changes["accounts_per_csm"] = data.draw(st.integers(1, profile.accounts_per_csm))
    elif profile.customer_count is not None:
        changes["customer_count"] = data.draw(st.integers(0, profile.customer_count))
    else:
        assert profile.growth_stage is not None
        changes["growth_stage"] = GrowthStage(data.draw(st.integers(1, int(profile.growth_stage))))
    return attrs.evolve(profile, **changes)


@given(profiles())
def test_total_within_six_to_thirty(profile: BusinessProfile) -> None:
    """The total is always within 6-30 and equals the sum of the points."""
    result = assess(profile)
    assert (True, result.total) == (6 <= result.total <= 30, sum(result.points))


@given(profiles(), st.data())
def test_raising_one_factor_never_lowers_the_model(profile: BusinessProfile, data: st.DataObject) -> None:
    """Raising any single factor's input never lowers the model (without overrides)."""
    before = NO_OVERRIDES.assess(profile)
    after = NO_OVERRIDES.assess(raised(profile, data))
    assert INTENSITY[after.model] >= INTENSITY[before.model]


@given(profiles(), st.data())
def test_raising_one_factor_never_lowers_the_total(profile: BusinessProfile, data: st.DataObject) -> None:
    """Raising any single factor's input never lowers the total."""
    assert NO_OVERRIDES.assess(raised(profile, data)).total >= NO_OVERRIDES.assess(profile).total


@given(profiles())
def test_floors_only_raise_the_model(profile: BusinessProfile) -> None:
    """Without the economics ceiling the built-in overrides are floors: the model is never below the scored model."""
    result = NO_CEILING.assess(profile)
    assert INTENSITY[result.model] >= INTENSITY[result.scored_model]


@given(profiles())
def test_only_the_floors_lift_a_model_above_the_economics(profile: BusinessProfile) -> None:
    """The economics ceiling caps the scored model at what the ACV pays for (assess_economics' recommendation, or
    tech-touch); only a floor (complex product, competitor, enterprise) lifts the model above that cap."""
    result = assess(profile)
    economics = assess_economics(profile.acv, profile.gross_margin) if profile.acv > 0 else None
    cap = TouchModel.TECH if economics is None or economics.recommended is None else economics.recommended
    capped = min(result.scored_model, cap, key=INTENSITY.__getitem__)
    floors = [o for o in result.overrides if o.name != "economics"]
    if floors:
        assert INTENSITY[result.model] > INTENSITY[capped]
    else:
        assert result.model == capped
    assert [o.name for o in result.overrides if o.name == "economics"] == (
        ["economics"] if capped is not result.scored_model else []
    )


@given(profiles())
def test_shared_path_equals_general_path(profile: BusinessProfile) -> None:
    """The hot path (shared scores) gives the same assessment as the general path."""
    assert GENERAL.assess(profile) == assess(profile)


@given(profiles())
def test_mixed_flag_matches_points(profile: BusinessProfile) -> None:
    """mixed is exactly 'points contain both 1 and 5'."""
    result = assess(profile)
    assert (1 in result.points and 5 in result.points) == result.mixed


@given(profiles(with_id=True))
def test_assessment_round_trips(profile: BusinessProfile) -> None:
    """Assessments round-trip through plain data and JSON."""
    value = assess(profile)
    assert value == postsale.from_data(Assessment, postsale.to_data(value))
    assert value == postsale.from_json(Assessment, postsale.to_json(value))


@given(profiles())
def test_explain_has_a_line_per_factor(profile: BusinessProfile) -> None:
    """explain() has one sentence per factor, then the total, and ends with the model."""
    result = assess(profile)
    lines = result.explain()
    assert (True, True) == (len(lines) >= 8, lines[-1].startswith("Recommended model:"))


@given(portfolios())
def test_portfolio_totals_equal_sum_of_accounts(accounts: list[BusinessProfile]) -> None:
    """Portfolio totals equal the sums over accounts and tiers."""
    plan = plan_portfolio(accounts)
    assert (
        len(accounts),
        sum((a.acv for a in accounts), Decimal(0)),
        sum((a.cs_cost for a in plan.accounts), Decimal(0)),
        sum(plan.distribution.values()),
    ) == (plan.account_count, plan.revenue, plan.cs_cost, len(plan.accounts))


@given(portfolios())
def test_portfolio_tiers_match_assessments(accounts: list[BusinessProfile]) -> None:
    """Each account's tier is its assessed model; HYBRID iff more than one tier."""
    plan = plan_portfolio(accounts)
    models = [assess(a).model for a in accounts]
    assert (models, len(set(models)) > 1) == ([a.model for a in plan.accounts], plan.hybrid)


@given(portfolios(max_size=15))
def test_portfolio_round_trips(accounts: list[BusinessProfile]) -> None:
    """Portfolio plans round-trip through plain data."""
    plan = plan_portfolio(accounts)
    assert plan == postsale.from_data(type(plan), postsale.to_data(plan))


@given(portfolios(max_size=15), st.floats(-0.9, 3.0))
def test_projection_never_shrinks_staff_when_growing(accounts: list[BusinessProfile], growth: float) -> None:
    """Projected CSMs never fall as the horizon lengthens when growth is >= 0, and round-trip."""
    projection = project_staffing(plan_portfolio(accounts), annual_growth=growth)
    csms = [p.csms_needed for p in projection.horizons]
    if growth >= 0:
        assert csms == sorted(csms)
    assert projection == postsale.from_data(StaffingProjection, postsale.to_data(projection))


@given(assignments(), profiles(), st.integers(0, 800))
def test_migration_respects_commitment(current: TierAssignment, profile: BusinessProfile, days: int) -> None:
    """A move only happens on or after the end of the commitment period; holds keep the tier."""
    assessment = assess(attrs.evolve(profile, account_id=current.account_id))
    event = migrate_tier(current, assessment, as_of=current.since + timedelta(days=days))
    if event.moved:
        assert (True, True) == (event.as_of >= event.earliest, event.to_model is not current.model)
    else:
        assert current.model == event.to_model


@given(assignments(), profiles())
def test_migration_round_trips(current: TierAssignment, profile: BusinessProfile) -> None:
    """Migration events round-trip."""
    event = migrate_tier(current, assess(profile), as_of=date(2099, 1, 1))
    assert event == postsale.from_data(type(event), postsale.to_data(event))


@given(assignments(), profiles())
def test_unchanged_means_same_target(current: TierAssignment, profile: BusinessProfile) -> None:
    """UNCHANGED means the score (with overrides) points at the current tier."""
    event = migrate_tier(current, assess(profile), as_of=date(2099, 1, 1))
    if event.outcome is MigrationOutcome.UNCHANGED:
        assert current.model == event.target_model


@given(st.integers(7, 29).flatmap(lambda a: st.tuples(st.just(a), st.integers(a + 1, 30))))
def test_configs_with_any_edges_round_trip(edges: tuple[int, int]) -> None:
    """Configurations with any valid model edges round-trip through JSON."""
    low_from, high_from = edges
    config = TouchConfig(
        model_bands=(
            ModelBand(6, low_from - 1, TouchModel.TECH),
            ModelBand(low_from, high_from - 1, TouchModel.LOW),
            ModelBand(high_from, 30, TouchModel.HIGH),
        )
    )
    assert config == postsale.from_json(TouchConfig, postsale.to_json(config))


@given(assignments())
def test_tier_assignment_round_trips(value: TierAssignment) -> None:
    """Tier assignments round-trip through plain data."""
    assert postsale.from_data(TierAssignment, postsale.to_data(value)) == value
