"""Rules, rule sets (plain data, validated with paths), their compiled form and their columnar form."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import attrs

from postsale import _checks, signals
from postsale._columnar import Env, physical
from postsale._errors import DefinitionError, Problem, UnknownNameError
from postsale._repr import readable
from postsale._vocabulary import AccountSnapshot, Segment
from postsale.health import BandPolicy  # re-exported for postsale.triggers.BandPolicy; the bands are the model's
from postsale.triggers._conditions import CONDITION_KINDS, Condition, Predicate, problems_of
from postsale.triggers._model import Action, Context, OutcomeKind, Priority, Sla
from postsale.triggers._sla import FEW_DAYS

if TYPE_CHECKING:  # pragma: no cover - typing only
    from narwhals.stable.v2 import Expr

__all__ = [
    "DEFAULT_AUTO_CLOSE_DAYS",
    "DEFAULT_BUDGET",
    "DEFAULT_COOLDOWN_DAYS",
    "AlertBudget",
    "BandPolicy",
    "CompiledRules",
    "Hygiene",
    "Rule",
    "RuleSet",
]

DEFAULT_COOLDOWN_DAYS = 7
"""After an alert, the same rule stays quiet on the same account for 7 days (one weekly cadence, so the team is
not told the same thing twice a week; guide: Triggers › Alert hygiene)."""

DEFAULT_AUTO_CLOSE_DAYS = 30
"""An alert nobody closed counts as open (and dedupes) for 30 days, one monthly cadence
(guide: Triggers › Alert hygiene)."""

def _tuple(value: Sequence[Any]) -> tuple[Any, ...]:
    return _checks.items("exempt", value)  # bad priorities are reported with every other problem


def _rules(value: Sequence[Any]) -> tuple[Any, ...]:
    return _checks.items("rules", value)  # bad rules are reported with every other problem (DefinitionError)


def _names(value: Sequence[Any]) -> tuple[Any, ...]:
    return _checks.items("custom_signals", value)  # bad names are reported with every other problem


@attrs.frozen
class AlertBudget:
    """At most N delivered alerts per account per period, by segment.

    Defaults (per 7 days): ENTERPRISE 3, MID_MARKET 2, SMB 1, PRODUCT_LED 1, scaled on the touch intensity of each
    segment's engagement cadence (guide: Triggers › Alert hygiene). Alerts of an ``exempt`` priority (URGENT and
    HIGH by default: what matters is never budgeted away) are always delivered and not counted. When several
    alerts compete, the most urgent are delivered first; the others are returned held back, with the reason.

    Args:
        period_days: Length of the rolling period.
        enterprise: Budget of ENTERPRISE accounts.
        mid_market: Budget of MID_MARKET accounts.
        smb: Budget of SMB accounts.
        product_led: Budget of PRODUCT_LED accounts.
        exempt: Priorities never held back by the budget.

    Examples:
        >>> from postsale import Segment
        >>> AlertBudget(smb=2).limit(Segment.SMB), AlertBudget().limit(Segment.ENTERPRISE)
        (2, 3)
        >>> [p.name for p in AlertBudget().exempt]
        ['URGENT', 'HIGH']
    """

    __repr__ = readable
    period_days: int = 7
    enterprise: int = 3
    mid_market: int = 2
    smb: int = 1
    product_led: int = 1
    exempt: tuple[Priority, ...] = attrs.field(default=(Priority.URGENT, Priority.HIGH), converter=_tuple)

    def limit(self, segment: Segment) -> int:
        """Return the budget of an account of ``segment``.

        Raises:
            UnknownNameError: ``segment`` names no :class:`~postsale.Segment`.
        """
        limit: int = getattr(self, Segment.parse(segment).name.lower())
        return limit

    def problems(self, path: str) -> list[Problem]:
        """Return every problem of this budget."""
        found = []
        for name in ("period_days", "enterprise", "mid_market", "smb", "product_led"):
            value = getattr(self, name)
            low = 1 if name == "period_days" else 0
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                found.append(Problem(f"{path}.{name}", f"must be a whole number >= {low}, got {value!r}"))
        for i, priority in enumerate(self.exempt):
            if not isinstance(priority, Priority):
                found.append(Problem(f"{path}.exempt[{i}]", f"must be a Priority, got {priority!r}"))
        return found


DEFAULT_BUDGET = AlertBudget()
"""The default alert budget (see :class:`AlertBudget`; guide: Triggers › Alert hygiene)."""


@attrs.frozen
class Hygiene:
    """Alert hygiene against over-communication: open alerts dedupe, and a budget per account and period.

    Args:
        auto_close_days: Days after which an alert nobody closed stops counting as open (``None``: never).
        budget: The per-account budget per period by segment.

    Examples:
        >>> Hygiene(auto_close_days=0).problems("$.hygiene")[0].path
        '$.hygiene.auto_close_days'
    """

    __repr__ = readable
    auto_close_days: int | None = DEFAULT_AUTO_CLOSE_DAYS
    budget: AlertBudget = DEFAULT_BUDGET

    def problems(self, path: str) -> list[Problem]:
        """Return every problem of this policy."""
        if isinstance(self.budget, AlertBudget):
            found = self.budget.problems(f"{path}.budget")
        else:
            found = [Problem(f"{path}.budget", f"must be an AlertBudget, got {type(self.budget).__name__}")]
        value = self.auto_close_days
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            found.insert(0, Problem(f"{path}.auto_close_days", f"must be a whole number >= 1, got {value!r}"))
        return found


@attrs.frozen
class Rule:
    """A trigger rule: a condition, the action it calls for, its SLA, priority and cooldown.

    Args:
        id: Stable identity (``"U1"``).
        name: Short human name (``"Login decline"``).
        condition: When the rule holds.
        action: What to do.
        sla: How fast (see :class:`~postsale.triggers.Sla`).
        priority: Order among alerts competing for a budget.
        cooldown_days: Days after an alert before the rule may alert again on the same account.
        source: Where the rule comes from (``"CS ops 2026-03"``).
        group: Family (``"usage"``, ``"health"``, ``"milestone"``, ``"proactive"``, ``"event"``).
        predicts: The outcome an alert of this rule anticipates (scored by backtests), if any.

    Examples:
        >>> from postsale.triggers import Action, ActionChannel, ActionKind, Sla, Threshold
        >>> rule = Rule("X1", "Many tickets", Threshold("support_tickets_week", ">=", 5),
        ...             Action(ActionKind.ROOT_CAUSE, ActionChannel.CALL), Sla.H48)
        >>> rule.cooldown_days, sorted(rule.columns())
        (7, ['support_tickets_week'])
    """

    __repr__ = readable
    id: str
    name: str
    condition: Condition
    action: Action
    sla: Sla
    priority: Priority = Priority.NORMAL
    cooldown_days: int = DEFAULT_COOLDOWN_DAYS
    source: str = ""
    group: str = ""
    predicts: OutcomeKind | None = None

    def problems(self, path: str, known: frozenset[str]) -> list[Problem]:
        """Return every problem of this rule, with paths under ``path``."""
        found = []
        if not isinstance(self.id, str) or not self.id.strip():
            found.append(Problem(f"{path}.id", f"must be a non-empty string, got {self.id!r}"))
        if not isinstance(self.name, str) or not self.name.strip():
            found.append(Problem(f"{path}.name", f"must be a non-empty string, got {self.name!r}"))
        found += problems_of(self.condition, f"{path}.condition", known)
        if not isinstance(self.action, Action):
            found.append(Problem(f"{path}.action", "must be an Action(kind, channel, description)"))
        if not isinstance(self.sla, Sla):
            found.append(Problem(f"{path}.sla", f"must be one of {', '.join(s.name for s in Sla)}"))
        if not isinstance(self.priority, Priority):
            found.append(Problem(f"{path}.priority", f"must be one of {', '.join(p.name for p in Priority)}"))
        days = self.cooldown_days
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            found.append(Problem(f"{path}.cooldown_days", f"must be a whole number of days >= 0, got {days!r}"))
        return found

    def expr(self, env: Env) -> Expr:
        """Return whether this rule's condition holds on each row of a frame: a Boolean column with no nulls.

        The columnar form of ``condition.compile(id)``: row by row the answer the engine records for the rule
        (``AccountState.active``), hygiene aside. The frame is the normalised one of the columnar entry point:
        signals by name, derived signals, ``health`` and ``band``, and the carried state (``previous.<name>``,
        ``previous.health``, ``previous.band``, ``days_in_band``, ``active.<rule id>``; a missing ``previous.*`` or
        ``active.*`` column is a first evaluation).

        Raises:
            NotEvaluable: the frame lacks a column the condition reads (the message names the column and the rule);
                :meth:`columns` lists them beforehand.

        Examples:
            >>> import narwhals.stable.v2 as nw
            >>> from datetime import date
            >>> from postsale._columnar import Env
            >>> from postsale.triggers import CATALOG
            >>> frame = nw.from_dict({"support_tickets_week": [3.0, 2.0, None]}, backend="polars")
            >>> env = Env(frame.columns, as_of=date(2026, 3, 2))
            >>> frame.select(CATALOG.rule("H4").expr(env).alias("H4"))["H4"].to_list()
            [True, False, False]
            >>> CATALOG.rule("M1").expr(env)
            Traceback (most recent call last):
            ...
            postsale._columnar.NotEvaluable: contract_end: is not a column of the frame, but rule M1 reads it; ...
        """
        _checks.instance("env", env, Env, hint="columnar forms are built by the frame adapter's Env")
        if not isinstance(self.condition, CONDITION_KINDS):
            raise DefinitionError(
                f"rule {self.id!r} is invalid", problems_of(self.condition, "$.condition", frozenset()),
                hint="give the rule a condition of postsale.triggers",
            )
        before = env.needed_by
        env.needed_by = f"rule {self.id}"
        try:
            return self.condition.expr(env, self.id)
        finally:
            env.needed_by = before

    def columns(self) -> frozenset[str]:
        """Return the columns :meth:`expr` needs from the frame (carried state aside: ``previous.*`` and
        ``active.*`` columns are optional, absent on a first evaluation).

        A frame lacking one of them cannot evaluate the rule; an entry point reports the rule instead.

        Raises:
            MissingDependencyError: narwhals is not installed (``pip install 'postsale[frame]'``).

        Examples:
            >>> from postsale.triggers import CATALOG
            >>> sorted(CATALOG.rule("H3").columns()), sorted(CATALOG.rule("M2").columns())
            (['band', 'days_in_band'], ['seats_active', 'seats_purchased'])
        """
        reader = _Reader()
        self.expr(reader)
        return frozenset(reader.read)


class _Reader(Env):
    """An environment that has every column, and remembers which ones a columnar form read."""

    __slots__ = ("read",)

    def __init__(self) -> None:
        super().__init__((), as_of=date(2000, 1, 1))
        self.read: set[str] = set()

    def column(self, name: str) -> Expr:
        self.read.add(name)
        result: Expr = self.nw.col(physical(name))
        return result


@attrs.frozen
class RuleSet:
    """A versioned set of rules and the hygiene that goes with them: plain data, validated when built.

    Building (in code or with ``postsale.from_data(RuleSet, data)``) checks everything at once and raises
    :class:`~postsale.DefinitionError` listing every problem with its path (``$.rules[3].condition.threshold``).
    Loading never executes code.

    Args:
        version: Version of the rule set (carried by every alert).
        rules: The rules (unique ids).
        hygiene: Cooldown, dedupe and budget settings.
        custom_signals: Signal names used by rules besides :data:`postsale.signals.WELL_KNOWN`.
        few_days: Days of the ``WITHIN_FEW_DAYS`` SLA (1-7).

    The band cut-offs and hysteresis are not the rule set's: the trigger engine reads them from the health model
    it scores with (``HealthModel.bands``, a :class:`postsale.health.BandPolicy`), so the health score and the
    band the rules see never disagree.

    Raises:
        DefinitionError: listing every problem.
        InvalidTypeError: ``rules`` or ``custom_signals`` is not a collection (a list or tuple).

    Examples:
        >>> from postsale.triggers import CATALOG
        >>> len(CATALOG.rules), CATALOG.rule("H4").name, [r.id for r in CATALOG.select("M1", "M2").rules]
        (12, 'Support-ticket spike', ['M1', 'M2'])
    """

    __repr__ = readable
    version: str
    rules: tuple[Rule, ...] = attrs.field(converter=_rules)
    hygiene: Hygiene = Hygiene()
    custom_signals: tuple[str, ...] = attrs.field(default=(), converter=_names)
    few_days: int = FEW_DAYS

    def __attrs_post_init__(self) -> None:
        found = self.problems()
        if found:
            raise DefinitionError("the rule set is invalid", found, hint="fix every listed path; see docs/triggers.md")

    @property
    def known_signals(self) -> frozenset[str]:
        """The signal names rules may use: the well-known ones and :attr:`custom_signals`."""
        return signals.WELL_KNOWN | frozenset(n for n in self.custom_signals if isinstance(n, str))

    def problems(self) -> list[Problem]:
        """Return every problem of this rule set (empty when it is valid)."""
        found = []
        if not isinstance(self.version, str) or not self.version.strip():
            found.append(Problem("$.version", f"must be a non-empty string, got {self.version!r}"))
        for i, name in enumerate(self.custom_signals):
            if not isinstance(name, str) or not name.strip():
                found.append(Problem(f"$.custom_signals[{i}]", f"must be a non-empty string, got {name!r}"))
        known = self.known_signals
        seen: dict[str, int] = {}
        if not self.rules:
            found.append(Problem("$.rules", "must hold at least one rule"))
        for i, rule in enumerate(self.rules):
            path = f"$.rules[{i}]"
            if not isinstance(rule, Rule):
                found.append(Problem(path, f"must be a Rule, got {type(rule).__name__}"))
                continue
            label = f" (rule {rule.id})" if isinstance(rule.id, str) and rule.id.strip() else ""
            found += [Problem(p.path, p.message + label) for p in rule.problems(path, known)]
            if rule.id in seen:
                found.append(Problem(f"{path}.id", f"duplicate rule id {rule.id!r} (also $.rules[{seen[rule.id]}])"))
            seen.setdefault(rule.id, i)
        if isinstance(self.hygiene, Hygiene):
            found += self.hygiene.problems("$.hygiene")
        else:
            found.append(Problem("$.hygiene", f"must be a Hygiene, got {type(self.hygiene).__name__}"))
        days = self.few_days
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 7:
            found.append(Problem("$.few_days", f"must be a whole number of days from 1 to 7, got {days!r}"))
        return found

    def rule(self, rule_id: str) -> Rule:
        """Return the rule with id ``rule_id``.

        Raises:
            UnknownNameError: no such rule (the message lists the ids).
        """
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        ids = ", ".join(r.id for r in self.rules)
        raise UnknownNameError("is not a rule of this set", field="rule_id", value=rule_id, hint=f"one of {ids}")

    def select(self, *rule_ids: str) -> RuleSet:
        """Return a rule set with only the given rules (same version and settings)."""
        wanted = [self.rule(r) for r in rule_ids]
        return attrs.evolve(self, rules=tuple(wanted))

    def compile(self) -> CompiledRules:
        """Compile every condition once into a closure (see :class:`CompiledRules`)."""
        return CompiledRules(self)


class CompiledRules:
    """A rule set whose conditions are compiled to plain closures, ready to evaluate many snapshots.

    :meth:`matching` is the hot path: one closure call per rule, nothing interpreted.

    Examples:
        >>> from datetime import date
        >>> from postsale import AccountSnapshot
        >>> from postsale.triggers import CATALOG, Context
        >>> compiled = CATALOG.compile()
        >>> snap = AccountSnapshot("a", "SMB", date(2026, 1, 5), signals={"support_tickets_week": 4})
        >>> compiled.matching(snap, Context())
        ['H4']
    """

    __slots__ = ("_pairs", "previous_names", "rule_set", "rules", "signal_names")

    def __init__(self, rule_set: RuleSet) -> None:
        _checks.instance("rule_set", rule_set, RuleSet, hint="compile with rule_set.compile()")
        self.rule_set = rule_set
        self.rules: dict[str, Rule] = {r.id: r for r in rule_set.rules}
        self._pairs: tuple[tuple[str, Predicate], ...] = tuple(
            (r.id, r.condition.compile(r.id)) for r in rule_set.rules
        )
        self.signal_names: frozenset[str] = frozenset().union(*(r.condition.signal_names() for r in rule_set.rules))
        self.previous_names: tuple[str, ...] = tuple(
            sorted(set().union(*(r.condition.previous_names() for r in rule_set.rules)))
        )

    def __repr__(self) -> str:
        return f"CompiledRules(rule_set={self.rule_set.version!r}, rules={list(self.rules)!r})"

    def matching(self, snapshot: AccountSnapshot, context: Context) -> list[str]:
        """Return the ids of the rules whose condition holds, in rule-set order.

        Raises:
            InvalidTypeError: ``snapshot`` is not an AccountSnapshot or ``context`` not a Context.
        """
        if snapshot.__class__ is not AccountSnapshot:
            _checks.instance("snapshot", snapshot, AccountSnapshot)
        if context.__class__ is not Context:
            _checks.instance("context", context, Context, hint="pass postsale.triggers.Context(...)")
        found = []
        for rid, test in self._pairs:
            if test(snapshot, context):
                found.append(rid)
        return found
