"""Survey and usage KPIs: NPS with a confidence interval, CSAT on a configurable scale, seat utilisation.

Adoption is reached at >= 70 % of purchased seats active; promoters answer 9-10, detractors 0-6.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal
from statistics import NormalDist
from typing import Any

import attrs

from postsale import _checks
from postsale._errors import DefinitionError, InvalidTypeError, InvalidValueError, Problem
from postsale._repr import readable
from postsale._vocabulary import AccountSnapshot
from postsale.kpi._numbers import of_type

__all__ = [
    "ADOPTION_SEAT_SHARE",
    "DEFAULT_CSAT_SCALE",
    "NPS_DETRACTOR_MAX",
    "NPS_PROMOTER_MIN",
    "Csat",
    "CsatScale",
    "NetPromoterScore",
    "Utilisation",
    "csat",
    "nps",
    "utilisation",
]

NPS_PROMOTER_MIN = 9
"""Promoters answer 9 or 10."""

NPS_DETRACTOR_MAX = 6
"""Detractors answer 0 to 6."""

DEFAULT_CONFIDENCE = 0.95
"""Confidence level of the NPS interval unless said otherwise."""

ADOPTION_SEAT_SHARE = 0.70
"""Adoption reached when at least 70 % of purchased seats are active."""


def _answer(field: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError("expected a whole-number answer", field=field, value=value, hint="pass an int")
    if not low <= value <= high:
        raise InvalidValueError(
            "is outside the answer scale",
            field=field,
            value=value,
            constraint=f"answers are whole numbers from {low} to {high}",
            hint="drop or correct the answer",
        )
    return value


def _confidence(value: Any) -> float:
    level = _checks.number("confidence", value)
    if not 0 < level < 1:
        raise InvalidValueError(
            "is not a confidence level",
            field="confidence",
            value=value,
            constraint="must be strictly between 0 and 1",
            hint="pass e.g. 0.95 for a 95 % interval",
        )
    return level


@attrs.frozen
class NetPromoterScore:
    """NPS of a set of 0-10 answers, with its counts and a confidence interval.

    NPS = 100 × (promoters − detractors) / responses, in [−100, 100]. The interval is the normal
    approximation for the mean of a −1 / 0 / +1 variable (variance ``p + d − (p − d)²``), clipped to
    [−100, 100]; with few answers (< 30) or a degenerate mix it is indicative only.

    Build it with :func:`nps` from answers, or from counts.

    Raises:
        InvalidValueError: no responses (an NPS over nothing is undefined), a bad confidence level.

    Examples:
        >>> score = NetPromoterScore(promoters=50, passives=30, detractors=20)
        >>> score.score, [round(end, 1) for end in score.interval]
        (30.0, [14.7, 45.3])
    """

    __repr__ = readable
    promoters: int = attrs.field(validator=_checks.validator(_checks.count))
    passives: int = attrs.field(validator=_checks.validator(_checks.count))
    detractors: int = attrs.field(validator=_checks.validator(_checks.count))
    confidence: float = attrs.field(default=DEFAULT_CONFIDENCE, converter=_confidence)

    def __attrs_post_init__(self) -> None:
        if self.responses == 0:
            raise InvalidValueError(
                "is empty",
                field="answers",
                value=0,
                constraint="an NPS over no answers is undefined (not 0)",
                hint="collect at least one answer",
            )

    @property
    def responses(self) -> int:
        """Number of answers."""
        return self.promoters + self.passives + self.detractors

    @property
    def score(self) -> float:
        """100 × (promoters − detractors) / responses."""
        return 100.0 * (self.promoters - self.detractors) / self.responses

    @property
    def margin(self) -> float:
        """Half-width of the confidence interval, in NPS points."""
        n = self.responses
        p, d = self.promoters / n, self.detractors / n
        variance = max(p + d - (p - d) ** 2, 0.0)
        z = NormalDist().inv_cdf(0.5 + self.confidence / 2)
        return 100.0 * z * math.sqrt(variance / n)

    @property
    def interval(self) -> tuple[float, float]:
        """The confidence interval ``(low, high)``, clipped to [−100, 100]."""
        return max(-100.0, self.score - self.margin), min(100.0, self.score + self.margin)

    def explain(self) -> list[str]:
        """Plain sentences: the score, the counts and the interval."""
        low, high = self.interval
        n = self.responses
        return [
            f"NPS {self.score:+.1f} from {n} answer(s): {self.promoters} promoter(s) (9-10), "
            f"{self.passives} passive(s) (7-8), {self.detractors} detractor(s) (0-6).",
            f"{self.confidence:.0%} confidence interval {low:+.1f} to {high:+.1f}"
            + (" (fewer than 30 answers: indicative only)." if n < 30 else "."),
        ]


def nps(answers: Iterable[int], *, confidence: float = DEFAULT_CONFIDENCE) -> NetPromoterScore:
    """Score "how likely are you to recommend us?" answers (0-10): promoters 9-10, detractors 0-6.

    Raises:
        InvalidValueError: an answer outside 0-10 (named ``answers[i]``), or no answers.
        InvalidTypeError: an answer that is not a whole number.

    Examples:
        >>> result = nps([10, 9, 9, 8, 7, 3, 10, 6])
        >>> result.promoters, result.passives, result.detractors, result.score
        (4, 2, 2, 25.0)
    """
    counts = [0, 0, 0]
    for index, value in enumerate(_checks.items("answers", answers)):
        score = _answer(f"answers[{index}]", value, 0, 10)
        counts[0 if score >= NPS_PROMOTER_MIN else 2 if score <= NPS_DETRACTOR_MAX else 1] += 1
    return NetPromoterScore(counts[0], counts[1], counts[2], confidence)


@attrs.frozen
class CsatScale:
    """The answer scale of a CSAT question and where "satisfied" starts (default 1-5, satisfied 4-5).

    CSAT = share of satisfied responses, e.g. 4-5 on 1-5.

    Raises:
        DefinitionError: listing every problem (non-integers, ``low >= high``, threshold off the scale).

    Examples:
        >>> CsatScale(low=1, high=10, satisfied_from=8).satisfied_from
        8
    """

    __repr__ = readable
    low: int = 1
    high: int = 5
    satisfied_from: int = 4

    def __attrs_post_init__(self) -> None:
        problems = [
            Problem(name, f"{getattr(self, name)!r} must be a whole number")
            for name in ("low", "high", "satisfied_from")
            if isinstance(getattr(self, name), bool) or not isinstance(getattr(self, name), int)
        ]
        if not problems:
            if self.low >= self.high:
                problems.append(Problem("high", f"{self.high} must be greater than low={self.low}"))
            if not self.low <= self.satisfied_from <= self.high:
                problems.append(
                    Problem("satisfied_from", f"{self.satisfied_from} must be within {self.low}-{self.high}")
                )
        if problems:
            raise DefinitionError(
                "invalid CSAT scale", problems, hint="e.g. CsatScale(low=1, high=5, satisfied_from=4)"
            )


DEFAULT_CSAT_SCALE = CsatScale()
"""1-5, satisfied from 4."""


@attrs.frozen
class Csat:
    """CSAT: the share of satisfied answers on a scale.

    Examples:
        >>> result = csat([5, 4, 3, 5, 2])
        >>> result.satisfied, result.responses, result.explain()
        (3, 5, ['CSAT 60.0%: 3 of 5 answer(s) at 4-5 on a 1-5 scale.'])
    """

    __repr__ = readable
    scale: CsatScale = attrs.field(validator=of_type(CsatScale))
    responses: int = attrs.field(validator=_checks.validator(_checks.count))
    satisfied: int = attrs.field(validator=_checks.validator(_checks.count))

    def __attrs_post_init__(self) -> None:
        if self.responses == 0:
            raise InvalidValueError(
                "is empty",
                field="answers",
                value=0,
                constraint="a CSAT over no answers is undefined (not 0)",
                hint="collect at least one answer",
            )
        if self.satisfied > self.responses:
            raise InvalidValueError(
                "is larger than the responses",
                field="satisfied",
                value=self.satisfied,
                constraint=f"must be <= responses={self.responses}",
                hint="count each answer once",
            )

    @property
    def share(self) -> float:
        """Satisfied / responses, in [0, 1]."""
        return self.satisfied / self.responses

    def explain(self) -> list[str]:
        """One sentence with the share and the scale."""
        s = self.scale
        return [
            f"CSAT {self.share:.1%}: {self.satisfied} of {self.responses} answer(s) at {s.satisfied_from}-{s.high} "
            f"on a {s.low}-{s.high} scale."
        ]


def csat(answers: Iterable[int], *, scale: CsatScale = DEFAULT_CSAT_SCALE) -> Csat:
    """Share of satisfied answers (at or above ``scale.satisfied_from``).

    Raises:
        InvalidValueError: an answer off the scale (named ``answers[i]``), or no answers.

    Examples:
        >>> csat([5, 4, 3, 5, 2]).share
        0.6
    """
    _checks.instance("scale", scale, CsatScale, hint="build CsatScale(low=..., high=..., satisfied_from=...)")
    responses = satisfied = 0
    for index, value in enumerate(_checks.items("answers", answers)):
        score = _answer(f"answers[{index}]", value, scale.low, scale.high)
        responses += 1
        satisfied += score >= scale.satisfied_from
    return Csat(scale, responses, satisfied)


def _share(value: Any) -> float:
    return _checks.ratio("target", value)


@attrs.frozen
class Utilisation:
    """Seat utilisation: active seats / purchased seats.

    Above 1 means more active users than seats bought: an over-deployment and an upsell signal.

    Build it from counts, or with :func:`utilisation` over account snapshots.

    Examples:
        >>> Utilisation(7, 10).adopted, Utilisation(6, 10).adopted, Utilisation(12, 10).over_deployed
        (True, False, True)
    """

    __repr__ = readable
    active: int = attrs.field(validator=_checks.validator(_checks.count))
    purchased: int = attrs.field(validator=_checks.validator(_checks.count))
    target: float = attrs.field(default=ADOPTION_SEAT_SHARE, converter=_share)

    def __attrs_post_init__(self) -> None:
        if self.purchased == 0:
            raise InvalidValueError(
                "is zero",
                field="purchased",
                value=0,
                constraint="utilisation of no purchased seats is undefined (not 0)",
                hint="leave accounts without seats out",
            )

    @property
    def rate(self) -> float:
        """Active / purchased."""
        return self.active / self.purchased

    @property
    def adopted(self) -> bool:
        """Whether the rate reaches the adoption target (inclusive, default 70 %)."""
        return Decimal(self.active) >= Decimal(repr(self.target)) * self.purchased

    @property
    def over_deployed(self) -> bool:
        """More active users than seats purchased."""
        return self.active > self.purchased

    def explain(self) -> list[str]:
        """One sentence with the rate and the target."""
        verdict = "reaches" if self.adopted else "is below"
        return [
            f"Utilisation {self.rate:.1%} ({self.active} of {self.purchased} seat(s) active) {verdict} "
            f"the {self.target:.0%} adoption target."
        ]


def utilisation(snapshots: Iterable[AccountSnapshot], *, target: float = ADOPTION_SEAT_SHARE) -> Utilisation:
    """Seat utilisation of one or many accounts: total active seats / total purchased seats.

    For counts you already have, build :class:`Utilisation` directly (``Utilisation(active, purchased)``).

    Raises:
        InvalidTypeError: ``snapshots`` is not a collection of account snapshots.
        InvalidValueError: no seats purchased in total.

    Examples:
        >>> from datetime import date
        >>> snaps = [AccountSnapshot("a", "SMB", date(2025, 1, 1), seats_purchased=10, seats_active=9),
        ...          AccountSnapshot("b", "SMB", date(2025, 1, 1), seats_purchased=30, seats_active=15)]
        >>> portfolio = utilisation(snaps)
        >>> portfolio.rate, portfolio.adopted, utilisation(snaps[:1]).adopted
        (0.6, False, True)
    """
    if isinstance(snapshots, (int, float, AccountSnapshot)):
        raise InvalidTypeError(
            "expected a collection of account snapshots",
            field="snapshots",
            value=snapshots,
            hint="pass a list of AccountSnapshot values; for counts build Utilisation(active, purchased)",
        )
    active = purchased = 0
    for index, snap in enumerate(_checks.items("snapshots", snapshots)):
        if not isinstance(snap, AccountSnapshot):
            raise InvalidTypeError(
                "is not an AccountSnapshot",
                field=f"snapshots[{index}]",
                value=snap,
                hint="pass AccountSnapshot values; for counts build Utilisation(active, purchased)",
            )
        active += snap.seats_active
        purchased += snap.seats_purchased
    return Utilisation(active, purchased, target)
