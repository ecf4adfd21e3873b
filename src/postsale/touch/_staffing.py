"""The staffing side of a portfolio plan: the ratio each tier is staffed at, the ratio its economics derive, and
the ratios the 5-15 % rule allows (private)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

from postsale import _checks
from postsale._errors import InvalidValueError, UnknownNameError
from postsale._vocabulary import TouchModel
from postsale.touch._config import TouchConfig
from postsale.touch._cost_share import CostShare, quotient
from postsale.touch._format import pct, pct_number

TIER_ORDER: Final = (TouchModel.HIGH, TouchModel.LOW, TouchModel.TECH)
"""The tiers of a plan, most intense first."""

LIGHTER: Final = {TouchModel.HIGH: TouchModel.LOW, TouchModel.LOW: TouchModel.TECH}
"""The model a tier above the 5-15 % rule can move accounts to (tech-touch has none: it automates further)."""


def rounded(amount: Decimal) -> Decimal:
    """``amount`` to whole dollars (a huge amount as it is: never quantize past the context's precision)."""
    return amount.quantize(Decimal(1)) if amount.adjusted() < 24 else amount


def supported(salary: Decimal, average: Decimal, share: CostShare | None) -> str:
    """`` (1:a to 1:b stay within 5-15 %)``: the ratios whose cost per account is inside the healthy range."""
    if share is None or average <= 0 or share.healthy_to <= 0:
        return ""
    rule = f"{pct_number(share.healthy_from)}-{pct(share.healthy_to)}"
    lowest = quotient(salary, average * Decimal(repr(share.healthy_to)))
    if lowest > _checks.MAX_COUNT:  # a vanishing ACV: no ratio of accounts per CSM is worth writing
        return ""
    fewest = max(1, math.ceil(lowest))
    if share.healthy_from <= 0:
        return f" (1:{fewest} or more stay within {rule})"
    most = math.floor(min(quotient(salary, average * Decimal(repr(share.healthy_from))), Decimal(_checks.MAX_COUNT)))
    if most < fewest:
        return ""
    return f" (1:{fewest} to 1:{most} stay within {rule})"


def _ratio(field: str, value: Any) -> int:
    ratio = _checks.count(field, value)
    if ratio < 1:
        raise InvalidValueError(
            "is zero", field=field, value=value, constraint="must be >= 1 (accounts per CSM, the N of 1:N)",
            hint="pass the number of accounts one CSM covers, e.g. 50",
        )
    return ratio


def staffing_ratios(given: Any, config: TouchConfig) -> tuple[dict[TouchModel, int], frozenset[TouchModel]]:
    """The ratio each tier is staffed at (the planning ratio of its model, or the one given) and the models whose
    ratio was given."""
    ratios = {m: config.coverage_for(m).accounts_per_csm for m in TIER_ORDER}
    if given is None:
        return ratios, frozenset()
    if isinstance(given, Mapping):
        chosen: dict[TouchModel, int] = {}
        for key, value in given.items():
            model = TouchModel.parse(key, field="accounts_per_csm")
            if model not in TIER_ORDER:
                raise UnknownNameError(
                    "has no ratio of its own", field="accounts_per_csm", value=key,
                    constraint="one of HIGH, LOW, TECH", hint="give the ratio of each tier's model",
                )
            chosen[model] = _ratio(f"accounts_per_csm[{model.name}]", value)
    else:
        ratio = _ratio("accounts_per_csm", given)
        chosen = dict.fromkeys(TIER_ORDER, ratio)
    ratios.update(chosen)
    return ratios, frozenset(chosen)


def derived_ratio(salary: Decimal, accounts: int, revenue: Decimal, budget_share: float) -> int | None:
    """The fewest accounts per CSM whose cost stays within the CS budget: ``ceil(salary / (average ACV * share))``."""
    budget = revenue * Decimal(repr(budget_share))
    if budget <= 0:
        return None
    return max(1, math.ceil(salary * accounts / budget))
