"""Efficiency of the CS team's touches: touches per CSM a month, the automation rate and the cost per touch.

The efficiency part of the engagement dashboard (guide: Cadence › Efficiency): how many touches each
CSM delivers a month in each segment, how much of the work automation carries, how proactive the team is, and
what a touch costs by segment and channel. Engagement rates are :func:`~postsale.cadence.evaluate_engagement`,
the proactive share of time :func:`~postsale.cadence.proactive_share`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Final

import attrs

from postsale import _checks
from postsale._errors import InvalidValueError
from postsale._repr import readable
from postsale._vocabulary import Segment
from postsale.cadence._channels import Channel

__all__ = ["DeliveredTouch", "SegmentEfficiency", "TouchEfficiency", "touch_efficiency"]

_DAYS_PER_MONTH: Final = 365.25 / 12
"""An average calendar month, in days: a period's length in months is its days over this."""
_CENT: Final = Decimal("0.01")


def _segment(value: Any) -> Segment:
    return _checks.member(Segment, "segment", value)


def _channel(value: Any) -> Channel:
    return Channel.parse(value)


def _minutes(value: Any) -> int | None:
    return None if value is None else _checks.count("minutes", value)


_SEGMENT_LABELS: Final = {
    Segment.ENTERPRISE: "Enterprise",
    Segment.MID_MARKET: "Mid-market",
    Segment.SMB: "SMB",
    Segment.PRODUCT_LED: "Product-led",
}


def _label(channel: Channel) -> str:
    return channel.name.replace("_", " ").lower()


@attrs.frozen
class DeliveredTouch:
    """One touch the team delivered (or automation sent), for the efficiency metrics.

    Args:
        account_id: The account.
        segment: Its segment.
        channel: How it went out.
        on: The day it was delivered.
        csm: Who delivered it (``None`` for an automated touch).
        automated: Sent by automation, without a CSM's one-to-one time.
        proactive: Started by the team (a plan, an alert) rather than answering the customer's request.
        minutes: The CSM time it took (optional; when every personal touch of a segment has it, the segment's
            cost is shared by time rather than by count).

    Raises:
        InvalidValueError: a touch that is neither automated nor has a CSM.

    Examples:
        >>> touch = DeliveredTouch("acme", "SMB", "email", date(2026, 3, 2), automated=True)
        >>> touch.channel.name, touch.csm, touch.proactive
        ('EMAIL', None, True)
    """

    __repr__ = readable
    account_id: str = attrs.field(validator=_checks.validator(_checks.text))
    segment: Segment = attrs.field(converter=_segment)
    channel: Channel = attrs.field(converter=_channel)
    on: date = attrs.field(validator=_checks.validator(_checks.a_date))
    csm: str | None = attrs.field(default=None, validator=_checks.optional_validator(_checks.text))
    automated: bool = attrs.field(default=False, validator=_checks.validator(_checks.flag))
    proactive: bool = attrs.field(default=True, validator=_checks.validator(_checks.flag))
    minutes: int | None = attrs.field(default=None, converter=_minutes)

    def __attrs_post_init__(self) -> None:
        if not self.automated and self.csm is None:
            raise InvalidValueError(
                "a touch a person delivered needs the person",
                field="csm",
                value=None,
                constraint="csm is required unless automated=True",
                hint="pass csm='...' (who delivered it) or automated=True",
            )


def _rate(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


def _optional_segment(value: Any) -> Segment | None:
    return None if value is None else _segment(value)


def _months(value: Any) -> float:
    months = _checks.number("months", value, limit=1e6)
    if months <= 0:
        raise InvalidValueError("is not positive", field="months", value=value, constraint="must be > 0")
    return months


def _optional_cost(value: Any) -> Decimal | None:
    return None if value is None else _checks.money("cost", value)


def _channel_cost(value: Any) -> tuple[Channel, Decimal]:
    pair = _checks.items("cost_by_channel[]", value)
    if len(pair) != 2:
        raise InvalidValueError("is not a (channel, cost) pair", field="cost_by_channel[]", value=value)
    return (_channel(pair[0]), _checks.money("cost_by_channel[].cost", pair[1]))


def _channel_costs_of(value: Any) -> tuple[tuple[Channel, Decimal], ...]:
    return tuple(_channel_cost(pair) for pair in _checks.items("cost_by_channel", value))


def _within(instance: SegmentEfficiency, _attribute: Any, value: int) -> None:
    if not value <= instance.touches:
        raise InvalidValueError(
            "counts more touches than there are", field=_attribute.name, value=value,
            constraint=f"must be <= touches={instance.touches}",
        )


@attrs.frozen
class SegmentEfficiency:
    """The efficiency of one segment's touches (or of all of them: ``segment`` is ``None``).

    Attributes:
        segment: The segment, or ``None`` for the whole portfolio.
        touches: Touches delivered in the period.
        automated: Of which sent by automation.
        proactive: Of which started by the team.
        csms: CSMs who delivered at least one touch.
        months: The period's length in months.
        cost: The CS cost of the period given for the segment (``None``: not given).
        cost_by_channel: The cost per touch of each channel: the cost shared among the touches people delivered
            (by their minutes when every one has them, else equally); automated touches take none of it.

    Examples:
        >>> smb = SegmentEfficiency("SMB", touches=40, automated=30, proactive=36, csms=2, months=1.0, cost=2000)
        >>> smb.automation_rate, smb.touches_per_csm_month, smb.cost_per_touch
        (0.75, 5.0, Decimal('50.00'))
    """

    __repr__ = readable
    segment: Segment | None = attrs.field(converter=_optional_segment)
    touches: int = attrs.field(validator=_checks.validator(_checks.count))
    automated: int = attrs.field(validator=[_checks.validator(_checks.count), _within])
    proactive: int = attrs.field(validator=[_checks.validator(_checks.count), _within])
    csms: int = attrs.field(validator=_checks.validator(_checks.count))
    months: float = attrs.field(converter=_months)
    cost: Decimal | None = attrs.field(default=None, converter=_optional_cost)
    cost_by_channel: tuple[tuple[Channel, Decimal], ...] = attrs.field(default=(), converter=_channel_costs_of)

    @property
    def automation_rate(self) -> float | None:
        """The share of touches sent by automation (``None`` without touches)."""
        return _rate(self.automated, self.touches)

    @property
    def proactive_rate(self) -> float | None:
        """The share of touches the team started (``None`` without touches)."""
        return _rate(self.proactive, self.touches)

    @property
    def touches_per_csm_month(self) -> float | None:
        """Touches a person delivered, per CSM and month (``None`` without a CSM)."""
        personal = self.touches - self.automated
        return None if self.csms == 0 else personal / self.csms / self.months

    @property
    def cost_per_touch(self) -> Decimal | None:
        """The cost over the touches (``None`` without a cost or a touch), to the cent."""
        if self.cost is None or self.touches == 0:
            return None
        return (self.cost / self.touches).quantize(_CENT)

    def explain(self) -> list[str]:
        """Say the figures in words.

        Examples:
            >>> SegmentEfficiency(None, 0, 0, 0, 0, 1.0).explain()
            ['All segments: no touch delivered in the period.']
        """
        name = "All segments" if self.segment is None else _SEGMENT_LABELS[self.segment]
        if self.touches == 0:
            return [f"{name}: no touch delivered in the period."]
        per_csm = self.touches_per_csm_month
        people = "no CSM touch"
        if per_csm is not None:
            people = f"{per_csm:.1f} touches per CSM a month ({_n(self.csms, 'CSM')})"
        line = (
            f"{name}: {_n(self.touches, 'touch')}, {people}; {self.automation_rate:.0%} automated, "
            f"{self.proactive_rate:.0%} started by the team."
        )
        lines = [line]
        cost = self.cost_per_touch
        if cost is not None:
            channels = ", ".join(f"{_label(channel)} ${amount:,.2f}" for channel, amount in self.cost_by_channel)
            lines.append(f"{name}: ${cost:,.2f} a touch on average ({channels}).")
        return lines


def _n(count: int, word: str) -> str:
    plural = word + ("es" if word.endswith("ch") else "s")
    return f"{count:,} {word if count == 1 else plural}"


def _of_figures(field: str, value: Any) -> SegmentEfficiency:
    result: SegmentEfficiency = _checks.instance(field, value, SegmentEfficiency)
    return result


def _segments(value: Any) -> tuple[SegmentEfficiency, ...]:
    return _checks.items("segments", value, SegmentEfficiency)


@attrs.frozen
class TouchEfficiency:
    """The efficiency metrics of a period: per segment and for the whole portfolio.

    Attributes:
        start: First day of the period.
        end: Last day of the period (inclusive).
        overall: All segments together.
        segments: One entry per segment with touches, in segment order.
        outside: Touches given that fall outside the period (left out, counted).

    Examples:
        >>> report = touch_efficiency([], start=date(2026, 1, 1), end=date(2026, 3, 31))
        >>> report.explain()
        ['Touches delivered 2026-01-01 to 2026-03-31 (3.0 months).', 'All segments: no touch delivered in the period.']
    """

    __repr__ = readable
    start: date = attrs.field(validator=_checks.validator(_checks.a_date))
    end: date = attrs.field(validator=_checks.validator(_checks.a_date))
    overall: SegmentEfficiency = attrs.field(validator=_checks.validator(_of_figures))
    segments: tuple[SegmentEfficiency, ...] = attrs.field(converter=_segments)
    outside: int = attrs.field(default=0, validator=_checks.validator(_checks.count))

    def segment(self, segment: Segment | str) -> SegmentEfficiency | None:
        """The figures of one segment (``None`` when it had no touch).

        Raises:
            UnknownNameError: ``segment`` names no segment.
        """
        wanted = _segment(segment)
        return next((s for s in self.segments if s.segment is wanted), None)

    def explain(self) -> list[str]:
        """Say the period's figures in words, portfolio first."""
        lines = [f"Touches delivered {self.start} to {self.end} ({self.overall.months:.1f} months)."]
        if self.outside:
            lines.append(f"{_n(self.outside, 'touch')} outside the period left out.")
        for figures in (self.overall, *self.segments):
            lines.extend(figures.explain())
        return lines


def _costs(value: Any) -> Mapping[Segment, Decimal]:
    return _checks.mapping("cost_by_segment", value, key=_segment_key, item=_cost)


def _segment_key(field: str, value: Any) -> Segment:
    return _checks.member(Segment, field, value)


def _cost(field: str, value: Any) -> Decimal:
    return _checks.money(field, value)


def touch_efficiency(
    touches: Iterable[DeliveredTouch],
    *,
    start: date,
    end: date,
    cost_by_segment: Mapping[Segment | str, Decimal | int | str] | None = None,
) -> TouchEfficiency:
    """Compute the efficiency metrics of the touches delivered from ``start`` to ``end`` (both inclusive).

    Touches per CSM a month count the touches people delivered (not automated ones) over the CSMs who delivered
    at least one and the period's length in months (its days over 30.44). The automation rate is the share of
    touches automation sent. With ``cost_by_segment`` (the CS cost of each segment's team for the period, e.g.
    a touch-model tier's cost), the cost per touch is that cost over the segment's touches (automation makes it
    cheaper); per channel, the cost is shared among the touches people delivered, by their minutes when every
    one has them, else equally (automated touches take none of the team's time). The portfolio's cost is the
    sum over the segments, when every segment with touches has one.

    Args:
        touches: The delivered touches; those outside the period are left out and counted.
        start: First day of the period.
        end: Last day (inclusive).
        cost_by_segment: The CS cost of the period per segment (optional).

    Raises:
        InvalidValueError: ``end`` before ``start``, or a negative or huge cost.
        InvalidTypeError: a touch that is not a :class:`DeliveredTouch`.

    Examples:
        >>> day = date(2026, 3, 2)
        >>> sent = [DeliveredTouch("a", "SMB", "email", day, automated=True) for _ in range(6)]
        >>> sent += [DeliveredTouch("a", "SMB", "video call", day, csm="kim") for _ in range(2)]
        >>> report = touch_efficiency(sent, start=date(2026, 3, 1), end=date(2026, 3, 31),
        ...                           cost_by_segment={"SMB": 400})
        >>> smb = report.segment("SMB")
        >>> smb.automation_rate, round(smb.touches_per_csm_month, 2), smb.cost_per_touch
        (0.75, 1.96, Decimal('50.00'))
        >>> report.explain()[1]
        'All segments: 8 touches, 2.0 touches per CSM a month (1 CSM); 75% automated, 100% started by the team.'
    """
    first = _checks.a_date("start", start)
    last = _checks.a_date("end", end)
    if last < first:
        raise InvalidValueError(
            "the period ends before it starts", field="end", value=end, constraint=f"must be on or after {first}"
        )
    costs = {} if cost_by_segment is None else _costs(cost_by_segment)
    months = ((last - first).days + 1) / _DAYS_PER_MONTH
    grouped: dict[Segment, list[DeliveredTouch]] = defaultdict(list)
    outside = 0
    for touch in _checks.items("touches", touches, DeliveredTouch):
        if first <= touch.on <= last:
            grouped[touch.segment].append(touch)
        else:
            outside += 1
    segments = tuple(
        _figures(segment, grouped[segment], months, costs.get(segment)) for segment in Segment if grouped[segment]
    )
    every = [touch for segment in Segment for touch in grouped[segment]]
    costed = bool(costs) and all(segment in costs for segment in grouped if grouped[segment])
    total = sum((costs[segment] for segment in grouped if grouped[segment]), Decimal(0)) if costed else None
    overall = _figures(None, every, months, total)
    return TouchEfficiency(first, last, overall, segments, outside)


def _figures(
    segment: Segment | None, touches: list[DeliveredTouch], months: float, cost: Decimal | None
) -> SegmentEfficiency:
    shares: tuple[tuple[Channel, Decimal], ...] = ()
    if cost is not None and touches:
        shares = _channel_costs(touches, cost)
    return SegmentEfficiency(
        segment,
        len(touches),
        sum(touch.automated for touch in touches),
        sum(touch.proactive for touch in touches),
        len({touch.csm for touch in touches if not touch.automated}),
        months,
        cost,
        shares,
    )


def _channel_costs(touches: list[DeliveredTouch], cost: Decimal) -> tuple[tuple[Channel, Decimal], ...]:
    """The cost per touch of each channel: ``cost`` shared by the personal touches' minutes (or count)."""
    personal = [touch for touch in touches if not touch.automated]
    timed = bool(personal) and all(touch.minutes is not None for touch in personal)
    weights = [touch.minutes if timed and touch.minutes is not None else 1 for touch in personal]
    total = sum(weights)
    weight: dict[Channel, int] = defaultdict(int)
    count: dict[Channel, int] = defaultdict(int)
    for touch, share in zip(personal, weights, strict=True):
        weight[touch.channel] += share
        count[touch.channel] += 1
    seen = {touch.channel for touch in touches}
    result = []
    for channel in Channel:
        if channel not in seen:
            continue
        if not count[channel] or not total:
            result.append((channel, Decimal(0).quantize(_CENT)))
            continue
        result.append((channel, (cost * weight[channel] / total / count[channel]).quantize(_CENT)))
    return tuple(result)
