"""Pictures a CS lead would put on a slide (an adapter; ``pip install 'postsale[plot]'``).

Four charts, each drawn with matplotlib (imported when a function is called). Every function takes an
optional ``ax`` (a matplotlib ``Axes`` to draw into) and returns the matplotlib ``Figure``; without ``ax``
it creates a new ``Figure`` directly (not through ``pyplot``), so nothing is shown or kept globally and it
works with any backend, including ``Agg`` on a server. Save with ``fig.savefig("chart.png")``; a notebook
shows the returned figure.

* :func:`journey_flow`: how accounts moved between stages (forward and backward moves in two colours);
* :func:`renewal_timelines`: a gantt chart of renewal runways, milestones and today's line;
* :func:`health_trend`: one account's health score over time on the GREEN / YELLOW / RED bands;
* :func:`tier_economics`: per touch tier, accounts, revenue vs CS cost, CSMs and the 5-15 % band.

Colours are consistent across charts: :data:`STAGE_COLORS` per stage, :data:`BAND_COLORS` per health band.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from postsale import _checks
from postsale._errors import InvalidTypeError, InvalidValueError
from postsale._vocabulary import HealthBand, Stage, TouchModel
from postsale.adapters import _palette
from postsale.adapters.frame import require

__all__ = [
    "BAND_COLORS",
    "RENEWAL_STATE_COLORS",
    "STAGE_COLORS",
    "TIER_COLORS",
    "health_trend",
    "journey_flow",
    "renewal_timelines",
    "tier_economics",
]

STAGE_COLORS: Mapping[Stage, str] = {
    Stage.ONBOARDING: "#4C72B0",
    Stage.ADOPTION: "#55A868",
    Stage.RETENTION: "#8172B3",
    Stage.EXPANSION: "#DD8452",
    Stage.RENEWAL: "#C44E52",
    Stage.ADVOCACY: "#937860",
}
"""One colour per journey stage, used by every chart."""

BAND_COLORS: Mapping[HealthBand, str] = {HealthBand[name]: color for name, color in _palette.BAND_COLORS.items()}
"""One colour per health band, used by every chart."""

TIER_COLORS: Mapping[TouchModel, str] = {
    TouchModel.HIGH: "#4C72B0",
    TouchModel.LOW: "#55A868",
    TouchModel.TECH: "#8172B3",
    TouchModel.HYBRID: "#937860",
}
"""One colour per touch model."""

RENEWAL_STATE_COLORS: Mapping[str, str] = {
    "CONFIRMED": "#2E7D32",
    "UPCOMING": "#555555",
    "ON_TRACK": "#2E7D32",
    "NOT_RECORDED": "#757575",
    "OVERDUE": "#EF6C00",
    "LATE_START": "#C62828",
    "DANGER_ZONE": "#C62828",
    "LAPSED": "#6A1B9A",
}
"""Label colour per renewal state (by name): problems in orange, red and purple; no activity recorded in grey."""

_FORWARD = "#2F6DB5"
_BACKWARD = "#C0392B"
_CLOSED = "#607D8B"
_TITLE_SIZE = 13


def _plt_objects() -> Any:
    require("matplotlib", "plot")
    from matplotlib.figure import Figure

    return Figure


def _dates() -> Any:
    """``matplotlib.dates`` (untyped), imported on use."""
    import matplotlib.dates

    return matplotlib.dates


def _axes(ax: Any, size: tuple[float, float]) -> tuple[Any, Any]:
    """The figure and axes to draw on: ``ax``'s, or a new ``Figure`` (no pyplot, no global state)."""
    figure_class = _plt_objects()
    if ax is not None:
        from matplotlib.axes import Axes

        _checks.instance("ax", ax, Axes, hint="pass a matplotlib Axes, or None for a new figure")
        return ax.figure, ax
    fig = figure_class(figsize=size, layout="constrained")
    return fig, fig.add_subplot()


def _label(stage: Stage) -> str:
    return stage.name.replace("_", " ").title()


def _mix(color: str, weight: float) -> tuple[float, float, float]:
    """``color`` blended with white: weight 0 is white, 1 is the colour."""
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(color)
    return (1 - weight * (1 - r), 1 - weight * (1 - g), 1 - weight * (1 - b))


def _direction_color(src: Stage | None, dst: Stage | None) -> str:
    """Blue for entries and moves up the stages, red for moves back, grey for closed tracks."""
    if dst is None:
        return _CLOSED
    return _BACKWARD if src is not None and dst < src else _FORWARD


def journey_flow(journeys: Iterable[Any], *, ax: Any = None, title: str | None = None) -> Any:
    """Draw the flow between stages as a transition matrix: counts, forward moves blue, backward red.

    Rows are the stage moved from (plus "new track" for entries), columns the stage moved to (plus
    "closed" for tracks that ended, e.g. churned). Forward moves (FORWARD and SKIP) and entries are blue,
    backward moves (REGRESSION and CYCLE) red, closed tracks grey; the darker, the more.

    Args:
        journeys: ``postsale.journey.Journey`` values (their histories are read).
        ax: A matplotlib ``Axes`` to draw into (default: a new figure).
        title: The chart title (default: "Journey flow between stages").

    Returns:
        The matplotlib ``Figure``.

    Raises:
        InvalidTypeError: an item has no ``history`` of journey events.
    """
    from matplotlib.patches import Patch

    _title(title)
    stages = list(Stage)
    rows: list[Stage | None] = [None, *stages]
    columns: list[Stage | None] = [*stages, None]
    counts: dict[tuple[Stage | None, Stage | None], int] = {(src, dst): 0 for src in rows for dst in columns}
    n_journeys = 0
    for journey in _checks.items("journeys", journeys):
        history = getattr(journey, "history", None)
        if history is None:
            raise InvalidTypeError(
                "expected journeys",
                field="journeys",
                value=journey,
                constraint="each item must be a postsale.journey.Journey",
                hint="pass the journeys, e.g. postsale.adapters.sample.sample_journeys()",
            )
        n_journeys += 1
        for event in history:
            counts[event.from_stage, event.to_stage] += 1
    fig, ax = _axes(ax, (8.5, 6.0))
    peak = max(counts.values()) or 1
    image = []
    for src in rows:
        line = []
        for dst in columns:
            n = counts[src, dst]
            line.append(_mix(_direction_color(src, dst), 0.12 + 0.88 * n / peak) if n else (1.0, 1.0, 1.0))
        image.append(line)
    ax.imshow(image, aspect="auto")
    for i, src in enumerate(rows):
        for j, dst in enumerate(columns):
            n = counts[src, dst]
            if n:
                dark = n / peak > 0.55
                ax.text(j, i, f"{n:,}", ha="center", va="center", fontsize=9, color="white" if dark else "#222222")
    ax.set_xticks(range(len(columns)), [_label(s) for s in stages] + ["(closed)"], rotation=30, ha="right")
    ax.set_yticks(range(len(rows)), ["(new track)"] + [_label(s) for s in stages])
    for tick, stage in zip(ax.get_xticklabels()[:-1], stages, strict=True):
        tick.set_color(STAGE_COLORS[stage])
    for tick, stage in zip(ax.get_yticklabels()[1:], stages, strict=True):
        tick.set_color(STAGE_COLORS[stage])
    ax.set_xlabel("to stage")
    ax.set_ylabel("from stage")
    ax.set_xticks([x - 0.5 for x in range(1, len(columns))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(rows))], minor=True)
    ax.grid(which="minor", color="#dddddd", linewidth=0.8)
    ax.tick_params(which="minor", length=0)
    forward = sum(n for (src, dst), n in counts.items() if _direction_color(src, dst) == _FORWARD)
    backward = sum(n for (src, dst), n in counts.items() if _direction_color(src, dst) == _BACKWARD)
    closed = sum(counts[src, None] for src in rows)
    ax.legend(
        handles=[
            Patch(color=_FORWARD, label=f"entry / forward / skip ({forward:,})"),
            Patch(color=_BACKWARD, label=f"backward: regression / cycle ({backward:,})"),
            Patch(color=_CLOSED, label=f"track closed ({closed:,})"),
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.22),
        ncol=3,
        frameon=False,
    )
    ax.set_title(title or f"Journey flow between stages ({n_journeys:,} journeys)", fontsize=_TITLE_SIZE)
    return fig


def renewal_timelines(
    timelines: Iterable[Any],
    *,
    as_of: date,
    completed: Mapping[str, Mapping[str, date]] | None = None,
    max_rows: int = 25,
    ax: Any = None,
    title: str | None = None,
) -> Any:
    """Draw renewal runways across a portfolio as a gantt chart, with milestones and today's line.

    Each row is one renewal (sorted by renewal date): the runway from its start to the latest start
    (green), to the danger zone (amber), and the danger zone up to the renewal date (red). Milestones are
    dots, overdue milestones red crosses; the row label names the account and its state on ``as_of``,
    coloured when the renewal is overdue, started late, in the danger zone or lapsed.

    Args:
        timelines: ``postsale.renewal.RenewalTimeline`` values.
        as_of: Today (the dashed line; statuses are computed on this date).
        completed: Milestones done so far per account (``{"acme": {"conversation": date(...)}}``).
        max_rows: How many renewals to draw (the earliest renewal dates); the title counts the others.
        ax: A matplotlib ``Axes`` to draw into (default: a new figure).
        title: The chart title (default: "Renewal runways as of <date>").

    Returns:
        The matplotlib ``Figure``.

    Raises:
        InvalidValueError: ``max_rows`` is not a positive integer.
    """
    mdates = _dates()
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if isinstance(max_rows, bool) or not isinstance(max_rows, int) or max_rows < 1:
        raise InvalidValueError(
            "max_rows must be a positive integer",
            field="max_rows",
            value=max_rows,
            constraint="an int >= 1",
            hint="pass e.g. max_rows=25",
        )
    from postsale.renewal import RenewalTimeline

    _checks.a_date("as_of", as_of)
    _title(title)
    if completed is not None:
        _checks.instance("completed", completed, Mapping, hint="pass {account_id: {milestone: date}}")
    done = completed or {}
    listed = _checks.items("timelines", timelines, RenewalTimeline)
    ordered = sorted(listed, key=lambda t: (t.renewal_date, t.account_id))
    shown = ordered[:max_rows]
    fig, ax = _axes(ax, (11.0, max(3.0, 0.42 * len(shown) + 1.8)))
    labels = []
    problems = 0
    for row, timeline in enumerate(shown):
        status = timeline.status(as_of, done.get(timeline.account_id))
        state = status.state.name
        problems += state in ("OVERDUE", "LATE_START", "DANGER_ZONE", "LAPSED")
        spans = [
            (timeline.runway_start, timeline.latest_start, "#81C784"),
            (timeline.latest_start, timeline.danger_zone_start, "#FFD54F"),
            (timeline.danger_zone_start, timeline.renewal_date, "#E57373"),
        ]
        for start, end, color in spans:
            if end > start:
                ax.barh(row, (end - start).days, left=mdates.date2num(start), height=0.55, color=color)
        overdue = {m.name for m in status.overdue}
        for milestone in timeline.milestones:
            late = milestone.name in overdue
            ax.plot(
                mdates.date2num(milestone.due),
                row,
                marker="X" if late else "o",
                markersize=8 if late else 5,
                color=_BACKWARD if late else "#263238",
                linestyle="none",
            )
        labels.append((f"{timeline.account_id} · {timeline.renewal_date.isoformat()} · {state}", state))
    ax.set_yticks(range(len(shown)), [text for text, _state in labels])
    for tick, (_text, state) in zip(ax.get_yticklabels(), labels, strict=True):
        tick.set_color(RENEWAL_STATE_COLORS.get(state, "#222222"))
    ax.invert_yaxis()
    ax.axvline(mdates.date2num(as_of), color="#263238", linestyle="--", linewidth=1.2)
    ax.xaxis.set_major_locator(mdates.AutoDateLocator())
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    if not shown:
        around = [date.fromordinal(min(max(1, as_of.toordinal() + d), date.max.toordinal())) for d in (-30, 30)]
        ax.set_xlim(mdates.date2num(around[0]), mdates.date2num(around[1]))
    ax.set_xlabel("date")
    ax.set_ylabel("account · renewal date · state")
    ax.grid(axis="x", color="#eeeeee")
    ax.legend(
        handles=[
            Patch(color="#81C784", label="runway: start window"),
            Patch(color="#FFD54F", label="after latest start"),
            Patch(color="#E57373", label="danger zone"),
            Line2D([], [], marker="o", color="#263238", linestyle="none", label="milestone"),
            Line2D([], [], marker="X", color=_BACKWARD, linestyle="none", markersize=8, label="overdue milestone"),
            Line2D([], [], color="#263238", linestyle="--", label=f"today ({as_of.isoformat()})"),
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12 if len(shown) > 6 else -0.3),
        ncol=3,
        frameon=False,
    )
    more = len(ordered) - len(shown)
    default = f"Renewal runways as of {as_of.isoformat()}: {problems} of {len(shown)} need attention"
    if more:
        default += f"\n(the {len(shown)} earliest renewals; {more:,} later ones not shown)"
    ax.set_title(title or default, fontsize=_TITLE_SIZE)
    return fig


def _points(scores_by_date: Mapping[date, Any] | Sequence[tuple[date, Any]]) -> list[tuple[date, float, Any]]:
    if isinstance(scores_by_date, Mapping):
        pairs = list(scores_by_date.items())
    else:
        pairs = list(_checks.items("scores_by_date", scores_by_date))
    points = []
    for item in pairs:
        when, score = item if isinstance(item, tuple) and len(item) == 2 else (None, None)
        value = getattr(score, "value", score)
        if not isinstance(when, date) or isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            raise InvalidTypeError(
                "expected (date, HealthScore or number) pairs",
                field="scores_by_date",
                value=(when, score),
                constraint="a mapping or sequence of date -> HealthScore or 0-100 number",
                hint="pass e.g. {date(2026, 1, 31): 72.5, date(2026, 2, 28): score}",
            )
        points.append((when, _score_edge("scores_by_date", value), score))
    return sorted(points, key=lambda p: p[0])


def _score_edge(field: str, value: Any) -> float:
    """A finite number on the 0-100 health scale."""
    result = _checks.number(field, value)
    if not 0 <= result <= 100:
        raise InvalidValueError(
            "is outside 0-100", field=field, value=value, constraint="health is on the 0-100 scale",
            hint="pass a score or threshold between 0 and 100",
        )
    return result


def _title(title: Any) -> None:
    if title is not None:
        _checks.instance("title", title, str, hint="pass the chart title as text, or None")


def health_trend(
    scores_by_date: Mapping[date, Any] | Sequence[tuple[date, Any]],
    *,
    green_from: float | None = None,
    yellow_from: float | None = None,
    ax: Any = None,
    title: str | None = None,
) -> Any:
    """Draw a health score over time on shaded GREEN / YELLOW / RED bands.

    Args:
        scores_by_date: A mapping or sequence of ``(date, HealthScore or 0-100 number)``. A
            ``HealthScore`` is drawn with its own band (overrides included); a number with the thresholds.
        green_from: Lower bound of GREEN (default ``postsale.health.GREEN_FROM``, 70).
        yellow_from: Lower bound of YELLOW (default ``postsale.health.YELLOW_FROM``, 40).
        ax: A matplotlib ``Axes`` to draw into (default: a new figure).
        title: The chart title (default: "Health trend", with the account when the scores name it).

    Returns:
        The matplotlib ``Figure``.

    Raises:
        InvalidTypeError: an item is not a date with a score.
    """
    mdates = _dates()
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from postsale.health import GREEN_FROM, YELLOW_FROM

    green = GREEN_FROM if green_from is None else _score_edge("green_from", green_from)
    yellow = YELLOW_FROM if yellow_from is None else _score_edge("yellow_from", yellow_from)
    if yellow > green:
        raise InvalidValueError(
            "is above green_from", field="yellow_from", value=yellow_from, constraint=f"must be <= {green:g}",
            hint="pass yellow_from <= green_from",
        )
    _title(title)
    points = _points(scores_by_date)
    fig, ax = _axes(ax, (9.0, 4.5))
    bands = ((0, yellow, HealthBand.RED), (yellow, green, HealthBand.YELLOW), (green, 100, HealthBand.GREEN))
    for low, high, band in bands:
        ax.axhspan(low, high, color=BAND_COLORS[band], alpha=0.13, linewidth=0)
    xs = [mdates.date2num(when) for when, _value, _score in points]
    ys = [value for _when, value, _score in points]
    ax.plot(xs, ys, color="#37474F", linewidth=1.8, zorder=2)
    for x, (_when, value, score) in zip(xs, points, strict=True):
        own = getattr(score, "band", None)
        band = own if isinstance(own, HealthBand) else HealthBand.of(value, green_from=green, yellow_from=yellow)
        ax.plot(x, value, marker="o", markersize=7, color=BAND_COLORS[band], markeredgecolor="white", zorder=3)
    if points:
        last_when, last_value, _ = points[-1]
        ax.annotate(f"{last_value:.0f}", (mdates.date2num(last_when), last_value), xytext=(6, 6),
                    textcoords="offset points", fontsize=10, fontweight="bold")
    ax.set_ylim(0, 100)
    ax.xaxis.set_major_locator(mdates.AutoDateLocator())
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.set_xlabel("date")
    ax.set_ylabel("health score (0-100)")
    ax.legend(
        handles=[
            Patch(color=BAND_COLORS[HealthBand.GREEN], alpha=0.35, label=f"GREEN ≥ {green:g}"),
            Patch(color=BAND_COLORS[HealthBand.YELLOW], alpha=0.35, label=f"YELLOW {yellow:g}–{green:g}"),
            Patch(color=BAND_COLORS[HealthBand.RED], alpha=0.35, label=f"RED < {yellow:g}"),
            Line2D([], [], color="#37474F", marker="o", label="score"),
        ],
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
    )
    accounts = {getattr(score, "account_id", None) for _when, _value, score in points} - {None}
    default = "Health trend" + (f": {accounts.pop()}" if len(accounts) == 1 else "")
    ax.set_title(title or default, fontsize=_TITLE_SIZE)
    return fig


def _money(amount: float) -> str:
    if abs(amount) >= 1_000_000:
        return f"${amount / 1_000_000:,.1f}M"
    if abs(amount) >= 1_000:
        return f"${amount / 1_000:,.0f}K"
    return f"${amount:,.0f}"


def tier_economics(plan: Any, *, ax: Any = None, title: str | None = None) -> Any:
    """Draw a touch portfolio plan per tier: revenue vs CS cost, cost share against the 5-15 % band.

    Bars: revenue and CS staffing cost per tier (and the whole portfolio); dots on the right axis: CS cost
    as a share of revenue, with the healthy band shaded; above each tier: its accounts and CSMs needed.

    Args:
        plan: A ``postsale.touch.PortfolioPlan`` (from ``plan_portfolio``).
        ax: A matplotlib ``Axes`` to draw into (default: a new figure).
        title: The chart title (default: "CS economics per touch tier").

    Returns:
        The matplotlib ``Figure``.

    Raises:
        InvalidTypeError: ``plan`` has no tiers.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter, PercentFormatter

    from postsale.touch import HEALTHY_COST_SHARE_FROM, HEALTHY_COST_SHARE_TO

    _title(title)
    tiers = getattr(plan, "tiers", None)
    if tiers is None:
        raise InvalidTypeError(
            "expected a portfolio plan",
            field="plan",
            value=plan,
            constraint="a postsale.touch.PortfolioPlan",
            hint="build one with postsale.touch.plan_portfolio(accounts)",
        )
    fig, ax = _axes(ax, (10.0, 5.5))
    groups = [
        (
            f"{t.model.name.title()}-touch",
            TIER_COLORS[t.model],
            t.accounts,
            t.csms_needed,
            float(t.revenue),
            float(t.staffing_cost),
            t.cost_share,
        )
        for t in tiers
    ]
    groups.append(
        ("Portfolio", "#455A64", plan.account_count, plan.csms_needed, float(plan.revenue), float(plan.staffing_cost),
         plan.cost_share)
    )
    xs = range(len(groups))
    width = 0.38
    peak = max([g[4] for g in groups] + [g[5] for g in groups] + [1.0])
    for x, (_name, color, accounts, csms, revenue, cost, _share) in zip(xs, groups, strict=True):
        ax.bar(x - width / 2, revenue, width, color=color, alpha=0.9)
        ax.bar(x + width / 2, cost, width, color=color, alpha=0.45, hatch="//", edgecolor="white")
        ax.text(x - width / 2, revenue, _money(revenue), ha="center", va="bottom", fontsize=8)
        ax.text(x + width / 2, cost, _money(cost), ha="center", va="bottom", fontsize=8)
        ax.text(x, peak * 1.13, f"{accounts:,} accounts\n{csms:,} CSM{'s' if csms != 1 else ''}",
                ha="center", va="center", fontsize=9, color="#263238")
    ax.set_ylim(0, peak * 1.25)
    ax.set_xticks(list(xs), [g[0] for g in groups])
    ax.set_xlabel("touch tier")
    ax.set_ylabel("annual amount (revenue, CS cost)")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _money(v)))
    share_ax = ax.twinx()
    low = getattr(plan.cost_share, "healthy_from", HEALTHY_COST_SHARE_FROM)
    high = getattr(plan.cost_share, "healthy_to", HEALTHY_COST_SHARE_TO)
    share_ax.axhspan(low, high, color=BAND_COLORS[HealthBand.GREEN], alpha=0.10, linewidth=0)
    shares = [(x, g[6].share) for x, g in zip(xs, groups, strict=True) if g[6] is not None]
    for x, share in shares:
        healthy = low <= share <= high
        share_ax.plot(x, share, marker="D", markersize=9, linestyle="none",
                      color=BAND_COLORS[HealthBand.GREEN] if healthy else _BACKWARD, markeredgecolor="white")
        share_ax.annotate(f"{share:.1%}", (x, share), xytext=(8, -3), textcoords="offset points", fontsize=9)
    top = max([s for _x, s in shares] + [high]) * 1.3
    share_ax.set_ylim(0, top)
    share_ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    share_ax.set_ylabel("CS cost as share of revenue")
    ax.legend(
        handles=[
            Patch(color="#777777", alpha=0.9, label="revenue"),
            Patch(facecolor="#777777", alpha=0.45, hatch="//", edgecolor="white", label="CS cost (CSM staffing)"),
            Line2D(
                [], [], marker="D", color=BAND_COLORS[HealthBand.GREEN], linestyle="none", label="cost share: healthy"
            ),
            Line2D([], [], marker="D", color=_BACKWARD, linestyle="none", label="cost share: outside band"),
            Patch(color=BAND_COLORS[HealthBand.GREEN], alpha=0.2, label=f"healthy band {low:.0%}–{high:.0%}"),
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12),
        ncol=3,
        frameon=False,
    )
    ax.set_title(title or f"CS economics per touch tier ({plan.model.name} model)", fontsize=_TITLE_SIZE)
    return fig
