"""The renewal playbooks are settings: ``ReviewSettings(renewal=StateOrder(...))`` changes the renewal timeline,
state and forecast of ``review_account`` and of ``review_frame`` alike."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postsale import AccountSnapshot, PostsaleError, Segment
from postsale.adapters.frame import review_frame
from postsale.renewal import DEFAULT_PLAYBOOKS, MILESTONE, StateOrder
from postsale.review import AccountInput, ReviewSettings, review_account
from tests.columnar.test_renewal_milestones import AS_OF, NAMES, accounts

pl = pytest.importorskip("polars")


def _longer(segment: Segment, days: int) -> Any:
    """The segment's default playbook with a runway of ``days`` (its first milestone moved there, the latest start
    half way)."""
    playbook = DEFAULT_PLAYBOOKS[segment]
    first, *rest = playbook.milestones
    return attrs.evolve(playbook, name=f"{playbook.name}-{days}", runway_days=days,
                        latest_start_days=max(days // 2, rest[0].days_before if rest else 0),
                        milestones=(attrs.evolve(first, days_before=days), *rest))


LONG_RUNWAYS = StateOrder(playbooks={segment: _longer(segment, max(120, DEFAULT_PLAYBOOKS[segment].runway_days + 60))
                                     for segment in Segment})
ORDERS = [StateOrder(), LONG_RUNWAYS, StateOrder(widening=None), StateOrder(auto_renew=frozenset()),
          StateOrder(auto_renew=frozenset(Segment))]


def scalar(n: int, account: dict[str, Any], review: ReviewSettings) -> tuple[str, str | None, str | None] | None:
    signals = {"nps": account["nps"], "sentiment": account["sentiment"]}
    snap = AccountSnapshot(f"a{n}", account["segment"], AS_OF, contract_start=account["end"] - timedelta(days=365),
                           contract_end=account["end"], signals=signals)
    try:
        found = review_account(AccountInput(snap, completed_milestones=account["done"]), settings=review)
    except PostsaleError:
        return None
    return (f"a{n}", found.renewal.state.name if found.renewal else None,
            found.forecast.category.name if found.forecast else None)


@settings(max_examples=40, deadline=None)
@given(st.lists(accounts(), min_size=1, max_size=12), st.sampled_from(ORDERS), st.booleans())
def test_custom_playbooks_give_the_same_state_and_forecast_on_both_paths(
    found: list[dict[str, Any]], order: StateOrder, recorded: bool
) -> None:
    """Longer runways, no widening, every or no segment renewing by itself: each row has review_account's renewal
    state and forecast under the same settings, and the same accounts are refused."""
    review = ReviewSettings(renewal=order)
    if not recorded:
        found = [{**a, "done": None} for a in found]
    rows = [{"account_id": f"a{n}", "segment": a["segment"], "contract_start": a["end"] - timedelta(days=365),
             "contract_end": a["end"], "nps": a["nps"], "sentiment": a["sentiment"],
             **({MILESTONE + name: (a["done"] or {}).get(name) for name in NAMES} if recorded else {})}
            for n, a in enumerate(found)]
    overrides = dict.fromkeys((MILESTONE + name for name in NAMES), pl.Date) if recorded else {}
    frame = pl.DataFrame(rows, schema_overrides=overrides)
    expected = [scalar(n, a, review) for n, a in enumerate(found)]
    result = review_frame(frame, as_of=AS_OF, settings=review)
    assert result.results.select("account_id", "renewal_state", "forecast").rows() == [
        row for row in expected if row is not None]
    assert set(result.errors["account_id"].to_list()) == {f"a{n}" for n, row in enumerate(expected) if row is None}


def test_a_longer_runway_puts_an_account_100_days_out_inside_it() -> None:
    """An SMB account 100 days from renewal is before the default 60-day runway (UPCOMING) and, with nothing
    recorded, inside a 120-day one (NOT_RECORDED), on both paths."""
    end = date(2027, 1, 9)
    day = end - timedelta(days=100)
    snap = AccountSnapshot("acme", "SMB", day, contract_start=end - timedelta(days=365), contract_end=end,
                           signals={"nps": 9.0, "sentiment": 80.0})
    longer = ReviewSettings(renewal=StateOrder(playbooks={**DEFAULT_PLAYBOOKS, Segment.SMB: _longer(Segment.SMB, 120)}))
    default_state = review_account(snap).renewal
    long_state = review_account(snap, settings=longer).renewal
    assert default_state is not None and long_state is not None
    assert (default_state.state.name, long_state.state.name) == ("UPCOMING", "NOT_RECORDED")
    assert long_state.runway_start == end - timedelta(days=120)
    frame = pl.DataFrame({"account_id": ["acme"], "segment": ["SMB"], "contract_start": [end - timedelta(days=365)],
                          "contract_end": [end], "nps": [9.0], "sentiment": [80.0]})
    states = [review_frame(frame, as_of=day, settings=s).results["renewal_state"][0]
              for s in (ReviewSettings(), longer)]
    assert states == ["UPCOMING", "NOT_RECORDED"]


def test_the_renewal_setting_is_checked_and_round_trips() -> None:
    from postsale import InvalidTypeError, from_json, to_json

    with pytest.raises(InvalidTypeError, match="renewal"):
        ReviewSettings(renewal="smb")  # type: ignore[arg-type]
    review = ReviewSettings(renewal=LONG_RUNWAYS)
    assert from_json(ReviewSettings, to_json(review)) == review
