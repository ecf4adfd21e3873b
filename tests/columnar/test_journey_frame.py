"""Journeys over columns: stages, timing and analytics from an event table equal the scalar journeys' answers."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postsale import InvalidTypeError, InvalidValueError
from postsale.adapters.frame import journey_analytics_frame, journey_events, journey_stages
from postsale.journey import Journey, analyze_cohorts
from tests.strategies.journey import journeys

pl = pytest.importorskip("polars")


def unique_accounts(found: list[Journey]) -> list[Journey]:
    seen: dict[str, Journey] = {}
    for journey in found:
        seen.setdefault(journey.account_id, journey)
    return list(seen.values())


def of_kind(frame: Any, kind: str) -> Any:
    return frame.to_pandas() if kind == "pandas" else (frame.lazy() if kind == "lazy" else frame)


@settings(max_examples=30, deadline=None)
@given(st.lists(journeys(), min_size=1, max_size=5).map(unique_accounts), st.integers(-10, 400),
       st.sampled_from(["polars", "lazy", "pandas"]))
def test_stages_and_timing_as_of_any_day_are_the_scalar_journeys(found: list[Journey], offset: int,
                                                                  kind: str) -> None:
    """Random valid journeys (moves, skips, regressions, cycles, tracks): every open track's stage, since, days in
    stage, status, expected-by and stuck-after dates as of a random day equal ``Journey.timing``."""
    start = min(j.started_on for j in found)
    as_of = start + timedelta(days=offset)
    want = sorted(
        (j.account_id, t.track, t.stage.name, t.since, t.days_in_stage, t.status.name, t.expected_by, t.stuck_after)
        for j in found if j.started_on <= as_of for t in j.timing(as_of)
    )
    result = journey_stages(of_kind(journey_events(found), kind), as_of=as_of)
    got = sorted(result.stages.select("account_id", "track", "stage", "since", "days_in_stage", "status",
                                      "expected_by", "stuck_after").rows())
    assert got == want
    assert result.errors.height == 0


@settings(max_examples=30, deadline=None)
@given(st.lists(journeys(), min_size=1, max_size=6).map(unique_accounts), st.booleans(),
       st.none() | st.integers(0, 400))
def test_analytics_by_cohort_are_the_scalar_analytics(found: list[Journey], cycles: bool,
                                                      offset: int | None) -> None:
    """Completion, velocity, regression rates (with and without cycles), bottleneck: analyze_cohorts' values."""
    as_of = None if offset is None else min(j.started_on for j in found) + timedelta(days=offset)
    want = analyze_cohorts(found, include_cycles=cycles, as_of=as_of)
    got = journey_analytics_frame(journey_events(found), include_cycles=cycles, as_of=as_of)
    assert dict(got.cohorts) == {k: v for k, v in want.items() if v.journeys}


def test_cohorts_by_label_put_accounts_without_it_in_none() -> None:
    found = [Journey.start("a", "SMB", on=date(2026, 1, 5), labels={"source": "referral"}),
             Journey.start("b", "ENTERPRISE", on=date(2026, 1, 5))]
    got = journey_analytics_frame(journey_events(found), by="source").cohorts
    assert dict(got) == dict(analyze_cohorts(found, by="source"))


def test_an_account_whose_events_do_not_hold_together_is_left_out_with_its_first_bad_row() -> None:
    """A move from a stage the track is not in, an unknown stage, events out of order: that account is left out,
    its first bad row reported, every other account answered."""
    good = Journey.start("ok", "SMB", on=date(2026, 1, 5))
    events = journey_events([good, Journey.start("bad", "SMB", on=date(2026, 1, 5)),
                             Journey.start("late", "SMB", on=date(2026, 1, 9))])
    wrong = pl.DataFrame([("bad", "SMB", "core", date(2026, 2, 1), "ADOPTION", "RETENTION", "FORWARD", "OTHER"),
                          ("late", "SMB", "core", date(2026, 1, 2), "ONBOARDING", "ADOPTIO", "FORWARD", "OTHER")],
                         schema=events.schema, orient="row")
    result = journey_stages(pl.concat([events, wrong]), as_of=date(2026, 3, 1))
    assert result.stages["account_id"].to_list() == ["ok"]
    assert sorted(result.errors.select("account_id", "row", "column").rows()) == [
        ("bad", 3, "from_stage"), ("late", 4, "to_stage")]


def test_bad_arguments_are_refused_naming_them() -> None:
    events = journey_events([Journey.start("a", "SMB", on=date(2026, 1, 5))])
    calls = [
        (lambda: journey_stages([1], as_of=date(2026, 1, 5)), InvalidTypeError, "events"),
        (lambda: journey_stages(events.drop("kind"), as_of=date(2026, 1, 5)), InvalidValueError, "events"),
        (lambda: journey_stages(events, as_of="2026-01-05"), InvalidTypeError, "as_of"),
        (lambda: journey_analytics_frame(events, by=""), InvalidValueError, "by"),
        (lambda: journey_events([1]), InvalidTypeError, "journeys[0]"),
    ]
    for call, error, field in calls:
        with pytest.raises(error) as caught:
            call()
        assert caught.value.field == field


@settings(max_examples=30, deadline=None)
@given(st.lists(journeys(), min_size=1, max_size=4).map(unique_accounts), st.data())
def test_the_readiness_of_each_next_move_is_the_scalar_suggestions(found: list[Journey], data: Any) -> None:
    """With an evidence frame (random values, some absent, booleans as numbers): each open track's next forward
    move, whether it is ready and the unmet criteria equal the forward suggestion of ``Journey.suggest``."""
    from postsale.journey import DEFAULT_JOURNEY_DEFINITION, TransitionKind

    signals = sorted({c.signal for stage_criteria in DEFAULT_JOURNEY_DEFINITION.readiness_criteria.values()
                      for c in stage_criteria} | {c.signal for c in _guards()})
    values = st.none() | st.sampled_from([0.0, 0.3, 0.5, 0.7, 1.0, 3.0, 10.0])
    evidence = {j.account_id: {s: data.draw(values) for s in signals} for j in found}
    as_of = max(j.last_event.at for j in found)
    want = []
    for j in found:
        ev = {k: v for k, v in evidence[j.account_id].items() if v is not None}
        forward = {s.track: s for s in j.suggest(ev, as_of=as_of) if s.kind is TransitionKind.FORWARD
                   and s.cause.name == "CRITERIA_MET"}
        for t in j.timing(as_of):
            s = forward.get(t.track)
            want.append((j.account_id, t.track, None if s is None else s.to_stage.name,
                         None if s is None else s.readiness.met,
                         None if s is None or not s.readiness.missing else ", ".join(s.readiness.missing)))
    frame = pl.DataFrame([{"account_id": a, **v} for a, v in evidence.items()],
                         schema={"account_id": pl.String, **dict.fromkeys(signals, pl.Float64)})
    got = journey_stages(journey_events(found), as_of=as_of, evidence=frame).stages
    assert sorted(got.select("account_id", "track", "next_stage", "ready", "missing").rows(),
                  key=str) == sorted(want, key=str)


def _guards() -> list[Any]:
    from postsale import Stage
    from postsale.journey import DEFAULT_JOURNEY_DEFINITION

    return [c for a in Stage for b in Stage for c in DEFAULT_JOURNEY_DEFINITION.guards(a, b)]


def test_an_event_date_that_is_not_a_date_is_that_accounts_bad_row_not_an_engine_error() -> None:
    events = journey_events([Journey.start("ok", "SMB", on=date(2026, 1, 5))])
    events = events.with_columns(pl.col("at").cast(pl.String))
    junk = events.with_columns(pl.lit("bad").alias("account_id"), pl.lit("soon").alias("at"))
    result = journey_stages(pl.concat([events, junk]), as_of=date(2026, 3, 1))
    assert result.stages["account_id"].to_list() == ["ok"]
    assert result.errors.select("account_id", "column").rows() == [("bad", "at")]
    assert "is not a date" in result.errors["reason"][0]


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", None]), st.sampled_from(["core", "dept", None]),
                          st.sampled_from([1, 2, 3, None])), max_size=30))
def test_the_rows_around_a_row_of_a_group_are_the_windows_shifts(rows) -> None:
    """The previous and next events of an account (or of a track) read by the checks, the stages and the analytics
    are the rows before and after it among the rows alike, as ``shift(1)`` and ``shift(-1)`` over them give them:
    nulls form a group, a group's first row has none before it and its last none after it."""
    from postsale.adapters.frame._journey import _code, _rank, neighbours

    frame = pl.DataFrame(rows, schema={"account_id": pl.String, "track": pl.String, "v": pl.Int64},
                         orient="row").with_row_index("__row")
    frame = frame.with_columns(_rank(pl, "account_id").alias("__account"),
                               (_rank(pl, "account_id") * 2**31 + _code(pl, "track")).alias("__track"))
    for by, key in ((["account_id"], "__account"), (["account_id", "track"], "__track")):
        around = neighbours(pl, frame, key)
        for position, shift in (("before", 1), ("after", -1)):
            expected = frame.select(pl.col("v").shift(shift).over(by))["v"].to_list()
            assert frame["v"].gather(around[position]).to_list() == expected
