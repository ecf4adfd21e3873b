"""Behaviour pinned down by the review context's second mutation sample (seed 20, docs/mutation.md).

Equivalent survivors of that sample, with the reason they cannot be told apart:

* ``_start_of``: ``time(0, 0)`` written ``time(0, )`` is the same time.
* ``review_account`` without ``account_id=`` for ``forecast_renewal``: the forecast takes the account from the
  renewal status, which is the same account.

``ReviewSettings``' validators are built when the class is defined, before mutmut switches a mutant on: the limit
validator is therefore also tested by calling ``_at_most`` itself.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import attrs
import pytest

from postsale import AccountSnapshot, InvalidTypeError, InvalidValueError, UnknownNameError
from postsale.cadence import (
    Agenda,
    CadenceItem,
    CadencePlan,
    CadencePlans,
    ContactPreferences,
    Recurrence,
    Touch,
    Window,
)
from postsale.renewal import DEFAULT_PLAYBOOKS, Playbook, StateOrder
from postsale.review import AccountInput, ReviewSettings, review_account, review_portfolio
from postsale.review._values import _at_most

D = date(2026, 6, 1)  # a Monday
SMB = AccountSnapshot("acme", "SMB", D, contract_start=date(2025, 6, 2), contract_end=date(2027, 5, 31))


def _agenda_keys(settings: ReviewSettings | None = None, **given: object) -> list[tuple[str, str]]:
    review = review_account(AccountInput(SMB, **given), settings=settings or ReviewSettings())  # type: ignore[arg-type]
    assert review.agenda is not None
    return [(t.key, t.due_at.date().isoformat()) for t in review.agenda.touches]


def test_the_agenda_follows_the_segments_plan_in_the_settings() -> None:
    weekly = CadencePlan("smb weekly", [CadenceItem("check_in", "Weekly check-in", "quick_update",
                                                    recurrence=Recurrence("week", 1))])
    keys = _agenda_keys(ReviewSettings(cadence=CadencePlans({"SMB": weekly})))
    assert ("check_in", "2026-06-01") in keys and ("check_in", "2026-06-08") in keys
    assert not any(k == "check_in" for k, _ in _agenda_keys())


def test_the_agenda_keeps_the_customers_preferences() -> None:
    """With no quiet day, the Sunday touch of the plan stays on Sunday."""
    weekly = CadencePlan("smb weekly", [CadenceItem("check_in", "Weekly check-in", "quick_update",
                                                    recurrence=Recurrence("week", 1), offset_days=6)])
    settings = ReviewSettings(cadence=CadencePlans({"SMB": weekly}))
    assert ("check_in", "2026-06-08") in _agenda_keys(settings)  # Sunday the 7th moved to Monday
    assert ("check_in", "2026-06-07") in _agenda_keys(settings, preferences=ContactPreferences(quiet_days=()))


def test_the_agenda_follows_the_renewal_timeline_of_the_settings_playbook() -> None:
    """An SMB account 100 days before its renewal is inside a 120-day runway (the settings') and before the
    default 60-day one: its agenda has the renewal ramp only with the settings' playbook."""
    longer = Playbook.define("smb-120", runway_days=120, latest_start_days=60,
                             milestones=[(120, "renewal_offer"), (30, "follow_up"), (0, "renewal")],
                             conversation="renewal_offer", confirmation="follow_up")
    settings = ReviewSettings(renewal=StateOrder(playbooks={**DEFAULT_PLAYBOOKS, "SMB": longer}), agenda_days=30)
    snap = attrs.evolve(SMB, contract_end=date(2026, 9, 8))
    plans = {p.plan for p in (review_account(snap, settings=settings).agenda or Agenda("x", Window(D, D), "UTC",
                                                                                         ())).plans}
    default = {p.plan for p in (review_account(snap).agenda or Agenda("x", Window(D, D), "UTC", ())).plans}
    assert plans - default and all("renewal" in p for p in plans - default)


def test_an_unexpected_failure_of_one_account_names_its_type_and_message(monkeypatch: pytest.MonkeyPatch) -> None:
    from postsale.review import _review

    def boom(account: object, **_: object) -> object:
        raise RuntimeError("down")

    monkeypatch.setattr(_review, "review_account", boom)
    (error,) = review_portfolio([SMB]).errors
    assert error.error_type == "RuntimeError"
    assert error.error.startswith("unexpected RuntimeError while reviewing the account: down (raised in ")


def test_refusals_name_their_field_and_what_to_do() -> None:
    with pytest.raises(InvalidTypeError) as refused:
        review_portfolio([SMB], settings="defaults")  # type: ignore[arg-type]
    assert refused.value.field == "settings"
    with pytest.raises(InvalidValueError) as too_many:
        ReviewSettings(agenda_days=367)
    assert (too_many.value.field, too_many.value.hint) == ("agenda_days", "pass at most 366")
    with pytest.raises(InvalidValueError) as built_now:
        _at_most(5)(None, SimpleNamespace(name="top"), 6)
    assert (built_now.value.field, built_now.value.hint) == ("top", "pass at most 5")
    with pytest.raises(UnknownNameError) as unknown:
        AccountInput(SMB, intent="maybe")
    assert unknown.value.field == "intent"
    summary = review_portfolio([SMB]).summary
    with pytest.raises(InvalidTypeError) as month:
        attrs.evolve(summary, renewals_by_month=[5])
    assert month.value.field == "renewals_by_month[0]"


def test_explain_names_the_next_touch_and_its_channel_only_when_it_has_one() -> None:
    review = review_account(SMB)
    touch = Touch("acme", datetime(2026, 6, 3, 10, tzinfo=UTC), "call", "Account call")
    bare = attrs.evolve(review, agenda=Agenda("acme", Window(D, D), "UTC", (touch,)))
    assert bare.explain()[-1 - len(bare.notes)] == "  next touch: 2026-06-03 Account call"
    emailed = attrs.evolve(review, agenda=Agenda("acme", Window(D, D), "UTC", (attrs.evolve(touch, channel="email"),)))
    assert emailed.explain()[-1 - len(emailed.notes)] == "  next touch: 2026-06-03 Account call via EMAIL"


# ---- the fresh sample (seed 22) -------------------------------------------------------------------------------------
# Equivalent: ``sum(acvs, Decimal(0))`` without its start (a month has at least one renewal, whose ACV is a Decimal).

SUMMARY_DAY = date(2026, 11, 1)


def _renewing(account_id: str, **given: object) -> AccountInput:
    snap = AccountSnapshot(account_id, "MID_MARKET", SUMMARY_DAY, acv=48_000, contract_start=date(2026, 1, 1),
                           contract_end=date(2026, 12, 31), seats_purchased=50, seats_active=40,
                           signals={"nps": 8.0, "sentiment": 70.0, "business_context": 65.0})
    return AccountInput(snap, **given)  # type: ignore[arg-type]


def test_the_summary_counts_timings_and_flags_the_csm_calls_that_disagree() -> None:
    from postsale import Journey
    from postsale.journey import TimingStatus
    from postsale.renewal import ForecastCategory

    journey = Journey.start("a", "MID_MARKET", on=date(2026, 1, 1))
    portfolio = review_portfolio([_renewing("a", journey=journey), _renewing("b", csm_call="AT_RISK")])
    assert sum(portfolio.summary.timing.values()) == 1
    assert set(portfolio.summary.timing) <= set(TimingStatus)
    forecast = portfolio.summary.forecast
    assert forecast is not None
    review_b = next(r for r in portfolio.accounts if r.account_id == "b")
    assert review_b.forecast is not None and review_b.forecast.category is ForecastCategory.AT_RISK
    assert review_b.forecast.disagrees and forecast.flagged == ("b",)


def test_a_failing_renewals_by_month_is_named_in_the_portfolio_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import postsale.review._review as module

    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("down")

    monkeypatch.setattr(module, "RenewalMonth", boom)
    portfolio = review_portfolio([_renewing("a")])
    assert portfolio.summary.renewals_by_month == ()
    assert portfolio.errors[0].error.startswith("renewals by month not computed: unexpected RuntimeError: down")


def test_an_account_without_a_contract_end_still_has_an_agenda() -> None:
    review = review_account(AccountSnapshot("x", "SMB", D, contract_start=date(2025, 6, 2)))
    assert review.renewal is None
    assert review.agenda is not None and not any(n.startswith("no agenda") for n in review.notes)


def test_the_portfolio_scores_alerts_with_the_settings_health_model() -> None:
    """The trigger engine of ``review_portfolio`` uses the settings' health model, as ``review_account`` does."""
    from postsale.health import DEFAULT_HEALTH_MODEL

    strict = attrs.evolve(DEFAULT_HEALTH_MODEL, name="strict",
                          bands=attrs.evolve(DEFAULT_HEALTH_MODEL.bands, green_from=99.0, yellow_from=98.0))
    settings = ReviewSettings(health_model=strict)
    alone = review_account(_renewing("a"), settings=settings)
    (together,) = review_portfolio([_renewing("a")], settings=settings).accounts
    assert together == alone
    assert alone.health is not None and alone.health.band.name == "RED"
    assert alone.trigger_state.band is not None and alone.trigger_state.band.name == "RED"  # what rules read


def test_limits_and_holidays_name_their_field() -> None:
    with pytest.raises(InvalidValueError, match="is too large"):
        _at_most(5)(None, SimpleNamespace(name="top"), 6)
    with pytest.raises(InvalidTypeError) as refused:
        ReviewSettings(holidays=5)  # type: ignore[arg-type]
    assert refused.value.field == "holidays"
    with pytest.raises(InvalidTypeError) as refused:
        ReviewSettings(holidays=[date(2026, 12, 25), "2026-12-26"])  # type: ignore[list-item]
    assert refused.value.field == "holidays[1]"
