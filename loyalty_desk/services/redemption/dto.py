"""What the redemption screens and commands see: catalogue lines, quotes, receipts and reversals."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class BlockReason:
    """Why a reward cannot be taken: a stable code (``redeem.*``) and its parameters."""

    code: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class RewardOffer:
    """One catalogue line, for a member (``blocks`` names every rule that stops it) or for anyone."""

    code: str
    name_zh: str
    name_en: str
    category: str  # physical_gift | voucher | cash_rebate | service_privilege
    points_cost: int
    cash_value: Decimal  # CNY
    min_tier: str
    active_from: date | None
    active_to: date | None
    yearly_limit_per_member: int | None
    stock_tracked: bool
    stock: int | None  # on hand at the branch; None when not tracked
    available: bool
    blocks: tuple[BlockReason, ...] = ()


@dataclass(frozen=True)
class RedemptionQuote:
    """What a redemption of ``qty`` would cost and leave, and what blocks it (empty: allowed)."""

    member_no: str
    reward_code: str
    qty: int
    points: int
    available_before: int
    available_after: int
    blocks: tuple[BlockReason, ...] = ()


@dataclass(frozen=True)
class RedemptionLine:
    """What names a redemption wherever it is shown: its number, operation, member, reward, quantity and points."""

    number: str
    operation_id: str
    member_no: str
    masked_name: str
    reward_code: str
    reward_name_zh: str
    reward_name_en: str
    qty: int
    points: int


@dataclass(frozen=True)
class RedemptionReceipt(RedemptionLine):
    balance_after: int  # available balance after the redemption
    branch_code: str
    branch_name_zh: str
    branch_name_en: str
    officer: str  # display name
    officer_username: str
    at: datetime  # UTC, as stored
    replayed: bool = False  # the operation had been applied before (nothing new was posted)


@dataclass(frozen=True)
class RedemptionView(RedemptionLine):
    branch_code: str
    officer_username: str
    redeemed_at: datetime
    reversed_at: datetime | None = None
    reversal_reason: str | None = None
    reversed_by: str | None = None
    reversal_operation_id: str | None = None

    @property
    def reversed(self) -> bool:
        return self.reversed_at is not None


@dataclass(frozen=True)
class RedemptionReversal:
    number: str
    member_no: str
    points: int  # points given back
    balance_after: int  # available balance after the reversal
    reason: str
    reversed_by: str
    reversed_at: datetime
    restored_lots: tuple[tuple[int, int, date], ...]  # (lot id, points, expires_on)
    replayed: bool = False
