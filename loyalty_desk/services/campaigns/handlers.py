"""The campaign operations: create and edit a draft, submit, approve or reject (a second person with the
campaign permission, never the one who drafted or submitted it), stop early with a reason. Campaigns are
named by their code in payloads: the same on every desk and at central. Each decision is audited."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from loyalty_desk.domain.campaigns import CampaignDraft, StoredStatus, check_decider, check_draft, check_note, check_status
from loyalty_desk.domain.errors import DomainError, ValidationError, or_not_found
from loyalty_desk.services.adjustments.records import acting_staff, actor_of
from loyalty_desk.services.audit import record
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.operations import Applied, OperationHandler, OperationRequest, put_back
from loyalty_desk.services.roles import Permission
from loyalty_desk.store.models import Campaign, Operation, Staff
from loyalty_desk.store.uow import UnitOfWork

CREATE, EDIT, SUBMIT, APPROVE, REJECT, STOP = (f"campaign.{a}" for a in ("create", "edit", "submit", "approve", "reject", "stop"))
KINDS = (CREATE, EDIT, SUBMIT, APPROVE, REJECT, STOP)
CODE_PATTERN = r"[A-Z0-9][A-Z0-9_-]{2,31}"


def state(row: Campaign) -> dict[str, Any]:
    """The fields the audit trail records before and after."""
    return {
        "code": row.code, "status": row.status, "name_zh": row.name_zh, "name_en": row.name_en, "kind": row.kind, "multiplier": row.multiplier,
        "bonus_points": row.bonus_points, "sources": list(row.sources or ()), "tiers": list(row.tiers or ()),
        "branches": list(row.branches or ()), "starts_on": row.starts_on.isoformat(), "ends_on": row.ends_on.isoformat(),
        "budget_points": row.budget_points, "member_cap": row.member_cap, "stacking": row.stacking, "within_days": row.within_days,
        "target_cny": row.target_cny,
        "segment": row.segment_code,
    }


def _head_office_marketer(uow: UnitOfWork, staff_id: int | None) -> Staff:
    staff = acting_staff(uow, staff_id, Permission.CAMPAIGN_MANAGE)
    if not uow.staff.branch_of(staff).is_head_office:
        raise DomainError("campaign.head_office_only", username=staff.username)
    return staff


def _locked(uow: UnitOfWork, code: Any) -> Campaign:
    return or_not_found(uow.reference.lock_campaign(str(code or "")), "campaign", code)


def _fields(uow: UnitOfWork, payload: dict[str, Any], now: datetime) -> CampaignDraft:
    return check_draft(payload, today=now.date(), known_branches=uow.reference.branch_codes(), known_segments=uow.segments.codes())


def _apply_fields(row: Campaign, draft: CampaignDraft) -> None:
    fields = draft.as_payload()
    for name in ("name_zh", "name_en", "kind", "multiplier", "bonus_points", "sources", "tiers", "budget_points", "member_cap", "stacking",
                 "within_days", "target_cny"):
        setattr(row, name, fields[name])
    row.branches = fields["branches"] or None
    row.segment_code = draft.segment
    row.starts_on, row.ends_on = draft.starts_on, draft.ends_on


# The fields an operation may change, as JSON: a desk puts them back when central refuses the operation.
_KEPT = ("status", "name_zh", "name_en", "kind", "multiplier", "bonus_points", "sources", "tiers", "branches", "starts_on", "ends_on",
         "budget_points", "member_cap", "stacking", "segment_code", "submitted_by", "submitted_at", "decided_by", "decided_at", "rejection_note",
         "stopped_by", "stopped_at", "stop_reason", "within_days", "target_cny")
_DATES = ("starts_on", "ends_on")
_TIMES = ("submitted_at", "decided_at", "stopped_at")


def _taken_up(uow: UnitOfWork, request: OperationRequest) -> tuple[Staff, Campaign, dict[str, Any]]:
    """The marketer acting, the campaign the payload names (locked) and its fields before the change (the undo)."""
    staff = _head_office_marketer(uow, request.staff_id)
    row = _locked(uow, request.payload.get("code"))
    return staff, row, _fields_of(row)


def _check_window_open(row: Campaign, today: date) -> None:
    if row.ends_on < today:
        raise DomainError("campaign.window_passed", campaign=row.code, ends_on=row.ends_on.isoformat())


def _record(uow: UnitOfWork, staff: Staff, request: OperationRequest, action: str, row: Campaign, now: datetime, *,
            before: dict[str, Any] | None, after: dict[str, Any], **details: Any) -> None:
    record(uow, actor_of(uow, staff, request.origin), action, entity="campaign", entity_id=row.code, before=before, after=after,
           details={"operation_id": request.operation_id, **details}, now=now)


def _fields_of(row: Campaign) -> dict[str, Any]:
    values = {name: getattr(row, name) for name in _KEPT}
    for name in (*_DATES, *_TIMES):
        values[name] = values[name].isoformat() if values[name] is not None else None
    values["sources"], values["tiers"] = list(values["sources"] or ()), list(values["tiers"] or ())
    values["branches"] = list(values["branches"]) if values["branches"] is not None else None
    return values


def _result(row: Campaign, before: dict[str, Any] | None) -> dict[str, Any]:
    """The result: the code and status, and what a desk needs to undo it (``undo_refused``)."""
    return {"code": row.code, "status": row.status, "undo": before, "done": _fields_of(row)}


def undo_refused(uow: UnitOfWork, operation: Operation) -> bool:
    """Desk, inside a rejection's transaction: a campaign operation central refused is undone — a draft it
    created is removed, other changes put back as they were — unless a later change moved the campaign
    again. False for another kind of operation or when nothing was put back."""
    result = operation.result
    if operation.kind not in KINDS or not result or not result.get("code"):
        return False
    row = uow.reference.lock_campaign(str(result["code"]))
    done = result.get("done")
    if row is None or not isinstance(done, dict):
        return False
    now_fields = _fields_of(row)
    if any(now_fields.get(name) != value for name, value in done.items()):  # results kept from before a field was added lack it
        return False
    before = result.get("undo")
    if before is None:
        uow.reference.remove_campaign(row)
        return True
    put_back(row, before, dates=_DATES, times=_TIMES)
    return True


class CreateHandler:
    """Payload: ``code`` and the draft's fields (``CampaignDraft.as_payload``). Head-office marketing."""

    kind = CREATE

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        staff = _head_office_marketer(uow, request.staff_id)
        code = str(request.payload.get("code") or "").strip().upper()
        if not re.fullmatch(CODE_PATTERN, code):
            raise ValidationError("campaign.code", field="code", value=code)
        if uow.reference.campaign_by_code(code) is not None:
            raise ValidationError("campaign.code_taken", field="code", value=code)
        draft = _fields(uow, request.payload, now)
        row = Campaign(
            code=code, spent_points=0, members_reached=0, status=StoredStatus.DRAFT.value, operation_id=request.operation_id,
            created_by=staff.username, created_at=now, name_zh="", name_en="", multiplier="1", sources=[], tiers=[], budget_points=0,
            starts_on=draft.starts_on, ends_on=draft.ends_on,
        )
        _apply_fields(row, draft)
        uow.reference.add_campaign(row)
        _record(uow, staff, request, "campaign.created", row, now, before=None, after=state(row))
        return Applied(result=_result(row, None), status="posted")


class EditHandler:
    """Payload: ``code`` and the draft's fields. The maker, while it is a draft."""

    kind = EDIT

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        staff, row, undo = _taken_up(uow, request)
        check_status(row.code, row.status, StoredStatus.DRAFT)
        if row.created_by and row.created_by != staff.username:
            raise DomainError("campaign.edit_not_maker", campaign=row.code, maker=row.created_by)
        draft = _fields(uow, request.payload, now)
        before = state(row)
        _apply_fields(row, draft)
        _record(uow, staff, request, "campaign.edited", row, now, before=before, after=state(row))
        return Applied(result=_result(row, undo), status="posted")


class SubmitHandler:
    """Payload: ``code``. A draft goes to a second person for approval."""

    kind = SUBMIT

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        staff, row, undo = _taken_up(uow, request)
        check_status(row.code, row.status, StoredStatus.DRAFT)
        _check_window_open(row, now.date())
        row.status, row.submitted_by, row.submitted_at = StoredStatus.SUBMITTED.value, staff.username, now
        _record(uow, staff, request, "campaign.submitted", row, now, before={"status": StoredStatus.DRAFT.value}, after={"status": row.status})
        return Applied(result=_result(row, undo), status="posted")


def _check_decision(row: Campaign, staff: Staff) -> None:
    check_status(row.code, row.status, StoredStatus.SUBMITTED)
    check_decider(row.code, row.created_by, staff.username)
    check_decider(row.code, row.submitted_by, staff.username)


class ApproveHandler:
    """Payload: ``code``, ``note`` (optional). A second person: never who drafted or submitted it."""

    kind = APPROVE

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        staff, row, undo = _taken_up(uow, request)
        _check_decision(row, staff)
        _check_window_open(row, now.date())
        note = str(request.payload.get("note") or "").strip()[:500]
        row.status, row.decided_by, row.decided_at, row.rejection_note = StoredStatus.APPROVED.value, staff.username, now, None
        _record(uow, staff, request, "campaign.approved", row, now, before={"status": StoredStatus.SUBMITTED.value},
                after={**state(row), "approved_by": staff.username}, note=note, maker=row.created_by, submitted_by=row.submitted_by)
        return Applied(result=_result(row, undo), status="posted")


class RejectHandler:
    """Payload: ``code``, ``note`` (required). Back to draft with the note; a second person only."""

    kind = REJECT

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        note = check_note(request.payload.get("note"))
        staff, row, undo = _taken_up(uow, request)
        _check_decision(row, staff)
        row.status, row.decided_by, row.decided_at, row.rejection_note = StoredStatus.DRAFT.value, staff.username, now, note
        row.submitted_by = row.submitted_at = None
        _record(uow, staff, request, "campaign.rejected", row, now, before={"status": StoredStatus.SUBMITTED.value}, after={"status": row.status},
                note=note, maker=row.created_by)
        return Applied(result=_result(row, undo), status="posted")


class StopHandler:
    """Payload: ``code``, ``reason`` (required). An approved campaign earns nothing more."""

    kind = STOP

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        reason = check_note(request.payload.get("reason"), field="reason")
        staff, row, undo = _taken_up(uow, request)
        check_status(row.code, row.status, StoredStatus.APPROVED)
        row.status, row.stopped_by, row.stopped_at, row.stop_reason = StoredStatus.STOPPED.value, staff.username, now, reason
        _record(uow, staff, request, "campaign.stopped", row, now, before={"status": StoredStatus.APPROVED.value},
                after={"status": row.status, "spent_points": row.spent_points}, reason=reason)
        return Applied(result=_result(row, undo), status="posted")


def handlers() -> list[OperationHandler]:
    """The campaign handlers, for the desk runner and central's applier."""
    return [CreateHandler(), EditHandler(), SubmitHandler(), ApproveHandler(), RejectHandler(), StopHandler()]
