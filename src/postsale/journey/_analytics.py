"""Journey analytics over many journeys.

Completion rate, velocity, regression rate and the bottleneck stage, overall and by cohort. Results
are plain values that serialize with :func:`postsale.to_data`.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

import attrs

from postsale import _checks
from postsale._errors import InvalidValueError
from postsale._frozen import freeze
from postsale._repr import readable
from postsale._vocabulary import Stage
from postsale.journey._journey import Journey
from postsale.journey._kinds import Cause, TransitionKind

__all__ = [
    "JourneyAnalytics",
    "RegressionRate",
    "StageCompletion",
    "StageVelocity",
    "analyze",
    "analyze_cohorts",
    "cohort_key",
]

BOTTLENECK_CANDIDATES = (Stage.ONBOARDING, Stage.ADOPTION, Stage.EXPANSION, Stage.RENEWAL)
"""Stages that are meant to be completed (Retention and Advocacy are ongoing)."""


def _stage(field: str, value: Any) -> Stage:
    return _checks.member(Stage, field, value)


def _cause(field: str, value: Any) -> Cause:
    return _checks.member(Cause, field, value)


def _by_cause(value: Any) -> Mapping[Cause, int]:
    return _checks.mapping("by_cause", value, key=_cause, item=_checks.count)


def _by_transition(value: Any) -> Mapping[str, int]:
    return _checks.mapping("by_transition", value, key=_checks.identifier, item=_checks.count)


def _completion(value: Any) -> Mapping[Stage, StageCompletion]:
    return _checks.mapping("completion", value, key=_stage, item=_of(StageCompletion))


def _velocity_map(value: Any) -> Mapping[Stage, StageVelocity]:
    return _checks.mapping("velocity", value, key=_stage, item=_of(StageVelocity))


def _of(cls: type) -> Callable[[str, Any], Any]:
    def check(field: str, value: Any) -> Any:
        return _checks.instance(field, value, cls)

    return check


def _to_stage(value: Any) -> Stage:
    return _stage("stage", value)


def _boolean(field: str, value: Any) -> bool:
    return bool(_checks.instance(field, value, bool, hint="pass True or False"))


_count = _checks.validator(_checks.count)
_days = _checks.optional_validator(_checks.non_negative)


def _optional_stage(value: Any) -> Stage | None:
    return None if value is None else _stage("bottleneck", value)


@attrs.frozen
class StageCompletion:
    """How many track intervals entered a stage and how many completed it.

    Completed = left it forward (FORWARD or SKIP), or, for Renewal, renewed into a new term (a CYCLE
    caused by ``RENEWAL_COMPLETED``). ``regressed`` counts the other backward exits, ``exited`` the
    closed tracks. ``rate`` = completed / entered; ``None`` when nothing entered (undefined, not 0).

    Examples:
        >>> from postsale.journey import Journey
        >>> j = Journey.start("acme", "SMB", on=date(2026, 1, 5))
        >>> onboarding = analyze([j]).completion[Stage.ONBOARDING]
        >>> onboarding.entered, onboarding.still_in, onboarding.rate
        (1, 1, 0.0)
    """

    __repr__ = readable
    stage: Stage = attrs.field(converter=_to_stage)
    entered: int = attrs.field(validator=_count)
    completed: int = attrs.field(validator=_count)
    regressed: int = attrs.field(validator=_count)
    exited: int = attrs.field(validator=_count)
    still_in: int = attrs.field(validator=_count)

    @property
    def rate(self) -> float | None:
        """Share of entries that moved forward (FORWARD or SKIP)."""
        return None if self.entered == 0 else self.completed / self.entered


@attrs.frozen
class StageVelocity:
    """Days spent in a stage over closed intervals: mean, median, min, max, standard deviation.

    Examples:
        >>> from postsale.journey import Cause, Journey
        >>> j = Journey.start("acme", "SMB", on=date(2026, 1, 5), stage=Stage.RETENTION)
        >>> j = j.move("core", Stage.ADOPTION, on=date(2026, 3, 6), cause=Cause.CHAMPION_LEFT)
        >>> speed = analyze([j]).velocity[Stage.RETENTION]
        >>> speed.count, speed.median_days
        (1, 60.0)
    """

    __repr__ = readable
    stage: Stage = attrs.field(converter=_to_stage)
    count: int = attrs.field(validator=_count)
    mean_days: float | None = attrs.field(validator=_days)
    median_days: float | None = attrs.field(validator=_days)
    min_days: int | None = attrs.field(validator=_checks.optional_validator(_checks.count))
    max_days: int | None = attrs.field(validator=_checks.optional_validator(_checks.count))
    stdev_days: float | None = attrs.field(validator=_days)


@attrs.frozen
class RegressionRate:
    """Backward moves, per account and per transition.

    Attributes:
        include_cycles: Whether CYCLE moves count as backward (REGRESSION always does).
        accounts: Journeys analysed.
        accounts_with_backward: Journeys with at least one counted backward move.
        transitions: Stage changes (FORWARD, SKIP, REGRESSION, CYCLE; not openings or closings).
        backward: Counted backward moves.
        by_cause: Counted backward moves per cause.
        by_transition: Counted backward moves per ``"FROM->TO"`` stage pair.

    Examples:
        >>> from postsale.journey import Cause, Journey
        >>> j = Journey.start("acme", "SMB", on=date(2026, 1, 5), stage=Stage.RETENTION)
        >>> j = j.move("core", Stage.ADOPTION, on=date(2026, 3, 6), cause=Cause.CHAMPION_LEFT)
        >>> rate = analyze([j]).regression
        >>> rate.account_rate, dict(rate.by_transition)
        (1.0, {'RETENTION->ADOPTION': 1})
    """

    __repr__ = readable
    include_cycles: bool = attrs.field(validator=_checks.validator(_boolean))
    accounts: int = attrs.field(validator=_count)
    accounts_with_backward: int = attrs.field(validator=_count)
    transitions: int = attrs.field(validator=_count)
    backward: int = attrs.field(validator=_count)
    by_cause: Mapping[Cause, int] = attrs.field(converter=_by_cause)
    by_transition: Mapping[str, int] = attrs.field(converter=_by_transition)

    @property
    def account_rate(self) -> float | None:
        """Share of accounts with a backward move (``None`` for no accounts)."""
        return None if self.accounts == 0 else self.accounts_with_backward / self.accounts

    @property
    def transition_rate(self) -> float | None:
        """Share of transitions that were backward (``None`` for no transitions)."""
        return None if self.transitions == 0 else self.backward / self.transitions


@attrs.frozen
class JourneyAnalytics:
    """Journey-health metrics over a collection of journeys.

    Examples:
        >>> from postsale.journey import Journey
        >>> stats = analyze([Journey.start("acme", "SMB", on=date(2026, 1, 5))])
        >>> stats.explain()[:2]
        ['1 journey analysed.', 'Onboarding: 1 entered, 0 moved on (0%).']
    """

    __repr__ = readable
    journeys: int = attrs.field(validator=_checks.validator(_checks.count))
    completion: Mapping[Stage, StageCompletion] = attrs.field(converter=_completion)
    velocity: Mapping[Stage, StageVelocity] = attrs.field(converter=_velocity_map)
    regression: RegressionRate = attrs.field(validator=_checks.validator(_of(RegressionRate)))
    bottleneck: Stage | None = attrs.field(converter=_optional_stage)

    def explain(self) -> list[str]:
        """Sentences a CS lead can read."""
        lines = [f"{self.journeys} journey{'' if self.journeys == 1 else 's'} analysed."]
        for stage in Stage:
            c = self.completion.get(stage)
            v = self.velocity.get(stage)
            if c is None or c.entered == 0:
                continue
            rate = "n/a" if c.rate is None else f"{c.rate:.0%}"
            speed = "" if v is None or v.median_days is None else f", median {v.median_days:g} days"
            lines.append(f"{stage.label}: {c.entered} entered, {c.completed} moved on ({rate}){speed}.")
        r = self.regression
        if r.account_rate is not None:
            lines.append(
                f"{r.accounts_with_backward} of {r.accounts} accounts moved backward ({r.account_rate:.0%}"
                f"{', cycles included' if r.include_cycles else ', cycles excluded'})."
            )
        if self.bottleneck is not None:
            lines.append(f"Bottleneck: {self.bottleneck.label} has the lowest completion rate.")
        return lines


def analyze(
    journeys: Iterable[Journey], *, include_cycles: bool = True, as_of: date | None = None
) -> JourneyAnalytics:
    """Compute journey-health metrics over ``journeys`` (optionally as they were on ``as_of``).

    Args:
        journeys: Any iterable of journeys.
        include_cycles: Count CYCLE moves as backward in the regression rate (REGRESSION always counts).
        as_of: Analyse each journey as of this date; journeys that started later are left out.

    Raises:
        InvalidTypeError: ``journeys`` is not a collection of journeys, ``include_cycles`` not a bool or
            ``as_of`` not a date.

    Examples:
        >>> analyze([]).regression.account_rate is None
        True
    """
    entered: Counter[Stage] = Counter()
    completed: Counter[Stage] = Counter()
    regressed: Counter[Stage] = Counter()
    exited: Counter[Stage] = Counter()
    still_in: Counter[Stage] = Counter()
    durations: dict[Stage, list[int]] = defaultdict(list)
    by_cause: Counter[Cause] = Counter()
    by_transition: Counter[str] = Counter()
    accounts = accounts_backward = transitions = backward = 0
    _checks.flag("include_cycles", include_cycles)
    counted = {TransitionKind.REGRESSION, TransitionKind.CYCLE} if include_cycles else {TransitionKind.REGRESSION}

    if as_of is not None:
        _checks.a_date("as_of", as_of)
    for index, given in enumerate(_checks.items("journeys", journeys)):
        _checks.instance(f"journeys[{index}]", given, Journey)
        if as_of is not None and given.started_on > as_of:
            continue
        journey = given if as_of is None else given.as_of(as_of)
        accounts += 1
        open_since: dict[str, tuple[Stage, date]] = {}
        any_backward = False
        for event in journey.history:
            if event.from_stage is not None:
                stage, since = open_since.pop(event.track)
                durations[stage].append((event.at - since).days)
                if _completes(event.kind, event.cause, stage):
                    completed[stage] += 1
                elif event.kind.is_backward:
                    regressed[stage] += 1  # a regression or a cycle that did not complete the stage
                else:
                    exited[stage] += 1
            if event.to_stage is not None:
                entered[event.to_stage] += 1
                open_since[event.track] = (event.to_stage, event.at)
            if event.kind not in (TransitionKind.ENTRY, TransitionKind.EXIT):
                transitions += 1
                if event.kind in counted:
                    backward += 1
                    any_backward = True
                    by_cause[event.cause] += 1
                    pair = f"{getattr(event.from_stage, 'name', '')}->{getattr(event.to_stage, 'name', '')}"
                    by_transition[pair] += 1
        for stage, _since in open_since.values():
            still_in[stage] += 1
        accounts_backward += any_backward

    completion = freeze({
        s: StageCompletion(s, entered[s], completed[s], regressed[s], exited[s], still_in[s]) for s in Stage
    })
    velocity = freeze({s: _velocity(s, durations.get(s, [])) for s in Stage})
    regression = RegressionRate(
        include_cycles, accounts, accounts_backward, transitions, backward, by_cause, by_transition
    )
    return JourneyAnalytics(accounts, completion, velocity, regression, _bottleneck(completion, velocity))


def _completes(kind: TransitionKind, cause: Cause, stage: Stage) -> bool:
    """A stage is completed by moving forward, or -- for Renewal -- by renewing into a new term."""
    if kind in (TransitionKind.FORWARD, TransitionKind.SKIP):
        return True
    return stage is Stage.RENEWAL and cause is Cause.RENEWAL_COMPLETED


def _velocity(stage: Stage, days: list[int]) -> StageVelocity:
    if not days:
        return StageVelocity(stage, 0, None, None, None, None, None)
    stdev = statistics.pstdev(days) if len(days) > 1 else 0.0
    return StageVelocity(
        stage, len(days), statistics.fmean(days), float(statistics.median(days)), min(days), max(days), stdev
    )


def _bottleneck(completion: Mapping[Stage, StageCompletion], velocity: Mapping[Stage, StageVelocity]) -> Stage | None:
    """The stage (among those meant to be completed) with the lowest completion rate; ties: slowest median."""
    rated = [(c.rate, -(getattr(velocity.get(s), "median_days", None) or 0.0), s) for s, c in completion.items()
             if s in BOTTLENECK_CANDIDATES and c.rate is not None]
    if not rated:
        return None
    return min(rated)[2]


CohortKey = str | Callable[[Journey], str]


def _segment_of(journey: Journey) -> str:
    return journey.segment.name


def cohort_key(by: CohortKey = "segment") -> Callable[[Journey], str]:
    """Return the function that names a journey's cohort: ``"segment"`` (the segment's name), the name of a journey
    label (journeys without it fall in ``"(none)"``), or a function from a journey to its cohort name, as is.

    Raises:
        InvalidValueError: ``by`` is neither a string nor a callable.

    Examples:
        >>> from postsale.journey import Journey
        >>> journey = Journey.start("a", "SMB", on=date(2026, 1, 5), labels={"source": "referral"})
        >>> cohort_key()(journey), cohort_key("source")(journey), cohort_key("size")(journey)
        ('SMB', 'referral', '(none)')
    """
    if by == "segment":
        return _segment_of
    if isinstance(by, str):
        label = by

        def labelled(journey: Journey) -> str:
            return journey.labels.get(label, "(none)")

        return labelled
    if callable(by):
        return by
    raise InvalidValueError(
        "must be 'segment', a label name or a function", field="by", value=by, hint='pass by="segment"'
    )


def analyze_cohorts(
    journeys: Iterable[Journey],
    *,
    by: CohortKey = "segment",
    include_cycles: bool = True,
    as_of: date | None = None,
) -> Mapping[str, JourneyAnalytics]:
    """Analyse journeys per cohort.

    Args:
        by: ``"segment"``, the name of a journey label (``"source"``, ``"size"`` ...; journeys without it
            fall in ``"(none)"``), or a function from a journey to its cohort name (see :func:`cohort_key`).

    Raises:
        InvalidValueError: ``by`` is neither a string nor a callable.
        InvalidTypeError: ``include_cycles`` is not a bool.

    Examples:
        >>> from postsale.journey import Journey
        >>> js = [Journey.start("a", "SMB", on=date(2026, 1, 5), labels={"source": "referral"}),
        ...       Journey.start("b", "ENTERPRISE", on=date(2026, 1, 5))]
        >>> sorted(analyze_cohorts(js)), sorted(analyze_cohorts(js, by="source"))
        (['ENTERPRISE', 'SMB'], ['(none)', 'referral'])
    """
    _checks.flag("include_cycles", include_cycles)
    key = cohort_key(by)
    groups: dict[str, list[Journey]] = defaultdict(list)
    for index, journey in enumerate(_checks.items("journeys", journeys)):
        _checks.instance(f"journeys[{index}]", journey, Journey)
        groups[key(journey)].append(journey)
    return freeze(
        {name: analyze(group, include_cycles=include_cycles, as_of=as_of) for name, group in sorted(groups.items())}
    )
