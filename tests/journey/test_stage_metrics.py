"""Stage checklists (Retention going well, Expansion working, Advocacy succeeding), onboarding metrics (time to
first value, days to first login) and journey outcome correlation, each boundary tested on both sides."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from postsale import (
    AccountSnapshot,
    DefinitionError,
    InvalidTypeError,
    InvalidValueError,
    Stage,
    UnknownNameError,
    from_data,
    from_json,
    to_data,
    to_json,
)
from postsale.journey import (
    DEFAULT_JOURNEY_DEFINITION,
    DEFAULT_STAGE_CHECKLISTS,
    FIRST_LOGIN_TARGET_DAYS,
    FIRST_VALUE_TARGET_DAYS,
    AccountMilestones,
    Cause,
    ChecklistStatus,
    Comparison,
    Criterion,
    Journey,
    JourneyDefinition,
    OutcomeCorrelation,
    PathPattern,
    StageChecklist,
    check_stages,
    days_to_first_login,
    outcome_correlation,
    time_to_first_value,
)
from tests.strategies.journey import FULL_EVIDENCE, journeys

ROOT = Path(__file__).resolve().parents[2]
D0 = date(2026, 1, 5)
GOOD_RETENTION = {"health_score": 70.0, "critical_issues_open": 0.0, "renewal_risk": 2.0}


def retention(**changes: float | None) -> ChecklistStatus:
    evidence: dict[str, Any] = {**GOOD_RETENTION, **changes}
    evidence = {k: v for k, v in evidence.items() if v is not None}
    return DEFAULT_JOURNEY_DEFINITION.check_stage(Stage.RETENTION, evidence).status


# ---- Retention going well -------------------------------------------------------------------------------------


def test_retention_goes_well_at_every_boundary_value() -> None:
    """GREEN from 70, zero critical issues and Medium risk (2) are all still "going well"."""
    assert ChecklistStatus.MET == retention()


@pytest.mark.parametrize(
    ("signal", "value"),
    [("health_score", 69.99), ("critical_issues_open", 1.0), ("renewal_risk", 3.0)],
    ids=["yellow-health", "one-critical-issue", "high-risk"],
)
def test_retention_is_not_going_well_just_past_each_boundary(signal: str, value: float) -> None:
    """Health below 70, one open critical issue, or HIGH renewal risk each rule "going well" out."""
    assert ChecklistStatus.NOT_MET == retention(**{signal: value})


def test_low_renewal_risk_goes_well_too() -> None:
    """Risk LOW (1) is "at most Medium"."""
    assert ChecklistStatus.MET == retention(renewal_risk=1.0)


def test_the_renewal_forecast_risk_level_is_read_as_it_is() -> None:
    """postsale.renewal.RiskLevel members are the numbers the checklist reads: LOW and MEDIUM pass, HIGH fails."""
    from postsale.renewal import RiskLevel

    verdicts = {r.name: retention(renewal_risk=r) for r in RiskLevel}  # type: ignore[arg-type]
    assert {"LOW": ChecklistStatus.MET, "MEDIUM": ChecklistStatus.MET, "HIGH": ChecklistStatus.NOT_MET} == verdicts


def test_missing_evidence_makes_retention_incomplete_not_met() -> None:
    """Without the renewal risk, a green account with no issue cannot be confirmed: INCOMPLETE, never MET."""
    result = DEFAULT_JOURNEY_DEFINITION.check_stage(Stage.RETENTION, {"health_score": 90, "critical_issues_open": 0})
    assert (ChecklistStatus.INCOMPLETE, ("renewal_risk_at_most_medium",), False) == (
        result.status, result.unknown, result.met)
    assert result.explain()[0].startswith("Retention going well: cannot tell yet (missing evidence: renewal_risk")


def test_a_known_failure_is_not_met_even_with_missing_evidence() -> None:
    """One failing criterion is enough to say no, whatever is missing."""
    assert ChecklistStatus.NOT_MET == retention(health_score=50.0, renewal_risk=None)


# ---- Expansion working and Advocacy succeeding ----------------------------------------------------------------


@pytest.mark.parametrize(("nrr", "status"), [(1.0, ChecklistStatus.NOT_MET), (1.0001, ChecklistStatus.MET),
                                             (0.8, ChecklistStatus.NOT_MET)])
def test_expansion_works_only_above_100_percent_account_nrr(nrr: float, status: ChecklistStatus) -> None:
    """Account NRR exactly 100 % is flat, not working; strictly above is working."""
    assert status == DEFAULT_JOURNEY_DEFINITION.check_stage(Stage.EXPANSION, {"account_nrr": nrr}).status


def test_advocacy_succeeds_with_any_one_activity() -> None:
    """One review is enough; nothing at all (all six known and zero) is not advocacy."""
    zero = {c.signal: 0.0 for c in DEFAULT_STAGE_CHECKLISTS[Stage.ADVOCACY].criteria}
    check = DEFAULT_JOURNEY_DEFINITION.check_stage
    assert ChecklistStatus.NOT_MET == check(Stage.ADVOCACY, zero).status
    assert ChecklistStatus.MET == check(Stage.ADVOCACY, {**zero, "positive_reviews": 1.0}).status
    assert ChecklistStatus.INCOMPLETE == check(Stage.ADVOCACY, {}).status


@pytest.mark.parametrize(("value", "met"), [(0.0, False), (0.01, True)])
def test_referral_pipeline_counts_from_any_positive_value(value: float, met: bool) -> None:
    """Referral pipeline must be strictly positive."""
    result = DEFAULT_JOURNEY_DEFINITION.check_stage(Stage.ADVOCACY, {"referral_pipeline": value})
    assert met == ("referral_pipeline" not in result.unmet and result.met)


def test_the_default_checklists_cover_the_ongoing_stages() -> None:
    """Retention (all three), Expansion (one) and Advocacy (one of six) have checklists; nothing else does."""
    shape = {s: (len(c.criteria), c.needed) for s, c in DEFAULT_STAGE_CHECKLISTS.items()}
    assert {Stage.RETENTION: (3, 3), Stage.EXPANSION: (1, 1), Stage.ADVOCACY: (6, 1)} == shape
    assert DEFAULT_STAGE_CHECKLISTS == DEFAULT_JOURNEY_DEFINITION.stage_checklists


def test_a_stage_without_a_checklist_is_refused_by_name() -> None:
    """Onboarding has exit criteria, not a checklist: the error names the stages that have one."""
    with pytest.raises(UnknownNameError, match="RETENTION, EXPANSION, ADVOCACY"):
        DEFAULT_JOURNEY_DEFINITION.check_stage(Stage.ONBOARDING, {})


def test_a_snapshot_is_evidence_too() -> None:
    """An AccountSnapshot is read through its evidence."""
    snap = AccountSnapshot("acme", "SMB", D0, signals={"account_nrr": 1.2})
    assert DEFAULT_JOURNEY_DEFINITION.check_stage(Stage.EXPANSION, snap).met


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"criteria": ()}, "criteria"),
     ({"criteria": (Criterion("a", "x"), Criterion("a", "y"))}, "criteria"),
     ({"criteria": (Criterion("a", "x"),), "required": 0}, "required"),
     ({"criteria": (Criterion("a", "x"),), "required": 2}, "required")],
    ids=["empty", "duplicate", "required-0", "required-above"],
)
def test_a_bad_checklist_is_refused_naming_the_field(kwargs: dict[str, Any], field: str) -> None:
    """No criteria, a name twice, or required outside 1..n is refused."""
    with pytest.raises(InvalidValueError) as error:
        StageChecklist(Stage.RETENTION, **kwargs)
    assert field == error.value.field


def test_required_at_its_bounds_is_accepted() -> None:
    """required = 1 and required = n are both valid."""
    two = (Criterion("a", "x"), Criterion("b", "y"))
    assert [1, 2] == [StageChecklist(Stage.RETENTION, two, required=r).needed for r in (1, 2)]


def test_a_checklist_filed_under_another_stage_is_a_definition_error() -> None:
    """The definition reports a checklist whose stage differs from its key."""
    wrong = {Stage.RETENTION: DEFAULT_STAGE_CHECKLISTS[Stage.EXPANSION]}
    with pytest.raises(DefinitionError, match=r"stage_checklists\.RETENTION\.stage"):
        JourneyDefinition(stage_checklists=wrong)


def test_a_custom_checklist_round_trips_with_its_definition() -> None:
    """A definition with its own checklist comes back equal from JSON and from plain data."""
    custom = StageChecklist(Stage.RETENTION, (Criterion("usage_held", "usage_trend", Comparison.GE, 0.0),),
                            title="Usage holding")
    definition = JourneyDefinition(stage_checklists={Stage.RETENTION: custom})
    assert definition == from_json(JourneyDefinition, to_json(definition))
    assert definition == from_data(JourneyDefinition, to_data(definition))


def test_check_stages_reads_the_active_stages_in_order() -> None:
    """A journey in Onboarding has none; one in Expansion gets Retention (ongoing) then Expansion."""
    evidence = {**GOOD_RETENTION, "account_nrr": 1.1}
    assert () == check_stages(Journey.start("a", "SMB", on=D0), evidence)
    grown = Journey.start("b", "SMB", on=D0, stage=Stage.EXPANSION)
    assert [(Stage.RETENTION, True), (Stage.EXPANSION, True)] == [
        (r.stage, r.met) for r in check_stages(grown, evidence)]


def test_check_stages_refuses_bad_evidence_even_without_checklists() -> None:
    """Bad evidence is refused whatever the stage."""
    with pytest.raises(InvalidTypeError):
        check_stages(Journey.start("a", "SMB", on=D0), ["health_score"])  # type: ignore[arg-type]


@given(st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), st.sampled_from([0.0, 1.0]), max_size=4),
       st.integers(1, 4))
def test_verdicts_follow_the_counts_and_only_firm_up_with_more_evidence(
    evidence: dict[str, float], needed: int
) -> None:
    """MET iff enough are met; NOT_MET iff even the unknown could not make up the rest; adding evidence for the
    unknown criteria never changes MET or NOT_MET."""
    checklist = StageChecklist(Stage.ADVOCACY, tuple(Criterion(n, n) for n in "abcd"), required=needed)
    result = checklist.check(evidence)
    met, unknown = result.met_count, len(result.unknown)
    expected = (ChecklistStatus.MET if met >= needed
                else ChecklistStatus.NOT_MET if met + unknown < needed else ChecklistStatus.INCOMPLETE)
    assert expected == result.status
    for fill in (0.0, 1.0):
        later = checklist.check({**dict.fromkeys("abcd", fill), **evidence}).status
        assert later is not ChecklistStatus.INCOMPLETE
        if result.status is not ChecklistStatus.INCOMPLETE:
            assert result.status == later


# ---- citations --------------------------------------------------------------------------------------------------


def _headings(page: str) -> set[str]:
    text = (ROOT / "docs" / "guide" / page).read_text()
    return {m.group(1).strip() for m in re.finditer(r"^## (.+)$", text, re.MULTILINE)}


def _sources(value: Any) -> list[str]:
    found: list[str] = []
    if attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            item = getattr(value, field.name)
            if field.name == "source" and isinstance(item, str):
                found.append(item)
            else:
                found.extend(_sources(item))
    elif isinstance(value, dict) or hasattr(value, "items"):
        for item in value.values():
            found.extend(_sources(item))
    elif isinstance(value, tuple):
        for item in value:
            found.extend(_sources(item))
    return found


def test_every_default_source_cites_a_real_section_of_the_journey_guide() -> None:
    """Each ``source`` of the default definition is "guide: Journey › <Section>" with a real heading."""
    sources = set(_sources(DEFAULT_JOURNEY_DEFINITION))
    headings = _headings("journey.md")
    pattern = re.compile(r"^guide: Journey › (.+)$")
    assert sources
    assert [] == [s for s in sorted(sources) if not (m := pattern.match(s)) or m.group(1) not in headings]


def test_no_journey_source_cites_documents_users_do_not_have() -> None:
    """Nothing in the journey's source cites "domain-spec §" or DESIGN.md."""
    offenders = [p.name for p in (ROOT / "src" / "postsale" / "journey").glob("*.py")
                 if "domain-spec" in p.read_text() or "DESIGN.md" in p.read_text()]
    assert [] == offenders


def test_every_guide_citation_in_the_journey_source_names_a_real_section() -> None:
    """Each "guide: <Page> › <Section>" in the journey's source names a heading of that guide page."""
    assert [] == guide_citations_missing("journey")


PAGES = {"Journey": "journey.md", "KPIs": "kpi.md", "Health": "health.md", "Renewal": "renewal.md",
         "Cadence": "cadence.md", "Triggers": "triggers.md", "Touch models": "touch.md"}


def guide_citations_missing(context: str) -> list[str]:
    """The citations of a context's source files whose guide page or section does not exist."""
    cited = re.compile(r"guide: ([A-Z][\w ]*?) › ([A-Za-z0-9 ,'-]+[A-Za-z0-9])")
    missing = []
    for path in sorted((ROOT / "src" / "postsale" / context).glob("*.py")):
        for page, section in cited.findall(path.read_text()):
            if page not in PAGES or section not in _headings(PAGES[page]):
                missing.append(f"{path.name}: {page} › {section}")
    return missing


# ---- onboarding metrics ---------------------------------------------------------------------------------------


def started(days_ago: int, **milestones: int) -> AccountMilestones:
    """An SMB account started ``days_ago`` days before AS_OF, reaching milestones after the given days."""
    start = AS_OF - timedelta(days_ago)
    dates = {f"first_{k}_on": start + timedelta(v) for k, v in milestones.items()}
    return AccountMilestones(f"acct-{days_ago}-{sorted(milestones.items())}", "SMB", start, **dates)


AS_OF = date(2026, 6, 30)


@pytest.mark.parametrize(("days", "within"), [(FIRST_VALUE_TARGET_DAYS, 1), (FIRST_VALUE_TARGET_DAYS + 1, 0)])
def test_first_value_on_day_90_is_on_time_and_day_91_late(days: int, within: int) -> None:
    """The 90-day target is inclusive."""
    timing = time_to_first_value([started(200, value=days)], as_of=AS_OF)
    assert (within, 1 - within) == (timing.within_target, timing.late)


@pytest.mark.parametrize(("age", "pending", "overdue"), [(90, 1, 0), (91, 0, 1)])
def test_no_value_is_pending_until_day_90_then_overdue(age: int, pending: int, overdue: int) -> None:
    """An account without first value is pending up to the target, overdue the day after."""
    timing = time_to_first_value([started(age)], as_of=AS_OF)
    assert (pending, overdue, None if pending else 0.0) == (timing.pending, timing.overdue, timing.on_target_rate)


def test_value_reached_after_as_of_is_not_reached_yet_and_later_starts_are_left_out() -> None:
    """Looking back at AS_OF, a later milestone does not count and an account started later is not there."""
    start = AS_OF - timedelta(10)
    future = AccountMilestones("f", "SMB", start, first_value_on=AS_OF + timedelta(1))
    later = AccountMilestones("l", "SMB", AS_OF + timedelta(1))
    timing = time_to_first_value([future, later], as_of=AS_OF)
    assert (0, 1, 1) == (timing.reached, timing.pending, timing.accounts)


@pytest.mark.parametrize(("days", "within"), [(FIRST_LOGIN_TARGET_DAYS, 1), (FIRST_LOGIN_TARGET_DAYS + 1, 0)])
def test_first_login_on_day_7_is_on_time_and_day_8_late(days: int, within: int) -> None:
    """The first-week target is inclusive."""
    assert within == days_to_first_login([started(30, login=days)], as_of=AS_OF).within_target


def test_the_targets_are_configurable() -> None:
    """A 30-day value target makes a 45-day first value late."""
    assert 0 == time_to_first_value([started(100, value=45)], as_of=AS_OF, target_days=30).within_target


def test_timing_explains_itself() -> None:
    """The sentences give the counts, the median and the target."""
    timing = time_to_first_value([started(200, value=30), started(200, value=120), started(50)], as_of=AS_OF)
    assert ["First value: 2 of 3 account(s) reached it by 2026-06-30.",
            "Days to first value: median 75, mean 75.0, fastest 30, slowest 120.",
            "Within the 90-day target: 1 (50% of the accounts whose result is known); 1 reached it late; 0 overdue "
            "(past the target without it); 1 still within the target."] == timing.explain()


def test_a_milestone_before_the_start_is_refused() -> None:
    """First login before the contract start is a data error."""
    with pytest.raises(InvalidValueError, match="first_login_on"):
        AccountMilestones("a", "SMB", D0, first_login_on=D0 - timedelta(1))


def test_first_value_is_read_from_the_journey() -> None:
    """Documented first value in an event's evidence counts; else the forward move out of Onboarding; a skip doesn't."""
    moved = Journey.start("a", "SMB", on=D0).move("core", Stage.ADOPTION, on=D0 + timedelta(20),
                                                   evidence=FULL_EVIDENCE)
    assert 20 == AccountMilestones.from_journey(moved).days_to_first_value
    skipped = Journey.start("b", "SMB", on=D0).move("core", Stage.EXPANSION, on=D0 + timedelta(9),
                                                     reason="asked for more seats")
    assert AccountMilestones.from_journey(skipped).first_value_on is None
    given_day = AccountMilestones.from_journey(skipped, first_value_on=D0 + timedelta(3))
    assert 3 == given_day.days_to_first_value


@given(st.lists(st.tuples(st.integers(0, 400), st.none() | st.integers(0, 400)), max_size=20))
def test_every_account_started_is_reached_pending_or_overdue(rows: list[tuple[int, int | None]]) -> None:
    """reached + pending + overdue = accounts started by as_of, and within + late = reached."""
    records = [AccountMilestones(f"a{i}", "SMB", AS_OF - timedelta(age),
                                 first_value_on=None if v is None else AS_OF - timedelta(age) + timedelta(v))
               for i, (age, v) in enumerate(rows)]
    timing = time_to_first_value(records, as_of=AS_OF)
    assert len(records) == timing.reached + timing.pending + timing.overdue
    assert timing.reached == timing.within_target + timing.late


# ---- outcome correlation --------------------------------------------------------------------------------------


def renewed(journey: Journey, on: date) -> Journey:
    """The journey after a completed renewal on ``on`` (from Renewal, back to Retention for the new term)."""
    if journey.stage("core") is not Stage.RENEWAL:
        journey = journey.move("core", Stage.RENEWAL, on=on, evidence=FULL_EVIDENCE)
    return journey.move("core", Stage.RETENTION, on=on, cause=Cause.RENEWAL_COMPLETED)


def churned(journey: Journey, on: date) -> Journey:
    """The journey after the account churned on ``on``."""
    return journey.close_track("core", on=on, cause=Cause.CHURNED)


def onboarded(days: int, account: str = "a") -> Journey:
    """An SMB journey that left Onboarding after ``days`` days."""
    return Journey.start(account, "SMB", on=D0).move("core", Stage.ADOPTION, on=D0 + timedelta(days),
                                                      evidence=FULL_EVIDENCE)


@pytest.mark.parametrize(("days", "on_time"), [(30, 1), (31, 0)])
def test_onboarded_on_time_means_within_the_segment_typical_maximum(days: int, on_time: int) -> None:
    """SMB onboarding's typical maximum is 30 days: day 30 is on time, day 31 is not."""
    corr = outcome_correlation([renewed(onboarded(days), D0 + timedelta(300))],
                               patterns=[PathPattern.ONBOARDED_ON_TIME])
    (pattern,) = corr.patterns
    assert (on_time, 1 - on_time) == (pattern.accounts_with, pattern.accounts_without)


@pytest.mark.parametrize(("days", "stalled"), [(45, 0), (46, 1)])
def test_stalled_means_past_the_stuck_point(days: int, stalled: int) -> None:
    """SMB onboarding is stuck after 45 days: leaving on day 45 is not stalled, on day 46 it is."""
    corr = outcome_correlation([churned(onboarded(days), D0 + timedelta(200))], patterns=[PathPattern.STALLED])
    assert stalled == corr.patterns[0].accounts_with


def test_the_outcome_is_read_from_the_history_and_patterns_before_it() -> None:
    """Renewed at the first completed renewal, lost at the final churn; a regression after the renewal is not read."""
    kept = renewed(onboarded(10, "kept"), D0 + timedelta(365))
    kept = kept.move("core", Stage.ADOPTION, on=D0 + timedelta(400), cause=Cause.CHAMPION_LEFT)
    lost = onboarded(10, "lost").move("core", Stage.ONBOARDING, on=D0 + timedelta(90), cause=Cause.BUDGET_CUT)
    lost = churned(lost, D0 + timedelta(200))
    open_ = onboarded(10, "open")
    corr = outcome_correlation([kept, lost, open_], patterns=[PathPattern.REGRESSED])
    assert (2, 1, 1) == (corr.accounts, corr.positive, corr.unknown)
    regressed = corr.patterns[0]
    assert (1, 0, 1, 1) == (regressed.accounts_with, regressed.positive_with,
                            regressed.accounts_without, regressed.positive_without)


def test_closing_one_track_of_several_is_not_churn() -> None:
    """A department that leaves is not the account leaving."""
    two = onboarded(10).open_track("dept", on=D0 + timedelta(20))
    two = two.close_track("dept", on=D0 + timedelta(50), cause=Cause.CHURNED)
    assert 1 == outcome_correlation([two]).unknown


def test_known_outcomes_replace_the_history_and_unknown_accounts_are_left_out() -> None:
    """With outcomes given (here: expanded), the whole history is read and other accounts are left out."""
    grown = onboarded(10, "g").move("core", Stage.EXPANSION, on=D0 + timedelta(200), evidence=FULL_EVIDENCE)
    flat = onboarded(10, "f")
    corr = outcome_correlation([grown, flat, onboarded(10, "x")], outcomes={"g": True, "f": False},
                               outcome="expanded", patterns=[PathPattern.REACHED_EXPANSION])
    assert (2, 1, 1) == (corr.accounts, corr.positive, corr.unknown)
    assert (1.0, 0.0) == (corr.patterns[0].rate_with, corr.patterns[0].rate_without)
    assert corr.explain()[0].startswith("1 of 2 account(s) with a known outcome expanded (50%)")


def test_paths_group_the_main_track_stages_most_common_first() -> None:
    """Two renewed accounts share a path; its rate is 100 %."""
    js = [renewed(onboarded(10, n), D0 + timedelta(300)) for n in ("a", "b")]
    js.append(churned(Journey.start("c", "SMB", on=D0), D0 + timedelta(60)))
    corr = outcome_correlation(js)
    assert [((Stage.ONBOARDING, Stage.ADOPTION, Stage.RENEWAL), 2, 1.0), ((Stage.ONBOARDING,), 1, 0.0)] == [
        (p.path, p.accounts, p.rate) for p in corr.paths]


def test_small_groups_are_flagged_indicative() -> None:
    """Fewer than 30 accounts on a side is indicative; the threshold is configurable."""
    js = [renewed(onboarded(10, n), D0 + timedelta(300)) for n in "ab"]
    lines = outcome_correlation(js, patterns=[PathPattern.SKIPPED]).explain()
    assert "indicative only" in lines[1]
    assert "indicative" not in outcome_correlation(js, patterns=[PathPattern.SKIPPED], min_accounts=0).explain()[1]


def test_bad_outcomes_are_refused() -> None:
    """Outcomes must map account ids to booleans."""
    with pytest.raises(InvalidTypeError):
        outcome_correlation([], outcomes={"a": 1})  # type: ignore[dict-item]


@given(st.lists(journeys(max_events=8), max_size=6))
def test_every_account_with_an_outcome_has_one_path_and_is_on_one_side_of_each_pattern(js: list[Journey]) -> None:
    """Paths add up to the accounts; with + without = accounts for every pattern but on-time onboarding; phi in
    [-1, 1]; the correlation round-trips."""
    corr = outcome_correlation(js, outcomes={j.account_id: j.account_id < "b" for j in js})
    assert corr.accounts == sum(p.accounts for p in corr.paths)
    for pattern in corr.patterns:
        if pattern.pattern is not PathPattern.ONBOARDED_ON_TIME:
            assert corr.accounts == pattern.accounts_with + pattern.accounts_without
        assert pattern.phi is None or -1.0 - 1e-9 <= pattern.phi <= 1.0 + 1e-9
    assert corr == from_json(OutcomeCorrelation, to_json(corr))
