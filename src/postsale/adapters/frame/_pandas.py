"""pandas DataFrames from postsale values (an adapter; ``pip install 'postsale[frame]'``).

:func:`to_pandas` turns a collection of values (health scores, renewal lines, alerts, journeys ...) into one
row per value, built from :func:`postsale.to_data` so the columns are the fields of the JSON form:

* nested objects become dotted columns (``pulse.author``, ``definition.basis``) when ``flatten=True``;
  lists (tuples and sets of the value) stay in one cell as plain data;
* enums by member name (strings), as in JSON;
* dates and datetimes as ``datetime64`` columns (timezone-aware datetimes converted to UTC);
* money (``Decimal``) stays exact, as ``Decimal`` objects (object dtype) by default; pass
  ``money_as="float"`` for ``float64`` columns (rounded to binary floating point: for charts, not for sums
  you will report).

pandas is imported only when :func:`to_pandas` is called; without it the call raises
:class:`MissingDependencyError` naming the extra to install.

Examples:
    >>> from datetime import date
    >>> from postsale import AccountSnapshot
    >>> from postsale.adapters.frame import to_pandas
    >>> df = to_pandas([AccountSnapshot("a", "SMB", date(2026, 1, 31), acv=1200),
    ...                 AccountSnapshot("b", "ENTERPRISE", date(2026, 1, 31), acv=150000)])
    >>> list(df["segment"]), df["as_of"].dtype.kind, df["acv"].sum()
    (['SMB', 'ENTERPRISE'], 'M', Decimal('151200'))
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

import attrs

from postsale import _checks
from postsale._columnar import require
from postsale._convert import converter, to_data
from postsale._errors import InvalidValueError
from postsale.adapters._palette import BAND_COLORS
from postsale.review import AccountReview

__all__ = ["band_styler", "to_pandas", "to_polars"]


_KINDS = Literal["date", "datetime", "money", "enum"]


def _kinds(value: Any, prefix: str, out: dict[str, _KINDS], *, flatten: bool,
           members: dict[str, type[enum.Enum]] | None = None) -> None:
    """Record the dotted path of every date, datetime, Decimal and enum leaf of ``value`` (same paths as to_data),
    and each enum column's class (``members``)."""
    if isinstance(value, enum.Enum):
        out[prefix] = "enum"
        if members is not None:
            members[prefix] = type(value)
    elif isinstance(value, datetime):
        out[prefix] = "datetime"
    elif isinstance(value, date):
        out[prefix] = "date"
    elif isinstance(value, Decimal):
        out[prefix] = "money"
    elif not flatten and prefix:
        return
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            if not field.name.startswith("_"):
                _kinds(getattr(value, field.name), _join(prefix, field.name), out, flatten=flatten, members=members)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _kinds(item, _join(prefix, str(converter.unstructure(key))), out, flatten=flatten, members=members)


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _flatten(data: Any, prefix: str, row: dict[str, Any]) -> None:
    if isinstance(data, dict) and (data or not prefix):
        for key, item in data.items():
            _flatten(item, _join(prefix, str(key)), row)
    else:
        row[prefix or "value"] = data


def _exact(value: Any) -> Decimal | None:
    """A money cell back to ``Decimal`` (to_data writes it as a string); missing stays ``None``."""
    if isinstance(value, str):
        return Decimal(value)
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) and not math.isnan(value):
        return Decimal(str(value))
    return None


def _float_or_nan(value: Decimal | None) -> float:
    return float("nan") if value is None else float(value)


def _rows_of(values: Any, field: str | None) -> tuple[list[Any], list[Any] | None]:
    """The values to turn into rows, and their keys (when they came from a mapping)."""
    if attrs.has(type(values)):
        if field is not None:
            inner = getattr(values, field, None)
            if not isinstance(inner, (Mapping, list, tuple, set, frozenset)):
                raise InvalidValueError(
                    f"{type(values).__name__} has no collection field {field!r}",
                    field="field",
                    value=field,
                    constraint="must name a tuple, list, set or mapping field of the value",
                    hint="pass the name of a collection field, or field=None for the first one",
                )
            return _rows_of(inner, None)
        for attribute in attrs.fields(type(values)):
            inner = getattr(values, attribute.name)
            items = list(inner.values()) if isinstance(inner, Mapping) else inner
            if isinstance(items, (list, tuple, set, frozenset)) and items and all(attrs.has(type(i)) for i in items):
                return _rows_of(inner, None)
        return [values], None
    if isinstance(values, Mapping):
        return list(values.values()), list(values.keys())
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise InvalidValueError(
            "expected postsale values",
            field="values",
            value=values,
            constraint="an iterable of postsale values, a mapping of them, or one value holding a collection",
            hint="pass e.g. a list of HealthScore or a PortfolioPlan",
        )
    return list(values), None


def to_pandas(
    values: Iterable[Any] | Mapping[Any, Any] | Any,
    *,
    flatten: bool = True,
    money_as: Literal["decimal", "float"] = "decimal",
    field: str | None = None,
    categorical: bool = False,
) -> Any:
    """Return a pandas DataFrame with one row per postsale value.

    Args:
        values: An iterable of postsale values; a mapping of them (its keys become the index, named ``key``);
            or one value holding a collection (e.g. a ``PortfolioPlan``: its tiers; ``JourneyAnalytics``: its
            completion per stage), whose first non-empty collection of values gives the rows. A value without
            one gives a single row.
        flatten: Nested objects as dotted columns (``True``) or as dicts in one column (``False``).
        money_as: ``"decimal"`` keeps exact ``Decimal`` objects (object dtype); ``"float"`` gives ``float64``.
        field: With one value, the name of the collection field to expand (``field="velocity"``).
        categorical: Enums as pandas categoricals whose categories are the members in their order (ordered
            for ordered enums such as ``ForecastCategory``), instead of their names as text.

    Returns:
        A ``pandas.DataFrame``: columns in field order, enums by name, dates as ``datetime64``.

    Raises:
        MissingDependencyError: pandas is not installed (``pip install 'postsale[frame]'``).
        InvalidValueError: ``values`` is not a collection of values, ``money_as`` or ``field`` is unknown.
        InvalidTypeError: ``flatten`` is not a bool, ``field`` neither a string nor ``None``.

    Examples:
        >>> from postsale.journey import Journey
        >>> from datetime import date
        >>> df = to_pandas([Journey.start("acme", "SMB", on=date(2026, 1, 5))])
        >>> list(df.columns)
        ['account_id', 'segment', 'labels', 'events']
    """
    if money_as not in ("decimal", "float"):
        raise InvalidValueError(
            "unknown money representation",
            field="money_as",
            value=money_as,
            constraint="one of 'decimal', 'float'",
            hint="use money_as='decimal' (exact) or 'float' (for charts)",
        )
    _checks.flag("flatten", flatten)
    _checks.flag("categorical", categorical)
    if field is not None:
        _checks.instance("field", field, str, hint='pass the name of a collection field, e.g. field="velocity"')
    pd = require("pandas", "frame")
    items, keys = _rows_of(values, field)
    if items and all(isinstance(item, AccountReview) for item in items):
        frame = pd.DataFrame([item.row() for item in items])
        for column in ("renewal_date",):
            frame[column] = pd.to_datetime(frame[column])
        frame["next_touch"] = pd.to_datetime(frame["next_touch"], utc=True)
        if money_as == "float":
            frame["acv"] = frame["acv"].astype("float64")
        if categorical:
            for column, names in _REVIEW_ENUMS.items():
                frame[column] = pd.Categorical(frame[column], categories=names, ordered=column == "forecast")
        return frame
    rows: list[dict[str, Any]] = []
    kinds: dict[str, _KINDS] = {}
    members: dict[str, type[enum.Enum]] = {}
    for item in items:
        data = to_data(item)
        row: dict[str, Any] = {}
        if flatten:
            _flatten(data, "", row)
        elif isinstance(data, dict):
            row.update(data)
        else:
            row["value"] = data
        rows.append(row)
        _kinds(item, "", kinds, flatten=flatten, members=members)
    columns: list[str] = []
    for row in rows:
        columns.extend(c for c in row if c not in columns)
    frame = pd.DataFrame(rows, columns=columns)
    for column, kind in kinds.items():
        if column not in frame.columns:
            continue  # a context's serialization hook renamed it: leave the JSON form
        if kind == "enum":
            if categorical and column in members:
                cls = members[column]  # an IntEnum's members compare: its categories are ordered
                frame[column] = pd.Categorical(frame[column], categories=_enum_names(cls),
                                               ordered=issubclass(cls, enum.IntEnum))
        elif kind == "date":
            frame[column] = pd.to_datetime(frame[column], format="ISO8601")
        elif kind == "datetime":  # to_data writes the zone in brackets after the offset (RFC 9557)
            instants = frame[column].map(lambda v: v.partition("[")[0] if isinstance(v, str) else v)
            frame[column] = pd.to_datetime(instants, format="ISO8601", utc=True)
        elif money_as == "float":
            frame[column] = frame[column].map(lambda v: _float_or_nan(_exact(v))).astype("float64")
        else:
            frame[column] = frame[column].map(_exact).astype(object)
    if keys is not None:
        frame.index = pd.Index([converter.unstructure(k) for k in keys], name="key")
    return frame


def _enum_names(cls: type[enum.Enum]) -> list[str]:
    return [member.name for member in cls]


def _review_enums() -> dict[str, list[str]]:
    from postsale import HealthBand, Segment, Stage, TouchModel
    from postsale.renewal import ForecastCategory, RenewalState

    return {"segment": _enum_names(Segment), "stage": _enum_names(Stage), "band": _enum_names(HealthBand),
            "touch_model": _enum_names(TouchModel), "renewal_state": _enum_names(RenewalState),
            "forecast": _enum_names(ForecastCategory)}


_REVIEW_ENUMS = _review_enums()
"""The enum columns of ``AccountReview.row()`` and their members in order."""


def to_polars(
    values: Iterable[Any] | Mapping[Any, Any] | Any,
    *,
    flatten: bool = True,
    money_as: Literal["decimal", "float"] = "decimal",
    field: str | None = None,
) -> Any:
    """Return a Polars DataFrame with one row per postsale value: the columns of :func:`to_pandas`, enums as
    ``pl.Enum`` of their members in order, dates as ``pl.Date``, instants as UTC datetimes, money as
    ``pl.Decimal`` (exact) or ``Float64`` (``money_as="float"``).

    Raises:
        MissingDependencyError: Polars or pandas is not installed (``pip install 'postsale[frame,polars]'``).
        InvalidValueError: as :func:`to_pandas`.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> df = to_polars([AccountSnapshot("a", "SMB", date(2026, 1, 31), acv=1200)])
        >>> df.schema["segment"], df.schema["as_of"], df["acv"].to_list()
        (Enum(categories=['ENTERPRISE', 'MID_MARKET', 'SMB', 'PRODUCT_LED']), Date, [Decimal('1200')])
    """
    pl = require("polars", "polars")
    frame = to_pandas(values, flatten=flatten, money_as=money_as, field=field, categorical=True)
    try:
        return _polars_of(pl, frame, values, flatten, field)
    except (TypeError, ValueError, ArithmeticError, pl.exceptions.PolarsError) as error:  # not values of postsale
        raise InvalidValueError(
            "cannot be one Polars frame", field="values", value=type(values).__name__,
            constraint="postsale values of one kind (each column one type)",
            hint=f"pass postsale values (e.g. a list of HealthScore); Polars said: {str(error)[:120]}",
        ) from None


def _polars_of(pl: Any, frame: Any, values: Any, flatten: bool, field: str | None) -> Any:
    dates = {c for c, k in _column_kinds(values, flatten, field).items() if k == "date"}
    if "renewal_date" in frame.columns and "days_to_renewal" in frame.columns:
        dates.add("renewal_date")  # an AccountReview row
    enums = {c: list(frame[c].cat.categories) for c in frame.columns if str(frame[c].dtype) == "category"}
    decimals = [c for c in frame.columns if frame[c].dtype == object and frame[c].map(
        lambda v: v is None or isinstance(v, Decimal)).all() and frame[c].map(lambda v: v is not None).any()]
    for column in enums:
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    for column in decimals:
        frame[column] = frame[column].map(lambda v: None if v is None else str(v))
    result = pl.from_pandas(frame, include_index=frame.index.name is not None)
    casts = [pl.col(c).cast(pl.Enum(categories)) for c, categories in enums.items()]
    casts += [pl.col(c).cast(pl.Date) for c in dates if c in result.columns]
    casts += [pl.col(c).cast(pl.Decimal(scale=_scale(frame[c]))) for c in decimals]
    return result.with_columns(casts) if casts else result


def _scale(values: Any) -> int:
    """The most decimal places any of ``values`` has (so the Decimal column keeps each exactly)."""
    places = [max(0, -Decimal(v).as_tuple().exponent) for v in values if v is not None]  # type: ignore[operator]
    return max(places, default=0)


def _column_kinds(values: Any, flatten: bool, field: str | None) -> dict[str, _KINDS]:
    items, _ = _rows_of(values, field)
    kinds: dict[str, _KINDS] = {}
    for item in items:
        if not isinstance(item, AccountReview):
            _kinds(item, "", kinds, flatten=flatten)
    return kinds


def band_styler(frame: Any, *, columns: Iterable[str] = ("band",)) -> Any:
    """``frame`` styled for display with each health band cell in its band's colour (GREEN / YELLOW / RED, the
    colours of the charts and the nightly report) and ``health`` cells in the colour of the band they fall in.

    A pandas frame gives a pandas ``Styler``; a Polars frame gives its own display, a Great Tables table
    (``frame.style``, ``pip install great_tables``), which a notebook shows and ``.as_raw_html()`` writes.

    Examples:
        >>> import pandas as pd
        >>> styled = band_styler(pd.DataFrame({"account_id": ["a", "b"], "band": ["GREEN", "RED"]}))
        >>> "background-color: #2E7D32" in styled.to_html()
        True
    """
    names = _checks.items("columns", columns, str)
    pl = _polars_module(frame)
    if pl is not None:
        return _polars_styled(pl, frame, names)
    pd = require("pandas", "frame")
    _checks.instance("frame", frame, pd.DataFrame, hint="pass a pandas or Polars DataFrame (a lazy one: .collect())")

    def band(value: Any) -> str:
        color = BAND_COLORS.get(str(value))
        return f"background-color: {color}; color: white" if color else ""

    def health(value: Any) -> str:
        if not isinstance(value, (int, float)) or math.isnan(value):
            return ""
        return f"color: {BAND_COLORS[_band_of(value)]}; font-weight: bold"

    styled = frame.style
    chosen = [c for c in names if c in frame.columns]
    if chosen:
        styled = styled.map(band, subset=chosen)
    if "health" in frame.columns:
        styled = styled.map(health, subset=["health"])
    return styled


def _band_of(value: float) -> str:
    from postsale.health import GREEN_FROM, YELLOW_FROM

    return "GREEN" if value >= GREEN_FROM else "YELLOW" if value >= YELLOW_FROM else "RED"


def _polars_module(frame: Any) -> Any:
    """Polars, when ``frame`` is a Polars DataFrame (Polars is then already imported)."""
    import sys

    pl = sys.modules.get("polars")
    return pl if pl is not None and isinstance(frame, pl.DataFrame) else None


def _polars_styled(pl: Any, frame: Any, names: tuple[str, ...]) -> Any:
    from postsale.health import GREEN_FROM, YELLOW_FROM

    gt = require("great_tables", "polars")
    styled = frame.style
    for name in (c for c in names if c in frame.columns):
        for band, color in BAND_COLORS.items():
            styled = styled.tab_style(style=[gt.style.fill(color=color), gt.style.text(color="white")],
                                      locations=gt.loc.body(columns=name, rows=pl.col(name).cast(pl.String) == band))
    if "health" in frame.columns and frame.schema["health"].is_numeric():
        health = pl.col("health")
        ranges = {"GREEN": health >= GREEN_FROM, "YELLOW": (health >= YELLOW_FROM) & (health < GREEN_FROM),
                  "RED": health < YELLOW_FROM}
        for band, rows in ranges.items():
            styled = styled.tab_style(style=[gt.style.text(color=BAND_COLORS[band], weight="bold")],
                                      locations=gt.loc.body(columns="health", rows=rows))
    return styled
