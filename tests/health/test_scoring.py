"""Component scorings: bands with explicit ends, linear, bounded-linear."""



from __future__ import annotations

import math

import pytest

from postsale import DefinitionError, InvalidTypeError, InvalidValueError
from postsale.health import NPS_BANDS, SEAT_UTILISATION_BANDS, Band, Bands, BoundedLinear, Linear


def paths(exc: pytest.ExceptionInfo[DefinitionError]) -> list[str]:
    return [p.path for p in exc.value.problems]


# ---- Band -------------------------------------------------------------------------------------------


def test_band_lower_end_inclusive_by_default():
    """A band includes its lower end and excludes its upper end by default."""
    band = Band(40, 0.3, 0.5)
    assert [True, True, False, False] == [band.contains(0.3), band.contains(0.4999), band.contains(0.5),
                                          band.contains(0.2999)]


def test_band_explicit_exclusive_lower_and_inclusive_upper():
    """Both ends can be flipped explicitly."""
    band = Band(40, 0.3, 0.5, lower_inclusive=False, upper_inclusive=True)
    assert [False, True, True] == [band.contains(0.3), band.contains(0.4), band.contains(0.5)]


def test_band_unbounded_ends():
    """``None`` ends are unbounded."""
    assert (True, True) == (Band(1, None, 0).contains(-1e300), Band(1, 0, None).contains(1e300))


def test_single_value_band():
    """A band with equal, inclusive ends holds exactly that value."""
    band = Band(100, 1, 1, upper_inclusive=True)
    assert (True, False, "x = 1") == (band.contains(1), band.contains(1.0001), band.describe())


@pytest.mark.parametrize(
    ("band", "expected"),
    [
        (Band(1, 0.3, 0.5), "0.3 <= x < 0.5"),
        (Band(1, 0.3, 0.5, lower_inclusive=False, upper_inclusive=True), "0.3 < x <= 0.5"),
        (Band(1, None, 0.3), "x < 0.3"),
        (Band(1, None, 0.3, upper_inclusive=True), "x <= 0.3"),
        (Band(1, 0.7, None), "x >= 0.7"),
        (Band(1, 0.7, None, lower_inclusive=False), "x > 0.7"),
        (Band(1), "any x"),
    ],
)
def test_band_describe(band, expected):
    """A band describes itself as an inequality."""
    assert expected == band.describe()


def test_band_reports_every_problem():
    """A bad band lists every problem at once."""
    with pytest.raises(DefinitionError) as exc:
        Band(101, math.nan, 1, upper_inclusive="yes")  # type: ignore[arg-type]
    assert ["points", "lower", "upper_inclusive"] == paths(exc)


def test_band_lower_above_upper():
    """A band whose lower end is above its upper end is refused."""
    with pytest.raises(DefinitionError) as exc:
        Band(1, 2, 1)
    assert ["lower"] == paths(exc)


def test_band_empty_single_value():
    """Equal ends that are not both inclusive make an empty band."""
    with pytest.raises(DefinitionError) as exc:
        Band(1, 1, 1)
    assert ["upper"] == paths(exc)


def test_band_points_type():
    """Points must be a number, not a bool or string."""
    with pytest.raises(DefinitionError) as exc:
        Band(True, 0, 1)  # type: ignore[arg-type]
    assert ["points"] == paths(exc)


def test_band_points_below_zero():
    """Points below 0 are refused."""
    with pytest.raises(DefinitionError, match="below 0"):
        Band(-1, 0, 1)


# ---- Bands ------------------------------------------------------------------------------------------


def test_thresholds_both_sides_of_each_cut():
    """Lower-inclusive thresholds score each cut with the band above it."""
    seats = Bands.thresholds(below=15, at_least=[(0.3, 45), (0.5, 65), (0.7, 100)])
    values = [0.2999, 0.3, 0.4999, 0.5, 0.6999, 0.7, 5.0]
    assert [15, 45, 45, 65, 65, 100, 100] == [seats.points(v) for v in values]


def test_bands_with_closed_top_refuse_values_above():
    """A value above a closed last band lies in no band and is refused naming the field."""
    with pytest.raises(InvalidValueError) as exc:
        NPS_BANDS.points(10.5, field="signals['nps']")
    assert ("signals['nps']", 10.5) == (exc.value.field, exc.value.value)
    assert "0 <= x <= 10" in str(exc.value)


def test_bands_nan_refused():
    """NaN is refused, never placed in a band."""
    with pytest.raises(InvalidValueError, match="finite"):
        SEAT_UTILISATION_BANDS.points(math.nan)


def test_bands_string_refused():
    """A string is refused as a type error."""
    with pytest.raises(InvalidTypeError):
        SEAT_UTILISATION_BANDS.points("0.5")  # type: ignore[arg-type]


def test_bands_describe_value():
    """Bands say which band a value fell in and its points."""
    assert ("0 <= nps < 7 → 25 points", "nps = 11 is outside every band") == (
        NPS_BANDS.describe(6, "nps"),
        NPS_BANDS.describe(11, "nps"),
    )


def test_bands_gap_reported():
    """Bands that leave a gap are refused with the path of the later band."""
    with pytest.raises(DefinitionError, match="gap after bands") as exc:
        Bands((Band(1, 0, 1), Band(2, 2, 3)))
    assert ["bands[1].lower"] == paths(exc)


def test_bands_overlap_reported():
    """Overlapping bands are refused."""
    with pytest.raises(DefinitionError, match="overlaps bands"):
        Bands((Band(1, 0, 2), Band(2, 1, 3)))


def test_bands_overlap_at_shared_end():
    """Both bands including the shared end overlap on that value."""
    with pytest.raises(DefinitionError, match="overlap at 1"):
        Bands((Band(1, 0, 1, upper_inclusive=True), Band(2, 1, 3)))


def test_bands_gap_at_shared_end():
    """Neither band including the shared end leaves a one-value gap."""
    with pytest.raises(DefinitionError, match="gap at 1"):
        Bands((Band(1, 0, 1), Band(2, 1, 3, lower_inclusive=False)))


def test_bands_open_end_in_the_middle():
    """Only the first band may be open below and the last open above."""
    with pytest.raises(DefinitionError, match="only the first band"):
        Bands((Band(1, 0, None), Band(2, 1, 3)))


def test_bands_empty():
    """At least one band is needed."""
    with pytest.raises(DefinitionError) as exc:
        Bands(())
    assert ["bands"] == paths(exc)


def test_bands_not_a_band():
    """Every item must be a Band."""
    with pytest.raises(DefinitionError, match="expected a Band"):
        Bands((Band(1, 0, 1), (2, 1, 3)))  # type: ignore[arg-type]


def test_bands_every_problem_at_once():
    """A gap and an overlap are reported together, each with its path."""
    with pytest.raises(DefinitionError) as exc:
        Bands((Band(1, 0, 1), Band(2, 2, 3), Band(3, 2.5, 4)))
    assert ["bands[1].lower", "bands[2].lower"] == paths(exc)


def test_bands_one_bad_band_among_good():
    """A band with bad points is reported with its index and the contiguity of its neighbours is skipped."""
    good = Band(1, 0, 1)
    bad = object.__new__(Band)
    object.__setattr__(bad, "points", 200)
    object.__setattr__(bad, "lower", 1)
    object.__setattr__(bad, "upper", 2)
    object.__setattr__(bad, "lower_inclusive", True)
    object.__setattr__(bad, "upper_inclusive", False)
    with pytest.raises(DefinitionError) as exc:
        Bands((good, bad, Band(3, 2, 3)))
    assert ["bands[1].points"] == paths(exc)


def test_thresholds_out_of_order():
    """Thresholds out of order make overlapping bands, which are refused."""
    with pytest.raises(DefinitionError):
        Bands.thresholds(below=0, at_least=[(0.5, 50), (0.3, 70)])


# ---- Linear -----------------------------------------------------------------------------------------


def test_linear_scales():
    """Linear multiplies and shifts: NPS 0-10 with slope 10."""
    assert (0.0, 75.0, 100.0) == (Linear(slope=10).points(0), Linear(slope=10).points(7.5), Linear(slope=10).points(10))


def test_linear_negative_slope():
    """A negative slope scores fewer as better."""
    assert 70.0 == Linear(slope=-10, intercept=100).points(3)


def test_linear_refuses_out_of_scale():
    """A result above 100 is refused (wrong scale), not clamped."""
    with pytest.raises(InvalidValueError, match="BoundedLinear") as exc:
        Linear().points(100.5, field="signals['sentiment']")
    assert "signals['sentiment']" == exc.value.field


def test_linear_refuses_below_zero():
    """A result below 0 is refused."""
    with pytest.raises(InvalidValueError, match="-1 points"):
        Linear().points(-1)


def test_linear_boundaries_accepted():
    """Exactly 0 and exactly 100 are accepted."""
    assert (0.0, 100.0) == (Linear().points(0), Linear().points(100))


def test_linear_formula():
    """The formula reads naturally."""
    assert ("x", "10 * nps", "-2 * t + 100", "2 * x - 5") == (
        Linear().formula(),
        Linear(slope=10).formula("nps"),
        Linear(slope=-2, intercept=100).formula("t"),
        Linear(slope=2, intercept=-5).formula(),
    )


def test_linear_describe():
    """Linear describes the rule and the points."""
    assert "10 * nps → 75 points" == Linear(slope=10).describe(7.5, "nps")


def test_linear_slope_zero_and_nan_intercept():
    """A zero slope and a NaN intercept are both reported."""
    with pytest.raises(DefinitionError) as exc:
        Linear(slope=0, intercept=math.nan)
    assert ["slope", "intercept"] == paths(exc)


# ---- BoundedLinear ----------------------------------------------------------------------------------


def test_bounded_linear_clamps_both_ends():
    """Values beyond either end score that end's points."""
    scoring = BoundedLinear(worst=10, best=20, worst_points=20, best_points=90)
    assert [20.0, 20.0, 55.0, 90.0, 90.0] == [scoring.points(v) for v in (0, 10, 15, 20, 30)]


def test_bounded_linear_less_is_better():
    """worst above best scores fewer as better (tickets per week)."""
    scoring = BoundedLinear(worst=6, best=0)
    assert [100.0, 50.0, 0.0, 0.0] == [scoring.points(v) for v in (0, 3, 6, 9)]


def test_bounded_linear_describe():
    """Bounded-linear describes its two ends and the points."""
    assert "t from 6 (0 points) to 0 (100 points) → 50 points" == BoundedLinear(worst=6, best=0).describe(3, "t")


def test_bounded_linear_nan_value():
    """NaN is refused."""
    with pytest.raises(InvalidValueError):
        BoundedLinear(worst=0, best=1).points(math.nan)


def test_bounded_linear_equal_ends():
    """Equal ends are refused."""
    with pytest.raises(DefinitionError) as exc:
        BoundedLinear(worst=1, best=1)
    assert ["best"] == paths(exc)


def test_bounded_linear_points_order_and_range():
    """Points above 100 and worst points above best points are refused."""
    with pytest.raises(DefinitionError) as exc:
        BoundedLinear(worst=0, best=1, worst_points=50, best_points=40)
    assert ["worst_points"] == paths(exc)
    with pytest.raises(DefinitionError) as exc2:
        BoundedLinear(worst=math.inf, best=1, best_points=140)
    assert ["worst", "best_points"] == paths(exc2)
