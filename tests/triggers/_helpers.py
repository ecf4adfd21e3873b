"""Helpers shared by the trigger tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from postsale import AccountSnapshot, HealthBand
from postsale.triggers import CATALOG, DEFAULT_RULE_SET, Context

DAY = date(2026, 3, 2)
UTC = ZoneInfo("UTC")
COMPILED = DEFAULT_RULE_SET.compile()
CATALOG_COMPILED = CATALOG.compile()


def snap(
    account_id: str = "acme",
    *,
    as_of: date = DAY,
    segment: str = "MID_MARKET",
    **fields: Any,
) -> AccountSnapshot:
    """Return a snapshot; keyword arguments that are not snapshot fields are signals."""
    known = {"acv", "contract_start", "contract_end", "seats_purchased", "seats_active", "time_zone", "labels"}
    kwargs = {k: v for k, v in fields.items() if k in known}
    sigs = {k: v for k, v in fields.items() if k not in known}
    return AccountSnapshot(account_id, segment, as_of, signals=sigs, **kwargs)


def ctx(
    band: HealthBand | None = None,
    previous_band: HealthBand | None = None,
    *,
    score: float | None = None,
    previous_score: float | None = None,
    days_in_band: int = 0,
    **rest: Any,
) -> Context:
    """Return an evaluation context."""
    return Context(
        score=score,
        band=band,
        previous_score=previous_score,
        previous_band=previous_band,
        days_in_band=days_in_band,
        **rest,
    )


def fires(rule_id: str, snapshot: AccountSnapshot, context: Context | None = None) -> bool:
    """Return whether ``rule_id`` of the default rule set holds."""
    return rule_id in COMPILED.matching(snapshot, context or Context())


def at(day: date, hour: int = 0) -> datetime:
    """Return an aware UTC datetime on ``day``."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def days(n: int) -> date:
    """Return DAY + n days."""
    return DAY + timedelta(days=n)
