"""The business profile the six-factor scorer reads, and its categorical inputs."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from postsale import _checks
from postsale._errors import InvalidTypeError, InvalidValueError
from postsale._frozen import FrozenDict, freeze
from postsale._repr import readable
from postsale._vocabulary import AccountSnapshot, Segment

__all__ = ["DEFAULT_COMPANY_PROFILE", "BusinessProfile", "Complexity", "GrowthStage", "Positioning"]


class Complexity(enum.IntEnum):
    """Product complexity, ordered LOW < ... < HIGH.

    LOW, MODERATE and HIGH are the source's levels (1 / 3 / 5 points by default); the two ``*_TO_*``
    members are "between" inputs worth 2 and 4 points.

    Examples:
        >>> Complexity["MODERATE_TO_HIGH"] > Complexity.MODERATE
        True
    """

    LOW = 1
    LOW_TO_MODERATE = 2
    MODERATE = 3
    MODERATE_TO_HIGH = 4
    HIGH = 5


class Positioning(enum.IntEnum):
    """Competitive positioning, ordered VALUE < ... < PREMIUM.

    VALUE, MARKET_STANDARD and PREMIUM are the source's levels (1 / 3 / 5 points by default); the two
    ``*_TO_*`` members are "between" inputs worth 2 and 4 points.

    Examples:
        >>> Positioning.PREMIUM.value
        5
    """

    VALUE = 1
    VALUE_TO_STANDARD = 2
    MARKET_STANDARD = 3
    STANDARD_TO_PREMIUM = 4
    PREMIUM = 5


class GrowthStage(enum.IntEnum):
    """Company growth stage by customer count, ordered STARTUP < ... < AT_SCALE.

    Default boundaries (lower-inclusive): [0, 100) STARTUP, [100, 500) EARLY_SCALE, [500, 2000) GROWTH,
    >= 2000 AT_SCALE.

    Examples:
        >>> max(GrowthStage.STARTUP, GrowthStage.GROWTH)
        <GrowthStage.GROWTH: 3>
    """

    STARTUP = 1
    EARLY_SCALE = 2
    GROWTH = 3
    AT_SCALE = 4


def _complexity(value: Any) -> Complexity:
    return _checks.member(Complexity, "complexity", value)


def _positioning(value: Any) -> Positioning:
    return _checks.member(Positioning, "positioning", value)


def _growth_stage(value: Any) -> GrowthStage | None:
    return None if value is None else _checks.member(GrowthStage, "growth_stage", value)


def _employees(value: Any) -> int | None:
    return None if value is None else _checks.count("employees", value)


def _customer_count(value: Any) -> int | None:
    return None if value is None else _checks.count("customer_count", value)


def _segment(value: Any) -> Segment | None:
    return None if value is None else Segment.parse(value)


def _acv(value: Any) -> Decimal:
    return _checks.money("acv", value)


def _margin(value: Any) -> float:
    return _checks.ratio("gross_margin", value)


def _ratio(value: Any) -> int | None:
    if value is None:
        return None
    n = _checks.count("accounts_per_csm", value)
    if n < 1:
        raise InvalidValueError(
            "is zero",
            field="accounts_per_csm",
            value=value,
            constraint="must be >= 1 (accounts per CSM, the N of a 1:N ratio)",
            hint="pass the number of accounts one CSM covers, e.g. 50",
        )
    return n


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidTypeError(
            "expected True or False", field="competitor_dedicated_csm", value=value, hint="pass a bool"
        )
    return value


def _account_id(value: Any) -> str | None:
    return None if value is None else _checks.text("account_id", value)


_NO_EXTRAS: Mapping[str, float] = freeze({})
"""Shared by every profile without extras (one object instead of two per profile)."""


def _no_extras() -> Mapping[str, float]:
    return _NO_EXTRAS


def _extras(value: Mapping[str, Any]) -> Mapping[str, float]:
    if value is _NO_EXTRAS or (type(value) is FrozenDict and not value):
        return _NO_EXTRAS
    if not isinstance(value, Mapping):
        raise InvalidTypeError(
            "must be a mapping of names to numbers", field="extras", value=value, hint='pass {"seats": 120}'
        )
    frozen: dict[str, float] = {}
    for name, raw in value.items():
        _checks.text("extras key", name)
        frozen[name] = _checks.number(f"extras[{name!r}]", raw)
    return freeze(frozen) if frozen else _NO_EXTRAS


@attrs.frozen
class BusinessProfile:
    """The inputs of the six-factor touch-model decision.

    Args:
        acv: Annual contract value (exact money, >= 0).
        complexity: Product complexity (a :class:`Complexity` or its name).
        gross_margin: Gross margin as a fraction in [0, 1] (0.8 = 80 %; 80 or 1.5 is refused).
        positioning: Competitive positioning (a :class:`Positioning` or its name).
        segment: Customer segment; used when ``employees`` is not given.
        employees: Customer head-count; when given it decides the segment through the configured bands.
        growth_stage: Company growth stage; used when neither ``accounts_per_csm`` nor ``customer_count``
            is given.
        customer_count: Customers today; when given (and ``accounts_per_csm`` is not) it decides the
            growth stage through the configured bands.
        accounts_per_csm: The CSM ratio the business can sustain (the N of 1:N); when given it decides
            the growth factor ("a growth stage that can support 1:10").
        competitor_dedicated_csm: A competitor offers dedicated CSMs at the same price point; lifts the model
            floor through an override.
        account_id: The account this profile describes, for portfolios.
        extras: Named numeric inputs for custom factors.

    Raises:
        InvalidValueError: negative or non-finite money, a margin outside [0, 1], a negative count, no
            segment and no employees, no growth input at all.
        UnknownNameError: an unknown segment, complexity, positioning or growth-stage name.
        InvalidTypeError: a wrong type (``"120000"`` for a count, ``1`` for a flag ...).

    Examples:
        >>> p = BusinessProfile(acv=120_000, complexity="HIGH", gross_margin=0.8, positioning="PREMIUM",
        ...                     segment="ENTERPRISE", accounts_per_csm=12)
        >>> p.acv, p.complexity
        (Decimal('120000'), <Complexity.HIGH: 5>)
    """

    __repr__ = readable
    acv: Decimal = attrs.field(converter=_acv)
    complexity: Complexity = attrs.field(converter=_complexity)
    gross_margin: float = attrs.field(converter=_margin)
    positioning: Positioning = attrs.field(converter=_positioning)
    segment: Segment | None = attrs.field(default=None, converter=_segment)
    employees: int | None = attrs.field(default=None, converter=_employees)
    growth_stage: GrowthStage | None = attrs.field(default=None, converter=_growth_stage)
    customer_count: int | None = attrs.field(default=None, converter=_customer_count)
    accounts_per_csm: int | None = attrs.field(default=None, converter=_ratio)
    competitor_dedicated_csm: bool = attrs.field(default=False, converter=_flag)
    account_id: str | None = attrs.field(default=None, converter=_account_id)
    extras: Mapping[str, float] = attrs.field(factory=_no_extras, converter=_extras, hash=False)

    def __attrs_post_init__(self) -> None:
        if self.segment is None and self.employees is None:
            raise InvalidValueError(
                "is missing",
                field="segment",
                value=None,
                constraint="the segment factor needs a segment or an employee count",
                hint='pass segment="MID_MARKET" or employees=250',
            )
        if self.accounts_per_csm is None and self.customer_count is None and self.growth_stage is None:
            raise InvalidValueError(
                "is missing",
                field="growth_stage",
                value=None,
                constraint="the growth factor needs accounts_per_csm, customer_count or growth_stage",
                hint='pass accounts_per_csm=50, customer_count=800 or growth_stage="GROWTH"',
            )

    def for_account(self, snapshot: AccountSnapshot) -> BusinessProfile:
        """Return this (company-wide) profile with one account's id, ACV and segment.

        The business-level factors (complexity, margin, positioning, growth) stay; the account-level
        ones (ACV, segment) come from the snapshot.

        Examples:
            >>> from datetime import date
            >>> base = BusinessProfile(acv=0, complexity="MODERATE", gross_margin=0.75,
            ...                        positioning="MARKET_STANDARD", segment="SMB", customer_count=800)
            >>> snap = AccountSnapshot("acme", "ENTERPRISE", date(2026, 1, 31), acv=150_000)
            >>> base.for_account(snap).segment
            <Segment.ENTERPRISE: 'enterprise'>
        """
        if not isinstance(snapshot, AccountSnapshot):
            raise InvalidTypeError(
                "expected an AccountSnapshot", field="snapshot", value=snapshot, hint="pass postsale.AccountSnapshot"
            )
        return attrs.evolve(
            self, acv=snapshot.acv, segment=snapshot.segment, employees=None, account_id=snapshot.account_id
        )


DEFAULT_COMPANY_PROFILE: BusinessProfile = BusinessProfile(
    acv=0, complexity=Complexity.MODERATE, gross_margin=0.75, positioning=Positioning.MARKET_STANDARD,
    segment=Segment.MID_MARKET, growth_stage=GrowthStage.AT_SCALE,
)
"""The vendor's business factors a review scores each account with, until you give your own.

A typical B2B SaaS vendor with a mixed book of customers: a moderately complex product (days to weeks to
implement), a 75 % gross margin, market-standard positioning, at scale (2,000 customers or more). Each account
brings its own ACV and segment (:meth:`BusinessProfile.for_account`); its own revenue then caps the model at what
it pays for (the scorer's economics ceiling), so a portfolio reaches all three models: tech-touch below a $16,000
ACV, low-touch from there, high-touch for enterprise accounts and from $100,000. The reasoning is in the guide:
Touch models › The company profile (docs/guide/touch.md#the-company-profile).

Examples:
    >>> from datetime import date
    >>> from postsale.touch import assess
    >>> def model(segment, acv):
    ...     snap = AccountSnapshot("a", segment, date(2026, 1, 31), acv=acv)
    ...     return assess(DEFAULT_COMPANY_PROFILE.for_account(snap)).model.name
    >>> model("PRODUCT_LED", 1_200), model("SMB", 3_000), model("MID_MARKET", 25_000), model("ENTERPRISE", 120_000)
    ('TECH', 'TECH', 'LOW', 'HIGH')
"""
