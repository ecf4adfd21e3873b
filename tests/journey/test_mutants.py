# ruff: noqa: E501 - the messages are pinned whole, as the user reads them
"""Mutation triage of the journey context (triage samples seed 21, 23, 25, 26 and 28, then the survivors of the
fresh seed-30 sample; docs/mutation.md): each refusal pinned whole (its class, its field and every word of its
message), and every converter and validator naming its own attribute and showing the value (the sweeps of
tests/kpi/test_mutants_2.py). Figures, kinds and sentences are in test_mutants_3.py."""

from __future__ import annotations

from datetime import date

import attrs
import pytest

import postsale.journey
from postsale import Segment, Stage
from postsale.journey import (
    DEFAULT_JOURNEY_DEFINITION,
    AccountMilestones,
    Cause,
    CauseCategory,
    ChecklistResult,
    Criterion,
    Journey,
    JourneyAnalytics,
    JourneyDefinition,
    JourneyEvent,
    OutcomeCorrelation,
    PathOutcome,
    PathPattern,
    PatternOutcome,
    Span,
    StageBenchmark,
    StageChecklist,
    TransitionKind,
    analyze,
    analyze_cohorts,
    check_stages,
    cohort_key,
    outcome_correlation,
    time_to_first_value,
)
from tests._sweeps import checked_fields, field_refused, refused

D = date(2026, 1, 5)
DONE = dict.fromkeys(("implementation_complete", "core_users_trained", "use_case_live", "first_value_documented",
                      "go_live_confirmed"), 1)
ADOPTED = {"seat_utilisation": 0.8, "features_beyond_initial": 3, "usage_pattern_established": 1,
           "additional_teams_onboarded": 1, "power_users": 1}
CATEGORIES = dict(DEFAULT_JOURNEY_DEFINITION.cause_categories)


def _in_retention(account_id: str = "a") -> Journey:
    """Onboarding on 5 January, Adoption on 15 January (10 days), Retention on 5 April (80 days)."""
    adopted = Journey.start(account_id, "SMB", on=D).move("core", Stage.ADOPTION, on=date(2026, 1, 15), evidence=DONE)
    return adopted.move("core", Stage.RETENTION, on=date(2026, 4, 5), evidence=ADOPTED)


RETENTION = _in_retention()
STATS = analyze([RETENTION])
KICKOFF = JourneyDefinition(entry_criteria={Stage.ADOPTION: (Criterion("kickoff", "kickoff_done"),)})
STAGES = "ONBOARDING, ADOPTION, RETENTION, EXPANSION, RENEWAL, ADVOCACY"
CAUSES = ", ".join(c.name for c in Cause)

REFUSALS = {
    'cohort_key_of_a_number': (
        lambda: cohort_key(5),
        'InvalidValueError', 'by',
        'by=5: must be \'segment\', a label name or a function; instead: pass by="segment"',
    ),
    'analyze_something_not_a_collection': (
        lambda: analyze(5),
        'InvalidTypeError', 'journeys',
        'journeys=5: expected a collection, got int; instead: pass a list or tuple (an empty one is fine)',
    ),
    'analyze_something_not_a_journey': (
        lambda: analyze([5]),
        'InvalidTypeError', 'journeys[0]',
        'journeys[0]=5: expected Journey, got int; instead: pass a Journey',
    ),
    'checklist_without_criteria': (
        lambda: StageChecklist(Stage.ADOPTION, ()),
        'InvalidValueError', 'criteria',
        'criteria=(): is empty; rule: a checklist has at least one criterion; instead: give the conditions that show the stage is going well',
    ),
    'checklist_naming_a_criterion_twice': (
        lambda: StageChecklist(Stage.ADOPTION, (Criterion("c", "s"), Criterion("c", "t"))),
        'InvalidValueError', 'criteria',
        "criteria='c': names a criterion more than once; rule: criterion names are unique within a checklist; instead: rename or drop the duplicate",
    ),
    'checklist_requiring_more_than_it_has': (
        lambda: StageChecklist(Stage.ADOPTION, (Criterion("c", "s"),), required=2),
        'InvalidValueError', 'required',
        'required=2: is out of range; rule: between 1 and the number of criteria (1); instead: pass None to require every criterion',
    ),
    'benchmark_out_of_order': (
        lambda: StageBenchmark(Span(days=10), Span(days=5), Span(days=20)),
        'InvalidValueError', 'stuck_after',
        "stuck_after='20 day(s)': benchmark spans are out of order; rule: typical_min <= typical_max <= stuck_after; instead: widen stuck_after or narrow the typical range",
    ),
    'span_of_too_many_months': (
        lambda: Span(months=10**6),
        'InvalidValueError', 'months',
        "months=1000000: is too long; rule: at most 1200 months; instead: give a stage's expected duration",
    ),
    'span_of_too_many_days': (
        lambda: Span(days=10**9),
        'InvalidValueError', 'days',
        "days=1000000000: is too long; rule: at most 36600 days; instead: give a stage's expected duration",
    ),
    'span_after_the_calendar': (
        lambda: Span(days=10).after(date(9999, 12, 30)),
        'InvalidValueError', 'start',
        'start=datetime.date(9999, 12, 30): leaves the calendar; rule: 10 day(s) after it must be a date by 9999-12-31; instead: pass a real date',
    ),
    'criterion_evidence_not_a_mapping': (
        lambda: Criterion("c", "s").check(5),
        'InvalidTypeError', 'evidence',
        'evidence=5: expected Mapping, got int; instead: pass a mapping such as {"seat_utilisation": 0.7}',
    ),
    'readiness_evidence_not_a_mapping': (
        lambda: DEFAULT_JOURNEY_DEFINITION.readiness(Stage.ONBOARDING, Stage.ADOPTION, 5),
        'InvalidTypeError', 'evidence',
        'evidence=5: expected Mapping, got int; instead: pass a mapping such as {"go_live_confirmed": True}',
    ),
    'readiness_evidence_named_by_a_number': (
        lambda: DEFAULT_JOURNEY_DEFINITION.readiness(Stage.ONBOARDING, Stage.ADOPTION, {5: 1}),
        'InvalidTypeError', 'evidence',
        'evidence=5: expected str, got int; instead: name each piece of evidence with a string',
    ),
    'definition_benchmarks_not_a_mapping': (
        lambda: JourneyDefinition(benchmarks=5),
        'InvalidTypeError', 'benchmarks',
        'benchmarks=5: expected Mapping, got int; instead: pass a mapping of Segment to {Stage: StageBenchmark}',
    ),
    'definition_benchmarks_of_a_segment_not_a_mapping': (
        lambda: JourneyDefinition(benchmarks={"SMB": 5}),
        'InvalidTypeError', "benchmarks['SMB']",
        "benchmarks['SMB']=5: expected Mapping, got int; instead: pass {Stage: StageBenchmark}",
    ),
    'definition_category_of_something_not_a_cause': (
        lambda: JourneyDefinition(cause_categories={**CATEGORIES, "x": CauseCategory.RISK}),
        'DefinitionError', "$.cause_categories.'x'",
        "invalid journey definition (1 problem(s)):\n  - 'x' is not a Cause @ $.cause_categories.'x'\ninstead: fix every listed entry, then build the definition again",
    ),
    'definition_cause_with_something_not_a_category': (
        lambda: JourneyDefinition(cause_categories={**CATEGORIES, Cause.OTHER: "x"}),
        'DefinitionError', '$.cause_categories.OTHER',
        "invalid journey definition (1 problem(s)):\n  - 'x' is not a CauseCategory @ $.cause_categories.OTHER\ninstead: fix every listed entry, then build the definition again",
    ),
    'definition_without_a_backward_cause': (
        lambda: JourneyDefinition(cause_categories=dict.fromkeys(Cause, CauseCategory.PROGRESS)),
        'DefinitionError', '$.cause_categories',
        'invalid journey definition (6 problem(s)):\n  - no cause allows a backward move; mark some RISK or NEW_SCOPE @ $.cause_categories\n  - CHAMPION_LEFT is a progress cause @ $.regression_signals[0].cause\n  - BUDGET_CUT is a progress cause @ $.regression_signals[1].cause\n  - LEADERSHIP_CHANGE is a progress cause @ $.regression_signals[2].cause\n  - COMPETITOR_EVALUATION is a progress cause @ $.regression_signals[3].cause\n  - HEALTH_DECLINE is a progress cause @ $.regression_signals[4].cause\ninstead: fix every listed entry, then build the definition again',
    ),
    'definition_runway_of_something_not_a_segment': (
        lambda: JourneyDefinition(renewal_runway_days={**dict(DEFAULT_JOURNEY_DEFINITION.renewal_runway_days), "XX": 5}),
        'DefinitionError', "$.renewal_runway_days.'XX'",
        "invalid journey definition (1 problem(s)):\n  - 'XX' is not a Segment @ $.renewal_runway_days.'XX'\ninstead: fix every listed entry, then build the definition again",
    ),
    'definition_checklist_of_something_else': (
        lambda: JourneyDefinition(stage_checklists={Stage.ADOPTION: 5}),
        'DefinitionError', '$.stage_checklists.ADOPTION',
        'invalid journey definition (1 problem(s)):\n  - 5 is not a StageChecklist @ $.stage_checklists.ADOPTION\ninstead: fix every listed entry, then build the definition again',
    ),
    'definition_entry_criteria_of_onboarding': (
        lambda: JourneyDefinition(entry_criteria={Stage.ONBOARDING: (Criterion("c", "s"),)}),
        'DefinitionError', '$.entry_criteria.ONBOARDING',
        'invalid journey definition (1 problem(s)):\n  - Onboarding is the first stage: no forward move enters it @ $.entry_criteria.ONBOARDING\ninstead: fix every listed entry, then build the definition again',
    ),
    'check_stage_without_a_checklist': (
        lambda: JourneyDefinition(stage_checklists={}).check_stage(Stage.ADOPTION, {}),
        'UnknownNameError', 'stage',
        "stage='ADOPTION': has no checklist; rule: stages with a checklist: none; instead: check a stage that has one, or use readiness() for the exit criteria of Onboarding and Adoption",
    ),
    'check_stage_of_an_unknown_stage': (
        lambda: DEFAULT_JOURNEY_DEFINITION.check_stage("XX", {}),
        'UnknownNameError', 'stage',
        f"stage='XX': is not a Stage; rule: one of {STAGES}; instead: pass one of {STAGES}",
    ),
    'guards_from_an_unknown_stage': (
        lambda: DEFAULT_JOURNEY_DEFINITION.guards("XX", Stage.ADOPTION),
        'UnknownNameError', 'from_stage',
        f"from_stage='XX': is not a Stage; rule: one of {STAGES}; instead: pass one of {STAGES}",
    ),
    'guards_to_an_unknown_stage': (
        lambda: DEFAULT_JOURNEY_DEFINITION.guards(None, "XX"),
        'UnknownNameError', 'to_stage',
        f"to_stage='XX': is not a Stage; rule: one of {STAGES}; instead: pass one of {STAGES}",
    ),
    'label_value_not_text': (
        lambda: Journey.start("a", "SMB", on=D, labels={"x": 5}),
        'InvalidTypeError', "labels['x']",
        "labels['x']=5: expected str, got int; instead: give each label a string value",
    ),
    'label_named_by_a_number': (
        lambda: Journey.start("a", "SMB", on=D, labels={5: "x"}),
        'InvalidTypeError', 'labels',
        'labels=5: expected str, got int; instead: name each label with a string',
    ),
    'forward_move_with_unmet_criteria': (
        lambda: Journey.start("a", "SMB", on=D).move("core", Stage.ADOPTION, on=date(2026, 2, 1)),
        'TransitionRefused', None,
        "Onboarding -> Adoption refused for track 'core': unmet criteria implementation_complete, core_users_trained, use_case_live, first_value_documented, go_live_confirmed; instead: meet the criteria first (a forward move is never forced; a skip needs a reason)",
    ),
    'backward_move_without_a_cause': (
        lambda: RETENTION.move("core", Stage.ADOPTION, on=date(2026, 5, 1)),
        'TransitionRefused', 'cause',
        "cause=None: backward move Retention -> Adoption of track 'core' with no cause; instead: give one of the allowed causes: CHAMPION_LEFT, BUDGET_CUT, LEADERSHIP_CHANGE, REORGANISATION, COMPETITOR_EVALUATION, HEALTH_DECLINE, ADOPTION_STALLED, CHURNED, MERGER, NEW_PRODUCT_RELEASE, NEW_USE_CASE, NEW_DEPARTMENT, RENEWAL_COMPLETED, OTHER",
    ),
    'move_to_the_stage_it_is_in': (
        lambda: RETENTION.move("core", Stage.RETENTION, on=date(2026, 5, 1)),
        'TransitionRefused', 'to',
        "to=<Stage.RETENTION: 3>: track 'core' is already in Retention; instead: a journey records changes only; nothing to do",
    ),
    'move_reason_not_text': (
        lambda: RETENTION.move("core", Stage.EXPANSION, on=date(2026, 5, 1), reason=5),
        'InvalidTypeError', 'reason',
        'reason=5: expected str, got int; instead: pass a sentence, or None',
    ),
    'open_a_track_already_open': (
        lambda: RETENTION.open_track("core", on=date(2026, 5, 1)),
        'InvalidValueError', 'track',
        "track='core': track is already open; instead: pick a new name or move the existing track",
    ),
    'stage_of_an_unknown_track': (
        lambda: RETENTION.stage("zz"),
        'UnknownNameError', 'track',
        "track='zz': is not an open track; rule: open tracks: core; instead: open it with open_track(...) first",
    ),
    'stage_of_a_blank_track': (
        lambda: RETENTION.stage(""),
        'InvalidValueError', 'track',
        "track='': must be a non-empty string; instead: pass a name or id",
    ),
    'as_of_before_the_start': (
        lambda: RETENTION.as_of(date(2025, 1, 1)),
        'InvalidValueError', 'when',
        'when=datetime.date(2025, 1, 1): is before the journey started; rule: must be on or after 2026-01-05; instead: ask for a date inside the journey',
    ),
    'apply_something_not_an_event': (
        lambda: RETENTION.apply(5),
        'InvalidTypeError', 'event',
        'event=5: expected JourneyEvent, got int; instead: pass a postsale.journey.JourneyEvent',
    ),
    'apply_an_event_from_another_stage': (
        lambda: RETENTION.apply(JourneyEvent(date(2026, 5, 1), "core", Stage.ADOPTION, Stage.RETENTION, TransitionKind.FORWARD, Cause.CRITERIA_MET, evidence=ADOPTED)),
        'TransitionRefused', 'from_stage',
        "from_stage=<Stage.ADOPTION: 2>: event says track 'core' left ADOPTION, but it is in RETENTION; instead: replay the full history in order",
    ),
    'apply_an_event_of_another_kind': (
        lambda: RETENTION.apply(JourneyEvent(date(2026, 5, 1), "core", Stage.RETENTION, Stage.EXPANSION, TransitionKind.SKIP, Cause.CRITERIA_MET)),
        'TransitionRefused', 'kind',
        "kind=<TransitionKind.SKIP: 'skip'>: event kind SKIP disagrees with the definition, which classifies it FORWARD; instead: replay with the definition the events were recorded under",
    ),
    'correlation_outcomes_not_a_mapping': (
        lambda: outcome_correlation([RETENTION], outcomes=5),
        'InvalidTypeError', 'outcomes',
        'outcomes=5: expected a mapping, got int; instead: pass a dict (an empty one is fine)',
    ),
    'correlation_of_something_not_a_collection': (
        lambda: outcome_correlation(5, outcomes={}),
        'InvalidTypeError', 'journeys',
        'journeys=5: expected a collection, got int; instead: pass a list or tuple (an empty one is fine)',
    ),
    'correlation_outcome_not_a_bool': (
        lambda: outcome_correlation([RETENTION], outcomes={"a": "x"}),
        'InvalidTypeError', "outcomes['a']",
        "outcomes['a']='x': expected bool, got str; instead: pass a bool",
    ),
    'path_with_more_positives_than_accounts': (
        lambda: PathOutcome((Stage.ONBOARDING,), 1, 2),
        'InvalidValueError', 'positive',
        'positive=2: is larger than its accounts; rule: at most accounts=1; instead: count each account once',
    ),
    'path_of_something_not_a_collection': (
        lambda: PathOutcome(5, 1, 0),
        'InvalidTypeError', 'path',
        'path=5: expected a collection, got int; instead: pass a list or tuple (an empty one is fine)',
    ),
    'path_through_an_unknown_stage': (
        lambda: PathOutcome(("x",), 1, 0),
        'UnknownNameError', 'path[0]',
        f"path[0]='x': is not a Stage; rule: one of {STAGES}; instead: pass one of {STAGES}",
    ),
    'analyze_cohorts_of_something_not_a_collection': (
        lambda: analyze_cohorts(5),
        'InvalidTypeError', 'journeys',
        'journeys=5: expected a collection, got int; instead: pass a list or tuple (an empty one is fine)',
    ),
    'definition_benchmarks_of_something_not_a_segment': (
        lambda: JourneyDefinition(benchmarks={**dict(DEFAULT_JOURNEY_DEFINITION.benchmarks), "XX": {}}),
        'DefinitionError', "$.benchmarks.'XX'",
        "invalid journey definition (1 problem(s)):\n  - 'XX' is not a Segment @ $.benchmarks.'XX'\ninstead: fix every listed entry, then build the definition again",
    ),
    'readiness_from_an_unknown_stage': (
        lambda: DEFAULT_JOURNEY_DEFINITION.readiness("XX", Stage.ADOPTION, {}),
        'UnknownNameError', 'from_stage',
        f"from_stage='XX': is not a Stage; rule: one of {STAGES}; instead: pass one of {STAGES}",
    ),
    'start_under_something_not_a_definition': (
        lambda: Journey.start("a", "SMB", on=D, definition=5),
        'InvalidTypeError', 'definition',
        'definition=5: expected JourneyDefinition, got int; instead: pass a postsale.journey.JourneyDefinition',
    ),
    'start_in_an_unknown_stage': (
        lambda: Journey.start("a", "SMB", on=D, stage="XX"),
        'UnknownNameError', 'stage',
        f"stage='XX': is not a Stage; rule: one of {STAGES}; instead: pass one of {STAGES}",
    ),
    'start_on_something_not_a_date': (
        lambda: Journey.start("a", "SMB", on="x"),
        'InvalidTypeError', 'on',
        "on='x': expected a calendar date; instead: pass datetime.date(...) (use .date() on a datetime)",
    ),
    'move_for_another_reason_without_saying_it': (
        lambda: RETENTION.move("core", Stage.EXPANSION, on=date(2026, 5, 1), cause=Cause.OTHER),
        'TransitionRefused', 'reason',
        "reason=None: Cause.OTHER needs a reason; instead: pass reason='...' describing what happened",
    ),
    'journey_built_from_parts': (
        lambda: Journey(5, {}),
        'InvalidTypeError', 'head',
        'head=5: is not a journey history; instead: build journeys with Journey.start(...) or Journey.replay(...), never from parts',
    ),
    'journey_with_tracks_in_no_stage': (
        lambda: attrs.evolve(RETENTION, tracks={"core": ("x", D)}),
        'InvalidTypeError', 'tracks',
        "tracks={'core': ('x', datetime.date(2026, 1, 5))}: is not a journey's open tracks; instead: build journeys with Journey.start(...) or Journey.replay(...), never from parts",
    ),
    'close_for_an_unknown_cause': (
        lambda: RETENTION.close_track("core", on=date(2026, 5, 1), cause="XX"),
        'UnknownNameError', 'cause',
        f"cause='XX': is not a Cause; rule: one of {CAUSES}; instead: pass one of {CAUSES}",
    ),
    'move_with_evidence_not_a_mapping': (
        lambda: Journey.start("a", "SMB", on=D).move("core", Stage.ADOPTION, on=date(2026, 2, 1), evidence=5),
        'InvalidTypeError', 'evidence',
        'evidence=5: expected Mapping, got int; instead: pass a mapping of evidence',
    ),
    'replay_of_no_events': (
        lambda: Journey.replay("a", "SMB", []),
        'InvalidValueError', 'events[0]',
        'events[0]=None: a journey must begin with a track opening (ENTRY) event; instead: start from Journey.start(...) or pass the full history',
    ),
    'milestone_before_the_start': (
        lambda: AccountMilestones("a", "SMB", D, first_login_on=date(2026, 1, 1)),
        'InvalidValueError', 'first_login_on',
        'first_login_on=datetime.date(2026, 1, 1): is before the start; rule: on or after started_on=2026-01-05; instead: check the dates (day 0 is the contract start)',
    ),
    'correlation_of_a_blank_outcome': (
        lambda: outcome_correlation([RETENTION], outcomes={}, outcome=""),
        'InvalidValueError', 'outcome',
        "outcome='': must be a non-empty string; instead: pass a name or id",
    ),
    'definition_entry_criteria_of_something_not_a_stage': (
        lambda: JourneyDefinition(entry_criteria={"x": (Criterion("c", "s"),)}),
        'DefinitionError', '$.entry_criteria.x',
        "invalid journey definition (1 problem(s)):\n  - 'x' is not a Stage @ $.entry_criteria.x\ninstead: fix every listed entry, then build the definition again",
    ),
    'correlation_paths_of_something_else': (
        lambda: OutcomeCorrelation("renewed", 1, 0, paths=[5]),
        'InvalidTypeError', 'paths[0]',
        'paths[0]=5: expected PathOutcome, got int; instead: pass a PathOutcome',
    ),
    'definition_exit_criteria_of_something_else': (
        lambda: JourneyDefinition(exit_criteria={Stage.ONBOARDING: [5]}),
        'InvalidTypeError', 'exit_criteria[ONBOARDING][0]',
        'exit_criteria[ONBOARDING][0]=5: expected Criterion, got int; instead: pass a Criterion',
    ),
    'definition_benchmark_of_something_else': (
        lambda: JourneyDefinition(benchmarks={Segment.SMB: {Stage.ONBOARDING: 5}}),
        'DefinitionError', '$.benchmarks.SMB.ONBOARDING',
        'invalid journey definition (1 problem(s)):\n  - 5 is not a StageBenchmark @ $.benchmarks.SMB.ONBOARDING\ninstead: fix every listed entry, then build the definition again',
    ),
    'classify_to_an_unknown_stage': (
        lambda: DEFAULT_JOURNEY_DEFINITION.classify(Stage.ONBOARDING, "XX", Cause.CRITERIA_MET),
        'UnknownNameError', 'to_stage',
        f"to_stage='XX': is not a Stage; rule: one of {STAGES}; instead: pass one of {STAGES}",
    ),
    'labels_not_a_mapping': (
        lambda: Journey.start("a", "SMB", on=D, labels=5),
        'InvalidTypeError', 'labels',
        'labels=5: expected Mapping, got int; instead: pass a mapping such as {"source": "referral"}',
    ),
    'stage_of_a_journey_without_open_tracks': (
        lambda: Journey.start("a", "SMB", on=D).close_track("core", on=date(2026, 2, 1), cause=Cause.CHURNED).stage("x"),
        'UnknownNameError', 'track',
        "track='x': is not an open track; rule: open tracks: none; instead: open it with open_track(...) first",
    ),
    'close_on_something_not_a_date': (
        lambda: Journey.start("a", "SMB", on=D).close_track("core", on="x", cause=Cause.CHURNED),
        'InvalidTypeError', 'on',
        "on='x': expected a calendar date; instead: pass datetime.date(...) (use .date() on a datetime)",
    ),
    'move_to_an_unknown_stage': (
        lambda: Journey.start("a", "SMB", on=D).move("core", "XX", on=date(2026, 2, 1)),
        'UnknownNameError', 'to',
        f"to='XX': is not a Stage; rule: one of {STAGES}; instead: pass one of {STAGES}",
    ),
    'first_value_as_of_something_not_a_date': (
        lambda: time_to_first_value([], as_of="x"),
        'InvalidTypeError', 'as_of',
        "as_of='x': expected a calendar date; instead: pass datetime.date(...) (use .date() on a datetime)",
    ),
    'first_value_target_negative': (
        lambda: time_to_first_value([], as_of=D, target_days=-1),
        'InvalidValueError', 'target_days',
        'target_days=-1: is negative; rule: must be >= 0; instead: pass a count >= 0',
    ),
    'milestone_label_not_text': (
        lambda: AccountMilestones("a", "SMB", D, labels={"a": 5}),
        'InvalidTypeError', "labels['a']",
        "labels['a']=5: expected a string; instead: pass text labels",
    ),
    'milestones_of_something_not_a_journey': (
        lambda: AccountMilestones.from_journey(5),
        'InvalidTypeError', 'journey',
        'journey=5: expected Journey, got int; instead: pass a postsale.journey.Journey',
    ),
    'indicative_below_no_accounts': (
        lambda: PatternOutcome(PathPattern.STALLED, 0, 0, 1, 0).indicative(min_accounts=-1),
        'InvalidValueError', 'min_accounts',
        'min_accounts=-1: is negative; rule: must be >= 0; instead: pass a count >= 0',
    ),
    'open_a_track_past_an_unmet_entry_guard': (
        lambda: Journey.start("a", "SMB", on=D, definition=KICKOFF).open_track("x", on=date(2026, 2, 1), stage=Stage.ADOPTION),
        'TransitionRefused', None,
        "(new track) -> Adoption refused for track 'x': unmet criteria kickoff; instead: meet the criteria first, or record a SKIP with an explicit reason",
    ),
    'analytics_completion_keyed_by_a_number': (
        lambda: JourneyAnalytics(1, {5: STATS.completion[Stage.ONBOARDING]}, STATS.velocity, STATS.regression, None),
        'UnknownNameError', 'completion key',
        f"completion key=5: is not a Stage; rule: one of {STAGES}; instead: pass one of {STAGES}",
    ),
    'analyze_cohorts_of_something_not_a_journey': (
        lambda: analyze_cohorts([5]),
        'InvalidTypeError', 'journeys[0]',
        'journeys[0]=5: expected Journey, got int; instead: pass a Journey',
    ),
    'checklist_result_of_something_else': (
        lambda: ChecklistResult(DEFAULT_JOURNEY_DEFINITION.stage_checklists[Stage.RETENTION], [5]),
        'InvalidTypeError', 'results[0]',
        'results[0]=5: expected CriterionResult, got int; instead: pass a CriterionResult',
    ),
    'definition_checklist_for_something_not_a_stage': (
        lambda: JourneyDefinition(stage_checklists={"x": DEFAULT_JOURNEY_DEFINITION.stage_checklists[Stage.RETENTION]}),
        'DefinitionError', "$.stage_checklists.'x'",
        "invalid journey definition (1 problem(s)):\n  - 'x' is not a Stage @ $.stage_checklists.'x'\ninstead: fix every listed entry, then build the definition again",
    ),
    'start_reason_not_text': (
        lambda: Journey.start("a", "SMB", on=D, reason=5),
        'InvalidTypeError', 'reason',
        'reason=5: expected str, got int; instead: pass a sentence, or None',
    ),
    'move_before_the_last_event': (
        lambda: RETENTION.move("core", Stage.EXPANSION, on=date(2026, 1, 1)),
        'OutOfOrderError', 'on',
        'on=datetime.date(2026, 1, 1): is before the last event; rule: events are appended in time order (last event on 2026-04-05); instead: record events in the order they happened, or rebuild with Journey.replay',
    ),
    'apply_a_move_to_no_stage': (
        lambda: RETENTION.apply(JourneyEvent(date(2026, 5, 1), "core", Stage.RETENTION, None, TransitionKind.FORWARD, Cause.CRITERIA_MET)),
        'InvalidValueError', 'to_stage',
        'to_stage=None: a move needs a to_stage',
    ),
    'close_an_unknown_track': (
        lambda: RETENTION.close_track("zz", on=date(2026, 5, 1), cause=Cause.CHURNED),
        'UnknownNameError', 'track',
        "track='zz': is not an open track; rule: open tracks: core; instead: open it with open_track(...) first",
    ),
    'move_for_an_unknown_cause': (
        lambda: RETENTION.move("core", Stage.EXPANSION, on=date(2026, 5, 1), cause="XX"),
        'UnknownNameError', 'cause',
        f"cause='XX': is not a Cause; rule: one of {CAUSES}; instead: pass one of {CAUSES}",
    ),
    'move_on_something_not_a_date': (
        lambda: RETENTION.move("core", Stage.EXPANSION, on="x"),
        'InvalidTypeError', 'on',
        "on='x': expected a calendar date; instead: pass datetime.date(...) (use .date() on a datetime)",
    ),
    'move_a_blank_track': (
        lambda: RETENTION.move("", Stage.EXPANSION, on=date(2026, 5, 1)),
        'InvalidValueError', 'track',
        "track='': must be a non-empty string; instead: pass a name or id",
    ),
    'move_with_an_infinite_guard_value': (
        lambda: Journey.start("a", "SMB", on=D).move("core", Stage.ADOPTION, on=date(2026, 2, 1), evidence={**DONE, "go_live_confirmed": float("-inf")}),
        'InvalidValueError', "evidence['go_live_confirmed']",
        "evidence['go_live_confirmed']=-inf: is not a finite number; rule: must be finite (no NaN or infinity); instead: drop the signal or pass a real measurement",
    ),
    'move_with_part_of_the_evidence_infinite': (
        lambda: Journey.start("a", "SMB", on=D).move("core", Stage.ADOPTION, on=date(2026, 2, 1), evidence={"implementation_complete": float("-inf")}),
        'InvalidValueError', "evidence['implementation_complete']",
        "evidence['implementation_complete']=-inf: is not a finite number; rule: must be finite (no NaN or infinity); instead: drop the signal or pass a real measurement",
    ),
    'category_of_an_unknown_cause': (
        lambda: DEFAULT_JOURNEY_DEFINITION.category("XX"),
        'UnknownNameError', 'cause',
        f"cause='XX': is not a Cause; rule: one of {CAUSES}; instead: pass one of {CAUSES}",
    ),
    'classify_an_unknown_cause': (
        lambda: DEFAULT_JOURNEY_DEFINITION.classify(Stage.ONBOARDING, Stage.ADOPTION, "XX"),
        'UnknownNameError', 'cause',
        f"cause='XX': is not a Cause; rule: one of {CAUSES}; instead: pass one of {CAUSES}",
    ),
    'readiness_to_an_unknown_stage': (
        lambda: DEFAULT_JOURNEY_DEFINITION.readiness(Stage.ONBOARDING, "XX", {}),
        'UnknownNameError', 'to_stage',
        f"to_stage='XX': is not a Stage; rule: one of {STAGES}; instead: pass one of {STAGES}",
    ),
    'start_for_an_unknown_cause': (
        lambda: Journey.start("a", "SMB", on=D, cause="XX"),
        'UnknownNameError', 'cause',
        f"cause='XX': is not a Cause; rule: one of {CAUSES}; instead: pass one of {CAUSES}",
    ),
    'apply_an_opening_to_no_stage': (
        lambda: RETENTION.apply(JourneyEvent(date(2026, 5, 1), "x", None, None, TransitionKind.ENTRY, Cause.NEW_DEPARTMENT)),
        'InvalidValueError', 'to_stage',
        'to_stage=None: an ENTRY event needs a to_stage',
    ),
    'close_a_blank_track': (
        lambda: RETENTION.close_track("", on=date(2026, 5, 1), cause=Cause.CHURNED),
        'InvalidValueError', 'track',
        "track='': must be a non-empty string; instead: pass a name or id",
    ),
    'close_with_a_reason_not_text': (
        lambda: RETENTION.close_track("core", on=date(2026, 5, 1), cause=Cause.CHURNED, reason=5),
        'InvalidTypeError', 'reason',
        'reason=5: expected str, got int; instead: pass a sentence, or None',
    ),
    'analyze_include_cycles_not_a_bool': (
        lambda: analyze([], include_cycles=5),
        'InvalidTypeError', 'include_cycles',
        'include_cycles=5: expected True or False; instead: pass a bool',
    ),
    'analyze_cohorts_include_cycles_not_a_bool': (
        lambda: analyze_cohorts([], include_cycles=5),
        'InvalidTypeError', 'include_cycles',
        'include_cycles=5: expected True or False; instead: pass a bool',
    ),
    'readiness_with_a_value_not_finite': (
        lambda: DEFAULT_JOURNEY_DEFINITION.readiness(Stage.ONBOARDING, Stage.ADOPTION, {"implementation_complete": float("nan")}),
        'InvalidValueError', "evidence['implementation_complete']",
        "evidence['implementation_complete']=nan: is not a finite number; rule: must be finite (no NaN or infinity); instead: drop the signal or pass a real measurement",
    ),
    'benchmark_of_an_unknown_segment': (
        lambda: DEFAULT_JOURNEY_DEFINITION.benchmark("XX", Stage.ONBOARDING),
        'UnknownNameError', 'segment',
        "segment='XX': is not a Segment; rule: one of ENTERPRISE, MID_MARKET, SMB, PRODUCT_LED; instead: pass one of ENTERPRISE, MID_MARKET, SMB, PRODUCT_LED",
    ),
    'check_stages_of_something_not_a_journey': (
        lambda: check_stages(5, {}),
        'InvalidTypeError', 'journey',
        'journey=5: expected Journey, got int; instead: pass a postsale.journey.Journey',
    ),
}


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_each_refusal_names_its_field_and_says_what_to_do_word_for_word(name: str) -> None:
    call, kind, field, message = REFUSALS[name]
    error = refused(call)
    assert (type(error).__name__, error.field, str(error)) == (kind, field, message)


CONVERTED = checked_fields(postsale.journey, "converter")
VALIDATED = checked_fields(postsale.journey, "validator")


@pytest.mark.parametrize(("cls", "field"), CONVERTED)
def test_every_converter_refuses_a_value_of_no_use_naming_its_own_attribute(cls: str, field: str) -> None:
    assert field_refused(postsale.journey, cls, field, "converter") == (field, "shows the value")


@pytest.mark.parametrize(("cls", "field"), VALIDATED)
def test_every_validator_refuses_a_value_of_no_use_naming_its_own_attribute(cls: str, field: str) -> None:
    assert field_refused(postsale.journey, cls, field, "validator") == (field, "shows the value")


def test_the_converters_swept_cover_the_definition_events_and_analytics() -> None:
    assert len(CONVERTED) >= 40 and ("JourneyDefinition", "stage_checklists") in CONVERTED
    assert ("Suggestion", "to_stage") in CONVERTED and ("JourneyAnalytics", "completion") in CONVERTED
    assert len(VALIDATED) >= 70 and ("Journey", "head") in VALIDATED
