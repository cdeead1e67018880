"""The adjustment use cases: filing and deciding requests, approvals at the desk, the queue, outcomes and expiry."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from loyalty_desk.domain.adjustments import (
    Decision,
    Status,
    approvals_needed,
    check_request,
    clean_note,
    validate_request,
)
from loyalty_desk.domain.errors import ValidationError, or_not_found
from loyalty_desk.domain.identity import mask_name, validate_member_no
from loyalty_desk.services.adjustments.dto import AdjustmentOutcome, AdjustmentView, ExpirySweep, QueueFilter
from loyalty_desk.services.adjustments.file_import import import_request_file
from loyalty_desk.services.adjustments.handlers import APPROVE, CANCEL, REJECT, REQUEST, balances_of, release_hold
from loyalty_desk.services.adjustments.records import outcome_of, request_or_fail
from loyalty_desk.services.audit import Actor, Progress, record
from loyalty_desk.services.context import ServiceContext, refuse_local_import, refuse_local_job
from loyalty_desk.services.dto import ImportReport, StaffSession
from loyalty_desk.services.members.records import member_or_fail
from loyalty_desk.services.operations import OperationRunner, OperationService
from loyalty_desk.services.roles import Permission, require
from loyalty_desk.store.models import AdjustmentRequest
from loyalty_desk.store.uow import UnitOfWork

OUTCOME_STATUSES = (Status.APPROVED.value, Status.REJECTED.value, Status.EXPIRED.value)  # cancelled: the maker did it


OUTCOME_DAYS = 30  # how far back an officer's outcome notices reach


QUEUE_SORTS = ("age", "points", "member", "maker", "reason")


class AdjustmentService(OperationService):
    def __init__(self, context: ServiceContext, runner: OperationRunner, auth: Any = None) -> None:
        super().__init__(context, runner)
        self._auth = auth  # AuthService: the at-desk approval's credential check

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
            return request_or_fail(uow, request_id).operation_id

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
        approver: tuple[StaffSession, Any] = self._auth.sign_in_to_approve(username=username, password=password or "")  # audited; counts failures, locks
        return approver

    def _lent(self, key: Any) -> Any:
        return self._context.keyring.lend(key) if key is not None else nullcontext()

    def _execute(self, operation_id: str, kind: str, payload: dict[str, Any], staff_id: int) -> AdjustmentOutcome:
        outcome = self._run(operation_id, kind, payload, staff_id)
        return outcome_of(outcome.result, outcome.replayed)

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
                before = {"status": adjustment.status, **balances_of(member)}
                points = release_hold(member, adjustment)
                adjustment.status = Status.EXPIRED.value
                adjustment.decided_at = now
                record(
                    uow, actor, "adjustment.expire", entity="adjustment_request", entity_id=str(adjustment.id),
                    member_no=member.member_no, before=before, after={"status": adjustment.status, **balances_of(member)},
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
            adjustment = request_or_fail(uow, request_id)
            return self._views(uow, [adjustment], now)[0]

    def for_member(self, *, member_no: str, statuses: Sequence[str] = (Status.PENDING.value,)) -> tuple[AdjustmentView, ...]:
        """A member's requests (pending by default), oldest first: shown on the member view."""
        member_no = validate_member_no(member_no)
        now = self._context.clock()
        with self._context.uow() as uow:
            member = member_or_fail(uow, member_no)
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
        branch = or_not_found(uow.reference.branch_by_code(session.branch_code), "branch", session.branch_code)
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
        """Files one request per row of a CSV/XLSX (see ``file_import.import_request_file``)."""
        self.check_import_allowed()
        return import_request_file(self._context, self._execute, path=path, session=session, skip_invalid=skip_invalid, progress=progress)
