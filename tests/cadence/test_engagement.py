"""Engagement targets, over-communication signals and proactive time (domain-spec §5.1, §5.12, §6.8, A-19)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from postsale import InvalidTypeError, InvalidValueError, Segment
from postsale.cadence import (
    PROACTIVE_SHARE_FROM,
    PROACTIVE_SHARE_TO,
    CadencePlan,
    Channel,
    EngagementMetric,
    EngagementOutcome,
    EngagementRecord,
    EngagementTargets,
    OverCommunicationPolicy,
    OverCommunicationSignal,
    Recurrence,
    Unit,
    assess_over_communication,
    evaluate_engagement,
    lower_cadence,
    proactive_share,
    segment_plan,
)
from postsale.kpi import TargetStatus

AS_OF = date(2026, 6, 30)


def records(n: int, hits: int, channel: str, outcome: str, **kwargs: object) -> list[EngagementRecord]:
    """``n`` SMB records through ``channel``, the first ``hits`` with ``outcome``."""
    return [
        EngagementRecord("a", "SMB", channel, AS_OF - timedelta(days=i), [outcome] if i < hits else [], **kwargs)  # type: ignore[arg-type]
        for i in range(n)
    ]


def result(recs: list[EngagementRecord], metric: EngagementMetric) -> tuple[float, bool]:
    """(rate, met) of ``metric``."""
    (found,) = [r for r in evaluate_engagement(recs) if r.metric is metric]
    return found.rate, found.met


@pytest.mark.parametrize(
    ("channel", "outcome", "metric", "at", "above", "n", "extra"),
    [
        ("email", "opened", EngagementMetric.EMAIL_OPEN, 2, 3, 5, {}),
        ("email", "clicked", EngagementMetric.EMAIL_CLICK, 3, 4, 20, {}),
        ("video_call", "accepted", EngagementMetric.CALL_ACCEPTANCE, 3, 4, 4, {}),
        ("email", "downloaded", EngagementMetric.RESOURCE_DOWNLOAD, 1, 2, 4, {"resource_offered": True}),
        ("webinar", "attended", EngagementMetric.EVENT_ATTENDANCE, 1, 2, 5, {}),
    ],
)
def test_targets_are_strict(
    channel: str, outcome: str, metric: EngagementMetric, at: int, above: int, n: int, extra: dict[str, object]
) -> None:
    """A rate exactly at its target misses it; one hit more meets it (40/15/75/25/20 %, strict >)."""
    at_rate, at_met = result(records(n, at, channel, outcome, **extra), metric)
    assert (EngagementTargets().target(metric), False) == (at_rate, at_met)
    assert result(records(n, above, channel, outcome, **extra), metric)[1]


def test_results_per_segment_and_channel() -> None:
    """Results are grouped per segment and channel, phone and video calls apart."""
    recs = [
        EngagementRecord("a", "SMB", "phone", AS_OF, ["accepted"]),
        EngagementRecord("b", "ENTERPRISE", "video_call", AS_OF, []),
    ]
    assert [(Segment.ENTERPRISE, Channel.VIDEO_CALL, 0.0), (Segment.SMB, Channel.PHONE, 1.0)] == [
        (r.segment, r.channel, r.rate) for r in evaluate_engagement(recs)
    ]


def test_click_counts_as_open() -> None:
    """A clicked email was opened."""
    rec = EngagementRecord("a", "SMB", "email", AS_OF, ["clicked"])
    assert (True, True) == (rec.opened, rec.responded)


def test_custom_targets_and_explain() -> None:
    """Targets are configurable; the explanation states rate and target."""
    recs = records(4, 1, "email", "opened")
    (opened, _) = evaluate_engagement(recs, targets=EngagementTargets(email_open=0.2))
    assert opened.met
    assert "25.0 % (1/4)".replace(" %", "%") in opened.explain()[0]
    assert "meets the target of more than 20%" in opened.explain()[0]


def test_target_outside_zero_one_is_refused() -> None:
    """A target of 40 (meaning 40 %) is refused with a hint."""
    with pytest.raises(InvalidValueError) as info:
        EngagementTargets(email_open=40)
    assert "email_open" == info.value.field


def test_non_record_is_refused() -> None:
    """evaluate_engagement refuses values that are not records."""
    with pytest.raises(InvalidTypeError):
        evaluate_engagement(["email"])  # type: ignore[list-item]


def test_record_validation() -> None:
    """Unknown channels and outcomes, non-bool flags and datetimes are refused."""
    from postsale import UnknownNameError

    with pytest.raises(UnknownNameError):
        EngagementRecord("a", "SMB", "fax", AS_OF)
    with pytest.raises(UnknownNameError):
        EngagementRecord("a", "SMB", "email", AS_OF, ["liked"])
    with pytest.raises(InvalidValueError):
        EngagementRecord("a", "SMB", "email", AS_OF, important=1)  # type: ignore[arg-type]
    assert frozenset({EngagementOutcome.OPENED}) == EngagementRecord("a", "SMB", "email", AS_OF, "opened").outcomes


def history(recent_hits: int, previous_hits: int, n: int = 10) -> list[EngagementRecord]:
    """``n`` emails in each 90-day period, with the given number replied."""
    recent = [
        EngagementRecord("a", "SMB", "email", AS_OF - timedelta(days=i), ["replied"] if i < recent_hits else [])
        for i in range(n)
    ]
    previous = [
        EngagementRecord("a", "SMB", "email", AS_OF - timedelta(days=100 + i), ["replied"] if i < previous_hits else [])
        for i in range(n)
    ]
    return recent + previous


def test_declining_response_rate_boundary() -> None:
    """From 80 % to 70 % (12.5 % lower) is not declining; to 60 % (exactly a quarter lower) it is."""
    assert () == assess_over_communication("a", history(7, 8), as_of=AS_OF).signals
    found = assess_over_communication("a", history(6, 8), as_of=AS_OF)
    assert (OverCommunicationSignal.DECLINING_RESPONSE,) == found.signals
    assert "fell from 80% to 60%" in found.explain()[0]


def test_no_decline_from_zero() -> None:
    """A previous response rate of zero cannot decline."""
    assert () == assess_over_communication("a", history(0, 0), as_of=AS_OF).signals


def test_too_few_touches_are_not_compared() -> None:
    """Below min_touches per period, response rates are not compared."""
    found = assess_over_communication("a", history(0, 3, n=3), as_of=AS_OF)
    assert (None, None, ()) == (found.recent_response_rate, found.previous_response_rate, found.signals)


def test_request_to_reduce_and_spam_complaints() -> None:
    """One request to reduce frequency and one spam complaint are signs."""
    recs = [
        EngagementRecord("a", "SMB", "email", AS_OF, ["asked_to_reduce"]),
        EngagementRecord("a", "SMB", "email", AS_OF, ["spam_complaint"]),
    ]
    found = assess_over_communication("a", recs, as_of=AS_OF)
    assert (OverCommunicationSignal.ASKED_TO_REDUCE, OverCommunicationSignal.SPAM_COMPLAINTS) == found.signals
    assert found.lower
    assert [
        "The customer asked 1 time(s) to reduce the frequency.",
        "1 spam complaint(s) were received.",
        "Lower the cadence of account a: quality over quantity.",
    ] == found.explain()


def test_ignored_important_emails_boundary() -> None:
    """One unopened important email is not a sign; two are."""
    one = [EngagementRecord("a", "SMB", "email", AS_OF, important=True)]
    assert not assess_over_communication("a", one, as_of=AS_OF).lower
    found = assess_over_communication("a", one * 2, as_of=AS_OF)
    assert (OverCommunicationSignal.IGNORED_IMPORTANT,) == found.signals
    assert "2 important email(s) were not opened." in found.explain()


def test_other_accounts_old_and_future_records_are_ignored() -> None:
    """Records of other accounts, older than two periods or after as_of do not count."""
    recs = [
        EngagementRecord("b", "SMB", "email", AS_OF, ["spam_complaint"]),
        EngagementRecord("a", "SMB", "email", AS_OF - timedelta(days=181), ["spam_complaint"]),
        EngagementRecord("a", "SMB", "email", AS_OF + timedelta(days=1), ["spam_complaint"]),
    ]
    found = assess_over_communication("a", recs, as_of=AS_OF)
    assert (0, ()) == (found.spam_complaints, found.signals)
    assert ["No sign of over-communication for account a in the last 90 days."] == found.explain()


def test_policy_thresholds_are_configurable() -> None:
    """A policy needing two spam complaints ignores one."""
    recs = [EngagementRecord("a", "SMB", "email", AS_OF, ["spam_complaint"])]
    assert not assess_over_communication(
        "a", recs, as_of=AS_OF, policy=OverCommunicationPolicy(spam_complaints=2)
    ).lower


def test_policy_refuses_zero_thresholds() -> None:
    """A policy threshold of 0 is refused naming the field."""
    with pytest.raises(InvalidValueError) as info:
        OverCommunicationPolicy(lookback_days=0)
    assert "lookback_days" == info.value.field


def test_as_of_must_be_a_date() -> None:
    """as_of must be a date."""
    with pytest.raises(InvalidTypeError):
        assess_over_communication("a", [], as_of="2026-06-30")  # type: ignore[arg-type]


def test_over_communication_lowers_the_cadence() -> None:
    """A sign of over-communication stretches weekly and monthly touches; reviews keep their rhythm."""
    recs = [EngagementRecord("a", "ENTERPRISE", "email", AS_OF, ["asked_to_reduce"])]
    lowered = assess_over_communication("a", recs, as_of=AS_OF).adjust(segment_plan("ENTERPRISE"))
    assert [Recurrence(Unit.WEEK, 2), Recurrence(Unit.WEEK, 4), Recurrence(Unit.MONTH, 3), Recurrence(Unit.YEAR)] == [
        i.recurrence for i in lowered.items
    ]
    assert lowered.name.endswith("(lowered x2)")


def test_no_sign_keeps_the_plan() -> None:
    """Without a sign the plan is returned unchanged."""
    plan = segment_plan("SMB")
    assert plan is assess_over_communication("a", [], as_of=AS_OF).adjust(plan)


def test_lower_cadence_factor_one_and_zero() -> None:
    """Factor 1 changes nothing; factor 0 is refused."""
    plan = segment_plan("SMB")
    assert plan == lower_cadence(plan, factor=1)
    with pytest.raises(InvalidValueError):
        lower_cadence(plan, factor=0)


def test_lower_cadence_keeps_one_off_items() -> None:
    """One-off items are not stretched."""
    from postsale.cadence import onboarding_plan

    lowered = lower_cadence(onboarding_plan())
    assert onboarding_plan().items[:12] == lowered.items[:12]
    assert isinstance(lowered, CadencePlan)


@pytest.mark.parametrize(
    ("proactive", "reactive", "status"),
    [
        (59, 41, TargetStatus.BELOW),
        (6, 4, TargetStatus.ON_TARGET),
        (65, 35, TargetStatus.ON_TARGET),
        (7, 3, TargetStatus.ON_TARGET),
        (71, 29, TargetStatus.ABOVE),
    ],
)
def test_proactive_share_band_is_inclusive(proactive: float, reactive: float, status: TargetStatus) -> None:
    """60 % and 70 % are on target; 59 % is below, 71 % above (domain-spec §5.1)."""
    assert status == proactive_share(proactive, reactive).status


def test_proactive_share_explain_and_constants() -> None:
    """The band is 60-70 % and the explanation gives the share."""
    assert (0.60, 0.70) == (PROACTIVE_SHARE_FROM, PROACTIVE_SHARE_TO)
    assert "50% of CS time is proactive (target 60%-70%" in proactive_share(1, 1).explain()[0]
    assert "on target" in proactive_share(2, 1, target_from=0.5, target_to=0.7).explain()[0]
    assert "reactive support" in proactive_share(1, 0).explain()[0]


def test_proactive_share_errors() -> None:
    """Negative hours, no hours and an inverted band are refused naming the field."""
    with pytest.raises(InvalidValueError) as negative:
        proactive_share(-1, 2)
    with pytest.raises(InvalidValueError) as nothing:
        proactive_share(0, 0)
    with pytest.raises(InvalidValueError) as inverted:
        proactive_share(1, 1, target_from=0.8, target_to=0.7)
    assert ["proactive_hours", "reactive_hours", "target_from"] == [
        negative.value.field,
        nothing.value.field,
        inverted.value.field,
    ]


def test_min_touches_boundary() -> None:
    """Exactly 4 touches per period are compared; 3 are not."""
    assert 0.5 == assess_over_communication("a", history(2, 4, n=4), as_of=AS_OF).recent_response_rate
    assert assess_over_communication("a", history(2, 3, n=3), as_of=AS_OF).recent_response_rate is None


def test_lookback_boundary() -> None:
    """A record 89 days back is recent, one 90 days back belongs to the previous period."""
    recent = EngagementRecord("a", "SMB", "email", AS_OF - timedelta(days=89), ["spam_complaint"])
    previous = EngagementRecord("a", "SMB", "email", AS_OF - timedelta(days=90), ["spam_complaint"])
    assert (1, 0) == (
        assess_over_communication("a", [recent], as_of=AS_OF).spam_complaints,
        assess_over_communication("a", [previous], as_of=AS_OF).spam_complaints,
    )


def test_lower_cadence_threshold_is_configurable() -> None:
    """below_days=400 also stretches quarterly and yearly rhythms; below_days=0 is refused."""
    lowered = lower_cadence(segment_plan("SMB"), below_days=400)
    assert [Recurrence(Unit.MONTH, 2), Recurrence(Unit.MONTH, 6), Recurrence(Unit.YEAR, 2)] == [
        i.recurrence for i in lowered.items
    ]
    with pytest.raises(InvalidValueError):
        lower_cadence(segment_plan("SMB"), below_days=0)
