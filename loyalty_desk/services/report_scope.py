"""Which branch a head-office report covers for the person asking: head office and auditors any
branch or all of them; anyone else their own branch only (asking for another is refused)."""

from __future__ import annotations

from loyalty_desk.domain.errors import Forbidden, or_not_found
from loyalty_desk.services.dto import BranchName, StaffSession
from loyalty_desk.services.roles import Permission
from loyalty_desk.store.uow import UnitOfWork


def may_choose_branch(uow: UnitOfWork, session: StaffSession) -> bool:
    """Head office and auditors see any branch or all of them; anyone else their own branch only."""
    own = uow.reference.branch_by_code(session.branch_code)
    return bool(own and own.is_head_office) or session.role == "auditor"


def branch_choices(uow: UnitOfWork, session: StaffSession, may_choose: bool) -> tuple[BranchName, ...]:
    """The branches the person may pick, by code: every one when they may choose, else their own."""
    return tuple(
        BranchName(b.code, b.name_zh, b.name_en)
        for b in sorted(uow.reference.branches(), key=lambda b: b.code)
        if may_choose or b.code == session.branch_code
    )


def report_branch(uow: UnitOfWork, session: StaffSession, branch_code: str | None, *, permission: Permission,
                  action: str) -> tuple[str | None, int | None]:
    """(branch code, branch id) the report covers; (None, None) for every branch. ``action`` names
    the refusal ("see another branch's liability")."""
    branch_code = (branch_code or "").strip().upper() or None
    if not may_choose_branch(uow, session):
        if branch_code not in (None, session.branch_code):
            raise Forbidden("auth.forbidden", role=session.role, action=action, permission=permission.value)
        branch_code = session.branch_code
    if branch_code is None:
        return None, None
    found = or_not_found(uow.reference.branch_by_code(branch_code), "branch", branch_code)
    return branch_code, found.id
