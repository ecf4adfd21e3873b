"""The scalar halves of the decisions that gained a columnar form: treatment, freshness, refusal words, sums."""

from __future__ import annotations

import pytest

from postsale import InvalidValueError
from postsale.health import (
    Band,
    Bands,
    BoundedLinear,
    Component,
    Freshness,
    Linear,
    MissingAction,
    MissingData,
    Treatment,
)
from postsale.health._model import _sum

PENALISE = MissingData(action=MissingAction.PENALISE, penalty_points=20, stale_after_days=30)


@pytest.mark.parametrize(
    ("value", "age", "expected"),
    [(None, None, Freshness.MISSING), (5.0, None, Freshness.FRESH), (5.0, 30.0, Freshness.FRESH),
     (5.0, 31.0, Freshness.STALE), (None, 31.0, Freshness.MISSING)],
)
def test_freshness(value, age, expected):
    """Absent is MISSING; older than stale_after_days is STALE; exactly stale_after_days old is still FRESH."""
    assert expected == PENALISE.freshness(value, age_days=age)


def test_absent_points():
    """Without fresh data a penalised component scores the penalty, an excluded one nothing."""
    assert (20.0, None) == (PENALISE.absent_points, MissingData().absent_points)


@pytest.mark.parametrize(
    ("missing", "value", "age", "expected"),
    [
        (MissingData(), 50.0, None, (Freshness.FRESH, Treatment.SCORED, 50.0)),
        (MissingData(), None, None, (Freshness.MISSING, Treatment.EXCLUDED, None)),
        (PENALISE, 50.0, 31.0, (Freshness.STALE, Treatment.PENALISED, 20.0)),
        (PENALISE, 500.0, 31.0, (Freshness.STALE, Treatment.PENALISED, 20.0)),  # stale values are never scored
    ],
)
def test_treat(missing, value, age, expected):
    """A component's treatment of an input: scored when fresh, else penalised or excluded."""
    assert expected == Component("c", "s", Linear(), 1.0, missing=missing).treat(value, age_days=age)


def test_treat_refuses_a_fresh_off_scale_value():
    """A fresh value the scoring refuses raises, naming the signal."""
    with pytest.raises(InvalidValueError, match="signals\\['s'\\]"):
        Component("c", "s", Linear(), 1.0).treat(101.0)


@pytest.mark.parametrize(
    ("scoring", "value"),
    [(Bands((Band(0, 0, 10),)), 10.0), (Bands((Band(0, None, 1), Band(5, 1, 2))), 2.0), (Linear(slope=10), 11.0),
     (Linear(intercept=-1), 0.5)],
)
def test_reason_has_the_words_of_the_refusal(scoring, value):
    """``reason`` is the scalar refusal's field, rule and advice, without the value."""
    with pytest.raises(InvalidValueError) as exc_info:
        scoring.points(value, field="signals['x']")
    error = exc_info.value
    reason = scoring.reason("signals['x']")
    assert reason.startswith("signals['x']: ")
    assert reason.endswith(f"; rule: {error.constraint}; instead: {error.hint}")
    assert repr(value) not in reason


def test_bounded_linear_refuses_only_non_finite_values():
    """A bounded-linear scoring clamps every finite value; its reason is the non-finite refusal."""
    assert "is not a finite number" in BoundedLinear(worst=0, best=1).reason()


@pytest.mark.parametrize(("worst", "best"), [(0.0, 49.0), (6.0, 0.0), (-3.0, 0.1), (1e-3, 7e2)])
def test_bounded_linear_scores_its_ends_exactly(worst, best):
    """The best end scores exactly best_points and the worst exactly worst_points."""
    scoring = BoundedLinear(worst=worst, best=best, worst_points=10, best_points=90)
    assert (90.0, 10.0) == (scoring.points(best), scoring.points(worst))


def test_sum_adds_left_to_right_and_ignores_zeros():
    """Scores add in component order; a 0.0 term (a component without points) changes nothing."""
    terms = [0.1, 0.2, 0.3]
    assert ((0.1 + 0.2) + 0.3) == _sum(terms) == _sum([0.0, 0.1, 0.0, 0.2, 0.3, 0.0])
