"""Hybrid portfolio tiering and its staffing.

Each account is scored; its model is its tier. A portfolio whose accounts fall in more than one tier is
HYBRID. Staffing per tier is ``ceil(accounts / accounts per CSM)`` CSMs.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Final

import attrs

from postsale import _checks
from postsale._errors import InvalidTypeError, InvalidValueError
from postsale._vocabulary import AccountSnapshot, TouchModel
from postsale.touch._assessment import model_word
from postsale.touch._config import TouchConfig
from postsale.touch._cost_share import CostShare, assess_cost_share
from postsale.touch._format import pct, usd
from postsale.touch._profile import BusinessProfile, GrowthStage
from postsale.touch._scorer import DEFAULT_SCORER, Scorer
from postsale.touch._validation import is_a, whole

__all__ = ["PortfolioPlan", "Tier", "TierAccount", "growth_stage_for", "plan_portfolio"]

_TIER_ORDER: Final = (TouchModel.HIGH, TouchModel.LOW, TouchModel.TECH)


def growth_stage_for(customer_count: int, *, config: TouchConfig | None = None) -> GrowthStage:
    """Return the growth stage of a customer count (lower bounds inclusive).

    Examples:
        >>> growth_stage_for(99).name, growth_stage_for(100).name, growth_stage_for(2000).name
        ('STARTUP', 'EARLY_SCALE', 'AT_SCALE')
    """
    count = _checks.count("customer_count", customer_count)
    if config is not None:
        _checks.instance("config", config, TouchConfig, hint="pass a postsale.touch.TouchConfig, or None")
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

    Examples:
        >>> company = dict(complexity="LOW_TO_MODERATE", gross_margin=0.6, positioning="VALUE", growth_stage="GROWTH")
        >>> accounts = ([BusinessProfile(acv=150_000, segment="ENTERPRISE", **company)] * 2
        ...             + [BusinessProfile(acv=4_000, segment="SMB", **company)] * 30)
        >>> plan = plan_portfolio(accounts)
        >>> first = plan.accounts[0]
        >>> first.model, first.total, first.cs_cost
        (<TouchModel.HIGH: 'high'>, 19, Decimal('15000'))
    """

    account_id: str | None
    model: TouchModel
    total: int
    acv: Decimal
    cs_cost: Decimal

    def __attrs_post_init__(self) -> None:
        # One cheap test (one row per account of a plan); the full check only when it fails.
        if not (
            (self.account_id is None or self.account_id.__class__ is str) and self.model.__class__ is TouchModel
            and self.total.__class__ is int and self.acv.__class__ is Decimal and self.cs_cost.__class__ is Decimal
        ):
            if self.account_id is not None:
                _checks.text("account_id", self.account_id)
            object.__setattr__(self, "model", _checks.member(TouchModel, "model", self.model))
            _checks.count("total", self.total)
            object.__setattr__(self, "acv", _checks.money("acv", self.acv))
            object.__setattr__(self, "cs_cost", _checks.money("cs_cost", self.cs_cost))


def _to_model(value: Any) -> TouchModel:
    return _checks.member(TouchModel, "model", value)


def _to_revenue(value: Any) -> Decimal:
    return _checks.money("revenue", value)


def _to_csm_salary(value: Any) -> Decimal:
    return _checks.money("csm_salary", value)


def _to_cs_cost(value: Any) -> Decimal:
    return _checks.money("cs_cost", value)


def _to_staffing_cost(value: Any) -> Decimal:
    return _checks.money("staffing_cost", value)


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

    Examples:
        >>> company = dict(complexity="LOW_TO_MODERATE", gross_margin=0.6, positioning="VALUE", growth_stage="GROWTH")
        >>> accounts = ([BusinessProfile(acv=150_000, segment="ENTERPRISE", **company)] * 2
        ...             + [BusinessProfile(acv=4_000, segment="SMB", **company)] * 30)
        >>> plan = plan_portfolio(accounts)
        >>> tier = plan.tier(TouchModel.TECH)
        >>> tier.accounts, tier.accounts_per_csm, tier.csms_needed
        (30, 500, 1)
    """

    model: TouchModel = attrs.field(converter=_to_model)
    accounts: int = attrs.field(validator=whole())
    share: float = attrs.field(validator=_checks.validator(_checks.ratio))
    revenue: Decimal = attrs.field(converter=_to_revenue)
    accounts_per_csm: int = attrs.field(validator=whole())
    csm_salary: Decimal = attrs.field(converter=_to_csm_salary)
    csms_needed: int = attrs.field(validator=whole())
    cs_cost: Decimal = attrs.field(converter=_to_cs_cost)
    staffing_cost: Decimal = attrs.field(converter=_to_staffing_cost)
    cost_share: CostShare | None = attrs.field(validator=is_a(CostShare, optional=True))


def _to_tiers(value: Any) -> tuple[Tier, ...]:
    return _checks.items("tiers", value, Tier)


def _to_accounts(value: Any) -> tuple[TierAccount, ...]:
    return _checks.items("accounts", value, TierAccount)


def _to_growth_stage(value: Any) -> GrowthStage:
    return _checks.member(GrowthStage, "growth_stage", value)


@attrs.frozen
class PortfolioPlan:
    """A portfolio split into tiers, one touch model per tier.

    Attributes:
        tiers: The non-empty tiers, most intense first.
        accounts: Every account with its tier, in input order.
        model: HYBRID when the accounts fall in more than one tier, else the single tier's model.
        growth_stage: The company's growth stage from its customer count.
        customer_count: The customer count used (the number of accounts unless given).

    Examples:
        >>> company = dict(complexity="LOW_TO_MODERATE", gross_margin=0.6, positioning="VALUE", growth_stage="GROWTH")
        >>> accounts = ([BusinessProfile(acv=150_000, segment="ENTERPRISE", **company)] * 2
        ...             + [BusinessProfile(acv=4_000, segment="SMB", **company)] * 30)
        >>> plan = plan_portfolio(accounts)
        >>> plan.account_count, plan.csms_needed, plan.hybrid
        (32, 2, True)
    """

    tiers: tuple[Tier, ...] = attrs.field(converter=_to_tiers)
    accounts: tuple[TierAccount, ...] = attrs.field(converter=_to_accounts)
    model: TouchModel = attrs.field(converter=_to_model)
    growth_stage: GrowthStage = attrs.field(converter=_to_growth_stage)
    customer_count: int = attrs.field(validator=whole())

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
        model = _checks.member(TouchModel, "model", model)
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
                "touch model per tier."
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
    """Tier a portfolio: score every account, group by model, staff and cost each tier.

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

    Examples:
        >>> company = dict(complexity="LOW_TO_MODERATE", gross_margin=0.6, positioning="VALUE", growth_stage="GROWTH")
        >>> accounts = ([BusinessProfile(acv=150_000, segment="ENTERPRISE", **company)] * 2
        ...             + [BusinessProfile(acv=4_000, segment="SMB", **company)] * 30)
        >>> plan = plan_portfolio(accounts)
        >>> plan.model, {m.name: n for m, n in plan.distribution.items()}
        (<TouchModel.HYBRID: 'hybrid'>, {'HIGH': 2, 'TECH': 30})
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
