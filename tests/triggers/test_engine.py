"""The fold: firing on entry, hygiene (cooldown, dedupe, hysteresis, budgets), state, errors, many accounts."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

import postsale
from postsale import HealthBand, InvalidTypeError, InvalidValueError, NaiveDatetimeError, OutOfOrderError, signals
from postsale.triggers import (
    CATALOG,
    DEFAULT_RULE_SET,
    AccountState,
    AlertBudget,
    Engine,
    Hygiene,
    RunResult,
    SuppressionReason,
    Threshold,
)
from tests.strategies.triggers import histories
from tests.triggers._helpers import DAY, UTC, at, days, snap

ENGINE = Engine(DEFAULT_RULE_SET)
T = signals.SUPPORT_TICKETS_WEEK


def run_days(engine, values, *, start=DAY, state=None, **fixed):
    """Step one account through daily snapshots; values are dicts of signals per day."""
    out = []
    for i, sig in enumerate(values):
        state, alerts = engine.step(state, snap(as_of=start + timedelta(days=i), **fixed, **sig))
        out.append(alerts)
    return state, out


def ids(alerts):
    return [a.rule_id for a in alerts]


# ---- firing on entry ----------------------------------------------------------------------------------------
def test_first_step_fires_what_holds():
    """On its first evaluation an account alerts for every rule that holds."""
    _, alerts = ENGINE.step(None, snap(**{T: 3}))
    assert ["H4"] == ids(alerts)


def test_rule_fires_on_entry_only():
    """A condition that keeps holding does not alert again on the next day."""
    _, per_day = run_days(ENGINE, [{T: 3}, {T: 4}, {T: 5}])
    assert [["H4"], [], []] == [ids(a) for a in per_day]


def test_reentry_after_close_and_cooldown_fires_again():
    """Once the alert is closed and the cooldown is over, re-entering the condition alerts again."""
    state, _ = ENGINE.step(None, snap(**{T: 3}))
    state, _ = ENGINE.step(state, snap(as_of=days(1), **{T: 0}))
    state = state.close("H4")
    state, alerts = ENGINE.step(state, snap(as_of=days(7), **{T: 3}))
    assert ["H4"] == ids(alerts) and alerts[0].delivered


def test_reentry_within_cooldown_is_suppressed():
    """Re-entering within the 7-day cooldown is reported as suppressed by COOLDOWN, saying until when."""
    state, _ = ENGINE.step(None, snap(**{T: 3}))
    state, _ = ENGINE.step(state, snap(as_of=days(1), **{T: 0}))
    state, alerts = ENGINE.step(state.close("H4"), snap(as_of=days(6), **{T: 3}))
    expected = "H4 already alerted on 2026-03-02 and stays quiet for 7 days (until 2026-03-09)"
    assert (SuppressionReason.COOLDOWN, expected) == (
        alerts[0].suppression.reason,
        alerts[0].suppression.detail,
    )


def test_reentry_while_open_is_deduped():
    """Re-entering while the alert is still open is suppressed as OPEN_ALERT."""
    state, _ = ENGINE.step(None, snap(**{T: 3}))
    state, _ = ENGINE.step(state, snap(as_of=days(1), **{T: 0}))
    state, alerts = ENGINE.step(state, snap(as_of=days(10), **{T: 3}))
    assert SuppressionReason.OPEN_ALERT == alerts[0].suppression.reason
    assert alerts[0].suppression.detail.startswith("the H4 alert raised on 2026-03-02 is still open")


def test_open_alerts_auto_close():
    """An alert nobody closed stops deduping after auto_close_days (30)."""
    state, _ = ENGINE.step(None, snap(**{T: 3}))
    state, _ = ENGINE.step(state, snap(as_of=days(1), **{T: 0}))
    state, alerts = ENGINE.step(state, snap(as_of=days(30), **{T: 3}))
    assert [True] == [a.delivered for a in alerts]


def test_open_alerts_never_auto_close_when_disabled():
    """With auto_close_days=None an alert stays open until closed."""
    rules = CATALOG.select("H4")
    engine = Engine(postsale.triggers.RuleSet("1", rules.rules, hygiene=Hygiene(auto_close_days=None)))
    state, _ = engine.step(None, snap(**{T: 3}))
    state, _ = engine.step(state, snap(as_of=days(1), **{T: 0}))
    state, alerts = engine.step(state, snap(as_of=days(300), **{T: 3}))
    assert SuppressionReason.OPEN_ALERT == alerts[0].suppression.reason


def test_close_without_open_alert_is_a_no_op():
    """Closing a rule with no open alert returns the same state."""
    state, _ = ENGINE.step(None, snap())
    assert state is state.close("H4")


# ---- budgets ------------------------------------------------------------------------------------------------
P = signals.STORAGE_RATIO
L = signals.USAGE_LIMIT_RATIO
"""P1 (storage at 75 %) and P2 (any limit at 80 %): two NORMAL alerts that compete for the budget."""


def test_budget_holds_back_less_urgent_alerts():
    """An SMB account gets 1 budgeted alert per week: the first NORMAL alert is delivered, the other held back."""
    _, alerts = ENGINE.step(None, snap(segment="SMB", **{P: 0.9, L: 0.9}))
    assert [("P1", None), ("P2", SuppressionReason.BUDGET)] == [
        (a.rule_id, a.suppression and a.suppression.reason) for a in alerts
    ]


def test_budget_detail_is_a_sentence_a_cs_lead_reads():
    """The budget suppression says the segment's limit and period, what always goes through and what used it."""
    _, alerts = ENGINE.step(None, snap(segment="SMB", **{P: 0.9, L: 0.9}))
    expected = ("SMB accounts get at most 1 alert per 7 days besides urgent and high-priority ones (those always go "
                "through), and acme already got 1: P1 today")
    assert expected == alerts[1].suppression.detail
    assert alerts[1].explain()[-1] == f"Not delivered (BUDGET): {expected}."


def test_budget_detail_names_the_days_of_earlier_alerts():
    """Alerts delivered on earlier days are counted by day; a plural limit reads "alerts"."""
    state, _ = ENGINE.step(None, snap(**{P: 0.9}))
    state, _ = ENGINE.step(state, snap(as_of=days(1), **{P: 0.9, L: 0.9}))
    _, alerts = ENGINE.step(state, snap(as_of=days(2), **{P: 0.9, L: 0.9, signals.FUNDING_ANNOUNCED: 1}))
    detail = alerts[0].suppression.detail
    assert detail.startswith("mid-market accounts get at most 2 alerts per 7 days")
    assert detail.endswith("acme already got 2: 1 on 2026-03-02; 1 on 2026-03-03")


def test_urgent_alerts_are_exempt_from_the_budget():
    """URGENT alerts (H2, U3) are always delivered and not counted."""
    s = snap(segment="SMB", **{T: 3, signals.CRITICAL_FEATURE_USAGE_PREV: 100, signals.CRITICAL_FEATURE_USAGE: 10})
    _, alerts = ENGINE.step(None, s)
    assert [("U3", True), ("H4", True)] == [(a.rule_id, a.delivered) for a in alerts]


def test_high_alerts_are_never_held_back_by_the_budget():
    """HIGH alerts (H4's 48-hour root cause, U1's check-in) are delivered and not counted: a NORMAL alert still
    gets the SMB account's one slot."""
    s = snap(segment="SMB", **{T: 3, signals.LOGINS_PREV_WEEK: 100, signals.LOGINS_WEEK: 50, P: 0.9, L: 0.9})
    _, alerts = ENGINE.step(None, s)
    assert [("U1", True), ("H4", True), ("P1", True), ("P2", False)] == [(a.rule_id, a.delivered) for a in alerts]


def test_exempt_priorities_are_configurable():
    """With only URGENT exempt (the old default), a HIGH alert takes the budget and a NORMAL one is held back."""
    budget = AlertBudget(exempt=(postsale.triggers.Priority.URGENT,))
    rules = postsale.triggers.RuleSet("1", DEFAULT_RULE_SET.rules, hygiene=Hygiene(budget=budget))
    _, alerts = Engine(rules).step(None, snap(segment="SMB", **{T: 3, P: 0.9}))
    assert [("H4", True), ("P1", False)] == [(a.rule_id, a.delivered) for a in alerts]
    assert "besides urgent ones" in alerts[1].suppression.detail


@pytest.mark.parametrize(
    ("segment", "delivered"), [("ENTERPRISE", 3), ("MID_MARKET", 2), ("SMB", 1), ("PRODUCT_LED", 1)]
)
def test_budget_by_segment(segment, delivered):
    """The default budget per 7 days is ENTERPRISE 3, MID_MARKET 2, SMB 1, PRODUCT_LED 1 (budgeted alerts)."""
    many = {P: 0.9, L: 0.9, signals.FUNDING_ANNOUNCED: 1, signals.ACQUISITION_ANNOUNCED: 1}
    _, alerts = ENGINE.step(None, snap(segment=segment, **many))
    assert delivered == sum(a.delivered for a in alerts)


def test_budget_frees_up_after_the_period():
    """A budget slot used on day 0 is free again on day 7, not day 6."""
    state, _ = ENGINE.step(None, snap(segment="SMB", **{L: 0.9}))
    _, alerts6 = ENGINE.step(state, snap(segment="SMB", as_of=days(6), **{L: 0.9, P: 0.9}))
    _, alerts7 = ENGINE.step(state, snap(segment="SMB", as_of=days(7), **{L: 0.9, P: 0.9}))
    assert (False, True) == (alerts6[0].delivered, alerts7[0].delivered)


# ---- health bands, hysteresis, days in band -----------------------------------------------------------------
def test_hysteresis_enter_40_leave_50():
    """Once RED (below 37 from YELLOW), an account stays RED until its score reaches 50."""
    state, _ = run_days(ENGINE, [{signals.HEALTH_SCORE: s} for s in (60, 36, 45, 49)])
    after, _ = ENGINE.step(state, snap(as_of=days(4), health_score=50))
    assert (HealthBand.RED, HealthBand.YELLOW) == (state.band, after.band)


def test_hysteresis_stops_flapping_alerts():
    """A score flapping 36 / 41 / 36 around the RED cut-off alerts H2 once."""
    _, per_day = run_days(ENGINE, [{signals.HEALTH_SCORE: s} for s in (45, 36, 41, 36, 41, 36)])
    assert 1 == sum(ids(a).count("H2") for a in per_day)


def test_a_dip_just_below_green_is_not_a_band_change():
    """70 → 69 keeps the account GREEN (no H1); 70 → 66 is GREEN → YELLOW and alerts H1 in those words."""
    state, per_day = run_days(ENGINE, [{signals.HEALTH_SCORE: s} for s in (70, 69)])
    assert HealthBand.GREEN == state.band
    assert "H1" not in ids(per_day[-1])
    state, per_day = run_days(ENGINE, [{signals.HEALTH_SCORE: s} for s in (70, 66)])
    assert HealthBand.YELLOW == state.band
    assert "H1" in ids(per_day[-1])


def sentiment_model(bands):
    """A health model whose score is the sentiment signal, with the band policy ``bands``."""
    from postsale.health import Component, HealthModel, Linear

    return HealthModel((Component("mood", signals.SENTIMENT, Linear(), 1.0),), name="mood", version="1", bands=bands)


def test_band_policy_without_hysteresis():
    """With the model's hysteresis 0 the band follows the cut-offs both ways."""
    from postsale.health import BandPolicy

    engine = Engine(CATALOG, health_model=sentiment_model(BandPolicy(hysteresis=0, drop_margin=0)))
    state, _ = run_days(engine, [{signals.SENTIMENT: s} for s in (39, 40)])
    assert HealthBand.YELLOW == state.band
    state, _ = run_days(engine, [{signals.SENTIMENT: s} for s in (40, 39.9)])
    assert HealthBand.RED == state.band


def test_engine_bands_are_the_health_models():
    """A model with bands 90 / 60 scores 41.7 RED, and the engine stores RED too (it used to store YELLOW)."""
    from postsale.health import BandPolicy

    model = sentiment_model(BandPolicy(green_from=90, yellow_from=60))
    engine = Engine(CATALOG, health_model=model)
    state, _ = engine.step(None, snap(sentiment=41.7))
    assert (HealthBand.RED, HealthBand.RED) == (model.score(snap(sentiment=41.7)).band, state.band)
    assert engine.bands is model.bands


def test_engine_uses_the_models_hysteresis():
    """The hysteresis of the model's band policy decides when the engine's band moves up."""
    from postsale.health import BandPolicy

    engine = Engine(CATALOG, health_model=sentiment_model(BandPolicy(green_from=90, yellow_from=60, hysteresis=5)))
    state, _ = run_days(engine, [{signals.SENTIMENT: s} for s in (59, 64.9)])
    after, _ = engine.step(state, snap(as_of=days(2), sentiment=65))
    assert (HealthBand.RED, HealthBand.YELLOW) == (state.band, after.band)


def test_engine_without_model_bands_uses_the_default_policy():
    """Without a health model, or with a scorer that has no band policy, the default policy applies."""
    from postsale.health import BandPolicy

    assert BandPolicy() == Engine(CATALOG).bands == Engine(CATALOG, health_model=FixedModel()).bands


def test_h3_fires_on_the_30th_consecutive_day_once():
    """Daily YELLOW snapshots fire H3 on day 30 of the episode only."""
    _, per_day = run_days(ENGINE, [{signals.HEALTH_SCORE: 55}] * 40)
    assert [30] == [i for i, a in enumerate(per_day) if "H3" in ids(a)]


def test_days_in_band_reset_on_leaving():
    """Leaving YELLOW resets the count: 20 + 20 days with a GREEN day between never reach 30."""
    values = [{signals.HEALTH_SCORE: 55}] * 20 + [{signals.HEALTH_SCORE: 95}] + [{signals.HEALTH_SCORE: 55}] * 20
    state, per_day = run_days(ENGINE, values)
    assert (0, 19) == (sum("H3" in ids(a) for a in per_day), state.days_in_band)


def test_h1_then_h2_over_a_decline():
    """A decline 80 → 65 → 35 alerts H1 (24 h) then H2 (same day)."""
    _, per_day = run_days(ENGINE, [{signals.HEALTH_SCORE: s} for s in (80, 65, 35)])
    assert [[], ["H1"], ["H2"]] == [ids(a) for a in per_day]


def test_no_score_no_band():
    """Without a health score the state has no band."""
    state, _ = ENGINE.step(None, snap())
    assert (None, None, 0) == (state.band, state.score, state.days_in_band)


def test_band_lost_when_score_disappears():
    """A day without a score clears the band; the next score starts a new episode."""
    state, _ = run_days(ENGINE, [{signals.HEALTH_SCORE: 55}, {}, {signals.HEALTH_SCORE: 55}])
    assert (HealthBand.YELLOW, 0) == (state.band, state.days_in_band)


# ---- alerts ---------------------------------------------------------------------------------------------------
def test_alert_carries_rule_account_times_and_evidence():
    """An alert carries the rule, the account, the aware fired and due times and the evidence."""
    _, [alert] = ENGINE.step(None, snap(**{T: 3}), now=datetime(2026, 3, 2, 9, tzinfo=UTC))
    assert (
        "H4",
        "acme",
        datetime(2026, 3, 2, 9, tzinfo=UTC),
        datetime(2026, 3, 4, 9, tzinfo=UTC),
        "support_tickets_week was 3 (rule: >= 3).",
        "2026.2",
    ) == (alert.rule_id, alert.account_id, alert.fired, alert.due, alert.evidence[0].sentence(), alert.rule_set_version)


def test_same_day_due_in_account_time_zone():
    """A SAME_DAY alert is due at the end of the detection day in the account's time zone."""
    s = snap(time_zone="Asia/Tokyo", **{signals.FIRST_VALUE_DOCUMENTED: 1})
    _, [alert] = ENGINE.step(None, s, now=datetime(2026, 3, 2, 20, tzinfo=UTC))
    assert "2026-03-03T23:59:59+09:00" == alert.due.isoformat()


def test_default_now_is_start_of_day_in_account_zone():
    """Without now, the alert fires at the start of the snapshot day in the account's time zone."""
    _, [alert] = ENGINE.step(None, snap(time_zone="Europe/Paris", **{T: 3}))
    assert "2026-03-02T00:00:00+01:00" == alert.fired.isoformat()


def test_alert_explain():
    """explain() says what fired, why, what to do by when."""
    _, [alert] = ENGINE.step(None, snap(**{T: 3}))
    assert [
        "H4 Support-ticket spike fired for acme on 2026-03-02 (rule set 2026.2; source guide: Triggers › Health "
        "rules).",
        "support_tickets_week was 3 (rule: >= 3).",
        "Action: root-cause investigation by call, priority HIGH, due 2026-03-04T00:00:00+00:00 (H48).",
    ] == alert.explain()


def test_suppressed_alert_explain_says_why():
    """A suppressed alert's explanation ends with the reason."""
    _, alerts = ENGINE.step(None, snap(segment="SMB", **{P: 0.9, L: 0.9}))
    assert alerts[1].explain()[-1].startswith("Not delivered (BUDGET): SMB accounts get at most 1 alert per 7 days")


def test_custom_alert_explain_defaults():
    """Alerts of custom rules without source or description say so."""
    action = postsale.triggers.Action(postsale.triggers.ActionKind.CHECK_IN, postsale.triggers.ActionChannel.EMAIL)
    rule = postsale.triggers.Rule("X", "custom", Threshold(T, ">=", 1), action, postsale.triggers.Sla.H24)
    _, [alert] = Engine(postsale.triggers.RuleSet("v1", (rule,))).step(None, snap(**{T: 1}))
    assert "source custom" in alert.explain()[0] and "check_in by email" in alert.explain()[-1]


# ---- state -------------------------------------------------------------------------------------------------------
def test_state_round_trips_through_json():
    """The state serializes to JSON and back unchanged."""
    state, _ = run_days(ENGINE, [{signals.HEALTH_SCORE: 55, T: 3}, {signals.HEALTH_SCORE: 45}])
    assert state == postsale.from_json(AccountState, postsale.to_json(state))


def test_state_remembers_the_previous_values_rules_need():
    """The state keeps the previous values that rules compare against (and only those)."""
    rules = postsale.triggers.RuleSet(
        "1",
        (
            postsale.triggers.Rule(
                "X",
                "x",
                postsale.triggers.PercentChange(signals.LOGINS_WEEK, 0.5),
                CATALOG.rule("U1").action,
                postsale.triggers.Sla.H48,
            ),
        ),
    )
    state, per_day = run_days(Engine(rules), [{signals.LOGINS_WEEK: 20, T: 1}, {signals.LOGINS_WEEK: 10}])
    assert ({signals.LOGINS_WEEK: 10.0}, [[], ["X"]]) == (dict(state.previous), [ids(a) for a in per_day])


@given(histories())
def test_replay_in_one_or_two_runs_gives_the_same_alerts(history):
    """Replaying snapshots in one run, or in two runs with the state persisted as JSON, gives the same alerts."""
    one = ENGINE.run(None, history)
    cut = len(history) // 2
    first = ENGINE.run(None, history[:cut])
    saved = postsale.to_json(dict(first.states))
    restored = postsale.from_json(dict[str, AccountState], saved)
    second = ENGINE.run(restored, history[cut:])
    assert (one.alerts, dict(one.states)) == (first.alerts + second.alerts, dict(second.states))


@given(histories())
def test_replay_is_deterministic(history):
    """Two replays of the same snapshots give identical results."""
    assert ENGINE.run(None, history) == ENGINE.run({}, history)


# ---- errors ------------------------------------------------------------------------------------------------------
def test_out_of_order_snapshot_is_refused():
    """A snapshot not later than the state raises OutOfOrderError naming as_of."""
    state, _ = ENGINE.step(None, snap())
    with pytest.raises(OutOfOrderError, match=r"as_of=datetime.date\(2026, 3, 2\): is not after"):
        ENGINE.step(state, snap())


def test_state_of_another_account_is_refused():
    """A state of another account raises InvalidValueError naming state.account_id."""
    state, _ = ENGINE.step(None, snap("other"))
    with pytest.raises(InvalidValueError, match=r"state\.account_id"):
        ENGINE.step(state, snap(as_of=days(1)))


def test_wrong_state_type_is_refused():
    """A state that is not an AccountState raises InvalidTypeError."""
    with pytest.raises(InvalidTypeError, match="state"):
        ENGINE.step({"as_of": "2026-01-01"}, snap())  # type: ignore[arg-type]


def test_not_a_snapshot_is_refused():
    """A dict instead of a snapshot raises InvalidTypeError naming snapshot."""
    with pytest.raises(InvalidTypeError, match="snapshot"):
        ENGINE.step(None, {"account_id": "a"})  # type: ignore[arg-type]


def test_negative_count_names_signal_and_rule():
    """A negative count read by a rule raises InvalidValueError naming the signal and the rule."""
    with pytest.raises(InvalidValueError, match=r"signals\['support_tickets_week'\]=-1.0.*read by rule H4"):
        ENGINE.step(None, snap(**{T: -1}))


def test_negative_unread_signal_is_allowed():
    """A negative value of a signal no rule reads is not checked."""
    state, _ = Engine(CATALOG.select("M1")).step(None, snap(**{T: -1}))
    assert state.as_of == DAY


@pytest.mark.parametrize("score", [-0.1, 100.1])
def test_health_score_out_of_range(score):
    """A health score outside 0-100 raises InvalidValueError naming the signal."""
    with pytest.raises(InvalidValueError, match="health_score"):
        ENGINE.step(None, snap(health_score=score))


def test_naive_now_is_refused():
    """A naive now raises NaiveDatetimeError."""
    with pytest.raises(NaiveDatetimeError, match="now"):
        ENGINE.step(None, snap(), now=datetime(2026, 3, 2, 9))


def test_nan_signal_is_refused_at_the_snapshot():
    """A NaN signal is refused when the snapshot is built, naming the signal."""
    with pytest.raises(InvalidValueError, match="logins_week"):
        snap(logins_week=float("nan"))


def test_engine_needs_a_rule_set():
    """Engine refuses anything but a RuleSet."""
    with pytest.raises(InvalidTypeError, match="rule_set"):
        Engine([])  # type: ignore[arg-type]


def test_engine_needs_a_scoring_health_model():
    """Engine refuses a health model without a score method."""
    with pytest.raises(InvalidTypeError, match="health_model"):
        Engine(CATALOG, health_model=object())  # type: ignore[arg-type]


# ---- many accounts --------------------------------------------------------------------------------------------------
def test_run_collects_errors_and_goes_on():
    """One bad account never stops the others: errors are collected with index, account and field."""
    good = snap("good", **{T: 3})
    bad = snap("bad", **{T: -2})
    data = postsale.to_data(snap("raw", **{T: 3}))
    data["signals"]["logins_week"] = "many"
    result = ENGINE.run(None, [bad, good, data, {"nope": 1}, 7])
    assert (
        ["H4"],
        ["good"],
        [
            (0, "bad", "InvalidValueError", "signals['support_tickets_week']"),
            (2, "raw", "StructureError", "$.signals['logins_week']"),
            (3, None, "StructureError", "$.account_id"),
            (4, None, "StructureError", "$"),
        ],
    ) == (ids(result.alerts), sorted(result.states), [(e.index, e.account_id, e.error, e.field) for e in result.errors])


def test_run_accepts_plain_data():
    """Plain mappings are structured at the edge and evaluated."""
    result = ENGINE.run(None, [postsale.to_data(snap(**{T: 3}))])
    assert ["H4"] == ids(result.delivered)


def test_run_out_of_order_account_keeps_its_state():
    """An out-of-order snapshot is reported and the account keeps its last state."""
    result = ENGINE.run(None, [snap(as_of=days(1)), snap(as_of=days(0), **{T: 9})])
    assert (days(1), "OutOfOrderError") == (result.states["acme"].as_of, result.errors[0].error)


def test_run_result_splits_delivered_and_suppressed():
    """RunResult separates delivered alerts from suppressed ones."""
    result = ENGINE.run(None, [snap(segment="SMB", **{T: 3, P: 0.9, L: 0.9})])
    assert (["H4", "P1"], ["P2"]) == (ids(result.delivered), ids(result.suppressed))


def test_run_with_naive_now_is_refused():
    """run refuses a naive now before evaluating anything."""
    with pytest.raises(NaiveDatetimeError):
        ENGINE.run(None, [], now=datetime(2026, 3, 2))


def test_run_with_common_now():
    """A common now is used for every snapshot."""
    now = at(DAY, 9)
    result = ENGINE.run(None, [snap("a", **{T: 3}), snap("b", **{T: 3})], now=now)
    assert [now, now] == [a.fired for a in result.alerts]


def test_run_result_round_trips():
    """A RunResult round-trips through plain data."""
    result = ENGINE.run(None, [snap(**{T: 3}), snap("x", **{T: -1})])
    assert result == postsale.from_data(RunResult, postsale.to_data(result))


# ---- health model ---------------------------------------------------------------------------------------------------
class FixedModel:
    """A stand-in health model: the score is the 'sentiment' signal."""

    def score(self, snapshot):
        return SimpleNamespace(value=snapshot.signals.get(signals.SENTIMENT, 0.0))


def test_health_model_scores_replace_the_signal():
    """With a health model, bands come from its score, not from the health_score signal."""
    engine = Engine(CATALOG, health_model=FixedModel())
    state, per_day = run_days(engine, [{signals.SENTIMENT: 60, signals.HEALTH_SCORE: 90}, {signals.SENTIMENT: 30}])
    assert (30.0, HealthBand.RED, [[], ["H2"]]) == (state.score, state.band, [ids(a) for a in per_day])


def test_health_model_out_of_range():
    """A model score outside 0-100 is refused, naming the model."""
    engine = Engine(CATALOG, health_model=FixedModel())
    with pytest.raises(InvalidValueError, match="health_model"):
        engine.step(None, snap(sentiment=120))


@given(st.integers(0, 100), st.integers(0, 100))
def test_band_is_a_function_of_score_and_previous_band(a, b):
    """The band after two scores equals the band policy applied with the first band as history."""
    state, _ = run_days(ENGINE, [{signals.HEALTH_SCORE: a}, {signals.HEALTH_SCORE: b}])
    policy = ENGINE.bands
    assert policy.band(b, previous=policy.band(a)) == state.band


def test_budget_config_by_segment():
    """AlertBudget.limit reads the budget of a segment."""
    assert 3 == AlertBudget().limit(postsale.Segment.ENTERPRISE)


def test_real_health_model_drives_the_bands():
    """With postsale.health's default model, H5 fires when the model's score falls from GREEN into RED."""
    health = pytest.importorskip("postsale.health")
    engine = Engine(DEFAULT_RULE_SET, health_model=health.DEFAULT_HEALTH_MODEL)
    good = {signals.NPS: 10, signals.SENTIMENT: 90, signals.BUSINESS_CONTEXT: 90, "seats_active": 9}
    bad = {signals.NPS: 0, signals.SENTIMENT: 5, signals.BUSINESS_CONTEXT: 5, "seats_active": 1}
    state, per_day = run_days(engine, [good, bad], seats_purchased=10)
    expected_band = health.DEFAULT_HEALTH_MODEL.score(snap(as_of=days(1), seats_purchased=10, **bad)).band
    assert (HealthBand.RED, expected_band) == (state.band, HealthBand(int(expected_band)))
    assert "H5" in ids(per_day[1])


def test_real_health_model_without_data_means_no_score():
    """An account the health model cannot score has no band; its other rules are still evaluated."""
    health = pytest.importorskip("postsale.health")
    engine = Engine(CATALOG, health_model=health.BASIC_HEALTH_MODEL)  # it reads no ticket count
    state, alerts = engine.step(None, snap(**{T: 3}))
    assert (None, ["H4"]) == (state.band, ids(alerts))


@given(histories())
def test_run_results_round_trip(history):
    """Run results (states, alerts with evidence and suppressions, errors) round-trip through JSON."""
    result = ENGINE.run(None, history)
    assert result == postsale.from_json(RunResult, postsale.to_json(result))


def test_context_round_trips():
    """A context round-trips through plain data."""
    c = postsale.triggers.Context(
        score=50.0, band=HealthBand.YELLOW, previous_band=HealthBand.GREEN, previous={T: 2.0}, active=frozenset({"H4"})
    )
    assert c == postsale.from_data(postsale.triggers.Context, postsale.to_data(c))
