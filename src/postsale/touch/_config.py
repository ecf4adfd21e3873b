"""Touch configuration as plain data: bands, points, ratios, salaries, overrides.

Every default number of the touch context is defined here once, with its source. A :class:`TouchConfig`
validates when it is built and reports every problem at once (:class:`~postsale.DefinitionError`).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final, TypeVar

import attrs

from postsale import _checks
from postsale._errors import DefinitionError, Problem, UnknownNameError
from postsale._frozen import FrozenDict, freeze
from postsale._repr import readable
from postsale._vocabulary import Segment, TouchModel
from postsale.touch._cost_share import HEALTHY_COST_SHARE_FROM, HEALTHY_COST_SHARE_TO
from postsale.touch._profile import Complexity, GrowthStage, Positioning
from postsale.touch._validation import _validate

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
"""Target CS budget as a share of revenue."""
MIN_COMMITMENT_MONTHS: Final = 12
"""Commit to a tier for at least this long before migrating (12-18 months)."""
MIGRATION_MARGIN_POINTS: Final = 1
"""Hysteresis: a score must pass a model band edge by this many points to migrate."""

_HIGH_FROM: Final = 20  # guide: Touch models › The six factors: >= 20 HIGH
_LOW_FROM: Final = 12  # guide: Touch models › The six factors: 12-19 LOW, 6-11 TECH


@attrs.frozen
class AcvBand:
    """ACV from ``lower`` (inclusive) to ``upper`` (exclusive; ``None`` = open) scores ``points``.

    Examples:
        >>> DEFAULT_CONFIG.acv_bands[1]
        AcvBand(lower=10000, upper=100000, points=3)
    """

    __repr__ = readable
    lower: Decimal
    upper: Decimal | None
    points: int


@attrs.frozen
class PointsBand:
    """A number from ``lower`` (inclusive) to ``upper`` (exclusive; ``None`` = open) scores ``points``.

    Examples:
        >>> DEFAULT_CONFIG.margin_bands[-1]
        PointsBand(lower=0.7, upper=None, points=5)
    """

    __repr__ = readable
    lower: float
    upper: float | None
    points: int


@attrs.frozen
class SegmentBand:
    """An employee count from ``lower`` (inclusive) to ``upper`` (exclusive; ``None`` = open) is ``segment``.

    Examples:
        >>> DEFAULT_CONFIG.employee_bands[0]
        SegmentBand(lower=0, upper=100, segment=Segment.SMB)
    """

    __repr__ = readable
    lower: int
    upper: int | None
    segment: Segment


@attrs.frozen
class StageBand:
    """A customer count from ``lower`` (inclusive) to ``upper`` (exclusive; ``None`` = open) is ``stage``.

    Examples:
        >>> DEFAULT_CONFIG.stage_bands[-1]
        StageBand(lower=2000, upper=None, stage=GrowthStage.AT_SCALE)
    """

    __repr__ = readable
    lower: int
    upper: int | None
    stage: GrowthStage


@attrs.frozen
class ModelBand:
    """Totals from ``lower`` to ``upper`` (both inclusive) give ``model``.

    Examples:
        >>> DEFAULT_CONFIG.band_of_model(TouchModel.LOW)
        ModelBand(lower=12, upper=19, model=TouchModel.LOW)
    """

    __repr__ = readable
    lower: int
    upper: int
    model: TouchModel


@attrs.frozen
class Coverage:
    """How a touch model is staffed and what it costs.

    Attributes:
        model: HIGH, LOW or TECH.
        accounts_per_csm: Planning ratio (the N of 1:N) used for cost and head-count.
        csm_salary: Fully loaded yearly cost of one CSM.
        ratio_from: Smallest ratio typical of the model (a given ratio at or above it implies the model,
            checked from the least intense model down).
        spend_from: Lower end of the typical CS spend per customer per year (guidance).
        spend_to: Upper end of that spend (guidance).

    Examples:
        >>> DEFAULT_CONFIG.coverage_for(TouchModel.LOW).accounts_per_csm
        50
    """

    __repr__ = readable
    model: TouchModel
    accounts_per_csm: int
    csm_salary: Decimal
    ratio_from: int
    spend_from: Decimal
    spend_to: Decimal


@attrs.frozen
class OverrideSettings:
    """The built-in overrides layered over the score; ``None`` (or ``False``) disables one.

    The economics ceiling applies first, then the floors: a floor wins over the economics, as the guide's
    overrides say (a genuinely complex product is not forced into tech-touch "even under economic pressure").

    Attributes:
        complex_product_from: Complexity from which a product is "genuinely complex".
        complex_product_floor: The least intense model a genuinely complex product may get.
        enterprise_model: Model floor for ENTERPRISE customers ("high-touch is mandatory").
        competitor_floor: Model floor when a competitor offers dedicated CSMs at the same price.
        economics_ceiling: Cap the model at the most intense one the account's ACV can pay for: the model whose
            CSM cost per account (``csm_salary / accounts_per_csm`` of its :class:`Coverage`) is not above
            ``healthy_to`` (15 %) of the ACV, as :func:`~postsale.touch.assess_economics` recommends; tech-touch
            when none is.

    Examples:
        >>> from postsale.touch import BusinessProfile, Scorer
        >>> no_enterprise_floor = TouchConfig(overrides=OverrideSettings(enterprise_model=None))
        >>> p = BusinessProfile(acv=150_000, complexity="MODERATE", gross_margin=0.4, positioning="VALUE",
        ...                     segment="ENTERPRISE", customer_count=800)
        >>> Scorer().assess(p).model, Scorer(no_enterprise_floor).assess(p).model
        (<TouchModel.HIGH: 'high'>, <TouchModel.LOW: 'low'>)
    """

    __repr__ = readable
    complex_product_from: Complexity | None = Complexity.HIGH
    complex_product_floor: TouchModel = TouchModel.LOW
    enterprise_model: TouchModel | None = TouchModel.HIGH
    competitor_floor: TouchModel | None = TouchModel.LOW
    economics_ceiling: bool = True


@attrs.frozen
class MigrationPolicy:
    """Tier-migration hysteresis.

    Attributes:
        margin_points: How far (in score points) a total must pass a band edge before the tier changes.
        commitment_months: Minimum months in a tier before it may change.

    Examples:
        >>> MigrationPolicy(margin_points=2).commitment_months
        12
    """

    __repr__ = readable
    margin_points: int = MIGRATION_MARGIN_POINTS
    commitment_months: int = MIN_COMMITMENT_MONTHS


def _frozen_mapping(field: str, value: Any) -> Mapping[Any, int]:
    """A mapping (of members to points), copied into a FrozenDict."""
    if type(value) is FrozenDict:
        return value
    _checks.instance(field, value, Mapping, hint=f"pass a mapping for {field}")
    return freeze(dict(value))


_D = Decimal


def _default_acv() -> tuple[AcvBand, ...]:
    # guide: Touch models › The six factors: < $10K -> 1, $10K to < $100K -> 3, >= $100K -> 5
    return (AcvBand(_D(0), _D(10_000), 1), AcvBand(_D(10_000), _D(100_000), 3), AcvBand(_D(100_000), None, 5))


def _default_margin() -> tuple[PointsBand, ...]:
    # guide: Touch models › The six factors: < 50 % -> 1, 50 % to < 70 % -> 3, >= 70 % -> 5
    return (PointsBand(0.0, 0.5, 1), PointsBand(0.5, 0.7, 3), PointsBand(0.7, None, 5))


def _default_employees() -> tuple[SegmentBand, ...]:
    # guide: Touch models › The six factors: < 100 SMB, 100-999 MID_MARKET, >= 1000 ENTERPRISE
    return (
        SegmentBand(0, 100, Segment.SMB),
        SegmentBand(100, 1000, Segment.MID_MARKET),
        SegmentBand(1000, None, Segment.ENTERPRISE),
    )


def _default_segment_points() -> Mapping[Segment, int]:
    # guide: Touch models › The six factors; PRODUCT_LED is the tech-touch volume segment
    return freeze({Segment.ENTERPRISE: 5, Segment.MID_MARKET: 3, Segment.SMB: 1, Segment.PRODUCT_LED: 1})


def _default_complexity_points() -> Mapping[Complexity, int]:
    return freeze({c: int(c) for c in Complexity})  # guide: Touch models › The six factors: 1 / 3 / 5, 2 and 4 between


def _default_positioning_points() -> Mapping[Positioning, int]:
    return freeze({p: int(p) for p in Positioning})  # guide: Touch models › The six factors: 1 / 3 / 5, A-2


def _default_ratio() -> tuple[PointsBand, ...]:
    # guide: Touch models › The six factors, growth factor: supports 1:10 (<= 15) -> 5, 16-39 -> 4, 1:50 (40-80) -> 3,
    # 81-499 -> 2, 1:500+ -> 1
    return (
        PointsBand(0.0, 16.0, 5),
        PointsBand(16.0, 40.0, 4),
        PointsBand(40.0, 81.0, 3),
        PointsBand(81.0, 500.0, 2),
        PointsBand(500.0, None, 1),
    )


def _default_stages() -> tuple[StageBand, ...]:
    # guide: Touch models › The six factors: [0,100) startup, [100,500) early scale, [500,2000) growth, >= 2000 at scale
    return (
        StageBand(0, 100, GrowthStage.STARTUP),
        StageBand(100, 500, GrowthStage.EARLY_SCALE),
        StageBand(500, 2000, GrowthStage.GROWTH),
        StageBand(2000, None, GrowthStage.AT_SCALE),
    )


def _default_stage_points() -> Mapping[GrowthStage, int]:
    # guide: Touch models › The six factors fallback from customer count: startup 5, early scale 4, growth 3, at scale 1
    return freeze(
        {GrowthStage.STARTUP: 5, GrowthStage.EARLY_SCALE: 4, GrowthStage.GROWTH: 3, GrowthStage.AT_SCALE: 1}
    )


def _default_models() -> tuple[ModelBand, ...]:
    # guide: Touch models › The six factors: a boundary score goes to the higher-touch band
    return (
        ModelBand(6, _LOW_FROM - 1, TouchModel.TECH),
        ModelBand(_LOW_FROM, _HIGH_FROM - 1, TouchModel.LOW),
        ModelBand(_HIGH_FROM, 30, TouchModel.HIGH),
    )


def _default_coverage() -> tuple[Coverage, ...]:
    # guide: Touch models › CSM ratios and CS spend; salaries from the worked examples ($150K enterprise, $120K others)
    return (
        Coverage(TouchModel.HIGH, 10, _D(150_000), 8, _D(8_000), _D(15_000)),
        Coverage(TouchModel.LOW, 50, _D(120_000), 40, _D(1_000), _D(5_000)),
        Coverage(TouchModel.TECH, 500, _D(120_000), 500, _D(100), _D(500)),
    )


def _to_acv_bands(value: Any) -> tuple[AcvBand, ...]:
    return _checks.items("acv_bands", value)


def _to_margin_bands(value: Any) -> tuple[PointsBand, ...]:
    return _checks.items("margin_bands", value)


def _to_employee_bands(value: Any) -> tuple[SegmentBand, ...]:
    return _checks.items("employee_bands", value)


def _to_segment_points(value: Any) -> Mapping[Segment, int]:
    return _frozen_mapping("segment_points", value)


def _to_complexity_points(value: Any) -> Mapping[Complexity, int]:
    return _frozen_mapping("complexity_points", value)


def _to_positioning_points(value: Any) -> Mapping[Positioning, int]:
    return _frozen_mapping("positioning_points", value)


def _to_ratio_bands(value: Any) -> tuple[PointsBand, ...]:
    return _checks.items("ratio_bands", value)


def _to_stage_bands(value: Any) -> tuple[StageBand, ...]:
    return _checks.items("stage_bands", value)


def _to_stage_points(value: Any) -> Mapping[GrowthStage, int]:
    return _frozen_mapping("stage_points", value)


def _to_model_bands(value: Any) -> tuple[ModelBand, ...]:
    return _checks.items("model_bands", value)


def _to_coverage(value: Any) -> tuple[Coverage, ...]:
    return _checks.items("coverage", value)


def _item_types(config: TouchConfig, out: list[Problem]) -> bool:
    """Check that every band, coverage entry and setting is of its class; the other checks read them."""
    before = len(out)
    for name, cls in (("acv_bands", AcvBand), ("margin_bands", PointsBand), ("employee_bands", SegmentBand),
                      ("ratio_bands", PointsBand), ("stage_bands", StageBand), ("model_bands", ModelBand),
                      ("coverage", Coverage)):
        out.extend(
            Problem(f"$.{name}[{i}]", f"expected {_checks.a(cls.__name__)}, got {type(item).__name__}")
            for i, item in enumerate(getattr(config, name)) if not isinstance(item, cls)
        )
    for name, setting in (("overrides", OverrideSettings), ("migration", MigrationPolicy)):
        if not isinstance(getattr(config, name), setting):
            out.append(
                Problem(f"$.{name}",
                        f"expected {_checks.a(setting.__name__)}, got {type(getattr(config, name)).__name__}")
            )
    return len(out) == before


@attrs.frozen
class TouchConfig:
    """Everything the touch context can be tuned with, as plain data (round-trips through ``postsale.to_data``).

    Bands are lower-inclusive, upper-exclusive (``None`` = open), start at 0 and must run without gaps or
    overlaps; points are whole numbers 1-5 that never fall as the input rises (they never rise as
    ``accounts_per_csm`` rises). Model bands are inclusive integer ranges of the total, contiguous, each
    at least as intense as the one below. The defaults are documented in docs/touch.md.

    Raises:
        DefinitionError: listing every problem found (``$.acv_bands[1].lower`` ...).

    Examples:
        >>> TouchConfig().model_bands[-1]
        ModelBand(lower=20, upper=30, model=TouchModel.HIGH)
        >>> TouchConfig(model_bands=(ModelBand(6, 12, TouchModel.TECH), ModelBand(12, 30, TouchModel.LOW)))
        Traceback (most recent call last):
        ...
        postsale._errors.DefinitionError: invalid touch configuration (1 problem(s)):
          - overlaps the band before it (starts at 12, the previous one ends at 12) @ $.model_bands[1].lower
        ...
    """

    __repr__ = readable
    acv_bands: tuple[AcvBand, ...] = attrs.field(factory=_default_acv, converter=_to_acv_bands)
    margin_bands: tuple[PointsBand, ...] = attrs.field(factory=_default_margin, converter=_to_margin_bands)
    employee_bands: tuple[SegmentBand, ...] = attrs.field(
        factory=_default_employees, converter=_to_employee_bands
    )
    segment_points: Mapping[Segment, int] = attrs.field(
        factory=_default_segment_points, converter=_to_segment_points, hash=False
    )
    complexity_points: Mapping[Complexity, int] = attrs.field(
        factory=_default_complexity_points, converter=_to_complexity_points, hash=False
    )
    positioning_points: Mapping[Positioning, int] = attrs.field(
        factory=_default_positioning_points, converter=_to_positioning_points, hash=False
    )
    ratio_bands: tuple[PointsBand, ...] = attrs.field(factory=_default_ratio, converter=_to_ratio_bands)
    stage_bands: tuple[StageBand, ...] = attrs.field(factory=_default_stages, converter=_to_stage_bands)
    stage_points: Mapping[GrowthStage, int] = attrs.field(
        factory=_default_stage_points, converter=_to_stage_points, hash=False
    )
    model_bands: tuple[ModelBand, ...] = attrs.field(factory=_default_models, converter=_to_model_bands)
    overrides: OverrideSettings = attrs.field(factory=OverrideSettings)
    coverage: tuple[Coverage, ...] = attrs.field(factory=_default_coverage, converter=_to_coverage)
    cs_budget_share: float = CS_BUDGET_SHARE
    healthy_from: float = HEALTHY_COST_SHARE_FROM
    healthy_to: float = HEALTHY_COST_SHARE_TO
    migration: MigrationPolicy = attrs.field(factory=MigrationPolicy)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if _item_types(self, problems):
            problems = _validate(self)
        if problems:
            raise DefinitionError(
                "invalid touch configuration",
                problems,
                hint="fix every listed field; bands start at 0 and meet edge to edge, points are 1-5",
            )

    def coverage_for(self, model: TouchModel) -> Coverage:
        """Return the coverage (ratio, salary, spend guidance) of ``model`` (HIGH, LOW or TECH).

        Raises:
            UnknownNameError: ``model`` is not HIGH, LOW or TECH.
        """
        model = _checks.member(TouchModel, "model", model)
        for item in self.coverage:
            if item.model is model:
                return item
        raise UnknownNameError(
            "has no coverage", field="model", value=model, constraint="one of HIGH, LOW, TECH",
            hint="HYBRID is a portfolio outcome: ask for the coverage of each tier's model",
        )

    def band_of_model(self, model: TouchModel) -> ModelBand | None:
        """Return the total-score band that gives ``model``, or ``None`` when no band does."""
        model = _checks.member(TouchModel, "model", model)
        for band in self.model_bands:
            if band.model is model:
                return band
        return None


DEFAULT_CONFIG: Final = TouchConfig()
"""The default configuration (see docs/touch.md)."""
