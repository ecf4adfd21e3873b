"""Trigger conditions: the columnar form (``expr``) gives the scalar form's (``compile``) answer, row by row.

Random conditions of every kind (nested ``AllOf`` / ``AnyOf`` / ``Not`` included) over one frame of many random
rows per example, on Polars, pandas, PyArrow and DuckDB: missing and NaN signals, values exactly on thresholds,
zero and negative bases, previous values present or absent, bands and previous bands, ``days_in_band`` on the
threshold, the rule active at the previous evaluation or not. Then every rule of ``DEFAULT_RULE_SET`` and
``CATALOG`` on the sample portfolio's latest snapshots, as a first and as a later evaluation of ``Engine.step``.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from postsale import AccountSnapshot, HealthBand, signals
from postsale._columnar import NotEvaluable, is_decision
from postsale.adapters.sample import sample_portfolio
from postsale.health import DEFAULT_HEALTH_MODEL
from postsale.triggers import (
    CATALOG,
    DEFAULT_RULE_SET,
    AccountState,
    AllOf,
    AnyOf,
    BandTransition,
    Condition,
    Context,
    DaysInBand,
    DaysSince,
    DaysUntil,
    Engine,
    Not,
    PercentChange,
    Ratio,
    RuleSet,
    Threshold,
)
from postsale.triggers._conditions import CONDITION_KINDS
from tests.columnar.backends import BACKENDS, Backend, Kind, evaluate, frame, prepare

AS_OF = date(2026, 3, 31)
NAN = float("nan")
RULE = "R"
PLAIN = (signals.NPS, signals.LOGINS_WEEK, signals.LOGINS_PREV_WEEK)
"""Signals of the snapshot, read as they are."""
POOL = (
    *PLAIN,
    signals.HEALTH_SCORE,
    signals.SEAT_UTILISATION,
    signals.ACV,
    signals.SEATS_ACTIVE,
    signals.SEATS_PURCHASED,
    signals.DAYS_TO_RENEWAL,
    signals.DAYS_SINCE_START,
)
"""Every name a condition may read: plain signals, the model's score and the derived signals."""
EDGES = (-3.0, 0.0, 0.3, 0.5, 0.8, 1.0, 3.0, 5.0, 7.0, 10.0, 30.0, 40.0, 50.0, 70.0, 90.0, 100.0)
"""Values shared by thresholds and rows, so rows often sit exactly on a threshold (7 / 10 = a 30 % drop)."""
DAYS = (-1, 0, 1, 27, 28, 29, 30, 31, 34, 35, 60, 89, 90, 91)
"""Day counts on and around the catalog's windows."""
BANDS = list(HealthBand)

# ---- conditions ---------------------------------------------------------------------------------------------

edges = st.sampled_from(EDGES)
numbers = edges | st.floats(-200, 200, allow_nan=False)
ops = st.sampled_from([">=", ">", "<=", "<", "==", "!="])
names = st.sampled_from(POOL)
band_tuples = st.lists(st.sampled_from(BANDS), min_size=1, max_size=3, unique=True).map(tuple)
day_bounds = st.sampled_from(DAYS) | st.integers(-60, 400)


@st.composite
def thresholds(draw: st.DrawFn) -> Threshold:
    """Thresholds on any name, with or without hysteresis, on the current or the previous snapshot."""
    op, t = draw(ops), draw(numbers)
    release = None
    if op in ("<", "<=") and draw(st.booleans()):
        release = t + draw(st.sampled_from([1.0, 10.0]) | st.floats(0.5, 50))
    elif op in (">", ">=") and draw(st.booleans()):
        release = t - draw(st.sampled_from([1.0, 10.0]) | st.floats(0.5, 50))
    return Threshold(draw(names), op, t, release=release, source=draw(st.sampled_from(["current", "previous"])))


@st.composite
def band_transitions(draw: st.DrawFn) -> BandTransition:
    """Band moves, with or without a point drop (OR / AND), with or without drop bands."""
    before, after = draw(band_tuples), draw(band_tuples)
    drop = draw(st.none() | st.sampled_from([5.0, 10.0, 15.0]) | st.floats(0, 100))
    if drop is None:
        return BandTransition(before, after)
    drop_bands = draw(st.none() | st.lists(st.sampled_from(before), min_size=1, unique=True).map(tuple))
    return BandTransition(before, after, min_drop=drop, require=draw(st.sampled_from(["either", "both"])),
                          drop_bands=drop_bands)


@st.composite
def days_conditions(draw: st.DrawFn) -> DaysUntil | DaysSince:
    """Windows before or after a contract date, closed or (since) open-ended."""
    field = draw(st.sampled_from(["contract_start", "contract_end"]))
    low = draw(day_bounds)
    high = low + draw(st.sampled_from([0, 6, 60]) | st.integers(0, 200))
    if draw(st.booleans()):
        return DaysUntil(field, high, at_least=low)
    return DaysSince(field, low, at_most=draw(st.none() | st.just(high)))


leaves = st.one_of(
    thresholds(),
    st.builds(
        PercentChange,
        names,
        st.sampled_from([0.0, 0.3, 0.5, 1.0]) | st.floats(0, 2),
        baseline=st.none() | names,
        direction=st.sampled_from(["drop", "rise"]),
        min_base=st.sampled_from([0.0, 5.0, 10.0]) | st.floats(0, 50),
    ),
    st.builds(Ratio, names, names, ops, edges | st.floats(-5, 5)),
    band_transitions(),
    st.builds(DaysInBand, st.sampled_from(BANDS), st.sampled_from([0, 1, 30]) | st.integers(0, 400)),
    days_conditions(),
)
conditions: st.SearchStrategy[Condition] = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda cs: AllOf(tuple(cs))),
        st.lists(inner, min_size=1, max_size=3).map(lambda cs: AnyOf(tuple(cs))),
        inner.map(Not),
    ),
    max_leaves=8,
)

# ---- rows: one snapshot and context, and the same as a frame row ------------------------------------------------

scores = st.none() | st.sampled_from([0.0, 39.9, 40.0, 50.0, 55.0, 60.0, 69.9, 70.0, 85.0, 100.0]) | st.floats(0, 100)
values = st.none() | st.just(NAN) | edges | st.floats(-200, 200, allow_nan=False)
bands = st.none() | st.sampled_from(BANDS)


@st.composite
def rows(draw: st.DrawFn) -> dict[str, Any]:
    """One row: signals (absent, NaN, on edges), seats, ACV, contract dates, the carried state."""
    day = st.none() | st.sampled_from(DAYS) | st.integers(-400, 400)
    start, end = draw(day), draw(day)
    if start is not None and end is not None and end <= -start:
        end = -start + 1 + abs(end)  # a contract ends after it starts
    return {
        "signals": {name: draw(values) for name in (*PLAIN, signals.HEALTH_SCORE)},
        "seats_purchased": draw(st.sampled_from([0, 10]) | st.integers(0, 30)),
        "seats_active": draw(st.sampled_from([0, 3, 8, 10]) | st.integers(0, 40)),
        "acv": draw(st.sampled_from([0, 3, 10, 100]) | st.integers(0, 10**6)),
        "contract_start": None if start is None else AS_OF - timedelta(days=start),
        "contract_end": None if end is None else AS_OF + timedelta(days=end),
        "score": draw(scores),
        "band": draw(bands),
        "previous_score": draw(scores),
        "previous_band": draw(bands),
        "days_in_band": draw(st.sampled_from([0, 1, 29, 30, 31]) | st.integers(0, 400)),
        "previous": {name: draw(values) for name in POOL},
        "active": draw(st.sampled_from([True, False, None])),
    }


def present(value: float | None) -> bool:
    return value is not None and value == value


def scalar(row: dict[str, Any]) -> tuple[AccountSnapshot, Context]:
    """The row as the scalar path sees it: a snapshot (NaN and absent signals left out) and a context."""
    snapshot = AccountSnapshot(
        "a", "SMB", AS_OF, acv=Decimal(row["acv"]), contract_start=row["contract_start"],
        contract_end=row["contract_end"], seats_purchased=row["seats_purchased"], seats_active=row["seats_active"],
        signals={k: v for k, v in row["signals"].items() if present(v)},
    )
    context = Context(
        score=row["score"], band=row["band"], previous_score=row["previous_score"],
        previous_band=row["previous_band"], days_in_band=row["days_in_band"],
        previous={k: v for k, v in row["previous"].items() if present(v)},
        active=frozenset({RULE}) if row["active"] else frozenset(),
    )
    return snapshot, context


SCHEMA: dict[str, Kind] = {
    **dict.fromkeys((*PLAIN, signals.HEALTH_SCORE, "seats_purchased", "seats_active", "acv"), "float"),
    "contract_start": "date", "contract_end": "date",
    "health": "float", "band": "str", "previous.health": "float", "previous.band": "str", "days_in_band": "float",
    **{f"previous.{name}": "float" for name in POOL},
    f"active.{RULE}": "bool",
}


def columnar(row: dict[str, Any]) -> dict[str, Any]:
    """The row as the normalised frame holds it (derived signals are added by ``prepare``)."""
    def name(band: HealthBand | None) -> str | None:
        return None if band is None else band.name

    return {
        **row["signals"],
        "seats_purchased": float(row["seats_purchased"]), "seats_active": float(row["seats_active"]),
        "acv": float(row["acv"]), "contract_start": row["contract_start"], "contract_end": row["contract_end"],
        "health": row["score"], "band": name(row["band"]), "previous.health": row["previous_score"],
        "previous.band": name(row["previous_band"]), "days_in_band": float(row["days_in_band"]),
        **{f"previous.{k}": v for k, v in row["previous"].items()},
        f"active.{RULE}": row["active"],
    }


def assert_forms_agree(conds: list[Condition], table: list[dict[str, Any]], backend: Backend) -> None:
    native = frame([columnar(r) for r in table], SCHEMA, backend)
    out = evaluate(native, lambda env: {f"c{i}": c.expr(env, RULE) for i, c in enumerate(conds)}, as_of=AS_OF)
    for row, got in zip(table, out, strict=True):
        snapshot, context = scalar(row)
        expected = {f"c{i}": c.compile(RULE)(snapshot, context) for i, c in enumerate(conds)}
        assert expected == got, (row, conds)


# ---- the property -------------------------------------------------------------------------------------------------

ON_THE_EDGE = [
    {"signals": {signals.NPS: 3.0, signals.LOGINS_WEEK: 7.0, signals.LOGINS_PREV_WEEK: 10.0,
                 signals.HEALTH_SCORE: None},
     "seats_purchased": seats, "seats_active": 8, "acv": 10, "contract_start": AS_OF - timedelta(days=30),
     "contract_end": AS_OF + timedelta(days=days), "score": score, "band": band, "previous_score": 60.0,
     "previous_band": before, "days_in_band": 30, "previous": dict.fromkeys(POOL, previous), "active": active}
    for seats, days, score, band, before, previous, active in [
        (10, 90, 50.0, HealthBand.YELLOW, HealthBand.GREEN, 10.0, True),
        (0, 91, 45.0, HealthBand.YELLOW, HealthBand.YELLOW, 0.0, False),
        (10, 0, None, None, None, None, None),
        (8, -1, 40.0, HealthBand.RED, HealthBand.YELLOW, NAN, True),
    ]
]
"""Rows exactly on the edges: a 30 % drop from a base of 10, 80 % of seats, renewal in 90 / 91 / 0 / -1 days,
30 days since start and in band, a zero base and zero seats, a row with no score, band or previous values."""
EDGE_CONDITIONS: list[Condition] = [
    PercentChange(signals.LOGINS_WEEK, 0.3, baseline=signals.LOGINS_PREV_WEEK, min_base=10),
    PercentChange(signals.NPS, 0.7, min_base=10),
    Ratio(signals.SEATS_ACTIVE, signals.SEATS_PURCHASED, ">=", 0.8),
    Threshold(signals.NPS, "!=", 3.0),
    Threshold(signals.HEALTH_SCORE, "<", 40.0, release=50.0),
    Not(Threshold(signals.HEALTH_SCORE, "!=", 50.0)),
    DaysUntil("contract_end", 90),
    AllOf((DaysSince("contract_start", 30), DaysInBand(HealthBand.YELLOW, 30))),
    AnyOf((BandTransition((HealthBand.GREEN,), (HealthBand.YELLOW,), min_drop=10),
           BandTransition((HealthBand.YELLOW,), (HealthBand.RED,), min_drop=10, require="both"))),
]


@settings(max_examples=60)
@given(st.lists(conditions, min_size=1, max_size=4), st.lists(rows(), min_size=1, max_size=30),
       st.sampled_from(BACKENDS))
@example(EDGE_CONDITIONS, ON_THE_EDGE, "polars")
@example(EDGE_CONDITIONS, ON_THE_EDGE, "pandas")
@example(EDGE_CONDITIONS, ON_THE_EDGE, "pyarrow")
@example(EDGE_CONDITIONS, ON_THE_EDGE, "duckdb")
def test_expr_equals_compile(conds: list[Condition], table: list[dict[str, Any]], backend: Backend) -> None:
    """Every condition's ``expr`` is its ``compile``'s answer on every row: a Boolean, never null."""
    assert_forms_agree(conds, table, backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_frame_without_carried_state_is_a_first_evaluation(backend: Backend) -> None:
    """Without ``previous.*`` and ``active.*`` columns, conditions answer as on an account's first evaluation."""
    conds = [*EDGE_CONDITIONS, Threshold(signals.NPS, ">", 1.0, source="previous")]
    schema = {k: v for k, v in SCHEMA.items() if not k.startswith(("previous.", "active."))}
    table = [{**row, "previous": {}, "previous_score": None, "previous_band": None, "active": False}
             for row in ON_THE_EDGE]
    native = frame([columnar(r) for r in table], schema, backend)
    out = evaluate(native, lambda env: {f"c{i}": c.expr(env, RULE) for i, c in enumerate(conds)}, as_of=AS_OF)
    for row, got in zip(table, out, strict=True):
        snapshot, context = scalar(row)
        assert {f"c{i}": c.compile(RULE)(snapshot, context) for i, c in enumerate(conds)} == got


@pytest.mark.parametrize("cls", CONDITION_KINDS)
def test_every_condition_kind_is_a_decision(cls: type) -> None:
    """Every condition class carries its scalar (``compile``) and columnar (``expr``) forms side by side."""
    assert is_decision(cls)


# ---- rule sets on the sample portfolio --------------------------------------------------------------------------


def portfolio_cases() -> list[tuple[AccountSnapshot, AccountState | None, AccountState]]:
    """(latest snapshot, state before it, state after it) for a first and a later evaluation of each account."""
    engine = Engine(DEFAULT_RULE_SET, health_model=DEFAULT_HEALTH_MODEL)
    cases: list[tuple[AccountSnapshot, AccountState | None, AccountState]] = []
    for account in sample_portfolio(120, seed=11).active:
        history = account.history(as_of=date(2026, 11, 1), weeks=8)
        state: AccountState | None = None
        for snapshot in history[:-1]:
            state, _ = engine.step(state, snapshot)
        cases.append((history[-1], None, engine.step(None, history[-1])[0]))
        cases.append((history[-1], state, engine.step(state, history[-1])[0]))
    return cases


CASES = portfolio_cases()


def state_row(snapshot: AccountSnapshot, before: AccountState | None, after: AccountState) -> dict[str, Any]:
    """The frame row of a snapshot evaluated by ``Engine.step``: its signals and the state the step saw."""
    row: dict[str, Any] = dict(snapshot.signals)
    row.update(segment=snapshot.segment.name)
    row.update(acv=float(snapshot.acv), seats_purchased=float(snapshot.seats_purchased),
               seats_active=float(snapshot.seats_active), contract_start=snapshot.contract_start,
               contract_end=snapshot.contract_end, health=after.score,
               band=None if after.band is None else after.band.name, days_in_band=float(after.days_in_band))
    if before is not None:
        row.update({"previous.health": before.score, "previous.band": before.band and before.band.name})
        row.update({f"previous.{name}": value for name, value in before.previous.items()})
        row.update({f"active.{rule.id}": rule.id in before.active for rule in DEFAULT_RULE_SET.rules})
    return row


@pytest.mark.parametrize("rule_set", [DEFAULT_RULE_SET, CATALOG], ids=["DEFAULT_RULE_SET", "CATALOG"])
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("later", [False, True], ids=["first", "later"])
def test_rule_sets_hit_what_the_engine_records(rule_set: RuleSet, backend: Backend, later: bool) -> None:
    """Every rule's ``Rule.expr`` on the sample portfolio's latest snapshots holds exactly where ``Engine.step``
    records it as holding (``AccountState.active``), on a first evaluation and after 7 weeks of history."""
    cases = [(s, b, a) for s, b, a in CASES if (b is not None) == later]
    table = [state_row(*case) for case in cases]
    schema: dict[str, Kind] = {name: "float" for row in table for name in row}
    derived = {signals.SEAT_UTILISATION, signals.DAYS_TO_RENEWAL, signals.DAYS_SINCE_START}
    schema.update({name: "float" for rule in rule_set.rules for name in rule.columns() - derived})  # absent: null
    schema.update({"contract_start": "date", "contract_end": "date"})
    for name in schema:
        if name in ("band", "previous.band", "segment"):
            schema[name] = "str"
        elif name.startswith("active."):
            schema[name] = "bool"
    out = evaluate(frame(table, schema, backend), lambda env: {r.id: r.expr(env) for r in rule_set.rules},
                   as_of=date(2026, 11, 1))
    expected = [{r.id: r.id in after.active for r in rule_set.rules} for _, _, after in cases]
    assert expected == out
    hits = {rule for row in out for rule, hit in row.items() if hit}
    assert {"U1", "H4", "M1", "M2"} | ({"H1", "H3"} if later else set()) <= hits  # rich enough to tell


def test_rules_list_the_columns_they_read() -> None:
    """``Rule.columns`` is exactly what ``Rule.expr`` needs: without any one of them the rule is not evaluable
    (and the error names the rule), with them alone it is."""
    row = state_row(*CASES[1])
    kinds = {"contract_start": "date", "contract_end": "date", "band": "str", "segment": "str"}
    for rule in DEFAULT_RULE_SET.rules:
        needed = rule.columns()
        _, env = prepare(frame([row], {n: kinds.get(n, "float") for n in needed}, "polars"), as_of=AS_OF)
        rule.expr(env)
        for name in needed:
            rest = {n: kinds.get(n, "float") for n in needed - {name}}
            _, env = prepare(frame([row], rest or {"account": "str"}, "polars"), as_of=AS_OF)
            with pytest.raises(NotEvaluable, match=f"rule {rule.id} reads it"):
                rule.expr(env)
