"""Values the review builds without re-checking them (the agenda's touches and plan choices, the renewal timeline
and status, the journey's suggestions) are the very values the checked constructors build from the same fields."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from postsale.adapters.sample import sample_portfolio
from postsale.review import AccountInput, AccountReview, review_account


def _rechecked(value: Any) -> Any:
    """``value`` built again through its class's checked constructor (validators and converters run)."""
    return attrs.evolve(value)


@pytest.fixture(scope="module")
def reviews() -> list[tuple[AccountInput, AccountReview]]:
    portfolio = sample_portfolio(60)
    inputs = [
        AccountInput(a.snapshot_on(portfolio.as_of), journey=a.journey, contract=a.contract,
                     history=a.history(as_of=portfolio.as_of, weeks=3)[:-1],
                     completed_milestones=a.completed_milestones, intent=a.intent)
        for a in portfolio.active
    ]
    return [(inp, review_account(inp)) for inp in inputs]


def test_agendas_are_the_checked_values(reviews: list[tuple[AccountInput, AccountReview]]) -> None:
    agendas = [review.agenda for _, review in reviews if review.agenda is not None]
    assert sum(len(agenda.touches) for agenda in agendas) > len(agendas)
    assert any(agenda.adjustments for agenda in agendas)
    for agenda in agendas:
        assert _rechecked(agenda) == agenda
        for touch in agenda.touches:
            assert _rechecked(touch) == touch
            assert hash(_rechecked(touch)) == hash(touch)
        for adjustment in agenda.adjustments:
            assert _rechecked(adjustment) == adjustment
        for choice in agenda.plans:
            assert _rechecked(choice) == choice


def test_renewal_statuses_are_the_checked_values(reviews: list[tuple[AccountInput, AccountReview]]) -> None:
    statuses = [review.renewal for _, review in reviews if review.renewal is not None]
    assert statuses
    for status in statuses:
        assert _rechecked(status) == status
        assert all(_rechecked(m) == m for m in (*status.overdue, *status.completed))
        assert status.next_milestone is None or _rechecked(status.next_milestone) == status.next_milestone


def test_suggestions_read_the_same_readiness(reviews: list[tuple[AccountInput, AccountReview]]) -> None:
    found = 0
    for inp, review in reviews:
        assert inp.journey is not None
        definition = inp.journey.definition
        for suggestion in review.suggestions:
            readiness = suggestion.readiness
            assert _rechecked(readiness) == readiness
            assert all(_rechecked(result) == result for result in readiness.results)
            if suggestion.cause.name in ("CRITERIA_MET", "RENEWAL_WINDOW_OPENED"):
                checked = definition.readiness(readiness.from_stage, readiness.to_stage,
                                               inp.snapshot.evidence(), advisory=True)
                assert checked == readiness
                found += 1
    assert found
