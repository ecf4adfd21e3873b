"""The impact of proactive engagement: outcomes of engaged against non-engaged accounts, and by touch frequency.

For each group of accounts: the mean change of the health score, revenue retention and expansion (from a revenue
ledger), the median time to first value, NPS and CSAT. One record per account (:class:`AccountEngagement`) says
how many proactive touches it received and answered over the period, and what was measured.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterable
from datetime import date
from typing import Any, Final

import attrs

from postsale import _checks
from postsale._errors import InvalidValueError
from postsale._repr import readable
from postsale.kpi._ledger import RevenueLedger
from postsale.kpi._numbers import ZERO, minus, of_type, pct, ratio
from postsale.kpi._report import DEFAULT_RETENTION_DEFINITION, RetentionDefinition, RetentionReport
from postsale.kpi._retention import _check_inputs, _figures, _report
from postsale.kpi._surveys import DEFAULT_CSAT_SCALE, Csat, CsatScale, NetPromoterScore, csat, nps

__all__ = [
    "DEFAULT_TOUCH_BANDS",
    "ENGAGED_FROM",
    "AccountEngagement",
    "EngagementImpact",
    "ImpactGroup",
    "engagement_impact",
]

ENGAGED_FROM: Final = 1
"""An account is *engaged* when it answered at least this many proactive touches in the period, inclusive
(guide: KPIs › Engagement impact)."""

DEFAULT_TOUCH_BANDS: Final = (1, 4, 12)
"""Lower bounds of the touch-frequency bands over a 12-month period: 0, 1-3 (less than quarterly), 4-11
(quarterly to monthly), 12 and more (monthly or more often) (guide: KPIs › Engagement impact)."""


def _health(field: str, value: Any) -> float:
    score = _checks.number(field, value)
    if not 0 <= score <= 100:
        raise InvalidValueError(
            "is outside 0-100", field=field, value=value, constraint="a health score is between 0 and 100",
            hint="pass the score on the 0-100 scale",
        )
    return score


def _nps_answer(field: str, value: Any) -> int:
    answer = _checks.count(field, value)
    if answer > 10:
        raise InvalidValueError(
            "is outside 0-10", field=field, value=value, constraint="an NPS answer is 0-10", hint="pass 0 to 10",
        )
    return answer


def _answered(instance: AccountEngagement, _attribute: Any, value: int) -> None:
    _checks.count("responses", value)
    if value > instance.proactive_touches:
        raise InvalidValueError(
            "is larger than proactive_touches", field="responses", value=value,
            constraint=f"at most proactive_touches={instance.proactive_touches}",
            hint="count only answers to the proactive touches of the period",
        )


_optional = _checks.optional_validator


@attrs.frozen
class AccountEngagement:
    """One account over a period: proactive touches received and answered, and the outcomes measured.

    Args:
        account_id: The account.
        proactive_touches: Proactive touches it received in the period (emails, calls, reviews, events ...).
        responses: How many of them it engaged with (opened, clicked, accepted, attended).
        health_start: Health score (0-100) at the start of the period, if measured.
        health_end: Health score at the end of the period, if measured.
        days_to_value: Days from its start to first value, if reached (see ``postsale.journey.AccountMilestones``).
        nps: Its latest answer to "how likely are you to recommend us?" (0-10), if any.
        csat: Its latest satisfaction answer on the CSAT scale, if any.

    Raises:
        InvalidValueError: more responses than touches, a health score outside 0-100, an NPS answer outside 0-10.

    Examples:
        >>> acme = AccountEngagement("acme", 8, 5, health_start=62, health_end=71, nps=9)
        >>> acme.engaged, acme.health_change
        (True, 9.0)
    """

    __repr__ = readable
    account_id: str = attrs.field(validator=_checks.validator(_checks.identifier))
    proactive_touches: int = attrs.field(validator=_checks.validator(_checks.count))
    responses: int = attrs.field(default=0, validator=_answered)
    health_start: float | None = attrs.field(default=None, validator=_optional(_health))
    health_end: float | None = attrs.field(default=None, validator=_optional(_health))
    days_to_value: int | None = attrs.field(default=None, validator=_optional(_checks.count))
    nps: int | None = attrs.field(default=None, validator=_optional(_nps_answer))
    csat: int | None = attrs.field(default=None, validator=_optional(_checks.count))

    @property
    def engaged(self) -> bool:
        """True when it answered at least :data:`ENGAGED_FROM` touches."""
        return self.responses >= ENGAGED_FROM

    @property
    def health_change(self) -> float | None:
        """Health at the end minus health at the start (``None`` unless both were measured)."""
        if self.health_start is None or self.health_end is None:
            return None
        return float(self.health_end) - float(self.health_start)


def _to_nps(value: Any) -> NetPromoterScore | None:
    return None if value is None else _checks.instance("nps", value, NetPromoterScore)


def _to_csat(value: Any) -> Csat | None:
    return None if value is None else _checks.instance("csat", value, Csat)


_count = _checks.validator(_checks.count)


@attrs.frozen
class ImpactGroup:
    """The outcomes of one group of accounts (engaged, not engaged, or a touch-frequency band).

    Attributes:
        name: The group (``"engaged"``, ``"not engaged"``, ``"4-11 touches"`` ...).
        accounts: Accounts in the group.
        health_change: Mean change of the health score over accounts measured at both ends.
        health_measured: How many accounts that mean is over.
        retention: GRR, NRR, logo retention and expansion of the group's starting cohort (``None`` without a
            ledger, or when none of its accounts had revenue at the start).
        median_days_to_value: Median days to first value over accounts that reached it.
        value_measured: How many accounts that median is over.
        nps: NPS of the group's answers (``None`` without answers).
        csat: CSAT of the group's answers (``None`` without answers).

    Examples:
        >>> group = ImpactGroup("engaged", 40, health_change=2.5, health_measured=36)
        >>> group.explain()
        ['engaged: 40 account(s); health +2.5 points on average (36 measured).']
    """

    __repr__ = readable
    name: str = attrs.field(validator=_checks.validator(_checks.text))
    accounts: int = attrs.field(validator=_count)
    health_change: float | None = attrs.field(default=None, validator=_optional(_checks.number))
    health_measured: int = attrs.field(default=0, validator=_count)
    retention: RetentionReport | None = attrs.field(default=None, validator=of_type(RetentionReport, optional=True))
    median_days_to_value: float | None = attrs.field(default=None, validator=_optional(_checks.non_negative))
    value_measured: int = attrs.field(default=0, validator=_count)
    nps: NetPromoterScore | None = attrs.field(default=None, converter=_to_nps)
    csat: Csat | None = attrs.field(default=None, converter=_to_csat)

    def explain(self) -> list[str]:
        """One sentence with every outcome measured for the group."""
        parts = [f"{self.name}: {self.accounts} account(s)"]
        if self.health_change is not None:
            parts.append(f"health {self.health_change:+.1f} points on average ({self.health_measured} measured)")
        if self.retention is not None:
            r = self.retention
            parts.append(f"GRR {pct(r.grr)}, NRR {pct(r.nrr)}, logo retention {pct(r.logo_retention)}, "
                         f"expansion {pct(r.expansion_rate)}")
        if self.median_days_to_value is not None:
            parts.append(f"median time to first value {self.median_days_to_value:g} days ({self.value_measured} "
                         "measured)")
        if self.nps is not None:
            parts.append(f"NPS {self.nps.score:+.1f} ({self.nps.responses} answer(s))")
        if self.csat is not None:
            parts.append(f"CSAT {self.csat.share:.1%} ({self.csat.responses} answer(s))")
        return ["; ".join(parts) + "."]


def _to_participation(value: Any) -> tuple[ImpactGroup, ...]:
    return _checks.items("by_participation", value, ImpactGroup)


def _to_frequency(value: Any) -> tuple[ImpactGroup, ...]:
    return _checks.items("by_frequency", value, ImpactGroup)


def _to_bands(value: Any) -> tuple[int, ...]:
    bands = tuple(_checks.count(f"bands[{i}]", b) for i, b in enumerate(_checks.items("bands", value)))
    if any(b < 1 for b in bands) or any(b >= c for b, c in itertools.pairwise(bands)):
        raise InvalidValueError(
            "are not increasing positive numbers", field="bands", value=bands,
            constraint="lower bounds of the bands above 0, strictly increasing", hint="pass e.g. (1, 4, 12)",
        )
    return bands


@attrs.frozen
class EngagementImpact:
    """Outcomes by engagement: engaged against non-engaged accounts, and by proactive-touch frequency.

    Attributes:
        engaged_from: Answers needed to count as engaged.
        bands: Lower bounds of the touch-frequency bands.
        by_participation: The engaged group, then the non-engaged group.
        by_frequency: One group per band, from no touch to the most touches.
        touch_expansion_correlation: Pearson correlation, over the accounts with revenue at the start, between
            their proactive touches and their own expansion rate (``None`` when it cannot be computed).
        correlated_accounts: How many accounts that correlation is over.

    Examples:
        >>> impact = EngagementImpact(by_participation=(ImpactGroup("engaged", 3), ImpactGroup("not engaged", 1)))
        >>> impact.explain()[0]
        'engaged: 3 account(s).'
    """

    __repr__ = readable
    engaged_from: int = attrs.field(default=ENGAGED_FROM, validator=_count)
    bands: tuple[int, ...] = attrs.field(default=DEFAULT_TOUCH_BANDS, converter=_to_bands)
    by_participation: tuple[ImpactGroup, ...] = attrs.field(default=(), converter=_to_participation)
    by_frequency: tuple[ImpactGroup, ...] = attrs.field(default=(), converter=_to_frequency)
    touch_expansion_correlation: float | None = attrs.field(default=None, validator=_optional(_checks.number))
    correlated_accounts: int = attrs.field(default=0, validator=_count)

    def explain(self) -> list[str]:
        """Sentences a CS lead can read: each group's outcomes, the correlation, and the caveat."""
        lines = [line for group in (*self.by_participation, *self.by_frequency) for line in group.explain()]
        r = self.touch_expansion_correlation
        if r is not None:
            lines.append(f"Correlation between proactive touches and account expansion: r = {r:+.2f} over "
                         f"{self.correlated_accounts} account(s).")
        if lines:
            lines.append("Engaged customers may have been healthier to begin with: read these as correlations, "
                         "not proof that the touches caused the difference.")
        return lines


def _band_names(bands: tuple[int, ...]) -> list[str]:
    """``["0 touches", "1-3 touches", "4-11 touches", "12+ touches"]`` for bands (1, 4, 12)."""
    if not bands:
        return ["all accounts"]
    names = ["0 touches" if bands[0] == 1 else f"0-{bands[0] - 1} touches"]
    for low, high in zip(bands, (*bands[1:], None), strict=True):
        if high is None:
            names.append(f"{low}+ touches")
        elif high - low == 1:
            names.append("1 touch" if low == 1 else f"{low} touches")
        else:
            names.append(f"{low}-{high - 1} touches")
    return names


def _band_index(touches: int, bands: tuple[int, ...]) -> int:
    return sum(1 for b in bands if touches >= b)


def engagement_impact(
    engagement: Iterable[AccountEngagement],
    *,
    ledger: RevenueLedger | None = None,
    start: date | None = None,
    definition: RetentionDefinition = DEFAULT_RETENTION_DEFINITION,
    engaged_from: int = ENGAGED_FROM,
    bands: tuple[int, ...] = DEFAULT_TOUCH_BANDS,
    csat_scale: CsatScale = DEFAULT_CSAT_SCALE,
) -> EngagementImpact:
    """Compare outcomes of engaged and non-engaged accounts, and across proactive-touch frequencies.

    Args:
        engagement: One record per account (an account given twice is refused).
        ledger: Revenue movements; with ``start``, each group's retention and expansion are measured over the
            period from ``start`` (the group's accounts with revenue at the start form its cohort).
        start: First day of the period (required with ``ledger``).
        definition: The retention definition (ARR, 12 months, reactivations excluded by default).
        engaged_from: Answers needed to count as engaged (default 1).
        bands: Lower bounds of the touch-frequency bands (default 1, 4, 12 over a 12-month period).
        csat_scale: The scale of the CSAT answers.

    Raises:
        InvalidTypeError: a record that is not an AccountEngagement, a ledger that is not a RevenueLedger.
        InvalidValueError: an account given twice, a ledger without ``start``, bands not increasing, a CSAT
            answer off the scale.

    Examples:
        >>> records = [AccountEngagement("a", 6, 4, 60, 72, nps=9), AccountEngagement("b", 5, 2, 70, 74, nps=10),
        ...            AccountEngagement("c", 0, 0, 68, 55, nps=4)]
        >>> impact = engagement_impact(records)
        >>> [(g.name, g.accounts, g.health_change) for g in impact.by_participation]
        [('engaged', 2, 8.0), ('not engaged', 1, -13.0)]
        >>> [(g.name, g.accounts) for g in impact.by_frequency]
        [('0 touches', 1), ('1-3 touches', 0), ('4-11 touches', 2), ('12+ touches', 0)]
    """
    threshold = _checks.count("engaged_from", engaged_from)
    cuts = _to_bands(bands)
    _checks.instance("csat_scale", csat_scale, CsatScale, hint="pass a postsale.kpi.CsatScale")
    records = _checks.items("engagement", engagement, AccountEngagement)
    seen: set[str] = set()
    for index, record in enumerate(records):
        if record.account_id in seen:
            raise InvalidValueError(
                "is given twice", field=f"engagement[{index}].account_id", value=record.account_id,
                constraint="one record per account", hint="merge the account's touches into one record",
            )
        seen.add(record.account_id)
    figures = None
    if ledger is not None or start is not None:
        if ledger is None or start is None:
            raise InvalidValueError(
                "needs both a ledger and a start", field="start" if start is None else "ledger", value=None,
                hint="pass ledger=... and start=date(...) together, or neither",
            )
        _check_inputs(ledger, start, definition)
        end = definition.period_end(start)
        figures = (_figures(ledger, start, end, definition.reactivations), start, end)

    def group(name: str, members: list[AccountEngagement]) -> ImpactGroup:
        changes = [m.health_change for m in members if m.health_change is not None]
        days = [m.days_to_value for m in members if m.days_to_value is not None]
        nps_answers = [m.nps for m in members if m.nps is not None]
        csat_answers = [m.csat for m in members if m.csat is not None]
        report = None
        if figures is not None:
            table, first, last = figures
            cohort = [table[m.account_id] for m in members if m.account_id in table and table[m.account_id].start > 0]
            if cohort:
                report = _report(cohort, start=first, end=last, definition=definition)
        return ImpactGroup(
            name, len(members),
            statistics.fmean(changes) if changes else None, len(changes),
            report,
            float(statistics.median(days)) if days else None, len(days),
            nps(nps_answers) if nps_answers else None,
            csat(csat_answers, scale=csat_scale) if csat_answers else None,
        )

    engaged = [r for r in records if r.responses >= threshold]
    others = [r for r in records if r.responses < threshold]
    names = _band_names(cuts)
    banded: list[list[AccountEngagement]] = [[] for _ in names]
    for record in records:
        banded[_band_index(record.proactive_touches, cuts)].append(record)
    correlation, correlated = _correlation(records, figures[0] if figures is not None else None)
    return EngagementImpact(
        threshold, cuts,
        (group("engaged", engaged), group("not engaged", others)),
        tuple(group(name, members) for name, members in zip(names, banded, strict=True)),
        correlation, correlated,
    )


def _correlation(records: tuple[AccountEngagement, ...], table: Any) -> tuple[float | None, int]:
    """Pearson r between touches and each account's own expansion rate (growth ÷ start; churn counts as 0)."""
    if table is None:
        return None, 0
    xs: list[float] = []
    ys: list[float] = []
    for record in records:
        figure = table.get(record.account_id)
        if figure is None or figure.start <= 0:
            continue
        xs.append(float(record.proactive_touches))
        ys.append(float(ratio(max(minus(figure.end, figure.start), ZERO), figure.start)))
    if len(xs) < 2 or len(set(xs)) < 2 or len(set(ys)) < 2:
        return None, len(xs)
    return statistics.correlation(xs, ys), len(xs)
