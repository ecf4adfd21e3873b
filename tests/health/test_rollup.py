"""Roll-up of child accounts' health: mean, ARR-weighted, worst-of."""



from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from postsale import AccountSnapshot, HealthBand, InvalidTypeError, InvalidValueError, UnknownNameError
from postsale.health import (
    BandPolicy,
    Component,
    HealthModel,
    Linear,
    RollUpMethod,
    roll_up_health,
)

MODEL = HealthModel((Component("s", "s", Linear(), weight=1),), name="m", version="1", red_component_makes_red=True)


def child(account: str, value: float, parent: str | None = "group", on: date = date(2026, 1, 31)):  # type: ignore[no-untyped-def]
    return MODEL.score(AccountSnapshot(account, "SMB", on, signals={"s": value}, parent_id=parent))


KIDS = [child("a", 90), child("b", 60), child("c", 30)]
ARR = {"a": Decimal("100000"), "b": Decimal("50000"), "c": 50000}


def test_mean():
    """MEAN gives every child the same weight."""
    result = roll_up_health("group", KIDS)
    assert (60.0, HealthBand.YELLOW, RollUpMethod.MEAN, "c") == (result.value, result.band, result.method, result.worst)
    assert [pytest.approx(1 / 3)] * 3 == [c.weight for c in result.children]


def test_arr_weighted():
    """ARR_WEIGHTED weights each child by its ARR."""
    result = roll_up_health("group", KIDS, method=RollUpMethod.ARR_WEIGHTED, arr=ARR)
    assert (67.5, HealthBand.YELLOW, [0.5, 0.25, 0.25]) == (result.value, result.band,
                                                              [c.weight for c in result.children])
    assert Decimal(50000) == result.children[2].arr


def test_worst_of():
    """WORST_OF takes the sickest child."""
    result = roll_up_health("group", KIDS, method="worst_of")  # type: ignore[arg-type]
    assert (30.0, HealthBand.RED, "c", [0.0, 0.0, 1.0]) == (result.value, result.band, result.worst,
                                                            [c.weight for c in result.children])


def test_worst_by_band_first():
    """The worst child is the lowest band first: a forced-RED child beats a lower YELLOW score."""
    forced = HealthModel(
        (Component("s", "s", Linear(), weight=1), Component("t", "t", Linear(), weight=1)),
        name="m", version="1", red_component_makes_red=True,
    ).score(AccountSnapshot("f", "SMB", date(2026, 1, 31), signals={"s": 100, "t": 30}, parent_id="group"))
    result = roll_up_health("group", [forced, child("y", 45)], method=RollUpMethod.WORST_OF)
    assert ("f", HealthBand.RED, 65.0) == (result.worst, result.band, result.value)


def test_custom_bands():
    """The rolled-up value is banded with the cut-offs given."""
    assert HealthBand.RED == roll_up_health("group", KIDS, bands=BandPolicy(green_from=80, yellow_from=61)).band


def test_as_of_latest_child():
    """The roll-up is dated by its latest child."""
    result = roll_up_health("group", [child("a", 1, on=date(2026, 1, 1)), child("b", 1, on=date(2026, 2, 1))])
    assert date(2026, 2, 1) == result.as_of


def test_explain_arr_weighted():
    """explain() lists each child's ARR weight and the worst child."""
    assert [
        "Health 67.5 (YELLOW) for group: ARR-weighted mean of 3 child accounts.",
        "a: 90.0 (GREEN) weighted 50.0% by ARR 100000.",
        "b: 60.0 (YELLOW) weighted 25.0% by ARR 50000.",
        "c: 30.0 (RED) weighted 25.0% by ARR 50000.",
        "Worst child: c at 30.0 (RED).",
    ] == roll_up_health("group", KIDS, method=RollUpMethod.ARR_WEIGHTED, arr=ARR).explain()


def test_explain_worst_of():
    """explain() names the method."""
    assert "Health 30.0 (RED) for group: worst of 3 child accounts." == roll_up_health(
        "group", KIDS, method=RollUpMethod.WORST_OF
    ).explain()[0]


def test_no_children_refused():
    """An empty roll-up is refused."""
    with pytest.raises(InvalidValueError) as exc:
        roll_up_health("group", [])
    assert "children" == exc.value.field


def test_child_of_other_parent_refused():
    """A child of another parent is refused, naming it."""
    with pytest.raises(InvalidValueError) as exc:
        roll_up_health("group", [child("a", 1), child("z", 1, parent="other")])
    assert ("children[1].parent_id", "z") == (exc.value.field, exc.value.value)


def test_duplicate_child_refused():
    """A child given twice is refused."""
    with pytest.raises(InvalidValueError, match="twice"):
        roll_up_health("group", [child("a", 1), child("a", 2)])


def test_not_a_score_refused():
    """Children must be health scores."""
    with pytest.raises(InvalidTypeError) as exc:
        roll_up_health("group", [50])  # type: ignore[list-item]
    assert "children[0]" == exc.value.field


def test_arr_required():
    """ARR_WEIGHTED without ARR is refused."""
    with pytest.raises(InvalidValueError) as exc:
        roll_up_health("group", KIDS, method=RollUpMethod.ARR_WEIGHTED)
    assert "arr" == exc.value.field


def test_arr_missing_for_child():
    """Every child needs an ARR."""
    with pytest.raises(InvalidValueError) as exc:
        roll_up_health("group", KIDS, method=RollUpMethod.ARR_WEIGHTED, arr={"a": 1, "b": 1})
    assert "arr['c']" == exc.value.field


def test_arr_negative_refused():
    """Negative ARR is refused."""
    with pytest.raises(InvalidValueError) as exc:
        roll_up_health("group", KIDS, method=RollUpMethod.ARR_WEIGHTED, arr={"a": 1, "b": 1, "c": -1})
    assert "arr['c']" == exc.value.field


def test_arr_all_zero_refused():
    """All-zero ARR cannot weight anything."""
    with pytest.raises(InvalidValueError, match="zero for every child"):
        roll_up_health("group", KIDS, method=RollUpMethod.ARR_WEIGHTED, arr={"a": 0, "b": 0, "c": 0})


def test_unknown_method_refused():
    """An unknown method is refused with the known ones."""
    with pytest.raises(UnknownNameError, match="MEAN, ARR_WEIGHTED, WORST_OF"):
        roll_up_health("group", KIDS, method="median")  # type: ignore[arg-type]


def test_blank_parent_refused():
    """The parent id must be given."""
    with pytest.raises(InvalidValueError) as exc:
        roll_up_health(" ", KIDS)
    assert "parent_id" == exc.value.field
