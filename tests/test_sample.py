"""The embedded sample portfolio is deterministic and plausible."""

from __future__ import annotations

from collections import Counter
from datetime import date
from itertools import pairwise

import pytest

from postsale import InvalidValueError, Segment, Stage
from postsale.adapters.sample import SEGMENT_MIX, sample_journeys, sample_portfolio
from postsale.journey import TransitionKind, analyze
from postsale.kpi import retention
from postsale.triggers import OutcomeKind

AS_OF = date(2026, 11, 1)


def test_same_seed_same_portfolio() -> None:
    """The generators are deterministic for a seed and differ across seeds; more accounts keep the first ones."""
    assert sample_journeys(200, seed=3) == sample_journeys(200, seed=3)
    assert sample_journeys(200, seed=3) != sample_journeys(200, seed=4)
    small, large = sample_portfolio(20, seed=5), sample_portfolio(40, seed=5)
    assert large.accounts[:20] == small.accounts
    assert small.snapshots() == sample_portfolio(20, seed=5).snapshots()


def test_journeys_cover_segments_and_non_linear_moves() -> None:
    """Every segment near its share, overlaps, regressions, cycles, skips and churn."""
    journeys = sample_journeys(2000)
    shares = Counter(j.segment for j in journeys)
    for segment in Segment:
        assert abs(shares[segment] / 2000 - SEGMENT_MIX[segment]) < 0.04
    kinds = Counter(e.kind for j in journeys for e in j.history)
    assert all(kinds[k] > 0 for k in TransitionKind if k is not TransitionKind.EXIT)
    assert any(len(j.tracks) > 1 for j in journeys)
    assert all(e.at <= AS_OF for j in journeys for e in j.history)
    stats = analyze(journeys)
    assert 0.5 < (stats.completion[Stage.ONBOARDING].rate or 0) < 1


def test_portfolio_is_plausible_against_the_seeds_benchmarks() -> None:
    """Outcomes of the past year, GRR in the benchmark range, weekly snapshots, at-risk renewals ahead."""
    p = sample_portfolio(1000)
    outcomes = Counter(o.kind for o in p.outcomes)
    assert outcomes[OutcomeKind.CHURNED] > 0 and outcomes[OutcomeKind.EXPANDED] > 0
    assert outcomes[OutcomeKind.RENEWED] > outcomes[OutcomeKind.CHURNED]
    report = retention(p.ledger, start=date(2025, 11, 1))
    assert 0.85 <= report.grr <= 0.99
    assert len(p.active) < len(p.accounts)
    churned = next(a for a in p.accounts if not a.active)
    assert all(e.kind is not TransitionKind.ENTRY or e.at < (churned.churned_on or AS_OF)
               for e in churned.journey.history)
    account = p.active[0]
    history = account.history(as_of=AS_OF, weeks=52)
    assert history[-1].as_of == AS_OF
    assert all((b.as_of - a.as_of).days == 7 for a, b in pairwise(history))
    assert len(list(p.history(weeks=2))) <= 2 * len(p.accounts)
    declining = [a for a in p.active if a.health_on(AS_OF) < a.health_on(date(2026, 5, 1))]
    assert declining, "some active accounts decline ahead of a renewal at risk"


def test_bad_sizes_are_refused() -> None:
    """Zero accounts is an error naming n."""
    with pytest.raises(InvalidValueError, match="n"):
        sample_portfolio(0)
    with pytest.raises(InvalidValueError, match="n"):
        sample_journeys(0)
