"""The compiled scorer: a touch configuration turned into lookup tables and one ``assess`` closure (private).

Each factor's band is found by one ``bisect`` (or dict lookup) into precompiled tables; band and score values
are shared between profiles that score alike, so scoring a profile allocates little beyond its
:class:`~postsale.touch.Assessment` (see ``benchmarks/bench_touch.py``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import attrs

from postsale._errors import InvalidTypeError, InvalidValueError
from postsale._repr import readable
from postsale._vocabulary import Segment, TouchModel
from postsale.touch._assessment import (
    _INTENSITY,
    FACTORS,
    AppliedOverride,
    Assessment,
    Factor,
    FactorBand,
    Override,
    TouchScore,
    _num,
    _pct_edge,
    _range_label,
    model_word,
)
from postsale.touch._ceiling import Ceiling, ceiling_of
from postsale.touch._config import TouchConfig
from postsale.touch._format import usd
from postsale.touch._profile import BusinessProfile, Complexity, GrowthStage, Positioning


def _segment_of(config: TouchConfig, profile: BusinessProfile) -> Segment:
    employees, segment = profile.employees, profile.segment
    if employees is not None:
        lowers = [b.lower for b in config.employee_bands]
        return config.employee_bands[bisect_right(lowers, employees) - 1].segment
    if segment is None:  # pragma: no cover - BusinessProfile refuses a profile with neither
        raise InvalidValueError("is missing", field="segment", hint='pass segment="MID_MARKET" or employees=250')
    return segment


def _override_chain(
    config: TouchConfig, custom: Sequence[Override], ceiling: Ceiling | None = None
) -> Callable[[BusinessProfile, TouchModel, Segment], tuple[TouchModel, tuple[AppliedOverride, ...]]]:
    """Compile the overrides into one function; the built-in ones use shared, precomputed values.

    The economics ceiling applies first, then the floors (complex product, competitor, enterprise), then the
    custom overrides in order.
    """
    settings = config.overrides
    economics = ceiling or ceiling_of(config)
    capped = economics.enabled
    step = economics.step
    reasons = economics.reasons
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
        f"gets less than {model_word(complex_floor)}, even under economic pressure",
    )
    enterprise_table = table(
        "enterprise",
        enterprise,
        "ENTERPRISE customers get high-touch: for them it is a prerequisite, not an option",
    )
    competitor_table = table(
        "competitor_dedicated_csm",
        competitor,
        "a competitor offers dedicated CSMs at the same price point, which lifts the floor",
    )
    complex_level = int(complex_from) if complex_from is not None else 99
    empty: tuple[AppliedOverride, ...] = ()
    enterprise_segment = Segment.ENTERPRISE

    def chain(
        profile: BusinessProfile, model: TouchModel, segment: Segment
    ) -> tuple[TouchModel, tuple[AppliedOverride, ...]]:
        applied = empty
        if capped:
            hit = reasons[step(profile.acv)].get(model)
            if hit is not None:
                applied += (hit,)
                model = hit.to_model
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
    ceiling = ceiling_of(config)
    chain = _override_chain(config, custom_overrides, ceiling)
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
        return TouchScore(total, scored, model, applied, 1 in points and 5 in points)

    def refuse(profile: object) -> Assessment:
        raise InvalidTypeError(
            "expected a BusinessProfile", field="profile", value=profile, hint="build one with BusinessProfile(...)"
        )

    if not custom_factors and not custom_overrides:
        seg_by_code: list[tuple[FactorBand, Segment]] = [(segment_bands[s], s) for s in Segment]
        seg_by_code += [(band, seg) for band, seg in zip(employee_bands, employee_segments, strict=True)]
        growth_by_code = [*ratio_bands, *count_bands, *(stage_bands[s] for s in GrowthStage)]
        # One bisect finds both the ACV band and the economics step: the steps of their joined edges.
        steps = sorted({*acv_edges, *ceiling.edges})
        tables = _Tables(
            steps,
            [None, *(acv_bands[bisect_right(acv_edges, e) - 1] for e in steps)],
            [{}, *(ceiling.reasons[ceiling.step(e)] for e in steps)],
            by_total,
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

    __repr__ = readable
    acv_edges: list[Decimal]
    acv_by_code: list[FactorBand | None]
    economics_by_code: list[dict[TouchModel, AppliedOverride]]
    by_total: list[TouchModel | None]
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
        total = sum(points)
        # The economics ceiling's step counts only through the override it applies to the scored model (if any).
        economics = tables.economics_by_code[acv_code].get(tables.by_total[total])
        mixed = 1 in points and 5 in points
        score_key = (total, mixed, complexity, profile.competitor_dedicated_csm, segment, economics)
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
