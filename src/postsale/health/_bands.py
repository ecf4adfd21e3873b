"""The one band policy: how a 0-100 health score becomes GREEN / YELLOW / RED, read by health and triggers alike."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Final

import attrs

from postsale import _checks
from postsale._columnar import an_env, an_expr, decision, lookup
from postsale._repr import readable
from postsale._vocabulary import HealthBand
from postsale.health._problems import Problems

if TYPE_CHECKING:  # pragma: no cover - typing only
    from narwhals.stable.v2 import Expr

    from postsale._columnar import Env

__all__ = ["BAND_HYSTERESIS", "DROP_MARGIN", "GREEN_FROM", "YELLOW_FROM", "BandPolicy"]

GREEN_FROM: Final = 70.0
"""Default lower end (inclusive) of GREEN on the 0-100 scale (see ``docs/health.md``)."""
YELLOW_FROM: Final = 40.0
"""Default lower end (inclusive) of YELLOW; below it is RED."""
BAND_HYSTERESIS: Final = 10.0
"""Default points above a cut-off a score needs to move *up* out of the band it held: RED is entered below 40 and
left at 50, YELLOW is left for GREEN at 80."""
DROP_MARGIN: Final = 3.0
"""Default points below a cut-off a score needs to move *down* out of the band it held: GREEN is left below 67,
YELLOW for RED below 37. A score moves a point or two from week to week without anything happening at the
account; a 70 → 69 dip is that noise, not a customer turning Yellow (guide: Health › Bands)."""

_LOW: Final = 0.0
_HIGH: Final = 100.0
_CODES: Final = {band: int(band) for band in HealthBand}
"""Codes of the bands in expressions (RED 1, YELLOW 2, GREEN 3: the order of :class:`~postsale.HealthBand`)."""


def _settle(plain: HealthBand, lifted: HealthBand, lowered: HealthBand, previous: HealthBand | None) -> HealthBand:
    """The band, given the bands of the score, of ``score - hysteresis`` and of ``score + drop_margin``, and the
    band held before.

    Staying, the plain band; going up, the score must clear the cut-off plus the hysteresis, and never drops below
    the band held; going down, it must fall the drop margin below the cut-off, and never rises above the band held.
    """
    if previous is None or plain == previous:
        return plain
    if plain > previous:
        return max(lifted, previous)
    return min(lowered, previous)


@decision("band")
@attrs.frozen
class BandPolicy:
    """Cut-offs of the 0-100 score and the hysteresis against flapping: one definition for health and triggers.

    GREEN >= ``green_from``, YELLOW >= ``yellow_from``, else RED; both cut-offs are inclusive lower ends, so with
    the defaults GREEN is [70, 100], YELLOW [40, 70) ("40-69") and RED [0, 40). A health model's score has this
    plain band (no history). The trigger engine, which knows the band the account held at its previous
    evaluation, applies two margins against flapping: going up, the score must reach the cut-off plus
    ``hysteresis`` (RED is left at >= 50, YELLOW for GREEN at >= 80); going down, it must fall ``drop_margin``
    below the cut-off (GREEN is left below 67, YELLOW for RED below 37), so a 70 → 69 dip is not a band change.

    Args:
        green_from: Scores at or above are GREEN.
        yellow_from: Scores at or above (and below ``green_from``) are YELLOW; below is RED.
        hysteresis: Points above a cut-off needed to move up out of a band (0 disables it).
        drop_margin: Points below a cut-off needed to move down out of a band (0: down as soon as it is crossed).

    Raises:
        DefinitionError: unless 0 < yellow_from < green_from <= 100, 0 <= hysteresis <= 100 and
            0 <= drop_margin <= 100.

    Examples:
        >>> policy = BandPolicy()
        >>> policy.band(69.9), policy.band(70)
        (<HealthBand.YELLOW: 2>, <HealthBand.GREEN: 3>)
        >>> policy.band(45.0, previous=HealthBand.RED), policy.band(50.0, previous=HealthBand.RED)
        (<HealthBand.RED: 1>, <HealthBand.YELLOW: 2>)
        >>> policy.band(69.0, previous=HealthBand.GREEN), policy.band(66.9, previous=HealthBand.GREEN)
        (<HealthBand.GREEN: 3>, <HealthBand.YELLOW: 2>)
        >>> BandPolicy(green_from=90, yellow_from=60).band(41.7).name
        'RED'
    """

    __repr__ = readable
    green_from: float = attrs.field(default=GREEN_FROM, kw_only=True)
    yellow_from: float = attrs.field(default=YELLOW_FROM, kw_only=True)
    hysteresis: float = attrs.field(default=BAND_HYSTERESIS, kw_only=True)
    drop_margin: float = attrs.field(default=DROP_MARGIN, kw_only=True)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        band_policy_problems(self, "", problems)
        problems.raise_if_any(
            "band policy", "pass 0 < yellow_from < green_from <= 100 and hysteresis, drop_margin within 0-100"
        )

    # ---- scalar form ---------------------------------------------------------------------------------------
    def band(self, score: float, *, previous: HealthBand | None = None) -> HealthBand:
        """Return the band of a 0-100 ``score`` given the band held before (``None``: no history, no hysteresis).

        Raises:
            InvalidTypeError: ``score`` is not a number.
            InvalidValueError: ``score`` is NaN or infinite.
            UnknownNameError: ``previous`` is not a band.

        Examples:
            >>> BandPolicy().band(79.9, previous=HealthBand.YELLOW).name, BandPolicy().band(20).name
            ('YELLOW', 'RED')
        """
        if score.__class__ is not float:  # the hot path: a float score (NaN is refused by HealthBand.of)
            score = _checks.number("score", score)
        if previous is not None and previous.__class__ is not HealthBand:
            previous = _checks.member(HealthBand, "previous", previous)
        plain = HealthBand.of(score, green_from=self.green_from, yellow_from=self.yellow_from)
        if previous is None:
            return plain
        if plain is previous:
            return plain
        lifted = HealthBand.of(score - self.hysteresis, green_from=self.green_from, yellow_from=self.yellow_from)
        lowered = HealthBand.of(score + self.drop_margin, green_from=self.green_from, yellow_from=self.yellow_from)
        return _settle(plain, lifted, lowered, previous)

    # ---- columnar form -------------------------------------------------------------------------------------
    def expr(self, env: Env, score: Expr, previous_band: Expr | None = None) -> Expr:
        """Return the band names (String) of a score column, null where the score is null.

        The columnar form of :meth:`band`: ``previous_band`` is a column of band names (null, or no column: no
        history). The last step is :meth:`band`'s own rule tabulated over the 3 x 3 x 3 x 4 combinations of the
        plain band, the bands of ``score - hysteresis`` and ``score + drop_margin``, and the previous band.

        Examples:
            >>> import narwhals.stable.v2 as nw
            >>> from datetime import date
            >>> from postsale._columnar import Env, physical
            >>> env = Env(["health", "previous.band"], as_of=date(2026, 1, 1))
            >>> frame = nw.from_dict({"health": [45.0, 50.0, 69.0, None],
            ...                       physical("previous.band"): ["RED", "RED", "GREEN", "GREEN"]}, backend="polars")
            >>> band = BandPolicy().expr(env, env.health(), env.previous("band"))
            >>> frame.select(band.alias("band"))["band"].to_list()
            ['RED', 'YELLOW', 'GREEN', None]

        Raises:
            InvalidTypeError: ``env`` is not an Env, or ``score`` / ``previous_band`` not an expression.
        """
        nw = an_env(env).nw
        score = an_expr("score", score)
        if previous_band is not None:
            previous_band = an_expr("previous_band", previous_band)
        if previous_band is None or self.hysteresis == self.drop_margin == 0:  # _settle(p, p, p, _) is p
            plain: Expr = (
                nw.when(score >= self.green_from).then(nw.lit(HealthBand.GREEN.name))
                .when(score >= self.yellow_from).then(nw.lit(HealthBand.YELLOW.name))
                .when(~score.is_null()).then(nw.lit(HealthBand.RED.name))
            )
            return plain
        plain = self._code(env, score)
        lifted = self._code(env, score - self.hysteresis)
        lowered = self._code(env, score + self.drop_margin)
        before = nw.lit(0)
        for band, code in _CODES.items():
            before = nw.when(previous_band == band.name).then(nw.lit(code)).otherwise(before)
        table = {
            _key(plain_band, lifted_band, lowered_band, previous): _settle(
                plain_band, lifted_band, lowered_band, previous
            ).name
            for plain_band, lifted_band, lowered_band, previous in itertools.product(
                HealthBand, HealthBand, HealthBand, (None, *HealthBand)
            )
        }
        key = plain * 64 + lifted * 16 + lowered * 4 + before
        names = lookup(env, key, table, nw.String)
        result: Expr = nw.when(~score.is_null()).then(names)
        return result

    def _code(self, env: Env, score: Expr) -> Expr:
        nw = env.nw
        green, yellow, red = (_CODES[b] for b in (HealthBand.GREEN, HealthBand.YELLOW, HealthBand.RED))
        code: Expr = (
            nw.when(score >= self.green_from).then(nw.lit(green))
            .when(score >= self.yellow_from).then(nw.lit(yellow))
            .otherwise(nw.lit(red))
        )
        return code

    def describe(self) -> str:
        """Return the bands in words.

        Examples:
            >>> for part in BandPolicy().describe().split("; "):
            ...     print(part)
            GREEN >= 70, YELLOW 40 to < 70, RED < 40
            moving up needs 10 points above a cut-off
            moving down needs 3 points below it
        """
        text = (
            f"GREEN >= {self.green_from:g}, YELLOW {self.yellow_from:g} to < {self.green_from:g}, "
            f"RED < {self.yellow_from:g}"
        )
        if self.hysteresis:
            text += f"; moving up needs {self.hysteresis:g} points above a cut-off"
        if self.drop_margin:
            text += f"; moving down needs {self.drop_margin:g} points below it"
        return text


def _key(plain: HealthBand, lifted: HealthBand, lowered: HealthBand, previous: HealthBand | None) -> int:
    codes = _CODES[plain] * 64 + _CODES[lifted] * 16 + _CODES[lowered] * 4
    return codes + (0 if previous is None else _CODES[previous])


def band_policy_problems(policy: BandPolicy, prefix: str, problems: Problems) -> None:
    """Add every problem of ``policy`` under ``prefix`` (``bands.``)."""
    green = problems.number(f"{prefix}green_from", policy.green_from, low=_LOW, high=_HIGH)
    yellow = problems.number(f"{prefix}yellow_from", policy.yellow_from, low=_LOW, high=_HIGH)
    problems.number(f"{prefix}hysteresis", policy.hysteresis, low=_LOW, high=_HIGH)
    problems.number(f"{prefix}drop_margin", policy.drop_margin, low=_LOW, high=_HIGH)
    if yellow and policy.yellow_from <= 0:
        problems.add(f"{prefix}yellow_from", "must be above 0, or RED could never happen")
    if green and yellow and policy.yellow_from >= policy.green_from:
        problems.add(
            f"{prefix}yellow_from",
            f"{policy.yellow_from!r} is not below green_from={policy.green_from!r}; YELLOW would be empty",
        )


DEFAULT_BAND_POLICY: Final = BandPolicy()
"""The default policy: GREEN >= 70, YELLOW 40-69, RED < 40, hysteresis 10."""
