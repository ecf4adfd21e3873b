"""The columnar twin of renewal timelines and status: a whole portfolio's renewals as numpy columns.

``renewal_columns`` gives, for every row, what ``renewal_timeline(contract, health=band).status(as_of,
completed)`` gives on the scalar path (state, flags, days to renewal and to the next milestone, runway
dates), with identical answers (property-tested). Milestone due dates are day offsets from the renewal
date (domain-spec §3.2-§3.3), so they vectorise exactly; fiscal-year anchoring and notice windows stay
on the scalar path. numpy is imported lazily (``pip install 'postsale[frame]'``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from postsale import _checks
from postsale._errors import InvalidValueError, OutOfOrderError, UnknownNameError
from postsale._vocabulary import Segment
from postsale.renewal import (
    DEFAULT_PLAYBOOKS,
    DEFAULT_WIDENING,
    EARLY_START,
    Playbook,
    RenewalState,
    RunwayWidening,
)

__all__ = ["renewal_columns"]

_NAT_DAYS = 2**62  # "never": larger than any day number


def _np() -> Any:
    from postsale.adapters.frame import require

    return require("numpy", "frame")


def _days(np: Any, name: str, values: Any, n: int | None = None) -> Any:
    """A column of dates as int64 day numbers (NaT -> _NAT_DAYS), checked for length."""
    try:
        array = np.asarray(values, dtype="datetime64[D]")
    except (TypeError, ValueError):
        raise InvalidValueError(
            "is not a column of dates", field=name, value=type(values).__name__,
            hint="pass datetime64[D] values (pandas datetime columns work), NaT for unknown",
        ) from None
    if array.ndim != 1 or (n is not None and len(array) != n):
        raise InvalidValueError(
            "has the wrong shape", field=name, value=array.shape, constraint=f"one value per row ({n} rows)",
            hint="pass a 1-D column as long as the others",
        )
    days = array.astype("int64")
    return np.where(np.isnat(array), _NAT_DAYS, days)


def _segments(np: Any, values: Any, n: int) -> Any:
    array = np.asarray(values, dtype=object)
    if array.ndim != 1 or len(array) != n:
        raise InvalidValueError(
            "has the wrong shape", field="segment", value=array.shape, constraint=f"one value per row ({n} rows)",
            hint="pass a 1-D column as long as renewal_date",
        )
    parsed = {value: Segment.parse(value) for value in set(array.tolist())}
    return np.array([parsed[v] for v in array.tolist()], dtype=object)


def renewal_columns(
    renewal_date: Any,
    segment: Any,
    *,
    as_of: date,
    health_band: Any = None,
    completed: Mapping[str, Any] | None = None,
    playbooks: Mapping[Segment, Playbook] = DEFAULT_PLAYBOOKS,
    widening: RunwayWidening | None = DEFAULT_WIDENING,
) -> dict[str, Any]:
    """Renewal status of every row on ``as_of``, as numpy columns.

    Args:
        renewal_date: The contracts' end dates (T-0), datetime64[D] or dates.
        segment: Each row's segment (``Segment`` or its name).
        as_of: The date to judge on.
        health_band: Optional ``HealthBand`` codes per row (1 RED, 2 YELLOW, 3 GREEN, 0 unknown): a band in
            ``widening.bands`` widens the runway as on the scalar path.
        completed: Optional milestone name -> completion dates per row (NaT = not done), e.g.
            ``{"customer_conversation": df["conversation_on"]}``.
        playbooks: Playbooks per segment.
        widening: When to widen the runway (``None`` never).

    Returns:
        ``state`` (int8 ``RenewalState`` codes), ``days_to_renewal``, ``days_to_next`` (int64; -1 when no
        milestone is left), ``runway_start``, ``latest_start``, ``danger_zone_start`` (datetime64[D]), and
        the flags ``overdue``, ``late_start``, ``danger_zone``, ``lapsed`` (bool).

    Raises:
        InvalidValueError: columns of the wrong shape or type.
        OutOfOrderError: a completion date after ``as_of``.
        UnknownNameError: a segment without a playbook, or a completed name no playbook has.

    Examples:
        >>> import numpy as np
        >>> from datetime import date
        >>> cols = renewal_columns(np.array(["2027-06-30", "2026-11-20"], dtype="datetime64[D]"),
        ...                        ["ENTERPRISE", "SMB"], as_of=date(2026, 11, 1))
        >>> [RenewalState(s).name for s in cols["state"]], cols["days_to_renewal"].tolist()
        (['UPCOMING', 'DANGER_ZONE'], [241, 19])
    """
    np = _np()
    _checks.a_date("as_of", as_of)
    renewal = _days(np, "renewal_date", renewal_date)
    n = len(renewal)
    if (renewal == _NAT_DAYS).any():
        raise InvalidValueError("has missing dates", field="renewal_date", value="NaT",
                                hint="drop the rows without a contract end first")
    segments = _segments(np, segment, n)
    today = (np.datetime64(as_of, "D")).astype("int64")
    bands = np.zeros(n, dtype="int8") if health_band is None else np.asarray(health_band, dtype="int8")
    if bands.shape != (n,):
        raise InvalidValueError("has the wrong shape", field="health_band", value=bands.shape,
                                constraint=f"one value per row ({n} rows)", hint="pass HealthBand codes, 0 = unknown")
    done = {name: _days(np, f"completed[{name!r}]", values, n) for name, values in (completed or {}).items()}
    known = {m.name for pb in playbooks.values() for m in pb.milestones}
    unknown = set(done) - known
    if unknown:
        raise UnknownNameError("are not milestones of any playbook", field="completed", value=sorted(unknown),
                               constraint=f"known: {', '.join(sorted(known))}", hint="use the playbook's names")
    for name, days in done.items():
        if ((days != _NAT_DAYS) & (days > today)).any():
            raise OutOfOrderError("has completion dates after as_of", field=f"completed[{name!r}]",
                                  value=as_of, hint="only pass milestones done by the review date")

    out = {
        "state": np.zeros(n, dtype="int8"),
        "days_to_renewal": renewal - today,
        "days_to_next": np.full(n, -1, dtype="int64"),
        "runway_start": np.zeros(n, dtype="int64"),
        "latest_start": np.zeros(n, dtype="int64"),
        "danger_zone_start": np.zeros(n, dtype="int64"),
        "overdue": np.zeros(n, dtype=bool),
        "late_start": np.zeros(n, dtype="bool"),
        "danger_zone": np.zeros(n, dtype=bool),
        "lapsed": np.zeros(n, dtype=bool),
    }
    widen_codes = [] if widening is None else [int(b) for b in widening.bands]
    for seg in set(segments.tolist()):
        pb = playbooks.get(seg)
        if pb is None:
            raise UnknownNameError("has no playbook", field="segment", value=seg.name,
                                   hint="pass playbooks= with one for every segment")
        rows = segments == seg
        for widened in (False, True):
            mask = rows & (np.isin(bands, widen_codes) if widened else ~np.isin(bands, widen_codes))
            if mask.any():
                _fill(np, out, mask, pb, widening if widened else None, renewal[mask], today, done)
    for key in ("runway_start", "latest_start", "danger_zone_start"):
        out[key] = out[key].astype("datetime64[D]")
    return out


def _fill(
    np: Any, out: dict[str, Any], mask: Any, pb: Playbook, widening: RunwayWidening | None, renewal: Any,
    today: Any, done: Mapping[str, Any],
) -> None:
    """Compute the status of the rows in ``mask`` (one playbook, widened or not)."""
    milestones = [(m.name, m.days_before) for m in pb.milestones]
    start_days = pb.runway_days
    if widening is not None and widening.runway_days > start_days:
        start_days = widening.runway_days
        if start_days > pb.milestones[0].days_before:
            milestones.insert(0, (EARLY_START, start_days))
    size = int(mask.sum())
    never = np.full(size, _NAT_DAYS, dtype="int64")
    # earliest completion of each milestone or any later one ("done or superseded"), as on the scalar path
    done_by: list[Any] = []
    running = never
    for name, _days_before in reversed(milestones):
        on = done[name][mask] if name in done else never
        running = np.minimum(running, on)
        done_by.append(running)
    done_by.reverse()
    names = [name for name, _ in milestones]
    started = done_by[names.index(pb.conversation)]
    confirmed = done_by[names.index(pb.confirmation)]
    latest = renewal - pb.latest_start_days
    danger_start = renewal - pb.danger_zone_days
    overdue = np.zeros(size, dtype=bool)
    nxt = np.full(size, _NAT_DAYS, dtype="int64")
    for (_name, days_before), by in zip(milestones, done_by, strict=True):
        due = renewal - days_before
        open_ = by == _NAT_DAYS
        overdue |= open_ & (due < today)
        upcoming = open_ & (due >= today)
        nxt = np.where(upcoming & (due < nxt), due, nxt)
    late = (today > latest) & ((started == _NAT_DAYS) | (started > latest))
    unconfirmed = confirmed == _NAT_DAYS
    danger = unconfirmed & (today >= danger_start)
    lapsed = unconfirmed & (today > renewal)
    state = np.where(today >= renewal - start_days, int(RenewalState.ON_TRACK), int(RenewalState.UPCOMING))
    for flag, code in ((overdue, RenewalState.OVERDUE), (late, RenewalState.LATE_START),
                       (danger, RenewalState.DANGER_ZONE), (lapsed, RenewalState.LAPSED)):
        state = np.where(flag, int(code), state)
    state = np.where(unconfirmed, state, int(RenewalState.CONFIRMED))
    out["state"][mask] = state
    out["days_to_next"][mask] = np.where(nxt == _NAT_DAYS, -1, nxt - today)
    out["runway_start"][mask] = renewal - start_days
    out["latest_start"][mask] = latest
    out["danger_zone_start"][mask] = danger_start
    out["overdue"][mask] = overdue
    out["late_start"][mask] = late
    out["danger_zone"][mask] = danger
    out["lapsed"][mask] = lapsed

