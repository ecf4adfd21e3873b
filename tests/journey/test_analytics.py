"""Journey analytics: completion, velocity, regression rate, bottleneck, cohorts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postsale import InvalidValueError, Stage, from_data, to_data
from postsale.journey import Cause, Journey, JourneyAnalytics, TransitionKind, analyze, analyze_cohorts
from tests.strategies.journey import FULL_EVIDENCE, journeys

D0 = date(2026, 1, 1)


def fast_smb() -> Journey:
    """Onboards in 10 days, adopts in 60, then a champion leaves."""
    return (Journey.start("fast", "SMB", on=D0, labels={"source": "referral"})
            .move("core", Stage.ADOPTION, on=D0 + timedelta(10), evidence=FULL_EVIDENCE)
            .move("core", Stage.RETENTION, on=D0 + timedelta(70), evidence=FULL_EVIDENCE)
            .move("core", Stage.ADOPTION, on=D0 + timedelta(100), cause=Cause.CHAMPION_LEFT))


def slow_enterprise() -> Journey:
    """Onboards in 30 days, then a new product release cycles it back."""
    return (Journey.start("slow", "ENTERPRISE", on=D0)
            .move("core", Stage.ADOPTION, on=D0 + timedelta(30), evidence=FULL_EVIDENCE)
            .move("core", Stage.ONBOARDING, on=D0 + timedelta(40), cause=Cause.NEW_PRODUCT_RELEASE))


def stuck() -> Journey:
    """Never leaves onboarding."""
    return Journey.start("stuck", "SMB", on=D0)


def test_completion_rate_per_stage() -> None:
    """Completion = entries that moved forward / entries (domain-spec §1.11)."""
    a = analyze([fast_smb(), slow_enterprise(), stuck()])
    onboarding = a.completion[Stage.ONBOARDING]
    assert (onboarding.entered, onboarding.completed, onboarding.still_in) == (4, 2, 2)
    assert onboarding.rate == 0.5
    adoption = a.completion[Stage.ADOPTION]
    assert (adoption.entered, adoption.completed, adoption.regressed, adoption.still_in) == (3, 1, 1, 1)
    assert a.completion[Stage.ADVOCACY].rate is None


def test_velocity_mean_median_min_max() -> None:
    """Velocity is over closed intervals only."""
    v = analyze([fast_smb(), slow_enterprise(), stuck()]).velocity[Stage.ONBOARDING]
    assert (v.count, v.mean_days, v.median_days, v.min_days, v.max_days) == (2, 20.0, 20.0, 10, 30)
    assert v.stdev_days == 10.0
    single = analyze([stuck().move("core", Stage.ADOPTION, on=D0 + timedelta(5), evidence=FULL_EVIDENCE)])
    assert single.velocity[Stage.ONBOARDING].stdev_days == 0.0
    assert analyze([stuck()]).velocity[Stage.ONBOARDING].mean_days is None


def test_regression_rate_with_and_without_cycles() -> None:
    """Per account and per transition; cycles can be excluded (domain-spec A-10)."""
    journeys_ = [fast_smb(), slow_enterprise(), stuck()]
    with_cycles = analyze(journeys_).regression
    assert (with_cycles.accounts, with_cycles.accounts_with_backward) == (3, 2)
    assert with_cycles.account_rate == pytest.approx(2 / 3)
    assert (with_cycles.transitions, with_cycles.backward) == (5, 2)
    assert with_cycles.transition_rate == 0.4
    assert with_cycles.by_cause == {Cause.CHAMPION_LEFT: 1, Cause.NEW_PRODUCT_RELEASE: 1}
    assert with_cycles.by_transition == {"RETENTION->ADOPTION": 1, "ADOPTION->ONBOARDING": 1}
    without = analyze(journeys_, include_cycles=False).regression
    assert (without.accounts_with_backward, without.backward) == (1, 1)


def test_bottleneck_is_the_least_completed_stage() -> None:
    """The bottleneck is the stage (meant to be completed) with the lowest completion rate."""
    a = analyze([fast_smb(), slow_enterprise(), stuck()])
    assert a.completion[Stage.ADOPTION].rate == pytest.approx(1 / 3)
    assert a.bottleneck is Stage.ADOPTION
    assert "Bottleneck: Adoption has the lowest completion rate." in a.explain()
    assert analyze([]).bottleneck is None


def test_as_of_analyses_the_past() -> None:
    """as_of leaves out later events and journeys that had not started."""
    late = Journey.start("late", "SMB", on=D0 + timedelta(365))
    a = analyze([fast_smb(), late], as_of=D0 + timedelta(50))
    assert a.journeys == 1
    assert a.regression.backward == 0


def test_cohorts_by_segment_label_or_function() -> None:
    """Cohorts group by segment, a label (missing -> '(none)'), or any function."""
    js = [fast_smb(), slow_enterprise(), stuck()]
    by_segment = analyze_cohorts(js)
    assert sorted(by_segment) == ["ENTERPRISE", "SMB"]
    assert by_segment["SMB"].journeys == 2
    by_source = analyze_cohorts(js, by="source")
    assert sorted(by_source) == ["(none)", "referral"]
    by_len = analyze_cohorts(js, by=lambda j: "long" if len(j) > 2 else "short")
    assert by_len["short"].journeys == 1
    with pytest.raises(InvalidValueError, match="by"):
        analyze_cohorts(js, by=3)  # type: ignore[arg-type]


def test_analytics_serialize() -> None:
    """Analytics are plain values that round-trip."""
    a = analyze([fast_smb(), slow_enterprise(), stuck()])
    assert from_data(JourneyAnalytics, to_data(a)) == a
    assert to_data(a)["bottleneck"] == "ADOPTION"


@given(st.lists(journeys(max_events=8), max_size=6))
def test_analytics_invariants(js: list[Journey]) -> None:
    """Rates are within [0, 1]; completed + regressed + exited + still_in = entered; cohorts partition."""
    a = analyze(js)
    for c in a.completion.values():
        assert c.completed + c.regressed + c.exited + c.still_in == c.entered
        assert c.rate is None or 0 <= c.rate <= 1
    r = a.regression
    assert r.account_rate is None or 0 <= r.account_rate <= 1
    assert sum(r.by_cause.values()) == r.backward
    assert sum(x.journeys for x in analyze_cohorts(js).values()) == a.journeys
    backward_events = sum(1 for j in js for e in j.history if e.kind in (TransitionKind.REGRESSION,
                                                                        TransitionKind.CYCLE))
    assert r.backward == backward_events
