"""A staff member's credential rows: the password verifier, the wrapped signing key and the key's
history (``staff_credential``, ``staff_key``), kept in step by the few places that change them:
account creation, sign-in, the user's password change and an administrator's reset."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime

from loyalty_desk.services.passwords import hash_password
from loyalty_desk.services.signing import DEFAULT_KDF, KdfParams, UnlockedKey, WrappedKey, new_unlocked_key, rewrap, unwrap
from loyalty_desk.store.models import Staff, StaffCredential, StaffKey
from loyalty_desk.store.uow import UnitOfWork

_WRAPPED_FIELDS = tuple(f.name for f in fields(WrappedKey))  # the credential's columns of the same names


def stored_key(credential: StaffCredential) -> WrappedKey | None:
    values = {name: getattr(credential, name) for name in _WRAPPED_FIELDS}
    return WrappedKey(**values) if all(values.values()) else None


def _store(credential: StaffCredential, wrapped: WrappedKey) -> None:
    for name in _WRAPPED_FIELDS:
        setattr(credential, name, getattr(wrapped, name))


def issue_credential(
    uow: UnitOfWork, staff: Staff, password: str, now: datetime, *, password_hash: str | None = None, kdf: KdfParams = DEFAULT_KDF
) -> StaffCredential:
    """A new account's credential: the password verifier and a first key pair (registered in ``staff_key``)."""
    credential = uow.staff.add_credential(
        StaffCredential(staff_id=staff.id, password_hash=password_hash or hash_password(password), key_version=0, updated_at=now)
    )
    replace_key(uow, credential, password, now, kdf=kdf)
    return credential


def replace_key(uow: UnitOfWork, credential: StaffCredential, password: str, now: datetime, *, kdf: KdfParams = DEFAULT_KDF) -> UnlockedKey:
    """A new key pair (an administrator's reset, or a credential that had none): the old public key
    stays registered, valid until now, so what was signed with it still verifies."""
    for key in uow.staff.keys(credential.staff_id):
        if key.valid_until is None:
            key.valid_until = now
    wrapped, unlocked = new_unlocked_key(credential.staff_id, password, kdf)
    credential.key_version = (credential.key_version or 0) + 1
    credential.key_valid_from = now
    credential.updated_at = now
    _store(credential, wrapped)
    uow.staff.add_key(StaffKey(key_id=wrapped.key_id, staff_id=credential.staff_id, version=credential.key_version,
                               public_key=wrapped.public_key, valid_from=now, valid_until=None))
    return unlocked


def unlock_key(uow: UnitOfWork, credential: StaffCredential, password: str, now: datetime) -> UnlockedKey:
    """The private key, opened with the password just checked; a credential carried over from a
    release without keys gets its first key pair here (the only moment the password is at hand)."""
    wrapped = stored_key(credential)
    if wrapped is None:
        return replace_key(uow, credential, password, now)
    return unwrap(credential.staff_id, wrapped, password)


def rewrap_for(credential: StaffCredential, unlocked: UnlockedKey, new_password: str) -> WrappedKey:
    """The credential's key re-wrapped under a new password, with the key derivation it was stored with."""
    return rewrap(unlocked, new_password, KdfParams.parse(credential.kdf_params or DEFAULT_KDF.text()))


def change_password(uow: UnitOfWork, credential: StaffCredential, old_password: str, new_password: str, now: datetime) -> UnlockedKey:
    """The user's own change: the same key, re-wrapped under the new password."""
    unlocked = unlock_key(uow, credential, old_password, now)
    _store(credential, rewrap_for(credential, unlocked, new_password))
    credential.password_hash = hash_password(new_password)
    credential.updated_at = now
    return unlocked
