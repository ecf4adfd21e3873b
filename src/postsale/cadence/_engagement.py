"""Engagement: what customers did with their touches, engagement targets and over-communication signals."""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any, Final

import attrs

from postsale import _checks
from postsale._errors import InvalidValueError
from postsale._repr import readable
from postsale._vocabulary import Segment
from postsale.cadence._channels import Channel
from postsale.cadence._plans import CadencePlan

__all__ = [
    "EngagementMetric",
    "EngagementOutcome",
    "EngagementRecord",
    "EngagementResult",
    "EngagementTargets",
    "OverCommunication",
    "OverCommunicationPolicy",
    "OverCommunicationSignal",
    "assess_over_communication",
    "evaluate_engagement",
    "lower_cadence",
]

_QUARTER_DAYS: Final = 90
"""A lowered cadence stretches only rhythms shorter than a quarter (reviews keep theirs)."""


class EngagementOutcome(enum.Enum):
    """What the customer did with one touch.

    Examples:
        >>> EngagementOutcome["REPLIED"], EngagementOutcome("spam_complaint")
        (<EngagementOutcome.REPLIED: 'replied'>, <EngagementOutcome.SPAM_COMPLAINT: 'spam_complaint'>)
    """

    OPENED = "opened"
    CLICKED = "clicked"
    REPLIED = "replied"
    ACCEPTED = "accepted"
    DOWNLOADED = "downloaded"
    ATTENDED = "attended"
    SPAM_COMPLAINT = "spam_complaint"
    ASKED_TO_REDUCE = "asked_to_reduce"


_RESPONSES: Final = frozenset(
    {
        EngagementOutcome.CLICKED,
        EngagementOutcome.REPLIED,
        EngagementOutcome.ACCEPTED,
        EngagementOutcome.DOWNLOADED,
        EngagementOutcome.ATTENDED,
    }
)
"""Outcomes that count as a response to outreach (an open alone does not)."""


def _outcomes(value: Any) -> frozenset[EngagementOutcome]:
    if isinstance(value, (str, EngagementOutcome)):
        value = (value,)
    return frozenset(_checks.member(EngagementOutcome, "outcomes", v) for v in _checks.items("outcomes", value))


def _bool(field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidValueError("expected True or False", field=field, value=value, hint="pass a bool")
    return value


def _segment(value: Any) -> Segment:
    return Segment.parse(value)


def _channel(value: Any) -> Channel:
    return Channel.parse(value)


@attrs.frozen
class EngagementRecord:
    """One touch sent to an account and what came of it.

    Args:
        account_id: The account.
        segment: Its segment (targets are evaluated per segment and channel).
        channel: How the touch went out.
        sent_on: When.
        outcomes: What the customer did (opened, clicked, replied, accepted, downloaded, attended, complained of
            spam, asked to reduce frequency).
        important: An important email (ignoring it is an over-communication sign).
        resource_offered: The touch offered a resource to download.

    Examples:
        >>> record = EngagementRecord("acme", "SMB", "email", date(2026, 3, 2), ["opened", "clicked"])
        >>> record.opened, record.responded
        (True, True)
    """

    __repr__ = readable
    account_id: str = attrs.field(validator=_checks.validator(_checks.text))
    segment: Segment = attrs.field(converter=_segment)
    channel: Channel = attrs.field(converter=_channel)
    sent_on: date = attrs.field(validator=_checks.validator(_checks.a_date))
    outcomes: frozenset[EngagementOutcome] = attrs.field(factory=frozenset, converter=_outcomes)
    important: bool = attrs.field(default=False, validator=_checks.validator(_bool))
    resource_offered: bool = attrs.field(default=False, validator=_checks.validator(_bool))

    @property
    def responded(self) -> bool:
        """True when the customer responded (clicked, replied, accepted, downloaded or attended)."""
        return not self.outcomes.isdisjoint(_RESPONSES)

    @property
    def opened(self) -> bool:
        """True when the customer opened it (a click implies an open)."""
        return EngagementOutcome.OPENED in self.outcomes or EngagementOutcome.CLICKED in self.outcomes


class EngagementMetric(enum.Enum):
    """The engagement metrics with a target.

    Examples:
        >>> EngagementTargets().target(EngagementMetric.CALL_ACCEPTANCE)
        0.75
    """

    EMAIL_OPEN = "email_open"
    EMAIL_CLICK = "email_click"
    CALL_ACCEPTANCE = "call_acceptance"
    RESOURCE_DOWNLOAD = "resource_download"
    EVENT_ATTENDANCE = "event_attendance"


_CALLS: Final = frozenset({Channel.PHONE, Channel.VIDEO_CALL})
_EVENTS: Final = frozenset({Channel.EVENT, Channel.WEBINAR})


def _measure(metric: EngagementMetric, record: EngagementRecord) -> bool | None:
    """``None`` when the record does not count for the metric, else whether it is a hit."""
    if metric is EngagementMetric.EMAIL_OPEN:
        return record.opened if record.channel is Channel.EMAIL else None
    if metric is EngagementMetric.EMAIL_CLICK:
        return EngagementOutcome.CLICKED in record.outcomes if record.channel is Channel.EMAIL else None
    if metric is EngagementMetric.CALL_ACCEPTANCE:
        return EngagementOutcome.ACCEPTED in record.outcomes if record.channel in _CALLS else None
    if metric is EngagementMetric.RESOURCE_DOWNLOAD:
        return EngagementOutcome.DOWNLOADED in record.outcomes if record.resource_offered else None
    return EngagementOutcome.ATTENDED in record.outcomes if record.channel in _EVENTS else None


@attrs.frozen
class EngagementTargets:
    """Engagement targets; a rate meets its target only when strictly above it.

    Examples:
        >>> EngagementTargets().email_open
        0.4
    """

    __repr__ = readable
    email_open: float = attrs.field(default=0.40, validator=_checks.validator(_checks.ratio))
    email_click: float = attrs.field(default=0.15, validator=_checks.validator(_checks.ratio))
    call_acceptance: float = attrs.field(default=0.75, validator=_checks.validator(_checks.ratio))
    resource_download: float = attrs.field(default=0.25, validator=_checks.validator(_checks.ratio))
    event_attendance: float = attrs.field(default=0.20, validator=_checks.validator(_checks.ratio))

    def target(self, metric: EngagementMetric) -> float:
        """Return the target of ``metric``.

        Raises:
            UnknownNameError: ``metric`` is not an :class:`EngagementMetric`.
        """
        value: float = getattr(self, _checks.member(EngagementMetric, "metric", metric).value)
        return value


def _at_least_one(field: str, value: Any) -> int:
    n = _checks.count(field, value)
    if n < 1:
        raise InvalidValueError("must be at least 1", field=field, value=value, constraint="must be >= 1")
    return n


def _to_metric(value: Any) -> EngagementMetric:
    return _checks.member(EngagementMetric, "metric", value)


@attrs.frozen
class EngagementResult:
    """One metric for one segment and channel, against its target.

    Attributes:
        segment: The segment.
        channel: The channel.
        metric: The metric.
        hits: Touches that achieved it (opened, clicked, accepted ...).
        total: Touches that count for it.
        target: The target (met only when the rate is strictly above).

    Examples:
        >>> from postsale import Segment
        >>> from postsale.cadence import Channel
        >>> result = EngagementResult(Segment.SMB, Channel.EMAIL, EngagementMetric.EMAIL_OPEN, 2, 5, 0.4)
        >>> result.rate, result.met
        (0.4, False)
    """

    __repr__ = readable
    segment: Segment = attrs.field(converter=_segment)
    channel: Channel = attrs.field(converter=_channel)
    metric: EngagementMetric = attrs.field(converter=_to_metric)
    hits: int = attrs.field(validator=_checks.validator(_checks.count))
    total: int = attrs.field(validator=_checks.validator(_at_least_one))
    target: float = attrs.field(validator=_checks.validator(_checks.ratio))

    def __attrs_post_init__(self) -> None:
        if self.hits > self.total:
            raise InvalidValueError(
                "is more than total", field="hits", value=self.hits, constraint=f"hits <= total={self.total}",
                hint="count the touches that achieved the metric among those that count for it",
            )

    @property
    def rate(self) -> float:
        """``hits / total``."""
        return self.hits / self.total

    @property
    def met(self) -> bool:
        """True when the rate is strictly above the target (exactly 40 % does not meet "> 40 %")."""
        return self.rate > self.target

    def explain(self) -> list[str]:
        """Say the rate, the target and whether it is met."""
        name = self.metric.value.replace("_", " ")
        verdict = "meets" if self.met else "misses"
        return [
            f"{self.segment.name} {self.channel.name.lower()} {name} rate is {self.rate:.1%} "
            f"({self.hits}/{self.total}); it {verdict} the target of more than {self.target:.0%}."
        ]


def evaluate_engagement(
    records: Iterable[EngagementRecord], *, targets: EngagementTargets | None = None
) -> tuple[EngagementResult, ...]:
    """Evaluate the engagement targets per segment and channel (a rate must be strictly above its target).

    Email open and click rates count emails; call acceptance counts phone and video calls; download rate counts
    touches that offered a resource; attendance counts events and webinars. Groups without a counted touch give
    no result.

    Returns:
        Results sorted by segment, channel and metric.

    Examples:
        >>> from datetime import date
        >>> sent = [EngagementRecord("a", "SMB", "email", date(2026, 1, d), ["opened"] if d <= 2 else [])
        ...         for d in range(1, 6)]
        >>> [(r.metric.name, r.rate, r.met) for r in evaluate_engagement(sent)]
        [('EMAIL_OPEN', 0.4, False), ('EMAIL_CLICK', 0.0, False)]
    """
    given = _checks.items("records", records, EngagementRecord)
    goal = EngagementTargets() if targets is None else _checks.instance("targets", targets, EngagementTargets)
    counts: dict[tuple[Segment, Channel, EngagementMetric], list[int]] = defaultdict(lambda: [0, 0])
    for record in given:
        for metric in EngagementMetric:
            hit = _measure(metric, record)
            if hit is not None:
                cell = counts[(record.segment, record.channel, metric)]
                cell[0] += hit
                cell[1] += 1
    order = {m: i for i, m in enumerate(EngagementMetric)}
    keys = sorted(counts, key=lambda k: (list(Segment).index(k[0]), list(Channel).index(k[1]), order[k[2]]))
    return tuple(
        EngagementResult(s, c, m, counts[(s, c, m)][0], counts[(s, c, m)][1], goal.target(m)) for s, c, m in keys
    )


class OverCommunicationSignal(enum.Enum):
    """Signs of too much communication.

    Examples:
        >>> rec = EngagementRecord("a", "SMB", "email", date(2026, 3, 2), ["asked_to_reduce"])
        >>> assess_over_communication("a", [rec], as_of=date(2026, 3, 31)).signals
        (<OverCommunicationSignal.ASKED_TO_REDUCE: 'asked_to_reduce'>,)
    """

    DECLINING_RESPONSE = "declining_response"
    ASKED_TO_REDUCE = "asked_to_reduce"
    IGNORED_IMPORTANT = "ignored_important"
    SPAM_COMPLAINTS = "spam_complaints"


@attrs.frozen
class OverCommunicationPolicy:
    """When engagement records say "too much" (every default is a proposal: configure them).

    Args:
        lookback_days: The recent period (the previous period has the same length, just before it).
        min_touches: Touches needed in each period before comparing response rates.
        response_decline: Relative fall of the response rate that counts as declining, inclusive (0.25: a rate
            at least a quarter lower than before).
        ignored_important: Unopened important emails in the recent period that count.
        spam_complaints: Spam complaints in the recent period that count.
        reduce_requests: Requests to reduce frequency in the recent period that count.
        slowdown: The factor a lowered cadence stretches its shorter-than-quarterly intervals by.

    Examples:
        >>> rec = EngagementRecord("a", "SMB", "email", date(2026, 3, 2), ["spam_complaint"])
        >>> lenient = OverCommunicationPolicy(spam_complaints=2)
        >>> assess_over_communication("a", [rec], as_of=date(2026, 3, 31), policy=lenient).lower
        False
    """

    __repr__ = readable
    lookback_days: int = attrs.field(default=90, validator=_checks.validator(_at_least_one))
    min_touches: int = attrs.field(default=4, validator=_checks.validator(_at_least_one))
    response_decline: float = attrs.field(default=0.25, validator=_checks.validator(_checks.ratio))
    ignored_important: int = attrs.field(default=2, validator=_checks.validator(_at_least_one))
    spam_complaints: int = attrs.field(default=1, validator=_checks.validator(_at_least_one))
    reduce_requests: int = attrs.field(default=1, validator=_checks.validator(_at_least_one))
    slowdown: int = attrs.field(default=2, validator=_checks.validator(_at_least_one))


def _signals(value: Any) -> tuple[OverCommunicationSignal, ...]:
    return tuple(_checks.member(OverCommunicationSignal, "signals", v) for v in _checks.items("signals", value))


@attrs.frozen
class OverCommunication:
    """The over-communication assessment of one account, with its evidence.

    Attributes:
        account_id: The account.
        as_of: The assessment date.
        signals: The signs found (empty when all is well).
        recent_response_rate: Response rate in the recent period (``None`` below ``min_touches``).
        previous_response_rate: Response rate in the period before (``None`` below ``min_touches``).
        reduce_requests: Requests to reduce frequency in the recent period.
        ignored_important: Important emails not opened in the recent period.
        spam_complaints: Spam complaints in the recent period.
        policy: The policy applied.

    Examples:
        >>> rec = EngagementRecord("a", "SMB", "email", date(2026, 3, 2), ["spam_complaint"])
        >>> signs = assess_over_communication("a", [rec], as_of=date(2026, 3, 31))
        >>> signs.lower, signs.explain()[0]
        (True, '1 spam complaint(s) were received.')
    """

    __repr__ = readable
    account_id: str = attrs.field(validator=_checks.validator(_checks.text))
    as_of: date = attrs.field(validator=_checks.validator(_checks.a_date))
    signals: tuple[OverCommunicationSignal, ...] = attrs.field(converter=_signals)
    recent_response_rate: float | None = attrs.field(validator=_checks.optional_validator(_checks.ratio))
    previous_response_rate: float | None = attrs.field(validator=_checks.optional_validator(_checks.ratio))
    reduce_requests: int = attrs.field(validator=_checks.validator(_checks.count))
    ignored_important: int = attrs.field(validator=_checks.validator(_checks.count))
    spam_complaints: int = attrs.field(validator=_checks.validator(_checks.count))
    policy: OverCommunicationPolicy = attrs.field(
        default=OverCommunicationPolicy(),
        validator=_checks.validator(lambda f, v: _checks.instance(f, v, OverCommunicationPolicy)),
    )

    def __attrs_post_init__(self) -> None:
        declining = OverCommunicationSignal.DECLINING_RESPONSE in self.signals
        if declining and (self.recent_response_rate is None or self.previous_response_rate is None):
            raise InvalidValueError(
                "needs both response rates", field="signals", value=self.signals,
                constraint="a declining response compares the recent and the previous rates",
                hint="give recent_response_rate and previous_response_rate",
            )

    @property
    def lower(self) -> bool:
        """True when any sign was found: the account's cadence should be lowered."""
        return bool(self.signals)

    def adjust(self, plan: CadencePlan) -> CadencePlan:
        """Return ``plan`` lowered by the policy's slowdown when a sign was found, else ``plan`` itself."""
        return lower_cadence(plan, factor=self.policy.slowdown) if self.lower else plan

    def explain(self) -> list[str]:
        """Say which signs were found, with the numbers behind them."""
        days = self.policy.lookback_days
        found = set(self.signals)
        sentences = []
        if OverCommunicationSignal.DECLINING_RESPONSE in found:
            sentences.append(
                f"Response rate fell from {self.previous_response_rate:.0%} to {self.recent_response_rate:.0%} "
                f"(last {days} days vs the {days} before)."
            )
        if OverCommunicationSignal.ASKED_TO_REDUCE in found:
            sentences.append(f"The customer asked {self.reduce_requests} time(s) to reduce the frequency.")
        if OverCommunicationSignal.IGNORED_IMPORTANT in found:
            sentences.append(f"{self.ignored_important} important email(s) were not opened.")
        if OverCommunicationSignal.SPAM_COMPLAINTS in found:
            sentences.append(f"{self.spam_complaints} spam complaint(s) were received.")
        if found:
            sentences.append(
                f"Lower the cadence of account {self.account_id}: quality over quantity."
            )
        else:
            sentences.append(f"No sign of over-communication for account {self.account_id} in the last {days} days.")
        return sentences


def assess_over_communication(
    account_id: str,
    records: Iterable[EngagementRecord],
    as_of: date,
    *,
    policy: OverCommunicationPolicy | None = None,
) -> OverCommunication:
    """Find the signs of over-communication for one account.

    Declining response rates (the recent period's rate below the previous one's by at least
    ``response_decline``, relative), requests to reduce frequency, important emails ignored, spam complaints.
    Records of other accounts and records after ``as_of`` are ignored.

    Args:
        account_id: The account to assess.
        records: Engagement records (other accounts' are ignored).
        as_of: The day of the assessment (positional or keyword).
        policy: The thresholds; the defaults when ``None``.

    Raises:
        InvalidTypeError: ``as_of`` is not a date, ``records`` is not a collection of records, ``policy`` is not
            an OverCommunicationPolicy.
        InvalidValueError: ``account_id`` is not a non-empty string.

    Examples:
        >>> from datetime import date
        >>> rec = EngagementRecord("a", "SMB", "email", date(2026, 3, 2), ["spam_complaint"])
        >>> assess_over_communication("a", [rec], as_of=date(2026, 3, 31)).signals
        (<OverCommunicationSignal.SPAM_COMPLAINTS: 'spam_complaints'>,)
    """
    _checks.text("account_id", account_id)
    given = _checks.items("records", records, EngagementRecord)
    today = _checks.a_date("as_of", as_of)
    rules = OverCommunicationPolicy() if policy is None else _checks.instance("policy", policy, OverCommunicationPolicy)
    recent_from = date.fromordinal(max(1, today.toordinal() - rules.lookback_days))
    previous_from = date.fromordinal(max(1, recent_from.toordinal() - rules.lookback_days))
    recent = [0, 0]
    previous = [0, 0]
    reduce = ignored = spam = 0
    for record in given:
        if record.account_id != account_id or not previous_from < record.sent_on <= today:
            continue
        if record.sent_on <= recent_from:
            previous[0] += record.responded
            previous[1] += 1
            continue
        recent[0] += record.responded
        recent[1] += 1
        reduce += EngagementOutcome.ASKED_TO_REDUCE in record.outcomes
        spam += EngagementOutcome.SPAM_COMPLAINT in record.outcomes
        ignored += record.important and record.channel is Channel.EMAIL and not record.opened
    recent_rate = recent[0] / recent[1] if recent[1] >= rules.min_touches else None
    previous_rate = previous[0] / previous[1] if previous[1] >= rules.min_touches else None
    signals = []
    if _declined(recent_rate, previous_rate, rules.response_decline):
        signals.append(OverCommunicationSignal.DECLINING_RESPONSE)
    if reduce >= rules.reduce_requests:
        signals.append(OverCommunicationSignal.ASKED_TO_REDUCE)
    if ignored >= rules.ignored_important:
        signals.append(OverCommunicationSignal.IGNORED_IMPORTANT)
    if spam >= rules.spam_complaints:
        signals.append(OverCommunicationSignal.SPAM_COMPLAINTS)
    return OverCommunication(
        account_id, today, tuple(signals), recent_rate, previous_rate, reduce, ignored, spam, rules
    )


_EPSILON: Final = 1e-9


def _declined(recent: float | None, previous: float | None, decline: float) -> bool:
    """True when ``recent`` is at least ``decline`` (relative) below ``previous`` (float noise tolerated)."""
    if recent is None or previous is None or previous == 0:
        return False
    return previous - recent >= decline * previous - _EPSILON


def lower_cadence(plan: CadencePlan, *, factor: int = 2, below_days: int = _QUARTER_DAYS) -> CadencePlan:
    """Return ``plan`` with every recurrence shorter than a quarter stretched ``factor`` times.

    Reviews (quarterly and longer) and one-off touches keep their dates: weekly becomes every 2 weeks, monthly
    every 2 months, and so on.

    Args:
        plan: The plan to lower.
        factor: How many times longer the intervals become (1 changes nothing).
        below_days: Only recurrences shorter than this many days are stretched (a month counts 30 days).

    Raises:
        InvalidTypeError: ``plan`` is not a CadencePlan.
        InvalidValueError: ``factor`` or ``below_days`` below 1.

    Examples:
        >>> from postsale.cadence import segment_plan
        >>> lowered = lower_cadence(segment_plan("enterprise"))
        >>> [i.recurrence.describe() for i in lowered.items]
        ['every 2 weeks', 'every 4 weeks', 'every 3 months', 'every year']
    """
    _checks.instance("plan", plan, CadencePlan, hint="pass a CadencePlan, e.g. segment_plan(Segment.SMB)")
    n = _at_least_one("factor", factor)
    limit = _at_least_one("below_days", below_days)
    items = []
    for item in plan.items:
        rec = item.recurrence
        if rec is not None and rec.approx_days < limit:
            items.append(attrs.evolve(item, recurrence=attrs.evolve(rec, interval=rec.interval * n)))
        else:
            items.append(item)
    name = plan.name if n == 1 else f"{plan.name} (lowered x{n})"
    return CadencePlan(name, tuple(items), plan.local_time)
