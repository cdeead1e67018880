"""What the member screens and commands see: the member view, history, a revealed identity and a member import's report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from loyalty_desk.domain.card_journey import CardJourney
from loyalty_desk.services.dto import ProvisionalNumber, RowProblem


@dataclass(frozen=True)
class TierProgressView:
    tier: str
    qualifying_points: int
    next_tier: str | None
    points_to_next: int | None
    keep_points_needed: int | None  # points to earn by ``keep_by`` to keep ``tier``; None when safe
    keep_by: date | None
    tier_since: date | None
    # A standing downgrade warning: "downgrade to <downgrade_to> due at the review on <downgrade_due_on>
    # unless <keep_points_needed> points by then" (None when no warning stands).
    downgrade_warned_on: date | None = None
    downgrade_due_on: date | None = None
    downgrade_to: str | None = None


@dataclass(frozen=True)
class LotView:
    lot_id: int
    source: str
    earned_on: date
    expires_on: date
    original: int
    remaining: int


@dataclass(frozen=True)
class ExpiringPoints:
    within_days: int
    points: int


@dataclass(frozen=True)
class FreezeView:
    reason: str  # domain.member_care.FreezeReason
    note: str
    frozen_at: datetime | None
    frozen_by: str | None  # the staff member's display name


@dataclass(frozen=True)
class MemberView(ProvisionalNumber):
    member_no: str
    kind: str  # person | business
    name: str  # the member's name is shown in full on their own card
    masked_name: str
    id_type: str
    masked_id: str
    masked_mobile: str
    masked_card: str | None
    status: str
    branch_code: str
    branch_name_zh: str
    branch_name_en: str
    joined_on: date
    posted_balance: int
    held_points: int
    available_balance: int
    tier: TierProgressView
    expiring: tuple[ExpiringPoints, ...]
    lots: tuple[LotView, ...]  # open lots (remaining > 0), soonest expiring first
    referral_code: str | None = None
    freeze: FreezeView | None = None  # the freeze in force (status "frozen")
    card_journey: CardJourney | None = None  # a card's journey once it is approved
    member_no_provisional: bool = field(init=False, default=False)  # a desk's offline number, until central's copy


@dataclass(frozen=True)
class HistoryEntry:
    entry_id: int
    occurred_at: datetime
    kind: str  # earn | redeem | expire | adjust | reversal | referral | clawback | tier (a zero-point tier change)
    source: str | None  # earning source or rule code (for a tier change: why, e.g. monthly_review)
    description: str  # stable key for the UI to translate, e.g. "earn.card_spend"
    description_params: dict[str, str] = field(default_factory=dict)
    points: int = 0
    balance_after: int = 0
    reference: str | None = None
    branch_code: str | None = None
    operation_id: str | None = None


@dataclass(frozen=True)
class HistoryPage:
    member_no: str
    total: int
    offset: int
    rows: tuple[HistoryEntry, ...]


@dataclass(frozen=True)
class HistoryFilter:
    kinds: tuple[str, ...] = ()  # empty: all kinds
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class RevealedIdentity:
    """Full ID and mobile, handed out only after an audited reveal with a reason."""

    member_no: str
    id_type: str
    id_number: str
    mobile: str


@dataclass(frozen=True)
class MemberImportReport:
    file: str
    rows_read: int
    rows_valid: int
    registered: int
    already_registered: int
    problems: tuple[RowProblem, ...]
    posted: bool  # False when bad rows stopped the import (nothing registered)
    error_report: str | None = None
    first_member_no: str | None = None
    last_member_no: str | None = None
    member_nos: tuple[str, ...] = ()


@dataclass(frozen=True)
class ApprovalTimesLine:
    """One branch's card approvals in the period against the service target (``domain.earning.approval_times``).
    Approvals whose import carried no application date count in ``approvals`` and in no other figure."""

    branch_code: str  # "" for the total
    branch_name_zh: str
    branch_name_en: str
    approvals: int
    measured: int  # approvals with an application date
    within_target: int
    over_target: int
    within_share: Decimal | None  # per cent of the measured
    median_days: Decimal | None
    p90_days: int | None
    longest_days: int | None


@dataclass(frozen=True)
class LateApproval:
    """A card approved later than the service target: the report's drill-down."""

    member_no: str
    name: str
    branch_code: str
    applied_on: date
    approved_on: date
    days: int


@dataclass(frozen=True)
class CardServiceReport:
    """Head office's report of card approval times against the service target, by branch."""

    first: date
    last: date
    branch_code: str | None  # None: every branch the user may see
    target_days: int
    lines: tuple[ApprovalTimesLine, ...]
    total: ApprovalTimesLine
    late: tuple[LateApproval, ...]  # slowest first
    produced_at: datetime
    produced_by: str


@dataclass(frozen=True)
class CardServiceResult:
    report: CardServiceReport
    xlsx: str | None
