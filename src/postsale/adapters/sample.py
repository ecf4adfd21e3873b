"""A deterministic, seeded synthetic portfolio for the demo, the docs, the notebook and the benchmarks.

Nothing here reads the clock or global randomness: the same ``seed`` and ``as_of`` always give the
same portfolio, account by account (each account draws from its own seeded generator, so asking for
more accounts never changes the first ones). Distributions (documented in ``docs/sample.md``) follow
the field guide's benchmarks: segment mix and sizes (Touch models › The six factors), onboarding and
adoption durations per segment, regressions on risk events, cycles on new scope, skips for fast movers,
overlapping department tracks, annual churn by segment consistent with GRR of 85-95 % (KPIs › Retention
benchmarks), health that declines over the months before a churn (so the triggers have something to find
60-90 days ahead: Health › Band cut-offs), and
a year of weekly snapshots per account.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import attrs

from postsale import _checks, signals
from postsale._errors import InvalidTypeError, InvalidValueError
from postsale._frozen import freeze
from postsale._repr import readable
from postsale._vocabulary import AccountSnapshot, Segment, Stage
from postsale.journey import Cause, Journey
from postsale.kpi import RevenueLedger, RevenueMovement
from postsale.renewal import Contract, Intent, add_months
from postsale.triggers import Outcome, OutcomeKind

__all__ = [
    "ANNUAL_CHURN",
    "SAMPLE_DATES",
    "SEGMENT_MIX",
    "SampleAccount",
    "SamplePortfolio",
    "sample_journey",
    "sample_journeys",
    "sample_portfolio",
]

SEGMENT_MIX: Mapping[Segment, float] = freeze({
    Segment.ENTERPRISE: 0.10, Segment.MID_MARKET: 0.25, Segment.SMB: 0.40, Segment.PRODUCT_LED: 0.25,
})
"""Share of accounts per segment in the sample."""

ANNUAL_CHURN: Mapping[Segment, float] = freeze({
    Segment.ENTERPRISE: 0.05, Segment.MID_MARKET: 0.09, Segment.SMB: 0.15, Segment.PRODUCT_LED: 0.20,
})
"""Probability that a renewal is lost, per segment (logo GRR 80-95 %, guide: KPIs › Retention benchmarks)."""

# Per segment: employees, ACV (USD), seats, onboarding days, adoption days.
_SIZES: Mapping[Segment, tuple[tuple[int, int], tuple[int, int], tuple[int, int]]] = {
    Segment.ENTERPRISE: ((1000, 40000), (80_000, 450_000), (150, 2500)),
    Segment.MID_MARKET: ((100, 999), (12_000, 95_000), (25, 300)),
    Segment.SMB: ((5, 99), (2_000, 12_000), (3, 40)),
    Segment.PRODUCT_LED: ((1, 300), (300, 6_000), (1, 25)),
}
_DURATIONS: Mapping[Segment, tuple[tuple[int, int], tuple[int, int]]] = {
    Segment.ENTERPRISE: ((60, 200), (365, 730)),
    Segment.MID_MARKET: ((28, 70), (180, 365)),
    Segment.SMB: ((7, 35), (90, 180)),
    Segment.PRODUCT_LED: ((1, 8), (30, 90)),
}
_RUNWAY = {Segment.ENTERPRISE: 180, Segment.MID_MARKET: 90, Segment.SMB: 60, Segment.PRODUCT_LED: 30}

_MET = {
    signals.IMPLEMENTATION_COMPLETE: 1.0, signals.CORE_USERS_TRAINED: 1.0, signals.USE_CASE_LIVE: 1.0,
    signals.FIRST_VALUE_DOCUMENTED: 1.0, signals.GO_LIVE_CONFIRMED: 1.0, signals.SEAT_UTILISATION: 0.78,
    signals.FEATURES_BEYOND_INITIAL: 4.0, signals.USAGE_PATTERN_ESTABLISHED: 1.0,
    signals.ADDITIONAL_TEAMS_ONBOARDED: 2.0, signals.POWER_USERS: 3.0, signals.HEALTH_SCORE: 82.0,
    signals.SATISFACTION: 9.0, signals.ROI_DOCUMENTED: 1.0, signals.CHAMPION_WILLING: 1.0,
    signals.STRATEGIC_PROFILE: 1.0, signals.RENEWALS_COMPLETED: 1.0,
}
"""Evidence meeting every default guard (a customer that really did the work)."""

SAMPLE_DATES = (date(1900, 1, 1), date(2999, 12, 31))
"""The dates a sample can be drawn for (``as_of``, a journey's start, renewals, a churn date, a snapshot's day): far
enough from the ends of the calendar for every date the generator derives (years back, terms ahead)."""

_MAX_ACCOUNTS = 1_000_000
"""The most accounts one sample holds (as many as ``postsale demo --accounts`` accepts)."""

_MAX_HISTORY_WEEKS = 520
"""The most weekly snapshots one account's history holds (ten years; each snapshot is drawn, not stored)."""

_RISKS = (Cause.CHAMPION_LEFT, Cause.BUDGET_CUT, Cause.LEADERSHIP_CHANGE, Cause.COMPETITOR_EVALUATION,
          Cause.HEALTH_DECLINE)


def _sample_date(field: str, value: Any, *, within: tuple[date, date] = SAMPLE_DATES) -> date:
    """A date within :data:`SAMPLE_DATES` (or ``within``)."""
    day = _checks.a_date(field, value)
    first, last = within
    if not first <= day <= last:
        raise InvalidValueError("is outside the dates a sample is drawn for", field=field, value=day,
                                constraint=f"must be between {first.isoformat()} and {last.isoformat()}",
                                hint="pass a date such as date(2026, 11, 1)")
    return day


def _seed(value: Any, bits: int = 63) -> int:
    """A whole-number seed below 2**bits in absolute value (an account's own seed, ``seed * 10_000_019 + i``, is
    below 2**128)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError("expected a whole number", field="seed", value=value, hint="pass an int such as 7")
    if abs(value) >= 2**bits:
        raise InvalidValueError(
            "is too large for a seed", field="seed", value=_checks.shown(value),
            constraint=f"must be between -2**{bits} and 2**{bits} (exclusive)", hint="pass a smaller int such as 7",
        )
    return value


def _pick_segment(rng: random.Random) -> Segment:
    roll, acc = rng.random(), 0.0
    for segment, share in SEGMENT_MIX.items():
        acc += share
        if roll < acc:
            return segment
    return Segment.PRODUCT_LED  # pragma: no cover - float rounding guard


def _log_uniform(rng: random.Random, lo: int, hi: int) -> float:
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


# ---- journeys ---------------------------------------------------------------------------------------


def sample_journey(
    account_id: str,
    rng: random.Random,
    *,
    as_of: date,
    segment: Segment | None = None,
    start: date | None = None,
    renewals: tuple[date, ...] = (),
    churn_on: date | None = None,
) -> Journey:
    """One plausible journey ending on or before ``as_of``, drawn from ``rng``.

    The core track walks the stages with segment durations; at each exit it moves forward most of the
    time, sometimes stalls, regresses on a risk event, cycles on a new scope or skips (fast SMB and
    product-led movers). When contract ``renewals`` are given, the track enters Renewal at the segment's
    runway before each one and renews into Retention after it (or closes on ``churn_on``). Larger
    customers open a second department track (overlap).

    Raises:
        InvalidValueError: a date outside :data:`SAMPLE_DATES`.
    """
    _checks.identifier("account_id", account_id)
    _checks.instance("rng", rng, random.Random, hint="pass random.Random(seed)")
    _sample_date("as_of", as_of)
    if start is not None:
        _sample_date("start", start)
    if churn_on is not None:
        _sample_date("churn_on", churn_on)
    for index, renewal in enumerate(_checks.items("renewals", renewals)):
        _sample_date(f"renewals[{index}]", renewal)
    segment = None if segment is None else Segment.parse(segment)
    return _journey(account_id, rng, as_of=as_of, segment=segment, start=start, renewals=tuple(renewals),
                    churn_on=churn_on)


def _journey(
    account_id: str,
    rng: random.Random,
    *,
    as_of: date,
    segment: Segment | None,
    start: date | None,
    renewals: tuple[date, ...],
    churn_on: date | None,
) -> Journey:
    """:func:`sample_journey` on checked arguments (also for derived dates a few years around them)."""
    segment = _pick_segment(rng) if segment is None else segment
    start = start or as_of - timedelta(days=rng.randint(20, 3 * 365))
    labels = {"source": rng.choice(["inbound", "outbound", "referral", "partner"])}
    journey = Journey.start(account_id, segment, on=start, labels=labels)
    (on_lo, on_hi), (ad_lo, ad_hi) = _DURATIONS[segment]
    fast = segment in (Segment.SMB, Segment.PRODUCT_LED)
    durations = {
        Stage.ONBOARDING: (on_lo, on_hi), Stage.ADOPTION: (ad_lo, ad_hi), Stage.RETENTION: (60, 300),
        Stage.EXPANSION: (14, 240) if not fast else (7, 30), Stage.RENEWAL: (14, 180) if not fast else (14, 60),
        Stage.ADVOCACY: (120, 400),
    }
    end = min(as_of, churn_on) if churn_on else as_of
    pending = list(renewals)
    day = start
    while True:
        stage = journey.stage("core")
        lo, hi = durations[stage]
        proposed = day + timedelta(days=rng.randint(lo, hi))
        next_renewal = next((r for r in pending if r > day), None)
        if next_renewal is not None and stage not in (Stage.RENEWAL, Stage.ADVOCACY):
            window = next_renewal - timedelta(days=_RUNWAY[segment])
            if window <= proposed and stage > Stage.ONBOARDING:
                day = max(window, day)
                if day > end:
                    return journey
                reason = None if stage >= Stage.RETENTION else "renewal window opened while still adopting"
                journey = journey.move("core", Stage.RENEWAL, on=day, cause=Cause.RENEWAL_WINDOW_OPENED,
                                       evidence=_MET, reason=reason)
                continue
        if stage is Stage.RENEWAL and next_renewal is not None:
            proposed = next_renewal
            pending.remove(next_renewal)
        if proposed > end:
            if churn_on is not None and churn_on <= as_of:
                for track in list(journey.tracks):
                    journey = journey.close_track(track, on=max(churn_on, journey.last_event.at), cause=Cause.CHURNED)
            return journey
        day = proposed
        journey = _advance(journey, rng, stage, day, segment, fast)


def _advance(journey: Journey, rng: random.Random, stage: Stage, day: date, segment: Segment, fast: bool) -> Journey:
    """One step of the walk from ``stage`` on ``day``."""
    roll = rng.random()
    if stage is Stage.ONBOARDING:
        if roll < 0.05:
            return journey  # the core use case stalls in onboarding
        if fast and roll < 0.15:
            return journey.move("core", Stage.EXPANSION, on=day, evidence={signals.GO_LIVE_CONFIRMED: 1.0},
                                reason="fast mover: live in days, asking for more")
        journey = journey.move("core", Stage.ADOPTION, on=day, evidence=_MET)
        if segment in (Segment.ENTERPRISE, Segment.MID_MARKET) and "department-2" not in journey.tracks \
                and rng.random() < 0.5:
            journey = journey.open_track("department-2", on=day, cause=Cause.NEW_DEPARTMENT)
        return journey
    if "department-2" in journey.tracks and journey.stage("department-2") is Stage.ONBOARDING and roll < 0.7:
        journey = journey.move("department-2", Stage.ADOPTION, on=day, evidence=_MET)
    if stage is Stage.ADOPTION:
        if roll < 0.08:
            return journey  # adoption stalls
        if roll < 0.13:
            return journey.move("core", Stage.ONBOARDING, on=day, cause=Cause.NEW_PRODUCT_RELEASE)
        return journey.move("core", Stage.RETENTION, on=day, evidence=_MET)
    if stage is Stage.RETENTION:
        if roll < 0.18:
            return journey.move("core", Stage.ADOPTION, on=day, cause=rng.choice(_RISKS))
        return journey.move("core", Stage.EXPANSION, on=day, cause=Cause.EXPANSION_OPPORTUNITY)
    if stage is Stage.EXPANSION:
        if roll < 0.15:
            return journey.move("core", Stage.RETENTION, on=day, cause=Cause.BUDGET_CUT)
        return journey  # the expansion conversation goes on until the renewal window opens
    if stage is Stage.RENEWAL:
        if roll < 0.05:
            return journey.move("core", Stage.ONBOARDING, on=day, cause=Cause.MERGER)
        if roll < 0.25:
            return journey.move("core", Stage.ADVOCACY, on=day, evidence=_MET)
        return journey.move("core", Stage.RETENTION, on=day, cause=Cause.RENEWAL_COMPLETED)
    if roll < 0.5:  # advocacy: a new term starts, back to retention
        return journey.move("core", Stage.RETENTION, on=day, cause=Cause.RENEWAL_COMPLETED)
    return journey


def sample_journeys(n: int = 2000, *, seed: int = 7, as_of: date = date(2026, 11, 1)) -> list[Journey]:
    """Return ``n`` seeded journeys (account ids ``ACC-00001`` ...), identical for the same arguments.

    Examples:
        >>> a = sample_journeys(50, seed=1)
        >>> a == sample_journeys(50, seed=1), len(a)
        (True, 50)
    """
    _positive_count(n)
    _seed(seed)
    _sample_date("as_of", as_of)
    return [sample_journey(f"ACC-{i:05d}", random.Random(seed * 10_000_019 + i), as_of=as_of) for i in range(1, n + 1)]


def _positive_count(n: int) -> None:
    if _checks.count("n", n) == 0:
        raise InvalidValueError("is zero", field="n", value=n, constraint="n >= 1", hint="ask for at least one account")
    if n > _MAX_ACCOUNTS:
        raise InvalidValueError(
            "is more accounts than a sample holds", field="n", value=n, constraint=f"n <= {_MAX_ACCOUNTS:,}",
            hint="draw several samples with different seeds (each account takes a fraction of a millisecond)",
        )


def _milestones(value: Any) -> Mapping[str, date]:
    return _checks.mapping("completed_milestones", value, key=_checks.identifier, item=_checks.a_date)


_ACCOUNT_DATES = (date(1890, 1, 1), date(3009, 12, 31))
"""The dates an account holds (journey start, churn, decline): :data:`SAMPLE_DATES` and ten years either side."""


def _account_date(field: str, value: Any) -> date | None:
    return None if value is None else _sample_date(field, value, within=_ACCOUNT_DATES)


def _the_journey(field: str, value: Any) -> Journey:
    """A journey that started on a date an account holds (its weekly snapshots are drawn back to its start)."""
    journey: Journey = _checks.instance(field, value, Journey, hint="pass the Journey of the account")
    _account_date(f"{field}.started_on", journey.started_on)
    return journey


def _of(cls: type) -> Any:
    return _checks.validator(lambda field, value: _checks.instance(field, value, cls))


def _segment(value: Any) -> Segment:
    return Segment.parse(value)


def _latent_health(value: Any) -> float:
    return _checks.ratio("health", value)


# ---- the portfolio ----------------------------------------------------------------------------------


@attrs.frozen
class SampleAccount:
    """One synthetic account: its contract, journey, outcome, revenue and what its snapshots are drawn from.

    Attributes:
        account_id: ``ACC-00001`` ...
        segment: Its segment.
        contract: The term in force on the portfolio date (or the last one, for a churned account).
        journey: Its journey up to the portfolio date.
        employees: Head-count (for touch-model scoring).
        seats: Seats purchased.
        outcome: The renewal outcome of the past year (churned / renewed / expanded), if a renewal fell in it.
        churned_on: The date it churned, if it did.
        csm: The CSM who owns it (``labels["csm"]`` on its snapshots).
        completed_milestones: Renewal milestones of the current term done by the portfolio date.
        intent: What the customer said about renewing.
    """

    __repr__ = readable
    account_id: str = attrs.field(validator=_checks.validator(_checks.identifier))
    segment: Segment = attrs.field(converter=_segment)
    contract: Contract = attrs.field(validator=_of(Contract))
    journey: Journey = attrs.field(eq=False, validator=_checks.validator(_the_journey))
    employees: int = attrs.field(validator=_checks.validator(_checks.count))
    seats: int = attrs.field(validator=_checks.validator(_checks.count))
    outcome: Outcome | None = attrs.field(validator=attrs.validators.optional(_of(Outcome)))
    churned_on: date | None = attrs.field(validator=_checks.validator(_account_date))
    csm: str = attrs.field(validator=_checks.validator(_checks.identifier))
    completed_milestones: Mapping[str, date] = attrs.field(hash=False, converter=_milestones)
    intent: Intent = attrs.field(validator=_of(Intent))
    _health: float = attrs.field(repr=False, converter=_latent_health)
    _decline_from: date | None = attrs.field(
        repr=False, validator=_checks.validator(lambda _field, value: _account_date("decline_from", value))
    )
    _seed: int = attrs.field(repr=False, validator=_checks.validator(lambda _field, value: _seed(value, 128)))

    @property
    def active(self) -> bool:
        """False once the account has churned."""
        return self.churned_on is None

    def health_on(self, day: date) -> float:
        """The latent health (0-1) the snapshots of ``day`` are drawn around."""
        if self._decline_from is None or day < self._decline_from:
            return self._health
        span = 120.0
        progress = min((day - self._decline_from).days / span, 1.0)
        return max(0.05, self._health * (1.0 - 0.75 * progress))

    def snapshot_on(self, day: date) -> AccountSnapshot:
        """The account's snapshot on ``day`` (deterministic for the account and the date).

        Raises:
            InvalidValueError: ``day`` outside :data:`SAMPLE_DATES`.
        """
        return self._snapshot(_sample_date("day", day))

    def _snapshot(self, day: date) -> AccountSnapshot:
        active, values = self._signals(day)
        return AccountSnapshot(
            self.account_id, self.segment, day, acv=self.contract.acv, contract_start=self.contract.start,
            contract_end=self.contract.end, seats_purchased=self.seats, seats_active=active, signals=values,
            labels={"csm": self.csm, "source": self.journey.labels.get("source", "inbound")},
        )

    def _signals(self, day: date) -> tuple[int, dict[str, float]]:
        """The active seats and the signals of the snapshot on ``day`` (what a file of that day holds)."""
        rng = random.Random(self._seed * 1_000_003 + day.toordinal())
        prev_rng = random.Random(self._seed * 1_000_003 + day.toordinal() - 7)
        h = self.health_on(day)
        h_prev = self.health_on(day - timedelta(days=7))
        active = max(0, min(self.seats, round(self.seats * (0.25 + 0.7 * h + rng.uniform(-0.05, 0.05)))))
        logins = round(active * (1.5 + 4.0 * h) * rng.uniform(0.85, 1.15))
        logins_prev = round(max(0, round(self.seats * (0.25 + 0.7 * h_prev))) * (1.5 + 4.0 * h_prev)
                            * prev_rng.uniform(0.85, 1.15))
        critical = round(40 * h * rng.uniform(0.9, 1.1) * (1 + self.seats / 50))
        critical_prev = round(40 * h_prev * prev_rng.uniform(0.9, 1.1) * (1 + self.seats / 50))
        tenure = (day - self.journey.started_on).days
        quarter_rng = random.Random(-(self._seed * 1_000_003 + day.toordinal() // 91))
        values = {
            signals.LOGINS_WEEK: float(logins),
            signals.LOGINS_PREV_WEEK: float(logins_prev),
            signals.CRITICAL_FEATURE_USAGE: float(critical),
            signals.CRITICAL_FEATURE_USAGE_PREV: float(critical_prev),
            signals.CORE_FEATURE_USAGE: float(max(0, round(tenure * h * 3))) if tenure > 0 else 0.0,
            signals.DISTINCT_FEATURES_USED: float(round(1 + 5 * h)),
            signals.ACTIVITY_PERCENTILE: float(round(100 * min(1.0, h * rng.uniform(0.8, 1.15)))),
            signals.SUPPORT_TICKETS_WEEK: float(_poisson(rng, 0.4 + 3.5 * (1 - h) ** 2)),
            signals.USAGE_LIMIT_RATIO: round(min(1.2, 0.3 + 0.6 * h * rng.uniform(0.8, 1.2)), 3),
            signals.STORAGE_RATIO: round(min(1.0, 0.2 + 0.5 * h * rng.uniform(0.7, 1.3)), 3),
            signals.NPS: float(max(0, min(10, round(2 + 8 * h + quarter_rng.uniform(-1.5, 1.5))))),
            signals.SENTIMENT: round(max(0.0, min(100.0, 100 * h + rng.uniform(-8, 8))), 1),
            signals.BUSINESS_CONTEXT: round(max(0.0, min(100.0, 35 + 55 * h + quarter_rng.uniform(-10, 10))), 1),
            signals.EXECUTIVE_ENGAGEMENT: round(max(0.0, min(100.0, 20 + 70 * h + rng.uniform(-10, 10))), 1),
            signals.CORE_SETUP_COMPLETION: round(min(1.0, tenure / 30), 3) if tenure >= 0 else 0.0,
            signals.RENEWALS_COMPLETED: float(self._terms_before(day)),
        }
        return active, values

    def contract_terms_before(self, day: date) -> int:
        """Renewals completed before ``day`` (full terms since the journey started)."""
        return self._terms_before(_sample_date("day", day))

    def _terms_before(self, day: date) -> int:
        months = self.contract.term_months or 12
        count, anniversary = 0, add_months(self.journey.started_on, months)
        while anniversary <= day:
            count += 1
            anniversary = add_months(self.journey.started_on, months * (count + 1))
        return count

    def history(self, *, as_of: date, weeks: int = 52) -> tuple[AccountSnapshot, ...]:
        """Weekly snapshots ending on ``as_of`` (oldest first), from the account's start, up to ``weeks``.

        Raises:
            InvalidValueError: ``as_of`` outside :data:`SAMPLE_DATES`, ``weeks`` above 520 (ten years).
        """
        _sample_date("as_of", as_of)
        _history_weeks(weeks)
        first = self.journey.started_on
        last = as_of if self.churned_on is None else min(as_of, self.churned_on - timedelta(days=1))
        weeks = min(weeks, max(0, (last - first).days // 7 + 1))  # never more weeks than the account has lived
        days = [last - timedelta(days=7 * k) for k in range(weeks)]
        return tuple(self._snapshot(d) for d in reversed(days) if d >= first)


def _history_weeks(weeks: Any) -> int:
    if _checks.count("weeks", weeks) > _MAX_HISTORY_WEEKS:
        raise InvalidValueError(
            "is more weeks than a sample history holds", field="weeks", value=weeks,
            constraint=f"weeks <= {_MAX_HISTORY_WEEKS} (ten years of weekly snapshots)",
            hint=f"ask for at most {_MAX_HISTORY_WEEKS} weeks (an account never has more weeks than it has lived)",
        )
    return int(weeks)


def _accounts(value: Any) -> tuple[SampleAccount, ...]:
    return _checks.items("accounts", value, SampleAccount)


def _poisson(rng: random.Random, mean: float) -> int:
    threshold, k, p = math.exp(-mean), 0, rng.random()
    while p > threshold:
        k += 1
        p *= rng.random()
    return k


@attrs.frozen
class SamplePortfolio:
    """A seeded synthetic portfolio as of a date: accounts, their revenue ledger and outcomes."""

    __repr__ = readable
    as_of: date = attrs.field(validator=_checks.validator(_sample_date))
    seed: int = attrs.field(validator=_checks.validator(lambda _field, value: _seed(value)))
    accounts: tuple[SampleAccount, ...] = attrs.field(converter=_accounts)
    ledger: RevenueLedger = attrs.field(eq=False, repr=False)

    @property
    def active(self) -> tuple[SampleAccount, ...]:
        """Accounts that have not churned."""
        return tuple(a for a in self.accounts if a.active)

    @property
    def outcomes(self) -> tuple[Outcome, ...]:
        """The renewal outcomes of the past year (for backtests)."""
        return tuple(a.outcome for a in self.accounts if a.outcome is not None)

    def snapshots(self) -> tuple[AccountSnapshot, ...]:
        """The latest snapshot of every active account."""
        return tuple(a._snapshot(self.as_of) for a in self.active)

    def history(self, *, weeks: int = 52) -> Iterator[AccountSnapshot]:
        """Every account's weekly snapshots (each account's in date order), up to ``weeks`` each
        (at most :data:`_MAX_HISTORY_WEEKS`)."""
        _history_weeks(weeks)
        for account in self.accounts:
            yield from account.history(as_of=self.as_of, weeks=weeks)


def sample_portfolio(n: int = 3000, *, seed: int = 7, as_of: date = date(2026, 11, 1)) -> SamplePortfolio:
    """Return a seeded portfolio of ``n`` accounts as of ``as_of`` (the same for the same arguments).

    Examples:
        >>> p = sample_portfolio(40, seed=3)
        >>> len(p.accounts), p == sample_portfolio(40, seed=3)
        (40, True)
    """
    _positive_count(n)
    _seed(seed)
    _sample_date("as_of", as_of)
    accounts = [_sample_account(i, seed, as_of) for i in range(1, n + 1)]
    movements = [m for account, moves in accounts for m in moves]
    return SamplePortfolio(as_of, seed, tuple(a for a, _ in accounts), RevenueLedger(movements))


_CSMS = ("aiko", "ben", "carla", "deepak", "emma", "farid", "grace", "hiro", "ines", "jonas")


def _sample_account(i: int, seed: int, as_of: date) -> tuple[SampleAccount, list[RevenueMovement]]:
    key = seed * 10_000_019 + i
    rng = random.Random(key)
    account_id = f"ACC-{i:05d}"
    segment = _pick_segment(rng)
    (emp_lo, emp_hi), (acv_lo, acv_hi), (seat_lo, seat_hi) = _SIZES[segment]
    employees = round(_log_uniform(rng, emp_lo, emp_hi))
    acv = Decimal(round(_log_uniform(rng, acv_lo, acv_hi), -2) or 100)
    seats = max(1, round(_log_uniform(rng, seat_lo, seat_hi)))
    term = rng.choice((12, 12, 12, 24, 36)) if segment is Segment.ENTERPRISE else 12
    start = as_of - timedelta(days=rng.randint(40, 3 * 365))
    health = min(0.97, max(0.15, rng.betavariate(5, 2)))
    # every anniversary up to as_of + one term: renewals of the past year may be lost or expanded
    anniversaries = []
    k = 1
    while (anniversary := add_months(start, term * k)) <= as_of + timedelta(days=400):
        anniversaries.append(anniversary)
        k += 1
    churn_on: date | None = None
    decline_from: date | None = None
    outcome: Outcome | None = None
    movements = [RevenueMovement(account_id, start, "NEW", acv)]
    current_acv = acv
    for anniversary in anniversaries:
        risk = ANNUAL_CHURN[segment] * (1.6 - health) * 1.3
        if anniversary <= as_of:
            if rng.random() < risk:
                churn_on = anniversary
                decline_from = anniversary - timedelta(days=rng.randint(90, 150))
                movements.append(RevenueMovement(account_id, anniversary, "CHURN", current_acv))
                if anniversary > as_of - timedelta(days=365):
                    outcome = Outcome(account_id, OutcomeKind.CHURNED, anniversary)
                break
            expanded = rng.random() < 0.12 + 0.2 * health
            if expanded:
                growth = (current_acv * Decimal(rng.randint(10, 40)) / 100).quantize(Decimal(1))
                current_acv += growth
                movements.append(RevenueMovement(account_id, anniversary, "EXPANSION", growth, motion="UPSELL"))
            if anniversary > as_of - timedelta(days=365):
                kind = OutcomeKind.EXPANDED if expanded else OutcomeKind.RENEWED
                outcome = Outcome(account_id, kind, anniversary)
        elif rng.random() < risk and anniversary <= as_of + timedelta(days=180):
            decline_from = anniversary - timedelta(days=rng.randint(90, 150))  # an at-risk renewal ahead
            break
    term_index = sum(1 for a in anniversaries if a <= (churn_on or as_of) and (churn_on is None or a < churn_on))
    contract = Contract.from_term(account_id, segment, add_months(start, term * term_index), term_months=term,
                                  acv=current_acv)
    journey = _journey(account_id, rng, as_of=as_of, segment=segment, start=start,
                             renewals=tuple(anniversaries), churn_on=churn_on)
    account = SampleAccount(
        account_id, segment, contract, journey, employees, seats, outcome, churn_on, rng.choice(_CSMS),
        freeze(_completed_milestones(contract, as_of, rng, health)), _intent(rng, health, decline_from),
        health, decline_from, key,
    )
    return account, movements


def _intent(rng: random.Random, health: float, decline_from: date | None) -> Intent:
    """What the customer says: healthy customers often commit early, declining ones hesitate or cancel."""
    roll = rng.random()
    if decline_from is not None:
        return Intent.CANCEL if roll < 0.3 else Intent.REDUCE if roll < 0.5 else Intent.UNDECIDED
    if health > 0.75:
        return Intent.COMMITTED if roll < 0.4 else Intent.RENEW if roll < 0.7 else Intent.UNKNOWN
    return Intent.RENEW if roll < 0.3 else Intent.UNKNOWN


def _completed_milestones(contract: Contract, as_of: date, rng: random.Random, health: float) -> dict[str, date]:
    """Milestones of the current term done by ``as_of``: a healthy account's team is on time, others late."""
    from postsale.renewal import renewal_timeline

    done: dict[str, date] = {}
    for milestone in renewal_timeline(contract).milestones:
        slip = 0 if rng.random() < health else rng.randint(10, 60)
        when = milestone.due + timedelta(days=slip)
        if when <= as_of and milestone.due < contract.end:
            done[milestone.name] = when
    return done
