"""The expansion pipeline: open value and count, close rate, deal size and sales cycle, against segment benchmarks.

Opportunities are plain records (:class:`ExpansionOpportunity`); :func:`expansion_pipeline` measures them as of a
date. The typical deal size per segment is defined here; the typical sales cycle is the journey's Expansion stage
benchmark (one definition, read by both).
"""

from __future__ import annotations

import enum
import statistics
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Final

import attrs

from postsale import _checks
from postsale._errors import InvalidValueError
from postsale._frozen import freeze
from postsale._repr import readable
from postsale._vocabulary import Segment, Stage
from postsale.journey import DEFAULT_JOURNEY_DEFINITION, StageBenchmark
from postsale.kpi._ledger import ExpansionMotion
from postsale.kpi._numbers import ZERO, amount, of_type, pct, positive_money, ratio, rounded, total

__all__ = [
    "DEFAULT_EXPANSION_BENCHMARKS",
    "ExpansionBenchmark",
    "ExpansionOpportunity",
    "ExpansionPipeline",
    "OpportunityStatus",
    "expansion_pipeline",
]


class OpportunityStatus(enum.Enum):
    """Where an expansion opportunity stands.

    Examples:
        >>> OpportunityStatus("won")
        <OpportunityStatus.WON: 'won'>
    """

    OPEN = "open"
    WON = "won"
    LOST = "lost"


def _to_status(value: Any) -> OpportunityStatus:
    return _checks.member(OpportunityStatus, "status", value)


def _to_amount(value: Any) -> Decimal:
    return positive_money("amount", value)


def _to_segment(value: Any) -> Segment | None:
    return None if value is None else _checks.member(Segment, "segment", value)


def _to_motion(value: Any) -> ExpansionMotion:
    return _checks.member(ExpansionMotion, "motion", value)


@attrs.frozen
class ExpansionOpportunity:
    """One expansion opportunity: more seats, a higher tier, an add-on, more consumption.

    Args:
        account_id: The account.
        opened_on: The day it was identified.
        amount: The recurring revenue it adds (ARR), > 0.
        status: OPEN, WON or LOST.
        closed_on: The day it was won or lost (required for WON and LOST, absent while OPEN).
        segment: The account's segment, to compare with its benchmark.
        motion: UPSELL, CROSS_SELL or UNSPECIFIED.

    Raises:
        InvalidValueError: a closed opportunity without a close date (or an open one with it), a close before
            the opening, a zero or negative amount.

    Examples:
        >>> deal = ExpansionOpportunity("acme", date(2025, 3, 3), 40_000, "WON", date(2025, 6, 2), "MID_MARKET")
        >>> deal.cycle_days, deal.status_on(date(2025, 5, 1))
        (91, <OpportunityStatus.OPEN: 'open'>)
    """

    __repr__ = readable
    account_id: str = attrs.field(validator=_checks.validator(_checks.identifier))
    opened_on: date = attrs.field(validator=_checks.validator(_checks.a_date))
    amount: Decimal = attrs.field(converter=_to_amount)
    status: OpportunityStatus = attrs.field(default=OpportunityStatus.OPEN, converter=_to_status)
    closed_on: date | None = attrs.field(default=None, validator=_checks.optional_validator(_checks.a_date))
    segment: Segment | None = attrs.field(default=None, converter=_to_segment)
    motion: ExpansionMotion = attrs.field(default=ExpansionMotion.UNSPECIFIED, converter=_to_motion)

    def __attrs_post_init__(self) -> None:
        if self.status is OpportunityStatus.OPEN and self.closed_on is not None:
            raise InvalidValueError(
                "is set on an OPEN opportunity", field="closed_on", value=self.closed_on,
                constraint="only WON or LOST opportunities have a close date", hint="set status WON or LOST",
            )
        if self.status is not OpportunityStatus.OPEN and self.closed_on is None:
            raise InvalidValueError(
                f"is missing on a {self.status.name} opportunity", field="closed_on", value=None,
                constraint="a closed opportunity has a close date", hint="pass closed_on=date(...)",
            )
        if self.closed_on is not None and self.closed_on < self.opened_on:
            raise InvalidValueError(
                "is before the opening", field="closed_on", value=self.closed_on,
                constraint=f"on or after opened_on={self.opened_on.isoformat()}", hint="check the dates",
            )

    @property
    def cycle_days(self) -> int | None:
        """Days from opening to close (``None`` while open)."""
        return None if self.closed_on is None else (self.closed_on - self.opened_on).days

    def status_on(self, day: date) -> OpportunityStatus:
        """The status on ``day``: OPEN until its close date.

        Raises:
            InvalidTypeError: ``day`` is not a date.
        """
        _checks.a_date("day", day)
        if self.closed_on is None or self.closed_on > day:
            return OpportunityStatus.OPEN
        return self.status


def _to_deal_min(value: Any) -> Decimal | None:
    return None if value is None else positive_money("deal_min", value)


def _to_deal_max(value: Any) -> Decimal | None:
    return None if value is None else positive_money("deal_max", value)


def _range(instance: ExpansionBenchmark, _attribute: Any, value: Decimal | None) -> None:
    low = instance.deal_min
    if low is not None and value is not None and value < low:
        raise InvalidValueError(
            "is below deal_min", field="deal_max", value=value, constraint=f"deal_min={low} <= deal_max",
            hint="swap the bounds, or pass None for an open-ended range",
        )


@attrs.frozen
class ExpansionBenchmark:
    """The typical expansion deal size and sales cycle of a segment.

    Args:
        deal_min: Smallest typical deal (``None``: no lower bound).
        deal_max: Largest typical deal (``None``: open-ended, "and more").
        cycle: The typical sales cycle (from opening to close) and its stuck point: a journey stage benchmark.
        source: Where the numbers come from.

    Examples:
        >>> mid = DEFAULT_EXPANSION_BENCHMARKS[Segment.MID_MARKET]
        >>> mid.deal_min, mid.deal_max, str(mid.cycle.typical_max)
        (Decimal('10000'), Decimal('100000'), '4 month(s)')
    """

    __repr__ = readable
    deal_min: Decimal | None = attrs.field(default=None, converter=_to_deal_min)
    deal_max: Decimal | None = attrs.field(default=None, converter=_to_deal_max, validator=_range)
    cycle: StageBenchmark | None = attrs.field(default=None, validator=of_type(StageBenchmark, optional=True))
    source: str = attrs.field(default="", validator=of_type(str))

    def typical_size(self, value: Decimal) -> bool:
        """True when a deal of ``value`` is within the typical range (both ends included).

        Examples:
            >>> DEFAULT_EXPANSION_BENCHMARKS[Segment.SMB].typical_size(Decimal(12_000))
            False
        """
        value = _checks.money("value", value)
        return (self.deal_min is None or value >= self.deal_min) and (self.deal_max is None or value <= self.deal_max)


_SIZE_SOURCE = "guide: KPIs › Expansion pipeline"
_CYCLES = {s: DEFAULT_JOURNEY_DEFINITION.benchmark(s, Stage.EXPANSION) for s in Segment}

DEFAULT_EXPANSION_BENCHMARKS: Final[Mapping[Segment, ExpansionBenchmark]] = freeze(
    {
        Segment.ENTERPRISE: ExpansionBenchmark(Decimal(50_000), None, _CYCLES[Segment.ENTERPRISE], _SIZE_SOURCE),
        Segment.MID_MARKET: ExpansionBenchmark(
            Decimal(10_000), Decimal(100_000), _CYCLES[Segment.MID_MARKET], _SIZE_SOURCE
        ),
        Segment.SMB: ExpansionBenchmark(Decimal(1_000), Decimal(10_000), _CYCLES[Segment.SMB], _SIZE_SOURCE),
    }
)
"""Typical expansion deals: enterprise $50K and up, mid-market $10K-$100K, SMB $1K-$10K; the cycles are the
journey's Expansion benchmarks (6-12 months, 2-4 months, 7-14 days). Product-led expansion is continuous
micro-expansion: no benchmark."""


def _to_cycles(value: Any) -> tuple[int, ...]:
    return tuple(sorted(_checks.count(f"won_cycle_days[{i}]", d)
                        for i, d in enumerate(_checks.items("won_cycle_days", value))))


def _to_open_value(value: Any) -> Decimal:
    return _checks.money("open_value", value, limit=_checks.MAX_COMPUTED)


def _to_won_value(value: Any) -> Decimal:
    return _checks.money("won_value", value, limit=_checks.MAX_COMPUTED)


def _to_lost_value(value: Any) -> Decimal:
    return _checks.money("lost_value", value, limit=_checks.MAX_COMPUTED)


def _at_most(of: str) -> Any:
    def check(instance: Any, attribute: Any, value: int | None) -> None:
        if value is None:
            return
        _checks.count(attribute.name, value)
        whole = getattr(instance, of)
        if value > whole:
            raise InvalidValueError(
                f"is larger than {of}", field=attribute.name, value=value, constraint=f"at most {of}={whole}",
                hint="count each opportunity once",
            )

    return check


_count = _checks.validator(_checks.count)


@attrs.frozen
class ExpansionPipeline:
    """The expansion pipeline as of a date: what is open, what closed, how often and how fast it is won.

    Attributes:
        as_of: The day the pipeline is looked at.
        since: Closed opportunities count from this day (``None``: all of them).
        segment: The segment measured (``None``: every opportunity, no benchmark).
        benchmark: The segment's typical deal size and cycle.
        open_count, open_value: Opportunities open on ``as_of`` and the revenue they would add.
        won_value, lost_count, lost_value: Closed in the window (won: see ``won_cycle_days``).
        won_cycle_days: Days from opening to close of each won opportunity, sorted (one per won deal).
        won_typical_size: Won deals within the benchmark's size range (``None`` without a benchmark).
        won_within_cycle: Won deals closed within the benchmark's typical cycle (``None`` without one).
        stalled: Open opportunities past the benchmark's stuck point (``None`` without one).

    Examples:
        >>> p = ExpansionPipeline(date(2025, 12, 31), open_count=2, open_value=60_000, won_value=90_000,
        ...                       won_cycle_days=(40, 75, 130), lost_count=1, lost_value=20_000)
        >>> p.won_count, p.close_rate, p.average_deal_size, p.median_cycle_days
        (3, 0.75, Decimal('30000'), 75.0)
    """

    __repr__ = readable
    as_of: date = attrs.field(validator=_checks.validator(_checks.a_date))
    since: date | None = attrs.field(default=None, validator=_checks.optional_validator(_checks.a_date))
    segment: Segment | None = attrs.field(default=None, converter=_to_segment)
    benchmark: ExpansionBenchmark | None = attrs.field(
        default=None, validator=of_type(ExpansionBenchmark, optional=True)
    )
    open_count: int = attrs.field(default=0, validator=_count)
    open_value: Decimal = attrs.field(default=ZERO, converter=_to_open_value)
    won_value: Decimal = attrs.field(default=ZERO, converter=_to_won_value)
    won_cycle_days: tuple[int, ...] = attrs.field(default=(), converter=_to_cycles)
    lost_count: int = attrs.field(default=0, validator=_count)
    lost_value: Decimal = attrs.field(default=ZERO, converter=_to_lost_value)
    won_typical_size: int | None = attrs.field(default=None, validator=_at_most("won_count"))
    won_within_cycle: int | None = attrs.field(default=None, validator=_at_most("won_count"))
    stalled: int | None = attrs.field(default=None, validator=_at_most("open_count"))

    @property
    def won_count(self) -> int:
        """Opportunities won in the window."""
        return len(self.won_cycle_days)

    @property
    def close_rate(self) -> float | None:
        """Won ÷ closed (won + lost), by count; ``None`` when nothing closed."""
        closed = self.won_count + self.lost_count
        return None if closed == 0 else self.won_count / closed

    @property
    def value_close_rate(self) -> Decimal | None:
        """Won value ÷ closed value; ``None`` when nothing closed."""
        closed = total(self.won_value, self.lost_value)
        return None if closed == 0 else ratio(self.won_value, closed)

    @property
    def average_deal_size(self) -> Decimal | None:
        """Won value ÷ won deals; ``None`` when nothing was won."""
        return None if not self.won_count else ratio(self.won_value, Decimal(self.won_count))

    @property
    def mean_cycle_days(self) -> float | None:
        """Mean days from opening to close over won deals."""
        return statistics.fmean(self.won_cycle_days) if self.won_cycle_days else None

    @property
    def median_cycle_days(self) -> float | None:
        """Median days from opening to close over won deals."""
        return float(statistics.median(self.won_cycle_days)) if self.won_cycle_days else None

    def explain(self) -> list[str]:
        """Sentences a CS lead can read: the open pipeline, the close rate, deal size and cycle, the benchmark."""
        scope = f"{self.segment.name} " if self.segment is not None else ""
        window = f" since {self.since.isoformat()}" if self.since is not None else ""
        lines = [f"Open {scope}expansion pipeline on {self.as_of.isoformat()}: {self.open_count} "
                 f"opportunit{'y' if self.open_count == 1 else 'ies'} worth {amount(self.open_value)}."]
        rate = self.close_rate
        if rate is None:
            lines.append(f"No opportunity closed{window}: no close rate yet.")
        else:
            lines.append(f"Closed{window}: {self.won_count} won ({amount(self.won_value)}), {self.lost_count} lost "
                         f"({amount(self.lost_value)}); close rate {rate:.0%} by count.")
        size = self.average_deal_size
        if size is not None:
            lines.append(f"Average won deal {amount(rounded(size, '0.01'))}; median sales cycle "
                         f"{self.median_cycle_days:g} days (mean {self.mean_cycle_days:.1f}).")
        bench = self.benchmark
        if bench is not None:
            low = "no minimum" if bench.deal_min is None else amount(bench.deal_min)
            high = "and more" if bench.deal_max is None else f"to {amount(bench.deal_max)}"
            span = bench.cycle
            cycle = "" if span is None else f", typical cycle {span.typical_min} to {span.typical_max}"
            lines.append(f"Benchmark: deals {low} {high}{cycle}.")
            if self.won_typical_size is not None and self.won_count:
                lines.append(f"{self.won_typical_size} of {self.won_count} won deal(s) in the typical size range.")
            if self.won_within_cycle is not None and self.won_count:
                lines.append(f"{self.won_within_cycle} of {self.won_count} won deal(s) closed within the typical "
                             "cycle.")
            if self.stalled:
                lines.append(f"{self.stalled} open opportunit{'y is' if self.stalled == 1 else 'ies are'} past the "
                             f"stuck point ({bench.cycle.stuck_after if bench.cycle else '-'}): revive or close "
                             f"{'it' if self.stalled == 1 else 'them'}.")
        if self.value_close_rate is not None:
            lines.append(f"By value, {pct(self.value_close_rate, 0)} of the closed pipeline was won.")
        return lines


def _after(span: Any, start: date) -> date:
    try:
        return span.after(start)  # type: ignore[no-any-return]
    except InvalidValueError:
        return date.max


def expansion_pipeline(
    opportunities: Iterable[ExpansionOpportunity],
    *,
    as_of: date,
    since: date | None = None,
    segment: Segment | str | None = None,
    benchmarks: Mapping[Segment, ExpansionBenchmark] = DEFAULT_EXPANSION_BENCHMARKS,
) -> ExpansionPipeline:
    """Measure the expansion pipeline on ``as_of``: open value and count, close rate, deal size and cycle.

    Opportunities opened after ``as_of`` are left out; one closed after ``as_of`` is still open on it. Closed
    opportunities count when closed in ``[since, as_of]`` (all of them without ``since``). With ``segment``, only
    that segment's opportunities count and they are compared with its benchmark.

    Raises:
        InvalidTypeError: an opportunity that is not an ExpansionOpportunity, a date that is not a date.
        InvalidValueError: ``since`` after ``as_of``.
        UnknownNameError: an unknown segment.

    Examples:
        >>> deals = [
        ...     ExpansionOpportunity("a", date(2025, 1, 6), 30_000, "WON", date(2025, 3, 3), "MID_MARKET"),
        ...     ExpansionOpportunity("b", date(2025, 2, 3), 20_000, "LOST", date(2025, 4, 7), "MID_MARKET"),
        ...     ExpansionOpportunity("c", date(2025, 2, 3), 50_000, "WON", date(2025, 9, 1), "MID_MARKET"),
        ...     ExpansionOpportunity("d", date(2025, 5, 5), 15_000, segment="MID_MARKET"),
        ... ]
        >>> p = expansion_pipeline(deals, as_of=date(2025, 12, 31), segment="MID_MARKET")
        >>> p.open_value, p.close_rate, p.average_deal_size, p.won_within_cycle, p.stalled
        (Decimal('15000'), 0.6666666666666666, Decimal('40000'), 1, 1)
    """
    _checks.a_date("as_of", as_of)
    if since is not None:
        _checks.a_date("since", since)
        if since > as_of:
            raise InvalidValueError(
                "is after as_of", field="since", value=since, constraint=f"on or before {as_of.isoformat()}",
                hint="count closed opportunities from an earlier day",
            )
    chosen = None if segment is None else Segment.parse(segment)
    table = _checks.mapping("benchmarks", benchmarks, key=lambda f, k: _checks.member(Segment, f, k),
                            item=lambda f, v: _checks.instance(f, v, ExpansionBenchmark))
    bench = None if chosen is None else table.get(chosen)
    cycle = None if bench is None else bench.cycle
    open_count, open_value, lost_count, lost_value, won_value = 0, ZERO, 0, ZERO, ZERO
    won_days: list[int] = []
    typical = within = stalled = 0
    for deal in _checks.items("opportunities", opportunities, ExpansionOpportunity):
        if deal.opened_on > as_of or (chosen is not None and deal.segment is not chosen):
            continue
        status = deal.status_on(as_of)
        if status is OpportunityStatus.OPEN:
            open_count += 1
            open_value = total(open_value, deal.amount)
            stalled += cycle is not None and as_of > _after(cycle.stuck_after, deal.opened_on)
            continue
        closed_on = deal.closed_on or as_of  # a closed deal always has its close date
        if since is not None and closed_on < since:
            continue
        if status is OpportunityStatus.LOST:
            lost_count += 1
            lost_value = total(lost_value, deal.amount)
            continue
        won_value = total(won_value, deal.amount)
        won_days.append((closed_on - deal.opened_on).days)
        typical += bench is not None and bench.typical_size(deal.amount)
        within += cycle is not None and closed_on <= _after(cycle.typical_max, deal.opened_on)
    return ExpansionPipeline(
        as_of, since, chosen, bench, open_count, open_value, won_value, tuple(won_days), lost_count, lost_value,
        typical if bench is not None else None,
        within if cycle is not None else None,
        stalled if cycle is not None else None,
    )
