"""The ``sync_exception`` rows as the resolution operation (``services/sync_resolution.py``) and the
desk's rejection path (``sync/desk.py``) need them.

On a desk, a row is an operation central rejected: reversed here (compensating entries with rule
``sync.rejected``), waiting for a supervisor's decision. The decision is a desk operation of its own
(kind ``sync.resolve``); it marks the row resolved in its own transaction.

On central, the same table keeps head office's copy of each decision: the resolution handler adds
one row per rejected operation it applies a decision for (its unique ``operation_id`` is what
refuses a second decision on the same rejected operation there).

A decision central refuses in turn (``reopen_refused_resolution``) does not become an exception of
its own: its postings are reversed like any rejected operation's, and the exception it was meant to
close is open again, with head office's reason, for the supervisor to decide anew.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from loyalty_desk.services.audit import Actor, record
from loyalty_desk.store.models import LedgerEntry, Member, Operation, SyncException
from loyalty_desk.store.uow import UnitOfWork

RESOLVE_KIND = "sync.resolve"
COMPENSATION_RULE = "sync.rejected"  # the rule of the entries that reverse a rejected operation (desk.py)


def exception_of(uow: UnitOfWork, operation_id: str) -> SyncException | None:
    """The exception of a rejected operation (on central: head office's record of its decision)."""
    return uow.ledger.session.scalar(select(SyncException).where(SyncException.operation_id == operation_id))


def exception_by_id(uow: UnitOfWork, exception_id: int) -> SyncException | None:
    return uow.ledger.session.get(SyncException, exception_id)


def points_given_back(uow: UnitOfWork, operation_id: str) -> int:
    """What the rejection of ``operation_id`` gave back to the member here: the sum of its compensating
    entries (positive for a redemption or a debit, negative for a credit it took away, 0 when it had
    posted nothing)."""
    total = uow.ledger.session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.points), 0)).where(
            LedgerEntry.operation_id == operation_id, LedgerEntry.rule == COMPENSATION_RULE
        )
    )
    return int(total or 0)


def given_back_by_operation(uow: UnitOfWork, operation_ids: list[str]) -> dict[str, int]:
    """``points_given_back`` for many operations in one query."""
    if not operation_ids:
        return {}
    rows = uow.ledger.session.execute(
        select(LedgerEntry.operation_id, func.sum(LedgerEntry.points))
        .where(LedgerEntry.operation_id.in_(operation_ids), LedgerEntry.rule == COMPENSATION_RULE)
        .group_by(LedgerEntry.operation_id)
    ).all()
    return {str(op): int(points or 0) for op, points in rows}


def member_no_of(uow: UnitOfWork, member_id: int | None) -> str | None:
    if member_id is None:
        return None
    member = uow.ledger.session.get(Member, member_id)
    return member.member_no if member is not None else None


def record_central_decision(
    uow: UnitOfWork, *, operation_id: str, member_id: int | None, reason_code: str, resolution: str, resolved_by: str,
    resolution_operation_id: str, now: datetime,
) -> SyncException:
    """Central: head office's record of a decision on a rejected operation (flushed at once, so a second
    decision racing for the same operation fails inside its own operation)."""
    row = SyncException(
        operation_id=operation_id, member_id=member_id, reason_code=reason_code or "central.rejected", params={},
        created_at=now, resolved_at=now, resolved_by=resolved_by, resolution=resolution, resolution_operation_id=resolution_operation_id,
    )
    uow.ledger.session.add(row)
    uow.flush()
    return row


def reopen_refused_resolution(
    uow: UnitOfWork, operation: Operation, code: str, params: dict[str, Any] | None, now: datetime, actor: Actor,
) -> SyncException | None:
    """Desk, inside the rejection's transaction: when the rejected operation is a decision on an exception
    (kind ``sync.resolve``), the exception it resolved is open again, with head office's reason beside the
    original one, and an audit event says so. Returns None for any other operation (or when no exception
    names it), and the caller queues the rejection as an exception of its own."""
    if operation.kind != RESOLVE_KIND:
        return None
    row = uow.ledger.session.scalar(select(SyncException).where(SyncException.resolution_operation_id == operation.id))
    if row is None:
        return None
    refused = {"resolution": row.resolution, "operation_id": operation.id, "reason_code": code, "params": dict(params or {})}
    row.params = {**dict(row.params or {}), "refused_resolution": refused}
    row.resolved_at = row.resolved_by = row.resolution = row.resolution_operation_id = None
    uow.flush()
    record(
        uow, actor, "sync.exception_reopened", entity="operation", entity_id=row.operation_id,
        member_no=member_no_of(uow, row.member_id),
        details={"reason_code": row.reason_code, "refused_resolution": refused["resolution"], "resolution_operation_id": operation.id,
                 "refusal_code": code, "refusal_params": dict(params or {})},
        now=now,
    )
    return row
