"""Redemption rules: which reward a member may take now, and every reason when not.

``evaluate_redemption`` returns *all* the blocks (the screen shows each reason);
``check_redemption`` raises the first one as a ``DomainError``. Blocks carry a stable
code and parameters, never a sentence:

====================== =====================================================
code                   params
====================== =====================================================
redeem.member_inactive status
redeem.tier            required, tier
redeem.inactive_window active_from, active_to
redeem.out_of_stock    available, requested
redeem.monthly_cap     cap, used, remaining, needed
redeem.window_limit    max, hours, next_allowed_at
redeem.yearly_limit    limit, used, requested
redeem.balance         available, needed
redeem.offline_limit   limit, used, needed (only while the desk is offline)
====================== =====================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from loyalty_desk.domain.errors import DomainError, ValidationError
from loyalty_desk.domain.rules import RuleSettings, Tier
from loyalty_desk.domain.tiers import monthly_redemption_cap

MAX_QTY = 99


class RewardCategory(StrEnum):
    PHYSICAL_GIFT = "physical_gift"
    VOUCHER = "voucher"
    CASH_REBATE = "cash_rebate"
    SERVICE_PRIVILEGE = "service_privilege"


@dataclass(frozen=True)
class Reward:
    code: str
    name_zh: str
    name_en: str
    category: RewardCategory
    points_cost: int
    cash_value: Decimal  # CNY, for ROI reporting
    min_tier: Tier = Tier.STANDARD
    active_from: date | None = None  # first day it can be redeemed; None: always
    active_to: date | None = None  # last day it can be redeemed; None: open-ended
    yearly_limit_per_member: int | None = None  # units per member per calendar year; None: unlimited
    stock_tracked: bool = False  # physical gifts keep stock per branch

    def is_active_on(self, day: date) -> bool:
        return (self.active_from is None or self.active_from <= day) and (self.active_to is None or day <= self.active_to)


@dataclass(frozen=True)
class MemberFacts:
    """What the rules need to know about the member at the moment of redeeming.

    Reversed redemptions are not counted anywhere here: they were undone.
    """

    status: str  # active | frozen | closed
    tier: Tier
    available: int  # posted balance minus held points
    redeemed_this_month: int  # points redeemed in the current calendar month
    recent_redemptions: tuple[datetime, ...] = ()  # when each redemption of the last window happened
    reward_count_this_year: int = 0  # units of *this* reward redeemed this calendar year
    offline_points_today: int | None = None  # points redeemed today, given only while the desk is offline
    freeze_reason: str | None = None  # a frozen member's freeze reason (domain/member_care.py)


@dataclass(frozen=True)
class Block:
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def as_error(self) -> DomainError:
        return DomainError(self.code, **dict(self.params))


def validate_qty(qty: Any) -> int:
    if isinstance(qty, int) and not isinstance(qty, bool):
        number = qty
    else:
        try:
            number = int(str(qty).strip())
        except ValueError:
            raise ValidationError("redeem.qty", field="qty", value=qty, maximum=MAX_QTY) from None
    if not 1 <= number <= MAX_QTY:
        raise ValidationError("redeem.qty", field="qty", value=number, maximum=MAX_QTY)
    return number


def points_needed(reward: Reward, qty: int) -> int:
    return reward.points_cost * qty


def window_start(now: datetime, hours: int) -> datetime:
    """Redemptions strictly after this moment are inside the rolling window ending at ``now``."""
    return now - timedelta(hours=hours)


def evaluate_redemption(
    reward: Reward,
    qty: int,
    member: MemberFacts | None,
    stock: int | None,
    settings: RuleSettings,
    now: datetime,
) -> list[Block]:
    """Every rule that blocks ``qty`` × ``reward`` for ``member`` at ``now`` (empty: allowed).

    ``stock`` is what the branch has on hand (None when the reward's stock is not
    tracked). ``member=None`` checks only the reward itself (catalogue without a member).
    """
    blocks: list[Block] = []
    today = now.date()
    needed = points_needed(reward, qty)
    if member is not None and member.status == "frozen":
        blocks.append(Block("member.frozen", {"freeze_reason": member.freeze_reason or "", "action": "redeem"}))
    elif member is not None and member.status != "active":
        blocks.append(Block("redeem.member_inactive", {"status": member.status}))
    if member is not None and member.tier.rank < reward.min_tier.rank:
        blocks.append(Block("redeem.tier", {"required": reward.min_tier.value, "tier": member.tier.value}))
    if not reward.is_active_on(today):
        blocks.append(Block("redeem.inactive_window", {"active_from": reward.active_from, "active_to": reward.active_to}))
    if reward.stock_tracked and (stock or 0) < qty:
        blocks.append(Block("redeem.out_of_stock", {"available": stock or 0, "requested": qty}))
    if member is None:
        return blocks

    cap = monthly_redemption_cap(member.tier, settings)
    used = member.redeemed_this_month
    if used + needed > cap:
        blocks.append(Block("redeem.monthly_cap", {"cap": cap, "used": used, "remaining": max(cap - used, 0), "needed": needed}))

    rules = settings.redemption
    start = window_start(now, rules.window_hours)
    recent = sorted(at for at in member.recent_redemptions if start < at <= now)
    if len(recent) >= rules.max_redemptions_per_window:
        # The window frees a place when the oldest of the last ``max`` redemptions leaves it.
        oldest_that_counts = recent[len(recent) - rules.max_redemptions_per_window]
        blocks.append(
            Block(
                "redeem.window_limit",
                {
                    "max": rules.max_redemptions_per_window,
                    "hours": rules.window_hours,
                    "next_allowed_at": oldest_that_counts + timedelta(hours=rules.window_hours),
                },
            )
        )

    limit = reward.yearly_limit_per_member
    if limit is not None and member.reward_count_this_year + qty > limit:
        blocks.append(Block("redeem.yearly_limit", {"limit": limit, "used": member.reward_count_this_year, "requested": qty}))

    if member.available < needed:
        blocks.append(Block("redeem.balance", {"available": member.available, "needed": needed}))

    offline = offline_limit_block(member.offline_points_today, needed, rules.offline_daily_limit_points)
    if offline is not None:
        blocks.append(offline)
    return blocks


def offline_limit_block(used_today: int | None, needed: int, limit: int) -> Block | None:
    """The offline daily ceiling per member (the one implementation; ``used_today`` is ``None`` when it does
    not apply: online, or on central). Offline the central balance cannot be confirmed."""
    if used_today is None or used_today + needed <= limit:
        return None
    return Block("redeem.offline_limit", {"limit": limit, "used": used_today, "needed": needed})


def check_redemption(
    reward: Reward,
    qty: int,
    member: MemberFacts,
    stock: int | None,
    settings: RuleSettings,
    now: datetime,
) -> None:
    """Raises the first block of ``evaluate_redemption`` as a ``DomainError``."""
    blocks = evaluate_redemption(reward, qty, member, stock, settings, now)
    if blocks:
        raise blocks[0].as_error()


def can_reverse(redeemed_at: datetime, now: datetime, settings: RuleSettings) -> bool:
    """A redemption may be reversed up to ``reversal_window_days`` × 24 h after it was made."""
    return now - redeemed_at <= timedelta(days=settings.redemption.reversal_window_days)


def redemption_operation_start(number: str) -> str | None:
    """The start of the operation id a redemption number was made from (``redemption_number``), as a
    lower-case uuid begins: ``3f2a9c1b-7d4e``; None for a number not of that form."""
    digits = number.rsplit("-", 1)[-1].lower() if isinstance(number, str) else ""
    if len(digits) != 12 or any(c not in "0123456789abcdef" for c in digits):
        return None
    return f"{digits[:8]}-{digits[8:]}"


def redemption_number(branch_code: str, operation_id: str) -> str:
    """The number printed on the receipt, derived from the operation id so that the desk and
    central arrive at the same one: ``R-BJ01-3F2A9C1B7D4E`` (48 bits of the uuid)."""
    digits = operation_id.replace("-", "").upper()[:12]
    if len(digits) < 12:
        raise ValidationError("redeem.operation_id", field="operation_id", value=operation_id)
    return f"R-{branch_code}-{digits}"


def sort_offers_key(available: bool, points_cost: int, code: str) -> tuple[int, int, str]:
    """Catalogue order: what the member may take first, then cheaper first."""
    return (0 if available else 1, points_cost, code)

