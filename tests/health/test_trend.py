"""Trends: a component that scores a signal over a baseline signal (this week's logins over last week's)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

import postsale
from postsale import AccountSnapshot, DefinitionError, InvalidTypeError, InvalidValueError
from postsale.health import Bands, Component, Freshness, HealthModel, Linear, MissingData, Treatment
from postsale.health._component import TREND_LIMIT

AS_OF = date(2026, 3, 31)
TREND = Component("trend", "logins_week", Bands.thresholds(below=20, at_least=[(0.9, 100)]), 1.0,
                  missing=MissingData(stale_after_days=30), relative_to="logins_prev_week")


def score(**values: float) -> Any:
    model = HealthModel((TREND, Component("mood", "sentiment", Linear(), 1.0)), name="t", version="1")
    return model.score(AccountSnapshot("acme", "SMB", AS_OF, signals={"sentiment": 50, **values}))


@pytest.mark.parametrize(
    ("evidence", "expected"),
    [
        ({"logins_week": 45.0, "logins_prev_week": 50.0}, 0.9),
        ({"logins_week": 0.0, "logins_prev_week": 50.0}, 0.0),
        ({"logins_week": 45.0, "logins_prev_week": 0.0}, None),
        ({"logins_week": 45.0}, None),
        ({"logins_prev_week": 50.0}, None),
        ({"logins_week": 45, "logins_prev_week": 50}, 0.9),
    ],
)
def test_read_is_the_ratio_or_nothing(evidence: dict[str, float], expected: float | None) -> None:
    """The input is signal / baseline; without either, or with a baseline of 0, there is no trend to read."""
    assert expected == TREND.read(evidence)


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({}, "no 'logins_week' signal"),
        ({"logins_week": 5}, "no 'logins_prev_week' signal to compare 'logins_week' with"),
        ({"logins_week": 5, "logins_prev_week": 0}, "'logins_prev_week' is 0, so there is no trend to read"),
    ],
)
def test_a_missing_trend_says_why(values: dict[str, float], reason: str) -> None:
    """A trend without an input is left out, and the score says which signal was missing or zero."""
    result = score(**values).component("trend")
    assert (Freshness.MISSING, Treatment.EXCLUDED, reason) == (result.freshness, result.treatment, result.rule)


def test_a_scored_trend_names_both_signals() -> None:
    """A scored trend carries the ratio as its input and names ``signal/baseline`` in its rule."""
    result = score(logins_week=45, logins_prev_week=50).component("trend")
    assert ("logins_week/logins_prev_week", 0.9, 100.0) == (result.signal, result.input, result.points)
    assert "logins_week/logins_prev_week >= 0.9 → 100 points" == result.rule
    assert 20.0 == score(logins_week=44.99, logins_prev_week=50).component("trend").points


@pytest.mark.parametrize(("age", "treatment"), [(30.0, Treatment.SCORED), (31.0, Treatment.EXCLUDED)])
def test_a_trend_goes_stale_with_its_signal(age: float, treatment: Treatment) -> None:
    """The trend's age is its signal's: exactly 30 days old it counts, 31 days old it is left out."""
    result = score(logins_week=45, logins_prev_week=50, logins_week_age_days=age).component("trend")
    assert treatment == result.treatment


@pytest.mark.parametrize(("value", "expected"), [(1e15, TREND_LIMIT), (-1e15, -TREND_LIMIT)])
def test_a_tiny_baseline_caps_the_trend(value: float, expected: float) -> None:
    """A trend over a vanishing baseline is capped at ±1e15 instead of overflowing to infinity."""
    assert expected == TREND.read({"logins_week": value, "logins_prev_week": 5e-324})


def test_a_refused_trend_names_both_signals() -> None:
    """A trend the scoring refuses is an error whose field names the signal and its baseline."""
    off_scale = Component("t", "a", Linear(), 1.0, relative_to="b")
    with pytest.raises(InvalidValueError, match=r"signals\['a'\]/signals\['b'\]=101"):
        HealthModel((off_scale,), name="t", version="1").score(
            AccountSnapshot("x", "SMB", AS_OF, signals={"a": 101, "b": 1}))


@pytest.mark.parametrize(("baseline", "message"), [("logins_week", "is the signal itself"), (" ", "non-empty name")])
def test_a_baseline_must_be_another_signal(baseline: str, message: str) -> None:
    """A baseline that is the signal itself (a trend of 1 forever) or blank is refused, with its path."""
    with pytest.raises(DefinitionError, match=message) as exc:
        Component("t", "logins_week", Linear(), 1.0, relative_to=baseline)
    assert ["relative_to"] == [p.path for p in exc.value.problems]


def test_read_refuses_what_is_not_evidence() -> None:
    """Evidence that is not a mapping, or a value that is not a number, is refused naming it."""
    with pytest.raises(InvalidTypeError, match="evidence"):
        TREND.read([1.0])  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="evidence"):
        TREND.missing_reason("logins")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"signals\['logins_prev_week'\]"):
        TREND.read({"logins_week": 1.0, "logins_prev_week": "many"})  # type: ignore[dict-item]
    with pytest.raises(InvalidTypeError, match=r"signals\['logins_week'\]"):
        TREND.read({"logins_week": "many"})  # type: ignore[dict-item]


def test_a_one_signal_component_reads_its_signal() -> None:
    """Without a baseline a component reads its signal as it is, and names only it."""
    plain = Component("mood", "sentiment", Linear(), 1.0)
    assert (55.0, None, "sentiment", ("sentiment",), "signals['sentiment']") == (
        plain.read({"sentiment": 55.0}), plain.read({}), plain.quantity, plain.signals, plain.field)
    assert ("logins_week", "logins_prev_week") == TREND.signals


def test_a_trend_round_trips_and_a_plain_component_writes_no_baseline() -> None:
    """``relative_to`` is written when set and left out when not; both read back equal."""
    plain = Component("mood", "sentiment", Linear(), 1.0)
    assert "relative_to" not in postsale.to_data(plain)
    assert "logins_prev_week" == postsale.to_data(TREND)["relative_to"]
    for value in (plain, TREND):
        assert value == postsale.from_json(Component, postsale.to_json(value))
