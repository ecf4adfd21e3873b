"""A Hypothesis state machine drives random event sequences through the journey and checks its invariants."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from postsale import PostsaleError, Stage, TransitionRefused
from postsale.journey import DEFAULT_JOURNEY_DEFINITION, Cause, CauseCategory, Journey, TransitionKind
from tests.strategies.journey import BACKWARD_CAUSES, FULL_EVIDENCE

PARTIAL = st.dictionaries(st.sampled_from(sorted(FULL_EVIDENCE)), st.floats(0, 10), max_size=8)


class JourneyMachine(RuleBasedStateMachine):
    """Random moves, skips, regressions, cycles, openings, closings and refused moves."""

    def __init__(self) -> None:
        super().__init__()
        self.day = date(2024, 2, 28)
        self.journey = Journey.start("acme", "MID_MARKET", on=self.day)
        self.snapshots: list[Journey] = [self.journey]

    def _record(self, journey: Journey) -> None:
        self.journey = journey
        self.snapshots.append(journey)

    @rule(days=st.integers(0, 45))
    def advance(self, days: int) -> None:
        """Time passes."""
        self.day += timedelta(days=days)

    @precondition(lambda self: bool(self.journey.tracks))
    @rule(data=st.data(), evidence=PARTIAL, reason=st.none() | st.just("explicit skip"))
    def forward(self, data: st.DataObject, evidence: dict[str, float], reason: str | None) -> None:
        """A forward move is applied when its guards pass (or a skip has a reason), refused otherwise."""
        track = data.draw(st.sampled_from(sorted(self.journey.tracks)))
        current = self.journey.stage(track)
        if current is Stage.ADVOCACY:
            return
        target = data.draw(st.sampled_from([s for s in Stage if s > current]))
        before = self.journey
        readiness = DEFAULT_JOURNEY_DEFINITION.readiness(current, target, evidence)
        try:
            after = before.move(track, target, on=self.day, evidence=evidence, reason=reason)
        except TransitionRefused as exc:
            assert not readiness.met
            assert exc.missing == readiness.missing
            assert before.stage(track) is current
            return
        event = after.last_event
        assert readiness.met or (event.kind is TransitionKind.SKIP and reason and event.skipped == readiness.missing)
        self._record(after)

    @precondition(lambda self: bool(self.journey.tracks))
    @rule(data=st.data(), cause=st.sampled_from(list(Cause)))
    def backward(self, data: st.DataObject, cause: Cause) -> None:
        """Backward moves need a risk or new-scope cause."""
        track = data.draw(st.sampled_from(sorted(self.journey.tracks)))
        current = self.journey.stage(track)
        if current is Stage.ONBOARDING:
            return
        target = data.draw(st.sampled_from([s for s in Stage if s < current]))
        try:
            after = self.journey.move(track, target, on=self.day, cause=cause, reason="r")
        except TransitionRefused as exc:
            assert DEFAULT_JOURNEY_DEFINITION.category(cause) is CauseCategory.PROGRESS
            assert exc.allowed_causes
            return
        assert DEFAULT_JOURNEY_DEFINITION.category(cause) is not CauseCategory.PROGRESS
        self._record(after)

    @rule(name=st.sampled_from(["finance", "hr", "eu"]), stage=st.sampled_from(list(Stage)))
    def open_track(self, name: str, stage: Stage) -> None:
        """Overlap: open a track in any stage (an imported scope)."""
        if name in self.journey.tracks:
            return
        self._record(self.journey.open_track(name, on=self.day, stage=stage, reason="imported"))

    @precondition(lambda self: len(self.journey.tracks) > 1)
    @rule(data=st.data(), cause=st.sampled_from(BACKWARD_CAUSES))
    def close_track(self, data: st.DataObject, cause: Cause) -> None:
        """Close a scope."""
        track = data.draw(st.sampled_from(sorted(self.journey.tracks)))
        self._record(self.journey.close_track(track, on=self.day, cause=cause))

    @rule()
    def refused_out_of_order(self) -> None:
        """An event before the last one is refused and changes nothing."""
        before = self.journey
        try:
            before.open_track("late", on=before.last_event.at - timedelta(days=1))
        except PostsaleError:
            pass
        assert self.journey is before and len(before) == len(self.snapshots[-1])

    @invariant()
    def replay_equals_state(self) -> None:
        """Replaying the history rebuilds the same journey."""
        replayed = Journey.replay("acme", "MID_MARKET", self.journey.history)
        assert replayed == self.journey
        assert replayed.tracks == self.journey.tracks

    @invariant()
    def as_of_last_event_is_current(self) -> None:
        """The state as of the last event's date is the current state."""
        assert self.journey.as_of(self.journey.last_event.at).tracks == self.journey.tracks

    @invariant()
    def history_only_grows(self) -> None:
        """Every earlier journey's history is a prefix of the current one."""
        history = self.journey.history
        for earlier in self.snapshots[-3:]:
            assert history[: len(earlier)] == earlier.history

    @invariant()
    def kinds_match_stage_order(self) -> None:
        """Kinds agree with the stage order of each event."""
        for e in self.journey.history:
            if e.from_stage is None:
                assert e.kind is TransitionKind.ENTRY
            elif e.to_stage is None:
                assert e.kind is TransitionKind.EXIT
            elif e.to_stage == e.from_stage + 1:
                assert e.kind is TransitionKind.FORWARD
            elif e.to_stage > e.from_stage:
                assert e.kind is TransitionKind.SKIP
            else:
                assert e.kind in (TransitionKind.REGRESSION, TransitionKind.CYCLE)
        dates = [e.at for e in self.journey.history]
        assert dates == sorted(dates)


TestJourneyMachine = JourneyMachine.TestCase
