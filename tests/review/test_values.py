"""The review's values are immutable: every mapping a private FrozenDict, every collection a tuple, made and checked
at construction; they hash, pickle and round-trip unchanged."""

from __future__ import annotations

import pickle
from datetime import date
from types import MappingProxyType
from typing import Any

import attrs
import pytest

from postsale import AccountSnapshot, PostsaleError, Stage, from_data, from_json, to_data, to_json
from postsale._frozen import FrozenDict, ImmutableError
from postsale.journey import TimingStatus
from postsale.renewal import ForecastCategory, Intent
from postsale.review import (
    AccountInput,
    PortfolioReview,
    PortfolioSummary,
    RenewalMonth,
    ReviewError,
    ReviewSettings,
    review_portfolio,
)

D = date(2026, 11, 1)


def portfolio() -> PortfolioReview:
    """Two accounts renewing within the horizon, one of them repeated (so there is an error too)."""
    snaps = [AccountSnapshot(name, "MID_MARKET", D, acv=48_000, contract_start=date(2026, 1, 1),
                             contract_end=date(2026, 12, 31), signals={"nps": 8.0, "sentiment": 70.0},
                             labels={"csm": "aiko"}) for name in ("acme", "globex", "acme")]
    return review_portfolio(snaps)


@pytest.mark.parametrize("path", ["summary.stage_distribution", "summary.timing", "summary.health_distribution",
                                  "summary.renewals_by_month.0.by_category"])
def test_the_summary_mappings_are_frozen_dicts_that_refuse_changes(path: str) -> None:
    """stage_distribution, timing, health_distribution and by_category cannot be changed in place."""
    value: Any = portfolio()
    for part in path.split("."):
        value = value[int(part)] if part.isdigit() else getattr(value, part)
    assert type(value) is FrozenDict
    key = next(iter(value))
    with pytest.raises(ImmutableError):
        value[key] = 99
    with pytest.raises(ImmutableError):
        value.clear()


def test_collections_become_tuples_and_mappings_private_copies() -> None:
    """Lists become tuples; a dict or MappingProxyType given is copied, so changing it later changes nothing."""
    review = portfolio()
    source = {Stage.ONBOARDING: 1}
    proxy = MappingProxyType({"GREEN": 2})
    summary = attrs.evolve(review.summary, stage_distribution=source, health_distribution=proxy,
                           top_alerts=list(review.summary.top_alerts))
    source[Stage.ONBOARDING] = 5
    proxy_backing = dict(proxy)
    proxy_backing["RED"] = 1
    assert summary.stage_distribution == {Stage.ONBOARDING: 1}
    assert summary.health_distribution == {"GREEN": 2}
    assert type(summary.top_alerts) is tuple
    rebuilt = PortfolioReview(review.as_of, list(review.accounts), summary, list(review.errors))
    assert type(rebuilt.accounts) is tuple and type(rebuilt.errors) is tuple
    milestones = {"kickoff": D}
    account = AccountInput(AccountSnapshot("a", "SMB", D), completed_milestones=milestones, history=[])
    milestones["late"] = D
    assert account.completed_milestones == {"kickoff": D} and account.history == ()


def test_review_values_hash_and_equal_values_hash_equal() -> None:
    """A portfolio review (and each of its parts) is hashable; two equal reviews hash the same."""
    first, second = portfolio(), portfolio()
    assert first == second
    assert hash(first) == hash(second)
    assert hash(first.summary.renewals_by_month[0]) == hash(second.summary.renewals_by_month[0])
    assert len({first.accounts[0], second.accounts[0]}) == 1
    assert hash(AccountInput(AccountSnapshot("a", "SMB", D), completed_milestones={"kickoff": D}))


def test_review_values_round_trip_through_data_json_and_pickle() -> None:
    """to_data/from_data, to_json/from_json and pickle give back an equal value, with frozen mappings inside."""
    review = portfolio()
    for back in (from_data(PortfolioReview, to_data(review)), from_json(PortfolioReview, to_json(review)),
                 pickle.loads(pickle.dumps(review))):
        assert back == review
        assert type(back.summary.stage_distribution) is FrozenDict
        assert type(back.summary.renewals_by_month[0].by_category) is FrozenDict
    assert to_data(review.summary)["health_distribution"] == {"YELLOW": 2}
    assert to_data(review.errors[0])["error_type"] == "DuplicateAccount"
    account = AccountInput(AccountSnapshot("a", "SMB", D), completed_milestones={"kickoff": D}, intent="RENEW")
    assert from_data(AccountInput, to_data(account)) == account
    assert account.intent is Intent.RENEW


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: AccountInput(5), "snapshot"),
        (lambda: AccountInput(AccountSnapshot("a", "SMB", D), history=[5]), "history[0]"),
        (lambda: AccountInput(AccountSnapshot("a", "SMB", D), history=5), "history"),
        (lambda: AccountInput(AccountSnapshot("a", "SMB", D), completed_milestones={"kickoff": "2026"}),
         "completed_milestones['kickoff']"),
        (lambda: AccountInput(AccountSnapshot("a", "SMB", D), completed_milestones=[1]), "completed_milestones"),
        (lambda: AccountInput(AccountSnapshot("a", "SMB", D), csm_call="MAYBE"), "csm_call"),
        (lambda: AccountInput(AccountSnapshot("a", "SMB", D), journey="acme"), "journey"),
        (lambda: ReviewSettings(agenda_days=10**9), "agenda_days"),
        (lambda: ReviewSettings(renewal_horizon_months=10**9), "renewal_horizon_months"),
        (lambda: ReviewSettings(rule_set=[]), "rule_set"),
        (lambda: ReviewSettings(renewal={"SMB": None}), "renewal"),
        (lambda: ReviewSettings(forecast_rules=[]), "forecast_rules"),
        (lambda: RenewalMonth("2026-13", 1, 0, {}), "month"),
        (lambda: RenewalMonth("2026-04", 1, 0, {ForecastCategory.COMMIT: -1}), "by_category[<ForecastCategory"),
        (lambda: RenewalMonth("2026-04", 1, 0, 5), "by_category"),
        (lambda: ReviewError("a", "3", "bad"), "index"),
        (lambda: attrs.evolve(portfolio().summary, timing={"LATE": 1}), "timing['LATE']"),
        (lambda: attrs.evolve(portfolio().summary, stage_distribution={Stage.ONBOARDING: 1.5}),
         "stage_distribution[<Stage"),
        (lambda: attrs.evolve(portfolio().accounts[0], notes=[1]), "notes[0]"),
        (lambda: attrs.evolve(portfolio(), accounts="acme"), "accounts"),
    ],
)
def test_bad_values_are_refused_with_a_documented_error_naming_the_field(build: Any, field: str) -> None:
    """Every field is checked when a value is built: the error is a PostsaleError naming the field."""
    with pytest.raises(PostsaleError) as caught:
        build()
    assert (caught.value.field or "").startswith(field)


def test_a_review_with_no_renewals_or_alerts_has_empty_frozen_parts() -> None:
    """An empty portfolio's summary holds empty tuples and frozen mappings, not lists or dicts."""
    summary = review_portfolio([]).summary
    assert isinstance(summary, PortfolioSummary)
    assert summary.renewals_by_month == () and summary.top_alerts == ()
    assert type(summary.timing) is FrozenDict and set(summary.timing) == set(TimingStatus)
