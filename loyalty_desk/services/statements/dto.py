"""What the statement screens, commands and documents see."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from loyalty_desk.services.dto import ExpiringMonth


@dataclass(frozen=True)
class StatementLine:
    occurred_on: date
    kind: str  # earn | redeem | expire | adjust | reversal | referral | clawback | tier (a zero-point tier change)
    rule: str | None  # earning source / rule code (card_spend, redemption, expiry ...; monthly_review for a tier change)
    earned: int  # >= 0
    spent: int  # >= 0
    balance_after: int  # running balance from the opening balance
    reference: str | None = None
    campaign_code: str | None = None
    campaign_name: str | None = None  # in the statement's language
    reward_code: str | None = None
    reward_name: str | None = None
    number: str | None = None  # redemption number
    reason: str | None = None  # adjustment reason code / reversal reason
    multiplier: str | None = None
    from_tier: str | None = None  # a tier change's tiers
    to_tier: str | None = None


@dataclass(frozen=True)
class StatementData:
    statement_no: str
    language: str  # zh_CN | en
    issued_at: datetime  # naive UTC
    issued_on: date
    bank_name_zh: str
    bank_name_en: str
    branch_code: str
    branch_name_zh: str
    branch_name_en: str
    member_no: str
    name: str
    kind: str
    masked_id: str
    id_type: str
    tier: str
    qualifying_points: int
    next_tier: str | None
    points_to_next: int | None
    keep_points_needed: int | None
    keep_by: date | None
    referral_code: str | None
    period_from: date
    period_to: date
    opening: int
    total_earned: int
    total_spent: int
    closing: int
    lines: tuple[StatementLine, ...]
    expiring: tuple[ExpiringMonth, ...]
    key_id: str
    digest: str
    qr_text: str = field(default="")

    @property
    def entry_count(self) -> int:
        return len(self.lines)


@dataclass(frozen=True)
class StatementFigures:
    statement_no: str
    member_no: str
    period_from: date
    period_to: date
    opening: int
    total_earned: int
    total_spent: int
    closing: int
    entry_count: int
    issued_on: date
    key_id: str
    digest: str


@dataclass(frozen=True)
class StatementVerification:
    genuine: bool
    problem: str | None  # format | unknown_key | digest_mismatch | None
    figures: StatementFigures | None
    ledger_matches: bool | None = None  # genuine only: the ledger still gives the same figures
    ledger_closing: int | None = None


@dataclass(frozen=True)
class BatchResult:
    requested: int
    written: tuple[str, ...]  # files written (one combined file, or one per member)
    statements: int  # statements rendered
    failed: tuple[tuple[str, str], ...]  # (member_no, reason)
    cancelled: bool
