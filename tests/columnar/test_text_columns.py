"""A portfolio read as text (a CSV without types): numbers and dates are parsed on every engine alike, and a value
that does not parse rejects its row with the scalar check's words, never an engine's error."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postsale.adapters.frame import review_frame

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")

DAY = date(2026, 11, 30)
DATES = st.sampled_from(["2027-01-31", "2028-02-29", "2027-02-29", "2027-04-31", "2027-13-01", " 2027-06-30 ", "x",
                         "", None])
NUMBERS = st.sampled_from(["1", "9.5", "1e1", " 7 ", "-3", "ten", "", None, ".5", "5."])


def _rows(draw_dates: list[str | None], draw_numbers: list[str | None]) -> dict[str, list[str | None]]:
    n = len(draw_dates)
    return {"account_id": [f"a{i}" for i in range(n)], "segment": ["SMB"] * n,
            "contract_start": ["2026-01-01"] * n, "contract_end": draw_dates, "nps": draw_numbers}


def _answers(result: object, errors: object) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    frame = pl.from_pandas(result) if isinstance(result, pd.DataFrame) else result
    bad = pl.from_pandas(errors) if isinstance(errors, pd.DataFrame) else errors
    kept = sorted(frame.select("account_id", "days_to_renewal", "health").rows())  # type: ignore[attr-defined]
    refused = sorted(bad.select("account_id", "column", "reason").rows())  # type: ignore[attr-defined]
    return kept, refused


@settings(max_examples=12)  # two engines' whole review per example; the long profile runs more
@given(st.lists(st.tuples(DATES, NUMBERS), min_size=1, max_size=8))
def test_pandas_and_polars_read_text_columns_alike(rows: list[tuple[str | None, str | None]]) -> None:
    data = _rows([d for d, _ in rows], [n for _, n in rows])
    on_polars = review_frame(pl.DataFrame(data, schema=dict.fromkeys(data, pl.String)), as_of=DAY)
    for dtype in ("string", "str", object):  # pandas' nullable strings, its default text, Python objects
        on_pandas = review_frame(pd.DataFrame(data, dtype=dtype), as_of=DAY)
        assert _answers(on_polars.results, on_polars.errors) == _answers(on_pandas.results, on_pandas.errors)
    refused = {a for a, *_ in _answers(on_polars.results, on_polars.errors)[1]}
    for i, (end, nps) in enumerate(rows):
        bad_date = end not in (None, "") and end.strip() not in ("2027-01-31", "2028-02-29", "2027-06-30")
        bad_number = nps not in (None, "") and (nps.strip() == "ten" or not 0 <= float(nps) <= 10)  # NPS is 0-10
        assert (f"a{i}" in refused) == (bad_date or bad_number), (end, nps)


@settings(max_examples=12)
@given(st.lists(st.sampled_from(["tech-touch", "PLG", " mm ", "MidMarket", "mid market", "Enterprise", "smb",
                                 "product_led", "giant", "", " "]), min_size=1, max_size=6))
def test_segments_read_by_their_other_names_as_the_scalar_path_reads_them(names: list[str]) -> None:
    """``tech-touch``, ``PLG``, ``MM`` ... are the segment the scalar ``Segment.parse`` gives, on every engine; a name
    it refuses is a rejected row."""
    from postsale import PostsaleError, Segment

    def scalar(name: str) -> str | None:
        try:
            return Segment.parse(name).name
        except PostsaleError:
            return None

    data = {"account_id": [f"a{i}" for i in range(len(names))], "segment": names}
    expected = sorted((f"a{i}", scalar(n)) for i, n in enumerate(names) if scalar(n) is not None)
    for frame in (pl.DataFrame(data), pd.DataFrame(data)):
        result = review_frame(frame, as_of=DAY)
        kept = pl.from_pandas(result.results) if isinstance(result.results, pd.DataFrame) else result.results
        assert sorted(kept.select("account_id", "segment").rows()) == expected
        assert kept.height + len(result.errors) == len(names)
