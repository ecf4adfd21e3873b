"""Wrong-typed arguments to the renewal state order give a PostsaleError naming the argument, never a builtin one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import narwhals.stable.v2 as nw
import pytest

from postsale import HealthBand, InvalidTypeError, UnknownNameError
from postsale._columnar import Env
from postsale.renewal import (
    DEFAULT_WIDENING,
    ENTERPRISE_PLAYBOOK,
    SMB_PLAYBOOK,
    RenewalState,
    Runway,
    StateOrder,
    StatusFlag,
)

RUNWAY = Runway.of(ENTERPRISE_PLAYBOOK)
ENV = Env(["segment", "band", "contract_start", "contract_end"], as_of=date(2026, 11, 1))


@pytest.mark.parametrize("days", [None, "30", 30.0, True, [], Decimal("sNaN")])
def test_runway_state_and_flags_refuse_days_that_are_not_an_int(days: Any) -> None:
    """state, flags and StateOrder.state name ``days_to_renewal`` when it is not a whole number of days."""
    for call in (lambda: RUNWAY.state(days), lambda: RUNWAY.flags(days),
                 lambda: RUNWAY.state(days, flags=frozenset()), lambda: StateOrder().state(days, segment="SMB")):
        with pytest.raises(InvalidTypeError) as info:
            call()
        assert "days_to_renewal" == info.value.field


def test_runway_state_reads_any_collection_of_flags_and_refuses_anything_else() -> None:
    """A list of flags is read like a frozenset; a date or a string is refused naming ``flags`` (or ``flags[i]``)."""
    assert RenewalState.LATE_START == RUNWAY.state(100, flags=[StatusFlag.LATE_START])
    for flags, field in ((date(2026, 1, 1), "flags"), ("late_start", "flags"), (["late_start"], "flags[0]")):
        with pytest.raises(InvalidTypeError) as info:
            RUNWAY.state(100, flags=flags)
        assert field == info.value.field


@pytest.mark.parametrize(("arguments", "field"), [
    ({"playbook": Decimal("sNaN")}, "playbook"),
    ({"playbook": SMB_PLAYBOOK, "widening": 2}, "widening"),
])
def test_runway_of_refuses_what_is_not_a_playbook_or_a_widening(arguments: dict[str, Any], field: str) -> None:
    """Runway.of names the argument of the wrong type."""
    with pytest.raises(InvalidTypeError) as info:
        Runway.of(**arguments)
    assert field == info.value.field


@pytest.mark.parametrize("health", [{}, [], "PURPLE", 3.5])
def test_a_health_that_is_not_a_band_is_an_unknown_name(health: Any) -> None:
    """Runway.of (widened or not) and RunwayWidening.widens refuse a health that names no band."""
    for call in (lambda: Runway.of(SMB_PLAYBOOK, health=health), lambda: DEFAULT_WIDENING.widens(SMB_PLAYBOOK, health),
                 lambda: Runway.of(SMB_PLAYBOOK, health=health, widening=None)):
        with pytest.raises(UnknownNameError) as info:
            call()
        assert "health" == info.value.field


def test_a_health_band_name_widens_like_the_band() -> None:
    """``health="red"`` is read as HealthBand.RED."""
    assert Runway.of(SMB_PLAYBOOK, health="red") == Runway.of(SMB_PLAYBOOK, health=HealthBand.RED)
    assert DEFAULT_WIDENING.widens(SMB_PLAYBOOK, "RED")


def test_widens_refuses_what_is_not_a_playbook() -> None:
    """RunwayWidening.widens names ``playbook``."""
    with pytest.raises(InvalidTypeError) as info:
        DEFAULT_WIDENING.widens("", HealthBand.RED)  # type: ignore[arg-type]
    assert "playbook" == info.value.field


@pytest.mark.parametrize("env", [(), {}, 0, None])
def test_columnar_forms_refuse_what_is_not_an_env(env: Any) -> None:
    """Runway.expr, StateOrder.days, .stage and .expr name ``env``."""
    order = StateOrder()
    for call in (lambda: RUNWAY.expr(env, nw.col("days")), lambda: order.days(env), lambda: order.stage(env),
                 lambda: order.expr(env), lambda: order.expr(env, nw.col("days"))):
        with pytest.raises(InvalidTypeError) as info:
            call()
        assert "env" == info.value.field


@pytest.mark.parametrize("days", [2, "days", [2]])
def test_columnar_forms_refuse_days_that_are_not_an_expression(days: Any) -> None:
    """Runway.expr and StateOrder.expr name ``days`` when it is not a narwhals expression."""
    for call in (lambda: RUNWAY.expr(ENV, days), lambda: StateOrder().expr(ENV, days)):
        with pytest.raises(InvalidTypeError) as info:
            call()
        assert "days" == info.value.field
