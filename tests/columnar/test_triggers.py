"""The columnar twin of trigger condition evaluation gives the scalar engine's answers (DESIGN.md principle 6)."""

from __future__ import annotations

import math
import subprocess
import sys
from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from postsale import AccountSnapshot, HealthBand, InvalidTypeError, InvalidValueError, PostsaleError, signals
from postsale._columnar_triggers import trigger_hits
from postsale.triggers import (
    CATALOG,
    DEFAULT_RULE_SET,
    AccountState,
    Action,
    ActionChannel,
    ActionKind,
    BandPolicy,
    BandTransition,
    DaysInBand,
    DaysSince,
    DaysUntil,
    Engine,
    PercentChange,
    Ratio,
    Rule,
    RuleSet,
    Sla,
    Threshold,
)
from tests.strategies.triggers import rule_sets

DAY = date(2026, 3, 2)
NAN = float("nan")
NAMES = sorted(
    {
        signals.LOGINS_WEEK,
        signals.LOGINS_PREV_WEEK,
        signals.SUPPORT_TICKETS_WEEK,
        signals.CORE_FEATURE_USAGE,
        signals.DISTINCT_FEATURES_USED,
        signals.USAGE_LIMIT_RATIO,
        signals.HEALTH_SCORE,
        signals.SEAT_UTILISATION,
        signals.CRITICAL_FEATURE_USAGE,
        signals.CRITICAL_FEATURE_USAGE_PREV,
        signals.ACTIVITY_PERCENTILE,
        signals.CORE_SETUP_COMPLETION,
        signals.FIRST_VALUE_DOCUMENTED,
        signals.STORAGE_RATIO,
        signals.LICENSE_DAYS_LEFT,
        signals.FUNDING_ANNOUNCED,
        signals.ACQUISITION_ANNOUNCED,
        signals.LEADERSHIP_CHANGE,
        signals.CHAMPION_LEFT,
    }
)
ACTION = Action(ActionKind.CHECK_IN, ActionChannel.EMAIL, "do it")


class _Score:
    def __init__(self, value: float) -> None:
        self.value = value


class _Scorer:
    """A health model stand-in: the score of each account is given up front."""

    def __init__(self, scores: dict[str, float]) -> None:
        self.scores = scores

    def score(self, snapshot: AccountSnapshot) -> _Score:
        return _Score(self.scores[snapshot.account_id])


# ---- random rows: a snapshot, the previous one and the carried state -------------------------------------------
values = st.one_of(
    st.none(),
    st.integers(0, 120).map(float),
    st.sampled_from([0.3, 0.5, 0.75, 0.8, 1.0, 7.0, 9.5, 10.0, 14.0, 15.0]),
    st.floats(0, 120, allow_nan=False),
)
scores = st.one_of(st.integers(0, 100).map(float), st.sampled_from([39.5, 40.0, 50.0, 69.9, 70.0, 80.0]))


@st.composite
def signal_maps(draw: st.DrawFn) -> dict[str, float]:
    """Signals of one snapshot (any may be absent), counts >= 0, health 0-100."""
    found = {}
    for name in NAMES:
        value = draw(scores | st.none()) if name == signals.HEALTH_SCORE else draw(values)
        if value is not None:
            found[name] = value
    return found


@st.composite
def rows(draw: st.DrawFn, index: int, rule_ids: list[str]) -> dict[str, Any]:
    """One account: its snapshot now, its state from the previous evaluation and the health score now."""
    purchased = draw(st.integers(0, 50))
    start = draw(st.none() | st.integers(-10, 100).map(lambda k: DAY - timedelta(days=k)))
    end = draw(st.none() | st.integers(-10, 130).map(lambda k: DAY + timedelta(days=k)))
    if start is not None and end is not None and end <= start:
        end = None
    snapshot = AccountSnapshot(
        f"acct-{index}",
        "SMB",
        DAY,
        contract_start=start,
        contract_end=end,
        seats_purchased=purchased,
        seats_active=draw(st.integers(0, 60)),
        acv=draw(st.integers(0, 10**6)),
        signals=draw(signal_maps()),
    )
    gap = draw(st.integers(1, 30))
    previous = draw(signal_maps())
    prev_score = draw(scores | st.none())
    band = draw(st.none() | st.sampled_from(list(HealthBand)))
    state = AccountState(
        snapshot.account_id,
        DAY - timedelta(days=gap),
        score=prev_score,
        band=band,
        band_since=None if band is None else DAY - timedelta(days=gap + draw(st.integers(0, 40))),
        previous=previous,
        active=[r for r in rule_ids if draw(st.booleans())],
    )
    return {"snapshot": snapshot, "state": state, "score": draw(scores)}


@st.composite
def cases(draw: st.DrawFn) -> tuple[RuleSet, list[dict[str, Any]], str]:
    """A rule set (random, or the default one), 1-6 rows, and how health reaches the columnar path."""
    rule_set = draw(st.one_of(rule_sets(), st.just(DEFAULT_RULE_SET)))
    ids = [r.id for r in rule_set.rules]
    n = draw(st.integers(1, 6))
    return rule_set, [draw(rows(i, ids)) for i in range(n)], draw(st.sampled_from(["signals", "model", "bands"]))


def _column(items: list[float | None]) -> np.ndarray[Any, Any]:
    return np.array([NAN if v is None else v for v in items], dtype=float)


def _dates(items: list[date | None]) -> np.ndarray[Any, Any]:
    return np.array([np.datetime64("NaT") if d is None else np.datetime64(d, "D") for d in items], dtype="M8[D]")


def _columnar(rule_set: RuleSet, rows: list[dict[str, Any]], mode: str) -> dict[str, np.ndarray[Any, Any]]:
    """Build the columns of ``rows`` as a caller would and evaluate them."""
    snaps = [r["snapshot"] for r in rows]
    states = [r["state"] for r in rows]
    columns = {name: _column([s.signals.get(name) for s in snaps]) for name in NAMES}
    columns["seats_purchased"] = _column([s.seats_purchased for s in snaps])
    columns["seats_active"] = _column([s.seats_active for s in snaps])
    columns["acv"] = _column([float(s.acv) for s in snaps])
    columns["contract_start"] = _dates([s.contract_start for s in snaps])
    columns["contract_end"] = _dates([s.contract_end for s in snaps])
    for band in HealthBand:
        # consecutive days in the band as of DAY, read on the rows whose band now is that band (0 if just entered)
        columns[f"days_in_band.{band.name}"] = _column(
            [(DAY - st.band_since).days if st.band is band and st.band_since else 0 for st in states]
        )
    for rule in rule_set.rules:
        columns[f"active.{rule.id}"] = np.array([rule.id in st.active for st in states])
    previous = {name: _column([st.previous.get(name) for st in states]) for name in NAMES}
    health: dict[str, Any] = {"previous_score": _column([st.score for st in states])}
    if mode == "model":
        health["score"] = _column([r["score"] for r in rows])
    if mode != "signals":
        health["previous_band"] = np.array([0 if st.band is None else int(st.band) for st in states])
    return trigger_hits(columns, rule_set, as_of=DAY, previous=previous, health=health)


def _scalar(rule_set: RuleSet, rows: list[dict[str, Any]], mode: str) -> dict[str, list[bool]]:
    """The scalar engine's condition path: the rules ``Engine.step`` records as holding (hygiene aside)."""
    model = _Scorer({r["snapshot"].account_id: r["score"] for r in rows}) if mode == "model" else None
    engine = Engine(rule_set, health_model=model)
    held = [engine.step(r["state"], r["snapshot"])[0].active for r in rows]
    return {rule.id: [rule.id in h for h in held] for rule in rule_set.rules}


def _plain_bands(rows: list[dict[str, Any]], policy: BandPolicy) -> list[dict[str, Any]]:
    """Rows whose carried band is the band of the carried score without hysteresis (as after a first step)."""
    out = []
    for r in rows:
        st_ = r["state"]
        band = (
            None
            if st_.score is None
            else HealthBand.of(st_.score, green_from=policy.green_from, yellow_from=policy.yellow_from)
        )
        since = st_.band_since if st_.band_since is not None else st_.as_of
        out.append(
            {
                **r,
                "state": AccountState(
                    st_.account_id,
                    st_.as_of,
                    score=st_.score,
                    band=band,
                    band_since=None if band is None else since,
                    previous=st_.previous,
                    active=st_.active,
                ),
            }
        )
    return out


# ---- properties ------------------------------------------------------------------------------------------------
@given(cases())
def test_every_rule_matches_the_scalar_engine(case: tuple[RuleSet, list[dict[str, Any]], str]) -> None:
    """For random rule sets and snapshots, each rule's columnar hit equals the scalar engine's, row by row."""
    rule_set, rows, mode = case
    if mode == "signals":
        rows = _plain_bands(rows, rule_set.bands)
    expected = _scalar(rule_set, rows, mode)
    actual = {rid: hits.tolist() for rid, hits in _columnar(rule_set, rows, mode).items()}
    assert expected == actual


@given(st.lists(st.tuples(values, values), min_size=1, max_size=20))
def test_login_decline_matches_at_the_minimum_base_volume(pairs: list[tuple[float | None, float | None]]) -> None:
    """U1 (30 % drop, base >= 10) gives the scalar answer for any pair, absent values and the boundaries included."""
    rule_set = CATALOG.select("U1")
    snaps = [
        AccountSnapshot(
            f"a{i}",
            "SMB",
            DAY,
            signals={
                k: v
                for k, v in zip((signals.LOGINS_WEEK, signals.LOGINS_PREV_WEEK), pair, strict=True)
                if v is not None
            },
        )
        for i, pair in enumerate(pairs)
    ]
    columns = {
        signals.LOGINS_WEEK: _column([p[0] for p in pairs]),
        signals.LOGINS_PREV_WEEK: _column([p[1] for p in pairs]),
    }
    engine = Engine(rule_set)
    expected = ["U1" in engine.step(None, s)[0].active for s in snaps]
    assert expected == trigger_hits(columns, rule_set, as_of=DAY)["U1"].tolist()


# ---- boundaries and absent values ------------------------------------------------------------------------------
def test_threshold_holds_exactly_at_the_boundary() -> None:
    """H4 (tickets >= 3) holds at 3, not just below, and never on an absent signal."""
    columns = {signals.SUPPORT_TICKETS_WEEK: np.array([3.0, math.nextafter(3.0, 0), NAN])}
    assert [True, False, False] == trigger_hits(columns, CATALOG.select("H4"), as_of=DAY)["H4"].tolist()


def test_minimum_base_volume_is_inclusive() -> None:
    """U1 counts a base of exactly 10 (10 → 7 is a 30 % drop) but not 9 → 0."""
    columns = {signals.LOGINS_WEEK: np.array([7.0, 0.0, 7.0]), signals.LOGINS_PREV_WEEK: np.array([10.0, 9.0, NAN])}
    assert [True, False, False] == trigger_hits(columns, CATALOG.select("U1"), as_of=DAY)["U1"].tolist()


def test_not_equal_never_holds_on_an_absent_signal() -> None:
    """``!=`` on a missing signal is False, as in the scalar engine (NaN != t would be True in numpy)."""
    rule_set = RuleSet("t", (Rule("X", "x", Threshold(signals.NPS, "!=", 5), ACTION, Sla.H48),))
    assert [True, False, False] == trigger_hits({signals.NPS: np.array([4.0, 5.0, NAN])}, rule_set, as_of=DAY)[
        "X"
    ].tolist()


def test_ratio_needs_a_non_zero_denominator() -> None:
    """M2 (active / purchased >= 0.8) holds at 0.8 exactly and never without purchased seats."""
    columns = {"seats_active": np.array([8.0, 7.0, 0.0]), "seats_purchased": np.array([10.0, 10.0, 0.0])}
    assert [True, False, False] == trigger_hits(columns, CATALOG.select("M2"), as_of=DAY)["M2"].tolist()


def test_general_ratio_skips_absent_parts() -> None:
    """A ratio of two plain signals never holds with an absent part or a zero denominator."""
    ratio = Ratio(signals.LOGINS_WEEK, signals.LOGINS_PREV_WEEK, "!=", 0.5)
    rule_set = RuleSet("t", (Rule("X", "x", ratio, ACTION, Sla.H48),))
    columns = {
        signals.LOGINS_WEEK: np.array([1.0, NAN, 1.0, 1.0]),
        signals.LOGINS_PREV_WEEK: np.array([4.0, 2, 0, NAN]),
    }
    assert [True, False, False, False] == trigger_hits(columns, rule_set, as_of=DAY)["X"].tolist()


def test_days_until_renewal_bounds_are_inclusive() -> None:
    """M1 holds 0 and 90 days before renewal, not 91 or after it, nor without an end date."""
    ends = _dates([DAY, DAY + timedelta(days=90), DAY + timedelta(days=91), DAY - timedelta(days=1), None])
    assert [True, True, False, False, False] == trigger_hits({"contract_end": ends}, CATALOG.select("M1"), as_of=DAY)[
        "M1"
    ].tolist()


def test_as_of_may_be_a_column() -> None:
    """Each row may have its own snapshot date (U2: day 30 after contract start)."""
    starts = _dates([date(2026, 1, 1), date(2026, 1, 1)])
    as_of = _dates([date(2026, 1, 31), date(2026, 1, 30)])
    columns = {"contract_start": starts, signals.CORE_FEATURE_USAGE: np.array([0.0, 0.0])}
    assert [True, False] == trigger_hits(columns, CATALOG.select("U2"), as_of=as_of)["U2"].tolist()


def test_derived_signals_are_computed_from_fields() -> None:
    """Thresholds on acv, days to renewal, days since start and utilisation read the snapshot's fields."""
    rules = (
        Rule("A", "a", Threshold(signals.ACV, ">=", 1000), ACTION, Sla.H48),
        Rule("B", "b", Threshold(signals.DAYS_TO_RENEWAL, "<=", 30), ACTION, Sla.H48),
        Rule("C", "c", Threshold(signals.DAYS_SINCE_START, ">=", 10), ACTION, Sla.H48),
        Rule("D", "d", Threshold(signals.SEAT_UTILISATION, "<", 0.5), ACTION, Sla.H48),
    )
    columns = {
        "acv": np.array([1000.0, 999.0]),
        "contract_end": _dates([DAY + timedelta(days=30), None]),
        "contract_start": _dates([DAY - timedelta(days=10), None]),
        "seats_purchased": np.array([10.0, 0.0]),
        "seats_active": np.array([4.0, 0.0]),
    }
    hits = trigger_hits(columns, RuleSet("t", rules), as_of=DAY)
    assert {"A": [True, False], "B": [True, False], "C": [True, False], "D": [True, False]} == {
        k: v.tolist() for k, v in hits.items()
    }


def test_days_since_with_an_upper_bound() -> None:
    """DaysSince with at_most holds within the range only."""
    rule_set = RuleSet("t", (Rule("X", "x", DaysSince("contract_end", 0, at_most=5), ACTION, Sla.H48),))
    ends = _dates([DAY, DAY - timedelta(days=5), DAY - timedelta(days=6)])
    assert [True, True, False] == trigger_hits({"contract_end": ends}, rule_set, as_of=DAY)["X"].tolist()


def test_band_transitions_without_hysteresis_policy() -> None:
    """With hysteresis 0 the band is the plain band of the score; H1 fires on GREEN → YELLOW."""
    rule_set = RuleSet("t", CATALOG.select("H1").rules, bands=BandPolicy(hysteresis=0.0))
    health = {"score": np.array([65.0, 75.0]), "previous_score": np.array([80.0, 80.0])}
    assert [True, False] == trigger_hits({}, rule_set, as_of=DAY, health=health)["H1"].tolist()


def test_hits_are_in_rule_set_order() -> None:
    """The result lists every rule of the set, in order."""
    columns = {"x": np.zeros(2)}
    rule_set = CATALOG.select("H4", "M3")
    with pytest.raises(PostsaleError):
        trigger_hits(columns, rule_set, as_of=DAY)
    ok = {signals.SUPPORT_TICKETS_WEEK: np.zeros(2), signals.CORE_SETUP_COMPLETION: np.ones(2)}
    assert ["H4", "M3"] == list(trigger_hits(ok, rule_set, as_of=DAY))


# ---- error paths -----------------------------------------------------------------------------------------------
def test_mismatched_lengths_are_refused() -> None:
    """Columns of different lengths raise InvalidValueError naming the column."""
    columns = {signals.LOGINS_WEEK: np.zeros(3), signals.LOGINS_PREV_WEEK: np.zeros(2)}
    with pytest.raises(InvalidValueError, match=r"logins_prev_week.*2 rows"):
        trigger_hits(columns, CATALOG.select("U1"), as_of=DAY)


def test_unknown_column_names_the_rule_and_the_column() -> None:
    """A rule reading a column that was not given raises a PostsaleError naming both."""
    with pytest.raises(PostsaleError, match=r"columns\['critical_feature_usage_prev'\].*rule U3") as info:
        trigger_hits({signals.CRITICAL_FEATURE_USAGE: np.zeros(2)}, CATALOG.select("U3"), as_of=DAY)
    assert "columns['critical_feature_usage_prev']" == info.value.field


def test_missing_previous_names_the_rule() -> None:
    """A rule reading the previous snapshot needs ``previous``."""
    rule_set = RuleSet("t", (Rule("X", "x", PercentChange(signals.LOGINS_WEEK, 0.3), ACTION, Sla.H48),))
    with pytest.raises(PostsaleError, match=r"previous\['logins_week'\].*rule X"):
        trigger_hits({signals.LOGINS_WEEK: np.zeros(2)}, rule_set, as_of=DAY)
    with pytest.raises(PostsaleError, match=r"previous\['logins_week'\].*rule X"):
        trigger_hits({signals.LOGINS_WEEK: np.zeros(2)}, rule_set, as_of=DAY, previous={"other": np.zeros(2)})


def test_days_in_band_without_its_column_is_refused() -> None:
    """H3 needs the carried ``days_in_band.YELLOW`` column; without it the error names the rule."""
    health = {"score": np.array([50.0]), "previous_score": np.array([50.0])}
    with pytest.raises(PostsaleError, match=r"days_in_band.YELLOW.*rule H3"):
        trigger_hits({}, CATALOG.select("H3"), as_of=DAY, health=health)


def test_hysteresis_without_its_active_column_is_refused() -> None:
    """A threshold with a release needs ``active.<rule>``: whether the rule held at the previous evaluation."""
    rule_set = RuleSet("t", (Rule("X", "x", Threshold(signals.NPS, "<", 4, release=6), ACTION, Sla.H48),))
    with pytest.raises(PostsaleError, match=r"active.X.*rule X"):
        trigger_hits({signals.NPS: np.array([5.0])}, rule_set, as_of=DAY)
    held = trigger_hits({signals.NPS: np.array([5.0, 5.0]), "active.X": np.array([1.0, 0.0])}, rule_set, as_of=DAY)
    assert [True, False] == held["X"].tolist()


def test_bad_tables_are_refused() -> None:
    """Non-mappings, 2-D columns, unknown health keys and bad band codes are refused."""
    with pytest.raises(InvalidTypeError):
        trigger_hits([1.0], as_of=DAY)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="one-dimensional"):
        trigger_hits({"x": np.zeros((2, 2))}, as_of=DAY)
    with pytest.raises(PostsaleError, match="health\\['band'\\]"):
        trigger_hits({"x": np.zeros(2)}, as_of=DAY, health={"band": np.zeros(2)})
    with pytest.raises(PostsaleError, match="columns\\[1\\]"):
        trigger_hits({1: np.zeros(2)}, as_of=DAY)  # type: ignore[dict-item]
    with pytest.raises(InvalidValueError, match="band code"):
        trigger_hits({"x": np.zeros(2)}, as_of=DAY, health={"previous_band": np.array([4, 1])})


def test_bad_arguments_are_refused() -> None:
    """A rule set that is not a RuleSet, a bad as_of, and no columns at all are refused."""
    with pytest.raises(InvalidTypeError, match="rule_set"):
        trigger_hits({"x": np.zeros(1)}, "CATALOG", as_of=DAY)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="as_of"):
        trigger_hits({"x": np.zeros(1)}, as_of="2026-03-02")
    with pytest.raises(InvalidTypeError, match="as_of"):
        trigger_hits({"x": np.zeros(1)}, as_of=np.zeros(1))
    with pytest.raises(InvalidValueError, match="has no column"):
        trigger_hits({}, as_of=DAY)


def test_negative_counts_and_scores_out_of_range_are_refused() -> None:
    """Like the engine: a negative count read by a rule, or a health score outside 0-100, is an input error."""
    with pytest.raises(InvalidValueError, match="read by rule H4"):
        trigger_hits({signals.SUPPORT_TICKETS_WEEK: np.array([1.0, -1.0])}, CATALOG.select("H4"), as_of=DAY)
    health = {"score": np.array([101.0]), "previous_score": np.array([50.0])}
    with pytest.raises(InvalidValueError, match="0-100"):
        trigger_hits({}, CATALOG.select("H1"), as_of=DAY, health=health)


def test_core_imports_without_numpy() -> None:
    """The module imports without numpy; calling it names the extra to install."""
    code = (
        "import sys; sys.modules['numpy'] = None; sys.modules['pandas'] = None\n"
        "from datetime import date\n"
        "from postsale._columnar_triggers import trigger_hits\n"
        "from postsale.adapters.frame import MissingDependencyError\n"
        "try:\n    trigger_hits({}, as_of=date(2026, 1, 1))\n"
        "except MissingDependencyError as e:\n    print('frame' in str(e))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "True" == out.stdout.strip()


def test_the_default_rule_set_runs_on_the_catalog_columns() -> None:
    """The 19 default rules evaluate on one row holding every column they read."""
    columns: dict[str, Any] = {name: np.array([0.0]) for name in NAMES}
    columns.update(
        {
            "seats_purchased": np.array([10.0]),
            "seats_active": np.array([9.0]),
            "contract_start": _dates([DAY - timedelta(days=40)]),
            "contract_end": _dates([DAY + timedelta(days=40)]),
            "days_in_band.YELLOW": np.array([0.0]),
        }
    )
    columns[signals.HEALTH_SCORE] = np.array([50.0])
    previous = {signals.HEALTH_SCORE: np.array([75.0])}
    hits = trigger_hits(columns, as_of=DAY, previous=previous)
    assert ["H1", "M1", "M2", "P3", "U2"] == sorted(k for k, v in hits.items() if v[0])


def test_days_conditions_agree_with_the_scalar_engine() -> None:
    """DaysUntil / DaysSince / DaysInBand / BandTransition(both) agree with the engine on a small grid."""
    rules = (
        Rule("A", "a", DaysUntil("contract_start", 10, at_least=-5), ACTION, Sla.H48),
        Rule("B", "b", DaysInBand(HealthBand.RED, 3), ACTION, Sla.H48),
        Rule(
            "C",
            "c",
            BandTransition((HealthBand.GREEN,), (HealthBand.RED,), min_drop=20, require="both"),
            ACTION,
            Sla.H48,
        ),
    )
    rule_set = RuleSet("t", rules)
    rows = []
    for k in range(-8, 14):
        start = DAY + timedelta(days=k)
        snapshot = AccountSnapshot(f"a{k}", "SMB", DAY, contract_start=start, signals={"health_score": 30.0})
        state = AccountState(
            snapshot.account_id,
            DAY - timedelta(days=1),
            score=75.0 - k,
            band=HealthBand.GREEN,
            band_since=DAY - timedelta(days=5),
        )
        rows.append({"snapshot": snapshot, "state": state, "score": 30.0})
    expected = _scalar(rule_set, rows, "bands")
    actual = {k: v.tolist() for k, v in _columnar(rule_set, rows, "bands").items()}
    assert expected == actual


def test_health_score_reads_the_model_score_when_given() -> None:
    """A threshold on ``health_score`` reads ``health['score']`` (the model's score) before the signal column."""
    rule_set = RuleSet("t", (Rule("X", "x", Threshold(signals.HEALTH_SCORE, "<", 40), ACTION, Sla.H48),))
    columns = {signals.HEALTH_SCORE: np.array([10.0, 90.0, NAN])}
    assert [True, False, False] == trigger_hits(columns, rule_set, as_of=DAY)["X"].tolist()
    health = {"score": np.array([90.0, 10.0, 39.5])}
    assert [False, True, True] == trigger_hits(columns, rule_set, as_of=DAY, health=health)["X"].tolist()
