"""The nightly job's HTML report: one self-contained page a customer-success lead opens in a browser.

The page needs nothing else: no network, no JavaScript, no external style sheet, font or image. Its charts are
inline SVG drawn here (horizontal bars, labels and values as text), its style one ``<style>`` block that also
prints. Every text that comes from the data is escaped with :func:`html.escape`; the only markup taken as it
is are the plots handed in already rendered (:attr:`ReportData.plots`). The same data always gives the same
page, byte for byte: nothing depends on the time of rendering.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Final

import attrs

from postsale._repr import readable
from postsale._vocabulary import Stage
from postsale.adapters._palette import BAND_COLORS as _BAND_COLORS
from postsale.adapters._palette import FORECAST_COLORS as _FORECAST_COLORS
from postsale.adapters._palette import NEUTRAL as _NEUTRAL

__all__ = ["ReportData", "render_report"]

ERRORS_LISTED: Final = 200
"""How many rejected rows the page lists one by one (the rest are counted)."""

_COUNT_LABELS: Final = {"read": "rows read", "processed": "accounts processed", "rejected": "rows rejected",
                         "alerts_new": "new alerts", "alerts_open": "open alerts", "alerts_closed": "closed alerts",
                         "held_back": "alerts held back"}
"""The summary tiles, in the order they are shown (other counts follow in the order given)."""

_BAND_ORDER: Final = ("GREEN", "YELLOW", "RED")
_STAGE_ORDER: Final = tuple(stage.name for stage in Stage)
_FORECAST_ORDER: Final = ("COMMIT", "LIKELY", "AT_RISK")
_PALETTE: Final = ("#1565C0", "#6A1B9A", "#00838F", "#EF6C00", "#5D4037", "#AD1457", "#558B2F", "#455A64")

_SECTIONS: Final = {"summary": "Summary", "health": "Health", "stages": "Journey stages", "touch": "Touch models",
                     "renewals": "Renewals by month", "at-risk": "At-risk renewals", "queue": "Alert queue",
                     "errors": "Rejected rows", "plots": "Plots"}
"""Section ids and headings, in page order."""

_STYLE: Final = """\
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d0d7de; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 74rem; padding: 1.5rem 2rem 3rem; color: var(--ink); background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .75rem; padding-bottom: .25rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
nav { font-size: .9rem; margin: .5rem 0 1rem; } nav a { margin-right: .9rem; color: #0b5cad; }
.muted { color: var(--muted); } .wrap { overflow-x: auto; } tr.held td { color: var(--muted); }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(8.5rem, 1fr)); gap: .75rem; margin: 0; }
.tile { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; background: var(--bg); }
.tile dt { font-size: .85rem; color: var(--muted); }
.tile dd { margin: 0; font-size: 1.6rem; font-weight: 600; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .6rem; text-align: left; vertical-align: top; }
th { background: var(--bg); font-weight: 600; }
tfoot td { font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.swatch { display: inline-block; width: .75em; height: .75em; border-radius: 2px; margin-right: .4em;
  print-color-adjust: exact; -webkit-print-color-adjust: exact; }
svg.chart { display: block; max-width: 100%; height: auto; margin: .5rem 0; }
svg.chart text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: var(--ink); }
.legend span { margin-right: 1rem; font-size: .85rem; }
figure { margin: 1rem 0; } figcaption { font-weight: 600; margin-bottom: .25rem; }
figure svg { max-width: 100%; height: auto; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; } nav { display: none; } .wrap { overflow: visible; }
  h2, h3 { break-after: avoid; } tr, .tile, figure, svg { break-inside: avoid; }
}
"""


# --- the data ------------------------------------------------------------------------------------------------


def _counts(value: Mapping[str, int]) -> dict[str, int]:
    return dict(value)


def _counts_or_none(value: Mapping[str, int] | None) -> dict[str, int] | None:
    return None if value is None else dict(value)


_Renewal = tuple[str, str, int, float]
_AtRisk = tuple[str, int, float, str, str, str]
_Alert = tuple[str, str, str, str, str, datetime, str | None]
_Rejected = tuple[str, int | None, str | None, str | None, str | None, str]
_Plot = tuple[str, str]


def _renewal_rows(value: Iterable[_Renewal]) -> tuple[_Renewal, ...]:
    return tuple(value)


def _at_risk_rows(value: Iterable[_AtRisk]) -> tuple[_AtRisk, ...]:
    return tuple(value)


def _alert_rows(value: Iterable[_Alert]) -> tuple[_Alert, ...]:
    return tuple(value)


def _rejected_rows(value: Iterable[_Rejected]) -> tuple[_Rejected, ...]:
    return tuple(value)


def _plot_rows(value: Iterable[_Plot]) -> tuple[_Plot, ...]:
    return tuple(value)


def _kpi_rows(value: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple((str(label), str(text)) for label, text in value)


@attrs.frozen
class ReportData:
    """Everything the nightly report shows, as plain values (mappings kept as dicts, sequences as tuples).

    ``counts`` are the summary tiles (``read``, ``processed``, ``rejected``, ``alerts_new``, ``alerts_open``,
    ``alerts_closed``, ``held_back`` in that order when present, other keys after them). ``bands``, ``stages``
    and ``touch`` count accounts per health band, journey stage and touch model; ``bands_before`` and
    ``stages_before`` are the same counts at the previous run (``None`` on the first night). ``renewals`` are
    ``(month "YYYY-MM", forecast category, accounts, ARR)``; ``at_risk`` are ``(account_id, days to renewal,
    ACV, band, forecast, reasons)``; ``queue`` are ``(owner, account_id, rule_id, rule_name, priority, due,
    held-back reason or None)``; ``errors`` are the rejected rows ``(source, line, account_id, column, value,
    reason)``, of which there were ``errors_total``. ``plots`` are ``(title, SVG text)`` embedded as they are.

    Examples:
        >>> data = ReportData("run", date(2026, 11, 30), None, {"read": 3}, {"GREEN": 3}, None, {}, None,
        ...                   {"high": 3}, [], [], [], [], 0)
        >>> data.counts, data.renewals
        ({'read': 3}, ())
    """

    __repr__ = readable
    title: str
    as_of: date
    previous_as_of: date | None
    counts: Mapping[str, int] = attrs.field(converter=_counts, hash=False)
    bands: Mapping[str, int] = attrs.field(converter=_counts, hash=False)
    bands_before: Mapping[str, int] | None = attrs.field(converter=_counts_or_none, hash=False)
    stages: Mapping[str, int] = attrs.field(converter=_counts, hash=False)
    stages_before: Mapping[str, int] | None = attrs.field(converter=_counts_or_none, hash=False)
    touch: Mapping[str, int] = attrs.field(converter=_counts, hash=False)
    renewals: Sequence[_Renewal] = attrs.field(converter=_renewal_rows)
    at_risk: Sequence[_AtRisk] = attrs.field(converter=_at_risk_rows)
    queue: Sequence[_Alert] = attrs.field(converter=_alert_rows)
    errors: Sequence[_Rejected] = attrs.field(converter=_rejected_rows)
    errors_total: int
    plots: Sequence[_Plot] = attrs.field(default=(), converter=_plot_rows)
    kpis: Sequence[tuple[str, str]] = attrs.field(default=(), converter=_kpi_rows)
    """Figures shown as text tiles after the counts, e.g. ``("GRR", "97.3 %")``."""


# --- small formatting helpers --------------------------------------------------------------------------------


def _e(value: object) -> str:
    """``value`` as text safe in HTML content and in quoted attributes."""
    return html.escape(str(value), quote=True)


def _int(n: int) -> str:
    return f"{n:,}"


def _number(value: float) -> str:
    """A chart value: whole numbers without decimals, others with two.

    Examples:
        >>> _number(1234.0), _number(2.5), _number(float("nan"))
        ('1,234', '2.50', 'nan')
    """
    if not math.isfinite(value):
        return str(value)
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def _money(value: float) -> str:
    """Dollars, whole, with thousands separators.

    Examples:
        >>> _money(1234567.0), _money(-2500.4), _money(0)
        ('$1,234,567', '−$2,500', '$0')
    """
    if not math.isfinite(value):
        return str(value)
    text = f"${abs(value):,.0f}"
    return "−" + text if round(value) < 0 else text


def _signed(n: int) -> str:
    """A change: ``+3``, ``−2`` (a minus sign) or ``0``.

    Examples:
        >>> _signed(3), _signed(-2), _signed(0)
        ('+3', '−2', '0')
    """
    return f"+{n:,}" if n > 0 else f"−{-n:,}" if n < 0 else "0"


def _due(moment: datetime) -> str:
    """A due time in UTC (a naive time is taken as UTC already).

    Examples:
        >>> from datetime import timedelta, timezone
        >>> _due(datetime(2026, 12, 1, 9, 30, tzinfo=timezone(timedelta(hours=2))))
        '2026-12-01 07:30 UTC'
    """
    return _utc(moment).strftime("%Y-%m-%d %H:%M UTC")


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _ordered(keys: Iterable[str], known: Sequence[str]) -> list[str]:
    """``keys`` once each: the ``known`` ones first in that order (names compared in upper case), then the
    others in the order they came.

    Examples:
        >>> _ordered(["red", "new", "GREEN", "red"], _BAND_ORDER)
        ['GREEN', 'red', 'new']
    """
    unique = list(dict.fromkeys(keys))
    rank = {name: i for i, name in enumerate(known)}
    return sorted(unique, key=lambda key: rank.get(str(key).upper(), len(known)))


def _band_color(band: str) -> str:
    return _BAND_COLORS.get(str(band).upper(), _NEUTRAL)


def _colors(keys: Sequence[str], fixed: Mapping[str, str]) -> dict[str, str]:
    """A colour per key: ``fixed`` ones by upper-case name, the others from the palette in turn."""
    out: dict[str, str] = {}
    free = 0
    for key in keys:
        color = fixed.get(str(key).upper())
        if color is None:
            color, free = _PALETTE[free % len(_PALETTE)], free + 1
        out[key] = color
    return out


def _swatch(color: str) -> str:
    return f'<span class="swatch" style="background:{color}"></span>'


def _table(head: Sequence[str], rows: Iterable[str], foot: str = "") -> str:
    """A table; ``head`` are header cells (markup), ``rows`` are ``<tr>`` lines, ``foot`` a ``<tr>`` or empty."""
    cells = "".join(head)
    parts = ['<div class="wrap"><table>', f"<thead><tr>{cells}</tr></thead>", "<tbody>", *rows, "</tbody>"]
    if foot:
        parts.append(f"<tfoot>{foot}</tfoot>")
    parts.append("</table></div>")
    return "\n".join(parts)


def _p(text: str, css: str = "") -> str:
    """A paragraph of markup (already escaped)."""
    return f'<p class="{css}">{text}</p>' if css else f"<p>{text}</p>"


# --- charts --------------------------------------------------------------------------------------------------

_LABEL_CHARS: Final = 28
_CHAR_WIDTH: Final = 8
_PLOT_WIDTH: Final = 420
_ROW_HEIGHT: Final = 26


def _clip(text: str, limit: int = _LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _chart(rows: Sequence[tuple[str, Sequence[tuple[float, str]], str]], *, title: str) -> str:
    """Horizontal bars as ``<svg>`` text: per row ``(label, segments (value, colour) stacked, value text)``.

    Bars share one scale (the largest row total fills the plot); negative and non-finite values draw nothing.
    """
    labels = [_clip(str(label)) for label, _, _ in rows]
    label_w = 20 + _CHAR_WIDTH * max((len(label) for label in labels), default=0)
    value_w = 16 + _CHAR_WIDTH * max((len(text) for _, _, text in rows), default=0)
    width, height = label_w + _PLOT_WIDTH + value_w, _ROW_HEIGHT * len(rows) + 8
    drawn = [[value if math.isfinite(value) and value > 0 else 0.0 for value, _ in segments] for _, segments, _ in rows]
    top = max((sum(values) for values in drawn), default=0.0)
    scale = _PLOT_WIDTH / top if top > 0 else 0.0
    out = [
        f'<svg class="chart" role="img" aria-label="{_e(title)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">',
        f"<title>{_e(title)}</title>",
    ]
    for i, ((_, segments, text), label, values) in enumerate(zip(rows, labels, drawn, strict=True)):
        y = 4 + i * _ROW_HEIGHT
        out.append(f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end">{_e(label)}</text>')
        x = float(label_w)
        for value, (_, color) in zip(values, segments, strict=True):
            if value > 0:
                bar = max(value * scale, 1.0)
                out.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{bar:.1f}" height="{_ROW_HEIGHT - 8}" '
                           f'fill="{_e(color)}"/>')
                x += bar
        out.append(f'<text x="{x + 6:.1f}" y="{y + 17}">{_e(text)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _bars(items: Sequence[tuple[str, float]], *, title: str = "", colors: Mapping[str, str] | None = None,
          fmt: Callable[[float], str] = _number) -> str:
    """A horizontal bar chart of ``(label, value)`` as ``<svg>`` text, labels and values as text elements.

    Examples:
        >>> svg = _bars([("GREEN", 12), ("<RED>", 3)], title="bands", colors={"GREEN": "#2E7D32"})
        >>> svg.startswith("<svg"), "&lt;RED&gt;</text>" in svg, ">12</text>" in svg, 'fill="#2E7D32"' in svg
        (True, True, True, True)
    """
    palette = colors or {}
    return _chart([(label, [(value, palette.get(label, _NEUTRAL))], fmt(value)) for label, value in items],
                  title=title)


def _legend(colors: Mapping[str, str]) -> str:
    spans = "".join(f"<span>{_swatch(color)}{_e(name)}</span>" for name, color in colors.items())
    return f'<p class="legend">{spans}</p>'


# --- the sections --------------------------------------------------------------------------------------------


def _section(sid: str, *parts: str) -> str:
    return "\n".join([f'<section id="{sid}">', f"<h2>{_SECTIONS[sid]}</h2>", *parts, "</section>"])


def _summary(data: ReportData) -> str:
    keys = _ordered(data.counts, tuple(_COUNT_LABELS))
    tiles = "\n".join(
        f'<div class="tile"><dt>{_e(_COUNT_LABELS.get(key, str(key).replace("_", " ")))}</dt>'
        f"<dd>{_int(data.counts[key])}</dd></div>"
        for key in keys
    )
    tiles += "".join(f'\n<div class="tile"><dt>{_e(label)}</dt><dd>{_e(value)}</dd></div>'
                     for label, value in data.kpis)
    if data.previous_as_of is not None:
        since = f"Changes are since the last run on {data.previous_as_of.isoformat()}."
    else:
        since = "This is the first run: there is no earlier run to compare with."
    parts = [_p(f"As of {data.as_of.isoformat()}. {since}")]
    parts.append(f'<dl class="tiles">\n{tiles}\n</dl>' if tiles else _p("No counts were given.", "muted"))
    return _section("summary", *parts)


def _distribution(
    sid: str,
    noun: str,
    today: Mapping[str, int],
    before: Mapping[str, int] | None,
    data: ReportData,
    *,
    known: Sequence[str],
    colors: Mapping[str, str],
) -> str:
    """A chart and a table of accounts per key today, with the change since the previous run."""
    keys = _ordered([*today, *(before or {})], known)
    chart = _bars([(key, float(today.get(key, 0))) for key in keys], title=f"accounts by {noun}", colors=colors)
    last = data.previous_as_of
    since = f"change since {last.isoformat()}" if last is not None else "change since last run"
    head = [f"<th>{noun}</th>", '<th class="num">accounts</th>', f'<th class="num">{since}</th>']

    def change(key: str | None) -> str:
        if before is None:
            return "new"
        if key is None:
            return _signed(sum(today.values()) - sum(before.values()))
        return _signed(today.get(key, 0) - before.get(key, 0))

    rows = [
        f"<tr><td>{_swatch(colors.get(key, _NEUTRAL))}{_e(key)}</td><td class=\"num\">{_int(today.get(key, 0))}</td>"
        f'<td class="num">{change(key)}</td></tr>'
        for key in keys
    ]
    foot = f'<tr><td>total</td><td class="num">{_int(sum(today.values()))}</td><td class="num">{change(None)}</td></tr>'
    return _section(sid, chart, _table(head, rows, foot))


def _health(data: ReportData) -> str:
    if not data.bands and not data.bands_before:
        return _section("health", _p("No health bands were given.", "muted"))
    colors = {band: _band_color(band) for band in [*data.bands, *(data.bands_before or {})]}
    return _distribution("health", "band", data.bands, data.bands_before, data, known=_BAND_ORDER, colors=colors)


def _stages(data: ReportData) -> str:
    if not data.stages:
        return _section("stages", _p("No journey events were given, so no account has a stage.", "muted"))
    keys = _ordered([*data.stages, *(data.stages_before or {})], _STAGE_ORDER)
    colors = _colors(keys, {})
    return _distribution("stages", "stage", data.stages, data.stages_before, data, known=_STAGE_ORDER, colors=colors)


def _touch(data: ReportData) -> str:
    if not data.touch:
        return _section("touch", _p("No touch models were given.", "muted"))
    colors = _colors(list(data.touch), {})
    chart = _bars([(model, float(n)) for model, n in data.touch.items()], title="accounts by touch model",
                  colors=colors)
    total = sum(data.touch.values())
    rows = [
        f'<tr><td>{_swatch(colors[model])}{_e(model)}</td><td class="num">{_int(n)}</td>'
        f'<td class="num">{n / total * 100 if total else 0.0:.1f}%</td></tr>'
        for model, n in data.touch.items()
    ]
    foot = f'<tr><td>total</td><td class="num">{_int(total)}</td><td class="num"></td></tr>'
    head = ["<th>touch model</th>", '<th class="num">accounts</th>', '<th class="num">share</th>']
    return _section("touch", chart, _table(head, rows, foot))


def _renewals(data: ReportData) -> str:
    if not data.renewals:
        return _section("renewals", _p("No renewals were given.", "muted"))
    cells: dict[tuple[str, str], tuple[int, float]] = {}
    for month, category, accounts, arr in data.renewals:
        n, before = cells.get((month, category), (0, 0.0))
        cells[month, category] = (n + accounts, before + arr)
    months = sorted({month for month, _ in cells})
    categories = _ordered([category for _, category in cells], _FORECAST_ORDER)
    colors = _colors(categories, _FORECAST_COLORS)

    def total(found: Iterable[tuple[int, float]]) -> tuple[int, float]:
        listed = list(found)
        return sum(n for n, _ in listed), sum(arr for _, arr in listed)

    def pair(n: int, arr: float) -> str:
        return f'<td class="num">{_int(n)}</td><td class="num">{_money(arr)}</td>'

    empty = '<td class="num muted">–</td><td class="num muted">–</td>'
    per_month = {month: total(cells[month, c] for c in categories if (month, c) in cells) for month in months}
    rows = [
        f"<tr><td>{_e(month)}</td>"
        f"{''.join(pair(*cells[month, c]) if (month, c) in cells else empty for c in categories)}"
        f"{pair(*per_month[month])}</tr>"
        for month in months
    ]
    by_category = "".join(pair(*total(v for (_, c), v in cells.items() if c == category)) for category in categories)
    foot = f"<tr><td>total</td>{by_category}{pair(*total(cells.values()))}</tr>"
    top = "".join(f'<th colspan="2">{_swatch(colors[c])}{_e(c)}</th>' for c in categories)
    sub = '<th class="num">accounts</th><th class="num">ARR</th>' * (len(categories) + 1)
    head = f'<th rowspan="2">month</th>{top}<th colspan="2">total</th></tr><tr>{sub}'
    chart = _chart(
        [(month, [(cells.get((month, c), (0, 0.0))[1], colors[c]) for c in categories], _money(per_month[month][1]))
         for month in months],
        title="ARR renewing by month and forecast category",
    )
    return _section("renewals", chart, _legend(colors), _table([head], rows, foot))


def _at_risk(data: ReportData) -> str:
    if not data.at_risk:
        return _section("at-risk", _p("No renewal is at risk.", "muted"))
    ordered = sorted(data.at_risk, key=lambda r: (r[1], -r[2], str(r[0])))
    head = ["<th>account</th>", '<th class="num">days to renewal</th>', '<th class="num">ACV</th>', "<th>band</th>",
            "<th>forecast</th>", "<th>reasons</th>"]
    rows = [
        f'<tr><td>{_e(account)}</td><td class="num">{_int(days)}</td><td class="num">{_money(acv)}</td>'
        f"<td>{_swatch(_band_color(band))}{_e(band)}</td><td>{_e(forecast)}</td><td>{_e(reasons)}</td></tr>"
        for account, days, acv, band, forecast, reasons in ordered
    ]
    intro = _p(f"{_int(len(ordered))} renewal{'s' if len(ordered) != 1 else ''} at risk, soonest first.")
    return _section("at-risk", intro, _table(head, rows))


_HELD: Final = ' class="held"'


def _queue(data: ReportData) -> str:
    if not data.queue:
        return _section("queue", _p("No alert is due.", "muted"))
    by_owner: dict[str, list[_Alert]] = {}
    for alert in data.queue:
        by_owner.setdefault(alert[0], []).append(alert)
    held = sum(1 for alert in data.queue if alert[6] is not None)
    owners = sorted(by_owner, key=lambda owner: (owner == "", str(owner).casefold(), str(owner)))
    parts = [_p(f"{_int(len(data.queue))} alert{'s' if len(data.queue) != 1 else ''} for {_int(len(owners))} "
                f"owner{'s' if len(owners) != 1 else ''}, {_int(held)} held back; each owner's by due time.")]
    head = ["<th>due</th>", "<th>priority</th>", "<th>account</th>", "<th>rule</th>", "<th>rule name</th>",
            "<th>status</th>"]
    for owner in owners:
        alerts = sorted(by_owner[owner], key=lambda a: (_utc(a[5]), str(a[4]), str(a[1]), str(a[2])))
        rows = [
            f'<tr{_HELD if reason is not None else ""}><td class="num">{_due(due)}</td>'
            f"<td>{_e(priority)}</td><td>{_e(account)}</td><td>{_e(rule_id)}</td><td>{_e(rule_name)}</td>"
            f"<td>{'held back: ' + _e(reason) if reason is not None else ''}</td></tr>"
            for _, account, rule_id, rule_name, priority, due, reason in alerts
        ]
        name = _e(owner) if owner else "no owner"
        parts.append(f"<h3>{name} <span class=\"muted\">({_int(len(alerts))})</span></h3>")
        parts.append(_table(head, rows))
    return _section("queue", *parts)


def _errors(data: ReportData) -> str:
    total = max(data.errors_total, len(data.errors))
    if total == 0:
        return _section("errors", _p("No rows were rejected.", "muted"))
    listed = data.errors[:ERRORS_LISTED]
    more = total - len(listed)
    noun = "row was" if total == 1 else "rows were"
    text = f"{_int(total)} {noun} rejected."
    if listed and more:
        text += f" The first {_int(len(listed))} are listed; {_int(more)} more are not."
    elif more:
        text += " None is listed here."
    parts = [_p(text)]
    if listed:
        head = ["<th>where</th>", "<th>account</th>", "<th>column</th>", "<th>value</th>", "<th>reason</th>"]
        rows = [
            f"<tr><td>{_e(source)}{'' if line is None else ':' + str(line)}</td><td>{_e(account or '')}</td>"
            f"<td>{_e(column or '')}</td><td>{_e(value or '')}</td><td>{_e(reason)}</td></tr>"
            for source, line, account, column, value, reason in listed
        ]
        parts.append(_table(head, rows))
    return _section("errors", *parts)


_PROLOG: Final = re.compile(r"\A\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE[^>]*>\s*)?", re.S | re.I)
"""What a standalone SVG file starts with and an inline ``<svg>`` must not (the XML declaration, DOCTYPE)."""


def _plots(data: ReportData) -> str:
    parts = []
    for title, svg in data.plots:
        body = _PROLOG.sub("", svg, count=1).strip()
        lowered = body.lower()
        if not lowered.startswith("<svg") or not lowered.endswith("</svg>") or "<script" in lowered:
            body = _p("This plot is not an inline SVG without scripts, so it is not shown.", "muted")
        parts.append(f"<figure>\n<figcaption>{_e(title)}</figcaption>\n{body}\n</figure>")
    return _section("plots", *parts)


def render_report(data: ReportData) -> str:
    """The nightly report as one self-contained HTML5 document.

    Sections, in order: ``summary`` (the count tiles), ``health``, ``stages`` and ``touch`` (accounts per band,
    stage and touch model, with the change since the last run), ``renewals`` (accounts and ARR by month and
    forecast category), ``at-risk`` (soonest first, with reasons), ``queue`` (alerts by owner, by due time),
    ``errors`` (the first 200 rejected rows, and how many more) and ``plots`` (only when there are plots).

    Args:
        data: what to show.

    Returns:
        The page: no scripts, nothing fetched, every text from ``data`` escaped, the same for the same data.

    Examples:
        >>> data = ReportData(
        ...     title="postsale run — 2026-11-30", as_of=date(2026, 11, 30), previous_as_of=date(2026, 11, 29),
        ...     counts={"read": 1200, "rejected": 2}, bands={"GREEN": 80, "RED": 5},
        ...     bands_before={"GREEN": 77, "RED": 7}, stages={}, stages_before=None, touch={"high": 12},
        ...     renewals=[("2026-12", "COMMIT", 3, 1234567.0)], at_risk=[], queue=[], errors=[], errors_total=0,
        ... )
        >>> page = render_report(data)
        >>> page.startswith("<!DOCTYPE html>"), "since the last run on 2026-11-29" in page, "$1,234,567" in page
        (True, True, True)
        >>> print("\\n".join(line for line in page.splitlines() if line.startswith("<tr><td><span")
        ...                  and "RED" in line))
        <tr><td><span class="swatch" style="background:#C62828"></span>RED</td><td class="num">5</td><td
          class="num">−2</td></tr>
    """
    sections = [_summary(data), _health(data), _stages(data), _touch(data), _renewals(data), _at_risk(data),
                _queue(data), _errors(data)]
    shown = [sid for sid in _SECTIONS if sid != "plots" or data.plots]
    if data.plots:
        sections.append(_plots(data))
    nav = " ".join(f'<a href="#{sid}">{_SECTIONS[sid]}</a>' for sid in shown)
    title = _e(data.title)
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        f"<style>\n{_STYLE}</style>",
        "</head>",
        "<body>",
        f"<header>\n<h1>{title}</h1>\n<nav>{nav}</nav>\n</header>",
        "<main>",
        *sections,
        "</main>",
        "</body>",
        "</html>",
        "",
    ])
