"""The evidence of a touch-model decision: factor bands and scores, overrides, the assessment it adds up to.

Also the two extension points of the scorer, the :class:`Factor` and :class:`Override` protocols, and the
plain-data custom factor :class:`NumericFactor`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from typing import Any, Final, Protocol, runtime_checkable

import attrs

from postsale import _checks
from postsale._errors import DefinitionError, InvalidValueError, Problem, UnknownNameError
from postsale._repr import readable
from postsale._vocabulary import TouchModel
from postsale.touch._config import PointsBand
from postsale.touch._format import pct, usd
from postsale.touch._profile import BusinessProfile
from postsale.touch._validation import _check_bands, _check_points

__all__ = [
    "FACTORS",
    "AppliedOverride",
    "Assessment",
    "Factor",
    "FactorBand",
    "FactorScore",
    "NumericFactor",
    "Override",
    "TouchScore",
]

FACTORS: Final = ("acv", "complexity", "segment", "margin", "positioning", "growth")
"""The six built-in factors, in the order an assessment lists them."""

_MODEL_WORDS: Final = {
    TouchModel.HIGH: "high-touch",
    TouchModel.LOW: "low-touch",
    TouchModel.TECH: "tech-touch",
    TouchModel.HYBRID: "hybrid",
}
_INTENSITY: Final = {TouchModel.TECH: 1, TouchModel.LOW: 2, TouchModel.HIGH: 3}


def model_word(model: TouchModel) -> str:
    """Return ``"high-touch"`` / ``"low-touch"`` / ``"tech-touch"`` / ``"hybrid"``."""
    return _MODEL_WORDS[model if model.__class__ is TouchModel else _model("model", model)]


def _model(field: str, value: Any) -> TouchModel:
    return _checks.member(TouchModel, field, value)


def _str() -> Any:
    return _checks.validator(lambda field, value: _checks.instance(field, value, str))


def _points(field: str, value: Any) -> int:
    return _checks.count(field, value)


@attrs.frozen
class FactorBand:
    """The band one factor's input fell in, and the points it is worth.

    Attributes:
        factor: Factor name (``"acv"``, ``"segment"`` ... or a custom factor's name).
        source: The profile input that was read (``"acv"``, ``"employees"``, ``"extras.seats"`` ...).
        label: The band in words, e.g. ``"$10,000 to under $100,000"``.
        points: Points the band is worth (1-5).

    Examples:
        >>> from postsale.touch import assess
        >>> p = BusinessProfile(acv=150_000, complexity="MODERATE", gross_margin=0.4, positioning="VALUE",
        ...                     segment="ENTERPRISE", customer_count=800)
        >>> assess(p).bands[0]
        FactorBand(factor='acv', source='acv', label='$100,000 and above', points=5)
    """

    __repr__ = readable
    factor: str
    source: str
    label: str
    points: int

    def __attrs_post_init__(self) -> None:
        # One cheap test (six bands per assessment); the full check only when it fails.
        if not (self.factor.__class__ is str and self.source.__class__ is str and self.label.__class__ is str
                and self.points.__class__ is int):
            _checks.text("factor", self.factor)
            _checks.text("source", self.source)
            _checks.instance("label", self.label, str)
            _points("points", self.points)


@attrs.frozen
class FactorScore:
    """One factor of an assessment: its input, the band that input fell in, and the points.

    Attributes:
        factor: Factor name.
        source: The profile input that was read.
        input: The input value (``Decimal`` ACV, margin fraction, enum member, count ...).
        band: The band in words.
        points: Points (1-5).

    Examples:
        >>> from postsale.touch import assess
        >>> p = BusinessProfile(acv=150_000, complexity="MODERATE", gross_margin=0.4, positioning="VALUE",
        ...                     segment="ENTERPRISE", customer_count=800)
        >>> assess(p).factor("margin")
        FactorScore(factor='margin', source='gross_margin', input=0.4, band='under 50 %', points=1)
    """

    __repr__ = readable
    factor: str = attrs.field(validator=_checks.validator(_checks.text))
    source: str = attrs.field(validator=_checks.validator(_checks.text))
    input: Any
    band: str = attrs.field(validator=_str())
    points: int = attrs.field(validator=_checks.validator(_points))


def _to_from_model(value: Any) -> TouchModel:
    return _model("from_model", value)


def _to_to_model(value: Any) -> TouchModel:
    return _model("to_model", value)


@attrs.frozen
class AppliedOverride:
    """An override that changed the model, with its reason.

    Attributes:
        name: The override's name (``"complex_product"``, ``"enterprise"``, ``"competitor_dedicated_csm"``
            or a custom name).
        from_model: The model before the override.
        to_model: The model after it.
        reason: One plain sentence saying why.

    Examples:
        >>> from postsale.touch import assess
        >>> p = BusinessProfile(acv=150_000, complexity="MODERATE", gross_margin=0.4, positioning="VALUE",
        ...                     segment="ENTERPRISE", customer_count=800)
        >>> applied = assess(p).overrides[0]
        >>> applied.name, applied.from_model, applied.to_model
        ('enterprise', <TouchModel.LOW: 'low'>, <TouchModel.HIGH: 'high'>)
    """

    __repr__ = readable
    name: str = attrs.field(validator=_checks.validator(_checks.text))
    from_model: TouchModel = attrs.field(converter=_to_from_model)
    to_model: TouchModel = attrs.field(converter=_to_to_model)
    reason: str = attrs.field(validator=_checks.validator(_checks.text))


@runtime_checkable
class Factor(Protocol):
    """A custom factor: maps a profile to a :class:`FactorBand` worth 1-5 points.

    A factor whose ``name`` is one of :data:`FACTORS` replaces that built-in factor; any other name adds
    a factor (then the model bands must cover the new total range, e.g. 7-35 with seven factors).
    :class:`NumericFactor` is a ready-made, plain-data implementation reading ``profile.extras``.

    Examples:
        >>> isinstance(NumericFactor("seats", (PointsBand(0, None, 3),)), Factor)
        True
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

    Examples:
        >>> from postsale.touch import Scorer
        >>> class NeverHigh:
        ...     name = "never_high"
        ...     def apply(self, profile, model):
        ...         if model is TouchModel.HIGH:
        ...             return AppliedOverride(self.name, model, TouchModel.LOW, "no CSM capacity for high-touch.")
        ...         return None
        >>> p = BusinessProfile(acv=150_000, complexity="MODERATE", gross_margin=0.4, positioning="VALUE",
        ...                     segment="ENTERPRISE", customer_count=800)
        >>> Scorer(overrides=[NeverHigh()]).assess(p).model
        <TouchModel.LOW: 'low'>
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

    __repr__ = readable
    name: str
    bands: tuple[PointsBand, ...] = attrs.field(converter=_band_tuple)

    def __attrs_post_init__(self) -> None:
        _checks.text("name", self.name)
        problems = [
            Problem(f"$.bands[{i}]", f"expected a PointsBand, got {type(band).__name__}")
            for i, band in enumerate(self.bands) if not isinstance(band, PointsBand)
        ]
        if problems:
            raise DefinitionError(
                f"invalid factor {self.name!r}", problems, hint="give PointsBand(lower, upper, points)"
            )
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
        _checks.instance("profile", profile, BusinessProfile, hint="pass a postsale.touch.BusinessProfile")
        value = profile.extras.get(self.name)
        if value is None:
            raise InvalidValueError(
                "is missing",
                field=f"extras[{self.name!r}]",
                constraint=f"the custom factor {self.name!r} reads it",
                hint=f"pass extras={{{self.name!r}: <number>}} in the profile",
            )
        if _checks.number(f"extras[{self.name!r}]", value) < 0:
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


def _to_scored_model(value: Any) -> TouchModel:
    return _model("scored_model", value)


def _to_model(value: Any) -> TouchModel:
    return _model("model", value)


def _to_overrides(value: Any) -> tuple[AppliedOverride, ...]:
    return _checks.items("overrides", value, AppliedOverride)


@attrs.frozen
class TouchScore:
    """What the factor points add up to: total, model before and after overrides.

    It depends only on the total, the mixed flag and the override inputs, so a :class:`Scorer` shares one
    value between every profile that scores alike.

    Attributes:
        total: Sum of the factor points (6-30 with the six built-in factors).
        scored_model: The model the total gives, before overrides.
        model: The model after overrides.
        overrides: The overrides that changed the model, in the order applied.
        mixed: The factor points contain both a 1 and a 5 (a "mixed" profile).

    Examples:
        >>> from postsale.touch import assess
        >>> p = BusinessProfile(acv=150_000, complexity="MODERATE", gross_margin=0.4, positioning="VALUE",
        ...                     segment="ENTERPRISE", customer_count=800)
        >>> score = assess(p).score
        >>> score.total, score.model, score.mixed
        (18, <TouchModel.HIGH: 'high'>, True)
    """

    __repr__ = readable
    total: int = attrs.field(validator=_checks.validator(_points))
    scored_model: TouchModel = attrs.field(converter=_to_scored_model)
    model: TouchModel = attrs.field(converter=_to_model)
    overrides: tuple[AppliedOverride, ...] = attrs.field(
        default=(), converter=_to_overrides
    )
    mixed: bool = attrs.field(default=False, validator=_checks.validator(lambda f, v: _checks.instance(f, v, bool)))


@attrs.frozen
class Assessment:
    """The touch-model assessment of one profile: the evidence per factor and the resulting score.

    The score's attributes are available directly (``assessment.total``, ``.model``, ``.mixed`` ...).

    Attributes:
        profile: The profile assessed.
        bands: The band of each factor, in factor order (:data:`FACTORS`, then custom factors).
        score: Total, model before and after overrides, overrides applied, mixed flag.

    Examples:
        >>> from postsale.touch import assess
        >>> p = BusinessProfile(acv=150_000, complexity="MODERATE", gross_margin=0.4, positioning="VALUE",
        ...                     segment="ENTERPRISE", customer_count=800)
        >>> a = assess(p)
        >>> a.points, a.total, a.scored_model, a.model
        ((5, 3, 5, 1, 1, 3), 18, <TouchModel.LOW: 'low'>, <TouchModel.HIGH: 'high'>)
    """

    __repr__ = readable
    profile: BusinessProfile
    bands: tuple[FactorBand, ...]
    score: TouchScore

    def __attrs_post_init__(self) -> None:
        # One cheap test (one assessment per account); the full check only when it fails.
        if not (self.profile.__class__ is BusinessProfile and self.score.__class__ is TouchScore
                and self.bands.__class__ is tuple and all(b.__class__ is FactorBand for b in self.bands)):
            _checks.instance("profile", self.profile, BusinessProfile)
            _checks.instance("score", self.score, TouchScore)
            object.__setattr__(self, "bands", _checks.items("bands", self.bands, FactorBand))

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
            "(a boundary score goes to the higher-touch model)."
        )
        lines.extend(f"Override {o.name!r}: {o.reason}" for o in self.overrides)
        if self.mixed:
            lines.append(
                "Mixed profile: the factor points include both a 1 and a 5, so one model fits this "
                "customer poorly; consider a hybrid with tiers."
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
