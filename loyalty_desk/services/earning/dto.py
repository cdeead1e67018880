"""What the earning jobs report: what a feed posted and what the tier review changed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EarningCounts:
    """What one ``post`` call did (transactions, except ``points``)."""

    posted: int  # transactions with at least one new entry
    already_posted: int  # transactions posted before (nothing posted again)
    points: int  # net points posted (clawbacks negative)
    no_points: int  # valid transactions that earn nothing (late repayment, card approval, ...)
    unknown_members: tuple[str, ...] = ()  # txn ids whose member number does not exist (not posted)
    upgrades: int = 0
    clawback_shortfall: int = 0  # points a refund could not take back because the lots were empty
    conflicting: tuple[str, ...] = ()  # txn ids posted before with other data (refused, not posted)


@dataclass(frozen=True)
class TierReviewReport:
    month: str  # YYYY-MM
    reviewed: int
    downgraded: int
    upgraded: int
    already_run: bool
    warned: int = 0  # below their tier for the first time: warned, downgraded at the next review if still below
