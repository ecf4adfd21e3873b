"""Change attribution between two health scores of one account."""



from __future__ import annotations

from datetime import date

import pytest

from postsale import AccountSnapshot, HealthBand, InvalidTypeError, InvalidValueError, OutOfOrderError
from postsale.health import (
    Component,
    HealthModel,
    Linear,
    Pulse,
    PulseMode,
    PulsePolicy,
    attribute_change,
)

JAN, FEB = date(2026, 1, 31), date(2026, 2, 28)
MODEL = HealthModel(
    (Component("usage", "usage", Linear(), weight=2), Component("nps", "nps", Linear(slope=10), weight=1),
     Component("sentiment", "sentiment", Linear(), weight=1)),
    name="m", version="1", pulse=PulsePolicy(mode=PulseMode.OVERRIDE),
)


def score(on: date, account: str = "acme", pulse: Pulse | None = None, **values: float):  # type: ignore[no-untyped-def]
    return MODEL.score(AccountSnapshot(account, "SMB", on, signals=values), pulse=pulse)


def test_moves_sum_to_change():
    """The components' moves add up to the change of the score."""
    change = attribute_change(score(JAN, usage=90, nps=8, sentiment=70), score(FEB, usage=50, nps=8, sentiment=60))
    assert (82.5, 60.0, -22.5) == (change.value_before, change.value_after, change.delta)
    assert pytest.approx(change.delta) == sum(m.delta for m in change.moves)


def test_moves_largest_first():
    """Moves are sorted by size, with points before and after."""
    change = attribute_change(score(JAN, usage=90, nps=8, sentiment=70), score(FEB, usage=50, nps=8, sentiment=60))
    assert [("usage", -20.0, -40.0), ("sentiment", -2.5, -10.0), ("nps", 0.0, 0.0)] == [
        (m.name, m.delta, m.points_delta) for m in change.moves
    ]


def test_band_change_reported():
    """The change knows the bands on both dates."""
    change = attribute_change(score(JAN, usage=90, nps=8, sentiment=70), score(FEB, usage=50, nps=8, sentiment=60))
    assert (HealthBand.GREEN, HealthBand.YELLOW, True) == (change.band_before, change.band_after, change.band_changed)


def test_component_leaving_moves_by_its_contribution():
    """A component that lost its data moves the score by its former contribution; others take its share."""
    change = attribute_change(score(JAN, usage=40, nps=10, sentiment=40), score(FEB, usage=40, sentiment=40))
    moves = {m.name: m for m in change.moves}
    assert (-25.0, None, 100.0, None) == (moves["nps"].delta, moves["nps"].points_after, moves["nps"].points_before,
                                         moves["nps"].points_delta)
    assert (0.5, 2 / 3) == (moves["usage"].share_before, pytest.approx(moves["usage"].share_after))
    assert pytest.approx(change.delta) == sum(m.delta for m in change.moves)


def test_override_effect_separated():
    """A CSM override is reported as its own effect; moves still explain the computed part."""
    pulse = Pulse(10, author="aiko", reason="exec left", assessed_on=FEB, expires_on=FEB)
    change = attribute_change(score(JAN, usage=80, nps=8, sentiment=80), score(FEB, pulse=pulse, usage=80, nps=8,
                                                                              sentiment=80))
    assert (-70.0, -70.0, 0.0) == (change.delta, change.override_effect, sum(m.delta for m in change.moves))


def test_model_change_noted():
    """Scores from different model versions are compared, and the model change is said."""
    other = HealthModel(MODEL.components, name="m", version="2")
    before = score(JAN, usage=50)
    after = other.score(AccountSnapshot("acme", "SMB", FEB, signals={"usage": 50}))
    assert "The model changed from m v1 to m v2; part of the move comes from it." in attribute_change(
        before, after
    ).explain()


def test_same_date_allowed():
    """Two scores on the same date (e.g. before and after a model change) can be compared."""
    assert 0.0 == attribute_change(score(JAN, usage=50), score(JAN, usage=50)).delta


def test_explain_sentences():
    """explain() says the overall move, each component's move, and what stayed still."""
    change = attribute_change(score(JAN, usage=90, nps=8, sentiment=70), score(FEB, usage=50, nps=8, sentiment=60))
    assert [
        "Health of acme fell 22.5 points from 82.5 (GREEN) on 2026-01-31 to 60.0 (YELLOW) on 2026-02-28.",
        "Usage moved it -20.0 points: went from 90.0 to 50.0 points.",
        "Sentiment moved it -2.5 points: went from 70.0 to 60.0 points.",
        "Unchanged: nps.",
    ] == change.explain()


def test_explain_entering_leaving_and_share():
    """explain() describes components entering, leaving, and only changing share."""
    change = attribute_change(score(JAN, usage=40, nps=10), score(FEB, usage=40, sentiment=100))
    assert [
        "Health of acme held from 60.0 (YELLOW) on 2026-01-31 to 60.0 (YELLOW) on 2026-02-28.",
        "NPS moved it -33.3 points: left the score (was 100.0 points); its weight went to the others.",
        "Sentiment moved it +33.3 points: entered the score at 100.0 points.",
        "Unchanged: usage.",
    ] == change.explain()
    change2 = attribute_change(score(JAN, usage=40, nps=10), score(FEB, usage=40))
    assert "Usage moved it +13.3 points: kept 40.0 points; its share changed from 66.7% to 100.0%." in (
        change2.explain()
    )


def test_explain_rise_and_override():
    """A rise reads "rose"; an override effect gets its own sentence."""
    pulse = Pulse(95, author="aiko", reason="renewed early", assessed_on=FEB, expires_on=FEB)
    lines = attribute_change(score(JAN, usage=80), score(FEB, pulse=pulse, usage=80)).explain()
    assert lines[0].startswith("Health of acme rose 15.0 points")
    assert "The CSM's override moved it +15.0 points." in lines


def test_explain_everything_moved():
    """When every component moved, no "Unchanged" sentence is added."""
    before, after = score(JAN, usage=80, nps=8, sentiment=80), score(FEB, usage=70, nps=7, sentiment=70)
    lines = attribute_change(before, after).explain()
    assert (4, False) == (len(lines), any(line.startswith("Unchanged") for line in lines))


def test_other_account_refused():
    """Two different accounts cannot be compared."""
    with pytest.raises(InvalidValueError) as exc:
        attribute_change(score(JAN, usage=1), score(FEB, "other", usage=1))
    assert "after.account_id" == exc.value.field


def test_out_of_order_refused():
    """The earlier score must come first."""
    with pytest.raises(OutOfOrderError) as exc:
        attribute_change(score(FEB, usage=1), score(JAN, usage=1))
    assert "before.as_of" == exc.value.field


def test_not_a_score_refused():
    """Arguments must be health scores."""
    with pytest.raises(InvalidTypeError) as exc:
        attribute_change(score(JAN, usage=1), 50)  # type: ignore[arg-type]
    assert "after" == exc.value.field
