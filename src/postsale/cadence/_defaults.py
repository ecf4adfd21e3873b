"""The default plans: per segment, per journey stage, and the first-90-days onboarding plan."""

from __future__ import annotations

from functools import cache
from typing import Final

from postsale import _checks
from postsale._errors import InvalidValueError
from postsale._vocabulary import Segment, Stage
from postsale.cadence._channels import Channel, MessageType, ValuePurpose
from postsale.cadence._plans import Anchor, CadenceItem, CadencePlan, Recurrence, Unit
from postsale.cadence._touches import flag
from postsale.renewal import TOUCH_RAMP_DAYS

__all__ = [
    "FIRST_90_DAYS",
    "RENEWAL_RAMP_FROM_DAYS",
    "RENEWAL_RAMP_TO_DAYS",
    "first_90_days_plan",
    "onboarding_plan",
    "renewal_ramp_items",
    "segment_plan",
    "stage_plan",
]

_INSIGHT = ValuePurpose.INSIGHT
_RELATIONSHIP = ValuePurpose.ADVANCE_RELATIONSHIP
_NEED = ValuePurpose.SPECIFIC_NEED
_VALUE = ValuePurpose.REINFORCE_VALUE
_DIALOGUE = ValuePurpose.DIALOGUE
_COMPLEX = MessageType.COMPLEX_TOPIC
_QUICK = MessageType.QUICK_UPDATE
_TIP = MessageType.PRODUCT_TIP
_EXEC = MessageType.EXECUTIVE_UPDATE
_COMMUNITY = MessageType.COMMUNITY

_WEEKLY: Final = Recurrence(Unit.WEEK, 1)
_BIWEEKLY: Final = Recurrence(Unit.WEEK, 2)
_MONTHLY: Final = Recurrence(Unit.MONTH, 1)
_BIMONTHLY: Final = Recurrence(Unit.MONTH, 2)
_QUARTERLY: Final = Recurrence(Unit.MONTH, 3)
_SEMI_ANNUAL: Final = Recurrence(Unit.MONTH, 6)
_ANNUAL: Final = Recurrence(Unit.YEAR, 1)

RENEWAL_RAMP_FROM_DAYS: Final = TOUCH_RAMP_DAYS[0]
"""Renewal touches start increasing at T-60 (the renewal playbooks' ``postsale.renewal.TOUCH_RAMP_DAYS``)."""
RENEWAL_RAMP_TO_DAYS: Final = TOUCH_RAMP_DAYS[1]
"""From T-30 to the renewal date they are weekly ("60-30 days before, as the decision approaches")."""
_RAMP_EARLY_EVERY_DAYS: Final = 15
"""Between T-60 and T-30: every 15 days (T-60, T-45; a proposal: half-monthly, then weekly from T-30)."""

FIRST_90_DAYS: Final[tuple[tuple[int, str, MessageType, Channel | None, frozenset[ValuePurpose]], ...]] = (
    (1, "Welcome call + setup guidance", _COMPLEX, None, frozenset({_RELATIONSHIP, _NEED})),
    (2, "Setup progress check-in + quick tips", _QUICK, None, frozenset({_NEED, _INSIGHT})),
    (3, "Feature spotlight email + training resources", _TIP, Channel.EMAIL, frozenset({_INSIGHT})),
    (4, "30-day review call + next steps", _COMPLEX, None, frozenset({_VALUE, _DIALOGUE})),
    (5, "Usage review + optimisation tips", _COMPLEX, None, frozenset({_INSIGHT, _NEED})),
    (6, "Best-practice sharing email", _QUICK, None, frozenset({_INSIGHT})),
    (7, "Feature adoption check + education offer", _TIP, None, frozenset({_NEED, _INSIGHT})),
    (8, "Check-in call + Q&A", _COMPLEX, Channel.PHONE, frozenset({_DIALOGUE, _NEED})),
    (9, "Value report + ROI discussion", _EXEC, Channel.VIDEO_CALL, frozenset({_VALUE, _DIALOGUE})),
    (10, "Product update email", _QUICK, None, frozenset({_INSIGHT})),
    (11, "Expansion conversation (if relevant)", _COMPLEX, None, frozenset({_RELATIONSHIP, _NEED})),
    (12, "Quarterly business review", _COMPLEX, None, frozenset({_VALUE, _RELATIONSHIP})),
)
"""The first-90-days touchpoint calendar, week by week: week, touch, message type, fixed
channel (``None`` = by message type), value purposes. Week n covers days 7(n-1) ... 7n-1 from the contract start
(week 5 = days 28-34); each touch is scheduled on the first day of its week."""


def _week(
    week: int, title: str, kind: MessageType, channel: Channel | None, purposes: frozenset[ValuePurpose]
) -> CadenceItem:
    calls = kind in (_COMPLEX, _EXEC)
    return CadenceItem(
        f"week_{week:02d}",
        title,
        kind,
        purposes,
        offset_days=7 * (week - 1),
        channel=channel,
        rank=2 if calls else 3,
        optional=week == 11,
    )


def _ongoing() -> tuple[CadenceItem, ...]:
    return (
        CadenceItem(
            "monthly_value", "Monthly value-add email or call", _QUICK, {_INSIGHT, _VALUE}, _MONTHLY,
            offset_months=3, rank=3,
        ),
        CadenceItem(
            "business_review", "Quarterly business review", _COMPLEX, {_VALUE, _RELATIONSHIP}, _QUARTERLY,
            offset_months=6, rank=2,
        ),
        CadenceItem(
            "executive_review", "Executive business review", _EXEC, {_VALUE, _RELATIONSHIP, _INSIGHT}, _ANNUAL,
            offset_months=12, channel=Channel.VIDEO_CALL, rank=1,
        ),
    )  # fmt: skip


def first_90_days_plan() -> CadencePlan:
    """Return the first-90-days touchpoint calendar alone: weeks 1-12, one touch on the first day of each week.

    Week n covers days 7(n-1) ... 7n-1 from day 0 (the contract start); the welcome call is on day 0.

    Examples:
        >>> plan = first_90_days_plan()
        >>> plan.name, len(plan.items), plan.items[0].title, plan.items[-1].offset_days
        ('first 90 days', 12, 'Welcome call + setup guidance', 77)
    """
    return CadencePlan("first 90 days", tuple(_week(*row) for row in FIRST_90_DAYS))


def onboarding_plan() -> CadencePlan:
    """Return the default onboarding plan: the first-90-days calendar, then the ongoing plan.

    Weeks 1-12 are one-off touches on day 7(n-1) from the contract start. From month 4 (contract start + 3
    calendar months): a monthly value-add touch, a quarterly business review from month 7 (start + 6 months;
    the week-12 QBR is the first) and an annual executive business review (start + 12 months). When the monthly
    touch falls on a review day, the agenda folds it into the review.

    Examples:
        >>> plan = onboarding_plan()
        >>> len(plan.items), plan.items[0].title, plan.items[-1].key
        (15, 'Welcome call + setup guidance', 'executive_review')
    """
    return CadencePlan("first 90 days + ongoing", first_90_days_plan().items + _ongoing())


def segment_plan(segment: Segment | str, *, alternative: bool = False) -> CadencePlan:
    """Return the default scheduled cadence of a segment.

    The defaults are the template values (ENTERPRISE: weekly async update, biweekly call, QBR, annual executive
    review; MID_MARKET: biweekly update, monthly call, quarterly check-in, semi-annual review; SMB: monthly email,
    quarterly call, annual review; PRODUCT_LED: weekly automated email, monthly office hours). ``alternative=True``
    takes the detailed section's other value where it gives one (ENTERPRISE monthly calls, MID_MARKET calls every
    two months, PRODUCT_LED monthly automated email).

    Args:
        segment: The segment (a member or its name; "tech-touch" is PRODUCT_LED).
        alternative: Use the alternative frequencies.

    Raises:
        UnknownNameError: an unknown segment.
        InvalidTypeError: ``alternative`` is not a bool.

    Examples:
        >>> for item in segment_plan("enterprise").items:
        ...     print(item.key, item.recurrence.describe())
        async_update every week
        call every 2 weeks
        qbr every 3 months
        executive_review every year
    """
    return _segment_plan(Segment.parse(segment), _checks.flag("alternative", alternative))


@cache
def _segment_plan(seg: Segment, alternative: bool) -> CadencePlan:
    """:func:`segment_plan` of a parsed segment (plans are immutable: built once)."""
    items: tuple[CadenceItem, ...]
    if seg is Segment.ENTERPRISE:
        items = (
            CadenceItem("async_update", "Weekly async update", _QUICK, {_INSIGHT, _VALUE}, _WEEKLY, rank=4),
            CadenceItem(
                "call", "Account call", _COMPLEX, {_RELATIONSHIP, _DIALOGUE},
                _MONTHLY if alternative else _BIWEEKLY, offset_days=2, rank=3,
            ),
            CadenceItem("qbr", "Quarterly business review", _COMPLEX, {_VALUE, _RELATIONSHIP}, _QUARTERLY,
                        offset_months=3, rank=2),
            CadenceItem("executive_review", "Annual executive review", _EXEC, {_VALUE, _RELATIONSHIP, _INSIGHT},
                        _ANNUAL, offset_months=12, channel=Channel.VIDEO_CALL, rank=1),
        )  # fmt: skip
    elif seg is Segment.MID_MARKET:
        items = (
            CadenceItem("async_update", "Biweekly async update", _QUICK, {_INSIGHT, _VALUE}, _BIWEEKLY, rank=4),
            CadenceItem(
                "call", "Account call", _COMPLEX, {_RELATIONSHIP, _DIALOGUE},
                _BIMONTHLY if alternative else _MONTHLY, offset_days=2, rank=3,
            ),
            CadenceItem("quarterly_check_in", "Quarterly check-in", _COMPLEX, {_DIALOGUE, _VALUE}, _QUARTERLY,
                        offset_months=3, rank=2),
            CadenceItem("semi_annual_review", "Semi-annual review", _COMPLEX, {_VALUE, _RELATIONSHIP}, _SEMI_ANNUAL,
                        offset_months=6, rank=1),
        )  # fmt: skip
    elif seg is Segment.SMB:
        items = (
            CadenceItem("monthly_email", "Monthly email", _QUICK, {_INSIGHT}, _MONTHLY, offset_months=1,
                        automated=True, rank=3),
            CadenceItem("quarterly_call", "Quarterly call", _COMPLEX, {_DIALOGUE, _VALUE}, _QUARTERLY,
                        offset_months=3, offset_days=2, channel=Channel.PHONE, rank=2),
            CadenceItem("annual_review", "Annual review", _COMPLEX, {_VALUE, _RELATIONSHIP}, _ANNUAL,
                        offset_months=12, offset_days=2, rank=1),
        )  # fmt: skip
    else:
        items = (
            CadenceItem("automated_email", "Automated email", _TIP, {_INSIGHT}, _MONTHLY if alternative else _WEEKLY,
                        channel=Channel.EMAIL, automated=True, rank=3),
            CadenceItem("office_hours", "Office hours / group session", _COMMUNITY, {_DIALOGUE, _INSIGHT}, _MONTHLY,
                        offset_days=3, channel=Channel.WEBINAR, automated=True, rank=2),
        )  # fmt: skip
    suffix = " (alternative)" if alternative else ""
    return CadencePlan(f"{seg.name.lower()} cadence{suffix}", items)


def stage_plan(stage: Stage | str | int, *, automated: bool = False) -> CadencePlan:
    """Return the touch rhythm of a journey stage ("a rhythm without repetition").

    ONBOARDING weekly, ADOPTION biweekly, RETENTION (value realisation) monthly, all counted from the stage entry;
    EXPANSION has no scheduled touches (strategic touches come from alerts and events "when opportunities arise");
    RENEWAL increases as the decision approaches: every 15 days from T-60, weekly from T-30 to T-0; ADVOCACY
    monthly (a proposal: a community touch, the ongoing rhythm of the first-90-days plan).

    Args:
        stage: The stage (a member, its name or its 1-6 ordinal).
        automated: The low- and tech-touch form: the same rhythm sent without a CSM's one-to-one time (in-app
            guidance and tips, a value email, renewal reminders, a community invitation).

    Raises:
        UnknownNameError: an unknown stage.
        InvalidTypeError: ``automated`` is not a bool.

    Examples:
        >>> [(i.key, i.offset_days, i.until_days) for i in stage_plan("renewal").items]
        [('renewal_ramp', -60, -31), ('renewal_weekly', -30, 0)]
        >>> [(i.title, i.default_channel.name) for i in stage_plan("adoption", automated=True).items]
        [('In-app adoption tips', 'IN_APP')]
    """
    return _stage_plan(Stage.parse(stage), flag("automated", automated))


@cache
def _stage_plan(st: Stage, automated: bool) -> CadencePlan:
    """:func:`stage_plan` of a parsed stage (plans are immutable: built once)."""
    entry = Anchor.STAGE_ENTRY
    items: tuple[CadenceItem, ...]
    if st is Stage.EXPANSION:
        items = ()
    elif st is Stage.RENEWAL:
        items = renewal_ramp_items(RENEWAL_RAMP_FROM_DAYS, RENEWAL_RAMP_TO_DAYS, automated=automated)
    elif automated:
        key, title, kind, why, every = _AUTOMATED_STAGE_ITEMS[st]
        items = (CadenceItem(key, title, kind, why, every, anchor=entry, automated=True, rank=2 if st is
                             Stage.ONBOARDING else 3),)  # fmt: skip
    elif st is Stage.ONBOARDING:
        items = (CadenceItem("onboarding_session", "Onboarding session", _COMPLEX, {_NEED, _DIALOGUE}, _WEEKLY,
                             anchor=entry, rank=2),)  # fmt: skip
    elif st is Stage.ADOPTION:
        items = (CadenceItem("adoption_check_in", "Adoption check-in", _COMPLEX, {_NEED, _INSIGHT}, _BIWEEKLY,
                             anchor=entry, rank=3),)  # fmt: skip
    elif st is Stage.RETENTION:
        items = (CadenceItem("value_touch", "Monthly value touch", _QUICK, {_VALUE, _INSIGHT}, _MONTHLY,
                             anchor=entry, rank=3),)  # fmt: skip
    else:
        items = (CadenceItem("advocacy_touch", "Community / advocacy touch", _COMMUNITY, {_RELATIONSHIP, _DIALOGUE},
                             _MONTHLY, anchor=entry, rank=3),)  # fmt: skip
    suffix = " (automated)" if automated else ""
    return CadencePlan(f"{st.name.lower()} stage rhythm{suffix}", items)


_AUTOMATED_STAGE_ITEMS: Final[dict[Stage, tuple[str, str, MessageType, frozenset[ValuePurpose], Recurrence]]] = {
    Stage.ONBOARDING: ("onboarding_guidance", "In-app onboarding guidance", _TIP, frozenset({_NEED, _INSIGHT}),
                       _WEEKLY),
    Stage.ADOPTION: ("adoption_tips", "In-app adoption tips", _TIP, frozenset({_NEED, _INSIGHT}), _BIWEEKLY),
    Stage.RETENTION: ("value_email", "Monthly value email", _QUICK, frozenset({_VALUE, _INSIGHT}), _MONTHLY),
    Stage.ADVOCACY: ("community_invitation", "Community invitation", _COMMUNITY, frozenset({_RELATIONSHIP, _DIALOGUE}),
                     _MONTHLY),
}  # fmt: skip
"""The low- and tech-touch form of each stage's rhythm: in-app guidance and tips, e-mail, a community invitation."""


_PERSONAL_RAMP_TITLES: Final = ("Renewal conversation", "Renewal decision touch")


def renewal_ramp_items(from_days: int, to_days: int, *, automated: bool = False) -> tuple[CadenceItem, ...]:
    """Return the touches that increase as the renewal decision approaches: every 15 days from T-``from_days``
    to the day before T-``to_days``, then weekly from T-``to_days`` to T-0 (both anchored on the renewal date).

    Raises:
        InvalidValueError: ``to_days`` above ``from_days``, or a negative number of days.

    Examples:
        >>> [(i.key, i.offset_days, i.until_days, i.automated) for i in renewal_ramp_items(60, 30, automated=True)]
        [('renewal_ramp', -60, -31, True), ('renewal_weekly', -30, 0, True)]
    """
    start = _checks.count("from_days", from_days)
    weekly = _checks.count("to_days", to_days)
    flag("automated", automated)
    if weekly > start:
        raise InvalidValueError(
            "is after the ramp's start", field="to_days", value=to_days,
            constraint=f"the weekly touches start at or after T-{start} (to_days <= from_days)",
            hint="pass the ramp as (from_days, to_days), e.g. (60, 30)",
        )
    kind = _QUICK if automated else _COMPLEX
    early, late = ("Renewal reminder", "Renewal decision reminder") if automated else _PERSONAL_RAMP_TITLES
    items = (
        CadenceItem("renewal_ramp", early, kind, {_VALUE, _DIALOGUE}, Recurrence(Unit.DAY, _RAMP_EARLY_EVERY_DAYS),
                    anchor=Anchor.RENEWAL_DATE, offset_days=-start, until_days=-weekly - 1, automated=automated,
                    rank=2),
        CadenceItem("renewal_weekly", late, kind, {_VALUE, _NEED}, _WEEKLY, anchor=Anchor.RENEWAL_DATE,
                    offset_days=-weekly, until_days=0, automated=automated, rank=1),
    )  # fmt: skip
    return items if weekly < start else items[1:]
