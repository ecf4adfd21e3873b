"""Forecast category COMMIT / LIKELY / AT_RISK with reasons, and the CSM's call."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given

import postsale
from postsale import DefinitionError, HealthBand, InvalidTypeError, UnknownNameError, signals
from postsale.renewal import (
    DEFAULT_FORECAST_RULES,
    Contract,
    Fact,
    Forecast,
    ForecastCategory,
    ForecastRule,
    ForecastRules,
    Intent,
    RenewalStatus,
    RiskLevel,
    forecast_renewal,
    renewal_timeline,
)
from tests.strategies.renewal import categories, health_bands, intents, risk_signals

COMMIT, LIKELY, AT_RISK = ForecastCategory.COMMIT, ForecastCategory.LIKELY, ForecastCategory.AT_RISK
T = renewal_timeline(Contract.from_term("acme", "ENTERPRISE", date(2026, 7, 1), term_months=12, acv=100000))


def status(as_of: date, **done: date) -> RenewalStatus:
    return T.status(as_of, done)


TALKING = status(date(2027, 2, 15), customer_conversation=date(2027, 2, 1))


def test_categories_ordered() -> None:
    """AT_RISK < LIKELY < COMMIT."""
    assert AT_RISK < LIKELY < COMMIT


def test_confirmed_is_commit_whatever_else() -> None:
    """An executed renewal is COMMIT even with red health."""
    f = forecast_renewal(health="RED", status=status(date(2027, 6, 1), contract_executed=date(2027, 5, 1)))
    assert (f.computed, f.rule, f.reasons[0]) == (COMMIT, 0, "the renewal is confirmed")


def test_cancel_intent_is_at_risk() -> None:
    """A customer who said no is AT_RISK, even with green health."""
    f = forecast_renewal(health="GREEN", intent=Intent.CANCEL, status=TALKING)
    assert (f.computed, f.reasons[0]) == (AT_RISK, "the customer said it will not renew")


def test_lapsed_is_at_risk() -> None:
    """A lapsed renewal is AT_RISK."""
    f = forecast_renewal(health="GREEN", intent="COMMITTED", status=status(date(2027, 7, 5)))
    assert (f.computed, f.rule) == (AT_RISK, 2)


@pytest.mark.parametrize("name", [signals.CHAMPION_LEFT, signals.BUDGET_CUT, signals.COMPETITOR_EVALUATION])
def test_regression_trigger_is_at_risk(name: str) -> None:
    """A champion departure, budget cut or competitor evaluation makes a green, committed account AT_RISK."""
    f = forecast_renewal(health="GREEN", intent="COMMITTED", signals={name: 1.0}, status=TALKING)
    assert (f.computed, f.rule) == (AT_RISK, 3)


def test_regression_signal_zero_is_off() -> None:
    """A risk signal at 0 does not count."""
    f = forecast_renewal(health="GREEN", signals={signals.CHAMPION_LEFT: 0.0}, status=TALKING)
    assert (f.computed, f.risk) == (COMMIT, RiskLevel.LOW)


def test_red_health_is_at_risk() -> None:
    """Red health is AT_RISK."""
    f = forecast_renewal(health=HealthBand.RED, status=TALKING)
    assert (f.computed, f.reasons[0], f.reasons[1]) == (
        AT_RISK,
        "health is red or risk is high",
        "health is red",
    )


def test_one_risk_signal_is_medium_two_are_high() -> None:
    """One risk signal keeps a yellow account LIKELY (medium risk); two make it AT_RISK (high)."""
    one = forecast_renewal(health="YELLOW", signals={signals.PRICING_OBJECTION: 1})
    two = forecast_renewal(health="YELLOW", signals={signals.PRICING_OBJECTION: 1, signals.CRITICAL_ISSUES_OPEN: 3})
    assert (one.computed, one.risk, two.computed, two.risk) == (LIKELY, RiskLevel.MEDIUM, AT_RISK, RiskLevel.HIGH)


def test_late_start_is_at_risk() -> None:
    """A late start makes a green account AT_RISK (late starts kill deals)."""
    f = forecast_renewal(health="GREEN", status=status(date(2027, 3, 10)))
    assert (f.computed, f.rule) == (AT_RISK, 5)


def test_danger_zone_is_at_risk() -> None:
    """An unconfirmed renewal in the danger zone is AT_RISK."""
    s = status(date(2027, 6, 1), customer_conversation=date(2027, 2, 1), negotiation=date(2027, 5, 1))
    assert forecast_renewal(health="GREEN", status=s).computed == AT_RISK


def test_committed_intent_is_commit() -> None:
    """A verbal commitment with yellow health is COMMIT."""
    f = forecast_renewal(health="YELLOW", intent="committed", status=TALKING)
    assert (f.computed, f.rule) == (COMMIT, 6)


def test_green_low_risk_conversation_is_commit() -> None:
    """Green health, low risk and a started conversation is COMMIT."""
    f = forecast_renewal(health="GREEN", status=TALKING)
    assert (f.computed, f.rule) == (COMMIT, 7)


def test_green_without_conversation_is_likely() -> None:
    """Green health before the conversation starts is LIKELY."""
    f = forecast_renewal(health="GREEN", status=status(date(2026, 12, 1)))
    assert (f.computed, f.rule) == (LIKELY, 8)


def test_unknown_health_defaults_to_at_risk() -> None:
    """Without health and any evidence, the default AT_RISK decides, with its reason."""
    f = forecast_renewal()
    assert (AT_RISK, None, Fact.HEALTH_UNKNOWN in f.facts) == (f.computed, f.rule, True)
    assert f.reasons[0].startswith("no rule matched")


def test_health_read_from_score_signal() -> None:
    """Without a band, the health_score signal gives it (70 is green, 69.9 yellow)."""
    green = forecast_renewal(signals={signals.HEALTH_SCORE: 70.0}, status=TALKING)
    yellow = forecast_renewal(signals={signals.HEALTH_SCORE: 69.9}, status=TALKING)
    assert (green.computed, yellow.computed) == (COMMIT, LIKELY)


def test_csm_call_kept_and_flagged() -> None:
    """A disagreeing CSM call is kept, flagged, and reported as the category; the computed one stays."""
    f = forecast_renewal(health="RED", csm_call="COMMIT")
    assert (f.computed, f.csm_call, f.disagrees, f.category) == (AT_RISK, COMMIT, True, COMMIT)
    assert "kept and flagged for review" in f.explain()[-1]


def test_csm_call_agreeing_not_flagged() -> None:
    """An agreeing CSM call is not flagged."""
    f = forecast_renewal(health="RED", csm_call=AT_RISK)
    assert (f.disagrees, f.explain()[-1]) == (False, "The CSM's call AT_RISK agrees.")


def test_no_csm_call() -> None:
    """Without a CSM call the category is the computed one."""
    f = forecast_renewal(health="YELLOW")
    assert (f.csm_call, f.disagrees, f.category) == (None, False, LIKELY)


def test_account_id_from_status() -> None:
    """The account comes from the status unless given."""
    assert (
        forecast_renewal(status=TALKING).account_id,
        forecast_renewal(status=TALKING, account_id="x").account_id,
    ) == ("acme", "x")


def test_custom_rule_table() -> None:
    """A custom table decides instead of the default one."""
    rules = ForecastRules(
        rules=(ForecastRule("COMMIT", "yellow is fine here", all_of={"HEALTH_YELLOW"}),),
        default="LIKELY",
        default_reason="house default",
    )
    assert (
        forecast_renewal(health="YELLOW", rules=rules).computed,
        forecast_renewal(health="RED", rules=rules).computed,
    ) == (COMMIT, LIKELY)


def test_none_of_blocks_rule() -> None:
    """A none_of fact stops a rule from matching."""
    rule = ForecastRule(
        COMMIT, "green without objections", all_of={Fact.HEALTH_GREEN}, none_of={Fact.PRICING_OBJECTION}
    )
    assert (
        rule.matches(frozenset({Fact.HEALTH_GREEN})),
        rule.matches(frozenset({Fact.HEALTH_GREEN, Fact.PRICING_OBJECTION})),
    ) == (True, False)


def test_high_risk_threshold_configurable() -> None:
    """high_risk_from moves the HIGH boundary."""
    rules = ForecastRules(rules=DEFAULT_FORECAST_RULES.rules, high_risk_from=3)
    sig = {signals.PRICING_OBJECTION: 1, signals.CRITICAL_ISSUES_OPEN: 1}
    assert (
        forecast_renewal(health="YELLOW", signals=sig, rules=rules).risk,
        forecast_renewal(health="YELLOW", signals={**sig, signals.BUDGET_CUT: 1}, rules=rules).risk,
    ) == (RiskLevel.MEDIUM, RiskLevel.HIGH)


def test_rule_table_reports_every_problem() -> None:
    """An invalid rule table lists every problem at once."""
    with pytest.raises(DefinitionError) as info:
        ForecastRules(
            rules=(
                ForecastRule(COMMIT, "always"),
                ForecastRule(COMMIT, " ", all_of={Fact.HEALTH_GREEN}, none_of={Fact.HEALTH_GREEN}),
                "row",  # type: ignore[arg-type]
            ),
            high_risk_from=1,
            default_reason="",
        )
    assert {
        "$.rules[0]",
        "$.rules[1].none_of",
        "$.rules[1].reason",
        "$.rules[2]",
        "$.high_risk_from",
        "$.default_reason",
    } == {p.path for p in info.value.problems}


def test_unknown_fact_name_refused() -> None:
    """A rule naming an unknown fact is refused."""
    with pytest.raises(UnknownNameError) as info:
        ForecastRule(COMMIT, "x", all_of={"HEALTH_PURPLE"})
    assert info.value.field == "fact"


def test_single_fact_accepted() -> None:
    """A single fact name is accepted where a set is expected."""
    assert frozenset({Fact.HEALTH_GREEN}) == ForecastRule(COMMIT, "x", all_of="HEALTH_GREEN").all_of


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"health": "BLUE"}, "health"),
        ({"intent": "maybe"}, "intent"),
        ({"csm_call": "SURE"}, "csm_call"),
    ],
)
def test_unknown_names_refused(kw: dict[str, str], field: str) -> None:
    """Unknown band, intent or category names are refused, naming the field."""
    with pytest.raises(UnknownNameError) as info:
        forecast_renewal(**kw)  # type: ignore[arg-type]
    assert field == info.value.field


def test_bad_types_refused() -> None:
    """Wrong types for rules, status, signals and signal values are refused."""
    with pytest.raises(InvalidTypeError):
        forecast_renewal(rules="default")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        forecast_renewal(status="late")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        forecast_renewal(signals=[1])  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError) as info:
        forecast_renewal(signals={signals.BUDGET_CUT: "yes"})  # type: ignore[dict-item]
    assert info.value.field == "signals['budget_cut']"


@given(health_bands, risk_signals, intents, categories)
def test_forecast_always_explained_and_round_trips(
    band: HealthBand | None, sig: dict[str, float], intent: Intent, call: ForecastCategory
) -> None:
    """Every forecast has a reason, keeps the CSM call, and round-trips through JSON."""
    f = forecast_renewal(health=band, signals=sig, intent=intent, csm_call=call, status=TALKING)
    assert f.reasons and f.csm_call == call and f.category == call
    assert f.disagrees == (call != f.computed)
    assert f == postsale.from_json(Forecast, postsale.to_json(f))


@given(health_bands, risk_signals, intents)
def test_more_risk_never_improves(band: HealthBand | None, sig: dict[str, float], intent: Intent) -> None:
    """Adding a risk signal never raises the computed category."""
    base = forecast_renewal(health=band, signals=sig, intent=intent, status=TALKING)
    worse = forecast_renewal(
        health=band, signals={**sig, signals.PRICING_OBJECTION: 1.0}, intent=intent, status=TALKING
    )
    assert worse.computed <= base.computed


def test_rules_round_trip() -> None:
    """The default rule table round-trips through JSON."""
    assert postsale.from_json(ForecastRules, postsale.to_json(DEFAULT_FORECAST_RULES)) == DEFAULT_FORECAST_RULES


def test_explain_without_evidence() -> None:
    """A forecast carrying only its reason explains in one sentence."""
    f = Forecast(None, LIKELY, ("house rule",), None, frozenset(), RiskLevel.LOW)
    assert f.explain() == ["Forecast LIKELY: house rule."]
