"""Surveys and usage: NPS with counts and interval, CSAT on a configurable scale, seat utilisation."""



from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import given

from postsale import AccountSnapshot, DefinitionError, InvalidTypeError, InvalidValueError
from postsale.kpi import (
    ADOPTION_SEAT_SHARE,
    Csat,
    CsatScale,
    NetPromoterScore,
    Utilisation,
    csat,
    nps,
    utilisation,
)
from tests.strategies.kpi import nps_answers

# ---- NPS ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("answer", "bucket"), [(0, 2), (6, 2), (7, 1), (8, 1), (9, 0), (10, 0)])
def test_nps_buckets_at_every_boundary(answer, bucket):
    """0-6 detractor, 7-8 passive, 9-10 promoter."""
    result = nps([answer])
    counts = (result.promoters, result.passives, result.detractors)
    assert 1 == counts[bucket]


def test_nps_score_and_counts():
    """NPS = %promoters − %detractors, with the counts kept."""
    result = nps([10] * 50 + [8] * 30 + [3] * 20)
    assert (50, 30, 20, 100, 30.0) == (
        result.promoters,
        result.passives,
        result.detractors,
        result.responses,
        result.score,
    )


def test_nps_interval_matches_the_normal_approximation():
    """The 95 % interval is score ± 1.96 × 100 × sqrt((p + d − (p − d)²) / n)."""
    result = nps([10] * 50 + [8] * 30 + [3] * 20)
    half = 100 * 1.959963984540054 * math.sqrt((0.5 + 0.2 - 0.3**2) / 100)
    low, high = result.interval
    assert (pytest.approx(30 - half), pytest.approx(30 + half)) == (low, high)


def test_nps_interval_narrows_with_a_lower_confidence():
    """A 90 % interval is narrower than a 95 % one."""
    answers = [10, 9, 7, 3, 0, 10]
    assert nps(answers, confidence=0.90).margin < nps(answers).margin


def test_nps_interval_is_clipped():
    """An interval never leaves [−100, 100]."""
    assert (100.0, 100.0) == nps([10, 10, 9]).interval


def test_nps_from_counts():
    """An NPS can be built from counts."""
    assert -50.0 == NetPromoterScore(promoters=0, passives=1, detractors=1).score


@pytest.mark.parametrize("answer", [-1, 11])
def test_nps_refuses_answers_outside_0_10(answer):
    """Answers outside 0-10 are refused, naming the answer."""
    with pytest.raises(InvalidValueError, match=r"answers\[1\]"):
        nps([5, answer])


@pytest.mark.parametrize("answer", [9.5, "9", True])
def test_nps_refuses_non_integer_answers(answer):
    """Answers must be whole numbers."""
    with pytest.raises(InvalidTypeError, match=r"answers\[0\]"):
        nps([answer])


def test_nps_refuses_no_answers():
    """An NPS of nothing is undefined, not 0."""
    with pytest.raises(InvalidValueError, match="answers"):
        nps([])


@pytest.mark.parametrize("level", [0, 1, 1.5, -0.1])
def test_nps_refuses_bad_confidence(level):
    """The confidence level is strictly between 0 and 1."""
    with pytest.raises(InvalidValueError, match="confidence"):
        nps([10], confidence=level)


def test_nps_explain_flags_small_samples():
    """With fewer than 30 answers the interval is said to be indicative."""
    assert "indicative" in nps([10, 0]).explain()[1]


def test_nps_explain_counts():
    """The explanation lists the counts."""
    assert (
        "NPS +30.0 from 100 answer(s): 50 promoter(s) (9-10), 30 passive(s) (7-8), 20 detractor(s) (0-6)."
        == (nps([10] * 50 + [8] * 30 + [3] * 20).explain()[0])
    )


def test_nps_explain_large_sample_has_no_warning():
    """With 30 answers or more there is no small-sample warning."""
    assert "indicative" not in nps([10] * 30).explain()[1]


@given(nps_answers)
def test_nps_is_within_bounds(answers):
    """NPS is always in [−100, 100] and inside its own interval."""
    result = nps(answers)
    low, high = result.interval
    assert -100 <= low <= result.score <= high <= 100


@given(nps_answers)
def test_nps_ignores_answer_order(answers):
    """The order of answers does not matter."""
    assert nps(answers) == nps(sorted(answers, reverse=True))


# ---- CSAT ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("answer", "satisfied"), [(3, 0), (4, 1), (5, 1)])
def test_csat_default_threshold_boundary(answer, satisfied):
    """On the default 1-5 scale, 4 and 5 are satisfied, 3 is not."""
    assert satisfied == csat([answer]).satisfied


def test_csat_share():
    """CSAT is the share of satisfied answers."""
    assert 0.6 == csat([5, 4, 3, 5, 2]).share


def test_csat_custom_scale():
    """A 0-10 scale satisfied from 8."""
    result = csat([8, 7, 10, 0], scale=CsatScale(low=0, high=10, satisfied_from=8))
    assert (2, 4) == (result.satisfied, result.responses)


@pytest.mark.parametrize("answer", [0, 6])
def test_csat_refuses_answers_off_scale(answer):
    """Answers off the scale are refused, naming the answer."""
    with pytest.raises(InvalidValueError, match=r"answers\[0\]"):
        csat([answer])


def test_csat_refuses_no_answers():
    """CSAT over no answers is undefined."""
    with pytest.raises(InvalidValueError, match="answers"):
        csat([])


def test_csat_scale_reports_every_problem():
    """A bad scale lists every problem at once."""
    with pytest.raises(DefinitionError) as info:
        CsatScale(low=5, high=5, satisfied_from=9)
    assert ["high", "satisfied_from"] == [p.path for p in info.value.problems]


def test_csat_scale_refuses_non_integers():
    """Scale ends are whole numbers."""
    with pytest.raises(DefinitionError) as info:
        CsatScale(low=1.5, high="5")  # type: ignore[arg-type]
    assert ["low", "high"] == [p.path for p in info.value.problems]


def test_csat_refuses_more_satisfied_than_responses():
    """Built directly, satisfied cannot exceed responses."""
    with pytest.raises(InvalidValueError, match="satisfied"):
        Csat(CsatScale(), 1, 2)


def test_csat_explain():
    """The explanation gives the share and the scale."""
    assert ["CSAT 60.0%: 3 of 5 answer(s) at 4-5 on a 1-5 scale."] == csat([5, 4, 3, 5, 2]).explain()


# ---- utilisation --------------------------------------------------------------------------------


@pytest.mark.parametrize(("active", "adopted"), [(69, False), (70, True), (71, True)])
def test_utilisation_adoption_boundary(active, adopted):
    """Adoption is reached at 70 % of purchased seats, inclusive (A-26)."""
    assert adopted == Utilisation(active, 100).adopted


def test_utilisation_adoption_boundary_with_awkward_float():
    """21 of 30 seats is exactly 70 %, even though 0.7 × 30 is not exact in binary."""
    assert Utilisation(21, 30).adopted


def test_utilisation_default_target():
    """The default adoption target is 70 %."""
    assert ADOPTION_SEAT_SHARE == Utilisation(1, 2).target


def test_utilisation_over_deployment():
    """More active users than seats is allowed and flagged."""
    u = Utilisation(12, 10)
    assert (1.2, True) == (u.rate, u.over_deployed)


def test_utilisation_refuses_zero_seats():
    """Utilisation of nothing is undefined."""
    with pytest.raises(InvalidValueError, match="purchased"):
        Utilisation(0, 0)


def test_utilisation_refuses_negative_active():
    """Negative counts are refused."""
    with pytest.raises(InvalidValueError, match="active"):
        Utilisation(-1, 10)


def test_utilisation_refuses_target_above_one():
    """A target written as 70 (percent) is refused, not divided."""
    with pytest.raises(InvalidValueError, match="target"):
        Utilisation(1, 10, target=70)


def test_utilisation_of_counts_is_refused_with_a_hint():
    """Counts go to the Utilisation constructor; utilisation() takes snapshots and says so."""
    with pytest.raises(InvalidTypeError, match=r"Utilisation\(active, purchased\)") as info:
        utilisation(7)  # type: ignore[arg-type]
    assert "snapshots" == info.value.field


def test_utilisation_target_applies_to_a_portfolio():
    """utilisation() passes its target on."""
    snap = AccountSnapshot("a", "SMB", date(2025, 1, 1), seats_purchased=10, seats_active=6)
    assert (True, 0.6) == (utilisation([snap], target=0.6).adopted, utilisation([snap], target=0.6).target)


def test_utilisation_of_a_portfolio():
    """Portfolio utilisation sums seats over snapshots."""
    snaps = [
        AccountSnapshot("a", "SMB", date(2025, 1, 1), seats_purchased=10, seats_active=9),
        AccountSnapshot("b", "SMB", date(2025, 1, 1), seats_purchased=30, seats_active=15),
    ]
    assert (24, 40) == (utilisation(snaps).active, utilisation(snaps).purchased)


def test_utilisation_refuses_non_snapshots():
    """Only snapshots are accepted."""
    with pytest.raises(InvalidTypeError, match=r"snapshots\[0\]"):
        utilisation([{"seats": 3}])  # type: ignore[list-item]


def test_utilisation_explain():
    """The explanation gives the rate and the verdict."""
    assert ["Utilisation 60.0% (6 of 10 seat(s) active) is below the 70% adoption target."] == (
        Utilisation(6, 10).explain()
    )
