"""The ``sync_exception`` rows, as the decision on a rejected operation (``services/sync_resolution.py``),
the sync screen's queue (``sync/service.py``) and the desk's rejection path need them.

On a desk, a row is an operation central rejected: reversed here (compensating entries with rule
``sync.rejected``), waiting for a supervisor's decision. The decision is a desk operation of its own
(kind ``sync.resolve``); it marks the row resolved in its own transaction.

On central, the same table keeps head office's copy of each decision: the resolution handler adds
one row per rejected operation it applies a decision for (its unique ``operation_id`` is what
refuses a second decision on the same rejected operation there).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from loyalty_desk.store.models import LedgerEntry, Member, SyncException
from loyalty_desk.store.repositories.base import Repository

COMPENSATION_RULE = "sync.rejected"  # the rule of the entries that reverse a rejected operation


class SyncExceptionRepository(Repository):

    def of_operation(self, operation_id: str) -> SyncException | None:
        """The exception of a rejected operation (on central: head office's record of its decision)."""
        return self._by_operation(SyncException, operation_id)

    def by_id(self, exception_id: int) -> SyncException | None:
        return self.session.get(SyncException, exception_id)

    def resolved_by(self, resolution_operation_id: str) -> SyncException | None:
        """The exception a decision (a ``sync.resolve`` operation) resolved."""
        return self.session.scalar(select(SyncException).where(SyncException.resolution_operation_id == resolution_operation_id))

    def points_given_back(self, operation_id: str) -> int:
        """What the rejection of ``operation_id`` gave back to the member here: the sum of its compensating
        entries (positive for a redemption or a debit, negative for a credit it took away, 0 when it had
        posted nothing)."""
        total = self.session.scalar(
            select(func.coalesce(func.sum(LedgerEntry.points), 0)).where(
                LedgerEntry.operation_id == operation_id, LedgerEntry.rule == COMPENSATION_RULE
            )
        )
        return int(total or 0)

    def given_back_by_operation(self, operation_ids: list[str]) -> dict[str, int]:
        """``points_given_back`` for many operations in one query."""
        if not operation_ids:
            return {}
        rows = self.session.execute(
            select(LedgerEntry.operation_id, func.sum(LedgerEntry.points))
            .where(LedgerEntry.operation_id.in_(operation_ids), LedgerEntry.rule == COMPENSATION_RULE)
            .group_by(LedgerEntry.operation_id)
        ).all()
        return {str(op): int(points or 0) for op, points in rows}

    def member_no_of(self, member_id: int | None) -> str | None:
        if member_id is None:
            return None
        member = self.session.get(Member, member_id)
        return member.member_no if member is not None else None

    def record_central_decision(
        self, *, operation_id: str, member_id: int | None, reason_code: str, resolution: str, resolved_by: str,
        resolution_operation_id: str, now: datetime,
    ) -> SyncException:
        """Central: head office's record of a decision on a rejected operation, flushed at once so that a
        second decision racing for the same operation fails inside its own operation (in the applier's
        batch, which gives it its id without a flush, the unique index refuses it when the batch is
        written and the batch runs again an operation at a time)."""
        row = SyncException(
            operation_id=operation_id, member_id=member_id, reason_code=reason_code or "central.rejected", params={},
            created_at=now, resolved_at=now, resolved_by=resolved_by, resolution=resolution,
            resolution_operation_id=resolution_operation_id,
        )
        return self._added(row)
