"""Hybrid portfolio tiering, staffing and its projection 12-24 months out (domain-spec §2.7-§2.12, A-3).

Each account is scored; its model is its tier. A portfolio whose accounts fall in more than one tier is
HYBRID (DESIGN.md). Staffing per tier is ``ceil(accounts / accounts per CSM)`` CSMs.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Final

import attrs

from postsale import _checks
from postsale._errors import InvalidTypeError, InvalidValueError
from postsale._vocabulary import AccountSnapshot, TouchModel
from postsale.touch._config import TouchConfig
from postsale.touch._cost_share import CostShare, CostShareStatus, assess_cost_share
from postsale.touch._format import pct, usd
from postsale.touch._profile import BusinessProfile, GrowthStage
from postsale.touch._scorer import DEFAULT_SCORER, Scorer, model_word

__all__ = [
    "PROJECTION_HORIZONS_MONTHS",
    "VOLUME_MULTIPLES",
    "PortfolioPlan",
    "ProjectionPoint",
    "StaffingProjection",
    "Tier",
    "TierAccount",
    "TierProjection",
    "growth_stage_for",
    "plan_portfolio",
    "project_staffing",
]

PROJECTION_HORIZONS_MONTHS: Final = (12, 18, 24)
"""Project staffing this many months out (domain-spec §2.7 "in 12 / 24 months", §2.12 mistake 5: 18-24)."""
VOLUME_MULTIPLES: Final = (2.0, 3.0)
"""Check that the model survives this many times today's volume (domain-spec §2.12 mistake 5, §2.7 "triple")."""

_TIER_ORDER: Final = (TouchModel.HIGH, TouchModel.LOW, TouchModel.TECH)


def growth_stage_for(customer_count: int, *, config: TouchConfig | None = None) -> GrowthStage:
    """Return the growth stage of a customer count (domain-spec §2.7, A-8: lower bounds inclusive).

    Examples:
        >>> growth_stage_for(99).name, growth_stage_for(100).name, growth_stage_for(2000).name
        ('STARTUP', 'EARLY_SCALE', 'AT_SCALE')
    """
    count = _checks.count("customer_count", customer_count)
    bands = (config or DEFAULT_SCORER.config).stage_bands
    return bands[bisect_right([b.lower for b in bands], count) - 1].stage


@attrs.frozen
class TierAccount:
    """One account of a portfolio plan: its tier (model), score and allocated CS cost.

    Attributes:
        account_id: The account (``None`` when the profile had no id).
        model: Its tier's model.
        total: Its six-factor total.
        acv: Its annual contract value.
        cs_cost: Its share of CSM cost: ``csm_salary / accounts_per_csm`` of its tier.
    """

    account_id: str | None
    model: TouchModel
    total: int
    acv: Decimal
    cs_cost: Decimal


@attrs.frozen
class Tier:
    """One tier of a portfolio: its accounts, revenue, staffing and cost.

    Attributes:
        model: The tier's touch model.
        accounts: Number of accounts in the tier.
        share: Share of the portfolio's accounts.
        revenue: Sum of the tier's ACV.
        accounts_per_csm: Planning ratio (config coverage).
        csm_salary: CSM salary (config coverage).
        csms_needed: ``ceil(accounts / accounts_per_csm)``.
        cs_cost: Allocated CSM cost: the sum of the accounts' ``cs_cost``.
        staffing_cost: ``csms_needed * csm_salary`` (whole CSMs are hired).
        cost_share: Staffing cost against revenue (5-15 % rule); ``None`` when revenue is 0.
    """

    model: TouchModel
    accounts: int
    share: float
    revenue: Decimal
    accounts_per_csm: int
    csm_salary: Decimal
    csms_needed: int
    cs_cost: Decimal
    staffing_cost: Decimal
    cost_share: CostShare | None


@attrs.frozen
class PortfolioPlan:
    """A portfolio split into tiers, one touch model per tier (domain-spec §2.8 hybrid, §2.11 week 2).

    Attributes:
        tiers: The non-empty tiers, most intense first.
        accounts: Every account with its tier, in input order.
        model: HYBRID when the accounts fall in more than one tier, else the single tier's model.
        growth_stage: The company's growth stage from its customer count.
        customer_count: The customer count used (the number of accounts unless given).
    """

    tiers: tuple[Tier, ...]
    accounts: tuple[TierAccount, ...]
    model: TouchModel
    growth_stage: GrowthStage
    customer_count: int

    @property
    def hybrid(self) -> bool:
        """The portfolio uses more than one touch model."""
        return self.model is TouchModel.HYBRID

    @property
    def account_count(self) -> int:
        """Number of accounts."""
        return sum(t.accounts for t in self.tiers)

    @property
    def revenue(self) -> Decimal:
        """Total ACV."""
        return sum((t.revenue for t in self.tiers), Decimal(0))

    @property
    def cs_cost(self) -> Decimal:
        """Total allocated CSM cost (sum of the accounts' cost)."""
        return sum((t.cs_cost for t in self.tiers), Decimal(0))

    @property
    def staffing_cost(self) -> Decimal:
        """Total cost of the CSMs needed."""
        return sum((t.staffing_cost for t in self.tiers), Decimal(0))

    @property
    def csms_needed(self) -> int:
        """Total CSMs needed."""
        return sum(t.csms_needed for t in self.tiers)

    @property
    def distribution(self) -> dict[TouchModel, int]:
        """Accounts per model, most intense first."""
        return {t.model: t.accounts for t in self.tiers}

    @property
    def cost_share(self) -> CostShare | None:
        """Total staffing cost against total revenue; ``None`` when revenue is 0."""
        return _cost_share(self.staffing_cost, self.revenue, None)

    def tier(self, model: TouchModel) -> Tier | None:
        """Return the tier for ``model``, or ``None`` when no account is in it."""
        for tier in self.tiers:
            if tier.model is model:
                return tier
        return None

    def explain(self) -> list[str]:
        """Return plain sentences: the distribution, each tier's staffing and cost, the verdict."""
        lines = [
            f"{self.account_count:,} accounts ({self.growth_stage.name} stage at {self.customer_count:,} customers), "
            f"revenue {usd(self.revenue)}."
        ]
        for tier in self.tiers:
            share = "" if tier.cost_share is None else f", {pct(tier.cost_share.share)} of its revenue"
            lines.append(
                f"{model_word(tier.model).capitalize()} tier: {tier.accounts:,} accounts ({pct(tier.share)}), "
                f"revenue {usd(tier.revenue)}, 1:{tier.accounts_per_csm} needs {tier.csms_needed} CSM(s) costing "
                f"{usd(tier.staffing_cost)}{share}."
            )
        total = self.cost_share
        share = (
            "" if total is None else f" ({pct(total.share)} of revenue: {total.status.name.lower().replace('_', '-')})"
        )
        lines.append(f"In total {self.csms_needed} CSM(s) costing {usd(self.staffing_cost)}{share}.")
        if self.hybrid:
            lines.append(
                "The accounts fall in more than one tier, so the portfolio needs a hybrid model: a different "
                "touch model per tier (domain-spec §2.8)."
            )
        else:
            lines.append(f"Every account falls in one tier: a single {model_word(self.model)} model fits.")
        return lines


def _cost_share(cost: Decimal, revenue: Decimal, config: TouchConfig | None) -> CostShare | None:
    if revenue <= 0:
        return None
    cfg = config or DEFAULT_SCORER.config
    return assess_cost_share(cost, revenue, healthy_from=cfg.healthy_from, healthy_to=cfg.healthy_to)


def _profiles(
    accounts: Iterable[BusinessProfile | AccountSnapshot], base: BusinessProfile | None
) -> Iterable[BusinessProfile]:
    for i, item in enumerate(accounts):
        if isinstance(item, BusinessProfile):
            yield item
        elif isinstance(item, AccountSnapshot):
            if base is None:
                raise InvalidValueError(
                    "is an AccountSnapshot but no base profile was given",
                    field=f"accounts[{i}]",
                    value=item.account_id,
                    constraint="snapshots only carry ACV and segment",
                    hint="pass base=BusinessProfile(...) with the company-wide factors",
                )
            yield base.for_account(item)
        else:
            raise InvalidTypeError(
                "is not a BusinessProfile or AccountSnapshot",
                field=f"accounts[{i}]",
                value=item,
                hint="pass profiles (or snapshots with base=...)",
            )


def plan_portfolio(
    accounts: Iterable[BusinessProfile | AccountSnapshot],
    *,
    base: BusinessProfile | None = None,
    scorer: Scorer | None = None,
    customer_count: int | None = None,
) -> PortfolioPlan:
    """Tier a portfolio: score every account, group by model, staff and cost each tier (domain-spec §2.8).

    Args:
        accounts: Business profiles (one per account), or account snapshots with ``base``.
        base: The company-wide profile (complexity, margin, positioning, growth) for snapshots.
        scorer: The scorer (default configuration when omitted); its config gives ratios and salaries.
        customer_count: Customers today (default: the number of accounts), for the growth stage.

    Returns:
        The :class:`PortfolioPlan`.

    Raises:
        InvalidValueError: no accounts, a duplicated account id, a snapshot without ``base``.
        InvalidTypeError: ``accounts`` is not a collection, an item that is neither a profile nor a snapshot,
            a ``base`` that is not a profile, a ``scorer`` that is not a Scorer.
    """
    given = _checks.items("accounts", accounts)
    if base is not None:
        _checks.instance("base", base, BusinessProfile, hint="pass the company-wide BusinessProfile(...)")
    if scorer is not None:
        _checks.instance("scorer", scorer, Scorer, hint="pass a Scorer, or None for the default configuration")
    engine = scorer or DEFAULT_SCORER
    config = engine.config
    assess = engine.assess
    grouped: dict[TouchModel, list[TierAccount]] = {m: [] for m in _TIER_ORDER}
    rows: list[TierAccount] = []
    seen: set[str] = set()
    unit = {m: config.coverage_for(m).csm_salary / config.coverage_for(m).accounts_per_csm for m in _TIER_ORDER}
    for profile in _profiles(given, base):
        if profile.account_id is not None:
            if profile.account_id in seen:
                raise InvalidValueError(
                    "appears twice", field="account_id", value=profile.account_id, hint="give each account one profile"
                )
            seen.add(profile.account_id)
        assessment = assess(profile)
        row = TierAccount(profile.account_id, assessment.model, assessment.total, profile.acv, unit[assessment.model])
        rows.append(row)
        grouped[assessment.model].append(row)
    if not rows:
        raise InvalidValueError(
            "is empty", field="accounts", constraint="a portfolio needs at least one account", hint="pass accounts"
        )
    tiers = []
    for model in _TIER_ORDER:
        members = grouped[model]
        if not members:
            continue
        coverage = config.coverage_for(model)
        revenue = sum((r.acv for r in members), Decimal(0))
        csms = math.ceil(len(members) / coverage.accounts_per_csm)
        staffing = coverage.csm_salary * csms
        tiers.append(
            Tier(
                model,
                len(members),
                len(members) / len(rows),
                revenue,
                coverage.accounts_per_csm,
                coverage.csm_salary,
                csms,
                sum((r.cs_cost for r in members), Decimal(0)),
                staffing,
                _cost_share(staffing, revenue, config),
            )
        )
    count = len(rows) if customer_count is None else _checks.count("customer_count", customer_count)
    model = TouchModel.HYBRID if len(tiers) > 1 else tiers[0].model
    return PortfolioPlan(tuple(tiers), tuple(rows), model, growth_stage_for(count, config=config), count)


# ---- projection ------------------------------------------------------------------------------------------


@attrs.frozen
class TierProjection:
    """One tier at a projected volume.

    Attributes:
        model: The tier's model.
        accounts: Projected accounts (today's count times the volume multiple, rounded half up).
        csms_needed: ``ceil(accounts / accounts_per_csm)``.
        staffing_cost: ``csms_needed * csm_salary``.
        revenue: Projected revenue (today's average ACV in the tier times the projected accounts).
    """

    model: TouchModel
    accounts: int
    csms_needed: int
    staffing_cost: Decimal
    revenue: Decimal


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
    """

    label: str
    months: float | None
    multiple: float
    tiers: tuple[TierProjection, ...]
    growth_stage: GrowthStage
    cost_share: CostShare | None
    breaks: tuple[str, ...] = ()

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


@attrs.frozen
class StaffingProjection:
    """Staffing and cost projected from a growth rate (domain-spec §2.7, §2.11 week 3, §2.12 mistake 5).

    Attributes:
        annual_growth: Yearly growth of the customer count (0.5 = +50 % a year).
        today: The portfolio as it is.
        horizons: The portfolio 12 / 18 / 24 months out (by default).
        volume_checks: The portfolio at 2x and 3x today's volume, with when that is reached.
    """

    annual_growth: float
    today: ProjectionPoint
    horizons: tuple[ProjectionPoint, ...]
    volume_checks: tuple[ProjectionPoint, ...]

    @property
    def breaking_points(self) -> tuple[ProjectionPoint, ...]:
        """The horizons and volume checks where the model breaks."""
        return tuple(p for p in self.horizons + self.volume_checks if p.breaks)

    def explain(self) -> list[str]:
        """Return one sentence per point, then the verdict (domain-spec §2.12 mistake 5)."""
        lines = [f"Growth of {pct(self.annual_growth)} a year from {self.today.accounts:,} accounts."]
        lines.append(self.today.sentence())
        lines.extend(p.sentence() for p in self.horizons + self.volume_checks)
        if self.breaking_points:
            lines.append(
                "Design for the state 18-24 months out: redesign before the first breaking point "
                "(domain-spec §2.12, mistake 5)."
            )
        else:
            lines.append("The model scales to every projected volume (domain-spec §2.12, mistake 5).")
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
            f"{stage.name} stage, which needs a different model design (domain-spec §2.7)."
        )
    if share is not None and share.status is CostShareStatus.OVER_SPENT:
        breaks.append(
            f"Staffing costs {pct(share.share)} of revenue, above the healthy {pct(config.healthy_to)} "
            "(domain-spec §2.5)."
        )
    added = sum(t.csms_needed for t in tiers) - plan.csms_needed
    if hires_per_month is not None and months is not None and added > hires_per_month * months:
        breaks.append(
            f"It needs {added} more CSM(s) in {months:.1f} months, more than hiring {hires_per_month:g} a month "
            "allows (domain-spec §2.7)."
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
    """Project a portfolio's staffing and cost forward, flagging where the model breaks (domain-spec §2.12 #5).

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
    """
    if not isinstance(plan, PortfolioPlan):
        raise InvalidTypeError("expected a PortfolioPlan", field="plan", value=plan, hint="use plan_portfolio(...)")
    growth = _checks.number("annual_growth", annual_growth)
    if growth <= -1:
        raise InvalidValueError(
            "is -100 % or less",
            field="annual_growth",
            value=annual_growth,
            constraint="must be > -1 (0.5 = +50 % a year)",
            hint="pass the yearly growth as a fraction",
        )
    months_list = []
    for i, months in enumerate(_checks.items("horizons", horizons)):
        value = _checks.count(f"horizons[{i}]", months)
        if value < 1:
            raise InvalidValueError(
                "is under one month", field=f"horizons[{i}]", value=months, constraint="must be >= 1", hint="e.g. 12"
            )
        months_list.append(value)
    multiple_list = []
    for i, multiple in enumerate(_checks.items("multiples", multiples)):
        value_f = _checks.number(f"multiples[{i}]", multiple)
        if value_f <= 0:
            raise InvalidValueError(
                "is not positive", field=f"multiples[{i}]", value=multiple, constraint="must be > 0", hint="e.g. 2.0"
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
        checks.append(_point(plan, config, f"{k:g}x volume", reach, k, hires))
    return StaffingProjection(growth, today, points, tuple(checks))
