"""The nightly job's configuration: one TOML file, every problem listed with its path before anything runs.

```toml
time_zone = "Europe/Paris"           # IANA name; default "UTC"
holidays = [2026-12-25, 2027-01-01]  # TOML dates (or ISO text); default none

[review]                             # the review's horizons
agenda_days = 7                      # days of work the agenda lists (at most 366)
renewal_horizon_months = 6           # how far ahead renewals are summarised (at most 60)
top_alerts = 20                      # the most urgent alerts the summary lists

[health_model]                       # the health model, written as postsale.to_data writes it, inline ...
path = "health.json"                 # ... or by path (JSON or TOML, relative to this file's folder)

[rule_set]                           # the trigger rules: inline or by path, as for the health model
[company]                            # the business profile (touch-model economics): inline or by path
```

A section left out keeps its default (the field guide's numbers); a section with ``path`` has no other key.
``postsale config init`` writes the defaults in this form. Loading reads TOML and JSON only: it never executes
code.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from postsale._convert import from_data, to_data
from postsale._errors import DefinitionError, InvalidTypeError, PostsaleError, Problem
from postsale.health import HealthModel
from postsale.review import DEFAULT_REVIEW_SETTINGS, ReviewSettings
from postsale.touch import BusinessProfile
from postsale.triggers import RuleSet

__all__ = ["NightlyConfig", "config_problems", "default_config_text", "load_config"]

_OBJECTS: Final = {"health_model": HealthModel, "rule_set": RuleSet, "company": BusinessProfile}
_REVIEW: Final = ("agenda_days", "renewal_horizon_months", "top_alerts")
_TOP: Final = ("time_zone", "holidays", "review", *_OBJECTS)


def _zone(_instance: Any, _attribute: Any, value: Any) -> None:
    _zone_problem(value, raise_it=True)


def _zone_problem(value: Any, *, raise_it: bool = False) -> str | None:
    problem = None
    if not isinstance(value, str) or not value:
        problem = "is not a time zone name such as Europe/Paris"
    else:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            problem = "is not a known IANA time zone (e.g. UTC, Europe/Paris, Asia/Tokyo)"
    if problem is not None and raise_it:
        raise InvalidTypeError(problem, field="time_zone", value=value, hint="name an IANA time zone")
    return problem


def _holidays(value: Any) -> frozenset[date]:
    if not all(isinstance(d, date) for d in value):
        raise InvalidTypeError("are not all dates", field="holidays", value=value, hint="list dates")
    return frozenset(value)


@attrs.frozen
class NightlyConfig:
    """What a configuration file sets: the review settings, the portfolio's time zone and its holidays.

    Examples:
        >>> config = NightlyConfig(DEFAULT_REVIEW_SETTINGS, "Europe/Paris", frozenset({date(2026, 12, 25)}))
        >>> config.time_zone, sorted(config.holidays)
        ('Europe/Paris', [datetime.date(2026, 12, 25)])
    """

    settings: ReviewSettings = attrs.field(default=DEFAULT_REVIEW_SETTINGS,
                                           validator=attrs.validators.instance_of(ReviewSettings))
    time_zone: str = attrs.field(default="UTC", validator=_zone)
    holidays: frozenset[date] = attrs.field(default=frozenset(), converter=_holidays)


def _message(error: BaseException) -> str:
    return error.without_value() if isinstance(error, PostsaleError) else str(error)


def _within(section: str, problems: tuple[Problem, ...]) -> list[Problem]:
    """``$.rules[3].condition`` of a section's data, as ``rule_set.rules[3].condition``."""
    return [Problem(section + p.path.removeprefix("$"), p.message) for p in problems]


def _section_data(name: str, table: Any, folder: Path, problems: list[Problem]) -> Any:
    """A section's data: inline, or read from the file its ``path`` names."""
    if not isinstance(table, Mapping):
        problems.append(Problem(name, "is not a table: write [" + name + "] and its keys below it"))
        return None
    if "path" not in table:
        return dict(table)
    if set(table) != {"path"}:
        others = ", ".join(sorted(k for k in table if k != "path"))
        problems.append(Problem(name, f"has a path and other keys ({others}): give one or the other"))
        return None
    target = folder / str(table["path"])
    try:
        text = target.read_text(encoding="utf-8")
        return tomllib.loads(text) if target.suffix.lower() == ".toml" else json.loads(text)
    except OSError as error:
        problems.append(Problem(f"{name}.path", f"{target}: cannot be read: {error.strerror or error}"))
    except (ValueError, tomllib.TOMLDecodeError) as error:
        problems.append(Problem(f"{name}.path", f"{target}: is not valid {target.suffix.lstrip('.') or 'JSON'}: "
                                f"{error}"))
    return None


def _read(path: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")), []
    except OSError as error:
        return None, [Problem(str(path), f"cannot be read: {error.strerror or error}")]
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        return None, [Problem(str(path), f"is not valid TOML: {error}")]


def _build(path: Path) -> tuple[NightlyConfig | None, list[Problem]]:
    data, problems = _read(path)
    if data is None:
        return None, problems
    problems += [Problem(key, f"is not a setting; known: {', '.join(_TOP)}") for key in data if key not in _TOP]
    objects: dict[str, Any] = {}
    for name, cls in _OBJECTS.items():
        if name not in data:
            continue
        section = _section_data(name, data[name], path.parent, problems)
        if section is None:
            continue
        try:
            objects[name] = from_data(cls, section)
        except PostsaleError as error:
            problems += _within(name, getattr(error, "problems", ())) or [Problem(name, _message(error))]
    review = data.get("review", {})
    if not isinstance(review, Mapping):
        problems.append(Problem("review", "is not a table: write [review] and its keys below it"))
        review = {}
    problems += [Problem(f"review.{k}", f"is not a review setting; known: {', '.join(_REVIEW)}") for k in review
                 if k not in _REVIEW]
    plain = {k: v for k, v in review.items() if k in _REVIEW}
    for key, value in plain.items():
        try:
            attrs.evolve(DEFAULT_REVIEW_SETTINGS, **{key: value})
        except PostsaleError as error:
            problems.append(Problem(f"review.{key}", _message(error)))
    zone = data.get("time_zone", "UTC")
    if (why := _zone_problem(zone)) is not None:
        problems.append(Problem("time_zone", f"{zone!r} {why}"))
    holidays = data.get("holidays", [])
    days: list[date] = []
    if not isinstance(holidays, list):
        problems.append(Problem("holidays", "is not a list of dates, e.g. [2026-12-25, 2027-01-01]"))
    for i, day in enumerate(holidays if isinstance(holidays, list) else []):
        try:
            days.append(day if isinstance(day, date) else date.fromisoformat(str(day)))
        except ValueError:
            problems.append(Problem(f"holidays[{i}]", f"{day!r} is not a date such as 2026-12-25"))
    if problems:
        return None, problems
    settings = ReviewSettings(**{**{k: getattr(DEFAULT_REVIEW_SETTINGS, k) for k in _OBJECTS}, **objects}, **plain)
    return NightlyConfig(settings, zone, frozenset(days)), []


def _a_path(path: Any) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise InvalidTypeError("is not a path", field="path", value=path, hint="pass the configuration file's path")
    return Path(path)


def config_problems(path: str | os.PathLike[str]) -> tuple[Problem, ...]:
    """Every problem of the configuration file at ``path``, each with its place in the file (``rule_set.rules[3]
    .condition``, ``review.agenda_days``, ``time_zone``); none when it is fine. A bad file never raises.

    Examples:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "postsale.toml"
        >>> _ = path.write_text('time_zone = "Mars/Olympus"\\n[review]\\nagenda_days = -1\\n')
        >>> [p.path for p in config_problems(path)]
        ['review.agenda_days', 'time_zone']
    """
    return tuple(_build(_a_path(path))[1])


def load_config(path: str | os.PathLike[str]) -> NightlyConfig:
    """The configuration in the file at ``path``.

    Raises:
        DefinitionError: the file has problems (all of them are listed, with their paths).

    Examples:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "postsale.toml"
        >>> _ = path.write_text('time_zone = "Asia/Tokyo"\\n[review]\\nagenda_days = 7\\n')
        >>> config = load_config(path)
        >>> config.time_zone, config.settings.agenda_days
        ('Asia/Tokyo', 7)
    """
    config, problems = _build(_a_path(path))
    if config is None:
        raise DefinitionError(f"the configuration {path} has {len(problems)} problem(s)", problems,
                              hint="fix each listed entry (postsale config check FILE lists them)")
    return config


def _without_nulls(value: Any) -> Any:
    """TOML has no null: a key whose value is None is left out (its default, None, is then taken)."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


_HEADER: Final = """\
# postsale run --config: the nightly job's settings. Every number below is a default from the field guide;
# edit what your team decides differently. `postsale config check FILE` lists every problem with its path.
#
# time_zone / holidays: the portfolio's calendar. [review]: the review's horizons. [health_model], [rule_set],
# [company]: the health model, the trigger rules and the business profile, as postsale.to_data writes them;
# each section may instead be `path = "file.json"` (JSON or TOML, relative to this file).

"""


def default_config_text() -> str:
    """The defaults as an editable TOML file (what ``postsale config init`` writes).

    Examples:
        >>> [line for line in default_config_text().splitlines() if line.startswith("[")][:3]
        ['[review]', '[health_model]', '[[health_model.components]]']
    """
    import tomli_w

    settings = to_data(DEFAULT_REVIEW_SETTINGS)
    data: dict[str, Any] = {"time_zone": "UTC", "holidays": [],
                            "review": {k: settings[k] for k in _REVIEW}}
    data.update({name: _without_nulls(settings[name]) for name in _OBJECTS})
    text: str = _HEADER + tomli_w.dumps(data)
    return text
