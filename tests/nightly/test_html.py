"""The nightly HTML report: one self-contained page, sections in order, numbers as in the data, every text
escaped, long error lists summarised, a first night without comparisons, the same page for the same data."""

from __future__ import annotations

import pickle
import re
from datetime import UTC, date, datetime, timedelta, timezone
from html.parser import HTMLParser

import attrs
import pytest

from postsale.adapters.nightly._html import ReportData, render_report

SECTIONS = ["summary", "health", "stages", "touch", "renewals", "at-risk", "queue", "errors"]
NASTY = '<b>&"x'


def _data() -> ReportData:
    return ReportData(
        title="postsale run — 2026-11-30",
        as_of=date(2026, 11, 30),
        previous_as_of=date(2026, 11, 29),
        counts={"read": 1234, "processed": 1200, "rejected": 34, "alerts_new": 7, "alerts_open": 19,
                "alerts_closed": 4, "held_back": 2},
        bands={"GREEN": 800, "YELLOW": 300, "RED": 100},
        bands_before={"GREEN": 797, "YELLOW": 302, "RED": 100, "GREY": 5},
        stages={"ONBOARDING": 40, "ADOPTION": 500},
        stages_before={"ONBOARDING": 45, "ADOPTION": 480},
        touch={"high": 120, "low": 480, "tech": 600},
        renewals=[("2026-12", "COMMIT", 12, 1234567.0), ("2026-12", "AT_RISK", 3, 250000.4),
                  ("2027-01", "LIKELY", 5, 99999.0)],
        at_risk=[("acme", 45, 120000.0, "RED", "AT_RISK", "health RED; champion left"),
                 (NASTY, 12, 80000.0, "YELLOW", "AT_RISK", "usage down 40%")],
        queue=[
            ("dana", "acme", "R7", "Champion left", "HIGH", datetime(2026, 12, 2, 9, 0, tzinfo=UTC), None),
            ("dana", "zeta", "R2", "Usage drop", "MEDIUM", datetime(2026, 12, 1, 16, 45, tzinfo=UTC), None),
            ("lee", "beta", "R3", "Renewal in 90 days", "LOW",
             datetime(2026, 12, 3, 10, 0, tzinfo=timezone(timedelta(hours=2))), "quiet period"),
        ],
        errors=[("accounts.csv", 17, "acme", "acv", "abc", "not a number"),
                ("events.ndjson", None, None, None, None, "not JSON")],
        errors_total=2,
    )


def _row(page: str, first_cell: str) -> list[str]:
    """The cells (as text) of the table row whose first cell ends with ``first_cell``."""
    for line in page.splitlines():
        cells = [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", line)]
        if cells and cells[0].endswith(first_cell):
            return cells
    raise AssertionError(f"no row for {first_cell!r}")


def _section(page: str, sid: str) -> str:
    """The markup of the section ``sid``."""
    return page.split(f'<section id="{sid}">', maxsplit=1)[1].split("</section>", maxsplit=1)[0]


class _Sections(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.depth = 0
        self.deepest = 0
        self.unbalanced = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self.ids.append(dict(attrs).get("id") or "")
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self.depth -= 1
            self.unbalanced |= self.depth < 0


@pytest.fixture(scope="module")
def page() -> str:
    return render_report(_data())


def test_the_page_is_an_html5_document_with_its_own_style(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    assert page.count("<style>") == 1
    assert "<title>postsale run — 2026-11-30</title>" in page


def test_the_page_is_self_contained(page: str) -> None:
    """Nothing is fetched and nothing runs: no URL, no script, no linked style sheet or image."""
    lowered = page.lower()
    for needle in ("http://", "https://", "<script", "<link", "<img", "@import", "url("):
        assert needle not in lowered


def test_the_page_parses_with_balanced_unnested_sections_in_order(page: str) -> None:
    parser = _Sections()
    parser.feed(page)
    parser.close()
    assert parser.ids == SECTIONS
    assert not parser.unbalanced
    assert parser.depth == 0
    assert parser.deepest == 1


def test_every_section_has_a_heading(page: str) -> None:
    for sid in SECTIONS:
        assert re.search(rf'<section id="{sid}">\n<h2>[^<]+</h2>', page)


def test_the_summary_shows_every_count_in_order_and_the_last_run(page: str) -> None:
    tiles = re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", page)
    assert tiles == [("rows read", "1,234"), ("accounts processed", "1,200"), ("rows rejected", "34"),
                     ("new alerts", "7"), ("open alerts", "19"), ("closed alerts", "4"), ("alerts held back", "2")]
    assert "since the last run on 2026-11-29" in page


def test_health_bands_show_accounts_and_signed_changes_since_the_last_run(page: str) -> None:
    assert _row(page, "GREEN") == ["GREEN", "800", "+3"]
    assert _row(page, "YELLOW") == ["YELLOW", "300", "−2"]
    assert _row(page, "RED") == ["RED", "100", "0"]
    assert _row(page, "GREY") == ["GREY", "0", "−5"]  # a band that emptied still shows
    health = _section(page, "health")
    assert "<svg" in health
    assert "#2E7D32" in health
    assert "#F9A825" in health
    assert "#C62828" in health


def test_stages_show_accounts_and_changes(page: str) -> None:
    assert _row(page, "ONBOARDING") == ["ONBOARDING", "40", "−5"]
    assert _row(page, "ADOPTION") == ["ADOPTION", "500", "+20"]


def test_no_stages_says_no_journey_events_were_given() -> None:
    page = render_report(attrs.evolve(_data(), stages={}, stages_before=None))
    stages = _section(page, "stages")
    assert "no journey events were given" in stages.lower()
    assert "<table" not in stages


def test_renewals_show_accounts_and_arr_by_month_and_category(page: str) -> None:
    renewals = _section(page, "renewals")
    assert "<svg" in renewals
    # month, COMMIT, LIKELY, AT_RISK (accounts, ARR each), total
    assert _row(renewals, "2026-12") == ["2026-12", "12", "$1,234,567", "–", "–", "3", "$250,000", "15",
                                         "$1,484,567"]
    assert _row(renewals, "2027-01") == ["2027-01", "–", "–", "5", "$99,999", "–", "–", "5", "$99,999"]
    assert _row(renewals, "total") == ["total", "12", "$1,234,567", "5", "$99,999", "3", "$250,000", "20",
                                       "$1,584,566"]


def test_at_risk_renewals_are_listed_soonest_first_with_reasons(page: str) -> None:
    at_risk = _section(page, "at-risk")
    assert at_risk.index("&lt;b&gt;") < at_risk.index("acme")
    assert _row(at_risk, "acme") == ["acme", "45", "$120,000", "RED", "AT_RISK", "health RED; champion left"]


def test_the_queue_is_grouped_by_owner_and_ordered_by_due_time_in_utc(page: str) -> None:
    queue = _section(page, "queue")
    owners = re.findall(r"<h3>(\w+) ", queue)
    assert owners == ["dana", "lee"]
    dana = queue.split("<h3>dana")[1].split("<h3>")[0]
    assert dana.index("2026-12-01 16:45 UTC") < dana.index("2026-12-02 09:00 UTC")
    assert _row(queue, "2026-12-01 16:45 UTC") == ["2026-12-01 16:45 UTC", "MEDIUM", "zeta", "R2", "Usage drop", ""]
    assert _row(queue, "2026-12-03 08:00 UTC")[-1] == "held back: quiet period"


def test_rejected_rows_show_where_they_came_from(page: str) -> None:
    assert _row(page, "accounts.csv:17") == ["accounts.csv:17", "acme", "acv", "abc", "not a number"]
    assert _row(page, "events.ndjson")[-1] == "not JSON"


def test_no_rejected_rows_says_so() -> None:
    page = render_report(attrs.evolve(_data(), errors=[], errors_total=0))
    errors = _section(page, "errors")
    assert "no rows were rejected" in errors.lower()
    assert "<table" not in errors


def test_errors_beyond_200_are_counted_not_listed() -> None:
    errors = [("big.csv", line, f"a{line}", "acv", "x", "not a number") for line in range(2, 302)]
    page = render_report(attrs.evolve(_data(), errors=errors, errors_total=1234))
    section = _section(page, "errors")
    assert section.count("<tr><td>big.csv:") == 200
    assert "big.csv:201<" in section
    assert "big.csv:202<" not in section
    assert "1,234 rows were rejected" in section
    assert "1,034 more" in section


def test_every_text_from_the_data_is_escaped() -> None:
    data = attrs.evolve(
        _data(),
        title=NASTY,
        counts={NASTY: 1},
        bands={NASTY: 1},
        bands_before=None,
        touch={NASTY: 1},
        renewals=[(NASTY, NASTY, 1, 1.0)],
        queue=[(NASTY, NASTY, NASTY, NASTY, NASTY, datetime(2026, 12, 1, tzinfo=UTC), NASTY)],
        errors=[(NASTY, 1, NASTY, NASTY, NASTY, NASTY)],
        plots=[(NASTY, "<svg></svg>")],
    )
    page = render_report(data)
    assert NASTY not in page
    assert "<b>" not in page
    assert "&lt;b&gt;&amp;&quot;x" in page
    parser = _Sections()
    parser.feed(page)
    assert parser.ids == [*SECTIONS, "plots"]


def test_the_first_night_says_new_instead_of_a_change() -> None:
    first = attrs.evolve(_data(), previous_as_of=None, bands_before=None, stages_before=None)
    page = render_report(first)
    assert "since the last run" not in page
    assert "first run" in page
    assert _row(page, "GREEN") == ["GREEN", "800", "new"]
    assert _row(page, "ADOPTION") == ["ADOPTION", "500", "new"]
    assert "GREY" not in page
    for section in ("health", "stages"):
        body = _section(page, section)
        assert not re.search(r'<td class="num">[+−]\d', body)


def test_plots_are_embedded_only_when_given(page: str) -> None:
    assert 'id="plots"' not in page
    svg = '<svg width="10" height="10"><rect width="10" height="10"/></svg>'
    standalone = '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "svg11.dtd">\n' + svg
    with_plots = render_report(attrs.evolve(_data(), plots=[("Health trend", standalone), ("bad", "<script/>")]))
    plots = _section(with_plots, "plots")
    assert "<figcaption>Health trend</figcaption>\n" + svg in plots
    assert "<?xml" not in with_plots
    assert "<script" not in with_plots


def test_the_same_data_gives_the_same_page(page: str) -> None:
    again = pickle.loads(pickle.dumps(_data()))
    assert render_report(again) == page
    assert render_report(_data()) == page


def test_report_data_stores_plain_dicts_and_tuples() -> None:
    data = _data()
    assert type(data.counts) is dict
    assert type(data.bands_before) is dict
    assert type(data.renewals) is tuple
    assert type(data.queue) is tuple
    assert data.plots == ()
    assert pickle.loads(pickle.dumps(data)) == data
