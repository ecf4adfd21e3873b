"""Proactive vs reactive CS time against the 60-70 % band."""

from __future__ import annotations

from typing import Any, Final

import attrs

from postsale import _checks
from postsale._errors import InvalidValueError
from postsale._repr import readable
from postsale.kpi import TargetStatus

__all__ = ["PROACTIVE_SHARE_FROM", "PROACTIVE_SHARE_TO", "TimeShare", "proactive_share"]

PROACTIVE_SHARE_FROM: Final = 0.60
"""Lower end of the proactive share of CS time (60-70 % proactive, 30-40 % reactive)."""
PROACTIVE_SHARE_TO: Final = 0.70
"""Upper end of the proactive share of CS time."""


def _proactive(value: Any) -> float:
    return _checks.non_negative("proactive_hours", value)


def _reactive(value: Any) -> float:
    return _checks.non_negative("reactive_hours", value)


def _share(value: Any) -> float:
    return _checks.ratio("share", value)


def _target_from(value: Any) -> float:
    return _checks.ratio("target_from", value)


def _target_to(value: Any) -> float:
    return _checks.ratio("target_to", value)


def _status(value: Any) -> TargetStatus:
    return _checks.member(TargetStatus, "status", value)


@attrs.frozen
class TimeShare:
    """Proactive vs reactive CS time.

    Attributes:
        proactive_hours: Hours on proactive work (scheduled touches, triggered outreach, preparation).
        reactive_hours: Hours on reactive support (answering requests and incidents).
        share: ``proactive / (proactive + reactive)``.
        status: BELOW (< lower), ON_TARGET (lower-upper inclusive), ABOVE (> upper).
        target_from: Lower end of the band.
        target_to: Upper end of the band.

    Examples:
        >>> print(*proactive_share(22, 18).explain())
        55% of CS time is proactive (target 60%-70%): too much firefighting: move time to scheduled and triggered
        outreach.
    """

    __repr__ = readable
    proactive_hours: float = attrs.field(converter=_proactive)
    reactive_hours: float = attrs.field(converter=_reactive)
    share: float = attrs.field(converter=_share)
    status: TargetStatus = attrs.field(converter=_status)
    target_from: float = attrs.field(default=PROACTIVE_SHARE_FROM, converter=_target_from)
    target_to: float = attrs.field(default=PROACTIVE_SHARE_TO, converter=_target_to)

    def explain(self) -> list[str]:
        """Say the share and what to do about it."""
        band = f"{self.target_from:.0%}-{self.target_to:.0%}"
        advice = {
            TargetStatus.BELOW: "too much firefighting: move time to scheduled and triggered outreach",
            TargetStatus.ON_TARGET: "on target",
            TargetStatus.ABOVE: "more proactive than the band: check that reactive support is not starved",
        }[self.status]
        return [f"{self.share:.0%} of CS time is proactive (target {band}): {advice}."]


def proactive_share(
    proactive_hours: float,
    reactive_hours: float,
    *,
    target_from: float = PROACTIVE_SHARE_FROM,
    target_to: float = PROACTIVE_SHARE_TO,
) -> TimeShare:
    """Return the proactive share of CS time against the 60-70 % band (both ends inclusive).

    Raises:
        InvalidValueError: negative hours, no hours at all, or a band whose lower end is above its upper end.

    Examples:
        >>> proactive_share(26, 14).status, proactive_share(30, 10).status
        (<TargetStatus.ON_TARGET: 'on_target'>, <TargetStatus.ABOVE: 'above'>)
    """
    pro = _checks.non_negative("proactive_hours", proactive_hours)
    rea = _checks.non_negative("reactive_hours", reactive_hours)
    low = _checks.ratio("target_from", target_from)
    high = _checks.ratio("target_to", target_to)
    if low > high:
        raise InvalidValueError(
            "is above target_to", field="target_from", value=target_from, constraint=f"must be <= {high}"
        )
    total = pro + rea
    if total == 0:
        raise InvalidValueError(
            "no time was recorded",
            field="reactive_hours",
            value=reactive_hours,
            constraint="proactive_hours + reactive_hours must be > 0",
            hint="pass the hours of a period in which the team worked",
        )
    share = pro / total
    return TimeShare(pro, rea, share, TargetStatus.of(share, low, high), low, high)
