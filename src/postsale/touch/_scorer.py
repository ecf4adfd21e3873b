"""The six-factor touch-model scorer in its two forms: one profile (:meth:`Scorer.assess`) and every account of
a portfolio frame (:meth:`Scorer.expr`).

A :class:`Scorer` is compiled once from a :class:`~postsale.touch.TouchConfig`: every band becomes a shared
:class:`~postsale.touch.FactorBand` value and a lookup table. Its columnar form tabulates the scalar scorer over
the small domain that varies per account in a review (the ACV step, which decides both the ACV band and the
economics ceiling, and the segment; the company's other factors are constants), so both forms give the same
answer by construction.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from postsale import _checks
from postsale._columnar import Env, an_env, decision, lookup, segment_code
from postsale._errors import DefinitionError, InvalidTypeError, InvalidValueError, Problem
from postsale._vocabulary import Segment, TouchModel
from postsale.touch._assessment import FACTORS, AppliedOverride, Assessment, Factor, NumericFactor, Override
from postsale.touch._ceiling import ceiling_of
from postsale.touch._compile import _compile, _override_chain, _segment_of
from postsale.touch._config import DEFAULT_CONFIG, TouchConfig
from postsale.touch._profile import BusinessProfile

if TYPE_CHECKING:  # pragma: no cover - typing only
    from narwhals.stable.v2 import Expr

__all__ = ["Scorer", "assess"]

Output = Literal["model", "total"]
"""What :meth:`Scorer.expr` gives per row: the model name after overrides, or the total points."""


def float_edge(edge: Decimal) -> float:
    """Return the least float ``x`` with ``Decimal(repr(x)) >= edge``.

    A float ACV enters the scalar path as ``Decimal(repr(x))`` (its shortest decimal form), so ``x >= float_edge(e)``
    is exactly "``x`` is at or above the band edge ``e`` on the scalar path", also for edges no float represents.
    ``repr`` is monotonic in ``x``, so the least such float is within a step of ``float(edge)``.

    Examples:
        >>> float_edge(Decimal(10_000))
        10000.0
        >>> x = float_edge(Decimal("0.1") + Decimal("1e-30"))
        >>> Decimal(repr(x)) >= Decimal("0.1") + Decimal("1e-30") > Decimal(repr(math.nextafter(x, -math.inf)))
        True
    """
    x = float(edge)
    if Decimal(repr(x)) >= edge:
        while Decimal(repr(below := math.nextafter(x, -math.inf))) >= edge:
            x = below
        return x
    while Decimal(repr(x)) < edge:
        x = math.nextafter(x, math.inf)
    return x


@decision("assess")
class Scorer:
    """A compiled six-factor scorer: config, custom factors and overrides turned into lookup tables.

    Build it once and reuse it. Its scalar form :meth:`assess` scores one profile (the hot path); its columnar
    form :meth:`expr` scores every account of a portfolio frame as ``assess(company.for_account(snapshot))``.

    Args:
        config: The configuration (default :data:`~postsale.touch.DEFAULT_CONFIG`).
        factors: Custom factors (:class:`Factor`); one named like a built-in factor replaces it.
        overrides: Custom overrides (:class:`Override`), applied after the built-in ones, in order.

    Attributes:
        acv_steps: The ACV edges (from 0, rising) between which an assessment cannot change with the ACV: the ACV
            bands' lower edges and the economics ceiling's (the ACV from which each model's CSM cost is within 15 %
            of revenue: $1,600 tech-touch, $16,000 low-touch, $100,000 high-touch by default).

    Raises:
        InvalidTypeError: ``config`` is not a :class:`~postsale.touch.TouchConfig`, or ``factors`` or
            ``overrides`` not a collection.
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

    __slots__ = (
        "_assess", "_chain", "acv_steps", "config", "custom_factors", "custom_overrides", "factor_names", "score_range"
    )

    config: TouchConfig
    custom_factors: tuple[Factor, ...]
    custom_overrides: tuple[Override, ...]
    factor_names: tuple[str, ...]
    score_range: tuple[int, int]
    acv_steps: tuple[Decimal, ...]
    _assess: Callable[[BusinessProfile], Assessment]
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
        custom_factors = _checks.items("factors", factors)
        custom_overrides = _checks.items("overrides", overrides)
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
        self._assess = _compile(config, custom_factors, custom_overrides, names, low, high)
        self._chain = _override_chain(config, custom_overrides)
        self.acv_steps = tuple(sorted({*(Decimal(b.lower) for b in config.acv_bands), *ceiling_of(config).edges}))

    def assess(self, profile: BusinessProfile) -> Assessment:
        """Assess one business profile: each factor's band and points, the total, the model and its overrides.

        Raises:
            InvalidTypeError: ``profile`` is not a :class:`~postsale.touch.BusinessProfile`.

        Examples:
            >>> p = BusinessProfile(acv=100_000, complexity="HIGH", gross_margin=0.8, positioning="PREMIUM",
            ...                     segment="ENTERPRISE", accounts_per_csm=10)
            >>> Scorer().assess(p).total
            30
        """
        return self._assess(profile)

    def __repr__(self) -> str:
        return f"Scorer(factors={list(self.factor_names)!r}, overrides={len(self.custom_overrides)} custom)"

    def apply_overrides(
        self, profile: BusinessProfile, model: TouchModel
    ) -> tuple[TouchModel, tuple[AppliedOverride, ...]]:
        """Apply the built-in and custom overrides to ``model`` for ``profile`` (used by tier migration).

        Raises:
            InvalidTypeError: ``profile`` is not a :class:`~postsale.touch.BusinessProfile`.
            UnknownNameError: ``model`` is not a :class:`~postsale.TouchModel` (nor its name).

        Examples:
            >>> p = BusinessProfile(acv=5_000, complexity="LOW", gross_margin=0.5, positioning="VALUE",
            ...                     segment="ENTERPRISE", accounts_per_csm=200)
            >>> model, applied = Scorer().apply_overrides(p, TouchModel.TECH)
            >>> model, [o.name for o in applied]
            (<TouchModel.HIGH: 'high'>, ['enterprise'])
        """
        if type(profile) is not BusinessProfile:
            _checks.instance("profile", profile, BusinessProfile, hint="pass a postsale.touch.BusinessProfile")
        if type(model) is not TouchModel:
            model = TouchModel.parse(model, field="model")
        return self._chain(profile, model, _segment_of(self.config, profile))

    def model_for_total(self, total: int) -> TouchModel:
        """Return the model the model bands give ``total``.

        Raises:
            InvalidValueError: ``total`` is outside the possible range.

        Examples:
            >>> Scorer().model_for_total(19), Scorer().model_for_total(20)
            (<TouchModel.LOW: 'low'>, <TouchModel.HIGH: 'high'>)
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

    # ---- columnar form ------------------------------------------------------------------------------------------

    def account_table(self, company: BusinessProfile) -> dict[tuple[int, Segment], Assessment]:
        """Return the assessment of every account of ``company`` by ACV step (1 = the first) and segment.

        Per account, :meth:`BusinessProfile.for_account <postsale.touch.BusinessProfile.for_account>` sets only the
        ACV, the segment and the account id; the ACV counts only through its band and through the economics
        ceiling's step, both constant between two consecutive :attr:`acv_steps`. So the scalar scorer on one
        profile per (step, segment) is every account's answer: the table :meth:`expr` looks rows up in.

        Raises:
            InvalidTypeError: ``company`` is not a :class:`~postsale.touch.BusinessProfile`.
            InvalidValueError: the scorer has custom factors (other than :class:`~postsale.touch.NumericFactor`) or
                custom overrides, which may read the ACV or the account itself.

        Examples:
            >>> company = BusinessProfile(acv=0, complexity="MODERATE", gross_margin=0.75,
            ...                           positioning="MARKET_STANDARD", segment="MID_MARKET", customer_count=3000)
            >>> scorer = Scorer()
            >>> [int(edge) for edge in scorer.acv_steps]
            [0, 1600, 10000, 16000, 100000]
            >>> table = scorer.account_table(company)
            >>> table[1, Segment.SMB].total, table[1, Segment.SMB].model, table[4, Segment.SMB].model
            (14, <TouchModel.TECH: 'tech'>, <TouchModel.LOW: 'low'>)
            >>> table[5, Segment.MID_MARKET].model, table[1, Segment.ENTERPRISE].model
            (<TouchModel.HIGH: 'high'>, <TouchModel.HIGH: 'high'>)
        """
        if not isinstance(company, BusinessProfile):
            raise InvalidTypeError(
                "expected a BusinessProfile", field="company", value=company,
                hint="pass the vendor's own postsale.touch.BusinessProfile",
            )
        custom = [f.name for f in self.custom_factors if not isinstance(f, NumericFactor)]
        custom += [o.name for o in self.custom_overrides]
        if custom:
            raise InvalidValueError(
                "has custom factors or overrides the columnar form cannot tabulate",
                field="scorer",
                value=", ".join(custom),
                constraint="per account only the ACV band and the segment may vary (NumericFactor reads the "
                "company's extras, so it is fine)",
                hint="assess these accounts one by one: assess(company.for_account(snapshot), scorer=scorer)",
            )
        return {
            (code, segment): self._assess(
                attrs.evolve(company, acv=lower, segment=segment, employees=None, account_id=None)
            )
            for code, lower in enumerate(self.acv_steps, start=1)
            for segment in Segment
        }

    def expr(self, env: Env, company: BusinessProfile, *, output: Output = "model") -> Expr:
        """The columnar form of ``assess(company.for_account(snapshot), scorer=self)`` for every row.

        Reads ``acv`` (Float64; null is the snapshot's default ACV of 0) and ``segment`` (a
        :class:`~postsale.Segment` name). The ACV band of a float ``x`` is the band of ``Decimal(repr(x))``, as
        on the scalar path: ``9999.999999`` is under a 10 000 edge, ``10000.0`` on it (see :func:`float_edge`).
        A negative ACV or an unknown segment gives null (the scalar path refuses them). The economics ceiling's
        edges ($1,600, $16,000 and $100,000 by default) split the rows as exactly as the band edges.

        Args:
            env: The evaluation's environment.
            company: The vendor's business profile (the review's ``settings.company``).
            output: ``"model"`` (the :class:`~postsale.TouchModel` name after overrides, String) or ``"total"``
                (the factor points' sum, Float64 like every number of the frame).

        Raises:
            InvalidTypeError: ``env`` is not an :class:`~postsale._columnar.Env`, or see :meth:`account_table`.
            InvalidValueError: see :meth:`account_table`, or an unknown ``output``.

        Examples:
            >>> from datetime import date
            >>> import narwhals.stable.v2 as nw
            >>> from postsale._columnar import Env
            >>> company = BusinessProfile(acv=0, complexity="MODERATE", gross_margin=0.75,
            ...                           positioning="MARKET_STANDARD", segment="MID_MARKET", customer_count=3000)
            >>> frame = nw.from_dict({"acv": [9999.999999, 16000.0, 250000.0], "segment": ["SMB", "SMB", "SMB"]},
            ...                      backend="polars")
            >>> env = Env(frame.columns, as_of=date(2026, 11, 1))
            >>> scorer = Scorer()
            >>> frame.select(total=scorer.expr(env, company, output="total"), model=scorer.expr(env, company)).rows()
            [(14.0, 'TECH'), (16.0, 'LOW'), (18.0, 'LOW')]
        """
        pick: dict[str, Callable[[Assessment], Any]] = {"model": lambda a: a.model.name, "total": lambda a: a.total}
        env = an_env(env)
        if not isinstance(output, str) or output not in pick:
            raise InvalidValueError(
                "is not an output of the touch scorer", field="output", value=output,
                constraint="model or total", hint='pass output="model" or output="total"',
            )
        nw = env.nw
        table = self.account_table(company)
        n = len(Segment)
        key = env.column(TOUCH_KEY) if env.has(TOUCH_KEY) else self.stage(env)[TOUCH_KEY]
        position = {s: i for i, s in enumerate(Segment)}
        values = {float(k * n + position[s]): pick[output](a) for (k, s), a in table.items()}
        result: Expr = lookup(env, key, values, nw.String if output == "model" else nw.Float64)
        return result

    def stage(self, env: Env) -> dict[str, Expr]:
        """The intermediate column :meth:`expr` reads, :data:`TOUCH_KEY` (each row's ACV step and segment as one
        code), which an entry point adds in a stage of its own so that the model and the total share it.

        Raises:
            InvalidTypeError: ``env`` is not an :class:`~postsale._columnar.Env`.

        Examples:
            >>> from datetime import date
            >>> import narwhals.stable.v2 as nw
            >>> from postsale._columnar import Env
            >>> frame = nw.from_dict({"acv": [500.0, None], "segment": ["SMB", "SMB"]}, backend="polars")
            >>> frame.select(**Scorer().stage(Env(frame.columns, as_of=date(2026, 11, 1))))[TOUCH_KEY].to_list()
            [6.0, 6.0]
        """
        nw = an_env(env).nw
        acv = env.column("acv").fill_null(0.0)
        # Float64 codes and keys throughout: an integer column cannot hold a null on every backend (pandas).
        code: Any = nw.lit(None, nw.Float64)
        for k, lower in enumerate(self.acv_steps, start=1):  # the highest step the ACV reaches wins
            code = nw.when(acv >= float_edge(lower)).then(nw.lit(float(k))).otherwise(code)
        return {TOUCH_KEY: code * len(Segment) + segment_code(env)}


TOUCH_KEY: Final = "_touch_key"
"""The column :meth:`Scorer.stage` adds: each row's ACV step and segment as one code."""

DEFAULT_SCORER: Final = Scorer()
"""The scorer with the default configuration."""


def assess(profile: BusinessProfile, *, scorer: Scorer | None = None) -> Assessment:
    """Assess one business profile with the six-factor framework (:meth:`Scorer.assess` of ``scorer``).

    Args:
        profile: The profile to assess.
        scorer: A compiled :class:`Scorer` (default: the default configuration).

    Returns:
        The :class:`Assessment` with per-factor evidence, total, model, overrides and ``explain()``.

    Raises:
        InvalidTypeError: ``profile`` is not a :class:`~postsale.touch.BusinessProfile`, or ``scorer`` not a
            :class:`Scorer` (nor ``None``).

    Examples:
        >>> p = BusinessProfile(acv=25_000, complexity="MODERATE", gross_margin=0.7, positioning="MARKET_STANDARD",
        ...                     segment="MID_MARKET", accounts_per_csm=50)
        >>> a = assess(p)
        >>> a.points, a.total, a.scored_model, a.model
        ((3, 3, 3, 5, 3, 3), 20, <TouchModel.HIGH: 'high'>, <TouchModel.LOW: 'low'>)
        >>> print(a.explain()[-2])
        Override 'economics': the account's ACV pays for low-touch at most: high-touch (one CSM at $150,000 for
        10 accounts) costs $15,000 per account, more than 15 % of revenue below an ACV of $100,000; high-touch
        -> low-touch.
    """
    if scorer is None:
        return DEFAULT_SCORER.assess(profile)
    if not isinstance(scorer, Scorer):
        _checks.instance("scorer", scorer, Scorer, hint="pass a Scorer(config) built once, or None for the default")
    return scorer.assess(profile)
