"""Small values shared by the trigger modules: SLA words, priorities, actions, evidence, evaluation context."""

from __future__ import annotations

import enum
import sys
from collections.abc import Mapping
from typing import Any

import attrs

from postsale import _checks
from postsale._frozen import FrozenDict, freeze
from postsale._repr import readable
from postsale._vocabulary import HealthBand

__all__ = [
    "Action",
    "ActionChannel",
    "ActionKind",
    "Context",
    "Evidence",
    "OutcomeKind",
    "Priority",
    "Sla",
]


def _is_str(field: str, value: Any) -> None:
    _checks.instance(field, value, str)


class Sla(enum.Enum):
    """How fast an alert must be acted on (see ``docs/triggers.md``).

    * ``SAME_DAY``: by the end of the detection calendar day in the account's time zone (23:59:59 local).
    * ``H24`` / ``H48``: 24 / 48 hours after detection ("within 2 days" = 48 h).
    * ``D3``: 3 days (72 h) after detection.
    * ``WITHIN_FEW_DAYS``: "within a few days" = 3 days by default (configurable, at most 7).
    * ``WITHIN_WEEK``: 7 days after detection.
    * ``WEEK_5``: a calendar slot, week 5 after contract start = days 28-34 (day 0 = contract start): due by the end
      of day 34 in the account's time zone.

    Examples:
        >>> Sla.H48.value, Sla.SAME_DAY.urgency < Sla.WITHIN_WEEK.urgency
        ('48h', True)
    """

    SAME_DAY = "same_day"
    H24 = "24h"
    H48 = "48h"
    D3 = "3d"
    WITHIN_FEW_DAYS = "few_days"
    WITHIN_WEEK = "week"
    WEEK_5 = "week_5"

    @property
    def urgency(self) -> int:
        """Rank of this SLA, most urgent first (0 = same day); "a few days" ranks with 3 days."""
        return _URGENCY[self]


_URGENCY = {
    Sla.SAME_DAY: 0,
    Sla.H24: 1,
    Sla.H48: 2,
    Sla.D3: 3,
    Sla.WITHIN_FEW_DAYS: 3,
    Sla.WITHIN_WEEK: 4,
    Sla.WEEK_5: 5,
}


class Priority(enum.IntEnum):
    """Priority of an alert; lower value = more urgent (``URGENT < HIGH < NORMAL < LOW``).

    Examples:
        >>> sorted([Priority.LOW, Priority.URGENT, Priority.HIGH])
        [<Priority.URGENT: 1>, <Priority.HIGH: 2>, <Priority.LOW: 4>]
    """

    URGENT = 1
    HIGH = 2
    NORMAL = 3
    LOW = 4


class ActionKind(enum.Enum):
    """What the team does when a rule fires (the "action" column of the catalog in ``docs/triggers.md``).

    Examples:
        >>> ActionKind["CHECK_IN"].value
        'check_in'
    """

    CHECK_IN = "check_in"
    EDUCATION = "education"
    INVESTIGATION = "investigation"
    AMPLIFY = "amplify"
    OUTREACH = "outreach"
    INTERVENTION = "intervention"
    STRATEGIC_REVIEW = "strategic_review"
    ROOT_CAUSE = "root_cause"
    RENEWAL_CONVERSATION = "renewal_conversation"
    UPGRADE_DISCUSSION = "upgrade_discussion"
    CELEBRATION = "celebration"
    RECOGNITION = "recognition"
    CONGRATULATIONS = "congratulations"
    SUPPORT_OFFER = "support_offer"
    STRATEGIC_CONVERSATION = "strategic_conversation"
    PERSONALISED_NOTE = "personalised_note"
    EXPANSION_CONVERSATION = "expansion_conversation"


class ActionChannel(enum.Enum):
    """The channel an action goes through.

    Examples:
        >>> [c.name for c in ActionChannel][:3]
        ['EMAIL', 'CALL', 'VIDEO_CALL']
    """

    EMAIL = "email"
    CALL = "call"
    VIDEO_CALL = "video_call"
    IN_APP = "in_app"
    PHONE = "phone"
    MESSAGE = "message"
    MEETING = "meeting"
    EVENT = "event"


class OutcomeKind(enum.Enum):
    """What finally happened to an account (backtests score rules against these).

    Examples:
        >>> OutcomeKind("churned")
        <OutcomeKind.CHURNED: 'churned'>
    """

    CHURNED = "churned"
    RENEWED = "renewed"
    EXPANDED = "expanded"


def _to_kind(value: Any) -> ActionKind:
    return _checks.member(ActionKind, "kind", value)


def _to_channel(value: Any) -> ActionChannel:
    return _checks.member(ActionChannel, "channel", value)


@attrs.frozen
class Action:
    """What to do when a rule fires.

    Args:
        kind: The kind of action.
        channel: The channel to use.
        description: The action in words, as the catalog states it.

    Examples:
        >>> Action(ActionKind.CHECK_IN, ActionChannel.EMAIL, "check-in call / email").channel.name
        'EMAIL'
    """

    __repr__ = readable
    kind: ActionKind = attrs.field(converter=_to_kind)
    channel: ActionChannel = attrs.field(converter=_to_channel)
    description: str = attrs.field(default="", validator=_checks.validator(_is_str))


def _evidence_value(field: str, value: Any) -> None:
    """A value an evidence shows: ``None`` (missing), a string, or a finite number."""
    if value is not None and not isinstance(value, str):
        _checks.number(field, value)


@attrs.frozen
class Evidence:
    """One fact that made (part of) a condition hold: the value seen, the comparison and the threshold.

    Args:
        subject: What was measured (a signal name, ``"health band"``, ``"days until contract_end"``, ...).
        value: The value seen (``None`` when missing).
        op: The comparison (``">="``, ``"in"``, ...).
        threshold: The threshold compared against, as text.
        note: Extra context (the raw values behind a percentage, the base volume, ...).

    Examples:
        >>> Evidence("logins_week drop", 0.3, ">=", "0.3", "logins_prev_week 10 → logins_week 7").sentence()
        'logins_week drop was 0.3 (rule: >= 0.3); logins_prev_week 10 → logins_week 7.'
    """

    __repr__ = readable
    subject: str = attrs.field(validator=_checks.validator(_checks.text))
    value: float | str | None = attrs.field(validator=_checks.validator(_evidence_value))
    op: str = attrs.field(validator=_checks.validator(_is_str))
    threshold: str = attrs.field(validator=_checks.validator(_is_str))
    note: str = attrs.field(default="", validator=_checks.validator(_is_str))

    def sentence(self) -> str:
        """Return the evidence as one plain sentence.

        Examples:
            >>> Evidence("support_tickets_week", 3.0, ">=", "3").sentence()
            'support_tickets_week was 3 (rule: >= 3).'
        """
        seen = "missing" if self.value is None else _fmt(self.value)
        text = f"{self.subject} was {seen} (rule: {self.op} {self.threshold})"
        return f"{text}; {self.note}." if self.note else f"{text}."


def _fmt(value: float | str) -> str:
    if isinstance(value, str):
        return value
    return f"{value:g}" if value == int(value) else f"{value:.4g}"


_BIG = sys.float_info.max
_REAL = (float, int)


def _real(value: Any) -> bool:
    """The fast path's test of a number: a finite float (NaN fails both comparisons) or an int a float holds."""
    return value.__class__ in _REAL and -_BIG <= value <= _BIG


def _reals(values: Mapping[str, Any]) -> bool:
    """The fast path's test of signal values keyed by name."""
    return all(k.__class__ is str and _real(v) for k, v in values.items())


def _freeze_floats(value: Mapping[str, float]) -> Mapping[str, float]:
    if type(value) is FrozenDict:
        return value
    _checks.instance("previous", value, Mapping, hint="pass a mapping of signal name to the previous value")
    return freeze(dict(value))


def _empty() -> Mapping[str, Any]:
    return freeze({})


@attrs.frozen
class Context:
    """What a condition sees beside the current snapshot: the carried state of the account.

    The engine builds it from :class:`~postsale.triggers.AccountState` on every step; build one yourself to
    evaluate compiled rules directly (``CompiledRules.matching``).

    Args:
        score: The health score now (the ``health_score`` signal, or the health model's score).
        band: The health band now (after hysteresis).
        previous_score: The score at the previous evaluation.
        previous_band: The band at the previous evaluation.
        days_in_band: Consecutive days spent in :attr:`band` (0 on the day it was entered).
        previous: Signal values of the previous snapshot (those the rules compare against).
        active: Ids of the rules whose condition held at the previous evaluation (used by hysteresis).

    In a frame, the columnar forms read the same state from columns: ``health``, ``band``, ``previous.health``,
    ``previous.band``, ``days_in_band``, ``previous.<signal>`` and ``active.<rule id>``.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot, HealthBand
        >>> from postsale.triggers import CATALOG
        >>> context = Context(score=62.0, band=HealthBand.YELLOW, previous_score=75.0, previous_band=HealthBand.GREEN)
        >>> CATALOG.compile().matching(AccountSnapshot("acme", "SMB", date(2026, 3, 2)), context)
        ['H1']
    """

    __repr__ = readable
    score: float | None = None
    band: HealthBand | None = None
    previous_score: float | None = None
    previous_band: HealthBand | None = None
    days_in_band: int = 0
    previous: Mapping[str, float] = attrs.field(factory=_empty, converter=_freeze_floats)
    active: frozenset[str] = frozenset()

    def __attrs_post_init__(self) -> None:
        # One cheap test (a context is built on every step of the engine); the full check only when it fails.
        if not (
            (self.score is None or _real(self.score)) and (self.previous_score is None or _real(self.previous_score))
            and self.days_in_band.__class__ is int and 0 <= self.days_in_band <= _checks.MAX_COUNT
            and (self.band is None or self.band.__class__ is HealthBand)
            and (self.previous_band is None or self.previous_band.__class__ is HealthBand)
            and self.active.__class__ is frozenset and all(r.__class__ is str for r in self.active)
            and _reals(self.previous)
        ):
            _check_context(self)


def _check_context(context: Context) -> None:
    for name in ("score", "previous_score"):
        if getattr(context, name) is not None:
            _checks.number(name, getattr(context, name))
    for name in ("band", "previous_band"):
        if getattr(context, name) is not None:
            object.__setattr__(context, name, _checks.member(HealthBand, name, getattr(context, name)))
    _checks.count("days_in_band", context.days_in_band)
    for key, value in context.previous.items():
        _checks.instance("previous", key, str, hint="name each previous value by its signal")
        _checks.number(f"previous[{key!r}]", value)
    object.__setattr__(context, "active", frozenset(_checks.items("active", context.active, str)))
