"""The offline redemption limit (rules.md: while the desk is offline, redemptions per member are limited to
20,000 points a day in total).

A desk that cannot reach central cannot confirm the central balance, so what it lets a member
redeem offline is capped; the overspend two offline desks can cause is bounded by it.

One rule, ``offline_limit_block`` (``domain/redemption.py``, used by ``evaluate_redemption`` so the
redeem handler refuses and the quote shows the block before the officer confirms), fed by one fact:
the points the member redeemed today at this desk and not given back, online and offline alike
("in total"), or ``None`` when the rule does not apply (online, or on central, which judges the
balance itself) — ``RedemptionRepository.offline_points_today``. The desk's ``OperationRunner``
flags requests made while central is unreachable (``runner.use_offline_state(sync.is_offline)``).

``enforce_offline_limit`` is the same rule for handlers that debit outside the reward catalogue.
"""

from __future__ import annotations

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.domain.redemption import offline_limit_block

OFFLINE_LIMIT_CODE = "redeem.offline_limit"


def enforce_offline_limit(used_today: int | None, points: int, limit: int) -> None:
    """Raises ``redeem.offline_limit`` when ``points`` more would take the member over ``limit`` today
    (``used_today`` is ``None`` when the rule does not apply)."""
    block = offline_limit_block(used_today, points, limit)
    if block is not None:
        params = dict(block.params)
        raise DomainError(OFFLINE_LIMIT_CODE, **params, left=max(params["limit"] - params["used"], 0))
