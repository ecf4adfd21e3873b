"""Tests of postsale.adapters.frame: pandas DataFrames from postsale values."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import attrs
import pandas as pd
import pytest

from postsale import AccountSnapshot, InvalidValueError, PostsaleError, Stage, _convert
from postsale.adapters.frame import MissingDependencyError, _pandas, require, to_pandas
from postsale.adapters.sample import sample_journeys
from postsale.cadence import Agenda
from postsale.journey import Journey, analyze
from postsale.touch import BusinessProfile, plan_portfolio
from tests.notebook.examples import harvest

SNAPSHOTS = [
    AccountSnapshot("a", "SMB", date(2026, 1, 31), acv="1200.50", contract_start=date(2025, 2, 1),
                    signals={"nps": 8}),
    AccountSnapshot("b", "ENTERPRISE", date(2026, 2, 28), acv=150000, signals={"nps": 6, "seat_utilisation": 0.7}),
]


def _plan() -> Any:
    company = {"complexity": "LOW_TO_MODERATE", "gross_margin": 0.60, "positioning": "VALUE", "growth_stage": "GROWTH"}
    accounts = (
        [BusinessProfile(acv=150_000, segment="ENTERPRISE", account_id=f"ent-{i}", **company) for i in range(12)]
        + [BusinessProfile(acv=30_000, segment="MID_MARKET", account_id=f"mm-{i}", **company) for i in range(60)]
        + [BusinessProfile(acv=4_000, segment="SMB", account_id=f"smb-{i}", **company) for i in range(528)]
    )
    return plan_portfolio(accounts)


@attrs.frozen
class Line:
    """A test value with optional money and date."""

    amount: Decimal | None
    on: date | None
    at: datetime | None = None


def test_columns_follow_the_fields() -> None:
    """Columns are the JSON fields in order, nested mappings flattened with dotted names."""
    df = to_pandas(SNAPSHOTS)
    assert ["account_id", "segment", "as_of", "acv"] == list(df.columns[:4])
    assert "signals.nps" in df.columns
    assert "signals.seat_utilisation" in df.columns
    assert 2 == len(df)


def test_enums_by_name_dates_as_datetime64_money_exact() -> None:
    """Enums are names, dates datetime64 (None as NaT), money exact Decimal objects by default."""
    df = to_pandas(SNAPSHOTS)
    assert ["SMB", "ENTERPRISE"] == list(df["segment"])
    assert pd.api.types.is_datetime64_dtype(df["as_of"])
    assert pd.Timestamp("2026-01-31") == df["as_of"][0]
    assert pd.isna(df["contract_start"][1])
    assert object == df["acv"].dtype
    assert [Decimal("1200.50"), Decimal("150000")] == list(df["acv"])
    assert Decimal("151200.50") == df["acv"].sum()


def test_money_as_float() -> None:
    """money_as='float' gives float64 money columns with the same values."""
    df = to_pandas(SNAPSHOTS, money_as="float")
    assert "float64" == str(df["acv"].dtype)
    assert [1200.5, 150000.0] == list(df["acv"])


def test_none_money_and_aware_datetimes() -> None:
    """Missing money stays missing; aware datetimes become UTC datetime64."""
    rows = [Line(None, None, datetime(2026, 1, 1, 9, tzinfo=UTC)), Line(Decimal("2.5"), date(2026, 1, 2))]
    df = to_pandas(rows)
    assert df["amount"][0] is None
    assert Decimal("2.5") == df["amount"][1]
    assert isinstance(df["at"].dtype, pd.DatetimeTZDtype)
    assert "UTC" == str(df["at"].dtype.tz)
    as_float = to_pandas(rows, money_as="float")
    assert pd.isna(as_float["amount"][0])


def test_flatten_false_keeps_nested_dicts() -> None:
    """flatten=False keeps nested objects as dicts in one column."""
    df = to_pandas(SNAPSHOTS, flatten=False)
    assert {"nps": 8.0} == df["signals"][0]
    assert pd.api.types.is_datetime64_dtype(df["as_of"])


def test_one_value_holding_a_collection() -> None:
    """A portfolio plan gives one row per tier, with its cost share flattened and money exact."""
    plan = _plan()
    df = to_pandas(plan)
    assert ["HIGH", "LOW", "TECH"] == list(df["model"])
    assert [12, 60, 528] == list(df["accounts"])
    assert [t.revenue for t in plan.tiers] == list(df["revenue"])
    assert ["OVER_SPENT", "HEALTHY", "HEALTHY"] == list(df["cost_share.status"])
    assert pytest.approx([1 / 6, 2 / 15, 240000 / 2112000]) == list(df["cost_share.share"])


def test_analytics_rows_per_stage_and_chosen_field() -> None:
    """Journey analytics give one row per stage, indexed by stage name; field= picks another collection."""
    stats = analyze(sample_journeys(40))
    completion = to_pandas(stats)
    assert "key" == completion.index.name
    assert [s.name for s in Stage] == list(completion.index)
    assert stats.completion[Stage.ADOPTION].entered == completion.loc["ADOPTION", "entered"]
    velocity = to_pandas(stats, field="velocity")
    assert "mean_days" in velocity.columns
    assert "float64" == str(velocity["mean_days"].dtype)


def test_bad_field_is_refused() -> None:
    """field= must name a collection field."""
    with pytest.raises(InvalidValueError, match="field='journeys'"):
        to_pandas(analyze(sample_journeys(5)), field="journeys")


def test_one_plain_value_is_one_row() -> None:
    """A value without a collection of values inside gives a single row."""
    df = to_pandas(SNAPSHOTS[0])
    assert 1 == len(df)
    assert "a" == df["account_id"][0]


def test_mapping_keys_become_the_index() -> None:
    """A mapping's keys (enums by name) become the index."""
    df = to_pandas({Stage.ADOPTION: SNAPSHOTS[0], Stage.RENEWAL: SNAPSHOTS[1]})
    assert ["ADOPTION", "RENEWAL"] == list(df.index)


def test_journeys_use_their_json_form() -> None:
    """Journeys (a custom plain-data form) give their JSON fields as columns."""
    df = to_pandas([Journey.start("acme", "SMB", on=date(2026, 1, 5))])
    assert ["account_id", "segment", "labels", "events"] == list(df.columns)
    assert "2026-01-05" == df["events"][0][0]["at"]


def test_scalars_and_empty() -> None:
    """Plain items become a 'value' column; no items give an empty frame."""
    assert [1, 2] == list(to_pandas([1, 2])["value"])
    assert [1, 2] == list(to_pandas([1, 2], flatten=False)["value"])
    assert 0 == len(to_pandas([]))


def test_agenda_touches_have_utc_due_times() -> None:
    """An agenda gives its touches, due times as UTC datetime64."""
    agenda = harvest()[Agenda]
    df = to_pandas(agenda)
    assert len(agenda.touches) == len(df)
    assert "UTC" in str(df["due_at"].dtype)
    assert agenda.touches[0].due_at == df["due_at"][0].to_pydatetime()


def test_every_documented_value_converts() -> None:
    """Every public value from the documented examples converts to a frame with at least one column."""
    for value in harvest().values():
        df = to_pandas([value])
        assert 1 == len(df)


@pytest.mark.parametrize("bad", ["text", 42, None])
def test_not_values_are_refused(bad: Any) -> None:
    """Strings and non-iterables are refused with an error naming the argument."""
    with pytest.raises(InvalidValueError, match="values="):
        to_pandas(bad)


def test_unknown_money_representation() -> None:
    """money_as accepts 'decimal' or 'float' only."""
    with pytest.raises(InvalidValueError, match="money_as='cents'"):
        to_pandas(SNAPSHOTS, money_as="cents")  # type: ignore[arg-type]


def test_missing_pandas_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without pandas the error is a PostsaleError and an ImportError naming postsale[frame]."""
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingDependencyError) as caught:
        to_pandas(SNAPSHOTS)
    assert isinstance(caught.value, PostsaleError)
    assert isinstance(caught.value, ImportError)
    assert "pip install 'postsale[frame]'" in str(caught.value)


def test_require_returns_the_module() -> None:
    """require() imports and returns an installed module."""
    assert pd is require("pandas", "frame")


@attrs.frozen
class Renamed:
    """A test value whose plain-data hook renames its field."""

    amount: Decimal


_convert.register(lambda converter: converter.register_unstructure_hook(Renamed, lambda v: {"total": str(v.amount)}))


def test_renamed_fields_keep_their_json_form() -> None:
    """A field renamed by a serialization hook keeps its JSON form (no type is guessed)."""
    df = to_pandas([Renamed(Decimal("1.5"))])
    assert ["total"] == list(df.columns)
    assert "1.5" == df["total"][0]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("2.50", Decimal("2.50")), (3, Decimal(3)), (Decimal("1.1"), Decimal("1.1")), (None, None),
     (float("nan"), None), (True, None)],
)
def test_money_cells_back_to_decimal(cell: Any, expected: Decimal | None) -> None:
    """Money cells read back exactly; missing cells stay missing."""
    assert expected == _pandas._exact(cell)


def test_adapters_import_without_pandas_or_matplotlib() -> None:
    """Importing postsale and its notebook adapters loads neither pandas nor matplotlib."""
    code = (
        "import sys; import postsale, postsale.adapters.display, postsale.adapters.frame, postsale.adapters.plot; "
        "print(sorted(m for m in ('pandas', 'matplotlib', 'numpy', 'narwhals', 'polars') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "[]" == result.stdout.strip()
