"""Exact money and rate helpers of the KPI context (rounding only at presentation)."""



from __future__ import annotations

from decimal import Decimal

import pytest

from postsale import InvalidTypeError, InvalidValueError
from postsale.kpi._numbers import amount, pct, rate, ratio, tidy, times, total


def test_total_is_exact_beyond_28_digits():
    """Sums keep every digit, whatever the default precision."""
    big = Decimal("1" + "0" * 40)
    assert Decimal("1" + "0" * 39 + "1.01") == total(big, Decimal("1.01"))


def test_times_is_exact():
    """Products keep every digit."""
    assert Decimal("5462500.0000") == times(Decimal(5_000_000), Decimal("0.95"), Decimal("1.15"))


def test_ratio_rounds_to_28_digits_half_even():
    """A non-terminating ratio is given to 28 significant digits."""
    assert Decimal("0.3333333333333333333333333333") == ratio(Decimal(1), Decimal(3))


def test_ratio_whole_result_has_no_exponent():
    """A whole ratio is written without an exponent."""
    assert "200000" == str(ratio(Decimal(50_000), Decimal("0.25")))


@pytest.mark.parametrize(("value", "shown"), [(Decimal("1.0925"), "109.25 %"), (Decimal("0.000125"), "0.01 %")])
def test_pct_rounds_half_even_at_presentation(value, shown):
    """Percentages are rounded half-even only when shown."""
    assert shown == pct(value)


def test_amount_presentation():
    """Amounts are shown with separators, cents only when there are some."""
    assert ("1,962,500", "298,389.06") == (amount(Decimal("1962500.0000")), amount(Decimal("298389.0625")))


def test_tidy_keeps_the_value():
    """Tidying drops trailing zeros but never changes the number."""
    assert (Decimal("5E+6"), "5000000") == (tidy(Decimal("5E+6")), str(tidy(Decimal("5E+6"))))


def test_rate_reads_floats_exactly():
    """0.94 as a float is Decimal('0.94')."""
    assert Decimal("0.94") == rate("grr", 0.94)


@pytest.mark.parametrize("value", [True, "0.9", None])
def test_rate_refuses_non_numbers(value):
    """Bools, strings and None are refused, naming the field."""
    with pytest.raises(InvalidTypeError, match="grr"):
        rate("grr", value)


def test_rate_refuses_infinity():
    """Infinity is refused."""
    with pytest.raises(InvalidValueError, match="grr"):
        rate("grr", float("inf"))


def test_rate_hint_for_a_percentage():
    """A percentage gets a hint to divide by 100."""
    with pytest.raises(InvalidValueError, match=r"write 0\.7 for 70 %"):
        rate("renewal_rate", 70)


def test_rate_without_upper_bound():
    """Some rates (NRR) have no upper bound."""
    assert Decimal("1.4") == rate("nrr", 1.4, upper=None)


def test_rate_without_upper_bound_refuses_negative():
    """Without an upper bound, the lower one still holds."""
    with pytest.raises(InvalidValueError, match=">= 0"):
        rate("nrr", -1, upper=None)


def test_rate_far_out_of_range_has_a_plain_hint():
    """Values that cannot be percentages get a plain hint."""
    with pytest.raises(InvalidValueError, match="pass a fraction"):
        rate("renewal_rate", 5000)
