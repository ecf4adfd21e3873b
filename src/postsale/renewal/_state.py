"""The renewal state order: which state a renewal is in, from its days to renewal and its playbook.

One definition, two forms. :class:`Runway` holds the day thresholds of one renewal (runway start, first
milestone, latest start, danger zone); its :meth:`Runway.limits` are the data both forms read: the scalar
:meth:`Runway.state` (which :meth:`postsale.renewal.RenewalTimeline.status` calls) and the columnar
:meth:`Runway.expr`. :class:`StateOrder` tabulates the runways of every segment's playbook, widened or not, and
gives the same answer per row of a portfolio frame (:meth:`StateOrder.expr`).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import attrs

from postsale import _checks
from postsale._columnar import Env, an_env, an_expr, decision, lookup, segment_code
from postsale._errors import InvalidTypeError
from postsale._frozen import freeze
from postsale._vocabulary import HealthBand, Segment
from postsale.renewal._playbook import DEFAULT_PLAYBOOKS, Playbook, playbook_for

if TYPE_CHECKING:  # pragma: no cover - typing only
    from narwhals.stable.v2 import Expr

__all__ = [
    "AT_RISK_RUNWAY_DAYS",
    "DEFAULT_STATE_ORDER",
    "DEFAULT_WIDENING",
    "RUNWAY_CODE",
    "RUNWAY_DAYS",
    "RenewalState",
    "Runway",
    "RunwayWidening",
    "StateOrder",
    "StatusFlag",
]

RUNWAY_CODE: Final = "_runway_code"
"""The column :meth:`StateOrder.stage` adds: each row's runway (segment, widened or not) as a code."""
RUNWAY_DAYS: Final = "_runway_days"
"""The column :meth:`StateOrder.stage` adds: days to renewal where the account has a contract."""
AT_RISK_RUNWAY_DAYS: Final = 180
"""Runway for at-risk (red) accounts whatever the segment: the enterprise runway start T-180; "a late renewal
start is a choice, not an inevitability"."""


class RenewalState(enum.IntEnum):
    """Overall state of a renewal on a date, ordered by severity (CONFIRMED is the good end).

    With nothing completed the state only moves up as the date advances:
    UPCOMING -> ON_TRACK -> OVERDUE -> LATE_START -> DANGER_ZONE -> LAPSED.

    Examples:
        >>> RenewalState.LATE_START > RenewalState.OVERDUE
        True
    """

    CONFIRMED = 0
    UPCOMING = 1
    ON_TRACK = 2
    OVERDUE = 3
    LATE_START = 4
    DANGER_ZONE = 5
    LAPSED = 6


class StatusFlag(enum.Enum):
    """Problems a renewal status can carry (several at once).

    Examples:
        >>> StatusFlag.LATE_START.value
        'late_start'
    """

    OVERDUE = "overdue"
    """A milestone's due date passed without it (or a later one) being completed."""
    LATE_START = "late_start"
    """No customer conversation by the playbook's latest start."""
    DANGER_ZONE = "danger_zone"
    """Within the danger zone (30 days by default) of the renewal date and not confirmed."""
    LAPSED = "lapsed"
    """The renewal date passed without the renewal being confirmed."""


_FLAG_OF: Final = {
    RenewalState.LAPSED: StatusFlag.LAPSED,
    RenewalState.DANGER_ZONE: StatusFlag.DANGER_ZONE,
    RenewalState.LATE_START: StatusFlag.LATE_START,
    RenewalState.OVERDUE: StatusFlag.OVERDUE,
}
"""The calendar states that are flags, worst first (the order :meth:`Runway.limits` lists them in)."""


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


_CALENDAR: Final = (
    RenewalState.LAPSED,
    RenewalState.DANGER_ZONE,
    RenewalState.LATE_START,
    RenewalState.OVERDUE,
    RenewalState.ON_TRACK,
)
"""The states a renewal with nothing completed goes through, worst first (the order of :meth:`Runway.limits`)."""


def _state_chain(nw: Any, days: Expr, limits: Sequence[tuple[RenewalState, Any]], covered: Expr | None = None) -> Expr:
    """``limits`` as one when/then chain: the first state whose limit ``days`` is under, else UPCOMING.

    The limits are ints or expressions (per-row thresholds); a null ``days`` (no renewal) gives null, as does a
    row not ``covered``.
    """
    missing = days.is_null() if covered is None else ~covered
    chain = nw.when(missing).then(nw.lit(None, nw.String))
    for state, limit in limits:
        chain = chain.when(days < limit).then(nw.lit(state.name))
    result: Expr = chain.otherwise(nw.lit(RenewalState.UPCOMING.name))
    return result


def _days(_instance: object, attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(
            "expected a whole number of days", field=attribute.name, value=value, hint="pass an int (N of T-N)"
        )


@decision("state")
@attrs.frozen
class Runway:
    """The day thresholds of one renewal (N of T-N), from which its state on any date follows.

    Attributes:
        start_days: The runway starts at T-``start_days`` (the playbook's, or earlier when widened or anchored):
            from then on a renewal with no problem is ON_TRACK, before it UPCOMING.
        overdue_days: The first milestone's T-N: with nothing completed, a renewal is OVERDUE after it.
        latest_start_days: No conversation by T-``latest_start_days`` is a LATE_START from the day after.
        danger_zone_days: Unconfirmed from T-``danger_zone_days`` on is the DANGER_ZONE.

    Examples:
        >>> from postsale.renewal import ENTERPRISE_PLAYBOOK
        >>> runway = Runway.of(ENTERPRISE_PLAYBOOK)
        >>> [runway.state(days).name for days in (200, 150, 100, 30, -1)]
        ['UPCOMING', 'OVERDUE', 'LATE_START', 'DANGER_ZONE', 'LAPSED']
    """

    start_days: int = attrs.field(validator=_days)
    overdue_days: int = attrs.field(validator=_days)
    latest_start_days: int = attrs.field(validator=_days)
    danger_zone_days: int = attrs.field(validator=_days)

    @classmethod
    def of(
        cls,
        playbook: Playbook,
        *,
        health: HealthBand | str | None = None,
        widening: RunwayWidening | None = DEFAULT_WIDENING,
    ) -> Runway:
        """Return the runway of ``playbook`` for an account whose health band is ``health``.

        A band in ``widening.bands`` starts the runway at ``widening.runway_days`` when that is earlier; an
        ``early_start`` milestone is then due at that start (so it is the first milestone).

        Raises:
            InvalidTypeError: ``playbook`` is not a :class:`Playbook`, or ``widening`` not a
                :class:`RunwayWidening` (nor ``None``).
            UnknownNameError: ``health`` is not a health band (nor ``None``).

        Examples:
            >>> from postsale.renewal import SMB_PLAYBOOK
            >>> Runway.of(SMB_PLAYBOOK), Runway.of(SMB_PLAYBOOK, health=HealthBand.RED).start_days
            (Runway(start_days=60, overdue_days=60, latest_start_days=30, danger_zone_days=30), 180)
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
        return cls(start, first, playbook.latest_start_days, playbook.danger_zone_days)

    def limits(self) -> tuple[tuple[RenewalState, int], ...]:
        """Return each calendar state, worst first, with the days to renewal it holds under (nothing completed).

        A renewal ``d`` days from T-0 is in the first state whose limit is above ``d``; UPCOMING when none is.

        Examples:
            >>> from postsale.renewal import PRODUCT_LED_PLAYBOOK
            >>> [(state.name, limit) for state, limit in Runway.of(PRODUCT_LED_PLAYBOOK).limits()]
            [('LAPSED', 0), ('DANGER_ZONE', 15), ('LATE_START', 14), ('OVERDUE', 30), ('ON_TRACK', 31)]
        """
        limits = (
            0,  # LAPSED from T+1
            self.danger_zone_days + 1,  # DANGER_ZONE from T-danger_zone_days (inclusive)
            self.latest_start_days,  # LATE_START from the day after the latest start
            self.overdue_days,  # OVERDUE from the day after the first milestone is due
            self.start_days + 1,  # ON_TRACK from the runway start (inclusive)
        )
        return tuple(zip(_CALENDAR, limits, strict=True))

    def flags(
        self, days_to_renewal: int, *, overdue: bool | None = None, started: bool = False, confirmed: bool = False
    ) -> frozenset[StatusFlag]:
        """Return the problems of a renewal ``days_to_renewal`` days from T-0.

        Args:
            days_to_renewal: Days from the date judged to T-0 (negative once past).
            overdue: Whether a milestone is overdue (default: nothing completed, so any milestone due before).
            started: Whether the conversation (or a later milestone) was completed by the latest start.
            confirmed: Whether the renewal is confirmed.

        Raises:
            InvalidTypeError: ``days_to_renewal`` is not an int.

        Examples:
            >>> from postsale.renewal import MID_MARKET_PLAYBOOK
            >>> sorted(f.name for f in Runway.of(MID_MARKET_PLAYBOOK).flags(20))
            ['DANGER_ZONE', 'LATE_START', 'OVERDUE']
            >>> sorted(f.name for f in Runway.of(MID_MARKET_PLAYBOOK).flags(20, overdue=False, started=True))
            ['DANGER_ZONE']
        """
        if type(days_to_renewal) is not int:
            days_to_renewal = _days_to_renewal(days_to_renewal)
        found: set[StatusFlag] = set()
        for state, limit in self.limits():
            flag = _FLAG_OF.get(state)
            if flag is None or not days_to_renewal < limit:
                continue
            if flag is StatusFlag.OVERDUE and overdue is not None:
                continue
            if flag is StatusFlag.LATE_START and started:
                continue
            if flag in (StatusFlag.DANGER_ZONE, StatusFlag.LAPSED) and confirmed:
                continue
            found.add(flag)
        if overdue:
            found.add(StatusFlag.OVERDUE)
        return frozenset(found)

    def state(
        self, days_to_renewal: int, *, flags: frozenset[StatusFlag] | None = None, confirmed: bool = False
    ) -> RenewalState:
        """Return the state of a renewal ``days_to_renewal`` days from T-0: the worst of its ``flags``.

        Args:
            days_to_renewal: Days from the date judged to T-0 (negative once past).
            flags: Its problems (default :meth:`flags` with nothing completed).
            confirmed: Whether the renewal is confirmed (CONFIRMED whatever the calendar says).

        Raises:
            InvalidTypeError: ``days_to_renewal`` is not an int, or ``flags`` not a collection of
                :class:`StatusFlag`.

        Examples:
            >>> from postsale.renewal import SMB_PLAYBOOK
            >>> Runway.of(SMB_PLAYBOOK).state(45), Runway.of(SMB_PLAYBOOK).state(45, confirmed=True)
            (<RenewalState.OVERDUE: 3>, <RenewalState.CONFIRMED: 0>)
        """
        if type(days_to_renewal) is not int:
            days_to_renewal = _days_to_renewal(days_to_renewal)
        if confirmed:
            return RenewalState.CONFIRMED
        held = self.flags(days_to_renewal) if flags is None else flags
        if type(held) is not frozenset:
            held = _held(held)
        for state, limit in self.limits():
            flag = _FLAG_OF.get(state)
            if flag is None:
                return RenewalState.ON_TRACK if days_to_renewal < limit else RenewalState.UPCOMING
            if flag in held:
                return state
        raise AssertionError  # pragma: no cover - limits() ends with ON_TRACK

    def expr(self, env: Env, days: Expr) -> Expr:
        """The columnar form of :meth:`state` with nothing completed: the state name per row of ``days``.

        Raises:
            InvalidTypeError: ``env`` is not an :class:`~postsale._columnar.Env` or ``days`` not an expression.

        Examples:
            >>> from datetime import date
            >>> import narwhals.stable.v2 as nw
            >>> from postsale._columnar import Env
            >>> from postsale.renewal import SMB_PLAYBOOK
            >>> frame = nw.from_dict({"days": [90.0, 45.0, 10.0, None]}, backend="polars")
            >>> env = Env(frame.columns, as_of=date(2026, 11, 1))
            >>> frame.select(state=Runway.of(SMB_PLAYBOOK).expr(env, nw.col("days")))["state"].to_list()
            ['UPCOMING', 'OVERDUE', 'DANGER_ZONE', None]
        """
        return _state_chain(an_env(env).nw, an_expr("days", days), self.limits())


def _to_playbooks(value: Any) -> Mapping[Segment, Playbook]:
    if not isinstance(value, Mapping):
        raise InvalidTypeError(
            "expected a mapping of Segment to Playbook", field="playbooks", value=value,
            hint="pass {Segment.SMB: SMB_PLAYBOOK, ...} (DEFAULT_PLAYBOOKS is the default)",
        )
    table = {Segment.parse(segment): playbook for segment, playbook in value.items()}
    for segment, playbook in table.items():
        _checks.instance(f"playbooks[{segment.name}]", playbook, Playbook)
    return freeze(table)


def _to_widening(value: Any) -> RunwayWidening | None:
    return None if value is None else _checks.instance("widening", value, RunwayWidening)


@decision("state")
@attrs.frozen
class StateOrder:
    """The renewal state of any account from its segment, health band and days to renewal.

    The scalar :meth:`state` and the columnar :meth:`expr` read the same table: the :class:`Runway` of each
    segment's playbook, widened or not. Both describe a renewal with nothing completed yet (no milestone
    recorded); :meth:`postsale.renewal.RenewalTimeline.status` judges recorded milestones.

    Args:
        playbooks: The playbook of each segment (default :data:`~postsale.renewal.DEFAULT_PLAYBOOKS`).
        widening: When to start the runway earlier (``None`` never widens).

    Examples:
        >>> order = StateOrder()
        >>> order.state(45, segment="SMB"), order.state(45, segment="SMB", health="RED")
        (<RenewalState.OVERDUE: 3>, <RenewalState.OVERDUE: 3>)
        >>> order.state(150, segment="SMB"), order.state(150, segment="SMB", health="RED")
        (<RenewalState.UPCOMING: 1>, <RenewalState.OVERDUE: 3>)
    """

    playbooks: Mapping[Segment, Playbook] = attrs.field(default=DEFAULT_PLAYBOOKS, converter=_to_playbooks)
    widening: RunwayWidening | None = attrs.field(default=DEFAULT_WIDENING, converter=_to_widening)

    def runway(self, segment: Segment | str, *, health: HealthBand | str | None = None) -> Runway:
        """Return the runway of an account of ``segment`` whose health band is ``health``.

        Raises:
            UnknownNameError: an unknown segment or band, or a segment without a playbook.

        Examples:
            >>> StateOrder().runway("ENTERPRISE").latest_start_days
            120
        """
        band = None if health is None else HealthBand.parse(health, field="health")
        return Runway.of(playbook_for(segment, self.playbooks), health=band, widening=self.widening)

    def state(
        self, days_to_renewal: int, *, segment: Segment | str, health: HealthBand | str | None = None
    ) -> RenewalState:
        """Return the state of a renewal ``days_to_renewal`` days away with nothing completed yet.

        Equal to ``renewal_timeline(contract, health=health).status(as_of).state`` for a contract of
        ``segment`` ending ``days_to_renewal`` days after ``as_of``.

        Examples:
            >>> StateOrder().state(14, segment="PRODUCT_LED")
            <RenewalState.DANGER_ZONE: 5>
        """
        return self.runway(segment, health=health).state(days_to_renewal)

    # ---- columnar form ---------------------------------------------------------------------------------------
    # The examples evaluate on a Polars frame through narwhals; any backend narwhals supports works alike.

    def days(self, env: Env) -> Expr:
        """Days from the evaluation date to ``contract_end`` where the account has a contract (both its start
        and end dates, as the review requires), null elsewhere; Float64.

        Raises:
            InvalidTypeError: ``env`` is not an :class:`~postsale._columnar.Env`.

        Examples:
            >>> from datetime import date
            >>> import narwhals.stable.v2 as nw
            >>> from postsale._columnar import Env
            >>> frame = nw.from_dict({"segment": ["SMB", "SMB", "ENTERPRISE", "SMB"],
            ...                       "band": ["GREEN", "GREEN", "RED", None],
            ...                       "contract_start": [date(2026, 1, 1)] * 3 + [None],
            ...                       "contract_end": [date(2027, 6, 30), date(2026, 11, 20), date(2027, 3, 1), None]},
            ...                      backend="polars")
            >>> env = Env(frame.columns, as_of=date(2026, 11, 1))
            >>> frame.select(days=StateOrder().days(env))["days"].to_list()
            [241.0, 19.0, 120.0, None]
        """
        nw = an_env(env).nw
        if env.has(RUNWAY_DAYS):
            return env.column(RUNWAY_DAYS)
        result: Expr = (
            nw.when(~env.column("contract_start").is_null())
            .then(env.days_until("contract_end"))
            .otherwise(nw.lit(None, nw.Float64))
        )
        return result

    def _covers(self, env: Env, days: Expr) -> Expr:
        """Whether a row has a renewal status: ``days`` to renewal known and a playbook for its ``segment``.

        """
        code, table = self._group(env)
        known = ~code.is_null() if len(self.playbooks) == len(Segment) else code.is_in(sorted(table)).fill_null(False)
        result: Expr = ~days.is_null() & known
        return result

    def _group(self, env: Env) -> tuple[Expr, dict[float, tuple[tuple[RenewalState, int], ...]]]:
        """Each row's runway as a code (Float64) and the limits of each code: a segment's position ``i`` in
        :class:`~postsale.Segment`, plus ``len(Segment)`` when its band widens the runway. A code missing from
        the table (a segment without a playbook, an unknown name) has no runway. Read from the
        :data:`RUNWAY_CODE` column when an entry point has staged it (:meth:`stage`)."""
        nw = env.nw
        position = {s: float(i) for i, s in enumerate(Segment)}
        table = {position[s]: Runway.of(pb, widening=None).limits() for s, pb in self.playbooks.items()}
        widening = self.widening
        widened: Expr | None = None
        if widening is not None and widening.bands:
            band = min(widening.bands)  # any band of the set widens alike
            wide = {
                position[s] + len(Segment): Runway.of(pb, health=band, widening=widening).limits()
                for s, pb in self.playbooks.items()
            }
            if list(wide.values()) != list(table.values()):
                table |= wide
                if not env.has(RUNWAY_CODE):
                    widened = env.band().is_in(sorted(b.name for b in widening.bands)).fill_null(False)
        if env.has(RUNWAY_CODE):
            return env.column(RUNWAY_CODE), table
        code = segment_code(env)
        if widened is not None:
            code = code + nw.when(widened).then(nw.lit(float(len(Segment)))).otherwise(nw.lit(0.0))
        return code, table

    def stage(self, env: Env) -> dict[str, Expr]:
        """The intermediate columns every renewal decision reads: :data:`RUNWAY_DAYS` (:meth:`days`) and
        :data:`RUNWAY_CODE` (each row's runway). An entry point adds them in a stage of their own, so the engine
        computes them once for the state, the forecast and every limit, instead of once per use.

        Raises:
            InvalidTypeError: ``env`` is not an :class:`~postsale._columnar.Env`.

        Examples:
            >>> from datetime import date
            >>> import narwhals.stable.v2 as nw
            >>> from postsale._columnar import Env
            >>> frame = nw.from_dict({"segment": ["SMB", "ENTERPRISE"], "band": ["GREEN", "RED"],
            ...                       "contract_start": [date(2026, 1, 1)] * 2,
            ...                       "contract_end": [date(2026, 11, 20), date(2027, 3, 1)]}, backend="polars")
            >>> env = Env(frame.columns, as_of=date(2026, 11, 1))
            >>> staged = frame.with_columns(**StateOrder().stage(env))
            >>> staged[RUNWAY_CODE].to_list(), staged[RUNWAY_DAYS].to_list()
            ([2.0, 4.0], [19.0, 120.0])
            >>> env = Env(staged.columns, as_of=date(2026, 11, 1))
            >>> staged.select(state=StateOrder().expr(env))["state"].to_list()
            ['DANGER_ZONE', 'OVERDUE']
        """
        env = an_env(env)
        return {RUNWAY_CODE: self._group(env)[0], RUNWAY_DAYS: self.days(env)}

    def _limits(self, env: Env) -> list[tuple[RenewalState, Any]]:
        """The limits of :meth:`Runway.limits` per row: an int when every row shares it, else an expression
        picking the limit of the row's runway (see :meth:`_group`)."""
        code, table = self._group(env)
        found: list[tuple[RenewalState, Any]] = []
        for index, state in enumerate(_CALENDAR):
            values = {key: limits[index][1] for key, limits in table.items()}
            distinct = set(values.values())
            limit = distinct.pop() if len(distinct) == 1 else lookup(env, code, values)
            found.append((state, limit))
        return found

    def _flag_exprs(self, env: Env, days: Expr | None = None) -> dict[StatusFlag, Expr]:
        """The columnar form of :meth:`Runway.flags` with nothing completed: one Boolean column per flag
        (false where a row has no renewal status).

        Args:
            env: The evaluation's environment.
            days: Days to renewal (default :meth:`days`).

        """
        days = self.days(env) if days is None else days
        covered = self._covers(env, days)
        return {_FLAG_OF[state]: ((days < limit) & covered).fill_null(False) for state, limit in self._limits(env)
                if state in _FLAG_OF}

    def expr(self, env: Env, days: Expr | None = None) -> Expr:
        """The columnar form of :meth:`state`: the :class:`RenewalState` name per row, null where a row has no
        renewal status (no contract, or a segment without a playbook).

        Reads ``segment``, ``contract_start`` and ``contract_end`` (through :meth:`days`) and the health ``band``
        when a band widens a runway.

        Raises:
            InvalidTypeError: ``env`` is not an :class:`~postsale._columnar.Env` or ``days`` not an expression.

        Examples:
            >>> from datetime import date
            >>> import narwhals.stable.v2 as nw
            >>> from postsale._columnar import Env
            >>> frame = nw.from_dict({"segment": ["SMB", "SMB", "ENTERPRISE", "SMB"],
            ...                       "band": ["GREEN", "GREEN", "RED", None],
            ...                       "contract_start": [date(2026, 1, 1)] * 3 + [None],
            ...                       "contract_end": [date(2027, 6, 30), date(2026, 11, 20), date(2027, 3, 1), None]},
            ...                      backend="polars")
            >>> env = Env(frame.columns, as_of=date(2026, 11, 1))
            >>> frame.select(state=StateOrder().expr(env))["state"].to_list()
            ['UPCOMING', 'DANGER_ZONE', 'OVERDUE', None]
        """
        env = an_env(env)
        days = self.days(env) if days is None else an_expr("days", days)
        return _state_chain(env.nw, days, self._limits(env), self._covers(env, days))


DEFAULT_STATE_ORDER: Final = StateOrder()
"""The default playbooks with red health widening the runway to T-180."""
