"""Renewal outcome check: did a renewal meet the success criteria of its segment?"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Final

import attrs

from postsale import _checks
from postsale._errors import InvalidTypeError, InvalidValueError
from postsale._repr import readable
from postsale._vocabulary import Segment
from postsale.renewal._contract import Contract
from postsale.renewal._playbook import Playbook, playbook_for

__all__ = ["MIN_REVENUE_RETENTION", "OutcomeCheck", "RenewalOutcome", "renewal_outcome"]

MIN_REVENUE_RETENTION: Final = 0.95
"""Success criterion 2: renewed ARR / prior ARR >= 95 % (expansion counts)."""

CONFIRMED_EARLY: Final = "confirmed_early"
REVENUE_RETAINED: Final = "revenue_retained"
ON_TIME: Final = "on_time"
MULTI_YEAR: Final = "multi_year"
ANNUAL_PREPAYMENT: Final = "annual_prepayment"


@attrs.frozen
class OutcomeCheck:
    """One criterion of the outcome.

    Attributes:
        name: ``confirmed_early``, ``revenue_retained``, ``on_time`` (required), ``multi_year``,
            ``annual_prepayment`` (preferred terms, informational).
        passed: Whether it holds.
        detail: One plain sentence with the numbers.
        required: Whether success needs it.

    Examples:
        >>> from postsale.renewal import Contract
        >>> c = Contract.from_term("acme", "SMB", date(2026, 7, 1), term_months=12, acv=9000)
        >>> check = renewal_outcome(c, confirmed_on=date(2027, 6, 20), renewed_acv=9000).check("revenue_retained")
        >>> check.passed, check.detail
        (True, 'Revenue retained 100.0% (9000 of 9000); at least 95% is needed.')
    """

    __repr__ = readable
    name: str = attrs.field(validator=_checks.validator(_checks.text))
    passed: bool = attrs.field(validator=_checks.validator(lambda f, v: _checks.instance(f, v, bool)))
    detail: str = attrs.field(validator=_checks.validator(lambda f, v: _checks.instance(f, v, str)))
    required: bool = attrs.field(default=True, validator=_checks.validator(lambda f, v: _checks.instance(f, v, bool)))


def _to_checks(value: Any) -> tuple[OutcomeCheck, ...]:
    return _checks.items("checks", value, OutcomeCheck)


@attrs.frozen
class RenewalOutcome:
    """Whether a renewal succeeded, criterion by criterion.

    Attributes:
        account_id: The account.
        expiry: The renewal date of the term that ended (T-0).
        success: Every required check passed.
        checks: Each criterion with its evidence.
        retention: Renewed ARR / prior ARR.
        days_before_expiry: How many days before expiry the renewal was confirmed (``None`` if it was not).

    Examples:
        >>> from postsale.renewal import Contract
        >>> c = Contract.from_term("acme", "SMB", date(2026, 7, 1), term_months=12, acv=9000)
        >>> outcome = renewal_outcome(c, confirmed_on=date(2027, 6, 20), renewed_acv=8000)
        >>> outcome.success, round(outcome.retention, 3)
        (False, 0.889)
    """

    __repr__ = readable
    account_id: str = attrs.field(validator=_checks.validator(_checks.text))
    expiry: date = attrs.field(validator=_checks.validator(_checks.a_date))
    success: bool = attrs.field(validator=_checks.validator(lambda f, v: _checks.instance(f, v, bool)))
    checks: tuple[OutcomeCheck, ...] = attrs.field(converter=_to_checks)
    retention: float = attrs.field(validator=_checks.validator(_checks.non_negative))
    days_before_expiry: int | None = attrs.field(
        validator=_checks.optional_validator(lambda f, v: _checks.instance(f, v, int))
    )

    def check(self, name: str) -> OutcomeCheck:
        """Return the check called ``name``."""
        for c in self.checks:
            if c.name == name:
                return c
        names = ", ".join(c.name for c in self.checks)
        raise InvalidValueError("is not a check of this outcome", field="name", value=name, hint=f"use {names}")

    def explain(self) -> list[str]:
        """Return the verdict and every check as plain sentences."""
        verdict = "succeeded" if self.success else "did not succeed"
        failed = [c.name for c in self.checks if c.required and not c.passed]
        head = f"The renewal of {self.account_id} due {self.expiry.isoformat()} {verdict}"
        head += f" (failed: {', '.join(failed)})." if failed else "."
        return [head] + [("[ok] " if c.passed else "[--] ") + c.detail for c in self.checks]


def renewal_outcome(
    contract: Contract,
    *,
    confirmed_on: date | None,
    renewed_acv: Decimal | int | str,
    executed_on: date | None = None,
    renewed_term_months: int | None = None,
    prepaid_annually: bool | None = None,
    playbook: Playbook | None = None,
    playbooks: Mapping[Segment, Playbook] | None = None,
    min_retention: float = MIN_REVENUE_RETENTION,
) -> RenewalOutcome:
    """Check a renewal against the success criteria of its segment.

    1. Confirmed at least ``confirm_days_before`` days before expiry: 30 for ENTERPRISE and MID_MARKET; SMB and
       PRODUCT_LED only need the renewal by T-0. Taken from the segment's playbook.
    2. Revenue retained: renewed ARR / the ARR up for renewal >= ``min_retention`` (95 %, expansion counts).
    3. Executed on time or early: on or before the expiry date.
    Multi-year terms and annual prepayment are preferred terms (reported, not required).

    Args:
        contract: The contract whose term ended (its :attr:`~Contract.renewal_acv` is the prior ARR).
        confirmed_on: When the renewal was confirmed (``None``: it was not renewed).
        renewed_acv: ARR of the renewed term (0 when it churned).
        executed_on: When the renewal contract was executed (default ``confirmed_on``).
        renewed_term_months: Length of the renewed term, if known.
        prepaid_annually: Whether the renewal is paid annually in advance, if known.
        playbook: Playbook giving the confirmation rule (default: the segment's).
        playbooks: Playbooks per segment.
        min_retention: Retention threshold, a fraction in [0, 1].

    Raises:
        InvalidValueError: ``confirmed_on`` / ``executed_on`` given for a churned renewal or in the wrong order,
            a retention threshold outside [0, 1], negative money.

    Examples:
        >>> c = Contract.from_term("acme", "ENTERPRISE", date(2026, 7, 1), term_months=12, acv=100000)
        >>> renewal_outcome(c, confirmed_on=date(2027, 5, 31), renewed_acv=95000).success
        True
    """
    if not isinstance(contract, Contract):
        raise InvalidTypeError("expected a Contract", field="contract", value=contract, hint="pass a Contract")
    if playbook is not None:
        _checks.instance("playbook", playbook, Playbook, hint="pass a postsale.renewal.Playbook")
    pb = playbook if playbook is not None else playbook_for(contract.segment, playbooks)
    renewed = _checks.money("renewed_acv", renewed_acv)
    threshold = _checks.ratio("min_retention", min_retention)
    if confirmed_on is not None:
        _checks.a_date("confirmed_on", confirmed_on)
    executed = executed_on if executed_on is not None else confirmed_on
    if executed_on is not None:
        _checks.a_date("executed_on", executed_on)
        if confirmed_on is None:
            raise InvalidValueError(
                "is given but the renewal was never confirmed",
                field="executed_on",
                value=executed_on,
                hint="pass confirmed_on as well (the date the customer agreed)",
            )
        if executed_on < confirmed_on:
            raise InvalidValueError(
                "is before the confirmation",
                field="executed_on",
                value=executed_on,
                constraint=f"must be on or after confirmed_on={confirmed_on.isoformat()}",
                hint="check the two dates",
            )
    if confirmed_on is None and renewed > 0:
        raise InvalidValueError(
            "is positive but the renewal was never confirmed",
            field="renewed_acv",
            value=renewed,
            hint="pass confirmed_on, or renewed_acv=0 for a churned renewal",
        )
    expiry = contract.end
    prior = contract.renewal_acv
    checks: list[OutcomeCheck] = []

    need = pb.confirm_days_before
    early = None if confirmed_on is None else (expiry - confirmed_on).days
    if early is None:
        checks.append(OutcomeCheck(CONFIRMED_EARLY, False, "The renewal was never confirmed."))
    else:
        rule = f"at least {need} days before expiry" if need else "by the renewal date"
        checks.append(
            OutcomeCheck(
                CONFIRMED_EARLY,
                early >= need,
                f"Confirmed on {confirmed_on} ({early} days before expiry {expiry}); the {pb.name} playbook needs it "
                f"{rule}.",
            )
        )

    retention = 1.0 if prior == 0 else float(renewed / prior)
    kept = renewed >= prior * Decimal(repr(threshold))
    checks.append(
        OutcomeCheck(
            REVENUE_RETAINED,
            kept,
            f"Revenue retained {retention:.1%} ({renewed} of {prior}); at least {threshold:.0%} is needed.",
        )
    )
    if executed is None:
        checks.append(OutcomeCheck(ON_TIME, False, "No renewal was executed."))
    else:
        checks.append(
            OutcomeCheck(
                ON_TIME,
                executed <= expiry,
                f"Executed on {executed} for an expiry on {expiry}"
                + (" (on time or early)." if executed <= expiry else f" ({(executed - expiry).days} days late)."),
            )
        )
    if renewed_term_months is not None:
        months = _checks.count("renewed_term_months", renewed_term_months)
        multi = f"Renewed for {months} months (multi-year terms are preferred)."
        checks.append(OutcomeCheck(MULTI_YEAR, months > 12, multi, required=False))
    if prepaid_annually is not None:
        if not isinstance(prepaid_annually, bool):
            raise InvalidValueError("must be True or False", field="prepaid_annually", value=prepaid_annually)
        text = "Prepaid annually" if prepaid_annually else "Not prepaid annually"
        prepay = f"{text} (annual prepayment is preferred)."
        checks.append(OutcomeCheck(ANNUAL_PREPAYMENT, prepaid_annually, prepay, required=False))
    return RenewalOutcome(
        account_id=contract.account_id,
        expiry=expiry,
        success=all(c.passed for c in checks if c.required),
        checks=tuple(checks),
        retention=retention,
        days_before_expiry=early,
    )
