"""CS economics and the seeds' three worked examples (domain-spec §2.5, I-15, I-17, A-25)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given

import postsale
from postsale import InvalidValueError, TouchModel
from postsale.touch import (
    AccountEconomics,
    CostShareStatus,
    TouchConfig,
    assess_economics,
    csm_cost_per_account,
    model_for_ratio,
)
from tests.strategies.touch import margins, positive_money

D = Decimal


@pytest.fixture
def example_1() -> AccountEconomics:
    """Enterprise SaaS: $120K ACV, 80 % margin, $150K CSM for 12 accounts."""
    return assess_economics(D(120_000), 0.80, csm_salary=D(150_000), accounts_per_csm=12)


@pytest.fixture
def example_2() -> AccountEconomics:
    """Mid-market SaaS: $25K ACV, 70 % margin, $120K CSM for 50 accounts."""
    return assess_economics(D(25_000), 0.70, csm_salary=D(120_000), accounts_per_csm=50)


@pytest.fixture
def example_3() -> AccountEconomics:
    """SMB SaaS: $3K ACV, 65 % margin."""
    return assess_economics(D(3_000), 0.65)


def test_example_1_figures(example_1: AccountEconomics) -> None:
    """Example 1: gross profit $96,000, budget $12,000, $12,500 per account."""
    assert example_1.plan is not None
    assert (D(96_000), D(12_000), D(12_500)) == (
        example_1.gross_profit,
        example_1.cs_budget,
        example_1.plan.cost_per_account,
    )


def test_example_1_healthy_and_high_touch(example_1: AccountEconomics) -> None:
    """Example 1: 10.4 % is healthy and high-touch is viable and recommended (I-15)."""
    assert example_1.plan is not None
    assert (CostShareStatus.HEALTHY, TouchModel.HIGH, True, TouchModel.HIGH) == (
        example_1.plan.cost_share.status,
        example_1.plan.model,
        example_1.plan.viable,
        example_1.recommended,
    )


def test_example_1_over_budget_but_viable(example_1: AccountEconomics) -> None:
    """Example 1 exceeds the $12,000 budget; the explanation says the 5-15 % rule decides."""
    assert example_1.within_budget is False
    assert any("inside the 5-15 % rule, which decides" in line for line in example_1.explain())


def test_example_2_figures(example_2: AccountEconomics) -> None:
    """Example 2: gross profit $17,500, budget $2,500, $2,400 per account, within budget."""
    assert example_2.plan is not None
    assert (D(17_500), D(2_500), D(2_400), True) == (
        example_2.gross_profit,
        example_2.cs_budget,
        example_2.plan.cost_per_account,
        example_2.within_budget,
    )


def test_example_2_low_touch(example_2: AccountEconomics) -> None:
    """Example 2: the 1:50 plan is low-touch, healthy, and low-touch is recommended."""
    assert example_2.plan is not None
    assert (TouchModel.LOW, CostShareStatus.HEALTHY, TouchModel.LOW) == (
        example_2.plan.model,
        example_2.plan.cost_share.status,
        example_2.recommended,
    )


def test_example_2_high_touch_not_viable(example_2: AccountEconomics) -> None:
    """Example 2: a default high-touch CSM ($15,000, 60 %) is not viable."""
    option = example_2.option(TouchModel.HIGH)
    assert (D(15_000), False) == (option.cost_per_account, option.viable)


def test_example_3_budget(example_3: AccountEconomics) -> None:
    """Example 3: gross profit $1,950, budget $300, no plan."""
    assert (D(1_950), D(300), None, None) == (
        example_3.gross_profit,
        example_3.cs_budget,
        example_3.plan,
        example_3.within_budget,
    )


def test_example_3_no_human_ratio_viable(example_3: AccountEconomics) -> None:
    """Example 3: no human-touch ratio is viable; tech-touch is the only option."""
    assert (False, (TouchModel.TECH,), TouchModel.TECH) == (
        example_3.human_touch_viable,
        example_3.viable_models,
        example_3.recommended,
    )


def test_example_3_tech_touch_cost(example_3: AccountEconomics) -> None:
    """Example 3: tech-touch at 1:500 costs $240, under the $300 budget."""
    assert D(240) == example_3.option(TouchModel.TECH).cost_per_account


def test_example_3_explained(example_3: AccountEconomics) -> None:
    """Example 3's explanation says no CSM ratio makes human touch work."""
    assert "No CSM ratio makes human touch work at this ACV." in example_3.explain()


def test_over_serving_plan() -> None:
    """A $3,000 CSM cost on a $5,000 customer is flagged as over-serving (mistake 1)."""
    result = assess_economics(D(5_000), 0.7, csm_salary=D(150_000), accounts_per_csm=50)
    assert (True, 0.6) == (result.over_serving, result.plan.cost_share.share if result.plan else None)


def test_over_serving_explained() -> None:
    """The over-serving plan is explained."""
    lines = assess_economics(D(5_000), 0.7, csm_salary=D(150_000), accounts_per_csm=50).explain()
    assert any("over-serves this customer" in line for line in lines)


def test_no_plan_means_no_over_serving_verdict() -> None:
    """Without a plan, over_serving is None."""
    assert assess_economics(D(5_000), 0.7).over_serving is None


def test_nothing_viable() -> None:
    """At $100 ACV even tech-touch ($240) is not viable: no recommendation."""
    result = assess_economics(D(100), 0.7)
    assert (None, ()) == (result.recommended, result.viable_models)


def test_nothing_viable_explained() -> None:
    """The explanation says no model is viable."""
    assert any("No touch model is viable" in line for line in assess_economics(D(100), 0.7).explain())


def test_salary_without_ratio_applies_to_every_model() -> None:
    """A salary without a ratio costs every model at that salary."""
    result = assess_economics(D(50_000), 0.7, csm_salary=D(100_000))
    assert [D(10_000), D(2_000), D(200)] == [o.cost_per_account for o in result.options]


def test_ratio_without_salary_uses_model_salary() -> None:
    """A ratio without a salary uses the implied model's default salary."""
    result = assess_economics(D(50_000), 0.7, accounts_per_csm=60)
    assert result.plan is not None
    assert (TouchModel.LOW, D(120_000)) == (result.plan.model, result.plan.csm_salary)


def test_budget_share_configurable() -> None:
    """The budget share is a parameter (default 10 %)."""
    assert D(6_000) == assess_economics(D(120_000), 0.8, budget_share=0.05).cs_budget


def test_spend_guidance() -> None:
    """$12,500, $2,400 and $240 lie in the high / low / tech spend guidance (domain-spec §2.10)."""
    result = assess_economics(D(120_000), 0.8, csm_salary=D(150_000), accounts_per_csm=12)
    assert (True, True, True) == (
        result.option(TouchModel.HIGH).within_spend_guidance,
        result.option(TouchModel.TECH).within_spend_guidance,
        result.option(TouchModel.LOW).within_spend_guidance,
    )


def test_outside_spend_guidance() -> None:
    """A 1:400 low-touch plan costs $300, under low-touch's $1,000 guidance."""
    result = assess_economics(D(10_000), 0.8, accounts_per_csm=400)
    assert result.plan is not None
    assert (D(300), False) == (result.plan.cost_per_account, result.plan.within_spend_guidance)


def test_option_for_hybrid_refused(example_1: AccountEconomics) -> None:
    """There is no economics option for HYBRID."""
    with pytest.raises(InvalidValueError):
        example_1.option(TouchModel.HYBRID)


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [(1, "HIGH"), (15, "HIGH"), (39, "HIGH"), (40, "LOW"), (80, "LOW"), (499, "LOW"), (500, "TECH")],
)
def test_model_for_ratio(ratio: int, expected: str) -> None:
    """A ratio implies a model: from 40 low-touch, from 500 tech-touch, else high-touch."""
    assert TouchModel[expected] == model_for_ratio(ratio)


def test_csm_cost_per_account() -> None:
    """Cost per account is salary / ratio."""
    assert D(2_400) == csm_cost_per_account(D(120_000), 50)


def test_csm_cost_zero_ratio_refused() -> None:
    """A ratio of zero is refused."""
    with pytest.raises(InvalidValueError):
        csm_cost_per_account(D(120_000), 0)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"acv": D(0)}, "acv"),
        ({"acv": D(-5)}, "acv"),
        ({"gross_margin": 1.5}, "gross_margin"),
        ({"gross_margin": float("nan")}, "gross_margin"),
        ({"csm_salary": D(-1)}, "csm_salary"),
        ({"accounts_per_csm": 0}, "accounts_per_csm"),
        ({"budget_share": 10}, "budget_share"),
    ],
)
def test_bad_input_refused(kwargs: dict[str, object], field: str) -> None:
    """Bad input raises a PostsaleError naming the field."""
    args: dict[str, object] = {"acv": D(1_000), "gross_margin": 0.5, **kwargs}
    acv, margin = args.pop("acv"), args.pop("gross_margin")
    with pytest.raises(InvalidValueError) as info:
        assess_economics(acv, margin, **args)  # type: ignore[arg-type]
    assert field == info.value.field


def test_custom_config_ratio() -> None:
    """A config with other coverage changes the options."""
    from postsale.touch import DEFAULT_CONFIG, Coverage

    coverage = (
        Coverage(TouchModel.HIGH, 20, D(150_000), 8, D(8_000), D(15_000)),
        *DEFAULT_CONFIG.coverage[1:],
    )
    result = assess_economics(D(100_000), 0.8, config=TouchConfig(coverage=coverage))
    assert D(7_500) == result.option(TouchModel.HIGH).cost_per_account


@given(positive_money, margins)
def test_round_trip(acv: Decimal, margin: float) -> None:
    """AccountEconomics round-trips through plain data."""
    value = assess_economics(acv, margin, csm_salary=D(130_000), accounts_per_csm=45)
    assert value == postsale.from_data(AccountEconomics, postsale.to_data(value))


@given(positive_money, margins)
def test_recommended_is_most_intense_viable(acv: Decimal, margin: float) -> None:
    """The recommendation is the first viable option, most intense first."""
    value = assess_economics(acv, margin)
    assert (value.viable_models[0] if value.viable_models else None) == value.recommended


@pytest.mark.parametrize(
    ("salary", "within"), [(D("79999.90"), False), (D(80_000), True), (D(150_000), True), (D("150000.10"), False)]
)
def test_spend_guidance_edges(salary: Decimal, within: bool) -> None:
    """High-touch spend guidance is $8,000-15,000 per account, both ends inclusive (domain-spec §2.10)."""
    result = assess_economics(D(100_000), 0.8, csm_salary=salary, accounts_per_csm=10)
    assert result.plan is not None
    assert result.plan.within_spend_guidance == within
