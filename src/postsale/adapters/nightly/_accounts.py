"""The night's accounts, a batch at a time.

The accounts file is checked as a whole only where a row's fate depends on the others (a repeated account id: the
first row is reviewed), and that needs only two narrow columns. Everything else (parsing each value, the rows
without an id, joining the contracts file) is done a batch of at most :data:`BATCH` rows at a time, so a Parquet
input read lazily (:func:`~postsale.adapters.nightly._read.read_table` with ``lazy=True``) is never held whole:
each batch reads its own rows from the file.
"""

from __future__ import annotations

from typing import Any, Final

import attrs

from postsale._errors import InvalidValueError, StorageError
from postsale._repr import readable
from postsale.adapters.nightly._read import LINE, Table, error_rows, first_of_each, typed

__all__ = ["BATCH", "Accounts", "prepare_accounts"]

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


def _collect(pl: Any, lazy: Any, source: str) -> Any:
    """``lazy`` read; a file that turns out unreadable (a damaged page of a Parquet file is only met when it is
    read) is a :class:`~postsale.StorageError` naming it: the night stops before anything is written."""
    try:
        return lazy.collect()
    except (pl.exceptions.PolarsError, OSError) as error:
        cause = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise StorageError(f"cannot be read: {cause}", field="accounts", value=source,
                           hint="check the file is whole (rewrite it, or restore it from its source)") from None


def _needs_ids(columns: list[str], source: str) -> None:
    if "account_id" not in columns:
        raise InvalidValueError("lacks the column account_id", field=source, value=columns[:10],
                                constraint="every input names its account in account_id", hint="add or rename it")


@attrs.frozen
class Accounts:
    """The accounts file ready to be read a batch at a time, with the contracts to join to each batch.

    Attributes:
        source: The accounts file.
        rows: Its rows, lazily, each with its position in the input (``__row``).
        keep: The positions of the rows reviewed (the first of each account id).
        total: How many rows the file holds.
        contracts: The contracts file's rows (one per account, with :data:`CONTRACT_LINE`), or None.
        contract_columns: The contracts file's own columns (they replace the accounts file's).
        errors: The rows refused while reading the files as wholes (repeated ids; the contracts file's own).
        table: The accounts table read (kept while its rows are: a CSV file's parsed rows go with it).
    """

    __repr__ = readable
    source: str
    rows: Any
    keep: Any
    total: int
    contracts: Any
    contract_columns: tuple[str, ...]
    errors: Any
    table: Table = attrs.field(eq=False, repr=False)

    @property
    def batches(self) -> int:
        """How many batches the night steps (one at least, for an empty file)."""
        return max(1, -(-self.total // BATCH))

    def batch(self, pl: Any, k: int) -> tuple[Any, Any]:
        """The rows of batch ``k`` ready for the step (values parsed, ids trimmed, the contract joined), and the
        rows of the batch refused."""
        rows = _collect(pl, self.rows.slice(k * BATCH, BATCH), self.source)
        rows = rows.join(self.keep, on=_ROW, how="semi", maintain_order="left").drop(_ROW)
        table = typed(pl, Table(self.source, rows, error_rows(pl).with_columns(pl.lit(self.source).alias("source")),
                                ""))
        rows, refused = missing_ids(pl, table.rows, self.source)
        if self.contracts is not None:
            rows = rows.drop(*(c for c in self.contract_columns if c in rows.columns)).join(
                self.contracts, on="account_id", how="left")
        return rows, pl.concat([table.errors, refused], how="vertical_relaxed")

    def unknown_contracts(self, pl: Any, source: str | None, reviewed: Any) -> Any:
        """The contracts rows whose account was not reviewed tonight (``reviewed``: the accounts' ids)."""
        if self.contracts is None:
            return error_rows(pl)
        unknown = self.contracts.join(reviewed.select("account_id"), on="account_id", how="anti")
        return unknown.select(
            pl.lit(source).alias("source"), pl.col(CONTRACT_LINE).alias("line"), pl.col("account_id"),
            pl.lit("account_id").alias("column"), pl.col("account_id").alias("value"),
            pl.lit("account_id: is not in the accounts file; rule: contract activity belongs to a reviewed account; "
                   "instead: add the account, or remove the row").alias("reason"))


def prepare_accounts(pl: Any, accounts: Table, contracts: Table | None) -> Accounts:
    """The accounts file checked as a whole (repeated ids, from two narrow columns) and the contracts file read
    whole (one row per account), ready for :meth:`Accounts.batch`."""
    lazy = accounts.rows.lazy().with_row_index(_ROW)
    columns = lazy.collect_schema().names()
    _needs_ids(columns, accounts.source)
    narrow = _collect(pl, lazy.select(_ROW, LINE, "account_id"), accounts.source)
    first = first_of_each(pl, Table(accounts.source, narrow, accounts.errors, accounts.checksum))
    errors = [first.errors]
    given = None
    contract_columns: tuple[str, ...] = ()
    if contracts is not None:
        _needs_ids(contracts.rows.columns, contracts.source)
        contracts = typed(pl, first_of_each(pl, contracts))
        rows, no_id = missing_ids(pl, contracts.rows, contracts.source)
        errors += [contracts.errors, no_id]
        contract_columns = tuple(c for c in rows.columns if c not in ("account_id", LINE))
        given = rows.rename({LINE: CONTRACT_LINE})
    return Accounts(accounts.source, lazy, first.rows.select(_ROW), narrow.height, given, contract_columns,
                    pl.concat(errors, how="vertical_relaxed"), accounts)
