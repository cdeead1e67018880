"""Manual tier overrides (maker-checker): a supervisor requests a tier for a member with a reason and an
end date (``tier.override_request``), a second supervisor of the branch or head office approves
(``tier.override_approve``: the tier changes, with its zero-point history line) or rejects
(``tier.override_reject``); never the maker. On its end date the override ends (``end_due``, run by the
tier review and daily beside the other jobs): the member goes back to the tier they had, unless their
tier moved meanwhile. While an override is in force the monthly review leaves the member alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from loyalty_desk.domain.adjustments import check_supervisor, clean_note
from loyalty_desk.domain.errors import DomainError, or_not_found
from loyalty_desk.domain.identity import validate_member_no
from loyalty_desk.domain.rules import Tier
from loyalty_desk.domain.tier_overrides import OVERRIDE_DECIDER, OverrideStatus, check_override_request, check_pending, is_due_to_end
from loyalty_desk.services.adjustments.records import acting_staff, actor_of, decider_facts, staff_or_fail
from loyalty_desk.services.audit import Actor, record
from loyalty_desk.services.context import ServiceContext, refuse_local_job
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.ledger import Ledger
from loyalty_desk.services.members.records import locked_member
from loyalty_desk.services.operations import Applied, OperationHandler, OperationRequest, OperationRunner, OperationService, write_decision
from loyalty_desk.services.roles import Permission, require
from loyalty_desk.services.tier_changes import TierChangeReason, change_tier
from loyalty_desk.store.models import Member, TierOverride
from loyalty_desk.store.uow import UnitOfWork

REQUEST = "tier.override_request"
APPROVE = "tier.override_approve"
REJECT = "tier.override_reject"
KINDS = (REQUEST, APPROVE, REJECT)
END_JOB = "tier_override_end"


@dataclass(frozen=True)
class TierOverrideView:
    override_id: int
    operation_id: str
    member_no: str
    tier: str
    previous_tier: str | None
    reason: str
    ends_on: date
    status: str  # pending | approved | rejected | ended
    maker_username: str
    decided_by_username: str | None
    created_at: datetime
    decided_at: datetime | None
    decision_note: str | None
    member_tier: str  # the member's tier now


def _result(override: TierOverride, member: Member) -> dict[str, Any]:
    return {"override_id": override.id, "operation_id": override.operation_id, "status": override.status, "member_no": member.member_no,
            "tier": member.tier}


def _state(override: TierOverride, member: Member) -> dict[str, Any]:
    return {"status": override.status, "member_tier": member.tier}


def _locked(uow: UnitOfWork, request_operation_id: Any) -> tuple[TierOverride, Member]:
    """The override named by its request's operation id, re-read after locking its member (a racing decision shows)."""
    found = or_not_found(uow.tier_overrides.by_operation(str(request_operation_id or "")), "tier override", request_operation_id)
    member = uow.members.lock(found.member_id)
    assert member is not None
    override = uow.tier_overrides.by_operation(found.operation_id, fresh=True)
    assert override is not None
    return override, member


def _check_decider(uow: UnitOfWork, override: TierOverride, staff: Any, today: date) -> None:
    check_pending(override.status, override.ends_on, today)
    decider = decider_facts(uow, staff)
    branch_allowed = decider.branch_id == override.branch_id or decider.head_office
    check_supervisor(decider, other_staff_id=override.maker_staff_id, branch_allowed=branch_allowed, refusals=OVERRIDE_DECIDER)


class RequestHandler:
    """Payload: ``member_no``, ``tier``, ``reason``, ``ends_on`` (ISO date). A supervisor only."""

    kind = REQUEST

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        payload = request.payload
        staff = acting_staff(uow, request.staff_id, Permission.TIER_OVERRIDE)
        member = locked_member(uow, payload.get("member_no"))
        cleaned = check_override_request(
            tier=payload.get("tier"), reason=payload.get("reason"), ends_on=payload.get("ends_on"), current=Tier(member.tier), today=now.date()
        )
        if uow.tier_overrides.open_for_member(member.id, (OverrideStatus.PENDING.value, OverrideStatus.APPROVED.value)) is not None:
            raise DomainError("tier_override.open", member_no=member.member_no)
        override = uow.tier_overrides.add(
            TierOverride(
                operation_id=request.operation_id, member_id=member.id, branch_id=staff.branch_id, maker_staff_id=staff.id,
                tier=cleaned.tier.value, reason=cleaned.reason, ends_on=cleaned.ends_on, status=OverrideStatus.PENDING.value, created_at=now,
            )
        )
        record(
            uow, actor_of(uow, staff, request.origin), "tier_override.request", entity="tier_override", entity_id=str(override.id),
            member_no=member.member_no, before={"status": None, "member_tier": member.tier},
            after={**_state(override, member), "tier": override.tier, "ends_on": override.ends_on.isoformat()},
            details={"operation_id": request.operation_id, "reason": override.reason}, now=now,
        )
        return Applied(result=_result(override, member), member_id=member.id, status="pending")


def _decision(uow: UnitOfWork, request: OperationRequest, now: datetime, *, note_required: bool) -> tuple[str, Any, TierOverride, Member]:
    """A decision's note, the supervisor taking it, and the request it names with its member, locked and checked."""
    note = clean_note(request.payload.get("note"), required=note_required)
    staff = staff_or_fail(uow, request.staff_id)
    override, member = _locked(uow, request.payload.get("request"))
    _check_decider(uow, override, staff, now.date())
    return note, staff, override, member


class ApproveHandler:
    """Payload: ``request`` (the request's operation id), ``note``. Another supervisor than the maker."""

    kind = APPROVE

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        note, staff, override, member = _decision(uow, request, now, note_required=False)
        wanted = Tier(override.tier)
        if wanted is Tier(member.tier):  # reached meanwhile: nothing to override
            raise DomainError("tier_override.same_tier", tier=wanted.value)
        before = _state(override, member)
        actor = actor_of(uow, staff, request.origin)
        override.previous_tier = member.tier
        change_tier(
            uow, Ledger(uow, context.rules, now), member, wanted, reason=TierChangeReason.OVERRIDE, cause=f"override:{override.operation_id}",
            occurred_on=now.date(), actor=actor, now=now, starts_protection=False, operation_id=request.operation_id, staff_id=staff.id,
            branch_id=override.branch_id,
            details={"override_operation_id": override.operation_id, "ends_on": override.ends_on.isoformat(), "override_reason": override.reason},
        )
        write_decision(override, OverrideStatus.APPROVED.value, staff.id, note, now)
        record(
            uow, actor, "tier_override.approve", entity="tier_override", entity_id=str(override.id), member_no=member.member_no,
            before=before, after=_state(override, member), details={"operation_id": request.operation_id, "note": note}, now=now,
        )
        return Applied(result=_result(override, member), member_id=member.id, status="posted")


class RejectHandler:
    """Payload: ``request`` (the request's operation id), ``note`` (required). Another supervisor than the maker."""

    kind = REJECT

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        note, staff, override, member = _decision(uow, request, now, note_required=True)
        before = _state(override, member)
        write_decision(override, OverrideStatus.REJECTED.value, staff.id, note, now)
        record(
            uow, actor_of(uow, staff, request.origin), "tier_override.reject", entity="tier_override", entity_id=str(override.id),
            member_no=member.member_no, before=before, after=_state(override, member),
            details={"operation_id": request.operation_id, "note": note}, now=now,
        )
        # the decision is recorded ("posted"): an operation's "rejected" means refused, and central would refuse it
        return Applied(result=_result(override, member), member_id=member.id, status="posted")


def handlers() -> list[OperationHandler]:
    """The tier override handlers, for the desk runner and central's applier."""
    return [RequestHandler(), ApproveHandler(), RejectHandler()]


def end_due_overrides(context: ServiceContext, *, as_of: date, actor: Actor | None = None) -> int:
    """Ends every approved override whose end date is on or before ``as_of``: back to the tier the
    member had, unless their tier moved meanwhile (then it is only marked ended). One transaction per
    override; a rerun finds nothing left. How many ended."""
    actor = actor or context.system_actor(END_JOB)
    with context.uow() as uow:
        due = uow.tier_overrides.due_to_end(OverrideStatus.APPROVED.value, as_of)
    ended = 0
    for operation_id, member_id in due:
        with context.uow(write=True) as uow:
            member = uow.members.lock(member_id)
            override = uow.tier_overrides.by_operation(operation_id, fresh=True)
            if member is None or override is None or not is_due_to_end(override.status, override.ends_on, as_of):
                continue
            now = context.clock()
            before = _state(override, member)
            if member.tier == override.tier and override.previous_tier:
                change_tier(
                    uow, Ledger(uow, context.rules, now), member, Tier(override.previous_tier), reason=TierChangeReason.OVERRIDE_ENDED,
                    cause=f"override_end:{operation_id}", occurred_on=as_of, actor=actor, now=now, starts_protection=False,
                    details={"override_operation_id": operation_id},
                )
            override.status = OverrideStatus.ENDED.value
            override.ended_at = now
            record(
                uow, actor, "tier_override.end", entity="tier_override", entity_id=str(override.id), member_no=member.member_no,
                before=before, after=_state(override, member), details={"ends_on": override.ends_on.isoformat()}, now=now,
            )
            uow.commit()
            ended += 1
    return ended


class TierOverrideService(OperationService):
    def __init__(self, context: ServiceContext, runner: OperationRunner) -> None:
        super().__init__(context, runner)
        for handler in handlers():
            runner.register(handler)

    def request(self, *, operation_id: str, session: StaffSession, member_no: str, tier: str, reason: str, ends_on: Any) -> TierOverrideView:
        require(session.role, Permission.TIER_OVERRIDE)
        member_no = validate_member_no(member_no)
        cleaned = check_override_request(tier=tier, reason=reason, ends_on=ends_on, current=None, today=self._context.today())
        return self._execute(operation_id, REQUEST, {"member_no": member_no, **cleaned.as_payload()}, session)

    def approve(self, *, operation_id: str, session: StaffSession, override_id: int, note: str = "") -> TierOverrideView:
        require(session.role, Permission.TIER_OVERRIDE)
        clean_note(note, required=False)
        return self._execute(operation_id, APPROVE, {"request": self._override_operation(override_id), "note": note or ""}, session)

    def reject(self, *, operation_id: str, session: StaffSession, override_id: int, note: str) -> TierOverrideView:
        require(session.role, Permission.TIER_OVERRIDE)
        clean_note(note, required=True)
        return self._execute(operation_id, REJECT, {"request": self._override_operation(override_id), "note": note}, session)

    def list(self, *, statuses: tuple[str, ...] = (), member_no: str | None = None) -> list[TierOverrideView]:
        with self._context.uow() as uow:
            member_id = None
            if member_no:
                member = or_not_found(uow.members.by_no(validate_member_no(member_no)), "member", member_no)
                member_id = member.id
            return [self._view(uow, row) for row in uow.tier_overrides.search(statuses=statuses, member_id=member_id)]

    def end_due(self, *, as_of: date, actor: Actor | None = None) -> int:
        refuse_local_job(self._context, "tiers review")
        return end_due_overrides(self._context, as_of=as_of, actor=actor)

    def _override_operation(self, override_id: Any) -> str:
        return self._operation_of_request(_tier_overrides, override_id, code="tier_override.id", field="override_id", what="tier override")

    def _execute(self, operation_id: str, kind: str, payload: dict[str, Any], session: StaffSession) -> TierOverrideView:
        return self._run_then_view(operation_id, kind, payload, session.staff_id, _tier_overrides, self._view)

    @staticmethod
    def _view(uow: UnitOfWork, row: TierOverride) -> TierOverrideView:
        member = uow.members.get(row.member_id)
        assert member is not None
        maker = uow.staff.get(row.maker_staff_id)
        decider = uow.staff.get(row.decided_by_staff_id) if row.decided_by_staff_id is not None else None
        return TierOverrideView(
            override_id=row.id, operation_id=row.operation_id, member_no=member.member_no, tier=row.tier, previous_tier=row.previous_tier,
            reason=row.reason, ends_on=row.ends_on, status=row.status, maker_username=maker.username if maker else "?",
            decided_by_username=decider.username if decider else None, created_at=row.created_at, decided_at=row.decided_at,
            decision_note=row.decision_note, member_tier=member.tier,
        )


def _tier_overrides(uow: UnitOfWork) -> Any:
    return uow.tier_overrides
