"""Compensation: a rejected operation's provisional postings reversed here — a debit given back to the
very lots (``Ledger.restore``), a credit taken back out of the very lots it credited
(``reverse_credit``, which may have to wait), its stock movements undone by opposite ones — and a
refused decision on an exception reopening that exception."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.services.audit import Actor, record
from loyalty_desk.services.ledger import Ledger, Posting
from loyalty_desk.services.sync_resolution import RESOLVE
from loyalty_desk.store.models import LedgerEntry, Operation, RewardStock, RewardStockMovement, SyncException
from loyalty_desk.store.uow import UnitOfWork
from loyalty_desk.sync.provisional_ids import PROVISIONAL_BASE

COMPENSATION_PREFIX = "sync-reversal:"  # entry_uid of a rejected operation's compensating entries


class CompensationWaits(Exception):
    """A rejected credit cannot be taken back yet: its points are spent (see ``_reverse_credit``)."""


def reverse_credit(session: Session, ledger: Ledger, member: Any, posting: Posting, entry: LedgerEntry) -> None:
    """A rejected operation's credit leaves the very lots it credited (``Ledger.reverse_credit``).

    When this desk's own operations that central has not settled yet (provisional entries of
    operations not rejected: waiting, or accepted but not pulled) took points from those lots, the
    compensation waits: once central decides them, a rejection gives the points back to those lots
    and an acceptance is replaced by central's copy (which never touched a lot central never had),
    so the lots are whole again and the credit leaves them exactly. Taking from other lots
    meanwhile would leave this replica's lots different from central's for good. The same when the
    member's lots hold less than the credit (``ledger.credit_spent``): the ledger never goes
    below zero, so the rejection waits (``CompensationWaits``) and is retried each round.
    """
    spent = session.execute(
        text(
            "SELECT COALESCE(-SUM(m.points), 0) FROM lot_movement m "
            "JOIN ledger_entry e ON e.id = m.entry_id JOIN outbox o ON o.operation_id = e.operation_id "
            "WHERE m.points < 0 AND e.id >= :base AND e.operation_id <> :operation_id AND o.outcome IS NOT 'rejected' "
            "AND m.lot_id IN (SELECT id FROM lot WHERE entry_id = :entry_id UNION SELECT lot_id FROM lot_movement WHERE entry_id = :entry_id AND points > 0)"
        ),
        {"base": PROVISIONAL_BASE, "operation_id": entry.operation_id, "entry_id": entry.id},
    ).scalar()
    if spent:
        raise CompensationWaits(f"{spent} of the {entry.points} points it credited are spent by operations central has not settled yet")
    try:
        ledger.reverse_credit(member, posting, entry)
    except DomainError as error:
        if error.code != "ledger.credit_spent":
            raise
        raise CompensationWaits(f"the member's lots hold {error.params['available']} of the {entry.points} points it credited") from error


def compensate_stock(session: Session, operation_id: str, now: datetime) -> None:
    """A rejected operation's stock movements are undone by opposite movements (append-only) and the
    on-hand projection follows, never below zero (central's next value for the row settles it)."""
    moved = session.execute(
        select(RewardStockMovement.branch_id, RewardStockMovement.reward_id, RewardStockMovement.change).where(
            RewardStockMovement.operation_id == operation_id, RewardStockMovement.id >= PROVISIONAL_BASE
        )
    ).all()
    for branch_id, reward_id, change in moved:
        session.add(RewardStockMovement(reward_id=reward_id, branch_id=branch_id, change=-change, reason="reversed", operation_id=operation_id, at=now))
        session.execute(
            update(RewardStock)
            .where(RewardStock.branch_id == branch_id, RewardStock.reward_id == reward_id)
            .values(on_hand=func.max(0, RewardStock.on_hand - change))
        )
    session.flush()


def reopen_refused_resolution(
    uow: UnitOfWork, operation: Operation, code: str, params: dict[str, Any] | None, now: datetime, actor: Actor,
) -> SyncException | None:
    """Desk, inside the rejection's transaction: when the rejected operation is a decision on an exception
    (kind ``sync.resolve``), the exception it resolved is open again, with head office's reason beside the
    original one, and an audit event says so. Returns None for any other operation (or when no exception
    names it), and the caller queues the rejection as an exception of its own."""
    if operation.kind != RESOLVE:
        return None
    row = uow.sync_exceptions.resolved_by(operation.id)
    if row is None:
        return None
    refused = {"resolution": row.resolution, "operation_id": operation.id, "reason_code": code, "params": dict(params or {})}
    row.params = {**dict(row.params or {}), "refused_resolution": refused}
    row.resolved_at = row.resolved_by = row.resolution = row.resolution_operation_id = None
    uow.flush()
    record(
        uow, actor, "sync.exception_reopened", entity="operation", entity_id=row.operation_id,
        member_no=uow.sync_exceptions.member_no_of(row.member_id),
        details={"reason_code": row.reason_code, "refused_resolution": refused["resolution"], "resolution_operation_id": operation.id,
                 "refusal_code": code, "refusal_params": dict(params or {})},
        now=now,
    )
    return row
