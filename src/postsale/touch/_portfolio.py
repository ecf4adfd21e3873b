"""Hybrid portfolio tiering and its staffing.

Each account is scored; its model is its tier. A portfolio whose accounts fall in more than one tier is
HYBRID. Staffing per tier is ``ceil(accounts / accounts per CSM)`` CSMs.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Final

import attrs

from postsale import _checks
from postsale._errors import InvalidTypeError, InvalidValueError
from postsale._repr import readable
from postsale._vocabulary import AccountSnapshot, TouchModel
from postsale.touch._assessment import model_word
from postsale.touch._config import CS_BUDGET_SHARE, TouchConfig
from postsale.touch._cost_share import (
    HEALTHY_COST_SHARE_FROM,
    HEALTHY_COST_SHARE_TO,
    CostShare,
    CostShareStatus,
    assess_cost_share,
    quotient,
)
from postsale.touch._format import pct, pct_number, usd
from postsale.touch._profile import BusinessProfile, GrowthStage
from postsale.touch._scorer import DEFAULT_SCORER, Scorer
from postsale.touch._staffing import LIGHTER, TIER_ORDER, derived_ratio, rounded, staffing_ratios, supported
from postsale.touch._validation import is_a, optional_whole, whole

__all__ = ["PortfolioPlan", "Tier", "TierAccount", "growth_stage_for", "plan_portfolio"]

_TIER_ORDER: Final = TIER_ORDER


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

    __repr__ = readable
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
        derived_ratio: The ratio this tier's own economics derive: the fewest accounts per CSM whose cost stays
            within the CS budget (10 % of revenue), ``ceil(csm_salary / (average ACV * budget share))``; ``None``
            when the tier has no revenue.
        ratio_given: ``accounts_per_csm`` was given to the plan (``plan_portfolio(accounts_per_csm=...)``)
            instead of the model's planning ratio.

    Examples:
        >>> company = dict(complexity="LOW_TO_MODERATE", gross_margin=0.6, positioning="VALUE", growth_stage="GROWTH")
        >>> accounts = ([BusinessProfile(acv=150_000, segment="ENTERPRISE", **company)] * 2
        ...             + [BusinessProfile(acv=4_000, segment="SMB", **company)] * 30)
        >>> plan = plan_portfolio(accounts)
        >>> tier = plan.tier(TouchModel.TECH)
        >>> tier.accounts, tier.accounts_per_csm, tier.csms_needed, tier.derived_ratio, tier.flagged
        (30, 500, 1, 300, True)
    """

    __repr__ = readable
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
    derived_ratio: int | None = attrs.field(default=None, validator=optional_whole())
    ratio_given: bool = attrs.field(default=False, validator=is_a(bool))

    @property
    def flagged(self) -> bool:
        """The tier's staffing cost is outside the healthy 5-15 % of its revenue (above or below it)."""
        return self.cost_share is not None and self.cost_share.status is not CostShareStatus.HEALTHY

    @property
    def ratio_differs(self) -> bool:
        """The ratio was given to the plan and differs from the one the tier's economics derive."""
        return self.ratio_given and self.derived_ratio is not None and self.derived_ratio != self.accounts_per_csm

    def warnings(self, budget_share: float = CS_BUDGET_SHARE) -> list[str]:
        """Return the sentences that flag this tier: its cost outside the 5-15 % rule, a given ratio that differs
        from the derived one (``budget_share`` is the CS budget the derived ratio was computed with).

        Examples:
            >>> company = dict(complexity="MODERATE", gross_margin=0.75, positioning="MARKET_STANDARD",
            ...                growth_stage="AT_SCALE")
            >>> plan = plan_portfolio([BusinessProfile(acv=15_000, segment="MID_MARKET", **company)] * 50,
            ...                       accounts_per_csm={"TECH": 50})
            >>> for line in plan.tier(TouchModel.TECH).warnings():
            ...     print(line)
            The tech-touch tier costs 16 % of its revenue, above the 5-15 % a CS team can sustain: automate
            further or raise prices.
            The tech-touch tier is staffed at 1:50, a ratio given to the plan rather than derived from this
            portfolio: at a CS budget of 10 % of revenue, its $15,000 average ACV pays for 1:80 (1:54 to
            1:160 stay within 5-15 %). Design the ratio on your own economics, not on a benchmark.
        """
        budget_share = _checks.ratio("budget_share", budget_share)
        lines = []
        word = model_word(self.model)
        share = self.cost_share
        if share is not None and share.status is not CostShareStatus.HEALTHY:
            rule = f"{pct_number(share.healthy_from)}-{pct(share.healthy_to)}"
            loaded = quotient(self.cs_cost, self.revenue) if self.revenue > 0 else None
            last = self.accounts - (self.csms_needed - 1) * self.accounts_per_csm
            partly_used = loaded is not None and self.csms_needed > 0 and loaded <= Decimal(repr(share.healthy_to))
            if share.status is CostShareStatus.OVER_SPENT and loaded is not None and partly_used:
                lines.append(
                    f"The {word} tier costs {pct(share.share)} of its revenue, above the {rule} a CS team can "
                    f"sustain, because its last CSM covers {last:,} of {self.accounts_per_csm:,} accounts: share "
                    f"that CSM with another tier or grow the tier (fully loaded, it would cost "
                    f"{pct(float(loaded))})."
                )
            elif share.status is CostShareStatus.OVER_SPENT:
                lighter = LIGHTER.get(self.model)
                advice = "automate further" if lighter is None else f"move accounts to {model_word(lighter)}"
                lines.append(
                    f"The {word} tier costs {pct(share.share)} of its revenue, above the {rule} a CS team can "
                    f"sustain: {advice} or raise prices."
                )
            else:
                lines.append(
                    f"The {word} tier costs {pct(share.share)} of its revenue, below the {rule} rule: probably "
                    "under-investing, which tends to show up in retention; its revenue can pay for closer coverage."
                )
        if self.ratio_differs and self.derived_ratio is not None and self.accounts > 0:
            average = self.revenue / self.accounts
            allowed = supported(self.csm_salary, average, share)
            lines.append(
                f"The {word} tier is staffed at 1:{self.accounts_per_csm}, a ratio given to the plan rather than "
                f"derived from this portfolio: at a CS budget of {pct(budget_share)} of revenue, its "
                f"{usd(rounded(average))} average ACV pays for 1:{self.derived_ratio}{allowed}. Design the ratio on "
                "your own economics, not on a benchmark."
            )
        return lines


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
        budget_share: The CS budget (share of revenue) each tier's ``derived_ratio`` was computed with.

    Examples:
        >>> company = dict(complexity="LOW_TO_MODERATE", gross_margin=0.6, positioning="VALUE", growth_stage="GROWTH")
        >>> accounts = ([BusinessProfile(acv=150_000, segment="ENTERPRISE", **company)] * 2
        ...             + [BusinessProfile(acv=4_000, segment="SMB", **company)] * 30)
        >>> plan = plan_portfolio(accounts)
        >>> plan.account_count, plan.csms_needed, plan.hybrid
        (32, 2, True)
    """

    __repr__ = readable
    tiers: tuple[Tier, ...] = attrs.field(converter=_to_tiers)
    accounts: tuple[TierAccount, ...] = attrs.field(converter=_to_accounts)
    model: TouchModel = attrs.field(converter=_to_model)
    growth_stage: GrowthStage = attrs.field(converter=_to_growth_stage)
    customer_count: int = attrs.field(validator=whole())
    budget_share: float = attrs.field(default=CS_BUDGET_SHARE, validator=_checks.validator(_checks.ratio))

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
        """Total staffing cost against total revenue (the tiers' healthy range); ``None`` when revenue is 0."""
        if self.revenue <= 0:
            return None
        ranges = [t.cost_share for t in self.tiers if t.cost_share is not None]
        low, high = (ranges[0].healthy_from, ranges[0].healthy_to) if ranges else (None, None)
        return assess_cost_share(
            self.staffing_cost, self.revenue,
            healthy_from=HEALTHY_COST_SHARE_FROM if low is None else low,
            healthy_to=HEALTHY_COST_SHARE_TO if high is None else high,
        )

    @property
    def flagged(self) -> bool:
        """The portfolio's total staffing cost is outside the healthy 5-15 % of its revenue."""
        total = self.cost_share
        return total is not None and total.status is not CostShareStatus.HEALTHY

    @property
    def warnings(self) -> list[str]:
        """The sentences that flag the plan: each tier outside the 5-15 % rule, each given ratio that differs from
        the one the tier's economics derive, and the total outside the rule (empty when nothing is flagged).

        Examples:
            >>> company = dict(complexity="MODERATE", gross_margin=0.75, positioning="MARKET_STANDARD",
            ...                growth_stage="AT_SCALE")
            >>> plan = plan_portfolio([BusinessProfile(acv=9_000, segment="SMB", competitor_dedicated_csm=True,
            ...                                        **company)] * 50)
            >>> for line in plan.warnings:
            ...     print(line)
            The low-touch tier costs 26.67 % of its revenue, above the 5-15 % a CS team can sustain: move
            accounts to tech-touch or raise prices.
            In total the CSMs cost 26.67 % of revenue, above the 5-15 % a CS team can sustain: move accounts
            to a lighter tier, or raise prices.
        """
        lines = [line for tier in self.tiers for line in tier.warnings(self.budget_share)]
        total = self._total_warning()
        return [*lines, total] if total else lines

    def _total_warning(self) -> str | None:
        total = self.cost_share
        if total is None or total.status is CostShareStatus.HEALTHY:
            return None
        rule = f"{pct_number(total.healthy_from)}-{pct(total.healthy_to)}"
        loaded = self.cs_cost / self.revenue
        if total.status is CostShareStatus.OVER_SPENT and loaded <= Decimal(repr(total.healthy_to)):
            return (
                f"In total the CSMs cost {pct(total.share)} of revenue, above the {rule} a CS team can sustain, "
                f"because some CSMs are only partly used (fully loaded, they would cost {pct(float(loaded))}): share "
                "them across tiers or grow into them."
            )
        if total.status is CostShareStatus.OVER_SPENT:
            return (
                f"In total the CSMs cost {pct(total.share)} of revenue, above the {rule} a CS team can sustain: "
                "move accounts to a lighter tier, or raise prices."
            )
        return (
            f"In total the CSMs cost {pct(total.share)} of revenue, below the {rule} rule: probably under-investing, "
            "which tends to show up in retention."
        )

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
            lines.extend(tier.warnings(self.budget_share))
        total = self.cost_share
        share = (
            "" if total is None else f" ({pct(total.share)} of revenue: {total.status.name.lower().replace('_', '-')})"
        )
        lines.append(f"In total {self.csms_needed} CSM(s) costing {usd(self.staffing_cost)}{share}.")
        warning = self._total_warning()
        if warning:
            lines.append(warning)
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
    accounts_per_csm: int | Mapping[TouchModel | str, int] | None = None,
) -> PortfolioPlan:
    """Tier a portfolio: score every account, group by model, staff and cost each tier.

    Each tier is staffed at its model's planning ratio (the config's coverage: 1:10, 1:50, 1:500), or at the ratio
    you give. A given ratio is compared with the one the tier's own economics derive (``Tier.derived_ratio``: the
    fewest accounts per CSM whose cost fits the CS budget); when they differ, :meth:`PortfolioPlan.explain` says so
    with both numbers: a ratio copied from a competitor or a benchmark, without their ACV, complexity and margins,
    is a classic mistake. A tier whose staffing cost is outside 5-15 % of its revenue is flagged
    (``Tier.flagged``), and so is the total (``PortfolioPlan.flagged``), each with the sentence that explains it
    (``PortfolioPlan.warnings``, also in ``explain()``).

    Args:
        accounts: Business profiles (one per account), or account snapshots with ``base``.
        base: The company-wide profile (complexity, margin, positioning, growth) for snapshots.
        scorer: The scorer (default configuration when omitted); its config gives ratios and salaries.
        customer_count: Customers today (default: the number of accounts), for the growth stage.
        accounts_per_csm: Your own CSM ratio (the N of 1:N), for every tier or per model
            (``{"LOW": 30}``; the other tiers keep their planning ratio).

    Returns:
        The :class:`PortfolioPlan`.

    Raises:
        InvalidValueError: no accounts, a duplicated account id, a snapshot without ``base``, a ratio below 1.
        InvalidTypeError: ``accounts`` is not a collection, an item that is neither a profile nor a snapshot,
            a ``base`` that is not a profile, a ``scorer`` that is not a Scorer, a ratio that is not a whole number
            nor a mapping of models to whole numbers.
        UnknownNameError: a ratio for an unknown model (or HYBRID, which has no ratio of its own).

    Examples:
        >>> company = dict(complexity="LOW_TO_MODERATE", gross_margin=0.6, positioning="VALUE", growth_stage="GROWTH")
        >>> accounts = ([BusinessProfile(acv=150_000, segment="ENTERPRISE", **company)] * 2
        ...             + [BusinessProfile(acv=4_000, segment="SMB", **company)] * 30)
        >>> plan = plan_portfolio(accounts)
        >>> plan.model, {m.name: n for m, n in plan.distribution.items()}
        (<TouchModel.HYBRID: 'hybrid'>, {'HIGH': 2, 'TECH': 30})

        A competitor's 1:30 copied for 60 enterprise accounts:

        >>> enterprise = [BusinessProfile(acv=150_000, segment="ENTERPRISE", **company)] * 60
        >>> for line in plan_portfolio(enterprise, accounts_per_csm=30).warnings:
        ...     print(line)
        The high-touch tier costs 3.33 % of its revenue, below the 5-15 % rule: probably under-investing, which
        tends to show up in retention; its revenue can pay for closer coverage.
        The high-touch tier is staffed at 1:30, a ratio given to the plan rather than derived from this
        portfolio: at a CS budget of 10 % of revenue, its $150,000 average ACV pays for 1:10 (1:7 to 1:20 stay
        within 5-15 %). Design the ratio on your own economics, not on a benchmark.
        In total the CSMs cost 3.33 % of revenue, below the 5-15 % rule: probably under-investing, which tends
        to show up in retention.
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
    ratios, given_ratios = staffing_ratios(accounts_per_csm, config)
    unit = {m: config.coverage_for(m).csm_salary / ratios[m] for m in _TIER_ORDER}
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
        csms = math.ceil(len(members) / ratios[model])
        staffing = coverage.csm_salary * csms
        tiers.append(
            Tier(
                model,
                len(members),
                len(members) / len(rows),
                revenue,
                ratios[model],
                coverage.csm_salary,
                csms,
                sum((r.cs_cost for r in members), Decimal(0)),
                staffing,
                _cost_share(staffing, revenue, config),
                derived_ratio(coverage.csm_salary, len(members), revenue, config.cs_budget_share),
                model in given_ratios,
            )
        )
    count = len(rows) if customer_count is None else _checks.count("customer_count", customer_count)
    model = TouchModel.HYBRID if len(tiers) > 1 else tiers[0].model
    return PortfolioPlan(
        tuple(tiers), tuple(rows), model, growth_stage_for(count, config=config), count, config.cs_budget_share
    )
