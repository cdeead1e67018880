"""What the adjustment screens and commands see: requests, outcomes, the queue filter and the expiry sweep."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from loyalty_desk.domain.adjustments import (
    Direction,
    Status,
)


@dataclass(frozen=True)
class AdjustmentView:
    """One request as the queue, the member view and the command line show it."""

    request_id: int
    operation_id: str
    member_no: str
    masked_name: str
    branch_code: str
    maker_username: str
    maker_name: str
    direction: str  # credit | debit
    points: int  # unsigned
    reason_code: str
    memo: str
    evidence_ref: str | None
    status: str  # pending | approved | rejected | cancelled | expired
    created_at: datetime
    expires_at: datetime
    age_minutes: int
    approvals: int
    approvals_needed: int
    approvers: tuple[str, ...] = ()
    decided_at: datetime | None = None
    decided_by: str | None = None
    decision_note: str | None = None
    posted_entry_id: int | None = None
    decided_by_name: str | None = None

    @property
    def signed_points(self) -> int:
        return self.points if self.direction == Direction.CREDIT else -self.points


@dataclass(frozen=True)
class AdjustmentOutcome:
    """What an operation did: the request after it, and the balances it left."""

    request_id: int
    status: str
    approvals: int
    approvals_needed: int
    posted: bool
    posted_balance: int
    held_points: int
    available_balance: int
    operation_id: str
    replayed: bool = False


@dataclass(frozen=True)
class QueueFilter:
    statuses: tuple[str, ...] = (Status.PENDING.value,)
    member_no: str | None = None
    reason_code: str | None = None
    direction: str | None = None
    maker: str | None = None  # username
    min_points: int | None = None


@dataclass(frozen=True)
class ExpirySweep:
    expired: int
    points_released: int
    request_ids: tuple[int, ...] = field(default_factory=tuple)
