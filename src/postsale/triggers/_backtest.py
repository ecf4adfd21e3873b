"""Backtests: replay a rule set (and optionally a health model) over history and score it against outcomes.

Answers the question "can you identify at-risk customers 60-90 days before they churn?".
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from datetime import date
from typing import Any

import attrs

from postsale import _checks
from postsale._errors import InvalidValueError, UnknownNameError
from postsale._repr import readable
from postsale._vocabulary import AccountSnapshot
from postsale.triggers._engine import Engine, HealthScorer
from postsale.triggers._model import OutcomeKind
from postsale.triggers._rules import RuleSet
from postsale.triggers._state import AccountError, Alert

__all__ = ["BACKTEST_HORIZON_DAYS", "EARLY_WARNING_DAYS", "Backtest", "Outcome", "RuleScore", "backtest"]

BACKTEST_HORIZON_DAYS = 90
"""An alert counts for an outcome at most 90 days later ("knowing 90 days ahead")."""

EARLY_WARNING_DAYS = 60
"""An outcome is caught early when an alert came at least 60 days before it ("60-90 days before they churn")."""


def _to_kind(value: Any) -> OutcomeKind:
    return _checks.member(OutcomeKind, "kind", value)


@attrs.frozen
class Outcome:
    """What happened to an account, and when.

    Args:
        account_id: The account.
        kind: CHURNED, RENEWED or EXPANDED.
        on: The date it happened.

    Examples:
        >>> from datetime import date
        >>> from postsale.triggers import OutcomeKind
        >>> Outcome("acme", OutcomeKind.CHURNED, date(2026, 3, 1)).kind.name
        'CHURNED'
    """

    __repr__ = readable
    account_id: str = attrs.field(validator=_checks.validator(_checks.text))
    kind: OutcomeKind = attrs.field(converter=_to_kind)
    on: date = attrs.field(validator=_checks.validator(_checks.a_date))


_count = _checks.validator(_checks.count)


def _ratio(top: int, bottom: int) -> float | None:
    return None if bottom == 0 else top / bottom


def _to_target(value: Any) -> OutcomeKind | None:
    return None if value is None else _checks.member(OutcomeKind, "target", value)


@attrs.frozen
class RuleScore:
    """How one rule did in a backtest.

    Args:
        rule_id: The rule.
        target: The outcome it was scored against (``None``: the rule predicts nothing; counts only).
        alerts: Delivered alerts.
        suppressed: Alerts held back by hygiene.
        true_positives: Delivered alerts followed by a target outcome of the same account within the horizon.
        precision: ``true_positives / alerts`` (``None`` without alerts or target).
        outcomes: Target outcomes in the data.
        caught: Target outcomes preceded by at least one alert within the horizon.
        recall: ``caught / outcomes`` (``None`` without outcomes).
        median_lead_days: Median days from the earliest alert within the horizon to the outcome, over caught ones.
        caught_early: Outcomes whose earliest alert within the horizon came at least ``early_days`` before.
        alerts_per_account_week: Delivered alerts per account per observed week.

    Examples:
        >>> from datetime import date, timedelta
        >>> from postsale import AccountSnapshot
        >>> from postsale.triggers import CATALOG, OutcomeKind
        >>> history = [AccountSnapshot("a", "SMB", date(2026, 1, 5) + timedelta(weeks=i),
        ...                            signals={"support_tickets_week": n}) for i, n in enumerate([0, 4, 0])]
        >>> churned = Outcome("a", OutcomeKind.CHURNED, date(2026, 3, 1))
        >>> report = backtest(CATALOG.select("H4"), history, [churned])
        >>> h4 = report.rule("H4")
        >>> h4.alerts, h4.true_positives, h4.precision, h4.median_lead_days
        (1, 1, 1.0, 48.0)
    """

    __repr__ = readable
    rule_id: str = attrs.field(validator=_checks.validator(_checks.text))
    target: OutcomeKind | None = attrs.field(
        converter=_to_target
    )
    alerts: int = attrs.field(validator=_count)
    suppressed: int = attrs.field(validator=_count)
    true_positives: int = attrs.field(validator=_count)
    precision: float | None = attrs.field(validator=_checks.optional_validator(_checks.ratio))
    outcomes: int = attrs.field(validator=_count)
    caught: int = attrs.field(validator=_count)
    recall: float | None = attrs.field(validator=_checks.optional_validator(_checks.ratio))
    median_lead_days: float | None = attrs.field(validator=_checks.optional_validator(_checks.non_negative))
    caught_early: int = attrs.field(validator=_count)
    alerts_per_account_week: float = attrs.field(validator=_checks.validator(_checks.non_negative))

    def explain(self) -> list[str]:
        """Return the score in plain sentences."""
        lines = [f"{self.rule_id}: {self.alerts} alert(s) delivered, {self.suppressed} held back by hygiene."]
        if self.target is None:
            lines.append(f"{self.rule_id} predicts no outcome; only its volume is reported.")
            return lines
        name = self.target.name
        if self.precision is not None:
            lines.append(f"{self.true_positives} of them were followed by {name} ({self.precision:.0%} precision).")
        if self.recall is not None:
            lines.append(f"It caught {self.caught} of {self.outcomes} {name} outcome(s) ({self.recall:.0%} recall).")
        if self.median_lead_days is not None:
            lines.append(f"Median lead time {self.median_lead_days:g} days; {self.caught_early} caught early enough.")
        lines.append(f"{self.alerts_per_account_week:.3f} alert(s) per account per week.")
        return lines


def _to_rules(value: Any) -> tuple[RuleScore, ...]:
    return _checks.items("rules", value, RuleScore)


def _to_errors(value: Any) -> tuple[AccountError, ...]:
    return _checks.items("errors", value, AccountError)


@attrs.frozen
class Backtest:
    """The result of a backtest: one :class:`RuleScore` per rule, plus the replay's errors.

    Args:
        rule_set_version: The version of the rule set replayed.
        horizon_days: The horizon.
        early_days: The "early enough" lead time.
        accounts: Accounts replayed.
        account_weeks: Observed account-weeks (the denominator of alert volume).
        rules: One score per rule, in rule-set order.
        errors: Snapshots that could not be evaluated.

    Examples:
        >>> from datetime import date, timedelta
        >>> from postsale import AccountSnapshot
        >>> from postsale.triggers import CATALOG, OutcomeKind
        >>> history = [AccountSnapshot("a", "SMB", date(2026, 1, 5) + timedelta(weeks=i),
        ...                            signals={"support_tickets_week": n}) for i, n in enumerate([0, 4, 0])]
        >>> churned = Outcome("a", OutcomeKind.CHURNED, date(2026, 3, 1))
        >>> report = backtest(CATALOG.select("H4"), history, [churned])
        >>> report.explain()[:2]
        ['Backtest of rule set 2026.2 over 1 account(s) (2.14286 account-weeks), horizon 90 days.',
         'H4: 1 alert(s) delivered, 0 held back by hygiene.']
    """

    __repr__ = readable
    rule_set_version: str = attrs.field(validator=_checks.validator(lambda f, v: _checks.instance(f, v, str)))
    horizon_days: int = attrs.field(validator=_count)
    early_days: int = attrs.field(validator=_count)
    accounts: int = attrs.field(validator=_count)
    account_weeks: float = attrs.field(validator=_checks.validator(_checks.non_negative))
    rules: tuple[RuleScore, ...] = attrs.field(converter=_to_rules)
    errors: tuple[AccountError, ...] = attrs.field(
        default=(), converter=_to_errors
    )

    def rule(self, rule_id: str) -> RuleScore:
        """Return the score of ``rule_id``.

        Raises:
            UnknownNameError: no such rule in the backtest.
        """
        for score in self.rules:
            if score.rule_id == rule_id:
                return score
        ids = ", ".join(s.rule_id for s in self.rules)
        raise UnknownNameError("is not a rule of this backtest", field="rule_id", value=rule_id, hint=f"one of {ids}")

    def explain(self) -> list[str]:
        """Return every rule's score as sentences."""
        head = (
            f"Backtest of rule set {self.rule_set_version} over {self.accounts} account(s) "
            f"({self.account_weeks:g} account-weeks), horizon {self.horizon_days} days."
        )
        return [head] + [line for score in self.rules for line in score.explain()]


def backtest(
    rules: RuleSet | Engine,
    history: Iterable[AccountSnapshot],
    outcomes: Iterable[Outcome],
    *,
    horizon_days: int = BACKTEST_HORIZON_DAYS,
    early_days: int = EARLY_WARNING_DAYS,
    target: OutcomeKind | None = None,
    health_model: HealthScorer | None = None,
) -> Backtest:
    """Replay ``history`` through ``rules`` (with hygiene) and score each rule against ``outcomes``.

    Snapshots are replayed in date order (stable), each account from an empty state. An alert is a true positive
    when an outcome of the rule's target kind (``rule.predicts``, or ``target`` for every rule) happens to the same
    account 0 to ``horizon_days`` days after it.

    Args:
        rules: The rule set (or an engine, e.g. one carrying a health model).
        history: Snapshots of any accounts.
        outcomes: What happened.
        horizon_days: How far ahead an alert may anticipate an outcome.
        early_days: Lead time that counts as "early enough" (60 days).
        target: Score every rule against this outcome kind instead of its own ``predicts``.
        health_model: A health model to compute scores with (when ``rules`` is a rule set).

    Returns:
        A :class:`Backtest`.

    Raises:
        InvalidValueError: ``horizon_days`` or ``early_days`` is not a positive number of days.

    Examples:
        >>> from datetime import date, timedelta
        >>> from postsale import AccountSnapshot
        >>> from postsale.triggers import CATALOG, OutcomeKind
        >>> history = [AccountSnapshot("a", "SMB", date(2026, 1, 5) + timedelta(weeks=i),
        ...                            signals={"support_tickets_week": n}) for i, n in enumerate([0, 4, 0])]
        >>> churned = Outcome("a", OutcomeKind.CHURNED, date(2026, 3, 1))
        >>> report = backtest(CATALOG.select("H4"), history, [churned])
        >>> report.rule("H4").recall, report.rule("H4").caught_early
        (1.0, 0)
    """
    for name, value in (("horizon_days", horizon_days), ("early_days", early_days)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidValueError("must be a whole number of days >= 0", field=name, value=value, hint="e.g. 90")
    engine = rules if isinstance(rules, Engine) else Engine(rules, health_model=health_model)
    if target is not None:
        target = _checks.member(OutcomeKind, "target", target)
    snapshots = sorted(_checks.items("history", history, AccountSnapshot), key=lambda s: s.as_of)
    outcomes = _checks.items("outcomes", outcomes, Outcome)
    result = engine.run(None, snapshots)
    first: dict[str, date] = {}
    last: dict[str, date] = {}
    for s in snapshots:
        first.setdefault(s.account_id, s.as_of)
        last[s.account_id] = s.as_of
    account_weeks = sum(((last[a] - first[a]).days + 1) / 7 for a in first)
    by_account: dict[tuple[str, OutcomeKind], list[date]] = {}
    counts: dict[OutcomeKind, int] = {}
    for outcome in outcomes:
        by_account.setdefault((outcome.account_id, outcome.kind), []).append(outcome.on)
        counts[outcome.kind] = counts.get(outcome.kind, 0) + 1
    scores = tuple(
        _score(
            rule.id,
            target or rule.predicts,
            result.alerts,
            outcomes=(by_account, counts),
            horizon=horizon_days,
            early=early_days,
            account_weeks=account_weeks,
        )
        for rule in engine.rule_set.rules
    )
    return Backtest(
        rule_set_version=engine.rule_set.version,
        horizon_days=horizon_days,
        early_days=early_days,
        accounts=len(first),
        account_weeks=account_weeks,
        rules=scores,
        errors=result.errors,
    )


def _score(
    rule_id: str,
    kind: OutcomeKind | None,
    alerts: tuple[Alert, ...],
    *,
    outcomes: tuple[dict[tuple[str, OutcomeKind], list[date]], dict[OutcomeKind, int]],
    horizon: int,
    early: int,
    account_weeks: float,
) -> RuleScore:
    by_account, counts = outcomes
    mine = [a for a in alerts if a.rule_id == rule_id]
    delivered = [a for a in mine if a.suppression is None]
    volume = len(delivered) / account_weeks if account_weeks else 0.0
    if kind is None:
        return RuleScore(
            rule_id, None, len(delivered), len(mine) - len(delivered), 0, None, 0, 0, None, None, 0, volume
        )
    hits = 0
    leads: list[int] = []
    fired_on: dict[str, list[date]] = {}
    for alert in delivered:
        fired_on.setdefault(alert.account_id, []).append(alert.as_of)
        days = by_account.get((alert.account_id, kind), [])
        if any(0 <= (on - alert.as_of).days <= horizon for on in days):
            hits += 1
    for (account_id, outcome_kind), days in by_account.items():
        if outcome_kind is not kind:
            continue
        for on in days:
            within = [(on - d).days for d in fired_on.get(account_id, []) if 0 <= (on - d).days <= horizon]
            if within:
                leads.append(max(within))
    caught = len(leads)
    return RuleScore(
        rule_id=rule_id,
        target=kind,
        alerts=len(delivered),
        suppressed=len(mine) - len(delivered),
        true_positives=hits,
        precision=_ratio(hits, len(delivered)),
        outcomes=counts.get(kind, 0),
        caught=caught,
        recall=_ratio(caught, counts.get(kind, 0)),
        median_lead_days=float(statistics.median(leads)) if leads else None,
        caught_early=sum(1 for d in leads if d >= early),
        alerts_per_account_week=volume,
    )
