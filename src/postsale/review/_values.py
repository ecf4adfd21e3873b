"""The review's values: settings, the input of one account, its review, and the portfolio review."""


from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Final

import attrs

from postsale import _checks
from postsale._frozen import freeze
from postsale._vocabulary import AccountSnapshot, Segment, Stage
from postsale.cadence import Agenda, ContactPreferences, Touch
from postsale.health import DEFAULT_HEALTH_MODEL, HealthModel, HealthScore
from postsale.journey import Journey, JourneyAnalytics, StageTiming, Suggestion, TimingStatus
from postsale.kpi import RetentionReport
from postsale.renewal import (
    Contract,
    Forecast,
    ForecastCategory,
    ForecastRollup,
    Intent,
    RenewalStatus,
)
from postsale.touch import Assessment, BusinessProfile, PortfolioPlan
from postsale.triggers import DEFAULT_RULE_SET, AccountState, Alert, RuleSet

DEFAULT_COMPANY_PROFILE = BusinessProfile(
    acv=0, complexity="MODERATE", gross_margin=0.75, positioning="MARKET_STANDARD", segment="MID_MARKET",
    customer_count=3000,
)
"""The vendor's own business factors used to score each account's touch model (override with yours)."""


@attrs.frozen
class ReviewSettings:
    """How reviews are computed: which models, rules and horizons.

    Args:
        health_model: Scores health.
        rule_set: The trigger rules (default: the seeds' catalog).
        company: The vendor's business factors; each account's ACV and segment are filled in.
        agenda_days: How many days of next touchpoints to list.
        renewal_horizon_months: How far ahead renewals are summarised and forecast.
        top_alerts: How many of the most urgent alerts the portfolio summary lists.

    Examples:
        >>> from postsale.review import review_account, review_portfolio
        >>> settings = ReviewSettings(agenda_days=7, renewal_horizon_months=3, top_alerts=5)
        >>> settings.agenda_days, settings.top_alerts, settings.health_model is DEFAULT_HEALTH_MODEL
        (7, 5, True)
        >>> ReviewSettings(agenda_days=-1)
        Traceback (most recent call last):
        ...
        postsale._errors.InvalidValueError: agenda_days=-1: ...
    """

    health_model: HealthModel = DEFAULT_HEALTH_MODEL
    rule_set: RuleSet = DEFAULT_RULE_SET
    company: BusinessProfile = DEFAULT_COMPANY_PROFILE
    agenda_days: int = attrs.field(default=14, validator=_checks.validator(_checks.count))
    renewal_horizon_months: int = attrs.field(default=6, validator=_checks.validator(_checks.count))
    top_alerts: int = attrs.field(default=20, validator=_checks.validator(_checks.count))


DEFAULT_REVIEW_SETTINGS = ReviewSettings()
"""The defaults from the seeds."""


def _history(value: Iterable[AccountSnapshot]) -> tuple[AccountSnapshot, ...]:
    return tuple(value)


def _milestones(value: Mapping[str, date]) -> Mapping[str, date]:
    return freeze(dict(value))


@attrs.frozen
class AccountInput:
    """Everything known about one account for a review; only the snapshot is required.

    Args:
        snapshot: The account on the review date.
        journey: Its journey (stages per track).
        contract: Its contract (default: built from the snapshot's contract dates, when it has them).
        history: Earlier snapshots, oldest first, replayed through the trigger rules before ``snapshot``.
        state: Persisted trigger state from a previous run (instead of ``history``).
        completed_milestones: Renewal milestones done, name -> date.
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

    snapshot: AccountSnapshot
    journey: Journey | None = None
    contract: Contract | None = None
    history: tuple[AccountSnapshot, ...] = attrs.field(default=(), converter=_history)
    state: AccountState | None = None
    completed_milestones: Mapping[str, date] = attrs.field(factory=dict, converter=_milestones, hash=False)
    intent: Intent = Intent.UNKNOWN
    csm_call: ForecastCategory | None = None
    preferences: ContactPreferences | None = None


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
        ('aiko', 'GREEN', 'DANGER_ZONE', 'AT_RISK', 2)
        >>> for line in review.explain()[:3]:
        ...     print(line)
        acme (MID_MARKET, ACV 48,000) on 2026-03-02:
          health: Health 77.5 (GREEN) for acme on 2026-03-02, ...
          touch model: Recommended model: low-touch.
    """

    account_id: str
    segment: Segment
    as_of: date
    acv: Decimal
    stages: tuple[StageTiming, ...]
    suggestions: tuple[Suggestion, ...]
    health: HealthScore | None
    touch: Assessment | None
    renewal: RenewalStatus | None
    forecast: Forecast | None
    alerts: tuple[Alert, ...]
    agenda: Agenda | None
    notes: tuple[str, ...] = ()
    csm: str | None = None
    held_back: tuple[Alert, ...] = ()
    """Alerts the trigger hygiene held back on the review date (budget, cooldown, already open), with reasons."""
    trigger_state: AccountState | None = None
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

    Examples:
        >>> from postsale.review import review_account, review_portfolio
        >>> from datetime import date
        >>> from postsale import AccountSnapshot, Journey
        >>> mixed_up = AccountInput(AccountSnapshot("initech", "SMB", date(2026, 3, 2)),
        ...                         journey=Journey.start("acme", "SMB", on=date(2026, 1, 5)))
        >>> error = review_portfolio([mixed_up]).errors[0]
        >>> error.account_id, error.index, error.field
        ('initech', 0, 'journey')
        >>> error.error
        "journey='acme': belongs to account 'acme'; rule: must describe the reviewed account 'initech'; ..."
    """

    account_id: str | None
    index: int
    error: str
    field: str | None = None


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
        >>> month.month, month.renewals, month.arr, month.by_category
        ('2026-04', 1, Decimal('48000'), {<ForecastCategory.AT_RISK: 1>: 1})
    """

    month: str
    renewals: int
    arr: Decimal
    by_category: Mapping[ForecastCategory, int]


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
        >>> summary.accounts, summary.health_distribution, summary.alerts_total
        (2, {'GREEN': 1, 'RED': 1}, 3)
        >>> [(m.month, m.renewals, m.arr) for m in summary.renewals_by_month]
        [('2026-04', 1, Decimal('48000')), ('2026-05', 1, Decimal('9000'))]
    """

    accounts: int
    stage_distribution: Mapping[Stage, int]
    timing: Mapping[TimingStatus, int]
    health_distribution: Mapping[str, int]
    renewals_by_month: tuple[RenewalMonth, ...]
    forecast: ForecastRollup | None
    tiers: PortfolioPlan | None
    retention: RetentionReport | None
    journey: JourneyAnalytics | None
    top_alerts: tuple[Alert, ...]
    alerts_total: int

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
            tiers = self.tiers.explain()
            lines.extend(line for line in tiers if line.startswith(("In total", "The accounts fall")))
        if self.retention is not None:
            lines.extend(line for line in self.retention.explain() if line.startswith(("GRR", "NRR")))
        lines.append(f"{self.alerts_total} alerts due; the {len(self.top_alerts)} most urgent are listed.")
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

    as_of: date
    accounts: tuple[AccountReview, ...]
    summary: PortfolioSummary
    errors: tuple[ReviewError, ...] = ()

    def explain(self) -> list[str]:
        """The summary's sentences, then the errors."""
        lines = self.summary.explain()
        if self.errors:
            lines.append(f"{len(self.errors)} account(s) could not be reviewed: first: {self.errors[0].error}")
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
