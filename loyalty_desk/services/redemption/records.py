"""Lookups and role checks the redemption handlers and service share."""

from __future__ import annotations

from typing import Any

from loyalty_desk.domain.errors import Forbidden, ValidationError, or_not_found
from loyalty_desk.store.models import Branch, Staff
from loyalty_desk.store.models import Reward as RewardRow
from loyalty_desk.store.uow import UnitOfWork

REDEEM_ROLES = frozenset({"officer", "supervisor"})


REVERSE_ROLES = frozenset({"supervisor"})


ADMIN_ROLES = frozenset({"admin"})


REASON_MAX = 200


def require_role(role: str, allowed: frozenset[str], action: str) -> None:
    if role not in allowed:
        raise Forbidden("auth.forbidden", role=role, action=action)


def branch_or_fail(uow: UnitOfWork, code: str) -> Branch:
    return or_not_found(uow.reference.branch_by_code(code), "branch", code)


def reward_or_fail(uow: UnitOfWork, code: str) -> RewardRow:
    return or_not_found(uow.redemption.reward_by_code(code), "reward", code)


def staff_or_fail(uow: UnitOfWork, staff_id: int | None, allowed: frozenset[str], action: str) -> Staff:
    """The operation's staff member: active, and in one of the ``allowed`` roles for ``action``."""
    staff = uow.staff.get(staff_id) if staff_id is not None else None
    if staff is None or not staff.active:
        raise Forbidden("auth.forbidden", role="unknown", action="operate")
    require_role(staff.role, allowed, action)
    return staff


def clean_reason(text: Any) -> str:
    reason = " ".join(str(text or "").split())
    if not reason:
        raise ValidationError("redeem.reason_required", field="reason")
    if len(reason) > REASON_MAX:
        raise ValidationError("identity.length_range", field="reason", minimum=1, maximum=REASON_MAX, actual=len(reason))
    return reason
