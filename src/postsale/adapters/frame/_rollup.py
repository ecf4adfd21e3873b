"""Forecast roll-up over columns: a frame of renewals in, the very :class:`~postsale.renewal.ForecastRollup` out.

One row per renewal (``account_id``, ``renewal_date``, ``arr``, ``category``, optional ``expected_arr`` and
``flagged``) gives what :func:`postsale.renewal.roll_up` gives for the same rows as
:class:`~postsale.renewal.RenewalLine` values. Money stays exact: each amount is read as the decimal the scalar
path reads (a float through its shortest representation, text as ``Decimal`` reads it) and held as a whole number
of units of the frame's finest decimal place (Int128), so the group-by sums are exact; the scenarios then weigh
each category's sums (a category's probability is the same for all its renewals, so ``sum(p x arr) = p x
sum(arr)``). Where the scalar path would round (a figure past the decimal context's precision, an amount with more
than :data:`MAX_SCALE` decimal places), the due rows go through :func:`~postsale.renewal.roll_up` itself: the
answers are the same either way.

A row the scalar ``RenewalLine`` would refuse (a blank account, a missing or unknown date, an unknown category, a
negative, infinite or missing ARR ...) is left out and reported, one row per bad value, with the words of the
scalar error (``errors``: ``row``, ``account_id``, ``column``, ``value``, ``reason``). The helpers that read ids,
names and money are shared with the revenue ledger (``_ledger.py``).
"""

from __future__ import annotations

import calendar
import decimal
import functools
import math
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import partial
from typing import Any, Final, TypeVar

import attrs

from postsale import _checks
from postsale._columnar import polars_day, require
from postsale._errors import InvalidTypeError, InvalidValueError, PostsaleError
from postsale._repr import readable
from postsale.adapters.frame._input import reason_of
from postsale.kpi._numbers import EXACT
from postsale.renewal import (
    DEFAULT_SCENARIOS,
    CategoryTotal,
    ForecastCategory,
    ForecastRollup,
    RenewalLine,
    Scenario,
    ScenarioResult,
    roll_up,
)

__all__ = ["REJECTED_SCHEMA", "FrameMonths", "FrameRollup", "rollup_by_month_frame", "rollup_frame"]

T = TypeVar("T")

REJECTED_SCHEMA: Final = {"row": "Int64", "account_id": "String", "column": "String", "value": "String",
                          "reason": "String"}
"""The columns of the rows refused by :func:`rollup_frame` and :func:`retention_frame`: the row's position in the
frame (from 0), its account, the column, the value it held (as text) and the scalar error's words."""

MAX_SCALE: Final = 18
"""The most decimal places an amount may have for the group-by sums (Int128 units); past it, the scalar path adds."""

SPACE: Final = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
                 "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
"""The characters ``str.strip()`` removes (``str.isspace``), so a blank id is blank on both paths."""
_DECIMAL: Final = r"^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$"
_CONVERSIONS: Final = {"pyarrow": "pl.from_arrow(table)", "duckdb": "relation.pl()", "dask": "frame.compute()",
                       "pyspark": "frame.toPandas()"}
_RENEWALS: Final = ("account_id", "renewal_date", "arr", "category")
_ZERO: Final = Decimal(0)


@attrs.frozen
class FrameRollup:
    """What :func:`rollup_frame` returns.

    Attributes:
        rollup: The roll-up, the value :func:`postsale.renewal.roll_up` gives for the accepted rows.
        errors: The rows left out (Polars, :data:`REJECTED_SCHEMA`), one row per bad value.
    """

    __repr__ = readable
    rollup: ForecastRollup
    errors: Any


@attrs.frozen
class FrameMonths:
    """What :func:`rollup_by_month_frame` returns.

    Attributes:
        months: ``"YYYY-MM"`` → the roll-up of that calendar month within the period, for every month with a
            renewal due (in order): ``roll_up(lines, period_start=max(first day, period_start),
            period_end=min(last day, period_end))``.
        table: The same as a Polars frame for charts, one row per month and scenario: ``month``, ``period_start``,
            ``period_end``, ``scenario``, ``renewals_due``, ``arr_due``, ``renewed_arr``, ``churn_arr``,
            ``contraction_arr``, ``expansion_arr``, ``retention`` (money as Float64; the exact values are in
            ``months``).
        errors: The rows left out (Polars, :data:`REJECTED_SCHEMA`).
    """

    __repr__ = readable
    months: Mapping[str, ForecastRollup]
    table: Any
    errors: Any


# ---- reading a frame: shared with the revenue ledger ----------------------------------------------------------------


def engine(run: Callable[[], T]) -> T:
    """Run a Polars computation; a failure of Polars itself comes out as an InvalidValueError naming it."""
    try:
        return run()
    except PostsaleError:
        raise
    except Exception as error:  # Polars' own error, whatever its class: say it in the library's terms
        raise InvalidValueError(
            f"could not be evaluated by Polars: {type(error).__name__}: {error}", field="frame",
            constraint="every column has the type docs/frame.md documents (text, dates, numbers)",
            hint="check the column named in the message",
        ) from None


def polars_input(pl: Any, field: str, given: Any, columns: tuple[str, ...]) -> Any:
    """``given`` (pandas, Polars eager or lazy) as a Polars LazyFrame; refused when it lacks ``columns``."""
    pd = require("pandas", "frame")
    if isinstance(given, pd.DataFrame):
        given = engine(lambda: pl.from_pandas(given))
    if isinstance(given, pl.DataFrame):
        given = given.lazy()
    if not isinstance(given, pl.LazyFrame):
        kind = type(given).__module__.split(".")[0]
        if kind in _CONVERSIONS:
            raise InvalidValueError(
                "is a frame of an engine this function does not run on", field=field, value=type(given).__name__,
                constraint="pandas and Polars (eager or lazy) frames",
                hint=f"bring the rows into Polars first: {_CONVERSIONS[kind]}",
            )
        raise InvalidTypeError("is not a dataframe", field=field, value=type(given).__name__,
                               hint="pass a pandas or Polars frame (see docs/frame.md for its columns)")
    names = engine(lambda: given.collect_schema().names())
    missing = [name for name in columns if name not in names]
    if missing:
        raise InvalidValueError(f"lacks column(s) {', '.join(missing)}", field=field, value=missing,
                                constraint=f"the columns {', '.join(columns)}", hint="rename or add them")
    return given


def shown(pl: Any, dtype: Any, name: str) -> Any:
    """A column's values as text, for the errors (null for a type Polars cannot write as text); evaluated on the
    refused rows only."""
    if dtype.is_numeric() or dtype.is_temporal() or dtype in (pl.String, pl.Boolean, pl.Categorical) \
            or isinstance(dtype, pl.Enum):
        return pl.col(name).cast(pl.String)
    return pl.lit(None, pl.String)


def identifiers(pl: Any, dtype: Any, name: str, *, limit: bool) -> tuple[Any, Any]:
    """The ids as text, and the reason each bad one is refused (blank; longer than the name limit if ``limit``)."""
    if not (dtype == pl.String or dtype.is_integer() or dtype == pl.Categorical or isinstance(dtype, pl.Enum)):
        raise InvalidTypeError(f"has type {dtype}, not text", field=name, hint="write the ids as text")
    ids = pl.col(name).cast(pl.String)
    bad = pl.when(ids.is_null() | (ids.str.strip_chars(SPACE) == "")).then(
        pl.lit(reason_of(partial(_checks.text, name, ""))))
    if limit:
        bad = bad.when(ids.str.len_chars() > _checks.MAX_NAME_LENGTH).then(
            pl.lit(reason_of(partial(_checks.identifier, name, "x" * (_checks.MAX_NAME_LENGTH + 1)))))
    return ids, bad.otherwise(pl.lit(None, pl.String))


def days(pl: Any, dtype: Any, name: str) -> tuple[Any, Any]:
    """A date column (Dates, datetimes by their day, ISO text), and the reason a missing or bad one is refused."""
    day = polars_day(pl, dtype, name)
    bad = day.is_null() | ~day.dt.year().is_between(1, 9999)
    return day, pl.when(bad).then(pl.lit(reason_of(partial(_checks.a_date, name, None))))


def names(pl: Any, lazy: Any, name: str, cls: type[Enum], *, default: Enum | None = None) -> tuple[Any, Any]:
    """An enum column as its members' names, each distinct value read once by the scalar parser; and the reason
    a value is refused (a null is ``default``, or refused without one)."""
    values = engine(lambda: lazy.select(pl.col(name).cast(pl.String).unique()).collect().to_series().to_list())
    found: dict[str, str] = {}
    for value in values:
        try:
            if value is not None:
                found[value] = _checks.member(cls, name, value).name
        except PostsaleError:
            pass
    text = pl.col(name).cast(pl.String)
    parsed = text.replace_strict(list(found), list(found.values()), default=None, return_dtype=pl.String)
    if default is not None:
        parsed = pl.when(text.is_null()).then(pl.lit(default.name)).otherwise(parsed)
    reason = reason_of(partial(_checks.member, cls, name, None))
    return parsed, pl.when(parsed.is_null()).then(pl.lit(reason))


def money_text(pl: Any, lazy: Any, dtype: Any, name: str, check: Callable[[str, Any], Decimal]) -> tuple[Any, Any]:
    """An amount column as the text of the decimal the scalar ``check`` reads (null where absent: null or NaN), and
    the reason a value of the wrong type is refused. Text is read by ``check`` itself, once per distinct value."""
    column = pl.col(name)
    none = pl.lit(None, pl.String)
    if dtype.is_integer() or isinstance(dtype, pl.Decimal):
        return column.cast(pl.String), none
    if dtype.is_float():  # Polars writes a float as its shortest representation, as repr() does
        return pl.when(column.is_nan()).then(none).otherwise(column.cast(pl.String)), none
    if dtype in (pl.String, pl.Categorical) or isinstance(dtype, pl.Enum):
        values = engine(lambda: lazy.select(column.cast(pl.String).unique()).collect().to_series().to_list())
        canonical: dict[str, str] = {}
        refused: dict[str, str] = {}
        for value in values:
            if value is not None:
                try:
                    canonical[value] = str(check(name, value))
                except PostsaleError as error:
                    refused[value] = error.without_value()
        text = column.cast(pl.String)
        return (text.replace_strict(list(canonical), list(canonical.values()), default=None, return_dtype=pl.String),
                text.replace_strict(list(refused), list(refused.values()), default=None, return_dtype=pl.String))
    wrong = reason_of(partial(check, name, True))
    return none, pl.when(column.is_not_null()).then(pl.lit(wrong)).otherwise(none)


def money_parts(pl: Any, name: str, check: Callable[[str, Any], Decimal], *, required: bool) -> list[list[Any]]:
    """From ``<name>#text`` (see :func:`money_text`) and ``<name>#bad``, in steps (each a ``with_columns``, so the
    text is parsed once): the reason an amount is refused (``<name>#bad``), and the amount as ``<name>#digits`` x
    10 ** ``<name>#exp`` (trailing zeros stripped; 0 is 0 x 10 ** 0) with ``<name>#scale``, its decimal places."""
    def col(part: str) -> Any:
        return pl.col(f"{name}#{part}")

    text = col("text")
    groups = col("groups")
    steps = [[text.str.extract_groups(_DECIMAL).alias(f"{name}#groups")],
             [groups.struct.field("1").alias(f"{name}#sign"),
              pl.concat_str(groups.struct.field("2").fill_null(""), groups.struct.field("3").fill_null(""))
              .alias(f"{name}#mantissa"),
              (groups.struct.field("4").fill_null("0").str.to_integer(strict=False)
               - groups.struct.field("3").fill_null("").str.len_chars()).alias(f"{name}#shift")],
             [col("mantissa").str.strip_chars_start("0").alias(f"{name}#significant")],
             [col("significant").str.strip_chars_end("0").alias(f"{name}#trimmed")],
             [(col("shift") + col("significant").str.len_chars() - col("trimmed").str.len_chars())
              .alias(f"{name}#exp")]]
    exp, digits = col("exp"), col("trimmed")
    zero = digits == ""
    adjusted = digits.str.len_chars().cast(pl.Int64) - 1 + exp
    reasons = [(text.is_in(["inf", "-inf"]), math.inf), (col("mantissa") == "", "?"), (exp.is_null(), "?"),
               (~zero & ((adjusted > 15) | ((adjusted == 15) & (digits != "1"))), 10**16),
               (~zero & (col("sign") == "-"), -1)]
    if check is not _checks.money:
        reasons.append((zero, 0))
    bad = pl.when(col("bad").is_not_null()).then(col("bad"))
    if required:
        bad = bad.when(text.is_null()).then(pl.lit(reason_of(partial(check, name, None))))
    for condition, example in reasons:
        bad = bad.when(text.is_not_null() & condition).then(pl.lit(reason_of(partial(check, name, example))))
    steps.append([
        bad.otherwise(pl.lit(None, pl.String)).alias(f"{name}#bad"),
        pl.when(text.is_null()).then(pl.lit(None, pl.Int64)).when(zero).then(pl.lit(0, pl.Int64)).otherwise(exp)
        .alias(f"{name}#exp"),
        pl.when(text.is_null()).then(pl.lit(None, pl.Int128)).when(zero).then(pl.lit(0, pl.Int128))
        .otherwise(digits.str.to_integer(dtype=pl.Int128, strict=False)).alias(f"{name}#digits")])
    steps.append([pl.max_horizontal(-exp, pl.lit(0, pl.Int64)).alias(f"{name}#scale")])
    return steps


def parsed(frame: Any, steps: list[list[list[Any]]], amounts: list[str]) -> Any:
    """``frame`` with the steps of :func:`money_parts` of each of the ``amounts`` applied, step by step, and the
    intermediate columns dropped."""
    for together in zip(*steps, strict=True):
        frame = frame.with_columns(*(expr for step in together for expr in step))
    return frame.drop(f"{name}#{part}" for name in amounts
                      for part in ("groups", "sign", "mantissa", "shift", "significant", "trimmed"))


def units(pl: Any, name: str, scale: int) -> Any:
    """The amount as a whole number of ``10 ** -scale`` (Int128); null where absent."""
    shift = pl.col(f"{name}#exp") + scale
    powers = pl.Series([10**k for k in range(scale + 16)], dtype=pl.Int128)
    power = shift.replace_strict(pl.Series(range(scale + 16)), powers, default=None, return_dtype=pl.Int128)
    return (pl.col(f"{name}#digits") * power).alias(name)


def refused(pl: Any, frame: Any, checked: list[tuple[str, Any]]) -> Any:
    """One error row per bad value: ``checked`` pairs a column with its text (see :func:`shown`); ``<column>#bad``
    holds the reasons."""
    schema = {name: getattr(pl, dtype) for name, dtype in REJECTED_SCHEMA.items()}
    parts = [frame.filter(pl.col(f"{column}#bad").is_not_null()).select(
        pl.col("#row").cast(pl.Int64).alias("row"), pl.col("#id").alias("account_id"), pl.lit(column).alias("column"),
        value.alias("value"), pl.col(f"{column}#bad").alias("reason")) for column, value in checked]
    found = pl.concat([part.cast(schema) for part in parts]) if parts else pl.DataFrame(schema=schema)
    return found.sort("row", maintain_order=True)


def decimal_of(value: int, scale: int) -> Decimal:
    """``value x 10 ** -scale`` exactly."""
    return EXACT.scaleb(Decimal(value), -scale)


# ---- the roll-up ------------------------------------------------------------------------------------------------


@attrs.frozen
class _Renewals:
    """The accepted rows (``account_id``, ``renewal_date``, ``category``, ``arr`` and ``renewal`` in units of
    ``10 ** -scale`` or, when ``exact`` is false, null; the amounts' text; ``flagged``) and the refused ones."""

    rows: Any
    errors: Any
    scale: int
    exact: bool


def _read(pl: Any, renewals: Any) -> _Renewals:
    lazy = polars_input(pl, "renewals", renewals, _RENEWALS)
    schema = engine(lazy.collect_schema)
    optional = "expected_arr" in schema
    if "flagged" in schema and schema["flagged"] != pl.Boolean:
        raise InvalidTypeError(f"has type {schema['flagged']}, not Boolean", field="renewals.flagged",
                               hint="write whether the CSM's call disagrees as true / false")
    ids, id_bad = identifiers(pl, schema["account_id"], "account_id", limit=True)
    day, day_bad = days(pl, schema["renewal_date"], "renewal_date")
    category, category_bad = names(pl, lazy, "category", ForecastCategory)
    amounts = [("arr", True)] + ([("expected_arr", False)] if optional else [])
    texts = []
    for name, _ in amounts:
        text, bad = money_text(pl, lazy, schema[name], name, _checks.money)
        texts += [text.alias(f"{name}#text"), bad.alias(f"{name}#bad")]
    flagged = pl.col("flagged").fill_null(False) if "flagged" in schema else pl.lit(False)
    frame = lazy.with_row_index("#row").select(
        "#row", ids.alias("#id"), id_bad.alias("account_id#bad"), day.alias("#day"),
        day_bad.alias("renewal_date#bad"), category.alias("#category"), category_bad.alias("category#bad"),
        flagged.alias("#flagged"), *texts,
        *(pl.col(name).alias(f"{name}#raw") for name in (*_RENEWALS[1:], *(["expected_arr"] if optional else []))),
    )
    frame = engine(parsed(frame, [money_parts(pl, name, _checks.money, required=required)
                                  for name, required in amounts], [name for name, _ in amounts]).collect)
    checked = [("account_id", pl.col("#id")),
               *((name, shown(pl, schema[name], f"{name}#raw")) for name in _RENEWALS[1:]),
               *([("expected_arr", shown(pl, schema["expected_arr"], "expected_arr#raw"))] if optional else [])]
    errors = refused(pl, frame, checked)
    good = frame.filter(pl.all_horizontal([pl.col(f"{c}#bad").is_null() for c, _ in checked])).select(
        "#id", "#day", "#category", "#flagged",
        *(f"{name}#{part}" for name, _ in amounts for part in ("text", "exp", "digits", "scale")))
    return _scaled(pl, good, errors, [name for name, _ in amounts])


def _scaled(pl: Any, good: Any, errors: Any, amounts: list[str]) -> _Renewals:
    """The accepted rows with their amounts in units of the finest decimal place any of them has."""
    scales = good.select(*(pl.col(f"{n}#scale").max() for n in amounts)).row(0) if good.height else [0]
    scale = max((s for s in scales if s is not None), default=0)
    exact = scale <= MAX_SCALE
    arr = units(pl, "arr", scale) if exact else pl.lit(None, pl.Int128).alias("arr")
    renewal = (pl.coalesce(units(pl, "expected_arr", scale), pl.col("arr")) if "expected_arr" in amounts and exact
               else pl.col("arr"))
    rows = good.with_columns(arr).with_columns(renewal.alias("renewal")).select(
        pl.col("#id").alias("account_id"), pl.col("#day").alias("renewal_date"), pl.col("#category").alias("category"),
        "arr", "renewal", pl.col("arr#text").alias("arr_text"),
        (pl.col("expected_arr#text") if "expected_arr" in amounts else pl.lit(None, pl.String)).alias("expected_text"),
        pl.col("#flagged").alias("flagged"))
    if exact and rows.height:
        largest = rows.select(pl.max_horizontal(pl.col("arr").max(), pl.col("renewal").max())).item() or 0
        exact = rows.height * largest < 2**126  # every sum (and difference) stays within Int128
    return _Renewals(rows, errors, scale, exact)


def _arguments(period_start: Any, period_end: Any, scenarios: Any) -> tuple[Scenario, ...]:
    """The scenarios, once the arguments pass the scalar roll-up's own checks."""
    plans: tuple[Scenario, ...] = _checks.items("scenarios", scenarios, Scenario)
    roll_up((), period_start=period_start, period_end=period_end, scenarios=plans)
    return plans


def _sums(pl: Any, due: Any, keys: list[str]) -> Any:
    """Per ``keys`` and category: the count and the sums of ARR, renewal ARR, downgrades and upgrades (units)."""
    up, down = pl.col("renewal") - pl.col("arr"), pl.col("arr") - pl.col("renewal")  # Int128 has no negation
    zero = pl.lit(0, pl.Int128)
    return due.group_by(*keys, "category").agg(
        pl.len().alias("count"), pl.col("arr").sum(), pl.col("renewal").sum(),
        pl.when(down > 0).then(down).otherwise(zero).sum().alias("down"),
        pl.when(up > 0).then(up).otherwise(zero).sum().alias("up"))


def _built(start: date, end: date, sums: list[dict[str, Any]], plans: tuple[Scenario, ...], flagged: list[str],
           scale: int) -> ForecastRollup | None:
    """The roll-up from a period's sums per category; None where the scalar roll-up would have rounded."""
    by = {row["category"]: row for row in sums}
    amounts = {c: tuple(decimal_of(by[c.name][k], scale) if c.name in by else _ZERO
                        for k in ("arr", "renewal", "down", "up")) for c in ForecastCategory}
    arr_due = _total(a[0] for a in amounts.values())
    totals = tuple(CategoryTotal(c, by[c.name]["count"] if c.name in by else 0, *amounts[c][:2])
                   for c in ForecastCategory)
    figures = [arr_due, *(a for c in ForecastCategory for a in amounts[c])]
    results = []
    places = 0
    for plan in plans:
        p = {c: Decimal(repr(plan.probability(c))).normalize() for c in ForecastCategory}
        places = max(places, *(-min(0, int(v.as_tuple().exponent)) for v in p.values()))
        renewed, churn, contraction, expansion = (
            _total(EXACT.multiply(weight(p[c]), amounts[c][k]) for c in ForecastCategory)
            for weight, k in ((_same, 1), (_rest, 0), (_same, 2), (_same, 3)))
        figures += [renewed, churn, contraction, expansion]
        results.append((plan.name, renewed, churn, contraction, expansion))
    bound = Decimal(10) ** max(0, decimal.getcontext().prec - scale - places)
    if scale + places + 16 > decimal.getcontext().prec or any(f >= bound for f in figures):
        return None  # the scalar path rounds somewhere: let it say what it gives
    scenarios = tuple(ScenarioResult(name, r, c, down, up, None if arr_due == 0 else float(r / arr_due))
                      for name, r, c, down, up in results)
    return ForecastRollup(period_start=start, period_end=end, renewals_due=sum(t.count for t in totals),
                          arr_due=arr_due, by_category=totals, scenarios=scenarios, flagged=tuple(flagged))


def _total(values: Iterable[Decimal]) -> Decimal:
    return functools.reduce(EXACT.add, values, _ZERO)


def _same(p: Decimal) -> Decimal:
    return p


def _rest(p: Decimal) -> Decimal:
    return EXACT.subtract(1, p)


def _lines(rows: Any) -> list[RenewalLine]:
    """The rows as scalar lines (where the scalar path has to add them itself)."""
    return [RenewalLine(account_id, day, Decimal(arr), category,
                        expected_arr=None if expected is None else Decimal(expected), flagged=flagged)
            for account_id, day, category, arr, expected, flagged in rows.select(
                "account_id", "renewal_date", "category", "arr_text", "expected_text", "flagged").iter_rows()]


def rollup_frame(
    renewals: Any, *, period_start: date, period_end: date, scenarios: Iterable[Scenario] = DEFAULT_SCENARIOS
) -> FrameRollup:
    """Roll up the renewals due between ``period_start`` and ``period_end`` (both included): the value
    ``roll_up(lines, period_start=..., period_end=..., scenarios=...)`` gives for the frame's rows as lines.

    Args:
        renewals: One row per renewal (pandas, Polars eager or lazy): ``account_id``, ``renewal_date`` (a date,
            a datetime read by its day, or ISO text), ``arr`` (a number or decimal text), ``category`` (a
            :class:`~postsale.renewal.ForecastCategory` name, any case: the ``forecast`` column of
            :func:`~postsale.adapters.frame.review_frame`); optionally ``expected_arr`` (null: unchanged) and
            ``flagged`` (Boolean: the CSM's call disagrees). Other columns are ignored.
        period_start: First day of the period.
        period_end: Last day of the period.
        scenarios: The scenarios, as for :func:`~postsale.renewal.roll_up`.

    Returns:
        The roll-up and the rows refused (one row per bad value, with the scalar error's words).

    Raises:
        InvalidTypeError: ``renewals`` is not a pandas or Polars frame; a ``flagged`` column not Boolean;
            ``scenarios`` not scenarios; a period bound not a date.
        InvalidValueError: a required column missing; ``period_end`` before ``period_start``; duplicate
            scenario names; a frame of another engine (with the conversion to make).

    Examples:
        >>> from datetime import date
        >>> import polars as pl
        >>> renewals = pl.DataFrame({"account_id": ["a", "b", "c"], "arr": [100000, 50000, -5],
        ...     "renewal_date": [date(2027, 6, 30), date(2027, 6, 15), date(2027, 5, 1)],
        ...     "category": ["COMMIT", "at_risk", "LIKELY"], "expected_arr": [None, 40000, None]})
        >>> found = rollup_frame(renewals, period_start=date(2027, 4, 1), period_end=date(2027, 6, 30))
        >>> found.rollup.arr_due, found.rollup.scenario("low").churn_arr
        (Decimal('150000'), Decimal('50000'))
        >>> found.errors.select("account_id", "column", "value").rows()
        [('c', 'arr', '-5')]
    """
    pl = require("polars", "polars")
    plans = _arguments(period_start, period_end, scenarios)
    read = _read(pl, renewals)
    due = read.rows.filter(pl.col("renewal_date").is_between(period_start, period_end))
    flagged = due.filter(pl.col("flagged"))["account_id"].to_list()
    found = _built(period_start, period_end, _sums(pl, due, []).to_dicts(), plans, flagged, read.scale) \
        if read.exact else None
    if found is None:
        found = roll_up(_lines(due), period_start=period_start, period_end=period_end, scenarios=plans)
    return FrameRollup(found, read.errors)


def rollup_by_month_frame(
    renewals: Any, *, period_start: date, period_end: date, scenarios: Iterable[Scenario] = DEFAULT_SCENARIOS
) -> FrameMonths:
    """Roll up the renewals due in each calendar month of the period (clipped to it), each month's value the one
    ``roll_up`` gives for that month; months without a renewal due are left out (their roll-up is all zeros).

    The arguments and the frame are those of :func:`rollup_frame`.

    Raises:
        InvalidTypeError: as :func:`rollup_frame`.
        InvalidValueError: as :func:`rollup_frame`.

    Examples:
        >>> from datetime import date
        >>> import polars as pl
        >>> renewals = pl.DataFrame({"account_id": ["a", "b", "c"], "arr": [100000.0, 50000.0, 20000.0],
        ...     "renewal_date": [date(2027, 4, 30), date(2027, 6, 15), date(2027, 6, 1)],
        ...     "category": ["COMMIT", "AT_RISK", "LIKELY"]})
        >>> found = rollup_by_month_frame(renewals, period_start=date(2027, 4, 1), period_end=date(2027, 6, 30))
        >>> {month: rollup.arr_due for month, rollup in found.months.items()}
        {'2027-04': Decimal('100000'), '2027-06': Decimal('70000')}
        >>> found.table.filter(pl.col("scenario") == "medium").select("month", "renewed_arr").rows()
        [('2027-04', 100000.0), ('2027-06', 20000.0)]
    """
    pl = require("polars", "polars")
    plans = _arguments(period_start, period_end, scenarios)
    read = _read(pl, renewals)
    due = read.rows.filter(pl.col("renewal_date").is_between(period_start, period_end)).with_columns(
        pl.col("renewal_date").dt.truncate("1mo").alias("month"))
    firsts = sorted(due["month"].unique().to_list())
    flagged: dict[date, list[str]] = {}
    for account_id, first in due.filter(pl.col("flagged")).select("account_id", "month").iter_rows():
        flagged.setdefault(first, []).append(account_id)
    sums: dict[date, list[dict[str, Any]]] = {}
    if read.exact:
        for row in _sums(pl, due, ["month"]).to_dicts():
            sums.setdefault(row["month"], []).append(row)
    months: dict[str, ForecastRollup] = {}
    for first in firsts:
        start = max(first, period_start)
        end = min(first.replace(day=calendar.monthrange(first.year, first.month)[1]), period_end)
        found = _built(start, end, sums[first], plans, flagged.get(first, []), read.scale) if read.exact else None
        if found is None:
            found = roll_up(_lines(due.filter(pl.col("month") == first)), period_start=start, period_end=end,
                            scenarios=plans)
        months[f"{first.year:04d}-{first.month:02d}"] = found
    return FrameMonths(months, _table(pl, months), read.errors)


def _table(pl: Any, months: Mapping[str, ForecastRollup]) -> Any:
    """One row per month and scenario, money as Float64 (for charts)."""
    rows = [(month, r.period_start, r.period_end, s.name, r.renewals_due, float(r.arr_due), float(s.renewed_arr),
             float(s.churn_arr), float(s.contraction_arr), float(s.expansion_arr), s.retention)
            for month, r in months.items() for s in r.scenarios]
    schema = {"month": pl.String, "period_start": pl.Date, "period_end": pl.Date, "scenario": pl.String,
              "renewals_due": pl.Int64, "arr_due": pl.Float64, "renewed_arr": pl.Float64, "churn_arr": pl.Float64,
              "contraction_arr": pl.Float64, "expansion_arr": pl.Float64, "retention": pl.Float64}
    return pl.DataFrame(rows, schema=schema, orient="row")
