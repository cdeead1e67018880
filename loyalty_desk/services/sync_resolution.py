"""Resolving a sync exception: a supervisor's decision on an operation central rejected, as a desk
operation of its own (kind ``sync.resolve``) that is sent to central like any other.

An operation central rejects (balance spent at another branch, stock gone, approver no longer
valid) is reversed at the desk that made it and waits in ``sync_exception`` for a supervisor
(``sync/outcomes.py``). Nothing leaves that list without a decision, and the decision is an operation:

* ``points_owed`` — the member keeps what they got, so the points the rejection gave back are taken
  again now (``Ledger.debit``, soonest-expiring lots first). Refused with ``balance.insufficient``
  (available, requested) when the member's available balance cannot cover it; the supervisor then
  chooses another decision. Central runs the same handler and debits its authoritative balance.
* ``goods_reversed`` — the goods or voucher came back. No points move and no stock moves: the
  rejection already gave the points back, central never took the stock of the redemption it
  rejected, and the desk's rejection undid its own stock movement, so with the goods back on the
  shelf both counts are right. The operation row and its audit event record the decision, here and
  at central.
* ``written_off`` — the bank absorbs the loss. A second supervisor approves: signed in with their own
  credentials at this desk (``SyncService.resolve`` → ``AuthService.sign_in``, cached credentials when
  offline, as adjustment approvals do) and re-checked by this handler on the desk and on central
  (exists, active, supervisor, of the resolver's branch or either of them of head office, never the
  resolver). No points move; the written-off points are in the result and the audit event.

No decision moves stock. When the member keeps the goods (``points_owed``, ``written_off``) the
branch's count is one too high in both places after the rejection; it may also be at zero already
(a "stock gone" rejection), where a movement would break the non-negative stock rule and make the
decision impossible. The decision names the goods (``goods``: reward, quantity, branch) in its
result and audit event, and the branch's count is put right by an administrator's stock adjustment.

Payload: ``rejected_operation_id``, ``resolution``, ``note``, ``member_no`` (or None),
``points`` (what the rejection gave back at the desk), ``reason_code`` (central's reason),
``resolved_by`` (the signed-in supervisor, who is also the operation's staff), ``approved_by``
(the second supervisor, write-off only) and ``goods`` (a rejected redemption's reward, quantity
and branch, or None).

In the operation's transaction the exception row gets ``resolved_at``, ``resolved_by``,
``resolution`` and ``resolution_operation_id``; a second decision on it is ``sync.already_resolved``.
On central, where desks' exceptions do not live, the handler records head office's copy of the
decision in the same table (one per rejected operation). A decision central refuses reopens the
exception at the desk (``reopen_refused_resolution`` in ``sync/compensation.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from loyalty_desk.domain.errors import Conflict, DomainError, Forbidden, NotFound, ValidationError, or_not_found
from loyalty_desk.domain.resolutions import (
    POINTS_OWED,
    WRITTEN_OFF,
    check_approver_named,
    check_goods,
    check_member_no,
    check_operation_id,
    check_points,
    check_resolution,
    check_role,
    check_write_off_approver,
    clean_note,
)
from loyalty_desk.services.adjustments.records import decider_facts
from loyalty_desk.services.audit import Actor, record
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.ledger import Ledger, Posting
from loyalty_desk.services.operations import Applied, OperationHandler, OperationRequest
from loyalty_desk.store.models import Staff
from loyalty_desk.store.uow import UnitOfWork

RESOLVE = "sync.resolve"
POINTS_OWED_RULE = "sync_points_owed"


@dataclass(frozen=True)
class SyncResolution:
    """What a decision did: shown to the supervisor, and what ``SyncService.resolve`` returns."""

    operation_id: str
    rejected_operation_id: str
    resolution: str
    member_no: str | None
    points: int  # what the rejection had given back to the member
    points_debited: int  # points_owed: taken again now
    written_off_points: int  # written_off: what the bank absorbs
    balance_after: int | None  # the member's available balance after it
    resolved_by: str
    approved_by: str | None
    goods: dict[str, Any] | None = None  # a rejected redemption's reward, quantity and branch
    status: str = "posted"
    replayed: bool = False

    @classmethod
    def from_result(cls, result: dict[str, Any], *, status: str = "posted", replayed: bool = False) -> SyncResolution:
        return cls(
            operation_id=str(result["operation_id"]),
            rejected_operation_id=str(result["rejected_operation_id"]),
            resolution=str(result["resolution"]),
            member_no=result.get("member_no"),
            points=int(result.get("points") or 0),
            points_debited=int(result.get("points_debited") or 0),
            written_off_points=int(result.get("written_off_points") or 0),
            balance_after=None if result.get("balance_after") is None else int(result["balance_after"]),
            resolved_by=str(result["resolved_by"]),
            approved_by=result.get("approved_by"),
            goods=result.get("goods"),
            status=status,
            replayed=replayed,
        )


# ---------------------------------------------------------------------------- the handler


def _resolver(uow: UnitOfWork, staff_id: int | None) -> Staff:
    staff = uow.staff.get(staff_id) if staff_id is not None else None
    if staff is None or not staff.active:
        raise Forbidden("sync.resolve_role", role=staff.role if staff is not None else "unknown")
    check_role(staff.role)
    return staff


def _approver(uow: UnitOfWork, resolver: Staff, resolution: str, username: Any) -> Staff | None:
    name = check_approver_named(resolution, username)
    if name is None:
        return None
    approver = or_not_found(uow.staff.by_username(name), "staff", name)
    check_write_off_approver(decider_facts(uow, resolver), decider_facts(uow, approver))
    return approver


class ResolveHandler:
    """Payload: see the module's docstring. The signed-in supervisor is the operation's staff."""

    kind = RESOLVE

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        payload = request.payload
        resolution = check_resolution(payload.get("resolution"))
        note = clean_note(payload.get("note"))
        rejected_id = check_operation_id(payload.get("rejected_operation_id"), "rejected_operation_id")
        points = check_points(payload.get("points"))
        member_no = check_member_no(payload.get("member_no"))
        goods = check_goods(payload.get("goods"))
        resolver = _resolver(uow, request.staff_id)
        if str(payload.get("resolved_by") or "") != resolver.username:
            raise ValidationError("sync.resolved_by", field="resolved_by", value=payload.get("resolved_by"), expected=resolver.username)
        approver = _approver(uow, resolver, resolution, payload.get("approved_by"))
        member = None
        if member_no is not None:
            found = uow.members.by_no(member_no)
            # central may not know a member the rejected operation itself made (a referral registration):
            # a decision that moves no points is still recorded there
            if found is None and (resolution == POINTS_OWED or not uow.is_postgres):
                raise NotFound("member", member_no)
            member = uow.members.lock(found.id) if found is not None else None

        row = uow.sync_exceptions.of_operation(rejected_id)  # read under the member's lock
        if row is not None and row.resolved_at is not None:
            raise Conflict("sync.already_resolved", operation_id=rejected_id, resolution=row.resolution)
        if row is None and not uow.is_postgres:
            raise NotFound("sync_exception", rejected_id)  # a desk decides only on its own exceptions
        if row is not None:
            # the desk: what the exception says must be what the supervisor saw
            expected_member = uow.sync_exceptions.member_no_of(row.member_id)
            if member_no != expected_member:
                raise ValidationError("sync.member_mismatch", field="member_no", value=member_no, expected=expected_member)
            given_back = uow.sync_exceptions.points_given_back(rejected_id)
            if points != given_back:
                raise ValidationError("sync.points_mismatch", field="points", value=points, expected=given_back)
            reason_code = row.reason_code
        else:
            reason_code = str(payload.get("reason_code") or "central.rejected")

        branch = uow.staff.branch_of(resolver)
        entry_id = None
        debited = 0
        if resolution == POINTS_OWED:
            if member is None or points <= 0:
                raise DomainError("sync.nothing_owed", points=points)
            available = int(member.posted_balance) - int(member.held_points)
            if points > available:
                raise DomainError("balance.insufficient", available=max(available, 0), requested=points)
            entry = Ledger(uow, context.rules, now).debit(
                member,
                Posting(
                    entry_uid=f"sync.resolve:{request.operation_id}",
                    kind="adjust",
                    rule=POINTS_OWED_RULE,
                    occurred_on=now.date(),
                    operation_id=request.operation_id,
                    branch_id=branch.id,
                    staff_id=resolver.id,
                    reference=f"SYNC-{rejected_id[:8].upper()}",
                    details={"rejected_operation_id": rejected_id, "reason_code": reason_code, "note": note},
                ),
                points,
            )
            entry_id, debited = entry.id, points

        if row is not None:
            row.resolved_at, row.resolved_by, row.resolution, row.resolution_operation_id = now, resolver.username, resolution, request.operation_id
        else:
            uow.sync_exceptions.record_central_decision(
                operation_id=rejected_id, member_id=member.id if member is not None else None, reason_code=reason_code,
                resolution=resolution, resolved_by=resolver.username, resolution_operation_id=request.operation_id, now=now,
            )
        written_off = points if resolution == WRITTEN_OFF else 0
        balance_after = int(member.posted_balance) - int(member.held_points) if member is not None else None
        result = {
            "operation_id": request.operation_id,
            "rejected_operation_id": rejected_id,
            "resolution": resolution,
            "member_no": member_no,
            "points": points,
            "points_debited": debited,
            "written_off_points": written_off,
            "balance_after": balance_after,
            "resolved_by": resolver.username,
            "approved_by": approver.username if approver is not None else None,
            "resolved_at": now.isoformat(),
            "entry_id": entry_id,
            "goods": goods,
        }
        record(
            uow, Actor(resolver.username, request.origin, branch.code), "sync.exception_resolved",
            entity="operation", entity_id=rejected_id, member_no=member_no,
            after={"resolution": resolution, "balance_after": balance_after},
            details={
                "reason_code": reason_code, "resolution": resolution, "note": note, "operation_id": request.operation_id,
                "points": points, "points_debited": debited, "written_off_points": written_off,
                "approved_by": result["approved_by"], "goods": goods,
            },
            now=now,
        )
        return Applied(result=result, member_id=member.id if member is not None else None)


def handlers() -> list[OperationHandler]:
    """For the desk runner and central's applier (``services.handlers.operation_handlers``)."""
    return [ResolveHandler()]
