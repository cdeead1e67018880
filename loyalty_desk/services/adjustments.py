"""Manual point adjustments with supervisor approval (maker-checker).

Four desk operations run by the shared ``OperationRunner``, each with its own id made where it
starts (the dialog's confirm step, the command):

* ``adjust.request`` — an officer files a credit or debit; a debit's points are held
  (``member.held_points``) so the available balance no longer counts them.
* ``adjust.approve`` — a supervisor approves; the approval that completes the request
  (one, or two different supervisors from ``dual_approval_threshold``) posts it to the
  ledger IN THE SAME TRANSACTION. The member row is locked first and the request re-read
  under the lock, so two approvals racing post once.
* ``adjust.reject`` — a supervisor rejects with a note; the hold is released, nothing posts.
* ``adjust.cancel`` — the maker withdraws a pending request; the hold is released.

Handlers read everything from the payload and the store and take ``now`` from their argument,
so central's applier can run them unchanged. ``expire_due`` is the idempotent sweep that
expires requests past ``request_lifetime_hours``. Every step appends an audit row with who,
what, before and after.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from loyalty_desk.domain.adjustments import (
    EVIDENCE_MAX_LENGTH,
    MEMO_MAX_LENGTH,
    AdjustmentInput,
    Decision,
    DeciderFacts,
    Direction,
    ReasonCode,
    RequestFacts,
    Status,
    approval_completes,
    approvals_needed,
    check_cancel,
    check_decider,
    check_request,
    clean_note,
    expiry_time,
    from_signed,
    validate_request,
)
from loyalty_desk.domain.errors import DomainError, NotFound, ValidationError
from loyalty_desk.domain.identity import mask_name, validate_member_no
from loyalty_desk.services.audit import Actor, NoProgress, Progress, record
from loyalty_desk.services.context import ServiceContext, refuse_local_import, refuse_local_job
from loyalty_desk.services.dto import ImportReport, RowProblem, StaffSession
from loyalty_desk.services.ledger import Ledger, Posting
from loyalty_desk.services.operations import Applied, OperationRequest, OperationRunner
from loyalty_desk.services.roles import Permission, require
from loyalty_desk.store.models import AdjustmentApproval, AdjustmentRequest, Member, Staff
from loyalty_desk.store.uow import UnitOfWork

REQUEST = "adjust.request"
APPROVE = "adjust.approve"
REJECT = "adjust.reject"
CANCEL = "adjust.cancel"
KINDS = (REQUEST, APPROVE, REJECT, CANCEL)
IMPORT_NAMESPACE = uuid.UUID("6f1c7c2e-4b7e-4f0e-9a53-2d7c1b0e4a11")
IMPORT_COLUMNS = ("member_no", "points", "reason_code", "memo", "evidence_ref")
IMPORT_REQUIRED = ("member_no", "points", "reason_code", "memo")
# The longest text each column of the file may hold (memo and evidence as the store keeps them).
IMPORT_LIMITS = {"member_no": 20, "points": 20, "reason_code": 20, "memo": MEMO_MAX_LENGTH, "evidence_ref": EVIDENCE_MAX_LENGTH}
# Points in a file: ASCII digits, a leading "-" for a debit; no thousands separators, spaces or decimals.
FILE_POINTS = re.compile(r"-?[0-9]{1,9}")
OUTCOME_STATUSES = (Status.APPROVED.value, Status.REJECTED.value, Status.EXPIRED.value)  # cancelled: the maker did it
OUTCOME_DAYS = 30  # how far back an officer's outcome notices reach
QUEUE_SORTS = ("age", "points", "member", "maker", "reason")


# ---------------------------------------------------------------------------- DTOs


@dataclass(frozen=True)
class AdjustmentView:
    """One request as the queue, the member view and the command line show it."""

    request_id: int
    operation_id: str
    member_no: str
    masked_name: str
    branch_code: str
    maker_username: str
    maker_name: str
    direction: str  # credit | debit
    points: int  # unsigned
    reason_code: str
    memo: str
    evidence_ref: str | None
    status: str  # pending | approved | rejected | cancelled | expired
    created_at: datetime
    expires_at: datetime
    age_minutes: int
    approvals: int
    approvals_needed: int
    approvers: tuple[str, ...] = ()
    decided_at: datetime | None = None
    decided_by: str | None = None
    decision_note: str | None = None
    posted_entry_id: int | None = None
    decided_by_name: str | None = None

    @property
    def signed_points(self) -> int:
        return self.points if self.direction == Direction.CREDIT else -self.points


@dataclass(frozen=True)
class AdjustmentOutcome:
    """What an operation did: the request after it, and the balances it left."""

    request_id: int
    status: str
    approvals: int
    approvals_needed: int
    posted: bool
    posted_balance: int
    held_points: int
    available_balance: int
    operation_id: str
    replayed: bool = False


@dataclass(frozen=True)
class QueueFilter:
    statuses: tuple[str, ...] = (Status.PENDING.value,)
    member_no: str | None = None
    reason_code: str | None = None
    direction: str | None = None
    maker: str | None = None  # username
    min_points: int | None = None


@dataclass(frozen=True)
class ExpirySweep:
    expired: int
    points_released: int
    request_ids: tuple[int, ...] = field(default_factory=tuple)


# ---------------------------------------------------------------------------- helpers


def _actor(uow: UnitOfWork, staff: Staff, desk: str) -> Actor:
    return Actor(staff.username, desk, uow.staff.branch_of(staff).code)


def _staff(uow: UnitOfWork, staff_id: int | None) -> Staff:
    staff = uow.staff.get(staff_id) if staff_id is not None else None
    if staff is None:
        raise NotFound("staff", staff_id)
    return staff


def _request_or_fail(uow: UnitOfWork, request_id: Any) -> AdjustmentRequest:
    try:
        key = int(request_id)
    except (TypeError, ValueError):
        raise ValidationError("adjust.request_id", field="request_id", value=request_id) from None
    found = uow.adjustments.get(key)
    if found is None:
        raise NotFound("adjustment request", key)
    return found


def _by_operation(uow: UnitOfWork, request_operation_id: Any) -> AdjustmentRequest:
    found = uow.adjustments.by_operation(str(request_operation_id))
    if found is None:
        raise NotFound("adjustment request", request_operation_id)
    return found


def _lock(uow: UnitOfWork, request_operation_id: Any) -> tuple[AdjustmentRequest, Member]:
    """The member locked, then the request re-read under the lock (a racing decision is seen).
    Requests are named by their ``adjust.request`` operation id in payloads: local row ids differ
    between a desk and central, the operation id is the same everywhere."""
    found = _by_operation(uow, request_operation_id)
    member = uow.members.lock(found.member_id)
    assert member is not None
    adjustment = uow.adjustments.get(found.id, fresh=True)
    assert adjustment is not None
    return adjustment, member


def _facts(uow: UnitOfWork, adjustment: AdjustmentRequest) -> RequestFacts:
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


def _balances(member: Member) -> dict[str, int]:
    posted, held = int(member.posted_balance), int(member.held_points)
    return {"posted_balance": posted, "held_points": held, "available": posted - held}


def _release_hold(member: Member, adjustment: AdjustmentRequest) -> int:
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
        **_balances(member),
    }


def _outcome(result: Mapping[str, Any], replayed: bool) -> AdjustmentOutcome:
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


def _request_state(adjustment: AdjustmentRequest) -> dict[str, Any]:
    return {
        "status": adjustment.status,
        "direction": adjustment.direction,
        "points": int(adjustment.points),
        "reason_code": adjustment.reason_code,
    }


# ---------------------------------------------------------------------------- operation handlers


class RequestHandler:
    """Payload: ``member_no``, ``direction``, ``points`` (unsigned), ``reason_code``, ``memo``, ``evidence_ref``."""

    kind = REQUEST

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        payload = request.payload
        settings = context.rules.adjustments
        staff = _staff(uow, request.staff_id)
        if not staff.active:
            raise DomainError("auth.inactive", username=staff.username)
        require(staff.role, Permission.ADJUST_REQUEST)
        found = uow.members.by_no(validate_member_no(payload["member_no"]))
        if found is None:
            raise NotFound("member", payload["member_no"])
        member = uow.members.lock(found.id)
        assert member is not None
        before = _balances(member)
        cleaned = check_request(
            direction=payload.get("direction"), points=payload.get("points"), reason_code=payload.get("reason_code"),
            memo=payload.get("memo"), evidence_ref=payload.get("evidence_ref"), available=before["available"], settings=settings,
        )
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
            uow, _actor(uow, staff, request.origin), "adjustment.request",
            entity="adjustment_request", entity_id=str(adjustment.id), member_no=member.member_no,
            before={"status": None, **before},
            after={**_request_state(adjustment), **_balances(member)},
            details={"operation_id": request.operation_id, "memo": cleaned.memo, "evidence_ref": cleaned.evidence_ref,
                     "expires_at": adjustment.expires_at, "approvals_needed": needed},
            now=now,
        )
        return Applied(result=_result(adjustment, member, 0, needed, False, request.operation_id), member_id=member.id, status="pending")


class ApproveHandler:
    """Payload: ``request`` (the request's operation id), ``note``. The signed-in supervisor is the operation's staff."""

    kind = APPROVE

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        settings = context.rules
        note = clean_note(request.payload.get("note"), required=False)
        staff = _staff(uow, request.staff_id)
        adjustment, member = _lock(uow, request.payload["request"])
        facts = _facts(uow, adjustment)
        check_decider(facts, decider_facts(uow, staff), now)
        before = {"status": adjustment.status, "approvals": len(facts.approver_ids), **_balances(member)}
        uow.adjustments.add_approval(
            AdjustmentApproval(request_id=adjustment.id, approver_staff_id=staff.id, decision=Decision.APPROVE.value,
                               note=note or None, at=now, operation_id=request.operation_id)
        )
        needed = approvals_needed(int(adjustment.points), settings.adjustments)
        posted = approval_completes(facts, settings.adjustments)
        entry_id = None
        if posted:
            entry_id = self._post(uow, settings, adjustment, member, staff, facts, request.operation_id, now)
            adjustment.status = Status.APPROVED.value
            adjustment.decided_at = now
            adjustment.decided_by_staff_id = staff.id
            adjustment.decision_note = note or None
            adjustment.posted_entry_id = entry_id
        approvals = len(facts.approver_ids) + 1
        record(
            uow, _actor(uow, staff, request.origin), "adjustment.approve",
            entity="adjustment_request", entity_id=str(adjustment.id), member_no=member.member_no,
            before=before,
            after={"status": adjustment.status, "approvals": approvals, **_balances(member), "entry_id": entry_id},
            details={"operation_id": request.operation_id, "note": note, "approvals_needed": needed, "posted": posted,
                     "direction": adjustment.direction, "points": int(adjustment.points), "reason_code": adjustment.reason_code},
            now=now,
        )
        return Applied(result=_result(adjustment, member, approvals, needed, posted, request.operation_id), member_id=member.id,
                       status="posted" if posted else "pending")

    @staticmethod
    def _post(uow: UnitOfWork, settings: Any, adjustment: AdjustmentRequest, member: Member, staff: Staff,
              facts: RequestFacts, operation_id: str, now: datetime) -> int:
        _release_hold(member, adjustment)
        points = int(adjustment.points)
        approvers = [s.username for s in uow.adjustments.staff_by_ids([*facts.approver_ids]).values()] + [staff.username]
        maker = uow.staff.get(adjustment.maker_staff_id)
        posting = Posting(
            entry_uid=f"adjust:{adjustment.operation_id}",  # one posting per request, the same uid on every desk and central
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
            return ledger.credit(member, posting, points, qualifying=False).id  # adjusted points never count for tiers
        available = int(member.posted_balance) - int(member.held_points)
        if points > available:
            raise ValidationError("adjust.beyond_available", field="points", available=max(available, 0), value=points)
        return ledger.debit(member, posting, points).id


class RejectHandler:
    """Payload: ``request`` (the request's operation id), ``note`` (required)."""

    kind = REJECT

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        note = clean_note(request.payload.get("note"), required=True)
        staff = _staff(uow, request.staff_id)
        adjustment, member = _lock(uow, request.payload["request"])
        facts = _facts(uow, adjustment)
        check_decider(facts, decider_facts(uow, staff), now)
        before = {"status": adjustment.status, "approvals": len(facts.approver_ids), **_balances(member)}
        uow.adjustments.add_approval(
            AdjustmentApproval(request_id=adjustment.id, approver_staff_id=staff.id, decision=Decision.REJECT.value,
                               note=note, at=now, operation_id=request.operation_id)
        )
        released = _release_hold(member, adjustment)
        adjustment.status = Status.REJECTED.value
        adjustment.decided_at = now
        adjustment.decided_by_staff_id = staff.id
        adjustment.decision_note = note
        needed = approvals_needed(int(adjustment.points), context.rules.adjustments)
        record(
            uow, _actor(uow, staff, request.origin), "adjustment.reject",
            entity="adjustment_request", entity_id=str(adjustment.id), member_no=member.member_no,
            before=before, after={"status": adjustment.status, "approvals": len(facts.approver_ids), **_balances(member)},
            details={"operation_id": request.operation_id, "note": note, "points_released": released},
            now=now,
        )
        return Applied(result=_result(adjustment, member, len(facts.approver_ids), needed, False, request.operation_id),
                       member_id=member.id, status="rejected")


class CancelHandler:
    """Payload: ``request`` (the request's operation id). Only the maker, only while pending."""

    kind = CANCEL

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        staff = _staff(uow, request.staff_id)
        require(staff.role, Permission.ADJUST_CANCEL)
        adjustment, member = _lock(uow, request.payload["request"])
        facts = _facts(uow, adjustment)
        check_cancel(facts, staff.id, now)
        before = {"status": adjustment.status, **_balances(member)}
        released = _release_hold(member, adjustment)
        adjustment.status = Status.CANCELLED.value
        adjustment.decided_at = now
        adjustment.decided_by_staff_id = staff.id
        needed = approvals_needed(int(adjustment.points), context.rules.adjustments)
        record(
            uow, _actor(uow, staff, request.origin), "adjustment.cancel",
            entity="adjustment_request", entity_id=str(adjustment.id), member_no=member.member_no,
            before=before, after={"status": adjustment.status, **_balances(member)},
            details={"operation_id": request.operation_id, "points_released": released},
            now=now,
        )
        return Applied(result=_result(adjustment, member, len(facts.approver_ids), needed, False, request.operation_id),
                       member_id=member.id, status="cancelled")


def handlers() -> list[Any]:
    """The adjustment handlers, for the desk runner and central's applier."""
    return [RequestHandler(), ApproveHandler(), RejectHandler(), CancelHandler()]


# ---------------------------------------------------------------------------- the service


class AdjustmentService:
    def __init__(self, context: ServiceContext, runner: OperationRunner, auth: Any = None) -> None:
        self._context = context
        self._runner = runner
        self._auth = auth  # AuthService: the at-desk approval's credential check
        for handler in handlers():
            runner.register(handler)

    @staticmethod
    def new_operation_id() -> str:
        """Made where the operation starts (the confirm step); the same id again is a safe retry."""
        return str(uuid.uuid4())

    # ------------------------------------------------------------------ checking as the officer types

    def form_problems(
        self, *, direction: str, points: Any, reason_code: str, memo: str, evidence_ref: str | None, available: int | None
    ) -> list[ValidationError]:
        """Every problem of the form (no store access: cheap enough for each keystroke)."""
        return validate_request(
            direction=direction, points=points, reason_code=reason_code, memo=memo, evidence_ref=evidence_ref,
            available=available, settings=self._context.rules.adjustments,
        )

    def limits(self) -> dict[str, int]:
        settings = self._context.rules.adjustments
        return {
            "memo_min_length": settings.memo_min_length,
            "goodwill_max_points": settings.goodwill_max_points,
            "dual_approval_threshold": settings.dual_approval_threshold,
            "request_lifetime_hours": settings.request_lifetime_hours,
        }

    # ------------------------------------------------------------------ operations

    def request(
        self, *, operation_id: str, session: StaffSession, member_no: str, direction: str, points: Any, reason_code: str,
        memo: str, evidence_ref: str | None = None,
    ) -> AdjustmentOutcome:
        require(session.role, Permission.ADJUST_REQUEST)
        member_no = validate_member_no(member_no)
        cleaned = check_request(
            direction=direction, points=points, reason_code=reason_code, memo=memo, evidence_ref=evidence_ref,
            available=None, settings=self._context.rules.adjustments,
        )
        return self._execute(operation_id, REQUEST, {"member_no": member_no, **cleaned.as_payload()}, session.staff_id)

    def approve(
        self, *, operation_id: str, request_id: int, note: str = "", session: StaffSession | None = None,
        approver_username: str | None = None, approver_password: str | None = None,
    ) -> AdjustmentOutcome:
        """Approves as ``session`` (the queue) or as the supervisor who signs in with
        ``approver_username``/``approver_password`` at the maker's desk. Either way the handler
        checks supervisor, branch, not the maker, active — the dialog only collects credentials."""
        approver, key = self._approver(session, approver_username, approver_password)
        clean_note(note, required=False)
        with self._lent(key):
            return self._execute(operation_id, APPROVE, {"request": self._request_operation(request_id), "note": note or ""}, approver.staff_id)

    def reject(
        self, *, operation_id: str, request_id: int, note: str, session: StaffSession | None = None,
        approver_username: str | None = None, approver_password: str | None = None,
    ) -> AdjustmentOutcome:
        clean_note(note, required=True)
        approver, key = self._approver(session, approver_username, approver_password)
        with self._lent(key):
            return self._execute(operation_id, REJECT, {"request": self._request_operation(request_id), "note": note}, approver.staff_id)

    def cancel(self, *, operation_id: str, session: StaffSession, request_id: int) -> AdjustmentOutcome:
        require(session.role, Permission.ADJUST_CANCEL)
        return self._execute(operation_id, CANCEL, {"request": self._request_operation(request_id)}, session.staff_id)

    def _request_operation(self, request_id: Any) -> str:
        """The request's operation id: what the payloads name it by (the same on every desk and central)."""
        with self._context.uow() as uow:
            return _request_or_fail(uow, request_id).operation_id

    def _approver(self, session: StaffSession | None, username: str | None, password: str | None) -> tuple[StaffSession, Any]:
        """The approving supervisor, and their signing key when they signed in here for this one
        decision (it signs this operation and is then forgotten)."""
        if session is not None:
            require(session.role, Permission.ADJUST_APPROVE)
            return session, None
        if self._auth is None:
            raise RuntimeError("AdjustmentService needs the auth service to approve with credentials")
        if not (username or "").strip():
            raise ValidationError("identity.required", field="username")
        return self._auth.sign_in_to_approve(username=username, password=password or "")  # audited; counts failures, locks

    def _lent(self, key: Any) -> Any:
        return self._context.keyring.lend(key) if key is not None else nullcontext()

    def _execute(self, operation_id: str, kind: str, payload: dict[str, Any], staff_id: int) -> AdjustmentOutcome:
        try:
            uuid.UUID(str(operation_id))
        except ValueError:
            raise ValidationError("redeem.operation_id", field="operation_id", value=operation_id) from None
        outcome = self._runner.execute(
            OperationRequest(operation_id=operation_id, kind=kind, payload=payload, origin=self._context.desk_name, staff_id=staff_id)
        )
        return _outcome(outcome.result, outcome.replayed)

    # ------------------------------------------------------------------ the expiry sweep (a job)

    def expire_due(self, *, now: datetime | None = None, actor: Actor | None = None) -> ExpirySweep:
        """Expires every pending request past its time and releases its hold; a rerun finds
        nothing left to do. One transaction per member, each with its audit rows."""
        refuse_local_job(self._context, "approvals expire")
        now = now or self._context.clock()
        actor = actor or self._context.system_actor("adjustments.expiry")
        with self._context.uow() as uow:
            due = uow.adjustments.due_for_expiry(now)
        expired: list[int] = []
        released = 0
        for request_id, member_id in due:
            with self._context.uow(write=True) as uow:
                member = uow.members.lock(member_id)
                adjustment = uow.adjustments.get(request_id, fresh=True)
                if member is None or adjustment is None or adjustment.status != Status.PENDING or adjustment.expires_at > now:
                    continue
                before = {"status": adjustment.status, **_balances(member)}
                points = _release_hold(member, adjustment)
                adjustment.status = Status.EXPIRED.value
                adjustment.decided_at = now
                record(
                    uow, actor, "adjustment.expire", entity="adjustment_request", entity_id=str(adjustment.id),
                    member_no=member.member_no, before=before, after={"status": adjustment.status, **_balances(member)},
                    details={"expires_at": adjustment.expires_at, "points_released": points}, now=now,
                )
                uow.commit()
                expired.append(request_id)
                released += points
        return ExpirySweep(len(expired), released, tuple(expired))

    # ------------------------------------------------------------------ reading

    def get(self, *, request_id: int) -> AdjustmentView:
        now = self._context.clock()
        with self._context.uow() as uow:
            adjustment = _request_or_fail(uow, request_id)
            return self._views(uow, [adjustment], now)[0]

    def for_member(self, *, member_no: str, statuses: Sequence[str] = (Status.PENDING.value,)) -> tuple[AdjustmentView, ...]:
        """A member's requests (pending by default), oldest first: shown on the member view."""
        member_no = validate_member_no(member_no)
        now = self._context.clock()
        with self._context.uow() as uow:
            member = uow.members.by_no(member_no)
            if member is None:
                raise NotFound("member", member_no)
            rows = uow.adjustments.search(statuses=statuses, member_id=member.id)
            return tuple(self._views(uow, rows, now))

    def queue(
        self, *, session: StaffSession, filters: QueueFilter | None = None, sort: str = "age", descending: bool = True, limit: int = 500,
    ) -> tuple[AdjustmentView, ...]:
        """Requests the session's supervisors decide: its branch's, or every branch's for head
        office (and for auditors, who read everything). Oldest first by default (``age`` descending)."""
        require(session.role, Permission.ADJUST_QUEUE)
        wanted = filters or QueueFilter()
        if sort not in QUEUE_SORTS:
            raise ValidationError("adjust.sort", field="sort", value=sort, allowed=", ".join(QUEUE_SORTS))
        now = self._context.clock()
        with self._context.uow() as uow:
            branch_id = self._scope(uow, session)
            member_id = None
            if wanted.member_no:
                member = uow.members.by_no(validate_member_no(wanted.member_no))
                if member is None:
                    return ()
                member_id = member.id
            maker_id = None
            if wanted.maker:
                maker = uow.staff.by_username(wanted.maker.strip())
                if maker is None:
                    return ()
                maker_id = maker.id
            rows = uow.adjustments.search(
                statuses=wanted.statuses, branch_id=branch_id, member_id=member_id, maker_staff_id=maker_id,
                reason_code=wanted.reason_code, limit=limit,
            )
            if wanted.direction:
                rows = [r for r in rows if r.direction == wanted.direction]
            if wanted.min_points is not None:
                rows = [r for r in rows if r.points >= wanted.min_points]
            views = self._views(uow, rows, now)
        keys = {
            "age": lambda v: (v.age_minutes, v.request_id),
            "points": lambda v: (v.points, v.request_id),
            "member": lambda v: (v.member_no, v.request_id),
            "maker": lambda v: (v.maker_username, v.request_id),
            "reason": lambda v: (v.reason_code, v.request_id),
        }
        return tuple(sorted(views, key=keys[sort], reverse=descending))

    def my_outcomes(self, *, session: StaffSession, days: int = OUTCOME_DAYS, limit: int = 200) -> tuple[AdjustmentView, ...]:
        """The session's own requests decided (approved, rejected, expired) in the last ``days``
        days, the latest decision first, whether decided here or arriving through central's feed."""
        now = self._context.clock()
        with self._context.uow() as uow:
            rows = uow.adjustments.decided_for_maker(
                session.staff_id, statuses=OUTCOME_STATUSES, since=now - timedelta(days=days), limit=limit
            )
            return tuple(self._views(uow, rows, now))

    def pending_count(self, *, session: StaffSession) -> int:
        """For the navigation badge: pending requests the session could decide (0 for other roles)."""
        from loyalty_desk.services.roles import allowed

        if not allowed(session.role, Permission.ADJUST_APPROVE):
            return 0
        with self._context.uow() as uow:
            return uow.adjustments.count_pending(branch_id=self._scope(uow, session))

    @staticmethod
    def _scope(uow: UnitOfWork, session: StaffSession) -> int | None:
        if session.role == "auditor":
            return None
        branch = uow.reference.branch_by_code(session.branch_code)
        if branch is None:
            raise NotFound("branch", session.branch_code)
        return None if branch.is_head_office else branch.id

    def _views(self, uow: UnitOfWork, rows: Sequence[AdjustmentRequest], now: datetime) -> list[AdjustmentView]:
        settings = self._context.rules.adjustments
        members = uow.adjustments.members_by_ids([r.member_id for r in rows])
        approvals = uow.adjustments.approvals_for([r.id for r in rows])
        staff_ids = {r.maker_staff_id for r in rows} | {r.decided_by_staff_id for r in rows if r.decided_by_staff_id}
        staff_ids |= {a.approver_staff_id for items in approvals.values() for a in items}
        staff = uow.adjustments.staff_by_ids(list(staff_ids))
        branches = {b.id: b.code for b in uow.reference.branches()}
        views = []
        for r in rows:
            member = members[r.member_id]
            maker = staff.get(r.maker_staff_id)
            approved = [a for a in approvals.get(r.id, []) if a.decision == Decision.APPROVE]
            decider = staff.get(r.decided_by_staff_id) if r.decided_by_staff_id else None
            views.append(
                AdjustmentView(
                    request_id=r.id,
                    operation_id=r.operation_id,
                    member_no=member.member_no,
                    masked_name=mask_name(member.name),
                    branch_code=branches.get(r.branch_id, "?"),
                    maker_username=maker.username if maker else "?",
                    maker_name=maker.display_name if maker else "?",
                    direction=r.direction,
                    points=int(r.points),
                    reason_code=r.reason_code,
                    memo=r.memo,
                    evidence_ref=r.evidence_ref,
                    status=r.status,
                    created_at=r.created_at,
                    expires_at=r.expires_at,
                    age_minutes=max(0, int((now - r.created_at).total_seconds() // 60)),
                    approvals=len(approved),
                    approvals_needed=approvals_needed(int(r.points), settings),
                    approvers=tuple(staff[a.approver_staff_id].username for a in approved if a.approver_staff_id in staff),
                    decided_at=r.decided_at,
                    decided_by=decider.username if decider else None,
                    decided_by_name=decider.display_name if decider else None,
                    decision_note=r.decision_note,
                    posted_entry_id=r.posted_entry_id,
                )
            )
        return views

    # ------------------------------------------------------------------ bulk requests from head office

    def check_import_allowed(self) -> None:
        """Refused on a desk joined to central (``import.joined_desk``): head office imports with ``--central``."""
        refuse_local_import(self._context, "adjustments")

    def import_requests(
        self, *, path: Path, session: StaffSession, skip_invalid: bool = False, progress: Progress | None = None
    ) -> ImportReport:
        """Files one request per row of a CSV/XLSX (``member_no, points, reason_code, memo,
        evidence_ref``; negative points are debits). Every row is checked first; bad rows stop the
        import (or are skipped) and go to an Excel error report. Each row's operation id derives from
        the file's content and row, so importing the same file again files nothing twice."""
        from loyalty_desk.documents.transactions import error_report_path, open_table, write_error_report
        from loyalty_desk.services.imports import ReadRows, _problem, file_digest, file_problems

        self.check_import_allowed()
        require(session.role, Permission.ADJUST_IMPORT)
        progress = progress or NoProgress()
        path = Path(path)
        progress.set_status("import.reading")
        digest = file_digest(path)
        problems: list[RowProblem] = []
        valid: list[tuple[int, str, AdjustmentInput]] = []
        settings = self._context.rules.adjustments
        with open_table(path, IMPORT_LIMITS) as sheet, self._context.uow() as uow:
            header = file_problems(sheet, IMPORT_REQUIRED)
            if header:
                report = write_error_report(error_report_path(path), header)
                return ImportReport(path.name, 0, 0, 0, 0, 0, tuple(header), False, str(report))
            progress.set_status("import.checking")
            available: dict[str, int] = {}
            read = ReadRows(sheet, problems)
            for item in read:
                values = item.values
                row_errors: list[DomainError] = []
                member_no = str(values.get("member_no") or "").strip().upper()
                try:
                    member_no = validate_member_no(member_no)
                except DomainError as error:
                    row_errors.append(error)
                    member_no = ""
                if member_no and member_no not in available:
                    member = uow.members.by_no(member_no)
                    if member is None:
                        row_errors.append(ValidationError("import.unknown_member", field="member_no", value=member_no))
                    else:
                        available[member_no] = int(member.posted_balance) - int(member.held_points)
                raw_points = values.get("points")
                points_format = isinstance(raw_points, str) and bool(raw_points.strip()) and FILE_POINTS.fullmatch(raw_points.strip()) is None
                direction, points = from_signed(None if points_format else raw_points)
                kwargs = {"direction": direction or "credit", "points": points, "reason_code": values.get("reason_code"),
                          "memo": values.get("memo"), "evidence_ref": values.get("evidence_ref")}
                errors = validate_request(**kwargs, available=available.get(member_no), settings=settings)
                if points_format:
                    errors = [e for e in errors if e.field != "points"] + [ValidationError("import.points_format", field="points", value=str(raw_points))]
                elif not direction:
                    errors = [e for e in errors if e.field != "points"] + [ValidationError("adjust.signed_points", field="points", value=str(values.get("points") or ""))]
                row_errors.extend(errors)
                for error in row_errors:
                    field_name = error.field if isinstance(error, ValidationError) else ""
                    column = field_name if field_name in values else "points"  # the file has no direction column: its sign is in points
                    problems.append(_problem(item.row, error, values.get(column)))
                if not row_errors:
                    cleaned = check_request(**kwargs, available=available.get(member_no), settings=settings)
                    if cleaned.direction == Direction.DEBIT:
                        available[member_no] -= cleaned.points  # later rows see this row's hold
                    valid.append((item.row, member_no, cleaned))
                if read.rows_read % 500 == 0:
                    progress.set_progress(*sheet.position())
        rows_read = read.rows_read
        problems.sort(key=lambda p: p.row)
        if read.fatal or (problems and not skip_invalid):
            report = write_error_report(error_report_path(path), problems)
            return ImportReport(path.name, rows_read, len(valid), 0, 0, 0, tuple(problems), False, str(report))
        report_path = str(write_error_report(error_report_path(path), problems)) if problems else None

        progress.set_status("import.posting")
        filed = already = points_total = 0
        for done, (row, member_no, cleaned) in enumerate(valid, start=1):
            if progress.is_cancelled():
                break
            operation_id = str(uuid.uuid5(IMPORT_NAMESPACE, f"{digest}:{row}"))
            outcome = self._execute(operation_id, REQUEST, {"member_no": member_no, **cleaned.as_payload()}, session.staff_id)
            if outcome.replayed:
                already += 1
            else:
                filed += 1
                points_total += cleaned.points
            progress.set_progress(done, len(valid))
        with self._context.uow(write=True) as uow:
            record(uow, Actor(session.username, self._context.desk_name, session.branch_code), "import.adjustments",
                   entity="file", entity_id=digest[:16],
                   details={"file": path.name, "sha256": digest, "rows_read": rows_read, "rows_valid": len(valid),
                            "requests_filed": filed, "rows_already_imported": already, "points_requested": points_total,
                            "rows_skipped_invalid": len({p.row for p in problems})},
                   now=self._context.clock())
            uow.commit()
        return ImportReport(path.name, rows_read, len(valid), filed, already, points_total, tuple(problems), True, report_path)


def reason_codes() -> tuple[str, ...]:
    return tuple(r.value for r in ReasonCode)
