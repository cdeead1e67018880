"""The operation member.outreach_preferences: the language a member's messages are written in and their
opt-out of marketing messages, changed at the desk (an officer, on the member's word) and audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from loyalty_desk.domain.errors import DomainError, ValidationError
from loyalty_desk.domain.member_care import MemberStatus, check_note
from loyalty_desk.domain.outreach import check_language
from loyalty_desk.services.adjustments.records import acting_staff, actor_of
from loyalty_desk.services.audit import record
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.members.records import locked_member
from loyalty_desk.services.operations import Applied, OperationHandler, OperationRequest, OperationService, put_back
from loyalty_desk.services.roles import Permission, require
from loyalty_desk.store.models import Member, Operation
from loyalty_desk.store.uow import UnitOfWork

PREFERENCES = "member.outreach_preferences"
_FIELDS = ("language", "marketing_opt_out", "preferences_changed_at", "preferences_changed_by")


@dataclass(frozen=True)
class OutreachPreferences:
    member_no: str
    language: str
    opted_out: bool
    changed_at: datetime | None
    changed_by: str | None
    replayed: bool = False


def _fields(member: Member) -> dict[str, Any]:
    values = {name: getattr(member, name) for name in _FIELDS}
    values["preferences_changed_at"] = member.preferences_changed_at.isoformat() if member.preferences_changed_at else None
    values["marketing_opt_out"] = bool(member.marketing_opt_out)
    return values


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower()
    if text in ("yes", "true", "1"):
        return True
    if text in ("no", "false", "0"):
        return False
    raise ValidationError("outreach.opt_out", field="opt_out", value=text)


class PreferencesHandler:
    """Payload: ``member_no``, ``language`` (zh_CN | en), ``opt_out`` (bool), ``note`` (how the member asked)."""

    kind = PREFERENCES

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        payload = request.payload
        staff = acting_staff(uow, request.staff_id, Permission.MEMBER_CONTACT)
        language = check_language(payload.get("language")).value
        opt_out = _flag(payload.get("opt_out"))
        note = check_note(payload.get("note"))
        member = locked_member(uow, payload.get("member_no"))
        if member.status == MemberStatus.CLOSED:
            raise DomainError("member.closed")
        if member.language == language and bool(member.marketing_opt_out) == opt_out:
            raise DomainError("outreach.preferences_unchanged", member_no=member.member_no)
        undo = _fields(member)
        before = {"language": member.language, "opt_out": bool(member.marketing_opt_out)}
        member.language, member.marketing_opt_out = language, opt_out
        member.preferences_changed_at, member.preferences_changed_by = now, staff.username
        record(uow, actor_of(uow, staff, request.origin), "member.outreach_preferences", entity="member", entity_id=str(member.id), member_no=member.member_no,
               before=before, after={"language": language, "opt_out": opt_out}, details={"operation_id": request.operation_id, "note": note},
               now=now)
        return Applied(result={"member_no": member.member_no, "language": language, "opt_out": opt_out, "undo": undo, "done": _fields(member)},
                       member_id=member.id)


def undo_refused(uow: UnitOfWork, operation: Operation) -> bool:
    """Desk, inside a rejection's transaction: preferences central refused are put back as they were,
    unless a later change moved them again."""
    result = operation.result
    if operation.kind != PREFERENCES or not result or operation.member_id is None:
        return False
    member = uow.members.lock(operation.member_id)
    if member is None or _fields(member) != result.get("done"):
        return False
    put_back(member, result.get("undo"), times=("preferences_changed_at",))
    return True


def handlers() -> list[OperationHandler]:
    return [PreferencesHandler()]


class OutreachPreferenceService(OperationService):
    def get(self, *, session: StaffSession, member_no: str) -> OutreachPreferences:
        require(session.role, Permission.MEMBER_VIEW)
        with self._context.uow() as uow:
            member = uow.members.by_no(str(member_no).strip())
            if member is None:
                raise DomainError("not_found", what="member", key=member_no)
            return OutreachPreferences(member.member_no, member.language or "zh_CN", bool(member.marketing_opt_out),
                                       member.preferences_changed_at, member.preferences_changed_by)

    def change(self, *, operation_id: str, session: StaffSession, member_no: str, language: str, opt_out: bool,
               note: str) -> OutreachPreferences:
        require(session.role, Permission.MEMBER_CONTACT)
        check_language(language)
        check_note(note)
        outcome = self._runner.execute(OperationRequest(
            operation_id=operation_id, kind=PREFERENCES, origin=self._context.desk_name, staff_id=session.staff_id,
            payload={"member_no": str(member_no).strip(), "language": language, "opt_out": bool(opt_out), "note": str(note).strip()},
        ))
        shown = self.get(session=session, member_no=member_no)
        return OutreachPreferences(shown.member_no, shown.language, shown.opted_out, shown.changed_at, shown.changed_by, outcome.replayed)
