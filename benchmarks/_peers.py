"""Hand-written peers of postsale's columnar path: the basic health model and the 12-rule catalog.

Three implementations written the way an expert would write them by hand for this one data layout (fast, direct,
without postsale): :func:`polars_hand` (one lazy query over a prebuilt ``pl.DataFrame``), :func:`numpy_hand`
(over prebuilt float64 arrays, in cache-sized batches) and :func:`duckdb_hand` (one SQL query over the same
Polars frame). Each gives, per row, the health score of ``postsale.health.BASIC_HEALTH_MODEL`` (null / NaN =
unscored), its band name, and one Boolean per rule of ``postsale.triggers.CATALOG`` for an account's FIRST
evaluation (``Engine.step(None, snapshot)``: no previous band, score or signals, no rule active before).

What the scalar path does, and the peers copy:

* health: each component is scored when its signal is present and not stale (``<signal>_age_days`` above the
  component's limit; a null age is fresh), the score is ``(sum of weight x points) x (1 / sum of weights)`` over
  the scored components, added in component order and clipped to 0-100 (the same floating-point operations as
  ``HealthModel.score``, so the band at 40 / 70 is decided on the same bits); no component: no score;
* band: GREEN >= 70, YELLOW >= 40, else RED (no hysteresis on a first evaluation);
* rules: U1 / U3 ``base >= 10 and (base - now) / base >= at_least``; U2 30+ days since contract start and no core
  feature use; U4 percentile >= 90 and >= 5 features; H1, H2 need a previous band and H3 30 days in the band, so
  none holds on a first evaluation; H4 >= 3 tickets; M1 0-90 days to the contract end; M2 active / purchased
  seats >= 0.8 with seats purchased; M3 / M4 >= 1. A missing value never satisfies a condition.

:func:`mismatches` checks the three peers against the scalar path (``Engine(CATALOG,
health_model=BASIC_HEALTH_MODEL).step(None, snapshot)`` on ``AccountSnapshot`` values built from the same rows);
a test can call it: ``from benchmarks._peers import mismatches; assert mismatches() == {}``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import Any, Final

import numpy as np
import polars as pl

AS_OF: Final = date(2026, 11, 1)
"""The evaluation date of the benchmark's data."""
RULES: Final = ("U1", "U2", "U3", "U4", "H1", "H2", "H3", "H4", "M1", "M2", "M3", "M4")
"""The rule ids of ``postsale.triggers.CATALOG``, in its order (checked by :func:`mismatches`)."""
HIT: Final = "hit."
"""Prefix of a rule's output column: ``hit.U1``."""
BAND_NAMES: Final = (None, "RED", "YELLOW", "GREEN")
"""Band names by code (0 = unscored)."""

# The basic health model's numbers (postsale.health._defaults), written out as a hand-written peer would.
WEIGHT: Final = 0.25
USAGE_STALE, QUARTER_STALE = 30.0, 90.0
SEAT_CUTS, SEAT_POINTS = (0.30, 0.50, 0.70), (15.0, 45.0, 65.0, 100.0)
NPS_CUTS, NPS_POINTS = (7.0, 9.0), (25.0, 65.0, 100.0)
GREEN, YELLOW = 70.0, 40.0
# The catalog's numbers (postsale.triggers._catalog).
MIN_BASE, LOGIN_DROP, KEY_DROP = 10.0, 0.30, 0.50
NON_ADOPTION_DAYS, RENEWAL_DAYS = 30, 90
RUNWAY: Final = {"ENTERPRISE": 180, "MID_MARKET": 90, "SMB": 60, "PRODUCT_LED": 30}
"""M1: the renewal runway of each segment (its renewal playbook's runway_days); RENEWAL_DAYS without a segment."""
POWER_PERCENTILE, POWER_FEATURES, TICKETS, CAPACITY = 90.0, 5.0, 3.0, 0.80

SIGNALS: Final = (
    "nps", "sentiment", "business_context", "logins_week", "logins_prev_week", "critical_feature_usage",
    "critical_feature_usage_prev", "core_feature_usage", "activity_percentile", "distinct_features_used",
    "support_tickets_week", "core_setup_completion", "first_value_documented",
    "seat_utilisation_age_days", "nps_age_days", "sentiment_age_days", "business_context_age_days",
)
"""The signal columns of :func:`make_frame` (Float64, null = absent)."""
NUMBERS: Final = ("acv", "seats_purchased", "seats_active", *SIGNALS)
DATES: Final = ("contract_start", "contract_end")
_EPOCH: Final = date(1970, 1, 1)


# ---- data ----------------------------------------------------------------------------------------------------
def make_frame(n: int, *, seed: int = 7, as_of: date = AS_OF) -> pl.DataFrame:
    """Return ``n`` seeded accounts as a Polars frame in the entry point's input form.

    ``account_id`` / ``segment`` String, ``acv``, seats and signals Float64 (null = absent, never NaN), contract
    dates Date. About 5 % of each signal is absent, 1 % of rows have no health signal at all, seat counts and
    integer-valued signals hit every threshold of the model and the catalog exactly (0.3 / 0.5 / 0.7 / 0.8 of
    seats, a drop of exactly 30 %, 30 days since start, 0 and 90 days to renewal, stale ages of 30 and 90 days).
    """
    rng = np.random.default_rng(seed)

    def absent(values: Any, share: float = 0.05, also: Any = None) -> Any:
        values = np.asarray(values, dtype="float64").copy()
        mask = rng.random(n) < share
        if also is not None:
            mask |= also
        values[mask] = np.nan
        return values

    no_health = rng.random(n) < 0.01
    purchased = rng.choice(np.array([0, 10, 10, 20, 50]), n)
    purchased = np.where(rng.random(n) < 0.5, rng.integers(1, 300, n), purchased)
    active = rng.integers(0, purchased + 1)
    active = np.where(rng.random(n) < 0.02, purchased + rng.integers(1, 5, n), active)  # over-use happens
    no_seats = no_health | (rng.random(n) < 0.02)
    purchased = np.where(no_seats, 0, purchased)
    prev_logins = np.where(rng.random(n) < 0.1, 10, rng.integers(0, 400, n))
    prev_critical = np.where(rng.random(n) < 0.1, 10, rng.integers(0, 120, n))
    half = rng.random(n) < 0.5
    since = rng.integers(0, 1000, n)
    edges = np.array([0, 29, 30, 31, 274, 275, 276, 364, 365, 366, 639, 640, 641, 730])  # 30 days since, 0-90 to
    since = np.where(rng.random(n) < 0.1, rng.choice(edges, n), since)
    start = np.datetime64(as_of, "D") - since.astype("timedelta64[D]")
    end = start + (365 * rng.integers(1, 4, n)).astype("timedelta64[D]")
    end = np.where(rng.random(n) < 0.05, end.dtype.type("NaT"), end)
    start = np.where(rng.random(n) < 0.05, start.dtype.type("NaT"), start)

    def age() -> Any:
        return absent(rng.integers(0, 200, n), share=0.3)

    numbers = {
        "acv": np.round(np.exp(rng.uniform(np.log(500), np.log(400_000), n)), -2),
        "seats_purchased": purchased.astype("float64"),
        "seats_active": active.astype("float64"),
        "nps": absent(rng.integers(0, 11, n), also=no_health),
        "sentiment": absent(np.where(half, rng.integers(0, 101, n), rng.uniform(0, 100, n)), also=no_health),
        "business_context": absent(np.where(half, rng.integers(20, 96, n), rng.uniform(20, 95, n)), also=no_health),
        "logins_week": absent(np.floor(prev_logins * rng.uniform(0.4, 1.3, n))),
        "logins_prev_week": absent(prev_logins),
        "critical_feature_usage": absent(np.floor(prev_critical * rng.uniform(0.3, 1.2, n))),
        "critical_feature_usage_prev": absent(prev_critical),
        "core_feature_usage": absent(rng.choice(np.array([0, 3, 10, 40]), n)),
        "activity_percentile": absent(rng.integers(0, 101, n)),
        "distinct_features_used": absent(rng.integers(0, 10, n)),
        "support_tickets_week": absent(rng.choice(np.array([0, 0, 0, 1, 2, 3, 4]), n)),
        "core_setup_completion": absent(rng.choice(np.array([0.5, 0.9, 1.0]), n)),
        "first_value_documented": absent(rng.random(n) < 0.2),
        "seat_utilisation_age_days": age(),
        "nps_age_days": age(),
        "sentiment_age_days": age(),
        "business_context_age_days": age(),
    }
    segments = np.array(["ENTERPRISE", "MID_MARKET", "SMB", "PRODUCT_LED"])
    columns: list[pl.Series] = [
        pl.Series("segment", segments[rng.choice(4, n, p=[0.10, 0.25, 0.40, 0.25])], dtype=pl.String),
        *(pl.Series(name, values, dtype=pl.Float64, nan_to_null=True) for name, values in numbers.items()),
        pl.Series("contract_start", start, dtype=pl.Date),
        pl.Series("contract_end", end, dtype=pl.Date),
    ]
    ids = pl.select(pl.format("A{}", pl.int_range(n, dtype=pl.Int64)).alias("account_id")).to_series()
    return pl.DataFrame([ids, *columns])


def numpy_arrays(frame: pl.DataFrame) -> dict[str, np.ndarray]:
    """Return the numeric and date columns as float64 arrays (NaN = null; dates as days since 1970-01-01)."""
    arrays = {name: frame[name].to_numpy().astype("float64", copy=False) for name in NUMBERS}
    for name in DATES:
        arrays[name] = frame[name].cast(pl.Int32).cast(pl.Float64).to_numpy()
    arrays["runway"] = frame["segment"].replace_strict(RUNWAY, default=RENEWAL_DAYS, return_dtype=pl.Float64).to_numpy()
    return arrays


# ---- (a) Polars: one lazy query -----------------------------------------------------------------------------
def polars_hand(frame: pl.DataFrame, as_of: date = AS_OF) -> pl.DataFrame:
    """Return ``health`` (Float64, null = unscored), ``band`` (String) and ``hit.<rule>`` (Boolean) per row."""
    col, lit = pl.col, pl.lit
    today = (as_of - _EPOCH).days

    def fresh(signal: str, stale: float) -> pl.Expr:
        return col(signal).is_not_null() & ~(col(f"{signal}_age_days") > stale).fill_null(False)

    def steps(value: pl.Expr, cuts: tuple[float, ...], points: tuple[float, ...]) -> pl.Expr:
        chain = pl.when(value >= cuts[-1]).then(lit(points[-1]))
        for cut, worth in zip(cuts[-2::-1], points[-2:0:-1], strict=True):
            chain = chain.when(value >= cut).then(lit(worth))
        return chain.otherwise(lit(points[0]))

    utilisation = pl.when(col("seats_purchased") > 0).then(col("seats_active") / col("seats_purchased"))
    usage_fresh = utilisation.is_not_null() & ~(col("seat_utilisation_age_days") > USAGE_STALE).fill_null(False)
    points = [
        pl.when(usage_fresh).then(steps(utilisation, SEAT_CUTS, SEAT_POINTS)),
        pl.when(fresh("nps", QUARTER_STALE)).then(steps(col("nps"), NPS_CUTS, NPS_POINTS)),
        pl.when(fresh("business_context", QUARTER_STALE)).then(col("business_context")),
        pl.when(fresh("sentiment", QUARTER_STALE)).then(col("sentiment")),
    ]
    weighted = [(p * WEIGHT).fill_null(0.0) for p in points]
    weights = [pl.when(p.is_not_null()).then(lit(WEIGHT)).otherwise(lit(0.0)) for p in points]
    total = ((weights[0] + weights[1]) + weights[2]) + weights[3]
    mean = (((weighted[0] + weighted[1]) + weighted[2]) + weighted[3]) * (1.0 / total)
    health = pl.when(total > 0).then(mean.clip(0.0, 100.0))

    def drop(now: str, base: str, at_least: float) -> pl.Expr:
        return (col(base) >= MIN_BASE) & ((col(base) - col(now)) / col(base) >= at_least)

    days_since_start = today - col("contract_start").cast(pl.Int32)
    days_to_end = col("contract_end").cast(pl.Int32) - today
    hits = {
        "U1": drop("logins_week", "logins_prev_week", LOGIN_DROP),
        "U2": (days_since_start >= NON_ADOPTION_DAYS) & (col("core_feature_usage") == 0.0),
        "U3": drop("critical_feature_usage", "critical_feature_usage_prev", KEY_DROP),
        "U4": (col("activity_percentile") >= POWER_PERCENTILE) & (col("distinct_features_used") >= POWER_FEATURES),
        "H1": lit(False),  # first evaluation: no previous band
        "H2": lit(False),  # first evaluation: no previous band
        "H3": lit(False),  # first evaluation: 0 days in the band
        "H4": col("support_tickets_week") >= TICKETS,
        "M1": (days_to_end >= 0)
        & (days_to_end <= col("segment").replace_strict(RUNWAY, default=RENEWAL_DAYS, return_dtype=pl.Int32)),
        "M2": utilisation >= CAPACITY,
        "M3": col("core_setup_completion") >= 1.0,
        "M4": col("first_value_documented") >= 1.0,
    }
    return (
        frame.lazy()
        .with_columns(health.alias("health"))
        .select(
            "health",
            pl.when(col("health") >= GREEN).then(lit("GREEN"))
            .when(col("health") >= YELLOW).then(lit("YELLOW"))
            .when(col("health").is_not_null()).then(lit("RED"))
            .alias("band"),
            *(hit.fill_null(False).alias(HIT + rule) for rule, hit in hits.items()),
        )
        .collect()
    )


# ---- (b) numpy over prebuilt float64 arrays, in batches ------------------------------------------------------
BATCH: Final = 1 << 16
"""Rows per numpy batch: temporaries stay in cache instead of page-faulting 8 MB arrays on every operation."""
_SEAT_CUTS, _SEAT_POINTS = np.array(SEAT_CUTS), np.array(SEAT_POINTS)
_NPS_CUTS, _NPS_POINTS = np.array(NPS_CUTS), np.array(NPS_POINTS)
_NAMES = np.array(BAND_NAMES, dtype=object)


def numpy_hand(arrays: Mapping[str, np.ndarray], as_of: date = AS_OF) -> dict[str, np.ndarray]:
    """Return ``health`` (float64, NaN = unscored), ``band`` (object: name or None) and ``hit.<rule>`` (bool)."""
    n = len(arrays["acv"])
    today = float((as_of - _EPOCH).days)
    health = np.empty(n)
    codes = np.empty(n, dtype=np.int8)
    hits = {rule: np.zeros(n, dtype=bool) for rule in RULES}  # H1-H3 stay False on a first evaluation
    with np.errstate(divide="ignore", invalid="ignore"):
        for lo in range(0, n, BATCH):
            part = slice(lo, min(n, lo + BATCH))
            a = {name: values[part] for name, values in arrays.items()}
            purchased = a["seats_purchased"]
            utilisation = np.where(purchased > 0, a["seats_active"] / purchased, np.nan)
            sentiment, context, nps = a["sentiment"], a["business_context"], a["nps"]
            fresh = (
                ~np.isnan(utilisation) & ~(a["seat_utilisation_age_days"] > USAGE_STALE),
                ~np.isnan(nps) & ~(a["nps_age_days"] > QUARTER_STALE),
                ~np.isnan(context) & ~(a["business_context_age_days"] > QUARTER_STALE),
                ~np.isnan(sentiment) & ~(a["sentiment_age_days"] > QUARTER_STALE),
            )
            points = (
                _SEAT_POINTS[np.searchsorted(_SEAT_CUTS, utilisation, side="right")],
                _NPS_POINTS[np.searchsorted(_NPS_CUTS, nps, side="right")],
                context,
                sentiment,
            )
            total = np.zeros(len(purchased))
            weighted = np.zeros(len(purchased))
            for ok, worth in zip(fresh, points, strict=True):
                total += np.where(ok, WEIGHT, 0.0)
                weighted += np.where(ok, worth * WEIGHT, 0.0)
            score = np.where(total > 0, np.clip(weighted * (1.0 / total), 0.0, 100.0), np.nan)
            health[part] = score
            codes[part] = np.where(score >= GREEN, 3, np.where(score >= YELLOW, 2, np.where(total > 0, 1, 0)))
            for rule, now, base, at_least in (("U1", "logins_week", "logins_prev_week", LOGIN_DROP),
                                              ("U3", "critical_feature_usage", "critical_feature_usage_prev",
                                               KEY_DROP)):
                b = a[base]
                hits[rule][part] = (b >= MIN_BASE) & ((b - a[now]) / b >= at_least)
            hits["U2"][part] = (today - a["contract_start"] >= NON_ADOPTION_DAYS) & (a["core_feature_usage"] == 0.0)
            hits["U4"][part] = ((a["activity_percentile"] >= POWER_PERCENTILE)
                                & (a["distinct_features_used"] >= POWER_FEATURES))
            hits["H4"][part] = a["support_tickets_week"] >= TICKETS
            days_to_end = a["contract_end"] - today
            hits["M1"][part] = (days_to_end >= 0) & (days_to_end <= a["runway"])
            hits["M2"][part] = utilisation >= CAPACITY
            hits["M3"][part] = a["core_setup_completion"] >= 1.0
            hits["M4"][part] = a["first_value_documented"] >= 1.0
    return {"health": health, "band": _NAMES[codes], **{HIT + rule: hits[rule] for rule in RULES}}


# ---- (c) DuckDB: one SQL query over the Polars frame ---------------------------------------------------------
def duckdb_sql(as_of: date = AS_OF) -> str:
    """Return the one SQL query of :func:`duckdb_hand` over the table ``accounts``.

    DuckDB reads ``1.0`` as a DECIMAL, so every number is written ``...::DOUBLE`` (the same binary64 arithmetic as
    Python). A comparison with NULL is NULL: a stale-or-missing test is one flat ``CASE`` whose first arm drops a
    stale value (``age > limit`` is NULL, not true, for an unknown age), and every rule is ``(...) IS TRUE``
    (measured faster than ``COALESCE(..., false)`` in DuckDB 2.0).
    """

    def d(x: float) -> str:
        return f"{x!r}::DOUBLE"

    def steps(value: str, cuts: tuple[float, ...], worth: tuple[float, ...], last: str) -> str:
        arms = "\n         ".join(
            f"WHEN {value} >= {d(c)} THEN {d(p)}" for c, p in zip(cuts[::-1], worth[:0:-1], strict=True)
        )
        return f"{arms}\n         {last} {d(worth[0])} END"

    def weighted(p: str) -> str:
        return f"IFNULL({p} * {d(WEIGHT)}, {d(0.0)})"

    def scored(p: str) -> str:
        return f"({p} IS NOT NULL)::DOUBLE"

    today = f"DATE '{as_of.isoformat()}'"
    runway = " ".join(f"WHEN '{name}' THEN {days}" for name, days in RUNWAY.items())
    utilisation = "seats_active / seats_purchased"
    return f"""
WITH points AS (
    SELECT *,
        CASE WHEN seat_utilisation_age_days > {d(USAGE_STALE)} OR (seats_purchased > {d(0.0)}) IS NOT TRUE THEN NULL
         {steps(utilisation, SEAT_CUTS, SEAT_POINTS, "ELSE")} AS p_usage,
        CASE WHEN nps_age_days > {d(QUARTER_STALE)} THEN NULL
         {steps("nps", NPS_CUTS, NPS_POINTS, "WHEN nps IS NOT NULL THEN")} AS p_nps,
        CASE WHEN business_context_age_days > {d(QUARTER_STALE)} THEN NULL ELSE business_context END AS p_context,
        CASE WHEN sentiment_age_days > {d(QUARTER_STALE)} THEN NULL ELSE sentiment END AS p_sentiment
    FROM accounts
), totals AS (
    SELECT *,
        ((({weighted("p_usage")} + {weighted("p_nps")}) + {weighted("p_context")}) + {weighted("p_sentiment")})
            AS total_points,
        {d(WEIGHT)} * ({scored("p_usage")} + {scored("p_nps")} + {scored("p_context")} + {scored("p_sentiment")})
            AS total_weight  -- a sum of quarters: exact in any order
    FROM points
), scored AS (
    SELECT *,
        CASE WHEN total_weight > {d(0.0)}
             THEN LEAST({d(100.0)}, GREATEST({d(0.0)}, total_points * ({d(1.0)} / total_weight))) END AS health
    FROM totals
)
SELECT
    health,
    CASE WHEN health >= {d(GREEN)} THEN 'GREEN' WHEN health >= {d(YELLOW)} THEN 'YELLOW'
         WHEN health IS NOT NULL THEN 'RED' END AS band,
    (logins_prev_week >= {d(MIN_BASE)}
     AND (logins_prev_week - logins_week) / logins_prev_week >= {d(LOGIN_DROP)}) IS TRUE AS "hit.U1",
    ({today} - contract_start >= {NON_ADOPTION_DAYS} AND core_feature_usage = {d(0.0)}) IS TRUE AS "hit.U2",
    (critical_feature_usage_prev >= {d(MIN_BASE)}
     AND (critical_feature_usage_prev - critical_feature_usage) / critical_feature_usage_prev >= {d(KEY_DROP)})
        IS TRUE AS "hit.U3",
    (activity_percentile >= {d(POWER_PERCENTILE)} AND distinct_features_used >= {d(POWER_FEATURES)}) IS TRUE
        AS "hit.U4",
    false AS "hit.H1",  -- first evaluation: no previous band
    false AS "hit.H2",
    false AS "hit.H3",  -- first evaluation: 0 days in the band
    (support_tickets_week >= {d(TICKETS)}) IS TRUE AS "hit.H4",
    (contract_end - {today} BETWEEN 0 AND CASE segment {runway} ELSE {RENEWAL_DAYS} END) IS TRUE AS "hit.M1",
    (seats_purchased > {d(0.0)} AND {utilisation} >= {d(CAPACITY)}) IS TRUE AS "hit.M2",
    (core_setup_completion >= {d(1.0)}) IS TRUE AS "hit.M3",
    (first_value_documented >= {d(1.0)}) IS TRUE AS "hit.M4"
FROM scored
"""


def duckdb_hand(frame: pl.DataFrame, as_of: date = AS_OF, connection: Any = None) -> pl.DataFrame:
    """Return the same columns as :func:`polars_hand`, from one DuckDB query over ``frame`` (a Polars frame).

    ``connection``: a DuckDB connection to reuse (default: a new in-memory one).
    """
    import duckdb

    con = duckdb.connect() if connection is None else connection
    con.register("accounts", frame)
    try:
        result: pl.DataFrame = con.sql(duckdb_sql(as_of)).pl()
    finally:
        con.unregister("accounts")
    return result


# ---- answers as rows, and the check against the scalar path ----------------------------------------------------
Row = tuple[float | None, str | None, tuple[bool, ...]]
"""One row's answer: health (None = unscored), band name (None = unscored), the rule hits in :data:`RULES` order."""


def rows_of(result: Mapping[str, Any] | pl.DataFrame) -> list[Row]:
    """Return a peer's (or postsale's) result as rows: ``health``, ``band`` and the ``hit.<rule>`` columns."""

    def values(name: str) -> list[Any]:
        column = result[name]
        return column.to_list() if isinstance(column, pl.Series) else list(column)

    health = [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in values("health")]
    hits = zip(*(values(HIT + rule) for rule in RULES), strict=True)
    return [(h, b, tuple(bool(x) for x in hit)) for h, b, hit in zip(health, values("band"), hits, strict=True)]


def scalar_rows(frame: pl.DataFrame, as_of: date = AS_OF) -> list[Row]:
    """Return the scalar path's answers for ``frame``: ``Engine.step(None, snapshot)`` (the Context of a first
    evaluation, the rules whose conditions matched: the new state's ``active``), and the health score of
    ``BASIC_HEALTH_MODEL.score(snapshot)`` (None where it raises NoHealthDataError), asserting the two agree."""
    from postsale import AccountSnapshot
    from postsale.health import BASIC_HEALTH_MODEL, NoHealthDataError
    from postsale.triggers import CATALOG, Engine

    assert tuple(rule.id for rule in CATALOG.rules) == RULES, "the catalog changed: update RULES and the peers"
    engine = Engine(CATALOG, health_model=BASIC_HEALTH_MODEL)
    found: list[Row] = []
    for row in frame.iter_rows(named=True):
        snapshot = AccountSnapshot(
            row["account_id"], row["segment"], as_of, acv=int(row["acv"]),
            contract_start=row["contract_start"], contract_end=row["contract_end"],
            seats_purchased=int(row["seats_purchased"]), seats_active=int(row["seats_active"]),
            signals={name: row[name] for name in SIGNALS if row[name] is not None},
        )
        try:
            score = BASIC_HEALTH_MODEL.score(snapshot)
            health, band = score.value, score.band.name
        except NoHealthDataError:
            health, band = None, None
        state, _alerts = engine.step(None, snapshot)
        assert state.score == health and (state.band.name if state.band else None) == band
        found.append((health, band, tuple(rule in state.active for rule in RULES)))
    return found


def differences(expected: list[Row], got: list[Row], *, limit: int = 10, tolerance: float = 1e-9) -> list[str]:
    """Return the rows where ``got`` differs from ``expected`` (health within ``tolerance``, the rest exactly)."""
    found: list[str] = []
    for i, ((eh, eb, ehits), (gh, gb, ghits)) in enumerate(zip(expected, got, strict=True)):
        words = []
        if (eh is None) != (gh is None) or (eh is not None and gh is not None and abs(eh - gh) > tolerance):
            words.append(f"health {gh!r} != {eh!r}")
        if eb != gb:
            words.append(f"band {gb!r} != {eb!r}")
        words += [f"{rule} {g} != {e}" for rule, e, g in zip(RULES, ehits, ghits, strict=True) if e != g]
        if words:
            found.append(f"row {i}: " + ", ".join(words))
    return found[:limit] + ([f"... {len(found) - limit} more rows"] if len(found) > limit else [])


def peers(frame: pl.DataFrame, as_of: date = AS_OF) -> Iterator[tuple[str, Callable[[], Any]]]:
    """Yield ``(name, run)`` for each peer over ``frame`` (its own prebuilt input made here, outside ``run``)."""
    import duckdb

    arrays = numpy_arrays(frame)
    connection = duckdb.connect()
    yield "polars-hand", lambda: polars_hand(frame, as_of)
    yield "numpy-hand", lambda: numpy_hand(arrays, as_of)
    yield "duckdb-hand", lambda: duckdb_hand(frame, as_of, connection)


def mismatches(n: int = 2_000, *, seed: int = 11, as_of: date = AS_OF,
               extra: Mapping[str, Callable[[pl.DataFrame, date], Any]] | None = None) -> dict[str, list[str]]:
    """Return, per peer that differs from the scalar path on ``n`` seeded rows, the differing rows (empty: all
    identical). ``extra`` adds implementations to check, ``name -> f(frame, as_of)`` returning the columns of
    :func:`polars_hand` (e.g. postsale's columnar path)."""
    frame = make_frame(n, seed=seed, as_of=as_of)
    expected = scalar_rows(frame, as_of)
    runs = dict(peers(frame, as_of))
    for name, implementation in (extra or {}).items():
        runs[name] = lambda implementation=implementation: implementation(frame, as_of)
    found = {name: differences(expected, rows_of(run())) for name, run in runs.items()}
    return {name: rows for name, rows in found.items() if rows}
