"""Behaviour pinned down by mutation testing (docs/mutation.md): each test kills mutants that survived the
review context's other tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from postsale import AccountSnapshot
from postsale.review import ReviewError, ReviewSettings, review_portfolio
from postsale.review._review import _guarded, _unexpected

D = date(2026, 11, 1)


def account(account_id: str, contract_end: date, acv: int = 48_000) -> AccountSnapshot:
    return AccountSnapshot(account_id, "MID_MARKET", D, acv=acv, contract_start=date(2026, 1, 1),
                           contract_end=contract_end, seats_purchased=50, seats_active=40,
                           signals={"nps": 8.0, "sentiment": 70.0, "business_context": 65.0})


def test_renewals_summary_counts_both_ends_of_the_horizon_and_nothing_after() -> None:
    """A renewal on the portfolio date and one on the last day of the horizon are in the summary; one the day
    after the horizon is not, and each month's ARR is the sum of its renewals' ACV."""
    settings = ReviewSettings(renewal_horizon_months=3)
    portfolio = review_portfolio(
        [account("today", D, 10_000), account("edge", date(2027, 2, 1), 20_000),
         account("edge2", date(2027, 2, 1), 5_000), account("later", date(2027, 2, 2), 40_000)],
        settings=settings,
    )
    months = {m.month: (m.renewals, m.arr) for m in portfolio.summary.renewals_by_month}
    assert months == {"2026-11": (1, Decimal(10_000)), "2027-02": (2, Decimal(25_000))}
    assert portfolio.errors == ()


def test_health_distribution_lists_bands_in_green_yellow_red_order_without_empty_bands() -> None:
    """The summary's health distribution names bands in upper case, in a fixed order, and omits empty ones."""
    red = AccountSnapshot("red", "MID_MARKET", D, acv=48_000, contract_start=date(2026, 1, 1),
                          contract_end=date(2026, 12, 31), seats_purchased=50, seats_active=5,
                          signals={"nps": 1.0, "sentiment": 10.0, "business_context": 20.0})
    portfolio = review_portfolio([red, account("green", date(2026, 12, 31))])
    assert list(portfolio.summary.health_distribution.items()) == [("GREEN", 1), ("RED", 1)]


def test_unexpected_failure_message_names_type_message_and_raising_module() -> None:
    """A non-postsale exception becomes a message with its type, its text, what was being done and where."""
    try:
        int("x")
    except ValueError as exc:
        message = _unexpected(exc)
    assert message.startswith("unexpected ValueError while reviewing the account: invalid literal for int()")
    assert message.endswith(")") and " (raised in test_mutants.py line " in message


def test_unexpected_failure_message_keeps_only_the_first_300_characters() -> None:
    """A huge exception message is cut so that one account's error cannot flood the report."""
    message = _unexpected(RuntimeError("y" * 1000), doing="")
    assert message == "unexpected RuntimeError: " + "y" * 300


def test_a_summary_part_that_fails_is_left_out_with_a_portfolio_error_naming_it() -> None:
    """A part of the summary raising anything gives None and a portfolio error at index -1 naming the part."""
    errors: list[ReviewError] = []

    def boom() -> int:
        raise KeyError("k")

    assert _guarded("retention", errors, boom) is None
    assert len(errors) == 1
    assert errors[0].index == -1 and errors[0].error_type == "KeyError" and errors[0].account_id is None
    assert errors[0].error.startswith("retention not computed: unexpected KeyError: 'k'")
    assert _guarded("retention", errors, lambda: 3) == 3 and len(errors) == 1
