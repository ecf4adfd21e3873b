"""Health models: weighted components, missing-data policy, bands, the CSM pulse (domain-spec §4)."""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Final

import attrs

from postsale import _checks, signals
from postsale._errors import InvalidTypeError, InvalidValueError, PostsaleError, UnknownNameError
from postsale._vocabulary import AccountSnapshot, HealthBand
from postsale.health._problems import Problems
from postsale.health._score import (
    ComponentResult,
    Freshness,
    HealthBatch,
    HealthScore,
    NoHealthDataError,
    Pulse,
    PulseStatus,
    ScoreFailure,
    Treatment,
)
from postsale.health._scoring import (
    MAX_POINTS,
    MIN_POINTS,
    Band,
    Bands,
    BoundedLinear,
    Linear,
    Scoring,
    _bands_problems,
    _bounded_problems,
    _linear_problems,
)

__all__ = [
    "AGE_SUFFIX",
    "DEFAULT_HEALTH_MODEL",
    "GREEN_FROM",
    "PULSE",
    "YELLOW_FROM",
    "Component",
    "HealthModel",
    "MissingAction",
    "MissingData",
    "PulseMode",
    "PulsePolicy",
    "ScoreBands",
]

GREEN_FROM: Final = 70.0
"""Default lower end (inclusive) of GREEN on the 0-100 scale (domain-spec §4.2, A-4; DESIGN.md)."""
YELLOW_FROM: Final = 40.0
"""Default lower end (inclusive) of YELLOW; below it is RED (domain-spec §4.2, A-4; DESIGN.md)."""
PULSE: Final = "pulse"
"""The component name the CSM's pulse takes in a score (reserved: no model component may use it)."""
AGE_SUFFIX: Final = "_age_days"
"""A snapshot signal ``<signal>_age_days`` gives the age in days of ``<signal>`` (see :meth:`HealthModel.score`)."""


@attrs.frozen
class ScoreBands:
    """Cut-offs of the overall score: GREEN >= ``green_from``, YELLOW >= ``yellow_from``, else RED.

    Both cut-offs are inclusive lower ends, so the bands never gap or overlap: with the defaults GREEN is
    [70, 100], YELLOW [40, 70) ("40-69"), RED [0, 40) (domain-spec §4.2, A-4).

    Raises:
        DefinitionError: unless 0 < yellow_from < green_from <= 100.

    Examples:
        >>> ScoreBands().band(69.9), ScoreBands().band(70)
        (<HealthBand.YELLOW: 2>, <HealthBand.GREEN: 3>)
    """

    green_from: float = attrs.field(default=GREEN_FROM, kw_only=True)
    yellow_from: float = attrs.field(default=YELLOW_FROM, kw_only=True)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _score_bands_problems(self, "", problems)
        problems.raise_if_any("score bands", "pass 0 < yellow_from < green_from <= 100")

    def band(self, value: float) -> HealthBand:
        """Return the band of a 0-100 value."""
        return HealthBand.of(value, green_from=self.green_from, yellow_from=self.yellow_from)

    def describe(self) -> str:
        """Return the bands in words."""
        return (
            f"GREEN >= {self.green_from:g}, YELLOW {self.yellow_from:g} to < {self.green_from:g}, "
            f"RED < {self.yellow_from:g}"
        )


def _score_bands_problems(bands: ScoreBands, prefix: str, problems: Problems) -> None:
    green = problems.number(f"{prefix}green_from", bands.green_from, low=MIN_POINTS, high=MAX_POINTS)
    yellow = problems.number(f"{prefix}yellow_from", bands.yellow_from, low=MIN_POINTS, high=MAX_POINTS)
    if yellow and bands.yellow_from <= 0:
        problems.add(f"{prefix}yellow_from", "must be above 0, or RED could never happen")
    if green and yellow and bands.yellow_from >= bands.green_from:
        problems.add(
            f"{prefix}yellow_from",
            f"{bands.yellow_from!r} is not below green_from={bands.green_from!r}; YELLOW would be empty",
        )


class MissingAction(enum.Enum):
    """What a component does when its signal is missing or stale."""

    EXCLUDE = "exclude"
    """Leave it out and share its weight among the components that have data."""
    PENALISE = "penalise"
    """Score it at the policy's ``penalty_points`` (no data is itself a warning sign)."""


@attrs.frozen
class MissingData:
    """A component's missing-data policy: what to do without a (recent enough) signal.

    Args:
        action: EXCLUDE (re-weight the others) or PENALISE (score ``penalty_points``).
        penalty_points: Points when penalised (0-100; default 0).
        stale_after_days: Treat the signal as missing once it is older than this many days
            (``None``: never stale). A signal exactly ``stale_after_days`` old is still fresh.

    Raises:
        DefinitionError: points outside 0-100, a negative or non-integer day count.

    Examples:
        >>> MissingData(action=MissingAction.PENALISE, penalty_points=20, stale_after_days=30).is_stale(31)
        True
    """

    action: MissingAction = attrs.field(default=MissingAction.EXCLUDE, kw_only=True)
    penalty_points: float = attrs.field(default=MIN_POINTS, kw_only=True)
    stale_after_days: int | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _missing_problems(self, "", problems)
        problems.raise_if_any("missing-data policy", "pass an action, penalty points in 0-100 and days >= 0")

    def is_stale(self, age_days: float | None) -> bool:
        """Return whether a signal ``age_days`` old is stale under this policy."""
        return self.stale_after_days is not None and age_days is not None and age_days > self.stale_after_days


def _missing_problems(policy: MissingData, prefix: str, problems: Problems) -> None:
    if not isinstance(policy.action, MissingAction):
        problems.add(f"{prefix}action", f"expected EXCLUDE or PENALISE, got {policy.action!r}")
    problems.number(f"{prefix}penalty_points", policy.penalty_points, low=MIN_POINTS, high=MAX_POINTS)
    days = policy.stale_after_days
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 0):
        problems.add(f"{prefix}stale_after_days", f"expected a whole number of days >= 0 or null, got {days!r}")


class PulseMode(enum.Enum):
    """How a model uses a CSM's manual assessment (pulse)."""

    BESIDE = "beside"
    """Show it beside the computed score; it changes nothing."""
    COMPONENT = "component"
    """Count it as one more component with the policy's weight while it is valid."""
    OVERRIDE = "override"
    """Let it replace the score while it is valid; the computed score is still reported."""


@attrs.frozen
class PulsePolicy:
    """How a health model uses the CSM's pulse.

    Args:
        mode: BESIDE, COMPONENT or OVERRIDE.
        weight: The pulse's weight in COMPONENT mode (relative to the components' weights).

    Raises:
        DefinitionError: a weight that is not a positive finite number.
    """

    mode: PulseMode = attrs.field(default=PulseMode.BESIDE, kw_only=True)
    weight: float = attrs.field(default=0.25, kw_only=True)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _pulse_policy_problems(self, "", problems)
        problems.raise_if_any("pulse policy", "pass a mode and a positive weight")


def _pulse_policy_problems(policy: PulsePolicy, prefix: str, problems: Problems) -> None:
    if not isinstance(policy.mode, PulseMode):
        problems.add(f"{prefix}mode", f"expected BESIDE, COMPONENT or OVERRIDE, got {policy.mode!r}")
    problems.positive(f"{prefix}weight", policy.weight)


@attrs.frozen
class Component:
    """One weighted component of a health model: a signal, how it scores, and what to do without it.

    Args:
        name: The component's name (``"product_usage"``), unique in its model.
        signal: The snapshot signal it reads (any name; derived ones such as ``seat_utilisation`` too).
        scoring: :class:`Bands`, :class:`Linear` or :class:`BoundedLinear`.
        weight: Its weight, > 0. Weights are relative: they are normalised over the components that
            enter a score, so 0.25 x 4 and 1 x 4 mean the same.
        missing: Its missing-data policy (default: exclude and re-weight, never stale).

    Raises:
        DefinitionError: every problem at once (blank names, a weight <= 0 or NaN, a bad scoring).
    """

    name: str
    signal: str
    scoring: Scoring
    weight: float
    missing: MissingData = attrs.field(factory=MissingData, kw_only=True)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _component_problems(self, "", problems)
        problems.raise_if_any(f"component {self.name!r}", "fix the fields listed")

    def points(self, value: float) -> float:
        """Return the points of raw ``value`` under this component's scoring.

        Raises:
            InvalidValueError: NaN, or a value the scoring refuses (outside every band, off the linear scale).
        """
        return self.scoring.points(value, field=f"signals[{self.signal!r}]")


def _component_problems(component: Component, prefix: str, problems: Problems) -> None:
    problems.text(f"{prefix}name", component.name)
    problems.text(f"{prefix}signal", component.signal)
    problems.positive(f"{prefix}weight", component.weight)
    scoring = component.scoring
    if isinstance(scoring, Bands):
        _bands_problems(scoring, f"{prefix}scoring.", problems)
    elif isinstance(scoring, Linear):
        _linear_problems(scoring, f"{prefix}scoring.", problems)
    elif isinstance(scoring, BoundedLinear):
        _bounded_problems(scoring, f"{prefix}scoring.", problems)
    else:
        problems.add(f"{prefix}scoring", f"expected Bands, Linear or BoundedLinear, got {type(scoring).__name__}")
    if isinstance(component.missing, MissingData):
        _missing_problems(component.missing, f"{prefix}missing.", problems)
    else:
        problems.add(f"{prefix}missing", f"expected MissingData, got {type(component.missing).__name__}")


def _component_tuple(value: Iterable[Component]) -> tuple[Component, ...]:
    return _checks.items("components", value)  # bad items are reported with every other problem (DefinitionError)


@attrs.frozen
class HealthModel:
    """A weighted, banded health model (domain-spec §4; DESIGN.md "health").

    The score is the weighted mean of the components' points over the components that enter it
    (missing or stale ones are excluded and their weight shared, or penalised, per component). Plain
    data: it round-trips through :func:`postsale.to_data` / :func:`postsale.from_data`.

    Args:
        components: The components, in display order.
        name: The model's name.
        version: The model's version (scores carry it).
        bands: Cut-offs of the overall score (default GREEN >= 70, YELLOW 40-69, RED < 40).
        red_component_makes_red: When true, any scored component whose points are RED makes the whole RED.
        pulse: How a CSM's pulse is used (default: shown beside, not counted).

    Raises:
        DefinitionError: every problem at once, with paths (``components[2].weight``): no components,
            duplicate names, the reserved name ``"pulse"``, a bad component, bad bands or pulse policy.
    """

    components: tuple[Component, ...] = attrs.field(converter=_component_tuple)
    name: str
    version: str
    bands: ScoreBands = attrs.field(factory=ScoreBands, kw_only=True)
    red_component_makes_red: bool = attrs.field(default=False, kw_only=True)
    pulse: PulsePolicy = attrs.field(factory=PulsePolicy, kw_only=True)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        problems.text("name", self.name)
        problems.text("version", self.version)
        if not self.components:
            problems.add("components", "no components; give at least one")
        seen: dict[str, int] = {}
        for i, component in enumerate(self.components):
            here = f"components[{i}]"
            if not isinstance(component, Component):
                problems.add(here, f"expected a Component, got {type(component).__name__}")
                continue
            _component_problems(component, f"{here}.", problems)
            if component.name == PULSE:
                problems.add(f"{here}.name", f"'{PULSE}' is reserved for the CSM's pulse; choose another name")
            elif component.name in seen:
                problems.add(f"{here}.name", f"duplicates components[{seen[component.name]}].name {component.name!r}")
            seen.setdefault(component.name, i)
        if isinstance(self.bands, ScoreBands):
            _score_bands_problems(self.bands, "bands.", problems)
        else:
            problems.add("bands", f"expected ScoreBands, got {type(self.bands).__name__}")
        if not isinstance(self.red_component_makes_red, bool):
            problems.add("red_component_makes_red", f"expected true or false, got {self.red_component_makes_red!r}")
        if isinstance(self.pulse, PulsePolicy):
            _pulse_policy_problems(self.pulse, "pulse.", problems)
        else:
            problems.add("pulse", f"expected PulsePolicy, got {type(self.pulse).__name__}")
        problems.raise_if_any(f"health model {self.name!r}", "fix every field listed, then build the model again")

    @property
    def signals(self) -> tuple[str, ...]:
        """The signals the components read, in component order."""
        return tuple(c.signal for c in self.components)

    def component(self, name: str) -> Component:
        """Return the component called ``name``.

        Raises:
            UnknownNameError: no such component.
        """
        for component in self.components:
            if component.name == name:
                return component
        known = ", ".join(c.name for c in self.components)
        raise UnknownNameError(
            "is not a component of this model", field="name", value=name, constraint=f"one of {known}",
            hint=f"pass one of {known}",
        )

    def score(
        self,
        snapshot: AccountSnapshot,
        *,
        pulse: Pulse | None = None,
        observed: Mapping[str, date] | None = None,
    ) -> HealthScore:
        """Score one account snapshot.

        A component's input is ``snapshot.evidence()[component.signal]`` (derived signals such as
        ``seat_utilisation`` included). Its age in days, used for staleness, is
        ``snapshot.as_of - observed[signal]`` when ``observed`` has the signal, else the snapshot signal
        ``<signal>_age_days`` when present, else unknown (treated as fresh).

        Args:
            snapshot: The account on one date.
            pulse: The CSM's current manual assessment, if any (valid on ``snapshot.as_of`` or expired).
            observed: Date each signal was last observed, by signal name (optional).

        Returns:
            The score, with every component's input, points, share and contribution.

        Raises:
            InvalidTypeError: ``snapshot`` is not an AccountSnapshot, or ``pulse`` not a Pulse.
            InvalidValueError: a signal the scoring refuses (outside every band, off a linear scale), an
                observation date after ``as_of``, a negative age, a pulse assessed after ``as_of``.
            NoHealthDataError: no component has usable data.
        """
        if not isinstance(snapshot, AccountSnapshot):
            raise InvalidTypeError(
                "expected an AccountSnapshot", field="snapshot", value=snapshot,
                hint="build one with AccountSnapshot(...)",
            )
        as_of = snapshot.as_of
        evidence = snapshot.evidence()
        ages = _ages(as_of, evidence, observed, self.signals)
        rows: list[_Row] = [_component_row(c, evidence.get(c.signal), ages.get(c.signal)) for c in self.components]
        pulse_status = _pulse_status(pulse, as_of, self.pulse.mode)
        if pulse is not None and self.pulse.mode is PulseMode.COMPONENT:
            rows.append(_pulse_row(pulse, as_of, self.pulse.weight, valid=pulse_status is PulseStatus.COMPONENT))
        total = math.fsum(r.weight for r in rows if r.points is not None)
        if total == 0:
            raise NoHealthDataError(snapshot.account_id, tuple(r.name for r in rows), self.signals)
        computed = math.fsum(r.weight * r.points for r in rows if r.points is not None) / total
        computed = min(MAX_POINTS, max(MIN_POINTS, computed))
        bands = self.bands
        results = tuple(r.result(total, bands) for r in rows)
        forced: tuple[str, ...] = ()
        computed_band = bands.band(computed)
        if self.red_component_makes_red:
            forced = tuple(
                r.name for r in results if r.treatment is Treatment.SCORED and r.band is HealthBand.RED
            )
            if forced and computed_band is not HealthBand.RED:
                computed_band = HealthBand.RED
            else:
                forced = ()
        value, band = computed, computed_band
        if pulse is not None and pulse_status is PulseStatus.OVERRIDE:
            value, band = float(pulse.points), bands.band(pulse.points)
        model_weight = math.fsum(c.weight for c in self.components)
        fresh_weight = math.fsum(r.weight for r in rows[: len(self.components)] if r.freshness is Freshness.FRESH)
        return HealthScore(
            account_id=snapshot.account_id,
            as_of=as_of,
            model_name=self.name,
            model_version=self.version,
            value=value,
            band=band,
            computed_value=computed,
            computed_band=computed_band,
            components=results,
            coverage=min(1.0, fresh_weight / model_weight),
            forced_red_by=forced,
            pulse=pulse,
            pulse_status=pulse_status,
            parent_id=snapshot.parent_id,
        )

    def score_many(
        self,
        snapshots: Iterable[AccountSnapshot],
        *,
        pulses: Mapping[str, Pulse] | None = None,
        observed: Mapping[str, Mapping[str, date]] | None = None,
    ) -> HealthBatch:
        """Score many accounts; one bad account never stops the others (domain-spec §4; issue "bad input").

        Args:
            snapshots: The snapshots to score.
            pulses: Each account's current pulse, by account id.
            observed: Each account's signal observation dates, by account id.

        Returns:
            The scores in input order and a failure (with the error's field and message) per account
            that raised a :class:`~postsale.PostsaleError`.
        """
        pulses = pulses or {}
        observed = observed or {}
        scores: list[HealthScore] = []
        failures: list[ScoreFailure] = []
        for i, snapshot in enumerate(snapshots):
            account_id = snapshot.account_id if isinstance(snapshot, AccountSnapshot) else f"#{i}"
            try:
                scores.append(self.score(snapshot, pulse=pulses.get(account_id), observed=observed.get(account_id)))
            except PostsaleError as exc:
                failures.append(ScoreFailure(i, account_id, type(exc).__name__, exc.field, str(exc)))
        return HealthBatch(tuple(scores), tuple(failures))


@attrs.define
class _Row:
    """A component's result before the shares are known (private, short-lived, so not frozen)."""

    name: str
    signal: str
    input: float | None
    age_days: float | None
    freshness: Freshness
    treatment: Treatment
    points: float | None
    weight: float
    rule: str

    def result(self, total: float, bands: ScoreBands) -> ComponentResult:
        share = self.weight / total if self.points is not None else 0.0
        return ComponentResult(
            name=self.name,
            signal=self.signal,
            input=self.input,
            age_days=self.age_days,
            freshness=self.freshness,
            treatment=self.treatment,
            points=self.points,
            weight=self.weight,
            share=share,
            contribution=share * self.points if self.points is not None else 0.0,
            band=None if self.points is None else bands.band(self.points),
            rule=self.rule,
        )


def _ages(
    as_of: date, evidence: Mapping[str, float], observed: Mapping[str, date] | None, wanted: tuple[str, ...]
) -> dict[str, float]:
    ages: dict[str, float] = {}
    for signal in wanted:
        age = evidence.get(signal + AGE_SUFFIX)
        if age is not None:
            ages[signal] = _checks.non_negative(f"signals[{signal + AGE_SUFFIX!r}]", age)
    if observed is None:
        return ages
    if not isinstance(observed, Mapping):
        raise InvalidValueError(
            "must be a mapping of signal names to dates", field="observed", value=observed,
            hint='pass {"nps": date(2026, 1, 5)}',
        )
    for signal, when in observed.items():
        field = f"observed[{signal!r}]"
        _checks.a_date(field, when)
        if when > as_of:
            raise InvalidValueError(
                "is after the snapshot date", field=field, value=when,
                constraint=f"must be on or before as_of={as_of.isoformat()}",
                hint="pass the date the signal was last observed, not a future one",
            )
        ages[signal] = float((as_of - when).days)
    return ages


def _component_row(component: Component, raw: float | None, age: float | None) -> _Row:
    policy = component.missing
    if raw is None:
        freshness, reason = Freshness.MISSING, f"no '{component.signal}' signal"
    elif policy.is_stale(age):
        freshness = Freshness.STALE
        reason = f"'{component.signal}' is stale ({age:g} days old, stale after {policy.stale_after_days} days)"
    else:
        points = component.points(raw)
        return _Row(
            component.name, component.signal, raw, age, Freshness.FRESH, Treatment.SCORED, points,
            component.weight, component.scoring.describe(raw, component.signal),
        )
    if policy.action is MissingAction.PENALISE:
        return _Row(
            component.name, component.signal, raw, age, freshness, Treatment.PENALISED,
            float(policy.penalty_points), component.weight, reason,
        )
    return _Row(
        component.name, component.signal, raw, age, freshness, Treatment.EXCLUDED, None, component.weight, reason
    )


def _pulse_status(pulse: Pulse | None, as_of: date, mode: PulseMode) -> PulseStatus | None:
    if pulse is None:
        return None
    if not isinstance(pulse, Pulse):
        raise InvalidTypeError("expected a Pulse", field="pulse", value=pulse, hint="build one with Pulse(...)")
    if pulse.assessed_on > as_of:
        raise InvalidValueError(
            "is after the snapshot date", field="pulse.assessed_on", value=pulse.assessed_on,
            constraint=f"a pulse must be assessed on or before as_of={as_of.isoformat()}",
            hint="pass the pulse that was current on the snapshot's date",
        )
    if as_of > pulse.expires_on:
        return PulseStatus.EXPIRED
    return {PulseMode.BESIDE: PulseStatus.BESIDE, PulseMode.COMPONENT: PulseStatus.COMPONENT,
            PulseMode.OVERRIDE: PulseStatus.OVERRIDE}[mode]


def _pulse_row(pulse: Pulse, as_of: date, weight: float, *, valid: bool) -> _Row:
    age = float((as_of - pulse.assessed_on).days)
    if valid:
        return _Row(PULSE, PULSE, float(pulse.points), age, Freshness.FRESH, Treatment.SCORED, float(pulse.points),
                    weight, f"CSM assessment by {pulse.author} → {pulse.points:g} points")
    return _Row(PULSE, PULSE, float(pulse.points), age, Freshness.STALE, Treatment.EXCLUDED, None, weight,
                f"the CSM assessment by {pulse.author} expired on {pulse.expires_on.isoformat()}")


# ---- the default model, domain-spec §4.1 PROPOSAL ----------------------------------------------------

DEFAULT_COMPONENT_WEIGHT: Final = 0.25
"""Equal weight of each default component (domain-spec §4.1 PROPOSAL)."""
QUARTER_DAYS: Final = 90
"""A relationship, business-context or sentiment reading older than one quarterly review cycle
(domain-spec §5.6: QBR every 90 days) is stale in the default model."""
ACTIVE_WINDOW_DAYS: Final = 30
"""Usage older than the 30-day "active" window (domain-spec A-26) is stale in the default model."""

SEAT_UTILISATION_BANDS: Final = Bands.thresholds(below=15, at_least=[(0.30, 45), (0.50, 65), (0.70, 100)])
"""Seat utilisation: >= 70 % of purchased seats active meets the adoption target (domain-spec §1.3, A-26)
→ 100; 50-70 % → 65; 30-50 % → 45; < 30 % → 15."""
NPS_BANDS: Final = Bands(
    (
        Band(25, 0, 7),
        Band(65, 7, 9),
        Band(100, 9, 10, upper_inclusive=True),
    )
)
"""NPS answer 0-10: promoters 9-10 → 100 (domain-spec §11 NPS_PROMOTER), passives 7-8 → 65,
detractors 0-6 → 25; anything outside 0-10 is refused (a 0-100 survey scale by mistake)."""

DEFAULT_HEALTH_MODEL: Final = HealthModel(
    (
        Component(
            "product_usage",
            signals.SEAT_UTILISATION,
            SEAT_UTILISATION_BANDS,
            weight=DEFAULT_COMPONENT_WEIGHT,
            missing=MissingData(stale_after_days=ACTIVE_WINDOW_DAYS),
        ),
        Component(
            "relationship",
            signals.NPS,
            NPS_BANDS,
            weight=DEFAULT_COMPONENT_WEIGHT,
            missing=MissingData(stale_after_days=QUARTER_DAYS),
        ),
        Component(
            "business_context",
            signals.BUSINESS_CONTEXT,
            Linear(slope=1.0),
            weight=DEFAULT_COMPONENT_WEIGHT,
            missing=MissingData(stale_after_days=QUARTER_DAYS),
        ),
        Component(
            "sentiment",
            signals.SENTIMENT,
            Linear(slope=1.0),
            weight=DEFAULT_COMPONENT_WEIGHT,
            missing=MissingData(stale_after_days=QUARTER_DAYS),
        ),
    ),
    name="postsale-default",
    version="1",
    pulse=PulsePolicy(mode=PulseMode.COMPONENT, weight=DEFAULT_COMPONENT_WEIGHT),
)
"""The default health model (domain-spec §4.1 PROPOSAL, §4.2, A-4): four components with equal weights 0.25.

* ``product_usage`` reads ``seat_utilisation`` through :data:`SEAT_UTILISATION_BANDS`; stale after 30 days.
* ``relationship`` reads ``nps`` (0-10) through :data:`NPS_BANDS`; stale after 90 days.
* ``business_context`` reads ``business_context`` (0-100) linearly; stale after 90 days.
* ``sentiment`` reads ``sentiment`` (0-100) linearly; stale after 90 days.

Missing or stale components are excluded and their weight shared. Bands GREEN >= 70, YELLOW 40-69, RED < 40.
A valid CSM pulse counts as a fifth component of weight 0.25 and is dropped once expired.
"""

