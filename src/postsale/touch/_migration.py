"""Tier migration with hysteresis and a minimum commitment period.

An account changes tier only when its total passes the edge of its current tier's band by at least
``margin_points`` (so a score wobbling around 20 does not flip HIGH / LOW every quarter), and only once
it has been in its tier for ``commitment_months`` (default 12). Every decision is an explained event.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from postsale import _checks
from postsale._errors import InvalidTypeError, InvalidValueError, OutOfOrderError, UnknownNameError
from postsale._repr import readable
from postsale._vocabulary import TouchModel
from postsale.touch._assessment import Assessment, model_word
from postsale.touch._config import MigrationPolicy
from postsale.touch._scorer import DEFAULT_SCORER, Scorer
from postsale.touch._validation import optional_whole, whole

__all__ = ["MigrationOutcome", "TierAssignment", "TierMigration", "migrate_portfolio", "migrate_tier"]

_SCORED = (TouchModel.HIGH, TouchModel.LOW, TouchModel.TECH)


def _model(value: object) -> TouchModel:
    model = TouchModel.parse(value, field="model")
    if model not in _SCORED:
        raise InvalidValueError(
            "is not a tier model",
            field="model",
            value=value,
            constraint="an account's tier is HIGH, LOW or TECH (HYBRID describes a portfolio)",
            hint="pass the account's own model",
        )
    return model


@attrs.frozen
class TierAssignment:
    """The tier an account is in, and since when.

    Args:
        account_id: The account.
        model: Its tier's model (HIGH, LOW or TECH).
        since: The date it entered the tier (the commitment period counts from it).

    Examples:
        >>> from datetime import date
        >>> from postsale.touch import BusinessProfile, assess
        >>> current = TierAssignment("globex", "LOW", since=date(2025, 3, 1))
        >>> current.model
        <TouchModel.LOW: 'low'>
    """

    __repr__ = readable
    account_id: str = attrs.field(validator=_checks.validator(_checks.text))
    model: TouchModel = attrs.field(converter=_model)
    since: date = attrs.field(validator=_checks.validator(_checks.a_date))


class MigrationOutcome(enum.Enum):
    """What a tier review decided for one account.

    Examples:
        >>> from datetime import date
        >>> from postsale.touch import BusinessProfile, assess
        >>> current = TierAssignment("globex", "LOW", since=date(2025, 3, 1))
        >>> grown = assess(BusinessProfile(acv=120_000, complexity="MODERATE", gross_margin=0.6,
        ...                                positioning="VALUE_TO_STANDARD", segment="MID_MARKET",
        ...                                accounts_per_csm=12, account_id="globex"))
        >>> migrate_tier(current, grown, as_of=date(2026, 1, 15)).outcome
        <MigrationOutcome.HELD_BY_COMMITMENT: 'held_by_commitment'>
    """

    UNCHANGED = "unchanged"
    """The score still points at the current tier."""
    MOVED = "moved"
    """The account moves to another tier."""
    HELD_BY_MARGIN = "held_by_margin"
    """The score crossed a band edge, but not by the hysteresis margin."""
    HELD_BY_COMMITMENT = "held_by_commitment"
    """The account should move, but its commitment period has not ended."""


def _to_outcome(value: Any) -> MigrationOutcome:
    return _checks.member(MigrationOutcome, "outcome", value)


def _to_from_model(value: Any) -> TouchModel:
    return _checks.member(TouchModel, "from_model", value)


def _to_to_model(value: Any) -> TouchModel:
    return _checks.member(TouchModel, "to_model", value)


def _to_target_model(value: Any) -> TouchModel:
    return _checks.member(TouchModel, "target_model", value)


@attrs.frozen
class TierMigration:
    """One account's tier review as an explained event.

    Attributes:
        account_id: The account.
        as_of: The review date.
        outcome: What was decided.
        from_model: The current tier.
        to_model: The tier the account is in after the review (the current one unless MOVED).
        target_model: The tier the score (and overrides) point at.
        total: The account's six-factor total.
        band_lower: Lower edge of the current tier's band (``None`` when no band gives the model).
        band_upper: Upper edge of that band.
        margin_points: The hysteresis margin used.
        since: When the account entered its current tier.
        earliest: The first date a move is allowed (end of the commitment period).

    Examples:
        >>> from datetime import date
        >>> from postsale.touch import BusinessProfile, assess
        >>> current = TierAssignment("globex", "LOW", since=date(2025, 3, 1))
        >>> grown = assess(BusinessProfile(acv=120_000, complexity="MODERATE", gross_margin=0.6,
        ...                                positioning="VALUE_TO_STANDARD", segment="MID_MARKET",
        ...                                accounts_per_csm=12, account_id="globex"))
        >>> early = migrate_tier(current, grown, as_of=date(2026, 1, 15))
        >>> early.moved, early.earliest
        (False, datetime.date(2026, 3, 1))
    """

    __repr__ = readable
    account_id: str = attrs.field(validator=_checks.validator(_checks.text))
    as_of: date = attrs.field(validator=_checks.validator(_checks.a_date))
    outcome: MigrationOutcome = attrs.field(converter=_to_outcome)
    from_model: TouchModel = attrs.field(converter=_to_from_model)
    to_model: TouchModel = attrs.field(converter=_to_to_model)
    target_model: TouchModel = attrs.field(converter=_to_target_model)
    total: int = attrs.field(validator=whole())
    band_lower: int | None = attrs.field(validator=optional_whole())
    band_upper: int | None = attrs.field(validator=optional_whole())
    margin_points: int = attrs.field(validator=whole())
    since: date = attrs.field(validator=_checks.validator(_checks.a_date))
    earliest: date = attrs.field(validator=_checks.validator(_checks.a_date))

    @property
    def moved(self) -> bool:
        """The account changes tier."""
        return self.outcome is MigrationOutcome.MOVED

    def assignment(self) -> TierAssignment:
        """Return the account's tier after this review (``since`` = the review date when it moved)."""
        since = self.as_of if self.moved else self.since
        return TierAssignment(self.account_id, self.to_model, since)

    def explain(self) -> list[str]:
        """Return plain sentences: the score against the band, the margin, the commitment, the decision."""
        band = (
            "no score band gives it" if self.band_lower is None else f"its band is {self.band_lower}-{self.band_upper}"
        )
        lines = [
            f"{self.account_id} is {model_word(self.from_model)} since {self.since.isoformat()} ({band}); "
            f"on {self.as_of.isoformat()} its total is {self.total}."
        ]
        if self.outcome is MigrationOutcome.UNCHANGED:
            lines.append(f"It stays {model_word(self.from_model)}: the score still points at its tier.")
        elif self.outcome is MigrationOutcome.HELD_BY_MARGIN:
            lines.append(
                f"The total crossed the band edge but not by the {self.margin_points}-point margin, so it stays "
                f"{model_word(self.from_model)} (hysteresis against flip-flopping)."
            )
        elif self.outcome is MigrationOutcome.HELD_BY_COMMITMENT:
            lines.append(
                f"The score points at {model_word(self.target_model)}, but the tier is committed until "
                f"{self.earliest.isoformat()}: it stays {model_word(self.from_model)} (commit before "
                "changing)."
            )
        else:
            lines.append(
                f"It moves to {model_word(self.to_model)}: the score passed the band edge by the margin and the "
                f"commitment period ended on {self.earliest.isoformat()}."
            )
        return lines


def _options(scorer: Scorer | None, policy: MigrationPolicy | None) -> None:
    if scorer is not None:
        _checks.instance("scorer", scorer, Scorer, hint="pass a Scorer, or None for the default configuration")
    if policy is not None:
        _checks.instance("policy", policy, MigrationPolicy, hint="pass a MigrationPolicy, or None for the default")


def migrate_tier(
    current: TierAssignment,
    assessment: Assessment,
    as_of: date,
    *,
    scorer: Scorer | None = None,
    policy: MigrationPolicy | None = None,
) -> TierMigration:
    """Review one account's tier against its latest assessment, with hysteresis and commitment.

    The score gives a new tier only when the total lies more than ``margin_points`` outside the current
    tier's band (``total < lower - margin`` or ``total > upper + margin``); the overrides (complex
    product, enterprise, competitor) then apply to that tier. A different tier is taken only on or after
    ``since + commitment_months`` (calendar months from the anchor date).

    Args:
        current: The account's tier today.
        assessment: Its latest :class:`~postsale.touch.Assessment`.
        as_of: The review date (not before ``current.since``; positional or keyword).
        scorer: The scorer whose bands and overrides apply (default configuration).
        policy: Margin and commitment (default: the scorer config's ``migration``).

    Returns:
        The :class:`TierMigration` event.

    Raises:
        OutOfOrderError: ``as_of`` is before ``current.since``.
        InvalidTypeError: wrong argument types.

    Examples:
        >>> from datetime import date
        >>> from postsale.touch import BusinessProfile, assess
        >>> current = TierAssignment("globex", "LOW", since=date(2025, 3, 1))
        >>> grown = assess(BusinessProfile(acv=120_000, complexity="MODERATE", gross_margin=0.6,
        ...                                positioning="VALUE_TO_STANDARD", segment="MID_MARKET",
        ...                                accounts_per_csm=12, account_id="globex"))
        >>> moved = migrate_tier(current, grown, as_of=date(2026, 3, 1))
        >>> moved.outcome, moved.to_model
        (<MigrationOutcome.MOVED: 'moved'>, <TouchModel.HIGH: 'high'>)
    """
    if not isinstance(current, TierAssignment):
        raise InvalidTypeError("expected a TierAssignment", field="current", value=current, hint="TierAssignment(...)")
    if not isinstance(assessment, Assessment):
        raise InvalidTypeError("expected an Assessment", field="assessment", value=assessment, hint="use assess(...)")
    day = _checks.a_date("as_of", as_of)
    _options(scorer, policy)
    if day < current.since:
        raise OutOfOrderError(
            "is before the tier was entered",
            field="as_of",
            value=day,
            constraint=f"must be on or after since={current.since.isoformat()}",
            hint="review with a later date",
        )
    engine = scorer or DEFAULT_SCORER
    rules = policy or engine.config.migration
    band = engine.config.band_of_model(current.model)
    total = assessment.total
    if band is not None and band.lower - rules.margin_points <= total <= band.upper + rules.margin_points:
        candidate = current.model
    else:
        candidate = assessment.scored_model
    target, _ = engine.apply_overrides(assessment.profile, candidate)
    try:
        earliest = current.since + relativedelta(months=rules.commitment_months)
    except (OverflowError, ValueError):  # the commitment ends after the calendar does: it never ends
        earliest = date.max
    if target is current.model:
        outcome = MigrationOutcome.UNCHANGED if assessment.model is current.model else MigrationOutcome.HELD_BY_MARGIN
    elif day < earliest:
        outcome = MigrationOutcome.HELD_BY_COMMITMENT
    else:
        outcome = MigrationOutcome.MOVED
    return TierMigration(
        current.account_id,
        day,
        outcome,
        current.model,
        target if outcome is MigrationOutcome.MOVED else current.model,
        target,
        total,
        None if band is None else band.lower,
        None if band is None else band.upper,
        rules.margin_points,
        current.since,
        earliest,
    )


def migrate_portfolio(
    current: Iterable[TierAssignment],
    assessments: Iterable[Assessment],
    as_of: date,
    *,
    scorer: Scorer | None = None,
    policy: MigrationPolicy | None = None,
) -> tuple[TierMigration, ...]:
    """Review every account's tier; return the events that are not UNCHANGED, in assignment order.

    Assessments are matched to assignments by ``profile.account_id``; accounts without an assessment are
    left as they are.

    Raises:
        UnknownNameError: an assessment names an account without an assignment.
        InvalidValueError: an account is assigned twice, or an assessment has no account id.
        InvalidTypeError: ``current`` or ``assessments`` is not a collection of assignments / assessments
            (the bad item is named, ``current[2]``), ``as_of`` is not a date, a bad scorer or policy.

    Examples:
        >>> from datetime import date
        >>> from postsale.touch import BusinessProfile, assess
        >>> current = TierAssignment("globex", "LOW", since=date(2025, 3, 1))
        >>> grown = assess(BusinessProfile(acv=120_000, complexity="MODERATE", gross_margin=0.6,
        ...                                positioning="VALUE_TO_STANDARD", segment="MID_MARKET",
        ...                                accounts_per_csm=12, account_id="globex"))
        >>> [m.outcome.name for m in migrate_portfolio([current], [grown], date(2026, 3, 1))]
        ['MOVED']
    """
    given = _checks.items("current", current, TierAssignment)
    reviewed = _checks.items("assessments", assessments, Assessment)
    _checks.a_date("as_of", as_of)
    _options(scorer, policy)
    assigned: dict[str, TierAssignment] = {}
    for item in given:
        if item.account_id in assigned:
            raise InvalidValueError("is assigned twice", field="account_id", value=item.account_id, hint="keep one")
        assigned[item.account_id] = item
    latest: Mapping[str, Assessment] = {}
    by_id: dict[str, Assessment] = {}
    for assessment in reviewed:
        account = assessment.profile.account_id
        if account is None:
            raise InvalidValueError("is missing", field="profile.account_id", hint="give each profile its account_id")
        if account not in assigned:
            raise UnknownNameError(
                "has no tier assignment", field="account_id", value=account, hint="add a TierAssignment for it"
            )
        by_id[account] = assessment
    latest = by_id
    events = []
    for account, assignment in assigned.items():
        found = latest.get(account)
        if found is None:
            continue
        event = migrate_tier(assignment, found, as_of=as_of, scorer=scorer, policy=policy)
        if event.outcome is not MigrationOutcome.UNCHANGED:
            events.append(event)
    return tuple(events)
