"""Tests of postsale.adapters.plot: charts rendered to PNG with the Agg backend, checked for their titles and labels."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import matplotlib
import pytest

matplotlib.use("Agg")

from matplotlib.figure import Figure

from postsale import AccountSnapshot, InvalidTypeError, InvalidValueError, Stage
from postsale.adapters.frame import MissingDependencyError
from postsale.adapters.plot import health_trend, journey_flow, renewal_timelines, tier_economics
from postsale.adapters.sample import sample_journeys
from postsale.health import DEFAULT_HEALTH_MODEL
from postsale.journey import Cause, Journey
from postsale.renewal import Contract, renewal_timeline
from postsale.touch import BusinessProfile, plan_portfolio

AS_OF = date(2026, 11, 1)
PNG = b"\x89PNG\r\n\x1a\n"


def _texts(fig: Any) -> list[str]:
    """Every piece of text drawn on the figure: titles, axis labels, tick labels, legends, annotations."""
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]


def _save(fig: Any, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.png"
    fig.savefig(path, dpi=80)
    data = path.read_bytes()
    assert data.startswith(PNG)
    assert len(data) > 10_000
    return path


def _timelines() -> list[Any]:
    contracts = [
        Contract.from_term("late-ent", "ENTERPRISE", date(2026, 2, 9), term_months=12, acv=120000),
        Contract.from_term("smb-danger", "SMB", date(2025, 11, 21), term_months=12, acv=8000),
        Contract.from_term("mm-later", "MID_MARKET", date(2026, 9, 1), term_months=12, acv=40000),
        Contract.from_term("plg-lapsed", "PRODUCT_LED", date(2025, 10, 1), term_months=12, acv=900, auto_renew=False),
        Contract.from_term("ent-ok", "ENTERPRISE", date(2026, 4, 1), term_months=12, acv=200000),
    ]
    return [renewal_timeline(c) for c in contracts]


def _plan(small: bool = False) -> Any:
    company = {"complexity": "LOW_TO_MODERATE", "gross_margin": 0.60, "positioning": "VALUE", "growth_stage": "GROWTH"}
    counts = (1, 0, 0) if small else (12, 60, 528)
    accounts = (
        [BusinessProfile(acv=150_000, segment="ENTERPRISE", account_id=f"ent-{i}", **company) for i in range(counts[0])]
        + [BusinessProfile(acv=30_000, segment="MID_MARKET", account_id=f"mm-{i}", **company) for i in range(counts[1])]
        + [BusinessProfile(acv=4_000, segment="SMB", account_id=f"smb-{i}", **company) for i in range(counts[2])]
    )
    return plan_portfolio(accounts)


def _scores() -> dict[date, Any]:
    scores = {}
    for k in range(8):
        day = date(2026, 1, 31) + timedelta(days=28 * k)
        snap = AccountSnapshot("acme", "MID_MARKET", day, seats_purchased=100, seats_active=90 - 8 * k,
                               signals={"nps": max(0.0, 9 - k)})
        scores[day] = DEFAULT_HEALTH_MODEL.score(snap)
    return scores


# journey_flow


def test_journey_flow_png_and_labels(tmp_path: Path) -> None:
    """The flow chart renders with its title, axis labels, stage names and the two directions."""
    journeys = sample_journeys(120)
    fig = journey_flow(journeys)
    _save(fig, tmp_path, "flow")
    texts = _texts(fig)
    assert "Journey flow between stages (120 journeys)" in texts
    assert {"from stage", "to stage", "(new track)", "Onboarding", "Advocacy"} <= set(texts)
    assert any(t.startswith("entry / forward / skip (") for t in texts)
    assert any(t.startswith("backward: regression / cycle (") for t in texts)


def test_journey_flow_counts_every_transition() -> None:
    """The numbers in the cells add up to the journeys' events (entries and closed tracks included)."""
    journeys = sample_journeys(60)
    fig = journey_flow(journeys)
    events = sum(len(j.history) for j in journeys)
    cells = [t.get_text() for t in fig.axes[0].texts]
    assert events == sum(int(c.replace(",", "")) for c in cells)


def test_journey_flow_directions_split() -> None:
    """A regression is counted as backward, moves up the stages as forward."""
    j = Journey.start("globex", "ENTERPRISE", on=date(2024, 1, 1), stage=Stage.RENEWAL)
    j = j.move("core", Stage.ONBOARDING, on=date(2024, 6, 1), cause=Cause.MERGER)
    j = j.close_track("core", on=date(2024, 9, 1), cause=Cause.CHURNED)
    texts = _texts(journey_flow([j], title="One account"))
    assert "One account" in texts
    assert "entry / forward / skip (1)" in texts
    assert "backward: regression / cycle (1)" in texts
    assert "track closed (1)" in texts
    assert "(closed)" in texts


def test_journey_flow_into_given_axes_and_empty() -> None:
    """With ax, the chart is drawn there and its figure returned; no journeys still draw."""
    fig = Figure()
    ax = fig.add_subplot()
    assert fig is journey_flow([], ax=ax)
    assert "Journey flow between stages (0 journeys)" == ax.get_title()


def test_journey_flow_refuses_other_items() -> None:
    """Items without a history are refused, naming the argument."""
    with pytest.raises(InvalidTypeError, match="journeys="):
        journey_flow([42])


# renewal_timelines


def test_renewal_timelines_png_and_labels(tmp_path: Path) -> None:
    """The gantt renders with today's line, the runway legend and each renewal's state."""
    fig = renewal_timelines(_timelines(), as_of=AS_OF)
    _save(fig, tmp_path, "renewals")
    texts = _texts(fig)
    title = fig.axes[0].get_title()
    assert "Renewal runways as of 2026-11-01: 4 of 5 need attention" == title
    assert "today (2026-11-01)" in texts
    assert {"runway: start window", "danger zone", "overdue milestone", "date"} <= set(texts)
    assert "late-ent · 2027-02-08 · LATE_START" in texts
    assert "smb-danger · 2026-11-20 · DANGER_ZONE" in texts
    assert "mm-later · 2027-08-31 · UPCOMING" in texts


def test_renewal_timelines_sorted_and_coloured() -> None:
    """Rows are ordered by renewal date; problem states are coloured."""
    fig = renewal_timelines(_timelines(), as_of=AS_OF)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels[0].startswith("plg-lapsed")
    assert labels[-1].startswith("mm-later")
    colours = {t.get_text().split(" · ")[2]: t.get_color() for t in fig.axes[0].get_yticklabels()}
    assert "#C62828" == colours["LATE_START"]
    assert "#555555" == colours["UPCOMING"]


def test_renewal_timelines_completed_milestones() -> None:
    """Completed milestones change the state shown (a conversation held is not a late start)."""
    timelines = _timelines()
    done = {"ent-ok": {"internal_prep": date(2026, 9, 1), "customer_conversation": date(2026, 10, 1)}}
    texts = _texts(renewal_timelines(timelines, as_of=AS_OF, completed=done))
    assert "ent-ok · 2027-03-31 · ON_TRACK" in texts


def test_renewal_timelines_more_than_max_rows() -> None:
    """Beyond max_rows the earliest renewals are drawn and the title counts the others."""
    fig = renewal_timelines(_timelines(), as_of=AS_OF, max_rows=2)
    assert 2 == len(fig.axes[0].get_yticklabels())
    assert "3 later ones not shown" in fig.axes[0].get_title()


def test_renewal_timelines_empty_into_axes() -> None:
    """No timelines still draw a chart around today, into the given axes."""
    fig = Figure()
    ax = fig.add_subplot()
    assert fig is renewal_timelines([], as_of=AS_OF, ax=ax, title="Nothing due")
    assert "Nothing due" == ax.get_title()


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_renewal_timelines_bad_max_rows(bad: Any) -> None:
    """max_rows must be a positive integer."""
    with pytest.raises(InvalidValueError, match="max_rows="):
        renewal_timelines(_timelines(), as_of=AS_OF, max_rows=bad)


# health_trend


def test_health_trend_png_and_labels(tmp_path: Path) -> None:
    """The trend renders with the account in the title, the three bands and the axis labels."""
    fig = health_trend(_scores())
    _save(fig, tmp_path, "health")
    texts = _texts(fig)
    assert "Health trend: acme" in texts
    assert {"GREEN ≥ 70", "YELLOW 40–70", "RED < 40", "health score (0-100)", "date"} <= set(texts)
    assert (0.0, 100.0) == fig.axes[0].get_ylim()


def test_health_trend_marks_follow_the_bands() -> None:
    """Each point is coloured by its band: the HealthScore's own band, or the thresholds for numbers."""
    fig = health_trend([(date(2026, 3, 1), 75.0), (date(2026, 1, 1), 20), (date(2026, 2, 1), 50.0)])
    markers = [line.get_color() for line in fig.axes[0].get_lines() if line.get_marker() == "o"][:3]
    assert ["#C62828", "#F9A825", "#2E7D32"] == markers
    assert "Health trend" == fig.axes[0].get_title()
    assert "75" in _texts(fig)


def test_health_trend_custom_thresholds() -> None:
    """The bands follow the thresholds given."""
    texts = _texts(health_trend({date(2026, 1, 1): 65.0}, green_from=60, yellow_from=30))
    assert {"GREEN ≥ 60", "YELLOW 30–60", "RED < 30"} <= set(texts)


def test_health_trend_empty_into_axes() -> None:
    """No points still draw the bands, into the given axes."""
    fig = Figure()
    ax = fig.add_subplot()
    assert fig is health_trend({}, ax=ax, title="No data yet")
    assert "No data yet" == ax.get_title()


@pytest.mark.parametrize("bad", [[("2026-01-01", 50.0)], [(date(2026, 1, 1), "high")], [(date(2026, 1, 1), True)]])
def test_health_trend_refuses_bad_points(bad: Any) -> None:
    """Points must be a date with a HealthScore or a number."""
    with pytest.raises(InvalidTypeError, match="scores_by_date="):
        health_trend(bad)


# tier_economics


def test_tier_economics_png_and_labels(tmp_path: Path) -> None:
    """The tier chart renders with tiers, accounts, CSMs, cost shares and the healthy band."""
    fig = tier_economics(_plan())
    _save(fig, tmp_path, "tiers")
    texts = _texts(fig)
    assert "CS economics per touch tier (HYBRID model)" in texts
    assert {"High-touch", "Low-touch", "Tech-touch", "Portfolio", "touch tier"} <= set(texts)
    assert {"12 accounts\n2 CSMs", "600 accounts\n6 CSMs", "16.7%", "13.7%", "healthy band 5%–15%"} <= set(texts)
    assert {"$1.8M", "$300K", "CS cost as share of revenue", "annual amount (revenue, CS cost)"} <= set(texts)


def test_tier_economics_one_csm_into_axes() -> None:
    """A single CSM is written in the singular; the chart goes into the given axes."""
    fig = Figure()
    ax = fig.add_subplot()
    assert fig is tier_economics(_plan(small=True), ax=ax, title="One account")
    assert "1 accounts\n1 CSM" in _texts(fig)
    assert "One account" == ax.get_title()


def test_tier_economics_refuses_other_values() -> None:
    """Anything without tiers is refused, naming the argument."""
    with pytest.raises(InvalidTypeError, match="plan="):
        tier_economics(object())


def test_money_labels() -> None:
    """Amounts are labelled in $, $K or $M."""
    from postsale.adapters.plot import _money

    assert ["$950", "$12K", "$5.7M"] == [_money(950), _money(12_000), _money(5_712_000)]


def test_missing_matplotlib_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without matplotlib the error names postsale[plot]."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(MissingDependencyError, match=r"pip install 'postsale\[plot\]'"):
        tier_economics(_plan(small=True))
