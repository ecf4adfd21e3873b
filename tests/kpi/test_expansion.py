"""Upsell and cross-sell of a starting cohort."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from postsale import InvalidValueError
from postsale.kpi import RevenueLedger, RevenueMovement, UpsellCrossSell, upsell_cross_sell

START = date(2025, 1, 1)


def mv(account: str, on: date, kind: str, amount: int | str, motion: str = "UNSPECIFIED") -> RevenueMovement:
    return RevenueMovement(account, on, kind, amount, motion)


def sample_ledger() -> RevenueLedger:
    """Four accounts: one expands, one contracts, one churns, one stays flat; plus new business."""
    return RevenueLedger(
        [
            mv("grow", date(2024, 1, 10), "NEW", 400_000),
            mv("shrink", date(2024, 2, 1), "NEW", 300_000),
            mv("leave", date(2024, 3, 1), "NEW", 200_000),
            mv("flat", date(2024, 3, 15), "NEW", 100_000),
            mv("grow", date(2025, 4, 1), "EXPANSION", 80_000, "UPSELL"),
            mv("grow", date(2025, 8, 1), "EXPANSION", 20_000, "CROSS_SELL"),
            mv("shrink", date(2025, 5, 1), "CONTRACTION", 60_000),
            mv("leave", date(2025, 6, 30), "CHURN", 200_000),
            mv("later", date(2025, 2, 1), "NEW", 50_000),
        ]
    )


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
