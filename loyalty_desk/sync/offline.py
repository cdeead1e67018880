"""The offline redemption limit (rules.md: 20,000 points per member per day while the desk is offline).

A desk that cannot reach central cannot confirm the central balance, so what it lets a member
redeem offline is capped; the overspend two offline desks can cause is bounded by it.

Redemption handlers call ``enforce_offline_limit(uow, context, request, member_id=..., points=...)``
before posting. It only acts on a desk (SQLite) for a request flagged ``offline=True``; central
judges the balance itself and never applies the desk-side cap.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.operations import OperationRequest
from loyalty_desk.store.models import LedgerEntry, Operation
from loyalty_desk.store.uow import UnitOfWork

OFFLINE_LIMIT_CODE = "redeem.offline_limit"


def offline_redeemed_points(uow: UnitOfWork, member_id: int, day: date) -> int:
    """Points the member redeemed (net of what was given back) in operations made offline on ``day``."""
    query = (
        select(func.coalesce(func.sum(LedgerEntry.points), 0))
        .join(Operation, Operation.id == LedgerEntry.operation_id)
        .where(LedgerEntry.member_id == member_id, LedgerEntry.occurred_on == day, Operation.offline.is_(True), LedgerEntry.points < 0)
    )
    return -int(uow.ledger.session.scalar(query) or 0)


def enforce_offline_limit(uow: UnitOfWork, context: ServiceContext, request: OperationRequest, *, member_id: int, points: int) -> None:
    if not request.offline or uow.is_postgres:
        return
    limit = context.rules.redemption.offline_daily_limit_points
    used = offline_redeemed_points(uow, member_id, context.today())
    if used + points > limit:
        raise DomainError(OFFLINE_LIMIT_CODE, limit=limit, used=used, requested=points, left=max(limit - used, 0))
