"""The non-linear journey: tracks, explicit events, guards, replay and time travel."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from math import fsum as _fsum
from typing import Any

import attrs

from postsale import _checks
from postsale._errors import InvalidTypeError, InvalidValueError, OutOfOrderError, TransitionRefused, UnknownNameError
from postsale._frozen import freeze
from postsale._vocabulary import AccountSnapshot, Segment, Stage
from postsale.journey._criteria import Readiness, checked_result, evidence_value
from postsale.journey._definition import DEFAULT_JOURNEY_DEFINITION, JourneyDefinition
from postsale.journey._events import EMPTY as _EMPTY
from postsale.journey._events import JourneyEvent, StageTiming, Suggestion, TimingStatus, TrackState
from postsale.journey._history import AT as _AT
from postsale.journey._history import HEADER as _HEADER
from postsale.journey._history import KIND as _KIND
from postsale.journey._history import PREV as _PREV
from postsale.journey._history import SIZE as _SIZE
from postsale.journey._history import Evidence, Tracks, chain
from postsale.journey._history import Header as _Header
from postsale.journey._history import Node as _Node
from postsale.journey._history import check_labels as _check_labels
from postsale.journey._history import event_of as _event_of
from postsale.journey._history import evidence_of as _evidence_of
from postsale.journey._history import node_of as _node_of
from postsale.journey._history import opening as _opening
from postsale.journey._history import refused_cause as _refused_cause
from postsale.journey._history import refused_guard as _refused_guard
from postsale.journey._history import refused_other as _refused_other
from postsale.journey._history import tracks_at as _tracks_at
from postsale.journey._kinds import Cause, CauseCategory, TransitionKind

__all__ = ["Journey"]

_NO_LABELS: Mapping[str, str] = freeze({})
_PLAIN = (int, float)
_INF = float("inf")
_new = object.__new__
_set = object.__setattr__
# Enum member access costs ~0.1 µs on CPython 3.11; the hot path reads these module constants instead.
_CRITERIA_MET, _OTHER = Cause.CRITERIA_MET, Cause.OTHER
_FORWARD, _CYCLE, _REGRESSION = TransitionKind.FORWARD, TransitionKind.CYCLE, TransitionKind.REGRESSION
_PROGRESS, _NEW_SCOPE = CauseCategory.PROGRESS, CauseCategory.NEW_SCOPE


@attrs.frozen(eq=False, repr=False)
class Journey:
    """One account's journey: one or more tracks, each in one stage, and the history of events.

    Immutable: every change returns a new journey sharing the history before it. Build one with
    :meth:`start` (or :meth:`replay`), then :meth:`move`, :meth:`open_track`, :meth:`close_track`.
    Two journeys are equal when account, segment, labels and history are equal.

    Examples:
        >>> from datetime import date
        >>> j = Journey.start("acme", Segment.SMB, on=date(2026, 1, 5))
        >>> j.stage("core")
        <Stage.ONBOARDING: 1>
        >>> done = {"implementation_complete": 1, "core_users_trained": 1, "use_case_live": 1,
        ...         "first_value_documented": 1, "go_live_confirmed": 1}
        >>> j = j.move("core", Stage.ADOPTION, on=date(2026, 1, 26), evidence=done)
        >>> j.last_event.kind
        <TransitionKind.FORWARD: 'forward'>
    """

    _head: _Node = attrs.field(validator=lambda _self, _attribute, value: _check_head(value))
    _tracks: Tracks = attrs.field(validator=lambda _self, _attribute, value: _check_tracks(value))

    @property
    def _header(self) -> _Header:
        return self._head[_HEADER]  # type: ignore[no-any-return]

    # ---- construction --------------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        account_id: str,
        segment: Segment | str,
        *,
        on: date,
        track: str = "core",
        stage: Stage = Stage.ONBOARDING,
        cause: Cause = Cause.NEW_USE_CASE,
        evidence: Evidence = None,
        reason: str | None = None,
        definition: JourneyDefinition = DEFAULT_JOURNEY_DEFINITION,
        labels: Mapping[str, str] | None = None,
    ) -> Journey:
        """Start a journey with its first track (by default ``"core"`` in Onboarding).

        Raises:
            InvalidValueError: blank account id or track, unknown segment.
            TransitionRefused: opening past an entry guard (Advocacy) whose criteria are unmet, without a reason.
        """
        _checks.text("account_id", account_id)
        seg = Segment.parse(segment)
        event = _opening(definition, on, track, stage, cause, _evidence_of(evidence), reason)
        frozen_labels = _check_labels(labels)
        header = _Header(account_id, seg, definition, frozen_labels)
        return cls(_node_of(event, None, header), {event.track: (stage, on)})

    @classmethod
    def replay(
        cls,
        account_id: str,
        segment: Segment | str,
        events: Iterable[JourneyEvent],
        *,
        definition: JourneyDefinition = DEFAULT_JOURNEY_DEFINITION,
        labels: Mapping[str, str] | None = None,
    ) -> Journey:
        """Rebuild a journey from its events, re-validating every one (order, stages, kinds, guards).

        Raises:
            InvalidValueError: no events, or the first event does not open a track.
            OutOfOrderError, TransitionRefused, UnknownNameError: an event inconsistent with the state.
        """
        iterator = iter(_checks.items("events", events, JourneyEvent))
        first = next(iterator, None)
        if first is None or first.kind is not TransitionKind.ENTRY or first.to_stage is None:
            raise InvalidValueError(
                "a journey must begin with a track opening (ENTRY) event",
                field="events[0]",
                value=first,
                hint="start from Journey.start(...) or pass the full history",
            )
        journey = cls.start(
            account_id, segment, on=first.at, track=first.track, stage=first.to_stage, cause=first.cause,
            evidence=first.evidence, reason=first.reason, definition=definition, labels=labels,
        )
        for event in iterator:
            journey = journey.apply(event)
        return journey

    # ---- identity ------------------------------------------------------------------------------

    @property
    def account_id(self) -> str:
        """The account this journey belongs to."""
        return self._header.account_id

    @property
    def segment(self) -> Segment:
        """The account's segment (selects the duration benchmarks)."""
        return self._header.segment

    @property
    def definition(self) -> JourneyDefinition:
        """The definition whose criteria, causes and benchmarks apply."""
        return self._header.definition

    @property
    def labels(self) -> Mapping[str, str]:
        """Free labels for cohorts (``{"source": "referral"}``)."""
        return self._header.labels

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Journey):
            return NotImplemented
        return self._header == other._header and self.history == other.history

    def __hash__(self) -> int:
        return hash((self._header, self._head[_SIZE], self._head[_AT]))

    def __reduce__(self) -> tuple[Any, ...]:  # a deep chain of nodes: pickle the events and replay them
        return (_unpickle, (self.account_id, self.segment, self.history, self.definition, dict(self.labels)))

    def __repr__(self) -> str:
        tracks = ", ".join(f"{name}={stage.name}" for name, (stage, _) in self._tracks.items())
        return f"Journey({self.account_id!r}, {self.segment.name}, tracks: {tracks or 'none'}, events={len(self)})"

    # ---- state ---------------------------------------------------------------------------------

    @property
    def tracks(self) -> Mapping[str, TrackState]:
        """Open tracks by name."""
        return freeze(
            {name: TrackState(name, stage, since) for name, (stage, since) in self._tracks.items()}
        )

    def stage(self, track: str = "core") -> Stage:
        """Return the stage of ``track``.

        Raises:
            UnknownNameError: the track is not open.
        """
        state = self._tracks.get(_checks.text("track", track))
        if state is None:
            raise self._unknown_track(track)
        return state[0]

    @property
    def stages(self) -> frozenset[Stage]:
        """Stages of all open tracks (several = overlap)."""
        return frozenset(stage for stage, _ in self._tracks.values())

    @property
    def retention_ongoing(self) -> bool:
        """True once any track has finished Onboarding: Retention then runs in parallel."""
        return any(stage > Stage.ONBOARDING for stage, _ in self._tracks.values())

    @property
    def active_stages(self) -> frozenset[Stage]:
        """:attr:`stages` plus Retention when it is ongoing."""
        return self.stages | {Stage.RETENTION} if self.retention_ongoing else self.stages

    @property
    def primary_stage(self) -> Stage | None:
        """The most advanced stage over open tracks, ``None`` when all are closed."""
        return max(self.stages, default=None)

    @property
    def last_event(self) -> JourneyEvent:
        """The most recent event."""
        return _event_of(self._head)

    @property
    def started_on(self) -> date:
        """Date of the first event."""
        node = self._head
        while node[_PREV] is not None:
            node = node[_PREV]
        return node[_AT]  # type: ignore[no-any-return]

    def __len__(self) -> int:
        """Number of events in the history."""
        return self._head[_SIZE]  # type: ignore[no-any-return]

    @property
    def history(self) -> tuple[JourneyEvent, ...]:
        """Every event, oldest first (append-only: a later journey's history starts with this one's)."""
        return tuple(_event_of(n) for n in chain(self._head))

    # ---- changes -------------------------------------------------------------------------------

    def move(
        self,
        track: str,
        to: Stage,
        *,
        on: date,
        cause: Cause | None = None,
        evidence: Evidence = None,
        reason: str | None = None,
    ) -> Journey:
        """Move ``track`` to stage ``to`` on date ``on``; return the new journey.

        Forward moves (FORWARD) must meet the guards they cross (exit criteria of the stages left,
        entry criteria of the stage entered). A SKIP past unmet guards needs an explicit ``reason`` and
        records the skipped criteria. A backward move needs a risk cause (REGRESSION) or a new-scope
        cause (CYCLE). The values the guards read are kept as the event's evidence.

        Raises:
            TransitionRefused: guards unmet, backward move without an allowed cause, a move to the
                same stage, or ``Cause.OTHER`` without a reason.
            OutOfOrderError: ``on`` is before the last event.
            UnknownNameError: the track is not open.
        """
        if to.__class__ is not Stage:
            to = Stage.parse(to, field="to")
        if cause is not None and cause.__class__ is not Cause:
            cause = _checks.member(Cause, "cause", cause)
        if on.__class__ is not date:
            _checks.a_date("on", on)
        if reason is not None and reason.__class__ is not str:
            _checks.instance("reason", reason, str, hint="pass a sentence, or None")
        head = self._head
        tracks = self._tracks
        try:
            state = tracks.get(track)
        except TypeError:  # unhashable: not a track name (names are checked below, off the hot path)
            state = None
        if state is None:
            _checks.text("track", track)
            raise self._unknown_track(track)
        if on < head[0]:  # _AT (literal indexes: this is the hot path)
            raise self._out_of_order(on)
        src = state[0]
        header = head[12]  # _HEADER
        compiled = header.compiled
        names: tuple[str, ...] = ()
        values: tuple[float, ...] = ()
        skipped: tuple[str, ...] = ()
        if to > src:
            kind, names, getter, check, criteria = compiled.edges[src][to]
            if cause is None:
                cause = _CRITERIA_MET
            if getter is not None:
                ev: Mapping[str, float] = (
                    evidence if type(evidence) is dict
                    else _EMPTY if evidence is None
                    else evidence.evidence() if isinstance(evidence, AccountSnapshot)
                    else _checks.instance("evidence", evidence, Mapping, hint="pass a mapping of evidence")
                )
                try:
                    values = getter(ev)
                except KeyError:
                    names = tuple(n for n in names if n in ev)
                    values = tuple(ev[n] for n in names)
                    _check_values(names, values)
                    passed = False
                else:
                    try:  # an exact C-level sum is finite iff every value is (inf - inf, text, sNaN, 10**400 raise)
                        plain = (total := _fsum(values)) - total == 0.0
                    except (TypeError, ValueError, ArithmeticError):
                        plain = False
                    if not plain:
                        _check_values(names, values)
                    passed = check(values)
                if not passed:
                    skipped = tuple(c.name for c in criteria if not c.check(ev).met)
                    if kind is _FORWARD or not reason:
                        raise _refused_guard(track, src, to, kind, skipped)
        elif to < src:
            category = None if cause is None else compiled.categories.get(cause)
            if category is None or category is _PROGRESS:
                raise _refused_cause(header.definition, track, src, to, cause)
            kind = _CYCLE if category is _NEW_SCOPE else _REGRESSION
        else:
            raise TransitionRefused(
                f"track {track!r} is already in {to.label}",
                track=track, from_stage=src, to_stage=to, field="to", value=to,
                hint="a journey records changes only; nothing to do",
            )
        if cause is _OTHER and not reason:
            raise _refused_other(track, src, to)
        new_tracks = tracks.copy()
        new_tracks[track] = (to, on)
        journey = _new(Journey)
        _set(journey, "_head", (on, track, src, to, kind, cause, reason, names, values, skipped, head,
                                head[11] + 1, header))  # _SIZE
        _set(journey, "_tracks", new_tracks)
        return journey

    def open_track(
        self,
        track: str,
        *,
        on: date,
        stage: Stage = Stage.ONBOARDING,
        cause: Cause = Cause.NEW_DEPARTMENT,
        evidence: Evidence = None,
        reason: str | None = None,
    ) -> Journey:
        """Open a new track (a department, product or use case) in ``stage``: this is how overlap is recorded.

        Raises:
            InvalidValueError: the track is already open or the name is blank.
            OutOfOrderError: ``on`` is before the last event.
        """
        _checks.a_date("on", on)
        if _checks.text("track", track) in self._tracks:
            raise InvalidValueError(
                "track is already open", field="track", value=track, hint="pick a new name or move the existing track"
            )
        if on < self._head[_AT]:
            raise self._out_of_order(on)
        event = _opening(self.definition, on, track, stage, cause, _evidence_of(evidence), reason)
        return self._append(event)

    def close_track(self, track: str, *, on: date, cause: Cause, reason: str | None = None) -> Journey:
        """Close a track (scope churned or retired); the journey keeps its history.

        Raises:
            UnknownNameError: the track is not open.
            OutOfOrderError: ``on`` is before the last event.
        """
        _checks.a_date("on", on)
        state = self._tracks.get(_checks.text("track", track))
        if state is None:
            raise self._unknown_track(track)
        if on < self._head[_AT]:
            raise self._out_of_order(on)
        cause = _checks.member(Cause, "cause", cause)
        if reason is not None:
            _checks.instance("reason", reason, str, hint="pass a sentence, or None")
        if cause is Cause.OTHER and not reason:
            raise _refused_other(track, state[0], None)
        return self._append(JourneyEvent(on, track, state[0], None, TransitionKind.EXIT, cause, reason))

    def apply(self, event: JourneyEvent) -> Journey:
        """Apply a recorded event (used by :meth:`replay`): it must be consistent with the current state.

        Raises:
            TransitionRefused: the event's from-stage or kind disagrees with the journey, or its guards fail.
            OutOfOrderError: the event is before the last one.
            InvalidTypeError: ``event`` is not a :class:`JourneyEvent`.

        Examples:
            >>> from datetime import date
            >>> j = Journey.start("acme", Segment.SMB, on=date(2026, 1, 5))
            >>> event = JourneyEvent(date(2026, 2, 1), "marketing", None, Stage.ONBOARDING, TransitionKind.ENTRY,
            ...                      Cause.NEW_DEPARTMENT)
            >>> sorted(j.apply(event).tracks)
            ['core', 'marketing']
        """
        _checks.instance("event", event, JourneyEvent, hint="pass a postsale.journey.JourneyEvent")
        if event.kind is TransitionKind.ENTRY:
            if event.to_stage is None:
                raise InvalidValueError("an ENTRY event needs a to_stage", field="to_stage", value=None)
            result = self.open_track(
                event.track, on=event.at, stage=event.to_stage, cause=event.cause, evidence=event.evidence,
                reason=event.reason,
            )
        elif event.kind is TransitionKind.EXIT:
            self._check_from(event)
            result = self.close_track(event.track, on=event.at, cause=event.cause, reason=event.reason)
        else:
            self._check_from(event)
            if event.to_stage is None:
                raise InvalidValueError("a move needs a to_stage", field="to_stage", value=None)
            result = self.move(
                event.track, event.to_stage, on=event.at, cause=event.cause, evidence=event.evidence,
                reason=event.reason,
            )
        recorded = result._head[_KIND]
        if recorded is not event.kind:
            raise TransitionRefused(
                f"event kind {event.kind.name} disagrees with the definition, which classifies it {recorded.name}",
                track=event.track, from_stage=event.from_stage, to_stage=event.to_stage, field="kind",
                value=event.kind, hint="replay with the definition the events were recorded under",
            )
        return result

    def _check_from(self, event: JourneyEvent) -> None:
        current = self.stage(event.track)
        if event.from_stage is not current:
            raise TransitionRefused(
                f"event says track {event.track!r} left {getattr(event.from_stage, 'name', None)}, "
                f"but it is in {current.name}",
                track=event.track, from_stage=event.from_stage, to_stage=event.to_stage, field="from_stage",
                value=event.from_stage, hint="replay the full history in order",
            )

    def _append(self, event: JourneyEvent) -> Journey:
        head = self._head
        tracks = self._tracks.copy()
        if event.to_stage is None:
            del tracks[event.track]
        else:
            tracks[event.track] = (event.to_stage, event.at)
        return Journey(_node_of(event, head, self._header), tracks)

    # ---- time travel ---------------------------------------------------------------------------

    def as_of(self, when: date) -> Journey:
        """Return the journey as it was at the end of ``when`` (events on that date included).

        Raises:
            InvalidValueError: ``when`` is before the journey started.
        """
        _checks.a_date("when", when)
        node: _Node | None = self._head
        while node is not None and node[_AT] > when:
            node = node[_PREV]
        if node is None:
            raise InvalidValueError(
                "is before the journey started",
                field="when",
                value=when,
                constraint=f"must be on or after {self.started_on.isoformat()}",
                hint="ask for a date inside the journey",
            )
        if node is self._head:
            return self
        return Journey(node, _tracks_at(node))

    # ---- reading the journey -------------------------------------------------------------------

    def timing(self, as_of: date) -> tuple[StageTiming, ...]:
        """Time in stage of every open track against the segment benchmark, as of a date.

        Stages never change by calendar: this only reports ON_TRACK / BEHIND / STUCK.
        """
        journey = self.as_of(as_of)
        result = []
        for name, (stage, since) in journey._tracks.items():
            bench = self.definition.benchmark(self.segment, stage)
            days = (as_of - since).days
            if bench is None:
                result.append(StageTiming(name, stage, since, as_of, days, TimingStatus.ONGOING, None, None, None))
                continue
            expected_by = bench.typical_max.after(since)
            stuck_after = bench.stuck_after.after(since)
            if as_of <= expected_by:
                status = TimingStatus.ON_TRACK
            elif as_of <= stuck_after:
                status = TimingStatus.BEHIND
            else:
                status = TimingStatus.STUCK
            result.append(StageTiming(name, stage, since, as_of, days, status, bench, expected_by, stuck_after))
        return tuple(result)

    def suggest(self, evidence: Evidence, *, as_of: date | None = None) -> tuple[Suggestion, ...]:
        """Suggest transitions from the evidence, with their readiness; nothing is applied.

        For each open track: the next stage (readiness = its guards plus advisory criteria); Renewal
        only when the contract end (``days_to_renewal`` evidence) is inside the segment's runway, since
        renewal is driven by the contract, not by progress; and backward moves when a regression signal
        is present (champion left, budget cut, red health ...).
        Raises:
            InvalidTypeError: ``evidence`` is not a snapshot or a mapping of names to numbers or bools.
        """
        ev = _evidence_of(evidence)
        journey = self if as_of is None else self.as_of(as_of)
        definition = self.definition
        out: list[Suggestion] = []
        for name, (stage, _since) in journey._tracks.items():
            if stage < Stage.ADVOCACY and stage + 1 != Stage.RENEWAL:
                target = Stage(stage + 1)
                readiness = definition._advised(stage, target, ev)  # ev is checked (a snapshot's, or just now)
                why = "criteria met" if readiness.met else "next stage; criteria still missing"
                out.append(Suggestion(name, stage, target, TransitionKind.FORWARD, Cause.CRITERIA_MET, readiness, why))
            days_left = ev.get("days_to_renewal")
            runway = definition.renewal_runway_days.get(self.segment)
            if (
                Stage.ONBOARDING < stage < Stage.RENEWAL
                and days_left is not None
                and runway is not None
                and 0 <= days_left <= runway
            ):
                readiness = definition._advised(stage, Stage.RENEWAL, ev)
                kind = definition.classify(stage, Stage.RENEWAL, Cause.RENEWAL_WINDOW_OPENED)
                out.append(Suggestion(name, stage, Stage.RENEWAL, kind, Cause.RENEWAL_WINDOW_OPENED, readiness,
                                      f"contract ends in {days_left:g} days, inside the {runway}-day runway"))
            for signal in definition.regression_signals:
                result = checked_result(signal.criterion, ev) if signal.to_stage < stage else None
                if result is not None and result.met:
                    kind = definition.classify(stage, signal.to_stage, signal.cause)
                    readiness = Readiness(stage, signal.to_stage, (result,))
                    out.append(
                        Suggestion(name, stage, signal.to_stage, kind, signal.cause, readiness,
                                   f"{signal.criterion.name}: back to proving value")
                    )
        return tuple(out)

    # ---- helpers -------------------------------------------------------------------------------

    def _unknown_track(self, track: str) -> UnknownNameError:
        known = ", ".join(sorted(self._tracks)) or "none"
        return UnknownNameError(
            "is not an open track", field="track", value=track, constraint=f"open tracks: {known}",
            hint="open it with open_track(...) first",
        )

    def _out_of_order(self, on: date) -> OutOfOrderError:
        last = self._head[_AT]
        return OutOfOrderError(
            "is before the last event",
            field="on",
            value=on,
            constraint=f"events are appended in time order (last event on {last.isoformat()})",
            hint="record events in the order they happened, or rebuild with Journey.replay",
        )


def _check_values(names: tuple[str, ...], values: tuple[Any, ...]) -> None:
    """Refuse evidence a guard reads that is not a finite number or a bool (checked only when not plain)."""
    for name, value in zip(names, values, strict=True):
        if value.__class__ not in _PLAIN or not -_INF < value < _INF:
            evidence_value(f"evidence[{name!r}]", value)


def _check_head(head: Any) -> None:
    if not (isinstance(head, tuple) and len(head) == _SIZE + 2 and isinstance(head[_HEADER], _Header)):
        raise InvalidTypeError(
            "is not a journey history", field="head", value=head,
            hint="build journeys with Journey.start(...) or Journey.replay(...), never from parts",
        )


def _check_tracks(tracks: Any) -> None:
    if not isinstance(tracks, dict) or not all(
        isinstance(name, str) and isinstance(state, tuple) and len(state) == 2 and isinstance(state[0], Stage)
        for name, state in tracks.items()
    ):
        raise InvalidTypeError(
            "is not a journey's open tracks", field="tracks", value=tracks,
            hint="build journeys with Journey.start(...) or Journey.replay(...), never from parts",
        )


def _unpickle(
    account_id: str,
    segment: Segment,
    events: tuple[JourneyEvent, ...],
    definition: JourneyDefinition,
    labels: Mapping[str, str],
) -> Journey:
    return Journey.replay(account_id, segment, events, definition=definition, labels=labels)
