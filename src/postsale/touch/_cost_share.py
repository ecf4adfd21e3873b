"""The 5-15 % rule: CS cost as a share of customer revenue."""

from __future__ import annotations

import decimal
import enum
import sys
from decimal import Decimal
from typing import Any, Final

import attrs

from postsale import _checks
from postsale._errors import InvalidValueError
from postsale._repr import readable
from postsale.touch._format import pct, pct_number, usd
from postsale.touch._validation import share

__all__ = [
    "HEALTHY_COST_SHARE_FROM",
    "HEALTHY_COST_SHARE_TO",
    "CostShare",
    "CostShareStatus",
    "assess_cost_share",
    "check_healthy_range",
]

HEALTHY_COST_SHARE_FROM: Final = 0.05
"""Lower end (inclusive) of the healthy CS-cost share of revenue."""
HEALTHY_COST_SHARE_TO: Final = 0.15
"""Upper end (inclusive) of the healthy CS-cost share of revenue."""


class CostShareStatus(enum.Enum):
    """Verdict of the 5-15 % rule: below, inside (ends inclusive) or above the range.

    Examples:
        >>> assess_cost_share(4_000, 100_000).status, assess_cost_share(15_000, 100_000).status
        (<CostShareStatus.UNDER_INVESTED: 'under_invested'>, <CostShareStatus.HEALTHY: 'healthy'>)
    """

    UNDER_INVESTED = "under_invested"
    HEALTHY = "healthy"
    OVER_SPENT = "over_spent"


def _to_cs_cost(value: Any) -> Decimal:
    return _checks.money("cs_cost", value)


def _to_revenue(value: Any) -> Decimal:
    return _checks.money("revenue", value)


def _to_status(value: Any) -> CostShareStatus:
    return _checks.member(CostShareStatus, "status", value)


@attrs.frozen
class CostShare:
    """CS cost as a share of revenue, judged against the healthy range.

    Build it with :func:`assess_cost_share`.

    Attributes:
        cs_cost: CS cost for the period (exact money).
        revenue: Customer revenue for the same period (ACV), > 0.
        share: ``cs_cost / revenue`` as a float (0.104 = 10.4 %).
        status: The verdict.
        healthy_from: Lower end of the healthy range used (inclusive).
        healthy_to: Upper end of the healthy range used (inclusive).

    Examples:
        >>> share = assess_cost_share(12_000, 100_000)
        >>> share.share, share.status
        (0.12, <CostShareStatus.HEALTHY: 'healthy'>)
    """

    __repr__ = readable
    cs_cost: Decimal = attrs.field(converter=_to_cs_cost)
    revenue: Decimal = attrs.field(converter=_to_revenue)
    share: float = attrs.field(validator=share())
    status: CostShareStatus = attrs.field(converter=_to_status)
    healthy_from: float = attrs.field(default=HEALTHY_COST_SHARE_FROM, validator=_checks.validator(_checks.ratio))
    healthy_to: float = attrs.field(default=HEALTHY_COST_SHARE_TO, validator=_checks.validator(_checks.ratio))

    def explain(self) -> list[str]:
        """Return plain sentences saying what the share is and what it means.

        Examples:
            >>> assess_cost_share(Decimal(3000), Decimal(5000)).explain()[0]
            'CS cost $3,000 is 60 % of revenue $5,000.'
        """
        lines = [f"CS cost {usd(self.cs_cost)} is {pct(self.share)} of revenue {usd(self.revenue)}."]
        band = f"{pct_number(self.healthy_from)}-{pct(self.healthy_to)}"
        if self.status is CostShareStatus.HEALTHY:
            lines.append(f"That is inside the healthy {band} range (both ends inclusive): healthy.")
        elif self.status is CostShareStatus.UNDER_INVESTED:
            lines.append(
                f"That is below the healthy {band} range: probably under-investing, "
                "which tends to show up in retention."
            )
        else:
            lines.append(
                f"That is above the healthy {band} range: over-spending (burning cash unless margins are "
                "exceptionally high); serving this customer at this cost is over-serving."
            )
        return lines


_QUOTIENT = decimal.Context(
    prec=28, rounding=decimal.ROUND_HALF_EVEN, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero],
)
_LARGEST_SHARE = Decimal(sys.float_info.max)


def quotient(numerator: Decimal, denominator: Decimal) -> Decimal:
    """``numerator / denominator`` to 28 significant digits, whatever the caller's decimal context: finite however
    far apart two amounts are (``12500 / Decimal("1E-999999")`` is ``1.25E+1000003``, not a decimal.Overflow)."""
    return _QUOTIENT.divide(numerator, denominator)


def check_healthy_range(healthy_from: Any, healthy_to: Any) -> tuple[float, float]:
    """Validate a healthy range: two shares in [0, 1] with ``healthy_from <= healthy_to``."""
    low = _checks.ratio("healthy_from", healthy_from)
    high = _checks.ratio("healthy_to", healthy_to)
    if low > high:
        raise InvalidValueError(
            "is above healthy_to",
            field="healthy_from",
            value=healthy_from,
            constraint=f"must be <= healthy_to={high!r}",
            hint="swap the two ends of the range",
        )
    return low, high


def _exact(share: float) -> Decimal:
    return Decimal(repr(share))


def assess_cost_share(
    cs_cost: Decimal,
    revenue: Decimal,
    *,
    healthy_from: float = HEALTHY_COST_SHARE_FROM,
    healthy_to: float = HEALTHY_COST_SHARE_TO,
) -> CostShare:
    """Judge CS cost against revenue with the 5-15 % rule (both ends inclusive).

    The comparison is exact (money stays ``Decimal``), so 5 % and 15 % are healthy to the cent.

    Args:
        cs_cost: CS cost for the period (>= 0; ints and decimal strings are accepted).
        revenue: Customer revenue for the same period (> 0); revenue (ACV), not
            gross profit.
        healthy_from: Lower end of the healthy range (inclusive).
        healthy_to: Upper end of the healthy range (inclusive).

    Returns:
        The :class:`CostShare` with its status and an ``explain()``.

    Raises:
        InvalidValueError: negative or non-finite cost, revenue <= 0, a range end outside [0, 1] or
            reversed.
        InvalidTypeError: a non-number.

    Examples:
        >>> assess_cost_share(Decimal(12500), Decimal(120000)).status
        <CostShareStatus.HEALTHY: 'healthy'>
        >>> assess_cost_share(Decimal(3000), Decimal(5000)).status
        <CostShareStatus.OVER_SPENT: 'over_spent'>
    """
    cost = _checks.money("cs_cost", cs_cost)
    income = _checks.money("revenue", revenue, allow_negative=True)
    if income <= 0:
        raise InvalidValueError(
            "is not positive",
            field="revenue",
            value=revenue,
            constraint="must be > 0 (a share of zero revenue is undefined)",
            hint="pass the customer's revenue (ACV) for the period",
        )
    low, high = check_healthy_range(healthy_from, healthy_to)
    exact = quotient(cost, income)
    if exact > _LARGEST_SHARE:  # a vanishing revenue (Decimal("1E-999999")): no float holds the share
        raise InvalidValueError(
            "is too small for a share of the CS cost", field="revenue", value=revenue,
            constraint="cs_cost / revenue must be a finite number", hint="pass the revenue in the unit of cs_cost",
        )
    if exact < _exact(low):
        status = CostShareStatus.UNDER_INVESTED
    elif exact > _exact(high):
        status = CostShareStatus.OVER_SPENT
    else:
        status = CostShareStatus.HEALTHY
    return CostShare(cost, income, float(exact), status, low, high)
