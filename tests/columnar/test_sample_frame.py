"""The synthetic portfolio as one frame: seeded, reviewable on the columnar path as the scalar review reads it."""

from __future__ import annotations

from datetime import date

import pytest

import postsale
from postsale.review import review_account

pl = pytest.importorskip("polars")

from postsale.adapters.frame import review_frame, sample_frame  # noqa: E402

DAY = date(2026, 11, 1)


def test_the_same_arguments_give_the_same_frame_and_every_row_is_reviewed() -> None:
    frame = sample_frame(2_000, seed=5, as_of=DAY)
    assert frame.equals(sample_frame(2_000, seed=5, as_of=DAY))
    assert not frame.equals(sample_frame(2_000, seed=6, as_of=DAY))
    assert frame["account_id"].n_unique() == 2_000
    review = review_frame(frame, as_of=DAY)
    assert review.errors.height == 0 and review.results.height == 2_000
    assert set(review.results["band"].unique()) == {"GREEN", "YELLOW", "RED"}
    assert (frame["contract_end"] > DAY).all() and (frame["contract_start"] <= DAY).all()


def test_a_row_reviewed_alone_gives_the_frames_answer() -> None:
    frame = sample_frame(50, seed=2, as_of=DAY)
    results = review_frame(frame, as_of=DAY).results
    for row in frame.head(10).iter_rows(named=True):
        values = {k: v for k, v in row.items() if k not in ("account_id", "segment", "csm", "acv", "seats_purchased",
                                                             "seats_active", "contract_start", "contract_end")}
        snapshot = postsale.AccountSnapshot(
            row["account_id"], row["segment"], DAY, acv=row["acv"], seats_purchased=int(row["seats_purchased"]),
            seats_active=int(row["seats_active"]), contract_start=row["contract_start"],
            contract_end=row["contract_end"], signals=values)
        alone = review_account(snapshot)
        got = results.filter(pl.col("account_id") == row["account_id"]).row(0, named=True)
        assert got["health"] == pytest.approx(alone.health.value) and got["band"] == alone.health.band.name
        assert got["forecast"] == (alone.forecast.category.name if alone.forecast else None)


def test_sizes_and_seeds_are_checked() -> None:
    for bad in (0, -1, 10_000_001, 2.5, True):
        with pytest.raises(postsale.InvalidValueError):
            sample_frame(bad)  # type: ignore[arg-type]
    with pytest.raises(postsale.InvalidValueError):
        sample_frame(5, seed="x")  # type: ignore[arg-type]
    with pytest.raises(postsale.InvalidTypeError):
        sample_frame(5, as_of="2026-11-01")  # type: ignore[arg-type]
