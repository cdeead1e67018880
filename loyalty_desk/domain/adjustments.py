"""Manual point adjustments (maker-checker): the request rules, who may decide, the life cycle.

Pure functions over plain values (rules.md, "Manual adjustments"):

* ``validate_request`` lists EVERY problem of a request form as ``ValidationError`` with the
  field it concerns, so a screen can check as the officer types; ``check_request`` raises the
  first one and hands back the cleaned request.
* ``check_decider`` says whether a staff member may approve or reject a request (an active
  supervisor of the request's branch or of head office, never the maker, never twice).
* ``approvals_needed`` / ``approval_completes`` decide when an approval posts.
* ``check_cancel`` and ``is_expired`` cover the rest of the life cycle:
  pending -> approved | rejected | cancelled | expired.

Error codes are stable (``adjust.*``); sentences live in ``loyalty_desk.messages`` and the UI.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from loyalty_desk.domain.errors import DomainError, ValidationError
from loyalty_desk.domain.rules import AdjustmentSettings

MEMO_MAX_LENGTH = 500
EVIDENCE_MAX_LENGTH = 64
NOTE_MAX_LENGTH = 500
POINTS_MAX = 10_000_000  # a sanity bound: no single adjustment moves more


class Direction(StrEnum):
    CREDIT = "credit"
    DEBIT = "debit"


class ReasonCode(StrEnum):
    MISSING_POINTS = "MISSING_POINTS"
    SERVICE_RECOVERY = "SERVICE_RECOVERY"
    CORRECTION = "CORRECTION"
    GOODWILL = "GOODWILL"
    FRAUD_REVERSAL = "FRAUD_REVERSAL"


class Status(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


POSTING_UID_PREFIX = "adjust:"


def posting_uid(request_operation_id: str) -> str:
    """The ledger entry key of a request's posting: one per request, the same on every desk and at central.
    Where it is written, the request is decided (approved), whatever the request row says meanwhile."""
    return f"{POSTING_UID_PREFIX}{request_operation_id}"


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


# What evidence each reason code needs (None: no evidence needed).
EVIDENCE_KIND: dict[ReasonCode, str | None] = {
    ReasonCode.MISSING_POINTS: "transaction_ref",
    ReasonCode.SERVICE_RECOVERY: "complaint_ticket",
    ReasonCode.CORRECTION: "ledger_entry",
    ReasonCode.GOODWILL: None,
    ReasonCode.FRAUD_REVERSAL: None,
}
DEBIT_ONLY = frozenset({ReasonCode.FRAUD_REVERSAL})
SUPERVISOR = "supervisor"


@dataclass(frozen=True)
class AdjustmentInput:
    """A request as cleaned by ``check_request``."""

    direction: Direction
    points: int
    reason_code: ReasonCode
    memo: str
    evidence_ref: str | None

    @property
    def signed_points(self) -> int:
        return self.points if self.direction == Direction.CREDIT else -self.points

    def as_payload(self) -> dict[str, Any]:
        return {
            "direction": self.direction.value,
            "points": self.points,
            "reason_code": self.reason_code.value,
            "memo": self.memo,
            "evidence_ref": self.evidence_ref,
        }


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def parse_points(value: Any) -> int | None:
    """A whole number of points from a form or a file cell ("1,000", 1000.0); None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = _text(value).replace(",", "").replace(" ", "")
    if text.startswith("+"):
        text = text[1:]
    sign = -1 if text.startswith("-") else 1
    digits = text[1:] if sign < 0 else text
    if not digits.isdigit() or not digits.isascii():
        return None
    return sign * int(digits)


def validate_request(
    *,
    direction: Any,
    points: Any,
    reason_code: Any,
    memo: Any,
    evidence_ref: Any,
    available: int | None,
    settings: AdjustmentSettings,
) -> list[ValidationError]:
    """Every problem of the request, each naming its field; an empty list means it may be filed.

    ``available`` is the member's available balance (posted minus held); None skips the
    balance check (e.g. the member is not known yet). ``points`` is the unsigned amount.
    """
    problems: list[ValidationError] = []
    try:
        direction_value: Direction | None = Direction(_text(direction).lower())
    except ValueError:
        direction_value = None
        problems.append(ValidationError("adjust.direction", field="direction", value=_text(direction), allowed="credit, debit"))
    try:
        reason: ReasonCode | None = ReasonCode(_text(reason_code).upper())
    except ValueError:
        reason = None
        problems.append(
            ValidationError("adjust.reason_code", field="reason_code", value=_text(reason_code), allowed=", ".join(r.value for r in ReasonCode))
        )

    amount = parse_points(points)
    if amount is None or amount <= 0:
        problems.append(ValidationError("adjust.points", field="points", value=_text(points)))
        amount = None
    elif amount > POINTS_MAX:
        problems.append(ValidationError("adjust.points_max", field="points", value=amount, maximum=POINTS_MAX))
        amount = None

    memo_text = _text(memo)
    if len(memo_text) < settings.memo_min_length:
        problems.append(ValidationError("adjust.memo_too_short", field="memo", minimum=settings.memo_min_length, actual=len(memo_text)))
    elif len(memo_text) > MEMO_MAX_LENGTH:
        problems.append(ValidationError("adjust.memo_too_long", field="memo", maximum=MEMO_MAX_LENGTH, actual=len(memo_text)))

    evidence = _text(evidence_ref)
    if reason is not None:
        needed = EVIDENCE_KIND[reason]
        if needed and not evidence:
            problems.append(ValidationError("adjust.evidence_required", field="evidence_ref", reason_code=reason.value, evidence=needed))
    if len(evidence) > EVIDENCE_MAX_LENGTH:
        problems.append(ValidationError("adjust.evidence_too_long", field="evidence_ref", maximum=EVIDENCE_MAX_LENGTH, actual=len(evidence)))

    if reason in DEBIT_ONLY and direction_value == Direction.CREDIT:
        problems.append(ValidationError("adjust.debit_only", field="direction", reason_code=reason.value))
    if amount is not None:
        if reason == ReasonCode.GOODWILL and amount > settings.goodwill_max_points:
            problems.append(ValidationError("adjust.goodwill_max", field="points", maximum=settings.goodwill_max_points, value=amount))
        if direction_value == Direction.DEBIT and available is not None and amount > available:
            problems.append(ValidationError("adjust.beyond_available", field="points", available=max(available, 0), value=amount))
    return problems


def check_request(
    *,
    direction: Any,
    points: Any,
    reason_code: Any,
    memo: Any,
    evidence_ref: Any,
    available: int | None,
    settings: AdjustmentSettings,
) -> AdjustmentInput:
    """The cleaned request, or the first problem ``validate_request`` finds, raised."""
    problems = validate_request(
        direction=direction, points=points, reason_code=reason_code, memo=memo, evidence_ref=evidence_ref, available=available, settings=settings
    )
    if problems:
        raise problems[0]
    evidence = _text(evidence_ref)
    return AdjustmentInput(
        direction=Direction(_text(direction).lower()),
        points=int(parse_points(points) or 0),
        reason_code=ReasonCode(_text(reason_code).upper()),
        memo=_text(memo),
        evidence_ref=evidence or None,
    )


def from_signed(points: Any) -> tuple[str, Any]:
    """``(direction, unsigned points)`` from a signed amount (files: negative is a debit)."""
    amount = parse_points(points)
    if amount is None or amount == 0:
        return "", points
    return (Direction.DEBIT.value, -amount) if amount < 0 else (Direction.CREDIT.value, amount)


# ---------------------------------------------------------------------- life cycle


def expiry_time(created_at: datetime, settings: AdjustmentSettings) -> datetime:
    return created_at + timedelta(hours=settings.request_lifetime_hours)


def is_expired(expires_at: datetime, now: datetime) -> bool:
    return now >= expires_at


def approvals_needed(points: int, settings: AdjustmentSettings) -> int:
    """Two different supervisors from ``dual_approval_threshold`` points up, one below."""
    return 2 if points >= settings.dual_approval_threshold else 1


@dataclass(frozen=True)
class RequestFacts:
    """What the decision rules need to know about a request."""

    status: str
    maker_staff_id: int
    branch_id: int
    points: int
    expires_at: datetime
    approver_ids: tuple[int, ...] = ()  # who has approved so far


@dataclass(frozen=True)
class DeciderFacts:
    """What the decision rules need to know about the supervisor deciding."""

    staff_id: int
    role: str
    active: bool
    branch_id: int
    head_office: bool  # the decider's branch is head office
    username: str = ""


@dataclass(frozen=True)
class SupervisorRefusals:
    """The error codes a decision raises when its supervisor may not decide, in the order checked."""

    same_person: str
    inactive: str
    not_supervisor: str
    other_branch: str


ADJUSTMENT_DECIDER = SupervisorRefusals("adjust.own_request", "adjust.inactive_approver", "adjust.not_supervisor", "adjust.other_branch")


def check_supervisor(decider: DeciderFacts, *, other_staff_id: int, branch_allowed: bool, refusals: SupervisorRefusals) -> None:
    """Raises unless ``decider`` is not the staff member ``other_staff_id`` (the maker, the resolver),
    is active, is a supervisor and is of a branch the decision allows."""
    if decider.staff_id == other_staff_id:
        raise DomainError(refusals.same_person, username=decider.username)
    if not decider.active:
        raise DomainError(refusals.inactive, username=decider.username)
    if decider.role != SUPERVISOR:
        raise DomainError(refusals.not_supervisor, username=decider.username, role=decider.role)
    if not branch_allowed:
        raise DomainError(refusals.other_branch, username=decider.username)


def check_pending(request: RequestFacts, now: datetime) -> None:
    if request.status != Status.PENDING:
        raise DomainError("adjust.already_decided", status=request.status)
    if is_expired(request.expires_at, now):
        raise DomainError("adjust.expired", expires_at=request.expires_at)


def check_decider(request: RequestFacts, decider: DeciderFacts, now: datetime) -> None:
    """Raises when ``decider`` may not approve or reject ``request`` now (checked in this order:
    the request is still pending and not expired, the decider is not the maker, is active, is a
    supervisor, is of the request's branch or head office, and has not approved it already)."""
    check_pending(request, now)
    branch_allowed = decider.branch_id == request.branch_id or decider.head_office
    check_supervisor(decider, other_staff_id=request.maker_staff_id, branch_allowed=branch_allowed, refusals=ADJUSTMENT_DECIDER)
    if decider.staff_id in request.approver_ids:
        raise DomainError("adjust.second_approver_same", username=decider.username)


def approval_completes(request: RequestFacts, settings: AdjustmentSettings) -> bool:
    """True when one more (different) approval reaches the number the request needs."""
    return len(set(request.approver_ids)) + 1 >= approvals_needed(request.points, settings)


def check_cancel(request: RequestFacts, staff_id: int, now: datetime) -> None:
    """Only the maker cancels, and only while the request is pending."""
    check_pending(request, now)
    if staff_id != request.maker_staff_id:
        raise DomainError("adjust.cancel_not_maker")


def clean_note(note: Any, *, required: bool) -> str:
    text = _text(note)
    if required and not text:
        raise ValidationError("adjust.note_required", field="note")
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError("adjust.note_too_long", field="note", maximum=NOTE_MAX_LENGTH, actual=len(text))
    return text


def due_for_expiry(requests: Iterable[tuple[int, str, datetime]], now: datetime) -> list[int]:
    """Ids of ``(id, status, expires_at)`` that are pending and past their time."""
    return [request_id for request_id, status, expires_at in requests if status == Status.PENDING and is_expired(expires_at, now)]
