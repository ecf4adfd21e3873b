"""Completed renewal milestones over columns: ``milestone.<name>`` completion dates give the renewal state and
forecast ``review_account`` gives with ``completed_milestones``, and the rows it refuses are refused."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postsale import AccountSnapshot, PostsaleError, Segment
from postsale.adapters.frame import review_frame
from postsale.renewal import DEFAULT_PLAYBOOKS, MILESTONE
from postsale.review import AccountInput, review_account

pl = pytest.importorskip("polars")

AS_OF = date(2026, 10, 1)
NAMES = sorted({m.name for pb in DEFAULT_PLAYBOOKS.values() for m in pb.milestones} | {"early_start"})
HEALTH = [(9.0, 80.0), (1.0, 10.0), (6.0, 50.0)]  # green, red (a widened runway), yellow


@st.composite
def accounts(draw: st.DrawFn) -> dict[str, Any]:
    segment = draw(st.sampled_from(list(Segment)))
    end = AS_OF + timedelta(days=draw(st.integers(-20, 300)))
    steps = [m.name for m in DEFAULT_PLAYBOOKS[segment].milestones] + ["early_start"]
    done = {name: AS_OF - timedelta(days=draw(st.integers(-3, 200)))
            for name in draw(st.lists(st.sampled_from(steps), unique=True, max_size=4))}
    nps, sentiment = draw(st.sampled_from(HEALTH))
    return {"segment": segment.name, "end": end, "done": done, "nps": nps, "sentiment": sentiment}


def scalar(n: int, account: dict[str, Any]) -> tuple[str, str | None, str | None] | None:
    signals = {"nps": account["nps"], "sentiment": account["sentiment"]}
    snap = AccountSnapshot(f"a{n}", account["segment"], AS_OF, contract_start=account["end"] - timedelta(days=365),
                           contract_end=account["end"], signals=signals)
    try:
        review = review_account(AccountInput(snap, completed_milestones=account["done"]))
    except PostsaleError:
        return None
    return (f"a{n}", review.renewal.state.name if review.renewal else None,
            review.forecast.category.name if review.forecast else None)


@settings(max_examples=40, deadline=None)
@given(st.lists(accounts(), min_size=1, max_size=12), st.booleans())
def test_completion_columns_give_review_accounts_state_and_forecast(found: list[dict[str, Any]], lazy: bool) -> None:
    """Random segments, health bands (red widens the runway and adds the early start), renewal dates and completed
    milestones (some after the review date): every row has review_account's renewal state and forecast, and
    exactly the accounts review_account refuses are rejected rows."""
    rows = [{"account_id": f"a{n}", "segment": a["segment"], "contract_start": a["end"] - timedelta(days=365),
             "contract_end": a["end"], "nps": a["nps"], "sentiment": a["sentiment"],
             **{MILESTONE + name: a["done"].get(name) for name in NAMES}} for n, a in enumerate(found)]
    frame = pl.DataFrame(rows, schema_overrides=dict.fromkeys((MILESTONE + name for name in NAMES), pl.Date))
    expected = [scalar(n, a) for n, a in enumerate(found)]
    result = review_frame(frame.lazy() if lazy else frame, as_of=AS_OF)
    results = result.results.collect() if lazy else result.results
    errors = result.errors.collect() if lazy else result.errors
    got = results.select("account_id", "renewal_state", "forecast").rows()
    assert got == [row for row in expected if row is not None]
    rejected = set(errors["account_id"].to_list())
    assert rejected == {f"a{n}" for n, row in enumerate(expected) if row is None}


def test_a_completion_after_the_review_day_or_outside_the_playbook_is_a_rejected_row() -> None:
    frame = pl.DataFrame({"account_id": ["late", "wrong", "fine"], "segment": ["SMB", "SMB", "SMB"],
                          "contract_start": [date(2025, 12, 1)] * 3, "contract_end": [date(2026, 12, 1)] * 3,
                          "milestone.renewal_offer": [date(2026, 10, 2), None, date(2026, 9, 1)],
                          "milestone.internal_prep": [None, date(2026, 9, 1), None]})
    result = review_frame(frame, as_of=AS_OF)
    reasons = {row[0]: row[2] for row in result.errors.select("account_id", "column", "reason").rows()}
    assert set(reasons) == {"late", "wrong"}
    assert "after the review date" in reasons["late"]
    assert "not a milestone of the account's renewal playbook" in reasons["wrong"]
    assert result.results["account_id"].to_list() == ["fine"]
