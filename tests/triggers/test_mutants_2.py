# ruff: noqa: E501 - the messages are pinned whole, as the user reads them
"""Mutation triage of the triggers context (triage samples seed 21, 23 and 25, then the survivors of the fresh
seed-22 sample; docs/mutation.md): each refusal pinned whole (its class, its field and every word of its message).
The behaviour the survivors showed untested is in test_mutants_3.py."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import attrs
import pytest

from postsale import AccountSnapshot, HealthBand, PostsaleError, Segment, from_data, to_data
from postsale.health import NoHealthDataError
from postsale.triggers import (
    CATALOG,
    AccountState,
    Action,
    AlertBudget,
    AllOf,
    AnyOf,
    Backtest,
    BandTransition,
    CompiledRules,
    Context,
    DaysInBand,
    DaysSince,
    DaysUntil,
    Engine,
    Evidence,
    Hygiene,
    Not,
    PercentChange,
    Ratio,
    Rule,
    RuleScore,
    RuleSet,
    RunResult,
    Sla,
    Threshold,
    backtest,
    due_time,
    json_schema,
)
from postsale.triggers._conditions import registry
from tests._sweeps import refused

UTC = ZoneInfo("UTC")
DAY = date(2026, 3, 2)
H4 = CATALOG.rule("H4")
G, Y, R = HealthBand.GREEN, HealthBand.YELLOW, HealthBand.RED
ENGINE = Engine(CATALOG)


def _snap(account_id: str = "a", as_of: date = DAY, **signals: float) -> AccountSnapshot:
    return AccountSnapshot(account_id, "SMB", as_of, signals=signals)


def _rules(*conditions: object) -> RuleSet:
    action = Action("check_in", "email", "x")
    return RuleSet("v", [Rule(f"R{i}", "n", c, action, Sla.H24) for i, c in enumerate(conditions)])


def _stepped_once() -> AccountState:
    state, _ = ENGINE.step(None, _snap())
    return state


REFUSALS = {
    'backtest_rules_not_scores': (
        lambda: Backtest("v", 90, 60, 0, 0.0, rules=("x",)),
        'InvalidTypeError', 'rules[0]',
        "rules[0]='x': expected RuleScore, got str; instead: pass a RuleScore",
    ),
    'backtest_errors_not_account_errors': (
        lambda: Backtest("v", 90, 60, 0, 0.0, rules=(), errors=("x",)),
        'InvalidTypeError', 'errors[0]',
        "errors[0]='x': expected AccountError, got str; instead: pass an AccountError",
    ),
    'backtest_outcomes_not_outcomes': (
        lambda: backtest(CATALOG.select("H4"), [], ["x"]),
        'InvalidTypeError', 'outcomes[0]',
        "outcomes[0]='x': expected Outcome, got str; instead: pass an Outcome",
    ),
    'backtest_unknown_rule': (
        lambda: backtest(CATALOG.select("H4"), [], []).rule("Z9"),
        'UnknownNameError', 'rule_id',
        "rule_id='Z9': is not a rule of this backtest; instead: one of H4",
    ),
    'negative_count_signal': (
        lambda: ENGINE.step(None, _snap(support_tickets_week=-1)),
        'InvalidValueError', "signals['support_tickets_week']",
        "signals['support_tickets_week']=-1.0: is negative; rule: counts and shares are >= 0 (read by rule H4); instead: fix the data feeding this signal, or drop it",
    ),
    'snapshot_not_after_state': (
        lambda: ENGINE.step(_stepped_once(), _snap()),
        'OutOfOrderError', 'as_of',
        "as_of=datetime.date(2026, 3, 2): is not after the last evaluation; rule: snapshots of 'a' must come in strictly increasing date order (last evaluated 2026-03-02); instead: sort the snapshots by date and evaluate each date once",
    ),
    'health_score_above_100': (
        lambda: ENGINE.step(None, _snap(health_score=101)),
        'InvalidValueError', "signals['health_score']",
        "signals['health_score']=101.0: is outside 0-100; rule: health scores are on a 0-100 scale; instead: rescale the score to 0-100",
    ),
    'context_previous_key_not_text': (
        lambda: Context(previous={5: 1.0}),
        'InvalidTypeError', 'previous',
        'previous=5: expected str, got int; instead: name each previous value by its signal',
    ),
    'threshold_signal_not_text': (
        lambda: Threshold(5, ">=", 1).signal_names(),
        'DefinitionError', '$.signal',
        'the Threshold condition is invalid (1 problem(s)):\n  - signal name must be a non-empty string, got 5 @ $.signal\ninstead: name each signal it reads by a string (a RuleSet lists every problem of its rules with their paths)',
    ),
    'rule_set_without_rules': (
        lambda: RuleSet("v", []),
        'DefinitionError', '$.rules',
        'the rule set is invalid (1 problem(s)):\n  - must hold at least one rule @ $.rules\ninstead: fix every listed path; see docs/triggers.md',
    ),
    'rule_id_not_text': (
        lambda: RuleSet("v", [attrs.evolve(H4, id=5)]),
        'DefinitionError', '$.rules[0].id',
        'the rule set is invalid (1 problem(s)):\n  - must be a non-empty string, got 5 @ $.rules[0].id\ninstead: fix every listed path; see docs/triggers.md',
    ),
    'rule_id_blank_gets_no_label': (
        lambda: RuleSet("v", [attrs.evolve(H4, id="  ", cooldown_days=-1)]),
        'DefinitionError', '$.rules[0].id',
        "the rule set is invalid (2 problem(s)):\n  - must be a non-empty string, got '  ' @ $.rules[0].id\n  - must be a whole number of days >= 0, got -1 @ $.rules[0].cooldown_days\ninstead: fix every listed path; see docs/triggers.md",
    ),
    'week_5_due_after_the_calendar': (
        lambda: due_time(Sla.WEEK_5, datetime(9999, 12, 20, tzinfo=UTC), contract_start=date(9999, 12, 20)),
        'InvalidValueError', 'contract_start',
        'contract_start=datetime.date(9999, 12, 20): the result would fall outside the calendar (year 1..9999), counting from 9999-12-20; rule: dates run from 0001-01-01 to 9999-12-31; instead: use dates further from the ends of the calendar (9999-12-31 may stand for an open end, but nothing can be scheduled after it)',
    ),
    'few_days_above_a_week': (
        lambda: due_time(Sla.H24, datetime(2026, 1, 1, tzinfo=UTC), few_days=8),
        'InvalidValueError', 'few_days',
        'few_days=8: is outside 1-7 days; rule: "within a few days" must be at most a week; instead: pass a whole number of days from 1 to 7',
    ),
    'state_band_since_not_a_date': (
        lambda: AccountState("a", DAY, band_since="x"),
        'InvalidTypeError', 'band_since',
        "band_since='x': expected a calendar date; instead: pass datetime.date(...) (use .date() on a datetime)",
    ),
    'rule_set_threshold_fields': (
        lambda: _rules(Threshold("nps", "=>", "x", source="past")),
        'DefinitionError', '$.rules[0].condition.op',
        "the rule set is invalid (3 problem(s)):\n  - unknown comparison '=>'; use one of >=, >, <=, <, ==, != (rule R0) @ $.rules[0].condition.op\n  - must be a finite number, got 'x' (rule R0) @ $.rules[0].condition.threshold\n  - must be 'current' or 'previous', got 'past' (rule R0) @ $.rules[0].condition.source\ninstead: fix every listed path; see docs/triggers.md",
    ),
    'rule_set_threshold_releases': (
        lambda: _rules(Threshold("nsp", "<", 5, release=4), Threshold("nps", ">", 5, release=6), Threshold("nps", "==", 5, release=6), Threshold("nps", "<", 5, release="x")),
        'DefinitionError', '$.rules[0].condition.signal',
        "the rule set is invalid (5 problem(s)):\n  - unknown signal 'nsp'; did you mean 'nps'? use a postsale.signals name or declare it in custom_signals (rule R0) @ $.rules[0].condition.signal\n  - must be above the threshold 5 for < (rule R0) @ $.rules[0].condition.release\n  - must be below the threshold 5 for > (rule R1) @ $.rules[1].condition.release\n  - hysteresis needs <, <=, > or >=, not == (rule R2) @ $.rules[2].condition.release\n  - must be a finite number, got 'x' (rule R3) @ $.rules[3].condition.release\ninstead: fix every listed path; see docs/triggers.md",
    ),
    'rule_set_percent_change_fields': (
        lambda: _rules(PercentChange("", -1, baseline=5, direction="up", min_base=float("nan")), PercentChange("nps", 1.5)),
        'DefinitionError', '$.rules[0].condition.signal',
        "the rule set is invalid (6 problem(s)):\n  - signal name must be a non-empty string, got '' (rule R0) @ $.rules[0].condition.signal\n  - signal name must be a non-empty string, got 5 (rule R0) @ $.rules[0].condition.baseline\n  - must be >= 0, got -1 (rule R0) @ $.rules[0].condition.at_least\n  - must be a finite number, got nan (rule R0) @ $.rules[0].condition.min_base\n  - must be 'drop' or 'rise', got 'up' (rule R0) @ $.rules[0].condition.direction\n  - a drop cannot exceed 1 (100 %), got 1.5 (rule R1) @ $.rules[1].condition.at_least\ninstead: fix every listed path; see docs/triggers.md",
    ),
    'rule_set_ratio_fields': (
        lambda: _rules(Ratio(1, "", "~", float("inf"))),
        'DefinitionError', '$.rules[0].condition.numerator',
        "the rule set is invalid (4 problem(s)):\n  - signal name must be a non-empty string, got 1 (rule R0) @ $.rules[0].condition.numerator\n  - signal name must be a non-empty string, got '' (rule R0) @ $.rules[0].condition.denominator\n  - unknown comparison '~'; use one of >=, >, <=, <, ==, != (rule R0) @ $.rules[0].condition.op\n  - must be a finite number, got inf (rule R0) @ $.rules[0].condition.threshold\ninstead: fix every listed path; see docs/triggers.md",
    ),
    'rule_set_band_transition_fields': (
        lambda: _rules(BandTransition((), ("x",), min_drop=101, require="both"), BandTransition((G,), (R,), require="both"), BandTransition((G,), (R,), drop_bands=(Y,)), BandTransition((G,), (R,), min_drop=5, drop_bands=(Y,)), BandTransition((G,), (R,), min_drop=5, drop_bands=())),
        'DefinitionError', '$.rules[0].condition.from_bands',
        "the rule set is invalid (7 problem(s)):\n  - must be a non-empty list of health bands (RED, YELLOW, GREEN) (rule R0) @ $.rules[0].condition.from_bands\n  - must be a non-empty list of health bands (RED, YELLOW, GREEN) (rule R0) @ $.rules[0].condition.to_bands\n  - must be <= 100, got 101 (rule R0) @ $.rules[0].condition.min_drop\n  - require='both' needs a min_drop (rule R1) @ $.rules[1].condition.min_drop\n  - drop_bands needs a min_drop (rule R2) @ $.rules[2].condition.drop_bands\n  - must be among from_bands (rule R3) @ $.rules[3].condition.drop_bands\n  - must be a non-empty list of health bands (RED, YELLOW, GREEN) (rule R4) @ $.rules[4].condition.drop_bands\ninstead: fix every listed path; see docs/triggers.md",
    ),
    'rule_set_day_condition_fields': (
        lambda: _rules(DaysInBand("RED", -1), DaysUntil("renewal", 5, at_least=10), DaysUntil("contract_end", 90, at_least=10, by_segment={Segment.SMB: 5, "X": 3}), DaysUntil("contract_end", 90, by_segment=5), DaysSince("contract_start", 10, at_most=5), DaysSince("contract_start", True, at_most=10**10)),
        'DefinitionError', '$.rules[0].condition.band',
        "the rule set is invalid (10 problem(s)):\n  - must be RED, YELLOW or GREEN (rule R0) @ $.rules[0].condition.band\n  - must be a whole number of days >= 0, got -1 (rule R0) @ $.rules[0].condition.at_least\n  - must be 'contract_start' or 'contract_end', got 'renewal' (rule R1) @ $.rules[1].condition.date\n  - must be <= at_most (5), got 10 (rule R1) @ $.rules[1].condition.at_least\n  - must be a whole number of days >= 10, got 5 (rule R2) @ $.rules[2].condition.by_segment[SMB]\n  - must be a segment (ENTERPRISE, MID_MARKET, SMB, PRODUCT_LED) (rule R2) @ $.rules[2].condition.by_segment['X']\n  - must be a mapping of segment to days, got 5 (rule R3) @ $.rules[3].condition.by_segment\n  - must be <= at_most (5), got 10 (rule R4) @ $.rules[4].condition.at_least\n  - must be a whole number of days (at most 1,000,000,000 either way), got True (rule R5) @ $.rules[5].condition.at_least\n  - must be a whole number of days (at most 1,000,000,000 either way), got 10000000000 (rule R5) @ $.rules[5].condition.at_most\ninstead: fix every listed path; see docs/triggers.md",
    ),
    'rule_set_combinator_fields': (
        lambda: _rules(AllOf(()), AnyOf(("x",)), Not(5), AllOf([Threshold("nps", ">", 1)])),
        'DefinitionError', '$.rules[0].condition.conditions',
        'the rule set is invalid (4 problem(s)):\n  - must be a non-empty list of conditions (rule R0) @ $.rules[0].condition.conditions\n  - not a condition: str; use one of threshold, percent_change, ratio, band_transition, days_in_band, days_until, days_since, all, any, not (rule R1) @ $.rules[1].condition.conditions[0]\n  - not a condition: int; use one of threshold, percent_change, ratio, band_transition, days_in_band, days_until, days_since, all, any, not (rule R2) @ $.rules[2].condition.condition\n  - must be a non-empty list of conditions (rule R3) @ $.rules[3].condition.conditions\ninstead: fix every listed path; see docs/triggers.md',
    ),
    'rule_set_rule_and_hygiene_fields': (
        lambda: RuleSet("", [attrs.evolve(H4, name="", action=5, sla="x", priority=9)], custom_signals=("", 5), few_days=8, hygiene=Hygiene(auto_close_days=0, budget=AlertBudget(period_days=0, smb=-1, exempt=("x",)))),
        'DefinitionError', '$.version',
        "the rule set is invalid (12 problem(s)):\n  - must be a non-empty string, got '' @ $.version\n  - must be a non-empty string, got '' @ $.custom_signals[0]\n  - must be a non-empty string, got 5 @ $.custom_signals[1]\n  - must be a non-empty string, got '' (rule H4) @ $.rules[0].name\n  - must be an Action(kind, channel, description) (rule H4) @ $.rules[0].action\n  - must be one of SAME_DAY, H24, H48, D3, WITHIN_FEW_DAYS, WITHIN_WEEK, WEEK_5 (rule H4) @ $.rules[0].sla\n  - must be one of URGENT, HIGH, NORMAL, LOW (rule H4) @ $.rules[0].priority\n  - must be a whole number >= 1, got 0 @ $.hygiene.auto_close_days\n  - must be a whole number >= 1, got 0 @ $.hygiene.budget.period_days\n  - must be a whole number >= 0, got -1 @ $.hygiene.budget.smb\n  - must be a Priority, got 'x' @ $.hygiene.budget.exempt[0]\n  - must be a whole number of days from 1 to 7, got 8 @ $.few_days\ninstead: fix every listed path; see docs/triggers.md",
    ),
    'rule_set_duplicate_ids_and_wrong_items': (
        lambda: RuleSet("v", [H4, H4, 5], hygiene=5),
        'DefinitionError', '$.rules[1].id',
        "the rule set is invalid (3 problem(s)):\n  - duplicate rule id 'H4' (also $.rules[0]) @ $.rules[1].id\n  - must be a Rule, got int @ $.rules[2]\n  - must be a Hygiene, got int @ $.hygiene\ninstead: fix every listed path; see docs/triggers.md",
    ),
    'rule_set_budget_not_a_budget': (
        lambda: RuleSet("v", [H4], hygiene=Hygiene(budget=5)),
        'DefinitionError', '$.hygiene.budget',
        'the rule set is invalid (1 problem(s)):\n  - must be an AlertBudget, got int @ $.hygiene.budget\ninstead: fix every listed path; see docs/triggers.md',
    ),
    'rule_set_unknown_rule': (
        lambda: CATALOG.rule("Q1"),
        'UnknownNameError', 'rule_id',
        "rule_id='Q1': is not a rule of this set; instead: one of U1, U2, U3, U4, H1, H2, H3, H4, M1, M2, M3, M4",
    ),
    'condition_alone_with_a_wrong_field': (
        lambda: Threshold("nps", "=>", 5).compile("X"),
        'DefinitionError', '$.op',
        "the Threshold condition is invalid (1 problem(s)):\n  - must be one of '>=', '>', '<=', '<', '==', '!=', got '=>' @ $.op\ninstead: give each field the type it is documented with (a RuleSet lists every problem of its rules)",
    ),
    'condition_compiled_for_a_rule_id_not_text': (
        lambda: Threshold("nps", ">=", 5).compile(5),
        'InvalidTypeError', 'rule_id',
        "rule_id=5: expected str, got int; instead: pass the id of the rule, e.g. 'H4'",
    ),
    'evidence_of_something_not_a_snapshot': (
        lambda: Threshold("nps", ">=", 5).evidence("s", Context()),
        'InvalidTypeError', 'snapshot',
        "snapshot='s': expected AccountSnapshot, got str; instead: pass the AccountSnapshot the rule fired on",
    ),
    'evidence_in_something_not_a_context': (
        lambda: Threshold("nps", ">=", 5).evidence(_snap(), "c"),
        'InvalidTypeError', 'context',
        "context='c': expected Context, got str; instead: pass the Context the rule fired in (Context() for none)",
    ),
    'all_of_nothing_alone': (
        lambda: AllOf(()).compile("X"),
        'DefinitionError', '$.conditions',
        'the AllOf condition is invalid (1 problem(s)):\n  - must be a non-empty list of conditions @ $.conditions\ninstead: combine conditions (Threshold, DaysUntil ...); a RuleSet lists every problem of its rules',
    ),
    'not_of_something_else_alone': (
        lambda: Not(5).compile("X"),
        'DefinitionError', '$.condition',
        'the Not condition is invalid (1 problem(s)):\n  - not a condition: int; use one of threshold, percent_change, ratio, band_transition, days_in_band, days_until, days_since, all, any, not @ $.condition\ninstead: combine conditions (Threshold, DaysUntil ...); a RuleSet lists every problem of its rules',
    ),
    'engine_without_a_rule_set': (
        lambda: Engine(5),
        'InvalidTypeError', 'rule_set',
        'rule_set=5: expected a RuleSet; instead: build one or use postsale.triggers.CATALOG',
    ),
    'engine_with_a_model_that_cannot_score': (
        lambda: Engine(CATALOG, health_model=5),
        'InvalidTypeError', 'health_model',
        'health_model=5: has no score(snapshot) method; instead: pass a postsale.health.HealthModel or None',
    ),
    'step_of_something_not_a_snapshot': (
        lambda: ENGINE.step(None, 5),
        'InvalidTypeError', 'snapshot',
        "snapshot='int': expected an AccountSnapshot; instead: build it with postsale.from_data(AccountSnapshot, data) at the edge",
    ),
    'step_from_something_not_a_state': (
        lambda: ENGINE.step(5, _snap()),
        'InvalidTypeError', 'state',
        "state='int': expected an AccountState or None; instead: pass None for an account's first step, then the state the previous step returned",
    ),
    'step_from_the_state_of_another_account': (
        lambda: ENGINE.step(_stepped_once(), _snap("b", date(2026, 3, 3))),
        'InvalidValueError', 'state.account_id',
        "state.account_id='a': belongs to another account; rule: must be the snapshot's account 'b'; instead: pass the state of the same account (or None for a new account)",
    ),
    'run_from_states_not_a_mapping': (
        lambda: ENGINE.run(5, []),
        'InvalidTypeError', 'states',
        'states=5: expected Mapping, got int; instead: pass the states of an earlier RunResult, or None',
    ),
    'run_from_states_keyed_by_a_number': (
        lambda: ENGINE.run({5: _stepped_once()}, []),
        'InvalidValueError', 'states (a key)',
        'states (a key)=5: must be a non-empty string; instead: pass a name or id',
    ),
    'run_from_states_holding_something_else': (
        lambda: ENGINE.run({"a": 5}, []),
        'InvalidTypeError', "states['a']",
        "states['a']=5: expected AccountState, got int; instead: pass the states of an earlier run",
    ),
    'compiled_rules_of_something_not_a_rule_set': (
        lambda: CompiledRules(5),
        'InvalidTypeError', 'rule_set',
        'rule_set=5: expected RuleSet, got int; instead: compile with rule_set.compile()',
    ),
    'matching_in_something_not_a_context': (
        lambda: CATALOG.compile().matching(_snap(), 5),
        'InvalidTypeError', 'context',
        'context=5: expected Context, got int; instead: pass postsale.triggers.Context(...)',
    ),
    'same_day_due_after_the_calendar_in_the_account_zone': (
        lambda: due_time(Sla.SAME_DAY, datetime(9999, 12, 31, 23, tzinfo=UTC), time_zone="Pacific/Kiritimati"),
        'InvalidValueError', 'fired',
        "fired=datetime.datetime(9999, 12, 31, 23, 0, tzinfo=zoneinfo.ZoneInfo(key='UTC')): the result would fall outside the calendar (year 1..9999); rule: dates run from 0001-01-01 to 9999-12-31; instead: use a moment further from the ends of the calendar",
    ),
    'week_5_without_a_start_due_after_the_calendar': (
        lambda: due_time(Sla.WEEK_5, datetime(9999, 12, 30, tzinfo=UTC)),
        'InvalidValueError', 'fired',
        'fired=datetime.datetime(9999, 12, 30, 0, 0, tzinfo=zoneinfo.ZoneInfo(key=\'UTC\')): the result would fall outside the calendar (year 1..9999), counting from 9999-12-30T00:00:00+00:00; rule: dates run from 0001-01-01 to 9999-12-31; instead: use dates further from the ends of the calendar (9999-12-31 may stand for an open end, but nothing can be scheduled after it)',
    ),
    'few_days_zero': (
        lambda: due_time(Sla.WITHIN_FEW_DAYS, datetime(2026, 1, 1, tzinfo=UTC), few_days=0),
        'InvalidValueError', 'few_days',
        'few_days=0: is outside 1-7 days; rule: "within a few days" must be at most a week; instead: pass a whole number of days from 1 to 7',
    ),
    'state_open_keyed_by_a_number': (
        lambda: AccountState("a", DAY, open={5: DAY}),
        'InvalidTypeError', 'open',
        'open=5: expected str, got int; instead: key each date by its rule id',
    ),
    'state_last_fired_not_a_date': (
        lambda: AccountState("a", DAY, last_fired={"H4": "x"}),
        'InvalidTypeError', "last_fired['H4']",
        "last_fired['H4']='x': expected a calendar date; instead: pass datetime.date(...) (use .date() on a datetime)",
    ),
    'state_last_fired_not_a_mapping': (
        lambda: AccountState("a", DAY, last_fired=5),
        'InvalidTypeError', 'last_fired',
        'last_fired=5: expected Mapping, got int; instead: pass a mapping for last_fired',
    ),
    'state_open_not_a_mapping': (
        lambda: AccountState("a", DAY, open=5),
        'InvalidTypeError', 'open',
        'open=5: expected Mapping, got int; instead: pass a mapping for open',
    ),
    'state_previous_not_a_mapping': (
        lambda: AccountState("a", DAY, previous=5),
        'InvalidTypeError', 'previous',
        'previous=5: expected Mapping, got int; instead: pass a mapping for previous',
    ),
    'state_previous_keyed_by_a_number': (
        lambda: AccountState("a", DAY, previous={5: 1.0}),
        'InvalidTypeError', 'previous',
        'previous=5: expected str, got int; instead: key each value by its signal name',
    ),
    'run_result_states_not_a_mapping': (
        lambda: RunResult(states=5),
        'InvalidTypeError', 'states',
        'states=5: expected Mapping, got int; instead: pass a mapping of account id to AccountState (may be empty)',
    ),
    'release_of_a_threshold_that_is_not_a_number_is_not_compared': (
        lambda: _rules(Threshold("nps", "<", "x", release=4)),
        'DefinitionError', '$.rules[0].condition.threshold',
        "the rule set is invalid (1 problem(s)):\n  - must be a finite number, got 'x' (rule R0) @ $.rules[0].condition.threshold\ninstead: fix every listed path; see docs/triggers.md",
    ),
    'percent_change_signal_not_text': (
        lambda: PercentChange(5, 0.3).signal_names(),
        'DefinitionError', '$.signal',
        'the PercentChange condition is invalid (1 problem(s)):\n  - signal name must be a non-empty string, got 5 @ $.signal\ninstead: name each signal it reads by a string (a RuleSet lists every problem of its rules with their paths)',
    ),
    'action_of_an_unknown_kind': (
        lambda: Action("xx", "email"),
        'UnknownNameError', 'kind',
        "kind='xx': is not an ActionKind; rule: one of CHECK_IN, EDUCATION, INVESTIGATION, AMPLIFY, OUTREACH, INTERVENTION, STRATEGIC_REVIEW, ROOT_CAUSE, RENEWAL_CONVERSATION, UPGRADE_DISCUSSION, CELEBRATION, RECOGNITION, CONGRATULATIONS, SUPPORT_OFFER, STRATEGIC_CONVERSATION, PERSONALISED_NOTE, EXPANSION_CONVERSATION; instead: pass one of CHECK_IN, EDUCATION, INVESTIGATION, AMPLIFY, OUTREACH, INTERVENTION, STRATEGIC_REVIEW, ROOT_CAUSE, RENEWAL_CONVERSATION, UPGRADE_DISCUSSION, CELEBRATION, RECOGNITION, CONGRATULATIONS, SUPPORT_OFFER, STRATEGIC_CONVERSATION, PERSONALISED_NOTE, EXPANSION_CONVERSATION",
    ),
    'action_on_an_unknown_channel': (
        lambda: Action("check_in", "xx"),
        'UnknownNameError', 'channel',
        "channel='xx': is not an ActionChannel; rule: one of EMAIL, CALL, VIDEO_CALL, IN_APP, PHONE, MESSAGE, MEETING, EVENT; instead: pass one of EMAIL, CALL, VIDEO_CALL, IN_APP, PHONE, MESSAGE, MEETING, EVENT",
    ),
    'action_description_not_text': (
        lambda: Action("check_in", "email", 5),
        'InvalidTypeError', 'description',
        'description=5: expected str, got int; instead: pass a str',
    ),
    'schema_of_something_not_a_value_class': (
        lambda: json_schema(5),
        'InvalidTypeError', 'cls',
        'cls=5: is not an attrs class; instead: pass a postsale value class',
    ),
    'schema_title_not_text': (
        lambda: json_schema(Evidence, title=5),
        'InvalidTypeError', 'title',
        'title=5: is not a string; instead: pass a title, or None',
    ),
    'condition_kinds_not_attrs_classes': (
        lambda: registry(int),
        'DefinitionError', 'int',
        "the condition kinds are invalid (3 problem(s)):\n  - is not an attrs class; declare it with @attrs.frozen @ int\n  - is not marked @decision('compile'): a condition has compile and expr @ int\n  - must be a non-empty string class variable, got None @ int.kind\ninstead: give every condition class both forms and its own kind",
    ),
    'condition_kinds_sharing_a_tag': (
        lambda: registry(Threshold, attrs.frozen(type("Z", (), {"__annotations__": {}, "kind": "threshold"}))),
        'DefinitionError', 'Z',
        "the condition kinds are invalid (2 problem(s)):\n  - is not marked @decision('compile'): a condition has compile and expr @ Z\n  - 'threshold' is already the kind of Threshold @ Z.kind\ninstead: give every condition class both forms and its own kind",
    ),
    'condition_kind_with_a_blank_tag': (
        lambda: registry(attrs.frozen(type("Z2", (), {"__annotations__": {}, "kind": " "}))),
        'DefinitionError', 'Z2',
        "the condition kinds are invalid (2 problem(s)):\n  - is not marked @decision('compile'): a condition has compile and expr @ Z2\n  - must be a non-empty string class variable, got ' ' @ Z2.kind\ninstead: give every condition class both forms and its own kind",
    ),
    'due_time_of_an_unknown_sla': (
        lambda: due_time("xx", datetime(2026, 1, 1, tzinfo=UTC)),
        'UnknownNameError', 'sla',
        "sla='xx': is not a Sla; rule: one of SAME_DAY, H24, H48, D3, WITHIN_FEW_DAYS, WITHIN_WEEK, WEEK_5; instead: pass one of SAME_DAY, H24, H48, D3, WITHIN_FEW_DAYS, WITHIN_WEEK, WEEK_5",
    ),
    'fixed_sla_due_after_the_calendar': (
        lambda: due_time(Sla.H24, datetime(9999, 12, 31, 12, tzinfo=UTC)),
        'InvalidValueError', 'fired',
        "fired=datetime.datetime(9999, 12, 31, 12, 0, tzinfo=zoneinfo.ZoneInfo(key='UTC')): the result would fall outside the calendar (year 1..9999), counting from 9999-12-31T12:00:00+00:00; rule: dates run from 0001-01-01 to 9999-12-31; instead: use dates further from the ends of the calendar (9999-12-31 may stand for an open end, but nothing can be scheduled after it)",
    ),
    'rule_score_of_an_unknown_target': (
        lambda: RuleScore("H4", "x", 0, 0, 0, None, 0, 0, None, None, 0, 0.0),
        'UnknownNameError', 'target',
        "target='x': is not an OutcomeKind; rule: one of CHURNED, RENEWED, EXPANDED; instead: pass one of CHURNED, RENEWED, EXPANDED",
    ),
    'few_days_due_after_the_calendar': (
        lambda: due_time(Sla.WITHIN_FEW_DAYS, datetime(9999, 12, 31, tzinfo=UTC)),
        'InvalidValueError', 'fired',
        "fired=datetime.datetime(9999, 12, 31, 0, 0, tzinfo=zoneinfo.ZoneInfo(key='UTC')): the result would fall outside the calendar (year 1..9999), counting from 9999-12-31T00:00:00+00:00; rule: dates run from 0001-01-01 to 9999-12-31; instead: use dates further from the ends of the calendar (9999-12-31 may stand for an open end, but nothing can be scheduled after it)",
    ),
    'state_active_rule_not_text': (
        lambda: AccountState("a", DAY, active=[5]),
        'InvalidTypeError', 'active[0]',
        'active[0]=5: expected str, got int; instead: pass a str',
    ),
    'run_result_alerts_not_alerts': (
        lambda: RunResult(states={}, alerts=["x"]),
        'InvalidTypeError', 'alerts[0]',
        "alerts[0]='x': expected Alert, got str; instead: pass an Alert",
    ),
    'run_result_errors_not_account_errors': (
        lambda: RunResult(states={}, errors=[5]),
        'InvalidTypeError', 'errors[0]',
        'errors[0]=5: expected AccountError, got int; instead: pass an AccountError',
    ),
    'rule_set_data_with_band_cut_offs': (
        lambda: from_data(RuleSet, {**to_data(CATALOG), "bands": {}}),
        'DefinitionError', '$.bands',
        "the rule set is invalid (1 problem(s)):\n  - band cut-offs are no longer part of a rule set; they are the health model's @ $.bands\ninstead: move them to the health model's bands (postsale.health.BandPolicy) and remove them here",
    ),
    'backtest_against_an_unknown_target': (
        lambda: backtest(CATALOG.select("H4"), [], [], target="x"),
        'UnknownNameError', 'target',
        "target='x': is not an OutcomeKind; rule: one of CHURNED, RENEWED, EXPANDED; instead: pass one of CHURNED, RENEWED, EXPANDED",
    ),
    'backtest_unknown_rule_of_two': (
        lambda: backtest(CATALOG.select("H4", "M1"), [], []).rule("Z9"),
        'UnknownNameError', 'rule_id',
        "rule_id='Z9': is not a rule of this backtest; instead: one of H4, M1",
    ),
    'evidence_value_of_no_kind': (
        lambda: from_data(Evidence, {"subject": "s", "value": [1], "op": ">=", "threshold": "1"}),
        'StructureError', '$.value',
        'could not build Evidence from data (1 problem(s)):\n  - invalid value (expected a number, a string or null, got [1]) @ $.value\ninstead: fix the fields listed (paths start at $, the top of the data)',
    ),
    'run_result_state_of_something_else': (
        lambda: RunResult(states={"a": 5}),
        'InvalidTypeError', "states['a']",
        "states['a']=5: expected AccountState, got int; instead: pass the states of an earlier RunResult",
    ),
    'state_rule_set_version_not_text': (
        lambda: AccountState("a", DAY, rule_set_version=5),
        'InvalidTypeError', 'rule_set_version',
        'rule_set_version=5: expected str, got int; instead: pass a str',
    ),
}


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_each_refusal_names_its_field_and_says_what_to_do_word_for_word(name: str) -> None:
    call, kind, field, message = REFUSALS[name]
    error = refused(call)
    assert (type(error).__name__, error.field, str(error)) == (kind, field, message)


def test_a_snapshot_whose_account_id_is_not_text_is_an_error_without_an_account() -> None:
    result = ENGINE.run(None, [{"account_id": 5, "segment": "SMB", "as_of": "2026-03-02"}])
    [error] = result.errors
    assert (error.index, error.account_id, error.error, error.field) == (0, None, "StructureError", "$.account_id")


def test_a_scorer_without_data_for_the_account_gives_no_score_rather_than_an_error() -> None:
    class Blank:
        def score(self, snapshot: AccountSnapshot) -> object:
            raise NoHealthDataError(snapshot.account_id, ("usage",), ("logins_week",))

    state, alerts = Engine(CATALOG, health_model=Blank()).step(None, _snap(support_tickets_week=3))
    assert (state.score, state.band, [a.rule_id for a in alerts]) == (None, None, ["H4"])


def test_a_band_transition_with_an_unknown_require_says_which_values_it_takes() -> None:
    found = BandTransition((HealthBand.GREEN,), (HealthBand.RED,), require="x").problems("$.c", frozenset())
    assert [(p.path, p.message) for p in found] == [("$.c.require", "must be 'either' or 'both', got 'x'")]


def test_a_rule_and_a_rule_set_read_back_from_plain_data_are_equal() -> None:
    assert from_data(Rule, to_data(H4)) == H4
    assert from_data(RuleSet, to_data(CATALOG)) == CATALOG
    with pytest.raises(PostsaleError, match="band cut-offs are no longer part of a rule set"):
        from_data(RuleSet, {**to_data(CATALOG), "bands": {}})


def test_a_drop_against_a_missing_same_snapshot_baseline_never_holds() -> None:
    drop = PercentChange("logins_week", 0.3, baseline="logins_prev_week").compile("X")
    assert drop(_snap(logins_week=0), Context()) is False
    assert drop(_snap(logins_week=0, logins_prev_week=1), Context()) is True


def test_a_class_with_a_hand_written_plain_form_and_no_schema_is_refused() -> None:
    from postsale import _convert

    @attrs.frozen
    class Opaque:
        value: int

    _convert.converter.register_unstructure_hook(Opaque, lambda o: o.value)
    with pytest.raises(PostsaleError) as caught:
        json_schema(Opaque)
    assert (type(caught.value).__name__, caught.value.field) == ("InvalidTypeError", "cls")
    assert str(caught.value).startswith("cls=")
    assert str(caught.value).endswith(
        ": has a hand-written plain-data form but no declared schema; "
        "instead: declare its schema with postsale._convert.register_schema next to its hooks")
