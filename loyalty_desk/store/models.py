"""Typed SQLAlchemy 2 models: the same schema on SQLite (desk) and PostgreSQL (central).

Append-only tables: ``ledger_entry``, ``lot_movement``, ``audit_event``, ``operation``.
Projections kept in step with them in the same transaction: ``member.posted_balance``,
``member.held_points``, ``lot.remaining``, ``campaign.spent_points``.
Times are stored as naive UTC; business dates (``occurred_on``, ``expires_on``) as dates.
Every table stays in this one module, long as it is: the schema reads, and migrates, as one.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

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
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.orm.attributes import _ScalarAttributeImpl
from sqlalchemy.orm.base import NO_VALUE, instance_state

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
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, datetime: DateTime(), date: Date()}

    def __init__(self, **kwargs: Any) -> None:
        """SQLAlchemy's declarative constructor, with a plain column's value written as its ``set``
        would write it on a row in no session (its previous value kept as the committed one, the row
        marked modified) but without dispatching the attribute's ``set`` event: a row being built is
        in no session, and the one listener the application has (``sync.batch._count_change``)
        ignores such rows. The applier's batch builds some 20,000 rows a minute; the events were a
        third of that cost. Relationships and anything else go through ``setattr`` as before."""
        cls = type(self)
        plain = _PLAIN_COLUMNS.get(cls)
        if plain is None:
            plain = _PLAIN_COLUMNS[cls] = _plain_columns(cls)
        state = instance_state(self)
        values = self.__dict__
        committed = state.committed_state
        for key, value in kwargs.items():
            if key in plain:
                if key not in committed:
                    committed[key] = values.get(key, NO_VALUE)
                values[key] = value
                state.modified = True
            elif hasattr(cls, key):
                setattr(self, key, value)
            else:
                raise TypeError(f"{key!r} is an invalid keyword argument for {cls.__name__}")


_PLAIN_COLUMNS: dict[type[Any], frozenset[str]] = {}


def _plain_columns(cls: type[Any]) -> frozenset[str]:
    """The attributes of ``cls`` that hold one column's value and nothing else watches."""
    plain = set()
    for attribute in cls.__mapper__.column_attrs:
        impl = getattr(cls, attribute.key).impl
        if type(impl) is _ScalarAttributeImpl and impl.send_modified_events and not impl.dispatch._active_history:
            plain.add(attribute.key)
    return frozenset(plain)


class Branch(Base):
    __tablename__ = "branch"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    is_head_office: Mapped[bool] = mapped_column(Boolean, default=False)
    # Desks hold the members of their branch's region; a branch without one is in the national default region.
    region: Mapped[str | None] = mapped_column(String(32))


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))  # officer | supervisor | admin | auditor | marketing
    branch_id: Mapped[int] = mapped_column(ForeignKey("branch.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    deactivated_at: Mapped[datetime | None]  # signatures made after it are refused at central
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    id_number: Mapped[str | None] = mapped_column(String(32), index=True)  # staff may not refer for rewards
    mobile: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime]

    __table_args__ = (CheckConstraint("role IN ('officer','supervisor','admin','auditor','marketing')", name="role"),)


class StaffCredential(Base):
    """A staff member's secrets, apart from ``staff`` (which every desk needs for its foreign keys):
    the password verifier and the signing key, its private half wrapped under a key derived from
    the password (``docs/security.md``). Only desks where the person may sign in need this row."""

    __tablename__ = "staff_credential"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    key_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    key_version: Mapped[int] = mapped_column(Integer, default=1)
    public_key: Mapped[str | None] = mapped_column(String(64))  # Ed25519, raw 32 bytes, base64
    wrapped_private_key: Mapped[str | None] = mapped_column(String(255))  # base64(nonce || AEAD ciphertext)
    kdf_salt: Mapped[str | None] = mapped_column(String(64))  # base64
    kdf_params: Mapped[str | None] = mapped_column(String(64))  # "argon2id:t=3:m=65536:p=4"
    key_valid_from: Mapped[datetime | None]
    updated_at: Mapped[datetime | None]


class StaffKey(Base):
    """Every public key a staff member has held, so an operation signed before a reset still
    verifies: valid from ``valid_from`` until ``valid_until`` (open for the current key). Rows
    without a staff member are central's own keys (the private half in a file, never here)."""

    __tablename__ = "staff_key"

    key_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    public_key: Mapped[str] = mapped_column(String(64))
    valid_from: Mapped[datetime]
    valid_until: Mapped[datetime | None]

    __table_args__ = (UniqueConstraint("staff_id", "version", name="uq_staff_key_staff_version"),)


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
    # The freeze in force (domain/member_care.py): set by member.freeze, cleared by member.unfreeze.
    freeze_reason: Mapped[str | None] = mapped_column(String(24))
    freeze_note: Mapped[str | None] = mapped_column(String(500))
    frozen_at: Mapped[datetime | None]
    frozen_by: Mapped[str | None] = mapped_column(String(64))  # the staff member's username
    tier: Mapped[str] = mapped_column(String(10), default="standard")
    last_upgrade_on: Mapped[date | None]
    # The monthly review that found the member below their tier and warned instead of downgrading
    # (the downgrade grace); cleared by a review that finds the tier kept and by any tier change.
    tier_warned_on: Mapped[date | None]
    joined_on: Mapped[date]
    card_approved_on: Mapped[date | None] = mapped_column(index=True)  # the card service report reads approvals by date
    card_applied_on: Mapped[date | None]  # the card application's date, carried by the card_approved transaction (the card journey)
    profile_bonus_given: Mapped[bool] = mapped_column(Boolean, default=False)
    referral_code: Mapped[str | None] = mapped_column(String(8), unique=True)
    posted_balance: Mapped[int] = mapped_column(BigInteger, default=0)
    held_points: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime]
    # Outreach (services/outreach/): the language messages reach the member in, and their opt-out of
    # marketing messages, changed by the operation member.outreach_preferences (audited).
    language: Mapped[str] = mapped_column(String(8), default="zh_CN", server_default=text("'zh_CN'"))  # zh_CN | en
    marketing_opt_out: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    preferences_changed_at: Mapped[datetime | None]
    preferences_changed_by: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        CheckConstraint("held_points >= 0", name="held_not_negative"),
        CheckConstraint("status IN ('active','frozen','closed')", name="status"),
        Index("ix_member_branch_id_tier_joined_on", "branch_id", "tier", "joined_on"),  # members by branch and tier (programme results)
    )


class MemberNameKey(Base):
    """Every suffix of a member's name (and its pinyin): a substring search becomes an index range scan."""

    __tablename__ = "member_name_key"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), primary_key=True)

    __table_args__ = ({"sqlite_with_rowid": False},)


class Operation(Base):
    """One business operation, keyed by the id made where it started; applying it twice is applying it once."""

    __tablename__ = "operation"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), index=True)
    payload: Mapped[dict[str, Any]]
    payload_digest: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))  # posted | pending | rejected | reversed
    origin: Mapped[str] = mapped_column(String(64))  # desk name, "import", "job"
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime]
    result: Mapped[dict[str, Any] | None]  # what the operation produced (numbers shown to the officer)
    # server_default: a store from 0.1.0 (revision 0001) gets this column on upgrade; SQLite needs a default for that.
    offline: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))  # made while central could not be reached
    # The signatures of the staff who made (and approved) it, over the time it was made (docs/security.md).
    signatures: Mapped[list[Any] | None] = mapped_column(JSON)
    signed_at: Mapped[datetime | None]


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
    # Administration (domain/campaigns.py). server_default: the campaigns of a store from before
    # campaigns were administered (the demo's) were live already, so they arrive approved.
    # multiplier | bonus | card_approved | first_transaction | spend_target
    kind: Mapped[str] = mapped_column(String(20), default="multiplier", server_default=text("'multiplier'"))
    bonus_points: Mapped[int] = mapped_column(BigInteger, default=0, server_default=text("0"))  # bonus: points per transaction
    branches: Mapped[list[str] | None] = mapped_column(JSON)  # members' home branch codes; None: every branch
    member_cap: Mapped[int | None] = mapped_column(BigInteger)  # campaign points one member may get in total
    stacking: Mapped[str] = mapped_column(String(12), default="best", server_default=text("'best'"))  # best | combine
    within_days: Mapped[int | None] = mapped_column(Integer)  # card_approved, spend_target: N days (domain/campaigns.py)
    target_cny: Mapped[int | None] = mapped_column(BigInteger)  # spend_target: X CNY of card spend
    status: Mapped[str] = mapped_column(String(12), default="draft", server_default=text("'approved'"))  # draft | submitted | approved | stopped
    members_reached: Mapped[int] = mapped_column(BigInteger, default=0, server_default=text("0"))
    operation_id: Mapped[str | None] = mapped_column(String(36), index=True)  # the campaign.create operation
    created_by: Mapped[str | None] = mapped_column(String(64))  # usernames: the row replicates without the staff table's ids
    created_at: Mapped[datetime | None]
    submitted_by: Mapped[str | None] = mapped_column(String(64))
    submitted_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(64))  # who approved, or last rejected
    decided_at: Mapped[datetime | None]
    rejection_note: Mapped[str | None] = mapped_column(String(500))
    stopped_by: Mapped[str | None] = mapped_column(String(64))
    stopped_at: Mapped[datetime | None]
    stop_reason: Mapped[str | None] = mapped_column(String(500))
    segment_code: Mapped[str | None] = mapped_column(String(32))  # only the segment's members earn from it; None: every member


class Segment(Base):
    """A named, saved member filter of head-office marketing (domain/segments.py), kept by the operation
    segment.save; replicated so every desk reads the segment a campaign targets."""

    __tablename__ = "segment"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    criteria: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    operation_id: Mapped[str | None] = mapped_column(String(36))  # the last segment.save
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime]


class OutreachBatch(Base):
    """One batch of marketing messages for a segment and a reason, written as the SMS platform's file
    (services/outreach/). Head office's own: not replicated."""

    __tablename__ = "outreach_batch"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    reason: Mapped[str] = mapped_column(String(24))
    period: Mapped[str] = mapped_column(String(40))  # a member hears at most once per reason and period
    segment_code: Mapped[str] = mapped_column(String(32))
    campaign_code: Mapped[str | None] = mapped_column(String(32))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    messages: Mapped[int] = mapped_column(Integer)
    opted_out: Mapped[int] = mapped_column(Integer)
    no_mobile: Mapped[int] = mapped_column(Integer)
    already_messaged: Mapped[int] = mapped_column(Integer)
    nothing_to_say: Mapped[int] = mapped_column(Integer)  # in the segment, but the reason does not concern them
    file_name: Mapped[str | None] = mapped_column(String(200))
    file_sha256: Mapped[str | None] = mapped_column(String(64))


class OutreachMessage(Base):
    """One member's message of a batch; its delivery status comes back from the SMS platform."""

    __tablename__ = "outreach_message"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("outreach_batch.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    reason: Mapped[str] = mapped_column(String(24))
    period: Mapped[str] = mapped_column(String(40))
    message_id: Mapped[str] = mapped_column(String(40), unique=True)
    mobile: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(8))
    body: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(12), default="written")  # written | delivered | failed | ...
    status_at: Mapped[datetime | None]

    __table_args__ = (UniqueConstraint("member_id", "reason", "period", name="uq_outreach_message_member_reason_period"),)


class CampaignMember(Base):
    """What one campaign has given one member (its per-member cap, the members it reached). Kept where
    earning is posted (central, a standalone desk); the campaign row carries the count to the desks."""

    __tablename__ = "campaign_member"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), primary_key=True)
    points: Mapped[int] = mapped_column(BigInteger)


class RuleSetting(Base):
    """One section of ``RuleSettings`` as JSON, versioned."""

    __tablename__ = "rule_setting"

    section: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[dict[str, Any]]
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(64))


class RuleChange(Base):
    """A change to the programme's rules (four eyes): proposed by an administrator with the settings it
    sets (``changes``, by path, ``domain/rule_changes.py``), an effective date and a reason; in force from
    its effective date once a second administrator approves it (it then has a ``version``); rejected or
    withdrawn otherwise. Approved rows are the versions: none is ever changed again."""

    __tablename__ = "rule_change"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    operation_id: Mapped[str] = mapped_column(ForeignKey("operation.id"), unique=True)  # the rules.propose operation
    maker_staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    effective_on: Mapped[date]
    reason: Mapped[str] = mapped_column(String(500))
    changes: Mapped[dict[str, Any]]
    before: Mapped[dict[str, Any]]  # the values in force on the effective date when it was proposed (approval: when approved)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    # Not unique: a desk numbers its own approval provisionally until central's copy replaces it.
    version: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    decided_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    decision_note: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (
        CheckConstraint("status IN ('pending','approved','rejected','withdrawn')", name="status"),
        CheckConstraint("(status = 'approved') = (version IS NOT NULL)", name="version_when_approved"),
        Index("ix_rule_change_status_effective_on", "status", "effective_on"),
    )


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


class EarningTxn(Base):
    """Every transaction of the earning feeds that was posted, whether or not it earned points:
    the key of import idempotency (a txn id is posted once) and the spend history journey rules read."""

    __tablename__ = "earning_txn"

    txn_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    source: Mapped[str] = mapped_column(String(24))
    occurred_on: Mapped[date]
    amount: Mapped[str] = mapped_column(String(20))  # exact decimal as text
    product: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64))  # of the row's content: a reused id with other data is refused
    origin: Mapped[str] = mapped_column(String(120))
    posted_at: Mapped[datetime]
    points: Mapped[int] = mapped_column(BigInteger, default=0)

    __table_args__ = (Index("ix_earning_txn_member_id_source_occurred_on", "member_id", "source", "occurred_on"),)


# Redemption


class Reward(Base):
    """One reward of the catalogue (edited by administrators, every change audited)."""

    __tablename__ = "reward"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(20))  # physical_gift | voucher | cash_rebate | service_privilege
    points_cost: Mapped[int] = mapped_column(BigInteger)
    cash_value: Mapped[str] = mapped_column(String(16))  # CNY as decimal text, e.g. "100.00": exact, JSON-safe
    min_tier: Mapped[str] = mapped_column(String(10), default="standard")
    active_from: Mapped[date | None]
    active_to: Mapped[date | None]
    yearly_limit_per_member: Mapped[int | None] = mapped_column(Integer)  # None: unlimited
    stock_tracked: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime]

    __table_args__ = (
        CheckConstraint("points_cost > 0", name="points_cost_positive"),
        CheckConstraint("category IN ('physical_gift','voucher','cash_rebate','service_privilege')", name="category"),
    )


class RewardStock(Base):
    """On hand per branch: a projection of ``reward_stock_movement`` kept in the same transaction."""

    __tablename__ = "reward_stock"

    branch_id: Mapped[int] = mapped_column(ForeignKey("branch.id"), primary_key=True)
    reward_id: Mapped[int] = mapped_column(ForeignKey("reward.id"), primary_key=True)
    on_hand: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),)


class RewardStockMovement(Base):
    """Append-only: every change of a branch's stock of a reward."""

    __tablename__ = "reward_stock_movement"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    reward_id: Mapped[int] = mapped_column(ForeignKey("reward.id"))
    branch_id: Mapped[int] = mapped_column(ForeignKey("branch.id"))
    change: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(10))  # received | redeemed | reversed | adjusted
    operation_id: Mapped[str | None] = mapped_column(String(36), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    at: Mapped[datetime]

    __table_args__ = (
        CheckConstraint("reason IN ('received','redeemed','reversed','adjusted')", name="reason"),
        Index("ix_reward_stock_movement_reward_id_branch_id", "reward_id", "branch_id"),
    )


class Redemption(Base):
    """One redemption; the reversal fields are filled once, when a supervisor reverses it."""

    __tablename__ = "redemption"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)  # printed on the receipt
    operation_id: Mapped[str] = mapped_column(ForeignKey("operation.id"), unique=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    reward_id: Mapped[int] = mapped_column(ForeignKey("reward.id"))
    qty: Mapped[int] = mapped_column(Integer)
    points: Mapped[int] = mapped_column(BigInteger)
    entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entry.id"), unique=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branch.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    redeemed_at: Mapped[datetime]
    reversed_at: Mapped[datetime | None]
    reversal_operation_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    reversal_reason: Mapped[str | None] = mapped_column(String(200))
    reversed_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    __table_args__ = (
        CheckConstraint("qty > 0", name="qty_positive"),
        CheckConstraint("points > 0", name="points_positive"),
        Index("ix_redemption_member_id_redeemed_at", "member_id", "redeemed_at"),
    )


# Sync


class Outbox(Base):
    """Desk: one row per local operation still owed to central (written in the operation's transaction)."""

    __tablename__ = "outbox"

    operation_id: Mapped[str] = mapped_column(ForeignKey("operation.id"), primary_key=True)
    queued_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    pushed_at: Mapped[datetime | None]  # central holds it (inbound_operation row committed)
    outcome: Mapped[str | None] = mapped_column(String(10))  # accepted | rejected | None (waiting)
    outcome_code: Mapped[str | None] = mapped_column(String(64))
    outcome_params: Mapped[dict[str, Any] | None]
    outcome_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_outbox_waiting", "queued_at", sqlite_where=text("outcome IS NULL"), postgresql_where=text("outcome IS NULL")),)


class SyncException(Base):
    """Desk: an operation central rejected, reversed locally, waiting for a supervisor's decision."""

    __tablename__ = "sync_exception"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    operation_id: Mapped[str] = mapped_column(String(36), unique=True)
    member_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    reason_code: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    resolution: Mapped[str | None] = mapped_column(String(32))  # points_owed | goods_reversed | written_off
    resolution_operation_id: Mapped[str | None] = mapped_column(String(36))


class SyncState(Base):
    """Desk: small named values (pull cursor, last push / pull times, last error)."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str | None] = mapped_column(String(500))


class InboundOperation(Base):
    """Central: operations pushed by desks, keyed by operation id (insert-if-absent), applied by the applier."""

    __tablename__ = "inbound_operation"

    operation_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    desk: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]]
    payload_digest: Mapped[str] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(64))
    staff_id: Mapped[int | None] = mapped_column(BigInteger)
    offline: Mapped[bool] = mapped_column(Boolean, default=False)
    made_at: Mapped[datetime | None]
    signatures: Mapped[list[Any] | None] = mapped_column(JSON)  # checked before any handler runs (domain/signatures.py)
    received_at: Mapped[datetime] = mapped_column(server_default=text("CURRENT_TIMESTAMP"))
    status: Mapped[str] = mapped_column(String(10), default="received")  # received | posted | rejected
    reason_code: Mapped[str | None] = mapped_column(String(64))
    reason_params: Mapped[dict[str, Any] | None]
    applied_at: Mapped[datetime | None]
    result: Mapped[dict[str, Any] | None]

    __table_args__ = (
        CheckConstraint("status IN ('received','posted','rejected')", name="status"),
        Index("ix_inbound_operation_received", "received_at", sqlite_where=text("status = 'received'"), postgresql_where=text("status = 'received'")),
        Index("ix_inbound_operation_rejected", "applied_at", sqlite_where=text("status = 'rejected'"), postgresql_where=text("status = 'rejected'")),
        # central status and its metrics: each desk's last push, and what was applied in the last minutes
        Index("ix_inbound_operation_desk_received", "desk", "received_at"),
        Index("ix_inbound_operation_applied", "applied_at"),
    )


class CentralDesk(Base):
    """Central: the desks that may sync, one per login role ``central add-desk`` made, with the branch it serves.

    The trust boundary reads it: an operation a desk pushes is judged against this desk's branch,
    never against what the desk says about itself."""

    __tablename__ = "central_desk"

    login: Mapped[str] = mapped_column(String(64), primary_key=True)  # the PostgreSQL role, = inbound_operation.desk
    desk: Mapped[str] = mapped_column(String(64), unique=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branch.id"))
    created_at: Mapped[datetime]
    # where the desk's pull has reached, reported by the desk after each round (``ld_desk_position``)
    pulled_at: Mapped[datetime | None]
    feed_txid: Mapped[int | None] = mapped_column(BigInteger)
    feed_seq: Mapped[int | None] = mapped_column(BigInteger)


class MemberNoBlock(Base):
    """A block of member serials taken from central's sequence for one desk (``ld_reserve_member_numbers``).

    Central: one row per block handed to a desk (``next_serial`` unused). Desk: the blocks it holds;
    ``next_serial`` is the next one it gives out, ``last_serial + 1`` when the block is used up."""

    __tablename__ = "member_no_block"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    desk: Mapped[str] = mapped_column(String(64), index=True)
    first_serial: Mapped[int] = mapped_column(BigInteger, unique=True)
    last_serial: Mapped[int] = mapped_column(BigInteger)
    next_serial: Mapped[int] = mapped_column(BigInteger)
    reserved_at: Mapped[datetime]


class CentralDeskBranch(Base):
    """Central: a desk that holds the members of these branches instead of its branch's region (none: the region)."""

    __tablename__ = "central_desk_branch"

    login: Mapped[str] = mapped_column(ForeignKey("central_desk.login"), primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branch.id"), primary_key=True)


class CentralDeskMember(Base):
    """Central: a member outside the desk's branches that the desk fetched online and now holds (the feed sends it their changes)."""

    __tablename__ = "central_desk_member"

    login: Mapped[str] = mapped_column(ForeignKey("central_desk.login"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), primary_key=True)
    fetched_at: Mapped[datetime]


class ChangeFeed(Base):
    """Central: one row per change of a replicated table, in server order; ``txid`` holds back rows of open transactions."""

    __tablename__ = "change_feed"

    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    txid: Mapped[int] = mapped_column(BigInteger)
    entity: Mapped[str] = mapped_column(String(32))
    entity_key: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]]
    made_at: Mapped[datetime] = mapped_column(server_default=text("CURRENT_TIMESTAMP"))


# Adjustments


class AdjustmentRequest(Base):
    """A manual credit or debit waiting for (or decided by) supervisors; a pending debit holds its
    points in ``member.held_points``. Posted once, by the approval that completes it."""

    __tablename__ = "adjustment_request"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    operation_id: Mapped[str] = mapped_column(ForeignKey("operation.id"), unique=True)  # the adjust.request operation
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branch.id"))  # the maker's branch: whose supervisors approve
    maker_staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    direction: Mapped[str] = mapped_column(String(6))  # credit | debit
    points: Mapped[int] = mapped_column(BigInteger)  # unsigned
    reason_code: Mapped[str] = mapped_column(String(20))
    memo: Mapped[str] = mapped_column(String(500))
    evidence_ref: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    decided_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    decision_note: Mapped[str | None] = mapped_column(String(500))
    posted_entry_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entry.id"), unique=True)

    __table_args__ = (
        CheckConstraint("direction IN ('credit','debit')", name="direction"),
        CheckConstraint("points > 0", name="points_positive"),
        CheckConstraint("status IN ('pending','approved','rejected','cancelled','expired')", name="status"),
        Index("ix_adjustment_request_status_branch_id", "status", "branch_id"),
        Index("ix_adjustment_request_status_expires_at", "status", "expires_at"),
    )


class AdjustmentApproval(Base):
    """One supervisor's decision on a request; a supervisor decides a request at most once."""

    __tablename__ = "adjustment_approval"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("adjustment_request.id"), index=True)
    approver_staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    decision: Mapped[str] = mapped_column(String(8))  # approve | reject
    note: Mapped[str | None] = mapped_column(String(500))
    at: Mapped[datetime]
    operation_id: Mapped[str] = mapped_column(ForeignKey("operation.id"), unique=True)

    __table_args__ = (
        CheckConstraint("decision IN ('approve','reject')", name="decision"),
        UniqueConstraint("request_id", "approver_staff_id", name="uq_adjustment_approval_request_approver"),
    )


# Referrals


class Referral(Base):
    """One registration of a referee (a new client) under a referrer's code, through qualification to
    reward. Rewards are rows of ``referral_reward``; they are posted to the ledger only once available."""

    __tablename__ = "referral"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    operation_id: Mapped[str] = mapped_column(ForeignKey("operation.id"), unique=True)  # the referral.register operation
    code_used: Mapped[str] = mapped_column(String(8))
    referrer_member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    referee_member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), unique=True)
    second_level_member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), index=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branch.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    status: Mapped[str] = mapped_column(String(12), default="registered")
    registered_at: Mapped[datetime]
    registered_on: Mapped[date]  # business date: the 90-day window counts from here
    referee_address_key: Mapped[str | None] = mapped_column(String(200), index=True)  # normalised, for the shared-address flag
    referee_phone_prefix: Mapped[str | None] = mapped_column(String(7))
    qualifying_event: Mapped[str | None] = mapped_column(String(10))  # financing | card
    qualifying_txn_id: Mapped[str | None] = mapped_column(String(64))
    qualifying_on: Mapped[date | None]  # the event's date (may be recorded while flagged)
    card_txns: Mapped[dict[str, Any] | None]  # referee's card spend/refunds seen: {txn_id: [signed amount, date]}
    qualified_at: Mapped[datetime | None]
    rewards_pending_until: Mapped[date | None]
    rewarded_at: Mapped[datetime | None]
    flag_reasons: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    decided_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(String(500))
    closed_reason: Mapped[str | None] = mapped_column(String(40))  # why it expired / was clawed back

    __table_args__ = (
        CheckConstraint(
            "status IN ('registered','qualified','rewarded','rejected','flagged','expired','clawed_back')", name="status"
        ),
        CheckConstraint("qualifying_event IS NULL OR qualifying_event IN ('financing','card')", name="qualifying_event"),
        Index("ix_referral_status_registered_on", "status", "registered_on"),
        Index("ix_referral_referrer_member_id_registered_on", "referrer_member_id", "registered_on"),
    )


class ReferralReward(Base):
    """One reward of a qualified referral for one member (referee, referrer or second level).

    Pending rewards are NOT in the ledger: like a pending adjustment credit, they are not yet the
    member's points. The sweep posts them (entry uid ``referral:<operation id>:<role>``) once the
    pending period is over, or marks them clawed back; nothing is ever taken back from the ledger."""

    __tablename__ = "referral_reward"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), index=True)
    role: Mapped[str] = mapped_column(String(12))  # referee | referrer | second_level
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    points: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(12))  # pending | posted | clawed_back | capped
    available_on: Mapped[date]
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entry.id"), unique=True)
    settled_at: Mapped[datetime | None]

    __table_args__ = (
        UniqueConstraint("referral_id", "role", name="uq_referral_reward_referral_role"),
        CheckConstraint("role IN ('referee','referrer','second_level')", name="role"),
        CheckConstraint("status IN ('pending','posted','clawed_back','capped')", name="status"),
        CheckConstraint("points > 0", name="points_positive"),
        Index("ix_referral_reward_status_available_on", "status", "available_on"),
    )


class TierOverride(Base):
    """A manual tier override (maker-checker): requested by a supervisor with a reason and an end date,
    in force once a second supervisor approves it, ended on its end date by the tier jobs (the member
    goes back to ``previous_tier``)."""

    __tablename__ = "tier_override"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    operation_id: Mapped[str] = mapped_column(ForeignKey("operation.id"), unique=True)  # the tier.override_request operation
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branch.id"))  # the maker's branch: whose supervisors approve
    maker_staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    tier: Mapped[str] = mapped_column(String(10))
    previous_tier: Mapped[str | None] = mapped_column(String(10))  # the member's tier when it came into force
    reason: Mapped[str] = mapped_column(String(500))
    ends_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(10), default="pending")
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    decided_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    decision_note: Mapped[str | None] = mapped_column(String(500))
    ended_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint("status IN ('pending','approved','rejected','ended')", name="status"),
        Index("ix_tier_override_status_ends_on", "status", "ends_on"),
    )


class HintResponse(Base):
    """An officer's response to a "what to offer now" hint on the member view (offered, accepted or
    declined), with the hint's facts at that moment: made by the ``hint.respond`` operation, synced to
    central for analysis. A closing response (accepted, declined) keeps the hint off the view that day."""

    __tablename__ = "hint_response"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    operation_id: Mapped[str] = mapped_column(ForeignKey("operation.id"), unique=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    hint_key: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(20))
    response: Mapped[str] = mapped_column(String(10))
    facts: Mapped[dict[str, Any]]
    responded_on: Mapped[date]  # the desk's business date: "not again today" counts by it
    branch_id: Mapped[int] = mapped_column(ForeignKey("branch.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime]

    __table_args__ = (
        CheckConstraint("response IN ('offered','accepted','declined')", name="response"),
        Index("ix_hint_response_member_id_responded_on", "member_id", "responded_on"),
    )


# Analytics: daily aggregates kept by database triggers in the transaction that writes the rows they
# count (store/analytics.py). Insert-only delta rows, summed by the queries: no row is updated by two
# transactions, so concurrent appliers at central never wait on one another here. Compaction folds a
# closed month's rows into one row per key dated the month's first day.


class AnalyticsEntryDay(Base):
    """Ledger entries per day, the member's home branch and tier, the posting branch, kind and source
    (an earning's rule, a reversal's reversed kind, an adjustment's reason...): points, entries and the
    card spend they carry."""

    __tablename__ = "analytics_entry_day"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    day: Mapped[date]
    branch_id: Mapped[int | None] = mapped_column(BigInteger)  # the member's home branch (None: member not held)
    tier: Mapped[str | None] = mapped_column(String(10))
    desk_branch_id: Mapped[int | None] = mapped_column(BigInteger)  # where the entry was posted (None: imports, jobs)
    kind: Mapped[str] = mapped_column(String(16))
    source: Mapped[str | None] = mapped_column(String(40))
    points: Mapped[int] = mapped_column(BigInteger)
    entries: Mapped[int] = mapped_column(BigInteger)
    # card spend in fen the entries carry (analytics_member_spend's figure, here by home branch and tier)
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default=text("0"))

    __table_args__ = (Index("ix_analytics_entry_day_day", "day"),)


class AnalyticsLotDay(Base):
    """Lot balances' changes per day, home branch, tier and expiry date: what lots earned (on the day
    earned) and what moved in and out of them (on the day of the moving entry)."""

    __tablename__ = "analytics_lot_day"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    day: Mapped[date | None]
    branch_id: Mapped[int | None] = mapped_column(BigInteger)
    tier: Mapped[str | None] = mapped_column(String(10))
    expires_on: Mapped[date | None]
    points: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (Index("ix_analytics_lot_day_day", "day"),)


class AnalyticsActivityDay(Base):
    """Desk work that is not a ledger entry, per day and branch: referrals registered, adjustments requested."""

    __tablename__ = "analytics_activity_day"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    day: Mapped[date]
    branch_id: Mapped[int] = mapped_column(BigInteger)
    activity: Mapped[str] = mapped_column(String(20))  # referral | adjustment_request
    count: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (Index("ix_analytics_activity_day_branch_id_day", "branch_id", "day"),)


class AnalyticsServed(Base):
    """A member served at a branch on a day (a redemption, reversal, adjustment request or referral):
    one row per member, so members served count each member once."""

    __tablename__ = "analytics_served"

    branch_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)

    __table_args__ = ({"sqlite_with_rowid": False},)


class AnalyticsActiveMonth(Base):
    """A member who earned or redeemed in a month (the month's first day): one row per member and
    month, so active members and retention count each member once."""

    __tablename__ = "analytics_active_month"

    month: Mapped[date] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)

    # a member's months: the programme results count each member once over a period in one pass
    __table_args__ = (Index("ix_analytics_active_month_member_id_month", "member_id", "month"), {"sqlite_with_rowid": False})


class AnalyticsActiveGap(Base):
    """Members' active months counted by the member's active month before each (``previous_month``;
    None: the member's first): the members active in a range of months are those whose month in it
    follows none in it, so distinct active members and retention are sums of a few hundred rows."""

    __tablename__ = "analytics_active_gap"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    day: Mapped[date]  # the active month's first day
    previous_month: Mapped[date | None]
    count: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (Index("ix_analytics_active_gap_day", "day"),)


class AnalyticsCampaignMonth(Base):
    """A member a campaign awarded in a month (an earning entry carrying the campaign's code): one row per
    campaign, month and member, so the programme results find a campaign's participants in a period."""

    __tablename__ = "analytics_campaign_month"

    campaign_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    month: Mapped[date] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)

    __table_args__ = ({"sqlite_with_rowid": False},)


class AnalyticsMemberSpend(Base):
    """A member's card spend per month (the month's first day), from the earning entries' amounts: a
    card purchase adds its amount and one purchase, a refund's clawback takes its amount off, a reversal
    undoes the entry it reverses (in the reversal's month). Amounts in fen, so sums stay exact. The
    programme results compare a campaign's participants with the members it could have reached."""

    __tablename__ = "analytics_member_spend"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    day: Mapped[date]  # the month's first day
    member_id: Mapped[int] = mapped_column(BigInteger)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    purchases: Mapped[int] = mapped_column(BigInteger)

    # a campaign's participants' months, read from the index alone (the programme results)
    __table_args__ = (Index("ix_analytics_member_spend_member_id_day_amount_fen", "member_id", "day", "amount_fen"),)


# The unit of work orders a flush's INSERTs only by relationships; these exist for that alone (no
# code reads them: lazy="raise"). A row goes in after the rows central's change feed reads to find
# the members it concerns: its member, and an approval's request, a lot movement's lot, a referral
# reward's referral. Rows an earlier operation of an applier batch added, flushed by a later one's
# query, would otherwise go in the order of a set, and the feed's trigger refuses a row whose member
# it cannot find yet.
FLUSHED_AFTER: tuple[tuple[type[Base], str, type[Base]], ...] = (
    (MemberNameKey, "member_id", Member),
    (Operation, "member_id", Member),
    (LedgerEntry, "member_id", Member),
    (Lot, "member_id", Member),
    (LotMovement, "lot_id", Lot),
    (Redemption, "member_id", Member),
    (AdjustmentRequest, "member_id", Member),
    (AdjustmentApproval, "request_id", AdjustmentRequest),
    (Referral, "referrer_member_id", Member),
    (Referral, "referee_member_id", Member),
    (Referral, "second_level_member_id", Member),
    (ReferralReward, "referral_id", Referral),
    (ReferralReward, "member_id", Member),
    (EarningTxn, "member_id", Member),
    (TierOverride, "member_id", Member),
    (HintResponse, "member_id", Member),
)


def _order_flushes() -> None:
    for child, column, parent in FLUSHED_AFTER:
        child.__mapper__.add_property(
            f"_flushed_after_{column}", relationship(parent, foreign_keys=[child.__table__.c[column]], lazy="raise")
        )


_order_flushes()
