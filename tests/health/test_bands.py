"""The band policy: one definition of the cut-offs and the hysteresis, checked when built, round-tripping as data."""

from __future__ import annotations

import attrs
import pytest

import postsale
from postsale import DefinitionError, HealthBand, StructureError
from postsale.health import BAND_HYSTERESIS, BASIC_HEALTH_MODEL, GREEN_FROM, YELLOW_FROM, BandPolicy

G, Y, R = HealthBand.GREEN, HealthBand.YELLOW, HealthBand.RED


def paths(exc: pytest.ExceptionInfo[DefinitionError]) -> list[str]:
    return [p.path for p in exc.value.problems]


def test_defaults():
    """The defaults are GREEN >= 70, YELLOW >= 40, hysteresis 10, and the default model uses them."""
    policy = BandPolicy()
    assert (GREEN_FROM, YELLOW_FROM, BAND_HYSTERESIS) == (policy.green_from, policy.yellow_from, policy.hysteresis)
    assert policy == BASIC_HEALTH_MODEL.bands


@pytest.mark.parametrize(("score", "band"), [(70, G), (69.9, Y), (40, Y), (39.9, R), (100, G), (0, R)])
def test_cut_offs_are_inclusive_lower_ends(score, band):
    """Each cut-off belongs to the band above it."""
    assert band == BandPolicy().band(score)


@pytest.mark.parametrize(
    ("score", "previous", "expected"),
    [
        (45.0, R, R), (49.9, R, R), (50.0, R, Y), (80.0, R, G), (79.9, R, Y),  # leaving RED needs 50 (80 for GREEN)
        (79.9, Y, Y), (80.0, Y, G), (20.0, Y, R), (37.0, Y, Y), (36.9, Y, R),  # from YELLOW: up at 80, down below 37
        (69.9, G, G), (67.0, G, G), (66.9, G, Y), (70.0, G, G), (40.0, G, Y), (36.9, G, R),  # GREEN: down below 67
        (37.0, G, Y),  # a fall across two cut-offs stops in the band whose margin it cleared
        (40.0, None, Y), (70.0, None, G),  # no history: plain bands
    ],
)
def test_hysteresis(score, previous, expected):
    """Going down is immediate; going up needs the cut-off plus the hysteresis."""
    assert expected == BandPolicy().band(score, previous=previous)


def test_no_hysteresis():
    """With hysteresis 0 the band follows the cut-offs both ways."""
    assert Y == BandPolicy(hysteresis=0).band(40, previous=R)


def test_custom_cut_offs():
    """A 90 / 60 policy makes 41.7 RED."""
    assert R == BandPolicy(green_from=90, yellow_from=60).band(41.7)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"green_from": 40, "yellow_from": 40}, ["yellow_from"]),
        ({"green_from": 101, "yellow_from": 0}, ["green_from", "yellow_from"]),
        ({"green_from": 40, "yellow_from": 70}, ["yellow_from"]),
        ({"green_from": 170, "hysteresis": "x"}, ["green_from", "hysteresis"]),
        ({"hysteresis": -1}, ["hysteresis"]),
        ({"hysteresis": float("nan")}, ["hysteresis"]),
    ],
)
def test_problems(kwargs, expected):
    """Bad cut-offs and hysteresis are all reported at once, with their fields."""
    with pytest.raises(DefinitionError) as exc:
        BandPolicy(**kwargs)
    assert expected == paths(exc)


def test_describe():
    """A policy describes itself in words."""
    assert "GREEN >= 70, YELLOW 40 to < 70, RED < 40" == BandPolicy(hysteresis=0, drop_margin=0).describe()
    assert BandPolicy(drop_margin=0).describe().endswith("moving up needs 10 points above a cut-off")
    assert BandPolicy().describe().endswith("; moving down needs 3 points below it")


@pytest.mark.parametrize(("score", "expected"), [(69.0, G), (65.5, Y)])
def test_drop_margin_is_configurable(score, expected):
    """With ``drop_margin=4`` GREEN is left below 66: 69 stays GREEN, 65.5 turns YELLOW; 0 follows the cut-off."""
    assert expected == BandPolicy(drop_margin=4).band(score, previous=G)
    assert Y == BandPolicy(drop_margin=0).band(69.9, previous=G)


@pytest.mark.parametrize("margin", [-0.1, 100.1, float("nan")])
def test_drop_margin_outside_0_to_100_is_refused(margin):
    """A negative, over-100 or NaN drop margin is a DefinitionError naming the field."""
    with pytest.raises(DefinitionError) as exc:
        BandPolicy(drop_margin=margin)
    assert "drop_margin" in str(exc.value)


def test_round_trip():
    """A band policy round-trips through plain data, alone and inside a model."""
    policy = BandPolicy(green_from=90, yellow_from=60, hysteresis=5, drop_margin=2)
    assert {"green_from": 90, "yellow_from": 60, "hysteresis": 5, "drop_margin": 2} == postsale.to_data(policy)
    assert BandPolicy() == postsale.from_data(BandPolicy, {"green_from": 70, "yellow_from": 40, "hysteresis": 10})
    assert policy == postsale.from_data(BandPolicy, postsale.to_data(policy))
    model = attrs.evolve(BASIC_HEALTH_MODEL, bands=policy)
    assert model == postsale.from_data(type(model), postsale.to_data(model))


def test_bad_policy_from_data_names_the_path():
    """Loading a bad policy inside a model reports the path of each problem."""
    data = postsale.to_data(BASIC_HEALTH_MODEL)
    data["bands"] = {"green_from": 50, "yellow_from": 60, "hysteresis": -2}
    with pytest.raises(StructureError) as exc:
        postsale.from_data(type(BASIC_HEALTH_MODEL), data)
    assert ["$.bands.hysteresis", "$.bands.yellow_from"] == sorted(p.path for p in exc.value.problems)
