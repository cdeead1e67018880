"""Helpers every part of the referral feature shares: codes, entry ids, staff and the resolve permission."""

from __future__ import annotations

from datetime import date
from typing import Any

from loyalty_desk.domain import referrals as rules
from loyalty_desk.domain.errors import Forbidden
from loyalty_desk.services.roles import Permission, allowed, require
from loyalty_desk.store.models import Referral
from loyalty_desk.store.uow import UnitOfWork

RESOLVE_ROLES = frozenset({"supervisor"})


def _resolve_permission() -> Permission | None:
    """``referral.resolve`` when roles.py knows it; otherwise the supervisor role is checked directly."""
    try:
        return Permission("referral.resolve")
    except ValueError:
        return None


def require_resolve(role: str) -> None:
    permission = _resolve_permission()
    if permission is not None:
        require(role, permission)
    elif role not in RESOLVE_ROLES:
        raise Forbidden("auth.forbidden", role=role, action="resolve flagged referrals", permission="referral.resolve")


def may_resolve(role: str) -> bool:
    permission = _resolve_permission()
    return allowed(role, permission) if permission is not None else role in RESOLVE_ROLES


def year_bounds(day: date) -> tuple[date, date]:
    return date(day.year, 1, 1), date(day.year, 12, 31)


def serial_of(member_no: str) -> int:
    return int(member_no[1:-1])


def referral_code_for(member_no: str) -> str:
    """The referral code a member number gets (a bijection of its serial)."""
    return rules.make_referral_code(serial_of(member_no))


def entry_uid(referral: Referral, role: str) -> str:
    return f"referral:{referral.operation_id}:{role}"


def referral_state(referral: Referral) -> dict[str, Any]:
    return {
        "status": referral.status,
        "qualifying_event": referral.qualifying_event,
        "qualifying_on": referral.qualifying_on,
        "rewards_pending_until": referral.rewards_pending_until,
    }


def member_no_of(uow: UnitOfWork, member_id: int | None) -> str | None:
    if member_id is None:
        return None
    member = uow.members.get(member_id)
    return member.member_no if member else None
