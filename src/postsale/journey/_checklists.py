"""Stage checklists: what "going well" means for an account in an ongoing stage, and their verdicts.

Exit and entry criteria say when a track may *leave* or *enter* a stage; a checklist says whether an account is
doing well *while* it is there: Retention going well, Expansion working, Advocacy succeeding. It reuses
:class:`~postsale.journey.Criterion` (one condition over the evidence) and never guards a move.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

import attrs

from postsale import _checks
from postsale._errors import InvalidValueError
from postsale._repr import readable
from postsale._vocabulary import AccountSnapshot, Stage
from postsale.journey._criteria import Criterion, CriterionResult, check_evidence, of_type

__all__ = ["ChecklistResult", "ChecklistStatus", "StageChecklist"]


class ChecklistStatus(enum.Enum):
    """The verdict of a stage checklist.

    MET: enough criteria are met. NOT_MET: the criteria known to fail already rule it out. INCOMPLETE: nothing
    rules it out yet, but missing evidence keeps it from being confirmed (missing data never counts as met).

    Examples:
        >>> ChecklistStatus("incomplete")
        <ChecklistStatus.INCOMPLETE: 'incomplete'>
    """

    MET = "met"
    NOT_MET = "not_met"
    INCOMPLETE = "incomplete"


def _to_stage(value: Any) -> Stage:
    return _checks.member(Stage, "stage", value)


def _to_criteria(value: Any) -> tuple[Criterion, ...]:
    return _checks.items("criteria", value, Criterion)


def _evidence(value: Any) -> Mapping[str, Any]:
    """The evidence mapping of a mapping (checked) or a snapshot (its signals and derived values)."""
    if isinstance(value, AccountSnapshot):
        return value.evidence()
    return check_evidence(value)


@attrs.frozen
class StageChecklist:
    """What "going well" means for an account in a stage: criteria over the evidence, all or at least ``required``.

    Args:
        stage: The stage it describes.
        criteria: The conditions, each a :class:`~postsale.journey.Criterion` (names unique, at least one).
        required: How many must be met; ``None`` (the default) means all of them.
        title: What a met checklist means, as a short phrase (``"Retention going well"``).
        source: Where the rule comes from.

    Raises:
        InvalidValueError: no criteria, a name used twice, or ``required`` outside 1..len(criteria).

    Examples:
        >>> from postsale.journey import Comparison
        >>> quiet = StageChecklist(Stage.RETENTION, (
        ...     Criterion("green", "health_score", threshold=70),
        ...     Criterion("no_critical_issues", "critical_issues_open", Comparison.LE, 0),
        ... ), title="Retention going well")
        >>> quiet.check({"health_score": 82, "critical_issues_open": 0}).status
        <ChecklistStatus.MET: 'met'>
    """

    __repr__ = readable
    stage: Stage = attrs.field(converter=_to_stage)
    criteria: tuple[Criterion, ...] = attrs.field(converter=_to_criteria)
    required: int | None = attrs.field(default=None, validator=_checks.optional_validator(_checks.count))
    title: str = attrs.field(default="", validator=of_type(str))
    source: str = attrs.field(default="", validator=of_type(str))

    def __attrs_post_init__(self) -> None:
        if not self.criteria:
            raise InvalidValueError(
                "is empty", field="criteria", value=(), constraint="a checklist has at least one criterion",
                hint="give the conditions that show the stage is going well",
            )
        names = [c.name for c in self.criteria]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise InvalidValueError(
                "names a criterion more than once", field="criteria", value=twice[0],
                constraint="criterion names are unique within a checklist", hint="rename or drop the duplicate",
            )
        if self.required is not None and not 1 <= self.required <= len(self.criteria):
            raise InvalidValueError(
                "is out of range", field="required", value=self.required,
                constraint=f"between 1 and the number of criteria ({len(self.criteria)})",
                hint="pass None to require every criterion",
            )

    @property
    def needed(self) -> int:
        """How many criteria must be met (all of them unless ``required`` says fewer)."""
        return len(self.criteria) if self.required is None else self.required

    @property
    def label(self) -> str:
        """The title, or ``"<Stage> checklist"`` without one."""
        return self.title.strip() or f"{self.stage.label} checklist"

    def check(self, evidence: Mapping[str, float] | AccountSnapshot) -> ChecklistResult:
        """Check every criterion against ``evidence`` (a mapping of signal values, or an account snapshot).

        Raises:
            InvalidTypeError: ``evidence`` is not a mapping or snapshot, or a value is not a number.
            InvalidValueError: an evidence value is NaN or infinite.

        Examples:
            >>> advocacy = StageChecklist(Stage.ADVOCACY, (Criterion("review", "positive_reviews"),
            ...                                            Criterion("referral", "referrals_made")), required=1)
            >>> advocacy.check({"positive_reviews": 0}).status, advocacy.check({"referrals_made": 2}).met
            (<ChecklistStatus.INCOMPLETE: 'incomplete'>, True)
        """
        values = _evidence(evidence)
        return ChecklistResult(self, tuple(c.check(values) for c in self.criteria))


def _to_results(value: Any) -> tuple[CriterionResult, ...]:
    return _checks.items("results", value, CriterionResult)


@attrs.frozen
class ChecklistResult:
    """A stage checklist checked against one account's evidence: each criterion's result and the verdict.

    Examples:
        >>> checklist = StageChecklist(Stage.EXPANSION, (Criterion("nrr", "account_nrr", ">", 1.0),),
        ...                            title="Expansion working")
        >>> result = checklist.check({"account_nrr": 1.12})
        >>> result.status, result.explain()[0]
        (<ChecklistStatus.MET: 'met'>, 'Expansion working: yes (1 of 1 criteria met).')
    """

    __repr__ = readable
    checklist: StageChecklist = attrs.field(validator=of_type(StageChecklist))
    results: tuple[CriterionResult, ...] = attrs.field(converter=_to_results)

    @property
    def stage(self) -> Stage:
        """The stage the checklist describes."""
        return self.checklist.stage

    @property
    def met_count(self) -> int:
        """How many criteria are met."""
        return sum(1 for r in self.results if r.met)

    @property
    def unmet(self) -> tuple[str, ...]:
        """Names of the criteria whose evidence is present and fails."""
        return tuple(r.criterion.name for r in self.results if r.value is not None and not r.met)

    @property
    def unknown(self) -> tuple[str, ...]:
        """Names of the criteria whose evidence is missing."""
        return tuple(r.criterion.name for r in self.results if r.value is None)

    @property
    def status(self) -> ChecklistStatus:
        """MET when enough criteria are met; NOT_MET when even the unknown ones could not make up the rest."""
        needed = min(self.checklist.needed, len(self.results))
        if self.met_count >= needed:
            return ChecklistStatus.MET
        if self.met_count + len(self.unknown) < needed:
            return ChecklistStatus.NOT_MET
        return ChecklistStatus.INCOMPLETE

    @property
    def met(self) -> bool:
        """True when the status is MET."""
        return self.status is ChecklistStatus.MET

    def explain(self) -> list[str]:
        """The verdict in one sentence, then one sentence per criterion."""
        checklist = self.checklist
        total = len(self.results)
        counted = f"{self.met_count} of {total} criteria met"
        if checklist.required is not None and checklist.required < total:
            counted += f", at least {checklist.required} needed"
        status = self.status
        if status is ChecklistStatus.MET:
            head = f"{checklist.label}: yes ({counted})."
        elif status is ChecklistStatus.NOT_MET:
            head = f"{checklist.label}: no (unmet: {', '.join(self.unmet)}; {counted})."
        else:
            head = f"{checklist.label}: cannot tell yet (missing evidence: {', '.join(self.unknown)}; {counted})."
        return [head, *(line for r in self.results for line in r.explain())]
