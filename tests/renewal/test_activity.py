"""No renewal activity recorded is not late; auto-renewing contracts follow their notice window.

Each boundary is tested on both sides: the enterprise latest start and proposal (T-121/T-120/T-119, T-91/T-90),
the SMB latest start and danger zone (T-31/T-30/T-29), the product-led danger zone (T-15/T-14/T-13), the runway
starts, and the last day of every notice window.
"""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import postsale
from postsale import AccountSnapshot, HealthBand, InvalidTypeError, InvalidValueError, Segment
from postsale.renewal import (
    AUTO_RENEW_SEGMENTS,
    DEFAULT_PLAYBOOKS,
    DEFAULT_STATE_ORDER,
    PRODUCT_LED_PLAYBOOK,
    Contract,
    Fact,
    ForecastCategory,
    Intent,
    RenewalState,
    RenewalStatus,
    Runway,
    StateOrder,
    StatusFlag,
    forecast_renewal,
    notice_window,
    renewal_timeline,
)
from tests.strategies.renewal import playbooks

AS_OF = date(2027, 1, 31)
S = RenewalState
F = StatusFlag
AT_RISK, LIKELY, COMMIT = ForecastCategory.AT_RISK, ForecastCategory.LIKELY, ForecastCategory.COMMIT


def status(
    segment: str, days: int, *, recorded: bool = True, health: str = "GREEN", auto_renew: bool | None = None,
    notice_days: int = 0, completed: dict[str, date] | None = None,
) -> RenewalStatus:
    """The status on AS_OF of a contract of ``segment`` ending ``days`` later."""
    extra = {} if auto_renew is None else {"auto_renew": auto_renew}
    contract = Contract(account_id="a", segment=segment, start=AS_OF - timedelta(days=400),
                        end=AS_OF + timedelta(days=days), acv=0, notice_days=notice_days, **extra)
    return renewal_timeline(contract, health=health).status(AS_OF, completed, recorded=recorded)


def forecast(s: RenewalStatus, health: str = "GREEN", **kw: object) -> ForecastCategory:
    return forecast_renewal(health=health, status=s, **kw).computed  # type: ignore[arg-type]


# ---- no activity recorded vs tracked and missed ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "tracked", "unrecorded"),
    [
        (181, S.UPCOMING, S.UPCOMING),
        (180, S.ON_TRACK, S.NOT_RECORDED),  # runway start: internal prep due today
        (179, S.OVERDUE, S.NOT_RECORDED),
        (120, S.OVERDUE, S.NOT_RECORDED),  # latest start: the conversation is due today
        (119, S.LATE_START, S.NOT_RECORDED),
        (91, S.LATE_START, S.NOT_RECORDED),
        (90, S.LATE_START, S.NOT_RECORDED),
        (31, S.LATE_START, S.NOT_RECORDED),
        (30, S.DANGER_ZONE, S.DANGER_ZONE),
        (0, S.DANGER_ZONE, S.DANGER_ZONE),
        (-1, S.LAPSED, S.LAPSED),
    ],
)
def test_enterprise_states_tracked_and_unrecorded(days: int, tracked: RenewalState, unrecorded: RenewalState) -> None:
    """Enterprise: tracked with nothing done is overdue from T-179 and late from T-119; with nothing recorded it
    is NOT_RECORDED from the runway start until the danger zone, which (as the lapse) still applies."""
    assert (tracked, unrecorded) == (status("ENTERPRISE", days).state, status("ENTERPRISE", days, recorded=False).state)


@pytest.mark.parametrize("days", [121, 120, 119, 91, 90, 89])
def test_unrecorded_enterprise_is_never_late_nor_overdue(days: int) -> None:
    """With nothing recorded nothing is judged overdue nor late, on both sides of the latest start and the
    proposal: the only flag is NOT_RECORDED, and no milestone is listed overdue."""
    s = status("ENTERPRISE", days, recorded=False)
    assert (s.flags, s.overdue, s.recorded) == (frozenset({F.NOT_RECORDED}), (), False)


@pytest.mark.parametrize(("days", "tracked"), [(91, AT_RISK), (90, AT_RISK), (89, AT_RISK)])
def test_green_enterprise_forecast_at_t91_and_t90(days: int, tracked: ForecastCategory) -> None:
    """A green enterprise account at T-91 / T-90: tracked and nothing done is late (AT_RISK); with no activity
    recorded the forecast is LIKELY, decided by health and risk."""
    assert (tracked, LIKELY) == (forecast(status("ENTERPRISE", days)),
                                 forecast(status("ENTERPRISE", days, recorded=False)))


def test_proposal_due_at_t90_is_overdue_from_t89_only_when_tracked() -> None:
    """The proposal (T-90) is overdue the day after when milestones are tracked; never when nothing is recorded."""
    done = {"customer_conversation": AS_OF - timedelta(days=40)}
    at_90, at_89 = status("ENTERPRISE", 90, completed=done), status("ENTERPRISE", 89, completed=done)
    assert ([m.name for m in at_90.overdue], [m.name for m in at_89.overdue]) == ([], ["proposal"])
    assert (at_90.state, at_89.state) == (S.ON_TRACK, S.OVERDUE)


@pytest.mark.parametrize(
    ("days", "tracked", "unrecorded"),
    [
        (61, set(), set()),
        (60, set(), {F.NOT_RECORDED}),
        (59, {F.OVERDUE}, {F.NOT_RECORDED}),
        (31, {F.OVERDUE}, {F.NOT_RECORDED}),
        (30, {F.OVERDUE, F.DANGER_ZONE}, {F.NOT_RECORDED, F.DANGER_ZONE}),
        (29, {F.OVERDUE, F.LATE_START, F.DANGER_ZONE}, {F.NOT_RECORDED, F.DANGER_ZONE}),
    ],
)
def test_smb_flags_tracked_and_unrecorded(days: int, tracked: set[StatusFlag], unrecorded: set[StatusFlag]) -> None:
    """SMB: tracked with nothing done is late from T-29 (the latest start is T-30); with nothing recorded it is
    never late, and the 30-day danger zone (from T-30) applies in both."""
    assert (tracked, unrecorded) == (set(status("SMB", days).flags), set(status("SMB", days, recorded=False).flags))


@pytest.mark.parametrize("days", [31, 30, 29])
def test_green_smb_forecast_in_the_danger_zone_needs_a_record_to_fall_to_at_risk(days: int) -> None:
    """A tracked green SMB account is LIKELY until the danger zone (T-30) and AT_RISK within it; with nothing
    recorded, whether the conversation started is unknown, so it stays LIKELY: the missing record alone never
    makes a renewal AT_RISK."""
    tracked = AT_RISK if days <= 30 else LIKELY
    assert (forecast(status("SMB", days, recorded=False)), forecast(status("SMB", days))) == (LIKELY, tracked)


def test_unrecorded_forecast_still_reads_health_risk_and_intent() -> None:
    """With nothing recorded, red health, a regression trigger or a cancellation still make the forecast AT_RISK;
    a commitment makes it COMMIT."""
    s = status("ENTERPRISE", 100, recorded=False, health="RED")
    assert forecast(s, health="RED") is AT_RISK
    green = status("ENTERPRISE", 100, recorded=False)
    assert forecast(green, signals={"champion_left": 1}) is AT_RISK
    assert forecast(green, intent=Intent.CANCEL) is AT_RISK
    assert forecast(green, intent=Intent.COMMITTED) is COMMIT


def test_unrecorded_status_and_forecast_say_so_in_words() -> None:
    """The status and the forecast explain that no renewal activity is recorded; a tracked status does not."""
    s = status("ENTERPRISE", 91, recorded=False)
    said = [line for line in s.explain() if line.startswith("No renewal activity recorded: ")]
    assert len(said) == 1 and "nothing is judged overdue nor late" in said[0]
    f = forecast_renewal(health="GREEN", status=s)
    assert Fact.NOT_RECORDED in f.facts
    assert any(line.startswith("No renewal activity recorded: ") for line in f.explain())
    assert not any("No renewal activity recorded" in line for line in status("ENTERPRISE", 91).explain())


def test_nothing_recorded_before_the_runway_is_simply_upcoming() -> None:
    """Before the runway starts nothing is expected yet: UPCOMING, no flag, nothing said about the record."""
    s = status("SMB", 61, recorded=False)
    assert (s.state, s.flags) == (S.UPCOMING, frozenset())
    assert not any("No renewal activity recorded" in line for line in s.explain())


def test_empty_record_is_tracked_and_none_done() -> None:
    """An empty mapping means the milestones are tracked and none is done: the same as leaving them out."""
    assert status("ENTERPRISE", 91, completed={}) == status("ENTERPRISE", 91)
    assert status("ENTERPRISE", 91, completed={}).state is S.LATE_START


def test_unrecorded_with_milestones_is_refused() -> None:
    """recorded=False with milestones done is a contradiction: refused, naming the field; an empty record is fine."""
    with pytest.raises(InvalidValueError, match="no renewal activity is recorded") as info:
        status("ENTERPRISE", 91, recorded=False, completed={"internal_prep": AS_OF})
    assert info.value.field == "completed"
    assert status("ENTERPRISE", 91, recorded=False, completed={}).state is S.NOT_RECORDED


@pytest.mark.parametrize("value", ["no", 0, None])
def test_recorded_must_be_a_bool(value: object) -> None:
    """``recorded`` is True or False, never coerced, in the timeline, the runway and the state order."""
    t = renewal_timeline(Contract.from_term("a", "SMB", date(2026, 7, 1), term_months=12, acv=1))
    with pytest.raises(InvalidTypeError, match="recorded"):
        t.status(AS_OF, recorded=value)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="recorded"):
        Runway.of(PRODUCT_LED_PLAYBOOK).state(10, recorded=value)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="recorded"):
        DEFAULT_STATE_ORDER.state(10, segment="SMB", recorded=value)  # type: ignore[arg-type]


# ---- auto-renewals follow their notice window ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "expected"),
    [(31, S.UPCOMING), (30, S.ON_TRACK), (15, S.ON_TRACK), (14, S.ON_TRACK), (13, S.ON_TRACK), (0, S.ON_TRACK),
     (-1, S.CONFIRMED)],
)
def test_product_led_auto_renewal_follows_its_notice_window(days: int, expected: RenewalState) -> None:
    """A product-led contract renews by itself by default: no danger zone at T-14, the notice window open until
    T-0, CONFIRMED from T+1 (milestones recorded as sent)."""
    sent = {"renewal_notice": AS_OF + timedelta(days=days - 30), "final_notice": AS_OF + timedelta(days=days - 14)}
    done = {name: on for name, on in sent.items() if on <= AS_OF}
    s = status("PRODUCT_LED", days, completed=done)
    assert (s.state, s.auto_renews) == (expected, True)
    assert not s.flags & {F.DANGER_ZONE, F.LATE_START, F.LAPSED}


@pytest.mark.parametrize("days", [15, 14, 13, 1, 0])
def test_product_led_auto_renewal_is_not_at_risk_near_its_date(days: int) -> None:
    """Green, tracked or not: LIKELY inside the last 14 days, where a manual renewal would be AT_RISK."""
    assert (forecast(status("PRODUCT_LED", days)), forecast(status("PRODUCT_LED", days, recorded=False))) == (
        LIKELY, LIKELY,
    )
    assert forecast(status("PRODUCT_LED", days, auto_renew=False)) is (AT_RISK if days <= 14 else LIKELY)


def test_product_led_manual_renewal_keeps_the_danger_zone() -> None:
    """A product-led contract marked as not auto-renewing keeps the manual runway: danger zone from T-14."""
    assert (status("PRODUCT_LED", 15, auto_renew=False).state, status("PRODUCT_LED", 14, auto_renew=False).state) == (
        S.OVERDUE, S.DANGER_ZONE,
    )


@pytest.mark.parametrize(
    ("days", "expected", "category"),
    [(91, S.UPCOMING, LIKELY), (90, S.NOT_RECORDED, LIKELY), (31, S.NOT_RECORDED, LIKELY),
     (30, S.NOT_RECORDED, LIKELY), (29, S.CONFIRMED, COMMIT), (-5, S.CONFIRMED, COMMIT)],
)
def test_notice_window_edges(days: int, expected: RenewalState, category: ForecastCategory) -> None:
    """An SMB contract renewing by itself with 30 days' notice, nothing recorded: the runway moves back 30 days
    (T-90); notice can be given until T-30 (the last day); from T-29 the renewal is locked in: CONFIRMED, forecast
    COMMIT."""
    s = status("SMB", days, auto_renew=True, notice_days=30, recorded=False)
    assert (s.state, forecast(s)) == (expected, category)
    last = AS_OF + timedelta(days=days - 30)
    assert s.notice_last_day == last
    assert s.confirmed_on == (last + timedelta(days=1) if days < 30 else None)


def test_notice_window_matches_notice_window_function() -> None:
    """The status's last day is the calendar-day notice window's."""
    c = Contract.from_term("saas", "SMB", date(2026, 7, 1), term_months=12, acv=9000, auto_renew=True, notice_days=30)
    assert renewal_timeline(c).status(date(2027, 5, 1)).notice_last_day == notice_window(c).last_day


def test_cancellation_inside_the_window_is_at_risk() -> None:
    """While the window is open a customer who said it will cancel is AT_RISK; once locked in, it renews."""
    open_ = status("SMB", 31, auto_renew=True, notice_days=30)
    locked = status("SMB", 29, auto_renew=True, notice_days=30)
    assert (forecast(open_, intent=Intent.CANCEL), forecast(locked, intent=Intent.CANCEL)) == (AT_RISK, COMMIT)


def test_auto_renewal_explains_its_window() -> None:
    """The status names the last day to give notice, then says the renewal is locked in."""
    open_ = status("SMB", 31, auto_renew=True, notice_days=30).explain()
    assert any(line.startswith("Auto-renewal: the contract renews by itself on 2027-03-03 unless the customer gives "
                               "notice by 2027-02-01 (1 day left)") for line in open_)
    last = status("SMB", 30, auto_renew=True, notice_days=30).explain()
    assert any("(the last day)" in line for line in last)
    locked = status("SMB", 29, auto_renew=True, notice_days=30).explain()
    assert any(line.startswith("Auto-renewal locked in: the notice window closed on 2027-01-30") for line in locked)


def test_an_auto_renewal_runway_ends_with_its_notice_window() -> None:
    """With a notice period the runway moves back by it, with an early start; without one, it is the playbook's."""
    c = Contract.from_term("saas", "SMB", date(2026, 7, 1), term_months=12, acv=9000, auto_renew=True, notice_days=30)
    t = renewal_timeline(c)
    assert (t.runway_start, t.milestones[0].name, t.runway) == (
        date(2027, 4, 1), "early_start", Runway.of(DEFAULT_PLAYBOOKS[Segment.SMB], notice_days=30),
    )
    app = renewal_timeline(Contract.from_term("app", "PRODUCT_LED", date(2026, 7, 1), term_months=12, acv=1200))
    assert (app.runway_start, app.notice_last_day, app.reasons) == (date(2027, 5, 31), date(2027, 6, 30), ())


def test_notice_period_too_long_for_the_calendar_is_refused() -> None:
    """A notice period reaching before 0001-01-01 is refused with an InvalidValueError, never an OverflowError."""
    c = Contract.from_term("a", "SMB", date(2, 1, 1), term_months=12, acv=1, auto_renew=True, notice_days=10_000)
    with pytest.raises(InvalidValueError, match="runway"):
        renewal_timeline(c)


# ---- the default per segment, defined once ---------------------------------------------------------------------


def test_product_led_is_the_only_auto_renewing_segment_by_default() -> None:
    """AUTO_RENEW_SEGMENTS comes from the default playbooks: product-led only."""
    assert AUTO_RENEW_SEGMENTS == frozenset({Segment.PRODUCT_LED}) == DEFAULT_STATE_ORDER.auto_renew
    assert AUTO_RENEW_SEGMENTS == {s for s, pb in DEFAULT_PLAYBOOKS.items() if pb.auto_renew}


@pytest.mark.parametrize("segment", list(Segment))
def test_contracts_follow_the_segment_default_unless_told(segment: Segment) -> None:
    """Every way to build a contract auto-renews by the segment's default; an explicit value wins."""
    expected = segment in AUTO_RENEW_SEGMENTS
    snap = AccountSnapshot("a", segment, AS_OF, acv=1, contract_start=date(2026, 7, 1), contract_end=date(2027, 6, 30))
    built = [
        Contract("a", segment, date(2026, 7, 1), date(2027, 6, 30), 1),
        Contract.from_term("a", segment, date(2026, 7, 1), term_months=12, acv=1),
        Contract.from_snapshot(snap),
    ]
    assert [c.auto_renew for c in built] == [expected] * 3
    assert Contract.from_snapshot(snap, auto_renew=not expected).auto_renew is not expected
    told = Contract.from_term("a", segment, date(2026, 7, 1), term_months=12, acv=1, auto_renew=False)
    assert told.auto_renew is False


def test_contract_without_auto_renew_in_its_data_takes_the_default() -> None:
    """Data written before the default existed (no auto_renew key) reads back with the segment's default."""
    data = postsale.to_data(Contract.from_term("a", "PRODUCT_LED", date(2026, 7, 1), term_months=12, acv=1))
    del data["auto_renew"]
    assert postsale.from_data(Contract, data).auto_renew is True


def test_state_order_auto_renew_is_configurable_and_round_trips() -> None:
    """A state order can make other segments auto-renew (names accepted), or none; it is plain data."""
    order = StateOrder(auto_renew={"smb", "PRODUCT_LED"})
    assert order.auto_renew == frozenset({Segment.SMB, Segment.PRODUCT_LED})
    assert (order.state(14, segment="SMB"), StateOrder(auto_renew=()).state(14, segment="PRODUCT_LED")) == (
        S.OVERDUE, S.DANGER_ZONE,
    )
    assert order == postsale.from_json(StateOrder, postsale.to_json(order))
    data = postsale.to_data(DEFAULT_STATE_ORDER)
    del data["auto_renew"]
    assert postsale.from_data(StateOrder, data) == DEFAULT_STATE_ORDER


@given(st.integers(-40, 400), st.booleans(), st.integers(0, 90))
def test_statuses_round_trip(days: int, recorded: bool, notice: int) -> None:
    """Statuses of auto-renewals and unrecorded renewals are plain data."""
    s = status("SMB", days, recorded=recorded, auto_renew=True, notice_days=notice)
    assert s == postsale.from_json(RenewalStatus, postsale.to_json(s))


# ---- the runway's limits are the state's --------------------------------------------------------------------------


@given(playbooks(), st.sampled_from([None, *HealthBand]), st.none() | st.integers(0, 120), st.booleans(),
       st.integers(-30, 600))
def test_limits_give_the_state(pb: object, band: HealthBand | None, notice: int | None, recorded: bool,
                               days: int) -> None:
    """The first state whose limit is above the days to renewal is the state (UPCOMING when none is)."""
    runway = Runway.of(pb, health=band, notice_days=notice)  # type: ignore[arg-type]
    expected = next((state for state, limit in runway.limits(recorded=recorded) if days < limit), S.UPCOMING)
    assert expected is runway.state(days, recorded=recorded)


@given(playbooks(), st.sampled_from([None, *HealthBand]), st.none() | st.integers(0, 120), st.booleans(),
       st.integers(-30, 600))
def test_runway_equals_the_timeline_for_every_record(pb: object, band: HealthBand | None, notice: int | None,
                                                     recorded: bool, days: int) -> None:
    """A custom playbook's runway, auto-renewing or not, gives the timeline's status with nothing completed,
    tracked or not recorded."""
    as_of = date(2028, 2, 29)
    contract = Contract(account_id="a", segment="SMB", start=as_of - timedelta(days=500),
                        end=as_of + timedelta(days=days), acv=0, auto_renew=notice is not None,
                        notice_days=notice or 0)
    timeline = renewal_timeline(contract, playbook=pb, health=band)  # type: ignore[arg-type]
    s = timeline.status(as_of, recorded=recorded)
    runway = Runway.of(pb, health=band, notice_days=notice)  # type: ignore[arg-type]
    assert timeline.runway == runway
    assert (s.flags, s.state) == (
        runway.flags(days, recorded=recorded, confirmed=runway.renews_by_itself(days)),
        runway.state(days, recorded=recorded),
    )


def test_snapshot_contract_evolves_with_segment() -> None:
    """The snapshot's segment decides the default: the same dates as a product-led account auto-renew."""
    snap = AccountSnapshot("a", "SMB", AS_OF, acv=1, contract_start=date(2026, 7, 1), contract_end=date(2027, 6, 30))
    assert (Contract.from_snapshot(snap).auto_renew,
            Contract.from_snapshot(attrs.evolve(snap, segment=Segment.PRODUCT_LED)).auto_renew) == (False, True)
