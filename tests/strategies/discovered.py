"""Strategies discovered from the public API: one for every public value type, built from its attrs fields.

:func:`public_types` walks ``postsale.__all__`` and the ``__all__`` of every context; :func:`values_of` builds
instances of any of them ``st.builds``-style from the fields' types, recursively for values that embed other
values. Fields that need domain-valid values get a strategy from :data:`FIELD_OVERRIDES` (by field name and
type), and classes whose invariants a field-by-field draw rarely meets get a hand-written strategy from
:func:`class_overrides`; a draw the class's own validation refuses (a :class:`postsale.PostsaleError`) is
rejected, not failed.

A public class that is neither an attrs value nor an enum (nor an error) must be listed in :data:`NOT_VALUES`
with the reason, so a new public type is covered, or explicitly excused, before the contract tests pass.
"""

from __future__ import annotations

import enum
import importlib
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import attrs
from hypothesis import assume
from hypothesis import strategies as st

from postsale import PostsaleError, Segment, signals

CONTEXTS = ("health", "touch", "renewal", "triggers", "journey", "cadence", "kpi", "review", "signals")
"""The context subpackages whose ``__all__`` is walked (after ``postsale`` itself)."""

NOT_VALUES: dict[str, str] = {
    "postsale.Engine": "a rule runner over compiled rules; the RuleSet it runs is the value that serializes",
    "postsale.triggers.CompiledRules": "the compiled, in-memory form of a RuleSet (rebuilt from it)",
    "postsale.touch.Scorer": "a scoring function object compiled from a TouchConfig (the value that serializes)",
    "postsale.touch.Factor": "a Protocol (an extension point), not a value",
    "postsale.touch.Override": "a Protocol (an extension point), not a value",
    "postsale.renewal.HolidayCalendar": "a Protocol (an extension point), not a value",
    "postsale.triggers.HealthScorer": "a Protocol (an extension point), not a value",
}
"""Public classes that are not data, by the public name they are first reached by, each with the reason."""


@cache
def _public() -> dict[type[Any], str]:
    found: dict[type[Any], str] = {}
    for name in ("postsale", *(f"postsale.{c}" for c in CONTEXTS)):
        module = importlib.import_module(name)
        for export in getattr(module, "__all__", ()):
            obj = getattr(module, export)
            if isinstance(obj, type):
                found.setdefault(obj, f"{name}.{export}")
    return found


def public_name(cls: type[Any]) -> str:
    """The public name ``cls`` is first reached by (``postsale.Engine``, ``postsale.triggers.Threshold``)."""
    return _public().get(cls) or f"{cls.__module__}.{cls.__qualname__}"


def public_classes() -> list[type[Any]]:
    """Every class exported by ``postsale`` and its contexts, ordered by public name."""
    return sorted(_public(), key=public_name)


def is_value_type(cls: type[Any]) -> bool:
    """An attrs value or an enum: what ``to_data`` writes and ``from_data`` reads back."""
    return attrs.has(cls) or issubclass(cls, enum.Enum)


def public_types() -> list[type[Any]]:
    """Every public value type (attrs classes and enums), ordered by public name."""
    return [c for c in public_classes() if is_value_type(c)]


def uncovered() -> list[str]:
    """Public classes that are neither values, nor errors, nor excused in :data:`NOT_VALUES`."""
    return [
        public_name(c)
        for c in public_classes()
        if not is_value_type(c) and not issubclass(c, BaseException) and public_name(c) not in NOT_VALUES
    ]


# -- base strategies ----------------------------------------------------------------------------------------------

ZONE_NAMES = ("UTC", "Asia/Tokyo", "America/New_York", "Europe/Paris", "Australia/Lord_Howe")
readable = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))
ids = st.sampled_from(["acme", "globex", "initech", "a-1"]) | st.text(readable, min_size=1, max_size=6).filter(
    lambda s: s.strip() == s and s != ""
)
words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=10)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))
zones: st.SearchStrategy[Any] = st.sampled_from(
    [UTC, timezone(timedelta(hours=9)), timezone(timedelta(hours=-5, minutes=-30)), *map(ZoneInfo, ZONE_NAMES[1:])]
)
aware = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2060, 12, 31), timezones=zones)
small_ints = st.integers(1, 6) | st.integers(0, 400)
ratios = st.floats(min_value=0, max_value=1, allow_nan=False)
floats = st.one_of(
    st.sampled_from([0.0, 0.25, 0.5, 1.0, 40.0, 70.0, 100.0]),
    ratios,
    st.floats(min_value=0, max_value=100, allow_nan=False),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
)
decimals = st.decimals(min_value=0, max_value=1, places=2) | st.decimals(
    min_value=0, max_value=Decimal("1e7"), places=2, allow_nan=False, allow_infinity=False
)
signal_names = st.sampled_from(sorted(signals.WELL_KNOWN))

BASE: dict[Any, st.SearchStrategy[Any]] = {
    str: words,
    int: small_ints,
    float: floats,
    bool: st.booleans(),
    Decimal: decimals,
    date: dates,
    datetime: aware,
    time: st.times(),
    type(None): st.none(),
    Any: st.none() | st.booleans() | small_ints | words,
}
"""Strategies by type, for fields without an override."""

FIELD_OVERRIDES: dict[tuple[str, Any], st.SearchStrategy[Any]] = {
    ("account_id", str): ids,
    ("parent_id", str): ids,
    ("time_zone", str): st.sampled_from(ZONE_NAMES),
    ("signal", str): signal_names,
    ("signals", Mapping[str, float]): st.dictionaries(signal_names, floats, max_size=4),
    ("share", float): ratios,
    ("gross_margin", float): ratios,
    ("coverage", float): ratios,
    ("gross_margin", Decimal): ratios.map(lambda r: Decimal(f"{r:.4f}")),
    ("annual_churn", Decimal): ratios.map(lambda r: Decimal(f"{r:.4f}")),
    ("month", str): dates.map(lambda d: f"{d:%Y-%m}"),
    ("health_distribution", Mapping[str, int]): st.dictionaries(
        st.sampled_from(["GREEN", "YELLOW", "RED", "UNSCORED"]), small_ints, max_size=4
    ),
}
"""Strategies by field name and type (an id, a zone, a signal name); ``None`` is added where the field allows it."""


# -- hand-written strategies for values with cross-field invariants ---------------------------------------------


@st.composite
def _numeric_factors(draw: st.DrawFn) -> Any:
    from postsale.touch import NumericFactor, PointsBand

    cuts = sorted(set(draw(st.lists(st.integers(1, 10_000), max_size=3))))
    edges = [0, *cuts]
    points = sorted(draw(st.lists(st.sampled_from([1, 3, 5]), min_size=len(edges), max_size=len(edges))))
    bands = [PointsBand(lo, hi, p) for lo, hi, p in zip(edges, [*cuts, None], points, strict=True)]
    return NumericFactor(draw(st.sampled_from(["seats", "sites", "apis"])), tuple(bands))


@st.composite
def _journey_definitions(draw: st.DrawFn) -> Any:
    from postsale.journey import DEFAULT_JOURNEY_DEFINITION

    runway = draw(st.dictionaries(st.sampled_from(list(Segment)), st.integers(1, 365), max_size=4))
    return attrs.evolve(
        DEFAULT_JOURNEY_DEFINITION,
        version=draw(words),
        renewal_runway_days={**DEFAULT_JOURNEY_DEFINITION.renewal_runway_days, **runway},
    )


@st.composite
def _touch_configs(draw: st.DrawFn) -> Any:
    from postsale.touch import MigrationPolicy, TouchConfig

    points = draw(st.fixed_dictionaries({s: st.sampled_from([1, 2, 3, 4, 5]) for s in Segment}))
    migration = MigrationPolicy(draw(st.integers(0, 5)), draw(st.integers(0, 24)))
    return TouchConfig(segment_points=points, migration=migration)


@st.composite
def _maturity_models(draw: st.DrawFn) -> Any:
    from postsale.kpi import MaturityModel

    default = MaturityModel()
    first = attrs.evolve(default.benchmarks[0], characteristics=draw(words), renewal_lead=draw(words))
    return MaturityModel((first, *default.benchmarks[1:]))


@st.composite
def _roll_ups(draw: st.DrawFn) -> Any:
    from postsale import AccountSnapshot
    from postsale.health import DEFAULT_HEALTH_MODEL, RollUpMethod, roll_up_health

    names = draw(st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=3, unique=True))
    kids = [
        AccountSnapshot(
            n, "SMB", date(2026, 1, 31), parent_id="group", signals={"sentiment": draw(st.integers(0, 100))}
        )
        for n in names
    ]
    method = draw(st.sampled_from(list(RollUpMethod)))
    arr = {n: draw(st.integers(1, 10**6)) for n in names}
    return roll_up_health("group", [DEFAULT_HEALTH_MODEL.score(k) for k in kids], method=method, arr=arr)


def class_overrides() -> dict[type[Any], Callable[[], st.SearchStrategy[Any]]]:
    """Hand-written strategies (mostly the contexts' own, in ``tests.strategies``), by class."""
    from postsale import AccountSnapshot, Contract, HealthBand, RetentionReport
    from postsale.health import HealthModel, HealthRollUp
    from postsale.journey import Journey, JourneyDefinition
    from postsale.kpi import MaturityModel, ScenarioComparison, compare_scenarios
    from postsale.renewal import Playbook, RenewalTimeline, renewal_timeline
    from postsale.touch import NumericFactor, TouchConfig
    from postsale.triggers import RuleSet
    from tests.strategies import health, journey, kpi, renewal, triggers, vocabulary

    comparisons = st.builds(compare_scenarios, kpi.cohorts, kpi.scenarios, kpi.scenarios, years=st.integers(1, 4))
    timelines = st.builds(
        renewal_timeline,
        renewal.contracts(),
        playbook=st.none() | renewal.playbooks(),
        health=st.none() | st.sampled_from(list(HealthBand)),
        fiscal_year=st.none() | renewal.fiscal_years,
    )
    return {
        AccountSnapshot: vocabulary.snapshots,
        Contract: renewal.contracts,
        RetentionReport: kpi.reports,
        HealthModel: health.health_models,
        HealthRollUp: _roll_ups,
        Journey: journey.journeys,
        JourneyDefinition: _journey_definitions,
        MaturityModel: _maturity_models,
        NumericFactor: _numeric_factors,
        Playbook: renewal.playbooks,
        RenewalTimeline: lambda: timelines,
        RuleSet: triggers.rule_sets,
        ScenarioComparison: lambda: comparisons,
        TouchConfig: _touch_configs,
    }


# -- the resolver -------------------------------------------------------------------------------------------------

_MAX_ITEMS = 3


def for_type(tp: Any) -> st.SearchStrategy[Any]:
    """A strategy for values of type ``tp`` as a field declares it."""
    if tp in BASE:
        return BASE[tp]
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(for_type(a) for a in args))
    if origin is typing.Literal:
        return st.sampled_from(args)
    if isinstance(tp, type) and (attrs.has(tp) or issubclass(tp, enum.Enum)):
        return st.deferred(lambda: values_of(tp))
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return st.lists(for_type(args[0]), max_size=_MAX_ITEMS).map(tuple)
        return st.tuples(*(for_type(a) for a in args))
    if origin in (list, Sequence):
        return st.lists(for_type(args[0]), max_size=_MAX_ITEMS)
    if origin in (frozenset, set):
        return st.frozensets(for_type(args[0]), max_size=_MAX_ITEMS)
    if origin in (dict, Mapping) or (isinstance(origin, type) and issubclass(origin, Mapping)):
        return st.dictionaries(for_type(args[0]), for_type(args[1]), max_size=_MAX_ITEMS)
    raise TypeError(f"no strategy for type {tp!r}: add it to BASE, or override the field or the class")


def _field(name: str, hint: Any) -> st.SearchStrategy[Any]:
    override = FIELD_OVERRIDES.get((name, hint))
    if override is not None:
        return override
    args = typing.get_args(hint)
    if type(None) in args and len(args) == 2:  # Optional[X]: the override of X, or None
        (inner,) = (a for a in args if a is not type(None))
        override = FIELD_OVERRIDES.get((name, inner))
        if override is not None:
            return st.none() | override
    return for_type(hint)


@cache
def values_of(cls: type[Any]) -> st.SearchStrategy[Any]:
    """Valid instances of public value type ``cls`` (an attrs class or an enum)."""
    if issubclass(cls, enum.Enum):
        return st.sampled_from(list(cls))
    override = class_overrides().get(cls)
    if override is not None:
        return override()
    hints = typing.get_type_hints(cls)
    fields = {f.alias or f.name: _field(f.name, hints[f.name]) for f in attrs.fields(cls) if f.init}

    @st.composite
    def build(draw: st.DrawFn) -> Any:
        kwargs = {name: draw(strategy) for name, strategy in fields.items()}
        try:
            return cls(**kwargs)
        except PostsaleError:
            assume(False)  # the class refused this combination: draw another

    return build()
