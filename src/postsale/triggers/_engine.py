"""Evaluation as a pure fold, ``Engine.step(state, snapshot) -> (state, alerts)``, with alert hygiene.

The state of an account is a small serializable value: its last evaluation date, health score and band (with the
day the band was entered), the previous values the rules compare against, the rules that held, when each rule
last alerted, which alerts are open, and the alerts counted against the budget. A daily job persists it with
``postsale.to_json`` and passes it back the next day; replaying the same snapshots gives the same alerts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any, Final, Protocol

from postsale import _checks, signals
from postsale._convert import from_data
from postsale._errors import InvalidTypeError, InvalidValueError, OutOfOrderError, PostsaleError
from postsale._frozen import EMPTY, freeze, unchecked
from postsale._vocabulary import AccountSnapshot, Segment
from postsale.health import BandPolicy, HealthModel
from postsale.health._fast import value_function
from postsale.triggers._conditions import AllOf, AnyOf, Not
from postsale.triggers._model import Action, Context, Evidence, Priority, Sla
from postsale.triggers._moment_conditions import BandTransition, DaysInBand, DaysSince, DaysUntil
from postsale.triggers._rules import AlertBudget, CompiledRules, Rule, RuleSet
from postsale.triggers._signal_conditions import Threshold
from postsale.triggers._sla import due_time
from postsale.triggers._state import (
    AccountError,
    AccountState,
    Alert,
    RunResult,
    Suppression,
    SuppressionReason,
)

__all__ = ["NON_NEGATIVE_SIGNALS", "Engine", "HealthScorer"]

NON_NEGATIVE_SIGNALS = frozenset(
    {
        signals.LOGINS_WEEK,
        signals.LOGINS_PREV_WEEK,
        signals.LOGINS_MONTH,
        signals.LOGINS_PREV_MONTH,
        signals.ACTIVE_USERS,
        signals.CORE_FEATURE_USAGE,
        signals.CRITICAL_FEATURE_USAGE,
        signals.CRITICAL_FEATURE_USAGE_PREV,
        signals.DISTINCT_FEATURES_USED,
        signals.SUPPORT_TICKETS_WEEK,
        signals.CRITICAL_ISSUES_OPEN,
        signals.STORAGE_RATIO,
        signals.USAGE_LIMIT_RATIO,
        signals.ACTIVITY_PERCENTILE,
        signals.CORE_SETUP_COMPLETION,
        signals.POWER_USERS,
        signals.RENEWALS_COMPLETED,
        signals.DAYS_SINCE_LAST_LOGIN,
        signals.NEW_FEATURE_USAGE,
        signals.DAYS_SINCE_FEATURE_RELEASE,
    }
)
"""Counts and shares that can never be negative; a rule reading a negative one is an input error."""


class HealthScorer(Protocol):
    """Anything that scores a snapshot (``postsale.health.HealthModel`` does): ``score(snapshot).value``.

    Examples:
        >>> from datetime import date
        >>> from types import SimpleNamespace
        >>> from postsale import AccountSnapshot
        >>> from postsale.triggers import CATALOG
        >>> class Fixed:
        ...     def score(self, snapshot):
        ...         return SimpleNamespace(value=35.0)
        >>> state, _ = Engine(CATALOG, health_model=Fixed()).step(None, AccountSnapshot("a", "SMB", date(2026, 3, 2)))
        >>> state.score, state.band.name
        (35.0, 'RED')
    """

    def score(self, snapshot: AccountSnapshot, /) -> Any:
        """Return a value with a ``value`` attribute: the 0-100 score."""


def _no_health_data_error() -> tuple[type[BaseException], ...]:
    """Return the health context's "no data" error class, if the health context is there (imported lazily)."""
    try:
        from postsale import health
    except ImportError:  # pragma: no cover - the health context ships with postsale
        return ()
    error = getattr(health, "NoHealthDataError", None)
    return (error,) if isinstance(error, type) and issubclass(error, BaseException) else ()


def _start_of_day(snapshot: AccountSnapshot) -> datetime:
    return datetime.combine(snapshot.as_of, time(0), tzinfo=_checks.time_zone("time_zone", snapshot.time_zone))


class Engine:
    """Evaluates a rule set over snapshots as a pure fold, with alert hygiene.

    Args:
        rule_set: The rules (compiled once here).
        health_model: Optional scorer (e.g. ``postsale.health.DEFAULT_HEALTH_MODEL``), else the ``health_score``
            signal is used. Scores become bands by the scorer's band policy (``bands``), else the default policy.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> from postsale.triggers import CATALOG
        >>> engine = Engine(CATALOG)
        >>> snap = AccountSnapshot("acme", "SMB", date(2026, 3, 2), signals={"support_tickets_week": 3})
        >>> state, alerts = engine.step(None, snap)
        >>> [a.rule_id for a in alerts], alerts[0].due.isoformat()
        (['H4'], '2026-03-04T00:00:00+00:00')
    """

    __slots__ = (
        "_checked", "_checked_names", "_keys", "_limits", "_no_data", "_skippable", "_trusted", "_value", "bands",
        "compiled", "health_model", "rule_set",
    )

    def __init__(self, rule_set: RuleSet, *, health_model: HealthScorer | None = None) -> None:
        if not isinstance(rule_set, RuleSet):
            raise InvalidTypeError(
                "expected a RuleSet",
                field="rule_set",
                value=rule_set,
                hint="build one or use postsale.triggers.CATALOG",
            )
        if health_model is not None and not callable(getattr(health_model, "score", None)):
            raise InvalidTypeError(
                "has no score(snapshot) method",
                field="health_model",
                value=health_model,
                hint="pass a postsale.health.HealthModel or None",
            )
        self.rule_set = rule_set
        self.health_model = health_model
        self.bands = bands if isinstance(bands := getattr(health_model, "bands", None), BandPolicy) else BandPolicy()
        self._no_data = _no_health_data_error() if health_model is not None else ()
        self._value = (
            value_function(health_model)
            if isinstance(health_model, HealthModel) and health_model.__class__ is HealthModel
            else None
        )
        self.compiled: CompiledRules = rule_set.compile()
        self._keys = {r.id: (r.priority, r.sla.urgency, i) for i, r in enumerate(rule_set.rules)}
        self._trusted = frozenset(r.id for r in rule_set.rules if _plain_rule(r, rule_set.version))
        self._skippable = self._trusted & {r.id for r in rule_set.rules if _quiet_evidence(r.condition)}
        readers: dict[str, list[str]] = {}
        for rule in rule_set.rules:
            for name in rule.condition.signal_names():
                readers.setdefault(name, []).append(rule.id)
        self._checked = tuple(
            (name, ", ".join(ids)) for name, ids in sorted(readers.items()) if name in NON_NEGATIVE_SIGNALS
        )
        self._checked_names = frozenset(name for name, _ in self._checked)
        self._limits = {segment: rule_set.hygiene.budget.limit(segment) for segment in Segment}

    # ---- the fold ------------------------------------------------------------------------------------------
    def step(
        self, state: AccountState | None, snapshot: AccountSnapshot, *, now: datetime | None = None
    ) -> tuple[AccountState, tuple[Alert, ...]]:
        """Evaluate one snapshot of one account; return the new state and the alerts (suppressed ones included).

        Args:
            state: The account's state from the previous step, or ``None`` for its first evaluation.
            snapshot: The snapshot (strictly later than ``state.as_of``).
            now: The detection time (timezone-aware); default: the start of ``snapshot.as_of`` in the account's
                time zone, so replays are deterministic.

        Raises:
            InvalidTypeError: ``snapshot`` is not an :class:`~postsale.AccountSnapshot`.
            InvalidValueError: the state belongs to another account; a count read by a rule is negative; the
                health score is outside 0-100 (the message names the signal and the rules reading it).
            OutOfOrderError: the snapshot is not later than the state.
            NaiveDatetimeError: ``now`` is naive.
            InvalidTypeError: ``state`` is neither ``None`` nor an :class:`AccountState`.
        """
        return self._step(state, snapshot, now, None)

    def _step(
        self,
        state: AccountState | None,
        snapshot: AccountSnapshot,
        now: datetime | None,
        keep: tuple[date, datetime] | None,
        score: float | None = None,
    ) -> tuple[AccountState, tuple[Alert, ...]]:
        """:meth:`step`; with ``keep=(day, start)``, only the alerts a review keeps of the step are built and
        returned: the delivered ones of ``day`` or due from ``start`` on (the state is the same, and so are the
        errors: what can raise for an alert left out is still computed). ``score``: the snapshot's health score
        by this engine's model, when the caller has it (a review scores the latest snapshot once)."""
        if not isinstance(snapshot, AccountSnapshot):
            raise InvalidTypeError(
                "expected an AccountSnapshot",
                field="snapshot",
                value=type(snapshot).__name__,
                hint="build it with postsale.from_data(AccountSnapshot, data) at the edge",
            )
        fired = None if now is None else _checks.aware("now", now)  # None: the start of the day, when needed
        if state is not None:
            if not isinstance(state, AccountState):
                raise InvalidTypeError(
                    "expected an AccountState or None",
                    field="state",
                    value=type(state).__name__,
                    hint="pass None for an account's first step, then the state the previous step returned",
                )
            self._check_state(state, snapshot)
        self._check_signals(snapshot)
        if score is None:
            score = self._score(snapshot)
        previous_band = state.band if state else None
        band = None if score is None else self.bands.band(score, previous=previous_band)
        since = state.band_since if state and band is not None and band == previous_band else None
        if band is not None and since is None:
            since = snapshot.as_of
        days_in_band = 0 if since is None else (snapshot.as_of - since).days
        previous_score = state.score if state else None
        previous = state.previous if state else EMPTY
        active = frozenset(state.active) if state else frozenset()
        if 0 <= days_in_band <= _checks.MAX_COUNT:  # all else comes from the checked state and score
            context = unchecked(Context, score, band, previous_score, previous_band, days_in_band, previous, active)
        else:  # a state whose band began after its date: the context's own error
            context = Context(score, band, previous_score, previous_band, days_in_band, previous, active)
        matched = self.compiled.matching(snapshot, context)
        entered = [rid for rid in matched if rid not in active]
        (open_alerts, last_fired, log), alerts = self._hygiene(state, snapshot, context, entered, fired, keep)
        previous_values = {}
        sig = snapshot.signals
        for name in self.compiled.previous_names:
            value = sig.get(name)
            if value is not None:
                previous_values[name] = value
        new_state = unchecked(  # values derived from the checked state, snapshot and score
            AccountState,
            snapshot.account_id,
            snapshot.as_of,
            score,
            band,
            since,
            freeze(previous_values),
            tuple(sorted(matched)),
            freeze(last_fired),
            freeze(open_alerts),
            log,
            self.rule_set.version,
        )
        return new_state, alerts

    def __repr__(self) -> str:
        model = getattr(self.health_model, "name", None) or type(self.health_model).__name__
        return (f"Engine(rule_set={self.rule_set.version!r}, rules={len(self.rule_set.rules)}, "
                f"health_model={model if self.health_model is not None else None!r})")

    def _check_state(self, state: AccountState, snapshot: AccountSnapshot) -> None:
        if not isinstance(state, AccountState):
            raise InvalidTypeError(
                "expected an AccountState or None", field="state", value=type(state).__name__, hint="pass None first"
            )
        if state.account_id != snapshot.account_id:
            raise InvalidValueError(
                "belongs to another account",
                field="state.account_id",
                value=state.account_id,
                constraint=f"must be the snapshot's account {snapshot.account_id!r}",
                hint="pass the state of the same account (or None for a new account)",
            )
        if snapshot.as_of <= state.as_of:
            raise OutOfOrderError(
                "is not after the last evaluation",
                field="as_of",
                value=snapshot.as_of,
                constraint=f"snapshots of {snapshot.account_id!r} must come in strictly increasing date order "
                f"(last evaluated {state.as_of.isoformat()})",
                hint="sort the snapshots by date and evaluate each date once",
            )

    def _check_signals(self, snapshot: AccountSnapshot) -> None:
        sig = snapshot.signals
        present = self._checked_names.intersection(sig)
        if not present or min(map(sig.__getitem__, present)) >= 0:  # the hot path: no negative count
            return
        name, readers = next((name, readers) for name, readers in self._checked if sig.get(name, 0.0) < 0)
        raise InvalidValueError(
            "is negative",
            field=f"signals[{name!r}]",
            value=sig[name],
            constraint=f"counts and shares are >= 0 (read by rule {readers})",
            hint="fix the data feeding this signal, or drop it",
        )

    def _score(self, snapshot: AccountSnapshot) -> float | None:
        model = self.health_model
        if self._value is not None:  # the value alone: the same number without building its explanation
            value = self._value(snapshot)
            if value is None:
                return None  # no component has data: no score, like a missing health_score signal
            field = "health_model.score(snapshot).value"
        elif model is not None:
            try:
                result = model.score(snapshot)
            except self._no_data:
                return None
            field = "health_model.score(snapshot).value"
            value = _checks.number(field, result.value)
        else:
            raw = snapshot.signals.get(signals.HEALTH_SCORE)
            if raw is None:
                return None
            value, field = raw, f"signals[{signals.HEALTH_SCORE!r}]"
        if not 0 <= value <= 100:
            raise InvalidValueError(
                "is outside 0-100",
                field=field,
                value=value,
                constraint="health scores are on a 0-100 scale",
                hint="rescale the score to 0-100",
            )
        return value

    def _hygiene(
        self,
        state: AccountState | None,
        snapshot: AccountSnapshot,
        context: Context,
        entered: list[str],
        fired: datetime | None,
        keep: tuple[date, datetime] | None = None,
    ) -> tuple[tuple[Mapping[str, date], Mapping[str, date], tuple[date, ...]], tuple[Alert, ...]]:
        """One step's hygiene: the open alerts, last firings and budget log after it, and the alerts (with ``keep``,
        only those :meth:`_step` keeps)."""
        today = snapshot.as_of
        hygiene = self.rule_set.hygiene
        budget = hygiene.budget
        close_after = hygiene.auto_close_days
        open_alerts = {} if state is None or not state.open else {
            rid: day for rid, day in state.open.items() if close_after is None or (today - day).days < close_after
        }
        log = [] if state is None else [d for d in state.budget_log if (today - d).days < budget.period_days]
        if not entered:  # the common step: nothing fires, the last firings stay as they were
            return (open_alerts, EMPTY if state is None else state.last_fired, tuple(log)), ()
        last_fired = {} if state is None else dict(state.last_fired)
        limit = self._limits[snapshot.segment]
        if fired is None:
            fired = _start_of_day(snapshot)
        rules = self.compiled.rules
        if len(entered) > 1:
            entered.sort(key=self._keys.__getitem__)
        alerts = []
        counted_today: list[str] = []
        for rid in entered:
            rule = rules[rid]
            suppression = None
            last = last_fired.get(rid)
            if rid in open_alerts:
                if keep is None:
                    suppression = Suppression(
                        SuppressionReason.OPEN_ALERT, _open_detail(rid, open_alerts[rid], close_after)
                    )
                else:
                    suppression = _LEFT_OUT
            elif last is not None and (today - last).days < rule.cooldown_days:
                detail = _cooldown_detail(rid, last, rule.cooldown_days)  # built either way: it can overflow
                suppression = _LEFT_OUT if keep is not None else Suppression(SuppressionReason.COOLDOWN, detail)
            elif rule.priority not in budget.exempt and len(log) >= limit:
                if keep is None:
                    suppression = Suppression(
                        SuppressionReason.BUDGET, _budget_detail(budget, snapshot, limit, log, counted_today)
                    )
                else:
                    suppression = _LEFT_OUT
            if suppression is None:
                last_fired[rid] = today
                open_alerts[rid] = today
                if rule.priority not in budget.exempt:
                    log.append(today)
                    counted_today.append(rid)
            due = self._due(rule, snapshot, fired)
            if keep is None or (suppression is None and (today == keep[0] or due >= keep[1])):
                alerts.append(self._alert(rule, snapshot, context, fired, suppression, due))
            elif rid not in self._skippable:  # left out, but building it could raise: built as step() does
                self._alert(rule, snapshot, context, fired, suppression, due)
        return (open_alerts, last_fired, tuple(log)), tuple(alerts)

    def _due(self, rule: Rule, snapshot: AccountSnapshot, fired: datetime) -> datetime:
        return due_time(
            rule.sla,
            fired,
            time_zone=snapshot.time_zone,
            contract_start=snapshot.contract_start,
            few_days=self.rule_set.few_days,
        )

    def _alert(
        self,
        rule: Rule,
        snapshot: AccountSnapshot,
        context: Context,
        fired: datetime,
        suppression: Suppression | None,
        due: datetime,
    ) -> Alert:
        evidence = tuple(rule.condition.evidence(snapshot, context))
        if rule.id in self._trusted and all(e.__class__ is Evidence for e in evidence):
            return unchecked(
                Alert, rule.id, rule.name, snapshot.account_id, snapshot.as_of, fired, due, rule.sla, rule.priority,
                rule.action, evidence, rule.source, self.rule_set.version, suppression,
            )
        return Alert(
            rule_id=rule.id,
            rule_name=rule.name,
            account_id=snapshot.account_id,
            as_of=snapshot.as_of,
            fired=fired,
            due=due,
            sla=rule.sla,
            priority=rule.priority,
            action=rule.action,
            evidence=evidence,
            source=rule.source,
            rule_set_version=self.rule_set.version,
            suppression=suppression,
        )

    # ---- many accounts -----------------------------------------------------------------------------------
    def run(
        self,
        states: Mapping[str, AccountState] | None,
        snapshots: Iterable[AccountSnapshot | Mapping[str, Any]],
        *,
        now: datetime | None = None,
    ) -> RunResult:
        """Evaluate many snapshots (any accounts, each account's in date order), collecting errors.

        A snapshot that cannot be evaluated (bad data, out of order, negative counts ...) becomes an
        :class:`AccountError`; its account keeps its previous state and every other snapshot is evaluated.
        Plain mappings are structured with ``postsale.from_data`` first (their errors are collected too).

        Args:
            states: The states from the previous run (``None`` or ``{}`` to start).
            snapshots: The snapshots (or their plain data).
            now: The detection time for all of them (default: each snapshot's start of day).

        Returns:
            The new states, every alert, and the errors.
        """
        if now is not None:
            _checks.aware("now", now)
        if states is not None:
            _checks.instance("states", states, Mapping, hint="pass the states of an earlier RunResult, or None")
            for key, state in states.items():
                _checks.text("states (a key)", key)
                _checks.instance(f"states[{key!r}]", state, AccountState, hint="pass the states of an earlier run")
        current: dict[str, AccountState] = dict(states or {})
        snapshots = _checks.items("snapshots", snapshots)
        alerts: list[Alert] = []
        errors: list[AccountError] = []
        for index, item in enumerate(snapshots):
            account_id = _account_of(item)
            try:
                snapshot = item if isinstance(item, AccountSnapshot) else from_data(AccountSnapshot, item)
                new_state, fired = self.step(current.get(snapshot.account_id), snapshot, now=now)
            except PostsaleError as exc:
                errors.append(AccountError(index, account_id, type(exc).__name__, str(exc), exc.field))
                continue
            current[snapshot.account_id] = new_state
            alerts.extend(fired)
        return RunResult(current, tuple(alerts), tuple(errors))


_LEFT_OUT: Final = Suppression(SuppressionReason.OPEN_ALERT, "left out")
"""A held-back alert :meth:`Engine._step` leaves out (never returned)."""

_QUIET_KINDS: Final = (Threshold, BandTransition, DaysInBand, DaysUntil, DaysSince)
"""Conditions whose evidence of a checked snapshot and context is always valid (a finite signal, a band, a count
of days): an alert of a plain rule (see :func:`_plain_rule`) with such a condition can be left unbuilt. A percentage
or a ratio can overflow, and a subclass can return anything: their alerts are always built."""


def _quiet_evidence(condition: Any) -> bool:
    """Whether ``condition``'s evidence never raises (see :data:`_QUIET_KINDS`)."""
    if condition.__class__ in (AllOf, AnyOf):
        parts = condition.conditions
        return type(parts) is tuple and all(_quiet_evidence(c) for c in parts)
    if condition.__class__ is Not:
        return _quiet_evidence(condition.condition)
    return condition.__class__ in _QUIET_KINDS


def _plain_rule(rule: Rule, version: str) -> bool:
    """Whether an alert of ``rule`` can take the rule's fields as they are (what the Alert's checks accept)."""
    return (
        rule.id.__class__ is str and rule.id.strip() != "" and rule.name.__class__ is str
        and rule.sla.__class__ is Sla and rule.priority.__class__ is Priority and rule.action.__class__ is Action
        and rule.source.__class__ is str and version.__class__ is str
    )


def _account_of(item: object) -> str | None:
    if isinstance(item, AccountSnapshot):
        return item.account_id
    if isinstance(item, Mapping):
        value = item.get("account_id")
        return value if isinstance(value, str) else None
    return None


# ---- why an alert was held back, in words a CS lead reads ---------------------------------------------------------

_SEGMENT_WORDS: Final = {
    Segment.ENTERPRISE: "enterprise",
    Segment.MID_MARKET: "mid-market",
    Segment.SMB: "SMB",
    Segment.PRODUCT_LED: "product-led",
}
_PRIORITY_WORDS: Final = {
    Priority.URGENT: "urgent",
    Priority.HIGH: "high-priority",
    Priority.NORMAL: "normal-priority",
    Priority.LOW: "low-priority",
}


def _open_detail(rule_id: str, since: date, close_after: int | None) -> str:
    """Why an alert of a rule whose previous alert is still open was held back.

    Examples:
        >>> _open_detail("H4", date(2026, 3, 2), 30).split("; ")
        ['the H4 alert raised on 2026-03-02 is still open, so the team already has it',
         'a new one can be raised once it is closed (or after 30 days)']
    """
    after = "" if close_after is None else f" (or after {close_after} days)"
    return (
        f"the {rule_id} alert raised on {since.isoformat()} is still open, so the team already has it; "
        f"a new one can be raised once it is closed{after}"
    )


def _cooldown_detail(rule_id: str, last: date, days: int) -> str:
    """Why an alert of a rule that alerted recently was held back.

    Examples:
        >>> _cooldown_detail("H4", date(2026, 3, 2), 7)
        'H4 already alerted on 2026-03-02 and stays quiet for 7 days (until 2026-03-09)'
    """
    until = (last + timedelta(days=days)).isoformat()
    return f"{rule_id} already alerted on {last.isoformat()} and stays quiet for {days} days (until {until})"


def _budget_detail(
    budget: AlertBudget, snapshot: AccountSnapshot, limit: int, log: list[date], today_ids: list[str]
) -> str:
    """Why an alert was held back by the account's alert budget: the budget, what is exempt, what used it.

    Examples:
        >>> from postsale import AccountSnapshot
        >>> snap = AccountSnapshot("acme", "SMB", date(2026, 3, 2))
        >>> _budget_detail(AlertBudget(), snap, 1, [date(2026, 3, 2)], ["M2"]).split(", and ")
        ['SMB accounts get at most 1 alert per 7 days besides urgent and high-priority ones (those always go through)',
         'acme already got 1: M2 today']
    """
    exempt = " and ".join(_PRIORITY_WORDS[p] for p in sorted(set(budget.exempt)))
    besides = f" besides {exempt} ones (those always go through)" if exempt else ""
    earlier: dict[date, int] = {}
    for day in log:
        if day != snapshot.as_of:
            earlier[day] = earlier.get(day, 0) + 1
    used = [f"{n} on {day.isoformat()}" for day, n in sorted(earlier.items())]
    if today_ids:
        used.append(f"{', '.join(today_ids)} today")
    plural = "" if limit == 1 else "s"
    return (
        f"{_SEGMENT_WORDS[snapshot.segment]} accounts get at most {limit} alert{plural} per {budget.period_days} "
        f"days{besides}, and {snapshot.account_id} already got {len(log)}: {'; '.join(used) or 'none'}"
    )
