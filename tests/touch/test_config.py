"""TouchConfig: plain data, validated when built, every problem listed (issue point 7)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import attrs
import pytest

import postsale
from postsale import DefinitionError, Segment, StructureError, TouchModel
from postsale.touch import (
    DEFAULT_CONFIG,
    AcvBand,
    Complexity,
    Coverage,
    GrowthStage,
    MigrationPolicy,
    ModelBand,
    OverrideSettings,
    PointsBand,
    SegmentBand,
    StageBand,
    TouchConfig,
)

D = Decimal


def problems(**changes: Any) -> list[tuple[str, str]]:
    with pytest.raises(DefinitionError) as info:
        TouchConfig(**changes)
    return [(p.path, p.message) for p in info.value.problems]


def paths(**changes: Any) -> list[str]:
    return [path for path, _ in problems(**changes)]


def test_defaults_round_trip_through_json() -> None:
    """The default configuration round-trips through JSON."""
    assert DEFAULT_CONFIG == postsale.from_json(TouchConfig, postsale.to_json(DEFAULT_CONFIG))


def test_plain_data_shape() -> None:
    """Configuration is plain data: enums by name, money as strings."""
    data = postsale.to_data(DEFAULT_CONFIG)
    assert ({"lower": "100000", "upper": None, "points": 5}, 5) == (
        data["acv_bands"][2],
        data["segment_points"]["ENTERPRISE"],
    )


def test_from_plain_dict() -> None:
    """A config can be written as a dict (e.g. loaded from TOML) and built."""
    data = json.loads(postsale.to_json(DEFAULT_CONFIG))
    data["model_bands"] = [
        {"lower": 6, "upper": 12, "model": "TECH"},
        {"lower": 13, "upper": 20, "model": "LOW"},
        {"lower": 21, "upper": 30, "model": "HIGH"},
    ]
    config = postsale.from_data(TouchConfig, data)
    assert ModelBand(13, 20, TouchModel.LOW) == config.model_bands[1]


def test_invalid_plain_data_lists_problems() -> None:
    """Invalid plain data raises a PostsaleError whose message lists every problem with its path."""
    data = postsale.to_data(DEFAULT_CONFIG)
    data["acv_bands"][0]["points"] = 9
    data["margin_bands"][1]["lower"] = 0.6
    with pytest.raises(StructureError) as info:
        postsale.from_data(TouchConfig, data)
    assert (
        True,
        True,
    ) == ("@ $.acv_bands[0].points" in str(info.value), "@ $.margin_bands[1].lower" in str(info.value))


def test_unknown_key_refused() -> None:
    """Unknown keys in plain data are refused with their path."""
    data = postsale.to_data(DEFAULT_CONFIG)
    data["bogus"] = 1
    with pytest.raises(StructureError):
        postsale.from_data(TouchConfig, data)


def test_every_problem_reported_at_once() -> None:
    """Several problems are all listed in one DefinitionError."""
    found = paths(
        acv_bands=(AcvBand(D(0), D(10_000), 0), AcvBand(D(10_000), None, 6)),
        cs_budget_share=1.5,
        coverage=(Coverage(TouchModel.HIGH, 10, D(-1), 8, D(1), D(2)),),
    )
    assert {"$.acv_bands[0].points", "$.acv_bands[1].points", "$.cs_budget_share", "$.coverage[0].csm_salary"} <= set(
        found
    )


def test_gap_refused() -> None:
    """Bands with a gap between them are refused."""
    assert ["$.acv_bands[1].lower"] == paths(acv_bands=(AcvBand(D(0), D(10_000), 1), AcvBand(D(20_000), None, 5)))


def test_overlap_refused() -> None:
    """Overlapping bands are refused."""
    assert ["$.margin_bands[1].lower"] == paths(margin_bands=(PointsBand(0, 0.6, 1), PointsBand(0.5, None, 5)))


def test_first_band_must_start_at_zero() -> None:
    """The first band starts at 0."""
    assert ["$.ratio_bands[0].lower"] == paths(ratio_bands=(PointsBand(1, None, 3),))


def test_last_band_must_be_open() -> None:
    """The last band has no upper edge."""
    assert ["$.ratio_bands[0].upper"] == paths(ratio_bands=(PointsBand(0, 10, 3),))


def test_only_last_band_open() -> None:
    """A band after an open-ended one is refused."""
    assert "$.margin_bands[1].lower" in paths(margin_bands=(PointsBand(0, None, 1), PointsBand(0.5, None, 5)))


def test_empty_band_refused() -> None:
    """A band whose upper edge is not above its lower edge is refused."""
    assert "$.margin_bands[0].upper" in paths(margin_bands=(PointsBand(0, 0, 1), PointsBand(0, None, 5)))


def test_no_bands_refused() -> None:
    """A factor needs at least one band."""
    assert ["$.margin_bands"] == paths(margin_bands=())


def test_margin_edges_are_shares() -> None:
    """Margin edges above 1 (70 meaning 70 %) are refused."""
    assert [
        "$.margin_bands[0].upper",
        "$.margin_bands[1].upper",
        "$.margin_bands[2].upper",
    ] == paths(margin_bands=(PointsBand(0, 50, 1), PointsBand(50, 70, 3), PointsBand(70, None, 5)))


def test_non_numeric_edge_refused() -> None:
    """Band edges must be numbers."""
    assert ["$.margin_bands[0].lower"] == paths(margin_bands=(PointsBand("low", None, 1),))  # type: ignore[arg-type]


def test_acv_edges_must_be_money() -> None:
    """ACV edges are Decimal money."""
    assert ["$.acv_bands[0].lower"] == paths(acv_bands=(AcvBand(0.0, None, 1),))  # type: ignore[arg-type]


@pytest.mark.parametrize("points", [0, 6, 2.5, True])
def test_points_outside_one_to_five_refused(points: object) -> None:
    """Points are whole numbers 1-5."""
    assert ["$.acv_bands[0].points"] == paths(acv_bands=(AcvBand(D(0), None, points),))  # type: ignore[arg-type]


def test_points_must_not_fall_as_input_rises() -> None:
    """Points that fall as ACV rises break monotonicity and are refused."""
    assert ["$.acv_bands[1].points"] == paths(acv_bands=(AcvBand(D(0), D(10), 5), AcvBand(D(10), None, 1)))


def test_ratio_points_must_not_rise() -> None:
    """Points that rise with accounts per CSM are refused (more accounts per CSM = less touch)."""
    assert ["$.ratio_bands[1].points"] == paths(ratio_bands=(PointsBand(0, 10, 1), PointsBand(10, None, 5)))


def test_categorical_points_missing_member() -> None:
    """Every member needs points."""
    assert ["$.complexity_points"] == paths(complexity_points={Complexity.LOW: 1})


def test_categorical_points_out_of_range() -> None:
    """Categorical points are checked too."""
    points = {**DEFAULT_CONFIG.segment_points, Segment.SMB: 0}
    assert ["$.segment_points[SMB]"] == paths(segment_points=points)


def test_categorical_points_unknown_key() -> None:
    """Unknown keys are refused."""
    points = {**DEFAULT_CONFIG.stage_points, "UNICORN": 5}
    assert ["$.stage_points['UNICORN']"] == paths(stage_points=points)


def test_ordered_categorical_points_must_not_fall() -> None:
    """Complexity points must not fall from LOW to HIGH."""
    points = {c: 6 - int(c) for c in Complexity}
    assert ["$.complexity_points"] == paths(complexity_points=points)


def test_stage_bands_must_not_go_back() -> None:
    """Growth stages follow the customer count upwards."""
    bands = (StageBand(0, 100, GrowthStage.GROWTH), StageBand(100, None, GrowthStage.STARTUP))
    assert ["$.stage_bands"] == paths(stage_bands=bands)


def test_employee_bands_are_integers() -> None:
    """Employee band edges are whole numbers."""
    bands = (SegmentBand(0, 99.5, Segment.SMB), SegmentBand(99.5, None, Segment.ENTERPRISE))  # type: ignore[arg-type]
    assert ["$.employee_bands[0].lower"] == paths(employee_bands=bands)


def test_model_band_overlap_refused() -> None:
    """Model bands 6-12 and 12-30 overlap at 12 (the source's ambiguity, A-1) and are refused."""
    found = problems(model_bands=(ModelBand(6, 12, TouchModel.TECH), ModelBand(12, 30, TouchModel.LOW)))
    assert (
        [("$.model_bands[1].lower", "overlaps the band before it (starts at 12, the previous one ends at 12)")]
    ) == found


def test_model_band_gap_refused() -> None:
    """A total with no model is refused."""
    assert ["$.model_bands[1].lower"] == paths(
        model_bands=(ModelBand(6, 10, TouchModel.TECH), ModelBand(12, 30, TouchModel.LOW))
    )


def test_model_band_hybrid_refused() -> None:
    """HYBRID is a portfolio outcome, not a score band."""
    assert ["$.model_bands[0].model"] == paths(model_bands=(ModelBand(6, 30, TouchModel.HYBRID),))


def test_model_band_reversed_refused() -> None:
    """A band whose upper is below its lower is refused."""
    assert "$.model_bands[0].upper" in paths(model_bands=(ModelBand(6, 5, TouchModel.TECH),))


def test_model_bands_must_rise_in_intensity() -> None:
    """A higher total must not give a less intense model."""
    assert ["$.model_bands[1].model"] == paths(
        model_bands=(ModelBand(6, 19, TouchModel.HIGH), ModelBand(20, 30, TouchModel.LOW))
    )


def test_model_bands_need_whole_numbers() -> None:
    """Model band totals are integers."""
    assert ["$.model_bands[0].lower"] == paths(model_bands=(ModelBand(6.5, 30, TouchModel.TECH),))  # type: ignore[arg-type]


def test_no_model_bands_refused() -> None:
    """At least one model band is needed."""
    assert ["$.model_bands"] == paths(model_bands=())


def test_override_floor_hybrid_refused() -> None:
    """An override floor must be a scored model."""
    assert ["$.overrides.enterprise_model"] == paths(overrides=OverrideSettings(enterprise_model=TouchModel.HYBRID))


def test_coverage_needs_each_model_once() -> None:
    """Coverage needs exactly one entry for HIGH, LOW and TECH."""
    found = paths(coverage=DEFAULT_CONFIG.coverage[:2])
    assert ["$.coverage"] == found


def test_coverage_ratio_and_spend_checked() -> None:
    """Coverage ratios >= 1, spend_from <= spend_to, ratios falling with intensity."""
    bad = (
        Coverage(TouchModel.HIGH, 0, D(1), 600, D(5), D(1)),
        *DEFAULT_CONFIG.coverage[1:],
    )
    found = paths(coverage=bad)
    assert {"$.coverage[0].accounts_per_csm", "$.coverage[0].spend_to", "$.coverage"} == set(found)


def test_coverage_hybrid_model_refused() -> None:
    """Coverage entries are for scored models only."""
    bad = (*DEFAULT_CONFIG.coverage, Coverage(TouchModel.HYBRID, 10, D(1), 8, D(1), D(2)))
    assert "$.coverage[3].model" in paths(coverage=bad)


def test_negative_money_refused() -> None:
    """Negative money in the config is refused."""
    bad = (Coverage(TouchModel.HIGH, 10, D(150_000), 8, D(-8_000), D(15_000)), *DEFAULT_CONFIG.coverage[1:])
    assert ["$.coverage[0].spend_from"] == paths(coverage=bad)


def test_non_decimal_money_refused() -> None:
    """Salaries are Decimal."""
    bad = (Coverage(TouchModel.HIGH, 10, 150_000.0, 8, D(8_000), D(15_000)), *DEFAULT_CONFIG.coverage[1:])  # type: ignore[arg-type]
    assert ["$.coverage[0].csm_salary"] == paths(coverage=bad)


@pytest.mark.parametrize("field", ["cs_budget_share", "healthy_from", "healthy_to"])
@pytest.mark.parametrize("value", [1.5, -0.1, float("nan"), "0.1"])
def test_shares_checked(field: str, value: object) -> None:
    """Shares are finite fractions in [0, 1]."""
    assert [f"$.{field}"] == paths(**{field: value})


def test_healthy_range_order() -> None:
    """healthy_from must not exceed healthy_to."""
    assert ["$.healthy_from"] == paths(healthy_from=0.2, healthy_to=0.1)


def test_migration_policy_checked() -> None:
    """Migration margin and commitment are whole numbers >= 0."""
    assert ["$.migration.margin_points", "$.migration.commitment_months"] == paths(
        migration=MigrationPolicy(margin_points=-1, commitment_months=1.5)  # type: ignore[arg-type]
    )


def test_evolve_revalidates() -> None:
    """Changing a config with attrs.evolve validates again."""
    with pytest.raises(DefinitionError):
        attrs.evolve(DEFAULT_CONFIG, cs_budget_share=2.0)


def test_band_of_model_missing() -> None:
    """band_of_model returns None for a model no band gives."""
    config = TouchConfig(model_bands=(ModelBand(6, 19, TouchModel.LOW), ModelBand(20, 30, TouchModel.HIGH)))
    assert config.band_of_model(TouchModel.TECH) is None


def test_definition_error_message_lists_paths() -> None:
    """The message lists each problem with its path."""
    with pytest.raises(DefinitionError) as info:
        TouchConfig(cs_budget_share=3.0)
    assert "@ $.cs_budget_share" in str(info.value)
