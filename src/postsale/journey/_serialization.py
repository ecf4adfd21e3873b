"""Serialization hooks for the journey (registered on the one converter at import).

A journey serializes as its identity and events; structuring replays them under the default definition.
"""

from __future__ import annotations

from typing import Any

import cattrs

from postsale import _convert
from postsale.journey._events import JourneyEvent
from postsale.journey._journey import Journey

_FIELDS = frozenset({"account_id", "segment", "labels", "events"})


def _hooks(converter: cattrs.Converter) -> None:
    def unstructure(journey: Journey) -> dict[str, Any]:
        return {
            "account_id": journey.account_id,
            "segment": journey.segment.name,
            "labels": dict(journey.labels),
            "events": [converter.unstructure(e, JourneyEvent) for e in journey.history],
        }

    def structure(data: Any, _type: Any) -> Journey:
        if not isinstance(data, dict):
            raise ValueError(f"expected an object with account_id, segment, labels, events; got {data!r}")
        unknown = set(data) - _FIELDS
        if unknown:
            raise ValueError(f"unknown field(s) {', '.join(sorted(unknown))}")
        events = converter.structure(data.get("events", []), list[JourneyEvent])
        return Journey.replay(
            data.get("account_id", ""), data.get("segment", ""), events, labels=data.get("labels") or {}
        )

    converter.register_unstructure_hook(Journey, unstructure)
    converter.register_structure_hook(Journey, structure)


def setup() -> None:
    """Register the hooks (idempotent: registering twice changes nothing)."""
    _convert.register(_hooks)
