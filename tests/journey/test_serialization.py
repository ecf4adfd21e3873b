"""A journey as plain data: its identity and events, read back by replaying them, with paths to bad fields."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given

from postsale import Journey, Stage, StructureError, from_data, from_json, to_data, to_json
from postsale.triggers import json_schema
from tests.strategies.journey import FULL_EVIDENCE, journeys


def _journey() -> Journey:
    journey = Journey.start("acme", "SMB", on=date(2026, 1, 5), labels={"source": "referral"})
    return journey.move("core", Stage.ADOPTION, on=date(2026, 2, 1), evidence=FULL_EVIDENCE)


def test_a_journey_is_written_as_its_identity_and_events() -> None:
    """The written fields are the account, segment, labels and events, never private attributes."""
    data = to_data(_journey())
    assert ["account_id", "segment", "labels", "events"] == list(data)
    assert [e["kind"] for e in data["events"]] == ["ENTRY", "FORWARD"]


@given(journeys(max_events=6))
def test_journeys_round_trip(journey: Journey) -> None:
    """Any journey comes back equal from plain data and JSON."""
    assert from_data(Journey, to_data(journey)) == journey
    assert from_json(Journey, to_json(journey)) == journey


def test_bad_fields_are_reported_with_their_paths() -> None:
    """Every bad field of a journey's data is named with its path, all at once."""
    data = to_data(_journey())
    data["events"][1]["at"] = "soon"
    data["labels"] = {"source": 3}
    data["segment"] = "GIANT"
    with pytest.raises(StructureError) as info:
        from_data(Journey, data)
    assert {p.path for p in info.value.problems} == {"$.events[1].at", "$.labels['source']", "$.segment"}


@pytest.mark.parametrize("bad", [[1], "acme", None, 5])
def test_data_that_is_not_an_object_is_refused(bad: object) -> None:
    """A journey is read from an object only; anything else is a StructureError saying what is expected."""
    with pytest.raises(StructureError, match="expected an object with account_id, segment, labels and events"):
        from_data(Journey, bad)


def test_events_that_do_not_replay_are_refused() -> None:
    """Events are re-validated on reading: a history without its opening event is refused."""
    data = to_data(_journey())
    data["events"] = data["events"][1:]
    with pytest.raises(StructureError, match="must begin with a track opening"):
        from_data(Journey, data)


def test_the_schema_matches_what_is_written() -> None:
    """The JSON Schema of a journey requires what the hook writes and allows nothing else."""
    schema = json_schema(Journey)
    assert schema["required"] == ["account_id", "segment", "events"]
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == set(to_data(_journey()))
