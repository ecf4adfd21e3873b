"""Which scheduled plan each segment follows: the cadence a review and the nightly job's configuration set."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import attrs

from postsale import _checks
from postsale._frozen import freeze
from postsale._repr import readable
from postsale._vocabulary import Segment
from postsale.cadence._defaults import segment_plan
from postsale.cadence._plans import CadencePlan

__all__ = ["DEFAULT_CADENCE_PLANS", "CadencePlans"]


def _defaults() -> Mapping[Segment, CadencePlan]:
    return freeze({segment: segment_plan(segment) for segment in Segment})


def _to_plans(value: Any) -> Mapping[Segment, CadencePlan]:
    table = _checks.mapping("plans", value, key=lambda _, segment: Segment.parse(segment, field="plans"))
    for segment, plan in table.items():
        _checks.instance(f"plans[{segment.name}]", plan, CadencePlan,
                         hint="pass a postsale.cadence.CadencePlan (segment_plan(...) is a default one)")
    return freeze({**_defaults(), **table})


@attrs.frozen
class CadencePlans:
    """The scheduled plan each segment follows: the regular plan of every account's agenda in a review.

    A segment left out keeps the field guide's plan (:func:`~postsale.cadence.segment_plan`), so the value always
    holds one plan per segment.

    Args:
        plans: The plan of each segment (a :class:`~postsale.cadence.CadencePlan` keyed by segment).

    Raises:
        InvalidTypeError: ``plans`` is not a mapping, or holds something other than a plan.
        UnknownNameError: a key names no segment.

    Examples:
        >>> from postsale.cadence import CadenceItem, CadencePlan, Recurrence
        >>> weekly = CadencePlan("smb-weekly", [CadenceItem("check_in", "Weekly check-in", "quick_update",
        ...                                                  recurrence=Recurrence("week", 1))])
        >>> plans = CadencePlans({"SMB": weekly})
        >>> plans.plan_for("SMB").name, plans.plan_for("ENTERPRISE").name
        ('smb-weekly', 'enterprise cadence')
    """

    __repr__ = readable
    plans: Mapping[Segment, CadencePlan] = attrs.field(factory=_defaults, converter=_to_plans)

    def plan_for(self, segment: Segment | str) -> CadencePlan:
        """The plan of ``segment`` (a member or its name).

        Raises:
            UnknownNameError: ``segment`` names no segment.
        """
        return self.plans[Segment.parse(segment)]


DEFAULT_CADENCE_PLANS: Final = CadencePlans()
"""Every segment on the field guide's plan."""
