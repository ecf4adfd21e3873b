"""The pilot of a new touch model: 20-30 % of the accounts, a control group, a duration and measures; a
representative draw (every tier or segment in proportion), reproducible from its seed."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import postsale
from postsale import AccountSnapshot, InvalidTypeError, InvalidValueError
from postsale.touch import (
    PILOT_MEASURES,
    PILOT_SHARE,
    PILOT_WEEKS,
    BusinessProfile,
    PilotPlan,
    TierAccount,
    pilot_plan,
    plan_portfolio,
)

COMPANY: dict[str, Any] = {
    "complexity": "MODERATE", "gross_margin": 0.75, "positioning": "MARKET_STANDARD", "growth_stage": "AT_SCALE",
}


def base() -> list[BusinessProfile]:
    """12 enterprise (high), 60 mid-market at $30K (low), 528 SMB at $4K (tech): 600 accounts."""
    return (
        [BusinessProfile(acv=150_000, segment="ENTERPRISE", account_id=f"ent-{i}", **COMPANY) for i in range(12)]
        + [BusinessProfile(acv=30_000, segment="MID_MARKET", account_id=f"mm-{i}", **COMPANY) for i in range(60)]
        + [BusinessProfile(acv=4_000, segment="SMB", account_id=f"smb-{i}", **COMPANY) for i in range(528)]
    )


def test_defaults_are_the_roadmap() -> None:
    """A quarter of the accounts (20-30 %), eight weeks, health, satisfaction and engagement."""
    assert (0.25, 8, ("health score", "customer satisfaction", "engagement")) == (
        PILOT_SHARE, PILOT_WEEKS, PILOT_MEASURES
    )


def test_pilot_and_control_group_are_stratified_by_tier() -> None:
    """150 of 600 accounts in the pilot, 150 in the control group, each tier in proportion."""
    plan = pilot_plan(plan_portfolio(base()), seed=1)
    assert (150, 150, 600) == (len(plan.pilot), len(plan.control), plan.accounts)
    assert {"high-touch": (12, 3, 3), "low-touch": (60, 15, 15), "tech-touch": (528, 132, 132)} == dict(plan.strata)
    assert not set(plan.pilot) & set(plan.control)
    assert sum(a.startswith("ent-") for a in plan.pilot) == 3


def test_same_seed_same_groups_whatever_the_order() -> None:
    """The draw depends on the accounts and the seed only; another seed draws other accounts."""
    accounts = plan_portfolio(base()).accounts
    first = pilot_plan(accounts, seed=9)
    assert first == pilot_plan(accounts[::-1], seed=9)
    assert first.pilot != pilot_plan(accounts, seed=10).pilot


@pytest.mark.parametrize(("share", "within"), [(0.19, False), (0.2, True), (0.3, True), (0.31, False)])
def test_guidance_edges(share: float, within: bool) -> None:
    """20 % and 30 % are within the roadmap's guidance; outside, explain() says why it matters."""
    plan = pilot_plan([f"a{i}" for i in range(100)], share=share)
    assert within == plan.within_guidance
    assert any("outside the 20-30 %" in line for line in plan.explain()) is not within


@pytest.mark.parametrize(("share", "pilot"), [(0.25, 3), (0.2, 2), (0.5, 5)])
def test_pilot_size_rounds_half_up(share: float, pilot: int) -> None:
    """10 accounts: 25 % is 2.5, rounded half up to 3; the control group matches when it fits."""
    plan = pilot_plan([f"a{i}" for i in range(10)], share=share)
    assert (pilot, pilot) == (len(plan.pilot), len(plan.control))


def test_small_groups_are_said_to_be_unrepresented() -> None:
    """A segment of one account may get no pilot account: explain() says so."""
    snaps = [AccountSnapshot(f"s{i}", "SMB", date(2026, 1, 31)) for i in range(9)]
    snaps.append(AccountSnapshot("e0", "ENTERPRISE", date(2026, 1, 31)))
    plan = pilot_plan(snaps, share=0.2)
    assert {"ENTERPRISE": (1, 0, 0), "SMB": (9, 2, 2)} == dict(plan.strata)
    assert "The ENTERPRISE group (1 account) is too small to be represented in the pilot." in plan.explain()


def test_two_accounts_make_the_smallest_pilot() -> None:
    """One in the pilot, one in the control group; three accounts at 50 % keep one for control."""
    assert (1, 1) == tuple(map(len, (pilot_plan(["a", "b"]).pilot, pilot_plan(["a", "b"]).control)))
    three = pilot_plan(["a", "b", "c"], share=0.5)
    assert (2, 1) == (len(three.pilot), len(three.control))


def test_explain_states_duration_measures_and_decision() -> None:
    """The plan says how long, what to measure and what to decide."""
    lines = pilot_plan(plan_portfolio(base()), seed=1).explain()
    assert lines[0] == (
        "Pilot: 150 of 600 accounts (25 %), drawn at random (seed 1) within each group, so every group is "
        "represented: high-touch 3 of 12, low-touch 15 of 60, tech-touch 132 of 528."
    )
    assert lines[2].startswith("Run it for 8 weeks: 2 to set up")
    assert lines[3] == (
        "Measure health score, customer satisfaction and engagement in both groups, then compare the pilot with the "
        "control group and decide to scale, iterate or pivot."
    )
    assert pilot_plan(["a", "b"], weeks=1).explain()[2].startswith("Run it for 1 week: set up")


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"accounts": ["a"]}, InvalidValueError, "accounts"),
        ({"accounts": ["a", "a"]}, InvalidValueError, "accounts[1]"),
        ({"accounts": ["a", " "]}, InvalidValueError, "accounts[1]"),
        ({"accounts": ["a", 3]}, InvalidTypeError, "accounts[1]"),
        ({"accounts": "ab"}, InvalidTypeError, "accounts"),
        ({"share": 0.0}, InvalidValueError, "share"),
        ({"share": 0.6}, InvalidValueError, "share"),
        ({"share": 25}, InvalidValueError, "share"),
        ({"seed": -1}, InvalidValueError, "seed"),
        ({"seed": 1.5}, InvalidTypeError, "seed"),
        ({"weeks": 0}, InvalidValueError, "weeks"),
    ],
)
def test_bad_arguments_are_refused(kwargs: dict[str, Any], error: type[Exception], field: str) -> None:
    """Each bad argument raises a PostsaleError naming it."""
    arguments: dict[str, Any] = {"accounts": ["a", "b", "c", "d"], **kwargs}
    with pytest.raises(error) as info:
        pilot_plan(**arguments)
    assert field == info.value.field  # type: ignore[attr-defined]


def test_accounts_without_ids_are_refused() -> None:
    """A plan's accounts need ids to be named in a pilot."""
    plan = plan_portfolio([BusinessProfile(acv=4_000, segment="SMB", **COMPANY)] * 3)
    with pytest.raises(InvalidValueError, match="account id"):
        pilot_plan(plan)


def test_the_value_checks_its_groups() -> None:
    """A pilot plan built by hand keeps its groups disjoint and its strata as three counts."""
    with pytest.raises(InvalidValueError, match="both groups"):
        PilotPlan(("a",), ("a",), 2, 0.5, 0, {})
    with pytest.raises(InvalidValueError, match="twice"):
        PilotPlan(("a", "a"), (), 2, 0.5, 0, {})
    with pytest.raises(InvalidValueError, match="three counts"):
        PilotPlan(("a",), ("b",), 2, 0.5, 0, {"all": (2, 1)})


def test_round_trip() -> None:
    """A pilot plan survives JSON."""
    plan = pilot_plan(plan_portfolio(base()), seed=3)
    assert plan == postsale.from_json(PilotPlan, postsale.to_json(plan))


@given(st.integers(2, 300), st.floats(0.01, 0.5), st.integers(0, 10**6))
def test_groups_are_disjoint_and_sized(n: int, share: float, seed: int) -> None:
    """Any base: the pilot is the share rounded half up (at least 1, at most n - 1), the control group no larger,
    the two disjoint and drawn from the base."""
    ids = [f"a{i}" for i in range(n)]
    plan = pilot_plan(ids, share=share, seed=seed)
    assert 1 <= len(plan.pilot) <= n - 1 and 1 <= len(plan.control) <= len(plan.pilot)
    assert not set(plan.pilot) & set(plan.control) and set(plan.pilot) | set(plan.control) <= set(ids)


def test_tier_accounts_are_accepted_directly() -> None:
    """The plan's accounts (TierAccount) work as well as the plan."""
    accounts = plan_portfolio(base()).accounts
    assert isinstance(accounts[0], TierAccount)
    assert pilot_plan(accounts, seed=4) == pilot_plan(plan_portfolio(base()), seed=4)
