"""The revenue ledger: movements and the checks of a ledger as a whole."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from postsale import InvalidTypeError, InvalidValueError, UnknownNameError
from postsale.kpi import MovementKind, RevenueLedger
from tests.kpi.ledgers import START, mv, sample_ledger

# ---- movements ----------------------------------------------------------------------------------


def test_movement_accepts_kind_by_name():
    """A movement kind may be given by name."""
    assert MovementKind.CHURN == mv("a", START, "churn", 1).kind


def test_movement_amount_is_exact_decimal():
    """Amounts become exact Decimals."""
    assert Decimal("1234.56") == mv("a", START, "NEW", "1234.56").amount


def test_movement_refuses_zero_amount():
    """A zero movement changes nothing and is refused."""
    with pytest.raises(InvalidValueError, match="amount"):
        mv("a", START, "NEW", 0)


def test_movement_refuses_negative_amount():
    """Negative ARR is refused: the kind gives the direction."""
    with pytest.raises(InvalidValueError, match="amount"):
        mv("a", START, "NEW", -5)


def test_movement_refuses_unknown_kind():
    """An unknown kind names the field."""
    with pytest.raises(UnknownNameError, match="kind"):
        mv("a", START, "REFUND", 5)


def test_movement_refuses_motion_on_non_expansion():
    """A motion only makes sense on an expansion."""
    with pytest.raises(InvalidValueError, match="motion"):
        mv("a", START, "NEW", 5, "UPSELL")


def test_movement_refuses_blank_account():
    """A blank account id is refused."""
    with pytest.raises(InvalidValueError, match="account_id"):
        mv(" ", START, "NEW", 5)


# ---- ledger checks ------------------------------------------------------------------------------


def test_ledger_first_movement_must_be_new():
    """An account's history starts with NEW."""
    with pytest.raises(InvalidValueError, match=r"movements\[0\]\.kind"):
        RevenueLedger([mv("a", START, "EXPANSION", 5)])


def test_ledger_refuses_second_new():
    """NEW happens once per account."""
    with pytest.raises(InvalidValueError, match=r"movements\[1\]\.kind"):
        RevenueLedger([mv("a", START, "NEW", 5), mv("a", date(2025, 2, 1), "NEW", 5)])


def test_ledger_refuses_churn_larger_than_revenue():
    """Churn larger than the account's ARR is refused, naming the movement's amount."""
    with pytest.raises(InvalidValueError, match=r"movements\[1\]\.amount.*larger than"):
        RevenueLedger([mv("a", START, "NEW", 100), mv("a", date(2025, 2, 1), "CHURN", 150)])


def test_ledger_refuses_partial_churn():
    """A churn of less than the whole revenue is a contraction, not a churn."""
    with pytest.raises(InvalidValueError, match="different from"):
        RevenueLedger([mv("a", START, "NEW", 100), mv("a", date(2025, 2, 1), "CHURN", 50)])


def test_ledger_refuses_contraction_of_everything():
    """Contracting the whole revenue must be recorded as a churn."""
    with pytest.raises(InvalidValueError, match="CHURN"):
        RevenueLedger([mv("a", START, "NEW", 100), mv("a", date(2025, 2, 1), "CONTRACTION", 100)])


def test_ledger_refuses_expansion_of_churned_account():
    """A churned account must reactivate before it can expand."""
    with pytest.raises(InvalidValueError, match="REACTIVATION first"):
        RevenueLedger(
            [
                mv("a", START, "NEW", 100),
                mv("a", date(2025, 2, 1), "CHURN", 100),
                mv("a", date(2025, 3, 1), "EXPANSION", 5),
            ]
        )


def test_ledger_refuses_reactivation_of_active_account():
    """Reactivating an active account is refused (it is an expansion)."""
    with pytest.raises(InvalidValueError, match="EXPANSION instead"):
        RevenueLedger([mv("a", START, "NEW", 100), mv("a", date(2025, 2, 1), "REACTIVATION", 5)])


def test_ledger_refuses_non_movements():
    """Anything but a RevenueMovement is refused by index."""
    with pytest.raises(InvalidTypeError, match=r"movements\[0\]"):
        RevenueLedger([{"account_id": "a"}])  # type: ignore[list-item]


def test_ledger_replays_by_date_not_input_order():
    """Movements given out of order are replayed by date."""
    ledger = RevenueLedger([mv("a", date(2025, 3, 1), "EXPANSION", 5), mv("a", START, "NEW", 100)])
    assert Decimal(105) == ledger.revenue_at("a", date(2025, 3, 2))


def test_ledger_revenue_at_excludes_the_day_itself():
    """Revenue at a date counts only movements dated strictly before it."""
    ledger = RevenueLedger([mv("a", START, "NEW", 100)])
    assert (Decimal(0), Decimal(100)) == (ledger.revenue_at("a", START), ledger.revenue_at("a", date(2025, 1, 2)))


def test_ledger_revenue_at_unknown_account():
    """Asking for an unknown account names it."""
    with pytest.raises(UnknownNameError, match="account_id"):
        RevenueLedger([mv("a", START, "NEW", 100)]).revenue_at("b", START)


def test_ledger_accounts_sorted():
    """The ledger lists its accounts sorted."""
    assert ("flat", "grow", "later", "leave", "shrink") == sample_ledger().accounts
