"""Default plans per segment and per journey stage, and the default caps (domain-spec §5.6, §5.9, I-13, A-32)."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postsale import AccountSnapshot, Segment, Stage, UnknownNameError
from postsale.cadence import (
    RENEWAL_RAMP_FROM_DAYS,
    RENEWAL_RAMP_TO_DAYS,
    Anchors,
    Channel,
    Period,
    Recurrence,
    Unit,
    Window,
    build_agenda,
    caps_for,
    segment_plan,
    stage_plan,
)


def rhythm(segment: str, *, alternative: bool = False) -> dict[str, Recurrence | None]:
    """Item key -> recurrence of a segment plan."""
    return {i.key: i.recurrence for i in segment_plan(segment, alternative=alternative).items}


def test_enterprise_template_cadence() -> None:
    """ENTERPRISE: weekly async update, biweekly call, quarterly QBR, annual executive review."""
    assert {
        "async_update": Recurrence(Unit.WEEK, 1),
        "call": Recurrence(Unit.WEEK, 2),
        "qbr": Recurrence(Unit.MONTH, 3),
        "executive_review": Recurrence(Unit.YEAR, 1),
    } == rhythm("ENTERPRISE")


def test_enterprise_alternative_has_monthly_calls() -> None:
    """The detailed section's alternative: ENTERPRISE calls monthly (domain-spec I-13)."""
    assert Recurrence(Unit.MONTH, 1) == rhythm("ENTERPRISE", alternative=True)["call"]


def test_mid_market_template_and_alternative() -> None:
    """MID_MARKET: biweekly update, monthly call (alt every 2 months), quarterly check-in, semi-annual review."""
    plan = rhythm("mid-market")
    assert (Recurrence(Unit.WEEK, 2), Recurrence(Unit.MONTH, 1)) == (plan["async_update"], plan["call"])
    assert (Recurrence(Unit.MONTH, 3), Recurrence(Unit.MONTH, 6)) == (
        plan["quarterly_check_in"],
        plan["semi_annual_review"],
    )
    assert Recurrence(Unit.MONTH, 2) == rhythm("MID_MARKET", alternative=True)["call"]


def test_smb_cadence() -> None:
    """SMB: monthly email, quarterly call, annual review."""
    assert {
        "monthly_email": Recurrence(Unit.MONTH),
        "quarterly_call": Recurrence(Unit.MONTH, 3),
        "annual_review": Recurrence(Unit.YEAR),
    } == rhythm("SMB")


def test_tech_touch_is_product_led() -> None:
    """'tech-touch' names PRODUCT_LED (A-32): weekly automated email (alt monthly), all automated."""
    plan = segment_plan("tech-touch")
    assert Recurrence(Unit.WEEK) == plan.item("automated_email").recurrence
    assert all(i.automated for i in plan.items)
    assert (
        Recurrence(Unit.MONTH) == segment_plan(Segment.PRODUCT_LED, alternative=True).item("automated_email").recurrence
    )


def test_unknown_segment_is_refused() -> None:
    """An unknown segment raises UnknownNameError."""
    with pytest.raises(UnknownNameError):
        segment_plan("galactic")


def test_stage_rhythm_onboarding_weekly_adoption_biweekly_retention_monthly() -> None:
    """Onboarding weekly, adoption biweekly, value realisation (retention) monthly (domain-spec §5.9)."""
    recurrences = [stage_plan(s).items[0].recurrence for s in (Stage.ONBOARDING, Stage.ADOPTION, Stage.RETENTION)]
    assert [Recurrence(Unit.WEEK), Recurrence(Unit.WEEK, 2), Recurrence(Unit.MONTH)] == recurrences


def test_expansion_has_no_scheduled_touches() -> None:
    """Expansion touches come when opportunities arise: the stage plan is empty."""
    assert () == stage_plan("expansion").items


def test_advocacy_is_monthly_community() -> None:
    """Advocacy: a monthly community touch through an event."""
    (touch,) = stage_plan(6).items
    assert (Recurrence(Unit.MONTH), Channel.EVENT) == (touch.recurrence, touch.default_channel)


def test_renewal_touches_increase_from_t60_to_t0() -> None:
    """Renewal: T-60 and T-45, then weekly from T-30 to T-0; gaps shrink as the decision approaches."""
    renewal = date(2026, 6, 30)
    touches = stage_plan(Stage.RENEWAL).touchpoints(
        "a", Window(renewal - timedelta(days=90), renewal), Anchors(renewal_date=renewal)
    )
    before = [(renewal - t.due_at.date()).days for t in touches]
    assert [60, 45, 30, 23, 16, 9, 2] == before
    gaps = [a - b for a, b in itertools.pairwise(before)]
    assert gaps == sorted(gaps, reverse=True)
    assert (60, 30) == (RENEWAL_RAMP_FROM_DAYS, RENEWAL_RAMP_TO_DAYS)


def test_stage_plan_counts_from_stage_entry() -> None:
    """The adoption rhythm counts from the stage entry date given to build_agenda."""
    account = AccountSnapshot("a", "SMB", date(2026, 3, 2), contract_start=date(2025, 1, 1))
    agenda = build_agenda(
        account,
        Window(date(2026, 3, 2), date(2026, 3, 31)),
        plan=stage_plan("adoption"),
        stage_entered=date(2026, 3, 2),
    )
    assert ["2026-03-02", "2026-03-16", "2026-03-30"] == [t.due_at.date().isoformat() for t in agenda.touches]


def test_every_default_item_declares_a_purpose() -> None:
    """No default segment or stage plan item is a bare check-in."""
    plans = [segment_plan(s) for s in Segment] + [stage_plan(s) for s in Stage]
    assert all(i.purposes for p in plans for i in p.items)


def test_default_caps_per_segment() -> None:
    """Default weekly caps: ENTERPRISE 4, MID_MARKET 4, SMB 3, PRODUCT_LED 3."""
    assert {Segment.ENTERPRISE: 4, Segment.MID_MARKET: 4, Segment.SMB: 3, Segment.PRODUCT_LED: 3} == {
        s: caps_for(s)[0].max_touches for s in Segment
    }
    assert Period.WEEK == caps_for("smb")[0].period


@given(st.sampled_from(list(Segment)), st.booleans(), st.integers(0, 1500))
def test_default_cadence_leaves_room_for_one_alert_under_the_cap(segment: Segment, alt: bool, offset: int) -> None:
    """The busiest week of every default segment cadence is one below its cap: an alert always fits."""
    start = date(2023, 1, 1) + timedelta(days=offset)
    account = AccountSnapshot("a", segment, start, contract_start=start)
    agenda = build_agenda(
        account, Window(start, start + timedelta(days=400)), plan=segment_plan(segment, alternative=alt), caps=()
    )
    busiest = max(Counter(Period.WEEK.start_of(t.due_at.date()) for t in agenda.touches).values())
    assert busiest <= caps_for(segment)[0].max_touches - 1


def test_the_automated_stage_rhythm_keeps_the_rhythm_without_a_csm() -> None:
    """The low- and tech-touch form of each stage keeps its frequency, every touch automated."""
    for stage in Stage:
        personal, automated = stage_plan(stage), stage_plan(stage, automated=True)
        assert [i.recurrence for i in personal.items] == [i.recurrence for i in automated.items]
        assert all(i.automated for i in automated.items)
    assert Channel.IN_APP is stage_plan("onboarding", automated=True).items[0].default_channel
    assert "adoption stage rhythm (automated)" == stage_plan("adoption", automated=True).name


def test_the_renewal_ramp_reads_the_renewal_playbooks_numbers() -> None:
    """The ramp's T-60 / T-30 are the renewal context's touch ramp, not a second copy."""
    from postsale.renewal import TOUCH_RAMP_DAYS

    assert (RENEWAL_RAMP_FROM_DAYS, RENEWAL_RAMP_TO_DAYS) == TOUCH_RAMP_DAYS


def test_a_ramp_without_an_early_part_is_weekly_only_and_a_reversed_one_is_refused() -> None:
    """from == to leaves only the weekly touches; to after from is refused, naming ``to_days``."""
    from postsale import InvalidValueError
    from postsale.cadence import renewal_ramp_items

    assert ["renewal_weekly"] == [i.key for i in renewal_ramp_items(30, 30)]
    with pytest.raises(InvalidValueError, match="to_days"):
        renewal_ramp_items(30, 60)


def test_stage_plan_refuses_a_non_bool_automated() -> None:
    """``automated`` must be a bool (the error names it)."""
    from postsale import InvalidTypeError

    with pytest.raises(InvalidTypeError, match="automated"):
        stage_plan("adoption", automated="yes")  # type: ignore[arg-type]
