"""Writing a night's outputs: tables as CSV / Parquet / NDJSON / JSON, the summary as JSON, the HTML report.

Every file is first written beside its final name (``.<name>.partial``) and renamed into place after the state is
committed, so a reader never meets half a file and a failed night leaves the previous outputs as they were.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from postsale._columnar import require
from postsale._errors import InvalidValueError, StorageError
from postsale.adapters.nightly._run import OUTPUTS, Night

__all__ = ["OUT_FORMATS", "check_out", "summary_of", "writer"]

OUT_FORMATS: Final = ("csv", "parquet", "ndjson", "json")
_FORMULA: Final = r"^[=+\-@\t\r]"
_NUMBER: Final = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"


def check_out(out: Path) -> None:
    """Make sure ``out`` is a folder the night can write, before anything runs."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".postsale-write-check"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise StorageError(f"cannot be written: {error.strerror or error}", field="--out", value=str(out),
                           hint="choose a folder you can write to") from None


def _safe_for_spreadsheets(pl: Any, frame: Any) -> Any:
    """Text a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return and is not a number) gets a leading ``'`` (OWASP's advice for CSV)."""
    texts = [name for name, dtype in frame.collect_schema().items() if dtype == pl.String]
    risky = [pl.when(pl.col(c).str.contains(_FORMULA) & ~pl.col(c).str.contains(_NUMBER))
             .then(pl.lit("'") + pl.col(c)).otherwise(pl.col(c)).alias(c) for c in texts]
    return frame.with_columns(risky) if risky else frame


def _write_table(pl: Any, frame: Any, path: Path, fmt: str) -> None:
    if isinstance(frame, pl.LazyFrame):  # streamed to the file a slice at a time (the open alerts can be millions)
        if fmt == "csv":
            _safe_for_spreadsheets(pl, frame).sink_csv(path)
        elif fmt in ("parquet", "ndjson"):
            (frame.sink_parquet if fmt == "parquet" else frame.sink_ndjson)(path)
        else:
            frame.collect().write_json(path)  # one JSON array: no streaming writer exists for it
    elif fmt == "parquet":
        frame.write_parquet(path)
    elif fmt == "csv":
        _safe_for_spreadsheets(pl, frame).write_csv(path)
    elif fmt == "ndjson":
        frame.write_ndjson(path)
    else:
        frame.write_json(path)


def summary_of(night: Night) -> dict[str, Any]:
    """The night's summary as plain data (what ``summary.json`` holds and the command prints)."""
    pl = require("polars", "nightly")
    reviews = night.frames["reviews"]

    def counted(column: str) -> dict[str, int]:
        if column not in reviews.columns:
            return {}
        found = reviews.group_by(column).len().sort(column, nulls_last=True)
        return {str(k) if k is not None else "unknown": int(n) for k, n in found.iter_rows()}

    return {
        "as_of": night.as_of.isoformat(), "previous": night.previous.isoformat() if night.previous else None,
        "replaced": night.replaced, "counts": dict(night.counts), "bands": counted("band"),
        "touch": counted("touch_model"), "forecast": counted("forecast"),
        "errors_by_source": {str(k): int(n) for k, n in
                             night.frames["errors"].group_by("source").len().sort("source").iter_rows()},
        "not_evaluated": list(night.not_evaluated),
        "retention": _retention(night.retention),
        "arr": float(reviews.select(pl.col("acv").sum()).item() or 0) if "acv" in reviews.columns else None,
    }


def _retention(report: Any) -> dict[str, Any] | None:
    """GRR, NRR and logo retention as percentages with one decimal (null where the cohort is empty)."""
    if report is None:
        return None

    def percent(value: Any) -> str | None:
        return None if value is None else f"{float(value) * 100:.1f} %"

    return {"period_start": report.period_start.isoformat(), "period_end": report.period_end.isoformat(),
            "grr": percent(report.grr), "nrr": percent(report.nrr), "logo_retention": percent(report.logo_retention),
            "accounts_at_start": report.accounts_at_start, "start_revenue": str(report.start_revenue)}


def writer(out: Path, formats: tuple[str, ...], report: Callable[[Night], str] | None = None
           ) -> Callable[[Night], Callable[[], None]]:
    """What writes a night's outputs to ``out`` (temporary names) and returns what puts them in place; ``out`` is
    created and checked at once, so a folder that cannot be written stops the night before it runs."""
    for fmt in formats:
        if fmt not in OUT_FORMATS:
            raise InvalidValueError("is not an output format", field="--format-out", value=fmt,
                                    constraint=f"any of {', '.join(OUT_FORMATS)}", hint="e.g. csv,parquet")
    check_out(out)

    def write(night: Night) -> Callable[[], None]:
        pl = require("polars", "nightly")
        written: list[tuple[Path, Path]] = []

        def target(name: str) -> Path:
            final = out / name
            partial = out / f".{name}.partial"
            written.append((partial, final))
            return partial

        try:
            for name in OUTPUTS:
                for fmt in formats:
                    _write_table(pl, night.frames[name], target(f"{name}.{fmt}"), fmt)
            target("summary.json").write_text(json.dumps(summary_of(night), indent=2) + "\n", encoding="utf-8")
            if report is not None:
                target("report.html").write_text(report(night), encoding="utf-8")
        except OSError as error:
            for partial, _ in written:
                partial.unlink(missing_ok=True)
            raise StorageError(f"cannot be written: {error.strerror or error}", field="--out", value=str(out),
                               hint="check the disk has room and the folder is writable; nothing was changed") \
                from None

        def place() -> None:
            for partial, final in written:
                os.replace(partial, final)

        return place

    return write

