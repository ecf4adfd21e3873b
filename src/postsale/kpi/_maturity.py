"""Post-sale maturity stages 1-5 from GRR and NRR, and the self-assessment checklist.

The maturity stage is the highest stage whose GRR and NRR lower bounds are both met; the self-assessment is a
checklist of seven yes / no questions.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from postsale import _checks
from postsale._errors import DefinitionError, InvalidTypeError, InvalidValueError, Problem, UnknownNameError
from postsale._repr import readable
from postsale.kpi._numbers import ZERO, minus, of_type, pct, rate

__all__ = [
    "DEFAULT_MATURITY_MODEL",
    "DEFAULT_SELF_ASSESSMENT",
    "AssessmentAnswer",
    "AssessmentQuestion",
    "MaturityAssessment",
    "MaturityBenchmark",
    "MaturityModel",
    "MaturityStage",
    "SelfAssessment",
    "SelfAssessmentResult",
    "assess_maturity",
]


class MaturityStage(enum.IntEnum):
    """The five maturity stages of a post-sale organisation, "from reactive to strategic".

    Ordered: ``REACTIVE_SUPPORT < ... < STRATEGIC_GROWTH_ENGINE``. Not the six journey stages.

    Examples:
        >>> MaturityStage(3).label, MaturityStage.OPTIMISED_OPERATIONS > MaturityStage.REACTIVE_SUPPORT
        ('Structured customer success', True)
    """

    REACTIVE_SUPPORT = 1
    BASIC_ACCOUNT_MANAGEMENT = 2
    STRUCTURED_CUSTOMER_SUCCESS = 3
    OPTIMISED_OPERATIONS = 4
    STRATEGIC_GROWTH_ENGINE = 5

    @property
    def label(self) -> str:
        """The stage's display name, e.g. ``"Structured customer success"``."""
        return self.name.replace("_", " ").capitalize()


def _stage(value: Any) -> MaturityStage:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5:
        return MaturityStage(value)
    return _checks.member(MaturityStage, "stage", value)


def _to_grr_low(v: Any) -> Decimal:
    return rate("grr_low", v, upper=None)


def _to_grr_high(v: Any) -> Decimal:
    return rate("grr_high", v, upper=None)


def _to_nrr_low(v: Any) -> Decimal:
    return rate("nrr_low", v, upper=None)


def _to_nrr_high(v: Any) -> Decimal:
    return rate("nrr_high", v, upper=None)


@attrs.frozen
class MaturityBenchmark:
    """One stage's benchmark ranges: GRR and NRR as fractions, renewal lead time.

    The classifier uses only the lower bounds; the upper bounds are the seeds' ranges, kept to show where a
    company sits (they overlap between stages 4 and 5).

    Examples:
        >>> DEFAULT_MATURITY_MODEL.benchmark(3).describe()
        'stage 3 Structured customer success: GRR 88 %-94 %, NRR 95 %-110 %; renewal lead 90 days'
    """

    __repr__ = readable
    stage: MaturityStage = attrs.field(converter=_stage)
    grr_low: Decimal = attrs.field(converter=_to_grr_low)
    grr_high: Decimal = attrs.field(converter=_to_grr_high)
    nrr_low: Decimal = attrs.field(converter=_to_nrr_low)
    nrr_high: Decimal = attrs.field(converter=_to_nrr_high)
    renewal_lead: str = attrs.field(default="", validator=of_type(str))
    characteristics: str = attrs.field(default="", validator=of_type(str))

    def describe(self) -> str:
        """One line: the stage, its ranges and its renewal lead time."""
        lead = f"; renewal lead {self.renewal_lead}" if self.renewal_lead else ""
        return (
            f"stage {int(self.stage)} {self.stage.label}: GRR {pct(self.grr_low, 0)}-{pct(self.grr_high, 0)}, "
            f"NRR {pct(self.nrr_low, 0)}-{pct(self.nrr_high, 0)}{lead}"
        )


def _d(text: str) -> Decimal:
    return Decimal(text)


_DEFAULT_BENCHMARKS = (
    MaturityBenchmark(
        MaturityStage.REACTIVE_SUPPORT,
        _d("0.70"),
        _d("0.80"),
        _d("0.70"),
        _d("0.85"),
        "a cycle late",
        "no dedicated CS team; support handles renewals; no proactive outreach or health monitoring",
    ),
    MaturityBenchmark(
        MaturityStage.BASIC_ACCOUNT_MANAGEMENT,
        _d("0.80"),
        _d("0.88"),
        _d("0.85"),
        _d("0.95"),
        "30 days",
        "first CSMs on the largest accounts; inconsistent QBRs; spreadsheet tracking; renewals start too late",
    ),
    MaturityBenchmark(
        MaturityStage.STRUCTURED_CUSTOMER_SUCCESS,
        _d("0.88"),
        _d("0.94"),
        _d("0.95"),
        _d("1.10"),
        "90 days",
        "defined CS team and segmentation; onboarding playbooks; basic health scores; expansion emerging",
    ),
    MaturityBenchmark(
        MaturityStage.OPTIMISED_OPERATIONS,
        _d("0.94"),
        _d("0.97"),
        _d("1.10"),
        _d("1.25"),
        "120+ days",
        "touch models by segment; predictive health scoring; automated tracks; systematic expansion",
    ),
    MaturityBenchmark(
        MaturityStage.STRATEGIC_GROWTH_ENGINE,
        _d("0.95"),
        _d("0.98"),
        _d("1.20"),
        _d("1.40"),
        "",
        "CS feeds the roadmap; accurate churn prediction; product- and human-led expansion; CS owns a P&L",
    ),
)


def _to_benchmarks(value: Iterable[MaturityBenchmark]) -> tuple[MaturityBenchmark, ...]:
    return _checks.items("benchmarks", value, MaturityBenchmark)


@attrs.frozen
class MaturityModel:
    """The five stage benchmarks the classifier uses (default: the seeds' five stages).

    Raises:
        DefinitionError: listing every problem: not exactly one benchmark per stage in order, a range whose
            low end is above its high end, lower bounds that fall from one stage to the next.

    Examples:
        >>> DEFAULT_MATURITY_MODEL.classify(Decimal("0.95"), Decimal("1.20"))
        <MaturityStage.STRATEGIC_GROWTH_ENGINE: 5>
    """

    __repr__ = readable
    benchmarks: tuple[MaturityBenchmark, ...] = attrs.field(default=_DEFAULT_BENCHMARKS, converter=_to_benchmarks)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        stages = [b.stage for b in self.benchmarks]
        if stages != list(MaturityStage):
            problems.append(Problem("benchmarks", f"stages {[int(s) for s in stages]} must be exactly 1, 2, 3, 4, 5"))
        for i, b in enumerate(self.benchmarks):
            if b.grr_low > b.grr_high:
                problems.append(Problem(f"benchmarks[{i}].grr_low", f"{b.grr_low} is above grr_high={b.grr_high}"))
            if b.nrr_low > b.nrr_high:
                problems.append(Problem(f"benchmarks[{i}].nrr_low", f"{b.nrr_low} is above nrr_high={b.nrr_high}"))
            if b.grr_low > 1:
                problems.append(Problem(f"benchmarks[{i}].grr_low", f"{b.grr_low} is above 1 (GRR caps at 100 %)"))
        for i in range(1, len(self.benchmarks)):
            prev, cur = self.benchmarks[i - 1], self.benchmarks[i]
            for name in ("grr_low", "nrr_low"):
                if getattr(cur, name) < getattr(prev, name):
                    problems.append(
                        Problem(f"benchmarks[{i}].{name}", f"{getattr(cur, name)} is below the previous stage's")
                    )
        if problems:
            raise DefinitionError("invalid maturity model", problems, hint="give five stages with rising lower bounds")

    def benchmark(self, stage: MaturityStage | int) -> MaturityBenchmark:
        """Return the benchmark of ``stage``."""
        return self.benchmarks[int(_stage(stage)) - 1]

    def classify(self, grr: Decimal, nrr: Decimal) -> MaturityStage:
        """Return the highest stage whose GRR and NRR lower bounds are both met (stage 1 is the floor).

        Raises:
            InvalidTypeError: ``grr`` or ``nrr`` is not a number.
            InvalidValueError: ``grr`` or ``nrr`` is not finite.
        """
        _checks.number("grr", grr)
        _checks.number("nrr", nrr)
        for bench in reversed(self.benchmarks[1:]):
            if grr >= bench.grr_low and nrr >= bench.nrr_low:
                return bench.stage
        return MaturityStage.REACTIVE_SUPPORT


DEFAULT_MATURITY_MODEL = MaturityModel()
"""The seeds' five stages and their ranges."""


def _to_grr(value: Any) -> Decimal:
    return rate("grr", value)


def _to_nrr(value: Any) -> Decimal:
    return rate("nrr", value, upper=None)


@attrs.frozen
class MaturityAssessment:
    """The maturity stage a GRR / NRR pair reaches, the benchmark of that stage and what the next one needs.

    Examples:
        >>> a = assess_maturity(0.90, 1.00)
        >>> a.stage.label, a.next_stage.label
        ('Structured customer success', 'Optimised operations')
        >>> print(a.explain()[-1])
        Stage 4 (Optimised operations) requires GRR >= 94 % (+4.00 %) and NRR >= 110 % (+10.00 %).
    """

    __repr__ = readable
    grr: Decimal = attrs.field(converter=_to_grr)
    nrr: Decimal = attrs.field(converter=_to_nrr)
    stage: MaturityStage = attrs.field(converter=_stage)
    benchmark: MaturityBenchmark = attrs.field(validator=of_type(MaturityBenchmark))
    next_benchmark: MaturityBenchmark | None = attrs.field(validator=of_type(MaturityBenchmark, optional=True))

    @property
    def next_stage(self) -> MaturityStage | None:
        """The next stage, or ``None`` at stage 5."""
        return None if self.next_benchmark is None else self.next_benchmark.stage

    @property
    def grr_gap(self) -> Decimal:
        """GRR points (as a fraction) still missing for the next stage; 0 when met or at stage 5."""
        if self.next_benchmark is None:
            return ZERO
        return max(ZERO, minus(self.next_benchmark.grr_low, self.grr))

    @property
    def nrr_gap(self) -> Decimal:
        """NRR points (as a fraction) still missing for the next stage; 0 when met or at stage 5."""
        if self.next_benchmark is None:
            return ZERO
        return max(ZERO, minus(self.next_benchmark.nrr_low, self.nrr))

    @property
    def within_ranges(self) -> bool:
        """Whether both metrics lie inside this stage's benchmark ranges (above them is possible)."""
        b = self.benchmark
        return b.grr_low <= self.grr <= b.grr_high and b.nrr_low <= self.nrr <= b.nrr_high

    def explain(self) -> list[str]:
        """Plain sentences: the stage and why, its benchmark, and what the next stage requires."""
        lines = [
            f"GRR {pct(self.grr)} and NRR {pct(self.nrr)} reach maturity stage {int(self.stage)} "
            f"({self.stage.label}): the highest stage whose GRR and NRR lower bounds are both met.",
            f"Benchmark {self.benchmark.describe()}.",
        ]
        nxt = self.next_benchmark
        if nxt is None:
            lines.append("Stage 5 is the top stage.")
            return lines
        needs = []
        if self.grr_gap > 0:
            needs.append(f"GRR >= {pct(nxt.grr_low, 0)} (+{pct(self.grr_gap)})")
        if self.nrr_gap > 0:
            needs.append(f"NRR >= {pct(nxt.nrr_low, 0)} (+{pct(self.nrr_gap)})")
        lines.append(f"Stage {int(nxt.stage)} ({nxt.stage.label}) requires {' and '.join(needs)}.")
        return lines


def assess_maturity(grr: Any, nrr: Any, *, model: MaturityModel = DEFAULT_MATURITY_MODEL) -> MaturityAssessment:
    """Classify a GRR / NRR pair into maturity stage 1-5 (the highest stage whose lower bounds are both met).

    Args:
        grr: Gross revenue retention as a fraction in [0, 1] (float or Decimal; 0.94 is read exactly).
        nrr: Net revenue retention as a fraction >= 0 (1.10 = 110 %).
        model: The stage benchmarks (default: the seeds' five stages).

    Returns:
        The :class:`MaturityAssessment`: stage, benchmark, next stage and the gaps to it.

    Raises:
        InvalidValueError: GRR outside [0, 1] (it caps at 100 %) or a negative NRR.

    Examples:
        >>> a = assess_maturity(0.94, 1.10)
        >>> a.stage, a.next_stage, str(a.nrr_gap)
        (<MaturityStage.OPTIMISED_OPERATIONS: 4>, <MaturityStage.STRATEGIC_GROWTH_ENGINE: 5>, '0.10')
    """
    g = rate("grr", grr)
    n = rate("nrr", nrr, upper=None)
    if not isinstance(model, MaturityModel):
        raise InvalidTypeError("is not a MaturityModel", field="model", value=type(model).__name__)
    stage = model.classify(g, n)
    following = model.benchmark(stage + 1) if stage < MaturityStage.STRATEGIC_GROWTH_ENGINE else None
    return MaturityAssessment(g, n, stage, model.benchmark(stage), following)


@attrs.frozen
class AssessmentQuestion:
    """One self-assessment question: a key, the question, and what a "no" means.

    Examples:
        >>> q = AssessmentQuestion("has_playbooks", "Do you have renewal playbooks?", "renewals are improvised")
        >>> SelfAssessment((q,)).score({"has_playbooks": False}).explain()[1]
        "No to 'Do you have renewal playbooks?': renewals are improvised."
    """

    __repr__ = readable
    key: str = attrs.field(validator=_checks.validator(_checks.text))
    question: str = attrs.field(validator=_checks.validator(_checks.text))
    if_not: str = attrs.field(default="", validator=of_type(str))


_QUESTIONS = (
    AssessmentQuestion(
        "knows_grr_nrr", "Do you know your GRR and NRR?", "you are not measuring the basic health of the business"
    ),
    AssessmentQuestion(
        "flags_risk_early",
        "Can you identify at-risk customers 60-90 days before churn?",
        "you are intervening too late",
    ),
    AssessmentQuestion(
        "onboarding_criteria",
        "Do you have defined onboarding-completion criteria and time-to-value targets?",
        "onboarding success is subjective",
    ),
    AssessmentQuestion(
        "knows_weekly_active",
        "Do you know what % of customers actively use the product weekly?",
        "you cannot drive adoption",
    ),
    AssessmentQuestion(
        "systematic_expansion",
        "Do you have a systematic process to identify expansion opportunities?",
        "you are leaving revenue on the table",
    ),
    AssessmentQuestion(
        "shows_roi",
        "Can you show ROI / business-value metrics for your top accounts?",
        "renewals rest on hope, not demonstrated value",
    ),
    AssessmentQuestion(
        "health_scores_flag",
        "Do CSMs have health scores that flag accounts before they become critical?",
        "you are operating blind",
    ),
)


def _to_questions(value: Iterable[AssessmentQuestion]) -> tuple[AssessmentQuestion, ...]:
    return _checks.items("questions", value, AssessmentQuestion)


@attrs.frozen
class AssessmentAnswer:
    """A question and its yes / no answer.

    Examples:
        >>> answers = {q.key: q.key != "shows_roi" for q in DEFAULT_SELF_ASSESSMENT.questions}
        >>> [a.question.key for a in DEFAULT_SELF_ASSESSMENT.score(answers).answers if not a.yes]
        ['shows_roi']
    """

    __repr__ = readable
    question: AssessmentQuestion = attrs.field(validator=of_type(AssessmentQuestion))
    yes: bool = attrs.field(validator=of_type(bool))


def _to_answers(value: Any) -> tuple[AssessmentAnswer, ...]:
    return _checks.items("answers", value, AssessmentAnswer)


@attrs.frozen
class SelfAssessmentResult:
    """The scored checklist: every answer, the share of "yes", and the gaps with what each "no" means.

    Examples:
        >>> answers = {q.key: q.key != "shows_roi" for q in DEFAULT_SELF_ASSESSMENT.questions}
        >>> result = DEFAULT_SELF_ASSESSMENT.score(answers)
        >>> result.yes_count, result.explain()[0]
        (6, '6 of 7 self-assessment answer(s) are yes (86%).')
    """

    __repr__ = readable
    answers: tuple[AssessmentAnswer, ...] = attrs.field(converter=_to_answers)

    def __attrs_post_init__(self) -> None:
        if not self.answers:
            raise InvalidValueError(
                "is empty", field="answers", value=(), constraint="a scored checklist has at least one answer",
                hint="score a checklist with SelfAssessment.score(answers)",
            )

    @property
    def yes_count(self) -> int:
        """Questions answered yes."""
        return sum(1 for a in self.answers if a.yes)

    @property
    def score(self) -> float:
        """Share of yes answers, in [0, 1]."""
        return self.yes_count / len(self.answers)

    @property
    def gaps(self) -> tuple[AssessmentQuestion, ...]:
        """The questions answered no, in checklist order."""
        return tuple(a.question for a in self.answers if not a.yes)

    def explain(self) -> list[str]:
        """The score, then one sentence per "no" with what it means."""
        lines = [f"{self.yes_count} of {len(self.answers)} self-assessment answer(s) are yes ({self.score:.0%})."]
        lines += [f"No to '{q.question}': {q.if_not}." if q.if_not else f"No to '{q.question}'." for q in self.gaps]
        return lines


@attrs.frozen
class SelfAssessment:
    """The maturity self-assessment checklist (default: the seeds' seven questions).

    Raises:
        DefinitionError: no questions, or duplicate keys (every problem at once).

    Examples:
        >>> result = DEFAULT_SELF_ASSESSMENT.score({q.key: True for q in DEFAULT_SELF_ASSESSMENT.questions}
        ...                                        | {"shows_roi": False})
        >>> result.yes_count, [q.key for q in result.gaps]
        (6, ['shows_roi'])
    """

    __repr__ = readable
    questions: tuple[AssessmentQuestion, ...] = attrs.field(default=_QUESTIONS, converter=_to_questions)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if not self.questions:
            problems.append(Problem("questions", "the checklist has no question"))
        seen: set[str] = set()
        for i, q in enumerate(self.questions):
            if q.key in seen:
                problems.append(Problem(f"questions[{i}].key", f"{q.key!r} is used twice"))
            seen.add(q.key)
        if problems:
            raise DefinitionError("invalid self-assessment", problems, hint="give each question a unique key")

    def score(self, answers: Mapping[str, bool]) -> SelfAssessmentResult:
        """Score yes / no answers keyed by question key.

        Raises:
            UnknownNameError: an answer to a question that is not in the checklist.
            InvalidValueError: a question left unanswered (all of them are listed).
            InvalidTypeError: an answer that is not ``True`` / ``False``.
        """
        keys = [q.key for q in self.questions]
        _checks.instance("answers", answers, Mapping, hint="pass a mapping of question key to True / False")
        for key, value in answers.items():
            if key not in keys:
                raise UnknownNameError(
                    "is not a question of the checklist", field="answers", value=key, hint=f"use {', '.join(keys)}"
                )
            if not isinstance(value, bool):
                raise InvalidTypeError(
                    "expected yes (True) or no (False)", field=f"answers[{key!r}]", value=value, hint="pass a bool"
                )
        missing = [k for k in keys if k not in answers]
        if missing:
            raise InvalidValueError(
                "leaves question(s) unanswered",
                field="answers",
                value=missing,
                constraint="every question needs a yes or a no",
                hint="answer False when you do not know: not knowing is the gap",
            )
        return SelfAssessmentResult(tuple(AssessmentAnswer(q, answers[q.key]) for q in self.questions))


DEFAULT_SELF_ASSESSMENT = SelfAssessment()
"""The seeds' seven self-assessment questions."""
