"""Which columnar forms the review evaluates, read from the review's settings (the glue, no decision logic).

Every decision lives with its scalar form in its context (``HealthModel.expr``, ``BandPolicy.expr``,
``Scorer.expr``, ``StateOrder.expr``, ``ForecastRules.expr``, ``Rule.expr``); this module only picks them
from :class:`~postsale.review.ReviewSettings`, as ``review_account`` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from postsale._columnar import BAND, PREVIOUS, Env, NotEvaluable, member_name
from postsale._vocabulary import Segment
from postsale.adapters.frame._input import CSM_CALL, Check
from postsale.renewal import MILESTONE, RENEWAL_RECORDED, Runway
from postsale.renewal._state import milestone_steps
from postsale.renewal._timeline import EARLY_START
from postsale.review import ReviewSettings
from postsale.touch import Scorer
from postsale.triggers import NON_NEGATIVE_SIGNALS, Rule

if TYPE_CHECKING:  # pragma: no cover - typing only
    from narwhals.stable.v2 import Expr

__all__ = [
    "band", "components", "counts", "health", "health_checks", "health_signals", "health_stage", "renewal",
    "renewal_checks",
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


def renewal_checks(settings: ReviewSettings, columns: list[str], as_of: Any, *, days: str = "seconds") -> list[Check]:
    """The rows whose renewal the scalar review refuses: a contract of a segment the settings give no playbook,
    a completion after the review date, a milestone not in the account's timeline (the early start only on a runway
    its health widens), or completions while the row says no activity is recorded. ``days``: how the engine counts
    days between dates (the :class:`~postsale._columnar.Env` mode)."""
    env = Env([*columns, *(s for s in health_signals(settings) if s not in columns)], as_of=as_of, days=days)
    nw = env.nw

    def among(column: Any, names: list[str]) -> Any:  # an empty list is refused by some engines (PyArrow)
        return column.is_in(names) if names else nw.lit(False)

    found: list[Check] = []
    order = settings.renewal
    playbooks = order.playbooks
    if len(playbooks) < len(Segment) and {"segment", "contract_start", "contract_end"} <= set(columns):
        defined = sorted(s.name for s in playbooks)
        contract = ~env.column("contract_start").is_null() & ~env.column("contract_end").is_null()
        found.append(Check("segment", contract & ~among(env.column("segment"), defined).fill_null(False),
                           f"segment: has no renewal playbook; rule: playbooks are defined for "
                           f"{', '.join(defined) or 'no segment'}; instead: add a playbook for this segment to the "
                           "settings' renewal order (ReviewSettings.renewal, the configuration's [renewal])"))
    widening = order.widening
    widened = [s.name for s, pb in playbooks.items() if widening is not None and widening.bands
               and milestone_steps(pb, Runway.of(pb, health=min(widening.bands), widening=widening))[0][0]
               == EARLY_START]
    bands = sorted(b.name for b in (widening.bands if widening is not None else ()))
    for name in sorted(c for c in columns if c.startswith(MILESTONE)):
        milestone = name[len(MILESTONE):]
        done = ~env.column(name).is_null()
        found.append(Check(name, done & (env.days_since(name) < 0),
                           f"{name}: is after the review date; rule: a milestone is completed on or before the "
                           "day reviewed; instead: check the date, or review a later day"))
        segments = [s.name for s, pb in playbooks.items() if any(m.name == milestone for m in pb.milestones)]
        known = among(env.column("segment"), segments)
        if milestone == EARLY_START:  # in the timeline only when the account's health widens its runway
            band = settings.health_model.expr(env).band
            known = among(env.column("segment"), widened) & among(band, bands).fill_null(False)
        found.append(Check(name, done & ~known,
                           f"{name}: is not a milestone of the account's renewal playbook; rule: completions name "
                           "milestones of the segment's playbook; instead: leave the column empty for this segment"))
        if env.has(RENEWAL_RECORDED):
            off = ~(env.column(RENEWAL_RECORDED) == nw.lit(True)).fill_null(False)
            found.append(Check(name, done & off,
                               f"{name}: is given although {RENEWAL_RECORDED} is false; rule: no recorded "
                               f"activity means no milestone information; instead: set {RENEWAL_RECORDED} or "
                               "leave the completion empty"))
    return found


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


def stages(env: Env, settings: ReviewSettings) -> dict[str, Expr]:
    """The intermediate columns several outputs read (the touch key; each row's runway and days to renewal),
    computed once in a stage of their own. A part the frame cannot evaluate is left out (it is reported where
    its outputs are evaluated)."""
    found: dict[str, Expr] = {}
    for part in (_SCORER, settings.renewal):
        try:
            found.update(part.stage(env))
        except NotEvaluable:
            continue
    return found


def renewal(env: Env, settings: ReviewSettings) -> dict[str, Expr]:
    """Days to renewal, the renewal state, the forecast and the sentence that decided it; a row's renewal activity
    is recorded when its ``renewal_recorded`` column says so (no column, or null: nothing recorded, as
    ``review_account`` without ``completed_milestones``). The playbooks are ``settings.renewal``, the rule table
    ``settings.forecast_rules``."""
    order = settings.renewal
    days = order.days(env)
    forecast = settings.forecast_rules.expr(env, order=order, days=days, recorded=False)
    if env.has(CSM_CALL):  # the CSM's own category is the forecast where given, as Forecast.category reads it
        call = member_name(env, CSM_CALL)
        forecast = env.nw.when(forecast.is_null()).then(forecast).when(~call.is_null()).then(call).otherwise(forecast)
    return {
        "days_to_renewal": days,
        "renewal_state": order.expr(env, days, recorded=False),
        "forecast": forecast,
        "forecast_reason": settings.forecast_rules.reason_expr(env, order=order, days=days, recorded=False),
    }


def rule_hit(env: Env, rule: Rule) -> Expr:
    """Whether ``rule``'s condition holds (before alert hygiene); raises NotEvaluable for a missing column."""
    result: Expr = rule.expr(env)
    return result
