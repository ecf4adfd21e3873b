"""Contracts and their terms: anniversaries, renewal terms, amendments, early renewal."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Final

import attrs

from postsale import _checks
from postsale._errors import InvalidValueError, OutOfOrderError
from postsale._repr import readable
from postsale._vocabulary import AccountSnapshot, Segment
from postsale.renewal._dates import (
    TermPeriod,
    _day_before,
    _months_to_day_after,
    _positive,
    _shift,
    _terms,
    month_offset,
)
from postsale.renewal._playbook import AUTO_RENEW_SEGMENTS

__all__ = ["DEFAULT_RENEWAL_TERM_MONTHS", "Amendment", "Contract"]

DEFAULT_RENEWAL_TERM_MONTHS: Final = 12
"""Renewal term used when a contract's own term is irregular (not whole months): one year, the annual
contract that ACV describes."""

_ONE_DAY = timedelta(days=1)
_OPEN_END = "a contract ending on 9999-12-31 is open-ended: it has no next term to compute"


def _to_segment(value: Any) -> Segment:
    return Segment.parse(value)


def _to_acv(value: Any) -> Decimal:
    return _checks.money("acv", value)


def _optional_positive(_instance: object, attribute: Any, value: Any) -> None:
    if value is not None:
        _positive(attribute.name, value)


def _reason(field: str, value: Any) -> str:
    return str(_checks.instance(field, value, str, hint="pass the reason as text (or leave it out)"))


def _boolean(_instance: object, attribute: Any, value: Any) -> None:
    if not isinstance(value, bool):
        raise InvalidValueError("must be True or False", field=attribute.name, value=value, hint="pass a bool")


@attrs.frozen
class Amendment:
    """A mid-term change of the annual contract value, in force from ``effective`` on.

    Args:
        effective: First day the new ACV applies.
        acv: The new annual contract value (exact ``Decimal``; ints and decimal strings accepted).
        reason: Why (upsell, seat reduction, price change ...).

    Examples:
        >>> Amendment(date(2027, 1, 1), acv="150000.00", reason="second department").acv
        Decimal('150000.00')
    """

    __repr__ = readable
    effective: date = attrs.field(validator=_checks.validator(_checks.a_date))
    acv: Decimal = attrs.field(converter=_to_acv)
    reason: str = attrs.field(default="", validator=_checks.validator(_reason))


def _to_amendments(value: Any) -> tuple[Amendment, ...]:
    return _checks.items("amendments", value)


@attrs.frozen
class Contract:
    """A subscription contract's current term: who, when, how much, and how it renews.

    ``end`` is the last day the term covers, as written on the order form ("ending 2027-06-30"); it is
    the renewal date T-0 and the next term starts the day after. Build a contract from
    a term length with :meth:`from_term`; the constructor takes both dates and checks they agree.

    Args:
        account_id: The account the contract belongs to.
        segment: Customer segment (a :class:`~postsale.Segment` or its name).
        start: First day of the current term.
        end: Last day of the current term (T-0).
        acv: Annual contract value (ARR) at the start of the term, exact ``Decimal``.
        term_months: Length of the term in whole months (36 for a three-year term); ``None`` for an
            irregular term such as a co-termed one (then ``end`` is taken as given).
        auto_renew: Whether the contract renews by itself unless notice is given (default: its segment's, from
            :data:`~postsale.renewal.AUTO_RENEW_SEGMENTS`: product-led contracts auto-renew). The renewal status
            of an auto-renewing contract follows its notice window.
        notice_days: Days of notice needed before ``end`` to cancel or change an auto-renewal (0 = none).
        time_zone: IANA time zone the contract's deadlines are computed in.
        anchor: The original start all anniversaries are computed from (default: ``start``). A renewed
            term keeps the first term's anchor so 31st and 29 February anchors come back.
        renewal_term_months: Length of each renewal term (default: ``term_months``, else 12).
        amendments: ACV changes inside the term, in date order.

    Raises:
        InvalidValueError: ``end`` before ``start``, a zero or negative term, an ``end`` that does not
            match ``term_months``, a ``start`` off the anchor's schedule, an amendment outside the term.
        OutOfOrderError: amendments not in date order.
        UnknownNameError: an unknown segment or time zone.

    Examples:
        >>> c = Contract.from_term("acme", "ENTERPRISE", date(2026, 7, 1), term_months=12, acv=120000)
        >>> c.end, c.next_start, c.auto_renew
        (datetime.date(2027, 6, 30), datetime.date(2027, 7, 1), False)
        >>> Contract.from_term("app", "PRODUCT_LED", date(2026, 7, 1), term_months=12, acv=1200).auto_renew
        True
    """

    __repr__ = readable
    account_id: str = attrs.field(validator=_checks.validator(_checks.identifier))
    segment: Segment = attrs.field(converter=_to_segment)
    start: date = attrs.field(validator=_checks.validator(_checks.a_date))
    end: date = attrs.field(validator=_checks.validator(_checks.a_date))
    acv: Decimal = attrs.field(converter=_to_acv)
    term_months: int | None = attrs.field(default=None, validator=_optional_positive)
    auto_renew: bool = attrs.field(default=attrs.Factory(lambda self: self.segment in AUTO_RENEW_SEGMENTS,
                                                         takes_self=True), validator=_boolean)
    notice_days: int = attrs.field(default=0, validator=_checks.validator(_checks.count))
    time_zone: str = attrs.field(default="UTC", validator=_checks.validator(_checks.time_zone))
    anchor: date | None = attrs.field(default=None, validator=_checks.optional_validator(_checks.a_date))
    renewal_term_months: int | None = attrs.field(default=None, validator=_optional_positive)
    amendments: tuple[Amendment, ...] = attrs.field(default=(), converter=_to_amendments)

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidValueError(
                "is before the start",
                field="end",
                value=self.end,
                constraint=f"must be on or after start={self.start.isoformat()}",
                hint="swap the dates, or build the contract with Contract.from_term(start, term_months=...)",
            )
        anchor = self.anchor_date
        if self.term_months is not None:
            offset = month_offset(anchor, self.start)
            if offset is None:
                raise InvalidValueError(
                    "does not fall on the anchor's monthly schedule",
                    field="start",
                    value=self.start,
                    constraint=f"start must be anchor={anchor.isoformat()} plus whole months",
                    hint="pass the original start as anchor, or term_months=None for an irregular term",
                )
            expected = _day_before(anchor, offset + self.term_months, "term_months", self.term_months)
            if expected != self.end:
                raise InvalidValueError(
                    f"does not match a {self.term_months}-month term",
                    field="end",
                    value=self.end,
                    constraint=f"a {self.term_months}-month term from {self.start.isoformat()} ends on "
                    f"{expected.isoformat()} (the day before the anniversary)",
                    hint="use Contract.from_term(...), or term_months=None for an irregular term",
                )
        previous: date | None = None
        for i, amendment in enumerate(self.amendments):
            field = f"amendments[{i}].effective"
            if not isinstance(amendment, Amendment):
                raise InvalidValueError("is not an Amendment", field=f"amendments[{i}]", value=amendment)
            if not self.start <= amendment.effective <= self.end:
                raise InvalidValueError(
                    "is outside the term",
                    field=field,
                    value=amendment.effective,
                    constraint=f"must be within {self.start.isoformat()}..{self.end.isoformat()}",
                    hint="amend the term the change belongs to (see Contract.renewed)",
                )
            if previous is not None and amendment.effective <= previous:
                raise OutOfOrderError(
                    "is not after the previous amendment",
                    field=field,
                    value=amendment.effective,
                    constraint="amendments are in strictly increasing date order",
                    hint="sort the amendments, or merge two changes on the same day",
                )
            previous = amendment.effective

    # ---- named constructors ---------------------------------------------------------------------
    @classmethod
    def from_term(
        cls,
        account_id: str,
        segment: Segment | str,
        start: date,
        *,
        term_months: int,
        acv: Decimal | int | str,
        auto_renew: bool | None = None,
        notice_days: int = 0,
        time_zone: str = "UTC",
        anchor: date | None = None,
        renewal_term_months: int | None = None,
    ) -> Contract:
        """Build a contract of ``term_months`` months from ``start``; ``end`` is the day before the anniversary.

        ``auto_renew`` left out (``None``) is the segment's default (:data:`~postsale.renewal.AUTO_RENEW_SEGMENTS`).

        Raises:
            InvalidValueError: ``term_months`` zero or negative, a term that would end after 9999-12-31 (and
                everything the constructor checks).

        Examples:
            >>> Contract.from_term("a", "SMB", date(2024, 2, 29), term_months=12, acv=100).end
            datetime.date(2025, 2, 27)
            >>> Contract.from_term("a", "SMB", date(9999, 1, 1), term_months=12, acv=100).end  # the calendar's end
            datetime.date(9999, 12, 31)
        """
        _checks.a_date("start", start)
        months = _positive("term_months", term_months)
        base = anchor if anchor is not None else start
        _checks.a_date("anchor", base)
        offset = month_offset(base, start)
        end = _day_before(base, (offset if offset is not None else 0) + months, "term_months", term_months)
        seg = _to_segment(segment)
        return cls(
            account_id=account_id,
            segment=seg,
            start=start,
            end=end,
            acv=_to_acv(acv),
            term_months=months,
            auto_renew=seg in AUTO_RENEW_SEGMENTS if auto_renew is None else auto_renew,
            notice_days=notice_days,
            time_zone=time_zone,
            anchor=anchor,
            renewal_term_months=renewal_term_months,
        )

    @classmethod
    def from_snapshot(
        cls, snapshot: AccountSnapshot, *, auto_renew: bool | None = None, notice_days: int = 0
    ) -> Contract:
        """Build the contract described by an account snapshot (its start, end, ACV, segment and time zone).

        A snapshot does not say how the contract renews: ``auto_renew`` left out (``None``) is the segment's
        default (:data:`~postsale.renewal.AUTO_RENEW_SEGMENTS`: product-led contracts renew by themselves, the
        others need a decision); pass it, and ``notice_days``, when the contract says otherwise.

        The term is in whole months when the day after ``contract_end`` is a monthly anniversary of
        ``contract_start``; otherwise it is irregular (``term_months=None``). An open-ended contract written
        with the placeholder end 9999-12-31 is read as it is (it has no renewal term inside the calendar).

        Raises:
            InvalidValueError: the snapshot has no contract start or end.

        Examples:
            >>> snap = AccountSnapshot("acme", "SMB", date(2027, 1, 1), acv=9000,
            ...                        contract_start=date(2026, 7, 1), contract_end=date(2027, 6, 30))
            >>> Contract.from_snapshot(snap).term_months, Contract.from_snapshot(snap).auto_renew
            (12, False)
            >>> Contract.from_snapshot(attrs.evolve(snap, segment="PRODUCT_LED")).auto_renew
            True
        """
        if not isinstance(snapshot, AccountSnapshot):
            raise InvalidValueError("expected an AccountSnapshot", field="snapshot", value=snapshot)
        start, end = snapshot.contract_start, snapshot.contract_end
        if start is None or end is None:
            raise InvalidValueError(
                "is missing",
                field="contract_start" if start is None else "contract_end",
                value=None,
                constraint="a contract needs its start and end dates",
                hint="set contract_start and contract_end on the snapshot",
            )
        months = _months_to_day_after(start, end)
        return cls(
            account_id=snapshot.account_id,
            segment=snapshot.segment,
            start=start,
            end=end,
            acv=snapshot.acv,
            term_months=months if months is not None and months > 0 else None,
            auto_renew=snapshot.segment in AUTO_RENEW_SEGMENTS if auto_renew is None else auto_renew,
            notice_days=notice_days,
            time_zone=snapshot.time_zone,
        )

    # ---- dates ----------------------------------------------------------------------------------
    @property
    def anchor_date(self) -> date:
        """The date anniversaries are computed from (``anchor``, else ``start``)."""
        return self.anchor if self.anchor is not None else self.start

    @property
    def next_start(self) -> date:
        """First day of the next term (the day after :attr:`end`).

        Raises:
            InvalidValueError: the term ends on 9999-12-31 (no day follows it in the calendar).
        """
        return _checks.shifted("end", self.end, self.end, _ONE_DAY, hint=_OPEN_END)

    @property
    def renewal_months(self) -> int:
        """Length of each renewal term in months (``renewal_term_months``, else ``term_months``, else 12)."""
        if self.renewal_term_months is not None:
            return self.renewal_term_months
        return self.term_months if self.term_months is not None else DEFAULT_RENEWAL_TERM_MONTHS

    @property
    def is_multi_year(self) -> bool:
        """Whether the current term is longer than one year (multi-year preferred)."""
        return self.term_months is not None and self.term_months > 12

    @property
    def days(self) -> int:
        """Days covered by the current term (both ends included)."""
        return (self.end - self.start).days + 1

    def anniversary(self, n: int) -> date:
        """Return the ``n``-th term anniversary: ``anchor + n x term_months`` months, computed from the anchor.

        Raises:
            InvalidValueError: the term is irregular (``term_months`` is ``None``).

        Examples:
            >>> c = Contract.from_term("a", "SMB", date(2024, 1, 31), term_months=1, acv=100)
            >>> [c.anniversary(n).isoformat() for n in (1, 2, 3)]
            ['2024-02-29', '2024-03-31', '2024-04-30']
        """
        if self.term_months is None:
            raise InvalidValueError(
                "is irregular, so the contract has no term anniversaries",
                field="term_months",
                value=None,
                hint="use terms() for the renewal terms, or give the contract a term in months",
            )
        if isinstance(n, bool) or not isinstance(n, int):
            raise InvalidValueError("expected a whole number", field="n", value=n, hint="pass an int")
        return _shift(self.anchor_date, n * self.term_months, "n", n)

    def _renewal_schedule(self) -> tuple[date, int]:
        """The anchor and month offset of the first renewal term's start."""
        if self.term_months is None:
            return self.next_start, 0
        anchor = self.anchor_date
        offset = month_offset(anchor, self.start)
        return anchor, (offset or 0) + self.term_months

    def _boundary(self, j: int, field: str = "count", value: Any = None) -> date:
        """Start of renewal term ``j`` (0 = the day after ``end``), computed from the anchor."""
        anchor, base = self._renewal_schedule()
        return _shift(anchor, base + j * self.renewal_months, field, j if value is None else value)

    def _last_day(self, j: int, field: str, value: Any) -> date:
        """Last day of renewal term ``j`` (9999-12-31 when the next one would start on 10000-01-01)."""
        anchor, base = self._renewal_schedule()
        return _day_before(anchor, base + (j + 1) * self.renewal_months, field, value)

    def terms(self, count: int) -> tuple[TermPeriod, ...]:
        """Return the current term (number 0) and the next ``count - 1`` renewal terms, tiling time.

        Raises:
            InvalidValueError: ``count`` below 1, or terms that would run past 9999-12-31 (checked first, so a
                huge ``count`` fails at once).

        Examples:
            >>> c = Contract.from_term("a", "SMB", date(2024, 2, 29), term_months=12, acv=100)
            >>> [p.end.isoformat() for p in c.terms(5)]
            ['2025-02-27', '2026-02-27', '2027-02-27', '2028-02-28', '2029-02-27']
        """
        _terms("count", count)
        periods = [TermPeriod(0, self.start, self.end)]
        if count > 1:
            self._last_day(count - 2, "count", count)
        for j in range(count - 1):
            periods.append(TermPeriod(j + 1, self._boundary(j, "count", count), self._last_day(j, "count", count)))
        return tuple(periods)

    def term_on(self, day: date) -> TermPeriod:
        """Return the term containing ``day``: the current one, or the renewal term it falls in.

        Raises:
            InvalidValueError: ``day`` is before the start.
        """
        _checks.a_date("day", day)
        if day < self.start:
            raise InvalidValueError(
                "is before the contract start",
                field="day",
                value=day,
                constraint=f"must be on or after start={self.start.isoformat()}",
                hint="ask the previous contract",
            )
        if day <= self.end:
            return TermPeriod(0, self.start, self.end)
        first = self._boundary(0, "day", day)
        months = (day.year - first.year) * 12 + day.month - first.month
        j = max(months // self.renewal_months - 1, 0)
        while self._last_day(j, "day", day) < day:
            j += 1
        return TermPeriod(j + 1, self._boundary(j, "day", day), self._last_day(j, "day", day))

    def next_term_end(self, as_of: date) -> date:
        """Return the end (T-0) of the term in force on ``as_of``, assuming the contract keeps renewing.

        Examples:
            >>> c = Contract.from_term("a", "SMB", date(2024, 1, 31), term_months=1, acv=100, auto_renew=True)
            >>> c.next_term_end(date(2024, 3, 15))
            datetime.date(2024, 3, 30)
        """
        return self.term_on(as_of).end

    # ---- money ----------------------------------------------------------------------------------
    def acv_on(self, day: date) -> Decimal:
        """Return the ACV in force on ``day`` (the last amendment effective on or before it)."""
        _checks.a_date("day", day)
        value = self.acv
        for amendment in self.amendments:
            if amendment.effective <= day:
                value = amendment.acv
        return value

    @property
    def renewal_acv(self) -> Decimal:
        """The ACV up for renewal: the one in force on the last day of the term."""
        return self.acv_on(self.end)

    # ---- changes (each returns a new contract) --------------------------------------------------
    def amend(self, effective: date, *, acv: Decimal | int | str, reason: str = "") -> Contract:
        """Return this contract with the ACV changed from ``effective`` on (a mid-term amendment).

        Raises:
            InvalidValueError: ``effective`` outside the term. OutOfOrderError: not after the last amendment.

        Examples:
            >>> c = Contract.from_term("a", "SMB", date(2026, 1, 1), term_months=12, acv=1000)
            >>> c.amend(date(2026, 7, 1), acv=1500, reason="upsell").acv_on(date(2026, 7, 1))
            Decimal('1500')
        """
        return attrs.evolve(self, amendments=(*self.amendments, Amendment(effective, _to_acv(acv), reason)))

    def renewed(self, *, term_months: int | None = None, acv: Decimal | int | str | None = None) -> Contract:
        """Return the next term as a contract: it starts the day after :attr:`end`, on the same anchor.

        Args:
            term_months: Length of the new term (default :attr:`renewal_months`).
            acv: The renewed ACV (default: :attr:`renewal_acv`).

        Examples:
            >>> c = Contract.from_term("a", "SMB", date(2024, 1, 31), term_months=1, acv=100)
            >>> c.renewed().renewed().start   # the 31st comes back: anchored, not stepped
            datetime.date(2024, 3, 31)
        """
        months = _positive("term_months", term_months) if term_months is not None else self.renewal_months
        anchor, base = self._renewal_schedule()
        end = _day_before(anchor, base + months, "term_months", months)
        return attrs.evolve(
            self,
            start=self.next_start,
            end=end,
            acv=self.renewal_acv if acv is None else _to_acv(acv),
            term_months=months,
            anchor=anchor if anchor != self.next_start else None,
            amendments=(),
        )

    def renew_early(
        self, effective: date, *, term_months: int | None = None, acv: Decimal | int | str | None = None
    ) -> tuple[Contract, Contract]:
        """Renew before the term ends: close the current term the day before ``effective`` and start a new one.

        The new term is re-anchored on ``effective`` (its anniversaries count from the early renewal).

        Args:
            effective: First day of the new term, inside the current term (after its start).
            term_months: Length of the new term (default :attr:`renewal_months`).
            acv: The new ACV (default: the ACV in force the day before ``effective``).

        Returns:
            ``(closed, renewed)``: the current term cut short (irregular, ``term_months=None``) and the new one.

        Raises:
            InvalidValueError: ``effective`` not inside the current term (use :meth:`renewed` at its end).

        Examples:
            >>> c = Contract.from_term("a", "MID_MARKET", date(2026, 1, 1), term_months=12, acv=50000)
            >>> closed, new = c.renew_early(date(2026, 10, 1), term_months=24, acv=60000)
            >>> closed.end, new.start, new.end
            (datetime.date(2026, 9, 30), datetime.date(2026, 10, 1), datetime.date(2028, 9, 30))
        """
        _checks.a_date("effective", effective)
        if not self.start < effective <= self.end:
            raise InvalidValueError(
                "is not inside the current term",
                field="effective",
                value=effective,
                constraint=f"an early renewal starts after {self.start.isoformat()} and by {self.end.isoformat()}",
                hint="use renewed() for a renewal at the end of the term",
            )
        months = _positive("term_months", term_months) if term_months is not None else self.renewal_months
        last = effective - _ONE_DAY
        closed = attrs.evolve(
            self,
            end=last,
            term_months=None,
            anchor=None,
            renewal_term_months=self.renewal_months,
            amendments=tuple(a for a in self.amendments if a.effective <= last),
        )
        new = Contract.from_term(
            self.account_id,
            self.segment,
            effective,
            term_months=months,
            acv=self.acv_on(last) if acv is None else acv,
            auto_renew=self.auto_renew,
            notice_days=self.notice_days,
            time_zone=self.time_zone,
            renewal_term_months=self.renewal_term_months,
        )
        return closed, new
