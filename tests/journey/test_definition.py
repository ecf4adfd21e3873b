"""The journey definition: criteria, readiness, classification and validation."""

from __future__ import annotations

import pickle
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postsale import DefinitionError, InvalidValueError, Segment, Stage, from_data, to_data
from postsale.journey import (
    DEFAULT_JOURNEY_DEFINITION,
    Cause,
    CauseCategory,
    Comparison,
    Criterion,
    JourneyDefinition,
    Readiness,
    RegressionSignal,
    Span,
    StageBenchmark,
    TransitionKind,
)


@pytest.mark.parametrize(
    ("op", "value", "met"),
    [(Comparison.GE, 0.7, True), (Comparison.GE, 0.69, False), (Comparison.GT, 0.7, False),
     (Comparison.GT, 0.71, True), (Comparison.LE, 0.7, True), (Comparison.LT, 0.7, False),
     (Comparison.EQ, 0.7, True), (Comparison.EQ, 0.71, False)],
)
def test_criterion_comparisons(op: Comparison, value: float, met: bool) -> None:
    """Each comparison is applied exactly at and around its threshold."""
    assert Criterion("c", "s", op, 0.7).check({"s": value}).met is met


def test_missing_signal_never_meets_a_criterion() -> None:
    """Absent evidence is unmet, even for a <= comparison."""
    result = Criterion("c", "s", Comparison.LE, 5).check({})
    assert (result.met, result.value) == (False, None)
    assert result.explain() == ["c: s missing <= 5 not met"]


def test_criterion_refuses_non_finite_threshold() -> None:
    """A criterion threshold must be a finite number."""
    with pytest.raises(InvalidValueError, match="threshold"):
        Criterion("c", "s", threshold=float("nan"))


def test_default_onboarding_exit_has_the_five_conditions() -> None:
    """Onboarding exit = the five conditions of domain-spec §1.2, including customer-confirmed go-live."""
    names = [c.name for c in DEFAULT_JOURNEY_DEFINITION.exit_criteria[Stage.ONBOARDING]]
    assert names == ["implementation_complete", "core_users_trained", "use_case_live", "first_value_documented",
                     "go_live_confirmed"]


def test_default_adoption_exit_thresholds() -> None:
    """Adoption exit: >= 70 % seats active, >= 3 features beyond the initial use case (domain-spec §1.3)."""
    by_name = {c.name: c for c in DEFAULT_JOURNEY_DEFINITION.exit_criteria[Stage.ADOPTION]}
    assert (by_name["seats_active_70pct"].threshold, by_name["seats_active_70pct"].op) == (0.70, Comparison.GE)
    assert by_name["features_beyond_initial"].threshold == 3
    assert len(by_name) == 5


def test_advocacy_requires_having_renewed_once() -> None:
    """The advocate qualification includes 'renewed at least once' (domain-spec §1.7)."""
    names = [c.name for c in DEFAULT_JOURNEY_DEFINITION.entry_criteria[Stage.ADVOCACY]]
    assert "renewed_at_least_once" in names
    assert len(names) == 7


def test_guards_of_a_skip_cover_every_stage_crossed() -> None:
    """Onboarding -> Expansion crosses the onboarding and adoption exits; -> Advocacy adds the qualification."""
    assert len(DEFAULT_JOURNEY_DEFINITION.guards(Stage.ONBOARDING, Stage.EXPANSION)) == 10
    assert len(DEFAULT_JOURNEY_DEFINITION.guards(Stage.RENEWAL, Stage.ADVOCACY)) == 7
    assert DEFAULT_JOURNEY_DEFINITION.guards(Stage.RETENTION, Stage.EXPANSION) == ()
    assert len(DEFAULT_JOURNEY_DEFINITION.guards(None, Stage.ADVOCACY)) == 7


@pytest.mark.parametrize(
    ("src", "dst", "cause", "kind"),
    [(None, Stage.ONBOARDING, Cause.NEW_USE_CASE, TransitionKind.ENTRY),
     (Stage.ADOPTION, None, Cause.CHURNED, TransitionKind.EXIT),
     (Stage.ONBOARDING, Stage.ADOPTION, Cause.CRITERIA_MET, TransitionKind.FORWARD),
     (Stage.ONBOARDING, Stage.EXPANSION, Cause.CRITERIA_MET, TransitionKind.SKIP),
     (Stage.EXPANSION, Stage.ADOPTION, Cause.CHAMPION_LEFT, TransitionKind.REGRESSION),
     (Stage.EXPANSION, Stage.ADOPTION, Cause.NEW_PRODUCT_RELEASE, TransitionKind.CYCLE),
     (Stage.RENEWAL, Stage.ONBOARDING, Cause.MERGER, TransitionKind.CYCLE),
     (Stage.RENEWAL, Stage.RETENTION, Cause.RENEWAL_COMPLETED, TransitionKind.CYCLE),
     (Stage.RETENTION, Stage.ADOPTION, Cause.OTHER, TransitionKind.REGRESSION)],
)
def test_classification_by_order_and_cause(src: Stage | None, dst: Stage | None, cause: Cause,
                                           kind: TransitionKind) -> None:
    """Kinds follow domain-spec §1.13: order decides forward/skip, the cause decides regression/cycle."""
    assert DEFAULT_JOURNEY_DEFINITION.classify(src, dst, cause) is kind


def test_readiness_lists_met_and_missing() -> None:
    """Readiness reports every criterion, and explains itself."""
    r = DEFAULT_JOURNEY_DEFINITION.readiness(Stage.ADOPTION, Stage.RETENTION,
                                     {"seat_utilisation": 0.7, "features_beyond_initial": 2})
    assert r.missing == ("features_beyond_initial", "usage_pattern_established", "additional_teams_onboarded",
                         "power_users_identified")
    assert not r.met
    assert r.explain()[0] == ("Not ready for Retention: 4 of 5 criteria unmet (features_beyond_initial, "
                              "usage_pattern_established, additional_teams_onboarded, power_users_identified).")
    assert Readiness(Stage.RETENTION, Stage.EXPANSION).explain() == ["No criteria guard the move to Expansion."]


def test_advisory_readiness_adds_expansion_signals() -> None:
    """Suggestions also look at advisory criteria (usage at 80 % of a limit, healthy)."""
    evidence = {"usage_limit_ratio": 0.8, "health_score": 70}
    r = DEFAULT_JOURNEY_DEFINITION.readiness(Stage.RETENTION, Stage.EXPANSION, evidence, advisory=True)
    assert r.met
    assert r.explain()[0] == "Ready for Expansion: all 2 criteria met."


def test_span_adds_months_from_the_anchor_with_clipping() -> None:
    """Spans add calendar months with month-end clipping (31 Jan + 1 month = 29 Feb 2024)."""
    assert Span(months=1).after(date(2024, 1, 31)) == date(2024, 2, 29)
    assert Span(months=13, days=1).after(date(2026, 3, 31)) == date(2027, 5, 1)
    assert str(Span(months=2, days=3)) == "2 month(s) 3 day(s)"
    assert str(Span()) == "0 day(s)"


def test_benchmark_spans_must_be_ordered() -> None:
    """typical_min <= typical_max <= stuck_after."""
    with pytest.raises(InvalidValueError, match="typical_min <= typical_max <= stuck_after"):
        StageBenchmark(Span(days=10), Span(days=30), Span(days=20))


def test_definition_reports_every_problem_at_once() -> None:
    """An invalid definition lists all its problems in one DefinitionError."""
    dup = Criterion("x", "s")
    with pytest.raises(DefinitionError) as info:
        JourneyDefinition(
            exit_criteria={Stage.ONBOARDING: (dup, dup), Stage.ADVOCACY: (dup,)},
            entry_criteria={Stage.ONBOARDING: (Criterion("y", "s"),)},
            cause_categories={Cause.CRITERIA_MET: CauseCategory.PROGRESS},
            renewal_runway_days={Segment.SMB: 0},
            regression_signals=(RegressionSignal(Criterion("z", "s"), Cause.CRITERIA_MET, Stage.ADOPTION),),
        )
    messages = [str(p) for p in info.value.problems]
    assert "criterion name 'x' appears more than once @ $.exit_criteria.ONBOARDING" in messages
    assert "Advocacy is the last stage: nothing to exit to @ $.exit_criteria.ADVOCACY" in messages
    assert any("$.entry_criteria.ONBOARDING" in m for m in messages)
    assert any("$.cause_categories.CHAMPION_LEFT" in m for m in messages)
    assert any("no cause allows a backward move" in m for m in messages)
    assert any("$.renewal_runway_days.SMB" in m for m in messages)
    assert any("$.regression_signals[0].cause" in m for m in messages)


def test_definition_refuses_non_stage_keys_and_bad_signals() -> None:
    """Keys must be stages; regression signals must be RegressionSignal values."""
    with pytest.raises(DefinitionError) as info:
        JourneyDefinition(exit_criteria={"ONBOARDING": ()}, regression_signals=("nope",))  # type: ignore[dict-item]
    assert {p.path for p in info.value.problems} == {"$.exit_criteria.ONBOARDING", "$.regression_signals[0]"}


def test_custom_definition_changes_the_guard() -> None:
    """A definition with a 50 % seat threshold lets 60 % through."""
    custom = JourneyDefinition(exit_criteria={Stage.ADOPTION: (Criterion("seats", "seat_utilisation", threshold=0.5),)})
    assert custom.readiness(Stage.ADOPTION, Stage.RETENTION, {"seat_utilisation": 0.6}).met


def test_mixed_comparisons_in_one_guard() -> None:
    """A guard mixing comparisons and equalities checks each one."""
    custom = JourneyDefinition(exit_criteria={Stage.ONBOARDING: (
        Criterion("a", "a", Comparison.GE, 1), Criterion("b", "b", Comparison.LT, 5),
        Criterion("c", "c", Comparison.EQ, 2), Criterion("d", "d", Comparison.EQ, 2))})
    from postsale.journey import Journey

    j = Journey.start("x", "SMB", on=date(2026, 1, 1), definition=custom)
    ok = {"a": 1, "b": 4, "c": 2, "d": 2}
    assert j.move("core", Stage.ADOPTION, on=date(2026, 1, 2), evidence=ok).stage() is Stage.ADOPTION
    for bad in ({**ok, "b": 5}, {**ok, "c": 3}, {**ok, "a": 0}):
        with pytest.raises(Exception, match="unmet criteria"):
            j.move("core", Stage.ADOPTION, on=date(2026, 1, 2), evidence=bad)
    single_eq = JourneyDefinition(exit_criteria={Stage.ONBOARDING: (Criterion("c", "c", Comparison.EQ, 2),)})
    j2 = Journey.start("x", "SMB", on=date(2026, 1, 1), definition=single_eq)
    assert j2.move("core", Stage.ADOPTION, on=date(2026, 1, 2), evidence={"c": 2}).stage() is Stage.ADOPTION


def test_default_definition_round_trips() -> None:
    """The default definition survives to_data/from_data."""
    assert from_data(JourneyDefinition, to_data(DEFAULT_JOURNEY_DEFINITION)) == DEFAULT_JOURNEY_DEFINITION


@given(st.floats(0, 1), st.integers(0, 10))
def test_custom_definitions_round_trip(threshold: float, features: int) -> None:
    """Custom definitions round-trip through plain data."""
    custom = JourneyDefinition(exit_criteria={Stage.ADOPTION: (
        Criterion("seats", "seat_utilisation", threshold=threshold),
        Criterion("features", "features_beyond_initial", Comparison.GT, features, "d", "s"))}, version="v2")
    assert from_data(JourneyDefinition, to_data(custom)) == custom


def test_a_definition_pickles_and_guards_the_same() -> None:
    """A definition pickles equal and its compiled guards work after loading."""
    custom = JourneyDefinition(exit_criteria={Stage.ADOPTION: (Criterion("seats", "seat_utilisation", threshold=0.5),)})
    again = pickle.loads(pickle.dumps(custom))
    assert (again, again.readiness(Stage.ADOPTION, Stage.RETENTION, {"seat_utilisation": 0.6}).met) == (custom, True)


def test_benchmarks_and_runways_are_keyed_by_names_as_well_as_members() -> None:
    """``{"smb": {"adoption": ...}}`` is read as ``{Segment.SMB: {Stage.ADOPTION: ...}}``, as everywhere else a
    segment or a stage is given by name; a name of neither is still a problem with its path."""
    from postsale import DefinitionError, Segment, Stage
    from postsale.journey import JourneyDefinition

    default = JourneyDefinition()
    bench = default.benchmarks[Segment.SMB][Stage.ADOPTION]
    named = JourneyDefinition(benchmarks={"smb": {"adoption": bench}}, renewal_runway_days={"enterprise": 120})
    assert named.benchmarks == {Segment.SMB: {Stage.ADOPTION: bench}}
    assert named.renewal_runway_days == {Segment.ENTERPRISE: 120}
    with pytest.raises(DefinitionError) as refused:
        JourneyDefinition(benchmarks={"XX": {}})
    assert [p.path for p in refused.value.problems] == ["$.benchmarks.'XX'"]
