"""The review's values: settings, the input of one account, its review, and the portfolio review."""


from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Final

import attrs

from postsale import _checks
from postsale._errors import InvalidTypeError, InvalidValueError
from postsale._frozen import FrozenDict, freeze
from postsale._repr import readable
from postsale._vocabulary import AccountSnapshot, Segment, Stage
from postsale.cadence import DEFAULT_CADENCE_PLANS, Agenda, CadencePlans, ContactPreferences, Touch
from postsale.health import DEFAULT_HEALTH_MODEL, HealthModel, HealthScore
from postsale.journey import Journey, JourneyAnalytics, StageTiming, Suggestion, TimingStatus
from postsale.kpi import RetentionReport
from postsale.renewal import (
    DEFAULT_FORECAST_RULES,
    DEFAULT_STATE_ORDER,
    Contract,
    Forecast,
    ForecastCategory,
    ForecastRollup,
    ForecastRules,
    Intent,
    RenewalStatus,
    StateOrder,
)
from postsale.touch import DEFAULT_COMPANY_PROFILE, Assessment, BusinessProfile, PortfolioPlan
from postsale.triggers import DEFAULT_RULE_SET, AccountState, Alert, RuleSet

# ---- construction helpers: every field is checked, every collection is a private immutable copy ---------------


def _of(cls: type | tuple[type, ...], *, optional: bool = False) -> Any:
    """An attrs validator: the field holds a ``cls`` (or ``None`` when ``optional``)."""

    def check(_instance: object, attribute: Any, value: Any) -> None:
        if value is None and optional:
            return
        _checks.instance(attribute.name, value, cls)

    return check


def _frozen(field: str, value: Any, check_key: Any, check_value: Any) -> FrozenDict[Any, Any]:
    """A mapping as a checked, private :class:`~postsale._frozen.FrozenDict` copy (never the caller's object)."""
    if not isinstance(value, Mapping):
        raise InvalidTypeError(f"expected a mapping, got {type(value).__name__}", field=field, value=value,
                               hint="pass a dict (an empty one is fine)")
    frozen = freeze(value)
    for key, item in frozen.items():
        check_key(f"{field}[{key!r}]", key)
        check_value(f"{field}[{key!r}]", item)
    return frozen


def _counts(field: str, value: Any, key: type) -> FrozenDict[Any, int]:
    return _frozen(field, value, lambda name, k: _checks.instance(name, k, key), _checks.count)


def _month(field: str, value: Any) -> str:
    """A calendar month written ``YYYY-MM``."""
    if not (isinstance(value, str) and len(value) == 7 and value[4] == "-" and value[:4].isdigit()
            and value[5:].isdigit() and 1 <= int(value[5:]) <= 12):
        raise InvalidValueError("is not a month", field=field, value=value, constraint="written YYYY-MM",
                                hint='pass a month such as "2026-04"')
    return value


def _holidays(value: Any) -> frozenset[date]:
    return _checks.days("holidays", value)


def _at_most(limit: int) -> Any:
    """An attrs validator: a count between 0 and ``limit``."""

    def check(_instance: object, attribute: Any, value: Any) -> None:
        if _checks.count(attribute.name, value) > limit:
            raise InvalidValueError("is too large", field=attribute.name, value=value,
                                    constraint=f"must be <= {limit}", hint=f"pass at most {limit}")

    return check


# ---- attrs converters (named functions, so type checkers see each field's type) ------------------------------


def _history(value: Any) -> tuple[AccountSnapshot, ...]:
    return _checks.items("history", value, AccountSnapshot)


def _milestones(value: Any) -> Mapping[str, date] | None:
    return None if value is None else _frozen("completed_milestones", value, _checks.text, _checks.a_date)


def _intent(value: Any) -> Intent:
    return _checks.member(Intent, "intent", value)


def _csm_call(value: Any) -> ForecastCategory | None:
    return None if value is None else _checks.member(ForecastCategory, "csm_call", value)


def _stages(value: Any) -> tuple[StageTiming, ...]:
    return _checks.items("stages", value, StageTiming)


def _suggestions(value: Any) -> tuple[Suggestion, ...]:
    return _checks.items("suggestions", value, Suggestion)


def _alerts(value: Any) -> tuple[Alert, ...]:
    return _checks.items("alerts", value, Alert)


def _held_back(value: Any) -> tuple[Alert, ...]:
    return _checks.items("held_back", value, Alert)


def _top_alerts(value: Any) -> tuple[Alert, ...]:
    return _checks.items("top_alerts", value, Alert)


def _notes(value: Any) -> tuple[str, ...]:
    return _checks.items("notes", value, str)


def _by_category(value: Any) -> Mapping[ForecastCategory, int]:
    return _counts("by_category", value, ForecastCategory)


def _stage_distribution(value: Any) -> Mapping[Stage, int]:
    return _counts("stage_distribution", value, Stage)


def _timing(value: Any) -> Mapping[TimingStatus, int]:
    return _counts("timing", value, TimingStatus)


def _health_distribution(value: Any) -> Mapping[str, int]:
    return _counts("health_distribution", value, str)


def _renewals_by_month(value: Any) -> tuple[RenewalMonth, ...]:
    return _checks.items("renewals_by_month", value, RenewalMonth)


def _reviews(value: Any) -> tuple[AccountReview, ...]:
    return _checks.items("accounts", value, AccountReview)


def _errors(value: Any) -> tuple[ReviewError, ...]:
    return _checks.items("errors", value, ReviewError)


@attrs.frozen
class ReviewSettings:
    """How reviews are computed: which models, rules and horizons.

    Args:
        health_model: Scores health.
        rule_set: The trigger rules (default: the seeds' catalog).
        company: The vendor's business factors; each account's ACV and segment are filled in.
        agenda_days: How many days of next touchpoints to list (at most 366).
        renewal_horizon_months: How far ahead renewals are summarised and forecast (at most 60).
        top_alerts: How many of the most urgent alerts the portfolio summary lists.
        renewal: The renewal playbook of each segment, when the runway widens and which segments' contracts renew
            by themselves (a :class:`~postsale.renewal.StateOrder`; default the field guide's playbooks): the
            renewal timeline, state and forecast of every review, on both paths, follow it.
        forecast_rules: The forecast rule table (a :class:`~postsale.renewal.ForecastRules`; default
            :data:`~postsale.renewal.DEFAULT_FORECAST_RULES`): the forecast category of every review, on both paths.
        cadence: The scheduled plan of each segment (a :class:`~postsale.cadence.CadencePlans`; default the field
            guide's): the regular plan of every account's agenda.
        holidays: The vendor's days off (dates): no scheduled touch of an agenda is due on one (it moves to the
            next allowed day, and the agenda says why).

    Examples:
        >>> from postsale.review import review_account, review_portfolio
        >>> settings = ReviewSettings(agenda_days=7, renewal_horizon_months=3, top_alerts=5)
        >>> settings.agenda_days, settings.top_alerts, settings.health_model is DEFAULT_HEALTH_MODEL
        (7, 5, True)

        The renewal playbooks are settings too: an SMB account 100 days from its renewal is before the default
        60-day runway, and inside a 120-day one (nothing recorded about it yet):

        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> from postsale.renewal import DEFAULT_PLAYBOOKS, Playbook, StateOrder
        >>> longer = Playbook.define("smb-120", runway_days=120, latest_start_days=60,
        ...                          milestones=[(120, "renewal_offer"), (30, "follow_up"), (0, "renewal")],
        ...                          conversation="renewal_offer", confirmation="follow_up")
        >>> custom = ReviewSettings(renewal=StateOrder(playbooks={**DEFAULT_PLAYBOOKS, "SMB": longer}))
        >>> snap = AccountSnapshot("acme", "SMB", date(2026, 10, 1), contract_start=date(2026, 1, 10),
        ...                        contract_end=date(2027, 1, 9))
        >>> review_account(snap).renewal.state.name, review_account(snap, settings=custom).renewal.state.name
        ('UPCOMING', 'NOT_RECORDED')
        >>> ReviewSettings(agenda_days=-1)
        Traceback (most recent call last):
        ...
        postsale._errors.InvalidValueError: agenda_days=-1: ...
    """

    __repr__ = readable
    health_model: HealthModel = attrs.field(default=DEFAULT_HEALTH_MODEL, validator=_of(HealthModel))
    rule_set: RuleSet = attrs.field(default=DEFAULT_RULE_SET, validator=_of(RuleSet))
    company: BusinessProfile = attrs.field(default=DEFAULT_COMPANY_PROFILE, validator=_of(BusinessProfile))
    agenda_days: int = attrs.field(default=14, validator=_at_most(366))
    renewal_horizon_months: int = attrs.field(default=6, validator=_at_most(60))
    top_alerts: int = attrs.field(default=20, validator=_checks.validator(_checks.count))
    renewal: StateOrder = attrs.field(default=DEFAULT_STATE_ORDER, validator=_of(StateOrder))
    forecast_rules: ForecastRules = attrs.field(default=DEFAULT_FORECAST_RULES, validator=_of(ForecastRules))
    cadence: CadencePlans = attrs.field(default=DEFAULT_CADENCE_PLANS, validator=_of(CadencePlans))
    holidays: frozenset[date] = attrs.field(default=frozenset(), converter=_holidays)


DEFAULT_REVIEW_SETTINGS = ReviewSettings()
"""The defaults from the seeds."""


@attrs.frozen
class AccountInput:
    """Everything known about one account for a review; only the snapshot is required.

    Args:
        snapshot: The account on the review date.
        journey: Its journey (stages per track).
        contract: Its contract (default: built from the snapshot's contract dates, when it has them).
        history: Earlier snapshots, oldest first, replayed through the trigger rules before ``snapshot``.
        state: Persisted trigger state from a previous run (instead of ``history``).
        completed_milestones: Renewal milestones done, name -> date; ``None`` (the default) when no renewal
            activity is recorded for the account (the status says so and is never judged late), ``{}`` when
            milestones are tracked and none is done yet.
        intent: What the customer said about renewing.
        csm_call: The CSM's own forecast call (kept beside the computed one, never overwriting it).
        preferences: The customer's contact preferences.

    Examples:
        >>> from postsale.review import review_account, review_portfolio
        >>> from datetime import date
        >>> from postsale import AccountSnapshot, Journey
        >>> from postsale.renewal import Intent
        >>> snap = AccountSnapshot("acme", "MID_MARKET", date(2026, 3, 2), acv=48000, contract_start=date(2025, 4, 1),
        ...                        contract_end=date(2026, 4, 1))
        >>> account = AccountInput(snap, journey=Journey.start("acme", "MID_MARKET", on=date(2026, 1, 5)),
        ...                        intent=Intent.RENEW)
        >>> [(t.track, t.stage.name, t.days_in_stage, t.status.name) for t in review_account(account).stages]
        [('core', 'ONBOARDING', 56, 'ON_TRACK')]
    """

    __repr__ = readable
    snapshot: AccountSnapshot = attrs.field(validator=_of(AccountSnapshot))
    journey: Journey | None = attrs.field(default=None, validator=_of(Journey, optional=True))
    contract: Contract | None = attrs.field(default=None, validator=_of(Contract, optional=True))
    history: tuple[AccountSnapshot, ...] = attrs.field(default=(), converter=_history)
    state: AccountState | None = attrs.field(default=None, validator=_of(AccountState, optional=True))
    completed_milestones: Mapping[str, date] | None = attrs.field(default=None, converter=_milestones)
    intent: Intent = attrs.field(default=Intent.UNKNOWN, converter=_intent)
    csm_call: ForecastCategory | None = attrs.field(default=None, converter=_csm_call)
    preferences: ContactPreferences | None = attrs.field(default=None, validator=_of(ContactPreferences, optional=True))


@attrs.frozen
class AccountReview:
    """One account on one date, seen by every context. Parts that could not be computed are ``None``
    (or empty) and :attr:`notes` says why.

    Examples:
        >>> from postsale.review import review_account, review_portfolio
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> acme = AccountSnapshot("acme", "MID_MARKET", date(2026, 3, 2), acv=48000, contract_start=date(2025, 4, 1),
        ...                        contract_end=date(2026, 4, 1), seats_purchased=50, seats_active=41,
        ...                        signals={"nps": 8, "business_context": 70, "sentiment": 75}, labels={"csm": "aiko"})
        >>> review = review_account(acme)
        >>> row = review.row()
        >>> row["csm"], row["band"], row["renewal_state"], row["forecast"], row["alerts"]
        ('aiko', 'GREEN', 'DANGER_ZONE', 'LIKELY', 2)
        >>> for line in review.explain()[:3]:
        ...     print(line)
        acme (MID_MARKET, ACV 48,000) on 2026-03-02:
          health: Health 81.2 (GREEN) for acme on 2026-03-02, ...
          touch model: Recommended model: low-touch.
    """

    __repr__ = readable
    account_id: str = attrs.field(validator=_of(str))
    segment: Segment = attrs.field(validator=_of(Segment))
    as_of: date = attrs.field(validator=_checks.validator(_checks.a_date))
    acv: Decimal = attrs.field(validator=_of(Decimal))
    stages: tuple[StageTiming, ...] = attrs.field(converter=_stages)
    suggestions: tuple[Suggestion, ...] = attrs.field(converter=_suggestions)
    health: HealthScore | None = attrs.field(validator=_of(HealthScore, optional=True))
    touch: Assessment | None = attrs.field(validator=_of(Assessment, optional=True))
    renewal: RenewalStatus | None = attrs.field(validator=_of(RenewalStatus, optional=True))
    forecast: Forecast | None = attrs.field(validator=_of(Forecast, optional=True))
    alerts: tuple[Alert, ...] = attrs.field(converter=_alerts)
    agenda: Agenda | None = attrs.field(validator=_of(Agenda, optional=True))
    notes: tuple[str, ...] = attrs.field(default=(), converter=_notes)
    csm: str | None = attrs.field(default=None, validator=_of(str, optional=True))
    held_back: tuple[Alert, ...] = attrs.field(default=(), converter=_held_back)
    """Alerts the trigger hygiene held back on the review date (budget, cooldown, already open), with reasons."""
    trigger_state: AccountState | None = attrs.field(default=None, validator=_of(AccountState, optional=True))
    """The trigger engine's state after the review date: persist it and pass it back as
    ``AccountInput.state`` next time, instead of replaying history."""

    @property
    def primary_stage(self) -> Stage | None:
        """The most advanced stage over the account's open tracks."""
        return max((t.stage for t in self.stages), default=None)

    @property
    def next_touches(self) -> tuple[Touch, ...]:
        """The next touchpoints (scheduled and alert-driven), in order."""
        return () if self.agenda is None else self.agenda.touches

    def row(self) -> dict[str, Any]:
        """The review as one flat row of plain data (what ``postsale.adapters.frame.to_pandas`` shows per account):
        segment, CSM, ACV, primary stage, worst timing (STUCK over BEHIND over ON_TRACK), health and band, touch
        model, renewal date, days and state, forecast, alerts due and the next touch."""
        return _row(self)

    def explain(self) -> list[str]:
        """A short explanation a CS lead can read."""
        lines = [f"{self.account_id} ({self.segment.name}, ACV {self.acv:,}) on {self.as_of.isoformat()}:"]
        if self.stages:
            lines.extend(f"  journey: {t.explain()[0]}" for t in self.stages)
        if self.health is not None:
            lines.append(f"  health: {self.health.explain()[0]}")
        if self.touch is not None:
            lines.append(f"  touch model: {self.touch.explain()[-1]}")
        if self.renewal is not None:
            lines.append(f"  renewal: {self.renewal.explain()[0]}")
        if self.forecast is not None:
            lines.append(f"  forecast: {self.forecast.explain()[0]}")
        lines.extend(
            f"  alert {a.rule_id} ({a.priority.name}, due {a.due.isoformat(timespec='minutes')}): {a.rule_name}"
            for a in self.alerts
        )
        lines.extend(
            f"  held back {a.rule_id} ({a.rule_name}): {a.suppression.detail}"
            for a in self.held_back
            if a.suppression is not None
        )
        if self.next_touches:
            first = self.next_touches[0]
            via = "" if first.channel is None else f" via {first.channel.name}"
            lines.append(f"  next touch: {first.due_at.date().isoformat()} {first.title}{via}")
        lines.extend(f"  note: {note}" for note in self.notes)
        return lines


@attrs.frozen
class ReviewError:
    """An account that could not be reviewed, and why (the others were).

    ``index`` is the account's position in the portfolio (``-1`` for a problem with the portfolio as a whole, such
    as a retention report that could not be computed); ``error_type`` names the error that stopped it (a
    :class:`~postsale.PostsaleError` subclass, ``"DuplicateAccount"`` for a repeated account id, or the builtin
    exception an unexpected failure raised, so a bug deep inside one account never stops the others).

    Examples:
        >>> from postsale.review import review_account, review_portfolio
        >>> from datetime import date
        >>> from postsale import AccountSnapshot, Journey
        >>> mixed_up = AccountInput(AccountSnapshot("initech", "SMB", date(2026, 3, 2)),
        ...                         journey=Journey.start("acme", "SMB", on=date(2026, 1, 5)))
        >>> error = review_portfolio([mixed_up]).errors[0]
        >>> error.account_id, error.index, error.field, error.error_type
        ('initech', 0, 'journey', 'InvalidValueError')
        >>> error.error
        "journey='acme': belongs to account 'acme'; rule: must describe the reviewed account 'initech'; ..."
    """

    __repr__ = readable
    account_id: str | None = attrs.field(validator=_of(str, optional=True))
    index: int = attrs.field(validator=_of(int))
    error: str = attrs.field(validator=_of(str))
    field: str | None = attrs.field(default=None, validator=_of(str, optional=True))
    error_type: str | None = attrs.field(default=None, validator=_of(str, optional=True))


@attrs.frozen
class RenewalMonth:
    """Renewals due in one calendar month: how many, their ARR, and their forecast categories.

    Examples:
        >>> from postsale.review import review_account, review_portfolio
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> acme = AccountSnapshot("acme", "MID_MARKET", date(2026, 3, 2), acv=48000, contract_start=date(2025, 4, 1),
        ...                        contract_end=date(2026, 4, 1), seats_purchased=50, seats_active=41,
        ...                        signals={"nps": 8, "business_context": 70, "sentiment": 75}, labels={"csm": "aiko"})
        >>> month = review_portfolio([acme]).summary.renewals_by_month[0]
        >>> month.month, month.renewals, month.arr, dict(month.by_category)
        ('2026-04', 1, Decimal('48000'), {<ForecastCategory.LIKELY: 2>: 1})
    """

    __repr__ = readable
    month: str = attrs.field(validator=_checks.validator(_month))
    renewals: int = attrs.field(validator=_checks.validator(_checks.count))
    arr: Decimal = attrs.field(validator=_of(Decimal))
    by_category: Mapping[ForecastCategory, int] = attrs.field(converter=_by_category)


@attrs.frozen
class PortfolioSummary:
    """The portfolio at a glance.

    Examples:
        >>> from postsale.review import review_account, review_portfolio
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> acme = AccountSnapshot("acme", "MID_MARKET", date(2026, 3, 2), acv=48000, contract_start=date(2025, 4, 1),
        ...                        contract_end=date(2026, 4, 1), seats_purchased=50, seats_active=41,
        ...                        signals={"nps": 8, "business_context": 70, "sentiment": 75}, labels={"csm": "aiko"})
        >>> globex = AccountSnapshot("globex", "SMB", date(2026, 3, 2), acv=9000, contract_start=date(2025, 5, 15),
        ...                          contract_end=date(2026, 5, 15), seats_purchased=10, seats_active=3,
        ...                          signals={"nps": 3, "business_context": 40, "sentiment": 30})
        >>> summary = review_portfolio([acme, globex]).summary
        >>> summary.accounts, dict(summary.health_distribution), summary.alerts_total
        (2, {'GREEN': 1, 'RED': 1}, 3)
        >>> [(m.month, m.renewals, m.arr) for m in summary.renewals_by_month]
        [('2026-04', 1, Decimal('48000')), ('2026-05', 1, Decimal('9000'))]
    """

    __repr__ = readable
    accounts: int = attrs.field(validator=_checks.validator(_checks.count))
    stage_distribution: Mapping[Stage, int] = attrs.field(converter=_stage_distribution)
    timing: Mapping[TimingStatus, int] = attrs.field(converter=_timing)
    health_distribution: Mapping[str, int] = attrs.field(converter=_health_distribution)
    renewals_by_month: tuple[RenewalMonth, ...] = attrs.field(converter=_renewals_by_month)
    forecast: ForecastRollup | None = attrs.field(validator=_of(ForecastRollup, optional=True))
    tiers: PortfolioPlan | None = attrs.field(validator=_of(PortfolioPlan, optional=True))
    retention: RetentionReport | None = attrs.field(validator=_of(RetentionReport, optional=True))
    journey: JourneyAnalytics | None = attrs.field(validator=_of(JourneyAnalytics, optional=True))
    top_alerts: tuple[Alert, ...] = attrs.field(converter=_top_alerts)
    alerts_total: int = attrs.field(validator=_checks.validator(_checks.count))

    def explain(self) -> list[str]:
        """Sentences for a CS lead."""
        lines = [f"{self.accounts} accounts reviewed."]
        dist = ", ".join(f"{s.label} {n}" for s, n in self.stage_distribution.items() if n)
        if dist:
            lines.append(f"Journey (open tracks): {dist}.")
        if self.health_distribution:
            lines.append("Health: " + ", ".join(f"{band} {n}" for band, n in self.health_distribution.items()) + ".")
        if self.forecast is not None:
            lines.append(self.forecast.explain()[0])
        if self.tiers is not None:
            flags = set(self.tiers.warnings)
            lines.extend(line for line in self.tiers.explain()
                         if line in flags or line.startswith(("In total", "The accounts fall")))
        if self.retention is not None:
            lines.extend(line for line in self.retention.explain() if line.startswith(("GRR", "NRR")))
        lines.append(f"{self.alerts_total:,} alert{'' if self.alerts_total == 1 else 's'} due.")
        return lines


@attrs.frozen
class PortfolioReview:
    """Every account's review on one date, the portfolio summary, and the accounts that failed.

    Examples:
        >>> from postsale.review import review_account, review_portfolio
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> acme = AccountSnapshot("acme", "MID_MARKET", date(2026, 3, 2), acv=48000, contract_start=date(2025, 4, 1),
        ...                        contract_end=date(2026, 4, 1), seats_purchased=50, seats_active=41,
        ...                        signals={"nps": 8, "business_context": 70, "sentiment": 75}, labels={"csm": "aiko"})
        >>> globex = AccountSnapshot("globex", "SMB", date(2026, 3, 2), acv=9000, contract_start=date(2025, 5, 15),
        ...                          contract_end=date(2026, 5, 15), seats_purchased=10, seats_active=3,
        ...                          signals={"nps": 3, "business_context": 40, "sentiment": 30})
        >>> portfolio = review_portfolio([acme, globex])
        >>> portfolio.as_of, [r.account_id for r in portfolio.accounts], portfolio.errors
        (datetime.date(2026, 3, 2), ['acme', 'globex'], ())
        >>> [r.row()["band"] for r in portfolio.accounts]
        ['GREEN', 'RED']
    """

    __repr__ = readable
    as_of: date = attrs.field(validator=_checks.validator(_checks.a_date))
    accounts: tuple[AccountReview, ...] = attrs.field(converter=_reviews)
    summary: PortfolioSummary = attrs.field(validator=_of(PortfolioSummary))
    errors: tuple[ReviewError, ...] = attrs.field(default=(), converter=_errors)

    @property
    def rejected(self) -> tuple[ReviewError, ...]:
        """The accounts that could not be reviewed (the errors about one account, in portfolio order):
        ``len(accounts) + len(rejected)`` is the number of accounts given."""
        return tuple(e for e in self.errors if e.index >= 0)

    def explain(self) -> list[str]:
        """The summary's sentences, then the errors."""
        lines = self.summary.explain()
        rejected = self.rejected
        if rejected:
            lines.append(f"{len(rejected)} account(s) could not be reviewed: first: {rejected[0].error}")
        lines.extend(f"Portfolio: {e.error}" for e in self.errors if e.index < 0)
        return lines


_TIMING_SEVERITY: Final = {
    TimingStatus.ONGOING: 0, TimingStatus.ON_TRACK: 1, TimingStatus.BEHIND: 2, TimingStatus.STUCK: 3
}
"""How late a track is, to pick an account's worst timing (STUCK over BEHIND over ON_TRACK over ONGOING)."""


def _worst_timing(r: AccountReview) -> TimingStatus | None:
    if not r.stages:
        return None
    return max((t.status for t in r.stages), key=_TIMING_SEVERITY.__getitem__)


def _row(r: AccountReview) -> dict[str, Any]:
    timing = _worst_timing(r)
    return {
        "account_id": r.account_id,
        "segment": r.segment.name,
        "csm": r.csm,
        "acv": r.acv,
        "stage": None if r.primary_stage is None else r.primary_stage.name,
        "timing": None if timing is None else timing.name,
        "health": None if r.health is None else r.health.value,
        "band": None if r.health is None else r.health.band.name,
        "touch_model": None if r.touch is None else r.touch.model.name,
        "renewal_date": None if r.renewal is None else r.renewal.renewal_date,
        "days_to_renewal": None if r.renewal is None else r.renewal.days_to_renewal,
        "renewal_state": None if r.renewal is None else r.renewal.state.name,
        "forecast": None if r.forecast is None else r.forecast.category.name,
        "alerts": len(r.alerts),
        "next_touch": None if not r.next_touches else r.next_touches[0].due_at,
    }
