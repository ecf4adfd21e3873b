"""Revenue retention over columns: a ledger frame in, the very :class:`~postsale.kpi.RetentionReport` out.

One row per revenue movement (``account_id``, ``on``, ``kind``, ``amount``, optional ``motion``) gives what
:func:`postsale.kpi.retention` gives for ``RevenueLedger`` of the same movements, and with cohorts what
:func:`postsale.kpi.retention_by_cohort` gives. The ledger's rules are checked per account over columns, in the
order the ledger replays them (by date, then by row): an account starts with NEW, never goes below zero, churns
exactly its revenue and reactivates only after churning. Each account's figures (its revenue at the start and at the
end of the period, what it churned, new business, reactivations) are Polars expressions over its movements; the
retention rule counts each account (``postsale.kpi._retention_rule.RetentionRule``: its columnar form, through
narwhals, beside the scalar form the scalar report sums) and the report sums what it counts (GRR capped at 100 %
account by account). Money is exact: amounts are whole numbers of units of the ledger's finest decimal place
(Int128), see ``_rollup.py``.

An account with a bad row (a blank account, a missing or bad date, an unknown kind or motion, an amount that is not
> 0) or whose movements do not hold together is left out whole, as the scalar ledger would refuse it, and reported
(one row per bad value; for a broken history, its first inconsistent movement).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any, Final

import attrs

from postsale import _checks
from postsale._columnar import narwhals, require
from postsale._errors import InvalidTypeError, InvalidValueError, PostsaleError, UnknownNameError
from postsale._repr import readable
from postsale.adapters.frame._input import reason_of
from postsale.adapters.frame._rollup import (
    MAX_SCALE,
    REJECTED_SCHEMA,
    SPACE,
    days,
    decimal_of,
    engine,
    identifiers,
    money_parts,
    money_text,
    names,
    parsed,
    polars_input,
    refused,
    shown,
    units,
)
from postsale.kpi import (
    DEFAULT_RETENTION_DEFINITION,
    CohortRetention,
    ExpansionMotion,
    MovementKind,
    RetentionBreakdown,
    RetentionDefinition,
    RetentionReport,
    RevenueLedger,
    RevenueMovement,
    retention,
    retention_by_cohort,
)
from postsale.kpi._numbers import positive_money
from postsale.kpi._retention_rule import RetentionRule

__all__ = ["FrameRetention", "retention_frame"]

_LEDGER: Final = ("account_id", "on", "kind", "amount")
_DAY: Final = date(2025, 1, 1)
_SUMS: Final = {"reactivated": "back", "starting": "at_start", "start": "start", "churned": "churned_count",
                "churned_revenue": "churned", "contraction": "contraction", "expansion": "expansion"}
"""The report's sums: the retention rule's column (``RetentionRule.expr``) summed over the accounts, by name."""
_HISTORY: Final = (
    ("kind", "is the account's first movement but not NEW; rule: an account's first movement is NEW; instead: "
             "record the account's starting revenue as a NEW movement dated before the period"),
    ("kind", "the account already has revenue history; rule: NEW only once per account; instead: record a "
             "REACTIVATION after a churn, or an EXPANSION"),
    ("kind", "the account has no revenue on that day (it churned); rule: EXPANSION, CONTRACTION and CHURN need an "
             "active account; instead: record a REACTIVATION first"),
    ("kind", "the account is active on that day; rule: REACTIVATION only after a CHURN; instead: record an "
             "EXPANSION instead"),
    ("amount", "is not smaller than the account's revenue on that day; rule: a contraction leaves some revenue; "
               "instead: record losing the whole revenue as a CHURN"),
    ("amount", "is not the account's revenue on that day; rule: a churn removes exactly the account's revenue; "
               "instead: fix the amount (a partial loss is a CONTRACTION)"),
)
"""The ledger's rules, in the order the scalar ledger checks them: (column, words)."""


@attrs.frozen
class FrameRetention:
    """What :func:`retention_frame` returns.

    Attributes:
        report: The retention of the whole starting cohort, the value :func:`postsale.kpi.retention` gives.
        breakdown: With cohorts, the value :func:`postsale.kpi.retention_by_cohort` gives (its ``total`` is
            ``report``); None without.
        errors: The rows left out (Polars, :data:`~postsale.adapters.frame.REJECTED_SCHEMA`).
    """

    __repr__ = readable
    report: RetentionReport
    breakdown: RetentionBreakdown | None
    errors: Any


def retention_frame(
    ledger: Any,
    *,
    start: date,
    definition: RetentionDefinition = DEFAULT_RETENTION_DEFINITION,
    cohorts: str | Mapping[str, str] | None = None,
) -> FrameRetention:
    """Measure the retention of the accounts with revenue at the start of ``start`` over the period of
    ``definition``: the report ``retention(RevenueLedger(movements), start=..., definition=...)`` gives for the
    frame's rows, and with ``cohorts`` the breakdown of ``retention_by_cohort``.

    Args:
        ledger: One row per movement (pandas, Polars eager or lazy): ``account_id``, ``on`` (a date, a datetime
            read by its day, or ISO text), ``kind`` (NEW, EXPANSION, CONTRACTION, CHURN, REACTIVATION; any case),
            ``amount`` (> 0, a number or decimal text), optionally ``motion`` (UPSELL, CROSS_SELL, UNSPECIFIED,
            for an EXPANSION; null: UNSPECIFIED). Movements of one day are replayed in the order of the rows.
        start: First day of the period.
        definition: Basis, reactivation policy and period length.
        cohorts: The name of a column of ``ledger`` holding each account's cohort key (the same on each of its
            rows), or a mapping of account id to cohort key.

    Returns:
        The report, the breakdown by cohort (with ``cohorts``) and the rows refused.

    Raises:
        InvalidTypeError: ``ledger`` is not a pandas or Polars frame; ``start`` not a date; ``definition`` not a
            retention definition; ``cohorts`` neither a column name nor a mapping.
        InvalidValueError: a required column (or the cohorts column) missing; an empty starting cohort; a period
            ending after 9999-12-31; a frame of another engine (with the conversion to make).
        UnknownNameError: an account of the starting cohort has no key in the ``cohorts`` mapping.

    Examples:
        >>> from datetime import date
        >>> import polars as pl
        >>> ledger = pl.DataFrame({"account_id": ["a", "b", "a", "b", "c"],
        ...     "on": [date(2024, 1, 1), date(2024, 1, 1), date(2025, 6, 1), date(2025, 9, 1), date(2025, 2, 1)],
        ...     "kind": ["NEW", "NEW", "expansion", "CHURN", "CHURN"], "amount": [600, 400, 150, 400, 10]})
        >>> found = retention_frame(ledger, start=date(2025, 1, 1))
        >>> found.report.grr, found.report.nrr, found.report.logo_churn
        (Decimal('0.6'), Decimal('0.75'), Decimal('0.5'))
        >>> found.errors.select("account_id", "column", "value").rows()
        [('c', 'kind', 'CHURN')]
        >>> split = retention_frame(ledger, start=date(2025, 1, 1), cohorts={"a": "EU", "b": "US"}).breakdown
        >>> split.keys, split.cohort("EU").nrr
        (('EU', 'US'), Decimal('1.25'))
    """
    pl = require("polars", "polars")
    _checks.a_date("start", start)
    _checks.instance("definition", definition, RetentionDefinition, hint="build RetentionDefinition(...)")
    end = definition.period_end(start)
    if cohorts is not None and not isinstance(cohorts, (str, Mapping)):
        raise InvalidTypeError("is neither a column name nor a mapping", field="cohorts",
                               value=type(cohorts).__name__, hint="pass a column of the ledger or {account: key}")
    lazy = polars_input(pl, "ledger", ledger, _LEDGER + ((cohorts,) if isinstance(cohorts, str) else ()))
    report, parts, refusals = _measured(pl, lazy, start, end, definition, cohorts)
    if isinstance(report, InvalidValueError):
        raise report
    return FrameRetention(report, None if parts is None else RetentionBreakdown(report, parts), refusals)


def retention_or_why(ledger: Any, *, start: date) -> tuple[RetentionReport | InvalidValueError, Any]:
    """What :func:`retention_frame` measures with the default definition, without raising when there is nothing to
    measure: the report, or the error saying why there is none (an empty starting cohort ...), and the rows
    refused either way (for the nightly job, whose night goes on without the rates)."""
    pl = require("polars", "polars")
    _checks.a_date("start", start)
    definition = DEFAULT_RETENTION_DEFINITION
    lazy = polars_input(pl, "ledger", ledger, _LEDGER)
    report, _, refusals = _measured(pl, lazy, start, definition.period_end(start), definition, None)
    return report, refusals


def _measured(
    pl: Any, lazy: Any, start: date, end: date, definition: RetentionDefinition, cohorts: Any
) -> tuple[RetentionReport | InvalidValueError, tuple[CohortRetention, ...] | None, Any]:
    """The report (or why there is none) and its parts by cohort, and the rows refused."""
    rows, errors, scale, exact = _read(pl, lazy, cohorts if isinstance(cohorts, str) else None)
    try:
        if exact:
            rows, broken = _history(pl, rows)
            errors.append(broken)
            report, parts = _figures(pl, rows, start, end, definition, cohorts, errors, scale)
        else:
            report, parts = _scalar(pl, rows, start, definition, cohorts, errors)
    except InvalidValueError as error:
        return _empty(pl, error, errors), None, _refusals(pl, errors)
    return report, parts, _refusals(pl, errors)


def _refusals(pl: Any, errors: list[Any]) -> Any:
    schema = {name: getattr(pl, dtype) for name, dtype in REJECTED_SCHEMA.items()}
    return pl.concat([e.select(list(schema)).cast(schema) for e in errors]).sort("row", maintain_order=True)


def _empty(pl: Any, error: InvalidValueError, errors: list[Any]) -> InvalidValueError:
    """The scalar report's error; for an empty cohort, saying which rows were refused (they may be the reason)."""
    refusals = _refusals(pl, errors)
    if error.field != "cohort" or not refusals.height:
        return error
    row, *_, reason = refusals.row(0)
    return InvalidValueError(error.message, field=error.field, value=error.value, constraint=error.constraint,
                             hint=f"{error.hint}; {refusals.height} value(s) of the ledger were refused, the first "
                                  f"in row {row} ({reason})")


def _read(pl: Any, lazy: Any, column: str | None) -> tuple[Any, list[Any], int, bool]:
    """The rows of the accounts without a bad row (amounts in units of ``10 ** -scale``, or null when not
    ``exact``; ``signed``: + for NEW, EXPANSION, REACTIVATION, - for CONTRACTION, CHURN), and the refusals."""
    schema = engine(lazy.collect_schema)
    ids, id_bad = identifiers(pl, schema["account_id"], "account_id", limit=False)
    day, day_bad = days(pl, schema["on"], "on")
    kind, kind_bad = names(pl, lazy, "kind", MovementKind)
    motion, motion_bad = names(pl, lazy, "motion", ExpansionMotion, default=ExpansionMotion.UNSPECIFIED) \
        if "motion" in schema else (pl.lit(ExpansionMotion.UNSPECIFIED.name), pl.lit(None, pl.String))
    text, amount_bad = money_text(pl, lazy, schema["amount"], "amount", positive_money)
    only = [pl.when((kind == other.name) & (motion != ExpansionMotion.UNSPECIFIED.name)).then(pl.lit(
        reason_of(partial(RevenueMovement, "x", _DAY, other, 1, motion=ExpansionMotion.UPSELL))))
        for other in MovementKind if other is not MovementKind.EXPANSION]  # the words name the kind
    motion_bad = pl.coalesce(motion_bad, *only)
    extra = [pl.col(column).cast(pl.String).alias("#cohort")] if column is not None else []
    frame = engine(parsed(lazy.with_row_index("#row").select(
        "#row", ids.alias("#id"), id_bad.alias("account_id#bad"), day.alias("#day"), day_bad.alias("on#bad"),
        kind.alias("#kind"), kind_bad.alias("kind#bad"), motion.alias("#motion"),
        motion_bad.alias("motion#bad"), text.alias("amount#text"),
        amount_bad.alias("amount#bad"), *extra,
        *(pl.col(name).alias(f"{name}#raw") for name in (*_LEDGER[1:], "motion") if name in schema),
    ), [money_parts(pl, "amount", positive_money, required=True)], ["amount"]).collect)
    checked = [("account_id", pl.col("#id")),
               *((name, shown(pl, schema[name], f"{name}#raw")) for name in (*_LEDGER[1:], "motion") if name in schema)]
    errors = [refused(pl, frame, checked)]
    ok = pl.all_horizontal([pl.col(f"{c}#bad").is_null() for c, _ in checked])
    left_out = frame.filter(~ok & pl.col("account_id#bad").is_null()).select("#id").unique()
    needed = ["#row", "#id", "#day", "#kind", "#motion", "amount#text", "amount#exp", "amount#digits", "amount#scale",
              *(["#cohort"] if column else [])]
    good = frame.filter(ok).select(needed).join(left_out, on="#id", how="anti", maintain_order="left")
    if column is not None:
        good, bad = _cohort_column(pl, good, column)
        errors.append(bad)
    scale = good["amount#scale"].max() or 0 if good.height else 0
    exact = scale <= MAX_SCALE
    good = good.with_columns(units(pl, "amount", scale) if exact else pl.lit(None, pl.Int128).alias("amount"))
    if exact and good.height:
        exact = good.height * (good["amount"].max() or 0) < 2**126  # every balance and sum stays within Int128
    minus = pl.col("#kind").is_in([MovementKind.CONTRACTION.name, MovementKind.CHURN.name])
    signed = pl.when(minus).then(pl.lit(0, pl.Int128) - pl.col("amount")).otherwise(pl.col("amount"))
    kept = ["#row", "#id", "#day", "#kind", "#motion", "amount#text", "amount", *(["#cohort"] if column else [])]
    return good.select(*kept, signed.alias("signed")), errors, scale, exact


def _cohort_column(pl: Any, good: Any, column: str) -> tuple[Any, Any]:
    """Each row with its account's cohort key (null where none of its rows gives one); an account whose rows give
    different keys is left out and reported."""
    key = pl.col("#cohort")
    per = good.filter(key.is_not_null() & (key.str.strip_chars(SPACE) != "")).group_by("#id").agg(
        key.n_unique().alias("#keys"), key.first(), pl.col("#row").min())
    clash = (f"{column}: holds different cohort keys for one account; rule: one cohort per account; instead: give "
             "each account's rows the same key")
    bad = per.filter(pl.col("#keys") > 1).select(
        pl.col("#row").cast(pl.Int64).alias("row"), pl.col("#id").alias("account_id"), pl.lit(column).alias("column"),
        pl.lit(None, pl.String).alias("value"), pl.lit(clash).alias("reason"))
    keyed = good.drop("#cohort").join(per.select("#id", "#keys", "#cohort"), on="#id", how="left",
                                      maintain_order="left")
    return keyed.filter(pl.col("#keys").fill_null(1) == 1).drop("#keys"), bad


def _history(pl: Any, rows: Any) -> tuple[Any, Any]:
    """The accounts whose movements hold together, replayed in order; the first broken movement of each other."""
    ordered = rows.sort("#id", "#day", "#row").with_columns(
        (pl.col("#id") != pl.col("#id").shift(1)).fill_null(True).alias("#first"),
        pl.col("signed").cum_sum().alias("#sum"))  # a running sum over all rows: faster than one per account
    kind, first, so_far = pl.col("#kind"), pl.col("#first"), pl.col("#sum") - pl.col("signed")
    before = so_far - pl.when(first).then(so_far).otherwise(pl.lit(None, pl.Int128)).forward_fill()
    tests = (
        first & (kind != MovementKind.NEW.name),
        ~first & (kind == MovementKind.NEW.name),
        ~first & kind.is_in(["EXPANSION", "CONTRACTION", "CHURN"]) & (pl.col("#before") == 0),
        (kind == MovementKind.REACTIVATION.name) & (pl.col("#before") > 0),
        (kind == MovementKind.CONTRACTION.name) & (pl.col("amount") >= pl.col("#before")),
        (kind == MovementKind.CHURN.name) & (pl.col("amount") != pl.col("#before")),
    )
    problem = pl.lit(None, pl.Int64)
    for index in reversed(range(len(tests))):
        problem = pl.when(tests[index]).then(pl.lit(index)).otherwise(problem)
    checked = ordered.with_columns(before.alias("#before")).with_columns(problem.alias("#problem"))
    broken = checked.filter(pl.col("#problem").is_not_null()).group_by("#id").agg(pl.all().first())
    words = pl.col("#problem").replace_strict(list(range(len(_HISTORY))), [f"{c}: {w}" for c, w in _HISTORY],
                                              return_dtype=pl.String)
    columns = pl.col("#problem").replace_strict(list(range(len(_HISTORY))), [c for c, _ in _HISTORY],
                                                return_dtype=pl.String)
    errors = broken.select(
        pl.col("#row").cast(pl.Int64).alias("row"), pl.col("#id").alias("account_id"), columns.alias("column"),
        pl.when(columns == "kind").then(pl.col("#kind")).otherwise(pl.col("amount#text")).alias("value"),
        words.alias("reason"))
    return checked.join(broken.select("#id"), on="#id", how="anti", maintain_order="left"), errors


def _figures(
    pl: Any, rows: Any, start: date, end: date, definition: RetentionDefinition, cohorts: Any, errors: list[Any],
    scale: int,
) -> tuple[RetentionReport, tuple[CohortRetention, ...] | None]:
    """Each account's figures over the period (amounts in units of ``10 ** -scale``), counted by the retention rule
    (:meth:`RetentionRule.expr <postsale.kpi._retention_rule.RetentionRule.expr>`, the columnar form of what the
    scalar report sums), and the reports: the sums of the rule's columns."""
    day, kind, amount, signed = pl.col("#day"), pl.col("#kind"), pl.col("amount"), pl.col("signed")
    within = (day >= start) & (day < end)
    accounts = rows.group_by("#id").agg(
        signed.filter(day < start).sum().alias("opening"), signed.filter(day < end).sum().alias("balance"),
        (within & (kind == MovementKind.CHURN.name)).any().alias("churned"),
        amount.filter(within & (kind == MovementKind.NEW.name)).sum().alias("new"),
        amount.filter(within & (kind == MovementKind.REACTIVATION.name)).sum().alias("returned"),
        pl.col("#row").min(), *([pl.col("#cohort").first()] if isinstance(cohorts, str) else []))
    nw, rule = narwhals(), RetentionRule(definition.reactivations)
    figures = [nw.col(name) for name in ("opening", "balance", "churned", "returned")]
    ended = nw.from_native(accounts, eager_only=True).with_columns(**{"#end": rule.expr(*figures)["end"]})
    accounts = ended.with_columns(  # each figure reads the end revenue computed once (Polars would redo it)
        **{f"#{name}": form for name, form in rule.expr(*figures, end=nw.col("#end")).items()}).to_native()
    starting = pl.col("#starting")
    if isinstance(cohorts, str):  # a starting account without a key is left out, as a row without a value
        unkeyed = starting & pl.col("#cohort").is_null()
        errors.append(accounts.filter(unkeyed).select(
            pl.col("#row").cast(pl.Int64).alias("row"), pl.col("#id").alias("account_id"),
            pl.lit(cohorts).alias("column"), pl.lit(None, pl.String).alias("value"),
            pl.lit(f"{cohorts}: is missing for an account with revenue at the start; rule: every account with "
                   "revenue at the start needs a cohort key; instead: fill the column on one of its rows")
            .alias("reason")))
        accounts = accounts.filter(~unkeyed)
    sums = [pl.col("new").sum(), *(pl.col(f"#{name}").sum().alias(alias) for name, alias in _SUMS.items())]

    def report(found: dict[str, Any]) -> RetentionReport:
        money = {k: decimal_of(found[k] or 0, scale) for k in ("new", "back", "start", "churned", "contraction",
                                                             "expansion")}
        return RetentionReport(
            definition=definition, period_start=start, period_end=end, accounts_at_start=found["at_start"] or 0,
            accounts_churned=found["churned_count"] or 0, start_revenue=money["start"],
            churned_revenue=money["churned"], contraction_revenue=money["contraction"],
            expansion_revenue=money["expansion"], new_business_revenue=money["new"],
            reactivated_revenue=money["back"])

    total = report(accounts.select(sums).row(0, named=True))
    if cohorts is None:
        return total, None
    if not isinstance(cohorts, str):
        accounts = _keys(pl, accounts.filter(starting), cohorts)
    found = accounts.filter(starting).group_by("#cohort").agg(sums).sort("#cohort")
    return total, tuple(CohortRetention(row["#cohort"], report(row)) for row in found.iter_rows(named=True))


def _keys(pl: Any, starting: Any, cohorts: Mapping[str, str]) -> Any:
    """The starting accounts with their key from ``cohorts`` (checked as ``retention_by_cohort`` checks it)."""
    accounts = sorted(starting["#id"].to_list())
    missing = [a for a in accounts if a not in cohorts]
    if missing:  # the words of retention_by_cohort
        shown = ", ".join(repr(a) for a in missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise UnknownNameError(
            f"has no key for {len(missing)} account(s) of the starting cohort: {shown}", field="cohorts",
            constraint="every account with revenue at the start needs a cohort key",
            hint="add the accounts to the mapping (cohorts_by_label fills a default for missing labels)")
    keys = [_checks.text(f"cohorts[{a!r}]", cohorts[a]) for a in accounts]
    table = pl.DataFrame({"#id": accounts, "#cohort": keys}, schema={"#id": pl.String, "#cohort": pl.String})
    return starting.join(table, on="#id", how="inner")


def _consistent(
    by_account: Mapping[str, list[tuple[Any, RevenueMovement]]],
) -> tuple[list[RevenueMovement], list[tuple[Any, ...]]]:
    """Each account's movements (with where each came from) checked as :class:`~postsale.kpi.RevenueLedger` checks
    them: the movements of the accounts whose history holds together, and for each other account (where, account,
    column, value, reason) of the movement the ledger refused; one account's broken history leaves the others in."""
    kept: list[RevenueMovement] = []
    broken: list[tuple[Any, ...]] = []
    for account, moves in by_account.items():
        try:
            RevenueLedger([move for _, move in moves])
        except PostsaleError as error:
            index = int(m.group(1)) if (m := re.search(r"movements\[(\d+)\]", error.field or "")) else 0
            column = "amount" if (error.field or "").endswith("amount") else "kind"
            where, move = moves[index]
            broken.append((where, account, column, move.kind.name if column == "kind" else str(move.amount),
                           error.without_value()))
            continue
        kept += [move for _, move in moves]
    return kept, broken


def _scalar(
    pl: Any, rows: Any, start: date, definition: RetentionDefinition, cohorts: Any, errors: list[Any]
) -> tuple[RetentionReport, tuple[CohortRetention, ...] | None]:
    """Where an amount has more than :data:`MAX_SCALE` decimal places: each account's movements through the scalar
    ledger (an account it refuses is reported), then the scalar report."""
    by_account: dict[str, list[tuple[int, RevenueMovement, str | None]]] = {}
    for row, account, day, kind, text, motion, *key in rows.select(
            "#row", "#id", "#day", "#kind", "amount#text", "#motion",
            *(["#cohort"] if isinstance(cohorts, str) else [])).iter_rows():
        move = RevenueMovement(account, day, kind, Decimal(text), motion)
        by_account.setdefault(account, []).append((row, move, key[0] if key else None))
    kept, broken = _consistent({a: [(row, move) for row, move, _ in moves] for a, moves in by_account.items()})
    left_out = {b[1] for b in broken}
    keys = {account: moves[0][2] for account, moves in by_account.items()
            if moves[0][2] is not None and account not in left_out}
    ledger = RevenueLedger(kept)
    if isinstance(cohorts, str):  # a starting account without a key is left out, as the columnar path does
        unkeyed = [a for a in ledger.accounts if a not in keys and ledger.revenue_at(a, start) > 0]
        broken += [(by_account[a][0][0], a, cohorts, None, f"{cohorts}: is missing for an account with revenue at "
                    "the start; rule: every account with revenue at the start needs a cohort key; instead: fill the "
                    "column on one of its rows") for a in unkeyed]
        ledger = RevenueLedger([m for m in kept if m.account_id not in set(unkeyed)])
    errors.append(pl.DataFrame(broken, schema={n: getattr(pl, t) for n, t in REJECTED_SCHEMA.items()}, orient="row"))
    if cohorts is None:
        return retention(ledger, start=start, definition=definition), None
    split = retention_by_cohort(ledger, start=start, definition=definition,
                                cohorts=keys if isinstance(cohorts, str) else cohorts)
    return split.total, split.cohorts

