"""Renewal playbooks: the segment defaults of domain-spec §3.2-§3.3 and validated custom playbooks."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest
from hypothesis import given

import postsale
from postsale import DefinitionError, InvalidTypeError, Segment, UnknownNameError
from postsale.renewal import (
    CONFIRM_DAYS_BEFORE_EXPIRY,
    DANGER_ZONE_DAYS,
    DEFAULT_PLAYBOOKS,
    ENTERPRISE_PLAYBOOK,
    Milestone,
    Playbook,
    playbook_for,
)
from tests.strategies.renewal import playbooks


def test_enterprise_milestones() -> None:
    """Enterprise: T-180 prep, T-120 conversation, T-90 proposal, T-60 negotiation, T-30 executed, T-0."""
    assert [(m.name, m.days_before) for m in ENTERPRISE_PLAYBOOK.milestones] == [
        ("internal_prep", 180),
        ("customer_conversation", 120),
        ("proposal", 90),
        ("negotiation", 60),
        ("contract_executed", 30),
        ("renewal", 0),
    ]


@pytest.mark.parametrize(
    ("segment", "runway", "latest", "offsets"),
    [
        (Segment.ENTERPRISE, 180, 120, (180, 120, 90, 60, 30, 0)),
        (Segment.MID_MARKET, 90, 60, (90, 60, 45, 30, 0)),
        (Segment.SMB, 60, 30, (60, 30, 0)),
        (Segment.PRODUCT_LED, 30, 14, (30, 14, 0)),
    ],
)
def test_segment_runways(segment: Segment, runway: int, latest: int, offsets: tuple[int, ...]) -> None:
    """Each segment's runway (start, latest start) and milestone offsets follow domain-spec §3.2-§3.3."""
    pb = playbook_for(segment)
    assert (runway, latest, offsets) == (pb.runway_days, pb.latest_start_days, pb.offsets)


def test_confirmation_rule_per_segment() -> None:
    """Confirmation >= 30 days before expiry for ENTERPRISE and MID_MARKET only (domain-spec I-5)."""
    assert {s: p.confirm_days_before for s, p in DEFAULT_PLAYBOOKS.items()} == {
        Segment.ENTERPRISE: 30,
        Segment.MID_MARKET: 30,
        Segment.SMB: 0,
        Segment.PRODUCT_LED: 0,
    }


def test_danger_zone_per_segment() -> None:
    """The danger zone is 30 days, 14 (the minimum runway) for product-led."""
    assert tuple(p.danger_zone_days for p in DEFAULT_PLAYBOOKS.values()) == (30, 30, 30, 14)
    assert (DANGER_ZONE_DAYS, CONFIRM_DAYS_BEFORE_EXPIRY) == (30, 30)


def test_product_led_auto_renews() -> None:
    """Only the product-led playbook auto-renews by default."""
    assert [p.auto_renew for p in DEFAULT_PLAYBOOKS.values()] == [False, False, False, True]


def test_playbook_for_parses_names_and_aliases() -> None:
    """Segment names and aliases find their playbook."""
    assert (playbook_for("tech-touch").name, playbook_for("mid-market").name) == ("product_led", "mid_market")


def test_playbook_for_unknown_segment() -> None:
    """An unknown segment is refused."""
    with pytest.raises(UnknownNameError) as info:
        playbook_for("GIANT")
    assert info.value.field == "segment"


def test_playbook_for_missing_segment_in_custom_table() -> None:
    """A custom table without the segment is refused, naming the segment."""
    with pytest.raises(UnknownNameError) as info:
        playbook_for(Segment.SMB, {Segment.ENTERPRISE: ENTERPRISE_PLAYBOOK})
    assert (info.value.field, info.value.value) == ("segment", "SMB")


def test_playbook_for_refuses_non_mapping() -> None:
    """The playbook table must be a mapping."""
    with pytest.raises(InvalidTypeError):
        playbook_for(Segment.SMB, [ENTERPRISE_PLAYBOOK])  # type: ignore[arg-type]


def test_milestone_lookup() -> None:
    """A milestone is found by name; an unknown name lists the known ones."""
    assert ENTERPRISE_PLAYBOOK.milestone("proposal").days_before == 90
    with pytest.raises(UnknownNameError) as info:
        ENTERPRISE_PLAYBOOK.milestone("party")
    assert "internal_prep" in str(info.value)


def test_milestone_dates() -> None:
    """Milestone dates are the renewal date minus N days."""
    assert (date(2027, 12, 31), date(2028, 2, 29)) == (
        playbook_for("SMB").milestone_dates(date(2028, 2, 29))[0],
        playbook_for("SMB").milestone_dates(date(2028, 2, 29))[-1],
    )


def test_define_from_pairs() -> None:
    """define accepts (days, name) and (days, name, description) pairs."""
    pb = Playbook.define(
        "lean",
        runway_days=45,
        latest_start_days=30,
        milestones=[(45, "kickoff", "start"), (30, "offer"), (0, "renewal")],
        conversation="offer",
        confirmation="renewal",
    )
    assert (Milestone("kickoff", 45, "start"), 3) == (pb.milestones[0], len(pb.milestones))


def test_define_reports_every_problem_at_once() -> None:
    """An invalid playbook lists every problem with its path."""
    with pytest.raises(DefinitionError) as info:
        Playbook.define(
            "broken",
            runway_days=60,
            latest_start_days=90,
            milestones=[(30, "a"), (45, "b"), (90, "a")],
            conversation="talk",
            confirmation="a",
            danger_zone_days=-1,
        )
    assert {
        "$.latest_start_days",
        "$.danger_zone_days",
        "$.milestones[1].days_before",
        "$.milestones[2].name",
        "$.milestones[2].days_before",
        "$.conversation",
    } == {p.path for p in info.value.problems}


def test_milestone_outside_runway() -> None:
    """A milestone before the runway start is reported."""
    with pytest.raises(DefinitionError) as info:
        Playbook.define(
            "x", runway_days=30, latest_start_days=0, milestones=[(40, "a")], conversation="a", confirmation="a"
        )
    assert [p.path for p in info.value.problems] == ["$.milestones[0].days_before"]


def test_equal_offsets_are_not_strictly_ordered() -> None:
    """Two milestones on the same day are refused (strict order)."""
    with pytest.raises(DefinitionError) as info:
        Playbook.define(
            "x",
            runway_days=30,
            latest_start_days=0,
            milestones=[(30, "a"), (30, "b")],
            conversation="a",
            confirmation="b",
        )
    assert [p.path for p in info.value.problems] == ["$.milestones[1].days_before"]


def test_conversation_after_latest_start_refused() -> None:
    """The conversation milestone cannot be due after the latest start."""
    with pytest.raises(DefinitionError) as info:
        Playbook.define(
            "x",
            runway_days=60,
            latest_start_days=30,
            milestones=[(60, "a"), (20, "b")],
            conversation="b",
            confirmation="b",
        )
    assert [p.path for p in info.value.problems] == ["$.conversation"]


def test_conversation_on_latest_start_allowed() -> None:
    """The conversation milestone may be due exactly on the latest start."""
    pb = Playbook.define(
        "x", runway_days=60, latest_start_days=30, milestones=[(30, "b")], conversation="b", confirmation="b"
    )
    assert pb.milestone("b").days_before == 30


def test_empty_and_malformed_milestones() -> None:
    """No milestones, a malformed entry, bad names and types are all reported."""
    with pytest.raises(DefinitionError) as info:
        Playbook.define("x", runway_days=30, latest_start_days=0, milestones=[], conversation="a", confirmation="a")
    assert "$.milestones" in {p.path for p in info.value.problems}
    with pytest.raises(DefinitionError) as info:
        Playbook.define(
            "x", runway_days=30, latest_start_days=0, milestones=["oops"], conversation="a", confirmation="a"
        )
    assert [p.path for p in info.value.problems] == ["$.milestones[0]"]
    with pytest.raises(DefinitionError) as info:
        Playbook(" ", True, 0, ("m", Milestone("", 1.5)), "a", "a", auto_renew="no")  # type: ignore[arg-type]
    assert {
        "$.name",
        "$.runway_days",
        "$.auto_renew",
        "$.milestones[0]",
        "$.milestones[1].name",
        "$.milestones[1].days_before",
        "$.conversation",
        "$.confirmation",
    } == {p.path for p in info.value.problems}


def test_negative_runway_reported() -> None:
    """A negative runway is reported."""
    with pytest.raises(DefinitionError) as info:
        Playbook.define(
            "x", runway_days=-1, latest_start_days=0, milestones=[(0, "a")], conversation="a", confirmation="a"
        )
    assert [p.path for p in info.value.problems] == ["$.runway_days"]


@given(playbooks())
def test_generated_playbooks_ordered_inside_runway(pb: Playbook) -> None:
    """Valid playbooks have milestones strictly ordered and inside the runway."""
    offsets = pb.offsets
    assert all(a > b for a, b in pairwise(offsets))
    assert all(0 <= n <= pb.runway_days for n in offsets)


@given(playbooks())
def test_round_trip(pb: Playbook) -> None:
    """Playbooks round-trip through JSON."""
    assert pb == postsale.from_json(Playbook, postsale.to_json(pb))


def test_invalid_playbook_from_data_refused() -> None:
    """Plain data describing an invalid playbook is refused."""
    data = postsale.to_data(ENTERPRISE_PLAYBOOK)
    data["latest_start_days"] = 200
    with pytest.raises(postsale.PostsaleError):
        postsale.from_data(Playbook, data)


def test_touch_ramp_default_and_validation() -> None:
    """The ramp defaults to T-60..T-30; a reversed, negative or malformed ramp is reported."""
    assert ENTERPRISE_PLAYBOOK.touch_ramp == (60, 30)
    for ramp, path in [((30, 60), "$.touch_ramp"), ((60, -1), "$.touch_ramp[1]"), ((60,), "$.touch_ramp")]:
        with pytest.raises(DefinitionError) as info:
            Playbook.define(
                "x",
                runway_days=30,
                latest_start_days=0,
                milestones=[(0, "a")],
                conversation="a",
                confirmation="a",
                touch_ramp=ramp,
            )  # type: ignore[arg-type]
        assert [path] == [p.path for p in info.value.problems]
