"""Roll-up of child accounts' health into their parent's."""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from postsale import _checks
from postsale._errors import InvalidTypeError, InvalidValueError
from postsale._repr import readable
from postsale._vocabulary import HealthBand
from postsale.health._bands import DEFAULT_BAND_POLICY, BandPolicy
from postsale.health._problems import a_number
from postsale.health._score import HealthScore

__all__ = ["ChildHealth", "HealthRollUp", "RollUpMethod", "roll_up_health"]


class RollUpMethod(enum.Enum):
    """How child accounts' scores combine into the parent's.

    Examples:
        >>> RollUpMethod["ARR_WEIGHTED"].value
        'arr_weighted'
    """

    MEAN = "mean"
    """Plain mean: every child counts the same."""
    ARR_WEIGHTED = "arr_weighted"
    """Mean weighted by each child's ARR: big children count more."""
    WORST_OF = "worst_of"
    """The worst child: the parent is as healthy as its sickest part."""


def _to_band(value: Any) -> HealthBand:
    return _checks.member(HealthBand, "band", value)


def _to_arr(value: Any) -> Decimal | None:
    return None if value is None else _checks.money("arr", value)


@attrs.frozen
class ChildHealth:
    """One child's part of a roll-up.

    Attributes:
        account_id: The child account.
        value: Its score.
        band: Its band.
        weight: Its share of the roll-up (0-1; in WORST_OF, 1 for the worst child, 0 for the others).
        arr: Its ARR when the roll-up is ARR-weighted.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> from postsale.health import BASIC_HEALTH_MODEL, roll_up_health
        >>> kids = [AccountSnapshot(n, "SMB", date(2026, 1, 31), parent_id="group", signals={"sentiment": s})
        ...         for n, s in (("a", 80), ("b", 30))]
        >>> group = roll_up_health("group", [BASIC_HEALTH_MODEL.score(k) for k in kids])
        >>> [(c.account_id, c.value, c.weight) for c in group.children]
        [('a', 80.0, 0.5), ('b', 30.0, 0.5)]
    """

    __repr__ = readable
    account_id: str = attrs.field(validator=_checks.validator(_checks.text))
    value: float = attrs.field(validator=a_number())
    band: HealthBand = attrs.field(converter=_to_band)
    weight: float = attrs.field(validator=a_number())
    arr: Decimal | None = attrs.field(
        default=None, converter=_to_arr
    )


def _to_method(value: Any) -> RollUpMethod:
    return _checks.member(RollUpMethod, "method", value)


def _to_children(value: Any) -> tuple[ChildHealth, ...]:
    return _checks.items("children", value, ChildHealth)


@attrs.frozen
class HealthRollUp:
    """A parent account's health rolled up from its children.

    Attributes:
        parent_id: The parent account.
        method: MEAN, ARR_WEIGHTED or WORST_OF.
        value: The rolled-up score, 0-100.
        band: Its band (for WORST_OF, the worst child band).
        children: Each child's value, band and weight, in the order given.
        worst: The account id of the worst child (lowest band, then lowest score).
        as_of: The latest of the children's dates.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> from postsale.health import BASIC_HEALTH_MODEL, roll_up_health
        >>> kids = [AccountSnapshot(n, "SMB", date(2026, 1, 31), parent_id="group", signals={"sentiment": s})
        ...         for n, s in (("a", 80), ("b", 30))]
        >>> group = roll_up_health("group", [BASIC_HEALTH_MODEL.score(k) for k in kids])
        >>> group.value, group.band.name, group.worst
        (55.0, 'YELLOW', 'b')
    """

    __repr__ = readable
    parent_id: str = attrs.field(validator=_checks.validator(_checks.text))
    method: RollUpMethod = attrs.field(converter=_to_method)
    value: float = attrs.field(validator=a_number())
    band: HealthBand = attrs.field(converter=_to_band)
    children: tuple[ChildHealth, ...] = attrs.field(converter=_to_children)
    worst: str = attrs.field(validator=_checks.validator(_checks.text))
    as_of: date = attrs.field(validator=_checks.validator(_checks.a_date))

    def __attrs_post_init__(self) -> None:
        if not any(c.account_id == self.worst for c in self.children):
            raise InvalidValueError(
                "is not one of the children", field="worst", value=self.worst,
                constraint="the worst child is one of the children rolled up",
                hint="build roll-ups with roll_up_health(...)",
            )

    def explain(self) -> list[str]:
        """Return plain sentences: the roll-up, how it was computed, and the worst child.

        Examples:
            >>> from datetime import date
            >>> from postsale import AccountSnapshot
            >>> from postsale.health import BASIC_HEALTH_MODEL, roll_up_health
            >>> kids = [AccountSnapshot(n, "SMB", date(2026, 1, 31), parent_id="group", signals={"sentiment": s})
            ...         for n, s in (("a", 80), ("b", 30))]
            >>> for line in roll_up_health("group", [BASIC_HEALTH_MODEL.score(k) for k in kids]).explain():
            ...     print(line)
            Health 55.0 (YELLOW) for group: mean of 2 child accounts.
            Worst child: b at 30.0 (RED).
        """
        method = {
            RollUpMethod.MEAN: "mean",
            RollUpMethod.ARR_WEIGHTED: "ARR-weighted mean",
            RollUpMethod.WORST_OF: "worst",
        }[self.method]
        lines = [f"Health {self.value:.1f} ({self.band.name}) for {self.parent_id}: {method} of "
                 f"{len(self.children)} child accounts."]
        if self.method is RollUpMethod.ARR_WEIGHTED:
            lines.extend(
                f"{c.account_id}: {c.value:.1f} ({c.band.name}) weighted {c.weight:.1%} by ARR {c.arr}."
                for c in self.children
            )
        worst = next(c for c in self.children if c.account_id == self.worst)
        lines.append(f"Worst child: {worst.account_id} at {worst.value:.1f} ({worst.band.name}).")
        return lines


def roll_up_health(
    parent_id: str,
    children: Sequence[HealthScore],
    *,
    method: RollUpMethod = RollUpMethod.MEAN,
    arr: Mapping[str, Decimal | int | str] | None = None,
    bands: BandPolicy = DEFAULT_BAND_POLICY,
) -> HealthRollUp:
    """Roll the health of child accounts up into their parent's.

    Args:
        parent_id: The parent account; every child score must name it as ``parent_id``.
        children: The children's scores (one per child account).
        method: MEAN (default), ARR_WEIGHTED or WORST_OF.
        arr: ARR per child account id (required for ARR_WEIGHTED; e.g. ``{s.account_id: s.acv for s in snaps}``).
        bands: The band policy of the rolled-up value (default GREEN >= 70, YELLOW 40-69, RED < 40); pass the
            children's ``model.bands`` when they were scored with other cut-offs.

    Returns:
        The parent's rolled-up health.

    Raises:
        InvalidValueError: no children, a child of another parent, a child given twice, ARR missing or
            negative for a child, all ARR zero.
        InvalidTypeError: a child that is not a HealthScore, ``bands`` that is not a BandPolicy.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> from postsale.health import BASIC_HEALTH_MODEL
        >>> kids = [AccountSnapshot(n, "SMB", date(2026, 1, 31), parent_id="group", signals={"sentiment": s})
        ...         for n, s in (("a", 80), ("b", 30))]
        >>> group = roll_up_health("group", [BASIC_HEALTH_MODEL.score(k) for k in kids], method=RollUpMethod.WORST_OF)
        >>> group.value, group.band.name, group.worst
        (30.0, 'RED', 'b')
    """
    parent_id = _checks.text("parent_id", parent_id)
    method = _checks.member(RollUpMethod, "method", method)
    cutoffs = _checks.instance("bands", bands, BandPolicy, hint="pass a postsale.health.BandPolicy")
    children = _checks.items("children", children)
    if arr is not None:
        _checks.instance("arr", arr, Mapping, hint="pass {account_id: ARR}")
    if not children:
        raise InvalidValueError(
            "is empty", field="children", value=children, constraint="at least one child score",
            hint="pass the scores of the parent's child accounts",
        )
    seen: set[str] = set()
    for i, child in enumerate(children):
        if not isinstance(child, HealthScore):
            raise InvalidTypeError("expected a HealthScore", field=f"children[{i}]", value=child,
                                   hint="pass model.score(snapshot) for each child")
        if child.parent_id != parent_id:
            raise InvalidValueError(
                f"belongs to parent {child.parent_id!r}", field=f"children[{i}].parent_id", value=child.account_id,
                constraint=f"every child must have parent_id={parent_id!r}",
                hint="roll up each parent's children separately (then the parents, for deeper hierarchies)",
            )
        if child.account_id in seen:
            raise InvalidValueError(
                "is given twice", field=f"children[{i}].account_id", value=child.account_id,
                constraint="one score per child account", hint="pass only the latest score of each child",
            )
        seen.add(child.account_id)
    worst = min(children, key=lambda c: (c.band, c.value))
    as_of = max(c.as_of for c in children)
    if method is RollUpMethod.WORST_OF:
        kids = tuple(
            ChildHealth(c.account_id, c.value, c.band, 1.0 if c is worst else 0.0) for c in children
        )
        return HealthRollUp(parent_id, method, worst.value, worst.band, kids, worst.account_id, as_of)
    if method is RollUpMethod.MEAN:
        weights = [1.0 / len(children)] * len(children)
        amounts: list[Decimal | None] = [None] * len(children)
    else:
        exact = _arr_of(children, arr)
        amounts = list(exact)
        total = sum(exact, Decimal(0))
        if total == 0:
            raise InvalidValueError(
                "is zero for every child", field="arr", value=dict(arr or {}),
                constraint="an ARR-weighted roll-up needs some ARR", hint="use RollUpMethod.MEAN",
            )
        weights = [float(a / total) for a in exact]
    value = math.fsum(w * c.value for w, c in zip(weights, children, strict=True))
    value = min(100.0, max(0.0, value))
    kids = tuple(
        ChildHealth(c.account_id, c.value, c.band, w, a) for c, w, a in zip(children, weights, amounts, strict=True)
    )
    return HealthRollUp(parent_id, method, value, cutoffs.band(value), kids, worst.account_id, as_of)


def _arr_of(children: Sequence[HealthScore], arr: Mapping[str, Decimal | int | str] | None) -> list[Decimal]:
    if arr is None:
        raise InvalidValueError(
            "is required for an ARR-weighted roll-up", field="arr", value=None,
            hint="pass {account_id: ARR}, e.g. {s.account_id: s.acv for s in snapshots}",
        )
    amounts = []
    for child in children:
        if child.account_id not in arr:
            raise InvalidValueError(
                "has no ARR for this child", field=f"arr[{child.account_id!r}]",
                constraint="every child needs an ARR", hint="add the child's ARR (0 if it has none)",
            )
        amounts.append(_checks.money(f"arr[{child.account_id!r}]", arr[child.account_id]))
    return amounts
