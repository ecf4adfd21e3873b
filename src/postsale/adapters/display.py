"""Rich HTML for notebooks: an HTML view of every public value of ``postsale`` (an adapter, opt-in).

Jupyter shows an object with a ``_repr_html_`` method as HTML. This module renders any public attrs
value of ``postsale`` as a compact table, with no dependency beyond the standard library:

* a caption with the value's class name;
* its ``explain()`` sentences when it has one (a ``str`` or a list of ``str``);
* then its fields (and its public properties, such as a plan's totals), one row each.

Presentation rules (rounding happens only here): enums by name, ``Decimal`` with thousands separators
(at most four decimals), floats with four significant digits, dates in ISO form, ``None`` as an em dash;
nested values are summarised on one line and can be unfolded (``<details>``); long collections show
their first :data:`MAX_ROWS` items and "… N more". Every piece of text is escaped with
:func:`html.escape`.

The core never imports this module and ``import postsale`` registers nothing: display is opt-in, as IPython
extensions are. In a notebook, ``%load_ext postsale.adapters.display`` registers :func:`render` with that
shell's HTML formatter for every public class (nothing is patched onto the classes).

Examples:
    >>> from datetime import date
    >>> from postsale import AccountSnapshot
    >>> snap = AccountSnapshot("a<b>", "SMB", date(2026, 1, 31), acv=1200)
    >>> text = render(snap)
    >>> ">AccountSnapshot</caption>" in text, "a&lt;b&gt;" in text, "1,200" in text
    (True, True, True)
"""

from __future__ import annotations

import enum
import html
import importlib
import inspect
import math
import pkgutil
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs

from postsale import _checks
from postsale._errors import InvalidTypeError
from postsale._repr import readable

__all__ = [
    "MAX_ROWS",
    "html_table",
    "load_ipython_extension",
    "public_classes",
    "render",
    "table",
    "unload_ipython_extension",
]

MAX_ROWS = 10
"""How many items of a collection are shown before "… N more"."""

MAX_DEPTH = 2
"""How deep nested values unfold (deeper ones are summarised on one line)."""

_SUMMARY_CHARS = 90
"""Longest one-line summary of a nested value."""

_ADAPTERS = frozenset({"adapters"})
"""Public subpackages holding no displayed values: :func:`public_classes` does not import them."""

_STYLE = (
    "border-collapse:collapse;font-size:0.9em;text-align:left;"
    "font-family:system-ui,-apple-system,'Segoe UI',sans-serif"
)
_CAPTION = "caption-side:top;text-align:left;font-weight:bold;padding:2px 4px"
_TH = "text-align:left;vertical-align:top;padding:2px 8px;border-bottom:1px solid #ddd;white-space:nowrap"
_TD = "text-align:left;vertical-align:top;padding:2px 8px;border-bottom:1px solid #eee"
_MUTED = "color:#777"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _is_value(obj: object) -> bool:
    """True for an instance of an attrs class (a postsale value)."""
    return attrs.has(type(obj))


def _public_fields(cls: type) -> list[str]:
    return [f.name for f in attrs.fields(cls) if not f.name.startswith("_")]


def _properties(cls: type) -> list[str]:
    """Public properties of ``cls`` in definition order (base classes first), excluding field names."""
    names: list[str] = []
    for klass in reversed(cls.__mro__):
        for name, member in vars(klass).items():
            if isinstance(member, property) and not name.startswith("_") and name not in names:
                names.append(name)
    return names


def _items(value: Any) -> list[tuple[str, Any]]:
    """The (name, value) rows shown for ``value``: its public fields, then its public properties."""
    cls = type(value)
    fields = _public_fields(cls)
    rows: list[tuple[str, Any]] = [(name, getattr(value, name)) for name in fields]
    for name in _properties(cls):
        try:
            rows.append((name, getattr(value, name)))
        except Exception:  # noqa: S112 - a display shows what it can: a property that cannot answer for this value (an empty collection) is left out
            continue
    return rows


def _sentences(value: Any) -> list[str]:
    """``value.explain()`` (or ``sentence()``) as a list of sentences; empty when it has neither."""
    for name in ("explain", "sentence"):
        method = getattr(value, name, None)
        if not callable(method):
            continue
        try:
            parameters = inspect.signature(method).parameters.values()
        except (TypeError, ValueError):  # pragma: no cover - builtins without a signature
            continue
        if any(p.default is inspect.Parameter.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD,
                                                                   p.KEYWORD_ONLY) for p in parameters):
            continue
        result = method()
        if isinstance(result, str):
            return [result]
        return [str(line) for line in result]
    return []


def _number(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    if abs(value) >= 1000:
        return f"{value:,.2f}"
    return f"{value:.4g}"


def _decimal(value: Decimal) -> str:
    if not value.is_finite():
        return str(value)
    if value.adjusted() > _LONGEST_GROUPED:  # beyond any amount postsale computes: not a million digits
        return f"{value:.6E}"
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4:
        return f"{value:,.4f}"  # rounded half-even to 4 places, whatever the number of digits (quantize stops at 28)
    return f"{value:,f}"


_LONGEST_GROUPED = 30
"""Decimals up to 10**30 (the largest amount postsale computes) are written out in full, grouped by thousands."""


def scalar_text(value: Any) -> str:
    """Return a scalar as presentation text (not escaped): enum names, ISO dates, grouped numbers.

    Examples:
        >>> from decimal import Decimal
        >>> scalar_text(Decimal("5712000")), scalar_text(0.6666666), scalar_text(None)
        ('5,712,000', '0.6667', '—')
    """
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, Decimal):
        return _decimal(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def _is_collection(value: Any) -> bool:
    return isinstance(value, (list, tuple, set, frozenset))


def _sorted(items: Iterable[Any]) -> list[Any]:
    """Sets are shown in a stable order (by presentation text)."""
    return sorted(items, key=lambda item: scalar_text(item) if not _is_value(item) else _summary(item))


def _sequence(value: Any) -> list[Any]:
    return _sorted(value) if isinstance(value, (set, frozenset)) else list(value)


def _more(shown: int, total: int) -> str:
    return f"… {total - shown:,} more" if total > shown else ""


def _summary(value: Any) -> str:
    """One line for a value (not escaped): ``ClassName(field=..., ...)``, shortened."""
    if _is_value(value):
        parts = []
        for name, item in _items(value)[:6]:
            if _is_value(item) or _is_collection(item) or isinstance(item, Mapping):
                continue
            parts.append(f"{name}={scalar_text(item)}")
        text = f"{type(value).__name__}({', '.join(parts)})"
    elif isinstance(value, Mapping):
        text = "{" + ", ".join(f"{scalar_text(k)}: {_summary(v)}" for k, v in list(value.items())[:MAX_ROWS]) + "}"
    elif _is_collection(value):
        text = ", ".join(_summary(v) for v in _sequence(value)[:MAX_ROWS])
    else:
        text = scalar_text(value)
    return text if len(text) <= _SUMMARY_CHARS else text[: _SUMMARY_CHARS - 1] + "…"


def _details(summary: str, body: str) -> str:
    return f"<details><summary>{_e(summary)}</summary>{body}</details>"


def _cell(value: Any, depth: int) -> str:
    """The HTML of one cell (escaped)."""
    if _is_value(value):
        if depth >= MAX_DEPTH:
            return _e(_summary(value))
        return _details(_summary(value), render(value, depth=depth + 1))
    if isinstance(value, Mapping):
        return _mapping_cell(value, depth)
    if _is_collection(value):
        return _collection_cell(value, depth)
    if value is None:
        return f'<span style="{_MUTED}">—</span>'
    return _e(scalar_text(value))


def _mapping_cell(value: Mapping[Any, Any], depth: int) -> str:
    if not value:
        return f'<span style="{_MUTED}">(none)</span>'
    items = list(value.items())
    if depth < MAX_DEPTH and any(_is_value(v) for _k, v in items):
        body = _rows_table(
            [v for _k, v in items], keys=[k for k, _v in items], depth=depth + 1, max_rows=MAX_ROWS, caption=None
        )
        return _details(f"{len(items):,} entries", body)
    shown = items[:MAX_ROWS]
    text = ", ".join(f"{_e(scalar_text(k))}: {_e(_summary(v))}" for k, v in shown)
    more = _more(len(shown), len(items))
    return text + (f' <span style="{_MUTED}">{_e(more)}</span>' if more else "")


def _collection_cell(value: Any, depth: int) -> str:
    items = _sequence(value)
    if not items:
        return f'<span style="{_MUTED}">(none)</span>'
    if depth < MAX_DEPTH and any(_is_value(v) for v in items):
        body = _rows_table(items, keys=None, depth=depth + 1, max_rows=MAX_ROWS, caption=None)
        return _details(_count_label(items), body)
    shown = items[:MAX_ROWS]
    text = ", ".join(_e(_summary(v)) for v in shown)
    more = _more(len(shown), len(items))
    return text + (f' <span style="{_MUTED}">{_e(more)}</span>' if more else "")


def _count_label(items: list[Any]) -> str:
    names = {type(v).__name__ for v in items}
    kind = names.pop() if len(names) == 1 else "values"
    return f"{len(items):,} × {kind}"


def render(value: Any, *, depth: int = 0) -> str:
    """Return ``value`` (a postsale value) as an HTML table: caption, explanation, then its fields.

    Args:
        value: An instance of a public attrs class of ``postsale`` (any attrs instance works).
        depth: Nesting level (nested values deeper than :data:`MAX_DEPTH` are summarised).

    Returns:
        An HTML fragment (a ``<table>``) with every text escaped; at the top level, the value's card when it has
        one (:func:`postsale.adapters._cards.card`: a review, a health score, a journey, a list of alerts; a portfolio
        review's summary).
    """
    if type(depth) is int and depth == 0:
        from postsale.adapters._cards import card
        from postsale.adapters._portfolio_card import portfolio_card
        from postsale.review import PortfolioReview

        shown = portfolio_card(value) if isinstance(value, PortfolioReview) else card(value)
        if shown is not None:
            return shown
    if not _is_value(value):
        raise InvalidTypeError(
            "is not a postsale value", field="value", value=value, hint="render a value (an attrs instance)",
        )
    _checks.count("depth", depth)
    sentences = _sentences(value) if depth == 0 else []
    rows = []
    if sentences:
        items = "".join(f"<li>{_e(s)}</li>" for s in sentences)
        rows.append(f'<tr><td colspan="2" style="{_TD}"><ul style="margin:0;padding-left:1.2em">{items}</ul></td></tr>')
    for name, item in _items(value):
        rows.append(f'<tr><th style="{_TH}">{_e(name)}</th><td style="{_TD}">{_cell(item, depth)}</td></tr>')
    caption = f'<caption style="{_CAPTION}">{_e(type(value).__name__)}</caption>'
    return f'<table class="postsale" style="{_STYLE}">{caption}<tbody>{"".join(rows)}</tbody></table>'


def _columns(values: list[Any]) -> list[str] | None:
    """Shared field names when every item is a value of the same class, else None."""
    classes = {type(v) for v in values}
    if len(classes) == 1:
        cls = classes.pop()
        if attrs.has(cls):
            return _public_fields(cls) or [name for name, _ in _items(values[0])]
    return None


def _rows_table(
    values: list[Any], *, keys: list[Any] | None, depth: int, max_rows: int, caption: str | None
) -> str:
    columns = _columns(values)
    head = []
    if keys is not None:
        head.append("key")
    head.extend(columns if columns is not None else ["value"])
    shown = values[:max_rows]
    body = []
    for index, value in enumerate(shown):
        cells = []
        if keys is not None:
            cells.append(f'<th style="{_TH}">{_e(scalar_text(keys[index]))}</th>')
        if columns is not None:
            cells.extend(f'<td style="{_TD}">{_cell(getattr(value, c), MAX_DEPTH)}</td>' for c in columns)
        else:
            cells.append(f'<td style="{_TD}">{_e(_summary(value))}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    more = _more(len(shown), len(values))
    if more:
        body.append(f'<tr><td colspan="{len(head)}" style="{_TD};{_MUTED}">{_e(more)}</td></tr>')
    header = "".join(f'<th style="{_TH}">{_e(h)}</th>' for h in head)
    cap = f'<caption style="{_CAPTION}">{_e(caption)}</caption>' if caption else ""
    return (
        f'<table class="postsale" style="{_STYLE}">{cap}<thead><tr>{header}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def html_table(values: Iterable[Any] | Mapping[Any, Any], *, max_rows: int = MAX_ROWS) -> str:
    """Return a collection of postsale values as one HTML table, one row per value.

    Values of one class get one column per field; mixed values get one summary column. A mapping gets a
    ``key`` column. Only the first ``max_rows`` rows are shown, then "… N more".

    Args:
        values: A list, tuple or set of values, or a mapping whose values are values.
        max_rows: How many rows to show.

    Returns:
        An HTML fragment (a ``<table>``) with every text escaped.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> snaps = [AccountSnapshot(f"acct-{i}", "SMB", date(2026, 1, 31)) for i in range(12)]
        >>> text = html_table(snaps)
        >>> "12 × AccountSnapshot" in text, "… 2 more" in text
        (True, True)
    """
    _checks.count("max_rows", max_rows)
    if isinstance(values, Mapping):
        keys: list[Any] | None = list(values.keys())
        items = list(values.values())
    else:
        keys = None
        given = _checks.items("values", values)
        items = _sequence(values) if isinstance(values, (set, frozenset)) else list(given)
    return _rows_table(items, keys=keys, depth=1, max_rows=max_rows, caption=_count_label(items) if items else "empty")


@attrs.frozen
class Table:
    """A collection wrapped for display: Jupyter shows it with :func:`html_table`."""

    __repr__ = readable
    values: tuple[Any, ...] | Mapping[Any, Any]
    max_rows: int = MAX_ROWS

    def _repr_html_(self) -> str:
        return html_table(self.values, max_rows=self.max_rows)


def table(values: Iterable[Any] | Mapping[Any, Any], *, max_rows: int = MAX_ROWS) -> Table:
    """Wrap a list (or mapping) of values so that a notebook shows it as one HTML table.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> "<table" in table([AccountSnapshot("a", "SMB", date(2026, 1, 31))])._repr_html_()
        True
    """
    _checks.count("max_rows", max_rows)
    held = values if isinstance(values, Mapping) else _checks.items("values", values)
    return Table(held, max_rows)


def _public_classes(module: Any) -> list[type]:
    found = []
    for name in getattr(module, "__all__", ()):
        obj = getattr(module, name, None)
        if isinstance(obj, type) and attrs.has(obj):
            found.append(obj)
    return found


def _contexts() -> list[Any]:
    """``postsale`` and its public context packages/modules (adapters excluded), imported."""
    import postsale

    modules: list[Any] = [postsale]
    for info in pkgutil.iter_modules(postsale.__path__):
        if info.name.startswith("_") or info.name in _ADAPTERS:
            continue
        modules.append(importlib.import_module(f"postsale.{info.name}"))
    return modules


def _collection_html(values: Any) -> str | None:
    """IPython formatter for plain lists/tuples/dicts: HTML only when every item is a postsale value."""
    items = list(values.values()) if isinstance(values, Mapping) else list(values)
    if not items or not all(_is_value(v) and type(v).__module__.startswith("postsale") for v in items):
        return None
    if isinstance(values, (list, tuple)):
        from postsale.adapters._cards import card

        found = card(values)  # a list of alerts has its card, sorted by due time
        if found is not None:
            return found
    return html_table(values)


def public_classes() -> list[type]:
    """Every public attrs class exported by ``postsale`` and its context packages (each once)."""
    classes: list[type] = []
    for module in _contexts():
        for cls in _public_classes(module):
            if cls not in classes:
                classes.append(cls)
    return classes


def _formatter(ipython: Any) -> Any:
    return ipython.display_formatter.formatters["text/html"]


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext postsale.adapters.display``: show postsale values as HTML in this IPython shell.

    Registers :func:`render` with the shell's HTML formatter for every public class (nothing is patched onto
    the classes), and an HTML view for plain lists, tuples and dicts whose items are all postsale values.
    """
    formatter = _formatter(ipython)
    for cls in public_classes():
        formatter.for_type(cls, render)
    for kind in (list, tuple, dict):
        formatter.for_type(kind, _collection_html)


def unload_ipython_extension(ipython: Any) -> None:
    """``%unload_ext postsale.adapters.display``: remove what :func:`load_ipython_extension` registered."""
    formatter = _formatter(ipython)
    for kind in (*public_classes(), list, tuple, dict):
        formatter.pop(kind, None)
