"""AuthService: sign-in, lockout after repeated failures, lock and unlock, sign-out; all audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from factories import DEFAULT_PASSWORD, add_branch, add_staff, open_store

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.services.auth import AuthService
from loyalty_desk.services.passwords import hash_password, verify_password


@pytest.fixture
def auth_store(tmp_path):
    store = open_store(tmp_path / "store")
    add_branch(store.context, code="BJ01")
    add_branch(store.context, code="SH01", name_zh="上海分行", name_en="Shanghai Branch")
    add_staff(store.context, username="officer1", display_name="李娜")
    add_staff(store.context, username="officer2")
    add_staff(store.context, username="super1", role="supervisor")
    yield store
    store.close()


@pytest.fixture
def auth(auth_store):
    return AuthService(auth_store.context)


def _actions(store):
    with store.context.uow() as uow:
        _, rows = uow.audit.search(limit=1000)
        return [(row.action, row.actor) for row in reversed(rows)]


def _staff(store, username):
    with store.context.uow() as uow:
        staff = uow.staff.by_username(username)
        return staff.failed_sign_ins, staff.locked_until


def test_password_hashing_round_trip():
    hashed = hash_password("s3cret-pass")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "s3cret-pass")
    assert not verify_password(hashed, "other")
    assert not verify_password("not a hash", "s3cret-pass")


def test_both_constructor_forms(auth_store):
    context = auth_store.context
    explicit = AuthService(context.uow, context.settings.current, context.clock, "desk-7")
    session = explicit.sign_in(username="officer1", password=DEFAULT_PASSWORD)
    assert session.display_name == "李娜"
    with context.uow() as uow:
        assert uow.audit.last().desk == "desk-7"


def test_sign_in_returns_the_session_and_audits(auth, auth_store):
    session = auth.sign_in(username="officer1", password=DEFAULT_PASSWORD)
    assert (session.username, session.role, session.branch_code, session.branch_name_en) == (
        "officer1", "officer", "BJ01", "Beijing Main Branch")
    assert _actions(auth_store) == [("auth.sign_in", "officer1")]


def test_unknown_user_and_wrong_password_are_the_same_answer(auth, auth_store):
    for username, password in (("nobody", DEFAULT_PASSWORD), ("officer1", "wrong")):
        with pytest.raises(DomainError) as refused:
            auth.sign_in(username=username, password=password)
        assert refused.value.code == "auth.invalid_credentials"
    assert [a for a, _ in _actions(auth_store)] == ["auth.sign_in_failed", "auth.sign_in_failed"]
    assert _staff(auth_store, "officer1")[0] == 1


def test_five_failures_lock_for_fifteen_minutes_and_success_resets(auth, auth_store):
    now = auth_store.clock()
    for _ in range(2):
        with pytest.raises(DomainError):
            auth.sign_in(username="officer1", password="wrong")
    auth.sign_in(username="officer1", password=DEFAULT_PASSWORD)
    assert _staff(auth_store, "officer1") == (0, None)  # a good sign-in resets the count

    for attempt in range(5):
        with pytest.raises(DomainError) as refused:
            auth.sign_in(username="officer1", password="wrong")
        assert refused.value.code == ("auth.locked" if attempt == 4 else "auth.invalid_credentials")
    assert refused.value.params["until"] == now + timedelta(minutes=15)
    with pytest.raises(DomainError) as still:
        auth.sign_in(username="officer1", password=DEFAULT_PASSWORD)
    assert still.value.code == "auth.locked"
    assert ("auth.account_locked", "officer1") in _actions(auth_store)

    auth_store.clock.advance(minutes=15, seconds=1)
    assert auth.sign_in(username="officer1", password=DEFAULT_PASSWORD).username == "officer1"


def test_inactive_account_is_refused(auth, auth_store):
    with auth_store.context.uow(write=True) as uow:
        uow.staff.by_username("officer2").active = False
        uow.commit()
    with pytest.raises(DomainError) as refused:
        auth.sign_in(username="officer2", password=DEFAULT_PASSWORD)
    assert refused.value.code == "auth.inactive"


def test_lock_unlock_same_user(auth, auth_store):
    session = auth.sign_in(username="officer1", password=DEFAULT_PASSWORD)
    auth.lock(session=session)
    again = auth.unlock(locked_session=session, username="officer1", password=DEFAULT_PASSWORD)
    assert again == session
    assert [a for a, _ in _actions(auth_store)] == ["auth.sign_in", "auth.lock", "auth.unlock"]


def test_supervisor_unlock_signs_the_officer_out(auth, auth_store):
    session = auth.sign_in(username="officer1", password=DEFAULT_PASSWORD)
    auth.lock(session=session)
    taken = auth.unlock(locked_session=session, username="super1", password=DEFAULT_PASSWORD)
    assert taken.username == "super1"
    assert _actions(auth_store)[-2:] == [("auth.sign_out", "officer1"), ("auth.unlock", "super1")]


def test_another_officer_cannot_unlock(auth, auth_store):
    session = auth.sign_in(username="officer1", password=DEFAULT_PASSWORD)
    with pytest.raises(DomainError) as refused:
        auth.unlock(locked_session=session, username="officer2", password=DEFAULT_PASSWORD)
    assert refused.value.code == "auth.unlock_not_allowed"
    assert _actions(auth_store)[-1] == ("auth.unlock_refused", "officer2")


def test_failed_unlocks_count_towards_the_lockout(auth, auth_store):
    session = auth.sign_in(username="officer1", password=DEFAULT_PASSWORD)
    for _ in range(5):
        with pytest.raises(DomainError):
            auth.unlock(locked_session=session, username="officer1", password="wrong")
    with pytest.raises(DomainError) as refused:
        auth.unlock(locked_session=session, username="officer1", password=DEFAULT_PASSWORD)
    assert refused.value.code == "auth.locked"


def test_sign_out_is_audited(auth, auth_store):
    session = auth.sign_in(username="officer1", password=DEFAULT_PASSWORD)
    auth.sign_out(session=session)
    assert _actions(auth_store)[-1] == ("auth.sign_out", "officer1")


def test_the_audit_chain_still_verifies(auth, auth_store):
    from loyalty_desk.services.audit import AuditService

    session = auth.sign_in(username="officer1", password=DEFAULT_PASSWORD)
    auth.lock(session=session)
    with pytest.raises(DomainError):
        auth.sign_in(username="officer1", password="bad")
    assert AuditService(auth_store.context.uow).verify().ok
