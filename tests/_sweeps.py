"""Helpers shared by the contexts' mutation tests: the error a call raises, and the sweeps checking that every
converter and validator of a context's value classes names its own attribute and shows the refused value."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import attrs
import pytest

from postsale import PostsaleError

__all__ = ["checked_fields", "field_refused", "refused"]


def refused(call: Callable[[], object]) -> PostsaleError:
    """The error ``call()`` raises (it must raise one of postsale's)."""
    with pytest.raises(PostsaleError) as caught:
        call()
    return caught.value


def checked_fields(module: ModuleType, part: str) -> list[tuple[str, str]]:
    """(class, attribute) of every attribute with a ``part`` ("converter" or "validator"), over the attrs classes
    ``module`` exports."""
    return sorted(
        (cls.__name__, field.alias)
        for name in module.__all__
        if isinstance(cls := getattr(module, name), type) and attrs.has(cls)
        for field in attrs.fields(cls)
        if getattr(field, part) is not None
    )


def field_refused(module: ModuleType, cls: str, field: str, part: str) -> tuple[str | None, str]:
    """The field a converter or validator names when it refuses a value of no use (an ``object()``), and whether
    its message shows that value after the field (``field=<object object at ...>: ...``)."""
    attribute = next(a for a in attrs.fields(getattr(module, cls)) if a.alias == field)
    value = object()
    refuse = (lambda: attribute.converter(value)) if part == "converter" else (
        lambda: attribute.validator(None, attribute, value))
    with pytest.raises(PostsaleError) as caught:
        refuse()
    message = str(caught.value)
    shown = "shows the value" if message.startswith(f"{caught.value.field}={value!r}: ") else message
    return caught.value.field, shown
