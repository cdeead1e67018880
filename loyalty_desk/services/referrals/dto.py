"""What the referral screens and commands see."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class ReferrerPreview:
    """What the form shows once a valid code is typed."""

    code: str
    member_no: str
    masked_name: str
    status: str
    branch_code: str


@dataclass(frozen=True)
class RewardView:
    role: str
    member_no: str
    points: int
    status: str  # pending | posted | clawed_back | capped
    available_on: date


@dataclass(frozen=True)
class ReferralView:
    referral_id: int
    operation_id: str
    status: str
    code_used: str
    referrer_no: str
    referrer_name: str  # masked
    referee_no: str
    referee_name: str  # masked
    second_level_no: str | None
    branch_code: str
    officer: str
    registered_on: date
    registered_at: datetime
    qualifying_event: str | None = None
    qualifying_txn_id: str | None = None
    qualifying_on: date | None = None
    rewards_pending_until: date | None = None
    rewards: tuple[RewardView, ...] = ()
    flags: tuple[dict[str, Any], ...] = ()
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_note: str | None = None
    closed_reason: str | None = None

    def reward_for(self, role: str) -> RewardView | None:
        return next((r for r in self.rewards if r.role == role), None)

    @property
    def flag_codes(self) -> tuple[str, ...]:
        return tuple(str(f.get("code")) for f in self.flags)


@dataclass(frozen=True)
class TreeNode:
    member_no: str
    masked_name: str
    status: str  # of the referral that brought this member in
    registered_on: date
    points: int  # what the root earned (or will) from this referral: referrer or second-level reward
    children: tuple[TreeNode, ...] = ()
    event: str | None = None  # the qualifying event: financing | card


@dataclass(frozen=True)
class MemberReferrals:
    member_no: str
    referral_code: str | None
    received: ReferralView | None
    made: tuple[ReferralView, ...]
    tree: tuple[TreeNode, ...]  # the member's referees, each with their own referees (two levels)
    pending_points: int  # rewards of this member not yet available
    next_available_on: date | None


@dataclass(frozen=True)
class FlaggedReferral:
    referral: ReferralView
    evidence: tuple[ReferralView, ...]  # other referrals sharing the address, the number block or the day


@dataclass(frozen=True)
class RegistrationOutcome:
    referral_id: int
    operation_id: str
    status: str  # registered | flagged
    referee_no: str
    referee_code: str
    referrer_no: str
    flags: tuple[str, ...] = ()
    replayed: bool = False


@dataclass(frozen=True)
class DecisionOutcome:
    referral_id: int
    operation_id: str
    status: str
    replayed: bool = False


@dataclass(frozen=True)
class SweepReport:
    as_of: date
    released: int  # referrals whose rewards were posted
    points_posted: int
    clawed_back: int
    expired: int
    codes_assigned: int = 0
    referral_ids: tuple[int, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ListFilter:
    statuses: tuple[str, ...] = ()
    member_no: str | None = None  # as referrer, referee or second level
    referrer_no: str | None = None
    since: date | None = None
    until: date | None = None
    branch_code: str | None = None  # head office and auditors only; others see their branch
