"""The referral desk operations: registration and a supervisor's decision on a flagged referral."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from loyalty_desk.domain import referrals as rules
from loyalty_desk.domain.errors import Conflict, Forbidden, or_not_found
from loyalty_desk.domain.identity import (
    IdType,
    validate_member_no,
)
from loyalty_desk.domain.names import name_search_keys, to_pinyin_key
from loyalty_desk.domain.referrals import Event, Status
from loyalty_desk.services.adjustments.records import active_staff, actor_of
from loyalty_desk.services.audit import Actor, record
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.member_numbers import final_number
from loyalty_desk.services.operations import Applied, OperationHandler, OperationRequest, business_date
from loyalty_desk.services.referrals.checks import clean_fields, existing_matches, flags_for, referrer_by_code, referrer_facts
from loyalty_desk.services.referrals.qualification import qualify_referral
from loyalty_desk.services.referrals.records import member_no_of, referral_code_for, referral_state, require_resolve
from loyalty_desk.services.roles import Permission, require
from loyalty_desk.store.models import Member, Referral, Staff
from loyalty_desk.store.uow import UnitOfWork

REGISTER = "referral.register"


CLEAR = "referral.clear"


REJECT = "referral.reject"


KINDS = (REGISTER, CLEAR, REJECT)


class RegisterHandler:
    """Payload: ``code``, ``name``, ``id_type``, ``id_number``, ``mobile``, ``address``, ``member_no``
    (the referee's new number, chosen by the desk)."""

    kind = REGISTER

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        payload = request.payload
        settings = context.rules_on(business_date(request, now)).referrals
        today = now.date()
        staff = active_staff(uow, request.staff_id)
        require(staff.role, Permission.REFERRAL_REGISTER)
        clean, problems = clean_fields(
            code=payload.get("code"), name=payload.get("name"), id_type=payload.get("id_type"), id_number=payload.get("id_number"),
            mobile=payload.get("mobile"), address=payload.get("address"), today=today,
        )
        if problems:
            raise problems[0]
        member_no = final_number(uow, context, validate_member_no(payload.get("member_no")))  # a provisional one gets central's
        by_code = referrer_by_code(uow, clean["code"])
        referrer = uow.members.lock(by_code.id)
        assert referrer is not None
        referee = rules.Person(clean["id_number"], clean["mobile"], clean["address"])
        refusals = rules.registration_problems(
            referee=referee, referrer=referrer_facts(uow, referrer, today),
            existing=existing_matches(uow, clean["id_number"], clean["mobile"]), year=today.year, settings=settings,
        )
        if refusals:
            raise refusals[0]
        if uow.members.by_no(member_no) is not None:
            raise Conflict("referral.member_no_taken", member_no=member_no)
        flags = flags_for(uow, settings, referee, referrer, today)
        name = clean["name"]
        pinyin = to_pinyin_key(name)
        new = uow.members.add(
            Member(
                member_no=member_no,
                kind="business" if clean["id_type"] == IdType.USCC else "person",
                name=name,
                name_pinyin=pinyin,
                id_type=clean["id_type"],
                id_number=clean["id_number"],
                mobile=clean["mobile"],
                mobile_last4=clean["mobile"][-4:],
                card_no=None,
                address=clean["address"],
                branch_id=staff.branch_id,
                status="active",
                tier="standard",
                joined_on=today,
                referral_code=referral_code_for(member_no),
                posted_balance=0,
                held_points=0,
                created_at=now,
            ),
            [*name_search_keys(name), pinyin],
        )
        actor = actor_of(uow, staff, request.origin)
        record(
            uow, actor, "member.create", entity="member", entity_id=str(new.id), member_no=new.member_no,
            after={"member_no": new.member_no, "status": new.status, "referral_code": new.referral_code, "branch_id": new.branch_id},
            details={"operation_id": request.operation_id, "via": "referral"}, now=now,
        )
        referral = add_referral(uow, request, staff, actor, referrer=referrer, referee=new, code=clean["code"], flags=flags, now=now)
        result = {
            "referral_id": referral.id,
            "operation_id": request.operation_id,
            "status": referral.status,
            "referee_no": new.member_no,
            "referee_code": new.referral_code,
            "referrer_no": referrer.member_no,
            "flags": [f.flag.value for f in flags],
        }
        return Applied(result=result, member_id=new.id, status="posted")


def add_referral(uow: UnitOfWork, request: OperationRequest, staff: Staff, actor: Actor, *, referrer: Member, referee: Member, code: str,
                 flags: list[rules.FlagFinding], now: datetime) -> Referral:
    """The referral of a member just registered (``referee``) under ``referrer``'s code, flagged when
    ``flags`` found a fraud pattern, with its audit row; for a referral registration and for an
    enrolment at the desk that names a referrer's code."""
    parent = uow.referrals.parent_of(referrer.id)
    referral = uow.referrals.add(
        Referral(
            operation_id=request.operation_id,
            code_used=code,
            referrer_member_id=referrer.id,
            referee_member_id=referee.id,
            second_level_member_id=parent.referrer_member_id if parent is not None else None,
            branch_id=staff.branch_id,
            staff_id=staff.id,
            status=(Status.FLAGGED if flags else Status.REGISTERED).value,
            registered_at=now,
            registered_on=now.date(),
            referee_address_key=rules.normalise_address(referee.address) or None,
            referee_phone_prefix=rules.phone_prefix(referee.mobile) or None,
            flag_reasons=[f.as_json() for f in flags] or None,
        )
    )
    record(
        uow, actor, "referral.register", entity="referral", entity_id=request.operation_id, member_no=referrer.member_no,
        after={"status": referral.status, "referee_no": referee.member_no, "code_used": referral.code_used},
        details={"operation_id": request.operation_id, "flags": referral.flag_reasons or []}, now=now,
    )
    return referral


def _decision_target(uow: UnitOfWork, staff: Staff, referral_key: Any) -> Referral:
    found = or_not_found(uow.referrals.by_operation(str(referral_key or "")), "referral", referral_key)
    referral = uow.referrals.get(found.id, fresh=True)
    assert referral is not None
    require_resolve(staff.role)
    branch = uow.staff.branch_of(staff)
    if not branch.is_head_office and branch.id != referral.branch_id:
        raise Forbidden("referral.other_branch", username=staff.username)
    if referral.status != Status.FLAGGED:
        raise Conflict("referral.not_flagged", status=referral.status)
    return referral


def _decide(uow: UnitOfWork, request: OperationRequest, action: str, status: Status, now: datetime,
            closed_reason: str | None = None) -> tuple[Referral, Actor]:
    """A supervisor's decision on a flagged referral: its new status, who decided and why, and its
    audit row (``action``). Hands back the referral and the deciding actor."""
    note = rules.clean_decision_note(request.payload.get("note"))
    staff = active_staff(uow, request.staff_id)
    referral = _decision_target(uow, staff, request.payload.get("referral"))
    before = referral_state(referral)
    referral.status = status.value
    referral.decided_by_staff_id, referral.decided_at, referral.decision_note = staff.id, now, note
    if closed_reason is not None:
        referral.closed_reason = closed_reason
    actor = actor_of(uow, staff, request.origin)
    record(
        uow, actor, action, entity="referral", entity_id=referral.operation_id,
        member_no=member_no_of(uow, referral.referrer_member_id), before=before, after=referral_state(referral),
        details={"operation_id": request.operation_id, "note": note, "flags": referral.flag_reasons or []}, now=now,
    )
    return referral, actor


def _decided(referral: Referral) -> Applied:
    return Applied(result={"referral_id": referral.id, "operation_id": referral.operation_id, "status": referral.status},
                   member_id=referral.referee_member_id, status="posted")


class ClearHandler:
    """Payload: ``referral`` (its registration operation id), ``note``. Back to ``registered``; a
    qualifying event recorded while flagged qualifies it now."""

    kind = CLEAR

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        referral, actor = _decide(uow, request, "referral.clear", Status.REGISTERED, now)
        if referral.qualifying_event and referral.qualifying_on:
            qualify_referral(uow, context, referral, Event(referral.qualifying_event), referral.qualifying_txn_id, referral.qualifying_on, now, actor)
        return _decided(referral)


class RejectHandler:
    """Payload: ``referral``, ``note``."""

    kind = REJECT

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        referral, _ = _decide(uow, request, "referral.reject", Status.REJECTED, now, closed_reason="rejected")
        return _decided(referral)


def handlers() -> list[OperationHandler]:
    """The referral handlers, for the desk runner and central's applier."""
    return [RegisterHandler(), ClearHandler(), RejectHandler()]
