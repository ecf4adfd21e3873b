"""The six-factor scorer: bands on both sides of every edge, overrides, explain, extension points."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import pytest

import postsale
from postsale import DefinitionError, InvalidTypeError, InvalidValueError, TouchModel, UnknownNameError
from postsale.touch import (
    DEFAULT_CONFIG,
    FACTORS,
    AppliedOverride,
    Assessment,
    BusinessProfile,
    Complexity,
    FactorBand,
    ModelBand,
    NumericFactor,
    OverrideSettings,
    PointsBand,
    Scorer,
    TouchConfig,
    assess,
)
from tests.strategies.touch import profile_with


def base(**changes: Any) -> BusinessProfile:
    fields: dict[str, Any] = {
        "acv": 50_000,
        "complexity": "MODERATE",
        "gross_margin": 0.6,
        "positioning": "MARKET_STANDARD",
        "segment": "MID_MARKET",
        "accounts_per_csm": 50,
    }
    return BusinessProfile(**{**fields, **changes})


def points_of(profile: BusinessProfile, factor: str) -> int:
    return assess(profile).factor(factor).points


# ---- totals and model bands (11/12/13, 19/20/21) -----------------------------------------------------


@pytest.mark.parametrize(
    ("points", "total", "expected"),
    [
        ({"complexity": 2, "positioning": 5}, 11, TouchModel.TECH),
        ({"complexity": 3, "positioning": 5}, 12, TouchModel.LOW),
        ({"complexity": 4, "positioning": 5}, 13, TouchModel.LOW),
        ({"acv": 3, "complexity": 5, "margin": 3, "positioning": 5, "growth": 2}, 19, TouchModel.LOW),
        ({"acv": 3, "complexity": 5, "margin": 3, "positioning": 5, "growth": 3}, 20, TouchModel.HIGH),
        ({"acv": 3, "complexity": 5, "margin": 3, "positioning": 5, "growth": 4}, 21, TouchModel.HIGH),
    ],
)
def test_model_band_edges(points: dict[str, int], total: int, expected: TouchModel) -> None:
    """>= 20 HIGH, 12-19 LOW, 6-11 TECH; a boundary score goes to the higher-touch band (A-1)."""
    result = assess(profile_with(**points))
    assert (total, expected) == (result.total, result.scored_model)


@pytest.mark.parametrize(
    ("total", "expected"), [(6, "TECH"), (11, "TECH"), (12, "LOW"), (19, "LOW"), (20, "HIGH"), (30, "HIGH")]
)
def test_model_for_total(total: int, expected: str) -> None:
    """model_for_total applies the default bands."""
    assert TouchModel[expected] == Scorer().model_for_total(total)


@pytest.mark.parametrize("total", [5, 31, 12.0, True])
def test_model_for_total_out_of_range(total: Any) -> None:
    """Totals outside 6-30 (or not whole) are refused."""
    with pytest.raises(InvalidValueError):
        Scorer().model_for_total(total)


def test_minimum_and_maximum_totals() -> None:
    """All-1 profiles total 6 (tech), all-5 profiles total 30 (high)."""
    low, high = assess(profile_with()), assess(profile_with(5, 5, 5, 5, 5, 5))
    assert ((6, TouchModel.TECH), (30, TouchModel.HIGH)) == ((low.total, low.model), (high.total, high.model))


@pytest.mark.parametrize(("total", "expected"), [(12, "TECH"), (13, "LOW"), (20, "LOW"), (21, "HIGH")])
def test_cheaper_tie_alternative(total: int, expected: str) -> None:
    """The 'ties go to the cheaper model' alternative (domain-spec §2.8 (a)) is just other band edges."""
    config = TouchConfig(
        model_bands=(
            ModelBand(6, 12, TouchModel.TECH),
            ModelBand(13, 20, TouchModel.LOW),
            ModelBand(21, 30, TouchModel.HIGH),
        )
    )
    assert TouchModel[expected] == Scorer(config).model_for_total(total)


def test_custom_band_edges_apply_to_assessments() -> None:
    """Configured model edges change the assessed model."""
    config = TouchConfig(model_bands=(ModelBand(6, 12, TouchModel.TECH), ModelBand(13, 30, TouchModel.LOW)))
    result = Scorer(config).assess(profile_with(complexity=3, positioning=5))
    assert (12, TouchModel.TECH) == (result.total, result.model)


# ---- factor bands on both sides of each edge ---------------------------------------------------------


@pytest.mark.parametrize(
    ("acv", "points"), [(0, 1), (9_999, 1), (Decimal("9999.99"), 1), (10_000, 3), (99_999, 3), (100_000, 5)]
)
def test_acv_edges(acv: Any, points: int) -> None:
    """ACV < $10,000 -> 1; $10,000 to < $100,000 -> 3; >= $100,000 -> 5 (A-8, I-16)."""
    assert points == points_of(base(acv=acv), "acv")


@pytest.mark.parametrize(("margin", "points"), [(0.0, 1), (0.499, 1), (0.5, 3), (0.699, 3), (0.7, 5), (1.0, 5)])
def test_margin_edges(margin: float, points: int) -> None:
    """Margin < 50 % -> 1; 50 % to < 70 % -> 3; >= 70 % -> 5 (G8, A-8)."""
    assert points == points_of(base(gross_margin=margin), "margin")


@pytest.mark.parametrize(("employees", "points"), [(0, 1), (99, 1), (100, 3), (999, 3), (1000, 5)])
def test_employee_edges(employees: int, points: int) -> None:
    """Employees < 100 SMB (1); 100-999 mid-market (3); >= 1000 enterprise (5) (G5, A-8)."""
    assert points == points_of(base(segment=None, employees=employees), "segment")


@pytest.mark.parametrize(("segment", "points"), [("SMB", 1), ("MID_MARKET", 3), ("ENTERPRISE", 5), ("PRODUCT_LED", 1)])
def test_segment_points(segment: str, points: int) -> None:
    """Segments score 1 / 3 / 5; product-led counts as the tech-touch volume segment."""
    assert points == points_of(base(segment=segment), "segment")


def test_employees_take_precedence_over_segment() -> None:
    """When both are given, the employee count decides the segment factor."""
    result = assess(base(segment="SMB", employees=5_000))
    assert (5, "employees") == (result.factor("segment").points, result.factor("segment").source)


@pytest.mark.parametrize(
    ("name", "points"), [("LOW", 1), ("LOW_TO_MODERATE", 2), ("MODERATE", 3), ("MODERATE_TO_HIGH", 4), ("HIGH", 5)]
)
def test_complexity_points(name: str, points: int) -> None:
    """Complexity is 1 / 3 / 5 with 2 and 4 for in-between inputs (A-2)."""
    assert points == points_of(base(complexity=name), "complexity")


@pytest.mark.parametrize(
    ("name", "points"),
    [("VALUE", 1), ("VALUE_TO_STANDARD", 2), ("MARKET_STANDARD", 3), ("STANDARD_TO_PREMIUM", 4), ("PREMIUM", 5)],
)
def test_positioning_points(name: str, points: int) -> None:
    """Positioning is 1 / 3 / 5 with 2 and 4 for in-between inputs (A-2)."""
    assert points == points_of(base(positioning=name), "positioning")


@pytest.mark.parametrize(
    ("ratio", "points"),
    [(1, 5), (10, 5), (15, 5), (16, 4), (39, 4), (40, 3), (50, 3), (80, 3), (81, 2), (499, 2), (500, 1)],
)
def test_ratio_edges(ratio: int, points: int) -> None:
    """Supports 1:10 (<= 15) -> 5, 16-39 -> 4, 1:50 (40-80) -> 3, 81-499 -> 2, 1:500+ -> 1 (§2.8)."""
    assert points == points_of(base(accounts_per_csm=ratio), "growth")


@pytest.mark.parametrize(("count", "points"), [(0, 5), (99, 5), (100, 4), (499, 4), (500, 3), (1_999, 3), (2_000, 1)])
def test_customer_count_edges(count: int, points: int) -> None:
    """Customer count: [0,100) startup 5, [100,500) early scale 4, [500,2000) growth 3, >= 2000 at scale 1."""
    assert points == points_of(base(accounts_per_csm=None, customer_count=count), "growth")


@pytest.mark.parametrize(("stage", "points"), [("STARTUP", 5), ("EARLY_SCALE", 4), ("GROWTH", 3), ("AT_SCALE", 1)])
def test_growth_stage_points(stage: str, points: int) -> None:
    """A declared growth stage scores by the stage table."""
    assert points == points_of(base(accounts_per_csm=None, growth_stage=stage), "growth")


def test_ratio_takes_precedence_over_count_and_stage() -> None:
    """The CSM ratio decides the growth factor when given; then the customer count; then the stage."""
    both = assess(base(accounts_per_csm=600, customer_count=10, growth_stage="STARTUP")).factor("growth")
    count = assess(base(accounts_per_csm=None, customer_count=5_000, growth_stage="STARTUP")).factor("growth")
    assert (("accounts_per_csm", 1), ("customer_count", 1)) == (
        (both.source, both.points),
        (count.source, count.points),
    )


def test_configurable_acv_edge() -> None:
    """ACV edges are configurable, with 2 and 4 points for in-between bands."""
    from postsale.touch import AcvBand

    config = TouchConfig(
        acv_bands=(
            AcvBand(Decimal(0), Decimal(5_000), 1),
            AcvBand(Decimal(5_000), Decimal(10_000), 2),
            AcvBand(Decimal(10_000), None, 4),
        )
    )
    scorer = Scorer(config)
    assert [1, 2, 2, 4] == [scorer.assess(base(acv=a)).factor("acv").points for a in (4_999, 5_000, 9_999, 10_000)]


# ---- overrides ------------------------------------------------------------------------------------------


def test_complex_product_never_tech_touch() -> None:
    """A genuinely complex product scored tech-touch is lifted to low-touch (domain-spec §2.3)."""
    result = assess(profile_with(complexity=5))
    assert (TouchModel.TECH, TouchModel.LOW, ("complex_product",)) == (
        result.scored_model,
        result.model,
        tuple(o.name for o in result.overrides),
    )


def test_moderately_complex_product_may_be_tech_touch() -> None:
    """MODERATE_TO_HIGH is below the default 'genuinely complex' level."""
    assert TouchModel.TECH == assess(profile_with(complexity=4)).model


def test_complex_level_configurable() -> None:
    """The complexity from which the floor applies is configurable."""
    config = TouchConfig(overrides=OverrideSettings(complex_product_from=Complexity.MODERATE_TO_HIGH))
    assert TouchModel.LOW == Scorer(config).assess(profile_with(complexity=4)).model


def test_enterprise_gets_high_touch() -> None:
    """An enterprise customer scored low-touch gets high-touch (domain-spec §2.4)."""
    result = assess(profile_with(segment=5, complexity=3, positioning=3))
    assert (TouchModel.LOW, TouchModel.HIGH, "enterprise") == (
        result.scored_model,
        result.model,
        result.overrides[-1].name,
    )


def test_enterprise_by_employee_count() -> None:
    """1,000 employees make an enterprise customer; 999 do not."""
    models = [assess(base(segment=None, employees=n, complexity="LOW", positioning="VALUE")).model for n in (999, 1000)]
    assert [TouchModel.LOW, TouchModel.HIGH] == models


def test_competitor_lifts_floor() -> None:
    """A competitor offering dedicated CSMs at the same price lifts tech-touch to low-touch (§2.6)."""
    result = assess(profile_with(competitor_dedicated_csm=True))
    assert (TouchModel.LOW, ("competitor_dedicated_csm",)) == (result.model, tuple(o.name for o in result.overrides))


def test_overrides_never_lower() -> None:
    """Floors never lower a model that is already above them."""
    result = assess(profile_with(5, 5, 5, 5, 5, 5, competitor_dedicated_csm=True))
    assert (TouchModel.HIGH, ()) == (result.model, result.overrides)


def test_several_overrides_in_order() -> None:
    """Overrides apply in order, each recorded with the model before and after."""
    config = TouchConfig(overrides=OverrideSettings(competitor_floor=TouchModel.HIGH))
    result = Scorer(config).assess(profile_with(complexity=5, competitor_dedicated_csm=True))
    assert [
        ("complex_product", "TECH", "LOW"),
        ("competitor_dedicated_csm", "LOW", "HIGH"),
    ] == [(o.name, o.from_model.name, o.to_model.name) for o in result.overrides]


def test_overrides_can_be_disabled() -> None:
    """Setting an override to None disables it."""
    config = TouchConfig(
        overrides=OverrideSettings(
            complex_product_from=None, enterprise_model=None, competitor_floor=None, economics_ceiling=False
        )
    )
    result = Scorer(config).assess(profile_with(complexity=5, segment=5, competitor_dedicated_csm=True))
    assert (TouchModel.LOW, TouchModel.LOW, ()) == (result.scored_model, result.model, result.overrides)


def test_override_reason_explained() -> None:
    """An override's reason is one sentence citing the spec."""
    reason = assess(profile_with(complexity=5)).overrides[0].reason
    assert reason.endswith("tech-touch -> low-touch.") and "never gets less than low-touch" in reason


@attrs.frozen
class ValueCap:
    """A custom override: value positioning never gets more than low-touch."""

    name: str = "value_cap"

    def apply(self, profile: BusinessProfile, model: TouchModel) -> AppliedOverride | None:
        if profile.positioning.name == "VALUE" and model is TouchModel.HIGH:
            return AppliedOverride(self.name, model, TouchModel.LOW, "value positioning caps the model at low-touch.")
        return None


def test_custom_override_applies_after_built_ins() -> None:
    """Custom overrides follow the Override protocol and run after the built-in ones."""
    result = Scorer(overrides=[ValueCap()]).assess(profile_with(segment=5))
    assert [("enterprise", "HIGH"), ("value_cap", "LOW")] == [(o.name, o.to_model.name) for o in result.overrides]


def test_custom_override_no_change() -> None:
    """A custom override returning None changes nothing."""
    assert () == Scorer(overrides=[ValueCap()]).assess(profile_with(positioning=3)).overrides


@attrs.frozen
class Broken:
    name: str = "broken"

    def apply(self, profile: BusinessProfile, model: TouchModel) -> Any:
        return "HIGH"


def test_custom_override_bad_result_refused() -> None:
    """A custom override returning something else than AppliedOverride or None is refused."""
    with pytest.raises(InvalidValueError):
        Scorer(overrides=[Broken()]).assess(profile_with())


def test_non_override_refused_at_build() -> None:
    """An object that is not an Override is refused when the scorer is built."""
    with pytest.raises(DefinitionError) as info:
        Scorer(overrides=[object()])  # type: ignore[list-item]
    assert "$.overrides[0]" == info.value.problems[0].path


def test_apply_overrides_directly() -> None:
    """Scorer.apply_overrides applies the overrides to any model (used by migration)."""
    model, applied = Scorer().apply_overrides(profile_with(segment=5), TouchModel.TECH)
    assert (TouchModel.HIGH, ("enterprise",)) == (model, tuple(o.name for o in applied))


# ---- custom factors ------------------------------------------------------------------------------------

SEATS = NumericFactor("seats", (PointsBand(0, 50, 1), PointsBand(50, 500, 3), PointsBand(500, None, 5)))
SEVEN = TouchConfig(
    model_bands=(
        ModelBand(7, 13, TouchModel.TECH),
        ModelBand(14, 23, TouchModel.LOW),
        ModelBand(24, 35, TouchModel.HIGH),
    )
)


def test_added_factor_counts() -> None:
    """A seventh factor adds its points; the bands cover 7-35."""
    result = Scorer(SEVEN, factors=[SEATS]).assess(profile_with(extras={"seats": 600}))
    assert ((1, 1, 1, 1, 1, 1, 5), 11, "seats") == (result.points, result.total, result.bands[-1].factor)


def test_added_factor_needs_matching_bands() -> None:
    """With seven factors the default 6-30 bands are refused."""
    with pytest.raises(DefinitionError) as info:
        Scorer(factors=[SEATS])
    assert "7-35" in info.value.problems[0].message


def test_added_factor_input_shown() -> None:
    """A custom factor's input is read from profile.extras."""
    result = Scorer(SEVEN, factors=[SEATS]).assess(profile_with(extras={"seats": 120}))
    assert (120.0, "50 to under 500") == (result.factor("seats").input, result.factor("seats").band)


def test_added_factor_missing_input() -> None:
    """A missing custom input is refused, naming it."""
    with pytest.raises(InvalidValueError) as info:
        Scorer(SEVEN, factors=[SEATS]).assess(profile_with())
    assert "extras['seats']" == info.value.field


def test_added_factor_negative_input() -> None:
    """A negative custom input is refused (the bands start at 0)."""
    with pytest.raises(InvalidValueError):
        Scorer(SEVEN, factors=[SEATS]).assess(profile_with(extras={"seats": -1}))


@attrs.frozen
class ComplexityByWeeks:
    """Replaces the complexity factor: implementation weeks from extras."""

    name: str = "complexity"

    def band(self, profile: BusinessProfile) -> FactorBand:
        weeks = profile.extras.get("weeks", 0)
        return FactorBand(
            "complexity", "extras.weeks", "6+ weeks" if weeks >= 6 else "under 6 weeks", 5 if weeks >= 6 else 1
        )


def test_replacing_a_built_in_factor() -> None:
    """A factor named like a built-in replaces it; the total range stays 6-30."""
    result = Scorer(factors=[ComplexityByWeeks()]).assess(profile_with(extras={"weeks": 6}))
    assert (5, 10, FACTORS) == (result.factor("complexity").points, result.total, tuple(b.factor for b in result.bands))


@attrs.frozen
class BadFactor:
    name: str = "bad"

    def band(self, profile: BusinessProfile) -> FactorBand:
        return FactorBand("bad", "bad", "bad", 9)


def test_factor_points_checked() -> None:
    """A custom factor returning points outside 1-5 is refused."""
    with pytest.raises(InvalidValueError):
        Scorer(SEVEN, factors=[BadFactor()]).assess(profile_with())


def test_non_factor_refused() -> None:
    """An object that is not a Factor is refused when the scorer is built."""
    with pytest.raises(DefinitionError):
        Scorer(factors=[42])  # type: ignore[list-item]


def test_duplicate_factor_refused() -> None:
    """Two added factors with one name are refused."""
    with pytest.raises(DefinitionError):
        Scorer(SEVEN, factors=[SEATS, SEATS])


def test_numeric_factor_validates_bands() -> None:
    """NumericFactor bands are validated like config bands."""
    with pytest.raises(DefinitionError):
        NumericFactor("seats", (PointsBand(0, 50, 1), PointsBand(60, None, 3)))


def test_numeric_factor_round_trips() -> None:
    """NumericFactor is plain data."""
    assert SEATS == postsale.from_data(NumericFactor, postsale.to_data(SEATS))


# ---- the assessment ------------------------------------------------------------------------------------


def test_factor_evidence() -> None:
    """Each factor carries its input, band and points."""
    factor = assess(base(acv=99_999)).factor("acv")
    assert ("acv", "acv", Decimal(99_999), "$10,000 to under $100,000", 3) == (
        factor.factor,
        factor.source,
        factor.input,
        factor.band,
        factor.points,
    )


def test_unknown_factor_name() -> None:
    """Asking for an unknown factor lists the known ones."""
    with pytest.raises(UnknownNameError) as info:
        assess(base()).factor("price")
    assert "acv" in str(info.value)


def test_mixed_profile_flag() -> None:
    """Points containing both a 1 and a 5 flag a mixed profile (A-3)."""
    assert (True, False, False) == (
        assess(profile_with(acv=5)).mixed,
        assess(profile_with(acv=3)).mixed,
        assess(profile_with(5, 5, 5, 5, 5, 4)).mixed,
    )


def test_mixed_explained() -> None:
    """The explanation mentions a mixed profile."""
    assert any(line.startswith("Mixed profile") for line in assess(profile_with(acv=5)).explain())


def test_explain_worked_example() -> None:
    """explain() gives one sentence per factor, the total, the overrides and the model."""
    profile = BusinessProfile(
        acv=25_000,
        complexity="MODERATE",
        gross_margin=0.7,
        positioning="MARKET_STANDARD",
        employees=250,
        customer_count=1_200,
    )
    expected = [
        "ACV: $25,000 is in band '$10,000 to under $100,000', worth 3 points.",
        "Product complexity: MODERATE is in band 'MODERATE', worth 3 points.",
        "Customer segment: 250 employees is in band 'MID_MARKET (100 to under 1,000 employees)', worth 3 points.",
        "Gross margin: 70 % is in band '70 % and above', worth 5 points.",
        "Competitive positioning: MARKET_STANDARD is in band 'MARKET_STANDARD', worth 3 points.",
        "Growth stage: 1,200 customers is in band 'GROWTH (500 to under 2,000 customers)', worth 3 points.",
        "Total 20 (of 6-30) gives high-touch (a boundary score goes to the higher-touch model).",
        "Override 'economics': the account's ACV pays for low-touch at most: high-touch (one CSM at $150,000 for 10 "
        "accounts) costs $15,000 per account, more than 15 % of revenue below an ACV of $100,000; "
        "high-touch -> low-touch.",
        "Recommended model: low-touch.",
    ]
    assert expected == assess(profile).explain()


def test_explain_ratio_and_stage_inputs() -> None:
    """Ratio and stage inputs are shown in words."""
    lines = (
        assess(base(accounts_per_csm=12)).explain()
        + assess(base(accounts_per_csm=None, growth_stage="GROWTH")).explain()
    )
    assert (True, True) == (
        "Growth stage: 1:12 CSM ratio is in band 'under 16 accounts per CSM', worth 5 points." in lines,
        "Growth stage: GROWTH is in band 'GROWTH', worth 3 points." in lines,
    )


def test_explain_single_point() -> None:
    """One point is singular."""
    assert "ACV: $5,000 is in band 'under $10,000', worth 1 point." == assess(profile_with()).explain()[0]


def test_explain_override_line() -> None:
    """Overrides appear in the explanation."""
    assert any(line.startswith("Override 'enterprise'") for line in assess(profile_with(segment=5)).explain())


def test_scores_are_shared() -> None:
    """Profiles landing in the same bands share one tuple of bands and one TouchScore."""
    scorer = Scorer()
    a, b = scorer.assess(base(acv=20_000)), scorer.assess(base(acv=30_000))
    assert (True, True, False) == (a.score is b.score, a.bands is b.bands, a.profile == b.profile)


def test_assessment_is_frozen() -> None:
    """Assessments are immutable."""
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        assess(base()).score = None  # type: ignore[misc]


def test_assess_refuses_non_profile() -> None:
    """assess() needs a BusinessProfile."""
    with pytest.raises(InvalidTypeError) as info:
        assess({"acv": 1})  # type: ignore[arg-type]
    assert "profile" == info.value.field


def test_custom_scorer_refuses_non_profile() -> None:
    """The custom-factor path checks the type too."""
    with pytest.raises(InvalidTypeError):
        Scorer(SEVEN, factors=[SEATS]).assess(None)  # type: ignore[arg-type]


def test_scorer_refuses_non_config() -> None:
    """Scorer needs a TouchConfig."""
    with pytest.raises(InvalidTypeError):
        Scorer({"model_bands": []})  # type: ignore[arg-type]


def test_scorer_repr() -> None:
    """The scorer's repr names its factors."""
    assert (
        "Scorer(factors=['acv', 'complexity', 'segment', 'margin', 'positioning', 'growth'], overrides=0 custom)"
        == repr(Scorer())
    )


def test_assessment_round_trip_example() -> None:
    """An assessment with overrides round-trips through JSON."""
    value = assess(profile_with(complexity=5, segment=5))
    assert value == postsale.from_json(Assessment, postsale.to_json(value))


def test_scores_shared_across_bands() -> None:
    """Profiles that score alike share one TouchScore even when their bands differ."""
    a, b = assess(profile_with(acv=3)), assess(profile_with(margin=3))
    assert (True, False) == (a.score is b.score, a.bands == b.bands)


def test_default_config_is_used() -> None:
    """The default scorer uses DEFAULT_CONFIG."""
    assert DEFAULT_CONFIG == Scorer().config
