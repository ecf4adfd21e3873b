"""The renewal playbooks and the forecast rules are settings: ``ReviewSettings(renewal=StateOrder(...),
forecast_rules=ForecastRules(...))`` changes the renewal timeline, state, days to renewal and forecast of
``review_account`` and of ``review_frame`` alike."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postsale import AccountSnapshot, PostsaleError, Segment
from postsale.adapters.frame import review_frame
from postsale.renewal import (
    DEFAULT_FORECAST_RULES,
    DEFAULT_PLAYBOOKS,
    EARLY_START,
    MILESTONE,
    RENEWAL_RECORDED,
    ForecastRule,
    ForecastRules,
    Intent,
    StateOrder,
)
from postsale.review import AccountInput, ReviewSettings, review_account
from tests.columnar.test_renewal_forms import orders, rule_tables
from tests.columnar.test_renewal_milestones import AS_OF, HEALTH, NAMES, accounts

pl = pytest.importorskip("polars")


def _longer(segment: Segment, days: int) -> Any:
    """The segment's default playbook with a runway of ``days`` (its first milestone moved there, the latest start
    half way)."""
    playbook = DEFAULT_PLAYBOOKS[segment]
    first, *rest = playbook.milestones
    return attrs.evolve(playbook, name=f"{playbook.name}-{days}", runway_days=days,
                        latest_start_days=max(days // 2, rest[0].days_before if rest else 0),
                        milestones=(attrs.evolve(first, days_before=days), *rest))


LONG_RUNWAYS = StateOrder(playbooks={segment: _longer(segment, max(120, DEFAULT_PLAYBOOKS[segment].runway_days + 60))
                                     for segment in Segment})
ORDERS = [StateOrder(), LONG_RUNWAYS, StateOrder(widening=None), StateOrder(auto_renew=frozenset()),
          StateOrder(auto_renew=frozenset(Segment))]


def scalar(n: int, account: dict[str, Any], review: ReviewSettings) -> tuple[str, str | None, str | None] | None:
    signals = {"nps": account["nps"], "sentiment": account["sentiment"]}
    snap = AccountSnapshot(f"a{n}", account["segment"], AS_OF, contract_start=account["end"] - timedelta(days=365),
                           contract_end=account["end"], signals=signals)
    try:
        found = review_account(AccountInput(snap, completed_milestones=account["done"]), settings=review)
    except PostsaleError:
        return None
    return (f"a{n}", found.renewal.state.name if found.renewal else None,
            found.forecast.category.name if found.forecast else None)


@settings(max_examples=40, deadline=None)
@given(st.lists(accounts(), min_size=1, max_size=12), st.sampled_from(ORDERS), st.booleans())
def test_custom_playbooks_give_the_same_state_and_forecast_on_both_paths(
    found: list[dict[str, Any]], order: StateOrder, recorded: bool
) -> None:
    """Longer runways, no widening, every or no segment renewing by itself: each row has review_account's renewal
    state and forecast under the same settings, and the same accounts are refused."""
    review = ReviewSettings(renewal=order)
    if not recorded:
        found = [{**a, "done": None} for a in found]
    rows = [{"account_id": f"a{n}", "segment": a["segment"], "contract_start": a["end"] - timedelta(days=365),
             "contract_end": a["end"], "nps": a["nps"], "sentiment": a["sentiment"],
             **({MILESTONE + name: (a["done"] or {}).get(name) for name in NAMES} if recorded else {})}
            for n, a in enumerate(found)]
    overrides = dict.fromkeys((MILESTONE + name for name in NAMES), pl.Date) if recorded else {}
    frame = pl.DataFrame(rows, schema_overrides=overrides)
    expected = [scalar(n, a, review) for n, a in enumerate(found)]
    result = review_frame(frame, as_of=AS_OF, settings=review)
    assert result.results.select("account_id", "renewal_state", "forecast").rows() == [
        row for row in expected if row is not None]
    assert set(result.errors["account_id"].to_list()) == {f"a{n}" for n, row in enumerate(expected) if row is None}


def test_a_longer_runway_puts_an_account_100_days_out_inside_it() -> None:
    """An SMB account 100 days from renewal is before the default 60-day runway (UPCOMING) and, with nothing
    recorded, inside a 120-day one (NOT_RECORDED), on both paths."""
    end = date(2027, 1, 9)
    day = end - timedelta(days=100)
    snap = AccountSnapshot("acme", "SMB", day, contract_start=end - timedelta(days=365), contract_end=end,
                           signals={"nps": 9.0, "sentiment": 80.0})
    longer = ReviewSettings(renewal=StateOrder(playbooks={**DEFAULT_PLAYBOOKS, Segment.SMB: _longer(Segment.SMB, 120)}))
    default_state = review_account(snap).renewal
    long_state = review_account(snap, settings=longer).renewal
    assert default_state is not None and long_state is not None
    assert (default_state.state.name, long_state.state.name) == ("UPCOMING", "NOT_RECORDED")
    assert long_state.runway_start == end - timedelta(days=120)
    frame = pl.DataFrame({"account_id": ["acme"], "segment": ["SMB"], "contract_start": [end - timedelta(days=365)],
                          "contract_end": [end], "nps": [9.0], "sentiment": [80.0]})
    states = [review_frame(frame, as_of=day, settings=s).results["renewal_state"][0]
              for s in (ReviewSettings(), longer)]
    assert states == ["UPCOMING", "NOT_RECORDED"]


def test_the_renewal_settings_are_checked_and_round_trip() -> None:
    from postsale import InvalidTypeError, from_data, from_json, to_data, to_json

    with pytest.raises(InvalidTypeError, match="renewal"):
        ReviewSettings(renewal="smb")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="forecast_rules"):
        ReviewSettings(forecast_rules=DEFAULT_FORECAST_RULES.rules)  # type: ignore[arg-type]
    rules = ForecastRules([ForecastRule("LIKELY", "we trust red accounts", any_of={"HEALTH_RED"})], default="COMMIT")
    review = ReviewSettings(renewal=LONG_RUNWAYS, forecast_rules=rules)
    assert from_json(ReviewSettings, to_json(review)) == review
    assert from_data(ReviewSettings, to_data(review)) == review
    assert from_data(ReviewSettings, {}) == ReviewSettings()  # the fields are optional: old data still reads


RISK = ["champion_left", "budget_cut"]
"""Two risk signals (a regression trigger each), so a rule table's risk facts are read on both paths."""


@st.composite
def custom_orders(draw: st.DrawFn) -> StateOrder:
    """Custom playbooks (other runways, other milestones, other danger zones) for some segments, any widening, any
    auto-renewing segments; now and then a table lacking a segment (its accounts are refused on both paths)."""
    order = draw(orders())
    every = draw(st.sampled_from([True, True, True, False]))
    kept = list(Segment) if every else draw(st.lists(st.sampled_from(list(Segment)), min_size=1, unique=True))
    auto = draw(st.frozensets(st.sampled_from(list(Segment))))
    return StateOrder({segment: order.playbooks[segment] for segment in kept}, order.widening, auto)


@st.composite
def custom_accounts(draw: st.DrawFn, order: StateOrder) -> dict[str, Any]:
    """An account around the custom runways: segment, renewal date, health, intent, risk signals, and, when its
    renewal activity is recorded, completions of its own playbook's milestones (some after the review day)."""
    segment = draw(st.sampled_from(list(Segment)))
    playbook = order.playbooks.get(segment)
    runway = 200 if playbook is None else playbook.runway_days
    days = draw(st.integers(-30, 450) | st.sampled_from([runway - 1, runway, runway + 1]))
    recorded = draw(st.booleans())
    steps = [EARLY_START] + ([] if playbook is None else [m.name for m in playbook.milestones] * 3)  # early: rarer
    done = {name: AS_OF - timedelta(days=draw(st.integers(-3, 300)))
            for name in set(draw(st.lists(st.sampled_from(steps), max_size=3)))} if recorded else None
    nps, sentiment = draw(st.sampled_from(HEALTH))
    return {"segment": segment.name, "end": AS_OF + timedelta(days=days), "done": done, "nps": nps,
            "sentiment": sentiment, "intent": draw(st.none() | st.sampled_from([i.name for i in Intent])),
            **{name: draw(st.sampled_from([None, 0.0, 1.0])) for name in RISK}}


def _reviewed(n: int, account: dict[str, Any], review: ReviewSettings) -> tuple[Any, ...] | None:
    """review_account's account id, renewal state, days to renewal and forecast (``None``: refused)."""
    signals = {name: account[name] for name in ("nps", "sentiment", *RISK) if account[name] is not None}
    snap = AccountSnapshot(f"a{n}", account["segment"], AS_OF, contract_start=account["end"] - timedelta(days=365),
                           contract_end=account["end"], signals=signals)
    given = AccountInput(snap, completed_milestones=account["done"], intent=account["intent"] or Intent.UNKNOWN)
    try:
        found = review_account(given, settings=review)
    except PostsaleError:
        return None
    renewal = found.renewal
    return (f"a{n}", None if renewal is None else renewal.state.name,
            None if renewal is None else float(renewal.days_to_renewal),
            None if found.forecast is None else found.forecast.category.name)


@settings(max_examples=40, deadline=None)
@given(custom_orders().flatmap(lambda order: st.tuples(
    st.just(order), st.lists(custom_accounts(order), min_size=1, max_size=10))),
    st.just(DEFAULT_FORECAST_RULES) | rule_tables())
def test_custom_playbooks_and_rules_give_review_accounts_state_days_and_forecast(
    case: tuple[StateOrder, list[dict[str, Any]]], rules: ForecastRules
) -> None:
    """Random playbooks (runways, milestones, latest starts, danger zones), widenings, auto-renewing segments and
    rule tables, accounts with and without recorded activity, completions, intents and risk signals: each row of
    review_frame has review_account's renewal state, days to renewal and forecast under the same settings, and
    exactly the accounts review_account refuses are rejected rows."""
    order, found = case
    review = ReviewSettings(renewal=order, forecast_rules=rules)
    names = sorted({name for a in found for name in (a["done"] or {})})
    rows = [{"account_id": f"a{n}", "segment": a["segment"], "contract_start": a["end"] - timedelta(days=365),
             "contract_end": a["end"], "nps": a["nps"], "sentiment": a["sentiment"], "intent": a["intent"],
             RENEWAL_RECORDED: a["done"] is not None, **{name: a[name] for name in RISK},
             **{MILESTONE + name: (a["done"] or {}).get(name) for name in names}}
            for n, a in enumerate(found)]
    frame = pl.DataFrame(rows, schema_overrides={"intent": pl.String, **dict.fromkeys(RISK, pl.Float64),
                                                 **dict.fromkeys((MILESTONE + name for name in names), pl.Date)})
    expected = [_reviewed(n, a, review) for n, a in enumerate(found)]
    result = review_frame(frame, as_of=AS_OF, settings=review)
    got = result.results.select("account_id", "renewal_state", "days_to_renewal", "forecast").rows()
    assert got == [row for row in expected if row is not None]
    assert set(result.errors["account_id"].to_list()) == {f"a{n}" for n, row in enumerate(expected) if row is None}


def test_custom_forecast_rules_change_the_forecast_on_both_paths() -> None:
    """A table calling every red account LIKELY: a red account's forecast is LIKELY where the defaults say AT_RISK,
    on both paths."""
    trusting = ForecastRules([ForecastRule("LIKELY", "we trust red accounts", any_of={"HEALTH_RED"}),
                              *DEFAULT_FORECAST_RULES.rules])
    end = date(2027, 1, 9)
    snap = AccountSnapshot("acme", "SMB", AS_OF, contract_start=end - timedelta(days=365), contract_end=end,
                           signals={"nps": 1.0, "sentiment": 10.0})
    review = ReviewSettings(forecast_rules=trusting)
    scalar_forecasts = [review_account(snap, settings=s).forecast for s in (ReviewSettings(), review)]
    assert [f.category.name for f in scalar_forecasts if f is not None] == ["AT_RISK", "LIKELY"]
    frame = pl.DataFrame({"account_id": ["acme"], "segment": ["SMB"], "contract_start": [end - timedelta(days=365)],
                          "contract_end": [end], "nps": [1.0], "sentiment": [10.0]})
    assert [review_frame(frame, as_of=AS_OF, settings=s).results["forecast"][0]
            for s in (ReviewSettings(), review)] == ["AT_RISK", "LIKELY"]


def test_a_segment_without_a_playbook_is_refused_on_both_paths() -> None:
    """Settings whose playbooks leave a segment out: review_account refuses that segment's accounts with a contract
    (UnknownNameError), and review_frame rejects the same rows, saying why."""
    from postsale import UnknownNameError

    review = ReviewSettings(renewal=StateOrder(playbooks={Segment.SMB: DEFAULT_PLAYBOOKS[Segment.SMB]}))
    end = date(2027, 1, 9)
    snap = AccountSnapshot("big", "ENTERPRISE", AS_OF, contract_start=end - timedelta(days=365), contract_end=end)
    with pytest.raises(UnknownNameError, match="has no playbook"):
        review_account(snap, settings=review)
    assert review_account(attrs.evolve(snap, contract_start=None, contract_end=None), settings=review).renewal is None
    frame = pl.DataFrame({"account_id": ["big", "small", "new"], "segment": ["ENTERPRISE", "SMB", "ENTERPRISE"],
                          "contract_start": [end - timedelta(days=365)] * 2 + [None],
                          "contract_end": [end] * 2 + [None]})
    result = review_frame(frame, as_of=AS_OF, settings=review)
    assert result.results["account_id"].to_list() == ["small", "new"]
    assert result.errors.select("account_id", "column").rows() == [("big", "segment")]
    assert "has no renewal playbook" in result.errors["reason"][0]
