"""Round trips everywhere: every public value type, discovered from the public API, survives ``to_data`` /
``from_data`` and ``to_json`` / ``from_json`` unchanged, over generated instances (``tests.strategies.discovered``).

A new public type is covered automatically (its strategy is built from its fields); one that cannot be generated
must be excused in ``NOT_VALUES`` with a reason, else :func:`test_every_public_class_is_a_value_or_excused` fails.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import postsale
from postsale import (
    InvalidTypeError,
    NaiveDatetimeError,
    StructureError,
    from_data,
    from_json,
    to_data,
    to_json,
)
from postsale._convert import MAX_DEPTH
from tests.strategies.discovered import (
    CONTEXTS,
    NOT_VALUES,
    public_classes,
    public_name,
    public_types,
    uncovered,
    values_of,
)

EXAMPLES = max(5, settings.default.max_examples // 6)
"""Examples per type: 10 on the CI profile (about 2 000 values over every type), 333 on the long one."""

per_type = settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def test_every_public_class_is_a_value_or_excused() -> None:
    """Every public class is a value (attrs or enum), an error, or excused in NOT_VALUES with its reason."""
    assert [] == uncovered()


def test_every_excused_class_is_public_and_not_a_value() -> None:
    """NOT_VALUES names only public classes that really are not values (no stale or wrong excuse)."""
    names = {public_name(c): c for c in public_classes()}
    assert set(NOT_VALUES) <= set(names)
    assert not [n for n in NOT_VALUES if attrs.has(names[n])]


def test_discovery_finds_every_context() -> None:
    """The walk reaches the values of every context (a broken walk would make the round trips vacuous)."""
    modules = {c.__module__.split(".")[1] for c in public_types()}
    assert {"health", "touch", "renewal", "triggers", "journey", "cadence", "kpi", "review", "_vocabulary"} <= modules
    assert len(public_types()) > 150


@pytest.mark.parametrize("cls", public_types(), ids=public_name)
def test_value_round_trips_through_data_and_json(cls: type[Any]) -> None:
    """Generated values of the type come back equal from plain data and from JSON, and write the same again."""

    @per_type
    @given(values_of(cls))
    def check(value: Any) -> None:
        data = to_data(value)
        back = from_data(cls, data)
        assert back == value
        assert to_data(back) == data
        text = to_json(value)
        assert from_json(cls, text) == value
        again = to_json(from_json(cls, text))  # an int given for a float field is read back as a float, once
        assert to_json(from_json(cls, again)) == again

    check()


def _public_constants() -> list[tuple[str, Any]]:
    found: dict[int, tuple[str, Any]] = {}
    for name in ("postsale", *(f"postsale.{c}" for c in CONTEXTS)):
        module = importlib.import_module(name)
        for export in getattr(module, "__all__", ()):
            value = getattr(module, export)
            if attrs.has(type(value)):
                found.setdefault(id(value), (f"{name}.{export}", value))
    return sorted(found.values(), key=lambda item: item[0])


@pytest.mark.parametrize(("name", "value"), _public_constants(), ids=[n for n, _ in _public_constants()])
def test_public_default_round_trips(name: str, value: Any) -> None:
    """Every published default (rule sets, models, playbooks, ...) comes back equal from JSON."""
    assert from_json(type(value), to_json(value)) == value


@per_type
@given(st.data())
def test_trigger_conditions_read_back_as_their_own_class(data: st.DataObject) -> None:
    """Each of the ten condition classes reads its own data back, tag included (it used to refuse its kind)."""
    from postsale.triggers._conditions import CONDITION_KINDS

    assert len(CONDITION_KINDS) == 10
    for cls in CONDITION_KINDS:
        value = data.draw(values_of(cls))
        assert to_data(value)["kind"] == cls.kind
        assert from_data(cls, to_data(value)) == value


def test_a_condition_class_refuses_another_kind() -> None:
    """Read as a concrete class, data tagged with another kind is refused, naming both."""
    from postsale.triggers import Threshold

    with pytest.raises(StructureError, match="is not the kind of Threshold"):
        from_data(Threshold, {"kind": "ratio", "signal": "nps", "op": "<", "threshold": 5})


def test_an_alert_with_a_naive_fired_time_cannot_exist_and_an_aware_one_reads_back() -> None:
    """An Alert refuses a naive fired time when built (it could not be read back); an aware one round-trips."""
    from postsale.triggers import DEFAULT_RULE_SET, Engine

    snapshot = postsale.AccountSnapshot("acme", "SMB", date(2026, 3, 2), signals={"support_tickets_week": 4})
    _, [alert] = Engine(DEFAULT_RULE_SET).step(None, snapshot)
    with pytest.raises(NaiveDatetimeError, match="naive datetime"):
        attrs.evolve(alert, fired=datetime(2026, 3, 2, 9, 0))
    aware = attrs.evolve(alert, fired=datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    assert from_json(type(alert), to_json(aware)) == aware


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 100_000])
def test_deep_json_is_a_structure_error_naming_the_limit(depth: int) -> None:
    """JSON nested past the limit is refused with a StructureError naming it, never a RecursionError."""
    with pytest.raises(StructureError, match=f"nested more than {MAX_DEPTH} levels"):
        from_json(postsale.AccountSnapshot, "[" * depth + "]" * depth)


def test_deep_data_is_refused_with_the_path() -> None:
    """Plain data nested past the limit is refused before it is read, with the path where it goes too deep."""
    deep: Any = 1
    for _ in range(MAX_DEPTH + 5):
        deep = [deep]
    with pytest.raises(StructureError, match=r"@ \$\.labels\.x(\[0\])+"):
        from_data(
            postsale.AccountSnapshot,
            {"account_id": "a", "segment": "SMB", "as_of": "2026-01-01", "labels": {"x": deep}},
        )


@pytest.mark.parametrize("bad", [b"x", bytearray(b"x"), object(), {1, 2j}, float("nan"), {"a": float("inf")}])
def test_to_json_refuses_what_json_cannot_hold(bad: Any) -> None:
    """Bytes, arbitrary objects, complex numbers, NaN and infinity are a documented PostsaleError, not TypeError."""
    with pytest.raises(postsale.PostsaleError, match="JSON cannot hold"):
        to_json(bad)


def test_to_json_names_the_path_of_what_it_refuses() -> None:
    """The error says where the bad part is."""
    with pytest.raises(InvalidTypeError, match=r"\$\.raw\[1\]=b'x'"):
        to_json({"raw": ["ok", b"x"]})


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text() | st.floats(),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
        max_leaves=12,
    )
)
def test_from_json_never_leaks_a_builtin_error(data: Any) -> None:
    """Any JSON text, read as any configuration, gives a value or a StructureError."""
    import json

    text = json.dumps(data)
    for cls in (postsale.RuleSet, postsale.HealthModel, postsale.JourneyDefinition, postsale.Journey):
        try:
            from_json(cls, text)
        except StructureError:
            pass
        except postsale.DefinitionError:
            pass


def test_from_data_refuses_a_class_it_cannot_build() -> None:
    """Asking for something that is not a type is an InvalidTypeError naming cls."""
    with pytest.raises(InvalidTypeError, match="cls"):
        from_data(42, {})  # type: ignore[call-overload]


def test_mappings_of_values_round_trip() -> None:
    """Containers of values (a dict of account states, as persisted by the engine) round-trip too."""
    from postsale.renewal import DEFAULT_PLAYBOOKS, Playbook

    data = to_data(DEFAULT_PLAYBOOKS)
    assert isinstance(data, Mapping)
    assert from_data(dict[postsale.Segment, Playbook], data) == DEFAULT_PLAYBOOKS


HOSTILE = [
    None,
    True,
    -1,
    0,
    10**400,
    1e308,
    -0.0,
    float("nan"),
    float("inf"),
    "",
    "x" * 10_000,
    "NaN",
    "sNaN",
    "1e999999",
    "9999-12-31",
    "0001-01-01",
    "2026-01-01T09:00:00",
    "America",
    [],
    {},
    [[[[]]]],
    {"kind": "x"},
    "\x00\x1b[31m",
    "-1",
]
"""Values put in place of one leaf of valid data."""


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(data, dict):
        return [path] + [p for k, v in data.items() for p in _leaves(v, (*path, k))]
    if isinstance(data, list):
        return [path] + [p for i, v in enumerate(data) for p in _leaves(v, (*path, i))]
    return [path]


def _replace(data: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = _replace(data[path[0]], path[1:], new)
    return copy


@pytest.mark.parametrize("cls", public_types(), ids=public_name)
def test_one_hostile_field_gives_a_value_or_a_structure_error(cls: type[Any]) -> None:
    """Valid data with one field (or the whole, or a key) replaced by a hostile value reads back as a value or is
    refused with a StructureError or DefinitionError: never a builtin exception."""

    @per_type
    @given(values_of(cls), st.data())
    def check(value: Any, data: st.DataObject) -> None:
        written = to_data(value)
        path = data.draw(st.sampled_from(_leaves(written)))
        hostile = _replace(written, path, data.draw(st.sampled_from(HOSTILE)))
        try:
            from_data(cls, hostile)
        except (StructureError, postsale.DefinitionError) as exc:
            assert exc.problems
        try:
            from_json(cls, json.dumps(hostile))
        except (StructureError, postsale.DefinitionError):
            pass

    check()
