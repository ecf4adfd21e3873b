"""Behaviour pinned down by mutation testing (docs/mutation.md): each test kills mutants that survived the
review context's other tests."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import attrs
import pytest

from postsale import AccountSnapshot, InvalidTypeError, InvalidValueError, Journey, PostsaleError, Stage
from postsale.review import (
    AccountInput,
    PortfolioReview,
    RenewalMonth,
    ReviewError,
    ReviewSettings,
    review_account,
    review_portfolio,
)
from postsale.review._review import _guarded, _summable, _unexpected
from postsale.review._values import _at_most, _of
from tests.strategies.journey import FULL_EVIDENCE

D = date(2026, 11, 1)


def account(account_id: str, contract_end: date, acv: int = 48_000) -> AccountSnapshot:
    return AccountSnapshot(account_id, "MID_MARKET", D, acv=acv, contract_start=date(2026, 1, 1),
                           contract_end=contract_end, seats_purchased=50, seats_active=40,
                           signals={"nps": 8.0, "sentiment": 70.0, "business_context": 65.0})


def test_renewals_summary_counts_both_ends_of_the_horizon_and_nothing_after() -> None:
    """A renewal on the portfolio date and one on the last day of the horizon are in the summary; one the day
    after the horizon is not, and each month's ARR is the sum of its renewals' ACV."""
    settings = ReviewSettings(renewal_horizon_months=3)
    portfolio = review_portfolio(
        [account("today", D, 10_000), account("edge", date(2027, 2, 1), 20_000),
         account("edge2", date(2027, 2, 1), 5_000), account("later", date(2027, 2, 2), 40_000)],
        settings=settings,
    )
    months = {m.month: (m.renewals, m.arr) for m in portfolio.summary.renewals_by_month}
    assert months == {"2026-11": (1, Decimal(10_000)), "2027-02": (2, Decimal(25_000))}
    assert portfolio.errors == ()


def test_health_distribution_lists_bands_in_green_yellow_red_order_without_empty_bands() -> None:
    """The summary's health distribution names bands in upper case, in a fixed order, and omits empty ones."""
    red = AccountSnapshot("red", "MID_MARKET", D, acv=48_000, contract_start=date(2026, 1, 1),
                          contract_end=date(2026, 12, 31), seats_purchased=50, seats_active=5,
                          signals={"nps": 1.0, "sentiment": 10.0, "business_context": 20.0})
    portfolio = review_portfolio([red, account("green", date(2026, 12, 31))])
    assert list(portfolio.summary.health_distribution.items()) == [("GREEN", 1), ("RED", 1)]


def test_unexpected_failure_message_names_type_message_and_raising_module() -> None:
    """A non-postsale exception becomes a message with its type, its text, what was being done and where."""
    try:
        int("x")
    except ValueError as exc:
        message = _unexpected(exc)
    assert message.startswith("unexpected ValueError while reviewing the account: invalid literal for int()")
    assert message.endswith(")") and " (raised in test_mutants.py line " in message


def test_unexpected_failure_message_keeps_only_the_first_300_characters() -> None:
    """A huge exception message is cut so that one account's error cannot flood the report."""
    message = _unexpected(RuntimeError("y" * 1000), doing="")
    assert message == "unexpected RuntimeError: " + "y" * 300


def test_a_summary_part_that_fails_is_left_out_with_a_portfolio_error_naming_it() -> None:
    """A part of the summary raising anything gives None and a portfolio error at index -1 naming the part."""
    errors: list[ReviewError] = []

    def boom() -> int:
        raise KeyError("k")

    assert _guarded("retention", errors, boom) is None
    assert len(errors) == 1
    assert errors[0].index == -1 and errors[0].error_type == "KeyError" and errors[0].account_id is None
    assert errors[0].error.startswith("retention not computed: unexpected KeyError: 'k'")
    assert _guarded("retention", errors, lambda: 3) == 3 and len(errors) == 1


# ---- added with the seed-12 sample (docs/mutation.md) ---------------------------------------------------------


def signals_snapshot(account_id: str, as_of: date, **signals: float) -> AccountSnapshot:
    base = {"nps": 8.0, "sentiment": 70.0, "business_context": 65.0, "logins_week": 200.0, "logins_prev_week": 210.0}
    base.update(signals)
    return AccountSnapshot(account_id, "MID_MARKET", as_of, acv=48_000, contract_start=date(2026, 1, 1),
                           contract_end=date(2026, 12, 31), seats_purchased=50, seats_active=40, signals=base)


def test_an_alert_fired_earlier_stays_open_until_its_due_time_passes() -> None:
    """A login-drop alert fired two days before the review, due at the start of the review day, is still listed;
    fired three days before (due the day before), it is not. Alerts from history count, not only today's."""
    drop = {"logins_week": 100.0, "logins_prev_week": 300.0}
    two_days = review_account(AccountInput(signals_snapshot("acme", D),
                                           history=(signals_snapshot("acme", D - timedelta(days=2), **drop),)))
    u1 = [a for a in two_days.alerts if a.rule_id == "U1"]
    assert [(a.as_of, a.due.isoformat()) for a in u1] == [(date(2026, 10, 30), "2026-11-01T00:00:00+00:00")]
    three_days = review_account(AccountInput(signals_snapshot("acme", D),
                                             history=(signals_snapshot("acme", D - timedelta(days=3), **drop),)))
    assert "U1" not in {a.rule_id for a in three_days.alerts}
    assert {a.rule_id for a in three_days.alerts} >= {"M1", "M2"}


def test_a_wrong_account_is_refused_with_the_full_message_field_and_hint() -> None:
    """review_account(5) names the 'account' argument, what it expected and how to wrap a snapshot."""
    with pytest.raises(InvalidTypeError) as caught:
        review_account(5)  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.value) == ("account", 5)
    assert str(caught.value) == ("account=5: expected an AccountInput or an AccountSnapshot; instead: wrap the "
                                 "account's data in postsale.review.AccountInput(snapshot=...)")


def test_a_wrong_ledger_is_refused_with_a_hint_naming_the_revenue_ledger() -> None:
    """review_portfolio(ledger=5) says to pass a RevenueLedger or None."""
    with pytest.raises(InvalidTypeError) as caught:
        review_portfolio([], ledger=5)  # type: ignore[arg-type]
    assert str(caught.value) == ("ledger=5: expected RevenueLedger, got int; "
                                 "instead: pass a postsale.kpi.RevenueLedger or None")


def test_a_summary_part_failing_with_a_postsale_error_keeps_its_message_and_field() -> None:
    """A documented error in a summary part becomes a portfolio error with the part's name, the error's text,
    its field and its type."""
    errors: list[ReviewError] = []

    def bad() -> int:
        raise InvalidValueError("is odd", field="start", value=3)

    assert _guarded("retention", errors, bad) is None
    assert errors == [ReviewError(None, -1, "retention not computed: start=3: is odd", "start", "InvalidValueError")]


@pytest.mark.parametrize(("name", "part"), [("plan_portfolio", "touch-model tiers"),
                                            ("analyze", "journey analytics")])
def test_a_failing_tiers_or_journey_analytics_part_is_named_in_the_portfolio_error(
    monkeypatch: pytest.MonkeyPatch, name: str, part: str
) -> None:
    """When the tiers or the journey analytics cannot be computed, the accounts are still reviewed and the
    portfolio error says which part is missing."""
    import postsale.review._review as module

    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("down")

    monkeypatch.setattr(module, name, boom)
    journey = Journey.start("a", "MID_MARKET", on=date(2026, 1, 1))
    portfolio = review_portfolio([AccountInput(account("a", date(2026, 12, 31)), journey=journey)])
    assert len(portfolio.accounts) == 1
    assert [(e.index, e.error_type) for e in portfolio.errors] == [(-1, "RuntimeError")]
    assert portfolio.errors[0].error.startswith(f"{part} not computed: unexpected RuntimeError: down (raised in ")


def test_an_acv_the_totals_cannot_add_up_is_refused_from_10_to_the_18() -> None:
    """The portfolio totals refuse an ACV of 10**18 or more (naming the field 'acv') and accept one just below."""
    review = review_portfolio([account("a", date(2026, 12, 31))]).accounts[0]
    _summable(attrs.evolve(review, acv=Decimal(10) ** 18 - 1))
    for acv in (Decimal(10) ** 18, -(Decimal(10) ** 18), Decimal("NaN")):
        with pytest.raises(InvalidValueError) as caught:
            _summable(attrs.evolve(review, acv=acv))
        assert caught.value.field == "acv"
        assert "is too large to add up in the portfolio totals" in str(caught.value)


def _raise_from(filename: str) -> BaseException:
    try:
        exec(compile("raise ValueError('boom')", filename, "exec"))  # a frame with a chosen file name
    except ValueError as exc:
        return exc
    raise AssertionError("not raised")


def test_unexpected_failure_names_the_innermost_file_from_the_last_postsale_folder() -> None:
    """The raising file is shown from its last ``postsale/`` folder on, or by its bare name outside postsale."""
    nested = _unexpected(_raise_from("/srv/postsale/vendor/postsale/review/_x.py"), doing="")
    assert nested == "unexpected ValueError: boom (raised in postsale/review/_x.py line 1)"
    outside = _unexpected(_raise_from("/srv/app/job.py"), doing="")
    assert outside == "unexpected ValueError: boom (raised in job.py line 1)"


def test_an_account_without_contract_dates_says_so_and_its_row_has_no_renewal_or_forecast() -> None:
    """A snapshot without contract dates gets a note and a row whose renewal and forecast columns are empty."""
    review = review_account(AccountSnapshot("x", "SMB", D))
    assert "no contract dates: renewal status and forecast left out" in review.notes
    row = review.row()
    assert (row["renewal_date"], row["days_to_renewal"], row["renewal_state"], row["forecast"]) == (None,) * 4


def test_suggestions_read_the_journey_as_of_the_review_date_not_its_latest_move() -> None:
    """A journey that moved to adoption after the review date is reviewed as it was: still onboarding."""
    journey = (Journey.start("a", "MID_MARKET", on=date(2026, 1, 1))
               .move("core", Stage.ADOPTION, on=date(2026, 12, 1), evidence=FULL_EVIDENCE))
    review = review_account(AccountInput(account("a", date(2026, 12, 31)), journey=journey))
    assert [(s.from_stage, s.to_stage) for s in review.suggestions][:1] == [(Stage.ONBOARDING, Stage.ADOPTION)]


def _error(build: object) -> PostsaleError:
    with pytest.raises(PostsaleError) as caught:
        build()  # type: ignore[operator]
    return caught.value


def test_bad_review_values_give_the_full_message_with_field_value_rule_and_hint() -> None:
    """The review's own checks (a month, a count limit, a mapping) say the field, the value, the rule and what
    to do instead."""
    golden = [
        (lambda: RenewalMonth("2026-13", 1, Decimal(0), {}), "month", "2026-13",
         "month='2026-13': is not a month; rule: written YYYY-MM; instead: pass a month such as \"2026-04\""),
        (lambda: ReviewSettings(agenda_days=367), "agenda_days", 367,
         "agenda_days=367: is too large; rule: must be <= 366; instead: pass at most 366"),
        (lambda: ReviewSettings(renewal_horizon_months=61), "renewal_horizon_months", 61,
         "renewal_horizon_months=61: is too large; rule: must be <= 60; instead: pass at most 60"),
        (lambda: RenewalMonth("2026-12", 1, Decimal(0), 5), "by_category", 5,
         "by_category=5: expected a mapping, got int; instead: pass a dict (an empty one is fine)"),
    ]
    for build, field, value, message in golden:
        error = _error(build)
        assert (error.field, error.value, str(error)) == (field, value, message)
    assert ReviewSettings(agenda_days=366, renewal_horizon_months=60).agenda_days == 366


def test_the_validator_factories_name_the_attribute_and_keep_the_value() -> None:
    """The field validators report the attribute's own name and the offending value (they are built once, when
    the classes are defined, so they are also checked directly here)."""
    attribute = SimpleNamespace(name="snapshot")
    _of(int, optional=True)(None, attribute, None)
    error = _error(lambda: _of(int)(None, attribute, "x"))
    assert (type(error), error.field, error.value) == (InvalidTypeError, "snapshot", "x")
    _at_most(3)(None, attribute, 3)
    error = _error(lambda: _at_most(3)(None, attribute, 4))
    assert (error.field, error.value, error.constraint) == ("snapshot", 4, "must be <= 3")


def test_collections_of_the_wrong_items_name_the_collection_and_the_position() -> None:
    """A review's stages and a portfolio's errors hold only their own type; a stray item is named by position."""
    portfolio = review_portfolio([account("a", date(2026, 12, 31))])
    error = _error(lambda: attrs.evolve(portfolio.accounts[0], stages=[5]))
    assert (error.field, error.value) == ("stages[0]", 5)
    error = _error(lambda: PortfolioReview(D, [], portfolio.summary, [5]))
    assert (error.field, error.value) == ("errors[0]", 5)
    error = _error(lambda: PortfolioReview(D, [], portfolio.summary, 5))
    assert error.field == "errors"


def test_account_explain_lists_every_part_down_to_the_next_touch() -> None:
    """The account's explanation, line by line, for a mid-market account 60 days before renewal."""
    lines = review_account(account("acme", date(2026, 12, 31))).explain()
    assert lines[0] == "acme (MID_MARKET, ACV 48,000) on 2026-11-01:"
    assert lines[-1] == "  next touch: 2026-11-02 Renewal T-60: deliver a streamlined renewal proposal via VIDEO_CALL"
    assert [line.split(":")[0] for line in lines[1:]] == [
        "  health", "  touch model", "  renewal", "  forecast", "  alert M1 (NORMAL, due 2026-11-08T00",
        "  alert M2 (NORMAL, due 2026-11-08T00", "  held back X3 (Renewal bundling)", "  next touch"]


def test_portfolio_explain_golden_lines() -> None:
    """The portfolio summary's sentences for three accounts: count, journey, health, forecast, the tiers'
    warnings and total, and the alerts due."""
    red = AccountSnapshot("red", "MID_MARKET", D, acv=48_000, contract_start=date(2026, 1, 1),
                          contract_end=date(2026, 12, 31), seats_purchased=50, seats_active=5,
                          signals={"nps": 1.0, "sentiment": 10.0, "business_context": 20.0})
    journey = Journey.start("a", "MID_MARKET", on=date(2026, 1, 1))
    adopting = (Journey.start("b", "MID_MARKET", on=date(2026, 1, 1))
                .move("core", Stage.ADOPTION, on=date(2026, 3, 1), evidence=FULL_EVIDENCE))
    portfolio = review_portfolio([AccountInput(account("a", date(2026, 12, 31)), journey=journey), red,
                                  AccountInput(account("b", date(2026, 12, 31)), journey=adopting)])
    summary = portfolio.summary
    assert summary.tiers is not None
    tiers = summary.tiers.explain()
    assert tiers[3].startswith("In total 1 CSM(s)") and tiers[3] not in summary.tiers.warnings
    assert summary.explain() == [
        "3 accounts reviewed.", "Journey (open tracks): Onboarding 1, Adoption 1.", "Health: GREEN 2, RED 1.",
        "3 renewals due 2026-11-01..2027-05-01, ARR 144,000.", tiers[2], tiers[3], tiers[4],
        f"{summary.alerts_total} alerts due.",
    ]


@pytest.mark.parametrize(("total", "line"), [(0, "0 alerts due."), (1, "1 alert due."), (2, "2 alerts due."),
                                             (1234, "1,234 alerts due.")])
def test_the_alerts_due_line_is_singular_only_for_one_alert(total: int, line: str) -> None:
    """'1 alert due.', but '0 alerts', '2 alerts', and thousands with a separator."""
    summary = attrs.evolve(review_portfolio([]).summary, alerts_total=total)
    assert summary.explain()[-1] == line


# ---- added with the seed-13 sample ----------------------------------------------------------------------------


def test_history_of_another_account_is_refused_naming_history() -> None:
    """An earlier snapshot of another account in the history is an error on the 'history' field."""
    other = account("globex", date(2026, 12, 31))
    with pytest.raises(InvalidValueError) as caught:
        review_account(AccountInput(account("acme", date(2026, 12, 31)), history=(other,)))
    assert (caught.value.field, caught.value.value) == ("history", "globex")


def test_an_acv_too_large_to_add_up_says_to_check_the_unit() -> None:
    """The refusal of an enormous ACV says what to check."""
    review = review_portfolio([account("a", date(2026, 12, 31))]).accounts[0]
    with pytest.raises(InvalidValueError) as caught:
        _summable(attrs.evolve(review, acv=Decimal(10) ** 18))
    assert caught.value.hint == "check the amount's unit and digits"
    assert caught.value.constraint == "an account's ACV must be below 10**18"


def test_accounts_without_a_health_score_are_counted_as_unscored() -> None:
    """An account with no health data appears in the health distribution as UNSCORED, after the bands."""
    portfolio = review_portfolio([AccountSnapshot("x", "SMB", D), account("a", date(2026, 12, 31))])
    assert list(portfolio.summary.health_distribution.items()) == [("GREEN", 1), ("UNSCORED", 1)]


def test_a_retention_report_that_fails_is_a_portfolio_error_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    """With a ledger, a retention computation that raises leaves the retention out with an error naming it."""
    import postsale.review._review as module
    from postsale.kpi import RevenueLedger, RevenueMovement

    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("down")

    monkeypatch.setattr(module, "retention", boom)
    ledger = RevenueLedger([RevenueMovement("a", date(2025, 6, 1), "NEW", 48_000)])
    portfolio = review_portfolio([account("a", date(2026, 12, 31))], ledger=ledger)
    assert portfolio.summary.retention is None and len(portfolio.accounts) == 1
    assert [e.error.split(":")[0] for e in portfolio.errors] == ["retention not computed"]


def test_unexpected_failure_reads_windows_paths_too() -> None:
    """A file name with backslashes is shown from its postsale folder with forward slashes."""
    message = _unexpected(_raise_from("C:\\srv\\postsale\\review\\_x.py"), doing="")
    assert message == "unexpected ValueError: boom (raised in postsale/review/_x.py line 1)"


def test_completed_milestones_decide_the_renewal_status() -> None:
    """The same account is OVERDUE with milestones tracked and none done, ON_TRACK once the conversation is done."""
    snap = account("acme", date(2026, 12, 31))
    states = [review_account(AccountInput(snap, completed_milestones=done)).row()["renewal_state"]
              for done in ({}, {"customer_conversation": date(2026, 10, 5)})]
    assert states == ["OVERDUE", "ON_TRACK"]


@pytest.mark.parametrize(("keyword", "value", "message"), [
    ("settings", "x", "settings='x': expected ReviewSettings, got str; instead: pass a postsale.review.ReviewSettings"),
    ("engine", -48, "engine=-48: expected Engine, got int; instead: pass a postsale.triggers.Engine, or None to build "
                    "one"),
])
def test_review_account_names_a_wrong_settings_or_engine_with_its_value_and_hint(
    keyword: str, value: object, message: str
) -> None:
    """A wrong settings or engine is reported with the value given and what to pass instead."""
    with pytest.raises(InvalidTypeError) as caught:
        review_account(account("a", date(2026, 12, 31)), **{keyword: value})  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.value, str(caught.value)) == (keyword, value, message)


def test_review_portfolio_names_wrong_accounts_and_a_wrong_progress_callback() -> None:
    """review_portfolio(5) names 'accounts'; a progress that is not callable says what to pass."""
    assert _error(lambda: review_portfolio(5)).field == "accounts"  # type: ignore[arg-type]
    error = _error(lambda: review_portfolio([], progress=3))  # type: ignore[arg-type]
    assert str(error) == "progress=3: expected a callable or None; instead: pass a function taking the number of " \
                         "accounts done"


@pytest.mark.parametrize("field", ["alerts", "suggestions", "held_back"])
def test_an_account_review_holds_only_alerts_and_suggestions(field: str) -> None:
    """A stray item in a review's alerts, suggestions or held-back alerts is named by field and position."""
    review = review_portfolio([account("a", date(2026, 12, 31))]).accounts[0]
    error = _error(lambda: attrs.evolve(review, **{field: [5]}))
    assert (error.field, error.value) == (f"{field}[0]", 5)


def test_a_portfolio_holds_only_account_reviews_and_its_summary_only_alerts() -> None:
    """A stray item among a portfolio's accounts or the summary's top alerts is named by field and position."""
    portfolio = review_portfolio([account("a", date(2026, 12, 31))])
    assert _error(lambda: attrs.evolve(portfolio, accounts=[5])).field == "accounts[0]"
    assert _error(lambda: attrs.evolve(portfolio.summary, top_alerts=[5])).field == "top_alerts[0]"


def test_account_row_and_explain_golden() -> None:
    """The flat row and the explanation's lines of a mid-market account 60 days before renewal."""
    review = review_account(account("acme", date(2026, 12, 31)))
    row = review.row()
    assert {key: row[key] for key in ("health", "band", "touch_model", "renewal_date", "days_to_renewal",
                                      "renewal_state", "forecast", "alerts")} == {
        "health": 79.75, "band": "GREEN", "touch_model": "LOW", "renewal_date": date(2026, 12, 31),
        "days_to_renewal": 60, "renewal_state": "NOT_RECORDED", "forecast": "LIKELY", "alerts": 2}
    assert review.explain()[1:5] == [
        "  health: Health 79.8 (GREEN) for acme on 2026-11-01, model postsale-cs v1.",
        "  touch model: Recommended model: low-touch.",
        "  renewal: On 2026-11-01 the renewal on 2026-12-31 is 60 days away (T-60): no renewal activity recorded "
        "(NOT_RECORDED).",
        "  forecast: Forecast LIKELY: health is green or yellow and risk is at most medium.",
    ]
