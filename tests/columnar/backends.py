"""Build the same rows as a frame of every backend CI runs, and evaluate columnar forms over them.

Columnar forms (``expr`` methods) expect the normalised frame of the entry point: numbers as Float64 with null for
absent, dates as Date, enums as upper-case name strings, derived signals as columns. :func:`frame` builds that
frame on one backend; :func:`evaluate` runs named expressions over it and returns plain Python rows, so a test
compares them with the scalar path's answers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any, Literal

import pytest

from postsale._columnar import SEPARATOR, Env, physical

pl = pytest.importorskip("polars")
nw = pytest.importorskip("narwhals.stable.v2")

Backend = Literal["polars", "pandas", "pyarrow", "duckdb"]
BACKENDS: tuple[Backend, ...] = ("polars", "pandas", "pyarrow", "duckdb")
Kind = Literal["float", "date", "str", "bool", "int"]
_POLARS = {"float": pl.Float64, "date": pl.Date, "str": pl.String, "bool": pl.Boolean, "int": pl.Int64}


def _clean(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def frame(rows: Sequence[Mapping[str, Any]], schema: Mapping[str, Kind], backend: Backend) -> Any:
    """Return ``rows`` as a native frame of ``backend`` with the column types of ``schema`` (None = null)."""
    data = {name: [_clean(row.get(name)) for row in rows] for name in schema}
    polars = pl.DataFrame(data, schema={name: _POLARS[kind] for name, kind in schema.items()})
    if backend == "polars":
        return polars
    if backend == "pandas":
        return polars.to_pandas()  # floats with NaN for null, dates as datetime64: as pandas users hold them
    if backend == "pyarrow":
        return polars.to_arrow()
    duckdb = pytest.importorskip("duckdb")
    table = polars.to_arrow()
    return duckdb.from_arrow(table)


def prepare(native: Any, *, as_of: date) -> tuple[Any, Env]:
    """Normalise a native frame as the entry point does; return the narwhals lazy frame and its Env."""
    lazy = nw.from_native(native).lazy()
    lazy = lazy.rename({name: physical(name) for name in lazy.columns if "." in name})
    schema = {name.replace(SEPARATOR, "."): dtype for name, dtype in lazy.collect_schema().items()}
    fixes = []
    for name, dtype in schema.items():
        if dtype.is_float():
            fixes.append(nw.col(physical(name)).fill_nan(None))
        elif dtype == nw.Datetime:
            fixes.append(nw.col(physical(name)).cast(nw.Date))
    if fixes:
        lazy = lazy.with_columns(*fixes)
    env = Env(schema, as_of=as_of)
    derived = env.derived()
    if derived:
        lazy = lazy.with_columns(**derived)
        env = Env([*schema, *derived], as_of=as_of)
    return lazy, env


def evaluate(
    native: Any, exprs: Callable[[Env], Mapping[str, Any]], *, as_of: date = date(2026, 11, 1)
) -> list[dict[str, Any]]:
    """Run the named expressions ``exprs(env)`` over ``native``; return one plain dict per row (null as None)."""
    lazy, env = prepare(native, as_of=as_of)
    result = lazy.select(**exprs(env)).collect()
    return [{k: _clean(v) for k, v in row.items()} for row in result.rows(named=True)]
