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

import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

import attrs

from postsale import _checks, signals
from postsale._columnar import require
from postsale._convert import converter, to_data
from postsale._errors import InvalidValueError, UnknownNameError
from postsale.review import AccountReview

__all__ = [
    "HEALTH_BAND_CODES",
    "SEGMENT_CODES",
    "TOUCH_MODEL_CODES",
    "health_columns",
    "renewal_columns",
    "score_frame",
    "to_pandas",
    "touch_columns",
    "trigger_hits",
]


_KINDS = Literal["date", "datetime", "money"]


def _kinds(value: Any, prefix: str, out: dict[str, _KINDS], *, flatten: bool) -> None:
    """Record the dotted path of every date, datetime and Decimal leaf of ``value`` (same paths as to_data)."""
    if isinstance(value, datetime):
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
                _kinds(getattr(value, field.name), _join(prefix, field.name), out, flatten=flatten)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _kinds(item, _join(prefix, str(converter.unstructure(key))), out, flatten=flatten)


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

    Returns:
        A ``pandas.DataFrame``: columns in field order, enums by name, dates as ``datetime64``.

    Raises:
        MissingDependencyError: pandas is not installed (``pip install 'postsale[frame]'``).
        InvalidValueError: ``values`` is not a collection of values, ``money_as`` or ``field`` is unknown.

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
    pd = require("pandas", "frame")
    items, keys = _rows_of(values, field)
    if items and all(isinstance(item, AccountReview) for item in items):
        frame = pd.DataFrame([item.row() for item in items])
        for column in ("renewal_date",):
            frame[column] = pd.to_datetime(frame[column])
        frame["next_touch"] = pd.to_datetime(frame["next_touch"], utc=True)
        if money_as == "float":
            frame["acv"] = frame["acv"].astype("float64")
        return frame
    rows: list[dict[str, Any]] = []
    kinds: dict[str, _KINDS] = {}
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
        _kinds(item, "", kinds, flatten=flatten)
    columns: list[str] = []
    for row in rows:
        columns.extend(c for c in row if c not in columns)
    frame = pd.DataFrame(rows, columns=columns)
    for column, kind in kinds.items():
        if column not in frame.columns:
            continue  # a context's serialization hook renamed it: leave the JSON form
        if kind == "date":
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


# The columnar path (DESIGN.md principle 6): a whole portfolio as numpy columns, with the scalar path's
# answers (property-tested in tests/columnar/). Defined in private modules, published here.
from postsale._columnar_health import (  # noqa: E402
    HEALTH_BAND_CODES,
    SEGMENT_CODES,
    TOUCH_MODEL_CODES,
    health_columns,
    touch_columns,
)
from postsale._columnar_renewal import renewal_columns  # noqa: E402
from postsale._columnar_triggers import trigger_hits  # noqa: E402


def score_frame(
    frame: Any,
    *,
    as_of: date,
    model: Any = None,
    company: Any = None,
    rule_set: Any = None,
) -> Any:
    """Score a pandas DataFrame of accounts with the columnar path: one result row per input row.

    The input has the columns of ``postsale review FILE`` (``segment``, ``acv``, ``contract_end``, seats and
    any signals; see docs/cli.md), or ``to_pandas(snapshots)``'s ``signals.<name>`` columns. An optional
    ``previous_health_score`` column lets the health-drop rules (H1, H2) see a drop. Usable as is on a
    Dask DataFrame: ``ddf.map_partitions(score_frame, as_of=...)``.

    Returns:
        A DataFrame with the input's index: ``health`` (NaN = unscored), ``band``, ``touch_total``,
        ``touch_model``, ``renewal_state`` (None without a contract end), ``days_to_renewal``, ``alerts``
        (how many rules hold) and a ``hit.<rule>`` column per rule. ``result.attrs["skipped_rules"]`` names
        the rules that could not be evaluated for lack of a column (e.g. H3 without ``days_in_band.YELLOW``).

    Raises:
        MissingDependencyError: pandas or numpy is not installed.
        InvalidTypeError, InvalidValueError: the frame or a column cannot be used (the column is named).

    Examples:
        >>> import pandas as pd
        >>> from datetime import date
        >>> accounts = pd.DataFrame({"account_id": ["a", "b"], "segment": ["SMB", "ENTERPRISE"],
        ...                          "acv": [6000.0, 250000.0], "seats_purchased": [10, 800],
        ...                          "seats_active": [4, 700], "nps": [5.0, 9.0], "sentiment": [40.0, 85.0],
        ...                          "contract_end": pd.to_datetime(["2026-11-20", "2027-06-30"]),
        ...                          "support_tickets_week": [4.0, 0.0]})
        >>> scored = score_frame(accounts, as_of=date(2026, 11, 1))
        >>> scored[["band", "touch_model", "renewal_state", "alerts"]].values.tolist()
        [['RED', 'LOW', 'DANGER_ZONE', 2], ['GREEN', 'HIGH', 'UPCOMING', 1]]
        >>> [c for c in scored.columns if c.startswith("hit.") and scored[c].any()]
        ['hit.H4', 'hit.M1', 'hit.M2']
    """
    from postsale.health import DEFAULT_HEALTH_MODEL
    from postsale.renewal import RenewalState
    from postsale.review import DEFAULT_COMPANY_PROFILE
    from postsale.triggers import CATALOG

    pd = require("pandas", "frame")
    np = require("numpy", "frame")
    _checks.instance("frame", frame, pd.DataFrame, hint="pass a pandas DataFrame (one row per account)")
    _checks.a_date("as_of", as_of)
    if "segment" not in frame.columns:
        raise InvalidValueError("has no segment column", field="frame", value=list(frame.columns),
                                hint="add a segment column (ENTERPRISE, MID_MARKET, SMB, PRODUCT_LED)")
    identity = {"account_id", "parent_id", "time_zone", "as_of", "csm"}
    columns = {str(name).removeprefix("signals."): frame[name].to_numpy() for name in frame.columns
               if not str(name).startswith("labels.") and str(name) not in identity}
    for name in ("contract_start", "contract_end"):
        if name in columns:
            columns[name] = pd.to_datetime(frame[name]).to_numpy().astype("datetime64[D]")
    health = health_columns(columns, model or DEFAULT_HEALTH_MODEL)
    touch = touch_columns(columns, company or DEFAULT_COMPANY_PROFILE)
    out = pd.DataFrame(index=frame.index)
    out["health"] = health["value"]
    out["band"] = [None if b == 0 else HEALTH_BAND_CODES[b].name for b in health["band"]]
    out["touch_total"] = touch["total"]
    out["touch_model"] = [TOUCH_MODEL_CODES[m].name for m in touch["model"]]
    state = np.full(len(frame), None, dtype=object)
    days = np.full(len(frame), np.nan)
    if "contract_end" in columns:
        known = ~np.isnat(columns["contract_end"])
        if known.any():
            segments = np.asarray(columns["segment"], dtype=object)[known]
            renewals = renewal_columns(columns["contract_end"][known], segments, as_of=as_of,
                                       health_band=health["band"][known])
            state[known] = [RenewalState(code).name for code in renewals["state"]]
            days[known] = renewals["days_to_renewal"]
    out["renewal_state"] = state
    out["days_to_renewal"] = days
    scores = {"score": np.nan_to_num(health["value"], nan=50.0)}
    previous = columns.pop("previous_health_score", None)
    scores["previous_score"] = scores["score"] if previous is None else np.asarray(previous, dtype="float64")
    rules = rule_set or CATALOG
    skipped: list[str] = []
    alerts = np.zeros(len(frame), dtype="int64")
    for rule in rules.rules:
        try:
            hit = trigger_hits(columns, rules.select(rule.id), as_of=as_of, health=scores)[rule.id]
        except UnknownNameError:
            skipped.append(rule.id)
            continue
        if signals.HEALTH_SCORE in rule.condition.signal_names():
            hit = hit & ~np.isnan(health["value"])  # unscored rows never fire health rules
        out[f"hit.{rule.id}"] = hit
        alerts += hit
    out["alerts"] = alerts
    out.attrs["skipped_rules"] = skipped
    return out

