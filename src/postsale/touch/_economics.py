"""CS economics of one account: budget, CSM cost per account, viability of each touch model.

The sources' three worked examples are reproduced exactly (guide: Touch models › The cost rule,
docs/guide/touch.md#the-cost-rule); the scorer caps every recommendation at this module's (see ``_ceiling``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from postsale import _checks
from postsale._errors import InvalidValueError
from postsale._repr import readable
from postsale._vocabulary import TouchModel
from postsale.touch._assessment import model_word
from postsale.touch._config import DEFAULT_CONFIG, Coverage, TouchConfig
from postsale.touch._cost_share import CostShare, CostShareStatus, assess_cost_share
from postsale.touch._format import pct, usd
from postsale.touch._validation import is_a, whole

__all__ = ["AccountEconomics", "ModelOption", "assess_economics", "csm_cost_per_account", "model_for_ratio"]

_BY_INTENSITY = (TouchModel.HIGH, TouchModel.LOW, TouchModel.TECH)


def _share(value: float) -> Decimal:
    return Decimal(repr(value))


def csm_cost_per_account(csm_salary: Decimal, accounts_per_csm: int) -> Decimal:
    """Return the CSM cost per account: salary / accounts per CSM.

    Raises:
        InvalidValueError: negative salary, or fewer than one account per CSM.

    Examples:
        >>> csm_cost_per_account(Decimal(150_000), 12)
        Decimal('12500')
    """
    salary = _checks.money("csm_salary", csm_salary)
    ratio = _checks.count("accounts_per_csm", accounts_per_csm)
    if ratio < 1:
        raise InvalidValueError(
            "is zero", field="accounts_per_csm", value=ratio, constraint="must be >= 1", hint="pass e.g. 50"
        )
    return salary / ratio


def model_for_ratio(accounts_per_csm: int, *, config: TouchConfig = DEFAULT_CONFIG) -> TouchModel:
    """Return the touch model a CSM ratio implies: from 500 TECH, from 40 LOW, else HIGH.

    The edges are each model's :attr:`~postsale.touch.Coverage.ratio_from`, checked from the least
    intense model down; ratios between the typical ranges (16-39) count as the more intense model.

    Examples:
        >>> model_for_ratio(12), model_for_ratio(50), model_for_ratio(500)
        (<TouchModel.HIGH: 'high'>, <TouchModel.LOW: 'low'>, <TouchModel.TECH: 'tech'>)
    """
    ratio = _checks.count("accounts_per_csm", accounts_per_csm)
    _checks.instance("config", config, TouchConfig, hint="pass a postsale.touch.TouchConfig")
    for model in (TouchModel.TECH, TouchModel.LOW):
        if ratio >= config.coverage_for(model).ratio_from:
            return model
    return TouchModel.HIGH


def _to_model(value: Any) -> TouchModel:
    return _checks.member(TouchModel, "model", value)


def _to_csm_salary(value: Any) -> Decimal:
    return _checks.money("csm_salary", value)


def _to_cost_per_account(value: Any) -> Decimal:
    return _checks.money("cost_per_account", value)


def _to_spend_from(value: Any) -> Decimal:
    return _checks.money("spend_from", value)


def _to_spend_to(value: Any) -> Decimal:
    return _checks.money("spend_to", value)


@attrs.frozen
class ModelOption:
    """What one touch model would cost for an account, and whether the economics support it.

    Attributes:
        model: HIGH, LOW or TECH.
        accounts_per_csm: The ratio used.
        csm_salary: The CSM salary used.
        cost_per_account: ``csm_salary / accounts_per_csm``.
        cost_share: That cost against the account's revenue (the 5-15 % rule).
        viable: The cost share is not above the healthy range (an under-invested option is viable).
        spend_from: Lower end of the typical spend for the model (guidance only).
        spend_to: Upper end of that spend.
        planned: The option uses the caller's own salary and ratio.

    Examples:
        >>> from decimal import Decimal
        >>> option = assess_economics(Decimal(25_000), 0.7).option(TouchModel.LOW)
        >>> option.cost_per_account, option.viable
        (Decimal('2400'), True)
    """

    __repr__ = readable
    model: TouchModel = attrs.field(converter=_to_model)
    accounts_per_csm: int = attrs.field(validator=whole())
    csm_salary: Decimal = attrs.field(converter=_to_csm_salary)
    cost_per_account: Decimal = attrs.field(converter=_to_cost_per_account)
    cost_share: CostShare = attrs.field(validator=is_a(CostShare))
    viable: bool = attrs.field(validator=is_a(bool))
    spend_from: Decimal = attrs.field(converter=_to_spend_from)
    spend_to: Decimal = attrs.field(converter=_to_spend_to)
    planned: bool = attrs.field(default=False, validator=is_a(bool))

    @property
    def within_spend_guidance(self) -> bool:
        """The cost per account lies in the model's typical spend range."""
        return self.spend_from <= self.cost_per_account <= self.spend_to

    def sentence(self) -> str:
        """One sentence describing this option."""
        verdict = {
            CostShareStatus.HEALTHY: "viable",
            CostShareStatus.UNDER_INVESTED: "viable, though under the healthy range",
            CostShareStatus.OVER_SPENT: "not viable",
        }[self.cost_share.status]
        source = "your plan" if self.planned else "default"
        return (
            f"{model_word(self.model).capitalize()} ({source}: one CSM at {usd(self.csm_salary)} for "
            f"{self.accounts_per_csm} accounts) costs {usd(self.cost_per_account)} per account, "
            f"{pct(self.cost_share.share)} of revenue: {verdict}."
        )


def _option(
    model: TouchModel, coverage: Coverage, salary: Decimal, ratio: int, acv: Decimal, config: TouchConfig, planned: bool
) -> ModelOption:
    cost = salary / ratio
    share = assess_cost_share(cost, acv, healthy_from=config.healthy_from, healthy_to=config.healthy_to)
    return ModelOption(
        model,
        ratio,
        salary,
        cost,
        share,
        share.status is not CostShareStatus.OVER_SPENT,
        coverage.spend_from,
        coverage.spend_to,
        planned,
    )


def _to_acv(value: Any) -> Decimal:
    return _checks.money("acv", value)


def _to_gross_profit(value: Any) -> Decimal:
    return _checks.money("gross_profit", value)


def _to_cs_budget(value: Any) -> Decimal:
    return _checks.money("cs_budget", value)


def _to_options(value: Any) -> tuple[ModelOption, ...]:
    return _checks.items("options", value, ModelOption)


def _to_recommended(value: Any) -> TouchModel | None:
    return None if value is None else _checks.member(TouchModel, "recommended", value)


@attrs.frozen
class AccountEconomics:
    """The CS economics of one account: budget, options per model, recommendation.

    Attributes:
        acv: Annual contract value (revenue).
        gross_margin: Gross margin (fraction).
        gross_profit: ``acv * gross_margin`` (computed for context; the budget is a share of revenue).
        budget_share: CS budget as a share of revenue (default 10 %).
        cs_budget: ``acv * budget_share``.
        options: What HIGH, LOW and TECH would cost, most intense first.
        plan: The caller's own coverage (salary and ratio), when given.
        recommended: The most intense viable model, or ``None`` when none is viable.

    Examples:
        >>> from decimal import Decimal
        >>> economics = assess_economics(Decimal(25_000), 0.7)
        >>> economics.cs_budget, economics.recommended
        (Decimal('2500.0'), <TouchModel.LOW: 'low'>)
    """

    __repr__ = readable
    acv: Decimal = attrs.field(converter=_to_acv)
    gross_margin: float = attrs.field(validator=_checks.validator(_checks.ratio))
    gross_profit: Decimal = attrs.field(converter=_to_gross_profit)
    budget_share: float = attrs.field(validator=_checks.validator(_checks.ratio))
    cs_budget: Decimal = attrs.field(converter=_to_cs_budget)
    options: tuple[ModelOption, ...] = attrs.field(converter=_to_options)
    plan: ModelOption | None = attrs.field(validator=is_a(ModelOption, optional=True))
    recommended: TouchModel | None = attrs.field(converter=_to_recommended)

    def option(self, model: TouchModel) -> ModelOption:
        """Return the option for ``model`` (HIGH, LOW or TECH)."""
        for option in self.options:
            if option.model is model:
                return option
        raise InvalidValueError(
            "has no economics option", field="model", value=model, constraint="HIGH, LOW or TECH", hint="pass one"
        )

    @property
    def viable_models(self) -> tuple[TouchModel, ...]:
        """The models whose cost share is not above the healthy range, most intense first."""
        return tuple(o.model for o in self.options if o.viable)

    @property
    def human_touch_viable(self) -> bool:
        """High-touch or low-touch is viable (a CSM ratio that makes human touch work exists)."""
        return any(o.viable for o in self.options if o.model is not TouchModel.TECH)

    @property
    def within_budget(self) -> bool | None:
        """The planned cost per account is within the CS budget (``None`` without a plan)."""
        return None if self.plan is None else self.plan.cost_per_account <= self.cs_budget

    @property
    def over_serving(self) -> bool | None:
        """The planned cost share is above the healthy range; ``None`` without a plan."""
        return None if self.plan is None else self.plan.cost_share.status is CostShareStatus.OVER_SPENT

    def explain(self) -> list[str]:
        """Return plain sentences: profit, budget, plan, each option and the recommendation."""
        lines = [
            f"ACV {usd(self.acv)} at {pct(self.gross_margin)} gross margin gives {usd(self.gross_profit)} gross "
            "profit per year.",
            f"The CS budget at {pct(self.budget_share)} of revenue (revenue, not gross profit) "
            f"is {usd(self.cs_budget)} per year.",
        ]
        if self.plan is not None:
            plan = self.plan
            lines.append(f"Your plan: {plan.sentence()}")
            if not self.within_budget and plan.viable:
                lines.append(
                    f"The plan's {usd(plan.cost_per_account)} exceeds the {usd(self.cs_budget)} budget but stays "
                    "inside the 5-15 % rule, which decides."
                )
            if self.over_serving:
                lines.append(
                    "The plan over-serves this customer: the service costs more than the account can carry."
                )
        lines.extend(o.sentence() for o in self.options if not o.planned)
        if not self.human_touch_viable:
            lines.append("No CSM ratio makes human touch work at this ACV.")
        if self.recommended is None:
            lines.append("No touch model is viable: raise the price, or automate further than tech-touch.")
        else:
            lines.append(f"Recommended: {model_word(self.recommended)}, the most intense model the economics support.")
        return lines


def assess_economics(
    acv: Decimal,
    gross_margin: float,
    *,
    csm_salary: Decimal | None = None,
    accounts_per_csm: int | None = None,
    budget_share: float | None = None,
    config: TouchConfig = DEFAULT_CONFIG,
) -> AccountEconomics:
    """Work out the CS economics of one account.

    Each model's cost per account is ``salary / accounts per CSM`` (the config's coverage, or your own
    ``csm_salary`` / ``accounts_per_csm``: the ratio then implies its model, :func:`model_for_ratio`). A
    model is viable when that cost is not above the healthy share of revenue (5-15 % rule); the
    recommendation is the most intense viable model.

    Args:
        acv: Annual contract value (> 0).
        gross_margin: Gross margin as a fraction in [0, 1].
        csm_salary: Your CSM salary (applies to your plan, or to every model when no ratio is given).
        accounts_per_csm: Your CSM ratio (the N of 1:N); with it, the options include your plan.
        budget_share: CS budget as a share of revenue (default ``config.cs_budget_share``, 10 %).
        config: Coverage, healthy range and budget defaults.

    Returns:
        The :class:`AccountEconomics`.

    Raises:
        InvalidValueError: ACV <= 0, margin or budget share outside [0, 1], negative salary, ratio < 1.

    Examples:
        >>> e = assess_economics(Decimal(120_000), 0.8, csm_salary=Decimal(150_000), accounts_per_csm=12)
        >>> e.plan.cost_per_account, e.plan.cost_share.status.name, e.recommended.name
        (Decimal('12500'), 'HEALTHY', 'HIGH')
    """
    _checks.instance("config", config, TouchConfig, hint="pass a postsale.touch.TouchConfig")
    revenue = _checks.money("acv", acv)
    if revenue <= 0:
        raise InvalidValueError(
            "is not positive",
            field="acv",
            value=acv,
            constraint="must be > 0",
            hint="pass the account's yearly revenue",
        )
    margin = _checks.ratio("gross_margin", gross_margin)
    share = config.cs_budget_share if budget_share is None else _checks.ratio("budget_share", budget_share)
    salary = None if csm_salary is None else _checks.money("csm_salary", csm_salary)
    ratio: int | None = None
    if accounts_per_csm is not None:
        ratio = _checks.count("accounts_per_csm", accounts_per_csm)
        if ratio < 1:
            raise InvalidValueError(
                "is zero", field="accounts_per_csm", value=ratio, constraint="must be >= 1", hint="pass e.g. 50"
            )
    plan_model = None if ratio is None else model_for_ratio(ratio, config=config)
    options = []
    plan = None
    for model in _BY_INTENSITY:
        coverage = config.coverage_for(model)
        if model is plan_model and ratio is not None:  # plan_model is None when ratio is
            plan = _option(model, coverage, salary or coverage.csm_salary, ratio, revenue, config, True)
            options.append(plan)
        else:
            use_salary = salary if salary is not None and ratio is None else coverage.csm_salary
            options.append(_option(model, coverage, use_salary, coverage.accounts_per_csm, revenue, config, False))
    recommended = next((o.model for o in options if o.viable), None)
    return AccountEconomics(
        revenue,
        margin,
        revenue * _share(margin),
        share,
        revenue * _share(share),
        tuple(options),
        plan,
        recommended,
    )
