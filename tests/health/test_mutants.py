"""The health context's contract, pinned where mutation testing (scripts/mutation.py health) found it unpinned:
which field an error names, the words of its hint, and the stale part of a composite in the value alone."""

from __future__ import annotations

from datetime import date

import attrs
import pytest

from postsale import AccountSnapshot, InvalidTypeError, InvalidValueError, UnknownNameError
from postsale.health import (
    BASIC_HEALTH_MODEL,
    Bands,
    Component,
    Composite,
    HealthModel,
    MissingData,
    attribute_change,
    roll_up_health,
)
from postsale.health._change import ComponentMove

DAY = date(2026, 1, 31)


def _kids() -> list:
    snaps = [AccountSnapshot(n, "SMB", DAY, parent_id="group", signals={"sentiment": s})
             for n, s in (("a", 80), ("b", 30))]
    return [BASIC_HEALTH_MODEL.score(s) for s in snaps]


def test_a_move_names_the_share_after_it_refuses() -> None:
    with pytest.raises(InvalidValueError) as caught:
        ComponentMove("usage", 50.0, 60.0, 0.5, float("nan"), 25.0, 30.0)
    assert caught.value.field == "share_after"


def test_attribute_change_refuses_what_is_not_a_score_in_words() -> None:
    with pytest.raises(InvalidTypeError, match="expected a HealthScore") as caught:
        attribute_change(_kids()[0], "after")
    assert (caught.value.field, caught.value.hint) == ("after", "pass model.score(...)")


def test_a_stale_part_of_a_composite_is_left_out_of_the_value_as_of_the_score() -> None:
    """The value alone reads each part's age: a stale part is left out exactly as in the full score."""
    parts = (Component("tickets", "tickets", Bands.thresholds(below=100, at_least=[(5, 20)]), weight=0.5,
                       missing=MissingData(stale_after_days=30)),
             Component("nps", "nps", Bands.thresholds(below=0, at_least=[(7, 100)]), weight=0.5))
    model = HealthModel((Composite("relationship", parts, weight=1.0),), name="m", version="1")
    fresh = AccountSnapshot("a", "SMB", DAY, signals={"tickets": 9, "nps": 9})
    stale = AccountSnapshot("a", "SMB", DAY, signals={"tickets": 9, "nps": 9, "tickets_age_days": 45})
    assert model.value(fresh) == model.score(fresh).value == 60.0
    assert model.value(stale) == model.score(stale).value == 100.0


def test_a_pulse_that_is_not_a_pulse_is_refused_with_how_to_build_one() -> None:
    with pytest.raises(InvalidTypeError) as caught:
        BASIC_HEALTH_MODEL.score(AccountSnapshot("a", "SMB", DAY), pulse="GREEN")  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.hint) == ("pulse", "build one with Pulse(...)")


def test_score_many_refuses_observed_that_is_not_a_mapping_saying_it_goes_by_account() -> None:
    with pytest.raises(InvalidTypeError) as caught:
        BASIC_HEALTH_MODEL.score_many([], observed=[1])  # type: ignore[arg-type]
    assert caught.value.field == "observed"
    assert "account" in (caught.value.hint or "")


def test_a_roll_up_names_the_method_and_the_repeated_child() -> None:
    with pytest.raises(UnknownNameError) as caught:
        roll_up_health("group", _kids(), method="MEDIAN")  # type: ignore[arg-type]
    assert caught.value.field == "method"
    with pytest.raises(InvalidValueError) as caught:
        roll_up_health("group", [*_kids(), _kids()[0]])
    assert (caught.value.field, caught.value.hint) == (
        "children[2].account_id", "pass only the latest score of each child")


def test_a_roll_up_whose_worst_is_no_child_or_method_unknown_names_it() -> None:
    group = roll_up_health("group", _kids())
    with pytest.raises(UnknownNameError) as caught:
        attrs.evolve(group, method="MEDIAN")
    assert caught.value.field == "method"
    with pytest.raises(InvalidValueError) as caught:
        attrs.evolve(group, worst="zed")
    assert (caught.value.field, caught.value.value) == ("worst", "zed")


def test_a_score_with_a_bad_account_id_or_points_off_the_scale_names_them() -> None:
    score = _kids()[0]
    with pytest.raises(InvalidValueError) as caught:
        attrs.evolve(score, account_id=5)  # a wrong type takes the full check
    assert caught.value.field == "account_id"
    with pytest.raises(InvalidValueError) as caught:
        attrs.evolve(score, value=101.0)
    assert (caught.value.field, caught.value.constraint) == ("value", "0 <= points <= 100")
