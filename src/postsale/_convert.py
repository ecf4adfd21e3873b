"""The one serialization converter (private) and the public ``to_data`` / ``from_data`` functions.

Domain classes never know JSON: they are turned into plain data (dicts, lists, strings, numbers)
here, and back. Conventions (docs/decisions.md):

* dates and datetimes as ISO 8601 strings (datetimes must be timezone-aware);
* enums by member name (``"MID_MARKET"``);
* money (``Decimal``) as a decimal string, so it round-trips exactly;
* mappings as JSON objects, tuples as lists, sets and frozensets as sorted lists.

Structuring bad data raises :class:`~postsale.StructureError` listing the path of every bad field,
e.g. ``$.tracks[0].stage``. Contexts register the hooks their own types need with :func:`register`
when they are imported; ``import postsale`` imports them all.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum, IntEnum
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import cattrs
from cattrs.errors import BaseValidationError, ForbiddenExtraKeysError

from postsale import _checks
from postsale._errors import PostsaleError, Problem, StructureError
from postsale._frozen import FrozenDict

__all__ = ["converter", "from_data", "from_json", "register", "to_data", "to_json"]

T = TypeVar("T")

converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
"""The one converter. Private: use :func:`to_data` / :func:`from_data`."""


def _structure_date(value: Any, _type: Any) -> date:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    elif isinstance(value, date) and not isinstance(value, datetime):
        return value
    raise ValueError(f"expected an ISO date like '2026-01-31', got {value!r}")


def _unstructure_datetime(value: datetime) -> str:
    """ISO 8601 with the offset, and the IANA zone in brackets when there is one (RFC 9557):
    ``2020-10-25T02:00:00+01:00[Europe/Paris]``. The offset alone loses the zone, and with it which of a
    repeated hour (the DST change) was meant; the bracket brings it back."""
    text = value.isoformat()
    zone = value.tzinfo
    return f"{text}[{zone.key}]" if isinstance(zone, ZoneInfo) and zone.key != "UTC" else text


def _structure_datetime(value: Any, _type: Any) -> datetime:
    result: datetime | None = None
    if isinstance(value, str):
        text, _, zone = value.partition("[")
        try:
            result = datetime.fromisoformat(text)
            if zone and result.tzinfo is not None:
                result = result.astimezone(_checks.time_zone("time zone", zone.removesuffix("]")))
        except (ValueError, PostsaleError):
            result = None
    elif isinstance(value, datetime):
        result = value
    if result is None:
        raise ValueError(f"expected an ISO datetime like '2026-01-31T09:00:00+09:00', got {value!r}")
    if result.tzinfo is None:
        raise ValueError(f"datetime {value!r} has no time zone; write an offset such as +00:00")
    return result


def _structure_decimal(value: Any, _type: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"expected an amount, got {value!r}")
    return _checks.money("amount", value, allow_negative=True)


def _structure_enum(value: Any, cls: type[Enum]) -> Enum:
    if isinstance(value, cls):
        return value
    if isinstance(value, str) and value in cls.__members__:
        return cls[value]
    raise ValueError(f"expected one of {', '.join(cls.__members__)}, got {value!r}")


def _is_enum(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, Enum)


converter.register_unstructure_hook(date, date.isoformat)
converter.register_structure_hook(date, _structure_date)
converter.register_unstructure_hook(datetime, _unstructure_datetime)
converter.register_structure_hook(datetime, _structure_datetime)
converter.register_unstructure_hook(Decimal, str)
converter.register_structure_hook(Decimal, _structure_decimal)
converter.register_unstructure_hook_func(_is_enum, lambda member: member.name)
converter.register_structure_hook_func(_is_enum, _structure_enum)
# IntEnum members are ints too: without these, the int hook (earlier in the MRO) would win.
converter.register_structure_hook(IntEnum, _structure_enum)
converter.register_unstructure_hook(IntEnum, lambda member: member.name)
converter.register_unstructure_hook(FrozenDict, lambda m: {k: converter.unstructure(v) for k, v in m.items()})


def _is_set(t: Any) -> bool:
    origin = getattr(t, "__origin__", t)
    return isinstance(origin, type) and issubclass(origin, (frozenset, set))


def _unstructure_set(value: Any) -> list[Any]:
    """Sets become lists sorted by their plain-data form, so JSON is deterministic."""
    return sorted((converter.unstructure(item) for item in value), key=lambda item: (str(type(item)), str(item)))


converter.register_unstructure_hook_func(_is_set, _unstructure_set)


def register(setup: Callable[[cattrs.Converter], None]) -> None:
    """Let a context register hooks for its own types on the one converter."""
    setup(converter)


def _describe(exc: BaseException, _type: Any) -> str:
    if isinstance(exc, ForbiddenExtraKeysError):
        return f"unknown field(s) {', '.join(sorted(exc.extra_fields))}; remove them"
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, PostsaleError):
        return str(exc)
    return f"invalid value ({exc})" if str(exc) else f"invalid value for type {getattr(_type, '__name__', _type)}"


def _join(outer: str, inner: str) -> str:
    """``$.rules[3]`` + ``$.threshold`` -> ``$.rules[3].threshold``."""
    return outer + inner[1:] if inner.startswith("$") else f"{outer}.{inner}"


def _problems(exc: BaseValidationError) -> list[Problem]:
    """Flatten cattrs' exception tree into problems with paths; a nested DefinitionError's own problems
    are lifted with their paths joined, so a bad definition inside data reads like any other bad field."""
    leaves: list[tuple[BaseException, Any]] = []

    def remember(leaf: BaseException, leaf_type: Any) -> str:
        leaves.append((leaf, leaf_type))
        return str(len(leaves) - 1)

    problems: list[Problem] = []
    for line in cattrs.transform_error(exc, path="$", format_exception=remember):
        index, _, path = line.rpartition(" @ ")
        leaf, leaf_type = leaves[int(index)]
        nested = getattr(leaf, "problems", None)
        if isinstance(leaf, PostsaleError) and nested:
            problems.extend(Problem(_join(path or "$", p.path), p.message) for p in nested)
        else:
            problems.append(Problem(path=path or "$", message=_describe(leaf, leaf_type)))
    return problems


def to_data(value: Any) -> Any:
    """Return ``value`` (any public ``postsale`` value) as plain data: dicts, lists, str, int, float.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> to_data(AccountSnapshot("acme", "SMB", date(2026, 1, 31), acv=1200))["segment"]
        'SMB'
    """
    return converter.unstructure(value)


def from_data(cls: type[T], data: Any) -> T:
    """Build a ``cls`` value from plain data, validating everything.

    Raises:
        StructureError: listing every bad field with its path (``$.signals``).

    Examples:
        >>> from postsale import AccountSnapshot
        >>> snap = from_data(AccountSnapshot, {"account_id": "acme", "segment": "SMB", "as_of": "2026-01-31",
        ...                                    "acv": "1200.50"})
        >>> snap.as_of, snap.acv
        (datetime.date(2026, 1, 31), Decimal('1200.50'))
        >>> from_data(AccountSnapshot, {"account_id": "acme", "segment": "GIANT", "as_of": "2026-01-31"})
        Traceback (most recent call last):
        ...
        postsale._errors.StructureError: could not build AccountSnapshot from data (1 problem(s)):
          - invalid value (expected one of ENTERPRISE, MID_MARKET, SMB, PRODUCT_LED, got 'GIANT') @ $.segment
        instead: fix the fields listed (paths start at $, the top of the data)
    """
    try:
        return converter.structure(data, cls)
    except BaseValidationError as exc:
        raise StructureError(
            f"could not build {getattr(cls, '__name__', cls)} from data",
            _problems(exc),
            hint="fix the fields listed (paths start at $, the top of the data)",
        ) from None
    except PostsaleError:
        raise
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise StructureError(
            f"could not build {getattr(cls, '__name__', cls)} from data",
            [Problem(path="$", message=str(exc) or type(exc).__name__)],
            hint="pass a JSON object with the documented fields",
        ) from None


def to_json(value: Any, *, indent: int | None = None) -> str:
    """Return ``value`` as a JSON string (keys in field order).

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot, HealthBand
        >>> print(to_json(AccountSnapshot("acme", "SMB", date(2026, 1, 31), acv=1200)))
        {"account_id": "acme", "segment": "SMB", "as_of": "2026-01-31", "acv": "1200", ...}
        >>> to_json({"acme": HealthBand.GREEN, "globex": HealthBand.RED})
        '{"acme": "GREEN", "globex": "RED"}'
    """
    return json.dumps(to_data(value), indent=indent, ensure_ascii=False)


def from_json(cls: type[T], text: str | bytes) -> T:
    """Build a ``cls`` value from a JSON string.

    Raises:
        StructureError: when the text is not JSON or a field is bad (with its path).

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> snap = AccountSnapshot("acme", "SMB", date(2026, 1, 31), acv=1200, signals={"logins_week": 40})
        >>> from_json(AccountSnapshot, to_json(snap)) == snap
        True
        >>> from_json(AccountSnapshot, '{"account_id": "acme", "segment": "SMB"')
        Traceback (most recent call last):
        ...
        postsale._errors.StructureError: could not read AccountSnapshot from JSON (1 problem(s)):
          - not valid JSON (...) @ $
        instead: pass the text produced by postsale.to_json
    """
    try:
        data = json.loads(text)
    except (ValueError, TypeError) as exc:
        raise StructureError(
            f"could not read {getattr(cls, '__name__', cls)} from JSON",
            [Problem(path="$", message=f"not valid JSON ({exc})")],
            hint="pass the text produced by postsale.to_json",
        ) from None
    return from_data(cls, data)


def unstructure_mapping(mapping: Mapping[Any, Any]) -> dict[Any, Any]:
    """Unstructure a mapping with enum keys by name (helper for contexts' hooks)."""
    return {converter.unstructure(k): converter.unstructure(v) for k, v in mapping.items()}
