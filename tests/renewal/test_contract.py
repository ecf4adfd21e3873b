"""Contracts: terms, anniversaries, renewal, early renewal and amendments."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

import postsale
from postsale import InvalidValueError, OutOfOrderError, Segment, UnknownNameError
from postsale.renewal import Amendment, Contract, TermPeriod
from tests.strategies.renewal import anchors, contracts, month_end_dates, term_lengths


def make(start: date = date(2026, 7, 1), term: int = 12, **kw: object) -> Contract:
    return Contract.from_term(
        "acme", kw.pop("segment", "ENTERPRISE"), start, term_months=term, acv=kw.pop("acv", 120000), **kw
    )  # type: ignore[arg-type]


def test_from_term_end_is_day_before_anniversary() -> None:
    """A 12-month term from 2026-07-01 ends on 2027-06-30."""
    assert date(2027, 6, 30) == make().end


def test_renewal_date_is_end() -> None:
    """T-0 of the renewal is the last day of the term; the next term starts the day after."""
    c = make()
    assert (date(2027, 6, 30), date(2027, 7, 1)) == (c.end, c.next_start)


def test_constructor_accepts_matching_dates() -> None:
    """Giving both dates and the term works when they agree."""
    c = Contract("acme", Segment.SMB, date(2026, 7, 1), date(2027, 6, 30), Decimal(10), term_months=12)
    assert c == make(segment="SMB", acv=10)


def test_irregular_term_keeps_given_end() -> None:
    """Without term_months the end is taken as given (a co-termed contract)."""
    c = Contract("acme", "SMB", date(2026, 7, 15), date(2027, 3, 31), 100)
    assert (date(2027, 3, 31), 260) == (c.end, c.days)


def test_segment_parsed_and_acv_exact() -> None:
    """Segment names are parsed and ACV is an exact Decimal."""
    c = make(segment="mid-market", acv="1234.56")
    assert (Segment.MID_MARKET, Decimal("1234.56")) == (c.segment, c.acv)


@given(month_end_dates(), term_lengths, st.integers(0, 20))
def test_anniversary_equals_dateutil(start: date, term: int, n: int) -> None:
    """Contract.anniversary(n) = start + relativedelta(months=n*term), for starts on the 28th-31st."""
    assert start + relativedelta(months=n * term) == make(start, term).anniversary(n)


def test_monthly_31_january_terms() -> None:
    """A 31 January monthly contract bills 29 February then 31 March (2024)."""
    c = make(date(2024, 1, 31), 1)
    assert [date(2024, 2, 29), date(2024, 3, 31)] == [c.anniversary(1), c.anniversary(2)]


def test_29_february_annual_term_ends() -> None:
    """A 29 February annual contract renews on 28 February, and on 29 February again in 2028."""
    c = make(date(2024, 2, 29), 12)
    assert [date(2025, 2, 27), date(2026, 2, 27), date(2027, 2, 27), date(2028, 2, 28), date(2029, 2, 27)] == [
        p.end for p in c.terms(5)
    ]


def test_multi_year_term() -> None:
    """A 36-month term ends three years later and counts as multi-year."""
    c = make(date(2026, 3, 31), 36)
    assert (date(2029, 3, 30), True, False) == (c.end, c.is_multi_year, make().is_multi_year)


def test_multi_year_then_annual_renewals() -> None:
    """A 36-month term followed by 12-month renewal terms, every boundary from the anchor."""
    c = make(date(2024, 2, 29), 36, renewal_term_months=12)
    assert [date(2027, 2, 27), date(2028, 2, 28), date(2029, 2, 27)] == [p.end for p in c.terms(3)]


@given(contracts(), st.integers(1, 12))
def test_terms_tile_time(contract: Contract, count: int) -> None:
    """The current term and its renewal terms have no gaps or overlaps."""
    periods = contract.terms(count)
    assert TermPeriod(0, contract.start, contract.end) == periods[0]
    for before, after in pairwise(periods):
        assert before.end + timedelta(days=1) == after.start
        assert after.start <= after.end


@given(contracts(), st.integers(0, 4000))
def test_term_on_contains_day(contract: Contract, offset: int) -> None:
    """term_on returns the term that contains the day, and it matches terms()."""
    day = contract.start + timedelta(days=offset)
    period = contract.term_on(day)
    assert period.contains(day)
    assert contract.terms(period.number + 1)[-1] == period


def test_next_term_end_rolls_forward_from_anchor() -> None:
    """An auto-renewing monthly contract from 31 January ends its March term on 30 March."""
    c = make(date(2024, 1, 31), 1, auto_renew=True)
    assert (date(2024, 2, 28), date(2024, 3, 30), date(2024, 4, 29)) == (
        c.next_term_end(date(2024, 2, 1)),
        c.next_term_end(date(2024, 3, 15)),
        c.next_term_end(date(2024, 3, 31)),
    )


def test_term_on_before_start_refused() -> None:
    """A day before the contract start has no term."""
    with pytest.raises(InvalidValueError) as info:
        make().term_on(date(2026, 6, 30))
    assert info.value.field == "day"


def test_renewed_keeps_anchor() -> None:
    """Renewing a 31 January monthly contract twice comes back to the 31st (anchored, not stepped)."""
    c = make(date(2024, 1, 31), 1)
    again = c.renewed().renewed()
    assert (date(2024, 3, 31), date(2024, 4, 29), date(2024, 1, 31)) == (again.start, again.end, again.anchor)


def test_renewed_29_february_returns_in_leap_year() -> None:
    """Four annual renewals of a 29 February contract start the fifth term on 29 February 2028."""
    c = make(date(2024, 2, 29), 12)
    for _ in range(4):
        c = c.renewed()
    assert (date(2028, 2, 29), date(2029, 2, 27)) == (c.start, c.end)


def test_renewed_with_new_term_and_acv() -> None:
    """A renewal can change the term length and the ACV; amendments do not carry over."""
    c = make().amend(date(2027, 1, 1), acv=130000).renewed(term_months=24, acv=150000)
    assert (date(2027, 7, 1), date(2029, 6, 30), Decimal(150000), ()) == (c.start, c.end, c.acv, c.amendments)


def test_renewed_default_acv_is_renewal_acv() -> None:
    """Without a new ACV the renewal carries the ACV in force at the end of the term."""
    assert Decimal(130000) == make().amend(date(2027, 1, 1), acv=130000).renewed().acv


def test_renewed_irregular_term_uses_default_length() -> None:
    """An irregular term renews for 12 months from the day after its end."""
    c = Contract("acme", "SMB", date(2026, 7, 15), date(2027, 3, 31), 100).renewed()
    assert (date(2027, 4, 1), date(2028, 3, 31), 12) == (c.start, c.end, c.term_months)


def test_renew_early_closes_and_reanchors() -> None:
    """An early renewal cuts the current term short and starts a new term anchored on its date."""
    closed, new = make().renew_early(date(2027, 1, 31), term_months=12, acv=150000)
    assert (date(2027, 1, 30), None, date(2027, 1, 31), date(2028, 1, 30), Decimal(150000)) == (
        closed.end,
        closed.term_months,
        new.start,
        new.end,
        new.acv,
    )


def test_renew_early_default_acv_and_amendments() -> None:
    """Early renewal keeps the ACV in force and drops amendments after the new start from the closed term."""
    c = make().amend(date(2026, 10, 1), acv=125000).amend(date(2027, 3, 1), acv=140000)
    closed, new = c.renew_early(date(2027, 1, 1))
    assert (1, Decimal(125000), 12) == (len(closed.amendments), new.acv, new.term_months)


@pytest.mark.parametrize("effective", [date(2026, 7, 1), date(2027, 7, 1)])
def test_renew_early_outside_term_refused(effective: date) -> None:
    """An early renewal must start after the term start and no later than its end."""
    with pytest.raises(InvalidValueError) as info:
        make().renew_early(effective)
    assert info.value.field == "effective"


def test_amendment_changes_acv_from_date() -> None:
    """An amendment changes the ACV from its effective date on, not before."""
    c = make().amend(date(2027, 1, 1), acv=150000, reason="upsell")
    assert (Decimal(120000), Decimal(150000), Decimal(150000)) == (
        c.acv_on(date(2026, 12, 31)),
        c.acv_on(date(2027, 1, 1)),
        c.renewal_acv,
    )


def test_amendment_outside_term_refused() -> None:
    """An amendment after the term's end is refused, naming the amendment."""
    with pytest.raises(InvalidValueError) as info:
        make().amend(date(2027, 7, 1), acv=1)
    assert info.value.field == "amendments[0].effective"


def test_amendments_out_of_order_refused() -> None:
    """Amendments must be in strictly increasing date order."""
    with pytest.raises(OutOfOrderError) as info:
        make().amend(date(2027, 1, 1), acv=1).amend(date(2027, 1, 1), acv=2)
    assert info.value.field == "amendments[1].effective"


def test_amendment_wrong_type_refused() -> None:
    """Amendments must be Amendment values."""
    with pytest.raises(InvalidValueError) as info:
        Contract("a", "SMB", date(2026, 1, 1), date(2026, 12, 31), 1, amendments=("x",))  # type: ignore[arg-type]
    assert info.value.field == "amendments[0]"


def test_end_before_start_refused() -> None:
    """An end before the start is refused, naming the end."""
    with pytest.raises(InvalidValueError) as info:
        Contract("acme", "SMB", date(2026, 7, 1), date(2026, 6, 30), 100)
    assert ("end", date(2026, 6, 30)) == (info.value.field, info.value.value)


def test_one_day_contract_allowed() -> None:
    """An end equal to the start is a one-day term."""
    assert Contract("acme", "SMB", date(2026, 7, 1), date(2026, 7, 1), 100).days == 1


@pytest.mark.parametrize("term", [0, -1])
def test_non_positive_term_refused(term: int) -> None:
    """A zero or negative term is refused, naming term_months."""
    with pytest.raises(InvalidValueError) as info:
        make(term=term)
    assert info.value.field == "term_months"


def test_non_positive_term_refused_by_constructor() -> None:
    """The constructor refuses a zero term too."""
    with pytest.raises(InvalidValueError) as info:
        Contract("acme", "SMB", date(2026, 7, 1), date(2027, 6, 30), 100, term_months=0)
    assert info.value.field == "term_months"


def test_end_not_matching_term_refused() -> None:
    """Dates that disagree with term_months are refused, naming the end."""
    with pytest.raises(InvalidValueError) as info:
        Contract("acme", "SMB", date(2026, 7, 1), date(2027, 7, 1), 100, term_months=12)
    assert info.value.field == "end"


def test_start_off_anchor_schedule_refused() -> None:
    """A start that is not an anniversary of the anchor is refused."""
    with pytest.raises(InvalidValueError) as info:
        Contract.from_term("a", "SMB", date(2024, 2, 28), term_months=1, acv=1, anchor=date(2024, 1, 31))
    assert info.value.field == "start"


def test_unknown_segment_refused() -> None:
    """An unknown segment is refused with the known ones listed."""
    with pytest.raises(UnknownNameError) as info:
        make(segment="GIANT")
    assert info.value.field == "segment"


def test_unknown_time_zone_refused() -> None:
    """An unknown IANA time zone is refused."""
    with pytest.raises(UnknownNameError) as info:
        make(time_zone="Mars/Olympus")
    assert info.value.field == "time_zone"


def test_negative_acv_refused() -> None:
    """A negative ACV is refused."""
    with pytest.raises(InvalidValueError) as info:
        make(acv=-1)
    assert info.value.field == "acv"


def test_non_bool_auto_renew_refused() -> None:
    """auto_renew must be a bool, never coerced."""
    with pytest.raises(InvalidValueError) as info:
        make(auto_renew="yes")
    assert info.value.field == "auto_renew"


def test_negative_notice_refused() -> None:
    """A negative notice period is refused."""
    with pytest.raises(InvalidValueError) as info:
        make(notice_days=-5)
    assert info.value.field == "notice_days"


def test_anniversary_of_irregular_term_refused() -> None:
    """An irregular term has no anniversaries."""
    with pytest.raises(InvalidValueError) as info:
        Contract("acme", "SMB", date(2026, 7, 15), date(2027, 3, 31), 100).anniversary(1)
    assert info.value.field == "term_months"


def test_anniversary_bool_refused() -> None:
    """The anniversary number must be an int."""
    with pytest.raises(InvalidValueError) as info:
        make().anniversary(True)
    assert info.value.field == "n"


def test_amendment_value() -> None:
    """An Amendment converts its ACV to Decimal."""
    assert Decimal("10.5") == Amendment(date(2026, 1, 1), "10.5").acv


@given(contracts())
def test_round_trip(contract: Contract) -> None:
    """Contracts round-trip through plain data and JSON."""
    assert contract == postsale.from_data(Contract, postsale.to_data(contract))
    assert contract == postsale.from_json(Contract, postsale.to_json(contract))


@given(anchors, term_lengths)
def test_from_term_end_matches_dateutil(start: date, term: int) -> None:
    """from_term's end is start + relativedelta(months=term) - 1 day."""
    assert start + relativedelta(months=term) - timedelta(days=1) == make(start, term).end


def test_from_snapshot_whole_months() -> None:
    """A snapshot's contract dates, ACV, segment and zone make a contract; whole months give term_months."""
    snap = postsale.AccountSnapshot(
        "acme",
        "MID_MARKET",
        date(2027, 1, 1),
        acv=50000,
        contract_start=date(2024, 1, 31),
        contract_end=date(2024, 2, 28),
        time_zone="Asia/Tokyo",
    )
    c = Contract.from_snapshot(snap, auto_renew=True, notice_days=10)
    assert (1, Segment.MID_MARKET, Decimal(50000), "Asia/Tokyo", True, 10) == (
        c.term_months,
        c.segment,
        c.acv,
        c.time_zone,
        c.auto_renew,
        c.notice_days,
    )


def test_from_snapshot_irregular() -> None:
    """Dates that are not whole months give an irregular term."""
    snap = postsale.AccountSnapshot(
        "acme", "SMB", date(2027, 1, 1), contract_start=date(2026, 7, 15), contract_end=date(2027, 3, 31)
    )
    assert Contract.from_snapshot(snap).term_months is None


def test_from_snapshot_needs_dates() -> None:
    """A snapshot without contract dates is refused, naming the missing field."""
    snap = postsale.AccountSnapshot("acme", "SMB", date(2027, 1, 1), contract_start=date(2026, 7, 15))
    with pytest.raises(InvalidValueError) as info:
        Contract.from_snapshot(snap)
    assert info.value.field == "contract_end"
    with pytest.raises(InvalidValueError) as info:
        Contract.from_snapshot("acme")  # type: ignore[arg-type]
    assert info.value.field == "snapshot"
