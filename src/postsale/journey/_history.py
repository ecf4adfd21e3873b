"""The journey's persistent history and the refusals of its moves (private).

A history is a chain of flat tuples (nodes). Each node is
``(at, track, from_stage, to_stage, kind, cause, reason, evidence_names, evidence_values, skipped,
previous node, size, header)``. Appending shares everything before it, so a change costs O(tracks), not
O(history); :class:`~postsale.journey.JourneyEvent` values are materialised from nodes only when asked for.
Only the head journey keeps a tracks dict: one garbage-collected object per event stays alive, not three.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import attrs

from postsale import _checks
from postsale._errors import TransitionRefused
from postsale._frozen import freeze, unchecked
from postsale._repr import readable
from postsale._vocabulary import AccountSnapshot, Segment, Stage
from postsale.journey._criteria import check_evidence
from postsale.journey._definition import JourneyDefinition
from postsale.journey._events import EMPTY, JourneyEvent
from postsale.journey._kinds import Cause, TransitionKind

Node = tuple[Any, ...]
AT, TRACK, FROM, TO, KIND, CAUSE, REASON, NAMES, VALUES, SKIPPED, PREV, SIZE, HEADER = range(13)
Tracks = dict[str, tuple[Stage, date]]
Evidence = Mapping[str, float] | AccountSnapshot | None


@attrs.frozen
class Header:
    """What every version of one journey shares."""

    __repr__ = readable
    account_id: str
    segment: Segment
    definition: JourneyDefinition = attrs.field(eq=False)
    labels: Mapping[str, str] = attrs.field(hash=False)
    compiled: Any = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "compiled", self.definition._compiled)


def evidence_of(value: Evidence) -> Mapping[str, float]:
    """The evidence mapping of a mapping (checked: names to finite numbers or bools), a snapshot or ``None``."""
    if value is None:
        return EMPTY
    if isinstance(value, AccountSnapshot):
        return value.evidence()
    return check_evidence(value)


def check_definition(definition: Any) -> JourneyDefinition:
    """Return ``definition`` if it is a :class:`JourneyDefinition`."""
    return _checks.instance(  # type: ignore[no-any-return]
        "definition", definition, JourneyDefinition, hint="pass a postsale.journey.JourneyDefinition"
    )


def check_labels(labels: Any) -> Mapping[str, str]:
    """Return ``labels`` (a mapping of string to string, or ``None``) as a frozen copy."""
    if labels is None:
        return EMPTY_LABELS
    _checks.instance("labels", labels, Mapping, hint='pass a mapping such as {"source": "referral"}')
    for key, value in labels.items():
        _checks.instance("labels", key, str, hint="name each label with a string")
        _checks.instance(f"labels[{key!r}]", value, str, hint="give each label a string value")
    return freeze(dict(labels)) if labels else EMPTY_LABELS


EMPTY_LABELS: Mapping[str, str] = freeze({})


def event_of(node: Node) -> JourneyEvent:
    """The event a node records (its values were checked when the event was made: :func:`node_of` records only
    events)."""
    names = node[NAMES]
    evidence = freeze(dict(zip(names, node[VALUES], strict=True))) if names else EMPTY
    return unchecked(
        JourneyEvent, node[AT], node[TRACK], node[FROM], node[TO], node[KIND], node[CAUSE], node[REASON], evidence,
        node[SKIPPED],
    )


def node_of(event: JourneyEvent, prev: Node | None, header: Header) -> Node:
    """A node recording ``event`` after ``prev``."""
    names = tuple(event.evidence)
    values = tuple(event.evidence[n] for n in names)
    size = 1 if prev is None else prev[SIZE] + 1
    return (event.at, event.track, event.from_stage, event.to_stage, event.kind, event.cause, event.reason,
            names, values, event.skipped, prev, size, header)


def chain(node: Node) -> list[Node]:
    """The nodes up to ``node``, oldest first."""
    nodes = []
    current: Node | None = node
    while current is not None:
        nodes.append(current)
        current = current[PREV]
    nodes.reverse()
    return nodes


def tracks_at(node: Node) -> Tracks:
    """Rebuild the open tracks after ``node`` by folding the events up to it (used by time travel)."""
    tracks: Tracks = {}
    for n in chain(node):
        if n[TO] is None:
            tracks.pop(n[TRACK], None)
        else:
            tracks[n[TRACK]] = (n[TO], n[AT])
    return tracks


def opening(
    definition: JourneyDefinition,
    on: date,
    track: str,
    stage: Stage,
    cause: Cause,
    evidence: Mapping[str, float],
    reason: str | None,
) -> JourneyEvent:
    """The ENTRY event opening ``track`` in ``stage``, checked against the definition's entry guards."""
    _checks.text("track", track)
    _checks.a_date("on", on)
    check_definition(definition)
    if reason is not None:
        _checks.instance("reason", reason, str, hint="pass a sentence, or None")
    stage = Stage.parse(stage, field="stage")
    cause = _checks.member(Cause, "cause", cause)
    criteria = definition.guards(None, stage)
    skipped: tuple[str, ...] = ()
    kept: Mapping[str, float] = EMPTY
    if criteria:
        results = [c.check(evidence) for c in criteria]
        kept = {c.signal: evidence[c.signal] for c in criteria if c.signal in evidence}
        skipped = tuple(r.criterion.name for r in results if not r.met)
        if skipped and not reason:
            raise refused_guard(track, None, stage, TransitionKind.ENTRY, skipped)
    if cause is Cause.OTHER and not reason:
        raise refused_other(track, None, stage)
    return JourneyEvent(on, track, None, stage, TransitionKind.ENTRY, cause, reason, kept, skipped)


def refused_guard(
    track: str, src: Stage | None, dst: Stage, kind: TransitionKind, missing: tuple[str, ...]
) -> TransitionRefused:
    """A move refused because criteria it crosses are unmet."""
    where = src.label if src else "(new track)"
    hint = (
        "meet the criteria first, or record a SKIP with an explicit reason"
        if kind is not TransitionKind.FORWARD
        else "meet the criteria first (a forward move is never forced; a skip needs a reason)"
    )
    return TransitionRefused(
        f"{where} -> {dst.label} refused for track {track!r}: unmet criteria {', '.join(missing)}",
        track=track, from_stage=src, to_stage=dst, missing=missing, hint=hint,
    )


def refused_cause(
    definition: JourneyDefinition, track: str, src: Stage, dst: Stage, cause: Cause | None
) -> TransitionRefused:
    """A backward move refused for want of a risk or new-scope cause."""
    allowed = definition.backward_causes
    given = "no cause" if cause is None else f"cause {cause.name} (a progress cause)"
    return TransitionRefused(
        f"backward move {src.label} -> {dst.label} of track {track!r} with {given}",
        track=track, from_stage=src, to_stage=dst, allowed_causes=allowed, field="cause", value=cause,
        hint=f"give one of the allowed causes: {', '.join(allowed)}",
    )


def refused_other(track: str, src: Stage | None, dst: Stage | None) -> TransitionRefused:
    """``Cause.OTHER`` without a reason."""
    return TransitionRefused(
        "Cause.OTHER needs a reason", track=track, from_stage=src, to_stage=dst, field="reason", value=None,
        hint="pass reason='...' describing what happened",
    )
