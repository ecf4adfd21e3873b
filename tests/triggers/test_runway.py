"""DaysUntil by segment (M1's renewal runway): the scalar and the columnar forms agree on every segment and every
backend, the table is checked with paths, and it round-trips through plain data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

import postsale
from postsale import DefinitionError, Segment
from postsale._columnar import NotEvaluable
from postsale.renewal import playbook_for
from postsale.triggers import CATALOG, Context, DaysUntil, RuleSet
from tests.columnar.backends import BACKENDS, Backend, evaluate, frame, prepare
from tests.triggers._helpers import snap

AS_OF = date(2026, 3, 31)
RUNWAY = {segment: playbook_for(segment).runway_days for segment in Segment}
M1 = CATALOG.rule("M1")


def test_m1_reads_the_runways_of_the_renewal_playbooks():
    """M1's table is each segment's playbook runway; its default (the catalog's 90 days) is the mid-market one."""
    condition = M1.condition
    assert isinstance(condition, DaysUntil)
    assert (RUNWAY, RUNWAY[Segment.MID_MARKET]) == (dict(condition.by_segment or {}), condition.at_most)


def rows() -> list[dict[str, object]]:
    """Every segment (and an unknown one) on, inside and around each runway start, before and after T-0."""
    found = []
    for name in [*(s.name for s in Segment), None]:
        for ahead in (-1, 0, 29, 30, 31, 59, 60, 61, 89, 90, 91, 179, 180, 181, None):
            found.append({"segment": name, "contract_end": None if ahead is None else AS_OF + timedelta(days=ahead)})
    return found


@pytest.mark.parametrize("backend", BACKENDS)
def test_columnar_runway_is_the_scalar_runway(backend: Backend) -> None:
    """On every backend, M1's column is its closure's answer on every segment and day; an unknown segment uses
    the catalog's 90 days."""
    table = rows()
    out = evaluate(frame(table, {"segment": "str", "contract_end": "date"}, backend),
                   lambda env: {"M1": M1.expr(env)}, as_of=AS_OF)
    predicate = M1.condition.compile("M1")
    for row, got in zip(table, out, strict=True):
        end = row["contract_end"]
        if row["segment"] is None:
            ahead = None if end is None else (end - AS_OF).days  # type: ignore[operator]
            expected = ahead is not None and 0 <= ahead <= 90
        else:
            expected = predicate(snap(as_of=AS_OF, segment=row["segment"], contract_end=end), Context())
        assert {"M1": expected} == got, row


def test_m1_needs_the_segment_column() -> None:
    """M1 reads the segment: a frame without it cannot evaluate the rule, and the error names the rule."""
    assert {"contract_end", "segment"} == M1.columns()
    _, env = prepare(frame(rows()[:1], {"contract_end": "date"}, "polars"), as_of=AS_OF)
    with pytest.raises(NotEvaluable, match="rule M1 reads it"):
        M1.expr(env)


def test_evidence_names_the_segments_window() -> None:
    """The evidence says the window of the account's segment."""
    s = snap(as_of=AS_OF, segment="ENTERPRISE", contract_end=AS_OF + timedelta(days=150))
    [evidence] = M1.condition.evidence(s, Context())
    assert (150, "0..180") == (evidence.value, evidence.threshold)
    assert evidence.note.endswith("ENTERPRISE accounts: up to 180 days ahead")


def test_segments_not_listed_use_at_most() -> None:
    """A segment missing from the table uses ``at_most``."""
    only = DaysUntil("contract_end", 10, by_segment={Segment.ENTERPRISE: 100}).compile("R")
    ends = [AS_OF + timedelta(days=n) for n in (10, 11)]
    assert [True, False] == [only(snap(as_of=AS_OF, segment="SMB", contract_end=e), Context()) for e in ends]


@pytest.mark.parametrize(
    ("table", "path", "message"),
    [
        ({"ENTERPRISE": 180}, "$.rules[0].condition.by_segment['ENTERPRISE']", "must be a segment"),
        ({Segment.SMB: -1}, "$.rules[0].condition.by_segment[SMB]", ">= 5"),
        ({Segment.SMB: 1.5}, "$.rules[0].condition.by_segment[SMB]", "whole number of days"),
        ([180], "$.rules[0].condition.by_segment", "mapping of segment to days"),
    ],
)
def test_bad_tables_are_listed_with_their_paths(table, path, message) -> None:
    """A table with a key that is not a segment, days below at_least or not whole, or no table at all, is refused
    by the rule set with the path of the entry."""
    rule = postsale.triggers.Rule("R", "r", DaysUntil("contract_end", 90, at_least=5, by_segment=table),
                                  M1.action, M1.sla)
    with pytest.raises(DefinitionError) as caught:
        RuleSet("1", (rule,))
    assert [(path, True)] == [(p.path, message in p.message) for p in caught.value.problems]


def test_a_bad_table_used_alone_is_refused() -> None:
    """A condition with a bad table, compiled alone, raises DefinitionError (not a builtin error)."""
    with pytest.raises(DefinitionError, match="by_segment"):
        DaysUntil("contract_end", 90, by_segment={"SMB": "soon"}).compile("R")


def test_tables_round_trip_through_plain_data() -> None:
    """The table is written with segment names and read back equal (and hashable)."""
    data = postsale.to_data(M1)
    assert {"ENTERPRISE": 180, "MID_MARKET": 90, "SMB": 60, "PRODUCT_LED": 30} == data["condition"]["by_segment"]
    back = postsale.from_data(postsale.triggers.Rule, data)
    assert back == M1 and hash(back) == hash(M1)
