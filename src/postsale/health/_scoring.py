"""Component scorings: how one raw signal becomes 0-100 points, in one account (``points``) or a column (``expr``).

Three kinds, all plain data, each a decision with both forms side by side:

* :class:`Bands` - contiguous intervals with explicit inclusive / exclusive ends, each worth fixed points;
* :class:`Linear` - ``points = intercept + slope * value`` for signals already on a known scale; a result
  outside 0-100 is refused (it means the input is on the wrong scale), never clamped;
* :class:`BoundedLinear` - linear between a *worst* and a *best* value, constant beyond them (clamped).

Where the scalar form refuses a value (outside every band, off the linear scale), the columnar form gives null
points, ``invalid(env, value)`` is true, and ``reason(field)`` gives the scalar error's words.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Final, TypeAlias

import attrs

from postsale import _checks
from postsale._columnar import an_env, an_expr, decision
from postsale._errors import MISSING, InvalidTypeError, InvalidValueError
from postsale._repr import readable
from postsale.health._problems import Problems

if TYPE_CHECKING:  # pragma: no cover - typing only
    from narwhals.stable.v2 import Expr

    from postsale._columnar import Env

__all__ = ["Band", "Bands", "BoundedLinear", "Linear", "Scoring"]

MIN_POINTS: Final = 0.0
"""Lowest points a component can score."""
MAX_POINTS: Final = 100.0
"""Highest points a component can score (the health scale is 0-100)."""


def _num(value: float) -> str:
    """Format a number for sentences: ``0.7``, ``15``, ``1e+06``."""
    return f"{value:g}"


def _refusal(message: str, field: str, value: Any, constraint: str, hint: str) -> InvalidValueError:
    """The error a scoring raises for a value it refuses; ``value=MISSING`` gives its words without a value."""
    return InvalidValueError(message, field=field, value=value, constraint=constraint, hint=hint)


_OUTSIDE: Final = "lies outside every band of the scoring"
_OUTSIDE_HINT: Final = "check the signal's unit or add a band for this range"
_OFF_SCALE: Final = "linear scoring must land in 0-100 and never clamps"
_OFF_SCALE_HINT: Final = "check the signal's unit, or use BoundedLinear to clamp"


@decision("contains")
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

    __repr__ = readable
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
        """Return whether ``value`` lies in the band.

        Raises:
            InvalidTypeError: ``value`` is not a number.
            InvalidValueError: ``value`` is NaN (or a Decimal beyond a float).
        """
        if value.__class__ is not float or math.isnan(value):  # the hot path: a float that is not NaN
            value = _checks.number("value", value)
        lower, upper = self.lower, self.upper
        if lower is not None and (value < lower or (value == lower and not self.lower_inclusive)):
            return False
        return not (upper is not None and (value > upper or (value == upper and not self.upper_inclusive)))

    def expr(self, env: Env, value: Expr) -> Expr:
        """Return whether each value lies in the band (Boolean; null or false where the value is null).

        The columnar form of :meth:`contains`.

        Raises:
            InvalidTypeError: ``env`` is not an Env, or ``value`` not an expression.
        """
        an_env(env)
        value = an_expr("value", value)
        inside: Expr = ~value.is_null()
        if self.lower is not None:
            inside = (value >= self.lower) if self.lower_inclusive else (value > self.lower)
        if self.upper is not None:
            above = (value <= self.upper) if self.upper_inclusive else (value < self.upper)
            inside = above if self.lower is None else inside & above
        return inside

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


@decision("points")
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

        The same over a column:

        >>> import narwhals.stable.v2 as nw
        >>> from datetime import date
        >>> from postsale._columnar import Env
        >>> env = Env(["seat_utilisation"], as_of=date(2026, 1, 1))
        >>> frame = nw.from_dict({"seat_utilisation": [0.69, 0.7, None]}, backend="polars")
        >>> frame.select(seats.expr(env, env.column("seat_utilisation")).alias("points"))["points"].to_list()
        [65.0, 100.0, None]
    """

    __repr__ = readable
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
                inclusive ("or more").

        Returns:
            The bands, the last one unbounded above.

        Raises:
            DefinitionError: thresholds out of order or points outside 0-100.
            InvalidTypeError: ``at_least`` is not a collection of ``(threshold, points)`` pairs.
        """
        pairs = [_pair(f"at_least[{i}]", pair) for i, pair in enumerate(_checks.items("at_least", at_least))]
        cuts = [c for c, _ in pairs]
        lowers: list[float | None] = [None, *cuts]
        uppers: list[float | None] = [*cuts, None]
        points = [below, *(p for _, p in pairs)]
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
            raise _refusal(_OUTSIDE, field, value, f"covered: {self.covered()}", _OUTSIDE_HINT)
        return float(band.points)

    def expr(self, env: Env, value: Expr) -> Expr:
        """Return the points of each value (Float64): null where the value is null or outside every band.

        The columnar form of :meth:`points` (see :meth:`invalid` for the values it refuses).

        Raises:
            InvalidTypeError: ``env`` is not an Env, or ``value`` not an expression.
        """
        nw = an_env(env).nw
        value = an_expr("value", value)
        none = nw.lit(None, nw.Float64)
        chain = nw
        first = self.bands[0]
        if first.lower is not None:  # below every band
            chain = chain.when(~attrs.evolve(first, upper=None).expr(env, value)).then(none)
        for band in self.bands:
            # Bands are contiguous (checked when built): a value at or above the first band's lower end that is
            # not in the bands before this one is at or above its lower end, so only its upper end is tested.
            points = nw.lit(float(band.points), nw.Float64)
            chain = chain.when(attrs.evolve(band, lower=None).expr(env, value)).then(points)
        result: Expr = chain.otherwise(none)
        return result

    def invalid(self, env: Env, value: Expr) -> Expr:
        """Return where :meth:`points` refuses the value (Boolean, never null): outside every band.

        Bands are contiguous (checked when built), so "in some band" is "in the range :meth:`covered` names".

        Raises:
            InvalidTypeError: ``env`` is not an Env, or ``value`` not an expression.
        """
        value = an_expr("value", value)
        result: Expr = (~value.is_null() & ~self._covering().expr(env, value)).fill_null(False)
        return result

    def reason(self, field: str = "value") -> str:
        """Return the words of :meth:`points`' refusal for ``field``, without the value.

        Examples:
            >>> Bands((Band(0, 0, 10, upper_inclusive=True),)).reason("signals['nps']")
            "signals['nps']: lies outside every band of the scoring; rule: covered: 0 <= x <= 10; instead: ..."
        """
        return str(_refusal(_OUTSIDE, field, MISSING, f"covered: {self.covered()}", _OUTSIDE_HINT))

    def _covering(self) -> Band:
        first, last = self.bands[0], self.bands[-1]
        return Band(
            0, first.lower, last.upper, lower_inclusive=first.lower_inclusive, upper_inclusive=last.upper_inclusive
        )

    def covered(self) -> str:
        """Return the covered range as text, e.g. ``'0 <= x <= 10'``."""
        return self._covering().describe()

    def describe(self, value: float, name: str = "x") -> str:
        """Return which band ``value`` falls in and its points, e.g. ``'0.3 <= x < 0.5 → 45 points'``.

        Raises:
            InvalidTypeError: ``value`` is not a number.
            InvalidValueError: ``value`` is NaN or infinite.
        """
        value = _checks.number(name if isinstance(name, str) else "value", value)
        band = self.band_of(value)
        if band is None:
            return f"{name} = {_num(value)} is outside every band"
        return f"{band.describe(name)} → {_num(band.points)} points"


def _pair(field: str, value: Any) -> tuple[Any, ...]:
    """A ``(threshold, points)`` pair of :meth:`Bands.thresholds` (the numbers are checked by the bands)."""
    pair = _checks.items(field, value)
    if len(pair) != 2:
        raise InvalidTypeError(
            f"expected a (threshold, points) pair, got {len(pair)} item(s)", field=field, value=value,
            hint="pass pairs such as (0.3, 45): the threshold, then the points from it up",
        )
    return pair


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


@decision("points")
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

        The same over a column (an off-scale value has null points and is ``invalid``):

        >>> import narwhals.stable.v2 as nw
        >>> from datetime import date
        >>> from postsale._columnar import Env
        >>> env, nps = Env(["nps"], as_of=date(2026, 1, 1)), nw.from_dict({"nps": [7.5, 11.0, None]}, backend="polars")
        >>> ten = Linear(slope=10)
        >>> nps.select(ten.expr(env, env.column("nps")), bad=ten.invalid(env, env.column("nps"))).rows()
        [(75.0, False), (None, True), (None, False)]
    """

    __repr__ = readable
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
            raise _refusal(f"gives {_num(result)} points under {self.formula()}", field, value, _OFF_SCALE,
                           _OFF_SCALE_HINT)
        return result

    def expr(self, env: Env, value: Expr) -> Expr:
        """Return ``intercept + slope * value`` per row (Float64): null where the value is null or the result
        falls outside 0-100. The columnar form of :meth:`points`, in the same float order.

        Raises:
            InvalidTypeError: ``env`` is not an Env, or ``value`` not an expression.
        """
        nw = an_env(env).nw
        value = an_expr("value", value)
        result = self.intercept + self.slope * value
        points: Expr = nw.when(self._on_scale(result)).then(result).otherwise(nw.lit(None, nw.Float64))
        return points

    def invalid(self, env: Env, value: Expr) -> Expr:
        """Return where :meth:`points` refuses the value (Boolean, never null): the result is outside 0-100.

        Raises:
            InvalidTypeError: ``env`` is not an Env, or ``value`` not an expression.
        """
        an_env(env)
        value = an_expr("value", value)
        result: Expr = (~value.is_null() & ~self._on_scale(self.intercept + self.slope * value)).fill_null(False)
        return result

    def reason(self, field: str = "value") -> str:
        """Return the words of :meth:`points`' refusal for ``field``, without the value.

        Examples:
            >>> Linear().reason("signals['sentiment']")
            "signals['sentiment']: gives points outside 0-100 under x; rule: linear scoring must land in ..."
        """
        message = f"gives points outside 0-100 under {self.formula()}"
        return str(_refusal(message, field, MISSING, _OFF_SCALE, _OFF_SCALE_HINT))

    @staticmethod
    def _on_scale(result: Expr) -> Expr:
        inside: Expr = (result >= MIN_POINTS) & (result <= MAX_POINTS)
        return inside

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


@decision("points")
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

        The same over a column:

        >>> import narwhals.stable.v2 as nw
        >>> from datetime import date
        >>> from postsale._columnar import Env
        >>> env = Env(["tickets"], as_of=date(2026, 1, 1))
        >>> frame = nw.from_dict({"tickets": [0.0, 3.0, 9.0, None]}, backend="polars")
        >>> frame.select(tickets.expr(env, env.column("tickets"))).rows()
        [(100.0,), (50.0,), (0.0,), (None,)]
    """

    __repr__ = readable
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
        if x >= self.best if self.best > self.worst else x <= self.best:
            share = 1.0
        else:
            share = min(1.0, max(0.0, (x - self.worst) * self._per_unit))
        return float(self.worst_points + share * (self.best_points - self.worst_points))

    @property
    def _per_unit(self) -> float:
        """``1 / (best - worst)``: both forms multiply by it, because Polars divides a column holding nulls by a
        number as a multiplication by its reciprocal, which can differ from a division in the last bit."""
        return 1.0 / (self.best - self.worst)

    def expr(self, env: Env, value: Expr) -> Expr:
        """Return the points of each value (Float64, null where the value is null): the columnar form of
        :meth:`points`, in the same float order.

        Raises:
            InvalidTypeError: ``env`` is not an Env, or ``value`` not an expression.
        """
        nw = an_env(env).nw
        value = an_expr("value", value)
        at_best = (value >= self.best) if self.best > self.worst else (value <= self.best)
        share = nw.when(at_best).then(nw.lit(1.0)).otherwise(((value - self.worst) * self._per_unit).clip(0.0, 1.0))
        result: Expr = self.worst_points + share * (self.best_points - self.worst_points)
        return result

    def invalid(self, env: Env, value: Expr) -> Expr:
        """Return where :meth:`points` refuses the value: never (every finite value is clamped).

        Raises:
            InvalidTypeError: ``env`` is not an Env, or ``value`` not an expression.

        Examples:
            >>> import narwhals.stable.v2 as nw
            >>> from postsale._columnar import Env
            >>> from datetime import date
            >>> env = Env(["logins"], as_of=date(2026, 1, 31))
            >>> BoundedLinear(worst=6, best=0).invalid(env, nw.col("logins")) is not None
            True
        """
        an_expr("value", value)
        result: Expr = an_env(env).nw.lit(False)
        return result

    def reason(self, field: str = "value") -> str:
        """Return why :meth:`points` would refuse a value of ``field``: only when it is not a finite number."""
        try:
            _checks.number(field, float("inf"))
        except InvalidValueError as error:
            return error.without_value()
        raise AssertionError("an infinite value is refused")  # pragma: no cover

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
