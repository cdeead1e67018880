"""Referrals: registration at the desk, qualification from the transaction feed, the
pending period, clawback, expiry, fraud flags and the supervisor's decisions.

Desk operations (run by the shared ``OperationRunner``, ids made where they start):

* ``referral.register`` — creates the referee as a new member (member number chosen by the desk
  and carried in the payload, referral code derived from it) and the referral, ``registered`` or
  ``flagged`` when a fraud pattern shows.
* ``referral.clear`` / ``referral.reject`` — a supervisor of the branch (or head office) decides a
  flagged referral with a note. Payloads name the referral by its registration operation id, which
  is the same on every desk and on central.

Jobs (entry ids derived from their inputs, so reruns post nothing twice):

* qualification — ``on_transactions`` is called by ``EarningService.post_in`` for every newly
  posted transaction of a member with an open referral (one query per batch finds them);
* ``sweep(as_of=...)`` — releases rewards whose pending period is over, claws back those whose
  referee closed the product, expires registrations not qualified in time, and gives a referral
  code to every member without one.

Pending rewards (design)
------------------------
A qualified referral gets ``referral_reward`` rows (referee, referrer, second level) with
``available_on = event date + pending_days``. They are **not** posted to the ledger while pending
— the same rule as a pending adjustment credit ("credits are not yet available") — so a clawback
never has to take points back, ``held_points`` is untouched, and the ledger invariants (balance =
sum of entries = sum of lots' remaining; no negative lot; available ≥ 0) hold by construction.
When the period is over the sweep posts each reward as a ``referral`` credit with its own lot
(``qualifying=False``: referral points are not tier points), ``entry_uid =
referral:<registration operation id>:<role>``, dated ``available_on``. The member view and the
referral view show pending rewards from the reward rows.

"Closed the product" means, at the end of the pending period: the referee's membership is
``closed``; or, for a card qualification, refunds dated within the pending period brought the
net card spend since registration below the minimum (the qualifying spend was returned). The
feeds carry no loan-closure event, so a financing qualification is clawed back only by closure.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from loyalty_desk.domain import referrals as rules
from loyalty_desk.domain.earning import EarningTxn
from loyalty_desk.domain.errors import Conflict, DomainError, Forbidden, NotFound, ValidationError
from loyalty_desk.domain.identity import (
    IdType,
    mask_name,
    validate_address,
    validate_id,
    validate_member_no,
    validate_mobile,
    validate_name,
)
from loyalty_desk.domain.names import name_search_keys, to_pinyin_key
from loyalty_desk.domain.referrals import Event, RewardRole, RewardStatus, Status
from loyalty_desk.domain.rules import ReferralSettings, Source
from loyalty_desk.services.audit import Actor, record
from loyalty_desk.services.context import ServiceContext, refuse_local_job
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.ledger import Ledger, Posting
from loyalty_desk.services.member_numbers import final_number, numbers_of
from loyalty_desk.services.operations import Applied, OperationRequest, OperationRunner
from loyalty_desk.services.roles import Permission, allowed, require
from loyalty_desk.store.models import Member, Referral, ReferralReward, Staff
from loyalty_desk.store.uow import UnitOfWork

REGISTER = "referral.register"
CLEAR = "referral.clear"
REJECT = "referral.reject"
KINDS = (REGISTER, CLEAR, REJECT)
SWEEP_JOB = "referrals.sweep"
QUALIFY_JOB = "referrals.qualify"
# Referrals a referee's transactions still matter to: open ones (qualification) and qualified ones
# (card refunds during the pending period).
WATCHED = (Status.REGISTERED, Status.FLAGGED, Status.EXPIRED, Status.QUALIFIED)
FLAG_LOOKBACK_DAYS = 365  # how far back the referrer's earlier referrals are compared
SAME_ADDRESS_REFEREES = 2  # "several referees with the same address": this many, the new one included
RESOLVE_ROLES = frozenset({"supervisor"})


def _resolve_permission() -> Permission | None:
    """``referral.resolve`` when roles.py knows it; otherwise the supervisor role is checked directly."""
    try:
        return Permission("referral.resolve")
    except ValueError:
        return None


def require_resolve(role: str) -> None:
    permission = _resolve_permission()
    if permission is not None:
        require(role, permission)
    elif role not in RESOLVE_ROLES:
        raise Forbidden("auth.forbidden", role=role, action="resolve flagged referrals", permission="referral.resolve")


def may_resolve(role: str) -> bool:
    permission = _resolve_permission()
    return allowed(role, permission) if permission is not None else role in RESOLVE_ROLES


# ---------------------------------------------------------------------------- DTOs


@dataclass(frozen=True)
class ReferrerPreview:
    """What the form shows once a valid code is typed."""

    code: str
    member_no: str
    masked_name: str
    status: str
    branch_code: str


@dataclass(frozen=True)
class RewardView:
    role: str
    member_no: str
    points: int
    status: str  # pending | posted | clawed_back | capped
    available_on: date


@dataclass(frozen=True)
class ReferralView:
    referral_id: int
    operation_id: str
    status: str
    code_used: str
    referrer_no: str
    referrer_name: str  # masked
    referee_no: str
    referee_name: str  # masked
    second_level_no: str | None
    branch_code: str
    officer: str
    registered_on: date
    registered_at: datetime
    qualifying_event: str | None = None
    qualifying_txn_id: str | None = None
    qualifying_on: date | None = None
    rewards_pending_until: date | None = None
    rewards: tuple[RewardView, ...] = ()
    flags: tuple[dict[str, Any], ...] = ()
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_note: str | None = None
    closed_reason: str | None = None

    def reward_for(self, role: str) -> RewardView | None:
        return next((r for r in self.rewards if r.role == role), None)

    @property
    def flag_codes(self) -> tuple[str, ...]:
        return tuple(str(f.get("code")) for f in self.flags)


@dataclass(frozen=True)
class TreeNode:
    member_no: str
    masked_name: str
    status: str  # of the referral that brought this member in
    registered_on: date
    points: int  # what the root earned (or will) from this referral: referrer or second-level reward
    children: tuple[TreeNode, ...] = ()
    event: str | None = None  # the qualifying event: financing | card


@dataclass(frozen=True)
class MemberReferrals:
    member_no: str
    referral_code: str | None
    received: ReferralView | None
    made: tuple[ReferralView, ...]
    tree: tuple[TreeNode, ...]  # the member's referees, each with their own referees (two levels)
    pending_points: int  # rewards of this member not yet available
    next_available_on: date | None


@dataclass(frozen=True)
class FlaggedReferral:
    referral: ReferralView
    evidence: tuple[ReferralView, ...]  # other referrals sharing the address, the number block or the day


@dataclass(frozen=True)
class RegistrationOutcome:
    referral_id: int
    operation_id: str
    status: str  # registered | flagged
    referee_no: str
    referee_code: str
    referrer_no: str
    flags: tuple[str, ...] = ()
    replayed: bool = False


@dataclass(frozen=True)
class DecisionOutcome:
    referral_id: int
    operation_id: str
    status: str
    replayed: bool = False


@dataclass(frozen=True)
class SweepReport:
    as_of: date
    released: int  # referrals whose rewards were posted
    points_posted: int
    clawed_back: int
    expired: int
    codes_assigned: int = 0
    referral_ids: tuple[int, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ListFilter:
    statuses: tuple[str, ...] = ()
    member_no: str | None = None  # as referrer, referee or second level
    referrer_no: str | None = None
    since: date | None = None
    until: date | None = None
    branch_code: str | None = None  # head office and auditors only; others see their branch


# ---------------------------------------------------------------------------- helpers


def _staff(uow: UnitOfWork, staff_id: int | None) -> Staff:
    staff = uow.staff.get(staff_id) if staff_id is not None else None
    if staff is None:
        raise NotFound("staff", staff_id)
    if not staff.active:
        raise DomainError("auth.inactive", username=staff.username)
    return staff


def _actor(uow: UnitOfWork, staff: Staff, desk: str) -> Actor:
    return Actor(staff.username, desk, uow.staff.branch_of(staff).code)


def _year_bounds(day: date) -> tuple[date, date]:
    return date(day.year, 1, 1), date(day.year, 12, 31)


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def serial_of(member_no: str) -> int:
    return int(member_no[1:-1])


def referral_code_for(member_no: str) -> str:
    """The referral code a member number gets (a bijection of its serial)."""
    return rules.make_referral_code(serial_of(member_no))


def entry_uid(referral: Referral, role: str) -> str:
    return f"referral:{referral.operation_id}:{role}"


def _net_card_spend(referral: Referral, first: date, last: date) -> Decimal:
    """Card spend net of refunds the feed brought for the referee, dated ``first``..``last``.
    Kept on the referral by transaction id (spends too small to earn a point leave no ledger entry)."""
    total = Decimal(0)
    for amount, day in (referral.card_txns or {}).values():
        if first <= date.fromisoformat(day) <= last:
            total += _decimal(amount)
    return total


def _track_card_txn(referral: Referral, txn: EarningTxn) -> None:
    signed = -txn.amount if txn.source is Source.CARD_REFUND else txn.amount
    seen = dict(referral.card_txns or {})
    if txn.txn_id not in seen:
        seen[txn.txn_id] = [str(signed), txn.occurred_on.isoformat()]
        referral.card_txns = seen  # a new dict: the JSON column sees the change


def _referrer_facts(uow: UnitOfWork, referrer: Member, today: date) -> rules.ReferrerFacts:
    first, last = _year_bounds(today)
    return rules.ReferrerFacts(
        member_no=referrer.member_no,
        status=referrer.status,
        person=rules.Person(referrer.id_number, referrer.mobile, referrer.address),
        is_staff=uow.staff.active_with_id_number(referrer.id_number) is not None,
        qualified_this_year=uow.referrals.referrer_rewards_in(referrer.id, first, last),
    )


def _existing(uow: UnitOfWork, id_number: str | None, mobile: str | None) -> list[rules.ExistingMatch]:
    matches: list[rules.ExistingMatch] = []
    for member in uow.referrals.members_with(id_number=id_number, mobile=mobile):
        if id_number and member.id_number == id_number:
            matches.append(rules.ExistingMatch("id_number", member.member_no))
        if mobile and member.mobile == mobile:
            matches.append(rules.ExistingMatch("mobile", member.member_no))
    return matches


def _referrer_by_code(uow: UnitOfWork, code: str) -> Member:
    referrer = uow.referrals.member_by_code(code)
    if referrer is None:
        raise ValidationError("referral.code_unknown", field="code", value=code)
    return referrer


def _clean_fields(
    *, code: Any, name: Any, id_type: Any, id_number: Any, mobile: Any, address: Any, today: date
) -> tuple[dict[str, Any], list[DomainError]]:
    """Each field validated on its own: (the clean values that passed, every problem)."""
    clean: dict[str, Any] = {}
    problems: list[DomainError] = []
    checks = (
        ("code", lambda: rules.validate_referral_code(code)),
        ("name", lambda: validate_name(name, "name", kind="business" if id_type == IdType.USCC.value else "person")),
        ("id_number", lambda: validate_id(id_type or "", id_number, today=today)),
        ("mobile", lambda: validate_mobile(mobile)),
        ("address", lambda: validate_address(address, "address")),
    )
    for key, check in checks:
        try:
            clean[key] = check()
        except DomainError as error:
            problems.append(error)
    if "id_number" in clean:
        clean["id_type"] = IdType(id_type).value
    return clean, problems


def _flags_for(uow: UnitOfWork, settings: ReferralSettings, referee: rules.Person, referrer: Member, today: date) -> list[rules.FlagFinding]:
    address_key = rules.normalise_address(referee.address) or None
    others = [
        rules.OtherReferral(r.id, r.referrer_member_id, m.mobile, m.address, r.registered_on)
        for r, m in uow.referrals.comparable(
            referrer_member_id=referrer.id, address_key=address_key, since=today - timedelta(days=FLAG_LOOKBACK_DAYS)
        )
    ]
    return rules.fraud_flags(
        referee=referee, referrer_member_id=referrer.id, referrer=rules.Person(referrer.id_number, referrer.mobile, referrer.address),
        registered_on=today, others=others, settings=settings, same_address_referees=SAME_ADDRESS_REFEREES,
    )


def _state(referral: Referral) -> dict[str, Any]:
    return {
        "status": referral.status,
        "qualifying_event": referral.qualifying_event,
        "qualifying_on": referral.qualifying_on,
        "rewards_pending_until": referral.rewards_pending_until,
    }


# ---------------------------------------------------------------------------- operation handlers


class RegisterHandler:
    """Payload: ``code``, ``name``, ``id_type``, ``id_number``, ``mobile``, ``address``, ``member_no``
    (the referee's new number, chosen by the desk)."""

    kind = REGISTER

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        payload = request.payload
        settings = context.rules.referrals
        today = now.date()
        staff = _staff(uow, request.staff_id)
        require(staff.role, Permission.REFERRAL_REGISTER)
        clean, problems = _clean_fields(
            code=payload.get("code"), name=payload.get("name"), id_type=payload.get("id_type"), id_number=payload.get("id_number"),
            mobile=payload.get("mobile"), address=payload.get("address"), today=today,
        )
        if problems:
            raise problems[0]
        member_no = final_number(uow, context, validate_member_no(payload.get("member_no")))  # a provisional one gets central's
        referrer = _referrer_by_code(uow, clean["code"])
        referrer = uow.members.lock(referrer.id)
        assert referrer is not None
        referee = rules.Person(clean["id_number"], clean["mobile"], clean["address"])
        refusals = rules.registration_problems(
            referee=referee, referrer=_referrer_facts(uow, referrer, today),
            existing=_existing(uow, clean["id_number"], clean["mobile"]), year=today.year, settings=settings,
        )
        if refusals:
            raise refusals[0]
        if uow.members.by_no(member_no) is not None:
            raise Conflict("referral.member_no_taken", member_no=member_no)
        flags = _flags_for(uow, settings, referee, referrer, today)
        name = clean["name"]
        new = uow.members.add(
            Member(
                member_no=member_no,
                kind="business" if clean["id_type"] == IdType.USCC else "person",
                name=name,
                name_pinyin=to_pinyin_key(name),
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
            [*name_search_keys(name), to_pinyin_key(name)],
        )
        parent = uow.referrals.parent_of(referrer.id)
        referral = uow.referrals.add(
            Referral(
                operation_id=request.operation_id,
                code_used=clean["code"],
                referrer_member_id=referrer.id,
                referee_member_id=new.id,
                second_level_member_id=parent.referrer_member_id if parent is not None else None,
                branch_id=staff.branch_id,
                staff_id=staff.id,
                status=(Status.FLAGGED if flags else Status.REGISTERED).value,
                registered_at=now,
                registered_on=today,
                referee_address_key=rules.normalise_address(clean["address"]) or None,
                referee_phone_prefix=rules.phone_prefix(clean["mobile"]) or None,
                flag_reasons=[f.as_json() for f in flags] or None,
            )
        )
        actor = _actor(uow, staff, request.origin)
        record(
            uow, actor, "member.create", entity="member", entity_id=str(new.id), member_no=new.member_no,
            after={"member_no": new.member_no, "status": new.status, "referral_code": new.referral_code, "branch_id": new.branch_id},
            details={"operation_id": request.operation_id, "via": "referral"}, now=now,
        )
        record(
            uow, actor, "referral.register", entity="referral", entity_id=request.operation_id, member_no=referrer.member_no,
            after={"status": referral.status, "referee_no": new.member_no, "code_used": referral.code_used},
            details={"operation_id": request.operation_id, "flags": referral.flag_reasons or []}, now=now,
        )
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


def _decision_target(uow: UnitOfWork, staff: Staff, referral_key: Any) -> Referral:
    found = uow.referrals.by_operation(str(referral_key or ""))
    if found is None:
        raise NotFound("referral", referral_key)
    referral = uow.referrals.get(found.id, fresh=True)
    assert referral is not None
    require_resolve(staff.role)
    branch = uow.staff.branch_of(staff)
    if not branch.is_head_office and branch.id != referral.branch_id:
        raise Forbidden("referral.other_branch", username=staff.username)
    if referral.status != Status.FLAGGED:
        raise Conflict("referral.not_flagged", status=referral.status)
    return referral


class ClearHandler:
    """Payload: ``referral`` (its registration operation id), ``note``. Back to ``registered``; a
    qualifying event recorded while flagged qualifies it now."""

    kind = CLEAR

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        note = rules.clean_decision_note(request.payload.get("note"))
        staff = _staff(uow, request.staff_id)
        referral = _decision_target(uow, staff, request.payload.get("referral"))
        before = _state(referral)
        referral.status = Status.REGISTERED.value
        referral.decided_by_staff_id, referral.decided_at, referral.decision_note = staff.id, now, note
        actor = _actor(uow, staff, request.origin)
        record(
            uow, actor, "referral.clear", entity="referral", entity_id=referral.operation_id,
            member_no=_member_no(uow, referral.referrer_member_id), before=before, after=_state(referral),
            details={"operation_id": request.operation_id, "note": note, "flags": referral.flag_reasons or []}, now=now,
        )
        if referral.qualifying_event and referral.qualifying_on:
            _qualify(uow, context, referral, Event(referral.qualifying_event), referral.qualifying_txn_id, referral.qualifying_on, now, actor)
        return Applied(result={"referral_id": referral.id, "operation_id": referral.operation_id, "status": referral.status},
                       member_id=referral.referee_member_id, status="posted")


class RejectHandler:
    """Payload: ``referral``, ``note``."""

    kind = REJECT

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        note = rules.clean_decision_note(request.payload.get("note"))
        staff = _staff(uow, request.staff_id)
        referral = _decision_target(uow, staff, request.payload.get("referral"))
        before = _state(referral)
        referral.status = Status.REJECTED.value
        referral.decided_by_staff_id, referral.decided_at, referral.decision_note = staff.id, now, note
        referral.closed_reason = "rejected"
        record(
            uow, _actor(uow, staff, request.origin), "referral.reject", entity="referral", entity_id=referral.operation_id,
            member_no=_member_no(uow, referral.referrer_member_id), before=before, after=_state(referral),
            details={"operation_id": request.operation_id, "note": note, "flags": referral.flag_reasons or []}, now=now,
        )
        return Applied(result={"referral_id": referral.id, "operation_id": referral.operation_id, "status": referral.status},
                       member_id=referral.referee_member_id, status="posted")


def handlers() -> list[Any]:
    """The referral handlers, for the desk runner and central's applier."""
    return [RegisterHandler(), ClearHandler(), RejectHandler()]


def _member_no(uow: UnitOfWork, member_id: int | None) -> str | None:
    if member_id is None:
        return None
    member = uow.members.get(member_id)
    return member.member_no if member else None


# ---------------------------------------------------------------------------- qualification


def _qualify(
    uow: UnitOfWork, context: ServiceContext, referral: Referral, event: Event, txn_id: str | None, event_on: date,
    now: datetime, actor: Actor,
) -> None:
    """Registered (or expired, when the event fell inside the window) -> qualified, with pending rewards."""
    settings = context.rules.referrals
    before = _state(referral)
    referral.qualifying_event, referral.qualifying_txn_id, referral.qualifying_on = event.value, txn_id, event_on
    if referral.status == Status.FLAGGED:  # waits for a supervisor; the event is kept for the decision
        record(uow, actor, "referral.event_while_flagged", entity="referral", entity_id=referral.operation_id,
               before=before, after=_state(referral), details={"txn_id": txn_id}, now=now)
        return
    if not rules.in_window(referral.registered_on, event_on, settings):
        return
    first, last = _year_bounds(event_on)
    counted = uow.referrals.referrer_rewards_in(referral.referrer_member_id, first, last)
    plans = rules.plan_rewards(
        event=event, has_second_level=referral.second_level_member_id is not None, referrer_rewarded_this_year=counted, settings=settings
    )
    until = rules.available_on(event_on, settings)
    members = {
        RewardRole.REFEREE: referral.referee_member_id,
        RewardRole.REFERRER: referral.referrer_member_id,
        RewardRole.SECOND_LEVEL: referral.second_level_member_id,
    }
    for plan in plans:
        member_id = members[plan.role]
        assert member_id is not None
        uow.referrals.add_reward(
            ReferralReward(referral_id=referral.id, role=plan.role.value, member_id=member_id, points=plan.points,
                           status=plan.status.value, available_on=until)
        )
    referral.status = Status.QUALIFIED.value
    referral.qualified_at = now
    referral.rewards_pending_until = until
    referral.closed_reason = None
    record(
        uow, actor, "referral.qualify", entity="referral", entity_id=referral.operation_id,
        member_no=_member_no(uow, referral.referrer_member_id), before=before, after=_state(referral),
        details={"txn_id": txn_id, "rewards": [{"role": p.role.value, "points": p.points, "status": p.status.value} for p in plans]},
        now=now,
    )


def referee_ids_to_watch(uow: UnitOfWork, member_ids: Iterable[int]) -> set[int]:
    """Of ``member_ids``, the referees whose referral a transaction could still qualify (one query)."""
    return uow.referrals.referee_ids_with_status(member_ids, [s.value for s in WATCHED])


def on_transaction(uow: UnitOfWork, context: ServiceContext, member: Member, txn: EarningTxn, now: datetime, actor: Actor) -> None:
    """Called by ``EarningService.post_in`` after ``txn`` of a watched referee was posted (once per
    transaction: a re-imported transaction is skipped before this point)."""
    if txn.source not in (Source.FINANCING, Source.CARD_SPEND, Source.CARD_APPROVED, Source.CARD_REFUND):
        return
    referral = uow.referrals.for_referee(member.id)
    if referral is None or referral.status not in WATCHED:
        return
    if txn.source in (Source.CARD_SPEND, Source.CARD_REFUND):
        _track_card_txn(referral, txn)
    if referral.status not in (Status.REGISTERED, Status.FLAGGED, Status.EXPIRED) or txn.source is Source.CARD_REFUND:
        return
    if referral.status == Status.FLAGGED and referral.qualifying_on is not None:
        return  # the first qualifying event is already recorded
    settings = context.rules.referrals
    registered_on = referral.registered_on
    event: Event | None = None
    if txn.source is Source.FINANCING:
        if rules.financing_qualifies(txn.amount, registered_on, txn.occurred_on, settings):
            event = Event.FINANCING
    elif rules.in_window(registered_on, txn.occurred_on, settings):
        spend = _net_card_spend(referral, registered_on, rules.window_end(registered_on, settings))
        if rules.card_qualifies(member.card_approved_on, spend, registered_on, txn.occurred_on, settings):
            event = Event.CARD
    if event is None:
        return
    _qualify(uow, context, referral, event, txn.txn_id, txn.occurred_on, now, actor)


# ---------------------------------------------------------------------------- the service


class ReferralService:
    def __init__(self, context: ServiceContext, runner: OperationRunner) -> None:
        self._context = context
        self._runner = runner
        for handler in handlers():
            runner.register(handler)

    @staticmethod
    def new_operation_id() -> str:
        return str(uuid.uuid4())

    # ------------------------------------------------------------------ checking as the officer types

    def referrer(self, *, code: str) -> ReferrerPreview:
        code = rules.validate_referral_code(code)
        with self._context.uow() as uow:
            member = _referrer_by_code(uow, code)
            return ReferrerPreview(code, member.member_no, mask_name(member.name), member.status, uow.members.branch(member).code)

    def check(
        self, *, code: str | None, name: str | None = None, id_type: str | None = None, id_number: str | None = None,
        mobile: str | None = None, address: str | None = None, partial: bool = False,
    ) -> list[DomainError]:
        """Every problem of the registration form: field rules, then the store's refusals (already a
        member, self-referral, staff, yearly cap). ``partial`` skips the "required" problems of fields
        still empty (the form checks as the officer types)."""
        today = self._context.today()
        clean, problems = _clean_fields(code=code, name=name, id_type=id_type, id_number=id_number, mobile=mobile, address=address, today=today)
        if partial:
            problems = [p for p in problems if not p.code.endswith("required")]
        with self._context.uow() as uow:
            referrer = None
            if "code" in clean:
                try:
                    referrer = _referrer_by_code(uow, clean["code"])
                except DomainError as error:
                    problems.append(error)
            referee = rules.Person(clean.get("id_number", ""), clean.get("mobile", ""), clean.get("address"))
            problems += rules.registration_problems(
                referee=referee,
                referrer=_referrer_facts(uow, referrer, today) if referrer is not None else None,
                existing=_existing(uow, clean.get("id_number"), clean.get("mobile")),
                year=today.year,
                settings=self._context.rules.referrals,
            )
        return problems

    def would_flag(self, *, code: str, id_number: str, mobile: str, address: str | None) -> list[str]:
        """The fraud patterns a registration would be flagged for (shown before confirming)."""
        with self._context.uow() as uow:
            referrer = _referrer_by_code(uow, rules.validate_referral_code(code))
            person = rules.Person(id_number, validate_mobile(mobile), validate_address(address, "address"))
            return [f.flag.value for f in _flags_for(uow, self._context.rules.referrals, person, referrer, self._context.today())]

    # ------------------------------------------------------------------ operations

    def register(
        self, *, operation_id: str, session: StaffSession, code: str, name: str, id_type: str, id_number: str, mobile: str,
        address: str | None = None,
    ) -> RegistrationOutcome:
        require(session.role, Permission.REFERRAL_REGISTER)
        _check_operation_id(operation_id)
        clean, problems = _clean_fields(code=code, name=name, id_type=id_type, id_number=id_number, mobile=mobile, address=address,
                                        today=self._context.today())
        if problems:
            raise problems[0]
        with self._context.uow() as uow:
            earlier = uow.ledger.operation(operation_id)
            replayed_no = str(earlier.payload.get("member_no")) if earlier is not None and earlier.kind == REGISTER else None
        if replayed_no is not None:
            member_no = replayed_no  # a retry: the same payload replays
        else:
            member_no = numbers_of(self._context).take(self._context, 1)[0]  # central's sequence (services/member_numbers.py)
        payload = {
            "code": clean["code"], "name": clean["name"], "id_type": clean["id_type"], "id_number": clean["id_number"],
            "mobile": clean["mobile"], "address": clean["address"], "member_no": member_no,
        }
        outcome = self._runner.execute(
            OperationRequest(operation_id=operation_id, kind=REGISTER, payload=payload, origin=self._context.desk_name, staff_id=session.staff_id)
        )
        r = outcome.result
        return RegistrationOutcome(int(r["referral_id"]), operation_id, str(r["status"]), str(r["referee_no"]), str(r["referee_code"]),
                                   str(r["referrer_no"]), tuple(r.get("flags") or ()), outcome.replayed)

    def clear(self, *, operation_id: str, session: StaffSession, referral: str, note: str) -> DecisionOutcome:
        return self._decide(CLEAR, operation_id, session, referral, note)

    def reject(self, *, operation_id: str, session: StaffSession, referral: str, note: str) -> DecisionOutcome:
        return self._decide(REJECT, operation_id, session, referral, note)

    def _decide(self, kind: str, operation_id: str, session: StaffSession, referral: str, note: str) -> DecisionOutcome:
        require_resolve(session.role)
        _check_operation_id(operation_id)
        note = rules.clean_decision_note(note)
        outcome = self._runner.execute(
            OperationRequest(operation_id=operation_id, kind=kind, payload={"referral": str(referral), "note": note},
                             origin=self._context.desk_name, staff_id=session.staff_id)
        )
        r = outcome.result
        return DecisionOutcome(int(r["referral_id"]), str(r["operation_id"]), str(r["status"]), outcome.replayed)

    # ------------------------------------------------------------------ the sweep (a job)

    def sweep(self, *, as_of: date | None = None, actor: Actor | None = None) -> SweepReport:
        """Releases or claws back rewards whose pending period ended on or before ``as_of``, expires
        registrations whose window ended before it, and assigns missing referral codes. One
        transaction per referral; a rerun finds nothing left to do."""
        refuse_local_job(self._context, "referrals sweep")
        as_of = as_of or self._context.today()
        actor = actor or self._context.system_actor(SWEEP_JOB)
        settings = self._context.rules
        codes = self.assign_missing_codes(actor=actor)
        with self._context.uow() as uow:
            due = uow.referrals.due_for_release(as_of)
            stale = uow.referrals.due_for_expiry(as_of - timedelta(days=settings.referrals.qualification_days))
        released = clawed = expired = points = 0
        touched: list[int] = []
        for referral_id in due:
            with self._context.uow(write=True) as uow:
                now = self._context.clock()
                referral = uow.referrals.get(referral_id, fresh=True)
                if referral is None or referral.status != Status.QUALIFIED or referral.rewards_pending_until is None \
                        or referral.rewards_pending_until > as_of:
                    continue
                reason = self._closed_product(uow, referral)
                if reason:
                    self._claw_back(uow, referral, reason, now, actor)
                    clawed += 1
                else:
                    points += self._release(uow, settings, referral, now, actor)
                    released += 1
                uow.commit()
                touched.append(referral_id)
        for referral_id in stale:
            with self._context.uow(write=True) as uow:
                now = self._context.clock()
                referral = uow.referrals.get(referral_id, fresh=True)
                if referral is None or referral.status != Status.REGISTERED or not rules.is_expired(referral.registered_on, as_of, settings.referrals):
                    continue
                before = _state(referral)
                referral.status = Status.EXPIRED.value
                referral.closed_reason = "not_qualified"
                record(uow, actor, "referral.expire", entity="referral", entity_id=referral.operation_id,
                       member_no=_member_no(uow, referral.referrer_member_id), before=before, after=_state(referral),
                       details={"registered_on": referral.registered_on, "as_of": as_of}, now=now)
                uow.commit()
                expired += 1
                touched.append(referral_id)
        return SweepReport(as_of, released, points, clawed, expired, codes, tuple(touched))

    def _closed_product(self, uow: UnitOfWork, referral: Referral) -> str | None:
        referee = uow.members.get(referral.referee_member_id)
        assert referee is not None
        if referee.status == "closed":
            return "referee_closed"
        if referral.qualifying_event == Event.CARD and referral.rewards_pending_until is not None:
            spend = _net_card_spend(referral, referral.registered_on, referral.rewards_pending_until)
            if spend < self._context.rules.referrals.card_spend_minimum_cny:
                return "card_spend_refunded"
        return None

    @staticmethod
    def _claw_back(uow: UnitOfWork, referral: Referral, reason: str, now: datetime, actor: Actor) -> None:
        before = _state(referral)
        rewards = uow.referrals.rewards([referral.id]).get(referral.id, [])
        for reward in rewards:
            if reward.status == RewardStatus.PENDING:
                reward.status, reward.settled_at = RewardStatus.CLAWED_BACK.value, now
        referral.status, referral.closed_reason = Status.CLAWED_BACK.value, reason
        record(uow, actor, "referral.claw_back", entity="referral", entity_id=referral.operation_id,
               member_no=_member_no(uow, referral.referrer_member_id), before=before, after=_state(referral),
               details={"reason": reason, "rewards": [{"role": r.role, "points": r.points, "status": r.status} for r in rewards]}, now=now)

    @staticmethod
    def _release(uow: UnitOfWork, settings: Any, referral: Referral, now: datetime, actor: Actor) -> int:
        before = _state(referral)
        ledger = Ledger(uow, settings, now)
        rewards = sorted(uow.referrals.rewards([referral.id]).get(referral.id, []), key=lambda r: r.member_id)  # lock order
        referee_no = _member_no(uow, referral.referee_member_id)
        posted = 0
        for reward in rewards:
            if reward.status != RewardStatus.PENDING:
                continue
            member = uow.members.lock(reward.member_id)
            assert member is not None
            uid = entry_uid(referral, reward.role)
            existing = uow.ledger.entry_by_uid(uid)
            if existing is None:
                existing = ledger.credit(
                    member,
                    Posting(entry_uid=uid, kind="referral", rule=f"referral_{reward.role}", occurred_on=reward.available_on,
                            branch_id=referral.branch_id, reference=referee_no,
                            details={"referral": referral.operation_id, "role": reward.role, "event": referral.qualifying_event,
                                     "referee_no": referee_no}),
                    int(reward.points),
                    qualifying=False,  # referral points are not tier points
                )
                posted += int(reward.points)
            reward.status, reward.entry_id, reward.settled_at = RewardStatus.POSTED.value, existing.id, now
        referral.status, referral.rewarded_at = Status.REWARDED.value, now
        record(uow, actor, "referral.reward", entity="referral", entity_id=referral.operation_id,
               member_no=_member_no(uow, referral.referrer_member_id), before=before, after=_state(referral),
               details={"points_posted": posted, "rewards": [{"role": r.role, "points": r.points, "status": r.status} for r in rewards]},
               now=now)
        return posted

    def assign_missing_codes(self, *, actor: Actor | None = None) -> int:
        """Every member gets the referral code derived from their number (members made before codes existed)."""
        actor = actor or self._context.system_actor(SWEEP_JOB)
        total = 0
        while True:
            with self._context.uow(write=True) as uow:
                batch = uow.referrals.members_without_code()
                if not batch:
                    break
                uow.referrals.set_codes([(member_id, referral_code_for(member_no)) for member_id, member_no in batch])
                total += len(batch)
                uow.commit()
        if total:
            with self._context.uow(write=True) as uow:
                record(uow, actor, "referral.codes_assigned", details={"members": total}, now=self._context.clock())
                uow.commit()
        return total

    # ------------------------------------------------------------------ reading

    def for_member(self, *, member_no: str) -> MemberReferrals:
        member_no = validate_member_no(member_no)
        with self._context.uow() as uow:
            member = uow.members.by_no(member_no)
            if member is None:
                raise NotFound("member", member_no)
            received = uow.referrals.for_referee(member.id)
            made = uow.referrals.made_by([member.id])
            grandchildren = uow.referrals.made_by([r.referee_member_id for r in made])
            views = self._views(uow, [*([received] if received else []), *made, *grandchildren])
            by_id = {v.referral_id: v for v in views}
            below: dict[str, list[ReferralView]] = {}
            for r in grandchildren:
                below.setdefault(by_id[r.id].referrer_no, []).append(by_id[r.id])

            def points_for(view: ReferralView, role: str) -> int:
                reward = view.reward_for(role)
                return reward.points if reward and reward.status in ("pending", "posted") else 0

            tree = tuple(
                TreeNode(
                    by_id[r.id].referee_no, by_id[r.id].referee_name, by_id[r.id].status, r.registered_on,
                    points_for(by_id[r.id], "referrer"),
                    tuple(TreeNode(g.referee_no, g.referee_name, g.status, g.registered_on, points_for(g, "second_level"),
                                   event=g.qualifying_event)
                          for g in below.get(by_id[r.id].referee_no, [])),
                    event=r.qualifying_event,
                )
                for r in made
            )
            pending = uow.referrals.pending_for_member(member.id)
            return MemberReferrals(
                member_no=member.member_no,
                referral_code=member.referral_code,
                received=by_id[received.id] if received else None,
                made=tuple(by_id[r.id] for r in made),
                tree=tree,
                pending_points=sum(int(p.points) for p in pending),
                next_available_on=pending[0].available_on if pending else None,
            )

    def get(self, *, referral: str) -> ReferralView:
        with self._context.uow() as uow:
            found = uow.referrals.by_operation(str(referral))
            if found is None:
                raise NotFound("referral", referral)
            return self._views(uow, [found])[0]

    def list(self, *, session: StaffSession | None = None, filters: ListFilter | None = None, limit: int = 1000) -> tuple[ReferralView, ...]:
        """Referrals newest first. With a session: its branch (head office and auditors: any, or
        ``filters.branch_code``). Without (command line and jobs): every branch."""
        wanted = filters or ListFilter()
        for status in wanted.statuses:
            if status not in {s.value for s in Status}:
                raise ValidationError("referral.status", field="status", value=status, allowed=", ".join(s.value for s in Status))
        if wanted.since and wanted.until and wanted.since > wanted.until:
            raise ValidationError("audit.filter_dates", field="since", since=wanted.since, until=wanted.until)
        with self._context.uow() as uow:
            branch_id = self._scope(uow, session, wanted.branch_code)
            member_id = referrer_id = None
            if wanted.member_no:
                member = uow.members.by_no(validate_member_no(wanted.member_no))
                if member is None:
                    return ()
                member_id = member.id
            if wanted.referrer_no:
                member = uow.members.by_no(validate_member_no(wanted.referrer_no))
                if member is None:
                    return ()
                referrer_id = member.id
            rows = uow.referrals.search(statuses=wanted.statuses or None, branch_id=branch_id, referrer_member_id=referrer_id,
                                        member_id=member_id, since=wanted.since, until=wanted.until, limit=limit)
            return tuple(self._views(uow, rows))

    def flagged(self, *, session: StaffSession) -> tuple[FlaggedReferral, ...]:
        """The supervisor's list: flagged referrals of the branch (any for head office), oldest first,
        each with the other referrals that show the same pattern."""
        if session.role != "auditor":
            require_resolve(session.role)
        with self._context.uow() as uow:
            branch_id = self._scope(uow, session, None)
            rows = list(reversed(uow.referrals.search(statuses=[Status.FLAGGED.value], branch_id=branch_id)))
            items = []
            for referral in rows:
                others = {r.id: r for r in uow.referrals.sharing(
                    address_key=referral.referee_address_key, phone_prefix=referral.referee_phone_prefix, exclude_id=referral.id)}
                if "daily_volume" in {str(f.get("code")) for f in referral.flag_reasons or []}:
                    others.update({r.id: r for r in uow.referrals.by_referrer_on(referral.referrer_member_id, referral.registered_on, referral.id)})
                views = self._views(uow, [referral, *sorted(others.values(), key=lambda r: r.id)])
                items.append(FlaggedReferral(views[0], tuple(views[1:])))
            return tuple(items)

    def pending_rewards(self, *, member_no: str) -> tuple[RewardView, ...]:
        member_no = validate_member_no(member_no)
        with self._context.uow() as uow:
            member = uow.members.by_no(member_no)
            if member is None:
                raise NotFound("member", member_no)
            return tuple(RewardView(r.role, member_no, int(r.points), r.status, r.available_on) for r in uow.referrals.pending_for_member(member.id))

    def export(self, *, session: StaffSession, path: Path, filters: ListFilter | None = None, language: str = "en") -> Path:
        """The branch referral list as an Excel workbook (masked names); audited."""
        from loyalty_desk.documents.referrals import write_referrals

        require(session.role, Permission.EXPORT_BRANCH_LISTS)
        views = self.list(session=session, filters=filters, limit=100_000)
        written = write_referrals(Path(path), views, language=language)
        with self._context.uow(write=True) as uow:
            record(uow, Actor(session.username, self._context.desk_name, session.branch_code), "export.referrals", entity="file",
                   entity_id=written.name, details={"rows": len(views), "filters": _filters_json(filters)}, now=self._context.clock())
            uow.commit()
        return written

    @staticmethod
    def _scope(uow: UnitOfWork, session: StaffSession | None, branch_code: str | None) -> int | None:
        if session is None or session.role == "auditor":
            wanted = branch_code
        else:
            own = uow.reference.branch_by_code(session.branch_code)
            if own is None:
                raise NotFound("branch", session.branch_code)
            if not own.is_head_office:
                return own.id
            wanted = branch_code
        if not wanted:
            return None
        branch = uow.reference.branch_by_code(wanted)
        if branch is None:
            raise NotFound("branch", wanted)
        return branch.id

    @staticmethod
    def _views(uow: UnitOfWork, rows: Sequence[Referral]) -> list[ReferralView]:
        if not rows:
            return []
        member_ids = {r.referrer_member_id for r in rows} | {r.referee_member_id for r in rows}
        member_ids |= {r.second_level_member_id for r in rows if r.second_level_member_id}
        rewards = uow.referrals.rewards([r.id for r in rows])
        member_ids |= {w.member_id for items in rewards.values() for w in items}
        members = {m.id: m for m in uow.members.by_ids(member_ids)}
        staff_ids = {r.staff_id for r in rows} | {r.decided_by_staff_id for r in rows if r.decided_by_staff_id}
        staff = {s_id: uow.staff.get(s_id) for s_id in staff_ids}
        branches = {b.id: b.code for b in uow.reference.branches()}
        views = []
        for r in rows:
            referrer, referee = members[r.referrer_member_id], members[r.referee_member_id]
            officer, decider = staff.get(r.staff_id), staff.get(r.decided_by_staff_id) if r.decided_by_staff_id else None
            views.append(
                ReferralView(
                    referral_id=r.id, operation_id=r.operation_id, status=r.status, code_used=r.code_used,
                    referrer_no=referrer.member_no, referrer_name=mask_name(referrer.name),
                    referee_no=referee.member_no, referee_name=mask_name(referee.name),
                    second_level_no=members[r.second_level_member_id].member_no if r.second_level_member_id else None,
                    branch_code=branches.get(r.branch_id, "?"), officer=officer.username if officer else "?",
                    registered_on=r.registered_on, registered_at=r.registered_at,
                    qualifying_event=r.qualifying_event, qualifying_txn_id=r.qualifying_txn_id, qualifying_on=r.qualifying_on,
                    rewards_pending_until=r.rewards_pending_until,
                    rewards=tuple(RewardView(w.role, members[w.member_id].member_no, int(w.points), w.status, w.available_on)
                                  for w in rewards.get(r.id, [])),
                    flags=tuple(r.flag_reasons or ()), decided_by=decider.username if decider else None, decided_at=r.decided_at,
                    decision_note=r.decision_note, closed_reason=r.closed_reason,
                )
            )
        return views


def _filters_json(filters: ListFilter | None) -> dict[str, Any]:
    if filters is None:
        return {}
    return {k: (v.isoformat() if isinstance(v, date) else list(v) if isinstance(v, tuple) else v)
            for k, v in filters.__dict__.items() if v not in (None, ())}


def _check_operation_id(operation_id: str) -> None:
    try:
        uuid.UUID(str(operation_id))
    except ValueError:
        raise ValidationError("redeem.operation_id", field="operation_id", value=operation_id) from None
