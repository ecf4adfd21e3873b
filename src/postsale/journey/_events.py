"""The values a journey produces: events, track states, timings against benchmarks, suggestions."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date
from typing import Any

import attrs

from postsale import _checks
from postsale._frozen import freeze
from postsale._repr import readable
from postsale._vocabulary import Stage
from postsale.journey._criteria import (
    Readiness,
    StageBenchmark,
    a_date,
    a_text,
    check_evidence,
    of_type,
    optional_date,
)
from postsale.journey._kinds import Cause, TransitionKind

__all__ = ["JourneyEvent", "StageTiming", "Suggestion", "TimingStatus", "TrackState"]

EMPTY: Mapping[str, float] = freeze({})
"""No evidence (shared, private to the journey package)."""


def _frozen_evidence(value: Mapping[str, float]) -> Mapping[str, float]:
    return value if value is EMPTY else freeze(dict(check_evidence(value)))


def _to_from_stage(value: Any) -> Stage | None:
    return None if value is None else _checks.member(Stage, "from_stage", value)


def _to_to_stage(value: Any) -> Stage | None:
    return None if value is None else _checks.member(Stage, "to_stage", value)


def _to_kind(value: Any) -> TransitionKind:
    return _checks.member(TransitionKind, "kind", value)


def _to_cause(value: Any) -> Cause:
    return _checks.member(Cause, "cause", value)


def _to_skipped(value: Any) -> tuple[str, ...]:
    return _checks.items("skipped", value, str)


@attrs.frozen
class JourneyEvent:
    """One explicit change of one track.

    Attributes:
        at: The date it happened.
        track: The track (scope) that changed, e.g. ``"core"``, ``"marketing-dept"``.
        from_stage: The stage left (``None`` when the track opens).
        to_stage: The stage entered (``None`` when the track closes).
        kind: ENTRY, FORWARD, SKIP, REGRESSION, CYCLE or EXIT, derived from stage order and cause.
        cause: Why it happened.
        reason: Free text: required for ``Cause.OTHER`` and for a skip past unmet criteria.
        evidence: The values the guards read when the move was made.
        skipped: Criteria that were unmet and explicitly skipped past (never silently).

    Examples:
        >>> from postsale.journey import Journey
        >>> event = Journey.start("acme", "SMB", on=date(2026, 1, 5)).last_event
        >>> event.kind, event.explain()
        (<TransitionKind.ENTRY: 'entry'>, ['2026-01-05 [core] (new track) -> Onboarding: ENTRY because NEW_USE_CASE'])
    """

    __repr__ = readable
    at: date = attrs.field(validator=a_date())
    track: str = attrs.field(validator=a_text())
    from_stage: Stage | None = attrs.field(converter=_to_from_stage)
    to_stage: Stage | None = attrs.field(converter=_to_to_stage)
    kind: TransitionKind = attrs.field(converter=_to_kind)
    cause: Cause = attrs.field(converter=_to_cause)
    reason: str | None = attrs.field(default=None, validator=of_type(str, optional=True))
    evidence: Mapping[str, float] = attrs.field(default=EMPTY, hash=False, converter=_frozen_evidence)
    skipped: tuple[str, ...] = attrs.field(default=(), converter=_to_skipped)

    def explain(self) -> list[str]:
        """One sentence describing the event."""
        src = self.from_stage.label if self.from_stage else "(new track)"
        dst = self.to_stage.label if self.to_stage else "(closed)"
        text = f"{self.at.isoformat()} [{self.track}] {src} -> {dst}: {self.kind.name} because {self.cause.name}"
        if self.reason:
            text += f" ({self.reason})"
        if self.skipped:
            text += f"; skipped unmet criteria: {', '.join(self.skipped)}"
        return [text]


def _to_stage(value: Any) -> Stage:
    return _checks.member(Stage, "stage", value)


@attrs.frozen
class TrackState:
    """The current stage of one track and since when it is in it.

    Examples:
        >>> from postsale.journey import Journey
        >>> Journey.start("acme", "SMB", on=date(2026, 1, 5)).tracks["core"]
        TrackState(track='core', stage=Stage.ONBOARDING, since=2026-01-05)
    """

    __repr__ = readable
    track: str = attrs.field(validator=a_text())
    stage: Stage = attrs.field(converter=_to_stage)
    since: date = attrs.field(validator=a_date())


class TimingStatus(enum.Enum):
    """Time in stage against the segment benchmark.

    Examples:
        >>> from postsale.journey import Journey
        >>> j = Journey.start("acme", "SMB", on=date(2026, 1, 5))
        >>> [t.status for t in j.timing(date(2026, 2, 10))]
        [<TimingStatus.BEHIND: 'behind'>]
    """

    ON_TRACK = "on_track"
    BEHIND = "behind"
    STUCK = "stuck"
    ONGOING = "ongoing"
    """The stage has no expected duration (Retention, Advocacy)."""


def _to_status(value: Any) -> TimingStatus:
    return _checks.member(TimingStatus, "status", value)


@attrs.frozen
class StageTiming:
    """How long one track has been in its stage, against the benchmark.

    Examples:
        >>> from postsale.journey import Journey
        >>> (timing,) = Journey.start("acme", "SMB", on=date(2026, 1, 5)).timing(date(2026, 2, 10))
        >>> timing.explain()
        ['core: 36 days in Onboarding, BEHIND (expected by 2026-02-04, stuck after 2026-02-19)']
    """

    __repr__ = readable
    track: str = attrs.field(validator=a_text())
    stage: Stage = attrs.field(converter=_to_stage)
    since: date = attrs.field(validator=a_date())
    as_of: date = attrs.field(validator=a_date())
    days_in_stage: int = attrs.field(validator=_checks.validator(_checks.count))
    status: TimingStatus = attrs.field(converter=_to_status)
    benchmark: StageBenchmark | None = attrs.field(validator=of_type(StageBenchmark, optional=True))
    expected_by: date | None = attrs.field(validator=optional_date())
    stuck_after: date | None = attrs.field(validator=optional_date())

    def explain(self) -> list[str]:
        """One sentence, e.g. ``["core: 95 days in Onboarding, BEHIND (expected by 2026-03-02, ...)"]``."""
        text = f"{self.track}: {self.days_in_stage} days in {self.stage.label}, {self.status.name}"
        if self.expected_by is not None:
            text += f" (expected by {self.expected_by.isoformat()}, stuck after {self.stuck_after})"
        return [text]


def _to_suggestion_from_stage(value: Any) -> Stage:
    return _checks.member(Stage, "from_stage", value)


def _to_suggestion_to_stage(value: Any) -> Stage:
    return _checks.member(Stage, "to_stage", value)


@attrs.frozen
class Suggestion:
    """A transition the evidence suggests, never applied by itself.

    Examples:
        >>> from postsale.journey import Journey
        >>> j = Journey.start("acme", "SMB", on=date(2026, 1, 5))
        >>> (suggestion,) = j.suggest({"implementation_complete": 1})
        >>> suggestion.to_stage, suggestion.ready
        (<Stage.ADOPTION: 2>, False)
    """

    __repr__ = readable
    track: str = attrs.field(validator=a_text())
    from_stage: Stage = attrs.field(converter=_to_suggestion_from_stage)
    to_stage: Stage = attrs.field(converter=_to_suggestion_to_stage)
    kind: TransitionKind = attrs.field(converter=_to_kind)
    cause: Cause = attrs.field(converter=_to_cause)
    readiness: Readiness = attrs.field(validator=of_type(Readiness))
    why: str = attrs.field(validator=of_type(str))

    @property
    def ready(self) -> bool:
        """True when every guard and advisory criterion is met."""
        return self.readiness.met

    def explain(self) -> list[str]:
        """Sentences: the suggestion, then the evidence."""
        head = f"[{self.track}] suggest {self.from_stage.label} -> {self.to_stage.label} ({self.kind.name}): {self.why}"
        return [head, *self.readiness.explain()]
