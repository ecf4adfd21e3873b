"""Strategies for the health context: scorings, components, models, pulses and matching snapshots."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from hypothesis import strategies as st

from postsale import AccountSnapshot
from postsale.health import (
    Band,
    BandPolicy,
    Bands,
    BoundedLinear,
    Component,
    HealthModel,
    Linear,
    MissingAction,
    MissingData,
    Pulse,
    PulseMode,
    PulsePolicy,
    Scoring,
)
from tests.strategies.vocabulary import dates

points = st.sampled_from([0.0, 39.9, 40.0, 69.9, 70.0, 100.0]) | st.floats(min_value=0, max_value=100, allow_nan=False)
"""Points, biased to the band edges (both sides of 40 and 70)."""
weights = st.floats(min_value=0.01, max_value=10, allow_nan=False)
SIGNAL_POOL = ("usage", "nps", "tickets", "sentiment", "context", "exec")


@st.composite
def bands_scorings(draw: st.DrawFn) -> Bands:
    """Valid contiguous bands: sorted distinct cuts, one end inclusive at each shared boundary."""
    cuts = draw(st.lists(st.integers(-50, 150), min_size=0, max_size=4, unique=True).map(sorted))
    open_below, open_above = draw(st.booleans()), draw(st.booleans())
    ends: list[float | None] = [float(c) for c in cuts]
    if not ends or not open_below:
        ends.insert(0, None if open_below else float((cuts[0] if cuts else 0) - 10))
    if not open_above or len(ends) < 2:
        ends.append(None if open_above else float((cuts[-1] if cuts else 0) + 10))
    bands = []
    upper_inclusive_prev = False
    for i, (lower, upper) in enumerate(itertools.pairwise(ends)):
        lower_inclusive = not upper_inclusive_prev if i else draw(st.booleans())
        upper_inclusive = draw(st.booleans())
        bands.append(Band(draw(points), lower, upper, lower_inclusive=lower_inclusive, upper_inclusive=upper_inclusive))
        upper_inclusive_prev = upper_inclusive
    return Bands(tuple(bands))


linear_scorings = st.builds(
    Linear,
    slope=st.sampled_from([1.0, 10.0, -1.0, 0.5]) | st.floats(0.1, 10) | st.floats(-10, -0.1),
    intercept=st.sampled_from([0.0, 100.0, 50.0]) | st.floats(-100, 100),
)
bounded_scorings = st.builds(
    lambda a, b, p, q: BoundedLinear(worst=a, best=a + b, worst_points=min(p, q), best_points=max(p, q)),
    st.sampled_from([0.0, 6.0, -3.0]) | st.floats(-1e3, 1e3),
    st.sampled_from([-6.0, 10.0]) | st.floats(0.5, 1e3) | st.floats(-1e3, -0.5),
    points,
    points,
)
scorings: st.SearchStrategy[Scoring] = st.one_of(bands_scorings(), linear_scorings, bounded_scorings)
missing_policies = st.builds(
    MissingData,
    action=st.sampled_from(list(MissingAction)),
    penalty_points=points,
    stale_after_days=st.none() | st.sampled_from([0, 30, 90]) | st.integers(0, 400),
)


@st.composite
def components(
    draw: st.DrawFn, name: str, signal: str = "usage", scoring: st.SearchStrategy[Scoring] = scorings
) -> Component:
    """A component called ``name`` reading ``signal``."""
    return Component(name, signal, draw(scoring), weight=draw(weights), missing=draw(missing_policies))


@st.composite
def health_models(draw: st.DrawFn, scoring: st.SearchStrategy[Scoring] = scorings) -> HealthModel:
    """Valid health models with 1-5 uniquely named components, each reading its own signal."""
    names = draw(st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), min_size=1, max_size=5, unique=True))
    signals = draw(st.permutations(SIGNAL_POOL))
    green = draw(st.floats(2, 100))
    return HealthModel(
        tuple(draw(components(n, s, scoring)) for n, s in zip(names, signals, strict=False)),
        name=draw(st.sampled_from(["m", "custom"])),
        version=draw(st.sampled_from(["1", "2.0"])),
        bands=BandPolicy(green_from=green, yellow_from=draw(st.floats(1, green - 0.5)),
                         hysteresis=draw(st.sampled_from([0.0, 10.0]) | st.floats(0, 100)),
                         drop_margin=draw(st.sampled_from([0.0, 3.0]) | st.floats(0, 100))),
        red_component_makes_red=draw(st.booleans()),
        pulse=PulsePolicy(mode=draw(st.sampled_from(list(PulseMode))), weight=draw(weights)),
    )


@st.composite
def pulses(draw: st.DrawFn, as_of: date) -> Pulse:
    """A pulse assessed on or before ``as_of``, valid or expired on it."""
    assessed = as_of - timedelta(days=draw(st.integers(0, 120)))
    return Pulse(
        draw(points),
        author=draw(st.sampled_from(["aiko", "ben"])),
        reason=draw(st.sampled_from(["champion left", "great QBR"])),
        assessed_on=assessed,
        expires_on=assessed + timedelta(days=draw(st.integers(0, 120))),
    )


def value_in(scoring: Scoring, share: float) -> float | None:
    """A raw value the scoring accepts, chosen by ``share`` in [0, 1] (``None`` if none found)."""
    if isinstance(scoring, Bands):
        band = scoring.bands[min(len(scoring.bands) - 1, int(share * len(scoring.bands)))]
        if band.lower is not None and band.upper is not None:
            return (band.lower + band.upper) / 2
        if band.lower is not None:
            return band.lower + 1
        if band.upper is not None:
            return band.upper - 1
        return share
    if isinstance(scoring, Linear):
        x = (share * 100 - scoring.intercept) / scoring.slope
        result = scoring.intercept + scoring.slope * x
        return x if 0 <= result <= 100 else None
    return scoring.worst + share * (scoring.best - scoring.worst) * 1.5


@st.composite
def snapshots_for(draw: st.DrawFn, model: HealthModel) -> AccountSnapshot:
    """A snapshot whose signals each component accepts (some left out, some with an age)."""
    signals: dict[str, float] = {}
    for component in model.components:
        if not draw(st.booleans()):
            continue
        value = value_in(component.scoring, draw(st.floats(0, 1)))
        if value is not None:
            signals[component.signal] = value
            if draw(st.booleans()):
                signals[component.signal + "_age_days"] = float(draw(st.integers(0, 400)))
    return AccountSnapshot("acct", "SMB", draw(dates), signals=signals, parent_id=draw(st.none() | st.just("group")))
