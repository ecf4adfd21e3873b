"""Tier migration with hysteresis and a minimum commitment (issue point 6, domain-spec §2.12 mistake 4)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

import postsale
from postsale import InvalidTypeError, InvalidValueError, OutOfOrderError, TouchModel, UnknownNameError
from postsale.touch import (
    Assessment,
    MigrationOutcome,
    MigrationPolicy,
    ModelBand,
    OverrideSettings,
    Scorer,
    TierAssignment,
    TierMigration,
    TouchConfig,
    assess,
    migrate_portfolio,
    migrate_tier,
)
from tests.strategies.touch import profile_with

SINCE = date(2025, 1, 1)
LOW = TierAssignment("acme", "LOW", SINCE)  # type: ignore[arg-type]


def scored(total: int, **extra: Any) -> Assessment:
    """An assessment of account 'acme' with the given total (growth and positioning points vary), at an ACV that
    pays for the scored model ($50,000 up to 19 points, $150,000 from 20), so only the hysteresis decides."""
    table = {
        10: {"acv": 3, "complexity": 3},
        11: {"acv": 3, "complexity": 3, "positioning": 2},
        12: {"acv": 3, "complexity": 3, "positioning": 3},
        15: {"acv": 3, "complexity": 3, "positioning": 4, "growth": 1, "margin": 3},
        19: {"acv": 3, "complexity": 3, "positioning": 5, "growth": 4, "margin": 3},
        20: {"acv": 5, "complexity": 3, "positioning": 5, "growth": 3, "margin": 3},
        21: {"acv": 5, "complexity": 4, "positioning": 5, "growth": 3, "margin": 3},
    }
    result = assess(profile_with(**table[total], account_id="acme", **extra))
    assert total == result.total
    return result


def review(total: int, on: date = date(2026, 1, 1), current: TierAssignment = LOW, **kwargs: Any) -> TierMigration:
    return migrate_tier(current, scored(total), as_of=on, **kwargs)


@pytest.mark.parametrize(
    ("total", "outcome"),
    [
        (10, MigrationOutcome.MOVED),
        (11, MigrationOutcome.HELD_BY_MARGIN),
        (12, MigrationOutcome.UNCHANGED),
        (19, MigrationOutcome.UNCHANGED),
        (20, MigrationOutcome.HELD_BY_MARGIN),
        (21, MigrationOutcome.MOVED),
    ],
)
def test_margin_both_sides(total: int, outcome: MigrationOutcome) -> None:
    """With a 1-point margin, a LOW account (12-19) moves at 10 or 21, not at 11 or 20."""
    assert outcome == review(total).outcome


def test_moves_to_scored_tier() -> None:
    """A move lands in the scored tier."""
    event = review(21)
    assert (TouchModel.LOW, TouchModel.HIGH, True) == (event.from_model, event.to_model, event.moved)


def test_zero_margin_moves_at_edge() -> None:
    """With margin 0 the band edge itself moves the account."""
    assert MigrationOutcome.MOVED == review(20, policy=MigrationPolicy(margin_points=0)).outcome


def test_margin_from_config() -> None:
    """The scorer config's migration policy is the default."""
    config = TouchConfig(migration=MigrationPolicy(margin_points=2))
    assert MigrationOutcome.HELD_BY_MARGIN == review(21, scorer=Scorer(config)).outcome


def test_commitment_holds_the_day_before() -> None:
    """A move is held until 12 months after the tier was entered."""
    event = review(21, on=date(2025, 12, 31))
    assert (MigrationOutcome.HELD_BY_COMMITMENT, TouchModel.LOW, TouchModel.HIGH, date(2026, 1, 1)) == (
        event.outcome,
        event.to_model,
        event.target_model,
        event.earliest,
    )


def test_commitment_ends_on_the_anniversary() -> None:
    """On the anniversary the move happens."""
    assert MigrationOutcome.MOVED == review(21, on=date(2026, 1, 1)).outcome


def test_commitment_from_month_end() -> None:
    """The commitment is counted in calendar months from the anchor (29 Feb -> 28 Feb)."""
    current = TierAssignment("acme", TouchModel.LOW, date(2024, 2, 29))
    assert date(2025, 2, 28) == review(21, current=current, on=date(2025, 3, 1)).earliest


def test_commitment_configurable() -> None:
    """A zero commitment allows an immediate move."""
    assert MigrationOutcome.MOVED == review(21, on=SINCE, policy=MigrationPolicy(commitment_months=0)).outcome


def test_override_moves_without_score_change() -> None:
    """An account that became enterprise moves to high-touch through the override."""
    assessment = assess(profile_with(complexity=3, positioning=3, segment=5, account_id="acme"))
    event = migrate_tier(LOW, assessment, as_of=date(2026, 1, 1))
    assert (MigrationOutcome.MOVED, TouchModel.HIGH) == (event.outcome, event.to_model)


def test_override_keeps_tier_against_score() -> None:
    """A genuinely complex product never drops to tech-touch, whatever the score."""
    assessment = assess(profile_with(complexity=5, account_id="acme"))
    assert MigrationOutcome.UNCHANGED == migrate_tier(LOW, assessment, as_of=date(2026, 1, 1)).outcome


def test_economics_move_an_account_inside_the_margin() -> None:
    """A low-touch account whose ACV fell to $5,000 moves to tech-touch once committed, although its total (12)
    is inside the band: the economics cap the model, hysteresis only damps the score."""
    shrunk = assess(profile_with(complexity=3, positioning=5, account_id="acme"))
    event = migrate_tier(LOW, shrunk, as_of=date(2026, 1, 1))
    assert (12, MigrationOutcome.MOVED, TouchModel.TECH) == (shrunk.total, event.outcome, event.to_model)


def test_economics_keep_a_high_score_in_low_touch() -> None:
    """A $50,000 account scoring 21 stays low-touch: high-touch costs more than 15 % of its revenue."""
    grown = assess(profile_with(acv=3, complexity=4, positioning=5, growth=5, margin=3, account_id="acme"))
    event = migrate_tier(LOW, grown, as_of=date(2026, 1, 1))
    assert (21, MigrationOutcome.UNCHANGED, TouchModel.LOW) == (grown.total, event.outcome, event.target_model)


def test_assignment_after_move() -> None:
    """After a move the account's tier starts on the review date."""
    assert TierAssignment("acme", TouchModel.HIGH, date(2026, 1, 1)) == review(21).assignment()


def test_assignment_after_hold() -> None:
    """After a hold the account keeps its tier and start date."""
    assert LOW == review(20).assignment()


def test_review_before_since_refused() -> None:
    """Reviewing before the tier was entered is out of order."""
    with pytest.raises(OutOfOrderError):
        review(15, on=date(2024, 12, 31))


def test_wrong_argument_types() -> None:
    """migrate_tier checks its arguments."""
    with pytest.raises(InvalidTypeError):
        migrate_tier("acme", scored(15), as_of=SINCE)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        migrate_tier(LOW, "assessment", as_of=SINCE)  # type: ignore[arg-type]


def test_as_of_must_be_a_date() -> None:
    """as_of is a calendar date."""
    with pytest.raises(InvalidTypeError):
        review(15, on="2026-01-01")  # type: ignore[arg-type]


def test_tier_assignment_refuses_hybrid() -> None:
    """An account's tier cannot be HYBRID."""
    with pytest.raises(InvalidValueError) as info:
        TierAssignment("acme", TouchModel.HYBRID, SINCE)
    assert "model" == info.value.field


def test_tier_assignment_refuses_blank_id() -> None:
    """An account id is needed."""
    with pytest.raises(InvalidValueError):
        TierAssignment(" ", TouchModel.LOW, SINCE)


def test_no_band_for_current_model() -> None:
    """When no band gives the current model there is no hysteresis band."""
    config = TouchConfig(
        model_bands=(ModelBand(6, 19, TouchModel.LOW), ModelBand(20, 30, TouchModel.HIGH)),
        overrides=OverrideSettings(economics_ceiling=False),
    )
    current = TierAssignment("acme", TouchModel.TECH, SINCE)
    event = migrate_tier(
        current, Scorer(config).assess(profile_with(account_id="acme")), as_of=date(2026, 1, 1), scorer=Scorer(config)
    )
    assert (MigrationOutcome.MOVED, None) == (event.outcome, event.band_lower)
    assert "no score band gives it" in event.explain()[0]


@pytest.mark.parametrize(
    ("total", "on", "words"),
    [
        (15, date(2026, 1, 1), "It stays low-touch: the score still points at its tier."),
        (20, date(2026, 1, 1), "not by the 1-point margin"),
        (21, date(2025, 6, 1), "committed until 2026-01-01"),
        (21, date(2026, 1, 1), "It moves to high-touch"),
    ],
)
def test_explain(total: int, on: date, words: str) -> None:
    """Each outcome is explained in plain words."""
    lines = review(total, on=on).explain()
    assert (
        lines[0] == f"acme is low-touch since 2025-01-01 (its band is 12-19); on {on.isoformat()} its total is {total}."
    )
    assert words in lines[1]


def test_round_trip() -> None:
    """Migration events round-trip through JSON."""
    event = review(21)
    assert event == postsale.from_json(TierMigration, postsale.to_json(event))


# ---- portfolio -----------------------------------------------------------------------------------------


def test_portfolio_returns_changes_only() -> None:
    """migrate_portfolio returns the events that are not UNCHANGED, in assignment order."""
    current = [
        TierAssignment("a", TouchModel.LOW, SINCE),
        TierAssignment("b", TouchModel.LOW, SINCE),
        TierAssignment("c", TouchModel.LOW, SINCE),
        TierAssignment("d", TouchModel.LOW, SINCE),
    ]
    assessments = [
        assess(profile_with(acv=5, complexity=3, positioning=5, growth=3, margin=3, account_id="c")),
        assess(profile_with(acv=3, complexity=3, positioning=5, margin=3, account_id="a")),
        assess(profile_with(acv=5, complexity=4, positioning=5, growth=3, margin=3, account_id="b")),
    ]
    events = migrate_portfolio(current, assessments, as_of=date(2026, 1, 1))
    assert [
        ("b", MigrationOutcome.MOVED),
        ("c", MigrationOutcome.HELD_BY_MARGIN),
    ] == [(e.account_id, e.outcome) for e in events]


def test_portfolio_unknown_account() -> None:
    """An assessment for an account without a tier is refused."""
    with pytest.raises(UnknownNameError):
        migrate_portfolio([LOW], [assess(profile_with(account_id="zzz"))], as_of=date(2026, 1, 1))


def test_portfolio_assessment_without_id() -> None:
    """Assessments need an account id."""
    with pytest.raises(InvalidValueError):
        migrate_portfolio([LOW], [assess(profile_with())], as_of=date(2026, 1, 1))


def test_portfolio_duplicate_assignment() -> None:
    """An account assigned twice is refused."""
    with pytest.raises(InvalidValueError):
        migrate_portfolio([LOW, LOW], [], as_of=date(2026, 1, 1))


def test_portfolio_wrong_item() -> None:
    """Assignments must be TierAssignment values."""
    with pytest.raises(InvalidTypeError):
        migrate_portfolio(["acme"], [], as_of=date(2026, 1, 1))  # type: ignore[list-item]
