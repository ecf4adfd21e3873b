"""The renewal state and forecast with no activity recorded, and of auto-renewals, agree in their scalar and
columnar forms: ``recorded=False`` or a ``renewal_recorded`` column per row, product-led contracts renewing by
themselves (or the segments a state order names), on every backend."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postsale import AccountSnapshot, HealthBand, Segment, signals
from postsale.renewal import (
    DEFAULT_FORECAST_RULES,
    DEFAULT_PLAYBOOKS,
    DEFAULT_STATE_ORDER,
    RENEWAL_RECORDED,
    Contract,
    Fact,
    ForecastCategory,
    ForecastRule,
    ForecastRules,
    RunwayWidening,
    StateOrder,
    forecast_renewal,
    renewal_timeline,
)
from tests.columnar.backends import BACKENDS, evaluate, frame

AS_OF = date(2027, 1, 31)
BOUNDARIES = sorted(
    {n + k for pb in DEFAULT_PLAYBOOKS.values()
     for n in (*pb.offsets, pb.runway_days, pb.latest_start_days, pb.danger_zone_days, 180, 0) for k in (-1, 0, 1)}
)
"""Days to renewal on both sides of every milestone, runway start, latest start and danger zone."""


@st.composite
def rows(draw: st.DrawFn) -> dict[str, Any]:
    """One account around a boundary, with a band, a champion signal and a recorded flag (null = not recorded)."""
    days = draw(st.sampled_from(BOUNDARIES) | st.integers(-60, 400))
    return {
        "account_id": "a",
        "segment": draw(st.sampled_from([s.name for s in Segment])),
        "contract_start": AS_OF + timedelta(days=days - 365),
        "contract_end": AS_OF + timedelta(days=days),
        "band": draw(st.none() | st.sampled_from([b.name for b in HealthBand])),
        signals.CHAMPION_LEFT: draw(st.none() | st.sampled_from([0.0, 1.0])),
        RENEWAL_RECORDED: draw(st.none() | st.booleans()),
    }


SCHEMA: dict[str, Any] = {"account_id": "str", "segment": "str", "contract_start": "date", "contract_end": "date",
                          "band": "str", signals.CHAMPION_LEFT: "float", RENEWAL_RECORDED: "bool"}


def scalar(
    row: dict[str, Any], recorded: bool, column: bool, order: StateOrder, rules: ForecastRules
) -> dict[str, Any]:
    """What the timeline and ``forecast_renewal`` give for the row's account, nothing completed."""
    champion = row[signals.CHAMPION_LEFT]
    given_signals = {} if champion is None else {signals.CHAMPION_LEFT: champion}
    snap = AccountSnapshot("a", row["segment"], AS_OF, acv=0, contract_start=row["contract_start"],
                           contract_end=row["contract_end"], signals=given_signals)
    band = None if row["band"] is None else HealthBand[row["band"]]
    contract = Contract.from_snapshot(snap, auto_renew=snap.segment in order.auto_renew)
    timeline = renewal_timeline(contract, health=band, playbooks=order.playbooks, widening=order.widening)
    kept = bool(row[RENEWAL_RECORDED]) if column else recorded
    status = timeline.status(AS_OF, recorded=kept)
    assert status.state is order.state(status.days_to_renewal, segment=snap.segment, health=band, recorded=kept)
    forecast = forecast_renewal(health=band, status=status, signals=snap.evidence(), rules=rules)
    return {"state": status.state.name, "forecast": forecast.computed.name}


def columnar(data: list[dict[str, Any]], recorded: bool, column: bool, order: StateOrder, rules: ForecastRules,
             backend: str) -> list[dict[str, Any]]:
    schema = SCHEMA if column else {k: v for k, v in SCHEMA.items() if k != RENEWAL_RECORDED}
    native = frame(data, schema, backend)  # type: ignore[arg-type]
    return evaluate(native, lambda env: {"state": order.expr(env, recorded=recorded),
                                         "forecast": rules.expr(env, order=order, recorded=recorded)}, as_of=AS_OF)


@st.composite
def orders(draw: st.DrawFn) -> StateOrder:
    """The default order, or one with other auto-renewing segments and widening."""
    widenings = [RunwayWidening(), None, RunwayWidening(bands={"RED", "YELLOW"}, runway_days=120)]
    return StateOrder(widening=draw(st.sampled_from(widenings)),
                      auto_renew=draw(st.frozensets(st.sampled_from(list(Segment)))))


@st.composite
def rule_tables(draw: st.DrawFn) -> ForecastRules:
    """The default table, or one whose rules read the record, the confirmation and the calendar."""
    if draw(st.booleans()):
        return DEFAULT_FORECAST_RULES
    facts = [Fact.NOT_RECORDED, Fact.RENEWAL_CONFIRMED, Fact.OVERDUE, Fact.LATE_START, Fact.DANGER_ZONE,
             Fact.LAPSED, Fact.HEALTH_GREEN, Fact.CHAMPION_LEFT]
    found = [
        ForecastRule(draw(st.sampled_from(list(ForecastCategory))), "why", any_of={draw(st.sampled_from(facts))},
                     none_of=draw(st.frozensets(st.sampled_from(facts[:4]))))
        for _ in range(draw(st.integers(1, 4)))
    ]
    found = [r for r in found if not (r.any_of & r.none_of)]
    found = found or [ForecastRule("LIKELY", "why", any_of={Fact.NOT_RECORDED})]
    return ForecastRules(found, default=draw(st.sampled_from(list(ForecastCategory))))


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=10)
@given(st.lists(rows(), min_size=1, max_size=30), st.booleans(), st.booleans())
def test_default_forms_agree_recorded_or_not(backend: str, data: list[dict[str, Any]], recorded: bool,
                                             column: bool) -> None:
    """The default order and rules agree row by row, with or without the renewal_recorded column."""
    expected = [scalar(row, recorded, column, DEFAULT_STATE_ORDER, DEFAULT_FORECAST_RULES) for row in data]
    assert expected == columnar(data, recorded, column, DEFAULT_STATE_ORDER, DEFAULT_FORECAST_RULES, backend)


@settings(max_examples=20)
@given(st.lists(rows(), min_size=1, max_size=20), st.booleans(), st.booleans(), orders(), rule_tables(),
       st.sampled_from(BACKENDS))
def test_custom_forms_agree_recorded_or_not(data: list[dict[str, Any]], recorded: bool, column: bool,
                                            order: StateOrder, rules: ForecastRules, backend: str) -> None:
    """Other auto-renewing segments, widenings and rule tables reading NOT_RECORDED and RENEWAL_CONFIRMED agree."""
    expected = [scalar(row, recorded, column, order, rules) for row in data]
    assert expected == columnar(data, recorded, column, order, rules, backend)


def test_a_green_enterprise_frame_at_t91() -> None:
    """One frame, two accounts at T-91: the one whose milestones are tracked is late; the other has no activity
    recorded and is LIKELY; a product-led auto-renewal at T-14 is LIKELY either way."""
    data = [
        {"account_id": "a", "segment": "ENTERPRISE", "contract_start": AS_OF - timedelta(days=274),
         "contract_end": AS_OF + timedelta(days=91), "band": "GREEN", signals.CHAMPION_LEFT: None,
         RENEWAL_RECORDED: True},
        {"account_id": "b", "segment": "ENTERPRISE", "contract_start": AS_OF - timedelta(days=274),
         "contract_end": AS_OF + timedelta(days=91), "band": "GREEN", signals.CHAMPION_LEFT: None,
         RENEWAL_RECORDED: None},
        {"account_id": "c", "segment": "PRODUCT_LED", "contract_start": AS_OF - timedelta(days=351),
         "contract_end": AS_OF + timedelta(days=14), "band": "GREEN", signals.CHAMPION_LEFT: None,
         RENEWAL_RECORDED: True},
    ]
    assert columnar(data, True, True, DEFAULT_STATE_ORDER, DEFAULT_FORECAST_RULES, "polars") == [
        {"state": "LATE_START", "forecast": "AT_RISK"},
        {"state": "NOT_RECORDED", "forecast": "LIKELY"},
        {"state": "OVERDUE", "forecast": "LIKELY"},
    ]
