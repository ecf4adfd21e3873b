"""Reading the nightly job's input files: CSV, Parquet (a file or a folder of files), NDJSON, JSON, or stdin.

Every table is read with Polars into a frame that keeps, beside the file's own columns, where each row came from
(``__line``: the physical line of a CSV or NDJSON file, blank lines and quoted line breaks counted, the header
being line 1; the record's position in a JSON array or a Parquet file, from 1). A row that cannot be read is a
row of the errors frame (:data:`ERRORS_SCHEMA`), never a reason to stop; a file that cannot be read at all is a
:class:`~postsale.StorageError` naming the path and the cause.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import re
import shutil
import tempfile
import weakref
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO, Final

import attrs

from postsale import _checks
from postsale._columnar import require
from postsale._errors import InvalidValueError, StorageError
from postsale._repr import readable

__all__ = ["ERRORS_SCHEMA", "FORMATS", "LINE", "Table", "error_rows", "first_of_each", "read_table", "typed"]

LINE: Final = "__line"
"""The column holding where a row is in its file."""
FORMATS: Final = ("csv", "parquet", "ndjson", "json")
_PART_LINES: Final = 200_000
"""How many lines of an NDJSON file read lazily are read at once."""
_BLOCK: Final = 1 << 20
"""How much of a file is read at once to compute its checksum."""
_SUFFIXES: Final = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".ndjson": "ndjson",
                    ".jsonl": "ndjson", ".json": "json"}
ERRORS_SCHEMA: Final = {"source": "String", "line": "Int64", "account_id": "String", "column": "String",
                        "value": "String", "reason": "String"}
"""The columns of a rejected row: the file, where in it (see the module's text), the account, the column, the
value as text, and the reason (what was expected)."""


@attrs.frozen
class Table:
    """One input file read: its rows (with :data:`LINE`), the rows refused, and the checksum of its bytes."""

    __repr__ = readable
    source: str
    rows: Any
    errors: Any
    checksum: str

    @property
    def read(self) -> int:
        """How many records the file holds (blank lines are not records)."""
        pl = require("polars", "nightly")
        rows = self.rows.height if isinstance(self.rows, pl.DataFrame) else self.rows.select(pl.len()).collect().item()
        return int(rows + self.errors.height)


def error_rows(pl: Any, rows: Sequence[Mapping[str, Any]] = ()) -> Any:
    """An errors frame (:data:`ERRORS_SCHEMA`) of ``rows`` (mappings with those keys)."""
    schema = {name: getattr(pl, dtype) for name, dtype in ERRORS_SCHEMA.items()}
    return pl.DataFrame([{name: row.get(name) for name in schema} for row in rows], schema=schema)


def _format_of(source: str, data: bytes, given: str | None) -> str:
    if given is not None:
        if given not in FORMATS:
            raise InvalidValueError("is not a format the job reads", field="--format", value=given,
                                    constraint=f"one of {', '.join(FORMATS)}", hint="name the file's format")
        return given
    suffix = Path(source).suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    if data[:4] == b"PAR1":
        return "parquet"
    head = data.lstrip()[:1]
    if head == b"[":
        return "json"
    return "ndjson" if head == b"{" else "csv"


def _digest(path: Path, field: str, quotes: list[bool] | None = None) -> bytes:
    """The SHA-256 of the file's bytes, read a block at a time (``quotes``: told whether a ``"`` is in them)."""
    digest = hashlib.sha256()
    quoted = False
    try:
        with path.open("rb") as handle:
            while block := handle.read(_BLOCK):
                digest.update(block)
                quoted = quoted or b'"' in block
    except OSError as error:
        raise StorageError(f"cannot be read: {error.strerror or error}", field=field, value=str(path),
                           hint="check the path and its permissions") from None
    if quotes is not None:
        quotes.append(quoted)
    return digest.digest()


def _scan(pl: Any, path: Path, field: str, name: str | None = None) -> Any:
    """The Parquet file's rows, lazily (with :data:`LINE`, the row's position from 1); only its footer is read
    here, so a file that is not Parquet is refused before the night starts."""
    try:  # the row index in the scan itself, so that a slice reads only its rows
        scan = pl.scan_parquet(path, row_index_name=LINE, row_index_offset=1)
        scan.collect_schema()
    except (pl.exceptions.PolarsError, OSError) as error:
        raise StorageError(f"cannot be read as parquet: {_first_line(error)}", field=field,
                           value=str(path) if name is None else name,
                           hint="check the file is parquet (or name its format with --format)") from None
    return scan.with_columns(pl.col(LINE).cast(pl.Int64))


def _bytes_of(path: Path, field: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise StorageError(f"cannot be read: {error.strerror or error}", field=field, value=str(path),
                           hint="check the path and its permissions") from None


def read_table(source: str | Path, *, field: str, stdin: BinaryIO | None = None, fmt: str | None = None,
               lazy: bool = False) -> Table:
    """Read one input: a file, a folder of Parquet files, or ``-`` (``stdin``).

    Args:
        source: The path, or ``"-"`` for standard input.
        field: The option that named it (``--accounts`` ...), for messages.
        stdin: Where ``-`` reads from (the process's standard input by default).
        fmt: The format (default: from the suffix, or sniffed: Parquet's magic bytes, ``[`` JSON, ``{`` NDJSON,
            otherwise CSV).
        lazy: Read a Parquet file or folder, a CSV or an NDJSON file, or standard input lazily: the rows are a
            Polars lazy frame, read when they are used (the night reads them a batch at a time, so they are never
            held whole). A CSV file is first parsed, streaming, into a Parquet file of a temporary folder that goes
            with the table; an NDJSON file is read a part at a time into such files (whole when a column's values
            change type from one part to another); standard input is first written to a temporary file a block at
            a time. The checksum is computed a block at a time. A JSON array is read whole.

    Raises:
        StorageError: the file or folder cannot be read, or is not in the format it claims.
        InvalidValueError: ``fmt`` is not one of :data:`FORMATS`.

    Examples:
        >>> import io
        >>> table = read_table("-", field="--accounts",
        ...                    stdin=io.BytesIO(b"account_id,segment\\nacme,SMB\\n\\nbeta,SMB\\n"))
        >>> table.rows.rows()
        [('acme', 'SMB', 2), ('beta', 'SMB', 4)]
    """
    pl = require("polars", "nightly")
    _checks.instance(field, source, (str, Path), hint="pass a path, or '-' for standard input")
    if fmt is not None:
        _checks.instance("fmt", fmt, str, hint=f"one of {', '.join(FORMATS)}")
    name = str(source)
    lazy = _checks.flag("lazy", lazy)
    if name == "-":
        import sys

        stream = stdin if stdin is not None else sys.stdin.buffer
        name = "<stdin>"
        if not lazy:
            data = stream.read()
        else:  # spooled to a file a block at a time, then read as a file would be
            spool = Path(tempfile.mkdtemp(prefix="postsale-stdin-"))
            try:
                with (spool / "stdin").open("wb") as handle:
                    shutil.copyfileobj(stream, handle, _BLOCK)
                table = _lazy(pl, spool / "stdin", name, field, fmt, spool)
                data = b"" if table is not None else (spool / "stdin").read_bytes()
            except BaseException as error:
                shutil.rmtree(spool, ignore_errors=True)
                if isinstance(error, OSError):
                    raise StorageError(f"cannot be read: {error.strerror or error}", field=field, value=name,
                                       hint="check the disk has room for the input") from None
                raise
            if table is not None:
                return table
            shutil.rmtree(spool, ignore_errors=True)
    else:
        path = Path(source)
        if path.is_dir():
            return _folder(pl, path, field, lazy)
        found = _lazy(pl, path, name, field, fmt, None) if lazy else None
        if found is not None:
            return found
        data = _bytes_of(path, field)
    checksum = hashlib.sha256(data).hexdigest()
    kind = _format_of(name, data, fmt)
    try:
        if kind == "parquet":
            rows = pl.read_parquet(io.BytesIO(data)).with_row_index(LINE, offset=1)
            errors = error_rows(pl)
        elif kind == "csv":
            rows, errors = _csv(pl, data), error_rows(pl)
        else:
            rows, errors = _json(pl, data, name, kind)
    except (pl.exceptions.PolarsError, OSError, ValueError) as error:
        raise StorageError(f"cannot be read as {kind}: {_first_line(error)}", field=field, value=name,
                           hint=f"check the file is {kind} (or name its format with --format)") from None
    rows = rows.with_columns(pl.col(LINE).cast(pl.Int64))
    return Table(name, rows, errors.with_columns(pl.lit(name).alias("source")), checksum)


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _head(path: Path, field: str) -> bytes:
    """The first bytes of the file (enough to tell its format)."""
    try:
        with path.open("rb") as handle:
            return handle.read(_BLOCK)
    except OSError as error:
        raise StorageError(f"cannot be read: {error.strerror or error}", field=field, value=str(path),
                           hint="check the path and its permissions") from None


def _folder(pl: Any, path: Path, field: str, lazy: bool = False) -> Table:
    """Every Parquet file under ``path`` (sorted by name), each row's place being its position in its file;
    ``lazy``: the files are scanned, not read."""
    files = sorted(p for p in path.rglob("*") if p.suffix.lower() in (".parquet", ".pq") and p.is_file())
    if not files:
        raise StorageError("holds no Parquet file", field=field, value=str(path),
                           hint="point at a file, or a folder of .parquet files")
    digest = hashlib.sha256()
    frames = []
    for file in files:
        if lazy:
            digest.update(file.relative_to(path).as_posix().encode() + b"\0" + _digest(file, field))
            frames.append(_scan(pl, file, field))
            continue
        data = _bytes_of(file, field)
        digest.update(file.relative_to(path).as_posix().encode() + b"\0" + hashlib.sha256(data).digest())
        try:
            frames.append(pl.read_parquet(io.BytesIO(data)).with_row_index(LINE, offset=1))
        except (pl.exceptions.PolarsError, OSError) as error:
            raise StorageError(f"cannot be read as parquet: {_first_line(error)}", field=field, value=str(file),
                               hint="remove or rewrite the file") from None
    rows = pl.concat(frames, how="diagonal_relaxed").with_columns(pl.col(LINE).cast(pl.Int64))
    return Table(str(path), rows, error_rows(pl).with_columns(pl.lit(str(path)).alias("source")), digest.hexdigest())


def _csv(pl: Any, data: bytes) -> Any:
    """CSV read as text (the review parses numbers and dates and reports what does not parse), with the physical
    line of each record (see :func:`_lines`)."""
    frame = pl.read_csv(io.BytesIO(data), infer_schema=False, row_index_name="__record", encoding="utf8-lossy")
    return _lines(pl, frame, quoted=b'"' in data)


def _lines(pl: Any, frame: Any, *, quoted: bool) -> Any:
    """``frame`` (eager or lazy, with ``__record``, each record's place) with the physical line of each record and
    without blank lines: Polars keeps a blank line as an empty record, and a quoted cell may hold line breaks (only
    a file with a quote can have one, so only such a file counts them)."""
    cells = [name for name in frame.collect_schema().names() if name != "__record"]
    line = pl.col("__record").cast(pl.Int64) + 2
    if quoted and cells:
        breaks = pl.sum_horizontal(*(pl.col(c).str.count_matches("\n").fill_null(0) for c in cells))
        line = line + breaks.cum_sum().shift(1, fill_value=0)
    blank = pl.all_horizontal(*(pl.col(c).is_null() for c in cells)) if cells else pl.lit(False)
    return frame.with_columns(line.alias(LINE)).filter(~blank).drop("__record")


def _lazy(pl: Any, path: Path, name: str, field: str, fmt: str | None, spool: Path | None) -> Table | None:
    """The file read lazily when it is Parquet or CSV (None otherwise: it is read whole); ``spool``: a folder that
    goes with the table (standard input written to a file)."""
    kind = _format_of(name, _head(path, field), fmt)
    if kind not in ("parquet", "csv", "ndjson"):
        return None
    quotes: list[bool] = []
    checksum = _digest(path, field, quotes).hex()
    errors = error_rows(pl)
    folders = [] if spool is None else [spool]
    if kind == "parquet":
        rows = _scan(pl, path, field, name)
    elif kind == "csv":
        rows, parsed = _csv_file(pl, path, field, quotes[0], name)
        folders.append(parsed)
    else:
        found = _ndjson_parts(pl, path, field, name)
        if found is None:
            return None
        rows, errors, parsed = found
        folders.append(parsed)
    table = Table(name, rows, errors.with_columns(pl.lit(name).alias("source")), checksum)
    for folder in folders:  # the parsed rows (and the spooled input) go with the table
        weakref.finalize(table, shutil.rmtree, folder, ignore_errors=True)
    return table


def _ndjson_parts(pl: Any, path: Path, field: str, name: str) -> tuple[Any, Any, Path] | None:
    """An NDJSON file read :data:`_PART_LINES` lines at a time (each part as :func:`_json` reads a file), each part
    written to a Parquet file of a private temporary folder, and the rows read lazily from there, with the records
    refused; None when a column's values change type from one part to another, or the parts' columns differ (the
    file is then read whole, which decides such a column's type, and the columns' order, from all the records)."""
    folder = Path(tempfile.mkdtemp(prefix="postsale-ndjson-"))
    parts: list[Path] = []
    refused: list[Any] = []
    kinds: dict[str, set[Any]] = {}
    orders: set[tuple[str, ...]] = set()
    offset = 0
    try:
        with path.open("rb") as handle:
            while lines := list(itertools.islice(handle, _PART_LINES)):
                data = b"".join(lines)
                rows, errors = _json(pl, data, name, "ndjson")
                if rows.height:
                    orders.add(tuple(rows.columns))
                for column in rows.columns:  # a column without a value in this part takes any type
                    if column != LINE and rows[column].null_count() < rows.height:
                        kinds.setdefault(column, set()).add(rows.schema[column])
                parts.append(folder / f"part-{len(parts):06d}.parquet")
                rows.with_columns(pl.col(LINE) + offset).write_parquet(parts[-1])
                refused.append(errors.with_columns(pl.col("line") + offset))
                offset += len(data.decode("utf-8", "replace").splitlines())  # as the whole file's lines count
    except (pl.exceptions.PolarsError, OSError, ValueError) as error:
        shutil.rmtree(folder, ignore_errors=True)
        raise StorageError(f"cannot be read as ndjson: {_first_line(error)}", field=field, value=name,
                           hint="check the file is ndjson (or name its format with --format)") from None
    if any(len(types) > 1 for types in kinds.values()) or len(orders) > 1 or not parts:
        shutil.rmtree(folder, ignore_errors=True)
        return None
    # A column without a value in a part was written as it was read there (Float64): it takes the column's type.
    types = {column: found.pop() for column, found in kinds.items()}
    scans = [pl.scan_parquet(part) for part in parts]
    scans = [scan.with_columns(pl.col(c).cast(types[c]) for c in scan.collect_schema().names() if c in types)
             for scan in scans]
    columns = list(dict.fromkeys(c for scan in scans for c in scan.collect_schema().names() if c != LINE))
    rows = pl.concat(scans, how="diagonal_relaxed").select(*columns, LINE)
    return rows, pl.concat(refused, how="vertical_relaxed"), folder


def _csv_file(pl: Any, path: Path, field: str, quoted: bool, name: str) -> tuple[Any, Any]:
    """A CSV file parsed once, streaming, into a Parquet file of a private temporary folder, and its rows read
    lazily from there (a batch at a time by the night); the folder is removed with the returned guard."""
    folder = Path(tempfile.mkdtemp(prefix="postsale-csv-"))
    target = folder / "rows.parquet"
    try:
        frame = pl.scan_csv(path, infer_schema=False, row_index_name="__record", encoding="utf8-lossy")
        _lines(pl, frame, quoted=quoted).sink_parquet(target)
    except (pl.exceptions.PolarsError, OSError, ValueError) as error:
        shutil.rmtree(folder, ignore_errors=True)
        raise StorageError(f"cannot be read as csv: {_first_line(error)}", field=field, value=name,
                           hint="check the file is csv (or name its format with --format)") from None
    return pl.scan_parquet(target), folder


def _json(pl: Any, data: bytes, name: str, kind: str) -> tuple[Any, Any]:
    """NDJSON (one object per line; blank lines skipped, a line that is not an object reported) or a JSON array
    of objects. Values of one column with mixed types are kept as text, for the review to parse.

    Polars reads the file when it holds only objects of plain values (:func:`_by_polars`); otherwise each record is
    read on its own, so a bad one is reported with its line and the others are kept."""
    fast = _by_polars(pl, data) if kind == "ndjson" else None  # Polars' JSON reader turns booleans into numbers
    return (fast, error_rows(pl)) if fast is not None else _by_record(pl, data, kind)


def _by_record(pl: Any, data: bytes, kind: str) -> tuple[Any, Any]:
    """Each record read on its own: the rows, and the records refused (with their line)."""
    records: list[dict[str, Any]] = []
    lines: list[int] = []
    refused: list[dict[str, Any]] = []
    if kind == "json":
        loaded = json.loads(data)
        items = loaded if isinstance(loaded, list) else [loaded]
        numbered: Any = enumerate(items, start=1)
    else:
        numbered = ((n, text) for n, text in enumerate(data.decode("utf-8", "replace").splitlines(), start=1)
                    if text.strip())
    for number, item in numbered:
        value = item
        if kind == "ndjson":
            try:
                value = json.loads(item)
            except ValueError as error:
                refused.append({"line": number, "value": item[:200], "reason": f"is not JSON: {error}"})
                continue
        if not isinstance(value, dict):
            refused.append({"line": number, "value": json.dumps(value)[:200],
                            "reason": "is not a JSON object: each record is one object of column: value"})
            continue
        records.append(value)
        lines.append(number)
    columns: dict[str, list[Any]] = {}
    for index, record in enumerate(records):
        for key, value in record.items():
            name = str(key)
            if name not in columns:  # a new column (not setdefault: its default list would be built every time)
                columns[name] = [None] * len(records)
            columns[name][index] = value
    series = [_column(pl, key, values) for key, values in columns.items()]
    rows = pl.DataFrame(series).with_columns(pl.Series(LINE, lines, dtype=pl.Int64)) if series \
        else pl.DataFrame({LINE: lines}, schema={LINE: pl.Int64})
    return rows, error_rows(pl, refused)


def _by_polars(pl: Any, data: bytes) -> Any:
    """The NDJSON records as Polars reads them, in the columns the record-by-record reading gives (numbers as Float64, a
    column of mixed types as text), with each record's line; ``None`` when Polars cannot (a line that is not a JSON
    object, a nested value, types it will not unify, a line break other than ``\\n``): the caller then reads the
    records one by one."""
    try:
        frame = pl.read_ndjson(io.BytesIO(data), infer_schema_length=None)
    except (pl.exceptions.PolarsError, pl.exceptions.PanicException, ValueError, OverflowError):
        return None  # read record by record, which reports each bad line
    text = data.decode("utf-8", "replace")
    if "\r" in text.replace("\r\n", "\n") or len(text.splitlines()) != text.count("\n") + (
            not text.endswith("\n")):
        return None  # a line break Polars does not see as one: count lines record by record
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if len(lines) != frame.height or any(d.is_nested() or d == pl.Object for d in frame.schema.values()):
        return None
    if any(d not in (pl.String, pl.Boolean, pl.Null) and not d.is_numeric() for d in frame.schema.values()):
        return None
    texts = [c for c, d in frame.schema.items() if d == pl.String]
    if texts and frame.select(pl.any_horizontal(pl.col(c).str.contains(_DECIMAL).any() for c in texts)).item():
        return None  # maybe a number in a column of mixed types, which Polars writes as text its own way
    columns = [pl.col(c).cast(pl.Float64) if frame.schema[c].is_numeric() or frame.schema[c] == pl.Null
               else pl.col(c) for c in _first_seen(data, frame.columns)]
    if not columns:  # records without a key ({}): rows of no column
        return pl.DataFrame({LINE: lines}, schema={LINE: pl.Int64})
    return frame.select(columns).with_columns(pl.Series(LINE, lines, dtype=pl.Int64))


def _first_seen(data: bytes, names: list[str]) -> list[str]:
    """``names`` in the order their keys first appear in the records, as the record-by-record reading orders its
    columns (Polars orders them its own way). A key is usually in the first record, so the search stops early."""
    def first(name: str) -> int:
        found = re.search(re.escape(json.dumps(name, ensure_ascii=False).encode()) + rb"\s*:", data)
        return found.start() if found else len(data)

    return sorted(names, key=first)


_DECIMAL: Final = r"^-?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?$"
"""Text that reads as a number. In a column of mixed types Polars writes a JSON number as text its own way (``0.0``
as ``"0"``, where the record-by-record reading keeps ``"0.0"``), so a file with such text is read record by record."""


def _column(pl: Any, key: str, values: list[Any]) -> Any:
    kinds = {type(v) for v in values if v is not None}
    if kinds <= {int, float} and bool not in kinds:
        return pl.Series(key, values, dtype=pl.Float64)
    if kinds == {bool}:
        return pl.Series(key, values, dtype=pl.Boolean)
    return pl.Series(key, [v if v is None or isinstance(v, str) else json.dumps(v) for v in values],
                     dtype=pl.String)


def first_of_each(pl: Any, table: Table, key: str = "account_id") -> Table:
    """``table`` with only the first row of each ``key`` kept (ids compared without the spaces around them); a later
    row is a rejected row naming the line of the first (one account, one row: which of two rows is right cannot be
    guessed)."""
    if key not in table.rows.columns:
        return table
    ids = pl.col(key).cast(pl.String).str.strip_chars()  # " a1 " is a1 (a blank id is the review's to report)
    rows = table.rows.with_columns(pl.when(ids != "").then(ids).alias(key)).with_columns(
        pl.col(LINE).min().over(key).alias("__first"))
    first = pl.col("__first")
    again = pl.col(key).is_not_null() & (pl.col(LINE) != first)  # a missing id is the review's to report
    repeated = rows.filter(again).select(
        pl.lit(table.source).alias("source"), pl.col(LINE).alias("line"), pl.col(key).alias("account_id"),
        pl.lit(key).alias("column"), pl.col(key).alias("value"),
        (pl.lit(f"is a duplicate {key}, first seen at line ") + first.cast(pl.String)
         + pl.lit(": one row per account; the first row is reviewed")).alias("reason"),
    )
    if not repeated.height:
        return Table(table.source, rows.drop("__first"), table.errors, table.checksum)
    kept = rows.filter(~again).drop("__first")
    errors = pl.concat([table.errors, repeated], how="vertical_relaxed").sort("line")
    return Table(table.source, kept, errors, table.checksum)


_TRUE: Final = ("true", "1", "yes", "y", "t")
_FALSE: Final = ("false", "0", "no", "n", "f", "")


def typed(pl: Any, table: Table) -> Table:
    """``table`` with its text columns in the types the review reads (dates for ``contract_*``, ``milestone.*`` and
    ``previous.band_since``; Booleans for ``renewal_recorded`` and ``active.*``; numbers for the rest, except the
    columns read as text), parsed natively; a value that does not parse rejects its row, with its line and the
    words the review would use (so the review never sees text where a number is due)."""
    from functools import partial

    from postsale import _checks
    from postsale._columnar import ACTIVE
    from postsale.adapters.frame._input import DATES, TEXT, reason_of
    from postsale.renewal import MILESTONE
    from postsale.renewal._state import RENEWAL_RECORDED

    rows = table.rows
    parsed: list[Any] = []
    checks: list[tuple[str, Any, str]] = []
    for name, dtype in rows.schema.items():
        if dtype != pl.String or name == LINE or name in TEXT or name.startswith("labels."):
            continue
        text = pl.col(name).str.strip_chars()
        given = text.is_not_null() & (text != "")
        if name in DATES or name.startswith(MILESTONE):
            value = text.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
            reason = reason_of(partial(_checks.a_date, name, "?"))
        elif name == RENEWAL_RECORDED or name.startswith(ACTIVE):
            lowered = text.str.to_lowercase()
            value = pl.when(lowered.is_in(_TRUE)).then(True).when(lowered.is_in(_FALSE)).then(False)
            reason = f"{name}: is not true or false; rule: a yes/no column; instead: write true or false"
        else:
            value = text.cast(pl.Float64, strict=False)
            reason = reason_of(partial(_checks.number, name, "?"))
        parsed.append(value.alias(name))
        checks.append((name, given & value.is_null(), reason))
    if not parsed:
        return table
    bad = [rows.filter(where).select(
        pl.lit(table.source).alias("source"), pl.col(LINE).alias("line"), pl.col("account_id").cast(pl.String)
        if "account_id" in rows.columns else pl.lit(None, pl.String).alias("account_id"), pl.lit(name).alias("column"),
        pl.col(name).alias("value"), pl.lit(reason).alias("reason")) for name, where, reason in checks]
    refused = pl.concat(bad, how="vertical_relaxed")
    rejected = pl.any_horizontal(*(where for _, where, _ in checks))
    kept = rows.filter(~rejected).with_columns(parsed)
    errors = pl.concat([table.errors, refused], how="vertical_relaxed").sort("line", nulls_last=True)
    return Table(table.source, kept, errors, table.checksum)
