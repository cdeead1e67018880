"""Typed SQLAlchemy 2 models: the same schema on SQLite (desk) and PostgreSQL (central).

Append-only tables: ``ledger_entry``, ``lot_movement``, ``audit_event``, ``operation``.
Projections kept in step with them in the same transaction: ``member.posted_balance``,
``member.held_points``, ``lot.remaining``, ``campaign.spent_points``.
Times are stored as naive UTC; business dates (``occurred_on``, ``expires_on``) as dates.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Integer primary keys are rowid aliases on SQLite and bigints on PostgreSQL.
BigId = BigInteger().with_variant(Integer(), "sqlite")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, datetime: DateTime(), date: Date()}


class Branch(Base):
    __tablename__ = "branch"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    is_head_office: Mapped[bool] = mapped_column(Boolean, default=False)


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))  # officer | supervisor | admin | auditor
    branch_id: Mapped[int] = mapped_column(ForeignKey("branch.id"))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    id_number: Mapped[str | None] = mapped_column(String(32), index=True)  # staff may not refer for rewards
    mobile: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime]

    __table_args__ = (CheckConstraint("role IN ('officer','supervisor','admin','auditor')", name="role"),)


class Member(Base):
    __tablename__ = "member"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    member_no: Mapped[str] = mapped_column(String(11), unique=True)
    kind: Mapped[str] = mapped_column(String(10), default="person")  # person | business
    name: Mapped[str] = mapped_column(String(100))
    name_pinyin: Mapped[str] = mapped_column(String(200), index=True)
    id_type: Mapped[str] = mapped_column(String(16))  # resident_id | uscc | passport
    id_number: Mapped[str] = mapped_column(String(32), index=True)
    mobile: Mapped[str] = mapped_column(String(16), index=True)
    mobile_last4: Mapped[str] = mapped_column(String(4), index=True)
    card_no: Mapped[str | None] = mapped_column(String(19), unique=True)
    address: Mapped[str | None] = mapped_column(String(200))
    branch_id: Mapped[int] = mapped_column(ForeignKey("branch.id"))
    status: Mapped[str] = mapped_column(String(10), default="active")  # active | frozen | closed
    tier: Mapped[str] = mapped_column(String(10), default="standard")
    last_upgrade_on: Mapped[date | None]
    joined_on: Mapped[date]
    card_approved_on: Mapped[date | None]
    profile_bonus_given: Mapped[bool] = mapped_column(Boolean, default=False)
    referral_code: Mapped[str | None] = mapped_column(String(8), unique=True)
    posted_balance: Mapped[int] = mapped_column(BigInteger, default=0)
    held_points: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime]

    __table_args__ = (
        CheckConstraint("held_points >= 0", name="held_not_negative"),
        CheckConstraint("status IN ('active','frozen','closed')", name="status"),
    )


class MemberNameKey(Base):
    """Every suffix of a member's name (and its pinyin): a substring search becomes an index range scan."""

    __tablename__ = "member_name_key"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), primary_key=True)

    __table_args__ = {"sqlite_with_rowid": False}


class Operation(Base):
    """One business operation, keyed by the id made where it started; applying it twice is applying it once."""

    __tablename__ = "operation"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), index=True)
    payload: Mapped[dict[str, Any]]
    payload_digest: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))  # posted | pending | rejected
    origin: Mapped[str] = mapped_column(String(64))  # desk name, "import", "job"
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime]


class LedgerEntry(Base):
    __tablename__ = "ledger_entry"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    entry_uid: Mapped[str] = mapped_column(String(120), unique=True)  # derived from the inputs: reruns post nothing twice
    operation_id: Mapped[str | None] = mapped_column(ForeignKey("operation.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    kind: Mapped[str] = mapped_column(String(16))  # earn | redeem | expire | adjust | reversal | referral | clawback
    rule: Mapped[str | None] = mapped_column(String(40))
    points: Mapped[int] = mapped_column(BigInteger)
    balance_after: Mapped[int] = mapped_column(BigInteger)
    occurred_on: Mapped[date]
    posted_at: Mapped[datetime]
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branch.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    reference: Mapped[str | None] = mapped_column(String(64), index=True)
    campaign_code: Mapped[str | None] = mapped_column(String(32))
    reverses_entry_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entry.id"), unique=True)
    details: Mapped[dict[str, Any] | None]

    __table_args__ = (
        Index("ix_ledger_entry_member_id_id", "member_id", "id"),
        Index("ix_ledger_entry_member_id_occurred_on", "member_id", "occurred_on"),
    )


class Lot(Base):
    __tablename__ = "lot"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entry.id"), unique=True)
    rule: Mapped[str] = mapped_column(String(40))
    earned_on: Mapped[date]
    expires_on: Mapped[date]
    original: Mapped[int] = mapped_column(BigInteger)
    remaining: Mapped[int] = mapped_column(BigInteger)
    qualifying: Mapped[bool] = mapped_column(Boolean)

    __table_args__ = (
        CheckConstraint("remaining >= 0 AND remaining <= original", name="remaining_in_range"),
        Index("ix_lot_member_id_expires_on", "member_id", "expires_on"),
        Index("ix_lot_expires_on_open", "expires_on", sqlite_where=text("remaining > 0"), postgresql_where=text("remaining > 0")),
    )


class LotMovement(Base):
    """Which lots an entry took points from (negative) or gave points back to (positive)."""

    __tablename__ = "lot_movement"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entry.id"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lot.id"), index=True)
    points: Mapped[int] = mapped_column(BigInteger)


class Campaign(Base):
    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    sources: Mapped[list[str]] = mapped_column(JSON)
    tiers: Mapped[list[str]] = mapped_column(JSON)
    multiplier: Mapped[str] = mapped_column(String(8))
    budget_points: Mapped[int] = mapped_column(BigInteger)
    spent_points: Mapped[int] = mapped_column(BigInteger, default=0)


class RuleSetting(Base):
    """One section of ``RuleSettings`` as JSON, versioned."""

    __tablename__ = "rule_setting"

    section: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[dict[str, Any]]
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(64))


class AuditEvent(Base):
    """Append-only and hash-chained: ``hash = sha256(prev_hash + canonical content)``."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(64), index=True)  # username, or "system" for jobs
    desk: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(48), index=True)
    entity: Mapped[str | None] = mapped_column(String(32))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    member_no: Mapped[str | None] = mapped_column(String(11), index=True)
    branch_code: Mapped[str | None] = mapped_column(String(16))
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
    details: Mapped[dict[str, Any] | None]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class JobRun(Base):
    """Which job ran for which key (e.g. expiry for a date), so reruns can report what they skipped."""

    __tablename__ = "job_run"

    job: Mapped[str] = mapped_column(String(32), primary_key=True)
    run_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    result: Mapped[dict[str, Any] | None]
