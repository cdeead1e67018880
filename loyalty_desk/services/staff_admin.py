"""Staff accounts: administrators create staff, reset passwords and deactivate accounts; a
supervisor unlocks a locked officer of their branch. Every change is audited with before and
after (never a password or its hash)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from loyalty_desk.domain.errors import DomainError, ValidationError, or_not_found
from loyalty_desk.domain.identity import validate_name
from loyalty_desk.services.audit import record
from loyalty_desk.services.context import ServiceContext, refuse_local_staff_change
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.passwords import hash_password
from loyalty_desk.services.roles import ADMIN, OFFICER, ROLES, Permission, require
from loyalty_desk.services.staff_keys import issue_credential, replace_key
from loyalty_desk.store.models import Staff
from loyalty_desk.store.uow import UnitOfWork

USERNAME = re.compile(r"^[a-z][a-z0-9._-]{2,63}$")
PASSWORD_MIN_LENGTH = 8


@dataclass(frozen=True)
class StaffView:
    username: str
    display_name: str
    role: str
    branch_code: str
    active: bool
    locked_until: datetime | None
    must_change_password: bool
    failed_sign_ins: int
    created_at: datetime

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now


def check_password(password: str, field: str = "password") -> str:
    password = password or ""
    if len(password) < PASSWORD_MIN_LENGTH or not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        raise ValidationError("staff.password_weak", field=field, minimum=PASSWORD_MIN_LENGTH)
    return password


def _state(staff: Staff) -> dict[str, Any]:
    return {
        "username": staff.username,
        "display_name": staff.display_name,
        "role": staff.role,
        "branch_id": staff.branch_id,
        "active": bool(staff.active),
        "locked_until": staff.locked_until,
        "must_change_password": bool(staff.must_change_password),
    }


class StaffAdminService:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    @staticmethod
    def _staff(uow: UnitOfWork, username: str) -> Staff:
        return or_not_found(uow.staff.by_username((username or "").strip()), "staff", username)

    def list(self, *, session: StaffSession) -> tuple[StaffView, ...]:
        require(session.role, Permission.STAFF_LIST)
        with self._context.uow() as uow:
            branches = {b.id: b.code for b in uow.reference.branches()}
            return tuple(
                StaffView(s.username, s.display_name, s.role, branches.get(s.branch_id, "?"), bool(s.active), s.locked_until,
                          bool(s.must_change_password), int(s.failed_sign_ins or 0), s.created_at)
                for s in uow.staff.all()
            )

    def branches(self) -> tuple[tuple[str, str, str], ...]:
        """``(code, name_zh, name_en)`` of every branch, for the staff form."""
        with self._context.uow() as uow:
            return tuple((b.code, b.name_zh, b.name_en) for b in uow.reference.branches())

    def create(
        self, *, session: StaffSession, username: str, display_name: str, role: str, branch_code: str, initial_password: str
    ) -> StaffView:
        """A new active account that must change its password at the first sign-in."""
        require(session.role, Permission.STAFF_MANAGE)
        refuse_local_staff_change(self._context, "add")
        username = (username or "").strip().lower()
        if not USERNAME.match(username):
            raise ValidationError("staff.invalid", field="username", value=username, rule="3-64 lower-case letters, digits, . _ -, starting with a letter")
        display_name = validate_name(display_name, "display_name")
        if role not in ROLES:
            raise ValidationError("staff.invalid", field="role", value=role, rule="one of " + ", ".join(ROLES))
        check_password(initial_password, "initial_password")
        now = self._context.clock()
        with self._context.uow(write=True) as uow:
            branch = uow.reference.branch_by_code((branch_code or "").strip().upper())
            if branch is None:
                raise ValidationError("staff.invalid", field="branch_code", value=branch_code, rule="an existing branch code")
            if uow.staff.by_username(username) is not None:
                raise DomainError("staff.exists", username=username)
            staff = uow.staff.add(
                Staff(username=username, display_name=display_name, role=role, branch_id=branch.id,
                      active=True, failed_sign_ins=0, locked_until=None, must_change_password=True, created_at=now)
            )
            issue_credential(uow, staff, initial_password, now)
            record(uow, self._context.actor_of(session), "staff.create", entity="staff", entity_id=username, before=None,
                   after={**_state(staff), "branch_code": branch.code}, now=now)
            view = StaffView(username, display_name, role, branch.code, True, None, True, 0, now)
            uow.commit()
            return view

    def reset_password(self, *, session: StaffSession, username: str, new_password: str) -> None:
        """Sets a temporary password the user must change at the next sign-in; clears a lock."""
        require(session.role, Permission.STAFF_MANAGE)
        refuse_local_staff_change(self._context, "reset-password")
        check_password(new_password, "new_password")
        now = self._context.clock()
        with self._context.uow(write=True) as uow:
            staff = self._staff(uow, username)
            before = _state(staff)
            credential = uow.staff.credential(staff.id)
            if credential is None:
                issue_credential(uow, staff, new_password, now)
            else:
                # the administrator does not know the old password, so the old key cannot be re-wrapped:
                # a new key pair; the old public key stays registered for what it signed before now
                credential.password_hash = hash_password(new_password)
                replace_key(uow, credential, new_password, now)
            staff.must_change_password = True
            staff.failed_sign_ins = 0
            staff.locked_until = None
            record(uow, self._context.actor_of(session), "staff.reset_password", entity="staff", entity_id=staff.username,
                   before=before, after={**_state(staff), "password": "reset"}, now=now)
            uow.commit()

    def deactivate(self, *, session: StaffSession, username: str) -> None:
        require(session.role, Permission.STAFF_MANAGE)
        refuse_local_staff_change(self._context, "deactivate")
        now = self._context.clock()
        with self._context.uow(write=True) as uow:
            staff = self._staff(uow, username)
            if staff.id == session.staff_id:
                raise DomainError("staff.self", action="deactivate")
            before = _state(staff)
            if not staff.active:
                return
            staff.active = False
            staff.deactivated_at = now
            record(uow, self._context.actor_of(session), "staff.deactivate", entity="staff", entity_id=staff.username,
                   before=before, after=_state(staff), now=now)
            uow.commit()

    def unlock(self, *, session: StaffSession, username: str) -> None:
        """Clears a sign-in lock: a supervisor for officers of their own branch, an admin for anyone."""
        require(session.role, Permission.STAFF_UNLOCK)
        now = self._context.clock()
        with self._context.uow(write=True) as uow:
            staff = self._staff(uow, username)
            if session.role != ADMIN:
                branch = uow.staff.branch_of(staff)
                if staff.role != OFFICER or branch.code != session.branch_code:
                    raise DomainError("staff.unlock_scope")
            if staff.locked_until is None or staff.locked_until <= now:
                raise DomainError("staff.not_locked", username=staff.username)
            before = _state(staff)
            staff.locked_until = None
            staff.failed_sign_ins = 0
            record(uow, self._context.actor_of(session), "staff.unlock", entity="staff", entity_id=staff.username,
                   before=before, after=_state(staff), now=now)
            uow.commit()
