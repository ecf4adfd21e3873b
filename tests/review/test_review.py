"""The account and portfolio reviews tie every context together and never let one bad account stop the rest."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest

from postsale import AccountSnapshot, InvalidTypeError, InvalidValueError, Stage, from_data, to_data
from postsale.adapters.frame import to_pandas
from postsale.adapters.sample import sample_portfolio
from postsale.journey import Journey
from postsale.renewal import Contract, ForecastCategory
from postsale.review import (
    AccountInput,
    AccountReview,
    PortfolioReview,
    ReviewSettings,
    review_account,
    review_portfolio,
)

D = date(2026, 11, 1)


def snapshot(account_id: str = "acme", **signals: float) -> AccountSnapshot:
    """A mid-market account renewing in 60 days."""
    base = {"nps": 8.0, "sentiment": 70.0, "business_context": 65.0, "logins_week": 200.0, "logins_prev_week": 210.0}
    base.update(signals)
    return AccountSnapshot(account_id, "MID_MARKET", D, acv=48_000, contract_start=date(2026, 1, 1),
                           contract_end=date(2026, 12, 31), seats_purchased=50, seats_active=40, signals=base,
                           labels={"csm": "aiko"})


def test_review_of_a_bare_snapshot_uses_every_context_it_can() -> None:
    """A snapshot alone gives health, touch model, renewal status, forecast, alerts and next touches."""
    review = review_account(snapshot())
    assert review.health is not None and review.health.band.name == "GREEN"
    assert review.touch is not None and review.touch.model.name == "LOW"
    assert review.renewal is not None and review.renewal.renewal_date == date(2026, 12, 31)
    assert review.forecast is not None
    assert review.stages == () and review.primary_stage is None
    assert review.next_touches and review.next_touches[0].due_at.date() >= D
    assert review.csm == "aiko"
    assert review.explain()[0] == "acme (MID_MARKET, ACV 48,000) on 2026-11-01:"


def test_journey_and_history_add_stages_and_alerts() -> None:
    """With a journey the review reports stages; with history the triggers see a login drop."""
    journey = Journey.start("acme", "MID_MARKET", on=date(2026, 1, 1))
    earlier = snapshot(logins_week=300.0, logins_prev_week=290.0)
    earlier = AccountSnapshot(earlier.account_id, earlier.segment, D - timedelta(days=7), acv=earlier.acv,
                              contract_start=earlier.contract_start, contract_end=earlier.contract_end,
                              seats_purchased=50, seats_active=40, signals=earlier.signals)
    now = snapshot(logins_week=100.0, logins_prev_week=300.0)
    review = review_account(AccountInput(now, journey=journey, history=(earlier,)))
    assert review.primary_stage is Stage.ONBOARDING
    assert review.stages[0].status.name == "STUCK"
    assert "U1" in {a.rule_id for a in review.alerts}
    assert any("alert U1" in line for line in review.explain())


def test_csm_call_is_kept_beside_the_computed_forecast() -> None:
    """A CSM call that disagrees is kept and flagged."""
    review = review_account(AccountInput(snapshot(), csm_call=ForecastCategory.AT_RISK))
    assert review.forecast is not None
    assert review.forecast.csm_call is ForecastCategory.AT_RISK


def test_missing_health_data_and_contract_are_notes_not_errors() -> None:
    """Without health signals or contract dates the review says why those parts are missing."""
    bare = AccountSnapshot("x", "SMB", D)
    review = review_account(bare)
    assert review.health is None and review.renewal is None
    assert any("no health score" in n for n in review.notes)
    assert any("no contract dates" in n for n in review.notes)


def test_inputs_of_another_account_are_refused() -> None:
    """A journey or contract of another account is an error naming it."""
    with pytest.raises(InvalidValueError, match="journey"):
        review_account(AccountInput(snapshot(), journey=Journey.start("other", "SMB", on=D)))
    contract = Contract.from_term("other", "SMB", date(2026, 1, 1), term_months=12, acv=100)
    with pytest.raises(InvalidValueError, match="contract"):
        review_account(AccountInput(snapshot(), contract=contract))
    with pytest.raises(InvalidTypeError, match="AccountInput"):
        review_account("acme")  # type: ignore[arg-type]


def test_portfolio_review_collects_errors_and_reviews_the_rest() -> None:
    """One bad account is reported; the others are reviewed and summarised."""
    good = [snapshot(f"a{i}") for i in range(5)]
    bad = AccountInput(snapshot("broken"), journey=Journey.start("someone-else", "SMB", on=D))
    calls: list[int] = []
    review = review_portfolio([*good, bad], progress=calls.append)
    assert len(review.accounts) == 5
    assert [e.account_id for e in review.errors] == ["broken"]
    assert review.errors[0].index == 5
    assert calls == [1, 2, 3, 4, 5, 6]
    summary = review.summary
    assert summary.accounts == 5
    assert summary.health_distribution == {"GREEN": 5}
    assert summary.renewals_by_month[0].month == "2026-12"
    assert summary.forecast is not None and summary.forecast.renewals_due == 5
    assert summary.tiers is not None
    assert any("could not be reviewed" in line for line in review.explain())


def test_portfolio_review_of_the_sample_has_every_part() -> None:
    """The sample portfolio reviewed with journeys, history and a ledger fills every part of the summary."""
    portfolio = sample_portfolio(150)
    inputs = [AccountInput(a.snapshot_on(portfolio.as_of), journey=a.journey, contract=a.contract,
                           history=a.history(as_of=portfolio.as_of, weeks=4)[:-1],
                           completed_milestones=a.completed_milestones, intent=a.intent)
              for a in portfolio.active]
    review = review_portfolio(inputs, ledger=portfolio.ledger)
    s = review.summary
    assert not review.errors
    assert s.accounts == len(portfolio.active)
    assert sum(s.stage_distribution.values()) >= s.accounts - 5
    assert s.journey is not None and s.retention is not None
    assert s.alerts_total >= len(s.top_alerts) > 0
    assert [a.priority.value for a in s.top_alerts] == sorted(a.priority.value for a in s.top_alerts)
    text = "\n".join(review.explain())
    assert "GRR" in text and "NRR" in text


def test_empty_portfolio() -> None:
    """An empty portfolio has an empty summary."""
    review = review_portfolio([])
    assert (review.summary.accounts, review.summary.forecast, review.summary.tiers) == (0, None, None)


def test_reviews_round_trip() -> None:
    """Account and portfolio reviews are plain values."""
    review = review_portfolio([snapshot("a"), snapshot("b")])
    assert from_data(AccountReview, to_data(review.accounts[0])) == review.accounts[0]
    assert from_data(PortfolioReview, to_data(review)) == review


def test_settings_change_the_horizons() -> None:
    """Settings are validated values; a shorter agenda lists fewer days."""
    short = review_account(snapshot(), settings=ReviewSettings(agenda_days=1))
    assert all(t.due_at.date() == D for t in short.next_touches)
    with pytest.raises(InvalidValueError):
        ReviewSettings(agenda_days=-1)


def test_to_pandas_has_one_row_per_account() -> None:
    """The review turns into a DataFrame with the main columns."""
    pytest.importorskip("pandas")
    frame = to_pandas(review_portfolio([snapshot("a"), snapshot("b")]))
    assert list(frame["account_id"]) == ["a", "b"]
    assert {"stage", "health", "band", "touch_model", "forecast", "alerts"} <= set(frame.columns)


def test_trigger_state_can_be_persisted_between_runs() -> None:
    """Reviewing with the previous review's trigger state gives the same alerts as replaying history."""
    earlier = snapshot(logins_week=300.0, logins_prev_week=290.0)
    earlier = AccountSnapshot(earlier.account_id, earlier.segment, D - timedelta(days=7), acv=earlier.acv,
                              contract_start=earlier.contract_start, contract_end=earlier.contract_end,
                              seats_purchased=50, seats_active=40, signals=earlier.signals)
    now = snapshot(logins_week=100.0, logins_prev_week=300.0)
    first = review_account(earlier)
    assert first.trigger_state is not None
    stored = from_data(type(first.trigger_state), to_data(first.trigger_state))
    continued = review_account(AccountInput(now, state=stored))
    replayed = review_account(AccountInput(now, history=(earlier,)))
    assert [a.rule_id for a in continued.alerts if a.as_of == D] == [a.rule_id for a in replayed.alerts
                                                                      if a.as_of == D]


def test_row_timing_is_the_worst_track_not_the_alphabetical_one() -> None:
    """An account with one track ON_TRACK and one BEHIND shows BEHIND in its row (not ON_TRACK by name order)."""
    from postsale.journey import StageTiming, TimingStatus

    review = review_portfolio([snapshot("a")]).accounts[0]
    timings = tuple(StageTiming(track, Stage.ADOPTION, D, D, 10, status, None, None, None)
                    for track, status in (("core", TimingStatus.ON_TRACK), ("eu", TimingStatus.BEHIND)))
    assert "BEHIND" == attrs.evolve(review, stages=timings).row()["timing"]


def test_a_review_builds_only_the_history_alerts_it_keeps_and_answers_the_same() -> None:
    """The review replays history keeping only the alerts it shows (the engine's own step); an engine whose step is
    overridden gets every alert of every step, and the reviews are the same."""
    from postsale.review import DEFAULT_REVIEW_SETTINGS
    from postsale.triggers import Engine

    class Counting(Engine):
        __slots__ = ("steps",)

        def step(self, state, snapshot, *, now=None):  # type: ignore[no-untyped-def]
            self.steps += 1
            return super().step(state, snapshot, now=now)

    settings = DEFAULT_REVIEW_SETTINGS
    engine = Engine(settings.rule_set, health_model=settings.health_model)
    counting = Counting(settings.rule_set, health_model=settings.health_model)
    counting.steps = 0
    portfolio = sample_portfolio(60)
    stepped = 0
    for account in portfolio.active:
        inp = AccountInput(account.snapshot_on(portfolio.as_of), journey=account.journey, contract=account.contract,
                           history=account.history(as_of=portfolio.as_of, weeks=13)[:-1],
                           completed_milestones=account.completed_milestones, intent=account.intent)
        assert review_account(inp, engine=engine) == review_account(inp, engine=counting)
        stepped += len(inp.history) + 1
    assert counting.steps == stepped
