"""Conditions on the account's moment: a band move or point drop, days in a band, days until or since a date.

Each is one class holding its scalar form (:meth:`compile`) and its columnar form (:meth:`expr`) side by side. The
scalar form reads the carried state from the :class:`~postsale.triggers.Context`; the columnar form reads the same
state from the frame: ``band`` (the band now), ``health`` (the score now), ``previous.band``, ``previous.health``
and ``days_in_band``.
"""

from __future__ import annotations

import operator
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import attrs

from postsale import signals
from postsale._checks import shown
from postsale._columnar import BAND, DAYS_IN_BAND, HEALTH, PREVIOUS, decision, segment_code
from postsale._errors import Problem
from postsale._frozen import FrozenDict, freeze
from postsale._repr import readable
from postsale._vocabulary import AccountSnapshot, HealthBand, Segment
from postsale.triggers._model import Context, Evidence
from postsale.triggers._read import (
    DateField,
    Predicate,
    among,
    check_band,
    check_bands,
    check_days,
    check_number,
    check_segment_days,
    columnar,
    compare,
    fmt,
    formed,
    inputs,
    opt,
    rule_name,
)

if TYPE_CHECKING:  # pragma: no cover - typing only
    from narwhals.stable.v2 import Expr

    from postsale._columnar import Env

__all__ = ["BandTransition", "DaysInBand", "DaysSince", "DaysUntil"]


@decision("compile")
@attrs.frozen
class BandTransition:
    """A move between health bands since the previous evaluation, or a point drop.

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

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot, HealthBand
        >>> h1 = BandTransition((HealthBand.GREEN,), (HealthBand.YELLOW,), min_drop=15).compile("H1")
        >>> snap = AccountSnapshot("a", "SMB", date(2026, 1, 5))
        >>> moved = Context(band=HealthBand.YELLOW, previous_band=HealthBand.GREEN)
        >>> dropped = Context(score=71.0, band=HealthBand.GREEN, previous_score=86.0, previous_band=HealthBand.GREEN)
        >>> h1(snap, moved), h1(snap, dropped), h1(snap, Context(band=HealthBand.YELLOW))
        (True, True, False)
    """

    __repr__ = readable
    kind: ClassVar[str] = "band_transition"
    cost: ClassVar[int] = 1
    from_bands: tuple[HealthBand, ...]
    to_bands: tuple[HealthBand, ...]
    min_drop: float | None = None
    require: Literal["either", "both"] = "either"
    drop_bands: tuple[HealthBand, ...] | None = None

    # ---- scalar form ---------------------------------------------------------------------------------------
    def compile(self, rule_id: str) -> Predicate:
        """Return this condition as a closure."""
        rule_id = rule_name(rule_id)
        formed(self)
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

    # ---- columnar form -------------------------------------------------------------------------------------
    def expr(self, env: Env, rule_id: str) -> Expr:
        """Return this condition as a Boolean column (columns ``band``, ``previous.band`` and, with a drop,
        ``health`` and ``previous.health``): the columnar :meth:`compile`.

        Examples:
            >>> import narwhals.stable.v2 as nw
            >>> from datetime import date
            >>> from postsale import HealthBand
            >>> from postsale._columnar import Env, physical
            >>> frame = nw.from_dict({"band": ["YELLOW", "GREEN", "YELLOW"],
            ...                       physical("previous.band"): ["GREEN", "GREEN", None],
            ...                       "health": [60.0, 71.0, 60.0], physical("previous.health"): [75.0, 86.0, None]},
            ...                      backend="polars")
            >>> h1 = BandTransition((HealthBand.GREEN,), (HealthBand.YELLOW,), min_drop=15)
            >>> frame.select(h1.expr(Env(frame.columns, as_of=date(2026, 1, 5)), "H1").alias("H1"))["H1"].to_list()
            [True, True, False]
        """
        env = columnar(env, rule_id)
        formed(self)
        if not env.has(PREVIOUS + BAND):  # a first evaluation: no band before, so no transition (as Engine.step)
            env.band()  # ... but the band is still read: a frame without it cannot evaluate the rule
            result: Expr = env.nw.lit(False)
            return result
        band, before = env.band(), env.previous(BAND)
        was, now = among(before, self.from_bands), among(band, self.to_bands)
        if self.min_drop is None:
            return was & now
        dropped = compare(env.previous(HEALTH) - env.health(), ">=", float(self.min_drop))
        if self.require == "both":
            return was & now & dropped
        drops = self.from_bands if self.drop_bands is None else self.drop_bands
        return was & (now | (among(before, drops) & among(band, (*drops, *self.to_bands)) & dropped))

    # ---- evidence and checks -------------------------------------------------------------------------------
    def evidence(self, snapshot: AccountSnapshot, context: Context) -> list[Evidence]:
        """Return the two bands and the point drop."""
        inputs(snapshot, context)
        formed(self)
        pb, b = context.previous_band, context.band
        seen = f"{pb.name if pb else 'none'} → {b.name if b else 'none'}"
        before, after = ("/".join(x.name for x in bands) for bands in (self.from_bands, self.to_bands))
        stays = set(self.from_bands) == set(self.to_bands)  # a drop within a band, not a move
        rule = ("stayed in", after) if stays else ("moved", f"{before} → {after}")
        found = [Evidence("health band", seen, *rule)]
        if self.min_drop is not None:
            p, v = context.previous_score, context.score
            dropped = p - v if p is not None and v is not None else None
            note = f"health score {opt(p)} → {opt(v)}"
            found.append(Evidence("health score drop", dropped, ">=", f"{fmt(self.min_drop)} points", note))
        return found

    def problems(self, path: str, known: Collection[str]) -> list[Problem]:
        """Return every problem of this condition, with paths under ``path``."""
        found = check_bands(f"{path}.from_bands", self.from_bands) + check_bands(f"{path}.to_bands", self.to_bands)
        if self.min_drop is not None:
            found += check_number(f"{path}.min_drop", self.min_drop, minimum=0.0, maximum=100.0)
        if self.require not in ("either", "both"):
            found.append(Problem(f"{path}.require", f"must be 'either' or 'both', got {shown(self.require)!r}"))
        elif self.require == "both" and self.min_drop is None:
            found.append(Problem(f"{path}.min_drop", "require='both' needs a min_drop"))
        if self.drop_bands is not None:
            bad = check_bands(f"{path}.drop_bands", self.drop_bands)
            if not bad and self.min_drop is None:
                bad = [Problem(f"{path}.drop_bands", "drop_bands needs a min_drop")]
            elif not bad and not check_bands("", self.from_bands) and not set(self.drop_bands) <= set(self.from_bands):
                bad = [Problem(f"{path}.drop_bands", "must be among from_bands")]
            found += bad
        return found

    def signal_names(self) -> set[str]:
        """Return the signal names this condition reads."""
        return {signals.HEALTH_SCORE}

    def previous_names(self) -> set[str]:
        """Return the signal names this condition reads from the previous snapshot."""
        return set()


@decision("compile")
@attrs.frozen
class DaysInBand:
    """Consecutive days in a health band: ``>= 30`` days in YELLOW (H3).

    Days count from the day the band was entered (day 0); leaving the band resets the count.

    Args:
        band: The band.
        at_least: The number of consecutive days.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot, HealthBand
        >>> h3 = DaysInBand(HealthBand.YELLOW, 30).compile("H3")
        >>> snap = AccountSnapshot("a", "SMB", date(2026, 1, 5))
        >>> h3(snap, Context(band=HealthBand.YELLOW, days_in_band=30)), h3(snap, Context(band=HealthBand.RED,
        ...                                                                                  days_in_band=40))
        (True, False)
    """

    __repr__ = readable
    kind: ClassVar[str] = "days_in_band"
    cost: ClassVar[int] = 0
    band: HealthBand
    at_least: int

    # ---- scalar form ---------------------------------------------------------------------------------------
    def compile(self, rule_id: str) -> Predicate:
        """Return this condition as a closure."""
        rule_id = rule_name(rule_id)
        formed(self)
        band, n = self.band, self.at_least

        def days_in_band(_s: AccountSnapshot, c: Context) -> bool:
            return c.band is band and c.days_in_band >= n

        return days_in_band

    # ---- columnar form -------------------------------------------------------------------------------------
    def expr(self, env: Env, rule_id: str) -> Expr:
        """Return this condition as a Boolean column (columns ``band`` and ``days_in_band``).

        Examples:
            >>> import narwhals.stable.v2 as nw
            >>> from datetime import date
            >>> from postsale import HealthBand
            >>> from postsale._columnar import Env
            >>> frame = nw.from_dict({"band": ["YELLOW", "YELLOW", None], "days_in_band": [30.0, 29.0, 40.0]},
            ...                      backend="polars")
            >>> h3 = DaysInBand(HealthBand.YELLOW, 30).expr(Env(frame.columns, as_of=date(2026, 1, 5)), "H3")
            >>> frame.select(h3.alias("H3"))["H3"].to_list()
            [True, False, False]
        """
        env = columnar(env, rule_id)
        formed(self)
        return compare(env.band(), "==", self.band.name) & compare(env.column(DAYS_IN_BAND), ">=", self.at_least)

    # ---- evidence and checks -------------------------------------------------------------------------------
    def evidence(self, snapshot: AccountSnapshot, context: Context) -> list[Evidence]:
        """Return the band and the days spent in it."""
        inputs(snapshot, context)
        formed(self)
        band = context.band.name if context.band else "none"
        return [Evidence(f"days in {self.band.name}", context.days_in_band, ">=", str(self.at_least), f"band {band}")]

    def problems(self, path: str, known: Collection[str]) -> list[Problem]:
        """Return every problem of this condition, with paths under ``path``."""
        return check_band(f"{path}.band", self.band) + check_days(f"{path}.at_least", self.at_least, minimum=0)

    def signal_names(self) -> set[str]:
        """Return the signal names this condition reads."""
        return {signals.HEALTH_SCORE}

    def previous_names(self) -> set[str]:
        """Return the signal names this condition reads from the previous snapshot."""
        return set()


def _days_problems(path: str, field: object, bounds: Mapping[str, int | None], *, optional: str = "") -> list[Problem]:
    found: list[Problem] = []
    if field not in ("contract_start", "contract_end"):
        found.append(Problem(f"{path}.date", f"must be 'contract_start' or 'contract_end', got {shown(field)!r}"))
    for name, value in bounds.items():
        if value is not None or name != optional:
            found += check_days(f"{path}.{name}", value)
    values = [v for n, v in bounds.items() if v is not None and not check_days("", v)]
    if len(values) == 2 and values[0] > values[1]:
        names = list(bounds)
        found.append(Problem(f"{path}.{names[0]}", f"must be <= {names[1]} ({values[1]}), got {values[0]}"))
    return found


def _within(days: Expr, low: int, high: int | None) -> Expr:
    """Return ``low <= days (<= high)`` as a Boolean column, false where the date is missing."""
    hit = compare(days, ">=", low)
    return hit if high is None else hit & compare(days, "<=", high)


def _to_by_segment(value: object) -> object:
    """A mapping of days by segment, copied into a FrozenDict (anything else is kept, for the checks to report)."""
    return freeze(dict(value)) if isinstance(value, Mapping) and type(value) is not FrozenDict else value


@decision("compile")
@attrs.frozen
class DaysUntil:
    """Days from the snapshot date to a date of the account are within a range: the renewal runway has started (M1).

    Holds when ``at_least <= (date - as_of).days <= at_most``; a missing date never holds. With ``by_segment`` the
    largest number of days depends on the account's segment (the renewal runway of its playbook: 180 days for
    enterprise, 90 mid-market, 60 SMB, 30 product-led); a segment it does not list uses ``at_most``.

    Args:
        date: ``"contract_end"`` (the renewal date) or ``"contract_start"``.
        at_most: The largest number of days ahead.
        at_least: The smallest number of days ahead (0: the date is today or later).
        by_segment: The largest number of days ahead for the accounts of each segment listed.

    Examples:
        >>> from datetime import date, timedelta
        >>> from postsale import AccountSnapshot, Segment
        >>> m1 = DaysUntil("contract_end", 90).compile("M1")
        >>> day = date(2026, 1, 5)
        >>> [m1(AccountSnapshot("a", "SMB", day, contract_end=day + timedelta(days=n)), Context()) for n in (90, 91)]
        [True, False]
        >>> runway = DaysUntil("contract_end", 90, by_segment={Segment.ENTERPRISE: 180}).compile("M1")
        >>> [runway(AccountSnapshot("a", segment, day, contract_end=day + timedelta(days=120)), Context())
        ...  for segment in ("ENTERPRISE", "MID_MARKET")]
        [True, False]
    """

    __repr__ = readable
    kind: ClassVar[str] = "days_until"
    cost: ClassVar[int] = 2
    date: DateField
    at_most: int
    at_least: int = 0
    by_segment: Mapping[Segment, int] | None = attrs.field(default=None, converter=_to_by_segment)

    # ---- scalar form ---------------------------------------------------------------------------------------
    def compile(self, rule_id: str) -> Predicate:
        """Return this condition as a closure."""
        rule_id = rule_name(rule_id)
        formed(self)
        low, high = self.at_least, self.at_most
        get = operator.attrgetter(self.date)
        if self.by_segment:
            table = dict(self.by_segment)
            top, end = max(high, *table.values()), self.date == "contract_end"

            def days_until_by_segment(s: AccountSnapshot, _c: Context) -> bool:
                d = s.contract_end if end else get(s)
                if d is None:
                    return False
                n = (d - s.as_of).days
                # the segment is looked up only inside the widest window (few accounts are)
                return low <= n <= top and n <= table.get(s.segment, high)

            return days_until_by_segment
        if self.date == "contract_end":

            def days_until_end(s: AccountSnapshot, _c: Context) -> bool:
                d = s.contract_end
                return d is not None and low <= (d - s.as_of).days <= high

            return days_until_end

        def days_until(s: AccountSnapshot, _c: Context) -> bool:
            d = get(s)
            return d is not None and low <= (d - s.as_of).days <= high

        return days_until

    # ---- columnar form -------------------------------------------------------------------------------------
    def expr(self, env: Env, rule_id: str) -> Expr:
        """Return this condition as a Boolean column (the Date column ``date``, as of ``env.as_of``; with
        ``by_segment`` the ``segment`` column too).

        Examples:
            >>> import narwhals.stable.v2 as nw
            >>> from datetime import date
            >>> from postsale import Segment
            >>> from postsale._columnar import Env
            >>> frame = nw.from_dict({"contract_end": [date(2026, 4, 5), date(2026, 4, 6), None]}, backend="polars")
            >>> m1 = DaysUntil("contract_end", 90).expr(Env(frame.columns, as_of=date(2026, 1, 5)), "M1")
            >>> frame.select(m1.alias("M1"))["M1"].to_list()
            [True, False, False]
            >>> frame = nw.from_dict({"contract_end": [date(2026, 5, 5)] * 2, "segment": ["ENTERPRISE", "SMB"]},
            ...                      backend="polars")
            >>> runway = DaysUntil("contract_end", 90, by_segment={Segment.ENTERPRISE: 180})
            >>> frame.select(runway.expr(Env(frame.columns, as_of=date(2026, 1, 5)), "M1").alias("M1"))["M1"].to_list()
            [True, False]
        """
        env = columnar(env, rule_id)
        formed(self)
        days = env.days_until(self.date)
        if not self.by_segment:
            return _within(days, self.at_least, self.at_most)
        nw = env.nw
        code = segment_code(env)
        position = {member: float(i) for i, member in enumerate(Segment)}
        limit: Any = nw.lit(float(self.at_most))
        for member, top in self.by_segment.items():
            limit = nw.when(code == position[member]).then(nw.lit(float(top))).otherwise(limit)
        result: Expr = compare(days, ">=", self.at_least) & (days <= limit).fill_null(False)
        return result

    # ---- evidence and checks -------------------------------------------------------------------------------
    def evidence(self, snapshot: AccountSnapshot, context: Context) -> list[Evidence]:
        """Return the days left (and, with ``by_segment``, the window of the account's segment)."""
        inputs(snapshot, context)
        formed(self)
        d = getattr(snapshot, self.date)
        left = None if d is None else (d - snapshot.as_of).days
        note = f"{self.date} {d.isoformat() if d else 'unknown'}, as of {snapshot.as_of.isoformat()}"
        high = self.at_most
        if self.by_segment and snapshot.segment in self.by_segment:
            high = self.by_segment[snapshot.segment]
            note += f"; {snapshot.segment.name} accounts: up to {high} days ahead"
        return [Evidence(f"days until {self.date}", left, "within", f"{self.at_least}..{high}", note)]

    def problems(self, path: str, known: Collection[str]) -> list[Problem]:
        """Return every problem of this condition, with paths under ``path``."""
        found = _days_problems(path, self.date, {"at_least": self.at_least, "at_most": self.at_most})
        if self.by_segment is not None:
            low = self.at_least if not check_days("", self.at_least) else None
            found += check_segment_days(f"{path}.by_segment", self.by_segment, minimum=low)
        return found

    def signal_names(self) -> set[str]:
        """Return the signal names this condition reads."""
        return set()

    def previous_names(self) -> set[str]:
        """Return the signal names this condition reads from the previous snapshot."""
        return set()


@decision("compile")
@attrs.frozen
class DaysSince:
    """Days from a date of the account to the snapshot date: 30 days after contract start (U2).

    Holds when ``at_least <= (as_of - date).days`` (and ``<= at_most`` when given); a missing date never holds.

    Args:
        date: ``"contract_start"`` or ``"contract_end"``.
        at_least: The smallest number of days elapsed.
        at_most: The largest number of days elapsed (``None``: no limit).

    Examples:
        >>> from datetime import date, timedelta
        >>> from postsale import AccountSnapshot
        >>> week_5 = DaysSince("contract_start", 28, at_most=34).compile("W5")
        >>> day = date(2026, 1, 5)
        >>> [week_5(AccountSnapshot("a", "SMB", day, contract_start=day - timedelta(days=n)), Context())
        ...  for n in (27, 28, 34, 35)]
        [False, True, True, False]
    """

    __repr__ = readable
    kind: ClassVar[str] = "days_since"
    cost: ClassVar[int] = 2
    date: DateField
    at_least: int
    at_most: int | None = None

    # ---- scalar form ---------------------------------------------------------------------------------------
    def compile(self, rule_id: str) -> Predicate:
        """Return this condition as a closure."""
        rule_id = rule_name(rule_id)
        formed(self)
        low, high = self.at_least, self.at_most
        get = operator.attrgetter(self.date)
        if high is None and self.date == "contract_start":

            def days_since_start(s: AccountSnapshot, _c: Context) -> bool:
                d = s.contract_start
                return d is not None and (s.as_of - d).days >= low

            return days_since_start
        if high is None:

            def days_since(s: AccountSnapshot, _c: Context) -> bool:
                d = get(s)
                return d is not None and (s.as_of - d).days >= low

            return days_since
        top = high

        def days_since_between(s: AccountSnapshot, _c: Context) -> bool:
            d = get(s)
            return d is not None and low <= (s.as_of - d).days <= top

        return days_since_between

    # ---- columnar form -------------------------------------------------------------------------------------
    def expr(self, env: Env, rule_id: str) -> Expr:
        """Return this condition as a Boolean column (the Date column ``date``, as of ``env.as_of``).

        Examples:
            >>> import narwhals.stable.v2 as nw
            >>> from datetime import date
            >>> from postsale._columnar import Env
            >>> frame = nw.from_dict({"contract_start": [date(2025, 12, 6), date(2025, 12, 7)]}, backend="polars")
            >>> u2 = DaysSince("contract_start", 30).expr(Env(frame.columns, as_of=date(2026, 1, 5)), "U2")
            >>> frame.select(u2.alias("U2"))["U2"].to_list()
            [True, False]
        """
        env = columnar(env, rule_id)
        formed(self)
        return _within(env.days_since(self.date), self.at_least, self.at_most)

    # ---- evidence and checks -------------------------------------------------------------------------------
    def evidence(self, snapshot: AccountSnapshot, context: Context) -> list[Evidence]:
        """Return the days elapsed."""
        inputs(snapshot, context)
        formed(self)
        d = getattr(snapshot, self.date)
        since = None if d is None else (snapshot.as_of - d).days
        top = "" if self.at_most is None else f"..{self.at_most}"
        note = f"{self.date} {d.isoformat() if d else 'unknown'}, as of {snapshot.as_of.isoformat()}"
        return [Evidence(f"days since {self.date}", since, ">=", f"{self.at_least}{top}", note)]

    def problems(self, path: str, known: Collection[str]) -> list[Problem]:
        """Return every problem of this condition, with paths under ``path``."""
        return _days_problems(
            path, self.date, {"at_least": self.at_least, "at_most": self.at_most}, optional="at_most"
        )

    def signal_names(self) -> set[str]:
        """Return the signal names this condition reads."""
        return set()

    def previous_names(self) -> set[str]:
        """Return the signal names this condition reads from the previous snapshot."""
        return set()
