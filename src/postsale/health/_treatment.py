"""How one input enters a health score: its freshness, its treatment, and a part's result inside a composite."""

from __future__ import annotations

import enum
import sys
from decimal import Decimal
from typing import Any

import attrs

from postsale import _checks
from postsale._repr import readable
from postsale._vocabulary import HealthBand

__all__ = ["Freshness", "PartResult", "Treatment", "label"]


class Freshness(enum.Enum):
    """Whether a component's input was there and recent enough.

    Examples:
        >>> Freshness["STALE"].value
        'stale'
    """

    FRESH = "fresh"
    """The signal is present and not older than the component allows."""
    MISSING = "missing"
    """The snapshot has no such signal."""
    STALE = "stale"
    """The signal is older than the component's ``stale_after_days``."""


class Treatment(enum.Enum):
    """How a component entered the score.

    Examples:
        >>> Treatment["PENALISED"].value
        'penalised'
    """

    SCORED = "scored"
    """Its points come from the data."""
    PENALISED = "penalised"
    """Data missing or stale: it scored the policy's penalty points."""
    EXCLUDED = "excluded"
    """Data missing or stale: it was left out and its weight shared among the others."""


_NUMBERS = (float, int)
_ACRONYMS = frozenset({"nps", "csat", "acv", "arr", "qbr", "roi"})


def label(name: str) -> str:
    """A component's or part's name as words for sentences: ``"logins_trend"`` → ``"Logins trend"``, ``"nps"`` →
    ``"NPS"`` (known acronyms stay upper-case)."""
    words = [w.upper() if w in _ACRONYMS else w for w in name.replace("_", " ").lower().split(" ")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


@attrs.frozen
class PartResult:
    """One part of a composite component in a health score: a sub-signal's input, points, share and rule.

    The fields mean what they mean in :class:`~postsale.health.ComponentResult`, one level down: ``share`` is the
    part's share of its component's points (the shares of a component's parts sum to 1) and ``contribution`` the
    points it adds to them (the contributions sum to the component's points).

    Attributes:
        name: The part (``"logins_trend"``).
        signal: What it reads: the signal, or ``signal/relative_to`` for a trend.
        input: The value read (the ratio for a trend; ``None`` when missing).
        age_days: How old the input was, when known.
        freshness: FRESH, MISSING or STALE.
        treatment: SCORED, PENALISED or EXCLUDED.
        points: Points 0-100 (``None`` when excluded).
        weight: The configured weight inside its component.
        share: Its share of the component's points (0 when excluded).
        contribution: ``share * points``.
        band: The band its points fall in (``None`` when excluded).
        rule: The scoring rule applied, in words (or why the part was missing or stale).

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> from postsale.health import CS_HEALTH_MODEL
        >>> snap = AccountSnapshot("acme", "SMB", date(2026, 1, 31), seats_purchased=10, seats_active=8,
        ...                        signals={"logins_week": 45, "logins_prev_week": 50})
        >>> trend = CS_HEALTH_MODEL.score(snap).component("product_usage").part("logins_trend")
        >>> trend.signal, trend.input, trend.points, trend.share
        ('logins_week/logins_prev_week', 0.9, 100.0, 0.4285714285714286)
        >>> print(trend.describe("product usage"))
        Logins trend: logins_week/logins_prev_week = 0.9, rule logins_week/logins_prev_week >= 0.9 → 100 points;
        42.9% of product usage.
    """

    __repr__ = readable
    name: str
    signal: str
    input: float | None
    age_days: float | None
    freshness: Freshness
    treatment: Treatment
    points: float | None
    weight: float
    share: float
    contribution: float
    band: HealthBand | None
    rule: str

    def __attrs_post_init__(self) -> None:
        # One cheap test of the usual types; the full check only when it fails (as for ComponentResult).
        if not (
            self.name.__class__ is str and self.signal.__class__ is str and self.rule.__class__ is str
            and self.freshness.__class__ is Freshness and self.treatment.__class__ is Treatment
            and self.weight.__class__ in _NUMBERS and self.share.__class__ in _NUMBERS
            and self.contribution.__class__ in _NUMBERS
            and (self.input is None or self.input.__class__ in _NUMBERS)
            and (self.points is None or self.points.__class__ in _NUMBERS)
            and (self.age_days is None or self.age_days.__class__ in _NUMBERS)
            and (self.band is None or self.band.__class__ is HealthBand)
        ):
            check_result(self)

    def describe(self, component: str = "its component") -> str:
        """Return one sentence on this part (``component``: how to name its component in the sentence)."""
        _checks.text("component", component)
        name = label(self.name)
        if self.points is None:
            return f"{name} was left out: {self.rule}."
        tail = f"{_shown(self.share, '.1%')} of {component}."
        if self.treatment is Treatment.PENALISED:
            return f"{name} was penalised ({self.rule}): {_shown(self.points, 'g')} points; {tail}"
        return f"{name}: {self.signal} = {_shown(self.input, 'g')}, rule {self.rule}; {tail}"


def _shown(value: float | None, spec: str) -> str:
    """``value`` formatted with ``spec``; ``None`` as "unknown", an int too large for a float (which formatting
    would convert, an OverflowError) in scientific notation."""
    if value is None:
        return "unknown"
    if value.__class__ is int and not -_LARGEST <= value <= _LARGEST:
        return f"{Decimal(value):.3E}"
    return format(value, spec)


_LARGEST = int(sys.float_info.max)


def _keep_number(value: object, name: str, given: object) -> None:
    """Keep a number given as an int as it is, any other (a Decimal) as the float it is checked into."""
    checked = _checks.number(name, given)
    if given.__class__ not in _NUMBERS:
        object.__setattr__(value, name, checked)


def check_result(result: Any) -> None:
    """The full check of a component's or a part's result (the fields both have), naming the bad field."""
    _checks.text("name", result.name)
    _checks.instance("signal", result.signal, str)
    _checks.instance("rule", result.rule, str)
    for name in ("weight", "share", "contribution", "input", "points", "age_days"):
        value = getattr(result, name)
        if value is not None or name in ("weight", "share", "contribution"):
            _keep_number(result, name, value)
    object.__setattr__(result, "freshness", _checks.member(Freshness, "freshness", result.freshness))
    object.__setattr__(result, "treatment", _checks.member(Treatment, "treatment", result.treatment))
    if result.band is not None:
        object.__setattr__(result, "band", _checks.member(HealthBand, "band", result.band))
