"""The journey: tracks, guarded moves, skips, regressions, cycles, replay, time travel, timing, suggestions."""

from __future__ import annotations

import pickle
from datetime import date, timedelta

import pytest
from hypothesis import given

from postsale import (
    AccountSnapshot,
    InvalidTypeError,
    InvalidValueError,
    OutOfOrderError,
    Segment,
    Stage,
    StructureError,
    TransitionRefused,
    UnknownNameError,
    from_data,
    from_json,
    to_data,
    to_json,
)
from postsale.journey import Cause, Journey, JourneyEvent, TimingStatus, TransitionKind
from tests.strategies.journey import FULL_EVIDENCE, journeys

D0 = date(2026, 1, 5)
ONBOARDED = {k: FULL_EVIDENCE[k] for k in ("implementation_complete", "core_users_trained", "use_case_live",
                                           "first_value_documented", "go_live_confirmed")}
ADOPTED = {"seat_utilisation": 0.70, "features_beyond_initial": 3, "usage_pattern_established": 1,
           "additional_teams_onboarded": 1, "power_users": 2}


def in_stage(stage: Stage, segment: Segment = Segment.SMB) -> Journey:
    """A single-track journey opened directly in ``stage`` (an imported customer)."""
    return Journey.start("acme", segment, on=D0, stage=stage, reason="imported", evidence=FULL_EVIDENCE)


def test_start_opens_the_core_track_in_onboarding() -> None:
    """A journey starts with one ENTRY event: the core track in Onboarding."""
    j = Journey.start("acme", "ENTERPRISE", on=D0)
    assert j.stage() is Stage.ONBOARDING
    assert j.tracks["core"].since == D0
    assert (len(j), j.last_event.kind, j.started_on) == (1, TransitionKind.ENTRY, D0)
    assert not j.retention_ongoing
    assert repr(j) == "Journey('acme', ENTERPRISE, tracks: core=ONBOARDING, events=1)"


def test_onboarding_exit_needs_all_five_criteria() -> None:
    """Moving to Adoption with one criterion missing is refused and the error lists it."""
    j = Journey.start("acme", "SMB", on=D0)
    for missing in ONBOARDED:
        evidence = {k: v for k, v in ONBOARDED.items() if k != missing}
        with pytest.raises(TransitionRefused) as info:
            j.move("core", Stage.ADOPTION, on=D0, evidence=evidence)
        assert info.value.missing == (missing,)
        assert info.value.track == "core"
    moved = j.move("core", Stage.ADOPTION, on=D0 + timedelta(days=20), evidence=ONBOARDED)
    assert moved.stage() is Stage.ADOPTION
    assert moved.last_event.kind is TransitionKind.FORWARD
    assert dict(moved.last_event.evidence) == ONBOARDED


def test_go_live_must_be_confirmed_by_the_customer() -> None:
    """go_live_confirmed = 0 refuses the move (don't declare victory yourself)."""
    j = Journey.start("acme", "SMB", on=D0)
    with pytest.raises(TransitionRefused, match="go_live_confirmed"):
        j.move("core", Stage.ADOPTION, on=D0, evidence={**ONBOARDED, "go_live_confirmed": 0})


@pytest.mark.parametrize(("seats", "ok"), [(0.69, False), (0.6999, False), (0.70, True), (0.71, True)])
def test_adoption_exit_seat_boundary(seats: float, ok: bool) -> None:
    """69 % of seats active is not enough; 70 % is (domain-spec §1.3, inclusive)."""
    j = in_stage(Stage.ADOPTION)
    evidence = {**ADOPTED, "seat_utilisation": seats}
    if ok:
        assert j.move("core", Stage.RETENTION, on=D0, evidence=evidence).stage() is Stage.RETENTION
    else:
        with pytest.raises(TransitionRefused) as info:
            j.move("core", Stage.RETENTION, on=D0, evidence=evidence)
        assert info.value.missing == ("seats_active_70pct",)


@pytest.mark.parametrize(("features", "ok"), [(2, False), (3, True)])
def test_adoption_exit_feature_boundary(features: int, ok: bool) -> None:
    """2 features beyond the initial use case is not enough; 3 is."""
    j = in_stage(Stage.ADOPTION)
    evidence = {**ADOPTED, "features_beyond_initial": features}
    if ok:
        assert j.move("core", Stage.RETENTION, on=D0, evidence=evidence).stage() is Stage.RETENTION
    else:
        with pytest.raises(TransitionRefused, match="features_beyond_initial"):
            j.move("core", Stage.RETENTION, on=D0, evidence=evidence)


def test_snapshot_can_be_the_evidence() -> None:
    """An AccountSnapshot is accepted as evidence (seat utilisation derived from seats)."""
    j = in_stage(Stage.ADOPTION)
    snap = AccountSnapshot("acme", "SMB", D0, seats_purchased=10, seats_active=7,
                           signals={k: float(v) for k, v in ADOPTED.items() if k != "seat_utilisation"})
    assert j.move("core", Stage.RETENTION, on=D0, evidence=snap).stage() is Stage.RETENTION


def test_advocacy_requires_the_qualification() -> None:
    """Renewal -> Advocacy is refused for a customer that never renewed; allowed once it has."""
    j = in_stage(Stage.RENEWAL)
    with pytest.raises(TransitionRefused, match="renewed_at_least_once"):
        j.move("core", Stage.ADVOCACY, on=D0, evidence={**FULL_EVIDENCE, "renewals_completed": 0})
    assert j.move("core", Stage.ADVOCACY, on=D0, evidence=FULL_EVIDENCE).stage() is Stage.ADVOCACY


def test_unguarded_forward_move_needs_no_evidence() -> None:
    """Retention -> Expansion has no guard."""
    j = in_stage(Stage.RETENTION).move("core", Stage.EXPANSION, on=D0, cause=Cause.EXPANSION_OPPORTUNITY)
    assert (j.stage(), j.last_event.kind, j.last_event.cause) == (Stage.EXPANSION, TransitionKind.FORWARD,
                                                                  Cause.EXPANSION_OPPORTUNITY)


def test_skip_with_met_criteria_is_recorded_as_skip() -> None:
    """Onboarding -> Expansion with every crossed criterion met is a SKIP, no reason needed."""
    j = Journey.start("acme", "SMB", on=D0).move("core", Stage.EXPANSION, on=D0, evidence=FULL_EVIDENCE)
    assert j.last_event.kind is TransitionKind.SKIP
    assert j.last_event.skipped == ()


def test_skip_past_unmet_guard_needs_a_reason() -> None:
    """A SKIP past unmet criteria is refused without a reason and recorded with them when given one."""
    j = Journey.start("acme", "SMB", on=D0)
    with pytest.raises(TransitionRefused, match="explicit reason"):
        j.move("core", Stage.EXPANSION, on=D0, evidence=ONBOARDED)
    skipped = j.move("core", Stage.EXPANSION, on=D0, evidence=ONBOARDED, reason="blew through in 2 weeks")
    event = skipped.last_event
    assert event.kind is TransitionKind.SKIP
    assert event.skipped == ("seats_active_70pct", "features_beyond_initial", "usage_pattern_established",
                             "additional_teams_onboarded", "power_users_identified")
    assert "skipped unmet criteria" in event.explain()[0]


def test_forward_move_is_never_forced() -> None:
    """A reason does not force an adjacent FORWARD move past unmet criteria."""
    with pytest.raises(TransitionRefused, match="never forced"):
        Journey.start("acme", "SMB", on=D0).move("core", Stage.ADOPTION, on=D0, reason="please")


def test_backward_move_without_cause_names_the_allowed_causes() -> None:
    """A backward move with no cause is refused, listing the allowed causes."""
    j = in_stage(Stage.EXPANSION)
    with pytest.raises(TransitionRefused) as info:
        j.move("core", Stage.ADOPTION, on=D0)
    assert "CHAMPION_LEFT" in info.value.allowed_causes
    assert "MERGER" in info.value.allowed_causes
    assert "CRITERIA_MET" not in info.value.allowed_causes
    assert "CHAMPION_LEFT" in str(info.value)


def test_backward_move_with_progress_cause_is_refused() -> None:
    """A progress cause cannot explain a backward move."""
    with pytest.raises(TransitionRefused, match="progress cause"):
        in_stage(Stage.EXPANSION).move("core", Stage.ADOPTION, on=D0, cause=Cause.CRITERIA_MET)


@pytest.mark.parametrize(
    ("cause", "kind"),
    [(Cause.CHAMPION_LEFT, TransitionKind.REGRESSION), (Cause.BUDGET_CUT, TransitionKind.REGRESSION),
     (Cause.COMPETITOR_EVALUATION, TransitionKind.REGRESSION), (Cause.HEALTH_DECLINE, TransitionKind.REGRESSION),
     (Cause.LEADERSHIP_CHANGE, TransitionKind.REGRESSION), (Cause.NEW_PRODUCT_RELEASE, TransitionKind.CYCLE),
     (Cause.MERGER, TransitionKind.CYCLE), (Cause.NEW_DEPARTMENT, TransitionKind.CYCLE)],
)
def test_backward_kind_follows_the_cause(cause: Cause, kind: TransitionKind) -> None:
    """Risk causes make a REGRESSION, new-scope causes a CYCLE (domain-spec §1.9)."""
    j = in_stage(Stage.RENEWAL).move("core", Stage.ONBOARDING, on=D0, cause=cause)
    assert j.last_event.kind is kind


def test_other_cause_needs_a_reason() -> None:
    """Cause.OTHER is free-form: it needs a reason."""
    j = in_stage(Stage.RETENTION)
    with pytest.raises(TransitionRefused, match="needs a reason"):
        j.move("core", Stage.ADOPTION, on=D0, cause=Cause.OTHER)
    moved = j.move("core", Stage.ADOPTION, on=D0, cause=Cause.OTHER, reason="office closed for a quarter")
    assert moved.last_event.reason == "office closed for a quarter"
    with pytest.raises(TransitionRefused, match="needs a reason"):
        j.close_track("core", on=D0, cause=Cause.OTHER)
    with pytest.raises(TransitionRefused, match="needs a reason"):
        j.open_track("x", on=D0, cause=Cause.OTHER)


def test_move_to_same_stage_is_refused() -> None:
    """A journey records changes only."""
    with pytest.raises(TransitionRefused, match="already in"):
        in_stage(Stage.RETENTION).move("core", Stage.RETENTION, on=D0)


def test_events_out_of_time_order_are_refused() -> None:
    """An event dated before the last one is refused; the same day is fine."""
    j = in_stage(Stage.RETENTION).move("core", Stage.EXPANSION, on=D0 + timedelta(days=5))
    with pytest.raises(OutOfOrderError, match="2026-01-10"):
        j.move("core", Stage.RENEWAL, on=D0)
    with pytest.raises(OutOfOrderError):
        j.open_track("x", on=D0)
    with pytest.raises(OutOfOrderError):
        j.close_track("core", on=D0, cause=Cause.CHURNED)
    assert j.move("core", Stage.RENEWAL, on=D0 + timedelta(days=5)).stage() is Stage.RENEWAL


def test_bad_arguments_are_refused() -> None:
    """Unknown tracks, stages and non-date days raise documented errors."""
    j = in_stage(Stage.RETENTION)
    with pytest.raises(UnknownNameError, match="open tracks: core"):
        j.move("marketing", Stage.EXPANSION, on=D0)
    with pytest.raises(UnknownNameError):
        j.stage("marketing")
    with pytest.raises(UnknownNameError):
        j.close_track("marketing", on=D0, cause=Cause.CHURNED)
    with pytest.raises(UnknownNameError):
        j.move("core", "NIRVANA", on=D0)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="on"):
        j.move("core", Stage.EXPANSION, on="2026-01-05")  # type: ignore[arg-type]
    assert j.move("core", "expansion", on=D0).stage() is Stage.EXPANSION  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="account_id"):
        Journey.start("", "SMB", on=D0)
    with pytest.raises(InvalidValueError, match="track"):
        Journey.start("a", "SMB", on=D0, track=" ")


def test_tracks_overlap_and_retention_runs_in_parallel() -> None:
    """Several tracks in different stages is overlap; Retention is ongoing once one track left Onboarding."""
    j = (Journey.start("acme", "ENTERPRISE", on=D0)
         .move("core", Stage.ADOPTION, on=D0, evidence=ONBOARDED)
         .open_track("finance-dept", on=D0 + timedelta(days=30))
         .open_track("analytics-product", on=D0 + timedelta(days=31), stage=Stage.EXPANSION))
    assert j.stages == {Stage.ONBOARDING, Stage.ADOPTION, Stage.EXPANSION}
    assert j.retention_ongoing
    assert j.active_stages == {Stage.ONBOARDING, Stage.ADOPTION, Stage.RETENTION, Stage.EXPANSION}
    assert j.primary_stage is Stage.EXPANSION
    assert j.last_event.cause is Cause.NEW_DEPARTMENT
    with pytest.raises(InvalidValueError, match="already open"):
        j.open_track("core", on=D0 + timedelta(days=40))


def test_opening_in_advocacy_is_guarded() -> None:
    """Opening a track straight into Advocacy needs the qualification or an explicit reason."""
    with pytest.raises(TransitionRefused, match="renewed_at_least_once"):
        Journey.start("a", "SMB", on=D0, stage=Stage.ADVOCACY, evidence={**FULL_EVIDENCE, "renewals_completed": 0})
    j = Journey.start("a", "SMB", on=D0, stage=Stage.ADVOCACY, reason="went straight to advocacy")
    assert len(j.last_event.skipped) == 7


def test_close_track_keeps_history() -> None:
    """Closing a track removes it from the open tracks and records an EXIT."""
    j = Journey.start("acme", "SMB", on=D0).open_track("pilot", on=D0).close_track("pilot", on=D0,
                                                                                   cause=Cause.CHURNED)
    assert set(j.tracks) == {"core"}
    assert j.last_event.kind is TransitionKind.EXIT
    assert j.last_event.explain() == ["2026-01-05 [pilot] Onboarding -> (closed): EXIT because CHURNED"]
    closed_all = j.close_track("core", on=D0, cause=Cause.CHURNED)
    assert closed_all.primary_stage is None


def test_journey_is_immutable_and_history_append_only() -> None:
    """Applying an event returns a new journey; the old one is unchanged; history extends it."""
    j1 = Journey.start("acme", "SMB", on=D0)
    j2 = j1.move("core", Stage.ADOPTION, on=D0, evidence=ONBOARDED)
    assert j1.stage() is Stage.ONBOARDING
    assert j2.history[: len(j1)] == j1.history
    with pytest.raises(AttributeError):
        j1._head = ()  # type: ignore[misc]


def test_as_of_returns_past_states() -> None:
    """as_of(date) is the journey at the end of that date."""
    j = (Journey.start("acme", "SMB", on=D0)
         .move("core", Stage.ADOPTION, on=date(2026, 2, 1), evidence=ONBOARDED)
         .move("core", Stage.ONBOARDING, on=date(2026, 3, 1), cause=Cause.NEW_PRODUCT_RELEASE))
    assert j.as_of(date(2026, 1, 31)).stage() is Stage.ONBOARDING
    assert j.as_of(date(2026, 2, 1)).stage() is Stage.ADOPTION
    assert j.as_of(date(2026, 2, 28)).stage() is Stage.ADOPTION
    assert j.as_of(date(2026, 3, 1)) is j
    with pytest.raises(InvalidValueError, match="before the journey started"):
        j.as_of(date(2026, 1, 4))


def test_replay_rebuilds_the_same_journey() -> None:
    """Replaying the history gives an equal journey."""
    j = (Journey.start("acme", "SMB", on=D0, labels={"source": "referral"})
         .move("core", Stage.EXPANSION, on=D0, evidence=ONBOARDED, reason="fast")
         .open_track("x", on=D0).close_track("x", on=D0, cause=Cause.CHURNED)
         .move("core", Stage.ADOPTION, on=D0, cause=Cause.CHAMPION_LEFT))
    again = Journey.replay("acme", "SMB", j.history, labels={"source": "referral"})
    assert again == j
    assert hash(again) == hash(j)
    assert j != Journey.start("acme", "SMB", on=D0)
    assert j.__eq__("x") is NotImplemented


def test_a_journey_pickles_as_its_events() -> None:
    """A journey (and one seen as of a past date) pickles equal, with its labels, and keeps working afterwards."""
    j = Journey.start("acme", "SMB", on=D0, labels={"source": "referral"}, stage=Stage.RETENTION)
    for day in range(1, 2001):  # a long history: no recursion limit on the way in or out
        to, cause = (Stage.ADOPTION, Cause.CHAMPION_LEFT) if day % 2 else (Stage.RETENTION, Cause.CRITERIA_MET)
        j = j.move("core", to, on=D0 + timedelta(days=day), cause=cause, evidence=FULL_EVIDENCE)
    again = pickle.loads(pickle.dumps(j))
    past = j.as_of(D0 + timedelta(days=10))
    assert (again, again.labels, pickle.loads(pickle.dumps(past))) == (j, j.labels, past)
    assert Stage.ADOPTION == again.move("core", Stage.ADOPTION, on=D0 + timedelta(days=3000),
                                        cause=Cause.BUDGET_CUT).stage("core")


def test_replay_refuses_inconsistent_histories() -> None:
    """Replay validates every event: the first must open a track, stages and kinds must agree."""
    j = Journey.start("acme", "SMB", on=D0).move("core", Stage.ADOPTION, on=D0, evidence=ONBOARDED)
    events = j.history
    with pytest.raises(InvalidValueError, match="ENTRY"):
        Journey.replay("acme", "SMB", [])
    with pytest.raises(InvalidValueError, match="ENTRY"):
        Journey.replay("acme", "SMB", events[1:])
    wrong_from = JourneyEvent(D0, "core", Stage.RETENTION, Stage.EXPANSION, TransitionKind.FORWARD, Cause.CRITERIA_MET)
    with pytest.raises(TransitionRefused, match="left RETENTION"):
        Journey.replay("acme", "SMB", [events[0], wrong_from])
    wrong_kind = JourneyEvent(D0, "core", Stage.ONBOARDING, Stage.ADOPTION, TransitionKind.SKIP, Cause.CRITERIA_MET,
                              evidence=ONBOARDED)
    with pytest.raises(TransitionRefused, match="disagrees"):
        Journey.replay("acme", "SMB", [events[0], wrong_kind])
    no_evidence = JourneyEvent(D0, "core", Stage.ONBOARDING, Stage.ADOPTION, TransitionKind.FORWARD,
                               Cause.CRITERIA_MET)
    with pytest.raises(TransitionRefused, match="unmet"):
        Journey.replay("acme", "SMB", [events[0], no_evidence])
    with pytest.raises(InvalidValueError, match="to_stage"):
        j.apply(JourneyEvent(D0, "y", None, None, TransitionKind.ENTRY, Cause.NEW_DEPARTMENT))
    with pytest.raises(InvalidValueError, match="to_stage"):
        j.apply(JourneyEvent(D0, "core", Stage.ADOPTION, None, TransitionKind.FORWARD, Cause.CRITERIA_MET))


def test_journey_round_trips_through_json() -> None:
    """A journey serializes as identity + events and structures back by replay."""
    j = (Journey.start("acme", "SMB", on=D0, labels={"source": "referral"})
         .move("core", Stage.EXPANSION, on=D0, evidence=ONBOARDED, reason="fast"))
    data = to_data(j)
    assert set(data) == {"account_id", "segment", "labels", "events"}
    assert data["events"][1]["kind"] == "SKIP"
    assert from_json(Journey, to_json(j)) == j


@pytest.mark.parametrize(
    "data",
    [[1], {"account_id": "a", "segment": "SMB", "events": [], "extra": 1},
     {"account_id": "a", "segment": "SMB", "events": [{"at": "2026-01-01"}]},
     {"account_id": "a", "segment": "SMB", "events": []}],
)
def test_bad_journey_data_is_a_structure_error(data: object) -> None:
    """Malformed journey data raises StructureError (or the replay's own error)."""
    with pytest.raises((StructureError, InvalidValueError)):
        from_data(Journey, data)


@given(journeys())
def test_generated_journeys_round_trip(j: Journey) -> None:
    """Any valid journey survives to_data/from_data."""
    assert from_data(Journey, to_data(j)) == j


@pytest.mark.parametrize(
    ("days", "status"),
    [(0, TimingStatus.ON_TRACK), (30, TimingStatus.ON_TRACK), (31, TimingStatus.BEHIND), (45, TimingStatus.BEHIND),
     (46, TimingStatus.STUCK)],
)
def test_smb_onboarding_timing_boundaries(days: int, status: TimingStatus) -> None:
    """SMB onboarding: on track up to 30 days, behind to 45, stuck after (domain-spec §1.8, I-6)."""
    j = Journey.start("acme", "SMB", on=D0)
    (timing,) = j.timing(D0 + timedelta(days=days))
    assert (timing.status, timing.days_in_stage) == (status, days)
    assert j.stage() is Stage.ONBOARDING  # never moved by the calendar


def test_enterprise_adoption_timing_uses_calendar_months() -> None:
    """Enterprise adoption: 24 months from entry, computed with month arithmetic from the anchor."""
    j = in_stage(Stage.ADOPTION, Segment.ENTERPRISE)
    (on_track,) = j.timing(date(2028, 1, 5))
    (behind,) = j.timing(date(2028, 1, 6))
    assert (on_track.status, behind.status) == (TimingStatus.ON_TRACK, TimingStatus.BEHIND)
    assert on_track.expected_by == date(2028, 1, 5)
    assert "expected by 2028-01-05" in on_track.explain()[0]


def test_ongoing_stages_have_no_benchmark() -> None:
    """Retention and Advocacy are ongoing."""
    (timing,) = in_stage(Stage.RETENTION).timing(date(2030, 1, 1))
    assert (timing.status, timing.benchmark, timing.expected_by) == (TimingStatus.ONGOING, None, None)
    assert timing.explain() == ["core: 1457 days in Retention, ONGOING"]


def test_suggestions_never_apply_and_carry_evidence() -> None:
    """Suggestions report readiness for the next stage without changing the journey."""
    j = in_stage(Stage.ADOPTION)
    (suggestion,) = j.suggest({**ADOPTED, "seat_utilisation": 0.69})
    assert (suggestion.to_stage, suggestion.ready) == (Stage.RETENTION, False)
    assert suggestion.readiness.missing == ("seats_active_70pct",)
    expected = "[core] suggest Adoption -> Retention (FORWARD): next stage; criteria still missing"
    assert suggestion.explain()[0] == expected
    assert j.stage() is Stage.ADOPTION
    (ready,) = j.suggest(ADOPTED)
    assert ready.ready


def test_renewal_is_suggested_inside_the_runway() -> None:
    """A renewal move is suggested once the contract end is inside the segment runway (SMB 60 days)."""
    j = in_stage(Stage.EXPANSION)
    ends_in_60 = AccountSnapshot("acme", "SMB", D0, contract_start=date(2025, 3, 6), contract_end=D0 + timedelta(60))
    ends_in_61 = AccountSnapshot("acme", "SMB", D0, contract_start=date(2025, 3, 6), contract_end=D0 + timedelta(61))
    renewal = [s for s in j.suggest(ends_in_60) if s.to_stage is Stage.RENEWAL]
    assert len(renewal) == 1
    assert renewal[0].cause is Cause.RENEWAL_WINDOW_OPENED
    assert "60-day runway" in renewal[0].why
    assert all(s.to_stage is not Stage.RENEWAL for s in j.suggest(ends_in_61))


def test_regression_is_suggested_from_risk_signals() -> None:
    """A champion departure or red health suggests a regression to Adoption (domain-spec §1.9)."""
    j = in_stage(Stage.EXPANSION)
    causes = {s.cause for s in j.suggest({"champion_left": 1, "health_score": 39})}
    assert {Cause.CHAMPION_LEFT, Cause.HEALTH_DECLINE} <= causes
    assert all(s.kind is not TransitionKind.REGRESSION for s in j.suggest({"health_score": 40}))


def test_suggest_as_of_a_past_date() -> None:
    """Suggestions can be asked of a past state."""
    j = Journey.start("acme", "SMB", on=D0).move("core", Stage.ADOPTION, on=date(2026, 3, 1), evidence=ONBOARDED)
    (past,) = j.suggest({}, as_of=date(2026, 2, 1))
    assert past.from_stage is Stage.ONBOARDING
    assert in_stage(Stage.ADVOCACY).suggest(None) == ()


@given(journeys())
def test_every_journey_value_round_trips(j: Journey) -> None:
    """Events, track states, timings, suggestions and readiness values all survive to_data/from_data."""
    from postsale.journey import StageTiming, Suggestion, TrackState

    as_of = j.last_event.at + timedelta(days=90)
    for event in j.history:
        assert from_data(JourneyEvent, to_data(event)) == event
    for state in j.tracks.values():
        assert from_data(TrackState, to_data(state)) == state
    for timing in j.timing(as_of):
        assert from_data(StageTiming, to_data(timing)) == timing
    for suggestion in j.suggest({**FULL_EVIDENCE, "champion_left": 1, "days_to_renewal": 20}):
        assert from_data(Suggestion, to_data(suggestion)) == suggestion


def test_causes_can_be_given_by_name() -> None:
    """A cause given by name is parsed; an unknown name is an UnknownNameError listing the causes."""
    j = in_stage(Stage.RENEWAL)
    assert j.move("core", Stage.ONBOARDING, on=D0, cause="merger").last_event.cause is Cause.MERGER  # type: ignore[arg-type]
    with pytest.raises(UnknownNameError, match="CHAMPION_LEFT"):
        j.move("core", Stage.ONBOARDING, on=D0, cause="bad luck")  # type: ignore[arg-type]
    assert j.close_track("core", on=D0, cause="churned").last_event.cause is Cause.CHURNED  # type: ignore[arg-type]
