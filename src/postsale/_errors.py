"""The error hierarchy: every error ``postsale`` raises derives from :class:`PostsaleError`.

Each subclass also inherits the matching builtin (``ValueError``, ``TypeError``, ``LookupError``) so
callers that already catch builtins keep working, and carries what went wrong as attributes:
``field`` (which input), ``value`` (what was given), ``constraint`` (the rule broken) and ``hint``
(what to do instead). Messages are built from those four, so they always name all of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from postsale._repr import readable

__all__ = [
    "DefinitionError",
    "InvalidTypeError",
    "InvalidValueError",
    "MissingDependencyError",
    "NaiveDatetimeError",
    "OutOfOrderError",
    "PostsaleError",
    "Problem",
    "StorageError",
    "StructureError",
    "TransitionRefused",
    "UnknownNameError",
]


class _Missing:
    """Sentinel for "no value was given" (``None`` can be a meaningful offending value)."""

    def __repr__(self) -> str:
        return "<missing>"

    def __reduce__(self) -> str:
        return "MISSING"  # the one sentinel, also after unpickling


MISSING: Any = _Missing()


class PostsaleError(Exception):
    """Root of every error raised by ``postsale``.

    Args:
        message: What happened, in one sentence.
        field: The name (or path) of the offending input.
        value: The offending value.
        constraint: The rule that was broken, e.g. ``"must be >= 0"``.
        hint: What to do instead.

    Building an error never fails: an argument of another type than the one documented (a number as the message, a
    date as a list of problems) is shown as its ``repr``, and an int too long to print by its size.

    Examples:
        >>> error = PostsaleError("cannot review the account", field="account_id", value="acme",
        ...                       hint="check the account's data")
        >>> str(error)
        "account_id='acme': cannot review the account; instead: check the account's data"
        >>> from datetime import date
        >>> import postsale
        >>> try:
        ...     postsale.AccountSnapshot("acme", "SMB", date(2026, 1, 31), acv=-5)
        ... except PostsaleError as exc:
        ...     print(type(exc).__name__, exc.field, exc.value, exc.constraint, sep=" | ")
        InvalidValueError | acv | -5 | must be >= 0
    """

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        value: Any = MISSING,
        constraint: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message if type(message) is str else _text(message)
        self.field = field if field is None or type(field) is str else _text(field)
        self.value = value
        self.constraint = constraint if constraint is None or type(constraint) is str else _text(constraint)
        self.hint = hint if hint is None or type(hint) is str else _text(hint)
        super().__init__(self._render())

    def __reduce__(self) -> tuple[Any, ...]:
        # Subclasses take other constructor arguments: rebuild from the attributes, not from ``args``.
        return (_rebuild, (type(self), self.args, self.__dict__))

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.args == other.args and _state(self) == _state(other)

    def __hash__(self) -> int:
        return hash((type(self), self.args))

    def without_value(self) -> str:
        """The error's words without the offending value: what a row of an errors table gives as its reason,
        beside the value in its own column (``"acv: is negative; rule: must be >= 0; instead: ..."``)."""
        return self._render(with_value=False)

    def _render(self, *, with_value: bool = True) -> str:
        parts = []
        if self.field is not None:
            where = self.field if self.value is MISSING or not with_value else f"{self.field}={_repr(self.value)}"
            parts.append(f"{where}: {self.message}")
        else:
            parts.append(self.message)
        if self.constraint:
            parts.append(f"rule: {self.constraint}")
        if self.hint:
            parts.append(f"instead: {self.hint}")
        return "; ".join(parts)


_LONGEST_SHOWN_INT_BITS = 14_000
"""Ints longer than this (about 4 200 digits) cannot be printed by Python's default ``repr``: errors show their size."""


def _repr(value: Any) -> str:
    """``repr(value)``, or the size of an int too long to print (so rendering an error never fails)."""
    if type(value) is int and value.bit_length() > _LONGEST_SHOWN_INT_BITS:
        return f"<an int of about {int(value.bit_length() * 0.30103) + 1} digits>"
    return repr(value)


def _text(value: Any) -> str:
    """An argument of an error as text: a string as given, anything else by its :func:`_repr`.

    An error is built while something else went wrong: a wrong-typed argument (a date as the message, a number as
    the field) is shown rather than refused, so building an error never raises.
    """
    return value if isinstance(value, str) else _repr(value)


def _texts(value: Any) -> tuple[str, ...]:
    """A sequence of names as a tuple of text: one string is one name; a non-collection is one name too."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        return (_text(value),)
    return tuple(_text(item) for item in value)


def _problems(value: Any) -> tuple[Problem, ...]:
    """The problems of an error as :class:`Problem` values; anything else is one problem at ``$`` showing it."""
    if isinstance(value, (Problem, str)) or not isinstance(value, Iterable):
        value = (value,)
    return tuple(item if isinstance(item, Problem) else Problem("$", _text(item)) for item in value)


def _state(error: BaseException) -> dict[str, Any]:
    return {k: v for k, v in error.__dict__.items() if not k.startswith("__")}


def _rebuild(cls: type[PostsaleError], args: tuple[Any, ...], state: dict[str, Any]) -> PostsaleError:
    """Unpickle an error without calling its constructor (pickle's hook for :class:`PostsaleError`)."""
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class InvalidValueError(PostsaleError, ValueError):
    """An input value breaks a rule (negative money, NaN, an out-of-range ratio, ...).

    Examples:
        >>> from datetime import date
        >>> import postsale
        >>> postsale.AccountSnapshot("acme", "SMB", date(2026, 1, 31), acv=-5)
        Traceback (most recent call last):
        ...
        postsale._errors.InvalidValueError: acv=-5: is negative; rule: must be >= 0; instead: pass an amount >= 0
        >>> issubclass(InvalidValueError, ValueError)
        True
    """


class InvalidTypeError(PostsaleError, TypeError):
    """An input has the wrong type (a string where a number is expected, ...).

    Examples:
        >>> from datetime import date
        >>> import postsale
        >>> postsale.AccountSnapshot("acme", "SMB", date(2026, 1, 31), seats_purchased="ten")
        Traceback (most recent call last):
        ...
        postsale._errors.InvalidTypeError: seats_purchased='ten': expected a whole number; instead: pass an int
    """


class NaiveDatetimeError(InvalidValueError):
    """A naive ``datetime`` was given where a deadline must be computed; pass an aware one.

    Examples:
        >>> from datetime import date, datetime
        >>> from postsale.renewal import Contract, notice_window
        >>> contract = Contract.from_term("acme", "SMB", date(2026, 7, 1), term_months=12, acv=9000,
        ...                               auto_renew=True, notice_days=30)
        >>> notice_window(contract).is_open_at(datetime(2027, 5, 1, 9, 0))
        Traceback (most recent call last):
        ...
        postsale._errors.NaiveDatetimeError: now=datetime.datetime(2027, 5, 1, 9, 0): is a naive datetime; ...
    """


class OutOfOrderError(InvalidValueError):
    """Events or snapshots were given out of time order.

    Examples:
        >>> from datetime import date
        >>> from postsale import Journey, Stage
        >>> journey = Journey.start("acme", "SMB", on=date(2026, 1, 5))
        >>> journey.move("core", Stage.ADOPTION, on=date(2026, 1, 1))
        Traceback (most recent call last):
        ...
        postsale._errors.OutOfOrderError: on=datetime.date(2026, 1, 1): is before the last event; ...
    """


class MissingDependencyError(PostsaleError, ImportError):
    """An optional dependency is not installed (the message names the extra to install).

    Examples:
        >>> error = MissingDependencyError(
        ...     "polars is not installed; it is needed by postsale's optional 'polars' extra",
        ...     field="dependency", value="polars", hint="pip install 'postsale[polars]'",
        ... )
        >>> isinstance(error, ImportError), error.hint
        (True, "pip install 'postsale[polars]'")
    """


class StorageError(PostsaleError, OSError):
    """A file or the state database could not be read or written (missing, unwritable, full disk, locked); the
    message names the path and the cause. Nothing was changed.

    Examples:
        >>> error = StorageError("cannot be written: Permission denied", field="--out", value="/reports",
        ...                      hint="choose a folder you can write to")
        >>> isinstance(error, OSError), str(error)
        (True, "--out='/reports': cannot be written: Permission denied; instead: choose a folder you can write to")
    """


class UnknownNameError(PostsaleError, LookupError):
    """A name (track, signal, rule, enum member) is not known; the message lists the known ones.

    Examples:
        >>> from postsale import Segment
        >>> try:
        ...     Segment.parse("GIANT")
        ... except LookupError as exc:
        ...     print(type(exc).__name__, exc.field, exc.value, exc.constraint, sep=" | ")
        UnknownNameError | segment | GIANT | one of ENTERPRISE, MID_MARKET, SMB, PRODUCT_LED
    """


@attrs.frozen
class Problem:
    """One problem found while validating a definition or structuring data.

    Attributes:
        path: Where the problem is, e.g. ``"$.rules[3].threshold"``.
        message: What is wrong there.

    Examples:
        >>> problem = Problem("$.rules[3].threshold", "must be between 0 and 100")
        >>> str(problem)
        'must be between 0 and 100 @ $.rules[3].threshold'
    """

    __repr__ = readable
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.message} @ {self.path}"


class _ProblemsError(InvalidValueError):
    """An error that reports several problems at once."""

    def __init__(self, message: str, problems: Iterable[Problem], *, hint: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = _problems(problems)
        message = _text(message)
        listing = "\n".join(f"  - {p}" for p in self.problems)
        first = self.problems[0].path if self.problems else None
        super().__init__(
            f"{message} ({len(self.problems)} problem(s)):\n{listing}",
            field=first,
            hint=hint,
        )

    def _render(self, *, with_value: bool = True) -> str:
        text = self.message
        if self.hint:
            text += f"\ninstead: {self.hint}"
        return text


class DefinitionError(_ProblemsError):
    """A definition or configuration (journey, rule set, health model, playbook) is invalid.

    Every problem is reported at once in :attr:`problems`.

    Examples:
        >>> from postsale.health import BandPolicy
        >>> BandPolicy(green_from=30, yellow_from=60)
        Traceback (most recent call last):
        ...
        postsale._errors.DefinitionError: band policy is invalid (1 problem(s)):
          - 60 is not below green_from=30; YELLOW would be empty @ yellow_from
        instead: pass 0 < yellow_from < green_from <= 100 and hysteresis, drop_margin within 0-100
    """


class StructureError(_ProblemsError):
    """Plain data (dict / JSON) could not be turned into a ``postsale`` value.

    :attr:`problems` gives the path to every bad field, e.g. ``$.tracks[0].stage``.

    Examples:
        >>> from postsale import AccountSnapshot, from_data
        >>> try:
        ...     from_data(AccountSnapshot, {"account_id": "acme", "segment": "SMB", "as_of": "31/01/2026"})
        ... except StructureError as exc:
        ...     print(exc.problems[0])
        invalid value (expected an ISO date like '2026-01-31', got '31/01/2026') @ $.as_of
    """


class TransitionRefused(PostsaleError, ValueError):
    """A journey transition was refused.

    Attributes:
        track: The track the move was asked for.
        from_stage: The stage the track is in.
        to_stage: The stage asked for.
        missing: The unmet criteria (names), when a guard refused the move.
        allowed_causes: The causes that would make a backward move acceptable, when a cause was missing.

    Examples:
        >>> from datetime import date
        >>> from postsale import Journey, Stage
        >>> journey = Journey.start("acme", "SMB", on=date(2026, 1, 5))
        >>> done = {"implementation_complete": 1, "core_users_trained": 1, "use_case_live": 1}
        >>> try:
        ...     journey.move("core", Stage.ADOPTION, on=date(2026, 1, 26), evidence=done)
        ... except TransitionRefused as exc:
        ...     print(exc.track, exc.from_stage.name, exc.to_stage.name, exc.missing)
        core ONBOARDING ADOPTION ('first_value_documented', 'go_live_confirmed')
    """

    def __init__(
        self,
        message: str,
        *,
        track: str,
        from_stage: object,
        to_stage: object,
        missing: Sequence[str] = (),
        allowed_causes: Sequence[str] = (),
        hint: str | None = None,
        field: str | None = None,
        value: Any = MISSING,
    ) -> None:
        self.track = track if type(track) is str else _text(track)
        self.from_stage = from_stage
        self.to_stage = to_stage
        self.missing = _texts(missing)
        self.allowed_causes = _texts(allowed_causes)
        super().__init__(message, field=field, value=value, hint=hint)
