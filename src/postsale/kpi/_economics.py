"""ROI of a proactive program and unit economics (LTV, CAC payback, LTV : CAC, CS cost share).

CAC payback takes 12-18 months; mature operations reach an LTV of 3-5× the CAC; the ROI target is 300-500 %
(above 500 % is reported ABOVE, not a failure; the benefit / cost multiple is exposed separately). The CS cost
share is the touch context's 5-15 % rule (:func:`postsale.touch.assess_cost_share`), reused, not duplicated.
"""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Any, TypeVar

import attrs

from postsale import _checks
from postsale._errors import DefinitionError, InvalidTypeError, InvalidValueError, Problem
from postsale._repr import readable
from postsale.kpi._numbers import HUNDRED, TWELVE, ZERO, amount, minus, of_type, pct, rate, ratio, rounded, times, total
from postsale.touch import (
    HEALTHY_COST_SHARE_FROM,
    HEALTHY_COST_SHARE_TO,
    CostShare,
    assess_cost_share,
)

__all__ = [
    "CAC_PAYBACK_MONTHS_TYPICAL",
    "DEFAULT_LTV_TO_CAC_TARGET",
    "DEFAULT_ROI_TARGET",
    "LtvToCacTarget",
    "RoiAssessment",
    "RoiBenefit",
    "RoiCost",
    "RoiTarget",
    "TargetStatus",
    "UnitEconomics",
    "assess_roi",
    "unit_economics",
]

_N = TypeVar("_N", Decimal, float)

CAC_PAYBACK_MONTHS_TYPICAL = (12, 18)
"""CAC takes 12-18 months to pay back in most SaaS models."""


class TargetStatus(enum.Enum):
    """Where a figure sits against a target range: BELOW it, ON_TARGET (ends inclusive) or ABOVE it.

    ABOVE is not a failure: it means the figure beat the top of the range.

    Examples:
        >>> TargetStatus.of(Decimal("3.5"), Decimal(3), Decimal(5)), TargetStatus.of(0.72, 0.6, 0.7)
        (<TargetStatus.ON_TARGET: 'on_target'>, <TargetStatus.ABOVE: 'above'>)
    """

    BELOW = "below"
    ON_TARGET = "on_target"
    ABOVE = "above"

    @classmethod
    def of(cls, value: _N, low: _N, high: _N) -> TargetStatus:
        """Classify ``value`` against ``[low, high]`` (both ends inclusive).

        Raises:
            InvalidTypeError: an argument is not a number.
            InvalidValueError: an argument is not finite.
        """
        for field, number in (("value", value), ("low", low), ("high", high)):
            _checks.number(field, number)
        if value < low:
            return cls.BELOW
        return cls.ABOVE if value > high else cls.ON_TARGET


_WHERE = {TargetStatus.BELOW: "below", TargetStatus.ON_TARGET: "within", TargetStatus.ABOVE: "above"}


def _to_prevented_churn(v: Any) -> Decimal:
    return _checks.money("prevented_churn", v)


def _to_expansion(v: Any) -> Decimal:
    return _checks.money("expansion", v)


def _to_support_cost_reduction(v: Any) -> Decimal:
    return _checks.money("support_cost_reduction", v)


def _to_time_saved(v: Any) -> Decimal:
    return _checks.money("time_saved", v)


def _to_csm_salaries(v: Any) -> Decimal:
    return _checks.money("csm_salaries", v)


def _to_technology(v: Any) -> Decimal:
    return _checks.money("technology", v)


def _to_content(v: Any) -> Decimal:
    return _checks.money("content", v)


def _to_program_management(v: Any) -> Decimal:
    return _checks.money("program_management", v)


def _to_low_pct(v: Any) -> Decimal:
    return rate("low_pct", v, upper=None)


def _to_high_pct(v: Any) -> Decimal:
    return rate("high_pct", v, upper=None)


def _to_low(v: Any) -> Decimal:
    return rate("low", v, upper=None)


def _to_high(v: Any) -> Decimal:
    return rate("high", v, upper=None)


def _to_acv(v: Any) -> Decimal:
    return _positive("acv", v)


def _to_cac(v: Any) -> Decimal:
    return _positive("cac", v)


@attrs.frozen
class RoiBenefit:
    """The benefit side of a proactive program's ROI, each part >= 0.

    Examples:
        >>> RoiBenefit(prevented_churn=300_000, expansion=100_000).total
        Decimal('400000')
    """

    __repr__ = readable
    prevented_churn: Decimal = attrs.field(default=ZERO, converter=_to_prevented_churn)
    expansion: Decimal = attrs.field(default=ZERO, converter=_to_expansion)
    support_cost_reduction: Decimal = attrs.field(default=ZERO, converter=_to_support_cost_reduction)
    time_saved: Decimal = attrs.field(default=ZERO, converter=_to_time_saved)

    @property
    def total(self) -> Decimal:
        """Prevented churn + expansion + support-cost reduction + time saved."""
        return total(self.prevented_churn, self.expansion, self.support_cost_reduction, self.time_saved)


@attrs.frozen
class RoiCost:
    """The cost side of a proactive program's ROI, each part >= 0.

    Examples:
        >>> RoiCost(csm_salaries=80_000, technology=20_000).total
        Decimal('100000')
    """

    __repr__ = readable
    csm_salaries: Decimal = attrs.field(default=ZERO, converter=_to_csm_salaries)
    technology: Decimal = attrs.field(default=ZERO, converter=_to_technology)
    content: Decimal = attrs.field(default=ZERO, converter=_to_content)
    program_management: Decimal = attrs.field(default=ZERO, converter=_to_program_management)

    @property
    def total(self) -> Decimal:
        """CSM salaries + technology + content creation + program management."""
        return total(self.csm_salaries, self.technology, self.content, self.program_management)


@attrs.frozen
class RoiTarget:
    """The ROI target range in percent (default 300-500 %), ends inclusive.

    Raises:
        DefinitionError: ``low_pct`` above ``high_pct``.

    Examples:
        >>> modest = RoiTarget(low_pct=100, high_pct=200)
        >>> assess_roi(RoiBenefit(expansion=250_000), RoiCost(csm_salaries=100_000), target=modest).status
        <TargetStatus.ON_TARGET: 'on_target'>
    """

    __repr__ = readable
    low_pct: Decimal = attrs.field(default=Decimal(300), converter=_to_low_pct)
    high_pct: Decimal = attrs.field(default=Decimal(500), converter=_to_high_pct)

    def __attrs_post_init__(self) -> None:
        if self.low_pct > self.high_pct:
            raise DefinitionError(
                "invalid ROI target",
                [Problem("low_pct", f"{self.low_pct} is above high_pct={self.high_pct}")],
                hint="e.g. RoiTarget(low_pct=300, high_pct=500)",
            )


DEFAULT_ROI_TARGET = RoiTarget()
"""300-500 %."""


def _instance_of(cls: type, hint: str) -> Any:
    """An attrs validator refusing anything but an instance of ``cls`` (InvalidTypeError naming the field)."""
    return _checks.validator(lambda field, value: _checks.instance(field, value, cls, hint=hint))


@attrs.frozen
class RoiAssessment:
    """ROI % = (benefit − cost) / cost × 100, judged against the target.

    Raises:
        InvalidValueError: total cost <= 0 (an ROI over no cost is undefined).
        InvalidTypeError: ``benefit``, ``cost`` or ``target`` of the wrong type.

    Examples:
        >>> r = assess_roi(RoiBenefit(prevented_churn=700_000), RoiCost(csm_salaries=100_000))
        >>> r.roi_pct, r.status, r.meets_target
        (Decimal('600'), <TargetStatus.ABOVE: 'above'>, True)
    """

    __repr__ = readable
    benefit: RoiBenefit = attrs.field(validator=_instance_of(RoiBenefit, "build RoiBenefit(...) with the amounts"))
    cost: RoiCost = attrs.field(validator=_instance_of(RoiCost, "build RoiCost(...) with the amounts"))
    target: RoiTarget = attrs.field(
        default=DEFAULT_ROI_TARGET, validator=_instance_of(RoiTarget, "build RoiTarget(low_pct=..., high_pct=...)")
    )

    def __attrs_post_init__(self) -> None:
        if self.cost.total <= 0:
            raise InvalidValueError(
                "totals zero",
                field="cost",
                value=str(self.cost.total),
                constraint="the cost of a program must be > 0 (ROI divides by it)",
                hint="include salaries, technology, content and program management",
            )

    @property
    def net_benefit(self) -> Decimal:
        """Benefit − cost."""
        return minus(self.benefit.total, self.cost.total)

    @property
    def roi_pct(self) -> Decimal:
        """(Benefit − cost) / cost × 100."""
        return ratio(times(self.net_benefit, HUNDRED), self.cost.total)

    @property
    def benefit_cost_multiple(self) -> Decimal:
        """Benefit / cost (a 3× multiple is a 200 % ROI)."""
        return ratio(self.benefit.total, self.cost.total)

    @property
    def status(self) -> TargetStatus:
        """BELOW, ON_TARGET or ABOVE the target range."""
        return TargetStatus.of(self.roi_pct, self.target.low_pct, self.target.high_pct)

    @property
    def meets_target(self) -> bool:
        """ROI at or above the low end (ABOVE is not a failure)."""
        return self.status is not TargetStatus.BELOW

    def explain(self) -> list[str]:
        """Plain sentences: the arithmetic, the multiple, and the verdict."""
        b, c = self.benefit.total, self.cost.total
        roi = rounded(self.roi_pct, "0.01")
        low, high = self.target.low_pct, self.target.high_pct
        verdict = {
            TargetStatus.BELOW: f"below the {low}-{high} % target",
            TargetStatus.ON_TARGET: f"within the {low}-{high} % target",
            TargetStatus.ABOVE: f"above the {low}-{high} % target (beating it, not a miss)",
        }[self.status]
        return [
            f"ROI {roi} % = (benefit {amount(b)} − cost {amount(c)}) / cost {amount(c)} × 100: {verdict}.",
            f"Benefit / cost multiple {rounded(self.benefit_cost_multiple, '0.01')}× "
            "(a multiple of m is an ROI of (m − 1) × 100 %).",
        ]


def assess_roi(benefit: RoiBenefit, cost: RoiCost, *, target: RoiTarget = DEFAULT_ROI_TARGET) -> RoiAssessment:
    """Compute a proactive program's ROI and place it against the 300-500 % target.

    Raises:
        InvalidValueError: cost totals zero; a benefit or cost that is not a :class:`RoiBenefit` / :class:`RoiCost`.

    Examples:
        >>> r = assess_roi(RoiBenefit(prevented_churn=300_000, expansion=100_000), RoiCost(csm_salaries=100_000))
        >>> r.roi_pct, r.status.name, r.benefit_cost_multiple
        (Decimal('300'), 'ON_TARGET', Decimal('4'))
    """
    if not isinstance(benefit, RoiBenefit):
        raise InvalidTypeError("is not a RoiBenefit", field="benefit", value=benefit, hint="build RoiBenefit(...)")
    if not isinstance(cost, RoiCost):
        raise InvalidTypeError("is not a RoiCost", field="cost", value=cost, hint="build RoiCost(...)")
    return RoiAssessment(benefit, cost, target)


@attrs.frozen
class LtvToCacTarget:
    """The LTV : CAC target range (default 3-5×, mature post-sale operations).

    Raises:
        DefinitionError: ``low`` above ``high``.

    Examples:
        >>> ambitious = LtvToCacTarget(low=5, high=8)
        >>> unit_economics(acv=50_000, cac=50_000, gross_margin=1, annual_churn=0.25,
        ...                ltv_to_cac_target=ambitious).ltv_to_cac_status
        <TargetStatus.BELOW: 'below'>
    """

    __repr__ = readable
    low: Decimal = attrs.field(default=Decimal(3), converter=_to_low)
    high: Decimal = attrs.field(default=Decimal(5), converter=_to_high)

    def __attrs_post_init__(self) -> None:
        if self.low > self.high:
            raise DefinitionError(
                "invalid LTV : CAC target", [Problem("low", f"{self.low} is above high={self.high}")], hint="swap them"
            )


DEFAULT_LTV_TO_CAC_TARGET = LtvToCacTarget()
"""3-5×."""


def _positive(field: str, value: Any) -> Decimal:
    result = _checks.money(field, value)
    if result <= 0:
        raise InvalidValueError(
            "is not positive", field=field, value=value, constraint="must be > 0", hint="pass a positive amount"
        )
    return result


def _margin(value: Any) -> Decimal:
    result = rate("gross_margin", value)
    if result == 0:
        raise InvalidValueError(
            "is zero",
            field="gross_margin",
            value=value,
            constraint="must be in (0, 1]",
            hint="a customer with no gross margin never pays back its CAC",
        )
    return result


def _churn(value: Any) -> Decimal:
    result = rate("annual_churn", value)
    if result == 0:
        raise InvalidValueError(
            "is zero",
            field="annual_churn",
            value=value,
            constraint="must be in (0, 1] (LTV is unbounded without churn)",
            hint="pass the measured revenue churn, 1 − GRR, or a small floor such as 0.02",
        )
    return result


@attrs.frozen
class UnitEconomics:
    """LTV, CAC payback, LTV : CAC and the CS cost share of an average account.

    * LTV = ACV × gross margin / annual churn (gross profit over the expected lifetime 1 / churn years).
    * CAC payback (months) = CAC / (ACV × gross margin / 12), ignoring churn (``gross_margin=1``
      gives the seeds' 12 months).
    * LTV : CAC = LTV / CAC, judged against 3-5× (BELOW / ON_TARGET / ABOVE).
    * CS cost share = CS cost per account / ACV, judged by :func:`postsale.touch.assess_cost_share`.

    Build it with :func:`unit_economics`.

    Examples:
        >>> ue = unit_economics(acv=50_000, cac=50_000, gross_margin=0.8, annual_churn=0.1)
        >>> ue.ltv, ue.cac_payback_months, ue.ltv_to_cac_status
        (Decimal('400000'), Decimal('15'), <TargetStatus.ABOVE: 'above'>)
    """

    __repr__ = readable
    acv: Decimal = attrs.field(converter=_to_acv)
    cac: Decimal = attrs.field(converter=_to_cac)
    gross_margin: Decimal = attrs.field(converter=_margin)
    annual_churn: Decimal = attrs.field(converter=_churn)
    cs_cost_share: CostShare | None = attrs.field(default=None, validator=of_type(CostShare, optional=True))
    ltv_to_cac_target: LtvToCacTarget = attrs.field(
        default=DEFAULT_LTV_TO_CAC_TARGET, validator=of_type(LtvToCacTarget)
    )

    @property
    def annual_gross_profit(self) -> Decimal:
        """ACV × gross margin."""
        return times(self.acv, self.gross_margin)

    @property
    def ltv(self) -> Decimal:
        """ACV × gross margin / annual churn."""
        return ratio(self.annual_gross_profit, self.annual_churn)

    @property
    def ltv_after_cs_cost(self) -> Decimal | None:
        """(ACV × gross margin − CS cost) / annual churn, when the CS cost is known and not already in COGS."""
        if self.cs_cost_share is None:
            return None
        return ratio(minus(self.annual_gross_profit, self.cs_cost_share.cs_cost), self.annual_churn)

    @property
    def cac_payback_months(self) -> Decimal:
        """CAC / monthly gross profit."""
        return ratio(times(self.cac, TWELVE), self.annual_gross_profit)

    @property
    def ltv_to_cac(self) -> Decimal:
        """LTV / CAC."""
        return ratio(self.ltv, self.cac)

    @property
    def ltv_to_cac_status(self) -> TargetStatus:
        """LTV : CAC against the 3-5× target."""
        return TargetStatus.of(self.ltv_to_cac, self.ltv_to_cac_target.low, self.ltv_to_cac_target.high)

    def explain(self) -> list[str]:
        """Plain sentences with each figure and its arithmetic."""
        months = rounded(self.cac_payback_months, "0.1")
        low, high = CAC_PAYBACK_MONTHS_TYPICAL
        ratio_shown = rounded(self.ltv_to_cac, "0.01")
        t = self.ltv_to_cac_target
        lines = [
            f"LTV {amount(rounded(self.ltv, '0.01'))} = ACV {amount(self.acv)} × gross margin "
            f"{pct(self.gross_margin)} / annual churn {pct(self.annual_churn)}.",
            f"CAC payback {months} months = CAC {amount(self.cac)} / monthly gross profit "
            f"(typical SaaS: {low}-{high} months).",
            f"LTV : CAC {ratio_shown}× is {_WHERE[self.ltv_to_cac_status]} "
            f"the {t.low}-{t.high}× of mature post-sale operations.",
        ]
        if self.cs_cost_share is not None:
            lines += self.cs_cost_share.explain()
        return lines


def unit_economics(
    *,
    acv: Any,
    cac: Any,
    gross_margin: Any,
    annual_churn: Any,
    cs_cost: Any = None,
    healthy_from: float = HEALTHY_COST_SHARE_FROM,
    healthy_to: float = HEALTHY_COST_SHARE_TO,
    ltv_to_cac_target: LtvToCacTarget = DEFAULT_LTV_TO_CAC_TARGET,
) -> UnitEconomics:
    """Unit economics of an average account.

    Args:
        acv: Annual contract value (annual recurring revenue) per account, > 0.
        cac: Customer acquisition cost per account, > 0.
        gross_margin: Gross margin as a fraction in (0, 1]; pass 1 for the seeds' revenue-based payback.
        annual_churn: Annual revenue churn as a fraction in (0, 1] (e.g. ``1 - report.grr``).
        cs_cost: CS cost per account per year; when given, its share of ACV is judged with the touch
            context's 5-15 % rule.
        healthy_from: Lower end of the healthy CS cost share (inclusive).
        healthy_to: Upper end of the healthy CS cost share (inclusive).
        ltv_to_cac_target: The LTV : CAC target range.

    Raises:
        InvalidValueError: ACV or CAC <= 0, a margin or churn of 0 or outside [0, 1], negative CS cost.

    Examples:
        >>> ue = unit_economics(acv=50_000, cac=50_000, gross_margin=1, annual_churn=0.25, cs_cost=5_000)
        >>> ue.cac_payback_months, ue.ltv, ue.ltv_to_cac, ue.cs_cost_share.status.name
        (Decimal('12'), Decimal('200000'), Decimal('4'), 'HEALTHY')
    """
    share = None
    if cs_cost is not None:
        share = assess_cost_share(cs_cost, _positive("acv", acv), healthy_from=healthy_from, healthy_to=healthy_to)
    return UnitEconomics(acv, cac, gross_margin, annual_churn, share, ltv_to_cac_target)
