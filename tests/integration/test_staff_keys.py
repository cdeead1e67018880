"""Signing keys through the services: made with the account, unlocked at sign-in (the desk holds the
wrapped key, so offline sign-in signs too), re-wrapped by the user's password change, replaced by an
administrator's reset with the old public key kept for what it signed, and never stored in clear."""

from __future__ import annotations

import base64
import uuid
from datetime import date

import pytest
from factories import DEFAULT_PASSWORD, add_branch, add_member, add_staff, open_store, post_earning

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.domain.signatures import MAKER, SigningMessage
from loyalty_desk.services.adjustments.service import AdjustmentService
from loyalty_desk.services.auth import AuthService
from loyalty_desk.services.handlers import operation_runner
from loyalty_desk.services.signing import Keyring, verify
from loyalty_desk.services.staff_admin import StaffAdminService
from loyalty_desk.store.models import Operation, StaffKey


@pytest.fixture
def store(tmp_path):
    store = open_store(tmp_path / "store")
    add_branch(store.context, code="BJ01")
    add_staff(store.context, username="admin1", role="admin")
    yield store
    store.close()


def _credential(store, username):
    with store.context.uow() as uow:
        staff = uow.staff.by_username(username)
        credential = uow.staff.credential(staff.id)
        keys = [(k.version, k.key_id, k.valid_until is None) for k in uow.staff.keys(staff.id)]
        return staff.id, credential.key_id, credential.wrapped_private_key, keys


def _new_account(store, username="clerk1", password="First-pass-1"):
    admin = AuthService(store.context).sign_in(username="admin1", password=DEFAULT_PASSWORD)
    StaffAdminService(store.context).create(session=admin, username=username, display_name="Clerk", role="officer", branch_code="BJ01",
                                             initial_password=password)
    return admin


def test_a_new_account_has_a_key_pair_its_password_unlocks_at_sign_in(store) -> None:
    _new_account(store)
    staff_id, key_id, wrapped, keys = _credential(store, "clerk1")
    assert keys == [(1, key_id, True)]
    assert len(base64.b64decode(wrapped)) == 12 + 32 + 16  # nonce, the sealed 32-byte key, the tag: never the key itself
    keyring = Keyring()
    AuthService(store.context, keyring=keyring).sign_in(username="clerk1", password="First-pass-1")
    assert keyring.get(staff_id).key_id == key_id


def test_the_password_change_rewraps_the_same_key_and_a_reset_replaces_it(store) -> None:
    admin = _new_account(store)
    staff_id, key_id, wrapped, _ = _credential(store, "clerk1")
    auth = AuthService(store.context, keyring=Keyring())
    auth.change_password(username="clerk1", old_password="First-pass-1", new_password="Second-pass-2")
    _, same_key, rewrapped, keys = _credential(store, "clerk1")
    assert same_key == key_id and rewrapped != wrapped and keys == [(1, key_id, True)]
    assert auth.keyring.get(staff_id).key_id == key_id

    StaffAdminService(store.context).reset_password(session=admin, username="clerk1", new_password="Temporary-3")
    _, new_key_id, _, keys = _credential(store, "clerk1")
    assert new_key_id != key_id
    assert keys == [(1, key_id, False), (2, new_key_id, True)]  # the old public key kept, closed at the reset
    keyring = Keyring()
    AuthService(store.context, keyring=keyring).sign_in(username="clerk1", password="Temporary-3")
    assert keyring.get(staff_id).key_id == new_key_id
    with store.context.uow() as uow:
        old = uow.ledger.session.get(StaffKey, key_id)
        assert old.valid_until is not None and old.valid_until <= store.clock()


def test_sign_out_and_lock_forget_the_key(store) -> None:
    _new_account(store)
    staff_id = _credential(store, "clerk1")[0]
    auth = AuthService(store.context, keyring=Keyring())
    session = auth.sign_in(username="clerk1", password="First-pass-1")
    auth.lock(session=session)
    assert auth.keyring.get(staff_id) is None
    session = auth.unlock(locked_session=session, username="clerk1", password="First-pass-1")
    assert auth.keyring.get(staff_id) is not None
    auth.sign_out(session=session)
    assert auth.keyring.get(staff_id) is None


def test_every_operation_carries_its_makers_signature_and_none_is_made_without_the_key(store) -> None:
    officer = add_staff(store.context, username="officer1")
    member_no = add_member(store.context, name="张伟")
    post_earning(store.context, member_no, 5_000, on=date(2026, 6, 1))
    service = AdjustmentService(store.context, operation_runner(store.context), AuthService(store.context))
    operation_id = str(uuid.uuid4())
    service.request(operation_id=operation_id, session=officer, member_no=member_no, direction="credit", points=100,
                    reason_code="goodwill", memo="apology for the long queue")
    with store.context.uow() as uow:
        operation = uow.ledger.session.get(Operation, operation_id)
        (signature,) = operation.signatures
        key = uow.ledger.session.get(StaffKey, signature["key_id"])
        message = SigningMessage(operation_id, "adjust.request", operation.payload_digest, store.context.desk_name, officer.staff_id, MAKER,
                                 key.key_id, operation.signed_at).canonical()
        public_key = key.public_key
    assert (signature["role"], signature["staff_id"]) == (MAKER, officer.staff_id)
    assert verify(public_key, message, signature["signature"])

    store.context.keyring.drop(officer.staff_id)  # signed out
    with pytest.raises(DomainError) as locked:
        service.request(operation_id=str(uuid.uuid4()), session=officer, member_no=member_no, direction="credit", points=100,
                        reason_code="goodwill", memo="apology for the long queue")
    assert locked.value.code == "signature.key_locked"


def test_an_at_desk_approval_signs_with_the_supervisors_key_for_that_operation_only(store) -> None:
    officer = add_staff(store.context, username="officer1")
    supervisor = add_staff(store.context, username="super1", role="supervisor", password="Super-pass-4")
    store.context.keyring.drop(supervisor.staff_id)  # not signed in at this desk: they come over to approve
    member_no = add_member(store.context, name="王芳")
    post_earning(store.context, member_no, 5_000, on=date(2026, 6, 1))
    service = AdjustmentService(store.context, operation_runner(store.context), AuthService(store.context))
    requested = service.request(operation_id=str(uuid.uuid4()), session=officer, member_no=member_no, direction="credit", points=200,
                                reason_code="goodwill", memo="apology for the delay")
    approval_id = str(uuid.uuid4())
    service.approve(operation_id=approval_id, request_id=requested.request_id, approver_username="super1", approver_password="Super-pass-4")
    with store.context.uow() as uow:
        (signature,) = uow.ledger.session.get(Operation, approval_id).signatures
    assert signature["staff_id"] == supervisor.staff_id
    assert store.context.keyring.get(supervisor.staff_id) is None  # lent for the one signature, then forgotten
