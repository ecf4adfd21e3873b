"""The night's accounts, a batch at a time.

The accounts and contracts files are checked as wholes only where a row's fate depends on the others (a repeated
account id: the first row is reviewed), and that needs only narrow columns (the row, its line, its account).
Everything else (parsing each value, the rows without an id, joining each account's contract) is done a batch of
at most :data:`BATCH` accounts at a time, so files read lazily (:func:`~postsale.adapters.nightly._read.read_table`
with ``lazy=True``) are never held whole: each batch reads its own rows from them.
"""

from __future__ import annotations

from typing import Any, Final

import attrs

from postsale._errors import InvalidValueError, StorageError
from postsale._repr import readable
from postsale.adapters.nightly._read import LINE, Table, error_rows, first_of_each, typed

__all__ = ["BATCH", "Accounts", "Contracts", "prepare_accounts"]

BATCH: Final = 125_000
"""The most accounts read and stepped at once (memory grows with it; each batch adds the step's fixed cost)."""
_ROW: Final = "__row"
"""A row's position in the whole input (a folder's files each count their lines from 1)."""
CONTRACT_LINE: Final = "__contract_line"
"""The column holding the line of an account's row in the contracts file."""


def missing_ids(pl: Any, rows: Any, source: str) -> tuple[Any, Any]:
    """Rows without an account id: they cannot be matched to anything, so they are refused here, with their line."""
    ids = pl.col("account_id").cast(pl.String).str.strip_chars()
    blank = ids.is_null() | (ids == "")
    refused = rows.filter(blank).select(
        pl.lit(source).alias("source"), pl.col(LINE).alias("line"), pl.lit(None, pl.String).alias("account_id"),
        pl.lit("account_id").alias("column"), pl.lit(None, pl.String).alias("value"),
        pl.lit("account_id: is missing; rule: every row names its account; instead: fill it in").alias("reason"))
    return rows.filter(~blank).with_columns(ids.alias("account_id")), refused


def _collect(pl: Any, lazy: Any, source: str, field: str) -> Any:
    """``lazy`` read; a file that turns out unreadable (a damaged page of a Parquet file is only met when it is
    read) is a :class:`~postsale.StorageError` naming it: the night stops before anything is written."""
    try:
        return lazy.collect()
    except (pl.exceptions.PolarsError, OSError) as error:
        cause = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise StorageError(f"cannot be read: {cause}", field=field, value=source,
                           hint="check the file is whole (rewrite it, or restore it from its source)") from None


def _needs_ids(columns: list[str], source: str) -> None:
    if "account_id" not in columns:
        raise InvalidValueError("lacks the column account_id", field=source, value=columns[:10],
                                constraint="every input names its account in account_id", hint="add or rename it")


@attrs.frozen
class Contracts:
    """The contracts file ready to be read a batch at a time.

    Attributes:
        source: The file.
        rows: Its rows, lazily, each with its position in the input (``__row``).
        ids: The rows kept (the first of each account id, ids trimmed, none blank): ``__row``, line, account.
        columns: Its own columns (they replace the accounts file's).
        table: The table read (kept while its rows are).
    """

    __repr__ = readable
    source: str
    rows: Any
    ids: Any
    columns: tuple[str, ...]
    table: Table = attrs.field(eq=False, repr=False)

    def of(self, pl: Any, accounts: Any) -> tuple[Any, Any]:
        """The contract rows of ``accounts`` (a frame with ``account_id``), values parsed, with
        :data:`CONTRACT_LINE`; and the rows refused."""
        mine = self.ids.join(accounts.select("account_id"), on="account_id", how="semi").select(_ROW)
        rows = _collect(pl, self.rows.join(mine.lazy(), on=_ROW, how="semi"), self.source, "--contracts")
        table = typed(pl, Table(self.source, rows.drop(_ROW), _none(pl, self.source), ""))
        rows, _ = missing_ids(pl, table.rows, self.source)  # the ids trimmed (no blank one reaches here)
        return rows.rename({LINE: CONTRACT_LINE}), table.errors


@attrs.frozen
class Accounts:
    """The accounts file ready to be read a batch at a time, with the contracts to join to each batch.

    Attributes:
        source: The accounts file.
        rows: Its rows, lazily (a batch is a slice of them).
        keep: The rows reviewed (the first of each account id): their position (``__row``) and account id.
        repeated: The positions of the later rows of a repeated id (refused).
        total: How many rows the file holds.
        contracts: The contracts file, or None.
        errors: The rows refused while reading the files as wholes (repeated and blank ids in the contracts file;
            repeated ids and what could not be read in either).
        table: The accounts table read (kept while its rows are: a CSV file's parsed rows go with it).
    """

    __repr__ = readable
    source: str
    rows: Any
    keep: Any
    repeated: Any
    total: int
    contracts: Contracts | None
    errors: Any
    table: Table = attrs.field(eq=False, repr=False)

    @property
    def batches(self) -> int:
        """How many batches the night steps (one at least, for an empty file)."""
        return max(1, -(-self.total // BATCH))

    def batch(self, pl: Any, k: int) -> tuple[Any, Any]:
        """The rows of batch ``k`` ready for the step (values parsed, ids trimmed, the contract joined), and the
        rows of the batch refused."""
        rows = _collect(pl, self.rows.slice(k * BATCH, BATCH), self.source, "accounts").with_row_index(
            _ROW, offset=k * BATCH)  # a slice of the file: only the batch's rows are read
        if self.repeated.height:  # rarely any: the later rows of a repeated id, refused already
            rows = rows.join(self.repeated, on=_ROW, how="anti", maintain_order="left")
        rows = rows.drop(_ROW)
        table = typed(pl, Table(self.source, rows, _none(pl, self.source), ""))
        rows, refused = missing_ids(pl, table.rows, self.source)
        errors = [table.errors, refused]
        if self.contracts is not None:
            given, bad = self.contracts.of(pl, rows)
            errors.append(bad)
            rows = rows.drop(*(c for c in self.contracts.columns if c in rows.columns)).join(
                given, on="account_id", how="left")
        return rows, pl.concat(errors, how="vertical_relaxed")

    def split(self, pl: Any, frames: tuple[Any, ...]) -> tuple[list[tuple[Any, ...]], tuple[Any, ...]]:
        """``frames`` (each with ``account_id``: the state's tables) split by the batch each account's row is in,
        in one pass each; and the rows of the accounts without a row tonight."""
        which = self.keep.filter(pl.col("account_id").is_not_null()).select(
            "account_id", (pl.col(_ROW) // BATCH).cast(pl.Int64).alias("__batch"))
        parts = [f.join(which, on="account_id", how="left").partition_by("__batch", as_dict=True, include_key=False)
                 for f in frames]
        batches = [tuple(p.get((k,), f.clear()) for p, f in zip(parts, frames, strict=True))
                   for k in range(self.batches)]
        return batches, tuple(p.get((None,), f.clear()) for p, f in zip(parts, frames, strict=True))

    @property
    def contract_columns(self) -> tuple[str, ...]:
        """The contracts file's own columns (none without one)."""
        return () if self.contracts is None else self.contracts.columns

    def unknown_contracts(self, pl: Any, source: str | None, reviewed: Any) -> Any:
        """The contracts rows whose account was not reviewed tonight (``reviewed``: the accounts' ids)."""
        if self.contracts is None:
            return error_rows(pl)
        unknown = self.contracts.ids.join(reviewed.select("account_id"), on="account_id", how="anti")
        return unknown.select(
            pl.lit(source).alias("source"), pl.col(LINE).alias("line"), pl.col("account_id"),
            pl.lit("account_id").alias("column"), pl.col("account_id").alias("value"),
            pl.lit("account_id: is not in the accounts file; rule: contract activity belongs to a reviewed account; "
                   "instead: add the account, or remove the row").alias("reason"))


def prepare_accounts(pl: Any, accounts: Table, contracts: Table | None) -> Accounts:
    """The accounts and contracts files checked as wholes where a row's fate depends on the others (repeated ids,
    from narrow columns), ready for :meth:`Accounts.batch`."""
    lazy = accounts.rows.lazy()
    _needs_ids(lazy.collect_schema().names(), accounts.source)
    narrow = _collect(pl, lazy.select(LINE, "account_id"), accounts.source, "accounts").with_row_index(_ROW)
    first = first_of_each(pl, Table(accounts.source, narrow, accounts.errors, accounts.checksum))
    errors = [first.errors]
    given = None
    if contracts is not None:
        rows = contracts.rows.lazy().with_row_index(_ROW)
        names = rows.collect_schema().names()
        _needs_ids(names, contracts.source)
        ids = _collect(pl, contracts.rows.lazy().select(LINE, "account_id"), contracts.source,
                       "--contracts").with_row_index(_ROW)
        kept = first_of_each(pl, Table(contracts.source, ids, contracts.errors, contracts.checksum))
        ids, no_id = missing_ids(pl, kept.rows, contracts.source)
        errors += [kept.errors, no_id]
        given = Contracts(contracts.source, rows, ids,
                          tuple(c for c in names if c not in ("account_id", LINE, _ROW)), contracts)
    keep = first.rows.select(_ROW, "account_id")
    repeated = narrow.select(_ROW).join(keep.select(_ROW), on=_ROW, how="anti")
    return Accounts(accounts.source, lazy, keep, repeated, narrow.height, given,
                    pl.concat(errors, how="vertical_relaxed"), accounts)


def _none(pl: Any, source: str) -> Any:
    return error_rows(pl).with_columns(pl.lit(source).alias("source"))
