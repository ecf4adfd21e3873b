"""Reviewing one account, and a portfolio: every context's answer for an account on a date."""


from __future__ import annotations

import traceback
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Final, TypeVar
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from postsale import _checks
from postsale._errors import InvalidTypeError, InvalidValueError, PostsaleError
from postsale._vocabulary import AccountSnapshot, Segment, Stage
from postsale.cadence import Agenda, CadencePlan, Window, build_agenda, segment_plan
from postsale.health import HealthScore
from postsale.journey import StageTiming, Suggestion, TimingStatus, analyze
from postsale.kpi import RevenueLedger, retention
from postsale.renewal import (
    Contract,
    Forecast,
    RenewalLine,
    RenewalStatus,
    RenewalTimeline,
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

T = TypeVar("T")

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
        InvalidTypeError: ``account`` is neither an input nor a snapshot, ``settings`` or ``engine`` has the
            wrong type.
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
        (81.25, 'GREEN', 30)
        >>> review.forecast.category.name, [alert.rule_name for alert in review.alerts]
        ('LIKELY', ['Renewal approaching', 'Contract limit'])
    """
    inp = account if isinstance(account, AccountInput) else _as_input(account)
    if settings.__class__ is not ReviewSettings:
        _checks.instance("settings", settings, ReviewSettings, hint="pass a postsale.review.ReviewSettings")
    if engine is None:
        engine = Engine(settings.rule_set, health_model=settings.health_model)
    elif engine.__class__ is not Engine:
        _checks.instance("engine", engine, Engine, hint="pass a postsale.triggers.Engine, or None to build one")
    snap = inp.snapshot
    as_of = snap.as_of
    notes: list[str] = []

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
    timeline: RenewalTimeline | None = None
    contract = inp.contract
    if contract is None and snap.contract_start is not None and snap.contract_end is not None:
        contract = Contract.from_snapshot(snap, auto_renew=snap.segment in settings.renewal.auto_renew)
    if contract is not None:
        _same_account(contract.account_id, snap.account_id, "contract")
        band = None if health is None else health.band
        timeline = renewal_timeline(contract, health=band, playbooks=settings.renewal.playbooks,
                                    widening=settings.renewal.widening)
        recorded = inp.completed_milestones is not None  # None: no renewal activity recorded, {}: none done
        renewal = timeline.status(as_of, inp.completed_milestones, recorded=recorded)
        forecast = forecast_renewal(health=band, status=renewal, signals=snap.evidence(), intent=inp.intent,
                                    csm_call=inp.csm_call, rules=settings.forecast_rules, account_id=snap.account_id)
    else:
        notes.append("no contract dates: renewal status and forecast left out")

    known = health.value if health is not None and engine.health_model is settings.health_model else None
    alerts, held_back, state = _alerts(inp, engine, known)
    agenda: Agenda | None = None
    try:
        agenda = build_agenda(snap, Window.days(as_of, max(settings.agenda_days, 1)), alerts=alerts,
                              plan=_plan(settings, snap.segment), preferences=inp.preferences,
                              follow_journey=True, journey=inp.journey, renewal=timeline, holidays=settings.holidays)
    except PostsaleError as exc:
        notes.append(f"no agenda: {exc}")
    return AccountReview(
        snap.account_id, snap.segment, as_of, snap.acv, stages, suggestions, health, touch, renewal, forecast,
        alerts, agenda, tuple(notes), snap.labels.get("csm"), held_back, state,
    )


def _plan(settings: ReviewSettings, segment: Segment) -> CadencePlan | None:
    """The segment's plan in ``settings``; ``None`` when it is the field guide's (the agenda then says so)."""
    plan = settings.cadence.plan_for(segment)
    return None if plan == segment_plan(segment) else plan


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


def _alerts(
    inp: AccountInput, engine: Engine, score: float | None
) -> tuple[tuple[Alert, ...], tuple[Alert, ...], AccountState]:
    """Replay the history (or continue the persisted state): the delivered alerts still open, the alerts
    held back on the review date, and the state to persist. ``score``: the review's health score of the latest
    snapshot by the engine's model (None: the engine scores it)."""
    snap = inp.snapshot
    state = inp.state
    fired: list[Alert] = []
    today = _start_of(snap.as_of, snap.time_zone)
    # The engine's own step builds only the history alerts kept below (an engine whose step is overridden: all).
    keep = (snap.as_of, today) if type(engine).step is Engine.step else None
    for earlier in inp.history:
        _same_account(earlier.account_id, snap.account_id, "history")
        state, alerts = engine.step(state, earlier) if keep is None else engine._step(state, earlier, None, keep)
        fired.extend(alerts)
    state, latest = engine.step(state, snap) if keep is None else engine._step(state, snap, None, None, score)
    fired.extend(latest)
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
    """Review many accounts and summarise the portfolio. One account never stops the others.

    Whatever goes wrong with one account (a :class:`~postsale.PostsaleError`, or any other exception raised deep
    inside) becomes a :class:`ReviewError` with its position, its id, the error's name and what happened; an
    account id seen before is reported as a duplicate (the first one is reviewed); every other account is
    reviewed, so ``len(accounts) + len(rejected)`` is the number of accounts given. A part of the summary that
    cannot be computed is left out with an error at index ``-1``.

    Args:
        accounts: Inputs or snapshots; all are reviewed on their own snapshot's date, and the portfolio
            date is the latest of them.
        ledger: Revenue movements, for GRR / NRR over the twelve months before the portfolio date.
        settings: Models, rules and horizons.
        progress: Called with the number of accounts done after each account (for progress bars).

    Raises:
        InvalidTypeError: ``accounts`` is not a collection, or ``ledger`` / ``settings`` has the wrong type.

    Examples:
        >>> from postsale.adapters.sample import sample_portfolio
        >>> sample = sample_portfolio(20)
        >>> portfolio = review_portfolio(sample.snapshots(), ledger=sample.ledger)
        >>> portfolio.as_of, len(portfolio.accounts), portfolio.errors
        (datetime.date(2026, 11, 1), 19, ())
        >>> portfolio.summary.retention is not None, portfolio.explain()[0]
        (True, '19 accounts reviewed.')
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> acme, globex = (AccountSnapshot(name, "SMB", date(2026, 3, 2)) for name in ("acme", "globex"))
        >>> mixed = review_portfolio([acme, globex, acme, "not an account"])
        >>> [r.account_id for r in mixed.accounts], [(e.index, e.account_id, e.error_type) for e in mixed.rejected]
        (['acme', 'globex'], [(2, 'acme', 'DuplicateAccount'), (3, None, 'InvalidTypeError')])
        >>> mixed.rejected[0].error
        "duplicate account id 'acme', first seen at index 0 (only the first is reviewed)"
    """
    items = _checks.items("accounts", accounts)
    if ledger is not None:
        _checks.instance("ledger", ledger, RevenueLedger, hint="pass a postsale.kpi.RevenueLedger or None")
    _checks.instance("settings", settings, ReviewSettings)
    if progress is not None and not callable(progress):
        raise InvalidTypeError("expected a callable or None", field="progress", value=progress,
                               hint="pass a function taking the number of accounts done")
    engine = Engine(settings.rule_set, health_model=settings.health_model)
    reviews: list[AccountReview] = []
    reviewed: list[AccountInput | AccountSnapshot] = []
    errors: list[ReviewError] = []
    first_seen: dict[str, int] = {}
    for index, account in enumerate(items):
        account_id = _account_id(account)
        first = index if account_id is None else first_seen.setdefault(account_id, index)
        if first != index:
            errors.append(ReviewError(
                account_id, index, f"duplicate account id {account_id!r}, first seen at index {first} "
                "(only the first is reviewed)", "account_id", DUPLICATE,
            ))
        else:
            try:
                review = review_account(account, settings=settings, engine=engine)
                _summable(review)
            except PostsaleError as exc:
                errors.append(ReviewError(account_id, index, str(exc), exc.field, type(exc).__name__))
            except Exception as exc:  # the boundary: a failure deep inside one account never stops the others
                errors.append(ReviewError(account_id, index, _unexpected(exc), None, type(exc).__name__))
            else:
                reviews.append(review)
                reviewed.append(account)
        if progress is not None:
            progress(index + 1)
    as_of = max((r.as_of for r in reviews), default=date.min)
    summary = _summary(reviews, reviewed, as_of, ledger, settings, errors)
    return PortfolioReview(as_of, tuple(reviews), summary, tuple(errors))


DUPLICATE: Final = "DuplicateAccount"
"""The :attr:`ReviewError.error_type` of an account whose id was seen earlier in the portfolio."""

_MAX_SUMMED_ACV: Final = Decimal(10) ** 18
"""The largest ACV the portfolio totals add up (exactly, for any number of accounts) and print."""


def _summable(review: AccountReview) -> None:
    """Refuse an account whose ACV the portfolio totals could not add up or print."""
    if not review.acv.is_finite() or review.acv.copy_abs() >= _MAX_SUMMED_ACV:  # copy_abs: no context, no overflow
        raise InvalidValueError(
            "is too large to add up in the portfolio totals", field="acv", value=review.acv,
            constraint="an account's ACV must be below 10**18", hint="check the amount's unit and digits",
        )


def _unexpected(exc: BaseException, doing: str = " while reviewing the account") -> str:
    """What happened, for an exception that is not a PostsaleError: its name, its message and where it was raised
    (the innermost frame, read from the traceback without opening any file)."""
    detail = str(exc) or repr(exc)
    where = ""
    for frame, line in traceback.walk_tb(exc.__traceback__):
        path = frame.f_code.co_filename.replace("\\", "/")
        cut = path.rfind("/postsale/")
        where = f" (raised in {path[cut + 1:] if cut >= 0 else path.rsplit('/', 1)[-1]} line {line})"
    return f"unexpected {type(exc).__name__}{doing}: {detail[:300]}{where}"


def _account_id(account: object) -> str | None:
    if isinstance(account, AccountInput):
        return account.snapshot.account_id
    return account.account_id if isinstance(account, AccountSnapshot) else None


def _guarded(part: str, errors: list[ReviewError], compute: Callable[[], T]) -> T | None:
    """One part of the summary, or ``None`` with a portfolio error (index -1) saying why it is left out."""
    try:
        return compute()
    except PostsaleError as exc:
        errors.append(ReviewError(None, -1, f"{part} not computed: {exc}", exc.field, type(exc).__name__))
    except Exception as exc:  # the boundary: a summary part that fails never loses the accounts' reviews
        errors.append(ReviewError(None, -1, f"{part} not computed: {_unexpected(exc, '')}", None, type(exc).__name__))
    return None


def _horizon(as_of: date, months: int) -> date:
    try:
        return as_of + relativedelta(months=months)
    except (OverflowError, ValueError):
        return date.max


def _summary(
    reviews: list[AccountReview],
    accounts: list[AccountInput | AccountSnapshot],
    as_of: date,
    ledger: RevenueLedger | None,
    settings: ReviewSettings,
    errors: list[ReviewError],
) -> PortfolioSummary:
    stage_counts: Counter[Stage] = Counter(t.stage for r in reviews for t in r.stages)
    timing: Counter[TimingStatus] = Counter(t.status for r in reviews for t in r.stages)
    health: Counter[str] = Counter("UNSCORED" if r.health is None else r.health.band.name for r in reviews)
    horizon = _horizon(as_of, settings.renewal_horizon_months) if reviews else as_of
    due = sorted(
        ((r.renewal.renewal_date, r) for r in reviews if r.renewal is not None
         and as_of <= r.renewal.renewal_date <= horizon),
        key=lambda pair: pair[0],
    )
    months: dict[str, list[AccountReview]] = {}
    for renewal_date, r in due:
        months.setdefault(renewal_date.strftime("%Y-%m"), []).append(r)
    renewals_by_month = _guarded("renewals by month", errors, lambda: tuple(
        RenewalMonth(month, len(rs), sum((r.acv for r in rs), Decimal(0)),
                     Counter(r.forecast.category for r in rs if r.forecast is not None))
        for month, rs in months.items()
    ))
    forecast = None
    lines = [RenewalLine(r.account_id, renewal_date, r.acv, r.forecast.category, segment=r.segment,
                         flagged=r.forecast.disagrees)
             for renewal_date, r in due if r.forecast is not None]
    if reviews:
        forecast = _guarded("renewal forecast", errors,
                            lambda: roll_up(lines, period_start=as_of, period_end=horizon))
    tiers = None
    if reviews:
        tiers = _guarded("touch-model tiers", errors, lambda: plan_portfolio(
            [r.touch.profile for r in reviews if r.touch is not None], base=settings.company))
    report = None
    if ledger is not None and reviews:
        report = _guarded("retention", errors,
                          lambda: retention(ledger, start=as_of - relativedelta(months=12)))
    journeys = [a.journey for a in accounts if isinstance(a, AccountInput) and a.journey is not None]
    journey = (  # regressions proper: a cycle (a new scope, a completed renewal) is a journey moving on
        _guarded("journey analytics", errors, lambda: analyze(journeys, include_cycles=False, as_of=as_of))
        if journeys else None
    )
    alerts = sorted((a for r in reviews for a in r.alerts), key=lambda a: (_PRIORITY_ORDER[a.priority], a.due))
    ordered_stages = {s: stage_counts[s] for s in Stage}
    ordered_health = {b: health[b] for b in ("GREEN", "YELLOW", "RED", "UNSCORED") if health[b]}
    return PortfolioSummary(
        len(reviews), ordered_stages, {s: timing[s] for s in TimingStatus}, ordered_health, renewals_by_month or (),
        forecast, tiers, report, journey, tuple(alerts[: settings.top_alerts]), len(alerts),
    )
