"""Enrolling a walk-in client at the desk: the operation ``member.enrol``.

The client's fields are checked as the member import checks them (``domain.member_care.check_enrolment``);
an ID number, mobile or card another member holds is refused naming that member; a referral code, when
given, registers the referral as a referral registration does (the referrer's refusals, the fraud
flags). The number comes from where numbers are assigned (``services/member_numbers.py``): a joined
desk's reserved block, or a provisional ``M9…`` number while central cannot be reached, which central
replaces with a final one when it applies the operation. The operation is signed, audited, idempotent
on its id and synced like every desk operation; central's applier runs this same handler.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from loyalty_desk.domain import referrals as referral_rules
from loyalty_desk.domain.errors import Conflict, DomainError
from loyalty_desk.domain.identity import is_provisional_member_no, validate_member_no
from loyalty_desk.domain.member_care import ENROL_FIELDS, IdentityHolder, check_enrolment, identity_clashes
from loyalty_desk.domain.names import member_name_keys, to_pinyin_key
from loyalty_desk.services.adjustments.records import acting_staff, actor_of
from loyalty_desk.services.audit import record
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.member_numbers import final_number, number_for
from loyalty_desk.services.operations import Applied, OperationHandler, OperationRequest, OperationService, checked_operation_id
from loyalty_desk.services.referrals.checks import flags_for, referrer_by_code, referrer_facts
from loyalty_desk.services.referrals.handlers import add_referral
from loyalty_desk.services.referrals.records import referral_code_for
from loyalty_desk.services.roles import Permission, require
from loyalty_desk.store.models import Member
from loyalty_desk.store.uow import UnitOfWork

ENROL = "member.enrol"


@dataclass(frozen=True)
class EnrolmentOutcome:
    operation_id: str
    member_no: str
    member_no_provisional: bool  # given at this desk while offline: central gives the final one
    referral_code: str  # the new member's own code
    referral_status: str | None  # registered | flagged, when a referrer's code was given
    referrer_no: str | None
    replayed: bool = False


def _holders(uow: UnitOfWork, clean: dict[str, Any]) -> list[IdentityHolder]:
    rows = uow.documents.existing_identities(
        id_numbers=[clean["id_number"]] if clean.get("id_number") else [], mobiles=[clean["mobile"]] if clean.get("mobile") else [],
        cards=[clean["card_no"]] if clean.get("card_no") else [],
    )
    return [IdentityHolder(member_no, id_number, mobile, card_no) for member_no, id_number, mobile, card_no, _name in rows]


def _referral_problems(uow: UnitOfWork, context: Any, clean: dict[str, Any], today: date) -> tuple[Member | None, list[DomainError]]:
    """The referrer named by the code (None without one) and the referral's refusals: an unknown code,
    a referrer frozen, closed or on the staff, a self-referral, the referrer's yearly cap."""
    if not clean.get("code"):
        return None, []
    try:
        referrer = referrer_by_code(uow, clean["code"])
    except DomainError as error:
        return None, [error]
    person = referral_rules.Person(clean.get("id_number", ""), clean.get("mobile", ""), clean.get("address"))
    problems = referral_rules.registration_problems(
        referee=person, referrer=referrer_facts(uow, referrer, today), existing=[], year=today.year, settings=context.rules.referrals,
    )
    return referrer, problems


def enrolment_problems(uow: UnitOfWork, context: Any, fields: dict[str, Any], today: date) -> tuple[dict[str, Any], list[DomainError]]:
    """Every refusal of an enrolment at once: the fields' rules, then an identity another member
    holds, then the referral's refusals. Hands back the clean values too."""
    clean, problems = check_enrolment(today=today, **{name: fields.get(name) for name in (*ENROL_FIELDS, "id_type")})
    problems += identity_clashes(clean, _holders(uow, clean))
    problems += _referral_problems(uow, context, clean, today)[1]
    return clean, problems


class EnrolHandler:
    """Payload: ``name``, ``id_type``, ``id_number``, ``mobile``, ``card_no`` (or None), ``address`` (or
    None), ``code`` (a referrer's code, or None) and ``member_no`` (the number the desk chose). An
    officer or a supervisor."""

    kind = ENROL

    def apply(self, uow: UnitOfWork, context: Any, request: OperationRequest, now: datetime) -> Applied:
        payload = request.payload
        today = now.date()
        staff = acting_staff(uow, request.staff_id, Permission.MEMBER_ENROL)
        clean, problems = enrolment_problems(uow, context, dict(payload), today)
        if problems:
            raise problems[0]
        member_no = final_number(uow, context, validate_member_no(str(payload.get("member_no") or "")))  # a provisional one gets central's
        if uow.members.by_no(member_no) is not None:
            raise Conflict("referral.member_no_taken", member_no=member_no)
        referrer = None
        if clean.get("code"):
            found = referrer_by_code(uow, clean["code"])
            referrer = uow.members.lock(found.id)
            assert referrer is not None
        name = clean["name"]
        new = uow.members.add(
            Member(
                member_no=member_no, kind=clean["kind"], name=name, name_pinyin=to_pinyin_key(name), id_type=clean["id_type"],
                id_number=clean["id_number"], mobile=clean["mobile"], mobile_last4=clean["mobile"][-4:], card_no=clean["card_no"],
                address=clean["address"], branch_id=staff.branch_id, status="active", tier="standard", joined_on=today,
                referral_code=referral_code_for(member_no), posted_balance=0, held_points=0, created_at=now,
            ),
            member_name_keys(name),
        )
        actor = actor_of(uow, staff, request.origin)
        record(
            uow, actor, "member.create", entity="member", entity_id=str(new.id), member_no=new.member_no,
            after={"member_no": new.member_no, "status": new.status, "referral_code": new.referral_code, "branch_id": new.branch_id,
                   "card": bool(new.card_no)},
            details={"operation_id": request.operation_id, "via": "desk"}, now=now,
        )
        result: dict[str, Any] = {"member_no": new.member_no, "referral_code": new.referral_code, "referral_status": None, "referrer_no": None}
        if referrer is not None:
            flags = flags_for(uow, context.rules.referrals, referral_rules.Person(new.id_number, new.mobile, new.address), referrer, today)
            referral = add_referral(uow, request, staff, actor, referrer=referrer, referee=new, code=clean["code"], flags=flags, now=now)
            result.update(referral_status=referral.status, referrer_no=referrer.member_no, flags=[f.flag.value for f in flags])
        return Applied(result=result, member_id=new.id)


def handlers() -> list[OperationHandler]:
    """The enrolment handler, for the desk runner and central's applier."""
    return [EnrolHandler()]


class EnrolmentService(OperationService):
    """Enrols a walk-in client. ``problems`` checks a form as it is typed; ``enrol`` writes."""

    def problems(self, *, name: str | None = None, id_type: str | None = None, id_number: str | None = None, mobile: str | None = None,
                 card_no: str | None = None, address: str | None = None, code: str | None = None,
                 partial: bool = False) -> list[DomainError]:
        """Every refusal of the enrolment form at once (empty: fine). ``partial`` leaves out "required"
        for fields still empty (the form checks as the officer types)."""
        fields = {"name": name, "id_type": id_type, "id_number": id_number, "mobile": mobile, "card_no": card_no, "address": address,
                  "code": code}
        with self._context.uow() as uow:
            _clean, problems = enrolment_problems(uow, self._context, fields, self._context.today())
        if partial:
            problems = [p for p in problems if not p.code.endswith("required")]
        return problems

    def enrol(self, *, operation_id: str, session: StaffSession, name: str, id_type: str, id_number: str, mobile: str,
              card_no: str | None = None, address: str | None = None, code: str | None = None) -> EnrolmentOutcome:
        require(session.role, Permission.MEMBER_ENROL)
        checked_operation_id(operation_id)
        fields = {"name": name, "id_type": id_type, "id_number": id_number, "mobile": mobile, "card_no": card_no, "address": address, "code": code}
        with self._context.uow() as uow:
            earlier = uow.ledger.operation(operation_id)
            # the store's refusals too before a number is taken, so a refused enrolment uses none of the desk's block
            clean, problems = enrolment_problems(uow, self._context, fields, self._context.today()) if earlier is None else check_enrolment(
                today=self._context.today(), **fields)
        if problems:
            raise problems[0]
        payload = {name: clean[name] for name in ("name", "id_type", "id_number", "mobile", "card_no", "address", "code")}
        payload["member_no"] = number_for(self._context, operation_id, ENROL)
        outcome = self._runner.execute(
            OperationRequest(operation_id=operation_id, kind=ENROL, payload=payload, origin=self._context.desk_name, staff_id=session.staff_id)
        )
        r = outcome.result
        return EnrolmentOutcome(operation_id, str(r["member_no"]), is_provisional_member_no(str(r["member_no"])), str(r["referral_code"]),
                                r.get("referral_status"), r.get("referrer_no"), outcome.replayed)
