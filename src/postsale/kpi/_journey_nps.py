"""Journey NPS: satisfaction with the journey experience itself, overall, by stage and by cohort.

A journey-experience survey asks each account "how likely are you to recommend us, given your experience so far?"
(0-10). Its NPS says how the journey feels; split by the stage each respondent was in and by cohort (segment,
acquisition source, size ...) it says where the experience is poor (guide: Journey › Journey NPS).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

import attrs

from postsale import _checks
from postsale._frozen import FrozenDict
from postsale._repr import readable
from postsale._vocabulary import Stage
from postsale.journey import Journey, cohort_key
from postsale.kpi._surveys import DEFAULT_CONFIDENCE, NetPromoterScore, _answer, nps

__all__ = ["JourneyNps", "journey_nps"]


def _survey_answer(field: str, value: Any) -> int:
    return _answer(field, value, 0, 10)


def _optional_nps(value: Any) -> NetPromoterScore | None:
    if value is None:
        return None
    result: NetPromoterScore = _checks.instance("overall", value, NetPromoterScore)
    return result


def _score(field: str, value: Any) -> NetPromoterScore:
    result: NetPromoterScore = _checks.instance(field, value, NetPromoterScore)
    return result


def _stage(field: str, value: Any) -> Stage:
    return _checks.member(Stage, field, value)


def _by_stage(value: Any) -> FrozenDict[Stage, NetPromoterScore]:
    return _checks.mapping("by_stage", value, key=_stage, item=_score)


def _by_cohort(value: Any) -> FrozenDict[str, NetPromoterScore]:
    return _checks.mapping("by_cohort", value, key=_checks.text, item=_score)


@attrs.frozen
class JourneyNps:
    """The NPS of a journey-experience survey, overall, by the stage each respondent was in, and by cohort.

    Attributes:
        overall: Over every answer (``None`` without answers).
        by_stage: By the most advanced open stage of the respondent's journey (accounts with a journey only).
        by_cohort: By cohort (accounts with a journey only).
        without_journey: Answers from accounts whose journey was not given (in ``overall`` only).

    Examples:
        >>> result = JourneyNps(NetPromoterScore(3, 1, 1), by_cohort={"SMB": NetPromoterScore(3, 1, 1)})
        >>> result.overall.score, list(result.by_cohort)
        (40.0, ['SMB'])
    """

    __repr__ = readable
    overall: NetPromoterScore | None = attrs.field(converter=_optional_nps)
    by_stage: FrozenDict[Stage, NetPromoterScore] = attrs.field(factory=FrozenDict, converter=_by_stage)
    by_cohort: FrozenDict[str, NetPromoterScore] = attrs.field(factory=FrozenDict, converter=_by_cohort)
    without_journey: int = attrs.field(default=0, validator=_checks.validator(_checks.count))

    def explain(self) -> list[str]:
        """Say the scores in words, lowest stage first.

        Examples:
            >>> JourneyNps(None).explain()
            ['Journey NPS: no answers yet.']
        """
        if self.overall is None:
            return ["Journey NPS: no answers yet."]
        lines = [f"Journey NPS {self.overall.score:+.0f} from {_answers(self.overall.responses)}."]
        for stage, score in sorted(self.by_stage.items()):
            lines.append(f"{stage.label}: {score.score:+.0f} ({_answers(score.responses)}).")
        for name, score in self.by_cohort.items():
            lines.append(f"Cohort {name}: {score.score:+.0f} ({_answers(score.responses)}).")
        if self.without_journey:
            lines.append(f"{_answers(self.without_journey)} from accounts without a journey: counted overall only.")
        worst = min(self.by_stage.items(), key=lambda item: (item[1].score, item[0]), default=None)
        if worst is not None and len(self.by_stage) > 1:
            lines.append(f"The journey feels worst in {worst[0].label}.")
        return lines


def _answers(count: int) -> str:
    return f"{count} answer{'' if count == 1 else 's'}"


def journey_nps(
    answers: Mapping[str, int],
    journeys: Iterable[Journey] = (),
    *,
    by: str | Callable[[Journey], str] = "segment",
    as_of: date | None = None,
    confidence: float = DEFAULT_CONFIDENCE,
) -> JourneyNps:
    """Score a journey-experience survey: overall, by the stage each respondent was in, and by cohort.

    Args:
        answers: Account id → its 0-10 answer.
        journeys: The accounts' journeys (optional; an answer without one counts overall only).
        by: The cohort: ``"segment"``, a journey label's name, or a function (see
            :func:`postsale.journey.cohort_key`).
        as_of: Read each journey's stage on this date (default: its latest); a journey that started later
            counts as without a journey.
        confidence: The confidence level of each score's interval.

    Raises:
        InvalidValueError: an answer outside 0-10 (named ``answers['<account>']``).
        InvalidTypeError: a journey that is not a :class:`~postsale.journey.Journey`.

    Examples:
        >>> from postsale.journey import Journey
        >>> day = date(2026, 1, 5)
        >>> journeys = [Journey.start("a", "SMB", on=day), Journey.start("b", "ENTERPRISE", on=day)]
        >>> result = journey_nps({"a": 10, "b": 4, "c": 9}, journeys)
        >>> round(result.overall.score, 1), result.without_journey
        (33.3, 1)
        >>> [(stage.label, score.score) for stage, score in result.by_stage.items()]
        [('Onboarding', 0.0)]
        >>> result.explain()[0]
        'Journey NPS +33 from 3 answers.'
    """
    given = _checks.mapping("answers", answers, key=_checks.text, item=_survey_answer)
    key = cohort_key(by)
    when = None if as_of is None else _checks.a_date("as_of", as_of)
    found: dict[str, Journey] = {}
    for journey in _checks.items("journeys", journeys, Journey):
        if journey.account_id in given and (when is None or journey.started_on <= when):
            found[journey.account_id] = journey if when is None else journey.as_of(when)
    stages: dict[Stage, list[int]] = defaultdict(list)
    cohorts: dict[str, list[int]] = defaultdict(list)
    values = []
    for account, answer in given.items():
        values.append(answer)
        journey = found.get(account)
        if journey is None:
            continue
        stage = journey.primary_stage
        if stage is not None:
            stages[stage].append(answer)
        cohorts[key(journey)].append(answer)
    if not values:
        return JourneyNps(None)
    return JourneyNps(
        nps(values, confidence=confidence),
        {stage: nps(group, confidence=confidence) for stage, group in sorted(stages.items())},
        {name: nps(group, confidence=confidence) for name, group in sorted(cohorts.items())},
        len(values) - sum(len(group) for group in cohorts.values()),
    )
