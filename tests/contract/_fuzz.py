"""The error contract, fuzzed: the entry points of the public API, a valid call of each, and hostile arguments.

:func:`entry_points` walks ``postsale.__all__``, the ``__all__`` of every context and of the adapters that take
values (sample, plot, display, frame): every public function, every public constructor and every public method
of a public class (instance, class and static methods). Nothing is listed by hand, so a new one cannot be
forgotten.

"One argument bad, the others valid" needs a valid call of each entry point: a **baseline**. Baselines come
from the docstring examples first (each module's doctests are run once under a profiler hook that records the
arguments every entry point was called with, and the values they returned); where no example calls an entry
point, its arguments come from a small registry keyed by annotation (:data:`BY_TYPE`) and by parameter name
(:data:`BY_NAME`), and from the values the examples built (an ``AccountSnapshot``, a ``HealthModel`` ...).
A baseline is kept only if calling it succeeds. An entry point that has none must be excused in
:data:`EXCUSED` with the reason.

:func:`fuzz` then calls an entry point with hypothesis-generated arguments (:func:`hostile`): every argument,
required, optional and keyword, one at a time (the others from the baseline) and several together. Every call
must succeed or raise a :class:`postsale.PostsaleError`, and finish within :data:`SLOW_SECONDS`; anything else
is recorded as a :class:`Leak` (never raised), so one run reports every leak found, not the first.
"""

from __future__ import annotations

import doctest
import enum
import importlib
import inspect
import itertools
import math
import pkgutil
import signal
import sys
import time as clock
import traceback
import types
import typing
import warnings
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

import postsale
from postsale import PostsaleError
from postsale._frozen import FrozenDict
from postsale.adapters.sample import _MAX_ACCOUNTS as MAX_ACCOUNTS

CONTEXTS = ("health", "touch", "renewal", "triggers", "journey", "cadence", "kpi", "review", "signals")
ADAPTERS = ("sample", "plot", "display", "frame")
NAMESPACES = ("postsale", *(f"postsale.{c}" for c in CONTEXTS), *(f"postsale.adapters.{a}" for a in ADAPTERS))
"""Where public entry points are discovered, in this order (a name reached twice keeps its first public name).
``postsale.adapters.cli`` is left out: it reads and writes the files its arguments name (its hostile files and
rows are tested in ``tests/test_cli.py`` and ``tests/contract/test_portfolio_contract.py``)."""

SLOW_SECONDS = 1.0
"""A single call taking longer than this is a leak ("bounded work for any input")."""
HARD_STOP_SECONDS = 5.0
"""A call still running after this is interrupted (a Python loop; a C loop is only seen when it returns)."""
ENTRY_BUDGET_SECONDS = 20.0
"""Fuzzing one entry point stops (and says so in the report) once its calls have taken this long in all."""

EXCUSED: dict[str, str] = {
    "postsale.adapters.display.load_ipython_extension": "registers formatters on a live IPython shell (no shell "
    "in a test); tested with a fake shell in tests/notebook/test_html.py",
    "postsale.adapters.display.unload_ipython_extension": "removes what load_ipython_extension registered on a "
    "live IPython shell",
    **dict.fromkeys(
        tuple(f"postsale.adapters.frame.{name}" for name in ("step_bucket", "step_dask", "step_spark")),
        "writes a day of state into the folders of its store (and starts cluster tasks); its bad arguments are "
        "tested in tests/columnar/test_cluster_step.py",
    ),
    **dict.fromkeys(
        tuple(f"postsale.adapters.frame.{name}" for name in (
            "backtest_dask", "backtest_spark", "journey_analytics_dask", "journey_analytics_spark")),
        "takes a Dask or Spark frame (a cluster in a test); its bad arguments are tested in "
        "tests/columnar/test_cluster_step.py",
    ),
}
"""Entry points that are not fuzzed, by public name, each with the reason."""

WORK_SIZES: dict[tuple[str, str], int] = {
    ("postsale.adapters.sample.sample_portfolio", "n"): 1_000,
    ("postsale.adapters.sample.sample_journeys", "n"): 1_000,
    ("postsale.adapters.frame.sample_frame", "n"): 100_000,
}
"""Arguments that say how much work to do (how many accounts a sample draws), with the largest size fuzzed.

A call's time limit is :data:`SLOW_SECONDS`, but the contract's rule is "at most a second *per account*": a sample
of 120 000 accounts may rightly take longer than a second. So a valid size above the bound (up to the documented
limit, docs/limits.md) is folded into ``1..bound``; sizes past the limit, 0, negatives, floats and bools are drawn
as they are (each is refused at once, which is what the fuzz checks)."""

ENUM_REASON = ("calling an Enum class looks a member up by value (Python's own protocol, ValueError); postsale "
               "parses names with the enum's classmethods and the converter, which are fuzzed")
PROTOCOL_REASON = "a typing.Protocol (an extension point) cannot be instantiated; implementations are the caller's"


# -- discovery ------------------------------------------------------------------------------------------------------


@attrs.frozen
class EntryPoint:
    """A public callable: a function, a constructor, or a method (instance, class or static) of a public class."""

    name: str
    kind: str  # "function", "constructor", "method", "classmethod", "staticmethod"
    func: Callable[..., Any] = attrs.field(eq=False)
    owner: type | None = attrs.field(default=None, eq=False)
    attr: str = ""

    @property
    def context(self) -> str:
        """The context defining it: ``health`` ..., ``adapters``, or ``kernel`` for ``postsale._*``."""
        module = (self.owner or self.func).__module__.split(".")
        if len(module) > 1 and module[1] in (*CONTEXTS, "adapters"):
            return module[1]
        return "kernel"

    @property
    def parameters(self) -> list[inspect.Parameter]:
        """The parameters a caller passes (without ``self`` / ``cls``)."""
        if self.kind == "constructor":
            assert self.owner is not None
            return list(inspect.signature(self.owner).parameters.values())
        parameters = list(inspect.signature(self.func).parameters.values())
        return parameters[1:] if self.kind in ("method", "classmethod") else parameters

    def target(self, instance: Any) -> Callable[..., Any]:
        """What to call: the function, the class, or the attribute of ``instance`` (or of the class)."""
        if self.kind == "function":
            return self.func
        if self.kind == "constructor":
            assert self.owner is not None
            return self.owner
        return getattr(instance if self.kind == "method" else self.owner, self.attr)


def _namespaces() -> dict[str, types.ModuleType]:
    return {name: importlib.import_module(name) for name in NAMESPACES}


def _own(obj: Any) -> bool:
    return getattr(obj, "__module__", "").startswith("postsale")


def _methods(cls: type) -> Iterator[tuple[str, str, Callable[..., Any]]]:
    """(name, kind, function) for every public method ``cls`` has from postsale classes (inherited ones too)."""
    seen: set[str] = set()
    for klass in cls.__mro__:
        if not _own(klass) or issubclass(klass, BaseException):
            continue
        for name, raw in vars(klass).items():
            if name.startswith("_") or name in seen:
                continue
            seen.add(name)
            if isinstance(raw, staticmethod):
                yield name, "staticmethod", raw.__func__
            elif isinstance(raw, classmethod):
                yield name, "classmethod", raw.__func__
            elif inspect.isfunction(raw):
                yield name, "method", raw


@cache
def public_objects() -> tuple[tuple[str, Any], ...]:
    """(first public name, object) for every public class and function, each object once."""
    found: dict[int, tuple[str, Any]] = {}
    for space, module in _namespaces().items():
        for export in getattr(module, "__all__", ()):
            obj = getattr(module, export)
            if (inspect.isclass(obj) or inspect.isfunction(obj)) and _own(obj):
                found.setdefault(id(obj), (f"{space}.{export}", obj))
    return tuple(found.values())


@cache
def entry_points() -> tuple[EntryPoint, ...]:
    """Every public function, constructor and method, discovered from the public API, ordered by name."""
    found: list[EntryPoint] = []
    for name, obj in public_objects():
        if inspect.isfunction(obj):
            found.append(EntryPoint(name, "function", obj))
            continue
        if _is_protocol(obj):
            continue
        if not issubclass(obj, enum.Enum):
            found.append(EntryPoint(name, "constructor", obj.__init__, obj))
        for attr, kind, func in _methods(obj):
            found.append(EntryPoint(f"{name}.{attr}", kind, func, obj, attr))
    return tuple(sorted(found, key=lambda e: e.name))


def _is_protocol(cls: type) -> bool:
    return bool(getattr(cls, "_is_protocol", False))


def not_entry_points() -> dict[str, str]:
    """Public classes whose constructor is not fuzzed (enums, protocols), with the reason."""
    return {
        name: ENUM_REASON if issubclass(obj, enum.Enum) else PROTOCOL_REASON
        for name, obj in public_objects()
        if inspect.isclass(obj) and (issubclass(obj, enum.Enum) or _is_protocol(obj))
    }


# -- observed calls: the docstring examples, run under a profiler hook --------------------------------------------


@attrs.frozen
class Call:
    """The arguments of one call, by parameter name (``self`` / ``cls`` under their own names)."""

    arguments: Mapping[str, Any]
    from_example: bool


@attrs.define
class Observed:
    """What the examples showed: calls by entry point, and instances by type (a pool of valid values)."""

    calls: dict[str, list[Call]] = attrs.Factory(dict)
    pool: dict[type, list[Any]] = attrs.Factory(dict)

    def add(self, value: Any, depth: int = 0) -> None:
        """Remember ``value`` (and, a level down, the items it holds) as a valid instance of its type."""
        kind = type(value)
        if _own(kind) and not isinstance(value, BaseException):
            same = self.pool.setdefault(kind, [])
            if len(same) < 4 and not any(v is value for v in same):
                same.append(value)
        if depth < 2 and isinstance(value, (tuple, list, frozenset)):
            for item in itertools.islice(value, 3):
                self.add(item, depth + 1)
        elif depth < 2 and isinstance(value, Mapping):
            for item in itertools.islice(value.values(), 3):
                self.add(item, depth + 1)


def _doctest_modules() -> list[types.ModuleType]:
    names = sorted(info.name for info in pkgutil.walk_packages(postsale.__path__, "postsale."))
    skipped = ("postsale.adapters.cli",)
    return [postsale, *(importlib.import_module(n) for n in names if n not in skipped)]


def _codes() -> dict[Any, list[EntryPoint]]:
    by_code: dict[Any, list[EntryPoint]] = {}
    for entry in entry_points():
        code = getattr(inspect.unwrap(entry.func), "__code__", None)
        if code is not None:
            by_code.setdefault(code, []).append(entry)
    return by_code


@cache
def observed() -> Observed:
    """Run every docstring example of postsale once, recording the calls of entry points and the values made."""
    seen = Observed()
    by_code = _codes()

    def hook(frame: types.FrameType, event: str, arg: Any) -> None:
        entries = by_code.get(frame.f_code)
        if entries is None:
            return
        if event == "return":
            if arg is not None:
                seen.add(arg)
            if entries[0].kind == "constructor":
                seen.add(frame.f_locals.get("self"))
            return
        if event != "call":
            return
        arguments = dict(frame.f_locals)
        entry = _match(entries, arguments)
        if entry is None:
            return
        calls = seen.calls.setdefault(entry.name, [])
        from_example = frame.f_back is not None and frame.f_back.f_code.co_filename.startswith("<doctest")
        if len(calls) < 12 or (from_example and sum(c.from_example for c in calls) < 6):
            calls.append(Call(arguments, from_example))
        for value in arguments.values():
            seen.add(value)

    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for module in _doctest_modules():
            for test in finder.find(module):
                sys.setprofile(hook)
                try:
                    runner.run(test, out=lambda _text: None, clear_globs=True)
                finally:
                    sys.setprofile(None)
                    _close_figures()
    for _space, module in _namespaces().items():
        for export in getattr(module, "__all__", ()):
            seen.add(getattr(module, export))
    return seen


def _match(entries: list[EntryPoint], arguments: dict[str, Any]) -> EntryPoint | None:
    """The entry point a call of a shared code object belongs to: by the class of ``self`` / ``cls``."""
    if len(entries) == 1 and entries[0].kind in ("function", "staticmethod"):
        return entries[0]
    first = next(iter(arguments.values()), None)
    owner = first if isinstance(first, type) else type(first)
    return next((e for e in entries if e.owner is owner), None)


def _close_figures() -> None:
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


# -- baselines --------------------------------------------------------------------------------------------------------

AWARE = datetime(2026, 1, 31, 9, 30, tzinfo=UTC)
BY_TYPE: dict[Any, list[Any]] = {
    date: [date(2026, 1, 31)],
    datetime: [AWARE],
    time: [time(9, 30)],
    timedelta: [timedelta(days=7)],
    str: ["acme"],
    int: [3, 0],
    float: [0.5, 40.0],
    Decimal: [Decimal("50000")],
    bool: [True, False],
    type(None): [None],
}
"""Valid arguments by annotation, for entry points no docstring example calls."""

BY_NAME: dict[str, list[Any]] = {
    "time_zone": ["Europe/Paris"],
    "signal": ["nps"],
    "month": ["2026-01"],
    "acv": [Decimal("50000")],
    "cac": [Decimal("20000")],
}
"""Valid arguments by parameter name, where the annotation alone is too loose (a ``str`` that is a zone name)."""


@attrs.frozen
class Baseline:
    """A call of an entry point known to succeed: ``instance`` (for a method) and arguments by parameter name."""

    instance: Any
    arguments: Mapping[str, Any]


def call(entry: EntryPoint, instance: Any, arguments: Mapping[str, Any]) -> Any:
    """Call ``entry`` with ``arguments`` by parameter name (positional-only and ``*args`` positionally)."""
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for parameter in entry.parameters:
        if parameter.name not in arguments:
            if parameter.kind is parameter.POSITIONAL_ONLY and parameter.default is not parameter.empty:
                args.append(parameter.default)
            continue
        value = arguments[parameter.name]
        if parameter.kind is parameter.POSITIONAL_ONLY:
            args.append(value)
        elif parameter.kind is parameter.VAR_POSITIONAL:
            args.extend(value)
        elif parameter.kind is parameter.VAR_KEYWORD:
            kwargs.update(value)
        else:
            kwargs[parameter.name] = value
    result = entry.target(instance)(*args, **kwargs)
    if isinstance(result, Iterator):
        result = list(itertools.islice(result, 10_000))
    return result


def _succeeds(entry: EntryPoint, baseline: Baseline) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            call(entry, baseline.instance, baseline.arguments)
    except Exception:
        return False
    finally:
        _close_figures()
    return True


def _from_call(entry: EntryPoint, observed_call: Call) -> Baseline:
    values = dict(observed_call.arguments)
    instance = None
    if entry.kind in ("method", "classmethod", "constructor"):
        first = next(iter(inspect.signature(entry.func).parameters))
        instance = values.pop(first, None) if entry.kind == "method" else values.pop(first, None) and None
    names = {p.name for p in entry.parameters}
    return Baseline(instance, {k: v for k, v in values.items() if k in names})


def _hints(entry: EntryPoint) -> dict[str, Any]:
    func = entry.owner.__init__ if entry.kind == "constructor" and entry.owner else entry.func
    space: dict[str, Any] = {}
    for module in _namespaces().values():
        space.update({n: getattr(module, n) for n in getattr(module, "__all__", ())})
    space.update(getattr(inspect.unwrap(func), "__globals__", {}))
    hints: dict[str, Any] = {}
    for parameter in entry.parameters:
        annotation = parameter.annotation
        if isinstance(annotation, str):
            holder = _annotated(annotation)
            try:
                annotation = inspect.get_annotations(holder, globals=space, eval_str=True)["x"]
            except Exception:
                annotation = Any
        hints[parameter.name] = annotation
    return hints


def _annotated(annotation: str) -> Callable[[], None]:
    """A function annotated with ``annotation`` alone (``inspect.get_annotations`` evaluates one string at a time)."""

    def holder() -> None:
        pass

    holder.__annotations__ = {"x": annotation}
    return holder


def candidates(name: str, annotation: Any, pool: Mapping[type, list[Any]]) -> list[Any]:
    """Valid-looking values for a parameter: by name, then by annotation, then from the pool of example values."""
    if name in BY_NAME:
        return BY_NAME[name]
    if annotation in BY_TYPE:
        return BY_TYPE[annotation]
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return [v for a in sorted(args, key=lambda a: a is type(None)) for v in candidates(name, a, pool)]
    if origin is typing.Literal:
        return list(args)
    if inspect.isclass(annotation) and issubclass(annotation, enum.Enum):
        return list(annotation)[:2]
    if inspect.isclass(annotation) and not origin:
        return [v for kind, values in pool.items() if issubclass(kind, annotation) for v in values][:4]
    if origin in (tuple, list) or (inspect.isclass(origin) and issubclass(origin, typing.Iterable)):
        if origin and issubclass(origin, Mapping):
            return [{}]
        items = candidates(name, args[0], pool)[:1] if args else []
        return [tuple(items), ()] if origin is not list else [items, []]
    return []


def _by_type_name(name: str, pool: Mapping[type, list[Any]]) -> list[Any]:
    """Example values whose class name ends with the parameter's name (``plan`` -> ``PortfolioPlan``)."""
    key = name.replace("_", "").lower().removesuffix("s")
    return [v for kind, values in pool.items() if kind.__name__.lower().endswith(key) for v in values][:8]


def _strings_in(value: Any, depth: int = 0) -> list[str]:
    """The strings a value holds, a few levels down (the names a method of it looks up: items, components)."""
    if isinstance(value, str):
        return [value]
    found: list[str] = []
    if depth < 3 and attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            found.extend(_strings_in(getattr(value, field.name), depth + 1))
    elif depth < 3 and isinstance(value, (tuple, list)):
        for item in value[:6]:
            found.extend(_strings_in(item, depth + 1))
    return found[:8]


def _from_fields(entry: EntryPoint, pool: Mapping[type, list[Any]]) -> Iterator[Baseline]:
    """A constructor called with the fields of an instance the examples built."""
    if entry.kind == "constructor" and entry.owner is not None and attrs.has(entry.owner):
        for instance in pool.get(entry.owner, [])[:3]:
            fields = attrs.fields(entry.owner)
            yield Baseline(None, {f.alias or f.name: getattr(instance, f.name) for f in fields if f.init})


def _built(entry: EntryPoint, pool: Mapping[type, list[Any]]) -> Iterator[Baseline]:
    yield from _from_fields(entry, pool)
    hints = _hints(entry)
    required = [p for p in entry.parameters if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    instances = pool.get(entry.owner, []) if entry.kind == "method" and entry.owner else [None]
    for instance in instances[:3]:
        options = []
        for p in required:
            found = candidates(p.name, hints[p.name], pool)
            if hints[p.name] is str and instance is not None:
                found = [*found, *_strings_in(instance)]
            if hints[p.name] in (Any, object) or not found:
                found = [*found, *_by_type_name(p.name, pool)]
            options.append(found or [None])
        for values in itertools.islice(itertools.product(*options), 12):
            yield Baseline(instance, dict(zip((p.name for p in required), values, strict=True)))


@cache
def baselines() -> dict[str, Baseline | None]:
    """A succeeding call per entry point (``None`` where none was found): from the examples, else built."""
    seen = observed()
    found: dict[str, Baseline | None] = {}
    for entry in entry_points():
        calls = sorted(seen.calls.get(entry.name, []), key=lambda c: not c.from_example)
        tries = itertools.chain((_from_call(entry, c) for c in calls), _built(entry, seen.pool))
        found[entry.name] = next((b for b in itertools.islice(tries, 24) if _succeeds(entry, b)), None)
    return found


def unexplained() -> list[str]:
    """Entry points with no baseline and no excuse (a new public callable nobody can call yet)."""
    return [name for name, baseline in baselines().items() if baseline is None and name not in EXCUSED]


# -- hostile arguments ----------------------------------------------------------------------------------------------


class _Opaque:
    """An object of a type no entry point expects."""

    def __repr__(self) -> str:
        return "<opaque object>"


NUMBERS: tuple[Any, ...] = (
    math.nan, math.inf, -math.inf, -0.0, 1e308, -1e308, 5e-324, 10**400, -(10**400), 2**63, -(2**63), -1, 0,
    Decimal("sNaN"), Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity"), Decimal("1e999999"),
    Decimal("-1e999999"), Decimal("1e-999999"), Decimal("-0"), Decimal("1e400"), True, False, 1j, Fraction(1, 3),
)
STRINGS: tuple[str, ...] = (
    "", " ", "x" * 10_000, "\x00", "\x1b[31mred\x1b[0m", "\u202eevil", "日本語", "\ud800", "NaN", "inf", "1e999999",
    "-1", "9999-12-31", "0001-01-01", "America", "Z" * 300, '=cmd|"/c calc"!A1', "a\r\nb", "\t",
)
DATES: tuple[Any, ...] = (
    date.min, date.max, date(9999, 12, 1), date(1, 1, 31), date(2024, 2, 29), datetime(2026, 1, 31),
    datetime(2026, 1, 31, tzinfo=UTC), datetime.max.replace(tzinfo=UTC), datetime.min.replace(tzinfo=UTC),
    datetime(2026, 3, 29, 2, 30, tzinfo=ZoneInfo("Europe/Paris")), time(9), timedelta(days=-1), timedelta.max,
)
OTHERS: tuple[Any, ...] = (
    None, _Opaque(), b"bytes", bytearray(b"x"), [], (), {}, set(), frozenset(), types.MappingProxyType({}),
    FrozenDict(), [None], [1, "a"], {"a": None}, {None: 1}, {1: 1}, print, type, Ellipsis, NotImplemented,
    ZoneInfo("UTC"), timezone(timedelta(hours=23, minutes=59)), Path("."),
)
CONSTANTS: tuple[Any, ...] = (*NUMBERS, *STRINGS, *DATES, *OTHERS)
"""The fixed hostile values: every kind of bad input the contract names."""

_scalars = st.one_of(
    st.sampled_from(CONSTANTS),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.text(max_size=12),
    st.dates(),
    st.datetimes(timezones=st.none() | st.just(UTC) | st.timezones()),
)


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


_keys = st.text(max_size=8) | st.sampled_from([c for c in CONSTANTS if _hashable(c)])


def garbage() -> st.SearchStrategy[Any]:
    """Any hostile value, including collections and mappings (of any kind) holding hostile values."""
    return st.one_of(
        _scalars,
        _scalars,
        st.lists(_scalars, max_size=3),
        st.lists(_scalars, max_size=3).map(tuple),
        st.dictionaries(_keys, _scalars, max_size=3),
        st.dictionaries(st.text(max_size=8), _scalars, max_size=3).map(types.MappingProxyType),
    )


def _mappings(value: Mapping[Any, Any], draw: st.DrawFn) -> Any:
    """A mapping like ``value`` gone bad: another kind, a hostile item, a hostile key."""
    items = dict(value) or {"nps": 1.0}
    key = draw(st.sampled_from(sorted(items, key=repr)))
    how = draw(st.integers(0, 6))
    if how == 0:
        return types.MappingProxyType(items)
    if how == 1:
        return defaultdict(lambda: math.nan, items)
    if how == 2:
        return OrderedDict(items)
    if how == 3:
        return list(items.items())
    if how == 4:
        return {**items, draw(_keys): items[key]}
    bad = {**items, key: draw(garbage())}
    return types.MappingProxyType(bad) if how == 5 else bad


def _sequences(value: Any, draw: st.DrawFn) -> Any:
    """A collection like ``value`` gone bad: out of order, repeated, one hostile item, a one-shot iterator."""
    items = list(value)
    how = draw(st.integers(0, 6))
    if how == 0:
        return type(value)(reversed(items)) if type(value) in (tuple, list) else list(reversed(items))
    if how == 1:
        return [*items, *items]
    if how == 2:
        return iter(items)
    if how == 3:
        return [items] if items else [[]]
    if how == 4 and items:
        index = draw(st.integers(0, len(items) - 1))
        return [*items[:index], draw(_derived(items[index])), *items[index + 1 :]]
    return [*items, draw(garbage())]


def _evolved(value: Any, draw: st.DrawFn) -> Any:
    """``value`` rebuilt with one field gone bad (kept only if the class accepts it)."""
    fields = [f for f in attrs.fields(type(value)) if f.init]
    if not fields:
        return value
    field = draw(st.sampled_from(fields))
    bad = draw(_derived(getattr(value, field.name), depth=1))
    try:
        return attrs.evolve(value, **{field.alias or field.name: bad})
    except Exception:
        return value


@st.composite
def _derived_value(draw: st.DrawFn, value: Any, depth: int) -> Any:
    """A hostile value built from a valid one (same shape, bad content)."""
    if isinstance(value, bool):
        return draw(st.sampled_from([1, 0, "true", None, 1.0]))
    if isinstance(value, enum.Enum):
        return draw(st.sampled_from([value.name, value.name.lower(), value.value, f" {value.name}\x00", 1, None]))
    if isinstance(value, int):
        return draw(st.sampled_from([True, float(value), value + 0.5, -value - 1, 10**400, 2**63, 120_000, -120_000,
                                     str(value), Decimal(value)]))
    if isinstance(value, (float, Decimal)):
        return draw(st.sampled_from([*NUMBERS[:8], Decimal("sNaN"), Decimal("1e999999"), str(value), -abs(value) - 1,
                                     value * 1000 if math.isfinite(value) else value]))
    if isinstance(value, str):
        return draw(st.sampled_from(["", value.upper(), f" {value} ", value + "\x00", (value or "x") * 3000,
                                     "\x1b[2J" + value, value.encode(), value[::-1]]))
    if isinstance(value, datetime):
        return draw(st.sampled_from([value.replace(tzinfo=None), value.date(), value.isoformat(),
                                     datetime.max.replace(tzinfo=value.tzinfo), datetime.min.replace(tzinfo=UTC),
                                     value.astimezone(ZoneInfo("Pacific/Kiritimati")) if value.tzinfo else value]))
    if isinstance(value, date):
        return draw(st.sampled_from([date.min, date.max, _year(value, 9999), _year(value, 1),
                                     datetime.combine(value, time()), datetime.combine(value, time(), tzinfo=UTC),
                                     value.isoformat(), value.toordinal()]))
    if isinstance(value, Mapping):
        return _mappings(value, draw)
    if isinstance(value, (tuple, list, frozenset, set)):
        return _sequences(value, draw)
    if depth == 0 and attrs.has(type(value)):
        return _evolved(value, draw)
    return draw(garbage())


def _year(value: date, year: int) -> date:
    return value.replace(year=year, day=min(value.day, 28))


def _derived(value: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    return _derived_value(value, depth)


def hostile(value: Any, *, present: bool = True) -> st.SearchStrategy[Any]:
    """A hostile argument where ``value`` is valid: built from it (same shape, bad content), or any garbage."""
    if not present:
        return garbage()
    return st.one_of(_derived(value), _derived(value), garbage())


# -- the fuzzer -----------------------------------------------------------------------------------------------------


@attrs.frozen
class Leak:
    """A call that broke the contract: a builtin exception escaped, or the call took too long.

    ``then`` names what was done with an accepted result (``.explain()``) when that is what broke.
    """

    entry: str
    arguments: tuple[str, ...]
    shown: str
    error: str
    where: str
    then: str = ""

    def line(self) -> str:
        """One line of the report: the call, what escaped, and where it was raised."""
        return f"{self.entry}({self.shown}){self.then} -> {self.error}  [{self.where}]"


@attrs.frozen
class Result:
    """What fuzzing one entry point found: how many calls were made, and every distinct leak."""

    entry: str
    calls: int
    leaks: tuple[Leak, ...]


class _Stop(BaseException):
    """Raised by the alarm in a call still running after :data:`HARD_STOP_SECONDS`."""


def short(value: Any, limit: int = 70) -> str:
    """``repr(value)``, cut to ``limit`` characters (with its length when cut)."""
    try:
        text = repr(value)
    except Exception as exc:
        text = f"<unrepresentable {type(value).__name__}: {type(exc).__name__}>"
    if len(text) <= limit:
        return text
    return f"{text[: limit - 20]}...<{len(text)} chars>"


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    own = [f for f in frames if "/postsale/" in f.filename.replace("\\", "/") and "/tests/" not in f.filename]
    frame = (own or frames or [None])[-1]
    if frame is None:
        return "?"
    path = frame.filename.replace("\\", "/")
    path = path[path.rindex("/postsale/") + 1 :] if "/postsale/" in path else path.rsplit("/", 1)[-1]
    return f"{path}:{frame.lineno} in {frame.name}"


def _alarm(_signum: int, _frame: Any) -> None:
    raise _Stop


def attempt(action: Callable[[], Any]) -> tuple[Any, str | None, str]:
    """Run ``action``: (result, None, "") if it succeeds or raises a PostsaleError, else (None, error, where)."""
    main = sys.platform != "win32" and inspect.currentframe() is not None and _is_main_thread()
    if main:
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, HARD_STOP_SECONDS)
    start = clock.perf_counter()
    result: Any = None
    error: str | None = None
    where = ""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            result = action()
    except PostsaleError:
        pass
    except _Stop as exc:
        error, where = f"still running after {HARD_STOP_SECONDS:.0f} s (interrupted)", _where(exc)
    except Exception as exc:
        error, where = f"{type(exc).__name__}: {short(str(exc), 110)[1:-1]}", _where(exc)
    finally:
        if main:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        _close_figures()
    elapsed = clock.perf_counter() - start
    if error is None and elapsed > SLOW_SECONDS:
        error, where = f"took {elapsed:.1f} s (more than {SLOW_SECONDS:.0f} s)", "bounded work"
    return result, error, where


def _is_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _follow_ups(value: Any) -> list[tuple[str, Callable[[], Any]]]:
    """What a caller does next with a value the library accepted: its repr and its argument-free methods."""
    if not (_own(type(value)) and attrs.has(type(value))):
        return []
    found: list[tuple[str, Callable[[], Any]]] = [("repr", lambda: repr(value))]
    for name, kind, func in _methods(type(value)):
        parameters = list(inspect.signature(func).parameters.values())[1 if kind != "staticmethod" else 0 :]
        if kind == "method" and all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
                                    for p in parameters):
            found.append((f"{name}()", getattr(value, name)))
    return found


@st.composite
def arguments(draw: st.DrawFn, entry: EntryPoint, baseline: Baseline) -> tuple[tuple[str, ...], dict[str, Any]]:
    """The baseline's arguments with one argument (or several together) replaced by hostile values."""
    parameters = entry.parameters
    values = dict(baseline.arguments)
    together = len(parameters) > 1 and draw(st.integers(0, 3)) == 0
    chosen = (draw(st.lists(st.sampled_from(parameters), min_size=2, unique_by=lambda p: p.name)) if together
              else [draw(st.sampled_from(parameters))])
    for parameter in chosen:
        if parameter.kind is parameter.VAR_POSITIONAL:
            values[parameter.name] = tuple(draw(st.lists(garbage(), min_size=1, max_size=3)))
        elif parameter.kind is parameter.VAR_KEYWORD:
            names = st.sampled_from(["as_of", "now", "x", "signals", "self"]) | st.text(max_size=5)
            values[parameter.name] = draw(st.dictionaries(names, garbage(), min_size=1, max_size=2))
        else:
            valid = values.get(parameter.name, parameter.default)
            known = parameter.name in values or valid not in (parameter.empty, None)
            values[parameter.name] = sized(entry.name, parameter.name, draw(hostile(valid, present=known)))
    return tuple(sorted(p.name for p in chosen)), values


def sized(entry: str, name: str, value: Any) -> Any:
    """``value``, or a valid size above the fuzzed bound of :data:`WORK_SIZES` folded into ``1..bound``."""
    bound = WORK_SIZES.get((entry, name))
    if bound is None or type(value) is not int or not bound < value <= MAX_ACCOUNTS:
        return value
    return 1 + value % bound


def fuzzable(entry: EntryPoint) -> bool:
    """Whether ``entry`` takes any argument to fuzz (a method of ``self`` alone is reached by follow-ups)."""
    return bool(entry.parameters)


def fuzz(entry: EntryPoint, baseline: Baseline, examples: int, *, seed_value: int | None = None) -> Result:
    """Call ``entry`` ``examples`` times with hostile arguments; every distinct leak is recorded, none raised."""
    leaks: dict[tuple[str, str, str], Leak] = {}
    calls = 0
    spent = 0.0

    def record(names: tuple[str, ...], shown: str, error: str, where: str, then: str = "") -> None:
        # One leak per place that raised (and kind of error): the simplest call that reached it is kept.
        key = (then, error.split(":", 1)[0], where)
        leak = Leak(entry.name, names, shown, error, where, then)
        kept = leaks.get(key)
        if kept is None or (len(names), len(shown)) < (len(kept.arguments), len(kept.shown)):
            leaks[key] = leak

    @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
              derandomize=seed_value is None, suppress_health_check=list(HealthCheck))
    @given(arguments(entry, baseline))
    def run(drawn: tuple[tuple[str, ...], dict[str, Any]]) -> None:
        nonlocal calls, spent
        if spent > ENTRY_BUDGET_SECONDS:
            return
        names, values = drawn
        shown = ", ".join(f"{n}={short(values[n])}" for n in names)
        calls += 1
        start = clock.perf_counter()
        try:
            _run(names, values, shown)
        finally:
            spent += clock.perf_counter() - start
        if spent > ENTRY_BUDGET_SECONDS:
            record((), f"after {calls} calls", f"stopped: its calls took more than {ENTRY_BUDGET_SECONDS:.0f} s "
                   "in all", "bounded work")

    def _run(names: tuple[str, ...], values: dict[str, Any], shown: str) -> None:
        result, error, where = attempt(lambda: call(entry, baseline.instance, values))
        if error is not None:
            record(names, shown, error, where)
            return
        for label, follow in _follow_ups(result):
            _, error, where = attempt(follow)
            if error is not None:
                record(names, shown, error, where, f".{label}" if label != "repr" else " then repr()")

    if seed_value is not None:
        run = seed(seed_value)(run)
    run()
    return Result(entry.name, calls, tuple(sorted(leaks.values(), key=lambda k: (k.where, k.then, k.error))))


def report(results: list[Result]) -> str:
    """Every leak, grouped by the file that raised it: what an engineer on call reads first."""
    leaks = [leak for result in results for leak in result.leaks]
    by_file: dict[str, list[Leak]] = {}
    for leak in leaks:
        by_file.setdefault(leak.where.split(":", 1)[0], []).append(leak)
    calls = sum(r.calls for r in results)
    lines = [f"{len(leaks)} leaks in {len({leak.entry for leak in leaks})} entry points "
             f"({calls} calls over {len(results)} entry points), by the file that raised them:"]
    for path in sorted(by_file):
        lines.append(f"  {path}")
        lines.extend(f"    {leak.line()}" for leak in sorted(by_file[path], key=lambda k: (k.entry, k.arguments)))
    return "\n".join(lines)
