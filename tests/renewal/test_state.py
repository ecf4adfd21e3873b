"""The renewal state order: runways per playbook and band, the flags and state they give, the state order."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

import postsale
from postsale import HealthBand, InvalidTypeError, Segment, UnknownNameError
from postsale.renewal import (
    DEFAULT_PLAYBOOKS,
    DEFAULT_STATE_ORDER,
    ENTERPRISE_PLAYBOOK,
    PRODUCT_LED_PLAYBOOK,
    SMB_PLAYBOOK,
    Contract,
    RenewalState,
    Runway,
    RunwayWidening,
    StateOrder,
    StatusFlag,
    renewal_timeline,
)
from tests.strategies.renewal import playbooks


def test_enterprise_runway() -> None:
    """Enterprise: runway and first milestone T-180, latest start T-120, danger zone T-30."""
    assert Runway(180, 180, 120, 30) == Runway.of(ENTERPRISE_PLAYBOOK)


def test_red_widens_a_short_runway_and_adds_an_early_start() -> None:
    """Red health starts SMB at T-180, which is then the first milestone (the early start)."""
    assert Runway(180, 180, 30, 30) == Runway.of(SMB_PLAYBOOK, health=HealthBand.RED)


def test_widening_never_shortens() -> None:
    """A widening to T-100 leaves the enterprise runway (T-180) as it is."""
    widening = RunwayWidening(runway_days=100)
    assert Runway.of(ENTERPRISE_PLAYBOOK) == Runway.of(ENTERPRISE_PLAYBOOK, health=HealthBand.RED, widening=widening)


def test_widening_accepts_band_names() -> None:
    """Bands are given as members or names."""
    assert frozenset({HealthBand.RED, HealthBand.YELLOW}) == RunwayWidening(bands=["red", "YELLOW"]).bands


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (31, RenewalState.UPCOMING), (30, RenewalState.ON_TRACK), (29, RenewalState.OVERDUE),
        (15, RenewalState.OVERDUE),
        (14, RenewalState.DANGER_ZONE), (13, RenewalState.DANGER_ZONE), (0, RenewalState.DANGER_ZONE),
        (-1, RenewalState.LAPSED),
    ],
)
def test_product_led_boundaries(days: int, expected: RenewalState) -> None:
    """Product-led: on track on T-30 (its first milestone is due, not overdue), danger zone from T-14, lapsed at T+1."""
    assert expected is Runway.of(PRODUCT_LED_PLAYBOOK).state(days)


def test_product_led_late_start_hides_under_the_danger_zone() -> None:
    """At T-13 both LATE_START and DANGER_ZONE hold; the state is the worse one."""
    runway = Runway.of(PRODUCT_LED_PLAYBOOK)
    expected = frozenset(StatusFlag) - {StatusFlag.LAPSED, StatusFlag.NOT_RECORDED}
    assert (expected, RenewalState.DANGER_ZONE) == (runway.flags(13), runway.state(13))


def test_confirmation_clears_the_danger_zone_and_lapse() -> None:
    """A confirmed renewal is CONFIRMED and carries neither the danger zone nor the lapse."""
    runway = Runway.of(SMB_PLAYBOOK)
    flags = runway.flags(-5, overdue=False, started=True, confirmed=True)
    assert (frozenset(), RenewalState.CONFIRMED) == (flags, runway.state(-5, flags=flags, confirmed=True))


@given(st.sampled_from(list(Segment)), st.sampled_from([None, *HealthBand]), st.integers(-60, 400), st.booleans(),
       st.booleans())
def test_state_only_worsens_as_the_date_advances(
    segment: Segment, band: HealthBand | None, days: int, recorded: bool, auto: bool
) -> None:
    """With nothing completed (or nothing recorded), one day later is never a better state, except that an
    auto-renewal is CONFIRMED once its notice window closes, and stays so."""
    order = DEFAULT_STATE_ORDER
    now = order.state(days, segment=segment, health=band, recorded=recorded, auto_renew=auto)
    later = order.state(days - 1, segment=segment, health=band, recorded=recorded, auto_renew=auto)
    if auto and later is RenewalState.CONFIRMED:
        assert days - 1 < 0
    else:
        assert later >= now > RenewalState.CONFIRMED


@given(playbooks(), st.sampled_from([None, *HealthBand]), st.integers(0, 400), st.integers(-30, 450))
def test_runway_equals_the_timeline(pb: object, band: HealthBand | None, widen: int, days: int) -> None:
    """A custom playbook's runway gives the timeline's status with nothing completed."""
    as_of = date(2028, 2, 29)
    contract = Contract(account_id="a", segment="SMB", start=as_of - timedelta(days=500),
                        end=as_of + timedelta(days=days), acv=0)
    widening = RunwayWidening(runway_days=widen)
    timeline = renewal_timeline(contract, playbook=pb, health=band, widening=widening)  # type: ignore[arg-type]
    status = timeline.status(as_of)
    runway = Runway.of(pb, health=band, widening=widening)  # type: ignore[arg-type]
    assert (timeline.runway, status.flags, status.state) == (runway, runway.flags(days), runway.state(days))


def test_unknown_segment_and_missing_playbook_are_refused() -> None:
    """An unknown segment name, or a segment without a playbook, names the field and the known values."""
    with pytest.raises(UnknownNameError, match="segment"):
        DEFAULT_STATE_ORDER.state(10, segment="GALACTIC")
    with pytest.raises(UnknownNameError, match="has no playbook"):
        StateOrder({Segment.SMB: SMB_PLAYBOOK}).state(10, segment="ENTERPRISE")


def test_bad_definitions_are_refused() -> None:
    """Playbooks must be a mapping of Playbook values; runway days whole numbers."""
    with pytest.raises(InvalidTypeError, match="playbooks"):
        StateOrder([SMB_PLAYBOOK])  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="playbooks"):
        StateOrder({"SMB": "smb"})  # type: ignore[dict-item]
    with pytest.raises(InvalidTypeError, match="widening"):
        StateOrder(widening="RED")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="start_days"):
        Runway(1.5, 0, 0, 0)  # type: ignore[arg-type]


def test_state_order_round_trips() -> None:
    """A state order with a custom widening is plain data."""
    order = StateOrder(DEFAULT_PLAYBOOKS, RunwayWidening(bands={"RED", "YELLOW"}, runway_days=200))
    assert order == postsale.from_json(StateOrder, postsale.to_json(order))
