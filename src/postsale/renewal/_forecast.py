"""Forecast category COMMIT / LIKELY / AT_RISK from a rule table that is plain data (domain-spec §3.4-§3.5, A-17)."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from postsale import _checks
from postsale import signals as _signals
from postsale._errors import DefinitionError, InvalidTypeError, Problem
from postsale._frozen import freeze
from postsale._vocabulary import HealthBand
from postsale.renewal._timeline import RenewalStatus, StatusFlag

__all__ = [
    "DEFAULT_FORECAST_RULES",
    "HIGH_RISK_FROM",
    "RISK_SIGNALS",
    "Fact",
    "Forecast",
    "ForecastCategory",
    "ForecastRule",
    "ForecastRules",
    "Intent",
    "RiskLevel",
    "forecast_renewal",
]


class ForecastCategory(enum.IntEnum):
    """Renewal forecast confidence (domain-spec §3.4-§3.5), ordered AT_RISK < LIKELY < COMMIT."""

    AT_RISK = 1
    LIKELY = 2
    COMMIT = 3


class RiskLevel(enum.IntEnum):
    """Renewal risk (domain-spec §3.5, A-17): healthy retention needs LOW or MEDIUM."""

    LOW = 1
    MEDIUM = 2
    HIGH = 3


class Intent(enum.Enum):
    """What the customer said about renewing."""

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
    """A fact about a renewal that forecast rules test (each is true or false for one renewal)."""

    RENEWAL_CONFIRMED = "the renewal is confirmed (confirmation milestone done)"
    LAPSED = "the renewal date passed without a confirmed renewal"
    LATE_START = "the renewal conversation started late"
    DANGER_ZONE = "the renewal is within its danger zone and not confirmed"
    OVERDUE = "a renewal milestone is overdue"
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
"""Signals read as risk facts (on when > 0): the failure causes of domain-spec §3.7."""

HIGH_RISK_FROM: Final = 2
"""Risk is HIGH from this many risk signals at once, MEDIUM with one, LOW with none (domain-spec A-17)."""

_HEALTH = {HealthBand.GREEN: Fact.HEALTH_GREEN, HealthBand.YELLOW: Fact.HEALTH_YELLOW, HealthBand.RED: Fact.HEALTH_RED}
_INTENT = {intent: Fact[f"INTENT_{intent.name}"] for intent in Intent}
_RISK = {RiskLevel.LOW: Fact.RISK_LOW, RiskLevel.MEDIUM: Fact.RISK_MEDIUM, RiskLevel.HIGH: Fact.RISK_HIGH}
_FLAGS = {
    StatusFlag.LAPSED: Fact.LAPSED,
    StatusFlag.LATE_START: Fact.LATE_START,
    StatusFlag.DANGER_ZONE: Fact.DANGER_ZONE,
    StatusFlag.OVERDUE: Fact.OVERDUE,
}


def _to_category(value: Any) -> ForecastCategory:
    return _checks.member(ForecastCategory, "category", value)


def _to_facts(value: Any) -> frozenset[Fact]:
    if isinstance(value, (str, Fact)):
        value = [value]
    return frozenset(v if isinstance(v, Fact) else _checks.member(Fact, "fact", v) for v in value)


@attrs.frozen
class ForecastRule:
    """One row of the rule table: when the facts match, the renewal is in ``category``.

    A rule matches when every fact of ``all_of`` holds, at least one of ``any_of`` holds (if any are
    listed) and none of ``none_of`` holds.

    Args:
        category: The category this rule decides.
        reason: The sentence that explains the decision.
        all_of: Facts that must all hold.
        any_of: Facts of which at least one must hold.
        none_of: Facts that must not hold.
    """

    category: ForecastCategory = attrs.field(converter=_to_category)
    reason: str
    all_of: frozenset[Fact] = attrs.field(default=frozenset(), converter=_to_facts)
    any_of: frozenset[Fact] = attrs.field(default=frozenset(), converter=_to_facts)
    none_of: frozenset[Fact] = attrs.field(default=frozenset(), converter=_to_facts)

    def matches(self, facts: frozenset[Fact]) -> bool:
        """Return whether the rule matches ``facts`` (the facts that hold)."""
        return (
            self.all_of <= facts
            and (not self.any_of or not self.any_of.isdisjoint(facts))
            and self.none_of.isdisjoint(facts)
        )


def _to_rules(value: Any) -> tuple[ForecastRule, ...]:
    return _checks.items("rules", value)  # each row is checked in __attrs_post_init__ (all problems at once)


@attrs.frozen
class ForecastRules:
    """The forecast rule table: rules tried in order, the first match decides; else ``default``.

    Validated when built: every problem is reported at once in a :class:`~postsale.DefinitionError`.

    Args:
        rules: The rows, in priority order.
        default: Category when no rule matches.
        default_reason: The sentence explaining the default.
        high_risk_from: Number of risk signals that make risk HIGH (one makes it MEDIUM).
    """

    rules: tuple[ForecastRule, ...] = attrs.field(converter=_to_rules)
    default: ForecastCategory = attrs.field(default=ForecastCategory.AT_RISK, converter=_to_category)
    default_reason: str = "no rule matched: not enough evidence of a renewal, treated as at risk until assessed"
    high_risk_from: int = HIGH_RISK_FROM

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        for i, rule in enumerate(self.rules):
            path = f"$.rules[{i}]"
            if not isinstance(rule, ForecastRule):
                problems.append(Problem(path, f"must be a ForecastRule, got {rule!r}"))
                continue
            if not rule.all_of and not rule.any_of:
                problems.append(Problem(path, "has no condition (all_of or any_of), so it always matches"))
            clash = (rule.all_of | rule.any_of) & rule.none_of
            if clash:
                names = ", ".join(sorted(f.name for f in clash))
                problems.append(Problem(f"{path}.none_of", f"lists {names} also required, so it never matches"))
            if not isinstance(rule.reason, str) or not rule.reason.strip():
                problems.append(Problem(f"{path}.reason", "must be a sentence explaining the decision"))
        if isinstance(self.high_risk_from, bool) or not isinstance(self.high_risk_from, int) or self.high_risk_from < 2:
            problems.append(Problem("$.high_risk_from", f"must be a whole number >= 2, got {self.high_risk_from!r}"))
        if not isinstance(self.default_reason, str) or not self.default_reason.strip():
            problems.append(Problem("$.default_reason", "must be a sentence explaining the default"))
        if problems:
            raise DefinitionError("forecast rule table is invalid", problems, hint="fix the rows listed")

    def risk_level(self, risk_facts: int) -> RiskLevel:
        """Return the risk level for a number of risk signals that hold."""
        if risk_facts >= self.high_risk_from:
            return RiskLevel.HIGH
        return RiskLevel.MEDIUM if risk_facts else RiskLevel.LOW


_C, _L, _A = ForecastCategory.COMMIT, ForecastCategory.LIKELY, ForecastCategory.AT_RISK

DEFAULT_FORECAST_RULES: Final = ForecastRules(
    rules=(
        ForecastRule(_C, "the renewal is confirmed", all_of={Fact.RENEWAL_CONFIRMED}),
        ForecastRule(_A, "the customer said it will not renew", any_of={Fact.INTENT_CANCEL}),
        ForecastRule(_A, "the renewal date passed without a confirmed renewal", any_of={Fact.LAPSED}),
        ForecastRule(
            _A,
            "a regression trigger is open (domain-spec §3.5, §3.7)",
            any_of={Fact.CHAMPION_LEFT, Fact.BUDGET_CUT, Fact.COMPETITOR_EVALUATION},
        ),
        ForecastRule(_A, "health is red or risk is high (domain-spec §3.5)", any_of={Fact.HEALTH_RED, Fact.RISK_HIGH}),
        ForecastRule(
            _A,
            "the renewal started late or is in the danger zone: late starts kill deals (domain-spec §3.7)",
            any_of={Fact.LATE_START, Fact.DANGER_ZONE},
        ),
        ForecastRule(_C, "the customer committed to renew", all_of={Fact.INTENT_COMMITTED}),
        ForecastRule(
            _C,
            "health is green, risk is low and the conversation is under way (domain-spec §3.5)",
            all_of={Fact.HEALTH_GREEN, Fact.RISK_LOW, Fact.CONVERSATION_STARTED},
        ),
        ForecastRule(
            _L,
            "health is green or yellow and risk is at most medium (domain-spec §3.5)",
            any_of={Fact.HEALTH_GREEN, Fact.HEALTH_YELLOW},
        ),
    )
)
"""The default table, from the domain-spec §3.5 proposal: COMMIT = confirmed, or green + low risk + conversation
done; LIKELY = green/yellow with risk at most medium; AT_RISK = red, high risk, a regression trigger (champion
departure, budget cut, competitor), a late start, or a customer who said no. Unknown health -> AT_RISK."""


@attrs.frozen
class Forecast:
    """A renewal's forecast category, the reasons that decided it, and the CSM's own call.

    Attributes:
        account_id: The account, when given.
        computed: The category the rule table gives.
        reasons: Why: the deciding rule's sentence, then the facts it matched.
        rule: Index of the deciding rule in the table, ``None`` when the default decided.
        facts: Every fact that held (the evidence).
        risk: The risk level.
        csm_call: The CSM's call, kept as given.
    """

    account_id: str | None
    computed: ForecastCategory
    reasons: tuple[str, ...]
    rule: int | None
    facts: frozenset[Fact]
    risk: RiskLevel
    csm_call: ForecastCategory | None = None

    @property
    def disagrees(self) -> bool:
        """Whether the CSM's call differs from the computed category (flag it for review)."""
        return self.csm_call is not None and self.csm_call != self.computed

    @property
    def category(self) -> ForecastCategory:
        """The category to report: the CSM's call when there is one (never overwritten), else the computed one."""
        return self.csm_call if self.csm_call is not None else self.computed

    def explain(self) -> list[str]:
        """Return the decision as plain sentences.

        Examples:
            >>> for line in forecast_renewal(health=HealthBand.YELLOW, csm_call="COMMIT").explain():
            ...     print(line)
            Forecast LIKELY: health is green or yellow and risk is at most medium (domain-spec §3.5).
            Evidence: health is yellow.
            The CSM called COMMIT, which disagrees with the computed LIKELY: kept and flagged for review.
        """
        lines = [f"Forecast {self.computed.name}: {self.reasons[0]}."]
        if len(self.reasons) > 1:
            lines.append("Evidence: " + "; ".join(self.reasons[1:]) + ".")
        if self.disagrees:
            assert self.csm_call is not None
            lines.append(
                f"The CSM called {self.csm_call.name}, which disagrees with the computed {self.computed.name}: "
                "kept and flagged for review."
            )
        elif self.csm_call is not None:
            lines.append(f"The CSM's call {self.csm_call.name} agrees.")
        return lines


def _signal_on(name: str, value: Any) -> bool:
    return _checks.number(f"signals[{name!r}]", value) > 0


def forecast_renewal(
    *,
    health: HealthBand | str | None = None,
    status: RenewalStatus | None = None,
    signals: Mapping[str, float] | None = None,
    intent: Intent | str = Intent.UNKNOWN,
    csm_call: ForecastCategory | str | None = None,
    rules: ForecastRules = DEFAULT_FORECAST_RULES,
    account_id: str | None = None,
) -> Forecast:
    """Return the forecast category of a renewal with the reasons that decided it.

    Args:
        health: The account's health band (else read from the ``health_score`` signal, if present).
        status: The renewal status on the forecast date (:meth:`RenewalTimeline.status`).
        signals: Account signals; the risk signals of :data:`RISK_SIGNALS` count when > 0
            (``AccountSnapshot.evidence()`` fits).
        intent: What the customer said.
        csm_call: The CSM's own category; kept and flagged when it disagrees, never overwritten.
        rules: The rule table (default :data:`DEFAULT_FORECAST_RULES`).
        account_id: Carried into the result (default: the status's account).

    Raises:
        UnknownNameError: an unknown band, intent or category name.
        InvalidTypeError: a non-numeric signal, or a wrong type for ``status`` / ``rules``.

    Examples:
        >>> forecast_renewal(health="GREEN", signals={"champion_left": 1}).computed
        <ForecastCategory.AT_RISK: 1>
    """
    if not isinstance(rules, ForecastRules):
        raise InvalidTypeError("expected ForecastRules", field="rules", value=rules, hint="pass a ForecastRules table")
    if status is not None and not isinstance(status, RenewalStatus):
        raise InvalidTypeError(
            "expected a RenewalStatus", field="status", value=status, hint="pass RenewalTimeline.status(...)"
        )
    sig: Mapping[str, Any] = {} if signals is None else signals
    if not isinstance(sig, Mapping):
        raise InvalidTypeError("expected a mapping of signal names to numbers", field="signals", value=signals)
    band: HealthBand | None = None
    if health is not None:
        band = HealthBand.parse(health, field="health")
    elif sig.get(_signals.HEALTH_SCORE) is not None:
        band = HealthBand.of(_checks.number("signals['health_score']", sig[_signals.HEALTH_SCORE]))
    call = None if csm_call is None else _checks.member(ForecastCategory, "csm_call", csm_call)
    said = _checks.member(Intent, "intent", intent)

    facts: set[Fact] = {_HEALTH[band] if band is not None else Fact.HEALTH_UNKNOWN, _INTENT[said]}
    risk_count = 0
    for name, fact in RISK_SIGNALS.items():
        if name in sig and _signal_on(name, sig[name]):
            facts.add(fact)
            risk_count += 1
    risk = rules.risk_level(risk_count)
    facts.add(_RISK[risk])
    if status is not None:
        facts.update(_FLAGS[f] for f in status.flags)
        if status.confirmed_on is not None:
            facts.add(Fact.RENEWAL_CONFIRMED)
        if status.conversation_started is not None:
            facts.add(Fact.CONVERSATION_STARTED)
    held = frozenset(facts)

    for i, rule in enumerate(rules.rules):
        if rule.matches(held):
            matched = rule.all_of | (rule.any_of & held)
            evidence = tuple(f.value for f in _ordered(matched))
            return Forecast(
                account_id if account_id is not None else (status.account_id if status else None),
                rule.category,
                (rule.reason, *evidence),
                i,
                held,
                risk,
                call,
            )
    return Forecast(
        account_id if account_id is not None else (status.account_id if status else None),
        rules.default,
        (rules.default_reason, *(f.value for f in _ordered(held))),
        None,
        held,
        risk,
        call,
    )


def _ordered(facts: Iterable[Fact]) -> list[Fact]:
    order = {f: i for i, f in enumerate(Fact)}
    return sorted(facts, key=order.__getitem__)
