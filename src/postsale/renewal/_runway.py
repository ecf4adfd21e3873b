"""The runway of one renewal: its states, its problems (flags) and the day thresholds they follow from.

One definition, two forms. :class:`Runway` holds the day thresholds of one renewal (runway start, first
milestone, latest start, danger zone, and the notice period of an auto-renewal); :func:`calendar` turns them into
the renewal's problems on a date, given what is recorded. The scalar :meth:`Runway.flags` / :meth:`Runway.state`
(which :meth:`postsale.renewal.RenewalTimeline.status` calls) and the columnar :meth:`Runway.expr` (and
:class:`postsale.renewal.StateOrder` per row of a frame) all read :func:`calendar`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from functools import reduce
from typing import TYPE_CHECKING, Any, Final

import attrs

from postsale import _checks
from postsale._columnar import Env, an_env, an_expr, decision
from postsale._errors import InvalidTypeError
from postsale._repr import readable
from postsale._vocabulary import HealthBand
from postsale.renewal._playbook import Playbook

if TYPE_CHECKING:  # pragma: no cover - typing only
    from narwhals.stable.v2 import Expr

__all__ = [
    "AT_RISK_RUNWAY_DAYS",
    "DEFAULT_WIDENING",
    "RenewalState",
    "Runway",
    "RunwayWidening",
    "StatusFlag",
]

AT_RISK_RUNWAY_DAYS: Final = 180
"""Runway for at-risk (red) accounts whatever the segment: the enterprise runway start T-180; "a late renewal
start is a choice, not an inevitability"."""


class RenewalState(enum.IntEnum):
    """Overall state of a renewal on a date, ordered by severity (CONFIRMED is the good end).

    With nothing completed the state only moves up as the date advances:
    UPCOMING -> ON_TRACK -> OVERDUE -> LATE_START -> DANGER_ZONE -> LAPSED. With no renewal activity recorded
    it goes UPCOMING -> NOT_RECORDED -> DANGER_ZONE -> LAPSED: nothing says whether a milestone is overdue or
    the conversation late. An auto-renewal goes UPCOMING -> ON_TRACK (or NOT_RECORDED, or OVERDUE when a
    tracked reminder was missed) -> CONFIRMED once its notice window closes.

    Examples:
        >>> RenewalState.LATE_START > RenewalState.OVERDUE > RenewalState.NOT_RECORDED > RenewalState.ON_TRACK
        True
    """

    CONFIRMED = 0
    UPCOMING = 1
    ON_TRACK = 2
    NOT_RECORDED = 3
    OVERDUE = 4
    LATE_START = 5
    DANGER_ZONE = 6
    LAPSED = 7

    @property
    def label(self) -> str:
        """The state in words, as a CS lead says it.

        Examples:
            >>> RenewalState.DANGER_ZONE.label, RenewalState.NOT_RECORDED.label
            ('danger zone', 'no renewal activity recorded')
        """
        return _STATE_LABELS[self]


_STATE_LABELS: Final = {
    RenewalState.CONFIRMED: "confirmed",
    RenewalState.UPCOMING: "upcoming (the runway has not started)",
    RenewalState.ON_TRACK: "on track",
    RenewalState.NOT_RECORDED: "no renewal activity recorded",
    RenewalState.OVERDUE: "a milestone is overdue",
    RenewalState.LATE_START: "late start",
    RenewalState.DANGER_ZONE: "danger zone",
    RenewalState.LAPSED: "lapsed",
}


class StatusFlag(enum.Enum):
    """Problems a renewal status can carry (several at once).

    Examples:
        >>> StatusFlag.LATE_START.value, StatusFlag.NOT_RECORDED.value
        ('late_start', 'not_recorded')
    """

    OVERDUE = "overdue"
    """A milestone's due date passed without it (or a later one) being completed."""
    LATE_START = "late_start"
    """No customer conversation by the playbook's latest start."""
    DANGER_ZONE = "danger_zone"
    """Within the danger zone (30 days by default) of the renewal date and not confirmed."""
    LAPSED = "lapsed"
    """The renewal date passed without the renewal being confirmed."""
    NOT_RECORDED = "not_recorded"
    """The runway has started and no renewal activity is recorded for the account (no milestone information at
    all), so neither an overdue milestone nor a late start can be judged."""


_WORST_FIRST: Final = (
    (RenewalState.LAPSED, StatusFlag.LAPSED),
    (RenewalState.DANGER_ZONE, StatusFlag.DANGER_ZONE),
    (RenewalState.LATE_START, StatusFlag.LATE_START),
    (RenewalState.OVERDUE, StatusFlag.OVERDUE),
    (RenewalState.NOT_RECORDED, StatusFlag.NOT_RECORDED),
)
"""The states that are flags, worst first: a renewal is in the worst state whose flag it carries."""

# ---- conditions that are a plain bool (the scalar form, or the same for every row) or a Boolean expression ------
Condition = Any
"""A condition: a plain bool, or a Boolean expression (per row of a frame)."""


def all_of(conditions: Iterable[Condition]) -> Condition:
    """``a & b & ...`` folding the plain bools (True when there is nothing left to test)."""
    rest = []
    for c in conditions:
        if c is False:
            return False
        if c is not True:
            rest.append(c)
    return reduce(lambda a, b: a & b, rest) if rest else True


def any_of(conditions: Iterable[Condition]) -> Condition:
    """``a | b | ...`` folding the plain bools (False when there is nothing left to test)."""
    rest = []
    for c in conditions:
        if c is True:
            return True
        if c is not False:
            rest.append(c)
    return reduce(lambda a, b: a | b, rest) if rest else False


def none_of(condition: Condition) -> Condition:
    """``not condition`` for a plain bool, ``~condition`` for an expression."""
    return (not condition) if isinstance(condition, bool) else ~condition


def _below(days: Any, limit: Any) -> Condition:
    """``days < limit`` as a plain bool when both are numbers."""
    result = days < limit
    return bool(result) if isinstance(result, bool) else result


def calendar(
    days: Any,
    limits: tuple[Any, Any, Any, Any],
    *,
    auto: Condition = False,
    notice: Any = 0,
    recorded: Condition = True,
    overdue: Condition | None = None,
    started: Condition = False,
    confirmed: Condition = False,
) -> tuple[Condition, dict[StatusFlag, Condition], Condition]:
    """The problems of a renewal ``days`` from T-0: one definition for the scalar and the columnar forms.

    Every argument is a plain value (the scalar form) or an expression per row (the columnar form).

    Args:
        days: Days from the date judged to T-0 (negative once past).
        limits: ``(start, first, latest, danger)``: the runway start, the first milestone, the latest start and
            the danger zone, in days before T-0 (:class:`Runway`'s fields).
        auto: Whether the contract renews by itself unless notice is given.
        notice: An auto-renewal's notice period in days (its window closes after T-``notice``).
        recorded: Whether the account's renewal activity is recorded (milestones tracked).
        overdue: Whether a milestone is overdue (``None``: nothing completed, so any milestone due before).
        started: Whether the conversation (or a later milestone) was completed by the latest start.
        confirmed: Whether the confirmation milestone was completed.

    Returns:
        ``(confirmed, flags, started_runway)``: whether the renewal is confirmed (by its milestone, or an
        auto-renewal whose notice window closed), each :class:`StatusFlag`'s condition, and whether the runway
        has started.
    """
    start, first, latest, danger = limits
    done = any_of((confirmed, all_of((auto, _below(days, notice)))))
    manual = none_of(auto)
    open_ = none_of(done)
    running = _below(days, start + 1)
    flags = {
        StatusFlag.LAPSED: all_of((manual, _below(days, 0), open_)),
        StatusFlag.DANGER_ZONE: all_of((manual, _below(days, danger + 1), open_)),
        StatusFlag.LATE_START: all_of((manual, recorded, none_of(started), _below(days, latest))),
        StatusFlag.OVERDUE: all_of((recorded, _below(days, first) if overdue is None else overdue)),
        StatusFlag.NOT_RECORDED: all_of((none_of(recorded), running, open_)),
    }
    return done, flags, running


def _playbook(value: Any) -> Playbook:
    """``value`` if it is a :class:`Playbook` (the slow path of the per-account check), else InvalidTypeError."""
    playbook: Playbook = _checks.instance(
        "playbook", value, Playbook, hint="pass a Playbook such as ENTERPRISE_PLAYBOOK (see playbook_for)"
    )
    return playbook


def _band(value: Any) -> HealthBand | None:
    """``value`` as a health band: ``None`` (unscored), a :class:`HealthBand` or its name."""
    return None if value is None else HealthBand.parse(value, field="health")


def _days_to_renewal(value: Any) -> int:
    """``value`` if it is a whole number of days to renewal (the slow path of the per-account check)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(
            "expected a whole number of days", field="days_to_renewal", value=value,
            hint="pass an int: the days from the date judged to T-0 (negative once past)",
        )
    return value


def _flag(field: str, value: Any) -> bool:
    """``value`` if it is True or False (a flag argument), else InvalidTypeError."""
    if not isinstance(value, bool):
        raise InvalidTypeError("expected True or False", field=field, value=value, hint="pass a bool")
    return value


def _held(value: Any) -> frozenset[StatusFlag]:
    """``value`` (any collection of :class:`StatusFlag`) as a frozenset, each item checked."""
    return frozenset(_checks.items("flags", value, StatusFlag))


def _bands(value: Any) -> frozenset[HealthBand]:
    items = _checks.items("bands", [value] if isinstance(value, (str, HealthBand)) else value)
    return frozenset(HealthBand.parse(b, field="bands") for b in items)


@attrs.frozen
class RunwayWidening:
    """Start the runway at T-``runway_days`` for accounts whose health is in ``bands``.

    Args:
        bands: Health bands that widen the runway (default RED; names are accepted).
        runway_days: The widened runway start, days before renewal (default 180).

    Examples:
        >>> RunwayWidening(bands={"RED", "YELLOW"}, runway_days=150).runway_days
        150
    """

    __repr__ = readable
    bands: frozenset[HealthBand] = attrs.field(default=frozenset({HealthBand.RED}), converter=_bands)
    runway_days: int = attrs.field(default=AT_RISK_RUNWAY_DAYS, validator=_checks.validator(_checks.count))

    def widens(self, playbook: Playbook, health: HealthBand | str | None) -> bool:
        """Return whether ``health`` widens ``playbook``'s runway (in ``bands`` and earlier than its start).

        Raises:
            InvalidTypeError: ``playbook`` is not a :class:`Playbook`.
            UnknownNameError: ``health`` is not a health band (nor ``None``).

        Examples:
            >>> from postsale.renewal import SMB_PLAYBOOK
            >>> DEFAULT_WIDENING.widens(SMB_PLAYBOOK, HealthBand.RED), DEFAULT_WIDENING.widens(SMB_PLAYBOOK, None)
            (True, False)
        """
        if type(playbook) is not Playbook:
            playbook = _playbook(playbook)
        if type(health) is not HealthBand:
            health = _band(health)
        return health is not None and health in self.bands and self.runway_days > playbook.runway_days


DEFAULT_WIDENING: Final = RunwayWidening()
"""Red health starts the renewal at T-180 whatever the segment."""


def _to_widening(value: Any) -> RunwayWidening | None:
    return None if value is None else _checks.instance("widening", value, RunwayWidening)


def _days(_instance: object, attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(
            "expected a whole number of days", field=attribute.name, value=value, hint="pass an int (N of T-N)"
        )


def state_chain(nw: Any, days: Expr, found: tuple[Condition, dict[StatusFlag, Condition], Condition],
                missing: Expr) -> Expr:
    """The state name per row from :func:`calendar`'s conditions (null where ``missing``): CONFIRMED, else the
    worst flag held, else ON_TRACK once the runway started, else UPCOMING."""
    done, flags, running = found
    chain = nw.when(missing).then(nw.lit(None, nw.String))
    steps = [(RenewalState.CONFIRMED, done), *((state, flags[flag]) for state, flag in _WORST_FIRST),
             (RenewalState.ON_TRACK, running)]
    for state, condition in steps:
        if condition is False:
            continue
        chain = chain.when(nw.lit(True) if condition is True else condition).then(nw.lit(state.name))
    result: Expr = chain.otherwise(nw.lit(RenewalState.UPCOMING.name))
    return result


@decision("state")
@attrs.frozen
class Runway:
    """The day thresholds of one renewal (N of T-N), from which its state on any date follows.

    Attributes:
        start_days: The runway starts at T-``start_days`` (the playbook's, or earlier when widened or anchored,
            and moved back by the notice period of an auto-renewal): from then on a renewal with no problem is
            ON_TRACK, before it UPCOMING.
        overdue_days: The first milestone's T-N: with nothing completed, a renewal is OVERDUE after it.
        latest_start_days: No conversation by T-``latest_start_days`` is a LATE_START from the day after.
        danger_zone_days: Unconfirmed from T-``danger_zone_days`` on is the DANGER_ZONE.
        notice_days: For a contract that renews by itself unless notice is given, its notice period (0: notice
            until T-0); ``None`` for a renewal that needs a decision. An auto-renewal follows its notice window:
            no late start, danger zone nor lapse, and CONFIRMED once the window closes without notice.

    Examples:
        >>> from postsale.renewal import ENTERPRISE_PLAYBOOK
        >>> runway = Runway.of(ENTERPRISE_PLAYBOOK)
        >>> [runway.state(days).name for days in (200, 150, 100, 30, -1)]
        ['UPCOMING', 'OVERDUE', 'LATE_START', 'DANGER_ZONE', 'LAPSED']
        >>> [runway.state(days, recorded=False).name for days in (200, 150, 100, 30, -1)]
        ['UPCOMING', 'NOT_RECORDED', 'NOT_RECORDED', 'DANGER_ZONE', 'LAPSED']
    """

    __repr__ = readable
    start_days: int = attrs.field(validator=_days)
    overdue_days: int = attrs.field(validator=_days)
    latest_start_days: int = attrs.field(validator=_days)
    danger_zone_days: int = attrs.field(validator=_days)
    notice_days: int | None = attrs.field(default=None, validator=_checks.optional_validator(_checks.count))

    @classmethod
    def of(
        cls,
        playbook: Playbook,
        *,
        health: HealthBand | str | None = None,
        widening: RunwayWidening | None = DEFAULT_WIDENING,
        notice_days: int | None = None,
    ) -> Runway:
        """Return the runway of ``playbook`` for an account whose health band is ``health``.

        A band in ``widening.bands`` starts the runway at ``widening.runway_days`` when that is earlier; an
        ``early_start`` milestone is then due at that start (so it is the first milestone). An auto-renewal's
        runway is moved back by its ``notice_days``, so that it ends when the customer's last day to give notice
        does (with an ``early_start`` milestone at the new start as well).

        Args:
            playbook: The segment's playbook.
            health: The account's health band, if known.
            widening: When and how far to widen the runway (``None`` never widens).
            notice_days: The notice period of a contract that renews by itself (0: notice until T-0); ``None``
                (default) for a renewal that needs a decision.

        Raises:
            InvalidTypeError: ``playbook`` is not a :class:`Playbook`, or ``widening`` not a
                :class:`RunwayWidening` (nor ``None``).
            UnknownNameError: ``health`` is not a health band (nor ``None``).
            InvalidValueError: ``notice_days`` is negative.

        Examples:
            >>> from postsale.renewal import SMB_PLAYBOOK
            >>> Runway.of(SMB_PLAYBOOK), Runway.of(SMB_PLAYBOOK, health=HealthBand.RED).start_days
            (Runway(start_days=60, overdue_days=60, latest_start_days=30, danger_zone_days=30), 180)
            >>> Runway.of(SMB_PLAYBOOK, notice_days=30).start_days
            90
        """
        if type(playbook) is not Playbook:
            playbook = _playbook(playbook)
        if widening is not None and type(widening) is not RunwayWidening:
            widening = _to_widening(widening)
        if health is not None and type(health) is not HealthBand:
            health = _band(health)
        first = playbook.milestones[0].days_before
        start = playbook.runway_days
        if widening is not None and widening.widens(playbook, health):
            start = widening.runway_days
            first = max(first, start)
        if notice_days is not None and _checks.count("notice_days", notice_days):  # a count, never a truth value
            start += notice_days
            first = max(first, start)
        return cls(start, first, playbook.latest_start_days, playbook.danger_zone_days, notice_days)

    @property
    def auto_renews(self) -> bool:
        """Whether the renewal happens by itself unless notice is given (it has a notice period).

        Examples:
            >>> from postsale.renewal import PRODUCT_LED_PLAYBOOK
            >>> Runway.of(PRODUCT_LED_PLAYBOOK).auto_renews, Runway.of(PRODUCT_LED_PLAYBOOK, notice_days=0).auto_renews
            (False, True)
        """
        return self.notice_days is not None

    def _limits(self) -> tuple[int, int, int, int]:
        return self.start_days, self.overdue_days, self.latest_start_days, self.danger_zone_days

    def limits(self, *, recorded: bool = True) -> tuple[tuple[RenewalState, int], ...]:
        """Return each calendar state, worst first, with the days to renewal it holds under (nothing completed).

        A renewal ``d`` days from T-0 is in the first state whose limit is above ``d``; UPCOMING when none is.

        Args:
            recorded: Whether the renewal activity is recorded (``False``: no overdue milestone nor late start is
                judged; NOT_RECORDED once the runway started).

        Examples:
            >>> from postsale.renewal import PRODUCT_LED_PLAYBOOK
            >>> [(state.name, limit) for state, limit in Runway.of(PRODUCT_LED_PLAYBOOK).limits()]
            [('LAPSED', 0), ('DANGER_ZONE', 15), ('LATE_START', 14), ('OVERDUE', 30), ('ON_TRACK', 31)]
            >>> [(state.name, limit) for state, limit in Runway.of(PRODUCT_LED_PLAYBOOK).limits(recorded=False)]
            [('LAPSED', 0), ('DANGER_ZONE', 15), ('NOT_RECORDED', 31), ('ON_TRACK', 31)]
            >>> [(state.name, limit) for state, limit in Runway.of(PRODUCT_LED_PLAYBOOK, notice_days=0).limits()]
            [('CONFIRMED', 0), ('OVERDUE', 30), ('ON_TRACK', 31)]
        """
        _flag("recorded", recorded)
        start = self.start_days + 1  # ON_TRACK from the runway start (inclusive)
        found: list[tuple[RenewalState, int]] = []
        if self.notice_days is not None:
            found.append((RenewalState.CONFIRMED, self.notice_days))  # from the day after the notice window
        else:
            found += [
                (RenewalState.LAPSED, 0),  # from T+1
                (RenewalState.DANGER_ZONE, self.danger_zone_days + 1),  # from T-danger_zone_days (inclusive)
            ]
            if recorded:
                found.append((RenewalState.LATE_START, self.latest_start_days))  # from the day after the latest start
        found.append(
            (RenewalState.OVERDUE, self.overdue_days) if recorded else (RenewalState.NOT_RECORDED, start)
        )  # OVERDUE from the day after the first milestone is due
        found.append((RenewalState.ON_TRACK, start))
        return tuple(found)

    def renews_by_itself(self, days_to_renewal: int) -> bool:
        """Return whether an auto-renewal's notice window has closed ``days_to_renewal`` days from T-0 (the
        contract renews without notice given; never for a renewal that needs a decision).

        Examples:
            >>> from postsale.renewal import SMB_PLAYBOOK
            >>> runway = Runway.of(SMB_PLAYBOOK, notice_days=30)
            >>> runway.renews_by_itself(30), runway.renews_by_itself(29)
            (False, True)
        """
        if type(days_to_renewal) is not int:
            days_to_renewal = _days_to_renewal(days_to_renewal)
        return self.notice_days is not None and days_to_renewal < self.notice_days

    def flags(
        self,
        days_to_renewal: int,
        *,
        overdue: bool | None = None,
        started: bool = False,
        confirmed: bool = False,
        recorded: bool = True,
    ) -> frozenset[StatusFlag]:
        """Return the problems of a renewal ``days_to_renewal`` days from T-0.

        Args:
            days_to_renewal: Days from the date judged to T-0 (negative once past).
            overdue: Whether a milestone is overdue (default: nothing completed, so any milestone due before).
            started: Whether the conversation (or a later milestone) was completed by the latest start.
            confirmed: Whether the renewal is confirmed.
            recorded: Whether the renewal activity is recorded; ``False``: nothing is, so ``overdue`` and
                ``started`` are not judged and NOT_RECORDED holds once the runway started.

        Raises:
            InvalidTypeError: ``days_to_renewal`` is not an int, or a flag argument not a bool.

        Examples:
            >>> from postsale.renewal import MID_MARKET_PLAYBOOK
            >>> sorted(f.name for f in Runway.of(MID_MARKET_PLAYBOOK).flags(20))
            ['DANGER_ZONE', 'LATE_START', 'OVERDUE']
            >>> sorted(f.name for f in Runway.of(MID_MARKET_PLAYBOOK).flags(20, overdue=False, started=True))
            ['DANGER_ZONE']
            >>> sorted(f.name for f in Runway.of(MID_MARKET_PLAYBOOK).flags(20, recorded=False))
            ['DANGER_ZONE', 'NOT_RECORDED']
        """
        if type(days_to_renewal) is not int:
            days_to_renewal = _days_to_renewal(days_to_renewal)
        for field, value in (("started", started), ("confirmed", confirmed), ("recorded", recorded)):
            _flag(field, value)
        if overdue is not None:
            _flag("overdue", overdue)
        _, found, _ = calendar(
            days_to_renewal, self._limits(), auto=self.notice_days is not None, notice=self.notice_days or 0,
            recorded=recorded, overdue=overdue, started=started, confirmed=confirmed,
        )
        return frozenset(flag for flag, held in found.items() if held)

    def state(
        self,
        days_to_renewal: int,
        *,
        flags: frozenset[StatusFlag] | None = None,
        confirmed: bool = False,
        recorded: bool = True,
    ) -> RenewalState:
        """Return the state of a renewal ``days_to_renewal`` days from T-0: the worst of its ``flags``.

        Args:
            days_to_renewal: Days from the date judged to T-0 (negative once past).
            flags: Its problems (default :meth:`flags` with nothing completed).
            confirmed: Whether the renewal is confirmed (CONFIRMED whatever the calendar says).
            recorded: Whether the renewal activity is recorded (read for the default ``flags``).

        Raises:
            InvalidTypeError: ``days_to_renewal`` is not an int, ``flags`` not a collection of
                :class:`StatusFlag`, or ``confirmed`` / ``recorded`` not a bool.

        Examples:
            >>> from postsale.renewal import SMB_PLAYBOOK
            >>> Runway.of(SMB_PLAYBOOK).state(45), Runway.of(SMB_PLAYBOOK).state(45, confirmed=True)
            (<RenewalState.OVERDUE: 4>, <RenewalState.CONFIRMED: 0>)
            >>> Runway.of(SMB_PLAYBOOK, notice_days=0).state(14), Runway.of(SMB_PLAYBOOK, notice_days=0).state(-1)
            (<RenewalState.OVERDUE: 4>, <RenewalState.CONFIRMED: 0>)
        """
        if type(days_to_renewal) is not int:
            days_to_renewal = _days_to_renewal(days_to_renewal)
        if _flag("confirmed", confirmed) or self.renews_by_itself(days_to_renewal):
            return RenewalState.CONFIRMED
        held = self.flags(days_to_renewal, recorded=recorded) if flags is None else flags
        if type(held) is not frozenset:
            held = _held(held)
        for state, flag in _WORST_FIRST:
            if flag in held:
                return state
        return RenewalState.ON_TRACK if days_to_renewal <= self.start_days else RenewalState.UPCOMING

    def expr(self, env: Env, days: Expr, *, recorded: bool = True) -> Expr:
        """The columnar form of :meth:`state` with nothing completed: the state name per row of ``days``.

        Raises:
            InvalidTypeError: ``env`` is not an :class:`~postsale._columnar.Env`, ``days`` not an expression or
                ``recorded`` not a bool.

        Examples:
            >>> from datetime import date
            >>> import narwhals.stable.v2 as nw
            >>> from postsale._columnar import Env
            >>> from postsale.renewal import SMB_PLAYBOOK
            >>> frame = nw.from_dict({"days": [90.0, 45.0, 10.0, None]}, backend="polars")
            >>> env = Env(frame.columns, as_of=date(2026, 11, 1))
            >>> frame.select(state=Runway.of(SMB_PLAYBOOK).expr(env, nw.col("days")))["state"].to_list()
            ['UPCOMING', 'OVERDUE', 'DANGER_ZONE', None]
            >>> frame.select(state=Runway.of(SMB_PLAYBOOK).expr(env, nw.col("days"), recorded=False))["state"].to_list()
            ['UPCOMING', 'NOT_RECORDED', 'DANGER_ZONE', None]
        """
        nw = an_env(env).nw
        days = an_expr("days", days)
        found = calendar(
            days, self._limits(), auto=self.notice_days is not None, notice=self.notice_days or 0,
            recorded=_flag("recorded", recorded),
        )
        return state_chain(nw, days, found, days.is_null())
