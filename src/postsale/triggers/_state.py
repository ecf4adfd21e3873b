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
from postsale._repr import readable
from postsale._vocabulary import HealthBand
from postsale.triggers._model import Action, Evidence, Priority, Sla, _real, _reals

__all__ = ["AccountError", "AccountState", "Alert", "RunResult", "Suppression", "SuppressionReason"]


def _is_str(field: str, value: Any) -> None:
    _checks.instance(field, value, str)


class SuppressionReason(enum.Enum):
    """Why an alert was held back: an open alert of the same rule, the rule's cooldown, or the account's budget.

    Examples:
        >>> SuppressionReason.COOLDOWN.value
        'cooldown'
    """

    OPEN_ALERT = "open_alert"
    COOLDOWN = "cooldown"
    BUDGET = "budget"


def _to_reason(value: Any) -> SuppressionReason:
    return _checks.member(SuppressionReason, "reason", value)


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

    __repr__ = readable
    reason: SuppressionReason = attrs.field(converter=_to_reason)
    detail: str = attrs.field(validator=_checks.validator(_checks.text))


def _to_sla(value: Any) -> Sla:
    return _checks.member(Sla, "sla", value)


def _to_priority(value: Any) -> Priority:
    return _checks.member(Priority, "priority", value)


def _to_evidence(value: Any) -> tuple[Evidence, ...]:
    return _checks.items("evidence", value, Evidence)


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

    __repr__ = readable
    rule_id: str = attrs.field(validator=_checks.validator(_checks.text))
    rule_name: str = attrs.field(validator=_checks.validator(_is_str))
    account_id: str = attrs.field(validator=_checks.validator(_checks.text))
    as_of: date = attrs.field(validator=_checks.validator(_checks.a_date))
    fired: datetime = attrs.field(validator=_checks.validator(_checks.aware))
    due: datetime = attrs.field(validator=_checks.validator(_checks.aware))
    sla: Sla = attrs.field(converter=_to_sla)
    priority: Priority = attrs.field(converter=_to_priority)
    action: Action = attrs.field(validator=_checks.validator(lambda f, v: _checks.instance(f, v, Action)))
    evidence: tuple[Evidence, ...] = attrs.field(converter=_to_evidence)
    source: str = attrs.field(default="", validator=_checks.validator(_is_str))
    rule_set_version: str = attrs.field(default="", validator=_checks.validator(_is_str))
    suppression: Suppression | None = attrs.field(
        default=None, validator=_checks.optional_validator(lambda f, v: _checks.instance(f, v, Suppression))
    )

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


def _frozen(value: Mapping[str, Any], field: str = "states") -> Mapping[str, Any]:
    if type(value) is FrozenDict:
        return value
    _checks.instance(field, value, Mapping, hint=f"pass a mapping for {field}")
    return freeze(dict(value))


def _sorted_tuple(value: Iterable[str]) -> tuple[str, ...]:
    if value.__class__ is tuple and all(v.__class__ is str for v in value):
        return tuple(sorted(value))
    return tuple(sorted(_checks.items("active", value, str)))


def _date_tuple(value: Iterable[date]) -> tuple[date, ...]:
    if value.__class__ is tuple and all(v.__class__ is date for v in value):
        return value
    items = _checks.items("budget_log", value)
    for i, day in enumerate(items):
        _checks.a_date(f"budget_log[{i}]", day)
    return items


def _states(value: Mapping[str, AccountState]) -> Mapping[str, AccountState]:
    _checks.instance("states", value, Mapping, hint="pass a mapping of account id to AccountState (may be empty)")
    for key, state in value.items():
        _checks.text("states (a key)", key)
        _checks.instance(f"states[{key!r}]", state, AccountState, hint="pass the states of an earlier RunResult")
    return _frozen(value)


def _empty() -> Mapping[str, Any]:
    return freeze({})


def _to_previous(value: Any) -> Mapping[str, float]:
    return _frozen(value, "previous")


def _to_last_fired(value: Any) -> Mapping[str, date]:
    return _frozen(value, "last_fired")


def _to_open(value: Any) -> Mapping[str, date]:
    return _frozen(value, "open")


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

    __repr__ = readable
    account_id: str
    as_of: date
    score: float | None = None
    band: HealthBand | None = None
    band_since: date | None = None
    previous: Mapping[str, float] = attrs.field(factory=_empty, converter=_to_previous)
    active: tuple[str, ...] = attrs.field(default=(), converter=_sorted_tuple)
    last_fired: Mapping[str, date] = attrs.field(factory=_empty, converter=_to_last_fired)
    open: Mapping[str, date] = attrs.field(factory=_empty, converter=_to_open)
    budget_log: tuple[date, ...] = attrs.field(default=(), converter=_date_tuple)
    rule_set_version: str = ""

    def __attrs_post_init__(self) -> None:
        # One cheap test (a state is rebuilt on every step of the engine); the full check only when it fails.
        if not (
            self.account_id.__class__ is str and self.account_id.strip() != "" and self.as_of.__class__ is date
            and (self.score is None or _real(self.score))
            and (self.band is None or self.band.__class__ is HealthBand)
            and (self.band_since is None or self.band_since.__class__ is date)
            and self.rule_set_version.__class__ is str
            and all(k.__class__ is str and v.__class__ is date for k, v in self.last_fired.items())
            and all(k.__class__ is str and v.__class__ is date for k, v in self.open.items())
            and _reals(self.previous)
        ):
            _check_state(self)

    @property
    def days_in_band(self) -> int:
        """Consecutive days in :attr:`band` as of :attr:`as_of` (0 without a band)."""
        return 0 if self.band_since is None else (self.as_of - self.band_since).days

    def close(self, rule_id: str) -> AccountState:
        """Return this state with the open alert of ``rule_id`` closed (a no-op when none is open)."""
        if rule_id.__class__ is not str:
            _checks.text("rule_id", rule_id)
        if rule_id not in self.open:
            return self
        return attrs.evolve(self, open={k: v for k, v in self.open.items() if k != rule_id})


def _check_state(state: AccountState) -> None:
    _checks.text("account_id", state.account_id)
    _checks.a_date("as_of", state.as_of)
    if state.score is not None:
        _checks.number("score", state.score)
    if state.band is not None:
        object.__setattr__(state, "band", _checks.member(HealthBand, "band", state.band))
    if state.band_since is not None:
        _checks.a_date("band_since", state.band_since)
    _checks.instance("rule_set_version", state.rule_set_version, str)
    for name in ("last_fired", "open"):
        for key, day in getattr(state, name).items():
            _checks.instance(name, key, str, hint="key each date by its rule id")
            _checks.a_date(f"{name}[{key!r}]", day)
    for key, value in state.previous.items():
        _checks.instance("previous", key, str, hint="key each value by its signal name")
        _checks.number(f"previous[{key!r}]", value)


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

    __repr__ = readable
    index: int = attrs.field(validator=_checks.validator(_checks.count))
    account_id: str | None = attrs.field(validator=_checks.optional_validator(_is_str))
    error: str = attrs.field(validator=_checks.validator(_checks.text))
    message: str = attrs.field(validator=_checks.validator(_is_str))
    field: str | None = attrs.field(default=None, validator=_checks.optional_validator(_is_str))


def _to_alerts(value: Any) -> tuple[Alert, ...]:
    return _checks.items("alerts", value, Alert)


def _to_errors(value: Any) -> tuple[AccountError, ...]:
    return _checks.items("errors", value, AccountError)


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
        >>> snap = AccountSnapshot("acme", "SMB", date(2026, 3, 2),
        ...                        signals={"support_tickets_week": 3, "storage_ratio": 0.9, "usage_limit_ratio": 0.9})
        >>> result = Engine(DEFAULT_RULE_SET).run(None, [snap])
        >>> [a.rule_id for a in result.delivered], [a.rule_id for a in result.suppressed], list(result.states)
        (['H4', 'P1'], ['P2'], ['acme'])
    """

    __repr__ = readable
    states: Mapping[str, AccountState] = attrs.field(converter=_states)
    alerts: tuple[Alert, ...] = attrs.field(default=(), converter=_to_alerts)
    errors: tuple[AccountError, ...] = attrs.field(
        default=(), converter=_to_errors
    )

    @property
    def delivered(self) -> tuple[Alert, ...]:
        """The alerts to act on."""
        return tuple(a for a in self.alerts if a.suppression is None)

    @property
    def suppressed(self) -> tuple[Alert, ...]:
        """The alerts hygiene held back, each with its reason."""
        return tuple(a for a in self.alerts if a.suppression is not None)
