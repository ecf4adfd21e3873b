"""Public entry points refuse garbage with a PostsaleError naming the field (no bare TypeError escapes)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from postsale import InvalidTypeError, InvalidValueError
from postsale.triggers import DEFAULT_RULE_SET, AccountState, Context, Engine, RuleSet, RunResult
from tests.triggers._helpers import snap


def error_of(call: Any) -> InvalidTypeError:
    """The InvalidTypeError ``call()`` raises."""
    with pytest.raises(InvalidTypeError) as info:
        call()
    return info.value


def test_rule_set_rules_must_be_a_collection() -> None:
    """RuleSet refuses rules=None and a string of custom signals, naming each field."""
    error = error_of(lambda: RuleSet("1", None))  # type: ignore[arg-type]
    assert ("rules", "pass a list or tuple (an empty one is fine)") == (error.field, error.hint)
    assert "custom_signals" == error_of(
        lambda: RuleSet("1", DEFAULT_RULE_SET.rules, custom_signals="nps_score")
    ).field


def test_run_result_states_must_be_a_mapping() -> None:
    """RunResult names 'states' when it is not a mapping."""
    assert "states" == error_of(lambda: RunResult([])).field  # type: ignore[arg-type]


def test_run_result_states_must_hold_account_states() -> None:
    """Each state is checked and named by its account id."""
    assert "states['a']" == error_of(lambda: RunResult({"a": None})).field  # type: ignore[dict-item]


def test_run_result_state_keys_must_be_account_ids() -> None:
    """A key that is not a non-empty string is refused."""
    state, _ = Engine(DEFAULT_RULE_SET).step(None, snap())
    with pytest.raises(InvalidValueError) as info:
        RunResult({1: state})  # type: ignore[dict-item]
    assert "states (a key)" == info.value.field


def test_engine_refuses_rules_of_the_wrong_type() -> None:
    """An engine needs a RuleSet: plain data is refused, naming 'rule_set'."""
    assert "rule_set" == error_of(lambda: Engine({"version": "1"})).field  # type: ignore[arg-type]


def test_engine_step_refuses_a_state_of_the_wrong_type() -> None:
    """A state that is neither None nor an AccountState is named 'state' with what to pass."""
    error = error_of(lambda: Engine(DEFAULT_RULE_SET).step({}, snap()))  # type: ignore[arg-type]
    assert "state" == error.field
    assert "pass None for an account's first step" in str(error)


_DAY = date(2026, 3, 2)


@pytest.mark.parametrize(("build", "field"), [
    (lambda: AccountState("", _DAY), "account_id"),
    (lambda: AccountState("  ", _DAY), "account_id"),
    (lambda: AccountState("a", _DAY, score=float("nan")), "score"),
    (lambda: AccountState("a", _DAY, score=float("-inf")), "score"),
    (lambda: AccountState("a", _DAY, previous={"nps": float("nan")}), "previous['nps']"),
    (lambda: AccountState("a", _DAY, previous={"nps": 10**400}), "previous['nps']"),
    (lambda: AccountState("a", _DAY, previous={5: 1.0}), "previous"),
    (lambda: AccountState("a", _DAY, last_fired={5: _DAY}), "last_fired"),
    (lambda: AccountState("a", _DAY, open={5: _DAY}), "open"),
    (lambda: Context(days_in_band=-1), "days_in_band"),
    (lambda: Context(score=float("inf")), "score"),
    (lambda: Context(previous_score=float("nan")), "previous_score"),
    (lambda: Context(previous={"nps": float("inf")}), "previous['nps']"),
    (lambda: Context(active=frozenset({5})), "active[0]"),  # type: ignore[arg-type]
])
def test_carried_state_refuses_what_only_types_hid(build: Any, field: str) -> None:
    """The state and the context check values, not only types, on their fast path: a blank id, NaN or infinite
    scores and signals, keys that are not names, a negative count of days are refused, naming the field."""
    with pytest.raises((InvalidTypeError, InvalidValueError)) as info:
        build()
    assert info.value.field == field


def test_carried_state_keeps_ints_a_float_can_hold() -> None:
    """An int signal within a float's range passes the fast path unchanged (a count of logins)."""
    assert AccountState("a", _DAY, previous={"logins": 10**300}).previous["logins"] == 10**300
    assert Context(previous={"logins": 3}, days_in_band=0).previous["logins"] == 3
