"""Conditions on signal values: a threshold (with hysteresis), a relative change, a ratio.

Each is one class holding its scalar form (:meth:`compile`, a closure ``predicate(snapshot, context) -> bool``) and
its columnar form (:meth:`expr`, a Boolean narwhals expression with no nulls), side by side.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, ClassVar, Final, Literal

import attrs

from postsale import signals
from postsale._checks import shown
from postsale._columnar import decision
from postsale._errors import Problem
from postsale._repr import readable
from postsale._vocabulary import AccountSnapshot
from postsale.triggers._model import Context, Evidence
from postsale.triggers._read import (
    DERIVED,
    OPS,
    Op,
    Predicate,
    Source,
    check_number,
    check_op,
    check_signal,
    column,
    columnar,
    compare,
    fmt,
    formed,
    getter,
    inputs,
    names,
    opt,
    rule_name,
)

if TYPE_CHECKING:  # pragma: no cover - typing only
    from narwhals.stable.v2 import Expr

    from postsale._columnar import Env

__all__ = ["PercentChange", "Ratio", "Threshold"]

_NEG_INF: Final = float("-inf")
_POS_INF: Final = float("inf")
_NAN: Final = float("nan")


@decision("compile")
@attrs.frozen
class Threshold:
    """A signal compared with a threshold: ``support_tickets_week >= 3``.

    A missing signal never satisfies a threshold (``!=`` included). With ``release`` the condition has
    hysteresis: once it held (at the previous evaluation of the rule), it keeps holding until the value crosses
    ``release`` (e.g. enter below 40, leave at 50).

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

    __repr__ = readable
    kind: ClassVar[str] = "threshold"
    cost: ClassVar[int] = 0
    signal: str
    op: Op
    threshold: float
    release: float | None = None
    source: Source = "current"

    # ---- scalar form ---------------------------------------------------------------------------------------
    def compile(self, rule_id: str) -> Predicate:
        """Return this condition as a closure; ``rule_id`` is the rule it belongs to (for hysteresis)."""
        rule_id = rule_name(rule_id)
        formed(self)
        name, t, release = self.signal, float(self.threshold), self.release
        plain = self.source == "current" and name not in DERIVED and name != signals.HEALTH_SCORE
        if release is None and plain:
            return _plain_threshold(name, self.op, t)
        get = getter(name, self.source)
        cmp = OPS[self.op]
        if release is None:

            def test(s: AccountSnapshot, c: Context) -> bool:
                v = get(s, c)
                return v is not None and bool(cmp(v, t))

            return test
        r = float(release)
        keep: Callable[[float, float], bool] = operator.lt if self.op in ("<", "<=") else operator.gt

        def hysteresis(s: AccountSnapshot, c: Context) -> bool:
            v = get(s, c)
            if v is None:
                return False
            if rule_id in c.active:
                return bool(keep(v, r))
            return bool(cmp(v, t))

        return hysteresis

    # ---- columnar form -------------------------------------------------------------------------------------
    def expr(self, env: Env, rule_id: str) -> Expr:
        """Return this condition as a Boolean column (false where the signal is null); the columnar
        :meth:`compile`: ``active.<rule_id>`` says whether the rule held at the previous evaluation.

        Examples:
            >>> import narwhals.stable.v2 as nw
            >>> from datetime import date
            >>> from postsale._columnar import Env, physical
            >>> frame = nw.from_dict({"nps": [3.0, 7.0, None], physical("active.R"): [False, True, False]},
            ...                      backend="polars")
            >>> env = Env(frame.columns, as_of=date(2026, 1, 5))
            >>> holds = Threshold("nps", "<", 5, release=8).expr(env, "R")
            >>> frame.select(holds.alias("R"))["R"].to_list()
            [True, True, False]
        """
        env = columnar(env, rule_id)
        formed(self)
        value = column(env, self.signal, self.source)
        hit = compare(value, self.op, float(self.threshold))
        if self.release is None:
            return hit
        kept = compare(value, ">" if self.op in (">", ">=") else "<", float(self.release))
        result: Expr = env.nw.when(env.active(rule_id)).then(kept).otherwise(hit)
        return result

    # ---- evidence and checks -------------------------------------------------------------------------------
    def evidence(self, snapshot: AccountSnapshot, context: Context) -> list[Evidence]:
        """Return the value seen and the threshold."""
        inputs(snapshot, context)
        formed(self)
        v = getter(self.signal, self.source)(snapshot, context)
        note = f"stays on until it crosses {fmt(self.release)}" if self.release is not None else ""
        subject = self.signal if self.source == "current" else f"previous {self.signal}"
        return [Evidence(subject, v, self.op, fmt(self.threshold), note)]

    def problems(self, path: str, known: Collection[str]) -> list[Problem]:
        """Return every problem of this condition, with paths under ``path``."""
        op, threshold = check_op(f"{path}.op", self.op), check_number(f"{path}.threshold", self.threshold)
        found = check_signal(f"{path}.signal", self.signal, known) + op + threshold
        if self.source not in ("current", "previous"):
            found.append(Problem(f"{path}.source", f"must be 'current' or 'previous', got {shown(self.source)!r}"))
        if self.release is not None:
            bad = check_number(f"{path}.release", self.release)
            # the release is compared only with a valid threshold, under a valid comparison
            found += bad or ([] if op or threshold else self._release_problems(f"{path}.release"))
        return found

    def _release_problems(self, path: str) -> list[Problem]:
        if self.op in ("<", "<=") and not self.release > self.threshold:  # type: ignore[operator]
            return [Problem(path, f"must be above the threshold {self.threshold!r} for {self.op}")]
        if self.op in (">", ">=") and not self.release < self.threshold:  # type: ignore[operator]
            return [Problem(path, f"must be below the threshold {self.threshold!r} for {self.op}")]
        if self.op in ("==", "!="):
            return [Problem(path, f"hysteresis needs <, <=, > or >=, not {self.op}")]
        return []

    def signal_names(self) -> set[str]:
        """Return the signal names this condition reads."""
        return names(self, signal=self.signal)

    def previous_names(self) -> set[str]:
        """Return the signal names this condition reads from the previous snapshot."""
        read = names(self, signal=self.signal)
        return read if self.source == "previous" else set()


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


@decision("compile")
@attrs.frozen
class PercentChange:
    """A relative change of a signal against a baseline, with a minimum base volume.

    ``change = (baseline - value) / baseline`` for a ``"drop"`` (``(value - baseline) / baseline`` for a
    ``"rise"``); the condition holds when ``change >= at_least`` and ``baseline >= min_base``. The minimum base
    keeps 1 → 0 logins from counting as a 100 % drop; a baseline of 0 (or below) never holds, nor does a missing
    value or baseline.

    Args:
        signal: The signal now (``logins_week``).
        at_least: The relative change, as a fraction (0.30 = 30 %).
        baseline: The signal holding the previous period in the same snapshot (``logins_prev_week``: week over
            week; ``logins_prev_month``: month over month); ``None`` compares with the previous snapshot's
            value of ``signal``.
        direction: ``"drop"`` or ``"rise"``.
        min_base: The smallest baseline that counts.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> u1 = PercentChange("logins_week", 0.3, baseline="logins_prev_week", min_base=10).compile("U1")
        >>> day = date(2026, 1, 5)
        >>> u1(AccountSnapshot("a", "SMB", day, signals={"logins_week": 7, "logins_prev_week": 10}), Context())
        True
        >>> u1(AccountSnapshot("a", "SMB", day, signals={"logins_week": 0, "logins_prev_week": 1}), Context())
        False
    """

    __repr__ = readable
    kind: ClassVar[str] = "percent_change"
    cost: ClassVar[int] = 2
    signal: str
    at_least: float
    baseline: str | None = None
    direction: Literal["drop", "rise"] = "drop"
    min_base: float = 0.0

    # ---- scalar form ---------------------------------------------------------------------------------------
    def compile(self, rule_id: str) -> Predicate:
        """Return this condition as a closure."""
        rule_id = rule_name(rule_id)
        formed(self)
        name, base, at_least, min_base = self.signal, self.baseline, float(self.at_least), float(self.min_base)
        drop = self.direction == "drop"
        if base is not None and not {name, base} & (DERIVED | {signals.HEALTH_SCORE}):
            # Two plain signals of the snapshot. A missing value reads as NaN (every comparison with NaN is False);
            # the smallest positive float stands for "above 0" when no minimum base is set.
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
        get_value = getter(name)
        get_base = getter(base) if base is not None else getter(name, "previous")

        def change(s: AccountSnapshot, c: Context) -> bool:
            b = get_base(s, c)
            if b is None or b < min_base or b <= 0:
                return False
            v = get_value(s, c)
            if v is None:
                return False
            return ((b - v) / b if drop else (v - b) / b) >= at_least

        return change

    # ---- columnar form -------------------------------------------------------------------------------------
    def expr(self, env: Env, rule_id: str) -> Expr:
        """Return this condition as a Boolean column: the columnar :meth:`compile` (same arithmetic, same order).

        Examples:
            >>> import narwhals.stable.v2 as nw
            >>> from datetime import date
            >>> from postsale._columnar import Env
            >>> frame = nw.from_dict({"logins_week": [7.0, 0.0, None], "logins_prev_week": [10.0, 1.0, 50.0]},
            ...                      backend="polars")
            >>> u1 = PercentChange("logins_week", 0.3, baseline="logins_prev_week", min_base=10)
            >>> frame.select(u1.expr(Env(frame.columns, as_of=date(2026, 1, 5)), "U1").alias("U1"))["U1"].to_list()
            [True, False, False]
        """
        env = columnar(env, rule_id)
        formed(self)
        value = column(env, self.signal)
        base = column(env, self.baseline) if self.baseline is not None else env.previous(self.signal)
        counts = ((base >= float(self.min_base)) & (base > 0)).fill_null(False)
        safe = env.nw.when(counts).then(base)  # null where the base does not count: no division by zero
        change = (safe - value) / safe if self.direction == "drop" else (value - safe) / safe
        return compare(change, ">=", float(self.at_least))

    # ---- evidence and checks -------------------------------------------------------------------------------
    def evidence(self, snapshot: AccountSnapshot, context: Context) -> list[Evidence]:
        """Return the change seen, the two raw values and the base volume."""
        inputs(snapshot, context)
        formed(self)
        v = getter(self.signal)(snapshot, context)
        base_name = self.baseline or f"previous {self.signal}"
        b = getter(self.baseline)(snapshot, context) if self.baseline else context.previous.get(self.signal)
        change: float | None = None
        if v is not None and b:
            change = (b - v) / b if self.direction == "drop" else (v - b) / b
        note = f"{base_name} {opt(b)} → {self.signal} {opt(v)}; counts only when {base_name} >= {fmt(self.min_base)}"
        return [Evidence(f"{self.signal} {self.direction} vs {base_name}", change, ">=", fmt(self.at_least), note)]

    def problems(self, path: str, known: Collection[str]) -> list[Problem]:
        """Return every problem of this condition, with paths under ``path``."""
        found = check_signal(f"{path}.signal", self.signal, known)
        if self.baseline is not None:
            found += check_signal(f"{path}.baseline", self.baseline, known)
        found += check_number(f"{path}.at_least", self.at_least, minimum=0.0)
        found += check_number(f"{path}.min_base", self.min_base, minimum=0.0)
        if self.direction not in ("drop", "rise"):
            found.append(Problem(f"{path}.direction", f"must be 'drop' or 'rise', got {shown(self.direction)!r}"))
        elif self.direction == "drop" and not found and self.at_least > 1:
            found.append(Problem(f"{path}.at_least", f"a drop cannot exceed 1 (100 %), got {self.at_least!r}"))
        return found

    def signal_names(self) -> set[str]:
        """Return the signal names this condition reads."""
        return names(self, signal=self.signal, **({} if self.baseline is None else {"baseline": self.baseline}))

    def previous_names(self) -> set[str]:
        """Return the signal names this condition reads from the previous snapshot."""
        read = self.signal_names()
        return set() if self.baseline is not None else read


@decision("compile")
@attrs.frozen
class Ratio:
    """The ratio of two signals compared with a threshold: ``seats_active / seats_purchased >= 0.8`` (M2).

    A zero or missing denominator never holds, nor does a missing numerator.

    Args:
        numerator: The signal on top.
        denominator: The signal below.
        op: One of ``>=``, ``>``, ``<=``, ``<``, ``==``, ``!=``.
        threshold: The threshold, as a fraction (0.80 = 80 %).

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> m2 = Ratio("seats_active", "seats_purchased", ">=", 0.8).compile("M2")
        >>> m2(AccountSnapshot("a", "SMB", date(2026, 1, 5), seats_purchased=10, seats_active=8), Context())
        True
    """

    __repr__ = readable
    kind: ClassVar[str] = "ratio"
    cost: ClassVar[int] = 1
    numerator: str
    denominator: str
    op: Op
    threshold: float

    # ---- scalar form ---------------------------------------------------------------------------------------
    def compile(self, rule_id: str) -> Predicate:
        """Return this condition as a closure."""
        rule_id = rule_name(rule_id)
        formed(self)
        t = float(self.threshold)
        if self.numerator == signals.SEATS_ACTIVE and self.denominator == signals.SEATS_PURCHASED and self.op == ">=":

            def seats(s: AccountSnapshot, _c: Context) -> bool:
                p = s.seats_purchased  # a count: never negative, so "not 0" is "> 0"
                return p > 0 and s.seats_active / p >= t

            return seats
        top, bottom, cmp = getter(self.numerator), getter(self.denominator), OPS[self.op]

        def ratio(s: AccountSnapshot, c: Context) -> bool:
            d = bottom(s, c)
            if not d:
                return False
            n = top(s, c)
            return n is not None and bool(cmp(n / d, t))

        return ratio

    # ---- columnar form -------------------------------------------------------------------------------------
    def expr(self, env: Env, rule_id: str) -> Expr:
        """Return this condition as a Boolean column: the columnar :meth:`compile`.

        Examples:
            >>> import narwhals.stable.v2 as nw
            >>> from datetime import date
            >>> from postsale._columnar import Env
            >>> frame = nw.from_dict({"seats_active": [8.0, 8.0, 1.0], "seats_purchased": [10.0, 0.0, None]},
            ...                      backend="polars")
            >>> m2 = Ratio("seats_active", "seats_purchased", ">=", 0.8)
            >>> frame.select(m2.expr(Env(frame.columns, as_of=date(2026, 1, 5)), "M2").alias("M2"))["M2"].to_list()
            [True, False, False]
        """
        env = columnar(env, rule_id)
        formed(self)
        bottom = column(env, self.denominator)
        safe = env.nw.when(bottom != 0).then(bottom)  # null where the denominator is 0 or missing
        return compare(column(env, self.numerator) / safe, self.op, float(self.threshold))

    # ---- evidence and checks -------------------------------------------------------------------------------
    def evidence(self, snapshot: AccountSnapshot, context: Context) -> list[Evidence]:
        """Return the ratio seen and its two parts."""
        inputs(snapshot, context)
        formed(self)
        n, d = getter(self.numerator)(snapshot, context), getter(self.denominator)(snapshot, context)
        value = n / d if n is not None and d else None
        note = f"{self.numerator} {opt(n)} / {self.denominator} {opt(d)}"
        return [Evidence(f"{self.numerator} / {self.denominator}", value, self.op, fmt(self.threshold), note)]

    def problems(self, path: str, known: Collection[str]) -> list[Problem]:
        """Return every problem of this condition, with paths under ``path``."""
        found = check_signal(f"{path}.numerator", self.numerator, known)
        found += check_signal(f"{path}.denominator", self.denominator, known)
        return found + check_op(f"{path}.op", self.op) + check_number(f"{path}.threshold", self.threshold)

    def signal_names(self) -> set[str]:
        """Return the signal names this condition reads."""
        return names(self, numerator=self.numerator, denominator=self.denominator)

    def previous_names(self) -> set[str]:
        """Return the signal names this condition reads from the previous snapshot."""
        self.signal_names()  # the same checks
        return set()
