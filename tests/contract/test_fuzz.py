"""The error contract, fuzzed: every public entry point either works or raises a documented PostsaleError.

The entry points are discovered from the public API (``tests.contract._fuzz.entry_points``); each is called with
hypothesis-generated hostile arguments (NaN, infinities, sNaN, 10**400, ``Decimal("1e999999")``, 10 000-character
and control-character strings, naive datetimes, ``date.max``, out-of-order events, mappings of every kind ...),
one argument at a time with the others valid, and several together. A builtin exception that escapes, or a call
taking more than a second, is a leak; each context's test lists every leak it found in one message, grouped by
the file that raised it.

Budget: ``POSTSALE_FUZZ_EXAMPLES`` calls in all (default :data:`CI_EXAMPLES`), shared evenly by the entry points;
``POSTSALE_FUZZ_SEED`` varies the otherwise fixed (derandomized) draws. The long run, documented in
docs/quality.md: ``POSTSALE_FUZZ_EXAMPLES=1000000 .venv/bin/python -m pytest tests/contract/test_fuzz.py``.
"""

from __future__ import annotations

import math
import os
import time
import types
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from postsale import (
    DefinitionError,
    InvalidTypeError,
    InvalidValueError,
    NaiveDatetimeError,
    OutOfOrderError,
    PostsaleError,
    Stage,
    UnknownNameError,
)
from postsale.cadence import CadenceItem, Channel, Recurrence, Touch, Unit, Window, segment_plan
from postsale.health import Pulse, roll_up_health
from postsale.journey import Journey, JourneyDefinition, Span
from postsale.kpi import RetentionDefinition, ScenarioCohort, TargetStatus, assess_maturity
from postsale.renewal import ENTERPRISE_PLAYBOOK
from postsale.touch import BusinessProfile, plan_portfolio, project_staffing
from postsale.triggers import CATALOG, Evidence, RuleSet
from tests.contract import _fuzz

CI_EXAMPLES = 20_000
"""Fuzzed calls in all on CI (about 35 per entry point)."""

EXAMPLES = int(os.environ.get("POSTSALE_FUZZ_EXAMPLES", CI_EXAMPLES))
SEED = int(os.environ["POSTSALE_FUZZ_SEED"]) if os.environ.get("POSTSALE_FUZZ_SEED") else None

GROUPS = (*sorted({entry.context for entry in _fuzz.entry_points()}),)


def per_entry_point() -> int:
    """The share of the budget each fuzzed entry point gets (at least 5 calls)."""
    fuzzed = [e for e in _fuzz.entry_points() if _fuzz.fuzzable(e)]
    return max(5, EXAMPLES // max(1, len(fuzzed)))


def test_discovery_reaches_every_context() -> None:
    """Entry points are found in every context and in the adapters that take values (a broken walk finds none)."""
    assert {"kernel", "health", "touch", "renewal", "triggers", "journey", "cadence", "kpi", "review",
            "adapters"} <= set(GROUPS)
    kinds = {entry.kind for entry in _fuzz.entry_points()}
    assert {"function", "constructor", "method", "classmethod"} <= kinds


def test_every_public_callable_has_a_valid_call_or_a_reason() -> None:
    """A new public callable gets a baseline from its docstring example or the registry, or is excused by name."""
    assert [] == _fuzz.unexplained()


def test_every_excuse_names_an_entry_point_that_needs_it() -> None:
    """EXCUSED holds no stale names: each is a public entry point with no baseline."""
    baselines = _fuzz.baselines()
    assert [] == [name for name in _fuzz.EXCUSED if baselines.get(name, "unknown") is not None]


def test_the_generator_makes_every_kind_of_bad_input() -> None:
    """The hostile values include each kind the contract names (so a leak of that kind can be found)."""
    values = _fuzz.CONSTANTS
    assert any(isinstance(v, float) and math.isnan(v) for v in values)
    assert {math.inf, -math.inf, 1e308, 10**400} <= set(map(_hashable, values))
    assert any(isinstance(v, Decimal) and v.is_snan() for v in values)
    assert any(isinstance(v, Decimal) and v.is_finite() and v.adjusted() >= 999_999 for v in values)
    assert any(isinstance(v, float) and v == 0 and math.copysign(1, v) < 0 for v in values)
    assert {"", "x" * 10_000, "\x00", True} <= set(map(_hashable, values))
    assert any(isinstance(v, types.MappingProxyType) for v in values)
    assert {None} <= set(map(_hashable, values))


def _hashable(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def _planted(amount: Any, *, scale: float = 1.0) -> float:
    """A function with a leak: a NaN amount reaches a dict lookup (KeyError), a negative one is refused."""
    if isinstance(amount, (int, float)) and amount < 0:
        raise InvalidValueError("is negative", field="amount", value=amount)
    return {1.0: 1.0}.get(amount) or {0.0: 0.0}[amount * 0] * scale if isinstance(amount, float) else 0.0


def test_a_planted_leak_is_found_and_reported_with_its_call() -> None:
    """The fuzzer finds a KeyError hidden behind NaN and reports the entry point, the argument and the input."""
    entry = _fuzz.EntryPoint("tests.planted", "function", _planted)
    result = _fuzz.fuzz(entry, _fuzz.Baseline(None, {"amount": 2.0}), 200)
    report = _fuzz.report([result])
    assert result.leaks, report
    assert "tests.planted(amount=" in report and "KeyError" in report and "test_fuzz.py" in report


def _sleeper(seconds: float) -> None:
    time.sleep(min(seconds, 0.05) if isinstance(seconds, float) and seconds > 0 else 0)


def test_a_slow_call_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    """A call over the time limit is a leak (bounded work), reported like an escaped exception."""
    monkeypatch.setattr(_fuzz, "SLOW_SECONDS", 0.01)
    _, error, where = _fuzz.attempt(lambda: _sleeper(0.05))
    assert (error or "").startswith("took") and where == "bounded work"


@pytest.mark.parametrize("group", GROUPS)
def test_no_builtin_exception_escapes(group: str) -> None:
    """Hostile arguments, one at a time and together, give a result or a PostsaleError, within a second."""
    baselines = _fuzz.baselines()
    results = [
        _fuzz.fuzz(entry, baseline, per_entry_point(), seed_value=SEED)
        for entry in _fuzz.entry_points()
        if entry.context == group and _fuzz.fuzzable(entry) and (baseline := baselines[entry.name]) is not None
    ]
    if any(result.leaks for result in results):
        pytest.fail(_fuzz.report(results), pytrace=False)


# ---- the bad-input matrix of docs/quality.md: one named case per kind of bad input ------------------------------

_DONE = {"implementation_complete": 1, "core_users_trained": 1, "use_case_live": 1, "first_value_documented": 1,
         "go_live_confirmed": 1}


def _journey() -> Journey:
    return Journey.start("acme", "SMB", on=date(2026, 1, 5))


def _moved() -> Journey:
    return _journey().move("core", Stage.ADOPTION, on=date(2026, 1, 26), evidence=_DONE)


def _pulse(points: Any) -> Pulse:
    return Pulse(points, author="aiko", reason="r", assessed_on=date(2026, 1, 1), expires_on=date(2026, 2, 1))


def _plan() -> Any:
    company = {"complexity": "LOW_TO_MODERATE", "gross_margin": 0.6, "positioning": "VALUE", "growth_stage": "GROWTH"}
    return plan_portfolio([BusinessProfile(acv=4000, segment="SMB", **company)])


MATRIX: dict[str, tuple[Callable[[], Any], type[PostsaleError] | None]] = {
    "wrong type: JourneyDefinition(exit_criteria=1.5)": (
        lambda: JourneyDefinition(exit_criteria=1.5), InvalidTypeError
    ),
    "wrong type: RuleSet(hygiene=[])": (lambda: RuleSet("v", CATALOG.rules, hygiene=[]), DefinitionError),
    "NaN: Pulse.from_band(nan)": (
        lambda: Pulse.from_band(math.nan, author="a", reason="r", assessed_on=date(2026, 1, 1),
                                expires_on=date(2026, 2, 1)),
        UnknownNameError,
    ),
    "NaN: assess_maturity(nan, 1.0)": (lambda: assess_maturity(math.nan, 1.0), InvalidValueError),
    "inf: TargetStatus.of(inf, 1, 2)": (lambda: TargetStatus.of(math.inf, 1, 2), InvalidValueError),
    "sNaN: ScenarioCohort(acv=Decimal('sNaN'))": (
        lambda: ScenarioCohort(customers=1, acv=Decimal("sNaN"), cac=1), InvalidValueError
    ),
    "-0.0: Pulse(-0.0, ...) is 0 points": (lambda: _pulse(-0.0), None),
    "1e308: project_staffing(annual_growth=1e308)": (
        lambda: project_staffing(_plan(), annual_growth=1e308), InvalidValueError
    ),
    "10**400: Window.days(start, 10**400)": (lambda: Window.days(date(2026, 1, 1), 10**400), InvalidValueError),
    "Decimal('1e999999'): Evidence(value=...)": (
        lambda: Evidence("x", Decimal("1e999999"), ">=", "1"), InvalidValueError
    ),
    "empty string: Journey.start('')": (lambda: Journey.start("", "SMB", on=date(2026, 1, 5)), InvalidValueError),
    "10 000 characters: CadencePlan.item('x' * 10_000)": (
        lambda: segment_plan("SMB").item("x" * 10_000), UnknownNameError
    ),
    "control characters: Channel.parse('\\x1b[31m')": (lambda: Channel.parse("\x1b[31mred"), UnknownNameError),
    "bool for int: ScenarioCohort(customers=True)": (
        lambda: ScenarioCohort(customers=True, acv=1, cac=1), InvalidTypeError
    ),
    "naive datetime: Touch(due_at=naive)": (lambda: Touch("acme", datetime(2026, 1, 1), "k", "t"), NaiveDatetimeError),
    "aware datetime for a date: Window(start=aware)": (
        lambda: Window(datetime(2026, 1, 1, tzinfo=UTC), date(2026, 2, 1)), InvalidTypeError
    ),
    "date.max: Span(months=1).after(date.max)": (lambda: Span(months=1).after(date.max), InvalidValueError),
    "date.min: Playbook.milestone_dates(date.min)": (
        lambda: ENTERPRISE_PLAYBOOK.milestone_dates(date.min), InvalidValueError
    ),
    "leaves the calendar: RetentionDefinition().period_end(9999-06-01)": (
        lambda: RetentionDefinition().period_end(date(9999, 6, 1)), InvalidValueError
    ),
    "out-of-order events: Journey.replay(reversed history)": (
        lambda: Journey.replay("acme", "SMB", tuple(reversed(_moved().history))), InvalidValueError
    ),
    "out-of-order move: Journey.move(on=before the last event)": (
        lambda: _moved().move("core", Stage.RETENTION, on=date(2026, 1, 1), evidence={}), OutOfOrderError
    ),
    "evidence of the wrong type: Journey.move(evidence={'go_live_confirmed': 'yes'})": (
        lambda: _journey().move("core", Stage.ADOPTION, on=date(2026, 1, 26),
                                evidence={**_DONE, "go_live_confirmed": "yes"}),
        InvalidTypeError,
    ),
    "MappingProxyType with a bad value: Journey.start(labels=...)": (
        lambda: Journey.start("acme", "SMB", on=date(2026, 1, 5), labels=types.MappingProxyType({"source": 5})),
        InvalidTypeError,
    ),
    "None for a collection: roll_up_health('p', None)": (lambda: roll_up_health("p", None), InvalidTypeError),
    "unbounded work: CadenceItem.dates(window to 9999)": (
        lambda: CadenceItem("m", "M", "quick_update", recurrence=Recurrence(Unit.WEEK)).dates(
            date(2026, 1, 1), Window(date(2026, 1, 1), date(9999, 12, 31))),
        InvalidValueError,
    ),
}
"""Kind of bad input: the call -> the error it raises (``None``: accepted). docs/quality.md lists the same rows."""


@pytest.mark.parametrize("case", list(MATRIX))
def test_bad_input_matrix(case: str) -> None:
    """Each kind of bad input of the matrix gives its documented PostsaleError (or is accepted as documented)."""
    action, expected = MATRIX[case]
    if expected is None:
        action()
    else:
        with pytest.raises(expected):
            action()


def test_a_mapping_proxy_is_copied_not_aliased() -> None:
    """A MappingProxyType given as labels becomes the value's own frozen copy: changing the source changes nothing."""
    source = {"source": "referral"}
    journey = Journey.start("acme", "SMB", on=date(2026, 1, 5), labels=types.MappingProxyType(source))
    source["source"] = "changed"
    assert {"source": "referral"} == dict(journey.labels)
