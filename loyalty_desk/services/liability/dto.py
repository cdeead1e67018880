"""What the points liability report holds: plain figures, CNY worked out from the point value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from loyalty_desk.services.dto import BranchName, ExpiringMonth

CENT = Decimal("0.01")


@dataclass(frozen=True)
class RollForwardLine:
    """One home branch and tier (or, with ``branch_code`` and ``tier`` empty, the whole report).

    ``redeemed`` and ``expired`` are the points that went out (net of reversals), ``issued`` what
    came in (earning, referral rewards, net of claw-backs and their reversals), ``adjusted`` the
    manual adjustments' net (a debit is negative). ``lots_at_close`` is the sum of open lot
    balances at the end of the month, counted independently of the entries."""

    branch_code: str
    tier: str
    opening: int
    issued: int
    redeemed: int
    expired: int
    adjusted: int
    lots_at_close: int

    @property
    def closing(self) -> int:
        return self.opening + self.issued - self.redeemed - self.expired + self.adjusted

    @property
    def difference(self) -> int:
        """Closing by the roll-forward minus the lots at the month's end: 0 when reconciled."""
        return self.closing - self.lots_at_close


@dataclass(frozen=True)
class BreakageLine:
    """Points issued and expired in the breakage window, for a branch (or all: ``branch_code`` empty)."""

    branch_code: str
    issued: int
    expired: int

    @property
    def rate(self) -> Decimal | None:
        """expired / issued, as a fraction to four places; None when nothing was issued."""
        if self.issued <= 0:
            return None
        return (Decimal(self.expired) / Decimal(self.issued)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LiabilityReport:
    month: date  # the first day of the month
    month_end: date
    branch_code: str | None  # None: every branch
    branches: tuple[BranchName, ...]  # the branches the lines name
    lines: tuple[RollForwardLine, ...]  # by branch code, then tier from Standard to Platinum
    total: RollForwardLine
    expiring: tuple[ExpiringMonth, ...]  # the 12 months after the report's month
    past_expiry: int  # points in lots past their expiry date at the month's end that no expiry run has taken yet
    breakage_from: date
    breakage_to: date
    breakage: tuple[BreakageLine, ...]  # per branch, then the total (branch_code empty) last
    point_value_cny_per_100_points: int
    bank_name_zh: str
    bank_name_en: str
    produced_at: datetime
    produced_by: str

    @property
    def reconciled(self) -> bool:
        return self.total.difference == 0 and all(line.difference == 0 for line in self.lines)

    @property
    def month_text(self) -> str:
        return f"{self.month.year:04d}-{self.month.month:02d}"

    def cny(self, points: int) -> Decimal:
        """Points in CNY at the programme's point value, to the fen."""
        return (Decimal(points) * self.point_value_cny_per_100_points / 100).quantize(CENT, rounding=ROUND_HALF_UP)

    def branch_name(self, code: str, language: str) -> str:
        for branch in self.branches:
            if branch.code == code:
                return branch.name_en if language.startswith("en") else branch.name_zh
        return code


@dataclass(frozen=True)
class LiabilityResult:
    report: LiabilityReport
    xlsx: str | None
    pdf: str | None
