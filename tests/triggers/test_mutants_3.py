# ruff: noqa: E501 - the sentences are pinned whole, as the user reads them
"""Mutation triage of the triggers context, continued (test_mutants_2.py holds the refusals): evidence in words,
boundaries of the conditions, SLAs and backtests, the plain-data hooks and the schema, each pinned as behaviour."""

from __future__ import annotations

from collections.abc import MutableMapping
from datetime import date, datetime, timedelta

import attrs
import pytest

from postsale import AccountSnapshot, HealthBand, PostsaleError, Segment, from_data, to_data
from postsale.triggers import (
    CATALOG,
    AccountState,
    Action,
    AlertBudget,
    AllOf,
    AnyOf,
    BandTransition,
    Context,
    DaysInBand,
    DaysSince,
    DaysUntil,
    Engine,
    Hygiene,
    Not,
    Outcome,
    OutcomeKind,
    PercentChange,
    Ratio,
    Rule,
    RuleScore,
    RuleSet,
    Sla,
    Threshold,
    backtest,
    due_time,
    json_schema,
)
from tests.triggers.test_mutants_2 import DAY, UTC, _snap, _stepped_once

G, Y, R = HealthBand.GREEN, HealthBand.YELLOW, HealthBand.RED


_SEEN = AccountSnapshot("a", "SMB", DAY, contract_start=date(2026, 1, 1), contract_end=date(2026, 5, 1),
                        seats_purchased=10, seats_active=8,
                        signals={"nps": 5, "logins_week": 7, "logins_prev_week": 10})
_MOVED = Context(score=55.0, band=Y, previous_score=80.0, previous_band=G, days_in_band=3, previous={"nps": 9.0})
_BLANK = AccountSnapshot("a", "ENTERPRISE", DAY)

EVIDENCE = {
    'threshold': (Threshold("nps", "<=", 6), ['nps was 5 (rule: <= 6).'], ['nps was missing (rule: <= 6).']),
    'threshold_previous_with_release': (
        Threshold("nps", "<", 6, release=8, source="previous"),
        ['previous nps was 9 (rule: < 6); stays on until it crosses 8.'],
        ['previous nps was missing (rule: < 6); stays on until it crosses 8.'],
    ),
    'drop_same_snapshot': (
        PercentChange("logins_week", 0.3, baseline="logins_prev_week", min_base=10),
        ['logins_week drop vs logins_prev_week was 0.3 (rule: >= 0.3); logins_prev_week 10 → logins_week 7; counts only when logins_prev_week >= 10.'],
        ['logins_week drop vs logins_prev_week was missing (rule: >= 0.3); logins_prev_week missing → logins_week missing; counts only when logins_prev_week >= 10.'],
    ),
    'rise_against_previous': (
        PercentChange("nps", 0.2, direction="rise"),
        ['nps rise vs previous nps was -0.4444 (rule: >= 0.2); previous nps 9 → nps 5; counts only when previous nps >= 0.'],
        ['nps rise vs previous nps was missing (rule: >= 0.2); previous nps missing → nps missing; counts only when previous nps >= 0.'],
    ),
    'ratio': (
        Ratio("seats_active", "seats_purchased", ">=", 0.8),
        ['seats_active / seats_purchased was 0.8 (rule: >= 0.8); seats_active 8 / seats_purchased 10.'],
        ['seats_active / seats_purchased was missing (rule: >= 0.8); seats_active 0 / seats_purchased 0.'],
    ),
    'band_move_or_drop': (
        BandTransition((G,), (Y,), min_drop=15),
        ['health band was GREEN → YELLOW (rule: moved GREEN → YELLOW).', 'health score drop was 25 (rule: >= 15 points); health score 80 → 55.'],
        ['health band was none → none (rule: moved GREEN → YELLOW).', 'health score drop was missing (rule: >= 15 points); health score missing → missing.'],
    ),
    'drop_within_a_band': (
        BandTransition((Y,), (Y,), min_drop=5, require="both"),
        ['health band was GREEN → YELLOW (rule: stayed in YELLOW).', 'health score drop was 25 (rule: >= 5 points); health score 80 → 55.'],
        ['health band was none → none (rule: stayed in YELLOW).', 'health score drop was missing (rule: >= 5 points); health score missing → missing.'],
    ),
    'days_in_band': (
        DaysInBand(Y, 30), ['days in YELLOW was 3 (rule: >= 30); band YELLOW.'], ['days in YELLOW was 0 (rule: >= 30); band none.'],
    ),
    'days_until_by_segment': (
        DaysUntil("contract_end", 90, by_segment={Segment.SMB: 60}),
        ['days until contract_end was 60 (rule: within 0..60); contract_end 2026-05-01, as of 2026-03-02; SMB accounts: up to 60 days ahead.'],
        ['days until contract_end was missing (rule: within 0..90); contract_end unknown, as of 2026-03-02.'],
    ),
    'days_since_between': (
        DaysSince("contract_start", 28, at_most=34),
        ['days since contract_start was 60 (rule: >= 28..34); contract_start 2026-01-01, as of 2026-03-02.'],
        ['days since contract_start was missing (rule: >= 28..34); contract_start unknown, as of 2026-03-02.'],
    ),
    'days_since_open_ended': (
        DaysSince("contract_start", 30),
        ['days since contract_start was 60 (rule: >= 30); contract_start 2026-01-01, as of 2026-03-02.'],
        ['days since contract_start was missing (rule: >= 30); contract_start unknown, as of 2026-03-02.'],
    ),
    'not': (Not(Threshold("nps", ">=", 9)), ['nps was 5 (rule: not >= 9).'], ['nps was missing (rule: not >= 9).']),
    'any_of_none_holding_shows_all': (
        AnyOf((Threshold("nps", ">=", 9), Threshold("nps", "<=", 1))),
        ['nps was 5 (rule: >= 9).', 'nps was 5 (rule: <= 1).'],
        ['nps was missing (rule: >= 9).', 'nps was missing (rule: <= 1).'],
    ),
    'any_of_shows_the_part_holding': (
        AnyOf((Threshold("nps", ">=", 9), Threshold("nps", "<=", 5))), ['nps was 5 (rule: <= 5).'],
        ['nps was missing (rule: >= 9).', 'nps was missing (rule: <= 5).'],
    ),
    'all_of': (
        AllOf((Threshold("nps", "<=", 6), DaysInBand(Y, 1))),
        ['nps was 5 (rule: <= 6).', 'days in YELLOW was 3 (rule: >= 1); band YELLOW.'],
        ['nps was missing (rule: <= 6).', 'days in YELLOW was 0 (rule: >= 1); band none.'],
    ),
}


@pytest.mark.parametrize("name", sorted(EVIDENCE))
def test_each_condition_gives_its_evidence_in_words_with_and_without_data(name: str) -> None:
    condition, seen, blank = EVIDENCE[name]
    assert [e.sentence() for e in condition.evidence(_SEEN, _MOVED)] == seen
    assert [e.sentence() for e in condition.evidence(_BLANK, Context())] == blank


@pytest.mark.parametrize(("few_days", "due"), [(1, datetime(2026, 1, 2, tzinfo=UTC)), (7, datetime(2026, 1, 8, tzinfo=UTC))])
def test_within_a_few_days_takes_one_to_seven_days(few_days: int, due: datetime) -> None:
    assert due_time(Sla.WITHIN_FEW_DAYS, datetime(2026, 1, 1, tzinfo=UTC), few_days=few_days) == due


def test_a_move_or_drop_counts_a_fall_of_the_score_not_a_rise() -> None:
    h1 = BandTransition((G,), (Y,), min_drop=15).compile("H1")
    snap = _snap()
    assert h1(snap, Context(score=65.0, band=G, previous_score=80.0, previous_band=G)) is True
    assert h1(snap, Context(score=66.0, band=G, previous_score=80.0, previous_band=G)) is False
    assert h1(snap, Context(score=80.0, band=G, previous_score=70.0, previous_band=G)) is False


def test_the_catalog_factories_build_the_rules_the_catalogs_hold() -> None:
    from postsale.triggers import DEFAULT_RULE_SET, _catalog, _moments

    rules = DEFAULT_RULE_SET
    assert _moments._outreach("H8", "Usage decline", rules.rule("H8").condition) == rules.rule("H8")
    assert _moments._decline("logins_month", "logins_prev_month") == rules.rule("H8").condition
    assert _moments._runway() == rules.rule("L2").condition.conditions[1]
    assert _moments._flag("trial_converted") == rules.rule("L1").condition == Threshold("trial_converted", ">=", 1)
    assert _catalog._flag("champion_left") == Threshold("champion_left", ">=", 1)


def test_the_triggers_plain_data_hooks_read_every_condition_kind_and_a_rule_set() -> None:
    """The hooks are registered at import; set up again on a fresh converter, they read the same data."""
    import cattrs

    from postsale.triggers._conditions import Condition
    from postsale.triggers._serialization import _setup

    fresh = cattrs.Converter()
    _setup(fresh)
    nested = AllOf((Threshold("nps", "<=", 6), Not(PercentChange("logins_week", 0.3, baseline="logins_prev_week")),
                    AnyOf((Ratio("seats_active", "seats_purchased", ">=", 0.8), DaysSince("contract_start", 30)))))
    assert fresh.structure(to_data(nested), Condition) == nested
    kinds = "threshold, percent_change, ratio, band_transition, days_in_band, days_until, days_since, all, any, not"
    for data, message in [
        ({"signal": "nps"}, f"a condition needs a 'kind'; use one of {kinds}"),
        ({"kind": "x"}, f"unknown condition kind 'x'; use one of {kinds}"),
        ({"kind": []}, f"unknown condition kind []; use one of {kinds}"),
        (5, f"a condition must be an object with a 'kind' ({kinds}), got int"),
    ]:
        with pytest.raises(ValueError, match="condition") as caught:
            fresh.structure(data, Condition)
        assert str(caught.value) == message
    assert fresh.unstructure(Threshold("nps", ">=", 1), Condition) == {
        "signal": "nps", "op": ">=", "threshold": 1, "release": None, "source": "current"}
    assert from_data(RuleSet, to_data(CATALOG)) == CATALOG
    with pytest.raises(PostsaleError, match="band cut-offs are no longer part of a rule set"):
        from_data(RuleSet, {**to_data(CATALOG), "bands": {}})


def test_a_declared_schema_without_properties_is_kept_as_declared() -> None:
    from postsale import _convert

    @attrs.frozen
    class Code:
        value: str

    _convert.converter.register_unstructure_hook(Code, lambda c: c.value)
    _convert.register_schema(Code, lambda describe: {"type": "string", "description": "a code"})
    assert json_schema(Code) == {
        "$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Code",
        "type": "string", "description": "a code", "properties": {}, "required": [],
    }


def _tickets(account_id: str, day: int, tickets: int) -> AccountSnapshot:
    return AccountSnapshot(account_id, "SMB", date(2026, 1, 5) + timedelta(days=day),
                           signals={"support_tickets_week": tickets})


def test_a_backtest_counts_outcomes_0_to_horizon_days_after_an_alert_and_leads_from_the_earliest_alert() -> None:
    """a: churned 90 days after its alert (counts); b: 91 days after (does not); c: churned before its alert;
    d: renewed, not a target; e: two alerts, 80 and 30 days before churning (the lead is 80)."""
    history = [_tickets("a", 0, 4), _tickets("b", 0, 4), _tickets("c", 10, 4), _tickets("c", 17, 0),
               _tickets("d", 0, 0), _tickets("d", 13, 0), _tickets("e", 0, 4), _tickets("e", 40, 0),
               _tickets("e", 50, 4)]
    start = date(2026, 1, 5)
    outcomes = [Outcome("a", "churned", start + timedelta(days=90)), Outcome("b", "churned", start + timedelta(days=91)),
                Outcome("c", "churned", start + timedelta(days=9)), Outcome("d", "renewed", start + timedelta(days=5)),
                Outcome("e", "churned", start + timedelta(days=80))]
    report = backtest(CATALOG.select("H4"), history, outcomes, early_days=80)
    assert report.rule("H4") == RuleScore(
        "H4", OutcomeKind.CHURNED, alerts=5, suppressed=0, true_positives=3, precision=0.6, outcomes=4, caught=2,
        recall=0.5, median_lead_days=85.0, caught_early=2, alerts_per_account_week=5 / (75 / 7))
    assert report.explain() == [
        "Backtest of rule set 2026.2 over 5 account(s) (10.7143 account-weeks), horizon 90 days.",
        "H4: 5 alert(s) delivered, 0 held back by hygiene.",
        "3 of them were followed by CHURNED (60% precision).",
        "It caught 2 of 4 CHURNED outcome(s) (50% recall).",
        "Median lead time 85 days; 2 caught early enough.",
        "0.467 alert(s) per account per week.",
    ]
    assert backtest(CATALOG.select("H4"), history, outcomes, early_days=81).rule("H4").caught_early == 1
    wider = backtest(CATALOG.select("H4"), history, outcomes, horizon_days=91).rule("H4")
    assert (wider.true_positives, wider.caught, wider.median_lead_days) == (4, 3, 90.0)


@pytest.mark.parametrize(("name", "value"), [("horizon_days", -1), ("early_days", 1.5)])
def test_a_backtest_refuses_a_horizon_that_is_not_whole_days(name: str, value: float) -> None:
    with pytest.raises(PostsaleError) as caught:
        backtest(CATALOG, [], [], **{name: value})
    assert (type(caught.value).__name__, caught.value.field, str(caught.value)) == (
        "InvalidValueError", name, f"{name}={value}: must be a whole number of days >= 0; instead: e.g. 90")


def test_a_state_and_a_context_read_names_and_lists_as_bands_and_rule_sets() -> None:
    assert AccountState("a", DAY, band="RED").band is HealthBand.RED
    assert Context(active=["R"]).active == frozenset({"R"})


def test_a_step_records_the_version_of_the_rule_set_in_the_state() -> None:
    assert _stepped_once().rule_set_version == "2026.2"


def test_evidence_reads_the_model_score_as_a_baseline_or_a_numerator() -> None:
    snap = AccountSnapshot("a", "SMB", DAY, signals={"nps": 20, "logins_week": 10})
    drop = PercentChange("nps", 0.5, baseline="health_score").evidence(snap, Context(score=50.0))
    ratio = Ratio("health_score", "logins_week", ">=", 1).evidence(snap, Context(score=50.0))
    assert [e.sentence() for e in drop + ratio] == [
        "nps drop vs health_score was 0.6 (rule: >= 0.5); health_score 50 → nps 20; counts only when health_score >= 0.",
        "health_score / logins_week was 5 (rule: >= 1); health_score 50 / logins_week 10.",
    ]


def test_a_ratio_at_least_a_share_of_two_signals_reads_those_signals_not_the_seats() -> None:
    ratio = Ratio("logins_week", "logins_prev_week", ">=", 0.5).compile("R")
    snap = AccountSnapshot("a", "SMB", DAY, signals={"logins_week": 6, "logins_prev_week": 10})
    assert ratio(snap, Context()) is True


def test_a_schema_describes_any_mapping_as_an_object() -> None:
    @attrs.frozen
    class Box:
        """A box."""

        counts: MutableMapping[str, int]

    assert json_schema(Box)["properties"] == {"counts": {"type": "object", "additionalProperties": {"type": "integer"}}}


def test_without_the_health_context_there_is_no_health_model_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    from postsale import health
    from postsale.triggers import health_model_schema

    monkeypatch.delattr(health, "HealthModel")
    with pytest.raises(PostsaleError) as caught:
        health_model_schema()
    assert (type(caught.value).__name__, caught.value.field, str(caught.value)) == (
        "UnknownNameError", "postsale.health.HealthModel",
        "postsale.health.HealthModel: is not available; instead: install a postsale version that ships the health context")


def test_a_negated_condition_in_a_frame_is_the_negation_of_its_column_hysteresis_included() -> None:
    import narwhals.stable.v2 as nw

    from postsale._columnar import Env, physical

    frame = nw.from_dict({"nps": [3.0, 7.0, None, 9.0], physical("active.R"): [False, True, False, True]},
                         backend="polars")
    calm = Not(Threshold("nps", "<", 5, release=8)).expr(Env(frame.columns, as_of=DAY), "R")
    assert frame.select(calm.alias("R"))["R"].to_list() == [False, False, True, True]


def test_an_optional_field_is_checked_only_when_given() -> None:
    from postsale._errors import Problem
    from postsale.triggers._read import _optional, check_number

    check = _optional(check_number)
    assert (check("$.release", None), check("$.release", "x")) == ([], [Problem("$.release", "must be a finite number, got 'x'")])


def test_a_context_reads_band_names() -> None:
    assert Context(band="RED", previous_band="GREEN") == Context(band=R, previous_band=G)


@pytest.mark.parametrize("field", ["contract_start", "contract_end"])
def test_days_since_a_date_holds_from_at_least_days_on_and_never_without_the_date(field: str) -> None:
    since = DaysSince(field, 30).compile("U")
    held = [since(AccountSnapshot("a", "SMB", DAY, **{field: DAY - timedelta(days=n)}), Context()) for n in (29, 30)]
    assert (held, since(_BLANK, Context())) == ([False, True], False)


def test_a_drop_of_the_model_score_against_its_previous_value() -> None:
    drop = PercentChange("health_score", 0.2).compile("X")
    assert drop(_snap(), Context(score=40.0, previous={"health_score": 60.0})) is True
    assert drop(_snap(), Context(score=50.0, previous={"health_score": 60.0})) is False


def test_a_budget_without_exempt_priorities_says_nothing_goes_through() -> None:
    action = Action("check_in", "email", "x")
    rules = RuleSet("v", [Rule("R1", "n", Threshold("nps", "<=", 6), action, Sla.H24),
                          Rule("R2", "t", Threshold("support_tickets_week", ">=", 3), action, Sla.H24)],
                    hygiene=Hygiene(budget=AlertBudget(exempt=())))
    _, alerts = Engine(rules).step(None, _snap(support_tickets_week=5, nps=0))
    assert [(a.rule_id, a.suppression and a.suppression.detail) for a in alerts] == [
        ("R1", None), ("R2", "SMB accounts get at most 1 alert per 7 days, and a already got 1: R1 today")]


def test_a_drop_whose_value_is_missing_never_holds() -> None:
    drop = PercentChange("logins_week", 0.3, baseline="logins_prev_week").compile("X")
    assert drop(_snap(logins_prev_week=10), Context()) is False


def test_an_equality_fused_in_front_of_the_next_test_still_compares() -> None:
    both = AllOf((Threshold("nps", "==", 5), Threshold("logins_week", ">=", 1))).compile("R")
    assert [both(_snap(nps=n, logins_week=2), Context()) for n in (5, 4)] == [True, False]


def test_all_of_in_a_frame_is_the_and_of_its_columns() -> None:
    import narwhals.stable.v2 as nw

    from postsale._columnar import Env

    frame = nw.from_dict({"nps": [5.0, 5.0, 4.0, None], "logins_week": [2.0, 0.0, 2.0, 2.0]}, backend="polars")
    both = AllOf((Threshold("nps", "==", 5), Threshold("logins_week", ">=", 1))).expr(Env(frame.columns, as_of=DAY), "R")
    assert frame.select(both.alias("R"))["R"].to_list() == [True, False, False, False]


def test_a_class_without_a_docstring_is_described_by_its_name() -> None:
    @attrs.frozen
    class NoDoc:
        x: int

    assert json_schema(NoDoc)["description"] == "NoDoc"


def test_a_choice_field_accepts_only_its_strings() -> None:
    """The checks of a choice field are built once per class and cached: called here, they are checked too."""
    from postsale._errors import Problem
    from postsale.triggers._read import _literal

    check = _literal((">=", ">"))
    assert (check("$.op", "=>"), check("$.op", ">"), check("$.op", 5)) == (
        [Problem("$.op", "must be one of '>=', '>', got '=>'")], [], [Problem("$.op", "must be one of '>=', '>', got 5")])
