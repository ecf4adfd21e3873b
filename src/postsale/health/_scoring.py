"""Component scorings: how one raw signal becomes 0-100 points (domain-spec §4.1, §4.2).

Three kinds, all plain data:

* :class:`Bands` - contiguous intervals with explicit inclusive / exclusive ends, each worth fixed points;
* :class:`Linear` - ``points = intercept + slope * value`` for signals already on a known scale; a result
  outside 0-100 is refused (it means the input is on the wrong scale), never clamped;
* :class:`BoundedLinear` - linear between a *worst* and a *best* value, constant beyond them (clamped).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import ClassVar, Final, TypeAlias

import attrs

from postsale import _checks
from postsale._errors import InvalidValueError
from postsale.health._problems import Problems

__all__ = ["Band", "Bands", "BoundedLinear", "Linear", "Scoring"]

MIN_POINTS: Final = 0.0
"""Lowest points a component can score."""
MAX_POINTS: Final = 100.0
"""Highest points a component can score (the health scale is 0-100, domain-spec §4.2, A-4)."""


def _num(value: float) -> str:
    """Format a number for sentences: ``0.7``, ``15``, ``1e+06``."""
    return f"{value:g}"


@attrs.frozen
class Band:
    """One interval of raw values worth fixed points.

    An end given as ``None`` is unbounded (its ``*_inclusive`` flag is then ignored). The default
    ends are lower-inclusive, upper-exclusive: ``Band(40, 0.3, 0.5)`` is ``0.3 <= x < 0.5``.

    Args:
        points: Points (0-100) a value inside the band scores.
        lower: Lower end, or ``None`` for no lower end.
        upper: Upper end, or ``None`` for no upper end.
        lower_inclusive: Whether ``lower`` itself is inside.
        upper_inclusive: Whether ``upper`` itself is inside.

    Raises:
        DefinitionError: points outside 0-100, a non-finite end, ``lower`` above ``upper``, an empty band.

    Examples:
        >>> Band(40, 0.3, 0.5).describe("usage")
        '0.3 <= usage < 0.5'
        >>> Band(100, 9, 10, upper_inclusive=True).contains(10)
        True
    """

    points: float
    lower: float | None = None
    upper: float | None = None
    lower_inclusive: bool = attrs.field(default=True, kw_only=True)
    upper_inclusive: bool = attrs.field(default=False, kw_only=True)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _band_problems(self, "", problems)
        problems.raise_if_any("band", "pass points in 0-100 and finite ends with lower <= upper")

    def contains(self, value: float) -> bool:
        """Return whether ``value`` lies in the band."""
        lower, upper = self.lower, self.upper
        if lower is not None and (value < lower or (value == lower and not self.lower_inclusive)):
            return False
        return not (upper is not None and (value > upper or (value == upper and not self.upper_inclusive)))

    def describe(self, name: str = "x") -> str:
        """Return the band as an inequality over ``name``, e.g. ``'0.3 <= x < 0.5'``."""
        lower, upper = self.lower, self.upper
        if lower is not None and upper is not None and lower == upper:
            return f"{name} = {_num(lower)}"
        left = "" if lower is None else f"{_num(lower)} {'<=' if self.lower_inclusive else '<'} "
        if upper is None:
            if lower is None:
                return f"any {name}"
            return f"{name} {'>=' if self.lower_inclusive else '>'} {_num(lower)}"
        return f"{left}{name} {'<=' if self.upper_inclusive else '<'} {_num(upper)}"


def _band_problems(band: Band, prefix: str, problems: Problems) -> None:
    problems.number(f"{prefix}points", band.points, low=MIN_POINTS, high=MAX_POINTS)
    ends_ok = True
    for end in ("lower", "upper"):
        value = getattr(band, end)
        if value is not None:
            ends_ok = problems.number(f"{prefix}{end}", value) and ends_ok
    for flag in ("lower_inclusive", "upper_inclusive"):
        if not isinstance(getattr(band, flag), bool):
            problems.add(f"{prefix}{flag}", f"expected true or false, got {getattr(band, flag)!r}")
            ends_ok = False
    if ends_ok and band.lower is not None and band.upper is not None:
        if band.lower > band.upper:
            problems.add(f"{prefix}lower", f"lower end {band.lower!r} is above upper end {band.upper!r}")
        elif band.lower == band.upper and not (band.lower_inclusive and band.upper_inclusive):
            problems.add(f"{prefix}upper", f"band [{band.lower!r}] is empty; make both ends inclusive for one value")


def _band_tuple(value: Iterable[Band]) -> tuple[Band, ...]:
    return _checks.items("bands", value)  # bad items are reported with every other problem (DefinitionError)


@attrs.frozen
class Bands:
    """Score a signal by the band it falls in: contiguous intervals, listed from low to high values.

    Adjacent bands must meet exactly: the upper end of one is the lower end of the next, and exactly
    one of the two includes it (no gap, no overlap). Only the first band may have no lower end and
    only the last no upper end; a value outside every band is refused when scoring.

    Args:
        bands: The bands, ordered by their ends.

    Raises:
        DefinitionError: no bands, a gap or an overlap, bands out of order, a bad band (every problem
            listed with its path, ``bands[2].upper``).

    Examples:
        >>> seats = Bands.thresholds(below=15, at_least=[(0.3, 45), (0.5, 65), (0.7, 100)])
        >>> seats.points(0.69), seats.points(0.7)
        (65.0, 100.0)
        >>> seats.describe(0.7, "seat_utilisation")
        'seat_utilisation >= 0.7 → 100 points'
    """

    kind: ClassVar[str] = "bands"
    """The tag of this scoring kind in plain data."""

    bands: tuple[Band, ...] = attrs.field(converter=_band_tuple)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _bands_problems(self, "", problems)
        problems.raise_if_any("bands scoring", "list contiguous bands from low to high values")

    @classmethod
    def thresholds(cls, *, below: float, at_least: Sequence[tuple[float, float]]) -> Bands:
        """Build lower-inclusive steps: ``x < t1`` scores ``below``, ``t1 <= x < t2`` the first points, ...

        Args:
            below: Points below the first threshold.
            at_least: ``(threshold, points)`` pairs in increasing threshold order; each threshold is
                inclusive (domain-spec conventions: 以上 = "or more").

        Returns:
            The bands, the last one unbounded above.

        Raises:
            DefinitionError: thresholds out of order or points outside 0-100.
        """
        cuts = [c for c, _ in at_least]
        lowers: list[float | None] = [None, *cuts]
        uppers: list[float | None] = [*cuts, None]
        points = [below, *(p for _, p in at_least)]
        return cls(tuple(Band(p, lo, hi) for p, lo, hi in zip(points, lowers, uppers, strict=True)))

    def band_of(self, value: float) -> Band | None:
        """Return the band containing ``value``, or ``None`` when no band does."""
        for band in self.bands:
            if band.contains(value):
                return band
        return None

    def points(self, value: float, *, field: str = "value") -> float:
        """Return the points of the band containing ``value``.

        Raises:
            InvalidValueError: ``value`` is NaN or lies outside every band.
        """
        band = self.band_of(_checks.number(field, value))
        if band is None:
            raise InvalidValueError(
                "lies outside every band of the scoring",
                field=field,
                value=value,
                constraint=f"covered: {self.covered()}",
                hint="check the signal's unit or add a band for this range",
            )
        return float(band.points)

    def covered(self) -> str:
        """Return the covered range as text, e.g. ``'0 <= x <= 10'``."""
        first, last = self.bands[0], self.bands[-1]
        return Band(
            0, first.lower, last.upper, lower_inclusive=first.lower_inclusive, upper_inclusive=last.upper_inclusive
        ).describe()

    def describe(self, value: float, name: str = "x") -> str:
        """Return which band ``value`` falls in and its points, e.g. ``'0.3 <= x < 0.5 → 45 points'``."""
        band = self.band_of(value)
        if band is None:
            return f"{name} = {_num(value)} is outside every band"
        return f"{band.describe(name)} → {_num(band.points)} points"


def _bands_problems(scoring: Bands, prefix: str, problems: Problems) -> None:
    bands = scoring.bands
    if not bands:
        problems.add(f"{prefix}bands", "no bands; give at least one")
        return
    valid: list[tuple[int, Band]] = []
    for i, band in enumerate(bands):
        if not isinstance(band, Band):
            problems.add(f"{prefix}bands[{i}]", f"expected a Band, got {type(band).__name__}")
            continue
        before = len(problems.items)
        _band_problems(band, f"{prefix}bands[{i}].", problems)
        if len(problems.items) == before:
            valid.append((i, band))
    for (i, band), (j, nxt) in itertools.pairwise(valid):
        if j != i + 1:
            continue
        here = f"{prefix}bands[{j}].lower"
        if band.upper is None or nxt.lower is None:
            problems.add(here, f"bands[{i}] and bands[{j}] overlap: only the first band may be open below "
                               "and only the last open above")
        elif nxt.lower < band.upper:
            problems.add(here, f"overlaps bands[{i}] (starts at {_num(nxt.lower)}, before {_num(band.upper)}); "
                               "list bands from low to high without overlap")
        elif nxt.lower > band.upper:
            problems.add(here, f"gap after bands[{i}]: values between {_num(band.upper)} and {_num(nxt.lower)} "
                               "fall in no band")
        elif band.upper_inclusive and nxt.lower_inclusive:
            problems.add(here, f"overlap at {_num(nxt.lower)}: both bands[{i}] and bands[{j}] include it; "
                               "make one end exclusive")
        elif not band.upper_inclusive and not nxt.lower_inclusive:
            problems.add(here, f"gap at {_num(nxt.lower)}: neither bands[{i}] nor bands[{j}] includes it; "
                               "make one end inclusive")


@attrs.frozen
class Linear:
    """Score a signal already on a known scale: ``points = intercept + slope * value``.

    Meant for signals measured 0-100 (``slope=1``) or 0-10 (``slope=10``). A result outside 0-100 is
    refused, never clamped: it means the input is on another scale. Use :class:`BoundedLinear` to clamp.

    Args:
        slope: Points per unit of the signal (may be negative: fewer is better).
        intercept: Points at value 0.

    Raises:
        DefinitionError: a non-finite or zero slope, a non-finite intercept.

    Examples:
        >>> Linear(slope=10).points(7.5)
        75.0
    """

    kind: ClassVar[str] = "linear"
    """The tag of this scoring kind in plain data."""

    slope: float = attrs.field(default=1.0, kw_only=True)
    intercept: float = attrs.field(default=0.0, kw_only=True)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _linear_problems(self, "", problems)
        problems.raise_if_any("linear scoring", "pass a finite, non-zero slope and a finite intercept")

    def points(self, value: float, *, field: str = "value") -> float:
        """Return ``intercept + slope * value``.

        Raises:
            InvalidValueError: ``value`` is NaN, or the result falls outside 0-100.
        """
        result = self.intercept + self.slope * _checks.number(field, value)
        if not MIN_POINTS <= result <= MAX_POINTS:
            raise InvalidValueError(
                f"gives {_num(result)} points under {self.formula()}",
                field=field,
                value=value,
                constraint="linear scoring must land in 0-100 and never clamps",
                hint="check the signal's unit, or use BoundedLinear to clamp",
            )
        return result

    def formula(self, name: str = "x") -> str:
        """Return the formula as text, e.g. ``'10 * x'``."""
        text = name if self.slope == 1 else f"{_num(self.slope)} * {name}"
        if self.intercept:
            text += f" {'+' if self.intercept > 0 else '-'} {_num(abs(self.intercept))}"
        return text

    def describe(self, value: float, name: str = "x") -> str:
        """Return the rule applied to ``value``, e.g. ``'10 * nps → 75 points'``."""
        return f"{self.formula(name)} → {_num(self.points(value))} points"


def _linear_problems(scoring: Linear, prefix: str, problems: Problems) -> None:
    if problems.number(f"{prefix}slope", scoring.slope) and scoring.slope == 0:
        problems.add(f"{prefix}slope", "slope 0 ignores the signal; use a non-zero slope")
    problems.number(f"{prefix}intercept", scoring.intercept)


@attrs.frozen
class BoundedLinear:
    """Score linearly between a worst and a best value, constant beyond them.

    ``worst`` scores ``worst_points`` (and so does anything further from ``best``); ``best`` scores
    ``best_points`` (and so does anything beyond). ``worst`` may be above ``best`` for signals where
    less is better (tickets per week).

    Args:
        worst: The raw value at or beyond which the component scores ``worst_points``.
        best: The raw value at or beyond which the component scores ``best_points``.
        worst_points: Points at the worst end (default 0).
        best_points: Points at the best end (default 100).

    Raises:
        DefinitionError: equal or non-finite ends, points outside 0-100, ``worst_points > best_points``.

    Examples:
        >>> tickets = BoundedLinear(worst=6, best=0)
        >>> tickets.points(0), tickets.points(3), tickets.points(9)
        (100.0, 50.0, 0.0)
    """

    kind: ClassVar[str] = "bounded_linear"
    """The tag of this scoring kind in plain data."""

    worst: float
    best: float
    worst_points: float = attrs.field(default=MIN_POINTS, kw_only=True)
    best_points: float = attrs.field(default=MAX_POINTS, kw_only=True)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _bounded_problems(self, "", problems)
        problems.raise_if_any("bounded-linear scoring", "pass distinct finite ends, points 0 <= worst <= best <= 100")

    def points(self, value: float, *, field: str = "value") -> float:
        """Return the points of ``value`` (clamped to the two ends).

        Raises:
            InvalidValueError: ``value`` is NaN or infinite.
        """
        x = _checks.number(field, value)
        share = (x - self.worst) / (self.best - self.worst)
        share = min(1.0, max(0.0, share))
        return float(self.worst_points + share * (self.best_points - self.worst_points))

    def describe(self, value: float, name: str = "x") -> str:
        """Return the rule applied to ``value``, e.g. ``'x from 6 (0 points) to 0 (100 points) → 50 points'``."""
        return (
            f"{name} from {_num(self.worst)} ({_num(self.worst_points)} points) to {_num(self.best)} "
            f"({_num(self.best_points)} points) → {_num(self.points(value))} points"
        )


def _bounded_problems(scoring: BoundedLinear, prefix: str, problems: Problems) -> None:
    ends = problems.number(f"{prefix}worst", scoring.worst) & problems.number(f"{prefix}best", scoring.best)
    if ends and scoring.worst == scoring.best:
        problems.add(f"{prefix}best", f"equals worst ({scoring.worst!r}); the two ends must differ")
    pts = problems.number(f"{prefix}worst_points", scoring.worst_points, low=MIN_POINTS, high=MAX_POINTS) & (
        problems.number(f"{prefix}best_points", scoring.best_points, low=MIN_POINTS, high=MAX_POINTS)
    )
    if pts and scoring.worst_points > scoring.best_points:
        problems.add(f"{prefix}worst_points", "is above best_points; swap worst and best instead")


Scoring: TypeAlias = Bands | Linear | BoundedLinear
"""Any component scoring (serialised with a ``"kind"`` tag: ``bands``, ``linear``, ``bounded_linear``)."""
