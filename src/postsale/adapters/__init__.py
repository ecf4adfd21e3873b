"""Adapters: everything at the edge of the core, in one place the core never imports.

* :mod:`postsale.adapters.frame` - any dataframe in (pandas, Polars, PyArrow, DuckDB, Dask, PySpark), the
  same kind out: the whole portfolio on the columnar path, and postsale values as pandas frames;
* :mod:`postsale.adapters.cli` - the ``postsale`` command;
* :mod:`postsale.adapters.plot` - matplotlib pictures;
* :mod:`postsale.adapters.display` - notebook display (opt-in: ``%load_ext postsale.adapters.display``);
* :mod:`postsale.adapters.sample` - the deterministic sample portfolio.

Each imports its optional dependencies when used, and names the extra to install when one is missing.
"""
