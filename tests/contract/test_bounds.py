"""Bounded work for any input: the documented ranges (docs/limits.md) hold at the boundary, on both sides.

Every amount, count, number, id and time-zone name is checked when a value is built: exactly at a limit is
accepted, one step past it is refused with a ``PostsaleError`` naming the field, the value, the range and what
to do. Date arithmetic that would leave the calendar (year 1..9999) raises ``InvalidValueError``, never
``OverflowError`` or ``ValueError``. The issue's examples of leaks in this area are tests here, by name.
"""

from __future__ import annotations

import math
import pickle
import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from postsale import (
    AccountSnapshot,
    HealthBand,
    InvalidTypeError,
    InvalidValueError,
    PostsaleError,
    UnknownNameError,
    from_json,
    to_json,
)
from postsale._checks import (
    MAX_AMOUNT,
    MAX_COMPUTED,
    MAX_COUNT,
    MAX_MAGNITUDE,
    MAX_NAME_LENGTH,
    MAX_ZONE_NAME_LENGTH,
    count,
    money,
    number,
    shifted,
    time_zone,
)
from postsale.adapters.sample import SAMPLE_DATES, sample_journey, sample_journeys, sample_portfolio
from postsale.cadence import Window, proactive_share
from postsale.renewal import Contract, TermPeriod, add_months, anniversary, term_periods
from postsale.touch._format import usd
from postsale.triggers import Sla, due_time

D = date(2026, 1, 31)
CALENDAR = "outside the calendar (year 1..9999)"


def snap(**kwargs: Any) -> AccountSnapshot:
    """A snapshot of one account with ``kwargs`` on top of the required fields."""
    return AccountSnapshot(kwargs.pop("account_id", "acme"), "SMB", kwargs.pop("as_of", D), **kwargs)


def refused(error: type[PostsaleError], field: str, call: Any) -> PostsaleError:
    """Run ``call``; assert it raised ``error`` naming ``field`` and return the error."""
    with pytest.raises(error) as info:
        call()
    assert info.value.field == field
    assert field in str(info.value)
    return info.value


# ---- money -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("acv", [MAX_AMOUNT, Decimal(MAX_AMOUNT), str(MAX_AMOUNT), float(MAX_AMOUNT), "1E+15"])
def test_an_amount_of_exactly_ten_to_the_fifteen_is_accepted(acv: Any) -> None:
    """10**15 (a thousand trillion) is the largest amount, in every form an amount is given."""
    assert snap(acv=acv).acv == MAX_AMOUNT


@pytest.mark.parametrize(
    "acv",
    [MAX_AMOUNT + 1, Decimal("1000000000000000.000000000000000001"), "1000000000000000.01",
     math.nextafter(float(MAX_AMOUNT), math.inf), "1e5000", "1e999999", Decimal("1e999999999"), 10**400, 1e308],
)
def test_an_amount_one_step_past_ten_to_the_fifteen_is_refused(acv: Any) -> None:
    """Past 10**15 (by a cent, by 1e-18, by a float step, or by an exponent of a million) the amount is refused
    with the field, the value, the range and what to do."""
    error = refused(InvalidValueError, "acv", lambda: snap(acv=acv))
    assert error.constraint == "must be between -10**15 and 10**15"
    assert error.hint and "unit" in error.hint


def test_acv_of_1e999999_is_refused_when_the_snapshot_is_built() -> None:
    """The issue's 10-byte value that stalled explain() for 26-45 s: the constructor refuses it by its exponent,
    so no sentence, no int() and no formatting ever sees it."""
    with pytest.raises(InvalidValueError, match=r"acv='1e999999': is too large for an amount"):
        AccountSnapshot("acme", "SMB", D, acv="1e999999")


def test_a_negative_amount_is_bounded_too() -> None:
    """Where negative amounts are allowed (changes, differences), -10**15 is accepted and one cent below refused."""
    assert money("change", -MAX_AMOUNT, allow_negative=True) == -MAX_AMOUNT
    with pytest.raises(InvalidValueError, match="too large"):
        money("change", Decimal(-MAX_AMOUNT) - Decimal("0.01"), allow_negative=True)


def test_computed_totals_have_their_own_wider_bound() -> None:
    """Totals postsale computes may exceed 10**15; read back from data they are bounded by MAX_COMPUTED."""
    assert money("total", MAX_COMPUTED, limit=MAX_COMPUTED) == MAX_COMPUTED
    with pytest.raises(InvalidValueError, match=r"between -10\*\*30 and 10\*\*30"):
        money("total", MAX_COMPUTED + 1, limit=MAX_COMPUTED)


@pytest.mark.parametrize("acv", ["0.000000000000000000001", Decimal("1E-999999"), 0.1, "0E+999999"])
def test_tiny_amounts_and_many_decimal_places_are_kept_exactly(acv: Any) -> None:
    """Decimal places are not limited: a tiny amount stays exact and formats in bounded time."""
    amount = snap(acv=acv).acv
    assert amount == Decimal(str(acv)) if not isinstance(acv, float) else amount == Decimal("0.1")
    assert usd(amount) in ("$0.00", "$0.10", "$0")


def test_formatting_a_huge_amount_never_spells_out_its_exponent() -> None:
    """usd() writes amounts of 10**24 and more in scientific notation (no int() of a huge Decimal)."""
    assert usd(Decimal("1e999999")) == "$1.000000E+999999"
    assert usd(Decimal(MAX_AMOUNT)) == "$1,000,000,000,000,000"
    assert usd(-Decimal("1e24")) == "-$1.000000E+24"


# ---- counts ----------------------------------------------------------------------------------------------------


def test_a_count_of_exactly_a_billion_is_accepted_and_one_more_refused() -> None:
    """Seats (and every count) go up to 10**9 included."""
    assert snap(seats_purchased=MAX_COUNT, seats_active=MAX_COUNT).seat_utilisation == 1.0
    error = refused(InvalidValueError, "seats_purchased", lambda: snap(seats_purchased=MAX_COUNT + 1))
    assert error.constraint == "must be <= 1,000,000,000"


@pytest.mark.parametrize("seats", [math.nan, math.inf, -math.inf, 1.5, 1e400, True, "10", Decimal(3)])
def test_a_count_that_is_not_a_whole_number_is_a_type_error(seats: Any) -> None:
    """nan, +-inf, floats, bools, strings and Decimals are refused where a count is expected (the issue's
    seats_purchased = nan was a ValueError)."""
    refused(InvalidTypeError, "seats_purchased", lambda: snap(seats_purchased=seats))


def test_a_count_of_ten_to_the_400_is_an_invalid_value_not_an_overflow() -> None:
    """10**400 is refused as too large; an int too long to print is shown by its size, so the message renders."""
    refused(InvalidValueError, "seats_active", lambda: snap(seats_active=10**400))
    error = refused(InvalidValueError, "seats", lambda: count("seats", 10**5000))
    assert error.value == "<an int of about 5001 digits>"
    assert "too large for a count" in str(error)


# ---- numbers (signals) -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [MAX_MAGNITUDE, -MAX_MAGNITUDE, 10**15, -(10**15), Decimal("1E+15"), -0.0])
def test_a_signal_of_exactly_1e15_is_accepted(value: Any) -> None:
    """Signals are finite numbers up to 1e15 in absolute value, whatever their type."""
    assert snap(signals={"nps": value}).signals["nps"] == float(value)


@pytest.mark.parametrize(
    "value",
    [math.nextafter(MAX_MAGNITUDE, math.inf), 10**15 + 1, -(10**15) - 1, 10**400, Decimal("1e999999"),
     Decimal(10**15) + Decimal("1E-10"), 1e308],
)
def test_a_signal_one_step_past_1e15_is_refused(value: Any) -> None:
    """Past 1e15 a signal is refused as too large (the issue's signals={"nps": 10**400} was an OverflowError)."""
    error = refused(InvalidValueError, "signals['nps']", lambda: snap(signals={"nps": value}))
    assert error.constraint == "must be between -1e15 and 1e15"


@pytest.mark.parametrize(
    "value", [math.nan, math.inf, -math.inf, Decimal("NaN"), Decimal("sNaN"), Decimal("-Infinity")]
)
def test_a_signal_that_is_not_finite_is_refused(value: Any) -> None:
    """NaN, infinities and Decimal("sNaN") (a ValueError in the issue) are InvalidValueError."""
    refused(InvalidValueError, "signals['nps']", lambda: snap(signals={"nps": value}))


@pytest.mark.parametrize("value", [True, "9", None, [9], b"9"])
def test_a_signal_that_is_not_a_number_is_a_type_error(value: Any) -> None:
    """A bool is not a number here, nor is text."""
    refused(InvalidTypeError, "signals['nps']", lambda: snap(signals={"nps": value}))


def test_numbers_elsewhere_share_the_same_range() -> None:
    """The same check guards every number: hours, scores, thresholds."""
    assert number("x", 1e15) == 1e15
    refused(InvalidValueError, "proactive_hours", lambda: proactive_share(10**400, 1))
    refused(InvalidValueError, "score", lambda: HealthBand.of(Decimal("sNaN")))
    refused(InvalidValueError, "score", lambda: HealthBand.of(math.nan))
    assert number("months", 7e38) == 7e38  # computed values need only be finite
    refused(InvalidTypeError, "score", lambda: HealthBand.of("69.9"))  # type: ignore[arg-type]


# ---- ids and names ---------------------------------------------------------------------------------------------


def test_an_id_of_exactly_1000_characters_is_accepted_and_one_more_refused() -> None:
    """Account ids, parent ids, signal and label names and label values are at most 1 000 characters."""
    longest = "x" * MAX_NAME_LENGTH
    accepted = snap(account_id=longest, parent_id=longest, signals={longest: 1.0}, labels={longest: longest})
    assert accepted.account_id == longest
    too_long = "x" * (MAX_NAME_LENGTH + 1)
    error = refused(InvalidValueError, "account_id", lambda: snap(account_id=too_long))
    assert error.value == "xxx...xxx (1001 characters)" and error.constraint == "at most 1,000 characters"
    refused(InvalidValueError, "parent_id", lambda: snap(parent_id=too_long))
    refused(InvalidValueError, "signals key", lambda: snap(signals={too_long: 1.0}))
    refused(InvalidValueError, "labels key", lambda: snap(labels={too_long: "a"}))
    refused(InvalidValueError, "labels['csm']", lambda: snap(labels={"csm": too_long}))


def test_control_characters_in_ids_are_kept_and_escaped_at_output() -> None:
    """Ids may hold any character (output escapes them); only the length is limited."""
    assert snap(account_id="evil\x1b[2J").account_id == "evil\x1b[2J"


# ---- time zones ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "zone",
    ["America", "A" * 300, "Z" * (MAX_ZONE_NAME_LENGTH + 1), "a\x00b", "../etc/passwd", "America/../UTC", "/UTC",
     "UTC/", "Europe//Paris", "Europe/Paris ", "zone.tab", "leapseconds", "", "Mars/Olympus"],
)
def test_a_time_zone_that_is_a_folder_too_long_or_malformed_is_an_unknown_name(zone: str) -> None:
    """The issue's "America" (IsADirectoryError) and 300-character zone (OSError), and names with NUL or "..",
    are UnknownNameError: never an OSError or ValueError, never a read outside the zone database."""
    error = refused(UnknownNameError, "time_zone", lambda: snap(time_zone=zone))
    assert error.hint == 'pass a name such as "Europe/Paris" or "UTC"'
    refused(UnknownNameError, "time_zone", lambda: due_time(Sla.SAME_DAY, datetime(2026, 1, 1, tzinfo=UTC),
                                                           time_zone=zone))


@pytest.mark.parametrize("zone", ["UTC", "Asia/Tokyo", "America/Argentina/Buenos_Aires", "Etc/GMT+5",
                                  "America/Port-au-Prince", "EST5EDT"])
def test_real_time_zone_names_are_accepted(zone: str) -> None:
    """Every shape of IANA name (areas, sub-areas, signs, dashes, digits) is accepted."""
    assert str(time_zone("time_zone", zone)) == zone


# ---- dates whose arithmetic leaves the calendar ----------------------------------------------------------------


def leaves_calendar(field: str, call: Any) -> None:
    """``call`` raises InvalidValueError naming ``field`` and saying the result would leave the calendar."""
    error = refused(InvalidValueError, field, call)
    assert CALENDAR in str(error)
    assert error.hint


@pytest.mark.parametrize(
    ("field", "call"),
    [
        ("months", lambda: add_months(date.max, 1)),
        ("months", lambda: add_months(date.min, -1)),
        ("months", lambda: add_months(D, 10**400)),
        ("n", lambda: anniversary(date(9999, 6, 1), 1)),
        ("n", lambda: anniversary(date(1, 6, 1), -1)),
        ("count", lambda: term_periods(date(9999, 1, 1), months=12, count=2)),
        ("count", lambda: term_periods(D, months=1, count=10**9)),
        ("first", lambda: term_periods(D, months=12, count=1, first=-2026)),
        ("term_months", lambda: Contract.from_term("a", "SMB", date(9999, 6, 1), term_months=12, acv=1)),
        ("term_months", lambda: Contract.from_term("a", "SMB", D, term_months=10**400, acv=1)),
        ("end", lambda: TermPeriod(0, date.max, date.max).next_start),
        ("fired", lambda: due_time(Sla.H24, datetime.max.replace(tzinfo=UTC))),
        ("fired", lambda: due_time(Sla.WITHIN_FEW_DAYS, datetime(9999, 12, 30, tzinfo=UTC))),
        ("fired", lambda: due_time(Sla.WEEK_5, datetime(9999, 12, 30, tzinfo=UTC))),
        ("fired", lambda: due_time(Sla.SAME_DAY, datetime(9999, 12, 31, 23, tzinfo=UTC), time_zone="Asia/Tokyo")),
        ("contract_start", lambda: due_time(Sla.WEEK_5, datetime(2026, 1, 1, tzinfo=UTC), contract_start=date.max)),
        ("days", lambda: shifted("days", 1, date.max, timedelta(days=1))),
    ],
)
def test_date_arithmetic_past_the_calendar_is_an_invalid_value(field: str, call: Any) -> None:
    """add_months, anniversary, term_periods, Contract.from_term, TermPeriod.next_start and due_time near
    0001-01-01 / 9999-12-31 raise InvalidValueError naming the argument (the issue's OverflowError / ValueError)."""
    leaves_calendar(field, call)


def test_window_days_past_the_calendar_is_an_invalid_value() -> None:
    """Window.days(start, n) that would end after 9999-12-31 (or 10**400 days) is refused, not an overflow."""
    assert Window.days(date(9999, 12, 1), 31).end == date.max
    refused(InvalidValueError, "days", lambda: Window.days(date(9999, 12, 1), 32))
    refused(InvalidValueError, "days", lambda: Window.days(D, 10**400))


def test_a_contract_can_end_on_the_last_day_of_the_calendar() -> None:
    """A term whose anniversary would be 10000-01-01 ends on 9999-12-31; asking for the next term is refused."""
    last = Contract.from_term("a", "SMB", date(9999, 1, 1), term_months=12, acv=100)
    assert last.end == date.max and last.term_months == 12
    assert last.terms(1)[0].end == date.max
    assert term_periods(date(9998, 1, 1), months=12, count=2)[-1].end == date.max
    leaves_calendar("end", lambda: last.next_start)
    leaves_calendar("term_months", last.renewed)
    leaves_calendar("count", lambda: last.terms(2))
    assert last.term_on(date(9999, 7, 1)).end == date.max


def test_an_open_ended_snapshot_ending_on_9999_12_31_is_read_as_it_is() -> None:
    """contract_end = 9999-12-31 (an "evergreen" placeholder) builds a snapshot and its contract; the term is
    the whole span, and only what lies after it is refused (the issue's OverflowError in renewal/_contract.py)."""
    evergreen = snap(as_of=date(2026, 11, 1), contract_start=date(2020, 1, 1), contract_end=date.max, acv=1200)
    contract = Contract.from_snapshot(evergreen)
    assert contract.end == date.max and contract.term_months == (10000 - 2020) * 12
    assert contract.next_term_end(date(2026, 11, 1)) == date.max
    irregular = Contract.from_snapshot(snap(contract_start=date(2020, 1, 15), contract_end=date.max))
    assert irregular.term_months is None
    leaves_calendar("end", lambda: irregular.terms(2))


@pytest.mark.parametrize(
    ("as_of", "start", "end"),
    [(date.max, date(9999, 1, 1), date.max), (date.min, date.min, date(1, 1, 2)), (D, date.min, date(1, 1, 2))],
)
def test_snapshots_at_the_ends_of_the_calendar_are_accepted(as_of: date, start: date, end: date) -> None:
    """as_of / contract dates of 9999-12-31 and 0001-01-01 are real dates: the snapshot is built and its
    derived values computed; only arithmetic past the calendar is refused, where it happens."""
    edge = snap(as_of=as_of, contract_start=start, contract_end=end)
    assert edge.days_to_renewal == (end - as_of).days
    Contract.from_snapshot(edge)


@pytest.mark.parametrize("as_of", [date.max, date.min, SAMPLE_DATES[0] - timedelta(days=1),
                                   SAMPLE_DATES[1] + timedelta(days=1)])
def test_a_sample_outside_its_dates_is_refused(as_of: date) -> None:
    """sample_portfolio / sample_journeys draw dates years around as_of: outside 1900..2999 they refuse it."""
    error = refused(InvalidValueError, "as_of", lambda: sample_portfolio(3, as_of=as_of))
    assert error.constraint == "must be between 1900-01-01 and 2999-12-31"
    refused(InvalidValueError, "as_of", lambda: sample_journeys(3, as_of=as_of))
    refused(InvalidValueError, "as_of", lambda: sample_journey("a", random.Random(1), as_of=as_of))


def test_a_sample_at_the_ends_of_its_dates_is_drawn() -> None:
    """The first and last sample dates are accepted (the generator stays inside the calendar)."""
    for as_of in SAMPLE_DATES:
        portfolio = sample_portfolio(5, as_of=as_of)
        assert len(portfolio.snapshots()) == len(portfolio.active)
        assert portfolio.accounts[0].history(as_of=as_of, weeks=520)


def test_a_sample_history_holds_at_most_ten_years_of_weeks() -> None:
    """Each weekly snapshot is drawn when asked for: a history is at most 520 weeks, so one account's history,
    even ending centuries after its start, is bounded work; 521 weeks is refused naming the limit."""
    account = sample_portfolio(1).accounts[0]
    assert len(account.history(as_of=SAMPLE_DATES[1], weeks=520)) == 520
    error = refused(InvalidValueError, "weeks", lambda: account.history(as_of=SAMPLE_DATES[1], weeks=521))
    assert error.constraint == "weeks <= 520 (ten years of weekly snapshots)"
    refused(InvalidValueError, "weeks", lambda: list(sample_portfolio(1).history(weeks=MAX_COUNT)))


@pytest.mark.parametrize(("seed", "error"), [(True, InvalidTypeError), ("7", InvalidTypeError),
                                             (2**63, InvalidValueError), (-(2**63), InvalidValueError)])
def test_a_sample_seed_is_a_64_bit_whole_number(seed: Any, error: type[PostsaleError]) -> None:
    """Seeds are ints below 2**63 in absolute value (2**63 - 1 is the largest accepted)."""
    refused(error, "seed", lambda: sample_portfolio(2, seed=seed))
    assert sample_portfolio(2, seed=2**63 - 1) == sample_portfolio(2, seed=2**63 - 1)


def test_a_sample_holds_at_most_a_million_accounts() -> None:
    """The sample's work grows with n (a fraction of a millisecond per account): n is at most 1 000 000."""
    error = refused(InvalidValueError, "n", lambda: sample_portfolio(1_000_001))
    assert error.constraint == "n <= 1,000,000"
    refused(InvalidValueError, "n", lambda: sample_journeys(10**400))


# ---- what crosses the boundary stays valid ---------------------------------------------------------------------


def test_values_at_every_limit_round_trip_and_pickle() -> None:
    """A snapshot with every field at its limit goes through JSON and pickle unchanged."""
    longest = "x" * MAX_NAME_LENGTH
    edge = snap(account_id=longest, acv=MAX_AMOUNT, seats_purchased=MAX_COUNT, seats_active=0,
                signals={"nps": MAX_MAGNITUDE, "tiny": -MAX_MAGNITUDE}, labels={"csm": longest},
                contract_start=date(9999, 1, 1), contract_end=date.max, as_of=date.max)
    assert from_json(AccountSnapshot, to_json(edge)) == edge
    assert pickle.loads(pickle.dumps(edge)) == edge
