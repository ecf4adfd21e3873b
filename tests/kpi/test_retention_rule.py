"""The retention rule stated on both sides: how one account counts, scalar and columnar, agree on every engine.

An account is measured from its revenue at the start (``opening``) and at the end (``balance``) of the period,
whether it churned in the period and what its reactivations brought back (``returned``). The scalar form
(``RetentionRule.measure``, summed by ``retention``) and the columnar form (``RetentionRule.expr``, narwhals, summed
by ``retention_frame``) give the same figures on Polars (Int128 units as the ledger frame holds money, and Int64)
and pandas, on both sides of each boundary: end == 0, end == start, end one unit below start.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from postsale import UnknownNameError
from postsale._columnar import is_decision
from postsale.kpi import ReactivationPolicy
from postsale.kpi._retention_rule import AccountRetention, RetentionRule

pl = pytest.importorskip("polars")
nw = pytest.importorskip("narwhals.stable.v2")

Row = tuple[int, int, bool, int]
"""(opening, balance, churned, returned), amounts in whole units."""

ENGINES = ("polars-int128", "polars-int64", "pandas")
POLICIES = tuple(ReactivationPolicy)
MONEY = ("opening", "balance", "returned")


def scalar(rule: RetentionRule, row: Row) -> tuple[Any, ...]:
    """The scalar form's figures, money as whole units."""
    opening, balance, churned, returned = row
    counted = rule.measure(Decimal(opening), Decimal(balance), churned, Decimal(returned))
    assert isinstance(counted, AccountRetention)
    return tuple(v if isinstance(v, bool) else _units(v) for v in counted)


def _units(value: Decimal) -> int:
    assert value == value.to_integral_value()
    return int(value)


def columnar(rule: RetentionRule, rows: list[Row], engine: str, *, staged: bool = False) -> list[tuple[Any, ...]]:
    """The columnar form's figures over a frame of ``rows`` on ``engine``, one tuple per row; ``staged``: the end
    revenue evaluated first into a column, which the other figures read (``expr(..., end=...)``)."""
    data = {"opening": [r[0] for r in rows], "balance": [r[1] for r in rows], "churned": [r[2] for r in rows],
            "returned": [r[3] for r in rows]}
    money = pl.Int128 if engine == "polars-int128" else pl.Int64  # pandas has no Int128
    native = pl.DataFrame(data, schema={"opening": money, "balance": money, "churned": pl.Boolean,
                                        "returned": money})
    if engine == "pandas":
        pytest.importorskip("pandas")
        native = native.to_pandas()
    inputs = [nw.col(name) for name in ("opening", "balance", "churned", "returned")]
    frame = nw.from_native(native, eager_only=True)
    if staged:
        frame = frame.with_columns(**{"#end": rule.expr(*inputs)["end"]})
    forms = rule.expr(*inputs, end=nw.col("#end") if staged else None)
    assert list(AccountRetention._fields) == list(forms)
    found = frame.select(**forms)
    if engine == "polars-int128":
        assert all(found.schema[name] == nw.Int128 for name in AccountRetention._fields if name not in
                   ("starting", "churned"))
    columns = [found[name].to_list() for name in AccountRetention._fields]
    return [tuple(bool(v) if isinstance(v, bool) or type(v).__name__ == "bool_" else int(v) for v in values)
            for values in zip(*columns, strict=True)]


def _around(opening: int) -> st.SearchStrategy[int]:
    """Balances on both sides of each boundary for an account that had ``opening``: 0 and 1, start and one unit
    either side of it, or anything."""
    near = [0, 1, opening, opening + 1, *([opening - 1] if opening > 0 else [])]
    return st.one_of(st.sampled_from(near), st.integers(0, 2 * opening + 2))


@st.composite
def rows(draw: st.DrawFn, high: int = 10**6) -> Row:
    opening = draw(st.one_of(st.just(0), st.just(1), st.integers(0, high)))
    balance = draw(_around(opening))
    churned = draw(st.booleans())
    returned = draw(st.one_of(st.just(0), st.just(balance), st.integers(0, high)))
    return opening, balance, churned, returned


BOUNDARIES: list[Row] = [
    (opening, balance, churned, returned)
    for opening in (0, 1, 2, 100)
    for balance in sorted({0, 1, max(opening - 1, 0), opening, opening + 1})
    for churned in (False, True)
    for returned in (0, balance)
]


@given(st.lists(rows(), min_size=1, max_size=30), st.sampled_from(POLICIES), st.sampled_from(ENGINES), st.booleans())
@example(BOUNDARIES, ReactivationPolicy.EXCLUDE, "polars-int128", False)
@example(BOUNDARIES, ReactivationPolicy.WITHIN_PERIOD, "polars-int128", True)
@example(BOUNDARIES, ReactivationPolicy.EXCLUDE, "pandas", True)
@example(BOUNDARIES, ReactivationPolicy.WITHIN_PERIOD, "pandas", False)
def test_the_columnar_rule_is_the_scalar_rule(batch: list[Row], policy: ReactivationPolicy, engine: str,
                                              staged: bool) -> None:
    """Every figure of every account (end, reactivated, starting, start, churned, churned revenue, contraction,
    expansion) is the same on both sides, on Polars and pandas, with the end revenue evaluated first or not."""
    rule = RetentionRule(policy)
    assert [scalar(rule, row) for row in batch] == columnar(rule, batch, engine, staged=staged)


@given(st.lists(rows(high=2**120), min_size=1, max_size=10), st.sampled_from(POLICIES))
def test_the_rule_holds_for_amounts_only_int128_holds(batch: list[Row], policy: ReactivationPolicy) -> None:
    """Amounts beyond Int64 (the ledger frame's Int128 units of a fine decimal place) count the same."""
    rule = RetentionRule(policy)
    assert [scalar(rule, row) for row in batch] == columnar(rule, batch, "polars-int128")


# ---- the rule, both sides of each boundary ---------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("balance", "kind", "lost", "contraction", "expansion"),
    [
        (0, "churned", 100, 0, 0),  # end == 0: churned, its whole start revenue
        (1, "contracted", 0, 99, 0),  # just above 0: contracted
        (99, "contracted", 0, 1, 0),  # one unit below start: contracted by one unit
        (100, "flat", 0, 0, 0),  # end == start: flat (an expansion of 0)
        (101, "expanded", 0, 0, 1),  # one unit above start: expanded
    ],
)
def test_a_starting_account_nets_against_its_own_start(balance: int, kind: str, lost: int, contraction: int,
                                                         expansion: int, engine: str) -> None:
    """An account that had 100 and did not churn: churned at 0, contracted below 100, expanded or flat from 100."""
    rule = RetentionRule()
    row: Row = (100, balance, False, 0)
    want = (balance, 0, True, 100, kind == "churned", lost, contraction, expansion)
    assert [want] == [scalar(rule, row)] == columnar(rule, [row], engine)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("policy", "opening", "want_end", "want_reactivated"),
    [
        ("EXCLUDE", 100, 0, 80),  # a churn in the period stands; the return is reported apart
        ("WITHIN_PERIOD", 100, 80, 0),  # the return is netted: measured at its end revenue
        ("EXCLUDE", 0, 80, 80),  # not in the cohort: its return is reactivated revenue under either policy
        ("WITHIN_PERIOD", 0, 80, 80),
    ],
)
def test_a_churn_and_a_return_count_by_the_policy(policy: str, opening: int, want_end: int, want_reactivated: int,
                                                  engine: str) -> None:
    """An account that churned in the period and came back with 80: its end revenue and reactivated revenue."""
    rule = RetentionRule(policy)
    row: Row = (opening, 80, True, 80)
    found = [scalar(rule, row), *columnar(rule, [row], engine)]
    assert [(want_end, want_reactivated)] * 2 == [f[:2] for f in found]
    assert len(set(found)) == 1


def test_an_account_without_revenue_at_the_start_is_not_in_the_cohort() -> None:
    """Opening 0: not starting, nothing churned, contracted or expanded, whatever its end."""
    counted = RetentionRule().measure(Decimal(0), Decimal(50), False, Decimal(0))
    assert (False, False) == (counted.starting, counted.churned)
    assert [Decimal(0)] * 4 == [counted.start, counted.churned_revenue, counted.contraction, counted.expansion]


def test_the_rule_is_a_decision_with_both_forms() -> None:
    """It is marked as a decision (scalar ``measure``, columnar ``expr``) and takes the policy by name too."""
    assert is_decision(RetentionRule)
    assert ReactivationPolicy.WITHIN_PERIOD is RetentionRule("within_period").reactivations
    with pytest.raises(UnknownNameError):
        RetentionRule("SOMETIMES")
