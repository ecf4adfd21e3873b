"""The daily step's alerts: one row per decided alert, built over columns from the decided rows.

What an alert says depends on few values: its detection time and due time on the account's time zone, the rule's
SLA and (for the week-5 SLA) the days since the contract started; why it was held back on the rule and one date.
Each is computed once per distinct combination, with the trigger engine's own functions (``due_time`` and its
held-back reasons), and joined back to the rows, so the work grows with the combinations, not with the alerts. Two
things are per alert and built in Python: the reason of a budget hold (it lists what used the account's budget),
rare; and the evidence (what the rule saw, in the scalar rules' own words), optional.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Final

from postsale import AccountSnapshot, HealthBand, PostsaleError, Segment, _checks
from postsale._columnar import ACTIVE, DAYS_IN_BAND, Env
from postsale._convert import _check, to_data
from postsale._frozen import EMPTY, freeze, unchecked
from postsale.review import ReviewSettings
from postsale.triggers import Context, Sla, SuppressionReason, due_time
from postsale.triggers._engine import _budget_detail, _cooldown_detail, _open_detail

ACCOUNT_ID: Final = "account_id"
AS_OF: Final = "as_of"
LAST_FIRED: Final = "last_fired"
OPEN_SINCE: Final = "open_since"
DAY: Final = "day"
RULE_ID: Final = "rule_id"

_NONE: Final = -(10**9)
"""The join key standing for "no value" (joins never match nulls)."""


def days_since(column: str, day: date, mode: str) -> Any:
    """Whole days from the Date ``column`` to ``day`` (``mode``: how the engine counts days, see :class:`Env`)."""
    return Env([column], as_of=day, days=mode).days_since(column)


def alerts_frame(
    nw: Any, decided: Any, budget_log: Any, day: date, settings: ReviewSettings, mode: str, *, evidence: Any
) -> Any:
    """The alerts (a native frame of the decided rows' backend) from the decided rows (an eager narwhals frame,
    sorted by account and the engine's order). ``budget_log``: the state's budget frame (None on a first step);
    ``evidence``: the day's rows with the decisions (a lazy narwhals frame, one row per account) to build the
    evidence from, or None to leave it out."""
    rules = {rule.id: rule for rule in settings.rule_set.rules}
    rows = decided.with_row_index("__row").with_columns(nw.col("time_zone").fill_null("UTC").alias("__zone"))
    week_5 = [rule.id for rule in rules.values() if rule.sla is Sla.WEEK_5]
    start = days_since("contract_start", day, mode) if "contract_start" in rows.columns else nw.lit(_NONE, nw.Int64)
    rows = rows.with_columns(
        nw.when(nw.col(RULE_ID).is_in(week_5)).then(start).fill_null(_NONE).cast(nw.Int64).alias("__start"),
        _key(nw, OPEN_SINCE, day, mode, rows.columns, SuppressionReason.OPEN_ALERT).alias("__open_days"),
        _key(nw, LAST_FIRED, day, mode, rows.columns, SuppressionReason.COOLDOWN).alias("__fired_days"),
    )
    moments = _lookup(nw, rows, [RULE_ID, "__zone", "__start"], ["fired", "due"],
                      lambda rule_id, zone, start: _moments(settings, rules[rule_id], day, zone, start))
    held = rows.filter(nw.col("held_back").is_in([SuppressionReason.OPEN_ALERT.name, SuppressionReason.COOLDOWN.name]))
    reasons = _lookup(nw, held, [RULE_ID, "held_back", "__open_days", "__fired_days"], ["reason"],
                      lambda rule_id, kind, open_days, fired_days: (
                          _held_reason(settings, rule_id, kind, day, open_days, fired_days),))
    out = rows.join(moments, on=[RULE_ID, "__zone", "__start"], how="left")
    out = out.join(reasons, on=[RULE_ID, "held_back", "__open_days", "__fired_days"], how="left")
    budget_reasons = _budget_reasons(nw, rows, budget_log, day, settings, mode)
    if budget_reasons is not None:
        out = out.join(budget_reasons, on="__row", how="left").with_columns(
            nw.coalesce(nw.col("reason"), nw.col("__budget_reason")).alias("reason"))
    out = out.sort("__row")
    texts = [None] * len(out) if evidence is None else _evidence(nw, out, evidence, day, settings)
    names = {k: r.name for k, r in rules.items()}
    return out.select(
        nw.col(ACCOUNT_ID), nw.col(RULE_ID),
        nw.col(RULE_ID).replace_strict(names, return_dtype=nw.String).alias("rule_name"),
        nw.lit(day).alias(AS_OF),
        nw.col(RULE_ID).replace_strict({k: r.priority.name for k, r in rules.items()},
                                       return_dtype=nw.String).alias("priority"),
        nw.col(RULE_ID).replace_strict({k: r.sla.name for k, r in rules.items()}, return_dtype=nw.String).alias("sla"),
        nw.col("held_back"), nw.col("fired"), nw.col("due"), nw.col("reason").cast(nw.String),
    ).with_columns(
        nw.new_series("evidence", texts, nw.String(), backend=decided.implementation),
    ).to_native()


def _key(nw: Any, column: str, day: date, mode: str, names: list[str], kind: SuppressionReason) -> Any:
    """Days from ``column`` to ``day`` on the rows held back by ``kind`` (the one date its reason names), else the
    "no value" key."""
    if column not in names:
        return nw.lit(_NONE, nw.Int64)
    return nw.when(nw.col("held_back") == kind.name).then(days_since(column, day, mode)).fill_null(_NONE).cast(nw.Int64)


def _lookup(nw: Any, rows: Any, keys: list[str], values: list[str], compute: Any) -> Any:
    """A frame of the distinct ``keys`` of ``rows`` with ``values`` computed once per combination in Python."""
    distinct = rows.select(*keys).unique()
    found = [(*combination, *compute(*combination)) for combination in distinct.iter_rows()]
    columns = {name: [row[i] for row in found] for i, name in enumerate([*keys, *values])}
    schema = distinct.schema
    series = [nw.new_series(name, columns[name], schema[name], backend=rows.implementation) for name in keys]
    for name in values:
        dtype = nw.String() if name == "reason" else nw.Datetime("us", "UTC")
        series.append(nw.new_series(name, columns[name], dtype, backend=rows.implementation))
    return nw.from_dict({s.name: s for s in series}, backend=rows.implementation)


def _moments(settings: ReviewSettings, rule: Any, day: date, zone: str, start: int) -> tuple[datetime, datetime]:
    """When an alert of ``rule`` detected on ``day`` fired and is due, as ``Engine.step`` computes them (UTC)."""
    detected = datetime.combine(day, time(0), tzinfo=_checks.time_zone("time_zone", zone))
    contract_start = None if start == _NONE else day - timedelta(days=start)
    due = due_time(rule.sla, detected, time_zone=zone, contract_start=contract_start,
                   few_days=settings.rule_set.few_days)
    return detected.astimezone(UTC), due.astimezone(UTC)


def _held_reason(
    settings: ReviewSettings, rule_id: str, kind: str, day: date, open_days: int, fired_days: int
) -> str:
    """The engine's words for an alert held back by its open alert or its cooldown."""
    rule = next(rule for rule in settings.rule_set.rules if rule.id == rule_id)
    if kind == SuppressionReason.OPEN_ALERT.name:
        return _open_detail(rule_id, day - timedelta(days=open_days), settings.rule_set.hygiene.auto_close_days)
    return _cooldown_detail(rule_id, day - timedelta(days=fired_days), rule.cooldown_days)


def _budget_reasons(nw: Any, rows: Any, budget_log: Any, day: date, settings: ReviewSettings, mode: str) -> Any:
    """The reasons of the budget holds (``__row``, ``__budget_reason``), None when there is none: each names the
    budget and what used it, so it is built per row, for the accounts with a budget hold only."""
    kind = SuppressionReason.BUDGET.name
    accounts = rows.filter(nw.col("held_back") == kind).select(ACCOUNT_ID).unique()
    if accounts.is_empty():
        return None
    budget = settings.rule_set.hygiene.budget
    earlier: dict[str, list[date]] = {}
    if budget_log is not None:
        logged = nw.from_native(budget_log).lazy().filter(days_since(DAY, day, mode) < budget.period_days)
        for account, logged_day in logged.join(accounts.lazy(), on=ACCOUNT_ID, how="inner").select(
                ACCOUNT_ID, DAY).collect().iter_rows():
            earlier.setdefault(account, []).append(_a_day(logged_day) or day)
    mine = rows.join(accounts, on=ACCOUNT_ID, how="inner").sort("__row")
    today: dict[str, list[str]] = {}
    found_rows: list[int] = []
    found: list[str] = []
    for row in mine.select("__row", ACCOUNT_ID, RULE_ID, "held_back", "__exempt", "segment", "__limit").iter_rows():
        index, account, rule_id, held, exempt, segment, limit = row
        if not isinstance(held, str):  # delivered
            if not exempt:
                today.setdefault(account, []).append(rule_id)
        elif held == kind:
            log = [*earlier.get(account, []), *([day] * len(today.get(account, [])))]
            found_rows.append(index)
            found.append(_budget_detail(budget, AccountSnapshot(account, segment, day), limit, log,
                                        list(today.get(account, []))))
    return nw.from_dict(
        {"__row": nw.new_series("__row", found_rows, rows.schema["__row"], backend=rows.implementation),
         "__budget_reason": nw.new_series("__budget_reason", found, nw.String(), backend=rows.implementation)},
        backend=rows.implementation,
    )


def _evidence(nw: Any, alerts: Any, accounts: Any, day: date, settings: ReviewSettings) -> list[str]:
    """What each alert's rule saw, as the JSON of the scalar rule's evidence (from the account's snapshot values and
    the carried state beside them, in ``accounts``).

    A rule's evidence depends only on the values its condition reads (:func:`_reads`): it is computed once per rule
    and distinct combination of those values, with the scalar rule's own ``evidence``, and shared by every alert
    with the same combination (the first such alert's account stands for the others)."""
    rules = {rule.id: rule for rule in settings.rule_set.rules}
    reads = {rid: rule.condition.signal_names() | rule.condition.previous_names() for rid, rule in rules.items()}
    names = set(accounts.collect_schema().names())
    carried = [(name, f"previous.{name}") for name in sorted(set().union(*(
        rule.condition.previous_names() for rule in rules.values()))) if f"previous.{name}" in names]
    flags = [(rid, f"active.{rid}") for rid in rules if f"active.{rid}" in names]
    wanted = {ACCOUNT_ID, RULE_ID, "__zone", "segment", "band", "health", "previous.band", "previous.band_since",
              "previous.health", "contract_start", "contract_end", "seats_purchased", "seats_active", "acv",
              *(column for _, column in carried), *(column for _, column in flags), *set().union(*reads.values())}
    details = accounts.select(*(name for name in names if name in wanted and name not in ("time_zone", "segment")))
    rows = alerts.select("__row", ACCOUNT_ID, RULE_ID, "__zone", "segment").lazy().join(
        details, on=ACCOUNT_ID, how="left").sort("__row").collect().with_row_index("__at")
    texts: list[Any] = [None] * len(rows)
    for rule_id in sorted(set(rows.get_column(RULE_ID).to_list())):
        keys = _reads(rules[rule_id], rows.columns, day)
        previous = [pair for pair in carried if pair[1] in keys]
        active = [pair for pair in flags if pair[1] in keys]
        given = [name for name in ("__zone", "segment") if name not in keys]  # for the snapshot, not read
        shared: dict[tuple[Any, ...], int] = {}
        found: list[tuple[Any, ...]] = []
        mine = rows.filter(nw.col(RULE_ID) == rule_id).select("__at", ACCOUNT_ID, *given, *keys)
        at, accounts_of, *columns = (_cells(mine.get_column(name)) for name in mine.columns)
        values = list(zip(*columns, strict=True)) if columns else [()] * len(at)
        which = []  # each alert's combination, by its index in ``found``
        for position, combination in enumerate(values):
            key = combination[len(given):]
            seen = shared.get(key)
            if seen is None:
                row = {ACCOUNT_ID: accounts_of[position], **dict(zip([*given, *keys], combination, strict=True))}
                seen = shared[key] = len(found)
                found.append(tuple(rules[rule_id].condition.evidence(
                    _snapshot(row, day, row["__zone"], reads[rule_id]), _context(row, day, previous, active))))
            which.append(seen)
        made = _json_texts(found)
        for index, seen in zip(at, which, strict=True):
            texts[index] = made[seen]
    return texts


class _Reading(Env):
    """An :class:`Env` noting the columns a condition's columnar form reads."""

    __slots__ = ("read",)

    def __init__(self, names: Iterable[str], *, as_of: date) -> None:
        super().__init__(names, as_of=as_of)
        self.read: set[str] = set()

    def column(self, name: str) -> Any:
        self.read.add(name)
        return super().column(name)

    def active(self, rule_id: str) -> Any:
        self.read.add(ACTIVE + rule_id)
        return super().active(rule_id)


_SOURCES: Final = {
    "seat_utilisation": ("seats_purchased", "seats_active"),
    "days_to_renewal": ("contract_end",),
    "days_since_start": ("contract_start",),
    DAYS_IN_BAND: ("band", "previous.band", "previous.band_since"),
}
"""The columns of the day's rows a derived column is computed from (:meth:`Env.derived`, the days in band)."""


def _reads(rule: Any, columns: list[str], day: date) -> list[str]:
    """The columns of ``columns`` the rule's condition reads (its columnar form's, which reads what its evidence
    shows); every column but the account id when the form cannot tell."""
    reading = _Reading([*columns, *_SOURCES], as_of=day)
    try:
        rule.condition.expr(reading, rule.id)
    except PostsaleError:  # a condition reading a column the evidence is not given: no sharing
        return [name for name in columns if name not in (ACCOUNT_ID, "__at", "__row", RULE_ID)]
    read = reading.read | {source for name in reading.read for source in _SOURCES.get(name, ())}
    return sorted(read & set(columns) - {"__zone"})


def _json_texts(values: list[Any]) -> list[str]:
    """``[to_json(value) for value in values]`` with one conversion for all of them; the values are checked only
    when ``json`` cannot write one (the check then names what is not plain JSON)."""
    data = to_data(values)
    try:
        return [json.dumps(item, ensure_ascii=False, allow_nan=False) for item in data]
    except (TypeError, ValueError, RecursionError):
        _check(data, plain=True)
        raise


def _cells(series: Any) -> list[Any]:
    """A column's values as a list, None where one is missing (null, NaN, NaT): alike values compare equal."""
    cells = series.to_list()
    if series.dtype.is_float() or series.dtype.is_temporal():
        return [_value(value) for value in cells]
    return cells  # type: ignore[no-any-return]


def _value(value: Any) -> Any:
    """A cell read back from a frame row, None where it is missing (null, NaN, NaT)."""
    return None if value is None or value != value else value  # noqa: PLR0124 - NaN is not equal to itself


def _snapshot(row: dict[str, Any], day: date, zone: str, read: frozenset[str] | set[str]) -> AccountSnapshot:
    """The account's snapshot of the day, as much of it as the rule's evidence reads (the engine's input), built
    without checking again the values ``review_frame`` checked (the day's rows that reach an alert passed them)."""
    signals = {name: float(row[name]) for name in read if _value(row.get(name)) is not None}
    seats = [int(row[name]) if _value(row.get(name)) is not None else 0 for name in ("seats_purchased", "seats_active")]
    acv = _checks.money("acv", float(row["acv"])) if _value(row.get("acv")) is not None else Decimal(0)
    return unchecked(
        AccountSnapshot, row[ACCOUNT_ID], Segment.parse(row["segment"]), day, acv, _a_day(row.get("contract_start")),
        _a_day(row.get("contract_end")), *seats, freeze(signals), zone, EMPTY, None,
    )


def _context(
    row: dict[str, Any], day: date, carried: list[tuple[str, str]], flags: list[tuple[str, str]]
) -> Context:
    """The carried state the engine would have put beside the snapshot (the columns of the state's accounts):
    ``carried`` pairs each signal with its ``previous.`` column, ``flags`` each rule with its ``active.`` column."""
    band = _value(row.get("band"))
    before = _value(row.get("previous.band"))
    since = _a_day(row.get("previous.band_since"))
    stays = band is not None and band == before and since is not None
    previous = {name: float(row[column]) for name, column in carried if _value(row[column]) is not None}
    active = frozenset(rid for rid, column in flags if _value(row[column]))
    score, previous_score = _value(row.get("health")), _value(row.get("previous.health"))
    return unchecked(
        Context, None if score is None else float(score), None if band is None else HealthBand[band],
        None if previous_score is None else float(previous_score), None if before is None else HealthBand[before],
        (day - since).days if stays and since is not None else 0, freeze(previous), active,
    )


def _a_day(value: Any) -> date | None:
    """A date read back from a frame row: pandas gives a Timestamp (a datetime) or NaT for a missing one."""
    if not isinstance(value, date) or value != value:  # noqa: PLR0124 - NaT is not equal to itself
        return None
    return value.date() if isinstance(value, datetime) else value
