"""Strategies for the renewal context."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from postsale import HealthBand
from postsale.renewal import (
    RISK_SIGNALS,
    Amendment,
    BusinessCalendar,
    Contract,
    FiscalYear,
    ForecastCategory,
    Intent,
    Milestone,
    Playbook,
    RenewalLine,
    Scenario,
)
from tests.strategies.vocabulary import segments

money = st.decimals(min_value=0, max_value=Decimal("1e8"), places=2, allow_nan=False, allow_infinity=False)
plain_dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


@st.composite
def month_end_dates(draw: st.DrawFn) -> date:
    """Dates on the 28th-31st of a month, 29 February included."""
    year = draw(st.integers(1990, 2090))
    month = draw(st.integers(1, 12))
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, draw(st.integers(28, last)))


anchors = st.one_of(plain_dates, month_end_dates(), st.sampled_from([date(2024, 2, 29), date(2028, 2, 29)]))
"""Start dates, with every 28th-31st and leap days well represented."""
term_lengths = st.one_of(st.sampled_from([1, 3, 6, 12, 24, 36]), st.integers(1, 120))
health_bands = st.none() | st.sampled_from(list(HealthBand))
intents = st.sampled_from(list(Intent))
categories = st.sampled_from(list(ForecastCategory))
zones = st.sampled_from(["UTC", "Asia/Tokyo", "America/New_York", "Europe/Paris", "Australia/Lord_Howe"])


@st.composite
def contracts(draw: st.DrawFn) -> Contract:
    """Valid contracts built from a term, some with amendments."""
    contract = Contract.from_term(
        draw(st.text(min_size=1, max_size=6).filter(str.strip)),
        draw(segments),
        draw(anchors),
        term_months=draw(term_lengths),
        acv=draw(money),
        auto_renew=draw(st.booleans()),
        notice_days=draw(st.integers(0, 90)),
        time_zone=draw(zones),
    )
    span = (contract.end - contract.start).days
    days = sorted(set(draw(st.lists(st.integers(0, span), max_size=3))))
    amendments = tuple(Amendment(contract.start + timedelta(days=d), draw(money), "change") for d in days)
    return Contract(
        account_id=contract.account_id,
        segment=contract.segment,
        start=contract.start,
        end=contract.end,
        acv=contract.acv,
        term_months=contract.term_months,
        auto_renew=contract.auto_renew,
        notice_days=contract.notice_days,
        time_zone=contract.time_zone,
        amendments=amendments,
    )


@st.composite
def playbooks(draw: st.DrawFn) -> Playbook:
    """Valid custom playbooks: milestones strictly ordered inside the runway."""
    runway = draw(st.integers(1, 400))
    offsets = sorted(set(draw(st.lists(st.integers(0, runway), min_size=1, max_size=8))), reverse=True)
    talk = draw(st.sampled_from(offsets))
    latest = draw(st.integers(0, talk))
    names = [f"m{i}" for i in range(len(offsets))]
    return Playbook.define(
        draw(st.sampled_from(["custom", "lean", "strategic"])),
        runway_days=runway,
        latest_start_days=latest,
        milestones=[Milestone(n, d, f"step {n}") for n, d in zip(names, offsets, strict=True)],
        conversation=names[offsets.index(talk)],
        confirmation=draw(st.sampled_from(names)),
        danger_zone_days=draw(st.integers(0, 90)),
        confirm_days_before=draw(st.integers(0, 60)),
        auto_renew=draw(st.booleans()),
    )


fiscal_years = st.builds(
    FiscalYear, first_month=st.integers(1, 12), budget_quarter=st.integers(1, 4), lead_days=st.integers(0, 60)
)
calendars = st.builds(
    BusinessCalendar,
    holidays=st.frozensets(plain_dates, max_size=10),
    weekend=st.frozensets(st.integers(0, 6), max_size=3),
)
probabilities = st.integers(0, 10_000).map(lambda k: k / 10_000)
"""Probabilities with at most four decimals (renewal forecasts never need more; Decimal stays exact)."""
scenarios = st.builds(
    Scenario,
    name=st.sampled_from(["high", "medium", "low", "base"]),
    commit=probabilities,
    likely=probabilities,
    at_risk=probabilities,
)
renewal_lines = st.builds(
    RenewalLine,
    account_id=st.text(min_size=1, max_size=5).filter(str.strip),
    renewal_date=st.dates(min_value=date(2027, 1, 1), max_value=date(2027, 12, 31)),
    arr=money,
    category=categories,
    expected_arr=st.none() | money,
    segment=st.none() | segments,
    flagged=st.booleans(),
)
risk_signals = st.dictionaries(
    st.sampled_from(sorted(RISK_SIGNALS)),
    st.sampled_from([0.0, 1.0, 2.0]),
    max_size=5,
)
