"""Leaks the fuzz found (tests/contract/test_fuzz.py), one named test each: the call now works or raises a
documented PostsaleError naming the argument, never a builtin exception or a warning.

Warnings are errors here (as in the fuzz): ``NotImplemented`` used as a flag would otherwise only warn.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import pytest

from postsale import (
    DefinitionError,
    HealthBand,
    InvalidTypeError,
    InvalidValueError,
    MissingDependencyError,
    PostsaleError,
    TouchModel,
)
from postsale.adapters.display import html_table, scalar_text
from postsale.adapters.frame import NotEvaluable, require, to_pandas
from postsale.adapters.sample import SamplePortfolio, sample_portfolio
from postsale.cadence import Window, segment_plan
from postsale.health import Component, ComponentMove, Freshness, HealthChange, Linear, PartResult, Treatment
from postsale.journey import Journey, analyze, analyze_cohorts
from postsale.kpi import UnitEconomics
from postsale.renewal import SMB_PLAYBOOK, Runway, term_milestone_dates
from postsale.touch import (
    BusinessProfile,
    TouchConfig,
    assess_cost_share,
    assess_economics,
    plan_portfolio,
)
from tests.contract import _fuzz


@pytest.fixture(autouse=True)
def _warnings_are_errors() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def refused(error: type[PostsaleError], field: str, call: Callable[[], Any]) -> PostsaleError:
    """Run ``call``; assert it raised ``error`` naming ``field`` and return the error."""
    with pytest.raises(error) as info:
        call()
    assert info.value.field == field, str(info.value)
    return info.value


def _journeys() -> list[Journey]:
    return [Journey.start("acme", "SMB", on=date(2026, 1, 5))]


# ---- (a) a flag must be a real bool -------------------------------------------------------------------------------


def test_a_non_bool_include_cycles_is_refused_naming_the_argument() -> None:
    """analyze / analyze_cohorts(include_cycles=NotImplemented) is an InvalidTypeError, not a DeprecationWarning."""
    refused(InvalidTypeError, "include_cycles", lambda: analyze(_journeys(), include_cycles=NotImplemented))
    refused(InvalidTypeError, "include_cycles", lambda: analyze([], include_cycles=1))
    refused(InvalidTypeError, "include_cycles", lambda: analyze_cohorts([], include_cycles=NotImplemented))
    assert analyze(_journeys(), include_cycles=False).regression.include_cycles is False


def test_a_non_bool_alternative_cadence_is_refused_naming_the_argument() -> None:
    """segment_plan(alternative=...) takes True or False only (NotImplemented, 1, "yes" are refused)."""
    for value in (NotImplemented, 1, "yes", None):
        refused(InvalidTypeError, "alternative", lambda value=value: segment_plan("SMB", alternative=value))
    assert segment_plan("ENTERPRISE", alternative=True) != segment_plan("ENTERPRISE")


def test_a_non_bool_flatten_is_refused_naming_the_argument() -> None:
    """to_pandas(flatten=NotImplemented) is an InvalidTypeError naming flatten."""
    refused(InvalidTypeError, "flatten", lambda: to_pandas(_journeys(), flatten=NotImplemented))


def test_a_field_that_is_not_a_string_is_refused_naming_the_argument() -> None:
    """to_pandas(value, field=NotImplemented) is an InvalidTypeError naming field (not getattr's TypeError)."""
    refused(InvalidTypeError, "field", lambda: to_pandas(analyze(_journeys()), field=NotImplemented))
    assert len(to_pandas(analyze(_journeys()), field="velocity")) == 6


def test_runway_flags_and_state_refuse_a_non_bool_flag() -> None:
    """Runway.flags(overdue=...) and Runway.state(confirmed=...) take True or False only."""
    runway = Runway.of(SMB_PLAYBOOK)
    refused(InvalidTypeError, "overdue", lambda: runway.flags(20, overdue=NotImplemented))
    refused(InvalidTypeError, "confirmed", lambda: runway.state(20, confirmed=NotImplemented))


# ---- (b) numbers of every kind, dates at the end of the calendar ---------------------------------------------------


def test_a_component_move_given_decimals_and_big_ints_describes_itself() -> None:
    """ComponentMove stores floats, so a Decimal or a 10**300 never meets float arithmetic (Decimal - float)."""
    move = ComponentMove("usage", Decimal("1E-999999"), 10**300, Decimal("0.5"), 1, Decimal("40"), 20.0)
    assert (move.points_before, move.contribution_before, move.delta) == (0.0, 40.0, -20.0)
    assert move.describe().startswith("Usage moved it -20.0 points")
    refused(InvalidValueError, "contribution_after", lambda: ComponentMove("u", 1, 1, 1, 1, 1, Decimal("sNaN")))


def test_a_health_change_given_decimals_explains_itself() -> None:
    """HealthChange converts its numbers to floats: explain() works for a Decimal score and override effect."""
    change = HealthChange("acme", date(2026, 1, 1), date(2026, 1, 31), Decimal("80"), 70, "GREEN", "GREEN", [],
                          override_effect=Decimal("1E-999999"))
    assert change.delta == -10.0
    assert change.explain()[0].startswith("Health of acme fell 10.0 points")


def test_unit_economics_with_a_vanishing_margin_explains_itself() -> None:
    """UnitEconomics(gross_margin=Decimal('1E-999999')).explain() states its figures (no TypeError on Infinity)."""
    economics = UnitEconomics(acv=50_000, cac=50_000, gross_margin=Decimal("1E-999999"), annual_churn=Decimal("0.1"))
    lines = economics.explain()
    assert len(lines) == 3


def test_an_offset_that_is_a_signalling_nan_is_refused_naming_its_position() -> None:
    """term_milestone_dates(offsets=[Decimal('sNaN')]) names offsets[0] (it never reaches the hashing cache)."""
    refused(InvalidTypeError, "offsets[0]", lambda: term_milestone_dates(date(2026, 1, 1), 12, [Decimal("sNaN")]))
    refused(InvalidTypeError, "offsets[1]", lambda: term_milestone_dates(date(2026, 1, 1), 12, [30, [1]]))
    assert term_milestone_dates(date(2026, 7, 1), 12, [30, 0]) == (date(2027, 5, 31), date(2027, 6, 30))


def test_a_share_too_large_for_a_float_is_a_definition_problem() -> None:
    """TouchConfig(healthy_to=10**400) lists the problem (no OverflowError from math.isfinite)."""
    with pytest.raises(PostsaleError) as info:
        TouchConfig(healthy_to=10**400)
    assert "healthy_to" in str(info.value)


def test_the_last_quarter_of_the_calendar_is_a_window() -> None:
    """Window.quarter_of(9999-12-01) is 9999-10-01..9999-12-31 (its end is never computed past the calendar)."""
    assert Window.quarter_of(date(9999, 12, 1)) == Window(date(9999, 10, 1), date(9999, 12, 31))
    assert Window.quarter_of(date(2024, 2, 29)) == Window(date(2024, 1, 1), date(2024, 3, 31))
    assert Window.quarter_of(date(1, 1, 1)) == Window(date(1, 1, 1), date(1, 3, 31))


@pytest.mark.parametrize("value", [Decimal("12345678901234567890123456789.123456"), Decimal("1" * 50 + ".12345"),
                                   Decimal("1E+999999"), Decimal("-1E-999999"), Decimal("sNaN")])
def test_a_decimal_of_any_size_is_shown_in_a_table(value: Decimal) -> None:
    """html_table shows any Decimal: many digits are rounded (no quantize InvalidOperation), huge ones in E form."""
    assert "<table" in html_table([{"amount": value}])
    assert len(scalar_text(value)) < 100


def test_a_sample_account_whose_contract_is_a_bool_is_refused() -> None:
    """A SampleAccount checks its fields: a bool contract is refused when built, not an AttributeError later."""
    portfolio = sample_portfolio(2)
    account = portfolio.accounts[0]
    refused(InvalidTypeError, "contract", lambda: attrs.evolve(account, contract=True))
    refused(InvalidValueError, "churned_on", lambda: attrs.evolve(account, churned_on=date.min))
    refused(InvalidValueError, "health", lambda: attrs.evolve(account, health=1.5))
    refused(InvalidTypeError, "accounts[0]", lambda: SamplePortfolio(portfolio.as_of, 7, [True], portfolio.ledger))
    assert attrs.evolve(account, health=Decimal("0.5")).snapshot_on(portfolio.as_of).account_id == account.account_id


# ---- (c) bounded work: sizes ---------------------------------------------------------------------------------------


def test_the_fuzz_folds_valid_sample_sizes_and_keeps_invalid_ones() -> None:
    """The fuzz's limit is per call, the contract's per account: a valid sample size above the fuzzed bound is
    folded into 1..bound; sizes past the documented limit, zero, negatives and non-ints are drawn unchanged."""
    entry = "postsale.adapters.sample.sample_portfolio"
    bound = _fuzz.WORK_SIZES[(entry, "n")]
    assert 1 <= _fuzz.sized(entry, "n", 120_000) <= bound
    assert _fuzz.sized(entry, "n", bound) == bound
    for kept in (_fuzz.MAX_ACCOUNTS + 1, 10**400, 0, -120_000, 120_000.0, True, "120000"):
        assert _fuzz.sized(entry, "n", kept) is kept
    assert _fuzz.sized(entry, "seed", 120_000) == 120_000


def test_a_component_whose_baseline_is_a_signalling_nan_lists_its_problems() -> None:
    """Component(relative_to=Decimal('sNaN')) is a DefinitionError listing the problem (comparing a signalling NaN
    with the signal's name would raise decimal.InvalidOperation)."""
    with pytest.raises(DefinitionError) as info:
        Component(name="usage", signal="logins", relative_to=Decimal("sNaN"), scoring=Linear(slope=10), weight=1)
    assert "relative_to" in str(info.value)


@pytest.mark.parametrize("name", [".x", "..", "a..b", "json.", "\ud800"])
def test_require_refuses_a_relative_or_malformed_module_name(name: str) -> None:
    """require('.x', ...) is an InvalidValueError naming module (importlib would raise TypeError for a relative
    name); a well-formed name that is not installed stays a MissingDependencyError."""
    refused(InvalidValueError, "module", lambda: require(name, "frame"))
    with pytest.raises(MissingDependencyError):
        require("postsale_no_such_module", "frame")


def test_a_runway_refuses_notice_days_that_are_not_a_count() -> None:
    """Runway.of(notice_days=NotImplemented) is an InvalidTypeError naming notice_days (never a truth test)."""
    refused(InvalidTypeError, "notice_days", lambda: Runway.of(SMB_PLAYBOOK, notice_days=NotImplemented))
    refused(InvalidTypeError, "notice_days", lambda: Runway.of(SMB_PLAYBOOK, notice_days=True))
    assert Runway.of(SMB_PLAYBOOK, notice_days=0).notice_days == 0
    assert Runway.of(SMB_PLAYBOOK, notice_days=30).start_days == 90


def test_a_missing_column_error_is_built_whatever_names_its_reader() -> None:
    """NotEvaluable(needed_by=NotImplemented) builds its message (an error never fails while being built)."""
    error = NotEvaluable("nps", needed_by=NotImplemented)
    assert "NotImplemented reads it" in str(error)
    assert "but" not in str(NotEvaluable("nps"))


def test_a_vanishing_revenue_is_refused_naming_revenue() -> None:
    """assess_cost_share / assess_economics with revenue 1E-999999: an InvalidValueError naming revenue, not a
    decimal.Overflow from the caller's context."""
    refused(InvalidValueError, "revenue", lambda: assess_cost_share(12_500, Decimal("1E-999999")))
    with pytest.raises(InvalidValueError):
        assess_economics(Decimal("1E-999999"), 0.8)
    assert assess_cost_share(Decimal("1E-999999"), 100_000).share == 0.0


def test_a_tier_with_a_vanishing_revenue_still_warns() -> None:
    """Tier(revenue=1E-999999).warnings() works: the fully loaded share is computed without decimal.Overflow."""
    company = {"complexity": "MODERATE", "gross_margin": 0.75, "positioning": "MARKET_STANDARD",
               "growth_stage": "AT_SCALE"}
    plan = plan_portfolio([BusinessProfile(acv=15_000, segment="MID_MARKET", **company)] * 50,
                          accounts_per_csm={"TECH": 50})
    tier = attrs.evolve(plan.tier(TouchModel.TECH), revenue=Decimal("1E-999999"))
    assert all(isinstance(line, str) for line in tier.warnings())


def test_a_part_result_with_odd_numbers_describes_itself() -> None:
    """PartResult.describe() writes an int too large for a float, and a missing input, instead of raising."""
    part = PartResult("logins_trend", "logins", 0.9, None, Freshness.FRESH, Treatment.SCORED, 100.0, 1.0, 0.5, 50.0,
                      HealthBand.GREEN, "logins >= 0.9 → 100 points")
    assert "= unknown" in attrs.evolve(part, input=None).describe()
    assert "1.000E+400" in attrs.evolve(part, input=10**400).describe()
    assert "1.000E+400 of" in attrs.evolve(part, share=10**400).describe()


def test_a_schema_title_that_is_not_a_string_is_refused_naming_it() -> None:
    """``json_schema(title=NotImplemented)`` is an InvalidTypeError naming ``title`` (it was a DeprecationWarning)."""
    from postsale import InvalidTypeError
    from postsale.triggers import Evidence, json_schema

    with pytest.raises(InvalidTypeError) as exc:
        json_schema(Evidence, title=NotImplemented)  # type: ignore[arg-type]
    assert exc.value.field == "title"
    assert json_schema(Evidence, title="E")["title"] == "E"


def test_readiness_refuses_a_non_bool_advisory_flag() -> None:
    """``readiness(advisory=NotImplemented)`` is an InvalidTypeError naming ``advisory``."""
    from postsale import InvalidTypeError, Stage
    from postsale.journey import DEFAULT_JOURNEY_DEFINITION

    with pytest.raises(InvalidTypeError) as exc:
        DEFAULT_JOURNEY_DEFINITION.readiness(Stage.ONBOARDING, Stage.ADOPTION, {}, advisory=NotImplemented)
    assert exc.value.field == "advisory"
