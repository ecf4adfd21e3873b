"""Cards for notebooks: a few postsale values drawn as cards a customer-success lead reads at a glance.

:func:`card` returns the HTML of a card for an account review, a health score, a journey, or a list of alerts,
and ``None`` for any other value (the generic table of :mod:`postsale.adapters.display` shows those). The cards
speak the nightly report's visual language: the same GREEN / YELLOW / RED colours, fonts and tiles, and charts
drawn here as inline SVG. A card needs nothing else: no JavaScript, no network, no external style sheet (one
``<style>`` block whose rules all start with ``.ps-card``). Every text is escaped with :func:`html.escape`, and
the same value always gives the same card, byte for byte.

A card is one ``<table class="ps-card">`` whose caption names the value's class, like the generic table, and it
ends with two folds: the value's own explanation in words, and its attributes by name (to reach the raw values).
"""

from __future__ import annotations

import enum
import html
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Final

from postsale._vocabulary import HealthBand, TouchModel
from postsale.adapters._palette import BLUE, GREEN, NEUTRAL, RED, YELLOW
from postsale.health import HealthScore
from postsale.journey import Journey, TransitionKind
from postsale.renewal import ForecastCategory, RenewalState
from postsale.review import AccountReview
from postsale.triggers import Alert, Priority

__all__ = ["card"]

_GREEN, _YELLOW, _RED, _BLUE, _NEUTRAL = GREEN, YELLOW, RED, BLUE, NEUTRAL
_BAND: Final = {HealthBand.GREEN: _GREEN, HealthBand.YELLOW: _YELLOW, HealthBand.RED: _RED}
_FORECAST: Final = {ForecastCategory.COMMIT: _GREEN, ForecastCategory.LIKELY: _BLUE, ForecastCategory.AT_RISK: _RED}
_KIND: Final = {TransitionKind.ENTRY: "#00838F", TransitionKind.FORWARD: _GREEN, TransitionKind.SKIP: _BLUE,
                TransitionKind.REGRESSION: _RED, TransitionKind.CYCLE: "#6A1B9A", TransitionKind.EXIT: "#455A64"}
_PRIORITY: Final = {Priority.URGENT: _RED, Priority.HIGH: "#EF6C00", Priority.NORMAL: _BLUE, Priority.LOW: _NEUTRAL}
_STATE: Final = {RenewalState.CONFIRMED: _GREEN, RenewalState.ON_TRACK: _GREEN, RenewalState.OVERDUE: _YELLOW,
                 RenewalState.LATE_START: _YELLOW, RenewalState.DANGER_ZONE: _RED, RenewalState.LAPSED: _RED}
_TIMING: Final = {"ON_TRACK": _GREEN, "BEHIND": _YELLOW, "STUCK": _RED}
_MODEL_WORDS: Final = {TouchModel.HIGH: "high-touch", TouchModel.LOW: "low-touch", TouchModel.TECH: "tech-touch",
                       TouchModel.HYBRID: "hybrid"}
_SLA_WORDS: Final = {"same_day": "same day", "24h": "within 24 hours", "48h": "within 48 hours",
                     "3d": "within 3 days", "few_days": "within a few days", "week": "within a week",
                     "week_5": "in week 5 after the contract start"}
_ACRONYMS: Final = frozenset({"nps", "csat", "acv", "arr", "qbr", "roi", "csm", "sla"})
_INK: Final = "#1f2328"

_SHOWN: Final = {"alerts": 6, "held": 4, "touches": 5, "notes": 4, "stages": 4, "events": 10, "rows": 200,
                 "sentences": 20}
"""How many items of each list a card shows before "… N more"."""

_STYLE: Final = (
    "table.ps-card{border-collapse:separate;border-spacing:0;border:1px solid #d0d7de;border-radius:6px;"
    "background:#fff;color:#1f2328;margin:.5rem 0;table-layout:auto;max-width:58rem;text-align:left;"
    'font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}'
    "table.ps-card>caption{caption-side:top;text-align:left;font-size:.75rem;color:#59636e;padding:0 0 .2rem}"
    "table.ps-card td,table.ps-card th{text-align:left;vertical-align:top;border:0;padding:.2rem .5rem;"
    "line-height:1.45;white-space:normal}"
    "table.ps-card>tbody>tr>td{padding:.8rem 1rem}"
    "table.ps-card tbody tr,table.ps-card tbody tr:hover,table.ps-card tbody tr:nth-child(odd){background:none}"
    ".ps-card .ps-head{font-size:1.05rem;margin-bottom:.6rem}.ps-card .ps-head b{font-size:1.3rem}"
    ".ps-card .ps-tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:.75rem}"
    ".ps-card .ps-tile{border:1px solid #d0d7de;border-radius:6px;padding:.6rem .8rem;background:#f6f8fa}"
    ".ps-card .ps-wide{margin-top:.9rem}"
    ".ps-card .ps-h{font-size:.85rem;color:#59636e;font-weight:600;margin:0 0 .3rem}"
    ".ps-card .ps-big{font-size:1.6rem;font-weight:600;font-variant-numeric:tabular-nums;line-height:1.2}"
    ".ps-card .ps-muted{color:#59636e}.ps-card .ps-small{font-size:.85rem}"
    ".ps-card .ps-chip{display:inline-block;padding:0 .5em;border-radius:999px;font-size:.8rem;font-weight:600;"
    "print-color-adjust:exact;-webkit-print-color-adjust:exact}"
    ".ps-card .ps-swatch{display:inline-block;width:.75em;height:.75em;border-radius:2px;margin-right:.4em;"
    "print-color-adjust:exact;-webkit-print-color-adjust:exact}"
    ".ps-card ul{margin:.2rem 0;padding-left:1.2em}"
    "table.ps-card table.ps-t{border-collapse:collapse;margin:.3rem 0;font-size:.85rem;width:auto}"
    "table.ps-card table.ps-t th{background:#f6f8fa;font-weight:600;border-bottom:1px solid #d0d7de}"
    "table.ps-card table.ps-t td{border-bottom:1px solid #d0d7de}"
    "table.ps-card .ps-num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
    ".ps-card svg.ps-svg{display:block;max-width:100%;height:auto;margin:.3rem 0}"
    '.ps-card svg.ps-svg text{font:12px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;fill:#1f2328}'
    ".ps-card details{margin-top:.6rem}.ps-card summary{cursor:pointer;color:#59636e;font-size:.85rem}"
)


# --- small text helpers --------------------------------------------------------------------------------------


def _e(text: object) -> str:
    """``text`` escaped for HTML content and quoted attributes."""
    return html.escape(str(text), quote=True)


def _words(name: str) -> str:
    """A name as words: ``"product_usage"`` → ``"Product usage"``, ``"nps"`` → ``"NPS"``."""
    words = [w.upper() if w in _ACRONYMS else w for w in name.replace("_", " ").lower().split(" ")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _lower(member: enum.Enum) -> str:
    """An enum member in words: ``LATE_START`` → ``"late start"``."""
    return member.name.replace("_", " ").lower()


def _plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _pts(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def _money(amount: Decimal) -> str:
    return f"${amount:,.0f}" if amount.is_finite() else str(amount)


def _due_key(moment: datetime) -> datetime:
    """A moment in UTC (a naive moment is taken as UTC already)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _utc(moment: datetime) -> str:
    return _due_key(moment).strftime("%Y-%m-%d %H:%M UTC")


def _chip(text: str, color: str) -> str:
    ink = _INK if color == _YELLOW else "#fff"
    return f'<span class="ps-chip" style="background:{color};color:{ink}">{_e(text)}</span>'


def _swatch(color: str) -> str:
    return f'<span class="ps-swatch" style="background:{color}"></span>'


def _more(shown: int, total: int) -> str:
    return f'<div class="ps-muted ps-small">… {total - shown:,} more</div>' if total > shown else ""


def _section(title: str, body: str, css: str = "ps-tile") -> str:
    return f'<section class="{css}"><div class="ps-h">{_e(title)}</div>{body}</section>'


def _table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A small table: ``head`` as escaped header texts, ``rows`` of cells already in markup."""
    header = "".join(f"<th>{_e(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f'<table class="ps-t"><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>'


def _brief(value: object) -> str:
    """One short line for an attribute's value (not escaped)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, (int, Decimal, float)):
        return f"{value:.4g}" if isinstance(value, float) else f"{value:,}"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return value if len(value) <= 60 else value[:59] + "…"
    if isinstance(value, Mapping):
        return f"{len(value):,} {'entry' if len(value) == 1 else 'entries'}"
    if isinstance(value, (tuple, list, set, frozenset)):
        kinds = {type(item).__name__ for item in value}
        return "(none)" if not value else f"{len(value):,} × {kinds.pop() if len(kinds) == 1 else 'values'}"
    return type(value).__name__


def _folds(value: object, sentences: Sequence[str]) -> str:
    """The card's two folds: the explanation in words, and the attributes by name."""
    parts = []
    if sentences:
        items = "".join(f"<li>{_e(s)}</li>" for s in sentences[: _SHOWN["sentences"]])
        more = _more(_SHOWN["sentences"], len(sentences))
        parts.append(f'<details><summary>In words</summary><ul class="ps-small">{items}</ul>{more}</details>')
    names = [a.name for a in getattr(type(value), "__attrs_attrs__", ()) if not a.name.startswith("_")]
    if names:
        rows = "".join(f"<tr><th>{_e(n)}</th><td>{_e(_brief(getattr(value, n)))}</td></tr>" for n in names)
        parts.append(f'<details><summary>Attributes</summary><table class="ps-t"><tbody>{rows}</tbody></table>'
                     "</details>")
    return "".join(parts)


def _wrap(caption: str, body: str) -> str:
    return (f'<table class="ps-card"><caption>{_e(caption)}</caption><tbody><tr><td>'
            f"<style>{_STYLE}</style>{body}</td></tr></tbody></table>")


# --- charts --------------------------------------------------------------------------------------------------


def _svg(width: int, height: int, label: str, body: str) -> str:
    return (f'<svg class="ps-svg" role="img" aria-label="{_e(label)}" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}"><title>{_e(label)}</title>{body}</svg>')


def _gauge(value: float, band: HealthBand) -> str:
    """A half-circle gauge of a 0-100 score in its band's colour, the score and band written inside."""
    color = _BAND.get(band, _NEUTRAL)
    share = min(max(value / 100.0, 0.0), 1.0) if math.isfinite(value) else 0.0
    x, y = 90 - 72 * math.cos(math.pi * share), 90 - 72 * math.sin(math.pi * share)
    arc = (f'<path d="M18 90A72 72 0 0 1 {x:.1f} {y:.1f}" fill="none" stroke="{color}" stroke-width="14"/>'
           if share > 0 else "")
    body = (f'<path d="M18 90A72 72 0 0 1 162 90" fill="none" stroke="#d0d7de" stroke-width="14"/>{arc}'
            f'<text x="90" y="82" text-anchor="middle" style="font-size:26px;font-weight:600">{value:.1f}</text>'
            f'<text x="90" y="106" text-anchor="middle">{_e(band.name)}</text>')
    return _svg(180, 112, f"health {value:.1f} of 100, {band.name}", body)


def _bars(rows: Sequence[tuple[str, float, str, str]], title: str) -> str:
    """Horizontal bars on a 0-100 scale: per row ``(label, value, colour, text after the bar)``."""
    label_w = 16 + 7 * max((len(label) for label, *_ in rows), default=0)
    text_w = 12 + 7 * max((len(text) for *_, text in rows), default=0)
    width, height = label_w + 300 + text_w, 26 * len(rows) + 6
    out = []
    for i, (label, value, color, text) in enumerate(rows):
        y = 3 + 26 * i
        bar = 3.0 * min(max(value, 0.0), 100.0) if math.isfinite(value) else 0.0
        out.append(f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end">{_e(label)}</text>'
                   f'<rect x="{label_w}" y="{y + 4}" width="300" height="18" fill="#eef1f4"/>'
                   f'<rect x="{label_w}" y="{y + 4}" width="{bar:.1f}" height="18" fill="{color}"/>'
                   f'<text x="{label_w + 308}" y="{y + 17}">{_e(text)}</text>')
    return _svg(width, height, title, "".join(out))


# --- the account review --------------------------------------------------------------------------------------


def _drivers(score: HealthScore) -> str:
    """The components with the highest points (up) and the lowest (down), with their weight."""
    scored = sorted((c for c in score.components if c.points is not None), key=lambda c: (-(c.points or 0), c.name))
    k = max(min(2, len(scored) // 2), 1 if scored else 0)
    ups, downs = scored[:k], list(reversed(scored[k:]))[:k]
    lines = [f'<div>{mark} {_e(_words(c.name))} <b>{_pts(c.points or 0)}</b> pts '
             f'<span class="ps-muted">· weight {c.weight:.0%}</span></div>'
             for mark, group in (("<span style=\"color:#2E7D32\">▲</span>", ups),
                                 ("<span style=\"color:#C62828\">▼</span>", downs)) for c in group]
    key = '<div class="ps-muted">▲ most points · ▼ fewest</div>' if lines else ""
    return f'<div class="ps-small">{"".join(lines)}{key}</div>'


def _score_notes(score: HealthScore) -> list[str]:
    notes = []
    if score.overridden:
        notes.append(f"The CSM's assessment; computed from the data: {score.computed_value:.1f} "
                     f"({score.computed_band.name}).")
    if score.forced_red_by:
        notes.append(f"Forced to RED by {', '.join(_words(n) for n in score.forced_red_by)}.")
    if score.coverage < 1:
        notes.append(f"Data covered {score.coverage:.0%} of the model's weight.")
    if score.pulse is not None:
        used = "" if score.pulse_status is None else f", {_lower(score.pulse_status)}"
        notes.append(f"CSM pulse {_pts(score.pulse.points)} by {score.pulse.author} on "
                     f"{score.pulse.assessed_on.isoformat()}{used}: {score.pulse.reason}")
    return notes


def _health_tile(score: HealthScore) -> str:
    notes = "".join(f'<div class="ps-muted ps-small">{_e(n)}</div>' for n in _score_notes(score))
    return _section("Health", _gauge(score.value, score.band) + _drivers(score) + notes)


def _countdown(days: int, on: date) -> str:
    if days > 0:
        return f"{_plural(days, 'day')} to the renewal on {on.isoformat()}"
    if days == 0:
        return f"The renewal is today, {on.isoformat()}"
    return f"The renewal on {on.isoformat()} was {_plural(-days, 'day')} ago"


def _runway(review: AccountReview) -> str:
    """The runway as a bar: its start to the renewal, the danger zone in red, today and the next milestone."""
    status = review.renewal
    if status is None or status.runway_start is None or status.runway_start >= status.renewal_date:
        return ""
    lo, hi = min(status.runway_start, status.as_of), max(status.renewal_date, status.as_of)
    span = max((hi - lo).days, 1)

    def x(day: date) -> float:
        return 8 + 264 * (day - lo).days / span

    start, end = x(status.runway_start), x(status.renewal_date)
    danger = max(status.danger_zone_start, status.runway_start)
    parts = [f'<rect x="{start:.1f}" y="12" width="{end - start:.1f}" height="8" fill="#d0d7de"/>',
             f'<rect x="{x(danger):.1f}" y="12" width="{max(end - x(danger), 0):.1f}" height="8" '
             'fill="#C62828" fill-opacity="0.45"/>']
    if status.next_milestone is not None and lo <= status.next_milestone.due <= hi:
        parts.append(f'<circle cx="{x(status.next_milestone.due):.1f}" cy="16" r="5" fill="#1565C0"/>')
    today = x(status.as_of)
    anchor = "start" if today < 40 else "end" if today > 240 else "middle"
    parts.append(f'<line x1="{today:.1f}" y1="6" x2="{today:.1f}" y2="26" stroke="{_INK}" stroke-width="2"/>'
                 f'<text x="{today:.1f}" y="40" text-anchor="{anchor}">today</text>')
    label = (f"runway from {status.runway_start.isoformat()} to {status.renewal_date.isoformat()}, "
             f"danger zone from {status.danger_zone_start.isoformat()}")
    return _svg(280, 44, label, "".join(parts)) + f'<div class="ps-muted ps-small">{_e(label)}</div>'


def _renewal_tile(review: AccountReview) -> str:
    status = review.renewal
    if status is None:
        return _section("Renewal", '<div class="ps-muted">No renewal date is known.</div>')
    days = status.days_to_renewal
    big = f'<div class="ps-big">{_e(_plural(abs(days), "day"))}</div>' if days > 0 else ""
    parts = [big, f"<div>{_e(_countdown(days, status.renewal_date))}</div>",
             f"<div>{_chip(status.state.label, _STATE.get(status.state, _NEUTRAL))}</div>"]
    nxt = status.next_milestone
    if nxt is not None:
        when = "" if status.days_to_next is None else (
            " (today)" if status.days_to_next == 0 else f" (in {_plural(status.days_to_next, 'day')})")
        what = f": {nxt.description}" if nxt.description else ""
        parts.append(f'<div class="ps-small">Next: <b>{_e(_words(nxt.name))}</b>{_e(what)}, due '
                     f"{_e(nxt.due.isoformat())}{_e(when)}</div>")
    for late in status.overdue[:3]:
        parts.append(f'<div class="ps-small" style="color:#C62828">Overdue: {_e(_words(late.name))}, due '
                     f"{_e(late.due.isoformat())}</div>")
    if status.notice_last_day is not None:
        parts.append(f'<div class="ps-small">Last day to give notice: {_e(status.notice_last_day.isoformat())}</div>')
    return _section("Renewal", "".join(parts) + _runway(review))


def _forecast_tile(review: AccountReview) -> str:
    forecast = review.forecast
    if forecast is None:
        return _section("Forecast", '<div class="ps-muted">No forecast.</div>')
    category = forecast.category
    parts = [f'<div>{_chip(_lower(category), _FORECAST.get(category, _NEUTRAL))} '
             f'<span class="ps-muted ps-small">risk {_e(_lower(forecast.risk))}</span></div>']
    if forecast.reasons:
        parts.append(f'<div class="ps-small">{_e(forecast.reasons[0][:1].upper() + forecast.reasons[0][1:])}.</div>')
    if len(forecast.reasons) > 1:
        items = "".join(f"<li>{_e(r)}</li>" for r in forecast.reasons[1:])
        parts.append(f'<div class="ps-small ps-muted">Evidence:</div><ul class="ps-small">{items}</ul>')
    if forecast.csm_call is not None:
        differs = ", which differs from the computed call" if forecast.disagrees else ""
        parts.append(f'<div class="ps-small">CSM\'s call: {_e(_lower(forecast.csm_call))}{_e(differs)}</div>')
    return _section("Forecast", "".join(parts))


def _touch_tile(review: AccountReview) -> str:
    assessment = review.touch
    if assessment is None:
        return _section("Touch model", '<div class="ps-muted">No touch model.</div>')
    n = len(assessment.bands)
    word = _MODEL_WORDS.get(assessment.model, assessment.model.name)
    parts = [f'<div class="ps-big">{_e(word[:1].upper() + word[1:])}</div>',
             f'<div class="ps-small">Total <b>{assessment.total}</b> <span class="ps-muted">of {n}–{5 * n}</span>'
             f"{' · mixed profile' if assessment.mixed else ''}</div>",
             '<div class="ps-small ps-muted">' + _e(" · ".join(f"{_words(f.factor)} {f.points}"
                                                             for f in assessment.factors)) + "</div>"]
    for override in assessment.overrides:
        parts.append(f'<div class="ps-small">Override <b>{_e(_words(override.name))}</b>: '
                     f"{_e(_MODEL_WORDS.get(override.from_model, override.from_model.name))} → "
                     f"{_e(_MODEL_WORDS.get(override.to_model, override.to_model.name))}</div>"
                     f'<div class="ps-small ps-muted">{_e(override.reason)}</div>')
    return _section("Touch model", "".join(parts))


def _sla(alert: Alert) -> str:
    return _SLA_WORDS.get(str(alert.sla.value), _lower(alert.sla))


def _alert_rows(alerts: Sequence[Alert], *, account: bool) -> list[list[str]]:
    rows = []
    for a in sorted(alerts, key=lambda a: (_due_key(a.due), a.priority, a.rule_id, a.account_id)):
        why = "; ".join(dict.fromkeys(ev.note for ev in a.evidence if ev.note))  # each note once
        rule = f"<b>{_e(a.rule_id)}</b> {_e(a.rule_name)}" + (
            f'<div class="ps-muted">{_e(why[:140])}</div>' if why else "")
        held = "" if a.suppression is None else (f"held back: {_lower(a.suppression.reason)}: "
                                                 f"{a.suppression.detail}")
        row = [f'<span class="ps-num">{_e(_utc(a.due))}</span>', _chip(_lower(a.priority), _PRIORITY.get(
            a.priority, _NEUTRAL)), rule, _e(_sla(a)), _e(a.action.description)]
        who = [f'<span class="ps-num">{_e(a.account_id)}</span>'] if account else []
        rows.append(who + row + ([_e(held)] if account else []))
    return rows


def _alerts_section(review: AccountReview) -> str:
    alerts = review.alerts
    if not alerts:
        body = '<div class="ps-muted">No alert is due.</div>'
    else:
        shown = _SHOWN["alerts"]
        rows = _alert_rows(alerts, account=False)
        body = _table(["due (UTC)", "priority", "rule", "SLA", "action"], rows[:shown]) + _more(shown, len(rows))
    held = review.held_back
    if held:
        shown = _SHOWN["held"]
        items = "".join(
            f"<li><b>{_e(a.rule_id)}</b> {_e(a.rule_name)}: "
            + (_e(f"{_lower(a.suppression.reason)}, {a.suppression.detail}") if a.suppression else "held back")
            + "</li>" for a in sorted(held, key=lambda a: (_due_key(a.due), a.rule_id))[:shown])
        body += (f'<div class="ps-small ps-muted">Held back ({len(held)}):</div><ul class="ps-small">{items}</ul>'
                 + _more(shown, len(held)))
    return _section(f"Alerts due ({len(alerts)})", body, "ps-wide")


def _touches_section(review: AccountReview) -> str:
    touches = review.next_touches
    if not touches:
        return ""
    shown = _SHOWN["touches"]
    rows = [[f'<span class="ps-num">{_e(_utc(t.due_at))}</span>', _e(t.title),
             _e("—" if t.channel is None else _lower(t.channel)), _e(_lower(t.source))] for t in touches[:shown]]
    window = "" if review.agenda is None else f" to {review.agenda.window.end.isoformat()}"
    return _section(f"Next touches{window}", _table(["when (UTC)", "touch", "channel", "from"], rows)
                    + _more(shown, len(touches)), "ps-wide")


def _stages_line(review: AccountReview) -> str:
    shown = _SHOWN["stages"]
    items = [f"{_swatch(_TIMING.get(t.status.name, _NEUTRAL))}{_e(t.track)}: {_e(t.stage.label)} for "
             f"{_e(_plural(t.days_in_stage, 'day'))}, {_e(_lower(t.status))}" for t in review.stages[:shown]]
    notes = [f'<span class="ps-muted">{_e(n if len(n) <= 160 else n[:159] + "…")}</span>'
             for n in review.notes[: _SHOWN["notes"]]]
    lines = "".join(f"<div>{item}</div>" for item in items + notes)
    return _section("Journey", f'<div class="ps-small">{lines}</div>', "ps-wide") if lines else ""


def _review_card(review: AccountReview) -> str:
    who = f" · CSM {review.csm}" if review.csm else ""
    head = (f'<div class="ps-head"><b>{_e(review.account_id)}</b> <span class="ps-muted">· '
            f"{_e(_lower(review.segment))} · ACV {_e(_money(review.acv))} · as of {_e(review.as_of.isoformat())}"
            f"{_e(who)}</span></div>")
    health = (_health_tile(review.health) if review.health is not None
              else _section("Health", '<div class="ps-muted">No health score.</div>'))
    tiles = f'<div class="ps-tiles">{health}{_renewal_tile(review)}{_forecast_tile(review)}{_touch_tile(review)}</div>'
    body = head + tiles + _stages_line(review) + _alerts_section(review) + _touches_section(review)
    return _wrap(type(review).__name__, body + _folds(review, review.explain()))


# --- a health score ------------------------------------------------------------------------------------------


def _health_card(score: HealthScore) -> str:
    head = (f'<div class="ps-head"><b>{_e(score.account_id)}</b> <span class="ps-muted">· health on '
            f"{_e(score.as_of.isoformat())} · model {_e(score.model_name)} v{_e(score.model_version)}</span></div>")
    rows = []
    for c in score.components:
        if c.points is None:
            rows.append((_words(c.name), 0.0, _NEUTRAL, f"left out ({c.freshness.name.lower()})"))
        else:
            rows.append((_words(c.name), c.points, _BAND.get(c.band, _NEUTRAL) if c.band else _NEUTRAL,
                         f"{_pts(c.points)} pts · +{c.contribution:.1f} ({c.share:.0%} share)"))
    bars = _bars(rows, "component points (0-100) and their contribution to the score")
    notes = "".join(f'<div class="ps-muted ps-small">{_e(n)}</div>' for n in _score_notes(score))
    legend = ('<div class="ps-muted ps-small">Bars: points out of 100, coloured by band; '
              "after each bar its contribution to the score and its share.</div>")
    tiles = _section("Score", _gauge(score.value, score.band) + notes) + _section("Drivers", _drivers(score))
    body = (head + f'<div class="ps-tiles">{tiles}</div>'
            + _section("Components", bars + legend, "ps-wide"))
    return _wrap(type(score).__name__, body + _folds(score, score.explain()))


# --- a journey -----------------------------------------------------------------------------------------------


def _ticks(lo: date, hi: date) -> list[date]:
    """First days of months between ``lo`` and ``hi``, at most seven of them."""
    months = (hi.year - lo.year) * 12 + hi.month - lo.month
    step = max(1, math.ceil(months / 6))
    found: list[date] = []
    year, month = lo.year, lo.month
    while True:
        month += step
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        day = date(year, month, 1)
        if day > hi:
            return found
        found.append(day)


def _timeline(journey: Journey) -> str:
    """Each track a row, each move a dot coloured by its kind, the stage entered written above it."""
    events = journey.history
    tracks = list(dict.fromkeys(e.track for e in events))
    lo, hi = events[0].at, max(e.at for e in events)
    hi = max(hi, lo + timedelta(days=1))
    label_w = 16 + 7 * max(len(t[:22]) for t in tracks)
    width, plot = label_w + 600, 540
    height = 52 * len(tracks) + 30

    def x(day: date) -> float:
        return label_w + 10 + plot * (day - lo).days / (hi - lo).days

    out = []
    for tick in _ticks(lo, hi):
        out.append(f'<line x1="{x(tick):.1f}" y1="4" x2="{x(tick):.1f}" y2="{height - 22}" stroke="#eef1f4"/>'
                   f'<text x="{x(tick):.1f}" y="{height - 8}" text-anchor="middle">{tick:%Y-%m}</text>')
    titled = len(events) <= 300
    for row, track in enumerate(tracks):
        y = 26 + 52 * row
        mine = [e for e in events if e.track == track]
        end = mine[-1].at if mine[-1].kind is TransitionKind.EXIT else hi
        out.append(f'<text x="{label_w - 8}" y="{y + 4}" text-anchor="end">{_e(track[:22])}</text>'
                   f'<line x1="{x(mine[0].at):.1f}" y1="{y}" x2="{x(end):.1f}" y2="{y}" stroke="#d0d7de" '
                   'stroke-width="4"/>')
        free = [-1e9, -1e9]  # where the last stage name written above / below the line ends
        for e in mine:
            cx, color = x(e.at), _KIND.get(e.kind, _NEUTRAL)
            tip = f"<title>{_e(e.explain()[0])}</title>" if titled else ""
            out.append(f'<circle cx="{cx:.1f}" cy="{y}" r="6" fill="{color}">{tip}</circle>')
            name = "" if e.to_stage is None else e.to_stage.label
            for side, dy in enumerate((-10, 20)):
                if name and cx - 3.5 * len(name) >= free[side] + 4:
                    out.append(f'<text x="{cx:.1f}" y="{y + dy}" text-anchor="middle">{_e(name)}</text>')
                    free[side] = cx + 3.5 * len(name)
                    break
    label = f"journey of {journey.account_id}: {len(tracks)} tracks, {len(events)} events, moves coloured by kind"
    return _svg(width, height, label, "".join(out))


def _journey_card(journey: Journey) -> str:
    events = journey.history
    now = ", ".join(f"{name} in {t.stage.label} since {t.since.isoformat()}" for name, t in journey.tracks.items())
    head = (f'<div class="ps-head"><b>{_e(journey.account_id)}</b> <span class="ps-muted">· '
            f"{_e(_lower(journey.segment))} · {_e(_plural(len(events), 'event'))} since "
            f"{_e(journey.started_on.isoformat())}</span></div>"
            f'<div class="ps-small">Open tracks: {_e(now or "none")}</div>')
    legend = "".join(f'<span style="margin-right:1rem">{_swatch(c)}{_e(_lower(k))}</span>' for k, c in _KIND.items())
    shown = _SHOWN["events"]
    rows = [[f'<span class="ps-num">{_e(e.at.isoformat())}</span>', _e(e.track),
             _e(f"{e.from_stage.label if e.from_stage else '(new track)'} → "
                f"{e.to_stage.label if e.to_stage else '(closed)'}"),
             f"{_swatch(_KIND.get(e.kind, _NEUTRAL))}{_e(_lower(e.kind))}",
             _e(_lower(e.cause) + (f": {e.reason}" if e.reason else ""))] for e in reversed(events[-shown:])]
    more = len(events) - shown
    table = _table(["date", "track", "move", "kind", "why"], rows) + (
        f'<div class="ps-muted ps-small">{more:,} earlier events are not listed.</div>' if more > 0 else "")
    body = (head + _section("Timeline", _timeline(journey) + f'<div class="ps-small">{legend}</div>', "ps-wide")
            + _section("Latest moves", table, "ps-wide"))
    return _wrap(type(journey).__name__, body + _folds(journey, ()))


# --- a list of alerts ----------------------------------------------------------------------------------------


def _alerts_card(alerts: Sequence[Alert]) -> str:
    shown = _SHOWN["rows"]
    rows = _alert_rows(alerts, account=True)
    held = sum(1 for a in alerts if a.suppression is not None)
    accounts = len({a.account_id for a in alerts})
    head = (f'<div class="ps-head"><b>{_e(_plural(len(alerts), "alert"))}</b> <span class="ps-muted">· '
            f"{_e(_plural(accounts, 'account'))} · {held:,} held back · by due time</span></div>")
    table = _table(["account", "due (UTC)", "priority", "rule", "SLA", "action", "status"], rows[:shown])
    return _wrap(f"{len(alerts):,} × Alert", head + table + _more(shown, len(rows)))


# --- the entry point -----------------------------------------------------------------------------------------


def card(value: object) -> str | None:
    """Return ``value`` as an HTML card, or ``None`` when there is no card for its type.

    Cards exist for an :class:`~postsale.review.AccountReview` (health gauge and drivers, renewal countdown,
    forecast, touch model, alerts due with their SLA, held-back alerts, next touches), a
    :class:`~postsale.health.HealthScore` (its components as bars), a :class:`~postsale.Journey` (a timeline per
    track, moves coloured by kind) and a non-empty list or tuple of :class:`~postsale.triggers.Alert` (a table by
    due time).

    Args:
        value: Any value.

    Returns:
        The card's HTML (one ``<table class="ps-card">`` with its own scoped ``<style>``, no script, every text
        escaped), or ``None``.

    Examples:
        >>> from datetime import date
        >>> import postsale
        >>> acme = postsale.AccountSnapshot(
        ...     "acme", "MID_MARKET", date(2026, 11, 1), acv=48_000, contract_start=date(2026, 1, 1),
        ...     contract_end=date(2026, 12, 31), seats_purchased=50, seats_active=23,
        ...     signals={"nps": 7, "sentiment": 45, "business_context": 50, "logins_week": 90,
        ...              "logins_prev_week": 160})
        >>> review = postsale.review_account(acme)
        >>> text = card(review)
        >>> "60 days to the renewal on 2026-12-31" in text, "#F9A825" in text, "2026-11-03 00:00 UTC" in text
        (True, True, True)
        >>> "<script" in text, len(text) < 15_000
        (False, True)
        >>> card(acme) is None, card([]) is None
        (True, True)
    """
    if isinstance(value, AccountReview):
        return _review_card(value)
    if isinstance(value, HealthScore):
        return _health_card(value)
    if isinstance(value, Journey):
        return _journey_card(value)
    if isinstance(value, (list, tuple)) and value and all(isinstance(item, Alert) for item in value):
        return _alerts_card(value)
    return None
