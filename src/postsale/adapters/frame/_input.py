"""Reading a portfolio frame: normalise its columns, and find the rows the scalar path would refuse.

Every check here is the columnar twin of a scalar validation, and its reason is taken from the scalar error
itself (:func:`reason_of` calls the scalar check with an offending value), so a rejected row reads with the same
words as the error ``AccountSnapshot(...)`` or ``Engine.step`` would raise.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any, Final

import attrs

from postsale import _checks
from postsale._columnar import ACTIVE, BAND, PREVIOUS, SEPARATOR, member_key, physical
from postsale._errors import InvalidTypeError, PostsaleError
from postsale._repr import readable
from postsale._vocabulary import SEGMENT_ALIASES, AccountSnapshot, Segment
from postsale.renewal import INTENT, MILESTONE, RENEWAL_RECORDED, ForecastCategory, Intent

if TYPE_CHECKING:  # pragma: no cover - typing only
    from narwhals.stable.v2 import Expr

__all__ = ["ACCOUNT_ID", "DATES", "Check", "bad_any", "checks", "normalise", "reason_of"]

ACCOUNT_ID: Final = "account_id"
SEGMENT: Final = "segment"
DATES: Final = ("contract_start", "contract_end", PREVIOUS + "band_since")
"""Columns read as calendar dates."""
CSM_CALL: Final = "csm_call"
"""The column holding the CSM's own forecast category for an account (a :class:`ForecastCategory` name); where
given it is the account's forecast, as ``Forecast.category`` reads it."""
TEXT: Final = (ACCOUNT_ID, SEGMENT, PREVIOUS + BAND, "time_zone", "csm", "parent_id", INTENT, CSM_CALL)
"""Columns read as text (the rest are numbers, or Booleans for ``active.<rule>``)."""
_SIGNALS_PREFIX: Final = "signals."
_DEFAULTS: Final = {"acv": None, "seats_purchased": 0.0, "seats_active": 0.0}
"""What a snapshot holds when the frame does not say (Float64 columns): no ACV (scored as 0), no seats."""
_SEGMENT_NAMES: Final = tuple(member.name for member in Segment)


def reason_of(check: Callable[[], object]) -> str:
    """Return the words of the error ``check()`` raises, without the offending value (the errors frame holds
    it in its own column): ``"acv: is negative; rule: must be >= 0; instead: pass an amount >= 0"``."""
    try:
        check()
    except PostsaleError as error:
        return error.without_value()
    raise AssertionError("the scalar check accepted the offending value")  # pragma: no cover - a broken table


@attrs.frozen
class Check:
    """One reason a row is rejected: the column, a Boolean expression true on the bad rows, the words."""

    __repr__ = readable
    column: str
    bad: Any
    reason: str
    value: str | None = None
    """The column whose value the errors frame shows (default: ``column``)."""


_NUMBER: Final = r"^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$"
_ISO_DATE: Final = r"^\d{4}-\d{2}-\d{2}$"
DUPLICATE: Final = "__duplicate"
"""The column saying a row's account id appears on another row too (a window: Dask needs it materialised before
it is combined with the row-wise checks)."""
RAW: Final = "__raw."
"""Prefix of the text columns kept beside their parsed form, so a rejected row shows what it held."""


def _parsed_number(nw: Any, text: Any) -> tuple[Any, Any]:
    """Text parsed as a number (null where it is not one), and where it was text that is not a number.

    narwhals has no non-strict cast: the text that is not a number is masked to null first, so the cast never
    sees it (on every engine)."""
    text = text.str.strip_chars()
    valid = text.str.contains(_NUMBER).fill_null(False)
    parsed = nw.when(valid).then(text).otherwise(nw.lit(None, nw.String)).cast(nw.Float64)
    return parsed, ~valid & ~text.is_null() & (text != "").fill_null(False)  # pandas: NA-free Booleans


def _parsed_date(nw: Any, text: Any) -> tuple[Any, Any]:
    """ISO text (``2026-01-31``) parsed as a date (null where it is not a calendar date), and where it failed."""
    text = text.str.strip_chars()
    shaped = nw.when(text.str.contains(_ISO_DATE).fill_null(False)).then(text).otherwise(nw.lit(None, nw.String))
    # Float64, not Int64: pandas cannot hold a missing value in an int64 column (whole numbers are exact in floats)
    year = shaped.str.slice(0, 4).cast(nw.Float64)
    month = shaped.str.slice(5, 2).cast(nw.Float64)
    day = shaped.str.slice(8, 2).cast(nw.Float64)
    def divides(k: int) -> Any:  # `year % k == 0` without `%`, which PyArrow lacks
        return year == (year // k) * k

    leap = divides(4) & (~divides(100) | divides(400))
    length = (nw.when(month == 2).then(nw.when(leap).then(nw.lit(29)).otherwise(nw.lit(28)))
              .when(month.is_in([4.0, 6.0, 9.0, 11.0])).then(nw.lit(30)).otherwise(nw.lit(31)))
    valid = ((month >= 1) & (month <= 12) & (day >= 1) & (day <= length) & (year >= 1)).fill_null(False)
    # through a datetime: pandas has no date parse (narwhals refuses str.to_date on its default backend)
    parsed = nw.when(valid).then(shaped).otherwise(nw.lit(None, nw.String)).str.to_datetime("%Y-%m-%d").cast(nw.Date)
    return parsed, ~valid & ~text.is_null() & (text != "").fill_null(False)  # pandas: NA-free Booleans


def normalise(
    lazy: Any, nw: Any, *, ids_first: bool = False, eager: Any = None
) -> tuple[Any, list[str], list[Check]]:
    """Return the frame with every column in the form decisions read (see ``review_frame``), its names, and the
    checks of the text columns that had to be parsed.

    ``signals.<name>`` columns (``to_pandas`` of snapshots) lose their prefix; numbers become Float64 with null
    for NaN; datetimes become dates; text is parsed where a number or a date is expected (what does not parse
    rejects its row); text is stripped; a segment is upper-cased with ``-`` and spaces as ``_``. A Boolean
    column :data:`DUPLICATE` says which account ids appear more than once (``ids_first``: the repeated ids are found
    first, for engines whose windows are unsafe across partitions).

    ``eager``: the input, when it is already in memory (a narwhals DataFrame). It is probed first, in one cheap
    pass, for what is usually true of a portfolio: no account id repeats (counting distinct ids costs a quarter of
    flagging each row's repeats) and every segment is already a canonical name (so no string is rewritten).
    """
    schema = lazy.collect_schema()
    unique_ids, canonical = _probe(eager, nw) if eager is not None else (False, False)
    exprs = []
    names: list[str] = []
    parsing: list[Check] = []
    for raw, dtype in schema.items():
        name = raw.replace(SEPARATOR, ".").removeprefix(_SIGNALS_PREFIX)
        if name.startswith("labels.") or name == "as_of":
            continue  # labels route and group accounts; the evaluation date is review_frame's as_of
        column = nw.col(raw)
        if name == SEGMENT and canonical:
            expr = column
        elif name == SEGMENT:
            expr = member_key(column, nw, SEGMENT_ALIASES)
        elif name in TEXT:
            expr = column.cast(nw.String)
        elif _is_date(name) and dtype == nw.String:
            expr, _ = _parsed_date(nw, column)
            _, bad = _parsed_date(nw, nw.col(physical(RAW + name)))  # checked after the select: on the text kept
            parsing.append(Check(name, bad, reason_of(partial(_checks.a_date, name, "?")), RAW + name))
            exprs.append(column.alias(physical(RAW + name)))
        elif _is_date(name):
            expr = column.cast(nw.Date)
        elif (name.startswith(ACTIVE) or name == RENEWAL_RECORDED) and (dtype == nw.Boolean or dtype.is_numeric()):
            expr = column.cast(nw.Boolean)  # compared with true / false on every engine
        elif name.startswith(ACTIVE):
            raise InvalidTypeError(
                f"has type {dtype}, not Boolean",
                field=raw,
                constraint="active.<rule> says whether the rule held at the previous evaluation (true / false)",
                hint="write the column as Booleans (or 0 / 1)",
            )
        elif dtype.is_numeric() or dtype == nw.Boolean:
            expr = column.cast(nw.Float64)
            if dtype.is_float():
                expr = expr.fill_nan(None)
        elif dtype == nw.String:
            expr, _ = _parsed_number(nw, column)
            _, bad = _parsed_number(nw, nw.col(physical(RAW + name)))
            parsing.append(Check(name, bad, reason_of(partial(_checks.number, name, "?")), RAW + name))
            exprs.append(column.alias(physical(RAW + name)))
        else:
            raise InvalidTypeError(
                f"has type {dtype}, which is neither a number, a date nor text",
                field=raw,
                constraint="signals and amounts are numbers (NaN or null = absent), dates are dates",
                hint="convert the column, or drop it before the review",
            )
        exprs.append(expr.alias(physical(name)))
        names.append(name)
    # What a snapshot defaults to when the frame does not say: no ACV (scored as 0), no seats. (No contract
    # dates: a decision reading them is then not evaluated; a null Date literal is not a date column on pandas.)
    for name, default in _DEFAULTS.items():
        if name not in names:
            exprs.append(nw.lit(default, nw.Float64).alias(name))
            names.append(name)
    frame = lazy.select(*exprs)
    if unique_ids:
        return frame.with_columns(nw.lit(False).alias(DUPLICATE)), names, parsing
    if not ids_first:
        return frame.with_columns(nw.col(ACCOUNT_ID).is_duplicated().alias(DUPLICATE)), names, parsing
    # Dask evaluates a window over partitions by concatenating frames it assumes aligned, and a join back would
    # renumber the index: find the repeated ids first (one pass over the ids), then test membership row by row.
    counts = frame.group_by(ACCOUNT_ID).agg(nw.len().alias(DUPLICATE)).filter(nw.col(DUPLICATE) > 1)
    repeated = counts.select(ACCOUNT_ID).collect()[ACCOUNT_ID].to_list()
    return frame.with_columns(nw.col(ACCOUNT_ID).is_in(repeated).alias(DUPLICATE)), names, parsing


def _probe(frame: Any, nw: Any) -> tuple[bool, bool]:
    """Whether ``frame``'s account ids are all distinct, and whether its segments are all canonical names (or
    null) of type String."""
    segment = nw.col(SEGMENT)
    is_text = frame.schema[SEGMENT] == nw.String
    found = frame.select(
        nw.col(ACCOUNT_ID).n_unique().alias("distinct"),
        nw.len().alias("rows"),
        (segment.is_in(_SEGMENT_NAMES) | segment.is_null()).all().alias("canonical") if is_text
        else nw.lit(False).alias("canonical"),
    ).row(0)
    return found[0] == found[1], bool(found[2])


def _segment_reason() -> str:
    return reason_of(lambda: Segment.parse("?"))


def checks(names: Iterable[str], nw: Any, *, counts: Iterable[str] = ()) -> list[Check]:
    """The row checks of a normalised frame with columns ``names``; ``counts`` names signals read by rules
    that must be >= 0 (``postsale.triggers.NON_NEGATIVE_SIGNALS`` the rule set reads)."""
    present = set(names)
    found: list[Check] = []
    def col(name: str) -> Any:
        return nw.col(physical(name))

    found.append(Check(ACCOUNT_ID, col(ACCOUNT_ID).is_null() | (col(ACCOUNT_ID).str.strip_chars() == ""),
                       reason_of(lambda: _checks.text(ACCOUNT_ID, ""))))
    found.append(Check(ACCOUNT_ID, nw.col(DUPLICATE),
                       f"{ACCOUNT_ID}: appears on more than one row; rule: one row per account; "
                       "instead: keep one row per account (the latest snapshot)"))
    found.append(Check(SEGMENT, ~col(SEGMENT).is_in(_SEGMENT_NAMES) | col(SEGMENT).is_null(), _segment_reason()))
    if "acv" in present:
        found.append(Check("acv", col("acv") < 0, reason_of(lambda: _checks.money("acv", -1))))
        found.append(Check("acv", _infinite(col("acv")),
                           reason_of(lambda: _checks.money("acv", float("inf")))))
    for seats in ("seats_purchased", "seats_active"):
        if seats in present:
            found.append(Check(seats, col(seats) < 0, reason_of(partial(_checks.count, seats, -1))))
            # ">" rather than "!=": on pandas a missing value is NaN, and NaN != NaN is true
            found.append(Check(seats, (col(seats) > col(seats).floor()) | _infinite(col(seats)),
                               reason_of(partial(_checks.count, seats, 0.5))))
    for name, kind in ((INTENT, Intent), (CSM_CALL, ForecastCategory)):
        if name in present:
            said = member_key(col(name), nw)
            found.append(Check(name, ~said.is_in([m.name for m in kind]) & ~col(name).is_null(),
                               reason_of(partial(_checks.member, kind, name, "?"))))
    if "contract_start" in present and "contract_end" in present:
        found.append(Check("contract_end", col("contract_end") <= col("contract_start"), _contract_reason()))
    for name in sorted(present):
        if _is_signal(name):
            found.append(Check(name, _infinite(col(name)),
                               reason_of(partial(_checks.number, f"signals[{name!r}]", float("inf")))))
    for name in sorted(set(counts) & present):
        found.append(Check(name, col(name) < 0,
                           f"signals[{name!r}]: is negative; rule: counts and shares are >= 0; "
                           "instead: fix the data feeding this signal, or drop it"))
    return found


def _infinite(column: Expr) -> Expr:
    """True where a number is infinite (null where absent; NaN is null here). ``abs() > max`` rather than
    ``is_finite``: the same answer, three times faster on Polars."""
    result: Expr = column.abs() > sys.float_info.max
    return result


def _is_date(name: str) -> bool:
    return name in DATES or name.startswith(MILESTONE)


def _is_signal(name: str) -> bool:
    return name not in (*TEXT, "acv", "seats_purchased", "seats_active", RENEWAL_RECORDED) and not _is_date(name) \
        and not name.startswith(ACTIVE)


def _contract_reason() -> str:
    day = date(2026, 1, 1)
    return reason_of(lambda: AccountSnapshot("x", "SMB", day, contract_start=day, contract_end=day))


def bad_any(found: list[Check], nw: Any) -> Expr:
    """One Boolean expression: true on a row any check rejects (null counts as not bad)."""
    result: Expr = nw.any_horizontal(*(c.bad.fill_null(False) for c in found), ignore_nulls=True)
    return result
