"""The renewal timeline over columns: every account's renewal status (dates, phase, milestones) from a portfolio frame.

The assembly only: the rows are checked, health-banded and given their renewal state by :func:`review_frame` (the
same refusals, the same answers); the timeline's columns are :meth:`postsale.renewal.StateOrder.timeline_columns`,
the columnar form kept beside the scalar rule.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

import attrs

from postsale._columnar import BAND, SEPARATOR, Env, NotEvaluable, narwhals, physical
from postsale._repr import readable
from postsale.adapters.frame._input import ACCOUNT_ID, normalise
from postsale.adapters.frame._review import NotEvaluated, _days, _engine, review_frame
from postsale.renewal import MILESTONE, RENEWAL_RECORDED
from postsale.renewal._timeline_columns import COLUMNS
from postsale.review import DEFAULT_REVIEW_SETTINGS, ReviewSettings

__all__ = ["RENEWAL_SCHEMA", "FrameRenewals", "renewal_frame"]

RENEWAL_SCHEMA: Final = {
    ACCOUNT_ID: "String",
    "segment": "String",
    "renewal_date": "Date",
    "days_to_renewal": "Float64",
    "renewal_state": "String",
    **{name: dtype for name, dtype in COLUMNS.items() if name != "renewal_date"},
}
"""The columns of :attr:`FrameRenewals.results`, with their narwhals dtype names (fixed: no trial run needed)."""

_READ: Final = (ACCOUNT_ID, "segment", "contract_start", "contract_end", RENEWAL_RECORDED)
"""The input columns the timeline reads besides the ``milestone.<name>`` completion dates."""
_ROW: Final = "__postsale_row"
"""The input's row number, to give the results in the input's order after the join."""
_REVIEWED: Final = (ACCOUNT_ID, "segment", BAND, "days_to_renewal", "renewal_state")
"""What the timeline takes from the review of each account."""


@attrs.frozen
class FrameRenewals:
    """What :func:`renewal_frame` returns.

    Attributes:
        results: One row per accepted account, with the columns of :data:`RENEWAL_SCHEMA` (the input's kind:
            pandas in, pandas out; Polars in, Polars out; a lazy frame in, a lazy frame out).
        errors: One row per rejected value (:data:`~postsale.adapters.frame.ERRORS_SCHEMA`), as
            :func:`review_frame` reports them.
        not_evaluated: What could not be evaluated for lack of a column: the renewal itself (no contract dates)
            or a health signal (the health band widens the runway).
    """

    __repr__ = readable
    results: Any
    errors: Any
    not_evaluated: tuple[NotEvaluated, ...] = ()


def renewal_frame(frame: Any, *, as_of: date, settings: ReviewSettings = DEFAULT_REVIEW_SETTINGS) -> FrameRenewals:
    """Every account's renewal status on ``as_of`` as columns: the fields of ``review_account(...).renewal``.

    The frame is :func:`review_frame`'s (one row per account: ``account_id``, ``segment``, ``contract_start``,
    ``contract_end``, the health signals, ``milestone.<name>`` completion dates and ``renewal_recorded``), with
    the same checks: a row ``review_account`` would refuse is left out of ``results`` and listed in ``errors``.
    Per account, as :func:`postsale.review_account` builds the renewal status with ``settings``: the playbook is
    the segment's (``settings.renewal``), a health band in its widening starts the runway earlier (with an
    ``early_start`` milestone), and a contract of an auto-renew segment renews by itself (``notice_last_day``).

    Columns (:data:`RENEWAL_SCHEMA`): ``account_id``, ``segment``, ``renewal_date``, ``days_to_renewal``,
    ``renewal_state``, ``runway_start``, ``latest_start``, ``danger_zone_start``, ``notice_last_day`` (null
    unless the contract renews by itself), ``phase``, ``next_milestone``, ``next_milestone_due``, ``days_to_next``,
    ``overdue`` and ``completed`` (milestone names joined by ``", "`` in playbook order, null when none),
    ``conversation_started``, ``confirmed_on``, ``in_touch_ramp`` and ``recorded``. Dates are Date columns, day
    counts Float64. An account without contract dates has a null renewal status (every column but its id and
    segment null; pandas holds a missing Boolean as False).

    Raises:
        MissingDependencyError: narwhals is not installed.
        InvalidTypeError: ``frame`` is not a dataframe narwhals knows, or a column has an unusable type.
        InvalidValueError: the frame lacks ``account_id`` or ``segment``.

    Examples:
        >>> import polars as pl
        >>> from datetime import date
        >>> accounts = pl.DataFrame({"account_id": ["a", "b", "c"], "segment": ["SMB", "SMB", "SMB"],
        ...     "nps": [9.0, 1.0, 8.0], "sentiment": [80.0, 10.0, 70.0],
        ...     "contract_start": [date(2025, 12, 1), date(2026, 4, 1), date(2026, 1, 1)],
        ...     "contract_end": [date(2026, 11, 30), date(2027, 3, 31), date(2025, 12, 31)],
        ...     "milestone.renewal_offer": [date(2026, 10, 5), None, None]})
        >>> renewals = renewal_frame(accounts, as_of=date(2026, 11, 1))
        >>> renewals.results.select("account_id", "renewal_state", "phase", "overdue", "next_milestone").rows()
        [('a', 'DANGER_ZONE', 'follow_up', 'follow_up', 'renewal'), ('b', 'OVERDUE', 'early_start', 'early_start', \
'renewal_offer')]
        >>> renewals.results["runway_start"].to_list()  # b's red health widens its runway to T-180
        [datetime.date(2026, 10, 1), datetime.date(2026, 10, 2)]
        >>> renewals.errors.select("account_id", "column").rows()
        [('c', 'contract_end')]
    """
    review = review_frame(frame, as_of=as_of, settings=settings)  # the checks, the health band, the state
    nw = narwhals()
    given = nw.from_native(frame)
    implementation = given.implementation
    eager = isinstance(given, nw.DataFrame)
    if implementation.is_pyspark() and any("." in name for name in given.columns):
        native = given.to_native()  # as review_frame reads it: Spark takes a dot for a struct field
        given = nw.from_native(native.toDF(*(physical(name) for name in native.columns)))
    if eager:
        given = given.with_row_index(_ROW)
    elif implementation.is_polars():  # a Polars LazyFrame keeps its order: restore it after the join too
        given = nw.from_native(given.to_native().with_row_index(_ROW))
    read = [raw for raw in given.columns if _reads(raw) or raw == _ROW]
    inputs, names, _ = normalise(given.lazy().select(read), nw, ids_first=implementation.is_dask())
    kept = [name for name in names if name not in (ACCOUNT_ID, "segment") and (_reads(name) or name == _ROW)]
    inputs = inputs.select(ACCOUNT_ID, *(physical(name) for name in kept))
    reviewed = nw.from_native(review.results).lazy().select(*_REVIEWED)
    joined = reviewed.join(inputs, on=ACCOUNT_ID, how="left")  # every reviewed account is one row of the input
    if _ROW in kept:
        joined = joined.sort(_ROW)
    env = Env([*_REVIEWED, *kept], as_of=as_of, days=_days(implementation))
    order = settings.renewal
    try:  # each row's runway and days to renewal in a stage of their own, as review_frame stages them
        staged = order.stage(env)
        joined = joined.with_columns(**staged)
        env = Env([*_REVIEWED, *kept, *staged], as_of=as_of, days=_days(implementation))
        columns = order.timeline_columns(env, recorded=False)  # as review_frame: no column, nothing recorded
    except NotEvaluable:  # no contract dates: no account has a renewal status (review_frame says so)
        columns = {name: nw.lit(None, getattr(nw, dtype)) for name, dtype in COLUMNS.items()}
    outputs = {**columns, **{name: nw.col(name) for name in _REVIEWED}}
    results = joined.select(
        *(outputs[name].cast(getattr(nw, dtype)()).alias(name) for name, dtype in RENEWAL_SCHEMA.items())
    )
    relevant = tuple(n for n in review.not_evaluated if n.decision == "the renewal" or n.decision.startswith("health"))
    if eager:
        done = _engine(implementation, lambda: results.collect().to_native())
        return FrameRenewals(done, review.errors, relevant)
    return FrameRenewals(results.to_native(), review.errors, relevant)


def _reads(raw: str) -> bool:
    """Whether the timeline reads input column ``raw`` (as given, or in its :func:`physical` form)."""
    name = raw.replace(SEPARATOR, ".")
    return name in _READ or name.startswith(MILESTONE)
