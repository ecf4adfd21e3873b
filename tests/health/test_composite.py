"""Composite components: one component made of several weighted signals, scored as a model scores its components."""

from __future__ import annotations

import json
import math
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import postsale
from postsale import AccountSnapshot, DefinitionError, HealthBand, InvalidTypeError, StructureError, UnknownNameError
from postsale.health import (
    BASIC_HEALTH_MODEL,
    BandPolicy,
    Bands,
    Component,
    Composite,
    Freshness,
    HealthModel,
    HealthScore,
    Linear,
    MissingAction,
    MissingData,
    NoHealthDataError,
    PartResult,
    Treatment,
    attribute_change,
)
from tests.strategies.health import missing_policies, scorings, weights

AS_OF = date(2026, 3, 31)
PENALISE = MissingData(action=MissingAction.PENALISE, penalty_points=10)


def snap(**values: float) -> AccountSnapshot:
    return AccountSnapshot("acme", "SMB", AS_OF, signals=values)


def part(name: str, weight: float = 1.0, **missing: Any) -> Component:
    """A linear part reading the signal of its own name (points = value)."""
    return Component(name, name, Linear(), weight=weight, missing=MissingData(**missing))


def usage(**options: Any) -> Composite:
    return Composite("usage", (part("seats", 2.0), part("trend", 1.0), part("breadth", 1.0)), 1.0, **options)


def model(*components: Component | Composite, **options: Any) -> HealthModel:
    return HealthModel(components, name="test", version="1", **options)


def paths(exc: pytest.ExceptionInfo[Any]) -> list[str]:
    return [p.path for p in exc.value.problems]


# ---- scoring ---------------------------------------------------------------------------------------------------


def test_points_are_the_weighted_mean_of_its_parts() -> None:
    """A composite scores the weighted mean of its parts' points; each part's share and contribution add up."""
    freshness, treatment, points, parts = usage().treat({"seats": 80.0, "trend": 40.0, "breadth": 60.0})
    assert (Freshness.FRESH, Treatment.SCORED, 65.0) == (freshness, treatment, points)
    assert [0.5, 0.25, 0.25] == [p.share for p in parts]
    assert [40.0, 10.0, 15.0] == [p.contribution for p in parts]


def test_a_missing_part_shares_its_weight_with_the_others() -> None:
    """A part without data is excluded and its weight goes to the parts that have data."""
    _, _, points, parts = usage().treat({"seats": 80.0, "breadth": 20.0})
    assert pytest.approx(60.0) == points
    assert (Treatment.EXCLUDED, None, 0.0, "no 'trend' signal") == (
        parts[1].treatment, parts[1].points, parts[1].share, parts[1].rule)


@pytest.mark.parametrize(("age", "expected"), [(30.0, 50.0), (31.0, 80.0)])
def test_a_stale_part_is_excluded_only_once_older_than_its_window(age: float, expected: float) -> None:
    """A part exactly ``stale_after_days`` old still counts; one day older it is left out."""
    composite = Composite("usage", (part("seats"), part("trend", stale_after_days=30)), 1.0)
    _, _, points, parts = composite.treat({"seats": 80.0, "trend": 20.0}, ages={"trend": age})
    assert expected == points
    assert parts[1].age_days == age


def test_a_penalised_part_scores_its_penalty() -> None:
    """A part that penalises missing data enters at its penalty points, and the composite is still SCORED."""
    composite = Composite("usage", (part("seats"), Component("trend", "trend", Linear(), 1.0, missing=PENALISE)), 1.0)
    _, treatment, points, parts = composite.treat({"seats": 90.0})
    assert (Treatment.SCORED, 50.0, Treatment.PENALISED) == (treatment, points, parts[1].treatment)


def test_only_penalised_parts_make_the_composite_penalised() -> None:
    """Without fresh data, penalised parts give the composite their points, as PENALISED."""
    composite = Composite("usage", (Component("a", "a", Linear(), 1.0, missing=PENALISE),), 1.0)
    assert (Freshness.MISSING, Treatment.PENALISED, 10.0) == composite.treat({})[:3]


@pytest.mark.parametrize(
    ("missing", "expected"),
    [(MissingData(), (Treatment.EXCLUDED, None)), (PENALISE, (Treatment.PENALISED, 10.0))],
)
def test_without_any_part_the_composite_follows_its_own_policy(missing: MissingData, expected: tuple[Any, ...]) -> None:
    """No part with data: the composite is excluded (default) or penalised, by its own policy."""
    _, treatment, points, _ = usage(missing=missing).treat({})
    assert expected == (treatment, points)


def test_stale_parts_only_make_the_composite_stale() -> None:
    """A composite whose parts are all stale or missing is STALE, not MISSING."""
    composite = Composite("usage", (part("seats", stale_after_days=1), part("trend")), 1.0)
    assert Freshness.STALE == composite.treat({"seats": 50.0}, ages={"seats": 2.0})[0]


def test_a_model_shares_an_empty_composite_weight_among_the_other_components() -> None:
    """A composite with no data is left out of the score like any component, and coverage says so."""
    score = model(usage(), part("sentiment")).score(snap(sentiment=70))
    assert (70.0, 0.5) == (score.value, score.coverage)
    assert (None, Treatment.EXCLUDED, None) == (
        score.component("usage").points, score.component("usage").treatment, score.component("usage").input)


def test_coverage_counts_the_share_of_a_composite_that_had_data() -> None:
    """Coverage weighs a composite by the share of its parts' weight that was fresh."""
    score = model(usage(), part("sentiment")).score(snap(seats=80, sentiment=70))
    assert 0.75 == score.coverage  # usage 1/2 fresh (seats: 2 of 4) + sentiment 1/2


def test_model_score_of_a_composite_reads_like_a_component() -> None:
    """In a score a composite carries its points, its input (the parts' mean), its parts and a rule in words."""
    result = model(usage(), part("sentiment")).score(snap(seats=80, trend=40, sentiment=70)).component("usage")
    assert (pytest.approx(66.667, abs=1e-3), result.points, "seats+trend+breadth") == (
        result.points, result.input, result.signal)
    assert "weighted mean of 2 of its 3 parts → 66.7 points" == result.rule
    assert ["seats", "trend", "breadth"] == [p.name for p in result.parts]
    assert result.part("trend").points == 40.0


@given(st.data())
def test_part_shares_and_contributions_add_up(data: st.DataObject) -> None:
    """The shares of a composite's scored parts sum to 1 and their contributions to its points, within 0-100."""
    n = data.draw(st.integers(1, 4))
    parts = tuple(Component(f"p{i}", f"s{i}", Linear(), data.draw(weights), missing=data.draw(missing_policies))
                  for i in range(n))
    values = {f"s{i}": data.draw(st.floats(0, 100)) for i in range(n) if data.draw(st.booleans())}
    _, _, points, results = Composite("c", parts, 1.0).treat(values)
    if points is None:
        assert all(r.points is None for r in results)
        return
    assert 0 <= points <= 100
    assert pytest.approx(1.0) == math.fsum(r.share for r in results)
    assert pytest.approx(points, abs=1e-9) == math.fsum(r.contribution for r in results)


def test_a_refused_part_value_names_its_signal() -> None:
    """A part value its scoring refuses is an error naming the part's signal, as for a component."""
    with pytest.raises(postsale.InvalidValueError, match=r"signals\['seats'\]"):
        model(usage()).score(snap(seats=120))


# ---- the any-RED rule ---------------------------------------------------------------------------------------------


def test_a_red_composite_forces_red_when_the_rule_is_on() -> None:
    """With red_component_makes_red, a scored composite in RED makes the whole RED; 40 exactly is not RED."""
    strict = model(usage(), part("sentiment", 3.0), red_component_makes_red=True)
    red = strict.score(snap(seats=39.9, sentiment=90))
    assert (HealthBand.RED, ("usage",)) == (red.band, red.forced_red_by)
    assert HealthBand.GREEN == strict.score(snap(seats=40, sentiment=90)).band


def test_a_penalised_composite_never_forces_red() -> None:
    """A composite without fresh data (penalised) does not trigger the any-RED rule."""
    strict = model(usage(missing=PENALISE), part("sentiment", 3.0), red_component_makes_red=True)
    assert HealthBand.GREEN == strict.score(snap(sentiment=100)).band


# ---- explanations ----------------------------------------------------------------------------------------------


def test_explain_lists_each_part_under_its_composite() -> None:
    """A composite's line gives its rule; one indented line per part follows, saying its share of the component."""
    lines = model(usage(), part("sentiment")).score(snap(seats=80, trend=40, sentiment=70)).explain()
    assert [
        "Health 68.3 (YELLOW) for acme on 2026-03-31, model test v1.",
        "Usage pulled it down: weighted mean of 2 of its 3 parts → 66.7 points; share 50.0%, "
        "contributing 33.3 points.",
        "  Seats: seats = 80, rule seats → 80 points; 66.7% of usage.",
        "  Trend: trend = 40, rule trend → 40 points; 33.3% of usage.",
        "  Breadth was left out: no 'breadth' signal.",
        "Sentiment held it up: sentiment = 70, rule sentiment → 70 points; share 50.0%, contributing 35.0 points.",
        "Data covered 88% of the model's weight.",
    ] == lines


def test_explain_an_absent_composite_and_a_penalised_part() -> None:
    """A composite left out says none of its parts had data, then lists why for each part."""
    penalised = Composite("support", (Component("a", "a", Linear(), 1.0, missing=PENALISE), part("b")), 1.0)
    lines = model(usage(), penalised, part("sentiment")).score(snap(sentiment=50)).explain()
    assert "Usage was left out: none of its 3 parts has usable data; its weight was shared among the others." in lines
    assert "  Seats was left out: no 'seats' signal." in lines
    assert "  A was penalised (no 'a' signal): 10 points; 100.0% of support." in lines


def test_two_models_side_by_side_on_one_snapshot() -> None:
    """attribute_change between two models' scores of one snapshot names both models and what moved it."""
    snapshot = AccountSnapshot("acme", "SMB", AS_OF, seats_purchased=10, seats_active=9,
                               signals={"nps": 6, "business_context": 50, "sentiment": 50})
    cs = HealthModel((Composite("product_usage", (Component("seats", "seat_utilisation", Linear(slope=100), 1.0),),
                                1.0), *BASIC_HEALTH_MODEL.components[1:]), name="cs", version="1")
    change = attribute_change(BASIC_HEALTH_MODEL.score(snapshot), cs.score(snapshot))
    assert [
        "Health of acme rose 13.0 points from 56.2 (YELLOW) to 69.3 (YELLOW) on 2026-03-31.",
        "The model changed from postsale-basic v1 to cs v1; the move is the models' difference.",
        "Product usage moved it +26.4 points: went from 100.0 to 90.0 points.",
    ] == change.explain()[:3]


# ---- definitions -----------------------------------------------------------------------------------------------


def test_a_composite_reports_every_problem_with_paths() -> None:
    """No parts, a part that is not a Component, a duplicate or reserved name, a bad weight, a staleness window on
    the composite itself: all listed at once, with paths."""
    with pytest.raises(DefinitionError) as exc:
        Composite("", (), 0.0, missing=MissingData(stale_after_days=30))
    assert ["name", "weight", "parts", "missing.stale_after_days"] == paths(exc)
    with pytest.raises(DefinitionError) as exc:
        Composite("c", (part("a"), usage(), part("a"), part("pulse")), 1.0)  # type: ignore[arg-type]
    assert ["parts[1]", "parts[2].name", "parts[3].name"] == paths(exc)
    assert "composites do not nest" in str(exc.value)


def test_a_model_reports_a_composite_problem_with_its_path() -> None:
    """A broken composite inside a model is reported under ``components[i].parts[j]``."""
    bad = object.__new__(Composite)
    for field, value in (("name", "usage"), ("parts", (part("a"), part("a"))), ("weight", 1.0),
                         ("missing", "skip")):
        object.__setattr__(bad, field, value)
    with pytest.raises(DefinitionError) as exc:
        model(part("x"), bad, 3)  # type: ignore[arg-type]
    assert ["components[1].parts[1].name", "components[1].missing", "components[2]"] == paths(exc)


def test_part_lookup_names_the_known_parts() -> None:
    """``Composite.part`` and ``ComponentResult.part`` find a part by name, or list the known ones."""
    assert "trend" == usage().part("trend").signal
    with pytest.raises(UnknownNameError, match="one of seats, trend, breadth"):
        usage().part("nps")
    result = model(part("sentiment")).score(snap(sentiment=1)).component("sentiment")
    with pytest.raises(UnknownNameError, match="a one-signal component has no parts"):
        result.part("x")


def test_treat_refuses_bad_arguments() -> None:
    """Evidence that is not a mapping, ages that are not, and bands that are not a BandPolicy are refused."""
    with pytest.raises(InvalidTypeError, match="evidence"):
        usage().treat([("seats", 1.0)])  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="ages"):
        usage().treat({}, ages=[1])  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="bands"):
        usage().treat({}, bands=70)  # type: ignore[arg-type]


def test_signals_are_the_parts_signals_once() -> None:
    """A model reads each part's signal (and a trend's baseline); a composite lists its signals once."""
    composite = Composite("c", (part("a"), Component("t", "a", Linear(), 1.0, relative_to="b")), 1.0)
    assert ("a", "b") == composite.signals
    assert ("a", "b", "z") == model(composite, part("z")).signals


# ---- plain data --------------------------------------------------------------------------------------------------


@st.composite
def composite_models(draw: st.DrawFn) -> HealthModel:
    """Models mixing one-signal components, trends and composites."""
    def one(name: str) -> Component:
        signal = draw(st.sampled_from(["a", "b", "c"]))
        return Component(name, signal, draw(scorings), draw(weights), missing=draw(missing_policies),
                         relative_to=draw(st.none() | st.just("d")))

    components: list[Component | Composite] = [one("x")]
    for i in range(draw(st.integers(1, 3))):
        missing = MissingData(action=draw(st.sampled_from(list(MissingAction))), penalty_points=draw(st.floats(0, 100)))
        components.append(Composite(f"k{i}", tuple(one(f"p{j}") for j in range(draw(st.integers(1, 3)))),
                                    draw(weights), missing=missing))
    return model(*components, bands=BandPolicy(green_from=draw(st.sampled_from([70.0, 90.0]))))


@given(composite_models())
def test_models_with_composites_round_trip(value: HealthModel) -> None:
    """A model with composites and trends comes back equal from plain data and JSON."""
    assert value == postsale.from_data(HealthModel, postsale.to_data(value))
    assert value == postsale.from_json(HealthModel, postsale.to_json(value))


def test_scores_with_parts_round_trip() -> None:
    """A score with composite parts comes back equal from JSON; a one-signal result writes no ``parts``."""
    score = model(usage(), part("sentiment")).score(snap(seats=80, sentiment=70))
    assert score == postsale.from_json(HealthScore, postsale.to_json(score))
    data = postsale.to_data(score)
    assert ("parts" in data["components"][0], "parts" in data["components"][1]) == (True, False)
    assert type(score.components[0].parts[0]) is PartResult


def test_the_default_model_writes_the_same_data_as_before() -> None:
    """The default model's data has no trace of the new fields (no ``relative_to``, no ``parts``)."""
    text = postsale.to_json(BASIC_HEALTH_MODEL)
    assert "relative_to" not in text and "parts" not in text
    assert "parts" not in postsale.to_json(BASIC_HEALTH_MODEL.score(snap(nps=8)))


def test_composite_data_errors_have_full_paths() -> None:
    """Bad composite data lists every problem with its path; a composite inside a composite is refused."""
    data = json.loads(postsale.to_json(model(usage(), part("sentiment"))))
    data["components"][0]["parts"][1]["weight"] = 0
    data["components"][0]["parts"][2]["scoring"]["kind"] = "table"
    data["components"][1]["weight"] = -1
    with pytest.raises(StructureError) as exc:
        postsale.from_data(HealthModel, data)
    assert ["$.components[0].parts[1].weight", "$.components[0].parts[2].scoring.kind",
            "$.components[1].weight"] == paths(exc)
    stale = json.loads(postsale.to_json(model(usage())))
    stale["components"][0]["missing"]["stale_after_days"] = 7
    with pytest.raises(StructureError) as exc:
        postsale.from_data(HealthModel, stale)
    assert ["$.components[0].missing.stale_after_days"] == paths(exc)
    nested = json.loads(postsale.to_json(model(usage())))
    nested["components"][0]["parts"][0] = json.loads(json.dumps(nested["components"][0]))
    with pytest.raises(StructureError) as exc:
        postsale.from_data(HealthModel, nested)
    assert "unknown field(s) parts; remove them" in {str(p.message) for p in exc.value.problems}


def test_a_model_without_data_for_any_composite_raises_no_health_data() -> None:
    """No component (composite or not) with data: no score, naming every signal to give."""
    with pytest.raises(NoHealthDataError, match="seats, trend, breadth"):
        model(usage()).score(snap())


def test_a_composite_with_bands_scoring_parts_bands_its_parts() -> None:
    """Each part's band is the band of its points under the model's band policy."""
    composite = Composite("c", (Component("nps", "nps", Bands.thresholds(below=25, at_least=[(9, 100)]), 1.0),), 1.0)
    result = model(composite, bands=BandPolicy(green_from=90, yellow_from=20)).score(snap(nps=8)).component("c")
    assert (HealthBand.YELLOW, HealthBand.YELLOW) == (result.band, result.part("nps").band)


# ---- results as values -------------------------------------------------------------------------------------------

PART_FIELDS: dict[str, Any] = {
    "name": "trend", "signal": "a/b", "input": 0.9, "age_days": None, "freshness": Freshness.FRESH,
    "treatment": Treatment.SCORED, "points": 100.0, "weight": 0.3, "share": 0.5, "contribution": 50.0,
    "band": HealthBand.GREEN, "rule": "a/b >= 0.9 → 100 points",
}


def test_a_part_result_takes_names_and_other_numbers() -> None:
    """A part result built from plain values (enum names, ints, Decimals) holds the enums and floats."""
    from decimal import Decimal

    result = PartResult(**{**PART_FIELDS, "freshness": "FRESH", "treatment": "SCORED", "band": "GREEN",
                           "points": 100, "input": Decimal("0.9"), "age_days": 3})
    assert (Freshness.FRESH, Treatment.SCORED, HealthBand.GREEN) == (result.freshness, result.treatment, result.band)
    assert (100, 0.9, 3) == (result.points, result.input, result.age_days)
    assert type(result.input) is float


@pytest.mark.parametrize(("field", "value"), [("name", 3), ("signal", 3), ("weight", "heavy"), ("band", "BLUE")])
def test_a_part_result_refuses_a_bad_field_naming_it(field: str, value: Any) -> None:
    """A part result with a non-text name or signal, a non-number or an unknown band names the field."""
    with pytest.raises(postsale.PostsaleError, match=field):
        PartResult(**{**PART_FIELDS, field: value})


def test_a_component_result_holds_its_parts_as_a_tuple_of_part_results() -> None:
    """Parts given as a list are kept as a tuple; anything but part results is refused, naming ``parts``."""
    from postsale.health import ComponentResult

    part_result = PartResult(**PART_FIELDS)
    assert (part_result,) == ComponentResult(**PART_FIELDS, parts=[part_result]).parts
    with pytest.raises(InvalidTypeError, match="parts"):
        ComponentResult(**PART_FIELDS, parts=[1])
