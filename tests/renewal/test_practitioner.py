"""Practitioner's scenarios for renewals: what a CS lead expects the engine to say, in the lead's words.

Each account is read as the review reads it: a snapshot's contract (``Contract.from_snapshot``, product-led
renewing by itself by default), its timeline on the account's health band, the status on the review date with
the milestones recorded, or ``recorded=False`` when the account has no milestone information at all, and the
forecast on the snapshot's evidence.
"""

from __future__ import annotations

from datetime import date, timedelta

from postsale import AccountSnapshot, signals
from postsale.renewal import (
    Contract,
    ForecastCategory,
    Intent,
    RenewalState,
    RenewalStatus,
    StatusFlag,
    forecast_renewal,
    renewal_timeline,
)

TODAY = date(2027, 3, 1)
AT_RISK, LIKELY, COMMIT = ForecastCategory.AT_RISK, ForecastCategory.LIKELY, ForecastCategory.COMMIT


def renewal(
    segment: str,
    days_to_renewal: int,
    *,
    band: str = "GREEN",
    done: dict[str, int] | None = None,
    evidence: dict[str, float] | None = None,
    intent: Intent = Intent.UNKNOWN,
    **contract: object,
) -> tuple[RenewalStatus, ForecastCategory, list[str]]:
    """The status, the forecast and the explanation of an account renewing ``days_to_renewal`` days from today.

    ``done`` maps each milestone done to the T-N it was done on; ``None`` means no activity recorded at all.
    """
    end = TODAY + timedelta(days=days_to_renewal)
    snap = AccountSnapshot("acct", segment, TODAY, acv=24000, contract_start=end - timedelta(days=364),
                           contract_end=end, signals=evidence or {})
    timeline = renewal_timeline(Contract.from_snapshot(snap, **contract), health=band)  # type: ignore[arg-type]
    if done is None:
        status = timeline.status(TODAY, recorded=False)
    else:
        status = timeline.status(TODAY, {name: end - timedelta(days=n) for name, n in done.items()})
    forecast = forecast_renewal(health=band, status=status, signals=snap.evidence(), intent=intent)
    return status, forecast.computed, status.explain() + forecast.explain()


def says(lines: list[str], words: str) -> bool:
    return any(words in line for line in lines)


def test_a_green_enterprise_account_at_t91_with_no_activity_recorded_is_not_at_risk() -> None:
    """Nothing is recorded about this renewal: the engine does not call it late, says so, and forecasts LIKELY."""
    status, forecast, lines = renewal("ENTERPRISE", 91)
    assert (status.state, forecast) == (RenewalState.NOT_RECORDED, LIKELY)
    assert StatusFlag.LATE_START not in status.flags
    assert says(lines, "No renewal activity recorded")


def test_a_green_enterprise_account_at_t91_whose_milestones_are_tracked_and_none_done_is_late() -> None:
    """We track this renewal and nobody has spoken to the customer by T-120: a late start, at risk."""
    status, forecast, lines = renewal("ENTERPRISE", 91, done={})
    assert (status.state, forecast) == (RenewalState.LATE_START, AT_RISK)
    assert says(lines, "Late start: no customer conversation by")


def test_a_green_enterprise_account_on_track_at_t91_is_likely() -> None:
    """Prep done at T-175 and the conversation at T-125: on track with the proposal next; green, low risk and
    the conversation under way is a commit."""
    status, forecast, _ = renewal("ENTERPRISE", 91, done={"internal_prep": 175, "customer_conversation": 125})
    assert (status.state, status.next_milestone.name if status.next_milestone else None) == (
        RenewalState.ON_TRACK, "proposal",
    )
    assert forecast is COMMIT


def test_a_product_led_auto_renewal_at_t14_is_not_at_risk() -> None:
    """A self-serve plan with the card on file renews by itself: T-14 is not a danger zone, nothing is late."""
    status, forecast, lines = renewal("PRODUCT_LED", 14)
    assert status.auto_renews and forecast is LIKELY
    assert not status.flags & {StatusFlag.DANGER_ZONE, StatusFlag.LATE_START}
    assert says(lines, "Auto-renewal: the contract renews by itself")


def test_a_product_led_contract_that_does_not_auto_renew_is_in_the_danger_zone_at_t14() -> None:
    """The same account on a contract that needs a decision: 14 days out and not confirmed is at risk."""
    status, forecast, _ = renewal("PRODUCT_LED", 14, done={}, auto_renew=False)
    assert (status.state, forecast) == (RenewalState.DANGER_ZONE, AT_RISK)


def test_an_smb_account_at_t29_whose_milestones_are_tracked_and_missed_is_late() -> None:
    """The renewal offer went unanswered and nobody followed up by T-30: late, and in the danger zone."""
    status, forecast, lines = renewal("SMB", 29, done={})
    assert {StatusFlag.LATE_START, StatusFlag.OVERDUE, StatusFlag.DANGER_ZONE} <= status.flags
    assert forecast is AT_RISK
    assert says(lines, "Late start")


def test_a_green_smb_account_at_t29_with_no_activity_recorded_is_not_at_risk_for_lack_of_data() -> None:
    """Nothing recorded: 29 days out is the danger zone in time, but whether the conversation started is unknown,
    so the engine neither says late nor forecasts AT_RISK on that alone; it says nothing is recorded."""
    status, forecast, lines = renewal("SMB", 29)
    assert StatusFlag.LATE_START not in status.flags and StatusFlag.DANGER_ZONE in status.flags
    assert forecast is LIKELY
    assert says(lines, "No renewal activity recorded") and not says(lines, "Late start")


def test_an_smb_account_at_t31_with_no_activity_recorded_is_likely() -> None:
    """A green SMB account a month and a day out, nothing recorded: likely to renew."""
    assert renewal("SMB", 31)[1] is LIKELY


def test_an_annual_plan_renewing_by_itself_is_locked_in_the_day_after_its_notice_deadline() -> None:
    """30 days' notice: on the last day to give notice the customer can still leave; the day after it renews."""
    last_day, _, lines = renewal("SMB", 30, auto_renew=True, notice_days=30)
    after, forecast, after_lines = renewal("SMB", 29, auto_renew=True, notice_days=30)
    assert last_day.state is not RenewalState.CONFIRMED and says(lines, "(the last day)")
    assert (after.state, forecast) == (RenewalState.CONFIRMED, COMMIT)
    assert says(after_lines, "Auto-renewal locked in")


def test_a_customer_who_said_it_will_cancel_before_its_notice_deadline_is_at_risk() -> None:
    """An auto-renewal is not safe while the customer can still give notice and says it will."""
    assert renewal("PRODUCT_LED", 10, intent=Intent.CANCEL)[1] is AT_RISK


def test_a_red_account_with_no_activity_recorded_is_at_risk() -> None:
    """Missing records never hide bad health: red is at risk, and its runway starts at T-180."""
    status, forecast, _ = renewal("SMB", 150, band="RED")
    assert (status.state, forecast) == (RenewalState.NOT_RECORDED, AT_RISK)


def test_a_champion_departure_puts_an_unrecorded_renewal_at_risk() -> None:
    """Nothing recorded, green, but the champion left: at risk."""
    assert renewal("MID_MARKET", 80, evidence={signals.CHAMPION_LEFT: 1})[1] is AT_RISK


def test_an_account_far_from_its_renewal_is_simply_upcoming() -> None:
    """Seven months out nothing is expected yet: upcoming, and no word about missing records."""
    status, forecast, lines = renewal("ENTERPRISE", 210)
    assert (status.state, forecast, says(lines, "No renewal activity recorded")) == (
        RenewalState.UPCOMING, LIKELY, False,
    )
