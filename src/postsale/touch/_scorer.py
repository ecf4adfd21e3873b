"""The six-factor touch-model scorer, its overrides and the assessment it produces (domain-spec §2.2-§2.8).

A :class:`Scorer` is compiled once from a :class:`~postsale.touch.TouchConfig`: every band becomes a
shared :class:`FactorBand` value and a lookup table, so scoring a profile allocates little beyond the
:class:`Assessment` itself (see docs/touch.md and ``benchmarks/bench_touch.py``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any, Final, Protocol, runtime_checkable

import attrs

from postsale import _checks
from postsale._errors import DefinitionError, InvalidTypeError, InvalidValueError, Problem, UnknownNameError
from postsale._vocabulary import Segment, TouchModel
from postsale.touch._config import DEFAULT_CONFIG, PointsBand, TouchConfig, _check_bands, _check_points
from postsale.touch._format import pct, usd
from postsale.touch._profile import BusinessProfile, Complexity, GrowthStage, Positioning

__all__ = [
    "FACTORS",
    "AppliedOverride",
    "Assessment",
    "Factor",
    "FactorBand",
    "FactorScore",
    "NumericFactor",
    "Override",
    "Scorer",
    "TouchScore",
    "assess",
]

FACTORS: Final = ("acv", "complexity", "segment", "margin", "positioning", "growth")
"""The six factors in domain-spec order (§2.2-§2.7)."""

_MODEL_WORDS: Final = {
    TouchModel.HIGH: "high-touch",
    TouchModel.LOW: "low-touch",
    TouchModel.TECH: "tech-touch",
    TouchModel.HYBRID: "hybrid",
}
_INTENSITY: Final = {TouchModel.TECH: 1, TouchModel.LOW: 2, TouchModel.HIGH: 3}


def model_word(model: TouchModel) -> str:
    """Return ``"high-touch"`` / ``"low-touch"`` / ``"tech-touch"`` / ``"hybrid"``."""
    return _MODEL_WORDS[model]


@attrs.frozen
class FactorBand:
    """The band one factor's input fell in, and the points it is worth.

    Attributes:
        factor: Factor name (``"acv"``, ``"segment"`` ... or a custom factor's name).
        source: The profile input that was read (``"acv"``, ``"employees"``, ``"extras.seats"`` ...).
        label: The band in words, e.g. ``"$10,000 to under $100,000"``.
        points: Points the band is worth (1-5).
    """

    factor: str
    source: str
    label: str
    points: int


@attrs.frozen
class FactorScore:
    """One factor of an assessment: its input, the band that input fell in, and the points.

    Attributes:
        factor: Factor name.
        source: The profile input that was read.
        input: The input value (``Decimal`` ACV, margin fraction, enum member, count ...).
        band: The band in words.
        points: Points (1-5).
    """

    factor: str
    source: str
    input: Any
    band: str
    points: int


@attrs.frozen
class AppliedOverride:
    """An override that changed the model, with its reason (domain-spec §2.3, §2.4, §2.6).

    Attributes:
        name: The override's name (``"complex_product"``, ``"enterprise"``, ``"competitor_dedicated_csm"``
            or a custom name).
        from_model: The model before the override.
        to_model: The model after it.
        reason: One plain sentence saying why.
    """

    name: str
    from_model: TouchModel
    to_model: TouchModel
    reason: str


@runtime_checkable
class Factor(Protocol):
    """A custom factor: maps a profile to a :class:`FactorBand` worth 1-5 points.

    A factor whose ``name`` is one of :data:`FACTORS` replaces that built-in factor; any other name adds
    a factor (then the model bands must cover the new total range, e.g. 7-35 with seven factors).
    :class:`NumericFactor` is a ready-made, plain-data implementation reading ``profile.extras``.
    """

    @property
    def name(self) -> str:
        """The factor's name."""
        ...

    def band(self, profile: BusinessProfile) -> FactorBand:
        """Return the band the profile falls in (its ``points`` must be 1-5)."""
        ...


@runtime_checkable
class Override(Protocol):
    """A custom override: may change the model after scoring and overrides before it.

    Return ``None`` to leave the model as it is, or an :class:`AppliedOverride` whose ``to_model`` is the
    new model (HIGH, LOW or TECH) and whose ``reason`` is one plain sentence.
    """

    @property
    def name(self) -> str:
        """The override's name."""
        ...

    def apply(self, profile: BusinessProfile, model: TouchModel) -> AppliedOverride | None:
        """Return the change to make, or ``None``."""
        ...


def _num(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,}"


def _range_label(lower: Any, upper: Any, fmt: Callable[[Any], str], unit: str = "") -> str:
    if upper is None:
        return f"{fmt(lower)}{unit} and above"
    if lower == 0:
        return f"under {fmt(upper)}{unit}"
    return f"{fmt(lower)} to under {fmt(upper)}{unit}"


def _pct_edge(value: float) -> str:
    return pct(value).removesuffix(" %") + " %"


def _band_tuple(value: Any) -> tuple[PointsBand, ...]:
    return _checks.items("bands", value)  # bad bands are reported with every other problem (DefinitionError)


@attrs.frozen
class NumericFactor:
    """A plain-data custom factor: bands over ``profile.extras[name]`` (lower-inclusive, open top).

    Args:
        name: Factor name; also the key read from ``profile.extras``.
        bands: Bands from 0 upwards, without gaps or overlaps (like :class:`~postsale.touch.PointsBand`).

    Examples:
        >>> seats = NumericFactor("seats", (PointsBand(0, 50, 1), PointsBand(50, 500, 3), PointsBand(500, None, 5)))
        >>> p = BusinessProfile(acv=50_000, complexity="MODERATE", gross_margin=0.7, positioning="VALUE",
        ...                     segment="SMB", customer_count=80, extras={"seats": 120})
        >>> seats.band(p).points
        3
    """

    name: str
    bands: tuple[PointsBand, ...] = attrs.field(converter=_band_tuple)

    def __attrs_post_init__(self) -> None:
        _checks.text("name", self.name)
        problems: list[Problem] = []
        _check_bands("bands", self.bands, lambda b: b.points, problems, rising=True)
        for i, band in enumerate(self.bands):
            _check_points(f"$.bands[{i}].points", band.points, problems)
        if problems:
            raise DefinitionError(f"invalid factor {self.name!r}", problems, hint="bands start at 0, meet edge to edge")

    def band(self, profile: BusinessProfile) -> FactorBand:
        """Return the band of ``profile.extras[name]``.

        Raises:
            InvalidValueError: the profile has no such extra input, or it is negative.
        """
        value = profile.extras.get(self.name)
        if value is None:
            raise InvalidValueError(
                "is missing",
                field=f"extras[{self.name!r}]",
                constraint=f"the custom factor {self.name!r} reads it",
                hint=f"pass extras={{{self.name!r}: <number>}} in the profile",
            )
        if value < 0:
            raise InvalidValueError(
                "is negative",
                field=f"extras[{self.name!r}]",
                value=value,
                constraint=f"the bands of {self.name!r} start at 0",
                hint="pass a value >= 0",
            )
        lowers = [b.lower for b in self.bands]
        index = bisect_right(lowers, value) - 1
        chosen = self.bands[index]
        label = _range_label(chosen.lower, chosen.upper, _num)
        return FactorBand(self.name, f"extras.{self.name}", label, chosen.points)


@attrs.frozen
class TouchScore:
    """What the factor points add up to: total, model before and after overrides (domain-spec §2.8).

    It depends only on the total, the mixed flag and the override inputs, so a :class:`Scorer` shares one
    value between every profile that scores alike.

    Attributes:
        total: Sum of the factor points (6-30 with the six built-in factors).
        scored_model: The model the total gives, before overrides.
        model: The model after overrides.
        overrides: The overrides that changed the model, in the order applied.
        mixed: The factor points contain both a 1 and a 5 (a "mixed" profile, domain-spec §2.8, A-3).
    """

    total: int
    scored_model: TouchModel
    model: TouchModel
    overrides: tuple[AppliedOverride, ...] = ()
    mixed: bool = False


@attrs.frozen
class Assessment:
    """The touch-model assessment of one profile: the evidence per factor and the resulting score.

    The score's attributes are available directly (``assessment.total``, ``.model``, ``.mixed`` ...).

    Attributes:
        profile: The profile assessed.
        bands: The band of each factor, in factor order (:data:`FACTORS`, then custom factors).
        score: Total, model before and after overrides, overrides applied, mixed flag.
    """

    profile: BusinessProfile
    bands: tuple[FactorBand, ...]
    score: TouchScore

    @property
    def total(self) -> int:
        """Sum of the factor points."""
        return self.score.total

    @property
    def scored_model(self) -> TouchModel:
        """The model the total gives, before overrides."""
        return self.score.scored_model

    @property
    def model(self) -> TouchModel:
        """The recommended model, after overrides."""
        return self.score.model

    @property
    def overrides(self) -> tuple[AppliedOverride, ...]:
        """The overrides that changed the model."""
        return self.score.overrides

    @property
    def mixed(self) -> bool:
        """The factor points contain both a 1 and a 5."""
        return self.score.mixed

    @property
    def points(self) -> tuple[int, ...]:
        """Points per factor, in factor order."""
        return tuple(b.points for b in self.bands)

    @property
    def factors(self) -> tuple[FactorScore, ...]:
        """Each factor with the input and band that produced its points."""
        return tuple(
            FactorScore(b.factor, b.source, _input(self.profile, b.source), b.label, b.points) for b in self.bands
        )

    def factor(self, name: str) -> FactorScore:
        """Return the factor called ``name``.

        Raises:
            UnknownNameError: no factor has that name.
        """
        for item in self.factors:
            if item.factor == name:
                return item
        known = ", ".join(b.factor for b in self.bands)
        raise UnknownNameError(
            "is not a factor of this assessment",
            field="factor",
            value=name,
            constraint=f"one of {known}",
            hint=f"pass one of {known}",
        )

    def explain(self) -> list[str]:
        """Return plain sentences a CS lead can read: each factor, the total, the overrides, the model."""
        lines = [
            f"{_TITLES.get(f.factor, f.factor)}: {_show(f.source, f.input)} is in band {f.band!r}, "
            f"worth {f.points} point{'s' if f.points != 1 else ''}."
            for f in self.factors
        ]
        low, high = len(self.bands), 5 * len(self.bands)
        lines.append(
            f"Total {self.total} (of {low}-{high}) gives {model_word(self.scored_model)} "
            "(bands per DESIGN.md / domain-spec §2.8; a boundary score goes to the higher-touch model)."
        )
        lines.extend(f"Override {o.name!r}: {o.reason}" for o in self.overrides)
        if self.mixed:
            lines.append(
                "Mixed profile: the factor points include both a 1 and a 5, so one model fits this "
                "customer poorly; consider a hybrid with tiers (domain-spec §2.8, A-3)."
            )
        lines.append(f"Recommended model: {model_word(self.model)}.")
        return lines


_TITLES: Final = {
    "acv": "ACV",
    "complexity": "Product complexity",
    "segment": "Customer segment",
    "margin": "Gross margin",
    "positioning": "Competitive positioning",
    "growth": "Growth stage",
}


def _input(profile: BusinessProfile, source: str) -> Any:
    if source.startswith("extras."):
        return profile.extras.get(source.removeprefix("extras."))
    return getattr(profile, source, None)


def _show(source: str, value: Any) -> str:
    if value is None:
        return "(not given)"
    if source == "acv":
        return usd(value)
    if source == "gross_margin":
        return pct(value)
    if source == "employees":
        return f"{value:,} employees"
    if source == "customer_count":
        return f"{value:,} customers"
    if source == "accounts_per_csm":
        return f"1:{value} CSM ratio"
    name = getattr(value, "name", None)
    return name if isinstance(name, str) else repr(value)


class Scorer:
    """A compiled six-factor scorer: config, custom factors and overrides turned into lookup tables.

    Build it once and reuse it; :meth:`assess` is the hot path.

    Args:
        config: The configuration (defaults: DESIGN.md, domain-spec §11).
        factors: Custom factors (:class:`Factor`); one named like a built-in factor replaces it.
        overrides: Custom overrides (:class:`Override`), applied after the built-in ones, in order.

    Raises:
        DefinitionError: the model bands do not cover the possible totals exactly, or a custom factor
            or override does not follow its protocol (every problem listed).

    Examples:
        >>> scorer = Scorer()
        >>> p = BusinessProfile(acv=9_999, complexity="LOW", gross_margin=0.45, positioning="VALUE",
        ...                     segment="SMB", accounts_per_csm=500)
        >>> a = scorer.assess(p)
        >>> a.total, a.model
        (6, <TouchModel.TECH: 'tech'>)
    """

    __slots__ = ("_chain", "assess", "config", "custom_factors", "custom_overrides", "factor_names", "score_range")

    config: TouchConfig
    custom_factors: tuple[Factor, ...]
    custom_overrides: tuple[Override, ...]
    factor_names: tuple[str, ...]
    score_range: tuple[int, int]
    assess: Callable[[BusinessProfile], Assessment]
    _chain: Callable[[BusinessProfile, TouchModel, Segment], tuple[TouchModel, tuple[AppliedOverride, ...]]]

    def __init__(
        self,
        config: TouchConfig = DEFAULT_CONFIG,
        *,
        factors: Iterable[Factor] = (),
        overrides: Iterable[Override] = (),
    ) -> None:
        if not isinstance(config, TouchConfig):
            raise InvalidTypeError("expected a TouchConfig", field="config", value=config, hint="pass TouchConfig(...)")
        custom_factors = tuple(factors)
        custom_overrides = tuple(overrides)
        problems: list[Problem] = []
        names: list[str] = list(FACTORS)
        for i, factor in enumerate(custom_factors):
            if not isinstance(factor, Factor) or not isinstance(getattr(factor, "name", None), str):
                problems.append(Problem(f"$.factors[{i}]", f"{factor!r} has no str name and band(profile) method"))
            elif factor.name in names and factor.name not in FACTORS:
                problems.append(Problem(f"$.factors[{i}].name", f"factor name {factor.name!r} is used twice"))
            elif factor.name not in FACTORS:
                names.append(factor.name)
        for i, override in enumerate(custom_overrides):
            if not isinstance(override, Override) or not isinstance(getattr(override, "name", None), str):
                problems.append(
                    Problem(f"$.overrides[{i}]", f"{override!r} has no str name and apply(profile, model) method")
                )
        low, high = len(names), 5 * len(names)
        bands = config.model_bands
        if bands[0].lower != low or bands[-1].upper != high:
            problems.append(
                Problem(
                    "$.model_bands",
                    f"must cover the possible totals {low}-{high} exactly, got {bands[0].lower}-{bands[-1].upper}",
                )
            )
        if problems:
            raise DefinitionError("invalid scorer", problems, hint="match the model bands to the number of factors")
        self.config = config
        self.custom_factors = custom_factors
        self.custom_overrides = custom_overrides
        self.factor_names = tuple(names)
        self.score_range = (low, high)
        self.assess = _compile(config, custom_factors, custom_overrides, names, low, high)
        self._chain = _override_chain(config, custom_overrides)

    def __repr__(self) -> str:
        return f"Scorer(factors={list(self.factor_names)!r}, overrides={len(self.custom_overrides)} custom)"

    def apply_overrides(
        self, profile: BusinessProfile, model: TouchModel
    ) -> tuple[TouchModel, tuple[AppliedOverride, ...]]:
        """Apply the built-in and custom overrides to ``model`` for ``profile`` (used by tier migration)."""
        return self._chain(profile, model, _segment_of(self.config, profile))

    def model_for_total(self, total: int) -> TouchModel:
        """Return the model the model bands give ``total``.

        Raises:
            InvalidValueError: ``total`` is outside the possible range.
        """
        low, high = self.score_range
        if isinstance(total, bool) or not isinstance(total, int) or not low <= total <= high:
            raise InvalidValueError(
                "is outside the possible totals",
                field="total",
                value=total,
                constraint=f"must be a whole number in {low}-{high}",
                hint="sum the factor points (1-5 each)",
            )
        for band in self.config.model_bands:
            if band.lower <= total <= band.upper:
                return band.model
        raise AssertionError  # pragma: no cover - bands are contiguous over the range


def _segment_of(config: TouchConfig, profile: BusinessProfile) -> Segment:
    if profile.employees is None:
        assert profile.segment is not None
        return profile.segment
    lowers = [b.lower for b in config.employee_bands]
    return config.employee_bands[bisect_right(lowers, profile.employees) - 1].segment


def _override_chain(
    config: TouchConfig, custom: Sequence[Override]
) -> Callable[[BusinessProfile, TouchModel, Segment], tuple[TouchModel, tuple[AppliedOverride, ...]]]:
    """Compile the overrides into one function; the built-in ones use shared, precomputed values."""
    settings = config.overrides
    complex_from = settings.complex_product_from
    complex_floor = settings.complex_product_floor
    enterprise = settings.enterprise_model
    competitor = settings.competitor_floor
    intensity = _INTENSITY

    def table(name: str, floor: TouchModel | None, why: str) -> dict[TouchModel, AppliedOverride]:
        if floor is None:
            return {}
        return {
            m: AppliedOverride(name, m, floor, f"{why}; {model_word(m)} -> {model_word(floor)}.")
            for m in (TouchModel.TECH, TouchModel.LOW, TouchModel.HIGH)
            if intensity[m] < intensity[floor]
        }

    complex_table = table(
        "complex_product",
        None if complex_from is None else complex_floor,
        f"a genuinely complex product (complexity {complex_from.name if complex_from else '-'} or above) never "
        f"gets less than {model_word(complex_floor)}, even under economic pressure (domain-spec §2.3)",
    )
    enterprise_table = table(
        "enterprise",
        enterprise,
        "ENTERPRISE customers get high-touch: for them it is a prerequisite, not an option (domain-spec §2.4)",
    )
    competitor_table = table(
        "competitor_dedicated_csm",
        competitor,
        "a competitor offers dedicated CSMs at the same price point, which lifts the floor (domain-spec §2.6)",
    )
    complex_level = int(complex_from) if complex_from is not None else 99
    empty: tuple[AppliedOverride, ...] = ()
    enterprise_segment = Segment.ENTERPRISE

    def chain(
        profile: BusinessProfile, model: TouchModel, segment: Segment
    ) -> tuple[TouchModel, tuple[AppliedOverride, ...]]:
        applied = empty
        if profile.complexity >= complex_level:
            hit = complex_table.get(model)
            if hit is not None:
                applied += (hit,)
                model = hit.to_model
        if profile.competitor_dedicated_csm:
            hit = competitor_table.get(model)
            if hit is not None:
                applied += (hit,)
                model = hit.to_model
        if segment is enterprise_segment:
            hit = enterprise_table.get(model)
            if hit is not None:
                applied += (hit,)
                model = hit.to_model
        for override in custom:
            result = override.apply(profile, model)
            if result is not None:
                if not isinstance(result, AppliedOverride) or result.to_model not in intensity:
                    raise InvalidValueError(
                        "returned an invalid result",
                        field=f"override {override.name!r}",
                        value=result,
                        constraint="an AppliedOverride to HIGH, LOW or TECH, or None",
                        hint="return AppliedOverride(name, from_model, to_model, reason) or None",
                    )
                applied += (result,)
                model = result.to_model
        return model, applied

    return chain


def _compile(
    config: TouchConfig,
    custom_factors: Sequence[Factor],
    custom_overrides: Sequence[Override],
    names: Sequence[str],
    low: int,
    high: int,
) -> Callable[[BusinessProfile], Assessment]:
    """Turn the configuration into the ``assess`` closure (tables, shared band values, no per-call lookups)."""
    acv_edges = [Decimal(b.lower) for b in config.acv_bands]
    acv_bands = [FactorBand("acv", "acv", _range_label(b.lower, b.upper, usd), b.points) for b in config.acv_bands]
    margin_edges = [float(b.lower) for b in config.margin_bands]
    margin_bands = [
        FactorBand("margin", "gross_margin", _range_label(b.lower, b.upper, _pct_edge), b.points)
        for b in config.margin_bands
    ]
    segment_bands = {
        s: FactorBand("segment", "segment", s.name, config.segment_points[s]) for s in config.segment_points
    }
    employee_edges = [b.lower for b in config.employee_bands]
    employee_bands = [
        FactorBand(
            "segment",
            "employees",
            f"{b.segment.name} ({_range_label(b.lower, b.upper, _num, ' employees')})",
            config.segment_points[b.segment],
        )
        for b in config.employee_bands
    ]
    employee_segments = [b.segment for b in config.employee_bands]
    complexity_bands = {
        c: FactorBand("complexity", "complexity", c.name, p) for c, p in config.complexity_points.items()
    }
    positioning_bands = {
        c: FactorBand("positioning", "positioning", c.name, p) for c, p in config.positioning_points.items()
    }
    ratio_edges = [float(b.lower) for b in config.ratio_bands]
    ratio_bands = [
        FactorBand("growth", "accounts_per_csm", _range_label(b.lower, b.upper, _num, " accounts per CSM"), b.points)
        for b in config.ratio_bands
    ]
    stage_edges = [b.lower for b in config.stage_bands]
    count_bands = [
        FactorBand(
            "growth",
            "customer_count",
            f"{b.stage.name} ({_range_label(b.lower, b.upper, _num, ' customers')})",
            config.stage_points[b.stage],
        )
        for b in config.stage_bands
    ]
    stage_bands = {s: FactorBand("growth", "growth_stage", s.name, p) for s, p in config.stage_points.items()}
    by_total: list[TouchModel | None] = [None] * (high + 1)
    for band in config.model_bands:
        for total in range(band.lower, band.upper + 1):
            by_total[total] = band.model
    chain = _override_chain(config, custom_overrides)
    new = Assessment
    profile_type = BusinessProfile

    def builtin(profile: BusinessProfile) -> tuple[list[FactorBand], Segment]:
        employees = profile.employees
        if employees is None:
            segment = profile.segment
            seg = segment_bands[segment]  # type: ignore[index]
        else:
            i = bisect_right(employee_edges, employees) - 1
            seg = employee_bands[i]
            segment = employee_segments[i]
        ratio = profile.accounts_per_csm
        if ratio is not None:
            growth = ratio_bands[bisect_right(ratio_edges, ratio) - 1]
        elif profile.customer_count is not None:
            growth = count_bands[bisect_right(stage_edges, profile.customer_count) - 1]
        else:
            growth = stage_bands[profile.growth_stage]  # type: ignore[index]
        bands = [
            acv_bands[bisect_right(acv_edges, profile.acv) - 1],
            complexity_bands[profile.complexity],
            seg,
            margin_bands[bisect_right(margin_edges, profile.gross_margin) - 1],
            positioning_bands[profile.positioning],
            growth,
        ]
        return bands, segment  # type: ignore[return-value]

    def score(profile: BusinessProfile, bands: Sequence[FactorBand], segment: Segment) -> TouchScore:
        points = [b.points for b in bands]
        total = sum(points)
        scored = by_total[total]
        model, applied = chain(profile, scored, segment)  # type: ignore[arg-type]
        return TouchScore(total, scored, model, applied, 1 in points and 5 in points)  # type: ignore[arg-type]

    def refuse(profile: object) -> Assessment:
        raise InvalidTypeError(
            "expected a BusinessProfile", field="profile", value=profile, hint="build one with BusinessProfile(...)"
        )

    if not custom_factors and not custom_overrides:
        seg_by_code: list[tuple[FactorBand, Segment]] = [(segment_bands[s], s) for s in Segment]
        seg_by_code += [(band, seg) for band, seg in zip(employee_bands, employee_segments, strict=True)]
        growth_by_code = [*ratio_bands, *count_bands, *(stage_bands[s] for s in GrowthStage)]
        tables = _Tables(
            acv_edges,
            [None, *acv_bands],
            margin_edges,
            [None, *margin_bands],
            employee_edges,
            seg_by_code,
            ratio_edges,
            stage_edges,
            [None, *growth_by_code],
            complexity_bands,
            positioning_bands,
        )
        return _hot_path(tables, score, refuse)

    replacements = {f.name: f for f in custom_factors if f.name in FACTORS}
    additions = [f for f in custom_factors if f.name not in FACTORS]
    slots = [FACTORS.index(name) for name in replacements]

    def assess_custom(profile: BusinessProfile) -> Assessment:
        if type(profile) is not profile_type:
            return refuse(profile)
        bands, segment = builtin(profile)
        for slot in slots:
            bands[slot] = _checked(replacements[FACTORS[slot]], profile)
        bands.extend(_checked(factor, profile) for factor in additions)
        return new(profile, tuple(bands), score(profile, bands, segment))

    return assess_custom


@attrs.frozen
class _Tables:
    """The compiled lookup tables of the hot path (lists indexed by ``bisect_right`` results)."""

    acv_edges: list[Decimal]
    acv_by_code: list[FactorBand | None]
    margin_edges: list[float]
    margin_by_code: list[FactorBand | None]
    employee_edges: list[int]
    segment_by_code: list[tuple[FactorBand, Segment]]
    ratio_edges: list[float]
    stage_edges: list[int]
    growth_by_code: list[FactorBand | None]
    complexity: dict[Complexity, FactorBand]
    positioning: dict[Positioning, FactorBand]


def _hot_path(
    tables: _Tables,
    score: Callable[[BusinessProfile, Sequence[FactorBand], Segment], TouchScore],
    refuse: Callable[[object], Assessment],
) -> Callable[[BusinessProfile], Assessment]:
    """The built-in-only scorer.

    Each factor's band is found by one ``bisect`` (or dict lookup) into precompiled tables; the tuple of
    bands is shared by every profile that lands in the same bands (memo keyed by the band codes), and the
    :class:`TouchScore` by every profile that scores alike. Only the :class:`Assessment` is new per call.
    """
    memo: dict[tuple[Any, ...], tuple[tuple[FactorBand, ...], TouchScore]] = {}
    scores: dict[tuple[Any, ...], TouchScore] = {}
    memo_get = memo.get
    segment_codes = {id(s): i for i, s in enumerate(Segment)}
    n_segments = len(segment_codes)
    acv_edges, margin_edges = tables.acv_edges, tables.margin_edges
    employee_edges, ratio_edges, stage_edges = tables.employee_edges, tables.ratio_edges, tables.stage_edges
    n_ratio = len(ratio_edges)
    n_stage_codes = n_ratio + len(stage_edges)
    profile_type = BusinessProfile
    bisect = bisect_right
    ident = id
    new = object.__new__
    cls = Assessment
    # Assessment has no validators or converters, so setting its slots directly is equivalent to calling
    # __init__, and cheaper (the frozen __init__ goes through object.__setattr__ by name).
    set_profile = cls.__dict__["profile"].__set__
    set_bands = cls.__dict__["bands"].__set__
    set_score = cls.__dict__["score"].__set__

    def miss(profile: BusinessProfile, key: tuple[Any, ...]) -> tuple[tuple[FactorBand, ...], TouchScore]:
        acv_code, complexity, seg_code, margin_code, positioning, growth_code, _flag = key
        seg_band, segment = tables.segment_by_code[seg_code if seg_code < n_segments else seg_code - 1]
        bands = (
            tables.acv_by_code[acv_code],
            tables.complexity[complexity],
            seg_band,
            tables.margin_by_code[margin_code],
            tables.positioning[positioning],
            tables.growth_by_code[growth_code],
        )
        points = [b.points for b in bands]
        score_key = (sum(points), 1 in points and 5 in points, complexity, profile.competitor_dedicated_csm, segment)
        shared = scores.get(score_key)
        if shared is None:
            shared = scores[score_key] = score(profile, bands, segment)
        found = memo[key] = (bands, shared)
        return found

    def assess(profile: BusinessProfile) -> Assessment:
        if type(profile) is not profile_type:
            return refuse(profile)
        employees = profile.employees
        if employees is None:
            seg_code = segment_codes[ident(profile.segment)]
        else:
            seg_code = n_segments + bisect(employee_edges, employees)
        ratio = profile.accounts_per_csm
        if ratio is not None:
            growth_code = bisect(ratio_edges, ratio)
        else:
            count = profile.customer_count
            if count is not None:
                growth_code = n_ratio + bisect(stage_edges, count)
            else:
                growth_code = n_stage_codes + profile.growth_stage  # type: ignore[operator]
        key = (
            bisect(acv_edges, profile.acv),
            profile.complexity,
            seg_code,
            bisect(margin_edges, profile.gross_margin),
            profile.positioning,
            growth_code,
            profile.competitor_dedicated_csm,
        )
        found = memo_get(key)
        if found is None:
            found = miss(profile, key)
        result = new(cls)
        set_profile(result, profile)
        set_bands(result, found[0])
        set_score(result, found[1])
        return result

    return assess


def _checked(factor: Factor, profile: BusinessProfile) -> FactorBand:
    band = factor.band(profile)
    if not isinstance(band, FactorBand) or isinstance(band.points, bool) or band.points not in (1, 2, 3, 4, 5):
        raise InvalidValueError(
            "returned an invalid band",
            field=f"factor {factor.name!r}",
            value=band,
            constraint="a FactorBand worth 1-5 points",
            hint="return FactorBand(factor, source, label, points) with points in 1-5",
        )
    return band


DEFAULT_SCORER: Final = Scorer()
"""The scorer with the default configuration."""


def assess(profile: BusinessProfile, *, scorer: Scorer | None = None) -> Assessment:
    """Assess one business profile with the six-factor framework (domain-spec §2.8).

    Args:
        profile: The profile to assess.
        scorer: A compiled :class:`Scorer` (default: the default configuration).

    Returns:
        The :class:`Assessment` with per-factor evidence, total, model, overrides and ``explain()``.

    Raises:
        InvalidTypeError: ``profile`` is not a :class:`~postsale.touch.BusinessProfile`.

    Examples:
        >>> p = BusinessProfile(acv=25_000, complexity="MODERATE", gross_margin=0.7, positioning="MARKET_STANDARD",
        ...                     segment="MID_MARKET", accounts_per_csm=50)
        >>> a = assess(p)
        >>> a.points, a.total, a.model
        ((3, 3, 3, 5, 3, 3), 20, <TouchModel.HIGH: 'high'>)
    """
    return (scorer or DEFAULT_SCORER).assess(profile)
