"""Lookups and facts the adjustment handlers and service share."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from loyalty_desk.domain.adjustments import (
    DeciderFacts,
    Decision,
    ReasonCode,
    RequestFacts,
)
from loyalty_desk.domain.errors import DomainError, ValidationError, or_not_found
from loyalty_desk.services.adjustments.dto import AdjustmentOutcome
from loyalty_desk.services.audit import Actor
from loyalty_desk.services.roles import Permission, require
from loyalty_desk.store.models import AdjustmentRequest, Member, Staff
from loyalty_desk.store.uow import UnitOfWork


def actor_of(uow: UnitOfWork, staff: Staff, desk: str) -> Actor:
    return Actor(staff.username, desk, uow.staff.branch_of(staff).code)


def staff_or_fail(uow: UnitOfWork, staff_id: int | None) -> Staff:
    return or_not_found(uow.staff.get(staff_id) if staff_id is not None else None, "staff", staff_id)


def active_staff(uow: UnitOfWork, staff_id: int | None) -> Staff:
    """The operation's maker: known and active."""
    staff = staff_or_fail(uow, staff_id)
    if not staff.active:
        raise DomainError("auth.inactive", username=staff.username)
    return staff


def acting_staff(uow: UnitOfWork, staff_id: int | None, permission: Permission) -> Staff:
    """The operation's maker: known, active, and allowed ``permission``."""
    staff = active_staff(uow, staff_id)
    require(staff.role, permission)
    return staff


def request_or_fail(uow: UnitOfWork, request_id: Any) -> AdjustmentRequest:
    try:
        key = int(request_id)
    except (TypeError, ValueError):
        raise ValidationError("adjust.request_id", field="request_id", value=request_id) from None
    return or_not_found(uow.adjustments.get(key), "adjustment request", key)


def _by_operation(uow: UnitOfWork, request_operation_id: Any) -> AdjustmentRequest:
    return or_not_found(uow.adjustments.by_operation(str(request_operation_id)), "adjustment request", request_operation_id)


def lock_request(uow: UnitOfWork, request_operation_id: Any) -> tuple[AdjustmentRequest, Member]:
    """The member locked, then the request re-read under the lock (a racing decision is seen).
    Requests are named by their ``adjust.request`` operation id in payloads: local row ids differ
    between a desk and central, the operation id is the same everywhere."""
    found = _by_operation(uow, request_operation_id)
    member = uow.members.lock(found.member_id)
    assert member is not None
    adjustment = uow.adjustments.get(found.id, fresh=True)
    assert adjustment is not None
    return adjustment, member


def request_facts(uow: UnitOfWork, adjustment: AdjustmentRequest) -> RequestFacts:
    approvals = uow.adjustments.approvals(adjustment.id)
    return RequestFacts(
        status=adjustment.status,
        maker_staff_id=adjustment.maker_staff_id,
        branch_id=adjustment.branch_id,
        points=int(adjustment.points),
        expires_at=adjustment.expires_at,
        approver_ids=tuple(a.approver_staff_id for a in approvals if a.decision == Decision.APPROVE),
    )


def decider_facts(uow: UnitOfWork, staff: Staff) -> DeciderFacts:
    branch = uow.staff.branch_of(staff)
    return DeciderFacts(
        staff_id=staff.id, role=staff.role, active=bool(staff.active), branch_id=staff.branch_id,
        head_office=bool(branch.is_head_office), username=staff.username,
    )


def outcome_of(result: Mapping[str, Any], replayed: bool) -> AdjustmentOutcome:
    return AdjustmentOutcome(
        request_id=int(result["request_id"]),
        status=str(result["status"]),
        approvals=int(result["approvals"]),
        approvals_needed=int(result["approvals_needed"]),
        posted=bool(result["posted"]),
        posted_balance=int(result["posted_balance"]),
        held_points=int(result["held_points"]),
        available_balance=int(result["available"]),
        operation_id=str(result["operation_id"]),
        replayed=replayed,
    )


def reason_codes() -> tuple[str, ...]:
    return tuple(r.value for r in ReasonCode)
