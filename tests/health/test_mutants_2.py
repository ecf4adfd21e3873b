"""The health context's second mutation sample (seed 20, docs/mutation.md): refusals word for word, the plain-data
hooks, and values converted when a score is rebuilt.

Equivalent survivors of that sample:

* ``ComponentResult``'s fast check with ``and`` for ``or`` on ``age_days``: a number then takes the full check,
  which accepts it the same.
* ``float("INF")`` for ``float("inf")``: the same infinity.
"""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest

from postsale import AccountSnapshot, InvalidTypeError, InvalidValueError, StructureError, UnknownNameError, to_data
from postsale._columnar import Env
from postsale._convert import converter
from postsale.health import (
    BASIC_HEALTH_MODEL,
    DEFAULT_HEALTH_MODEL,
    BoundedLinear,
    Composite,
    Pulse,
    attribute_change,
    roll_up_health,
)
from postsale.health._score import PulseStatus
from postsale.health._serialization import _flat_hook, _setup
from postsale.health._treatment import _shown

DAY = date(2026, 1, 31)


def _kids() -> list:
    snaps = [AccountSnapshot(n, "SMB", DAY, parent_id="group", signals={"sentiment": s})
             for n, s in (("a", 80), ("b", 30))]
    return [BASIC_HEALTH_MODEL.score(s) for s in snaps]


def test_roll_up_refusals_say_what_and_what_to_do() -> None:
    with pytest.raises(InvalidValueError) as empty:
        roll_up_health("group", [])
    assert str(empty.value) == ("children=(): is empty; rule: at least one child score; instead: pass the scores of "
                                "the parent's child accounts")
    with pytest.raises(InvalidTypeError) as stranger:
        roll_up_health("group", [5])
    assert str(stranger.value) == ("children[0]=5: expected a HealthScore; instead: pass model.score(snapshot) for "
                                   "each child")
    with pytest.raises(InvalidValueError) as zero:
        roll_up_health("group", _kids(), method="arr_weighted", arr={"a": 0, "b": 0})
    assert str(zero.value) == ("arr={'a': 0, 'b': 0}: is zero for every child; rule: an ARR-weighted roll-up needs "
                               "some ARR; instead: use RollUpMethod.MEAN")


def test_a_pulse_that_is_not_one_or_is_from_the_future_is_refused_with_the_value() -> None:
    snap = AccountSnapshot("a", "SMB", DAY, signals={"sentiment": 70})
    with pytest.raises(InvalidTypeError) as stranger:
        BASIC_HEALTH_MODEL.score(snap, pulse=5)  # type: ignore[arg-type]
    assert (stranger.value.field, str(stranger.value)) == ("pulse", "pulse=5: expected a Pulse; instead: build one "
                                                                    "with Pulse(...)")
    later = Pulse(70, "ann", "steady", DAY + timedelta(days=1), DAY + timedelta(days=90))
    with pytest.raises(InvalidValueError) as future:
        BASIC_HEALTH_MODEL.score(snap, pulse=later)
    assert future.value.field == "pulse.assessed_on"
    assert ": is after the snapshot date; rule: a pulse must be assessed on or before as_of=2026-01-31;" in str(
        future.value)


def test_an_observation_after_the_snapshot_names_the_rule() -> None:
    snap = AccountSnapshot("a", "SMB", DAY, signals={"sentiment": 70})
    with pytest.raises(InvalidValueError) as later:
        BASIC_HEALTH_MODEL.score(snap, observed={"sentiment": DAY + timedelta(days=1)})
    assert "rule: must be on or before as_of=2026-01-31" in str(later.value)


def test_a_rebuilt_score_reads_its_pulse_status_by_name_and_checks_its_lists() -> None:
    score = _kids()[0]
    assert attrs.evolve(score, pulse_status="beside").pulse_status is PulseStatus.BESIDE
    with pytest.raises(InvalidTypeError) as refused:
        attrs.evolve(score, forced_red_by=(5,))
    assert refused.value.field == "forced_red_by[0]"


def test_a_component_and_a_composite_name_what_they_lack() -> None:
    component = BASIC_HEALTH_MODEL.components[0]
    with pytest.raises(InvalidTypeError) as refused:
        component.read(5)  # type: ignore[arg-type]
    assert refused.value.hint == "pass the snapshot's evidence(), a dict of signals"
    result = _kids()[0].components[0]
    with pytest.raises(UnknownNameError) as unknown:
        result.part("nope")
    assert str(unknown.value) == ("name='nope': is not a part of component 'product_usage'; rule: one of none: a "
                                  "one-signal component has no parts; instead: pass one of none: a one-signal "
                                  "component has no parts")
    composite = next(c for c in DEFAULT_HEALTH_MODEL.components if isinstance(c, Composite))
    with pytest.raises(UnknownNameError) as unknown:
        composite.part("nope")
    assert unknown.value.field == "name"


def test_a_change_checks_its_moves_and_a_scoring_its_expression() -> None:
    before, after = _kids()
    change = attribute_change(before, attrs.evolve(after, account_id=before.account_id))
    with pytest.raises(InvalidTypeError) as refused:
        attrs.evolve(change, moves=5)
    assert refused.value.field == "moves"
    with pytest.raises(InvalidTypeError) as not_an_expression:
        BoundedLinear(0, 10).invalid(Env(("x",), as_of=DAY), 5)  # type: ignore[arg-type]
    assert not_an_expression.value.field == "value"


def test_the_plain_data_hooks_refuse_unknown_fields_and_register_on_any_converter() -> None:
    component = BASIC_HEALTH_MODEL.components[0]
    data = {**to_data(component), "extra": 1}
    with pytest.raises(StructureError) as refused:
        _flat_hook(type(component), converter)(data, type(component))
    assert [(p.path, p.message) for p in refused.value.problems] == [("$", "unknown field(s) extra; remove them")]
    _setup(converter.copy())  # the hooks register on a converter of their own (the union of both kinds included)


def test_numbers_too_large_for_a_float_are_shown_in_scientific_notation() -> None:
    assert _shown(10**400, ".1f") == "1.000E+400"
    assert _shown(None, ".1f") == "unknown"


# ---- the fresh sample (seed 21) -------------------------------------------------------------------------------------
# Equivalent: the fast checks of ComponentResult and HealthScore (``is None`` / ``is not None``, ``in`` / ``not in``):
# whichever way they go, a value they let through to the full check is accepted or refused the same.


def test_a_composite_with_every_part_scored_reads_its_blend_as_its_input() -> None:
    signals = {"logins_week": 40.0, "logins_prev_week": 40.0, "distinct_features_used": 6.0, "nps": 8.0}
    snap = AccountSnapshot("a", "SMB", DAY, seats_purchased=10, seats_active=8, signals=signals)
    usage = DEFAULT_HEALTH_MODEL.score(snap).components[0]
    assert usage.name == "product_usage" and all(p.points is not None for p in usage.parts)
    assert usage.input == usage.points is not None


def test_more_refusals_name_their_field_show_their_value_and_say_what_to_do() -> None:
    snap = AccountSnapshot("a", "SMB", DAY, signals={"sentiment": 70})
    with pytest.raises(InvalidValueError) as observed:
        BASIC_HEALTH_MODEL.score(snap, observed=5)  # type: ignore[arg-type]
    assert str(observed.value).startswith("observed=5: must be a mapping of signal names to dates")
    later = Pulse(70, "ann", "steady", DAY + timedelta(days=1), DAY + timedelta(days=90))
    with pytest.raises(InvalidValueError) as future:
        BASIC_HEALTH_MODEL.score(snap, pulse=later)
    assert str(future.value).startswith("pulse.assessed_on=datetime.date(2026, 2, 1): ")
    with pytest.raises(InvalidValueError) as expired:
        Pulse(70, "ann", "steady", DAY, DAY - timedelta(days=1))
    assert str(expired.value).startswith("expires_on=datetime.date(2026, 1, 30): ")
    with pytest.raises(InvalidTypeError) as when:
        Pulse(70, "ann", "steady", DAY, DAY + timedelta(days=9)).is_valid_on("today")  # type: ignore[arg-type]
    assert when.value.field == "as_of"
    before, after = _kids()
    with pytest.raises(InvalidValueError) as order:
        attribute_change(attrs.evolve(after, account_id="a", as_of=DAY + timedelta(days=1)), before)
    assert str(order.value).startswith("before.as_of=")
    with pytest.raises(InvalidTypeError) as name:
        attrs.evolve(before, model_name=5)
    assert name.value.field == "model_name"


def test_an_arr_weighted_roll_up_says_which_arr_it_needs() -> None:
    kids = _kids()
    with pytest.raises(InvalidTypeError) as not_a_mapping:
        roll_up_health("group", kids, method="arr_weighted", arr=5)  # type: ignore[arg-type]
    assert (not_a_mapping.value.field, not_a_mapping.value.hint) == ("arr", "pass {account_id: ARR}")
    with pytest.raises(InvalidValueError) as missing:
        roll_up_health("group", kids, method="arr_weighted")
    assert missing.value.hint == "pass {account_id: ARR}, e.g. {s.account_id: s.acv for s in snapshots}"


def test_problem_paths_join_indexes_without_a_dot_and_the_union_hook_unstructures_each_kind() -> None:
    from postsale.health._serialization import _join

    assert (_join("$", "[0]"), _join("$", ".a"), _join("$", "a")) == ("$[0]", "$.a", "$.a")
    fresh = converter.copy()
    _setup(fresh)
    component = DEFAULT_HEALTH_MODEL.components[0]
    from postsale.health import Component

    assert fresh.unstructure(component, Component | Composite) == to_data(component)
