"""Reviewing one account, and a portfolio: every context's answer for an account on a date."""


from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from postsale import _checks
from postsale._errors import InvalidTypeError, InvalidValueError, PostsaleError
from postsale._vocabulary import AccountSnapshot, Stage
from postsale.cadence import Agenda, Window, build_agenda
from postsale.health import HealthScore
from postsale.journey import StageTiming, Suggestion, TimingStatus, analyze
from postsale.kpi import RevenueLedger, retention
from postsale.renewal import (
    Contract,
    Forecast,
    RenewalLine,
    RenewalStatus,
    forecast_renewal,
    renewal_timeline,
    roll_up,
)
from postsale.review._values import (
    DEFAULT_REVIEW_SETTINGS,
    AccountInput,
    AccountReview,
    PortfolioReview,
    PortfolioSummary,
    RenewalMonth,
    ReviewError,
    ReviewSettings,
)
from postsale.touch import assess, plan_portfolio
from postsale.triggers import AccountState, Alert, Engine, Priority

# ---- reviewing one account ------------------------------------------------------------------------


def _start_of(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=ZoneInfo(zone))


def review_account(
    account: AccountInput | AccountSnapshot,
    *,
    settings: ReviewSettings = DEFAULT_REVIEW_SETTINGS,
    engine: Engine | None = None,
) -> AccountReview:
    """Review one account on its snapshot's date, with every context that has what it needs.

    Args:
        account: An :class:`AccountInput`, or just a snapshot.
        settings: Models, rules and horizons.
        engine: A compiled trigger engine to reuse across accounts (built from ``settings`` otherwise).

    Raises:
        InvalidTypeError: ``account`` is neither an input nor a snapshot.
        PostsaleError: the account's data is inconsistent (its journey or history belongs to another
            account, a history snapshot is not before the review date, ...).

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> acme = AccountSnapshot("acme", "MID_MARKET", date(2026, 3, 2), acv=48000, contract_start=date(2025, 4, 1),
        ...                        contract_end=date(2026, 4, 1), seats_purchased=50, seats_active=41,
        ...                        signals={"nps": 8, "business_context": 70, "sentiment": 75}, labels={"csm": "aiko"})
        >>> review = review_account(acme)
        >>> review.health.value, review.health.band.name, review.renewal.days_to_renewal
        (77.5, 'GREEN', 30)
        >>> review.forecast.category.name, [alert.rule_name for alert in review.alerts]
        ('AT_RISK', ['Renewal approaching', 'Contract limit'])
    """
    inp = account if isinstance(account, AccountInput) else _as_input(account)
    snap = inp.snapshot
    as_of = snap.as_of
    notes: list[str] = []
    engine = engine or Engine(settings.rule_set, health_model=settings.health_model)

    stages: tuple[StageTiming, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    if inp.journey is not None:
        _same_account(inp.journey.account_id, snap.account_id, "journey")
        if inp.journey.tracks or len(inp.journey):
            stages = inp.journey.timing(as_of)
            suggestions = inp.journey.suggest(snap, as_of=as_of)

    health: HealthScore | None = None
    try:
        health = settings.health_model.score(snap)
    except PostsaleError as exc:
        notes.append(f"no health score: {exc}")

    touch = assess(settings.company.for_account(snap))

    renewal: RenewalStatus | None = None
    forecast: Forecast | None = None
    contract = inp.contract
    if contract is None and snap.contract_start is not None and snap.contract_end is not None:
        contract = Contract.from_snapshot(snap)
    if contract is not None:
        _same_account(contract.account_id, snap.account_id, "contract")
        band = None if health is None else health.band
        timeline = renewal_timeline(contract, health=band)
        renewal = timeline.status(as_of, dict(inp.completed_milestones))
        forecast = forecast_renewal(health=band, status=renewal, signals=snap.evidence(), intent=inp.intent,
                                    csm_call=inp.csm_call, account_id=snap.account_id)
    else:
        notes.append("no contract dates: renewal status and forecast left out")

    alerts, held_back, state = _alerts(inp, engine)
    agenda: Agenda | None = None
    try:
        agenda = build_agenda(snap, Window.days(as_of, max(settings.agenda_days, 1)), alerts=alerts,
                              preferences=inp.preferences)
    except PostsaleError as exc:
        notes.append(f"no agenda: {exc}")
    return AccountReview(
        snap.account_id, snap.segment, as_of, snap.acv, stages, suggestions, health, touch, renewal, forecast,
        alerts, agenda, tuple(notes), snap.labels.get("csm"), held_back, state,
    )


def _as_input(value: object) -> AccountInput:
    if not isinstance(value, AccountSnapshot):
        raise InvalidTypeError(
            "expected an AccountInput or an AccountSnapshot", field="account", value=value,
            hint="wrap the account's data in postsale.review.AccountInput(snapshot=...)",
        )
    return AccountInput(value)


def _same_account(other: str, account_id: str, what: str) -> None:
    if other != account_id:
        raise InvalidValueError(
            f"belongs to account {other!r}", field=what, value=other,
            constraint=f"must describe the reviewed account {account_id!r}", hint=f"pass {account_id!r}'s {what}",
        )


def _alerts(inp: AccountInput, engine: Engine) -> tuple[tuple[Alert, ...], tuple[Alert, ...], AccountState]:
    """Replay the history (or continue the persisted state): the delivered alerts still open, the alerts
    held back on the review date, and the state to persist."""
    snap = inp.snapshot
    state = inp.state
    fired: list[Alert] = []
    for earlier in inp.history:
        _same_account(earlier.account_id, snap.account_id, "history")
        state, alerts = engine.step(state, earlier)
        fired.extend(alerts)
    state, latest = engine.step(state, snap)
    fired.extend(latest)
    today = _start_of(snap.as_of, snap.time_zone)
    open_alerts = [a for a in fired if a.suppression is None and (a.as_of == snap.as_of or a.due >= today)]
    held = tuple(a for a in latest if a.suppression is not None)
    return tuple(sorted(open_alerts, key=lambda a: (a.due, a.priority.value, a.rule_id))), held, state


# ---- reviewing a portfolio ------------------------------------------------------------------------

_PRIORITY_ORDER = {p: i for i, p in enumerate(Priority)}


def review_portfolio(
    accounts: Iterable[AccountInput | AccountSnapshot],
    *,
    ledger: RevenueLedger | None = None,
    settings: ReviewSettings = DEFAULT_REVIEW_SETTINGS,
    progress: Callable[[int], None] | None = None,
) -> PortfolioReview:
    """Review many accounts and summarise the portfolio. Errors are collected per account.

    Args:
        accounts: Inputs or snapshots; all are reviewed on their own snapshot's date, and the portfolio
            date is the latest of them.
        ledger: Revenue movements, for GRR / NRR over the twelve months before the portfolio date.
        settings: Models, rules and horizons.
        progress: Called with the number of accounts done after each account (for progress bars).

    Examples:
        >>> from postsale.adapters.sample import sample_portfolio
        >>> sample = sample_portfolio(20)
        >>> portfolio = review_portfolio(sample.snapshots(), ledger=sample.ledger)
        >>> portfolio.as_of, len(portfolio.accounts), portfolio.errors
        (datetime.date(2026, 11, 1), 19, ())
        >>> portfolio.summary.retention is not None, portfolio.explain()[0]
        (True, '19 accounts reviewed.')
    """
    items = _checks.items("accounts", accounts)
    if ledger is not None:
        _checks.instance("ledger", ledger, RevenueLedger, hint="pass a postsale.kpi.RevenueLedger or None")
    _checks.instance("settings", settings, ReviewSettings)
    engine = Engine(settings.rule_set, health_model=settings.health_model)
    reviews: list[AccountReview] = []
    errors: list[ReviewError] = []
    for index, account in enumerate(items):
        account_id = _account_id(account)
        try:
            reviews.append(review_account(account, settings=settings, engine=engine))
        except PostsaleError as exc:
            errors.append(ReviewError(account_id, index, str(exc), exc.field))
        if progress is not None:
            progress(index + 1)
    as_of = max((r.as_of for r in reviews), default=date.min)
    summary = _summary(reviews, items, as_of, ledger, settings, errors)
    return PortfolioReview(as_of, tuple(reviews), summary, tuple(errors))


def _account_id(account: object) -> str | None:
    if isinstance(account, AccountInput):
        return account.snapshot.account_id
    return account.account_id if isinstance(account, AccountSnapshot) else None


def _summary(
    reviews: list[AccountReview],
    accounts: tuple[AccountInput | AccountSnapshot, ...],
    as_of: date,
    ledger: RevenueLedger | None,
    settings: ReviewSettings,
    errors: list[ReviewError],
) -> PortfolioSummary:
    stage_counts: Counter[Stage] = Counter(t.stage for r in reviews for t in r.stages)
    timing: Counter[TimingStatus] = Counter(t.status for r in reviews for t in r.stages)
    health: Counter[str] = Counter("UNSCORED" if r.health is None else r.health.band.name for r in reviews)
    horizon = as_of + relativedelta(months=settings.renewal_horizon_months) if reviews else as_of
    due = sorted(
        ((r.renewal.renewal_date, r) for r in reviews if r.renewal is not None
         and as_of <= r.renewal.renewal_date <= horizon),
        key=lambda pair: pair[0],
    )
    months: dict[str, list[AccountReview]] = {}
    for renewal_date, r in due:
        months.setdefault(renewal_date.strftime("%Y-%m"), []).append(r)
    renewals_by_month = tuple(
        RenewalMonth(month, len(rs), sum((r.acv for r in rs), Decimal(0)),
                     dict(Counter(r.forecast.category for r in rs if r.forecast is not None)))
        for month, rs in months.items()
    )
    forecast = None
    lines = [RenewalLine(r.account_id, renewal_date, r.acv, r.forecast.category, segment=r.segment,
                         flagged=r.forecast.disagrees)
             for renewal_date, r in due if r.forecast is not None]
    if reviews:
        forecast = roll_up(lines, period_start=as_of, period_end=horizon)
    tiers = None
    if reviews:
        tiers = plan_portfolio([r.touch.profile for r in reviews if r.touch is not None], base=settings.company)
    report = None
    if ledger is not None and reviews:
        try:
            report = retention(ledger, start=as_of - relativedelta(months=12))
        except PostsaleError as exc:
            errors.append(ReviewError(None, -1, f"retention not computed: {exc}", exc.field))
    journeys = [a.journey for a in accounts if isinstance(a, AccountInput) and a.journey is not None]
    journey = analyze(journeys, as_of=as_of) if journeys else None
    alerts = sorted((a for r in reviews for a in r.alerts), key=lambda a: (_PRIORITY_ORDER[a.priority], a.due))
    ordered_stages = {s: stage_counts[s] for s in Stage}
    ordered_health = {b: health[b] for b in ("GREEN", "YELLOW", "RED", "UNSCORED") if health[b]}
    return PortfolioSummary(
        len(reviews), ordered_stages, {s: timing[s] for s in TimingStatus}, ordered_health, renewals_by_month,
        forecast, tiers, report, journey, tuple(alerts[: settings.top_alerts]), len(alerts),
    )
