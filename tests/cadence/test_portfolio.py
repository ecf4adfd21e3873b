"""The portfolio view: touches per CSM per week, with load and capacity."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from postsale import AccountSnapshot, InvalidValueError
from postsale.cadence import CadencePlan, CsmWeek, Window, build_agenda, portfolio_view, segment_plan
from tests.strategies.cadence import FakeAlert

MONDAY = date(2026, 3, 2)
TWO_WEEKS = Window.days(MONDAY, 14)


def snapshot(account_id: str, segment: str, csm: str | None = None) -> AccountSnapshot:
    """An account started on Monday 2 February 2026 with an optional CSM label."""
    labels = {"csm": csm} if csm else {}
    return AccountSnapshot(account_id, segment, MONDAY, contract_start=date(2026, 2, 2), labels=labels)


def test_load_per_csm_per_week() -> None:
    """Two enterprise accounts of one CSM: weekly updates and biweekly calls add up per week."""
    accounts = [snapshot("a", "ENTERPRISE", "aiko"), snapshot("b", "ENTERPRISE", "aiko")]
    view = portfolio_view([build_agenda(a, TWO_WEEKS) for a in accounts], accounts=accounts)
    assert [("aiko", date(2026, 3, 2), 2, 4), ("aiko", date(2026, 3, 9), 2, 2)] == [
        (w.csm, w.week_start, w.accounts, w.load) for w in view.weeks
    ]


def test_explicit_mapping_wins_over_labels() -> None:
    """csm_of overrides the account's csm label."""
    account = snapshot("a", "SMB", "aiko")
    view = portfolio_view(
        [build_agenda(account, Window(MONDAY, date(2026, 3, 31)))], accounts=[account], csm_of={"a": "ben"}
    )
    assert {"ben"} == {w.csm for w in view.weeks}


def test_unassigned_accounts_come_last() -> None:
    """Accounts without a CSM are grouped under None, after the named CSMs."""
    accounts = [snapshot("x", "ENTERPRISE"), snapshot("a", "ENTERPRISE", "zoe")]
    view = portfolio_view([build_agenda(a, Window.days(MONDAY, 7)) for a in accounts], accounts=accounts)
    assert ["zoe", None] == [w.csm for w in view.weeks]
    assert view.explain()[-1].startswith("Unassigned accounts, week of 2026-03-02")


def test_automated_touches_are_not_load() -> None:
    """Product-led automated touches are counted apart from the CSM's load."""
    account = snapshot("p", "PRODUCT_LED", "aiko")
    (week,) = portfolio_view([build_agenda(account, Window.days(MONDAY, 7))], accounts=[account]).weeks
    assert (0, 2) == (week.load, week.automated)  # the weekly email and the monthly office hours


def test_alerts_count_as_load() -> None:
    """Alerts need the CSM's time."""
    account = snapshot("a", "SMB", "aiko")
    due = datetime.combine(MONDAY, time(9), tzinfo=ZoneInfo("UTC"))
    agenda = build_agenda(account, Window.days(MONDAY, 7), alerts=[FakeAlert("a", "H2", due, 0)])
    (week,) = portfolio_view([agenda], accounts=[account]).weeks
    assert (1, 1) == (week.alerts, week.load)


def test_capacity_flags_overloaded_weeks() -> None:
    """A load above the capacity is flagged and explained; at the capacity it is not."""
    accounts = [snapshot(f"a{i}", "ENTERPRISE", "aiko") for i in range(3)]
    view = portfolio_view([build_agenda(a, TWO_WEEKS) for a in accounts], accounts=accounts, capacity=3)
    assert [(date(2026, 3, 2), True), (date(2026, 3, 9), False)] == [
        (w.week_start, w.over_capacity) for w in view.weeks
    ]
    assert 1 == len(view.over_capacity())
    assert "Over capacity (3)." in view.explain()[0]


def test_capacity_unknown_never_flags() -> None:
    """Without a capacity no week is over it."""
    assert not CsmWeek("aiko", MONDAY, 1, 50, 0, 0).over_capacity


def test_negative_capacity_is_refused() -> None:
    """A negative capacity raises InvalidValueError naming capacity."""
    with pytest.raises(InvalidValueError) as info:
        portfolio_view([], capacity=-1)
    assert "capacity" == info.value.field


def test_weeks_follow_the_account_time_zone() -> None:
    """A Monday 08:00 Tokyo touch counts in its Tokyo week even though it is Sunday in UTC."""
    account = AccountSnapshot("t", "SMB", MONDAY, contract_start=date(2026, 2, 2), time_zone="Asia/Tokyo")
    plan = segment_plan("SMB")
    early = CadencePlan(plan.name, plan.items, time(8, 0))
    (week,) = portfolio_view([build_agenda(account, Window(MONDAY, date(2026, 3, 8)), plan=early)]).weeks
    assert date(2026, 3, 2) == week.week_start
