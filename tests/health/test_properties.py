"""Properties of health scores: monotone in each component, shares and contributions add up, bands match."""



from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from postsale import AccountSnapshot, HealthBand
from postsale.health import (
    HealthModel,
    Linear,
    NoHealthDataError,
    PulseMode,
    PulsePolicy,
    PulseStatus,
)
from tests.strategies.health import bounded_scorings, health_models, pulses, snapshots_for

AS_OF = date(2026, 3, 31)
identity = st.just(Linear())
increasing = st.one_of(
    identity,
    bounded_scorings.filter(lambda s: s.best > s.worst),
)


def score_or_skip(model: HealthModel, snapshot: AccountSnapshot, **kwargs: object):  # type: ignore[no-untyped-def]
    try:
        return model.score(snapshot, **kwargs)  # type: ignore[arg-type]
    except NoHealthDataError:
        assume(False)
        raise


@given(st.data())
def test_monotone_in_each_component_points(data):
    """Raising one component's points never lowers the score nor the band (identity scorings: points = input)."""
    model = data.draw(health_models(identity))
    values = {c.signal: data.draw(st.floats(0, 100)) for c in model.components}
    target = data.draw(st.sampled_from(model.components))
    higher = dict(values, **{target.signal: data.draw(st.floats(values[target.signal], 100))})
    pulse = data.draw(st.none() | pulses(AS_OF))
    low = model.score(AccountSnapshot("a", "SMB", AS_OF, signals=values), pulse=pulse)
    high = model.score(AccountSnapshot("a", "SMB", AS_OF, signals=higher), pulse=pulse)
    assert high.value >= low.value - 1e-9
    assert high.computed_value >= low.computed_value - 1e-9
    assert high.band >= low.band or math.isclose(high.value, low.value, abs_tol=1e-9)


@given(st.data())
def test_monotone_in_raw_signal_for_increasing_scorings(data):
    """With increasing scorings, a higher raw signal never lowers the score."""
    model = data.draw(health_models(increasing))
    values = {c.signal: data.draw(st.floats(-1e3, 1e3)) for c in model.components if not isinstance(c.scoring, Linear)}
    values |= {c.signal: data.draw(st.floats(0, 100)) for c in model.components if isinstance(c.scoring, Linear)}
    target = data.draw(st.sampled_from(model.components))
    ceiling = 100.0 if isinstance(target.scoring, Linear) else 2e3
    higher = dict(values, **{target.signal: data.draw(st.floats(values[target.signal], ceiling))})
    low = model.score(AccountSnapshot("a", "SMB", AS_OF, signals=values))
    high = model.score(AccountSnapshot("a", "SMB", AS_OF, signals=higher))
    assert high.value >= low.value - 1e-9


@given(st.data())
def test_shares_and_contributions_add_up(data):
    """Shares sum to 1 and contributions to the computed score, which stays within 0-100."""
    model = data.draw(health_models())
    snapshot = data.draw(snapshots_for(model))
    score = score_or_skip(model, snapshot, pulse=data.draw(st.none() | pulses(snapshot.as_of)))
    assert pytest.approx(1.0) == math.fsum(r.share for r in score.components)
    assert pytest.approx(score.computed_value, abs=1e-6) == math.fsum(r.contribution for r in score.components)
    assert 0 <= score.value <= 100
    assert 0 <= score.coverage <= 1


@given(st.data())
def test_band_matches_value_unless_forced_or_overridden(data):
    """The band is the value's band, except RED forced by a RED component."""
    model = data.draw(health_models())
    snapshot = data.draw(snapshots_for(model))
    score = score_or_skip(model, snapshot, pulse=data.draw(st.none() | pulses(snapshot.as_of)))
    assert score.band == model.bands.band(score.value) or (score.forced_red_by and score.band is HealthBand.RED)
    if score.pulse_status is not PulseStatus.OVERRIDE:
        assert (score.value, score.band) == (score.computed_value, score.computed_band)


@given(st.data())
def test_excluded_components_have_no_share(data):
    """Components left out carry no points, share or contribution."""
    model = data.draw(health_models())
    score = score_or_skip(model, data.draw(snapshots_for(model)))
    for result in score.components:
        if result.points is None:
            assert (0.0, 0.0, None) == (result.share, result.contribution, result.band)


@given(st.data())
def test_override_value_is_pulse(data):
    """A valid override makes the value the pulse's points and keeps the computed score."""
    model = data.draw(health_models())
    snapshot = data.draw(snapshots_for(model))
    override = HealthModel(model.components, name="o", version="1", pulse=PulsePolicy(mode=PulseMode.OVERRIDE))
    pulse = data.draw(pulses(snapshot.as_of))
    assume(pulse.is_valid_on(snapshot.as_of))
    score = score_or_skip(override, snapshot, pulse=pulse)
    plain = score_or_skip(model, snapshot)
    assert (pulse.points, plain.computed_value) == (score.value, score.computed_value)

