"""The default catalog: every row of the playbooks' trigger catalog and the proactive triggers, both sides of every
threshold; every source cites a real section of the field guide."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from postsale import HealthBand, Segment, signals
from postsale.renewal import playbook_for
from postsale.triggers import CATALOG, DEFAULT_RULE_SET, MOMENTS, PROACTIVE, OutcomeKind, Sla
from tests.triggers._helpers import DAY, ctx, fires, snap

ROOT = Path(__file__).resolve().parents[2]

G, Y, R = HealthBand.GREEN, HealthBand.YELLOW, HealthBand.RED


def test_catalog_has_the_twelve_rows_of_the_playbooks_catalog():
    """CATALOG holds U1-U4, H1-H4, M1-M4 in the order of the playbooks' trigger catalog."""
    expected = ["U1", "U2", "U3", "U4", "H1", "H2", "H3", "H4", "M1", "M2", "M3", "M4"]
    assert expected == [r.id for r in CATALOG.rules]


def test_proactive_has_the_proactive_triggers():
    """PROACTIVE holds storage, any limit, licence expiry and the four external events."""
    assert ["P1", "P2", "P3", "E1", "E2", "E3", "E4"] == [r.id for r in PROACTIVE.rules]


def test_default_rule_set_is_all_three():
    """DEFAULT_RULE_SET is the catalog, then the proactive triggers, then the other moments (37 rules)."""
    assert CATALOG.rules + PROACTIVE.rules + MOMENTS.rules == DEFAULT_RULE_SET.rules
    assert 37 == len(DEFAULT_RULE_SET.rules)


@pytest.mark.parametrize(
    ("rule_id", "sla"),
    [
        ("U1", Sla.H48),
        ("U2", Sla.WEEK_5),
        ("U3", Sla.SAME_DAY),
        ("U4", Sla.WITHIN_WEEK),
        ("H1", Sla.H24),
        ("H2", Sla.SAME_DAY),
        ("H3", Sla.D3),
        ("H4", Sla.H48),
        ("M1", Sla.WITHIN_WEEK),
        ("M2", Sla.WITHIN_WEEK),
        ("M3", Sla.WITHIN_FEW_DAYS),
        ("M4", Sla.SAME_DAY),
    ],
)
def test_catalog_sla_matches_the_table(rule_id, sla):
    """Each catalog row carries the timeline of the playbooks' catalog."""
    assert sla == CATALOG.rule(rule_id).sla


def _headings(page: str) -> set[str]:
    text = (ROOT / "docs" / "guide" / page).read_text(encoding="utf-8")
    return {m.group(1).strip() for m in re.finditer(r"^## (.+)$", text, re.MULTILINE)}


def test_every_rule_cites_a_real_section_of_the_triggers_guide():
    """Every default rule's source is "guide: Triggers › <Section>", a heading of docs/guide/triggers.md."""
    headings = _headings("triggers.md")
    pattern = re.compile(r"^guide: Triggers › (.+)$")
    bad = [(r.id, r.source) for r in DEFAULT_RULE_SET.rules
           if not (m := pattern.match(r.source)) or m.group(1) not in headings]
    assert [] == bad


def test_every_guide_citation_in_the_triggers_source_names_a_real_section():
    """Each "guide: <Page> › <Section>" written in the triggers' source names a heading of that guide page."""
    pages = {"Journey": "journey.md", "KPIs": "kpi.md", "Health": "health.md", "Renewal": "renewal.md",
             "Cadence": "cadence.md", "Triggers": "triggers.md", "Touch models": "touch.md"}
    cited = re.compile(r"guide: ([A-Z][\w ]*?) › ([A-Za-z0-9 ,'-]+[A-Za-z0-9])")
    missing = []
    for path in sorted((ROOT / "src" / "postsale" / "triggers").glob("*.py")):
        for page, section in cited.findall(path.read_text(encoding="utf-8")):
            if page not in pages or section not in _headings(pages[page]):
                missing.append(f"{path.name}: {page} › {section}")
    assert [] == missing


def test_no_triggers_source_or_doc_cites_documents_users_do_not_have():
    """Nothing in the triggers' source, docs or guide cites "domain-spec" or DESIGN.md."""
    files = [*(ROOT / "src" / "postsale" / "triggers").glob("*.py"), ROOT / "docs" / "triggers.md",
             ROOT / "docs" / "guide" / "triggers.md", ROOT / "docs" / "reference" / "triggers.md"]
    assert [] == [p.name for p in files if "domain-spec" in p.read_text() or "DESIGN.md" in p.read_text()]


def test_risk_rules_predict_churn():
    """The usage-decline, silence and health rules are scored against churn in backtests."""
    risky = {r.id for r in DEFAULT_RULE_SET.rules if r.predicts is OutcomeKind.CHURNED}
    assert {"U1", "U2", "U3", "U6", "U7", "H1", "H2", "H3", "H4", "H5", "H6", "H7", "H8", "H9", "H10", "H11",
            "E3", "E4"} == risky


# ---- U1 login decline >= 30 % week over week, minimum base volume ------------------------------------------
@pytest.mark.parametrize(
    ("prev", "now", "expected"),
    [(100, 71, False), (100, 70, True), (10, 7, True), (10, 8, False), (9, 0, False), (10, 0, True), (1, 0, False)],
)
def test_u1_login_drop(prev, now, expected):
    """U1 fires at a 30 % drop (not 29 %) and only from a base of 10 logins (1 → 0 is not a drop)."""
    s = snap(**{signals.LOGINS_PREV_WEEK: prev, signals.LOGINS_WEEK: now})
    assert expected == fires("U1", s)


def test_u1_needs_both_weeks():
    """U1 does not fire when the previous week is unknown."""
    assert fires("U1", snap(**{signals.LOGINS_WEEK: 0})) is False


# ---- U2 zero core-feature usage 30 days after purchase ------------------------------------------------------
@pytest.mark.parametrize(("age", "usage", "expected"), [(29, 0, False), (30, 0, True), (31, 0, True), (30, 1, False)])
def test_u2_non_adoption(age, usage, expected):
    """U2 fires from day 30 after contract start while the core feature is unused."""
    s = snap(contract_start=DAY - timedelta(days=age), **{signals.CORE_FEATURE_USAGE: usage})
    assert expected == fires("U2", s)


def test_u2_needs_a_contract_start():
    """U2 does not fire without a contract start."""
    assert fires("U2", snap(**{signals.CORE_FEATURE_USAGE: 0})) is False


# ---- U3 critical feature down 50 % --------------------------------------------------------------------------
@pytest.mark.parametrize(("prev", "now", "expected"), [(100, 51, False), (100, 50, True), (4, 0, False)])
def test_u3_key_feature_decline(prev, now, expected):
    """U3 fires at a 50 % decrease (not 49 %), from a base of 10 uses."""
    s = snap(**{signals.CRITICAL_FEATURE_USAGE_PREV: prev, signals.CRITICAL_FEATURE_USAGE: now})
    assert expected == fires("U3", s)


# ---- U4 power user: activity percentile >= 90 and >= 5 features -------------------------------------------
@pytest.mark.parametrize(("pct", "features", "expected"), [(90, 5, True), (89.9, 5, False), (90, 4, False)])
def test_u4_power_user(pct, features, expected):
    """U4 needs both high activity (90th percentile) and feature breadth (5 features)."""
    s = snap(**{signals.ACTIVITY_PERCENTILE: pct, signals.DISTINCT_FEATURES_USED: features})
    assert expected == fires("U4", s)


# ---- H1 Green -> Yellow, H2 Yellow -> Red: band moves only --------------------------------------------------
@pytest.mark.parametrize(
    ("before", "after", "prev_score", "score", "expected"),
    [
        (G, Y, 72, 69, True),
        (G, Y, 70, 69, True),
        (G, G, 86, 71, False),
        (G, G, 95, 80, False),
        (G, R, 80, 30, False),
        (Y, Y, 60, 40, False),
        (Y, G, 60, 80, False),
        (None, Y, None, 60, False),
    ],
)
def test_h1_fires_when_the_band_moves_from_green_to_yellow(before, after, prev_score, score, expected):
    """H1 "Green to Yellow" fires only when the band moves from GREEN to YELLOW: a 95 → 80 drop that stays GREEN is
    not H1 (it is H6's), and Green → Red is H5's."""
    c = ctx(after, before, score=score, previous_score=prev_score)
    assert expected == fires("H1", snap(), c)


@pytest.mark.parametrize(
    ("before", "after", "prev_score", "score", "expected"),
    [
        (Y, R, 42, 39, True),
        (Y, Y, 60, 50, False),
        (G, R, 80, 30, False),
        (G, G, 90, 75, False),
        (R, R, 30, 10, False),
        (None, R, None, 30, False),
    ],
)
def test_h2_fires_when_the_band_moves_from_yellow_to_red(before, after, prev_score, score, expected):
    """H2 "Yellow to Red" fires only on YELLOW → RED: a 10-point drop that stays YELLOW is H7's, GREEN → RED H5's."""
    c = ctx(after, before, score=score, previous_score=prev_score)
    assert expected == fires("H2", snap(), c)


# ---- H3 30 consecutive days in Yellow ----------------------------------------------------------------------
@pytest.mark.parametrize(("band", "days_in", "expected"), [(Y, 29, False), (Y, 30, True), (G, 30, False)])
def test_h3_persistent_yellow(band, days_in, expected):
    """H3 fires from the 30th consecutive day in Yellow (not the 29th), only in Yellow."""
    assert expected == fires("H3", snap(), ctx(band, band, score=50, previous_score=50, days_in_band=days_in))


# ---- H4 >= 3 tickets per week -------------------------------------------------------------------------------
@pytest.mark.parametrize(("tickets", "expected"), [(2, False), (3, True)])
def test_h4_ticket_spike(tickets, expected):
    """H4 fires at 3 tickets in a week, not 2."""
    assert expected == fires("H4", snap(**{signals.SUPPORT_TICKETS_WEEK: tickets}))


# ---- M1 the renewal runway of the segment has started ------------------------------------------------------
@pytest.mark.parametrize("segment", list(Segment))
@pytest.mark.parametrize("offset", [1, 0, -1])
def test_m1_fires_at_each_segments_runway_start(segment, offset):
    """M1 holds from the runway start of the segment's renewal playbook (T-180 enterprise, T-90 mid-market, T-60
    SMB, T-30 product-led) to the renewal date; one day earlier it does not."""
    runway = playbook_for(segment).runway_days
    s = snap(segment=segment.name, contract_start=DAY - timedelta(days=400),
             contract_end=DAY + timedelta(days=runway + offset))
    assert (offset <= 0) == fires("M1", s)


@pytest.mark.parametrize(("segment", "runway"), [("ENTERPRISE", 180), ("MID_MARKET", 90), ("SMB", 60),
                                                 ("PRODUCT_LED", 30)])
def test_m1_runways_are_the_playbooks(segment, runway):
    """The runways M1 reads are the playbooks' (the catalog's 90 days is the mid-market case)."""
    assert runway == playbook_for(segment).runway_days
    assert fires("M1", snap(segment=segment, contract_end=DAY + timedelta(days=runway)))


@pytest.mark.parametrize(("ahead", "expected"), [(0, True), (-1, False)])
def test_m1_stops_after_the_renewal_date(ahead, expected):
    """M1 holds up to the renewal date itself, not after it."""
    assert expected == fires("M1", snap(segment="SMB", contract_end=DAY + timedelta(days=ahead)))


def test_m1_needs_a_contract_end():
    """Without a renewal date M1 does not hold."""
    assert fires("M1", snap(segment="ENTERPRISE")) is False


# ---- M2 80 % of seats ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("active", "expected"), [(79, False), (80, True)])
def test_m2_contract_limit(active, expected):
    """M2 fires at 80 % of purchased seats in use, not 79 %."""
    assert expected == fires("M2", snap(seats_purchased=100, seats_active=active))


def test_m2_needs_purchased_seats():
    """M2 does not fire when no seats were purchased."""
    assert fires("M2", snap(seats_purchased=0, seats_active=0)) is False


# ---- M3 core setup 100 % ; M4 first value --------------------------------------------------------------------
@pytest.mark.parametrize(("done", "expected"), [(0.99, False), (1.0, True)])
def test_m3_onboarding_complete(done, expected):
    """M3 fires when core setup is 100 % complete, not 99 %."""
    assert expected == fires("M3", snap(**{signals.CORE_SETUP_COMPLETION: done}))


@pytest.mark.parametrize(("flag", "expected"), [(0, False), (1, True)])
def test_m4_first_value(flag, expected):
    """M4 fires when the customer's first-value criterion is met."""
    assert expected == fires("M4", snap(**{signals.FIRST_VALUE_DOCUMENTED: flag}))


# ---- proactive triggers ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("share", "expected"), [(0.74, False), (0.75, True)])
def test_p1_storage(share, expected):
    """P1 fires at 75 % of storage, not 74 %."""
    assert expected == fires("P1", snap(**{signals.STORAGE_RATIO: share}))


@pytest.mark.parametrize(("share", "expected"), [(0.79, False), (0.8, True)])
def test_p2_any_limit(share, expected):
    """P2 fires at 80 % of any limit, not 79 %."""
    assert expected == fires("P2", snap(**{signals.USAGE_LIMIT_RATIO: share}))


@pytest.mark.parametrize(("left", "expected"), [(61, False), (60, True), (0, True), (-1, False)])
def test_p3_licence_expiry(left, expected):
    """P3 fires when the licence expires within 60 days (not 61, not once expired)."""
    assert expected == fires("P3", snap(**{signals.LICENSE_DAYS_LEFT: left}))


@pytest.mark.parametrize(
    ("rule_id", "signal"),
    [
        ("E1", signals.FUNDING_ANNOUNCED),
        ("E2", signals.ACQUISITION_ANNOUNCED),
        ("E3", signals.LEADERSHIP_CHANGE),
        ("E4", signals.CHAMPION_LEFT),
    ],
)
@pytest.mark.parametrize(("flag", "expected"), [(0, False), (1, True)])
def test_external_events(rule_id, signal, flag, expected):
    """Each external event fires when its flag is 1 and not when it is 0."""
    assert expected == fires(rule_id, snap(**{signal: flag}))
