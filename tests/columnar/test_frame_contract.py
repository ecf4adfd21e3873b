"""A bad row never hides a good one: every row of a frame is either reviewed or rejected, never both, never lost."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postsale.adapters.frame import review_frame
from tests.columnar.backends import frame

pl = pytest.importorskip("polars")

AS_OF = date(2026, 11, 1)
SCHEMA: dict[str, Any] = {"account_id": "str", "segment": "str", "acv": "float", "seats_purchased": "float",
                          "seats_active": "float", "nps": "float", "logins_week": "float",
                          "contract_start": "date", "contract_end": "date"}
GOOD: dict[str, Any] = {"segment": "SMB", "acv": 6000.0, "seats_purchased": 10.0, "seats_active": 4.0, "nps": 8.0,
                        "logins_week": 12.0, "contract_start": date(2026, 1, 1), "contract_end": date(2026, 12, 31)}
FLAWS: dict[str, dict[str, Any]] = {
    "negative acv": {"acv": -1.0},
    "NPS off its scale": {"nps": 45.0},
    "half a seat": {"seats_purchased": 10.5},
    "infinite signal": {"logins_week": float("inf")},
    "negative count": {"logins_week": -3.0},
    "unknown segment": {"segment": "GALACTIC"},
    "contract ends before it starts": {"contract_end": date(2025, 6, 1)},
    "blank id": {"account_id": "  "},
}


@st.composite
def portfolios(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Rows with unique ids, some of them flawed, some ids repeated."""
    size = draw(st.integers(1, 25))
    rows = []
    for i in range(size):
        flaw = draw(st.none() | st.sampled_from(sorted(FLAWS)))
        rows.append({"account_id": f"A{i}", **GOOD, "nps": draw(st.sampled_from([0.0, 6.0, 9.0, 10.0])),
                     **(FLAWS[flaw] if flaw else {})})
    for _ in range(draw(st.integers(0, 3))):  # a repeated id: every row holding it is rejected
        rows.append({**draw(st.sampled_from(rows)), "nps": 7.0})
    return rows


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=portfolios(), kind=st.sampled_from(["polars", "polars-lazy", "pandas"]))
def test_reviewed_and_rejected_add_up_to_the_input(rows: list[dict[str, Any]], kind: str) -> None:
    """reviewed + rejected = input; each good row's answers are those it gets reviewed alone."""
    native = frame(rows, SCHEMA, "pandas" if kind == "pandas" else "polars")
    review = review_frame(native.lazy() if kind == "polars-lazy" else native, as_of=AS_OF)
    results = pl.from_pandas(review.results) if kind == "pandas" else review.results
    errors = pl.from_pandas(review.errors) if kind == "pandas" else review.errors
    if kind == "polars-lazy":
        results, errors = results.collect(), errors.collect()
    rejected_ids = set(errors["account_id"].to_list())
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["account_id"]] = counts.get(row["account_id"], 0) + 1
    rejected = [row for row in rows if row["account_id"] in rejected_ids]
    assert results.height + len(rejected) == len(rows)
    assert not set(results["account_id"].to_list()) & rejected_ids
    assert all(counts[row["account_id"]] == 1 for row in rows if row["account_id"] not in rejected_ids)
    good = [row for row in rows if row["account_id"] not in rejected_ids]
    if good:
        alone = review_frame(frame(good, SCHEMA, "polars"), as_of=AS_OF).results
        assert results.sort("account_id").rows() == alone.sort("account_id").rows()
