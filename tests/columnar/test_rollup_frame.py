"""The forecast roll-up over columns equals the scalar roll_up on the same renewals, month by month too."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postsale import InvalidTypeError, InvalidValueError, PostsaleError
from postsale.adapters.frame import REJECTED_SCHEMA, rollup_by_month_frame, rollup_frame
from postsale.renewal import DEFAULT_SCENARIOS, ForecastCategory, RenewalLine, Scenario, roll_up
from tests.strategies.renewal import scenarios as scenario_values

pl = pytest.importorskip("polars")

START, END = date(2027, 3, 31), date(2027, 6, 30)
KINDS = ("polars", "lazy", "pandas")

cents = st.integers(0, 10**10).map(lambda c: Decimal(c).scaleb(-2))
days = st.one_of(st.sampled_from([START - timedelta(days=1), START, END, END + timedelta(days=1), date(2027, 4, 30),
                                  date(2027, 5, 1), date(2027, 2, 28)]),
                 st.dates(min_value=START - timedelta(days=40), max_value=END + timedelta(days=40)))
category_names = st.sampled_from(["COMMIT", "LIKELY", "AT_RISK", "at-risk", " likely ", "Commit"])


@st.composite
def renewals(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Rows of one money form (Decimal, float, whole numbers or text), as a frame and RenewalLine both read them."""
    form = draw(st.sampled_from(["decimal", "float", "int", "text"]))

    def amount(value: Decimal) -> Any:
        return {"decimal": value, "float": float(value), "int": int(value), "text": str(value)}[form]

    return [{"account_id": f"acct-{i}", "renewal_date": draw(days), "arr": amount(draw(cents)),
             "category": draw(category_names),
             "expected_arr": None if draw(st.booleans()) else amount(draw(cents)), "flagged": draw(st.booleans())}
            for i in range(draw(st.integers(0, 12)))]


plans = st.lists(scenario_values, max_size=4, unique_by=lambda s: s.name).map(tuple) | st.just(DEFAULT_SCENARIOS)


def frame_of(rows: list[dict[str, Any]], kind: str = "polars") -> Any:
    columns = ("account_id", "renewal_date", "arr", "category", "expected_arr", "flagged")
    data = {name: [row[name] for row in rows] for name in columns}
    sample = next((row["arr"] for row in rows), Decimal(0))
    money = {Decimal: pl.Decimal(38, 2), float: pl.Float64, int: pl.Int64, str: pl.String}[type(sample)]
    frame = pl.DataFrame(data, schema={"account_id": pl.String, "renewal_date": pl.Date, "arr": money,
                                       "category": pl.String, "expected_arr": money, "flagged": pl.Boolean})
    return frame.to_pandas() if kind == "pandas" else frame.lazy() if kind == "lazy" else frame


def lines_of(rows: list[dict[str, Any]]) -> list[RenewalLine]:
    return [RenewalLine(r["account_id"], r["renewal_date"], r["arr"], r["category"], expected_arr=r["expected_arr"],
                        flagged=r["flagged"]) for r in rows]


def months_of(lines: list[RenewalLine], scenarios: tuple[Scenario, ...]) -> dict[str, Any]:
    found = {}
    for first in sorted({line.renewal_date.replace(day=1) for line in lines if START <= line.renewal_date <= END}):
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        found[f"{first:%Y-%m}"] = roll_up(lines, period_start=max(first, START), period_end=min(last, END),
                                          scenarios=scenarios)
    return found


@settings(max_examples=60, deadline=None)
@given(renewals(), plans, st.sampled_from(KINDS))
def test_the_roll_up_of_a_frame_is_the_scalar_roll_up(rows: list[dict[str, Any]], scenarios: tuple[Scenario, ...],
                                                      kind: str) -> None:
    """Random renewals around the period's ends, in any money form, with random scenarios: the very ForecastRollup
    of roll_up (counts, exact sums per category and scenario, retention, flagged accounts in order)."""
    found = rollup_frame(frame_of(rows, kind), period_start=START, period_end=END, scenarios=scenarios)
    assert roll_up(lines_of(rows), period_start=START, period_end=END, scenarios=scenarios) == found.rollup
    assert found.errors.height == 0


@settings(max_examples=40, deadline=None)
@given(renewals(), plans, st.sampled_from(KINDS))
def test_each_month_is_the_scalar_roll_up_of_that_month(rows: list[dict[str, Any]],
                                                         scenarios: tuple[Scenario, ...], kind: str) -> None:
    """One roll-up per calendar month with a renewal due, clipped to the period: roll_up over that month."""
    found = rollup_by_month_frame(frame_of(rows, kind), period_start=START, period_end=END, scenarios=scenarios)
    want = months_of(lines_of(rows), scenarios)
    assert want == dict(found.months)
    assert found.table.height == len(want) * len(scenarios)


@settings(max_examples=40, deadline=None)
@given(renewals(), st.lists(st.integers(0, 5), max_size=4))
def test_bad_rows_are_reported_and_the_rest_rolled_up(rows: list[dict[str, Any]], spoil: list[int]) -> None:
    """Rows the scalar line refuses (negative ARR, unknown category, blank id, no date) are left out and
    reported with their row; the roll-up is the scalar one of the other rows."""
    text = [{**row, "arr": str(row["arr"]), "expected_arr": None if row["expected_arr"] is None
             else str(row["expected_arr"])} for row in rows]
    bad = {}
    for n, how in enumerate(spoil):
        index = len(text)
        row = {"account_id": f"bad-{n}", "renewal_date": START, "arr": "10", "category": "COMMIT",
               "expected_arr": None, "flagged": False}
        column, value = [("arr", "-1"), ("category", "SURE"), ("account_id", "  "), ("renewal_date", None),
                         ("expected_arr", "inf"), ("arr", "1e16")][how]
        text.append({**row, column: value})
        bad[index] = column
    found = rollup_frame(frame_of(text), period_start=START, period_end=END)
    assert found.rollup == roll_up(lines_of(text[: len(rows)]), period_start=START, period_end=END)
    assert sorted(bad.items()) == sorted(found.errors.select("row", "column").rows())


def test_period_ends_are_included_and_the_days_around_them_not() -> None:
    """A renewal on the first and on the last day of the period is due; the day before and the day after not."""
    rows = [{"account_id": name, "renewal_date": day, "arr": Decimal(1000 * (i + 1)), "category": "COMMIT",
             "expected_arr": None, "flagged": False}
            for i, (name, day) in enumerate([("before", START - timedelta(days=1)), ("first", START),
                                             ("last", END), ("after", END + timedelta(days=1))])]
    found = rollup_frame(frame_of(rows), period_start=START, period_end=END).rollup
    assert (2, Decimal(5000)) == (found.renewals_due, found.arr_due)
    assert roll_up(lines_of(rows), period_start=START, period_end=END) == found


def test_datetimes_are_read_by_their_day_and_iso_text_as_dates() -> None:
    """A pandas datetime column and ISO text give the day they name."""
    frame = pl.DataFrame({"account_id": ["a", "b"], "renewal_date": [datetime(2027, 6, 30, 23, 59), None],
                          "arr": [10, 20], "category": ["COMMIT", "COMMIT"]})
    found = rollup_frame(frame.to_pandas(), period_start=START, period_end=END)
    assert 1 == found.rollup.renewals_due
    assert [(1, "renewal_date")] == found.errors.select("row", "column").rows()
    text = frame.with_columns(pl.lit("2027-06-30").alias("renewal_date"))
    assert 2 == rollup_frame(text, period_start=START, period_end=END).rollup.renewals_due


def test_the_errors_use_the_scalar_words_and_their_columns() -> None:
    """Each rejected value gives its row, account, column, value and the scalar error without the value."""
    frame = pl.DataFrame({"account_id": ["a", "b"], "renewal_date": [START, START], "arr": [-5.0, float("nan")],
                          "category": ["COMMIT", "SURE"]})
    errors = rollup_frame(frame, period_start=START, period_end=END).errors
    assert list(REJECTED_SCHEMA) == errors.columns
    assert [(0, "a", "arr", "-5.0", "arr: is negative; rule: must be >= 0; instead: pass an amount >= 0"),
            (1, "b", "arr", "NaN", "arr: expected an amount of money; instead: pass a Decimal or int"),
            (1, "b", "category", "SURE",
             "category: is not a ForecastCategory; rule: one of AT_RISK, LIKELY, COMMIT; instead: pass one of "
             "AT_RISK, LIKELY, COMMIT")] == errors.rows()


def test_amounts_finer_than_int128_units_and_rounding_scalar_sums_give_the_scalar_answer() -> None:
    """An amount with 30 decimal places, and figures past 28 digits (where the scalar sums round): the frame hands
    the due rows to roll_up, so the answer is still the scalar one."""
    fine = pl.DataFrame({"account_id": ["a", "b"], "renewal_date": [START, END], "arr": ["0." + "1" * 30, "5"],
                         "category": ["LIKELY", "COMMIT"]})
    lines = [RenewalLine("a", START, "0." + "1" * 30, "LIKELY"), RenewalLine("b", END, "5", "COMMIT")]
    assert roll_up(lines, period_start=START, period_end=END) == rollup_frame(
        fine, period_start=START, period_end=END).rollup
    odd = (Scenario("odd", commit=0.123456789012345, likely=0.3333333333333333, at_risk=1e-9),)
    big = pl.DataFrame({"account_id": ["a", "b"], "renewal_date": [START, END],
                        "arr": [Decimal("999999999999999.99"), Decimal("123456789012345.67")],
                        "category": ["LIKELY", "COMMIT"]})
    lines = [RenewalLine("a", START, Decimal("999999999999999.99"), "LIKELY"),
             RenewalLine("b", END, Decimal("123456789012345.67"), "COMMIT")]
    assert roll_up(lines, period_start=START, period_end=END, scenarios=odd) == rollup_frame(
        big, period_start=START, period_end=END, scenarios=odd).rollup


def test_the_review_forecast_column_can_be_the_category() -> None:
    """review_frame's forecast names (COMMIT, LIKELY, AT_RISK) are categories; an unknown name is refused."""
    names = [c.name for c in ForecastCategory]
    frame = pl.DataFrame({"account_id": names, "renewal_date": [START] * 3, "arr": [1, 2, 3], "forecast": names})
    found = rollup_frame(frame.rename({"forecast": "category"}), period_start=START, period_end=END).rollup
    assert [1, 1, 1] == [t.count for t in found.by_category]


@pytest.mark.parametrize(("renewals", "error"), [
    (5, InvalidTypeError), ({"account_id": ["a"]}, InvalidTypeError),
    (pl.DataFrame({"account_id": ["a"], "arr": [1]}), InvalidValueError),
    (pl.DataFrame({"account_id": ["a"], "renewal_date": [START], "arr": [1], "category": ["COMMIT"],
                   "flagged": ["yes"]}), InvalidTypeError),
    (pl.LazyFrame({"account_id": [[1]], "renewal_date": [START], "arr": [1], "category": ["COMMIT"]}),
     InvalidTypeError),
])
def test_a_frame_that_is_not_one_or_lacks_its_columns_is_refused(renewals: Any, error: type[PostsaleError]) -> None:
    """Not a frame, a missing column, a flagged column that is not Boolean, ids that are not text."""
    with pytest.raises(error):
        rollup_frame(renewals, period_start=START, period_end=END)


def test_a_frame_of_another_engine_is_refused_with_the_conversion() -> None:
    """A PyArrow table: refused, saying how to bring it into Polars."""
    pa = pytest.importorskip("pyarrow")
    table = pa.table({"account_id": ["a"], "renewal_date": [START], "arr": [1], "category": ["COMMIT"]})
    with pytest.raises(InvalidValueError, match=r"pl\.from_arrow"):
        rollup_frame(table, period_start=START, period_end=END)


@pytest.mark.parametrize("options", [
    {"period_start": END, "period_end": START}, {"period_start": datetime(2027, 1, 1), "period_end": END},
    {"period_start": START, "period_end": END, "scenarios": 3},
    {"period_start": START, "period_end": END, "scenarios": [DEFAULT_SCENARIOS[0], DEFAULT_SCENARIOS[0]]},
    {"period_start": START, "period_end": END, "scenarios": ["high"]},
])
def test_bad_arguments_are_refused_as_roll_up_refuses_them(options: dict[str, Any]) -> None:
    """The period and the scenarios are checked by roll_up's own rules (a PostsaleError, never a builtin)."""
    frame = pl.DataFrame({"account_id": ["a"], "renewal_date": [START], "arr": [1], "category": ["COMMIT"]})
    with pytest.raises(PostsaleError):
        rollup_frame(frame, **options)
    with pytest.raises(PostsaleError):
        rollup_by_month_frame(frame, **options)
