"""The engine's own fast paths (a review's replay keeping only the alerts it shows, alerts and states built from
checked values): the same states, alerts and errors as the full step."""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import postsale
from postsale import HealthBand, InvalidTypeError, InvalidValueError, signals
from postsale.triggers import CATALOG, DEFAULT_RULE_SET, AccountState, AlertBudget, Engine, Hygiene
from tests.strategies.triggers import histories
from tests.triggers._helpers import DAY, at, days, snap

ENGINE = Engine(DEFAULT_RULE_SET)
T = signals.SUPPORT_TICKETS_WEEK


def _replay(engine, history, keep=None):
    """Step through ``history`` (one account) with the full step, or keeping only what a review keeps."""
    state, alerts = None, []
    for snapshot in history:
        state, fired = engine.step(state, snapshot) if keep is None else engine._step(state, snapshot, None, keep)
        alerts.extend(fired)
    return state, alerts


@given(histories(accounts=1, max_days=20), st.integers(0, 70), st.sampled_from(["budget", "no budget", "catalog"]))
def test_a_step_keeping_what_a_review_keeps_builds_the_same_state_and_those_alerts(history, cut, rules):
    """Left-out alerts (held back, or delivered and already due) are not built, but the states are the same and the
    alerts kept are exactly those the full step gives that a review keeps."""
    rule_set = {"budget": DEFAULT_RULE_SET, "catalog": CATALOG,
                "no budget": attrs.evolve(DEFAULT_RULE_SET, hygiene=Hygiene(budget=AlertBudget(exempt=())))}[rules]
    engine = Engine(rule_set)
    day = DAY.replace(month=1, day=1) + timedelta(days=cut)
    keep = (day, at(day))
    full_state, full = _replay(engine, history)
    kept_state, kept = _replay(engine, history, keep)
    expected = [a for a in full if a.suppression is None and (a.as_of == day or a.due >= keep[1])]
    assert (kept_state, kept) == (full_state, expected)


def test_a_left_out_alert_whose_evidence_can_fail_still_fails():
    """An alert left out is not built, but evidence that can fail (a ratio, a change) is still computed: the step
    raises as the full step does."""
    ratio = postsale.triggers.Ratio(signals.LOGINS_WEEK, signals.LOGINS_PREV_WEEK, ">=", 2)
    rule = postsale.triggers.Rule("R", "r", ratio, CATALOG.rule("U1").action, postsale.triggers.Sla.H48)
    engine = Engine(postsale.triggers.RuleSet("1", (rule,)))
    bad = snap(**{signals.LOGINS_WEEK: 1e15, signals.LOGINS_PREV_WEEK: 1e-300})
    with pytest.raises(InvalidValueError) as full:
        engine.step(None, bad)
    with pytest.raises(InvalidValueError) as left_out:
        engine._step(None, bad, None, (days(30), at(days(30))))
    assert str(full.value) == str(left_out.value)


def test_an_alert_of_a_rule_with_unusual_fields_is_built_and_checked():
    """A rule whose fields are not of the plain types (a str subclass for a name) gets its alerts through the
    Alert's own checks: the same alert."""

    class Name(str):
        __slots__ = ()

    rule = DEFAULT_RULE_SET.rule("H4")
    odd = attrs.evolve(DEFAULT_RULE_SET.select("H4"), rules=(attrs.evolve(rule, name=Name(rule.name)),))
    _, [alert] = Engine(odd).step(None, snap(**{T: 3}))
    _, [plain] = Engine(DEFAULT_RULE_SET.select("H4")).step(None, snap(**{T: 3}))
    assert alert == plain


def test_a_state_whose_band_began_after_its_date_is_refused_by_the_context():
    """A state (built by hand) whose band began after its own date gives a negative count of days in band: the
    context refuses it, naming days_in_band."""
    state = AccountState("acme", DAY, score=55.0, band=HealthBand.YELLOW, band_since=days(10))
    with pytest.raises(InvalidValueError, match="days_in_band"):
        ENGINE.step(state, snap(as_of=days(1), **{signals.HEALTH_SCORE: 55}))


def test_a_left_out_alert_of_a_rule_whose_alerts_fail_their_checks_still_fails():
    """A rule set does not check a rule's source; its alerts do. An alert left out is still built for such a rule,
    so the step raises as the full step does."""
    rule = DEFAULT_RULE_SET.rule("H4")
    odd = Engine(attrs.evolve(DEFAULT_RULE_SET.select("H4"), rules=(attrs.evolve(rule, source=123),)))
    with pytest.raises(InvalidTypeError, match="source=123") as full:
        odd.step(None, snap(**{T: 3}))
    with pytest.raises(InvalidTypeError, match="source=123") as left_out:
        odd._step(None, snap(**{T: 3}), None, (days(30), at(days(30))))
    assert str(full.value) == str(left_out.value)


def test_a_state_built_by_hand_from_lists_is_checked_and_kept_as_tuples():
    """The engine builds its states from checked values; a state built by hand goes through the checks (lists of
    rule ids and dates become sorted tuples) and steps on like the engine's own."""
    state = AccountState("acme", DAY, active=["H4"], budget_log=[DAY], last_fired={"H4": DAY}, open={"H4": DAY})
    assert (state.active, state.budget_log) == (("H4",), (DAY,))
    again, alerts = ENGINE.step(state, snap(as_of=days(1), **{T: 3}))
    assert (again.active, again.budget_log, alerts) == (("H4",), (DAY,), ())
