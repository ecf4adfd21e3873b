"""The night reads and steps its accounts a batch at a time: the answers do not depend on the batch size, and a
Parquet input is read lazily, each batch reading its own rows."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from postsale import StorageError

pl = pytest.importorskip("polars")
pytest.importorskip("duckdb")

from postsale.adapters.nightly import _accounts, read_table, run_night  # noqa: E402
from postsale.adapters.nightly._state import StateDatabase  # noqa: E402

DAY = date(2026, 11, 2)
SEGMENTS = ["SMB", "ENTERPRISE", "MID_MARKET", "smb", "GIANT"]  # GIANT: a row the step refuses


def _accounts_rows(draw: st.DrawFn, night: int) -> list[dict[str, Any]]:
    n = draw(st.integers(0, 14))
    rows = []
    for i in range(n):
        account = draw(st.sampled_from([f"a{k}" for k in range(12)] + [" a1 ", ""]))
        tickets = draw(st.sampled_from(["0", "3", "6", "9", "", "many"]))  # "many": a value that does not parse
        rows.append({"account_id": account, "segment": draw(st.sampled_from(SEGMENTS)), "csm": f"c{i % 3}",
                     "acv": "1000", "support_tickets_week": tickets, "logins_week": str(draw(st.integers(0, 9))),
                     "contract_end": (DAY + timedelta(days=draw(st.integers(10, 400)) - night)).isoformat()})
    return rows


@st.composite
def portfolios(draw: st.DrawFn) -> list[tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    nights = []
    for night in range(3):
        accounts = _accounts_rows(draw, night)
        contracts = [{"account_id": draw(st.sampled_from([f"a{k}" for k in range(14)])),
                      "renewal_recorded": draw(st.sampled_from(["true", "false", "maybe"]))}
                     for _ in range(draw(st.integers(0, 4)))]
        nights.append((accounts, contracts))
    return nights


def _write(path: Path, rows: list[dict[str, Any]], columns: list[str], parquet: bool) -> Path:
    frame = pl.DataFrame(rows, schema=dict.fromkeys(columns, pl.String))
    if parquet:
        frame.write_parquet(path.with_suffix(".parquet"), row_group_size=2)
        return path.with_suffix(".parquet")
    frame.write_csv(path.with_suffix(".csv"))
    return path.with_suffix(".csv")


def _nights(root: Path, portfolio: list[Any], parquet: bool) -> list[Any]:
    root.mkdir()
    found = []
    for k, (accounts, contracts) in enumerate(portfolio):
        source = _write(root / f"accounts-{k}", accounts, ["account_id", "segment", "csm", "acv",
                                                           "support_tickets_week", "logins_week", "contract_end"],
                        parquet)
        given = _write(root / f"contracts-{k}", contracts, ["account_id", "renewal_recorded"], False)
        done = run_night(as_of=DAY + timedelta(days=k), accounts=read_table(source, field="accounts", lazy=True),
                         contracts=read_table(given, field="--contracts", lazy=True), state=root / "state.duckdb",
                         evidence=False)
        found.append((dict(done.counts),
                      sorted(done.frames["alerts"].collect().drop("due").rows(), key=repr),
                      sorted(done.frames["reviews"].rows(), key=repr),
                      sorted(done.frames["errors"].drop("source").rows(), key=repr),
                      sorted(done.frames["agenda"].collect().rows(), key=repr)))
    db = StateDatabase(root / "state.duckdb")
    try:
        tables = [sorted(db.query(f"SELECT * FROM {t}").rows(), key=repr)
                  for t in ("state_accounts", "state_rules", "state_budget", "alerts", "health_daily")]
    finally:
        db.close()
    return [found, tables]


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(portfolio=portfolios(), parquet=st.booleans())
def test_the_answers_do_not_depend_on_the_batch_size(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, portfolio: list[Any], parquet: bool
) -> None:
    """Three nights of a portfolio with repeated ids (across batches), blank ids, values that do not parse,
    refused segments, contracts for unknown accounts and accounts that come and go: stepping two accounts at a time
    gives the alerts, reviews, errors (with their lines), agenda and state that one batch gives."""
    root = tmp_path_factory.mktemp("nights")
    whole = _nights(root / "whole", portfolio, parquet)
    monkeypatch.setattr(_accounts, "BATCH", 2)
    in_batches = _nights(root / "batches", portfolio, parquet)
    assert in_batches == whole


def test_a_parquet_input_is_read_lazily_with_each_rows_position(tmp_path: Path) -> None:
    """A Parquet file read with ``lazy=True`` is a lazy frame (nothing is read but its footer); each row keeps its
    position in the file whatever batch reads it, and its checksum is the file's."""
    path = tmp_path / "accounts.parquet"
    pl.DataFrame({"account_id": [f"a{i}" for i in range(7)], "segment": ["SMB"] * 7}).write_parquet(
        path, row_group_size=3)
    table = read_table(path, field="accounts", lazy=True)
    assert isinstance(table.rows, pl.LazyFrame) and table.read == 7
    assert table.checksum == read_table(path, field="accounts").checksum
    assert table.rows.slice(4, 2).collect().rows() == [(5, "a4", "SMB"), (6, "a5", "SMB")]
    folder = tmp_path / "folder"
    folder.mkdir()
    path.rename(folder / "part-1.parquet")
    lazy = read_table(folder, field="accounts", lazy=True)
    assert lazy.checksum == read_table(folder, field="accounts").checksum
    assert lazy.rows.collect().equals(read_table(folder, field="accounts").rows)


def test_a_file_that_is_not_parquet_is_refused_before_the_night(tmp_path: Path) -> None:
    path = tmp_path / "accounts.parquet"
    path.write_bytes(b"account_id,segment\na,SMB\n")
    with pytest.raises(StorageError, match="cannot be read as parquet"):
        read_table(path, field="accounts", lazy=True)


def test_a_damaged_parquet_page_stops_the_night_with_the_file_named(tmp_path: Path) -> None:
    """A page is only read when its batch is: a damaged one stops the night with a StorageError naming the file,
    and the state is left as it was."""
    path = tmp_path / "accounts.parquet"
    pl.DataFrame({"account_id": [f"a{i}" for i in range(2000)], "segment": ["SMB"] * 2000,
                  "support_tickets_week": [float(i % 9) for i in range(2000)]}).write_parquet(
        path, compression="zstd", statistics=False)
    data = bytearray(path.read_bytes())
    for offset in range(40, 1400):  # the first column's pages, before the footer
        data[offset] ^= 0x5A
    path.write_bytes(bytes(data))
    table = read_table(path, field="accounts", lazy=True)
    with pytest.raises(StorageError, match="accounts") as raised:
        run_night(as_of=DAY, accounts=table, state=tmp_path / "state.duckdb")
    assert str(path) in str(raised.value)
    db = StateDatabase(tmp_path / "state.duckdb")
    try:
        assert db.last_run() is None
    finally:
        db.close()


def test_an_id_with_spaces_around_it_is_a_repeat_of_the_same_id(tmp_path: Path) -> None:
    """`` a1 `` is account a1: a second row for it is refused as a repeated id (it once reached the review as a
    second row of a1), in the accounts file and in the contracts file alike."""
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("account_id,segment\na1,SMB\n a1 ,SMB\nb,SMB\n", encoding="utf-8")
    contracts = tmp_path / "contracts.csv"
    contracts.write_text("account_id,renewal_recorded\nb ,true\nb,false\n", encoding="utf-8")
    done = run_night(as_of=DAY, accounts=read_table(accounts, field="accounts"),
                     contracts=read_table(contracts, field="--contracts"), state=tmp_path / "state.duckdb")
    assert done.counts["processed"] == 2 and done.counts["rejected"] == 1
    assert done.frames["errors"].select("source", "line", "account_id", "column").rows() == [
        (str(accounts), 3, "a1", "account_id"), (str(contracts), 3, "b", "account_id")]
    assert done.frames["reviews"].sort("account_id").select("account_id").to_series().to_list() == ["a1", "b"]


_CELLS = st.sampled_from(["a", "b1", "", " x ", '"q,1"', '"two\nlines"', '"three\n\nlines"', "7.5", "é"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_CELLS, min_size=3, max_size=3) | st.just([]), max_size=12),
       st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_a_csv_read_lazily_gives_the_rows_and_lines_read_whole(rows: list[list[str]], newline: str,
                                                               trailing: bool) -> None:
    """A CSV file read with ``lazy=True`` (parsed once, streaming, into a Parquet file read a batch at a time) gives
    the rows, the physical lines (blank lines and quoted line breaks counted) and the checksum of reading it whole."""
    import tempfile

    text = newline.join(["account_id,segment,logins_week", *(",".join(r) for r in rows)]) + (newline if trailing
                                                                                             else "")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "accounts.csv"
        path.write_bytes(text.encode("utf-8"))
        whole = read_table(path, field="accounts")
        lazy = read_table(path, field="accounts", lazy=True)
        assert isinstance(lazy.rows, pl.LazyFrame)
        assert lazy.rows.collect().rows() == whole.rows.rows() and lazy.checksum == whole.checksum
        assert lazy.read == whole.read


def test_the_parsed_rows_of_a_lazy_csv_go_with_its_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    path = tmp_path / "accounts.csv"
    path.write_text("account_id,segment\na,SMB\n", encoding="utf-8")
    table = read_table(path, field="accounts", lazy=True)
    (folder,) = (tmp_path / "tmp").iterdir()
    assert table.rows.collect().rows() == [("a", "SMB", 2)]
    del table
    gc.collect()
    assert not folder.exists()


def test_a_file_that_is_not_csv_is_refused_when_read(tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_bytes(b'account_id,segment\n"a,SMB\n')
    with pytest.raises(StorageError, match="cannot be read as csv"):
        read_table(path, field="accounts", lazy=True)


@pytest.mark.parametrize("kind", ["csv", "parquet", "ndjson", "json"])
def test_standard_input_is_spooled_to_a_file_and_read_like_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """``-`` read lazily is written to a temporary file a block at a time, then read as that file would be (CSV,
    Parquet and NDJSON a batch at a time, a JSON array whole): the same rows, lines and checksum as reading it
    whole; the file goes with the table, and is removed at once when the input is read whole or refused."""
    import gc
    import io
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    frame = pl.DataFrame({"account_id": ["a", "b"], "segment": ["SMB", "SMB"]})
    data = io.BytesIO()
    {"csv": frame.write_csv, "parquet": frame.write_parquet, "ndjson": frame.write_ndjson,
     "json": frame.write_json}[kind](data)
    whole = read_table("-", field="accounts", stdin=io.BytesIO(data.getvalue()))
    lazy = read_table("-", field="accounts", stdin=io.BytesIO(data.getvalue()), lazy=True)
    assert lazy.source == "<stdin>" and lazy.checksum == whole.checksum
    assert isinstance(lazy.rows, pl.LazyFrame if kind != "json" else pl.DataFrame)
    assert lazy.rows.lazy().collect().rows() == whole.rows.rows()
    assert bool(list((tmp_path / "tmp").iterdir())) is (kind != "json")
    del lazy
    gc.collect()
    assert not list((tmp_path / "tmp").iterdir())
    with pytest.raises(StorageError, match="<stdin>"):
        read_table("-", field="accounts", stdin=io.BytesIO(b"PAR1 not parquet"), lazy=True)
    assert not list((tmp_path / "tmp").iterdir())


_VALUES = st.sampled_from([None, 1, 2.5, 0.0, -3, "x", "1.5", "", True, False, [1], {"a": 1}])
_RECORDS = st.one_of(
    st.dictionaries(st.sampled_from(["account_id", "segment", "logins_week", "csm"]), _VALUES, max_size=4).map(
        lambda r: __import__("json").dumps(r)),
    st.sampled_from(["", "   ", "not json", "[1, 2]", '{"account_id": "a"}']),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(_RECORDS, max_size=14), newline=st.sampled_from(["\n", "\r\n"]), part=st.integers(1, 4))
@example(records=['{"account_id": "a"}', '{"segment": null, "account_id": null}'], newline="\n", part=1)  # columns
# met in another order in a later part: read whole, which orders them as Polars does over all the records
@example(records=["{}", "{}", "{}", '{"csm": null}', '{"csm": true}'], newline="\n", part=4)  # a column without
# a value in the first part takes its type from the part that has one
@example(records=["{}", '{"account_id": null}', '{"segment": null, "account_id": null}', "not json"],
         newline="\n", part=3)  # columns in the order first met, whether Polars or the records read the part
def test_an_ndjson_file_read_a_part_at_a_time_gives_what_reading_it_whole_gives(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, records: list[str], newline: str,
    part: int
) -> None:
    """Read a few lines at a time (each part into a Parquet file), an NDJSON file gives the rows (values, types,
    column order), lines and refused records of reading it whole; a column whose values change type from one part
    to another makes it read whole."""
    from postsale.adapters.nightly import _read

    monkeypatch.setattr(_read, "_PART_LINES", part)
    path = tmp_path_factory.mktemp("ndjson") / "accounts.ndjson"
    path.write_bytes(newline.join(records).encode("utf-8"))
    try:
        whole = read_table(path, field="accounts")
    except StorageError:
        with pytest.raises(StorageError):
            read_table(path, field="accounts", lazy=True)
        return
    lazy = read_table(path, field="accounts", lazy=True)
    rows = lazy.rows.lazy().collect()
    assert rows.schema == whole.rows.schema and rows.rows() == whole.rows.rows()
    assert lazy.errors.rows() == whole.errors.rows() and lazy.checksum == whole.checksum
