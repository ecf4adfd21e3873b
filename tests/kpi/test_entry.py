"""Garbage at the KPI entry points gives a documented PostsaleError naming the field (tests/test_embedding.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from postsale import AccountSnapshot, InvalidTypeError
from postsale.kpi import (
    RevenueLedger,
    RevenueMovement,
    RoiAssessment,
    RoiBenefit,
    RoiCost,
    RoiTarget,
    cohorts_by_segment,
    cohorts_by_start_month,
    csat,
    nps,
    utilisation,
)

LEDGER = RevenueLedger([RevenueMovement("a", date(2024, 1, 1), "NEW", 100)])
BENEFIT = RoiBenefit(prevented_churn=300_000)
COST = RoiCost(csm_salaries=100_000)
NOT_COLLECTIONS: list[Any] = [None, "abc", 3, 1.5, {"a": None}, date(2026, 1, 1)]


@pytest.mark.parametrize("movements", NOT_COLLECTIONS)
def test_ledger_refuses_movements_that_are_not_a_collection(movements: Any) -> None:
    """RevenueLedger names ``movements`` and asks for a list."""
    with pytest.raises(InvalidTypeError) as info:
        RevenueLedger(movements)
    assert ("movements", "pass a list or tuple (an empty one is fine)") == (info.value.field, info.value.hint)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"benefit": None, "cost": COST}, "benefit"),
        ({"benefit": BENEFIT, "cost": "100"}, "cost"),
        ({"benefit": BENEFIT, "cost": COST, "target": (300, 500)}, "target"),
    ],
)
def test_roi_assessment_refuses_parts_of_the_wrong_type(kwargs: dict[str, Any], field: str) -> None:
    """RoiAssessment names the part that is not a RoiBenefit / RoiCost / RoiTarget."""
    with pytest.raises(InvalidTypeError) as info:
        RoiAssessment(**kwargs)
    assert field == info.value.field


def test_roi_assessment_hint_says_what_to_build() -> None:
    """The hint of a wrong cost says to build a RoiCost."""
    with pytest.raises(InvalidTypeError) as info:
        RoiAssessment(BENEFIT, None)  # type: ignore[arg-type]
    assert "build RoiCost(...) with the amounts" == info.value.hint


def test_roi_assessment_accepts_its_own_types() -> None:
    """Valid parts still build an assessment."""
    assert RoiTarget() == RoiAssessment(BENEFIT, COST).target


@pytest.mark.parametrize("snapshots", NOT_COLLECTIONS)
def test_cohorts_by_segment_refuses_snapshots_that_are_not_a_collection(snapshots: Any) -> None:
    """cohorts_by_segment names ``snapshots``."""
    with pytest.raises(InvalidTypeError) as info:
        cohorts_by_segment(snapshots)
    assert "snapshots" == info.value.field


@pytest.mark.parametrize("ledger", [None, [], "x"])
def test_cohorts_by_start_month_refuses_what_is_not_a_ledger(ledger: Any) -> None:
    """cohorts_by_start_month names ``ledger`` and says how to build one."""
    with pytest.raises(InvalidTypeError) as info:
        cohorts_by_start_month(ledger)
    assert ("ledger", "build RevenueLedger(movements)") == (info.value.field, info.value.hint)


@pytest.mark.parametrize("score", [nps, csat])
@pytest.mark.parametrize("answers", NOT_COLLECTIONS)
def test_survey_scores_refuse_answers_that_are_not_a_collection(score: Any, answers: Any) -> None:
    """nps and csat name ``answers`` when it is not a list."""
    with pytest.raises(InvalidTypeError) as info:
        score(answers)
    assert "answers" == info.value.field


def test_csat_refuses_a_scale_of_the_wrong_type() -> None:
    """csat names ``scale`` when it is not a CsatScale."""
    with pytest.raises(InvalidTypeError) as info:
        csat([5], scale=(1, 5))  # type: ignore[arg-type]
    assert "scale" == info.value.field


@pytest.mark.parametrize("snapshots", NOT_COLLECTIONS)
def test_utilisation_refuses_snapshots_that_are_not_a_collection(snapshots: Any) -> None:
    """utilisation names ``snapshots``."""
    with pytest.raises(InvalidTypeError) as info:
        utilisation(snapshots)
    assert "snapshots" == info.value.field


def test_utilisation_still_names_a_bad_item() -> None:
    """An item that is not an AccountSnapshot is named ``snapshots[i]``."""
    snap = AccountSnapshot("a", "SMB", date(2025, 1, 1), seats_purchased=10, seats_active=9)
    with pytest.raises(InvalidTypeError) as info:
        utilisation([snap, None])  # type: ignore[list-item]
    assert "snapshots[1]" == info.value.field










