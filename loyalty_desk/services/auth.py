"""Staff sign-in, desk lock and unlock, sign-out; every one of them goes to the audit trail.

Failed passwords count per account; ``security.max_failed_sign_ins`` failures in a row lock
the account for ``security.lockout_minutes``. A successful sign-in resets the count.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from loyalty_desk.domain.errors import DomainError, ValidationError
from loyalty_desk.domain.rules import RuleSettings
from loyalty_desk.services.audit import Actor, record
from loyalty_desk.services.clock import Clock, utc_now
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.operations import OperationRequest
from loyalty_desk.services.password_change import PASSWORD_CHANGE, password_change_payload
from loyalty_desk.services.passwords import HashProfile, active_profile, hash_password, needs_rehash, verify_password
from loyalty_desk.services.signing import Keyring, UnlockedKey
from loyalty_desk.services.staff_keys import change_password as rewrap_for_new_password
from loyalty_desk.services.staff_keys import rewrap_for, unlock_key
from loyalty_desk.store.models import Staff, StaffCredential
from loyalty_desk.store.uow import UnitOfWork, UowFactory

SettingsProvider = Callable[[], RuleSettings]


def _dummy_hash() -> str:
    """Verifying against a real hash when the user does not exist keeps the answer time alike
    (one per hash profile: the time is that of the profile's hashes)."""
    return _dummy_hash_for(active_profile())


@cache
def _dummy_hash_for(profile: HashProfile) -> str:
    return hash_password("not a password", profile=profile)


class AuthService:
    """``AuthService(uow_factory, settings_provider, clock, desk_name)`` or ``AuthService(service_context)``."""

    def __init__(
        self,
        uow_factory: UowFactory | Any,
        settings_provider: SettingsProvider | None = None,
        clock: Clock | None = None,
        desk_name: str | None = None,
        keyring: Keyring | None = None,
    ) -> None:
        # a service context (the desk's or central's) is recognised by what it offers, not by its class
        context: Any = uow_factory if hasattr(uow_factory, "uow") and hasattr(uow_factory, "settings") else None
        # the signed-in staff's unlocked signing keys: what the desk's operations are signed with
        self.keyring: Keyring = keyring or getattr(context, "keyring", None) or Keyring()
        if context is not None:
            self._uow = context.uow
            self._settings: SettingsProvider = settings_provider or context.settings.current
            self._clock: Clock = clock or context.clock
            self._desk = desk_name or context.desk_name
        else:
            if settings_provider is None:
                raise TypeError("AuthService needs a settings provider")
            self._uow = uow_factory
            self._settings = settings_provider
            self._clock = clock or utc_now
            self._desk = desk_name or "desk"
        self._runner: Any = None  # set on a joined desk: password changes sync (``sync_password_changes``)

    # ------------------------------------------------------------------ public

    def sign_in(self, *, username: str, password: str) -> StaffSession:
        """Checks the password (online or offline alike: the desk holds the verifier) and unlocks the
        person's signing key into the keyring, where the operations they make are signed from."""
        session, key = self.sign_in_to_approve(username=username, password=password)
        self.keyring.put(key)
        return session

    def sign_in_to_approve(self, *, username: str, password: str) -> tuple[StaffSession, UnlockedKey]:
        """A sign-in whose unlocked key is handed back instead of kept: a supervisor approving at
        another person's desk signs that one operation with it (``Keyring.lend``)."""
        with self._uow(write=True) as uow:
            staff, credential = self._authenticate(uow, username, password, action_prefix="auth.sign_in")
            key = unlock_key(uow, credential, password, self._clock())
            session = self._session(uow, staff)
            self._record(uow, session, "auth.sign_in", self._clock())
            uow.commit()
            return session, key

    def lock(self, *, session: StaffSession) -> None:
        self.keyring.drop(session.staff_id)
        with self._uow(write=True) as uow:
            self._record(uow, session, "auth.lock", self._clock())
            uow.commit()

    def unlock(self, *, locked_session: StaffSession, username: str, password: str) -> StaffSession:
        """The same user gets their session back; a supervisor signs the locked user out and gets their own."""
        with self._uow(write=True) as uow:
            staff, credential = self._authenticate(uow, username, password, action_prefix="auth.unlock")
            now = self._clock()
            if staff.id == locked_session.staff_id:
                key = unlock_key(uow, credential, password, now)
                session = self._session(uow, staff)
                self._record(uow, session, "auth.unlock", now)
                uow.commit()
                self.keyring.put(key)
                return session
            if staff.role != "supervisor":
                record(
                    uow,
                    Actor(staff.username, self._desk),
                    "auth.unlock_refused",
                    entity="staff",
                    entity_id=str(locked_session.staff_id),
                    details={"locked_user": locked_session.username, "reason": "not_supervisor"},
                    now=now,
                )
                uow.commit()
                raise DomainError("auth.unlock_not_allowed", username=staff.username, locked_user=locked_session.username)
            key = unlock_key(uow, credential, password, now)
            session = self._session(uow, staff)
            self._record(uow, locked_session, "auth.sign_out", now, forced_by=staff.username)
            self._record(uow, session, "auth.unlock", now, signed_out=locked_session.username)
            uow.commit()
            self.keyring.drop(locked_session.staff_id)
            self.keyring.put(key)
            return session

    def change_password(
        self,
        *,
        old_password: str,
        new_password: str,
        session: StaffSession | None = None,
        username: str | None = None,
    ) -> StaffSession:
        """The user's own password change (forced after an administrator's reset or a new account):
        the current password is checked like a sign-in (failures count towards the lockout), the new
        one must have at least 8 characters with letters and digits and differ from the current one.
        Clears ``must_change_password``; audited ``auth.password_changed``; returns the fresh session."""
        name = session.username if session is not None else (username or "")
        check_new_password(old_password, new_password)
        if self._runner is not None:
            return self._change_password_by_operation(name, old_password, new_password, session)
        with self._uow(write=True) as uow:
            staff, credential = self._authenticate(uow, name, old_password, action_prefix="auth.password_change")
            key = rewrap_for_new_password(uow, credential, old_password, new_password, self._clock())
            staff.must_change_password = False
            changed = self._session(uow, staff)
            self._record(uow, changed, "auth.password_changed", self._clock(), was_required=session.must_change_password if session is not None else None)
            uow.commit()
            self.keyring.put(key)
            return changed

    def sync_password_changes(self, runner: Any) -> None:
        """On a desk joined to central: a password change is the operation ``staff.password_change``
        (``services/password_change.py``) made with ``runner``, so central and the other desks learn it."""
        self._runner = runner

    def _change_password_by_operation(self, name: str, old_password: str, new_password: str, session: StaffSession | None) -> StaffSession:
        operation_id = str(uuid.uuid4())
        with self._uow(write=True) as uow:
            staff, credential = self._authenticate(uow, name, old_password, action_prefix="auth.password_change")
            key = unlock_key(uow, credential, old_password, self._clock())
            payload = password_change_payload(staff.id, rewrap_for(credential, key, new_password), hash_password(new_password))
            staff_id = staff.id
            uow.commit()  # a key carried over from a release without keys was made just now
        self.keyring.put(key)  # the operation is signed with the person's own, unchanged key
        self._runner.execute(OperationRequest(operation_id=operation_id, kind=PASSWORD_CHANGE, payload=payload,
                                              origin=self._desk, staff_id=staff_id))
        with self._uow(write=True) as uow:
            staff = uow.staff.get(staff_id)
            assert staff is not None
            changed = self._session(uow, staff)
            self._record(uow, changed, "auth.password_changed", self._clock(),
                         was_required=session.must_change_password if session is not None else None, operation=operation_id)
            uow.commit()
        return changed

    def sign_out(self, *, session: StaffSession) -> None:
        self.keyring.drop(session.staff_id)
        with self._uow(write=True) as uow:
            self._record(uow, session, "auth.sign_out", self._clock())
            uow.commit()

    # ------------------------------------------------------------------ helpers

    def _authenticate(self, uow: UnitOfWork, username: str, password: str, *, action_prefix: str) -> tuple[Staff, StaffCredential]:
        """The staff row and its credential for good credentials; otherwise counts the failure, audits it, commits and raises."""
        security = self._settings().security
        now = self._clock()
        username = (username or "").strip()
        actor = Actor(username or "?", self._desk)
        staff = uow.staff.by_username(username) if username else None
        credential = uow.staff.credential(staff.id) if staff is not None else None
        if staff is None or credential is None:
            verify_password(_dummy_hash(), password or "")
            record(uow, actor, f"{action_prefix}_failed", details={"reason": "unknown_user" if staff is None else "no_credential_here"}, now=now)
            uow.commit()
            raise DomainError("auth.invalid_credentials")

        actor = Actor(staff.username, self._desk, self._branch_code(uow, staff))
        if staff.locked_until is not None and staff.locked_until > now:
            record(uow, actor, f"{action_prefix}_failed", entity="staff", entity_id=str(staff.id),
                   details={"reason": "locked", "until": staff.locked_until}, now=now)
            uow.commit()
            raise DomainError("auth.locked", until=staff.locked_until)

        if not verify_password(credential.password_hash, password or ""):
            staff.failed_sign_ins = (staff.failed_sign_ins or 0) + 1
            record(uow, actor, f"{action_prefix}_failed", entity="staff", entity_id=str(staff.id),
                   details={"reason": "bad_password", "failures": staff.failed_sign_ins}, now=now)
            if staff.failed_sign_ins >= security.max_failed_sign_ins:
                staff.locked_until = now + timedelta(minutes=security.lockout_minutes)
                staff.failed_sign_ins = 0
                record(uow, actor, "auth.account_locked", entity="staff", entity_id=str(staff.id),
                       details={"until": staff.locked_until, "after_failures": security.max_failed_sign_ins}, now=now)
                uow.commit()
                raise DomainError("auth.locked", until=staff.locked_until)
            uow.commit()
            raise DomainError("auth.invalid_credentials")

        if not staff.active:
            record(uow, actor, f"{action_prefix}_failed", entity="staff", entity_id=str(staff.id),
                   details={"reason": "inactive"}, now=now)
            uow.commit()
            raise DomainError("auth.inactive", username=staff.username)

        staff.failed_sign_ins = 0
        staff.locked_until = None
        if needs_rehash(credential.password_hash):
            credential.password_hash = hash_password(password)
        return staff, credential

    def _branch_code(self, uow: UnitOfWork, staff: Staff) -> str:
        return uow.staff.branch_of(staff).code

    def _session(self, uow: UnitOfWork, staff: Staff) -> StaffSession:
        branch = uow.staff.branch_of(staff)
        return StaffSession(
            staff_id=staff.id,
            username=staff.username,
            display_name=staff.display_name,
            role=staff.role,
            branch_code=branch.code,
            branch_name_zh=branch.name_zh,
            branch_name_en=branch.name_en,
            must_change_password=bool(staff.must_change_password),
        )

    def _record(self, uow: UnitOfWork, session: StaffSession, action: str, now: datetime, **details: Any) -> None:
        """An audit event by the person signed in as ``session``, on their own staff account."""
        actor = Actor(session.username, self._desk, session.branch_code)
        record(uow, actor, action, entity="staff", entity_id=str(session.staff_id), details=details or None, now=now)


PASSWORD_MIN_LENGTH = 8


def check_new_password(old_password: str, new_password: str) -> None:
    """The minimum policy for a password a user chooses: ``auth.password_policy`` (at least
    PASSWORD_MIN_LENGTH characters, letters and digits) or ``auth.password_reused``."""
    new_password = new_password or ""
    if len(new_password) < PASSWORD_MIN_LENGTH or not any(c.isalpha() for c in new_password) or not any(c.isdigit() for c in new_password):
        raise ValidationError("auth.password_policy", field="new_password", minimum=PASSWORD_MIN_LENGTH)
    if new_password == (old_password or ""):
        raise ValidationError("auth.password_reused", field="new_password")
