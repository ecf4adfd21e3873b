"""Forecast roll-up over the renewals due in a period, with high / medium / low scenarios."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, Final, Literal

import attrs

from postsale import _checks
from postsale._errors import InvalidValueError
from postsale._repr import readable
from postsale._vocabulary import Segment
from postsale.renewal._contract import Contract
from postsale.renewal._forecast import Forecast, ForecastCategory

__all__ = [
    "DEFAULT_SCENARIOS",
    "CategoryTotal",
    "ForecastRollup",
    "RenewalLine",
    "Scenario",
    "ScenarioResult",
    "roll_up",
]

_ZERO = Decimal(0)


def _arr(value: Any) -> Decimal:
    return _checks.money("arr", value)


def _category(value: Any) -> ForecastCategory:
    return _checks.member(ForecastCategory, "category", value)


def _commit(value: Any) -> float:
    return _checks.ratio("commit", value)


def _likely(value: Any) -> float:
    return _checks.ratio("likely", value)


def _at_risk(value: Any) -> float:
    return _checks.ratio("at_risk", value)


def _optional_money(value: Any) -> Decimal | None:
    return None if value is None else _checks.money("expected_arr", value)


def _computed(field: str, value: Any) -> Decimal:
    """An amount ``postsale`` computed (a total), >= 0, within ``MAX_COMPUTED``."""
    return _checks.money(field, value, limit=_checks.MAX_COMPUTED)


def _total_arr(value: Any) -> Decimal:
    return _computed("arr", value)


def _total_renewal_arr(value: Any) -> Decimal:
    return _computed("renewal_arr", value)


def _total_renewed_arr(value: Any) -> Decimal:
    return _computed("renewed_arr", value)


def _total_churn_arr(value: Any) -> Decimal:
    return _computed("churn_arr", value)


def _total_contraction_arr(value: Any) -> Decimal:
    return _computed("contraction_arr", value)


def _total_expansion_arr(value: Any) -> Decimal:
    return _computed("expansion_arr", value)


def _total(value: Any) -> Decimal:
    return _checks.money("arr_due", value, limit=_checks.MAX_COMPUTED)


def _retention(value: Any) -> float | None:
    return None if value is None else _checks.non_negative("retention", value)


def _totals(value: Any) -> tuple[CategoryTotal, ...]:
    return _checks.items("by_category", value, CategoryTotal)


def _results(value: Any) -> tuple[ScenarioResult, ...]:
    return _checks.items("scenarios", value, ScenarioResult)


def _flagged(value: Any) -> tuple[str, ...]:
    return _checks.items("flagged", value, str)


@attrs.frozen
class RenewalLine:
    """One renewal in a forecast: what is up for renewal, its category and what it is expected to renew at.

    Args:
        account_id: The account.
        renewal_date: T-0.
        arr: ARR up for renewal (exact ``Decimal``).
        category: The forecast category to count it under.
        expected_arr: ARR it is expected to renew at if it renews (default ``arr``); less is a downgrade.
        segment: The account's segment, if known.
        flagged: Whether the CSM's call disagrees with the computed category.

    Examples:
        >>> from datetime import date
        >>> RenewalLine("beta", date(2027, 5, 15), 50000, "LIKELY", expected_arr=40000).renewal_arr
        Decimal('40000')
    """

    __repr__ = readable
    account_id: str = attrs.field(validator=_checks.validator(_checks.identifier))
    renewal_date: date = attrs.field(validator=_checks.validator(_checks.a_date))
    arr: Decimal = attrs.field(converter=_arr)
    category: ForecastCategory = attrs.field(converter=_category)
    expected_arr: Decimal | None = attrs.field(default=None, converter=_optional_money)
    segment: Segment | None = None
    flagged: bool = False

    @property
    def renewal_arr(self) -> Decimal:
        """ARR if it renews: :attr:`expected_arr`, else :attr:`arr`."""
        return self.arr if self.expected_arr is None else self.expected_arr

    @classmethod
    def of(
        cls,
        contract: Contract,
        forecast: Forecast,
        *,
        expected_arr: Decimal | int | str | None = None,
        prefer: Literal["csm", "computed"] = "csm",
    ) -> RenewalLine:
        """Build a line from a contract and its forecast.

        Args:
            contract: The contract up for renewal (ARR = its :attr:`~Contract.renewal_acv`).
            forecast: Its forecast.
            expected_arr: Expected renewed ARR (default: unchanged).
            prefer: Count the CSM's call (``"csm"``, default, when there is one) or the computed category.
        """
        _checks.instance("contract", contract, Contract, hint="pass the Contract up for renewal")
        _checks.instance("forecast", forecast, Forecast, hint="pass forecast_renewal(...)'s result")
        if prefer not in ("csm", "computed"):
            raise InvalidValueError("must be 'csm' or 'computed'", field="prefer", value=prefer)
        category = forecast.category if prefer == "csm" else forecast.computed
        return cls(
            account_id=contract.account_id,
            renewal_date=contract.end,
            arr=contract.renewal_acv,
            category=category,
            expected_arr=None if expected_arr is None else _checks.money("expected_arr", expected_arr),
            segment=contract.segment,
            flagged=forecast.disagrees,
        )


@attrs.frozen
class Scenario:
    """Probability that a renewal in each category renews, for one scenario.

    Args:
        name: ``"high"``, ``"medium"``, ``"low"`` or your own.
        commit: Probability a COMMIT renewal renews, in [0, 1].
        likely: Probability a LIKELY renewal renews.
        at_risk: Probability an AT_RISK renewal renews.

    Examples:
        >>> Scenario("base", commit=1, likely=0.8, at_risk=0.3).probability(ForecastCategory.LIKELY)
        0.8
    """

    __repr__ = readable
    name: str = attrs.field(validator=_checks.validator(_checks.text))
    commit: float = attrs.field(converter=_commit)
    likely: float = attrs.field(converter=_likely)
    at_risk: float = attrs.field(converter=_at_risk)

    def probability(self, category: ForecastCategory) -> float:
        """Return the renewal probability of ``category``."""
        category = _category(category)
        return {ForecastCategory.COMMIT: self.commit, ForecastCategory.LIKELY: self.likely}.get(category, self.at_risk)


DEFAULT_SCENARIOS: Final = (
    Scenario("high", commit=1.0, likely=1.0, at_risk=1.0),
    Scenario("medium", commit=1.0, likely=1.0, at_risk=0.0),
    Scenario("low", commit=1.0, likely=0.0, at_risk=0.0),
)
"""Best case (everything renews), most likely (COMMIT + LIKELY renew) and worst case (only COMMIT renews),
the usual commit / most-likely / best-case forecast; pass fractional probabilities to weight instead."""


@attrs.frozen
class CategoryTotal:
    """Renewals of one category in the period.

    Examples:
        >>> from datetime import date
        >>> lines = [RenewalLine("a", date(2027, 4, 15), 50000, "COMMIT"),
        ...          RenewalLine("b", date(2027, 5, 1), 20000, "AT_RISK")]
        >>> rollup = roll_up(lines, period_start=date(2027, 4, 1), period_end=date(2027, 6, 30))
        >>> at_risk = rollup.category(ForecastCategory.AT_RISK)
        >>> at_risk.count, at_risk.arr
        (1, Decimal('20000'))
    """

    __repr__ = readable
    category: ForecastCategory = attrs.field(converter=_category)
    count: int = attrs.field(validator=_checks.validator(_checks.count))
    arr: Decimal = attrs.field(converter=_total_arr)
    renewal_arr: Decimal = attrs.field(converter=_total_renewal_arr)


@attrs.frozen
class ScenarioResult:
    """Expected outcome of the period's renewals under one scenario.

    Attributes:
        name: Scenario name.
        renewed_arr: Expected renewed ARR.
        churn_arr: Expected ARR lost to non-renewal.
        contraction_arr: Expected ARR lost to downgrades of renewals that renew.
        expansion_arr: Expected ARR gained by renewals that renew larger.
        retention: ``renewed_arr / arr due`` (``None`` when nothing is due).

    Examples:
        >>> from datetime import date
        >>> lines = [RenewalLine("a", date(2027, 4, 15), 50000, "COMMIT"),
        ...          RenewalLine("b", date(2027, 5, 1), 20000, "AT_RISK")]
        >>> low = roll_up(lines, period_start=date(2027, 4, 1), period_end=date(2027, 6, 30)).scenario("low")
        >>> low.renewed_arr, low.churn_arr
        (Decimal('50000'), Decimal('20000'))
    """

    __repr__ = readable
    name: str = attrs.field(validator=_checks.validator(_checks.text))
    renewed_arr: Decimal = attrs.field(converter=_total_renewed_arr)
    churn_arr: Decimal = attrs.field(converter=_total_churn_arr)
    contraction_arr: Decimal = attrs.field(converter=_total_contraction_arr)
    expansion_arr: Decimal = attrs.field(converter=_total_expansion_arr)
    retention: float | None = attrs.field(converter=_retention)


@attrs.frozen
class ForecastRollup:
    """The renewal forecast of a period: what is due, by category, and per scenario.

    Attributes:
        period_start: First day of the period.
        period_end: Last day of the period.
        renewals_due: Number of renewals due in the period.
        arr_due: ARR up for renewal in the period.
        by_category: Totals per category (COMMIT, LIKELY, AT_RISK).
        scenarios: One result per scenario.
        flagged: Accounts whose CSM call disagrees with the computed category.

    Examples:
        >>> from datetime import date
        >>> lines = [RenewalLine("a", date(2027, 4, 15), 50000, "COMMIT"),
        ...          RenewalLine("b", date(2027, 5, 1), 20000, "AT_RISK")]
        >>> rollup = roll_up(lines, period_start=date(2027, 4, 1), period_end=date(2027, 6, 30))
        >>> rollup.renewals_due, rollup.arr_due
        (2, Decimal('70000'))
    """

    __repr__ = readable
    period_start: date = attrs.field(validator=_checks.validator(_checks.a_date))
    period_end: date = attrs.field(validator=_checks.validator(_checks.a_date))
    renewals_due: int = attrs.field(validator=_checks.validator(_checks.count))
    arr_due: Decimal = attrs.field(converter=_total)
    by_category: tuple[CategoryTotal, ...] = attrs.field(converter=_totals)
    scenarios: tuple[ScenarioResult, ...] = attrs.field(converter=_results)
    flagged: tuple[str, ...] = attrs.field(converter=_flagged)

    def category(self, category: ForecastCategory) -> CategoryTotal:
        """Return the totals of ``category`` (zero renewals when the roll-up has none of it).

        Raises:
            UnknownNameError: ``category`` is not a forecast category.
        """
        wanted = _category(category)
        for total in self.by_category:
            if total.category is wanted:
                return total
        return CategoryTotal(wanted, 0, _ZERO, _ZERO)

    def scenario(self, name: str) -> ScenarioResult:
        """Return the result of the scenario called ``name``.

        Raises:
            InvalidValueError: no scenario of that name.
        """
        for s in self.scenarios:
            if s.name == name:
                return s
        names = ", ".join(s.name for s in self.scenarios)
        raise InvalidValueError("is not a scenario of this roll-up", field="name", value=name, hint=f"use {names}")

    def explain(self) -> list[str]:
        """Return the roll-up as plain sentences (amounts rounded to whole units)."""
        lines = [
            f"{self.renewals_due} renewals due {self.period_start.isoformat()}..{self.period_end.isoformat()}, "
            f"ARR {self.arr_due:,.0f}."
        ]
        lines += [f"{t.category.name}: {t.count} renewals, ARR {t.arr:,.0f}." for t in reversed(self.by_category)]
        for s in self.scenarios:
            retention = "n/a" if s.retention is None else f"{s.retention:.1%}"
            lines.append(
                f"Scenario {s.name}: renewed {s.renewed_arr:,.0f} ({retention}), churn {s.churn_arr:,.0f}, "
                f"contraction {s.contraction_arr:,.0f}, expansion {s.expansion_arr:,.0f}."
            )
        if self.flagged:
            lines.append("CSM call disagrees with the computed category for: " + ", ".join(self.flagged) + ".")
        return lines


def roll_up(
    lines: Iterable[RenewalLine],
    *,
    period_start: date,
    period_end: date,
    scenarios: Iterable[Scenario] = DEFAULT_SCENARIOS,
) -> ForecastRollup:
    """Roll up the renewals due between ``period_start`` and ``period_end`` (both included).

    Per scenario, each renewal renews with its category's probability ``p``: renewed ARR ``p x renewal_arr``,
    churn (non-renewal) ``(1 - p) x arr``, contraction ``p x (arr - renewal_arr)`` when it renews smaller,
    expansion ``p x (renewal_arr - arr)`` when larger; so ``arr - churn - contraction + expansion = renewed``.

    Raises:
        InvalidValueError: ``period_end`` before ``period_start``, duplicate scenario names.
        InvalidTypeError: ``lines`` or ``scenarios`` not a collection, an item of the wrong type, a missing
            ``period_start`` / ``period_end``, or a period bound that is not a date.

    Examples:
        >>> rows = [RenewalLine("a", date(2027, 6, 30), 100000, "COMMIT"),
        ...         RenewalLine("b", date(2027, 6, 15), 50000, "AT_RISK", expected_arr=40000)]
        >>> r = roll_up(rows, period_start=date(2027, 4, 1), period_end=date(2027, 6, 30))
        >>> r.arr_due, r.scenario("low").churn_arr, r.scenario("high").contraction_arr
        (Decimal('150000'), Decimal('50000'), Decimal('10000'))
    """
    _checks.a_date("period_start", period_start)
    _checks.a_date("period_end", period_end)
    if period_end < period_start:
        raise InvalidValueError(
            "is before period_start",
            field="period_end",
            value=period_end,
            constraint=f"must be on or after {period_start.isoformat()}",
            hint="swap the dates",
        )
    plans: tuple[Scenario, ...] = _checks.items("scenarios", scenarios, Scenario)
    names = [s.name for s in plans]
    if len(set(names)) != len(names):
        raise InvalidValueError("has duplicate names", field="scenarios", value=names, hint="name each scenario once")
    rows: tuple[RenewalLine, ...] = _checks.items("lines", lines, RenewalLine)
    due = [line for line in rows if period_start <= line.renewal_date <= period_end]
    arr_due = sum((line.arr for line in due), _ZERO)
    totals = tuple(
        CategoryTotal(
            category,
            sum(1 for line in due if line.category == category),
            sum((line.arr for line in due if line.category == category), _ZERO),
            sum((line.renewal_arr for line in due if line.category == category), _ZERO),
        )
        for category in ForecastCategory
    )
    results = []
    for plan in plans:
        renewed = churn = contraction = expansion = _ZERO
        for line in due:
            p = Decimal(repr(plan.probability(line.category))).normalize()
            renewed += p * line.renewal_arr
            churn += (1 - p) * line.arr
            change = line.renewal_arr - line.arr
            if change < 0:
                contraction += p * -change
            else:
                expansion += p * change
        results.append(
            ScenarioResult(
                plan.name,
                renewed,
                churn,
                contraction,
                expansion,
                None if arr_due == 0 else float(renewed / arr_due),
            )
        )
    return ForecastRollup(
        period_start=period_start,
        period_end=period_end,
        renewals_due=len(due),
        arr_due=arr_due,
        by_category=totals,
        scenarios=tuple(results),
        flagged=tuple(line.account_id for line in due if line.flagged),
    )
