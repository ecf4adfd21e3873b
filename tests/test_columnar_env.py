"""The Env of a columnar evaluation checks its arguments: a PostsaleError naming the field, never a builtin error."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from postsale import InvalidTypeError, UnknownNameError
from postsale._columnar import Env

DAY = date(2026, 1, 5)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"names": ZoneInfo("UTC")}, "names"),
        ({"names": [Decimal(1)]}, "names[0]"),
        ({"names": "nps"}, "names"),
        ({"as_of": ""}, "as_of"),
        ({"as_of": datetime(2026, 1, 5)}, "as_of"),
        ({"computed": -48}, "computed"),
    ],
)
def test_env_refuses_wrong_typed_arguments(kwargs: dict[str, Any], field: str) -> None:
    """names, as_of and computed of the wrong type are refused, naming the argument."""
    with pytest.raises(InvalidTypeError) as info:
        Env(**({"names": ["nps"], "as_of": DAY} | kwargs))
    assert field == info.value.field


def test_env_refuses_an_unknown_day_mode() -> None:
    """days is one of its modes."""
    with pytest.raises(UnknownNameError, match="days"):
        Env(["nps"], as_of=DAY, days="")


def test_env_takes_a_schema_as_its_names() -> None:
    """A mapping of column names (a frame's schema) gives its keys."""
    assert frozenset({"nps", "previous.band"}) == Env({"nps": 1, "previous\u00b7band": 2}, as_of=DAY).names


@pytest.mark.parametrize("method", ["has", "column", "previous", "days_until", "days_since", "active"])
def test_env_methods_refuse_a_name_that_is_not_text(method: str) -> None:
    """Every method taking a column name refuses a non-string, naming it (rule_id for active)."""
    with pytest.raises(InvalidTypeError) as info:
        getattr(Env(["nps"], as_of=DAY), method)({})
    assert ("rule_id" if method == "active" else "name") == info.value.field
