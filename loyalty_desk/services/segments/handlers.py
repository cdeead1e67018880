"""The operation segment.save: a head-office marketer creates a segment or changes its name or criteria.
Audited with before and after; named by its code in the payload, the same on every desk and at central."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.domain.segments import check_code, check_segment
from loyalty_desk.services.adjustments.records import acting_staff, actor_of
from loyalty_desk.services.audit import record
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.operations import Applied, OperationHandler, OperationRequest, put_back
from loyalty_desk.services.roles import Permission
from loyalty_desk.store.models import Operation, Segment, Staff
from loyalty_desk.store.uow import UnitOfWork

SAVE = "segment.save"
_KEPT = ("name_zh", "name_en", "criteria", "version", "updated_by", "updated_at")


def head_office_marketer(uow: UnitOfWork, staff_id: int | None) -> Staff:
    staff = acting_staff(uow, staff_id, Permission.CAMPAIGN_MANAGE)
    if not uow.staff.branch_of(staff).is_head_office:
        raise DomainError("segment.head_office_only", username=staff.username)
    return staff


def state(row: Segment) -> dict[str, Any]:
    return {"code": row.code, "name_zh": row.name_zh, "name_en": row.name_en, "criteria": dict(row.criteria or {}), "version": row.version}


def _kept(row: Segment) -> dict[str, Any]:
    values = {name: getattr(row, name) for name in _KEPT}
    values["updated_at"] = row.updated_at.isoformat()
    values["criteria"] = dict(row.criteria or {})
    return values


class SaveHandler:
    """Payload: ``code``, ``name_zh``, ``name_en``, ``criteria`` (``SegmentCriteria.as_payload``), ``version``:
    0 creates the segment, otherwise the version the marketer edited (a racing edit is refused)."""

    kind = SAVE

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        staff = head_office_marketer(uow, request.staff_id)
        code = check_code(request.payload.get("code"))
        fields = check_segment(request.payload, known_branches=uow.reference.branch_codes())
        expected = int(request.payload.get("version") or 0)
        row = uow.segments.lock(code)
        actor = actor_of(uow, staff, request.origin)
        if row is None:
            if expected:
                raise DomainError("segment.changed", segment=code, expected=expected, actual=0)
            row = uow.segments.add(Segment(
                code=code, name_zh=fields.name_zh, name_en=fields.name_en, criteria=fields.criteria.as_payload(), version=1,
                operation_id=request.operation_id, created_by=staff.username, created_at=now, updated_by=staff.username, updated_at=now,
            ))
            record(uow, actor, "segment.created", entity="segment", entity_id=code, after=state(row),
                   details={"operation_id": request.operation_id}, now=now)
            return Applied(result={"code": code, "version": row.version, "undo": None, "done": _kept(row)})
        if expected != row.version:
            raise DomainError("segment.changed", segment=code, expected=expected, actual=row.version)
        undo, before = _kept(row), state(row)
        row.name_zh, row.name_en, row.criteria = fields.name_zh, fields.name_en, fields.criteria.as_payload()
        row.version, row.operation_id, row.updated_by, row.updated_at = row.version + 1, request.operation_id, staff.username, now
        record(uow, actor, "segment.changed", entity="segment", entity_id=code, before=before, after=state(row),
               details={"operation_id": request.operation_id}, now=now)
        return Applied(result={"code": code, "version": row.version, "undo": undo, "done": _kept(row)})


def undo_refused(uow: UnitOfWork, operation: Operation) -> bool:
    """Desk, inside a rejection's transaction: a segment.save central refused is undone — a segment it
    created removed, a change put back — unless a later save changed the segment again."""
    result = operation.result
    if operation.kind != SAVE or not result or not result.get("code"):
        return False
    row = uow.segments.lock(str(result["code"]))
    if row is None or _kept(row) != result.get("done"):
        return False
    before = result.get("undo")
    if before is None:
        uow.segments.remove(row)
        return True
    put_back(row, before, times=("updated_at",))
    return True


def handlers() -> list[OperationHandler]:
    return [SaveHandler()]
