"""The audit trail's hash chain: tampering with any row makes verification fail at that row."""

from pathlib import Path

import pytest
from sqlalchemy import text

from loyalty_desk.services.audit import Actor, AuditService, Digest
from loyalty_desk.store.db import Database
from loyalty_desk.store.uow import uow_factory

OFFICER = Actor(username="officer.bj1", desk="desk-1", branch_code="BJ01")


@pytest.fixture
def trail(tmp_path: Path):
    database = Database.open_local(tmp_path)
    service = AuditService(uow_factory(database))
    for n in range(1, 11):
        service.record(OFFICER, "member.reveal", member_no="M1000000016", details={"reason": f"client asked #{n}"})
    yield database, service
    database.dispose()


def raw(database: Database, sql: str, **params) -> None:
    with database.write_engine.begin() as connection:
        connection.execute(text(sql), params)


def test_intact_trail_verifies_every_row(trail):
    _, service = trail
    result = service.verify()
    assert result.ok and result.rows_checked == 10


def test_edited_row_fails_at_that_row(trail):
    database, service = trail
    raw(database, "UPDATE audit_event SET actor = 'someone.else' WHERE id = 4")
    result = service.verify()
    assert not result.ok
    assert (result.first_bad_row, result.problem, result.rows_checked) == (4, "hash_mismatch", 3)


def test_edited_row_with_recomputed_hash_breaks_the_next_link(trail):
    database, service = trail
    from loyalty_desk.services.audit import chain_hash
    from loyalty_desk.store.models import AuditEvent

    with database.write_sessions() as session:
        event = session.get(AuditEvent, 4)
        event.details = {"reason": "nothing to see"}
        event.hash = chain_hash(event.prev_hash, event)
        session.commit()
    result = service.verify()
    assert (result.ok, result.first_bad_row, result.problem) == (False, 5, "chain_broken")


def test_deleted_row_fails_at_the_gap(trail):
    database, service = trail
    raw(database, "DELETE FROM audit_event WHERE id = 6")
    result = service.verify()
    assert (result.ok, result.first_bad_row, result.problem) == (False, 6, "sequence_gap")


def test_reordered_rows_fail_at_the_first_moved_row(trail):
    database, service = trail
    # Swap the contents of rows 3 and 7, keeping ids in sequence.
    raw(database, "UPDATE audit_event SET id = -3 WHERE id = 3")
    raw(database, "UPDATE audit_event SET id = 3 WHERE id = 7")
    raw(database, "UPDATE audit_event SET id = 7 WHERE id = -3")
    result = service.verify()
    assert (result.ok, result.first_bad_row) == (False, 3)


def test_truncated_tail_is_caught_only_with_the_kept_digest(trail, tmp_path):
    database, service = trail
    kept = service.digest()
    assert kept.last_id == 10
    raw(database, "DELETE FROM audit_event WHERE id > 8")
    assert service.verify().ok  # without the digest, a clean cut looks like a shorter trail
    result = service.verify(digest=Digest.from_text(kept.to_text()))
    assert (result.ok, result.first_bad_row, result.problem) == (False, 9, "truncated")


def test_digest_of_a_rewritten_trail_does_not_match(trail):
    database, service = trail
    kept = service.digest()
    raw(database, "DELETE FROM audit_event")
    for n in range(10):
        service.record(OFFICER, "member.reveal", details={"reason": f"forged {n}"})
    result = service.verify(digest=kept)
    assert (result.ok, result.first_bad_row, result.problem) == (False, 10, "digest_mismatch")
