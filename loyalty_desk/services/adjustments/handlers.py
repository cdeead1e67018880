"""The adjustment desk operations (maker-checker): request, approve, reject and cancel."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from loyalty_desk.domain.adjustments import (
    Decision,
    Direction,
    RequestFacts,
    Status,
    approval_completes,
    approvals_needed,
    check_cancel,
    check_decider,
    check_request,
    clean_note,
    expiry_time,
    posting_uid,
)
from loyalty_desk.domain.errors import DomainError, ValidationError, or_not_found
from loyalty_desk.domain.identity import validate_member_no
from loyalty_desk.domain.member_care import CREDIT, refuse_if_frozen
from loyalty_desk.services.adjustments.records import acting_staff, actor_of, decider_facts, lock_request, request_facts, staff_or_fail
from loyalty_desk.services.audit import record
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.ledger import Ledger, Posting
from loyalty_desk.services.operations import Applied, OperationHandler, OperationRequest, business_date, write_decision
from loyalty_desk.services.roles import Permission, require
from loyalty_desk.store.models import AdjustmentApproval, AdjustmentRequest, LedgerEntry, Member, Operation, Staff
from loyalty_desk.store.uow import UnitOfWork

REQUEST = "adjust.request"


APPROVE = "adjust.approve"


REJECT = "adjust.reject"


CANCEL = "adjust.cancel"


KINDS = (REQUEST, APPROVE, REJECT, CANCEL)


def balances_of(member: Member) -> dict[str, int]:
    posted, held = int(member.posted_balance), int(member.held_points)
    return {"posted_balance": posted, "held_points": held, "available": posted - held}


def release_hold(member: Member, adjustment: AdjustmentRequest) -> int:
    if adjustment.direction == Direction.DEBIT:
        member.held_points = int(member.held_points) - int(adjustment.points)
        return int(adjustment.points)
    return 0


def _result(adjustment: AdjustmentRequest, member: Member, approvals: int, needed: int, posted: bool, operation_id: str) -> dict[str, Any]:
    return {
        "request_id": adjustment.id,
        "status": adjustment.status,
        "approvals": approvals,
        "approvals_needed": needed,
        "posted": posted,
        "member_no": member.member_no,
        "operation_id": operation_id,
        "posted_entry_id": adjustment.posted_entry_id,
        **balances_of(member),
    }


def _request_state(adjustment: AdjustmentRequest) -> dict[str, Any]:
    return {
        "status": adjustment.status,
        "direction": adjustment.direction,
        "points": int(adjustment.points),
        "reason_code": adjustment.reason_code,
    }


class RequestHandler:
    """Payload: ``member_no``, ``direction``, ``points`` (unsigned), ``reason_code``, ``memo``, ``evidence_ref``."""

    kind = REQUEST

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        payload = request.payload
        settings = context.rules_on(business_date(request, now)).adjustments
        staff = acting_staff(uow, request.staff_id, Permission.ADJUST_REQUEST)
        found = or_not_found(uow.members.by_no(validate_member_no(payload["member_no"])), "member", payload["member_no"])
        member = uow.members.lock(found.id)
        assert member is not None
        before = balances_of(member)
        cleaned = check_request(
            direction=payload.get("direction"), points=payload.get("points"), reason_code=payload.get("reason_code"),
            memo=payload.get("memo"), evidence_ref=payload.get("evidence_ref"), available=before["available"], settings=settings,
        )
        if cleaned.direction == Direction.CREDIT:
            refuse_if_frozen(member_no=member.member_no, status=member.status, reason=member.freeze_reason, action=CREDIT)
        adjustment = uow.adjustments.add(
            AdjustmentRequest(
                operation_id=request.operation_id,
                member_id=member.id,
                branch_id=staff.branch_id,
                maker_staff_id=staff.id,
                direction=cleaned.direction.value,
                points=cleaned.points,
                reason_code=cleaned.reason_code.value,
                memo=cleaned.memo,
                evidence_ref=cleaned.evidence_ref,
                status=Status.PENDING.value,
                created_at=now,
                expires_at=expiry_time(now, settings),
            )
        )
        if cleaned.direction == Direction.DEBIT:
            member.held_points = int(member.held_points) + cleaned.points  # held until decided
        needed = approvals_needed(cleaned.points, settings)
        record(
            uow, actor_of(uow, staff, request.origin), "adjustment.request",
            entity="adjustment_request", entity_id=str(adjustment.id), member_no=member.member_no,
            before={"status": None, **before},
            after={**_request_state(adjustment), **balances_of(member)},
            details={"operation_id": request.operation_id, "memo": cleaned.memo, "evidence_ref": cleaned.evidence_ref,
                     "expires_at": adjustment.expires_at, "approvals_needed": needed},
            now=now,
        )
        return Applied(result=_result(adjustment, member, 0, needed, False, request.operation_id), member_id=member.id, status="pending")


def _request_named(payload: dict[str, Any]) -> tuple[str, ...]:
    """A decision's prerequisite: the request it decides, by its operation id."""
    request = payload.get("request")
    return (request,) if isinstance(request, str) and request else ()


class _OnFiledRequest:
    """An operation on a filed request (a decision, a cancellation): central applies it after the request."""

    @staticmethod
    def waits_for(payload: dict[str, Any]) -> tuple[str, ...]:
        return _request_named(payload)


def _decide(uow: UnitOfWork, request: OperationRequest, decision: Decision, note: str,
            now: datetime) -> tuple[Staff, AdjustmentRequest, Member, RequestFacts, dict[str, Any]]:
    """Checks that the signed-in supervisor may decide the request, then records their decision. Hands back
    the supervisor, the request, its member, the request's facts and its state before the decision (for the audit row)."""
    staff = staff_or_fail(uow, request.staff_id)
    adjustment, member = lock_request(uow, request.payload["request"])
    if uow.ledger.entry_by_uid(posting_uid(adjustment.operation_id)) is not None:
        # approved here by an approval central has not confirmed yet, whose request central's copy
        # (still pending there) has taken the place of; the approval's posting is here and on its way
        raise DomainError("adjust.already_decided", status=Status.APPROVED.value)
    facts = request_facts(uow, adjustment)
    check_decider(facts, decider_facts(uow, staff), now)
    before = {"status": adjustment.status, "approvals": len(facts.approver_ids), **balances_of(member)}
    uow.adjustments.add_approval(
        AdjustmentApproval(request_id=adjustment.id, approver_staff_id=staff.id, decision=decision.value,
                           note=note or None, at=now, operation_id=request.operation_id)
    )
    return staff, adjustment, member, facts, before


class ApproveHandler(_OnFiledRequest):
    """Payload: ``request`` (the request's operation id), ``note``. The signed-in supervisor is the operation's staff."""

    kind = APPROVE

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        settings = context.rules_on(business_date(request, now))
        note = clean_note(request.payload.get("note"), required=False)
        staff, adjustment, member, facts, before = _decide(uow, request, Decision.APPROVE, note, now)
        needed = approvals_needed(int(adjustment.points), settings.adjustments)
        posted = approval_completes(facts, settings.adjustments)
        entry_id = None
        if posted:
            entry_id = self._post(uow, settings, adjustment, member, staff, facts, request.operation_id, now)
            write_decision(adjustment, Status.APPROVED.value, staff.id, note, now)
            adjustment.posted_entry_id = entry_id
        approvals = len(facts.approver_ids) + 1
        record(
            uow, actor_of(uow, staff, request.origin), "adjustment.approve",
            entity="adjustment_request", entity_id=str(adjustment.id), member_no=member.member_no,
            before=before,
            after={"status": adjustment.status, "approvals": approvals, **balances_of(member), "entry_id": entry_id},
            details={"operation_id": request.operation_id, "note": note, "approvals_needed": needed, "posted": posted,
                     "direction": adjustment.direction, "points": int(adjustment.points), "reason_code": adjustment.reason_code},
            now=now,
        )
        return Applied(result=_result(adjustment, member, approvals, needed, posted, request.operation_id), member_id=member.id,
                       status="posted" if posted else "pending")

    @staticmethod
    def _post(uow: UnitOfWork, settings: Any, adjustment: AdjustmentRequest, member: Member, staff: Staff,
              facts: RequestFacts, operation_id: str, now: datetime) -> int:
        release_hold(member, adjustment)
        points = int(adjustment.points)
        approvers = [s.username for s in uow.adjustments.staff_by_ids([*facts.approver_ids]).values()] + [staff.username]
        maker = uow.staff.get(adjustment.maker_staff_id)
        posting = Posting(
            entry_uid=posting_uid(adjustment.operation_id),
            kind="adjust",
            rule=adjustment.reason_code.lower(),
            occurred_on=now.date(),
            operation_id=operation_id,
            branch_id=adjustment.branch_id,
            staff_id=adjustment.maker_staff_id,
            reference=adjustment.evidence_ref or f"ADJ-{adjustment.operation_id[:8].upper()}",
            details={"reason_code": adjustment.reason_code, "request_operation_id": adjustment.operation_id, "memo": adjustment.memo,
                     "evidence_ref": adjustment.evidence_ref, "maker": maker.username if maker else None, "approved_by": approvers},
        )
        ledger = Ledger(uow, settings, now)
        if adjustment.direction == Direction.CREDIT:
            refuse_if_frozen(member_no=member.member_no, status=member.status, reason=member.freeze_reason, action=CREDIT)
            return ledger.credit(member, posting, points, qualifying=False).id  # adjusted points never count for tiers
        available = int(member.posted_balance) - int(member.held_points)
        if points > available:
            raise ValidationError("adjust.beyond_available", field="points", available=max(available, 0), value=points)
        return ledger.debit(member, posting, points).id


class RejectHandler(_OnFiledRequest):
    """Payload: ``request`` (the request's operation id), ``note`` (required)."""

    kind = REJECT

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        note = clean_note(request.payload.get("note"), required=True)
        staff, adjustment, member, facts, before = _decide(uow, request, Decision.REJECT, note, now)
        released = release_hold(member, adjustment)
        write_decision(adjustment, Status.REJECTED.value, staff.id, note, now)  # the note is required: never None
        needed = approvals_needed(int(adjustment.points), context.rules_on(business_date(request, now)).adjustments)
        record(
            uow, actor_of(uow, staff, request.origin), "adjustment.reject",
            entity="adjustment_request", entity_id=str(adjustment.id), member_no=member.member_no,
            before=before, after={"status": adjustment.status, "approvals": len(facts.approver_ids), **balances_of(member)},
            details={"operation_id": request.operation_id, "note": note, "points_released": released},
            now=now,
        )
        # the decision is applied ("posted"): the request it decides is what is rejected, not this operation
        return Applied(result=_result(adjustment, member, len(facts.approver_ids), needed, False, request.operation_id), member_id=member.id)


class CancelHandler(_OnFiledRequest):
    """Payload: ``request`` (the request's operation id). Only the maker, only while pending."""

    kind = CANCEL

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        staff = staff_or_fail(uow, request.staff_id)
        require(staff.role, Permission.ADJUST_CANCEL)
        adjustment, member = lock_request(uow, request.payload["request"])
        facts = request_facts(uow, adjustment)
        check_cancel(facts, staff.id, now)
        before = {"status": adjustment.status, **balances_of(member)}
        released = release_hold(member, adjustment)
        adjustment.status = Status.CANCELLED.value
        adjustment.decided_at = now
        adjustment.decided_by_staff_id = staff.id
        needed = approvals_needed(int(adjustment.points), context.rules_on(business_date(request, now)).adjustments)
        record(
            uow, actor_of(uow, staff, request.origin), "adjustment.cancel",
            entity="adjustment_request", entity_id=str(adjustment.id), member_no=member.member_no,
            before=before, after={"status": adjustment.status, **balances_of(member)},
            details={"operation_id": request.operation_id, "points_released": released},
            now=now,
        )
        return Applied(result=_result(adjustment, member, len(facts.approver_ids), needed, False, request.operation_id),
                       member_id=member.id, status="cancelled")


def undo_refused(uow: UnitOfWork, operation: Operation) -> bool:
    """Desk, inside a rejection's transaction: what an adjustment operation central refused did to the
    request besides the ledger is put back. A refused request goes with its decisions (releasing its
    hold); a refused decision's approval row goes and the request it decided is pending again (its hold
    taken again), unless something else decided it since (``_decided_by_another``). False for another kind or nothing put back."""
    if operation.kind not in KINDS:
        return False
    if operation.kind == REQUEST:
        adjustment = uow.adjustments.by_operation(operation.id)
        if adjustment is None:
            return False
        member = uow.members.lock(adjustment.member_id)
        if member is not None and adjustment.status == Status.PENDING.value:
            release_hold(member, adjustment)
        uow.adjustments.remove(adjustment)
        return True
    approval = uow.adjustments.approval_by_operation(operation.id)
    if approval is not None:
        uow.adjustments.remove_approval(approval)
    named = _request_named(dict(operation.payload or {}))
    adjustment = uow.adjustments.by_operation(named[0]) if named else None
    decided = (operation.result or {}).get("status")
    if adjustment is None or decided == Status.PENDING.value or adjustment.status != decided:
        return approval is not None
    if _decided_by_another(uow, adjustment, operation.id):
        return approval is not None
    member = uow.members.lock(adjustment.member_id)
    assert member is not None
    if adjustment.direction == Direction.DEBIT:
        member.held_points = int(member.held_points) + int(adjustment.points)
    adjustment.status = Status.PENDING.value
    adjustment.decided_at = adjustment.decided_by_staff_id = adjustment.decision_note = adjustment.posted_entry_id = None
    return True


def _decided_by_another(uow: UnitOfWork, adjustment: AdjustmentRequest, operation_id: str) -> bool:
    """True when the request as it stands here was decided by another operation than ``operation_id``:
    central's copy, pulled before this refusal, of another desk's decision made at the same time (its
    posting carries that operation's id; a rejection leaves that operation's decision row)."""
    if adjustment.posted_entry_id is not None:
        entry = uow.ledger.session.get(LedgerEntry, adjustment.posted_entry_id)
        return entry is not None and entry.operation_id != operation_id
    if adjustment.status == Status.REJECTED.value:
        return any(a.decision == Decision.REJECT.value and a.operation_id != operation_id for a in uow.adjustments.approvals(adjustment.id))
    return False


def handlers() -> list[OperationHandler]:
    """The adjustment handlers, for the desk runner and central's applier."""
    return [RequestHandler(), ApproveHandler(), RejectHandler(), CancelHandler()]
