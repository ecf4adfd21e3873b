"""A CS lead's situations, and what the review must say about each (the integrated review, one account at a time).

Each test is a situation stated in the words of a customer-success lead; the assertions are what the lead expects
the review to answer. They exercise the contexts together, the way `review_account` wires them.
"""

from __future__ import annotations

from datetime import date, timedelta

from postsale import AccountSnapshot, TouchModel, review_account
from postsale.renewal import Contract, ForecastCategory, RenewalState
from postsale.review import AccountInput, review_portfolio

AS_OF = date(2026, 3, 2)
GREEN = {"nps": 9, "sentiment": 85, "business_context": 80}


def account(segment: str, acv: int, *, renews_in: int, signals: dict[str, float] | None = None,
            seats: tuple[int, int] = (50, 45), started: date | None = None) -> AccountSnapshot:
    end = AS_OF + timedelta(days=renews_in)
    return AccountSnapshot(
        f"{segment.lower()}-{acv}", segment, AS_OF, acv=acv, contract_start=started or end - timedelta(days=365),
        contract_end=end, seats_purchased=seats[0], seats_active=seats[1], signals=signals or GREEN,
    )


def says(lines: list[str], words: str) -> bool:
    return any(words in line for line in lines)


def test_a_3000_dollar_self_serve_account_is_tech_touch() -> None:
    """The lead: “A $3 000 self-serve account does not pay for a CSM: automate it.”"""
    review = review_account(account("PRODUCT_LED", 3_000, renews_in=200))
    assert review.touch is not None and review.touch.model is TouchModel.TECH


def test_small_smb_accounts_are_tech_touch_and_a_large_enterprise_account_is_high_touch() -> None:
    """The lead: “$4 800 and $7 200 SMB accounts get the digital programme; $120 000 enterprise gets a CSM.”"""
    models = [review_account(account(segment, acv, renews_in=200)).touch.model  # type: ignore[union-attr]
              for segment, acv in (("SMB", 4_800), ("SMB", 7_200), ("ENTERPRISE", 120_000))]
    assert models == [TouchModel.TECH, TouchModel.TECH, TouchModel.HIGH]


def test_a_green_enterprise_account_at_t91_with_no_activity_recorded_is_not_at_risk() -> None:
    """The lead: “We have not logged anything on that renewal yet; that does not make a happy customer a risk.”"""
    review = review_account(account("ENTERPRISE", 120_000, renews_in=91, seats=(500, 420)))
    assert review.renewal is not None and review.forecast is not None
    assert review.renewal.state is RenewalState.NOT_RECORDED
    assert review.forecast.category is ForecastCategory.LIKELY
    assert says(review.renewal.explain(), "No renewal activity recorded")


def test_a_green_enterprise_account_at_t91_whose_milestones_are_tracked_and_missed_is_late() -> None:
    """The lead: “We track milestones and nobody started the conversation by T-120: that renewal is late.”"""
    snap = account("ENTERPRISE", 120_000, renews_in=91, seats=(500, 420))
    review = review_account(AccountInput(snap, completed_milestones={}))
    assert review.renewal is not None and review.forecast is not None
    assert review.renewal.state is RenewalState.LATE_START
    assert review.forecast.category is ForecastCategory.AT_RISK


def test_a_green_smb_account_at_t29_with_no_activity_recorded_is_not_at_risk_for_lack_of_data() -> None:
    """The lead: “Nothing logged, 29 days out, customer is happy: confirm the conversation, do not forecast a loss.”"""
    review = review_account(account("SMB", 6_000, renews_in=29, seats=(10, 9)))
    assert review.forecast is not None and review.forecast.category is ForecastCategory.LIKELY
    assert review.renewal is not None and says(review.renewal.explain(), "No renewal activity recorded")


def test_a_product_led_auto_renewal_at_t14_is_not_at_risk() -> None:
    """The lead: “Self-serve plans renew on the card on file: two weeks out is not a danger zone.”"""
    review = review_account(account("PRODUCT_LED", 1_200, renews_in=14, seats=(5, 5)))
    assert review.forecast is not None and review.forecast.category is not ForecastCategory.AT_RISK
    assert review.renewal is not None and review.renewal.state is not RenewalState.DANGER_ZONE


def test_a_product_led_contract_that_does_not_auto_renew_is_in_the_danger_zone_at_t14() -> None:
    """The lead: “If it needs a signature, two weeks out with nothing confirmed is the danger zone.”"""
    snap = account("PRODUCT_LED", 1_200, renews_in=14, seats=(5, 5))
    contract = Contract.from_snapshot(snap, auto_renew=False)
    review = review_account(AccountInput(snap, contract=contract, completed_milestones={}))
    assert review.renewal is not None and review.renewal.state is RenewalState.DANGER_ZONE
    assert review.forecast is not None and review.forecast.category is ForecastCategory.AT_RISK


def test_a_new_smb_account_reviewed_on_day_3_has_its_welcome_call() -> None:
    """The lead: “Every new customer gets a welcome call in week one, whatever the segment.”"""
    snap = AccountSnapshot("new-smb", "SMB", date(2026, 3, 4), acv=6_000, contract_start=date(2026, 3, 1),
                           contract_end=date(2027, 2, 28), seats_purchased=10, seats_active=3, signals=GREEN)
    review = review_account(snap)
    assert review.agenda is not None
    assert any("Welcome call" in touch.title for touch in review.agenda.touches)
    assert says(review.agenda.explain(), "first 90 days")


def test_a_red_account_renewing_next_quarter_is_at_risk() -> None:
    """The lead: “A red account 60 days out is the renewal we will lose if nobody acts.”"""
    review = review_account(account("MID_MARKET", 40_000, renews_in=60, seats=(50, 8),
                                    signals={"nps": 3, "sentiment": 20, "business_context": 30}))
    assert review.health is not None and review.health.band.name == "RED"
    assert review.forecast is not None and review.forecast.category is ForecastCategory.AT_RISK


def test_a_customer_who_said_it_will_not_renew_is_at_risk_whatever_its_health() -> None:
    """The lead: “They told us they are leaving: green dashboards do not change that.”"""
    from postsale.renewal import Intent

    snap = account("MID_MARKET", 40_000, renews_in=60)
    review = review_account(AccountInput(snap, completed_milestones={}, intent=Intent.CANCEL))
    assert review.forecast is not None and review.forecast.category is ForecastCategory.AT_RISK


def test_a_portfolio_of_small_accounts_reaches_all_three_models_and_flags_an_expensive_tier() -> None:
    """The lead: “Our tiers must pay for themselves: tell me when one costs more than 15 % of its revenue.”"""
    snaps = [account("ENTERPRISE", 150_000 + i, renews_in=200 + i, seats=(500, 450)) for i in range(3)]
    snaps += [account("MID_MARKET", 30_000 + i, renews_in=200 + i) for i in range(3)]
    snaps += [account("PRODUCT_LED", 2_000 + i, renews_in=200 + i, seats=(5, 5)) for i in range(3)]
    portfolio = review_portfolio(snaps)
    models = {r.touch.model for r in portfolio.accounts if r.touch is not None}
    assert models == {TouchModel.HIGH, TouchModel.LOW, TouchModel.TECH}
    tiers = portfolio.summary.tiers
    assert tiers is not None
    flagged = [line for line in portfolio.summary.explain() if "of its revenue, above" in line]
    assert bool(flagged) == any(tier.flagged for tier in tiers.tiers)
