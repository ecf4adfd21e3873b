"""The columnar renewal status gives the scalar path's answers for every row."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postsale import HealthBand, InvalidValueError, OutOfOrderError, Segment, UnknownNameError
from postsale._columnar_renewal import renewal_columns
from postsale.renewal import DEFAULT_PLAYBOOKS, Contract, RenewalState, renewal_timeline

np = pytest.importorskip("numpy")

MILESTONES = sorted({m.name for pb in DEFAULT_PLAYBOOKS.values() for m in pb.milestones})
AS_OF = date(2026, 11, 1)


@st.composite
def rows(draw: st.DrawFn) -> tuple[Contract, HealthBand | None, dict[str, date]]:
    """A contract ending around the review date, a health band, and some milestones done."""
    segment = draw(st.sampled_from(list(Segment)))
    end = AS_OF + timedelta(days=draw(st.integers(-60, 420)))
    contract = Contract.from_term("a", segment, end - timedelta(days=364), term_months=12, acv=100)
    band = draw(st.none() | st.sampled_from(list(HealthBand)))
    timeline = renewal_timeline(contract, health=band)
    names = [m.name for m in timeline.milestones if m.name in MILESTONES]
    done = {}
    for name in draw(st.lists(st.sampled_from(names), unique=True, max_size=3)) if names else []:
        done[name] = AS_OF - timedelta(days=draw(st.integers(0, 400)))
    return contract, band, done


@given(st.lists(rows(), min_size=1, max_size=25), st.integers(-30, 30))
def test_columnar_equals_scalar(data: list[tuple[Contract, HealthBand | None, dict[str, date]]], shift: int) -> None:
    """State, flags, days to renewal and to the next milestone, and runway dates agree row by row."""
    as_of = AS_OF + timedelta(days=max(shift, 0))
    completed = {name: np.array([row[2].get(name, None) for row in data], dtype="datetime64[D]")
                 for name in MILESTONES}
    cols = renewal_columns(
        np.array([c.end for c, _, _ in data], dtype="datetime64[D]"), [c.segment.name for c, _, _ in data],
        as_of=as_of, health_band=[0 if b is None else int(b) for _, b, _ in data], completed=completed,
    )
    for i, (contract, band, done) in enumerate(data):
        timeline = renewal_timeline(contract, health=band)
        status = timeline.status(as_of, done)
        assert RenewalState(int(cols["state"][i])) is status.state
        assert int(cols["days_to_renewal"][i]) == status.days_to_renewal
        assert int(cols["days_to_next"][i]) == (-1 if status.days_to_next is None else status.days_to_next)
        assert cols["runway_start"][i] == np.datetime64(timeline.runway_start)
        assert cols["latest_start"][i] == np.datetime64(timeline.latest_start)
        assert cols["danger_zone_start"][i] == np.datetime64(timeline.danger_zone_start)
        flags = {f.name.lower() for f in status.flags}
        assert {k for k in ("overdue", "late_start", "danger_zone", "lapsed") if cols[k][i]} == flags


def test_bad_columns_are_refused() -> None:
    """Shapes, missing dates, unknown milestones and completions after as_of are PostsaleErrors."""
    ends = np.array(["2027-01-01", "2027-02-01"], dtype="datetime64[D]")
    with pytest.raises(InvalidValueError, match="segment"):
        renewal_columns(ends, ["SMB"], as_of=AS_OF)
    with pytest.raises(InvalidValueError, match="missing dates"):
        renewal_columns(np.array(["2027-01-01", "NaT"], dtype="datetime64[D]"), ["SMB", "SMB"], as_of=AS_OF)
    with pytest.raises(InvalidValueError, match="not a column of dates"):
        renewal_columns(["soon", "later"], ["SMB", "SMB"], as_of=AS_OF)
    with pytest.raises(InvalidValueError, match="health_band"):
        renewal_columns(ends, ["SMB", "SMB"], as_of=AS_OF, health_band=[1])
    with pytest.raises(InvalidValueError, match="wrong shape"):
        renewal_columns(ends, ["SMB", "SMB"], as_of=AS_OF, completed={"proposal": ["2026-01-01"]})
    with pytest.raises(UnknownNameError, match="are not milestones"):
        renewal_columns(ends, ["SMB", "SMB"], as_of=AS_OF, completed={"party": ends})
    with pytest.raises(OutOfOrderError):
        renewal_columns(ends, ["SMB", "SMB"], as_of=AS_OF, completed={"proposal": ends})
    with pytest.raises(UnknownNameError, match="playbook"):
        renewal_columns(ends, ["SMB", "SMB"], as_of=AS_OF, playbooks={})
    with pytest.raises(InvalidValueError, match="wrong shape"):
        renewal_columns(np.zeros((2, 2), dtype="datetime64[D]"), ["SMB", "SMB"], as_of=AS_OF)
