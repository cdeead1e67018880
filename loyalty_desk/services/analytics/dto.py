"""What the analytics services return: plain figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


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

    @property
    def agrees(self) -> bool:
        return not self.differences and self.served_missing == 0 and self.served_extra == 0


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
class DashboardBranch:
    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class Dashboard:
    branch_code: str | None  # None: every branch
    branches: tuple[DashboardBranch, ...]  # the branches the user may choose (only their own unless head office)
    may_choose: bool  # head office: any branch or all
    today: Period
    month: Period
    waiting_for_approval: int
    sync_exceptions_open: int
    low_stock: tuple[LowStock, ...]
    low_stock_at: int
    trend: tuple[TrendMonth, ...]  # 12 months, the oldest first, this month last
    read_at: datetime
