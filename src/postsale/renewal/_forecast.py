"""Forecast category COMMIT / LIKELY / AT_RISK from a rule table that is plain data.

Each rule (:class:`ForecastRule`) and the table (:class:`ForecastRules`) hold their scalar form (``matches`` /
``decide``, used by :func:`forecast_renewal`) and their columnar form (``expr``) side by side.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import attrs

from postsale import _checks
from postsale._columnar import Env, decision
from postsale._errors import DefinitionError, InvalidTypeError, InvalidValueError, Problem
from postsale._repr import readable
from postsale._vocabulary import HealthBand
from postsale.renewal._facts import HIGH_RISK_FROM, Fact, Intent, RiskLevel, band_of, fact_exprs, gather, risk_level
from postsale.renewal._runway import Condition, all_of, any_of, none_of
from postsale.renewal._state import DEFAULT_STATE_ORDER, StateOrder
from postsale.renewal._status import RenewalStatus

if TYPE_CHECKING:  # pragma: no cover - typing only
    from narwhals.stable.v2 import Expr

__all__ = [
    "DEFAULT_FORECAST_RULES",
    "Forecast",
    "ForecastCategory",
    "ForecastRule",
    "ForecastRules",
    "forecast_renewal",
]


class ForecastCategory(enum.IntEnum):
    """Renewal forecast confidence, ordered AT_RISK < LIKELY < COMMIT.

    Examples:
        >>> max(ForecastCategory.LIKELY, ForecastCategory.AT_RISK)
        <ForecastCategory.LIKELY: 2>
    """

    AT_RISK = 1
    LIKELY = 2
    COMMIT = 3


_all, _any, _not = all_of, any_of, none_of

def _to_category(value: Any) -> ForecastCategory:
    return _checks.member(ForecastCategory, "category", value)


def _to_facts(value: Any, field: str = "facts") -> frozenset[Fact]:
    if isinstance(value, (str, Fact)):
        value = [value]
    return frozenset(
        v if isinstance(v, Fact) else _checks.member(Fact, "fact", v) for v in _checks.items(field, value)
    )


def _holding(facts: Any) -> frozenset[Fact]:
    """The facts that hold, as a frozenset of :class:`Fact` (any collection of facts or their names)."""
    if facts.__class__ is frozenset and all(f.__class__ is Fact for f in facts):
        return facts
    return _to_facts(facts)


def _env(env: Any) -> Env:
    return _checks.instance(  # type: ignore[no-any-return]
        "env", env, Env, hint="columnar forms are built by the frame adapter's Env"
    )


@decision("matches")
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

    Examples:
        >>> rule = ForecastRule("AT_RISK", "the champion left", any_of={"CHAMPION_LEFT"})
        >>> rule.matches(frozenset({Fact.CHAMPION_LEFT, Fact.HEALTH_GREEN})), rule.matches(frozenset())
        (True, False)
    """

    __repr__ = readable
    category: ForecastCategory = attrs.field(converter=_to_category)
    reason: str = attrs.field(validator=_checks.validator(lambda f, v: _checks.instance(f, v, str)))
    all_of: frozenset[Fact] = attrs.field(default=frozenset(), converter=_to_facts)
    any_of: frozenset[Fact] = attrs.field(default=frozenset(), converter=_to_facts)
    none_of: frozenset[Fact] = attrs.field(default=frozenset(), converter=_to_facts)

    def matches(self, facts: frozenset[Fact]) -> bool:
        """Return whether the rule matches ``facts`` (the facts that hold).

        Examples:
            >>> ForecastRule("COMMIT", "committed", all_of={"INTENT_COMMITTED"}).matches(frozenset())
            False
        """
        facts = _holding(facts)
        return (
            self.all_of <= facts
            and (not self.any_of or not self.any_of.isdisjoint(facts))
            and self.none_of.isdisjoint(facts)
        )

    def condition(self, facts: Mapping[Fact, Condition]) -> Condition:
        """The columnar form of :meth:`matches` over ``facts`` (each a Boolean expression or a plain bool):
        a Boolean expression, or a plain bool when it is the same for every row.

        Examples:
            >>> ForecastRule("COMMIT", "committed", all_of={"INTENT_COMMITTED"}).condition(
            ...     {fact: False for fact in Fact})
            False

        Raises:
            InvalidValueError: ``facts`` lacks a fact the rule reads.
        """
        _checks.instance("facts", facts, Mapping, hint="pass a mapping of every Fact to a condition")
        missing = sorted(f.name for f in self.all_of | self.any_of | self.none_of if f not in facts)
        if missing:
            raise InvalidValueError(
                "lacks facts the rule reads", field="facts", value=missing,
                constraint="every fact of all_of, any_of and none_of needs a condition",
                hint="pass a condition (a Boolean expression or a bool) for every Fact",
            )
        return _all(
            (
                _all(facts[f] for f in self.all_of),
                _any(facts[f] for f in self.any_of) if self.any_of else True,
                _not(_any(facts[f] for f in self.none_of)),
            )
        )

    def expr(self, env: Env, facts: Mapping[Fact, Condition]) -> Expr:
        """The columnar form of :meth:`matches`: whether the rule matches, per row (see :meth:`condition`).

        Examples:
            >>> from datetime import date
            >>> import narwhals.stable.v2 as nw
            >>> from postsale._columnar import Env
            >>> rule = ForecastRule("AT_RISK", "health is red", any_of={"HEALTH_RED"})
            >>> frame = nw.from_dict({"band": ["RED", "GREEN"]}, backend="polars")
            >>> env = Env(frame.columns, as_of=date(2026, 11, 1))
            >>> facts = {fact: False for fact in Fact} | {Fact.HEALTH_RED: nw.col("band") == "RED"}
            >>> frame.select(red=rule.expr(env, facts))["red"].to_list()
            [True, False]
        """
        found = self.condition(facts)
        result: Expr = _env(env).nw.lit(found) if isinstance(found, bool) else found
        return result


def _to_rules(value: Any) -> tuple[ForecastRule, ...]:
    return _checks.items("rules", value)  # each row is checked in __attrs_post_init__ (all problems at once)


@decision("decide")
@attrs.frozen
class ForecastRules:
    """The forecast rule table: rules tried in order, the first match decides; else ``default``.

    Validated when built: every problem is reported at once in a :class:`~postsale.DefinitionError`.

    Args:
        rules: The rows, in priority order.
        default: Category when no rule matches.
        default_reason: The sentence explaining the default.
        high_risk_from: Number of risk signals that make risk HIGH (one makes it MEDIUM).

    Examples:
        >>> table = ForecastRules([ForecastRule("COMMIT", "the customer committed", any_of={"INTENT_COMMITTED"})],
        ...                       default="LIKELY", default_reason="assumed to renew")
        >>> table.decide(frozenset({Fact.INTENT_COMMITTED})), table.decide(frozenset())
        (0, None)
    """

    __repr__ = readable
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
        """Return the risk level for a number of risk signals that hold.

        Examples:
            >>> DEFAULT_FORECAST_RULES.risk_level(1), DEFAULT_FORECAST_RULES.risk_level(2)
            (<RiskLevel.MEDIUM: 2>, <RiskLevel.HIGH: 3>)
        """
        return risk_level(_checks.count("risk_facts", risk_facts), self.high_risk_from)

    def decide(self, facts: frozenset[Fact]) -> int | None:
        """Return the index of the first rule matching ``facts``, ``None`` when the default decides.

        Examples:
            >>> DEFAULT_FORECAST_RULES.decide(frozenset({Fact.HEALTH_YELLOW, Fact.RISK_LOW}))
            8
        """
        facts = _holding(facts)
        for i, rule in enumerate(self.rules):
            if rule.matches(facts):
                return i
        return None

    def expr(
        self, env: Env, *, order: StateOrder = DEFAULT_STATE_ORDER, days: Expr | None = None, recorded: bool = True
    ) -> Expr:
        """The columnar form of :func:`forecast_renewal` for accounts with no milestone completed, no stated
        intent and no CSM call: the :class:`ForecastCategory` name per row, null where the account has no contract
        (no renewal status) or its segment no playbook.

        Reads the health ``band`` (else a ``health_score`` column), the risk signal columns of
        :data:`~postsale.renewal.RISK_SIGNALS` (an absent column is a signal not given) and the renewal status
        of ``order`` (``segment``, ``contract_start``, ``contract_end``, and
        :data:`~postsale.renewal.RENEWAL_RECORDED` when the frame has it).

        Args:
            env: The evaluation's environment.
            order: The renewal state order (playbooks, widening, auto-renewing segments) the status follows.
            days: Days to renewal (default ``order.days(env)``).
            recorded: Whether renewal activity is recorded (milestones tracked, none done), for a frame without
                a :data:`~postsale.renewal.RENEWAL_RECORDED` column; ``False``: no renewal activity recorded,
                so neither an overdue milestone nor a late start counts.

        Examples:
            >>> from datetime import date
            >>> import narwhals.stable.v2 as nw
            >>> from postsale._columnar import Env
            >>> frame = nw.from_dict({
            ...     "segment": ["SMB", "SMB", "ENTERPRISE"], "band": ["GREEN", "GREEN", None],
            ...     "contract_start": [date(2026, 1, 1)] * 3,
            ...     "contract_end": [date(2027, 6, 30), date(2026, 11, 20), date(2027, 6, 30)],
            ...     "champion_left": [None, None, 1.0]}, backend="polars")
            >>> env = Env(frame.columns, as_of=date(2026, 11, 1))
            >>> frame.select(forecast=DEFAULT_FORECAST_RULES.expr(env))["forecast"].to_list()
            ['LIKELY', 'AT_RISK', 'AT_RISK']

            A green enterprise account at T-91 with nothing done is late; with no activity recorded it is not:

            >>> frame = nw.from_dict({"segment": ["ENTERPRISE"], "band": ["GREEN"],
            ...                       "contract_start": [date(2026, 7, 1)], "contract_end": [date(2027, 6, 30)]},
            ...                      backend="polars")
            >>> env = Env(frame.columns, as_of=date(2027, 3, 31))
            >>> [frame.select(f=DEFAULT_FORECAST_RULES.expr(env, recorded=r))["f"].item() for r in (True, False)]
            ['AT_RISK', 'LIKELY']
        """
        return self._first(env, order, days, recorded, lambda rule: rule.category.name, self.default.name)

    def reason_expr(
        self, env: Env, *, order: StateOrder = DEFAULT_STATE_ORDER, days: Expr | None = None, recorded: bool = True
    ) -> Expr:
        """The sentence that decided :meth:`expr`'s category, per row (the first of :attr:`Forecast.reasons`):
        the matching rule's reason, else :attr:`default_reason`; null where :meth:`expr` is null.

        Examples:
            >>> from datetime import date
            >>> import narwhals.stable.v2 as nw
            >>> from postsale._columnar import Env
            >>> frame = nw.from_dict({"segment": ["SMB"], "band": ["RED"], "contract_start": [date(2026, 1, 1)],
            ...                       "contract_end": [date(2027, 6, 30)]}, backend="polars")
            >>> env = Env(frame.columns, as_of=date(2026, 11, 1))
            >>> frame.select(why=DEFAULT_FORECAST_RULES.reason_expr(env))["why"].item()
            'health is red or risk is high'
        """
        return self._first(env, order, days, recorded, lambda rule: rule.reason, self.default_reason)

    def _first(self, env: Env, order: StateOrder, days: Expr | None, recorded: bool,
               value: Callable[[ForecastRule], str], default: str) -> Expr:
        """``value`` of the first rule whose condition holds per row, else ``default``; null without a status."""
        nw = _env(env).nw
        _checks.instance("order", order, StateOrder, hint="pass a postsale.renewal.StateOrder")
        if days is not None and not isinstance(days, nw.Expr):
            raise InvalidTypeError("expected an expression", field="days", value=days,
                                   hint="pass a narwhals expression of days to renewal, or None")
        days = order.days(env) if days is None else days
        facts = fact_exprs(env, order=order, days=days, high_risk_from=self.high_risk_from, recorded=recorded)
        chain: Any = None
        last = default
        for rule in self.rules:
            found = rule.condition(facts)
            if found is False:
                continue
            if found is True:
                last = value(rule)
                break
            then = nw.lit(value(rule))
            chain = nw.when(found).then(then) if chain is None else chain.when(found).then(then)
        decided = nw.lit(last) if chain is None else chain.otherwise(nw.lit(last))
        result: Expr = nw.when(order._covers(env, days)).then(decided).otherwise(nw.lit(None, nw.String))
        return result


_C, _L, _A = ForecastCategory.COMMIT, ForecastCategory.LIKELY, ForecastCategory.AT_RISK

DEFAULT_FORECAST_RULES: Final = ForecastRules(
    rules=(
        ForecastRule(_C, "the renewal is confirmed", all_of={Fact.RENEWAL_CONFIRMED}),
        ForecastRule(_A, "the customer said it will not renew", any_of={Fact.INTENT_CANCEL}),
        ForecastRule(_A, "the renewal date passed without a confirmed renewal", any_of={Fact.LAPSED}),
        ForecastRule(
            _A,
            "a regression trigger is open",
            any_of={Fact.CHAMPION_LEFT, Fact.BUDGET_CUT, Fact.COMPETITOR_EVALUATION},
        ),
        ForecastRule(_A, "health is red or risk is high", any_of={Fact.HEALTH_RED, Fact.RISK_HIGH}),
        ForecastRule(
            _A,
            "the renewal started late or is in the danger zone: late starts kill deals",
            any_of={Fact.LATE_START, Fact.DANGER_ZONE},
            none_of={Fact.NOT_RECORDED},  # unknown is not late: without a record, health and risk decide
        ),
        ForecastRule(_C, "the customer committed to renew", all_of={Fact.INTENT_COMMITTED}),
        ForecastRule(
            _C,
            "health is green, risk is low and the conversation is under way",
            all_of={Fact.HEALTH_GREEN, Fact.RISK_LOW, Fact.CONVERSATION_STARTED},
        ),
        ForecastRule(
            _L,
            "health is green or yellow and risk is at most medium",
            any_of={Fact.HEALTH_GREEN, Fact.HEALTH_YELLOW},
        ),
    )
)
"""The default table: COMMIT = confirmed, or green + low risk + conversation
done; LIKELY = green/yellow with risk at most medium; AT_RISK = red, high risk, a regression trigger (champion
departure, budget cut, competitor), a late start or the danger zone (unless no renewal activity is recorded: then
whether the conversation started is unknown, and health and risk decide), or a customer who said no. Unknown
health -> AT_RISK."""


def _to_reasons(value: Any) -> tuple[str, ...]:
    return _checks.items("reasons", value, str)


def _to_risk(value: Any) -> RiskLevel:
    return _checks.member(RiskLevel, "risk", value)


def _to_csm_call(value: Any) -> ForecastCategory | None:
    return None if value is None else _to_category(value)


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

    Examples:
        >>> forecast = forecast_renewal(health="RED", csm_call="LIKELY")
        >>> forecast.computed, forecast.category, forecast.disagrees
        (<ForecastCategory.AT_RISK: 1>, <ForecastCategory.LIKELY: 2>, True)
    """

    __repr__ = readable
    account_id: str | None = attrs.field(validator=_checks.optional_validator(_checks.text))
    computed: ForecastCategory = attrs.field(converter=_to_category)
    reasons: tuple[str, ...] = attrs.field(converter=_to_reasons)
    rule: int | None = attrs.field(validator=_checks.optional_validator(_checks.count))
    facts: frozenset[Fact] = attrs.field(converter=_to_facts)
    risk: RiskLevel = attrs.field(converter=_to_risk)
    csm_call: ForecastCategory | None = attrs.field(
        default=None, converter=_to_csm_call
    )

    def __attrs_post_init__(self) -> None:
        if not self.reasons:
            raise InvalidValueError(
                "is empty", field="reasons", value=(), constraint="a forecast says why (at least one reason)",
                hint="build forecasts with forecast_renewal(...)",
            )

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
            Forecast LIKELY: health is green or yellow and risk is at most medium.
            Evidence: health is yellow.
            The CSM called COMMIT, which disagrees with the computed LIKELY: kept and flagged for review.
        """
        lines = [f"Forecast {self.computed.name}: {self.reasons[0]}."]
        if len(self.reasons) > 1:
            lines.append("Evidence: " + "; ".join(self.reasons[1:]) + ".")
        if Fact.NOT_RECORDED in self.facts:
            lines.append(
                "No renewal activity recorded: the forecast rests on health, risk, the customer's intent and the "
                "calendar, not on milestones; record the milestones done to judge the renewal's progress."
            )
        if self.csm_call is not None and self.csm_call != self.computed:  # disagrees
            lines.append(
                f"The CSM called {self.csm_call.name}, which disagrees with the computed {self.computed.name}: "
                "kept and flagged for review."
            )
        elif self.csm_call is not None:
            lines.append(f"The CSM's call {self.csm_call.name} agrees.")
        return lines


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
        status: The renewal status on the forecast date (:meth:`~postsale.renewal.RenewalTimeline.status`).
        signals: Account signals; the risk signals of :data:`~postsale.renewal.RISK_SIGNALS` count when > 0
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
    band = band_of(health, sig)
    call = None if csm_call is None else _checks.member(ForecastCategory, "csm_call", csm_call)
    said = _checks.member(Intent, "intent", intent)
    held, risk = gather(band=band, status=status, signals=sig, intent=said, high_risk_from=rules.high_risk_from)
    who = account_id if account_id is not None else (status.account_id if status else None)
    i = rules.decide(held)
    if i is None:
        return Forecast(who, rules.default, (rules.default_reason, *(f.value for f in _ordered(held))), None, held,
                        risk, call)
    rule = rules.rules[i]
    evidence = tuple(f.value for f in _ordered(rule.all_of | (rule.any_of & held)) if f.value != rule.reason)
    return Forecast(who, rule.category, (rule.reason, *evidence), i, held, risk, call)  # no reason said twice


_FACT_ORDER: Final[Mapping[Fact, int]] = MappingProxyType({f: i for i, f in enumerate(Fact)})
"""Each fact's place in :class:`Fact`'s order (the order reasons are given in; never changed)."""


def _ordered(facts: Iterable[Fact]) -> list[Fact]:
    return sorted(facts, key=_FACT_ORDER.__getitem__)
