"""Strategies for the shared vocabulary."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from postsale import AccountSnapshot, Segment, signals

segments = st.sampled_from(list(Segment))
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
money = st.decimals(min_value=0, max_value=Decimal("1e9"), places=2, allow_nan=False, allow_infinity=False)
finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
signal_maps = st.dictionaries(st.sampled_from(sorted(signals.WELL_KNOWN)), finite, max_size=6)


@st.composite
def snapshots(draw: st.DrawFn) -> AccountSnapshot:
    """Valid account snapshots."""
    start = draw(st.none() | dates)
    end = None
    if start is not None:
        end = draw(st.none() | st.integers(1, 3000).map(lambda n: start + timedelta(days=n)))
    purchased = draw(st.integers(0, 10_000))
    return AccountSnapshot(
        account_id=draw(st.text(min_size=1, max_size=8).filter(str.strip)),
        segment=draw(segments),
        as_of=draw(dates),
        acv=draw(money),
        contract_start=start,
        contract_end=end,
        seats_purchased=purchased,
        seats_active=draw(st.integers(0, purchased + 5)),
        signals=draw(signal_maps),
        time_zone=draw(st.sampled_from(["UTC", "Asia/Tokyo", "America/New_York", "Europe/Paris"])),
        labels=draw(st.dictionaries(st.sampled_from(["csm", "region", "source"]), st.text(max_size=5), max_size=3)),
        parent_id=draw(st.none() | st.just("parent")),
    )
