"""score_frame on pandas, and the same through Dask's map_partitions on a local cluster."""

from __future__ import annotations

from datetime import date

import pytest

from postsale import InvalidTypeError, InvalidValueError
from postsale.adapters.frame import score_frame, to_pandas
from postsale.adapters.sample import sample_portfolio
from postsale.review import review_account

pd = pytest.importorskip("pandas")
AS_OF = date(2026, 11, 1)


@pytest.fixture(scope="module")
def accounts() -> object:
    """The sample's latest snapshots as a flat DataFrame (to_pandas layout)."""
    portfolio = sample_portfolio(400)
    return to_pandas(portfolio.snapshots(), money_as="float")


def test_score_frame_agrees_with_the_scalar_review(accounts: object) -> None:
    """Health band, touch model, renewal state and days agree with review_account row by row."""
    portfolio = sample_portfolio(400)
    scored = score_frame(accounts, as_of=AS_OF)
    for i, snapshot in enumerate(portfolio.snapshots()):
        review = review_account(snapshot)
        row = scored.iloc[i]
        assert row["band"] == (None if review.health is None else review.health.band.name)
        assert row["touch_model"] == review.touch.model.name  # type: ignore[union-attr]
        assert row["renewal_state"] == review.renewal.state.name  # type: ignore[union-attr]
        assert row["days_to_renewal"] == review.renewal.days_to_renewal  # type: ignore[union-attr]
    assert set(scored.attrs["skipped_rules"]) == {"H3", "M4"}  # no days_in_band or first_value column


def test_map_partitions_on_a_local_dask_cluster(accounts: object) -> None:
    """Scoring a Dask DataFrame partition by partition gives the pandas answer."""
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    expected = score_frame(accounts, as_of=AS_OF)
    with distributed.LocalCluster(n_workers=2, processes=False, dashboard_address=None) as cluster, \
            distributed.Client(cluster):
        ddf = dd.from_pandas(accounts, npartitions=4)
        result = ddf.map_partitions(score_frame, as_of=AS_OF, meta=expected.iloc[:0]).compute()
    pd.testing.assert_frame_equal(result.sort_index(), expected.sort_index(), check_dtype=False)


def test_bad_frames_are_refused() -> None:
    """Not a DataFrame, or no segment column, is a PostsaleError."""
    with pytest.raises(InvalidTypeError, match="DataFrame"):
        score_frame({"segment": ["SMB"]}, as_of=AS_OF)
    with pytest.raises(InvalidValueError, match="segment"):
        score_frame(pd.DataFrame({"acv": [1.0]}), as_of=AS_OF)


def test_rows_without_a_contract_or_health_data() -> None:
    """Rows without contract_end have no renewal state; unscored rows fire no health rules."""
    frame = pd.DataFrame({"segment": ["SMB", "SMB"], "acv": [1000.0, 2000.0], "nps": [float("nan")] * 2,
                          "contract_end": pd.to_datetime([None, "2026-12-01"]),
                          "previous_health_score": [90.0, 90.0]})
    scored = score_frame(frame, as_of=AS_OF)
    assert pd.isna(scored["renewal_state"].iloc[0])
    assert scored["renewal_state"].iloc[1] == "DANGER_ZONE"
    assert scored["band"].isna().all()
    assert not scored["hit.H1"].any() and not scored["hit.H2"].any()
