"""The daily step over columns gives the scalar engine's alerts and state, alert by alert, day after day."""

from __future__ import annotations

from datetime import UTC, date, timedelta

import attrs
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postsale import AccountSnapshot, to_json
from postsale.adapters.frame._step import FrameState, step_frame, step_state_schema
from postsale.review import DEFAULT_REVIEW_SETTINGS
from postsale.triggers import Engine

START = date(2026, 3, 2)
SIGNAL_VALUES = {
    "support_tickets_week": [0.0, 1.0, 3.0, 5.0],
    "storage_ratio": [0.1, 0.75, 0.9],
    "usage_limit_ratio": [0.1, 0.8, 0.95],
    "nps": [2.0, 7.0, 9.0],
    "sentiment": [10.0, 45.0, 90.0],
    "logins_week": [10.0, 60.0, 100.0],
    "logins_prev_week": [20.0, 100.0],
    "activity_percentile": [50.0, 95.0],
    "distinct_features_used": [1.0, 6.0],
}
SIGNALS = {name: st.sampled_from(values) for name, values in SIGNAL_VALUES.items()}
SEGMENTS = ["ENTERPRISE", "MID_MARKET", "SMB", "PRODUCT_LED"]
ZONES = ["UTC", "Asia/Tokyo", "America/New_York"]
FIELDS = {"account_id": pl.String, "segment": pl.String, "seats_purchased": pl.Float64, "seats_active": pl.Float64,
          "time_zone": pl.String, "contract_start": pl.Date, "contract_end": pl.Date}


@st.composite
def days_of_snapshots(draw: st.DrawFn) -> list[tuple[date, list[dict[str, object]]]]:
    """A few accounts over a few days (with gaps); each day some of them, with random signals (some absent)."""
    accounts = [f"acct-{i}" for i in range(draw(st.integers(1, 4)))]
    segments = {account: draw(st.sampled_from(SEGMENTS)) for account in accounts}
    zones = {account: draw(st.sampled_from(ZONES)) for account in accounts}
    starts = {account: draw(st.sampled_from([None, date(2025, 6, 1), date(2026, 2, 20)])) for account in accounts}
    ends = {account: draw(st.sampled_from([None, date(2026, 4, 15), date(2026, 9, 1)])) for account in accounts}
    day, days = START, []
    for _ in range(draw(st.integers(1, 5))):
        day += timedelta(days=draw(st.sampled_from([1, 1, 2, 8])))
        rows = []
        for account in accounts:
            if not draw(st.booleans()) and len(rows) < len(accounts) - 1:
                continue
            row: dict[str, object] = {"account_id": account, "segment": segments[account],
                                      "seats_purchased": 10, "seats_active": draw(st.sampled_from([2, 5, 9])),
                                      "time_zone": zones[account], "contract_start": starts[account],
                                      "contract_end": ends[account]}
            for name, values in SIGNALS.items():
                row[name] = draw(values) if draw(st.booleans()) else None
            rows.append(row)
        days.append((day, rows))
    return days


def frame_of(rows: list[dict[str, object]]) -> pl.DataFrame:
    schema = {**FIELDS, **dict.fromkeys(SIGNALS, pl.Float64)}
    return pl.DataFrame({c: [row.get(c) for row in rows] for c in schema}, schema=schema)


def snapshot_of(row: dict[str, object], day: date) -> AccountSnapshot:
    sig = {name: row[name] for name in SIGNALS if row[name] is not None}
    return AccountSnapshot(row["account_id"], row["segment"], day, seats_purchased=int(row["seats_purchased"]),
                           seats_active=int(row["seats_active"]), signals=sig,
                           time_zone=row.get("time_zone") or "UTC", contract_start=row.get("contract_start"),
                           contract_end=row.get("contract_end"))


@settings(max_examples=25, deadline=None)
@given(days_of_snapshots())
def test_folding_the_frame_step_gives_the_scalar_engines_alerts_and_state(days) -> None:
    """Day after day, every alert (delivered or held back, with its reason's words, detection and due time in the
    account's time zone, and its evidence) and the final state of every account equal folding ``Engine.step``
    over each account's snapshots."""
    config = DEFAULT_REVIEW_SETTINGS
    engine = Engine(config.rule_set, health_model=config.health_model)
    scalar: dict[str, object] = {}
    state: FrameState | None = None
    for day, rows in days:
        expected = set()
        for row in rows:
            new, alerts = engine.step(scalar.get(row["account_id"]), snapshot_of(row, day))
            scalar[row["account_id"]] = new
            expected |= {(a.account_id, a.rule_id, a.suppression.reason.name if a.suppression else None,
                          a.suppression.detail if a.suppression else None, a.fired.astimezone(UTC),
                          a.due.astimezone(UTC), to_json(a.evidence)) for a in alerts}
        step = step_frame(frame_of(rows), state, as_of=day)
        state = step.state
        columns = ("account_id", "rule_id", "held_back", "reason", "fired", "due", "evidence")
        got = set(step.alerts.select(*columns).iter_rows())
        assert got == expected, day
        assert step.errors.is_empty()
    final = days[-1][0]
    hygiene = config.rule_set.hygiene
    accounts = {row["account_id"]: row for row in state.accounts.iter_rows(named=True)}
    assert set(accounts) == set(scalar)
    for account, expected_state in scalar.items():
        row = accounts[account]
        assert row["as_of"] == expected_state.as_of
        assert row["previous.band"] == (expected_state.band.name if expected_state.band else None)
        assert row["previous.band_since"] == expected_state.band_since
        assert row["previous.health"] == pytest.approx(expected_state.score)
        active = {rule.id for rule in config.rule_set.rules if row[f"active.{rule.id}"]}
        assert active == set(expected_state.active)
        rules = state.rules.filter(pl.col("account_id") == account)
        assert dict(rules.select("rule_id", "last_fired").iter_rows()) == dict(expected_state.last_fired)
        still_open = {rid: day for rid, day in expected_state.open.items()
                      if (final - day).days < hygiene.auto_close_days}
        got_open = {rid: day for rid, day in rules.select("rule_id", "open_since").iter_rows() if day is not None
                    and (final - day).days < hygiene.auto_close_days}
        assert got_open == still_open
        within = sorted(d for d in expected_state.budget_log if (final - d).days < hygiene.budget.period_days)
        logged = state.budget.filter(pl.col("account_id") == account)["day"].to_list()
        assert sorted(d for d in logged if (final - d).days < hygiene.budget.period_days) == within


def test_a_day_already_evaluated_is_refused_and_the_state_kept() -> None:
    """Stepping the same day twice refuses the account's row (as Engine.step refuses it) and keeps its state."""
    rows = [{"account_id": "a", "segment": "SMB", "seats_purchased": 10, "seats_active": 9,
             **dict.fromkeys(SIGNALS), "support_tickets_week": 3.0}]
    first = step_frame(frame_of(rows), None, as_of=START)
    again = step_frame(frame_of(rows), first.state, as_of=START)
    assert again.errors["column"].to_list() == ["as_of"]
    assert "is not after the last evaluation" in again.errors["reason"][0]
    assert again.alerts.is_empty()
    assert again.state.accounts.equals(first.state.accounts)


def test_the_state_schema_names_every_rules_active_flag() -> None:
    """The accounts state has an ``active.<rule>`` column per rule and the carried values; the others are fixed."""
    schema = step_state_schema()
    assert {f"active.{rule.id}" for rule in DEFAULT_REVIEW_SETTINGS.rule_set.rules} <= set(schema["accounts"])
    assert schema["budget"] == {"account_id": "String", "day": "Date"}


def test_the_state_round_trips_through_parquet(tmp_path) -> None:
    """One run over two days equals two runs with the state written to Parquet and read back in between."""
    rows = [{"account_id": "a", "segment": "SMB", "seats_purchased": 10, "seats_active": 2,
             **dict.fromkeys(SIGNALS), "support_tickets_week": 5.0, "storage_ratio": 0.9}]
    first = step_frame(frame_of(rows), None, as_of=START)
    for name in ("accounts", "rules", "budget"):
        getattr(first.state, name).write_parquet(tmp_path / f"{name}.parquet")
    read = FrameState(*(pl.read_parquet(tmp_path / f"{name}.parquet") for name in ("accounts", "rules", "budget")))
    day = START + timedelta(days=1)
    direct = step_frame(frame_of(rows), first.state, as_of=day)
    through = step_frame(frame_of(rows), read, as_of=day)
    assert direct.alerts.equals(through.alerts)
    assert all(getattr(direct.state, n).equals(getattr(through.state, n)) for n in ("accounts", "rules", "budget"))


def scalar_fold(days, config=DEFAULT_REVIEW_SETTINGS):
    """Alerts per day (account, rule, reason name, detail) from folding Engine.step."""
    engine = Engine(config.rule_set, health_model=config.health_model)
    states, per_day = {}, []
    for day, rows in days:
        found = set()
        for row in rows:
            states[row["account_id"]], alerts = engine.step(states.get(row["account_id"]), snapshot_of(row, day))
            found |= {(a.account_id, a.rule_id, a.suppression.reason.name if a.suppression else None,
                       a.suppression.detail if a.suppression else None) for a in alerts}
        per_day.append(found)
    return per_day


def scenario():
    """An SMB account whose storage and usage limits flap, with a ticket spike: open, cooldown and budget."""
    base = {"account_id": "a", "segment": "SMB", "seats_purchased": 10, "seats_active": 9, **dict.fromkeys(SIGNALS)}
    high = {**base, "storage_ratio": 0.9, "usage_limit_ratio": 0.95, "support_tickets_week": 5.0}
    low = {**base, "storage_ratio": 0.1, "usage_limit_ratio": 0.1, "support_tickets_week": 0.0}
    days = [0, 1, 2, 3, 4, 12, 13, 14, 40]
    return [(START + timedelta(days=d), [high if i % 2 == 0 else low]) for i, d in enumerate(days)]


@pytest.mark.parametrize("backend", ["polars", "pandas"])
def test_open_alerts_cooldowns_and_the_budget_hold_back_as_the_scalar_engine_does(backend) -> None:
    """Over a flapping account, every reason appears, with the scalar engine's words, on Polars and pandas (the
    alerts close after 3 days here: with the default 30 days an open alert always comes before the cooldown)."""
    kind = frame_of
    if backend == "pandas":
        pytest.importorskip("pandas")
        kind = lambda data: frame_of(data).to_pandas()  # noqa: E731
    import attrs

    rule_set = DEFAULT_REVIEW_SETTINGS.rule_set
    quick_close = attrs.evolve(rule_set, hygiene=attrs.evolve(rule_set.hygiene, auto_close_days=3))
    config = attrs.evolve(DEFAULT_REVIEW_SETTINGS, rule_set=quick_close)  # alerts close before the cooldown ends
    expected = scalar_fold(scenario(), config)
    state, reasons = None, set()
    for (day, rows), want in zip(scenario(), expected, strict=True):
        step = step_frame(kind(rows), state, as_of=day, settings=config)
        state = step.state
        alerts = pl.from_pandas(step.alerts) if not isinstance(step.alerts, pl.DataFrame) else step.alerts
        got = {tuple(None if v != v else v for v in row)  # pandas writes a missing string as NaN
               for row in alerts.select("account_id", "rule_id", "held_back", "reason").iter_rows()}
        assert got == want, day
        reasons |= {kind_ for _, _, kind_, _ in got}
    assert {"OPEN_ALERT", "COOLDOWN", "BUDGET", None} <= reasons


@pytest.mark.parametrize("backend", ["polars", "pandas"])
def test_without_evidence_the_alerts_and_the_state_are_the_same_and_the_evidence_is_null(backend) -> None:
    """``evidence=False`` (the fully columnar step) changes nothing but the ``evidence`` column, left null."""
    kind = frame_of if backend == "polars" else (lambda data: frame_of(data).to_pandas())
    with_, without = None, None
    for day, rows in scenario():
        a = step_frame(kind(rows), with_, as_of=day)
        b = step_frame(kind(rows), without, as_of=day, evidence=False)
        with_, without = a.state, b.state
        got = [pl.from_pandas(x) if not isinstance(x, pl.DataFrame) else x for x in (a.alerts, b.alerts)]
        assert got[0].drop("evidence").equals(got[1].drop("evidence"))
        assert got[1]["evidence"].null_count() == got[1].height
        assert got[0]["evidence"].null_count() == 0
    assert all(pl.DataFrame(x).equals(pl.DataFrame(y)) if backend == "polars" else x.equals(y)
               for x, y in zip(attrs.astuple(with_, recurse=False), attrs.astuple(without, recurse=False), strict=True))


def test_a_state_without_a_newer_rules_flag_reads_as_a_first_evaluation_of_that_rule() -> None:
    """State written before a rule existed (its ``active.`` column missing) is read; that rule starts inactive."""
    rows = [{"account_id": "a", "segment": "SMB", "seats_purchased": 10, "seats_active": 9, **dict.fromkeys(SIGNALS),
             "support_tickets_week": 4.0}]
    first = step_frame(frame_of(rows), None, as_of=START)
    older = FrameState(first.state.accounts.drop("active.H4"), first.state.rules, first.state.budget)
    again = step_frame(frame_of(rows), older, as_of=START + timedelta(days=1))
    assert again.alerts.select("rule_id", "held_back").rows() == [("H4", "OPEN_ALERT")]
    assert "active.H4" in again.state.accounts.columns


@pytest.mark.parametrize(("call", "error"), [
    (lambda: step_frame(5, None, as_of=START), "snapshots"),
    (lambda: FrameState(5, 6, 7), "accounts"),
    (lambda: step_frame(frame_of([]), FrameState(pl.DataFrame({"x": [1]}), pl.DataFrame(), pl.DataFrame()),
                        as_of=START), "state.accounts"),
    (lambda: step_frame(frame_of([]), None, as_of="2026-03-02"), "as_of"),
    (lambda: step_frame(frame_of([]), None, as_of=START, evidence="no"), "evidence"),
])
def test_bad_arguments_are_refused_naming_them(call, error) -> None:
    """Not a frame, a state without its columns, a date that is not a date: a PostsaleError naming the argument."""
    from postsale import PostsaleError

    with pytest.raises(PostsaleError) as exc:
        call()
    assert exc.value.field == error


def test_a_lazy_frame_of_another_engine_or_a_state_of_another_kind_is_refused_with_the_way_out() -> None:
    """DuckDB rows are refused (convert them first); a pandas state beside Polars rows is refused too;
    Polars' own LazyFrame runs."""
    from postsale import InvalidValueError

    duckdb = pytest.importorskip("duckdb")
    rows = frame_of([{"account_id": "a", "segment": "SMB", "support_tickets_week": 4.0}])
    relation = duckdb.sql("select * from rows")
    with pytest.raises(InvalidValueError) as exc:
        step_frame(relation, None, as_of=START)
    assert (exc.value.field, ".pl()" in str(exc.value)) == ("snapshots", True)
    first = step_frame(rows, None, as_of=START)
    pandas_state = FrameState(first.state.accounts.to_pandas(), first.state.rules, first.state.budget)
    with pytest.raises(InvalidValueError) as exc:
        step_frame(rows, pandas_state, as_of=START + timedelta(days=1))
    assert exc.value.field == "state.accounts"
    lazy = step_frame(rows.lazy(), None, as_of=START)
    assert lazy.alerts.select("rule_id").rows() == [("H4",)]


@pytest.mark.parametrize("backend", ["polars", "pandas"])
def test_alerts_sharing_what_their_rule_reads_share_its_evidence_and_each_equals_the_scalar_engines(backend) -> None:
    """The evidence is computed once per rule and combination of the values the rule reads: many accounts alike in
    those values but unlike in the rest (other signals, health, zone, contract) each get the scalar engine's
    evidence for their own snapshot; on pandas too, where a missing value is NaN or NaT."""
    import random

    kind = frame_of if backend == "polars" else (lambda data: frame_of(data).to_pandas())

    rng = random.Random(11)
    config = DEFAULT_REVIEW_SETTINGS
    engine = Engine(config.rule_set, health_model=config.health_model)
    accounts = [{"account_id": f"a{i}", "segment": rng.choice(SEGMENTS), "time_zone": rng.choice(ZONES),
                 "contract_start": rng.choice([None, date(2025, 6, 1), date(2026, 2, 20)]),
                 "contract_end": rng.choice([None, date(2026, 4, 15), date(2026, 5, 20)])} for i in range(240)]
    states: dict[str, object] = {}
    state: FrameState | None = None
    shared = 0
    for day in (START, START + timedelta(days=1)):
        rows = [{**account, "seats_purchased": 10, "seats_active": rng.choice([2, 5, 9]),
                 **{name: rng.choice([*values, None]) for name, values in SIGNAL_VALUES.items()}}
                for account in accounts]
        expected = {}
        for row in rows:
            states[row["account_id"]], alerts = engine.step(states.get(row["account_id"]), snapshot_of(row, day))
            expected |= {(a.account_id, a.rule_id): to_json(a.evidence) for a in alerts}
        step = step_frame(kind(rows), state, as_of=day)
        state = step.state
        alerts = step.alerts if isinstance(step.alerts, pl.DataFrame) else pl.from_pandas(step.alerts)
        got = {(account, rule): text for account, rule, text in
               alerts.select("account_id", "rule_id", "evidence").iter_rows()}
        assert got == expected
        shared += alerts.height - alerts.select("rule_id", "evidence").unique().height
    assert shared > 100  # the case under test: many alerts share their rule's evidence


def test_a_rule_whose_reads_cannot_be_told_shares_evidence_only_between_identical_rows() -> None:
    """When a rule's columnar form cannot be read on the evidence's columns, every column (but the account id) is
    what the rule reads: alerts share evidence only when their rows are the same."""
    from postsale.adapters.frame._step_alerts import _reads

    tickets = "support_tickets_week"
    rule = next(r for r in DEFAULT_REVIEW_SETTINGS.rule_set.rules if r.condition.signal_names() == {tickets})
    columns = ["__at", "account_id", "rule_id", "__row", "__zone", "segment", "sentiment"]
    assert _reads(rule, columns, START) == ["__zone", "segment", "sentiment"]
    assert _reads(rule, [*columns, tickets], START) == [tickets]


@pytest.mark.parametrize("backend", ["polars", "pandas"])
def test_signals_named_with_their_prefix_are_read_by_the_evidence_as_by_the_rules(backend) -> None:
    """A frame of ``to_pandas`` columns (``signals.<name>``) gives the evidence of the same frame without the
    prefix: the evidence reads the values the rules read; the step's ``results`` are the review's columns only."""
    from postsale.adapters.frame import review_schema

    plain = pl.DataFrame({"account_id": ["acme", "beta"], "segment": ["SMB", "SMB"],
                          "support_tickets_week": [4.0, 5.0], "nps": [9.0, None]})
    prefixed = plain.rename({"support_tickets_week": "signals.support_tickets_week", "nps": "signals.nps"})
    steps = [step_frame(frame if backend == "polars" else frame.to_pandas(), None, as_of=START)
             for frame in (plain, prefixed)]
    texts = [list(pl.DataFrame(step.alerts)["evidence"]) for step in steps]
    assert texts[0] == texts[1]
    assert '"value": 4.0' in texts[0][0]
    assert [list(step.results.columns) for step in steps] == [list(review_schema())] * 2



def test_an_evidence_json_cannot_hold_is_refused_naming_it() -> None:
    """The evidence texts are written without a check first; a value JSON cannot hold is still refused with a
    PostsaleError naming where it is, not json's own error."""
    from postsale import InvalidValueError
    from postsale.adapters.frame._step_alerts import _json_texts

    assert _json_texts([[1.5, "x"]]) == ['[1.5, "x"]']
    with pytest.raises(InvalidValueError, match="finite"):
        _json_texts([[1.5], [float("nan")]])
