"""A health model's parts: weighted components, their missing-data policy, and the pulse policy."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

import attrs

from postsale import _checks
from postsale._columnar import Env, an_expr, decision
from postsale._repr import readable
from postsale.health._problems import Problems
from postsale.health._scoring import (
    MAX_POINTS,
    MIN_POINTS,
    Bands,
    BoundedLinear,
    Linear,
    Scoring,
    _bands_problems,
    _bounded_problems,
    _linear_problems,
)
from postsale.health._treatment import Freshness, Treatment

if TYPE_CHECKING:  # pragma: no cover - typing only
    from narwhals.stable.v2 import Expr

__all__ = ["AGE_SUFFIX", "PULSE", "Component", "MissingAction", "MissingData", "PulseMode", "PulsePolicy"]

PULSE: Final = "pulse"
"""The component name the CSM's pulse takes in a score (reserved: no model component may use it)."""
TREND_LIMIT: Final = 1e15
"""A trend (a signal over its baseline) is capped at this size either way, the largest a signal may hold: a tiny
baseline would otherwise make it overflow to infinity."""
AGE_SUFFIX: Final = "_age_days"
"""A signal ``<signal>_age_days`` gives the age in days of ``<signal>`` (see :meth:`HealthModel.score`)."""


class MissingAction(enum.Enum):
    """What a component does when its signal is missing or stale.

    Examples:
        >>> MissingAction["PENALISE"].value
        'penalise'
    """

    EXCLUDE = "exclude"
    """Leave it out and share its weight among the components that have data."""
    PENALISE = "penalise"
    """Score it at the policy's ``penalty_points`` (no data is itself a warning sign)."""


@decision("freshness")
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
        >>> policy = MissingData(action=MissingAction.PENALISE, penalty_points=20, stale_after_days=30)
        >>> policy.freshness(8.0, age_days=30).name, policy.freshness(8.0, age_days=31).name
        ('FRESH', 'STALE')
        >>> policy.freshness(None).name, policy.absent_points
        ('MISSING', 20.0)
    """

    __repr__ = readable
    action: MissingAction = attrs.field(default=MissingAction.EXCLUDE, kw_only=True)
    penalty_points: float = attrs.field(default=MIN_POINTS, kw_only=True)
    stale_after_days: int | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _missing_problems(self, "", problems)
        problems.raise_if_any("missing-data policy", "pass an action, penalty points in 0-100 and days >= 0")

    def is_stale(self, age_days: float | None) -> bool:
        """Return whether a signal ``age_days`` old is stale under this policy (unknown age: fresh).

        Raises:
            InvalidTypeError: ``age_days`` is not a number.
        """
        if age_days is not None and age_days.__class__ is not float and age_days.__class__ is not int:
            _checks.number("age_days", age_days)
        return self.stale_after_days is not None and age_days is not None and age_days > self.stale_after_days

    @property
    def absent_points(self) -> float | None:
        """Points of a component without fresh data: the penalty (PENALISE), or ``None`` (EXCLUDE)."""
        return float(self.penalty_points) if self.action is MissingAction.PENALISE else None

    # ---- scalar form ---------------------------------------------------------------------------------------
    def freshness(self, value: float | None, *, age_days: float | None = None) -> Freshness:
        """Return whether an input ``value`` (``None``: absent) aged ``age_days`` is FRESH, MISSING or STALE."""
        if value is None:
            return Freshness.MISSING
        return Freshness.STALE if self.is_stale(age_days) else Freshness.FRESH

    # ---- columnar form -------------------------------------------------------------------------------------
    def expr(self, env: Env, signal: str, *, value: Expr | None = None) -> Expr:
        """Return whether ``signal`` is FRESH on each row (Boolean, never null): the columnar form of
        :meth:`freshness`. The age comes from a ``<signal>_age_days`` column (no column, or null: unknown age,
        so fresh); a missing value is null in the ``signal`` column, or in ``value`` when given (the value
        read from the signal, e.g. its ratio to a baseline)."""
        _checks.instance("env", env, Env, hint="columnar forms are built by the frame adapter's Env")
        _checks.text("signal", signal)
        fresh: Expr = ~(env.column(signal) if value is None else an_expr("value", value)).is_null()
        age_column = signal + AGE_SUFFIX
        if self.stale_after_days is not None and env.has(age_column):
            stale = (env.column(age_column) > self.stale_after_days).fill_null(False)
            fresh = fresh & ~stale
        return fresh


def _missing_problems(policy: MissingData, prefix: str, problems: Problems) -> None:
    if not isinstance(policy.action, MissingAction):
        problems.add(f"{prefix}action", f"expected EXCLUDE or PENALISE, got {policy.action!r}")
    problems.number(f"{prefix}penalty_points", policy.penalty_points, low=MIN_POINTS, high=MAX_POINTS)
    days = policy.stale_after_days
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 0):
        problems.add(f"{prefix}stale_after_days", f"expected a whole number of days >= 0 or null, got {days!r}")


class PulseMode(enum.Enum):
    """How a model uses a CSM's manual assessment (pulse).

    Examples:
        >>> PulseMode["OVERRIDE"].value
        'override'
    """

    BESIDE = "beside"
    """Show it beside the computed score; it changes nothing."""
    COMPONENT = "component"
    """Count it as one more component with the policy's weight while it is valid."""
    OVERRIDE = "override"
    """Let it replace the score while it is valid; the computed score is still reported."""


@attrs.frozen
class PulsePolicy:
    """How a health model uses the CSM's pulse (scalar-only: a pulse is a dated, authored assessment).

    Args:
        mode: BESIDE, COMPONENT or OVERRIDE.
        weight: The pulse's weight in COMPONENT mode (relative to the components' weights).

    Raises:
        DefinitionError: a weight that is not a positive finite number.

    Examples:
        >>> PulsePolicy(mode=PulseMode.COMPONENT, weight=0.25).mode.name
        'COMPONENT'
    """

    __repr__ = readable
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


@decision("treat")
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
        relative_to: A baseline signal: when given, the component scores the trend ``signal / relative_to``
            (this week's logins over last week's). Without the baseline, or with a baseline of 0, there is no
            trend to read and the input is missing. Staleness is read from ``signal``'s age; the trend is capped
            at ±1e15 (:data:`TREND_LIMIT`).

    Raises:
        DefinitionError: every problem at once (blank names, a weight <= 0 or NaN, a bad scoring, a baseline
            that is the signal itself).

    Examples:
        >>> usage = Component("usage", "seat_utilisation", Linear(slope=100), weight=1,
        ...                   missing=MissingData(action=MissingAction.PENALISE, penalty_points=10))
        >>> usage.points(0.42)
        42.0
        >>> usage.treat(0.42)[1:], usage.treat(None)[1:]
        ((<Treatment.SCORED: 'scored'>, 42.0), (<Treatment.PENALISED: 'penalised'>, 10.0))

        A trend: this week's logins over last week's (no baseline, or a baseline of 0: no trend to read).

        >>> trend = Component("trend", "logins_week", Linear(slope=50), weight=1, relative_to="logins_prev_week")
        >>> trend.quantity, trend.read({"logins_week": 30, "logins_prev_week": 40})
        ('logins_week/logins_prev_week', 0.75)
        >>> trend.read({"logins_week": 30, "logins_prev_week": 0}), trend.read({"logins_week": 30})
        (None, None)
    """

    __repr__ = readable
    name: str
    signal: str
    scoring: Scoring
    weight: float
    missing: MissingData = attrs.field(factory=MissingData, kw_only=True)
    relative_to: str | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _component_problems(self, "", problems)
        problems.raise_if_any(f"component {self.name!r}", "fix the fields listed")

    @property
    def quantity(self) -> str:
        """What the component scores, in words: its signal, or ``signal/relative_to`` for a trend."""
        return self.signal if self.relative_to is None else f"{self.signal}/{self.relative_to}"

    @property
    def signals(self) -> tuple[str, ...]:
        """The signals it reads: its signal, and its baseline for a trend."""
        return (self.signal,) if self.relative_to is None else (self.signal, self.relative_to)

    @property
    def field(self) -> str:
        """The field its refusals name: ``signals['nps']``, or ``signals['a']/signals['b']`` for a trend."""
        field = f"signals[{self.signal!r}]"
        return field if self.relative_to is None else f"{field}/signals[{self.relative_to!r}]"

    def read(self, evidence: Mapping[str, float]) -> float | None:
        """Return the input the component reads from ``evidence`` (a snapshot's signals): the signal's value, or
        for a trend its ratio to the baseline (``None`` without the signal, without the baseline or when it is 0).
        """
        _checks.instance("evidence", evidence, Mapping, hint="pass the snapshot's evidence(), a dict of signals")
        value = evidence.get(self.signal)
        if value is None:
            return None
        if value.__class__ is not float:
            value = _checks.number(f"signals[{self.signal!r}]", value)
        if self.relative_to is None:
            return value
        baseline = evidence.get(self.relative_to)
        if baseline is None:
            return None
        if baseline.__class__ is not float:
            baseline = _checks.number(f"signals[{self.relative_to!r}]", baseline)
        return None if baseline == 0 else min(TREND_LIMIT, max(-TREND_LIMIT, value / baseline))

    def missing_reason(self, evidence: Mapping[str, float]) -> str:
        """Return why :meth:`read` found no input in ``evidence``, in words."""
        _checks.instance("evidence", evidence, Mapping, hint="pass the snapshot's evidence(), a dict of signals")
        if self.relative_to is None or evidence.get(self.signal) is None:
            return f"no '{self.signal}' signal"
        if evidence.get(self.relative_to) is None:
            return f"no '{self.relative_to}' signal to compare '{self.signal}' with"
        return f"'{self.relative_to}' is 0, so there is no trend to read"

    def points(self, value: float) -> float:
        """Return the points of raw ``value`` (for a trend: the ratio) under this component's scoring.

        Raises:
            InvalidValueError: NaN, or a value the scoring refuses (outside every band, off the linear scale).
        """
        return self.scoring.points(value, field=self.field)

    # ---- scalar form ---------------------------------------------------------------------------------------
    def treat(
        self, value: float | None, *, age_days: float | None = None
    ) -> tuple[Freshness, Treatment, float | None]:
        """Return how an input ``value`` (``None``: absent) aged ``age_days`` enters a score: its freshness, its
        treatment and its points (``None`` when excluded).

        Raises:
            InvalidValueError: a fresh value the scoring refuses.
        """
        freshness = self.missing.freshness(value, age_days=age_days)
        if freshness is Freshness.FRESH and value is not None:  # FRESH means present
            return freshness, Treatment.SCORED, self.points(value)
        absent = self.missing.absent_points
        return freshness, Treatment.EXCLUDED if absent is None else Treatment.PENALISED, absent

    # ---- columnar form -------------------------------------------------------------------------------------
    def expr(self, env: Env) -> Expr:
        """Return the component's points on each row (Float64; null = excluded): the columnar form of
        :meth:`treat`'s points. A value the scoring refuses has null points (see :meth:`invalid`)."""
        return self._forms(env)[2]

    def invalid(self, env: Env) -> Expr:
        """Return where :meth:`treat` raises (Boolean, never null): a fresh value the scoring refuses; the
        words are ``scoring.reason(component.field)``."""
        fresh, value, _ = self._forms(env)
        result: Expr = fresh & self.scoring.invalid(env, value)
        return result

    def _forms(self, env: Env) -> tuple[Expr, Expr, Expr]:
        """Return (fresh, value, points after the missing-data policy) as expressions."""
        _checks.instance("env", env, Env, hint="columnar forms are built by the frame adapter's Env")
        nw = env.nw
        value = env.column(self.signal)
        if self.relative_to is not None:  # the trend: null without a baseline or with a baseline of 0
            baseline = env.column(self.relative_to)
            value = (value / nw.when(baseline != 0).then(baseline)).clip(-TREND_LIMIT, TREND_LIMIT)
        fresh = self.missing.expr(env, self.signal, value=value)
        absent = self.missing.absent_points
        points = nw.when(fresh).then(self.scoring.expr(env, value)).otherwise(nw.lit(absent, nw.Float64))
        return fresh, value, points


def _component_problems(component: Component, prefix: str, problems: Problems) -> None:
    problems.text(f"{prefix}name", component.name)
    problems.text(f"{prefix}signal", component.signal)
    if component.relative_to is not None:
        problems.text(f"{prefix}relative_to", component.relative_to)
        if isinstance(component.relative_to, str) and component.relative_to == component.signal:  # sNaN == x raises
            problems.add(f"{prefix}relative_to", "is the signal itself (a trend of 1 forever); name a baseline signal")
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


Entry = tuple[float | None, Freshness, Treatment, float | None, str]
"""How a component enters a score: (input, freshness, treatment, points, rule in words)."""


def enter(component: Component, evidence: Mapping[str, float], age: float | None) -> Entry:
    """How ``component`` enters a score from ``evidence`` (a snapshot's signals) with its input ``age`` in days.

    Raises:
        InvalidValueError: a fresh value the scoring refuses.
    """
    raw, freshness, treatment, points = read_and_treat(component, evidence, age)
    quantity = component.signal if component.relative_to is None else component.quantity
    if freshness is Freshness.FRESH and raw is not None:  # FRESH means present
        rule = component.scoring.describe(raw, quantity)
    elif freshness is Freshness.MISSING:
        rule = component.missing_reason(evidence)
    else:
        rule = stale_rule(component, age)
    return raw, freshness, treatment, points, rule


def read_and_treat(
    component: Component, evidence: Mapping[str, float], age: float | None
) -> tuple[float | None, Freshness, Treatment, float | None]:
    """Read ``component``'s input from ``evidence`` and treat it: (input, freshness, treatment, points), the part of
    :func:`enter` a score's value needs (no words).

    Raises:
        InvalidValueError: a fresh value the scoring refuses.
    """
    raw = evidence.get(component.signal) if component.relative_to is None else component.read(evidence)
    return (raw, *component.treat(raw, age_days=age))


def stale_rule(component: Component, age: float | None) -> str:
    """Why ``component``'s input aged ``age`` days was not used, in words."""
    return f"'{component.signal}' is stale ({age:g} days old, stale after {component.missing.stale_after_days} days)"
