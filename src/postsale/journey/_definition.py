"""The journey definition: criteria, causes, benchmarks and suggestions, validated when built.

Everything configurable about the journey lives in one :class:`JourneyDefinition`; the seeds' values
are :data:`DEFAULT_JOURNEY_DEFINITION`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from postsale._errors import DefinitionError, Problem
from postsale._frozen import freeze
from postsale._vocabulary import Segment, Stage
from postsale.journey._compile import Compiled, compile_guards
from postsale.journey._criteria import Criterion, Readiness, RegressionSignal, StageBenchmark
from postsale.journey._defaults import (
    DEFAULT_BENCHMARKS,
    DEFAULT_CAUSE_CATEGORIES,
    DEFAULT_ENTRY_CRITERIA,
    DEFAULT_EXIT_CRITERIA,
    DEFAULT_READINESS,
    DEFAULT_REGRESSION_SIGNALS,
    DEFAULT_RENEWAL_RUNWAY_DAYS,
)
from postsale.journey._kinds import Cause, CauseCategory, TransitionKind

__all__ = ["DEFAULT_JOURNEY_DEFINITION", "JourneyDefinition"]


def _freeze(value: Mapping[Any, Any]) -> Mapping[Any, Any]:
    return freeze(dict(value))


def _freeze_nested(value: Mapping[Any, Mapping[Any, Any]]) -> Mapping[Any, Mapping[Any, Any]]:
    return freeze({k: freeze(dict(v)) for k, v in value.items()})


def _freeze_criteria(value: Mapping[Stage, Any]) -> Mapping[Stage, tuple[Criterion, ...]]:
    return freeze({k: tuple(v) for k, v in value.items()})


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

    exit_criteria: Mapping[Stage, tuple[Criterion, ...]] = attrs.field(
        default=DEFAULT_EXIT_CRITERIA, converter=_freeze_criteria
    )
    entry_criteria: Mapping[Stage, tuple[Criterion, ...]] = attrs.field(
        default=DEFAULT_ENTRY_CRITERIA, converter=_freeze_criteria
    )
    readiness_criteria: Mapping[Stage, tuple[Criterion, ...]] = attrs.field(
        default=DEFAULT_READINESS, converter=_freeze_criteria
    )
    cause_categories: Mapping[Cause, CauseCategory] = attrs.field(
        default=DEFAULT_CAUSE_CATEGORIES, converter=_freeze
    )
    benchmarks: Mapping[Segment, Mapping[Stage, StageBenchmark]] = attrs.field(
        default=DEFAULT_BENCHMARKS, converter=_freeze_nested
    )
    renewal_runway_days: Mapping[Segment, int] = attrs.field(
        default=DEFAULT_RENEWAL_RUNWAY_DAYS, converter=_freeze
    )
    regression_signals: tuple[RegressionSignal, ...] = attrs.field(
        default=DEFAULT_REGRESSION_SIGNALS, converter=tuple
    )
    version: str = "seeds-2026.1"
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
                  self.benchmarks, self.renewal_runway_days, self.regression_signals, self.version)
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
        if not any(c is not CauseCategory.PROGRESS for c in self.cause_categories.values()):
            problems.append(
                Problem("$.cause_categories", "no cause allows a backward move; mark some RISK or NEW_SCOPE")
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
        return problems

    def guards(self, from_stage: Stage | None, to_stage: Stage) -> tuple[Criterion, ...]:
        """Return the criteria a forward move (or a track opening, ``from_stage=None``) must meet."""
        return self._compiled.guards.get((from_stage or 0, to_stage), ())

    def readiness(
        self, from_stage: Stage | None, to_stage: Stage, evidence: Mapping[str, float], *, advisory: bool = False
    ) -> Readiness:
        """Check ``evidence`` against the guards of a move (plus advisory criteria when asked)."""
        criteria = self.guards(from_stage, to_stage)
        if advisory:
            criteria = criteria + self.readiness_criteria.get(to_stage, ())
        return Readiness(from_stage, to_stage, tuple(c.check(evidence) for c in criteria))

    def category(self, cause: Cause) -> CauseCategory:
        """Return how ``cause`` classifies a move."""
        return self._compiled.categories[cause]

    def classify(self, from_stage: Stage | None, to_stage: Stage | None, cause: Cause) -> TransitionKind:
        """Classify a move by stage order and cause.

        Examples:
            >>> DEFAULT_JOURNEY_DEFINITION.classify(Stage.RENEWAL, Stage.ONBOARDING, Cause.MERGER)
            <TransitionKind.CYCLE: 'cycle'>
        """
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
        """Return the expected duration of ``stage`` for ``segment`` (``None``: ongoing stage)."""
        return self.benchmarks.get(segment, {}).get(stage)


DEFAULT_JOURNEY_DEFINITION = JourneyDefinition()
"""The seeds' journey definition (see ``docs/journey.md``)."""
