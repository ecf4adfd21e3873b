"""Maturity stages 1-5 from GRR / NRR (every boundary of domain-spec §6.3) and the §7.6 self-assessment."""



from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import given

from postsale import DefinitionError, InvalidTypeError, InvalidValueError, UnknownNameError
from postsale.kpi import (
    DEFAULT_MATURITY_MODEL,
    DEFAULT_SELF_ASSESSMENT,
    AssessmentQuestion,
    MaturityBenchmark,
    MaturityModel,
    MaturityStage,
    SelfAssessment,
    assess_maturity,
)
from tests.strategies.kpi import grr_values, nrr_values

S = MaturityStage

# Each stage's lower bounds (GRR, NRR), domain-spec §6.3 PROPOSAL.
LOWER_BOUNDS = {S.BASIC_ACCOUNT_MANAGEMENT: ("0.80", "0.85"), S.STRUCTURED_CUSTOMER_SUCCESS: ("0.88", "0.95"),
                S.OPTIMISED_OPERATIONS: ("0.94", "1.10"), S.STRATEGIC_GROWTH_ENGINE: ("0.95", "1.20")}  # fmt: skip

EPS = Decimal("0.0001")


@pytest.mark.parametrize("stage", list(LOWER_BOUNDS))
def test_both_lower_bounds_met_exactly_reach_the_stage(stage):
    """At exactly a stage's GRR and NRR lower bounds, that stage is reached (inclusive)."""
    grr, nrr = (Decimal(x) for x in LOWER_BOUNDS[stage])
    assert stage == assess_maturity(grr, nrr).stage


@pytest.mark.parametrize("stage", list(LOWER_BOUNDS))
def test_grr_just_below_the_bound_drops_a_stage(stage):
    """GRR one basis point below the bound, NRR at it: the stage is not reached."""
    grr, nrr = (Decimal(x) for x in LOWER_BOUNDS[stage])
    assert S(stage - 1) == assess_maturity(grr - EPS, nrr).stage


@pytest.mark.parametrize("stage", list(LOWER_BOUNDS))
def test_nrr_just_below_the_bound_drops_a_stage(stage):
    """NRR one basis point below the bound, GRR at it: the stage is not reached."""
    grr, nrr = (Decimal(x) for x in LOWER_BOUNDS[stage])
    assert S(stage - 1) == assess_maturity(grr, nrr - EPS).stage


@pytest.mark.parametrize(
    ("grr", "nrr", "stage"),
    [
        (0.80, 0.85, 2),
        (0.7999, 0.85, 1),
        (0.80, 0.8499, 1),
        (0.88, 0.95, 3),
        (0.94, 1.10, 4),
        (0.95, 1.20, 5),
        (0.9499, 1.20, 4),
        (0.95, 1.1999, 4),
    ],
)
def test_float_boundaries_are_read_exactly(grr, nrr, stage):
    """Floats such as 0.94 are read exactly (0.94 is stage 4's GRR bound, not 0.9399999...)."""
    assert S(stage) == assess_maturity(grr, nrr).stage


def test_stage_one_is_the_floor():
    """Below every bound the stage is 1, even under the stage 1 range."""
    assert S.REACTIVE_SUPPORT == assess_maturity(0.5, 0.4).stage


def test_metrics_that_disagree_take_the_lower_stage():
    """High NRR does not lift a low GRR: both bounds must be met (A-30)."""
    assert S.BASIC_ACCOUNT_MANAGEMENT == assess_maturity(0.85, 1.35).stage


def test_overlap_of_stages_4_and_5_goes_to_5():
    """GRR 96 % and NRR 122 % sit in both ranges; the highest stage met wins (I-20)."""
    assert S.STRATEGIC_GROWTH_ENGINE == assess_maturity(0.96, 1.22).stage


def test_next_stage_requirements():
    """The assessment says what the next stage needs and how far away it is."""
    a = assess_maturity(0.90, 1.00)
    assert (S.OPTIMISED_OPERATIONS, Decimal("0.04"), Decimal("0.10")) == (a.next_stage, a.grr_gap, a.nrr_gap)


def test_next_stage_gap_is_zero_when_met():
    """A metric already past the next bound has no gap."""
    a = assess_maturity(0.97, 1.00)
    assert (Decimal(0), Decimal("0.10")) == (a.grr_gap, a.nrr_gap)


def test_top_stage_has_no_next():
    """Stage 5 has no next stage and no gaps."""
    a = assess_maturity(0.98, 1.40)
    assert (None, Decimal(0), Decimal(0)) == (a.next_stage, a.grr_gap, a.nrr_gap)


def test_benchmark_ranges_of_the_stage():
    """The assessment carries the stage's benchmark ranges."""
    b = assess_maturity(0.90, 1.00).benchmark
    assert (Decimal("0.88"), Decimal("0.94"), Decimal("0.95"), Decimal("1.10"), "90 days") == (
        b.grr_low,
        b.grr_high,
        b.nrr_low,
        b.nrr_high,
        b.renewal_lead,
    )


def test_within_ranges():
    """A pair inside its stage's ranges is within; above them it is not."""
    assert (True, False) == (assess_maturity(0.90, 1.00).within_ranges, assess_maturity(0.93, 1.30).within_ranges)


def test_explain_names_stage_and_next_requirement():
    """The explanation names the stage, the rule and what the next stage requires."""
    lines = assess_maturity(0.90, 1.00).explain()
    assert "Stage 4 (Optimised operations) requires GRR >= 94 % (+4.00 %) and NRR >= 110 % (+10.00 %)." == lines[-1]


def test_explain_top_stage():
    """At stage 5 the explanation says it is the top."""
    assert "Stage 5 is the top stage." == assess_maturity(0.98, 1.40).explain()[-1]


def test_explain_only_missing_metric():
    """Only the missing metric is listed as a requirement."""
    assert "requires NRR >= 110 %" in assess_maturity(0.97, 1.00).explain()[-1]


def test_grr_above_one_is_refused():
    """GRR caps at 100 %: 1.01 is refused, not capped."""
    with pytest.raises(InvalidValueError, match="grr"):
        assess_maturity(1.01, 1.2)


def test_grr_as_percentage_gets_a_hint():
    """GRR written as 94 suggests 0.94."""
    with pytest.raises(InvalidValueError, match=r"write 0\.94"):
        assess_maturity(94, 1.1)


def test_negative_nrr_is_refused():
    """NRR cannot be negative (the seeds' "negative NRR" means below 100 %, A-9)."""
    with pytest.raises(InvalidValueError, match="nrr"):
        assess_maturity(0.9, -0.1)


def test_non_number_is_refused():
    """Strings are refused."""
    with pytest.raises(InvalidTypeError, match="grr"):
        assess_maturity("0.9", 1.0)


def test_nan_is_refused():
    """NaN is refused."""
    with pytest.raises(InvalidValueError, match="nrr"):
        assess_maturity(0.9, float("nan"))


def test_model_must_be_a_model():
    """The model argument must be a MaturityModel."""
    with pytest.raises(InvalidTypeError, match="model"):
        assess_maturity(0.9, 1.0, model="strict")  # type: ignore[arg-type]


def test_custom_model():
    """A model with other bounds classifies by them."""
    stricter = attrs.evolve(DEFAULT_MATURITY_MODEL.benchmark(2), grr_low=Decimal("0.85"))
    benchmarks = list(DEFAULT_MATURITY_MODEL.benchmarks)
    benchmarks[1] = stricter
    model = MaturityModel(benchmarks)
    assert S.REACTIVE_SUPPORT == assess_maturity(0.84, 0.9, model=model).stage


def test_model_reports_every_problem():
    """A model with bad ranges and falling bounds lists every problem at once."""
    benchmarks = list(DEFAULT_MATURITY_MODEL.benchmarks)
    benchmarks[2] = MaturityBenchmark(3, *(Decimal(x) for x in ("0.70", "0.60", "0.99", "0.90")))
    with pytest.raises(DefinitionError) as info:
        MaturityModel(benchmarks)
    assert ["benchmarks[2].grr_low", "benchmarks[2].nrr_low", "benchmarks[2].grr_low"] == [
        p.path for p in info.value.problems
    ]


def test_model_needs_five_stages_in_order():
    """The model has exactly stages 1-5 in order."""
    with pytest.raises(DefinitionError, match="exactly 1, 2, 3, 4, 5"):
        MaturityModel(DEFAULT_MATURITY_MODEL.benchmarks[:4])


def test_model_refuses_grr_bound_above_one():
    """A GRR lower bound above 100 % could never be met."""
    benchmarks = list(DEFAULT_MATURITY_MODEL.benchmarks)
    benchmarks[4] = MaturityBenchmark(5, *(Decimal(x) for x in ("1.01", "1.02", "1.2", "1.4")))
    with pytest.raises(DefinitionError, match="caps at 100"):
        MaturityModel(benchmarks)


def test_benchmark_stage_by_name():
    """A benchmark stage may be given by name."""
    assert S.OPTIMISED_OPERATIONS == MaturityBenchmark("optimised operations", 0.94, 0.97, 1.1, 1.25).stage


def test_benchmark_unknown_stage():
    """An unknown stage is named."""
    with pytest.raises(UnknownNameError, match="stage"):
        MaturityBenchmark(6, 0.94, 0.97, 1.1, 1.25)


def test_stage_label():
    """Stages have readable labels."""
    assert "Strategic growth engine" == S.STRATEGIC_GROWTH_ENGINE.label


@given(grr_values, nrr_values)
def test_stage_is_monotone_in_both_metrics(grr, nrr):
    """Raising GRR or NRR never lowers the stage."""
    base = assess_maturity(grr, nrr).stage
    assert base <= assess_maturity(min(grr + Decimal("0.01"), Decimal(1)), nrr).stage
    assert base <= assess_maturity(grr, nrr + Decimal("0.01")).stage


@given(grr_values, nrr_values)
def test_stage_meets_its_own_lower_bounds(grr, nrr):
    """The stage reached always has both lower bounds met (stage 1 excepted: it is the floor)."""
    a = assess_maturity(grr, nrr)
    assert a.stage == S.REACTIVE_SUPPORT or (grr >= a.benchmark.grr_low and nrr >= a.benchmark.nrr_low)


# ---- self-assessment ----------------------------------------------------------------------------

ALL_YES = {q.key: True for q in DEFAULT_SELF_ASSESSMENT.questions}


def test_self_assessment_has_the_seven_questions():
    """The default checklist holds the seven questions of §7.6."""
    assert 7 == len(DEFAULT_SELF_ASSESSMENT.questions)


def test_self_assessment_first_question():
    """Question 1 is "Do you know your GRR and NRR?"."""
    assert "Do you know your GRR and NRR?" == DEFAULT_SELF_ASSESSMENT.questions[0].question


def test_self_assessment_all_yes():
    """All yes scores 1 with no gaps."""
    result = DEFAULT_SELF_ASSESSMENT.score(ALL_YES)
    assert (7, 1.0, ()) == (result.yes_count, result.score, result.gaps)


def test_self_assessment_gaps_carry_the_consequence():
    """Each no is a gap explained with what it means."""
    result = DEFAULT_SELF_ASSESSMENT.score(ALL_YES | {"knows_grr_nrr": False, "health_scores_flag": False})
    assert [
        "5 of 7 self-assessment answer(s) are yes (71%).",
        "No to 'Do you know your GRR and NRR?': you are not measuring the basic health of the business.",
        "No to 'Do CSMs have health scores that flag accounts before they become critical?': you are operating blind.",
    ] == result.explain()


def test_self_assessment_missing_answers_listed():
    """Every unanswered question is listed."""
    with pytest.raises(InvalidValueError, match="shows_roi"):
        DEFAULT_SELF_ASSESSMENT.score({k: v for k, v in ALL_YES.items() if k != "shows_roi"})


def test_self_assessment_unknown_question():
    """An answer to an unknown question is named."""
    with pytest.raises(UnknownNameError, match="has_crm"):
        DEFAULT_SELF_ASSESSMENT.score(ALL_YES | {"has_crm": True})


def test_self_assessment_non_bool_answer():
    """Answers are True or False."""
    with pytest.raises(InvalidTypeError, match="knows_grr_nrr"):
        DEFAULT_SELF_ASSESSMENT.score(ALL_YES | {"knows_grr_nrr": "yes"})


def test_custom_checklist_and_question_without_consequence():
    """A custom checklist works; a no without a consequence is still listed."""
    checklist = SelfAssessment([AssessmentQuestion("crm", "Do you have a CRM?")])
    assert ["0 of 1 self-assessment answer(s) are yes (0%).", "No to 'Do you have a CRM?'."] == (
        checklist.score({"crm": False}).explain()
    )


def test_checklist_refuses_duplicate_keys_and_reports_all():
    """Duplicate keys are reported at once."""
    q = AssessmentQuestion("x", "Q?")
    with pytest.raises(DefinitionError) as info:
        SelfAssessment([q, q, q])
    assert ["questions[1].key", "questions[2].key"] == [p.path for p in info.value.problems]


def test_checklist_refuses_no_questions():
    """An empty checklist is refused."""
    with pytest.raises(DefinitionError, match="no question"):
        SelfAssessment([])
