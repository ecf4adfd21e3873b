"""What a retention figure means (the definition) and the report of one starting cohort over one period."""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from postsale import _checks
from postsale._errors import DefinitionError, InvalidValueError, Problem, UnknownNameError
from postsale._repr import readable
from postsale.kpi._numbers import TWELVE, ZERO, amount, minus, of_type, pct, ratio, times, total

__all__ = [
    "DEFAULT_RETENTION_DEFINITION",
    "GRR_BENCHMARK",
    "GRR_MATURE",
    "GRR_WEAK",
    "NRR_MATURE",
    "NRR_PREMIUM_VALUATION",
    "NRR_REACTIVE",
    "NRR_SYSTEMATIC_EXPANSION",
    "ReactivationPolicy",
    "RetentionDefinition",
    "RetentionReport",
    "RevenueBasis",
]

DEFAULT_PERIOD_MONTHS = 12
"""Retention is measured over 12 months unless said otherwise."""

MAX_PERIOD_MONTHS = 120
"""Longest accepted period (ten years)."""

GRR_BENCHMARK = (Decimal("0.90"), Decimal("0.95"))
"""The normal / good GRR benchmark, 90-95 %."""

GRR_MATURE = (Decimal("0.90"), Decimal("0.98"))
"""GRR of mature post-sale operations, 90-98 %."""

GRR_WEAK = (Decimal("0.70"), Decimal("0.85"))
"""GRR of weak post-sale operations, 70-85 %."""

NRR_PREMIUM_VALUATION = Decimal("1.20")
"""NRR at or above 120 % earns a premium valuation."""

NRR_MATURE = (Decimal("1.10"), Decimal("1.30"))
"""NRR of mature post-sale operations, 110-130 %."""

NRR_SYSTEMATIC_EXPANSION = (Decimal("1.20"), Decimal("1.30"))
"""NRR of a systematic expansion motion, 120-130 %."""

NRR_REACTIVE = (Decimal("0.95"), Decimal("1.05"))
"""NRR of a reactive expansion approach, 95-105 %."""


class RevenueBasis(enum.Enum):
    """What the amounts of a ledger are: annual (ARR) or monthly (MRR) recurring revenue.

    Rates (GRR, NRR ...) do not depend on the basis as long as every amount uses the same one; the basis
    labels the amounts and lets :meth:`RetentionReport.annualised` turn MRR into ARR (× 12, exact).

    Examples:
        >>> monthly = RetentionReport.from_amounts(
        ...     period_start=date(2025, 1, 1), start_revenue=10_000, churned=500, contraction=0, expansion=1_000,
        ...     accounts_at_start=20, accounts_churned=1, definition=RetentionDefinition(basis=RevenueBasis.MRR))
        >>> yearly = monthly.annualised()
        >>> yearly.definition.basis, yearly.start_revenue, yearly.nrr == monthly.nrr
        (<RevenueBasis.ARR: 'arr'>, Decimal('120000'), True)
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

    Examples:
        >>> RetentionDefinition(reactivations="within_period").reactivations
        <ReactivationPolicy.WITHIN_PERIOD: 'within_period'>
    """

    EXCLUDE = "exclude"
    WITHIN_PERIOD = "within_period"


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

    __repr__ = readable
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
        """Return the first day after a period that starts on ``start`` (from the anchor, never stepped).

        Raises:
            InvalidTypeError: ``start`` is not a date.
            InvalidValueError: the period would end after 9999-12-31.
        """
        _checks.a_date("start", start)
        try:
            return start + relativedelta(months=self.period_months)
        except (ValueError, OverflowError):
            raise InvalidValueError(
                "leaves no room for the period",
                field="start",
                value=start,
                constraint=f"the {self.period_months}-month period must end by 9999-12-31",
                hint="pass the real start of the period",
            ) from None


DEFAULT_RETENTION_DEFINITION = RetentionDefinition()
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


@attrs.frozen
class RetentionReport:
    """Revenue and logo retention of one starting cohort over one period.

    The amounts are per-account netted against each account's starting revenue (see ``docs/kpi.md``),
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

    Examples:
        >>> report = RetentionReport.from_amounts(period_start=date(2025, 1, 1), start_revenue=1_000_000,
        ...     churned=50_000, contraction=25_000, expansion=125_000, accounts_at_start=40, accounts_churned=2)
        >>> report.grr, report.nrr, report.replacement_growth
        (Decimal('0.925'), Decimal('1.05'), Decimal('0.08108108108108108108108108108'))
        >>> report.explain()[1]
        'GRR 92.50 % = (1,000,000 − churn 50,000 − contraction 25,000) / 1,000,000; capped at 100 % account by account.'
    """

    __repr__ = readable
    definition: RetentionDefinition = attrs.field(validator=of_type(RetentionDefinition))
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
        definition: RetentionDefinition = DEFAULT_RETENTION_DEFINITION,
    ) -> RetentionReport:
        """Build a report from totals already netted per account (the form finance teams keep).

        Examples:
            >>> r = RetentionReport.from_amounts(period_start=date(2025, 1, 1), start_revenue=1_000_000,
            ...     churned=50_000, contraction=25_000, expansion=125_000, accounts_at_start=40, accounts_churned=2)
            >>> r.grr, r.nrr, r.logo_retention
            (Decimal('0.925'), Decimal('1.05'), Decimal('0.95'))
        """
        _checks.a_date("period_start", period_start)
        _checks.instance("definition", definition, RetentionDefinition, hint="pass RetentionDefinition(...)")
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
        """Accounts retained / accounts at start."""
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
        """Expansion / start."""
        return ratio(self.expansion_revenue, self.start_revenue)

    @property
    def replacement_growth(self) -> Decimal | None:
        """New business needed, relative to the retained base, just to stand still: (1 − GRR) / GRR.

        Computed, never a hard-coded "20-30 %". ``None`` when everything was lost.
        """
        retained = self.retained_revenue
        if retained == 0:
            return None
        return ratio(total(self.churned_revenue, self.contraction_revenue), retained)

    @property
    def expansion_working(self) -> bool:
        """NRR strictly above 100 % (expansion is "working" when NRR exceeds 100 %)."""
        return self.end_revenue > self.start_revenue

    @property
    def shrinking(self) -> bool:
        """NRR below 100 %: the seeds' "negative NRR", existing revenue shrinking."""
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
        lines.append(f"GRR is {where} the 90-95 % benchmark.")
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
                lines.append(f"NRR is within the {pct(low, 0)}-{pct(high, 0)} of {what}.")
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
