"""Which columnar forms the review evaluates, read from the review's settings (the glue, no decision logic).

Every decision lives with its scalar form in its context (``HealthModel.expr``, ``BandPolicy.expr``,
``Scorer.expr``, ``StateOrder.expr``, ``ForecastRules.expr``, ``Rule.expr``); this module only picks them
from :class:`~postsale.review.ReviewSettings`, as ``review_account`` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from postsale._columnar import BAND, PREVIOUS, Env, NotEvaluable, member_name
from postsale.adapters.frame._input import CSM_CALL, Check
from postsale.renewal import DEFAULT_FORECAST_RULES, DEFAULT_STATE_ORDER
from postsale.review import ReviewSettings
from postsale.touch import Scorer
from postsale.triggers import NON_NEGATIVE_SIGNALS, Rule

if TYPE_CHECKING:  # pragma: no cover - typing only
    from narwhals.stable.v2 import Expr

__all__ = [
    "band", "components", "counts", "health", "health_checks", "health_signals", "health_stage", "renewal",
    "rule_hit", "stages", "touch",
]

_SCORER = Scorer()


def components(settings: ReviewSettings) -> list[str]:
    """The health model's component names, in order (each gives a ``health.<name>`` column)."""
    return [component.name for component in settings.health_model.components]


def health_signals(settings: ReviewSettings) -> list[str]:
    """The signals the health model reads."""
    return list(dict.fromkeys(settings.health_model.signals))


def counts(settings: ReviewSettings) -> set[str]:
    """Signals the rule set reads that must not be negative (``Engine.step`` refuses a negative one)."""
    read: set[str] = set()
    for rule in settings.rule_set.rules:
        read |= rule.condition.signal_names()
    return read & set(NON_NEGATIVE_SIGNALS)


def health_checks(settings: ReviewSettings, columns: list[str], as_of: Any) -> list[Check]:
    """The rows the health model refuses (a value off its scale, a negative age), as row checks."""
    env = Env([*columns, *(s for s in health_signals(settings) if s not in columns)], as_of=as_of)
    return [Check(r.column, r.bad, r.reason) for r in settings.health_model.expr(env).refused if r.column in columns]


def health_stage(env: Env, settings: ReviewSettings) -> dict[str, Expr]:
    """The health model's intermediate columns (each component's freshness and points), computed once."""
    return settings.health_model.stage(env)


def health(env: Env, settings: ReviewSettings) -> tuple[Expr, dict[str, Expr]]:
    """The health score (null = unscored) and each component's points (read from :func:`health_stage`'s
    columns when the frame has them)."""
    forms = settings.health_model.expr(env)
    return forms.score, forms.components


def band(env: Env, settings: ReviewSettings) -> Expr:
    """The band of the ``health`` column: the score's own (as ``HealthModel.score`` gives it), or, when the frame
    carries ``previous.band``, with hysteresis against it (as ``Engine.step`` with state gives it).

    Read from the ``health`` column, not from the score's expression, so the engine evaluates the score once.
    """
    model = settings.health_model
    if env.has(PREVIOUS + BAND):
        return model.bands.expr(env, env.health(), env.previous(BAND))
    return model.band_expr(env, env.health())


def touch(env: Env, settings: ReviewSettings) -> dict[str, Expr]:
    """The touch-model total and model of ``assess(settings.company.for_account(snapshot))``."""
    return {
        "touch_total": _SCORER.expr(env, settings.company, output="total"),
        "touch_model": _SCORER.expr(env, settings.company),
    }


def stages(env: Env) -> dict[str, Expr]:
    """The intermediate columns several outputs read (the touch key; each row's runway and days to renewal),
    computed once in a stage of their own. A part the frame cannot evaluate is left out (it is reported where
    its outputs are evaluated)."""
    found: dict[str, Expr] = {}
    for part in (_SCORER, DEFAULT_STATE_ORDER):
        try:
            found.update(part.stage(env))
        except NotEvaluable:
            continue
    return found


def renewal(env: Env, settings: ReviewSettings) -> dict[str, Expr]:
    """Days to renewal, the renewal state and the forecast; a row's renewal activity is recorded when its
    ``renewal_recorded`` column says so (no column, or null: nothing recorded, as ``review_account`` without
    ``completed_milestones``)."""
    days = DEFAULT_STATE_ORDER.days(env)
    forecast = DEFAULT_FORECAST_RULES.expr(env, order=DEFAULT_STATE_ORDER, days=days, recorded=False)
    if env.has(CSM_CALL):  # the CSM's own category is the forecast where given, as Forecast.category reads it
        call = member_name(env, CSM_CALL)
        forecast = env.nw.when(forecast.is_null()).then(forecast).when(~call.is_null()).then(call).otherwise(forecast)
    return {
        "days_to_renewal": days,
        "renewal_state": DEFAULT_STATE_ORDER.expr(env, days, recorded=False),
        "forecast": forecast,
    }


def rule_hit(env: Env, rule: Rule) -> Expr:
    """Whether ``rule``'s condition holds (before alert hygiene); raises NotEvaluable for a missing column."""
    result: Expr = rule.expr(env)
    return result
