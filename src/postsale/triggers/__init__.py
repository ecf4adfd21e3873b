"""Triggers: composable rules that notice the moments that matter, say why, and say who acts by when.

Build rules from conditions (plain data; each condition compiles once to a closure for one account, and becomes a
narwhals expression for a whole frame: ``Rule.expr(env)``), evaluate them as a pure fold
``Engine.step(state, snapshot) -> (state, alerts)`` with alert hygiene (fire on entry, cooldowns, hysteresis,
dedupe, per-account budgets), and backtest them against outcomes. The default rule set holds the playbooks' trigger
catalog (U1-U4, H1-H4, M1-M4), the proactive triggers (P1-P3, E1-E4) and the other moments the playbooks name
(H5-H11, U5-U7, L1-L4, E5, X1-X3). Guide: ``docs/triggers.md``; every rule is explained in the field guide
(guide: Triggers › How a rule is built).
"""

from postsale.triggers import _serialization as _serialization
from postsale.triggers._backtest import (
    BACKTEST_HORIZON_DAYS,
    EARLY_WARNING_DAYS,
    Backtest,
    Outcome,
    RuleScore,
    backtest,
)
from postsale.triggers._catalog import CATALOG, CATALOG_VERSION, DEFAULT_RULE_SET, MOMENTS, PROACTIVE
from postsale.triggers._conditions import (
    AllOf,
    AnyOf,
    BandTransition,
    Condition,
    DaysInBand,
    DaysSince,
    DaysUntil,
    Not,
    PercentChange,
    Predicate,
    Ratio,
    Threshold,
)
from postsale.triggers._engine import NON_NEGATIVE_SIGNALS, Engine, HealthScorer
from postsale.triggers._model import (
    Action,
    ActionChannel,
    ActionKind,
    Context,
    Evidence,
    OutcomeKind,
    Priority,
    Sla,
)
from postsale.triggers._rules import (
    DEFAULT_AUTO_CLOSE_DAYS,
    DEFAULT_BUDGET,
    DEFAULT_COOLDOWN_DAYS,
    AlertBudget,
    BandPolicy,
    CompiledRules,
    Hygiene,
    Rule,
    RuleSet,
)
from postsale.triggers._schema import (
    health_model_schema,
    json_schema,
    rule_set_schema,
    snapshot_schema,
)
from postsale.triggers._sla import due_time
from postsale.triggers._state import AccountError, AccountState, Alert, RunResult, Suppression, SuppressionReason

__all__ = [
    "BACKTEST_HORIZON_DAYS",
    "CATALOG",
    "CATALOG_VERSION",
    "DEFAULT_AUTO_CLOSE_DAYS",
    "DEFAULT_BUDGET",
    "DEFAULT_COOLDOWN_DAYS",
    "DEFAULT_RULE_SET",
    "EARLY_WARNING_DAYS",
    "MOMENTS",
    "NON_NEGATIVE_SIGNALS",
    "PROACTIVE",
    "AccountError",
    "AccountState",
    "Action",
    "ActionChannel",
    "ActionKind",
    "Alert",
    "AlertBudget",
    "AllOf",
    "AnyOf",
    "Backtest",
    "BandPolicy",
    "BandTransition",
    "CompiledRules",
    "Condition",
    "Context",
    "DaysInBand",
    "DaysSince",
    "DaysUntil",
    "Engine",
    "Evidence",
    "HealthScorer",
    "Hygiene",
    "Not",
    "Outcome",
    "OutcomeKind",
    "PercentChange",
    "Predicate",
    "Priority",
    "Ratio",
    "Rule",
    "RuleScore",
    "RuleSet",
    "RunResult",
    "Sla",
    "Suppression",
    "SuppressionReason",
    "Threshold",
    "backtest",
    "due_time",
    "health_model_schema",
    "json_schema",
    "rule_set_schema",
    "snapshot_schema",
]
