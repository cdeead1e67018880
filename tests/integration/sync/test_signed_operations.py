"""Central trusts nothing a desk sends: with nothing but a desk's login (the PostgreSQL role that
``central add-desk`` issues), forged, replayed, tampered and wrongly signed operations are
rejected with their recorded reason, post nothing, and never hold up the good operation behind them."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sync_support import (
    BRANCH,
    STAFF_PASSWORD,
    TestDebit,
    add_central_staff,
    central_balances,
    central_rows,
    central_staff_key,
    desk_login_dsn,
    new_desk,
    push_as_desk,
    seed_central,
    signed_row,
)

from loyalty_desk.cli.main import main
from loyalty_desk.services.clock import utc_now
from loyalty_desk.services.handlers import operation_handlers
from loyalty_desk.services.signing import KdfParams, new_key
from loyalty_desk.store.db import Database, make_engine
from loyalty_desk.store.models import Branch
from loyalty_desk.store.uow import uow_factory
from loyalty_desk.sync.applier import Applier

HERE, ELSEWHERE = "BR01", "BR02"


def _branches_and_staff(url: str) -> None:
    """Two ordinary branches; an officer and supervisors of the desk's branch, one of another branch."""
    database = Database(url)
    try:
        with uow_factory(database)(write=True) as uow:
            now = datetime(2026, 11, 1, 9, 0)
            here = uow.reference.add_branch(Branch(code=HERE, name_zh="网点一", name_en="Branch one", is_head_office=False))
            there = uow.reference.add_branch(Branch(code=ELSEWHERE, name_zh="网点二", name_en="Branch two", is_head_office=False))
            add_central_staff(uow, "off_here", "officer", here.id, now)
            add_central_staff(uow, "sup_here", "supervisor", here.id, now)
            add_central_staff(uow, "sup_gone", "supervisor", here.id, now)
            add_central_staff(uow, "sup_there", "supervisor", there.id, now)
            uow.commit()
    finally:
        database.dispose()


def _desk_login(url: str, name: str, branch_code: str = HERE) -> tuple[str, str]:
    """(the desk's name, its login as a psycopg DSN): all an attacker with the branch PC holds."""
    return name, desk_login_dsn(url, name, branch_code=branch_code)


def _verdicts(url: str, ids: list[str]) -> list[tuple[str, str | None]]:
    query = "SELECT operation_id, status, reason_code FROM inbound_operation WHERE operation_id = ANY(:ids)"
    found = {r[0]: (r[1], r[2]) for r in central_rows(url, query, ids=ids)}
    return [found[i] for i in ids]


def _posted_nothing(url: str, ids: list[str]) -> None:
    assert central_rows(url, "SELECT count(*) FROM operation WHERE id = ANY(:ids)", ids=ids) == [(0,)]
    assert central_rows(url, "SELECT count(*) FROM ledger_entry WHERE operation_id = ANY(:ids)", ids=ids) == [(0,)]


def _applier(url: str) -> Applier:
    return Applier(url, [*operation_handlers(), TestDebit()])


def _staff_id(url: str, username: str) -> int:
    return int(central_rows(url, "SELECT id FROM staff WHERE username = :u", u=username)[0][0])


def _debit(key: Any, desk: str, member_no: str, points: int, **kwargs: Any) -> dict[str, Any]:
    return signed_row(key, "test_debit", {"member_no": member_no, "points": points}, desk=desk, **kwargs)


def test_a_forged_adjustment_request_and_approval_post_nothing(central_url: str, desk_prefix: str) -> None:
    (member_no,) = seed_central(central_url, [1_000])
    _branches_and_staff(central_url)
    desk, dsn = _desk_login(central_url, f"{desk_prefix}_a")
    officer, supervisor = _staff_id(central_url, "off_here"), _staff_id(central_url, "sup_here")
    request_id, approve_id = str(uuid.uuid4()), str(uuid.uuid4())
    request = {"member_no": member_no, "direction": "credit", "points": 4_000, "reason_code": "goodwill", "memo": "forged goodwill credit"}
    unsigned = [
        {"id": request_id, "kind": "adjust.request", "payload": json.dumps(request), "origin": desk, "staff": officer, "signatures": None},
        {"id": approve_id, "kind": "adjust.approve", "payload": json.dumps({"request": request_id, "note": ""}), "origin": desk,
         "staff": supervisor, "signatures": None},
    ]
    ids = [push_as_desk(dsn, {**row, "digest": "d", "made_at": utc_now()}) for row in unsigned]
    # the same pair again with made-up signatures naming the officer's and supervisor's real key ids
    key_ids = dict(central_rows(central_url, "SELECT staff_id, key_id FROM staff_key WHERE staff_id IN (:o, :s)", o=officer, s=supervisor))
    forged_request_id = str(uuid.uuid4())
    forged = [
        {"id": forged_request_id, "kind": "adjust.request", "payload": json.dumps(request), "origin": desk, "staff": officer,
         "signatures": json.dumps([{"role": "maker", "staff_id": officer, "key_id": key_ids[officer], "signature": "A" * 88}])},
        {"id": str(uuid.uuid4()), "kind": "adjust.approve", "payload": json.dumps({"request": forged_request_id, "note": ""}), "origin": desk,
         "staff": supervisor,
         "signatures": json.dumps([{"role": "maker", "staff_id": supervisor, "key_id": key_ids[supervisor], "signature": "A" * 88}])},
    ]
    ids += [push_as_desk(dsn, {**row, "digest": "d", "made_at": utc_now()}) for row in forged]
    good = push_as_desk(dsn, _debit(central_staff_key(central_url, "off_here"), desk, member_no, 100))
    applier = _applier(central_url)
    try:
        applier.drain()
    finally:
        applier.close()
    assert _verdicts(central_url, ids) == [("rejected", "signature.missing")] * 2 + [("rejected", "signature.invalid")] * 2
    _posted_nothing(central_url, ids)
    assert central_rows(central_url, "SELECT count(*) FROM adjustment_request") == [(0,)]
    assert _verdicts(central_url, [good]) == [("posted", None)]
    assert central_balances(central_url)[member_no] == 900


def test_an_operation_replayed_from_another_desk_is_rejected(central_url: str, desk_prefix: str) -> None:
    (member_no,) = seed_central(central_url, [1_000])
    _branches_and_staff(central_url)
    desk_a, _dsn_a = _desk_login(central_url, f"{desk_prefix}_a")
    desk_b, dsn_b = _desk_login(central_url, f"{desk_prefix}_b")
    officer = central_staff_key(central_url, "off_here")
    # an operation desk A made (taken from A's PC before A sent it) pushed with desk B's login
    replayed = push_as_desk(dsn_b, _debit(officer, desk_a, member_no, 300))
    # and another of A's operations passed off as B's own (the origin rewritten: the signature covers it)
    renamed = {**_debit(officer, desk_a, member_no, 300), "origin": desk_b}
    renamed_id = push_as_desk(dsn_b, renamed)
    good = push_as_desk(dsn_b, _debit(officer, desk_b, member_no, 100))
    applier = _applier(central_url)
    try:
        applier.drain()
    finally:
        applier.close()
    assert _verdicts(central_url, [replayed, renamed_id]) == [("rejected", "signature.wrong_desk"), ("rejected", "signature.invalid")]
    params = central_rows(central_url, "SELECT reason_params FROM inbound_operation WHERE operation_id = :i", i=replayed)[0][0]
    assert params == {"origin": desk_a, "desk": desk_b}
    _posted_nothing(central_url, [replayed, renamed_id])
    assert _verdicts(central_url, [good]) == [("posted", None)]
    assert central_balances(central_url)[member_no] == 900


def test_a_valid_signature_moved_onto_another_payload_is_rejected(central_url: str, desk_prefix: str) -> None:
    (member_no, other_no) = seed_central(central_url, [1_000, 1_000])
    _branches_and_staff(central_url)
    desk, dsn = _desk_login(central_url, f"{desk_prefix}_a")
    officer = central_staff_key(central_url, "off_here")
    signed = _debit(officer, desk, member_no, 10)
    # the payload changed, the signed digest kept
    kept_digest = {**signed, "id": str(uuid.uuid4()), "payload": json.dumps({"member_no": other_no, "points": 900})}
    # the payload changed and its digest recomputed: the signature no longer covers it
    recomputed = _debit(officer, desk, other_no, 900)
    recomputed["signatures"] = signed["signatures"]
    recomputed["id"] = signed["id"]
    ids = [push_as_desk(dsn, kept_digest), push_as_desk(dsn, recomputed)]
    # the signature of one operation on another operation id
    moved = {**_debit(officer, desk, member_no, 10), "signatures": signed["signatures"]}
    ids.append(push_as_desk(dsn, moved))
    good = push_as_desk(dsn, _debit(officer, desk, member_no, 100))
    applier = _applier(central_url)
    try:
        applier.drain()
    finally:
        applier.close()
    assert _verdicts(central_url, ids) == [("rejected", "signature.invalid")] * 3
    _posted_nothing(central_url, ids)
    assert _verdicts(central_url, [good]) == [("posted", None)]
    assert central_balances(central_url) == {member_no: 900, other_no: 1_000}


def test_a_deactivated_or_other_branch_supervisor_signature_is_refused(central_url: str, desk_prefix: str) -> None:
    (member_no,) = seed_central(central_url, [1_000])
    _branches_and_staff(central_url)
    desk, dsn = _desk_login(central_url, f"{desk_prefix}_a")
    gone_key = central_staff_key(central_url, "sup_gone")
    deactivated_at = utc_now() - timedelta(hours=1)
    engine = make_engine(central_url)
    try:
        with engine.begin() as connection:  # what staff admin does at central
            connection.execute(text("UPDATE staff SET active = false, deactivated_at = :t WHERE username = 'sup_gone'"), {"t": deactivated_at})
    finally:
        engine.dispose()
    after = push_as_desk(dsn, _debit(gone_key, desk, member_no, 300))
    elsewhere = push_as_desk(dsn, _debit(central_staff_key(central_url, "sup_there"), desk, member_no, 300))
    # made offline before the deactivation and sent afterwards: still theirs to sign
    before = push_as_desk(dsn, _debit(gone_key, desk, member_no, 50, made_at=deactivated_at - timedelta(hours=2)))
    good = push_as_desk(dsn, _debit(central_staff_key(central_url, "sup_here"), desk, member_no, 100))
    applier = _applier(central_url)
    try:
        applier.drain()
    finally:
        applier.close()
    assert _verdicts(central_url, [after, elsewhere]) == [("rejected", "signature.signer_inactive"), ("rejected", "signature.wrong_branch")]
    _posted_nothing(central_url, [after, elsewhere])
    assert _verdicts(central_url, [before, good]) == [("posted", None), ("posted", None)]
    assert central_balances(central_url)[member_no] == 850


def test_a_key_unknown_to_central_and_an_officer_approving_are_refused(central_url: str, desk_prefix: str) -> None:
    (member_no,) = seed_central(central_url, [1_000])
    _branches_and_staff(central_url)
    desk, dsn = _desk_login(central_url, f"{desk_prefix}_a")
    officer = _staff_id(central_url, "off_here")
    # a key pair the attacker made, claimed to be the officer's
    from loyalty_desk.services.signing import unwrap

    own = new_key(officer, "attacker-1", KdfParams(1, 8192, 1))
    unknown = push_as_desk(dsn, _debit(unwrap(officer, own, "attacker-1"), desk, member_no, 300))
    # the officer's real key on a supervisor's decision
    approve = signed_row(central_staff_key(central_url, "off_here"), "adjust.approve", {"request": str(uuid.uuid4()), "note": ""}, desk=desk)
    role = push_as_desk(dsn, approve)
    applier = _applier(central_url)
    try:
        applier.drain()
    finally:
        applier.close()
    assert _verdicts(central_url, [unknown, role]) == [("rejected", "signature.unknown_key"), ("rejected", "signature.role_not_allowed")]
    _posted_nothing(central_url, [unknown, role])
    assert central_balances(central_url)[member_no] == 1_000


def test_a_refused_signature_reaches_the_desk_exceptions_queue(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    """The desk's own operation signed by a supervisor head office disabled meanwhile: rejected with
    the reason, reversed at the desk and queued for a supervisor, like any other rejection."""
    (member_no,) = seed_central(central_url, [1_000])
    desk = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    applier = _applier(central_url)
    try:
        desk.debit(member_no, 400)
        engine = make_engine(central_url)
        try:
            with engine.begin() as connection:
                connection.execute(text("UPDATE staff SET active = false, deactivated_at = :t WHERE username = 'sup1'"),
                                   {"t": utc_now() - timedelta(days=1)})
        finally:
            engine.dispose()
        desk.sync.sync_once(wait=0.2)
        applier.drain()
        result = desk.sync.sync_once(wait=1.0)
        assert [(o.outcome, o.code) for o in result["outcomes"]] == [("rejected", "signature.signer_inactive")]
        (exception,) = desk.sync.exceptions()
        assert exception.reason_code == "signature.signer_inactive" and exception.params["username"] == "sup1"
        assert desk.balance(member_no) == 1_000 == central_balances(central_url)[member_no]
    finally:
        applier.close()
        desk.close()


def test_accounts_kept_at_central_register_their_keys_and_deactivation(central_url: str, monkeypatch) -> None:
    """``staff add|reset-password|deactivate --central``: the keys central verifies with, and the time a
    deactivation starts refusing signatures, are written where the applier reads them."""
    seed_central(central_url, [])
    database = Database(central_url)
    try:
        with uow_factory(database)(write=True) as uow:
            add_central_staff(uow, "admin1", "admin", uow.reference.branch_by_code(BRANCH).id, datetime(2026, 11, 1, 9, 0))
            uow.commit()
    finally:
        database.dispose()
    monkeypatch.setenv("LOYALTY_DESK_PASSWORD", STAFF_PASSWORD)
    monkeypatch.setenv("LOYALTY_DESK_NEW_PASSWORD", "Temporary-pass-1")
    central = ["--central", central_url, "--user", "admin1"]
    assert main(["staff", "add", "clerk9", "--name", "Clerk", "--role", "officer", "--branch", BRANCH, *central]) == 0
    clerk = _staff_id(central_url, "clerk9")
    keys = central_rows(central_url, "SELECT key_id, valid_until FROM staff_key WHERE staff_id = :s ORDER BY version", s=clerk)
    assert len(keys) == 1 and keys[0][1] is None
    assert main(["staff", "reset-password", "clerk9", *central]) == 0
    keys = central_rows(central_url, "SELECT key_id, valid_until FROM staff_key WHERE staff_id = :s ORDER BY version", s=clerk)
    assert len(keys) == 2 and keys[0][1] is not None and keys[1][1] is None
    assert central_rows(central_url, "SELECT key_id FROM staff_credential WHERE staff_id = :s", s=clerk) == [(keys[1][0],)]
    assert main(["staff", "deactivate", "clerk9", *central]) == 0
    assert central_rows(central_url, "SELECT active, deactivated_at IS NOT NULL FROM staff WHERE id = :s", s=clerk) == [(False, True)]
