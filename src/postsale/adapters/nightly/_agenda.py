"""The scheduled touches of the nightly job's agenda: each account's segment plan over the coming week.

The touches are :func:`postsale.cadence.build_agenda`'s, not a second definition of them: the plan of the account's
segment (:attr:`~postsale.review.ReviewSettings.cadence`), the customer's default preferences (weekends quiet), the
settings' holidays and the segment's frequency caps, without following the journey (the night keeps no
per-account stage history for it). An account's touches depend only on its segment, the dates its plan counts from
and its time zone, so accounts sharing those share one evaluation: a portfolio of a million accounts needs a few
thousand.
"""

from __future__ import annotations

from datetime import UTC, date, timedelta
from typing import Any, Final

from postsale._errors import PostsaleError
from postsale._vocabulary import AccountSnapshot, Segment
from postsale.cadence import Anchor, Anchors, Window, build_agenda
from postsale.review import ReviewSettings

__all__ = ["TOUCH_COLUMNS", "scheduled_touches"]

TOUCH_COLUMNS: Final = ("account_id", "due", "key", "title", "channel", "automated", "plan")
"""The columns of the scheduled touches: the account, when (UTC), the plan item's key and title, the channel,
whether it is sent without a CSM's one-to-one time, and the plan's name."""

_ANCHORS: Final = {Anchor.CONTRACT_START: "contract_start", Anchor.RENEWAL_DATE: "contract_end"}
"""The plan anchors the night knows, and the column giving each."""
_MARGIN: Final = timedelta(days=7)
"""How far before the window two accounts' plan dates must agree for their touches to be the same: ``build_agenda``
places a window's touches from the plan's dates in it and the 6 days before it (a touch on a quiet day or a holiday
may move into the window)."""


def scheduled_touches(pl: Any, accounts: Any, day: date, days: int, settings: ReviewSettings) -> tuple[Any, int]:
    """The scheduled touches due from ``day`` over ``days`` days (a Polars lazy frame), and how many accounts got
    none because their plan counts from a date they lack (or from the stage's start, which the night does not
    track).

    Accounts are grouped by segment, the dates their plan counts from and time zone; groups whose plan items fall on
    the same dates around the window (:data:`_MARGIN` before it) get the same touches, so ``build_agenda`` runs
    once per such class.

    Args:
        pl: Polars.
        accounts: One row per account: ``account_id``, ``segment`` (a segment's name), ``contract_start``,
            ``contract_end`` (dates or null), ``time_zone``.
        day: The first day.
        days: How many days.
        settings: The plans and holidays.
    """
    window = Window.days(day, days)
    around = Window(day - _MARGIN, window.end)
    used = {segment: {item.anchor for item in settings.cadence.plan_for(segment).items} for segment in Segment}
    key = ("segment", "contract_start", "contract_end", "time_zone")
    blanked = [pl.when(pl.col("segment").is_in([s.name for s in Segment if anchor in used[s]]))
               .then(pl.col(column)).otherwise(pl.lit(None, pl.Date)).alias(column)
               for anchor, column in _ANCHORS.items()]
    keyed = accounts.select("account_id", "segment", *blanked, "time_zone")
    classes: dict[tuple[Any, ...], int] = {}
    groups: list[tuple[Any, ...]] = []
    rows: list[tuple[Any, ...]] = []
    for segment, start, end, zone in keyed.select(key).unique().iter_rows():
        plan = settings.cadence.plan_for(segment)
        anchors = Anchors(contract_start=start, renewal_date=end)
        try:
            dates = tuple(item.dates(anchors.get(item.anchor, needed_by=item.key), around) for item in plan.items)
        except PostsaleError:  # an anchor the plan counts from is unknown: no scheduled touch can be placed
            groups.append((segment, start, end, zone, -1))
            continue
        found = classes.get((segment, zone, dates))
        if found is None:
            found = classes[(segment, zone, dates)] = len(classes)
            snapshot = AccountSnapshot("account", segment, day, contract_start=start, contract_end=end,
                                       time_zone=zone)
            agenda = build_agenda(snapshot, window, plan=plan, holidays=settings.holidays, follow_journey=False)
            rows += [(found, t.due_at.astimezone(UTC), t.key, t.title,
                      None if t.channel is None else t.channel.name, t.automated, t.plan) for t in agenda.touches]
        groups.append((segment, start, end, zone, found))
    schema = {c: keyed.schema[c] for c in key}
    grouped = pl.DataFrame(groups, schema={**schema, "__class": pl.Int64}, orient="row")
    touches = pl.DataFrame(rows, schema={"__class": pl.Int64, "due": pl.Datetime("us", "UTC"), "key": pl.String,
                                         "title": pl.String, "channel": pl.String, "automated": pl.Boolean,
                                         "plan": pl.String}, orient="row")
    placed = keyed.lazy().join(grouped.lazy(), on=list(key), how="inner", nulls_equal=True)
    lacking = placed.filter(pl.col("__class") < 0).select(pl.len()).collect().item()
    found_touches = placed.join(touches.lazy(), on="__class", how="inner").select(TOUCH_COLUMNS)
    return found_touches, lacking  # the touches lazily: the agenda is written a slice at a time
