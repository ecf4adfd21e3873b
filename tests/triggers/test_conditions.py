"""Conditions: each kind on both sides, missing data, hysteresis, evidence and validation problems."""

from __future__ import annotations

from datetime import timedelta

import pytest

from postsale import HealthBand, signals
from postsale.triggers import (
    AllOf,
    AnyOf,
    BandTransition,
    Context,
    DaysInBand,
    DaysSince,
    DaysUntil,
    Evidence,
    Not,
    PercentChange,
    Ratio,
    Threshold,
)
from postsale.triggers._conditions import problems_of, read_signal
from tests.triggers._helpers import DAY, ctx, snap

G, Y, R = HealthBand.GREEN, HealthBand.YELLOW, HealthBand.RED
KNOWN = signals.WELL_KNOWN
T = signals.SUPPORT_TICKETS_WEEK


def holds(condition, snapshot, context=None, rule_id="R"):
    return condition.compile(rule_id)(snapshot, context or Context())


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [
        (">=", 3, True),
        (">=", 2, False),
        (">", 3, False),
        (">", 4, True),
        ("<=", 3, True),
        ("<=", 4, False),
        ("<", 3, False),
        ("<", 2, True),
        ("==", 3, True),
        ("==", 4, False),
        ("!=", 3, False),
        ("!=", 4, True),
    ],
)
def test_threshold_operators(op, value, expected):
    """Each comparison operator compares the signal with the threshold exactly."""
    assert expected == holds(Threshold(T, op, 3), snap(**{T: value}))


@pytest.mark.parametrize("op", [">=", ">", "<=", "<", "==", "!="])
def test_threshold_missing_signal_never_holds(op):
    """A missing signal satisfies no threshold, whatever the operator."""
    assert holds(Threshold(T, op, 3), snap()) is False


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        (signals.SEAT_UTILISATION, 0.5, True),
        (signals.SEATS_ACTIVE, 5, True),
        (signals.SEATS_PURCHASED, 10, True),
        (signals.ACV, 1200, True),
        (signals.ACV, 1199, False),
    ],
)
def test_threshold_on_derived_signals(name, value, expected):
    """Derived names (seats, utilisation, ACV) are read from the snapshot's fields."""
    s = snap(seats_purchased=10, seats_active=5, acv=1200)
    assert expected == holds(Threshold(name, "<=", value), s)


def test_threshold_on_contract_days():
    """days_to_renewal and days_since_start are derived from the contract dates."""
    s = snap(contract_start=DAY - timedelta(days=30), contract_end=DAY + timedelta(days=10))
    both = AllOf((Threshold(signals.DAYS_TO_RENEWAL, "==", 10), Threshold(signals.DAYS_SINCE_START, "==", 30)))
    assert holds(both, s) is True


def test_threshold_on_contract_days_missing():
    """Without contract dates the contract-day signals are missing."""
    assert (None, None) == (
        read_signal(signals.DAYS_TO_RENEWAL, snap(), Context()),
        read_signal(signals.DAYS_SINCE_START, snap(), Context()),
    )


def test_threshold_on_utilisation_without_seats():
    """Utilisation is missing when no seats were purchased."""
    assert holds(Threshold(signals.SEAT_UTILISATION, ">=", 0), snap()) is False


def test_health_score_comes_from_the_context():
    """health_score is read from the context (the engine's score, signal or model)."""
    assert holds(Threshold(signals.HEALTH_SCORE, "<", 40), snap(health_score=90), ctx(score=39)) is True


def test_threshold_on_previous_snapshot():
    """source='previous' compares the previous snapshot's value."""
    c = ctx(previous={T: 5.0})
    assert (True, False) == (
        holds(Threshold(T, ">=", 3, source="previous"), snap(**{T: 0}), c),
        holds(Threshold(T, ">=", 3, source="previous"), snap(**{T: 9})),
    )


@pytest.mark.parametrize(
    ("active", "score", "expected"),
    [(False, 40, False), (False, 39, True), (True, 49, True), (True, 50, False)],
)
def test_threshold_hysteresis_enter_40_leave_50(active, score, expected):
    """With release, a condition entered below 40 keeps holding until the value reaches 50."""
    c = ctx(score=score, active=frozenset({"R"}) if active else frozenset())
    assert expected == holds(Threshold(signals.HEALTH_SCORE, "<", 40, release=50), snap(), c)


def test_threshold_hysteresis_upwards():
    """For >=, the release is below the threshold: entered at 80, held down to 70 exclusive."""
    cond = Threshold(signals.USAGE_LIMIT_RATIO, ">=", 0.8, release=0.7)
    c = ctx(active=frozenset({"R"}))
    assert (True, False, False) == (
        holds(cond, snap(usage_limit_ratio=0.75), c),
        holds(cond, snap(usage_limit_ratio=0.7), c),
        holds(cond, snap(usage_limit_ratio=0.75)),
    )


def test_threshold_hysteresis_missing_value():
    """A missing value never holds, even with hysteresis."""
    assert holds(Threshold(T, "<", 4, release=6), snap(), ctx(active=frozenset({"R"}))) is False


def test_threshold_evidence():
    """A threshold's evidence names the signal, the value, the operator and the threshold."""
    expected = [Evidence(T, 3.0, ">=", "3")]
    assert expected == Threshold(T, ">=", 3).evidence(snap(**{T: 3}), Context())


def test_threshold_evidence_with_release_and_previous():
    """Evidence of a previous-snapshot threshold with hysteresis says so."""
    ev = Threshold(T, "<", 3, release=5, source="previous").evidence(snap(), ctx(previous={T: 1.0}))
    assert [Evidence(f"previous {T}", 1.0, "<", "3", "stays on until it crosses 5")] == ev


@pytest.mark.parametrize(
    ("now", "base", "expected"), [(70, 100, True), (71, 100, False), (0, 0, False), (None, 100, False)]
)
def test_percent_change_drop_against_previous_snapshot(now, base, expected):
    """Without a baseline signal, the drop is measured against the previous snapshot's value."""
    c = ctx(previous={signals.LOGINS_WEEK: float(base)})
    s = snap() if now is None else snap(logins_week=now)
    assert expected == holds(PercentChange(signals.LOGINS_WEEK, 0.3), s, c)


@pytest.mark.parametrize(("now", "expected"), [(150, True), (149, False)])
def test_percent_change_rise(now, expected):
    """A rise of at least 50 % holds at +50 %, not +49 %."""
    cond = PercentChange(signals.LOGINS_WEEK, 0.5, baseline=signals.LOGINS_PREV_WEEK, direction="rise")
    assert expected == holds(cond, snap(logins_week=now, logins_prev_week=100))


@pytest.mark.parametrize(("now", "expected"), [(150, True), (149, False)])
def test_percent_change_rise_against_previous(now, expected):
    """A rise measured against the previous snapshot uses the same rule."""
    cond = PercentChange(signals.LOGINS_WEEK, 0.5, direction="rise")
    assert expected == holds(cond, snap(logins_week=now), ctx(previous={signals.LOGINS_WEEK: 100.0}))


def test_percent_change_zero_base_without_minimum():
    """A zero baseline never holds, even with no minimum base."""
    cond = PercentChange(signals.LOGINS_WEEK, 0.0, baseline=signals.LOGINS_PREV_WEEK)
    assert (False, True) == (
        holds(cond, snap(logins_week=0, logins_prev_week=0)),
        holds(cond, snap(logins_week=0, logins_prev_week=1)),
    )


def test_percent_change_month_over_month():
    """Month over month compares the monthly signals."""
    cond = PercentChange(signals.LOGINS_MONTH, 0.3, baseline=signals.LOGINS_PREV_MONTH, min_base=10)
    assert holds(cond, snap(logins_month=70, logins_prev_month=100)) is True


def test_percent_change_on_derived_baseline():
    """Derived signals work as values and baselines."""
    cond = PercentChange(signals.SEATS_ACTIVE, 0.5, baseline=signals.SEATS_PURCHASED)
    assert holds(cond, snap(seats_purchased=10, seats_active=5)) is True


def test_percent_change_evidence():
    """The evidence shows the change, both raw values and the minimum base."""
    cond = PercentChange(signals.LOGINS_WEEK, 0.3, baseline=signals.LOGINS_PREV_WEEK, min_base=10)
    [ev] = cond.evidence(snap(logins_week=7, logins_prev_week=10), Context())
    expected = Evidence(
        "logins_week drop vs logins_prev_week",
        0.3,
        ">=",
        "0.3",
        "logins_prev_week 10 → logins_week 7; counts only when logins_prev_week >= 10",
    )
    assert expected == ev


def test_percent_change_evidence_against_previous_and_missing():
    """Evidence against the previous snapshot names it and shows missing values."""
    [ev] = PercentChange(signals.LOGINS_WEEK, 0.3, direction="rise").evidence(snap(), Context())
    assert ("logins_week rise vs previous logins_week", None) == (ev.subject, ev.value)


def test_percent_change_evidence_rise_value():
    """The evidence of a rise is the relative rise."""
    [ev] = PercentChange(signals.LOGINS_WEEK, 0.3, direction="rise").evidence(
        snap(logins_week=15), ctx(previous={signals.LOGINS_WEEK: 10.0})
    )
    assert 0.5 == ev.value


@pytest.mark.parametrize(("op", "expected"), [("<", True), (">=", False)])
def test_ratio_generic(op, expected):
    """A ratio of two signals compares with the threshold."""
    cond = Ratio(signals.SUPPORT_TICKETS_WEEK, signals.ACTIVE_USERS, op, 0.5)
    assert expected == holds(cond, snap(support_tickets_week=1, active_users=4))


def test_ratio_zero_denominator():
    """A zero or missing denominator never holds."""
    cond = Ratio(signals.SUPPORT_TICKETS_WEEK, signals.ACTIVE_USERS, ">=", 0)
    assert (False, False, False) == (
        holds(cond, snap(support_tickets_week=1, active_users=0)),
        holds(cond, snap(support_tickets_week=1)),
        holds(cond, snap(active_users=3)),
    )


def test_ratio_evidence():
    """The ratio's evidence shows both parts."""
    [ev] = Ratio(signals.SEATS_ACTIVE, signals.SEATS_PURCHASED, ">=", 0.8).evidence(
        snap(seats_purchased=100, seats_active=80), Context()
    )
    assert (0.8, "seats_active 80 / seats_purchased 100") == (ev.value, ev.note)


def test_ratio_evidence_missing():
    """The ratio is missing when its denominator is zero."""
    [ev] = Ratio(signals.SEATS_ACTIVE, signals.SEATS_PURCHASED, ">=", 0.8).evidence(snap(), Context())
    assert ev.value is None


@pytest.mark.parametrize(
    ("before", "after", "prev_score", "score", "expected"),
    [(G, Y, 80, 60, True), (G, Y, 80, 69, False), (G, G, 90, 70, False), (None, Y, None, 60, False)],
)
def test_band_transition_both(before, after, prev_score, score, expected):
    """require='both' needs the band move and the drop together."""
    cond = BandTransition((G,), (Y,), min_drop=15, require="both")
    assert expected == holds(cond, snap(), ctx(after, before, score=score, previous_score=prev_score))


def test_band_transition_both_without_scores():
    """require='both' does not hold without scores."""
    cond = BandTransition((G,), (Y,), min_drop=15, require="both")
    assert holds(cond, snap(), ctx(Y, G)) is False


@pytest.mark.parametrize(
    ("before", "after", "expected"), [(G, Y, True), (G, R, True), (Y, R, False), (G, G, False), (None, R, False)]
)
def test_band_transition_several_bands(before, after, expected):
    """Several from/to bands are matched as sets."""
    assert expected == holds(BandTransition((G,), (Y, R)), snap(), ctx(after, before))


@pytest.mark.parametrize(
    ("before", "after", "prev_score", "score", "expected"),
    [
        (G, G, 90, 75, True),
        (Y, Y, 60, 45, True),
        (Y, R, 60, 30, True),
        (R, R, 30, 10, False),
        (G, R, None, 30, True),
        (G, G, None, 80, False),
    ],
)
def test_band_transition_several_bands_with_drop(before, after, prev_score, score, expected):
    """With several bands, a drop counts while the account stays within them."""
    cond = BandTransition((G, Y), (R,), min_drop=15)
    assert expected == holds(cond, snap(), ctx(after, before, score=score, previous_score=prev_score))


def test_band_transition_single_missing_scores():
    """A single-band transition with a drop does not hold without scores when the band did not move."""
    assert holds(BandTransition((G,), (Y,), min_drop=15), snap(), ctx(G, G)) is False


def test_band_transition_several_bands_leaving_range():
    """With several bands, a drop to a band outside from/to does not count."""
    cond = BandTransition((G, Y), (Y,), min_drop=5)
    assert holds(cond, snap(), ctx(R, Y, score=10, previous_score=45)) is False


def test_band_transition_evidence():
    """The evidence shows the bands and the point drop."""
    ev = BandTransition((G,), (Y,), min_drop=15).evidence(snap(), ctx(Y, G, score=60, previous_score=80))
    assert [
        Evidence("health band", "GREEN → YELLOW", "moved", "GREEN → YELLOW"),
        Evidence("health score drop", 20.0, ">=", "15 points", "health score 80 → 60"),
    ] == ev


def test_band_transition_evidence_without_history():
    """The evidence says 'none' for unknown bands and missing scores."""
    ev = BandTransition((G,), (Y,), min_drop=15).evidence(snap(), Context())
    assert ("none → none", None) == (ev[0].value, ev[1].value)


def test_days_in_band_evidence():
    """Days-in-band evidence shows the days and the band."""
    [ev] = DaysInBand(Y, 30).evidence(snap(), ctx(Y, days_in_band=31))
    assert Evidence("days in YELLOW", 31, ">=", "30", "band YELLOW") == ev


def test_days_in_band_evidence_without_band():
    """Days-in-band evidence says 'none' without a band."""
    assert "band none" == DaysInBand(Y, 30).evidence(snap(), Context())[0].note


@pytest.mark.parametrize(("ahead", "expected"), [(-5, False), (-3, True), (0, True), (1, False)])
def test_days_until_contract_start(ahead, expected):
    """DaysUntil works on the contract start too (here: starting in 0-3 days)."""
    s = snap(contract_start=DAY + timedelta(days=-ahead))
    assert expected == holds(DaysUntil("contract_start", 3), s)


def test_days_until_missing_date():
    """DaysUntil never holds without the date."""
    assert holds(DaysUntil("contract_start", 3), snap()) is False


def test_days_until_evidence():
    """DaysUntil evidence shows the days left and the dates."""
    s = snap(contract_start=DAY - timedelta(days=10), contract_end=DAY + timedelta(days=90))
    [ev] = DaysUntil("contract_end", 90).evidence(s, Context())
    assert (90, "within", "0..90", "contract_end 2026-05-31, as of 2026-03-02") == (
        ev.value,
        ev.op,
        ev.threshold,
        ev.note,
    )


def test_days_until_evidence_unknown_date():
    """DaysUntil evidence says the date is unknown."""
    [ev] = DaysUntil("contract_end", 90).evidence(snap(), Context())
    assert (None, "contract_end unknown, as of 2026-03-02") == (ev.value, ev.note)


@pytest.mark.parametrize(("age", "expected"), [(27, False), (28, True), (34, True), (35, False)])
def test_days_since_window(age, expected):
    """DaysSince with at_most holds inside the window only (week 5 = days 28-34)."""
    s = snap(contract_start=DAY - timedelta(days=age))
    assert expected == holds(DaysSince("contract_start", 28, at_most=34), s)


@pytest.mark.parametrize(("after", "expected"), [(4, False), (5, True)])
def test_days_since_contract_end(after, expected):
    """DaysSince works on the contract end (days after the renewal date)."""
    s = snap(contract_start=DAY - timedelta(days=400), contract_end=DAY - timedelta(days=after))
    assert expected == holds(DaysSince("contract_end", 5), s)


def test_days_since_evidence():
    """DaysSince evidence shows the days elapsed and the window."""
    s = snap(contract_start=DAY - timedelta(days=30))
    [ev] = DaysSince("contract_start", 28, at_most=34).evidence(s, Context())
    assert (30, "28..34") == (ev.value, ev.threshold)


def test_days_since_evidence_unknown():
    """DaysSince evidence says the date is unknown."""
    assert DaysSince("contract_start", 28).evidence(snap(), Context())[0].value is None


@pytest.mark.parametrize(("tickets", "logins", "expected"), [(3, 1, True), (3, 0, False), (2, 1, False)])
def test_all_of_three(tickets, logins, expected):
    """AllOf holds only when every condition holds."""
    cond = AllOf((Threshold(T, ">=", 3), Threshold(signals.LOGINS_WEEK, ">=", 1), Threshold(T, "<", 10)))
    assert expected == holds(cond, snap(**{T: tickets, signals.LOGINS_WEEK: logins}))


@pytest.mark.parametrize(("tickets", "logins", "expected"), [(3, 0, True), (0, 5, True), (0, 0, False)])
def test_any_of_three(tickets, logins, expected):
    """AnyOf holds when at least one condition holds."""
    cond = AnyOf((Threshold(T, ">=", 3), Threshold(signals.LOGINS_WEEK, ">=", 5), Threshold(T, ">", 100)))
    assert expected == holds(cond, snap(**{T: tickets, signals.LOGINS_WEEK: logins}))


def test_single_child_combinators():
    """AllOf and AnyOf of one condition behave as that condition."""
    inner = Threshold(T, ">=", 3)
    assert (True, True) == (holds(AllOf((inner,)), snap(**{T: 3})), holds(AnyOf((inner,)), snap(**{T: 3})))


def test_not():
    """Not negates its condition."""
    assert (False, True) == (
        holds(Not(Threshold(T, ">=", 3)), snap(**{T: 3})),
        holds(Not(Threshold(T, ">=", 3)), snap(**{T: 2})),
    )


def test_any_of_evidence_lists_only_parts_that_hold():
    """AnyOf's evidence lists the parts that held."""
    cond = AnyOf((Threshold(T, ">=", 3), Threshold(signals.LOGINS_WEEK, ">=", 5)))
    assert [T] == [e.subject for e in cond.evidence(snap(**{T: 3, signals.LOGINS_WEEK: 1}), Context())]


def test_all_of_evidence_keeps_declared_order():
    """AllOf's evidence follows the declared order, not the evaluation order."""
    cond = AllOf((DaysSince("contract_start", 1), Threshold(T, ">=", 3)))
    assert ["days since contract_start", T] == [e.subject for e in cond.evidence(snap(**{T: 3}), Context())]


def test_not_evidence_is_marked():
    """Not's evidence marks the negated comparison."""
    assert "not >=" == Not(Threshold(T, ">=", 3)).evidence(snap(), Context())[0].op


def test_evidence_sentence_with_note_and_missing():
    """Sentences say 'missing' for absent values and append the note."""
    assert "x was missing (rule: >= 3); base 4." == Evidence("x", None, ">=", "3", "base 4").sentence()


def test_evidence_sentence_fraction():
    """Fractions are shown with four significant digits."""
    assert "x was 0.3333 (rule: >= 0.3)." == Evidence("x", 1 / 3, ">=", "0.3").sentence()


def test_signal_names_and_previous_names():
    """A condition reports the signals it reads, and those it reads from the previous snapshot."""
    cond = Not(
        AllOf(
            (
                Threshold(T, ">=", 3, source="previous"),
                AnyOf((PercentChange(signals.LOGINS_WEEK, 0.3), Ratio("a", "b", ">", 1))),
                BandTransition((G,), (Y,)),
                DaysInBand(Y, 3),
                DaysUntil("contract_end", 3),
                DaysSince("contract_start", 3),
                PercentChange(signals.LOGINS_WEEK, 0.3, baseline=signals.LOGINS_PREV_WEEK),
            )
        )
    )
    expected_names = {T, signals.LOGINS_WEEK, signals.LOGINS_PREV_WEEK, "a", "b", signals.HEALTH_SCORE}
    assert (expected_names, {T, signals.LOGINS_WEEK}) == (cond.signal_names(), cond.previous_names())


# ---- validation problems, with paths ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("condition", "paths"),
    [
        (Threshold("nope", "=>", float("nan")), ["$.c.signal", "$.c.op", "$.c.threshold"]),
        (Threshold(T, ">=", 3, source="later"), ["$.c.source"]),  # type: ignore[arg-type]
        (Threshold(T, "<", 3, release=2), ["$.c.release"]),
        (Threshold(T, ">", 3, release=4), ["$.c.release"]),
        (Threshold(T, "==", 3, release=4), ["$.c.release"]),
        (Threshold(T, "<", 3, release=float("inf")), ["$.c.release"]),
        (Threshold("", ">=", 3), ["$.c.signal"]),
        (
            PercentChange("x", -0.1, baseline="y", min_base=-1),
            ["$.c.signal", "$.c.baseline", "$.c.at_least", "$.c.min_base"],
        ),
        (PercentChange(T, 1.5), ["$.c.at_least"]),
        (PercentChange(T, 0.5, direction="sideways"), ["$.c.direction"]),  # type: ignore[arg-type]
        (Ratio("x", "y", "~", True), ["$.c.numerator", "$.c.denominator", "$.c.op", "$.c.threshold"]),
        (
            BandTransition((), ("GREEN",), min_drop=101, require="maybe"),
            ["$.c.from_bands", "$.c.to_bands", "$.c.min_drop", "$.c.require"],
        ),
        (BandTransition((G,), (Y,), require="both"), ["$.c.min_drop"]),
        (DaysInBand("YELLOW", -1), ["$.c.band", "$.c.at_least"]),  # type: ignore[arg-type]
        (DaysUntil("renewal", "90", at_least=True), ["$.c.date", "$.c.at_least", "$.c.at_most"]),
        (DaysUntil("contract_end", 10, at_least=20), ["$.c.at_least"]),
        (DaysSince("contract_start", 40, at_most=30), ["$.c.at_least"]),
        (AllOf(()), ["$.c.conditions"]),
        (AnyOf((Threshold("nope", ">=", 1), "x")), ["$.c.conditions[0].signal", "$.c.conditions[1]"]),
        (Not(Threshold("nope", ">=", 1)), ["$.c.condition.signal"]),
        ("threshold", ["$.c"]),
    ],
)
def test_problems_have_paths(condition, paths):
    """Every problem of a condition is reported with its path."""
    assert paths == [p.path for p in problems_of(condition, "$.c", KNOWN)]


def test_unknown_signal_suggests_the_closest_name():
    """An unknown signal name suggests the closest known one."""
    [problem] = problems_of(Threshold("support_ticket_week", ">=", 3), "$.c", KNOWN)
    assert "did you mean 'support_tickets_week'?" in problem.message


def test_valid_condition_has_no_problems():
    """A valid condition has no problems."""
    assert [] == problems_of(Threshold(T, "<", 3, release=5), "$.c", KNOWN)


def test_any_of_evidence_under_hysteresis_lists_every_part():
    """When no part holds on its own (hysteresis), AnyOf's evidence lists every part."""
    cond = AnyOf((Threshold(T, "<", 2, release=5), Threshold(signals.LOGINS_WEEK, ">=", 5)))
    subjects = [e.subject for e in cond.evidence(snap(**{T: 3, signals.LOGINS_WEEK: 1}), ctx(active=frozenset({"R"})))]
    assert [T, signals.LOGINS_WEEK] == subjects


@pytest.mark.parametrize(
    ("before", "after", "prev_score", "score", "expected"),
    [
        (G, R, 80, 30, True),
        (Y, R, 45, 39, True),
        (Y, Y, 60, 50, True),
        (Y, Y, 60, 51, False),
        (G, G, 90, 75, False),
        (G, Y, 72, 62, False),
    ],
)
def test_band_transition_drop_bands(before, after, prev_score, score, expected):
    """drop_bands limits the point drop to some of the from-bands (the shape of H2)."""
    cond = BandTransition((G, Y), (R,), min_drop=10, drop_bands=(Y,))
    assert expected == holds(cond, snap(), ctx(after, before, score=score, previous_score=prev_score))


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        (BandTransition((G,), (R,), drop_bands=(G,)), "drop_bands needs a min_drop"),
        (BandTransition((G,), (R,), min_drop=5, drop_bands=(Y,)), "must be among from_bands"),
        (BandTransition((G,), (R,), min_drop=5, drop_bands=()), "must be a non-empty list of health bands"),
    ],
)
def test_band_transition_drop_bands_problems(condition, message):
    """Bad drop_bands are reported at their path."""
    [problem] = problems_of(condition, "$.c", KNOWN)
    assert ("$.c.drop_bands", message) == (problem.path, problem.message.split(" (")[0])
