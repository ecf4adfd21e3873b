"""The scheduled touches of the nightly job's agenda: each account's segment plan over the coming week.

The touches are :func:`postsale.cadence.build_agenda`'s, not a second definition of them: the plan of the account's
segment (:attr:`~postsale.review.ReviewSettings.cadence`), the customer's default preferences (weekends quiet), the
settings' holidays and the segment's frequency caps, without following the journey (the night keeps no
per-account stage history for it). An account's touches depend only on its segment, the dates its plan counts from
and its time zone, so accounts sharing those share one evaluation: a portfolio of a million accounts needs a few
thousand.
"""

from __future__ import annotations

from datetime import UTC, date
from typing import Any, Final

from postsale._errors import PostsaleError
from postsale._vocabulary import AccountSnapshot, Segment
from postsale.cadence import Anchor, Window, build_agenda
from postsale.review import ReviewSettings

__all__ = ["TOUCH_COLUMNS", "scheduled_touches"]

TOUCH_COLUMNS: Final = ("account_id", "due", "key", "title", "channel", "automated", "plan")
"""The columns of the scheduled touches: the account, when (UTC), the plan item's key and title, the channel,
whether it is sent without a CSM's one-to-one time, and the plan's name."""

_ANCHORS: Final = {Anchor.CONTRACT_START: "contract_start", Anchor.RENEWAL_DATE: "contract_end"}
"""The plan anchors the night knows, and the column giving each."""


def scheduled_touches(pl: Any, accounts: Any, day: date, days: int, settings: ReviewSettings) -> tuple[Any, int]:
    """The scheduled touches due from ``day`` over ``days`` days, and how many accounts got none because their plan
    counts from a date they lack (or from the stage's start, which the night does not track).

    Args:
        pl: Polars.
        accounts: One row per account: ``account_id``, ``segment`` (a segment's name), ``contract_start``,
            ``contract_end`` (dates or null), ``time_zone``.
        day: The first day.
        days: How many days.
        settings: The plans and holidays.
    """
    window = Window.days(day, days)
    used = {segment: {item.anchor for item in settings.cadence.plan_for(segment).items} for segment in Segment}
    key = ("segment", "contract_start", "contract_end", "time_zone")
    blanked = [pl.when(pl.col("segment").is_in([s.name for s in Segment if anchor in used[s]]))
               .then(pl.col(column)).otherwise(pl.lit(None, pl.Date)).alias(column)
               for anchor, column in _ANCHORS.items()]
    keyed = accounts.select("account_id", "segment", *blanked, "time_zone")
    rows: list[tuple[Any, ...]] = []
    lacking: list[tuple[Any, ...]] = []
    for segment, start, end, zone in keyed.select(key).unique().iter_rows():
        group = (segment, start, end, zone)
        snapshot = AccountSnapshot("account", segment, day, contract_start=start, contract_end=end, time_zone=zone)
        try:
            agenda = build_agenda(snapshot, window, plan=settings.cadence.plan_for(segment),
                                  holidays=settings.holidays, follow_journey=False)
        except PostsaleError:  # an anchor the plan counts from is unknown: no scheduled touch can be placed
            lacking.append(group)
            continue
        rows += [(*group, t.due_at.astimezone(UTC), t.key, t.title, None if t.channel is None else t.channel.name,
                  t.automated, t.plan) for t in agenda.touches]
    schema = {**{c: keyed.schema[c] for c in key}, "due": pl.Datetime("us", "UTC"), "key": pl.String,
              "title": pl.String, "channel": pl.String, "automated": pl.Boolean, "plan": pl.String}
    touches = pl.DataFrame(rows, schema=schema, orient="row")
    found = keyed.join(touches, on=list(key), how="inner", nulls_equal=True).select(TOUCH_COLUMNS)
    missing = keyed.join(pl.DataFrame(lacking, schema={c: keyed.schema[c] for c in key}, orient="row"),
                         on=list(key), how="semi", nulls_equal=True).height
    return found, missing
