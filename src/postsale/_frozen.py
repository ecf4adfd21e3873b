"""The immutable mapping every value holds: a read-only ``dict`` that pickles, hashes and compares as a dict.

``types.MappingProxyType`` cannot be pickled (so a snapshot could not reach a process pool, a Dask worker or a
Spark executor) and aliases the dict it wraps (a caller could change a "frozen" value through it).
:class:`FrozenDict` is a private copy made once, at construction: reading it is a plain ``dict`` read, every
mutating method raises :class:`ImmutableError`.

Examples:
    >>> import pickle
    >>> signals = FrozenDict({"nps": 9.0})
    >>> signals["nps"], pickle.loads(pickle.dumps(signals)) == signals, hash(signals) == hash(FrozenDict(nps=9.0))
    (9.0, True, True)
    >>> signals
    {'nps': 9.0}
    >>> signals["nps"] = 3.0
    Traceback (most recent call last):
    ...
    postsale._frozen.ImmutableError: FrozenDict: is immutable; rule: values never change after construction; ...
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from types import MemberDescriptorType
from typing import Any, NoReturn, TypeVar

from postsale._errors import PostsaleError

__all__ = ["EMPTY", "FrozenDict", "ImmutableError", "freeze", "unchecked"]

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


class ImmutableError(PostsaleError, TypeError):
    """Something tried to change an immutable value (build a new one instead)."""


def _refuse(self: object, *args: object, **kwargs: object) -> NoReturn:
    raise ImmutableError(
        "is immutable",
        field=type(self).__name__,
        constraint="values never change after construction",
        hint="build a new value (attrs.evolve) with the new mapping",
    )


class FrozenDict(dict[K, V]):
    """A ``dict`` that cannot change after construction, pickles, and hashes when its values do."""

    __slots__ = ()

    __setitem__ = _refuse
    __delitem__ = _refuse
    __ior__ = _refuse
    clear = _refuse
    pop = _refuse
    popitem = _refuse
    setdefault = _refuse
    update = _refuse

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (dict(self),))

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))

    def __repr__(self) -> str:
        return dict.__repr__(self)  # prints as the dict it compares equal to (values' reprs and docs stay plain)

    def __copy__(self) -> FrozenDict[K, V]:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> FrozenDict[K, V]:
        return self


EMPTY: FrozenDict[Any, Any] = FrozenDict()
"""The shared empty mapping."""


def freeze(value: Mapping[K, V] | Iterable[tuple[K, V]]) -> FrozenDict[K, V]:
    """Return an immutable private copy of ``value`` (the same object when it already is one)."""
    if type(value) is FrozenDict:
        return value
    frozen: FrozenDict[K, V] = FrozenDict(value)
    return frozen if frozen else EMPTY


def unchecked(cls: type[T], *values: Any) -> T:
    """An instance of the frozen attrs class ``cls`` with ``values`` for all its fields, in order, set without its
    validators and converters: for values a library function built from checked ones (its own work, never a
    caller's values), where the checks would only repeat themselves on a hot path.

    Examples:
        >>> import attrs
        >>> @attrs.frozen
        ... class Pair:
        ...     a: int = attrs.field(validator=attrs.validators.gt(0))
        ...     b: str = ""
        >>> unchecked(Pair, 1, "x")
        Pair(a=1, b='x')
        >>> Loose = attrs.frozen(slots=False)(type("Loose", (), {"__annotations__": {"a": "int"}}))
        >>> unchecked(Loose, 0)
        Loose(a=0)
    """
    made: T = object.__new__(cls)
    for put, value in zip(_setters(cls), values, strict=True):  # type: ignore[arg-type]  # a class hashes
        put(made, value)
    return made


@functools.cache
def _setters(cls: Any) -> tuple[Callable[[object, Any], None], ...]:
    """The setter of each field of ``cls``, in order: its slot's own (a third faster than ``object.__setattr__``,
    which looks the name up each time), or ``object.__setattr__`` for a field without a slot."""
    setters = []
    for field in cls.__attrs_attrs__:
        slot = next((c.__dict__[field.name] for c in cls.__mro__ if field.name in c.__dict__), None)
        if isinstance(slot, MemberDescriptorType):
            setters.append(slot.__set__)
        else:
            setters.append(functools.partial(_set, field.name))
    return tuple(setters)


def _set(name: str, made: object, value: Any) -> None:
    object.__setattr__(made, name, value)
