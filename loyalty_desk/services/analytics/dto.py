"""What the analytics services return: plain figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from loyalty_desk.services.dto import BranchName


@dataclass(frozen=True)
class AggregateDifference:
    """A key (by month) where the aggregates and the ledger differ."""

    table: str
    key: tuple[object, ...]
    aggregates: tuple[int, ...]
    ledger: tuple[int, ...]


@dataclass(frozen=True)
class VerifyResult:
    differences: tuple[AggregateDifference, ...]  # the first 1,000
    served_missing: int  # members served the sources name and the aggregate lacks
    served_extra: int  # and the other way round
    rows: dict[str, int]
    seconds: float
    active_missing: int = 0  # active members (month, member) the ledger names and the aggregate lacks
    active_extra: int = 0  # and the other way round
    campaign_missing: int = 0  # campaign participants (campaign, month, member) the ledger names and the aggregate lacks
    campaign_extra: int = 0  # and the other way round

    @property
    def agrees(self) -> bool:
        return not self.differences and not any(
            (self.served_missing, self.served_extra, self.active_missing, self.active_extra, self.campaign_missing, self.campaign_extra)
        )


@dataclass(frozen=True)
class UpkeepResult:
    """After a rebuild or a compaction: the aggregate rows per table."""

    rows: dict[str, int]
    seconds: float


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    members_served: int
    redemptions: int
    points_redeemed: int
    referrals: int
    adjustments_requested: int


@dataclass(frozen=True)
class TrendMonth:
    month: date  # the month's first day
    issued: int
    redeemed: int
    redemptions: int


@dataclass(frozen=True)
class LowStock:
    code: str
    name_zh: str
    name_en: str
    on_hand: int


@dataclass(frozen=True)
class Dashboard:
    branch_code: str | None  # None: every branch
    branches: tuple[BranchName, ...]  # the branches the user may choose (only their own unless head office)
    may_choose: bool  # head office: any branch or all
    today: Period
    month: Period
    waiting_for_approval: int
    sync_exceptions_open: int
    low_stock: tuple[LowStock, ...]
    low_stock_at: int
    trend: tuple[TrendMonth, ...]  # 12 months, the oldest first, this month last
    read_at: datetime


# --- programme results --------------------------------------------------------------------------------


def ratio(part: int, whole: int) -> Decimal | None:
    """part / whole to four places; None when the whole is not positive (no figure rather than a made-up one)."""
    if whole <= 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class SourcePoints:
    """Points issued from one source: an earning rule, ``referral``, ``clawback``, or ``reversed`` (earnings given back)."""

    source: str
    points: int
    entries: int


@dataclass(frozen=True)
class CategoryPoints:
    category: str  # physical_gift | voucher | cash_rebate | service_privilege | other (redeemed with no redemption row)
    points: int
    redemptions: int


@dataclass(frozen=True)
class MonthPoints:
    month: date  # the month's first day
    issued: int
    redeemed: int
    expired: int


@dataclass(frozen=True)
class TierMembers:
    tier: str
    members: int


@dataclass(frozen=True)
class ReferralFunnel:
    registered: int
    qualified: int
    rewarded: int
    clawed_back: int

    @property
    def conversion(self) -> Decimal | None:
        """Rewarded and not clawed back / registered."""
        return ratio(self.rewarded - self.clawed_back, self.registered)


@dataclass(frozen=True)
class CampaignResult:
    code: str
    name_zh: str
    name_en: str
    points: int  # awarded by the campaign (its extra points), to date
    members_reached: int
    cost_cny: Decimal  # the points at the programme's point value
    # Card spend over the months of the period the campaign ran in (domain/campaign_return.py):
    # participants, the members it awarded; the comparison group, its eligible members who took no part.
    participants: int = 0
    comparison_members: int = 0
    average_spend_participant: Decimal | None = None  # CNY per member; None: no members
    average_spend_comparison: Decimal | None = None
    incremental_spend: Decimal | None = None  # CNY, may be negative; None: a group is empty
    return_per_cny: Decimal | None = None  # incremental spend / cost; None when the cost is 0
    months_compared: tuple[date, date] | None = None  # first days of the first and last month compared
    eligibility_by_branch_only: bool = False  # a segment campaign: its branches' (and tiers') members stand for those eligible


@dataclass(frozen=True)
class TierMoves:
    """Tier changes of a home branch's members in the period: to a higher tier and to a lower one."""

    branch_code: str | None  # None: members the store does not hold
    up: int
    down: int


@dataclass(frozen=True)
class ProgrammeResults:
    first: date  # the first day of the first month
    last: date  # the last day of the last month (today, when the period runs to this month)
    months_in_period: int
    branch_code: str | None  # None: every branch
    tier: str | None  # None: every tier
    branches: tuple[BranchName, ...]  # those the user may choose
    may_choose: bool
    members: int  # members who had joined by the period's end
    active: int  # of them, those who earned or redeemed in the period
    previous_first: date
    previous_last: date
    active_previous: int
    retained: int  # active in the previous period and in this one
    issued_by_source: tuple[SourcePoints, ...]
    redeemed_by_category: tuple[CategoryPoints, ...]
    issued: int
    redeemed: int
    expired: int
    months: tuple[MonthPoints, ...]
    tiers: tuple[TierMembers, ...]  # Standard to Platinum
    tier_moves: tuple[TierMoves, ...]  # by home branch
    referrals: ReferralFunnel
    campaigns: tuple[CampaignResult, ...]
    point_value_cny_per_100_points: int
    produced_at: datetime
    produced_by: str

    @property
    def moved_up(self) -> int:
        return sum(move.up for move in self.tier_moves)

    @property
    def moved_down(self) -> int:
        return sum(move.down for move in self.tier_moves)

    @property
    def participation_rate(self) -> Decimal | None:
        return ratio(self.active, self.members)

    @property
    def redemption_rate(self) -> Decimal | None:
        return ratio(self.redeemed, self.issued)

    @property
    def breakage_rate(self) -> Decimal | None:
        """Expired / issued in the period: an indicator, not the liability's 24-month estimate."""
        return ratio(self.expired, self.issued)

    @property
    def retention_rate(self) -> Decimal | None:
        return ratio(self.retained, self.active_previous)

    @property
    def period_text(self) -> str:
        return f"{self.first.year:04d}-{self.first.month:02d} – {self.last.year:04d}-{self.last.month:02d}"

    def cny(self, points: int) -> Decimal:
        return (Decimal(points) * self.point_value_cny_per_100_points / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def branch_name(self, code: str | None, language: str) -> str:
        for branch in self.branches:
            if branch.code == code:
                return branch.name_en if language.startswith("en") else branch.name_zh
        return code or ""


@dataclass(frozen=True)
class ResultsExport:
    results: ProgrammeResults
    xlsx: str | None
    pdf: str | None


@dataclass(frozen=True)
class DrillRow:
    on: date | None
    member_no: str
    member_name: str
    what: str
    points: int | None
    reference: str


@dataclass(frozen=True)
class DrillPage:
    """A page of the rows behind a figure (``offset`` and ``total`` as ``HistoryModel`` wants them)."""

    rows: tuple[DrillRow, ...]
    offset: int
    total: int
