"""The member record every feature reads by its member number."""

from __future__ import annotations

from loyalty_desk.domain.errors import NotFound
from loyalty_desk.store.models import Member
from loyalty_desk.store.uow import UnitOfWork


def member_or_fail(uow: UnitOfWork, member_no: str) -> Member:
    member = uow.members.by_no(member_no)
    if member is None:
        raise NotFound("member", member_no)
    return member
