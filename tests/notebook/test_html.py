"""Tests of postsale.adapters.display: the notebook HTML of every public value."""

from __future__ import annotations

import html
import types
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest

from postsale import AccountSnapshot, HealthBand, Segment, Stage, cadence, kpi, touch, triggers
from postsale.adapters import display as _html
from postsale.journey import Journey
from tests.notebook.examples import harvest, public_classes


def _extras() -> list[Any]:
    """Instances of the few public classes the documented examples leave no instance of."""
    threshold = triggers.Threshold("health_score", "<", 40.0)
    return [
        cadence.Anchors(),
        cadence.ContactPreferences(),
        cadence.EngagementTargets(),
        cadence.proactive_share(30.0, 10.0),
        cadence.EngagementResult(Segment.SMB, cadence.Channel.EMAIL, cadence.EngagementMetric.EMAIL_OPEN, 3, 10, 0.2),
        Journey.start("acme", "SMB", on=date(2026, 1, 5)).tracks["core"],
        kpi.csat([5, 4, 2]),
        touch.FactorScore("acv", "acv", 150000, "ACV >= 100,000", 5),
        triggers.AnyOf((threshold,)),
        triggers.Not(threshold),
        triggers.DaysSince("contract_start", 30),
        triggers.Context(),
    ]


def _review_extras() -> list[Any]:
    """A review error (the documented review examples have none)."""
    try:
        from postsale.review import ReviewError
    except ImportError:  # pragma: no cover - the review layer is not there yet
        return []
    return [ReviewError("acme", 3, "InvalidValueError: acv=-5: is negative", field="acv")]


def _instances() -> dict[type, Any]:
    found = harvest()
    for value in [*_extras(), *_review_extras()]:
        found.setdefault(type(value), value)
    return found


INSTANCES = _instances()
PUBLIC = public_classes()


@attrs.frozen
class Note:
    """A test value with a text explanation."""

    text: str

    def explain(self) -> str:
        return f"note: {self.text}"


@attrs.frozen
class Lines:
    """A test value whose explain() needs an argument and whose property fails."""

    amount: Decimal
    items: tuple[Any, ...] = ()
    table: dict[Any, Any] = attrs.Factory(dict)

    def explain(self, detail: int) -> list[str]:
        return [str(detail)]

    @property
    def broken(self) -> int:
        raise ValueError("no answer")

    @property
    def doubled(self) -> Decimal:
        return self.amount * 2


@attrs.frozen
class Deep:
    """A test value nesting others."""

    inner: Any


def test_every_public_class_has_an_instance() -> None:
    """The documented examples (and a few extras) give an instance of every public attrs class."""
    missing = sorted(cls.__qualname__ for cls in PUBLIC if cls not in INSTANCES)
    assert [] == missing


def test_import_patches_nothing() -> None:
    """Importing postsale and the display adapter sets no _repr_html_ on any public class."""
    assert [] == [cls for cls in PUBLIC if "_repr_html_" in vars(cls)]
    assert set(PUBLIC) <= set(_html.public_classes())


@pytest.mark.parametrize("cls", PUBLIC, ids=lambda c: f"{c.__module__.split('.')[1]}.{c.__qualname__}")
def test_html_of_every_public_class(cls: type) -> None:
    """Each public value renders as a table captioned with its class, listing its fields and explanation."""
    value = INSTANCES.get(cls)
    if value is None:
        pytest.skip(f"no instance of {cls.__qualname__}")
    text = _html.render(value)
    assert text.startswith("<table")
    assert f">{cls.__name__}</caption>" in text
    for field in attrs.fields(cls):
        if not field.name.startswith("_"):
            assert f">{field.name}</th>" in text
    for sentence in _html._sentences(value):
        assert html.escape(sentence) in text


def test_text_is_escaped() -> None:
    """Markup inside values is escaped, never passed through."""
    snap = AccountSnapshot('<script>alert("x")</script>', "SMB", date(2026, 1, 31), labels={"a&b": "<i>"})
    text = _html.render(snap)
    assert "<script>" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text
    assert "a&amp;b: &lt;i&gt;" in text


def test_explain_as_a_string() -> None:
    """An explain() returning one string shows as one escaped sentence."""
    assert "<li>note: 1 &lt; 2</li>" in _html.render(Note("1 < 2"))


def test_explain_with_a_required_argument_is_skipped() -> None:
    """An explain() that needs arguments is not called; a failing property is left out; others are shown."""
    text = _html.render(Lines(Decimal("1234567.5")))
    assert "<li>" not in text
    assert ">broken</th>" not in text
    assert ">doubled</th>" in text
    assert "2,469,135.0" in text


def test_sentence_is_used_without_explain() -> None:
    """A value with sentence() but no explain() shows its sentence (a staffing projection point)."""
    point = INSTANCES[touch.ProjectionPoint]
    assert html.escape(point.sentence()) in _html.render(point)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "—"),
        (True, "yes"),
        (False, "no"),
        (Stage.ADOPTION, "ADOPTION"),
        (HealthBand.RED, "RED"),
        (Decimal("5712000"), "5,712,000"),
        (Decimal("2400.50"), "2,400.50"),
        (Decimal("1.0925000000000000000000000001"), "1.0925"),
        (Decimal("NaN"), "NaN"),
        (1234567, "1,234,567"),
        (12.0, "12"),
        (0.6666666, "0.6667"),
        (1234.5678, "1,234.57"),
        (float("nan"), "nan"),
        (float("inf"), "inf"),
        (date(2026, 2, 28), "2026-02-28"),
        (datetime(2026, 2, 28, 9, 30, tzinfo=UTC), "2026-02-28T09:30:00+00:00"),
        ("plain", "plain"),
    ],
)
def test_scalar_text(value: Any, expected: str) -> None:
    """Scalars are presented by name, grouped, rounded only for display, and dates in ISO form."""
    assert expected == _html.scalar_text(value)


def test_long_collections_are_cut() -> None:
    """A long tuple shows its first rows and how many more there are."""
    text = _html.render(Lines(Decimal(1), items=tuple(range(25))))
    assert "… 15 more" in text
    assert ", 9 " in text or "9 <span" in text


def test_long_tuple_of_values_is_a_nested_table() -> None:
    """A tuple of values unfolds into a table of its first rows, then "… N more"."""
    snaps = tuple(AccountSnapshot(f"a{i}", "SMB", date(2026, 1, 31)) for i in range(13))
    text = _html.render(Lines(Decimal(1), items=snaps))
    assert "<details><summary>13 × AccountSnapshot</summary>" in text
    assert "… 3 more" in text


def test_empty_collections() -> None:
    """Empty tuples and mappings say so."""
    assert text_count(_html.render(Lines(Decimal(1))), "(none)") == 2


def text_count(text: str, part: str) -> int:
    return text.count(part)


def test_mapping_of_values_and_long_scalar_mapping() -> None:
    """A mapping of values unfolds with a key column; a long scalar mapping is cut."""
    table = {Stage.ONBOARDING: AccountSnapshot("a", "SMB", date(2026, 1, 31))}
    text = _html.render(Lines(Decimal(1), table=table))
    assert "<details><summary>1 entries</summary>" in text
    assert ">key</th>" in text
    assert ">ONBOARDING</th>" in text
    long = _html.render(Lines(Decimal(1), table={f"k{i}": i for i in range(12)}))
    assert "k0: 0" in long
    assert "… 2 more" in long


def test_deep_values_are_summarised() -> None:
    """Values nested deeper than MAX_DEPTH are summarised on one line."""
    snap = AccountSnapshot("deepest", "SMB", date(2026, 1, 31))
    text = _html.render(Deep(Deep(Deep(snap))))
    assert "AccountSnapshot(account_id=deepest" in text
    assert text.count("<table") == 3


def test_long_summary_is_shortened() -> None:
    """A one-line summary longer than the limit ends with an ellipsis."""
    summary = _html._summary(Note("x" * 200))
    assert len(summary) == 90
    assert summary.endswith("…")


def test_summary_of_mapping_and_collection() -> None:
    """Mappings and collections inside summaries are summarised too."""
    assert "{a: 1}" == _html._summary({"a": 1})
    assert "1, 2" == _html._summary((1, 2))


def test_sets_are_sorted() -> None:
    """Sets show in a stable order."""
    assert "a, b, c" == _html._summary(frozenset({"c", "a", "b"}))
    assert "DANGER_ZONE, LATE_START" in _html.render(Lines(Decimal(1), items=frozenset({"LATE_START", "DANGER_ZONE"})))


def test_html_table_of_one_class() -> None:
    """A list of values of one class gives one column per field and one row per value."""
    snaps = [AccountSnapshot(f"acct-{i}", "SMB", date(2026, 1, 31), acv=1000 * i) for i in range(3)]
    text = _html.html_table(snaps)
    assert "3 × AccountSnapshot</caption>" in text
    assert ">account_id</th>" in text
    assert ">2,000</td>" in text


def test_html_table_of_mixed_values_mapping_and_sets() -> None:
    """Mixed values get a summary column; a mapping a key column; a set is sorted; empty says so."""
    mixed = _html.html_table([Note("a"), AccountSnapshot("b", "SMB", date(2026, 1, 31))])
    assert "2 × values</caption>" in mixed
    assert ">value</th>" in mixed
    keyed = _html.html_table({"ENTERPRISE": Note("x")})
    assert ">key</th>" in keyed
    assert ">ENTERPRISE</th>" in keyed
    ordered = _html.html_table(frozenset({Note("b"), Note("a")}))
    assert ordered.index(">a</td>") < ordered.index(">b</td>")
    assert ">empty</caption>" in _html.html_table([])
    assert ">value</th>" in _html.html_table([1, 2])


def test_html_table_of_journeys_uses_properties() -> None:
    """A class without public fields (Journey) shows its public properties as columns."""
    text = _html.html_table([Journey.start("acme", "SMB", on=date(2026, 1, 5))], max_rows=5)
    assert ">account_id</th>" in text
    assert ">primary_stage</th>" in text


def test_table_wrapper() -> None:
    """table() wraps a collection for display in a notebook."""
    wrapped = _html.table(iter([Note("a")]), max_rows=1)
    assert "1 × Note</caption>" in wrapped._repr_html_()
    assert "1 × Note" in _html.table({"k": Note("a")})._repr_html_()




class _Formatter:
    def __init__(self) -> None:
        self.types: dict[type, Any] = {}

    def for_type(self, kind: type, func: Any) -> None:
        self.types[kind] = func

    def pop(self, kind: type, default: Any = None) -> Any:
        return self.types.pop(kind, default)


def test_ipython_extension() -> None:
    """%load_ext registers HTML for every public class and plain collections of values; unload removes it."""
    formatter = _Formatter()
    shell = types.SimpleNamespace(display_formatter=types.SimpleNamespace(formatters={"text/html": formatter}))
    _html.load_ipython_extension(shell)
    assert {list, tuple, dict} | set(PUBLIC) <= set(formatter.types)
    show = formatter.types[list]
    assert show([1, 2]) is None
    assert show([]) is None
    assert show([Note("a")]) is None  # a test class, not a postsale value
    snap = AccountSnapshot("a", "SMB", date(2026, 1, 31))
    assert "1 × AccountSnapshot" in show([snap])
    assert ">key</th>" in formatter.types[dict]({"a": snap})
    assert "<caption" in formatter.types[AccountSnapshot](snap)
    _html.unload_ipython_extension(shell)
    assert {} == formatter.types
