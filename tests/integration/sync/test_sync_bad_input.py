"""Bad input from a desk: each operation is refused with its reason recorded in ``inbound_operation``,
reaches the desk's exceptions queue, and never holds up the good operations received after it."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url
from sync_support import (
    HANDLERS,
    central_balances,
    central_rows,
    central_scalar,
    central_staff_key,
    desk_login_dsn,
    new_desk,
    push_as_desk,
    seed_central,
    signed_row,
)

from loyalty_desk.services.handlers import operation_handlers
from loyalty_desk.store.db import Database
from loyalty_desk.store.models import Branch
from loyalty_desk.store.uow import uow_factory
from loyalty_desk.sync.applier import MALFORMED, MEMBER_NOT_HELD, Applier

pytestmark = pytest.mark.postgres


def _verdicts(central_url: str, *operation_ids: str) -> list[tuple[str, str | None, dict | None]]:
    rows = {r.operation_id: (r.status, r.reason_code, r.reason_params) for r in central_rows(
        central_url, "SELECT operation_id, status, reason_code, reason_params FROM inbound_operation WHERE operation_id = ANY(:ids)",
        ids=list(operation_ids))}
    return [rows[i] for i in operation_ids]


def _move_to_another_region(central_url: str, member_no: str) -> None:
    """The member's home branch becomes one of another region (head office's change, at central)."""
    database = Database(central_url)
    with uow_factory(database)(write=True) as uow:
        session = uow.ledger.session
        for branch in session.query(Branch).all():
            branch.region = "north"
        south = uow.reference.add_branch(Branch(code="GZ01", name_zh="广州分行", name_en="Guangzhou", region="south"))
        session.flush()
        member = uow.members.by_no(member_no)
        member.branch_id = south.id
        uow.commit()
    database.dispose()


def test_an_operation_for_a_member_outside_the_desks_region_is_refused_and_the_next_one_applied(
        central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    moved, kept = seed_central(central_url, [5000, 5000])
    desk = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    applier = Applier(central_url, [*operation_handlers(), *HANDLERS])
    try:
        refused_id = desk.debit(moved, 1000).operation_id
        applied_id = desk.debit(kept, 700).operation_id
        _move_to_another_region(central_url, moved)  # before the desk's push reaches central
        assert desk.sync.desk.push().sent == 2
        report = applier.drain()
        assert (report.posted, report.rejected) == (1, 1)
        assert _verdicts(central_url, refused_id, applied_id) == [
            ("rejected", MEMBER_NOT_HELD, {"member_no": moved, "desk": f"{desk_prefix}_a"}), ("posted", None, None)]
        desk.sync.desk.collect_outcomes()
        (exception,) = desk.sync.exceptions()
        assert (exception.operation_id, exception.reason_code) == (refused_id, MEMBER_NOT_HELD)
        assert desk.balance(moved) == 5000 == central_balances(central_url)[moved]  # given back at the desk, never taken at central
        desk.sync.desk.pull()
        assert desk.balance(kept) == 4300 == central_balances(central_url)[kept]
    finally:
        applier.close()
        desk.close()


def test_a_member_the_desk_fetched_from_another_region_may_be_served(central_url: str, desk_prefix: str) -> None:
    (member_no,) = seed_central(central_url, [5000])
    _move_to_another_region(central_url, member_no)
    name = f"{desk_prefix}_a"
    dsn = desk_login_dsn(central_url, name)
    with psycopg.connect(dsn, autocommit=True) as connection:  # the counter's online fetch
        assert connection.execute("SELECT count(*) FROM ld_fetch_member('member_no', %s)", (member_no,)).fetchone()[0] > 0
    key = central_staff_key(central_url, "sup1")
    operation_id = push_as_desk(dsn, signed_row(key, "test_debit", {"member_no": member_no, "points": 400}, desk=name))
    applier = Applier(central_url, [*operation_handlers(), *HANDLERS])
    try:
        assert applier.drain().posted == 1
        assert _verdicts(central_url, operation_id) == [("posted", None, None)]
    finally:
        applier.close()


def test_malformed_payloads_are_refused_with_their_reason_and_the_next_operation_is_applied(central_url: str, desk_prefix: str) -> None:
    (member_no,) = seed_central(central_url, [5000])
    name = f"{desk_prefix}_a"
    dsn = desk_login_dsn(central_url, name)
    key = central_staff_key(central_url, "sup1")
    payloads = [
        ("test_debit", {"member_no": member_no}),  # a field missing
        ("test_debit", {"member_no": member_no, "points": "lots"}),  # a field of the wrong type
        ("test_debit", {"member_no": member_no, "points": [100]}),
        ("adjust.approve", {"request": {"id": 1}, "note": ""}),  # an id that is no id
        ("adjust.reject", {"request": "0" * 36, "note": "x" * 200_000}),  # a huge string
        ("member.freeze", {"member_no": member_no, "reason": "lost_card", "note": "很长" * 100_000}),
        ("test_debit", [member_no, 100]),  # not an object at all
        ("test_debit", {"member_no": member_no, "points": 300}),  # a good one behind them
    ]
    ids = [push_as_desk(dsn, signed_row(key, kind, payload, desk=name)) for kind, payload in payloads]
    applier = Applier(central_url, [*operation_handlers(), *HANDLERS])
    try:
        report = applier.drain()
        assert (report.posted, report.rejected) == (1, len(payloads) - 1)
        verdicts = _verdicts(central_url, *ids)
        assert verdicts[-1] == ("posted", None, None)
        for status, code, params in verdicts[:-1]:
            assert status == "rejected" and code and params is not None
        assert verdicts[0][1] == MALFORMED and "points" in verdicts[0][2]["why"]
        assert verdicts[1][1] == verdicts[2][1] == verdicts[6][1] == MALFORMED
        assert [code for _, code, _ in verdicts[3:6]] == ["not_found", "adjust.note_too_long", "identity.length_range"]
        assert central_balances(central_url)[member_no] == 4700
        assert central_scalar(central_url, "SELECT count(*) FROM inbound_operation WHERE status = 'received'") == 0
    finally:
        applier.close()


def test_an_operation_id_reused_with_another_payload_is_refused_and_the_next_operation_still_goes(
        central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    first, second = seed_central(central_url, [5000, 5000])
    desk = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    applier = Applier(central_url, [*operation_handlers(), *HANDLERS])
    try:
        reused_id = desk.debit(first, 1000).operation_id
        good_id = desk.debit(second, 600).operation_id
        # the id already at central with another payload (pushed by this desk's login, as a faulty or replayed push would)
        desk_url = make_url(desk.sync.settings.central_url).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(desk_url) as connection:
            connection.execute(
                "INSERT INTO inbound_operation (operation_id, desk, kind, payload, payload_digest, origin, offline, made_at, status) "
                "VALUES (%s, current_user, 'test_debit', %s, 'other-digest', 'x', false, %s, 'received')",
                (reused_id, json.dumps({"member_no": first, "points": 4000}), datetime(2026, 11, 1, 9, 0)),
            )
        report = desk.sync.desk.push()
        assert (report.sent, report.refused) == (1, 1)
        applied = applier.drain()
        assert (applied.posted, applied.rejected) == (1, 1)
        (reused,) = _verdicts(central_url, reused_id)
        assert reused[0] == "rejected" and reused[1].startswith("signature.")  # the row central holds under that id, refused with its reason
        assert _verdicts(central_url, good_id) == [("posted", None, None)]
        desk.sync.desk.collect_outcomes()
        (exception,) = desk.sync.exceptions()
        assert (exception.operation_id, exception.reason_code) == (reused_id, "operation.payload_mismatch")
        desk.sync.desk.pull()
        assert desk.balances() == central_balances(central_url) == {first: 5000, second: 4400}
    finally:
        applier.close()
        desk.close()
