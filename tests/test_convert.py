"""The one converter: lossless round trips and structuring errors with paths."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given

from postsale import (
    AccountSnapshot,
    HealthBand,
    InvalidTypeError,
    InvalidValueError,
    NaiveDatetimeError,
    Segment,
    Stage,
    StructureError,
    from_data,
    from_json,
    to_data,
    to_json,
)
from postsale._convert import CONFIGURATIONS, MAX_DEPTH, MIGRATIONS, SCHEMA_VERSION_KEY, converter
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
    data["exit_criteria"]["ADVOCACY"] = [
        {"name": "x", "signal": "y", "op": "GE", "threshold": 1.0, "description": "", "source": ""}
    ]
    with pytest.raises(StructureError) as info:
        from_data(JourneyDefinition, data)
    assert [str(p) for p in info.value.problems] == [
        "Advocacy is the last stage: nothing to exit to @ $.exit_criteria.ADVOCACY"
    ]


# -- strict reading ------------------------------------------------------------------------------------------------


@attrs.frozen
class _Scalars:
    text: str
    count: int
    amount: float
    flag: bool


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("text", None),
        ("text", 5),
        ("count", "12"),
        ("count", 3.5),
        ("count", True),
        ("amount", "1.5"),
        ("amount", False),
        ("amount", 10**400),
        ("flag", 1),
        ("flag", "false"),
    ],
)
def test_scalars_are_read_strictly(field: str, bad: object) -> None:
    """Text, whole numbers, numbers and booleans are never coerced: "12" is not 12, None is not "None"."""
    data = {"text": "a", "count": 1, "amount": 1.5, "flag": True, field: bad}
    with pytest.raises(StructureError, match=rf"@ \$\.{field}"):
        from_data(_Scalars, data)


def test_an_integral_float_is_a_whole_number() -> None:
    """JSON writers that write 3.0 for 3 are understood; an int is a number."""
    assert from_data(_Scalars, {"text": "a", "count": 3.0, "amount": 2, "flag": False}) == _Scalars("a", 3, 2.0, False)


# -- datetimes -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2020, 10, 25, 2, 30, tzinfo=ZoneInfo("Europe/Paris")),  # the repeated hour, first time
        datetime(2020, 10, 25, 2, 30, fold=1, tzinfo=ZoneInfo("Europe/Paris")),  # the repeated hour, second time
        datetime(2016, 10, 2, 2, 0, tzinfo=ZoneInfo("Australia/Lord_Howe")),  # a skipped half hour
        datetime(2026, 1, 1, 9, tzinfo=timezone(timedelta(hours=5, minutes=45))),
    ],
)
def test_datetimes_keep_their_wall_time_zone_and_fold(moment: datetime) -> None:
    """A datetime reads back with the same wall time, zone and fold, including around DST changes."""
    back = from_json(_Stamp, to_json(_Stamp(moment))).at
    assert (back, back.tzinfo, back.fold, back.utcoffset()) == (moment, moment.tzinfo, moment.fold, moment.utcoffset())


@pytest.mark.parametrize(
    "text",
    [
        "2026-01-01T09:00:00[Europe/Paris]",
        "2026-01-01T09:00:00+01:00[Mars/Olympus]",
        "2026-01-01T09:00:00+01:00[America]",
        "2026-01-01T09:00:00+01:00[Europe/Paris",
    ],
)
def test_a_bad_zone_in_brackets_is_refused(text: str) -> None:
    """A bracketed zone needs an offset, a known IANA name and its closing bracket."""
    with pytest.raises(StructureError, match=r"ISO datetime .* @ \$\.at"):
        from_data(_Stamp, {"at": text})


def test_a_naive_datetime_is_refused_when_written() -> None:
    """A naive datetime cannot be read back, so it is not written: a NaiveDatetimeError says what to do."""
    with pytest.raises(NaiveDatetimeError, match="attach a time zone"):
        to_data(_Stamp(datetime(2026, 1, 1, 9)))


# -- writing -------------------------------------------------------------------------------------------------------


def test_fixed_length_tuples_are_written_as_lists() -> None:
    """Plain data holds lists only, also for a fixed-length tuple."""
    from postsale.renewal import SMB_PLAYBOOK

    assert isinstance(to_data(SMB_PLAYBOOK)["touch_ramp"], list)


@pytest.mark.parametrize(
    ("value", "error", "where"),
    [
        ({"a": {1: "x"}}, InvalidTypeError, r"\$\.a=1: has a key that is not text"),
        ({"a": [float("nan")]}, InvalidValueError, r"\$\.a\[0\]=nan: is not a finite number"),
        (b"x", InvalidTypeError, r"\$=b'x': is a bytes"),
    ],
)
def test_to_json_names_what_json_cannot_hold(value: object, error: type[Exception], where: str) -> None:
    """What JSON cannot hold is refused with its path, never a TypeError or invalid JSON."""
    with pytest.raises(error, match=where):
        to_json(value)


@pytest.mark.parametrize("indent", [True, "2", 1.5])
def test_to_json_refuses_an_indent_that_is_not_a_whole_number(indent: object) -> None:
    """indent is a whole number or None."""
    with pytest.raises(InvalidTypeError, match="indent"):
        to_json({}, indent=indent)  # type: ignore[arg-type]


@pytest.mark.parametrize("indent", [-1, 17, 1_077_485_530_296, 2**63])
def test_to_json_refuses_an_indent_out_of_range(indent: int) -> None:
    """indent is between 0 and 16: a huge one would exhaust the memory (bounded work for any input)."""
    with pytest.raises(InvalidValueError, match="indent"):
        to_json({"a": [1]}, indent=indent)
    assert to_json({"a": 1}, indent=16).startswith("{\n" + " " * 16 + '"a"')


def test_a_hook_failure_while_writing_is_an_invalid_type_error() -> None:
    """A value holding something its type does not allow cannot leak the hook's AttributeError."""
    broken = attrs.evolve(AccountSnapshot("a", "SMB", date(2026, 1, 1)))
    object.__setattr__(broken, "segment", "SMB")  # bypasses the constructor's checks
    with pytest.raises(InvalidTypeError, match="cannot be written as plain data"):
        to_data(broken)


def test_values_nested_too_deeply_are_refused_when_written() -> None:
    """A value nesting past Python's own limits is an InvalidValueError, never a RecursionError."""
    from postsale.triggers import Not, Threshold

    condition: object = Threshold("nps", "<", 5.0)
    for _ in range(3000):
        condition = Not(condition)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="nested too deeply"):
        to_data(condition)


# -- reading -------------------------------------------------------------------------------------------------------


def test_nan_and_infinity_are_not_json() -> None:
    """Python's JSON extensions NaN and Infinity are refused."""
    with pytest.raises(StructureError, match="NaN is not a JSON number"):
        from_json(_Scalars, '{"text": "a", "count": 1, "amount": NaN, "flag": true}')


def test_data_exactly_at_the_depth_limit_is_read() -> None:
    """The limit is inclusive: MAX_DEPTH levels are read, one more is refused."""
    deep: object = []
    for _ in range(MAX_DEPTH - 1):
        deep = [deep]
    assert from_data(list[Any], deep) == deep
    with pytest.raises(StructureError, match=f"nested more than {MAX_DEPTH} levels deep"):
        from_data(list[Any], [deep])


def test_a_hook_failure_while_reading_is_a_structure_error() -> None:
    """Whatever a hook raises on bad data comes out as a StructureError."""

    @attrs.frozen
    class Fragile:
        x: int

    converter.register_structure_hook(Fragile, lambda data, _t: Fragile(data["x"] // 0))
    with pytest.raises(StructureError, match="by zero"):
        from_data(Fragile, {"x": 1})


# -- configurations carry their version ------------------------------------------------------------------------------


def test_configurations_write_their_schema_version_first() -> None:
    """A configuration's plain data starts with its schema_version; nested configurations carry theirs."""
    from postsale.review import DEFAULT_REVIEW_SETTINGS

    data = to_data(DEFAULT_REVIEW_SETTINGS)
    assert next(iter(data)) == SCHEMA_VERSION_KEY
    assert data["health_model"][SCHEMA_VERSION_KEY] == data["rule_set"][SCHEMA_VERSION_KEY] == 1


def test_data_without_a_schema_version_reads_as_the_current_one() -> None:
    """Files written before versions existed still read."""
    from postsale import DEFAULT_RULE_SET, RuleSet

    data = to_data(DEFAULT_RULE_SET)
    del data[SCHEMA_VERSION_KEY]
    assert from_data(RuleSet, data) == DEFAULT_RULE_SET


@pytest.mark.parametrize(
    ("version", "message"),
    [
        (2, "schema_version 2 is newer than this postsale reads for RuleSet (up to 1)"),
        (0, "schema_version 0 is not a version of the RuleSet format (1 to 1)"),
        ("1", "schema_version '1' is not a version of the RuleSet format"),
        (True, "schema_version True is not a version"),
    ],
)
def test_an_unknown_schema_version_is_refused_naming_both_versions(version: object, message: str) -> None:
    """A newer or malformed version is refused with the version found and the versions this postsale reads."""
    from postsale import DEFAULT_RULE_SET, RuleSet

    with pytest.raises(StructureError) as info:
        from_data(RuleSet, {**to_data(DEFAULT_RULE_SET), SCHEMA_VERSION_KEY: version})
    assert [p.path for p in info.value.problems] == ["$.schema_version"]
    assert message in str(info.value)


@attrs.frozen
class _Plan:
    """A configuration of this test module (version 3: ``size`` was ``length`` in version 1, text in version 2)."""

    size: int


def test_older_versions_are_migrated_step_by_step(monkeypatch: pytest.MonkeyPatch) -> None:
    """Version 1 data goes through every upgrade to the current version; the current one is written."""
    name = f"{_Plan.__module__}.{_Plan.__qualname__}"
    monkeypatch.setitem(CONFIGURATIONS, name, 3)
    monkeypatch.setitem(
        MIGRATIONS,
        name,
        {
            1: lambda d: {"size": str(d.pop("length")), **d},
            2: lambda d: {**d, "size": int(d["size"])},
        },
    )
    assert from_data(_Plan, {SCHEMA_VERSION_KEY: 1, "length": 4}) == _Plan(4)
    assert from_data(_Plan, {SCHEMA_VERSION_KEY: 2, "size": "4"}) == _Plan(4)
    assert from_data(_Plan, {SCHEMA_VERSION_KEY: 3, "size": 4}) == _Plan(4)
    assert to_data(_Plan(4)) == {SCHEMA_VERSION_KEY: 3, "size": 4}


def test_every_configuration_is_a_public_value() -> None:
    """The configuration list names existing classes (a moved class would silently lose its version)."""
    import importlib

    for name in CONFIGURATIONS:
        module, _, cls = name.rpartition(".")
        assert attrs.has(getattr(importlib.import_module(module), cls)), name


def test_unknown_keys_that_are_not_text_are_named() -> None:
    """Keys of any type among the unknown fields are listed (not a TypeError while describing them)."""
    data = {"account_id": "acme", "segment": "SMB", "as_of": "2026-01-31", Decimal(1): 2, 5: 3}
    with pytest.raises(StructureError, match=r"unknown field\(s\) 5, Decimal\('1'\)"):
        from_data(AccountSnapshot, data)
