"""ROI of a proactive program (BELOW / ON_TARGET / ABOVE 300-500 %) and unit economics."""



from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given

from postsale import DefinitionError, InvalidTypeError, InvalidValueError
from postsale.kpi import (
    LtvToCacTarget,
    RoiAssessment,
    RoiBenefit,
    RoiCost,
    RoiTarget,
    TargetStatus,
    assess_roi,
    unit_economics,
)
from postsale.touch import CostShareStatus
from tests.strategies.kpi import benefits, costs

COST = RoiCost(csm_salaries=60_000, technology=20_000, content=10_000, program_management=10_000)


def roi_for(benefit: int | str, target: RoiTarget | None = None) -> RoiAssessment:
    b = RoiBenefit(prevented_churn=Decimal(benefit))
    return assess_roi(b, COST) if target is None else assess_roi(b, COST, target=target)


# ---- ROI ----------------------------------------------------------------------------------------


def test_roi_totals_each_side():
    """Benefit and cost are the sums of their four parts (domain-spec §6.6)."""
    b = RoiBenefit(prevented_churn=250_000, expansion=150_000, support_cost_reduction=50_000, time_saved=50_000)
    assert (Decimal(500_000), Decimal(100_000)) == (b.total, COST.total)


def test_roi_formula():
    """ROI % = (benefit − cost) / cost × 100."""
    assert Decimal(400) == roi_for(500_000).roi_pct


def test_roi_multiple_is_separate_from_roi():
    """A 3× benefit / cost multiple is a 200 % ROI, below target (I-14)."""
    r = roi_for(300_000)
    assert (Decimal(3), Decimal(200), TargetStatus.BELOW) == (r.benefit_cost_multiple, r.roi_pct, r.status)


@pytest.mark.parametrize(
    ("benefit", "status"),
    [
        ("399999.99", TargetStatus.BELOW),
        (400_000, TargetStatus.ON_TARGET),
        (500_000, TargetStatus.ON_TARGET),
        (600_000, TargetStatus.ON_TARGET),
        ("600000.01", TargetStatus.ABOVE),
    ],
)
def test_roi_target_boundaries(benefit, status):
    """300 % and 500 % are on target; just below is BELOW, just above is ABOVE (A-28)."""
    assert status == roi_for(benefit).status


@pytest.mark.parametrize(
    ("benefit", "meets"), [("399999.99", False), (400_000, True), (600_000, True), (700_000, True)]
)
def test_roi_above_range_still_meets_target(benefit, meets):
    """ABOVE is not a failure: the target is met from 300 % up (A-28)."""
    assert meets == roi_for(benefit).meets_target


def test_roi_negative_when_benefit_below_cost():
    """A program that returns less than it costs has a negative ROI."""
    assert Decimal(-50) == roi_for(50_000).roi_pct


def test_roi_refuses_zero_cost():
    """Cost <= 0 is refused: ROI would divide by zero."""
    with pytest.raises(InvalidValueError, match="cost"):
        assess_roi(RoiBenefit(expansion=1), RoiCost())


def test_roi_refuses_negative_cost_part():
    """A negative cost part is refused, naming it."""
    with pytest.raises(InvalidValueError, match="technology"):
        RoiCost(technology=-1)


def test_roi_refuses_negative_benefit_part():
    """A negative benefit part is refused, naming it."""
    with pytest.raises(InvalidValueError, match="time_saved"):
        RoiBenefit(time_saved=-1)


def test_roi_refuses_wrong_types():
    """Benefit and cost must be their value types."""
    with pytest.raises(InvalidTypeError, match="benefit"):
        assess_roi(100, COST)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="cost"):
        assess_roi(RoiBenefit(), 100)  # type: ignore[arg-type]


def test_roi_custom_target():
    """The target range is configurable."""
    assert TargetStatus.ABOVE == roi_for(400_000, RoiTarget(low_pct=100, high_pct=200)).status


def test_roi_target_refuses_reversed_range():
    """A target whose low end is above its high end is refused."""
    with pytest.raises(DefinitionError, match="low_pct"):
        RoiTarget(low_pct=500, high_pct=300)


def test_roi_explain():
    """The explanation writes the arithmetic, the multiple and the verdict."""
    assert [
        "ROI 400.00 % = (benefit 500,000 − cost 100,000) / cost 100,000 × 100: within the 300-500 % target.",
        "Benefit / cost multiple 5.00× (a multiple of m is an ROI of (m − 1) × 100 %).",
    ] == roi_for(500_000).explain()


@pytest.mark.parametrize(("benefit", "word"), [(100_000, "below"), (700_000, "above")])
def test_roi_explain_verdicts(benefit, word):
    """The verdict says below or above."""
    assert f"{word} the 300-500 % target" in roi_for(benefit).explain()[0]


@given(benefits, costs)
def test_roi_and_multiple_agree(benefit, cost):
    """ROI % = (multiple − 1) × 100."""
    r = assess_roi(benefit, cost)
    assert abs((r.benefit_cost_multiple - 1) * 100 - r.roi_pct) < Decimal("1e-20")


# ---- unit economics -----------------------------------------------------------------------------


def test_cac_payback_of_the_seed_scenario():
    """50 000 CAC on 50 000 ACV at 100 % margin pays back in 12 months (domain-spec §6.5)."""
    assert Decimal(12) == unit_economics(acv=50_000, cac=50_000, gross_margin=1, annual_churn=0.3).cac_payback_months


def test_cac_payback_is_margin_adjusted():
    """At 80 % margin the same CAC takes 15 months."""
    assert Decimal(15) == unit_economics(acv=50_000, cac=50_000, gross_margin=0.8, annual_churn=0.3).cac_payback_months


def test_ltv_formula():
    """LTV = ACV × margin / churn: 50 000 × 0.8 / 0.1 = 400 000."""
    assert Decimal(400_000) == unit_economics(acv=50_000, cac=80_000, gross_margin=0.8, annual_churn=0.1).ltv


@pytest.mark.parametrize(
    ("cac", "status"),
    [
        ("133333.34", TargetStatus.BELOW),
        ("133333.33", TargetStatus.ON_TARGET),
        (100_000, TargetStatus.ON_TARGET),
        (80_000, TargetStatus.ON_TARGET),
        ("79999.99", TargetStatus.ABOVE),
    ],
)
def test_ltv_to_cac_target_boundaries(cac, status):
    """LTV : CAC of 3-5× is on target, both ends inclusive (LTV 400 000)."""
    ue = unit_economics(acv=50_000, cac=cac, gross_margin=0.8, annual_churn=0.1)
    assert status == ue.ltv_to_cac_status


def test_ltv_to_cac_exactly_three():
    """LTV 300 000 on CAC 100 000 is exactly 3× and on target."""
    ue = unit_economics(acv=30_000, cac=100_000, gross_margin=1, annual_churn=0.1)
    assert (Decimal(3), TargetStatus.ON_TARGET) == (ue.ltv_to_cac, ue.ltv_to_cac_status)


def test_cs_cost_share_is_the_touch_contexts():
    """The CS cost share comes from postsale.touch (the 5-15 % rule), not a copy."""
    ue = unit_economics(acv=120_000, cac=50_000, gross_margin=0.8, annual_churn=0.1, cs_cost=12_500)
    assert (CostShareStatus.HEALTHY, Decimal(12_500)) == (ue.cs_cost_share.status, ue.cs_cost_share.cs_cost)


@pytest.mark.parametrize(
    ("cs_cost", "status"),
    [
        ("2499.99", CostShareStatus.UNDER_INVESTED),
        (2_500, CostShareStatus.HEALTHY),
        (7_500, CostShareStatus.HEALTHY),
        ("7500.01", CostShareStatus.OVER_SPENT),
    ],
)
def test_cs_cost_share_boundaries(cs_cost, status):
    """5 % and 15 % of ACV are healthy, both ends inclusive (A-29)."""
    ue = unit_economics(acv=50_000, cac=1, gross_margin=1, annual_churn=0.1, cs_cost=cs_cost)
    assert status == ue.cs_cost_share.status


def test_cs_cost_share_custom_range():
    """The healthy range can be changed."""
    ue = unit_economics(acv=50_000, cac=1, gross_margin=1, annual_churn=0.1, cs_cost=6_000, healthy_to=0.1)
    assert CostShareStatus.OVER_SPENT == ue.cs_cost_share.status


def test_no_cs_cost_no_share():
    """Without a CS cost there is no share and no LTV after CS cost."""
    ue = unit_economics(acv=50_000, cac=1, gross_margin=1, annual_churn=0.1)
    assert (None, None) == (ue.cs_cost_share, ue.ltv_after_cs_cost)


def test_ltv_after_cs_cost():
    """LTV after CS cost = (ACV × margin − CS cost) / churn."""
    ue = unit_economics(acv=50_000, cac=1, gross_margin=0.8, annual_churn=0.1, cs_cost=5_000)
    assert Decimal(350_000) == ue.ltv_after_cs_cost


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("acv", {"acv": 0}),
        ("acv", {"acv": -1}),
        ("cac", {"cac": 0}),
        ("gross_margin", {"gross_margin": 0}),
        ("gross_margin", {"gross_margin": 1.5}),
        ("annual_churn", {"annual_churn": 0}),
        ("annual_churn", {"annual_churn": 1.2}),
        ("cs_cost", {"cs_cost": -5}),
    ],
)
def test_unit_economics_bad_input_names_the_field(field, kwargs):
    """Every bad input names its field."""
    values = {"acv": 50_000, "cac": 50_000, "gross_margin": 0.8, "annual_churn": 0.1} | kwargs
    with pytest.raises(InvalidValueError, match=field):
        unit_economics(**values)


def test_ltv_to_cac_target_refuses_reversed_range():
    """The LTV : CAC target must have low <= high."""
    with pytest.raises(DefinitionError, match="low"):
        LtvToCacTarget(low=5, high=3)


def test_unit_economics_explain():
    """The explanation gives every figure, then the CS cost share sentences."""
    ue = unit_economics(acv=50_000, cac=50_000, gross_margin=1, annual_churn=0.25, cs_cost=5_000)
    lines = ue.explain()
    assert (
        "LTV 200,000 = ACV 50,000 × gross margin 100.00 % / annual churn 25.00 %.",
        "CAC payback 12.0 months = CAC 50,000 / monthly gross profit (typical SaaS: 12-18 months).",
        "LTV : CAC 4.00× is within the 3-5× of mature post-sale operations.",
        5,
    ) == (lines[0], lines[1], lines[2], len(lines))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.59, TargetStatus.BELOW),
        (0.6, TargetStatus.ON_TARGET),
        (0.7, TargetStatus.ON_TARGET),
        (0.71, TargetStatus.ABOVE),
    ],
)
def test_target_status_of_floats(value: float, expected: TargetStatus) -> None:
    """TargetStatus.of places floats as it places Decimals: both ends inclusive (the proactive share uses it)."""
    assert expected == TargetStatus.of(value, 0.6, 0.7)
