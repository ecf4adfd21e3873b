"""The efficiency metrics of the team's touches: per CSM a month, automation, proactive share, cost per touch."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import postsale
from postsale import InvalidTypeError, InvalidValueError, Segment
from postsale.cadence import Channel, DeliveredTouch, SegmentEfficiency, TouchEfficiency, touch_efficiency

MARCH = {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}


def touch(segment="SMB", channel="email", day=date(2026, 3, 10), **kw):
    if not kw.get("automated"):
        kw.setdefault("csm", "kim")
    return DeliveredTouch("acme", segment, channel, day, **kw)


def test_the_period_includes_both_ends_and_counts_what_falls_outside():
    """Touches on the first and last day count; the day before and the day after are left out and counted."""
    days = [date(2026, 2, 28), date(2026, 3, 1), date(2026, 3, 31), date(2026, 4, 1)]
    report = touch_efficiency([touch(day=d) for d in days], **MARCH)
    assert (2, 2) == (report.overall.touches, report.outside)
    assert "2 touches outside the period left out." in report.explain()


def test_touches_per_csm_a_month_count_people_not_automation():
    """Four personal touches by two CSMs over a 61-day period: one touch per CSM a month; automation is apart."""
    sent = [touch(csm="kim"), touch(csm="kim"), touch(csm="lee"), touch(csm="lee"), touch(automated=True)]
    report = touch_efficiency(sent, start=date(2026, 3, 1), end=date(2026, 4, 30))
    smb = report.segment(Segment.SMB)
    assert smb is not None
    assert smb.csms == 2
    assert smb.touches_per_csm_month == pytest.approx(4 / 2 / (61 / (365.25 / 12)))
    assert smb.automation_rate == pytest.approx(0.2)


def test_automation_and_proactive_rates_per_segment():
    """The rates are shares of the segment's touches; a segment without touches is absent."""
    sent = [touch("ENTERPRISE", "video call", proactive=False), touch("ENTERPRISE", "video call"),
            touch("SMB", automated=True), touch("SMB", automated=True), touch("SMB", automated=True), touch("SMB")]
    report = touch_efficiency(sent, **MARCH)
    enterprise, smb = report.segment("ENTERPRISE"), report.segment("SMB")
    assert (enterprise.automation_rate, enterprise.proactive_rate) == (0.0, 0.5)
    assert (smb.automation_rate, smb.proactive_rate) == (0.75, 1.0)
    assert report.segment("MID_MARKET") is None
    assert [s.segment for s in report.segments] == [Segment.ENTERPRISE, Segment.SMB]


def test_cost_per_touch_is_the_cost_over_every_touch_and_automated_touches_cost_no_csm_time():
    """$900 over 3 touches is $300 a touch; the two personal calls share it, the automated email takes none."""
    sent = [touch(channel="phone"), touch(channel="phone"), touch(automated=True)]
    smb = touch_efficiency(sent, **MARCH, cost_by_segment={"SMB": 900}).segment("SMB")
    assert smb.cost_per_touch == Decimal("300.00")
    assert dict(smb.cost_by_channel) == {Channel.EMAIL: Decimal("0.00"), Channel.PHONE: Decimal("450.00")}


def test_minutes_share_the_cost_by_time_when_every_personal_touch_has_them():
    """A 60-minute meeting costs three times a 20-minute call; one touch without minutes falls back to counts."""
    timed = [touch(channel="video call", minutes=60), touch(channel="phone", minutes=20)]
    costs = dict(touch_efficiency(timed, **MARCH, cost_by_segment={"SMB": 800}).segment("SMB").cost_by_channel)
    assert costs == {Channel.PHONE: Decimal("200.00"), Channel.VIDEO_CALL: Decimal("600.00")}
    untimed = [touch(channel="video call", minutes=60), touch(channel="phone")]
    costs = dict(touch_efficiency(untimed, **MARCH, cost_by_segment={"SMB": 800}).segment("SMB").cost_by_channel)
    assert costs == {Channel.PHONE: Decimal("400.00"), Channel.VIDEO_CALL: Decimal("400.00")}


def test_the_portfolio_cost_needs_every_segment_with_touches():
    """With a cost for SMB only and Enterprise touches too, the portfolio has no cost per touch."""
    sent = [touch("SMB"), touch("ENTERPRISE")]
    partial = touch_efficiency(sent, **MARCH, cost_by_segment={"SMB": 100})
    assert partial.overall.cost_per_touch is None
    assert partial.segment("SMB").cost_per_touch == Decimal("100.00")
    full = touch_efficiency(sent, **MARCH, cost_by_segment={"SMB": 100, "ENTERPRISE": 300, "MID_MARKET": 50})
    assert full.overall.cost_per_touch == Decimal("200.00")


def test_explain_says_the_figures_in_words_with_singular_and_plural():
    """One touch, one CSM; the cost line names each channel."""
    report = touch_efficiency([touch(channel="phone")], **MARCH, cost_by_segment={"SMB": 50})
    lines = report.explain()
    assert lines[0] == "Touches delivered 2026-03-01 to 2026-03-31 (1.0 months)."
    assert "SMB: 1 touch, 1.0 touches per CSM a month (1 CSM); 0% automated, 100% started by the team." in lines
    assert "SMB: $50.00 a touch on average (phone $50.00)." in lines
    empty = touch_efficiency([], **MARCH)
    assert "All segments: no touch delivered in the period." in empty.explain()


def test_a_personal_touch_needs_its_csm():
    """A touch that is not automated and names no CSM is refused with the way out."""
    with pytest.raises(InvalidValueError) as exc:
        DeliveredTouch("acme", "SMB", "email", date(2026, 3, 1))
    assert exc.value.field == "csm"
    assert "automated=True" in str(exc.value)


@pytest.mark.parametrize(("field", "value"), [("automated", 1), ("proactive", "yes"), ("minutes", -5)])
def test_bad_touch_fields_are_refused_naming_the_field(field, value):
    """Flags must be real booleans and minutes a count."""
    with pytest.raises((InvalidTypeError, InvalidValueError)) as exc:
        DeliveredTouch("acme", "SMB", "email", date(2026, 3, 1), csm="kim", **{field: value})
    assert exc.value.field == field


def test_a_period_that_ends_before_it_starts_is_refused():
    """end < start is an error; end == start is a one-day period."""
    with pytest.raises(InvalidValueError) as exc:
        touch_efficiency([], start=date(2026, 3, 2), end=date(2026, 3, 1))
    assert exc.value.field == "end"
    assert touch_efficiency([touch(day=date(2026, 3, 2))], start=date(2026, 3, 2), end=date(2026, 3, 2)).overall.touches


def test_values_refuse_inconsistent_counts():
    """A segment cannot have more automated touches than touches, nor a period of zero months."""
    with pytest.raises(InvalidValueError):
        SegmentEfficiency(None, 1, 2, 0, 0, 1.0)
    with pytest.raises(InvalidValueError):
        SegmentEfficiency(None, 1, 0, 0, 0, 0.0)


def test_results_round_trip():
    """The report and a touch survive to_data / from_data."""
    report = touch_efficiency([touch(channel="phone", minutes=30)], **MARCH, cost_by_segment={"SMB": 50})
    assert report == postsale.from_data(TouchEfficiency, postsale.to_data(report))
    one = touch(minutes=5)
    assert one == postsale.from_json(DeliveredTouch, postsale.to_json(one))
