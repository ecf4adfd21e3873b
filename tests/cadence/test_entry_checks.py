"""Public entry points refuse garbage with a PostsaleError naming the field (no bare TypeError escapes)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from postsale import AccountSnapshot, InvalidTypeError, InvalidValueError
from postsale.cadence import (
    CadencePlan,
    EngagementRecord,
    Window,
    assess_over_communication,
    build_agenda,
    evaluate_engagement,
    lower_cadence,
    portfolio_view,
)

MONDAY = date(2026, 3, 2)
RECORD = EngagementRecord("a", "SMB", "email", MONDAY, ["spam_complaint"])
ACCOUNT = AccountSnapshot("a", "SMB", MONDAY, contract_start=date(2026, 2, 2))


def field_of(call: Any) -> str | None:
    """The field named by the InvalidTypeError ``call()`` raises."""
    with pytest.raises(InvalidTypeError) as info:
        call()
    return info.value.field


def test_plan_items_must_be_a_collection() -> None:
    """CadencePlan refuses items that are not a list or tuple, naming 'items' and what to pass."""
    with pytest.raises(InvalidTypeError) as info:
        CadencePlan("p", None)
    assert ("items", "pass a list or tuple (an empty one is fine)") == (info.value.field, info.value.hint)


def test_evaluate_engagement_names_the_bad_record() -> None:
    """A non-record is refused as records[i] with the type expected."""
    with pytest.raises(InvalidTypeError) as info:
        evaluate_engagement([RECORD, "email"])  # type: ignore[list-item]
    assert "records[1]" == info.value.field
    assert "expected EngagementRecord, got str" in str(info.value)


def test_evaluate_engagement_refuses_a_non_collection() -> None:
    """records=None is refused, naming 'records'."""
    assert "records" == field_of(lambda: evaluate_engagement(None))  # type: ignore[arg-type]


def test_evaluate_engagement_refuses_bad_targets() -> None:
    """targets must be EngagementTargets."""
    assert "targets" == field_of(lambda: evaluate_engagement([RECORD], targets=0.4))  # type: ignore[arg-type]


def test_assess_accepts_as_of_positionally() -> None:
    """as_of may be passed positionally as well as by keyword."""
    assert assess_over_communication("a", [RECORD], date(2026, 3, 31)) == assess_over_communication(
        "a", [RECORD], as_of=date(2026, 3, 31)
    )


def test_assess_refuses_a_blank_account() -> None:
    """account_id must be a non-empty string."""
    with pytest.raises(InvalidValueError) as info:
        assess_over_communication(None, [RECORD], MONDAY)  # type: ignore[arg-type]
    assert "account_id" == info.value.field


def test_assess_refuses_bad_records_and_policy() -> None:
    """records must be a collection of records and policy an OverCommunicationPolicy."""
    assert "records" == field_of(lambda: assess_over_communication("a", 3, MONDAY))  # type: ignore[arg-type]
    assert "records[0]" == field_of(lambda: assess_over_communication("a", [None], MONDAY))  # type: ignore[list-item]
    assert "policy" == field_of(lambda: assess_over_communication("a", [], MONDAY, policy={}))  # type: ignore[arg-type]


def test_lower_cadence_refuses_a_non_plan() -> None:
    """lower_cadence names 'plan' and suggests segment_plan."""
    with pytest.raises(InvalidTypeError) as info:
        lower_cadence({})  # type: ignore[arg-type]
    assert ("plan", "pass a CadencePlan, e.g. segment_plan(Segment.SMB)") == (info.value.field, info.value.hint)


def test_portfolio_view_refuses_bad_agendas() -> None:
    """agendas must be a collection of Agenda values; the bad one is named."""
    assert "agendas" == field_of(lambda: portfolio_view("x"))  # type: ignore[arg-type]
    assert "agendas[0]" == field_of(lambda: portfolio_view([None]))  # type: ignore[list-item]


def test_portfolio_view_refuses_bad_accounts_and_mapping() -> None:
    """accounts must be snapshots and csm_of a mapping."""
    agendas = [build_agenda(ACCOUNT, Window.days(MONDAY, 7))]
    assert "accounts[0]" == field_of(lambda: portfolio_view(agendas, accounts=["a"]))  # type: ignore[list-item]
    assert "csm_of" == field_of(lambda: portfolio_view(agendas, csm_of=[("a", "ben")]))  # type: ignore[arg-type]
