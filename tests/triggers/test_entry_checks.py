"""Public entry points refuse garbage with a PostsaleError naming the field (no bare TypeError escapes)."""

from __future__ import annotations

from typing import Any

import pytest

from postsale import InvalidTypeError, InvalidValueError
from postsale.triggers import DEFAULT_RULE_SET, Engine, RuleSet, RunResult
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
