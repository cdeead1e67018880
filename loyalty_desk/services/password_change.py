"""A password change on a desk joined to central, as an operation that syncs.

The person's own change re-wraps the same signing key under the new password
(``staff_keys.change_password``). On a joined desk that must reach central and, through the change
feed, the other desks where the person may sign in; otherwise they keep the old verifier and
wrapped key. So the change is the operation ``staff.password_change``, signed by the person's own
(unchanged) key, carrying the new verifier and the re-wrapped key. The same handler writes it on
the desk and at central, where it first checks that the signer is the staff member concerned and
that the key is the one central holds (a reset there since would have replaced it).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.operations import Applied, OperationRequest
from loyalty_desk.services.roles import ROLES
from loyalty_desk.services.signing import WrappedKey
from loyalty_desk.store.uow import UnitOfWork

PASSWORD_CHANGE = "staff.password_change"
_KEY_FIELDS = ("key_id", "public_key")
_NEW_FIELDS = ("password_hash", "wrapped_private_key", "kdf_salt", "kdf_params")


def password_change_payload(staff_id: int, rewrapped: WrappedKey, password_hash: str) -> dict[str, Any]:
    """The payload: who, the key they keep (``key_id``, ``public_key``), the new verifier and the
    key re-wrapped under the new password."""
    return {"staff_id": staff_id, **dataclasses.asdict(rewrapped), "password_hash": password_hash}


class PasswordChangeHandler:
    """Payload: ``staff_id``, ``key_id``, ``public_key`` (unchanged), ``password_hash``,
    ``wrapped_private_key``, ``kdf_salt``, ``kdf_params`` (new). Made by the person, whatever their role."""

    kind = PASSWORD_CHANGE
    maker_roles = frozenset(ROLES)

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        payload = request.payload
        staff_id = payload.get("staff_id")
        if not isinstance(staff_id, int) or staff_id != request.staff_id:
            raise DomainError("staff.password_change_not_own", staff_id=staff_id)
        staff = uow.staff.get(staff_id)
        credential = uow.staff.credential(staff_id)
        if staff is None or credential is None:
            raise DomainError("staff.password_change_not_own", staff_id=staff_id)
        if any(payload.get(f) != getattr(credential, f) for f in _KEY_FIELDS):
            raise DomainError("staff.password_change_key", username=staff.username)
        if not all(isinstance(payload.get(f), str) and payload.get(f) for f in _NEW_FIELDS):
            raise DomainError("staff.password_change_key", username=staff.username)
        for field in _NEW_FIELDS:
            setattr(credential, field, payload[field])
        credential.updated_at = now
        staff.must_change_password = False
        return Applied({"staff_id": staff_id, "username": staff.username})


def handlers() -> list[Any]:
    """For the desk runner (``SyncService.attach``) and central's applier (``services.handlers.operation_handlers``)."""
    return [PasswordChangeHandler()]
