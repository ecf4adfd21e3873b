"""review_account checks its keyword arguments: a wrong settings or engine names the argument (found by the fuzzer)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from postsale import AccountSnapshot, InvalidTypeError, review_account
from postsale.review import DEFAULT_REVIEW_SETTINGS
from postsale.triggers import Engine

ACME = AccountSnapshot("acme", "SMB", date(2026, 3, 2), signals={"nps": 8})


@pytest.mark.parametrize(("argument", "value"), [("settings", "true"), ("settings", {"rule_set": 1}),
                                                  ("engine", -48), ("engine", Decimal("-sNaN"))])
def test_review_account_names_a_wrong_settings_or_engine(argument: str, value: Any) -> None:
    """review_account(settings='true') is an InvalidTypeError on 'settings', not an AttributeError."""
    with pytest.raises(InvalidTypeError) as info:
        review_account(ACME, **{argument: value})
    assert argument == info.value.field


def test_review_account_reuses_a_given_engine() -> None:
    """An engine built once gives the same review as the one built from the settings."""
    engine = Engine(DEFAULT_REVIEW_SETTINGS.rule_set, health_model=DEFAULT_REVIEW_SETTINGS.health_model)
    assert review_account(ACME, engine=engine) == review_account(ACME)


def test_the_latest_snapshot_is_scored_once_and_the_history_once_each(monkeypatch: pytest.MonkeyPatch) -> None:
    """The review's health score of the latest snapshot is the one its alerts read: the engine scores only the
    history, once a snapshot; an engine with another health model scores the latest snapshot itself."""
    from datetime import timedelta

    from postsale.review import AccountInput

    history = [AccountSnapshot("acme", "SMB", ACME.as_of - timedelta(days=7 * k), signals={"nps": 9 - k})
               for k in (3, 2, 1)]
    scored: list[date] = []
    real = Engine._score
    monkeypatch.setattr(Engine, "_score", lambda self, snap: scored.append(snap.as_of) or real(self, snap))
    engine = Engine(DEFAULT_REVIEW_SETTINGS.rule_set, health_model=DEFAULT_REVIEW_SETTINGS.health_model)
    review = review_account(AccountInput(ACME, history=history), engine=engine)
    assert scored == [snap.as_of for snap in history]
    assert review.trigger_state is not None and review.health is not None
    assert review.trigger_state.score == review.health.value
    scored.clear()
    other = Engine(DEFAULT_REVIEW_SETTINGS.rule_set)  # the health score signal, not the settings' model
    review_account(AccountInput(ACME, history=history), engine=other)
    assert scored == [*(snap.as_of for snap in history), ACME.as_of]
