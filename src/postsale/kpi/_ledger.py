"""The revenue ledger: dated movements of each account's recurring revenue, checked as a whole."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from postsale import _checks
from postsale._errors import InvalidTypeError, InvalidValueError, UnknownNameError
from postsale._repr import readable
from postsale.kpi._numbers import ZERO, minus, positive_money, total

__all__ = ["ExpansionMotion", "MovementKind", "RevenueLedger", "RevenueMovement"]


class MovementKind(enum.Enum):
    """The kind of a revenue movement; every amount is positive, the kind gives the direction.

    Examples:
        >>> RevenueMovement("acme", date(2025, 6, 1), "contraction", 5_000).kind
        <MovementKind.CONTRACTION: 'contraction'>
    """

    NEW = "new"
    """First revenue of an account (its starting ARR/MRR when dated before a period)."""
    EXPANSION = "expansion"
    """More revenue from an active account (upsell, cross-sell, price, seats)."""
    CONTRACTION = "contraction"
    """Less revenue from an active account that stays a customer."""
    CHURN = "churn"
    """The account leaves: the amount is its whole revenue on that date."""
    REACTIVATION = "reactivation"
    """A churned account comes back."""


class ExpansionMotion(enum.Enum):
    """What an expansion was (upsell = higher plan / features; cross-sell = another product).

    Examples:
        >>> RevenueMovement("acme", date(2025, 6, 1), "EXPANSION", 5_000, motion="cross_sell").motion
        <ExpansionMotion.CROSS_SELL: 'cross_sell'>
    """

    UNSPECIFIED = "unspecified"
    UPSELL = "upsell"
    CROSS_SELL = "cross_sell"


def _kind(value: Any) -> MovementKind:
    return _checks.member(MovementKind, "kind", value)


def _motion(value: Any) -> ExpansionMotion:
    return _checks.member(ExpansionMotion, "motion", value)


def _amount(value: Any) -> Decimal:
    return positive_money("amount", value)


@attrs.frozen
class RevenueMovement:
    """One dated change of an account's recurring revenue.

    Args:
        account_id: The account.
        on: The date the change takes effect.
        kind: NEW, EXPANSION, CONTRACTION, CHURN or REACTIVATION (a member or its name).
        amount: The size of the change, > 0, in the ledger's basis (ARR or MRR). For CHURN it is the
            account's whole revenue on that date.
        motion: For EXPANSION only: UPSELL, CROSS_SELL or UNSPECIFIED.

    Raises:
        InvalidValueError: a blank account, a zero or negative amount, a motion on a non-expansion.

    Examples:
        >>> RevenueMovement("acme", date(2025, 1, 15), "NEW", 120_000).amount
        Decimal('120000')
    """

    __repr__ = readable
    account_id: str = attrs.field(validator=_checks.validator(_checks.text))
    on: date = attrs.field(validator=_checks.validator(_checks.a_date))
    kind: MovementKind = attrs.field(converter=_kind)
    amount: Decimal = attrs.field(converter=_amount)
    motion: ExpansionMotion = attrs.field(default=ExpansionMotion.UNSPECIFIED, converter=_motion)

    def __attrs_post_init__(self) -> None:
        if self.motion is not ExpansionMotion.UNSPECIFIED and self.kind is not MovementKind.EXPANSION:
            raise InvalidValueError(
                "is only meaningful for an EXPANSION",
                field="motion",
                value=self.motion.name,
                constraint=f"kind is {self.kind.name}",
                hint="leave motion UNSPECIFIED, or record the movement as an EXPANSION",
            )


def _to_movements(value: Iterable[RevenueMovement]) -> tuple[RevenueMovement, ...]:
    return _checks.items("movements", value)  # each item is checked by _check_ledger


def _ordered(movements: tuple[RevenueMovement, ...]) -> list[tuple[int, RevenueMovement]]:
    """Movements by date; movements on the same date keep the order they were given in."""
    return sorted(enumerate(movements), key=lambda item: item[1].on)


def _check_ledger(movements: tuple[RevenueMovement, ...]) -> None:
    for index, item in enumerate(movements):
        if not isinstance(item, RevenueMovement):
            raise InvalidTypeError(
                "is not a RevenueMovement", field=f"movements[{index}]", value=item, hint="build RevenueMovement values"
            )
    balances: dict[str, Decimal] = {}
    for index, move in _ordered(movements):
        where = f"movements[{index}]"
        known = move.account_id in balances
        balance = balances.get(move.account_id, ZERO)
        kind = move.kind
        if not known and kind is not MovementKind.NEW:
            raise InvalidValueError(
                f"is the first movement of account {move.account_id!r} but is a {kind.name}",
                field=f"{where}.kind",
                value=kind.name,
                constraint="an account's first movement is NEW",
                hint="record the account's starting revenue as a NEW movement dated before the period",
            )
        if known and kind is MovementKind.NEW:
            raise InvalidValueError(
                f"account {move.account_id!r} already has revenue history",
                field=f"{where}.kind",
                value=kind.name,
                constraint="NEW only once per account",
                hint="record a REACTIVATION after a churn, or an EXPANSION",
            )
        if kind in (MovementKind.EXPANSION, MovementKind.CONTRACTION, MovementKind.CHURN) and known and balance == 0:
            raise InvalidValueError(
                f"account {move.account_id!r} has no revenue on {move.on.isoformat()} (it churned)",
                field=f"{where}.kind",
                value=kind.name,
                constraint=f"{kind.name} needs an active account",
                hint="record a REACTIVATION first",
            )
        if kind is MovementKind.REACTIVATION and balance > 0:
            raise InvalidValueError(
                f"account {move.account_id!r} is active on {move.on.isoformat()}",
                field=f"{where}.kind",
                value=kind.name,
                constraint="REACTIVATION only after a CHURN",
                hint="record an EXPANSION instead",
            )
        if kind is MovementKind.CONTRACTION and move.amount >= balance:
            raise InvalidValueError(
                f"is not smaller than account {move.account_id!r}'s revenue {balance} on {move.on.isoformat()}",
                field=f"{where}.amount",
                value=move.amount,
                constraint="a contraction leaves some revenue",
                hint="record losing the whole revenue as a CHURN",
            )
        if kind is MovementKind.CHURN and move.amount != balance:
            larger = "larger than" if move.amount > balance else "different from"
            raise InvalidValueError(
                f"is {larger} account {move.account_id!r}'s revenue {balance} on {move.on.isoformat()}",
                field=f"{where}.amount",
                value=move.amount,
                constraint="a churn removes exactly the account's revenue",
                hint="fix the amount (a partial loss is a CONTRACTION)",
            )
        balances[move.account_id] = _apply(balance, move)


def _apply(balance: Decimal, move: RevenueMovement) -> Decimal:
    if move.kind in (MovementKind.CONTRACTION, MovementKind.CHURN):
        return minus(balance, move.amount)
    return total(balance, move.amount)


@attrs.frozen
class RevenueLedger:
    """Every revenue movement of a set of accounts, checked as a whole when built.

    Movements may be given in any order; they are replayed by date (movements on the same date in the
    order given). Each account starts with NEW, never goes below zero, churns exactly its revenue and
    reactivates only after churning.

    Raises:
        InvalidValueError: the first inconsistent movement, named by its index (``movements[3].amount``).

    Examples:
        >>> ledger = RevenueLedger([
        ...     RevenueMovement("acme", date(2024, 6, 1), "NEW", 100_000),
        ...     RevenueMovement("acme", date(2025, 3, 1), "EXPANSION", 20_000),
        ... ])
        >>> ledger.revenue_at("acme", date(2025, 3, 1)), ledger.revenue_at("acme", date(2025, 3, 2))
        (Decimal('100000'), Decimal('120000'))
    """

    __repr__ = readable
    movements: tuple[RevenueMovement, ...] = attrs.field(converter=_to_movements)

    def __attrs_post_init__(self) -> None:
        _check_ledger(self.movements)

    @property
    def accounts(self) -> tuple[str, ...]:
        """Every account of the ledger, sorted."""
        return tuple(sorted({m.account_id for m in self.movements}))

    def revenue_at(self, account_id: str, on: date) -> Decimal:
        """Return the account's revenue at the start of ``on`` (movements dated strictly before it).

        Raises:
            UnknownNameError: the account has no movement in the ledger.
        """
        _checks.a_date("on", on)
        moves = [m for _, m in _ordered(self.movements) if m.account_id == account_id]
        if not moves:
            raise UnknownNameError(
                "is not in the ledger", field="account_id", value=account_id, hint="pass one of ledger.accounts"
            )
        balance = ZERO
        for move in moves:
            if move.on >= on:
                break
            balance = _apply(balance, move)
        return balance
