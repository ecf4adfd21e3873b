"""The kernel's day counting: three ways to turn a date into days, one answer, on every engine that uses each."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from postsale import UnknownNameError
from postsale._columnar import Env
from tests.columnar.backends import frame, nw

DAYS = st.one_of(
    st.none(),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    st.sampled_from([date(2024, 2, 29), date(2026, 12, 31), date(1970, 1, 1), date(1969, 12, 31)]),
)
MODES = {"polars": ("seconds", "epoch", "civil"), "pyarrow": ("seconds", "epoch"), "duckdb": ("seconds", "civil")}


@settings(max_examples=25)
@given(days=st.lists(DAYS, min_size=1, max_size=30), as_of=st.dates(min_value=date(1990, 1, 1)))
@example(days=[date(2024, 2, 29), None, date(2026, 11, 1)], as_of=date(2026, 11, 1))
def test_every_way_of_counting_days_gives_the_calendar_s_answer(days: list[date | None], as_of: date) -> None:
    """``days_until`` and ``days_since`` equal ``(date - as_of).days`` (null for no date) in every mode."""
    rows = [{"d": d} for d in days]
    expected = [None if d is None else float((d - as_of).days) for d in days]
    for backend, modes in MODES.items():
        lazy = nw.from_native(frame(rows, {"d": "date"}, backend)).lazy()
        for mode in modes:
            env = Env(["d"], as_of=as_of, days=mode)
            out = lazy.select(until=env.days_until("d"), since=env.days_since("d")).collect()
            assert out["until"].to_list() == expected, (backend, mode)
            assert out["since"].to_list() == [None if e is None else -e for e in expected], (backend, mode)


def test_a_date_s_derived_day_count_is_read_not_computed_again() -> None:
    """With ``days_to_renewal`` computed by the entry point, the days to ``contract_end`` read that column."""
    env = Env(["contract_end", "days_to_renewal"], as_of=date(2026, 11, 1), computed=["days_to_renewal"])
    native = frame([{"contract_end": date(2026, 12, 1), "days_to_renewal": 7.0}],
                   {"contract_end": "date", "days_to_renewal": "float"}, "polars")
    out = nw.from_native(native).select(until=env.days_until("contract_end"), since=env.days_since("contract_end"))
    assert out.row(0) == (7.0, -7.0)
    given_by_user = Env(["contract_end", "days_to_renewal"], as_of=date(2026, 11, 1))
    assert nw.from_native(native).select(given_by_user.days_until("contract_end")).item() == 30.0


def test_an_unknown_way_of_counting_days_is_refused() -> None:
    with pytest.raises(UnknownNameError, match="days='julian': must be one of seconds, epoch, civil"):
        Env([], as_of=date(2026, 11, 1), days="julian")
