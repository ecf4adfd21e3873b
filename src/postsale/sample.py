"""A deterministic, seeded synthetic portfolio for the demo, the docs and the benchmarks.

Nothing here reads the clock or global randomness: the same ``seed`` and ``as_of`` always give the
same portfolio. The distributions follow the seeds' benchmarks (domain-spec §1.8, §1.9): segment
mix, onboarding and adoption durations per segment, regressions on risk events, cycles on new scope,
skips for fast movers, and overlapping department tracks for larger customers.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date, timedelta

from postsale import _checks, signals
from postsale._errors import InvalidValueError
from postsale._vocabulary import Segment, Stage
from postsale.journey import Cause, Journey

__all__ = ["SEGMENT_MIX", "sample_journey", "sample_journeys"]

SEGMENT_MIX: Mapping[Segment, float] = {
    Segment.ENTERPRISE: 0.10,
    Segment.MID_MARKET: 0.25,
    Segment.SMB: 0.40,
    Segment.PRODUCT_LED: 0.25,
}
"""Share of accounts per segment in the sample."""

# (onboarding days lo, hi), (adoption days lo, hi): domain-spec §1.8, with a tail of slow accounts.
_DURATIONS: Mapping[Segment, tuple[tuple[int, int], tuple[int, int]]] = {
    Segment.ENTERPRISE: ((60, 200), (365, 730)),
    Segment.MID_MARKET: ((28, 70), (180, 365)),
    Segment.SMB: ((7, 35), (90, 180)),
    Segment.PRODUCT_LED: ((1, 8), (30, 90)),
}

_MET = {
    signals.IMPLEMENTATION_COMPLETE: 1.0, signals.CORE_USERS_TRAINED: 1.0, signals.USE_CASE_LIVE: 1.0,
    signals.FIRST_VALUE_DOCUMENTED: 1.0, signals.GO_LIVE_CONFIRMED: 1.0, signals.SEAT_UTILISATION: 0.78,
    signals.FEATURES_BEYOND_INITIAL: 4.0, signals.USAGE_PATTERN_ESTABLISHED: 1.0,
    signals.ADDITIONAL_TEAMS_ONBOARDED: 2.0, signals.POWER_USERS: 3.0, signals.HEALTH_SCORE: 82.0,
    signals.SATISFACTION: 9.0, signals.ROI_DOCUMENTED: 1.0, signals.CHAMPION_WILLING: 1.0,
    signals.STRATEGIC_PROFILE: 1.0, signals.RENEWALS_COMPLETED: 1.0,
}
"""Evidence meeting every default guard (a customer that really did the work)."""

_RISKS = (Cause.CHAMPION_LEFT, Cause.BUDGET_CUT, Cause.LEADERSHIP_CHANGE, Cause.COMPETITOR_EVALUATION,
          Cause.HEALTH_DECLINE)


def _pick_segment(rng: random.Random) -> Segment:
    roll, acc = rng.random(), 0.0
    for segment, share in SEGMENT_MIX.items():
        acc += share
        if roll < acc:
            return segment
    return Segment.PRODUCT_LED  # pragma: no cover - float rounding guard


def sample_journey(account_id: str, rng: random.Random, *, as_of: date) -> Journey:
    """One plausible journey ending on or before ``as_of``, drawn from ``rng``.

    The core track walks the stages with segment durations; at each exit it moves forward most of the
    time, sometimes stalls (the account stays put), regresses on a risk event, cycles on a new scope,
    skips (fast SMB / product-led movers) or churns at renewal. Larger customers open a second
    department track (overlap).
    """
    segment = _pick_segment(rng)
    start = as_of - timedelta(days=rng.randint(20, 3 * 365))
    labels = {"source": rng.choice(["inbound", "outbound", "referral", "partner"])}
    journey = Journey.start(account_id, segment, on=start, labels=labels)
    (on_lo, on_hi), (ad_lo, ad_hi) = _DURATIONS[segment]
    fast = segment in (Segment.SMB, Segment.PRODUCT_LED)
    durations = {
        Stage.ONBOARDING: (on_lo, on_hi), Stage.ADOPTION: (ad_lo, ad_hi), Stage.RETENTION: (60, 300),
        Stage.EXPANSION: (14, 240) if not fast else (7, 30), Stage.RENEWAL: (14, 180) if not fast else (14, 60),
    }
    day = start
    pending: date | None = None  # when the second department finishes onboarding

    def settle(until: date) -> Journey:
        nonlocal pending
        if pending is not None and pending <= until and "department-2" in journey.tracks:
            moved = journey.move("department-2", Stage.ADOPTION, on=max(pending, journey.last_event.at),
                                 evidence=_MET)
            pending = None
            return moved
        return journey

    while True:
        stage = journey.stage("core")
        if stage is Stage.ADVOCACY:
            return settle(as_of)
        lo, hi = durations[stage]
        day += timedelta(days=rng.randint(lo, hi))
        if day > as_of:
            return settle(as_of)
        journey = settle(day)
        roll = rng.random()
        if stage is Stage.ONBOARDING:
            if roll < 0.05:
                return settle(as_of)  # the core use case stalls in onboarding
            if fast and roll < 0.15:
                journey = journey.move("core", Stage.EXPANSION, on=day, evidence={signals.GO_LIVE_CONFIRMED: 1.0},
                                       reason="fast mover: live in days, asking for more")
                continue
            journey = journey.move("core", Stage.ADOPTION, on=day, evidence=_MET)
            if segment in (Segment.ENTERPRISE, Segment.MID_MARKET) and "department-2" not in journey.tracks \
                    and rng.random() < 0.5:
                journey = journey.open_track("department-2", on=day, cause=Cause.NEW_DEPARTMENT)
                pending = day + timedelta(days=rng.randint(on_lo, on_hi))
        elif stage is Stage.ADOPTION:
            if roll < 0.08:
                return settle(as_of)  # adoption stalls
            if roll < 0.13:
                journey = journey.move("core", Stage.ONBOARDING, on=day, cause=Cause.NEW_PRODUCT_RELEASE)
            else:
                journey = journey.move("core", Stage.RETENTION, on=day, evidence=_MET)
        elif stage is Stage.RETENTION:
            if roll < 0.18:
                journey = journey.move("core", Stage.ADOPTION, on=day, cause=rng.choice(_RISKS))
            elif roll < 0.65:
                journey = journey.move("core", Stage.EXPANSION, on=day, cause=Cause.EXPANSION_OPPORTUNITY)
            else:
                journey = journey.move("core", Stage.RENEWAL, on=day, cause=Cause.RENEWAL_WINDOW_OPENED)
        elif stage is Stage.EXPANSION:
            if roll < 0.15:
                journey = journey.move("core", Stage.RETENTION, on=day, cause=Cause.BUDGET_CUT)
            else:
                journey = journey.move("core", Stage.RENEWAL, on=day, cause=Cause.RENEWAL_WINDOW_OPENED)
        elif roll < 0.10:
            journey = journey.close_track("core", on=day, cause=Cause.CHURNED)
            for track in list(journey.tracks):
                journey = journey.close_track(track, on=day, cause=Cause.CHURNED)
            return journey
        elif roll < 0.15:
            journey = journey.move("core", Stage.ONBOARDING, on=day, cause=Cause.MERGER)
        elif roll < 0.35:
            journey = journey.move("core", Stage.ADVOCACY, on=day, evidence=_MET)
        else:
            journey = journey.move("core", Stage.RETENTION, on=day, cause=Cause.RENEWAL_COMPLETED)


def sample_journeys(n: int = 2000, *, seed: int = 7, as_of: date = date(2026, 11, 1)) -> list[Journey]:
    """Return ``n`` seeded journeys (account ids ``ACC-00001`` ...), identical for the same arguments.

    Examples:
        >>> a = sample_journeys(50, seed=1)
        >>> a == sample_journeys(50, seed=1), len(a)
        (True, 50)
    """
    if _checks.count("n", n) == 0:
        raise InvalidValueError("is zero", field="n", value=n, constraint="n >= 1", hint="ask for at least one account")
    rng = random.Random(seed)
    return [sample_journey(f"ACC-{i:05d}", rng, as_of=as_of) for i in range(1, n + 1)]
