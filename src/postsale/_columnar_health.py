"""Columnar health and touch: the scalar paths' twins over whole portfolios as columns (DESIGN.md principle 6).

"One engine, two speeds": :func:`health_columns` scores a portfolio given as columns (a pandas DataFrame
works) exactly like :meth:`postsale.health.HealthModel.score` scores each row's snapshot, and
:func:`touch_columns` assesses each row exactly like
``postsale.touch.assess(company.for_account(snapshot))``. Property tests prove the two speeds agree
(``tests/columnar/test_health_touch.py``).

numpy is imported only when a function is called (``postsale.adapters.frame.require("numpy", "frame")``), so the
core imports without it.

Scope: the CSM pulse is scalar-only (a pulse is a dated, authored assessment, not a column); the
columnar score equals the scalar score with ``pulse=None``. A model with a component reading the
``"pulse"`` signal, or columns carrying a ``"pulse"`` column, is refused. Staleness comes from
``<signal>_age_days`` columns (the scalar path's ``observed`` dates are scalar-only).

Examples:
    >>> from postsale._columnar_health import health_columns
    >>> out = health_columns({"nps": [9.0, 3.0, float("nan")], "sentiment": [80.0, 30.0, float("nan")]})
    >>> out["value"].tolist(), out["band"].tolist()
    ([90.0, 27.5, nan], [3, 1, 0])
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

import attrs

from postsale import _checks, signals
from postsale._errors import InvalidTypeError, InvalidValueError, PostsaleError, UnknownNameError
from postsale._vocabulary import HealthBand, Segment, TouchModel
from postsale.health import (
    AGE_SUFFIX,
    DEFAULT_HEALTH_MODEL,
    PULSE,
    Bands,
    BoundedLinear,
    Component,
    HealthModel,
    Linear,
    MissingAction,
)
from postsale.review import DEFAULT_COMPANY_PROFILE
from postsale.touch import BusinessProfile, Scorer

__all__ = ["HEALTH_BAND_CODES", "SEGMENT_CODES", "TOUCH_MODEL_CODES", "health_columns", "touch_columns"]

HEALTH_BAND_CODES: Final = (None, *HealthBand)
"""``band`` codes of :func:`health_columns`: 0 = unscored (no data), else ``HEALTH_BAND_CODES[code]``."""
TOUCH_MODEL_CODES: Final = tuple(TouchModel)
"""``model`` codes of :func:`touch_columns`: ``TOUCH_MODEL_CODES[code]`` is the :class:`TouchModel`."""
SEGMENT_CODES: Final = tuple(Segment)
"""Integer codes an integer ``segment`` column may use: ``SEGMENT_CODES[code]`` is the segment."""

_MIN_POINTS: Final = 0.0
_MAX_POINTS: Final = 100.0
_EPS: Final = 2.0**-53
_DEFAULT_SCORER: Final = Scorer()


def _np() -> Any:
    from postsale.adapters.frame import require

    return require("numpy", "frame")


# ---- columns ---------------------------------------------------------------------------------------


class _Columns:
    """Read columns from a mapping, checking each one's type and length (private)."""

    def __init__(self, columns: Mapping[str, Any]) -> None:
        if not hasattr(columns, "__getitem__") or not hasattr(columns, "__contains__"):
            raise InvalidTypeError(
                "expected a mapping of column names to 1-D arrays", field="columns", value=type(columns).__name__,
                hint="pass a dict of arrays or a pandas DataFrame",
            )
        self.columns = columns
        self.length: int | None = None
        self.first: str | None = None

    def has(self, name: str) -> bool:
        return name in self.columns

    def raw(self, name: str) -> Any:
        np = _np()
        column = self.columns[name]
        to_numpy = getattr(column, "to_numpy", None)
        try:
            array = np.asarray(column) if to_numpy is None else to_numpy()
        except (TypeError, ValueError):  # pragma: no cover - exotic containers
            raise InvalidTypeError(
                "is not an array", field=f"columns[{name!r}]", value=type(column).__name__,
                hint="pass a 1-D array, list or Series",
            ) from None
        if array.ndim != 1:
            raise InvalidValueError(
                "is not one-dimensional", field=f"columns[{name!r}]", value=array.shape,
                constraint="every column is a 1-D array with one value per account", hint="pass one value per row",
            )
        if self.length is None:
            self.length, self.first = len(array), name
        elif len(array) != self.length:
            raise InvalidValueError(
                f"has {len(array)} rows but columns[{self.first!r}] has {self.length}",
                field=f"columns[{name!r}]", value=len(array), constraint="every column has one value per account",
                hint="pass columns of equal length",
            )
        return array

    def numbers(self, name: str) -> Any:
        """Return column ``name`` as float64 (NaN = absent); refuse non-numeric columns and infinities."""
        np = _np()
        array = self.raw(name)
        if array.dtype.kind not in "iuf":
            kinds = {type(v) for v in array.tolist()} if array.dtype.kind == "O" else {str}
            array = array.astype(np.float64) if kinds <= {int, float, Decimal, type(None)} else None
            if array is None:
                raise InvalidTypeError(
                    f"has unsupported type {self.raw(name).dtype}", field=f"columns[{name!r}]",
                    value=str(self.raw(name).dtype), constraint="a numeric column (int or float; NaN = absent)",
                    hint="convert the column to numbers first (booleans as 0/1)",
                )
        values = np.asarray(array, dtype=np.float64)
        bad = np.isinf(values)
        if bad.any():
            row = int(np.argmax(bad))
            raise InvalidValueError(
                f"is not a finite number in row {row}", field=f"columns[{name!r}]", value=float(values[row]),
                constraint="must be finite (NaN means absent)", hint="drop the value or pass a real measurement",
            )
        return values

    def count(self, name: str) -> Any:
        """Return column ``name`` as whole numbers >= 0 (float64)."""
        np = _np()
        values = self.numbers(name)
        bad = np.isnan(values) | (values < 0) | (values != np.floor(values))
        if bad.any():
            row = int(np.argmax(bad))
            raise InvalidValueError(
                f"is not a whole number >= 0 in row {row}", field=f"columns[{name!r}]", value=float(values[row]),
                constraint="a count of seats", hint="pass whole numbers >= 0 (0 when unknown)",
            )
        return values


def _refuse(name: str, values: Any, bad: Any, message: str, constraint: str, hint: str) -> None:
    np = _np()
    if bad.any():
        row = int(np.argmax(bad))
        raise InvalidValueError(
            f"{message} in row {row} ({int(bad.sum())} rows in all)", field=f"columns[{name!r}]",
            value=float(values[row]), constraint=constraint, hint=hint,
        )


# ---- exact sums --------------------------------------------------------------------------------------


def _exact_sum(terms: list[Any]) -> Any:
    """Return ``math.fsum`` of each row of ``terms`` (a list of float64 columns), exactly.

    A compensated sum (TwoSum) gives ``r + err``, within a tiny bound of the exact sum; where that bound
    cannot prove that ``r`` is the correctly rounded sum (a near tie), the row falls back to ``math.fsum``.
    """
    np = _np()
    s = terms[0].copy()
    c = np.zeros_like(s)
    magnitude = np.abs(s)
    for x in terms[1:]:
        t = s + x
        z = t - s
        c += (s - (t - z)) + (x - z)
        s = t
        magnitude += np.abs(x)
    r = s + c
    z = r - s
    err = (s - (r - z)) + (c - z)
    n = len(terms)
    bound = (n * n + 2) * _EPS * _EPS * magnitude
    with np.errstate(invalid="ignore", over="ignore"):
        gap = np.minimum(np.nextafter(r, np.inf) - r, r - np.nextafter(r, -np.inf))
    doubtful = ~(np.abs(err) + bound < gap / 2) & (magnitude != 0)
    if doubtful.any():
        stacked = np.stack(terms, axis=1)
        for row in np.flatnonzero(doubtful):
            r[row] = math.fsum(stacked[row].tolist())
    return r


# ---- health ------------------------------------------------------------------------------------------


def _check_model(model: HealthModel) -> None:
    if not isinstance(model, HealthModel):
        raise InvalidTypeError("expected a HealthModel", field="model", value=model, hint="pass a HealthModel")
    for i, component in enumerate(model.components):
        if component.signal == PULSE:
            raise InvalidValueError(
                "reads the CSM pulse, which the columnar path does not take", field=f"model.components[{i}].signal",
                value=component.signal, constraint="pulses are scalar-only (a dated, authored assessment)",
                hint="score these accounts one by one with HealthModel.score(snapshot, pulse=...)",
            )


def _signal(cols: _Columns, signal: str, seats: tuple[Any, Any] | None) -> Any:
    """Return the evidence column of ``signal`` (NaN = absent), deriving seat utilisation like ``evidence()``."""
    np = _np()
    derived = None
    if signal == signals.SEAT_UTILISATION and seats is not None:
        purchased, active = seats
        with np.errstate(divide="ignore", invalid="ignore"):
            derived = np.where(purchased == 0, np.nan, active / np.where(purchased == 0, 1.0, purchased))
    elif signal in (signals.SEATS_PURCHASED, signals.SEATS_ACTIVE) and seats is not None:
        derived = seats[0] if signal == signals.SEATS_PURCHASED else seats[1]
    if cols.has(signal):
        given = cols.numbers(signal)
        return given if derived is None else np.where(np.isnan(given), derived, given)
    if derived is not None:
        return derived
    return None


def _points(component: Component, values: Any, column: str) -> Any:
    """Return each value's points under the component's scoring (NaN where the value is NaN)."""
    np = _np()
    scoring = component.scoring
    present = ~np.isnan(values)
    if isinstance(scoring, Bands):
        points = np.full(values.shape, np.nan)
        placed = np.zeros(values.shape, dtype=bool)
        for band in scoring.bands:
            inside = present.copy()
            if band.lower is not None:
                inside &= (values >= band.lower) if band.lower_inclusive else (values > band.lower)
            if band.upper is not None:
                inside &= (values <= band.upper) if band.upper_inclusive else (values < band.upper)
            inside &= ~placed
            points[inside] = float(band.points)
            placed |= inside
        _refuse(column, values, present & ~placed, "lies outside every band of the scoring",
                f"covered: {scoring.covered()}", "check the signal's unit or add a band for this range")
        return points
    if isinstance(scoring, Linear):
        points = scoring.intercept + scoring.slope * values
        _refuse(column, values, present & ~((points >= _MIN_POINTS) & (points <= _MAX_POINTS)),
                f"gives points outside 0-100 under {scoring.formula()}",
                "linear scoring must land in 0-100 and never clamps", "check the signal's unit, or use BoundedLinear")
        return points
    assert isinstance(scoring, BoundedLinear)
    share = (values - scoring.worst) / (scoring.best - scoring.worst)
    share = np.minimum(1.0, np.maximum(0.0, share))
    return scoring.worst_points + share * (scoring.best_points - scoring.worst_points)


def health_columns(columns: Mapping[str, Any], model: HealthModel = DEFAULT_HEALTH_MODEL) -> dict[str, Any]:
    """Score every row of ``columns`` with ``model``, exactly like :meth:`HealthModel.score` on each snapshot.

    Args:
        columns: Column name → 1-D array (a pandas DataFrame works). The model's signal names (NaN =
            absent), optionally ``seats_purchased`` / ``seats_active`` (whole numbers; ``seat_utilisation``
            is derived from them as in :meth:`AccountSnapshot.evidence`, absent when none were purchased,
            and a non-NaN ``seat_utilisation`` column wins), and ``<signal>_age_days`` (NaN = unknown age,
            treated as fresh). Other columns are ignored.
        model: The health model (its pulse policy is not used: pulses are scalar-only).

    Returns:
        ``value`` (float64; NaN where the scalar path raises :class:`~postsale.health.NoHealthDataError`),
        ``band`` (int8 codes of :data:`HEALTH_BAND_CODES`, 0 = unscored), and per component
        ``points.<name>`` (NaN when excluded) and ``contribution.<name>`` (0 when excluded, NaN when unscored).

    Raises:
        InvalidTypeError: a non-numeric column, ``model`` not a HealthModel.
        InvalidValueError: columns of different lengths, an infinite value, a negative age, seats that are
            not whole numbers >= 0, a value the scoring refuses (the message names the column and row), a
            model reading the pulse or a ``pulse`` column.
    """
    np = _np()
    _check_model(model)
    cols = _Columns(columns)
    if cols.has(PULSE):
        raise InvalidValueError(
            "is not taken by the columnar path", field=f"columns[{PULSE!r}]",
            constraint="pulses are scalar-only (a dated, authored assessment)",
            hint="drop the column, or score with HealthModel.score(snapshot, pulse=...)",
        )
    seats = None
    if cols.has(signals.SEATS_PURCHASED) or cols.has(signals.SEATS_ACTIVE):
        purchased = cols.count(signals.SEATS_PURCHASED) if cols.has(signals.SEATS_PURCHASED) else None
        active = cols.count(signals.SEATS_ACTIVE) if cols.has(signals.SEATS_ACTIVE) else None
        zeros = np.zeros(cols.length)
        seats = (zeros if purchased is None else purchased, zeros if active is None else active)
    raw: list[Any] = [_signal(cols, c.signal, seats) for c in model.components]
    ages: list[Any] = []
    for component in model.components:
        name = component.signal + AGE_SUFFIX
        age = cols.numbers(name) if cols.has(name) else None
        if age is not None:
            _refuse(name, age, age < 0, "is negative", "must be >= 0", "pass the signal's age in days")
        ages.append(age)
    n = cols.length
    if n is None:
        raise InvalidValueError(
            "has none of the model's columns", field="columns", value=sorted(str(k) for k in columns),
            constraint=f"at least one of {', '.join(model.signals)} (or seats_purchased / seats_active)",
            hint="pass one column per signal (NaN = absent)",
        )
    weights: list[Any] = []
    products: list[Any] = []
    scored_red = np.zeros(n, dtype=bool)
    points_out: list[Any] = []
    yellow_from = model.bands.yellow_from
    for component, given, age in zip(model.components, raw, ages, strict=True):
        values = np.full(n, np.nan) if given is None else given
        policy = component.missing
        fresh = ~np.isnan(values)
        if policy.stale_after_days is not None and age is not None:
            fresh &= ~(age > policy.stale_after_days)
        points = _points(component, np.where(fresh, values, np.nan), component.signal)
        if model.red_component_makes_red:
            scored_red |= fresh & (points < yellow_from)
        if policy.action is MissingAction.PENALISE:
            points = np.where(fresh, points, float(policy.penalty_points))
        has = ~np.isnan(points)
        weights.append(np.where(has, component.weight, 0.0))
        products.append(np.where(has, component.weight * np.where(has, points, 0.0), 0.0))
        points_out.append(points)
    total = _exact_sum(weights)
    scored = total != 0
    with np.errstate(divide="ignore", invalid="ignore"):
        computed = _exact_sum(products) / np.where(scored, total, 1.0)
    computed = np.minimum(_MAX_POINTS, np.maximum(_MIN_POINTS, computed))
    value = np.where(scored, computed, np.nan)
    green_from = model.bands.green_from
    band = np.where(value >= green_from, 3, np.where(value >= yellow_from, 2, 1)).astype(np.int8)
    if model.red_component_makes_red:
        band[scored_red] = 1
    band[~scored] = 0
    out: dict[str, Any] = {"value": value, "band": band}
    for component, points in zip(model.components, points_out, strict=True):
        has = ~np.isnan(points)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(has, component.weight / np.where(scored, total, 1.0), 0.0)
        contribution = np.where(has, share * np.where(has, points, 0.0), 0.0)
        out[f"points.{component.name}"] = np.where(scored, points, np.nan)
        out[f"contribution.{component.name}"] = np.where(scored, contribution, np.nan)
    return out


# ---- touch -------------------------------------------------------------------------------------------


def _segments(cols: _Columns) -> Any:
    """Return the ``segment`` column as int codes into :data:`SEGMENT_CODES`."""
    np = _np()
    array = cols.raw("segment")
    if array.dtype.kind in "iu":
        bad = (array < 0) | (array >= len(SEGMENT_CODES))
        _refuse("segment", array, bad, "is not a segment code", f"0-{len(SEGMENT_CODES) - 1} (SEGMENT_CODES)",
                "pass codes into SEGMENT_CODES, names or Segment members")
        return array.astype(np.int8)
    if array.dtype.kind not in "OUS":
        raise InvalidTypeError(
            f"has unsupported type {array.dtype}", field="columns['segment']", value=str(array.dtype),
            constraint="Segment members, names or integer codes", hint='pass "SMB", Segment.SMB or codes',
        )
    codes = np.empty(len(array), dtype=np.int8)
    index = {s: i for i, s in enumerate(SEGMENT_CODES)}
    cache: dict[Any, int] = {}
    for row, item in enumerate(array.tolist()):
        code = cache.get(item)
        if code is None:
            try:
                code = cache[item] = index[Segment.parse(item)]
            except PostsaleError as exc:
                raise UnknownNameError(
                    f"is not a segment in row {row}", field="columns['segment']", value=item,
                    constraint=str(exc.constraint or "a Segment name"), hint=exc.hint or "pass a Segment name",
                ) from None
        codes[row] = code
    return codes


def _acv_codes(cols: _Columns, edges: list[Decimal]) -> Any:
    """Return ``bisect_right(edges, acv)`` per row, exactly as the scalar path compares ``Decimal`` ACVs."""
    np = _np()
    array = cols.raw("acv")
    field = "columns['acv']"
    if array.dtype.kind == "O":
        out = np.empty(len(array), dtype=np.int64)
        for row, item in enumerate(array.tolist()):
            out[row] = bisect_right(edges, _checks.money(f"{field}[{row}]", item))
        return out
    values = cols.numbers("acv")
    _refuse("acv", values, np.isnan(values) | (values < 0), "is missing or negative", "must be >= 0",
            "pass an amount >= 0 for every account")
    floats = np.array([float(e) for e in edges])
    codes = np.searchsorted(floats, values, side="right")
    if array.dtype.kind == "f":
        # float ACVs enter the scalar path as Decimal(repr(x)); that only differs from x >= float(edge) at x == edge
        for row in np.flatnonzero(np.isin(values, floats)):
            codes[row] = bisect_right(edges, Decimal(repr(float(values[row]))))
    else:
        for row in np.flatnonzero(np.isin(values, floats) | (np.abs(values) >= 2.0**53)):
            codes[row] = bisect_right(edges, Decimal(int(array[row])))
    return codes


def touch_columns(
    columns: Mapping[str, Any], company: BusinessProfile = DEFAULT_COMPANY_PROFILE, scorer: Scorer | None = None
) -> dict[str, Any]:
    """Assess every row like ``assess(company.for_account(snapshot), scorer=scorer)`` (domain-spec §2.8).

    Per account only the ACV and the segment vary (``for_account``); the company's other factors are
    shared, so each (ACV band, segment) pair is assessed once by the scalar scorer and looked up.

    Args:
        columns: ``acv`` (numbers >= 0, or Decimals) and ``segment`` (Segment members, names or codes into
            :data:`SEGMENT_CODES`) and/or ``employees`` (whole numbers; where given, the head-count decides
            the segment, like ``attrs.evolve(profile, employees=n)``; NaN = use ``segment``).
        company: The vendor's business profile (default :data:`postsale.review.DEFAULT_COMPANY_PROFILE`).
        scorer: A compiled scorer without custom factors or overrides (default configuration).

    Returns:
        ``total`` (int8), ``model`` (int8 codes of :data:`TOUCH_MODEL_CODES`, after overrides), ``mixed`` (bool).

    Raises:
        InvalidTypeError: a bad column type, a company that is not a BusinessProfile.
        InvalidValueError: missing columns, mismatched lengths, a negative ACV, a custom scorer.
        UnknownNameError: an unknown segment name.
    """
    np = _np()
    if not isinstance(company, BusinessProfile):
        raise InvalidTypeError(
            "expected a BusinessProfile", field="company", value=company, hint="pass postsale.touch.BusinessProfile"
        )
    scorer = _DEFAULT_SCORER if scorer is None else scorer
    if not isinstance(scorer, Scorer):
        raise InvalidTypeError("expected a Scorer", field="scorer", value=scorer, hint="pass postsale.touch.Scorer")
    if scorer.custom_factors or scorer.custom_overrides:
        raise InvalidValueError(
            "has custom factors or overrides, which the columnar path does not take", field="scorer",
            value=repr(scorer), constraint="custom factors and overrides read whole profiles (scalar-only)",
            hint="assess these accounts one by one with postsale.touch.assess(profile, scorer=scorer)",
        )
    cols = _Columns(columns)
    for name in ("acv",):
        if not cols.has(name):
            raise InvalidValueError("is missing", field=f"columns[{name!r}]", hint="pass an acv column")
    if not cols.has("segment") and not cols.has("employees"):
        raise InvalidValueError(
            "is missing", field="columns['segment']", constraint="the segment factor needs a segment or employees",
            hint="pass a segment column (or employees)",
        )
    config = scorer.config
    edges = [Decimal(b.lower) for b in config.acv_bands]
    acv_code = _acv_codes(cols, edges)
    n = len(acv_code)
    segment = _segments(cols) if cols.has("segment") else None
    if cols.has("employees"):
        employees = cols.numbers("employees")
        has = ~np.isnan(employees)
        _refuse("employees", employees, has & ((employees < 0) | (employees != np.floor(employees))),
                "is not a whole number >= 0", "a head-count", "pass whole numbers >= 0 (NaN = use segment)")
        if segment is None:
            _refuse("employees", employees, ~has, "is missing", "no segment column to fall back on",
                    "pass a head-count for every row, or a segment column")
            segment = np.zeros(n, dtype=np.int8)
        lowers = np.array([b.lower for b in config.employee_bands], dtype=np.float64)
        band_of = np.array([SEGMENT_CODES.index(b.segment) for b in config.employee_bands], dtype=np.int8)
        at = np.searchsorted(lowers, np.where(has, employees, 0.0), side="right") - 1
        segment = np.where(has, band_of[np.maximum(at, 0)], segment)
    n_segments = len(SEGMENT_CODES)
    total_table = np.zeros((len(edges) + 1, n_segments), dtype=np.int8)
    model_table = np.zeros_like(total_table)
    mixed_table = np.zeros(total_table.shape, dtype=bool)
    for code, acv_band in enumerate(config.acv_bands, start=1):
        for s, seg in enumerate(SEGMENT_CODES):
            profile = attrs.evolve(company, acv=acv_band.lower, segment=seg, employees=None, account_id=None)
            assessment = scorer.assess(profile)
            total_table[code, s] = assessment.total
            model_table[code, s] = TOUCH_MODEL_CODES.index(assessment.model)
            mixed_table[code, s] = assessment.mixed
    below = acv_code == 0
    _refuse("acv", acv_code, below, "is below the first ACV band", "covered by the configured acv_bands",
            "pass an amount in the configured bands")
    return {
        "total": total_table[acv_code, segment],
        "model": model_table[acv_code, segment],
        "mixed": mixed_table[acv_code, segment],
    }
