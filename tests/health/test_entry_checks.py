"""Public entry points refuse garbage with a PostsaleError naming the field (no bare TypeError escapes)."""

from __future__ import annotations

from datetime import date

import pytest

from postsale import InvalidTypeError
from postsale.health import Bands, Component, HealthModel, Linear, Pulse


def test_bands_must_be_a_collection() -> None:
    """Bands(None) names 'bands' and asks for a list or tuple."""
    with pytest.raises(InvalidTypeError) as info:
        Bands(None)  # type: ignore[arg-type]
    assert ("bands", "pass a list or tuple (an empty one is fine)") == (info.value.field, info.value.hint)


def test_model_components_must_be_a_collection() -> None:
    """HealthModel refuses components given as a single value, naming 'components'."""
    with pytest.raises(InvalidTypeError) as info:
        HealthModel(Component("a", "a", Linear(), 1), "m", "1")  # type: ignore[arg-type]
    assert "components" == info.value.field
    assert "expected a collection, got Component" in str(info.value)


def test_component_weight_and_model_names_may_be_positional() -> None:
    """weight, name and version are plain (positional or keyword) required arguments."""
    component = Component("a", "a", Linear(), 0.5)
    assert HealthModel((component,), "m", "1") == HealthModel(
        (Component("a", "a", Linear(), weight=0.5),), name="m", version="1"
    )


def test_pulse_fields_may_be_positional() -> None:
    """Pulse takes its author, reason and dates positionally too."""
    on, until = date(2026, 1, 10), date(2026, 3, 10)
    assert Pulse(30, "aiko", "champion left", on, until) == Pulse(
        30, author="aiko", reason="champion left", assessed_on=on, expires_on=until
    )
