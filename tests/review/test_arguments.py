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
