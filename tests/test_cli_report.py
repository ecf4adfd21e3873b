"""What the table report tells a CS lead: counts explained, lists that say how much they leave out, the alert
queue by rule with each listed alert's ACV and owner, singular and plural right."""

from __future__ import annotations

import re

import pytest

from postsale.adapters import cli
from postsale.adapters.sample import sample_portfolio


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("demo") / "report.txt"
    assert cli.main(["demo", "--once", "--accounts", "400", "--output", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def test_the_title_explains_which_accounts_were_reviewed(demo: str) -> None:
    """Accounts of the sample = active accounts reviewed + churned accounts left out, each counted."""
    portfolio = sample_portfolio(400, seed=7)
    active = len(portfolio.active)
    title = demo.splitlines()[0]
    assert f"sample portfolio of 400 accounts (seed 7), as of 2026-11-01: {active} active reviewed, " \
           f"{400 - active} churned (not reviewed)" in title
    assert f"{active} accounts reviewed." in demo


def test_the_alert_queue_counts_every_rule_and_lists_the_largest_accounts_first(demo: str) -> None:
    """Every rule that fired has a line with its count (the counts add up to the total); the listed alerts show
    ACV and owner, ordered by priority, due time, then ACV from the largest."""
    total = int(re.search(r"Alert queue: ([\d,]+) alerts? due", demo)[1].replace(",", ""))  # type: ignore[index]
    section = demo.split("Alert queue:")[1].split("\n\n", maxsplit=1)[0].splitlines()[1:]
    counts = [int(re.search(r"([\d,]+) accounts?\s+first due", line)[1].replace(",", "")) for line in section]  # type: ignore[index]
    assert sum(counts) == total and len(counts) >= 3
    listed = demo.split("Most urgent alerts (")[1].split("\n\n", maxsplit=1)[0].splitlines()
    assert listed[0].startswith(f"{min(15, total)} of {total:,}; by priority, due time, then ACV")
    pattern = re.compile(r"\s+(\w+)\s+(\w+)\s+(\S+)\s+ACV\s+\$([\d,]+)\s+(\S+)\s+due (\S+ \S+)")
    rows = [pattern.match(line) for line in listed[1:]]
    assert all(rows) and len(rows) == min(15, total)
    order = {"URGENT": 1, "HIGH": 2, "NORMAL": 3, "LOW": 4}
    keys = [(order[m[1]], m[6], -int(m[4].replace(",", ""))) for m in rows if m]
    assert keys == sorted(keys)


def test_the_at_risk_list_says_how_many_it_shows_of_how_many(demo: str) -> None:
    heading = re.search(r"At-risk renewals in the next 90 days \((\d+) of ([\d,]+), soonest first\)", demo)
    assert heading is not None
    shown, of = int(heading[1]), int(heading[2].replace(",", ""))
    assert shown == min(10, of)


@pytest.mark.parametrize(("n", "noun", "expected"), [(0, "row", "0 rows"), (1, "row", "1 row"), (2, "row", "2 rows"),
                                                    (1_000, "account", "1,000 accounts")])
def test_counts_agree_in_number(n: int, noun: str, expected: str) -> None:
    assert cli._count(n, noun) == expected


def test_the_bottleneck_is_explained_and_regressions_do_not_count_cycles(demo: str) -> None:
    """The bottleneck says what makes it one; the regression rate counts risk regressions only (a completed
    renewal or a new scope is a cycle, not a regression), and says so."""
    bottleneck = re.search(r"bottleneck: (\w+), the stage fewest tracks move on from: ([\d,]+) of ([\d,]+) that "
                           r"entered it \((\d+)%\)", demo)
    assert bottleneck is not None
    moved, entered = (int(bottleneck[i].replace(",", "")) for i in (2, 3))
    assert round(100 * moved / entered) == int(bottleneck[4])
    regressions = re.search(r"regressions: ([\d,]+) of ([\d,]+) accounts moved back a stage for a risk .*cycles "
                            r"\(a new scope, a completed renewal\) not counted", demo)
    assert regressions is not None
    portfolio = sample_portfolio(400, seed=7)
    from postsale.journey import TransitionKind

    with_regression = sum(1 for a in portfolio.active
                          if any(e.kind is TransitionKind.REGRESSION for e in a.journey.history))
    assert int(regressions[1].replace(",", "")) == with_regression


def test_what_hygiene_held_back_is_counted_by_reason_and_the_budget_never_holds_urgent_or_high(demo: str) -> None:
    """The held-back section counts every held alert by reason (they add up), and lists the budget's holds with
    their reason; no URGENT or HIGH alert is ever held back by the budget."""
    heading = re.search(r"Held back: ([\d,]+) alerts? \((.*)\)", demo)
    assert heading is not None
    counts = [int(part.rsplit(" ", 1)[1].replace(",", "")) for part in heading[2].split(", ")]
    assert sum(counts) == int(heading[1].replace(",", ""))
    section = demo.split("Held back:")[1].split("\n\n", maxsplit=1)[0].splitlines()[1:]
    budget_rows = [line for line in section if not line.lstrip().startswith("...")]
    assert all(line.split()[0] in {"NORMAL", "LOW"} for line in budget_rows)
    assert all("alerts per 7 days" in line or "alert per 7 days" in line for line in budget_rows)
