"""Expansion working per account (account NRR), the expansion pipeline (value, count, close rate, deal size,
cycle, against segment benchmarks) and the impact of proactive engagement, each boundary on both sides."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postsale import InvalidTypeError, InvalidValueError, Segment, Stage, UnknownNameError, from_json, to_json
from postsale.journey import DEFAULT_JOURNEY_DEFINITION
from postsale.kpi import (
    DEFAULT_EXPANSION_BENCHMARKS,
    AccountEngagement,
    AccountNrr,
    CsatScale,
    EngagementImpact,
    ExpansionBenchmark,
    ExpansionOpportunity,
    ExpansionPipeline,
    OpportunityStatus,
    engagement_impact,
    expansion_pipeline,
    nrr_by_account,
    retention,
)
from tests.kpi.ledgers import START, sample_ledger
from tests.strategies.kpi import PERIOD_START, ledgers_with_cohort

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2025, 12, 31)


# ---- expansion working per account ----------------------------------------------------------------------------


@pytest.mark.parametrize(("end", "working"), [(100_000, False), (100_001, True), (99_999, False)])
def test_expansion_works_only_strictly_above_100_percent(end: int, working: bool) -> None:
    """An account at exactly 100 % is flat: expansion is not working."""
    account = AccountNrr("acme", START, date(2026, 1, 1), start_revenue=100_000, end_revenue=end)
    assert working == account.expansion_working


def test_each_account_of_the_cohort_gets_its_own_nrr() -> None:
    """grow 125 %, shrink 80 %, leave 0 %, flat 100 %; the account that started later is not in the cohort."""
    nrr = {a.account_id: (a.nrr, a.expansion_working) for a in nrr_by_account(sample_ledger(), start=START)}
    assert {"flat": (Decimal(1), False), "grow": (Decimal("1.25"), True), "leave": (Decimal(0), False),
            "shrink": (Decimal("0.8"), False)} == nrr


def test_the_account_nrr_sentence_names_the_verdict() -> None:
    """Flat and shrinking accounts are told apart."""
    lines = [a.explain()[0] for a in nrr_by_account(sample_ledger(), start=START)]
    assert "flat: NRR 100.00 % = 100,000 / 100,000; flat: expansion is not working (not above 100 %)." in lines
    assert any(line.startswith("shrink: NRR 80.00 %") and "shrinking" in line for line in lines)


@given(ledgers_with_cohort())
def test_an_accounts_nrr_is_the_nrr_of_its_one_account_cohort(ledger: Any) -> None:
    """nrr_by_account agrees with retention() restricted to the account, for every account of the cohort."""
    for account in nrr_by_account(ledger, start=PERIOD_START):
        assert retention(ledger, start=PERIOD_START, accounts={account.account_id}).nrr == account.nrr


def test_the_account_nrr_feeds_the_journey_expansion_checklist() -> None:
    """float(nrr) is the account_nrr evidence of the "Expansion working" checklist."""
    verdicts = {a.account_id: DEFAULT_JOURNEY_DEFINITION.check_stage(
        Stage.EXPANSION, {"account_nrr": float(a.nrr)}).met for a in nrr_by_account(sample_ledger(), start=START)}
    assert {"flat": False, "grow": True, "leave": False, "shrink": False} == verdicts


# ---- the expansion pipeline -----------------------------------------------------------------------------------


def deal(opened: date, amount: int | str, status: str = "OPEN", closed: date | None = None,
         segment: str | None = "SMB", account: str = "a") -> ExpansionOpportunity:
    return ExpansionOpportunity(account, opened, amount, status, closed, segment)


def test_the_pipeline_counts_open_value_close_rate_deal_size_and_cycle() -> None:
    """Two won, one lost, one open: close rate 2/3 by count, average deal, median cycle."""
    deals = [deal(date(2025, 1, 6), 3_000, "WON", date(2025, 1, 16)),
             deal(date(2025, 2, 3), 5_000, "WON", date(2025, 2, 13)),
             deal(date(2025, 3, 3), 2_000, "LOST", date(2025, 3, 20)),
             deal(date(2025, 12, 20), 4_000)]
    p = expansion_pipeline(deals, as_of=AS_OF)
    assert (1, Decimal(4_000), 2, Decimal(8_000), 1, pytest.approx(2 / 3), Decimal(4_000), 10.0) == (
        p.open_count, p.open_value, p.won_count, p.won_value, p.lost_count, p.close_rate, p.average_deal_size,
        p.median_cycle_days)
    assert Decimal("0.8") == p.value_close_rate
    assert (None, None, None) == (p.won_typical_size, p.won_within_cycle, p.stalled)


def test_a_deal_closed_on_as_of_is_closed_and_one_closed_the_day_after_is_open() -> None:
    """as_of is inclusive for closing; an opportunity opened after as_of is not in the pipeline at all."""
    on = deal(date(2025, 12, 1), 1_000, "WON", AS_OF)
    after = deal(date(2025, 12, 1), 1_000, "WON", AS_OF + timedelta(1))
    later = deal(AS_OF + timedelta(1), 1_000)
    p = expansion_pipeline([on, after, later], as_of=AS_OF)
    assert (1, 1) == (p.won_count, p.open_count)


def test_since_counts_closes_on_that_day_but_not_the_day_before() -> None:
    """Closed deals count from since, inclusive; open deals count whatever since says."""
    since = date(2025, 10, 1)
    deals = [deal(date(2025, 9, 1), 1_000, "LOST", since), deal(date(2025, 9, 1), 1_000, "LOST", since - timedelta(1)),
             deal(date(2025, 1, 1), 1_000)]
    p = expansion_pipeline(deals, as_of=AS_OF, since=since)
    assert (1, 1) == (p.lost_count, p.open_count)


@pytest.mark.parametrize(("amount", "typical"), [("1000", 1), ("999.99", 0), ("10000", 1), ("10000.01", 0)])
def test_smb_deal_size_range_includes_both_ends(amount: str, typical: int) -> None:
    """SMB deals are typical from $1,000 to $10,000, both included."""
    won = deal(date(2025, 6, 2), amount, "WON", date(2025, 6, 9))
    assert typical == expansion_pipeline([won], as_of=AS_OF, segment="SMB").won_typical_size


def test_enterprise_deals_have_no_upper_bound() -> None:
    """Enterprise deals are $50,000 and more: $49,999.99 is small, $5M is typical."""
    bench = DEFAULT_EXPANSION_BENCHMARKS[Segment.ENTERPRISE]
    assert (False, True, True) == (bench.typical_size(Decimal("49999.99")), bench.typical_size(Decimal(50_000)),
                                   bench.typical_size(Decimal(5_000_000)))


@pytest.mark.parametrize(("days", "within"), [(14, 1), (15, 0)])
def test_smb_cycle_within_two_weeks_is_typical(days: int, within: int) -> None:
    """The SMB expansion cycle is 7-14 days: closing on day 14 is within it, day 15 is not."""
    opened = date(2025, 6, 2)
    won = deal(opened, 2_000, "WON", opened + timedelta(days))
    assert within == expansion_pipeline([won], as_of=AS_OF, segment="SMB").won_within_cycle


@pytest.mark.parametrize(("age", "stalled"), [(30, 0), (31, 1)])
def test_an_smb_opportunity_open_past_30_days_is_stalled(age: int, stalled: int) -> None:
    """SMB expansion is stuck after 30 days: open 30 days is not stalled, 31 days is."""
    p = expansion_pipeline([deal(AS_OF - timedelta(age), 2_000)], as_of=AS_OF, segment="SMB")
    assert stalled == p.stalled
    assert ("past the stuck point" in " ".join(p.explain())) == bool(stalled)


def test_the_cycle_benchmarks_are_the_journey_expansion_benchmarks() -> None:
    """One definition of the expansion cycle: the journey's Expansion stage benchmark."""
    for segment, bench in DEFAULT_EXPANSION_BENCHMARKS.items():
        assert DEFAULT_JOURNEY_DEFINITION.benchmark(segment, Stage.EXPANSION) == bench.cycle
    assert Segment.PRODUCT_LED not in DEFAULT_EXPANSION_BENCHMARKS


def test_a_segment_keeps_only_its_own_opportunities_and_product_led_has_no_benchmark() -> None:
    """Opportunities of another segment, or without one, are left out of a segment's pipeline."""
    deals = [deal(date(2025, 6, 2), 500, segment="PRODUCT_LED"), deal(date(2025, 6, 2), 500, segment=None),
             deal(date(2025, 6, 2), 500, segment="SMB")]
    p = expansion_pipeline(deals, as_of=AS_OF, segment=Segment.PRODUCT_LED)
    assert (1, None, None) == (p.open_count, p.benchmark, p.stalled)
    assert 3 == expansion_pipeline(deals, as_of=AS_OF).open_count


def test_benchmarks_are_configurable() -> None:
    """A team's own SMB range replaces the default."""
    mine = {Segment.SMB: ExpansionBenchmark(Decimal(500), Decimal(2_000))}
    won = deal(date(2025, 6, 2), 1_500, "WON", date(2025, 6, 9))
    p = expansion_pipeline([won], as_of=AS_OF, segment="SMB", benchmarks=mine)
    assert (1, None) == (p.won_typical_size, p.won_within_cycle)


def test_an_empty_pipeline_explains_itself_without_a_close_rate() -> None:
    """Nothing closed: no close rate, said in words."""
    p = expansion_pipeline([], as_of=AS_OF)
    assert (None, None) == (p.close_rate, p.average_deal_size)
    assert "No opportunity closed: no close rate yet." in p.explain()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"status": "OPEN", "closed_on": date(2025, 2, 1)}, "closed_on"),
     ({"status": "WON"}, "closed_on"),
     ({"status": "LOST", "closed_on": date(2024, 12, 31)}, "closed_on"),
     ({"amount": 0}, "amount")],
    ids=["open-with-close", "won-without-close", "closed-before-opened", "zero-amount"],
)
def test_an_inconsistent_opportunity_is_refused(kwargs: dict[str, Any], field: str) -> None:
    """Close dates follow the status and the opening; amounts are positive."""
    args: dict[str, Any] = {"account_id": "a", "opened_on": date(2025, 1, 1), "amount": 1_000, **kwargs}
    with pytest.raises(InvalidValueError) as error:
        ExpansionOpportunity(**args)
    assert field == error.value.field


def test_since_after_as_of_and_unknown_segments_are_refused() -> None:
    """A window that ends before it starts, and a segment that does not exist, are errors."""
    with pytest.raises(InvalidValueError, match="since"):
        expansion_pipeline([], as_of=AS_OF, since=AS_OF + timedelta(1))
    with pytest.raises(UnknownNameError):
        expansion_pipeline([], as_of=AS_OF, segment="GIANT")
    with pytest.raises(InvalidValueError, match="deal_max"):
        ExpansionBenchmark(Decimal(10), Decimal(5))


@given(st.lists(st.tuples(st.integers(0, 400), st.sampled_from(list(OpportunityStatus)), st.integers(0, 200),
                          st.integers(1, 100_000)), max_size=15))
def test_every_opportunity_opened_by_as_of_is_open_won_or_lost(rows: list[tuple[int, Any, int, int]]) -> None:
    """open + won + lost = opportunities opened by as_of; the close rate is in [0, 1]; the pipeline round-trips."""
    deals = []
    for age, status, cycle, amount in rows:
        opened = AS_OF - timedelta(age)
        closed = None if status is OpportunityStatus.OPEN else opened + timedelta(cycle)
        deals.append(ExpansionOpportunity("a", opened, amount, status, closed, "MID_MARKET"))
    p = expansion_pipeline(deals, as_of=AS_OF, segment="MID_MARKET")
    assert len(deals) == p.open_count + p.won_count + p.lost_count
    assert p.close_rate is None or 0 <= p.close_rate <= 1
    assert p == from_json(ExpansionPipeline, to_json(p))


# ---- engagement impact ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("responses", "engaged"), [(0, 0), (1, 1)])
def test_one_answered_touch_makes_an_account_engaged(responses: int, engaged: int) -> None:
    """Engaged from one answer (inclusive)."""
    impact = engagement_impact([AccountEngagement("a", 3, responses)])
    assert [engaged, 1 - engaged] == [g.accounts for g in impact.by_participation]


def test_the_engaged_threshold_is_configurable() -> None:
    """With engaged_from=2, one answer is not enough."""
    impact = engagement_impact([AccountEngagement("a", 3, 1)], engaged_from=2)
    assert [0, 1] == [g.accounts for g in impact.by_participation]


@pytest.mark.parametrize(("touches", "band"), [(0, "0 touches"), (1, "1-3 touches"), (3, "1-3 touches"),
                                                (4, "4-11 touches"), (11, "4-11 touches"), (12, "12+ touches")])
def test_touch_bands_start_at_each_lower_bound(touches: int, band: str) -> None:
    """Bands 0 | 1-3 | 4-11 | 12+: each lower bound is inclusive."""
    impact = engagement_impact([AccountEngagement("a", touches)])
    assert [band] == [g.name for g in impact.by_frequency if g.accounts]


def test_each_group_reports_health_change_time_to_value_nps_and_csat() -> None:
    """Means, medians and survey scores are computed per group from the accounts that have them."""
    records = [AccountEngagement("a", 6, 4, 60, 72, days_to_value=30, nps=10, csat=5),
               AccountEngagement("b", 5, 2, 70, 74, days_to_value=50, nps=9, csat=4),
               AccountEngagement("c", 1, 0, 68, 55, days_to_value=80, nps=3, csat=2),
               AccountEngagement("d", 0, 0)]
    engaged, others = engagement_impact(records).by_participation
    assert (8.0, 2, 40.0, 100.0, 1.0) == (engaged.health_change, engaged.health_measured,
                                         engaged.median_days_to_value, engaged.nps.score, engaged.csat.share)
    assert (-13.0, 1, 80.0, -100.0, 0.0, 2) == (others.health_change, others.health_measured,
                                               others.median_days_to_value, others.nps.score, others.csat.share,
                                               others.accounts)
    assert "Engaged customers may have been healthier to begin with" in engagement_impact(records).explain()[-1]


def test_retention_per_group_matches_retention_of_the_group() -> None:
    """With a ledger, each group's report is retention() restricted to the group's accounts."""
    records = [AccountEngagement("grow", 12, 10), AccountEngagement("flat", 4, 3),
               AccountEngagement("leave", 0, 0), AccountEngagement("shrink", 2, 0)]
    impact = engagement_impact(records, ledger=sample_ledger(), start=START)
    engaged, others = impact.by_participation
    assert retention(sample_ledger(), start=START, accounts={"grow", "flat"}) == engaged.retention
    assert retention(sample_ledger(), start=START, accounts={"leave", "shrink"}) == others.retention
    assert impact.touch_expansion_correlation is not None and impact.touch_expansion_correlation > 0
    assert 4 == impact.correlated_accounts


def test_a_group_without_revenue_at_the_start_has_no_retention() -> None:
    """An account that started later (not in the cohort) leaves its group's retention undefined, not 0."""
    impact = engagement_impact([AccountEngagement("later", 3, 1)], ledger=sample_ledger(), start=START)
    assert impact.by_participation[0].retention is None


@pytest.mark.parametrize(
    ("call", "error"),
    [(lambda: engagement_impact([AccountEngagement("a", 1), AccountEngagement("a", 2)]), InvalidValueError),
     (lambda: engagement_impact([], ledger=sample_ledger()), InvalidValueError),
     (lambda: engagement_impact([], start=START), InvalidValueError),
     (lambda: engagement_impact([], bands=(4, 1)), InvalidValueError),
     (lambda: engagement_impact([], bands=(0, 4)), InvalidValueError),
     (lambda: engagement_impact([AccountEngagement("a", 1, csat=7)], csat_scale=CsatScale()), InvalidValueError),
     (lambda: engagement_impact([{"account_id": "a"}]), InvalidTypeError),  # type: ignore[list-item]
     (lambda: AccountEngagement("a", 1, 2), InvalidValueError),
     (lambda: AccountEngagement("a", 1, health_end=100.5), InvalidValueError),
     (lambda: AccountEngagement("a", 1, nps=11), InvalidValueError)],
    ids=["account-twice", "ledger-without-start", "start-without-ledger", "bands-decreasing", "band-zero",
         "csat-off-scale", "not-a-record", "more-answers-than-touches", "health-above-100", "nps-above-10"],
)
def test_bad_engagement_input_is_refused(call: Any, error: type[Exception]) -> None:
    """Every bad input is a documented error."""
    with pytest.raises(error):
        call()


@pytest.mark.parametrize(("health", "nps"), [(0.0, 0), (100.0, 10)])
def test_the_ends_of_the_health_and_nps_scales_are_accepted(health: float, nps: int) -> None:
    """0 and 100 are health scores; 0 and 10 are NPS answers."""
    assert AccountEngagement("a", 1, health_start=health, nps=nps).health_start == health


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=20),
       st.sampled_from([(1, 4, 12), (2,), ()]))
def test_every_account_is_in_one_participation_group_and_one_band(rows: list[tuple[int, int]],
                                                                   bands: tuple[int, ...]) -> None:
    """Groups partition the accounts both ways; the impact round-trips."""
    records = [AccountEngagement(f"a{i}", t, min(r, t)) for i, (t, r) in enumerate(rows)]
    impact = engagement_impact(records, bands=bands)
    assert len(records) == sum(g.accounts for g in impact.by_participation)
    assert len(records) == sum(g.accounts for g in impact.by_frequency)
    assert len(bands) + 1 == len(impact.by_frequency)
    assert impact == from_json(EngagementImpact, to_json(impact))


# ---- citations --------------------------------------------------------------------------------------------------


def test_no_kpi_source_cites_documents_users_do_not_have() -> None:
    """Nothing in the kpi context's source cites "domain-spec §" or DESIGN.md."""
    offenders = [p.name for p in (ROOT / "src" / "postsale" / "kpi").glob("*.py")
                 if "domain-spec" in p.read_text() or "DESIGN.md" in p.read_text()]
    assert [] == offenders


def test_every_guide_citation_in_the_kpi_source_names_a_real_section() -> None:
    """Each "guide: <Page> › <Section>" in the kpi context's source names a heading of that guide page."""
    from tests.journey.test_stage_metrics import guide_citations_missing

    assert [] == guide_citations_missing("kpi")
    assert re.search(r"guide: KPIs › Expansion pipeline", (ROOT / "src/postsale/kpi/_pipeline.py").read_text())
