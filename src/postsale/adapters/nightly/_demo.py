"""The embedded sample as the nightly job's input files: each night's accounts, contracts and journey events, as
an export from a CRM and a product-analytics tool would give them."""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path
from typing import Any

from postsale._columnar import require
from postsale._errors import InvalidValueError
from postsale.adapters.sample import SamplePortfolio, _sample_date, sample_portfolio
from postsale.renewal import INTENT, MILESTONE

__all__ = ["sample_ledger", "sample_night_files", "write_sample_night"]


def sample_ledger(portfolio: SamplePortfolio) -> Any:
    """The portfolio's revenue movements as the ``--ledger`` table (Polars).

    Examples:
        >>> from postsale.adapters.sample import sample_portfolio
        >>> sample_ledger(sample_portfolio(5, seed=3)).columns
        ['account_id', 'on', 'kind', 'amount', 'motion']
    """
    pl = require("polars", "nightly")
    schema = {"account_id": pl.String, "on": pl.Date, "kind": pl.String, "amount": pl.String, "motion": pl.String}
    return pl.DataFrame([{"account_id": m.account_id, "on": m.on, "kind": m.kind.name, "amount": str(m.amount),
                          "motion": m.motion.name} for m in portfolio.ledger.movements], schema=schema)


def write_sample_night(portfolio: SamplePortfolio, day: date, folder: Path, *, events: Any = None,
                       ledger: Any = None, fmt: str = "csv") -> dict[str, Path]:
    """Write the sample portfolio's files for ``day`` into ``folder``: ``accounts.csv`` (one row per active account:
    the snapshot of that day and its CSM), ``contracts.csv`` (the renewal milestones completed by that day and the
    stated intent), ``events.csv`` (the journey events up to that day; ``events``: the portfolio's event table,
    when the caller already has it) and ``ledger.csv`` (the revenue movements up to that day; ``ledger``: the
    portfolio's movements as a frame, when the caller already has it). Returns the paths by input name.
    ``fmt="parquet"`` writes Parquet files instead (typed: what a data warehouse export gives).

    Examples:
        >>> import tempfile
        >>> from postsale.adapters.sample import sample_portfolio
        >>> folder = Path(tempfile.mkdtemp())
        >>> paths = write_sample_night(sample_portfolio(20, seed=3), date(2026, 10, 30), folder)
        >>> sorted(paths), paths["accounts"].read_text().splitlines()[0][:30]
        (['accounts', 'contracts', 'events', 'ledger'], 'account_id,segment,acv,seats_p')
    """
    pl = require("polars", "nightly")
    from postsale.adapters.frame import journey_events

    folder.mkdir(parents=True, exist_ok=True)
    accounts, contracts = [], []
    _sample_date("day", day)
    for account in portfolio.active:
        active, signals = account._signals(day)  # the snapshot's values, without building 3 000 snapshots a night
        accounts.append({
            "account_id": account.account_id, "segment": account.segment.name, "acv": float(account.contract.acv),
            "seats_purchased": account.seats, "seats_active": active, "contract_start": account.contract.start,
            "contract_end": account.contract.end, "time_zone": "UTC", "csm": account.csm, **signals,
        })
        done = {f"{MILESTONE}{name}": on for name, on in account.completed_milestones.items() if on <= day}
        contracts.append({"account_id": account.account_id, INTENT: account.intent.name, **done})
    names = sorted({key for row in contracts for key in row if key.startswith(MILESTONE)})
    contract_schema = {"account_id": pl.String, INTENT: pl.String, **dict.fromkeys(names, pl.Date)}
    if events is None:
        events = journey_events(a.journey for a in portfolio.active)
    events = events.filter(pl.col("at") <= day)
    if fmt not in ("csv", "parquet"):
        raise InvalidValueError("is not a format the sample is written in", field="fmt", value=fmt,
                                constraint="csv or parquet", hint='fmt="parquet"')
    paths = {name: folder / f"{name}.{fmt}" for name in ("accounts", "contracts", "events", "ledger")}
    if ledger is None:
        ledger = sample_ledger(portfolio)
    tables = {"accounts": pl.DataFrame(accounts, infer_schema_length=None),
              "contracts": pl.DataFrame(contracts, schema=contract_schema),
              "events": events.select(*(c for c in events.columns if not c.startswith("label"))),
              "ledger": ledger.filter(pl.col("on") <= day)}
    for name, table in tables.items():
        (table.write_parquet if fmt == "parquet" else table.write_csv)(paths[name])
    return paths


@functools.lru_cache(maxsize=1)
def _sample_inputs(accounts: int, seed: int, as_of: date) -> tuple[SamplePortfolio, Any, Any]:
    from postsale.adapters.frame import journey_events

    portfolio = sample_portfolio(accounts, seed=seed, as_of=as_of)
    return portfolio, journey_events(a.journey for a in portfolio.active), sample_ledger(portfolio)


def sample_night_files(accounts: int, seed: int, as_of: date, day: date, folder: Path) -> dict[str, Path]:
    """The Parquet files of night ``day`` of the sample portfolio (``accounts``, ``seed``, ``as_of``) written into
    ``folder``: what ``postsale demo``'s helper process draws while the nights before it run (the portfolio is
    drawn once per process).

    Examples:
        >>> import tempfile
        >>> paths = sample_night_files(20, 3, date(2026, 11, 30), date(2026, 11, 29), Path(tempfile.mkdtemp()))
        >>> sorted(p.name for p in paths.values())
        ['accounts.parquet', 'contracts.parquet', 'events.parquet', 'ledger.parquet']
    """
    portfolio, events, ledger = _sample_inputs(accounts, seed, as_of)
    return write_sample_night(portfolio, day, folder, events=events, ledger=ledger, fmt="parquet")
