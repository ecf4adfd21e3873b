"""The nightly job's configuration file: the defaults round-trip, sections inline or by path, every mistake with its
path in the file's own terms, all of them at once."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

import postsale
from postsale import DefinitionError, InvalidTypeError, PostsaleError, UnknownNameError
from postsale.review import DEFAULT_REVIEW_SETTINGS, ReviewSettings

tomli_w = pytest.importorskip("tomli_w")

from postsale.adapters.nightly._config import (  # noqa: E402 - after the skip when tomli_w is missing
    NightlyConfig,
    config_problems,
    default_config_text,
    load_config,
)


def _default_sections() -> dict[str, Any]:
    """The default file's data (TOML has no null, so this is the form a TOML section is written in)."""
    return tomllib.loads(default_config_text())


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _first_threshold_rule(rules: dict[str, Any]) -> int:
    return next(i for i, rule in enumerate(rules["rules"]) if rule["condition"]["kind"] == "threshold")


def test_the_default_text_loads_back_as_exactly_the_defaults(tmp_path: Path) -> None:
    path = _write(tmp_path / "postsale.toml", default_config_text())
    assert config_problems(path) == ()
    config = load_config(path)
    assert config == NightlyConfig()
    assert config.settings == DEFAULT_REVIEW_SETTINGS
    assert postsale.to_data(config.settings) == postsale.to_data(DEFAULT_REVIEW_SETTINGS)
    assert config.time_zone == "UTC"
    assert config.holidays == frozenset()


def test_the_default_text_explains_itself_and_has_every_section() -> None:
    text = default_config_text()
    header = text.split("\n\n")[0]
    assert all(line.startswith("#") for line in header.splitlines())
    assert "field guide" in header and "path" in header
    assert list(tomllib.loads(text)) == ["time_zone", "holidays", "review", "health_model", "rule_set", "company",
                                         "renewal", "forecast_rules", "cadence"]
    for section in ("review", "health_model", "rule_set", "company", "renewal", "forecast_rules"):
        before = text.split(f"\n[{section}]\n")[0]
        assert before.rstrip().splitlines()[-1].startswith("# ")


def test_sections_written_inline_are_read(tmp_path: Path) -> None:
    sections = _default_sections()
    company = sections["company"] | {"gross_margin": 0.6}
    rules = sections["rule_set"]
    rules["hygiene"]["auto_close_days"] = 3
    text = tomli_w.dumps({"time_zone": "Europe/Paris", "holidays": [date(2026, 12, 25)],
                          "review": {"agenda_days": 7, "top_alerts": 5}, "company": company, "rule_set": rules})
    config = load_config(_write(tmp_path / "postsale.toml", text))
    assert config.settings.company.gross_margin == 0.6
    assert config.settings.rule_set.hygiene.auto_close_days == 3
    assert (config.settings.agenda_days, config.settings.top_alerts) == (7, 5)
    assert config.settings.renewal_horizon_months == DEFAULT_REVIEW_SETTINGS.renewal_horizon_months
    assert config.settings.health_model == DEFAULT_REVIEW_SETTINGS.health_model
    assert config.time_zone == "Europe/Paris" and config.holidays == {date(2026, 12, 25)}


def test_sections_given_by_path_are_read_from_json_and_toml_files(tmp_path: Path) -> None:
    rules = postsale.to_data(DEFAULT_REVIEW_SETTINGS.rule_set)
    rules["hygiene"]["auto_close_days"] = 3
    (tmp_path / "rules.json").write_text(json.dumps(rules), encoding="utf-8")
    health = _default_sections()["health_model"] | {"name": "ours"}
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "health.toml").write_text(tomli_w.dumps(health), encoding="utf-8")
    path = _write(tmp_path / "postsale.toml",
                  'time_zone = "Asia/Tokyo"\nholidays = [2026-12-25, "2027-01-01"]\n'
                  '[rule_set]\npath = "rules.json"\n[health_model]\npath = "models/health.toml"\n')
    config = load_config(path)
    assert config.settings.rule_set.hygiene.auto_close_days == 3
    assert config.settings.health_model.name == "ours"
    assert config.settings.company == DEFAULT_REVIEW_SETTINGS.company
    assert config.time_zone == "Asia/Tokyo"
    assert config.holidays == {date(2026, 12, 25), date(2027, 1, 1)}


def test_five_mistakes_give_exactly_five_problems_with_their_paths(tmp_path: Path) -> None:
    rules = postsale.to_data(DEFAULT_REVIEW_SETTINGS.rule_set)
    index = _first_threshold_rule(rules)
    rules["rules"][index]["condition"]["threshold"] = "high"
    (tmp_path / "rules.json").write_text(json.dumps(rules), encoding="utf-8")
    path = _write(tmp_path / "postsale.toml",
                  'time_zone = "Mars/Olympus"\nholidays = [2026-12-25, "soon"]\n'
                  '[review]\nagenda_days = -1\n[rule_set]\npath = "rules.json"\n[weather]\nsunny = true\n')
    problems = config_problems(path)
    assert [p.path for p in problems] == [
        "time_zone",
        "holidays[1]",
        "review.agenda_days",
        f"rule_set.rules[{index}].condition.threshold",
        "weather",
    ]
    messages = {p.path: p.message for p in problems}
    assert "'Mars/Olympus'" in messages["time_zone"] and "instead" in messages["time_zone"]
    assert "'soon'" in messages["holidays[1]"]
    assert messages["review.agenda_days"].startswith("-1 is negative")
    assert "'high'" in messages[f"rule_set.rules[{index}].condition.threshold"]
    assert "known: time_zone" in messages["weather"]


def test_load_config_raises_a_postsale_error_listing_every_problem(tmp_path: Path) -> None:
    path = _write(tmp_path / "postsale.toml",
                  'time_zone = 3\nholidays = "2026-12-25"\n[review]\ntop_alerts = "many"\nsummary_days = 3\n')
    with pytest.raises(DefinitionError) as refused:
        load_config(path)
    assert isinstance(refused.value, PostsaleError)
    assert refused.value.problems == config_problems(path)
    assert [p.path for p in refused.value.problems] == ["time_zone", "holidays", "review.top_alerts",
                                                        "review.summary_days"]
    assert all(f"@ {p.path}" in str(refused.value) for p in refused.value.problems)
    assert "4 problem(s)" in str(refused.value)


def test_a_toml_syntax_error_is_one_problem_with_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "broken.toml", 'time_zone = "UTC"\n\n[review\nagenda_days = 7\n')
    (problem,) = config_problems(path)
    assert problem.path == str(path)
    assert "is not valid TOML" in problem.message and "line 3" in problem.message


def test_a_missing_or_broken_path_target_is_a_problem_naming_it(tmp_path: Path) -> None:
    (tmp_path / "rules.json").write_text('{"rules": [NaN', encoding="utf-8")
    path = _write(tmp_path / "postsale.toml",
                  '[health_model]\npath = "nowhere.json"\n[rule_set]\npath = "rules.json"\n[company]\npath = 3\n')
    problems = config_problems(path)
    assert [p.path for p in problems] == ["health_model.path", "rule_set.path", "company.path"]
    assert str(tmp_path / "nowhere.json") in problems[0].message and "cannot be read" in problems[0].message
    assert "is not valid JSON" in problems[1].message
    assert "is not a file name" in problems[2].message


def test_a_section_with_a_path_and_other_keys_or_not_a_table_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "rules.json").write_text("{}", encoding="utf-8")
    path = _write(tmp_path / "postsale.toml",
                  'company = "big"\nreview = 3\n[rule_set]\npath = "rules.json"\nname = "ours"\n')
    assert [p.path for p in config_problems(path)] == ["company", "review", "rule_set"]


def test_a_definition_breaking_its_own_rules_is_reported_inside_its_section(tmp_path: Path) -> None:
    health = _default_sections()["health_model"]
    health["components"][0]["parts"][0]["scoring"]["bands"][0]["upper"] = 1000
    path = _write(tmp_path / "postsale.toml", tomli_w.dumps({"health_model": health}))
    (problem,) = config_problems(path)
    assert problem.path == "health_model.components[0].parts[0].scoring.bands[1].lower"
    assert "overlaps" in problem.message


def test_holidays_must_be_days_not_moments(tmp_path: Path) -> None:
    path = _write(tmp_path / "postsale.toml", "holidays = [2026-12-25T09:00:00, 2026-12-26, 20]\n")
    problems = config_problems(path)
    assert [p.path for p in problems] == ["holidays[0]", "holidays[2]"]
    assert "a date and time" in problems[0].message


def test_an_unreadable_file_is_a_problem_and_what_is_not_a_path_is_refused(tmp_path: Path) -> None:
    absent = tmp_path / "absent.toml"
    (problem,) = config_problems(absent)
    assert problem.path == str(absent) and "cannot be read" in problem.message
    (problem,) = config_problems(str(tmp_path))  # a folder
    assert problem.path == str(tmp_path)
    with pytest.raises(InvalidTypeError):
        config_problems(42)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        load_config(None)  # type: ignore[arg-type]


def test_a_configuration_pickles_and_equals_itself_after_pickling() -> None:
    config = NightlyConfig(ReviewSettings(holidays=frozenset({date(2026, 12, 25)})), "Europe/Paris")
    copy = pickle.loads(pickle.dumps(config))
    assert copy == config
    assert hash(copy) == hash(config)
    assert pickle.loads(pickle.dumps(NightlyConfig())) == NightlyConfig()


def test_a_configuration_refuses_what_is_not_a_zone_or_a_date() -> None:
    with pytest.raises(UnknownNameError):
        NightlyConfig(time_zone="Nowhere/Land")
    with pytest.raises(InvalidTypeError):
        NightlyConfig(time_zone=3)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError) as refused:
        ReviewSettings(holidays=frozenset({"2026-12-25"}))  # type: ignore[arg-type]
    assert refused.value.field == "holidays[0]"
    with pytest.raises(InvalidTypeError):
        ReviewSettings(holidays=[datetime(2026, 12, 25, 9, 0)])  # type: ignore[list-item]
    with pytest.raises(InvalidTypeError):
        NightlyConfig(settings="defaults")  # type: ignore[arg-type]
    config = NightlyConfig(ReviewSettings(holidays=[date(2026, 12, 25)]))
    assert config.holidays == config.settings.holidays == frozenset({date(2026, 12, 25)})


def test_cadence_plans_inline_or_by_path_and_holidays_reach_the_review(tmp_path: Path) -> None:
    """[cadence] replaces the plans it names (the others keep theirs); the holidays are the review's."""
    smb = _default_sections()["cadence"]["plans"]["SMB"] | {"name": "smb, ours"}
    (tmp_path / "cadence.toml").write_text(tomli_w.dumps({"plans": {"SMB": smb}}), encoding="utf-8")
    for body in ('[cadence]\npath = "cadence.toml"\n', tomli_w.dumps({"cadence": {"plans": {"SMB": smb}}})):
        config = load_config(_write(tmp_path / "postsale.toml", "holidays = [2026-12-25]\n" + body))
        assert config.settings.cadence.plan_for("SMB").name == "smb, ours"
        assert config.settings.cadence.plan_for("ENTERPRISE") == DEFAULT_REVIEW_SETTINGS.cadence.plan_for("ENTERPRISE")
        assert config.settings.holidays == {date(2026, 12, 25)}


def test_a_wrong_cadence_plan_is_a_problem_with_its_path(tmp_path: Path) -> None:
    smb = _default_sections()["cadence"]["plans"]["SMB"]
    smb["items"][0]["recurrence"]["interval"] = 0
    text = tomli_w.dumps({"cadence": {"plans": {"SMB": smb}}})
    problems = config_problems(_write(tmp_path / "postsale.toml", text))
    assert [(p.path, "interval=0" in p.message) for p in problems] == [("cadence.plans.SMB.items[0].recurrence", True)]
    text = tomli_w.dumps({"cadence": {"plans": {"GIANT": _default_sections()["cadence"]["plans"]["SMB"]}}})
    problems = config_problems(_write(tmp_path / "postsale.toml", text))
    assert [(p.path, "'GIANT'" in p.message) for p in problems] == [("cadence.plans.GIANT", True)]


def test_config_init_and_check_from_the_command_line(tmp_path: Path) -> None:
    def postsale_cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "postsale.adapters.cli", *args], capture_output=True,
                              text=True, check=False, timeout=120)

    path = tmp_path / "postsale.toml"
    assert postsale_cli("config", "init", str(path)).returncode == 0
    assert path.read_text(encoding="utf-8") == default_config_text()
    assert postsale_cli("config", "check", str(path)).stdout.strip().endswith(": ok")
    path.write_text(path.read_text(encoding="utf-8").replace("agenda_days = 14", "agenda_days = -1"),
                    encoding="utf-8")
    checked = postsale_cli("config", "check", str(path))
    assert checked.returncode == 2 and checked.stdout.startswith("review.agenda_days: ")
    run = postsale_cli("run", "-", "--as-of", "2026-11-02", "--config", str(path), "--state",
                       str(tmp_path / "s.duckdb"))
    assert run.returncode == 2 and "review.agenda_days" in run.stderr
    assert not (tmp_path / "s.duckdb").exists()


def test_a_renewal_section_sets_the_playbooks_the_night_reads(tmp_path: Path) -> None:
    """[renewal] with a longer SMB runway (120 days): an SMB account 100 days from renewal is inside it, so the
    night's renewal state is NOT_RECORDED where the default playbook (60 days) says UPCOMING."""
    from postsale.adapters.nightly import read_table, run_night

    renewal = _default_sections()["renewal"]
    smb = renewal["playbooks"]["SMB"]
    smb["runway_days"], smb["latest_start_days"] = 120, 60
    smb["milestones"][0]["days_before"] = 120
    path = _write(tmp_path / "postsale.toml", tomli_w.dumps({"renewal": renewal}))
    assert config_problems(path) == ()
    config = load_config(path)
    assert config.settings.renewal.playbooks[postsale.Segment.SMB].runway_days == 120
    day, end = date(2026, 10, 1), date(2027, 1, 9)
    source = _write(tmp_path / "accounts.csv", "account_id,segment,contract_start,contract_end,nps,sentiment\n"
                                               f"acme,SMB,2026-01-10,{end.isoformat()},9,80\n")
    states = []
    for name, settings in (("default", DEFAULT_REVIEW_SETTINGS), ("longer", config.settings)):
        night = run_night(as_of=day, accounts=read_table(source, field="accounts"),
                          state=tmp_path / f"{name}.duckdb", settings=settings)
        states.append(night.frames["reviews"]["renewal_state"][0])
    assert states == ["UPCOMING", "NOT_RECORDED"]


def test_a_mistake_in_a_playbook_is_named_by_its_path(tmp_path: Path) -> None:
    renewal = _default_sections()["renewal"]
    renewal["playbooks"]["SMB"]["runway_days"] = -5
    renewal["auto_renew"] = ["PRODUCT_LED", "GIANT"]
    problems = config_problems(_write(tmp_path / "postsale.toml", tomli_w.dumps({"renewal": renewal})))
    assert [(p.path, p.message) for p in problems] == [
        ("renewal.playbooks.SMB.runway_days", "must be >= 0, got -5"),
        ("renewal.auto_renew[1]", "invalid value (expected one of ENTERPRISE, MID_MARKET, SMB, PRODUCT_LED, "
                                  "got 'GIANT')"),
    ]


def test_the_contracts_schema_names_the_milestones_of_the_configured_playbooks(tmp_path: Path) -> None:
    from postsale.adapters.nightly._schema import input_schema

    renewal = _default_sections()["renewal"]
    renewal["playbooks"]["SMB"]["milestones"][0]["name"] = "kickoff_call"
    renewal["playbooks"]["SMB"]["conversation"] = "kickoff_call"
    path = _write(tmp_path / "postsale.toml", tomli_w.dumps({"renewal": renewal}))
    columns = input_schema("contracts", load_config(path).settings.renewal)["properties"]
    assert "milestone.kickoff_call" in columns
    assert "milestone.kickoff_call" not in input_schema("contracts")["properties"]
    done = subprocess.run([sys.executable, "-m", "postsale.adapters.cli", "schema", "contracts", "--config",
                           str(path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "milestone.kickoff_call" in json.loads(done.stdout)["properties"]
    with pytest.raises(InvalidTypeError):
        input_schema("contracts", "SMB")  # type: ignore[arg-type]


def _night_of(tmp_path: Path, name: str, settings: Any, row: str, day: date) -> dict[str, Any]:
    """The review row of the one account in ``row`` (CSV) after a night on ``day`` with ``settings``."""
    from postsale.adapters.nightly import read_table, run_night

    source = _write(tmp_path / f"{name}.csv", f"account_id,segment,contract_start,contract_end,nps,sentiment\n{row}\n")
    night = run_night(as_of=day, accounts=read_table(source, field="accounts"), state=tmp_path / f"{name}.duckdb",
                      settings=settings)
    reviews = night.frames["reviews"]
    return {name: reviews[name][0] for name in ("renewal_state", "days_to_renewal", "forecast")}


def test_a_renewal_section_given_by_path_is_read_and_changes_the_night(tmp_path: Path) -> None:
    """The playbooks in a JSON file named by [renewal] path: a 120-day SMB runway, so the night of an SMB account 100
    days from renewal says NOT_RECORDED (inside the runway) where the defaults say UPCOMING."""
    from postsale.renewal import DEFAULT_PLAYBOOKS, Playbook, StateOrder

    longer = Playbook.define("smb-120", runway_days=120, latest_start_days=60,
                             milestones=[(120, "renewal_offer"), (30, "follow_up"), (0, "renewal")],
                             conversation="renewal_offer", confirmation="follow_up")
    order = StateOrder(playbooks={**DEFAULT_PLAYBOOKS, "SMB": longer})
    (tmp_path / "renewal.json").write_text(postsale.to_json(order), encoding="utf-8")
    config = load_config(_write(tmp_path / "postsale.toml", '[renewal]\npath = "renewal.json"\n'))
    assert config.settings.renewal == order
    row, day = "acme,SMB,2026-01-10,2027-01-09,9,80", date(2026, 10, 1)
    default, custom = (_night_of(tmp_path, name, settings, row, day)
                       for name, settings in (("default", DEFAULT_REVIEW_SETTINGS), ("custom", config.settings)))
    assert (default["renewal_state"], custom["renewal_state"]) == ("UPCOMING", "NOT_RECORDED")
    assert default["days_to_renewal"] == custom["days_to_renewal"] == 100


def test_a_renewal_section_lacking_a_segment_is_a_problem(tmp_path: Path) -> None:
    """The playbooks table replaces the defaults whole: one naming SMB alone would leave the other segments without
    a playbook (the review refuses their accounts), so the check says which are missing."""
    renewal = _default_sections()["renewal"]
    renewal["playbooks"] = {"SMB": renewal["playbooks"]["SMB"]}
    problems = config_problems(_write(tmp_path / "postsale.toml", tomli_w.dumps({"renewal": renewal})))
    assert [p.path for p in problems] == ["renewal.playbooks"]
    assert "ENTERPRISE, MID_MARKET, PRODUCT_LED" in problems[0].message and "instead" in problems[0].message


def test_a_forecast_rules_section_sets_the_nights_forecast(tmp_path: Path) -> None:
    """[forecast_rules] with a table whose first rule calls a red account LIKELY: the night's forecast follows it."""
    rules = _default_sections()["forecast_rules"]
    rules["rules"].insert(0, {"category": "LIKELY", "reason": "we trust red accounts", "any_of": ["HEALTH_RED"]})
    path = _write(tmp_path / "postsale.toml", tomli_w.dumps({"forecast_rules": rules}))
    assert config_problems(path) == ()
    config = load_config(path)
    assert config.settings.forecast_rules.rules[0].reason == "we trust red accounts"
    assert config.settings.renewal == DEFAULT_REVIEW_SETTINGS.renewal
    row, day = "acme,SMB,2026-01-10,2027-01-09,1,10", date(2026, 10, 1)
    found = [_night_of(tmp_path, name, settings, row, day)["forecast"]
             for name, settings in (("default", DEFAULT_REVIEW_SETTINGS), ("custom", config.settings))]
    assert found == ["AT_RISK", "LIKELY"]


def test_a_mistake_in_the_forecast_rules_is_named_by_its_path(tmp_path: Path) -> None:
    rules = _default_sections()["forecast_rules"]
    rules["rules"][2]["category"] = "MAYBE"
    rules["high_risk_from"] = "two"
    problems = config_problems(_write(tmp_path / "postsale.toml", tomli_w.dumps({"forecast_rules": rules})))
    assert [p.path for p in problems] == ["forecast_rules.rules[2].category", "forecast_rules.high_risk_from"]
    assert all("'MAYBE'" in p.message for p in problems if p.path.endswith("category"))
