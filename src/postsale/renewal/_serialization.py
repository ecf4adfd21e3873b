"""Serialization hooks for the renewal values (registered on the one converter when the context is imported)."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

import cattrs

from postsale._convert import register
from postsale._vocabulary import HealthBand
from postsale.renewal._facts import Fact
from postsale.renewal._state import StatusFlag

_ENUM_SETS = {frozenset[StatusFlag], frozenset[Fact], frozenset[HealthBand]}


def _enum_names(values: frozenset[Enum]) -> list[str]:
    return sorted(v.name for v in values)


def _dates(values: frozenset[date]) -> list[str]:
    return sorted(v.isoformat() for v in values)


def _ints(values: frozenset[int]) -> list[int]:
    return sorted(values)


def _setup(converter: cattrs.Converter) -> None:
    """Write the renewal context's frozensets as sorted JSON lists (enums by name, dates as ISO strings)."""

    def is_enum_set(t: Any) -> bool:
        return t in _ENUM_SETS

    converter.register_unstructure_hook_func(is_enum_set, _enum_names)
    converter.register_unstructure_hook_func(lambda t: t == frozenset[date], _dates)
    converter.register_unstructure_hook_func(lambda t: t == frozenset[int], _ints)


register(_setup)
