"""postsale: the domain engine of post-sale customer success for B2B subscription businesses.

For every account in a portfolio and on any date, ``postsale`` answers where the customer is in its
journey, how healthy it is, what service model it warrants, where its renewal stands, and what the
team should do next, by when, and why. Everything here is an immutable value or a pure function;
time is always a parameter.

The shared vocabulary, errors and serialization live at the top level; each bounded context is a
subpackage (``postsale.journey``, ``postsale.health``, ``postsale.touch``, ``postsale.renewal``,
``postsale.triggers``, ``postsale.cadence``, ``postsale.kpi``) whose main entry points are also
re-exported here, with the review that ties them together (``postsale.review``). See ``docs/index.md``.
"""

import importlib
from typing import TYPE_CHECKING, Any

from postsale._errors import (
    DefinitionError,
    InvalidTypeError,
    InvalidValueError,
    MissingDependencyError,
    NaiveDatetimeError,
    OutOfOrderError,
    PostsaleError,
    Problem,
    StorageError,
    StructureError,
    TransitionRefused,
    UnknownNameError,
)
from postsale._version import __version__
from postsale._vocabulary import AccountSnapshot, HealthBand, Segment, Stage, TouchModel

if TYPE_CHECKING:  # pragma: no cover - the names below are imported on first use (see __getattr__)
    from postsale import cadence, health, journey, kpi, renewal, signals, touch, triggers
    from postsale._convert import from_data, from_json, to_data, to_json
    from postsale.cadence import Agenda, CadencePlan, ContactPreferences, build_agenda
    from postsale.health import DEFAULT_HEALTH_MODEL, HealthModel, HealthScore
    from postsale.journey import Journey, JourneyDefinition, JourneyEvent, TransitionKind
    from postsale.kpi import RetentionReport, RevenueLedger, RevenueMovement, retention
    from postsale.renewal import (
        Contract,
        Forecast,
        ForecastCategory,
        RenewalStatus,
        forecast_renewal,
        renewal_timeline,
    )
    from postsale.review import AccountInput, AccountReview, PortfolioReview, review_account, review_portfolio
    from postsale.touch import BusinessProfile, PortfolioPlan, TouchConfig, assess_cost_share, plan_portfolio
    from postsale.triggers import DEFAULT_RULE_SET, Alert, Engine, RuleSet, backtest

__all__ = [  # noqa: RUF022 - grouped by context, sorted within each group
    "__version__",
    # vocabulary
    "AccountSnapshot",
    "HealthBand",
    "Segment",
    "Stage",
    "TouchModel",
    "signals",
    # errors
    "DefinitionError",
    "InvalidTypeError",
    "InvalidValueError",
    "MissingDependencyError",
    "NaiveDatetimeError",
    "OutOfOrderError",
    "PostsaleError",
    "Problem",
    "StorageError",
    "StructureError",
    "TransitionRefused",
    "UnknownNameError",
    # serialization
    "from_data",
    "from_json",
    "to_data",
    "to_json",
    # context subpackages
    "cadence",
    "health",
    "journey",
    "kpi",
    "renewal",
    "touch",
    "triggers",
    # journey
    "Journey",
    "JourneyDefinition",
    "JourneyEvent",
    "TransitionKind",
    # health
    "DEFAULT_HEALTH_MODEL",
    "HealthModel",
    "HealthScore",
    # touch
    "BusinessProfile",
    "PortfolioPlan",
    "TouchConfig",
    "assess_cost_share",
    "plan_portfolio",
    # renewal
    "Contract",
    "Forecast",
    "ForecastCategory",
    "RenewalStatus",
    "forecast_renewal",
    "renewal_timeline",
    # triggers
    "DEFAULT_RULE_SET",
    "Alert",
    "Engine",
    "RuleSet",
    "backtest",
    # cadence
    "Agenda",
    "CadencePlan",
    "ContactPreferences",
    "build_agenda",
    # the review
    "AccountInput",
    "AccountReview",
    "PortfolioReview",
    "review_account",
    "review_portfolio",
    # kpi
    "RetentionReport",
    "RevenueLedger",
    "RevenueMovement",
    "retention",
]

_CONTEXTS = frozenset({"cadence", "health", "journey", "kpi", "renewal", "signals", "touch", "triggers"})
_HOMES = {
    **dict.fromkeys(("from_data", "from_json", "to_data", "to_json"), "postsale._convert"),
    **dict.fromkeys(("Agenda", "CadencePlan", "ContactPreferences", "build_agenda"), "postsale.cadence"),
    **dict.fromkeys(("DEFAULT_HEALTH_MODEL", "HealthModel", "HealthScore"), "postsale.health"),
    **dict.fromkeys(("Journey", "JourneyDefinition", "JourneyEvent", "TransitionKind"), "postsale.journey"),
    **dict.fromkeys(("RetentionReport", "RevenueLedger", "RevenueMovement", "retention"), "postsale.kpi"),
    **dict.fromkeys(
        ("Contract", "Forecast", "ForecastCategory", "RenewalStatus", "forecast_renewal", "renewal_timeline"),
        "postsale.renewal",
    ),
    **dict.fromkeys(
        ("AccountInput", "AccountReview", "PortfolioReview", "review_account", "review_portfolio"), "postsale.review"
    ),
    **dict.fromkeys(
        ("BusinessProfile", "PortfolioPlan", "TouchConfig", "assess_cost_share", "plan_portfolio"), "postsale.touch"
    ),
    **dict.fromkeys(("DEFAULT_RULE_SET", "Alert", "Engine", "RuleSet", "backtest"), "postsale.triggers"),
}


def __getattr__(name: str) -> Any:
    """Import a context (or a name it exports) on first use, so ``import postsale`` stays fast (PEP 562)."""
    if name in _CONTEXTS:
        value = importlib.import_module(f"postsale.{name}")
    elif name in _HOMES:
        value = getattr(importlib.import_module(_HOMES[name]), name)
    else:
        raise AttributeError(f"module 'postsale' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
