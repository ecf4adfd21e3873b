"""The shared vocabulary: enums, the account snapshot, and its validation."""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given

from postsale import (
    AccountSnapshot,
    HealthBand,
    InvalidTypeError,
    InvalidValueError,
    PostsaleError,
    Segment,
    Stage,
    TouchModel,
    UnknownNameError,
    signals,
)
from postsale._frozen import FrozenDict
from tests.strategies.vocabulary import snapshots

D = date(2026, 1, 31)


def test_stage_order_is_canonical() -> None:
    """Stages compare in the canonical order of domain-spec §1.1."""
    assert list(Stage) == sorted(Stage)
    assert [s.label for s in Stage] == ["Onboarding", "Adoption", "Retention", "Expansion", "Renewal", "Advocacy"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("mid-market", Segment.MID_MARKET), ("SMB", Segment.SMB), ("tech_touch", Segment.PRODUCT_LED),
     (" enterprise ", Segment.ENTERPRISE), (Segment.SMB, Segment.SMB)],
)
def test_segment_parse_accepts_names_and_aliases(text: object, expected: Segment) -> None:
    """Segments parse from their names, case- and dash-insensitively, with the tech-touch alias (A-32)."""
    assert Segment.parse(text) is expected


def test_unknown_segment_names_the_allowed_ones() -> None:
    """An unknown segment raises UnknownNameError (a LookupError) listing every segment."""
    with pytest.raises(UnknownNameError, match="ENTERPRISE, MID_MARKET, SMB, PRODUCT_LED") as info:
        Segment.parse("giant")
    assert isinstance(info.value, LookupError)
    assert info.value.field == "segment"
    assert info.value.value == "giant"


@pytest.mark.parametrize(
    ("employees", "expected"),
    [(0, Segment.SMB), (99, Segment.SMB), (100, Segment.MID_MARKET), (999, Segment.MID_MARKET),
     (1000, Segment.ENTERPRISE)],
)
def test_segment_from_employees_boundaries(employees: int, expected: Segment) -> None:
    """Head-count bands: < 100 SMB, 100-999 mid-market, >= 1000 enterprise (domain-spec A-8)."""
    assert Segment.from_employees(employees) is expected


def test_segment_from_negative_employees_is_refused() -> None:
    """A negative head-count is an error naming the field."""
    with pytest.raises(InvalidValueError, match="employees"):
        Segment.from_employees(-1)


def test_stage_parse_by_ordinal_and_name() -> None:
    """Stages parse from 1-6 ordinals and names."""
    assert Stage.parse(2) is Stage.ADOPTION
    assert Stage.parse("advocacy") is Stage.ADVOCACY
    with pytest.raises(UnknownNameError):
        Stage.parse(7)


@pytest.mark.parametrize(("text", "expected"), [("high", TouchModel.HIGH), ("TECH_TOUCH", TouchModel.TECH),
                                                ("low-touch", TouchModel.LOW), ("Hybrid", TouchModel.HYBRID)])
def test_touch_model_parse(text: str, expected: TouchModel) -> None:
    """Touch models parse with or without the _TOUCH suffix."""
    assert TouchModel.parse(text) is expected


def test_touch_model_intensity() -> None:
    """Intensity orders TECH < LOW < HIGH; HYBRID has none."""
    assert TouchModel.TECH.intensity < TouchModel.LOW.intensity < TouchModel.HIGH.intensity  # type: ignore[operator]
    assert TouchModel.HYBRID.intensity is None


@pytest.mark.parametrize(
    ("score", "band"),
    [(0, HealthBand.RED), (39.99, HealthBand.RED), (40, HealthBand.YELLOW), (69.99, HealthBand.YELLOW),
     (70, HealthBand.GREEN), (100, HealthBand.GREEN)],
)
def test_health_band_boundaries(score: float, band: HealthBand) -> None:
    """GREEN >= 70, YELLOW 40-69, RED < 40 (DESIGN.md), thresholds inclusive."""
    assert HealthBand.of(score) is band
    assert HealthBand.parse(band.name) is band


def test_snapshot_derives_utilisation_and_contract_days() -> None:
    """Evidence adds seats, utilisation, ACV and contract days to the signals."""
    snap = AccountSnapshot("a", "SMB", D, acv=1200, contract_start=date(2026, 1, 1), contract_end=date(2026, 12, 31),
                           seats_purchased=10, seats_active=7, signals={signals.LOGINS_WEEK: 3})
    ev = snap.evidence()
    assert ev == {"acv": 1200.0, "seats_purchased": 10.0, "seats_active": 7.0, "seat_utilisation": 0.7,
                  "days_to_renewal": 334.0, "days_since_start": 30.0, "logins_week": 3.0}
    assert snap.days_to_renewal == 334
    assert snap.days_since_start == 30
    assert snap.signal("seat_utilisation") == 0.7
    assert snap.signal("logins_week") == 3.0
    assert snap.signal("nps", -1.0) == -1.0


def test_snapshot_without_seats_or_contract_has_no_derived_values() -> None:
    """No seats purchased: utilisation is None, not 0; no contract: no contract days."""
    snap = AccountSnapshot("a", Segment.SMB, D)
    assert snap.seat_utilisation is None
    assert snap.days_to_renewal is None
    assert snap.days_since_start is None
    assert "seat_utilisation" not in snap.evidence()


def test_snapshot_money_is_exact_decimal() -> None:
    """ACV is stored as an exact Decimal whatever exact form it is given in."""
    assert AccountSnapshot("a", "SMB", D, acv="120000.10").acv == Decimal("120000.10")
    assert AccountSnapshot("a", "SMB", D, acv=0.1).acv == Decimal("0.1")


def test_snapshot_is_immutable_and_hashable() -> None:
    """Snapshots are frozen; their signals cannot be mutated; they hash."""
    snap = AccountSnapshot("a", "SMB", D, signals={"x": 1})
    assert isinstance(snap.signals, FrozenDict)
    with pytest.raises(AttributeError):
        snap.acv = Decimal(1)  # type: ignore[misc]
    with pytest.raises(TypeError):
        snap.signals["x"] = 2  # type: ignore[index]
    assert hash(snap) == hash(AccountSnapshot("a", "SMB", D, signals={"x": 1}))


@pytest.mark.parametrize(
    ("kwargs", "field", "error"),
    [
        ({"acv": -1}, "acv", InvalidValueError),
        ({"acv": "abc"}, "acv", InvalidValueError),
        ({"acv": True}, "acv", InvalidTypeError),
        ({"acv": math.nan}, "acv", InvalidValueError),
        ({"acv": [1]}, "acv", InvalidTypeError),
        ({"seats_purchased": -1}, "seats_purchased", InvalidValueError),
        ({"seats_active": 1.5}, "seats_active", InvalidTypeError),
        ({"signals": {"logins_week": math.nan}}, "signals['logins_week']", InvalidValueError),
        ({"signals": {"logins_week": "12"}}, "signals['logins_week']", InvalidTypeError),
        ({"signals": [1, 2]}, "signals", InvalidTypeError),
        ({"signals": {"": 1}}, "signals key", InvalidValueError),
        ({"labels": {"csm": 3}}, "labels['csm']", InvalidTypeError),
        ({"time_zone": "Mars/Olympus"}, "time_zone", UnknownNameError),
        ({"time_zone": 9}, "time_zone", InvalidTypeError),
        ({"contract_start": date(2026, 2, 1), "contract_end": date(2026, 2, 1)}, "contract_end", InvalidValueError),
        ({"contract_start": datetime(2026, 2, 1)}, "contract_start", InvalidTypeError),
        ({"parent_id": " "}, "parent_id", InvalidValueError),
    ],
)
def test_snapshot_refuses_bad_input_naming_the_field(kwargs: dict[str, object], field: str, error: type) -> None:
    """Every bad field raises a PostsaleError subclass that names it; nothing is coerced silently."""
    with pytest.raises(error) as info:
        AccountSnapshot("a", "SMB", D, **kwargs)  # type: ignore[arg-type]
    assert isinstance(info.value, PostsaleError)
    assert info.value.field == field
    assert field in str(info.value)


def test_snapshot_refuses_blank_id_and_datetime_as_of() -> None:
    """The identity must be non-blank and as_of a date."""
    with pytest.raises(InvalidValueError, match="account_id"):
        AccountSnapshot(" ", "SMB", D)
    with pytest.raises(InvalidTypeError, match="as_of"):
        AccountSnapshot("a", "SMB", datetime(2026, 1, 1))  # type: ignore[arg-type]


def test_margin_given_as_percent_gets_a_hint() -> None:
    """A share written as a percentage (80 for 80 %) is refused with the fraction to use instead."""
    from postsale import _checks

    with pytest.raises(InvalidValueError, match=r"instead: write 0.8 for 80"):
        _checks.ratio("margin", 80)
    with pytest.raises(InvalidValueError, match="pass a fraction"):
        _checks.ratio("margin", 150)
    assert _checks.ratio("margin", 0.5) == 0.5


@given(snapshots())
def test_well_known_signals_are_strings(snap: AccountSnapshot) -> None:
    """Every generated snapshot's evidence covers its signals (evidence never drops a given signal)."""
    ev = snap.evidence()
    assert all(ev[k] == v for k, v in snap.signals.items())
