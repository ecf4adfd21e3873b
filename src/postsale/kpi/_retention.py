"""Revenue retention from dated revenue movements: GRR, NRR, logo retention, churn and expansion by cohort.

GRR caps at 100 %; NRR = (start − churn − contraction + expansion) / start.

The model is a ledger of dated movements per account (NEW, EXPANSION, CONTRACTION, CHURN, REACTIVATION, all
positive amounts of recurring revenue). A period is ``[start, start + period_months)``. The starting cohort
is every account with revenue at the start of ``start`` (movements dated strictly before it). Each account
of the cohort is measured by comparing its revenue at the end of the period with its revenue at the start
(netting its own movements), so one account's growth never hides another's loss and GRR caps at 100 %
account by account. How one account counts (its end revenue under the reactivation policy, which returns are
reactivated revenue, churned / contracted / expanded) is :class:`~postsale.kpi._retention_rule.RetentionRule`'s:
the report sums its scalar form, ``retention_frame`` its columnar form.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from postsale import _checks
from postsale._errors import InvalidTypeError, UnknownNameError
from postsale._repr import readable
from postsale._vocabulary import AccountSnapshot
from postsale.kpi._ledger import ExpansionMotion, MovementKind, RevenueLedger, RevenueMovement, _apply, _ordered
from postsale.kpi._numbers import ZERO, amount, of_type, pct, total
from postsale.kpi._report import (
    DEFAULT_RETENTION_DEFINITION,
    ReactivationPolicy,
    RetentionDefinition,
    RetentionReport,
)
from postsale.kpi._retention_rule import AccountRetention, RetentionRule

__all__ = [
    "CohortRetention",
    "RetentionBreakdown",
    "cohorts_by_label",
    "cohorts_by_segment",
    "cohorts_by_start_month",
    "retention",
    "retention_by_cohort",
]


@attrs.frozen
class _Figures:
    """One account's figures over one period (private); ``counted`` is how it counts in a retention report
    (:class:`~postsale.kpi._retention_rule.RetentionRule`), ``end`` and ``reactivated`` are taken from it."""

    __repr__ = readable
    start: Decimal
    end: Decimal
    new_business: Decimal
    reactivated: Decimal
    upsell: Decimal
    cross_sell: Decimal
    other_expansion: Decimal
    counted: AccountRetention


def _figures(ledger: RevenueLedger, start: date, end: date, policy: ReactivationPolicy) -> dict[str, _Figures]:
    by_account: dict[str, list[RevenueMovement]] = {}
    for _, move in _ordered(ledger.movements):
        by_account.setdefault(move.account_id, []).append(move)
    rule = RetentionRule(policy)
    result: dict[str, _Figures] = {}
    for account, moves in by_account.items():
        opening = ZERO
        balance = ZERO
        churned = False
        new = returned = upsell = cross = other = ZERO
        for move in moves:
            if move.on >= end:
                break
            if move.on < start:
                balance = opening = _apply(opening, move)
                continue
            balance = _apply(balance, move)
            if move.kind is MovementKind.CHURN:
                churned = True
            elif move.kind is MovementKind.NEW:
                new = total(new, move.amount)
            elif move.kind is MovementKind.REACTIVATION:  # whether they count is the rule's (opening is final)
                returned = total(returned, move.amount)
            elif move.kind is MovementKind.EXPANSION and opening > 0:
                if move.motion is ExpansionMotion.UPSELL:
                    upsell = total(upsell, move.amount)
                elif move.motion is ExpansionMotion.CROSS_SELL:
                    cross = total(cross, move.amount)
                else:
                    other = total(other, move.amount)
        counted = rule.measure(opening, balance, churned, returned)
        result[account] = _Figures(opening, counted.end, new, counted.reactivated, upsell, cross, other, counted)
    return result


def _report(figures: Iterable[_Figures], *, start: date, end: date, definition: RetentionDefinition) -> RetentionReport:
    at_start = churned_count = 0
    opening = churned = contraction = expansion = new = reactivated = ZERO
    for fig in figures:  # each account as the retention rule counts it (RetentionRule.measure), summed
        new = total(new, fig.new_business)
        counted = fig.counted
        reactivated = total(reactivated, counted.reactivated)
        if not counted.starting:
            continue
        at_start += 1
        opening = total(opening, counted.start)
        churned_count += counted.churned
        churned = total(churned, counted.churned_revenue)
        contraction = total(contraction, counted.contraction)
        expansion = total(expansion, counted.expansion)
    return RetentionReport(
        definition=definition,
        period_start=start,
        period_end=end,
        accounts_at_start=at_start,
        accounts_churned=churned_count,
        start_revenue=opening,
        churned_revenue=churned,
        contraction_revenue=contraction,
        expansion_revenue=expansion,
        new_business_revenue=new,
        reactivated_revenue=reactivated,
    )


def _check_inputs(ledger: Any, start: Any, definition: Any) -> None:
    if not isinstance(ledger, RevenueLedger):
        raise InvalidTypeError(
            "is not a RevenueLedger", field="ledger", value=type(ledger).__name__, hint="build RevenueLedger(movements)"
        )
    _checks.a_date("start", start)
    if not isinstance(definition, RetentionDefinition):
        raise InvalidTypeError(
            "is not a RetentionDefinition",
            field="definition",
            value=type(definition).__name__,
            hint="build RetentionDefinition(...)",
        )


def retention(
    ledger: RevenueLedger,
    *,
    start: date,
    definition: RetentionDefinition = DEFAULT_RETENTION_DEFINITION,
    accounts: Collection[str] | None = None,
) -> RetentionReport:
    """Measure GRR, NRR, logo retention, churn and expansion of the cohort active at ``start``.

    Args:
        ledger: The revenue movements.
        start: First day of the period; the cohort is every account with revenue at the start of that day.
        definition: Basis, reactivation policy and period length (default: ARR, EXCLUDE, 12 months).
        accounts: Restrict the cohort to these accounts (default: every account).

    Returns:
        The :class:`RetentionReport` of the period ``[start, start + period_months)``.

    Raises:
        InvalidValueError: the cohort is empty (a rate over nothing is undefined, not 0).

    Examples:
        >>> ledger = RevenueLedger([
        ...     RevenueMovement("a", date(2024, 1, 1), "NEW", 600),
        ...     RevenueMovement("b", date(2024, 1, 1), "NEW", 400),
        ...     RevenueMovement("a", date(2025, 6, 1), "EXPANSION", 150),
        ...     RevenueMovement("b", date(2025, 9, 1), "CHURN", 400),
        ... ])
        >>> report = retention(ledger, start=date(2025, 1, 1))
        >>> report.grr, report.nrr, report.logo_churn
        (Decimal('0.6'), Decimal('0.75'), Decimal('0.5'))
    """
    _check_inputs(ledger, start, definition)
    end = definition.period_end(start)
    figures = _figures(ledger, start, end, definition.reactivations)
    if accounts is not None:
        if isinstance(accounts, str):
            raise InvalidTypeError(
                "is a single string", field="accounts", value=accounts, hint="pass a collection of ids, e.g. {'acme'}"
            )
        wanted = set(_checks.items("accounts", accounts, str))
        figures = {k: v for k, v in figures.items() if k in wanted}
    return _report(figures.values(), start=start, end=end, definition=definition)


@attrs.frozen
class CohortRetention:
    """The retention of one cohort (``key`` is e.g. ``"2024-03"``, ``"ENTERPRISE"`` or a label value).

    Examples:
        >>> ledger = RevenueLedger([
        ...     RevenueMovement("a", date(2024, 1, 9), "NEW", 600), RevenueMovement("b", date(2024, 2, 1), "NEW", 400),
        ...     RevenueMovement("b", date(2025, 9, 1), "CONTRACTION", 100),
        ... ])
        >>> split = retention_by_cohort(ledger, start=date(2025, 1, 1), cohorts=cohorts_by_start_month(ledger))
        >>> [(c.key, c.report.grr) for c in split.cohorts]
        [('2024-01', Decimal('1')), ('2024-02', Decimal('0.75'))]
    """

    __repr__ = readable
    key: str = attrs.field(validator=_checks.validator(_checks.text))
    report: RetentionReport = attrs.field(validator=of_type(RetentionReport))


def _to_cohorts(value: Any) -> tuple[CohortRetention, ...]:
    return _checks.items("cohorts", value, CohortRetention)


@attrs.frozen
class RetentionBreakdown:
    """Retention of a whole starting cohort and of each of its sub-cohorts, over the same period.

    The total's NRR is the start-revenue-weighted mean of the cohorts' NRRs (and likewise GRR).

    Examples:
        >>> ledger = RevenueLedger([
        ...     RevenueMovement("a", date(2024, 1, 9), "NEW", 600), RevenueMovement("b", date(2024, 2, 1), "NEW", 400),
        ...     RevenueMovement("b", date(2025, 9, 1), "CONTRACTION", 100),
        ... ])
        >>> split = retention_by_cohort(ledger, start=date(2025, 1, 1), cohorts=cohorts_by_start_month(ledger))
        >>> split.explain()[-1]
        "All cohorts: 2 account(s), GRR 90.00 %, NRR 90.00 % (each the start-revenue-weighted mean of the cohorts')."
    """

    __repr__ = readable
    total: RetentionReport = attrs.field(validator=of_type(RetentionReport))
    cohorts: tuple[CohortRetention, ...] = attrs.field(converter=_to_cohorts)

    @property
    def keys(self) -> tuple[str, ...]:
        """The cohort keys, sorted."""
        return tuple(c.key for c in self.cohorts)

    def cohort(self, key: str) -> RetentionReport:
        """Return the report of cohort ``key``.

        Raises:
            UnknownNameError: no account of the starting cohort has that key.
        """
        for item in self.cohorts:
            if item.key == key:
                return item.report
        raise UnknownNameError(
            "is not a cohort of this breakdown", field="key", value=key, hint=f"pass one of {', '.join(self.keys)}"
        )

    def explain(self) -> list[str]:
        """One sentence per cohort, then the total."""
        lines = [
            f"Cohort {c.key}: {c.report.accounts_at_start} account(s), {amount(c.report.start_revenue)} at start, "
            f"GRR {pct(c.report.grr)}, NRR {pct(c.report.nrr)}, logo retention {pct(c.report.logo_retention)}."
            for c in self.cohorts
        ]
        t = self.total
        lines.append(
            f"All cohorts: {t.accounts_at_start} account(s), GRR {pct(t.grr)}, NRR {pct(t.nrr)} "
            "(each the start-revenue-weighted mean of the cohorts')."
        )
        return lines


def retention_by_cohort(
    ledger: RevenueLedger,
    *,
    start: date,
    cohorts: Mapping[str, str],
    definition: RetentionDefinition = DEFAULT_RETENTION_DEFINITION,
) -> RetentionBreakdown:
    """Measure retention of the cohort active at ``start``, split into sub-cohorts.

    Args:
        ledger: The revenue movements.
        start: First day of the period.
        cohorts: Account id → cohort key; build it with :func:`cohorts_by_start_month`,
            :func:`cohorts_by_segment`, :func:`cohorts_by_label` or any mapping of your own.
        definition: Basis, reactivation policy and period length.

    Returns:
        The total and one report per key present in the starting cohort (sorted by key).

    Raises:
        UnknownNameError: an account of the starting cohort has no key in ``cohorts``.
        InvalidValueError: the starting cohort is empty.

    Examples:
        >>> ledger = RevenueLedger([
        ...     RevenueMovement("a", date(2024, 1, 9), "NEW", 600), RevenueMovement("b", date(2024, 2, 1), "NEW", 400),
        ...     RevenueMovement("b", date(2025, 9, 1), "CONTRACTION", 100),
        ... ])
        >>> split = retention_by_cohort(ledger, start=date(2025, 1, 1), cohorts=cohorts_by_start_month(ledger))
        >>> split.keys, split.cohort("2024-02").grr, split.total.grr
        (('2024-01', '2024-02'), Decimal('0.75'), Decimal('0.9'))
    """
    _check_inputs(ledger, start, definition)
    _checks.instance("cohorts", cohorts, Mapping, hint="pass a mapping of account id to cohort key")
    end = definition.period_end(start)
    figures = _figures(ledger, start, end, definition.reactivations)
    starting = sorted(a for a, f in figures.items() if f.start > 0)
    missing = [a for a in starting if a not in cohorts]
    if missing:
        shown = ", ".join(repr(a) for a in missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise UnknownNameError(
            f"has no key for {len(missing)} account(s) of the starting cohort: {shown}",
            field="cohorts",
            constraint="every account with revenue at the start needs a cohort key",
            hint="add the accounts to the mapping (cohorts_by_label fills a default for missing labels)",
        )
    groups: dict[str, list[_Figures]] = {}
    for account in starting:
        groups.setdefault(_checks.text(f"cohorts[{account!r}]", cohorts[account]), []).append(figures[account])
    total_report = _report(figures.values(), start=start, end=end, definition=definition)
    parts = tuple(
        CohortRetention(key, _report(groups[key], start=start, end=end, definition=definition))
        for key in sorted(groups)
    )
    return RetentionBreakdown(total=total_report, cohorts=parts)


def cohorts_by_start_month(ledger: RevenueLedger) -> dict[str, str]:
    """Return account → ``"YYYY-MM"``, the month of the account's NEW movement (its acquisition cohort).

    Examples:
        >>> cohorts_by_start_month(RevenueLedger([RevenueMovement("a", date(2024, 2, 29), "NEW", 1)]))
        {'a': '2024-02'}
    """
    _checks.instance("ledger", ledger, RevenueLedger, hint="build RevenueLedger(movements)")
    result: dict[str, str] = {}
    for move in ledger.movements:
        if move.kind is MovementKind.NEW:
            result[move.account_id] = f"{move.on.year:04d}-{move.on.month:02d}"
    return result


def _snapshots(snapshots: Iterable[AccountSnapshot]) -> list[AccountSnapshot]:
    result = list(_checks.items("snapshots", snapshots))
    for index, snap in enumerate(result):
        if not isinstance(snap, AccountSnapshot):
            raise InvalidTypeError(
                "is not an AccountSnapshot", field=f"snapshots[{index}]", value=snap, hint="pass AccountSnapshot values"
            )
    return result


def cohorts_by_segment(snapshots: Iterable[AccountSnapshot]) -> dict[str, str]:
    """Return account → segment name (``"ENTERPRISE"`` ...); a later snapshot of an account wins.

    Examples:
        >>> snap = AccountSnapshot("a", "SMB", date(2025, 1, 1))
        >>> cohorts_by_segment([snap])
        {'a': 'SMB'}
    """
    return {s.account_id: s.segment.name for s in _snapshots(snapshots)}


def cohorts_by_label(snapshots: Iterable[AccountSnapshot], label: str, *, missing: str = "(none)") -> dict[str, str]:
    """Return account → the value of ``label`` (``missing`` when the account has no such label).

    Examples:
        >>> snaps = [AccountSnapshot("a", "SMB", date(2025, 1, 1), labels={"region": "APAC"}),
        ...          AccountSnapshot("b", "SMB", date(2025, 1, 1))]
        >>> cohorts_by_label(snaps, "region")
        {'a': 'APAC', 'b': '(none)'}
    """
    _checks.text("label", label)
    _checks.text("missing", missing)
    return {s.account_id: s.labels.get(label, missing) for s in _snapshots(snapshots)}
