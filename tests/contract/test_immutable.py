"""Immutable means immutable: every mapping inside a value is a checked, private, immutable copy.

Whatever mapping a caller passes (a dict, a ``MappingProxyType``, a ``FrozenDict``, a dict subclass, any other
``Mapping``), the value keeps a ``FrozenDict`` built from it at construction, after checking every item: later
changes to the caller's object never show through, and bad items are refused even when they arrive in an
already-frozen mapping. Results the library builds hold tuples and ``FrozenDict`` only.
"""

from __future__ import annotations

import json
import math
import pickle
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import attrs
import pytest

from postsale import (
    AccountSnapshot,
    InvalidTypeError,
    InvalidValueError,
    Stage,
    UnknownNameError,
    from_data,
    from_json,
    to_data,
    to_json,
)
from postsale._frozen import FrozenDict, ImmutableError
from postsale.adapters.sample import SampleAccount, SamplePortfolio, sample_portfolio
from postsale.cadence import TimeShare, proactive_share
from postsale.journey import Cause, Journey, JourneyAnalytics, RegressionRate, analyze, analyze_cohorts
from postsale.renewal import (
    CategoryTotal,
    Contract,
    ForecastCategory,
    ForecastRollup,
    RenewalLine,
    ScenarioResult,
    roll_up,
    term_periods,
)

D = date(2026, 1, 31)


class _Mapping(Mapping[str, Any]):
    """A mapping that is not a dict."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


class _Dict(dict[str, Any]):
    """A dict subclass."""


KINDS = [dict, MappingProxyType, FrozenDict, OrderedDict, _Dict, _Mapping]


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.__name__)
def test_any_mapping_of_signals_is_copied_into_a_frozen_dict(kind: Any) -> None:
    """signals and labels of any mapping type become a FrozenDict that does not alias the caller's object."""
    signals, labels = {"nps": 9}, {"csm": "aiko"}
    snapshot = AccountSnapshot("acme", "SMB", D, signals=kind(signals), labels=kind(labels))
    assert type(snapshot.signals) is FrozenDict and type(snapshot.labels) is FrozenDict
    assert snapshot.signals == {"nps": 9.0} and snapshot.labels == {"csm": "aiko"}
    if kind is not FrozenDict:
        signals["nps"], labels["csm"] = math.nan, "mallory"
        signals["x"] = "x"
    assert snapshot.signals == {"nps": 9.0} and snapshot.labels == {"csm": "aiko"}


def test_a_mapping_proxy_keeps_nothing_of_the_callers_dict() -> None:
    """The issue's case: a MappingProxyType over a dict later changed to NaN and "x" changes nothing, and the
    snapshot still writes valid JSON."""
    source: dict[str, Any] = {"nps": 8.0}
    snapshot = AccountSnapshot("acme", "SMB", D, signals=MappingProxyType(source))
    source["nps"], source["x"] = math.nan, "x"
    assert json.loads(to_json(snapshot))["signals"] == {"nps": 8.0}
    assert from_json(AccountSnapshot, to_json(snapshot)) == snapshot


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.__name__)
@pytest.mark.parametrize(
    ("signals", "field", "error"),
    [({"nps": math.nan}, "signals['nps']", InvalidValueError), ({"nps": "x"}, "signals['nps']", InvalidTypeError),
     ({"nps": 10**400}, "signals['nps']", InvalidValueError), ({"": 1.0}, "signals key", InvalidValueError),
     ({7: 1.0}, "signals key", InvalidValueError)],
)
def test_bad_items_are_refused_in_every_kind_of_mapping(
    kind: Any, signals: dict[Any, Any], field: str, error: type[Exception]
) -> None:
    """Checking is never skipped: not for a mapping proxy, not for a FrozenDict built by hand."""
    with pytest.raises(error) as info:
        AccountSnapshot("acme", "SMB", D, signals=kind(signals))
    assert getattr(info.value, "field", None) == field


@pytest.mark.parametrize("value", [5, "nps=9", [("nps", 9)], None])
def test_a_non_mapping_is_a_type_error(value: Any) -> None:
    """The issue's AccountSnapshot(labels=5) (a TypeError from dict()) names the field."""
    for name in ("signals", "labels"):
        with pytest.raises(InvalidTypeError) as info:
            AccountSnapshot("acme", "SMB", D, **{name: value})
        assert info.value.field == name


def test_a_frozen_snapshot_hashes_pickles_and_refuses_changes() -> None:
    """The mappings refuse mutation; the snapshot hashes, pickles and compares equal to its copy."""
    snapshot = AccountSnapshot("acme", "SMB", D, signals=MappingProxyType({"nps": 9.0}), labels={"csm": "aiko"})
    with pytest.raises(ImmutableError):
        snapshot.signals["nps"] = 1.0  # type: ignore[index]
    with pytest.raises(ImmutableError):
        snapshot.labels.update(csm="x")  # type: ignore[attr-defined]
    assert pickle.loads(pickle.dumps(snapshot)) == snapshot
    assert hash(snapshot) == hash(attrs.evolve(snapshot))
    assert attrs.evolve(snapshot).signals is snapshot.signals  # an immutable mapping is shared, never copied again


# ---- results the library builds ------------------------------------------------------------------------------


def journeys() -> list[Journey]:
    """Two journeys, one of which regresses."""
    regressing = Journey.start("a", "SMB", on=date(2026, 1, 5), stage=Stage.RETENTION, labels={"source": "x"})
    regressing = regressing.move("core", Stage.ADOPTION, on=date(2026, 3, 6), cause=Cause.CHAMPION_LEFT)
    return [regressing, Journey.start("b", "ENTERPRISE", on=date(2026, 1, 5))]


def test_journey_analytics_hold_frozen_mappings() -> None:
    """completion, velocity, by_cause and by_transition are FrozenDicts (the issue's plain dicts), the analytics
    value hashes, pickles and round-trips; analyze_cohorts returns a frozen mapping too."""
    stats = analyze(journeys())
    for mapping in (stats.completion, stats.velocity, stats.regression.by_cause, stats.regression.by_transition):
        assert type(mapping) is FrozenDict
    assert hash(stats) == hash(analyze(journeys()))
    assert pickle.loads(pickle.dumps(stats)) == stats
    assert from_data(JourneyAnalytics, to_data(stats)) == stats
    assert from_json(JourneyAnalytics, to_json(stats)) == stats
    cohorts = analyze_cohorts(journeys())
    assert type(cohorts) is FrozenDict and sorted(cohorts) == ["ENTERPRISE", "SMB"]
    with pytest.raises(ImmutableError):
        stats.completion[Stage.ONBOARDING] = stats.completion[Stage.ADOPTION]  # type: ignore[index]


def test_journey_analytics_built_by_hand_are_checked_and_copied() -> None:
    """The constructors copy any mapping and check its keys and values."""
    stats = analyze(journeys())
    completion = dict(stats.completion)
    again = JourneyAnalytics(stats.journeys, MappingProxyType(completion), stats.velocity, stats.regression,
                             stats.bottleneck)
    completion.clear()
    assert again == stats and type(again.completion) is FrozenDict
    with pytest.raises(UnknownNameError):
        JourneyAnalytics(1, {"NOT_A_STAGE": stats.completion[Stage.ONBOARDING]}, stats.velocity,
                         stats.regression, None)
    with pytest.raises(InvalidTypeError):
        JourneyAnalytics(1, {Stage.ONBOARDING: 1.5}, stats.velocity, stats.regression, None)
    with pytest.raises(InvalidValueError):
        RegressionRate(True, 1, 1, 1, 1, {Cause.CHAMPION_LEFT: -1}, {})
    partial = JourneyAnalytics(1, stats.completion, {}, stats.regression, None)
    assert partial.explain()[0] == "1 journey analysed."  # a stage missing from a mapping is left out, no KeyError


def test_forecast_rollups_hold_tuples_whatever_they_are_given() -> None:
    """ForecastRollup's collections are tuples of checked items; a roll-up hashes and round-trips."""
    lines = [RenewalLine("a", date(2027, 4, 15), 50000, "COMMIT"), RenewalLine("b", date(2027, 5, 1), 20000, "AT_RISK")]
    rollup = roll_up(lines, period_start=date(2027, 4, 1), period_end=date(2027, 6, 30))
    rebuilt = ForecastRollup(rollup.period_start, rollup.period_end, rollup.renewals_due, rollup.arr_due,
                             list(rollup.by_category), list(rollup.scenarios), ["b"])
    assert type(rebuilt.by_category) is tuple and type(rebuilt.scenarios) is tuple and rebuilt.flagged == ("b",)
    assert hash(rollup) == hash(roll_up(lines, period_start=date(2027, 4, 1), period_end=date(2027, 6, 30)))
    assert from_json(ForecastRollup, to_json(rollup)) == rollup
    with pytest.raises(InvalidTypeError):
        ForecastRollup(D, D, 0, 0, [1], [], [])
    with pytest.raises(InvalidValueError):
        CategoryTotal(ForecastCategory.COMMIT, -1, Decimal(0), Decimal(0))
    with pytest.raises(InvalidValueError):
        ScenarioResult("x", Decimal("NaN"), Decimal(0), Decimal(0), Decimal(0), None)
    assert rollup.category(ForecastCategory.LIKELY).count == 0
    with pytest.raises(UnknownNameError):
        rollup.category({})  # type: ignore[arg-type]


def test_a_time_share_is_checked_when_built() -> None:
    """TimeShare's fields are checked (a bad status was a KeyError in explain())."""
    share = proactive_share(26, 14)
    assert TimeShare(26, 14, share.share, "ON_TARGET") == share
    with pytest.raises(UnknownNameError):
        TimeShare(26, 14, 0.65, "GREAT")


def test_the_sample_holds_frozen_values() -> None:
    """A sample account's milestones are a FrozenDict and the portfolio's accounts a tuple, also when given as a
    dict and a list."""
    portfolio = sample_portfolio(5)
    account = portfolio.accounts[0]
    assert type(account.completed_milestones) is FrozenDict
    milestones = {"T-180": date(2026, 1, 1)}
    copy = attrs.evolve(account, completed_milestones=milestones)
    milestones.clear()
    assert copy.completed_milestones == {"T-180": date(2026, 1, 1)}
    rebuilt = SamplePortfolio(portfolio.as_of, portfolio.seed, list(portfolio.accounts), portfolio.ledger)
    assert type(rebuilt.accounts) is tuple and isinstance(rebuilt.accounts[0], SampleAccount)


def mutable_inside(value: Any, path: str = "$", depth: int = 0) -> Iterator[str]:
    """Yield the path of every list, set, bytearray or plain dict inside ``value`` (its public attrs fields, mappings
    and tuples; private fields are the owning class's business)."""
    if depth > 6:
        return
    if isinstance(value, (list, set, bytearray)) or (isinstance(value, dict) and not isinstance(value, FrozenDict)):
        yield f"{path}: {type(value).__name__}"
        return
    if attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            if field.name.startswith("_"):
                continue
            yield from mutable_inside(getattr(value, field.name), f"{path}.{field.name}", depth + 1)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from mutable_inside(item, f"{path}[{key!r}]", depth + 1)
    elif isinstance(value, (tuple, frozenset)):
        for index, item in enumerate(value):
            yield from mutable_inside(item, f"{path}[{index}]", depth + 1)


def test_results_built_by_the_library_contain_no_mutable_containers() -> None:
    """Snapshots, contracts, terms, journey analytics, roll-ups and the sample hold no list, set or plain dict."""
    portfolio = sample_portfolio(20)
    contract = Contract.from_term("a", "SMB", D, term_months=12, acv=100)
    rollup = roll_up([RenewalLine("a", date(2027, 4, 15), 50000, "COMMIT")], period_start=date(2027, 4, 1),
                     period_end=date(2027, 6, 30))
    values = [portfolio.accounts, portfolio.snapshots(), contract, contract.terms(3),
              term_periods(D, months=1, count=3), analyze(journeys()), analyze_cohorts(journeys()), rollup,
              proactive_share(26, 14)]
    assert [] == [found for value in values for found in mutable_inside(value)]
