"""Tiers: qualifying points over a rolling window, upgrades, monthly review, progress."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from loyalty_desk.domain.dates import add_months, first_of_month_on_or_after, first_of_next_month
from loyalty_desk.domain.rules import TIER_ORDER, RuleSettings, Tier, TierSettings

AnySettings = TierSettings | RuleSettings


def _tiers(settings: AnySettings) -> TierSettings:
    """Accepts the tier section or the whole rule settings."""
    return settings.tiers if isinstance(settings, RuleSettings) else settings


def window_start(as_of: date, window_months: int) -> date:
    """Exclusive start of the qualifying window ending on ``as_of`` (inclusive)."""
    return add_months(as_of, -window_months)


def qualifying_points(earnings: Iterable[tuple[date, int]], as_of: date, window_months: int) -> int:
    """Sum of qualifying points earned in ``(as_of - window_months, as_of]``; never negative
    (refund clawbacks are negative qualifying points)."""
    start = window_start(as_of, window_months)
    return max(sum(points for earned_on, points in earnings if start < earned_on <= as_of), 0)


def threshold(tier: Tier, settings: AnySettings) -> int:
    return _tiers(settings).rule(tier).qualifying_points


def tier_for_points(points: int, settings: AnySettings) -> Tier:
    """The highest tier whose qualifying threshold ``points`` reaches."""
    reached = Tier.STANDARD
    for tier in TIER_ORDER:
        if points >= threshold(tier, settings):
            reached = tier
    return reached


def apply_upgrade(current: Tier, qualifying: int, settings: AnySettings) -> Tier:
    """Upgrade as soon as a higher threshold is reached; never downgrades."""
    reached = tier_for_points(qualifying, settings)
    return reached if reached.rank > current.rank else current


def is_downgrade_protected(last_upgrade_on: date | None, review_date: date, settings: AnySettings) -> bool:
    """True while ``review_date`` is within ``downgrade_protection_months`` of the last upgrade."""
    if last_upgrade_on is None:
        return False
    return review_date < add_months(last_upgrade_on, _tiers(settings).downgrade_protection_months)


def monthly_review(
    current: Tier, last_upgrade_on: date | None, qualifying: int, review_date: date, settings: AnySettings
) -> Tier:
    """Tier after the monthly review: upgrades when reached, otherwise at most one level
    down, and no downgrade within the protection period after the last upgrade."""
    reached = tier_for_points(qualifying, settings)
    if reached.rank >= current.rank:
        return reached
    if is_downgrade_protected(last_upgrade_on, review_date, settings):
        return current
    return TIER_ORDER[current.rank - 1]


@dataclass(frozen=True)
class ReviewDecision:
    tier: Tier  # the tier after the review
    warned_on: date | None  # the member's downgrade warning after the review (None: none standing)


def review_with_grace(
    current: Tier, last_upgrade_on: date | None, warned_on: date | None, qualifying: int, review_date: date, settings: AnySettings
) -> ReviewDecision:
    """The monthly review with the downgrade grace (``downgrade_warning``): a review that would
    downgrade a member who has no standing warning warns (``warned_on`` = ``review_date``) and keeps
    the tier; the next review downgrades if the member is still below. A review that keeps or raises
    the tier lifts the warning, so the next shortfall is warned again first."""
    new = monthly_review(current, last_upgrade_on, qualifying, review_date, settings)
    if new.rank >= current.rank:
        return ReviewDecision(new, None)
    if _tiers(settings).downgrade_warning and warned_on is None:
        return ReviewDecision(current, review_date)
    return ReviewDecision(new, None)


def downgrade_due(current: Tier, warned_on: date | None, as_of: date) -> tuple[date, Tier] | None:
    """(the review that downgrades, the tier it downgrades to) while a downgrade warning stands:
    the next monthly review, unless the member is back at their tier's threshold by then."""
    if warned_on is None or current.rank == 0:
        return None
    return first_of_next_month(as_of), TIER_ORDER[current.rank - 1]


@dataclass(frozen=True)
class TierProgress:
    tier: Tier
    qualifying_points: int
    next_tier: Tier | None
    points_to_next: int | None  # "N points to reach <next_tier>"
    keep_points_needed: int | None  # "N points by <keep_by> to keep <tier>"; None when nothing is needed
    keep_by: date | None  # first review that could downgrade; None for Standard

    def as_values(self) -> dict[str, Any]:
        """The progress as plain values (tiers by their code), the fields a member view and a statement carry."""
        return {
            "tier": self.tier.value,
            "qualifying_points": self.qualifying_points,
            "next_tier": self.next_tier.value if self.next_tier else None,
            "points_to_next": self.points_to_next,
            "keep_points_needed": self.keep_points_needed,
            "keep_by": self.keep_by,
        }


def next_possible_downgrade_review(last_upgrade_on: date | None, as_of: date, settings: AnySettings) -> date:
    """The first monthly review (1st of a month) after ``as_of`` that is outside the protection period."""
    review = first_of_next_month(as_of)
    if last_upgrade_on is not None:
        protection_end = add_months(last_upgrade_on, _tiers(settings).downgrade_protection_months)
        review = max(review, first_of_month_on_or_after(protection_end))
    return review


def tier_progress(
    current: Tier,
    last_upgrade_on: date | None,
    earnings: Sequence[tuple[date, int]],
    as_of: date,
    settings: AnySettings,
) -> TierProgress:
    window = _tiers(settings).qualifying_window_months
    qualifying = qualifying_points(earnings, as_of, window)

    next_tier = TIER_ORDER[current.rank + 1] if current.rank + 1 < len(TIER_ORDER) else None
    points_to_next = None if next_tier is None else max(threshold(next_tier, settings) - qualifying, 0)

    if current is Tier.STANDARD:
        return TierProgress(current, qualifying, next_tier, points_to_next, None, None)

    keep_by = next_possible_downgrade_review(last_upgrade_on, as_of, settings)
    # Only points already earned and still inside the window on keep_by count.
    still_counting = qualifying_points(
        [(earned_on, points) for earned_on, points in earnings if earned_on <= as_of], keep_by, window
    )
    needed = threshold(current, settings) - still_counting
    return TierProgress(current, qualifying, next_tier, points_to_next, needed if needed > 0 else None, keep_by)


def monthly_redemption_cap(tier: Tier, settings: AnySettings) -> int:
    return _tiers(settings).rule(tier).monthly_redemption_cap


def earn_multiplier(tier: Tier, settings: AnySettings) -> Decimal:
    return Decimal(_tiers(settings).rule(tier).earn_multiplier)
