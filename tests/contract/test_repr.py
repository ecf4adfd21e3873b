"""Every public value prints as one readable, bounded line (``postsale._repr.readable``).

Discovered from the public API like the round trips, so a new type is covered automatically.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from postsale import AccountSnapshot, Contract, review_account
from postsale._repr import readable
from postsale.adapters.sample import sample_portfolio
from postsale.cadence import FrequencyCap, Window
from postsale.triggers import Threshold
from tests.strategies.discovered import public_name, public_types, values_of

per_type = settings(max_examples=5, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

MAX_REPR = 2_000
"""No generated value of any public type prints longer than this (the longest seen is about 500)."""

_OWN_REPR = {"Journey"}
"""Types with a summary of their own (``Journey('acme', SMB, tracks: core=ADOPTION, events=3)``)."""


@pytest.mark.parametrize("cls", [c for c in public_types() if attrs.has(c)], ids=public_name)
def test_every_value_prints_as_one_bounded_line_without_python_noise(cls: type[Any]) -> None:
    """One line, the class's name first, at most 2 000 characters, enums and dates written as a person reads them."""

    @per_type
    @given(values_of(cls))
    def check(value: Any) -> None:
        text = repr(value)
        assert "\n" not in text
        assert len(text) <= MAX_REPR
        assert text.startswith(f"{cls.__name__}(")
        assert "datetime.date(" not in text and "datetime.datetime(" not in text
        assert ": '" not in text.split("'")[0]  # no <Segment.SMB: 'smb'> before the first quoted text

    if cls.__name__ not in _OWN_REPR:
        assert cls.__repr__ is readable
    check()


def test_fields_at_their_default_are_left_out_and_set_ones_kept() -> None:
    assert repr(FrequencyCap(3)) == "FrequencyCap(max_touches=3)"
    assert repr(FrequencyCap(3, period="MONTH")) == "FrequencyCap(max_touches=3, period=Period.MONTH)"
    assert repr(Threshold("nps", "<", 6.5)) == "Threshold(signal='nps', op='<', threshold=6.5)"


def test_dates_are_iso_enums_by_name_and_money_as_written() -> None:
    snapshot = AccountSnapshot("acme", "ENTERPRISE", date(2026, 12, 4), acv=Decimal("120000.50"))
    assert repr(snapshot) == ("AccountSnapshot(account_id='acme', segment=Segment.ENTERPRISE, as_of=2026-12-04, "
                              "acv=120000.50)")
    assert repr(Window(date(2026, 4, 1), date(2026, 6, 30))) == "Window(start=2026-04-01, end=2026-06-30)"


def test_a_time_of_day_is_written_to_the_minute_with_its_offset() -> None:
    from postsale.triggers import Outcome

    outcome = Outcome("acme", "CHURNED", date(2026, 3, 1))
    assert repr(outcome) == "Outcome(account_id='acme', kind=OutcomeKind.CHURNED, on=2026-03-01)"
    alert_time = datetime(2026, 12, 4, 9, 30, tzinfo=UTC)
    from postsale._repr import _READABLE

    assert _READABLE.repr1(alert_time, 3) == "2026-12-04T09:30+00:00"


def test_a_flag_set_to_zero_like_values_is_still_shown() -> None:
    """False is not the default 0 and 0 is not the default False: each is shown when it differs in kind."""
    from postsale._repr import _is_default

    zero = attrs.Attribute.from_counting_attr("n", attrs.field(default=0), None)  # type: ignore[attr-defined]
    flag = attrs.Attribute.from_counting_attr("b", attrs.field(default=False), None)  # type: ignore[attr-defined]
    assert _is_default(zero, 0) and _is_default(flag, False)
    assert not _is_default(zero, False) and not _is_default(flag, 0)


def test_long_text_is_cut_with_its_length_and_long_collections_with_their_count() -> None:
    snapshot = AccountSnapshot("x" * 200, "SMB", date(2026, 1, 1),
                               signals={f"s{i}": float(i) for i in range(10)})
    text = repr(snapshot)
    assert f"account_id='{'x' * 79}'...(200 characters)" in text
    assert "'s5': 5.0, ...}" in text
    contract = Contract("acme", "SMB", date(2026, 1, 1), date(2026, 12, 31), 1000)
    assert "amendments" not in repr(contract)  # empty, its default


def test_one_account_review_prints_in_under_2000_characters_and_names_what_matters() -> None:
    """The review that used to print in many kilobytes: the health, renewal and forecast read at a glance."""
    sample = sample_portfolio(3, seed=1)
    review = review_account(sample.snapshots()[0])
    text = repr(review)
    assert len(text) < MAX_REPR
    assert "band=HealthBand.GREEN" in text and "state=RenewalState.UPCOMING" in text
    assert "components=(... 4 items)" in text  # two levels down: counted, not written out
    assert "alerts=(Alert(...),)" in text
    assert repr(review.health).count("ComponentResult(...)") == 4


def test_a_values_repr_never_raises_for_a_field_that_cannot_compare() -> None:
    """A default comparison that fails only means the field is shown."""
    from postsale._repr import _is_default

    class Odd:
        def __eq__(self, other: object) -> bool:
            raise RuntimeError("no")

        __hash__ = object.__hash__

    field = attrs.Attribute.from_counting_attr("o", attrs.field(default=1), None)  # type: ignore[attr-defined]
    assert not _is_default(field, Odd())


def test_the_engine_and_compiled_rules_print_their_rule_set() -> None:
    from postsale import Engine
    from postsale.health import DEFAULT_HEALTH_MODEL
    from postsale.triggers import CATALOG

    assert repr(Engine(CATALOG)) == f"Engine(rule_set='{CATALOG.version}', rules=12, health_model=None)"
    assert repr(Engine(CATALOG, health_model=DEFAULT_HEALTH_MODEL)).endswith("health_model='postsale-cs')")
    ids = [r.id for r in CATALOG.rules]
    assert repr(CATALOG.compile()) == f"CompiledRules(rule_set='{CATALOG.version}', rules={ids!r})"
