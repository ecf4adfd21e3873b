"""Staffing projected 12-24 months out and at 2x / 3x today's volume: where does the touch model break?"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Final

import attrs

from postsale import _checks
from postsale._errors import InvalidTypeError, InvalidValueError
from postsale._repr import readable
from postsale._vocabulary import TouchModel
from postsale.touch._config import TouchConfig
from postsale.touch._cost_share import CostShare, CostShareStatus
from postsale.touch._format import pct, usd
from postsale.touch._portfolio import PortfolioPlan, _cost_share, growth_stage_for
from postsale.touch._profile import GrowthStage
from postsale.touch._scorer import DEFAULT_SCORER, Scorer
from postsale.touch._validation import is_a, share, whole

__all__ = [
    "PROJECTION_HORIZONS_MONTHS",
    "VOLUME_MULTIPLES",
    "ProjectionPoint",
    "StaffingProjection",
    "TierProjection",
    "project_staffing",
]

PROJECTION_HORIZONS_MONTHS: Final = (12, 18, 24)
"""Project staffing this many months out (18-24)."""
VOLUME_MULTIPLES: Final = (2.0, 3.0)
"""Check that the model survives this many times today's volume."""

_MAX_GROWTH: Final = 10.0
"""Largest yearly growth projected (+1 000 % a year): beyond it a projection is arithmetic, not planning."""
_MAX_HORIZON_MONTHS: Final = 120
"""Furthest horizon projected (10 years)."""
_MAX_MULTIPLE: Final = 1000.0
"""Largest volume multiple checked."""


def _to_model(value: Any) -> TouchModel:
    return _checks.member(TouchModel, "model", value)


def _to_staffing_cost(value: Any) -> Decimal:
    return _checks.money("staffing_cost", value)


def _to_revenue(value: Any) -> Decimal:
    return _checks.money("revenue", value)


@attrs.frozen
class TierProjection:
    """One tier at a projected volume.

    Attributes:
        model: The tier's model.
        accounts: Projected accounts (today's count times the volume multiple, rounded half up).
        csms_needed: ``ceil(accounts / accounts_per_csm)``.
        staffing_cost: ``csms_needed * csm_salary``.
        revenue: Projected revenue (today's average ACV in the tier times the projected accounts).

    Examples:
        >>> from postsale.touch import BusinessProfile, plan_portfolio
        >>> company = dict(complexity="LOW_TO_MODERATE", gross_margin=0.6, positioning="VALUE", growth_stage="GROWTH")
        >>> accounts = ([BusinessProfile(acv=150_000, segment="ENTERPRISE", **company)] * 2
        ...             + [BusinessProfile(acv=4_000, segment="SMB", **company)] * 30)
        >>> plan = plan_portfolio(accounts)
        >>> high = project_staffing(plan, annual_growth=0.5).horizons[-1].tiers[0]
        >>> high.model, high.accounts, high.csms_needed
        (<TouchModel.HIGH: 'high'>, 5, 1)
    """

    __repr__ = readable
    model: TouchModel = attrs.field(converter=_to_model)
    accounts: int = attrs.field(validator=whole())
    csms_needed: int = attrs.field(validator=whole())
    staffing_cost: Decimal = attrs.field(converter=_to_staffing_cost)
    revenue: Decimal = attrs.field(converter=_to_revenue)


def _to_tiers(value: Any) -> tuple[TierProjection, ...]:
    return _checks.items("tiers", value, TierProjection)


def _to_growth_stage(value: Any) -> GrowthStage:
    return _checks.member(GrowthStage, "growth_stage", value)


def _to_breaks(value: Any) -> tuple[str, ...]:
    return _checks.items("breaks", value, str)


@attrs.frozen
class ProjectionPoint:
    """The portfolio at one projected point: a horizon in months, or a volume multiple.

    Attributes:
        label: ``"today"``, ``"12 months"``, ``"2x volume"`` ...
        months: Months from today (``None`` when the volume is never reached at the growth rate).
        multiple: Volume relative to today.
        tiers: Each tier at that volume.
        growth_stage: The growth stage at that customer count.
        cost_share: Staffing cost against revenue; ``None`` when revenue is 0.
        breaks: Why the current model breaks there (empty when it holds).

    Examples:
        >>> from postsale.touch import BusinessProfile, plan_portfolio
        >>> company = dict(complexity="LOW_TO_MODERATE", gross_margin=0.6, positioning="VALUE", growth_stage="GROWTH")
        >>> accounts = ([BusinessProfile(acv=150_000, segment="ENTERPRISE", **company)] * 2
        ...             + [BusinessProfile(acv=4_000, segment="SMB", **company)] * 30)
        >>> plan = plan_portfolio(accounts)
        >>> point = project_staffing(plan, annual_growth=0.5).horizons[-1]
        >>> point.label, point.accounts, point.model_breaks
        ('24 months', 73, True)
    """

    __repr__ = readable
    label: str = attrs.field(validator=_checks.validator(_checks.text))
    months: float | None = attrs.field(validator=_checks.optional_validator(_checks.non_negative))
    multiple: float = attrs.field(validator=share())
    tiers: tuple[TierProjection, ...] = attrs.field(converter=_to_tiers)
    growth_stage: GrowthStage = attrs.field(converter=_to_growth_stage)
    cost_share: CostShare | None = attrs.field(validator=is_a(CostShare, optional=True))
    breaks: tuple[str, ...] = attrs.field(default=(), converter=_to_breaks)

    @property
    def accounts(self) -> int:
        """Projected accounts."""
        return sum(t.accounts for t in self.tiers)

    @property
    def csms_needed(self) -> int:
        """Projected CSMs."""
        return sum(t.csms_needed for t in self.tiers)

    @property
    def staffing_cost(self) -> Decimal:
        """Projected staffing cost."""
        return sum((t.staffing_cost for t in self.tiers), Decimal(0))

    @property
    def revenue(self) -> Decimal:
        """Projected revenue."""
        return sum((t.revenue for t in self.tiers), Decimal(0))

    @property
    def model_breaks(self) -> bool:
        """The current model does not hold at this point."""
        return bool(self.breaks)

    def sentence(self) -> str:
        """One sentence describing this point."""
        when = f" (in {self.months:.1f} months)" if self.months is not None and self.label.endswith("volume") else ""
        head = (
            f"{self.label.capitalize()}{when}: {self.accounts:,} accounts, {self.csms_needed} CSM(s) costing "
            f"{usd(self.staffing_cost)}"
        )
        if self.cost_share is not None:
            head += f" ({pct(self.cost_share.share)} of revenue)"
        if not self.breaks:
            return head + ": the model holds."
        return head + ": the model breaks: " + " ".join(self.breaks)


def _to_horizons(value: Any) -> tuple[ProjectionPoint, ...]:
    return _checks.items("horizons", value, ProjectionPoint)


def _to_volume_checks(value: Any) -> tuple[ProjectionPoint, ...]:
    return _checks.items("volume_checks", value, ProjectionPoint)


@attrs.frozen
class StaffingProjection:
    """Staffing and cost projected from a growth rate.

    Attributes:
        annual_growth: Yearly growth of the customer count (0.5 = +50 % a year).
        today: The portfolio as it is.
        horizons: The portfolio 12 / 18 / 24 months out (by default).
        volume_checks: The portfolio at 2x and 3x today's volume, with when that is reached.

    Examples:
        >>> from postsale.touch import BusinessProfile, plan_portfolio
        >>> company = dict(complexity="LOW_TO_MODERATE", gross_margin=0.6, positioning="VALUE", growth_stage="GROWTH")
        >>> accounts = ([BusinessProfile(acv=150_000, segment="ENTERPRISE", **company)] * 2
        ...             + [BusinessProfile(acv=4_000, segment="SMB", **company)] * 30)
        >>> plan = plan_portfolio(accounts)
        >>> projection = project_staffing(plan, annual_growth=0.5)
        >>> projection.today.accounts, len(projection.breaking_points)
        (32, 5)
    """

    __repr__ = readable
    annual_growth: float = attrs.field(validator=_checks.validator(_checks.number))
    today: ProjectionPoint = attrs.field(validator=is_a(ProjectionPoint))
    horizons: tuple[ProjectionPoint, ...] = attrs.field(converter=_to_horizons)
    volume_checks: tuple[ProjectionPoint, ...] = attrs.field(converter=_to_volume_checks)

    @property
    def breaking_points(self) -> tuple[ProjectionPoint, ...]:
        """The horizons and volume checks where the model breaks."""
        return tuple(p for p in self.horizons + self.volume_checks if p.breaks)

    def explain(self) -> list[str]:
        """Return one sentence per point, then the verdict."""
        lines = [f"Growth of {pct(self.annual_growth)} a year from {self.today.accounts:,} accounts."]
        lines.append(self.today.sentence())
        lines.extend(p.sentence() for p in self.horizons + self.volume_checks)
        if self.breaking_points:
            lines.append(
                "Design for the state 18-24 months out: redesign before the first breaking point."
            )
        else:
            lines.append("The model scales to every projected volume.")
        return lines


def _scale(count: int, multiple: float) -> int:
    return math.floor(count * multiple + 0.5)


def _point(
    plan: PortfolioPlan,
    config: TouchConfig,
    label: str,
    months: float | None,
    multiple: float,
    hires_per_month: float | None,
) -> ProjectionPoint:
    tiers = []
    for tier in plan.tiers:
        accounts = _scale(tier.accounts, multiple)
        csms = math.ceil(accounts / tier.accounts_per_csm)
        revenue = tier.revenue * accounts / tier.accounts
        tiers.append(TierProjection(tier.model, accounts, csms, tier.csm_salary * csms, revenue))
    customers = _scale(plan.customer_count, multiple)
    stage = growth_stage_for(customers, config=config)
    staffing = sum((t.staffing_cost for t in tiers), Decimal(0))
    revenue = sum((t.revenue for t in tiers), Decimal(0))
    share = _cost_share(staffing, revenue, config)
    breaks = []
    if stage is not plan.growth_stage:
        breaks.append(
            f"At {customers:,} customers the company moves from the {plan.growth_stage.name} to the "
            f"{stage.name} stage, which needs a different model design."
        )
    if share is not None and share.status is CostShareStatus.OVER_SPENT:
        breaks.append(
            f"Staffing costs {pct(share.share)} of revenue, above the healthy {pct(config.healthy_to)}."
        )
    added = sum(t.csms_needed for t in tiers) - plan.csms_needed
    if hires_per_month is not None and months is not None and added > hires_per_month * months:
        breaks.append(
            f"It needs {added} more CSM(s) in {months:.1f} months, more than hiring {hires_per_month:g} a month "
            "allows."
        )
    return ProjectionPoint(label, months, multiple, tuple(tiers), stage, share, tuple(breaks))


def project_staffing(
    plan: PortfolioPlan,
    annual_growth: float,
    *,
    horizons: Sequence[int] = PROJECTION_HORIZONS_MONTHS,
    multiples: Sequence[float] = VOLUME_MULTIPLES,
    hires_per_month: float | None = None,
    scorer: Scorer | None = None,
) -> StaffingProjection:
    """Project a portfolio's staffing and cost forward, flagging where the model breaks.

    Volume grows by ``(1 + annual_growth) ** (months / 12)``, every tier alike (today's mix and average
    ACV per tier). A point breaks the model when the customer count reaches another growth stage, when
    staffing cost rises above the healthy share of revenue, or when the CSMs to add exceed
    ``hires_per_month`` times the months available.

    Args:
        plan: Today's :func:`plan_portfolio`.
        annual_growth: Yearly growth of the customer count (0.5 = +50 %; may exceed 1; > -1; positional or keyword).
        horizons: Months ahead to project (default 12, 18, 24).
        multiples: Volume multiples to check (default 2x and 3x).
        hires_per_month: How many CSMs can be hired and onboarded a month (``None``: no limit).
        scorer: Its config gives the growth stages and the healthy range (default configuration).

    Returns:
        The :class:`StaffingProjection`.

    Raises:
        InvalidValueError: growth <= -100 % or not finite, a horizon < 1 month, a multiple <= 0, negative
            hiring capacity.
        InvalidTypeError: ``plan`` is not a PortfolioPlan, ``horizons`` or ``multiples`` is not a collection of
            numbers, a ``scorer`` that is not a Scorer.

    Examples:
        >>> from postsale.touch import BusinessProfile, plan_portfolio
        >>> company = dict(complexity="LOW_TO_MODERATE", gross_margin=0.6, positioning="VALUE", growth_stage="GROWTH")
        >>> accounts = ([BusinessProfile(acv=150_000, segment="ENTERPRISE", **company)] * 2
        ...             + [BusinessProfile(acv=4_000, segment="SMB", **company)] * 30)
        >>> plan = plan_portfolio(accounts)
        >>> projection = project_staffing(plan, annual_growth=0.5)
        >>> [point.accounts for point in projection.horizons]
        [48, 59, 73]
    """
    if not isinstance(plan, PortfolioPlan):
        raise InvalidTypeError("expected a PortfolioPlan", field="plan", value=plan, hint="use plan_portfolio(...)")
    growth = _checks.number("annual_growth", annual_growth)
    if not -1 < growth <= _MAX_GROWTH:
        raise InvalidValueError(
            "is -100 % or less" if growth <= -1 else "is beyond +1 000 % a year",
            field="annual_growth",
            value=annual_growth,
            constraint=f"must be > -1 and <= {_MAX_GROWTH:g} (0.5 = +50 % a year)",
            hint="pass the yearly growth as a fraction",
        )
    months_list = []
    for i, months in enumerate(_checks.items("horizons", horizons)):
        value = _checks.count(f"horizons[{i}]", months)
        if not 1 <= value <= _MAX_HORIZON_MONTHS:
            raise InvalidValueError(
                "is out of range", field=f"horizons[{i}]", value=months,
                constraint=f"1 <= months <= {_MAX_HORIZON_MONTHS}", hint="e.g. 12",
            )
        months_list.append(value)
    multiple_list = []
    for i, multiple in enumerate(_checks.items("multiples", multiples)):
        value_f = _checks.number(f"multiples[{i}]", multiple)
        if not 0 < value_f <= _MAX_MULTIPLE:
            raise InvalidValueError(
                "is out of range", field=f"multiples[{i}]", value=multiple,
                constraint=f"0 < multiple <= {_MAX_MULTIPLE:g}", hint="e.g. 2.0",
            )
        multiple_list.append(value_f)
    hires = None if hires_per_month is None else _checks.non_negative("hires_per_month", hires_per_month)
    if scorer is not None:
        _checks.instance("scorer", scorer, Scorer, hint="pass a Scorer, or None for the default configuration")
    config = (scorer or DEFAULT_SCORER).config
    today = _point(plan, config, "today", 0.0, 1.0, None)
    points = tuple(_point(plan, config, f"{m} months", float(m), (1 + growth) ** (m / 12), hires) for m in months_list)
    checks = []
    for k in multiple_list:
        reach: float | None = None
        if k == 1:
            reach = 0.0
        elif math.log1p(growth) != 0 and (k > 1) == (growth > 0):
            reach = 12 * math.log(k) / math.log1p(growth)
            if not math.isfinite(reach):  # a growth so small the volume is never reached
                reach = None
        checks.append(_point(plan, config, f"{k:g}x volume", reach, k, hires))
    return StaffingProjection(growth, today, points, tuple(checks))
