"""How one account counts in revenue retention: the rule, its scalar and its columnar form side by side.

An account is measured over a period from four figures: its revenue at the start of the period (``opening``), its
revenue at the end of it (``balance``, its own movements netted), whether it churned during the period
(``churned``) and what its reactivations in the period brought back (``returned``). :class:`RetentionRule` says,
under a :class:`~postsale.kpi.ReactivationPolicy`:

* its **end revenue**: nothing if it churned in the period, the policy EXCLUDEs reactivations and it had revenue
  at the start (its return does not undo the churn); else its balance;
* its **reactivated revenue**: what it brought back, when the policy EXCLUDEs reactivations (they are reported
  apart) or it had no revenue at the start (it was not in the cohort); else nothing (WITHIN_PERIOD nets the return
  into its end revenue);
* for an account of the starting cohort (revenue at the start > 0), how it nets against its own start: **churned**
  when its end revenue is 0 (its start revenue is churned revenue), **contracted** when it ends below its start
  (contraction = start − end), else **expanded or flat** (expansion = end − start).

:meth:`RetentionRule.measure` is the scalar form (:func:`postsale.kpi.retention` sums it over the accounts);
:meth:`RetentionRule.expr` is the columnar form, the same figures as narwhals expressions over per-account columns
(``retention_frame`` sums those). Both forms are read and changed together.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs

from postsale import _checks
from postsale._columnar import an_expr, decision, narwhals
from postsale._repr import readable
from postsale.kpi._numbers import ZERO, minus
from postsale.kpi._report import ReactivationPolicy

if TYPE_CHECKING:  # pragma: no cover - typing only
    from narwhals.stable.v2 import Expr

__all__ = ["AccountRetention", "RetentionRule"]


class AccountRetention(NamedTuple):
    """How one account counts in a retention report: each field is what it adds to the report's figure of that
    name (the report's totals are their sums over the accounts)."""

    end: Decimal
    """Its revenue at the end of the period, as the reactivation policy measures it."""
    reactivated: Decimal
    """Its returns counted as reactivated revenue (outside GRR and NRR)."""
    starting: bool = False
    """Whether it is in the starting cohort (revenue at the start of the period)."""
    start: Decimal = ZERO
    """Its revenue at the start, for an account of the starting cohort (else 0)."""
    churned: bool = False
    """Whether it is an account of the cohort that ends with nothing."""
    churned_revenue: Decimal = ZERO
    """Its start revenue when it churned."""
    contraction: Decimal = ZERO
    """Start − end when it kept some but less than it had."""
    expansion: Decimal = ZERO
    """End − start when it kept at least what it had (0 when flat)."""


def _to_policy(value: Any) -> ReactivationPolicy:
    policy: ReactivationPolicy = _checks.member(ReactivationPolicy, "reactivations", value)
    return policy


@decision("measure")
@attrs.frozen
class RetentionRule:
    """How an account counts in revenue retention under a reactivation policy (see the module's docstring).

    Args:
        reactivations: The :class:`~postsale.kpi.ReactivationPolicy` (a member or its name; default EXCLUDE).

    Raises:
        UnknownNameError: ``reactivations`` is not a policy.

    Examples:
        An account that had 100, churned during the period and came back with 80:

        >>> counted = RetentionRule("EXCLUDE").measure(Decimal(100), Decimal(80), True, Decimal(80))
        >>> counted.end, counted.reactivated, counted.churned, counted.churned_revenue
        (Decimal('0'), Decimal('80'), True, Decimal('100'))
        >>> counted = RetentionRule("WITHIN_PERIOD").measure(Decimal(100), Decimal(80), True, Decimal(80))
        >>> counted.end, counted.reactivated, counted.churned, counted.contraction
        (Decimal('80'), Decimal('0'), False, Decimal('20'))
    """

    __repr__ = readable
    reactivations: ReactivationPolicy = attrs.field(default=ReactivationPolicy.EXCLUDE, converter=_to_policy)

    @property
    def excludes(self) -> bool:
        """Whether a return after a churn is reported apart (EXCLUDE) rather than netted (WITHIN_PERIOD)."""
        return self.reactivations is ReactivationPolicy.EXCLUDE

    # ---- scalar form ---------------------------------------------------------------------------------------
    def measure(self, opening: Decimal, balance: Decimal, churned: bool, returned: Decimal) -> AccountRetention:
        """Return how an account counts, from its revenue at the start (``opening``) and at the end (``balance``)
        of the period, whether it churned in the period and what its reactivations in the period brought back."""
        end = ZERO if churned and self.excludes and opening > 0 else balance
        reactivated = returned if self.excludes or opening == 0 else ZERO
        if not opening > 0:
            return AccountRetention(end, reactivated)
        if end == 0:
            return AccountRetention(end, reactivated, True, opening, True, churned_revenue=opening)
        if end < opening:
            return AccountRetention(end, reactivated, True, opening, contraction=minus(opening, end))
        return AccountRetention(end, reactivated, True, opening, expansion=minus(end, opening))

    # ---- columnar form -------------------------------------------------------------------------------------
    def expr(
        self, opening: Expr, balance: Expr, churned: Expr, returned: Expr, *, end: Expr | None = None
    ) -> dict[str, Expr]:
        """Return the columnar form of :meth:`measure`: one narwhals expression per field of
        :class:`AccountRetention`, by name, over columns of one row per account (numbers of any integer or
        decimal type, Int128 too; ``churned`` Boolean). The amounts are 0 where the scalar form's are.

        Every figure of the starting cohort reads the ``"end"`` form; an engine that does not share common
        subexpressions computes it again for each. ``end``: a column already holding the ``"end"`` form of the same
        inputs (evaluated first), which the figures read instead.

        Examples:
            >>> import narwhals.stable.v2 as nw
            >>> frame = nw.from_dict({"opening": [100, 100, 100, 0], "balance": [80, 90, 0, 50],
            ...                       "churned": [True, False, True, True], "back": [80, 0, 0, 50]}, backend="polars")
            >>> rule, inputs = RetentionRule("EXCLUDE"), [nw.col(c) for c in ("opening", "balance", "churned", "back")]
            >>> found = frame.select(**rule.expr(*inputs))
            >>> found["end"].to_list(), found["churned"].to_list(), found["reactivated"].to_list()
            ([0, 90, 0, 50], [True, False, True, False], [80, 0, 0, 50])
            >>> ended = frame.with_columns(end=rule.expr(*inputs)["end"])  # evaluated once, read by the figures
            >>> ended.select(**rule.expr(*inputs, end=nw.col("end")))["contraction"].to_list()
            [0, 10, 0, 0]
        """
        nw = narwhals()
        opening, balance = an_expr("opening", opening), an_expr("balance", balance)
        churned, returned = an_expr("churned", churned), an_expr("returned", returned)
        zero = nw.lit(0)
        starting = opening > 0
        if end is not None:
            end = an_expr("end", end)
        else:
            end = nw.when(churned & starting).then(zero).otherwise(balance) if self.excludes else balance
        reactivated = returned if self.excludes else nw.when(opening == 0).then(returned).otherwise(zero)
        lost = starting & (end == 0)
        kept = starting & (end != 0)
        less = end < opening
        return {
            "end": end,
            "reactivated": reactivated,
            "starting": starting,
            "start": nw.when(starting).then(opening).otherwise(zero),
            "churned": lost,
            "churned_revenue": nw.when(lost).then(opening).otherwise(zero),
            "contraction": nw.when(kept & less).then(opening - end).otherwise(zero),
            "expansion": nw.when(kept & ~less).then(end - opening).otherwise(zero),
        }
