"""The card of a portfolio review: its summary with small charts (private; :func:`postsale.adapters._cards.card`
shows it).

The tiles say how many accounts were reviewed and refused, the alerts and the trailing year's retention; small
bars show the health bands, the journey stages and the renewals by month (ARR, coloured by forecast); a table the
touch-model tiers with what they cost; another the most urgent alerts. The look is the account card's.
"""

from __future__ import annotations

from typing import Any

from postsale._vocabulary import HealthBand
from postsale.adapters._cards import (
    _BAND,
    _FORECAST,
    _NEUTRAL,
    _alert_rows,
    _bars,
    _e,
    _folds,
    _lower,
    _money,
    _section,
    _table,
    _words,
    _wrap,
)
from postsale.review import PortfolioReview

__all__ = ["portfolio_card"]

_TOP = 10
"""How many of the most urgent alerts the card lists."""


def _share(part: float, whole: float) -> float:
    return 0.0 if not whole else 100.0 * part / whole


def _tiles(review: PortfolioReview) -> str:
    summary = review.summary
    tiles = [_section("Accounts", f'<div class="ps-big">{summary.accounts:,}</div>'
                      + (f'<div class="ps-muted">{len(review.errors):,} refused</div>' if review.errors else "")),
             _section("Alerts", f'<div class="ps-big">{summary.alerts_total:,}</div>'
                      '<div class="ps-muted">due (held-back ones not counted)</div>')]
    retention = summary.retention
    if retention is not None:
        figures = [(label, getattr(retention, name)) for label, name in (("GRR", "grr"), ("NRR", "nrr"))]
        text = " · ".join(f"{label} <b>{float(v) * 100:.1f} %</b>" for label, v in figures if v is not None)
        tiles.append(_section("Revenue retention", f"<div>{text}</div><div class='ps-muted'>"
                              f"{retention.period_start.isoformat()} to {retention.period_end.isoformat()}</div>"))
    forecast = summary.forecast
    if forecast is not None:
        tiles.append(_section("Renewals due", f'<div class="ps-big">{forecast.renewals_due:,}</div><div '
                              f'class="ps-muted">{_e(_money(forecast.arr_due))} ARR by '
                              f"{forecast.period_end.isoformat()}</div>"))
    return f'<div class="ps-tiles">{"".join(tiles)}</div>'


def _distributions(review: PortfolioReview) -> str:
    summary = review.summary
    bands = summary.health_distribution
    scored = sum(bands.values())
    band_rows = [(name, _share(n, scored), _BAND.get(HealthBand[name], _NEUTRAL), f"{n:,}")
                 for name, n in bands.items()]
    parts = [_section("Health", _bars(band_rows, "accounts per health band") if band_rows else
                      '<div class="ps-muted">no account was scored</div>')]
    stages = summary.stage_distribution
    tracks = sum(stages.values())
    if tracks:
        stage_rows = [(_words(stage.name), _share(n, tracks), "#1565C0", f"{n:,}") for stage, n in stages.items()]
        parts.append(_section("Journey stages", _bars(stage_rows, "open tracks per stage")))
    months = summary.renewals_by_month
    if months:
        top = max(float(m.arr) for m in months) or 1.0
        rows = []
        for m in months:
            leading = max(m.by_category, key=lambda c: m.by_category[c], default=None)
            color = _FORECAST.get(leading, _NEUTRAL) if leading is not None else _NEUTRAL
            mix = ", ".join(f"{n} {_lower(c)}" for c, n in sorted(m.by_category.items()))
            rows.append((m.month, 100.0 * float(m.arr) / top, color, f"{_money(m.arr)} · {m.renewals} ({mix})"))
        parts.append(_section("Renewals by month", _bars(rows, "ARR renewing per month, coloured by the most common "
                                                         "forecast category")))
    return f'<div class="ps-tiles">{"".join(parts)}</div>'


def _cost_share(share: Any) -> str:
    """CS cost over revenue, and whether it is in the healthy band (5-15 % by default)."""
    if share is None or share.share is None:
        return "—"
    return f"{share.share * 100:.1f} % ({_e(_lower(share.status))})"


def _tiers(review: PortfolioReview) -> str:
    plan = review.summary.tiers
    if plan is None or not plan.tiers:
        return ""
    rows = [[_e(_words(t.model.name) + " touch"), f"{t.accounts:,}", _e(_money(t.revenue)), f"{t.csms_needed:,}",
             _e(_money(t.cs_cost)), _cost_share(t.cost_share)]
            for t in plan.tiers]
    return _section("Touch-model tiers", _table(["tier", "accounts", "revenue", "CSMs", "CS cost", "CS cost / revenue"],
                                                rows), "ps-block")


def _alerts(review: PortfolioReview) -> str:
    alerts = review.summary.top_alerts[:_TOP]
    if not alerts:
        return ""
    return _section(f"Most urgent alerts ({review.summary.alerts_total:,} in all)", _table(
        ["account", "due (UTC)", "priority", "rule", "SLA", "action", ""], _alert_rows(alerts, account=True)),
        "ps-block")


def portfolio_card(review: PortfolioReview) -> str:
    """The card of a portfolio review.

    Examples:
        >>> from datetime import date
        >>> from postsale.adapters.sample import sample_portfolio
        >>> from postsale.review import review_portfolio
        >>> sample = sample_portfolio(40, seed=3, as_of=date(2026, 11, 1))
        >>> page = portfolio_card(review_portfolio(sample.snapshots(), ledger=sample.ledger))
        >>> "Renewals by month" in page and "GRR" in page and "<script" not in page
        True
    """
    head = (f'<div class="ps-head"><b>Portfolio</b> <span class="ps-muted">· as of {review.as_of.isoformat()}'
            "</span></div>")
    body = head + _tiles(review) + _distributions(review) + _tiers(review) + _alerts(review)
    return _wrap(type(review).__name__, body + _folds(review, _sentences(review)))


def _sentences(review: PortfolioReview) -> list[str]:
    explain: Any = getattr(review, "explain", None)
    if explain is None:
        return []
    found = explain()
    return [found] if isinstance(found, str) else list(found)
