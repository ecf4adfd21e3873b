"""The vocabulary every context shares: segments, stages, touch models, health bands, the account
snapshot."""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Final

import attrs

from postsale import _checks, signals
from postsale._errors import InvalidValueError
from postsale._frozen import EMPTY, freeze
from postsale._repr import readable

__all__ = ["AccountSnapshot", "HealthBand", "Segment", "Stage", "TouchModel"]


class Segment(enum.Enum):
    """Customer segment.

    ENTERPRISE = 1000+ employees, MID_MARKET = 100-999, SMB = fewer than 100;
    PRODUCT_LED is a go-to-market motion rather than a size (the seeds' "tech-touch" volume segment).

    Examples:
        >>> [segment.name for segment in Segment]
        ['ENTERPRISE', 'MID_MARKET', 'SMB', 'PRODUCT_LED']
        >>> Segment.parse("tech_touch"), Segment.from_employees(250)
        (<Segment.PRODUCT_LED: 'product_led'>, <Segment.MID_MARKET: 'mid_market'>)
    """

    ENTERPRISE = "enterprise"
    MID_MARKET = "mid_market"
    SMB = "smb"
    PRODUCT_LED = "product_led"

    @classmethod
    def parse(cls, value: object, *, field: str = "segment") -> Segment:
        """Return the segment named by ``value`` (``"mid-market"``, ``"SMB"``, ``"tech_touch"`` ...).

        Examples:
            >>> Segment.parse("mid-market")
            <Segment.MID_MARKET: 'mid_market'>
        """
        return _checks.member(cls, field, value, SEGMENT_ALIASES)

    @classmethod
    def from_employees(cls, employees: int, *, field: str = "employees") -> Segment:
        """Return the size segment for a head-count: >= 1000 ENTERPRISE, 100-999 MID_MARKET, < 100 SMB.

        Examples:
            >>> Segment.from_employees(999), Segment.from_employees(1000)
            (<Segment.MID_MARKET: 'mid_market'>, <Segment.ENTERPRISE: 'enterprise'>)
        """
        n = _checks.count(field, employees)
        if n >= 1000:
            return cls.ENTERPRISE
        return cls.MID_MARKET if n >= 100 else cls.SMB


SEGMENT_ALIASES = {"TECH_TOUCH": "PRODUCT_LED", "PLG": "PRODUCT_LED", "MM": "MID_MARKET", "MIDMARKET": "MID_MARKET"}
"""Other names of segments, as keys (upper case, underscores): read the same way on the scalar and columnar paths."""


class Stage(enum.IntEnum):
    """The six journey stages in canonical order. Comparisons follow the order.

    Examples:
        >>> Stage.ONBOARDING < Stage.ADOPTION < Stage.ADVOCACY
        True
    """

    ONBOARDING = 1
    ADOPTION = 2
    RETENTION = 3
    EXPANSION = 4
    RENEWAL = 5
    ADVOCACY = 6

    @classmethod
    def parse(cls, value: object, *, field: str = "stage") -> Stage:
        """Return the stage named by ``value`` (a member, its name, or its 1-6 ordinal)."""
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 6:
            return cls(value)
        return _checks.member(cls, field, value)

    @property
    def label(self) -> str:
        """The stage's display name, e.g. ``"Onboarding"``."""
        return self.name.capitalize()


class TouchModel(enum.Enum):
    """Service model: high-, low-, tech-touch, or a hybrid across tiers.

    Examples:
        >>> TouchModel.parse("high-touch"), TouchModel.parse("TECH_TOUCH").intensity
        (<TouchModel.HIGH: 'high'>, 1)
        >>> TouchModel.HYBRID.intensity is None
        True
    """

    HIGH = "high"
    LOW = "low"
    TECH = "tech"
    HYBRID = "hybrid"

    @classmethod
    def parse(cls, value: object, *, field: str = "touch_model") -> TouchModel:
        """Return the model named by ``value`` (``"high"``, ``"HIGH_TOUCH"``, ``"tech-touch"`` ...)."""
        if isinstance(value, str):
            value = value.strip().upper().replace("-", "_").removesuffix("_TOUCH")
        return _checks.member(cls, field, value)

    @property
    def intensity(self) -> int | None:
        """Human attention it implies: TECH 1 < LOW 2 < HIGH 3; ``None`` for HYBRID (a mix)."""
        return _INTENSITY.get(self)


_INTENSITY = {TouchModel.TECH: 1, TouchModel.LOW: 2, TouchModel.HIGH: 3}


class HealthBand(enum.IntEnum):
    """Health band. Ordered RED < YELLOW < GREEN.

    The default cut-offs (GREEN >= 70, YELLOW 40-69, RED < 40 on 0-100) live with the health model;
    :meth:`of` applies them to a score.

    Examples:
        >>> HealthBand.of(82.5), HealthBand.parse("yellow")
        (<HealthBand.GREEN: 3>, <HealthBand.YELLOW: 2>)
        >>> HealthBand.RED < HealthBand.YELLOW < HealthBand.GREEN
        True
    """

    RED = 1
    YELLOW = 2
    GREEN = 3

    @classmethod
    def parse(cls, value: object, *, field: str = "band") -> HealthBand:
        """Return the band named by ``value``."""
        return _checks.member(cls, field, value)

    @classmethod
    def of(cls, score: float, *, green_from: float = 70.0, yellow_from: float = 40.0) -> HealthBand:
        """Return the band of a 0-100 score (thresholds inclusive).

        Raises:
            InvalidTypeError: ``score`` or a threshold is not a number.
            InvalidValueError: ``score`` or a threshold is NaN, infinite or beyond the documented range.

        Examples:
            >>> HealthBand.of(69.9), HealthBand.of(70), HealthBand.of(39.9)
            (<HealthBand.YELLOW: 2>, <HealthBand.GREEN: 3>, <HealthBand.RED: 1>)
        """
        if type(score) is not float or type(green_from) is not float or type(yellow_from) is not float:
            score = _checks.number("score", score)
            green_from = _checks.number("green_from", green_from)
            yellow_from = _checks.number("yellow_from", yellow_from)
        elif math.isnan(score):
            _checks.number("score", score)
        if score >= green_from:
            return cls.GREEN
        return cls.YELLOW if score >= yellow_from else cls.RED


def _freeze_signals(value: Any) -> Mapping[str, float]:
    """Any mapping (dict, ``MappingProxyType``, ``FrozenDict`` ...) as a checked private copy: names are ids,
    values finite numbers within the documented range."""
    return _checks.mapping("signals", value, key=_checks.identifier, item=_checks.measure)


def _freeze_labels(value: Any) -> Mapping[str, str]:
    """Any mapping as a checked private copy: names are ids, values strings (empty allowed)."""
    return _checks.mapping("labels", value, key=_checks.identifier, item=_checks.label)


def _to_segment(value: Any) -> Segment:
    return Segment.parse(value)


def _to_money(value: Any) -> Decimal:
    return _checks.money("acv", value)


@attrs.frozen
class AccountSnapshot:
    """What is known about one account on one date: the input every context reads.

    Args:
        account_id: Stable identity of the account.
        segment: Customer segment.
        as_of: The date the snapshot describes.
        acv: Annual contract value (exact ``Decimal``; ints and decimal strings are accepted).
        contract_start: Start of the current contract, if known.
        contract_end: End (renewal date) of the current contract, if known.
        seats_purchased: Seats (licences) purchased.
        seats_active: Seats active in the last 30 days.
        signals: Open mapping of named numeric signals (see :mod:`postsale.signals`).
        time_zone: IANA time zone of the account (SLA deadlines are computed in it).
        labels: Free text labels for cohorts and routing (e.g. ``{"csm": "aiko", "region": "APAC"}``).
        parent_id: The parent account, for roll-ups over child accounts.

    Every mapping given (``signals``, ``labels``; a dict, a ``MappingProxyType`` or any other mapping) is
    checked and copied: the snapshot never shares the caller's object. Amounts, counts, numbers and ids are
    checked against the documented ranges (docs/limits.md): ``acv`` at most 10**15, seats at most 10**9,
    signals finite and at most 1e15 in absolute value, ids at most 1 000 characters.

    Raises:
        InvalidValueError: negative money or counts, values outside the documented ranges, non-finite
            signals, a contract ending before it starts, a blank id (all :class:`~postsale.PostsaleError`).
        InvalidTypeError: a value of the wrong type (a bool or a string for a count, a list for ``signals``).
        UnknownNameError: an unknown segment or time zone.

    Examples:
        >>> from datetime import date
        >>> snap = AccountSnapshot("acme", Segment.SMB, date(2026, 1, 31), acv=12000,
        ...                        seats_purchased=10, seats_active=7, signals={"logins_week": 40})
        >>> snap.seat_utilisation
        0.7
    """

    __repr__ = readable
    account_id: str = attrs.field(validator=_checks.validator(_checks.identifier))
    segment: Segment = attrs.field(converter=_to_segment)
    as_of: date = attrs.field(validator=_checks.validator(_checks.a_date))
    acv: Decimal = attrs.field(default=Decimal(0), converter=_to_money)
    contract_start: date | None = attrs.field(default=None, validator=_checks.optional_validator(_checks.a_date))
    contract_end: date | None = attrs.field(default=None, validator=_checks.optional_validator(_checks.a_date))
    seats_purchased: int = attrs.field(default=0, validator=_checks.validator(_checks.count))
    seats_active: int = attrs.field(default=0, validator=_checks.validator(_checks.count))
    signals: Mapping[str, float] = attrs.field(
        default=EMPTY, converter=_freeze_signals, hash=False
    )
    time_zone: str = attrs.field(default="UTC", validator=_checks.validator(_checks.time_zone))
    labels: Mapping[str, str] = attrs.field(default=EMPTY, converter=_freeze_labels, hash=False)
    parent_id: str | None = attrs.field(default=None, validator=_checks.optional_validator(_checks.identifier))

    def __attrs_post_init__(self) -> None:
        start, end = self.contract_start, self.contract_end
        if start is not None and end is not None and end <= start:
            raise InvalidValueError(
                "ends on or before the contract start",
                field="contract_end",
                value=self.contract_end,
                constraint=f"must be after contract_start={start.isoformat()}",
                hint="check the two dates (is the term in months?)",
            )

    @property
    def seat_utilisation(self) -> float | None:
        """Active / purchased seats, or ``None`` when no seats were purchased."""
        if self.seats_purchased == 0:
            return None
        return self.seats_active / self.seats_purchased

    @property
    def days_to_renewal(self) -> int | None:
        """Days from :attr:`as_of` to :attr:`contract_end` (negative once past), or ``None``."""
        return None if self.contract_end is None else (self.contract_end - self.as_of).days

    @property
    def days_since_start(self) -> int | None:
        """Days from :attr:`contract_start` to :attr:`as_of` (day 0 = start), or ``None``."""
        return None if self.contract_start is None else (self.as_of - self.contract_start).days

    def signal(self, name: str, default: float | None = None) -> float | None:
        """Return signal ``name`` (including the derived ones of :meth:`evidence`), else ``default``."""
        if type(name) is not str:
            _checks.instance("name", name, str, hint="pass a signal name such as signals.NPS")
        value = self.signals.get(name)
        if value is not None:
            return value
        return self.evidence().get(name, default)

    def evidence(self) -> dict[str, float]:
        """Return all signals plus the derived ones (``acv``, seats, utilisation, contract days) as one dict.

        This is the evidence journey criteria and rules are evaluated against.
        """
        result = {name: value for name, derive in DERIVED_SIGNALS.items() if (value := derive(self)) is not None}
        result.update(self.signals)
        return result


DERIVED_SIGNALS: Final[Mapping[str, Callable[[AccountSnapshot], float | None]]] = freeze({
    signals.ACV: lambda s: float(s.acv),
    signals.SEATS_PURCHASED: lambda s: float(s.seats_purchased),
    signals.SEATS_ACTIVE: lambda s: float(s.seats_active),
    signals.SEAT_UTILISATION: lambda s: s.seat_utilisation,
    signals.DAYS_TO_RENEWAL: lambda s: None if s.contract_end is None else float((s.contract_end - s.as_of).days),
    signals.DAYS_SINCE_START: lambda s: None if s.contract_start is None else float((s.as_of - s.contract_start).days),
})
"""The signals :meth:`AccountSnapshot.evidence` derives from the snapshot's fields (``None``: not derivable), in
its order; the snapshot's own signals of these names take precedence."""
