"""The journey's small vocabularies: transition kinds, causes and their categories, comparisons."""

from __future__ import annotations

import enum
import operator
from collections.abc import Callable, Mapping

__all__ = ["Cause", "CauseCategory", "Comparison", "TransitionKind"]


class TransitionKind(enum.Enum):
    """What a journey event means.

    ENTRY opens a track, EXIT closes one; FORWARD moves to the next stage, SKIP jumps past one or more
    stages; a backward move is a REGRESSION when caused by a risk event and a CYCLE when caused by a
    new scope (new product release, new department, merger, a completed renewal).

    Examples:
        >>> TransitionKind.CYCLE.is_backward, TransitionKind.SKIP.is_backward
        (True, False)
    """

    ENTRY = "entry"
    FORWARD = "forward"
    SKIP = "skip"
    REGRESSION = "regression"
    CYCLE = "cycle"
    EXIT = "exit"

    @property
    def is_backward(self) -> bool:
        """True for REGRESSION and CYCLE."""
        return self in (TransitionKind.REGRESSION, TransitionKind.CYCLE)


class CauseCategory(enum.Enum):
    """How a cause classifies a move: progress (forward), risk (REGRESSION) or new scope (CYCLE).

    Examples:
        >>> from postsale.journey import DEFAULT_JOURNEY_DEFINITION
        >>> DEFAULT_JOURNEY_DEFINITION.category(Cause.MERGER)
        <CauseCategory.NEW_SCOPE: 'new_scope'>
    """

    PROGRESS = "progress"
    RISK = "risk"
    NEW_SCOPE = "new_scope"


class Cause(enum.Enum):
    """Why a journey event happened.

    ``OTHER`` is the free-form cause: it needs a ``reason`` text.

    Examples:
        >>> Cause["CHAMPION_LEFT"], Cause("merger")
        (<Cause.CHAMPION_LEFT: 'champion_left'>, <Cause.MERGER: 'merger'>)
    """

    # progress
    CRITERIA_MET = "criteria_met"
    CUSTOMER_REQUEST = "customer_request"
    EXPANSION_OPPORTUNITY = "expansion_opportunity"
    RENEWAL_WINDOW_OPENED = "renewal_window_opened"
    ADVOCATE_QUALIFIED = "advocate_qualified"
    # risk -> regression
    CHAMPION_LEFT = "champion_left"
    BUDGET_CUT = "budget_cut"
    LEADERSHIP_CHANGE = "leadership_change"
    REORGANISATION = "reorganisation"
    COMPETITOR_EVALUATION = "competitor_evaluation"
    HEALTH_DECLINE = "health_decline"
    ADOPTION_STALLED = "adoption_stalled"
    CHURNED = "churned"
    # new scope -> cycle
    MERGER = "merger"
    NEW_PRODUCT_RELEASE = "new_product_release"
    NEW_USE_CASE = "new_use_case"
    NEW_DEPARTMENT = "new_department"
    RENEWAL_COMPLETED = "renewal_completed"
    # free form
    OTHER = "other"

    # Members are singletons: identity hashing is correct and keeps the journey's hot path in C.
    __hash__ = object.__hash__


class Comparison(enum.Enum):
    """How a criterion compares a signal with its threshold.

    Examples:
        >>> Comparison(">="), Comparison.LT.value
        (<Comparison.GE: '>='>, '<')
    """

    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"
    EQ = "=="


OPERATORS: Mapping[Comparison, Callable[[float, float], bool]] = {
    Comparison.GE: operator.ge,
    Comparison.GT: operator.gt,
    Comparison.LE: operator.le,
    Comparison.LT: operator.lt,
    Comparison.EQ: operator.eq,
}
"""The operator of each comparison (private to the journey package)."""
