"""Interactive charts of a portfolio for notebooks (an adapter; ``pip install 'postsale[charts]'``).

Built on Plotly, which reads dataframes through narwhals as postsale does: every function takes the frames the
columnar path returns — ``review_frame(...).results``, ``step_frame(...).alerts``, ``journey_stages(...).stages``,
``journey_events(...)``, or the nightly job's output files read back — in any kind narwhals reads (pandas, Polars
eager or lazy, PyArrow, DuckDB, ...), sums them up with narwhals, and returns the ``plotly.graph_objects.Figure``
to show, restyle or save (``fig.write_html("chart.html")`` embeds everything it needs). Plotly rather than Altair
because the journey's flow is a Sankey diagram, which Altair does not draw.

Each function takes ``static=True`` for a matplotlib ``Figure`` of the same numbers (a slide, a PDF, a
notebook rendered without JavaScript; ``pip install 'postsale[plot]'``). Colours are those of
:mod:`postsale.adapters.plot` and of the nightly report.

* :func:`health_distribution`: accounts per health band (optionally by segment or any column);
* :func:`stage_distribution`: open tracks per journey stage;
* :func:`renewal_runway`: ARR renewing per month over the next months, by forecast category;
* :func:`health_trend`: mean health per day, per account or cohort, on the shaded bands;
* :func:`journey_flow`: the moves between stages, as a Sankey coloured by kind of move;
* :func:`alert_volume`: alerts per week, by rule.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any, Final

from postsale import _checks
from postsale._columnar import require
from postsale._errors import InvalidTypeError, InvalidValueError
from postsale._vocabulary import HealthBand
from postsale.adapters import _palette
from postsale.adapters.plot import BAND_COLORS, STAGE_COLORS
from postsale.health import GREEN_FROM, YELLOW_FROM
from postsale.journey import TransitionKind

__all__ = ["FORECAST_COLORS", "KIND_COLORS", "alert_volume", "health_distribution", "health_trend", "journey_flow",
           "renewal_runway", "stage_distribution"]

FORECAST_COLORS: Final = _palette.FORECAST_COLORS
"""One colour per forecast category (the nightly report's)."""
KIND_COLORS: Final = {TransitionKind.ENTRY.name: "#90A4AE", TransitionKind.FORWARD.name: "#2F6DB5",
                      TransitionKind.SKIP.name: "#00897B", TransitionKind.REGRESSION.name: "#C0392B",
                      TransitionKind.CYCLE.name: "#8E44AD", TransitionKind.EXIT.name: "#607D8B"}
"""One colour per kind of journey move."""
_BANDS: Final = {band.name: color for band, color in BAND_COLORS.items()}
_STAGES: Final = {stage.name: color for stage, color in STAGE_COLORS.items()}
_OTHER: Final = "#9E9E9E"
_SHADES: Final = ((0.0, YELLOW_FROM, HealthBand.RED), (YELLOW_FROM, GREEN_FROM, HealthBand.YELLOW),
                  (GREEN_FROM, 100.0, HealthBand.GREEN))


def _options(static: Any, title: Any, **names: Any) -> None:
    """Refuse options of the wrong type before any work (a flag, a title, column names)."""
    _checks.flag("static", static)
    if title is not None:
        _checks.instance("title", title, str, hint="pass the chart's title as text, or None")
    for field, value in names.items():
        if value is not None:
            _checks.instance(field, value, str, hint="name a column of the frame")


def _frame(value: Any, field: str, columns: Sequence[str]) -> Any:
    """``value`` as an eager narwhals frame with ``columns``."""
    nw = require("narwhals.stable.v2", "charts")
    try:
        frame = nw.from_native(value)
    except TypeError:
        raise InvalidTypeError("is not a dataframe", field=field, value=type(value).__name__,
                               hint="pass a pandas, Polars, PyArrow or DuckDB frame") from None
    if not isinstance(frame, nw.DataFrame):
        frame = frame.collect()
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InvalidValueError(f"lacks the column(s) {', '.join(missing)}", field=field, value=frame.columns,
                                constraint=f"the columns {', '.join(columns)}", hint="pass the frame postsale returned")
    return frame


def _counts(frame: Any, column: str) -> dict[str, int]:
    nw = require("narwhals.stable.v2", "charts")
    found = frame.filter(~nw.col(column).is_null()).group_by(column).agg(nw.len().alias("n"))
    return {str(k): int(n) for k, n in found.iter_rows()}


def _day(value: Any) -> date:
    """A day from a frame (pandas hands out Timestamps for dates)."""
    day: date = value.date() if isinstance(value, datetime) else value
    return day


def _name(value: Any) -> str | None:
    """A name from a frame, or None where it is missing (pandas hands out NaN for a missing text)."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) or value == "" else str(value)


def _ordered(found: Mapping[str, Any], order: Iterable[str]) -> list[str]:
    known = [k for k in order if k in found]
    return known + sorted(k for k in found if k not in known)


def _figure(title: str | None) -> Any:
    go = require("plotly.graph_objects", "charts")
    figure = go.Figure()
    figure.update_layout(title=title, template="plotly_white", barmode="stack", legend_traceorder="normal")
    return figure


def _static_bars(categories: Sequence[str], series: Mapping[str, Sequence[float]], colors: Mapping[str, str],
                 title: str | None, ylabel: str) -> Any:
    """A matplotlib Figure of stacked bars (one bar per category, one layer per series)."""
    require("matplotlib", "plot")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 4))
    ax = figure.add_subplot()
    bottom = [0.0] * len(categories)
    for name, values in series.items():
        ax.bar(list(categories), list(values), bottom=bottom, label=name, color=colors.get(name, _OTHER))
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    if len(series) > 1:
        ax.legend(frameon=False)
    ax.tick_params(axis="x", labelrotation=30)
    figure.tight_layout()
    return figure


def health_distribution(reviews: Any, *, by: str | None = None, static: bool = False,
                        title: str | None = "Accounts by health band") -> Any:
    """Accounts per health band (``band``), as stacked bars per value of ``by`` (e.g. ``"segment"``) when given.

    Examples:
        >>> import polars as pl
        >>> reviews = pl.DataFrame({"band": ["GREEN", "RED", "GREEN", None], "segment": ["SMB"] * 4})
        >>> figure = health_distribution(reviews)
        >>> [(t.name, list(t.y)) for t in figure.data]
        [('GREEN', [2]), ('RED', [1])]
    """
    _options(static, title, by=by)
    frame = _frame(reviews, "reviews", ["band", *([by] if by else [])])
    groups = sorted({str(v) for v in frame[by].to_list()}) if by else ["all accounts"]
    per: dict[str, list[float]] = {}
    for band in _ordered(_counts(frame, "band"), _BANDS):
        per[band] = []
        for group in groups:
            part = frame if by is None else _where(frame, by, group)
            per[band].append(float(_counts(part, "band").get(band, 0)))
    if static:
        return _static_bars(groups, per, _BANDS, title, "accounts")
    figure = _figure(title)
    for band, values in per.items():
        figure.add_bar(name=band, x=groups, y=[int(v) for v in values], marker_color=_BANDS.get(band, _OTHER))
    figure.update_layout(yaxis_title="accounts")
    return figure


def _where(frame: Any, column: str, value: str) -> Any:
    nw = require("narwhals.stable.v2", "charts")
    return frame.filter(nw.col(column).cast(nw.String) == value)


def stage_distribution(stages: Any, *, static: bool = False, title: str | None = "Open tracks by journey stage"
                       ) -> Any:
    """Open tracks per journey stage (``stage``; a comma-separated list of stages, as the nightly reviews hold
    them, counts each).

    Examples:
        >>> import polars as pl
        >>> figure = stage_distribution(pl.DataFrame({"stage": ["ADOPTION", "ONBOARDING,RENEWAL", "ADOPTION"]}))
        >>> list(figure.data[0].x), list(figure.data[0].y)
        (['ONBOARDING', 'ADOPTION', 'RENEWAL'], [1, 2, 1])
    """
    _options(static, title)
    frame = _frame(stages, "stages", ["stage"])
    found: dict[str, int] = defaultdict(int)
    for value in frame["stage"].to_list():
        for stage in str(value).split(",") if value is not None else ():
            found[stage.strip()] += 1
    names = _ordered(found, _STAGES)
    if static:
        return _static_bars(names, {"tracks": [float(found[n]) for n in names]}, {"tracks": "#4C72B0"}, title,
                            "open tracks")
    figure = _figure(title)
    figure.add_bar(x=names, y=[found[n] for n in names], marker_color=[_STAGES.get(n, _OTHER) for n in names],
                   name="open tracks")
    figure.update_layout(yaxis_title="open tracks", showlegend=False)
    return figure


def renewal_runway(reviews: Any, *, as_of: date, months: int = 6, static: bool = False,
                   title: str | None = "ARR renewing by month") -> Any:
    """ARR (``acv``) renewing in each of the next ``months`` months (from ``days_to_renewal`` as of ``as_of``), by
    forecast category, with the number of accounts in the hover text.

    Examples:
        >>> import polars as pl
        >>> from datetime import date
        >>> reviews = pl.DataFrame({"days_to_renewal": [10.0, 40.0, 15.0], "forecast": ["COMMIT", "AT_RISK", "COMMIT"],
        ...                         "acv": [1000.0, 500.0, 250.0]})
        >>> figure = renewal_runway(reviews, as_of=date(2026, 12, 1), months=2)
        >>> [(t.name, list(t.x), list(t.y)) for t in figure.data]
        [('COMMIT', ['2026-12', '2027-01'], [1250.0, 0.0]), ('AT_RISK', ['2026-12', '2027-01'], [0.0, 500.0])]
    """
    _options(static, title)
    _checks.a_date("as_of", as_of)
    if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 60:
        raise InvalidValueError("is not a number of months from 1 to 60", field="months", value=months)
    frame = _frame(reviews, "reviews", ["days_to_renewal", "forecast", "acv"])
    labels = [_month(as_of, k) for k in range(months)]
    arr: dict[str, list[float]] = defaultdict(lambda: [0.0] * months)
    accounts: dict[str, list[int]] = defaultdict(lambda: [0] * months)
    for days, forecast, acv in frame.select("days_to_renewal", "forecast", "acv").iter_rows():
        if days is None or math.isnan(days) or days < 0:
            continue
        label = (as_of + timedelta(days=int(days))).strftime("%Y-%m")
        if label in labels:
            k = labels.index(label)
            arr[str(forecast)][k] += float(acv or 0)
            accounts[str(forecast)][k] += 1
    order = _ordered(arr, FORECAST_COLORS)
    if static:
        return _static_bars(labels, {f: arr[f] for f in order}, FORECAST_COLORS, title, "ARR")
    figure = _figure(title)
    for forecast in order:
        figure.add_bar(name=forecast, x=labels, y=arr[forecast], customdata=accounts[forecast],
                       marker_color=FORECAST_COLORS.get(forecast, _OTHER),
                       hovertemplate="%{x}: %{y:$,.0f} in %{customdata} account(s)<extra>%{fullData.name}</extra>")
    figure.update_layout(yaxis_title="ARR", yaxis_tickprefix="$")
    return figure


def _month(start: date, k: int) -> str:
    year, month = divmod(start.month - 1 + k, 12)
    return f"{start.year + year:04d}-{month + 1:02d}"


def health_trend(history: Any, *, by: str = "account_id", static: bool = False,
                 title: str | None = "Health over time") -> Any:
    """Mean health (``health``) per day (``as_of``) for each value of ``by`` (an account, a segment, a cohort
    label), over the GREEN / YELLOW / RED bands shaded.

    Examples:
        >>> import polars as pl
        >>> from datetime import date
        >>> history = pl.DataFrame({"account_id": ["a", "a", "b"], "health": [80.0, 60.0, 30.0],
        ...                         "as_of": [date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 1)]})
        >>> [(t.name, list(t.y)) for t in health_trend(history).data]
        [('a', [80.0, 60.0]), ('b', [30.0])]
    """
    nw = require("narwhals.stable.v2", "charts")
    _options(static, title, by=by)
    frame = _frame(history, "history", ["as_of", "health", by])
    means = (frame.filter(~nw.col("health").is_null()).group_by(by, "as_of").agg(nw.col("health").mean())
             .sort(by, "as_of"))
    lines: dict[str, tuple[list[Any], list[float]]] = {}
    for key, day, value in means.select(by, "as_of", "health").iter_rows():
        xs, ys = lines.setdefault(str(key), ([], []))
        xs.append(_day(day))
        ys.append(round(float(value), 6))  # engines sum in their own order: the last digits differ
    if static:
        require("matplotlib", "plot")
        from matplotlib.figure import Figure

        figure = Figure(figsize=(8, 4))
        ax = figure.add_subplot()
        for low, high, band in _SHADES:
            ax.axhspan(low, high, color=_BANDS[band.name], alpha=0.08)
        for name, (xs, ys) in lines.items():
            ax.plot(xs, ys, marker="o", label=name)
        ax.set_ylim(0, 100)
        ax.set_ylabel("health")
        if title:
            ax.set_title(title)
        figure.autofmt_xdate()
        return figure
    figure = _figure(title)
    for low, high, band in _SHADES:
        figure.add_hrect(y0=low, y1=high, fillcolor=BAND_COLORS[band], opacity=0.08, line_width=0)
    for name, (xs, ys) in lines.items():
        figure.add_scatter(x=xs, y=ys, mode="lines+markers", name=name)
    figure.update_layout(yaxis_range=[0, 100], yaxis_title="health")
    return figure


def journey_flow(events: Any, *, static: bool = False, title: str | None = "Journey moves") -> Any:
    """The moves between stages in a journey event table (``from_stage``, ``to_stage``, ``kind``; the table
    :func:`postsale.adapters.frame.journey_events` writes) as a Sankey diagram, each link coloured by its kind
    (forward, skip, regression, cycle; an entry comes from "start", an exit goes to "exit").

    Examples:
        >>> import polars as pl
        >>> events = pl.DataFrame({"from_stage": [None, "ONBOARDING", "ONBOARDING"],
        ...                        "to_stage": ["ONBOARDING", "ADOPTION", "ADOPTION"],
        ...                        "kind": ["ENTRY", "FORWARD", "FORWARD"]})
        >>> figure = journey_flow(events)
        >>> list(figure.data[0].link.value), list(figure.data[0].node.label)
        ([1, 2], ['start', 'ONBOARDING', 'ADOPTION'])
    """
    _options(static, title)
    frame = _frame(events, "events", ["from_stage", "to_stage", "kind"])
    moves: dict[tuple[str, str, str], int] = defaultdict(int)
    for source, target, kind in frame.select("from_stage", "to_stage", "kind").iter_rows():
        moves[(_name(source) or "start", _name(target) or "exit", str(kind))] += 1
    found = {name for pair in moves for name in pair[:2]}
    nodes = [n for n in ("start", *_STAGES, "exit") if n in found] + sorted(found - {"start", "exit", *_STAGES})
    links = sorted(moves.items(), key=lambda item: (nodes.index(item[0][0]), nodes.index(item[0][1]), item[0][2]))
    if static:
        labels = [f"{s} → {t}" for (s, t, _k) in (key for key, _n in links)]
        kinds = _ordered(dict.fromkeys(k for (_s, _t, k) in moves), KIND_COLORS)
        series = {k: [float(n) if key[2] == k else 0.0 for key, n in links] for k in kinds}
        return _static_bars(labels, series, KIND_COLORS, title, "moves")
    go = require("plotly.graph_objects", "charts")
    sankey = go.Sankey(
        node={"label": nodes, "color": [_STAGES.get(n, _OTHER) for n in nodes], "pad": 18},
        link={"source": [nodes.index(s) for (s, _t, _k), _n in links],
              "target": [nodes.index(t) for (_s, t, _k), _n in links],
              "value": [n for _key, n in links], "label": [k for (_s, _t, k), _n in links],
              "color": [KIND_COLORS.get(k, _OTHER) for (_s, _t, k), _n in links]},
    )
    figure = _figure(title)
    figure.add_trace(sankey)
    return figure


def alert_volume(alerts: Any, *, static: bool = False, title: str | None = "Alerts per week") -> Any:
    """Alerts per week (the Monday of ``as_of``'s week) by rule (``rule_id``), as stacked bars; held-back alerts
    (``held_back`` set) are left out when the column is there.

    Examples:
        >>> import polars as pl
        >>> from datetime import date
        >>> alerts = pl.DataFrame({"rule_id": ["H4", "H4", "U1"], "held_back": [None, None, None],
        ...                        "as_of": [date(2026, 11, 2), date(2026, 11, 4), date(2026, 11, 10)]})
        >>> [(t.name, list(t.x), list(t.y)) for t in alert_volume(alerts).data]
        [('H4', ['2026-11-02', '2026-11-09'], [2, 0]), ('U1', ['2026-11-02', '2026-11-09'], [0, 1])]
    """
    nw = require("narwhals.stable.v2", "charts")
    _options(static, title)
    frame = _frame(alerts, "alerts", ["as_of", "rule_id"])
    if "held_back" in frame.columns:
        frame = frame.filter(nw.col("held_back").is_null())
    per_day = frame.group_by("rule_id", "as_of").agg(nw.len().alias("n"))
    weeks: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for rule, day, n in per_day.select("rule_id", "as_of", "n").iter_rows():
        monday = _day(day) - timedelta(days=_day(day).weekday())
        weeks[str(rule)][monday.isoformat()] += int(n)
    labels = sorted({week for counts in weeks.values() for week in counts})
    rules = sorted(weeks)
    if static:
        return _static_bars(labels, {r: [float(weeks[r][w]) for w in labels] for r in rules}, {}, title, "alerts")
    figure = _figure(title)
    for rule in rules:
        figure.add_bar(name=rule, x=labels, y=[weeks[rule][w] for w in labels])
    figure.update_layout(yaxis_title="alerts", xaxis_title="week of")
    return figure
