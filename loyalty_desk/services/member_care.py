"""Member maintenance at the counter as operations: ``member.freeze`` (officer or supervisor, with a
reason and a note), ``member.unfreeze`` (supervisor, with a note), ``member.change_mobile``
(the imports' mobile rules; a mobile another member holds is refused naming that member),
``member.change_address`` (the imports' address rules) and ``member.change_card`` (a Luhn-valid card
another member does not hold; the old card, e.g. a lost one, named in the audit), each with a note; the
old value is kept in the audit trail's "before"; and ``member.close``: the account closes, its points
either go to a closing redemption (the redemption's own rules, within the same operation) or are forfeited,
which needs a second supervisor's approval (signed by them, never the maker). Each
runs through the operation runner, so it is signed, audited (before and after), idempotent on its
operation id and synced; central's applier runs the same handlers and the member row reaches every
desk through the feed. The rules are ``domain/member_care.py``.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from loyalty_desk.domain.adjustments import check_supervisor
from loyalty_desk.domain.errors import DomainError, ValidationError, or_not_found
from loyalty_desk.domain.identity import mask_card, mask_mobile, validate_member_no
from loyalty_desk.domain.member_care import (
    CLOSE_APPROVER,
    MemberStatus,
    check_address_change,
    check_card_change,
    check_close,
    check_freeze,
    check_mobile_change,
    check_note,
    check_reason,
    check_unfreeze,
    closing_plan,
)
from loyalty_desk.domain.redemption import points_needed, validate_qty
from loyalty_desk.services.adjustments.records import acting_staff, actor_of, decider_facts
from loyalty_desk.services.audit import record
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.ledger import Ledger, Posting
from loyalty_desk.services.members.records import locked_member, member_or_fail
from loyalty_desk.services.operations import Applied, OperationHandler, OperationRequest, OperationService, checked_operation_id, put_back
from loyalty_desk.services.redemption.catalogue import to_domain_reward
from loyalty_desk.services.roles import Permission, require
from loyalty_desk.store.models import Member, Operation, Staff
from loyalty_desk.store.uow import UnitOfWork

FREEZE = "member.freeze"
UNFREEZE = "member.unfreeze"
CHANGE_MOBILE = "member.change_mobile"
CHANGE_ADDRESS = "member.change_address"
CHANGE_CARD = "member.change_card"
CLOSE = "member.close"
KINDS = (FREEZE, UNFREEZE, CHANGE_MOBILE, CHANGE_ADDRESS, CHANGE_CARD, CLOSE)


@dataclass(frozen=True)
class MemberCareOutcome:
    operation_id: str
    member_no: str
    status: str  # active | frozen | closed
    freeze_reason: str | None
    masked_mobile: str
    replayed: bool = False
    masked_card: str | None = None
    forfeited: int = 0  # member.close: the points forfeited with a second supervisor's approval
    redemption_number: str | None = None  # member.close: the closing redemption


@dataclass(frozen=True)
class ClosingPreview:
    """What closing would do now: the balance, the closing redemption's points, what is forfeited."""

    member_no: str
    status: str
    balance: int
    held_points: int
    redeemed: int
    forfeited: int
    needs_approval: bool


def _freeze_state(member: Member) -> dict[str, Any]:
    return {"status": member.status, "freeze_reason": member.freeze_reason, "freeze_note": member.freeze_note}


# The member's fields these operations change; a refused operation's are put back from its result's "undo".
_FIELDS = ("status", "freeze_reason", "freeze_note", "frozen_at", "frozen_by", "mobile", "mobile_last4", "address", "card_no")


def _fields(member: Member) -> dict[str, Any]:
    return {name: (value.isoformat() if isinstance(value := getattr(member, name), datetime) else value) for name in _FIELDS}


def _result(member: Member, before: dict[str, Any]) -> dict[str, Any]:
    after = _fields(member)
    return {"member_no": member.member_no, "status": member.status, "freeze_reason": member.freeze_reason,
            "masked_mobile": mask_mobile(member.mobile), "masked_card": mask_card(member.card_no) if member.card_no else None,
            "undo": {name: value for name, value in before.items() if after[name] != value},
            "done": {name: value for name, value in after.items() if before[name] != value}}


def _record(uow: UnitOfWork, staff: Staff, request: OperationRequest, action: str, member: Member, now: datetime, *,
            before: dict[str, Any], after: dict[str, Any], **details: Any) -> None:
    """The operation's audit event on ``member``: its operation id, then ``details``."""
    record(uow, actor_of(uow, staff, request.origin), action, entity="member", entity_id=str(member.id), member_no=member.member_no,
           before=before, after=after, details={"operation_id": request.operation_id, **details}, now=now)


def undo_refused(uow: UnitOfWork, operation: Operation) -> bool:
    """Desk, inside a rejection's transaction: a member maintenance operation central refused is undone
    (the member's fields as they were before it), unless a later change moved those fields again.
    False for another kind of operation or when nothing was put back."""
    result = operation.result
    if operation.kind not in KINDS or not result or operation.member_id is None:
        return False
    member = uow.members.lock(operation.member_id)
    if member is None or any(_fields(member)[name] != value for name, value in dict(result.get("done") or {}).items()):
        return False
    put_back(member, result.get("undo"), times=("frozen_at",))
    return True


class FreezeHandler:
    """Payload: ``member_no``, ``reason`` (a ``FreezeReason``), ``note``. An officer or a supervisor."""

    kind = FREEZE

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        payload = request.payload
        staff = acting_staff(uow, request.staff_id, Permission.MEMBER_FREEZE)
        member = locked_member(uow, payload.get("member_no"))
        cleaned = check_freeze(reason=payload.get("reason"), note=payload.get("note"), status=member.status)
        fields_before = _fields(member)
        before = _freeze_state(member)
        member.status = MemberStatus.FROZEN.value
        member.freeze_reason, member.freeze_note = cleaned.reason.value, cleaned.note
        member.frozen_at, member.frozen_by = now, staff.username
        _record(uow, staff, request, "member.freeze", member, now, before=before, after=_freeze_state(member),
                reason_code=cleaned.reason.value, note=cleaned.note)
        return Applied(result=_result(member, fields_before), member_id=member.id)


class UnfreezeHandler:
    """Payload: ``member_no``, ``note``. A supervisor only."""

    kind = UNFREEZE

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        payload = request.payload
        staff = acting_staff(uow, request.staff_id, Permission.MEMBER_UNFREEZE)
        member = locked_member(uow, payload.get("member_no"))
        note = check_unfreeze(note=payload.get("note"), status=member.status)
        fields_before = _fields(member)
        before = _freeze_state(member)
        lifted = {"reason_code": member.freeze_reason, "frozen_at": member.frozen_at, "frozen_by": member.frozen_by}
        member.status = MemberStatus.ACTIVE.value
        member.freeze_reason = member.freeze_note = None
        member.frozen_at = member.frozen_by = None
        _record(uow, staff, request, "member.unfreeze", member, now, before=before, after=_freeze_state(member), note=note, **lifted)
        return Applied(result=_result(member, fields_before), member_id=member.id)


class _ContactChangeHandler:
    """One field of a member's contact details changed with a note: the subclass's ``checked`` rules
    decide the new value and ``refuse_if_held`` refuses one another member holds; the old value is
    kept in the audit trail's "before"."""

    kind: str
    field: str

    def checked(self, member: Member, payload: dict[str, Any]) -> str:
        raise NotImplementedError

    def refuse_if_held(self, uow: UnitOfWork, member: Member, value: str) -> None:
        """Nothing to refuse for a field that two members may share."""

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        payload = request.payload
        staff = acting_staff(uow, request.staff_id, Permission.MEMBER_CONTACT)
        member = locked_member(uow, payload.get("member_no"))
        if member.status == MemberStatus.CLOSED:
            raise DomainError("member.closed")
        value = self.checked(member, payload)
        note = check_note(payload.get("note"))
        self.refuse_if_held(uow, member, value)
        fields_before = _fields(member)
        before = {self.field: getattr(member, self.field)}
        setattr(member, self.field, value)
        if self.field == "mobile":
            member.mobile_last4 = value[-4:]
        _record(uow, staff, request, self.kind, member, now, before=before, after={self.field: value}, note=note)
        return Applied(result=_result(member, fields_before), member_id=member.id)


class ChangeMobileHandler(_ContactChangeHandler):
    """Payload: ``member_no``, ``mobile``, ``note`` (why, e.g. the form the member signed). An officer or a supervisor."""

    kind = CHANGE_MOBILE
    field = "mobile"

    def checked(self, member: Member, payload: dict[str, Any]) -> str:
        return check_mobile_change(mobile=payload.get("mobile"), current=member.mobile)

    def refuse_if_held(self, uow: UnitOfWork, member: Member, value: str) -> None:
        holder = uow.members.with_mobile(value, other_than=member.id)
        if holder is not None:
            raise ValidationError("member.mobile_taken", field="mobile", member_no=holder.member_no)


class ChangeAddressHandler(_ContactChangeHandler):
    """Payload: ``member_no``, ``address``, ``note``. An officer or a supervisor."""

    kind = CHANGE_ADDRESS
    field = "address"

    def checked(self, member: Member, payload: dict[str, Any]) -> str:
        return check_address_change(address=payload.get("address"), current=member.address)


class ChangeCardHandler(_ContactChangeHandler):
    """Payload: ``member_no``, ``card_no``, ``note`` (why: a lost card, a renewal). An officer or a supervisor."""

    kind = CHANGE_CARD
    field = "card_no"

    def checked(self, member: Member, payload: dict[str, Any]) -> str:
        return check_card_change(card_no=payload.get("card_no"), current=member.card_no)

    def refuse_if_held(self, uow: UnitOfWork, member: Member, value: str) -> None:
        holder = uow.members.with_card(value)
        if holder is not None and holder.id != member.id:
            raise ValidationError("member.identity_taken", field="card_no", member_no=holder.member_no)


class CloseHandler:
    """Payload: ``member_no``, ``note``, ``branch_code``, the closing redemption (``reward_code``, ``qty``,
    ``points`` as confirmed; None without one), ``forfeit`` (the points the officer saw would be
    forfeited) and ``approved_by`` (the second supervisor, required when any points are forfeited, who
    signs the operation). An officer or a supervisor makes it."""

    kind = CLOSE

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        from loyalty_desk.services.redemption.handlers import RedeemHandler

        payload = request.payload
        staff = acting_staff(uow, request.staff_id, Permission.MEMBER_CLOSE)
        member = locked_member(uow, payload.get("member_no"))
        note = check_note(payload.get("note"))
        check_close(status=member.status, held_points=member.held_points)
        fields_before = _fields(member)
        before = {"status": member.status, "posted_balance": member.posted_balance}
        number = None
        if payload.get("reward_code"):
            redeem = {name: payload.get(name) for name in ("member_no", "reward_code", "qty", "points", "branch_code")}
            redeemed = RedeemHandler().apply(uow, context, replace(request, payload=redeem), now)
            number = str(redeemed.result["number"])
        plan = closing_plan(balance=member.posted_balance - member.held_points, redemption_points=0)
        if plan.forfeited != int(payload.get("forfeit") or 0):
            raise DomainError("member.close_forfeit_changed", expected=int(payload.get("forfeit") or 0), actual=plan.forfeited)
        approver = None
        if plan.needs_approval:
            approver = self._approver(uow, staff, payload.get("approved_by"), plan.forfeited, request)
            Ledger(uow, context.rules, now).debit(
                member,
                Posting(entry_uid=f"op:{request.operation_id}:forfeit", kind="forfeit", rule="account_closed", occurred_on=now.date(),
                        operation_id=request.operation_id, branch_id=staff.branch_id, staff_id=staff.id,
                        details={"approved_by": approver.username}),
                plan.forfeited,
            )
        member.status = MemberStatus.CLOSED.value
        _record(
            uow, staff, request, "member.close", member, now,
            before=before, after={"status": member.status, "posted_balance": member.posted_balance},
            note=note, forfeited=plan.forfeited, redemption=number, approved_by=approver.username if approver is not None else None,
        )
        result = _result(member, fields_before)
        result.update(forfeited=plan.forfeited, redemption_number=number)
        return Applied(result=result, member_id=member.id)

    @staticmethod
    def _approver(uow: UnitOfWork, maker: Staff, username: Any, points: int, request: OperationRequest) -> Staff:
        name = str(username or "").strip()
        if not name:
            raise ValidationError("member.close_approver_required", field="approved_by", points=points)
        approver = uow.staff.by_username(name)
        if approver is None:
            raise ValidationError("member.close_approver_not_supervisor", field="approved_by", username=name, role="-")
        maker_facts, approver_facts = decider_facts(uow, maker), decider_facts(uow, approver)
        branch_allowed = approver_facts.branch_id == maker_facts.branch_id or approver_facts.head_office or maker_facts.head_office
        check_supervisor(approver_facts, other_staff_id=maker.id, branch_allowed=branch_allowed, refusals=CLOSE_APPROVER)
        if request.signatures is None and approver.id not in request.approver_ids:
            raise DomainError("signature.key_locked", staff_id=approver.id, role="approver")  # the approver signs the operation
        return approver


def handlers() -> list[OperationHandler]:
    """The member maintenance handlers, for the desk runner and central's applier."""
    return [FreezeHandler(), UnfreezeHandler(), ChangeMobileHandler(), ChangeAddressHandler(), ChangeCardHandler(), CloseHandler()]


class MemberCareService(OperationService):
    """Freeze, unfreeze and change the mobile of a member. The fields are checked here first, so a
    form shows every refusal at its field before anything is written; the handler checks them again
    against the member as it is inside the transaction."""

    def freeze(self, *, operation_id: str, session: StaffSession, member_no: str, reason: str, note: str) -> MemberCareOutcome:
        require(session.role, Permission.MEMBER_FREEZE)
        member_no = validate_member_no(member_no)
        cleaned = check_freeze(reason=reason, note=note, status=None)
        return self._execute(operation_id, FREEZE, {"member_no": member_no, **cleaned.as_payload()}, session)

    def unfreeze(self, *, operation_id: str, session: StaffSession, member_no: str, note: str) -> MemberCareOutcome:
        require(session.role, Permission.MEMBER_UNFREEZE)
        member_no = validate_member_no(member_no)
        cleaned = check_unfreeze(note=note, status=None)
        return self._execute(operation_id, UNFREEZE, {"member_no": member_no, "note": cleaned}, session)

    def change_mobile(self, *, operation_id: str, session: StaffSession, member_no: str, mobile: str, note: str) -> MemberCareOutcome:
        require(session.role, Permission.MEMBER_CONTACT)
        member_no = validate_member_no(member_no)
        cleaned_mobile, cleaned_note = check_mobile_change(mobile=mobile, current=None), check_note(note)
        return self._execute(operation_id, CHANGE_MOBILE, {"member_no": member_no, "mobile": cleaned_mobile, "note": cleaned_note}, session)

    def change_address(self, *, operation_id: str, session: StaffSession, member_no: str, address: str, note: str) -> MemberCareOutcome:
        require(session.role, Permission.MEMBER_CONTACT)
        member_no = validate_member_no(member_no)
        cleaned_address, cleaned_note = check_address_change(address=address, current=None), check_note(note)
        return self._execute(operation_id, CHANGE_ADDRESS, {"member_no": member_no, "address": cleaned_address, "note": cleaned_note}, session)

    def change_card(self, *, operation_id: str, session: StaffSession, member_no: str, card_no: str, note: str) -> MemberCareOutcome:
        require(session.role, Permission.MEMBER_CONTACT)
        member_no = validate_member_no(member_no)
        cleaned_card, cleaned_note = check_card_change(card_no=card_no, current=None), check_note(note)
        return self._execute(operation_id, CHANGE_CARD, {"member_no": member_no, "card_no": cleaned_card, "note": cleaned_note}, session)

    def closing_preview(self, *, member_no: str, reward_code: str | None = None, qty: int = 1) -> ClosingPreview:
        """What closing the account would do now, with the closing redemption given (or none)."""
        member_no = validate_member_no(member_no)
        with self._context.uow() as uow:
            member = member_or_fail(uow, member_no)
            redeemed = 0
            if reward_code:
                reward = or_not_found(uow.redemption.reward_by_code(str(reward_code)), "reward", reward_code)
                redeemed = points_needed(to_domain_reward(reward), validate_qty(qty))
            plan = closing_plan(balance=member.posted_balance - member.held_points, redemption_points=redeemed)
            return ClosingPreview(member.member_no, member.status, plan.balance, member.held_points, plan.redeemed, plan.forfeited,
                                  plan.needs_approval)

    def close(self, *, operation_id: str, session: StaffSession, member_no: str, note: str, reward_code: str | None = None, qty: int = 1,
              forfeit: int | None = None, approver_username: str | None = None, approver_password: str | None = None) -> MemberCareOutcome:
        """Closes the account. ``forfeit``: the points the officer was shown would be forfeited (the
        preview's when not given); forfeiting any needs ``approver_username`` and ``approver_password``
        of a second supervisor, whose key signs this one operation."""
        require(session.role, Permission.MEMBER_CLOSE)
        checked_operation_id(operation_id)
        cleaned_note = check_note(note)
        preview = self.closing_preview(member_no=member_no, reward_code=reward_code, qty=qty)
        forfeited = preview.forfeited if forfeit is None else int(forfeit)
        payload: dict[str, Any] = {
            "member_no": preview.member_no, "note": cleaned_note, "branch_code": session.branch_code, "reward_code": reward_code or None,
            "qty": int(qty) if reward_code else None, "points": preview.redeemed if reward_code else None, "forfeit": forfeited,
            "approved_by": None,
        }
        approver_ids: tuple[int, ...] = ()
        lent: AbstractContextManager[Any] = nullcontext()
        if forfeited > 0:
            if not (approver_username or "").strip():
                raise ValidationError("member.close_approver_required", field="approved_by", points=forfeited)
            from loyalty_desk.services.auth import AuthService

            # the second supervisor's key signs this one operation and is forgotten (never kept in the keyring)
            approver, key = AuthService(self._context).sign_in_to_approve(username=str(approver_username).strip(),
                                                                         password=approver_password or "")
            if approver.staff_id == session.staff_id:
                raise DomainError("member.close_approver_same", username=approver.username)
            payload["approved_by"] = approver.username
            approver_ids, lent = (approver.staff_id,), self._context.keyring.lend(key)
        with lent:
            outcome = self._runner.execute(OperationRequest(operation_id=operation_id, kind=CLOSE, payload=payload, origin=self._context.desk_name,
                                                            staff_id=session.staff_id, approver_ids=approver_ids))
        r = outcome.result
        return MemberCareOutcome(operation_id, str(r["member_no"]), str(r["status"]), r.get("freeze_reason"), str(r["masked_mobile"]),
                                 outcome.replayed, r.get("masked_card"), int(r.get("forfeited") or 0), r.get("redemption_number"))

    @staticmethod
    def form_problems(**fields: Any) -> list[DomainError]:
        """Every refusal of a form's fields at once (empty: fine), for the dialogs: ``reason``, ``note``,
        ``mobile``, ``address`` and ``card_no``, each checked when given."""
        problems: list[DomainError] = []
        for name, value in fields.items():
            try:
                if name == "reason":
                    check_reason(value)
                elif name == "note":
                    check_note(value)
                elif name == "mobile":
                    check_mobile_change(mobile=value, current=None)
                elif name == "address":
                    check_address_change(address=value, current=None)
                elif name == "card_no":
                    check_card_change(card_no=value, current=None)
            except DomainError as error:
                problems.append(error)
        return problems

    def _execute(self, operation_id: str, kind: str, payload: dict[str, Any], session: StaffSession) -> MemberCareOutcome:
        outcome = self._run(operation_id, kind, payload, session.staff_id)
        r = outcome.result
        return MemberCareOutcome(operation_id, str(r["member_no"]), str(r["status"]), r.get("freeze_reason"), str(r["masked_mobile"]),
                                 outcome.replayed, r.get("masked_card"))

