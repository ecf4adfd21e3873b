"""Validation of a touch configuration: every problem found, at once, with its path (private)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from postsale import _checks
from postsale._errors import Problem
from postsale._vocabulary import Segment, TouchModel
from postsale.touch._profile import Complexity, GrowthStage, Positioning

if TYPE_CHECKING:  # pragma: no cover - typing only
    from postsale.touch._config import Coverage, ModelBand, TouchConfig

SCORED_MODELS: Final = (TouchModel.TECH, TouchModel.LOW, TouchModel.HIGH)
"""The models a score can give, least intense first (HYBRID is a portfolio outcome)."""


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return False
    return (
        math.isfinite(value) if isinstance(value, float) else not (isinstance(value, Decimal) and not value.is_finite())
    )


def _check_points(path: str, value: Any, out: list[Problem]) -> bool:
    if not _is_int(value) or not 1 <= value <= 5:
        out.append(Problem(path, f"points must be a whole number from 1 to 5, got {value!r}"))
        return False
    return True


def _check_bands(
    name: str,
    bands: Sequence[Any],
    value_of: Callable[[Any], Any],
    out: list[Problem],
    *,
    rising: bool | None,
    upper_limit: float | None = None,
    value_type: type | None = None,
) -> None:
    """Check lower-inclusive / upper-exclusive bands: from 0, contiguous, open at the top, monotone points."""
    if not bands:
        out.append(Problem(f"$.{name}", "needs at least one band"))
        return
    previous_upper: Any = 0
    previous_points: int | None = None
    for i, band in enumerate(bands):
        path = f"$.{name}[{i}]"
        lower, upper = band.lower, band.upper
        if not _is_number(lower) or (upper is not None and not _is_number(upper)):
            out.append(Problem(f"{path}.lower", f"band edges must be finite numbers, got {lower!r} and {upper!r}"))
            return
        if value_type is not None and not (
            isinstance(lower, value_type) and (upper is None or isinstance(upper, value_type))
        ):
            out.append(
                Problem(f"{path}.lower", f"band edges must be {value_type.__name__}, got {lower!r} and {upper!r}")
            )
            return
        if i == 0 and lower != 0:
            out.append(Problem(f"{path}.lower", f"the first band must start at 0, got {lower!r}"))
        elif i > 0 and previous_upper is not None and lower > previous_upper:
            out.append(
                Problem(f"{path}.lower", f"leaves a gap after the band before it ({previous_upper!r} to {lower!r})")
            )
        elif i > 0 and previous_upper is not None and lower < previous_upper:
            out.append(
                Problem(
                    f"{path}.lower", f"overlaps the band before it (starts at {lower!r}, it ends at {previous_upper!r})"
                )
            )
        elif i > 0 and previous_upper is None:
            out.append(Problem(f"{path}.lower", "follows an open-ended band (only the last band may have upper=None)"))
        if upper is not None and upper <= lower:
            out.append(Problem(f"{path}.upper", f"must be above lower={lower!r}, got {upper!r}"))
        if upper_limit is not None and (lower > upper_limit or (upper is not None and upper > upper_limit)):
            out.append(Problem(f"{path}.upper", f"band edges must lie in [0, {upper_limit!r}] (a share, 0.7 = 70 %)"))
        if i == len(bands) - 1 and upper is not None:
            out.append(Problem(f"{path}.upper", f"the last band must be open (upper=None), got {upper!r}"))
        previous_upper = upper
        value = value_of(band)
        if rising is not None and _is_int(value):
            if previous_points is not None and (value < previous_points if rising else value > previous_points):
                trend = "fall" if rising else "rise"
                out.append(
                    Problem(
                        f"{path}.points", f"points must not {trend} as the input rises ({previous_points} then {value})"
                    )
                )
            previous_points = value


def _check_mapping(
    name: str, mapping: Mapping[Any, Any], members: Sequence[Any], out: list[Problem], *, ordered: bool
) -> None:
    missing = [m.name for m in members if m not in mapping]
    if missing:
        out.append(Problem(f"$.{name}", f"points missing for {', '.join(missing)}"))
    for key, value in mapping.items():
        label = getattr(key, "name", repr(key))
        if key not in members:
            out.append(
                Problem(f"$.{name}[{label}]", f"unknown key {key!r}; use one of {', '.join(m.name for m in members)}")
            )
            continue
        _check_points(f"$.{name}[{label}]", value, out)
    if ordered and not missing:
        values = [mapping[m] for m in members]
        if all(_is_int(v) for v in values) and any(a > b for a, b in itertools.pairwise(values)):
            out.append(
                Problem(f"$.{name}", f"points must not fall from {members[0].name} to {members[-1].name}, got {values}")
            )


def _check_models(bands: Sequence[ModelBand], out: list[Problem]) -> None:
    if not bands:
        out.append(Problem("$.model_bands", "needs at least one band"))
        return
    for i, band in enumerate(bands):
        path = f"$.model_bands[{i}]"
        if not (_is_int(band.lower) and _is_int(band.upper)):
            out.append(Problem(f"{path}.lower", f"totals must be whole numbers, got {band.lower!r} and {band.upper!r}"))
            return
        if band.model not in SCORED_MODELS:
            out.append(
                Problem(
                    f"{path}.model", f"must be HIGH, LOW or TECH (HYBRID is a portfolio outcome), got {band.model!r}"
                )
            )
        if band.upper < band.lower:
            out.append(Problem(f"{path}.upper", f"must be >= lower={band.lower}, got {band.upper}"))
        if i > 0:
            before = bands[i - 1]
            if band.lower <= before.upper:
                out.append(
                    Problem(
                        f"{path}.lower",
                        f"overlaps the band before it (starts at {band.lower}, "
                        f"the previous one ends at {before.upper})",
                    )
                )
            elif band.lower > before.upper + 1:
                out.append(
                    Problem(
                        f"{path}.lower",
                        f"leaves a gap after the band before it "
                        f"(totals {before.upper + 1}-{band.lower - 1} have no model)",
                    )
                )
            if (
                before.model in SCORED_MODELS
                and band.model in SCORED_MODELS
                and SCORED_MODELS.index(band.model) < SCORED_MODELS.index(before.model)
            ):
                out.append(
                    Problem(
                        f"{path}.model",
                        f"a higher total must not give a less intense model "
                        f"({before.model.name} then {band.model.name})",
                    )
                )


def _check_share(path: str, value: Any, out: list[Problem]) -> bool:
    # an int is always finite (math.isfinite(10**400) would overflow converting it to a float)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (
        isinstance(value, float) and not math.isfinite(value)
    ):
        out.append(Problem(path, f"must be a finite number, got {value!r}"))
        return False
    if not 0 <= value <= 1:
        out.append(Problem(path, f"a share is a fraction in [0, 1] (0.1 = 10 %), got {_checks.shown(value)!r}"))
        return False
    return True


def _check_money(path: str, value: Any, out: list[Problem]) -> None:
    if not isinstance(value, Decimal) or not value.is_finite():
        out.append(Problem(path, f"money must be a finite Decimal, got {value!r}"))
    elif value < 0:
        out.append(Problem(path, f"money must be >= 0, got {value}"))


def _check_coverage(items: Sequence[Coverage], out: list[Problem]) -> None:
    seen = [c.model for c in items]
    for model in SCORED_MODELS:
        if seen.count(model) != 1:
            out.append(Problem("$.coverage", f"needs exactly one entry for {model.name}, found {seen.count(model)}"))
    for i, item in enumerate(items):
        path = f"$.coverage[{i}]"
        if item.model not in SCORED_MODELS:
            out.append(Problem(f"{path}.model", f"must be HIGH, LOW or TECH, got {item.model!r}"))
        for field in ("accounts_per_csm", "ratio_from"):
            value = getattr(item, field)
            if not _is_int(value) or value < 1:
                out.append(Problem(f"{path}.{field}", f"must be a whole number >= 1, got {value!r}"))
        for field in ("csm_salary", "spend_from", "spend_to"):
            _check_money(f"{path}.{field}", getattr(item, field), out)
        if (
            isinstance(item.spend_from, Decimal)
            and isinstance(item.spend_to, Decimal)
            and item.spend_from > item.spend_to
        ):
            out.append(Problem(f"{path}.spend_to", f"must be >= spend_from={item.spend_from}, got {item.spend_to}"))
    ordered = sorted(
        (c for c in items if c.model in SCORED_MODELS and _is_int(c.ratio_from)),
        key=lambda c: SCORED_MODELS.index(c.model),
    )
    for lower, higher in itertools.pairwise(ordered):
        if lower.ratio_from <= higher.ratio_from:
            out.append(
                Problem(
                    "$.coverage",
                    f"ratio_from must fall as the model gets more intense "
                    f"({lower.model.name} {lower.ratio_from} <= {higher.model.name} {higher.ratio_from})",
                )
            )


def _validate(config: TouchConfig) -> list[Problem]:
    out: list[Problem] = []
    _check_bands("acv_bands", config.acv_bands, lambda b: b.points, out, rising=True, value_type=Decimal)
    _check_bands("margin_bands", config.margin_bands, lambda b: b.points, out, rising=True, upper_limit=1.0)
    _check_bands("employee_bands", config.employee_bands, lambda b: b.segment, out, rising=None, value_type=int)
    _check_bands("ratio_bands", config.ratio_bands, lambda b: b.points, out, rising=False)
    _check_bands("stage_bands", config.stage_bands, lambda b: b.stage, out, rising=None, value_type=int)
    for name in ("acv_bands", "margin_bands", "ratio_bands"):
        for i, band in enumerate(getattr(config, name)):
            _check_points(f"$.{name}[{i}].points", band.points, out)
    stages = [b.stage for b in config.stage_bands]
    if any(_is_int(a) and _is_int(b) and a > b for a, b in itertools.pairwise(stages)):
        out.append(Problem("$.stage_bands", "stages must not go back as the customer count rises"))
    _check_mapping("segment_points", config.segment_points, list(Segment), out, ordered=False)
    _check_mapping("complexity_points", config.complexity_points, list(Complexity), out, ordered=True)
    _check_mapping("positioning_points", config.positioning_points, list(Positioning), out, ordered=True)
    _check_mapping("stage_points", config.stage_points, list(GrowthStage), out, ordered=False)
    _check_models(config.model_bands, out)
    overrides = config.overrides
    if not isinstance(overrides.economics_ceiling, bool):
        out.append(
            Problem("$.overrides.economics_ceiling", f"must be True or False, got {overrides.economics_ceiling!r}")
        )
    for field in ("complex_product_floor", "enterprise_model", "competitor_floor"):
        value = getattr(overrides, field)
        if value is not None and value not in SCORED_MODELS:
            out.append(Problem(f"$.overrides.{field}", f"must be HIGH, LOW or TECH, got {value!r}"))
    _check_coverage(config.coverage, out)
    _check_share("$.cs_budget_share", config.cs_budget_share, out)
    low_ok = _check_share("$.healthy_from", config.healthy_from, out)
    high_ok = _check_share("$.healthy_to", config.healthy_to, out)
    if low_ok and high_ok and config.healthy_from > config.healthy_to:
        out.append(
            Problem("$.healthy_from", f"must be <= healthy_to={config.healthy_to!r}, got {config.healthy_from!r}")
        )
    policy = config.migration
    if not _is_int(policy.margin_points) or policy.margin_points < 0:
        out.append(Problem("$.migration.margin_points", f"must be a whole number >= 0, got {policy.margin_points!r}"))
    if not _is_int(policy.commitment_months) or policy.commitment_months < 0:
        out.append(
            Problem("$.migration.commitment_months", f"must be a whole number >= 0, got {policy.commitment_months!r}")
        )
    return out


# -- field checks of the touch context's result values (each raises a PostsaleError naming the field) ----------


def is_a(cls: type | tuple[type, ...], *, optional: bool = False) -> Any:
    """An attrs validator: an instance of ``cls`` (or ``None`` when ``optional``)."""

    def check(field: str, value: Any) -> None:
        if not (optional and value is None):
            _checks.instance(field, value, cls)

    return _checks.validator(check)


def whole() -> Any:
    """An attrs validator: a whole number >= 0."""
    return _checks.validator(_checks.count)


def optional_whole() -> Any:
    """An attrs validator: a whole number >= 0, or ``None``."""
    return _checks.optional_validator(_checks.count)


def share() -> Any:
    """An attrs validator: a finite number >= 0 (a share or a ratio)."""
    return _checks.validator(_checks.non_negative)
