"""The renewal timeline over columns: the dates and milestones of :meth:`RenewalTimeline.status`, per row.

The columnar twin of :func:`~postsale.renewal.renewal_timeline` followed by
:meth:`~postsale.renewal.RenewalTimeline.status` (the state aside, which :meth:`StateOrder.expr` gives):
:meth:`postsale.renewal.StateOrder.timeline_columns` tabulates each runway of its table as a :class:`Route` (the
timeline's milestones and day limits) and this module turns the routes into one expression per status field. The
scalar status reads milestone dates; here every limit is a number of days before T-0 and each row's dates are its
renewal date moved back by them, so both read the same tabulated days.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Final

import attrs

from postsale._columnar import Env
from postsale._repr import readable
from postsale.renewal._runway import Condition, all_of, any_of
from postsale.renewal._status import AFTER_RENEWAL, BEFORE_RUNWAY

if TYPE_CHECKING:  # pragma: no cover - typing only
    from narwhals.stable.v2 import Expr

__all__ = ["COLUMNS", "Route", "timeline_columns"]

COLUMNS: Final = {
    "renewal_date": "Date",
    "runway_start": "Date",
    "latest_start": "Date",
    "danger_zone_start": "Date",
    "notice_last_day": "Date",
    "phase": "String",
    "next_milestone": "String",
    "next_milestone_due": "Date",
    "days_to_next": "Float64",
    "overdue": "String",
    "completed": "String",
    "conversation_started": "Date",
    "confirmed_on": "Date",
    "in_touch_ramp": "Boolean",
    "recorded": "Boolean",
}
"""The columns :func:`timeline_columns` gives, with their narwhals dtype names (the fields of
:class:`~postsale.renewal.RenewalStatus` they hold; a list of milestones is their names joined by ``", "``)."""

SEPARATOR: Final = ", "
"""What joins the milestone names of ``overdue`` and ``completed``."""


@attrs.frozen
class Route:
    """The timeline of one runway of a state order's table, in days before T-0.

    Attributes:
        steps: The milestones (name, days before T-0) in time order, ``early_start`` first on a widened runway (as
            :func:`~postsale.renewal.renewal_timeline` lists them).
        conversation: The milestone that starts the customer conversation.
        confirmation: The milestone that confirms the renewal.
        start_days: The runway starts at T-``start_days``.
        latest_start_days: The latest start, T-``latest_start_days``.
        danger_zone_days: The danger zone starts at T-``danger_zone_days``.
        touch_ramp: The touch ramp's ``(from, to)`` T-N.
        auto: Whether the contract renews by itself (notice until T-0, as ``Contract.from_snapshot`` reads it).
    """

    __repr__ = readable
    steps: tuple[tuple[str, int], ...]
    conversation: str
    confirmation: str
    start_days: int
    latest_start_days: int
    danger_zone_days: int
    touch_ramp: tuple[int, int]
    auto: bool


def _before(nw: Any, day: Expr, days: int) -> Expr:
    """``day - days`` days, a Date (through a datetime: the one date arithmetic every engine shares)."""
    if days == 0:
        return day
    result: Expr = (day.cast(nw.Datetime("us")) - nw.lit(timedelta(days=days))).cast(nw.Date)
    return result


def _earliest(nw: Any, done: list[tuple[Expr, Expr]]) -> Expr:
    """The earliest of the completion dates ``done`` (each with its days since, null: not done) per row, null when
    none is done: the one whose days since is the largest (a choice over the dates rather than their minimum,
    which not every engine takes of dates)."""
    if not done:
        none: Expr = nw.lit(None, nw.Date)
        return none
    if len(done) == 1:
        return done[0][0]
    most = nw.max_horizontal(*(since for _, since in done))
    chain: Any = nw.lit(None, nw.Date)
    for day, since in reversed(done):
        chain = nw.when(since == most).then(day).otherwise(chain)
    result: Expr = chain.cast(nw.Date)
    return result


def _sooner(nw: Any, day: Expr, other: Expr) -> Expr:
    """The sooner of two dates per row, ignoring a null."""
    take = ~other.is_null() & (day.is_null() | (other < day).fill_null(False))
    result: Expr = nw.when(take).then(other).otherwise(day)
    return result


def _joined(nw: Any, named: list[tuple[Condition, str]]) -> Expr:
    """The names whose condition holds, joined by :data:`SEPARATOR` in order (null when none holds)."""
    named = [(held, name) for held, name in named if held is not False]
    if not named:
        none: Expr = nw.lit(None, nw.String)
        return none
    parts = [nw.lit(name) if held is True else nw.when(held).then(nw.lit(name)).otherwise(nw.lit(None, nw.String))
             for held, name in named]
    joined = nw.concat_str(parts, separator=SEPARATOR, ignore_nulls=True)
    some = any_of(held for held, _ in named)
    result: Expr = joined if some is True else nw.when(some).then(joined).otherwise(nw.lit(None, nw.String))
    return result


def _per_route(nw: Any, code: Expr, values: Mapping[float, Any], default: Any) -> Any:
    """Each row's value of its route (``default`` for a row without one)."""
    chain = default
    for key, value in values.items():
        chain = nw.when(code == key).then(value).otherwise(chain)
    return chain


def timeline_columns(
    env: Env,
    days: Expr,
    code: Expr,
    routes: Mapping[float, Route],
    *,
    completions: Mapping[str, str],
    recorded: Condition,
    covered: Expr,
) -> dict[str, Expr]:
    """The :data:`COLUMNS` of each row's renewal status: :meth:`RenewalTimeline.status` over columns.

    Args:
        env: The evaluation's environment (reads ``contract_end`` and the completion dates).
        days: Days from the evaluation date to T-0 (Float64).
        code: Each row's route, a key of ``routes``.
        routes: The timeline of each route.
        completions: The column of each milestone's completion date (null: not done), by milestone name.
        recorded: Whether each row's renewal activity is recorded (a bool for every row, or a Boolean expression).
        covered: Where a row has a renewal status (every column is null elsewhere).
    """
    nw = env.nw
    renewal = env.column("contract_end")
    dates = {name: env.column(column) for name, column in completions.items()}  # null: not done
    since = {name: env.days_since(column) for name, column in completions.items()}
    per_route: dict[str, dict[float, Expr]] = {name: {} for name in COLUMNS}
    for key, route in routes.items():
        steps = route.steps
        names = [name for name, _ in steps]
        # open: neither this milestone nor a later one is done ("done or superseded", as status reads it)
        open_ = [all_of(dates[name].is_null() for name in names[i:] if name in dates) for i in range(len(steps))]
        found = per_route
        found["runway_start"][key] = _before(nw, renewal, route.start_days)
        found["latest_start"][key] = _before(nw, renewal, route.latest_start_days)
        found["danger_zone_start"][key] = _before(nw, renewal, route.danger_zone_days)
        found["notice_last_day"][key] = renewal if route.auto else nw.lit(None, nw.Date)
        phase: Any = nw.lit(BEFORE_RUNWAY)
        for name, before in steps:
            phase = nw.when(days <= before).then(nw.lit(name)).otherwise(phase)
        found["phase"][key] = nw.when(days < 0).then(nw.lit(AFTER_RENEWAL)).otherwise(phase)
        upcoming: Any = nw.lit(None, nw.String)
        due: Any = nw.lit(None, nw.Date)
        left: Any = nw.lit(None, nw.Float64)
        for (name, before), still in reversed(list(zip(steps, open_, strict=True))):
            hit = all_of((still, days >= before))  # not done, due today or later: the first is next
            upcoming = nw.when(hit).then(nw.lit(name)).otherwise(upcoming)
            due = nw.when(hit).then(_before(nw, renewal, before)).otherwise(due)
            left = nw.when(hit).then(days - before).otherwise(left)
        found["next_milestone"][key], found["next_milestone_due"][key], found["days_to_next"][key] = upcoming, due, left
        # (overdue: not done and past due; none is due after an auto-renewal settles, its notice window ending at T-0)
        found["overdue"][key] = _joined(nw, [(all_of((recorded, still, days < before)), name)
                                             for (name, before), still in zip(steps, open_, strict=True)])
        found["completed"][key] = _joined(nw, [(~dates[name].is_null(), name) for name in names if name in dates])
        found["conversation_started"][key] = _earliest(
            nw, [(dates[n], since[n]) for n in names[names.index(route.conversation):] if n in dates])
        sealed = _earliest(nw, [(dates[n], since[n]) for n in names[names.index(route.confirmation):] if n in dates])
        if route.auto:  # its notice window closed after T-0: confirmed the day after, unless confirmed before
            sealed = nw.when(days < 0).then(_sooner(nw, sealed, _before(nw, renewal, -1))).otherwise(sealed)
        found["confirmed_on"][key] = sealed
        ramp_from, ramp_to = route.touch_ramp
        found["in_touch_ramp"][key] = (days <= ramp_from) & (days >= ramp_to)
    columns: dict[str, Expr] = {}
    for name, dtype in COLUMNS.items():
        kind = getattr(nw, dtype)
        if name == "renewal_date":
            value: Any = renewal
        elif name == "recorded":
            value = nw.lit(recorded) if isinstance(recorded, bool) else recorded
        else:
            value = _per_route(nw, code, per_route[name], nw.lit(None, kind))
        columns[name] = nw.when(covered).then(value).otherwise(nw.lit(None, kind)).cast(kind)
    return columns
