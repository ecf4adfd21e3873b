"""Benchmark: one quarter's agenda for a portfolio of accounts (default 100 000; ``--quick``: 5 000).

Side by side in one process, on the same seeded portfolio:

* ``postsale build_agenda``: the segment's default cadence (rrule), one alert for every tenth account, contact
  preferences (weekends quiet, some opt-outs, some preferred frequencies), the segment's frequency caps;
* ``postsale touchpoints``: the plan's dated touches only (no preferences, no merge);
* ``plain dateutil``: a hand-written loop building each item's ``rrule`` and calling ``between`` - the floor of
  rrule work, with no time zones, channels, preferences or caps.

Then the portfolio view (touches per CSM per week) over every agenda. Prints the time per account and, last, the
``RATIO`` lines.

    python benchmarks/bench_cadence.py [--quick]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule

from postsale import AccountSnapshot, Segment
from postsale.cadence import (
    Agenda,
    Anchors,
    ContactPreferences,
    Unit,
    Window,
    build_agenda,
    portfolio_view,
    segment_plan,
)

WINDOW = Window(date(2026, 4, 1), date(2026, 6, 30))
ZONES = ["UTC", "Europe/Paris", "America/New_York", "Asia/Tokyo", "Australia/Sydney"]
FREQ = {Unit.DAY: DAILY, Unit.WEEK: WEEKLY, Unit.MONTH: MONTHLY, Unit.YEAR: YEARLY}


class Alert:
    """A minimal alert-like value (what ``postsale.cadence.AlertLike`` asks for)."""

    __slots__ = ("account_id", "channel", "due_at", "priority", "rule_id")

    def __init__(self, account_id: str, rule_id: str, due_at: datetime, priority: int, channel: str) -> None:
        self.account_id = account_id
        self.rule_id = rule_id
        self.due_at = due_at
        self.priority = priority
        self.channel = channel


def portfolio(n: int, seed: int = 7) -> list[tuple[AccountSnapshot, list[Alert], ContactPreferences | None]]:
    """A seeded portfolio: accounts, their alerts, their preferences."""
    rng = random.Random(seed)
    segments = list(Segment)
    prefs = [
        None,
        ContactPreferences(opted_out=["phone"], preferred_channels=["email"]),
        ContactPreferences(frequency="monthly"),
        ContactPreferences(quiet_days=["friday", "saturday", "sunday"]),
    ]
    rows = []
    for i in range(n):
        start = date(2023, 1, 1) + timedelta(days=rng.randrange(1200))
        zone = ZONES[i % len(ZONES)]
        account = AccountSnapshot(
            f"acct-{i}",
            segments[i % 4],
            WINDOW.start,
            contract_start=start,
            contract_end=start + timedelta(days=365 * 3),
            time_zone=zone,
            labels={"csm": f"csm-{i % 400}"},
        )
        alerts = []
        if i % 10 == 0:
            day = WINDOW.start + timedelta(days=rng.randrange(91))
            due = datetime(day.year, day.month, day.day, 17, tzinfo=ZoneInfo(zone))
            alerts.append(Alert(account.account_id, "H1", due, rng.randrange(4), "email"))
        rows.append((account, alerts, prefs[i % len(prefs)]))
    return rows


def run_agendas(rows: list[tuple[AccountSnapshot, list[Alert], ContactPreferences | None]]) -> list[Agenda]:
    """The full agenda of every account."""
    plans = {s: segment_plan(s) for s in Segment}
    return [build_agenda(a, WINDOW, plan=plans[a.segment], alerts=al, preferences=p) for a, al, p in rows]


def run_touchpoints(rows: list[tuple[AccountSnapshot, list[Alert], ContactPreferences | None]]) -> int:
    """The plan's touches only."""
    plans = {s: segment_plan(s) for s in Segment}
    total = 0
    for account, _, _ in rows:
        anchors = Anchors(account.contract_start, account.contract_end)
        total += len(
            plans[account.segment].touchpoints(account.account_id, WINDOW, anchors, time_zone=account.time_zone)
        )
    return total


def run_plain(rows: list[tuple[AccountSnapshot, list[Alert], ContactPreferences | None]]) -> int:
    """Hand-written dateutil: one rrule per item per account, between() over the window (naive dates)."""
    plans = {s: segment_plan(s) for s in Segment}
    lo = datetime(WINDOW.start.year, WINDOW.start.month, WINDOW.start.day)
    hi = datetime(WINDOW.end.year, WINDOW.end.month, WINDOW.end.day)
    total = 0
    for account, _, _ in rows:
        assert account.contract_start is not None
        for item in plans[account.segment].items:
            first = item.first_date(account.contract_start)
            rec = item.recurrence
            assert rec is not None
            rule = rrule(FREQ[rec.unit], interval=rec.interval, dtstart=datetime(first.year, first.month, first.day))
            total += len(rule.between(lo, hi, inc=True))
    return total


def timed(fn, *args):  # type: ignore[no-untyped-def]
    """(seconds, result) of one run."""
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 000 accounts instead of 100 000")
    parser.add_argument("--accounts", type=int, default=None, help="number of accounts")
    args = parser.parse_args()
    n = args.accounts or (5_000 if args.quick else 100_000)
    rows = portfolio(n)
    print(f"cadence benchmark: {n} accounts, window {WINDOW.start} .. {WINDOW.end} (one quarter)")

    t_agenda, agendas = timed(run_agendas, rows)
    touches = sum(len(a.touches) for a in agendas)
    adjustments = sum(len(a.adjustments) for a in agendas)
    t_touch, generated = timed(run_touchpoints, rows)
    sample = rows[:20_000]  # the hand-written loop is timed on at most 20 000 accounts (per-account figures)
    t_plain, plain = timed(run_plain, sample)
    t_view, view = timed(lambda: portfolio_view(agendas, accounts=[r[0] for r in rows], capacity=60))

    per = {"agenda": t_agenda / n * 1e6, "touch": t_touch / n * 1e6, "plain": t_plain / len(sample) * 1e6}
    print(
        f"postsale build_agenda  {t_agenda:8.2f} s  {per['agenda']:8.1f} us/account  ({touches} touches, "
        f"{adjustments} adjustments, {statistics.mean(len(a.touches) for a in agendas):.1f} touches/account)"
    )
    print(f"postsale touchpoints   {t_touch:8.2f} s  {per['touch']:8.1f} us/account  ({generated} touches)")
    print(
        f"plain dateutil rrule   {t_plain:8.2f} s  {per['plain']:8.1f} us/account  ({plain} dates, "
        f"{len(sample)} accounts)"
    )
    over = len(view.over_capacity())
    print(f"portfolio_view         {t_view:8.2f} s  ({len(view.weeks)} CSM-weeks, {over} over capacity)")
    print(f"RATIO build_agenda/plain_dateutil {per['agenda'] / per['plain']:.2f}")
    print(f"RATIO touchpoints/plain_dateutil {per['touch'] / per['plain']:.2f}")
    print(f"TIME_PER_ACCOUNT_US build_agenda {per['agenda']:.1f}")


if __name__ == "__main__":
    main()
