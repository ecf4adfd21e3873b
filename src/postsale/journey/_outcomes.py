"""Journey outcome correlation: which journey patterns and stage paths go with renewing (or any binary outcome).

Each journey is read up to its outcome (the first completed renewal, or the account churning), so a pattern is
only ever measured *before* the outcome it is compared with. Results are plain values with their counts.
"""

from __future__ import annotations

import enum
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Final

import attrs

from postsale import _checks
from postsale._errors import InvalidValueError
from postsale._repr import readable
from postsale._vocabulary import Stage
from postsale.journey._events import JourneyEvent
from postsale.journey._journey import Journey
from postsale.journey._kinds import Cause, TransitionKind

__all__ = [
    "OUTCOME_MIN_ACCOUNTS",
    "OutcomeCorrelation",
    "PathOutcome",
    "PathPattern",
    "PatternOutcome",
    "outcome_correlation",
]

OUTCOME_MIN_ACCOUNTS: Final = 30
"""Below this many accounts on either side of a comparison, the difference is indicative only
(guide: Journey › Outcome correlation)."""


class PathPattern(enum.Enum):
    """A feature of a journey's path, read before its outcome.

    Examples:
        >>> PathPattern.REGRESSED.description
        'slid back at least once (a regression)'
    """

    ONBOARDED_ON_TIME = "onboarded_on_time"
    STALLED = "stalled"
    REGRESSED = "regressed"
    CYCLED = "cycled"
    SKIPPED = "skipped"
    REACHED_EXPANSION = "reached_expansion"
    MULTI_TRACK = "multi_track"

    @property
    def description(self) -> str:
        """What the pattern means, as a phrase."""
        return _DESCRIPTIONS[self]


_DESCRIPTIONS: Final = {
    PathPattern.ONBOARDED_ON_TIME: "left Onboarding within the segment's typical time",
    PathPattern.STALLED: "stayed in a stage past its stuck point",
    PathPattern.REGRESSED: "slid back at least once (a regression)",
    PathPattern.CYCLED: "looped back for a new scope at least once (a cycle)",
    PathPattern.SKIPPED: "skipped a stage at least once",
    PathPattern.REACHED_EXPANSION: "reached Expansion",
    PathPattern.MULTI_TRACK: "ran more than one track (overlap)",
}

_count = _checks.validator(_checks.count)


def _to_pattern(value: Any) -> PathPattern:
    return _checks.member(PathPattern, "pattern", value)


def _rate(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


def _not_above(instance: Any, attribute: Any, value: int) -> None:
    whole = getattr(instance, attribute.metadata["of"])
    if value > whole:
        raise InvalidValueError(
            "is larger than its accounts", field=attribute.name, value=value,
            constraint=f"at most {attribute.metadata['of']}={whole}", hint="count each account once",
        )


@attrs.frozen
class PatternOutcome:
    """The outcome rate of accounts with a pattern against those without it.

    Attributes:
        pattern: The pattern compared.
        accounts_with: Accounts whose path shows it; ``positive_with`` of them had the outcome.
        accounts_without: Accounts whose path does not; ``positive_without`` of them had the outcome.

    Examples:
        >>> po = PatternOutcome(PathPattern.REGRESSED, 10, 5, 40, 36)
        >>> po.rate_with, po.rate_without, round(po.difference, 2), round(po.phi, 2)
        (0.5, 0.9, -0.4, -0.42)
    """

    __repr__ = readable
    pattern: PathPattern = attrs.field(converter=_to_pattern)
    accounts_with: int = attrs.field(validator=_count)
    positive_with: int = attrs.field(validator=[_count, _not_above], metadata={"of": "accounts_with"})
    accounts_without: int = attrs.field(validator=_count)
    positive_without: int = attrs.field(validator=[_count, _not_above], metadata={"of": "accounts_without"})

    @property
    def rate_with(self) -> float | None:
        """Outcome rate of the accounts with the pattern (``None`` when there are none)."""
        return _rate(self.positive_with, self.accounts_with)

    @property
    def rate_without(self) -> float | None:
        """Outcome rate of the accounts without it."""
        return _rate(self.positive_without, self.accounts_without)

    @property
    def difference(self) -> float | None:
        """Rate with minus rate without, as a fraction (``-0.4`` = 40 points lower)."""
        a, b = self.rate_with, self.rate_without
        return None if a is None or b is None else a - b

    @property
    def lift(self) -> float | None:
        """Rate with ÷ rate without (``None`` when either is missing or the rate without is 0)."""
        a, b = self.rate_with, self.rate_without
        return None if a is None or not b else a / b

    @property
    def phi(self) -> float | None:
        """The phi coefficient (the correlation of two yes/no variables), from -1 to 1; ``None`` when undefined."""
        a, b = self.positive_with, self.accounts_with - self.positive_with
        c, d = self.positive_without, self.accounts_without - self.positive_without
        denominator = math.sqrt(float((a + b) * (c + d) * (a + c) * (b + d)))
        return None if denominator == 0 else (a * d - b * c) / denominator

    def indicative(self, min_accounts: int = OUTCOME_MIN_ACCOUNTS) -> bool:
        """True when either side has fewer than ``min_accounts`` accounts (read the difference with care).

        Examples:
            >>> PatternOutcome(PathPattern.SKIPPED, 10, 5, 40, 36).indicative()
            True
        """
        limit = _checks.count("min_accounts", min_accounts)
        return min(self.accounts_with, self.accounts_without) < limit

    def explain(self) -> list[str]:
        """One sentence comparing the two groups."""
        a, b = self.rate_with, self.rate_without
        shown_a = "n/a" if a is None else f"{a:.0%}"
        shown_b = "n/a" if b is None else f"{b:.0%}"
        return [
            f"Accounts that {self.pattern.description}: {shown_a} ({self.positive_with} of {self.accounts_with}) "
            f"vs {shown_b} ({self.positive_without} of {self.accounts_without}) for the others."
        ]


def _to_path(value: Any) -> tuple[Stage, ...]:
    stages = _checks.items("path", value)
    return tuple(_checks.member(Stage, f"path[{i}]", s) for i, s in enumerate(stages))


@attrs.frozen
class PathOutcome:
    """The outcome rate of the accounts whose main track followed one stage path.

    Examples:
        >>> path = PathOutcome((Stage.ONBOARDING, Stage.ADOPTION, Stage.RENEWAL), 8, 6)
        >>> path.rate, path.explain()
        (0.75, ['Onboarding → Adoption → Renewal: 75% (6 of 8).'])
    """

    __repr__ = readable
    path: tuple[Stage, ...] = attrs.field(converter=_to_path)
    accounts: int = attrs.field(validator=_count)
    positive: int = attrs.field(validator=[_count, _not_above], metadata={"of": "accounts"})

    @property
    def rate(self) -> float | None:
        """Outcome rate of these accounts."""
        return _rate(self.positive, self.accounts)

    def explain(self) -> list[str]:
        """One sentence: the path and its rate."""
        rate = self.rate
        shown = "n/a" if rate is None else f"{rate:.0%}"
        path = " → ".join(s.label for s in self.path) or "(no stage)"
        return [f"{path}: {shown} ({self.positive} of {self.accounts})."]


def _to_patterns(value: Any) -> tuple[PatternOutcome, ...]:
    return _checks.items("patterns", value, PatternOutcome)


def _to_paths(value: Any) -> tuple[PathOutcome, ...]:
    return _checks.items("paths", value, PathOutcome)


@attrs.frozen
class OutcomeCorrelation:
    """How journey patterns and stage paths relate to an outcome (by default: renewed).

    Attributes:
        outcome: What the outcome is, as a verb phrase (``"renewed"``).
        accounts: Journeys with a known outcome; ``positive`` of them had it.
        unknown: Journeys left out because their outcome is not known yet.
        patterns: One comparison per pattern.
        paths: The stage paths of the main track, most common first.
        min_accounts: Below this many accounts on a side, a comparison is indicative only.

    Examples:
        >>> corr = OutcomeCorrelation("renewed", 50, 41, 3, (PatternOutcome(PathPattern.REGRESSED, 10, 5, 40, 36),))
        >>> corr.rate, corr.explain()[0]
        (0.82, '41 of 50 account(s) with a known outcome renewed (82%); 3 left out (outcome not known yet).')
    """

    __repr__ = readable
    outcome: str = attrs.field(validator=_checks.validator(_checks.text))
    accounts: int = attrs.field(validator=_count)
    positive: int = attrs.field(validator=[_count, _not_above], metadata={"of": "accounts"})
    unknown: int = attrs.field(default=0, validator=_count)
    patterns: tuple[PatternOutcome, ...] = attrs.field(default=(), converter=_to_patterns)
    paths: tuple[PathOutcome, ...] = attrs.field(default=(), converter=_to_paths)
    min_accounts: int = attrs.field(default=OUTCOME_MIN_ACCOUNTS, validator=_count)

    @property
    def rate(self) -> float | None:
        """Outcome rate over every account with a known outcome."""
        return _rate(self.positive, self.accounts)

    def explain(self) -> list[str]:
        """Sentences a CS lead can read: the overall rate, each pattern, the common paths, and the caveat."""
        rate = self.rate
        shown = "n/a" if rate is None else f"{rate:.0%}"
        lines = [
            f"{self.positive} of {self.accounts} account(s) with a known outcome {self.outcome} ({shown}); "
            f"{self.unknown} left out (outcome not known yet)."
        ]
        for pattern in self.patterns:
            line = pattern.explain()[0]
            if pattern.indicative(self.min_accounts):
                line = line[:-1] + f" (fewer than {self.min_accounts} accounts on a side: indicative only)."
            lines.append(line)
        lines.extend(line for path in self.paths[:5] for line in path.explain())
        if len(self.paths) > 5:
            lines.append(f"... {len(self.paths) - 5} more path(s).")
        lines.append("A pattern that goes with the outcome is a lead to investigate, not proof that it causes it.")
        return lines


_DECIDING: Final = {Cause.RENEWAL_COMPLETED}


def _decided(history: tuple[JourneyEvent, ...]) -> tuple[bool, int] | None:
    """(renewed, index of the deciding event) from a history: the first completed renewal or the final churn."""
    open_tracks: set[str] = set()
    for index, event in enumerate(history):
        if event.cause in _DECIDING and event.kind is not TransitionKind.ENTRY:
            return True, index
        if event.to_stage is None:
            open_tracks.discard(event.track)
            if not open_tracks and event.cause is Cause.CHURNED:
                return False, index
        else:
            open_tracks.add(event.track)
    return None


def _stays(events: tuple[JourneyEvent, ...], end: date) -> list[tuple[Stage, date, date]]:
    """Every (stage, since, until) of every track over ``events``; stays still open end on ``end``."""
    stays: list[tuple[Stage, date, date]] = []
    open_since: dict[str, tuple[Stage, date]] = {}
    for event in events:
        if event.from_stage is not None and event.track in open_since:
            stage, since = open_since.pop(event.track)
            stays.append((stage, since, event.at))
        if event.to_stage is not None:
            open_since[event.track] = (event.to_stage, event.at)
    stays.extend((stage, since, end) for stage, since in open_since.values())
    return stays


def _features(journey: Journey, events: tuple[JourneyEvent, ...], end: date) -> dict[PathPattern, bool | None]:
    definition, segment = journey.definition, journey.segment
    kinds = {e.kind for e in events}
    stalled = False
    for stage, since, until in _stays(events, end):
        bench = definition.benchmark(segment, stage)
        if bench is not None and until > _after(bench.stuck_after, since):
            stalled = True
    first = events[0]
    on_time: bool | None = None
    bench = definition.benchmark(segment, Stage.ONBOARDING)
    if first.to_stage is Stage.ONBOARDING and bench is not None:
        due = _after(bench.typical_max, first.at)
        on_time = None if end <= due else False  # still onboarding: undecided until the typical time has passed
        for event in events[1:]:
            if event.track == first.track and event.from_stage is Stage.ONBOARDING:
                forward = event.kind in (TransitionKind.FORWARD, TransitionKind.SKIP)
                on_time = forward and event.at <= due
                break
    return {
        PathPattern.ONBOARDED_ON_TIME: on_time,
        PathPattern.STALLED: stalled,
        PathPattern.REGRESSED: TransitionKind.REGRESSION in kinds,
        PathPattern.CYCLED: TransitionKind.CYCLE in kinds,
        PathPattern.SKIPPED: TransitionKind.SKIP in kinds,
        PathPattern.REACHED_EXPANSION: any(e.to_stage is Stage.EXPANSION for e in events),
        PathPattern.MULTI_TRACK: len({e.track for e in events}) > 1,
    }


def _after(span: Any, start: date) -> date:
    try:
        return span.after(start)  # type: ignore[no-any-return]
    except InvalidValueError:
        return date.max


def _path(events: tuple[JourneyEvent, ...]) -> tuple[Stage, ...]:
    """The stages the main (first) track went through, repeated stays collapsed."""
    main = events[0].track
    path: list[Stage] = []
    for event in events:
        if event.track == main and event.to_stage is not None and (not path or path[-1] is not event.to_stage):
            path.append(event.to_stage)
    return tuple(path)


def outcome_correlation(
    journeys: Iterable[Journey],
    *,
    outcomes: Mapping[str, bool] | None = None,
    outcome: str = "renewed",
    patterns: Iterable[PathPattern] = tuple(PathPattern),
    as_of: date | None = None,
    min_accounts: int = OUTCOME_MIN_ACCOUNTS,
) -> OutcomeCorrelation:
    """Relate journey patterns and stage paths to an outcome: by default, renewing.

    Without ``outcomes``, each journey's outcome is read from its history: renewed at its first completed
    renewal (a move caused by ``RENEWAL_COMPLETED``), not renewed when its last open track closes as
    ``CHURNED``; journeys with neither are left out. The path and patterns are read from the events *before* the
    deciding one. With ``outcomes`` (account id → True / False: renewed, expanded, became an advocate ...),
    those are the outcomes, the whole history (up to ``as_of``) is read, and accounts without an entry are left out.

    Args:
        journeys: The journeys.
        outcomes: Known outcomes by account id, instead of reading them from the histories.
        outcome: What the outcome is, for the sentences (``"renewed"``, ``"expanded"`` ...).
        patterns: The patterns to compare (all by default).
        as_of: Read each journey as of this date (journeys started later are left out).
        min_accounts: Below this many accounts on a side, a comparison is flagged indicative.

    Raises:
        InvalidTypeError: a journey that is not a Journey, outcomes that are not a mapping of id to bool.

    Examples:
        >>> from postsale.journey import Cause, Journey
        >>> kept = Journey.start("a", "SMB", on=date(2025, 1, 6), stage=Stage.RENEWAL).move(
        ...     "core", Stage.RETENTION, on=date(2025, 3, 1), cause=Cause.RENEWAL_COMPLETED)
        >>> lost = Journey.start("b", "SMB", on=date(2025, 1, 6), stage=Stage.RETENTION).move(
        ...     "core", Stage.ADOPTION, on=date(2025, 2, 1), cause=Cause.CHAMPION_LEFT).close_track(
        ...     "core", on=date(2025, 3, 1), cause=Cause.CHURNED)
        >>> corr = outcome_correlation([kept, lost], patterns=[PathPattern.REGRESSED])
        >>> corr.rate, corr.patterns[0].rate_with, corr.patterns[0].rate_without
        (0.5, 0.0, 1.0)
    """
    wanted = tuple(_checks.member(PathPattern, f"patterns[{i}]", p)
                   for i, p in enumerate(_checks.items("patterns", patterns)))
    _checks.text("outcome", outcome)
    limit = _checks.count("min_accounts", min_accounts)
    if as_of is not None:
        _checks.a_date("as_of", as_of)
    known = None if outcomes is None else _checks.mapping(
        "outcomes", outcomes, key=_checks.identifier, item=lambda f, v: _checks.instance(f, v, bool)
    )
    positive = unknown = 0
    with_counts: Counter[PathPattern] = Counter()
    with_positive: Counter[PathPattern] = Counter()
    without_counts: Counter[PathPattern] = Counter()
    without_positive: Counter[PathPattern] = Counter()
    paths: Counter[tuple[Stage, ...]] = Counter()
    paths_positive: Counter[tuple[Stage, ...]] = Counter()
    for index, given in enumerate(_checks.items("journeys", journeys)):
        _checks.instance(f"journeys[{index}]", given, Journey)
        if as_of is not None and given.started_on > as_of:
            continue
        journey = given if as_of is None else given.as_of(as_of)
        history = journey.history
        if known is not None:
            result = known.get(journey.account_id)
            events, end = history, as_of or history[-1].at
        else:
            decided = _decided(history)
            result = None if decided is None else decided[0]
            events = history if decided is None else history[: max(decided[1], 1)]
            end = history[-1].at if decided is None else history[decided[1]].at
        if result is None:
            unknown += 1
            continue
        positive += result
        features = _features(journey, events, end)
        for pattern in wanted:
            has = features[pattern]
            if has is None:
                continue
            (with_counts if has else without_counts)[pattern] += 1
            (with_positive if has else without_positive)[pattern] += result
        path = _path(events)
        paths[path] += 1
        paths_positive[path] += result
    accounts = sum(paths.values())
    return OutcomeCorrelation(
        outcome,
        accounts,
        positive,
        unknown,
        tuple(PatternOutcome(p, with_counts[p], with_positive[p], without_counts[p], without_positive[p])
              for p in wanted),
        tuple(PathOutcome(path, n, paths_positive[path])
              for path, n in sorted(paths.items(), key=lambda item: (-item[1], [s.value for s in item[0]]))),
        limit,
    )
