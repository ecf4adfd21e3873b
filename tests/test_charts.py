"""Interactive charts: the same figure from every kind of frame, a static twin, refusals, and a page in a browser."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from postsale import InvalidTypeError, InvalidValueError

pl = pytest.importorskip("polars")
pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")
pytest.importorskip("plotly")

from postsale.adapters import charts  # noqa: E402
from postsale.adapters.frame import journey_events, review_frame  # noqa: E402
from postsale.adapters.sample import sample_portfolio  # noqa: E402

DAY = date(2026, 11, 1)
ARTIFACTS = Path(__file__).resolve().parents[1] / "build" / "test-artifacts"


@pytest.fixture(scope="module")
def portfolio() -> dict[str, Any]:
    sample = sample_portfolio(300, seed=4, as_of=DAY)
    rows = [{"account_id": s.account_id, "segment": s.segment.name, "acv": float(s.acv),
             "seats_purchased": s.seats_purchased, "seats_active": s.seats_active, "contract_start": s.contract_start,
             "contract_end": s.contract_end, **dict(s.signals)} for s in sample.snapshots()]
    frame = pl.DataFrame(rows, infer_schema_length=None)
    reviews = review_frame(frame, as_of=DAY).results.join(frame.select("account_id", "acv"), on="account_id")
    history = pl.concat([reviews.select("account_id", "segment", "health").with_columns(pl.lit(d).alias("as_of"))
                         for d in (date(2026, 10, 30), date(2026, 10, 31), DAY)])
    events = journey_events(a.journey for a in sample.active)
    alerts = pl.DataFrame({"rule_id": ["H4", "U1", "H4", "M1"], "held_back": [None, None, "BUDGET", None],
                           "as_of": [date(2026, 10, 26), date(2026, 10, 27), date(2026, 10, 28), date(2026, 11, 3)]})
    return {"reviews": reviews, "history": history, "events": events, "alerts": alerts}


CALLS = [
    ("health_distribution", "reviews", {}),
    ("health_distribution", "reviews", {"by": "segment"}),
    ("renewal_runway", "reviews", {"as_of": DAY, "months": 6}),
    ("health_trend", "history", {"by": "segment"}),
    ("journey_flow", "events", {}),
    ("alert_volume", "alerts", {}),
]


def _data(figure: Any) -> list[Any]:
    return [trace.to_plotly_json() for trace in figure.data]


@pytest.mark.parametrize(("name", "frame", "options"), CALLS, ids=[f"{c[0]}-{i}" for i, c in enumerate(CALLS)])
def test_every_kind_of_frame_draws_the_same_chart(portfolio: dict[str, Any], name: str, frame: str,
                                                  options: dict[str, Any]) -> None:
    draw = getattr(charts, name)
    polars = draw(portfolio[frame], **options)
    assert polars.data, name
    for other in (portfolio[frame].lazy(), portfolio[frame].to_pandas(), portfolio[frame].to_arrow()):
        assert _data(draw(other, **options)) == _data(polars)


def test_the_charts_count_what_the_frames_hold(portfolio: dict[str, Any]) -> None:
    reviews = portfolio["reviews"]
    bands = dict(reviews.group_by("band").len().drop_nulls().iter_rows())
    figure = charts.health_distribution(reviews)
    assert {t.name: t.y[0] for t in figure.data} == bands
    stages = charts.stage_distribution(pl.DataFrame({"stage": ["ADOPTION,RENEWAL", "ADOPTION", None]}))
    assert dict(zip(stages.data[0].x, stages.data[0].y, strict=True)) == {"ADOPTION": 2, "RENEWAL": 1}
    flow = charts.journey_flow(portfolio["events"]).data[0]
    assert sum(flow.link.value) == portfolio["events"].height
    kinds = set(flow.link.label)
    assert kinds <= set(charts.KIND_COLORS) and "FORWARD" in kinds
    weekly = charts.alert_volume(portfolio["alerts"])
    assert {t.name: list(t.y) for t in weekly.data} == {"H4": [1, 0], "M1": [0, 1], "U1": [1, 0]}
    runway = charts.renewal_runway(reviews, as_of=DAY, months=12)
    due = reviews.filter((pl.col("days_to_renewal") >= 0) & pl.col("forecast").is_not_null())
    in_year = due.filter((pl.lit(DAY) + pl.duration(days=pl.col("days_to_renewal").cast(pl.Int64))).dt.strftime(
        "%Y-%m") <= "2027-10")
    assert round(sum(sum(t.y) for t in runway.data), 2) == round(in_year["acv"].sum(), 2)


@pytest.mark.parametrize(("name", "frame", "options"), CALLS, ids=[f"{c[0]}-{i}" for i, c in enumerate(CALLS)])
def test_each_chart_has_a_static_twin(portfolio: dict[str, Any], name: str, frame: str,
                                      options: dict[str, Any]) -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    figure = getattr(charts, name)(portfolio[frame], static=True, **options)
    assert isinstance(figure, Figure) and figure.axes


def test_what_is_not_a_frame_or_lacks_a_column_is_refused(portfolio: dict[str, Any]) -> None:
    with pytest.raises(InvalidTypeError):
        charts.health_distribution([1, 2, 3])
    with pytest.raises(InvalidValueError, match="band"):
        charts.health_distribution(pl.DataFrame({"x": [1]}))
    with pytest.raises(InvalidValueError):
        charts.renewal_runway(portfolio["reviews"], as_of=DAY, months=0)
    with pytest.raises(InvalidTypeError):
        charts.renewal_runway(portfolio["reviews"], as_of="today")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        charts.health_trend(portfolio["history"], by=3)  # type: ignore[arg-type]


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed (apt-get install -y chromium)")
def test_a_chart_page_renders_in_a_browser_without_network(portfolio: dict[str, Any], tmp_path: Path) -> None:
    figure = charts.renewal_runway(portfolio["reviews"], as_of=DAY)
    page = tmp_path / "runway.html"
    figure.write_html(page, include_plotlyjs=True, full_html=True)
    assert "https://cdn" not in page.read_text(encoding="utf-8")[:5000]
    command = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000"]
    dom = subprocess.run([*command, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120,
                         check=True).stdout
    assert "main-svg" in dom and "ARR renewing by month" in dom
    assert all(f">{trace.name}<" in dom for trace in figure.data)  # the legend, drawn by plotly.js offline
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "renewal-runway.png"
    subprocess.run([*command, f"--screenshot={shot}", "--window-size=1000,600", page.as_uri()], capture_output=True,
                   timeout=120, check=True)
    assert shot.stat().st_size > 5_000
