"""The nightly job's configuration: one TOML file, every problem listed with its path before anything runs.

``postsale run --config FILE`` reads one TOML file of this form (every key and section is optional):

```toml
time_zone = "Europe/Paris"           # the portfolio's IANA time zone; default "UTC"
holidays = [2026-12-25, 2027-01-01]  # TOML dates (or ISO text such as "2026-12-25"); default none

[review]                             # the review's horizons (ReviewSettings' plain fields)
agenda_days = 7                      # days of touchpoints the agenda lists (at most 366)
renewal_horizon_months = 6           # how far ahead renewals are summarised and forecast (at most 60)
top_alerts = 20                      # how many of the most urgent alerts the summary lists

[health_model]                       # postsale.health.HealthModel as postsale.to_data writes it, inline ...
path = "health.json"                 # ... or by path: JSON or TOML, relative to this file's folder

[rule_set]                           # postsale.triggers.RuleSet: inline or by path, as above
[company]                            # postsale.touch.BusinessProfile (touch-model economics): inline or by path
[renewal]                            # postsale.renewal.StateOrder: each segment's renewal playbook, when the
                                     # runway widens, which segments renew by themselves; inline or by path
[forecast_rules]                     # postsale.renewal.ForecastRules: the forecast's rule table; inline or by path
[cadence]                            # postsale.cadence.CadencePlans: each segment's scheduled plan (the regular
                                     # plan of every agenda; a segment left out keeps its default); inline or by path
```

The holidays are the review's (:attr:`~postsale.review.ReviewSettings.holidays`): no scheduled touch of an agenda
is due on one. Alerts keep their SLA deadline on a holiday, as on a weekend.

A section left out keeps the value of :data:`~postsale.review.DEFAULT_REVIEW_SETTINGS` (the field guide's
numbers). A section given by ``path`` has no other key; a file named ``*.toml`` is read as TOML, any other as JSON.

Problems are reported in the file's own terms: ``time_zone``, ``holidays[1]``, ``review.agenda_days``,
``rule_set.rules[7].condition.threshold``, ``renewal.playbooks.SMB.runway_days`` (a mapping's key dotted as TOML
writes it), ``health_model.path`` (a file that cannot be read), an unknown key by its name, and a file that is not
TOML (or cannot be read at all) by the file's path, with tomllib's line and column.
Every section is checked before anything is reported, so one check lists every mistake.

``postsale config init`` writes the defaults in this form (:func:`default_config_text`). TOML has no null: a key
whose value is ``None`` is left out of the written file, which is faithful because every field written as ``None``
in the defaults has ``None`` as its default (the test suite checks that the default file loads back exactly as the
defaults). Loading reads TOML and JSON only (:mod:`tomllib`, :mod:`json`): it never executes code.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

import attrs

from postsale import _checks
from postsale._convert import from_data, to_data
from postsale._errors import DefinitionError, InvalidTypeError, PostsaleError, Problem
from postsale._repr import readable
from postsale._vocabulary import Segment
from postsale.cadence import CadencePlans
from postsale.health import HealthModel
from postsale.renewal import ForecastRules, StateOrder
from postsale.review import DEFAULT_REVIEW_SETTINGS, ReviewSettings
from postsale.touch import BusinessProfile
from postsale.triggers import RuleSet

__all__ = ["NightlyConfig", "config_problems", "default_config_text", "load_config"]

_SECTIONS: Final[Mapping[str, type[Any]]] = {"health_model": HealthModel, "rule_set": RuleSet,
                                             "company": BusinessProfile, "renewal": StateOrder,
                                             "forecast_rules": ForecastRules, "cadence": CadencePlans}
"""The sections holding a whole value (inline or by ``path``), and the class each one is read as."""

_REVIEW_KEYS: Final = ("agenda_days", "renewal_horizon_months", "top_alerts")
"""The plain fields of :class:`~postsale.review.ReviewSettings`, set in ``[review]``."""

_KEYS: Final = ("time_zone", "holidays", "review", *_SECTIONS)
"""Every top-level key of the file."""

_SHOWN_CHARACTERS: Final = 80
"""The longest repr of an offending value a problem shows."""


# ---- the value ---------------------------------------------------------------------------------------------------


def _settings(_instance: object, attribute: Any, value: Any) -> None:
    _checks.instance(attribute.name, value, ReviewSettings, hint="pass a postsale.review.ReviewSettings")


def _time_zone(_instance: object, attribute: Any, value: Any) -> None:
    _checks.time_zone(attribute.name, value)


@attrs.frozen
class NightlyConfig:
    """What a configuration file sets: the review settings (its holidays among them) and the portfolio's time zone.

    Args:
        settings: The review settings (models, rules, horizons, plans, holidays); default the field guide's.
        time_zone: The portfolio's IANA time zone, e.g. ``"Europe/Paris"``.

    Raises:
        InvalidTypeError: ``settings`` is not a ``ReviewSettings``, ``time_zone`` is not text.
        UnknownNameError: ``time_zone`` is not a known IANA time zone.

    Examples:
        >>> import pickle
        >>> from datetime import date
        >>> config = NightlyConfig(ReviewSettings(holidays=[date(2026, 12, 25)]), "Europe/Paris")
        >>> config.time_zone, sorted(config.holidays)
        ('Europe/Paris', [datetime.date(2026, 12, 25)])
        >>> pickle.loads(pickle.dumps(config)) == config
        True
        >>> NightlyConfig(time_zone="Mars/Olympus")
        Traceback (most recent call last):
        ...
        postsale._errors.UnknownNameError: time_zone='Mars/Olympus': is not a known IANA time zone; ...
    """

    __repr__ = readable
    settings: ReviewSettings = attrs.field(default=DEFAULT_REVIEW_SETTINGS, validator=_settings)
    time_zone: str = attrs.field(default="UTC", validator=_time_zone)

    @property
    def holidays(self) -> frozenset[date]:
        """The days off: the settings' (:attr:`~postsale.review.ReviewSettings.holidays`)."""
        return self.settings.holidays


# ---- reading the file: every problem, with its path in the file's own terms ------------------------------------


def _shown(value: Any) -> str:
    """An offending value as a problem shows it: its repr (a date or datetime as TOML writes it), cut short."""
    text = value.isoformat() if isinstance(value, date) else repr(_checks.shown(value))
    return text if len(text) <= _SHOWN_CHARACTERS else f"{text[:_SHOWN_CHARACTERS]}..."


def _said(error: PostsaleError, value: Any) -> str:
    """What ``error`` says about ``value``, with the value first: ``-1 is negative; rule: ...; instead: ...``."""
    message = error.message
    parts = [f"{_shown(value)} {message}" if message.startswith(("is ", "are ")) else f"{_shown(value)}: {message}"]
    if error.constraint:
        parts.append(f"rule: {error.constraint}")
    if error.hint:
        parts.append(f"instead: {error.hint}")
    return "; ".join(parts)


def _key(name: Any) -> str:
    """A key of the file as a path: itself when it is a plain name, else quoted."""
    return name if isinstance(name, str) and name.isidentifier() else repr(name)


_NAMED_KEY: Final = re.compile(r"\['([A-Za-z_][A-Za-z0-9_]*)'\]")
"""A mapping's key in a converter's path (``['SMB']``) that TOML writes as a bare dotted key (``.SMB``)."""


def _join(section: str, path: str) -> str:
    """A path inside a section's data (``$.rules[3].condition``, or a definition's own ``yellow_from``) in the
    file's terms: ``rule_set.rules[3].condition``; a mapping's key that is a plain name is dotted as in TOML
    (``$.playbooks['SMB'].runway_days`` in ``renewal`` is ``renewal.playbooks.SMB.runway_days``)."""
    inner = _NAMED_KEY.sub(r".\1", path.removeprefix("$"))
    if not inner:
        return section
    return section + inner if inner.startswith((".", "[")) else f"{section}.{inner}"


def _cause(error: Exception) -> str:
    """Why a file could not be read: the system's words (``No such file or directory``)."""
    return (error.strerror if isinstance(error, OSError) else None) or str(error) or type(error).__name__


def _not_a_number(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


class _Reader:
    """Reads one configuration file, collecting every problem instead of stopping at the first."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def document(self) -> dict[str, Any] | None:
        """The file's TOML data, or ``None`` after a problem at the file's path."""
        where = str(self.path)
        try:
            raw = self.path.read_bytes()
        except (OSError, ValueError) as error:  # ValueError: a NUL in the name
            self.problem(where, f"cannot be read: {_cause(error)}; instead: name a readable TOML file")
            return None
        try:
            return tomllib.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as error:
            self.problem(where, f"is not UTF-8 text (byte {error.start}); instead: save the file as UTF-8")
        except tomllib.TOMLDecodeError as error:
            self.problem(where, f"is not valid TOML: {error}; instead: fix the syntax there")
        except RecursionError:
            self.problem(where, "is not readable TOML: it nests too deeply; instead: write flatter tables")
        return None

    def time_zone(self, value: Any) -> str | None:
        try:
            _checks.time_zone("time_zone", value)
        except PostsaleError as error:
            self.problem("time_zone", _said(error, value))
            return None
        return str(value)

    def holidays(self, value: Any) -> frozenset[date]:
        if not isinstance(value, list):
            self.problem("holidays", f"{_shown(value)} is not a list of dates; instead: write e.g. "
                                     "holidays = [2026-12-25, 2027-01-01]")
            return frozenset()
        days: set[date] = set()
        for i, item in enumerate(value):
            day = item
            if isinstance(item, str):
                try:
                    day = date.fromisoformat(item)
                except ValueError:
                    pass
            if isinstance(day, date) and not isinstance(day, datetime):
                days.add(day)
            else:
                what = "a date and time" if isinstance(day, datetime) else "not a date"
                self.problem(f"holidays[{i}]", f"{_shown(item)} is {what}; instead: write the day as 2026-12-25 "
                                               '(a TOML date) or "2026-12-25"')
        return frozenset(days)

    def review(self, table: Any) -> dict[str, Any]:
        if not isinstance(table, dict):
            self.problem("review", f"{_shown(table)} is not a table; instead: write [review] and its keys below it")
            return {}
        plain: dict[str, Any] = {}
        for key, value in table.items():
            where = f"review.{_key(key)}"
            if key not in _REVIEW_KEYS:
                self.problem(where, f"is not a review setting (known: {', '.join(_REVIEW_KEYS)}); instead: remove "
                                    "it; the models and rules are the sections [health_model], [rule_set], [company], "
                                    "[renewal], [forecast_rules]")
                continue
            try:
                attrs.evolve(DEFAULT_REVIEW_SETTINGS, **{key: value})
            except PostsaleError as error:
                self.problem(where, _said(error, value))
            else:
                plain[key] = value
        return plain

    def section(self, name: str, table: Any) -> Any:
        """A whole-value section's data (inline, or read from the file its ``path`` names), or ``None``."""
        if not isinstance(table, dict):
            self.problem(name, f"{_shown(table)} is not a table; instead: write [{name}] and its keys below it, "
                               f'or [{name}] with path = "{name}.json"')
            return None
        if "path" not in table:
            return table
        others = sorted(_key(k) for k in table if k != "path")
        if others:
            self.problem(name, f"has a path and other keys ({', '.join(others)}); instead: give the section inline "
                               "or by path, not both")
            return None
        target = table["path"]
        if not isinstance(target, str) or not target:
            self.problem(f"{name}.path", f"{_shown(target)} is not a file name; instead: write "
                                         f'path = "{name}.json" (JSON or TOML, relative to this file)')
            return None
        file = self.path.parent / target
        try:
            text = file.read_bytes().decode("utf-8")
        except UnicodeDecodeError as error:
            self.problem(f"{name}.path", f"{file} is not UTF-8 text (byte {error.start}); instead: save it as UTF-8")
            return None
        except (OSError, ValueError) as error:  # ValueError: a NUL in the name
            self.problem(f"{name}.path", f"{file} cannot be read: {_cause(error)}; instead: name a readable JSON "
                                         "or TOML file, relative to the configuration file's folder")
            return None
        is_toml = file.suffix.lower() == ".toml"
        try:
            return tomllib.loads(text) if is_toml else json.loads(text, parse_constant=_not_a_number)
        except (ValueError, RecursionError) as error:  # TOMLDecodeError and JSONDecodeError are ValueErrors
            why = str(error) if isinstance(error, ValueError) else "it nests too deeply"
            self.problem(f"{name}.path", f"{file} is not valid {'TOML' if is_toml else 'JSON'}: {why}; "
                                         "instead: fix it there (a file not named *.toml is read as JSON)")
        return None

    def value(self, name: str, cls: type[Any], data: Any) -> Any:
        try:
            found = from_data(cls, data)
        except PostsaleError as error:
            nested = getattr(error, "problems", ())
            if nested:
                self.problems.extend(Problem(_join(name, p.path), p.message) for p in nested)
            else:
                self.problem(name, str(error))
            return None
        if isinstance(found, StateOrder) and len(found.playbooks) < len(Segment):
            lacking = ", ".join(s.name for s in Segment if s not in found.playbooks)
            self.problem(f"{name}.playbooks", f"has no playbook for {lacking}; rule: the table replaces the "
                                              "defaults whole, and the review refuses an account whose segment "
                                              "has none; instead: give every segment its playbook (postsale "
                                              "config init writes them all)")
        return found

    def config(self) -> NightlyConfig | None:
        """The configuration, or ``None`` when there is any problem (all of them in :attr:`problems`)."""
        document = self.document()
        if document is None:
            return None
        time_zone: str | None = "UTC"
        fields: dict[str, Any] = {}
        for key, value in document.items():  # in the file's order, so the problems are too
            if key == "time_zone":
                time_zone = self.time_zone(value)
            elif key == "holidays":
                fields["holidays"] = self.holidays(value)
            elif key == "review":
                fields.update(self.review(value))
            elif key in _SECTIONS:
                data = self.section(key, value)
                if data is not None:
                    fields[key] = self.value(key, _SECTIONS[key], data)
            else:
                self.problem(_key(key), f"is not a setting of the configuration file (known: {', '.join(_KEYS)}); "
                                        "instead: remove it or correct its name")
        if self.problems or time_zone is None:
            return None
        try:
            return NightlyConfig(attrs.evolve(DEFAULT_REVIEW_SETTINGS, **fields), time_zone)
        except PostsaleError as error:  # pragma: no cover - each part was checked above
            self.problem("review", str(error))
            return None


def _a_path(path: Any) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise InvalidTypeError("is not a path", field="path", value=path,
                               hint="pass the configuration file's path, e.g. 'postsale.toml'")
    try:
        return Path(os.fsdecode(os.fspath(path)))
    except TypeError:  # a path-like whose __fspath__ gives neither text nor bytes
        raise InvalidTypeError("is not a path", field="path", value=path,
                               hint="pass the configuration file's path, e.g. 'postsale.toml'") from None


def config_problems(path: str | os.PathLike[str]) -> tuple[Problem, ...]:
    """Every problem of the configuration file at ``path``; none when it is fine.

    Each problem's path is in the file's own terms: ``time_zone``, ``holidays[0]``, ``review.agenda_days``,
    ``rule_set.rules[7].condition.threshold``, ``health_model.path`` (a file it names cannot be read), an unknown
    key by its name; a file that cannot be read or is not TOML is one problem at the file's path (with the line and
    column). Every section is checked before returning, in the file's order. A bad file never raises.

    Args:
        path: The configuration file (a ``str`` or path-like).

    Returns:
        The problems, in the order of the file's keys; ``()`` when the file loads.

    Raises:
        InvalidTypeError: ``path`` is not a path.

    Examples:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "postsale.toml"
        >>> _ = path.write_text('time_zone = "Mars/Olympus"\\n[review]\\nagenda_days = -1\\n', encoding="utf-8")
        >>> for problem in config_problems(path):
        ...     print(problem.path, "|", problem.message)
        time_zone | 'Mars/Olympus' is not a known IANA time zone; rule: an IANA name ...; instead: pass a name such ...
        review.agenda_days | -1 is negative; rule: must be >= 0; instead: pass a count >= 0
        >>> _ = path.write_text("[review]\\nagenda_days = 7\\n", encoding="utf-8")
        >>> config_problems(path)
        ()
    """
    reader = _Reader(_a_path(path))
    reader.config()
    return tuple(reader.problems)


def load_config(path: str | os.PathLike[str]) -> NightlyConfig:
    """The configuration in the TOML file at ``path``.

    Args:
        path: The configuration file; the ``path`` of a section is relative to its folder.

    Returns:
        The configuration: every section and key left out keeps its default.

    Raises:
        DefinitionError: the file has problems; :attr:`~postsale.DefinitionError.problems` lists every one of
            them, as :func:`config_problems` does.
        InvalidTypeError: ``path`` is not a path.

    Examples:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "postsale.toml"
        >>> _ = path.write_text('time_zone = "Asia/Tokyo"\\n[review]\\nagenda_days = 7\\n', encoding="utf-8")
        >>> config = load_config(path)
        >>> config.time_zone, config.settings.agenda_days, config.settings.top_alerts
        ('Asia/Tokyo', 7, 20)
        >>> _ = path.write_text("weather = 'fine'\\n", encoding="utf-8")
        >>> load_config(path)
        Traceback (most recent call last):
        ...
        postsale._errors.DefinitionError: the configuration file ... has problems (1 problem(s)):
          - is not a setting of the configuration file (known: ...); instead: remove it or correct its name @ weather
        ...
    """
    reader = _Reader(_a_path(path))
    config = reader.config()
    if config is None:
        raise DefinitionError(f"the configuration file {reader.path} has problems", reader.problems,
                              hint="fix each entry listed (the paths are the file's keys); "
                                   "`postsale config check FILE` lists them too")
    return config


# ---- writing the defaults ------------------------------------------------------------------------------------------


def _without_nulls(value: Any) -> Any:
    """TOML has no null: a key whose value is ``None`` is left out (every such field defaults to ``None``)."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


_HEADER: Final = """\
# postsale run --config FILE: the nightly job's settings. Every number below is a default from the field guide;
# edit what your team decides differently. A top-level key or a whole section left out keeps its default, so you
# may delete what you keep as it is. `postsale config check FILE` lists every problem, each with its path.
#
# time_zone, holidays: the portfolio's IANA time zone and its days off (TOML dates, e.g. [2026-12-25]); no
# scheduled touch is due on a holiday (alerts keep their deadlines).
# [review]: the review's horizons. [health_model], [rule_set], [company], [renewal], [forecast_rules], [cadence]:
# the health model, the trigger rules, the business profile, the renewal playbooks, the forecast rules and each
# segment's scheduled plan, as postsale.to_data writes them; any of them may be the line path = "file.json" (JSON
# or TOML, relative to this file's folder).
# TOML has no null: a field whose value is None is not written (each such field's default is None).

"""

_SECTION_COMMENTS: Final = {
    "review": "# The review: days of touchpoints the agenda lists (<= 366), months of renewals ahead (<= 60), and\n"
              "# how many of the most urgent alerts the summary lists.",
    "health_model": "# The health model (postsale.health.HealthModel): components, their parts, weights and bands.",
    "rule_set": "# The trigger rules (postsale.triggers.RuleSet): conditions, actions, SLAs, cooldowns and budgets.",
    "company": "# The business profile (postsale.touch.BusinessProfile) behind the touch model; each account's ACV\n"
               "# and segment are filled in from the account.",
    "renewal": "# The renewal playbooks (postsale.renewal.StateOrder): each segment's runway, milestones and danger\n"
               "# zone, when the runway widens (red health starts it earlier), and which segments renew by themselves.",
    "forecast_rules": "# The forecast rules (postsale.renewal.ForecastRules): tried in order, the first that\n"
                      "# matches the account's facts gives COMMIT, LIKELY or AT_RISK; else the default.",
    "cadence": "# Each segment's scheduled plan (postsale.cadence.CadencePlans): the touches its accounts get between\n"
               "# journey events; each item repeats every `interval` `unit`s from its anchor, at its local time.",
}


def default_config_text() -> str:
    """The defaults as an editable TOML file (what ``postsale config init`` writes).

    Loading the text gives back exactly :data:`~postsale.review.DEFAULT_REVIEW_SETTINGS`, the UTC time zone and
    no holidays. The data is written by ``tomli_w`` (the ``nightly`` extra); a ``None`` field is left out.

    Returns:
        The text: a header comment, then ``time_zone``, ``holidays`` and the sections, each with a comment.

    Raises:
        MissingDependencyError: ``tomli_w`` is not installed (``pip install 'postsale[nightly]'``).

    Examples:
        >>> import tomllib
        >>> text = default_config_text()
        >>> text.startswith("# postsale run --config FILE")
        True
        >>> data = tomllib.loads(text)
        >>> list(data), data["review"]
        (['time_zone', 'holidays', 'review', 'health_model', 'rule_set', 'company', 'renewal', 'forecast_rules', \
'cadence'], {'agenda_days': 14, 'renewal_horizon_months': 6, 'top_alerts': 20})
    """
    from postsale._columnar import require

    tomli_w = require("tomli_w", "nightly")
    settings = to_data(DEFAULT_REVIEW_SETTINGS)
    document: dict[str, Any] = {"time_zone": "UTC", "holidays": [], "review": {k: settings[k] for k in _REVIEW_KEYS}}
    document.update({name: _without_nulls(settings[name]) for name in _SECTIONS})
    lines: list[str] = []
    for line in str(tomli_w.dumps(document)).splitlines():
        name = line.lstrip("[").split(".")[0].split("]")[0] if line.startswith("[") else ""
        comment = _SECTION_COMMENTS.get(name)
        if comment is not None and comment not in lines:  # before the section's first table
            lines.append(comment)
        lines.append(line)
    return _HEADER + "\n".join(lines) + "\n"
