"""The renewal timeline over columns: ``renewal_frame`` gives, per account, the fields of
``review_account(...).renewal`` (dates, phase, next / overdue / completed milestones), on every backend, and refuses
the rows ``review_account`` refuses."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postsale import AccountSnapshot, PostsaleError
from postsale.adapters.frame import ERRORS_SCHEMA, RENEWAL_SCHEMA, FrameRenewals, renewal_frame, review_frame
from postsale.renewal import MILESTONE, RENEWAL_RECORDED, RenewalStatus
from postsale.review import AccountInput, ReviewSettings, review_account
from tests.columnar.backends import BACKENDS, frame
from tests.columnar.test_renewal_milestones import AS_OF, NAMES, accounts
from tests.columnar.test_renewal_settings import ORDERS

pl = pytest.importorskip("polars")
nw = pytest.importorskip("narwhals.stable.v2")

SETTINGS = [ReviewSettings(renewal=order) for order in ORDERS]
"""The default renewal order, longer runways, no widening, no auto-renewal, every segment auto-renewing."""
COLUMNS = ("milestones", "milestones and recorded", "none")
"""Which renewal activity columns a drawn frame has: completion dates (every row recorded), completion dates and
``renewal_recorded`` (per row), or neither (no row recorded)."""


@st.composite
def portfolio_accounts(draw: st.DrawFn) -> dict[str, Any]:
    """An account of ``test_renewal_milestones`` (segment, health band, renewal date, completions), its renewal
    date sometimes moved further (well past, or a year out), whether its row says renewal activity is recorded, and
    sometimes no contract dates at all (and then no completions)."""
    account = draw(accounts())
    if draw(st.booleans()):
        account["end"] = AS_OF + timedelta(days=draw(st.integers(-150, 400)))
    account["recorded"] = draw(st.booleans())
    account["dated"] = draw(st.integers(0, 9)) > 0
    if not account["dated"]:  # review_frame checks completions whether or not the row has contract dates
        account["done"] = {}
    return account


def _rows(found: list[dict[str, Any]], columns: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    schema: dict[str, Any] = {"account_id": "str", "segment": "str", "contract_start": "date", "contract_end": "date",
                              "nps": "float", "sentiment": "float"}
    if columns != "none":
        schema.update(dict.fromkeys((MILESTONE + name for name in NAMES), "date"))
    if columns == "milestones and recorded":
        schema[RENEWAL_RECORDED] = "bool"
    rows = [{"account_id": f"a{n}", "segment": a["segment"], "nps": a["nps"], "sentiment": a["sentiment"],
             "contract_start": a["end"] - timedelta(days=365) if a["dated"] else None,
             "contract_end": a["end"] if a["dated"] else None, RENEWAL_RECORDED: a["recorded"],
             **{MILESTONE + name: a["done"].get(name) for name in NAMES}} for n, a in enumerate(found)]
    return rows, schema


def _fields(status: RenewalStatus | None) -> dict[str, Any]:
    """The columns of a status, as renewal_frame writes them (all null without a status)."""
    if status is None:
        return dict.fromkeys(list(RENEWAL_SCHEMA)[2:])
    nxt = status.next_milestone
    return {
        "renewal_date": status.renewal_date,
        "days_to_renewal": float(status.days_to_renewal),
        "renewal_state": status.state.name,
        "runway_start": status.runway_start,
        "latest_start": status.latest_start,
        "danger_zone_start": status.danger_zone_start,
        "notice_last_day": status.notice_last_day,
        "phase": status.phase,
        "next_milestone": None if nxt is None else nxt.name,
        "next_milestone_due": None if nxt is None else nxt.due,
        "days_to_next": None if status.days_to_next is None else float(status.days_to_next),
        "overdue": ", ".join(m.name for m in status.overdue) or None,
        "completed": ", ".join(c.name for c in status.completed) or None,
        "conversation_started": status.conversation_started,
        "confirmed_on": status.confirmed_on,
        "in_touch_ramp": status.in_touch_ramp,
        "recorded": status.recorded,
    }


def scalar(n: int, account: dict[str, Any], columns: str, review: ReviewSettings) -> dict[str, Any] | None:
    """review_account's renewal status of the account as the frame's row describes it; None: refused."""
    recorded = columns == "milestones" or (columns == "milestones and recorded" and account["recorded"])
    done = account["done"] if columns != "none" else {}
    if done and not recorded:
        return None  # RenewalTimeline.status refuses completions with recorded=False (no activity recorded)
    signals = {"nps": account["nps"], "sentiment": account["sentiment"]}
    dated = account["dated"]
    snap = AccountSnapshot(f"a{n}", account["segment"], AS_OF, signals=signals,
                           contract_start=account["end"] - timedelta(days=365) if dated else None,
                           contract_end=account["end"] if dated else None)
    try:
        found = review_account(AccountInput(snap, completed_milestones=done if recorded else None), settings=review)
    except PostsaleError:
        return None
    return {"account_id": f"a{n}", "segment": account["segment"], **_fields(found.renewal)}


def _plain(value: Any) -> Any:
    """A cell as a plain Python value (pandas' missing values as None, its timestamps as dates)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    return value


def collected(native: Any) -> list[dict[str, Any]]:
    """A result of any kind as plain rows."""
    result = nw.from_native(native)
    if isinstance(result, nw.LazyFrame):
        result = result.collect()
    return [{k: _plain(v) for k, v in row.items()} for row in result.rows(named=True)]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(portfolio_accounts(), min_size=1, max_size=10), st.sampled_from(COLUMNS),
       st.integers(0, len(SETTINGS) - 1), st.sampled_from(BACKENDS), st.booleans())
def test_renewal_frame_equals_review_accounts_renewal_status(
    found: list[dict[str, Any]], columns: str, order: int, backend: str, lazy: bool
) -> None:
    """Random segments, health bands (red widens the runway and adds the early start), renewal dates (past ones
    too), completed milestones, recorded or not, under five renewal orders (auto-renewing segments among them), on
    every backend (Polars eager or lazy): each account has review_account's renewal status field by field, and
    exactly the accounts review_account refuses are rejected."""
    review = SETTINGS[order]  # drawn by position: a settings' repr is long
    rows, schema = _rows(found, columns)
    expected = [scalar(n, a, columns, review) for n, a in enumerate(found)]
    want = {row["account_id"]: row for row in expected if row is not None}
    native = frame(rows, schema, backend)  # type: ignore[arg-type]
    result = renewal_frame(native.lazy() if lazy and backend == "polars" else native, as_of=AS_OF, settings=review)
    got = collected(result.results)
    assert all(list(RENEWAL_SCHEMA) == list(row) for row in got)
    if backend != "duckdb":  # an SQL relation has no row order
        assert list(want) == [row["account_id"] for row in got]
    have = {row["account_id"]: row for row in got}
    assert set(want) == set(have)
    for account_id, fields in want.items():
        row = have[account_id]
        if backend == "pandas" and fields["renewal_date"] is None:  # pandas holds a missing Boolean as False
            assert (row["in_touch_ramp"], row["recorded"]) in ((None, None), (False, False))
            row = {**row, "in_touch_ramp": None, "recorded": None}
        assert fields == row, account_id
    refused = {f"a{n}" for n, row in enumerate(expected) if row is None}
    assert refused == {row["account_id"] for row in collected(result.errors)}


def test_the_reviewed_state_and_refusals_are_review_frames() -> None:
    """renewal_frame's days, state and errors are review_frame's own (one set of checks)."""
    accounts = pl.DataFrame({"account_id": ["ok", "late", "neg", "dup", "dup"], "segment": ["SMB"] * 5,
                             "acv": [1.0, 1.0, -5.0, 1.0, 1.0], "contract_start": [date(2025, 12, 1)] * 5,
                             "contract_end": [date(2026, 11, 30)] * 5,
                             "milestone.renewal_offer": [date(2026, 10, 5), date(2026, 10, 9), None, None, None]})
    renewals = renewal_frame(accounts, as_of=date(2026, 10, 8))
    review = review_frame(accounts, as_of=date(2026, 10, 8))
    assert isinstance(renewals, FrameRenewals)
    assert renewals.errors.equals(review.errors)
    assert list(ERRORS_SCHEMA) == renewals.errors.columns
    assert {"late", "neg", "dup"} == set(renewals.errors["account_id"])
    assert ["ok"] == renewals.results["account_id"].to_list()
    same = ["account_id", "days_to_renewal", "renewal_state"]
    assert renewals.results.select(same).rows() == review.results.select(same).rows()


def test_a_refused_row_is_reported_and_the_others_kept() -> None:
    """A completion after the review date rejects its row only, with the scalar words; on every backend."""
    contract = {"segment": "SMB", "contract_start": date(2025, 12, 1), "contract_end": date(2026, 11, 30)}
    rows: list[dict[str, Any]] = [
        {"account_id": "fine", **contract, "milestone.renewal_offer": date(2026, 10, 5)},
        {"account_id": "late", **contract, "milestone.renewal_offer": date(2026, 11, 5)},
        {"account_id": "none", "segment": "ENTERPRISE"},
    ]
    schema: dict[str, Any] = {"account_id": "str", "segment": "str", "contract_start": "date", "contract_end": "date",
                              "milestone.renewal_offer": "date"}
    for backend in BACKENDS:
        result = renewal_frame(frame(rows, schema, backend), as_of=date(2026, 11, 1))
        errors = collected(result.errors)
        assert [("late", "milestone.renewal_offer")] == [(e["account_id"], e["column"]) for e in errors], backend
        assert "after the review date" in errors[0]["reason"]
        got = {row["account_id"]: row for row in collected(result.results)}
        assert {"fine", "none"} == set(got), backend
        assert "renewal_offer" == got["fine"]["completed"]
        assert date(2026, 10, 5) == got["fine"]["conversation_started"]
        assert got["none"]["renewal_date"] is None and got["none"]["phase"] is None


def test_a_null_renewal_recorded_means_nothing_recorded() -> None:
    """A null renewal_recorded is no activity recorded (no overdue milestones), as review_account without
    completed milestones."""
    accounts = pl.DataFrame({"account_id": ["yes", "null"], "segment": ["ENTERPRISE"] * 2,
                             "contract_start": [date(2025, 7, 1)] * 2, "contract_end": [date(2026, 6, 30)] * 2,
                             RENEWAL_RECORDED: [True, None]})
    got = renewal_frame(accounts, as_of=date(2026, 3, 10)).results
    assert got.select("account_id", "renewal_state", "overdue", "recorded").rows() == [
        ("yes", "LATE_START", "internal_prep, customer_conversation", True),
        ("null", "NOT_RECORDED", None, False),
    ]


def test_without_contract_dates_nothing_is_evaluated_and_the_renewal_is_reported() -> None:
    """A frame with no contract column gives the columns, null, and says why."""
    got = renewal_frame(pl.DataFrame({"account_id": ["a"], "segment": ["SMB"]}), as_of=AS_OF)
    assert list(RENEWAL_SCHEMA) == got.results.columns
    assert [None] == got.results["runway_start"].to_list()
    assert "the renewal" in {n.decision for n in got.not_evaluated}


def test_a_lazy_frame_stays_lazy() -> None:
    lazy = pl.DataFrame({"account_id": ["a"], "segment": ["SMB"], "contract_start": [date(2025, 12, 1)],
                         "contract_end": [date(2026, 11, 30)]}).lazy()
    got = renewal_frame(lazy, as_of=date(2026, 11, 1))
    assert isinstance(got.results, pl.LazyFrame)
    assert [date(2026, 10, 1)] == got.results.collect()["runway_start"].to_list()
