"""Reading the nightly job's inputs: every format, the line each row came from, and what cannot be read."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postsale import InvalidValueError, StorageError

pl = pytest.importorskip("polars")

from postsale.adapters.nightly._read import LINE, first_of_each, read_table, typed  # noqa: E402


def _lines(table: object) -> list[int]:
    return table.rows[LINE].to_list()  # type: ignore[attr-defined]


def test_csv_lines_count_blank_lines_and_line_breaks_inside_quotes(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text('account_id,segment,note\na,SMB,x\n\nb,SMB,"two\nlines"\n\n\nc,SMB,y\n', encoding="utf-8")
    table = read_table(path, field="accounts")
    assert table.rows["account_id"].to_list() == ["a", "b", "c"]
    assert _lines(table) == [2, 4, 8]
    assert table.read == 3


def test_ndjson_skips_blank_lines_and_reports_lines_that_are_not_objects(tmp_path: Path) -> None:
    path = tmp_path / "a.ndjson"
    path.write_text('{"account_id": "a", "acv": 1}\n\nnot json\n[1]\n{"account_id": "b", "acv": "2"}\n',
                    encoding="utf-8")
    table = read_table(path, field="accounts")
    assert _lines(table) == [1, 5]
    assert table.errors.select("line", "value").rows() == [(3, "not json"), (4, "[1]")]
    assert table.read == 4
    assert table.rows["acv"].to_list() == ["1", "2"]  # mixed types stay text, for the review to parse


def test_json_array_records_are_numbered_from_one(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps([{"account_id": "a", "acv": 5}, 7, {"account_id": "b", "acv": 6.5}]))
    table = read_table(path, field="accounts")
    assert _lines(table) == [1, 3]
    assert table.rows["acv"].to_list() == [5.0, 6.5]
    assert table.errors["line"].to_list() == [2]


def test_parquet_file_folder_and_stdin_are_read(tmp_path: Path) -> None:
    frame = pl.DataFrame({"account_id": ["a", "b"], "segment": ["SMB", "SMB"]})
    frame.write_parquet(tmp_path / "one.parquet")
    folder = tmp_path / "parts"
    folder.mkdir()
    frame.write_parquet(folder / "p1.parquet")
    frame.with_columns(pl.lit("x").alias("extra")).write_parquet(folder / "p2.parquet")
    assert _lines(read_table(tmp_path / "one.parquet", field="accounts")) == [1, 2]
    parts = read_table(folder, field="accounts")
    assert _lines(parts) == [1, 2, 1, 2] and parts.rows.height == 4
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    assert read_table("-", field="accounts", stdin=io.BytesIO(buffer.getvalue())).rows.height == 2
    sniffed = read_table("-", field="accounts", stdin=io.BytesIO(b'[{"account_id": "a"}]'))
    assert sniffed.rows["account_id"].to_list() == ["a"]


def test_the_same_bytes_give_the_same_checksum(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("account_id,segment\na,SMB\n")
    (tmp_path / "b.csv").write_text("account_id,segment\na,SMB\n")
    (tmp_path / "c.csv").write_text("account_id,segment\na,ENTERPRISE\n")
    sums = [read_table(tmp_path / n, field="accounts").checksum for n in ("a.csv", "b.csv", "c.csv")]
    assert sums[0] == sums[1] != sums[2]


def test_a_file_that_cannot_be_read_is_a_storage_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(StorageError) as missing:
        read_table(tmp_path / "nope.csv", field="accounts")
    assert missing.value.field == "accounts" and "nope.csv" in str(missing.value)
    (tmp_path / "bad.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(StorageError, match="cannot be read as parquet"):
        read_table(tmp_path / "bad.parquet", field="accounts")
    (tmp_path / "empty").mkdir()
    with pytest.raises(StorageError, match="holds no Parquet file"):
        read_table(tmp_path / "empty", field="accounts")
    with pytest.raises(InvalidValueError, match="format"):
        read_table("-", field="accounts", stdin=io.BytesIO(b""), fmt="xlsx")


def test_a_repeated_account_keeps_its_first_row_and_reports_the_others_with_both_lines(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("account_id,segment\na,SMB\nb,SMB\na,ENTERPRISE\n,SMB\n,SMB\n")
    table = first_of_each(pl, read_table(path, field="accounts"))
    assert table.rows.select("account_id", LINE).rows() == [("a", 2), ("b", 3), (None, 5), (None, 6)]
    (error,) = table.errors.iter_rows(named=True)
    assert error["line"] == 4 and error["account_id"] == "a" and "first seen at line 2" in error["reason"]


def test_text_is_typed_and_what_does_not_parse_rejects_its_row_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("account_id,segment,acv,contract_end,renewal_recorded,csm\n"
                    "a,SMB,100, 2027-01-31 ,true,ann\n"
                    "b,SMB,lots,2027-01-31,false,bo\n"
                    "c,SMB,5,2027-02-30,yes,cy\n"
                    "d,SMB,,,maybe,di\n")
    table = typed(pl, read_table(path, field="accounts"))
    assert table.rows.select("account_id", "acv", "renewal_recorded", "csm").rows() == [("a", 100.0, True, "ann")]
    assert table.rows.schema["contract_end"] == pl.Date
    assert table.errors.select("line", "column", "value").rows() == [
        (3, "acv", "lots"), (4, "contract_end", "2027-02-30"), (5, "renewal_recorded", "maybe")]
    assert table.read == 4


_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.text(max_size=5),
                    st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: round(x, 3)))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(["account_id", "nps", "acv", "note"]), _VALUES, max_size=4),
                min_size=1, max_size=8),
       st.lists(st.integers(0, 2), min_size=8, max_size=8))
def test_polars_reads_ndjson_as_the_record_by_record_reading_does(records: list[dict[str, object]],
                                                                  blanks: list[int]) -> None:
    """Whenever Polars reads an NDJSON file, the review sees what the record-by-record reading gives: the same rows
    at the same lines, the same values once typed (a mixed column is text either way)."""
    from postsale.adapters.nightly._read import Table, _by_polars, _by_record

    records = [{"account_id": "a", **r} for r in records]  # every row has an id, as typed() expects
    data = "".join("\n" * b + json.dumps(r) + "\n" for r, b in zip(records, blanks, strict=False)).encode()
    fast = _by_polars(pl, data)
    if fast is None:  # Polars declined (types it would not unify): the record-by-record reading is used
        return
    slow, refused = _by_record(pl, data, "ndjson")
    assert refused.height == 0
    assert sorted(fast.columns) == sorted(slow.columns)
    one, other = (typed(pl, Table("f", frame.select(sorted(frame.columns)), refused, "")) for frame in (fast, slow))
    assert one.rows.rows() == other.rows.rows()
    assert one.errors.select("line", "column").rows() == other.errors.select("line", "column").rows()


def test_a_plain_ndjson_file_is_read_by_polars_and_a_mixed_one_record_by_record() -> None:
    from postsale.adapters.nightly._read import _by_polars

    plain = b'{"account_id": "a", "nps": 9}\n\n{"account_id": "b", "nps": 7.5, "csm": "ann"}\n'
    fast = _by_polars(pl, plain)
    assert fast is not None
    assert fast.select("account_id", "nps", "csm", LINE).rows() == [("a", 9.0, None, 1), ("b", 7.5, "ann", 3)]
    assert _by_polars(pl, b'{"nps": 1.5}\n{"nps": "x"}\n') is None  # "1.5" would be Polars' own text
    assert _by_polars(pl, b'{"nps": true}\n{"nps": 1}\n') is None
    assert _by_polars(pl, b'{"nps": 1}\r{"nps": 2}\n') is None
