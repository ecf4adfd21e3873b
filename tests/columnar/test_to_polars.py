"""Results as any dataframe: Polars frames with enums, dates and exact money; pandas categoricals; band colours."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import postsale
from postsale.review import review_account

pl = pytest.importorskip("polars")
pd = pytest.importorskip("pandas")

from postsale.adapters.frame import band_styler, to_pandas, to_polars  # noqa: E402
from postsale.adapters.frame._pandas import BAND_COLORS  # noqa: E402


def _snapshots() -> list[postsale.AccountSnapshot]:
    return [postsale.AccountSnapshot(f"a{i}", segment, date(2026, 11, 1), acv=Decimal(acv),
                                     contract_start=date(2026, 1, 1), contract_end=date(2026, 12, 31),
                                     signals={"nps": nps, "sentiment": 60})
            for i, (segment, acv, nps) in enumerate([("SMB", "1200.50", 9), ("ENTERPRISE", "150000", 2),
                                                     ("MID_MARKET", "48000.25", 6)])]


def test_values_become_polars_with_enums_dates_and_exact_money() -> None:
    snapshots = _snapshots()
    frame = to_polars(snapshots)
    assert frame.schema["segment"] == pl.Enum(["ENTERPRISE", "MID_MARKET", "SMB", "PRODUCT_LED"])
    assert frame.schema["as_of"] == pl.Date and frame.schema["contract_end"] == pl.Date
    assert frame["acv"].to_list() == [s.acv for s in snapshots]
    assert to_polars(snapshots, money_as="float").schema["acv"] == pl.Float64
    plain = pl.from_pandas(to_pandas(snapshots)).drop("segment", "acv")
    assert frame.drop("segment", "acv").rows() == plain.with_columns(
        pl.col("as_of", "contract_start", "contract_end").cast(pl.Date)).rows()


def test_reviews_become_frames_whose_enums_keep_their_order() -> None:
    reviews = [review_account(s) for s in _snapshots()]
    frame = to_polars(reviews)
    assert frame.schema["band"] == pl.Enum([b.name for b in postsale.HealthBand])
    assert frame.schema["renewal_date"] == pl.Date
    assert frame["band"].cast(pl.String).to_list() == [r.health.band.name for r in reviews]
    table = to_pandas(reviews, categorical=True)
    assert list(table["forecast"].cat.categories) == ["AT_RISK", "LIKELY", "COMMIT"] and table["forecast"].cat.ordered
    scores = to_pandas([r.health for r in reviews], categorical=True)
    assert list(scores["band"].cat.categories) == [b.name for b in postsale.HealthBand]


def test_bands_are_coloured_in_a_styled_table() -> None:
    frame = to_pandas([review_account(s) for s in _snapshots()])
    page = band_styler(frame).to_html()
    assert "#2E7D32" in page and "#C62828" in page  # GREEN and RED bands
    with pytest.raises(postsale.InvalidTypeError):
        band_styler(pl.from_pandas(frame).lazy())
    with pytest.raises(postsale.InvalidTypeError):
        band_styler(frame, columns=[1])  # type: ignore[list-item]
    with pytest.raises(postsale.InvalidTypeError):
        to_pandas(_snapshots(), categorical="yes")  # type: ignore[arg-type]


def test_a_polars_frame_displays_with_its_bands_coloured() -> None:
    """Polars' own display (Great Tables, ``frame.style``): each band cell filled with its colour and the health
    value written in the colour of its band, GREEN from 70 and YELLOW from 40 (both sides of each edge)."""
    import re

    frame = to_polars([review_account(s) for s in _snapshots()]).select("account_id", "band", "health")
    styled = band_styler(frame)
    page = styled.as_raw_html()
    for band in frame["band"].cast(pl.String).unique():
        assert re.search(rf'background-color: {BAND_COLORS[band]};[^>]*>{band}<', page)
    edges = pl.DataFrame({"account_id": list("abcd"), "health": [70.0, 69.9, 40.0, 39.9]})
    page = band_styler(edges).as_raw_html()
    colors = re.findall(r'style="color: (#[0-9A-F]{6});font-weight: bold;"[^>]*>([0-9.]+)<', page)
    assert sorted(colors, key=lambda c: -float(c[1])) == [
        (BAND_COLORS["GREEN"], "70.0"), (BAND_COLORS["YELLOW"], "69.9"),
        (BAND_COLORS["YELLOW"], "40.0"), (BAND_COLORS["RED"], "39.9")]
