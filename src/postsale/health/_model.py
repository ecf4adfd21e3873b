"""Health models: the weighted score of one account (``score``) and of a whole frame (``expr``)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date
from functools import reduce
from typing import TYPE_CHECKING, Final, NamedTuple

import attrs

from postsale import _checks
from postsale._columnar import an_env, an_expr, decision
from postsale._errors import InvalidTypeError, InvalidValueError, PostsaleError, UnknownNameError
from postsale._frozen import EMPTY
from postsale._repr import readable
from postsale._vocabulary import AccountSnapshot, HealthBand
from postsale.health._bands import DEFAULT_BAND_POLICY, BandPolicy, band_policy_problems
from postsale.health._component import (
    AGE_SUFFIX,
    PULSE,
    Component,
    PulseMode,
    PulsePolicy,
    _component_problems,
    _pulse_policy_problems,
    enter,
    read_and_treat,
    stale_rule,
)
from postsale.health._composite import (
    Composite,
    _composite_problems,
    _reciprocal,
    _sum,
    composite_points,
    coverage,
    describe,
    weighted_mean,
)
from postsale.health._problems import Problems
from postsale.health._score import (
    ComponentResult,
    HealthBatch,
    HealthScore,
    NoHealthDataError,
    Pulse,
    PulseStatus,
    ScoreFailure,
)
from postsale.health._scoring import MAX_POINTS, MIN_POINTS, BoundedLinear
from postsale.health._treatment import Freshness, PartResult, Treatment

if TYPE_CHECKING:  # pragma: no cover - typing only
    from narwhals.stable.v2 import Expr

    from postsale._columnar import Env

__all__ = ["HealthExprs", "HealthModel", "Refusal"]


class Refusal(NamedTuple):
    """Rows the scalar path refuses, as an expression: the column, where (Boolean, never null), and the words."""

    column: str
    bad: Expr
    reason: str


class HealthExprs(NamedTuple):
    """What :meth:`HealthModel.expr` returns: the columnar forms of a score."""

    score: Expr
    """The score (Float64): :attr:`HealthScore.value`; null exactly where ``score`` raises NoHealthDataError."""
    band: Expr
    """The score's band name (String): :attr:`HealthScore.band` (no history, the any-RED rule applied)."""
    components: dict[str, Expr]
    """The points of each component by name (Float64; null = excluded), as :attr:`ComponentResult.points`."""
    refused: tuple[Refusal, ...]
    """Where ``score`` raises InvalidValueError (a value a scoring refuses, a negative age); report such rows
    (their score is not meaningful)."""
    parts: Mapping[str, Expr] = EMPTY
    """The points of each part of a composite component by ``"<component>.<part>"`` (Float64; null = excluded),
    as :attr:`PartResult.points`."""


def _negative_age(column: str) -> str:
    """The words of the scalar path's refusal of a negative age (the check of :func:`_ages`), without a value."""
    try:
        _checks.non_negative(f"signals[{column!r}]", -1.0)
    except InvalidValueError as error:
        return error.without_value()
    raise AssertionError("a negative age is refused")  # pragma: no cover


_BY_ID: Final = "pass a dict keyed by account id (or None)"


def _component_tuple(value: Iterable[Component | Composite]) -> tuple[Component | Composite, ...]:
    return _checks.items("components", value)  # bad items are reported with every other problem (DefinitionError)


@decision("score")
@attrs.frozen
class HealthModel:
    """A weighted, banded health model: it scores one account (:meth:`score`) or a whole frame (:meth:`expr`).

    The score is the weighted mean of the components' points over the components that enter it
    (missing or stale ones are excluded and their weight shared, or penalised, per component). A component
    reads one signal (:class:`Component`) or several (:class:`Composite`, whose points are the weighted mean of
    its parts'). Plain data: it round-trips through :func:`postsale.to_data` / :func:`postsale.from_data`.

    Args:
        components: The components (one-signal or composite), in display order.
        name: The model's name.
        version: The model's version (scores carry it).
        bands: The band policy: cut-offs of the score and the hysteresis the trigger engine applies
            (default GREEN >= 70, YELLOW 40-69, RED < 40, hysteresis 10).
        red_component_makes_red: When true, any scored component whose points are RED makes the whole RED.
        pulse: How a CSM's pulse is used (default: shown beside, not counted).

    Raises:
        DefinitionError: every problem at once, with paths (``components[2].weight``): no components,
            duplicate names, the reserved name ``"pulse"``, a bad component, bad bands or pulse policy.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> from postsale.health import BandPolicy, Component, Linear
        >>> model = HealthModel((Component("mood", "sentiment", Linear(), weight=1),), name="mood", version="1",
        ...                     bands=BandPolicy(green_from=90, yellow_from=60))
        >>> score = model.score(AccountSnapshot("acme", "SMB", date(2026, 1, 31), signals={"sentiment": 72}))
        >>> score.value, score.band.name
        (72.0, 'YELLOW')
    """

    __repr__ = readable
    components: tuple[Component | Composite, ...] = attrs.field(converter=_component_tuple)
    name: str
    version: str
    bands: BandPolicy = attrs.field(default=DEFAULT_BAND_POLICY, kw_only=True)
    red_component_makes_red: bool = attrs.field(default=False, kw_only=True)
    pulse: PulsePolicy = attrs.field(factory=PulsePolicy, kw_only=True)
    _signals: tuple[str, ...] = attrs.field(init=False, default=(), repr=False, eq=False, hash=False)
    """The signals read (derived from the components once, when the model is built; not data)."""

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        problems.text("name", self.name)
        problems.text("version", self.version)
        if not self.components:
            problems.add("components", "no components; give at least one")
        seen: dict[str, int] = {}
        for i, component in enumerate(self.components):
            here = f"components[{i}]"
            if isinstance(component, Component):
                _component_problems(component, f"{here}.", problems)
            elif isinstance(component, Composite):
                _composite_problems(component, f"{here}.", problems)
            else:
                problems.add(here, f"expected a Component or a Composite, got {type(component).__name__}")
                continue
            if component.name == PULSE:
                problems.add(f"{here}.name", f"'{PULSE}' is reserved for the CSM's pulse; choose another name")
            elif component.name in seen:
                problems.add(f"{here}.name", f"duplicates components[{seen[component.name]}].name {component.name!r}")
            seen.setdefault(component.name, i)
        if isinstance(self.bands, BandPolicy):
            band_policy_problems(self.bands, "bands.", problems)
        else:
            problems.add("bands", f"expected a BandPolicy, got {type(self.bands).__name__}")
        if not isinstance(self.red_component_makes_red, bool):
            problems.add("red_component_makes_red", f"expected true or false, got {self.red_component_makes_red!r}")
        if isinstance(self.pulse, PulsePolicy):
            _pulse_policy_problems(self.pulse, "pulse.", problems)
        else:
            problems.add("pulse", f"expected PulsePolicy, got {type(self.pulse).__name__}")
        problems.raise_if_any(f"health model {self.name!r}", "fix every field listed, then build the model again")
        object.__setattr__(self, "_signals", tuple(s for c in self.components for s in c.signals))

    @property
    def signals(self) -> tuple[str, ...]:
        """The signals the components read (a composite's parts and a trend's baseline included), in order."""
        return self._signals

    def component(self, name: str) -> Component | Composite:
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
        bands = self.bands
        rows = [
            _composite_row(c, evidence, ages, bands) if isinstance(c, Composite) else _component_row(c, evidence, ages)
            for c in self.components
        ]
        pulse_status = _pulse_status(pulse, as_of, self.pulse.mode)
        if pulse is not None and self.pulse.mode is PulseMode.COMPONENT:
            rows.append(_pulse_row(pulse, as_of, self.pulse.weight, valid=pulse_status is PulseStatus.COMPONENT))
        computed = weighted_mean([r.weight for r in rows], [r.points for r in rows])
        if computed is None:
            raise NoHealthDataError(snapshot.account_id, tuple(r.name for r in rows), self.signals)
        total = _sum([0.0 if r.points is None else r.weight for r in rows])
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
        fresh_weight = math.fsum(
            r.weight * r.coverage for r in rows[: len(self.components)] if r.freshness is Freshness.FRESH
        )
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

    def value(self, snapshot: AccountSnapshot) -> float | None:
        """Return ``score(snapshot).value`` alone (``None`` where :meth:`score` finds no usable data), without the
        explanation: the same points from the same formula, a fraction of the work. For code that replays many
        snapshots and needs only the number, such as the trigger engine's health rules.

        Raises:
            InvalidTypeError: ``snapshot`` is not an AccountSnapshot.
            InvalidValueError: a signal the scoring refuses (as :meth:`score`).

        Examples:
            >>> from datetime import date
            >>> from postsale import AccountSnapshot
            >>> from postsale.health import DEFAULT_HEALTH_MODEL
            >>> acme = AccountSnapshot("acme", "SMB", date(2026, 3, 2), signals={"nps": 9, "sentiment": 80})
            >>> DEFAULT_HEALTH_MODEL.value(acme) == DEFAULT_HEALTH_MODEL.score(acme).value
            True
            >>> DEFAULT_HEALTH_MODEL.value(AccountSnapshot("quiet", "SMB", date(2026, 3, 2))) is None
            True
        """
        if not isinstance(snapshot, AccountSnapshot):
            raise InvalidTypeError(
                "expected an AccountSnapshot", field="snapshot", value=snapshot,
                hint="build one with AccountSnapshot(...)",
            )
        evidence = snapshot.evidence()
        ages = _ages(snapshot.as_of, evidence, None, self.signals)
        points = [
            composite_points(c, evidence, ages)
            if isinstance(c, Composite)
            else read_and_treat(c, evidence, ages.get(c.signal))[3]
            for c in self.components
        ]
        return weighted_mean([c.weight for c in self.components], points)

    def score_many(
        self,
        snapshots: Iterable[AccountSnapshot],
        *,
        pulses: Mapping[str, Pulse] | None = None,
        observed: Mapping[str, Mapping[str, date]] | None = None,
    ) -> HealthBatch:
        """Score many accounts; one bad account never stops the others.

        Args:
            snapshots: The snapshots to score.
            pulses: Each account's current pulse, by account id.
            observed: Each account's signal observation dates, by account id.

        Returns:
            The scores in input order and a failure (with the error's field and message) per account
            that raised a :class:`~postsale.PostsaleError`.

        Raises:
            InvalidTypeError: ``snapshots`` is not a collection, or ``pulses`` / ``observed`` not a mapping.
        """
        items = _checks.items("snapshots", snapshots)
        pulses = EMPTY if pulses is None else _checks.instance("pulses", pulses, Mapping, hint=_BY_ID)
        observed = EMPTY if observed is None else _checks.instance("observed", observed, Mapping, hint=_BY_ID)
        scores: list[HealthScore] = []
        failures: list[ScoreFailure] = []
        for i, snapshot in enumerate(items):
            account_id = snapshot.account_id if isinstance(snapshot, AccountSnapshot) else f"#{i}"
            try:
                scores.append(self.score(snapshot, pulse=pulses.get(account_id), observed=observed.get(account_id)))
            except PostsaleError as exc:
                failures.append(ScoreFailure(i, account_id, type(exc).__name__, exc.field, str(exc)))
        return HealthBatch(tuple(scores), tuple(failures))

    # ---- columnar form -------------------------------------------------------------------------------------
    def expr(self, env: Env) -> HealthExprs:
        """Return the columnar forms of :meth:`score` over a frame: the score, its band, each component's points
        and the rows :meth:`score` would refuse.

        Row by row they equal ``score(snapshot)`` with ``pulse=None``: the CSM's pulse is scalar-only (a dated,
        authored assessment, not a column), and so are ``observed`` dates: the age of a signal comes from a
        ``<signal>_age_days`` column (null or no column: unknown age, taken as fresh). A component's signal is
        read with ``env.column`` (null = missing), so a frame without the column raises
        :class:`~postsale._columnar.NotEvaluable`. The sums run the same floating-point operations as
        :meth:`score`, so the two agree to the last bit.

        Examples:
            >>> import narwhals.stable.v2 as nw
            >>> from datetime import date
            >>> from postsale._columnar import Env
            >>> from postsale.health import BASIC_HEALTH_MODEL
            >>> env = Env(["seat_utilisation", "nps", "business_context", "sentiment"], as_of=date(2026, 1, 31))
            >>> frame = nw.from_dict({"seat_utilisation": [0.8, None], "nps": [6.0, None],
            ...                       "business_context": [None, None], "sentiment": [70.0, None]},
            ...                      schema={name: nw.Float64() for name in env.names}, backend="polars")
            >>> health = BASIC_HEALTH_MODEL.expr(env)
            >>> frame.select(health.score.alias("health"), health.band.alias("band")).rows()
            [(65.0, 'YELLOW'), (None, None)]
            >>> frame.select(**health.components).row(0)
            (100.0, 25.0, None, 70.0)

        Raises:
            InvalidTypeError: ``env`` is not an Env.
        """
        nw = an_env(env).nw
        zero = nw.lit(0.0, nw.Float64)
        components: dict[str, Expr] = {}
        weights: list[Expr] = []
        products: list[Expr] = []
        refused: list[Refusal] = []
        parts: dict[str, Expr] = {}
        for i, component in enumerate(self.components):
            if env.has(f"{_POINTS}{i}"):  # staged by the entry point (see stage)
                fresh, points = env.column(f"{_FRESH}{i}"), env.column(f"{_POINTS}{i}")
            else:
                fresh, _, points = component._forms(env)
            components[component.name] = points
            # The weight counts where the component has points: where fresh, or always when penalised (a refused
            # value aside). Read from `fresh`, not from `points`, so the engine need not evaluate the scoring twice.
            weight = nw.lit(component.weight, nw.Float64)
            weights.append(weight if component.missing.absent_points is not None else
                           nw.when(fresh).then(weight).otherwise(zero))
            products.append((points * component.weight).fill_null(0.0))
            leaves: tuple[Component, ...]
            if isinstance(component, Composite):
                leaves = component.parts
                parts.update((f"{component.name}.{n}", e) for n, e in component.part_exprs(env).items())
            else:
                leaves = (component,)
            for leaf in leaves:
                if not isinstance(leaf.scoring, BoundedLinear):
                    refused.append(Refusal(leaf.signal, leaf.invalid(env), leaf.scoring.reason(leaf.field)))
        for signal in dict.fromkeys(self.signals):
            column = signal + AGE_SUFFIX
            if env.has(column):
                refused.append(Refusal(column, (env.column(column) < 0).fill_null(False), _negative_age(column)))
        total = _sum(weights)
        score: Expr = nw.when(total > 0).then((_sum(products) * _reciprocal(total)).clip(MIN_POINTS, MAX_POINTS))
        return HealthExprs(score, self.band_expr(env, score), components, tuple(refused), parts)

    def stage(self, env: Env) -> dict[str, Expr]:
        """Each component's freshness and points as intermediate columns, which :meth:`expr` then reads: an
        entry point adds them in a stage of their own, so that the score, the weights and the component outputs
        share them instead of each carrying the component's whole expression.

        Examples:
            >>> import narwhals.stable.v2 as nw
            >>> from datetime import date
            >>> from postsale._columnar import Env
            >>> from postsale.health import BASIC_HEALTH_MODEL
            >>> names = ["seat_utilisation", "nps", "business_context", "sentiment"]
            >>> frame = nw.from_dict({"seat_utilisation": [0.8], "nps": [6.0], "business_context": [None],
            ...                       "sentiment": [70.0]}, schema={n: nw.Float64() for n in names}, backend="polars")
            >>> staged = frame.with_columns(**BASIC_HEALTH_MODEL.stage(Env(names, as_of=date(2026, 1, 31))))
            >>> staged.select(BASIC_HEALTH_MODEL.expr(Env(staged.columns, as_of=date(2026, 1, 31))).score).item()
            65.0
        """
        found: dict[str, Expr] = {}
        for i, component in enumerate(self.components):
            fresh, _, points = component._forms(env)
            found[f"{_FRESH}{i}"] = fresh
            found[f"{_POINTS}{i}"] = points
        return found

    def band_expr(self, env: Env, score: Expr) -> Expr:
        """Return the columnar form of the band :meth:`score` gives a score (``score``: the score's expression,
        or the column holding it): the bands' cut-offs, and RED where a fresh component is RED when
        ``red_component_makes_red``.

        An entry point that has already put the score in a column passes that column, so the engine does not
        evaluate the score's expression again for its band.

        Raises:
            InvalidTypeError: ``env`` is not an Env, or ``score`` not an expression.
        """
        nw = an_env(env).nw
        score = an_expr("score", score)
        band = self.bands.expr(env, score)
        if self.red_component_makes_red:
            red = []
            for component in self.components:
                if isinstance(component, Composite):  # SCORED (a part is fresh) and its points RED
                    fresh, points = component.scored(env), component.expr(env)
                else:
                    fresh, value, _ = component._forms(env)
                    points = component.scoring.expr(env, value)
                red.append((fresh & (points < self.bands.yellow_from)).fill_null(False))
            forced = reduce(lambda a, b: a | b, red)
            band = nw.when(forced & ~score.is_null()).then(nw.lit(HealthBand.RED.name)).otherwise(band)
        result: Expr = band
        return result


_FRESH: Final = "_health_fresh_"
"""Prefix of the staged columns saying whether component ``i``'s signal is fresh (:meth:`HealthModel.stage`)."""
_POINTS: Final = "_health_points_"
"""Prefix of the staged columns holding component ``i``'s points (:meth:`HealthModel.stage`)."""


@attrs.define
class _Row:
    """A component's result before the shares are known (private, short-lived, so not frozen)."""

    __repr__ = readable
    name: str
    signal: str
    input: float | None
    age_days: float | None
    freshness: Freshness
    treatment: Treatment
    points: float | None
    weight: float
    rule: str
    parts: tuple[PartResult, ...] = ()
    coverage: float = 1.0
    """The share of its weight that had fresh data when FRESH (a composite's may be partial)."""

    def result(self, total: float, bands: BandPolicy) -> ComponentResult:
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
            parts=self.parts,
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


def _component_row(component: Component, evidence: Mapping[str, float], ages: Mapping[str, float]) -> _Row:
    signal = component.signal
    age = ages.get(signal)
    if component.relative_to is not None:  # a trend; the plain case below is the hot path, written out
        raw, freshness, treatment, points, rule = enter(component, evidence, age)
        return _Row(component.name, component.quantity, raw, age, freshness, treatment, points, component.weight, rule)
    raw = evidence.get(signal)
    freshness, treatment, points = component.treat(raw, age_days=age)
    if freshness is Freshness.FRESH and raw is not None:  # FRESH means present
        rule = component.scoring.describe(raw, signal)
    elif freshness is Freshness.MISSING:
        rule = component.missing_reason(evidence)
    else:
        rule = stale_rule(component, age)
    return _Row(component.name, signal, raw, age, freshness, treatment, points, component.weight, rule)


def _composite_row(
    composite: Composite, evidence: Mapping[str, float], ages: Mapping[str, float], bands: BandPolicy
) -> _Row:
    freshness, treatment, points, parts = composite.treat(evidence, ages=ages, bands=bands)
    blend = points if any(p.points is not None for p in parts) else None
    return _Row(composite.name, composite.signal, blend, None, freshness, treatment, points, composite.weight,
                describe(points, parts), parts, coverage(composite, parts))


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


