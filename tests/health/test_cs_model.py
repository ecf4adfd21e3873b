"""The CS health model: its definition, every scoring boundary on both sides, its properties, and how it compares
with the default model on the sample portfolio."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postsale import AccountSnapshot, HealthBand, InvalidValueError, signals
from postsale.health import (
    BASIC_HEALTH_MODEL,
    CRITICAL_ISSUE_BANDS,
    CS_HEALTH_MODEL,
    FEATURE_BREADTH_BANDS,
    LOGINS_TREND_BANDS,
    NPS_BANDS,
    SEAT_UTILISATION_BANDS,
    SUPPORT_TICKET_BANDS,
    Component,
    Composite,
    NoHealthDataError,
    PulseMode,
    Treatment,
    attribute_change,
)

AS_OF = date(2026, 3, 31)
FULL = {
    signals.SEAT_UTILISATION: 0.62, signals.LOGINS_WEEK: 120.0, signals.LOGINS_PREV_WEEK: 150.0,
    signals.DISTINCT_FEATURES_USED: 5.0, signals.NPS: 8.0, signals.EXECUTIVE_ENGAGEMENT: 60.0,
    signals.SUPPORT_TICKETS_WEEK: 1.0, signals.CRITICAL_ISSUES_OPEN: 0.0, signals.BUSINESS_CONTEXT: 70.0,
    signals.SENTIMENT: 55.0,
}


def snap(values: dict[str, float]) -> AccountSnapshot:
    return AccountSnapshot("acme", "MID_MARKET", AS_OF, signals=values)


def composite(name: str) -> Composite:
    found = CS_HEALTH_MODEL.component(name)
    assert isinstance(found, Composite)
    return found


# ---- definition ---------------------------------------------------------------------------------------------------


def test_the_cs_model_is_named_and_versioned() -> None:
    """The CS model is ``postsale-cs`` v1, with the default bands and the default pulse policy."""
    assert ("postsale-cs", "1") == (CS_HEALTH_MODEL.name, CS_HEALTH_MODEL.version)
    assert (CS_HEALTH_MODEL.bands, CS_HEALTH_MODEL.pulse) == (BASIC_HEALTH_MODEL.bands, BASIC_HEALTH_MODEL.pulse)
    assert PulseMode.COMPONENT is CS_HEALTH_MODEL.pulse.mode
    assert not CS_HEALTH_MODEL.red_component_makes_red


def test_the_four_families_and_their_weights() -> None:
    """Usage 0.40, relationship 0.30, business context 0.15, sentiment 0.15: they sum to 1."""
    assert [("product_usage", 0.40), ("relationship", 0.30), ("business_context", 0.15), ("sentiment", 0.15)] == [
        (c.name, c.weight) for c in CS_HEALTH_MODEL.components]
    assert 1.0 == pytest.approx(math.fsum(c.weight for c in CS_HEALTH_MODEL.components))


def test_usage_and_relationship_are_made_of_several_signals() -> None:
    """Usage reads seats, the logins trend and feature breadth; relationship NPS, the sponsor and support."""
    usage, relationship = composite("product_usage"), composite("relationship")
    assert [("seat_utilisation", "seat_utilisation", 0.4, 30),
            ("logins_trend", "logins_week/logins_prev_week", 0.3, 30),
            ("feature_breadth", "distinct_features_used", 0.3, 30)] == [
        (p.name, p.quantity, p.weight, p.missing.stale_after_days) for p in usage.parts]
    assert [("nps", "nps", 0.4, 90), ("executive_engagement", "executive_engagement", 0.3, 90),
            ("support_tickets", "support_tickets_week", 0.15, 30),
            ("critical_issues", "critical_issues_open", 0.15, 30)] == [
        (p.name, p.quantity, p.weight, p.missing.stale_after_days) for p in relationship.parts]
    for parts in (usage.parts, relationship.parts):
        assert 1.0 == pytest.approx(math.fsum(p.weight for p in parts))
    assert (usage.part("seat_utilisation").scoring, relationship.part("nps").scoring) == (
        SEAT_UTILISATION_BANDS, NPS_BANDS)


def test_the_cs_model_reads_well_known_signals_only() -> None:
    """Every signal the CS model reads is a name of ``postsale.signals``."""
    assert set(CS_HEALTH_MODEL.signals) <= signals.WELL_KNOWN
    assert 10 == len(set(CS_HEALTH_MODEL.signals))


def test_the_basic_model_is_unchanged() -> None:
    """The basic model (the default before the CS model) keeps its four one-signal components at 0.25 and its
    version, under its new name."""
    assert ("postsale-basic", "1") == (BASIC_HEALTH_MODEL.name, BASIC_HEALTH_MODEL.version)
    assert all(isinstance(c, Component) and c.weight == 0.25 and c.relative_to is None
               for c in BASIC_HEALTH_MODEL.components)


# ---- scorings, both sides of every boundary -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratio", "points"),
    [(0.0, 15.0), (0.5, 15.0), (0.5000001, 45.0), (0.7, 45.0), (0.7000001, 75.0), (0.8999999, 75.0), (0.9, 100.0),
     (3.0, 100.0), (-1.0, 15.0)],
)
def test_logins_trend_bands(ratio: float, points: float) -> None:
    """A 50 % drop or worse → 15; a 30 % drop (the login-decline threshold) → 45; a dip → 75; steady → 100."""
    assert points == LOGINS_TREND_BANDS.points(ratio)


@pytest.mark.parametrize(("week", "previous", "points"), [(5, 10, 15.0), (7, 10, 45.0), (71, 100, 75.0),
                                                          (9, 10, 100.0), (89, 100, 75.0)])
def test_logins_trend_from_counts(week: float, previous: float, points: float) -> None:
    """The trend is this week's logins over last week's, so 7 of 10 is exactly the 30 % drop."""
    values = {signals.LOGINS_WEEK: week, signals.LOGINS_PREV_WEEK: previous}
    assert points == CS_HEALTH_MODEL.score(snap(values)).component("product_usage").part("logins_trend").points


@pytest.mark.parametrize(
    ("scoring", "value", "points"),
    [
        (FEATURE_BREADTH_BANDS, 0.0, 15.0), (FEATURE_BREADTH_BANDS, 1.0, 15.0), (FEATURE_BREADTH_BANDS, 2.0, 45.0),
        (FEATURE_BREADTH_BANDS, 2.9, 45.0), (FEATURE_BREADTH_BANDS, 3.0, 65.0), (FEATURE_BREADTH_BANDS, 3.9, 65.0),
        (FEATURE_BREADTH_BANDS, 4.0, 100.0), (FEATURE_BREADTH_BANDS, 40.0, 100.0),
        (SUPPORT_TICKET_BANDS, 0.0, 100.0), (SUPPORT_TICKET_BANDS, 0.9, 100.0), (SUPPORT_TICKET_BANDS, 1.0, 80.0),
        (SUPPORT_TICKET_BANDS, 2.0, 80.0), (SUPPORT_TICKET_BANDS, 3.0, 40.0), (SUPPORT_TICKET_BANDS, 5.0, 40.0),
        (SUPPORT_TICKET_BANDS, 6.0, 10.0), (SUPPORT_TICKET_BANDS, 60.0, 10.0),
        (CRITICAL_ISSUE_BANDS, 0.0, 100.0), (CRITICAL_ISSUE_BANDS, 0.5, 100.0), (CRITICAL_ISSUE_BANDS, 1.0, 40.0),
        (CRITICAL_ISSUE_BANDS, 1.5, 40.0), (CRITICAL_ISSUE_BANDS, 2.0, 10.0), (CRITICAL_ISSUE_BANDS, 9.0, 10.0),
    ],
)
def test_count_bands(scoring: Any, value: float, points: float) -> None:
    """Feature breadth meets the adoption target at 4; tickets spike at 3 a week; one open critical issue costs."""
    assert points == scoring.points(value)


@pytest.mark.parametrize("scoring", [FEATURE_BREADTH_BANDS, SUPPORT_TICKET_BANDS, CRITICAL_ISSUE_BANDS])
def test_a_negative_count_is_refused(scoring: Any) -> None:
    """A count below 0 is outside every band: refused, not guessed."""
    with pytest.raises(InvalidValueError, match="outside every band"):
        scoring.points(-0.5)


@pytest.mark.parametrize(
    ("signal", "window"),
    [(signals.SEAT_UTILISATION, 30), (signals.LOGINS_WEEK, 30), (signals.DISTINCT_FEATURES_USED, 30),
     (signals.NPS, 90), (signals.EXECUTIVE_ENGAGEMENT, 90), (signals.SUPPORT_TICKETS_WEEK, 30),
     (signals.CRITICAL_ISSUES_OPEN, 30), (signals.BUSINESS_CONTEXT, 90), (signals.SENTIMENT, 90)],
)
def test_staleness_windows_both_sides(signal: str, window: int) -> None:
    """Usage and support readings count up to 30 days old, survey and sponsor readings up to 90; a day more and
    they are left out."""
    def treatment(age: int) -> Treatment:
        score = CS_HEALTH_MODEL.score(snap({**FULL, f"{signal}_age_days": float(age)}))
        for result in score.components:
            for item in (*result.parts, result):
                if item.signal.split("/")[0] == signal:
                    return item.treatment
        raise AssertionError(signal)

    assert (Treatment.SCORED, Treatment.EXCLUDED) == (treatment(window), treatment(window + 1))


# ---- whole scores ---------------------------------------------------------------------------------------------------


def test_a_full_score_and_its_explanation() -> None:
    """With every signal the score is the weighted mean of the four families, each explained part by part."""
    score = CS_HEALTH_MODEL.score(snap(FULL))
    assert (HealthBand.GREEN, 1.0) == (score.band, score.coverage)
    assert pytest.approx(71.45, abs=1e-9) == score.value  # 0.4 x 78.5 + 0.3 x 71 + 0.15 x 70 + 0.15 x 55
    lines = score.explain()
    assert "Product usage held it up: weighted mean of its 3 parts → 78.5 points; share 40.0%, contributing " \
           "31.4 points." in lines
    assert "  Logins trend: logins_week/logins_prev_week = 0.8, rule 0.7 < logins_week/logins_prev_week < 0.9 → " \
           "75 points; 30.0% of product usage." in lines
    assert "  Critical issues: critical_issues_open = 0, rule 0 <= critical_issues_open < 1 → 100 points; 15.0% of " \
           "relationship." in lines


values_of = {
    signals.SEAT_UTILISATION: st.floats(0, 1.5),
    signals.LOGINS_WEEK: st.sampled_from([0.0, 7.0, 9.0]) | st.floats(0, 1e4),
    signals.LOGINS_PREV_WEEK: st.sampled_from([0.0, 10.0]) | st.floats(0, 1e4),
    signals.DISTINCT_FEATURES_USED: st.integers(0, 30).map(float),
    signals.NPS: st.integers(0, 10).map(float) | st.floats(0, 10),
    signals.EXECUTIVE_ENGAGEMENT: st.floats(0, 100),
    signals.SUPPORT_TICKETS_WEEK: st.integers(0, 20).map(float),
    signals.CRITICAL_ISSUES_OPEN: st.integers(0, 5).map(float),
    signals.BUSINESS_CONTEXT: st.floats(0, 100),
    signals.SENTIMENT: st.floats(0, 100),
}


@st.composite
def cs_signals(draw: st.DrawFn) -> dict[str, float]:
    """Valid CS signals, any of them dropped, some with an age (fresh or stale)."""
    found: dict[str, float] = {}
    for name, strategy in values_of.items():
        if draw(st.booleans()):
            found[name] = draw(strategy)
            if draw(st.integers(0, 3)) == 0:
                found[f"{name}_age_days"] = float(draw(st.sampled_from([0, 30, 31, 90, 91])))
    return found


@given(cs_signals())
def test_a_score_is_within_0_and_100_and_dropping_signals_never_raises(values: dict[str, float]) -> None:
    """Any valid signals, any of them missing or stale, score within 0-100; only no usable data at all is refused."""
    try:
        score = CS_HEALTH_MODEL.score(snap(values))
    except NoHealthDataError:
        assert all(r is None for r in _usable(values))
        return
    assert 0 <= score.value <= 100
    assert 0 < score.coverage <= 1
    assert score.band == CS_HEALTH_MODEL.bands.band(score.value)
    assert pytest.approx(score.value, abs=1e-9) == math.fsum(r.contribution for r in score.components)


def _usable(values: dict[str, float]) -> list[float | None]:
    """Each CS signal's value when present and fresh (by its part's window), else None."""
    found = []
    for component in CS_HEALTH_MODEL.components:
        for part in component.parts if isinstance(component, Composite) else (component,):
            window = part.missing.stale_after_days or math.inf
            fresh = values.get(f"{part.signal}_age_days", 0.0) <= window
            found.append(part.read(values) if fresh else None)
    return found


@given(cs_signals(), st.data())
def test_dropping_one_more_signal_never_raises(values: dict[str, float], data: st.DataObject) -> None:
    """Removing any one signal from a scorable snapshot gives a score or, if it was the last, no score."""
    if not values:
        return
    dropped = data.draw(st.sampled_from(sorted(values)))
    for signals_ in (values, {k: v for k, v in values.items() if k != dropped}):
        try:
            CS_HEALTH_MODEL.score(snap(signals_))
        except NoHealthDataError:
            pass


# ---- side by side with the default model on the sample portfolio -------------------------------------------------


@pytest.fixture(scope="module")
def changes() -> list[Any]:
    from postsale.adapters.sample import sample_portfolio

    snapshots = sample_portfolio(200, seed=7).snapshots()
    return [attribute_change(BASIC_HEALTH_MODEL.score(s), CS_HEALTH_MODEL.score(s)) for s in snapshots]


def test_on_the_sample_28_of_174_accounts_move_up_a_band_and_none_down(changes: list[Any]) -> None:
    """On the sample (200 accounts, seed 7; 174 active), 28 accounts change band, all upward."""
    moved = [c for c in changes if c.band_changed]
    assert (174, 28) == (len(changes), len(moved))
    assert {"YELLOW -> GREEN": 27, "RED -> YELLOW": 1} == Counter(
        f"{c.band_before.name} -> {c.band_after.name}" for c in moved)


def test_on_the_sample_product_usage_explains_every_band_change(changes: list[Any]) -> None:
    """For every account that changes band, product usage is the component that moved it most (up)."""
    moved = [c for c in changes if c.band_changed]
    assert all(c.moves[0].name == "product_usage" and c.moves[0].delta > 0 for c in moved)
    for change in changes:  # the moves add up to the difference between the two models' scores
        assert pytest.approx(change.delta, abs=1e-9) == math.fsum(m.delta for m in change.moves)


def test_on_the_sample_one_account_side_by_side(changes: list[Any]) -> None:
    """The side-by-side of one account names both models and how each component moved the score."""
    change = next(c for c in changes if c.account_id == "ACC-00059")
    assert [
        "Health of ACC-00059 rose 9.1 points from 34.9 (RED) to 44.0 (YELLOW) on 2026-11-01.",
        "The model changed from postsale-basic v1 to postsale-cs v1; the move is the models' difference.",
        "Product usage moved it +10.4 points: went from 45.0 to 54.0 points.",
        "Relationship moved it +5.7 points: went from 25.0 to 40.0 points.",
        "Business context moved it -4.1 points: kept 41.1 points; its share changed from 25.0% to 15.0%.",
        "Sentiment moved it -2.9 points: kept 28.5 points; its share changed from 25.0% to 15.0%.",
    ] == change.explain()


def test_the_published_health_model_schema_describes_the_cs_model() -> None:
    """The JSON Schema of a health model validates the CS model's data (composites and trends included)."""
    jsonschema = pytest.importorskip("jsonschema")
    import postsale
    from postsale.triggers import health_model_schema

    jsonschema.validate(postsale.to_data(CS_HEALTH_MODEL), health_model_schema())
    assert postsale.from_json(type(CS_HEALTH_MODEL), postsale.to_json(CS_HEALTH_MODEL)) == CS_HEALTH_MODEL
