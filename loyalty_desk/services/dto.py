"""What services hand to screens and the command line: frozen, plain data, never ORM objects.

PII in these objects is masked unless the type's name says otherwise (``RevealedIdentity``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from loyalty_desk.domain.identity import is_provisional_member_no


class HandleKind(StrEnum):
    """What a lookup text was understood as."""

    MEMBER_NO = "member_no"
    CARD_NO = "card_no"
    MOBILE = "mobile"
    MOBILE_LAST4 = "mobile_last4"
    RESIDENT_ID = "resident_id"
    USCC = "uscc"
    PASSPORT = "passport"
    NAME = "name"  # part of a Chinese name, or the start of its pinyin / a Latin name
    NUMBER_PREFIX = "number_prefix"  # digits typed so far: start of a member, card or mobile number
    EMPTY = "empty"


class ProvisionalNumber:
    """For a DTO naming a member: sets its ``member_no_provisional`` field from its ``member_no`` (a
    desk's offline number stays provisional until central's copy)."""

    member_no: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "member_no_provisional", is_provisional_member_no(self.member_no))




@dataclass(frozen=True)
class ExpiringMonth:
    """Points that expire at the end of a month (a statement's, the liability report's expiry by month)."""

    month: date  # the first day of the month
    points: int

@dataclass(frozen=True)
class BranchName:
    """A branch as a report or a choice of branches names it."""

    code: str
    name_zh: str
    name_en: str

@dataclass(frozen=True)
class StaffSession:
    """Who is signed in at this desk."""

    staff_id: int
    username: str
    display_name: str
    role: str  # officer | supervisor | admin | auditor
    branch_code: str
    branch_name_zh: str
    branch_name_en: str
    must_change_password: bool = False


@dataclass(frozen=True)
class MemberSummary(ProvisionalNumber):
    """One lookup result row (masked)."""

    member_no: str
    masked_name: str
    masked_id: str
    masked_mobile: str
    tier: str
    balance: int
    branch_code: str
    status: str
    member_no_provisional: bool = field(init=False, default=False)  # a desk's offline number, until central's copy


@dataclass(frozen=True)
class LookupResult:
    query: str
    handle: HandleKind
    total: int  # all matches, even beyond ``rows``
    rows: tuple[MemberSummary, ...]
    limit: int
    total_is_lower_bound: bool = False  # counting stopped at ``total``: "more than N"
    # an exact handle this desk does not hold, asked of head office: "" (not asked), "fetched" (now
    # held here), "absent" (head office has no such member), "offline" (not held here, head office
    # unreachable), "limit" (head office refused more fetches today)
    remote: str = ""

    @property
    def truncated(self) -> bool:
        return self.total > len(self.rows)


@dataclass(frozen=True)
class RowProblem:
    """One bad value in an imported file (row numbers as a spreadsheet shows them)."""

    row: int
    column: str
    value: str
    code: str
    params: dict[str, str]
    message: str


@dataclass(frozen=True)
class ImportReport:
    file: str
    rows_read: int
    rows_valid: int
    rows_posted: int  # new postings (rows already imported before are not posted again)
    rows_already_imported: int
    points_posted: int
    problems: tuple[RowProblem, ...]
    posted: bool  # False when bad rows stopped the import
    error_report: str | None = None  # path of the written error workbook, if any
    more_problems: int = 0  # problems beyond those in ``problems``: the error workbook lists every one


@dataclass(frozen=True)
class ExpiryReport:
    as_of: date
    members_expired: int
    points_expired: int
    already_run_members: int


@dataclass(frozen=True)
class AuditVerifyResult:
    ok: bool
    rows_checked: int
    first_bad_row: int | None = None
    problem: str | None = None  # stable code: hash_mismatch | chain_broken | sequence_gap | digest_mismatch


# Sync


@dataclass(frozen=True)
class SyncStatus:
    """The status bar and the sync screen: never the password."""

    state: str  # standalone | online | offline
    waiting: int  # operations not yet confirmed by central
    exceptions: int  # rejected operations waiting for a supervisor
    last_push: datetime | None
    last_pull: datetime | None
    central_url: str | None  # without the password
    desk: str | None
    last_error: str | None = None


@dataclass(frozen=True)
class SyncConfirmation:
    """What the counter says after an operation: ``confirmed`` (by head office), ``waiting`` (saved here,
    not yet sent or not yet decided), ``rejected`` (reversed here, in the exceptions queue) or ``standalone``."""

    operation_id: str
    state: str
    reason_code: str | None = None
    params: dict[str, Any] | None = None


@dataclass(frozen=True)
class SyncExceptionView:
    id: int
    operation_id: str
    member_no: str | None
    reason_code: str
    params: dict[str, Any]
    created_at: datetime
    resolved_at: datetime | None
    resolution: str | None
    kind: str | None = None  # the rejected operation's kind (redeem, adjust, ...)
    points: int | None = None  # what the operation was for, when it says
    resolved_by: str | None = None
    points_given_back: int = 0  # what the rejection gave back to the member here (what "points owed" takes again)
    resolution_operation_id: str | None = None  # the decision's own operation (kind sync.resolve)

    @property
    def refused_resolution(self) -> dict[str, Any] | None:
        """Head office refused an earlier decision on this exception (it is open again): what and why."""
        refused = (self.params or {}).get("refused_resolution")
        return refused if isinstance(refused, dict) else None


@dataclass(frozen=True)
class WaitingOperationView:
    """An operation made at this desk that head office has not confirmed yet."""

    operation_id: str
    kind: str
    member_no: str | None
    points: int | None
    made_at: datetime
    offline: bool
    sent: bool  # central holds it; its verdict has not come back yet
    attempts: int
    last_error: str | None
