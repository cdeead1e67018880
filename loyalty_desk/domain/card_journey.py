"""A new card's journey (rules.md, "card journey"): approval against the service target (days from
application to approval), the first transaction, the spend target within its window; and the service
figures of a set of approvals. The points each step earns are the earning engine's (``domain/earning.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from loyalty_desk.domain.rules import RuleSettings


@dataclass(frozen=True)
class CardJourney:
    """A new card's progress (rules.md, "card journey"): approval against the service target, the first
    transaction, the spend target within its window; each step's points."""

    applied_on: date | None
    approved_on: date
    approval_days: int | None  # application to approval; None without the application date
    approval_target_days: int
    approval_within_target: bool | None
    first_transaction_on: date | None
    first_transaction_points: int  # what the first transaction earns (or earned)
    spend_cny: Decimal  # card spend less refunds from approval to the window's end (or today)
    spend_target_cny: int
    spend_deadline: date  # the last day a purchase counts toward the target
    spend_days_left: int  # 0 once the window is over
    spend_target_points: int
    spend_target_reached_on: date | None


def card_journey(*, applied_on: date | None, approved_on: date, first_transaction_on: date | None, spend_cny: Decimal,
                 spend_target_reached_on: date | None, today: date, settings: RuleSettings) -> CardJourney:
    rules = settings.earning
    days = (approved_on - applied_on).days if applied_on is not None else None
    deadline = approved_on + timedelta(days=rules.card_spend_target_days)
    return CardJourney(
        applied_on=applied_on, approved_on=approved_on, approval_days=days, approval_target_days=rules.card_approval_service_days,
        approval_within_target=None if days is None else days <= rules.card_approval_service_days,
        first_transaction_on=first_transaction_on, first_transaction_points=rules.card_first_transaction_points,
        spend_cny=spend_cny, spend_target_cny=rules.card_spend_target_cny, spend_deadline=deadline,
        spend_days_left=max(0, (deadline - today).days), spend_target_points=rules.card_spend_target_points,
        spend_target_reached_on=spend_target_reached_on,
    )


@dataclass(frozen=True)
class ApprovalTimes:
    """Card approvals against the service target (days from application to approval)."""

    approvals: int
    within_target: int
    over_target: int
    median_days: Decimal | None
    p90_days: int | None  # nearest rank: 90 % of approvals took this many days or fewer
    longest_days: int | None

    @property
    def within_share(self) -> Decimal | None:
        if not self.approvals:
            return None
        return (Decimal(self.within_target) * 100 / self.approvals).quantize(Decimal("0.1"))


def approval_times(days: list[int], target_days: int) -> ApprovalTimes:
    """The service figures of a set of approvals, each given by its days from application to approval."""
    ordered = sorted(days)
    count = len(ordered)
    if not count:
        return ApprovalTimes(0, 0, 0, None, None, None)
    middle = count // 2
    median = Decimal(ordered[middle]) if count % 2 else (Decimal(ordered[middle - 1]) + ordered[middle]) / 2
    nearest_rank = -(-count * 9 // 10)  # ceil(0.9 * count)
    within = sum(1 for value in ordered if value <= target_days)
    return ApprovalTimes(count, within, count - within, median, ordered[nearest_rank - 1], ordered[-1])
