"""The moments beyond the catalog (MOMENTS): health movements, usage patterns, lifecycle moments, a relevant product
update and the expansion triggers, each on both sides of every threshold."""

from __future__ import annotations

from datetime import timedelta

import pytest

from postsale import HealthBand, InvalidValueError, Segment, signals
from postsale.renewal import playbook_for
from postsale.triggers import DEFAULT_RULE_SET, MOMENTS, Engine, OutcomeKind, Priority, RuleSet, Sla
from tests.triggers._helpers import DAY, ctx, days, fires, snap

G, Y, R = HealthBand.GREEN, HealthBand.YELLOW, HealthBand.RED


def test_moments_hold_the_eighteen_rules_in_order():
    """MOMENTS holds H5-H11, U5-U7, L1-L4, E5 and X1-X3."""
    expected = ["H5", "H6", "H7", "H8", "H9", "H10", "H11", "U5", "U6", "U7", "L1", "L2", "L3", "L4", "E5", "X1",
                "X2", "X3"]
    assert expected == [r.id for r in MOMENTS.rules]


@pytest.mark.parametrize(
    ("rule_id", "sla", "priority", "group"),
    [
        ("H5", Sla.SAME_DAY, Priority.URGENT, "health"),
        ("H6", Sla.H24, Priority.HIGH, "health"),
        ("H7", Sla.H24, Priority.HIGH, "health"),
        ("H8", Sla.H48, Priority.HIGH, "health"),
        ("H9", Sla.H48, Priority.HIGH, "health"),
        ("H10", Sla.H48, Priority.HIGH, "health"),
        ("H11", Sla.H48, Priority.HIGH, "health"),
        ("U5", Sla.WITHIN_WEEK, Priority.LOW, "usage"),
        ("U6", Sla.H48, Priority.HIGH, "usage"),
        ("U7", Sla.H48, Priority.NORMAL, "usage"),
        ("L1", Sla.WITHIN_FEW_DAYS, Priority.NORMAL, "lifecycle"),
        ("L2", Sla.WITHIN_WEEK, Priority.NORMAL, "lifecycle"),
        ("L3", Sla.WITHIN_FEW_DAYS, Priority.NORMAL, "lifecycle"),
        ("L4", Sla.WITHIN_WEEK, Priority.NORMAL, "lifecycle"),
        ("E5", Sla.WITHIN_WEEK, Priority.LOW, "event"),
        ("X1", Sla.WITHIN_WEEK, Priority.NORMAL, "expansion"),
        ("X2", Sla.WITHIN_WEEK, Priority.NORMAL, "expansion"),
        ("X3", Sla.WITHIN_WEEK, Priority.NORMAL, "expansion"),
    ],
)
def test_each_moment_has_its_sla_priority_and_group(rule_id, sla, priority, group):
    """The SLA, priority and group of each rule are the ones the field guide's tables give."""
    rule = MOMENTS.rule(rule_id)
    assert (sla, priority, group) == (rule.sla, rule.priority, rule.group)


def test_expansion_triggers_predict_expansion():
    """The expansion triggers are scored against expansions in backtests; the first renewal against renewals."""
    assert {"X1", "X2", "X3"} == {r.id for r in MOMENTS.rules if r.predicts is OutcomeKind.EXPANDED}
    assert OutcomeKind.RENEWED is MOMENTS.rule("L2").predicts


# ---- health movements: one rule per move, named for it ------------------------------------------------------
MOVES = [  # (before, after, previous score, score, the one rule that fires)
    (G, R, 75, 35, "H5"),
    (G, G, 95, 80, "H6"),
    (G, G, 86, 71, "H6"),
    (G, G, 85, 71, None),
    (G, Y, 85, 65, "H1"),
    (G, Y, 70, 69, "H1"),
    (Y, Y, 65, 55, "H7"),
    (Y, Y, 65, 56, None),
    (Y, R, 45, 35, "H2"),
    (R, R, 35, 10, None),
    (Y, G, 60, 85, None),
    (None, R, None, 20, None),
]


@pytest.mark.parametrize(("before", "after", "prev_score", "score", "expected"), MOVES)
def test_one_move_of_the_score_fires_at_most_one_band_rule_named_for_it(before, after, prev_score, score, expected):
    """Band moves (H1 Green to Yellow, H2 Yellow to Red, H5 Green to Red) and sharp drops within a band (H6 15
    points within Green, H7 10 points within Yellow) never fire together, so the name says what happened."""
    c = ctx(after, before, score=score, previous_score=prev_score)
    fired = [r for r in ("H1", "H2", "H5", "H6", "H7") if fires(r, snap(), c)]
    assert ([expected] if expected else []) == fired


def test_the_engine_labels_a_drop_within_green_as_what_it_is():
    """Through the engine, a 95 → 80 drop (still GREEN) is "Sharp drop within Green", not "Green to Yellow"."""
    engine = Engine(DEFAULT_RULE_SET)
    state, _ = engine.step(None, snap(health_score=95))
    _, [alert] = engine.step(state, snap(as_of=days(1), health_score=80))
    assert ("H6", "Sharp drop within Green") == (alert.rule_id, alert.rule_name)
    assert "health band was GREEN → GREEN (rule: stayed in GREEN)." == alert.evidence[0].sentence()


@pytest.mark.parametrize(("prev", "now", "expected"), [(100, 80, True), (100, 81, False), (10, 8, True), (9, 0, False)])
def test_h8_usage_decline_month_over_month(prev, now, expected):
    """H8 fires when logins of the last 30 days are 20 % below the 30 days before (not 19 %), from a base of 10."""
    assert expected == fires("H8", snap(**{signals.LOGINS_PREV_MONTH: prev, signals.LOGINS_MONTH: now}))


@pytest.mark.parametrize(("rule_id", "name", "prev_name"), [
    ("H9", signals.EXECUTIVE_ENGAGEMENT, signals.EXECUTIVE_ENGAGEMENT_PREV),
    ("H10", signals.SENTIMENT, signals.SENTIMENT_PREV),
])
@pytest.mark.parametrize(
    ("prev", "now", "expected"),
    [(100, 80, True), (100, 81, False), (50, 40, True), (50, 39, False), (9, 0, False), (None, 20, False)],
)
def test_component_decline_of_a_fifth_above_the_red_line(rule_id, name, prev_name, prev, now, expected):
    """H9 / H10 fire on a 20 % decline on a month earlier (not 19 %), from a base of 10, while the component stays
    at 40 or more; a fall below 40 is H11's."""
    values = {name: now} if prev is None else {name: now, prev_name: prev}
    assert expected == fires(rule_id, snap(**values))


@pytest.mark.parametrize("name", [signals.EXECUTIVE_ENGAGEMENT, signals.SENTIMENT])
@pytest.mark.parametrize(("value", "active", "expected"),
                         [(39.9, False, True), (40, False, False), (45, True, True), (50, True, False)])
def test_h11_component_crossing_into_red(name, value, active, expected):
    """H11 fires when engagement or sentiment crosses below 40 and stays on until it is back at 50."""
    c = ctx(active=frozenset({"H11"}) if active else frozenset())
    assert expected == fires("H11", snap(**{name: value}), c)


def test_a_fall_of_sentiment_into_the_red_raises_one_alert():
    """Sentiment 60 → 30 (a 50 % fall, now below 40) is H11 only: the decline rule leaves it to the crossing."""
    s = snap(**{signals.SENTIMENT_PREV: 60, signals.SENTIMENT: 30})
    assert [False, True] == [fires("H10", s), fires("H11", s)]


# ---- usage patterns ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("age", "uses", "expected"), [(29, 0, False), (30, 0, True), (30, 1, False), (None, 0, False)])
def test_u5_new_feature_not_adopted(age, uses, expected):
    """U5 fires 30 days after a feature's release (not 29) while it was never used."""
    values = {signals.NEW_FEATURE_USAGE: uses}
    if age is not None:
        values[signals.DAYS_SINCE_FEATURE_RELEASE] = age
    assert expected == fires("U5", snap(**values))


@pytest.mark.parametrize(("silent", "expected"), [(13, False), (14, True), (None, False)])
def test_u6_silent_disengagement(silent, expected):
    """U6 fires when nobody logged in for 14 days (not 13); without the signal it stays silent too."""
    values = {} if silent is None else {signals.DAYS_SINCE_LAST_LOGIN: silent}
    assert expected == fires("U6", snap(**values))


@pytest.mark.parametrize(("drop", "expected"), [(0.29, False), (0.30, True)])
def test_u7_team_usage_drop(drop, expected):
    """U7 fires when one team's usage fell 30 % week over week (not 29 %)."""
    assert expected == fires("U7", snap(**{signals.TEAM_USAGE_DROP: drop}))


# ---- lifecycle moments, product update, expansion flags -------------------------------------------------------
@pytest.mark.parametrize(("rule_id", "signal"), [
    ("L1", signals.TRIAL_CONVERTED),
    ("L3", signals.EXPANSION_IMPLEMENTED),
    ("L4", signals.CHAMPION_PROMOTED),
    ("E5", signals.PRODUCT_UPDATE_RELEVANT),
    ("X1", signals.NEW_DEPARTMENT_INTEREST),
    ("X2", signals.CHAMPION_REQUEST),
])
@pytest.mark.parametrize(("flag", "expected"), [(0, False), (1, True), (None, False)])
def test_event_flags(rule_id, signal, flag, expected):
    """Each event rule fires when its flag is 1, not when it is 0 or missing."""
    assert expected == fires(rule_id, snap(**({} if flag is None else {signal: flag})))


def test_an_event_flag_fires_once_then_again_for_a_new_event():
    """A flag that stays at 1 alerts once; back to 0 and to 1 again (a new event, after the cooldown) alerts again."""
    engine = Engine(MOMENTS.select("L4"))
    state, first = engine.step(None, snap(**{signals.CHAMPION_PROMOTED: 1}))
    state, second = engine.step(state, snap(as_of=days(1), **{signals.CHAMPION_PROMOTED: 1}))
    state, _ = engine.step(state, snap(as_of=days(2), **{signals.CHAMPION_PROMOTED: 0}))
    state, third = engine.step(state.close("L4"), snap(as_of=days(40), **{signals.CHAMPION_PROMOTED: 1}))
    assert [["L4"], [], ["L4"]] == [[a.rule_id for a in alerts if a.delivered] for alerts in (first, second, third)]


@pytest.mark.parametrize("segment", list(Segment))
@pytest.mark.parametrize(("renewed", "offset", "expected"), [(0, 0, True), (0, 1, False), (1, 0, False),
                                                           (None, 0, False)])
def test_l2_first_renewal_at_the_runway_start(segment, renewed, offset, expected):
    """L2 fires when the segment's renewal runway starts (as M1) on an account that never renewed; not a day
    before, not on a second renewal, not when the renewal count is unknown."""
    end = DAY + timedelta(days=playbook_for(segment).runway_days + offset)
    values = {} if renewed is None else {signals.RENEWALS_COMPLETED: renewed}
    assert expected == fires("L2", snap(segment=segment.name, contract_end=end, **values))


@pytest.mark.parametrize(("offset", "active", "band", "expected"), [
    (0, 80, G, True),
    (0, 80, None, True),
    (0, 79, G, False),
    (1, 80, G, False),
    (0, 80, Y, True),
    (0, 80, R, False),
])
def test_x3_renewal_bundling(offset, active, band, expected):
    """X3 fires when the renewal runway has started, seats are at 80 % (not 79 %) and the account is not RED."""
    end = DAY + timedelta(days=playbook_for(Segment.SMB).runway_days + offset)
    s = snap(segment="SMB", contract_end=end, seats_purchased=100, seats_active=active)
    assert expected == fires("X3", s, ctx(band, band))


# ---- the default rule set -------------------------------------------------------------------------------------
def test_moments_alone_are_a_valid_rule_set():
    """MOMENTS is a rule set of its own (same version as the catalog), usable alone."""
    assert isinstance(MOMENTS, RuleSet) and MOMENTS.version == "2026.2"


@pytest.mark.parametrize("name", [signals.DAYS_SINCE_LAST_LOGIN, signals.NEW_FEATURE_USAGE,
                                  signals.DAYS_SINCE_FEATURE_RELEASE, signals.RENEWALS_COMPLETED])
def test_negative_counts_read_by_the_new_rules_are_refused(name):
    """A negative count or day count read by a rule is an input error naming the signal and the rules."""
    with pytest.raises(InvalidValueError, match=name):
        Engine(DEFAULT_RULE_SET).step(None, snap(**{name: -1}))
