"""The one converter: lossless round trips and structuring errors with paths."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import attrs
import pytest
from hypothesis import given

from postsale import AccountSnapshot, HealthBand, Segment, Stage, StructureError, from_data, from_json, to_data, to_json
from postsale._convert import converter, unstructure_mapping
from tests.strategies.vocabulary import snapshots


@given(snapshots())
def test_snapshot_round_trips_through_data_and_json(snap: AccountSnapshot) -> None:
    """Every snapshot survives to_data/from_data and to_json/from_json unchanged."""
    assert from_data(AccountSnapshot, to_data(snap)) == snap
    assert from_json(AccountSnapshot, to_json(snap)) == snap


def test_conventions_dates_iso_enums_by_name_money_as_string() -> None:
    """Dates are ISO strings, enums names, money a decimal string."""
    snap = AccountSnapshot("a", Segment.MID_MARKET, date(2024, 2, 29), acv=Decimal("1234.50"))
    data = to_data(snap)
    assert (data["as_of"], data["segment"], data["acv"]) == ("2024-02-29", "MID_MARKET", "1234.50")
    assert json.loads(to_json(snap)) == data


def test_int_enums_serialize_by_name() -> None:
    """IntEnums (Stage, HealthBand) use names too, not their ordinals."""
    assert to_data(Stage.RENEWAL) == "RENEWAL"
    assert from_data(Stage, "RENEWAL") is Stage.RENEWAL
    assert from_data(HealthBand | None, "RED") is HealthBand.RED  # type: ignore[arg-type]


def test_bad_data_lists_every_problem_with_its_path() -> None:
    """Structuring reports each bad field at once, with a path from $."""
    data = to_data(AccountSnapshot("a", "SMB", date(2026, 1, 1)))
    data.update(segment="HUGE", as_of="yesterday", extra=1)
    with pytest.raises(StructureError) as info:
        from_data(AccountSnapshot, data)
    paths = {p.path for p in info.value.problems}
    assert paths == {"$.segment", "$.as_of", "$"}
    assert "unknown field(s) extra" in str(info.value)


def test_validation_errors_inside_values_are_reported() -> None:
    """A value rejected by the class's own validation is a StructureError too."""
    data = to_data(AccountSnapshot("a", "SMB", date(2026, 1, 1)))
    data["acv"] = "-3"
    with pytest.raises(StructureError, match="acv"):
        from_data(AccountSnapshot, data)


def test_missing_field_is_reported() -> None:
    """A missing required field is named."""
    with pytest.raises(StructureError, match=r"required field missing @ \$\.as_of"):
        from_data(AccountSnapshot, {"account_id": "a", "segment": "SMB"})


def test_not_json_is_a_structure_error() -> None:
    """Text that is not JSON is refused with a StructureError."""
    with pytest.raises(StructureError, match="not valid JSON"):
        from_json(AccountSnapshot, "{nope")


def test_non_mapping_data_is_a_structure_error() -> None:
    """Data of the wrong shape is a StructureError, never a bare TypeError."""
    with pytest.raises(StructureError):
        from_data(AccountSnapshot, [1, 2])


@attrs.frozen
class _Stamp:
    at: datetime


def test_datetimes_must_be_aware() -> None:
    """Aware datetimes round-trip; naive ones are refused with a path."""
    stamp = _Stamp(datetime(2026, 1, 1, 9, tzinfo=UTC))
    assert from_data(_Stamp, to_data(stamp)) == stamp
    with pytest.raises(StructureError, match="no time zone"):
        from_data(_Stamp, {"at": "2026-01-01T09:00:00"})
    with pytest.raises(StructureError, match="ISO datetime"):
        from_data(_Stamp, {"at": 5})
    assert converter.structure(datetime(2026, 1, 1, tzinfo=UTC), datetime).year == 2026


def test_dates_accept_date_objects_and_refuse_other_things() -> None:
    """Dates structure from ISO strings or date objects only."""
    assert converter.structure(date(2026, 1, 2), date) == date(2026, 1, 2)
    with pytest.raises(ValueError, match="ISO date"):
        converter.structure(3, date)


def test_money_refuses_bools() -> None:
    """A bool is never an amount."""
    with pytest.raises(ValueError, match="expected an amount"):
        converter.structure(True, Decimal)


def test_unstructure_mapping_uses_enum_names() -> None:
    """The helper for contexts unstructures enum keys by name."""
    assert unstructure_mapping({Stage.ONBOARDING: date(2026, 1, 1)}) == {"ONBOARDING": "2026-01-01"}


def test_sets_become_sorted_lists_and_come_back() -> None:
    """frozensets serialize as sorted lists (deterministic JSON) and structure back."""
    data = to_data(frozenset({Stage.RENEWAL, Stage.ONBOARDING}))
    assert data == ["ONBOARDING", "RENEWAL"]
    assert from_data(frozenset[Stage], data) == frozenset({Stage.RENEWAL, Stage.ONBOARDING})
    assert json.loads(to_json({3, 1, 2})) == [1, 2, 3]


def test_nested_definition_problems_are_lifted_with_their_paths() -> None:
    """A definition that fails its own validation inside data reports its problems at joined paths."""
    from postsale.journey import JourneyDefinition

    data = to_data(JourneyDefinition())
    data["exit_criteria"]["ADVOCACY"] = [{"name": "x", "signal": "y", "op": "GE", "threshold": 1.0,
                                          "description": "", "source": ""}]
    with pytest.raises(StructureError) as info:
        from_data(JourneyDefinition, data)
    assert [str(p) for p in info.value.problems] == [
        "Advocacy is the last stage: nothing to exit to @ $.exit_criteria.ADVOCACY"]
