"""The columnar review: a whole portfolio frame through every decision, any dataframe in, the same kind out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Final, TypeVar

import attrs

from postsale import _checks
from postsale._columnar import BAND, DAYS_IN_BAND, HEALTH, PREVIOUS, Env, NotEvaluable, narwhals, physical
from postsale._errors import InvalidTypeError, InvalidValueError, PostsaleError
from postsale._repr import readable
from postsale.adapters.frame import _decisions
from postsale.adapters.frame._input import ACCOUNT_ID, Check, bad_any, checks, normalise
from postsale.review import DEFAULT_REVIEW_SETTINGS, ReviewSettings

__all__ = ["ERRORS_SCHEMA", "FrameReview", "NotEvaluated", "review_frame", "review_schema"]

T = TypeVar("T")

ERRORS_SCHEMA: Final = {ACCOUNT_ID: "String", "column": "String", "value": "String", "reason": "String"}
"""The columns of :attr:`FrameReview.errors`: one row per rejected value."""


@attrs.frozen
class NotEvaluated:
    """A decision the frame could not evaluate for lack of a column (its output column is null on every row).

    Attributes:
        decision: What was not evaluated, e.g. ``"rule H3"``.
        column: The column it needs.
        reason: One sentence saying so and what to add.
    """

    __repr__ = readable
    decision: str
    column: str
    reason: str


@attrs.frozen
class FrameReview:
    """What :func:`review_frame` returns.

    Attributes:
        results: One row per accepted input row, with the columns of :func:`review_schema` (the input's kind:
            pandas in, pandas out; Polars in, Polars out; a lazy frame in, a lazy frame out).
        errors: One row per rejected value (:data:`ERRORS_SCHEMA`), of the same kind.
        not_evaluated: The decisions that could not be evaluated for lack of a column.
    """

    __repr__ = readable
    results: Any
    errors: Any
    not_evaluated: tuple[NotEvaluated, ...] = ()


def review_schema(settings: ReviewSettings = DEFAULT_REVIEW_SETTINGS) -> dict[str, str]:
    """Return the columns :func:`review_frame` produces with ``settings``, by name, with their narwhals dtype names.

    The schema depends on the definitions only (the health model's components, the rule set's rules), never on
    the data, so Dask ``meta`` and Spark ``mapInPandas`` / ``applyInArrow`` schemas need no trial run.

    Examples:
        >>> schema = review_schema()
        >>> schema["account_id"], schema["band"], schema["hit.U1"], schema["alerts"]
        ('String', 'String', 'Boolean', 'Int64')
    """
    _checks.instance("settings", settings, ReviewSettings, hint="pass a postsale.review.ReviewSettings")
    columns = {ACCOUNT_ID: "String", "segment": "String", HEALTH: "Float64", BAND: "String"}
    columns.update(dict.fromkeys((f"{HEALTH}.{c}" for c in _decisions.components(settings)), "Float64"))
    columns.update(_TOUCH)
    columns.update(_RENEWAL)
    columns.update(dict.fromkeys((f"hit.{rule.id}" for rule in settings.rule_set.rules), "Boolean"))
    columns["alerts"] = "Int64"
    return columns


def _native_schema(nw: Any, settings: ReviewSettings) -> Any:
    return nw.Schema({name: getattr(nw, dtype)() for name, dtype in review_schema(settings).items()})


def review_frame(frame: Any, *, as_of: date, settings: ReviewSettings = DEFAULT_REVIEW_SETTINGS) -> FrameReview:
    """Review every account of a portfolio frame on the columnar path, with the answers of ``review_account``.

    One row per account: ``account_id`` and ``segment`` (required), and any of ``acv``, ``seats_purchased``,
    ``seats_active``, ``contract_start``, ``contract_end`` (dates), the signals by name (or ``signals.<name>``),
    and the state carried from the previous evaluation: ``previous.<signal>``, ``previous.health``,
    ``previous.band``, ``previous.band_since`` (date), ``active.<rule id>`` (absent = a first evaluation).
    NaN and null both mean "absent". Every decision of ``settings`` (the same defaults as
    :func:`postsale.review_account`) is evaluated: the health score, band and component points, the touch
    model, the renewal state and forecast (from the contract end, without recorded renewal activity), and every
    rule of the rule set (whether its condition holds, before alert hygiene).

    Rows the scalar path would refuse (a negative ACV, an out-of-scale NPS, a duplicate account id ...) are
    left out of ``results`` and listed in ``errors`` with the column, the value and the scalar error's words;
    every other row is evaluated. A rule whose column is missing is null in every row and listed in
    ``not_evaluated``.

    Works on pandas, Polars (eager or lazy), PyArrow, DuckDB relations, Dask and PySpark frames through
    narwhals; the result is of the input's kind. ``pip install 'postsale[frame]'``.

    Raises:
        MissingDependencyError: narwhals is not installed.
        InvalidTypeError: ``frame`` is not a dataframe narwhals knows, or a column has an unusable type.
        InvalidValueError: the frame lacks ``account_id`` or ``segment``.

    Examples:
        >>> import polars as pl
        >>> from datetime import date
        >>> accounts = pl.DataFrame({"account_id": ["a", "b", "c"], "segment": ["SMB", "ENTERPRISE", "SMB"],
        ...     "acv": [6000.0, 250000.0, -5.0], "seats_purchased": [10, 800, 5], "seats_active": [4, 700, 5],
        ...     "nps": [5.0, 9.0, 8.0], "sentiment": [40.0, 85.0, 60.0],
        ...     "contract_start": [date(2025, 11, 21), date(2025, 7, 1), None],
        ...     "contract_end": [date(2026, 11, 20), date(2027, 6, 30), None]})
        >>> review = review_frame(accounts, as_of=date(2026, 11, 1))
        >>> review.results.select("account_id", "band", "touch_model", "renewal_state").rows()
        [('a', 'RED', 'TECH', 'DANGER_ZONE'), ('b', 'GREEN', 'HIGH', 'UPCOMING')]
        >>> review.errors.select("account_id", "column").rows()
        [('c', 'acv')]
    """
    return reviewed(frame, as_of=as_of, settings=settings)


def reviewed(frame: Any, *, as_of: date, settings: ReviewSettings, inputs: bool = False) -> FrameReview:
    """:func:`review_frame`; ``inputs``: the results keep the frame's own columns too (read as the decisions read
    them: ``signals.`` prefixes dropped, numbers as floats, text parsed), for a caller that reads them beside the
    decisions without joining the frame back."""
    nw = narwhals()
    _checks.a_date("as_of", as_of)
    _checks.instance("settings", settings, ReviewSettings, hint="pass a postsale.review.ReviewSettings")
    try:
        given = nw.from_native(frame)
    except TypeError:
        raise InvalidTypeError(
            "is not a dataframe",
            field="frame",
            value=type(frame).__name__,
            hint="pass a pandas, Polars, PyArrow, DuckDB, Dask or PySpark frame (one row per account)",
        ) from None
    eager = isinstance(given, nw.DataFrame)
    if given.implementation.is_pyspark() and any("." in name for name in given.columns):
        # Spark reads a dot in a column name as a struct field, and narwhals cannot quote it: rename natively.
        native = given.to_native()
        given = nw.from_native(native.toDF(*(physical(name) for name in native.columns)))
    lazy = given.lazy()
    names = lazy.collect_schema().names()
    missing = [name for name in (ACCOUNT_ID, "segment") if name not in names]
    if missing:
        raise InvalidValueError(
            f"has no {' or '.join(missing)} column",
            field="frame",
            value=sorted(names),
            constraint="a portfolio frame has one row per account, named by account_id, with its segment",
            hint="add the missing column(s) (segment: ENTERPRISE, MID_MARKET, SMB or PRODUCT_LED)",
        )
    normal, columns, found = normalise(
        lazy, nw, ids_first=given.implementation.is_dask(), eager=given if eager else None
    )
    found += checks(columns, nw, counts=_decisions.counts(settings))
    found += _decisions.health_checks(settings, columns, as_of)
    found += _decisions.renewal_checks(settings, columns, as_of, days=_days(given.implementation))
    # A health check may read a signal the frame lacks (a trend's baseline): absent is null, as in _evaluate.
    absent = [name for name in _decisions.health_signals(settings) if name not in columns]
    normal = normal.with_columns(**{name: nw.lit(None, nw.Float64) for name in absent}) if absent else normal
    rejected = bad_any(found, nw)
    # An in-memory input is asked first whether any row is rejected (one pass): usually none is, and then the
    # results need no filter and the errors no second pass over the input.
    clean = eager and not _engine(given.implementation, lambda: normal.select(rejected.any()).collect().item())
    errors = normal.head(0).select(  # no row is rejected: no need to build each check's rows
        nw.col(ACCOUNT_ID).cast(nw.String), *(nw.lit(None, nw.String).alias(c) for c in list(ERRORS_SCHEMA)[1:])
    ) if clean else _errors(nw, normal, found)
    good = normal if clean else normal.filter(~rejected)
    results, not_evaluated, unknown = _evaluate(nw, good, columns, as_of, settings, days=_days(given.implementation),
                                                inputs=inputs)
    if eager:
        done, failed = _engine(given.implementation, lambda: (results.collect().to_native(),
                                                               errors.collect().to_native()))
        return FrameReview(_nullable(done, unknown, given.implementation), failed, not_evaluated)
    return FrameReview(_nullable(results.to_native(), unknown, given.implementation), errors.to_native(), not_evaluated)


def _engine(implementation: Any, run: Callable[[], T]) -> T:
    """Run a computation on the frame's engine; the engine's own failure comes out as a PostsaleError naming it.

    The results and the errors are computed one after the other: on Polars, one ``collect_all`` of both was
    measured slower (0.34 s against 0.29 s at 1 M rows, 2.0 s against 1.3 s at 5 M: the plans compete for the
    cores and the memory)."""
    try:
        return run()
    except PostsaleError:
        raise
    except Exception as error:  # the engine's own error, whatever its class: say it in the library's terms
        raise InvalidValueError(
            f"could not be evaluated by {implementation}: {type(error).__name__}: {error}",
            field="frame",
            constraint="every column has the type review_frame documents (numbers, dates, text)",
            hint="check the column named in the message; see docs/frame.md for the columns read",
        ) from error


def _nullable(native: Any, columns: list[str], implementation: Any) -> Any:
    """pandas (and Dask, made of pandas frames) hold Booleans as numpy bools, which cannot be null: there, a rule
    that was not evaluated becomes a nullable ``boolean`` column of missing values instead of a column of False.
    (narwhals has no portable nullable Boolean for pandas: the smallest backend-specific fallback.)"""
    if not columns or not (implementation.is_pandas() or implementation.is_dask()):
        return native

    def missing(part: Any) -> Any:
        import pandas as pd

        return part.assign(**{c: pd.array([pd.NA] * len(part), dtype="boolean") for c in columns})

    return native.map_partitions(missing) if implementation.is_dask() else missing(native)


def _errors(nw: Any, frame: Any, found: list[Check]) -> Any:
    parts = [
        frame.filter(check.bad.fill_null(False)).select(
            nw.col(ACCOUNT_ID),
            nw.lit(check.column).alias("column"),
            nw.col(physical(check.value or check.column)).cast(nw.String).alias("value"),
            nw.lit(check.reason).alias("reason"),
        )
        for check in found
    ]
    return nw.concat(parts, how="vertical")


def _evaluate(
    nw: Any, frame: Any, columns: list[str], as_of: date, settings: ReviewSettings, *, days: str, inputs: bool
) -> tuple[Any, tuple[NotEvaluated, ...], list[str]]:
    """Add the decisions' columns in three stages (derived signals; health; everything reading health); return
    the results, what was not evaluated, and the hit columns of the rules among it."""

    computed: list[str] = []

    def env_of(names: list[str]) -> Env:
        return Env(names, as_of=as_of, days=days, computed=computed)

    env = env_of(columns)
    derived = env.derived()
    computed += derived
    signal_columns = [*columns, *derived]
    absent = [name for name in _decisions.health_signals(settings) if name not in signal_columns]
    frame = frame.with_columns(**derived, **{name: nw.lit(None, nw.Float64) for name in absent})
    staged = _decisions.health_stage(env_of([*signal_columns, *absent]), settings)
    frame = frame.with_columns(**staged)
    health_env = env_of([*signal_columns, *absent, *staged])
    score, components = _decisions.health(health_env, settings)
    points = (e.alias(physical(f"{HEALTH}.{n}")) for n, e in components.items())
    frame = frame.with_columns(score.alias(HEALTH), *points)
    band_env = env_of([*signal_columns, *absent, HEALTH])
    frame = frame.with_columns(_decisions.band(band_env, settings).alias(BAND))
    frame = frame.with_columns(_days_in_band(env_of([*signal_columns, HEALTH, BAND]), nw).alias(DAYS_IN_BAND))
    rules_env = env_of([*signal_columns, HEALTH, BAND, DAYS_IN_BAND])
    staged = _decisions.stages(rules_env, settings)
    if staged:
        frame = frame.with_columns(**{physical(name): expr for name, expr in staged.items()})
        rules_env = env_of([*signal_columns, HEALTH, BAND, DAYS_IN_BAND, *staged])
    outputs: dict[str, Any] = {}
    not_evaluated: list[NotEvaluated] = [
        NotEvaluated(f"health signal {name}", name,
                     f"{name} is not a column: scored as missing on every row (add the column to use it)")
        for name in absent
    ]
    stages = (("the touch model", _decisions.touch, _TOUCH), ("the renewal", _decisions.renewal, _RENEWAL))
    for part, decide, dtypes in stages:
        try:
            rules_env.needed_by = part
            outputs.update({physical(k): v for k, v in decide(rules_env, settings).items()})
        except NotEvaluable as error:
            not_evaluated.append(NotEvaluated(part, error.column, str(error)))
            outputs.update({physical(k): nw.lit(None, getattr(nw, t)) for k, t in dtypes.items()})
    hits = []
    unknown: list[str] = []
    for rule in settings.rule_set.rules:
        name = f"hit.{rule.id}"
        try:
            rules_env.needed_by = f"rule {rule.id}"
            hit = _decisions.rule_hit(rules_env, rule)
        except NotEvaluable as error:
            not_evaluated.append(NotEvaluated(f"rule {rule.id}", error.column, str(error)))
            unknown.append(name)
            hit = nw.lit(None, nw.Boolean)
        outputs[physical(name)] = hit
        hits.append(nw.col(physical(name)).fill_null(False).cast(nw.Int64))
    frame = frame.with_columns(**outputs)
    alerts = nw.sum_horizontal(*hits) if hits else nw.lit(0, nw.Int64)
    frame = frame.with_columns(alerts.cast(nw.Int64).alias("alerts"))
    schema = review_schema(settings)
    kept = [nw.col(physical(name)).alias(name) for name in columns if name not in schema] if inputs else []
    return frame.select(
        *(nw.col(physical(name)).cast(getattr(nw, dtype)()).alias(name) for name, dtype in schema.items()), *kept
    ), tuple(not_evaluated), unknown


def _days(implementation: Any) -> str:
    """How this engine counts days between dates (see :class:`~postsale._columnar.Env`)."""
    if implementation.is_polars() or implementation.is_pyarrow():
        return "epoch"
    return "civil" if implementation.is_pyspark() else "seconds"


_TOUCH: Final = {"touch_total": "Float64", "touch_model": "String"}
_RENEWAL: Final = {"days_to_renewal": "Float64", "renewal_state": "String", "forecast": "String",
                   "forecast_reason": "String"}


def _days_in_band(env: Env, nw: Any) -> Any:
    """Consecutive days in the current band, as ``Engine.step`` counts them (0 on the day a band is entered)."""
    since = PREVIOUS + "band_since"
    if not env.has(since):
        return nw.lit(0.0, nw.Float64)
    stays = (env.band() == env.previous(BAND)).fill_null(False) & ~env.column(since).is_null()
    return nw.when(stays).then(env.days_since(since)).otherwise(nw.lit(0.0, nw.Float64))
