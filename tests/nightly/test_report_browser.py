"""The night's HTML report opened in headless Chromium: its sections and numbers are what the night computed.

The screenshot is kept in ``build/test-artifacts/nightly-report.png`` (Debian's ``chromium`` package; ``.ci/run``
installs it).
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

pl = pytest.importorskip("polars")
pytest.importorskip("duckdb")

from postsale.adapters.nightly import read_table, run_night, write_sample_night, writer  # noqa: E402
from postsale.adapters.nightly._report import report_html  # noqa: E402
from postsale.adapters.sample import sample_portfolio  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[2] / "build" / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)")
def test_the_report_opens_in_a_browser_with_every_section_and_the_nights_numbers(tmp_path: Path) -> None:
    portfolio = sample_portfolio(120, seed=5, as_of=date(2026, 11, 21))
    out = tmp_path / "out"
    night = None
    for k in range(2):
        day = date(2026, 11, 20) + timedelta(days=k)
        files = write_sample_night(portfolio, day, tmp_path / str(k))
        night = run_night(as_of=day, accounts=read_table(files["accounts"], field="accounts"),
                          contracts=read_table(files["contracts"], field="--contracts"),
                          events=read_table(files["events"], field="--events"),
                          ledger=read_table(files["ledger"], field="--ledger"), state=tmp_path / "s.duckdb",
                          write=writer(out, ("csv",), report_html))
    assert night is not None
    page = (out / "report.html").resolve()
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
    dom = subprocess.run([*command, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120,
                         check=True).stdout
    for section in ("summary", "health", "stages", "touch", "renewals", "at-risk", "queue", "errors", "plots"):
        assert f'id="{section}"' in dom, section
    assert f"{night.counts['read']:,}" in dom and "since the last run on 2026-11-20" in dom
    assert night.retention is not None and f"{float(night.retention.nrr) * 100:.1f} %" in dom
    assert "Portfolio mean health by night" in dom
    for band, accounts in night.frames["reviews"].group_by("band").len().iter_rows():
        assert f">{band}<" in dom or band is None
        assert f">{accounts:,}<" in dom
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "nightly-report.png"
    shot.unlink(missing_ok=True)
    subprocess.run([*command, f"--screenshot={shot}", "--window-size=1280,4000", page.as_uri()],
                   capture_output=True, timeout=120, check=True)
    assert shot.stat().st_size > 10_000
