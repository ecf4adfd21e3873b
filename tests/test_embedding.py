"""An embedding developer never sees an exception that is not a documented PostsaleError.

Every public function and value class of every context is called with garbage arguments (None, wrong
types, NaN, empty and mixed collections ...); each call must either succeed or raise a PostsaleError.
"""

from __future__ import annotations

import importlib
import inspect
import math
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest

from postsale import PostsaleError

MODULES = ["journey", "health", "touch", "renewal", "triggers", "cadence", "kpi", "review", "adapters.sample",
           "adapters.frame", "adapters.plot"]
GARBAGE: list[Any] = [None, "x", -1, 1.5, math.nan, [], {}, object(), date(2026, 1, 1), datetime(2026, 1, 1), True,
                      [None], [1, "a"], {"a": None}]


def _takes_arguments(target: Callable[..., Any]) -> bool:
    parameters = inspect.signature(target).parameters.values()
    return any(p.default is p.empty and p.kind is not p.VAR_POSITIONAL and p.kind is not p.VAR_KEYWORD
               for p in parameters)


def public_callables() -> list[tuple[str, Callable[..., Any]]]:
    """Every public function and attrs value class of the contexts and the review that takes arguments."""
    found = []
    for name in MODULES:
        module = importlib.import_module(f"postsale.{name}")
        for attr in getattr(module, "__all__", []):
            obj = getattr(module, attr)
            is_value = inspect.isclass(obj) and hasattr(obj, "__attrs_attrs__")
            if (inspect.isfunction(obj) or is_value) and _takes_arguments(obj):
                found.append((f"{name}.{attr}", obj))
    return found


@pytest.mark.parametrize(("label", "target"), public_callables(), ids=lambda v: v if isinstance(v, str) else "")
def test_garbage_in_gives_a_postsale_error(label: str, target: Callable[..., Any]) -> None:
    """Garbage positional arguments never escape as a bare TypeError, AttributeError, KeyError ..."""
    signature = inspect.signature(target)
    required = [p for p in signature.parameters.values()
                if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    keywords = [p.name for p in signature.parameters.values() if p.default is p.empty and p.kind is p.KEYWORD_ONLY]
    for value in GARBAGE:
        try:
            target(*([value] * len(required)), **dict.fromkeys(keywords, value))
        except PostsaleError:
            pass
        except Exception as exc:
            pytest.fail(f"{label}({value!r}, ...) raised {type(exc).__name__}: {exc}")
