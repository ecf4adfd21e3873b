"""HealthScore.explain(), drivers() and component lookup."""



from __future__ import annotations

from datetime import date

import pytest

from postsale import AccountSnapshot, UnknownNameError
from postsale.health import (
    Component,
    HealthModel,
    Linear,
    MissingAction,
    MissingData,
    Pulse,
    PulseMode,
    PulsePolicy,
)

AS_OF = date(2026, 3, 31)
PULSE = Pulse(20, author="aiko", reason="champion left", assessed_on=date(2026, 3, 1), expires_on=date(2026, 4, 30))


def model(mode: PulseMode = PulseMode.BESIDE, **options: object) -> HealthModel:
    return HealthModel(
        (
            Component("usage", "usage", Linear(), weight=2),
            Component("nps", "nps", Linear(slope=10), weight=1,
                      missing=MissingData(action=MissingAction.PENALISE, penalty_points=10, stale_after_days=90)),
            Component("sentiment", "sentiment", Linear(), weight=1, missing=MissingData(stale_after_days=90)),
        ),
        name="ops", version="3", pulse=PulsePolicy(mode=mode), **options,  # type: ignore[arg-type]
    )


def snap(**values: float) -> AccountSnapshot:
    return AccountSnapshot("acme", "MID_MARKET", AS_OF, signals=values)


def test_explain_drivers_in_order_of_influence():
    """Drivers come largest influence first, saying whether they pulled the score down or held it up."""
    assert [
        "Health 57.5 (YELLOW) for acme on 2026-03-31, model ops v3.",
        "Usage held it up: usage = 80, rule usage → 80 points; share 50.0%, contributing 40.0 points.",
        "NPS pulled it down: nps = 2, rule 10 * nps → 20 points; share 25.0%, contributing 5.0 points.",
        "Sentiment pulled it down: sentiment = 50, rule sentiment → 50 points; share 25.0%, contributing 12.5 points.",
    ] == model().score(snap(usage=80, nps=2, sentiment=50)).explain()


def test_explain_missing_penalised_and_stale():
    """Penalised and excluded components are explained with the reason."""
    lines = model().score(snap(usage=80, sentiment=60, sentiment_age_days=91)).explain()
    assert [
        "Health 56.7 (YELLOW) for acme on 2026-03-31, model ops v3.",
        "Usage held it up: usage = 80, rule usage → 80 points; share 66.7%, contributing 53.3 points.",
        "NPS was penalised (no 'nps' signal): 10 points; share 33.3%, contributing 3.3 points.",
        "Sentiment was left out: 'sentiment' is stale (91 days old, stale after 90 days); "
        "its weight was shared among the others.",
        "Data covered 50% of the model's weight.",
    ] == lines


def test_explain_matched():
    """A component equal to the score "matched it"."""
    assert "Usage matched it" in model().score(snap(usage=50, nps=5, sentiment=50)).explain()[1]


def test_explain_forced_red():
    """The any-RED rule is explained with the component that forced it."""
    lines = model(red_component_makes_red=True).score(snap(usage=100, nps=10, sentiment=30)).explain()
    assert ("Band forced to RED (computed GREEN at 82.5) because sentiment scored RED; "
            "rule: any RED component makes the whole RED.") == lines[-1]


def test_explain_override_shows_computed():
    """An override says it is the CSM's and gives the computed score beside it."""
    lines = model(PulseMode.OVERRIDE).score(snap(usage=80, nps=8), pulse=PULSE).explain()
    assert "This is the CSM's assessment; computed from the data it would be 80.0 (GREEN)." == lines[1]
    assert ('CSM assessment by aiko on 2026-03-01: 20 points ("champion left", valid through 2026-04-30): '
            "overrides the computed score.") == lines[-1]


@pytest.mark.parametrize(
    ("mode", "expires", "tail"),
    [
        (PulseMode.BESIDE, date(2026, 4, 30), "shown beside the computed score, not counted."),
        (PulseMode.COMPONENT, date(2026, 4, 30), "counted as a component."),
        (PulseMode.COMPONENT, date(2026, 3, 30), "expired, so dropped."),
    ],
)
def test_explain_pulse_status(mode, expires, tail):
    """The pulse sentence says how it was used."""
    pulse = Pulse(20, author="aiko", reason="r", assessed_on=date(2026, 3, 1), expires_on=expires)
    assert model(mode).score(snap(usage=80), pulse=pulse).explain()[-1].endswith(tail)


def test_explain_expired_pulse_component_left_out():
    """An expired pulse component is listed as left out, with its expiry."""
    pulse = Pulse(20, author="aiko", reason="r", assessed_on=date(2026, 3, 1), expires_on=date(2026, 3, 30))
    assert ("Pulse was left out: the CSM assessment by aiko expired on 2026-03-30; "
            "its weight was shared among the others.") in model(PulseMode.COMPONENT).score(
        snap(usage=80), pulse=pulse).explain()


def test_drivers_exclude_left_out():
    """drivers() lists only components that entered the score."""
    assert ["usage", "nps"] == [r.name for r in model().score(snap(usage=80)).drivers()]


def test_component_unknown():
    """Looking up an unknown component names the known ones."""
    with pytest.raises(UnknownNameError, match="usage, nps, sentiment"):
        model().score(snap(usage=1)).component("logins")
