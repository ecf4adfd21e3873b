"""The kernel of the columnar path: one definition per decision, its scalar and columnar forms side by side.

Every decision concept (a scoring kind, a missing-data policy, a band policy, a trigger condition, the renewal
state order, a forecast rule, the touch scorer) is one class that carries

* its **scalar form**, the method the one-account path calls (``points``, ``compile``, ``band`` ...), and
* its **columnar form**, a method named ``expr`` returning a narwhals expression, so pandas, Polars, PyArrow,
  DuckDB, Dask and PySpark run the same code.

The class is marked with :func:`decision`, which refuses (with a :class:`~postsale.DefinitionError`) a class that
lacks either form; the test suite walks the public API and checks every decision class is marked and has both.

Columnar forms read their inputs through an :class:`Env`: the columns present in the frame (already normalised by
the entry point: numbers as Float64 with null for absent, dates as Date, enums as upper-case strings), the date
of evaluation and the columns computed by earlier stages (the health score and band). Reading a column the frame
does not have raises :class:`NotEvaluable`, which the entry point reports (the decision's output is null and the
reason is listed) instead of failing the frame.

narwhals is an optional dependency (``pip install 'postsale[frame]'``): it is imported by :func:`narwhals` when a
columnar form is built, never when ``postsale`` is imported.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Final, TypeVar

from postsale import _checks
from postsale._errors import DefinitionError, InvalidValueError, MissingDependencyError, Problem, UnknownNameError

if TYPE_CHECKING:  # pragma: no cover - typing only
    from narwhals.stable.v2 import Expr

__all__ = [
    "ACTIVE",
    "BAND",
    "DAYS_IN_BAND",
    "HEALTH",
    "PREVIOUS",
    "Env",
    "NotEvaluable",
    "day_number",
    "decision",
    "is_decision",
    "lookup",
    "narwhals",
    "physical",
    "require",
    "segment_code",
]

T = TypeVar("T", bound=type)

COLUMNAR_FORM: Final = "expr"
"""The name of the columnar form every decision class defines."""

HEALTH: Final = "health"
"""The column holding the health score (0-100, null = unscored) once the health stage has run."""
BAND: Final = "band"
"""The column holding the health band name (``"GREEN"``, ``"YELLOW"``, ``"RED"``, null = unscored)."""
ACTIVE: Final = "active."
"""Prefix of the Boolean columns saying which rules held at the previous evaluation (``active.U1``)."""
DAYS_IN_BAND: Final = "days_in_band"
"""The column holding the consecutive days in the current band (0 on the day it is entered)."""
PREVIOUS: Final = "previous."
"""Prefix of the columns holding the previous evaluation's values (``previous.nps``, ``previous.health``)."""


SEPARATOR: Final = "\u00b7"
"""What a dot in a column name becomes inside an evaluation (``previous.band`` is held as ``previous·band``):
Spark reads a dot in a column name as a struct field, so the frames postsale builds use no dots inside and put
them back in the names of the results."""


def physical(name: str) -> str:
    """The name column ``name`` has inside an evaluation (no dots, see :data:`SEPARATOR`).

    Examples:
        >>> physical("previous.band"), physical("nps")
        ('previous·band', 'nps')
    """
    return _checks.text("column name", name).replace(".", SEPARATOR)


_MODULE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
"""An absolute module name: identifiers separated by single dots."""


def require(module: str, extra: str) -> Any:
    """Import ``module`` or raise :class:`~postsale.MissingDependencyError` naming ``postsale[extra]``.

    Raises:
        InvalidValueError: ``module`` is not an absolute module name (``".x"``, ``"a..b"``).
        MissingDependencyError: ``module`` cannot be imported.

    Examples:
        >>> require("json", "frame").__name__
        'json'
    """
    _checks.text("module", module)
    _checks.text("extra", extra)
    loaded = sys.modules.get(module)  # the common case, on every call of a frame function: already imported
    if loaded is not None:
        return loaded
    if not _MODULE_NAME.fullmatch(module):  # a relative name (".x") would be a TypeError from importlib
        raise InvalidValueError(
            "is not a module name", field="module", value=module if len(module) <= 80 else f"{module[:80]}...",
            constraint="an absolute, dotted module name such as 'narwhals.stable.v2'", hint="pass e.g. 'pandas'",
        )
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(
            f"{module} is not installed; it is needed by postsale's optional {extra!r} extra",
            field="dependency",
            value=module,
            constraint=f"the {extra!r} extra is optional",
            hint=f"pip install 'postsale[{extra}]'",
        ) from None


def narwhals() -> Any:
    """Return ``narwhals.stable.v2`` (the stable API postsale pins), or raise MissingDependencyError."""
    return require("narwhals.stable.v2", "frame")


# ---- decisions ----------------------------------------------------------------------------------------------


def decision(scalar: str) -> Callable[[T], T]:
    """Mark a class as a decision concept whose scalar form is the method ``scalar`` and columnar form ``expr``.

    Raises:
        DefinitionError: the class lacks its scalar or its columnar form.

    Examples:
        >>> @decision("points")
        ... class Half:
        ...     def points(self, value: float) -> float:
        ...         return value / 2
        ...     def expr(self, env, value):
        ...         return value / 2
        >>> is_decision(Half)
        True
        >>> @decision("points")
        ... class Forgotten:
        ...     def points(self, value: float) -> float:
        ...         return value
        Traceback (most recent call last):
        ...
        postsale._errors.DefinitionError: Forgotten is not a complete decision (1 problem(s)):
          - the columnar form is missing: define expr(...) returning a narwhals expression @ Forgotten.expr
        ...
    """

    def mark(cls: T) -> T:
        problems = [
            Problem(f"{cls.__name__}.{name}", f"the {kind} form is missing: {what}")
            for name, kind, what in (
                (scalar, "scalar", f"define {scalar}(...) for one account"),
                (COLUMNAR_FORM, "columnar", f"define {COLUMNAR_FORM}(...) returning a narwhals expression"),
            )
            if not callable(getattr(cls, name, None))
        ]
        if problems:
            raise DefinitionError(
                f"{cls.__name__} is not a complete decision",
                problems,
                hint="write both forms side by side in the class, so they are read and changed together",
            )
        cls.__postsale_decision__ = scalar  # type: ignore[attr-defined]
        return cls

    return mark


def is_decision(cls: type) -> bool:
    """Return whether ``cls`` was marked by :func:`decision` (and so carries both forms)."""
    return isinstance(getattr(cls, "__postsale_decision__", None), str)


# ---- the environment of one columnar evaluation ---------------------------------------------------------------


class NotEvaluable(UnknownNameError):
    """A columnar form needs a column the frame does not have (the entry point reports it, it never escapes)."""

    def __init__(self, column: str, *, needed_by: str = "") -> None:
        reader = needed_by if isinstance(needed_by, str) else repr(needed_by)  # an error never fails being built
        super().__init__(
            "is not a column of the frame" + (f", but {reader} reads it" if reader else ""),
            field=column,
            constraint="every column a decision reads must be present (null where the value is absent)",
            hint=f"add a {column!r} column (null where unknown), or leave the decision unevaluated",
        )
        self.column = column


class Env:
    """What a columnar form may read: the frame's columns, the date of evaluation, computed stages.

    Args:
        names: The (normalised) column names of the frame, as given or in their :func:`physical` form (a
            collection of names, or a schema: a mapping whose keys are the names).
        as_of: The date of evaluation.
        days: How a Date column becomes a day number (all three give the same numbers): ``"seconds"``, the
            seconds between datetimes (portable); ``"epoch"``, the Date's own day count (a cast: Polars and
            PyArrow, ten times faster); ``"civil"``, from the calendar fields (:func:`day_number`), for engines
            without ``dt.total_seconds`` (PySpark).
        computed: The derived columns (:meth:`derived`) the entry point has added: a decision reading the days
            to a contract date reads them instead of computing them again.

    Raises:
        InvalidTypeError: ``names`` or ``computed`` is not a collection of strings, ``as_of`` is not a date, or a
            method is given a column name that is not a string.
        UnknownNameError: ``days`` is not one of its modes.

    Examples:
        >>> env = Env(["nps", "contract_end"], as_of=date(2026, 11, 1))
        >>> env.has("nps"), env.has("sentiment")
        (True, False)
        >>> env.column("sentiment")
        Traceback (most recent call last):
        ...
        postsale._columnar.NotEvaluable: sentiment: is not a column of the frame; ...
    """

    __slots__ = ("_nw", "as_of", "computed", "days", "names", "needed_by")

    def __init__(
        self, names: Iterable[str], *, as_of: date, days: str = "seconds", computed: Iterable[str] = ()
    ) -> None:
        columns = _checks.items("names", tuple(names) if isinstance(names, Mapping) else names, str)  # a schema too
        self.names: frozenset[str] = frozenset(name.replace(SEPARATOR, ".") for name in columns)
        self.as_of = _checks.a_date("as_of", as_of)
        self.needed_by = ""
        self.days = _checks.one_of("days", days, _DAY_MODES)
        self.computed = frozenset(_checks.items("computed", computed, str)) & self.names
        self._nw: Any = None

    @property
    def nw(self) -> Any:
        """The ``narwhals.stable.v2`` module."""
        if self._nw is None:
            self._nw = narwhals()
        return self._nw

    def has(self, name: str) -> bool:
        """Return whether the frame has column ``name``."""
        return (name if type(name) is str else _name(name)) in self.names

    def column(self, name: str) -> Expr:
        """Return column ``name``, or raise :class:`NotEvaluable` when the frame lacks it."""
        if (name if type(name) is str else _name(name)) not in self.names:
            raise NotEvaluable(name, needed_by=self.needed_by)
        result: Expr = self.nw.col(physical(name))
        return result

    def previous(self, name: str) -> Expr:
        """Return the previous evaluation's value of ``name`` (column ``previous.<name>``).

        Carried state is memory, not data: a frame without the column is evaluated as an account's first
        evaluation (null, as ``Engine.step`` with no state sees it), never refused. ``previous.band`` is a band
        name (String); every other ``previous.<name>`` is Float64.
        """
        name = name if type(name) is str else _name(name)
        if PREVIOUS + name in self.names:
            return self.column(PREVIOUS + name)
        nw = self.nw
        result: Expr = nw.lit(None, nw.String if name == BAND else nw.Float64)
        return result

    def active(self, rule_id: str) -> Expr:
        """Return whether rule ``rule_id`` held at the previous evaluation (column ``active.<rule_id>``; false
        when the frame has no such column, as on a first evaluation)."""
        nw = self.nw
        name = ACTIVE + (rule_id if type(rule_id) is str else _name(rule_id, "rule_id"))
        result: Expr = nw.col(physical(name)).fill_null(False) if name in self.names else nw.lit(False)
        return result

    def health(self) -> Expr:
        """Return the health score now (the health stage's output)."""
        return self.column(HEALTH)

    def band(self) -> Expr:
        """Return the health band now, by name (after hysteresis against ``previous.band``)."""
        return self.column(BAND)

    def days_until(self, name: str) -> Expr:
        """Return ``(column - as_of).days`` for a Date column as Float64 (null where the date is absent).

        narwhals has no portable "days between dates" (date - date is an integer in DuckDB and a duration in
        Polars): by default cast to Datetime("us"), subtract a datetime literal, floor-divide the seconds by
        86 400; Polars and PyArrow cast a Date to its day count directly (``days="epoch"``); PySpark lacks
        ``dt.total_seconds``, so there the date becomes its day number from the calendar fields, which every
        engine has (``days="civil"``, :func:`day_number`). A derived column the entry point computed from the
        same date (``days_to_renewal``, ``days_since_start``) is read instead.
        """
        nw = self.nw
        name = name if type(name) is str else _name(name)
        reuse = _DAYS_COLUMNS.get(name)
        if reuse is not None and reuse[0] in self.computed:
            column, sign = reuse
            result: Expr = self.column(column) if sign > 0 else -self.column(column)
            return result
        if self.days == "civil":
            days = day_number(nw, self.column(name)) - self.as_of.toordinal() + _UNIX_ORDINAL
        elif self.days == "epoch":
            days = self.column(name).cast(nw.Int32) - (self.as_of.toordinal() - _UNIX_ORDINAL)
        else:
            start = datetime(self.as_of.year, self.as_of.month, self.as_of.day)
            days = (self.column(name).cast(nw.Datetime("us")) - nw.lit(start)).dt.total_seconds() // 86_400
        counted: Expr = days.cast(nw.Float64)
        return counted

    def derived(self) -> dict[str, Expr]:
        """Return the derived signals computable from the frame, by name (the columnar form of
        :meth:`postsale.AccountSnapshot.evidence`'s derived entries): ``seat_utilisation`` (active / purchased
        seats, null without purchased seats), ``days_to_renewal`` and ``days_since_start``.

        The entry point adds them as columns (unless the frame has a column of that name already) so that every
        decision reads them with :meth:`column` like any signal.
        """
        nw = self.nw
        found: dict[str, Expr] = {}
        if self.has("seats_purchased") and self.has("seats_active"):
            purchased = nw.col("seats_purchased")
            found["seat_utilisation"] = (
                nw.when(purchased > 0).then(nw.col("seats_active") / purchased).otherwise(nw.lit(None, nw.Float64))
            )
        if self.has("contract_end"):
            found["days_to_renewal"] = self.days_until("contract_end")
        if self.has("contract_start"):
            found["days_since_start"] = self.days_since("contract_start")
        return {name: expr for name, expr in found.items() if not self.has(name)}

    def days_since(self, name: str) -> Expr:
        """Return ``(as_of - column).days`` for a Date column as Float64 (null where the date is absent)."""
        result: Expr = -self.days_until(name)
        return result


def _name(value: Any, field: str = "name") -> str:
    """The slow path of a column name's check: anything but a string is refused with InvalidTypeError."""
    name: str = _checks.instance(field, value, str, hint="pass a column name (a string)")
    return name


_UNIX_ORDINAL: Final = date(1970, 1, 1).toordinal()
_DAY_MODES: Final = ("seconds", "epoch", "civil")
_DAYS_COLUMNS: Final = {"contract_end": ("days_to_renewal", 1), "contract_start": ("days_since_start", -1)}
"""The derived columns holding the days to a date (sign 1) or since it (sign -1), by the date's column."""


def an_env(value: Any) -> Env:
    """Return ``value`` if it is an :class:`Env` (what every columnar form reads), else raise InvalidTypeError.

    Examples:
        >>> an_env({})
        Traceback (most recent call last):
        ...
        postsale._errors.InvalidTypeError: env={}: expected Env, got dict; ...
    """
    env: Env = _checks.instance("env", value, Env, hint="pass the Env of the frame (postsale.adapters.frame.Env)")
    return env


def an_expr(field: str, value: Any) -> Expr:
    """Return ``value`` if it is a narwhals expression, else raise InvalidTypeError naming ``field``.

    Examples:
        >>> import narwhals.stable.v2 as nw
        >>> an_expr("score", nw.col("health")) is not None
        True
        >>> an_expr("score", 2)
        Traceback (most recent call last):
        ...
        postsale._errors.InvalidTypeError: score=2: expected Expr, got int; ...
    """
    expr: Expr = _checks.instance(field, value, narwhals().Expr, hint="pass a narwhals expression such as nw.col(...)")
    return expr


def day_number(nw: Any, day: Expr) -> Expr:
    """Days from 1970-01-01 to a Date expression, from its year, month and day with integer arithmetic only
    (H. Hinnant's days-from-civil), so it is the same on every engine.

    Examples:
        >>> import narwhals.stable.v2 as nw
        >>> frame = nw.from_dict({"d": [date(1970, 1, 1), date(2024, 2, 29), date(1969, 12, 31)]}, backend="polars")
        >>> frame.select(day_number(nw, nw.col("d")).alias("n"))["n"].to_list()
        [0, 19782, -1]
    """
    year, month = day.dt.year().cast(nw.Int64), day.dt.month().cast(nw.Int64)
    y = year - (month <= 2).cast(nw.Int64)
    era = y // 400
    of_era = y - era * 400
    shifted = month + 9  # March = 0 ... February = 11: (month + 9) mod 12, without `%` (missing on PyArrow)
    of_year = (153 * (shifted - 12 * (shifted // 12)) + 2) // 5 + day.dt.day().cast(nw.Int64) - 1
    of_cycle = of_era * 365 + of_era // 4 - of_era // 100 + of_year
    result: Expr = era * 146_097 + of_cycle - 719_468
    return result


def polars_day(pl: Any, dtype: Any, name: str) -> Any:
    """A Polars expression reading column ``name`` (of type ``dtype``) as a Date: Dates as they are, datetimes by
    their day, ISO text (``2026-03-01``, or a timestamp starting so) parsed; anything else is null, for the caller
    to report as a bad row (Polars 2 no longer casts text to Date).

    Examples:
        >>> import polars as pl
        >>> frame = pl.DataFrame({"d": ["2026-03-01", "2026-03-01T09:00:00", "soon", None]})
        >>> frame.select(polars_day(pl, frame.schema["d"], "d"))["d"].to_list()
        [datetime.date(2026, 3, 1), datetime.date(2026, 3, 1), None, None]
    """
    column = pl.col(name)
    if dtype == pl.Date:
        return column
    if isinstance(dtype, pl.Datetime):
        return column.dt.date()
    if dtype in (pl.String, pl.Categorical) or isinstance(dtype, pl.Enum):
        return column.cast(pl.String).str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
    return pl.lit(None, pl.Date).alias(name)


# ---- shared building blocks ---------------------------------------------------------------------------------


def segment_code(env: Env) -> Expr:
    """The row's ``segment`` as its position in :class:`~postsale.Segment` (Float64; null for an unknown name).

    One expression shared by every decision keyed by segment (the touch scorer, the renewal state order), so an
    engine that eliminates common subexpressions (Polars) computes it once.
    """
    from postsale._vocabulary import Segment

    nw = env.nw
    segment = env.column("segment")
    code: Any = nw.lit(None, nw.Float64)
    for i, member in reversed(list(enumerate(Segment))):
        code = nw.when(segment == member.name).then(nw.lit(float(i))).otherwise(code)
    result: Expr = code
    return result


def member_name(env: Env, name: str) -> Expr:
    """The column ``name`` read as an enum member's name, the columnar form of the key
    :func:`postsale._checks.member` reads (case, dashes and spaces aside: ``"at-risk"`` is ``AT_RISK``); null stays
    null."""
    return member_key(env.column(name), env.nw)


def member_key(column: Expr, nw: Any, aliases: Mapping[str, str] | None = None) -> Expr:
    """``column``'s text as :func:`postsale._checks.member` keys it: stripped, upper case, dashes and spaces as
    underscores (narwhals ``nw``), then ``aliases`` (key -> member name) applied, as ``member`` applies them."""
    text = column.cast(nw.String).str.strip_chars().str.to_uppercase()
    result: Expr = text.str.replace_all("-", "_").str.replace_all(" ", "_")
    targets: dict[str, list[str]] = {}
    for alias, name in (aliases or {}).items():
        targets.setdefault(name, []).append(alias)
    for name, keys in targets.items():
        result = nw.when(result.is_in(keys)).then(nw.lit(name)).otherwise(result)
    return result


def lookup(env: Env, key: Expr, table: Mapping[Any, Any], dtype: Any = None) -> Expr:
    """``table[key]`` per row (null for a key not in the table): the columnar form of a tabulated function.

    A when/then chain over the table's distinct values: on Polars several times faster than ``replace_strict``,
    which hashes every row. ``dtype`` is the narwhals dtype of the values (default Float64).
    """
    nw = env.nw
    dtype = nw.Float64 if dtype is None else dtype
    keys_of: dict[Any, list[Any]] = {}
    for key_value, value in table.items():
        keys_of.setdefault(value, []).append(key_value)
    chain: Any = nw.lit(None, dtype)
    for value, keys in keys_of.items():
        hit = key == keys[0] if len(keys) == 1 else key.is_in(keys)
        chain = nw.when(hit).then(nw.lit(value if dtype != nw.Float64 else float(value), dtype)).otherwise(chain)
    result: Expr = chain
    return result
