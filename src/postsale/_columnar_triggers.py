"""The columnar twin of trigger condition evaluation: a whole portfolio as numpy columns (DESIGN.md principle 6).

:func:`trigger_hits` answers, for every rule of a rule set and every row, whether the rule's condition holds:
the same answer as the scalar engine's condition path (``Engine.step`` → ``CompiledRules.matching(snapshot,
context)``, the rule ids it stores in ``AccountState.active``), with no alert hygiene (hygiene is sequential per
account: fold the hits with ``Engine`` when you need alerts). numpy is imported only when the function is called
(``pip install 'postsale[frame]'``); the core imports without it.

Columns (one value per row; ``NaN`` / ``NaT`` = absent, as a missing signal):

* every signal a rule reads, by its :mod:`postsale.signals` name (float);
* ``seats_purchased``, ``seats_active``, ``acv`` when a rule reads them (or ``seat_utilisation``);
  ``contract_start`` / ``contract_end`` as ``datetime64[D]`` when a rule reads dates (``days_*`` conditions,
  ``days_to_renewal``, ``days_since_start``);
* carried state the engine keeps per account, when a rule needs it: ``days_in_band.<BAND>`` (consecutive days
  in BAND as of ``as_of``, read on the rows whose band now is BAND; 0 on the day it is entered) for
  :class:`~postsale.triggers.DaysInBand`, and ``active.<RULE_ID>`` (true / 1 when the rule held at the previous
  evaluation) for rules whose thresholds have hysteresis (``release``).

``previous`` holds the previous snapshot's signal values (``AccountState.previous``) for conditions reading
``source="previous"`` or a :class:`~postsale.triggers.PercentChange` without baseline. ``health`` may hold
``score`` (the health model's score now; default: the ``health_score`` column), ``previous_score`` (default: the
``health_score`` column of ``previous``) and ``previous_band`` (``HealthBand`` values 1-3, 0 = none; default: the
band of ``previous_score`` without hysteresis, as after an account's first evaluation).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from postsale import signals
from postsale._errors import InvalidTypeError, InvalidValueError, UnknownNameError
from postsale._vocabulary import HealthBand
from postsale.triggers import (
    DEFAULT_RULE_SET,
    NON_NEGATIVE_SIGNALS,
    AllOf,
    AnyOf,
    BandTransition,
    Condition,
    DaysInBand,
    DaysSince,
    DaysUntil,
    Not,
    PercentChange,
    Ratio,
    RuleSet,
    Threshold,
)

if TYPE_CHECKING:  # pragma: no cover - typing only
    import numpy
    from numpy.typing import NDArray

__all__ = ["trigger_hits"]

_HEALTH_KEYS = ("score", "previous_score", "previous_band")
_DATES = ("contract_start", "contract_end")
_SEATS = (signals.SEATS_PURCHASED, signals.SEATS_ACTIVE)
_COUNTS = NON_NEGATIVE_SIGNALS | frozenset(_SEATS)
_DERIVED_FIELDS = {
    signals.ACV: (signals.ACV,),
    signals.SEATS_PURCHASED: (signals.SEATS_PURCHASED,),
    signals.SEATS_ACTIVE: (signals.SEATS_ACTIVE,),
    signals.SEAT_UTILISATION: _SEATS,
    signals.DAYS_TO_RENEWAL: ("contract_end",),
    signals.DAYS_SINCE_START: ("contract_start",),
}


def _numpy() -> Any:
    from postsale.adapters.frame import require

    return require("numpy", "frame")


class _Env:
    """The arrays of one call, with the derived columns computed once and cached."""

    def __init__(
        self,
        np: Any,
        n: int,
        columns: dict[str, Any],
        previous: dict[str, Any] | None,
        health: dict[str, Any],
        as_of: Any,
        rule_set: RuleSet,
    ) -> None:
        self.np, self.n = np, n
        self.columns, self.previous, self.health = columns, previous, health
        self.as_of = as_of
        self.bands = rule_set.bands
        self.cache: dict[str, Any] = {}
        self.rule = ""

    # ---- reading columns ---------------------------------------------------------------------------------
    def _missing(self, name: str, where: str, hint: str) -> UnknownNameError:
        return UnknownNameError(
            f"is not a column, but rule {self.rule} reads it",
            field=f"{where}[{name!r}]",
            constraint=f"every column a rule reads must be given (rule {self.rule})",
            hint=hint,
        )

    def column(self, name: str) -> Any:
        """Return the current column ``name`` (float, NaN = absent)."""
        found = self.columns.get(name)
        if found is None:
            raise self._missing(name, "columns", "add the column (NaN where the signal is absent)")
        return found

    def previous_column(self, name: str) -> Any:
        """Return the previous snapshot's column ``name``."""
        if self.previous is None:
            raise self._missing(name, "previous", "pass previous={...}: the previous snapshot's signal columns")
        found = self.previous.get(name)
        if found is None:
            raise self._missing(name, "previous", "add the column to previous (NaN where the signal is absent)")
        return found

    def current(self, name: str) -> Any:
        """Return signal ``name`` as conditions see it now (derived names and the health score included)."""
        if name == signals.HEALTH_SCORE:
            return self.score()
        fields = _DERIVED_FIELDS.get(name)
        if fields is None:
            return self.column(name)
        key = f"derived:{name}"
        if key not in self.cache:
            np = self.np
            if name == signals.SEAT_UTILISATION:
                purchased, active = self.column(signals.SEATS_PURCHASED), self.column(signals.SEATS_ACTIVE)
                with np.errstate(all="ignore"):
                    value = np.where(purchased > 0, active / purchased, np.nan)
            elif name in (signals.DAYS_TO_RENEWAL, signals.DAYS_SINCE_START):
                field = fields[0]
                value = self.days(field) if field == "contract_end" else -self.days(field)
            else:
                value = self.column(name)
            self.cache[key] = value
        return self.cache[key]

    def read(self, name: str, source: str) -> Any:
        """Return signal ``name`` from the current snapshot or the previous one."""
        return self.previous_column(name) if source == "previous" else self.current(name)

    def days(self, field: str) -> Any:
        """Return ``(field - as_of).days`` as floats (NaN where the date is absent)."""
        key = f"days:{field}"
        if key not in self.cache:
            np = self.np
            dates = self.column(field)
            delta = (dates - self.as_of).astype("int64").astype("float64")
            self.cache[key] = np.where(np.isnat(dates), np.nan, delta)
        return self.cache[key]

    # ---- health --------------------------------------------------------------------------------------------
    def score(self) -> Any:
        """Return the health score now (``health['score']`` or the ``health_score`` column), checked 0-100."""
        if "score" not in self.cache:
            given = self.health.get("score")
            field = "health['score']" if given is not None else f"columns[{signals.HEALTH_SCORE!r}]"
            value = given if given is not None else self.column(signals.HEALTH_SCORE)
            np = self.np
            bad = (value < 0) | (value > 100)
            if bad.any():
                raise InvalidValueError(
                    "is outside 0-100",
                    field=field,
                    value=float(value[np.argmax(bad)]),
                    constraint="health scores are on a 0-100 scale (domain-spec §4.2)",
                    hint="rescale the score to 0-100",
                )
            self.cache["score"] = value
        return self.cache["score"]

    def previous_score(self) -> Any:
        """Return the health score at the previous evaluation."""
        given = self.health.get("previous_score")
        return given if given is not None else self.previous_column(signals.HEALTH_SCORE)

    def plain_band(self, score: Any) -> Any:
        """Return the band codes of ``score`` without hysteresis (0 where the score is absent)."""
        np, b = self.np, self.bands
        codes = (score >= b.yellow_from).view("int8") + (score >= b.green_from).view("int8")
        codes += ~np.isnan(score)  # RED = 1, YELLOW = 2, GREEN = 3 (HealthBand values); 0 = no score
        return codes

    def previous_band(self) -> Any:
        """Return the band codes at the previous evaluation."""
        if "previous_band" not in self.cache:
            given = self.health.get("previous_band")
            self.cache["previous_band"] = self.plain_band(self.previous_score()) if given is None else given
        return self.cache["previous_band"]

    def band(self) -> Any:
        """Return the band codes now, with hysteresis against the previous band (``BandPolicy.band``)."""
        if "band" not in self.cache:
            np, h = self.np, self.bands.hysteresis
            score = self.score()
            plain = self.plain_band(score)
            if h == 0:
                self.cache["band"] = plain
            else:
                before = self.previous_band()
                lifted = np.maximum(self.plain_band(score - h), before)
                self.cache["band"] = np.where((before > 0) & (plain > before), lifted, plain)
        return self.cache["band"]


# ---- conditions ----------------------------------------------------------------------------------------------
_CMP = {">=": "greater_equal", ">": "greater", "<=": "less_equal", "<": "less", "==": "equal", "!=": "not_equal"}


def _compare(np: Any, value: Any, op: str, t: float) -> Any:
    hit = getattr(np, _CMP[op])(value, t)
    return hit & ~np.isnan(value) if op == "!=" else hit


def _threshold(c: Threshold, env: _Env) -> Any:
    np = env.np
    value = env.read(c.signal, c.source)
    hit = _compare(np, value, c.op, float(c.threshold))
    if c.release is None:
        return hit
    name = f"active.{env.rule}"
    held = env.columns.get(name)
    if held is None:
        raise env._missing(name, "columns", "pass whether the rule held at the previous evaluation (hysteresis)")
    keep = np.less(value, float(c.release)) if c.op in ("<", "<=") else np.greater(value, float(c.release))
    return np.where(held, keep, hit)


def _percent_change(c: PercentChange, env: _Env) -> Any:
    np = env.np
    value = env.current(c.signal)
    base = env.current(c.baseline) if c.baseline is not None else env.previous_column(c.signal)
    counts = (base >= float(c.min_base)) & (base > 0)
    with np.errstate(all="ignore"):
        change = (base - value) / base if c.direction == "drop" else (value - base) / base
    return counts & (change >= float(c.at_least))


def _ratio(c: Ratio, env: _Env) -> Any:
    np = env.np
    top, bottom = env.current(c.numerator), env.current(c.denominator)
    with np.errstate(all="ignore"):
        hit = _compare(np, top / bottom, c.op, float(c.threshold))
    return hit & (bottom != 0) & ~np.isnan(bottom) & ~np.isnan(top)


def _band_transition(c: BandTransition, env: _Env) -> Any:
    np = env.np
    before, band = env.previous_band(), env.band()
    was, now = _member(np, before, c.from_bands), _member(np, band, c.to_bands)
    if c.min_drop is None:
        return was & now
    dropped = (env.previous_score() - env.score()) >= float(c.min_drop)
    if c.require == "both":
        return was & now & dropped
    drops = c.from_bands if c.drop_bands is None else c.drop_bands
    stays = _member(np, band, (*drops, *c.to_bands))
    return was & (now | (_member(np, before, drops) & stays & dropped))


def _member(np: Any, codes: Any, bands: tuple[HealthBand, ...]) -> Any:
    """Return whether each band code is one of ``bands`` (a table look-up: faster than ``isin``)."""
    table = np.zeros(4, dtype=bool)
    table[[int(b) for b in bands]] = True
    return table[codes]


def _days_in_band(c: DaysInBand, env: _Env) -> Any:
    days = env.column(f"days_in_band.{c.band.name}")
    return (env.band() == int(c.band)) & (days >= c.at_least)


def _days_until(c: DaysUntil, env: _Env) -> Any:
    days = env.days(c.date)
    return (days >= c.at_least) & (days <= c.at_most)


def _days_since(c: DaysSince, env: _Env) -> Any:
    days = -env.days(c.date)
    hit = days >= c.at_least
    return hit if c.at_most is None else hit & (days <= c.at_most)


def _evaluate(condition: Condition, env: _Env) -> Any:
    """Return the boolean column of ``condition`` (the columnar twin of ``condition.compile(rule)``)."""
    np = env.np
    if isinstance(condition, AllOf):
        return np.logical_and.reduce([_evaluate(c, env) for c in condition.conditions])
    if isinstance(condition, AnyOf):
        return np.logical_or.reduce([_evaluate(c, env) for c in condition.conditions])
    if isinstance(condition, Not):
        return ~_evaluate(condition.condition, env)
    leaf: Any = _LEAVES[type(condition)]
    return np.asarray(leaf(condition, env), dtype=bool)


_LEAVES: dict[type[Any], Any] = {
    Threshold: _threshold,
    PercentChange: _percent_change,
    Ratio: _ratio,
    BandTransition: _band_transition,
    DaysInBand: _days_in_band,
    DaysUntil: _days_until,
    DaysSince: _days_since,
}


# ---- input -----------------------------------------------------------------------------------------------------
def _arrays(np: Any, where: str, given: object, *, allowed: tuple[str, ...] | None = None) -> dict[str, Any]:
    if not isinstance(given, Mapping):
        raise InvalidTypeError(
            "must be a mapping of column names to arrays",
            field=where,
            value=type(given).__name__,
            hint="pass a dict (or a DataFrame's columns: {name: df[name].to_numpy()})",
        )
    out: dict[str, Any] = {}
    for name, raw in given.items():
        if not isinstance(name, str) or (allowed is not None and name not in allowed):
            known = f"one of {', '.join(allowed)}" if allowed else "column names are strings"
            raise UnknownNameError("is not a known column", field=f"{where}[{name!r}]", hint=known)
        array = np.asarray(raw)
        if array.ndim != 1:
            raise InvalidValueError(
                "must be one-dimensional", field=f"{where}[{name!r}]", value=array.shape, hint="one value per row"
            )
        if name in _DATES:
            array = array.astype("datetime64[D]")
        elif (where, name) == ("health", "previous_band") or (where == "columns" and name.startswith("active.")):
            array = _codes(np, where, name, array)
        elif array.dtype.kind in "US" and where == "columns":
            continue  # text columns (account ids, segments, CSM names) are not signals: rules read numbers
        else:
            try:
                array = array.astype("float64", copy=False)
            except (TypeError, ValueError):
                if where == "columns" and any(isinstance(v, str) for v in array.tolist()):
                    continue  # text held in an object column (missing values aside)
                raise InvalidValueError(
                    "is not a numeric column", field=f"{where}[{name!r}]", value=str(array.dtype),
                    hint="pass numbers (NaN where absent)",
                ) from None
        out[name] = array
    return out


def _codes(np: Any, where: str, name: str, array: Any) -> Any:
    if name.startswith("active."):
        return array if array.dtype == bool else array == 1
    codes = array.astype("int8")
    if not np.isin(array, (0, 1, 2, 3)).all():
        raise InvalidValueError(
            "holds a value that is not a band code",
            field=f"{where}[{name!r}]",
            constraint="0 (no band), 1 (RED), 2 (YELLOW) or 3 (GREEN): HealthBand values",
            hint="pass int(HealthBand.X) per row, 0 where the account had no band",
        )
    return codes


def _as_of(np: Any, as_of: object) -> Any:
    if isinstance(as_of, date) and not isinstance(as_of, datetime):
        return np.datetime64(as_of, "D")
    array = np.asarray(as_of) if isinstance(as_of, (np.ndarray, np.datetime64)) else None
    if array is None or array.dtype.kind != "M" or array.ndim > 1:
        raise InvalidTypeError(
            "must be a calendar date or a datetime64[D] column",
            field="as_of",
            value=type(as_of).__name__,
            hint="pass datetime.date(...) or one date per row as numpy datetime64[D]",
        )
    return array.astype("datetime64[D]")


def _length(tables: dict[str, dict[str, Any]], as_of: Any) -> int:
    lengths = [(f"{where}[{name!r}]", len(a)) for where, table in tables.items() for name, a in table.items()]
    if as_of.ndim == 1:
        lengths.append(("as_of", len(as_of)))
    if not lengths:
        raise InvalidValueError(
            "has no column", field="columns", value={}, hint="pass at least one column (one value per row)"
        )
    first, n = lengths[0]
    for field, size in lengths[1:]:
        if size != n:
            raise InvalidValueError(
                f"has {size} rows, but {first} has {n}",
                field=field,
                value=size,
                constraint="every column has one value per row",
                hint="align the columns (same rows, same order)",
            )
    return n


def _check_non_negative(np: Any, rule_set: RuleSet, columns: dict[str, Any]) -> None:
    readers: dict[str, list[str]] = {}
    for rule in rule_set.rules:
        for name in rule.condition.signal_names():
            readers.setdefault(name, []).append(rule.id)
    for name in sorted(readers):
        array = columns.get(name)
        if name in _COUNTS and array is not None and (array < 0).any():
            raise InvalidValueError(
                "is negative",
                field=f"columns[{name!r}]",
                value=float(array[np.argmax(array < 0)]),
                constraint=f"counts and shares are >= 0 (read by rule {', '.join(readers[name])})",
                hint="fix the data feeding this signal, or drop it",
            )


def trigger_hits(
    columns: Mapping[str, Any],
    rule_set: RuleSet = DEFAULT_RULE_SET,
    *,
    as_of: date | Any,
    previous: Mapping[str, Any] | None = None,
    health: Mapping[str, Any] | None = None,
) -> dict[str, NDArray[numpy.bool_]]:
    """Return, for each rule, whether its condition holds on each row (the columnar twin of the scalar engine).

    Row ``i`` gets the same answer as ``Engine(rule_set).step(state_i, snapshot_i)`` stores in
    ``AccountState.active`` (``CompiledRules.matching``), hygiene aside; see the module docstring for the
    columns. Missing values are ``NaN`` (``NaT`` for dates): they never satisfy a condition.

    Args:
        columns: The current snapshot's columns by name (signals, seats, ``acv``, contract dates, carried state).
        rule_set: The rules (default: the 19 rules of ``DEFAULT_RULE_SET``).
        as_of: The snapshot date: one ``date`` for every row, or a ``datetime64[D]`` column.
        previous: The previous snapshot's signal columns (for ``source="previous"`` and baseline-less changes).
        health: Optional ``score`` / ``previous_score`` / ``previous_band`` columns (see the module docstring).

    Returns:
        ``{rule_id: bool array}`` in rule-set order.

    Raises:
        InvalidTypeError: ``rule_set`` is not a RuleSet, a table is not a mapping, ``as_of`` is not a date.
        InvalidValueError: columns of different lengths, a non-1-D column, a negative count read by a rule, a
            health score outside 0-100, a ``previous_band`` that is not a band code.
        UnknownNameError: a rule reads a column that was not given (the message names the rule and the column),
            or ``health`` has an unknown key.
        MissingDependencyError: numpy is not installed.

    Examples:
        >>> from datetime import date
        >>> import numpy as np
        >>> from postsale.triggers import CATALOG
        >>> hits = trigger_hits({"support_tickets_week": np.array([1.0, 3.0, np.nan])}, CATALOG.select("H4"),
        ...                     as_of=date(2026, 3, 2))
        >>> hits["H4"].tolist()
        [False, True, False]
    """
    np = _numpy()
    if not isinstance(rule_set, RuleSet):
        raise InvalidTypeError(
            "expected a RuleSet", field="rule_set", value=rule_set, hint="build one or use DEFAULT_RULE_SET"
        )
    tables = {"columns": _arrays(np, "columns", columns)}
    if previous is not None:
        tables["previous"] = _arrays(np, "previous", previous)
    if health is not None:
        tables["health"] = _arrays(np, "health", health, allowed=_HEALTH_KEYS)
    day = _as_of(np, as_of)
    n = _length(tables, day)
    _check_non_negative(np, rule_set, tables["columns"])
    env = _Env(np, n, tables["columns"], tables.get("previous"), tables.get("health", {}), day, rule_set)
    hits: dict[str, Any] = {}
    for rule in rule_set.rules:
        env.rule = rule.id
        hits[rule.id] = np.broadcast_to(_evaluate(rule.condition, env), (n,)).copy()
    return hits
