"""A health model's value compiled once into plain closures: the number :meth:`HealthModel.value` returns, for code
that scores many snapshots with one model (the trigger engine replaying an account's history).

The closures run the very same floating-point operations as :meth:`HealthModel.value` in the same order, so they
return the same number to the last bit. Anything off the hot path (an age signal, a value that is not a finite
float, a value a scoring refuses, an unknown kind of scoring) goes through the model's own methods, so the errors
and their words are the model's too.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Final

from postsale._frozen import EMPTY
from postsale._vocabulary import DERIVED_SIGNALS, AccountSnapshot
from postsale.health._component import AGE_SUFFIX, TREND_LIMIT, Component
from postsale.health._composite import Composite
from postsale.health._model import HealthModel, _ages
from postsale.health._scoring import MAX_POINTS, MIN_POINTS, Bands, Linear

__all__ = ["value_function"]

_LARGEST: Final = sys.float_info.max

Reader = Callable[[Mapping[str, float], AccountSnapshot, Mapping[str, float]], "float | None"]
"""Points of one component from (the snapshot's signals, the snapshot, the ages): ``None`` when excluded."""


def _mean(pairs: Sequence[tuple[float, Reader]], sig: Mapping[str, float], snapshot: AccountSnapshot,
          ages: Mapping[str, float]) -> float | None:
    """:func:`~postsale.health._composite.weighted_mean` of the readers' points with their weights: the same sums in
    the same order (a term of 0.0 left out changes no sum but a -0.0 one, which the clamp to 0-100 makes 0.0 either
    way), the points read in order."""
    total = 0.0
    acc = 0.0
    for weight, read in pairs:
        point = read(sig, snapshot, ages)
        if point is not None:
            total = total + weight
            acc = acc + weight * point
    if total == 0:
        return None
    return min(MAX_POINTS, max(MIN_POINTS, acc * (1.0 / total)))


def _points_function(component: Component) -> Callable[[float], float]:
    """The points of a fresh input of ``component``: the scoring's hot path, else ``component.points``."""
    scoring = component.scoring
    slow = component.points
    if scoring.__class__ is Bands:
        bands = tuple(
            (b.lower, b.lower_inclusive, b.upper, b.upper_inclusive, float(b.points)) for b in scoring.bands
        )

        def bands_points(value: float) -> float:
            if value.__class__ is float and -_LARGEST <= value <= _LARGEST:
                for lower, lower_in, upper, upper_in, points in bands:
                    if lower is not None and (value < lower or (value == lower and not lower_in)):
                        continue
                    if upper is not None and (value > upper or (value == upper and not upper_in)):
                        continue
                    return points
            return slow(value)  # refused (or not a plain float): the scoring's own error

        return bands_points
    if scoring.__class__ is Linear:
        intercept, slope = scoring.intercept, scoring.slope

        def linear_points(value: float) -> float:
            if value.__class__ is float and -_LARGEST <= value <= _LARGEST:
                result = intercept + slope * value
                if MIN_POINTS <= result <= MAX_POINTS:
                    return result
            return slow(value)

        return linear_points
    return slow


def _component_reader(component: Component) -> Reader:
    """``read_and_treat(component, evidence, ages.get(signal))[3]`` as a closure."""
    signal, baseline_name = component.signal, component.relative_to
    derive = DERIVED_SIGNALS.get(signal)
    derive_baseline = None if baseline_name is None else DERIVED_SIGNALS.get(baseline_name)
    stale_after = component.missing.stale_after_days
    absent = component.missing.absent_points
    points = _points_function(component)
    read = component.read

    def plain(sig: Mapping[str, float], snapshot: AccountSnapshot, ages: Mapping[str, float]) -> float | None:
        raw = sig.get(signal)
        if raw is None and derive is not None:
            raw = derive(snapshot)
        if raw is None:
            return absent
        if stale_after is not None:
            age = ages.get(signal)
            if age is not None and age > stale_after:
                return absent
        return points(raw)

    def trend(sig: Mapping[str, float], snapshot: AccountSnapshot, ages: Mapping[str, float]) -> float | None:
        value = sig.get(signal)
        if value is None and derive is not None:
            value = derive(snapshot)
        if value is None:
            return absent
        baseline = sig.get(baseline_name)  # type: ignore[arg-type]
        if baseline is None and derive_baseline is not None:
            baseline = derive_baseline(snapshot)
        if value.__class__ is float and baseline.__class__ is float:
            raw: float | None = None if baseline == 0 else min(TREND_LIMIT, max(-TREND_LIMIT, value / baseline))
        else:  # no baseline, or not plain floats: the component's own reading (and its errors)
            raw = read(snapshot.evidence())
        if raw is None:
            return absent
        if stale_after is not None:
            age = ages.get(signal)
            if age is not None and age > stale_after:
                return absent
        return points(raw)

    return plain if baseline_name is None else trend


def _composite_reader(composite: Composite) -> Reader:
    """``composite_points(composite, evidence, ages)`` as a closure."""
    pairs = tuple((part.weight, _component_reader(part)) for part in composite.parts)
    absent = composite.missing.absent_points

    def composite_points(sig: Mapping[str, float], snapshot: AccountSnapshot,
                         ages: Mapping[str, float]) -> float | None:
        mean = _mean(pairs, sig, snapshot, ages)
        return absent if mean is None else mean

    return composite_points


def value_function(model: HealthModel) -> Callable[[AccountSnapshot], float | None]:
    """Return a function giving ``model.value(snapshot)``, compiled once for the model.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> from postsale.health import DEFAULT_HEALTH_MODEL
        >>> acme = AccountSnapshot("acme", "SMB", date(2026, 3, 2), signals={"nps": 9, "sentiment": 80})
        >>> value_function(DEFAULT_HEALTH_MODEL)(acme) == DEFAULT_HEALTH_MODEL.value(acme)
        True
    """
    pairs = tuple(
        (c.weight, _composite_reader(c) if isinstance(c, Composite) else _component_reader(c))
        for c in model.components
    )
    wanted = model.signals
    age_names = frozenset(name + AGE_SUFFIX for name in wanted)  # never derived: in the snapshot's signals or absent
    slow = model.value

    def value(snapshot: AccountSnapshot) -> float | None:
        if snapshot.__class__ is not AccountSnapshot:
            return slow(snapshot)
        sig = snapshot.signals
        if age_names.isdisjoint(sig):
            return _mean(pairs, sig, snapshot, EMPTY)
        return _mean(pairs, sig, snapshot, _ages(snapshot.as_of, snapshot.evidence(), None, wanted))

    return value
