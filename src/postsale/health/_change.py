"""Change attribution between two health scores of one account: which components moved it, and by how much."""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs

from postsale import _checks
from postsale._errors import InvalidTypeError, InvalidValueError, OutOfOrderError
from postsale._repr import readable
from postsale._vocabulary import HealthBand
from postsale.health._problems import of_type
from postsale.health._score import HealthScore
from postsale.health._treatment import label

__all__ = ["ComponentMove", "HealthChange", "attribute_change"]

UNCHANGED_BELOW: float = 0.05
"""Movements smaller than this (points) are reported as unchanged in sentences (they round to 0.0)."""


def _number(field: str, value: Any) -> float:
    """``value`` as a finite float: an int or ``Decimal`` is converted once, here, so the deltas and the sentences
    only ever do float arithmetic (``Decimal - float`` would be a TypeError)."""
    return value if type(value) is float and value - value == 0.0 else _checks.number(field, value)


def _optional(field: str, value: Any) -> float | None:
    return None if value is None else _number(field, value)


def _points_before(value: Any) -> float | None:
    return _optional("points_before", value)


def _points_after(value: Any) -> float | None:
    return _optional("points_after", value)


def _share_before(value: Any) -> float:
    return _number("share_before", value)


def _share_after(value: Any) -> float:
    return _number("share_after", value)


def _contribution_before(value: Any) -> float:
    return _number("contribution_before", value)


def _contribution_after(value: Any) -> float:
    return _number("contribution_after", value)


def _value_before(value: Any) -> float:
    return _number("value_before", value)


def _value_after(value: Any) -> float:
    return _number("value_after", value)


def _override_effect(value: Any) -> float:
    return _number("override_effect", value)


@attrs.frozen
class ComponentMove:
    """How one component moved the score between two dates.

    ``delta`` is the change of its contribution; the deltas of all components (plus the override
    effect of a CSM's pulse) add up to the change of the score.

    Attributes:
        name: The component.
        points_before: Its points before (``None`` when it was left out or absent).
        points_after: Its points after.
        share_before: Its share before (0 when left out).
        share_after: Its share after.
        contribution_before: Points it contributed before.
        contribution_after: Points it contributed after.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> from postsale.health import BASIC_HEALTH_MODEL, attribute_change
        >>> def score(day, sentiment):
        ...     return BASIC_HEALTH_MODEL.score(AccountSnapshot("acme", "SMB", date(2026, 1, day),
        ...                                                   signals={"nps": 9, "sentiment": sentiment}))
        >>> change = attribute_change(score(1, 80), score(31, 40))
        >>> move = change.moves[0]
        >>> move.name, move.delta, move.describe()
        ('sentiment', -20.0, 'Sentiment moved it -20.0 points: went from 80.0 to 40.0 points.')
    """

    __repr__ = readable
    name: str = attrs.field(validator=_checks.validator(_checks.text))
    points_before: float | None = attrs.field(converter=_points_before)
    points_after: float | None = attrs.field(converter=_points_after)
    share_before: float = attrs.field(converter=_share_before)
    share_after: float = attrs.field(converter=_share_after)
    contribution_before: float = attrs.field(converter=_contribution_before)
    contribution_after: float = attrs.field(converter=_contribution_after)

    @property
    def delta(self) -> float:
        """Change of its contribution (score points)."""
        return self.contribution_after - self.contribution_before

    @property
    def points_delta(self) -> float | None:
        """Change of its own points, when it was scored both times."""
        if self.points_before is None or self.points_after is None:
            return None
        return self.points_after - self.points_before

    def describe(self) -> str:
        """Return one sentence on this component's move."""
        name = label(self.name)
        if self.points_before is None and self.points_after is None:
            how = "it was left out of both scores"
        elif self.points_before is None and self.points_after is not None:
            how = f"entered the score at {self.points_after:.1f} points"
        elif self.points_before is not None and self.points_after is None:
            how = f"left the score (was {self.points_before:.1f} points); its weight went to the others"
        elif self.points_before == self.points_after:
            how = f"kept {self.points_after:.1f} points; its share changed from {self.share_before:.1%} " \
                  f"to {self.share_after:.1%}"
        else:
            how = f"went from {self.points_before:.1f} to {self.points_after:.1f} points"
        return f"{name} moved it {self.delta:+.1f} points: {how}."


def _to_band_before(value: Any) -> HealthBand:
    return _checks.member(HealthBand, "band_before", value)


def _to_band_after(value: Any) -> HealthBand:
    return _checks.member(HealthBand, "band_after", value)


def _to_moves(value: Any) -> tuple[ComponentMove, ...]:
    return _checks.items("moves", value, ComponentMove)


@attrs.frozen
class HealthChange:
    """Which components moved an account's health between two scores, and by how much.

    Attributes:
        account_id: The account.
        before_as_of: Date of the earlier score.
        after_as_of: Date of the later score.
        value_before: Earlier score.
        value_after: Later score.
        band_before: Earlier band.
        band_after: Later band.
        moves: One move per component seen in either score, the largest ``|delta|`` first.
        override_effect: Part of the change due to a CSM override (0 when neither score was overridden).
        model_before: ``name vN`` of the earlier model.
        model_after: ``name vN`` of the later model.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> from postsale.health import BASIC_HEALTH_MODEL, attribute_change
        >>> def score(day, sentiment):
        ...     return BASIC_HEALTH_MODEL.score(AccountSnapshot("acme", "SMB", date(2026, 1, day),
        ...                                                   signals={"nps": 9, "sentiment": sentiment}))
        >>> change = attribute_change(score(1, 80), score(31, 40))
        >>> change.delta, change.band_before.name, change.band_after.name, change.band_changed
        (-20.0, 'GREEN', 'GREEN', False)
    """

    __repr__ = readable
    account_id: str = attrs.field(validator=_checks.validator(_checks.text))
    before_as_of: date = attrs.field(validator=_checks.validator(_checks.a_date))
    after_as_of: date = attrs.field(validator=_checks.validator(_checks.a_date))
    value_before: float = attrs.field(converter=_value_before)
    value_after: float = attrs.field(converter=_value_after)
    band_before: HealthBand = attrs.field(converter=_to_band_before)
    band_after: HealthBand = attrs.field(converter=_to_band_after)
    moves: tuple[ComponentMove, ...] = attrs.field(converter=_to_moves)
    override_effect: float = attrs.field(default=0.0, converter=_override_effect)
    model_before: str = attrs.field(default="", validator=of_type(str))
    model_after: str = attrs.field(default="", validator=of_type(str))

    @property
    def delta(self) -> float:
        """Change of the score (after - before)."""
        return self.value_after - self.value_before

    @property
    def band_changed(self) -> bool:
        """Whether the band changed."""
        return self.band_before is not self.band_after

    def explain(self) -> list[str]:
        """Return plain sentences: the overall move, then each component that moved it, largest first.

        Movements under 0.05 points are listed together as unchanged.
        """
        verb = "rose" if self.delta > 0 else "fell" if self.delta < 0 else "held"
        size = f" {abs(self.delta):.1f} points" if self.delta else ""
        before = f"{self.value_before:.1f} ({self.band_before.name})"
        after = f"{self.value_after:.1f} ({self.band_after.name})"
        if self.before_as_of == self.after_as_of:  # one date: two models side by side
            span = f"from {before} to {after} on {self.after_as_of.isoformat()}"
        else:
            span = f"from {before} on {self.before_as_of.isoformat()} to {after} on {self.after_as_of.isoformat()}"
        lines = [f"Health of {self.account_id} {verb}{size} {span}."]
        if self.model_before != self.model_after:
            tail = "the move is the models' difference" if self.before_as_of == self.after_as_of else \
                "part of the move comes from it"
            lines.append(f"The model changed from {self.model_before} to {self.model_after}; {tail}.")
        if abs(self.override_effect) >= UNCHANGED_BELOW:
            lines.append(f"The CSM's override moved it {self.override_effect:+.1f} points.")
        lines.extend(m.describe() for m in self.moves if abs(m.delta) >= UNCHANGED_BELOW)
        still = [m.name for m in self.moves if abs(m.delta) < UNCHANGED_BELOW]
        if still:
            lines.append(f"Unchanged: {', '.join(still)}.")
        return lines


def attribute_change(before: HealthScore, after: HealthScore) -> HealthChange:
    """Attribute the change between two scores of one account to its components.

    Each component's move is the change of its contribution (``share * points``), so the moves add up
    to the change of the computed score; a CSM override adds ``override_effect``. A component that
    left the score (missing, stale) moves it by its whole former contribution, and the others' shares
    grow to take its weight. Every decline is reported; whether one deserves an alert is the trigger
    engine's decision. Two scores of one snapshot under two models (``attribute_change(BASIC_HEALTH_MODEL.score(s),
    CS_HEALTH_MODEL.score(s))``) show the models side by side: which components make the difference.

    Args:
        before: The earlier score.
        after: The later score.

    Returns:
        The change with one move per component, largest first.

    Raises:
        InvalidTypeError: an argument is not a HealthScore.
        InvalidValueError: the scores are of different accounts.
        OutOfOrderError: ``before`` is dated after ``after``.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> from postsale.health import BASIC_HEALTH_MODEL, attribute_change
        >>> def score(day, sentiment):
        ...     return BASIC_HEALTH_MODEL.score(AccountSnapshot("acme", "SMB", date(2026, 1, day),
        ...                                                   signals={"nps": 9, "sentiment": sentiment}))
        >>> change = attribute_change(score(1, 80), score(31, 40))
        >>> change.explain()[0]
        'Health of acme fell 20.0 points from 90.0 (GREEN) on 2026-01-01 to 70.0 (GREEN) on 2026-01-31.'
    """
    for field, value in (("before", before), ("after", after)):
        if not isinstance(value, HealthScore):
            raise InvalidTypeError("expected a HealthScore", field=field, value=value, hint="pass model.score(...)")
    if before.account_id != after.account_id:
        raise InvalidValueError(
            "is another account than before.account_id", field="after.account_id", value=after.account_id,
            constraint=f"both scores must be of account {before.account_id!r}",
            hint="compare two scores of the same account (use roll_up_health across accounts)",
        )
    if before.as_of > after.as_of:
        raise OutOfOrderError(
            "is dated after the later score", field="before.as_of", value=before.as_of,
            constraint=f"must be on or before after.as_of={after.as_of.isoformat()}",
            hint="swap the two arguments",
        )
    earlier = {r.name: r for r in before.components}
    later = {r.name: r for r in after.components}
    names = list(earlier) + [n for n in later if n not in earlier]
    moves = []
    for name in names:
        old, new = earlier.get(name), later.get(name)
        moves.append(
            ComponentMove(
                name=name,
                points_before=old.points if old else None,
                points_after=new.points if new else None,
                share_before=old.share if old else 0.0,
                share_after=new.share if new else 0.0,
                contribution_before=old.contribution if old else 0.0,
                contribution_after=new.contribution if new else 0.0,
            )
        )
    moves.sort(key=lambda m: -abs(m.delta))
    return HealthChange(
        account_id=after.account_id,
        before_as_of=before.as_of,
        after_as_of=after.as_of,
        value_before=before.value,
        value_after=after.value,
        band_before=before.band,
        band_after=after.band,
        moves=tuple(moves),
        override_effect=(after.value - after.computed_value) - (before.value - before.computed_value),
        model_before=f"{before.model_name} v{before.model_version}",
        model_after=f"{after.model_name} v{after.model_version}",
    )
