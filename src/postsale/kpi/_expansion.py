"""Upsell and cross-sell of a starting cohort over a period, and each account's own NRR (is expansion working?)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from postsale import _checks
from postsale._errors import InvalidValueError
from postsale._repr import readable
from postsale.kpi._ledger import RevenueLedger
from postsale.kpi._numbers import ONE, amount, pct, positive_money, ratio, total
from postsale.kpi._report import DEFAULT_RETENTION_DEFINITION, RetentionDefinition, _empty_cohort
from postsale.kpi._retention import _check_inputs, _figures

__all__ = ["AccountNrr", "UpsellCrossSell", "nrr_by_account", "upsell_cross_sell"]


def _to_start_revenue(v: Any) -> Decimal:
    return _checks.money("start_revenue", v)


def _to_upsell_revenue(v: Any) -> Decimal:
    return _checks.money("upsell_revenue", v)


def _to_cross_sell_revenue(v: Any) -> Decimal:
    return _checks.money("cross_sell_revenue", v)


def _to_other_expansion_revenue(v: Any) -> Decimal:
    return _checks.money("other_expansion_revenue", v)


@attrs.frozen
class UpsellCrossSell:
    """Upsell and cross-sell of a starting cohort over a period.

    Amounts are the gross EXPANSION movements booked in the period by accounts of the starting cohort,
    by motion; the revenue rates divide them by the cohort's starting revenue, the customer rate counts
    accounts with at least one expansion.

    Examples:
        >>> mix = UpsellCrossSell(
        ...     start_revenue=1_000, accounts_at_start=2, upsell_revenue=100, cross_sell_revenue=50,
        ...     other_expansion_revenue=0, accounts_upsold=1, accounts_cross_sold=1, accounts_expanded=1)
        >>> mix.expansion_rate, mix.explain()[0]
        (Decimal('0.15'), 'Upsell rate 10.00 % = 100 / 1,000 (1 account(s)).')
    """

    __repr__ = readable
    start_revenue: Decimal = attrs.field(converter=_to_start_revenue)
    accounts_at_start: int = attrs.field(validator=_checks.validator(_checks.count))
    upsell_revenue: Decimal = attrs.field(converter=_to_upsell_revenue)
    cross_sell_revenue: Decimal = attrs.field(converter=_to_cross_sell_revenue)
    other_expansion_revenue: Decimal = attrs.field(converter=_to_other_expansion_revenue)
    accounts_upsold: int = attrs.field(validator=_checks.validator(_checks.count))
    accounts_cross_sold: int = attrs.field(validator=_checks.validator(_checks.count))
    accounts_expanded: int = attrs.field(validator=_checks.validator(_checks.count))

    def __attrs_post_init__(self) -> None:
        if self.accounts_at_start == 0 or self.start_revenue == 0:
            raise _empty_cohort(self.accounts_at_start)
        for name in ("accounts_upsold", "accounts_cross_sold", "accounts_expanded"):
            value = getattr(self, name)
            if value > self.accounts_at_start:
                raise InvalidValueError(
                    "is larger than the accounts at start",
                    field=name,
                    value=value,
                    constraint=f"must be <= accounts_at_start={self.accounts_at_start}",
                    hint="count only accounts of the starting cohort",
                )

    @property
    def upsell_rate(self) -> Decimal:
        """Upsell revenue / starting revenue."""
        return ratio(self.upsell_revenue, self.start_revenue)

    @property
    def cross_sell_rate(self) -> Decimal:
        """Cross-sell revenue / starting revenue."""
        return ratio(self.cross_sell_revenue, self.start_revenue)

    @property
    def expansion_rate(self) -> Decimal:
        """All gross expansion (upsell + cross-sell + unspecified) / starting revenue."""
        gross = total(self.upsell_revenue, self.cross_sell_revenue, self.other_expansion_revenue)
        return ratio(gross, self.start_revenue)

    @property
    def customer_rate(self) -> Decimal:
        """Share of starting accounts with at least one expansion in the period."""
        return ratio(Decimal(self.accounts_expanded), Decimal(self.accounts_at_start))

    def explain(self) -> list[str]:
        """Plain sentences with each rate and its inputs."""
        start = amount(self.start_revenue)
        return [
            f"Upsell rate {pct(self.upsell_rate)} = {amount(self.upsell_revenue)} / {start} "
            f"({self.accounts_upsold} account(s)).",
            f"Cross-sell rate {pct(self.cross_sell_rate)} = {amount(self.cross_sell_revenue)} / {start} "
            f"({self.accounts_cross_sold} account(s)).",
            f"{self.accounts_expanded} of {self.accounts_at_start} starting account(s) expanded "
            f"({pct(self.customer_rate)}); gross expansion rate {pct(self.expansion_rate)}.",
        ]


def upsell_cross_sell(
    ledger: RevenueLedger, *, start: date, definition: RetentionDefinition = DEFAULT_RETENTION_DEFINITION
) -> UpsellCrossSell:
    """Measure upsell and cross-sell of the cohort active at ``start`` (gross EXPANSION movements by motion).

    Raises:
        InvalidValueError: the starting cohort is empty.

    Examples:
        >>> from postsale.kpi import RevenueMovement
        >>> ledger = RevenueLedger([
        ...     RevenueMovement("a", date(2024, 1, 1), "NEW", 800), RevenueMovement("b", date(2024, 1, 1), "NEW", 200),
        ...     RevenueMovement("a", date(2025, 2, 1), "EXPANSION", 100, motion="UPSELL"),
        ...     RevenueMovement("a", date(2025, 3, 1), "EXPANSION", 50, motion="CROSS_SELL"),
        ... ])
        >>> mix = upsell_cross_sell(ledger, start=date(2025, 1, 1))
        >>> mix.upsell_rate, mix.cross_sell_rate, mix.customer_rate
        (Decimal('0.1'), Decimal('0.05'), Decimal('0.5'))
    """
    _check_inputs(ledger, start, definition)
    figures = _figures(ledger, start, definition.period_end(start), definition.reactivations).values()
    cohort = [f for f in figures if f.start > 0]
    if not cohort:
        raise _empty_cohort(0)
    return UpsellCrossSell(
        start_revenue=total(*(f.start for f in cohort)),
        accounts_at_start=len(cohort),
        upsell_revenue=total(*(f.upsell for f in cohort)),
        cross_sell_revenue=total(*(f.cross_sell for f in cohort)),
        other_expansion_revenue=total(*(f.other_expansion for f in cohort)),
        accounts_upsold=sum(1 for f in cohort if f.upsell > 0),
        accounts_cross_sold=sum(1 for f in cohort if f.cross_sell > 0),
        accounts_expanded=sum(1 for f in cohort if f.upsell > 0 or f.cross_sell > 0 or f.other_expansion > 0),
    )


def _to_account_start(v: Any) -> Decimal:
    return positive_money("start_revenue", v)


def _to_account_end(v: Any) -> Decimal:
    return _checks.money("end_revenue", v)


def _after_start(instance: AccountNrr, _attribute: Any, value: date) -> None:
    if value <= instance.period_start:
        raise InvalidValueError(
            "is not after period_start", field="period_end", value=value,
            constraint=f"must be after {instance.period_start.isoformat()}", hint="a period lasts at least one day",
        )


@attrs.frozen
class AccountNrr:
    """One account's own NRR over a period: its revenue at the end ÷ its revenue at the start.

    Expansion is *working* for the account when its NRR is strictly above 100 %: it grew more than it shrank
    (guide: KPIs › Expansion).

    Examples:
        >>> acme = AccountNrr("acme", date(2025, 1, 1), date(2026, 1, 1), start_revenue=100_000, end_revenue=112_000)
        >>> acme.nrr, acme.expansion_working, acme.explain()
        (Decimal('1.12'), True, ['acme: NRR 112.00 % = 112,000 / 100,000; expansion is working (above 100 %).'])
    """

    __repr__ = readable
    account_id: str = attrs.field(validator=_checks.validator(_checks.identifier))
    period_start: date = attrs.field(validator=_checks.validator(_checks.a_date))
    period_end: date = attrs.field(validator=[_checks.validator(_checks.a_date), _after_start])
    start_revenue: Decimal = attrs.field(converter=_to_account_start)
    end_revenue: Decimal = attrs.field(converter=_to_account_end)

    @property
    def nrr(self) -> Decimal:
        """End revenue ÷ start revenue (0 when the account churned)."""
        return ratio(self.end_revenue, self.start_revenue)

    @property
    def expansion_working(self) -> bool:
        """NRR strictly above 100 %."""
        return self.nrr > ONE

    def explain(self) -> list[str]:
        """One sentence: the NRR, its inputs and the verdict."""
        verdict = (
            "expansion is working (above 100 %)" if self.expansion_working
            else "flat: expansion is not working (not above 100 %)" if self.nrr == ONE
            else "shrinking: expansion is not working (below 100 %)"
        )
        return [
            f"{self.account_id}: NRR {pct(self.nrr)} = {amount(self.end_revenue)} / {amount(self.start_revenue)}; "
            f"{verdict}."
        ]


def nrr_by_account(
    ledger: RevenueLedger, *, start: date, definition: RetentionDefinition = DEFAULT_RETENTION_DEFINITION
) -> tuple[AccountNrr, ...]:
    """Each account's own NRR over the period from ``start``, for every account with revenue at the start.

    Each account is netted on its own (churn ends at 0, reactivations follow the definition), exactly as in
    :func:`retention`; the accounts come sorted by id. ``float(a.nrr)`` is the ``account_nrr`` evidence the
    journey's Expansion checklist reads.

    Examples:
        >>> from postsale.kpi import RevenueMovement
        >>> ledger = RevenueLedger([
        ...     RevenueMovement("a", date(2024, 1, 1), "NEW", 800), RevenueMovement("b", date(2024, 1, 1), "NEW", 200),
        ...     RevenueMovement("a", date(2025, 2, 1), "EXPANSION", 100),
        ...     RevenueMovement("b", date(2025, 3, 1), "CONTRACTION", 50),
        ... ])
        >>> [(a.account_id, a.nrr, a.expansion_working) for a in nrr_by_account(ledger, start=date(2025, 1, 1))]
        [('a', Decimal('1.125'), True), ('b', Decimal('0.75'), False)]
    """
    _check_inputs(ledger, start, definition)
    end = definition.period_end(start)
    figures = _figures(ledger, start, end, definition.reactivations)
    return tuple(
        AccountNrr(account, start, end, f.start, f.end) for account, f in sorted(figures.items()) if f.start > 0
    )
