"""Plain data: health models, scores, changes and roll-ups round-trip; bad data lists every problem with its path."""



from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

import postsale
from postsale import DefinitionError, StructureError
from postsale.health import (
    BASIC_HEALTH_MODEL,
    Band,
    Bands,
    BoundedLinear,
    Component,
    HealthBatch,
    HealthChange,
    HealthModel,
    HealthRollUp,
    HealthScore,
    Linear,
    NoHealthDataError,
    Pulse,
    Scoring,
    attribute_change,
    roll_up_health,
)
from tests.strategies.health import health_models, pulses, scorings, snapshots_for


def paths(exc: pytest.ExceptionInfo[StructureError] | pytest.ExceptionInfo[DefinitionError]) -> list[str]:
    return [p.path for p in exc.value.problems]


def default_data() -> dict:  # type: ignore[type-arg]
    data: dict = json.loads(postsale.to_json(BASIC_HEALTH_MODEL))  # type: ignore[type-arg]
    return data


def test_default_model_round_trips_through_json():
    """The default model survives JSON and back unchanged."""
    assert BASIC_HEALTH_MODEL == postsale.from_json(HealthModel, postsale.to_json(BASIC_HEALTH_MODEL))


def test_scoring_written_with_kind_tag():
    """Scorings inside a component are tagged with their kind."""
    assert ["bands", "bands", "linear", "linear"] == [c["scoring"]["kind"] for c in default_data()["components"]]


def test_scoring_union_from_data():
    """A scoring can be loaded on its own by its kind."""
    assert BoundedLinear(worst=6, best=0) == postsale.from_data(
        Scoring, {"kind": "bounded_linear", "worst": 6, "best": 0}  # type: ignore[arg-type]
    )


@given(health_models())
def test_models_round_trip(model):
    """Any valid model round-trips through plain data."""
    assert model == postsale.from_data(HealthModel, postsale.to_data(model))


@given(scorings)
def test_component_scorings_round_trip(scoring):
    """Every kind of scoring round-trips inside a component."""
    component = Component("c", "s", scoring, weight=1)
    assert component == postsale.from_json(Component, postsale.to_json(component))


@given(st.data())
def test_scores_round_trip_and_score_identically(data):
    """Scores round-trip, and a round-tripped model scores identically."""
    model = data.draw(health_models())
    snapshot = data.draw(snapshots_for(model))
    pulse = data.draw(st.none() | pulses(snapshot.as_of))
    try:
        score = model.score(snapshot, pulse=pulse)
    except NoHealthDataError:
        return
    again = postsale.from_data(HealthModel, postsale.to_data(model)).score(snapshot, pulse=pulse)
    assert (score, score) == (again, postsale.from_json(HealthScore, postsale.to_json(score)))


def test_change_and_rollup_round_trip():
    """Changes and roll-ups round-trip."""
    a = BASIC_HEALTH_MODEL.score(postsale.AccountSnapshot("a", "SMB", date(2026, 1, 1), signals={"sentiment": 80},
                                                            parent_id="p"))
    b = BASIC_HEALTH_MODEL.score(postsale.AccountSnapshot("a", "SMB", date(2026, 2, 1), signals={"nps": 3},
                                                            parent_id="p"))
    c = BASIC_HEALTH_MODEL.score(postsale.AccountSnapshot("c", "SMB", date(2026, 2, 1), signals={"nps": 9},
                                                            parent_id="p"))
    change = attribute_change(a, b)
    rolled = roll_up_health("p", [b, c], method="arr_weighted", arr={"a": 10, "c": "20.50"})  # type: ignore[arg-type]
    assert (change, rolled) == (
        postsale.from_json(HealthChange, postsale.to_json(change)),
        postsale.from_json(HealthRollUp, postsale.to_json(rolled)),
    )


def test_batch_and_pulse_round_trip():
    """Batches (with failures) and pulses round-trip."""
    batch = BASIC_HEALTH_MODEL.score_many([postsale.AccountSnapshot("a", "SMB", date(2026, 1, 1))])
    pulse = Pulse(40, author="aiko", reason="r", assessed_on=date(2026, 1, 1), expires_on=date(2026, 1, 2))
    assert (batch, pulse) == (postsale.from_json(HealthBatch, postsale.to_json(batch)),
                              postsale.from_json(Pulse, postsale.to_json(pulse)))


def test_every_problem_listed_with_full_paths():
    """Loading a bad model lists every problem, nested ones flattened, each with its full path."""
    data = default_data()
    data["components"][0]["weight"] = -1
    data["components"][0]["name"] = ""
    data["components"][1]["scoring"]["bands"][1]["lower"] = 8
    data["components"][2]["scoring"]["kind"] = "table"
    data["bands"]["green_from"] = 30
    data["colour"] = "blue"
    with pytest.raises(StructureError) as exc:
        postsale.from_data(HealthModel, data)
    assert [
        "$.components[0].name",
        "$.components[0].weight",
        "$.components[1].scoring.bands[1].lower",
        "$.components[2].scoring.kind",
        "$.bands.yellow_from",
        "$",
    ] == paths(exc)


def test_model_level_problems_from_data():
    """Model-level problems (duplicate names, blank version) are listed with paths too."""
    data = default_data()
    data["components"][1]["name"] = "product_usage"
    data["version"] = ""
    with pytest.raises(StructureError) as exc:
        postsale.from_data(HealthModel, data)
    assert ["$.version", "$.components[1].name"] == paths(exc)


def test_missing_field_and_wrong_type():
    """A missing field and a wrong type are reported with paths."""
    data = default_data()
    del data["components"][0]["signal"]
    data["components"][1]["missing"]["action"] = "SKIP"
    data["red_component_makes_red"] = "maybe"
    with pytest.raises(StructureError) as exc:
        postsale.from_data(HealthModel, data)
    problems = {p.path: p.message for p in exc.value.problems}
    assert "required field missing" == problems["$.components[0].signal"]
    assert "SKIP" in problems["$.components[1].missing.action"]


def test_missing_kind():
    """A scoring without a kind says which kinds exist."""
    with pytest.raises(StructureError) as exc:
        postsale.from_data(Scoring, {"slope": 1})  # type: ignore[arg-type]
    assert (["$.kind"], True) == (paths(exc), "bands, linear, bounded_linear" in str(exc.value))


def test_scoring_not_an_object():
    """A scoring must be an object."""
    with pytest.raises(StructureError, match="expected an object with a kind"):
        postsale.from_data(Scoring, "linear")  # type: ignore[arg-type]


def test_nested_scoring_not_an_object():
    """A nested scoring that is not an object is reported at its path."""
    data = default_data()
    data["components"][2]["scoring"] = "linear"
    with pytest.raises(StructureError) as exc:
        postsale.from_data(HealthModel, data)
    assert ["$.components[2].scoring"] == paths(exc)


def test_model_not_an_object():
    """A model must be an object."""
    with pytest.raises(StructureError) as exc:
        postsale.from_data(HealthModel, [])
    assert ["$"] == paths(exc)


def test_band_level_problem_from_data():
    """A bad band loaded on its own reports its field."""
    with pytest.raises(StructureError) as exc:
        postsale.from_data(Band, {"points": 200})
    assert ["$.points"] == paths(exc)


def test_bands_problem_from_data():
    """Contiguity problems of bands loaded on their own carry paths."""
    with pytest.raises(StructureError) as exc:
        postsale.from_data(Bands, {"bands": [{"points": 1, "upper": 1}, {"points": 2, "lower": 2}]})
    assert ["$.bands[1].lower"] == paths(exc)


def test_linear_defaults_from_data():
    """Omitted optional fields take their defaults."""
    assert Linear() == postsale.from_data(Linear, {})


def test_not_json():
    """Text that is not JSON is refused."""
    with pytest.raises(StructureError):
        postsale.from_json(HealthModel, "{not json")


@given(scorings)
def test_each_scoring_class_reads_its_own_tagged_data(scoring):
    """A scoring class writes its kind and reads its own data back (tagged or not), as the union does."""
    data = postsale.to_data(scoring)
    assert data["kind"] == type(scoring).kind
    assert postsale.from_data(type(scoring), data) == scoring
    assert postsale.from_data(type(scoring), {k: v for k, v in data.items() if k != "kind"}) == scoring


def test_a_scoring_class_refuses_another_kind():
    """Read as Linear, data tagged bands is refused, naming both kinds."""
    with pytest.raises(StructureError, match="is not the kind of Linear"):
        postsale.from_data(Linear, {"kind": "bands", "slope": 1.0, "intercept": 0.0})


def test_a_model_carries_its_schema_version():
    """A health model is a configuration: its data starts with schema_version; a newer one is refused."""
    data = postsale.to_data(BASIC_HEALTH_MODEL)
    assert next(iter(data)) == "schema_version"
    with pytest.raises(StructureError, match=r"newer than this postsale reads for HealthModel .* @ \$\.schema_version"):
        postsale.from_data(HealthModel, {**data, "schema_version": 99})
