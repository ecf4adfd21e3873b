"""Serialization hooks for the journey (registered on the one converter at import).

A journey serializes as its identity and events (``account_id``, ``segment``, ``labels``, ``events``);
structuring reads them with the converter (every bad field reported with its path, e.g. ``$.events[2].at``) and
replays the events under the default definition, which re-validates every one. Its JSON Schema is declared here,
next to the hooks, so it describes exactly what they write.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs
import cattrs

from postsale import _convert
from postsale._repr import readable
from postsale._vocabulary import Segment
from postsale.journey._events import JourneyEvent
from postsale.journey._journey import Journey


@attrs.frozen
class _Written:
    """The plain-data form of a journey."""

    __repr__ = readable
    account_id: str
    segment: Segment
    events: tuple[JourneyEvent, ...]
    labels: Mapping[str, str] = attrs.field(factory=dict)


def _schema(describe: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    return {
        "description": "A customer's journey: its identity and its append-only history of events.",
        "type": "object",
        "properties": {
            "account_id": describe(str),
            "segment": describe(Segment),
            "labels": describe(Mapping[str, str]),
            "events": describe(tuple[JourneyEvent, ...]),
        },
        "required": ["account_id", "segment", "events"],
        "additionalProperties": False,
    }


def _hooks(converter: cattrs.Converter) -> None:
    read = _convert.structure_fields(_Written)

    def unstructure(journey: Journey) -> dict[str, Any]:
        return {
            "account_id": journey.account_id,
            "segment": journey.segment.name,
            "labels": dict(journey.labels),
            "events": [converter.unstructure(e, JourneyEvent) for e in journey.history],
        }

    def structure(data: Any, _type: Any) -> Journey:
        if not isinstance(data, Mapping):
            raise ValueError(f"expected an object with account_id, segment, labels and events, got {data!r:.40}")
        written: _Written = read(data, _Written)
        return Journey.replay(written.account_id, written.segment, written.events, labels=written.labels)

    converter.register_unstructure_hook(Journey, unstructure)
    converter.register_structure_hook(Journey, structure)
    _convert.register_schema(Journey, _schema)


def setup() -> None:
    """Register the hooks (idempotent: registering twice changes nothing)."""
    _convert.register(_hooks)
