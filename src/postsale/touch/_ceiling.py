"""The economics ceiling: the most intense touch model an account's ACV can pay for (private).

A model is viable at an ACV when its CSM cost per account (``csm_salary / accounts_per_csm`` of its coverage) is not
above ``healthy_to`` of the ACV, which is ``acv >= cost / healthy_to``: each model is viable from one ACV up. So the
ceiling is a step function of the ACV, with at most one step per model; the scalar scorer finds an account's step
with one ``bisect`` and the columnar scorer tabulates the steps with the ACV bands. It agrees with
:func:`~postsale.touch.assess_economics`, whose recommendation is the most intense viable model (tech-touch here when
none is viable: the least intense model is what is left).
"""

from __future__ import annotations

from bisect import bisect_right
from decimal import Decimal

import attrs

from postsale._repr import readable
from postsale._vocabulary import TouchModel
from postsale.touch._assessment import _INTENSITY, AppliedOverride, model_word
from postsale.touch._config import TouchConfig
from postsale.touch._format import pct, usd

__all__ = ["Ceiling", "ceiling_of"]

_BY_INTENSITY = (TouchModel.HIGH, TouchModel.LOW, TouchModel.TECH)


def _viable_from(cost: Decimal, healthy_to: Decimal) -> Decimal | None:
    """The least ACV at which ``cost`` is at most ``healthy_to`` of it (``None``: at no ACV)."""
    if cost == 0:
        return Decimal(0)
    if healthy_to == 0:
        return None
    return cost / healthy_to


@attrs.frozen
class Ceiling:
    """The economics ceiling of a configuration: ACV steps, the cap in each, and why.

    Attributes:
        enabled: The configuration applies the ceiling (``OverrideSettings.economics_ceiling``).
        edges: The lower ACV edge of each step, from 0, rising.
        caps: The most intense viable model in each step (the least intense model when none is viable).
        reasons: Per step, the override applied to each model above the cap.
    """

    __repr__ = readable
    enabled: bool
    edges: tuple[Decimal, ...]
    caps: tuple[TouchModel, ...]
    reasons: tuple[dict[TouchModel, AppliedOverride], ...]

    def step(self, acv: Decimal) -> int:
        """The index of the step ``acv`` (>= 0) falls in."""
        return bisect_right(self.edges, acv) - 1

    def cap(self, acv: Decimal) -> TouchModel:
        """The most intense model ``acv`` pays for.

        Examples:
            >>> from postsale.touch import DEFAULT_CONFIG
            >>> ceiling = ceiling_of(DEFAULT_CONFIG)
            >>> [ceiling.cap(Decimal(a)).name for a in (0, 1_599, 15_999, 16_000, 99_999, 100_000)]
            ['TECH', 'TECH', 'TECH', 'LOW', 'LOW', 'HIGH']
        """
        return self.caps[self.step(acv)]


def ceiling_of(config: TouchConfig) -> Ceiling:
    """Compile the economics ceiling of ``config`` (one step when the ceiling is disabled)."""
    least = _BY_INTENSITY[-1]
    if not config.overrides.economics_ceiling:
        return Ceiling(False, (Decimal(0),), (TouchModel.HIGH,), ({},))
    limit = Decimal(repr(config.healthy_to))
    cost = {m: config.coverage_for(m).csm_salary / config.coverage_for(m).accounts_per_csm for m in _BY_INTENSITY}
    need = {m: _viable_from(cost[m], limit) for m in _BY_INTENSITY}
    edges = sorted({Decimal(0), *(e for e in need.values() if e is not None)})
    caps: list[TouchModel] = []
    reasons: list[dict[TouchModel, AppliedOverride]] = []
    for lower in edges:
        viable = [m for m in _BY_INTENSITY if need[m] is not None and lower >= need[m]]  # type: ignore[operator]
        cap = viable[0] if viable else least
        caps.append(cap)
        reasons.append({
            m: AppliedOverride("economics", m, cap, _reason(m, cap, bool(viable), cost, need, config, limit))
            for m in _BY_INTENSITY if _INTENSITY[m] > _INTENSITY[cap]
        })
    return Ceiling(True, tuple(edges), tuple(caps), tuple(reasons))


def _reason(
    model: TouchModel,
    cap: TouchModel,
    viable: bool,
    cost: dict[TouchModel, Decimal],
    need: dict[TouchModel, Decimal | None],
    config: TouchConfig,
    limit: Decimal,
) -> str:
    share = pct(float(limit))
    if viable:
        coverage = config.coverage_for(model)
        edge = need[model]
        where = "at any ACV" if edge is None else f"below an ACV of {usd(edge)}"
        return (
            f"the account's ACV pays for {model_word(cap)} at most: {model_word(model)} (one CSM at "
            f"{usd(coverage.csm_salary)} for {coverage.accounts_per_csm} accounts) costs {usd(cost[model])} per "
            f"account, more than {share} of revenue {where}; {model_word(model)} -> {model_word(cap)}."
        )
    edge = need[cap]
    where = "at any ACV" if edge is None else f"below an ACV of {usd(edge)}"
    return (
        f"no touch model stays within {share} of revenue {where} (even {model_word(cap)} costs "
        f"{usd(cost[cap])} per account), so the account gets the least intense one; "
        f"{model_word(model)} -> {model_word(cap)}."
    )
