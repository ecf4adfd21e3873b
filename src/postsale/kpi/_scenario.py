"""The economic scenario projection: a cohort under renewal and expansion rates, compounded over years.

The seeds' scenario (100 customers at 50 000) is reproduced exactly; the source's "2.9M delta" is an
arithmetic error (the exact delta is 1 962 500); the "net position" counts the CAC, which both scenarios spend.

Every amount is an exact :class:`~decimal.Decimal`: each year's revenue is the previous year's times the
renewal rate times (1 + the expansion rate), computed without rounding, so the seeds' figures come out
to the cent and any number of years compounds exactly.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from postsale import _checks
from postsale._errors import InvalidTypeError, InvalidValueError
from postsale._repr import readable
from postsale.kpi._numbers import (
    ONE,
    TWELVE,
    ZERO,
    amount,
    minus,
    of_type,
    pct,
    positive_money,
    rate,
    ratio,
    tidy,
    times,
    to_decimal,
    total,
)

__all__ = [
    "SEED_COHORT",
    "WITHOUT_POST_SALE",
    "WITH_POST_SALE",
    "Projection",
    "RetentionScenario",
    "ScenarioCohort",
    "ScenarioComparison",
    "YearDifference",
    "YearFigures",
    "compare_scenarios",
    "project",
]

_MAX_YEARS = 100
"""Longest projection accepted."""

_MAX_EXPANSION_RATE = Decimal(10)
"""Largest yearly expansion rate accepted (1 000 %); a larger one is almost surely a percentage typed as 15."""


def _acv(value: Any) -> Decimal:
    return positive_money("acv", value)


def _cac(value: Any) -> Decimal:
    return _checks.money("cac", value)


@attrs.frozen
class ScenarioCohort:
    """A cohort of customers acquired together: how many, their ACV and the CAC paid for each.

    Examples:
        >>> SEED_COHORT.total_acv, SEED_COHORT.total_cac, SEED_COHORT.payback_months
        (Decimal('5000000'), Decimal('5000000'), Decimal('12'))
    """

    __repr__ = readable
    customers: int = attrs.field(validator=_checks.validator(_checks.count))
    acv: Decimal = attrs.field(converter=_acv)
    cac: Decimal = attrs.field(converter=_cac)

    def __attrs_post_init__(self) -> None:
        if self.customers == 0:
            raise InvalidValueError(
                "is zero",
                field="customers",
                value=0,
                constraint="a cohort has at least one customer",
                hint="pass the number of customers acquired",
            )

    @property
    def total_acv(self) -> Decimal:
        """Customers × ACV: the cohort's starting ARR."""
        return times(Decimal(self.customers), self.acv)

    @property
    def total_cac(self) -> Decimal:
        """Customers × CAC: what acquiring the cohort cost."""
        return times(Decimal(self.customers), self.cac)

    @property
    def payback_months(self) -> Decimal:
        """Total CAC / (total ACV / 12): months to recover the CAC at 100 % retention."""
        return ratio(times(self.total_cac, TWELVE), self.total_acv)


def _renewal(value: Any) -> Decimal:
    return rate("renewal_rate", value)


def _expansion(value: Any) -> Decimal:
    return rate("expansion_rate", value, upper=_MAX_EXPANSION_RATE)


@attrs.frozen
class RetentionScenario:
    """A retention scenario: the share of revenue renewed each year and the expansion of what renews.

    NRR = renewal rate × (1 + expansion rate), the seeds' simple model.

    Examples:
        >>> RetentionScenario("today", renewal_rate=0.85, expansion_rate=0.05).nrr, WITH_POST_SALE.nrr
        (Decimal('0.8925'), Decimal('1.0925'))
    """

    __repr__ = readable
    name: str = attrs.field(validator=_checks.validator(_checks.text))
    renewal_rate: Decimal = attrs.field(converter=_renewal)
    expansion_rate: Decimal = attrs.field(default=ZERO, converter=_expansion)

    @property
    def nrr(self) -> Decimal:
        """Renewal rate × (1 + expansion rate), exact."""
        return times(self.renewal_rate, ONE + self.expansion_rate)


SEED_COHORT = ScenarioCohort(customers=100, acv=50_000, cac=50_000)
"""100 customers at 50 000 ACV, 50 000 CAC each."""

WITHOUT_POST_SALE = RetentionScenario("without post-sale", renewal_rate=Decimal("0.70"))
"""70 % year-1 renewal, the industry average for low/no-touch."""

WITH_POST_SALE = RetentionScenario("with post-sale", renewal_rate=Decimal("0.95"), expansion_rate=Decimal("0.15"))
"""95 % renewal and 15 % average account growth."""

_SOURCE_STATED: dict[str, Decimal] = {
    "year1_revenue_with": Decimal(5_400_000),
    "nrr_with": Decimal("1.09"),
    "revenue_added_with": Decimal(400_000),
    "delta": Decimal(2_900_000),
}
"""The figures as the source article states them (truncated, and a wrong delta), kept only for reference.

The article says 5.4M, 109 %, 0.4M and "a 2.9M delta"; its own inputs give 5 462 500,
109.25 %, 462 500 and 1 962 500. The library computes; it never outputs these.
"""


def _to_start_revenue(value: Any) -> Decimal:
    return to_decimal("start_revenue", value)


def _to_churned(value: Any) -> Decimal:
    return to_decimal("churned", value)


def _to_expansion(value: Any) -> Decimal:
    return to_decimal("expansion", value)


def _to_end_revenue(value: Any) -> Decimal:
    return to_decimal("end_revenue", value)


def _to_nrr(value: Any) -> Decimal:
    return to_decimal("nrr", value)


def _to_revenue_added(value: Any) -> Decimal:
    return to_decimal("revenue_added", value)


def _to_net_position(value: Any) -> Decimal:
    return to_decimal("net_position", value)


@attrs.frozen
class YearFigures:
    """One projected year: revenue at its start and end, what churned, what expanded, and the running position.

    Attributes:
        year: 1 for the first year.
        start_revenue: ARR at the start of the year.
        churned: start × (1 − renewal rate).
        expansion: start × renewal rate × expansion rate.
        end_revenue: start − churned + expansion = start × NRR.
        nrr: The year's NRR (renewal × (1 + expansion)).
        revenue_added: end revenue − the cohort's initial ARR ("revenue added without new acquisition").
        net_position: revenue added − total CAC (the seeds' "net position vs expectations").

    Examples:
        >>> year1 = project(SEED_COHORT, WITH_POST_SALE).year(1)
        >>> year1.end_revenue, year1.revenue_added, year1.nrr
        (Decimal('5462500'), Decimal('462500'), Decimal('1.0925'))
    """

    __repr__ = readable
    year: int = attrs.field(validator=_checks.validator(_checks.count))
    start_revenue: Decimal = attrs.field(converter=_to_start_revenue)
    churned: Decimal = attrs.field(converter=_to_churned)
    expansion: Decimal = attrs.field(converter=_to_expansion)
    end_revenue: Decimal = attrs.field(converter=_to_end_revenue)
    nrr: Decimal = attrs.field(converter=_to_nrr)
    revenue_added: Decimal = attrs.field(converter=_to_revenue_added)
    net_position: Decimal = attrs.field(converter=_to_net_position)


def _years(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValueError("expected a whole number of years", field="years", value=value, hint="pass e.g. 3")
    if not 1 <= value <= _MAX_YEARS:
        raise InvalidValueError(
            "is out of range", field="years", value=value, constraint=f"1 <= years <= {_MAX_YEARS}", hint="pass e.g. 3"
        )
    return value


def _to_years(value: Any) -> tuple[YearFigures, ...]:
    return _checks.items("years", value, YearFigures)


@attrs.frozen
class Projection:
    """A cohort projected under one scenario, year by year.

    Examples:
        >>> p = project(SEED_COHORT, WITH_POST_SALE, years=2)
        >>> [y.end_revenue for y in p.years]
        [Decimal('5462500'), Decimal('5967781.25')]
        >>> p.explain()[0]
        'with post-sale: renewal 95.00 %, expansion 15.00 % of what renews, NRR 109.25 % a year, from 5,000,000 ARR.'
    """

    __repr__ = readable
    cohort: ScenarioCohort = attrs.field(validator=of_type(ScenarioCohort))
    scenario: RetentionScenario = attrs.field(validator=of_type(RetentionScenario))
    years: tuple[YearFigures, ...] = attrs.field(converter=_to_years)

    def year(self, n: int) -> YearFigures:
        """Return the figures of year ``n`` (1-based).

        Raises:
            InvalidValueError: ``n`` is not a projected year.
        """
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= len(self.years):
            raise InvalidValueError(
                "is not a projected year", field="n", value=n, constraint=f"1 <= n <= {len(self.years)}"
            )
        return self.years[n - 1]

    @property
    def final(self) -> YearFigures:
        """The last projected year."""
        return self.years[-1]

    def explain(self) -> list[str]:
        """One sentence for the scenario, then one per year."""
        s = self.scenario
        lines = [
            f"{s.name}: renewal {pct(s.renewal_rate)}, expansion {pct(s.expansion_rate)} of what renews, "
            f"NRR {pct(s.nrr)} a year, from {amount(self.cohort.total_acv)} ARR."
        ]
        lines += [
            f"Year {y.year}: {amount(y.start_revenue)} − churn {amount(y.churned)} + expansion "
            f"{amount(y.expansion)} = {amount(y.end_revenue)}; revenue added {amount(y.revenue_added)}; "
            f"net position after CAC {amount(y.net_position)}."
            for y in self.years
        ]
        return lines


def project(cohort: ScenarioCohort, scenario: RetentionScenario, *, years: int = 1) -> Projection:
    """Project a cohort's ARR under a scenario, compounding exactly year after year.

    Args:
        cohort: Customers, ACV and CAC.
        scenario: Renewal and expansion rates.
        years: How many years to project (1-100).

    Raises:
        InvalidValueError: ``years`` outside 1-100, or a cohort / scenario of the wrong type.

    Examples:
        >>> p = project(SEED_COHORT, WITHOUT_POST_SALE)
        >>> p.final.end_revenue, p.final.churned, p.final.net_position
        (Decimal('3500000'), Decimal('1500000'), Decimal('-6500000'))
    """
    if not isinstance(cohort, ScenarioCohort):
        raise InvalidTypeError(
            "is not a ScenarioCohort", field="cohort", value=cohort, hint="build ScenarioCohort(...)"
        )
    if not isinstance(scenario, RetentionScenario):
        raise InvalidTypeError(
            "is not a RetentionScenario", field="scenario", value=scenario, hint="build RetentionScenario(...)"
        )
    n = _years(years)
    initial = cohort.total_acv
    lost_share = minus(ONE, scenario.renewal_rate)
    revenue = initial
    figures = []
    for year in range(1, n + 1):
        churned = times(revenue, lost_share)
        expansion = times(revenue, scenario.renewal_rate, scenario.expansion_rate)
        end = total(minus(revenue, churned), expansion)
        added = minus(end, initial)
        figures.append(
            YearFigures(
                year,
                tidy(revenue),
                tidy(churned),
                tidy(expansion),
                tidy(end),
                scenario.nrr,
                tidy(added),
                tidy(minus(added, cohort.total_cac)),
            )
        )
        revenue = end
    return Projection(cohort, scenario, tuple(figures))


def _to_baseline_revenue(value: Any) -> Decimal:
    return to_decimal("baseline_revenue", value)


def _to_alternative_revenue(value: Any) -> Decimal:
    return to_decimal("alternative_revenue", value)


def _to_difference(value: Any) -> Decimal:
    return to_decimal("difference", value)


def _to_cumulative(value: Any) -> Decimal:
    return to_decimal("cumulative", value)


@attrs.frozen
class YearDifference:
    """The gap between two scenarios in one year: year-end ARR of each, the difference and its running sum.

    ``cumulative`` is the sum of the year-end differences so far: the extra revenue billed over the
    following years when each year-end ARR is billed for the next year.

    Examples:
        >>> gap = compare_scenarios(SEED_COHORT, WITHOUT_POST_SALE, WITH_POST_SALE).differences[0]
        >>> gap.baseline_revenue, gap.alternative_revenue, gap.difference
        (Decimal('3500000'), Decimal('5462500'), Decimal('1962500'))
    """

    __repr__ = readable
    year: int = attrs.field(validator=_checks.validator(_checks.count))
    baseline_revenue: Decimal = attrs.field(converter=_to_baseline_revenue)
    alternative_revenue: Decimal = attrs.field(converter=_to_alternative_revenue)
    difference: Decimal = attrs.field(converter=_to_difference)
    cumulative: Decimal = attrs.field(converter=_to_cumulative)


def _to_differences(value: Any) -> tuple[YearDifference, ...]:
    return _checks.items("differences", value, YearDifference)


@attrs.frozen
class ScenarioComparison:
    """Two projections of the same cohort and their per-year and cumulative differences.

    The seeds' scenario is ``compare_scenarios(SEED_COHORT, WITHOUT_POST_SALE, WITH_POST_SALE)``.

    Examples:
        >>> seeds = compare_scenarios(SEED_COHORT, WITHOUT_POST_SALE, WITH_POST_SALE)
        >>> seeds.explain()[-1]
        'The source states a 2,900,000 delta; its own inputs give 1,962,500 (an arithmetic error in the source).'
    """

    __repr__ = readable
    baseline: Projection = attrs.field(validator=of_type(Projection))
    alternative: Projection = attrs.field(validator=of_type(Projection))
    differences: tuple[YearDifference, ...] = attrs.field(converter=_to_differences)

    def explain(self) -> list[str]:
        """The walk-through: the cohort, each scenario year by year, the differences (and the source's error for the
        seeds' scenario)."""
        c = self.baseline.cohort
        lines = [
            f"Cohort: {c.customers} customer(s) × {amount(c.acv)} ACV = {amount(c.total_acv)} ARR; CAC "
            f"{amount(c.cac)} each = {amount(c.total_cac)}; payback {c.payback_months} months at 100 % retention."
        ]
        lines += self.baseline.explain() + self.alternative.explain()
        lines += [
            f"Year {d.year}: {self.alternative.scenario.name} − {self.baseline.scenario.name} = "
            f"{amount(d.alternative_revenue)} − {amount(d.baseline_revenue)} = {amount(d.difference)}; "
            f"cumulative {amount(d.cumulative)}."
            for d in self.differences
        ]
        seeds = (c, self.baseline.scenario, self.alternative.scenario) == (
            SEED_COHORT,
            WITHOUT_POST_SALE,
            WITH_POST_SALE,
        )
        if seeds and self.differences:
            lines.append(
                f"The source states a {amount(_SOURCE_STATED['delta'])} delta; its own inputs give "
                f"{amount(self.differences[0].difference)} (an arithmetic error in the source)."
            )
        return lines


def compare_scenarios(
    cohort: ScenarioCohort, baseline: RetentionScenario, alternative: RetentionScenario, *, years: int = 1
) -> ScenarioComparison:
    """Project one cohort under two scenarios and give the difference per year and cumulated.

    Examples:
        >>> cmp = compare_scenarios(SEED_COHORT, WITHOUT_POST_SALE, WITH_POST_SALE, years=2)
        >>> [(d.year, d.difference, d.cumulative) for d in cmp.differences]
        [(1, Decimal('1962500'), Decimal('1962500')), (2, Decimal('3517781.25'), Decimal('5480281.25'))]
    """
    base = project(cohort, baseline, years=years)
    alt = project(cohort, alternative, years=years)
    running = ZERO
    diffs = []
    for b, a in zip(base.years, alt.years, strict=True):
        gap = minus(a.end_revenue, b.end_revenue)
        running = total(running, gap)
        diffs.append(YearDifference(b.year, b.end_revenue, a.end_revenue, tidy(gap), tidy(running)))
    return ScenarioComparison(base, alt, tuple(diffs))
