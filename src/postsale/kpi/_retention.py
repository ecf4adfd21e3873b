"""Revenue retention from dated revenue movements: GRR, NRR, logo retention, churn and expansion by cohort.

domain-spec §6.1, §6.2, §9 I-3, I-21, §10 A-9, A-27; DESIGN.md "GRR caps at 100 %; NRR = (start − churn −
contraction + expansion) / start".

The model is a ledger of dated movements per account (NEW, EXPANSION, CONTRACTION, CHURN, REACTIVATION, all
positive amounts of recurring revenue). A period is ``[start, start + period_months)``. The starting cohort
is every account with revenue at the start of ``start`` (movements dated strictly before it). Each account
of the cohort is measured by comparing its revenue at the end of the period with its revenue at the start
(netting its own movements), so one account's growth never hides another's loss and GRR caps at 100 %
account by account.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from postsale import _checks
from postsale._errors import DefinitionError, InvalidTypeError, InvalidValueError, Problem, UnknownNameError
from postsale._vocabulary import AccountSnapshot
from postsale.kpi._numbers import TWELVE, ZERO, amount, minus, pct, positive_money, ratio, times, total

__all__ = [
    "DEFAULT_DEFINITION",
    "DEFAULT_PERIOD_MONTHS",
    "GRR_BENCHMARK",
    "GRR_MATURE",
    "GRR_WEAK",
    "MAX_PERIOD_MONTHS",
    "NRR_MATURE",
    "NRR_PREMIUM_VALUATION",
    "NRR_REACTIVE",
    "NRR_SYSTEMATIC_EXPANSION",
    "CohortRetention",
    "ExpansionMotion",
    "MovementKind",
    "ReactivationPolicy",
    "RetentionBreakdown",
    "RetentionDefinition",
    "RetentionReport",
    "RevenueBasis",
    "RevenueLedger",
    "RevenueMovement",
    "UpsellCrossSell",
    "cohorts_by_label",
    "cohorts_by_segment",
    "cohorts_by_start_month",
    "retention",
    "retention_by_cohort",
    "upsell_cross_sell",
]

DEFAULT_PERIOD_MONTHS = 12
"""Retention is measured over 12 months unless said otherwise (domain-spec §6.1 "period usually 12 months")."""

MAX_PERIOD_MONTHS = 120
"""Longest accepted period (ten years)."""

GRR_BENCHMARK = (Decimal("0.90"), Decimal("0.95"))
"""The normal / good GRR benchmark, 90-95 % (domain-spec §6.2, I-21)."""

GRR_MATURE = (Decimal("0.90"), Decimal("0.98"))
"""GRR of mature post-sale operations, 90-98 % (domain-spec §6.2, I-21)."""

GRR_WEAK = (Decimal("0.70"), Decimal("0.85"))
"""GRR of weak post-sale operations, 70-85 % (domain-spec §6.2)."""

NRR_PREMIUM_VALUATION = Decimal("1.20")
"""NRR at or above 120 % earns a premium valuation (domain-spec §6.1, §6.2)."""

NRR_MATURE = (Decimal("1.10"), Decimal("1.30"))
"""NRR of mature post-sale operations, 110-130 % (domain-spec §6.2)."""

NRR_SYSTEMATIC_EXPANSION = (Decimal("1.20"), Decimal("1.30"))
"""NRR of a systematic expansion motion, 120-130 % (domain-spec §6.2, §6.4)."""

NRR_REACTIVE = (Decimal("0.95"), Decimal("1.05"))
"""NRR of a reactive expansion approach, 95-105 % (domain-spec §6.2, §6.4)."""


class RevenueBasis(enum.Enum):
    """What the amounts of a ledger are: annual (ARR) or monthly (MRR) recurring revenue.

    Rates (GRR, NRR ...) do not depend on the basis as long as every amount uses the same one; the basis
    labels the amounts and lets :meth:`RetentionReport.annualised` turn MRR into ARR (× 12, exact).
    """

    ARR = "arr"
    MRR = "mrr"


class ReactivationPolicy(enum.Enum):
    """How a reactivation (revenue coming back after a churn) counts.

    * ``EXCLUDE`` (default): an account of the starting cohort that churns during the period counts as
      churned even if it comes back before the period ends; its return is reported as
      :attr:`RetentionReport.reactivated_revenue`, outside GRR and NRR.
    * ``WITHIN_PERIOD``: an account of the starting cohort that churns and reactivates inside the period is
      measured at its revenue at the end of the period (as if the gap never happened).

    Accounts that had already churned before the period started are never in the starting cohort: their
    return is reported as :attr:`RetentionReport.reactivated_revenue` and never enters GRR or NRR.
    """

    EXCLUDE = "exclude"
    WITHIN_PERIOD = "within_period"


class MovementKind(enum.Enum):
    """The kind of a revenue movement; every amount is positive, the kind gives the direction."""

    NEW = "new"
    """First revenue of an account (its starting ARR/MRR when dated before a period)."""
    EXPANSION = "expansion"
    """More revenue from an active account (upsell, cross-sell, price, seats)."""
    CONTRACTION = "contraction"
    """Less revenue from an active account that stays a customer."""
    CHURN = "churn"
    """The account leaves: the amount is its whole revenue on that date."""
    REACTIVATION = "reactivation"
    """A churned account comes back."""


class ExpansionMotion(enum.Enum):
    """What an expansion was (domain-spec §7.1: upsell = higher plan / features; cross-sell = another product)."""

    UNSPECIFIED = "unspecified"
    UPSELL = "upsell"
    CROSS_SELL = "cross_sell"


def _kind(value: Any) -> MovementKind:
    return _checks.member(MovementKind, "kind", value)


def _motion(value: Any) -> ExpansionMotion:
    return _checks.member(ExpansionMotion, "motion", value)


def _amount(value: Any) -> Decimal:
    return positive_money("amount", value)


@attrs.frozen
class RevenueMovement:
    """One dated change of an account's recurring revenue.

    Args:
        account_id: The account.
        on: The date the change takes effect.
        kind: NEW, EXPANSION, CONTRACTION, CHURN or REACTIVATION (a member or its name).
        amount: The size of the change, > 0, in the ledger's basis (ARR or MRR). For CHURN it is the
            account's whole revenue on that date.
        motion: For EXPANSION only: UPSELL, CROSS_SELL or UNSPECIFIED.

    Raises:
        InvalidValueError: a blank account, a zero or negative amount, a motion on a non-expansion.

    Examples:
        >>> RevenueMovement("acme", date(2025, 1, 15), "NEW", 120_000).amount
        Decimal('120000')
    """

    account_id: str = attrs.field(validator=_checks.validator(_checks.text))
    on: date = attrs.field(validator=_checks.validator(_checks.a_date))
    kind: MovementKind = attrs.field(converter=_kind)
    amount: Decimal = attrs.field(converter=_amount)
    motion: ExpansionMotion = attrs.field(default=ExpansionMotion.UNSPECIFIED, converter=_motion)

    def __attrs_post_init__(self) -> None:
        if self.motion is not ExpansionMotion.UNSPECIFIED and self.kind is not MovementKind.EXPANSION:
            raise InvalidValueError(
                "is only meaningful for an EXPANSION",
                field="motion",
                value=self.motion.name,
                constraint=f"kind is {self.kind.name}",
                hint="leave motion UNSPECIFIED, or record the movement as an EXPANSION",
            )


def _to_movements(value: Iterable[RevenueMovement]) -> tuple[RevenueMovement, ...]:
    return _checks.items("movements", value)  # each item is checked by _check_ledger


def _ordered(movements: tuple[RevenueMovement, ...]) -> list[tuple[int, RevenueMovement]]:
    """Movements by date; movements on the same date keep the order they were given in."""
    return sorted(enumerate(movements), key=lambda item: item[1].on)


def _check_ledger(movements: tuple[RevenueMovement, ...]) -> None:
    for index, item in enumerate(movements):
        if not isinstance(item, RevenueMovement):
            raise InvalidTypeError(
                "is not a RevenueMovement", field=f"movements[{index}]", value=item, hint="build RevenueMovement values"
            )
    balances: dict[str, Decimal] = {}
    for index, move in _ordered(movements):
        where = f"movements[{index}]"
        known = move.account_id in balances
        balance = balances.get(move.account_id, ZERO)
        kind = move.kind
        if not known and kind is not MovementKind.NEW:
            raise InvalidValueError(
                f"is the first movement of account {move.account_id!r} but is a {kind.name}",
                field=f"{where}.kind",
                value=kind.name,
                constraint="an account's first movement is NEW",
                hint="record the account's starting revenue as a NEW movement dated before the period",
            )
        if known and kind is MovementKind.NEW:
            raise InvalidValueError(
                f"account {move.account_id!r} already has revenue history",
                field=f"{where}.kind",
                value=kind.name,
                constraint="NEW only once per account",
                hint="record a REACTIVATION after a churn, or an EXPANSION",
            )
        if kind in (MovementKind.EXPANSION, MovementKind.CONTRACTION, MovementKind.CHURN) and known and balance == 0:
            raise InvalidValueError(
                f"account {move.account_id!r} has no revenue on {move.on.isoformat()} (it churned)",
                field=f"{where}.kind",
                value=kind.name,
                constraint=f"{kind.name} needs an active account",
                hint="record a REACTIVATION first",
            )
        if kind is MovementKind.REACTIVATION and balance > 0:
            raise InvalidValueError(
                f"account {move.account_id!r} is active on {move.on.isoformat()}",
                field=f"{where}.kind",
                value=kind.name,
                constraint="REACTIVATION only after a CHURN",
                hint="record an EXPANSION instead",
            )
        if kind is MovementKind.CONTRACTION and move.amount >= balance:
            raise InvalidValueError(
                f"is not smaller than account {move.account_id!r}'s revenue {balance} on {move.on.isoformat()}",
                field=f"{where}.amount",
                value=move.amount,
                constraint="a contraction leaves some revenue",
                hint="record losing the whole revenue as a CHURN",
            )
        if kind is MovementKind.CHURN and move.amount != balance:
            larger = "larger than" if move.amount > balance else "different from"
            raise InvalidValueError(
                f"is {larger} account {move.account_id!r}'s revenue {balance} on {move.on.isoformat()}",
                field=f"{where}.amount",
                value=move.amount,
                constraint="a churn removes exactly the account's revenue",
                hint="fix the amount (a partial loss is a CONTRACTION)",
            )
        balances[move.account_id] = _apply(balance, move)


def _apply(balance: Decimal, move: RevenueMovement) -> Decimal:
    if move.kind in (MovementKind.CONTRACTION, MovementKind.CHURN):
        return minus(balance, move.amount)
    return total(balance, move.amount)


@attrs.frozen
class RevenueLedger:
    """Every revenue movement of a set of accounts, checked as a whole when built.

    Movements may be given in any order; they are replayed by date (movements on the same date in the
    order given). Each account starts with NEW, never goes below zero, churns exactly its revenue and
    reactivates only after churning.

    Raises:
        InvalidValueError: the first inconsistent movement, named by its index (``movements[3].amount``).

    Examples:
        >>> ledger = RevenueLedger([
        ...     RevenueMovement("acme", date(2024, 6, 1), "NEW", 100_000),
        ...     RevenueMovement("acme", date(2025, 3, 1), "EXPANSION", 20_000),
        ... ])
        >>> ledger.revenue_at("acme", date(2025, 3, 1)), ledger.revenue_at("acme", date(2025, 3, 2))
        (Decimal('100000'), Decimal('120000'))
    """

    movements: tuple[RevenueMovement, ...] = attrs.field(converter=_to_movements)

    def __attrs_post_init__(self) -> None:
        _check_ledger(self.movements)

    @property
    def accounts(self) -> tuple[str, ...]:
        """Every account of the ledger, sorted."""
        return tuple(sorted({m.account_id for m in self.movements}))

    def revenue_at(self, account_id: str, on: date) -> Decimal:
        """Return the account's revenue at the start of ``on`` (movements dated strictly before it).

        Raises:
            UnknownNameError: the account has no movement in the ledger.
        """
        _checks.a_date("on", on)
        moves = [m for _, m in _ordered(self.movements) if m.account_id == account_id]
        if not moves:
            raise UnknownNameError(
                "is not in the ledger", field="account_id", value=account_id, hint="pass one of ledger.accounts"
            )
        balance = ZERO
        for move in moves:
            if move.on >= on:
                break
            balance = _apply(balance, move)
        return balance


@attrs.frozen
class RetentionDefinition:
    """What exactly "retention" means for a report: explicit, because an undefined NRR burns people.

    Args:
        basis: The unit of every amount: ARR (default) or MRR.
        reactivations: How reactivations count (:class:`ReactivationPolicy`, default EXCLUDE).
        period_months: Length of the period in calendar months (default 12, 1-120).

    Raises:
        DefinitionError: listing every bad option at once.

    Examples:
        >>> RetentionDefinition(basis="MRR", period_months=1).describe()
        'MRR over 1 month(s); reactivations EXCLUDE'
    """

    basis: RevenueBasis = RevenueBasis.ARR
    reactivations: ReactivationPolicy = ReactivationPolicy.EXCLUDE
    period_months: int = DEFAULT_PERIOD_MONTHS

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        for name, cls in (("basis", RevenueBasis), ("reactivations", ReactivationPolicy)):
            try:
                object.__setattr__(self, name, _checks.member(cls, name, getattr(self, name)))
            except UnknownNameError as exc:
                problems.append(Problem(name, str(exc)))
        months = self.period_months
        if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= MAX_PERIOD_MONTHS:
            problems.append(Problem("period_months", f"{months!r} must be a whole number of months in 1-120"))
        if problems:
            raise DefinitionError("invalid retention definition", problems, hint="fix every option listed")

    def describe(self) -> str:
        """One line naming the basis, the period and the reactivation policy."""
        return f"{self.basis.name} over {self.period_months} month(s); reactivations {self.reactivations.name}"

    def period_end(self, start: date) -> date:
        """Return the first day after a period that starts on ``start`` (from the anchor, never stepped)."""
        return start + relativedelta(months=self.period_months)


DEFAULT_DEFINITION = RetentionDefinition()
"""ARR, 12 months, reactivations excluded."""


def _empty_cohort(value: int) -> InvalidValueError:
    return InvalidValueError(
        "is empty: no account had revenue at the start of the period",
        field="cohort",
        value=value,
        constraint="a rate over an empty cohort is undefined (not 0)",
        hint="pick a period start after the cohort's first revenue, or a non-empty cohort",
    )


def _to_start_revenue(v: Any) -> Decimal:
    return _checks.money("start_revenue", v)


def _to_churned_revenue(v: Any) -> Decimal:
    return _checks.money("churned_revenue", v)


def _to_contraction_revenue(v: Any) -> Decimal:
    return _checks.money("contraction_revenue", v)


def _to_expansion_revenue(v: Any) -> Decimal:
    return _checks.money("expansion_revenue", v)


def _to_new_business_revenue(v: Any) -> Decimal:
    return _checks.money("new_business_revenue", v)


def _to_reactivated_revenue(v: Any) -> Decimal:
    return _checks.money("reactivated_revenue", v)


def _to_upsell_revenue(v: Any) -> Decimal:
    return _checks.money("upsell_revenue", v)


def _to_cross_sell_revenue(v: Any) -> Decimal:
    return _checks.money("cross_sell_revenue", v)


def _to_other_expansion_revenue(v: Any) -> Decimal:
    return _checks.money("other_expansion_revenue", v)


@attrs.frozen
class RetentionReport:
    """Revenue and logo retention of one starting cohort over one period.

    The amounts are per-account netted against each account's starting revenue (see the module notes),
    so ``churned + contraction <= start`` and GRR <= 100 % always hold. Rates are exact ratios
    (:class:`~decimal.Decimal`, 28 significant digits); round them only to show them.

    Build it with :func:`retention` from a :class:`RevenueLedger`, or with :meth:`from_amounts` from totals.

    Attributes:
        definition: Basis, reactivation policy and period length used.
        period_start: First day of the period.
        period_end: First day after the period.
        accounts_at_start: Accounts with revenue at the start (the starting cohort).
        accounts_churned: Accounts of the cohort with no revenue at the end.
        start_revenue: The cohort's revenue at the start.
        churned_revenue: Starting revenue of the accounts that churned.
        contraction_revenue: Revenue lost by accounts that stayed, netted per account.
        expansion_revenue: Revenue gained by accounts that stayed, netted per account.
        new_business_revenue: NEW revenue booked in the period (outside GRR / NRR).
        reactivated_revenue: Returns of accounts that GRR / NRR count as churned or never had (outside both).

    Raises:
        InvalidValueError: an empty cohort (a rate over nothing is undefined, not 0), churn and contraction
            larger than the starting revenue, more churned than starting accounts, an empty period.
    """

    definition: RetentionDefinition
    period_start: date = attrs.field(validator=_checks.validator(_checks.a_date))
    period_end: date = attrs.field(validator=_checks.validator(_checks.a_date))
    accounts_at_start: int = attrs.field(validator=_checks.validator(_checks.count))
    accounts_churned: int = attrs.field(validator=_checks.validator(_checks.count))
    start_revenue: Decimal = attrs.field(converter=_to_start_revenue)
    churned_revenue: Decimal = attrs.field(converter=_to_churned_revenue)
    contraction_revenue: Decimal = attrs.field(converter=_to_contraction_revenue)
    expansion_revenue: Decimal = attrs.field(converter=_to_expansion_revenue)
    new_business_revenue: Decimal = attrs.field(default=ZERO, converter=_to_new_business_revenue)
    reactivated_revenue: Decimal = attrs.field(default=ZERO, converter=_to_reactivated_revenue)

    def __attrs_post_init__(self) -> None:
        if self.accounts_at_start == 0 or self.start_revenue == 0:
            raise _empty_cohort(self.accounts_at_start)
        if self.accounts_churned > self.accounts_at_start:
            raise InvalidValueError(
                "is larger than the accounts at start",
                field="accounts_churned",
                value=self.accounts_churned,
                constraint=f"must be <= accounts_at_start={self.accounts_at_start}",
                hint="count only accounts of the starting cohort",
            )
        lost = total(self.churned_revenue, self.contraction_revenue)
        if lost > self.start_revenue:
            raise InvalidValueError(
                "plus contraction is larger than the starting revenue",
                field="churned_revenue",
                value=self.churned_revenue,
                constraint=f"churned + contraction <= start_revenue={self.start_revenue}",
                hint="an account cannot lose more than it had; net each account against its own start",
            )
        if self.period_end <= self.period_start:
            raise InvalidValueError(
                "is not after period_start",
                field="period_end",
                value=self.period_end,
                constraint=f"must be after {self.period_start.isoformat()}",
                hint="a period lasts at least one day",
            )

    @classmethod
    def from_amounts(
        cls,
        *,
        period_start: date,
        start_revenue: Decimal | int | str,
        churned: Decimal | int | str,
        contraction: Decimal | int | str,
        expansion: Decimal | int | str,
        accounts_at_start: int,
        accounts_churned: int,
        definition: RetentionDefinition = DEFAULT_DEFINITION,
    ) -> RetentionReport:
        """Build a report from totals already netted per account (the form finance teams keep).

        Examples:
            >>> r = RetentionReport.from_amounts(period_start=date(2025, 1, 1), start_revenue=1_000_000,
            ...     churned=50_000, contraction=25_000, expansion=125_000, accounts_at_start=40, accounts_churned=2)
            >>> pct(r.grr), pct(r.nrr), pct(r.logo_retention)
            ('92.50 %', '105.00 %', '95.00 %')
        """
        _checks.a_date("period_start", period_start)
        return cls(
            definition=definition,
            period_start=period_start,
            period_end=definition.period_end(period_start),
            accounts_at_start=accounts_at_start,
            accounts_churned=accounts_churned,
            start_revenue=_checks.money("start_revenue", start_revenue),
            churned_revenue=_checks.money("churned", churned),
            contraction_revenue=_checks.money("contraction", contraction),
            expansion_revenue=_checks.money("expansion", expansion),
        )

    @property
    def accounts_retained(self) -> int:
        """Accounts of the starting cohort still paying at the end of the period."""
        return self.accounts_at_start - self.accounts_churned

    @property
    def retained_revenue(self) -> Decimal:
        """Start − churned − contraction: the starting revenue kept (expansion excluded)."""
        return minus(minus(self.start_revenue, self.churned_revenue), self.contraction_revenue)

    @property
    def end_revenue(self) -> Decimal:
        """Start − churned − contraction + expansion: the cohort's revenue at the end of the period."""
        return total(self.retained_revenue, self.expansion_revenue)

    @property
    def grr(self) -> Decimal:
        """Gross revenue retention = (start − churn − contraction) / start, never above 1."""
        return ratio(self.retained_revenue, self.start_revenue)

    @property
    def nrr(self) -> Decimal:
        """Net revenue retention = (start − churn − contraction + expansion) / start."""
        return ratio(self.end_revenue, self.start_revenue)

    @property
    def logo_retention(self) -> Decimal:
        """Accounts retained / accounts at start (domain-spec §6.1)."""
        return ratio(Decimal(self.accounts_retained), Decimal(self.accounts_at_start))

    @property
    def logo_churn(self) -> Decimal:
        """Accounts churned / accounts at start = 1 − logo retention."""
        return ratio(Decimal(self.accounts_churned), Decimal(self.accounts_at_start))

    @property
    def revenue_churn_rate(self) -> Decimal:
        """(Churn + contraction) / start = 1 − GRR: the share of the base lost in the period."""
        return ratio(total(self.churned_revenue, self.contraction_revenue), self.start_revenue)

    @property
    def expansion_rate(self) -> Decimal:
        """Expansion / start (domain-spec §6.7 "upsell / cross-sell rate", revenue form)."""
        return ratio(self.expansion_revenue, self.start_revenue)

    @property
    def replacement_growth(self) -> Decimal | None:
        """New business needed, relative to the retained base, just to stand still: (1 − GRR) / GRR.

        domain-spec I-3: computed, never the hard-coded "20-30 %". ``None`` when everything was lost.
        """
        retained = self.retained_revenue
        if retained == 0:
            return None
        return ratio(total(self.churned_revenue, self.contraction_revenue), retained)

    @property
    def expansion_working(self) -> bool:
        """NRR strictly above 100 % (domain-spec A-27: expansion is "working" when NRR exceeds 100 %)."""
        return self.end_revenue > self.start_revenue

    @property
    def shrinking(self) -> bool:
        """NRR below 100 %: the seeds' "negative NRR" (domain-spec A-9), existing revenue shrinking."""
        return self.end_revenue < self.start_revenue

    def annualised(self) -> RetentionReport:
        """Return the report in ARR (MRR amounts × 12, exact); an ARR report is returned unchanged."""
        if self.definition.basis is RevenueBasis.ARR:
            return self
        return attrs.evolve(
            self,
            definition=attrs.evolve(self.definition, basis=RevenueBasis.ARR),
            start_revenue=times(self.start_revenue, TWELVE),
            churned_revenue=times(self.churned_revenue, TWELVE),
            contraction_revenue=times(self.contraction_revenue, TWELVE),
            expansion_revenue=times(self.expansion_revenue, TWELVE),
            new_business_revenue=times(self.new_business_revenue, TWELVE),
            reactivated_revenue=times(self.reactivated_revenue, TWELVE),
        )

    def explain(self) -> list[str]:
        """Plain sentences: the cohort, each rate with its arithmetic, and where it sits against benchmarks."""
        basis = self.definition.basis.name
        start = amount(self.start_revenue)
        lines = [
            f"Cohort: {self.accounts_at_start} account(s) with {start} {basis} on {self.period_start.isoformat()}; "
            f"period to {self.period_end.isoformat()} (exclusive), {self.definition.describe()}.",
            f"GRR {pct(self.grr)} = ({start} − churn {amount(self.churned_revenue)} − contraction "
            f"{amount(self.contraction_revenue)}) / {start}; capped at 100 % account by account.",
            f"NRR {pct(self.nrr)} = ({start} − churn {amount(self.churned_revenue)} − contraction "
            f"{amount(self.contraction_revenue)} + expansion {amount(self.expansion_revenue)}) / {start}.",
            f"Logo retention {pct(self.logo_retention)} ({self.accounts_retained} of {self.accounts_at_start} "
            f"kept); logo churn {pct(self.logo_churn)}.",
        ]
        low, high = GRR_BENCHMARK
        grr = self.grr
        where = "below" if grr < low else "above" if grr > high else "within"
        lines.append(f"GRR is {where} the 90-95 % benchmark (domain-spec §6.2).")
        if self.expansion_working:
            premium = self.nrr >= NRR_PREMIUM_VALUATION
            tail = " and at or above the 120 % that earns a premium valuation" if premium else ""
            lines.append(f"NRR above 100 %: revenue from existing customers grows faster than it is lost{tail}.")
        elif self.shrinking:
            lines.append("NRR below 100 %: revenue from existing customers is shrinking (the seeds' 'negative NRR').")
        else:
            lines.append("NRR exactly 100 %: expansion exactly offsets churn and contraction.")
        nrr = self.nrr
        for (low, high), what in ((NRR_REACTIVE, "a reactive expansion approach"),
                                  (NRR_SYSTEMATIC_EXPANSION, "a systematic expansion motion")):  # fmt: skip
            if low <= nrr <= high:
                lines.append(f"NRR is within the {pct(low, 0)}-{pct(high, 0)} of {what} (domain-spec §6.4).")
        growth = self.replacement_growth
        if growth is not None and growth > 0:
            lines.append(
                f"Standing still needs new business of {pct(growth)} of the retained base "
                f"({amount(total(self.churned_revenue, self.contraction_revenue))} {basis})."
            )
        if self.new_business_revenue or self.reactivated_revenue:
            lines.append(
                f"Not in GRR/NRR: new business {amount(self.new_business_revenue)}, "
                f"returning accounts {amount(self.reactivated_revenue)}."
            )
        return lines


@attrs.frozen
class _Figures:
    """One account's figures over one period (private)."""

    start: Decimal
    end: Decimal
    new_business: Decimal
    reactivated: Decimal
    upsell: Decimal
    cross_sell: Decimal
    other_expansion: Decimal


def _figures(ledger: RevenueLedger, start: date, end: date, policy: ReactivationPolicy) -> dict[str, _Figures]:
    by_account: dict[str, list[RevenueMovement]] = {}
    for _, move in _ordered(ledger.movements):
        by_account.setdefault(move.account_id, []).append(move)
    result: dict[str, _Figures] = {}
    for account, moves in by_account.items():
        opening = ZERO
        balance = ZERO
        churned = False
        new = reactivated = upsell = cross = other = ZERO
        for move in moves:
            if move.on >= end:
                break
            if move.on < start:
                balance = opening = _apply(opening, move)
                continue
            balance = _apply(balance, move)
            if move.kind is MovementKind.CHURN:
                churned = True
            elif move.kind is MovementKind.NEW:
                new = total(new, move.amount)
            elif move.kind is MovementKind.REACTIVATION and (opening == 0 or policy is ReactivationPolicy.EXCLUDE):
                reactivated = total(reactivated, move.amount)
            elif move.kind is MovementKind.EXPANSION and opening > 0:
                if move.motion is ExpansionMotion.UPSELL:
                    upsell = total(upsell, move.amount)
                elif move.motion is ExpansionMotion.CROSS_SELL:
                    cross = total(cross, move.amount)
                else:
                    other = total(other, move.amount)
        end_revenue = ZERO if churned and policy is ReactivationPolicy.EXCLUDE and opening > 0 else balance
        result[account] = _Figures(opening, end_revenue, new, reactivated, upsell, cross, other)
    return result


def _report(figures: Iterable[_Figures], *, start: date, end: date, definition: RetentionDefinition) -> RetentionReport:
    at_start = churned_count = 0
    opening = churned = contraction = expansion = new = reactivated = ZERO
    for fig in figures:
        new = total(new, fig.new_business)
        reactivated = total(reactivated, fig.reactivated)
        if fig.start == 0:
            continue
        at_start += 1
        opening = total(opening, fig.start)
        if fig.end == 0:
            churned_count += 1
            churned = total(churned, fig.start)
        elif fig.end < fig.start:
            contraction = total(contraction, minus(fig.start, fig.end))
        else:
            expansion = total(expansion, minus(fig.end, fig.start))
    return RetentionReport(
        definition=definition,
        period_start=start,
        period_end=end,
        accounts_at_start=at_start,
        accounts_churned=churned_count,
        start_revenue=opening,
        churned_revenue=churned,
        contraction_revenue=contraction,
        expansion_revenue=expansion,
        new_business_revenue=new,
        reactivated_revenue=reactivated,
    )


def _check_inputs(ledger: Any, start: Any, definition: Any) -> None:
    if not isinstance(ledger, RevenueLedger):
        raise InvalidTypeError(
            "is not a RevenueLedger", field="ledger", value=type(ledger).__name__, hint="build RevenueLedger(movements)"
        )
    _checks.a_date("start", start)
    if not isinstance(definition, RetentionDefinition):
        raise InvalidTypeError(
            "is not a RetentionDefinition",
            field="definition",
            value=type(definition).__name__,
            hint="build RetentionDefinition(...)",
        )


def retention(
    ledger: RevenueLedger,
    *,
    start: date,
    definition: RetentionDefinition = DEFAULT_DEFINITION,
    accounts: Collection[str] | None = None,
) -> RetentionReport:
    """Measure GRR, NRR, logo retention, churn and expansion of the cohort active at ``start``.

    Args:
        ledger: The revenue movements.
        start: First day of the period; the cohort is every account with revenue at the start of that day.
        definition: Basis, reactivation policy and period length (default: ARR, EXCLUDE, 12 months).
        accounts: Restrict the cohort to these accounts (default: every account).

    Returns:
        The :class:`RetentionReport` of the period ``[start, start + period_months)``.

    Raises:
        InvalidValueError: the cohort is empty (a rate over nothing is undefined, not 0).

    Examples:
        >>> ledger = RevenueLedger([
        ...     RevenueMovement("a", date(2024, 1, 1), "NEW", 600),
        ...     RevenueMovement("b", date(2024, 1, 1), "NEW", 400),
        ...     RevenueMovement("a", date(2025, 6, 1), "EXPANSION", 150),
        ...     RevenueMovement("b", date(2025, 9, 1), "CHURN", 400),
        ... ])
        >>> report = retention(ledger, start=date(2025, 1, 1))
        >>> pct(report.grr), pct(report.nrr), pct(report.logo_churn)
        ('60.00 %', '75.00 %', '50.00 %')
    """
    _check_inputs(ledger, start, definition)
    end = definition.period_end(start)
    figures = _figures(ledger, start, end, definition.reactivations)
    if accounts is not None:
        if isinstance(accounts, str):
            raise InvalidTypeError(
                "is a single string", field="accounts", value=accounts, hint="pass a collection of ids, e.g. {'acme'}"
            )
        wanted = set(accounts)
        figures = {k: v for k, v in figures.items() if k in wanted}
    return _report(figures.values(), start=start, end=end, definition=definition)


@attrs.frozen
class CohortRetention:
    """The retention of one cohort (``key`` is e.g. ``"2024-03"``, ``"ENTERPRISE"`` or a label value)."""

    key: str
    report: RetentionReport


@attrs.frozen
class RetentionBreakdown:
    """Retention of a whole starting cohort and of each of its sub-cohorts, over the same period.

    The total's NRR is the start-revenue-weighted mean of the cohorts' NRRs (and likewise GRR).
    """

    total: RetentionReport
    cohorts: tuple[CohortRetention, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        """The cohort keys, sorted."""
        return tuple(c.key for c in self.cohorts)

    def cohort(self, key: str) -> RetentionReport:
        """Return the report of cohort ``key``.

        Raises:
            UnknownNameError: no account of the starting cohort has that key.
        """
        for item in self.cohorts:
            if item.key == key:
                return item.report
        raise UnknownNameError(
            "is not a cohort of this breakdown", field="key", value=key, hint=f"pass one of {', '.join(self.keys)}"
        )

    def explain(self) -> list[str]:
        """One sentence per cohort, then the total."""
        lines = [
            f"Cohort {c.key}: {c.report.accounts_at_start} account(s), {amount(c.report.start_revenue)} at start, "
            f"GRR {pct(c.report.grr)}, NRR {pct(c.report.nrr)}, logo retention {pct(c.report.logo_retention)}."
            for c in self.cohorts
        ]
        t = self.total
        lines.append(
            f"All cohorts: {t.accounts_at_start} account(s), GRR {pct(t.grr)}, NRR {pct(t.nrr)} "
            "(each the start-revenue-weighted mean of the cohorts')."
        )
        return lines


def retention_by_cohort(
    ledger: RevenueLedger,
    *,
    start: date,
    cohorts: Mapping[str, str],
    definition: RetentionDefinition = DEFAULT_DEFINITION,
) -> RetentionBreakdown:
    """Measure retention of the cohort active at ``start``, split into sub-cohorts.

    Args:
        ledger: The revenue movements.
        start: First day of the period.
        cohorts: Account id → cohort key; build it with :func:`cohorts_by_start_month`,
            :func:`cohorts_by_segment`, :func:`cohorts_by_label` or any mapping of your own.
        definition: Basis, reactivation policy and period length.

    Returns:
        The total and one report per key present in the starting cohort (sorted by key).

    Raises:
        UnknownNameError: an account of the starting cohort has no key in ``cohorts``.
        InvalidValueError: the starting cohort is empty.

    Examples:
        >>> ledger = RevenueLedger([
        ...     RevenueMovement("a", date(2024, 1, 9), "NEW", 600), RevenueMovement("b", date(2024, 2, 1), "NEW", 400),
        ...     RevenueMovement("b", date(2025, 9, 1), "CONTRACTION", 100),
        ... ])
        >>> split = retention_by_cohort(ledger, start=date(2025, 1, 1), cohorts=cohorts_by_start_month(ledger))
        >>> split.keys, pct(split.cohort("2024-02").grr), pct(split.total.grr)
        (('2024-01', '2024-02'), '75.00 %', '90.00 %')
    """
    _check_inputs(ledger, start, definition)
    end = definition.period_end(start)
    figures = _figures(ledger, start, end, definition.reactivations)
    starting = sorted(a for a, f in figures.items() if f.start > 0)
    missing = [a for a in starting if a not in cohorts]
    if missing:
        shown = ", ".join(repr(a) for a in missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise UnknownNameError(
            f"has no key for {len(missing)} account(s) of the starting cohort: {shown}",
            field="cohorts",
            constraint="every account with revenue at the start needs a cohort key",
            hint="add the accounts to the mapping (cohorts_by_label fills a default for missing labels)",
        )
    groups: dict[str, list[_Figures]] = {}
    for account in starting:
        groups.setdefault(_checks.text(f"cohorts[{account!r}]", cohorts[account]), []).append(figures[account])
    total_report = _report(figures.values(), start=start, end=end, definition=definition)
    parts = tuple(
        CohortRetention(key, _report(groups[key], start=start, end=end, definition=definition))
        for key in sorted(groups)
    )
    return RetentionBreakdown(total=total_report, cohorts=parts)


def cohorts_by_start_month(ledger: RevenueLedger) -> dict[str, str]:
    """Return account → ``"YYYY-MM"``, the month of the account's NEW movement (its acquisition cohort).

    Examples:
        >>> cohorts_by_start_month(RevenueLedger([RevenueMovement("a", date(2024, 2, 29), "NEW", 1)]))
        {'a': '2024-02'}
    """
    _checks.instance("ledger", ledger, RevenueLedger, hint="build RevenueLedger(movements)")
    result: dict[str, str] = {}
    for move in ledger.movements:
        if move.kind is MovementKind.NEW:
            result[move.account_id] = f"{move.on.year:04d}-{move.on.month:02d}"
    return result


def _snapshots(snapshots: Iterable[AccountSnapshot]) -> list[AccountSnapshot]:
    result = list(_checks.items("snapshots", snapshots))
    for index, snap in enumerate(result):
        if not isinstance(snap, AccountSnapshot):
            raise InvalidTypeError(
                "is not an AccountSnapshot", field=f"snapshots[{index}]", value=snap, hint="pass AccountSnapshot values"
            )
    return result


def cohorts_by_segment(snapshots: Iterable[AccountSnapshot]) -> dict[str, str]:
    """Return account → segment name (``"ENTERPRISE"`` ...); a later snapshot of an account wins.

    Examples:
        >>> snap = AccountSnapshot("a", "SMB", date(2025, 1, 1))
        >>> cohorts_by_segment([snap])
        {'a': 'SMB'}
    """
    return {s.account_id: s.segment.name for s in _snapshots(snapshots)}


def cohorts_by_label(snapshots: Iterable[AccountSnapshot], label: str, *, missing: str = "(none)") -> dict[str, str]:
    """Return account → the value of ``label`` (``missing`` when the account has no such label).

    Examples:
        >>> snaps = [AccountSnapshot("a", "SMB", date(2025, 1, 1), labels={"region": "APAC"}),
        ...          AccountSnapshot("b", "SMB", date(2025, 1, 1))]
        >>> cohorts_by_label(snaps, "region")
        {'a': 'APAC', 'b': '(none)'}
    """
    _checks.text("label", label)
    _checks.text("missing", missing)
    return {s.account_id: s.labels.get(label, missing) for s in _snapshots(snapshots)}


@attrs.frozen
class UpsellCrossSell:
    """Upsell and cross-sell of a starting cohort over a period (domain-spec §6.7 KPI 3, §7.1).

    Amounts are the gross EXPANSION movements booked in the period by accounts of the starting cohort,
    by motion; the revenue rates divide them by the cohort's starting revenue, the customer rate counts
    accounts with at least one expansion.
    """

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
    ledger: RevenueLedger, *, start: date, definition: RetentionDefinition = DEFAULT_DEFINITION
) -> UpsellCrossSell:
    """Measure upsell and cross-sell of the cohort active at ``start`` (gross EXPANSION movements by motion).

    Raises:
        InvalidValueError: the starting cohort is empty.

    Examples:
        >>> ledger = RevenueLedger([
        ...     RevenueMovement("a", date(2024, 1, 1), "NEW", 800), RevenueMovement("b", date(2024, 1, 1), "NEW", 200),
        ...     RevenueMovement("a", date(2025, 2, 1), "EXPANSION", 100, motion="UPSELL"),
        ...     RevenueMovement("a", date(2025, 3, 1), "EXPANSION", 50, motion="CROSS_SELL"),
        ... ])
        >>> mix = upsell_cross_sell(ledger, start=date(2025, 1, 1))
        >>> pct(mix.upsell_rate), pct(mix.cross_sell_rate), pct(mix.customer_rate)
        ('10.00 %', '5.00 %', '50.00 %')
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
