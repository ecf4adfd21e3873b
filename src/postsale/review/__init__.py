"""The account review and the portfolio review: every context, for one account or many, on one date.

``review_account`` takes what is known about an account (its snapshot and, where available, its
journey, contract, earlier snapshots or persisted trigger state) and returns an :class:`AccountReview`:
journey stages and their timing, health with its drivers, touch model, renewal status and forecast,
alerts due with their SLAs, the next touchpoints, and a short explanation. ``review_portfolio`` does
it for many accounts and adds a :class:`PortfolioSummary` (stage and health distributions, renewals
due by month and their forecast, tiers and staffing, GRR/NRR when a revenue ledger is given, top
alerts). It is built only from the contexts' public APIs. A bad account never stops the others: whatever
it raises (a ``PostsaleError`` or a builtin exception from deep inside) and a repeated account id become a
:class:`ReviewError` in :attr:`PortfolioReview.rejected` (with its position, id, error type and reason), and the
rest are reviewed exactly as they would be alone. Every value here is immutable: its mappings are private frozen
copies and its collections tuples, made and checked when it is built.
"""

from postsale.review._review import review_account, review_portfolio
from postsale.review._values import (
    DEFAULT_REVIEW_SETTINGS,
    AccountInput,
    AccountReview,
    PortfolioReview,
    PortfolioSummary,
    RenewalMonth,
    ReviewError,
    ReviewSettings,
)

__all__ = [
    "DEFAULT_REVIEW_SETTINGS",
    "AccountInput",
    "AccountReview",
    "PortfolioReview",
    "PortfolioSummary",
    "RenewalMonth",
    "ReviewError",
    "ReviewSettings",
    "review_account",
    "review_portfolio",
]
