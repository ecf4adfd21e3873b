"""The one serialization converter (private) and the public ``to_data`` / ``from_data`` functions.

Domain classes never know JSON: they are turned into plain data (dicts, lists, strings, numbers)
here, and back. Conventions (docs/decisions.md):

* dates and datetimes as ISO 8601 strings (datetimes must be timezone-aware; an IANA zone is kept in brackets);
* enums by member name (``"MID_MARKET"``);
* money (``Decimal``) as a decimal string, so it round-trips exactly;
* mappings as JSON objects, tuples as lists, sets and frozensets as sorted lists;
* text, whole numbers, numbers and booleans are read strictly: ``"12"`` is not a number, ``1`` is not ``true``;
* a configuration (rule set, health model, journey definition, ...) carries its ``"schema_version"``;
* data nested deeper than :data:`MAX_DEPTH` levels is refused both ways.

Structuring bad data raises :class:`~postsale.StructureError` listing the path of every bad field,
e.g. ``$.tracks[0].stage``. Contexts register the hooks their own types need with :func:`register`
when they are imported; ``import postsale`` imports them all.
"""

from __future__ import annotations

import json
import math
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime, tzinfo
from decimal import Decimal
from enum import Enum, IntEnum
from typing import Any, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

import attrs
import cattrs
from cattrs.errors import BaseValidationError, ForbiddenExtraKeysError

from postsale import _checks
from postsale._errors import (
    DefinitionError,
    InvalidTypeError,
    InvalidValueError,
    NaiveDatetimeError,
    PostsaleError,
    Problem,
    StructureError,
    _text,
)
from postsale._frozen import FrozenDict

__all__ = ["from_data", "from_json", "to_data", "to_json"]  # public through postsale; the rest is the kernel's

T = TypeVar("T")

MAX_DEPTH = 200
"""The deepest nesting (objects and lists inside each other) read or written; deeper data is refused."""

SCHEMA_VERSION_KEY = "schema_version"
"""The key under which a configuration's plain data carries the version of its format."""

CONFIGURATIONS: dict[str, int] = {
    "postsale.cadence._engagement.EngagementTargets": 1,
    "postsale.cadence._engagement.OverCommunicationPolicy": 1,
    "postsale.cadence._plans.CadencePlan": 1,
    "postsale.health._model.HealthModel": 1,
    "postsale.journey._definition.JourneyDefinition": 1,
    "postsale.kpi._maturity.MaturityModel": 1,
    "postsale.kpi._maturity.SelfAssessment": 1,
    "postsale.kpi._report.RetentionDefinition": 1,
    "postsale.renewal._forecast.ForecastRules": 1,
    "postsale.renewal._notice.BusinessCalendar": 1,
    "postsale.renewal._playbook.Playbook": 1,
    "postsale.renewal._state.StateOrder": 1,
    "postsale.review._values.ReviewSettings": 1,
    "postsale.touch._config.MigrationPolicy": 1,
    "postsale.touch._config.TouchConfig": 1,
    "postsale.triggers._rules.RuleSet": 1,
}
"""The configurations (by defining module and class name, so this kernel imports no context) and the current
version of each one's plain-data format. Data without a ``schema_version`` is read as the current version (it was
written before versions existed); an older version is migrated by :data:`MIGRATIONS`; a newer one is refused."""

MIGRATIONS: dict[str, dict[int, Callable[[dict[str, Any]], dict[str, Any]]]] = {}  # {n: upgrade of n to n + 1}

converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
"""The one converter. Private: use :func:`to_data` / :func:`from_data`."""


# -- scalars ------------------------------------------------------------------------------------------------------
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
    """ISO 8601 with the offset, and the IANA zone in brackets when there is one (RFC 9557), which the offset alone
    loses: ``2020-10-25T02:00:00+01:00[Europe/Paris]``."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(
            "is a naive datetime and cannot be written",
            field="datetime",
            value=value,
            hint="attach a time zone, e.g. value.replace(tzinfo=ZoneInfo('Europe/Paris'))",
        )
    text = value.isoformat()
    zone = value.tzinfo
    return f"{text}[{zone.key}]" if isinstance(zone, ZoneInfo) and zone.key != "UTC" else text


def _in_zone(moment: datetime, zone: tzinfo) -> datetime:
    """The wall time of ``moment`` in ``zone`` with the fold of the written offset, else the same instant."""
    for fold in (0, 1):
        local = moment.replace(tzinfo=zone, fold=fold)
        if local.utcoffset() == moment.utcoffset():
            return local
    return moment.astimezone(zone)


def _structure_datetime(value: Any, _type: Any) -> datetime:
    result: datetime | None = None
    if isinstance(value, str):
        text, bracket, zone = value.partition("[")
        try:
            result = datetime.fromisoformat(text)
            if bracket:
                if result.tzinfo is None or not zone.endswith("]"):
                    raise ValueError(zone)
                result = _in_zone(result, _checks.time_zone("time zone", zone.removesuffix("]")))
        except (ValueError, OSError, PostsaleError):
            result = None
    elif isinstance(value, datetime):
        result = value
    if result is None:
        raise ValueError(f"expected an ISO datetime like '2026-01-31T09:00:00+09:00', got {value!r}")
    if result.tzinfo is None or result.utcoffset() is None:
        raise ValueError(f"datetime {value!r} has no time zone; write an offset such as +00:00")
    return result


def _structure_decimal(value: Any, _type: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"expected an amount, got {value!r}")
    return _checks.money("amount", value, allow_negative=True)


def _structure_str(value: Any, _type: Any) -> str:
    if isinstance(value, str):
        return str(value)
    raise ValueError(f"expected text, got {value!r}")


def _structure_int(value: Any, _type: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and value.is_integer() and abs(value) <= 2**53:
        return int(value)
    raise ValueError(f"expected a whole number, got {value!r}")


def _structure_float(value: Any, _type: Any) -> float:
    """A number (NaN and infinities are left to the value's own checks, which report them with the others)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:
            raise ValueError(f"{value!r} is too large for a number") from None
    raise ValueError(f"expected a number, got {value!r}")


def _structure_bool(value: Any, _type: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueError(f"expected true or false, got {value!r}")


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
converter.register_structure_hook(str, _structure_str)
converter.register_structure_hook(int, _structure_int)
converter.register_structure_hook(float, _structure_float)
converter.register_structure_hook(bool, _structure_bool)
converter.register_unstructure_hook_func(_is_enum, lambda member: member.name)
converter.register_structure_hook_func(_is_enum, _structure_enum)
# IntEnum members are ints too: without these, the int hook (earlier in the MRO) would win.
converter.register_structure_hook(IntEnum, _structure_enum)
converter.register_unstructure_hook(IntEnum, lambda member: member.name)
converter.register_unstructure_hook(
    FrozenDict, lambda m: {converter.unstructure(k): converter.unstructure(v) for k, v in m.items()}
)


def _is_set(t: Any) -> bool:
    origin = getattr(t, "__origin__", t)
    return isinstance(origin, type) and issubclass(origin, (frozenset, set))


def _unstructure_set(value: Any) -> list[Any]:
    """Sets become lists sorted by their plain-data form, so JSON is deterministic."""
    return sorted((converter.unstructure(item) for item in value), key=lambda item: (str(type(item)), str(item)))


def _is_fixed_tuple(t: Any) -> bool:
    return typing.get_origin(t) is tuple and typing.get_args(t)[-1:] != (Ellipsis,)


converter.register_unstructure_hook_func(_is_set, _unstructure_set)
converter.register_unstructure_hook_func(_is_fixed_tuple, lambda value: [converter.unstructure(i) for i in value])


def structure_fields(cls: type[Any]) -> Callable[[Any, Any], Any]:
    """The hook reading attrs class ``cls`` from an object of its fields (the default for every attrs class)."""
    fields: Callable[[Any, Any], Any] = converter.gen_structure_attrs_fromdict(cls)

    def structure(data: Any, t: Any) -> Any:
        if not isinstance(data, Mapping):
            raise ValueError(f"expected an object with the fields of {cls.__name__}, got {type(data).__name__}")
        return fields(data, t)

    return structure


converter.register_structure_hook_factory(attrs.has, structure_fields)


def register(setup: Callable[[cattrs.Converter], None]) -> None:
    """Let a context register hooks for its own types on the one converter."""
    setup(converter)


# -- written forms: tagged classes, configurations, hand-written schemas -------------------------------------------

SchemaBuilder = Callable[[Callable[[Any], dict[str, Any]]], dict[str, Any]]
"""Builds the JSON Schema of a class with a hand-written form, given ``describe(type) -> schema`` for its parts."""


class WrittenForm(NamedTuple):
    """How a class is written as plain data (what :func:`postsale.triggers.json_schema` describes)."""

    tag: str | None = None
    version: int | None = None
    schema: SchemaBuilder | None = None
    hand_written: bool = False


_TAGS: dict[type[Any], str] = {}
_SCHEMAS: dict[type[Any], SchemaBuilder] = {}
_INNER_STRUCTURE: dict[type[Any], Callable[[Any, Any], Any]] = {}


def _name(cls: Any) -> str:
    return f"{getattr(cls, '__module__', '')}.{getattr(cls, '__qualname__', '')}"


def register_schema(cls: type[Any], build: SchemaBuilder) -> None:
    """Declare the JSON Schema of a class whose hooks do not write its attrs fields as they are."""
    _SCHEMAS[cls] = build


def register_tagged(cls: type[Any], tag: str, structure: Callable[[Any, Any], Any] | None = None) -> None:
    """Write ``cls`` with a leading ``"kind": tag``; when read as ``cls`` itself, the tag is optional and must
    be its own. ``structure`` reads the remaining fields (default: the converter's hook for the attrs fields)."""
    fields_out = converter.gen_unstructure_attrs_fromdict(cls)
    fields_in = structure or structure_fields(cls)

    def unstructure(value: Any) -> dict[str, Any]:
        return {"kind": tag, **fields_out(value)}

    def structure_tagged(data: Any, t: Any) -> Any:
        if isinstance(data, Mapping) and "kind" in data:
            if data["kind"] != tag:
                raise ValueError(
                    f"kind {data['kind']!r} is not the kind of {cls.__name__} ({tag!r}); "
                    f"read it as the union of kinds, or write kind {tag!r}"
                )
            data = {k: v for k, v in data.items() if k != "kind"}
        return fields_in(data, t)

    _TAGS[cls] = tag
    converter.register_unstructure_hook(cls, unstructure)
    converter.register_structure_hook(cls, structure_tagged)


def configuration_hook(cls: type[Any], structure: Callable[[Any, Any], Any]) -> None:
    """Read the fields of configuration ``cls`` with ``structure`` (its ``schema_version`` is handled here)."""
    _INNER_STRUCTURE[cls] = structure  # looked up on every read, so hooks generated before still see it


def written_form(cls: type[Any]) -> WrittenForm:
    """How ``cls`` is written: its ``kind`` tag, its configuration version, its hand-written schema, and whether
    its hooks are hand-written (then a schema must be declared with :func:`register_schema`)."""
    hook = converter.get_unstructure_hook(cls)
    version = CONFIGURATIONS.get(_name(cls))
    generated = getattr(hook, "__module__", "") is None or cls in _TAGS or version is not None
    return WrittenForm(_TAGS.get(cls), version, _SCHEMAS.get(cls), hand_written=not generated)


def _is_configuration(t: Any) -> bool:
    return isinstance(t, type) and _name(t) in CONFIGURATIONS


def _unstructure_configuration(cls: type[Any]) -> Callable[[Any], dict[str, Any]]:
    fields, version = converter.gen_unstructure_attrs_fromdict(cls), CONFIGURATIONS[_name(cls)]
    return lambda value: {SCHEMA_VERSION_KEY: version, **fields(value)}


def _structure_configuration(cls: type[Any]) -> Callable[[Any, Any], Any]:
    fields = structure_fields(cls)

    def structure(data: Any, t: Any) -> Any:
        if isinstance(data, Mapping) and SCHEMA_VERSION_KEY in data:
            data = _migrate(cls, data)
        return _INNER_STRUCTURE.get(cls, fields)(data, t)

    return structure


def _migrate(cls: type[Any], data: Mapping[str, Any]) -> dict[str, Any]:
    """Check a configuration's ``schema_version`` and bring its data to the current version."""
    current, found = CONFIGURATIONS[_name(cls)], data[SCHEMA_VERSION_KEY]
    if found.__class__ is not int or not 1 <= found <= current:
        newer = found.__class__ is int and found > current
        what = f"newer than this postsale reads for {cls.__name__} (up to {current})" if newer else "not a version"
        problem = f"{SCHEMA_VERSION_KEY} {found!r} is {what}" + ("" if newer else f" of the {cls.__name__} format")
        todo = "upgrade postsale to read it, or write the data with" if newer else "leave it out, or write"
        raise StructureError(
            f"could not read {cls.__name__}",
            [Problem(f"$.{SCHEMA_VERSION_KEY}", f"{problem} (1 to {current})" if not newer else problem)],
            hint=f"{todo} {SCHEMA_VERSION_KEY} {current}",
        )
    fields = {k: v for k, v in data.items() if k != SCHEMA_VERSION_KEY}
    for version in range(found, current):
        fields = MIGRATIONS[_name(cls)][version](fields)
    return fields


converter.register_unstructure_hook_factory(_is_configuration, _unstructure_configuration)
converter.register_structure_hook_factory(_is_configuration, _structure_configuration)


# -- errors with paths --------------------------------------------------------------------------------------------
def _describe(exc: BaseException, _type: Any) -> str:
    if isinstance(exc, ForbiddenExtraKeysError):
        return f"unknown field(s) {', '.join(sorted(map(_text, exc.extra_fields)))}; remove them"
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


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


_LEAVES = (str, int, float, bool, type(None))


def _where(path: Any) -> str:  # (((None, "a"), 0), "b") -> $.a[0].b, written only for an error
    keys = []
    while path is not None:
        path, key = path
        keys.append(f"[{key}]" if isinstance(key, int) else f".{key}")
    return "$" + "".join(reversed(keys))


def _check(data: Any, *, plain: bool) -> None:
    """Refuse ``data`` nested more than :data:`MAX_DEPTH` levels; when ``plain``, also anything JSON cannot hold
    (keys that are not text, NaN and infinities, other types). Found without recursion, with the path."""
    stack: list[tuple[Any, Any, int]] = [(data, None, 1)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, Mapping) and (isinstance(item, dict) or not plain):
            children: Any = item.items()
            if plain and not all(isinstance(key, str) for key in item):
                key = next(key for key in item if not isinstance(key, str))
                raise InvalidTypeError("has a key that is not text", field=_where(path), value=key, hint="use text")
        elif isinstance(item, (list, tuple)):
            children = enumerate(item)
        elif not plain or item is None or isinstance(item, (str, int)):
            continue
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise InvalidValueError(
                    "is not a finite number, which JSON cannot hold", field=_where(path), value=item
                )
            continue
        else:
            raise InvalidTypeError(
                f"is a {type(item).__name__}, which JSON cannot hold",
                field=_where(path),
                value=item,
                hint="pass a postsale value, or dicts, lists, text, numbers, booleans and None",
            )
        if depth > MAX_DEPTH:
            raise InvalidValueError(
                f"is nested more than {MAX_DEPTH} levels deep",
                field=_where(path),
                hint=f"pass data at most {MAX_DEPTH} levels of objects and lists deep",
            )
        for key, child in children:
            if child.__class__ not in _LEAVES or (plain and child.__class__ is float):
                stack.append((child, (path, key), depth + 1))


# -- the four public functions ------------------------------------------------------------------------------------
def to_data(value: Any) -> Any:
    """Return ``value`` (any public ``postsale`` value) as plain data: dicts, lists, str, int, float.

    Raises:
        InvalidTypeError: a part of ``value`` is not what its type says and cannot be written.
        InvalidValueError: ``value`` holds a naive datetime, or nests too deeply to be written.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> to_data(AccountSnapshot("acme", "SMB", date(2026, 1, 31), acv=1200))["segment"]
        'SMB'
    """
    try:
        return converter.unstructure(value)
    except PostsaleError:
        raise
    except RecursionError:
        raise InvalidValueError(
            f"is nested too deeply to be written (more than {MAX_DEPTH} levels)",
            field="$",
            hint="build a flatter value",
        ) from None
    except Exception as exc:  # a hook met something that is not what its type says
        raise InvalidTypeError(
            f"cannot be written as plain data ({type(exc).__name__}: {exc})",
            field="$",
            value=value,
            hint="build the value with its constructor, which checks every field",
        ) from None


def from_data(cls: type[T], data: Any) -> T:
    """Build a ``cls`` value from plain data, validating everything.

    Raises:
        StructureError: listing every bad field with its path (``$.signals``), data nested over :data:`MAX_DEPTH`
            levels, a configuration's ``schema_version`` newer than this ``postsale`` reads.
        DefinitionError: a definition that is well-formed data but breaks its own rules (every problem's path).
        InvalidTypeError: ``cls`` is not a type ``postsale`` can build.

    Examples:
        >>> from postsale import AccountSnapshot
        >>> snap = from_data(AccountSnapshot, {"account_id": "acme", "segment": "SMB", "as_of": "2026-01-31",
        ...                                    "acv": "1200.50"})
        >>> snap.as_of, snap.acv
        (datetime.date(2026, 1, 31), Decimal('1200.50'))
        >>> from_data(AccountSnapshot, {"account_id": "acme", "segment": "GIANT", "as_of": "2026-01-31"})
        Traceback (most recent call last):
        postsale._errors.StructureError: could not build AccountSnapshot from data (1 problem(s)): ...
    """
    name = getattr(cls, "__name__", repr(cls))
    try:
        _check(data, plain=False)
    except InvalidValueError as exc:
        raise StructureError(f"could not build {name} from data", [Problem(exc.field or "$", exc.message)]) from None
    try:
        hook = converter.get_structure_hook(cls)
    except Exception:  # no hook can be made: not a type postsale reads
        raise InvalidTypeError(
            "is not a type postsale can build from data", field="cls", value=cls, hint="pass a postsale value class"
        ) from None
    try:
        return hook(data, cls)  # type: ignore[no-any-return]
    except BaseValidationError as exc:
        raise StructureError(
            f"could not build {name} from data",
            _problems(exc),
            hint="fix the fields listed (paths start at $, the top of the data)",
        ) from None
    except (DefinitionError, StructureError):
        raise
    except PostsaleError as exc:
        raise StructureError(
            f"could not build {name} from data", [Problem("$", str(exc))], hint="fix the field named"
        ) from None
    except Exception as exc:
        raise StructureError(
            f"could not build {name} from data",
            [Problem(path="$", message=_describe(exc, cls))],
            hint="pass a JSON object with the documented fields",
        ) from None


def to_json(value: Any, *, indent: int | None = None) -> str:
    """Return ``value`` as a JSON string (keys in field order).

    Raises:
        InvalidTypeError: ``value`` holds something JSON cannot hold (the path says where, e.g. ``$.labels.when``),
            or ``indent`` is not a whole number.
        InvalidValueError: ``value`` holds a NaN or an infinity, a naive datetime, or nests more than
            :data:`MAX_DEPTH` levels; or ``indent`` is not between 0 and 16.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot, HealthBand
        >>> print(to_json(AccountSnapshot("acme", "SMB", date(2026, 1, 31), acv=1200)))
        {"account_id": "acme", "segment": "SMB", "as_of": "2026-01-31", "acv": "1200", ...}
        >>> to_json({"acme": HealthBand.GREEN, "globex": HealthBand.RED})
        '{"acme": "GREEN", "globex": "RED"}'
        >>> to_json({"raw": b"x"})
        Traceback (most recent call last):
        ...
        postsale._errors.InvalidTypeError: $.raw=b'x': is a bytes, which JSON cannot hold; ...
    """
    if indent is not None:  # bounded: an indent of 10**12 spaces per level would exhaust the memory
        _checks.count("indent", indent, limit=16)
    data = to_data(value)
    _check(data, plain=True)
    return json.dumps(data, indent=indent, ensure_ascii=False, allow_nan=False)


def from_json(cls: type[T], text: str | bytes) -> T:
    """Build a ``cls`` value from a JSON string.

    Raises:
        StructureError: when the text is not JSON (``NaN`` and ``Infinity`` are not), nests more than
            :data:`MAX_DEPTH` levels, or a field is bad (with its path).

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
        >>> from_json(AccountSnapshot, "[" * 100_000)
        Traceback (most recent call last):
        ...
        postsale._errors.StructureError: could not read AccountSnapshot from JSON (1 problem(s)):
          - nested more than 200 levels deep @ $
    """
    name = getattr(cls, "__name__", repr(cls))
    try:
        data = json.loads(text, parse_constant=_not_json)
    except RecursionError:
        problem = Problem("$", f"nested more than {MAX_DEPTH} levels deep")
        raise StructureError(f"could not read {name} from JSON", [problem]) from None
    except (ValueError, TypeError) as exc:
        raise StructureError(
            f"could not read {name} from JSON",
            [Problem(path="$", message=f"not valid JSON ({exc})")],
            hint="pass the text produced by postsale.to_json",
        ) from None
    return from_data(cls, data)
