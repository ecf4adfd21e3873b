"""Journey NPS: a journey-experience survey scored overall, by the respondent's stage and by cohort."""

from __future__ import annotations

from datetime import date

import pytest

import postsale
from postsale import InvalidTypeError, InvalidValueError, Stage
from postsale.journey import Journey
from postsale.kpi import JourneyNps, journey_nps

DAY = date(2026, 1, 5)
DONE = dict.fromkeys(("implementation_complete", "core_users_trained", "use_case_live", "first_value_documented",
                      "go_live_confirmed"), 1)


def onboarded(account, segment="SMB", **labels):
    """A journey that moved from Onboarding to Adoption on 1 March."""
    journey = Journey.start(account, segment, on=DAY, labels=labels)
    return journey.move("core", Stage.ADOPTION, on=date(2026, 3, 1), evidence=DONE)


def test_scores_overall_by_stage_and_by_segment():
    """Promoters 9-10, detractors 0-6: each group is scored on its own answers."""
    journeys = [Journey.start("a", "SMB", on=DAY), onboarded("b"), onboarded("c", "ENTERPRISE")]
    result = journey_nps({"a": 3, "b": 9, "c": 10}, journeys)
    assert result.overall.score == pytest.approx(100 / 3)
    assert {stage: s.score for stage, s in result.by_stage.items()} == {Stage.ONBOARDING: -100.0, Stage.ADOPTION: 100.0}
    assert {name: s.responses for name, s in result.by_cohort.items()} == {"ENTERPRISE": 1, "SMB": 2}
    assert "The journey feels worst in Onboarding." in result.explain()


def test_answers_on_the_promoter_and_detractor_edges():
    """9 is a promoter, 8 a passive, 7 a passive, 6 a detractor."""
    result = journey_nps({"a": 9, "b": 8, "c": 7, "d": 6})
    counts = (result.overall.promoters, result.overall.passives, result.overall.detractors)
    assert counts == (1, 2, 1)


def test_answers_without_a_journey_count_overall_only():
    """An account whose journey is not given is in the overall score and counted apart."""
    result = journey_nps({"a": 10, "z": 0}, [Journey.start("a", "SMB", on=DAY)])
    assert (result.overall.responses, result.without_journey) == (2, 1)
    assert sum(s.responses for s in result.by_stage.values()) == 1
    assert "1 answer from accounts without a journey: counted overall only." in result.explain()


def test_as_of_reads_the_stage_on_that_date_and_leaves_out_later_journeys():
    """On 1 February the journey moved on 1 March is still in Onboarding; one starting later has no journey yet."""
    later = Journey.start("late", "SMB", on=date(2026, 6, 1))
    result = journey_nps({"b": 9, "late": 9}, [onboarded("b"), later], as_of=date(2026, 2, 1))
    assert list(result.by_stage) == [Stage.ONBOARDING]
    assert result.without_journey == 1


def test_cohorts_by_label_or_function():
    """``by`` takes a label's name (accounts without it fall in '(none)') or a function."""
    journeys = [onboarded("a", source="referral"), onboarded("b")]
    by_source = journey_nps({"a": 10, "b": 2}, journeys, by="source")
    assert sorted(by_source.by_cohort) == ["(none)", "referral"]
    by_first = journey_nps({"a": 10, "b": 2}, journeys, by=lambda j: j.account_id.upper())
    assert sorted(by_first.by_cohort) == ["A", "B"]


def test_no_answers_is_an_empty_result_not_zero():
    """Without answers there is no score (an NPS over nothing is undefined)."""
    result = journey_nps({})
    assert result.overall is None
    assert result.explain() == ["Journey NPS: no answers yet."]


@pytest.mark.parametrize(("answer", "error"), [(11, InvalidValueError), (-1, InvalidValueError),
                                              (True, InvalidTypeError), (9.5, InvalidTypeError)])
def test_an_answer_outside_0_to_10_is_refused_naming_the_account(answer, error):
    """The error names the account whose answer is wrong."""
    with pytest.raises(error) as exc:
        journey_nps({"acme": answer})
    assert "acme" in exc.value.field


def test_a_bad_cohort_key_is_refused():
    """``by`` must be a string or a function."""
    with pytest.raises(InvalidValueError) as exc:
        journey_nps({"a": 9}, [onboarded("a")], by=5)
    assert exc.value.field == "by"


def test_the_result_round_trips():
    """Scores by stage and by cohort survive to_data / from_data."""
    result = journey_nps({"a": 3, "b": 9}, [Journey.start("a", "SMB", on=DAY), onboarded("b")])
    assert result == postsale.from_data(JourneyNps, postsale.to_data(result))
