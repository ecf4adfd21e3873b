"""Upsell and cross-sell of a starting cohort."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from postsale import InvalidValueError
from postsale.kpi import RevenueLedger, UpsellCrossSell, upsell_cross_sell
from tests.kpi.ledgers import START, mv, sample_ledger

# ---- upsell / cross-sell ------------------------------------------------------------------------


def test_upsell_cross_sell_rates():
    """Upsell 80 000 and cross-sell 20 000 over a 1 000 000 base; 1 of 4 accounts expanded."""
    mix = upsell_cross_sell(sample_ledger(), start=START)
    assert (Decimal("0.08"), Decimal("0.02"), Decimal("0.1"), Decimal("0.25")) == (
        mix.upsell_rate,
        mix.cross_sell_rate,
        mix.expansion_rate,
        mix.customer_rate,
    )


def test_upsell_cross_sell_counts_unspecified_expansion():
    """Expansion without a motion counts in the gross rate, not in upsell or cross-sell."""
    ledger = RevenueLedger([mv("a", date(2024, 1, 1), "NEW", 100), mv("a", date(2025, 2, 1), "EXPANSION", 10)])
    mix = upsell_cross_sell(ledger, start=START)
    assert (Decimal(0), Decimal("0.1"), 1) == (mix.upsell_rate, mix.expansion_rate, mix.accounts_expanded)


def test_upsell_cross_sell_empty_cohort():
    """No starting account: undefined."""
    with pytest.raises(InvalidValueError, match="cohort"):
        upsell_cross_sell(sample_ledger(), start=date(2020, 1, 1))


def test_upsell_cross_sell_refuses_counts_above_cohort():
    """Built directly, counts above the starting accounts are refused."""
    with pytest.raises(InvalidValueError, match="accounts_upsold"):
        UpsellCrossSell(Decimal(1), 1, Decimal(0), Decimal(0), Decimal(0), 2, 0, 0)


def test_upsell_cross_sell_refuses_empty():
    """Built directly, an empty cohort is refused."""
    with pytest.raises(InvalidValueError, match="cohort"):
        UpsellCrossSell(Decimal(0), 0, Decimal(0), Decimal(0), Decimal(0), 0, 0, 0)


def test_upsell_cross_sell_explain():
    """The explanation names both rates."""
    lines = upsell_cross_sell(sample_ledger(), start=START).explain()
    assert "Upsell rate 8.00 % = 80,000 / 1,000,000 (1 account(s))." == lines[0]
