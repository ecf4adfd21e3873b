"""Tests of postsale.adapters._cards: the notebook cards of a review, a health score, a journey and a list of alerts."""

from __future__ import annotations

import re
import subprocess
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import pytest

import postsale
from postsale import AccountSnapshot, Journey, Stage
from postsale.adapters import display
from postsale.adapters._cards import _KIND, card
from postsale.health import DEFAULT_HEALTH_MODEL, Pulse, PulseMode, PulsePolicy
from postsale.journey import Cause, TransitionKind
from postsale.review import AccountInput, AccountReview

ARTIFACTS = Path(__file__).resolve().parents[1] / "build" / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
DONE = {"implementation_complete": 1, "core_users_trained": 1, "use_case_live": 1, "first_value_documented": 1,
        "go_live_confirmed": 1}


def acme_review() -> AccountReview:
    """The README's tour account: YELLOW 51.8, renewal in 60 days, alerts U1 (48h) and M1 (a week)."""
    acme = AccountSnapshot(
        "acme", "MID_MARKET", date(2026, 11, 1), acv=48_000, contract_start=date(2026, 1, 1),
        contract_end=date(2026, 12, 31), seats_purchased=50, seats_active=23,
        signals={"nps": 7, "sentiment": 45, "business_context": 50, "logins_week": 90, "logins_prev_week": 160})
    return postsale.review_account(acme)


def late_review(account_id: str = "initech", csm: str = "aiko") -> AccountReview:
    """An enterprise account whose renewal conversation starts late: RED health, overdue milestones."""
    snap = AccountSnapshot(
        account_id, "ENTERPRISE", date(2026, 11, 1), acv=250_000, contract_start=date(2026, 1, 1),
        contract_end=date(2027, 1, 31), seats_purchased=50, seats_active=10, labels={"csm": csm},
        signals={"nps": 2, "sentiment": 20, "business_context": 30, "logins_week": 20, "logins_prev_week": 160})
    return postsale.review_account(AccountInput(snap, completed_milestones={}))


def every_kind_journey(account_id: str = "acme", track: str = "marketing") -> Journey:
    """Two tracks with one move of every kind: entries, forwards, a skip, a regression, a cycle and an exit."""
    j = Journey.start(account_id, "MID_MARKET", on=date(2026, 1, 5))
    j = j.move("core", Stage.ADOPTION, on=date(2026, 2, 2), evidence=DONE)
    j = j.open_track(track, on=date(2026, 2, 10))
    j = j.move(track, Stage.EXPANSION, on=date(2026, 3, 1), reason="pilot went straight to expansion")
    j = j.move("core", Stage.ONBOARDING, on=date(2026, 4, 1), cause=Cause.CHAMPION_LEFT)
    j = j.move("core", Stage.ADOPTION, on=date(2026, 5, 1), evidence=DONE)
    j = j.move("core", Stage.ONBOARDING, on=date(2026, 6, 1), cause=Cause.MERGER)
    return j.close_track(track, on=date(2026, 7, 1), cause=Cause.CHURNED)


class Tags(HTMLParser):
    """Checks that container tags are balanced and collects the attributes of circles and table cells."""

    CHECKED = frozenset({"div", "section", "table", "tr", "td", "th", "details", "svg", "ul", "li", "span"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.circles: list[dict[str, str | None]] = []
        self.cells: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "circle":
            self.circles.append(dict(attrs))
        if tag == "td":
            self._cell = []
        if tag in self.CHECKED:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.cells.append("".join(self._cell))
            self._cell = None
        if tag in self.CHECKED:
            if not self.stack or self.stack[-1] != tag:
                self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            else:
                self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def parsed(text: str) -> Tags:
    parser = Tags()
    parser.feed(text)
    parser.close()
    return parser


def all_cards() -> dict[str, str]:
    review = acme_review()
    assert review.health is not None
    alerts = [*review.alerts, *late_review().alerts]
    return {"review": card(review) or "", "late": card(late_review()) or "", "health": card(review.health) or "",
            "journey": card(every_kind_journey()) or "", "alerts": card(alerts) or ""}


def test_a_review_card_shows_score_band_colour_countdown_and_the_alerts_sla_and_due_time() -> None:
    text = card(acme_review())
    assert text is not None
    assert ">51.8</text>" in text and ">YELLOW</text>" in text
    assert 'stroke="#F9A825"' in text  # the gauge's arc in the YELLOW band's colour
    assert "60 days to the renewal on 2026-12-31" in text
    assert "<b>Proposal</b>: deliver a streamlined renewal proposal, due 2026-11-01 (today)" in text
    assert ">no renewal activity recorded</span>" in text
    assert "Relationship <b>65</b> pts" in text and "Product usage <b>45</b> pts" in text
    assert "Low-touch" in text and "Total <b>18</b>" in text
    assert ">likely</span>" in text and "<li>health is yellow</li>" in text
    assert "2026-11-03 00:00 UTC" in text and "within 48 hours" in text and "<b>U1</b> Login decline" in text
    assert "2026-11-08 00:00 UTC" in text and "within a week" in text
    assert text.index("2026-11-03 00:00 UTC") < text.index("2026-11-08 00:00 UTC")
    assert "Renewal T-60: deliver a streamlined renewal proposal" in text  # the next touches
    assert len(text.encode()) < 15_000
    assert "<script" not in text.lower() and "http" not in text.lower()
    assert "§" not in text and "domain-spec" not in text


def test_the_renewal_state_is_in_words_with_overdue_milestones_and_a_red_gauge() -> None:
    text = card(late_review())
    assert text is not None
    assert ">late start</span>" in text
    assert "91 days to the renewal on 2027-01-31" in text
    assert "Overdue: Customer conversation, due 2026-10-03" in text
    assert 'stroke="#C62828"' in text  # RED health
    assert ">LATE_START<" not in text


def test_a_review_card_with_many_alerts_and_notes_stays_under_15_kb_and_says_how_many_more() -> None:
    review = late_review()
    alert = review.alerts[0]
    many = tuple(attrs.evolve(alert, rule_id=f"R{i}", due=alert.due + timedelta(hours=i)) for i in range(40))
    crowded = attrs.evolve(review, alerts=many, held_back=many[:10], notes=tuple("n" * 300 for _ in range(10)))
    text = card(crowded)
    assert text is not None
    assert len(text.encode()) < 15_000
    assert "… 34 more" in text and "… 6 more" in text
    assert "Alerts due (40)" in text and "Held back (10)" in text


def test_a_review_without_health_renewal_or_agenda_still_has_a_card() -> None:
    review = postsale.review_account(AccountSnapshot("bare", "SMB", date(2026, 11, 1)))
    text = card(review)
    assert text is not None
    assert "No health score." in text and "No renewal date is known." in text and "No forecast." in text
    assert "No alert is due." in text
    assert not parsed(text).errors


def test_a_health_score_card_draws_each_component_as_a_bar_with_points_and_contribution() -> None:
    score = acme_review().health
    assert score is not None
    text = card(score)
    assert text is not None
    for component in score.components:
        assert f"+{component.contribution:.1f} ({component.share:.0%} share)" in text
    assert "45 pts · +18.0 (40% share)" in text
    assert "65 pts · +19.5 (30% share)" in text
    bars = re.findall(r'<rect x="\d+" y="\d+" width="([\d.]+)" height="18" fill="(#[0-9A-Fa-f]{6})"/>', text)
    assert [w for w, fill in bars if fill != "#eef1f4"] == [f"{3 * (c.points or 0):.1f}" for c in score.components]
    assert {fill for _, fill in bars} == {"#eef1f4", "#F9A825"}  # the track, and every component is YELLOW


def test_a_health_score_overridden_by_a_csm_pulse_says_so_and_shows_the_components_left_out() -> None:
    model = attrs.evolve(DEFAULT_HEALTH_MODEL, pulse=PulsePolicy(mode=PulseMode.OVERRIDE))
    pulse = Pulse(30, author="aiko", reason="champion left", assessed_on=date(2026, 2, 1),
                  expires_on=date(2026, 4, 1))
    score = model.score(AccountSnapshot("acme", "SMB", date(2026, 3, 1), signals={"nps": 1, "sentiment": 90}),
                        pulse=pulse)
    text = card(score)
    assert text is not None
    assert ">30.0</text>" in text and ">RED</text>" in text and 'stroke="#C62828"' in text
    assert "The CSM&#x27;s assessment; computed from the data: 46.7 (YELLOW)." in text
    assert "CSM pulse 30 by aiko on 2026-02-01, override: champion left" in text
    assert "left out (missing)" in text  # product usage and business context had no data


def test_a_review_card_shows_the_touch_override_the_csms_call_and_the_last_day_for_notice() -> None:
    snap = AccountSnapshot("tiny", "PRODUCT_LED", date(2026, 11, 1), acv=1000, contract_start=date(2026, 1, 1),
                           contract_end=date(2026, 12, 31), signals={"nps": 8})
    contract = postsale.Contract("tiny", "PRODUCT_LED", start=date(2026, 1, 1), end=date(2026, 12, 31), acv=1000,
                                 auto_renew=True, notice_days=30)
    text = card(postsale.review_account(AccountInput(snap, contract=contract, csm_call="AT_RISK")))
    assert text is not None
    assert "Tech-touch" in text and "Override <b>Economics</b>: low-touch → tech-touch" in text
    assert "CSM's call: at risk, which differs from the computed call" in text
    assert "Last day to give notice: 2026-12-01" in text


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [(date(2026, 12, 31), "The renewal is today, 2026-12-31"),
     (date(2027, 1, 10), "The renewal on 2026-12-31 was 10 days ago")],
)
def test_the_countdown_on_the_renewal_day_and_after_it(as_of: date, expected: str) -> None:
    snap = AccountSnapshot("acme", "SMB", as_of, acv=1200, contract_start=date(2026, 1, 1),
                           contract_end=date(2026, 12, 31), signals={"nps": 8})
    text = card(postsale.review_account(snap))
    assert text is not None
    assert expected in text


def test_a_journey_timeline_colours_each_move_by_its_kind() -> None:
    journey = every_kind_journey()
    text = card(journey)
    assert text is not None
    colors = [c["fill"] for c in parsed(text).circles]
    assert colors == [_KIND[e.kind] for t in ("core", "marketing") for e in journey.history if e.track == t]
    assert len(set(_KIND.values())) == len(TransitionKind) == 6
    assert _KIND[TransitionKind.REGRESSION] == "#C62828" and _KIND[TransitionKind.FORWARD] == "#2E7D32"
    for kind in TransitionKind:
        assert f'background:{_KIND[kind]}"></span>{kind.name.lower()}</span>' in text  # the legend
    assert ">Expansion</text>" in text  # the stage a skip entered is written by its dot
    assert "<title>2026-04-01 [core] Adoption -&gt; Onboarding: REGRESSION because CHAMPION_LEFT</title>" in text


def test_a_list_of_alerts_is_a_table_sorted_by_due_time_in_utc() -> None:
    alerts = [*acme_review().alerts, *late_review().alerts]
    plus_two = timezone(timedelta(hours=2))
    early = attrs.evolve(alerts[0], rule_id="Z9", due=datetime(2026, 10, 31, 1, 30, tzinfo=plus_two))
    shuffled = [*reversed(alerts), early]
    text = card(tuple(shuffled))
    assert text is not None
    dues = [cell for cell in parsed(text).cells if re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", cell)]
    assert dues == sorted(dues)
    assert len(dues) == len(shuffled)
    assert dues[0] == "2026-10-30 23:30 UTC"  # 01:30 at UTC+2, shown in UTC
    assert text.startswith('<table class="ps-card"><caption>6 × Alert</caption>')


def test_every_card_parses_with_balanced_tags() -> None:
    for name, text in all_cards().items():
        tags = parsed(text)
        assert tags.errors == [], name
        assert tags.stack == [], name
        assert text.count("<div") == text.count("</div>"), name
        assert text.count("<section") == text.count("</section>"), name
        assert "<script" not in text.lower(), name
        assert "http" not in text.lower(), name


def test_text_from_user_input_is_escaped() -> None:
    evil = '<b>&"x'
    escaped = "&lt;b&gt;&amp;&quot;x"
    review = late_review(evil, csm="<i>aiko</i>")
    journey = every_kind_journey(evil, track="<script>t</script>")
    assert review.health is not None
    for text in (card(review), card(review.health), card(journey), card(list(review.alerts))):
        assert text is not None
        assert evil not in text and "<i>" not in text and "<script" not in text
        assert escaped in text
        assert not parsed(text).errors
    assert "CSM &lt;i&gt;aiko&lt;/i&gt;" in (card(review) or "")
    assert "&lt;script&gt;t&lt;/script&gt;" in (card(journey) or "")


@pytest.mark.parametrize(
    "value",
    [AccountSnapshot("a", "SMB", date(2026, 1, 31)), [], (), [1, 2], "text", None, 3.5, {"a": 1}],
    ids=["snapshot", "empty-list", "empty-tuple", "ints", "str", "none", "float", "dict"],
)
def test_there_is_no_card_for_other_values(value: Any) -> None:
    assert card(value) is None


def test_a_list_mixing_alerts_and_other_values_has_no_card() -> None:
    assert card([*acme_review().alerts, 1]) is None


def test_cards_are_the_same_for_the_same_value() -> None:
    assert all_cards() == all_cards()


def test_render_shows_the_card_at_the_top_level_and_the_table_when_nested() -> None:
    review = acme_review()
    assert display.render(review) == card(review)
    assert display.render(list(review.alerts)) == card(list(review.alerts))
    assert display.render(review, depth=1).startswith('<table class="postsale"')
    snap = AccountSnapshot("a", "SMB", date(2026, 1, 31))
    assert display.render(snap).startswith('<table class="postsale"')


def test_a_card_keeps_the_class_caption_the_explanation_and_the_attribute_names() -> None:
    review = acme_review()
    text = card(review)
    assert text is not None
    assert text.startswith('<table class="ps-card"><caption>AccountReview</caption>')
    for field in attrs.fields(AccountReview):
        assert f"<th>{field.name}</th>" in text
    assert "<summary>In words</summary>" in text and "<li>acme (MID_MARKET, ACV 48,000) on 2026-11-01:</li>" in text


@pytest.mark.skipif(not CHROMIUM.exists(), reason="chromium is not installed (apt-get install -y chromium)")
def test_a_review_card_renders_in_a_browser(tmp_path: Path) -> None:
    page = tmp_path / "review-card.html"
    page.write_text(f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>card</title></head>'
                    f"<body>{card(late_review())}{card(acme_review())}</body></html>", encoding="utf-8")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "review-card.png"
    shot.unlink(missing_ok=True)
    subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--screenshot={shot}", "--window-size=900,1200", page.as_uri()],
                   capture_output=True, timeout=120, check=True)
    assert shot.stat().st_size > 20_000


def test_a_portfolio_review_shows_its_summary_with_small_charts() -> None:
    from postsale.adapters._portfolio_card import portfolio_card
    from postsale.adapters.display import render
    from postsale.adapters.sample import sample_portfolio
    from postsale.review import review_portfolio

    sample = sample_portfolio(120, seed=3, as_of=date(2026, 11, 1))
    review = review_portfolio(sample.snapshots(), ledger=sample.ledger)
    page = portfolio_card(review)
    assert render(review) == page
    summary = review.summary
    assert f">{summary.accounts:,}<" in page and f"{summary.alerts_total:,} in all" in page
    for band, n in summary.health_distribution.items():
        assert f">{band}<" in page and f">{n:,}<" in page
    assert summary.retention is not None and f"GRR <b>{float(summary.retention.grr) * 100:.1f} %</b>" in page
    assert "Touch-model tiers" in page and "Renewals by month" in page
    assert "<script" not in page and "http" not in page and len(page.encode()) < 20_000
