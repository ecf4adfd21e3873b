"""The facts a renewal forecast is decided on, gathered for one account (scalar) or per row of a frame (columnar).

:func:`gather` (scalar) and :func:`fact_exprs` (columnar) sit side by side: each fact is read from the same
inputs (the health band, the renewal status flags, the risk signals, the customer's intent) with the same
thresholds (:data:`RISK_SIGNALS` on when > 0, :data:`HIGH_RISK_FROM`).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from postsale import _checks
from postsale import signals as _signals
from postsale._columnar import Env, member_name
from postsale._frozen import freeze
from postsale._vocabulary import HealthBand
from postsale.renewal._runway import StatusFlag
from postsale.renewal._state import StateOrder
from postsale.renewal._status import RenewalStatus

if TYPE_CHECKING:  # pragma: no cover - typing only
    from narwhals.stable.v2 import Expr

__all__ = ["HIGH_RISK_FROM", "RISK_SIGNALS", "Fact", "Intent", "RiskLevel"]


class RiskLevel(enum.IntEnum):
    """Renewal risk: LOW with no risk signal, MEDIUM with one, HIGH from :data:`HIGH_RISK_FROM`.

    Examples:
        >>> RiskLevel.HIGH > RiskLevel.MEDIUM
        True
    """

    LOW = 1
    MEDIUM = 2
    HIGH = 3


class Intent(enum.Enum):
    """What the customer said about renewing.

    Examples:
        >>> Intent("renew")
        <Intent.RENEW: 'renew'>
    """

    COMMITTED = "committed"
    """Verbally or contractually committed to renew."""
    RENEW = "renew"
    """Says it intends to renew."""
    UNDECIDED = "undecided"
    """Has not decided."""
    REDUCE = "reduce"
    """Plans to renew smaller (a downgrade)."""
    CANCEL = "cancel"
    """Says it will not renew."""
    UNKNOWN = "unknown"
    """Not asked yet."""


class Fact(enum.Enum):
    """A fact about a renewal that forecast rules test (each is true or false for one renewal); its value is
    the sentence a forecast cites as evidence.

    Examples:
        >>> Fact.HEALTH_RED.value
        'health is red'
    """

    RENEWAL_CONFIRMED = "the renewal is confirmed (confirmation milestone done)"
    LAPSED = "the renewal date passed without a confirmed renewal"
    LATE_START = "the renewal conversation started late"
    DANGER_ZONE = "the renewal is within its danger zone and not confirmed"
    OVERDUE = "a renewal milestone is overdue"
    NOT_RECORDED = "no renewal activity is recorded"
    CONVERSATION_STARTED = "the renewal conversation has started"
    HEALTH_GREEN = "health is green"
    HEALTH_YELLOW = "health is yellow"
    HEALTH_RED = "health is red"
    HEALTH_UNKNOWN = "health is unknown"
    CHAMPION_LEFT = "the champion left"
    BUDGET_CUT = "the customer's budget was cut"
    COMPETITOR_EVALUATION = "the customer is evaluating a competitor"
    CRITICAL_ISSUES = "critical issues are unresolved"
    PRICING_OBJECTION = "the customer objected to the price"
    RISK_LOW = "risk is low (no risk signal)"
    RISK_MEDIUM = "risk is medium"
    RISK_HIGH = "risk is high"
    INTENT_COMMITTED = "the customer committed to renew"
    INTENT_RENEW = "the customer intends to renew"
    INTENT_UNDECIDED = "the customer is undecided"
    INTENT_REDUCE = "the customer plans to renew smaller"
    INTENT_CANCEL = "the customer said it will not renew"
    INTENT_UNKNOWN = "the customer's intent is unknown"


RISK_SIGNALS: Final[Mapping[str, Fact]] = freeze(
    {
        _signals.CHAMPION_LEFT: Fact.CHAMPION_LEFT,
        _signals.BUDGET_CUT: Fact.BUDGET_CUT,
        _signals.COMPETITOR_EVALUATION: Fact.COMPETITOR_EVALUATION,
        _signals.CRITICAL_ISSUES_OPEN: Fact.CRITICAL_ISSUES,
        _signals.PRICING_OBJECTION: Fact.PRICING_OBJECTION,
    }
)
"""Signals read as risk facts (on when > 0): the usual causes of a failed renewal."""

HIGH_RISK_FROM: Final = 2
"""Risk is HIGH from this many risk signals at once, MEDIUM with one, LOW with none."""

_HEALTH: Final = {
    HealthBand.GREEN: Fact.HEALTH_GREEN,
    HealthBand.YELLOW: Fact.HEALTH_YELLOW,
    HealthBand.RED: Fact.HEALTH_RED,
}
_INTENT: Final = {intent: Fact[f"INTENT_{intent.name}"] for intent in Intent}
INTENT: Final = "intent"
"""The column of a portfolio frame holding what each customer said about renewing (an :class:`Intent` name)."""
_RISK: Final = {RiskLevel.LOW: Fact.RISK_LOW, RiskLevel.MEDIUM: Fact.RISK_MEDIUM, RiskLevel.HIGH: Fact.RISK_HIGH}
_FLAGS: Final = {
    StatusFlag.LAPSED: Fact.LAPSED,
    StatusFlag.LATE_START: Fact.LATE_START,
    StatusFlag.DANGER_ZONE: Fact.DANGER_ZONE,
    StatusFlag.OVERDUE: Fact.OVERDUE,
    StatusFlag.NOT_RECORDED: Fact.NOT_RECORDED,
}
_BAND_FROM: Final[dict[str, float]] = dict(HealthBand.of.__kwdefaults__ or {})
"""The score thresholds of :meth:`HealthBand.of` (green_from, yellow_from), read from it so both forms agree."""


def risk_level(risk_count: int, high_risk_from: int) -> RiskLevel:
    """Return the risk level of ``risk_count`` risk signals that hold."""
    if risk_count >= high_risk_from:
        return RiskLevel.HIGH
    return RiskLevel.MEDIUM if risk_count else RiskLevel.LOW


def band_of(health: HealthBand | str | None, signals: Mapping[str, Any]) -> HealthBand | None:
    """The band a forecast reads: ``health``, else the band of a ``health_score`` signal, else unknown."""
    if health is not None:
        return HealthBand.parse(health, field="health")
    score = signals.get(_signals.HEALTH_SCORE)
    if score is None:
        return None
    return HealthBand.of(_checks.number("signals['health_score']", score))


def gather(
    *,
    band: HealthBand | None,
    status: RenewalStatus | None,
    signals: Mapping[str, Any],
    intent: Intent,
    high_risk_from: int,
) -> tuple[frozenset[Fact], RiskLevel]:
    """The facts that hold for one renewal, and its risk level (the scalar form of :func:`fact_exprs`)."""
    facts: set[Fact] = {_HEALTH[band] if band is not None else Fact.HEALTH_UNKNOWN, _INTENT[intent]}
    risk_count = 0
    for name, fact in RISK_SIGNALS.items():
        if name in signals and _checks.number(f"signals[{name!r}]", signals[name]) > 0:
            facts.add(fact)
            risk_count += 1
    risk = risk_level(risk_count, high_risk_from)
    facts.add(_RISK[risk])
    if status is not None:
        facts.update(_FLAGS[f] for f in status.flags)
        if status.confirmed_on is not None:
            facts.add(Fact.RENEWAL_CONFIRMED)
        if status.conversation_started is not None:
            facts.add(Fact.CONVERSATION_STARTED)
    return frozenset(facts), risk


def fact_exprs(
    env: Env, *, order: StateOrder, days: Expr, high_risk_from: int, recorded: bool = True
) -> dict[Fact, Expr | bool]:
    """The facts per row of a frame (the columnar form of :func:`gather`), for an account with no milestone
    completed and no stated intent: milestones tracked (``recorded``), or no renewal activity recorded at all
    (``recorded=False``, or per row the :data:`~postsale.renewal.RENEWAL_RECORDED` column).

    A fact is a Boolean expression, or a plain ``True`` / ``False`` when it is the same for every row (so rules
    that cannot match are left out of the expression). Reads the health ``band`` (else a ``health_score``
    column, as :func:`band_of` does), the risk signal columns (an absent column is a signal not given, as in
    the scalar path) and the renewal status flags of ``order`` for ``days`` to renewal.
    """
    nw = env.nw
    band = env.band()
    if env.has(_signals.HEALTH_SCORE):
        score = env.column(_signals.HEALTH_SCORE)
        fallback = (
            nw.when(score >= _BAND_FROM["green_from"])
            .then(nw.lit(HealthBand.GREEN.name))
            .when(score >= _BAND_FROM["yellow_from"])
            .then(nw.lit(HealthBand.YELLOW.name))
            .when(~score.is_null())
            .then(nw.lit(HealthBand.RED.name))
            .otherwise(nw.lit(None, nw.String))
        )
        band = nw.when(band.is_null()).then(fallback).otherwise(band)
    facts: dict[Fact, Expr | bool] = {fact: (band == b.name).fill_null(False) for b, fact in _HEALTH.items()}
    facts[Fact.HEALTH_UNKNOWN] = band.is_null()
    if env.has(INTENT):  # what the customer said, by name (null: not asked yet)
        said = member_name(env, INTENT).fill_null(Intent.UNKNOWN.name)
        facts.update({fact: said == intent.name for intent, fact in _INTENT.items()})
    else:
        facts.update({fact: intent is Intent.UNKNOWN for intent, fact in _INTENT.items()})
    on: list[Expr] = []
    for name, fact in RISK_SIGNALS.items():
        if env.has(name):
            signal = (env.column(name) > 0).fill_null(False)
            facts[fact] = signal
            on.append(signal)
        else:
            facts[fact] = False
    if on:
        count = nw.sum_horizontal(*(nw.when(s).then(nw.lit(1)).otherwise(nw.lit(0)) for s in on))
        facts[Fact.RISK_HIGH] = count >= high_risk_from
        facts[Fact.RISK_MEDIUM] = (count >= 1) & (count < high_risk_from)
        facts[Fact.RISK_LOW] = count == 0
    else:
        facts.update({fact: level is RiskLevel.LOW for level, fact in _RISK.items()})
    confirmed, flags = order._calendar_exprs(env, days, recorded)
    facts.update({fact: flags[flag] for flag, fact in _FLAGS.items()})
    facts[Fact.RENEWAL_CONFIRMED] = confirmed
    facts[Fact.CONVERSATION_STARTED] = order.conversation_started(env)
    return facts
