"""Serialization hooks for the cadence types (registered on the one converter at import)."""

from __future__ import annotations

import enum
import typing
from datetime import time
from typing import Any

import cattrs

from postsale import _convert
from postsale.cadence._channels import Channel, ValuePurpose, Weekday
from postsale.cadence._engagement import EngagementOutcome

_SET_ENUMS: frozenset[type[enum.Enum]] = frozenset({Channel, ValuePurpose, Weekday, EngagementOutcome})


def _is_enum_frozenset(t: Any) -> bool:
    """Frozensets of the cadence enums only (other contexts keep their own hooks)."""
    if typing.get_origin(t) is not frozenset:
        return False
    (arg,) = typing.get_args(t)
    return arg in _SET_ENUMS


def _declared(member: enum.Enum) -> int:
    members: list[enum.Enum] = list(type(member))
    return members.index(member)


def _unstructure_enum_set(value: frozenset[enum.Enum]) -> list[str]:
    return [m.name for m in sorted(value, key=_declared)]


def _structure_time(value: Any, _type: Any) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        try:
            return time.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"expected a time of day like '10:00', got {value!r}")


def _hooks(converter: cattrs.Converter) -> None:
    converter.register_unstructure_hook_func(_is_enum_frozenset, _unstructure_enum_set)
    converter.register_unstructure_hook(time, time.isoformat)
    converter.register_structure_hook(time, _structure_time)


def setup() -> None:
    """Register the hooks (idempotent: registering twice changes nothing)."""
    _convert.register(_hooks)
