"""Composable trigger conditions (domain-spec §4.4-§4.5, §5.3-§5.4) and their compilation to closures.

A condition is plain data (a frozen attrs value with a ``kind`` tag when serialized). :meth:`compile` turns it
once into a plain Python closure ``predicate(snapshot, context) -> bool``; evaluating a rule is then a single
call, with no tree walking, no string look-ups of operators and no ``eval``. :meth:`explain` re-reads the
values when (and only when) a rule fired, to give the evidence.
"""

from __future__ import annotations

import difflib
import math
import operator
from collections.abc import Callable, Collection, Mapping
from typing import Any, ClassVar, Literal

import attrs

from postsale import signals
from postsale._errors import Problem
from postsale._vocabulary import AccountSnapshot, HealthBand
from postsale.triggers._model import Context, Evidence

__all__ = [
    "AllOf",
    "AnyOf",
    "BandTransition",
    "Condition",
    "DaysInBand",
    "DaysSince",
    "DaysUntil",
    "Not",
    "PercentChange",
    "Predicate",
    "Ratio",
    "Threshold",
]

Predicate = Callable[[AccountSnapshot, Context], bool]
"""A compiled condition: ``predicate(snapshot, context) -> bool``."""

Op = Literal[">=", ">", "<=", "<", "==", "!="]
DateField = Literal["contract_start", "contract_end"]
Source = Literal["current", "previous"]

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}
_DERIVED = frozenset(
    {
        signals.ACV,
        signals.SEATS_PURCHASED,
        signals.SEATS_ACTIVE,
        signals.SEAT_UTILISATION,
        signals.DAYS_TO_RENEWAL,
        signals.DAYS_SINCE_START,
    }
)


def _getter(name: str, source: Source = "current") -> Callable[[AccountSnapshot, Context], float | None]:
    """Return a function reading signal ``name`` from the snapshot (or the previous values)."""
    if source == "previous":

        def previous(_s: AccountSnapshot, c: Context) -> float | None:
            return c.previous.get(name)

        return previous
    if name == signals.HEALTH_SCORE:
        return lambda _s, c: c.score
    if name == signals.SEAT_UTILISATION:
        return lambda s, _c: s.seats_active / s.seats_purchased if s.seats_purchased else None
    if name == signals.SEATS_ACTIVE:
        return lambda s, _c: float(s.seats_active)
    if name == signals.SEATS_PURCHASED:
        return lambda s, _c: float(s.seats_purchased)
    if name == signals.ACV:
        return lambda s, _c: float(s.acv)
    if name == signals.DAYS_TO_RENEWAL:
        return lambda s, _c: None if s.contract_end is None else float((s.contract_end - s.as_of).days)
    if name == signals.DAYS_SINCE_START:
        return lambda s, _c: None if s.contract_start is None else float((s.as_of - s.contract_start).days)

    def plain(s: AccountSnapshot, _c: Context) -> float | None:
        return s.signals.get(name)

    return plain


def read_signal(name: str, snapshot: AccountSnapshot, context: Context) -> float | None:
    """Return the value of signal ``name`` as conditions see it (derived names and the model score included)."""
    return _getter(name)(snapshot, context)


def _check_signal(path: str, name: object, known: Collection[str]) -> list[Problem]:
    if not isinstance(name, str) or not name.strip():
        return [Problem(path, f"signal name must be a non-empty string, got {name!r}")]
    if name in known:
        return []
    close = difflib.get_close_matches(name, sorted(known), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    message = f"unknown signal {name!r}; {hint}use a postsale.signals name or declare it in custom_signals"
    return [Problem(path, message)]


def _check_number(path: str, value: object, *, minimum: float | None = None, maximum: float | None = None) -> list[str]:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return [f"must be a finite number, got {value!r}"]
    if minimum is not None and value < minimum:
        return [f"must be >= {minimum:g}, got {value!r}"]
    if maximum is not None and value > maximum:
        return [f"must be <= {maximum:g}, got {value!r}"]
    return []


def _num(path: str, value: object, **bounds: float | None) -> list[Problem]:
    return [Problem(path, m) for m in _check_number(path, value, **bounds)]


def _check_op(path: str, op: object) -> list[Problem]:
    if op not in _OPS:
        return [Problem(path, f"unknown comparison {op!r}; use one of {', '.join(_OPS)}")]
    return []


def _bands(path: str, bands: object) -> list[Problem]:
    if not isinstance(bands, tuple) or not bands or not all(isinstance(b, HealthBand) for b in bands):
        return [Problem(path, "must be a non-empty list of health bands (RED, YELLOW, GREEN)")]
    return []


def _fmt(value: float) -> str:
    return f"{value:g}"


@attrs.frozen
class Threshold:
    """A signal compared with a threshold: ``support_tickets_week >= 3`` (domain-spec §5.4 H4).

    A missing signal never satisfies a threshold. With ``release`` the condition has hysteresis
    (domain-spec §5.12): once it held, it keeps holding until the value crosses ``release`` (e.g. enter below
    40, leave at 50).

    Args:
        signal: The signal name (a :mod:`postsale.signals` constant or a declared custom signal).
        op: One of ``>=``, ``>``, ``<=``, ``<``, ``==``, ``!=``.
        threshold: The threshold.
        release: The hysteresis release value (only with ``<``, ``<=``, ``>``, ``>=``).
        source: ``"current"`` (this snapshot) or ``"previous"`` (the previous snapshot of the account).

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> p = Threshold("support_tickets_week", ">=", 3).compile("H4")
        >>> p(AccountSnapshot("a", "SMB", date(2026, 1, 5), signals={"support_tickets_week": 3}), Context())
        True
    """

    kind: ClassVar[str] = "threshold"
    signal: str
    op: Op
    threshold: float
    release: float | None = None
    source: Source = "current"

    def compile(self, rule_id: str) -> Predicate:
        """Return this condition as a closure; ``rule_id`` is the rule it belongs to (for hysteresis)."""
        name, t, release = self.signal, float(self.threshold), self.release
        plain = self.source == "current" and name not in _DERIVED and name != signals.HEALTH_SCORE
        if release is None and plain:
            return _plain_threshold(name, self.op, t)
        get = _getter(name, self.source)
        cmp = _OPS[self.op]
        if release is None:

            def test(s: AccountSnapshot, c: Context) -> bool:
                v = get(s, c)
                return v is not None and cmp(v, t)

            return test
        r = float(release)
        keep: Callable[[float, float], bool] = operator.lt if self.op in ("<", "<=") else operator.gt

        def hysteresis(s: AccountSnapshot, c: Context) -> bool:
            v = get(s, c)
            if v is None:
                return False
            if rule_id in c.active:
                return keep(v, r)
            return cmp(v, t)

        return hysteresis

    def explain(self, snapshot: AccountSnapshot, context: Context) -> list[Evidence]:
        """Return the value seen and the threshold."""
        v = _getter(self.signal, self.source)(snapshot, context)
        note = f"stays on until it crosses {_fmt(self.release)}" if self.release is not None else ""
        subject = self.signal if self.source == "current" else f"previous {self.signal}"
        return [Evidence(subject, v, self.op, _fmt(self.threshold), note)]

    def problems(self, path: str, known: Collection[str]) -> list[Problem]:
        """Return every problem of this condition, with paths under ``path``."""
        found = _check_signal(f"{path}.signal", self.signal, known) + _check_op(f"{path}.op", self.op)
        found += _num(f"{path}.threshold", self.threshold)
        if self.source not in ("current", "previous"):
            found.append(Problem(f"{path}.source", f"must be 'current' or 'previous', got {self.source!r}"))
        if self.release is not None:
            bad = _num(f"{path}.release", self.release)
            if not bad and self.op in ("<", "<=") and not self.release > self.threshold:
                bad = [Problem(f"{path}.release", f"must be above the threshold {self.threshold!r} for {self.op}")]
            elif not bad and self.op in (">", ">=") and not self.release < self.threshold:
                bad = [Problem(f"{path}.release", f"must be below the threshold {self.threshold!r} for {self.op}")]
            elif not bad and self.op in ("==", "!="):
                bad = [Problem(f"{path}.release", f"hysteresis needs <, <=, > or >=, not {self.op}")]
            found += bad
        return found

    def signal_names(self) -> set[str]:
        """Return the signal names this condition reads."""
        return {self.signal}

    def previous_names(self) -> set[str]:
        """Return the signal names this condition reads from the previous snapshot."""
        return {self.signal} if self.source == "previous" else set()


_NEG_INF = float("-inf")
_POS_INF = float("inf")
_NAN = float("nan")


def _plain_threshold(name: str, op: str, t: float) -> Predicate:
    # One specialised closure per operator: no operator look-up or extra call per evaluation. A missing signal
    # reads as -inf for > / >= and +inf for < / <= (thresholds are finite), so it never holds.
    if op == ">=":

        def ge(s: AccountSnapshot, _c: Context) -> bool:
            return s.signals.get(name, _NEG_INF) >= t

        return ge
    if op == ">":

        def gt(s: AccountSnapshot, _c: Context) -> bool:
            return s.signals.get(name, _NEG_INF) > t

        return gt
    if op == "<=":

        def le(s: AccountSnapshot, _c: Context) -> bool:
            return s.signals.get(name, _POS_INF) <= t

        return le
    if op == "<":

        def lt(s: AccountSnapshot, _c: Context) -> bool:
            return s.signals.get(name, _POS_INF) < t

        return lt
    if op == "==":

        def eq(s: AccountSnapshot, _c: Context) -> bool:
            return s.signals.get(name) == t

        return eq

    def ne(s: AccountSnapshot, _c: Context) -> bool:
        v = s.signals.get(name)
        return v is not None and v != t

    return ne


@attrs.frozen
class PercentChange:
    """A relative change of a signal against a baseline, with a minimum base volume (domain-spec §5.3, A-21).

    ``change = (baseline - value) / baseline`` for a ``"drop"`` (``(value - baseline) / baseline`` for a
    ``"rise"``); the condition holds when ``change >= at_least`` and ``baseline >= min_base``. The minimum base
    keeps 1 → 0 logins from counting as a 100 % drop; a baseline of 0 never holds.

    Args:
        signal: The signal now (``logins_week``).
        at_least: The relative change, as a fraction (0.30 = 30 %).
        baseline: The signal holding the previous period in the same snapshot (``logins_prev_week``: week over
            week; ``logins_prev_month``: month over month); ``None`` compares with the previous snapshot's
            value of ``signal``.
        direction: ``"drop"`` or ``"rise"``.
        min_base: The smallest baseline that counts.
    """

    kind: ClassVar[str] = "percent_change"
    signal: str
    at_least: float
    baseline: str | None = None
    direction: Literal["drop", "rise"] = "drop"
    min_base: float = 0.0

    def compile(self, rule_id: str) -> Predicate:
        """Return this condition as a closure."""
        name, base, at_least, min_base = self.signal, self.baseline, float(self.at_least), float(self.min_base)
        drop = self.direction == "drop"
        if base is not None and name not in _DERIVED and base not in _DERIVED:
            # A missing value reads as NaN, and every comparison with NaN is False.
            # The smallest positive float stands for "above 0" when no minimum base is set.
            lowest = min_base if min_base > 0 else 5e-324
            if drop:

                def same_snapshot_drop(s: AccountSnapshot, _c: Context) -> bool:
                    sig = s.signals
                    b = sig.get(base, 0.0)
                    if b < lowest:
                        return False
                    return (b - sig.get(name, _NAN)) / b >= at_least

                return same_snapshot_drop

            def same_snapshot_rise(s: AccountSnapshot, _c: Context) -> bool:
                sig = s.signals
                b = sig.get(base, 0.0)
                if b < lowest:
                    return False
                return (sig.get(name, _NAN) - b) / b >= at_least

            return same_snapshot_rise
        get_value = _getter(name)
        get_base = _getter(base) if base is not None else _getter(name, "previous")
        sign = 1.0 if drop else -1.0

        def change(s: AccountSnapshot, c: Context) -> bool:
            b = get_base(s, c)
            if b is None or b < min_base or b <= 0:
                return False
            v = get_value(s, c)
            return v is not None and sign * (b - v) / b >= at_least

        return change

    def explain(self, snapshot: AccountSnapshot, context: Context) -> list[Evidence]:
        """Return the change seen, the two raw values and the base volume."""
        v = _getter(self.signal)(snapshot, context)
        base_name = self.baseline or f"previous {self.signal}"
        b = _getter(self.baseline)(snapshot, context) if self.baseline else context.previous.get(self.signal)
        change: float | None = None
        if v is not None and b:
            change = (b - v) / b if self.direction == "drop" else (v - b) / b
        note = f"{base_name} {_opt(b)} → {self.signal} {_opt(v)}; counts only when {base_name} >= {_fmt(self.min_base)}"
        return [Evidence(f"{self.signal} {self.direction} vs {base_name}", change, ">=", _fmt(self.at_least), note)]

    def problems(self, path: str, known: Collection[str]) -> list[Problem]:
        """Return every problem of this condition, with paths under ``path``."""
        found = _check_signal(f"{path}.signal", self.signal, known)
        if self.baseline is not None:
            found += _check_signal(f"{path}.baseline", self.baseline, known)
        found += _num(f"{path}.at_least", self.at_least, minimum=0.0)
        found += _num(f"{path}.min_base", self.min_base, minimum=0.0)
        if self.direction not in ("drop", "rise"):
            found.append(Problem(f"{path}.direction", f"must be 'drop' or 'rise', got {self.direction!r}"))
        elif self.direction == "drop" and not found and self.at_least > 1:
            found.append(Problem(f"{path}.at_least", f"a drop cannot exceed 1 (100 %), got {self.at_least!r}"))
        return found

    def signal_names(self) -> set[str]:
        """Return the signal names this condition reads."""
        return {self.signal} | ({self.baseline} if self.baseline else set())

    def previous_names(self) -> set[str]:
        """Return the signal names this condition reads from the previous snapshot."""
        return set() if self.baseline else {self.signal}


def _opt(value: float | None) -> str:
    return "missing" if value is None else _fmt(value)


@attrs.frozen
class Ratio:
    """The ratio of two signals compared with a threshold: ``seats_active / seats_purchased >= 0.8`` (M2).

    A zero or missing denominator never holds.

    Args:
        numerator: The signal on top.
        denominator: The signal below.
        op: One of ``>=``, ``>``, ``<=``, ``<``, ``==``, ``!=``.
        threshold: The threshold, as a fraction (0.80 = 80 %).
    """

    kind: ClassVar[str] = "ratio"
    numerator: str
    denominator: str
    op: Op
    threshold: float

    def compile(self, rule_id: str) -> Predicate:
        """Return this condition as a closure."""
        t = float(self.threshold)
        if self.numerator == signals.SEATS_ACTIVE and self.denominator == signals.SEATS_PURCHASED and self.op == ">=":

            def seats(s: AccountSnapshot, _c: Context) -> bool:
                p = s.seats_purchased
                return p > 0 and s.seats_active / p >= t

            return seats
        top, bottom, cmp = _getter(self.numerator), _getter(self.denominator), _OPS[self.op]

        def ratio(s: AccountSnapshot, c: Context) -> bool:
            d = bottom(s, c)
            if not d:
                return False
            n = top(s, c)
            return n is not None and cmp(n / d, t)

        return ratio

    def explain(self, snapshot: AccountSnapshot, context: Context) -> list[Evidence]:
        """Return the ratio seen and its two parts."""
        n, d = _getter(self.numerator)(snapshot, context), _getter(self.denominator)(snapshot, context)
        value = n / d if n is not None and d else None
        note = f"{self.numerator} {_opt(n)} / {self.denominator} {_opt(d)}"
        return [Evidence(f"{self.numerator} / {self.denominator}", value, self.op, _fmt(self.threshold), note)]

    def problems(self, path: str, known: Collection[str]) -> list[Problem]:
        """Return every problem of this condition, with paths under ``path``."""
        found = _check_signal(f"{path}.numerator", self.numerator, known)
        found += _check_signal(f"{path}.denominator", self.denominator, known)
        return found + _check_op(f"{path}.op", self.op) + _num(f"{path}.threshold", self.threshold)

    def signal_names(self) -> set[str]:
        """Return the signal names this condition reads."""
        return {self.numerator, self.denominator}

    def previous_names(self) -> set[str]:
        """Return the signal names this condition reads from the previous snapshot."""
        return set()


@attrs.frozen
class BandTransition:
    """A move between health bands since the previous evaluation, or a point drop (domain-spec §4.5, A-5).

    Holds when the previous band is in ``from_bands`` and either the band is now in ``to_bands`` or, with
    ``min_drop``, the score fell by at least ``min_drop`` points from a band of ``drop_bands`` (default:
    ``from_bands``) while staying within ``drop_bands + to_bands`` (``require="either"``, the default OR
    semantics). With ``require="both"`` the band must move *and* the score must drop. The first evaluation of an
    account has no previous band and never holds.

    H2 is one transition: ``BandTransition((GREEN, YELLOW), (RED,), min_drop=10, drop_bands=(YELLOW,))`` holds on
    Yellow → Red, Green → Red, and a 10-point drop while Yellow.

    Args:
        from_bands: The bands the account was in.
        to_bands: The bands it moved to.
        min_drop: The point drop that also counts (``None``: band moves only).
        require: ``"either"`` (band move OR drop) or ``"both"`` (band move AND drop).
        drop_bands: The bands (among ``from_bands``) in which a drop counts (``None``: all of ``from_bands``).
    """

    kind: ClassVar[str] = "band_transition"
    from_bands: tuple[HealthBand, ...]
    to_bands: tuple[HealthBand, ...]
    min_drop: float | None = None
    require: Literal["either", "both"] = "either"
    drop_bands: tuple[HealthBand, ...] | None = None

    def compile(self, rule_id: str) -> Predicate:
        """Return this condition as a closure."""
        before, after = frozenset(self.from_bands), frozenset(self.to_bands)
        drops = before if self.drop_bands is None else frozenset(self.drop_bands)
        stay = drops | after
        drop = self.min_drop
        if drop is None:
            if len(before) == 1 and len(after) == 1:
                (b0,), (a0,) = before, after
                return lambda _s, c: c.previous_band is b0 and c.band is a0

            def moved(_s: AccountSnapshot, c: Context) -> bool:
                return c.previous_band in before and c.band in after

            return moved
        d = float(drop)
        if self.require == "both":

            def moved_and_dropped(_s: AccountSnapshot, c: Context) -> bool:
                if c.previous_band not in before or c.band not in after:
                    return False
                p, v = c.previous_score, c.score
                return p is not None and v is not None and p - v >= d

            return moved_and_dropped

        if len(before) == 1 and len(after) == 1 and drops == before:
            (b0,), (a0,) = before, after

            def one_move_or_drop(_s: AccountSnapshot, c: Context) -> bool:
                if c.previous_band is not b0:
                    return False
                b = c.band
                if b is a0:
                    return True
                if b is not b0:
                    return False
                p, v = c.previous_score, c.score
                return p is not None and v is not None and p - v >= d

            return one_move_or_drop

        def moved_or_dropped(_s: AccountSnapshot, c: Context) -> bool:
            pb = c.previous_band
            if pb not in before:
                return False
            b = c.band
            if b in after:
                return True
            if pb not in drops or b not in stay:
                return False
            p, v = c.previous_score, c.score
            return p is not None and v is not None and p - v >= d

        return moved_or_dropped

    def explain(self, snapshot: AccountSnapshot, context: Context) -> list[Evidence]:
        """Return the two bands and the point drop."""
        pb, b = context.previous_band, context.band
        seen = f"{pb.name if pb else 'none'} → {b.name if b else 'none'}"
        target = f"{'/'.join(x.name for x in self.from_bands)} → {'/'.join(x.name for x in self.to_bands)}"
        found = [Evidence("health band", seen, "moved", target)]
        if self.min_drop is not None:
            p, v = context.previous_score, context.score
            dropped = p - v if p is not None and v is not None else None
            note = f"health score {_opt(p)} → {_opt(v)}"
            found.append(Evidence("health score drop", dropped, ">=", f"{_fmt(self.min_drop)} points", note))
        return found

    def problems(self, path: str, known: Collection[str]) -> list[Problem]:
        """Return every problem of this condition, with paths under ``path``."""
        found = _bands(f"{path}.from_bands", self.from_bands) + _bands(f"{path}.to_bands", self.to_bands)
        if self.min_drop is not None:
            found += _num(f"{path}.min_drop", self.min_drop, minimum=0.0, maximum=100.0)
        if self.require not in ("either", "both"):
            found.append(Problem(f"{path}.require", f"must be 'either' or 'both', got {self.require!r}"))
        elif self.require == "both" and self.min_drop is None:
            found.append(Problem(f"{path}.min_drop", "require='both' needs a min_drop"))
        if self.drop_bands is not None:
            bad = _bands(f"{path}.drop_bands", self.drop_bands)
            if not bad and self.min_drop is None:
                bad = [Problem(f"{path}.drop_bands", "drop_bands needs a min_drop")]
            elif not bad and isinstance(self.from_bands, tuple) and not set(self.drop_bands) <= set(self.from_bands):
                bad = [Problem(f"{path}.drop_bands", "must be among from_bands")]
            found += bad
        return found

    def signal_names(self) -> set[str]:
        """Return the signal names this condition reads."""
        return {signals.HEALTH_SCORE}

    def previous_names(self) -> set[str]:
        """Return the signal names this condition reads from the previous snapshot."""
        return set()


@attrs.frozen
class DaysInBand:
    """Consecutive days in a health band (domain-spec §4.4-§4.5 H3, A-23): ``>= 30`` days in YELLOW.

    Days count from the day the band was entered (day 0); leaving the band resets the count.

    Args:
        band: The band.
        at_least: The number of consecutive days.
    """

    kind: ClassVar[str] = "days_in_band"
    band: HealthBand
    at_least: int

    def compile(self, rule_id: str) -> Predicate:
        """Return this condition as a closure."""
        band, n = self.band, self.at_least

        def days_in_band(_s: AccountSnapshot, c: Context) -> bool:
            return c.band is band and c.days_in_band >= n

        return days_in_band

    def explain(self, snapshot: AccountSnapshot, context: Context) -> list[Evidence]:
        """Return the band and the days spent in it."""
        band = context.band.name if context.band else "none"
        return [Evidence(f"days in {self.band.name}", context.days_in_band, ">=", str(self.at_least), f"band {band}")]

    def problems(self, path: str, known: Collection[str]) -> list[Problem]:
        """Return every problem of this condition, with paths under ``path``."""
        found = [] if isinstance(self.band, HealthBand) else [Problem(f"{path}.band", "must be RED, YELLOW or GREEN")]
        if isinstance(self.at_least, bool) or not isinstance(self.at_least, int) or self.at_least < 0:
            found.append(Problem(f"{path}.at_least", f"must be a whole number of days >= 0, got {self.at_least!r}"))
        return found

    def signal_names(self) -> set[str]:
        """Return the signal names this condition reads."""
        return {signals.HEALTH_SCORE}

    def previous_names(self) -> set[str]:
        """Return the signal names this condition reads from the previous snapshot."""
        return set()


def _days_problems(path: str, field: object, bounds: Mapping[str, int | None]) -> list[Problem]:
    found = []
    if field not in ("contract_start", "contract_end"):
        found.append(Problem(f"{path}.date", f"must be 'contract_start' or 'contract_end', got {field!r}"))
    for name, value in bounds.items():
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            found.append(Problem(f"{path}.{name}", f"must be a whole number of days, got {value!r}"))
    values = [v for v in bounds.values() if isinstance(v, int) and not isinstance(v, bool)]
    if len(values) == 2 and values[0] > values[1]:
        names = list(bounds)
        found.append(Problem(f"{path}.{names[0]}", f"must be <= {names[1]} ({values[1]}), got {values[0]}"))
    return found


@attrs.frozen
class DaysUntil:
    """Days from the snapshot date to a date of the account are within a range: renewal in 0-90 days (M1).

    Holds when ``at_least <= (date - as_of).days <= at_most``; a missing date never holds.

    Args:
        date: ``"contract_end"`` (the renewal date) or ``"contract_start"``.
        at_most: The largest number of days ahead.
        at_least: The smallest number of days ahead (0: the date is today or later).
    """

    kind: ClassVar[str] = "days_until"
    date: DateField
    at_most: int
    at_least: int = 0

    def compile(self, rule_id: str) -> Predicate:
        """Return this condition as a closure."""
        low, high = self.at_least, self.at_most
        if self.date == "contract_end":

            def days_until_end(s: AccountSnapshot, _c: Context) -> bool:
                d = s.contract_end
                return d is not None and low <= (d - s.as_of).days <= high

            return days_until_end
        getter = operator.attrgetter(self.date)

        def days_until(s: AccountSnapshot, _c: Context) -> bool:
            d = getter(s)
            return d is not None and low <= (d - s.as_of).days <= high

        return days_until

    def explain(self, snapshot: AccountSnapshot, context: Context) -> list[Evidence]:
        """Return the days left."""
        d = getattr(snapshot, self.date)
        left = None if d is None else (d - snapshot.as_of).days
        note = f"{self.date} {d.isoformat() if d else 'unknown'}, as of {snapshot.as_of.isoformat()}"
        return [Evidence(f"days until {self.date}", left, "within", f"{self.at_least}..{self.at_most}", note)]

    def problems(self, path: str, known: Collection[str]) -> list[Problem]:
        """Return every problem of this condition, with paths under ``path``."""
        return _days_problems(path, self.date, {"at_least": self.at_least, "at_most": self.at_most})

    def signal_names(self) -> set[str]:
        """Return the signal names this condition reads."""
        return set()

    def previous_names(self) -> set[str]:
        """Return the signal names this condition reads from the previous snapshot."""
        return set()


@attrs.frozen
class DaysSince:
    """Days from a date of the account to the snapshot date: 30 days after contract start (U2).

    Holds when ``at_least <= (as_of - date).days`` (and ``<= at_most`` when given); a missing date never holds.

    Args:
        date: ``"contract_start"`` or ``"contract_end"``.
        at_least: The smallest number of days elapsed.
        at_most: The largest number of days elapsed (``None``: no limit).
    """

    kind: ClassVar[str] = "days_since"
    date: DateField
    at_least: int
    at_most: int | None = None

    def compile(self, rule_id: str) -> Predicate:
        """Return this condition as a closure."""
        low, high = self.at_least, self.at_most
        getter = operator.attrgetter(self.date)
        if high is None and self.date == "contract_start":

            def days_since_start(s: AccountSnapshot, _c: Context) -> bool:
                d = s.contract_start
                return d is not None and (s.as_of - d).days >= low

            return days_since_start
        if high is None:

            def days_since(s: AccountSnapshot, _c: Context) -> bool:
                d = getter(s)
                return d is not None and (s.as_of - d).days >= low

            return days_since
        top = high

        def days_since_between(s: AccountSnapshot, _c: Context) -> bool:
            d = getter(s)
            return d is not None and low <= (s.as_of - d).days <= top

        return days_since_between

    def explain(self, snapshot: AccountSnapshot, context: Context) -> list[Evidence]:
        """Return the days elapsed."""
        d = getattr(snapshot, self.date)
        since = None if d is None else (snapshot.as_of - d).days
        top = "" if self.at_most is None else f"..{self.at_most}"
        note = f"{self.date} {d.isoformat() if d else 'unknown'}, as of {snapshot.as_of.isoformat()}"
        return [Evidence(f"days since {self.date}", since, ">=", f"{self.at_least}{top}", note)]

    def problems(self, path: str, known: Collection[str]) -> list[Problem]:
        """Return every problem of this condition, with paths under ``path``."""
        return _days_problems(path, self.date, {"at_least": self.at_least, "at_most": self.at_most})

    def signal_names(self) -> set[str]:
        """Return the signal names this condition reads."""
        return set()

    def previous_names(self) -> set[str]:
        """Return the signal names this condition reads from the previous snapshot."""
        return set()


@attrs.frozen
class AllOf:
    """Holds when every one of its conditions holds (evaluated left to right, stopping at the first miss).

    Args:
        conditions: The conditions (at least one).
    """

    kind: ClassVar[str] = "all"
    conditions: tuple[Condition, ...]

    def compile(self, rule_id: str) -> Predicate:
        """Return this condition as a closure."""
        ordered = _cheap_first(self.conditions)
        parts = tuple(c.compile(rule_id) for c in ordered)
        if len(parts) == 1:
            return parts[0]
        if len(parts) == 2:
            a, b = parts
            fused = _fuse_and(ordered[0], b)
            if fused is not None:
                return fused
            return lambda s, c: a(s, c) and b(s, c)

        def all_of(s: AccountSnapshot, c: Context) -> bool:
            for p in parts:  # noqa: SIM110 - a loop is faster than a generator on this hot path
                if not p(s, c):
                    return False
            return True

        return all_of

    def explain(self, snapshot: AccountSnapshot, context: Context) -> list[Evidence]:
        """Return the evidence of every part."""
        return [e for c in self.conditions for e in c.explain(snapshot, context)]

    def problems(self, path: str, known: Collection[str]) -> list[Problem]:
        """Return every problem of this condition, with paths under ``path``."""
        return _children(path, self.conditions, known)

    def signal_names(self) -> set[str]:
        """Return the signal names this condition reads."""
        return set().union(*(c.signal_names() for c in self.conditions))

    def previous_names(self) -> set[str]:
        """Return the signal names this condition reads from the previous snapshot."""
        return set().union(*(c.previous_names() for c in self.conditions))


@attrs.frozen
class AnyOf:
    """Holds when at least one of its conditions holds (stopping at the first hit).

    Args:
        conditions: The conditions (at least one).
    """

    kind: ClassVar[str] = "any"
    conditions: tuple[Condition, ...]

    def compile(self, rule_id: str) -> Predicate:
        """Return this condition as a closure."""
        parts = tuple(c.compile(rule_id) for c in _cheap_first(self.conditions))
        if len(parts) == 1:
            return parts[0]
        if len(parts) == 2:
            a, b = parts
            return lambda s, c: a(s, c) or b(s, c)

        def any_of(s: AccountSnapshot, c: Context) -> bool:
            for p in parts:  # noqa: SIM110 - a loop is faster than a generator on this hot path
                if p(s, c):
                    return True
            return False

        return any_of

    def explain(self, snapshot: AccountSnapshot, context: Context) -> list[Evidence]:
        """Return the evidence of the parts that hold (of all parts when none holds alone, e.g. hysteresis)."""
        rule = "explain"
        held = [c for c in self.conditions if c.compile(rule)(snapshot, context)] or list(self.conditions)
        return [e for c in held for e in c.explain(snapshot, context)]

    def problems(self, path: str, known: Collection[str]) -> list[Problem]:
        """Return every problem of this condition, with paths under ``path``."""
        return _children(path, self.conditions, known)

    def signal_names(self) -> set[str]:
        """Return the signal names this condition reads."""
        return set().union(*(c.signal_names() for c in self.conditions))

    def previous_names(self) -> set[str]:
        """Return the signal names this condition reads from the previous snapshot."""
        return set().union(*(c.previous_names() for c in self.conditions))


@attrs.frozen
class Not:
    """Holds when its condition does not hold.

    Args:
        condition: The condition to negate.
    """

    kind: ClassVar[str] = "not"
    condition: Condition

    def compile(self, rule_id: str) -> Predicate:
        """Return this condition as a closure."""
        inner = self.condition.compile(rule_id)
        return lambda s, c: not inner(s, c)

    def explain(self, snapshot: AccountSnapshot, context: Context) -> list[Evidence]:
        """Return the evidence of the negated condition, marked as negated."""
        return [attrs.evolve(e, op=f"not {e.op}") for e in self.condition.explain(snapshot, context)]

    def problems(self, path: str, known: Collection[str]) -> list[Problem]:
        """Return every problem of this condition, with paths under ``path``."""
        return problems_of(self.condition, f"{path}.condition", known)

    def signal_names(self) -> set[str]:
        """Return the signal names this condition reads."""
        return self.condition.signal_names()

    def previous_names(self) -> set[str]:
        """Return the signal names this condition reads from the previous snapshot."""
        return self.condition.previous_names()


Condition = (
    Threshold | PercentChange | Ratio | BandTransition | DaysInBand | DaysUntil | DaysSince | AllOf | AnyOf | Not
)
"""Any condition (a tagged union: ``kind`` names the class in plain data)."""

CONDITION_CLASSES: tuple[type[Any], ...] = (
    Threshold,
    PercentChange,
    Ratio,
    BandTransition,
    DaysInBand,
    DaysUntil,
    DaysSince,
    AllOf,
    AnyOf,
    Not,
)
BY_KIND: dict[str, type[Any]] = {cls.kind: cls for cls in CONDITION_CLASSES}


def _cost(condition: Condition) -> int:
    if isinstance(condition, (Threshold, DaysInBand)):
        return 0
    if isinstance(condition, (Ratio, BandTransition)):
        return 1
    if isinstance(condition, (DaysSince, DaysUntil, PercentChange)):
        return 2
    return 3


def _fuse_and(first: Condition, then: Predicate) -> Predicate | None:
    """Inline a plain ``>=`` / ``==`` threshold in front of the next test (one call less on the hot path)."""
    if not isinstance(first, Threshold) or first.release is not None or first.source != "current":
        return None
    name, t = first.signal, float(first.threshold)
    if name in _DERIVED or name == signals.HEALTH_SCORE:
        return None
    if first.op == ">=":

        def ge_and(s: AccountSnapshot, c: Context) -> bool:
            return s.signals.get(name, _NEG_INF) >= t and then(s, c)

        return ge_and
    if first.op == "==":

        def eq_and(s: AccountSnapshot, c: Context) -> bool:
            return s.signals.get(name) == t and then(s, c)

        return eq_and
    return None


def _cheap_first(conditions: tuple[Condition, ...]) -> list[Condition]:
    """Order conditions cheapest first: they are pure, so all / any give the same answer in any order."""
    return sorted(conditions, key=_cost)


def problems_of(condition: object, path: str, known: Collection[str]) -> list[Problem]:
    """Return every problem of ``condition`` (any value) with paths under ``path``."""
    if not isinstance(condition, CONDITION_CLASSES):
        return [Problem(path, f"not a condition: {type(condition).__name__}; use one of {', '.join(BY_KIND)}")]
    found: list[Problem] = condition.problems(path, known)
    return found


def _children(path: str, conditions: object, known: Collection[str]) -> list[Problem]:
    if not isinstance(conditions, tuple) or not conditions:
        return [Problem(f"{path}.conditions", "must be a non-empty list of conditions")]
    return [p for i, c in enumerate(conditions) for p in problems_of(c, f"{path}.conditions[{i}]", known)]
