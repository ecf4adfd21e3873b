"""The CSM's manual assessment (pulse): as a component, an override, or beside; dropped once expired."""



from __future__ import annotations

import math
from datetime import date

import pytest

from postsale import AccountSnapshot, HealthBand, InvalidTypeError, InvalidValueError
from postsale.health import (
    BAND_PULSE_POINTS,
    BASIC_HEALTH_MODEL,
    PULSE,
    Component,
    Freshness,
    HealthModel,
    Linear,
    Pulse,
    PulseMode,
    PulsePolicy,
    PulseStatus,
    Treatment,
)

AS_OF = date(2026, 3, 31)


def pulse(points: float = 20, *, expires_on: date = date(2026, 4, 30), assessed_on: date = date(2026, 3, 1)) -> Pulse:
    return Pulse(points, author="aiko", reason="champion left", assessed_on=assessed_on, expires_on=expires_on)


def model(mode: PulseMode, weight: float = 1.0) -> HealthModel:
    return HealthModel(
        (Component("a", "a", Linear(), weight=1), Component("b", "b", Linear(), weight=1)),
        name="m", version="1", pulse=PulsePolicy(mode=mode, weight=weight),
    )


SNAP = AccountSnapshot("acme", "SMB", AS_OF, signals={"a": 80, "b": 80})


def test_pulse_fields():
    """A pulse carries points, author, reason, assessment date and expiry."""
    p = pulse()
    assert (20, "aiko", "champion left", date(2026, 3, 1), date(2026, 4, 30)) == (
        p.points, p.author, p.reason, p.assessed_on, p.expires_on
    )


@pytest.mark.parametrize(("field", "kwargs"), [
    ("points", {"points": 101}),
    ("points", {"points": -1}),
    ("author", {"author": " "}),
    ("reason", {"reason": ""}),
    ("expires_on", {"expires_on": date(2026, 2, 28)}),
])
def test_pulse_validation(field, kwargs):
    """Bad pulse fields are refused, naming the field."""
    values = {"points": 50, "author": "aiko", "reason": "r", "assessed_on": date(2026, 3, 1),
              "expires_on": date(2026, 3, 2)} | kwargs
    points = values.pop("points")
    with pytest.raises(InvalidValueError) as exc:
        Pulse(points, **values)
    assert field == exc.value.field


def test_pulse_nan_refused():
    """A NaN pulse is refused."""
    with pytest.raises(InvalidValueError, match="finite"):
        pulse(math.nan)


def test_pulse_datetime_refused():
    """A datetime is not a calendar date."""
    from datetime import datetime

    with pytest.raises(InvalidTypeError):
        Pulse(1, author="a", reason="r", assessed_on=datetime(2026, 1, 1), expires_on=date(2026, 2, 1))  # type: ignore[arg-type]


def test_pulse_valid_through_expiry_inclusive():
    """A pulse counts on its expiry date and not the day after."""
    p = pulse(expires_on=AS_OF)
    assert (True, False, False) == (p.is_valid_on(AS_OF), p.is_valid_on(date(2026, 4, 1)),
                                    p.is_valid_on(date(2026, 2, 28)))


def test_pulse_from_band():
    """A pulse given as a band stands for that band's middle points."""
    points = [Pulse.from_band(b, author="a", reason="r", assessed_on=AS_OF, expires_on=AS_OF).points
              for b in HealthBand]
    assert [BAND_PULSE_POINTS[b] for b in HealthBand] == points
    assert [HealthBand.RED, HealthBand.YELLOW, HealthBand.GREEN] == [BASIC_HEALTH_MODEL.bands.band(p) for p in points]


def test_pulse_as_component():
    """In COMPONENT mode a valid pulse is one more weighted component."""
    score = model(PulseMode.COMPONENT, weight=2).score(SNAP, pulse=pulse(20))
    row = score.component(PULSE)
    assert (50.0, PulseStatus.COMPONENT, 0.5, Treatment.SCORED, 30.0) == (
        score.value, score.pulse_status, row.share, row.treatment, row.age_days
    )


def test_expired_pulse_component_dropped_and_weight_redistributed():
    """The day after expiry the pulse is dropped and its weight shared among the others."""
    on_expiry = model(PulseMode.COMPONENT, weight=2).score(SNAP, pulse=pulse(20, expires_on=AS_OF))
    after = model(PulseMode.COMPONENT, weight=2).score(SNAP, pulse=pulse(20, expires_on=date(2026, 3, 30)))
    row = after.component(PULSE)
    assert (50.0, 80.0, PulseStatus.EXPIRED, Freshness.STALE, Treatment.EXCLUDED, 0.0) == (
        on_expiry.value, after.value, after.pulse_status, row.freshness, row.treatment, row.share
    )


def test_pulse_override_keeps_computed_beside():
    """An override replaces value and band but the computed score stays visible."""
    score = model(PulseMode.OVERRIDE).score(SNAP, pulse=pulse(20))
    assert (20.0, HealthBand.RED, 80.0, HealthBand.GREEN, True) == (
        score.value, score.band, score.computed_value, score.computed_band, score.overridden
    )


def test_expired_override_ignored():
    """An expired override no longer changes the score."""
    score = model(PulseMode.OVERRIDE).score(SNAP, pulse=pulse(20, expires_on=date(2026, 3, 30)))
    assert (80.0, PulseStatus.EXPIRED, False) == (score.value, score.pulse_status, score.overridden)


def test_pulse_beside_changes_nothing():
    """In BESIDE mode the pulse is carried and shown but not counted."""
    score = model(PulseMode.BESIDE).score(SNAP, pulse=pulse(20))
    assert (80.0, PulseStatus.BESIDE, ("a", "b")) == (
        score.value, score.pulse_status, tuple(r.name for r in score.components)
    )


def test_pulse_alone_keeps_score_alive():
    """A valid pulse component scores an account with no other data."""
    score = BASIC_HEALTH_MODEL.score(AccountSnapshot("x", "SMB", AS_OF), pulse=pulse(30))
    assert (30.0, HealthBand.RED, 0.0) == (score.value, score.band, score.coverage)


def test_default_model_counts_pulse_as_fifth_voice():
    """The default model counts a valid pulse as a component of weight 0.25."""
    snapshot = AccountSnapshot("x", "SMB", AS_OF, seats_purchased=10, seats_active=10,
                               signals={"nps": 10, "sentiment": 100, "business_context": 100})
    assert 84.0 == BASIC_HEALTH_MODEL.score(snapshot, pulse=pulse(20)).value


def test_pulse_from_the_future_refused():
    """A pulse assessed after the snapshot date is refused."""
    with pytest.raises(InvalidValueError) as exc:
        model(PulseMode.COMPONENT).score(SNAP, pulse=pulse(assessed_on=date(2026, 4, 1)))
    assert "pulse.assessed_on" == exc.value.field


def test_pulse_wrong_type_refused():
    """A number is not a pulse."""
    with pytest.raises(InvalidTypeError) as exc:
        model(PulseMode.COMPONENT).score(SNAP, pulse=20)  # type: ignore[arg-type]
    assert "pulse" == exc.value.field
