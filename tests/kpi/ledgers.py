"""The sample revenue ledger the KPI tests share."""

from __future__ import annotations

from datetime import date

from postsale.kpi import RevenueLedger, RevenueMovement

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
