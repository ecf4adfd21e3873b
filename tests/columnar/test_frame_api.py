"""The columnar path is published in postsale.adapters.frame and takes whole DataFrame-like tables."""

from __future__ import annotations

from datetime import date

import pytest

from postsale import InvalidValueError
from postsale.adapters import frame
from postsale.triggers import CATALOG

np = pytest.importorskip("numpy")


def test_frame_publishes_the_columnar_functions() -> None:
    """health_columns, touch_columns, renewal_columns and trigger_hits are one hop from postsale.adapters.frame."""
    assert {"health_columns", "touch_columns", "renewal_columns", "trigger_hits"} <= set(frame.__all__)


def test_text_columns_are_ignored_by_trigger_hits() -> None:
    """A table with text columns (ids, segments) can be passed whole; rules read the numeric ones."""
    columns = {"account_id": np.array(["a", "b"]), "segment": np.array(["SMB", "SMB"], dtype=object),
               "support_tickets_week": np.array([3.0, 1.0])}
    hits = frame.trigger_hits(columns, CATALOG.select("H4"), as_of=date(2026, 11, 1))
    assert hits["H4"].tolist() == [True, False]


def test_non_numeric_signal_column_is_refused() -> None:
    """A column that is neither text nor numeric (e.g. complex objects) is a PostsaleError naming it."""
    columns = {"support_tickets_week": np.array([{"x": 1}, {"y": 2}], dtype=object)}
    with pytest.raises(InvalidValueError, match="support_tickets_week"):
        frame.trigger_hits(columns, CATALOG.select("H4"), as_of=date(2026, 11, 1))


def test_numbers_in_an_object_column_are_read() -> None:
    """An object column of numbers (as pandas may hold) is read as numbers, None as absent."""
    columns = {"support_tickets_week": np.array([3, None], dtype=object), "csm": np.array(["a", "b"], dtype=object)}
    assert frame.trigger_hits(columns, CATALOG.select("H4"), as_of=date(2026, 11, 1))["H4"].tolist() == [True, False]
