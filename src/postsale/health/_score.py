"""What a health model produces: the score, its components, and the CSM's pulse."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date
from typing import Any

import attrs

from postsale import _checks
from postsale._errors import InvalidValueError, UnknownNameError
from postsale._frozen import freeze
from postsale._repr import readable
from postsale._vocabulary import HealthBand
from postsale.health._treatment import Freshness, PartResult, Treatment, check_result, label

__all__ = [
    "ComponentResult",
    "Freshness",
    "HealthBatch",
    "HealthScore",
    "NoHealthDataError",
    "Pulse",
    "PulseStatus",
    "ScoreFailure",
    "Treatment",
]


class NoHealthDataError(InvalidValueError):
    """No component of the health model has usable data for the account, so there is no score.

    Attributes:
        account_id: The account.
        missing: The components without data (names).

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> from postsale.health import BASIC_HEALTH_MODEL
        >>> try:
        ...     BASIC_HEALTH_MODEL.score(AccountSnapshot("blank", "SMB", date(2026, 1, 31)))
        ... except NoHealthDataError as error:
        ...     print(error.account_id, error.missing)
        blank ('product_usage', 'relationship', 'business_context', 'sentiment')
    """

    def __init__(self, account_id: str, missing: tuple[str, ...], signals: tuple[str, ...]) -> None:
        self.account_id = account_id
        self.missing = missing = _names(missing)
        super().__init__(
            f"no component has usable data (components {', '.join(missing)} are all missing, stale or excluded)",
            field="signals",
            value=account_id,
            constraint="at least one component must be scored",
            hint=f"give at least one of the signals {', '.join(_names(signals))}, or penalise missing data instead",
        )


def _names(value: object) -> tuple[str, ...]:
    """Names given to an error, as strings (an error describes what it is given, it never fails on it)."""
    if isinstance(value, (tuple, list, frozenset, set)):
        return tuple(str(item) for item in value)
    return (str(value),)


class PulseStatus(enum.Enum):
    """How a CSM's manual assessment (pulse) was used.

    Examples:
        >>> PulseStatus["EXPIRED"].value
        'expired'
    """

    COMPONENT = "component"
    """Counted as one weighted component."""
    OVERRIDE = "override"
    """Replaced the computed score (which is still reported beside it)."""
    BESIDE = "beside"
    """Only shown beside the computed score."""
    EXPIRED = "expired"
    """Past its expiry: dropped, its weight (if any) shared among the others."""


def _points(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    result = _checks.number(attribute.name, value)
    if not 0 <= result <= 100:
        raise InvalidValueError(
            "is outside 0-100", field=attribute.name, value=value, constraint="0 <= points <= 100",
            hint="pass points on the 0-100 health scale",
        )


@attrs.frozen
class Pulse:
    """A CSM's manual health assessment ("pulse"): points with author, reason and expiry.

    It is valid from ``assessed_on`` through ``expires_on`` (inclusive); on later dates it is stale and
    dropped.

    Args:
        points: The CSM's assessment on the 0-100 scale (see :meth:`from_band` to give a band).
        author: Who assessed.
        reason: Why, in one sentence.
        assessed_on: When.
        expires_on: Last date it is valid.

    Raises:
        InvalidValueError: points outside 0-100 or NaN, a blank author or reason, expiry before assessment.

    Examples:
        >>> from datetime import date
        >>> pulse = Pulse(30, author="aiko", reason="champion left", assessed_on=date(2026, 1, 10),
        ...               expires_on=date(2026, 3, 10))
        >>> pulse.is_valid_on(date(2026, 3, 10)), pulse.is_valid_on(date(2026, 3, 11))
        (True, False)
    """

    __repr__ = readable
    points: float = attrs.field(validator=_points)
    author: str = attrs.field(validator=_checks.validator(_checks.text))
    reason: str = attrs.field(validator=_checks.validator(_checks.text))
    assessed_on: date = attrs.field(validator=_checks.validator(_checks.a_date))
    expires_on: date = attrs.field(validator=_checks.validator(_checks.a_date))

    def __attrs_post_init__(self) -> None:
        if self.expires_on < self.assessed_on:
            raise InvalidValueError(
                "is before assessed_on",
                field="expires_on",
                value=self.expires_on,
                constraint=f"must be on or after assessed_on={self.assessed_on.isoformat()}",
                hint="give the last date the assessment should count",
            )

    @classmethod
    def from_band(cls, band: HealthBand, *, author: str, reason: str, assessed_on: date, expires_on: date) -> Pulse:
        """Build a pulse from a band: GREEN 85, YELLOW 55, RED 20 (mid-points of the default bands).

        Examples:
            >>> from datetime import date
            >>> Pulse.from_band(HealthBand.RED, author="aiko", reason="exec sponsor gone",
            ...                 assessed_on=date(2026, 1, 1), expires_on=date(2026, 2, 1)).points
            20.0
        """
        band = _checks.member(HealthBand, "band", band)
        if band not in BAND_PULSE_POINTS:
            raise UnknownNameError(
                "has no pulse points", field="band", value=band, constraint="one of GREEN, YELLOW, RED",
                hint="give the band the CSM assessed, or the points with Pulse(points, ...)",
            )
        return cls(
            BAND_PULSE_POINTS[band], author=author, reason=reason, assessed_on=assessed_on, expires_on=expires_on
        )

    def is_valid_on(self, as_of: date) -> bool:
        """Return whether the pulse counts on ``as_of`` (assessed by then and not expired).

        Raises:
            InvalidTypeError: ``as_of`` is not a date.
        """
        if as_of.__class__ is not date:
            _checks.a_date("as_of", as_of)
        return self.assessed_on <= as_of <= self.expires_on


BAND_PULSE_POINTS: Mapping[HealthBand, float] = freeze(
    {HealthBand.GREEN: 85.0, HealthBand.YELLOW: 55.0, HealthBand.RED: 20.0}
)
"""Points a pulse given as a band stands for: the middle of each default band (GREEN 70-100,
YELLOW 40-69, RED 0-39)."""


_NO_PARTS: tuple[PartResult, ...] = ()
"""The parts of a one-signal component's result (the one empty tuple, so the check is an identity test)."""


@attrs.frozen
class ComponentResult:
    """One component's part of a health score.

    Attributes:
        name: The component (``"product_usage"``; ``"pulse"`` for the CSM's assessment).
        signal: The signal it reads.
        input: The raw value read (``None`` when missing).
        age_days: How old the input was, when known.
        freshness: FRESH, MISSING or STALE.
        treatment: SCORED, PENALISED or EXCLUDED.
        points: Points 0-100 (``None`` when excluded).
        weight: The configured weight.
        share: Its share of the score after re-weighting (0 when excluded; shares sum to 1).
        contribution: ``share * points``: the points it adds to the score (contributions sum to the score).
        band: The band its points fall in under the model's cut-offs (``None`` when excluded).
        rule: The scoring rule applied, in words (or why the component was missing, stale or expired).
        parts: A composite component's parts, in its order (empty for a one-signal component). A composite's
            ``signal`` joins its parts' signals with ``+`` and its ``input`` is the weighted mean of its parts'
            points (``None`` when no part had data).

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> from postsale.health import BASIC_HEALTH_MODEL
        >>> snap = AccountSnapshot("acme", "SMB", date(2026, 1, 31), signals={"nps": 8, "sentiment": 60})
        >>> result = BASIC_HEALTH_MODEL.score(snap).component("relationship")
        >>> result.points, result.share, result.contribution, result.rule
        (65.0, 0.5, 32.5, '7 <= nps < 9 → 65 points')
    """

    __repr__ = readable
    name: str
    signal: str
    input: float | None
    age_days: float | None
    freshness: Freshness
    treatment: Treatment
    points: float | None
    weight: float
    share: float
    contribution: float
    band: HealthBand | None
    rule: str
    parts: tuple[PartResult, ...] = attrs.field(default=_NO_PARTS, kw_only=True)

    def __attrs_post_init__(self) -> None:
        # One cheap test of the usual types (this runs once per component of every score); the full check
        # only when it fails, to name the field and accept what the exact test is too strict for.
        if not (
            self.name.__class__ is str and self.signal.__class__ is str and self.rule.__class__ is str
            and self.freshness.__class__ is Freshness and self.treatment.__class__ is Treatment
            and self.weight.__class__ in _NUMBERS and self.share.__class__ in _NUMBERS
            and self.contribution.__class__ in _NUMBERS
            and (self.input is None or self.input.__class__ in _NUMBERS)
            and (self.points is None or self.points.__class__ in _NUMBERS)
            and (self.age_days is None or self.age_days.__class__ in _NUMBERS)
            and (self.band is None or self.band.__class__ is HealthBand)
            and (self.parts is _NO_PARTS or _parts_ok(self.parts))
        ):
            check_result(self)
            object.__setattr__(self, "parts", _checks.items("parts", self.parts, PartResult))

    def part(self, name: str) -> PartResult:
        """Return the result of part ``name`` of a composite component.

        Raises:
            UnknownNameError: no such part (the message lists the known ones).
        """
        for result in self.parts:
            if result.name == name:
                return result
        known = ", ".join(r.name for r in self.parts) or "none: a one-signal component has no parts"
        raise UnknownNameError(
            f"is not a part of component {self.name!r}", field="name", value=name, constraint=f"one of {known}",
            hint=f"pass one of {known}",
        )


_NUMBERS = (float, int)


def _parts_ok(parts: tuple[Any, ...]) -> bool:
    return parts.__class__ is tuple and all(p.__class__ is PartResult for p in parts)


def _keep_number(value: object, name: str, checked: float, given: Any) -> None:
    """Keep a number given as an int as it is, any other (a Decimal) as the float it was checked into."""
    if given.__class__ not in _NUMBERS:
        object.__setattr__(value, name, checked)


@attrs.frozen
class HealthScore:
    """An account's health on one date, with everything that made it.

    ``value`` and ``band`` are what to act on. When a CSM's pulse overrides the score,
    ``computed_value`` / ``computed_band`` still give the score computed from the data, beside it.

    Attributes:
        account_id: The account.
        as_of: The snapshot's date.
        model_name: The health model's name.
        model_version: The health model's version.
        value: The health score, 0-100.
        band: Its band.
        computed_value: The score computed from the components (equals ``value`` unless overridden).
        computed_band: Its band (RED when the any-RED rule forced it).
        components: Every component's result, in model order (the pulse last when given).
        coverage: Share of the model's component weight that had fresh data (0-1).
        forced_red_by: Components whose RED band forced the whole RED (any-RED rule), if any.
        pulse: The CSM's pulse given with the snapshot, if any.
        pulse_status: How the pulse was used.
        parent_id: The account's parent, for roll-ups.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> from postsale.health import BASIC_HEALTH_MODEL
        >>> score = BASIC_HEALTH_MODEL.score(AccountSnapshot("acme", "SMB", date(2026, 1, 31),
        ...                                                    signals={"nps": 9, "sentiment": 50}))
        >>> score.value, score.band.name, score.coverage
        (75.0, 'GREEN', 0.5)
    """

    __repr__ = readable
    account_id: str
    as_of: date
    model_name: str
    model_version: str
    value: float = attrs.field(validator=_points)
    band: HealthBand
    computed_value: float = attrs.field(validator=_points)
    computed_band: HealthBand
    components: tuple[ComponentResult, ...]
    coverage: float = attrs.field(validator=_checks.validator(_checks.ratio))
    forced_red_by: tuple[str, ...] = ()
    pulse: Pulse | None = None
    pulse_status: PulseStatus | None = None
    parent_id: str | None = None

    def __attrs_post_init__(self) -> None:
        # As for ComponentResult: one cheap test, the full check only when it fails.
        if not (
            self.value.__class__ in _NUMBERS and self.computed_value.__class__ in _NUMBERS
            and self.coverage.__class__ in _NUMBERS
            and self.account_id.__class__ is str and self.as_of.__class__ is date and self.model_name.__class__ is str
            and self.model_version.__class__ is str and self.band.__class__ is HealthBand
            and self.computed_band.__class__ is HealthBand and self.components.__class__ is tuple
            and all(c.__class__ is ComponentResult for c in self.components)
            and self.forced_red_by.__class__ is tuple and all(n.__class__ is str for n in self.forced_red_by)
            and (self.pulse is None or self.pulse.__class__ is Pulse)
            and (self.pulse_status is None or self.pulse_status.__class__ is PulseStatus)
            and (self.parent_id is None or self.parent_id.__class__ is str)
        ):
            _check_score(self)

    @property
    def overridden(self) -> bool:
        """Whether a CSM's pulse replaced the computed score."""
        return self.pulse_status is PulseStatus.OVERRIDE

    def component(self, name: str) -> ComponentResult:
        """Return the result of component ``name``.

        Raises:
            UnknownNameError: no such component (the message lists the known ones).
        """
        for result in self.components:
            if result.name == name:
                return result
        known = ", ".join(r.name for r in self.components)
        raise UnknownNameError(
            "is not a component of this score", field="name", value=name, constraint=f"one of {known}",
            hint=f"pass one of {known}",
        )

    def drivers(self) -> tuple[ComponentResult, ...]:
        """Return the components that entered the score, the most influential first.

        Influence is ``share * |points - value|``: how far the component pulled the score up or down.
        """
        used = [r for r in self.components if r.points is not None]
        return tuple(sorted(used, key=lambda r: -r.share * abs(r.points - self.computed_value)))  # type: ignore[operator]

    def explain(self) -> list[str]:
        """Return plain sentences: the score, what drove it, what was missing, and any pulse.

        Examples:
            >>> from datetime import date
            >>> from postsale import AccountSnapshot
            >>> from postsale.health import BASIC_HEALTH_MODEL
            >>> snap = AccountSnapshot("acme", "SMB", date(2026, 1, 31), seats_purchased=10, seats_active=8,
            ...                        signals={"nps": 6, "sentiment": 70})
            >>> for line in BASIC_HEALTH_MODEL.score(snap).explain():
            ...     print(line)
            Health 65.0 (YELLOW) for acme on 2026-01-31, model postsale-basic v1.
            Relationship pulled it down: nps = 6, rule 0 <= nps < 7 → 25 points; share 33.3%, contributing 8.3 points.
            Product usage held it up: seat_utilisation = 0.8, rule seat_utilisation >= 0.7 → 100 points; ...
            Sentiment held it up: sentiment = 70, rule sentiment → 70 points; share 33.3%, contributing 23.3 points.
            Business context was left out: no 'business_context' signal; its weight was shared among the others.
            Data covered 75% of the model's weight.
        """
        lines = [
            f"Health {self.value:.1f} ({self.band.name}) for {self.account_id} on {self.as_of.isoformat()}, "
            f"model {self.model_name} v{self.model_version}."
        ]
        if self.overridden:
            lines.append(
                f"This is the CSM's assessment; computed from the data it would be "
                f"{self.computed_value:.1f} ({self.computed_band.name})."
            )
        for result in self.drivers():
            lines.append(_driver_sentence(result, self.computed_value))
            lines.extend(_part_sentences(result))
        for result in self.components:
            if result.points is None:
                lines.append(_absent_sentence(result))
                lines.extend(_part_sentences(result))
        if self.coverage < 1:
            lines.append(f"Data covered {self.coverage:.0%} of the model's weight.")
        if self.forced_red_by:
            lines.append(
                f"Band forced to RED (computed {HealthBand.of(self.computed_value).name} at "
                f"{self.computed_value:.1f}) because {', '.join(self.forced_red_by)} scored RED; "
                "rule: any RED component makes the whole RED."
            )
        if self.pulse is not None:
            lines.append(_pulse_sentence(self.pulse, self.pulse_status))
        return lines


def _check_score(score: HealthScore) -> None:
    for name in ("value", "computed_value", "coverage"):  # checked by their validators; kept as floats
        _keep_number(score, name, _checks.number(name, getattr(score, name)), getattr(score, name))
    _checks.text("account_id", score.account_id)
    _checks.a_date("as_of", score.as_of)
    _checks.instance("model_name", score.model_name, str)
    _checks.instance("model_version", score.model_version, str)
    for name in ("band", "computed_band"):
        object.__setattr__(score, name, _checks.member(HealthBand, name, getattr(score, name)))
    object.__setattr__(score, "components", _checks.items("components", score.components, ComponentResult))
    object.__setattr__(score, "forced_red_by", _checks.items("forced_red_by", score.forced_red_by, str))
    if score.pulse is not None:
        _checks.instance("pulse", score.pulse, Pulse)
    if score.pulse_status is not None:
        object.__setattr__(score, "pulse_status", _checks.member(PulseStatus, "pulse_status", score.pulse_status))
    if score.parent_id is not None:
        _checks.text("parent_id", score.parent_id)


@attrs.frozen
class ScoreFailure:
    """One account that could not be scored in a batch, and why.

    Attributes:
        index: Its position in the batch.
        account_id: The account (``"#<index>"`` when the item was not a snapshot).
        error: The error's class name (``"InvalidValueError"``).
        field: The offending field or signal, when known.
        message: The full error message.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> from postsale.health import BASIC_HEALTH_MODEL
        >>> batch = BASIC_HEALTH_MODEL.score_many([AccountSnapshot("x", "SMB", date(2026, 1, 31),
        ...                                                          signals={"nps": 45})])
        >>> failure = batch.failures[0]
        >>> failure.index, failure.account_id, failure.error, failure.field
        (0, 'x', 'InvalidValueError', "signals['nps']")
    """

    __repr__ = readable
    index: int = attrs.field(validator=_checks.validator(_checks.count))
    account_id: str = attrs.field(validator=_checks.validator(_checks.text))
    error: str = attrs.field(validator=_checks.validator(_checks.text))
    field: str | None = attrs.field(validator=_checks.optional_validator(_checks.text))
    message: str = attrs.field(validator=_checks.validator(lambda f, v: _checks.instance(f, v, str)))


def _to_scores(value: Any) -> tuple[HealthScore, ...]:
    return _checks.items("scores", value, HealthScore)


def _to_failures(value: Any) -> tuple[ScoreFailure, ...]:
    return _checks.items("failures", value, ScoreFailure)


@attrs.frozen
class HealthBatch:
    """The scores of many accounts; the ones that failed are listed, never silently dropped.

    Attributes:
        scores: The scores, in input order (failed accounts skipped).
        failures: One entry per account that could not be scored.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> from postsale.health import BASIC_HEALTH_MODEL
        >>> batch = BASIC_HEALTH_MODEL.score_many([
        ...     AccountSnapshot("a", "SMB", date(2026, 1, 31), signals={"sentiment": 80}),
        ...     AccountSnapshot("b", "SMB", date(2026, 1, 31)),
        ... ])
        >>> batch.ok, [s.account_id for s in batch.scores], [f.account_id for f in batch.failures]
        (False, ['a'], ['b'])
    """

    __repr__ = readable
    scores: tuple[HealthScore, ...] = attrs.field(converter=_to_scores)
    failures: tuple[ScoreFailure, ...] = attrs.field(
        default=(), converter=_to_failures
    )

    @property
    def ok(self) -> bool:
        """Whether every account was scored."""
        return not self.failures


def _label(name: str) -> str:
    return label(name)


def _driver_sentence(result: ComponentResult, value: float) -> str:
    points = result.points if result.points is not None else 0.0
    if result.treatment is Treatment.PENALISED:
        head = f"{_label(result.name)} was penalised ({result.rule}): {points:g} points"
    else:
        verb = "pulled it down" if points < value else "held it up" if points > value else "matched it"
        read = result.rule if result.parts else f"{result.signal} = {result.input:g}, rule {result.rule}"
        head = f"{_label(result.name)} {verb}: {read}"
    return f"{head}; share {result.share:.1%}, contributing {result.contribution:.1f} points."


def _part_sentences(result: ComponentResult) -> list[str]:
    """One indented line per part of a composite component (none for a one-signal component)."""
    name = result.name.replace("_", " ")
    return [f"  {part.describe(name)}" for part in result.parts]


def _absent_sentence(result: ComponentResult) -> str:
    return f"{_label(result.name)} was left out: {result.rule}; its weight was shared among the others."


def _pulse_sentence(pulse: Pulse, status: PulseStatus | None) -> str:
    head = (
        f"CSM assessment by {pulse.author} on {pulse.assessed_on.isoformat()}: {pulse.points:g} points "
        f"(\"{pulse.reason}\", valid through {pulse.expires_on.isoformat()})"
    )
    tail = {
        PulseStatus.COMPONENT: "counted as a component",
        PulseStatus.OVERRIDE: "overrides the computed score",
        PulseStatus.BESIDE: "shown beside the computed score, not counted",
        PulseStatus.EXPIRED: "expired, so dropped",
        None: "not used",
    }[status]
    return f"{head}: {tail}."
