"""The command's reports: the table a person reads, CSV for spreadsheets, JSON for tools (private).

Every text that comes from the input is made safe for where it goes: terminal control characters are escaped in
the table, formula cells neutralised in CSV, DEL, C1 and bidirectional controls escaped in JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from postsale._convert import to_data
from postsale._vocabulary import Stage
from postsale.journey import JourneyAnalytics
from postsale.review import PortfolioReview


class RowError(Exception):
    """A row of the input file that could not be read or reviewed (reported, never fatal).

    Examples:
        >>> str(RowError(9, "acv", "'x' is not a number"))
        "row 9, column 'acv': 'x' is not a number"
        >>> str(RowError(4, None, "duplicate account id 'acme', first seen at row 2", account_id="acme"))
        "row 4, account 'acme': duplicate account id 'acme', first seen at row 2"
    """

    def __init__(self, row: int, column: str | None, message: str, *, account_id: str | None = None) -> None:
        self.row, self.column, self.message, self.account_id = row, column, message, account_id
        where = f"row {row}" + (f", column {column!r}" if column else "")
        where += f", account {account_id!r}" if account_id is not None and not column else ""
        super().__init__(f"{where}: {message}")


def _bar(share: float, width: int = 24) -> str:
    return "#" * round(share * width)


def _money(value: Decimal) -> str:
    return f"${value:,.0f}"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Characters a terminal would act on instead of showing: C0 (ESC starts escape sequences), DEL, C1, the line
and paragraph separators and the bidirectional overrides (which reorder what is shown)."""


def _visible(text: str) -> str:
    r"""``text`` with every control character shown as an escape, so input cannot drive the terminal.

    Examples:
        >>> print(_visible("acme\x1b[2J\x9b31m\nevil\u202e"))
        acme\x1b[2J\x9b31m\x0aevil\u202e
    """
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


def _count(n: int, noun: str, plural: str | None = None) -> str:
    """``1 row``, ``2 rows``, ``1 234 accounts``: a count with its noun in the right number.

    Examples:
        >>> _count(1, "row"), _count(2, "row"), _count(1234, "account"), _count(2, "company", "companies")
        ('1 row', '2 rows', '1,234 accounts', '2 companies')
    """
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


_TIMING_WORDS = {"ON_TRACK": "on track", "BEHIND": "behind", "STUCK": "stuck",
                 "ONGOING": "no benchmark (an ongoing stage)"}
"""Timing statuses as the report says them."""

_QUEUE_LISTED = 15
"""How many alerts the table report lists one by one (the rest are counted per rule)."""


def _alert_queue(review: PortfolioReview) -> list[str]:
    """The alert queue: every rule that fired with its count, then the most urgent alerts one by one (priority,
    then due time, then the largest ACV first), each with the account's ACV and owner."""
    queue = [(alert, r) for r in review.accounts for alert in r.alerts]
    if not queue:
        return []
    queue.sort(key=lambda pair: (pair[0].priority, pair[0].due, -pair[1].acv, pair[0].account_id, pair[0].rule_id))
    per_rule: dict[str, list[Any]] = {}
    for alert, _ in queue:
        per_rule.setdefault(alert.rule_id, []).append(alert)
    lines = ["", f"Alert queue: {_count(len(queue), 'alert')} due, by rule (most urgent rule first)"]
    for rule_id, alerts in per_rule.items():
        first = alerts[0]
        n = _count(len(alerts), "account")
        lines.append(f"  {first.priority.name:<7} {rule_id:<4} {first.rule_name:<30} {n:>14}   first due "
                     f"{first.due.strftime('%Y-%m-%d %H:%M')}")
    shown = queue[:_QUEUE_LISTED]
    lines.append("")
    lines.append(f"Most urgent alerts ({len(shown)} of {len(queue):,}; by priority, due time, then ACV)")
    for alert, r in shown:
        owner = r.csm or "no owner"
        lines.append(f"  {alert.priority.name:<7} {alert.rule_id:<4} {alert.account_id:<12} ACV {_money(r.acv):>10}  "
                     f"{owner:<10} due {alert.due.strftime('%Y-%m-%d %H:%M')}  {alert.rule_name}: "
                     f"{alert.action.description}")
    return lines


_AT_RISK_LISTED = 10
_AT_RISK_DAYS = 90


def _at_risk(review: PortfolioReview) -> list[str]:
    """The renewals forecast at risk within 90 days, soonest first, each explained (the first ten)."""
    risky = sorted(
        (r for r in review.accounts if r.forecast is not None and r.forecast.category.name == "AT_RISK"
         and r.renewal is not None and r.renewal.days_to_renewal <= _AT_RISK_DAYS),
        key=lambda r: (r.renewal.days_to_renewal if r.renewal else 0, -r.acv, r.account_id),
    )
    if not risky:
        return []
    shown = risky[:_AT_RISK_LISTED]
    lines = ["", f"At-risk renewals in the next {_AT_RISK_DAYS} days ({len(shown)} of {len(risky):,}, soonest first)"]
    for r in shown:
        lines.extend(f"  {line}" for line in r.explain())
    return lines


_HELD_LISTED = 10
_HELD_WHY = {"BUDGET": "the account's alert budget", "OPEN_ALERT": "an alert of the rule is still open",
             "COOLDOWN": "the rule's cooldown"}


def _held_back(review: PortfolioReview) -> list[str]:
    """What hygiene held back, counted by reason (the budget apart from open alerts and cooldowns), then the
    budget's holds one by one with the account's ACV, owner and the reason: the budget never hides an urgent or a
    high-priority alert, and what it holds is shown."""
    held = [(alert, r) for r in review.accounts for alert in r.held_back if alert.suppression is not None]
    if not held:
        return []
    counts: dict[str, int] = {}
    for alert, _ in held:
        name = alert.suppression.reason.name  # type: ignore[union-attr]
        counts[name] = counts.get(name, 0) + 1
    by_reason = ", ".join(f"{_HELD_WHY.get(name, name)} {n:,}" for name, n in counts.items())
    lines = ["", f"Held back: {_count(len(held), 'alert')} ({by_reason})"]
    budget = sorted(((a, r) for a, r in held if a.suppression.reason.name == "BUDGET"),  # type: ignore[union-attr]
                    key=lambda pair: (pair[0].priority, -pair[1].acv, pair[0].account_id, pair[0].rule_id))
    for alert, r in budget[:_HELD_LISTED]:
        lines.append(f"  {alert.priority.name:<7} {alert.rule_id:<4} {alert.account_id:<12} ACV {_money(r.acv):>10}  "
                     f"{r.csm or 'no owner':<10} {alert.suppression.detail}")  # type: ignore[union-attr]
    if len(budget) > _HELD_LISTED:
        lines.append(f"  ... {len(budget) - _HELD_LISTED:,} more held back by the budget")
    return lines


def _journey_lines(journey: JourneyAnalytics) -> list[str]:
    """The bottleneck with its completion rate, and the regression rate (cycles — a new scope, a completed
    renewal — are journeys moving on, not regressions)."""
    lines = []
    bottleneck = journey.bottleneck
    done = None if bottleneck is None else journey.completion.get(bottleneck)
    if bottleneck is not None and done is not None and done.rate is not None:
        lines.append(f"  bottleneck: {bottleneck.label}, the stage fewest tracks move on from: {done.completed:,} of "
                     f"{done.entered:,} that entered it ({done.rate:.0%})")
    r = journey.regression
    if r.account_rate is not None:
        of = _count(r.accounts, "account")
        lines.append(f"  regressions: {r.accounts_with_backward:,} of {of} moved back a stage for a risk "
                     f"({r.account_rate:.1%}); cycles (a new scope, a completed renewal) not counted")
    return lines


def _table_report(review: PortfolioReview, *, title: str, row_errors: Sequence[RowError]) -> str:
    """The readable report. Each line is built, then its control characters are escaped (``\\x1b``): names,
    labels and reasons come from the input."""
    s = review.summary
    lines: list[str] = [title, "=" * len(title), ""]
    w = lines.append
    lines.extend(review.explain())
    total = max(sum(s.stage_distribution.values()), 1)
    w("")
    w("Journey: open tracks per stage")
    for stage in Stage:
        n = s.stage_distribution.get(stage, 0)
        w(f"  {stage.label:<11}{n:>6}  {_bar(n / total)}")
    w("  time in stage against the segment's benchmark: "
      + ", ".join(f"{_TIMING_WORDS.get(k.name, k.name)} {v:,}" for k, v in s.timing.items()))
    if s.journey is not None:
        lines.extend(_journey_lines(s.journey))
    w("")
    w("Health")
    scored = max(sum(s.health_distribution.values()), 1)
    for band, n in s.health_distribution.items():
        w(f"  {band:<9}{n:>6}  {_bar(n / scored)}")
    if s.renewals_by_month:
        w("")
        w("Renewals due by month            ARR   COMMIT LIKELY AT_RISK")
        for m in s.renewals_by_month:
            cats = {c.name: n for c, n in m.by_category.items()}
            w(f"  {m.month}  {m.renewals:>5} {_money(m.arr):>14}   {cats.get('COMMIT', 0):>6} "
              f"{cats.get('LIKELY', 0):>6} {cats.get('AT_RISK', 0):>7}")
    if s.tiers is not None:
        w("")
        w("Touch-model tiers")
        lines.extend(f"  {line}" for line in s.tiers.explain()[1:])
    lines.extend(_alert_queue(review))
    lines.extend(_held_back(review))
    lines.extend(_at_risk(review))
    if row_errors:
        w("")
        w(f"Not reviewed: {_count(len(row_errors), 'row')}")
        lines.extend(f"  {e}" for e in row_errors)
    return "".join(f"{_visible(line)}\n" for line in lines)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _csv_cell(value: object) -> str:
    r"""One CSV cell, quoted only when needed; a cell a spreadsheet would run as a formula (its text starts with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, and is not simply a number) is neutralised as OWASP
    recommends: a leading ``'`` and quotes.

    Examples:
        >>> [_csv_cell(v) for v in ('=cmd|"/c calc"!A1', "@SUM(A1)", "-5", -0.25, "a,b", None, "acme")]
        ['"\'=cmd|""/c calc""!A1"', '"\'@SUM(A1)"', '-5', '-0.25', '"a,b"', '', 'acme']
    """
    if value is None:
        return ""
    text = str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return '"\'' + text.replace('"', '""') + '"'
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv_report(review: PortfolioReview) -> str:
    """One row per account (``AccountReview.row``), safe to open in a spreadsheet."""
    rows = [r.row() for r in review.accounts]
    if not rows:
        return ""
    lines = [list(rows[0]), *(list(row.values()) for row in rows)]
    return "".join(",".join(_csv_cell(cell) for cell in line) + "\r\n" for line in lines)


_UNSAFE_IN_JSON = re.compile(r"[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _json_report(review: PortfolioReview, row_errors: Sequence[RowError]) -> str:
    """The whole review as JSON, plus every row not reviewed. ``json.dumps`` escapes C0 controls; DEL, C1 and the
    bidirectional overrides (which it would write as they are) are escaped here too, so the text is safe to print."""
    data = to_data(review)
    data["row_errors"] = [{"row": e.row, "column": e.column, "account_id": e.account_id, "message": e.message}
                          for e in row_errors]
    text = json.dumps(data, ensure_ascii=False, indent=1, default=str)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
