"""The pilot of a new touch model: a representative share of the accounts, a control group, a duration, measures.

Before a new model reaches every customer, the implementation roadmap pilots it on 20-30 % of the base for eight
weeks (two to set up, four to run, two to review) and compares the pilot with a control group that stays on
today's model; then it decides to scale, iterate or pivot. :func:`pilot_plan` draws both groups at random within
each tier (or segment), so every part of the base is represented, and the same seed draws the same groups.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

import attrs

from postsale import _checks
from postsale._errors import InvalidTypeError, InvalidValueError
from postsale._frozen import FrozenDict
from postsale._repr import readable
from postsale._vocabulary import AccountSnapshot
from postsale.touch._assessment import model_word
from postsale.touch._format import pct, pct_number
from postsale.touch._portfolio import PortfolioPlan, TierAccount
from postsale.touch._validation import whole

__all__ = [
    "PILOT_MEASURES",
    "PILOT_SHARE",
    "PILOT_SHARE_FROM",
    "PILOT_SHARE_TO",
    "PILOT_WEEKS",
    "PilotPlan",
    "pilot_plan",
]

PILOT_SHARE: Final = 0.25
"""Default share of the accounts in the pilot (the middle of 20-30 %)."""
PILOT_SHARE_FROM: Final = 0.20
"""Smallest pilot the roadmap recommends, as a share of the accounts."""
PILOT_SHARE_TO: Final = 0.30
"""Largest pilot the roadmap recommends, as a share of the accounts."""
PILOT_WEEKS: Final = 8
"""The pilot's length: weeks 5-12 of the roadmap (2 to set up, 4 to run, 2 to review)."""
PILOT_MEASURES: Final = ("health score", "customer satisfaction", "engagement")
"""What the pilot monitors in both groups."""

_LARGEST_SHARE: Final = 0.5
"""A pilot and a control group of the same size must fit in the base."""


def _ids(field: str, value: Any) -> tuple[str, ...]:
    found = _checks.items(field, value, str)
    if len(set(found)) != len(found):
        twice = next(account for i, account in enumerate(found) if account in found[:i])
        raise InvalidValueError("names an account twice", field=field, value=twice, hint="list each account once")
    return found


def _pilot(value: Any) -> tuple[str, ...]:
    return _ids("pilot", value)


def _control(value: Any) -> tuple[str, ...]:
    return _ids("control", value)


def _strata(value: Any) -> FrozenDict[str, tuple[int, int, int]]:
    def triple(field: str, counts: Any) -> tuple[int, int, int]:
        found = _checks.items(field, counts, int)
        if len(found) != 3:
            raise InvalidValueError(
                "is not three counts", field=field, value=counts,
                constraint="(accounts, in the pilot, in the control group)", hint="pass three whole numbers",
            )
        return (_checks.count(field, found[0]), _checks.count(field, found[1]), _checks.count(field, found[2]))

    return _checks.mapping("strata", value, key=lambda f, k: _checks.instance(f, k, str), item=triple)


def _measures(value: Any) -> tuple[str, ...]:
    return _checks.items("measures", value, str)


@attrs.frozen
class PilotPlan:
    """The pilot of a new touch model and its control group.

    Build it with :func:`pilot_plan`.

    Attributes:
        pilot: The accounts that get the new model first, sorted.
        control: The accounts that stay on today's model, to compare with, sorted.
        accounts: How many accounts the groups were drawn from.
        share: The share of the accounts asked for the pilot.
        seed: The seed of the draw (the same seed and accounts draw the same groups).
        strata: Per tier (or segment): its accounts, how many are in the pilot, how many in the control group.
        weeks: How long the pilot runs.
        measures: What to monitor in both groups.

    Examples:
        >>> plan = pilot_plan([f"acct-{i}" for i in range(20)], seed=7)
        >>> len(plan.pilot), len(plan.control), plan.weeks, set(plan.pilot) & set(plan.control)
        (5, 5, 8, set())
    """

    __repr__ = readable
    pilot: tuple[str, ...] = attrs.field(converter=_pilot)
    control: tuple[str, ...] = attrs.field(converter=_control)
    accounts: int = attrs.field(validator=whole())
    share: float = attrs.field(validator=_checks.validator(_checks.ratio))
    seed: int = attrs.field(validator=whole())
    strata: Mapping[str, tuple[int, int, int]] = attrs.field(converter=_strata, hash=False)
    weeks: int = attrs.field(default=PILOT_WEEKS, validator=whole())
    measures: tuple[str, ...] = attrs.field(default=PILOT_MEASURES, converter=_measures)

    def __attrs_post_init__(self) -> None:
        both = set(self.pilot) & set(self.control)
        if both:
            raise InvalidValueError(
                "puts an account in both groups", field="control", value=sorted(both)[0],
                constraint="the pilot and the control group are disjoint", hint="draw them with pilot_plan(...)",
            )

    @property
    def within_guidance(self) -> bool:
        """The share asked is within the 20-30 % the roadmap recommends."""
        return PILOT_SHARE_FROM <= self.share <= PILOT_SHARE_TO

    def explain(self) -> list[str]:
        """Return plain sentences: who is in the pilot and the control group, for how long, what to measure.

        Examples:
            >>> for line in pilot_plan([f"acct-{i}" for i in range(20)], share=0.1, seed=7).explain():
            ...     print(line)
            Pilot: 2 of 20 accounts (10 %), drawn at random (seed 7).
            Control group: 2 accounts drawn alike; they stay on today's model, so the pilot is compared with
            them, not with a guess.
            Run it for 8 weeks: 2 to set up (train the team, set up tracking, prepare the customer
            communication), 4 to run the new model with the pilot accounts, 2 to review the results.
            Measure health score, customer satisfaction and engagement in both groups, then compare the
            pilot with the control group and decide to scale, iterate or pivot.
            A pilot of 10 % is outside the 20-30 % of accounts the roadmap recommends: too few accounts to
            be representative.
        """
        share = len(self.pilot) / self.accounts if self.accounts else 0.0
        groups = ", ".join(f"{label} {p} of {n}" for label, (n, p, _c) in self.strata.items())
        spread = f" within each group, so every group is represented: {groups}" if len(self.strata) > 1 else ""
        lines = [
            f"Pilot: {len(self.pilot):,} of {self.accounts:,} accounts ({pct(share)}), drawn at random "
            f"(seed {self.seed}){spread}.",
            f"Control group: {len(self.control):,} account{'' if len(self.control) == 1 else 's'} drawn alike; they "
            "stay on today's model, so the pilot is compared with them, not with a guess.",
        ]
        if self.weeks == PILOT_WEEKS:
            lines.append(
                f"Run it for {self.weeks} weeks: 2 to set up (train the team, set up tracking, prepare the customer "
                "communication), 4 to run the new model with the pilot accounts, 2 to review the results."
            )
        else:
            lines.append(
                f"Run it for {self.weeks} week{'' if self.weeks == 1 else 's'}: set up, run the new model with the "
                "pilot accounts, then review the results."
            )
        measures = _listed(self.measures)
        lines.append(
            f"Measure {measures} in both groups, then compare the pilot with the control group and decide to scale, "
            "iterate or pivot."
            if measures
            else "Compare the pilot with the control group, then decide to scale, iterate or pivot."
        )
        if not self.within_guidance:
            why = (
                "too few accounts to be representative"
                if self.share < PILOT_SHARE_FROM
                else "more accounts exposed if the new model fails"
            )
            lines.append(
                f"A pilot of {pct(self.share)} is outside the {pct_number(PILOT_SHARE_FROM)}-{pct(PILOT_SHARE_TO)} of "
                f"accounts the roadmap recommends: {why}."
            )
        lines.extend(
            f"The {label} group ({n} account{'' if n == 1 else 's'}) is too small to be represented in the pilot."
            for label, (n, p, _c) in self.strata.items()
            if p == 0
        )
        return lines


def _listed(words: tuple[str, ...]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def _account(index: int, item: Any) -> tuple[str, str]:
    """(account id, group label) of one item."""
    if isinstance(item, TierAccount):
        if item.account_id is None:
            raise InvalidValueError(
                "has no account id", field=f"accounts[{index}]", constraint="a pilot names its accounts",
                hint="give each profile its account_id before planning the portfolio",
            )
        return item.account_id, model_word(item.model)
    if isinstance(item, AccountSnapshot):
        return item.account_id, item.segment.name
    if isinstance(item, str):
        return _checks.text(f"accounts[{index}]", item), "all"
    raise InvalidTypeError(
        "is not an account", field=f"accounts[{index}]", value=item,
        hint="pass a PortfolioPlan, or its accounts, account snapshots or account ids",
    )


def _allocate(sizes: dict[str, int], share: Decimal) -> dict[str, int]:
    """Pilot accounts per group: the total rounded half up, split by largest remainder (ties: larger, then name)."""
    total = sum(sizes.values())
    target = min(total - 1, max(1, int((share * total).to_integral_value(rounding=ROUND_HALF_UP))))
    quotas = {label: share * n for label, n in sizes.items()}
    counts = {label: int(q) for label, q in quotas.items()}
    order = sorted(sizes, key=lambda label: (-(quotas[label] - counts[label]), -sizes[label], label))
    for label in order[: max(0, target - sum(counts.values()))]:
        counts[label] = min(sizes[label], counts[label] + 1)
    return counts


def pilot_plan(
    accounts: PortfolioPlan | Iterable[TierAccount | AccountSnapshot | str],
    *,
    share: float = PILOT_SHARE,
    seed: int = 0,
    weeks: int = PILOT_WEEKS,
) -> PilotPlan:
    """Plan the pilot of a new touch model: a representative share of the accounts and a control group.

    The pilot holds ``share`` of the accounts (rounded half up), split between the groups (each tier of a plan, each
    segment of snapshots) in proportion to their size; within each group its pilot and its control group (as large
    as its pilot when the group allows) are drawn at random with ``seed``. The same accounts and seed always draw the
    same groups, whatever their order.

    Args:
        accounts: A :class:`PortfolioPlan` (grouped by tier), its accounts, account snapshots (grouped by segment),
            or account ids.
        share: The pilot's share of the accounts (default 25 %; the roadmap recommends 20-30 %), at most 50 %.
        seed: The seed of the random draw.
        weeks: How long the pilot runs (default 8: set-up, execution and review).

    Returns:
        The :class:`PilotPlan`.

    Raises:
        InvalidValueError: fewer than two accounts, an account twice or without an id, a share not above 0 or above
            50 %, a negative seed, a pilot of no weeks.
        InvalidTypeError: ``accounts`` is not a plan nor a collection, an item that is not an account.

    Examples:
        >>> from postsale.touch import BusinessProfile, plan_portfolio
        >>> company = dict(complexity="MODERATE", gross_margin=0.75, positioning="MARKET_STANDARD",
        ...                growth_stage="AT_SCALE")
        >>> accounts = ([BusinessProfile(acv=150_000, segment="ENTERPRISE", account_id=f"ent-{i}", **company)
        ...              for i in range(8)]
        ...             + [BusinessProfile(acv=4_000, segment="SMB", account_id=f"smb-{i}", **company)
        ...                for i in range(32)])
        >>> pilot = pilot_plan(plan_portfolio(accounts), seed=42)
        >>> len(pilot.pilot), len(pilot.control), dict(pilot.strata)
        (10, 10, {'high-touch': (8, 2, 2), 'tech-touch': (32, 8, 8)})
        >>> pilot == pilot_plan(plan_portfolio(accounts[::-1]), seed=42)
        True
    """
    items = accounts.accounts if isinstance(accounts, PortfolioPlan) else _checks.items("accounts", accounts)
    asked = _checks.ratio("share", share)
    if not 0 < asked <= _LARGEST_SHARE:
        raise InvalidValueError(
            "is outside (0, 0.5]", field="share", value=share,
            constraint="a pilot and a control group of the same size must fit in the accounts",
            hint=f"pass {PILOT_SHARE_FROM} to {PILOT_SHARE_TO}, the 20-30 % the roadmap recommends",
        )
    draw_seed = _checks.count("seed", seed)
    length = _checks.count("weeks", weeks)
    if length < 1:
        raise InvalidValueError("is zero", field="weeks", value=weeks, constraint="must be >= 1", hint="pass e.g. 8")
    groups: dict[str, list[str]] = {}
    seen: set[str] = set()
    for index, item in enumerate(items):
        account, label = _account(index, item)
        if account in seen:
            raise InvalidValueError("appears twice", field=f"accounts[{index}]", value=account, hint="list it once")
        seen.add(account)
        groups.setdefault(label, []).append(account)
    if len(seen) < 2:
        raise InvalidValueError(
            "has fewer than two accounts", field="accounts", value=len(seen),
            constraint="a pilot needs a control group to compare with", hint="pass the accounts of the whole base",
        )
    sizes = {label: len(ids) for label, ids in sorted(groups.items())}
    counts = _allocate(sizes, Decimal(repr(asked)))
    rng = random.Random(draw_seed)  # noqa: S311 - a reproducible sample, not a secret
    pilot: list[str] = []
    control: list[str] = []
    strata: dict[str, tuple[int, int, int]] = {}
    for label, size in sizes.items():
        in_pilot = counts[label]
        in_control = min(in_pilot, size - in_pilot)
        picked = rng.sample(sorted(groups[label]), in_pilot + in_control)
        pilot.extend(picked[:in_pilot])
        control.extend(picked[in_pilot:])
        strata[label] = (size, in_pilot, in_control)
    return PilotPlan(tuple(sorted(pilot)), tuple(sorted(control)), len(seen), asked, draw_seed, strata, length)
