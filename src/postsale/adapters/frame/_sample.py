"""A synthetic portfolio of any size as one Polars frame, drawn with numpy (a million accounts in about a second).

The accounts follow the embedded sample's recipe (:mod:`postsale.adapters.sample`): a segment mix, sizes, ACV and
seats per segment, a latent health that drives usage, satisfaction and support load, contracts that renew every
twelve months (Enterprise also every two or three years); 8 % of the accounts have been declining for a week. It
is drawn column by column rather than account by account, so it is the same for the same arguments but not the
very accounts of ``sample_portfolio``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from postsale import _checks
from postsale._columnar import require
from postsale._errors import InvalidValueError
from postsale.adapters.sample import _CSMS, _SIZES, SEGMENT_MIX

__all__ = ["sample_frame"]

_MAX_ACCOUNTS = 10_000_000


def sample_frame(n: int = 100_000, *, seed: int = 7, as_of: date = date(2026, 11, 1)) -> Any:
    """Return ``n`` synthetic accounts as of ``as_of`` as a Polars frame in the form :func:`review_frame` reads
    (``account_id``, ``segment``, ``csm``, ``acv``, seats, contract dates and the signals of the default health
    model and trigger catalog), the same for the same arguments.

    Raises:
        InvalidValueError: ``n`` is not a whole number from 1 to 10 000 000, ``seed`` not a whole number.
        InvalidTypeError: ``as_of`` is not a date.
        MissingDependencyError: Polars or numpy is not installed (``pip install 'postsale[frame,polars]'``).

    Examples:
        >>> frame = sample_frame(1_000, seed=3)
        >>> frame.height, frame["account_id"][0], sorted(frame["segment"].unique())[:2]
        (1000, 'S0000001', ['ENTERPRISE', 'MID_MARKET'])
    """
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= _MAX_ACCOUNTS:
        raise InvalidValueError("is not a number of accounts from 1 to 10 000 000", field="n", value=n,
                                hint="e.g. sample_frame(1_000_000)")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise InvalidValueError("is not a whole number", field="seed", value=seed, hint="e.g. seed=7")
    day = _checks.a_date("as_of", as_of)
    np = require("numpy", "frame")
    pl = require("polars", "polars")
    rng = np.random.default_rng(abs(seed))
    segments = list(SEGMENT_MIX)
    which = rng.choice(len(segments), n, p=[SEGMENT_MIX[s] for s in segments])
    health = np.clip(rng.beta(5, 2, n), 0.15, 0.97)
    before = health.copy()  # a week ago: 8 % of the accounts have been declining since (usage, mood, support)
    health = np.where(rng.random(n) < 0.08, health * rng.uniform(0.35, 0.75, n), health)

    def per_segment(k: int) -> Any:
        """Log-uniform draws within each segment's range (0: employees, 1: ACV, 2: seats)."""
        low = np.array([_SIZES[s][k][0] for s in segments], dtype="float64")[which]
        high = np.array([_SIZES[s][k][1] for s in segments], dtype="float64")[which]
        return np.exp(rng.uniform(np.log(low), np.log(high)))

    def noise(low: float, high: float) -> Any:
        return rng.uniform(low, high, n)

    acv = np.maximum(100, np.round(per_segment(1), -2))
    seats = np.maximum(1, np.round(per_segment(2)))
    active = np.clip(np.round(seats * (0.25 + 0.7 * health + noise(-0.05, 0.05))), 0, seats)
    enterprise = which == segments.index(next(s for s in segments if s.name == "ENTERPRISE"))
    term = np.where(enterprise, rng.choice(np.array([365, 365, 365, 730, 1095]), n), 365)
    tenure = rng.integers(40, 3 * 365, n)
    into_term = tenure % term
    start = np.datetime64(day, "D") - into_term.astype("timedelta64[D]")
    end = start + term.astype("timedelta64[D]")
    prev_h = np.clip(before + noise(-0.08, 0.08), 0.0, 1.0)
    logins_prev = np.round(np.round(seats * (0.25 + 0.7 * prev_h)) * (1.5 + 4.0 * prev_h) * noise(0.85, 1.15))
    critical_prev = np.round(40 * prev_h * noise(0.9, 1.1) * (1 + seats / 50))

    def bounded(values: Any, low: float, high: float, digits: int = 1) -> Any:
        return np.round(np.clip(values, low, high), digits)

    numbers = {
        "acv": acv, "seats_purchased": seats, "seats_active": active,
        "logins_week": np.round(active * (1.5 + 4.0 * health) * noise(0.85, 1.15)),
        "logins_prev_week": logins_prev,
        "critical_feature_usage": np.round(40 * health * noise(0.9, 1.1) * (1 + seats / 50)),
        "critical_feature_usage_prev": critical_prev,
        "core_feature_usage": np.round(tenure * health * 3),
        "distinct_features_used": np.round(1 + 5 * health),
        "activity_percentile": bounded(100 * health * noise(0.8, 1.15), 0, 100, 0),
        "support_tickets_week": rng.poisson(0.4 + 3.5 * (1 - health) ** 2).astype("float64"),
        "usage_limit_ratio": bounded(0.3 + 0.6 * health * noise(0.8, 1.2), 0, 1.2, 3),
        "storage_ratio": bounded(0.2 + 0.5 * health * noise(0.7, 1.3), 0, 1.0, 3),
        "nps": bounded(np.round(2 + 8 * health + noise(-1.5, 1.5)), 0, 10, 0),
        "sentiment": bounded(100 * health + noise(-8, 8), 0, 100),
        "business_context": bounded(35 + 55 * health + noise(-10, 10), 0, 100),
        "executive_engagement": bounded(20 + 70 * health + noise(-10, 10), 0, 100),
        "core_setup_completion": bounded(tenure / 30, 0, 1, 3),
        "renewals_completed": (tenure // term).astype("float64"),
    }
    names = [s.name for s in segments]
    columns = [
        pl.Series("segment", [names[i] for i in range(len(names))], dtype=pl.String).gather(which),
        pl.Series("csm", list(_CSMS), dtype=pl.String).gather(rng.integers(0, len(_CSMS), n)),
        *(pl.Series(name, values, dtype=pl.Float64) for name, values in numbers.items()),
        pl.Series("contract_start", start, dtype=pl.Date),
        pl.Series("contract_end", end, dtype=pl.Date),
    ]
    ids = pl.select(pl.format("S{}", pl.int_range(1, n + 1, dtype=pl.Int64).cast(pl.String).str.zfill(7))
                    .alias("account_id")).to_series()
    return pl.DataFrame([ids, *columns])
