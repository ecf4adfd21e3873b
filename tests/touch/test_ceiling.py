"""The economics ceiling: the scorer never recommends a model the account's ACV cannot pay for, and agrees with
assess_economics; both sides of every edge ($1,600, $16,000, $100,000), the scalar and the columnar forms alike."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import postsale
from postsale import AccountSnapshot, DefinitionError, Segment, TouchModel
from postsale.touch import (
    DEFAULT_COMPANY_PROFILE,
    DEFAULT_CONFIG,
    BusinessProfile,
    Coverage,
    OverrideSettings,
    Scorer,
    TouchConfig,
    assess,
    assess_economics,
)
from tests.strategies.touch import profiles

D = Decimal
AS_OF = date(2026, 11, 1)


def account(acv: Any, segment: str = "MID_MARKET", company: BusinessProfile = DEFAULT_COMPANY_PROFILE) -> Any:
    """The review's assessment of one account: the company's factors, the account's ACV and segment."""
    return assess(company.for_account(AccountSnapshot("a", segment, AS_OF, acv=acv)))


def economics_cap(acv: Decimal) -> TouchModel:
    """What assess_economics recommends (tech-touch when nothing is viable, or without revenue)."""
    if acv <= 0:
        return TouchModel.TECH
    return assess_economics(acv, 0.75).recommended or TouchModel.TECH


@pytest.mark.parametrize(
    ("acv", "model"),
    [
        (D("15999.99"), "TECH"), (D(16_000), "LOW"),  # low-touch: $2,400 per account is 15 % of $16,000
        (D("99999.99"), "LOW"), (D(100_000), "HIGH"),  # high-touch: $15,000 per account is 15 % of $100,000
    ],
)
def test_ceiling_edges_for_a_mid_market_account(acv: Decimal, model: str) -> None:
    """A mid-market account of the default company scores 18 or 20; the economics decide either side of each edge."""
    assert TouchModel[model] == account(acv).model


@pytest.mark.parametrize(("acv", "words"), [(D("1599.99"), "no touch model stays within 15 %"),
                                            (D(1_600), "pays for tech-touch at most")])
def test_below_1600_nothing_is_viable_and_the_reason_says_so(acv: Decimal, words: str) -> None:
    """Below $1,600 even tech-touch ($240 per account) is above 15 %: tech-touch is what is left, and said so."""
    result = account(acv, "SMB")
    assert (TouchModel.LOW, TouchModel.TECH) == (result.scored_model, result.model)
    assert words in result.overrides[0].reason


def test_the_reason_names_the_cost_and_the_edge() -> None:
    """The override's sentence gives the model's cost per account, the coverage, the rule and the ACV edge."""
    (override,) = account(D(3_000), "SMB").overrides
    assert ("economics", TouchModel.LOW, TouchModel.TECH) == (override.name, override.from_model, override.to_model)
    assert override.reason == (
        "the account's ACV pays for tech-touch at most: low-touch (one CSM at $120,000 for 50 accounts) costs $2,400 "
        "per account, more than 15 % of revenue below an ACV of $16,000; low-touch -> tech-touch."
    )


@settings(max_examples=150)
@given(st.decimals(0, 300_000, places=2), st.sampled_from(["MID_MARKET", "SMB", "PRODUCT_LED"]))
def test_the_review_agrees_with_assess_economics(acv: Decimal, segment: str) -> None:
    """For any account of the default company outside the enterprise segment, the model is the score's, capped at
    what assess_economics recommends (the worked examples' rule, for every ACV)."""
    result = account(acv, segment)
    cap = economics_cap(acv)
    order = [TouchModel.TECH, TouchModel.LOW, TouchModel.HIGH]
    assert result.model == min(result.scored_model, cap, key=order.index)


def test_floors_win_over_the_economics() -> None:
    """A genuinely complex product and an enterprise customer keep their floors, with both reasons recorded."""
    complex_company = DEFAULT_COMPANY_PROFILE.for_account(AccountSnapshot("a", "SMB", AS_OF, acv=3_000))
    complex_result = assess(BusinessProfile(**{**_fields(complex_company), "complexity": "HIGH"}))
    enterprise = account(D(8_000), "ENTERPRISE")
    assert [(o.name, o.to_model.name) for o in complex_result.overrides] == [
        ("economics", "TECH"), ("complex_product", "LOW")
    ]
    assert [(o.name, o.to_model.name) for o in enterprise.overrides] == [("economics", "TECH"), ("enterprise", "HIGH")]


def _fields(profile: BusinessProfile) -> dict[str, Any]:
    return {f: getattr(profile, f) for f in ("acv", "complexity", "gross_margin", "positioning", "segment",
                                             "growth_stage", "customer_count", "accounts_per_csm", "account_id")}


def test_the_ceiling_can_be_turned_off() -> None:
    """economics_ceiling=False gives the six-factor score alone (the previous behaviour)."""
    scorer = Scorer(TouchConfig(overrides=OverrideSettings(economics_ceiling=False)))
    profile = DEFAULT_COMPANY_PROFILE.for_account(AccountSnapshot("a", "SMB", AS_OF, acv=3_000))
    result = scorer.assess(profile)
    assert (14, TouchModel.LOW, ()) == (result.total, result.model, result.overrides)
    assert (D(0),) == scorer.acv_steps[:1] and len(scorer.acv_steps) == len(DEFAULT_CONFIG.acv_bands)


def test_the_ceiling_follows_the_coverage_and_the_rule() -> None:
    """Another salary, ratio or healthy range moves the edges: a $90,000 CSM for 60 accounts is viable from
    $10,000 at 15 %, from $7,500 at 20 %."""
    coverage = tuple(
        Coverage(TouchModel.LOW, 60, D(90_000), 40, D(1_000), D(5_000)) if c.model is TouchModel.LOW else c
        for c in DEFAULT_CONFIG.coverage
    )
    at_15 = Scorer(TouchConfig(coverage=coverage))
    at_20 = Scorer(TouchConfig(coverage=coverage, healthy_to=0.2))
    assert D(10_000) in at_15.acv_steps and D(7_500) in at_20.acv_steps
    profile = DEFAULT_COMPANY_PROFILE.for_account(AccountSnapshot("a", "MID_MARKET", AS_OF, acv=8_000))
    assert (TouchModel.TECH, TouchModel.LOW) == (at_15.assess(profile).model, at_20.assess(profile).model)


def test_a_free_coverage_is_always_viable_and_a_zero_rule_never() -> None:
    """A model that costs nothing is viable at any ACV; with a 0 % rule nothing that costs is viable."""
    free = tuple(
        Coverage(c.model, c.accounts_per_csm, D(0), c.ratio_from, c.spend_from, c.spend_to)
        for c in DEFAULT_CONFIG.coverage
    )
    profile = DEFAULT_COMPANY_PROFILE.for_account(AccountSnapshot("a", "MID_MARKET", AS_OF, acv=12_000))
    assert TouchModel.LOW == Scorer(TouchConfig(coverage=free)).assess(profile).model
    zero = Scorer(TouchConfig(healthy_from=0.0, healthy_to=0.0)).assess(profile)
    assert TouchModel.TECH == zero.model and "at any ACV" in zero.overrides[0].reason


def test_the_setting_round_trips_and_is_checked() -> None:
    """economics_ceiling is plain data and must be a bool."""
    config = TouchConfig(overrides=OverrideSettings(economics_ceiling=False))
    assert config == postsale.from_json(TouchConfig, postsale.to_json(config))
    with pytest.raises(DefinitionError, match=r"economics_ceiling"):
        TouchConfig(overrides=OverrideSettings(economics_ceiling="yes"))  # type: ignore[arg-type]


@given(profiles())
def test_shared_scores_agree_with_a_fresh_scorer(profile: BusinessProfile) -> None:
    """The hot path's shared scores (keyed by the ceiling's effect) give what a fresh scorer gives."""
    assert Scorer().assess(profile) == assess(profile)


# ---- the columnar form splits at the same edges ----------------------------------------------------------------


EDGES = [1_600.0, 16_000.0, 100_000.0]


def _near(edge: float) -> list[float]:
    return [edge, math.nextafter(edge, -math.inf), math.nextafter(edge, math.inf), edge - 0.000001, edge - 0.01]


@pytest.mark.parametrize("segment", ["SMB", "MID_MARKET", "PRODUCT_LED", "ENTERPRISE"])
def test_columnar_form_splits_at_the_economics_edges(segment: str) -> None:
    """Scorer.expr gives the scalar model and total on both sides of $1,600, $16,000 and $100,000."""
    backends = pytest.importorskip("tests.columnar.backends")
    data = [{"acv": x, "segment": segment} for edge in EDGES for x in _near(edge)]
    scorer = Scorer()
    rows = backends.evaluate(
        backends.frame(data, {"acv": "float", "segment": "str"}, "polars"),
        lambda env: {
            "model": scorer.expr(env, DEFAULT_COMPANY_PROFILE),
            "total": scorer.expr(env, DEFAULT_COMPANY_PROFILE, output="total"),
        },
        as_of=AS_OF,
    )
    expected = []
    for row in data:
        found = account(D(repr(row["acv"])), segment)
        expected.append({"model": found.model.name, "total": float(found.total)})
    assert expected == rows


def test_account_table_covers_every_step_and_segment() -> None:
    """The columnar table holds one assessment per (ACV step, segment)."""
    table = Scorer().account_table(DEFAULT_COMPANY_PROFILE)
    assert len(table) == len(Scorer().acv_steps) * len(Segment)


@pytest.mark.parametrize(
    ("acv", "segment", "complexity", "margin", "positioning", "total", "model"),
    [
        (20_000, "SMB", "LOW_TO_MODERATE", 0.6, "VALUE", 11, "TECH"),  # low-touch is affordable at $20,000
        (20_000, "SMB", "LOW_TO_MODERATE", 0.6, "VALUE_TO_STANDARD", 12, "LOW"),
        (120_000, "MID_MARKET", "MODERATE", 0.75, "VALUE_TO_STANDARD", 19, "LOW"),  # high-touch is at $120,000
        (120_000, "MID_MARKET", "MODERATE", 0.75, "MARKET_STANDARD", 20, "HIGH"),
    ],
)
def test_where_the_economics_allow_the_score_decides_at_its_edges(
    acv: int, segment: str, complexity: str, margin: float, positioning: str, total: int, model: str
) -> None:
    """Once the ACV pays for both models, the score's edges decide: 11 tech / 12 low, 19 low / 20 high."""
    company = BusinessProfile(acv=0, complexity=complexity, gross_margin=margin, positioning=positioning,
                              segment="SMB", growth_stage="AT_SCALE")
    result = assess(company.for_account(AccountSnapshot("a", segment, AS_OF, acv=acv)))
    assert (total, TouchModel[model], ()) == (result.total, result.model, result.overrides)
