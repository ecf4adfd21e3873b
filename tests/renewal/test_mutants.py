"""Behaviour pinned down by mutation testing (docs/mutation.md): each test kills mutants that survived the renewal
context's other tests: full error messages (field, value, rule, hint), both sides of boundaries, non-default
arguments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import cattrs
import pytest

from postsale import PostsaleError
from postsale._errors import DefinitionError, InvalidTypeError, InvalidValueError
from postsale.renewal import (
    DEFAULT_FORECAST_RULES,
    ENTERPRISE_PLAYBOOK,
    BusinessCalendar,
    CategoryTotal,
    Contract,
    ForecastCategory,
    NoticeWindow,
    Playbook,
    notice_window,
    renewal_outcome,
    roll_up,
    term_periods,
)
from postsale.renewal._serialization import _setup
from postsale.renewal._status import MilestoneDue, _optional
from postsale.renewal._timeline import term_milestone_dates

SMB = Contract.from_term("a", "SMB", date(2026, 7, 1), term_months=12, acv=100)
AUTO = Contract.from_term("a", "SMB", date(2026, 7, 1), term_months=12, acv=100, auto_renew=True, notice_days=30)


class NeverOpen:
    """A holiday calendar without a single business day."""

    def is_business_day(self, day: date) -> bool:
        return False


class Chatty:
    """A holiday calendar that answers with text instead of a bool."""

    def is_business_day(self, day: date) -> str:
        return "yes"


def _error(build: Any) -> PostsaleError:
    with pytest.raises(PostsaleError) as caught:
        build()
    return caught.value


GOLDEN_ERRORS = [
    (lambda: SMB.anniversary(1.5), InvalidValueError, "n", 1.5,
     "n=1.5: expected a whole number; instead: pass an int"),
    (lambda: SMB.term_on(date(2026, 6, 30)), InvalidValueError, "day", date(2026, 6, 30),
     "day=datetime.date(2026, 6, 30): is before the contract start; rule: must be on or after start=2026-07-01; "
     "instead: ask the previous contract"),
    (lambda: term_periods(date(2026, 1, 1), months=0, count=1), InvalidValueError, "months", 0,
     "months=0: is zero or negative; rule: a term is at least one month; instead: pass a whole number of months "
     ">= 1 (12 for an annual term)"),
    (lambda: DEFAULT_FORECAST_RULES.risk_level(-1), InvalidValueError, "risk_facts", -1,
     "risk_facts=-1: is negative; rule: must be >= 0; instead: pass a count >= 0"),
    (lambda: NoticeWindow("a", date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1), "UTC", business_days=1),
     InvalidTypeError, "business_days", 1, "business_days=1: expected True or False; instead: pass a bool"),
    (lambda: NoticeWindow("a", date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1), "UTC").contains("x"),
     InvalidTypeError, "day", "x",
     "day='x': expected a calendar date; instead: pass datetime.date(...) (use .date() on a datetime)"),
    (lambda: renewal_outcome(5, confirmed_on=None, renewed_acv=0), InvalidTypeError, "contract", 5,
     "contract=5: expected a Contract; instead: pass a Contract"),
    (lambda: renewal_outcome(SMB, confirmed_on=None, renewed_acv=0, executed_on=date(2027, 6, 1)),
     InvalidValueError, "executed_on", date(2027, 6, 1),
     "executed_on=datetime.date(2027, 6, 1): is given but the renewal was never confirmed; instead: pass "
     "confirmed_on as well (the date the customer agreed)"),
    (lambda: renewal_outcome(SMB, confirmed_on=date(2027, 6, 2), renewed_acv=0, executed_on=date(2027, 6, 1)),
     InvalidValueError, "executed_on", date(2027, 6, 1),
     "executed_on=datetime.date(2027, 6, 1): is before the confirmation; rule: must be on or after "
     "confirmed_on=2027-06-02; instead: check the two dates"),
    (lambda: term_milestone_dates(date(9999, 1, 1), 12), InvalidValueError, "term_months", 12,
     "term_months=12: ends after 9999; rule: a term starting 9999-01-01 must end by 9999-12-31; instead: pass the "
     "real term"),
    (lambda: term_milestone_dates(date(1, 1, 1), 1), InvalidValueError, "start", date(1, 1, 1),
     "start=datetime.date(1, 1, 1): leaves no room for the milestones; rule: every milestone must fall on or after "
     "0001-01-01; instead: pass the contract's real dates"),
    (lambda: notice_window(AUTO, business_days=True, calendar=Chatty()), InvalidTypeError, "calendar", "yes",
     "calendar='yes': returned a non-bool from is_business_day; instead: return True or False"),
]


@pytest.mark.parametrize(("build", "kind", "field", "value", "message"), GOLDEN_ERRORS)
def test_bad_renewal_inputs_give_the_full_message_with_field_value_rule_and_hint(
    build: Any, kind: type, field: str, value: Any, message: str
) -> None:
    """Each refusal names the field and the value given, the rule, and what to do instead, word for word."""
    error = _error(build)
    assert (type(error), error.field, error.value, str(error)) == (kind, field, value, message)


def test_a_calendar_without_business_days_is_refused_when_rolling_the_notice_back() -> None:
    """Rolling the last notice day back to a business day gives up after a year without one, naming the calendar."""
    calendar = NeverOpen()
    error = _error(lambda: notice_window(AUTO, calendar=calendar, roll_back=True))
    assert (error.field, error.value) == ("calendar", calendar)
    assert str(error).endswith(": has no business day in a year; instead: check the holiday calendar")


def test_a_reason_that_is_not_text_is_refused_with_a_hint() -> None:
    """An amendment or contract reason must be text; the error says to pass it as text or leave it out."""
    from postsale.renewal._contract import _reason

    error = _error(lambda: _reason("reason", 5))
    assert (error.field, error.value, error.hint) == ("reason", 5, "pass the reason as text (or leave it out)")


def test_playbook_entries_that_are_not_pairs_are_listed_with_a_hint() -> None:
    """Playbook.define with a stray milestone entry names its position and says to pass (days_before, name)."""
    error = _error(lambda: Playbook.define("x", runway_days=10, latest_start_days=5, milestones=[5],
                                           conversation="a", confirmation="b"))
    assert type(error) is DefinitionError
    assert str(error) == ("renewal playbook 'x' is invalid (1 problem(s)):\n  - must be a Milestone or a (days, name) "
                          "pair, got 5 @ $.milestones[0]\ninstead: pass (days_before, name) pairs")


def test_a_negative_touch_ramp_start_is_reported_at_its_path() -> None:
    """A touch ramp starting at T--1 is reported at $.touch_ramp[0], not elsewhere."""
    error = _error(lambda: attrs.evolve(ENTERPRISE_PLAYBOOK, touch_ramp=(-1, 5)))
    assert [(p.path, p.message) for p in error.problems] == [("$.touch_ramp[0]", "must be >= 0, got -1")]  # type: ignore[attr-defined]


def test_milestone_dates_need_the_runway_start_on_or_after_year_1() -> None:
    """The enterprise runway (T-180) may start on 0001-01-01 exactly, not a day earlier."""
    first_possible = date.fromordinal(180 + 1)
    assert ENTERPRISE_PLAYBOOK.milestone_dates(first_possible)[0] == date(1, 1, 1)
    error = _error(lambda: ENTERPRISE_PLAYBOOK.milestone_dates(date.fromordinal(180)))
    assert (error.field, error.value) == ("renewal_date", date.fromordinal(180))


def test_the_term_containing_a_day_in_the_last_term_before_year_10000_is_found() -> None:
    """A day in the renewal term that runs into 9999-12-31 gives that term (clipped), not an overflow error."""
    contract = Contract.from_term("a", "SMB", date(9998, 1, 1), term_months=12, acv=100)
    term = contract.term_on(date(9999, 8, 1))
    assert (term.number, term.start, term.end) == (1, date(9999, 1, 1), date(9999, 12, 31))


def test_a_category_absent_from_the_rollup_has_zero_totals() -> None:
    """Asking a roll-up for a category it has no renewal of gives zero count, ARR and renewal ARR."""
    rollup = roll_up([], period_start=date(2027, 1, 1), period_end=date(2027, 3, 1))
    assert rollup.category(ForecastCategory.COMMIT) == CategoryTotal(ForecastCategory.COMMIT, 0, Decimal(0),
                                                                      Decimal(0))


def test_the_serialization_hooks_write_sets_of_days_as_sorted_lists() -> None:
    """The renewal hooks write a frozenset of ints (weekend days) and of dates as sorted lists."""
    converter = cattrs.Converter()
    _setup(converter)
    assert converter.unstructure(frozenset({6, 5}), frozenset[int]) == [5, 6]
    assert converter.unstructure(frozenset({date(2027, 1, 2), date(2026, 1, 1)}), frozenset[date]) == [
        "2026-01-01", "2027-01-02"]


def test_the_optional_validator_refuses_another_type_and_accepts_none() -> None:
    """A status field holding an optional milestone accepts None and refuses anything but a MilestoneDue."""
    check = _optional(MilestoneDue)
    attribute = attrs.fields(type(BusinessCalendar()))[0]
    check(None, attribute, None)
    with pytest.raises(InvalidTypeError):
        check(None, attribute, "kickoff")
