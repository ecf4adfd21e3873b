# ruff: noqa: E501 - the sentences are pinned whole, as the user reads them
"""Mutation triage of the journey context, continued (test_mutants.py holds the refusals and the sweeps): the
figures, kinds, boundaries and sentences of the journey, its analytics and its outcome patterns."""

from __future__ import annotations

from datetime import date, timedelta

import cattrs
import pytest

from postsale import PostsaleError, Stage, to_data
from postsale.journey import (
    DEFAULT_JOURNEY_DEFINITION,
    AccountMilestones,
    Cause,
    Comparison,
    Criterion,
    Journey,
    JourneyDefinition,
    JourneyEvent,
    PathPattern,
    PatternOutcome,
    Span,
    StageBenchmark,
    StageChecklist,
    TransitionKind,
    analyze,
    analyze_cohorts,
    days_to_first_login,
    outcome_correlation,
    time_to_first_value,
)
from tests.journey.test_mutants import ADOPTED, DONE, KICKOFF, RETENTION, D, _in_retention


def test_a_benchmark_may_have_a_typical_range_of_one_length() -> None:
    bench = StageBenchmark(Span(days=10), Span(days=10), Span(days=10))
    assert (bench.typical_min, bench.typical_max, bench.stuck_after) == (Span(days=10), Span(days=10), Span(days=10))


def test_analytics_explain_completion_velocity_regression_and_the_slowest_bottleneck() -> None:
    """Onboarding and Adoption are both completed; Adoption took longer, so it is the bottleneck."""
    stats = analyze([RETENTION])
    assert stats.bottleneck is Stage.ADOPTION
    assert stats.explain() == [
        '1 journey analysed.',
        'Onboarding: 1 entered, 1 moved on (100%), median 10 days.',
        'Adoption: 1 entered, 1 moved on (100%), median 80 days.',
        'Retention: 1 entered, 0 moved on (0%).',
        '0 of 1 accounts moved backward (0%, cycles included).',
        'Bottleneck: Adoption has the lowest completion rate.',
    ]
    assert analyze([RETENTION], include_cycles=False).explain()[4] == '0 of 1 accounts moved backward (0%, cycles excluded).'


def test_analytics_as_of_a_day_leave_out_only_the_journeys_started_later() -> None:
    late = Journey.start("late", "SMB", on=date(2026, 6, 1))
    assert analyze([late, RETENTION], as_of=date(2026, 5, 1)).journeys == 1


def test_a_regression_signal_suggests_a_backward_move_classified_by_its_cause() -> None:
    found = [(s.to_stage, s.kind, s.cause, s.why) for s in RETENTION.suggest({"champion_left": 1})]
    assert found == [(Stage.EXPANSION, TransitionKind.FORWARD, Cause.CRITERIA_MET, "next stage; criteria still missing"),
                     (Stage.ADOPTION, TransitionKind.REGRESSION, Cause.CHAMPION_LEFT, "champion_left: back to proving value")]
    [ready] = RETENTION.suggest({"usage_limit_ratio": 0.8, "health_score": 70})
    assert (ready.to_stage, ready.why) == (Stage.EXPANSION, "criteria met")


def test_a_move_to_the_same_stage_classifies_by_its_cause() -> None:
    classify = DEFAULT_JOURNEY_DEFINITION.classify
    assert classify(Stage.ADOPTION, Stage.ADOPTION, Cause.CHAMPION_LEFT) is TransitionKind.REGRESSION
    assert classify(Stage.ADOPTION, Stage.ADOPTION, Cause.NEW_USE_CASE) is TransitionKind.CYCLE


def test_a_journey_started_past_an_entry_guard_keeps_the_evidence_the_guard_read() -> None:
    definition = JourneyDefinition(entry_criteria={Stage.ADOPTION: (Criterion("kickoff", "kickoff_done"),)})
    journey = Journey.start("a", "SMB", on=D, stage=Stage.ADOPTION, evidence={"kickoff_done": 1, "other": 2},
                            definition=definition)
    assert dict(journey.history[0].evidence) == {"kickoff_done": 1}


def test_a_forward_move_with_part_of_its_evidence_is_refused_for_the_criteria_missing() -> None:
    partial = {k: v for k, v in DONE.items() if k != "go_live_confirmed"}
    with pytest.raises(PostsaleError, match="unmet criteria go_live_confirmed;"):
        Journey.start("a", "SMB", on=D).move("core", Stage.ADOPTION, on=date(2026, 2, 1), evidence=partial)


def test_a_pattern_without_accounts_shows_n_a() -> None:
    assert PatternOutcome(PathPattern.STALLED, 0, 0, 1, 0).explain() == [
        'Accounts that stayed in a stage past its stuck point: n/a (0 of 0) vs 0% (0 of 1) for the others.']


def test_the_journey_plain_data_hooks_write_identity_labels_and_events_and_declare_their_schema() -> None:
    """The hooks are registered at import; set up again on a fresh converter they write the same form."""
    from postsale.journey._serialization import _hooks
    from postsale.triggers import json_schema

    fresh = cattrs.Converter()
    _hooks(fresh)
    journey = Journey.start("a", "SMB", on=D, labels={"source": "referral"})
    written = fresh.unstructure(journey)
    assert (written["account_id"], written["segment"], written["labels"], len(written["events"])) == (
        "a", "SMB", {"source": "referral"}, 1)
    assert fresh.structure(to_data(journey), Journey) == journey
    schema = json_schema(Journey)
    assert (schema["type"], schema["required"]) == ("object", ["account_id", "segment", "events"])
    assert (schema["properties"]["account_id"], schema["properties"]["labels"]) == (
        {"type": "string"}, {"type": "object", "additionalProperties": {"type": "string"}})


def test_analytics_by_cohort_read_each_journey_as_of_the_day_asked() -> None:
    [(name, stats)] = analyze_cohorts([RETENTION], as_of=date(2026, 1, 20)).items()
    adoption = stats.completion[Stage.ADOPTION]
    assert (name, stats.journeys, adoption.entered, adoption.completed) == ("SMB", 1, 1, 0)


def test_a_span_may_last_up_to_100_years() -> None:
    assert (Span(days=36600).days, Span(months=1200).months) == (36600, 1200)


def test_criteria_of_one_equality_need_every_value_equal() -> None:
    both = (Criterion("a", "a", Comparison.EQ, 1), Criterion("b", "b", Comparison.EQ, 1))
    definition = JourneyDefinition(exit_criteria={**dict(DEFAULT_JOURNEY_DEFINITION.exit_criteria), Stage.ONBOARDING: both})
    start = Journey.start("a", "SMB", on=D, definition=definition)
    with pytest.raises(PostsaleError, match="unmet criteria b;"):
        start.move("core", Stage.ADOPTION, on=date(2026, 2, 1), evidence={"a": 1, "b": 2})
    assert start.move("core", Stage.ADOPTION, on=date(2026, 2, 1), evidence={"a": 1, "b": 1}).stage("core") is Stage.ADOPTION


def test_criteria_of_one_threshold_need_every_value_past_it() -> None:
    both = (Criterion("a", "a", Comparison.GE, 1), Criterion("b", "b", Comparison.GE, 1))
    definition = JourneyDefinition(exit_criteria={**dict(DEFAULT_JOURNEY_DEFINITION.exit_criteria), Stage.ONBOARDING: both})
    start = Journey.start("a", "SMB", on=D, definition=definition)
    with pytest.raises(PostsaleError, match="unmet criteria b;"):
        start.move("core", Stage.ADOPTION, on=date(2026, 2, 1), evidence={"a": 2, "b": 0})
    assert start.move("core", Stage.ADOPTION, on=date(2026, 2, 1), evidence={"a": 1, "b": 3}).stage("core") is Stage.ADOPTION


def test_milestone_timing_explains_the_spread_and_an_unknown_rate() -> None:
    reached = [AccountMilestones(str(i), "SMB", D, first_value_on=D + timedelta(days=d)) for i, d in enumerate([30, 10, 50, 100])]
    assert time_to_first_value(reached, as_of=date(2026, 12, 1)).explain()[1] == (
        "Days to first value: median 40, mean 47.5, fastest 10, slowest 100.")
    waiting = days_to_first_login([AccountMilestones("a", "SMB", date(2026, 11, 28))], as_of=date(2026, 12, 1))
    assert waiting.explain()[1] == ("Within the 7-day target: 0 (n/a of the accounts whose result is known); 0 reached it "
                                    "late; 0 overdue (past the target without it); 1 still within the target.")


def test_onboarding_on_time_reads_the_first_track_only() -> None:
    """A department track that leaves Onboarding in five days does not make the core track's onboarding on time."""
    journey = (Journey.start("a", "SMB", on=D).open_track("marketing", on=date(2026, 1, 6), cause=Cause.NEW_DEPARTMENT)
               .move("marketing", Stage.ADOPTION, on=date(2026, 1, 10), evidence=DONE))
    found = {p.pattern: (p.accounts_with, p.accounts_without)
             for p in outcome_correlation([journey], outcomes={"a": True}, as_of=date(2026, 12, 1)).patterns}
    assert (found[PathPattern.ONBOARDED_ON_TIME], found[PathPattern.MULTI_TRACK]) == ((0, 1), (1, 0))


def test_a_checklist_without_evidence_lists_every_missing_criterion() -> None:
    assert DEFAULT_JOURNEY_DEFINITION.check_stage(Stage.RETENTION, {}).explain()[0] == (
        "Retention going well: cannot tell yet (missing evidence: health_green, no_critical_issues, "
        "renewal_risk_at_most_medium; 0 of 3 criteria met).")


def test_a_history_a_timing_and_the_readiness_of_a_move_in_words() -> None:
    back = _in_retention("c").move("core", Stage.ADOPTION, on=date(2026, 5, 1), cause=Cause.CHAMPION_LEFT)
    assert [line for event in back.history for line in event.explain()] == [
        '2026-01-05 [core] (new track) -> Onboarding: ENTRY because NEW_USE_CASE',
        '2026-01-15 [core] Onboarding -> Adoption: FORWARD because CRITERIA_MET',
        '2026-04-05 [core] Adoption -> Retention: FORWARD because CRITERIA_MET',
        '2026-05-01 [core] Retention -> Adoption: REGRESSION because CHAMPION_LEFT',
    ]
    assert [t.explain() for t in back.timing(as_of=date(2026, 8, 1))] == [
        ['core: 92 days in Adoption, ON_TRACK (expected by 2026-11-01, stuck after 2027-02-01)']]
    assert DEFAULT_JOURNEY_DEFINITION.readiness(Stage.ONBOARDING, Stage.ADOPTION, {"implementation_complete": 1}).explain() == [
        'Not ready for Adoption: 4 of 5 criteria unmet (core_users_trained, use_case_live, first_value_documented, go_live_confirmed).',
        'implementation_complete: implementation_complete 1 >= 1 met',
        'core_users_trained: core_users_trained missing >= 1 not met',
        'use_case_live: use_case_live missing >= 1 not met',
        'first_value_documented: first_value_documented missing >= 1 not met',
        'go_live_confirmed: go_live_confirmed missing >= 1 not met',
    ]


def test_suggestions_in_words_with_their_readiness() -> None:
    assert [s.explain() for s in RETENTION.suggest({"champion_left": 1, "usage_limit_ratio": 0.8})] == [
        ['[core] suggest Retention -> Expansion (FORWARD): next stage; criteria still missing',
         'Not ready for Expansion: 1 of 2 criteria unmet (healthy).',
         'usage_near_limit: usage_limit_ratio 0.8 >= 0.8 met',
         'healthy: health_score missing >= 70 not met'],
        ['[core] suggest Retention -> Adoption (REGRESSION): champion_left: back to proving value',
         'Ready for Adoption: all 1 criteria met.',
         'champion_left: champion_left 1 >= 1 met'],
    ]


def test_outcome_patterns_and_paths_and_analytics_of_three_journeys_in_words() -> None:
    back = _in_retention("c").move("core", Stage.ADOPTION, on=date(2026, 5, 1), cause=Cause.CHAMPION_LEFT)
    journeys = [RETENTION, back, Journey.start("b", "SMB", on=D)]
    indicative = " for the others (fewer than 30 accounts on a side: indicative only)."
    assert outcome_correlation(journeys, outcomes={"a": True, "b": False, "c": True}).explain() == [
        '2 of 3 account(s) with a known outcome renewed (67%); 0 left out (outcome not known yet).',
        "Accounts that left Onboarding within the segment's typical time: 100% (2 of 2) vs n/a (0 of 0)" + indicative,
        'Accounts that stayed in a stage past its stuck point: n/a (0 of 0) vs 67% (2 of 3)' + indicative,
        'Accounts that slid back at least once (a regression): 100% (1 of 1) vs 50% (1 of 2)' + indicative,
        'Accounts that looped back for a new scope at least once (a cycle): n/a (0 of 0) vs 67% (2 of 3)' + indicative,
        'Accounts that skipped a stage at least once: n/a (0 of 0) vs 67% (2 of 3)' + indicative,
        'Accounts that reached Expansion: n/a (0 of 0) vs 67% (2 of 3)' + indicative,
        'Accounts that ran more than one track (overlap): n/a (0 of 0) vs 67% (2 of 3)' + indicative,
        'Onboarding: 0% (0 of 1).',
        'Onboarding → Adoption → Retention: 100% (1 of 1).',
        'Onboarding → Adoption → Retention → Adoption: 100% (1 of 1).',
        'A pattern that goes with the outcome is a lead to investigate, not proof that it causes it.',
    ]
    assert analyze(journeys).explain() == [
        '3 journeys analysed.',
        'Onboarding: 3 entered, 2 moved on (67%), median 10 days.',
        'Adoption: 3 entered, 2 moved on (67%), median 80 days.',
        'Retention: 2 entered, 0 moved on (0%), median 26 days.',
        '1 of 3 accounts moved backward (33%, cycles included).',
        'Bottleneck: Adoption has the lowest completion rate.',
    ]


def test_a_refused_move_names_its_track_and_stages() -> None:
    def refused(move: object) -> tuple[object, ...]:
        with pytest.raises(PostsaleError) as caught:
            move()  # type: ignore[operator]
        error = caught.value
        return (error.track, error.from_stage, error.to_stage, error.missing)  # type: ignore[attr-defined]

    opening = Journey.start("a", "SMB", on=D, definition=KICKOFF)
    assert refused(lambda: opening.open_track("x", on=date(2026, 2, 1), stage=Stage.ADOPTION)) == (
        "x", None, Stage.ADOPTION, ("kickoff",))
    assert refused(lambda: Journey.start("a", "SMB", on=D).move("core", Stage.ADOPTION, on=date(2026, 2, 1))) == (
        "core", Stage.ONBOARDING, Stage.ADOPTION, tuple(DONE))
    assert refused(lambda: RETENTION.move("core", Stage.RETENTION, on=date(2026, 5, 1))) == (
        "core", Stage.RETENTION, Stage.RETENTION, ())
    stale = JourneyEvent(date(2026, 5, 1), "core", Stage.ADOPTION, Stage.RETENTION, TransitionKind.FORWARD,
                         Cause.CRITERIA_MET)
    assert refused(lambda: RETENTION.apply(stale)) == ("core", Stage.ADOPTION, Stage.RETENTION, ())
    other_kind = JourneyEvent(date(2026, 5, 1), "core", Stage.RETENTION, Stage.EXPANSION, TransitionKind.SKIP,
                              Cause.CRITERIA_MET)
    assert refused(lambda: RETENTION.apply(other_kind)) == ("core", Stage.RETENTION, Stage.EXPANSION, ())
    assert refused(lambda: RETENTION.close_track("core", on=date(2026, 5, 1), cause=Cause.OTHER)) == (
        "core", Stage.RETENTION, None, ())


def test_the_type_validator_factory_names_the_attribute_and_shows_the_value() -> None:
    """of_type builds its validators at import, before a mutant is active: called here, it is checked too."""
    from types import SimpleNamespace

    from postsale.journey._criteria import of_type

    title, maybe = of_type(str), of_type(str, optional=True)
    attribute = SimpleNamespace(name="title")
    title(None, attribute, "ok")
    maybe(None, attribute, None)
    with pytest.raises(PostsaleError) as caught:
        title(None, attribute, 5)
    assert (caught.value.field, str(caught.value)) == ("title", "title=5: expected str, got int; instead: pass a str")
    with pytest.raises(PostsaleError, match=r"^title=None: expected str, got NoneType"):
        title(None, attribute, None)


def test_renewing_into_a_new_term_completes_the_renewal_stage() -> None:
    renewal = RETENTION.move("core", Stage.RENEWAL, on=date(2026, 6, 1), reason="contract window")
    renewed = renewal.move("core", Stage.RETENTION, on=date(2026, 7, 1), cause=Cause.RENEWAL_COMPLETED)
    stage = analyze([renewed]).completion[Stage.RENEWAL]
    assert (renewed.history[-1].kind, stage.entered, stage.completed, stage.regressed) == (TransitionKind.CYCLE, 1, 1, 0)


@pytest.mark.parametrize(("required", "line"), [
    (2, "Retention checklist: no (unmet: b; 1 of 2 criteria met)."),
    (1, "Retention checklist: yes (1 of 2 criteria met, at least 1 needed)."),
])
def test_a_checklist_says_how_many_criteria_it_needs_only_when_fewer_than_all(required: int, line: str) -> None:
    checklist = StageChecklist(Stage.RETENTION, (Criterion("a", "a"), Criterion("b", "b")), required=required)
    assert checklist.check({"a": 1, "b": 0}).explain()[0] == line


def test_first_value_is_the_first_event_documenting_it_and_a_first_login_is_kept() -> None:
    documented = JourneyDefinition(entry_criteria={Stage.ADOPTION: (Criterion("fv", "first_value_documented"),)})
    journey = Journey.start("a", "SMB", on=D, definition=documented).open_track(
        "x", on=date(2026, 1, 8), stage=Stage.ADOPTION, evidence={"first_value_documented": 1})
    found = AccountMilestones.from_journey(journey, first_login_on=date(2026, 1, 6))
    assert (found.first_login_on, found.first_value_on) == (date(2026, 1, 6), date(2026, 1, 8))


def test_a_correlation_without_known_outcomes_shows_n_a() -> None:
    assert outcome_correlation([RETENTION]).explain()[0] == (
        "0 of 0 account(s) with a known outcome renewed (n/a); 1 left out (outcome not known yet).")


def test_a_move_that_is_no_move_has_no_guards() -> None:
    kickoff = JourneyDefinition(entry_criteria={Stage.ADOPTION: (Criterion("kickoff", "kickoff_done"),)})
    assert kickoff.guards(Stage.ADOPTION, Stage.ADOPTION) == ()
    assert kickoff.guards(None, Stage.ADOPTION) == (Criterion("kickoff", "kickoff_done"),)


def test_a_journey_shows_its_account_open_tracks_and_number_of_events() -> None:
    assert repr(RETENTION.open_track("x", on=date(2026, 5, 1))) == (
        "Journey('a', SMB, tracks: core=RETENTION, x=ONBOARDING, events=4)")


def test_renewal_is_suggested_from_the_day_the_contract_ends_with_its_advisory_criteria() -> None:
    advised = JourneyDefinition(readiness_criteria={Stage.RENEWAL: (Criterion("sponsor", "exec_sponsor"),)})
    journey = (Journey.start("a", "SMB", on=D, definition=advised)
               .move("core", Stage.ADOPTION, on=date(2026, 1, 15), evidence=DONE)
               .move("core", Stage.RETENTION, on=date(2026, 4, 5), evidence=ADOPTED))
    [renewal] = [s for s in journey.suggest({"days_to_renewal": 0}) if s.to_stage is Stage.RENEWAL]
    assert renewal.readiness.explain() == ['Not ready for Renewal: 1 of 1 criteria unmet (sponsor).',
                                           'sponsor: exec_sponsor missing >= 1 not met']


def test_outcome_patterns_as_of_a_day_count_the_journeys_started_that_day() -> None:
    started = Journey.start("z", "SMB", on=date(2026, 5, 1))
    assert outcome_correlation([started], outcomes={"z": True}, as_of=date(2026, 5, 1)).accounts == 1
