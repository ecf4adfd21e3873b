"""A portfolio never stops for one account: every account given is either reviewed or rejected with a reason.

``review_portfolio`` is the boundary: whatever one account raises (a ``PostsaleError`` or a builtin exception from
deep inside), it becomes that account's ``ReviewError`` and every other account is reviewed exactly as it would be
alone; a repeated account id is rejected (the first one is reviewed).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postsale import AccountSnapshot, PostsaleError
from postsale.journey import Journey
from postsale.kpi import RevenueLedger, RevenueMovement
from postsale.review import AccountInput, AccountReview, PortfolioReview, review_account, review_portfolio
from postsale.review import _review as review_module
from tests.strategies.vocabulary import snapshots

D = date(2026, 11, 1)


def good(account_id: str = "acme", **kwargs: Any) -> AccountSnapshot:
    """A mid-market account renewing in two months."""
    values: dict[str, Any] = {"acv": 48_000, "contract_start": date(2026, 1, 1), "contract_end": date(2026, 12, 31),
                              "signals": {"nps": 8.0, "sentiment": 70.0, "business_context": 65.0}}
    values.update(kwargs)
    return AccountSnapshot(account_id, "MID_MARKET", values.pop("as_of", D), **values)


@contextmanager
def boom_inside() -> Iterator[None]:
    """While active, reviewing an account whose id starts with "boom" raises a builtin ZeroDivisionError deep inside
    (in the agenda), as a bug would."""
    real = review_module.build_agenda

    def agenda(snapshot: AccountSnapshot, *args: Any, **kwargs: Any) -> Any:
        if snapshot.account_id.startswith("boom"):
            return 1 / 0
        return real(snapshot, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(review_module, "build_agenda", agenda)
        yield


def _account_id(item: object) -> str | None:
    if isinstance(item, AccountInput):
        return item.snapshot.account_id
    return item.account_id if isinstance(item, AccountSnapshot) else None


@st.composite
def portfolios(draw: st.DrawFn) -> list[Any]:
    """Good accounts mixed with accounts whose review raises (a foreign journey: PostsaleError; "boom": a builtin
    exception), items that are not accounts at all, and repeated account ids."""
    items: list[Any] = []
    for _ in range(draw(st.integers(0, 7))):
        kind = draw(st.sampled_from(["good", "good", "good", "foreign", "boom", "junk", "repeat"]))
        if kind == "good":
            items.append(draw(snapshots()))
        elif kind == "foreign":
            snap = draw(snapshots())
            items.append(AccountInput(snap, journey=Journey.start(snap.account_id + "-other", "SMB", on=snap.as_of)))
        elif kind == "boom":
            items.append(good(f"boom-{len(items)}"))
        elif kind == "junk":
            items.append(draw(st.sampled_from([None, 5, "acme", 1.5, date(2026, 1, 1)])))
        else:
            ids = [i for i in map(_account_id, items) if i is not None]
            if ids:
                items.append(good(draw(st.sampled_from(ids))))
    return items


@given(portfolios())
def test_reviewed_plus_rejected_is_the_input_and_each_account_is_reviewed_as_alone(items: list[Any]) -> None:
    """reviewed + rejected == accounts given; a good account's review equals its review alone; an account whose review
    raises alone is rejected with its id, position and error type; a repeated id is rejected naming the first."""
    with boom_inside():
        portfolio = review_portfolio(items)
        expected: list[AccountReview | tuple[int, str | None, str]] = []
        first_seen: dict[str, int] = {}
        for index, item in enumerate(items):
            account_id = _account_id(item)
            if account_id is not None and account_id in first_seen:
                expected.append((index, account_id, "DuplicateAccount"))
                continue
            if account_id is not None:
                first_seen[account_id] = index
            try:
                expected.append(review_account(item))
            except Exception as exc:
                expected.append((index, account_id, type(exc).__name__))
    assert len(portfolio.accounts) + len(portfolio.rejected) == len(items)
    assert list(portfolio.accounts) == [e for e in expected if isinstance(e, AccountReview)]
    assert [(e.index, e.account_id, e.error_type) for e in portfolio.rejected] == [
        e for e in expected if isinstance(e, tuple)
    ]
    assert all(e.error for e in portfolio.rejected)
    assert portfolio.summary.accounts == len(portfolio.accounts)


def test_a_builtin_exception_inside_one_account_is_reported_and_the_others_reviewed() -> None:
    """A ZeroDivisionError deep inside one account becomes its ReviewError: id, position, error type, what happened
    and where; the accounts before and after it are reviewed."""
    with boom_inside():
        portfolio = review_portfolio([good("a"), good("boom"), good("b")])
    assert [r.account_id for r in portfolio.accounts] == ["a", "b"]
    (error,) = portfolio.errors
    assert (error.account_id, error.index, error.error_type, error.field) == ("boom", 1, "ZeroDivisionError", None)
    assert error.error.startswith("unexpected ZeroDivisionError while reviewing the account: division by zero")
    assert "test_portfolio_contract.py" in error.error
    assert "1 account(s) could not be reviewed" in " ".join(portfolio.explain())


def test_a_repeated_account_id_is_rejected_and_the_first_one_reviewed() -> None:
    """The first occurrence of an id is reviewed (even when a later one differs); each later one is rejected."""
    first, second = good("acme"), good("acme", acv=1)
    portfolio = review_portfolio([first, good("globex"), second, AccountInput(second)])
    assert [r.account_id for r in portfolio.accounts] == ["acme", "globex"]
    assert portfolio.accounts[0] == review_account(first)
    assert [(e.index, e.field, e.error_type) for e in portfolio.rejected] == [
        (2, "account_id", "DuplicateAccount"), (3, "account_id", "DuplicateAccount")
    ]
    assert portfolio.rejected[0].error == (
        "duplicate account id 'acme', first seen at index 0 (only the first is reviewed)"
    )


def test_a_repeated_id_of_a_rejected_account_is_still_a_duplicate() -> None:
    """When the first occurrence fails, a later one with the same id is reported as a duplicate of it."""
    foreign = AccountInput(good("acme"), journey=Journey.start("other", "SMB", on=D))
    portfolio = review_portfolio([foreign, good("acme")])
    assert portfolio.accounts == ()
    assert [e.error_type for e in portfolio.rejected] == ["InvalidValueError", "DuplicateAccount"]


def test_progress_counts_every_account_reviewed_or_not() -> None:
    """The progress callback is called once per account given, rejected ones included."""
    calls: list[int] = []
    review_portfolio([good("a"), good("a"), "junk", good("b")], progress=calls.append)
    assert calls == [1, 2, 3, 4]


def test_an_acv_too_large_for_the_totals_is_rejected_not_fatal() -> None:
    """An ACV the portfolio totals could not add up or print (1e5000, 1e999999999) rejects its account only; when the
    snapshot itself refuses such an amount, that is the documented error."""
    for text in ("1e5000", "1e999999999", "1e18"):
        try:
            huge = good("huge", acv=text)
        except PostsaleError:
            continue
        portfolio = review_portfolio([good("a"), huge, good("b")])
        assert [r.account_id for r in portfolio.accounts] == ["a", "b"]
        assert portfolio.rejected[0].account_id == "huge"
        assert "acv" in portfolio.rejected[0].error
        assert portfolio.summary.renewals_by_month[0].arr == Decimal(96_000)
        assert portfolio.explain()


@pytest.mark.parametrize(
    "kwargs",
    [{"contract_end": date.max}, {"as_of": date.max, "contract_start": date(9999, 1, 1), "contract_end": date.max},
     {"as_of": date.min, "contract_start": date.min, "contract_end": date(1, 1, 2)}, {"time_zone": "America"},
     {"time_zone": "A" * 300}],
)
def test_dates_and_zones_at_the_edges_never_stop_the_portfolio(kwargs: dict[str, Any]) -> None:
    """An account at the edge of the calendar (or with a zone that is a folder or too long) is reviewed or rejected
    with a reason; the others are reviewed either way and the summary is computed."""
    try:
        edge = good("edge", **kwargs)
    except (PostsaleError, OSError):  # refused when the snapshot is built (OSError: until zones are checked there)
        return
    portfolio = review_portfolio([good("a"), edge, good("b")])
    assert len(portfolio.accounts) + len(portfolio.rejected) == 3
    assert {"a", "b"} <= {r.account_id for r in portfolio.accounts}
    assert all(e.account_id == "edge" and e.error for e in portfolio.rejected)
    assert "accounts reviewed." in portfolio.explain()[0]


def test_a_summary_part_that_fails_is_left_out_with_a_reason() -> None:
    """When one part of the summary cannot be computed, it is None with a portfolio error (index -1); the accounts'
    reviews and the other parts are kept."""
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("tiers exploded")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(review_module, "plan_portfolio", broken)
        portfolio = review_portfolio([good("a"), good("b")])
    assert len(portfolio.accounts) == 2 and portfolio.rejected == ()
    assert portfolio.summary.tiers is None and portfolio.summary.forecast is not None
    (error,) = portfolio.errors
    assert (error.index, error.account_id, error.error_type) == (-1, None, "RuntimeError")
    assert error.error.startswith("touch-model tiers not computed: unexpected RuntimeError")
    assert any(line.startswith("Portfolio: touch-model tiers not computed") for line in portfolio.explain())


def test_retention_that_cannot_be_computed_is_a_portfolio_error() -> None:
    """Retention over the twelve months before a portfolio date in year 1 (before the calendar starts) is left out
    with the reason; the account is still reviewed."""
    ledger = RevenueLedger([RevenueMovement("a", date(1, 2, 1), "NEW", Decimal(100))])
    portfolio = review_portfolio([good("a", as_of=date(1, 6, 1), contract_start=None, contract_end=None)],
                                 ledger=ledger)
    assert [r.account_id for r in portfolio.accounts] == ["a"]
    assert portfolio.summary.retention is None
    (error,) = portfolio.errors
    assert error.index == -1 and error.error.startswith("retention not computed: ")


def test_the_portfolio_arguments_are_still_checked() -> None:
    """Arguments about the whole portfolio (not one account) are refused with a documented error."""
    with pytest.raises(PostsaleError, match="accounts"):
        review_portfolio(5)  # type: ignore[arg-type]
    with pytest.raises(PostsaleError, match="progress"):
        review_portfolio([], progress=5)  # type: ignore[arg-type]
    assert isinstance(review_portfolio(iter([good()])), PortfolioReview)


def test_eight_threads_give_the_sequential_answer_with_rejected_accounts() -> None:
    """Reviewing the same mixed portfolio in 8 threads gives exactly the sequential review, errors included."""
    from concurrent.futures import ThreadPoolExecutor

    items = [good("a"), good("a"), AccountInput(good("x"), journey=Journey.start("y", "SMB", on=D)), "junk",
             good("b", acv="1e5000") if _constructible("1e5000") else good("b")]
    expected = review_portfolio(items)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: review_portfolio(items), range(16)))
    assert all(result == expected for result in results)


def _constructible(acv: str) -> bool:
    try:
        good("probe", acv=acv)
    except PostsaleError:
        return False
    return True
