"""``HealthModel.value``: the score's value alone, for code (the trigger engine) that needs only the number."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postsale import AccountSnapshot, InvalidTypeError, InvalidValueError
from postsale.health import BASIC_HEALTH_MODEL, DEFAULT_HEALTH_MODEL, NoHealthDataError
from tests.columnar.test_health_forms import models, rows_for, snapshot


@settings(max_examples=60)
@given(st.data())
def test_value_is_the_scores_value_to_the_last_bit_or_none_without_data(data: st.DataObject) -> None:
    """Random models (trends, composites, policies) on random rows: ``value`` is ``score().value`` exactly,
    ``None`` where ``score`` finds no usable data, and refuses exactly what ``score`` refuses."""
    model = data.draw(models())
    rows, _ = data.draw(rows_for(model))
    for row in rows:
        snap = snapshot(row)
        try:
            expected: float | None = model.score(snap).value
        except NoHealthDataError:
            expected = None
        except InvalidValueError as error:
            with pytest.raises(InvalidValueError) as caught:
                model.value(snap)
            assert (error.field, str(error)) == (caught.value.field, str(caught.value))
            continue
        assert expected == model.value(snap)


@pytest.mark.parametrize("model", [DEFAULT_HEALTH_MODEL, BASIC_HEALTH_MODEL])
def test_value_of_the_shipped_models_on_the_sample(model: object) -> None:
    """Both shipped models give, on every account of the sample, the value their full score gives."""
    from postsale.adapters.sample import sample_portfolio

    portfolio = sample_portfolio(60)
    for account in portfolio.active:
        snap = account.snapshot_on(portfolio.as_of)
        assert model.score(snap).value == model.value(snap)  # type: ignore[attr-defined]


def test_value_refuses_what_is_not_a_snapshot() -> None:
    with pytest.raises(InvalidTypeError, match="expected an AccountSnapshot"):
        DEFAULT_HEALTH_MODEL.value({"nps": 9})  # type: ignore[arg-type]


def test_value_is_none_when_no_component_has_data() -> None:
    assert DEFAULT_HEALTH_MODEL.value(AccountSnapshot("quiet", "SMB", date(2026, 3, 2))) is None
