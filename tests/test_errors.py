"""The error hierarchy: one root, builtin bases, messages that say field, value, rule and what to do."""

from __future__ import annotations

from datetime import UTC, date
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from postsale import (
    DefinitionError,
    InvalidTypeError,
    InvalidValueError,
    NaiveDatetimeError,
    OutOfOrderError,
    PostsaleError,
    Problem,
    StructureError,
    TransitionRefused,
    UnknownNameError,
)
from postsale._checks import aware, money, number, text


@pytest.mark.parametrize(
    ("cls", "builtin"),
    [(InvalidValueError, ValueError), (InvalidTypeError, TypeError), (NaiveDatetimeError, ValueError),
     (OutOfOrderError, ValueError), (UnknownNameError, LookupError), (DefinitionError, ValueError),
     (StructureError, ValueError), (TransitionRefused, ValueError)],
)
def test_every_error_derives_from_the_root_and_a_builtin(cls: type, builtin: type) -> None:
    """Each error is a PostsaleError and the matching builtin."""
    assert issubclass(cls, PostsaleError)
    assert issubclass(cls, builtin)


def test_message_names_field_value_rule_and_hint() -> None:
    """The message is built from field, value, constraint and hint."""
    err = InvalidValueError("is negative", field="acv", value=-1, constraint="must be >= 0", hint="pass >= 0")
    assert str(err) == "acv=-1: is negative; rule: must be >= 0; instead: pass >= 0"
    assert (err.field, err.value, err.constraint, err.hint) == ("acv", -1, "must be >= 0", "pass >= 0")


def test_message_without_field() -> None:
    """Without a field the message is just the sentence."""
    assert str(PostsaleError("something")) == "something"
    assert str(PostsaleError("x", field="f")) == "f: x"


def test_problems_error_lists_every_problem() -> None:
    """DefinitionError lists every problem with its path, and names the first path as its field."""
    err = DefinitionError("bad", [Problem("$.a", "one"), Problem("$.b[2]", "two")], hint="fix them")
    assert err.problems == (Problem("$.a", "one"), Problem("$.b[2]", "two"))
    assert str(err) == "bad (2 problem(s)):\n  - one @ $.a\n  - two @ $.b[2]\ninstead: fix them"
    assert err.field == "$.a"


def test_check_helpers_raise_documented_errors() -> None:
    """The shared checks refuse bools, non-numbers, infinities, naive datetimes and blank text."""
    from datetime import datetime

    with pytest.raises(InvalidTypeError):
        number("x", True)
    with pytest.raises(InvalidValueError):
        number("x", float("inf"))
    with pytest.raises(InvalidValueError):
        money("x", "NaN")
    with pytest.raises(NaiveDatetimeError, match="attach a time zone"):
        aware("due", datetime(2026, 1, 1))
    with pytest.raises(InvalidTypeError):
        aware("due", "2026-01-01")
    assert aware("due", datetime(2026, 1, 1, tzinfo=UTC)).tzinfo is UTC
    with pytest.raises(InvalidValueError):
        text("name", "")
    assert money("x", -5, allow_negative=True) == -5


def test_without_value_keeps_every_word_but_the_value() -> None:
    """An error's words without its value: field, message, rule and what to do instead, and never the value."""
    from postsale import InvalidValueError

    error = InvalidValueError("is negative", field="acv", value=-5, constraint="must be >= 0", hint="pass >= 0")
    assert "acv=-5: is negative; rule: must be >= 0; instead: pass >= 0" == str(error)
    assert "acv: is negative; rule: must be >= 0; instead: pass >= 0" == error.without_value()


def test_building_an_error_never_fails_on_odd_arguments() -> None:
    """Wrong-typed arguments of an error are shown as text: the error is built and rendered, never a builtin error."""
    day = date(903, 11, 28)
    assert [Problem("$", repr(day))] == list(DefinitionError("bad", day).problems)  # type: ignore[arg-type]
    assert [Problem("$", "Decimal('1')"), Problem("$.x", "m")] == list(
        StructureError("bad", [Decimal(1), Problem("$.x", "m")]).problems  # type: ignore[list-item]
    )
    refused = TransitionRefused(ZoneInfo("UTC"), track=5, from_stage=None, to_stage=None,  # type: ignore[arg-type]
                                missing=date(436, 7, 29), allowed_causes="CHURN_RISK")  # type: ignore[arg-type]
    assert ("zoneinfo.ZoneInfo(key='UTC')", "5", ("datetime.date(436, 7, 29)",), ("CHURN_RISK",)) == (
        refused.message, refused.track, refused.missing, refused.allowed_causes
    )
    huge = InvalidValueError("is too large", field=Decimal("-0"), value=10**5000)  # type: ignore[arg-type]
    assert str(huge).startswith("Decimal('-0')=<an int of about 5001 digits>: is too large")
