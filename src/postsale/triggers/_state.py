"""What the engine carries and returns: an account's state, alerts (delivered or held back), errors, run results.

The state of an account is a small serializable value: its last evaluation date, health score and band (with the
day the band was entered), the previous values the rules compare against, the rules that held, when each rule
last alerted, which alerts are open, and the alerts counted against the budget. A daily job persists it with
``postsale.to_json`` and passes it back the next day.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

import attrs

from postsale import _checks
from postsale._frozen import FrozenDict, freeze
from postsale._vocabulary import HealthBand
from postsale.triggers._model import Action, Evidence, Priority, Sla

__all__ = ["AccountError", "AccountState", "Alert", "RunResult", "Suppression", "SuppressionReason"]


class SuppressionReason(enum.Enum):
    """Why an alert was held back: an open alert of the same rule, the rule's cooldown, or the account's budget.

    Examples:
        >>> SuppressionReason.COOLDOWN.value
        'cooldown'
    """

    OPEN_ALERT = "open_alert"
    COOLDOWN = "cooldown"
    BUDGET = "budget"


@attrs.frozen
class Suppression:
    """Why an alert was not delivered.

    Args:
        reason: The hygiene rule that held it back.
        detail: The facts, in words (dates, limits).

    Examples:
        >>> Suppression(SuppressionReason.COOLDOWN, "H4 alerted on 2026-03-02; cooldown 7 days").reason.name
        'COOLDOWN'
    """

    reason: SuppressionReason
    detail: str


@attrs.frozen
class Alert:
    """A rule fired for an account: what to do, by when, and why.

    Args:
        rule_id: The rule.
        rule_name: The rule's name.
        account_id: The account.
        as_of: The snapshot date.
        fired: When it fired (timezone-aware).
        due: When the action is due (timezone-aware, in the account's time zone for day-based SLAs).
        sla: The SLA word.
        priority: The priority.
        action: What to do.
        evidence: The values and thresholds that made the rule fire.
        source: Where the rule comes from.
        rule_set_version: The version of the rule set.
        suppression: Why it was held back, or ``None`` when delivered.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> from postsale.triggers import CATALOG, Engine
        >>> snap = AccountSnapshot("acme", "SMB", date(2026, 3, 2), signals={"support_tickets_week": 4})
        >>> _, [alert] = Engine(CATALOG).step(None, snap)
        >>> alert.rule_id, alert.delivered, alert.due.isoformat()
        ('H4', True, '2026-03-04T00:00:00+00:00')
        >>> alert.explain()[1]
        'support_tickets_week was 4 (rule: >= 3).'
    """

    rule_id: str
    rule_name: str
    account_id: str
    as_of: date
    fired: datetime
    due: datetime
    sla: Sla
    priority: Priority
    action: Action
    evidence: tuple[Evidence, ...]
    source: str = ""
    rule_set_version: str = ""
    suppression: Suppression | None = None

    @property
    def delivered(self) -> bool:
        """``True`` unless hygiene held the alert back."""
        return self.suppression is None

    def explain(self) -> list[str]:
        """Return plain sentences: which rule fired, on what evidence, what to do by when, and if held back, why."""
        lines = [
            f"{self.rule_id} {self.rule_name} fired for {self.account_id} on {self.as_of.isoformat()} "
            f"(rule set {self.rule_set_version or 'unversioned'}; source {self.source or 'custom'})."
        ]
        lines += [e.sentence() for e in self.evidence]
        lines.append(
            f"Action: {self.action.description or self.action.kind.name.lower()} by "
            f"{self.action.channel.name.lower()}, priority {self.priority.name}, due {self.due.isoformat()} "
            f"({self.sla.name})."
        )
        if self.suppression is not None:
            lines.append(f"Not delivered ({self.suppression.reason.name}): {self.suppression.detail}.")
        return lines


def _frozen(value: Mapping[str, Any]) -> Mapping[str, Any]:
    if type(value) is FrozenDict:
        return value
    return freeze(dict(value))


def _sorted_tuple(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(value))


def _date_tuple(value: Iterable[date]) -> tuple[date, ...]:
    return tuple(value)


def _states(value: Mapping[str, AccountState]) -> Mapping[str, AccountState]:
    _checks.instance("states", value, Mapping, hint="pass a mapping of account id to AccountState (may be empty)")
    for key, state in value.items():
        _checks.text("states (a key)", key)
        _checks.instance(f"states[{key!r}]", state, AccountState, hint="pass the states of an earlier RunResult")
    return _frozen(value)


def _empty() -> Mapping[str, Any]:
    return freeze({})


@attrs.frozen
class AccountState:
    """What the engine carries for one account between evaluations (serializable with ``postsale.to_data``).

    Args:
        account_id: The account.
        as_of: The date of the last evaluation.
        score: The health score then.
        band: The band then (after hysteresis).
        band_since: The day that band was entered.
        previous: The signal values of the last snapshot that rules compare against.
        active: Ids of the rules whose condition held (alerts fire on entry only).
        last_fired: For each rule, the date of its last delivered alert (cooldowns).
        open: For each rule, the date of its open alert (dedupe).
        budget_log: Dates of the delivered alerts counted against the budget in the current period.
        rule_set_version: The version of the rule set that produced this state.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot, to_data
        >>> from postsale.triggers import CATALOG, Engine
        >>> state, _ = Engine(CATALOG).step(None, AccountSnapshot("acme", "SMB", date(2026, 3, 2),
        ...                                                       signals={"health_score": 55.0}))
        >>> state.band.name, state.days_in_band, to_data(state)["band_since"]
        ('YELLOW', 0, '2026-03-02')
    """

    account_id: str
    as_of: date
    score: float | None = None
    band: HealthBand | None = None
    band_since: date | None = None
    previous: Mapping[str, float] = attrs.field(factory=_empty, converter=_frozen)
    active: tuple[str, ...] = attrs.field(default=(), converter=_sorted_tuple)
    last_fired: Mapping[str, date] = attrs.field(factory=_empty, converter=_frozen)
    open: Mapping[str, date] = attrs.field(factory=_empty, converter=_frozen)
    budget_log: tuple[date, ...] = attrs.field(default=(), converter=_date_tuple)
    rule_set_version: str = ""

    @property
    def days_in_band(self) -> int:
        """Consecutive days in :attr:`band` as of :attr:`as_of` (0 without a band)."""
        return 0 if self.band_since is None else (self.as_of - self.band_since).days

    def close(self, rule_id: str) -> AccountState:
        """Return this state with the open alert of ``rule_id`` closed (a no-op when none is open)."""
        if rule_id not in self.open:
            return self
        return attrs.evolve(self, open={k: v for k, v in self.open.items() if k != rule_id})


@attrs.frozen
class AccountError:
    """A snapshot that could not be evaluated; the others were evaluated anyway.

    Args:
        index: Position of the snapshot in the input.
        account_id: The account, when it could be read.
        error: The error class name (``"OutOfOrderError"``).
        message: The error message (names the field and, for signals, the rule reading it).
        field: The offending field, when known.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> from postsale.triggers import CATALOG, Engine
        >>> bad = AccountSnapshot("acme", "SMB", date(2026, 3, 2), signals={"support_tickets_week": -1})
        >>> [error] = Engine(CATALOG).run(None, [bad]).errors
        >>> error.account_id, error.error, error.field
        ('acme', 'InvalidValueError', "signals['support_tickets_week']")
    """

    index: int
    account_id: str | None
    error: str
    message: str
    field: str | None = None


@attrs.frozen
class RunResult:
    """The result of evaluating many snapshots: new states, alerts (delivered and held back) and errors.

    Args:
        states: The state of every account, by id (pass it to the next run).
        alerts: Every alert, in input order; suppressed ones carry their :class:`Suppression`.
        errors: The snapshots that could not be evaluated.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> from postsale.triggers import DEFAULT_RULE_SET, Engine
        >>> snap = AccountSnapshot("acme", "SMB", date(2026, 3, 2), signals={"support_tickets_week": 3,
        ...                                                                  "storage_ratio": 0.9})
        >>> result = Engine(DEFAULT_RULE_SET).run(None, [snap])
        >>> [a.rule_id for a in result.delivered], [a.rule_id for a in result.suppressed], list(result.states)
        (['H4'], ['P1'], ['acme'])
    """

    states: Mapping[str, AccountState] = attrs.field(converter=_states)
    alerts: tuple[Alert, ...] = ()
    errors: tuple[AccountError, ...] = ()

    @property
    def delivered(self) -> tuple[Alert, ...]:
        """The alerts to act on."""
        return tuple(a for a in self.alerts if a.suppression is None)

    @property
    def suppressed(self) -> tuple[Alert, ...]:
        """The alerts hygiene held back, each with its reason."""
        return tuple(a for a in self.alerts if a.suppression is not None)
