"""The CSM portfolio view: touches per CSM per week across many agendas."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import attrs

from postsale import _checks
from postsale._repr import readable
from postsale._vocabulary import AccountSnapshot
from postsale.cadence._agenda import Agenda
from postsale.cadence._preferences import Period
from postsale.cadence._touches import Source

__all__ = ["CsmWeek", "PortfolioView", "portfolio_view"]


@attrs.frozen
class CsmWeek:
    """One CSM's load in one week (ISO week, Monday first).

    Attributes:
        csm: The CSM (``None`` for accounts without one).
        week_start: The Monday of the week.
        accounts: Accounts with at least one touch that week.
        personal: Touches needing the CSM's time (scheduled, not automated) - the load.
        alerts: Touches demanded by alerts (also the CSM's time).
        automated: Automated touches (no CSM time).
        capacity: Touches the CSM can handle per week, when known.

    Examples:
        >>> from postsale import AccountSnapshot
        >>> from postsale.cadence import Window, build_agenda
        >>> acme = AccountSnapshot("acme", "SMB", date(2026, 3, 1), contract_start=date(2025, 12, 15),
        ...                        labels={"csm": "Ana"})
        >>> view = portfolio_view([build_agenda(acme, Window(date(2026, 3, 1), date(2026, 3, 31)))],
        ...                       accounts=[acme], capacity=1)
        >>> week = view.weeks[0]
        >>> week.csm, week.week_start, week.load, week.automated
        ('Ana', datetime.date(2026, 3, 16), 1, 1)
    """

    __repr__ = readable
    csm: str | None = attrs.field(validator=_checks.optional_validator(_checks.text))
    week_start: date = attrs.field(validator=_checks.validator(_checks.a_date))
    accounts: int = attrs.field(validator=_checks.validator(_checks.count))
    personal: int = attrs.field(validator=_checks.validator(_checks.count))
    alerts: int = attrs.field(validator=_checks.validator(_checks.count))
    automated: int = attrs.field(validator=_checks.validator(_checks.count))
    capacity: int | None = attrs.field(default=None, validator=_checks.optional_validator(_checks.count))

    @property
    def load(self) -> int:
        """Touches needing the CSM's time: personal scheduled touches plus alerts."""
        return self.personal + self.alerts

    @property
    def over_capacity(self) -> bool:
        """True when the load exceeds the capacity (never when the capacity is unknown)."""
        return self.capacity is not None and self.load > self.capacity


def _to_weeks(value: Any) -> tuple[CsmWeek, ...]:
    return _checks.items("weeks", value, CsmWeek)


@attrs.frozen
class PortfolioView:
    """Touches per CSM per week across many agendas, so capacity problems are visible.

    Attributes:
        weeks: One row per CSM and week, sorted by CSM (unassigned last) then week.

    Examples:
        >>> from postsale import AccountSnapshot
        >>> from postsale.cadence import Window, build_agenda
        >>> acme = AccountSnapshot("acme", "SMB", date(2026, 3, 1), contract_start=date(2025, 12, 15),
        ...                        labels={"csm": "Ana"})
        >>> view = portfolio_view([build_agenda(acme, Window(date(2026, 3, 1), date(2026, 3, 31)))],
        ...                       accounts=[acme], capacity=1)
        >>> view.explain()[0]
        'Ana, week of 2026-03-16: 1 touch(es) needing a CSM (0 from alerts) over 1 account(s), plus 1 automated.'
    """

    __repr__ = readable
    weeks: tuple[CsmWeek, ...] = attrs.field(converter=_to_weeks)

    def over_capacity(self) -> tuple[CsmWeek, ...]:
        """Rows whose load exceeds the capacity."""
        return tuple(w for w in self.weeks if w.over_capacity)

    def explain(self) -> list[str]:
        """One sentence per CSM and week, flagging the weeks over capacity."""
        sentences = []
        for w in self.weeks:
            who = w.csm if w.csm is not None else "Unassigned accounts"
            text = (
                f"{who}, week of {w.week_start.isoformat()}: {w.load} touch(es) needing a CSM "
                f"({w.alerts} from alerts) over {w.accounts} account(s), plus {w.automated} automated."
            )
            if w.over_capacity:
                text += f" Over capacity ({w.capacity})."
            sentences.append(text)
        return sentences


def portfolio_view(
    agendas: Iterable[Agenda],
    *,
    accounts: Iterable[AccountSnapshot] = (),
    csm_of: Mapping[str, str] | None = None,
    capacity: int | None = None,
) -> PortfolioView:
    """Return the load per CSM per week over many account agendas.

    The CSM of an account comes from ``csm_of`` (account id → CSM) when given there, else from the account's
    ``labels["csm"]``; accounts with neither are grouped as unassigned (``csm=None``).

    Args:
        agendas: One agenda per account.
        accounts: The accounts' snapshots (for their ``csm`` label).
        csm_of: An explicit mapping of account id to CSM (wins over labels).
        capacity: Touches a CSM can handle per week (flags the weeks above it).

    Raises:
        InvalidTypeError: ``agendas`` or ``accounts`` is not a collection of agendas / snapshots, or ``csm_of``
            is not a mapping.
        InvalidValueError: a negative capacity.

    Examples:
        >>> from postsale import AccountSnapshot
        >>> from postsale.cadence import Window, build_agenda
        >>> acme = AccountSnapshot("acme", "SMB", date(2026, 3, 1), contract_start=date(2025, 12, 15),
        ...                        labels={"csm": "Ana"})
        >>> view = portfolio_view([build_agenda(acme, Window(date(2026, 3, 1), date(2026, 3, 31)))],
        ...                       accounts=[acme], capacity=1)
        >>> [(w.csm, w.week_start.isoformat(), w.load) for w in view.weeks]
        [('Ana', '2026-03-16', 1)]
    """
    given = _checks.items("agendas", agendas, Agenda)
    snapshots = _checks.items("accounts", accounts, AccountSnapshot)
    cap = None if capacity is None else _checks.count("capacity", capacity)
    owners: dict[str, str] = {
        a.account_id: a.labels["csm"] for a in snapshots if "csm" in a.labels and a.labels["csm"].strip()
    }
    if csm_of is not None:
        _checks.instance("csm_of", csm_of, Mapping, hint='pass a mapping such as {"acme": "Ana"}')
        owners.update({account: _checks.text(f"csm_of[{account!r}]", csm) for account, csm in csm_of.items()})
    rows: dict[tuple[str | None, date], list[Any]] = {}
    for agenda in given:
        zone = _checks.time_zone("time_zone", agenda.time_zone)
        csm = owners.get(agenda.account_id)
        for touch in agenda.touches:
            week = Period.WEEK.start_of(touch.local_date(zone))
            row = rows.setdefault((csm, week), [set(), 0, 0, 0])
            row[0].add(agenda.account_id)
            if touch.source is Source.ALERT:
                row[2] += 1
            elif touch.automated:
                row[3] += 1
            else:
                row[1] += 1
    weeks = [
        CsmWeek(csm, week, len(row[0]), row[1], row[2], row[3], cap)
        for (csm, week), row in sorted(rows.items(), key=lambda kv: (kv[0][0] is None, kv[0][0] or "", kv[0][1]))
    ]
    return PortfolioView(tuple(weeks))
