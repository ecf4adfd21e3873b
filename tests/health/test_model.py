"""Health models: definition checks, weighted scoring, missing-data policy, staleness, bands, the any-RED rule."""



from __future__ import annotations

import math
from datetime import date

import pytest

from postsale import (
    AccountSnapshot,
    DefinitionError,
    HealthBand,
    InvalidTypeError,
    InvalidValueError,
    UnknownNameError,
    signals,
)
from postsale.health import (
    BASIC_HEALTH_MODEL,
    GREEN_FROM,
    YELLOW_FROM,
    BandPolicy,
    Bands,
    BoundedLinear,
    Component,
    Freshness,
    HealthModel,
    Linear,
    MissingAction,
    MissingData,
    NoHealthDataError,
    PulseMode,
    PulsePolicy,
    Treatment,
)

AS_OF = date(2026, 3, 31)


def snap(account: str = "acme", **values: float) -> AccountSnapshot:
    return AccountSnapshot(account, "SMB", AS_OF, signals=values)


def model(*components: Component, **options: object) -> HealthModel:
    return HealthModel(components, name="test", version="7", **options)  # type: ignore[arg-type]


def linear(name: str, weight: float = 1.0, **missing: object) -> Component:
    return Component(name, name, Linear(), weight=weight, missing=MissingData(**missing))  # type: ignore[arg-type]


def paths(exc: pytest.ExceptionInfo[DefinitionError]) -> list[str]:
    return [p.path for p in exc.value.problems]


# ---- definitions ------------------------------------------------------------------------------------


def test_the_default_model_is_the_cs_model():
    """The default is the model a CS team recognises: usage, relationship, business context, sentiment."""
    import postsale
    from postsale.health import CS_HEALTH_MODEL, DEFAULT_HEALTH_MODEL

    assert DEFAULT_HEALTH_MODEL is CS_HEALTH_MODEL
    assert ("postsale-cs", "1") == (DEFAULT_HEALTH_MODEL.name, DEFAULT_HEALTH_MODEL.version)
    assert [c.name for c in DEFAULT_HEALTH_MODEL.components] == [
        "product_usage", "relationship", "business_context", "sentiment"]
    assert postsale.DEFAULT_HEALTH_MODEL is CS_HEALTH_MODEL


def test_basic_model_has_four_equal_components():
    """The basic model has usage, relationship, business context and sentiment at 0.25 each (§4.1)."""
    assert [("product_usage", 0.25), ("relationship", 0.25), ("business_context", 0.25), ("sentiment", 0.25)] == [
        (c.name, c.weight) for c in BASIC_HEALTH_MODEL.components
    ]


def test_basic_model_reads_well_known_signals():
    """Every basic component reads a well-known signal."""
    assert set(BASIC_HEALTH_MODEL.signals) <= signals.WELL_KNOWN


def test_basic_model_bands_and_version():
    """The basic model uses GREEN >= 70, YELLOW >= 40 and carries name and version."""
    assert (70.0, 40.0, "postsale-basic", "1") == (
        BASIC_HEALTH_MODEL.bands.green_from,
        BASIC_HEALTH_MODEL.bands.yellow_from,
        BASIC_HEALTH_MODEL.name,
        BASIC_HEALTH_MODEL.version,
    )


def test_model_reports_every_problem_with_paths():
    """A model with several problems lists them all at once, with paths."""
    good = linear("a")
    bad_weight = object.__new__(Component)
    for field, value in (("name", "b"), ("signal", ""), ("scoring", Linear()), ("weight", math.nan),
                         ("missing", MissingData()), ("relative_to", None)):
        object.__setattr__(bad_weight, field, value)
    with pytest.raises(DefinitionError) as exc:
        HealthModel((good, bad_weight, linear("a"), linear("pulse")), name="", version="1")
    assert ["name", "components[1].signal", "components[1].weight", "components[2].name", "components[3].name"] == (
        paths(exc)
    )


def test_model_needs_components():
    """A model without components is refused."""
    with pytest.raises(DefinitionError) as exc:
        model()
    assert ["components"] == paths(exc)


def test_model_wrong_types_reported():
    """Wrong types for components, bands, rule flag and pulse policy are reported together."""
    with pytest.raises(DefinitionError) as exc:
        HealthModel(("x",), name="m", version="1", bands=(70, 40), red_component_makes_red="no",  # type: ignore[arg-type]
                    pulse="component")  # type: ignore[arg-type]
    assert ["components[0]", "bands", "red_component_makes_red", "pulse"] == paths(exc)


def test_component_reports_every_problem():
    """A component lists every problem of its own fields at once."""
    with pytest.raises(DefinitionError) as exc:
        Component("", " ", "bands", weight=0)  # type: ignore[arg-type]
    assert ["name", "signal", "weight", "scoring"] == paths(exc)


def test_component_nested_problems_have_paths():
    """Problems inside a component's scoring and policy carry nested paths."""
    bad_scoring = object.__new__(Linear)
    object.__setattr__(bad_scoring, "slope", 0)
    object.__setattr__(bad_scoring, "intercept", 0)
    bad_bands = object.__new__(Bands)
    object.__setattr__(bad_bands, "bands", ())
    bad_bounded = object.__new__(BoundedLinear)
    for field, value in (("worst", 1), ("best", 1), ("worst_points", 0), ("best_points", 100)):
        object.__setattr__(bad_bounded, field, value)
    with pytest.raises(DefinitionError) as exc:
        Component("a", "a", bad_scoring, weight=1, missing="skip")  # type: ignore[arg-type]
    assert ["scoring.slope", "missing"] == paths(exc)
    with pytest.raises(DefinitionError) as exc2:
        Component("a", "a", bad_bands, weight=1)
    assert ["scoring.bands"] == paths(exc2)
    with pytest.raises(DefinitionError) as exc3:
        Component("a", "a", bad_bounded, weight=1)
    assert ["scoring.best"] == paths(exc3)


@pytest.mark.parametrize("weight", [0, -0.5, math.inf, "1"])
def test_weight_must_be_positive_number(weight):
    """Weights must be positive finite numbers."""
    with pytest.raises(DefinitionError) as exc:
        Component("a", "a", Linear(), weight=weight)
    assert ["weight"] == paths(exc)


def test_missing_data_policy_problems():
    """A policy with a bad action, penalty and day count reports all three."""
    with pytest.raises(DefinitionError) as exc:
        MissingData(action="skip", penalty_points=120, stale_after_days=-1)  # type: ignore[arg-type]
    assert ["action", "penalty_points", "stale_after_days"] == paths(exc)


@pytest.mark.parametrize("days", [1.5, True])
def test_missing_data_days_whole(days):
    """Stale-after days must be a whole number."""
    with pytest.raises(DefinitionError):
        MissingData(stale_after_days=days)


def test_pulse_policy_problems():
    """A pulse policy needs a known mode and a positive weight."""
    with pytest.raises(DefinitionError) as exc:
        PulsePolicy(mode="often", weight=0)  # type: ignore[arg-type]
    assert ["mode", "weight"] == paths(exc)


def test_component_lookup():
    """A model finds its components by name and names the known ones otherwise."""
    assert "sentiment" == BASIC_HEALTH_MODEL.component("sentiment").signal
    with pytest.raises(UnknownNameError, match="product_usage, relationship"):
        BASIC_HEALTH_MODEL.component("usage")


# ---- bands of the overall score ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "band"),
    [(GREEN_FROM, HealthBand.GREEN), (69.99, HealthBand.YELLOW), (YELLOW_FROM, HealthBand.YELLOW),
     (39.99, HealthBand.RED), (100, HealthBand.GREEN), (0, HealthBand.RED)],
)
def test_overall_band_boundaries(value, band):
    """GREEN >= 70, YELLOW 40-69, RED < 40 on both sides of each cut (§4.2, A-4)."""
    assert band == model(linear("s")).score(snap(s=value)).band


def test_custom_cutoffs():
    """Cut-offs are configurable (the model's band policy)."""
    custom = model(linear("s"), bands=BandPolicy(green_from=80, yellow_from=50))
    assert (HealthBand.YELLOW, HealthBand.RED) == (custom.score(snap(s=79)).band, custom.score(snap(s=49)).band)


# ---- weighted scoring -------------------------------------------------------------------------------


def test_weighted_mean_of_points():
    """The score is the weighted mean of the components' points."""
    score = model(linear("a", 3), linear("b", 1)).score(snap(a=80, b=40))
    assert (70.0, HealthBand.GREEN) == (score.value, score.band)


def test_contributions_and_shares():
    """Each component carries input, points, share and contribution; contributions sum to the score."""
    score = model(linear("a", 3), linear("b", 1)).score(snap(a=80, b=40))
    a, b = score.components
    assert (80.0, 80.0, 0.75, 60.0, 0.25, 10.0) == (a.input, a.points, a.share, a.contribution, b.share, b.contribution)


def test_score_carries_model_and_account():
    """A score carries account, date, model name and version, and the parent."""
    score = model(linear("a")).score(AccountSnapshot("k", "SMB", AS_OF, signals={"a": 50}, parent_id="p"))
    assert ("k", AS_OF, "test", "7", "p") == (
        score.account_id, score.as_of, score.model_name, score.model_version, score.parent_id
    )


def test_derived_signal_as_component():
    """A component can read a derived signal (seat utilisation from the snapshot's seats)."""
    snapshot = AccountSnapshot("a", "SMB", AS_OF, seats_purchased=10, seats_active=7)
    result = BASIC_HEALTH_MODEL.score(snapshot).component("product_usage")
    assert (0.7, 100.0) == (result.input, result.points)


def test_default_model_nps_bands_both_sides():
    """Default relationship scoring: detractor 6, passive 7 and 8, promoter 9 and 10."""
    points = [BASIC_HEALTH_MODEL.score(snap(nps=v)).component("relationship").points for v in (6.9, 7, 8.9, 9, 10)]
    assert [25.0, 65.0, 65.0, 100.0, 100.0] == points


def test_default_model_refuses_nps_on_wrong_scale():
    """An NPS of 45 (a 0-100 scale by mistake) is refused naming the signal."""
    with pytest.raises(InvalidValueError) as exc:
        BASIC_HEALTH_MODEL.score(snap(nps=45))
    assert "signals['nps']" == exc.value.field


def test_linear_component_out_of_scale_refused():
    """A linear component refuses an input off its scale, naming the signal."""
    with pytest.raises(InvalidValueError) as exc:
        BASIC_HEALTH_MODEL.score(snap(sentiment=120))
    assert "signals['sentiment']" == exc.value.field


def test_nan_signal_refused_before_scoring():
    """A NaN signal is refused when the snapshot is built, naming the signal."""
    with pytest.raises(InvalidValueError) as exc:
        snap(sentiment=math.nan)
    assert "signals['sentiment']" == exc.value.field


def test_score_refuses_non_snapshot():
    """Scoring a dict instead of a snapshot is a type error."""
    with pytest.raises(InvalidTypeError) as exc:
        BASIC_HEALTH_MODEL.score({"sentiment": 50})  # type: ignore[arg-type]
    assert "snapshot" == exc.value.field


# ---- missing data -----------------------------------------------------------------------------------


def test_missing_excluded_and_reweighted():
    """A missing component is excluded and its weight shared among the others."""
    score = model(linear("a", 1), linear("b", 1), linear("c", 2)).score(snap(a=90, c=60))
    b = score.component("b")
    assert (70.0, Freshness.MISSING, Treatment.EXCLUDED, None, 0.0, 0.0) == (
        score.value, b.freshness, b.treatment, b.points, b.share, b.contribution
    )
    assert pytest.approx(1.0) == sum(r.share for r in score.components)


def test_missing_penalised():
    """A penalised missing component scores the penalty points and keeps its weight."""
    score = model(linear("a"), linear("b", action=MissingAction.PENALISE, penalty_points=20)).score(snap(a=80))
    b = score.component("b")
    assert (50.0, Treatment.PENALISED, 20.0, 0.5) == (score.value, b.treatment, b.points, b.share)


def test_coverage_counts_fresh_weight():
    """Coverage is the share of the model's weight that had fresh data (penalised ones do not count)."""
    score = model(linear("a", 3), linear("b", 1, action=MissingAction.PENALISE)).score(snap(a=80))
    assert 0.75 == score.coverage


def test_no_data_at_all():
    """Without any usable component the model raises, naming the components and signals."""
    with pytest.raises(NoHealthDataError) as exc:
        BASIC_HEALTH_MODEL.score(snap(logins_week=3))
    assert ("acme", ("product_usage", "relationship", "business_context", "sentiment")) == (
        exc.value.account_id, exc.value.missing
    )
    assert "seat_utilisation" in str(exc.value)


def test_no_data_is_invalid_value():
    """NoHealthDataError is an InvalidValueError (and a ValueError)."""
    assert issubclass(NoHealthDataError, InvalidValueError)
    assert issubclass(NoHealthDataError, ValueError)


# ---- staleness --------------------------------------------------------------------------------------


def test_stale_after_n_days_via_observed_dates_both_sides():
    """A signal exactly N days old is fresh; N + 1 days old is stale (observed dates)."""
    m = model(linear("a"), linear("b", stale_after_days=30))
    fresh = m.score(snap(a=80, b=20), observed={"b": date(2026, 3, 1)})
    stale = m.score(snap(a=80, b=20), observed={"b": date(2026, 2, 28)})
    assert (50.0, 30.0, Freshness.FRESH) == (fresh.value, fresh.component("b").age_days,
                                             fresh.component("b").freshness)
    assert (80.0, 31.0, Freshness.STALE, Treatment.EXCLUDED) == (
        stale.value, stale.component("b").age_days, stale.component("b").freshness, stale.component("b").treatment
    )


def test_stale_via_age_signal_both_sides():
    """The ``<signal>_age_days`` convention gives the age when no observed date is passed."""
    m = model(linear("a"), linear("b", stale_after_days=30))
    assert (50.0, 80.0) == (m.score(snap(a=80, b=20, b_age_days=30)).value,
                            m.score(snap(a=80, b=20, b_age_days=30.5)).value)


def test_observed_date_wins_over_age_signal():
    """An observed date overrides the age signal."""
    m = model(linear("a"), linear("b", stale_after_days=30))
    score = m.score(snap(a=80, b=20, b_age_days=99), observed={"b": AS_OF})
    assert (0.0, 50.0) == (score.component("b").age_days, score.value)


def test_stale_penalised():
    """A stale component under PENALISE scores the penalty points."""
    m = model(linear("a"), linear("b", action=MissingAction.PENALISE, penalty_points=10, stale_after_days=7))
    b = m.score(snap(a=80, b=90, b_age_days=8)).component("b")
    assert (Freshness.STALE, Treatment.PENALISED, 10.0, 90.0) == (b.freshness, b.treatment, b.points, b.input)


def test_no_age_means_fresh():
    """Without an age the signal is treated as fresh."""
    assert Freshness.FRESH == model(linear("a", stale_after_days=0)).score(snap(a=1)).component("a").freshness


def test_stale_after_zero_days():
    """stale_after_days=0 accepts only today's observations."""
    m = model(linear("a"), linear("b", stale_after_days=0))
    assert (Freshness.FRESH, Freshness.STALE) == (
        m.score(snap(a=1, b=1), observed={"b": AS_OF}).component("b").freshness,
        m.score(snap(a=1, b=1), observed={"b": date(2026, 3, 30)}).component("b").freshness,
    )


def test_default_usage_stale_after_30_days():
    """Default product usage is stale after the 30-day active window (A-26)."""
    snapshot = AccountSnapshot("a", "SMB", AS_OF, seats_purchased=10, seats_active=9,
                               signals={"sentiment": 50, "seat_utilisation_age_days": 31})
    assert Treatment.EXCLUDED == BASIC_HEALTH_MODEL.score(snapshot).component("product_usage").treatment


def test_observed_date_in_future_refused():
    """An observation dated after the snapshot is refused, naming the signal."""
    with pytest.raises(InvalidValueError) as exc:
        model(linear("a")).score(snap(a=1), observed={"a": date(2026, 4, 1)})
    assert "observed['a']" == exc.value.field


def test_observed_not_a_date_refused():
    """An observation that is a datetime or string is refused."""
    with pytest.raises(InvalidTypeError):
        model(linear("a")).score(snap(a=1), observed={"a": "2026-03-01"})  # type: ignore[dict-item]


def test_observed_not_a_mapping_refused():
    """Observed dates must be a mapping."""
    with pytest.raises(InvalidValueError) as exc:
        model(linear("a")).score(snap(a=1), observed=[("a", AS_OF)])  # type: ignore[arg-type]
    assert "observed" == exc.value.field


def test_negative_age_signal_refused():
    """A negative ``<signal>_age_days`` is refused, naming it."""
    with pytest.raises(InvalidValueError) as exc:
        model(linear("a")).score(snap(a=1, a_age_days=-1))
    assert "signals['a_age_days']" == exc.value.field


# ---- any RED component makes the whole RED ----------------------------------------------------------


def test_any_red_rule_forces_red():
    """With the rule on, one RED component makes the whole RED; the value is unchanged."""
    score = model(linear("a"), linear("b"), red_component_makes_red=True).score(snap(a=100, b=39.9))
    assert (69.95, HealthBand.RED, HealthBand.RED, ("b",)) == (
        score.value, score.band, score.computed_band, score.forced_red_by
    )


def test_any_red_rule_boundary_not_red():
    """A component at exactly 40 is YELLOW and does not force RED."""
    score = model(linear("a"), linear("b"), red_component_makes_red=True).score(snap(a=100, b=40))
    assert (HealthBand.GREEN, ()) == (score.band, score.forced_red_by)


def test_any_red_rule_off_by_default():
    """Without the rule a RED component only lowers the mean."""
    assert HealthBand.YELLOW == model(linear("a"), linear("b")).score(snap(a=100, b=10)).band


def test_any_red_rule_ignores_penalised():
    """A penalised (missing) component does not force RED; only scored data does."""
    m = model(linear("a"), linear("b", action=MissingAction.PENALISE), red_component_makes_red=True)
    assert ((), HealthBand.YELLOW) == (m.score(snap(a=100)).forced_red_by, m.score(snap(a=100)).band)


def test_any_red_rule_already_red():
    """When the whole is RED anyway, nothing is reported as forcing it."""
    score = model(linear("a"), linear("b"), red_component_makes_red=True).score(snap(a=30, b=10))
    assert (HealthBand.RED, ()) == (score.band, score.forced_red_by)


def test_pulse_policy_default_is_beside():
    """A custom model shows a pulse beside the score unless told otherwise."""
    assert PulseMode.BESIDE == model(linear("a")).pulse.mode
