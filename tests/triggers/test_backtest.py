"""Backtests: precision, recall within a horizon, median lead time and alert volume per rule."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

import postsale
from postsale import AccountSnapshot, InvalidValueError, UnknownNameError, signals
from postsale.triggers import CATALOG, DEFAULT_RULE_SET, Backtest, Engine, Outcome, OutcomeKind, backtest
from tests.strategies.triggers import histories

START = date(2026, 1, 1)


def history(account, scores, *, segment="ENTERPRISE", tickets=None):
    """Weekly snapshots with the given health scores."""
    out = []
    for i, score in enumerate(scores):
        sig = {signals.HEALTH_SCORE: score}
        if tickets and i in tickets:
            sig[signals.SUPPORT_TICKETS_WEEK] = 5
        out.append(AccountSnapshot(account, segment, START + timedelta(days=7 * i), signals=sig))
    return out


def portfolio():
    # a: declines to RED in week 2, churns 70 days after the H2 alert; b: stays GREEN and renews;
    # c: declines to RED in week 2 too, churns 113 days after the alert (outside a 90-day horizon).
    a = history("a", [80, 60, 30, 30])
    b = history("b", [85, 85, 85, 85])
    c = history("c", [80, 55, 30, 30])
    outcomes = [
        Outcome("a", OutcomeKind.CHURNED, START + timedelta(days=14 + 70)),
        Outcome("b", OutcomeKind.RENEWED, START + timedelta(days=100)),
        Outcome("c", OutcomeKind.CHURNED, START + timedelta(days=7 + 120)),
    ]
    return a + b + c, outcomes


def test_backtest_scores_each_rule():
    """H2 fired for a and c; only a churned within 90 days: precision 1/2, recall 1/2, lead 70 days."""
    snapshots, outcomes = portfolio()
    score = backtest(CATALOG, snapshots, outcomes).rule("H2")
    assert (2, 1, 0.5, 2, 1, 0.5, 70.0, 1) == (
        score.alerts,
        score.true_positives,
        score.precision,
        score.outcomes,
        score.caught,
        score.recall,
        score.median_lead_days,
        score.caught_early,
    )


def test_longer_horizon_catches_more():
    """With a 120-day horizon, c's churn (113 days after its alert) is caught too."""
    snapshots, outcomes = portfolio()
    assert 1.0 == backtest(CATALOG, snapshots, outcomes, horizon_days=120).rule("H2").recall


def test_alert_volume_per_account_week():
    """Alerts per account per week divide delivered alerts by observed account-weeks (3 accounts × 22 days)."""
    snapshots, outcomes = portfolio()
    result = backtest(CATALOG, snapshots, outcomes)
    assert (3, 66 / 7, 2 / (66 / 7)) == (
        result.accounts,
        result.account_weeks,
        result.rule("H2").alerts_per_account_week,
    )


def test_rules_without_target_report_volume_only():
    """A rule predicting nothing (M3) reports counts but no precision or recall."""
    snapshots, outcomes = portfolio()
    score = backtest(CATALOG, snapshots, outcomes).rule("M3")
    assert (
        None,
        None,
        None,
        ["M3: 0 alert(s) delivered, 0 held back by hygiene.", "M3 predicts no outcome; only its volume is reported."],
    ) == (score.target, score.precision, score.recall, score.explain())


def test_target_overrides_each_rules_prediction():
    """target= scores every rule against one outcome kind."""
    snapshots, outcomes = portfolio()
    result = backtest(CATALOG, snapshots, outcomes, target=OutcomeKind.RENEWED)
    assert {OutcomeKind.RENEWED} == {s.target for s in result.rules}


def test_no_alerts_no_precision():
    """A rule that never fired has no precision and zero recall."""
    snapshots, outcomes = portfolio()
    score = backtest(CATALOG, snapshots, outcomes).rule("U1")
    assert (0, None, 0.0, None) == (score.alerts, score.precision, score.recall, score.median_lead_days)


def test_backtest_explain():
    """explain() gives a header and sentences per rule."""
    snapshots, outcomes = portfolio()
    lines = backtest(CATALOG.select("H2"), snapshots, outcomes).explain()
    assert [
        "Backtest of rule set 2026.2 over 3 account(s) (9.42857 account-weeks), horizon 90 days.",
        "H2: 2 alert(s) delivered, 0 held back by hygiene.",
        "1 of them were followed by CHURNED (50% precision).",
        "It caught 1 of 2 CHURNED outcome(s) (50% recall).",
        "Median lead time 70 days; 1 caught early enough.",
        "0.212 alert(s) per account per week.",
    ] == lines


def test_backtest_with_an_engine_and_health_model():
    """A backtest can replay an engine (e.g. one with a health model)."""
    snapshots, outcomes = portfolio()
    assert backtest(Engine(CATALOG), snapshots, outcomes) == backtest(CATALOG, snapshots, outcomes)


def test_backtest_reports_replay_errors():
    """Snapshots that cannot be evaluated are reported, the rest is scored."""
    snapshots, outcomes = portfolio()
    bad = AccountSnapshot("d", "SMB", START, signals={signals.HEALTH_SCORE: 130})
    result = backtest(CATALOG, [*snapshots, bad], outcomes)
    assert ["d"] == [e.account_id for e in result.errors]


def test_backtest_round_trips():
    """A backtest result round-trips through plain data."""
    snapshots, outcomes = portfolio()
    result = backtest(CATALOG, snapshots, outcomes)
    assert result == postsale.from_data(Backtest, postsale.to_data(result))


def test_unknown_rule_in_backtest():
    """Asking for a rule that was not replayed raises UnknownNameError."""
    snapshots, outcomes = portfolio()
    with pytest.raises(UnknownNameError, match="Z9"):
        backtest(CATALOG, snapshots, outcomes).rule("Z9")


@pytest.mark.parametrize(("name", "value"), [("horizon_days", -1), ("early_days", 1.5), ("horizon_days", True)])
def test_bad_horizon_is_refused(name, value):
    """Horizons must be whole numbers of days >= 0."""
    with pytest.raises(InvalidValueError, match=name):
        backtest(CATALOG, [], [], **{name: value})


def test_empty_history():
    """An empty history gives zero volume and no precision."""
    result = backtest(CATALOG, [], [])
    assert (0, 0.0, None) == (result.accounts, result.rule("H2").alerts_per_account_week, result.rule("H2").recall)


@given(
    histories(),
    st.lists(
        st.tuples(st.sampled_from(["acct-0", "acct-1"]), st.sampled_from(list(OutcomeKind)), st.integers(0, 120)),
        max_size=4,
    ),
)
def test_backtests_round_trip(history, raw):
    """Any backtest result round-trips through JSON."""
    outcomes = [Outcome(a, kind, START + timedelta(days=d)) for a, kind, d in raw]
    result = backtest(CATALOG, history, outcomes)
    assert result == postsale.from_json(Backtest, postsale.to_json(result))


def test_backtest_a_health_model():
    """A health model can be backtested: its bands drive the band moves in the replay (GREEN straight to RED: H5)."""
    health = pytest.importorskip("postsale.health")
    good = {signals.NPS: 10, signals.SENTIMENT: 90, signals.BUSINESS_CONTEXT: 90}
    bad = {signals.NPS: 0, signals.SENTIMENT: 5, signals.BUSINESS_CONTEXT: 5}
    history = [
        AccountSnapshot("a", "ENTERPRISE", START + timedelta(days=7 * i), signals=s) for i, s in enumerate([good, bad])
    ]
    outcomes = [Outcome("a", OutcomeKind.CHURNED, START + timedelta(days=60))]
    score = backtest(DEFAULT_RULE_SET, history, outcomes, health_model=health.DEFAULT_HEALTH_MODEL).rule("H5")
    assert (1, 1.0, 53.0) == (score.alerts, score.recall, score.median_lead_days)
