"""The nightly job behind ``postsale run``: real files in, state that lasts in an embedded database, a report.

One night reads the accounts (CSV, Parquet, NDJSON, JSON, a folder of Parquet files or stdin) and, optionally, the
renewal activity by account and the journey events; steps every account against the state kept in a DuckDB file
(:func:`postsale.adapters.frame.step_frame`: alerts fire on entry, open alerts, cooldowns and budgets hold the rest
back); and writes the day's alerts, reviews, agenda, rejected rows, summary and a self-contained HTML report. The
night is written in one transaction: killed at any moment, the state holds the previous night; run again with the
same inputs, nothing changes. Needs the ``nightly`` extra (``pip install 'postsale[nightly]'``); the guide is
``docs/cli.md``.
"""

from __future__ import annotations

from postsale.adapters.nightly._config import NightlyConfig, config_problems, default_config_text, load_config
from postsale.adapters.nightly._demo import write_sample_night
from postsale.adapters.nightly._html import ReportData, render_report
from postsale.adapters.nightly._read import ERRORS_SCHEMA, FORMATS, Table, read_table
from postsale.adapters.nightly._report import report_data, report_html
from postsale.adapters.nightly._run import COUNTS, Night, run_night
from postsale.adapters.nightly._schema import INPUTS, input_schema
from postsale.adapters.nightly._state import SCHEMA_VERSION, StateDatabase
from postsale.adapters.nightly._write import OUT_FORMATS, summary_of, writer

__all__ = [
    "COUNTS",
    "ERRORS_SCHEMA",
    "FORMATS",
    "INPUTS",
    "OUT_FORMATS",
    "SCHEMA_VERSION",
    "Night",
    "NightlyConfig",
    "ReportData",
    "StateDatabase",
    "Table",
    "config_problems",
    "default_config_text",
    "input_schema",
    "load_config",
    "read_table",
    "render_report",
    "report_data",
    "report_html",
    "run_night",
    "summary_of",
    "write_sample_night",
    "writer",
]
