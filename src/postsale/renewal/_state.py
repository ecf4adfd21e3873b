"""The renewal state order: which state a renewal is in, from its days to renewal and its playbook.

One definition, two forms. :class:`~postsale.renewal.Runway` (defined with the states and flags in
``_runway``) holds the day thresholds of one renewal; the conditions of its problems are written once
(``_runway.calendar``) and read by the scalar :meth:`Runway.state` (which
:meth:`postsale.renewal.RenewalTimeline.status` calls) and the columnar :meth:`Runway.expr`. :class:`StateOrder`
tabulates the runways of every segment's playbook, widened or not, auto-renewing or not, and gives the same answer
per row of a portfolio frame (:meth:`StateOrder.expr`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

import attrs

from postsale import _checks
from postsale._columnar import Env, an_env, an_expr, decision, lookup, segment_code
from postsale._errors import InvalidTypeError
from postsale._frozen import freeze
from postsale._repr import readable
from postsale._vocabulary import HealthBand, Segment
from postsale.renewal._playbook import AUTO_RENEW_SEGMENTS, DEFAULT_PLAYBOOKS, Playbook, playbook_for
from postsale.renewal._runway import (
    AT_RISK_RUNWAY_DAYS,
    DEFAULT_WIDENING,
    Condition,
    RenewalState,
    Runway,
    RunwayWidening,
    StatusFlag,
    _flag,
    _to_widening,
    any_of,
    calendar,
    state_chain,
)
from postsale.renewal._timeline_columns import Route, timeline_columns

if TYPE_CHECKING:  # pragma: no cover - typing only
    from narwhals.stable.v2 import Expr

__all__ = [
    "AT_RISK_RUNWAY_DAYS",
    "DEFAULT_STATE_ORDER",
    "DEFAULT_WIDENING",
    "MILESTONE",
    "RENEWAL_RECORDED",
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
MILESTONE: Final = "milestone."
"""The prefix of a portfolio frame's completion columns: ``milestone.<name>`` holds the day the account completed
that milestone of its renewal playbook (null: not done). A frame with such columns records renewal activity for
every row (unless its :data:`RENEWAL_RECORDED` column says otherwise)."""
RENEWAL_RECORDED: Final = "renewal_recorded"
"""The optional Boolean column saying per row whether the account's renewal activity is recorded: true, its
milestones are tracked (and, a frame carrying no completion dates, none is done); false or null, no renewal
activity is recorded. A frame without it takes the ``recorded`` argument of :meth:`StateOrder.expr` and
:meth:`~postsale.renewal.ForecastRules.expr` for every row."""


def milestone_steps(playbook: Playbook, runway: Runway) -> list[tuple[str, int]]:
    """The milestones (name, days before T-0) of a timeline of ``playbook`` on ``runway``, as
    :func:`~postsale.renewal.renewal_timeline` lists them for a health-widened runway: the playbook's, after an
    ``early_start`` when the widening starts the runway before the first of them."""
    from postsale.renewal._timeline import EARLY_START

    steps = [(m.name, m.days_before) for m in playbook.milestones]
    if runway.start_days != playbook.runway_days and runway.start_days > steps[0][1]:
        steps.insert(0, (EARLY_START, runway.start_days))
    return steps


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


def _to_segments(value: Any) -> frozenset[Segment]:
    items = _checks.items("auto_renew", [value] if isinstance(value, (str, Segment)) else value)
    return frozenset(Segment.parse(s) for s in items)


@decision("state")
@attrs.frozen
class StateOrder:
    """The renewal state of any account from its segment, health band and days to renewal.

    The scalar :meth:`state` and the columnar :meth:`expr` read the same table: the :class:`Runway` of each
    segment's playbook, widened or not, and whether the segment's contracts renew by themselves. Both describe a
    renewal with nothing completed yet: milestones tracked and none done (``recorded=True``, the default), or no
    renewal activity recorded at all (``recorded=False``); :meth:`postsale.renewal.RenewalTimeline.status`
    judges recorded milestones. Contracts are read as :meth:`~postsale.renewal.Contract.from_snapshot` builds
    them: auto-renewing when their segment is in ``auto_renew``, with no notice period.

    Args:
        playbooks: The playbook of each segment (default :data:`~postsale.renewal.DEFAULT_PLAYBOOKS`).
        widening: When to start the runway earlier (``None`` never widens).
        auto_renew: Segments whose contracts renew by themselves unless notice is given (default
            :data:`~postsale.renewal.AUTO_RENEW_SEGMENTS`: product-led); their state follows the notice window.

    Examples:
        >>> order = StateOrder()
        >>> order.state(45, segment="SMB"), order.state(45, segment="SMB", health="RED")
        (<RenewalState.OVERDUE: 4>, <RenewalState.OVERDUE: 4>)
        >>> order.state(150, segment="SMB"), order.state(150, segment="SMB", health="RED")
        (<RenewalState.UPCOMING: 1>, <RenewalState.OVERDUE: 4>)
        >>> order.state(91, segment="ENTERPRISE"), order.state(91, segment="ENTERPRISE", recorded=False)
        (<RenewalState.LATE_START: 5>, <RenewalState.NOT_RECORDED: 3>)
    """

    __repr__ = readable
    playbooks: Mapping[Segment, Playbook] = attrs.field(default=DEFAULT_PLAYBOOKS, converter=_to_playbooks)
    widening: RunwayWidening | None = attrs.field(default=DEFAULT_WIDENING, converter=_to_widening)
    auto_renew: frozenset[Segment] = attrs.field(default=AUTO_RENEW_SEGMENTS, converter=_to_segments)

    def runway(
        self, segment: Segment | str, *, health: HealthBand | str | None = None, auto_renew: bool | None = None
    ) -> Runway:
        """Return the runway of an account of ``segment`` whose health band is ``health``.

        Args:
            segment: The account's segment.
            health: Its health band, if known.
            auto_renew: Whether its contract renews by itself (no notice period); ``None``: the segment's
                default (:attr:`auto_renew`).

        Raises:
            UnknownNameError: an unknown segment or band, or a segment without a playbook.
            InvalidTypeError: ``auto_renew`` is not a bool (nor ``None``).

        Examples:
            >>> StateOrder().runway("ENTERPRISE").latest_start_days
            120
            >>> StateOrder().runway("PRODUCT_LED").notice_days, StateOrder().runway("SMB").notice_days
            (0, None)
        """
        band = None if health is None else HealthBand.parse(health, field="health")
        seg = Segment.parse(segment)
        auto = seg in self.auto_renew if auto_renew is None else _flag("auto_renew", auto_renew)
        return Runway.of(playbook_for(seg, self.playbooks), health=band, widening=self.widening,
                         notice_days=0 if auto else None)

    def state(
        self,
        days_to_renewal: int,
        *,
        segment: Segment | str,
        health: HealthBand | str | None = None,
        recorded: bool = True,
        auto_renew: bool | None = None,
    ) -> RenewalState:
        """Return the state of a renewal ``days_to_renewal`` days away with nothing completed yet.

        Equal to ``renewal_timeline(contract, health=health).status(as_of, recorded=recorded).state`` for a
        contract of ``segment`` ending ``days_to_renewal`` days after ``as_of``.

        Args:
            days_to_renewal: Days from the date judged to T-0 (negative once past).
            segment: The account's segment.
            health: Its health band, if known.
            recorded: Whether its renewal activity is recorded (``False``: NOT_RECORDED rather than overdue
                or late).
            auto_renew: Whether its contract renews by itself; ``None``: the segment's default.

        Examples:
            >>> StateOrder().state(14, segment="PRODUCT_LED"), StateOrder().state(14, segment="SMB")
            (<RenewalState.OVERDUE: 4>, <RenewalState.DANGER_ZONE: 6>)
        """
        return self.runway(segment, health=health, auto_renew=auto_renew).state(days_to_renewal, recorded=recorded)

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
        """Whether a row has a renewal status: ``days`` to renewal known and a playbook for its ``segment``."""
        code, table = self._group(env)
        known = ~code.is_null() if len(self.playbooks) == len(Segment) else code.is_in(sorted(table)).fill_null(False)
        result: Expr = ~days.is_null() & known
        return result

    def _group(self, env: Env) -> tuple[Expr, dict[float, Runway]]:
        """Each row's runway as a code (Float64) and the runway of each code (a renewal that needs a decision): a
        segment's position ``i`` in :class:`~postsale.Segment`, plus ``len(Segment)`` when its band widens the
        runway. A code missing from the table (a segment without a playbook, an unknown name) has no runway. Read
        from the :data:`RUNWAY_CODE` column when an entry point has staged it (:meth:`stage`)."""
        nw = env.nw
        position = {s: float(i) for i, s in enumerate(Segment)}
        table = {position[s]: Runway.of(pb, widening=None) for s, pb in self.playbooks.items()}
        widening = self.widening
        widened: Expr | None = None
        if widening is not None and widening.bands:
            band = min(widening.bands)  # any band of the set widens alike
            wide = {
                position[s] + len(Segment): Runway.of(pb, health=band, widening=widening)
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

    def _conditions(
        self, env: Env, days: Expr, recorded: bool
    ) -> tuple[Condition, dict[StatusFlag, Condition], Condition]:
        """:func:`~postsale.renewal._runway.calendar` per row: each limit an int when every row shares it, else
        an expression picking the limit of the row's runway (see :meth:`_group`); auto-renewal from the row's
        segment; the recorded activity from the :data:`RENEWAL_RECORDED` column, else ``recorded``."""
        code, table = self._group(env)
        limits: list[Any] = []
        for index in range(4):
            values = {key: runway._limits()[index] for key, runway in table.items()}
            distinct = set(values.values())
            limits.append(distinct.pop() if len(distinct) == 1 else lookup(env, code, values))
        segments = list(Segment)
        auto_keys = sorted(key for key in table if segments[int(key) % len(segments)] in self.auto_renew)
        auto: Condition = (
            bool(auto_keys) if len(auto_keys) in (0, len(table)) else code.is_in(auto_keys).fill_null(False)
        )
        completed = self._completed(env, code, table, days)
        found = self._recorded(env, recorded)
        start, first, latest, danger = limits
        overdue, started, confirmed, _ = (None, False, False, False) if completed is None else completed
        return calendar(days, (start, first, latest, danger), auto=auto, notice=0, recorded=found, overdue=overdue,
                        started=started, confirmed=confirmed)

    @staticmethod
    def _recorded(env: Env, recorded: bool) -> Condition:
        """Whether each row's renewal activity is recorded: its :data:`RENEWAL_RECORDED` column (null: not), else
        true for a frame with completion columns (the milestones are tracked), else ``recorded``."""
        if env.has(RENEWAL_RECORDED):
            found: Condition = (env.column(RENEWAL_RECORDED) == env.nw.lit(True)).fill_null(False)  # null: not
            return found
        if any(name.startswith(MILESTONE) for name in env.names):
            return True  # completion dates are kept: the milestones are tracked
        return _flag("recorded", recorded)

    def conversation_started(self, env: Env) -> Condition:
        """Whether each row's renewal conversation (or a later milestone) was completed: the columnar form of
        ``RenewalStatus.conversation_started is not None`` (``False`` for a frame without completion columns)."""
        env = an_env(env)
        code, table = self._group(env)
        completed = self._completed(env, code, table, self.days(env))
        return False if completed is None else completed[3]

    def _completed(
        self, env: Env, code: Expr, table: dict[float, Runway], days: Expr
    ) -> tuple[Condition, Condition, Condition, Condition] | None:
        """From the :data:`MILESTONE` columns, per row: whether a milestone is overdue, whether the conversation was
        started by the latest start, whether the renewal is confirmed, whether the conversation started at all —
        :meth:`RenewalTimeline.status` over columns (a milestone counts as done when it or a later one is).
        ``None`` for a frame without completion columns."""
        given = sorted(name for name in env.names if name.startswith(MILESTONE))
        if not given:
            return None
        nw = env.nw
        since = {name[len(MILESTONE):]: env.days_since(name) for name in given}  # days since done, null: not
        segments = list(Segment)
        found: list[Any] = [nw.lit(None, nw.Boolean)] * 4
        for key, runway in table.items():
            playbook = self.playbooks[segments[int(key) % len(segments)]]
            steps = milestone_steps(playbook, runway)
            done: list[Expr | None] = []
            for i in range(len(steps)):
                later = [since[name] for name, _ in steps[i:] if name in since]
                done.append(  # the earliest completion, in days since (Spark's greatest takes two columns or more)
                    (nw.max_horizontal(*later) if len(later) > 1 else later[0]) if later else None)
            index = {name: i for i, (name, _) in enumerate(steps)}
            talked, sealed = done[index[playbook.conversation]], done[index[playbook.confirmation]]
            overdue = any_of([days < due if d is None else d.is_null() & (days < due)
                              for d, (_, due) in zip(done, steps, strict=True)])
            here = (
                overdue,
                False if talked is None else ~talked.is_null() & (days + talked >= playbook.latest_start_days),
                False if sealed is None else ~sealed.is_null(),
                False if talked is None else ~talked.is_null(),
            )
            found = [nw.when(code == key).then(nw.lit(c) if isinstance(c, bool) else c).otherwise(f)
                     for c, f in zip(here, found, strict=True)]
        overdue, started, confirmed, talked = (f.fill_null(False) for f in found)
        return overdue, started, confirmed, talked

    def _calendar_exprs(
        self, env: Env, days: Expr | None = None, recorded: bool = True
    ) -> tuple[Condition, dict[StatusFlag, Condition]]:
        """The columnar form of :meth:`Runway.flags` with nothing completed: whether each row is confirmed (an
        auto-renewal past its notice window) and one Boolean column per flag (false where a row has no renewal
        status; a plain ``False`` when no row can hold it).

        Args:
            env: The evaluation's environment.
            days: Days to renewal (default :meth:`days`).
            recorded: Whether renewal activity is recorded, for a frame without a :data:`RENEWAL_RECORDED` column.
        """
        days = self.days(env) if days is None else days
        covered = self._covers(env, days)
        done, flags, _ = self._conditions(env, days, recorded)

        def held(condition: Condition) -> Condition:
            if condition is False:
                return False
            return covered if condition is True else (condition & covered).fill_null(False)

        return held(done), {flag: held(condition) for flag, condition in flags.items()}

    def expr(self, env: Env, days: Expr | None = None, *, recorded: bool = True) -> Expr:
        """The columnar form of :meth:`state`: the :class:`RenewalState` name per row, null where a row has no
        renewal status (no contract, or a segment without a playbook).

        Reads ``segment``, ``contract_start`` and ``contract_end`` (through :meth:`days`), the health ``band``
        when a band widens a runway, and the :data:`RENEWAL_RECORDED` column when the frame has one.

        Args:
            env: The evaluation's environment.
            days: Days to renewal (default :meth:`days`).
            recorded: Whether renewal activity is recorded (milestones tracked, none done), for a frame without a
                :data:`RENEWAL_RECORDED` column; ``False``: no renewal activity recorded.

        Raises:
            InvalidTypeError: ``env`` is not an :class:`~postsale._columnar.Env`, ``days`` not an expression or
                ``recorded`` not a bool.

        Examples:
            >>> from datetime import date
            >>> import narwhals.stable.v2 as nw
            >>> from postsale._columnar import Env
            >>> frame = nw.from_dict({"segment": ["SMB", "SMB", "ENTERPRISE", "SMB", "PRODUCT_LED"],
            ...                       "band": ["GREEN", "GREEN", "RED", None, "GREEN"],
            ...                       "contract_start": [date(2026, 1, 1)] * 3 + [None, date(2026, 1, 1)],
            ...                       "contract_end": [date(2027, 6, 30), date(2026, 11, 20), date(2027, 3, 1), None,
            ...                                        date(2026, 11, 15)]},
            ...                      backend="polars")
            >>> env = Env(frame.columns, as_of=date(2026, 11, 1))
            >>> frame.select(state=StateOrder().expr(env))["state"].to_list()
            ['UPCOMING', 'DANGER_ZONE', 'OVERDUE', None, 'OVERDUE']
            >>> frame.select(state=StateOrder().expr(env, recorded=False))["state"].to_list()
            ['UPCOMING', 'DANGER_ZONE', 'NOT_RECORDED', None, 'NOT_RECORDED']
        """
        env = an_env(env)
        days = self.days(env) if days is None else an_expr("days", days)
        found = self._conditions(env, days, recorded)
        return state_chain(env.nw, days, found, ~self._covers(env, days))

    def timeline_columns(self, env: Env, days: Expr | None = None, *, recorded: bool = True) -> dict[str, Expr]:
        """The columnar form of the rest of the status: per row, the fields of
        ``renewal_timeline(contract, health=band, playbooks=self.playbooks, widening=self.widening).status(as_of,
        completed, recorded=...)`` besides its state (:meth:`expr`), by column name (see
        :data:`~postsale.renewal._timeline_columns.COLUMNS`): the dates of the timeline, the phase, the next
        milestone and its due date, the overdue and completed milestones (names joined by ``", "``, null when
        none), when the conversation started and the renewal was confirmed, whether the date is in the touch ramp
        and whether renewal activity is recorded. Null where a row has no renewal status.

        Reads what :meth:`expr` reads, plus the ``milestone.<name>`` completion dates.

        Args:
            env: The evaluation's environment.
            days: Days to renewal (default :meth:`days`).
            recorded: Whether renewal activity is recorded, for a frame without a :data:`RENEWAL_RECORDED` column
                nor completion columns.

        Raises:
            InvalidTypeError: ``env`` is not an :class:`~postsale._columnar.Env`, ``days`` not an expression or
                ``recorded`` not a bool.

        Examples:
            >>> from datetime import date
            >>> import narwhals.stable.v2 as nw
            >>> from postsale._columnar import Env, physical
            >>> frame = nw.from_dict({"segment": ["SMB", "ENTERPRISE"], "band": ["GREEN", "RED"],
            ...                       "contract_start": [date(2026, 1, 1)] * 2,
            ...                       "contract_end": [date(2026, 11, 20), date(2027, 3, 1)],
            ...                       physical("milestone.internal_prep"): [None, date(2026, 9, 1)]}, backend="polars")
            >>> env = Env(frame.columns, as_of=date(2026, 11, 1))
            >>> columns = StateOrder().timeline_columns(env)
            >>> frame.select(**columns).select("phase", "next_milestone", "days_to_next", "overdue").rows()[0]
            ('follow_up', 'renewal', 19.0, 'renewal_offer, follow_up')
            >>> frame.select(**columns)["runway_start"].to_list()
            [datetime.date(2026, 9, 21), datetime.date(2026, 9, 2)]
        """
        env = an_env(env)
        days = self.days(env) if days is None else an_expr("days", days)
        _flag("recorded", recorded)
        code, table = self._group(env)
        segments = list(Segment)
        routes = {}
        for key, runway in table.items():
            segment = segments[int(key) % len(segments)]
            playbook = self.playbooks[segment]
            routes[key] = Route(tuple(milestone_steps(playbook, runway)), playbook.conversation, playbook.confirmation,
                                runway.start_days, playbook.latest_start_days, playbook.danger_zone_days,
                                playbook.touch_ramp, segment in self.auto_renew)
        completions = {name[len(MILESTONE):]: name for name in sorted(env.names) if name.startswith(MILESTONE)}
        return timeline_columns(env, days, code, routes, completions=completions,
                                recorded=self._recorded(env, recorded), covered=self._covers(env, days))


DEFAULT_STATE_ORDER: Final = StateOrder()
"""The default playbooks with red health widening the runway to T-180; product-led contracts renew by
themselves."""
