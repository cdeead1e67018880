"""The offline redemption limit (rules.md: while the desk is offline, redemptions per member are limited to
20,000 points a day in total).

A desk that cannot reach central cannot confirm the central balance, so what it lets a member
redeem offline is capped; the overspend two offline desks can cause is bounded by it.

One implementation, in two parts:

* the rule, ``loyalty_desk.domain.redemption.offline_limit_block`` (used by ``evaluate_redemption``,
  so the redeem handler refuses and the quote shows the block before the officer confirms);
* the fact it needs, ``offline_points_today`` below: ``None`` unless the request is flagged offline
  on a desk (central judges the balance itself and never applies the desk-side cap), else the
  points the member redeemed today at this desk and not given back (online and offline alike:
  "in total").

The desk's ``OperationRunner`` flags requests made while central is unreachable
(``runner.use_offline_state(sync.is_offline)``). ``enforce_offline_limit`` is the same rule for
handlers that debit outside the reward catalogue (the sync tests' ``test_debit``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.operations import OperationRequest
from loyalty_desk.store.models import LedgerEntry
from loyalty_desk.store.uow import UnitOfWork

OFFLINE_LIMIT_CODE = "redeem.offline_limit"


def redeemed_points(uow: UnitOfWork, member_id: int, day: date) -> int:
    """Points the member redeemed on ``day`` (ledger entries of kind ``redeem``) that were not given back
    (a redemption reversal or a sync rejection restores the entry with ``reverses_entry_id``)."""
    reversal = aliased(LedgerEntry)
    query = select(func.coalesce(func.sum(LedgerEntry.points), 0)).where(
        LedgerEntry.member_id == member_id,
        LedgerEntry.occurred_on == day,
        LedgerEntry.kind == "redeem",
        LedgerEntry.points < 0,
        ~select(reversal.id).where(reversal.reverses_entry_id == LedgerEntry.id).exists(),
    )
    return -int(uow.ledger.session.scalar(query) or 0)


def offline_points_today(uow: UnitOfWork, *, offline: bool, member_id: int, day: date) -> int | None:
    """The fact the offline rule needs; ``None`` when the rule does not apply (online, or on central)."""
    if not offline or uow.is_postgres:
        return None
    return redeemed_points(uow, member_id, day)


def enforce_offline_limit(uow: UnitOfWork, context: ServiceContext, request: OperationRequest, *, member_id: int, points: int) -> None:
    from loyalty_desk.domain.redemption import offline_limit_block

    used = offline_points_today(uow, offline=request.offline, member_id=member_id, day=context.clock().date())
    block = offline_limit_block(used, points, context.rules.redemption.offline_daily_limit_points)
    if block is not None:
        params = dict(block.params)
        raise DomainError(OFFLINE_LIMIT_CODE, **params, left=max(params["limit"] - params["used"], 0))
