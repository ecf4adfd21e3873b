"""Touch configuration as plain data: bands, points, ratios, salaries, overrides (domain-spec §2, §11).

Every default number of the touch context is defined here once, with its source. A :class:`TouchConfig`
validates when it is built and reports every problem at once (:class:`~postsale.DefinitionError`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final, TypeVar

import attrs

from postsale._errors import DefinitionError, Problem
from postsale._frozen import FrozenDict, freeze
from postsale._vocabulary import Segment, TouchModel
from postsale.touch._cost_share import HEALTHY_COST_SHARE_FROM, HEALTHY_COST_SHARE_TO
from postsale.touch._profile import Complexity, GrowthStage, Positioning

__all__ = [
    "CS_BUDGET_SHARE",
    "DEFAULT_CONFIG",
    "MIGRATION_MARGIN_POINTS",
    "MIN_COMMITMENT_MONTHS",
    "AcvBand",
    "Coverage",
    "MigrationPolicy",
    "ModelBand",
    "OverrideSettings",
    "PointsBand",
    "SegmentBand",
    "StageBand",
    "TouchConfig",
]

K = TypeVar("K")

CS_BUDGET_SHARE: Final = 0.10
"""Target CS budget as a share of revenue (domain-spec §2.5 worked examples, A-25)."""
MIN_COMMITMENT_MONTHS: Final = 12
"""Commit to a tier for at least this long before migrating (domain-spec §2.12 mistake 4: 12-18 months)."""
MIGRATION_MARGIN_POINTS: Final = 1
"""Hysteresis: a score must pass a model band edge by this many points to migrate (PROPOSAL, DESIGN.md)."""

_HIGH_FROM: Final = 20  # domain-spec §2.8, A-1: >= 20 HIGH
_LOW_FROM: Final = 12  # domain-spec §2.8, A-1: 12-19 LOW, 6-11 TECH


@attrs.frozen
class AcvBand:
    """ACV from ``lower`` (inclusive) to ``upper`` (exclusive; ``None`` = open) scores ``points``."""

    lower: Decimal
    upper: Decimal | None
    points: int


@attrs.frozen
class PointsBand:
    """A number from ``lower`` (inclusive) to ``upper`` (exclusive; ``None`` = open) scores ``points``."""

    lower: float
    upper: float | None
    points: int


@attrs.frozen
class SegmentBand:
    """An employee count from ``lower`` (inclusive) to ``upper`` (exclusive; ``None`` = open) is ``segment``."""

    lower: int
    upper: int | None
    segment: Segment


@attrs.frozen
class StageBand:
    """A customer count from ``lower`` (inclusive) to ``upper`` (exclusive; ``None`` = open) is ``stage``."""

    lower: int
    upper: int | None
    stage: GrowthStage


@attrs.frozen
class ModelBand:
    """Totals from ``lower`` to ``upper`` (both inclusive) give ``model`` (domain-spec §2.8, A-1)."""

    lower: int
    upper: int
    model: TouchModel


@attrs.frozen
class Coverage:
    """How a touch model is staffed and what it costs (domain-spec §2.2, §2.9, §2.10).

    Attributes:
        model: HIGH, LOW or TECH.
        accounts_per_csm: Planning ratio (the N of 1:N) used for cost and head-count.
        csm_salary: Fully loaded yearly cost of one CSM.
        ratio_from: Smallest ratio typical of the model (a given ratio at or above it implies the model,
            checked from the least intense model down).
        spend_from: Lower end of the typical CS spend per customer per year (guidance, domain-spec I-17).
        spend_to: Upper end of that spend (guidance).
    """

    model: TouchModel
    accounts_per_csm: int
    csm_salary: Decimal
    ratio_from: int
    spend_from: Decimal
    spend_to: Decimal


@attrs.frozen
class OverrideSettings:
    """The built-in overrides layered over the score (domain-spec §2.3, §2.4, §2.6); ``None`` disables one.

    Attributes:
        complex_product_from: Complexity from which a product is "genuinely complex" (domain-spec §2.3).
        complex_product_floor: The least intense model a genuinely complex product may get.
        enterprise_model: Model floor for ENTERPRISE customers ("high-touch is mandatory", §2.4).
        competitor_floor: Model floor when a competitor offers dedicated CSMs at the same price (§2.6).
    """

    complex_product_from: Complexity | None = Complexity.HIGH
    complex_product_floor: TouchModel = TouchModel.LOW
    enterprise_model: TouchModel | None = TouchModel.HIGH
    competitor_floor: TouchModel | None = TouchModel.LOW


@attrs.frozen
class MigrationPolicy:
    """Tier-migration hysteresis (domain-spec §2.11 "migration rules", §2.12 mistake 4).

    Attributes:
        margin_points: How far (in score points) a total must pass a band edge before the tier changes.
        commitment_months: Minimum months in a tier before it may change.
    """

    margin_points: int = MIGRATION_MARGIN_POINTS
    commitment_months: int = MIN_COMMITMENT_MONTHS


def _frozen_mapping(value: Mapping[K, int]) -> Mapping[K, int]:
    return value if type(value) is FrozenDict else freeze(dict(value))


_D = Decimal


def _default_acv() -> tuple[AcvBand, ...]:
    # domain-spec §2.2, §2.8, A-8, I-16: < $10K -> 1, $10K to < $100K -> 3, >= $100K -> 5
    return (AcvBand(_D(0), _D(10_000), 1), AcvBand(_D(10_000), _D(100_000), 3), AcvBand(_D(100_000), None, 5))


def _default_margin() -> tuple[PointsBand, ...]:
    # domain-spec §2.5, G8, A-8: < 50 % -> 1, 50 % to < 70 % -> 3, >= 70 % -> 5
    return (PointsBand(0.0, 0.5, 1), PointsBand(0.5, 0.7, 3), PointsBand(0.7, None, 5))


def _default_employees() -> tuple[SegmentBand, ...]:
    # domain-spec §2.4, G5, A-8: < 100 SMB, 100-999 MID_MARKET, >= 1000 ENTERPRISE
    return (
        SegmentBand(0, 100, Segment.SMB),
        SegmentBand(100, 1000, Segment.MID_MARKET),
        SegmentBand(1000, None, Segment.ENTERPRISE),
    )


def _default_segment_points() -> Mapping[Segment, int]:
    # domain-spec §2.4, §2.8; PRODUCT_LED is the tech-touch volume segment
    return freeze({Segment.ENTERPRISE: 5, Segment.MID_MARKET: 3, Segment.SMB: 1, Segment.PRODUCT_LED: 1})


def _default_complexity_points() -> Mapping[Complexity, int]:
    return freeze({c: int(c) for c in Complexity})  # domain-spec §2.3: 1 / 3 / 5, A-2: 2 and 4 between


def _default_positioning_points() -> Mapping[Positioning, int]:
    return freeze({p: int(p) for p in Positioning})  # domain-spec §2.6: 1 / 3 / 5, A-2


def _default_ratio() -> tuple[PointsBand, ...]:
    # domain-spec §2.8 growth factor: supports 1:10 (<= 15) -> 5, 16-39 -> 4, 1:50 (40-80) -> 3,
    # 81-499 -> 2, 1:500+ -> 1
    return (
        PointsBand(0.0, 16.0, 5),
        PointsBand(16.0, 40.0, 4),
        PointsBand(40.0, 81.0, 3),
        PointsBand(81.0, 500.0, 2),
        PointsBand(500.0, None, 1),
    )


def _default_stages() -> tuple[StageBand, ...]:
    # domain-spec §2.7, A-8: [0,100) startup, [100,500) early scale, [500,2000) growth, >= 2000 at scale
    return (
        StageBand(0, 100, GrowthStage.STARTUP),
        StageBand(100, 500, GrowthStage.EARLY_SCALE),
        StageBand(500, 2000, GrowthStage.GROWTH),
        StageBand(2000, None, GrowthStage.AT_SCALE),
    )


def _default_stage_points() -> Mapping[GrowthStage, int]:
    # domain-spec §2.8 fallback from customer count: startup 5, early scale 4, growth 3, at scale 1
    return freeze(
        {GrowthStage.STARTUP: 5, GrowthStage.EARLY_SCALE: 4, GrowthStage.GROWTH: 3, GrowthStage.AT_SCALE: 1}
    )


def _default_models() -> tuple[ModelBand, ...]:
    # DESIGN.md, domain-spec §2.8, A-1: a boundary score goes to the higher-touch band
    return (
        ModelBand(6, _LOW_FROM - 1, TouchModel.TECH),
        ModelBand(_LOW_FROM, _HIGH_FROM - 1, TouchModel.LOW),
        ModelBand(_HIGH_FROM, 30, TouchModel.HIGH),
    )


def _default_coverage() -> tuple[Coverage, ...]:
    # domain-spec §2.2, §2.9, §2.10, §11; salaries from the worked examples ($150K enterprise, $120K others)
    return (
        Coverage(TouchModel.HIGH, 10, _D(150_000), 8, _D(8_000), _D(15_000)),
        Coverage(TouchModel.LOW, 50, _D(120_000), 40, _D(1_000), _D(5_000)),
        Coverage(TouchModel.TECH, 500, _D(120_000), 500, _D(100), _D(500)),
    )


_SCORED_MODELS = (TouchModel.TECH, TouchModel.LOW, TouchModel.HIGH)


@attrs.frozen
class TouchConfig:
    """Everything the touch context can be tuned with, as plain data (round-trips through ``postsale.to_data``).

    Bands are lower-inclusive, upper-exclusive (``None`` = open), start at 0 and must run without gaps or
    overlaps; points are whole numbers 1-5 that never fall as the input rises (they never rise as
    ``accounts_per_csm`` rises). Model bands are inclusive integer ranges of the total, contiguous, each
    at least as intense as the one below. Defaults: DESIGN.md "Decisions already taken", domain-spec §11.

    Raises:
        DefinitionError: listing every problem found (``$.acv_bands[1].lower`` ...).

    Examples:
        >>> TouchConfig().model_bands[-1]
        ModelBand(lower=20, upper=30, model=<TouchModel.HIGH: 'high'>)
        >>> TouchConfig(model_bands=(ModelBand(6, 12, TouchModel.TECH), ModelBand(12, 30, TouchModel.LOW)))
        Traceback (most recent call last):
        ...
        postsale._errors.DefinitionError: invalid touch configuration (1 problem(s)):
          - overlaps the band before it (starts at 12, the previous one ends at 12) @ $.model_bands[1].lower
        ...
    """

    acv_bands: tuple[AcvBand, ...] = attrs.field(factory=_default_acv, converter=tuple)
    margin_bands: tuple[PointsBand, ...] = attrs.field(factory=_default_margin, converter=tuple)
    employee_bands: tuple[SegmentBand, ...] = attrs.field(factory=_default_employees, converter=tuple)
    segment_points: Mapping[Segment, int] = attrs.field(
        factory=_default_segment_points, converter=_frozen_mapping, hash=False
    )
    complexity_points: Mapping[Complexity, int] = attrs.field(
        factory=_default_complexity_points, converter=_frozen_mapping, hash=False
    )
    positioning_points: Mapping[Positioning, int] = attrs.field(
        factory=_default_positioning_points, converter=_frozen_mapping, hash=False
    )
    ratio_bands: tuple[PointsBand, ...] = attrs.field(factory=_default_ratio, converter=tuple)
    stage_bands: tuple[StageBand, ...] = attrs.field(factory=_default_stages, converter=tuple)
    stage_points: Mapping[GrowthStage, int] = attrs.field(
        factory=_default_stage_points, converter=_frozen_mapping, hash=False
    )
    model_bands: tuple[ModelBand, ...] = attrs.field(factory=_default_models, converter=tuple)
    overrides: OverrideSettings = attrs.field(factory=OverrideSettings)
    coverage: tuple[Coverage, ...] = attrs.field(factory=_default_coverage, converter=tuple)
    cs_budget_share: float = CS_BUDGET_SHARE
    healthy_from: float = HEALTHY_COST_SHARE_FROM
    healthy_to: float = HEALTHY_COST_SHARE_TO
    migration: MigrationPolicy = attrs.field(factory=MigrationPolicy)

    def __attrs_post_init__(self) -> None:
        problems = _validate(self)
        if problems:
            raise DefinitionError(
                "invalid touch configuration",
                problems,
                hint="fix every listed field; bands start at 0 and meet edge to edge, points are 1-5",
            )

    def coverage_for(self, model: TouchModel) -> Coverage:
        """Return the coverage (ratio, salary, spend guidance) of ``model`` (HIGH, LOW or TECH)."""
        for item in self.coverage:
            if item.model is model:
                return item
        raise LookupError(model)  # pragma: no cover - validation guarantees every scored model

    def band_of_model(self, model: TouchModel) -> ModelBand | None:
        """Return the total-score band that gives ``model``, or ``None`` when no band does."""
        for band in self.model_bands:
            if band.model is model:
                return band
        return None


# ---- validation --------------------------------------------------------------------------------------


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
        if band.model not in _SCORED_MODELS:
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
                before.model in _SCORED_MODELS
                and band.model in _SCORED_MODELS
                and _SCORED_MODELS.index(band.model) < _SCORED_MODELS.index(before.model)
            ):
                out.append(
                    Problem(
                        f"{path}.model",
                        f"a higher total must not give a less intense model "
                        f"({before.model.name} then {band.model.name})",
                    )
                )


def _check_share(path: str, value: Any, out: list[Problem]) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        out.append(Problem(path, f"must be a finite number, got {value!r}"))
        return False
    if not 0 <= value <= 1:
        out.append(Problem(path, f"a share is a fraction in [0, 1] (0.1 = 10 %), got {value!r}"))
        return False
    return True


def _check_money(path: str, value: Any, out: list[Problem]) -> None:
    if not isinstance(value, Decimal) or not value.is_finite():
        out.append(Problem(path, f"money must be a finite Decimal, got {value!r}"))
    elif value < 0:
        out.append(Problem(path, f"money must be >= 0, got {value}"))


def _check_coverage(items: Sequence[Coverage], out: list[Problem]) -> None:
    seen = [c.model for c in items]
    for model in _SCORED_MODELS:
        if seen.count(model) != 1:
            out.append(Problem("$.coverage", f"needs exactly one entry for {model.name}, found {seen.count(model)}"))
    for i, item in enumerate(items):
        path = f"$.coverage[{i}]"
        if item.model not in _SCORED_MODELS:
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
        (c for c in items if c.model in _SCORED_MODELS and _is_int(c.ratio_from)),
        key=lambda c: _SCORED_MODELS.index(c.model),
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
    for field in ("complex_product_floor", "enterprise_model", "competitor_floor"):
        value = getattr(overrides, field)
        if value is not None and value not in _SCORED_MODELS:
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


DEFAULT_CONFIG: Final = TouchConfig()
"""The defaults of DESIGN.md and domain-spec §11."""
