"""Adjustment requests and their approvals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, exists, func, literal, or_, select

from loyalty_desk.domain.adjustments import POSTING_UID_PREFIX, Status
from loyalty_desk.store.models import AdjustmentApproval, AdjustmentRequest, LedgerEntry, Member, Staff
from loyalty_desk.store.repositories.base import Repository, where_given


def _pending_here() -> ColumnElement[bool]:
    """Pending, and not approved here by an approval central has not confirmed yet: its posting is
    here while central's copy of the request (pending there until the approval arrives) says pending."""
    posted = exists().where(LedgerEntry.entry_uid == literal(POSTING_UID_PREFIX) + AdjustmentRequest.operation_id)
    return (AdjustmentRequest.status == Status.PENDING.value) & ~posted


class AdjustmentRepository(Repository):
    def add(self, request: AdjustmentRequest) -> AdjustmentRequest:
        return self._added(request)

    def get(self, request_id: int, *, fresh: bool = False) -> AdjustmentRequest | None:
        return self._by_id(AdjustmentRequest, request_id, fresh=fresh)

    def by_operation(self, operation_id: str) -> AdjustmentRequest | None:
        return self._by_operation(AdjustmentRequest, operation_id)

    def add_approval(self, approval: AdjustmentApproval) -> AdjustmentApproval:
        return self._added(approval)

    def approval_by_operation(self, operation_id: str) -> AdjustmentApproval | None:
        return self._by_operation(AdjustmentApproval, operation_id)

    def remove_approval(self, approval: AdjustmentApproval) -> None:
        self.session.delete(approval)

    def remove(self, request: AdjustmentRequest) -> None:
        """The request and its decisions (a request central refused, which no desk will ever see)."""
        for approval in self.approvals(request.id):
            self.session.delete(approval)
        self.session.flush()
        self.session.delete(request)

    def approvals(self, request_id: int) -> list[AdjustmentApproval]:
        query = select(AdjustmentApproval).where(AdjustmentApproval.request_id == request_id).order_by(AdjustmentApproval.id)
        return list(self.session.scalars(query.execution_options(populate_existing=True)))

    def approvals_for(self, request_ids: Sequence[int]) -> dict[int, list[AdjustmentApproval]]:
        return self._by_parent(AdjustmentApproval, "request_id", request_ids)

    def search(
        self,
        *,
        statuses: Sequence[str] = (),
        branch_id: int | None = None,
        member_id: int | None = None,
        maker_staff_id: int | None = None,
        reason_code: str | None = None,
        limit: int = 500,
    ) -> list[AdjustmentRequest]:
        query = where_given(select(AdjustmentRequest), branch_id=branch_id, member_id=member_id, maker_staff_id=maker_staff_id,
                            reason_code=reason_code)
        if statuses:
            others = [status for status in statuses if status != Status.PENDING.value]
            wanted = [AdjustmentRequest.status.in_(others)] if others else []
            query = query.where(or_(*wanted, _pending_here()) if Status.PENDING.value in statuses else wanted[0])
        return list(self.session.scalars(query.order_by(AdjustmentRequest.created_at, AdjustmentRequest.id).limit(limit)))

    def decided_for_maker(self, maker_staff_id: int, *, statuses: Sequence[str], since: datetime, limit: int) -> list[AdjustmentRequest]:
        """A maker's requests decided at or after ``since``, the latest decision first."""
        query = (
            select(AdjustmentRequest)
            .where(
                AdjustmentRequest.maker_staff_id == maker_staff_id,
                AdjustmentRequest.status.in_(list(statuses)),
                AdjustmentRequest.decided_at >= since,
            )
            .order_by(AdjustmentRequest.decided_at.desc(), AdjustmentRequest.id.desc())
            .limit(limit)
        )
        return list(self.session.scalars(query))

    def count_pending(self, *, branch_id: int | None = None) -> int:
        query = select(func.count()).select_from(AdjustmentRequest).where(_pending_here())
        if branch_id is not None:
            query = query.where(AdjustmentRequest.branch_id == branch_id)
        return int(self.session.scalar(query) or 0)

    def due_for_expiry(self, now: datetime) -> list[tuple[int, int]]:
        """``(request_id, member_id)`` of pending requests past their time, oldest first."""
        query = (
            select(AdjustmentRequest.id, AdjustmentRequest.member_id)
            .where(AdjustmentRequest.status == "pending", AdjustmentRequest.expires_at <= now)
            .order_by(AdjustmentRequest.expires_at, AdjustmentRequest.id)
        )
        return [(request_id, member_id) for request_id, member_id in self.session.execute(query)]

    def held_by_pending_debits(self, member_id: int) -> int:
        query = select(func.coalesce(func.sum(AdjustmentRequest.points), 0)).where(
            AdjustmentRequest.member_id == member_id, AdjustmentRequest.status == "pending", AdjustmentRequest.direction == "debit"
        )
        return int(self.session.scalar(query) or 0)

    # names for the queue
    def members_by_ids(self, member_ids: Sequence[int]) -> dict[int, Member]:
        ids = list(set(member_ids))
        if not ids:
            return {}
        return {m.id: m for m in self.session.scalars(select(Member).where(Member.id.in_(ids)))}

    def staff_by_ids(self, staff_ids: Sequence[int]) -> dict[int, Staff]:
        ids = list(set(staff_ids))
        if not ids:
            return {}
        return {s.id: s for s in self.session.scalars(select(Staff).where(Staff.id.in_(ids)))}
