"""A password change at a joined desk is an operation that syncs: central and the other desks of the
person's branch take the new password, the old one is refused there; a forged change (another staff
member's, or one replacing the key) pushed with nothing but a desk's login is rejected with its reason."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from factories import TEST_KDF
from sync_support import (
    BRANCH,
    STAFF_PASSWORD,
    add_central_staff,
    central_rows,
    central_staff_key,
    desk_login_dsn,
    new_desk,
    push_as_desk,
    seed_central,
    signed_row,
)

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.services.auth import AuthService
from loyalty_desk.services.handlers import operation_handlers
from loyalty_desk.services.signing import new_key
from loyalty_desk.store.db import Database
from loyalty_desk.store.uow import uow_factory
from loyalty_desk.sync.applier import Applier

NEW_PASSWORD = "Changed-pass-42"


def test_a_password_changed_at_one_desk_signs_in_at_the_other_after_the_feed(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    seed_central(central_url, [1_000])
    desk_a = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    desk_b = new_desk(central_url, tmp_path / "b", f"{desk_prefix}_b")
    applier = Applier(central_url, operation_handlers())
    try:
        public_key = central_rows(central_url, "SELECT c.public_key FROM staff_credential c JOIN staff s ON s.id = c.staff_id WHERE s.username = 'sup1'")
        auth_a = AuthService(desk_a.context)
        auth_a.sync_password_changes(desk_a.runner)
        auth_a.change_password(username="sup1", old_password=STAFF_PASSWORD, new_password=NEW_PASSWORD)
        desk_a.sync.desk.push()
        assert applier.drain().posted == 1
        central_key_query = "SELECT c.public_key FROM staff_credential c JOIN staff s ON s.id = c.staff_id WHERE s.username = 'sup1'"
        assert central_rows(central_url, central_key_query) == public_key
        desk_b.sync.desk.pull()
        auth_b = AuthService(desk_b.context)
        with pytest.raises(DomainError) as refused:
            auth_b.sign_in(username="sup1", password=STAFF_PASSWORD)
        assert refused.value.code == "auth.invalid_credentials"
        auth_b.sign_in(username="sup1", password=NEW_PASSWORD)  # the re-wrapped key opens with it too
        assert desk_b.debit(desk_b.balances().popitem()[0], 10).status == "posted"
        central_copy = Database(central_url)
        try:
            with uow_factory(central_copy)() as uow:
                staff = uow.staff.by_username("sup1")
                assert staff is not None
                from loyalty_desk.services.passwords import verify_password

                assert verify_password(uow.staff.credential(staff.id).password_hash, NEW_PASSWORD)
        finally:
            central_copy.dispose()
    finally:
        applier.close()
        desk_a.close()
        desk_b.close()


def test_a_forged_password_change_is_rejected_with_its_reason(central_url: str, desk_prefix: str) -> None:
    seed_central(central_url, [])
    database = Database(central_url)
    try:
        with uow_factory(database)(write=True) as uow:
            add_central_staff(uow, "off1", "officer", uow.reference.branch_by_code(BRANCH).id, datetime(2026, 11, 1, 9, 0))
            uow.commit()
    finally:
        database.dispose()
    desk = f"{desk_prefix}_a"
    dsn = desk_login_dsn(central_url, desk)
    (sup_id, sup_hash, sup_key_id, sup_public), = central_rows(
        central_url, "SELECT c.staff_id, c.password_hash, c.key_id, c.public_key FROM staff_credential c JOIN staff s ON s.id = c.staff_id "
                     "WHERE s.username = 'sup1'")
    officer = central_staff_key(central_url, "off1")
    supervisor = central_staff_key(central_url, "sup1")
    attacker = new_key(sup_id, "attacker-pass-1", TEST_KDF)
    secrets = {"password_hash": "$argon2id$v=19$m=65536,t=3,p=4$forged$forged", "wrapped_private_key": attacker.wrapped_private_key,
               "kdf_salt": attacker.kdf_salt, "kdf_params": attacker.kdf_params}
    # the officer signs a change of the supervisor's password
    not_own = push_as_desk(dsn, signed_row(officer, "staff.password_change",
                                    {"staff_id": sup_id, "key_id": sup_key_id, "public_key": sup_public, **secrets}, desk=desk))
    # the supervisor's own signature, but a key of the attacker's making in place of the registered one
    new_public = push_as_desk(dsn, signed_row(supervisor, "staff.password_change",
                                       {"staff_id": sup_id, "key_id": attacker.key_id, "public_key": attacker.public_key, **secrets}, desk=desk))
    applier = Applier(central_url, operation_handlers())
    try:
        applier.drain()
    finally:
        applier.close()
    verdicts = {r[0]: (r[1], r[2]) for r in central_rows(
        central_url, "SELECT operation_id, status, reason_code FROM inbound_operation WHERE operation_id IN (:a, :b)", a=not_own, b=new_public)}
    assert verdicts == {not_own: ("rejected", "staff.password_change_not_own"), new_public: ("rejected", "staff.password_change_key")}
    assert central_rows(central_url, "SELECT password_hash, key_id, public_key FROM staff_credential WHERE staff_id = :s", s=sup_id) == [
        (sup_hash, sup_key_id, sup_public)]
