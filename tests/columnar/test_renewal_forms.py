"""The renewal state order and the forecast rules give the same answer in their scalar and columnar forms.

The scalar side is what the review computes for an account with nothing recorded about its renewal:
``renewal_timeline(Contract.from_snapshot(snap), health=band).status(as_of)`` and ``forecast_renewal(...)`` on the
snapshot's evidence. The columnar side is ``StateOrder.expr`` / ``ForecastRules.expr`` over one frame per
example, on Polars, pandas, PyArrow and DuckDB.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from postsale import AccountSnapshot, HealthBand, Segment, signals
from postsale._columnar import NotEvaluable, is_decision
from postsale.renewal import (
    DEFAULT_FORECAST_RULES,
    DEFAULT_PLAYBOOKS,
    DEFAULT_STATE_ORDER,
    RISK_SIGNALS,
    Contract,
    Fact,
    ForecastCategory,
    ForecastRule,
    ForecastRules,
    Runway,
    RunwayWidening,
    StateOrder,
    add_months,
    forecast_renewal,
    renewal_timeline,
)
from tests.columnar.backends import BACKENDS, evaluate, frame
from tests.strategies.renewal import playbooks

RISK = sorted(RISK_SIGNALS)
AS_OFS = [date(2026, 11, 1), date(2028, 2, 29), date(2027, 1, 31), date(2026, 12, 31), date(2027, 2, 28)]
"""Evaluation dates: month ends, 29 February, a year end."""
BOUNDARIES = {
    segment: sorted(
        {n + k for n in (*pb.offsets, pb.runway_days, pb.latest_start_days, pb.danger_zone_days, 180, 0)
         for k in (-1, 0, 1)}
    )
    for segment, pb in DEFAULT_PLAYBOOKS.items()
}
"""Days to renewal on both sides of every milestone, runway, latest start and danger zone (and the widened T-180)
of each segment's playbook."""

SCHEMA: dict[str, Any] = {
    "account_id": "str",
    "segment": "str",
    "contract_start": "date",
    "contract_end": "date",
    "band": "str",
    signals.HEALTH_SCORE: "float",
    **dict.fromkeys(RISK, "float"),
}


@st.composite
def rows(draw: st.DrawFn, as_of: date) -> dict[str, Any]:
    """One account: segment, contract around a boundary (or none), band, health score and risk signals."""
    segment = draw(st.sampled_from(list(Segment)))
    days = draw(st.sampled_from(BOUNDARIES[segment]) | st.integers(-400, 500))
    end = as_of + timedelta(days=days)
    start = draw(
        st.integers(1, 1200).map(lambda n: end - timedelta(days=n))
        | st.integers(1, 36).map(lambda months: add_months(end + timedelta(days=1), -months))
        | st.none()
    )
    if start is not None and start >= end:
        start = end - timedelta(days=1)
    return {
        "account_id": "a",
        "segment": segment.name,
        "contract_start": start,
        "contract_end": draw(st.sampled_from([end, end, end, None])),
        "band": draw(st.none() | st.sampled_from([b.name for b in HealthBand])),
        signals.HEALTH_SCORE: draw(st.none() | st.sampled_from([39.999, 40.0, 69.999, 70.0]) | st.floats(0, 100)),
        **{name: draw(st.none() | st.sampled_from([0.0, 1.0, 0.5, -1.0, 2.0])) for name in RISK},
    }


@st.composite
def frames(draw: st.DrawFn) -> tuple[date, list[dict[str, Any]], dict[str, Any]]:
    """An evaluation date, many rows, and which optional columns (health score, each risk signal) the frame has."""
    as_of = draw(st.sampled_from(AS_OFS))
    data = draw(st.lists(rows(as_of), min_size=1, max_size=40))
    optional = [signals.HEALTH_SCORE, *RISK]
    present = draw(st.sets(st.sampled_from(optional)))
    schema = {name: kind for name, kind in SCHEMA.items() if name not in optional or name in present}
    return as_of, data, schema


def snapshot(row: dict[str, Any], as_of: date, schema: dict[str, Any]) -> AccountSnapshot:
    """The account as the scalar review sees it: only the columns of the frame, nulls left out."""
    given_signals = {name: row[name] for name in schema if schema[name] == "float" and row[name] is not None}
    return AccountSnapshot(
        row["account_id"], row["segment"], as_of, acv=0, contract_start=row["contract_start"],
        contract_end=row["contract_end"], signals=given_signals,
    )


def scalar(
    row: dict[str, Any], as_of: date, schema: dict[str, Any], order: StateOrder = DEFAULT_STATE_ORDER,
    rules: ForecastRules = DEFAULT_FORECAST_RULES,
) -> dict[str, Any]:
    """What the review gives for an account with nothing recorded about its renewal."""
    snap = snapshot(row, as_of, schema)
    if snap.contract_start is None or snap.contract_end is None:
        return {"renewal_state": None, "days_to_renewal": None, "forecast": None}
    band = None if row["band"] is None else HealthBand[row["band"]]
    timeline = renewal_timeline(Contract.from_snapshot(snap), health=band, playbooks=order.playbooks,
                                widening=order.widening)
    status = timeline.status(as_of)
    assert status.state is order.state(status.days_to_renewal, segment=snap.segment, health=band)
    forecast = forecast_renewal(health=band, status=status, signals=snap.evidence(), rules=rules)
    return {
        "renewal_state": status.state.name,
        "days_to_renewal": float(status.days_to_renewal),
        "forecast": forecast.category.name,
    }


def columnar(
    data: list[dict[str, Any]], schema: dict[str, Any], as_of: date, backend: str,
    order: StateOrder = DEFAULT_STATE_ORDER, rules: ForecastRules = DEFAULT_FORECAST_RULES, recorded: bool = True,
) -> list[dict[str, Any]]:
    native = frame(data, schema, backend)  # type: ignore[arg-type]
    return evaluate(
        native,
        lambda env: {
            "renewal_state": order.expr(env, recorded=recorded),
            "days_to_renewal": order.days(env),
            "forecast": rules.expr(env, order=order, recorded=recorded),
        },
        as_of=as_of,
    )


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=12)
@given(frames())
@example((date(2028, 2, 29), [
    {"account_id": "a", "segment": "SMB", "contract_start": date(2027, 3, 1), "contract_end": date(2028, 2, 29),
     "band": "RED", signals.HEALTH_SCORE: None, **dict.fromkeys(RISK)},
    {"account_id": "b", "segment": "ENTERPRISE", "contract_start": date(2027, 3, 1), "contract_end": date(2028, 8, 27),
     "band": None, signals.HEALTH_SCORE: 70.0, **dict.fromkeys(RISK)},
], SCHEMA))
def test_default_forms_agree(backend: str, case: tuple[date, list[dict[str, Any]], dict[str, Any]]) -> None:
    """Renewal state, days to renewal and forecast are the review's, row by row, on every backend."""
    as_of, data, schema = case
    assert [scalar(row, as_of, schema) for row in data] == columnar(data, schema, as_of, backend)


@st.composite
def orders(draw: st.DrawFn) -> StateOrder:
    """State orders with custom playbooks for some segments and any widening."""
    table = {s: draw(st.just(DEFAULT_PLAYBOOKS[s]) | playbooks()) for s in Segment}
    widening = draw(
        st.none()
        | st.builds(RunwayWidening, bands=st.frozensets(st.sampled_from(list(HealthBand))),
                    runway_days=st.integers(0, 400))
    )
    return StateOrder(table, widening)


@st.composite
def rule_tables(draw: st.DrawFn) -> ForecastRules:
    """Valid rule tables over every fact, in any order, with any default."""
    facts = st.frozensets(st.sampled_from(list(Fact)), max_size=3)
    found = []
    for _ in range(draw(st.integers(0, 6))):
        all_of, any_of = draw(facts), draw(facts)
        if not all_of and not any_of:
            any_of = frozenset({draw(st.sampled_from(list(Fact)))})
        none_of = draw(facts) - all_of - any_of
        found.append(ForecastRule(draw(st.sampled_from(list(ForecastCategory))), "why", all_of, any_of, none_of))
    return ForecastRules(found, default=draw(st.sampled_from(list(ForecastCategory))),
                         high_risk_from=draw(st.integers(2, 4)))


@settings(max_examples=25)
@given(frames(), orders(), rule_tables(), st.sampled_from(BACKENDS))
def test_custom_forms_agree(
    case: tuple[date, list[dict[str, Any]], dict[str, Any]], order: StateOrder, rules: ForecastRules, backend: str
) -> None:
    """Custom playbooks, widenings and rule tables (every fact, none_of included) agree as well."""
    as_of, data, schema = case
    expected = [scalar(row, as_of, schema, order, rules) for row in data]
    assert expected == columnar(data, schema, as_of, backend, order, rules)


@given(st.sampled_from(list(Segment)), st.sampled_from([None, *HealthBand]), st.data())
def test_state_order_is_the_timeline_state(segment: Segment, band: HealthBand | None, data: st.DataObject) -> None:
    """StateOrder.state equals the timeline's status for a contract ending ``days`` after the date judged."""
    as_of = date(2027, 1, 31)
    days = data.draw(st.sampled_from(BOUNDARIES[segment]))
    contract = Contract(account_id="a", segment=segment, start=as_of - timedelta(days=400),
                        end=as_of + timedelta(days=days), acv=0)
    expected = renewal_timeline(contract, health=band).status(as_of).state
    assert expected is DEFAULT_STATE_ORDER.state(days, segment=segment, health=band)


def test_segment_without_playbook_has_no_state() -> None:
    """A segment the order has no playbook for gives null (the scalar path refuses it)."""
    order = StateOrder({Segment.SMB: DEFAULT_PLAYBOOKS[Segment.SMB]})
    data = [{"account_id": "a", "segment": "ENTERPRISE", "contract_start": date(2026, 1, 1),
             "contract_end": date(2027, 1, 1), "band": None, **dict.fromkeys(RISK)}]
    schema = {k: v for k, v in SCHEMA.items() if k != signals.HEALTH_SCORE}
    assert [{"renewal_state": None, "days_to_renewal": 61.0, "forecast": None}] == columnar(
        data, schema, date(2026, 11, 1), "polars", order
    )


def test_missing_inputs_are_not_evaluable() -> None:
    """Without a contract_start or band column the forms cannot be evaluated (the entry point reports it)."""
    data = [{"account_id": "a", "segment": "SMB", "contract_end": date(2027, 1, 1), "band": None}]
    with pytest.raises(NotEvaluable, match="contract_start"):
        columnar(data, {"segment": "str", "contract_end": "date", "band": "str"}, date(2026, 11, 1), "polars")
    with pytest.raises(NotEvaluable, match="band"):
        evaluate(frame(data, {"segment": "str", "contract_end": "date"}, "polars"),
                 lambda env: {"f": DEFAULT_FORECAST_RULES.expr(env, days=env.days_until("contract_end"))})


@pytest.mark.parametrize("cls", [Runway, StateOrder, ForecastRule, ForecastRules])
def test_decision_classes_are_marked(cls: type) -> None:
    """The renewal decision classes carry both forms."""
    assert is_decision(cls)


health_signals = st.fixed_dictionaries(
    {}, optional={"nps": st.integers(0, 10).map(float), "sentiment": st.floats(0, 100),
                  "business_context": st.sampled_from([39.9, 40.0, 69.9, 70.0, 100.0])},
)
"""Signals the default health model scores (none at all: health unscored, the forecast reads ``health_score``)."""


@st.composite
def review_cases(draw: st.DrawFn) -> tuple[date, list[AccountSnapshot]]:
    """Snapshots with contracts around the boundaries and random signals (health sometimes unscorable)."""
    as_of = draw(st.sampled_from(AS_OFS))
    snaps = []
    for i, row in enumerate(draw(st.lists(rows(as_of), min_size=1, max_size=8))):
        found = draw(health_signals)
        found.update({name: abs(row[name]) for name in [signals.HEALTH_SCORE, *RISK] if row[name] is not None})
        snaps.append(AccountSnapshot(f"a{i}", row["segment"], as_of, acv=draw(st.integers(0, 300_000)),
                                     contract_start=row["contract_start"], contract_end=row["contract_end"],
                                     signals=found))
    return as_of, snaps


@settings(max_examples=10)
@given(review_cases(), st.sampled_from(BACKENDS))
def test_review_rows_agree(case: tuple[date, list[AccountSnapshot]], backend: str) -> None:
    """The columnar forms give what ``review_account`` gives, the health band taken from the review itself."""
    from postsale.review import review_account

    as_of, snaps = case
    reviews = [review_account(snap) for snap in snaps]
    expected = [
        {
            "renewal_state": None if r.renewal is None else r.renewal.state.name,
            "days_to_renewal": None if r.renewal is None else float(r.renewal.days_to_renewal),
            "forecast": None if r.forecast is None else r.forecast.category.name,
        }
        for r in reviews
    ]
    names = sorted({name for snap in snaps for name in snap.signals})
    data = [
        {"account_id": s.account_id, "segment": s.segment.name, "contract_start": s.contract_start,
         "contract_end": s.contract_end, "band": None if r.health is None else r.health.band.name,
         **{name: s.signals.get(name) for name in names}}
        for s, r in zip(snaps, reviews, strict=True)
    ]
    schema = {"account_id": "str", "segment": "str", "contract_start": "date", "contract_end": "date", "band": "str",
              **dict.fromkeys(names, "float")}
    assert expected == columnar(data, schema, as_of, backend, recorded=False)
