"""The embedded sample portfolio is deterministic and plausible."""

from __future__ import annotations

from collections import Counter
from datetime import date

from postsale import Segment, Stage
from postsale.journey import TransitionKind, analyze
from postsale.sample import SEGMENT_MIX, sample_journeys


def test_same_seed_same_portfolio() -> None:
    """The generator is deterministic for a seed and differs across seeds."""
    assert sample_journeys(200, seed=3) == sample_journeys(200, seed=3)
    assert sample_journeys(200, seed=3) != sample_journeys(200, seed=4)


def test_sample_covers_segments_and_non_linear_moves() -> None:
    """The sample has every segment near its share, overlaps, regressions, cycles, skips and churn."""
    journeys = sample_journeys(2000)
    shares = Counter(j.segment for j in journeys)
    for segment in Segment:
        assert abs(shares[segment] / 2000 - SEGMENT_MIX[segment]) < 0.04
    kinds = Counter(e.kind for j in journeys for e in j.history)
    assert all(kinds[k] > 0 for k in TransitionKind)
    assert any(len(j.tracks) > 1 for j in journeys)
    assert all(e.at <= date(2026, 11, 1) for j in journeys for e in j.history)
    stats = analyze(journeys)
    assert 0.5 < (stats.completion[Stage.ONBOARDING].rate or 0) < 1


def test_demo_main_job_runs() -> None:
    """`postsale demo` prints the journey review and exits 0."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "postsale.cli", "demo", "--accounts", "300"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "Journey review of 300 accounts as of 2026-11-01" in result.stdout
    assert "Bottleneck:" in result.stdout


def test_cli_in_process(capsys: object) -> None:
    """The CLI's main() returns 0 for the demo and 2 for PostsaleErrors."""
    import pytest

    from postsale import cli

    assert cli.main(["demo", "--accounts", "50", "--as-of", "2026-06-30"]) == 0
    with pytest.raises(SystemExit):
        cli.main(["demo", "--as-of", "yesterday"])
    assert cli.main(["demo", "--accounts", "0"]) == 2
