"""The night's HTML report: the night's frames summed up into :class:`ReportData` and rendered."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any, Final

import attrs

from postsale._columnar import require
from postsale.adapters.nightly._html import ReportData, render_report
from postsale.adapters.nightly._run import Night

__all__ = ["report_data", "report_html"]

QUEUE_ROWS: Final = 1000
"""The most alerts the report lists (the most urgent first); the alerts file has them all."""
AT_RISK_ROWS: Final = 200


def _counted(pl: Any, frame: Any, column: str, *, split: bool = False) -> dict[str, int]:
    if frame is None or column not in frame.columns:
        return {}
    values = frame.select(pl.col(column))
    if split:
        values = values.select(pl.col(column).str.split(",")).explode(column)
    values = values.drop_nulls()
    return {str(k): int(n) for k, n in values.group_by(column).len().sort(column).iter_rows()}


def _reasons(pl: Any, columns: Any) -> Any:
    """Why a renewal is at risk, in words a CS lead reads: the forecast rule that decided it, the health, the
    renewal's state."""
    health = pl.format("health {} ({})", pl.col("band").fill_null("unknown"),
                       pl.col("health").round(1).cast(pl.String).fill_null("not scored"))
    state = pl.format("renewal {}", pl.col("renewal_state").fill_null("unknown").str.to_lowercase()
                      .str.replace_all("_", " "))
    why = [pl.col("forecast_reason")] if "forecast_reason" in columns else []
    return pl.concat_str([*why, health, state], separator="; ", ignore_nulls=True)


def report_data(night: Night) -> ReportData:
    """The report's numbers for one night."""
    pl = require("polars", "nightly")
    reviews = night.frames["reviews"]
    before = night.before.get("health")
    day = night.as_of
    acv = pl.col("acv").fill_null(0.0) if "acv" in reviews.columns else pl.lit(0.0)
    narrow = reviews.select("account_id", "days_to_renewal", "forecast", "band", "health", "renewal_state",
                            *(["forecast_reason"] if "forecast_reason" in reviews.columns else []),
                            acv.alias("__acv"))  # the few columns read: filtering the whole review would copy it
    dated = narrow.filter(pl.col("days_to_renewal").is_not_null() & (pl.col("days_to_renewal") >= 0)).with_columns(
        (pl.lit(day) + pl.duration(days=pl.col("days_to_renewal").cast(pl.Int64))).dt.strftime("%Y-%m")
        .alias("month"))
    horizon = (day + timedelta(days=366)).strftime("%Y-%m")
    renewals = (dated.filter(pl.col("month") <= horizon).group_by("month", "forecast")
                .agg(pl.len().alias("n"), pl.col("__acv").sum().alias("arr")).sort("month", "forecast"))
    at_risk = (dated.filter(pl.col("forecast") == "AT_RISK").sort("days_to_renewal", "account_id")
               .head(AT_RISK_ROWS).select("account_id", pl.col("days_to_renewal").cast(pl.Int64), "__acv", "band",
                                          "forecast", _reasons(pl, narrow.columns).alias("reasons")))
    alerts = night.frames["alerts"]
    queue = (alerts.lazy().filter(pl.col("status") != "CLOSED").sort("due", "account_id", "rule_id")
             .head(QUEUE_ROWS)  # lazy: the most urgent found without sorting a copy of every alert
             .select(pl.col("owner").fill_null("unassigned"), "account_id", "rule_id", "rule_name", "priority",
                     "due", "reason" if "reason" in alerts.collect_schema() else pl.lit(None, pl.String))
             .collect(engine="streaming"))
    errors = night.frames["errors"]
    return ReportData(
        title=f"postsale run — {day.isoformat()}", as_of=day, previous_as_of=night.previous,
        counts=dict(night.counts), bands=_counted(pl, reviews, "band"),
        bands_before=_counted(pl, before, "band") if before is not None else None,
        stages=_counted(pl, reviews, "stage", split=True),
        stages_before=_counted(pl, before, "stage", split=True) if before is not None else None,
        touch=_counted(pl, reviews, "touch_model"),
        renewals=[(m, f or "unknown", int(n), float(a)) for m, f, n, a in renewals.iter_rows()],
        at_risk=[(a, int(d), float(v), b or "unknown", f, r) for a, d, v, b, f, r in at_risk.iter_rows()],
        queue=list(queue.iter_rows()),
        errors=list(errors.head(200).iter_rows()), errors_total=errors.height, kpis=_kpis(night),
    )


def _health_trend(night: Night) -> tuple[str, str] | None:
    """The portfolio's mean health by night, drawn by :func:`postsale.adapters.plot.health_trend` as inline SVG
    (none without matplotlib, or before a second night)."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # no display: render to a file-like buffer
        from matplotlib import pyplot as plt
    except ImportError:
        return None
    pl = require("polars", "nightly")
    from postsale.adapters.plot import health_trend

    reviews = night.frames["reviews"]
    tonight = reviews.select(pl.col("health").mean()).item() if "health" in reviews.columns else None
    points = {d: float(h) for d, h in night.before["trend"].iter_rows()} if "trend" in night.before else {}
    if tonight is not None:
        points[night.as_of] = float(tonight)
    if len(points) < 2:
        return None
    figure = health_trend(points, title="Portfolio mean health by night")
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(figure)
    return "Portfolio health", buffer.getvalue()


def report_html(night: Night) -> str:
    """The self-contained HTML report of one night (with the health trend when matplotlib is installed)."""
    data = report_data(night)
    trend = _health_trend(night)
    return render_report(attrs.evolve(data, plots=(trend,)) if trend is not None else data)


def _kpis(night: Night) -> list[tuple[str, str]]:
    """The trailing year's revenue retention, when a ledger was given."""
    report = night.retention
    if report is None:
        return []
    found = [("GRR", report.grr), ("NRR", report.nrr), ("logo retention", report.logo_retention)]
    period = f" ({report.period_start.isoformat()} to {report.period_end.isoformat()})"
    return [(label + period if i == 0 else label, f"{float(v) * 100:.1f} %" if v is not None else "n/a")
            for i, (label, v) in enumerate(found)]

