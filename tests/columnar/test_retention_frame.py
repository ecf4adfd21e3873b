"""Retention over columns equals the scalar retention of the same revenue ledger, by cohort too."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postsale import InvalidTypeError, InvalidValueError, PostsaleError, UnknownNameError
from postsale.adapters.frame import REJECTED_SCHEMA, retention_frame
from postsale.kpi import (
    RetentionDefinition,
    RevenueLedger,
    RevenueMovement,
    cohorts_by_start_month,
    retention,
    retention_by_cohort,
)
from tests.strategies.kpi import PERIOD_START, definitions, ledgers_with_cohort

pl = pytest.importorskip("polars")

KINDS = ("polars", "lazy", "pandas")
starts = st.sampled_from([PERIOD_START, PERIOD_START + timedelta(days=1), date(2023, 6, 30), date(2024, 2, 29)])


def frame_of(movements: list[RevenueMovement], kind: str = "polars", money: str = "decimal",
             cohorts: dict[str, str] | None = None) -> Any:
    def amount(value: Decimal) -> Any:
        return {"decimal": value, "float": float(value), "text": str(value)}[money]

    data: dict[str, list[Any]] = {
        "account_id": [m.account_id for m in movements], "on": [m.on for m in movements],
        "kind": [m.kind.name.lower() for m in movements], "amount": [amount(m.amount) for m in movements],
        "motion": [None if m.motion.name == "UNSPECIFIED" else m.motion.name for m in movements]}
    if cohorts is not None:
        data["cohort"] = [cohorts.get(m.account_id) for m in movements]
    dtype = {"decimal": pl.Decimal(38, 2), "float": pl.Float64, "text": pl.String}[money]
    frame = pl.DataFrame(data, schema_overrides={"amount": dtype, "motion": pl.String})
    return frame.to_pandas() if kind == "pandas" else frame.lazy() if kind == "lazy" else frame


def floats(ledger: RevenueLedger) -> RevenueLedger:
    """The ledger as the scalar path reads the float amounts of a frame (the shortest decimal of each float)."""
    return RevenueLedger([RevenueMovement(m.account_id, m.on, m.kind, float(m.amount), m.motion)
                          for m in ledger.movements])


def has_cohort(ledger: RevenueLedger, start: date) -> bool:
    return any(ledger.revenue_at(a, start) > 0 for a in ledger.accounts)


@settings(max_examples=60, deadline=None)
@given(ledgers_with_cohort(), definitions, starts, st.sampled_from(KINDS), st.sampled_from(["decimal", "float",
                                                                                             "text"]))
def test_the_report_of_a_frame_is_the_scalar_report(ledger: RevenueLedger, definition: RetentionDefinition,
                                                    start: date, kind: str, money: str) -> None:
    """Random valid ledgers (expansions by motion, contractions, churns, reactivations, same-day movements), any
    definition and start, amounts as Decimal, float or text: the very RetentionReport of retention()."""
    if not has_cohort(ledger, start):
        start = PERIOD_START
    want = retention(floats(ledger) if money == "float" else ledger, start=start, definition=definition)
    found = retention_frame(frame_of(list(ledger.movements), kind, money), start=start, definition=definition)
    assert want == found.report
    assert (None, 0) == (found.breakdown, found.errors.height)


@settings(max_examples=40, deadline=None)
@given(ledgers_with_cohort(), definitions, st.sampled_from(KINDS), st.booleans())
def test_the_breakdown_by_cohort_is_the_scalar_breakdown(ledger: RevenueLedger, definition: RetentionDefinition,
                                                         kind: str, by_column: bool) -> None:
    """Cohorts from a mapping or from a column of the ledger: the RetentionBreakdown of retention_by_cohort."""
    keys = cohorts_by_start_month(ledger)
    want = retention_by_cohort(ledger, start=PERIOD_START, cohorts=keys, definition=definition)
    frame = frame_of(list(ledger.movements), kind, cohorts=keys if by_column else None)
    found = retention_frame(frame, start=PERIOD_START, definition=definition, cohorts="cohort" if by_column else keys)
    assert want == found.breakdown
    assert want.total == found.report


@settings(max_examples=40, deadline=None)
@given(ledgers_with_cohort(), st.lists(st.integers(0, 8), max_size=5))
def test_bad_rows_and_broken_histories_leave_their_account_out(ledger: RevenueLedger, spoil: list[int]) -> None:
    """A bad value (no date, unknown kind, amount not > 0, a motion on a churn) or a history that does not hold
    together (no NEW first, a second NEW, a churn of more than the revenue ...) leaves its account out, reported
    with its row; the report is the scalar one of the other accounts."""
    rows = frame_of(list(ledger.movements)).with_columns(pl.col("amount").cast(pl.String))
    extra: list[tuple[Any, ...]] = []
    expected = []
    for n, how in enumerate(spoil):
        account = f"bad-{n}"
        new = (account, date(2023, 1, 1), "new", "100.125", None)  # finer than the other accounts' cents
        bad, column, first = [
            [new, (account, None, "expansion", "5", None)], "on", 1,
        ] if how == 0 else [
            [new, (account, date(2023, 2, 1), "upgrade", "5", None)], "kind", 1,
        ] if how == 1 else [
            [new, (account, date(2023, 2, 1), "expansion", "0", None)], "amount", 1,
        ] if how == 2 else [
            [new, (account, date(2023, 2, 1), "churn", "100", "UPSELL")], "motion", 1,
        ] if how == 3 else [
            [(account, date(2023, 1, 1), "expansion", "5", None)], "kind", 0,
        ] if how == 4 else [
            [new, (account, date(2023, 3, 1), "new", "5", None)], "kind", 1,
        ] if how == 5 else [
            [new, (account, date(2023, 3, 1), "churn", "150", None)], "amount", 1,
        ] if how == 6 else [
            [new, (account, date(2023, 3, 1), "contraction", "100.125", None)], "amount", 1,
        ] if how == 7 else [
            [new, (account, date(2023, 3, 1), "reactivation", "100", None)], "kind", 1,
        ]
        expected.append((rows.height + len(extra) + first, column))
        extra += bad
    frame = pl.concat([rows, pl.DataFrame(extra, schema=rows.schema, orient="row")])
    found = retention_frame(frame, start=PERIOD_START)
    assert retention(ledger, start=PERIOD_START) == found.report
    assert sorted(expected) == sorted(found.errors.select("row", "column").rows())


def test_a_period_starts_on_its_first_day_and_ends_before_its_anniversary() -> None:
    """A movement the day before the start counts in the opening revenue; one on the start day in the period; one
    on the first day after the period is outside it; the day before it is inside."""
    start = date(2025, 1, 1)
    moves = [RevenueMovement("a", start - timedelta(days=1), "NEW", 100),
             RevenueMovement("b", start, "NEW", 50), RevenueMovement("a", start, "EXPANSION", 10),
             RevenueMovement("a", date(2025, 12, 31), "EXPANSION", 1),
             RevenueMovement("a", date(2026, 1, 1), "EXPANSION", 1000)]
    found = retention_frame(frame_of(moves), start=start).report
    assert (Decimal(100), Decimal(11), Decimal(50)) == (found.start_revenue, found.expansion_revenue,
                                                        found.new_business_revenue)
    assert retention(RevenueLedger(moves), start=start) == found


def test_the_errors_give_the_row_the_column_the_value_and_the_scalar_words() -> None:
    """A zero amount reads with the words of RevenueMovement's error; a churn of the wrong size with the ledger's."""
    frame = pl.DataFrame({"account_id": ["a", "b", "b", "c"],
                          "on": [date(2024, 1, 1), date(2024, 1, 1), date(2024, 6, 1), date(2024, 1, 1)],
                          "kind": ["NEW", "NEW", "CHURN", "NEW"], "amount": [0, 10, 9, 5]})
    found = retention_frame(frame, start=date(2025, 1, 1))
    assert list(REJECTED_SCHEMA) == found.errors.columns
    assert [(0, "a", "amount", "0", "amount: is zero; rule: must be > 0; instead: pass a positive amount"),
            (2, "b", "amount", "9")] == [row[:4] if row[0] == 2 else row for row in found.errors.rows()]
    assert 1 == found.report.accounts_at_start


def test_amounts_finer_than_int128_units_go_through_the_scalar_ledger() -> None:
    """Amounts with 30 decimal places: the scalar ledger replays them, so the report is still the scalar one."""
    tiny = "0." + "0" * 29 + "1"
    moves = [RevenueMovement("a", date(2024, 1, 1), "NEW", Decimal(tiny)),
             RevenueMovement("b", date(2024, 1, 1), "NEW", 7),
             RevenueMovement("a", date(2025, 3, 1), "EXPANSION", 2)]
    frame = frame_of(moves, money="text").vstack(pl.DataFrame(
        [("c", date(2024, 1, 1), "CHURN", "1", None)], schema=frame_of(moves, money="text").schema, orient="row"))
    found = retention_frame(frame, start=date(2025, 1, 1))
    assert retention(RevenueLedger(moves), start=date(2025, 1, 1)) == found.report
    assert [(3, "c", "kind")] == found.errors.select("row", "account_id", "column").rows()


def test_a_cohort_column_with_two_keys_for_one_account_or_none_for_a_starting_one_leaves_it_out() -> None:
    """One cohort per account: two keys, or no key for an account with revenue at the start, is reported."""
    frame = pl.DataFrame({"account_id": ["a", "b", "b", "c"], "on": [date(2024, 1, 1)] * 4,
                          "kind": ["NEW", "NEW", "EXPANSION", "NEW"], "amount": [10, 10, 5, 10],
                          "region": ["EU", "EU", "US", None]})
    found = retention_frame(frame, start=date(2025, 1, 1), cohorts="region")
    assert [(1, "b", "region"), (3, "c", "region")] == found.errors.select("row", "account_id", "column").rows()
    assert ("EU",) == found.breakdown.keys if found.breakdown else ()


def test_a_mapping_without_a_starting_account_is_refused_as_retention_by_cohort_refuses_it() -> None:
    """The scalar's UnknownNameError, naming the accounts without a key."""
    frame = frame_of([RevenueMovement("a", date(2024, 1, 1), "NEW", 10)])
    with pytest.raises(UnknownNameError, match="'a'"):
        retention_frame(frame, start=date(2025, 1, 1), cohorts={"b": "EU"})


@pytest.mark.parametrize(("options", "error"), [
    ({"ledger": 5}, InvalidTypeError), ({"ledger": {"account_id": ["a"]}}, InvalidTypeError),
    ({"start": datetime(2025, 1, 1)}, InvalidTypeError), ({"definition": "ARR"}, InvalidTypeError),
    ({"cohorts": 3}, InvalidTypeError), ({"cohorts": "region"}, InvalidValueError),
    ({"start": date(9999, 6, 1)}, InvalidValueError), ({"start": date(2020, 1, 1)}, InvalidValueError),
    ({"ledger": pl.DataFrame({"account_id": ["a"], "on": [date(2024, 1, 1)]})}, InvalidValueError),
])
def test_bad_arguments_are_refused_with_a_postsale_error(options: dict[str, Any], error: type[PostsaleError]) -> None:
    """Not a frame, a missing column, a datetime start, a definition or cohorts of the wrong type, a period past
    the calendar, an empty starting cohort: a PostsaleError, never a builtin."""
    arguments = {"ledger": frame_of([RevenueMovement("a", date(2024, 1, 1), "NEW", 10)]), "start": date(2025, 1, 1),
                 **options}
    with pytest.raises(error):
        retention_frame(**arguments)
