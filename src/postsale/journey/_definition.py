"""The journey definition: criteria, causes, benchmarks and suggestions, validated when built.

Everything configurable about the journey lives in one :class:`JourneyDefinition`; the seeds' values
are :data:`DEFAULT_JOURNEY_DEFINITION`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from postsale import _checks
from postsale._errors import DefinitionError, PostsaleError, Problem, UnknownNameError
from postsale._frozen import freeze
from postsale._repr import readable
from postsale._vocabulary import AccountSnapshot, Segment, Stage
from postsale.journey._checklists import ChecklistResult, StageChecklist
from postsale.journey._compile import Compiled, compile_guards
from postsale.journey._criteria import (
    Criterion,
    Readiness,
    RegressionSignal,
    StageBenchmark,
    check_evidence,
    checked_readiness,
)
from postsale.journey._defaults import (
    DEFAULT_BENCHMARKS,
    DEFAULT_CAUSE_CATEGORIES,
    DEFAULT_ENTRY_CRITERIA,
    DEFAULT_EXIT_CRITERIA,
    DEFAULT_READINESS,
    DEFAULT_REGRESSION_SIGNALS,
    DEFAULT_RENEWAL_RUNWAY_DAYS,
    DEFAULT_STAGE_CHECKLISTS,
)
from postsale.journey._kinds import Cause, CauseCategory, TransitionKind

__all__ = ["DEFAULT_JOURNEY_DEFINITION", "JourneyDefinition"]


def _mapping(field: str, value: Any) -> Mapping[Any, Any]:
    """A mapping, copied into a FrozenDict (anything else is refused naming ``field``)."""
    _checks.instance(field, value, Mapping, hint=f"pass a mapping for {field}")
    return freeze(dict(value))


def _member(cls: Any, key: Any) -> Any:
    """``key`` read as a member of ``cls`` when it names one (``"SMB"``, ``"adoption"``); else as given, for the
    definition's check to report with its path."""
    try:
        return cls.parse(key) if isinstance(key, str) else key
    except PostsaleError:
        return key


def _freeze_nested(value: Any) -> Mapping[Any, Mapping[Any, Any]]:
    _checks.instance("benchmarks", value, Mapping, hint="pass a mapping of Segment to {Stage: StageBenchmark}")
    return freeze({
        _member(Segment, k): freeze({_member(Stage, stage): bench for stage, bench in _checks.instance(
            f"benchmarks[{_name(k)}]", v, Mapping, hint="pass {Stage: StageBenchmark}").items()})
        for k, v in value.items()
    })


def _criteria_table(field: str, value: Any) -> Mapping[Stage, tuple[Criterion, ...]]:
    """A mapping of stage to criteria, each checklist a tuple of :class:`Criterion`."""
    _checks.instance(field, value, Mapping, hint=f"pass a mapping of Stage to criteria for {field}")
    return freeze({k: _checks.items(f"{field}[{_name(k)}]", v, Criterion) for k, v in value.items()})


def _name(key: Any) -> str:
    return str(getattr(key, "name", repr(key)))


def _optional_stage(field: str, value: Any) -> Stage | None:
    return None if value is None else _checks.member(Stage, field, value)


def _to_exit_criteria(value: Any) -> Mapping[Stage, tuple[Criterion, ...]]:
    return _criteria_table("exit_criteria", value)


def _to_entry_criteria(value: Any) -> Mapping[Stage, tuple[Criterion, ...]]:
    return _criteria_table("entry_criteria", value)


def _to_readiness_criteria(value: Any) -> Mapping[Stage, tuple[Criterion, ...]]:
    return _criteria_table("readiness_criteria", value)


def _to_cause_categories(value: Any) -> Mapping[Cause, CauseCategory]:
    return _mapping("cause_categories", value)


def _to_renewal_runway_days(value: Any) -> Mapping[Segment, int]:
    return freeze({_member(Segment, k): v for k, v in _mapping("renewal_runway_days", value).items()})


def _to_regression_signals(value: Any) -> tuple[RegressionSignal, ...]:
    return _checks.items("regression_signals", value)


def _to_stage_checklists(value: Any) -> Mapping[Stage, StageChecklist]:
    return _mapping("stage_checklists", value)


@attrs.frozen
class JourneyDefinition:
    """Everything configurable about the journey, validated when built (every problem at once).

    Args:
        exit_criteria: Checklists guarding forward moves out of a stage (default: Onboarding, Adoption).
        entry_criteria: Checklists guarding moves into a stage (default: the advocate qualification).
        readiness_criteria: Advisory checklists used by suggestions only.
        cause_categories: How each cause classifies a backward move (RISK -> REGRESSION,
            NEW_SCOPE -> CYCLE); PROGRESS causes are refused for backward moves.
        benchmarks: Expected time in stage per segment.
        renewal_runway_days: When a move to Renewal is suggested, per segment.
        regression_signals: Signals that suggest a backward move.
        version: Free text identifying this definition (recorded by analytics).
        stage_checklists: What "going well" means while an account is in a stage (never a guard): by default
            Retention going well, Expansion working, Advocacy succeeding.

    Raises:
        DefinitionError: listing every problem (duplicate criterion names, exit criteria on Advocacy,
            uncategorised causes, non-positive runways, ...).

    Examples:
        >>> from postsale.journey import Criterion
        >>> stricter = JourneyDefinition(exit_criteria={
        ...     Stage.ADOPTION: (Criterion("seats_80pct", "seat_utilisation", threshold=0.8),)})
        >>> stricter.readiness(Stage.ADOPTION, Stage.RETENTION, {"seat_utilisation": 0.75}).missing
        ('seats_80pct',)
    """

    __repr__ = readable
    exit_criteria: Mapping[Stage, tuple[Criterion, ...]] = attrs.field(
        default=DEFAULT_EXIT_CRITERIA, converter=_to_exit_criteria
    )
    entry_criteria: Mapping[Stage, tuple[Criterion, ...]] = attrs.field(
        default=DEFAULT_ENTRY_CRITERIA, converter=_to_entry_criteria
    )
    readiness_criteria: Mapping[Stage, tuple[Criterion, ...]] = attrs.field(
        default=DEFAULT_READINESS, converter=_to_readiness_criteria
    )
    cause_categories: Mapping[Cause, CauseCategory] = attrs.field(
        default=DEFAULT_CAUSE_CATEGORIES, converter=_to_cause_categories
    )
    benchmarks: Mapping[Segment, Mapping[Stage, StageBenchmark]] = attrs.field(
        default=DEFAULT_BENCHMARKS, converter=_freeze_nested
    )
    renewal_runway_days: Mapping[Segment, int] = attrs.field(
        default=DEFAULT_RENEWAL_RUNWAY_DAYS, converter=_to_renewal_runway_days
    )
    regression_signals: tuple[RegressionSignal, ...] = attrs.field(
        default=DEFAULT_REGRESSION_SIGNALS, converter=_to_regression_signals
    )
    version: str = attrs.field(
        default="seeds-2026.1", validator=_checks.validator(lambda field, value: _checks.instance(field, value, str))
    )
    stage_checklists: Mapping[Stage, StageChecklist] = attrs.field(
        default=DEFAULT_STAGE_CHECKLISTS, converter=_to_stage_checklists
    )
    _compiled: Compiled = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        problems = list(self._problems())
        if problems:
            raise DefinitionError(
                "invalid journey definition", problems, hint="fix every listed entry, then build the definition again"
            )
        compiled = compile_guards(self.exit_criteria, self.entry_criteria, self.cause_categories)
        object.__setattr__(self, "_compiled", compiled)

    def __reduce__(self) -> tuple[Any, ...]:
        # The compiled guards are closures: pickle the definition's fields and compile again when loading.
        fields = (self.exit_criteria, self.entry_criteria, self.readiness_criteria, self.cause_categories,
                  self.benchmarks, self.renewal_runway_days, self.regression_signals, self.version,
                  self.stage_checklists)
        return (JourneyDefinition, fields)

    def _problems(self) -> list[Problem]:
        problems: list[Problem] = []
        for field_name, table in (
            ("exit_criteria", self.exit_criteria),
            ("entry_criteria", self.entry_criteria),
            ("readiness_criteria", self.readiness_criteria),
        ):
            for stage, criteria in table.items():
                path = f"$.{field_name}.{getattr(stage, 'name', stage)}"
                if not isinstance(stage, Stage):
                    problems.append(Problem(path, f"{stage!r} is not a Stage"))
                    continue
                names = [c.name for c in criteria]
                problems.extend(
                    Problem(path, f"criterion name {name!r} appears more than once")
                    for name in sorted({n for n in names if names.count(n) > 1})
                )
        if Stage.ADVOCACY in self.exit_criteria:
            problems.append(Problem("$.exit_criteria.ADVOCACY", "Advocacy is the last stage: nothing to exit to"))
        if Stage.ONBOARDING in self.entry_criteria:
            problems.append(
                Problem("$.entry_criteria.ONBOARDING", "Onboarding is the first stage: no forward move enters it")
            )
        problems.extend(
            Problem(f"$.cause_categories.{cause.name}", "cause has no category; give it RISK, NEW_SCOPE or PROGRESS")
            for cause in Cause
            if cause not in self.cause_categories
        )
        problems.extend(
            Problem(f"$.cause_categories.{_name(cause)}", f"{category!r} is not a CauseCategory")
            for cause, category in self.cause_categories.items()
            if not isinstance(category, CauseCategory)
        )
        problems.extend(
            Problem(f"$.cause_categories.{_name(cause)}", f"{cause!r} is not a Cause")
            for cause in self.cause_categories
            if not isinstance(cause, Cause)
        )
        for segment, stages in self.benchmarks.items():
            path = f"$.benchmarks.{_name(segment)}"
            if not isinstance(segment, Segment):
                problems.append(Problem(path, f"{segment!r} is not a Segment"))
            problems.extend(
                Problem(f"{path}.{_name(stage)}", f"{stage!r} is not a Stage")
                for stage in stages if not isinstance(stage, Stage)
            )
            problems.extend(
                Problem(f"{path}.{_name(stage)}", f"{bench!r} is not a StageBenchmark")
                for stage, bench in stages.items() if bench is not None and not isinstance(bench, StageBenchmark)
            )
        if not any(c is not CauseCategory.PROGRESS for c in self.cause_categories.values()):
            problems.append(
                Problem("$.cause_categories", "no cause allows a backward move; mark some RISK or NEW_SCOPE")
            )
        problems.extend(
            Problem(f"$.renewal_runway_days.{_name(segment)}", f"{segment!r} is not a Segment")
            for segment in self.renewal_runway_days if not isinstance(segment, Segment)
        )
        for segment, days in self.renewal_runway_days.items():
            if isinstance(days, bool) or not isinstance(days, int) or days <= 0:
                problems.append(
                    Problem(f"$.renewal_runway_days.{getattr(segment, 'name', segment)}",
                            f"runway must be a positive number of days, got {days!r}")
                )
        for i, signal in enumerate(self.regression_signals):
            if not isinstance(signal, RegressionSignal):
                problems.append(Problem(f"$.regression_signals[{i}]", f"{signal!r} is not a RegressionSignal"))
            elif self.cause_categories.get(signal.cause) is CauseCategory.PROGRESS:
                problems.append(
                    Problem(f"$.regression_signals[{i}].cause", f"{signal.cause.name} is a progress cause")
                )
        for stage, checklist in self.stage_checklists.items():
            path = f"$.stage_checklists.{_name(stage)}"
            if not isinstance(stage, Stage):
                problems.append(Problem(path, f"{stage!r} is not a Stage"))
            elif not isinstance(checklist, StageChecklist):
                problems.append(Problem(path, f"{checklist!r} is not a StageChecklist"))
            elif checklist.stage is not stage:
                problems.append(Problem(f"{path}.stage", f"the checklist describes {checklist.stage.name}"))
        return problems

    def guards(self, from_stage: Stage | None, to_stage: Stage) -> tuple[Criterion, ...]:
        """Return the criteria a forward move (or a track opening, ``from_stage=None``) must meet.

        Raises:
            UnknownNameError: a stage that is not a :class:`~postsale.Stage`.
        """
        key = (_optional_stage("from_stage", from_stage) or 0, _checks.member(Stage, "to_stage", to_stage))
        return self._compiled.guards.get(key, ())

    def readiness(
        self, from_stage: Stage | None, to_stage: Stage, evidence: Mapping[str, float], *, advisory: bool = False
    ) -> Readiness:
        """Check ``evidence`` against the guards of a move (plus advisory criteria when asked).

        Raises:
            UnknownNameError: a stage that is not a :class:`~postsale.Stage`.
            InvalidTypeError: ``evidence`` is not a mapping of names to numbers or bools.
            InvalidValueError: an evidence value is NaN or infinite.
        """
        from_stage = _optional_stage("from_stage", from_stage)
        to_stage = _checks.member(Stage, "to_stage", to_stage)
        check_evidence(evidence)
        criteria = self.guards(from_stage, to_stage)
        if _checks.flag("advisory", advisory):
            criteria = criteria + self.readiness_criteria.get(to_stage, ())
        return Readiness(from_stage, to_stage, tuple(c.check(evidence) for c in criteria))

    def _advised(self, from_stage: Stage, to_stage: Stage, evidence: Mapping[str, Any]) -> Readiness:
        """``readiness(from_stage, to_stage, evidence, advisory=True)`` for :class:`~postsale.Stage` members and
        evidence already checked (a snapshot's, or checked by :func:`check_evidence`): what suggestions ask for,
        without checking the evidence again (private to the journey package)."""
        criteria = self._compiled.guards.get((from_stage or 0, to_stage), ())
        return checked_readiness(from_stage, to_stage, criteria + self.readiness_criteria.get(to_stage, ()), evidence)

    def check_stage(self, stage: Stage, evidence: Mapping[str, float] | AccountSnapshot) -> ChecklistResult:
        """Check ``evidence`` against the checklist of ``stage`` (is the account doing well there?).

        Raises:
            UnknownNameError: ``stage`` is not a Stage, or this definition has no checklist for it.
            InvalidTypeError: ``evidence`` is not a mapping of names to numbers or bools, nor a snapshot.
            InvalidValueError: an evidence value is NaN or infinite.

        Examples:
            >>> result = DEFAULT_JOURNEY_DEFINITION.check_stage(
            ...     Stage.RETENTION, {"health_score": 81, "critical_issues_open": 0, "renewal_risk": 3})
            >>> result.status, result.unmet
            (<ChecklistStatus.NOT_MET: 'not_met'>, ('renewal_risk_at_most_medium',))
        """
        stage = _checks.member(Stage, "stage", stage)
        checklist = self.stage_checklists.get(stage)
        if checklist is None:
            names = ", ".join(s.name for s in Stage if s in self.stage_checklists) or "none"
            raise UnknownNameError(
                "has no checklist", field="stage", value=stage.name, constraint=f"stages with a checklist: {names}",
                hint="check a stage that has one, or use readiness() for the exit criteria of Onboarding and Adoption",
            )
        return checklist.check(evidence)

    def category(self, cause: Cause) -> CauseCategory:
        """Return how ``cause`` classifies a move.

        Raises:
            UnknownNameError: ``cause`` is not a :class:`~postsale.journey.Cause`.
        """
        return self._compiled.categories[_checks.member(Cause, "cause", cause)]

    def classify(self, from_stage: Stage | None, to_stage: Stage | None, cause: Cause) -> TransitionKind:
        """Classify a move by stage order and cause.

        Examples:
            >>> DEFAULT_JOURNEY_DEFINITION.classify(Stage.RENEWAL, Stage.ONBOARDING, Cause.MERGER)
            <TransitionKind.CYCLE: 'cycle'>
        """
        from_stage = _optional_stage("from_stage", from_stage)
        to_stage = _optional_stage("to_stage", to_stage)
        cause = _checks.member(Cause, "cause", cause)
        if from_stage is None:
            return TransitionKind.ENTRY
        if to_stage is None:
            return TransitionKind.EXIT
        if to_stage > from_stage:
            return self._compiled.kinds[(from_stage, to_stage)]
        category = self._compiled.categories[cause]
        return TransitionKind.CYCLE if category is CauseCategory.NEW_SCOPE else TransitionKind.REGRESSION

    @property
    def backward_causes(self) -> tuple[str, ...]:
        """Names of the causes accepted for a backward move."""
        return self._compiled.backward_causes

    def benchmark(self, segment: Segment, stage: Stage) -> StageBenchmark | None:
        """Return the expected duration of ``stage`` for ``segment`` (``None``: ongoing stage).

        Raises:
            UnknownNameError: ``segment`` or ``stage`` is not a member of its enum.
        """
        segment = _checks.member(Segment, "segment", segment)
        return self.benchmarks.get(segment, {}).get(_checks.member(Stage, "stage", stage))


DEFAULT_JOURNEY_DEFINITION = JourneyDefinition()
"""The seeds' journey definition (see ``docs/journey.md``)."""
