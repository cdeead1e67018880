"""What the campaign screens and command read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class CampaignView:
    code: str
    name_zh: str
    name_en: str
    kind: str  # domain.campaigns.CampaignKind
    multiplier: str
    bonus_points: int
    sources: tuple[str, ...]
    tiers: tuple[str, ...]
    branches: tuple[str, ...]  # empty: every branch
    starts_on: date
    ends_on: date
    budget_points: int
    spent_points: int
    member_cap: int | None
    stacking: str  # best | combine
    status: str  # as stored: draft | submitted | approved | stopped
    shown_status: str  # draft | submitted | scheduled | running | stopped | ended | exhausted
    members_reached: int
    created_by: str | None
    created_at: datetime | None
    submitted_by: str | None
    decided_by: str | None
    decided_at: datetime | None
    rejection_note: str | None
    stopped_by: str | None
    stopped_at: datetime | None
    stop_reason: str | None
    within_days: int | None = None  # card_approved, spend_target: N days
    target_cny: int | None = None  # spend_target: X CNY
    segment: str | None = None  # only this segment's members earn from it

    @property
    def budget_left(self) -> int:
        return max(self.budget_points - self.spent_points, 0)

    @property
    def makers(self) -> tuple[str, ...]:
        """Who may not approve or reject it (four eyes)."""
        return tuple(name for name in (self.created_by, self.submitted_by) if name)


@dataclass(frozen=True)
class CampaignForecast:
    """The campaign's rules replayed over the same window a year (or more) earlier, within the last 12
    months of the ledger's earnings, through the earning engine's arithmetic."""

    code: str | None  # None: fields not yet saved
    replayed_from: date | None  # None: the window has no day within the last 12 months
    replayed_to: date | None
    years_back: int
    transactions: int  # earn entries the campaign would have added points to
    points: int  # extra points it would have awarded, within its budget
    points_without_budget: int
    members_reached: int  # within its budget
    cost_cny: Decimal  # points at the programme's point value
    budget_points: int
    exhausted_on: date | None  # in the campaign's own window: the day its budget would run out
    point_value_cny_per_100_points: int
