"""The kernel's contract, pinned where mutation testing (scripts/mutation.py kernel) showed it unpinned.

Messages are part of the contract (they name the field, the value, the rule and what to do instead), so a few
canonical values are pinned with their full text; boundaries are tested on both sides; non-default arguments are
used so that dropping one is noticed.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import attrs
import pytest

from postsale import (
    InvalidTypeError,
    InvalidValueError,
    MissingDependencyError,
    NaiveDatetimeError,
    Stage,
    StructureError,
    TransitionRefused,
    UnknownNameError,
    from_data,
    to_data,
    to_json,
)
from postsale import _checks as c
from postsale._columnar import Env, lookup, require, segment_code
from postsale._convert import converter, register_tagged, written_form
from postsale._frozen import EMPTY, FrozenDict, ImmutableError
from postsale._vocabulary import HealthBand, Segment

# Under mutmut, HealthBand.of is wrapped in a trampoline that keeps no __kwdefaults__, which the journey and renewal
# defaults read at import (the band cut-offs). Give the wrapper the original's defaults; a no-op outside mutmut.
_of = HealthBand.of.__func__
if _of.__kwdefaults__ is None and getattr(_of, "__wrapped__", None) is not None:
    _of.__kwdefaults__ = _of.__wrapped__.__kwdefaults__


_TOO_BIG = "check the unit and the parsing of the value (see the documented limits)"
_AMOUNT_HINT = "check the unit and the column (an amount in currency units, at most a thousand trillion)"
_COMPUTED_HINT = "check the data: this amount is beyond any total postsale computes"
_SHARE = "is outside [0, 1]; rule: a share is written as a fraction between 0 and 1; instead:"
_NAIVE = (
    "due=datetime.datetime(2026, 1, 1, 0, 0): is a naive datetime; rule: deadlines are computed from "
    "timezone-aware datetimes; instead: attach a time zone, e.g. value.replace(tzinfo=ZoneInfo('Europe/Paris'))"
)
_ZONE = (
    "is not a known IANA time zone; rule: an IANA name of at most 64 characters, such as Area/City; instead: "
    'pass a name such as "Europe/Paris" or "UTC"'
)
_SEGMENTS = "ENTERPRISE, MID_MARKET, SMB, PRODUCT_LED"

GOLDEN = [
    (
        lambda: c.number("nps", "9"),
        InvalidTypeError,
        "nps='9': expected a number; instead: pass an int, float or Decimal (parse strings at the edge)",
    ),
    (
        lambda: c.number("nps", float("nan")),
        InvalidValueError,
        "nps=nan: is not a finite number; rule: must be finite (no NaN or infinity); "
        "instead: drop the signal or pass a real measurement",
    ),
    (
        lambda: c.number("nps", Decimal("-Infinity")),
        InvalidValueError,
        "nps=Decimal('-Infinity'): is not a finite number; rule: must be finite (no NaN or infinity); "
        "instead: drop the signal or pass a real measurement",
    ),
    (
        lambda: c.number("growth", Decimal("1e400")),
        InvalidValueError,
        f"growth=Decimal('1E+400'): is too large for a number; rule: must be between -1.79769e+308 and "
        f"1.79769e+308; instead: {_TOO_BIG}",
    ),
    (
        lambda: c.number("growth", 2.5, limit=2.0),
        InvalidValueError,
        f"growth=2.5: is too large for a number; rule: must be between -2 and 2; instead: {_TOO_BIG}",
    ),
    (
        lambda: c.number("growth", Decimal("2.5"), limit=2.0),
        InvalidValueError,
        f"growth=Decimal('2.5'): is too large for a number; rule: must be between -2 and 2; instead: {_TOO_BIG}",
    ),
    (
        lambda: c.measure("nps", -(10**15) - 1),
        InvalidValueError,
        f"nps=-1000000000000001: is too large for a number; rule: must be between -1e15 and 1e15; instead: {_TOO_BIG}",
    ),
    (
        lambda: c.non_negative("hours", -0.5),
        InvalidValueError,
        "hours=-0.5: is negative; rule: must be >= 0; instead: pass a value >= 0",
    ),
    (lambda: c.count("seats", 1.0), InvalidTypeError, "seats=1.0: expected a whole number; instead: pass an int"),
    (
        lambda: c.count("seats", -1),
        InvalidValueError,
        "seats=-1: is negative; rule: must be >= 0; instead: pass a count >= 0",
    ),
    (
        lambda: c.count("seats", 10**9 + 1),
        InvalidValueError,
        "seats=1000000001: is too large for a count; rule: must be <= 1,000,000,000; "
        "instead: check the column: a count is at most a billion",
    ),
    (
        lambda: c.count("indent", 17, limit=16),
        InvalidValueError,
        "indent=17: is too large for a count; rule: must be <= 16; instead: pass at most 16",
    ),
    (lambda: c.ratio("margin", 80), InvalidValueError, f"margin=80: {_SHARE} write 0.8 for 80.0 %"),
    (lambda: c.ratio("margin", 101), InvalidValueError, f"margin=101: {_SHARE} pass a fraction in [0, 1]"),
    (lambda: c.ratio("margin", -0.1), InvalidValueError, f"margin=-0.1: {_SHARE} pass a fraction in [0, 1]"),
    (
        lambda: c.money("acv", True),
        InvalidTypeError,
        "acv=True: expected an amount of money; instead: pass a Decimal or int",
    ),
    (
        lambda: c.money("acv", [1]),
        InvalidTypeError,
        "acv=[1]: expected an amount of money; instead: pass a Decimal or int",
    ),
    (
        lambda: c.money("acv", "12k"),
        InvalidValueError,
        "acv='12k': is not an amount of money; instead: pass digits, e.g. \"120000.00\"",
    ),
    (
        lambda: c.money("acv", "NaN"),
        InvalidValueError,
        "acv='NaN': is not a finite amount; rule: must be finite; instead: pass a real amount",
    ),
    (
        lambda: c.money("acv", -1),
        InvalidValueError,
        "acv=-1: is negative; rule: must be >= 0; instead: pass an amount >= 0",
    ),
    (
        lambda: c.money("acv", 10**15 + 1),
        InvalidValueError,
        f"acv=1000000000000001: is too large for an amount; rule: must be between -10**15 and 10**15; "
        f"instead: {_AMOUNT_HINT}",
    ),
    (
        lambda: c.money("total", Decimal("1E+31"), limit=10**30),
        InvalidValueError,
        f"total=Decimal('1E+31'): is too large for an amount; rule: must be between -10**30 and 10**30; "
        f"instead: {_COMPUTED_HINT}",
    ),
    (
        lambda: c.money("total", 10**16, limit=12345),
        InvalidValueError,
        f"total=10000000000000000: is too large for an amount; rule: must be between -12,345 and 12,345; "
        f"instead: {_COMPUTED_HINT}",
    ),
    (lambda: c.aware("due", datetime(2026, 1, 1)), NaiveDatetimeError, _NAIVE),
    (
        lambda: c.aware("due", date(2026, 1, 1)),
        InvalidTypeError,
        "due=datetime.date(2026, 1, 1): expected a datetime; instead: pass a timezone-aware datetime",
    ),
    (
        lambda: c.a_date("as_of", datetime(2026, 1, 1)),
        InvalidTypeError,
        "as_of=datetime.datetime(2026, 1, 1, 0, 0): expected a calendar date; "
        "instead: pass datetime.date(...) (use .date() on a datetime)",
    ),
    (
        lambda: c.shifted("days", 1, date.max, timedelta(days=1), hint="pick an earlier day"),
        InvalidValueError,
        "days=1: the result would fall outside the calendar (year 1..9999), counting from 9999-12-31; "
        "rule: dates run from 0001-01-01 to 9999-12-31; instead: pick an earlier day",
    ),
    (
        lambda: c.shifted("days", -1, date.min, timedelta(days=-1)),
        InvalidValueError,
        "days=-1: the result would fall outside the calendar (year 1..9999), counting from 0001-01-01; "
        "rule: dates run from 0001-01-01 to 9999-12-31; instead: use dates further from the ends of the calendar "
        "(9999-12-31 may stand for an open end, but nothing can be scheduled after it)",
    ),
    (
        lambda: c.local("at", datetime.max.replace(tzinfo=UTC), ZoneInfo("Asia/Tokyo")),
        InvalidValueError,
        "at=datetime.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=datetime.timezone.utc): the result would "
        "fall outside the calendar (year 1..9999); rule: dates run from 0001-01-01 to 9999-12-31; "
        "instead: use a moment further from the ends of the calendar",
    ),
    (
        lambda: c.text("name", "  "),
        InvalidValueError,
        "name='  ': must be a non-empty string; instead: pass a name or id",
    ),
    (
        lambda: c.identifier("id", "abcdef" + "x" * 995),
        InvalidValueError,
        "id='abc...xxx (1001 characters)': is too long; rule: at most 1,000 characters; "
        "instead: pass a short, stable id or name (keep long free text elsewhere)",
    ),
    (lambda: c.label("csm", 3), InvalidTypeError, "csm=3: expected a string; instead: pass text labels"),
    (
        lambda: c.label("csm", "abc" + "y" * 995 + "xyz"),
        InvalidValueError,
        "csm='abc...xyz (1001 characters)': is too long; rule: at most 1,000 characters; "
        "instead: pass a short, stable id or name (keep long free text elsewhere)",
    ),
    (
        lambda: c.one_of("days", "julian", ("a", "b")),
        UnknownNameError,
        "days='julian': must be one of a, b; instead: pass one of: a, b",
    ),
    (
        lambda: c.time_zone("tz", 5),
        InvalidTypeError,
        'tz=5: expected an IANA time-zone name; instead: e.g. "Asia/Tokyo"',
    ),
    (lambda: c.time_zone("tz", "Mars/Olympus"), UnknownNameError, f"tz='Mars/Olympus': {_ZONE}"),
    (
        lambda: c.time_zone("tz", "A" * 1001),
        UnknownNameError,
        f"tz='AAAAAAAAAAAAAAAAAAAA... (1001 characters)': {_ZONE}",
    ),
    (
        lambda: c.member(Segment, "segment", "GIANT"),
        UnknownNameError,
        f"segment='GIANT': is not a Segment; rule: one of {_SEGMENTS}; instead: pass one of {_SEGMENTS}",
    ),
    (lambda: c.flag("x", 1), InvalidTypeError, "x=1: expected True or False; instead: pass a bool"),
    (
        lambda: c.instance("env", {}, (int, str)),
        InvalidTypeError,
        "env={}: expected int or str, got dict; instead: pass an int or str",
    ),
    (
        lambda: c.instance("env", {}, int, hint="pass an int here"),
        InvalidTypeError,
        "env={}: expected int, got dict; instead: pass an int here",
    ),
    (
        lambda: c.items("names", "abc"),
        InvalidTypeError,
        "names='abc': expected a collection, got str; instead: pass a list or tuple (an empty one is fine)",
    ),
    (
        lambda: c.items("names", [1, "a"], int),
        InvalidTypeError,
        "names[1]='a': expected int, got str; instead: pass an int",
    ),
    (
        lambda: c.mapping("signals", [1]),
        InvalidTypeError,
        "signals=[1]: expected a mapping, got list; instead: pass a dict (an empty one is fine)",
    ),
    (
        lambda: c.mapping("signals", {"a": "x"}, key=c.identifier, item=c.measure),
        InvalidTypeError,
        "signals['a']='x': expected a number; instead: pass an int, float or Decimal (parse strings at the edge)",
    ),
    (
        lambda: FrozenDict(nps=9.0).update(nps=3.0),
        ImmutableError,
        "FrozenDict: is immutable; rule: values never change after construction; "
        "instead: build a new value (attrs.evolve) with the new mapping",
    ),
    (
        lambda: Segment.from_employees(-3),
        InvalidValueError,
        "employees=-3: is negative; rule: must be >= 0; instead: pass a count >= 0",
    ),
    (
        lambda: require("a..b", "frame"),
        InvalidValueError,
        "module='a..b': is not a module name; rule: an absolute, dotted module name such as 'narwhals.stable.v2'; "
        "instead: pass e.g. 'pandas'",
    ),
    (
        lambda: require("postsale_no_such_module", "polars"),
        MissingDependencyError,
        "dependency='postsale_no_such_module': postsale_no_such_module is not installed; it is needed by postsale's "
        "optional 'polars' extra; rule: the 'polars' extra is optional; instead: pip install 'postsale[polars]'",
    ),
    (
        lambda: Env(["nps"], as_of=date(2026, 11, 1)).has(5),
        InvalidTypeError,
        "name=5: expected str, got int; instead: pass a column name (a string)",
    ),
    (
        lambda: to_json({"raw": b"x"}),
        InvalidTypeError,
        "$.raw=b'x': is a bytes, which JSON cannot hold; "
        "instead: pass a postsale value, or dicts, lists, text, numbers, booleans and None",
    ),
    (
        lambda: to_data(datetime(2026, 1, 1)),
        NaiveDatetimeError,
        "datetime=datetime.datetime(2026, 1, 1, 0, 0): is a naive datetime and cannot be written; "
        "instead: attach a time zone, e.g. value.replace(tzinfo=ZoneInfo('Europe/Paris'))",
    ),
    (
        lambda: from_data(5, {}),
        InvalidTypeError,
        "cls=5: is not a type postsale can build from data; instead: pass a postsale value class",
    ),
]


@pytest.mark.parametrize(("call", "error", "message"), GOLDEN)
def test_every_check_refuses_with_its_full_message(call, error, message) -> None:
    """Each check's refusal is the documented error type with the full message: field=value, rule, what to do."""
    with pytest.raises(error) as caught:
        call()
    assert type(caught.value) is error
    assert message == str(caught.value)


# -- errors and immutable mappings ---------------------------------------------------------------------------------


def test_an_error_shows_a_rule_or_hint_of_another_type_as_text() -> None:
    """A constraint or hint given as a number is kept as its text, so every attribute of an error is a string."""
    error = InvalidValueError("is odd", field="f", value=1, constraint=5, hint=7)  # type: ignore[arg-type]
    assert ("5", "7", "f=1: is odd; rule: 5; instead: 7") == (error.constraint, error.hint, str(error))


def test_a_refused_transition_keeps_its_hint_field_and_value() -> None:
    """TransitionRefused says what to do instead and which input was refused, like every other error."""
    error = TransitionRefused(
        "refused",
        track="core",
        from_stage=Stage.ONBOARDING,
        to_stage=Stage.ADOPTION,
        missing=["go_live"],
        hint="meet go_live first",
        field="stage",
        value="ADOPTION",
    )
    assert ("meet go_live first", "stage", "ADOPTION") == (error.hint, error.field, error.value)
    assert "stage='ADOPTION': refused; instead: meet go_live first" == str(error)


def test_a_frozen_mapping_is_shared_and_any_other_mapping_copied_into_one() -> None:
    """Signals already in a FrozenDict are kept as they are; a dict is copied, so changing it later shows nowhere."""
    frozen = FrozenDict({"nps": 9.0, "churn": -2.5})
    assert frozen is c.mapping("signals", frozen, key=c.identifier, item=c.measure)
    source = {"nps": 9.0, "churn": -2.5}
    copy = c.mapping("signals", source, key=c.identifier, item=c.measure)
    source["nps"] = 1.0
    assert (FrozenDict, {"nps": 9.0, "churn": -2.5}) == (type(copy), copy)
    assert c.mapping("signals", {}, key=c.identifier, item=c.measure) is EMPTY


# -- reading and writing plain data -------------------------------------------------------------------------------


@attrs.frozen
class _Labels:
    tags: frozenset[str] = frozenset()
    ids: set[int] = attrs.field(factory=set)


class _Silent:
    """Read by a hand-written hook that fails with an exception that says nothing."""


def _fail_silently(_data: object, _type: object) -> object:
    raise ValueError


converter.register_structure_hook(_Silent, _fail_silently)


def test_a_tagged_class_is_written_with_its_kind_first_and_read_with_or_without_it() -> None:
    """A tagged class writes ``kind`` first; reading it as itself accepts its own kind or none, and its own reader."""

    @attrs.frozen
    class _Tagged:  # registered here, not at import: the registration itself is under test
        count: int
        name: str = "x"

    @attrs.frozen
    class _Doubled:
        count: int

    register_tagged(_Tagged, "tagged")
    register_tagged(_Doubled, "doubled", lambda data, _t: _Doubled(2 * data["count"]))
    assert ["kind", "count", "name"] == list(to_data(_Tagged(3)))
    assert {"kind": "tagged", "count": 3, "name": "x"} == to_data(_Tagged(3))
    assert _Tagged(3) == from_data(_Tagged, {"kind": "tagged", "count": 3}) == from_data(_Tagged, {"count": 3})
    assert _Doubled(8) == from_data(_Doubled, {"kind": "doubled", "count": 4})
    with pytest.raises(StructureError) as caught:
        from_data(_Tagged, {"kind": "doubled", "count": 3})
    assert (
        "invalid value (kind 'doubled' is not the kind of _Tagged ('tagged'); read it as the union of kinds, "
        "or write kind 'tagged')"
    ) == caught.value.problems[0].message


def test_the_written_form_says_tag_version_and_whether_the_hooks_are_hand_written() -> None:
    """Tagged classes and configurations have generated hooks; a class written by a hand-made hook is said to be."""
    from postsale.triggers import AllOf, RuleSet

    @attrs.frozen
    class _Tagged:
        count: int

    register_tagged(_Tagged, "tagged")
    assert ("tagged", None, False) == (*written_form(_Tagged)[:2], written_form(_Tagged).hand_written)
    assert ("all", None, False) == (
        written_form(AllOf).tag,
        written_form(AllOf).version,
        written_form(AllOf).hand_written,
    )
    assert (None, 1, False) == (
        written_form(RuleSet).tag,
        written_form(RuleSet).version,
        written_form(RuleSet).hand_written,
    )
    assert written_form(int).hand_written


def test_sets_in_fields_and_bare_sets_are_written_as_sorted_lists() -> None:
    """Sets are written as sorted lists wherever they are: a field typed frozenset[str] or set[int], or a bare set."""
    assert {"tags": ["a", "b"], "ids": [1, 3]} == to_data(_Labels(frozenset({"b", "a"}), {3, 1}))
    assert ["a", "b"] == to_data(frozenset({"b", "a"}))

    class _Code(int):  # types seen for the first time: the converter's choice of hook for them is under test
        pass

    class _Tags(frozenset):  # type: ignore[type-arg]
        pass

    _Fresh = attrs.make_class("_Fresh", {"codes": attrs.field(type=frozenset[_Code])}, frozen=True)
    assert {"codes": [1, 2]} == to_data(_Fresh(frozenset({_Code(2), _Code(1)})))
    assert ["a", "b"] == to_data(_Tags({"b", "a"}))


def test_a_bare_amount_reads_negative_values_and_names_a_bad_one() -> None:
    """A Decimal read on its own may be negative (a change); a malformed one is a StructureError naming it."""
    assert Decimal("-5.10") == from_data(Decimal, "-5.10")
    with pytest.raises(StructureError) as caught:
        from_data(Decimal, "abc")
    assert (
        "could not build Decimal from data (1 problem(s)):\n  - amount='abc': is not an amount of money; "
        'instead: pass digits, e.g. "120000.00" @ $\ninstead: fix the field named'
    ) == str(caught.value)


@pytest.mark.parametrize(
    ("cls", "data", "problem"),
    [
        (date, "31/01/2026", "invalid value (expected an ISO date like '2026-01-31', got '31/01/2026')"),
        (Segment, "GIANT", "invalid value (expected one of ENTERPRISE, MID_MARKET, SMB, PRODUCT_LED, got 'GIANT')"),
        (_Silent, {"count": 1}, "invalid value for type _Silent"),
    ],
)
def test_a_bad_value_read_on_its_own_is_named_at_the_top(cls, data, problem) -> None:
    """A value that is not a class of fields is refused at ``$`` with the reason, and the hint to follow the docs."""
    with pytest.raises(StructureError) as caught:
        from_data(cls, data)
    name = cls.__name__
    assert (
        f"could not build {name} from data (1 problem(s)):\n  - {problem} @ $\n"
        "instead: pass a JSON object with the documented fields"
    ) == str(caught.value)
    assert "$" == caught.value.field


def test_a_value_nested_too_deeply_to_write_is_named_at_the_top() -> None:
    """The error for a value too deep to write names ``$`` and says how deep is too deep."""
    from postsale.triggers import Not, Threshold

    condition: object = Threshold("nps", "<", 5.0)
    for _ in range(3000):
        condition = Not(condition)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError) as caught:
        to_data(condition)
    assert "$: is nested too deeply to be written (more than 200 levels); instead: build a flatter value" == str(
        caught.value
    )


# -- the columnar kernel (pandas: no thread pool, so forked mutation workers never hang) ---------------------------

pd = pytest.importorskip("pandas")
nw = pytest.importorskip("narwhals.stable.v2")


def _column(frame, expr) -> list:
    values = nw.from_native(frame).select(out=expr)["out"].to_list()
    return [None if value is None or (isinstance(value, float) and math.isnan(value)) else value for value in values]


def test_lookup_maps_each_key_to_its_value_and_unknown_keys_to_null() -> None:
    """``lookup`` is ``table[key]`` per row: Float64 by default, or the dtype asked for; null for other keys."""
    env = Env(["k"], as_of=date(2026, 11, 1))
    frame = pd.DataFrame({"k": ["a", "b", "c", "z"]})
    table = {"a": 1, "b": 2, "c": 1}
    assert [1.0, 2.0, 1.0, None] == _column(frame, lookup(env, nw.col("k"), table))
    assert nw.Float64 == nw.from_native(frame).select(out=lookup(env, nw.col("k"), table)).schema["out"]
    assert ["x", "y", None, None] == _column(frame, lookup(env, nw.col("k"), {"a": "x", "b": "y"}, nw.String))
    assert nw.Float64 == nw.from_native(frame).select(out=lookup(env, nw.col("k"), {})).schema["out"]


def test_segment_code_is_the_position_of_the_segment_and_null_for_an_unknown_one() -> None:
    """ENTERPRISE 0, MID_MARKET 1, SMB 2, PRODUCT_LED 3; an unknown name or no segment is null."""
    env = Env(["segment"], as_of=date(2026, 11, 1))
    frame = pd.DataFrame({"segment": ["SMB", "ENTERPRISE", "GIANT", None, "PRODUCT_LED", "MID_MARKET"]})
    assert [2.0, 0.0, None, None, 3.0, 1.0] == _column(frame, segment_code(env))


def test_derived_columns_are_utilisation_and_the_days_to_and_since_the_contract_dates() -> None:
    """``derived`` computes seat utilisation (null without purchased seats) and the contract days, unless present."""
    names = ["seats_purchased", "seats_active", "contract_end", "contract_start"]
    env = Env(names, as_of=date(2026, 11, 1))
    frame = pd.DataFrame(
        {
            "seats_purchased": [10.0, 0.0],
            "seats_active": [5.0, 3.0],
            "contract_end": pd.to_datetime(["2026-12-01", "2027-01-01"]),
            "contract_start": pd.to_datetime(["2026-01-01", "2026-10-31"]),
        }
    )
    derived = env.derived()
    assert ["seat_utilisation", "days_to_renewal", "days_since_start"] == list(derived)
    assert [0.5, None] == _column(frame, derived["seat_utilisation"])
    assert [30.0, 61.0] == _column(frame, derived["days_to_renewal"])
    assert [304.0, 1.0] == _column(frame, derived["days_since_start"])
    assert ["days_to_renewal"] == list(
        Env([*names, "seat_utilisation", "days_since_start"], as_of=date(2026, 11, 1)).derived()
    )


def test_the_days_to_a_start_date_read_its_computed_days_since_with_the_sign_turned() -> None:
    """With ``days_since_start`` computed, the days until ``contract_start`` are its opposite, and since it itself."""
    env = Env(["contract_start", "days_since_start"], as_of=date(2026, 11, 1), computed=["days_since_start"])
    frame = pd.DataFrame({"contract_start": pd.to_datetime(["2026-01-01"]), "days_since_start": [7.0]})
    assert [-7.0] == _column(frame, env.days_until("contract_start"))
    assert [7.0] == _column(frame, env.days_since("contract_start"))
