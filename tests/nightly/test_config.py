"""The nightly job's configuration file: the defaults round-trip, sections by path, every mistake with its path."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import postsale
from postsale import DefinitionError, InvalidTypeError
from postsale.review import DEFAULT_REVIEW_SETTINGS

pytest.importorskip("tomli_w")

from postsale.adapters.nightly._config import (
    NightlyConfig,
    _without_nulls,
    config_problems,
    default_config_text,
    load_config,
)


def test_the_default_file_loads_back_as_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "postsale.toml"
    path.write_text(default_config_text(), encoding="utf-8")
    assert config_problems(path) == ()
    assert load_config(path) == NightlyConfig()
    assert load_config(path).settings == DEFAULT_REVIEW_SETTINGS


def test_sections_can_be_inline_or_read_from_json_and_toml_files(tmp_path: Path) -> None:
    rules = postsale.to_data(DEFAULT_REVIEW_SETTINGS.rule_set)
    rules["hygiene"]["auto_close_days"] = 3
    (tmp_path / "rules.json").write_text(json.dumps(rules), encoding="utf-8")
    health = postsale.to_data(DEFAULT_REVIEW_SETTINGS.health_model)
    health["name"] = "ours"
    import tomli_w

    (tmp_path / "health.toml").write_text(tomli_w.dumps(_without_nulls(health)), encoding="utf-8")
    path = tmp_path / "postsale.toml"
    path.write_text('time_zone = "Asia/Tokyo"\nholidays = [2026-12-25, "2027-01-01"]\n[review]\nagenda_days = 7\n'
                    '[rule_set]\npath = "rules.json"\n[health_model]\npath = "health.toml"\n', encoding="utf-8")
    config = load_config(path)
    assert config.settings.rule_set.hygiene.auto_close_days == 3
    assert config.settings.health_model.name == "ours"
    assert config.settings.agenda_days == 7
    assert config.time_zone == "Asia/Tokyo" and config.holidays == {date(2026, 12, 25), date(2027, 1, 1)}


def test_five_mistakes_give_five_problems_with_their_paths(tmp_path: Path) -> None:
    rules = postsale.to_data(DEFAULT_REVIEW_SETTINGS.rule_set)
    rules["rules"][3]["condition"]["threshold"] = "high"
    (tmp_path / "rules.json").write_text(json.dumps(rules), encoding="utf-8")
    path = tmp_path / "postsale.toml"
    path.write_text('time_zone = "Mars/Olympus"\nholidays = ["soon"]\nweather = "fine"\n'
                    '[review]\nagenda_days = -1\n[rule_set]\npath = "rules.json"\n', encoding="utf-8")
    problems = config_problems(path)
    assert sorted(p.path for p in problems) == sorted(
        ["time_zone", "holidays[0]", "weather", "review.agenda_days", "rule_set.rules[3].condition"])
    with pytest.raises(DefinitionError) as refused:
        load_config(path)
    assert len(refused.value.problems) == 5


def test_a_syntax_error_an_unreadable_path_and_a_mixed_section_are_problems(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[review\nagenda_days = 7\n", encoding="utf-8")
    (problem,) = config_problems(broken)
    assert problem.path == str(broken) and "line 1" in problem.message
    path = tmp_path / "postsale.toml"
    path.write_text('[company]\npath = "nowhere.json"\n[rule_set]\npath = "x.json"\nname = "y"\n[review]\nx = 1\n',
                    encoding="utf-8")
    assert sorted(p.path for p in config_problems(path)) == ["company.path", "review.x", "rule_set"]
    assert config_problems(tmp_path / "absent.toml")[0].path == str(tmp_path / "absent.toml")
    with pytest.raises(InvalidTypeError):
        config_problems(42)  # type: ignore[arg-type]


def test_a_configuration_pickles_and_refuses_what_is_not_a_zone_or_a_date() -> None:
    config = NightlyConfig(DEFAULT_REVIEW_SETTINGS, "Europe/Paris", frozenset({date(2026, 12, 25)}))
    assert pickle.loads(pickle.dumps(config)) == config
    with pytest.raises(InvalidTypeError):
        NightlyConfig(time_zone="Nowhere/Land")
    with pytest.raises(InvalidTypeError):
        NightlyConfig(holidays=frozenset({"2026-12-25"}))  # type: ignore[arg-type]


def test_config_init_and_check_from_the_command_line(tmp_path: Path) -> None:
    def postsale_cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "postsale.adapters.cli", *args], capture_output=True,
                              text=True, check=False, timeout=120)

    path = tmp_path / "postsale.toml"
    assert postsale_cli("config", "init", str(path)).returncode == 0
    assert postsale_cli("config", "check", str(path)).stdout.strip().endswith(": ok")
    path.write_text(path.read_text(encoding="utf-8").replace("agenda_days = 14", "agenda_days = -1"),
                    encoding="utf-8")
    checked = postsale_cli("config", "check", str(path))
    assert checked.returncode == 2 and checked.stdout.startswith("review.agenda_days: ")
    run = postsale_cli("run", "-", "--as-of", "2026-11-02", "--config", str(path), "--state",
                       str(tmp_path / "s.duckdb"))
    assert run.returncode == 2 and "review.agenda_days" in run.stderr
    assert not (tmp_path / "s.duckdb").exists()
    printed = postsale_cli("config", "init")
    assert printed.returncode == 0 and "[rule_set]" in printed.stdout
